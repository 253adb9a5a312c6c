"""The front-line view of won deals: customer lifetime value and next-best offers.

Only where the deals table holds it: lifetime value needs won deals with a ``closed``
date and an amount (``paid_amount``, else ``planned_amount``) and at least
:data:`MIN_REPEAT_CLIENTS` clients who bought on two or more days; the next-best offer
needs a ``product`` (else ``product_group``) column and clients whose last purchase
was a product new to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient.operations.crm.clv import (
    BGNBD,
    GammaGamma,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    rfm_table,
)
from orient.operations.crm.next_offer import OfferEvaluation, evaluate_next_offer

__all__ = ["FRONTLINE_FIELDS", "MIN_REPEAT_CLIENTS", "FrontLine", "frontline", "frontline_headline"]

#: lifetime value is fitted only when this many clients bought on two or more days
MIN_REPEAT_CLIENTS = 10
WEEKS_PER_MONTH = 30.0 / 7.0

#: the front-line fields of the CRM headline (summary.schema.json ``$defs/crm_frontline``)
FRONTLINE_FIELDS = (
    "clv_clients",
    "clv_total",
    "clv_horizon_months",
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
)


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
    """

    clv: pd.DataFrame | None = None
    purchases_model: BGNBD | None = None
    spend_model: GammaGamma | None = None
    horizon_months: int = 12
    discount_rate: float = 0.01
    offers: OfferEvaluation | None = None


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
) -> FrontLine | None:
    """Lifetime value and next-best offers from a :func:`deals_table`; None when the
    table holds neither (no won deals with clients and close dates)."""
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
    return FrontLine(clv_table, pm, sm, horizon_months, discount_rate, offers)


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
            next_offer_clients=int(f.offers.n),
            next_offer_k=k,
            next_offer_hit_rate=_num(f.offers.hit_rate("co-occurrence", k)),
            next_offer_popularity_hit_rate=_num(f.offers.hit_rate("popularity", k)),
        )
    return h
