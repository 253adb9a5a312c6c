"""Call-centre planning for readers: sentences and tables in the report's language.

Built from :attr:`ServiceResult.centre <orient.operations.service.stage.ServiceResult>`
(:class:`~orient.operations.service.centre.CentreResult`); a part that was not
computed gives no sentence and an empty Table, which a notebook does not show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from orient.i18n import format_money, message, sentence
from orient.present.tables import Table, fmt_money, fmt_number

if TYPE_CHECKING:
    from orient.operations.service.stage import ServiceResult

__all__ = ["centre_sentences", "day_table", "hours_table", "roster_table"]


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


def _make_or_buy(m: dict, now: float, currency: str | None, language: str) -> list[str]:
    values = {
        "inhouse": format_money(m["inhouse_cost_per_call"], currency, language, 2),
        "price": format_money(m["price_per_call"], currency, language, 2),
    }
    key = "make_inhouse" if m["cheaper"] == "in-house" else "make_outsourced"
    out = [_s(key, language, **values)]
    be = m["break_even_calls"]
    if be is None:
        out.append(_s("break_even_always", language))
    elif np.isinf(be):
        out.append(_s("break_even_never", language))
    else:
        out.append(_s("break_even", language, calls=be, now=now))
    return out


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def _caption(text: str, language: str, /, **values: Any) -> str:
    return message("table_captions", text, language, **values)


def day_table(result: ServiceResult) -> Table:
    """The average day by hour: calls, and the most agents any of its intervals needs."""
    c = result.centre
    language = result.language
    if c is None:
        return _empty(language)
    req = c.requirement.assign(hour=[t[:2] + ":00" for t in c.requirement["time"]])
    g = req.groupby("hour", sort=True).agg(
        offered=("offered", "sum"),
        agents=("agents", "max"),
        agents_c=("agents_erlang_c", "max"),
        scheduled=("scheduled", "max"),
    )
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
