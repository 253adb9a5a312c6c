"""Tables and sentences of the run rules, the phase I revision and the EWMA / CUSUM charts.

Every sentence is built from the :class:`~orient.operations.quality.stage.QualityResult`
it describes, in the report's language (catalog context ``spc``); a part without data
gives no sentence and an empty Table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from orient.i18n import message
from orient.operations.quality.display import _decimals
from orient.present.tables import Table, fmt_number

if TYPE_CHECKING:
    from orient.operations.quality.stage import QualityResult

__all__ = ["rules_sentences", "time_weighted_sentences", "time_weighted_table"]


def _num(value: float, language: str, decimals: int) -> str:
    return fmt_number([value], language, decimals)[0]


def rules_sentences(result: QualityResult) -> list[str]:
    """Which run rules flag the Shewhart charts and, with the phase I revision, which
    subgroups were left out of the limits (per characteristic)."""
    language = result.language
    s = result.summary
    if s is None:
        return []
    out = [
        message(
            "spc",
            "Points are flagged by Nelson's eight run rules (numbered on the charts): "
            "beyond 3 sigma, nine in a row on one side, six rising or falling, fourteen "
            "alternating, two of three beyond 2 sigma, four of five beyond 1 sigma, fifteen "
            "within 1 sigma, eight beyond 1 sigma on both sides.",
            language,
        )
        if result.rule_set == "nelson"
        else message(
            "spc",
            "Points are flagged by the four Western Electric run rules (numbered on the "
            "charts): beyond 3 sigma, two of three beyond 2 sigma, four of five beyond "
            "1 sigma, eight in a row on one side.",
            language,
        )
    ]
    if not result.revised:
        return out
    for _, row in s.drop_duplicates("characteristic").iterrows():
        if row["n_removed"]:
            out.append(
                message(
                    "spc",
                    "{label}: the trial limits were recomputed without the {n} trial "
                    "subgroups beyond them ({which}).",
                    language,
                    label=str(row["label"]),
                    n=int(row["n_removed"]),
                    which=str(row["removed"]),
                )
            )
        else:
            out.append(
                message(
                    "spc",
                    "{label}: no trial subgroup was beyond the limits, so they stand as computed.",
                    language,
                    label=str(row["label"]),
                )
            )
    return out


def _chart_words(row: pd.Series, language: str) -> str:
    if row["chart"] == "ewma":
        return message(
            "spc",
            "EWMA (\u03bb = {lam}, L = {L})",
            language,
            lam=float(row["param_lambda"]),
            L=float(row["param_nsigmas"]),
        )
    return message(
        "spc",
        "CUSUM (k = {k}, h = {h})",
        language,
        k=float(row["param_k"]),
        h=float(row["param_h"]),
    )


def time_weighted_table(result: QualityResult) -> Table:
    """One row per EWMA and CUSUM chart: target, sigma, signals and the estimated shift."""
    language = result.language
    tw = result.time_weighted
    if tw is None or not len(tw):
        return Table.build({}, language=language)
    dec = [_decimals(c) + 1 for c in tw["center"]]

    def opt(v: Any, d: int) -> str | None:
        return None if v is None or pd.isna(v) else _num(float(v), language, d)

    cols = {
        "Characteristic": tw["label"].astype(str).tolist(),
        "Chart": [_chart_words(r, language) for _, r in tw.iterrows()],
        "Centre line": [_num(v, language, d) for v, d in zip(tw["center"], dec, strict=True)],
        "Sigma": [_num(v, language, d + 1) for v, d in zip(tw["sigma"], dec, strict=True)],
        "Subgroups": fmt_number(tw["n_points"], language, 0),
        "Signals": fmt_number(tw["n_signals"], language, 0),
        "First signal": [None if v is None or pd.isna(v) else str(v) for v in tw["first_signal"]],
        "Estimated new mean": [opt(v, d) for v, d in zip(tw["new_mean"], dec, strict=True)],
        "Shift began after subgroup": [
            None if v is None or pd.isna(v) else str(v) for v in tw["start_after"]
        ],
    }
    caption = message(
        "table_captions",
        "EWMA and CUSUM charts of the subgroup means: they accumulate evidence over time "
        "and catch small lasting shifts the Shewhart chart misses",
        language,
    )
    return Table.build(cols, language=language, caption=caption)


def time_weighted_sentences(result: QualityResult) -> list[str]:
    """One sentence per characteristic: the CUSUM's first signal with the shift it
    estimates, or that neither EWMA nor CUSUM signals."""
    language = result.language
    tw = result.time_weighted
    if tw is None:
        return []
    out = []
    for _, part in tw.groupby("characteristic", sort=False):
        label = str(part["label"].iloc[0])
        cus = part[part["chart"] == "cusum"]
        ew = part[part["chart"] == "ewma"]
        d = _decimals(float(part["center"].iloc[0])) + 1
        if len(cus) and cus["first_signal"].notna().iloc[0]:
            r = cus.iloc[0]
            values = {
                "label": label,
                "first": str(r["first_signal"]),
                "new": _num(float(r["new_mean"]), language, d),
                "center": _num(float(r["center"]), language, d),
                "start": "\u2014" if r["start_after"] is None else str(r["start_after"]),
            }
            if r["direction"] == "up":
                text = message(
                    "spc",
                    "{label}: the CUSUM signals at subgroup {first}; the mean has moved up "
                    "to about {new} (centre {center}), a shift that began after subgroup "
                    "{start}.",
                    language,
                    **values,
                )
            else:
                text = message(
                    "spc",
                    "{label}: the CUSUM signals at subgroup {first}; the mean has moved "
                    "down to about {new} (centre {center}), a shift that began after "
                    "subgroup {start}.",
                    language,
                    **values,
                )
            out.append(text)
        elif len(ew) and ew["first_signal"].notna().iloc[0]:
            out.append(
                message(
                    "spc",
                    "{label}: the EWMA leaves its limits at subgroup {first}, a lasting "
                    "shift of the mean.",
                    language,
                    label=label,
                    first=str(ew["first_signal"].iloc[0]),
                )
            )
        else:
            out.append(
                message(
                    "spc",
                    "{label}: neither the EWMA nor the CUSUM signals: no lasting shift of "
                    "the mean is seen.",
                    language,
                    label=label,
                )
            )
    return out
