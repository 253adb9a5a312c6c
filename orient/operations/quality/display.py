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
