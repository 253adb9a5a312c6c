"""Investment appraisal: payback, ROI, NPV and IRR.

:func:`payback_months` is the one definition of payback in orient (the action plan and
:func:`appraise` both call it); :func:`appraise` gives each investment's payback months,
ROI, NPV and IRR.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from orient._validate import check_positive_int
from orient.implementation._common import _isna

__all__ = ["payback_months", "appraise"]


def payback_months(cost: float, annual_benefit: float | Sequence[float]) -> float:
    """Months until the cumulative net benefit repays a one-off cost.

    The one definition of payback in orient, used by
    :func:`~orient.implementation.action_plan` and :func:`appraise`: each year's net
    benefit accrues evenly over the year's 12 months, and the payback is the first
    (fractional) month at which the cumulative benefit reaches the cost.

    Parameters
    ----------
    cost : float
        The one-off cost, paid at time 0.
    annual_benefit : float or sequence of float
        A number: the same net benefit every year with no horizon (an action of the
        plan), so the payback is ``12 x cost / annual_benefit``; NaN unless the benefit
        is > 0. A sequence: the net benefit of each year, year 1 first, over a finite
        horizon (an investment); NaN when the cost is not repaid within it, 0 when there
        is nothing to repay (``cost <= 0``).

    Returns
    -------
    float
        Months from time 0; NaN when the cost is never repaid (or is NaN).

    Notes
    -----
    The two forms differ only for a cost of 0 with no positive benefit: NaN for a
    number (no benefit, no payback; the action plan leaves it blank), 0 for a sequence
    (nothing to pay back).

    Examples
    --------
    >>> payback_months(1200.0, 4800.0)
    3.0
    >>> payback_months(1000.0, [600.0, 1200.0])  # 50 a month in year 1, then 100
    16.0
    >>> payback_months(1000.0, [100.0, 100.0])
    nan
    """
    if np.ndim(annual_benefit) == 0:
        return float(12 * cost / annual_benefit) if annual_benefit > 0 else float("nan")
    if cost <= 0:
        return 0.0
    monthly = np.repeat(np.asarray(annual_benefit, dtype=float) / 12.0, 12)
    cum = 0.0
    for m, x in enumerate(monthly):
        if x > 0 and cum + x >= cost:
            return float(m + (cost - cum) / x)
        cum += x
    return float("nan")


def _npv_at(rate: float, cash: np.ndarray) -> float:
    return float(np.sum(cash / (1 + rate) ** np.arange(len(cash))))


def appraise(investments: Any, *, discount_rate: float = 0.1, years: int = 3) -> pd.DataFrame:
    """Investment appraisal: payback months, ROI, NPV and IRR of each investment.

    Cash flows: the one-off ``cost`` at time 0, then for each year ``t = 1..years`` a net
    benefit ``benefit_t - running_cost`` at the end of the year (discounted with
    ``(1 + r)^t``). Payback (:func:`payback_months`) counts the net benefit as spread
    evenly over each year's 12 months. ROI is undiscounted:
    ``(sum of net benefits - cost) / cost``.

    Parameters
    ----------
    investments : DataFrame or list of dict
        One per investment: ``name``, ``cost`` (one-off, >= 0), and either
        ``annual_benefit`` (the same every year) or ``benefits`` (a list, one per year);
        optional ``running_cost`` (per year, default 0), ``years`` (default ``years``),
        ``discount_rate`` (default ``discount_rate``), ``kind`` (e.g. ``"frontline"`` or
        ``"back_office"``).
    discount_rate : float, default 0.1
        Yearly discount rate where an investment gives none.
    years : int, default 3
        Horizon where an investment gives none and has no ``benefits`` list.

    Returns
    -------
    DataFrame
        Indexed by investment name: ``kind``, ``cost``, ``years``, ``discount_rate``,
        ``total_benefit`` (net of running costs, undiscounted), ``payback_months`` (NaN if
        it never pays back within the horizon), ``roi``, ``npv``, ``irr`` (NaN when the
        flows do not change sign).
    """
    if isinstance(investments, pd.DataFrame):
        items = investments.to_dict("records")
    else:
        items = [i.model_dump() if hasattr(i, "model_dump") else dict(i) for i in investments]
    years = check_positive_int(years, "years")
    rows = []
    for k, item in enumerate(items):
        name = item.get("name", f"investment {k + 1}")
        cost = float(item.get("cost") or 0.0)
        if cost < 0 or not np.isfinite(cost):
            raise ValueError(f"`investments` cost of {name!r} is {cost}; it must be >= 0.")
        r = item.get("discount_rate")
        r = discount_rate if r is None or _isna(r) else float(r)
        if r <= -1:
            raise ValueError(f"`investments` discount rate of {name!r} is {r}; it must be > -1.")
        benefits = item.get("benefits")
        if benefits is not None and not (np.isscalar(benefits) and _isna(benefits)):
            flows = np.asarray(list(benefits), dtype=float)
            if flows.size == 0:
                raise ValueError(f"`investments` entry {name!r} has an empty `benefits` list.")
        else:
            n_years = item.get("years")
            n_years = years if n_years is None or _isna(n_years) else int(n_years)
            ab = item.get("annual_benefit")
            if ab is None or _isna(ab):
                raise ValueError(
                    f"`investments` entry {name!r} has neither `annual_benefit` nor "
                    "`benefits`; give one."
                )
            flows = np.full(n_years, float(ab))
        running = item.get("running_cost")
        running = 0.0 if running is None or _isna(running) else float(running)
        net = flows - running
        t = np.arange(1, len(net) + 1)
        npv = -cost + float(np.sum(net / (1 + r) ** t))
        cash = np.concatenate([[-cost], net])
        irr = np.nan
        if cost > 0 and net.sum() > 0:
            try:
                irr = optimize.brentq(_npv_at, -0.99, 1e3, args=(cash,))
            except ValueError:
                irr = np.nan
        rows.append(
            {
                "name": name,
                "kind": item.get("kind"),
                "cost": cost,
                "years": len(net),
                "discount_rate": r,
                "total_benefit": float(net.sum()),
                "payback_months": payback_months(cost, net),
                "roi": (float(net.sum()) - cost) / cost if cost > 0 else np.nan,
                "npv": npv,
                "irr": irr,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "name",
            "kind",
            "cost",
            "years",
            "discount_rate",
            "total_benefit",
            "payback_months",
            "roi",
            "npv",
            "irr",
        ],
    )
    if out["name"].duplicated().any():
        raise ValueError(
            f"`investments` names {out['name'][out['name'].duplicated()].iloc[0]!r} twice."
        )
    return out.set_index("name")
