"""Stage II tables for readers: each a :class:`orient.present.tables.Table` in the report's
language, built from a :class:`~orient.satisfaction.stage.SatisfactionResult`.

The result's frames keep full precision and internal keys; these functions only present
them: measures and attributes by their names, numbers rounded with their units in the
headings, intervals as ``low to high``, yes / no in words. A part of the analysis that
was not computed gives an empty Table (``table.empty``), which a notebook does not show.

>>> import pandas as pd
>>> from orient.satisfaction.display import reliability_table
>>> class R:  # the one frame the table reads
...     reliability = pd.DataFrame({"scale": ["Satisfaction"], "item": ["overall"], "n": [90],
...         "alpha": [0.91], "alpha_if_deleted": [0.82], "item_total_r": [0.87],
...         "flag": [False]})
>>> reliability_table(R(), language="en").frame.iloc[0].tolist()
['Satisfaction', 'Overall satisfaction', '0.91', '0.82', '0.87', 'no']
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pandas as pd

from orient.i18n import check_language, format_number, format_percent, message, texts, translator
from orient.present.tables import Table, fmt_interval, fmt_number, fmt_yesno

if TYPE_CHECKING:
    from orient.satisfaction.stage import SatisfactionResult

__all__ = [
    "attribute_effects_table",
    "indices_table",
    "measures_with_change",
    "outcome_effects_table",
    "pls_paths_table",
    "pls_r2_table",
    "reliability_table",
    "segments_table",
]

_GROUP = "satisfaction"


def _caption(english: str, language: str, **values: Any) -> str:
    return message("table_captions", english, language, **values)


def _word(key: str, language: str) -> str | None:
    """The stage's word for ``key`` (``values.satisfaction`` of texts.yaml), or None."""
    words = texts(language).get("values", {}).get(_GROUP, {})
    return words.get(key)


def _measure(name: str, language: str) -> str:
    if language == "en":
        return str(name)
    return translator(language).pgettext("terms.measures", str(name))


def _construct(name: str, language: str) -> str:
    """A construct of the model (``Satisfaction``, ``Loyalty``) or a scale's name."""
    word = _word(str(name), language)
    if word:
        return word
    return (
        str(name) if language == "en" else translator(language).pgettext("terms.columns", str(name))
    )


def _item(key: str, language: str) -> str:
    """A survey question by its name: ``q_expectations`` -> ``Compared with expectations``."""
    key = str(key)
    stem = re.sub(r"^q_", "", key)
    word = _word(key, language) or _word(stem, language)
    if word:
        return word
    return stem.replace("_", " ").capitalize()


def _node(key: str, labels: dict | None, language: str) -> str:
    """A node of the chain or the model: an attribute's label, the index, an outcome."""
    if labels and key in labels:
        return str(labels[key])
    return _word(str(key), language) or _construct(key, language)


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def _decimals(values) -> int:
    """Decimals that show an effect readably: fewer the larger the numbers."""
    top = max((abs(float(v)) for v in values if pd.notna(v)), default=0.0)
    if top >= 100:
        return 0
    if top >= 10:
        return 1
    if top >= 1:
        return 2
    return 3


def _p_value(p: Any, language: str) -> str | None:
    if p is None or pd.isna(p):
        return None
    if p < 0.001:
        return "< " + format_number(0.001, language, 3)
    return format_number(float(p), language, 3)


def _kind_of(measure: str) -> str:
    name = str(measure)
    if name in ("NPS", "Net Promoter Score"):
        return "nps"
    if name.endswith("%") or "box" in name:
        return "share"
    if name.endswith(", mean"):
        return "mean"
    return "index"


def _value(v: Any, kind: str, language: str) -> str | None:
    """A measure's value as read: the NPS whole and signed, shares as percentages."""
    if v is None or pd.isna(v):
        return None
    if kind == "nps":
        return format_number(float(v), language, 0, signed=True)
    if kind == "share":
        return format_percent(float(v) / 100, language, 0)
    return format_number(float(v), language, 2 if kind == "mean" else 1)


def _scale(unit: str, language: str) -> str:
    """A measure's unit: ``0-100``, ``1-10``, ``% of customers``, ``-100 to 100``."""
    unit = str(unit)
    if unit == "-100..100":
        return fmt_interval([-100], [100], language, 0)[0]
    m = re.fullmatch(r"(\S+) scale", unit)
    if m:
        return m.group(1)
    if unit == "% of customers":
        return _word("percent_of_customers", language) or unit
    return unit


def indices_table(result: SatisfactionResult, *, language: str = "en") -> Table:
    """The stage's measures (index, mean, top-2-box, NPS...) with 95% intervals and base.

    Columns: Measure, Estimate, 95% interval, Scale, Respondents (and the Kish effective
    base when the survey is weighted).
    """
    language = check_language(language)
    t = result.indices
    if t is None or t.empty:
        return _empty(language)
    kinds = {"index": "index", "mean": "mean", "top2": "share", "bottom2": "share", "nps": "nps"}
    est, ci = [], []
    for kind, v, lo, hi in zip(t["kind"], t["estimate"], t["ci_low"], t["ci_high"], strict=True):
        k = kinds.get(kind, "index")
        d = 2 if k == "mean" else 1
        est.append(format_number(float(v), language, d, signed=k == "nps"))
        ci.append(fmt_interval([lo], [hi], language, d)[0])
    columns: dict[str, list] = {
        "Measure": [_measure(m, language) for m in t["measure"]],
        "Estimate": est,
        "95% interval": ci,
        "Scale": [_scale(u, language) for u in t["unit"]],
        "Respondents": [int(n) for n in t["n"]],
    }
    weighted = bool((t["n_eff"].round(0) != t["n"]).any())
    if weighted:
        columns["Effective base (weighted)"] = fmt_number(t["n_eff"], language, 0)
    n = int(t["n"].max())
    caption = _caption(
        "Satisfaction measures of all customers, with 95% intervals (n = {n})", language, n=n
    )
    return Table.build(columns, language=language, caption=caption)


def segments_table(
    result: SatisfactionResult, *, language: str = "en", variable: str | None = None
) -> Table:
    """Each segment against the rest of the customers, measure by measure.

    Columns: Segment, Measure, Respondents, Value, 95% interval, Difference from the
    rest, Difference interval, p-value, Significant. Segments under the minimum base are
    shown as ``n < 30`` without numbers. ``variable``: one of the segment variables
    (``result.by_segment``, e.g. ``"Class"``); default the primary segment.
    """
    language = check_language(language)
    if variable is not None and variable not in result.by_segment:
        shown = ", ".join(result.by_segment) or "none"
        raise ValueError(f"`variable` must be a segment variable ({shown}); got {variable!r}.")
    s = result.segments if variable is None else result.by_segment[variable]
    if s is None or s.empty:
        return _empty(language)
    values, ci, diff, diff_ci = [], [], [], []
    small = (_word("suppressed", language) or "n < {base}").format(
        base=format_number(int(result.min_base), language, 0)
    )
    for row in s.itertuples(index=False):
        kind = _kind_of(row.measure)
        if row.suppressed:
            values.append(small)
            ci.append(None)
            diff.append(None)
            diff_ci.append(None)
            continue
        d = 0 if kind in ("nps", "share") else (2 if kind == "mean" else 1)
        values.append(_value(row.estimate, kind, language))
        ci.append(fmt_interval([row.ci_low], [row.ci_high], language, d)[0])
        diff.append(
            None
            if pd.isna(row.difference)
            else format_number(float(row.difference), language, d, signed=True)
        )
        diff_ci.append(fmt_interval([row.diff_ci_low], [row.diff_ci_high], language, d)[0])
    columns = {
        "Segment": [str(x) for x in s["segment"]],
        "Measure": [_measure(m, language) for m in s["measure"]],
        "Respondents": [int(n) for n in s["n"]],
        "Value": values,
        "95% interval": ci,
        "Difference from the rest (points)": diff,
        "Difference interval": diff_ci,
        "p-value": [
            None if sup else _p_value(p, language)
            for p, sup in zip(s["p_value"], s["suppressed"], strict=True)
        ],
        "Significant (p < 0.05)": [
            None if sup else v
            for v, sup in zip(fmt_yesno(s["significant"], language), s["suppressed"], strict=True)
        ],
    }
    n_seg = int(s["segment"].nunique())
    n = int(s.drop_duplicates("segment")["n"].sum())
    if variable is None:
        caption = _caption(
            "The {k} segments against the rest of the customers, with 95% intervals (n = {n})",
            language,
            k=n_seg,
            n=n,
        )
    else:
        caption = _caption(
            "{variable}: the {k} groups against the rest of the customers, with 95% "
            "intervals (n = {n})",
            language,
            variable=variable,
            k=n_seg,
            n=n,
        )
    return Table.build(columns, language=language, caption=caption)


def reliability_table(result: SatisfactionResult, *, language: str = "en") -> Table:
    """Cronbach's alpha of each multi-item scale, and each question's part in it."""
    language = check_language(language)
    r = result.reliability
    if r is None or r.empty:
        return _empty(language)
    columns = {
        "Scale": [_construct(x, language) for x in r["scale"]],
        "Question": [_item(x, language) for x in r["item"]],
        "Cronbach's alpha of the scale": fmt_number(r["alpha"], language, 2),
        "Alpha without the question": fmt_number(r["alpha_if_deleted"], language, 2),
        "Correlation with the other questions": fmt_number(r["item_total_r"], language, 2),
        "Flagged": fmt_yesno(r["flag"], language),
    }
    columns.update(_construct_columns(result, r, language))
    caption = _caption(
        "Reliability of the multi-item scales: Cronbach's alpha (0.7 or more "
        "is the usual bar) and each question's part (n = {n})",
        language,
        n=int(r["n"].max()),
    )
    return Table.build(columns, language=language, caption=caption)


def _construct_columns(result, r: pd.DataFrame, language: str) -> dict:
    """Composite reliability and AVE of each company.yaml construct (a dash for the
    other scales), when survey.constructs names any."""
    c = getattr(result, "constructs", None)
    if c is None or c.empty:
        return {}
    by = c.set_index("scale")
    cr = r["scale"].map(by["composite_reliability"])
    ave = r["scale"].map(by["ave"])
    return {
        "Composite reliability of the scale": fmt_number(cr, language, 2),
        "Average variance extracted": fmt_number(ave, language, 2),
    }


def attribute_effects_table(
    result: SatisfactionResult, *, labels: dict | None = None, language: str = "en"
) -> Table:
    """The first link of the chain: satisfaction index points per rating point of each
    attribute, with bootstrap intervals, largest first."""
    language = check_language(language)
    c = result.chain
    if c is None or c.empty:
        return _empty(language)
    a = c[c["stage"] == "attributes -> satisfaction"].sort_values("effect", ascending=False)
    if a.empty:
        return _empty(language)
    d = _decimals(a["effect"])
    columns = {
        "Attribute": [_node(k, labels, language) for k in a["from"]],
        "Index points per rating point": fmt_number(a["effect"], language, d),
        "95% interval": fmt_interval(a["ci_low"], a["ci_high"], language, d),
    }
    caption = _caption(
        "How much the satisfaction index (0-100) rises with one rating point "
        "more on each of the {k} attributes, with 95% bootstrap intervals "
        "(n = {n})",
        language,
        k=len(a),
        n=int(a["n"].max()),
    )
    return Table.build(columns, language=language, caption=caption)


def _outcome_unit(unit: str, currency: str, language: str) -> str:
    unit = re.sub(r"\s*per point of \S+$", "", str(unit))
    if unit.startswith("pp "):
        return _word("pp", language) or "percentage points"
    m = re.fullmatch(r"points \(([^)]*)\)", unit)
    if m:
        return (_word("points_on_scale", language) or "points ({scale})").format(scale=m.group(1))
    return unit or currency


def outcome_effects_table(result: SatisfactionResult, *, language: str = "en") -> Table:
    """The second link of the chain: what one satisfaction index point more goes with in
    loyalty, retention, revenue and profit per customer."""
    language = check_language(language)
    c = result.chain
    if c is None or c.empty:
        return _empty(language)
    o = c[c["stage"] != "attributes -> satisfaction"]
    if o.empty:
        return _empty(language)
    effects, cis = [], []
    for v, lo, hi in zip(o["effect"], o["ci_low"], o["ci_high"], strict=True):
        d = _decimals([v])
        effects.append(format_number(float(v), language, d))
        cis.append(fmt_interval([lo], [hi], language, d)[0])
    columns = {
        "Outcome": [_node(k, None, language) for k in o["to"]],
        "Per index point": effects,
        "95% interval": cis,
        "Unit": [_outcome_unit(u, result.currency, language) for u in o["unit"]],
    }
    caption = _caption(
        "What one point more on the satisfaction index goes with, with 95% "
        "bootstrap intervals (n = {n})",
        language,
        n=int(o["n"].max()),
    )
    return Table.build(columns, language=language, caption=caption)


def pls_paths_table(
    result: SatisfactionResult, *, labels: dict | None = None, language: str = "en"
) -> Table:
    """The path coefficients of the PLS model (standardised), with bootstrap intervals."""
    language = check_language(language)
    if result.pls is None or result.pls.paths is None or result.pls.paths.empty:
        return _empty(language)
    p = result.pls.paths
    columns = {
        "From": [_node(k, labels, language) for k in p["from"]],
        "To": [_node(k, labels, language) for k in p["to"]],
        "Path coefficient": fmt_number(p["coefficient"], language, 3),
        "95% interval": fmt_interval(p["ci_low"], p["ci_high"], language, 3),
    }
    caption = _caption(
        "Path coefficients of the PLS model (standardised, {k} paths), with 95% "
        "bootstrap intervals",
        language,
        k=len(p),
    )
    return Table.build(columns, language=language, caption=caption)


def pls_r2_table(result: SatisfactionResult, *, language: str = "en") -> Table:
    """The share of each explained construct's variation the PLS model explains (R²)."""
    language = check_language(language)
    if result.pls is None or result.pls.r2 is None or len(result.pls.r2) == 0:
        return _empty(language)
    r2 = result.pls.r2
    columns = {
        "Construct": [_construct(k, language) for k in r2.index],
        "Variation explained (R²)": fmt_number(r2, language, 3),
    }
    caption = _caption(
        "How much of each construct's variation the PLS model explains (R²)", language
    )
    return Table.build(columns, language=language, caption=caption)


def measures_with_change(waves: pd.DataFrame | None) -> list[str]:
    """The measures of ``result.waves`` with a change computed against a previous wave.

    A change is computed only where both waves reach the minimum base; a measure whose
    every change is suppressed (NaN) has no change to draw, so the notebook draws no
    change figure for it (and none at all when the list is empty). In the order of
    ``waves``.

    >>> import pandas as pd
    >>> waves = pd.DataFrame({"measure": ["NPS", "NPS"], "change": [float("nan")] * 2})
    >>> measures_with_change(waves)
    []
    """
    if waves is None or not len(waves):
        return []
    ok = pd.to_numeric(waves["change"], errors="coerce").notna()
    return [str(m) for m in pd.unique(waves.loc[ok, "measure"])]
