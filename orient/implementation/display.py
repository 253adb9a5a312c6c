"""Stage IV tables for readers: :func:`display_table` (an :class:`~orient.present.tables.Table`
in the report's language) for each part of :class:`~orient.implementation.ImplementationResult`.

The analysis frames keep their snake_case columns and full precision; this only presents
them: labels from the codebook, values in words, numbers rounded with their units, money
with its currency, intervals as ``low to high``. What to say where a table is empty is
:func:`orient.implementation.narrative.section_text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from orient._validate import check_choice
from orient.i18n import DASH, format_number, format_percent, message
from orient.implementation.narrative import count, flag_text, rival
from orient.present.tables import (
    Table,
    fmt_interval,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_term,
    fmt_yesno,
)

if TYPE_CHECKING:
    from orient.implementation.stage import ImplementationResult

from orient.implementation import display_study
from orient.implementation._display_common import (
    _date,
    _decimals,
    _empty,
    _heading,
    _matrix_action,
    _model_level,
    _p_value,
    _plain,
    _View,
    _view,
)

__all__ = ["TABLES", "display_table"]

#: the tables :func:`display_table` makes
TABLES = (
    "priorities",
    "technical",
    "roof",
    "flags",
    "plan",
    "money",
    "drivers",
    "investments",
    "design",
    "design_check",
    "wtp",
    "market",
    "loop",
)


def display_table(
    result: ImplementationResult,
    which: str,
    company: Any = None,
    *,
    language: str | None = None,
    labels: Mapping[str, str] | None = None,
    currency: str | None = None,
    competitor: str | None = None,
    conjoint_labels: Mapping[str, str] | None = None,
) -> Table:
    """A stage IV table as a reader sees it, in the report's language.

    Parameters
    ----------
    result : ImplementationResult
        From :func:`orient.implementation.analyse`.
    which : str
        One of :data:`TABLES`: ``"priorities"`` (the strategic matrix the plan starts
        from), ``"technical"``, ``"roof"`` and ``"flags"`` (the house of quality),
        ``"plan"`` (who does what by when) and ``"money"`` (what each action should
        return), ``"drivers"`` (the driver model), ``"investments"``, ``"design"`` and
        ``"design_check"`` (the conjoint design), ``"wtp"`` (willingness to pay),
        ``"market"`` (the market simulator) and ``"loop"`` (the improvement loop).
    company : orient.Company, optional
        Gives the defaults of the keywords below (its language, attribute labels,
        currency, main competitor, the conjoint study's labels, the plan's horizon).
    language, labels, currency, competitor, conjoint_labels : optional
        Override what ``company`` gives.

    Returns
    -------
    Table
        No rows when the part is missing (or has nothing to show): the notebook then says
        why with :func:`orient.implementation.narrative.section_text`.
    """
    which = check_choice(which, TABLES, "which")
    view = _view(company, language, labels, currency, competitor, conjoint_labels)
    return _BUILDERS[which](result, view)


def _priorities(result: ImplementationResult, view: _View) -> Table:
    m = result.matrix
    if m is None or not len(m):
        return _empty(view)
    lang = view.language
    fallback = str(result.matrix_source).startswith("fallback")
    relative = bool(m.attrs.get("relative")) and not fallback
    if "priority_rank" in m.columns:
        m = m.sort_values("priority_rank", kind="stable")
    else:
        order = {"improve": 0, "keep_advantage": 1, "maintain_or_reduce": 2, "low_priority": 3}
        m = (
            m.assign(_q=m["quadrant"].map(order))
            .sort_values(["_q", "importance"], ascending=[True, False], kind="stable")
            .drop(columns="_q")
        )
    cols: dict[str, Any] = {"Attribute": [view.label(k) for k in m.index]}
    if "priority_rank" in m.columns:
        cols["Priority"] = [int(v) for v in m["priority_rank"]]
    if fallback:
        cols["Importance (correlation with overall)"] = fmt_number(m["importance"], lang, 2)
        cols["Performance (mean rating)"] = fmt_number(m["performance"], lang, 2)
    else:
        cols["Importance (%)"] = fmt_number(m["importance"], lang, 1, scale=100)
        if relative:
            head = _heading("Gap to {rival} (points)", lang, rival=rival(view.competitor, lang))
            cols[head] = fmt_number(m["performance"], lang, 1, signed=True)
        else:
            cols["Performance (0-100)"] = fmt_number(m["performance"], lang, 1)
    cols["Quadrant"] = fmt_term(m["quadrant"], "quadrant", lang)
    actions = m["action"] if "action" in m.columns else [None] * len(m)
    cols["What it calls for"] = [
        _matrix_action(q, a, lang) for q, a in zip(m["quadrant"], actions, strict=True)
    ]
    attributes = count(len(m), "attribute", lang)
    values = {"attributes": attributes[:1].upper() + attributes[1:]}
    if fallback:
        caption = message(
            "table_captions",
            "{attributes} in the quadrants of a simple strategic matrix "
            "(importance = correlation with overall satisfaction, cuts at the means)",
            lang,
            **values,
        )
    elif relative:
        caption = message(
            "table_captions",
            "{attributes} of the stage III strategic matrix by priority: "
            "importance, gap to {rival} and quadrant",
            lang,
            rival=rival(view.competitor, lang),
            **values,
        )
    else:
        caption = message(
            "table_captions",
            "{attributes} of the stage III strategic matrix by priority: "
            "importance, performance and quadrant",
            lang,
            **values,
        )
    return Table.build(cols, language=lang, caption=caption)


# --- the house of quality ----------------------------------------------------------


def _char_names(technical: pd.DataFrame) -> dict:
    names = {}
    for key in technical.index:
        label = technical.loc[key, "label"] if "label" in technical.columns else None
        names[key] = str(label) if isinstance(label, str) and label else str(key)
    return names


def _technical(result: ImplementationResult, view: _View) -> Table:
    house = result.house
    if house is None or not len(house.technical):
        return _empty(view)
    lang = view.language
    tech = house.technical.sort_values("rank", kind="stable")
    names = _char_names(tech)
    rival_name = rival(view.competitor, lang)
    values: dict[str, list[str]] = {"current": [], "competitor": [], "target": []}
    for _, row in tech.iterrows():
        d = _decimals([row["current"], row["competitor"], row["target"]])
        for col in values:
            values[col].append(format_number(row[col], lang, d))
    units = [u if isinstance(u, str) and u else DASH for u in tech.get("unit", [None] * len(tech))]
    cols = {
        "Technical characteristic": [names[k] for k in tech.index],
        "Unit": units,
        "Rank": [int(v) for v in tech["rank"]],
        "Technical importance": fmt_number(tech["importance"], lang, 2),
        "Share of technical importance (%)": fmt_number(tech["relative"], lang, 1, scale=100),
        "Current": values["current"],
        rival_name[:1].upper() + rival_name[1:]: values["competitor"],
        "Target": values["target"],
        _heading("Better than {rival}", lang, rival=rival_name): fmt_yesno(
            tech["beats_competitor"], lang
        ),
    }
    caption = message(
        "table_captions",
        "{characteristics} by technical importance (requirement weight "
        "times link strength), with our value, the competitor's and the target",
        lang,
        characteristics=count(len(tech), "characteristic", lang),
    )
    return Table.build(cols, language=lang, caption=caption)


def _roof(result: ImplementationResult, view: _View) -> Table:
    house = result.house
    if house is None:
        return _empty(view)
    lang = view.language
    names = _char_names(house.technical)
    roof = house.roof
    a_col, b_col, effect = [], [], []
    keys = list(roof.index)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            v = int(roof.loc[a, b])
            if v:
                a_col.append(names.get(a, str(a)))
                b_col.append(names.get(b, str(b)))
                effect.append(fmt_term([f"roof_{v}"], "implementation", lang)[0])
    if not a_col:
        return _empty(view)
    caption = message(
        "table_captions",
        "The roof of the house: {pairs} of technical characteristics that help or hurt each other",
        lang,
        pairs=count(len(a_col), "pair", lang),
    )
    return Table.build(
        {
            "Technical characteristic": a_col,
            "Other characteristic": b_col,
            "Effect on the other": effect,
        },
        language=lang,
        caption=caption,
    )


def _flags(result: ImplementationResult, view: _View) -> Table:
    house = result.house
    if house is None or not len(house.flags):
        return _empty(view)
    lang = view.language
    names = _char_names(house.technical)
    concerns, meaning = [], []
    for kind, name in zip(house.flags["kind"], house.flags["name"], strict=True):
        best = 0
        if kind == "no_strong_relationship":
            concerns.append(view.label(name))
            if name in house.relationships.index:
                best = int(house.relationships.loc[name].fillna(0).max())
        elif kind == "trade_off":
            a, _, b = str(name).partition(" / ")
            concerns.append(f"{names.get(a, a)} / {names.get(b, b)}")
        else:
            concerns.append(names.get(name, str(name)))
        meaning.append(flag_text(kind, lang, strongest=best))
    caption = message(
        "table_captions",
        "Design gaps of the house of quality: {flags}",
        lang,
        flags=count(len(concerns), "flag", lang),
    )
    return Table.build(
        {
            "Flag": fmt_term(house.flags["kind"], "implementation", lang),
            "Concerns": concerns,
            "What it means": meaning,
        },
        language=lang,
        caption=caption,
    )


# --- the action plan ----------------------------------------------------------------


def _plan(result: ImplementationResult, view: _View) -> Table:
    plan = result.plan
    if plan is None or not len(plan):
        return _empty(view)
    lang = view.language
    cols: dict[str, Any] = {"Attribute": [view.label(k) for k in plan.index]}
    if "action" in plan.columns:
        cols["Action"] = [DASH if v is None else str(v) for v in plan["action"]]
    cols["Quadrant"] = fmt_term(plan["quadrant"], "quadrant", lang)
    cols["Owner"] = [DASH if v is None else str(v) for v in plan["owner"]]
    cols["KPI"] = [DASH if v is None else str(v) for v in plan["kpi"]]
    cols["KPI target"] = _plain(plan["kpi_target"], lang)
    cols["Deadline"] = [_date(v, lang) for v in plan["deadline"]]
    cols["Rating: now \u2192 target"] = [
        f"{format_number(c, lang, 2)} \u2192 {format_number(g, lang, 2)}"
        for c, g in zip(plan["current"], plan["target"], strict=True)
    ]
    caption = message(
        "table_captions",
        "Who does what by when: {actions} of the plan, with the attribute's "
        "mean rating now and its target",
        lang,
        actions=count(len(plan), "action", lang),
    )
    return Table.build(cols, language=lang, caption=caption)


def _money(result: ImplementationResult, view: _View) -> Table:
    plan = result.plan
    if plan is None or not len(plan):
        return _empty(view)
    lang = view.language
    cols: dict[str, Any] = {"Attribute": [view.label(k) for k in plan.index]}
    if result.share_outcome:  # the index gain is the change in the share satisfied
        cols["Gain in the share satisfied (percentage points)"] = fmt_number(
            plan["index_gain"], lang, 1, signed=True
        )
        cols["Interval of the gain"] = fmt_interval(
            plan["index_ci_low"], plan["index_ci_high"], lang, 1
        )
    else:
        cols["Gain in overall satisfaction (rating points)"] = fmt_number(
            plan["gain"], lang, 2, signed=True
        )
        cols["Gain in the satisfaction index (0-100 points)"] = fmt_number(
            plan["index_gain"], lang, 1, signed=True
        )
        cols["Interval of the index gain"] = fmt_interval(
            plan["index_ci_low"], plan["index_ci_high"], lang, 1
        )
    level = _model_level(result.driver_model, lang)
    money = ["cost", "annual_benefit", "roi", "payback_months"]
    if plan[money].isna().all().all():  # nothing declared: no columns of dashes
        caption = message(
            "table_captions",
            "Predicted gain if each target is reached ({level} interval); no "
            "costs or benefits are declared, so there is no return to show",
            lang,
            level=level,
        )
        return Table.build(cols, language=lang, caption=caption)
    cols |= {
        "Cost": fmt_money(plan["cost"], view.currency, lang),
        "Annual benefit": fmt_money(plan["annual_benefit"], view.currency, lang),
        "ROI": fmt_percent(plan["roi"], lang, 0),
        "Payback (months)": fmt_number(plan["payback_months"], lang, 1),
    }
    if view.horizon_years:
        caption = message(
            "table_captions",
            "What each action should return if its target is reached: "
            "predicted gain ({level} interval), cost, annual benefit, ROI over {years} and "
            "payback",
            lang,
            level=level,
            years=count(view.horizon_years, "year", lang),
        )
    else:
        caption = message(
            "table_captions",
            "What each action should return if its target is reached: "
            "predicted gain ({level} interval), cost, annual benefit, ROI and "
            "payback",
            lang,
            level=level,
        )
    return Table.build(cols, language=lang, caption=caption)


def _drivers(result: ImplementationResult, view: _View) -> Table:
    model = result.driver_model
    if model is None or not len(model):
        return _empty(view)
    lang = view.language
    m = model.sort_values("estimate", ascending=False, kind="stable")
    cols: dict[str, Any] = {"Attribute": [view.label(k) for k in m.index]}
    values = {
        "n": int(model["n"].max()),
        "r2": format_number(model.attrs.get("r2"), lang, 2),
        "level": _model_level(model, lang),
    }
    if result.share_outcome:
        lo, hi = map(float, result.overall_scale)
        k = 100.0 / (hi - lo)  # a change in the mean of a 0/1 item is a change in its share
        cols["Effect (percentage points of the share satisfied per rating point)"] = fmt_number(
            m["estimate"] * k, lang, 1, signed=True
        )
        cols["Interval"] = fmt_interval(m["ci_low"] * k, m["ci_high"] * k, lang, 1)
        caption = message(
            "table_captions",
            "Driver model of the share satisfied on the ratings of the attributes, a "
            "linear probability model (n = {n}, R\u00b2 = {r2}; {level} intervals)",
            lang,
            **values,
        )
    else:
        cols["Effect (points of overall satisfaction per rating point)"] = fmt_number(
            m["estimate"], lang, 3, signed=True
        )
        cols["Interval"] = fmt_interval(m["ci_low"], m["ci_high"], lang, 3)
        caption = message(
            "table_captions",
            "Driver model of overall satisfaction on the ratings of the "
            "attributes (n = {n}, R\u00b2 = {r2}; {level} intervals)",
            lang,
            **values,
        )
    cols["p-value"] = _p_value(m["p_value"], lang)
    return Table.build(cols, language=lang, caption=caption)


# --- investments ------------------------------------------------------------------


def _investments(result: ImplementationResult, view: _View) -> Table:
    inv = result.investments
    if inv is None or not len(inv):
        return _empty(view)
    lang = view.language
    payback = []
    for months, years in zip(inv["payback_months"], inv["years"], strict=True):
        if np.isfinite(months):
            payback.append(format_number(months, lang, 1))
        else:
            payback.append(
                message(
                    "implementation", "not within {years}", lang, years=count(years, "year", lang)
                )
            )
    cols: dict[str, Any] = {
        "Investment": [str(k) for k in inv.index],
        "Kind": fmt_term(inv["kind"], "implementation", lang),
        "Cost": fmt_money(inv["cost"], view.currency, lang),
        "Net benefit (undiscounted)": fmt_money(inv["total_benefit"], view.currency, lang),
        "Payback (months)": payback,
        "ROI": fmt_percent(inv["roi"], lang, 0),
        "NPV": fmt_money(inv["npv"], view.currency, lang),
        "IRR": fmt_percent(inv["irr"], lang, 0),
    }
    counted = count(len(inv), "investment", lang)
    same = inv["years"].nunique() == 1 and inv["discount_rate"].nunique() == 1
    if same:
        caption = message(
            "table_captions",
            "Appraisal of {investments} over {years} at a {rate} discount "
            "rate: payback, ROI, net present value (NPV) and internal rate of return "
            "(IRR)",
            lang,
            investments=counted,
            years=count(inv["years"].iloc[0], "year", lang),
            rate=format_percent(
                inv["discount_rate"].iloc[0],
                lang,
                _decimals([100 * inv["discount_rate"].iloc[0]], 1),
            ),
        )
    else:
        cols["Years"] = [int(v) for v in inv["years"]]
        cols["Discount rate"] = fmt_percent(inv["discount_rate"], lang, 1)
        caption = message(
            "table_captions",
            "Appraisal of {investments}: payback, ROI, net present value "
            "(NPV) and internal rate of return (IRR)",
            lang,
            investments=counted,
        )
    return Table.build(cols, language=lang, caption=caption)


# --- conjoint -----------------------------------------------------------------------


_BUILDERS = {
    "priorities": _priorities,
    "technical": _technical,
    "roof": _roof,
    "flags": _flags,
    "plan": _plan,
    "money": _money,
    "drivers": _drivers,
    "investments": _investments,
    "design": display_study._design,
    "design_check": display_study._design_check,
    "wtp": display_study._wtp,
    "market": display_study._market,
    "loop": display_study._loop,
}
