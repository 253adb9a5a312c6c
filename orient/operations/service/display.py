"""Service-centre and claims tables for readers: each a :class:`orient.present.tables.Table`
in the report's language (``result.language``), built from a
:class:`~orient.operations.service.stage.ServiceResult`.

The result's frames keep full precision; these functions only present them. A part
whose table is absent gives an empty Table (``table.empty``), which a notebook does not
show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from orient._validate import check_choice
from orient.i18n import format_money, message, sentence
from orient.i18n.sentences import p_value_text
from orient.operations.service.centre import day_by_hour
from orient.operations.service.roster import clock
from orient.present.tables import Table, fmt_interval, fmt_money, fmt_number, fmt_percent

if TYPE_CHECKING:
    from orient.operations.service.stage import ServiceResult

__all__ = [
    "backlog_table",
    "breakdown_table",
    "centre_sentences",
    "partial_day_sentences",
    "day_table",
    "deadline_sentences",
    "hours_table",
    "roster_table",
    "times_table",
    "trend_sentences",
    "trend_table",
    "claims_category_table",
    "claims_not_recorded",
    "target_defaults",
    "complaint_responses_table",
    "figures_table",
    "resolution_table",
    "short_staffed_table",
]


def _caption(text: str, language: str, /, **values: Any) -> str:
    return message("table_captions", text, language, **values)


def _heading(text: str, language: str, /, **values: Any) -> str:
    return message("terms.columns", text, language, **values)


def _money_head(text: str, currency: str | None, language: str) -> str:
    if not currency:
        return _heading(text, language)
    return _heading(text + " ({currency})", language, currency=currency)


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def figures_table(result: ServiceResult, part: str, *, currency: str = "") -> Table:
    """The key figures of ``part`` ("calls" or "claims"): :func:`key_figures` as a Table."""
    from orient.operations.service.stage import key_figures

    check_choice(part, ("calls", "claims"), "part")
    language = result.language
    kf = key_figures(result, part=part, currency=currency)
    if kf.empty:
        return _empty(language)
    text = (
        "Key figures of the call centre over the period of the call data"
        if part == "calls"
        else "Key figures of claims handling over the period of the claims data"
    )
    return Table.build(
        {"Measure": list(kf.index), "Value": kf["value"].tolist()},
        language=language,
        caption=_caption(text, language),
    )


def short_staffed_table(result: ServiceResult, k: int = 8) -> Table:
    """The ``k`` half-hours (intervals) with the most agents short of the Erlang C need
    (Erlang A when the callers' patience is known)."""
    language = result.language
    s = result.staffing
    if s is None or not len(s):
        return _empty(language)
    short = s[s["staff_gap"] > 0].nlargest(k, "staff_gap")
    if not len(short):
        return _empty(language)
    cols = {
        "Interval start": [t.strftime("%Y-%m-%d %H:%M") for t in short["interval_start"]],
        "Calls offered": fmt_number(short["offered"], language, 0),
        _heading("Answered within {s} s (%)", language, s=float(result.target_s)): fmt_number(
            short["achieved_level"], language, 1, scale=100
        ),
        "Agents needed": fmt_number(short["required_agents"], language, 0),
        "Agents on duty": fmt_number(short["implied_agents"], language, 1),
        "Agents short": fmt_number(short["staff_gap"], language, 1),
    }
    patience = result.centre.patience_s if result.centre is not None else None
    caption = _caption(
        "The {k} intervals with the most agents short of what a {level:.0f}% service level "
        "within {s} s needs (Erlang C), out of {n} intervals"
        if not patience
        else "The {k} intervals with the most agents short of what a {level:.0f}% service "
        "level within {s} s needs (Erlang A, callers hanging up after {p} s on average), "
        "out of {n} intervals",
        language,
        k=len(short),
        level=100 * float(result.target_level),
        s=float(result.target_s),
        n=len(s),
        **({"p": round(float(patience))} if patience else {}),
    )
    return Table.build(cols, language=language, caption=caption)


def claims_category_table(result: ServiceResult, *, currency: str | None = None) -> Table:
    """Claims by category, most frequent first: count, share, open, money claimed and paid."""
    language = result.language
    c = result.claims_by_category
    if c is None or not len(c):
        return _empty(language)
    cols = {
        "Category": c["category"].astype(str).tolist(),
        "Claims": fmt_number(c["n"], language, 0),
        "Share of claims (%)": fmt_number(c["share"], language, 1, scale=100),
        "Cumulative share (%)": fmt_number(c["cumulative_share"], language, 1, scale=100),
    }
    if c["open"].notna().any():  # resolution dates recorded
        cols.update(_resolved_columns(c, currency, language))
    caption = _caption(
        "Claims by category, most frequent first, with the amounts claimed and settled on "
        "the resolved claims (n = {n} claims)"
        if c["amount_settled"].notna().any()
        else "Claims by category, most frequent first (n = {n} claims)",
        language,
        n=int(c["n"].sum()),
    )
    return Table.build(cols, language=language, caption=caption)


def _resolved_columns(c: pd.DataFrame, currency: str | None, language: str) -> dict:
    """The claims-by-category columns that need resolution dates (and amounts settled)."""
    cols = {
        "Open": fmt_number(c["open"], language, 0),
        "Median days to resolve": fmt_number(c["median_days"], language, 1),
        _money_head("Claimed, resolved claims", currency, language): fmt_number(
            c["amount_claimed"], language, 0
        ),
    }
    if c["amount_settled"].notna().any():
        cols[_money_head("Settled, resolved claims", currency, language)] = fmt_number(
            c["amount_settled"], language, 0
        )
        cols["Settled of claimed (%)"] = fmt_number(c["settled_ratio"], language, 1, scale=100)
    return cols


def resolution_table(result: ServiceResult) -> Table:
    """Days to resolve the resolved claims, by category (the first row: all claims)."""
    language = result.language
    r = result.resolution
    if r is None or not len(r):
        return _empty(language)
    all_word = message("terms.columns", "All claims", language)
    cols = {
        "Category": [all_word if str(v) == "all" else str(v) for v in r["category"]],
        "Resolved claims": fmt_number(r["n"], language, 0),
        "Mean (days)": fmt_number(r["mean_days"], language, 1),
        "Median (days)": fmt_number(r["median_days"], language, 1),
        "75th percentile (days)": fmt_number(r["p75_days"], language, 1),
        "90th percentile (days)": fmt_number(r["p90_days"], language, 1),
        "Longest (days)": fmt_number(r["max_days"], language, 0),
    }
    n = int(r.loc[r["category"] == "all", "n"].sum()) if (r["category"] == "all").any() else 0
    caption = _caption(
        "Days from receipt to resolution of the resolved claims, by category (n = {n})",
        language,
        n=n,
    )
    return Table.build(cols, language=language, caption=caption)


def backlog_table(result: ServiceResult, *, currency: str | None = None) -> Table:
    """Open claims by age band: count, share and the amount claimed."""
    language = result.language
    b = result.claims_backlog
    if b is None or not len(b):
        return _empty(language)
    cols = {
        "Age": b["age_band"].astype(str).tolist(),
        "Open claims": fmt_number(b["n"], language, 0),
        "Share of open claims (%)": fmt_number(b["share"], language, 1, scale=100),
        "Amount claimed": fmt_money(b["amount_claimed"], currency, language, 0),
    }
    caption = _caption(
        "Claims still open by days since they were received (n = {n} open claims)",
        language,
        n=int(pd.to_numeric(b["n"]).sum()),
    )
    return Table.build(cols, language=language, caption=caption)


def claims_not_recorded(result: ServiceResult) -> list[str]:
    """One sentence per optional claims column the table lacks, saying what is not shown
    (``service.not_recorded.<column>`` of the texts)."""
    missing = result.claims_missing
    return [
        sentence(f"service.not_recorded.{c}", result.language)
        for c in missing
        if not (c == "amount_settled" and ({"resolved", "amount_claimed"} & set(missing)))
    ]


def target_defaults(result: ServiceResult) -> list[str]:
    """With call data, one sentence naming the service targets that are orient's defaults
    because company.yaml does not set them (``ServiceResult.defaults``); else none."""
    if result.staffing is None or not result.defaults:
        return []
    language = result.language
    values = {
        "target_level": ("default_level", {"level": result.target_level}),
        "target_s": ("default_seconds", {"seconds": result.target_s}),
        "max_abandon_rate": ("default_abandon", {"rate": result.max_abandon_rate}),
    }
    items = [
        sentence(f"service.{values[k][0]}", language, **values[k][1])
        for k in result.defaults
        if k in values
    ]
    if not items:
        return []
    return [sentence("service.defaults", language, items="; ".join(items))]


def complaint_responses_table(result: ServiceResult, confidence: float = 0.95) -> Table:
    """The company's responses to complaints (the register's ``response`` column): how
    many complaints got each, the share with its Wilson interval; empty without one."""
    status = result.claims_status
    language = result.language
    if status is None or not (status["field"] == "response").any():
        return Table.build({}, language=language)
    r = status[status["field"] == "response"]
    cols = {
        "Response to the complaint": [str(v) for v in r["value"]],
        "Complaints": fmt_number(r["count"], language, 0),
        "Share (%)": fmt_percent(r["share"], language, 1),
        "Interval (%)": fmt_interval(r["ci_low"], r["ci_high"], language, 1, percent=True),
    }
    caption = _caption(
        "The company's responses to {n} complaints that record one, with {level} intervals",
        language,
        n=int(r["n"].iloc[0]),
        level=f"{round(100 * confidence)}%",
    )
    return Table.build(cols, language=language, caption=caption)


# --- complaints display ---


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
    t = complaints.trend[complaints.trend["p_value"].notna()]  # too few months: no trend
    if not len(t):
        return _empty(language)
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
        "Monthly trend of complaints (quasi-Poisson log-linear fit over whole months, "
        "{level} intervals; categories with at least {base} complaints)",
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


# --- call-centre planning (ServiceResult.centre) ---------------------------------------


def _s(key: str, language: str, /, **values: Any) -> str:
    return sentence(f"service.centre.{key}", language, **values)


def centre_sentences(result: ServiceResult, *, currency: str | None = None) -> list[str]:
    """The call-centre planning sentences, one per part computed, in ``result.language``."""
    c = result.centre
    language = result.language
    if c is None:
        return []
    req = c.requirement
    peak, peak_c = int(req["agents"].max()), int(req["agents_erlang_c"].max())
    out = []
    if c.patience_s:
        src = _s("source_yaml" if c.patience_source == "company.yaml" else "source_calls", language)
        out.append(
            _s("model_a", language, patience=c.patience_s, source=src, peak=peak, peak_c=peak_c)
        )
    else:
        out.append(_s("model_c", language, peak=peak))
    out.extend(partial_day_sentences(c, language))
    hours = float(req["scheduled"].sum() * c.interval_min / 60)
    out.append(
        _s("day_hours" if c.shrinkage else "day_hours_no_shrinkage", language,
           calls=float(req["offered"].sum()), hours=hours, shrinkage=c.shrinkage)
    )  # fmt: skip
    if c.roster is not None:
        r = c.roster
        out.append(
            _s("roster", language, agents=r.agents, paid=r.paid_hours,
               cost=format_money(r.total_cost, currency, language, 0), efficiency=r.efficiency)
        )  # fmt: skip
        if r.gap > 1e-6:
            out.append(_s("roster_not_optimal", language, gap=r.gap))
    if c.chat is not None:
        out.append(_s("chat", language, k=c.chat_concurrency, peak=int(c.chat["agents"].max())))
    if c.tiers is not None:
        t = c.tiers
        share = (
            float(t["specialist_calls"].sum() / req["offered"].sum()) if req["offered"].sum() else 0
        )
        out.append(
            _s("tiers", language, share=share, peak=int(t["specialist_agents"].max()),
               hours=float(t["specialist_scheduled"].sum() * c.interval_min / 60))
        )  # fmt: skip
    if c.make_or_buy is not None:
        out.extend(_make_or_buy(c.make_or_buy, float(req["offered"].sum()), currency, language))
    return out


def _ranges(minutes: tuple[int, ...], interval_min: int) -> str:
    """Missing intervals as clock ranges, each from its first start to its last end."""
    spans: list[list[int]] = []
    for m in minutes:
        if spans and m == spans[-1][1]:
            spans[-1][1] = m + interval_min
        else:
            spans.append([m, m + interval_min])
    return ", ".join(f"{clock(a)}\u2013{'24:00' if b >= 24 * 60 else clock(b)}" for a, b in spans)


def partial_day_sentences(c: Any, language: str, *, listed: int = 5) -> list[str]:
    """The days of the calls table recorded only in part, and the intervals each lacks
    (``c`` is :class:`~orient.operations.service.centre.CentreResult`); none when every
    day has every interval."""
    p = c.partial_days
    if p is None or not len(p):
        return []
    items = "; ".join(
        f"{r.date} {_ranges(r.missing_minutes, c.interval_min)}"
        for r in p.head(listed).itertuples()
    )
    out = [_s("partial_days", language, n=len(p), days=c.days, items=items)]
    if len(p) > listed:
        out.append(_s("partial_days_more", language, more=len(p) - listed))
    return out


def _make_or_buy(m: dict, now: float, currency: str | None, language: str) -> list[str]:
    values = {
        "inhouse": format_money(m["inhouse_cost_per_call"], currency, language, 2),
        "price": format_money(m["price_per_call"], currency, language, 2),
        "hourly": format_money(m["cost_per_hour"], currency, language, 2),
        "fixed": format_money(m["fixed_per_day"], currency, language, 0),
    }
    key = "make_inhouse" if m["cheaper"] == "in-house" else "make_outsourced"
    if m.get("basis") == "roster":
        values["roster"] = format_money(m["roster_cost_per_call"], currency, language, 2)
        values["paid"] = m["roster_paid_hours"]
        key += "_roster"
    out = [_s(key, language, **values)]
    be = m["break_even_calls"]
    if be is None:
        out.append(_s("break_even_always", language))
    elif np.isinf(be):
        out.append(_s("break_even_never", language))
    else:
        out.append(_s("break_even", language, calls=be, now=now))
    if m.get("basis") == "roster":
        out[-1] += " " + _s("break_even_basis", language)
    return out


def day_table(result: ServiceResult) -> Table:
    """The average day by hour: calls, and the most agents any of its intervals needs."""
    c = result.centre
    language = result.language
    if c is None:
        return _empty(language)
    g = day_by_hour(c.requirement)
    g = g[(g["offered"] > 0) | (g["scheduled"] > 0)]
    if not len(g):
        return _empty(language)
    cols = {
        "Hour": list(g.index),
        "Calls offered (average day)": fmt_number(g["offered"], language, 1),
        "Agents on the phones": [int(v) for v in g["agents"]],
    }
    if c.patience_s:
        cols["Agents under Erlang C"] = [int(v) for v in g["agents_c"]]
    if c.shrinkage:
        cols["Agents to schedule"] = [int(v) for v in g["scheduled"]]
    caption = _caption(
        "Agents needed in the busiest {m}-minute interval of each hour of the average day "
        "({level:.0f}% of calls answered within {s} s; to schedule: after {shrink:.0f}% shrinkage)",
        language,
        m=c.interval_min,
        level=100 * float(result.target_level),
        s=float(result.target_s),
        shrink=100 * c.shrinkage,
    )
    return Table.build(cols, language=language, caption=caption)


def roster_table(result: ServiceResult, *, currency: str | None = None) -> Table:
    """The least-cost roster: agents per shift start and break time."""
    c = result.centre
    language = result.language
    if c is None or c.roster is None or not len(c.roster.shifts):
        return _empty(language)
    s = c.roster.shifts
    cols = {
        "Shift": s["shift"].astype(str).tolist(),
        "Start": s["start"].tolist(),
        "End": s["end"].tolist(),
        "Break from": s["break_start"].tolist(),
        "Agents": [int(v) for v in s["agents"]],
        "Cost": fmt_money(s["cost"], currency, language, 0),
    }
    caption = _caption(
        "Least-cost roster covering the agents to schedule in every interval: {n} agents, "
        "{h} paid hours",
        language,
        n=int(c.roster.agents),
        h=round(c.roster.paid_hours, 1),
    )
    return Table.build(cols, language=language, caption=caption)


def hours_table(result: ServiceResult, *, currency: str | None = None) -> Table:
    """Service-hours scenarios side by side."""
    c = result.centre
    language = result.language
    if c is None or c.hours is None:
        return _empty(language)
    h = c.hours
    cols = {
        "Scenario": [str(v) for v in h.index],
        "Hours open": fmt_number(h["open_hours"], language, 1),
        "Agent-hours a day": fmt_number(h["agent_hours"], language, 0),
        "Calls answered a day": fmt_number(h["calls_answered"], language, 0),
        "Calls while closed (%)": fmt_number(h["share_outside"], language, 1, scale=100),
    }
    if h["cost"].notna().any():
        cols["Cost a day"] = fmt_money(h["cost"], currency, language, 0)
        cols["Cost per call answered"] = fmt_money(h["cost_per_call"], currency, language, 2)
    return Table.build(
        cols, language=language, caption=_caption("Service hours compared", language)
    )
