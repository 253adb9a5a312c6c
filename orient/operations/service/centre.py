"""Call-centre planning for one company: the average day's staff, roster, chat, tiers, hours, cost.

:func:`analyse_centre` reads the calls table and company.yaml's ``service`` block
(``patience_s``, ``max_occupancy``, ``shrinkage``, ``shifts``, ``chat``, ``tiers``,
``service_hours``, ``outsourcing``, ``agent_cost_per_hour``) and calls the methods of
:mod:`.workforce`, :mod:`.erlang_a` and :mod:`.roster`. Each part is computed only when
what it needs is there; :func:`centre_headline` gives its summary.json numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient._json import number as _f
from orient.operations.service.erlang import _agents_needed
from orient.operations.service.roster import Roster, _minutes, clock, roster, shift_types
from orient.operations.service.workforce import (
    chat_agents,
    day_coverage,
    day_profile,
    interval_requirement,
    make_or_buy,
    service_hours,
)

__all__ = [
    "CentreResult",
    "analyse_centre",
    "centre_headline",
    "day_by_hour",
    "patience_from_intervals",
    "voice_calls",
]


@dataclass(frozen=True)
class CentreResult:
    """Call-centre planning results (parts None when company.yaml or the data lack them).

    Attributes
    ----------
    interval_min : int
    patience_s : float or None
        Callers' mean patience used (None: Erlang C, callers assumed never to hang up).
    patience_source : str or None
        ``"company.yaml"`` or ``"calls"`` (estimated from the waits in the calls table).
    requirement : DataFrame
        The average day, one row per interval: ``time``, ``offered``, ``aht_s``,
        ``agents`` (on the phones), ``agents_erlang_c`` (what Erlang C would ask),
        ``scheduled`` (allowing for shrinkage).
    roster : Roster or None
    chat : DataFrame or None
        ``time``, ``chats``, ``slots``, ``agents`` per interval.
    chat_concurrency : int or None
    tiers : DataFrame or None
        ``time``, ``specialist_calls``, ``specialist_agents``, ``specialist_scheduled``.
    hours : DataFrame or None
        :func:`~orient.operations.service.workforce.service_hours` by scenario.
    make_or_buy : dict or None
        :func:`~orient.operations.service.workforce.make_or_buy` plus ``price_per_call``,
        ``fixed_per_day``, ``cost_per_hour`` and ``basis``. ``inhouse_cost_per_call``
        counts the agent-hours the calls need (after shrinkage); with a roster, ``basis``
        is ``roster``, ``roster_cost_per_call`` (and ``roster_cost_per_day``,
        ``roster_paid_hours``) counts what its whole shifts cost and ``cheaper`` compares
        that with the outsourcing price. The break-even volume is on the agent-hours
        (re-rostering at every volume tried would not be cheap).
    shrinkage : float
    partial_days : DataFrame or None
        :func:`~orient.operations.service.workforce.day_coverage` of the voice calls:
        the days recorded only in part and the intervals each lacks (empty when every
        day has every interval). The average day averages each interval over the days
        that recorded it.
    days : int
        Days in the calls table (voice).
    """

    interval_min: int
    patience_s: float | None
    patience_source: str | None
    requirement: pd.DataFrame
    roster: Roster | None = None
    chat: pd.DataFrame | None = None
    chat_concurrency: int | None = None
    tiers: pd.DataFrame | None = None
    hours: pd.DataFrame | None = None
    make_or_buy: dict | None = None
    shrinkage: float = 0.0
    partial_days: pd.DataFrame | None = None
    days: int = 0


def day_by_hour(requirement: pd.DataFrame) -> pd.DataFrame:
    """The average day by hour: calls (sum of its intervals) and the most agents any
    interval of the hour needs; the one profile the day table and the busiest hour use.

    Returns
    -------
    DataFrame
        Indexed by ``hour`` (``"HH:00"``, in order): ``offered``, ``agents``,
        ``agents_c`` (Erlang C), ``scheduled``.
    """
    req = requirement.assign(hour=[t[:2] + ":00" for t in requirement["time"]])
    return req.groupby("hour", sort=True).agg(
        offered=("offered", "sum"),
        agents=("agents", "max"),
        agents_c=("agents_erlang_c", "max"),
        scheduled=("scheduled", "max"),
    )


def patience_from_intervals(calls: pd.DataFrame) -> float | None:
    """Callers' mean patience from the calls table's waits, seconds (None without them).

    The exponential maximum-likelihood estimate with answered calls censored: the
    total time waited (answered x ``asa_s`` + abandoned x ``abandon_wait_s``) over
    the calls abandoned, using the intervals that record both waits.

    Examples
    --------
    >>> t = pd.DataFrame({"answered": [90, 50], "abandoned": [10, 0],
    ...                   "asa_s": [20.0, 5.0], "abandon_wait_s": [60.0, None]})
    >>> patience_from_intervals(t)
    265.0
    """
    if not {"asa_s", "abandon_wait_s"} <= set(calls.columns):
        return None
    answered = calls["answered"].astype(float)
    abandoned = calls["abandoned"].astype(float)
    asa = calls["asa_s"].astype(float)
    ab_wait = calls["abandon_wait_s"].astype(float).where(abandoned > 0, 0.0)
    ok = asa.notna() & ab_wait.notna()
    if abandoned[ok].sum() <= 0:
        return None
    total = float((answered[ok] * asa[ok]).sum() + (abandoned[ok] * ab_wait[ok]).sum())
    return total / float(abandoned[ok].sum())


def voice_calls(calls: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """The calls table without its chat rows (``queue`` equal to ``service.chat.queue``),
    when company.yaml sets a chat queue; else the table as it is."""
    chat = _clean(spec.get("chat"))
    if not chat or "queue" not in calls.columns:
        return calls
    return calls[calls["queue"].astype(str) != str(chat.get("queue", "chat"))]


def _clean(block: Any) -> dict:
    if block is None:
        return {}
    if hasattr(block, "model_dump"):
        block = block.model_dump()
    return {k: v for k, v in dict(block).items() if v is not None}


def _times(n: int, interval_min: int) -> list[str]:
    return [clock(i * interval_min) for i in range(n)]


def analyse_centre(
    calls: pd.DataFrame,
    spec: dict,
    *,
    interval_s: float,
    target_s: float,
    target_level: float,
) -> CentreResult:
    """The call-centre planning parts company.yaml asks for, over the calls table's average day.

    Parameters
    ----------
    calls : DataFrame
        The calls table.
    spec : dict
        company.yaml's ``service`` block (None values left out).
    interval_s, target_s, target_level : float
        Interval length and the service-level target.

    Returns
    -------
    CentreResult
    """
    interval_min = int(round(interval_s / 60))
    chat_spec = _clean(spec.get("chat"))
    voice = voice_calls(calls, spec)
    chats = calls.drop(voice.index) if len(voice) < len(calls) else None
    patience, source = spec.get("patience_s"), "company.yaml"
    if patience is None:
        patience, source = patience_from_intervals(voice), "calls"
    if patience is None or math.isinf(patience):
        patience, source = None, None
    shrinkage = float(spec.get("shrinkage", 0))
    cost_h = spec.get("agent_cost_per_hour")
    profile = day_profile(voice, interval_s)
    partial = day_coverage(voice, interval_s) if len(voice) else None
    settings = dict(
        target_level=target_level,
        target_s=target_s,
        patience_s=patience,
        max_abandon=float(spec.get("max_abandon_rate", 0.05)) if patience else None,
        max_occupancy=spec.get("max_occupancy"),
        shrinkage=shrinkage,
    )
    req = interval_requirement(profile["offered"], profile["aht_s"], interval_s, **settings)
    c_only = interval_requirement(
        profile["offered"], profile["aht_s"], interval_s, target_level=target_level,
        target_s=target_s, max_occupancy=spec.get("max_occupancy"),
    )  # fmt: skip
    req.insert(0, "time", _times(len(req), interval_min))
    req["agents_erlang_c"] = c_only["agents"].to_numpy()

    ros = None
    if spec.get("shifts"):
        types = shift_types([_clean(s) for s in spec["shifts"]], cost_h)
        need = req["scheduled"].to_numpy()
        cyclic = bool(need[0] > 0 and need[-1] > 0)  # staffed across midnight: 24/7
        ros = roster(need, types, interval_min=interval_min, cyclic=cyclic)

    chat = None
    if chats is not None and len(chats):
        cp = day_profile(chats, interval_s)
        rows = [
            chat_agents(
                c,
                interval_s,
                h,
                int(chat_spec.get("concurrency", 2)),
                target_level=float(chat_spec.get("target_level", 0.8)),
                target_s=float(chat_spec.get("target_s", 60)),
                slowdown=float(chat_spec.get("slowdown", 0)),
            )  # fmt: skip
            for c, h in zip(cp["offered"], cp["aht_s"], strict=True)
        ]
        chat = pd.DataFrame(
            {
                "time": _times(len(cp), interval_min),
                "chats": cp["offered"],
                "slots": [r["slots"] for r in rows],
                "agents": [r["agents"] for r in rows],
            }
        )

    tiers = _tiers(_clean(spec.get("tiers")), req, interval_s, target_s, target_level, shrinkage)
    hours = None
    if spec.get("service_hours"):
        scenarios = {}
        for h in spec["service_hours"]:
            h = _clean(h)
            close = h.get("close", "24:00")
            hi = 24 * 60 if close in ("24:00", "00:00") else _minutes(close, "service_hours.close")
            scenarios[str(h["name"])] = (_minutes(h.get("open", "00:00"), "service_hours.open"), hi)
        hours = service_hours(req, scenarios, interval_min, cost_per_hour=cost_h)

    mob = None
    out = _clean(spec.get("outsourcing"))
    if out and cost_h is not None and req["offered"].sum() > 0:
        base = req["offered"].to_numpy()
        aht = req["aht_s"].to_numpy()

        def req_of(scale: float) -> pd.DataFrame:
            return interval_requirement(base * scale, aht, interval_s, **settings)

        mob = make_or_buy(
            req_of,
            float(base.sum()),
            cost_per_hour=float(cost_h),
            price_per_call=float(out["price_per_call"]),
            fixed_per_day=float(out.get("fixed_per_day", 0)),
            interval_min=interval_min,
        )
        mob["price_per_call"] = float(out["price_per_call"])
        mob["fixed_per_day"] = float(out.get("fixed_per_day", 0))
        mob["cost_per_hour"] = float(cost_h)
        mob["basis"] = "agent_hours"
        if ros is not None:  # whole shifts cost what the roster pays, not the bare need
            per_day = float(ros.total_cost) + mob["fixed_per_day"]
            mob.update(
                basis="roster",
                roster_paid_hours=float(ros.paid_hours),
                roster_cost_per_day=per_day,
                roster_cost_per_call=per_day / float(base.sum()),
            )
            cheaper = mob["roster_cost_per_call"] <= mob["price_per_call"]
            mob["cheaper"] = "in-house" if cheaper else "outsourced"
    return CentreResult(
        interval_min, patience, source, req, ros, chat,
        int(chat_spec.get("concurrency", 2)) if chat is not None else None,
        tiers, hours, mob, shrinkage, partial,
        int(partial.attrs["days"]) if partial is not None else 0,
    )  # fmt: skip


def _tiers(t: dict, req, interval_s, target_s, target_level, shrinkage) -> pd.DataFrame | None:
    if not t:
        return None
    share = float(t["escalated_share"])
    aht2 = float(t["specialist_aht_s"])
    ts = float(t.get("specialist_target_s", target_s))
    tl = float(t.get("specialist_target_level", target_level))
    calls2 = req["offered"].to_numpy() * share
    agents = np.array([_agents_needed(c * aht2 / interval_s, aht2, ts, tl) for c in calls2])
    return pd.DataFrame(
        {
            "time": req["time"],
            "specialist_calls": calls2,
            "specialist_agents": agents,
            "specialist_scheduled": np.ceil(agents / (1 - shrinkage) - 1e-9).astype(int),
        }
    )


def centre_headline(c: CentreResult | None) -> dict:
    """summary.json numbers of the call-centre planning (documented in the schema's
    ``$defs.service_centre``); keys absent when their part is not computed."""
    if c is None:
        return {}
    req = c.requirement
    hours = c.interval_min / 60
    h: dict[str, Any] = {
        "staffing_model": "erlang_a" if c.patience_s else "erlang_c",
        "patience_s": _f(c.patience_s),
        "patience_source": c.patience_source,
        "day_calls": _f(float(req["offered"].sum())),
        "day_days": c.days,
        "day_partial_days": 0 if c.partial_days is None else len(c.partial_days),
        "day_peak_agents": int(req["agents"].max()),
        "day_peak_agents_erlang_c": int(req["agents_erlang_c"].max()),
        "day_agent_hours": _f(float(req["scheduled"].sum() * hours)),
        "day_agent_hours_erlang_c": _f(
            float(np.ceil(req["agents_erlang_c"] / (1 - c.shrinkage) - 1e-9).sum() * hours)
        ),
    }
    if c.roster is not None:
        r = c.roster
        h.update(
            roster_agents=r.agents,
            roster_cost=_f(r.total_cost),
            roster_paid_hours=_f(r.paid_hours),
            roster_efficiency=_f(r.efficiency),
            roster_optimal=bool(r.gap < 1e-6),
        )
    if c.chat is not None:
        h.update(chat_peak_agents=int(c.chat["agents"].max()), chat_concurrency=c.chat_concurrency)
    if c.tiers is not None:
        h.update(
            specialist_peak_agents=int(c.tiers["specialist_agents"].max()),
            specialist_agent_hours=_f(float(c.tiers["specialist_scheduled"].sum() * hours)),
        )
    if c.hours is not None:
        h["service_hours"] = {
            name: {k: _f(v) if isinstance(v, float) else v for k, v in row.items()}
            for name, row in c.hours.to_dict(orient="index").items()
        }
    if c.make_or_buy is not None:
        m = c.make_or_buy
        be = m["break_even_calls"]
        h.update(
            inhouse_cost_per_call=_f(m["inhouse_cost_per_call"]),
            inhouse_cost_per_call_roster=_f(m["roster_cost_per_call"])
            if m["basis"] == "roster"
            else None,
            make_or_buy_basis=m["basis"],
            outsourced_price_per_call=_f(m["price_per_call"]),
            cheaper_option=m["cheaper"],
            break_even_calls_per_day=None if be is None or math.isinf(be) else _f(be),
            inhouse_cheaper_at_any_volume=be is None,
        )
    return h
