"""Per-manager results and the cuts a sales director asks for.

:func:`manager_results` gives each manager's won deals, revenue, win rate (Wilson
interval) and the stability of their monthly won revenue (coefficient of variation,
read as steady, uneven or erratic); :func:`effects` the win rate, revenue and sales
cycle by any grouping column (source, channel, campaign, segment, region, product
group) with intervals and the minimum base; :func:`refusals_by_stage` the reasons of
lost deals by the stage at which they were lost, blanks counted as "not recorded".

Revenue is the planned amount of won deals, counted in the month the deal closed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as _st

from orient._validate import check_confidence, check_positive_int
from orient.operations.crm.deals import deals_table
from orient.stats import wilson_interval

__all__ = [
    "CV_STEADY",
    "CV_UNEVEN",
    "EFFECT_COLUMNS",
    "NOT_RECORDED",
    "effects",
    "manager_results",
    "median_interval",
    "monthly_cv",
    "refusals_by_stage",
    "stability_reading",
]

#: a coefficient of variation of monthly won revenue below this reads "steady"
CV_STEADY = 0.3
#: ... below this "uneven", at or above it "erratic"
CV_UNEVEN = 0.6
#: grouping columns whose effect on sales is shown when the deals table has them
EFFECT_COLUMNS = ("source", "channel", "campaign", "segment", "region", "product_group")
#: the label of a blank refusal reason (never a reason of its own)
NOT_RECORDED = "not recorded"


def _won_revenue(d: pd.DataFrame) -> pd.Series:
    amount = d["planned_amount"] if "planned_amount" in d.columns else pd.Series(0.0, d.index)
    return amount.where(d["outcome"] == "won", 0.0).fillna(0.0).astype(float)


def monthly_cv(months: pd.Series, amounts: pd.Series, span: pd.PeriodIndex) -> tuple[float, int]:
    """Coefficient of variation (sample sd / mean) of the amounts summed by month over
    every month of ``span`` (months without a won deal count as zero), and the number
    of months. NaN when fewer than two months or a zero mean."""
    per = amounts.groupby(months).sum().reindex(span, fill_value=0.0)
    k = len(per)
    if k < 2 or per.mean() == 0:
        return math.nan, k
    return float(per.std(ddof=1) / per.mean()), k


def stability_reading(cv: float) -> str | None:
    """``steady`` (cv < 0.3), ``uneven`` (< 0.6) or ``erratic``; None for NaN."""
    if cv is None or not np.isfinite(cv):
        return None
    return "steady" if cv < CV_STEADY else "uneven" if cv < CV_UNEVEN else "erratic"


def manager_results(
    deals: pd.DataFrame,
    *,
    min_base: int = 30,
    min_months: int = 6,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Each manager's won deals, revenue, win rate and month-to-month stability.

    Parameters
    ----------
    min_base : int, default 30
        A win rate needs at least this many closed deals (else NaN, ``suppressed``).
    min_months : int, default 6
        The stability needs at least this many months between the manager's first and
        last deal (else NaN).

    Returns
    -------
    DataFrame
        One row per manager, most revenue first: ``manager``, ``deals``, ``closed``,
        ``won``, ``revenue`` (planned amount of won deals), ``win_rate``, ``ci_low``,
        ``ci_high``, ``suppressed``, ``months`` (from the manager's first created deal
        to the last month of the table), ``cv`` (sd / mean of monthly won revenue,
        zero months included), ``stability`` (steady / uneven / erratic, None when
        suppressed).
    """
    d = deals_table(deals, ["manager", "created", "closed"])
    min_base = check_positive_int(min_base, "min_base", allow_zero=True)
    min_months = check_positive_int(min_months, "min_months")
    confidence = check_confidence(confidence)
    d = d.assign(_rev=_won_revenue(d), _month=d["closed"].dt.to_period("M"))
    last = max(d["closed"].max(), d["created"].max()).to_period("M")
    rows = []
    for m, x in d.groupby("manager", sort=True):
        closed = x[x["outcome"] != "open"]
        won = x[x["outcome"] == "won"]
        span = pd.period_range(x["created"].min().to_period("M"), last, freq="M")
        cv, k = monthly_cv(won["_month"], won["_rev"], span)
        if k < min_months:
            cv = math.nan
        rows.append(
            {
                "manager": str(m),
                "deals": len(x),
                "closed": len(closed),
                "won": len(won),
                "revenue": float(won["_rev"].sum()),
                "months": k,
                "cv": cv,
            }
        )
    out = pd.DataFrame(rows)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["win_rate"] = out["won"] / out["closed"]
    out["ci_low"], out["ci_high"] = wilson_interval(out["win_rate"], out["closed"], confidence)
    out["suppressed"] = out["closed"] < min_base
    out.loc[out["suppressed"], ["win_rate", "ci_low", "ci_high"]] = np.nan
    out["stability"] = [stability_reading(c) for c in out["cv"]]
    out = out.sort_values(["revenue", "manager"], ascending=[False, True], ignore_index=True)
    cols = ["manager", "deals", "closed", "won", "revenue", "win_rate", "ci_low", "ci_high"]
    return out[[*cols, "suppressed", "months", "cv", "stability"]]


def median_interval(x, confidence: float = 0.95) -> tuple[float, float]:
    """Distribution-free interval for a median: the order statistics ``x_(k)`` and
    ``x_(n-k+1)`` with ``k`` the largest rank such that P(Binomial(n, 1/2) < k) is at
    most (1 - confidence) / 2 (coverage at least ``confidence``). NaN when n is too
    small for any such k."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if n == 0:
        return math.nan, math.nan
    k = int(_st.binom.ppf((1 - confidence) / 2, n, 0.5))
    if k < 1:
        return math.nan, math.nan
    return float(x[k - 1]), float(x[n - k])


def effects(
    deals: pd.DataFrame, by: str, *, min_base: int = 30, confidence: float = 0.95
) -> pd.DataFrame:
    """Win rate, revenue and sales cycle by the values of ``by``.

    Returns
    -------
    DataFrame
        One row per group, then ``"all"``: ``group``, ``deals``, ``closed``, ``won``,
        ``win_rate`` with ``ci_low``/``ci_high`` (Wilson), ``revenue`` (planned amount
        of won deals), ``revenue_per_deal`` (revenue / closed deals),
        ``cycle_median`` (days from created to closed of won deals) with
        ``cycle_low``/``cycle_high`` (:func:`median_interval`), ``suppressed`` (fewer
        closed deals than ``min_base``: rates, cycle and intervals NaN). Groups are
        ordered by win rate, suppressed last; a blank value is the group
        ``"not recorded"``.
    """
    d = deals_table(deals, [by])
    min_base = check_positive_int(min_base, "min_base", allow_zero=True)
    confidence = check_confidence(confidence)
    key = d[by].astype("string").str.strip().replace("", pd.NA).fillna(NOT_RECORDED)
    d = d.assign(_g=key, _rev=_won_revenue(d))
    has_cycle = {"created", "closed"}.issubset(d.columns)
    if has_cycle:
        d["_days"] = (d["closed"] - d["created"]).dt.total_seconds() / 86400

    def row(name: str, x: pd.DataFrame) -> dict:
        closed = x[x["outcome"] != "open"]
        won = x[x["outcome"] == "won"]
        days = won["_days"].dropna() if has_cycle else pd.Series(dtype=float)
        lo, hi = median_interval(days, confidence)
        return {
            "group": name,
            "deals": len(x),
            "closed": len(closed),
            "won": len(won),
            "revenue": float(won["_rev"].sum()),
            "cycle_median": float(days.median()) if len(days) else math.nan,
            "cycle_low": lo,
            "cycle_high": hi,
        }

    rows = [row(str(g), x) for g, x in d.groupby("_g", sort=True)]
    out = pd.DataFrame([*rows, row("all", d)])
    with np.errstate(divide="ignore", invalid="ignore"):
        out["win_rate"] = out["won"] / out["closed"]
        out["revenue_per_deal"] = out["revenue"] / out["closed"]
    out["ci_low"], out["ci_high"] = wilson_interval(out["win_rate"], out["closed"], confidence)
    out["suppressed"] = out["closed"] < min_base
    hidden = ["win_rate", "ci_low", "ci_high", "revenue_per_deal"]
    out.loc[out["suppressed"], [*hidden, "cycle_median", "cycle_low", "cycle_high"]] = np.nan
    body = out.iloc[:-1].sort_values(
        ["suppressed", "win_rate", "closed"], ascending=[True, False, False]
    )
    out = pd.concat([body, out.iloc[-1:]], ignore_index=True)
    cols = ["group", "deals", "closed", "won", "win_rate", "ci_low", "ci_high", "revenue"]
    return out[[*cols, "revenue_per_deal", "cycle_median", "cycle_low", "cycle_high", "suppressed"]]


def refusals_by_stage(
    deals: pd.DataFrame, *, terminal: tuple[str, ...] = (), funnel: Sequence[str] = ()
) -> pd.DataFrame:
    """Lost deals by the stage at which they were lost and the reason given.

    Parameters
    ----------
    terminal : tuple of str
        Stage labels that say only "lost" (a terminal column of the CRM), not where:
        such deals have the stage ``"not recorded"``.
    funnel : sequence of str
        The funnel's stages in order (``crm.stages``): rows follow it, other stages after.

    Returns
    -------
    DataFrame
        A count table: one row per stage (in ``funnel`` order, else of first appearance, ``"not
        recorded"`` last), one column per reason (most frequent first, ``"not
        recorded"`` last for blank reasons), and ``all``; ``attrs["shares"]`` the
        same table as shares of each stage's lost deals.
    """
    d = deals_table(deals, ["stage", "refusal_reason"])
    lost = d[d["outcome"] == "lost"]

    def clean(s: pd.Series) -> pd.Series:
        return s.astype("string").str.strip().replace("", pd.NA).fillna(NOT_RECORDED)

    stage = clean(lost["stage"]).where(~lost["stage"].isin(terminal), NOT_RECORDED)
    reason = clean(lost["refusal_reason"])
    t = pd.crosstab(stage, reason)
    if t.empty:
        return pd.DataFrame()

    def order(labels, counts):
        first = [x for x in counts.sort_values(ascending=False, kind="stable").index]
        return [x for x in first if x != NOT_RECORDED] + (
            [NOT_RECORDED] if NOT_RECORDED in labels else []
        )

    seen = [s for s in pd.unique(stage) if s != NOT_RECORDED]
    stages = [s for s in funnel if s in seen] + [s for s in seen if s not in funnel]
    stages += [NOT_RECORDED] if NOT_RECORDED in t.index else []
    t = t.reindex(index=stages, columns=order(t.columns, t.sum(axis=0)))
    t["all"] = t.sum(axis=1)
    t.index.name, t.columns.name = "stage", None
    t.attrs["shares"] = t.drop(columns="all").div(t["all"], axis=0)
    return t
