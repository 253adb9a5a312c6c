"""The front-line view of won deals: customer lifetime value and next-best offers.

Only where the deals table holds it: lifetime value needs won deals with a ``closed``
date and an amount (``paid_amount``, else ``planned_amount``) and at least
:data:`MIN_REPEAT_CLIENTS` clients who bought on two or more days; the next-best offer
needs a ``product`` (else ``product_group``) column and clients whose last purchase
was a product new to them. :func:`system_payback` turns the next-best offer's measured
gain over the popularity baseline into the front-line system's payback in months, from
its declared cost and the company's own margin and acceptance of correct offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient.implementation.finance import payback_months
from orient.operations.crm.clv import (
    BGNBD,
    GammaGamma,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    rfm_table,
)
from orient.operations.crm.next_offer import OfferEvaluation, evaluate_next_offer

__all__ = [
    "FRONTLINE_FIELDS",
    "MIN_REPEAT_CLIENTS",
    "FrontLine",
    "SystemPayback",
    "frontline",
    "frontline_headline",
    "repeat_purchases_per_month",
    "system_payback",
]

#: lifetime value is fitted only when this many clients bought on two or more days
MIN_REPEAT_CLIENTS = 10
WEEKS_PER_MONTH = 30.0 / 7.0

#: the front-line fields of the CRM headline (summary.schema.json ``$defs/crm_frontline``)
FRONTLINE_FIELDS = (
    "clv_clients",
    "clv_total",
    "clv_horizon_months",
    "clv_discount_rate",
    "clv_mean_p_alive",
    "bgnbd_r",
    "bgnbd_alpha",
    "bgnbd_a",
    "bgnbd_b",
    "gamma_gamma_p",
    "gamma_gamma_q",
    "gamma_gamma_gamma",
    "next_offer_clients",
    "next_offer_k",
    "next_offer_hit_rate",
    "next_offer_popularity_hit_rate",
    "next_offer_lift",
    "next_offer_lift_ci_low",
    "next_offer_lift_ci_high",
    "fis_payback_months",
    "fis_payback_months_low",
    "fis_payback_months_high",
    "fis_monthly_gain",
    "fis_offers_per_month",
    "fis_offers_measured",
)

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class SystemPayback:
    """The front-line system's payback from the next-best offer's measured gain.

    ``lift`` (with ``lift_low``/``lift_high``) is the gain in hit rate at ``k`` offers
    over offering the most popular products, on the same held-out purchases.
    ``monthly_gain`` is the net gain a month, ``lift x offers_per_month x acceptance x
    mean_amount x margin - running_cost`` (``gain_low``/``gain_high`` at the lift's
    bounds); ``months`` its payback of ``cost`` (``months_low`` at the best bound,
    ``months_high`` at the worst; NaN where the net gain is not positive).
    ``offers_measured`` is True when ``offers_per_month`` is the repeat purchases a
    month of the deals table, False when company.yaml declares it.
    """

    k: int
    lift: float
    lift_low: float
    lift_high: float
    offers_per_month: float
    offers_measured: bool
    mean_amount: float
    margin: float
    acceptance: float
    cost: float
    running_cost: float
    monthly_gain: float
    gain_low: float
    gain_high: float
    months: float
    months_low: float
    months_high: float


def repeat_purchases_per_month(won: pd.DataFrame) -> float:
    """Won deals of clients who had won an earlier deal, per month of the won history
    (first to last close date); NaN over less than a month.

    ``won`` needs ``client`` and ``closed`` (dates).
    """
    w = won.sort_values("closed", kind="stable")
    repeat = int(w.duplicated("client").sum())
    span = (w["closed"].max() - w["closed"].min()).total_seconds() / 86400 / DAYS_PER_MONTH
    return repeat / span if span >= 1 else float("nan")


def system_payback(
    offers: OfferEvaluation,
    *,
    cost: float,
    margin: float,
    acceptance: float,
    mean_amount: float,
    offers_per_month: float,
    offers_measured: bool = True,
    running_cost: float = 0.0,
    confidence: float = 0.95,
) -> SystemPayback:
    """Payback in months of a front-line system that shows each client's purchases to
    the employee, who offers the products the next-best offer names.

    The gain per offer is the measured gain in hit rate at the largest ``k`` over the
    popularity baseline (what an employee without purchase history would offer); a
    correct offer turns into an extra sale with the company's declared ``acceptance``,
    worth ``mean_amount`` at ``margin``. Payback is :func:`~orient.implementation.finance.payback_months`
    of ``cost`` at the net monthly gain.

    Examples
    --------
    A gain of 10 points on 200 offers a month is 20 more correct offers; 25% accepted
    gives 5 extra sales of 1,000 at 40% margin: 2,000 a month, less 500 running cost,
    1,500 net; a cost of 30,000 pays back in 20 months.
    """
    k = int(offers.table["k"].max())
    lift, lo, hi = offers.lift(k, confidence)

    def net(x: float) -> float:
        return x * offers_per_month * acceptance * mean_amount * margin - running_cost

    def months(g: float) -> float:
        return payback_months(cost, 12 * g) if np.isfinite(g) else float("nan")

    g, g_lo, g_hi = net(lift), net(lo), net(hi)
    return SystemPayback(
        k, lift, lo, hi, offers_per_month, offers_measured, mean_amount, margin,
        acceptance, cost, running_cost, g, g_lo, g_hi, months(g), months(g_hi), months(g_lo),
    )  # fmt: skip


@dataclass(frozen=True)
class FrontLine:
    """Lifetime value and next-best offers from won deals.

    Attributes
    ----------
    clv : DataFrame or None
        One row per client, highest value first: ``purchases``, ``frequency``,
        ``recency_weeks``, ``age_weeks``, ``p_alive``, ``expected_purchases``
        (next ``horizon_months``), ``expected_spend`` (per purchase), ``clv``.
    purchases_model, spend_model : BGNBD, GammaGamma or None
    horizon_months, discount_rate : the CLV horizon and monthly discount rate.
    offers : OfferEvaluation or None
        Hit rates on held-out last purchases against the popularity baseline.
    payback : SystemPayback or None
        The front-line system's payback (company.yaml ``crm.frontline``).
    confidence : the level of the intervals.
    """

    clv: pd.DataFrame | None = None
    purchases_model: BGNBD | None = None
    spend_model: GammaGamma | None = None
    horizon_months: int = 12
    discount_rate: float = 0.01
    offers: OfferEvaluation | None = None
    payback: SystemPayback | None = None
    confidence: float = 0.95


def _won(d: pd.DataFrame) -> pd.DataFrame | None:
    if "client" not in d.columns or "closed" not in d.columns:
        return None
    won = d[(d["outcome"] == "won") & d["closed"].notna() & d["client"].notna()]
    return won if len(won) else None


def _amount_column(won: pd.DataFrame) -> str | None:
    for col in ("paid_amount", "planned_amount"):
        v = pd.to_numeric(won[col], errors="coerce") if col in won.columns else None
        if v is not None and v.notna().all() and (v >= 0).all():
            return col
    return None


def frontline(
    d: pd.DataFrame,
    *,
    as_of: Any = None,
    horizon_months: int = 12,
    discount_rate: float = 0.01,
    system: Any = None,
    confidence: float = 0.95,
) -> FrontLine | None:
    """Lifetime value and next-best offers from a :func:`deals_table`; None when the
    table holds neither (no won deals with clients and close dates).

    ``horizon_months`` and ``discount_rate`` (a month) value the clients
    (company.yaml ``crm.clv``); ``system`` (``crm.frontline``: ``cost``,
    ``running_cost``, ``margin``, ``acceptance``, optional ``offers_per_month``) adds the
    front-line system's payback where the next-best offer is evaluated."""
    won = _won(d)
    if won is None:
        return None
    clv_table = pm = sm = None
    col = _amount_column(won)
    if col is not None:
        tr = pd.DataFrame({"client": won["client"], "date": won["closed"], "amount": won[col]})
        end = pd.Timestamp(as_of) if as_of is not None else None
        rfm = rfm_table(tr, as_of=end, file="deals")
        if int(((rfm["frequency"] > 0) & (rfm["monetary"] > 0)).sum()) >= MIN_REPEAT_CLIENTS:
            pm, sm = fit_bgnbd(rfm), fit_gamma_gamma(rfm)
            clv_table = _clv_table(pm, sm, rfm, horizon_months, discount_rate)
    offers = None
    product = next((c for c in ("product", "product_group") if c in won.columns), None)
    if product is not None:
        p = won[won[product].notna()]
        ev = evaluate_next_offer(
            pd.DataFrame({"client": p["client"], "product": p[product], "date": p["closed"]})
        )
        offers = ev if ev.n else None
    if clv_table is None and offers is None:
        return None
    payback = None
    if system is not None and offers is not None and col is not None:
        declared = getattr(system, "offers_per_month", None)
        per_month = float(declared) if declared else repeat_purchases_per_month(won)
        if np.isfinite(per_month):
            payback = system_payback(
                offers,
                cost=float(system.cost),
                margin=float(system.margin),
                acceptance=float(system.acceptance),
                mean_amount=float(pd.to_numeric(won[col]).mean()),
                offers_per_month=per_month,
                offers_measured=not declared,
                running_cost=float(getattr(system, "running_cost", 0) or 0),
                confidence=confidence,
            )
    return FrontLine(clv_table, pm, sm, horizon_months, discount_rate, offers, payback, confidence)


def _clv_table(pm, sm, rfm, horizon, rate) -> pd.DataFrame:
    x, tx, T = rfm["frequency"], rfm["recency"], rfm["T"]
    # at x = 0 the Gamma-Gamma posterior mean is the population mean p gamma / (q - 1)
    spend = sm.expected_spend(x, rfm["monetary"])
    out = pd.DataFrame(
        {
            "purchases": (x + 1).astype(int),
            "frequency": x.astype(int),
            "recency_weeks": tx,
            "age_weeks": T,
            "p_alive": pm.p_alive(x, tx, T),
            "expected_purchases": pm.expected_purchases(horizon * WEEKS_PER_MONTH, x, tx, T),
            "expected_spend": spend,
        },
        index=rfm.index,
    )
    clv = customer_lifetime_value(
        pm, sm, rfm, horizon=horizon, step=WEEKS_PER_MONTH, discount_rate=rate
    )
    out["clv"] = clv.to_numpy()
    out.index.name = "client"
    return out.sort_values("clv", ascending=False)


def _num(x: Any) -> float | None:
    x = float(x)
    return x if np.isfinite(x) else None


def frontline_headline(f: FrontLine | None) -> dict:
    """JSON-safe :data:`FRONTLINE_FIELDS`, None where the deals do not hold them."""
    h: dict[str, Any] = dict.fromkeys(FRONTLINE_FIELDS)
    if f is None:
        return h
    if f.clv is not None:
        pm, sm = f.purchases_model, f.spend_model
        h.update(
            clv_clients=len(f.clv),
            clv_total=_num(f.clv["clv"].sum()),
            clv_horizon_months=int(f.horizon_months),
            clv_discount_rate=_num(f.discount_rate),
            clv_mean_p_alive=_num(f.clv["p_alive"].mean()),
            bgnbd_r=_num(pm.r),
            bgnbd_alpha=_num(pm.alpha),
            bgnbd_a=_num(pm.a),
            bgnbd_b=_num(pm.b),
            gamma_gamma_p=_num(sm.p),
            gamma_gamma_q=_num(sm.q),
            gamma_gamma_gamma=_num(sm.gamma),
        )
    if f.offers is not None:
        k = int(f.offers.table["k"].max())
        h.update(
            next_offer_clients=f.offers.clients(k),
            next_offer_k=k,
            next_offer_hit_rate=_num(f.offers.hit_rate("co-occurrence", k)),
            next_offer_popularity_hit_rate=_num(f.offers.hit_rate("popularity", k)),
        )
        lift, lo, hi = f.offers.lift(k, f.confidence)
        h.update(next_offer_lift=_num(lift), next_offer_lift_ci_low=_num(lo))
        h["next_offer_lift_ci_high"] = _num(hi)
    if f.payback is not None:
        pb = f.payback
        h.update(
            fis_payback_months=_num(pb.months),
            fis_payback_months_low=_num(pb.months_low),
            fis_payback_months_high=_num(pb.months_high),
            fis_monthly_gain=_num(pb.monthly_gain),
            fis_offers_per_month=_num(pb.offers_per_month),
            fis_offers_measured=bool(pb.offers_measured),
        )
    return h
