"""Sales commissions from the rules of company.yaml (``crm.commission``).

Each manager's won deals are summed per period (month, quarter or year of the closing
date) on the chosen basis: the planned amount of won deals (``won``) or the amount
paid on them (``paid``). The commission is a flat rate, or tiers applied marginally
(each tier's rate on the part of the total within it, like income-tax brackets) or
on the whole total (the rate of the tier reached), plus a piece rate per won deal.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from orient.operations.crm.deals import deals_table

__all__ = ["commission_rules", "commissions", "tiered_amount"]

_FREQ = {"month": "M", "quarter": "Q", "year": "Y"}


_DEFAULTS = {"basis": "won", "rate": None, "tiers": None, "tiers_apply": "marginal",
             "period": "month", "per_deal": 0.0}  # fmt: skip


def commission_rules(spec: Any) -> dict:
    """The rules as a plain dict (from company.yaml's validated ``crm.commission`` or a
    mapping as written there), checked: ``ValueError`` names what is wrong."""
    if spec is None:
        return {}
    if hasattr(spec, "model_dump"):
        spec = spec.model_dump(by_alias=True)
    r = {**_DEFAULTS, **dict(spec)}
    unknown = set(r) - set(_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown crm.commission key(s): {', '.join(sorted(unknown))}")
    for key, allowed in (("basis", ("won", "paid")), ("tiers_apply", ("marginal", "whole")),
                         ("period", tuple(_FREQ))):  # fmt: skip
        if r[key] not in allowed:
            raise ValueError(f"crm.commission {key} must be one of {', '.join(allowed)}")
    if r["rate"] is None and not r["tiers"] and not r["per_deal"]:
        raise ValueError("crm.commission needs rate, tiers or per_deal")
    if r["rate"] is not None and r["tiers"]:
        raise ValueError("give crm.commission rate or tiers, not both")
    if r["tiers"]:
        starts = [float(t["from"]) for t in r["tiers"]]
        if starts != sorted(set(starts)) or starts[0] != 0:
            raise ValueError(f"crm.commission tiers must start at 0 and rise (got from {starts})")
    return r


def tiered_amount(total: float, tiers: list[dict], how: str = "marginal") -> float:
    """Commission on ``total`` by ``tiers`` (``[{"from": 0, "rate": r0}, ...]``).

    >>> tiers = [{"from": 0, "rate": 0.03}, {"from": 100, "rate": 0.05}]
    >>> round(tiered_amount(150, tiers), 6), round(tiered_amount(150, tiers, "whole"), 6)
    (5.5, 7.5)
    """
    starts = [float(t["from"]) for t in tiers]
    rates = [float(t["rate"]) for t in tiers]
    if how == "whole":
        reached = [r for s, r in zip(starts, rates, strict=True) if total >= s]
        return total * (reached[-1] if reached else 0.0)
    ends = [*starts[1:], np.inf]
    return float(
        sum(r * max(0.0, min(total, e) - s) for s, e, r in zip(starts, ends, rates, strict=True))
    )


def commissions(deals: pd.DataFrame, rules: Any) -> pd.DataFrame:
    """Commission of each manager in each period.

    Parameters
    ----------
    rules : CommissionSpec or mapping
        ``basis`` (won/paid), ``rate`` or ``tiers`` (with ``tiers_apply``),
        ``period`` (month/quarter/year), ``per_deal``.

    Returns
    -------
    DataFrame
        One row per manager and period with a won deal, in time order: ``manager``,
        ``period`` (text, e.g. ``2025-03``, ``2025Q1``), ``won`` (deals),
        ``base`` (amount the rate applies to), ``rate_part``, ``piece_part``,
        ``commission``, ``effective_rate`` (commission / base). ``attrs["by_manager"]``
        sums them per manager, most commission first.
    """
    r = commission_rules(rules)
    basis_col = "paid_amount" if r["basis"] == "paid" else "planned_amount"
    d = deals_table(deals, ["manager", "closed", basis_col])
    w = d[(d["outcome"] == "won") & d["closed"].notna()].copy()
    w["_base"] = w[basis_col].fillna(0.0).astype(float)
    w["_period"] = w["closed"].dt.to_period(_FREQ[r["period"]])
    rows = []
    for (m, per), x in w.groupby(["manager", "_period"], sort=True):
        base = float(x["_base"].sum())
        if r["tiers"]:
            rate_part = tiered_amount(base, r["tiers"], r["tiers_apply"])
        else:
            rate_part = base * float(r["rate"] or 0.0)
        piece = float(r["per_deal"]) * len(x)
        rows.append(
            {
                "manager": str(m),
                "period": str(per),
                "won": len(x),
                "base": base,
                "rate_part": rate_part,
                "piece_part": piece,
                "commission": rate_part + piece,
            }
        )
    cols = ["manager", "period", "won", "base", "rate_part", "piece_part", "commission"]
    out = pd.DataFrame(rows, columns=cols)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["effective_rate"] = out["commission"] / out["base"]
    by = out.groupby("manager", sort=True)[["won", "base", "commission"]].sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        by["effective_rate"] = by["commission"] / by["base"]
    by["periods"] = out.groupby("manager", sort=True).size().to_numpy() if len(out) else []
    by = by.sort_values(["commission", "manager"], ascending=[False, True], ignore_index=True)
    out.attrs.update(by_manager=by, rules=r)
    return out
