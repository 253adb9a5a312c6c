"""Stage III tables for readers: :func:`display_table` returns an
:class:`orient.present.tables.Table` in the report's language (labelled headings, rounded
numbers with their units, intervals as ``low to high``, values in words)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orient._validate import check_choice
from orient.i18n import check_language, message, translator
from orient.present.tables import (
    Table,
    fmt_interval,
    fmt_number,
    fmt_term,
    fmt_yesno,
    value_word,
)
from orient.priorities.matrix import ACTIONS

if TYPE_CHECKING:
    from orient.priorities.stage import PrioritiesResult

__all__ = ["display_table"]

_WHICH = ("drivers", "performance", "segments", "factors", "priorities")


def _caption(text: str, language: str, /, **values: Any) -> str:
    return message("table_captions", text, language, **values)


def _heading(text: str, language: str, /, **values: Any) -> str:
    return message("terms.columns", text, language, **values)


def _action(quadrant: str, do_not_cut: bool, language: str) -> str:
    """The quadrant's action (:data:`ACTIONS`) in ``language``, with the "do not cut" warning."""
    tr = translator(language)
    words = (
        ACTIONS[quadrant] if language == "en" else tr.pgettext("terms.values", ACTIONS[quadrant])
    )
    if do_not_cut:
        warn = "Do not cut: it hurts when it slips."
        words += " " + (warn if language == "en" else tr.pgettext("terms.values", warn))
    return words


def display_table(
    result: PrioritiesResult, which: str = "priorities", language: str = "en"
) -> Table:
    """A stage III table as a reader sees it, in ``language``.

    The analysis tables (``result.drivers`` etc.) keep full precision and snake_case
    columns; this only presents them: the attribute's label in the first column,
    numbers rounded with their units in the headings, intervals as ``low to high``,
    quadrants and factor types in words, a caption that says what the table holds.

    Parameters
    ----------
    result : PrioritiesResult
    which : {"drivers", "performance", "segments", "factors", "priorities"}
        ``"segments"`` is the gap to the competitor by segment (attributes in rows,
        segments in columns, signed; suppressed small bases shown as an en dash).
        ``"factors"`` has no rows when the penalty-reward analysis could not be run.
    language : {"en", "ru"}
        The report's language (``company.language``).

    Returns
    -------
    Table
    """
    which = check_choice(which, _WHICH, "which")
    check_language(language)
    return {
        "drivers": _drivers,
        "performance": _performance,
        "segments": _segments,
        "factors": _factors,
        "priorities": _priorities,
    }[which](result, language)


def _drivers(result: PrioritiesResult, language: str) -> Table:
    lab = result.labels
    d = result.drivers.sort_values("rank")
    n = d.attrs.get("n")
    cols: dict[str, Any] = {
        "Attribute": [lab.get(k, k) for k in d.index],
        "Share of explained variation (%)": fmt_number(d["share"], language, 1, scale=100),
    }
    boot = "share_ci_low" in d.columns
    if boot:
        cols["95% interval (%)"] = fmt_interval(
            d["share_ci_low"], d["share_ci_high"], language, 1, scale=100
        )
    cols["Rank"] = fmt_number(d["rank"], language, 0)
    if boot:
        cols["Rank range (95%)"] = fmt_interval(d["rank_ci_low"], d["rank_ci_high"], language, 0)
        text = (
            "Derived importance of the {k} attributes: share of the explained variation in "
            "overall satisfaction, with 95% bootstrap intervals (n = {n})"
        )
    else:
        text = (
            "Derived importance of the {k} attributes: share of the explained variation in "
            "overall satisfaction (n = {n})"
        )
    caption = _caption(text, language, k=len(d), n=int(n) if n is not None else "–")
    return Table.build(cols, language=language, caption=caption)


def _rival(result: PrioritiesResult, language: str) -> str:
    if result.competitor:
        return result.competitor
    return message("terms.plots", "the competitor", language)


def _performance(result: PrioritiesResult, language: str) -> Table:
    perf = result.performance
    rival = _rival(result, language)
    p = perf[perf["segment"] == "all"].sort_values("gap")
    cols = {
        "Attribute": p["label"].tolist(),
        "Our score (0-100)": fmt_number(p["own"], language, 1),
        _heading("{rival} (0-100)", language, rival=rival): fmt_number(
            p["competitor"], language, 1
        ),
        "Gap (points)": fmt_number(p["gap"], language, 1, signed=True),
        "Gap, 95% interval (points)": fmt_interval(p["ci_low"], p["ci_high"], language, 1),
        "Respondents": fmt_number(p["n"], language, 0),
    }
    caption = _caption(
        "Our score and {rival}'s on each attribute (0-100, all respondents), "
        "with the gap and its 95% confidence interval (n = {n})",
        language,
        rival=rival,
        n=int(p["n"].max()) if len(p) else 0,
    )
    return Table.build(cols, language=language, caption=caption)


def _segments(result: PrioritiesResult, language: str) -> Table:
    perf = result.performance
    rival = _rival(result, language)
    wide = perf.pivot(index="label", columns="segment", values="gap")
    order = perf[perf["segment"] == "all"]["label"]
    segments = list(perf["segment"].drop_duplicates())
    wide = wide.reindex(order)[segments]
    bases = perf.groupby("segment")["n"].min()
    cols: dict[str, Any] = {"Attribute": list(wide.index)}
    for s in segments:
        head = (
            "All respondents"
            if s == "all"
            else _heading("{segment} (n ≥ {n})", language, segment=s, n=int(bases[s]))
        )
        cols[head] = fmt_number(wide[s], language, 1, signed=True)
    caption = _caption(
        "Gap to {rival} by customer segment (points on 0-100; "
        "n: the smallest base of the segment's attributes)",
        language,
        rival=rival,
    )
    return Table.build(cols, language=language, caption=caption)


def _factor_words(values: Any, language: str) -> list[str]:
    """Factor types in words; ``unclear`` (a pattern the data do not support) and
    ``no_effect`` included."""
    return [
        value_word("truth", v, language)
        if v in ("unclear", "no_effect")
        else fmt_term([v], "factor", language)[0]
        for v in values
    ]


def _factors(result: PrioritiesResult, language: str) -> Table:
    f = result.factors
    heads = (
        "Attribute",
        "Penalty when rated low (points)",
        "Penalty, 95% interval",
        "Reward when rated high (points)",
        "Reward, 95% interval",
        "Factor type",
    )
    if f is None or f.empty:
        return Table.build({h: [] for h in heads}, language=language)
    lab = result.labels
    cols = dict(
        zip(
            heads,
            (
                [lab.get(k, k) for k in f.index],
                fmt_number(f["penalty"], language, 2),
                fmt_interval(f["penalty_ci_low"], f["penalty_ci_high"], language, 2),
                fmt_number(f["reward"], language, 2),
                fmt_interval(f["reward_ci_low"], f["reward_ci_high"], language, 2),
                _factor_words(f["factor"], language),
            ),
            strict=True,
        )
    )
    caption = _caption(
        "Drop in overall satisfaction when each attribute is rated low and rise "
        "when it is rated high (scale points), and the factor type it implies",
        language,
    )
    return Table.build(cols, language=language, caption=caption)


def _priorities(result: PrioritiesResult, language: str) -> Table:
    t = result.priorities
    rival = _rival(result, language)
    perf_head = (
        _heading("Gap to {rival} (points)", language, rival=rival)
        if result.relative
        else "Performance (0-100)"
    )
    cols = {
        "Attribute": t["label"].tolist(),
        "Priority": fmt_number(t["priority_rank"], language, 0),
        "Importance (%)": fmt_number(t["importance"], language, 1, scale=100),
        perf_head: fmt_number(t["performance"], language, 1, signed=result.relative),
        "Quadrant": fmt_term(t["quadrant"], "quadrant", language),
    }
    notes = []
    if _has_intervals(t):
        cols["Near the line"] = fmt_yesno(t["near_line"].fillna(False).astype(bool), language)
        notes.append(
            translator(language).pgettext(
                "priorities",
                "Near the line: the attribute's importance or performance interval contains "
                "the cut of the matrix, so within the noise of the survey its quadrant is not "
                "established.",
            )
        )
    cols["Factor type"] = _factor_words(t["factor"], language)
    cols["Action"] = [
        _action(q, bool(c), language) for q, c in zip(t["quadrant"], t["do_not_cut"], strict=True)
    ]
    caption = _caption(
        "The {k} attributes in the order to act on them: importance, "
        "performance, the matrix field and what it asks for",
        language,
        k=len(t),
    )
    return Table.build(cols, language=language, caption=caption, notes=notes)


def _has_intervals(t: Any) -> bool:
    """Whether the priorities carry an importance or performance interval to judge by."""
    if "near_line" not in t.columns:
        return False
    cis = [
        c
        for c in (
            "importance_ci_low",
            "importance_ci_high",
            "performance_ci_low",
            "performance_ci_high",
        )
        if c in t.columns
    ]
    return bool(cis) and bool(t[cis].notna().any().any())
