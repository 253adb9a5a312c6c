"""Tables and sentences of the complaints analytics, in the report's language.

Built from :class:`~orient.operations.service.complaints_analytics.ComplaintsResult`
(``ServiceResult.complaints``); a part whose columns the register lacks gives no
sentence and an empty Table. Sentences use the catalog context ``complaints``.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from orient.i18n import message
from orient.i18n.sentences import p_value_text
from orient.present.tables import Table, fmt_interval, fmt_number, fmt_percent

__all__ = [
    "breakdown_table",
    "deadline_sentences",
    "times_table",
    "trend_sentences",
    "trend_table",
]


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def _level(confidence: float) -> str:
    return f"{round(100 * confidence)}%"


def times_table(complaints: Any, language: str = "en") -> Table:
    """Days to the first response and to closure: median with its interval, quartiles,
    the 90th percentile and the complaints still waiting."""
    if complaints is None or complaints.times is None:
        return _empty(language)
    t = complaints.times
    names = {
        "response": message("complaints", "Time to the company's response", language),
        "closure": message("complaints", "Time to closure", language),
    }
    cols = {
        "Measure": [names[m] for m in t["measure"]],
        "Complaints": fmt_number(t["n"], language, 0),
        "Still waiting": fmt_number(t["pending"], language, 0),
        "Median (days)": fmt_number(t["median"], language, 1),
        "Interval of the median (days)": fmt_interval(
            t["median_low"], t["median_high"], language, 1
        ),
        "Quartiles (days)": fmt_interval(t["q25"], t["q75"], language, 1),
        "9 in 10 within (days)": fmt_number(t["p90"], language, 1),
    }
    caption = message(
        "table_captions",
        "Days from receipt to the company's response and to closure "
        "({level} distribution-free interval of the median)",
        language,
        level=_level(complaints.confidence),
    )
    return Table.build(cols, language=language, caption=caption)


def deadline_sentences(complaints: Any, language: str = "en") -> list[str]:
    """The share closed within the company's own deadline (only when company.yaml
    declares one and the register records closure dates)."""
    if complaints is None or complaints.deadline is None or not complaints.deadline["n"]:
        return []
    d = complaints.deadline
    return [
        message(
            "complaints",
            "Closed within the company's own deadline of {days} days: {share:.1f}% of the "
            "{n} complaints due by now ({level} interval {low:.1f}% to {high:.1f}%); "
            "{late} are still open past it.",
            language,
            days=d["days"],
            share=d["share"] * 100,
            n=int(d["n"]),
            level=_level(complaints.confidence),
            low=d["ci_low"] * 100,
            high=d["ci_high"] * 100,
            late=int(d["open_late"]),
        )
    ]


_BY_HEADING = {"product": "Product", "channel": "Channel", "category": "Category"}


def _by_word(by: str, language: str) -> str:
    words = {
        "product": message("complaints", "product", language),
        "channel": message("complaints", "channel", language),
        "category": message("complaints", "category", language),
    }
    return words[by]


def breakdown_table(complaints: Any, by: str, language: str = "en") -> Table:
    """Complaints by product, channel or category: count, share, timely and disputed
    shares with intervals (blank under the minimum base), median days to closure."""
    if complaints is None or by not in complaints.breakdowns:
        return _empty(language)
    b = complaints.breakdowns[by]
    status = any(f"{f}_share" in b.columns for f in ("timely", "disputed"))
    if len(b) < 2 or (by == "category" and not status):  # categories alone: the claims table
        return _empty(language)
    group = [
        message("complaints", "(not recorded)", language) if g == "(not recorded)" else g
        for g in b["group"]
    ]
    cols: dict[str, Any] = {
        _BY_HEADING[by]: group,
        "Complaints": fmt_number(b["complaints"], language, 0),
        "Share of all (%)": fmt_percent(b["share_of_all"], language, 1),
    }
    for field, heading in (("timely", "Answered on time"), ("disputed", "Disputed")):
        if f"{field}_share" in b.columns:
            cols[f"{heading} (%)"] = fmt_percent(b[f"{field}_share"], language, 1)
            cols[f"{heading}: interval (%)"] = fmt_interval(
                b[f"{field}_low"], b[f"{field}_high"], language, 1, percent=True
            )
    if "median_closure_days" in b.columns:
        cols["Median days to closure"] = fmt_number(b["median_closure_days"], language, 1)
    caption = message(
        "table_captions",
        "Complaints by {by}, most frequent first ({level} Wilson intervals; shares are "
        "shown for groups of at least {base} complaints)",
        language,
        by=_by_word(by, language),
        level=_level(complaints.confidence),
        base=complaints.min_base,
    )
    return Table.build(cols, language=language, caption=caption)


def trend_table(complaints: Any, language: str = "en") -> Table:
    """The monthly trend of all complaints and of each frequent category."""
    if complaints is None or complaints.trend is None or not len(complaints.trend):
        return _empty(language)
    t = complaints.trend
    group = [
        message("complaints", "All complaints", language)
        if g == "all"
        else message("complaints", "(not recorded)", language)
        if g == "(not recorded)"
        else g
        for g in t["group"]
    ]
    cols = {
        "Category": group,
        "Complaints": fmt_number(t["total"], language, 0),
        "Months": fmt_number(t["periods"], language, 0),
        "Change per month (%)": fmt_percent(t["change"], language, 1, signed=True),
        "Interval (%)": fmt_interval(t["change_low"], t["change_high"], language, 1, percent=True),
        "p-value": [None if pd.isna(p) else p_value_text(p, language) for p in t["p_value"]],
    }
    caption = message(
        "table_captions",
        "Monthly trend of complaints (Poisson log-linear fit over whole months, {level} "
        "intervals; categories with at least {base} complaints)",
        language,
        level=_level(complaints.confidence),
        base=complaints.min_base,
    )
    return Table.build(cols, language=language, caption=caption)


def trend_sentences(complaints: Any, language: str = "en") -> list[str]:
    """Whether complaints are rising or falling, and the category rising fastest."""
    if complaints is None or complaints.trend is None or not len(complaints.trend):
        return []
    t = complaints.trend.set_index("group")
    out = []
    if "all" in t.index and pd.notna(t.loc["all", "p_value"]):
        r = t.loc["all"]
        values = {
            "change": abs(r["change"]) * 100,
            "months": int(r["periods"]),
            "p": p_value_text(r["p_value"], language),
        }
        if r["p_value"] >= 0.05:
            out.append(
                message(
                    "complaints",
                    "The number of complaints shows no clear trend over {months} months ({p}).",
                    language,
                    **values,
                )
            )
        elif r["change"] > 0:
            out.append(
                message(
                    "complaints",
                    "Complaints are rising by about {change:.1f}% a month over {months} "
                    "months ({p}).",
                    language,
                    **values,
                )
            )
        else:
            out.append(
                message(
                    "complaints",
                    "Complaints are falling by about {change:.1f}% a month over {months} "
                    "months ({p}).",
                    language,
                    **values,
                )
            )
    cats = t.drop(index="all", errors="ignore")
    cats = cats[(cats["p_value"] < 0.05) & (cats["change"] > 0)]
    if len(cats):
        top = cats["change"].idxmax()
        out.append(
            message(
                "complaints",
                "Rising fastest: {category}, about {change:.1f}% more complaints each month.",
                language,
                category=str(top),
                change=cats.loc[top, "change"] * 100,
            )
        )
    return out
