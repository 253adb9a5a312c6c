"""The sales director's indicators of one company (issue 14, "Sales Expert").

:func:`sales_indicators` computes, where the deals (and contacts) tables hold the
data, each manager's results and stability, the forecast of the next periods with
its backtest, commissions from ``crm.commission``, stalled deals, clients in work, the
effect of source, channel, campaign, segment, region and product group, refusal
reasons by stage, and the contact history's overdue next contacts and frequency.
:func:`sales_headline` gives their JSON-safe numbers for summary.json.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from orient._json import number as _f
from orient.operations.crm.commission import commissions
from orient.operations.crm.contacts import (
    _history_date,
    clients_in_work,
    contact_frequency,
    lost_at_stage,
    overdue_contacts,
    stage_visits,
    stalled_deals,
)
from orient.operations.crm.forecast import backtest, forecast
from orient.operations.crm.managers import (
    EFFECT_COLUMNS,
    effects,
    manager_results,
    refusals_by_stage,
)
from orient.operations.crm.pipeline import _terminal_lost

__all__ = ["MIN_MONTHS", "SalesIndicators", "sales_headline", "sales_indicators"]

#: a manager's stability needs at least this many months
MIN_MONTHS = 6


@dataclass(frozen=True)
class SalesIndicators:
    """The sales director's indicators (each None where the data does not hold it).

    ``effects`` maps each grouping column present (source, channel, campaign, segment,
    region, product_group) to its :func:`~orient.operations.crm.managers.effects`
    table; ``stall_rule`` says how the stall limits were set: ``declared``
    (``crm.stall_days``), ``won_at_stage`` (won deals' time at the stage, from the stage
    history), ``won_cycle`` (won deals' whole cycle), ``mixed`` or ``none``;
    ``lost_stage_from_history`` counts the lost deals whose stage of loss the deals
    table does not hold and the stage history gave.
    """

    managers: pd.DataFrame | None = None
    forecast: pd.DataFrame | None = None
    backtest: pd.DataFrame | None = None
    commissions: pd.DataFrame | None = None
    stalled: pd.DataFrame | None = None
    in_work: pd.DataFrame | None = None
    effects: dict[str, pd.DataFrame] = field(default_factory=dict)
    refusals_by_stage: pd.DataFrame | None = None
    overdue_contacts: pd.DataFrame | None = None
    contact_frequency: pd.DataFrame | None = None
    stall_rule: str = "none"
    lost_stage_from_history: int = 0
    min_months: int = MIN_MONTHS
    min_base: int = 30


def _crm_spec(company: Any) -> Any:
    return getattr(getattr(company, "profile", None), "crm", None)


def _has(d: pd.DataFrame, *cols: str) -> bool:
    return all(c in d.columns for c in cols)


def _forecasts(d: pd.DataFrame, stages, base: int):
    if not _has(d, "stage", "created", "closed", "planned_amount"):
        return None, None
    closed = int((d["outcome"] != "open").sum())
    if closed < base or not (d["outcome"] == "open").any():
        return None, None
    fc = forecast(d, stages=stages, periods=3)
    bt = backtest(d, cuts=6, min_history=base)
    return fc, (bt if len(bt) else None)


def _stall_rule(stalled: pd.DataFrame) -> str:
    """How the limits were set: ``declared``, ``won_at_stage``, ``won_cycle``, ``mixed``
    (declared for some stages, learned for others) or ``none`` (no limit at all)."""
    bases = stalled.attrs["bases"]
    if not bases:
        return "none"
    return bases[0] if len(bases) == 1 else "mixed"


def _terminal(d: pd.DataFrame, stages: Sequence[str] | None) -> tuple[str, ...]:
    lost_stages = set(d.loc[d["outcome"] == "lost", "stage"].dropna().astype(str))
    if stages is not None:
        return tuple(sorted(lost_stages - set(map(str, stages))))
    return tuple(sorted(map(str, _terminal_lost(d))))


def sales_indicators(
    company: Any, d: pd.DataFrame, *, stages: Sequence[str] | None, min_base: int, as_of=None
) -> SalesIndicators:
    """Every indicator the deals table ``d`` (a :func:`deals_table`) and
    ``company.contacts`` support; ``company.profile.crm`` gives the commission rules,
    the stall limits and the in-work window."""
    spec = _crm_spec(company)
    out: dict[str, Any] = {"min_base": min_base}
    if _has(d, "manager", "created", "closed"):
        out["managers"] = manager_results(d, min_base=min_base, min_months=MIN_MONTHS)
    out["forecast"], out["backtest"] = _forecasts(d, stages, min_base)
    rules = getattr(spec, "commission", None)
    if rules is not None and _has(d, "manager", "closed") and (d["outcome"] == "won").any():
        out["commissions"] = commissions(d, rules)
    limits = getattr(spec, "stall_days", None)
    history = getattr(company, "stage_history", None)
    if history is not None and not len(history):
        history = None
    stall = _has(d, "created") and (d["outcome"] == "open").any()
    refusals = _has(d, "stage", "refusal_reason") and (d["outcome"] == "lost").any()
    visits = None
    if history is not None and (stall or refusals):
        # one pass over the stage history for the stalled deals and the stage of loss
        visits = stage_visits(history, d, as_of=_history_date(d, history, as_of))
    if stall:
        out["stalled"] = stalled_deals(
            d,
            history=history,
            as_of=as_of,
            limits=limits,
            quantile=getattr(spec, "stall_quantile", 0.9),
            stages=stages,
            visits=visits,
        )
        out["stall_rule"] = _stall_rule(out["stalled"])
    contacts = getattr(company, "contacts", None)
    if contacts is not None and not len(contacts):
        contacts = None
    if _has(d, "client"):
        days = int(getattr(spec, "in_work_days", 30) or 30)
        out["in_work"] = clients_in_work(d, contacts, as_of=as_of, recent_days=days)
    out["effects"] = {
        c: effects(d, c, min_base=min_base)
        for c in EFFECT_COLUMNS
        if c in d.columns and d[c].dropna().nunique() >= 2
    }
    if refusals:
        terminal = _terminal(d, stages)
        placed = d
        if history is not None:
            # a CRM that exports lost deals as "Lost": the history says where
            at = lost_at_stage(history, d, terminal, visits=visits)
            key = d["deal_id"].astype(str).str.strip()
            vague = (d["outcome"] == "lost") & (d["stage"].isin(terminal) | d["stage"].isna())
            vague &= key.isin(at.index)
            placed = d.copy()
            placed.loc[vague, "stage"] = key[vague].map(at)
            out["lost_stage_from_history"] = int(vague.sum())
        out["refusals_by_stage"] = refusals_by_stage(
            placed, terminal=terminal, funnel=list(stages or [])
        )
    if contacts is not None:
        ref = out["stalled"].attrs["as_of"] if out.get("stalled") is not None else as_of
        ref = ref if ref is not None else pd.Timestamp(contacts["date"].max())
        if "next_contact" in contacts.columns:
            out["overdue_contacts"] = overdue_contacts(contacts, as_of=ref)
        if _has(d, "client", "created", "stage"):
            out["contact_frequency"] = contact_frequency(d, contacts, as_of=ref, stages=stages)
    return SalesIndicators(**out)


#: the summary.json fields :func:`sales_headline` adds to the CRM headline
SALES_FIELDS = (
    "managers",
    "managers_erratic",
    "top_manager",
    "top_manager_revenue",
    "forecast_next_period",
    "forecast_next_period_low",
    "forecast_next_period_high",
    "forecast_period_days",
    "backtest_cuts",
    "backtest_wape",
    "backtest_coverage",
    "commission_total",
    "open_deals",
    "stalled_deals",
    "stalled_amount",
    "clients_in_work",
    "lost_reason_not_recorded_share",
    "lost_stage_not_recorded_share",
    "overdue_next_contacts",
)


def _refusal_shares(t: pd.DataFrame) -> tuple[float | None, float | None]:
    total = float(t["all"].sum())
    if not total:
        return None, None
    no_reason = float(t["not recorded"].sum()) if "not recorded" in t.columns else 0.0
    no_stage = float(t.loc["not recorded", "all"]) if "not recorded" in t.index else 0.0
    return no_reason / total, no_stage / total


def sales_headline(s: SalesIndicators | None) -> dict:
    """JSON-safe numbers of the indicators (None where not computed): see
    :data:`SALES_FIELDS` and orient/schemas/summary.schema.json (``$defs/crm_sales``)."""
    h: dict[str, Any] = dict.fromkeys(SALES_FIELDS)
    if s is None:
        return h
    if s.managers is not None and len(s.managers):
        m = s.managers
        h.update(
            managers=len(m),
            managers_erratic=int((m["stability"] == "erratic").sum()),
            top_manager=str(m["manager"].iloc[0]),
            top_manager_revenue=_f(m["revenue"].iloc[0]),
        )
    if s.forecast is not None:
        first = s.forecast.iloc[0]
        h.update(
            forecast_next_period=_f(first["expected"]),
            forecast_next_period_low=_f(first["low"]),
            forecast_next_period_high=_f(first["high"]),
            forecast_period_days=int((first["end"] - first["start"]).days + 1),
        )
    if s.backtest is not None:
        h.update(
            backtest_cuts=len(s.backtest),
            backtest_wape=_f(s.backtest.attrs["wape"]),
            backtest_coverage=_f(s.backtest.attrs["coverage"]),
        )
    if s.commissions is not None:
        h["commission_total"] = _f(s.commissions["commission"].sum())
    if s.stalled is not None and s.stall_rule != "none":
        h.update(
            open_deals=int(s.stalled.attrs["open"]),
            stalled_deals=len(s.stalled),
            stalled_amount=_f(pd.to_numeric(s.stalled["planned_amount"]).fillna(0).sum()),
        )
    if s.in_work is not None:
        h["clients_in_work"] = int(s.in_work["in_work"].iloc[-1])
    if s.refusals_by_stage is not None and len(s.refusals_by_stage):
        no_reason, no_stage = _refusal_shares(s.refusals_by_stage)
        h.update(
            lost_reason_not_recorded_share=_f(no_reason),
            lost_stage_not_recorded_share=_f(no_stage),
        )
    if s.overdue_contacts is not None:
        h["overdue_next_contacts"] = len(s.overdue_contacts)
    return h
