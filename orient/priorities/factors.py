"""Basic, performance and excitement factors: :func:`penalty_reward` (penalty-reward contrasts)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_confidence, check_dataframe, check_numeric_columns
from orient.errors import DataError, OrientWarning
from orient.priorities._inputs import _check_drivers, _resolve_weights
from orient.priorities.performance import _attribute_table

__all__ = ["DO_NOT_CUT", "penalty_reward"]

#: the flag on a ``maintain_or_reduce`` attribute that is a basic factor
DO_NOT_CUT = "do not cut: it hurts when it slips"


def _raw_contrasts(
    y: np.ndarray, low: np.ndarray, high: np.ndarray, w: np.ndarray
) -> tuple[float, float]:
    """The unadjusted pattern: mean target of the middle raters minus that of the low
    raters (raw penalty) and of the high raters minus the middle (raw reward); without
    middle raters, both are the high-minus-low difference."""

    def mean(mask: np.ndarray) -> float:
        total = float(w[mask].sum())
        return float((y[mask] * w[mask]).sum() / total) if total > 0 else float("nan")

    lo, hi = mean(low > 0), mean(high > 0)
    mid = mean((low == 0) & (high == 0))
    if not np.isfinite(mid):
        return hi - lo, hi - lo
    return mid - lo, hi - mid


#: rows of the design multiplied at a time by :func:`_wls` (bounds its temporary memory)
_WLS_ROWS = 2**16


def _wls(y: np.ndarray, x: np.ndarray, w: np.ndarray, alpha: float) -> dict:
    """Weighted least squares of ``y`` on the design ``x`` (with its constant column):
    coefficients, their ``1 - alpha`` t intervals, covariance matrix, residual degrees
    of freedom and R², as statsmodels' ``WLS(y, x, weights=w).fit()`` gives them
    (its pseudo-inverse solution; residual variance ``sum w e^2 / (n - rank)``;
    ``R² = 1 - sum w e^2 / sum w (y - ybar_w)^2``), from the cross-products
    ``x' W x`` and ``x' W y``, accumulated over blocks of rows: a k x k problem whatever
    the rows, without statsmodels' copies and SVD of the n x k design."""
    from scipy import stats

    k = x.shape[1]
    xtx = np.zeros((k, k))
    xty = np.zeros(k)
    for start in range(0, len(y), _WLS_ROWS):
        rows = slice(start, start + _WLS_ROWS)
        xw = x[rows] * w[rows, None]
        xtx += xw.T @ x[rows]
        xty += xw.T @ y[rows]
    inv = np.linalg.pinv(xtx, hermitian=True)
    params = inv @ xty
    resid = y - x @ params
    ssr = float(np.sum(w * resid**2))
    rank = int(np.linalg.matrix_rank(xtx, hermitian=True))
    df = len(y) - rank
    cov = inv * (ssr / df)
    half = stats.t.ppf(1 - alpha / 2, df) * np.sqrt(np.diag(cov))
    ybar = np.average(y, weights=w)
    r2 = 1.0 - ssr / float(np.sum(w * (y - ybar) ** 2))
    return {"params": params, "ci": np.column_stack([params - half, params + half]),
            "cov": cov, "df": df, "r2": r2}  # fmt: skip


def _t_test(fit: dict, contrast: np.ndarray) -> float:
    """Two-sided p-value of the t test that ``contrast @ params`` is zero."""
    from scipy import stats

    t = float(contrast @ fit["params"]) / float(np.sqrt(contrast @ fit["cov"] @ contrast))
    return float(2 * stats.t.sf(abs(t), fit["df"]))


def _factor_type(
    significant: bool,
    asymmetry: float,
    threshold: float,
    bounds: dict,
    raw_penalty: float,
    raw_reward: float,
) -> str:
    """Basic or excitement only when the asymmetry is significant, the dominant effect's
    interval excludes zero and the raw pattern runs the same way; a significant
    asymmetry that fails either check is ``"unclear"``; a performance factor needs the
    penalty or the reward clearly above zero, otherwise the attribute has no measurable
    effect (``"no_effect"``)."""
    if significant and asymmetry < -threshold:
        supported = bounds["penalty_ci_low"] > 0 and raw_penalty > 0
        return "basic" if supported else "unclear"
    if significant and asymmetry > threshold:
        supported = bounds["reward_ci_low"] > 0 and raw_reward > 0
        return "excitement" if supported else "unclear"
    if not (bounds["penalty_ci_low"] > 0 or bounds["reward_ci_low"] > 0):
        return "no_effect"  # neither a low nor a high rating clearly moves the target
    return "performance"


def penalty_reward(
    data: pd.DataFrame,
    target: str,
    attributes: Any,
    *,
    weights: Any = None,
    low: float = 0.25,
    high: float = 0.25,
    threshold: float = 0.2,
    alpha: float = 0.05,
    confidence: float = 0.95,
    controls: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Penalty-reward contrast analysis: basic, performance and excitement factors.

    Each attribute gets two dummies: *low* (rating in the bottom ``low`` fraction of
    its scale: ``x <= min + low * (max - min)``) and *high* (top ``high`` fraction:
    ``x >= max - high * (max - min)``); the middle is the reference. The target is
    regressed (weighted least squares) on all dummies at once (Brandt 1987). The
    penalty is the drop in the target for a low rating (minus the low coefficient),
    the reward the rise for a high rating. The impact asymmetry
    ``(reward - penalty) / (|reward| + |penalty|)`` (Mikulić & Prebežac 2008)
    classifies the attribute: below ``-threshold`` a **basic** factor (dissatisfies
    when poor, adds little when good), above ``threshold`` an **excitement** factor,
    otherwise a **performance** factor (when the penalty or the reward is clearly above
    zero; else it has no measurable effect); an asymmetry counts only when the test that
    penalty equals reward rejects at ``alpha`` (so that small, noisy effects are not
    called basic or excitement), the dominant effect's interval excludes zero and the
    raw group means run the same way (those rating an attribute low are less
    satisfied than the middle for a basic factor); otherwise the type is unclear.

    Parameters
    ----------
    data : DataFrame
        The survey.
    target : str
        Overall satisfaction column.
    attributes : list of Attribute, list of dict, DataFrame, or list of str
        The attributes (their columns and scale ends); plain column names use each
        column's observed minimum and maximum as scale ends.
    weights : str, array-like or None
        Survey weights.
    low, high : float
        Fractions of the scale range that count as low and as high performance.
    threshold : float
        Impact asymmetry beyond which an attribute is basic or excitement.
    alpha : float
        Significance level of the penalty-equals-reward test required as well.
    confidence : float
        Level of the intervals of penalty and reward.
    controls : list of str, optional
        Categorical columns (segment variables) held fixed: their dummies enter the
        regression, so that a penalty or reward is not a difference between segments.
        Respondents without a value of a control are left out.

    Returns
    -------
    DataFrame
        Indexed by attribute, columns ``penalty``, ``penalty_ci_low``,
        ``penalty_ci_high``, ``reward``, ``reward_ci_low``, ``reward_ci_high``,
        ``raw_penalty``, ``raw_reward`` (the same contrasts from the plain group means,
        no adjustment for the other attributes), ``asymmetry``, ``p_value`` (test that
        penalty equals reward), ``n_low``, ``n_high`` (respondents rating low / high)
        and ``factor`` (``"basic"``, ``"performance"``, ``"excitement"``,
        ``"unclear"`` when the asymmetry is significant but the dominant effect's
        interval includes zero or the raw pattern runs the other way, ``"no_effect"``
        when neither the penalty's nor the reward's interval lies above zero, or
        ``"undetermined"`` when nobody rated the attribute low or nobody high).
        ``attrs``: ``n``, ``r2``.
    """
    data = check_dataframe(data)
    confidence = check_confidence(confidence)
    if (
        isinstance(attributes, Sequence)
        and attributes
        and all(isinstance(a, str) for a in attributes)
    ):
        check_columns(data, list(attributes), "data")
        check_numeric_columns(data, list(attributes), "data")
        table = pd.DataFrame(
            {
                "key": list(attributes),
                "column": list(attributes),
                "scale_min": [data[a].min() for a in attributes],
                "scale_max": [data[a].max() for a in attributes],
            }
        )
        table = _attribute_table(table)
    else:
        table = _attribute_table(attributes)
    for frac, nm in ((low, "low"), (high, "high")):
        if not isinstance(frac, int | float) or not 0 < frac < 0.5:
            raise ValueError(f"`{nm}` must be a fraction between 0 and 0.5; got {frac!r}.")
    cols = list(table["column"])
    _check_drivers(data, target, cols)
    w_all = _resolve_weights(data, weights)
    frame = data[[target, *cols]].astype(float)
    keep = frame.notna().all(axis=1).to_numpy().copy()
    controls = list(controls or [])
    check_columns(data, controls, "data")
    for c in controls:
        keep &= data[c].notna().to_numpy()
    frame = frame[keep]
    w = np.ones(len(frame)) if w_all is None else w_all[keep]
    dummies = {}
    n_low, n_high, usable = [], [], []
    for key, a in table.iterrows():
        v = frame[a["column"]].to_numpy()
        rng_ = a["scale_max"] - a["scale_min"]
        lo_d = (v <= a["scale_min"] + low * rng_ + 1e-9).astype(float)
        hi_d = (v >= a["scale_max"] - high * rng_ - 1e-9).astype(float)
        n_low.append(int(lo_d.sum()))
        n_high.append(int(hi_d.sum()))
        ok = 0 < lo_d.sum() < len(v) and 0 < hi_d.sum() < len(v)
        usable.append(ok)
        if ok:
            dummies[f"{key}__low"] = lo_d
            dummies[f"{key}__high"] = hi_d
    if not dummies:
        raise DataError(
            "no attribute has both low and high ratings",
            column=cols[0],
            expected="ratings spread over the scale",
        )
    names = ["const", *dummies]
    parts = [np.ones((len(frame), 1)), np.column_stack(list(dummies.values()))]
    if controls:
        fixed = pd.get_dummies(data.loc[keep, controls].astype(str), drop_first=True, dtype=float)
        names += [f"control__{c}" for c in fixed.columns]
        parts.append(fixed.to_numpy())
    design = np.hstack(parts)
    del parts
    if len(frame) <= design.shape[1]:
        raise DataError(
            f"only {len(frame)} complete respondents for {design.shape[1]} terms",
            column=target,
            expected="more respondents",
        )
    fit = _wls(frame[target].to_numpy(), design, w, 1 - confidence)
    col = {c: i for i, c in enumerate(names)}
    rows = []
    for (key, _a), ok, nl, nh in zip(table.iterrows(), usable, n_low, n_high, strict=True):
        if not ok:
            rows.append(
                {
                    "penalty": np.nan,
                    "penalty_ci_low": np.nan,
                    "penalty_ci_high": np.nan,
                    "reward": np.nan,
                    "reward_ci_low": np.nan,
                    "reward_ci_high": np.nan,
                    "raw_penalty": np.nan,
                    "raw_reward": np.nan,
                    "asymmetry": np.nan,
                    "p_value": np.nan,
                    "n_low": nl,
                    "n_high": nh,
                    "factor": "undetermined",
                }
            )
            continue
        lo_n, hi_n = col[f"{key}__low"], col[f"{key}__high"]
        pen, rew = -fit["params"][lo_n], fit["params"][hi_n]
        contrast = np.zeros(len(names))
        contrast[[lo_n, hi_n]] = 1.0
        pval = _t_test(fit, contrast)
        denom = abs(pen) + abs(rew)
        asym = (rew - pen) / denom if denom > 0 else 0.0
        raw_pen, raw_rew = _raw_contrasts(
            frame[target].to_numpy(), dummies[f"{key}__low"], dummies[f"{key}__high"], w
        )
        ci = fit["ci"]
        bounds = {
            "penalty_ci_low": -ci[lo_n, 1],
            "penalty_ci_high": -ci[lo_n, 0],
            "reward_ci_low": ci[hi_n, 0],
            "reward_ci_high": ci[hi_n, 1],
        }
        factor = _factor_type(pval < alpha, asym, threshold, bounds, raw_pen, raw_rew)
        rows.append(
            {
                "penalty": pen,
                "penalty_ci_low": bounds["penalty_ci_low"],
                "penalty_ci_high": bounds["penalty_ci_high"],
                "reward": rew,
                "reward_ci_low": bounds["reward_ci_low"],
                "reward_ci_high": bounds["reward_ci_high"],
                "raw_penalty": raw_pen,
                "raw_reward": raw_rew,
                "asymmetry": asym,
                "p_value": pval,
                "n_low": nl,
                "n_high": nh,
                "factor": factor,
            }
        )
    out = pd.DataFrame(rows, index=pd.Index(table.index, name="attribute"))
    if (out["factor"] == "undetermined").any():
        warnings.warn(
            "No respondent rated "
            + ", ".join(repr(k) for k in out.index[out["factor"] == "undetermined"])
            + " low or none high; their factor type is undetermined.",
            OrientWarning,
            stacklevel=2,
        )
    out.attrs.update({"n": int(len(frame)), "r2": fit["r2"], "threshold": threshold})
    return out
