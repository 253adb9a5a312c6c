"""Complaints analytics: times to response and closure, deadlines, disputes, trends, cuts.

Works on the claims table (one row per complaint): ``received`` and, when the register
records them, ``responded`` (the company's first answer), ``resolved`` (closure),
``timely`` and ``disputed`` (1/0), ``response`` (its type), ``category``, ``product``
and ``channel``. Each function returns None (or skips a row) where its column is absent,
never a zero for a field that was not recorded.

* :func:`complaint_times`: days to response and to closure, median with its
  distribution-free interval, quartiles and the 90th percentile;
* :func:`within_deadline`: share closed within the company's own deadline (Wilson);
* :func:`shares_by`: timely and disputed shares by product, channel or category with
  Wilson intervals, groups under the minimum base left without a share;
* :func:`category_trend`: monthly counts per category with a Poisson log-linear trend
  (monthly change with its interval and the likelihood-ratio p-value).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from orient._validate import check_columns, check_confidence, check_dataframe
from orient.stats import wilson_interval

__all__ = [
    "BREAKDOWNS",
    "HEADLINE_FIELDS",
    "ComplaintsResult",
    "analyse_complaints",
    "complaints_headline",
    "category_trend",
    "complaint_times",
    "median_interval",
    "poisson_trend",
    "shares_by",
    "within_deadline",
]

#: the columns complaints are cut by, when the register has them
BREAKDOWNS = ("product", "channel", "category")


def _days(d: pd.DataFrame, end: str) -> pd.Series:
    start = pd.to_datetime(d["received"], errors="coerce")
    stop = pd.to_datetime(d[end], errors="coerce")
    return (stop - start).dt.total_seconds() / 86400


def median_interval(x: Sequence[float], confidence: float = 0.95) -> tuple[float, float]:
    """Distribution-free interval for the median from order statistics.

    The widest-coverage-at-least-``confidence`` pair ``(x_(j), x_(n-j+1))`` with
    ``P(j <= B < n - j + 1) >= confidence`` for ``B ~ Binomial(n, 1/2)``; NaN for n < 6
    at 95% (no such pair exists).
    """
    x = np.sort(np.asarray(x, dtype=float))
    x = x[np.isfinite(x)]
    n = len(x)
    if n == 0:
        return (math.nan, math.nan)
    # largest j (1-based) with coverage 1 - 2 P(B <= j - 1) >= confidence
    j = int(stats.binom.ppf((1 - confidence) / 2, n, 0.5))
    while j >= 1 and 1 - 2 * stats.binom.cdf(j - 1, n, 0.5) < confidence:
        j -= 1
    while j + 1 <= n // 2 and 1 - 2 * stats.binom.cdf(j, n, 0.5) >= confidence:
        j += 1
    if j < 1:
        return (math.nan, math.nan)
    return (float(x[j - 1]), float(x[n - j]))


def complaint_times(claims: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame | None:
    """Days from receipt to the company's response and to closure.

    Returns
    -------
    DataFrame or None
        One row per measure the table records (``response`` from ``responded``,
        ``closure`` from ``resolved``): ``measure``, ``n`` (complaints with both
        dates), ``pending`` (without the end date), ``median``, ``median_low``,
        ``median_high`` (:func:`median_interval`), ``q25``, ``q75``, ``p90``, ``mean``.
        None when neither column exists. Negative times (answered before received)
        are data errors and are left out, counted in ``attrs["negative"]``.
    """
    claims = check_dataframe(claims, "claims")
    check_columns(claims, ["received"], "claims")
    confidence = check_confidence(confidence)
    rows, negative = [], {}
    for measure, col in (("response", "responded"), ("closure", "resolved")):
        if col not in claims.columns:
            continue
        t = _days(claims, col)
        negative[measure] = int((t < 0).sum())
        ok = t[t >= 0].to_numpy(dtype=float)
        lo, hi = median_interval(ok, confidence)
        q = np.quantile(ok, [0.25, 0.5, 0.75, 0.9]) if len(ok) else [math.nan] * 4
        rows.append(
            {
                "measure": measure,
                "n": len(ok),
                "pending": int(t.isna().sum()),
                "median": q[1],
                "median_low": lo,
                "median_high": hi,
                "q25": q[0],
                "q75": q[2],
                "p90": q[3],
                "mean": float(ok.mean()) if len(ok) else math.nan,
            }
        )
    if not rows:
        return None
    out = pd.DataFrame(rows)
    out.attrs["negative"] = negative
    return out


def within_deadline(
    claims: pd.DataFrame,
    days: float | None,
    *,
    as_of: Any = None,
    confidence: float = 0.95,
) -> dict | None:
    """Share of complaints closed within the company's own deadline of ``days``.

    The base is every complaint received by ``as_of`` (default: the latest date in the
    table) that is closed by then or whose deadline has passed; a complaint still open
    past its deadline counts as late.

    Returns
    -------
    dict or None
        ``days``, ``n`` (base), ``within``, ``share``, ``ci_low``, ``ci_high``,
        ``open_late`` (open past the deadline); None without a deadline or a
        ``resolved`` column.
    """
    if days is None or "resolved" not in claims.columns:
        return None
    confidence = check_confidence(confidence)
    received = pd.to_datetime(claims["received"], errors="coerce")
    resolved = pd.to_datetime(claims["resolved"], errors="coerce")
    if as_of is None:
        as_of = pd.concat([received, resolved]).max()
    as_of = pd.Timestamp(as_of)
    seen = received <= as_of
    resolved = resolved.where(resolved <= as_of)  # closed later: still open on as_of
    t = (resolved - received).dt.total_seconds() / 86400
    due_passed = seen & (received + pd.to_timedelta(days, unit="D") <= as_of)
    closed = seen & resolved.notna() & (t >= 0)
    base = closed | (due_passed & resolved.isna())
    n = int(base.sum())
    within = int((closed & (t <= days)).sum())
    share = within / n if n else math.nan
    lo, hi = wilson_interval(share, n, confidence) if n else (math.nan, math.nan)
    return {
        "days": float(days),
        "n": n,
        "within": within,
        "share": share,
        "ci_low": lo,
        "ci_high": hi,
        "open_late": int((due_passed & resolved.isna()).sum()),
    }


def _flag(x: pd.Series) -> pd.Series:
    return pd.to_numeric(x, errors="coerce")


def shares_by(
    claims: pd.DataFrame,
    by: str,
    *,
    min_base: int = 30,
    confidence: float = 0.95,
) -> pd.DataFrame | None:
    """Complaints, timely and disputed shares and median days to closure by ``by``.

    Returns
    -------
    DataFrame or None
        One row per value of ``by`` (blank as ``"(not recorded)"``), most complaints
        first: ``group``, ``complaints``, ``share_of_all``; for each of ``timely`` and
        ``disputed`` the table has: ``<field>_n`` (complaints recording it),
        ``<field>_share``, ``<field>_low``, ``<field>_high`` (NaN under ``min_base``);
        ``median_closure_days`` when ``resolved`` is recorded. None when ``by`` is absent.
    """
    if by not in claims.columns:
        return None
    confidence = check_confidence(confidence)
    d = claims.copy()
    d["_g"] = d[by].astype("string").str.strip().replace("", pd.NA).fillna("(not recorded)")
    if "resolved" in d.columns:
        t = _days(d, "resolved")
        d["_t"] = t.where(t >= 0)
    rows = []
    for g, part in d.groupby("_g", sort=False):
        row: dict[str, Any] = {"group": str(g), "complaints": len(part)}
        row["share_of_all"] = len(part) / len(d)
        for field in ("timely", "disputed"):
            if field not in d.columns:
                continue
            x = _flag(part[field])
            n = int(x.notna().sum())
            share = float((x == 1).sum() / n) if n else math.nan
            ok = n >= min_base
            lo, hi = wilson_interval(share, n, confidence) if ok else (math.nan, math.nan)
            row.update(
                {
                    f"{field}_n": n,
                    f"{field}_share": share if ok else math.nan,
                    f"{field}_low": lo,
                    f"{field}_high": hi,
                }
            )
        if "_t" in part.columns:
            tt = part["_t"].dropna()
            row["median_closure_days"] = float(tt.median()) if len(tt) >= min_base else math.nan
        rows.append(row)
    out = pd.DataFrame(rows).sort_values(["complaints", "group"], ascending=[False, True])
    out = out.reset_index(drop=True)
    out.attrs.update(by=by, min_base=min_base)
    return out


def poisson_trend(counts: Sequence[float], confidence: float = 0.95) -> dict:
    """Log-linear Poisson trend of counts over equally spaced periods.

    Fits ``log E[y_t] = a + b t`` by maximum likelihood and tests ``b = 0`` with the
    likelihood-ratio statistic (chi-square, 1 df), both scaled by the quasi-Poisson
    dispersion (Pearson's chi-square over its degrees of freedom, at least 1).

    Returns
    -------
    dict
        ``change`` (``exp(b) - 1``, the change per period), ``change_low``,
        ``change_high`` (Wald interval on ``b``), ``p_value``, ``dispersion``,
        ``periods``, ``total``.
    """
    y = np.asarray(counts, dtype=float)
    t = np.arange(len(y), dtype=float)
    t = t - t.mean()
    out = {"periods": len(y), "total": float(y.sum())}
    if len(y) < 3 or y.sum() == 0:
        return {**out, "change": math.nan, "change_low": math.nan, "change_high": math.nan,
                "p_value": math.nan, "dispersion": math.nan}  # fmt: skip

    def nll(p):
        eta = p[0] + p[1] * t
        return float(np.sum(np.exp(eta) - y * eta))

    def grad(p):
        mu = np.exp(p[0] + p[1] * t)
        return np.array([np.sum(mu - y), np.sum((mu - y) * t)])

    start = np.array([math.log(y.mean()), 0.0])
    fit = optimize.minimize(nll, start, jac=grad, method="BFGS", options={"gtol": 1e-10})
    a, b = fit.x
    mu = np.exp(a + b * t)
    info = np.array([[mu.sum(), (mu * t).sum()], [(mu * t).sum(), (mu * t * t).sum()]])
    # quasi-Poisson: monthly counts vary more than Poisson (seasons, campaigns); the
    # dispersion from Pearson's chi-square, never below 1, widens the interval and test
    dispersion = max(1.0, float(np.sum((y - mu) ** 2 / mu)) / (len(y) - 2))
    se = math.sqrt(np.linalg.inv(info)[1, 1] * dispersion)
    ybar = y.mean()
    ll1 = np.sum(y * np.log(np.where(y > 0, mu, 1.0)) - mu)
    ll0 = np.sum(y * math.log(ybar) - ybar)
    lr = max(0.0, 2 * (ll1 - ll0)) / dispersion
    z = stats.norm.ppf(0.5 + confidence / 2)
    return {
        **out,
        "change": math.expm1(b),
        "change_low": math.expm1(b - z * se),
        "change_high": math.expm1(b + z * se),
        "p_value": float(stats.chi2.sf(lr, 1)),
        "dispersion": dispersion,
    }


def category_trend(
    claims: pd.DataFrame,
    *,
    by: str = "category",
    min_count: int = 30,
    confidence: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """Monthly complaint counts per category (months without one count as zero) and trends.

    Returns
    -------
    (monthly, trend) or None
        ``monthly``: months as rows, one column per category (most frequent first) plus
        ``all``. ``trend``: one row per category with at least ``min_count`` complaints,
        and ``all``: ``group`` and the :func:`poisson_trend` fields. The first and last
        months may be partial: they are left out of the trend when the table covers
        at least five months. None when ``by`` or ``received`` is absent.
    """
    if by not in claims.columns or "received" not in claims.columns:
        return None
    received = pd.to_datetime(claims["received"], errors="coerce")
    ok = received.notna()
    if not ok.any():
        return None
    month = received[ok].dt.to_period("M")
    group = claims.loc[ok, by].astype("string").str.strip().replace("", pd.NA)
    group = group.fillna("(not recorded)")
    months = pd.period_range(month.min(), month.max(), freq="M")
    table = pd.crosstab(month, group).reindex(months, fill_value=0)
    order = table.sum().sort_values(ascending=False, kind="stable").index
    table = table[order]
    table["all"] = table.sum(axis=1)
    table.index.name = "month"
    fit_rows = table.iloc[1:-1] if len(table) >= 5 else table
    rows = []
    for g in ["all", *order]:
        if g != "all" and table[g].sum() < min_count:
            continue
        rows.append({"group": str(g), **poisson_trend(fit_rows[g].to_numpy(), confidence)})
    return table, pd.DataFrame(rows)


@dataclass(frozen=True)
class ComplaintsResult:
    """Complaints analytics of one register (each field None when its columns are absent).

    Attributes
    ----------
    times : DataFrame or None
        :func:`complaint_times`.
    deadline : dict or None
        :func:`within_deadline` for the company's own deadline (``service.claim_target_days``).
    breakdowns : dict
        :func:`shares_by` for each of :data:`BREAKDOWNS` the register has.
    monthly, trend : DataFrame or None
        :func:`category_trend`.
    min_base, confidence : int, float
        The minimum base and the interval level used.
    """

    times: pd.DataFrame | None
    deadline: dict | None
    breakdowns: dict[str, pd.DataFrame]
    monthly: pd.DataFrame | None
    trend: pd.DataFrame | None
    min_base: int = 30
    confidence: float = 0.95


def analyse_complaints(
    claims: pd.DataFrame | None,
    *,
    deadline_days: float | None = None,
    min_base: int = 30,
    confidence: float = 0.95,
    as_of: Any = None,
) -> ComplaintsResult | None:
    """Every complaints analysis the register supports; None without a register."""
    if claims is None or not len(claims):
        return None
    breakdowns = {}
    for by in BREAKDOWNS:
        t = shares_by(claims, by, min_base=min_base, confidence=confidence)
        if t is not None:
            breakdowns[by] = t
    tr = category_trend(claims, min_count=min_base, confidence=confidence)
    monthly, trend = tr if tr is not None else (None, None)
    return ComplaintsResult(
        complaint_times(claims, confidence=confidence),
        within_deadline(claims, deadline_days, as_of=as_of, confidence=confidence),
        breakdowns,
        monthly,
        trend,
        int(min_base),
        float(confidence),
    )


#: the summary.json fields of :func:`complaints_headline`
HEADLINE_FIELDS = (
    "complaints_median_response_days",
    "complaints_median_closure_days",
    "complaints_p90_closure_days",
    "complaints_within_deadline",
    "complaints_within_deadline_n",
    "complaints_deadline_days",
    "complaints_trend_change",
    "complaints_trend_p",
    "complaints_fastest_growing",
    "complaints_fastest_growing_change",
)


def _num(v: Any) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def complaints_headline(result: ComplaintsResult | None) -> dict:
    """The complaints numbers of summary.json (None where not computed).

    ``complaints_median_response_days`` / ``_closure_days`` and
    ``complaints_p90_closure_days``; ``complaints_within_deadline`` (share closed
    within ``complaints_deadline_days``, the company's deadline) on
    ``complaints_within_deadline_n``; ``complaints_trend_change`` (monthly change of
    all complaints, Poisson trend) with ``complaints_trend_p``; the category growing
    fastest with a significant trend (p < 0.05) and its monthly change.
    """
    h: dict[str, Any] = dict.fromkeys(HEADLINE_FIELDS)
    if result is None:
        return h
    if result.times is not None:
        t = result.times.set_index("measure")
        if "response" in t.index:
            h["complaints_median_response_days"] = _num(t.loc["response", "median"])
        if "closure" in t.index:
            h["complaints_median_closure_days"] = _num(t.loc["closure", "median"])
            h["complaints_p90_closure_days"] = _num(t.loc["closure", "p90"])
    if result.deadline is not None:
        h["complaints_within_deadline"] = _num(result.deadline["share"])
        h["complaints_within_deadline_n"] = int(result.deadline["n"])
        h["complaints_deadline_days"] = float(result.deadline["days"])
    if result.trend is not None and len(result.trend):
        tr = result.trend.set_index("group")
        if "all" in tr.index:
            h["complaints_trend_change"] = _num(tr.loc["all", "change"])
            h["complaints_trend_p"] = _num(tr.loc["all", "p_value"])
        cats = tr.drop(index="all", errors="ignore")
        cats = cats[(cats["p_value"] < 0.05) & (cats["change"] > 0)]
        if len(cats):
            top = cats["change"].idxmax()
            h["complaints_fastest_growing"] = str(top)
            h["complaints_fastest_growing_change"] = _num(cats.loc[top, "change"])
    return h
