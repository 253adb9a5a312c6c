"""Quality-control tables for readers: each a :class:`orient.present.tables.Table` in the
report's language (``result.language``), built from a
:class:`~orient.operations.quality.stage.QualityResult`.

A part that was not computed gives an empty Table (``table.empty``), which a notebook
does not show.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd

from orient.i18n import message
from orient.present.tables import Table, fmt_interval, fmt_number

if TYPE_CHECKING:
    from orient.operations.quality.stage import QualityResult

__all__ = [
    "CHART_NAMES",
    "rules_sentences",
    "time_weighted_sentences",
    "time_weighted_table",
    "INDEX_NAMES",
    "capability_table",
    "chart_name",
    "chart_title",
    "figures_table",
    "summary_table",
]

#: the kinds of control chart in words (English ``terms.columns`` texts)
CHART_NAMES = {
    "xbar": "X-bar (subgroup means)",
    "R": "R (subgroup ranges)",
    "S": "S (subgroup standard deviations)",
    "I": "I (individual values)",
    "MR": "MR (moving ranges)",
    "p": "p (share defective)",
    "np": "np (defective items)",
    "c": "c (defects)",
    "u": "u (defects per unit)",
}

#: the capability indices as they are written
INDEX_NAMES = {
    "cp": "Cp",
    "cpl": "Cpl",
    "cpu": "Cpu",
    "cpk": "Cpk",
    "cpm": "Cpm",
    "pp": "Pp",
    "ppl": "Ppl",
    "ppu": "Ppu",
    "ppk": "Ppk",
    "ppm": "Ppm",
}


def _caption(text: str, language: str, /, **values: Any) -> str:
    return message("table_captions", text, language, **values)


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def chart_name(chart: str, language: str) -> str:
    """A chart's kind in words (``xbar`` -> ``X-bar (subgroup means)``)."""
    name = CHART_NAMES.get(str(chart))
    return message("terms.columns", name, language) if name else str(chart)


def chart_title(characteristic: str, chart: str, language: str) -> str:
    """A control chart's title: ``thickness: X-bar (subgroup means) chart``."""
    return message(
        "terms.plots",
        "{characteristic}: {chart} chart",
        language,
        characteristic=str(characteristic),
        chart=chart_name(chart, language),
    )


def _decimals(value: float) -> int:
    """Decimals that show four significant digits of ``value`` (0 to 4)."""
    v = abs(float(value))
    if not math.isfinite(v) or v == 0:
        return 2
    return max(0, min(4, 3 - math.floor(math.log10(v))))


def figures_table(result: QualityResult) -> Table:
    """The key figures (:func:`~orient.operations.quality.stage.key_figures`) as a Table."""
    from orient.operations.quality.stage import key_figures

    language = result.language
    kf = key_figures(result)
    if kf.empty:
        return _empty(language)
    return Table.build(
        {"Measure": list(kf.index), "Value": kf["value"].tolist()},
        language=language,
        caption=_caption("Key figures of quality control", language),
    )


def summary_table(result: QualityResult) -> Table:
    """One row per control chart: centre line, control limits and the subgroups flagged."""
    language = result.language
    s = result.summary
    if s is None or not len(s):
        return _empty(language)
    decimals = [_decimals(c) for c in s["center"]]
    centre = [fmt_number([v], language, d)[0] for v, d in zip(s["center"], decimals, strict=True)]
    limits = [
        fmt_interval([lo], [hi], language, d)[0]
        for lo, hi, d in zip(s["lcl"], s["ucl"], decimals, strict=True)
    ]
    first = [None if pd.isna(v) else fmt_number([v], language, 0)[0] for v in s["first_out"]]
    cols = {
        "Characteristic": s["label"].astype(str).tolist(),
        "Chart": [chart_name(c, language) for c in s["chart"]],
        "Centre line": centre,
        "Control limits": limits,
        "Subgroups": fmt_number(s["n_points"], language, 0),
        "Out of control": fmt_number(s["n_out"], language, 0),
        "Out of control (%)": fmt_number(s["share_out"], language, 1, scale=100),
        "Beyond the limits": fmt_number(s["n_beyond"], language, 0),
        "First subgroup flagged": first,
    }
    caption = _caption(
        "The {k} control charts: centre line, control limits and the subgroups "
        "signalling a change (beyond the limits or breaking a run rule)",
        language,
        k=len(s),
    )
    return Table.build(cols, language=language, caption=caption)


def capability_table(result: QualityResult) -> Table:
    """Capability indices per characteristic with their 95% intervals where computed."""
    language = result.language
    c = result.capability
    if c is None or not len(c):
        return _empty(language)
    cols: dict[str, Any] = {
        "Characteristic": c["label"].astype(str).tolist(),
        "Index": [INDEX_NAMES.get(str(k), str(k)) for k in c["index"]],
        "Estimate": fmt_number(c["estimate"], language, 2),
    }
    has_ci = {"ci_low", "ci_high"}.issubset(c.columns) and c["ci_low"].notna().any()
    if has_ci:
        cols["95% interval"] = fmt_interval(c["ci_low"], c["ci_high"], language, 2)
    cols["Measurements"] = fmt_number(c["n"], language, 0)
    cols["Expected outside specification (ppm)"] = fmt_number(c["expected_out_ppm"], language, 0)
    cols["Observed outside specification (ppm)"] = fmt_number(c["observed_out_ppm"], language, 0)
    text = (
        "Process capability against the specification limits, with 95% confidence "
        "intervals (1.33 or more is the usual requirement)"
        if has_ci
        else "Process capability against the specification limits "
        "(1.33 or more is the usual requirement)"
    )
    return Table.build(cols, language=language, caption=_caption(text, language))


# --- spc display ---


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
        "Sigma": [_num(v, language, d) for v, d in zip(tw["sigma"], dec, strict=True)],
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
