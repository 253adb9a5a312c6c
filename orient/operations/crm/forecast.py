"""Sales forecast of the next periods from the open deals, learned from the company's
own closed deals, and its backtest on the history.

The model
---------
* Closing age: the Aalen-Johansen estimate of the chance of closing won, or lost, by
  each age in days (:func:`competing_risks`), from every deal of the table: closed
  deals are events, open ones are censored at their present age (so the long cycles
  of recent deals still open are not lost from the history).
* A deal open at age ``a`` is won with probability ``(F_w(end) - F_w(a)) / S(a)``
  (``F_w`` the cumulative chance of a win, ``S`` the share still open) and, if won,
  closes at an age drawn from the increments of ``F_w`` after ``a``: the longer a
  deal has been open, the less its chance when won deals seldom take so long.
* Its stage moves that chance by the odds ratio of the stage's win probability to
  the first stage's (:func:`stage_win_probabilities`: of the closed deals that
  reached a stage, the share won; a won deal passed every stage).

:func:`forecast` sums the planned amounts into windows of ``period_days`` after the
reference date: the expected amount exactly, the interval by simulating each deal's
Bernoulli outcome and closing age. :func:`backtest` cuts the history at past dates,
learns the model from what was known at each cut (deals created before it, closed
ones closed before it, without stages, which the table holds only as they are now)
and compares the forecast of the next window with what those deals actually brought.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_confidence, check_positive_int
from orient.operations.crm.deals import activity_date, deals_table
from orient.operations.crm.pipeline import _stage_order
from orient.stats import wilson_interval

__all__ = [
    "UNKNOWN_LOSS_STAGE",
    "backtest",
    "competing_risks",
    "forecast",
    "stage_win_probabilities",
]

#: above this share of lost deals without their stage of loss, stage chances are unknown
UNKNOWN_LOSS_STAGE = 0.1


def stage_win_probabilities(
    deals: pd.DataFrame, *, stages: Sequence[str] | None = None, confidence: float = 0.95
) -> pd.DataFrame:
    """Probability that a deal which reached each stage is won, from closed deals.

    Returns
    -------
    DataFrame
        One row per stage in order: ``stage``, ``closed`` (closed deals that reached
        it), ``won``, ``probability`` (won / closed) with Wilson ``ci_low``,
        ``ci_high``. Lost deals recorded at a stage outside ``stages`` (a terminal
        "Lost") count as reaching the first stage only; when they are more than
        :data:`UNKNOWN_LOSS_STAGE` of the lost deals, the chances past the first stage
        are NaN (not known). ``attrs["loss_stage_recorded"]``: share of lost deals
        whose stage is one of ``stages``.
    """
    d = deals_table(deals, ["stage"])
    order = _stage_order(d, stages)
    c = d[d["outcome"] != "open"]
    pos = c["stage"].map({s: i for i, s in enumerate(order)})
    won = c["outcome"] == "won"
    pos = pos.where(~won, len(order) - 1).fillna(0)
    n = np.array([int((pos >= i).sum()) for i in range(len(order))])
    w = np.full(len(order), int(won.sum()))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = w / n
    lo, hi = wilson_interval(p, n, check_confidence(confidence))
    lost = c["outcome"] == "lost"
    known = float((lost & c["stage"].isin(order)).sum() / lost.sum()) if lost.any() else 1.0
    if known < 1 - UNKNOWN_LOSS_STAGE:
        # where deals were lost is not known: past the first stage the chances are not either
        p, lo, hi = (np.r_[x[:1], np.full(len(x) - 1, np.nan)] for x in (p, lo, hi))
    out = pd.DataFrame(
        {"stage": order, "closed": n, "won": w, "probability": p, "ci_low": lo, "ci_high": hi}
    )
    out.attrs["loss_stage_recorded"] = known
    return out


def competing_risks(days, outcome) -> pd.DataFrame:
    """Aalen-Johansen estimate of the chance of closing won or lost by each age.

    ``days`` is each deal's age at closing, or at the reference date for a deal still
    open (censored); ``outcome`` ``won``, ``lost`` or ``open``. Open deals leave the
    risk set without an event, so recent deals with long cycles do not bias the
    cycles towards short ones.

    Returns
    -------
    DataFrame
        One row per distinct closing age: ``days``, ``at_risk``, ``won``, ``lost``,
        ``won_by`` (cumulative incidence of a win by that age), ``lost_by``,
        ``open_after`` (share still open after it).
    """
    t = pd.DataFrame({"days": np.asarray(days, float), "outcome": np.asarray(outcome)})
    t = t[np.isfinite(t["days"])]
    ev = t[t["outcome"] != "open"]
    g = pd.crosstab(ev["days"], ev["outcome"]).reindex(columns=["won", "lost"], fill_value=0)
    times = g.index.to_numpy(float)
    all_days = np.sort(t["days"].to_numpy())
    at_risk = len(all_days) - np.searchsorted(all_days, times, side="left")
    w, lo = g["won"].to_numpy(float), g["lost"].to_numpy(float)
    surv_after = np.cumprod(1 - (w + lo) / at_risk)
    before = np.r_[1.0, surv_after[:-1]]
    return pd.DataFrame(
        {
            "days": times,
            "at_risk": at_risk,
            "won": w.astype(int),
            "lost": lo.astype(int),
            "won_by": np.cumsum(before * w / at_risk),
            "lost_by": np.cumsum(before * lo / at_risk),
            "open_after": surv_after,
        }
    )


def _step(cr: pd.DataFrame, col: str, x: np.ndarray, start: float) -> np.ndarray:
    """The step function ``cr[col]`` at ages ``x`` (``start`` before the first age)."""
    i = np.searchsorted(cr["days"].to_numpy(), x, side="right")
    return np.r_[start, cr[col].to_numpy()][i]


def _odds_scale(q: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """``q`` with its odds multiplied by ``ratio`` (1 keeps it; 0 or 1 stay)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        o = q / (1 - q) * ratio
        return np.where(q >= 1, 1.0, np.where(np.isfinite(o), o / (1 + o), 1.0))


def _windows(start: pd.Timestamp, periods: int, period_days: int) -> pd.DataFrame:
    first = start + pd.to_timedelta(np.arange(periods) * period_days + 1, "D")
    last = first + pd.Timedelta(days=period_days - 1)
    return pd.DataFrame({"period": np.arange(1, periods + 1), "start": first, "end": last})


def _predict(cr, age, amount, ratio, ref, periods, period_days, n_sims, conf, seed):
    """Expected and simulated amounts per window for open deals of ``age`` days."""
    n = len(age)
    s_a = _step(cr, "open_after", age, 1.0)
    f_a = _step(cr, "won_by", age, 0.0)
    f_end = float(cr["won_by"].iloc[-1]) if len(cr) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        q_age = np.where(s_a > 0, (f_end - f_a) / s_a, 0.0)
        edges = age[:, None] + period_days * np.arange(periods + 1)[None, :]
        f_edges = _step(cr, "won_by", edges.ravel(), 0.0).reshape(n, periods + 1)
        # P(close in window j | won, open at a)
        cp = np.where(q_age[:, None] > 0, np.diff(f_edges, axis=1) / (f_end - f_a)[:, None], 0.0)
    q = _odds_scale(q_age, ratio)
    out = _windows(ref, periods, period_days)
    out["expected"] = (q[:, None] * cp * amount[:, None]).sum(axis=0)
    out["expected_deals"] = (q[:, None] * cp).sum(axis=0)
    sims = np.zeros((n_sims, periods))
    if n and len(cr):
        rng = np.random.default_rng(seed)
        wins = rng.random((n_sims, n)) < q
        # the closing age of a win: invert won_by between F(a) and F(end)
        u = f_a + rng.random((n_sims, n)) * (f_end - f_a)
        k = np.minimum(np.searchsorted(cr["won_by"].to_numpy(), u, side="left"), len(cr) - 1)
        rest = cr["days"].to_numpy()[k] - age
        j = np.floor((np.ceil(rest) - 1).clip(min=0) / period_days).astype(int)
        ok = wins & (j < periods) & (rest > 0)
        rows = np.broadcast_to(np.arange(n_sims)[:, None], ok.shape)
        np.add.at(sims, (rows[ok], j[ok]), np.broadcast_to(amount, ok.shape)[ok])
    out["low"] = np.quantile(sims, (1 - conf) / 2, axis=0)
    out["high"] = np.quantile(sims, (1 + conf) / 2, axis=0)
    out.attrs["probability"] = q
    return out[["period", "start", "end", "expected", "low", "high", "expected_deals"]]


def _ages(d: pd.DataFrame, ref: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Each deal's age at closing, or at ``ref`` when open then, and its outcome then."""
    closed = d["closed"].notna() & (d["closed"] <= ref) & (d["outcome"] != "open")
    end = d["closed"].where(closed, ref)
    days = (end - d["created"]).dt.total_seconds().to_numpy() / 86400
    return days, np.where(closed, d["outcome"], "open")


def forecast(
    deals: pd.DataFrame,
    *,
    stages: Sequence[str] | None = None,
    as_of: Any = None,
    periods: int = 3,
    period_days: int = 30,
    n_sims: int = 4000,
    confidence: float = 0.9,
    seed: int = 0,
) -> pd.DataFrame:
    """Amount expected from the open deals in each of the next ``periods`` windows.

    Parameters
    ----------
    as_of : date-like, optional
        The reference date (default the latest date of the table); windows start the
        day after it.
    period_days : int, default 30
        Length of each window.
    confidence : float, default 0.9
        Level of the simulated interval.

    Returns
    -------
    DataFrame
        One row per window: ``period``, ``start``, ``end``, ``expected`` (sum of
        q x P(close in the window) x planned amount), ``low``, ``high`` (simulated
        quantiles), ``expected_deals``. ``attrs``: ``deals`` (open deals used),
        ``no_amount`` (open deals without a planned amount, left out), ``as_of``,
        ``probabilities`` (:func:`stage_win_probabilities`), ``closed_history``.
    """
    d = deals_table(deals, ["stage", "created", "closed", "planned_amount"])
    periods = check_positive_int(periods, "periods")
    period_days = check_positive_int(period_days, "period_days")
    confidence = check_confidence(confidence)
    ref = activity_date(d, as_of)
    d = d[d["created"] <= ref]
    probs = stage_win_probabilities(d, stages=stages)
    first = probs["probability"].iloc[0] if len(probs) else np.nan

    def odds(p):
        with np.errstate(divide="ignore", invalid="ignore"):
            return p / (1 - p)

    ratio = dict(zip(probs["stage"], odds(probs["probability"]) / odds(first), strict=True))
    cr = competing_risks(*_ages(d, ref))
    op = d[(d["outcome"] == "open") | (d["closed"] > ref)]
    no_amount = int(op["planned_amount"].isna().sum())
    op = op[op["planned_amount"].notna()]
    r = op["stage"].map(ratio).astype(float).fillna(1.0).to_numpy()
    age = ((ref - op["created"]).dt.total_seconds() / 86400).to_numpy(float)
    out = _predict(
        cr, age, op["planned_amount"].to_numpy(float), np.nan_to_num(r, nan=1.0), ref,
        periods, period_days, n_sims, confidence, seed,
    )  # fmt: skip
    out.attrs.update(
        deals=len(op),
        no_amount=no_amount,
        as_of=ref,
        probabilities=probs,
        closed_history=int(cr["won"].sum() + cr["lost"].sum()),
    )
    return out


def backtest(
    deals: pd.DataFrame,
    *,
    cuts: int = 6,
    period_days: int = 30,
    min_history: int = 30,
    n_sims: int = 2000,
    confidence: float = 0.9,
    seed: int = 0,
) -> pd.DataFrame:
    """Forecast of the first window made at past cut dates against what happened.

    The cut dates are the reference date minus 1, 2, ... ``cuts`` windows; at each,
    the deals created before it teach the model (closed ones as closed before it, the
    others as open then), the deals still open then are forecast, and the
    actual is the planned amount of those deals won within the window. A cut with
    fewer than ``min_history`` closed deals is skipped.

    Returns
    -------
    DataFrame
        One row per cut, oldest first: ``cut``, ``open_deals``, ``forecast``,
        ``low``, ``high``, ``actual``, ``error`` (forecast - actual), ``covered``
        (actual within the interval). ``attrs``: ``mae`` (mean absolute error),
        ``wape`` (sum of absolute errors / sum of actuals), ``bias`` (mean error),
        ``coverage`` (share of cuts covered), ``period_days``.
    """
    d = deals_table(deals, ["created", "closed", "planned_amount"])
    cuts = check_positive_int(cuts, "cuts")
    ref = activity_date(d)
    rows = []
    for k in range(cuts, 0, -1):
        cut = ref - pd.Timedelta(days=k * period_days)
        if int((d["closed"] <= cut).sum()) < min_history:
            continue
        known = d[d["created"] <= cut]
        cr = competing_risks(*_ages(known, cut))
        at = known[known["closed"].isna() | (known["closed"] > cut)]
        at = at[at["planned_amount"].notna()]
        age = ((cut - at["created"]).dt.total_seconds() / 86400).to_numpy(float)
        f = _predict(
            cr, age, at["planned_amount"].to_numpy(float), np.ones(len(at)), cut,
            1, period_days, n_sims, confidence, seed,
        )  # fmt: skip
        end = cut + pd.Timedelta(days=period_days)
        hit = (at["outcome"] == "won") & (at["closed"] <= end)
        actual = float(at.loc[hit, "planned_amount"].sum())
        rows.append(
            {
                "cut": cut,
                "open_deals": len(at),
                "forecast": float(f["expected"].iloc[0]),
                "low": float(f["low"].iloc[0]),
                "high": float(f["high"].iloc[0]),
                "actual": actual,
            }
        )
    cols = ["cut", "open_deals", "forecast", "low", "high", "actual"]
    out = pd.DataFrame(rows, columns=cols)
    out["error"] = out["forecast"] - out["actual"]
    out["covered"] = (out["actual"] >= out["low"]) & (out["actual"] <= out["high"])
    total = out["actual"].sum()
    out.attrs.update(
        mae=float(out["error"].abs().mean()) if len(out) else np.nan,
        wape=float(out["error"].abs().sum() / total) if total else np.nan,
        bias=float(out["error"].mean()) if len(out) else np.nan,
        coverage=float(out["covered"].mean()) if len(out) else np.nan,
        period_days=period_days,
    )
    return out
