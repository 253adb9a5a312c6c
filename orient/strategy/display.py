"""Stage I tables for readers, in the report's language.

Each function takes a frame of :class:`~orient.strategy.StrategyResult` and returns an
:class:`orient.present.tables.Table`: goals and segments by their labels, internal values
in words (``values.strategy`` and ``values.status`` of ``orient/i18n/texts.yaml``),
numbers rounded with their units in the headings, a caption that says what the table
holds. The scorecard and the segment portfolio are each two tables (what the goals or
segments are; where they stand), so that no table is too wide to read on a page.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.i18n import check_language, format_number, format_percent, translator
from orient.present.tables import Table, fmt_number, fmt_term, value_word

__all__ = [
    "conflicts_table",
    "goals_table",
    "incentives_table",
    "perspectives_table",
    "portfolio_table",
    "scorecard_table",
    "segment_profile_table",
]

_WORDS = "strategy"  # the value words of stage I (texts.yaml: values.strategy)


def _n(value: int, language: str) -> str:
    return format_number(int(value), language, 0)


def _row_decimals(values: Sequence[float]) -> int:
    """Decimals for the numbers of one KPI: 0 from 100, 1 from 10, else 2."""
    finite = [abs(float(v)) for v in values if v is not None and np.isfinite(v)]
    largest = max(finite, default=0.0)
    return 0 if largest >= 100 else 1 if largest >= 10 else 2


def _with_unit(label: str, unit: str) -> str:
    return f"{label} ({unit})" if unit else str(label)


def _goal_labels(scorecard: pd.DataFrame | None) -> dict:
    if scorecard is None or "label" not in scorecard:
        return {}
    return {k: str(v) for k, v in scorecard["label"].items()}


# --- the goals -----------------------------------------------------------------------


def goals_table(scorecard: pd.DataFrame, *, language: str = "en") -> Table:
    """The goals of the scorecard: perspective, owner and share of the total weight.

    One row per goal (its label), in the scorecard's order; columns ``Perspective``,
    ``Owner`` and ``Weight (%)`` (share of the total weight, one decimal).
    """
    check_dataframe(scorecard, "scorecard")
    check_columns(scorecard, ["label", "perspective", "owner", "weight"], "scorecard")
    check_language(language)
    caption = (
        translator(language)
        .pgettext(
            "table_captions",
            "Goals of the balanced scorecard ({n} in all): perspective, owner and share of the "
            "total weight",
        )
        .format(n=_n(len(scorecard), language))
    )
    return Table.build(
        {
            "Goal": scorecard["label"].astype(str),
            "Perspective": fmt_term(scorecard["perspective"], _WORDS, language),
            "Owner": scorecard["owner"].astype(str),
            "Weight (%)": fmt_number(scorecard["weight"], language, 1, scale=100),
        },
        language=language,
        caption=caption,
    )


def scorecard_table(scorecard: pd.DataFrame, *, language: str = "en") -> Table:
    """The progress of each goal from its baseline to its target, as a reader sees it.

    One row per goal: its label with the KPI's unit, then ``Baseline``, ``Target value``
    and ``Current`` (rounded alike within a goal: no decimal from 100, one from 10, else
    two), ``Source`` of the current value (in words), ``Attainment (%)`` (share of the
    planned change achieved) and ``Status`` (in words). A goal without a current value
    shows an en dash. The goals' perspective, owner and weight are
    :func:`goals_table`'s.
    """
    check_dataframe(scorecard, "scorecard")
    check_columns(
        scorecard,
        ["label", "unit", "baseline", "target", "current", "source", "attainment", "status"],
        "scorecard",
    )
    check_language(language)
    cells: dict[str, list] = {"baseline": [], "target": [], "current": []}
    for _, row in scorecard.iterrows():
        d = _row_decimals([row["baseline"], row["target"], row["current"]])
        for name in cells:
            cells[name].append(format_number(row[name], language, d))
    source = [None if s == "none" else s for s in scorecard["source"]]
    caption = (
        translator(language)
        .pgettext(
            "table_captions",
            "Progress of each goal ({n} in all) from its baseline to its target value, and where "
            "its current value comes from",
        )
        .format(n=_n(len(scorecard), language))
    )
    return Table.build(
        {
            "Goal (unit)": [
                _with_unit(lab, unit)
                for lab, unit in zip(scorecard["label"], scorecard["unit"].fillna(""), strict=True)
            ],
            "Baseline": cells["baseline"],
            "Target value": cells["target"],
            "Current": cells["current"],
            "Source": fmt_term(source, _WORDS, language),
            "Attainment (%)": fmt_number(scorecard["attainment"], language, 0, scale=100),
            "Status": fmt_term(scorecard["status"], "status", language),
        },
        language=language,
        caption=caption,
    )


def perspectives_table(perspectives: pd.DataFrame, *, language: str = "en") -> Table:
    """Goals, weight and attainment by balanced-scorecard perspective.

    One row per perspective (:func:`~orient.strategy.perspective_summary`, in words):
    ``Goals``, ``Weight (%)``, ``Attainment (%)`` (en dash when no goal of the
    perspective is measured) and the goals ``On track``, ``At risk``, ``Off track`` and
    ``No data``.
    """
    check_dataframe(perspectives, "perspectives")
    check_columns(
        perspectives,
        ["n_goals", "weight", "attainment", "on_track", "at_risk", "off_track", "no_data"],
        "perspectives",
    )
    check_language(language)
    caption = (
        translator(language)
        .pgettext(
            "table_captions",
            "Weight and attainment of the goals ({n} in all) by perspective of the balanced "
            "scorecard",
        )
        .format(n=_n(perspectives["n_goals"].sum(), language))
    )
    return Table.build(
        {
            "Perspective": fmt_term(perspectives.index, _WORDS, language),
            "Goals": perspectives["n_goals"].astype(int).tolist(),
            "Weight (%)": fmt_number(perspectives["weight"], language, 1, scale=100),
            "Attainment (%)": fmt_number(perspectives["attainment"], language, 0, scale=100),
            "On track": perspectives["on_track"].astype(int).tolist(),
            "At risk": perspectives["at_risk"].astype(int).tolist(),
            "Off track": perspectives["off_track"].astype(int).tolist(),
            "No data": perspectives["no_data"].astype(int).tolist(),
        },
        language=language,
        caption=caption,
    )


def conflicts_table(
    conflicts: pd.DataFrame, scorecard: pd.DataFrame | None = None, *, language: str = "en"
) -> Table:
    """Goals that pull against stage III's priorities or against each other.

    One row per finding of :func:`~orient.strategy.goal_conflicts`: the goal (its label
    from ``scorecard``; "the scorecard as a whole" for a perspective without a goal),
    ``Severity`` (conflict or caution, in words) and the ``Reason`` (the sentence, which
    names the attribute and any other goal).
    """
    check_dataframe(conflicts, "conflicts")
    check_columns(conflicts, ["goal", "severity", "reason"], "conflicts")
    check_language(language)
    labels = _goal_labels(scorecard)
    whole = value_word(_WORDS, "whole_scorecard", language)
    goals = [
        whole if g is None or (isinstance(g, float) and np.isnan(g)) else labels.get(g, g)
        for g in conflicts["goal"]
    ]
    caption = (
        translator(language)
        .pgettext(
            "table_captions",
            "Goals that pull against stage III's priorities or against each other (findings: {n})",
        )
        .format(n=_n(len(conflicts), language))
    )
    return Table.build(
        {
            "Goal": goals,
            "Severity": fmt_term(conflicts["severity"], _WORDS, language),
            "Reason": conflicts["reason"].astype(str),
        },
        language=language,
        caption=caption,
    )


def incentives_table(
    incentives: pd.DataFrame, scorecard: pd.DataFrame | None = None, *, language: str = "en"
) -> Table:
    """What each owner's incentive rests on: one row per owner.

    Columns: the owner, ``Goals (share of the incentive)`` (the owner's goals by label,
    largest share first, each with its share when the owner has more than one),
    ``Attainment (%)`` (the owner's weighted attainment, each goal capped to 0-100%) and
    ``Customer goals (% of the incentive)``.
    """
    check_dataframe(incentives, "incentives")
    check_columns(
        incentives, ["owner", "goal", "weight", "owner_attainment", "customer_weight"], "incentives"
    )
    check_language(language)
    labels = _goal_labels(scorecard)
    owners, goals, attainment, customer = [], [], [], []
    for owner, part in incentives.groupby("owner", sort=False):
        owners.append(str(owner))
        names = [labels.get(g, str(g)) for g in part["goal"]]
        if len(part) == 1:
            goals.append(names[0])
        else:
            goals.append(
                "; ".join(
                    f"{name} ({format_percent(w, language, 0)})"
                    for name, w in zip(names, part["weight"], strict=True)
                )
            )
        attainment.append(part["owner_attainment"].iloc[0])
        customer.append(part["customer_weight"].iloc[0])
    caption = (
        translator(language)
        .pgettext(
            "table_captions",
            "What the incentive of each owner ({n} in all) rests on, and how much of it is "
            "customer goals",
        )
        .format(n=_n(len(owners), language))
    )
    return Table.build(
        {
            "Owner": owners,
            "Goals (share of the incentive)": goals,
            "Attainment (%)": fmt_number(attainment, language, 0, scale=100),
            "Customer goals (% of the incentive)": fmt_number(customer, language, 0, scale=100),
        },
        language=language,
        caption=caption,
    )


# --- the segments --------------------------------------------------------------------


def _small_base_note(portfolio: pd.DataFrame, language: str) -> tuple[str, ...]:
    if "small_base" in portfolio and portfolio["small_base"].fillna(False).astype(bool).any():
        return (
            translator(language).pgettext(
                "table_notes", "Small base: too few respondents in the segment for firm scores."
            ),
        )
    return ()


def segment_profile_table(portfolio: pd.DataFrame, *, language: str = "en") -> Table:
    """What the segments are: size, revenue, margin, growth, satisfaction, gap.

    One row per segment (its label) of :func:`~orient.strategy.segment_portfolio` (or
    :func:`~orient.strategy.segment_profile`): ``Respondents`` (marked when the base is
    small), ``Customers (%)``, ``Revenue (%)``, ``Margin (%)``, ``Market growth (% a
    year)``, ``Satisfaction index (0-100)`` and ``Gap to competitor (points)`` (our
    score minus the competitor's; the column is left out when no segment has competitor
    ratings, and the caption then names no competitor), one decimal.
    """
    check_dataframe(portfolio, "portfolio")
    check_columns(
        portfolio,
        [
            "label",
            "n",
            "size_share",
            "revenue_share",
            "margin",
            "growth",
            "satisfaction_index",
            "competitive_gap",
        ],
        "portfolio",
    )
    check_language(language)
    small = (
        portfolio["small_base"].fillna(False).astype(bool)
        if "small_base" in portfolio
        else pd.Series(False, index=portfolio.index)
    )
    mark = value_word(_WORDS, "small_base", language)
    respondents = [
        _n(n, language) + (f" ({mark})" if s else "")
        for n, s in zip(portfolio["n"], small, strict=True)
    ]
    rated = pd.to_numeric(portfolio["competitive_gap"], errors="coerce").notna().any()
    caption = (
        translator(language)
        .pgettext(
            "table_captions",
            "What the customer segments ({k} in all) are: size, revenue, margin, market growth, "
            "satisfaction and gap to the main competitor (n = {n} respondents)"
            if rated
            else "What the customer segments ({k} in all) are: size, revenue, margin, market "
            "growth and satisfaction (n = {n} respondents)",
        )
        .format(k=_n(len(portfolio), language), n=_n(portfolio["n"].sum(), language))
    )
    columns = {
        "Segment": portfolio["label"].astype(str),
        "Respondents": respondents,
        "Customers (%)": fmt_number(portfolio["size_share"], language, 1),
        "Revenue (%)": fmt_number(portfolio["revenue_share"], language, 1),
        "Margin (%)": fmt_number(portfolio["margin"], language, 1),
        "Market growth (% a year)": fmt_number(portfolio["growth"], language, 1),
        "Satisfaction index (0-100)": fmt_number(portfolio["satisfaction_index"], language, 1),
    }
    if rated:  # without competitor ratings the column would be dashes only
        columns["Gap to competitor (points)"] = fmt_number(
            portfolio["competitive_gap"], language, 1, signed=True
        )
    return Table.build(
        columns, language=language, caption=caption, notes=_small_base_note(portfolio, language)
    )


def portfolio_table(
    portfolio: pd.DataFrame, direction: pd.DataFrame | None = None, *, language: str = "en"
) -> Table:
    """Where the segments stand in the portfolio and what each calls for.

    One row per segment (its label, marked when the base is small):
    ``Attractiveness (0-100)`` and ``Ability to satisfy (0-100)`` (scores against the
    segments' average, 50; no decimal), the ``Recommendation`` of the nine-box matrix
    and, with ``direction`` (:func:`~orient.strategy.segment_direction`), the
    ``Direction`` (incremental improvement or innovation), in words. What the segments
    measure is :func:`segment_profile_table`'s.
    """
    check_dataframe(portfolio, "portfolio")
    check_columns(portfolio, ["label", "attractiveness", "ability", "recommendation"], "portfolio")
    check_language(language)
    small = (
        portfolio["small_base"].fillna(False).astype(bool)
        if "small_base" in portfolio
        else pd.Series(False, index=portfolio.index)
    )
    mark = value_word(_WORDS, "small_base", language)
    columns = {
        "Segment": [
            f"{lab} ({mark})" if s else str(lab)
            for lab, s in zip(portfolio["label"], small, strict=True)
        ],
        "Attractiveness (0-100)": fmt_number(portfolio["attractiveness"], language, 0),
        "Ability to satisfy (0-100)": fmt_number(portfolio["ability"], language, 0),
        "Recommendation": fmt_term(portfolio["recommendation"], _WORDS, language),
    }
    if direction is not None:
        check_dataframe(direction, "direction")
        check_columns(direction, ["direction"], "direction")
        columns["Direction"] = fmt_term(
            direction["direction"].reindex(portfolio.index), _WORDS, language
        )
    caption = (
        translator(language)
        .pgettext(
            "table_captions",
            "Portfolio scores of the segments ({k} in all; 50 = the segments' average) and the "
            "strategy each one calls for",
        )
        .format(k=_n(len(portfolio), language))
    )
    return Table.build(
        columns, language=language, caption=caption, notes=_small_base_note(portfolio, language)
    )
