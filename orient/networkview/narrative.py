"""The network report's sentences, each generated from the numbers it states, through
orient.i18n (``sentences.network.*`` of texts.yaml and the language's catalog)."""

from __future__ import annotations

import pandas as pd

from orient.i18n import format_interval, format_number, message, sentence
from orient.networkview.measures import measure

__all__ = [
    "fmt_interval",
    "fmt_value",
    "label",
    "league_sentences",
    "mover_sentences",
    "overview_sentences",
    "priority_sentences",
]


_CHANGE_OF = {"index_change": "satisfaction_index", "nps_change": "nps"}


def label(key: str, language: str) -> str:
    """A measure's name in ``language``."""
    return message("terms.network", measure(key).label, language)


def _scale(key: str, value):
    unit = measure(key).unit
    if value is None or pd.isna(value):
        return None
    return float(value) * 100 if unit == "share" else float(value)


def _decimals(key: str) -> int:
    return 0 if key in ("nps", "nps_change", "total_npv") else 1


def _suffix(key: str) -> str:
    return "%" if measure(key).unit in ("share", "percent") else ""


def fmt_value(key: str, value, language: str, signed: bool = False) -> str:
    """``value`` of measure ``key`` as a reader reads it (shares as percent)."""
    x = _scale(key, value)
    text = format_number(x, language, _decimals(key), signed=signed)
    return text + _suffix(key) if x is not None else text


def fmt_interval(key: str, low, high, language: str) -> str:
    """The interval of measure ``key``; a dash without one."""
    text = format_interval(_scale(key, low), _scale(key, high), language, _decimals(key))
    return text if text == "\u2013" or not _suffix(key) else f"{text}{_suffix(key)}"


def overview_sentences(n: int, missing: int, no_survey: list[str], language: str) -> list:
    """What the network holds: how many companies, how many missing, which lack a survey."""
    if n == 0:
        return [sentence("network.no_companies", language)]
    out = [sentence("network.overview", language, n=n, missing=missing)]
    if n == 1:
        out.append(sentence("network.single", language))
    elif n == 2:
        out.append(sentence("network.small", language, n=n))
    if no_survey:
        out.append(
            sentence(
                "network.no_survey", language, count=len(no_survey), names=", ".join(no_survey)
            )
        )
    return out


def league_sentences(key: str, rows: pd.DataFrame, language: str) -> list:
    """The leader, the last and the median of one league table; how many companies the
    interval puts clearly above or below the median."""
    name = label(key, language)
    if len(rows) == 1:
        r = rows.iloc[0]
        return [sentence("network.league_one", language, name=r.company_name, measure=name)]
    first, last = rows.iloc[0], rows.iloc[-1]
    lead_tied = int((rows["rank"] == 1).sum())
    out = [
        sentence(
            "network.league_lead",
            language,
            leader=first.company_name,
            tied=lead_tied,
            measure=name,
            value=fmt_value(key, first.value, language),
            interval=_interval_or_none(key, first, language),
            last=last.company_name,
            last_value=fmt_value(key, last.value, language),
            median=fmt_value(key, rows.attrs.get("median"), language),
        )
    ]
    judged = rows["versus_median"].notna()
    if judged.any():
        out.append(
            sentence(
                "network.league_clear",
                language,
                above=int((rows["versus_median"] == "above").sum()),
                below=int((rows["versus_median"] == "below").sum()),
                n=int(judged.sum()),
            )
        )
    return out


def _interval_or_none(key, row, language):
    if pd.isna(row.ci_low) or pd.isna(row.ci_high):
        return None
    return fmt_interval(key, row.ci_low, row.ci_high, language)


def priority_sentences(shared: pd.DataFrame, first: int, language: str, top: int = 5) -> list:
    """The attributes most often among the companies' first items to improve."""
    of = shared.attrs.get("with_priorities", 0)
    if not of:
        return [sentence("network.no_priorities", language)]
    if not len(shared):
        return [sentence("network.no_improve", language, of=of)]
    return [
        sentence(
            "network.priority",
            language,
            label=r.label,
            first=first,
            count=int(r.companies),
            of=int(r.of),
            top=int(r.first_priority),
        )
        for r in shared.head(top).itertuples(index=False)
    ]


def mover_sentences(moves: pd.DataFrame, with_waves: int, one_wave: list[str], language: str):
    """Which companies moved significantly since their previous wave; without two waves,
    that the change needs them."""
    if not len(moves):
        return [sentence("network.needs_two_waves", language)]
    sig = moves[moves["direction"] != "none"]
    out = [sentence("network.moved_count", language, k=sig["company"].nunique(), n=with_waves)]
    for r in sig.itertuples(index=False):
        out.append(
            sentence(
                "network.moved",
                language,
                name=r.company_name,
                measure=label(_CHANGE_OF[r.measure], language),
                up=bool(r.change > 0),
                change=fmt_value(r.measure, abs(r.change), language),
                previous=r.previous_wave if pd.notna(r.previous_wave) else None,
                wave=r.wave if pd.notna(r.wave) else None,
                interval=_interval_or_none(r.measure, r, language),
            )
        )
    if one_wave:
        out.append(
            sentence("network.one_wave", language, count=len(one_wave), names=", ".join(one_wave))
        )
    return out
