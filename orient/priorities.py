"""Stage III: analysis and priorities.

Which product and service benefits drive satisfaction (derived importance, not
stated importance), how the company performs against its main competitor, and
where to act: the strategic satisfaction matrix, basic and excitement factors,
and a ranked list of priorities with plain-language sentences.

Main functions
--------------
driver_importance
    Key-driver analysis: exact Shapley/LMG decomposition of R², Johnson's relative
    weights, standardised coefficients, correlations and Kruskal's measure, with
    survey weights, pairwise deletion, a logistic variant for a yes/no outcome and
    vectorised bootstrap intervals.
competitive_performance
    Own and competitor scores (0-100) per attribute with the gap and its confidence
    interval, overall and by segment; small bases suppressed.
strategic_matrix
    The four-quadrant matrix with its actions and a priority score.
penalty_reward
    Penalty-reward contrast analysis: basic, performance and excitement factors.
priority_table, narrative
    The priorities table and sentences generated from the numbers.
analyse, headline
    The stage's entry point (used by the notebook and the report) and its headline
    numbers.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from ._json import number as _num
from ._memo import memoised as _memoised
from ._text import check_language, company_language, sentence
from ._validate import (
    check_choice,
    check_columns,
    check_confidence,
    check_dataframe,
    check_numeric_columns,
    check_positive_int,
    check_seed,
    check_weights,
)
from .errors import DataError, OrientWarning

__all__ = [
    "METHODS",
    "MAX_EXACT_DRIVERS",
    "MAX_EXACT_DRIVERS_BINARY",
    "QUADRANTS",
    "ACTIONS",
    "PrioritiesResult",
    "driver_importance",
    "subset_r2",
    "competitive_performance",
    "strategic_matrix",
    "penalty_reward",
    "priority_table",
    "narrative",
    "display_table",
    "analyse",
    "headline",
]

#: the driver-importance methods
METHODS = ("shapley", "relative_weights", "beta", "correlation", "kruskal")

#: Shapley and Kruskal are exact (every one of the 2**p subset models) up to this many
#: drivers for a continuous outcome: 2**22 R² values from the correlation matrix take
#: about a second and ~0.3 GB. Above it ``driver_importance`` raises ``ValueError``.
MAX_EXACT_DRIVERS = 22

#: ... and up to this many for a binary outcome (one logistic fit per subset).
MAX_EXACT_DRIVERS_BINARY = 12

#: the quadrants of the strategic satisfaction matrix
QUADRANTS = ("improve", "keep_advantage", "maintain_or_reduce", "low_priority")

#: what each quadrant asks for (the customer-orientation model's wording)
ACTIONS = {
    "improve": "Improve: important and under-performing; the competitive position is vulnerable.",
    "keep_advantage": "Keep or raise performance: important and strong; the advantage can grow.",
    "maintain_or_reduce": (
        "Maintain, or cut investment, or retarget: strong but of little weight "
        "(check first that it is not a basic factor)."
    ),
    "low_priority": "Low priority: weak but of little weight; do not spend resources here.",
}

DO_NOT_CUT = "do not cut: it hurts when it slips"

_BOOT_CHUNK = 100  # resamples drawn and processed together (fixed: results depend on seed only)


# ----------------------------------------------------------------------------------
# all-subset R² from a correlation matrix
# ----------------------------------------------------------------------------------


def subset_r2(corr: np.ndarray) -> np.ndarray:
    """R² of the linear regression of the target on every subset of the drivers.

    Computed from the correlation matrix alone, without refitting on rows. Subsets
    are grown by their largest member: a subset's partial covariance matrix (the
    drivers after its largest member and the target, given the subset) yields each
    child by one Gaussian-elimination step, so the cost is about ``6 * 2**p`` small
    updates, vectorised over all subsets with the same largest member (and over any
    leading batch axes, e.g. bootstrap resamples).

    Parameters
    ----------
    corr : ndarray, shape (..., p + 1, p + 1)
        Correlation (or covariance) matrices of the ``p`` drivers followed by the
        target in the last row/column. Must be positive definite.

    Returns
    -------
    ndarray, shape (..., 2**p)
        ``r2[..., mask]`` is the R² of the model with the drivers whose bits are set
        in ``mask`` (bit ``j`` for driver ``j``); ``r2[..., 0] == 0``.
    """
    corr = np.asarray(corr, dtype=float)
    q = corr.shape[-1]
    p = q - 1
    batch = corr.shape[:-2]
    scale = np.sqrt(np.diagonal(corr, axis1=-2, axis2=-1))
    corr = corr / scale[..., :, None] / scale[..., None, :]
    # batch axes go last, so that the element-wise updates run over contiguous memory
    c = np.moveaxis(corr.reshape((-1, q, q)), 0, -1) if batch else corr
    tail = c.shape[2:]
    r2 = np.zeros((2**p,) + tail)
    # groups[m] = (masks of subsets whose largest member is m, partial covariance of
    #              drivers m+1..p-1 and the target given the subset)
    groups: dict[int, tuple[np.ndarray, np.ndarray]] = {-1: (np.zeros(1, dtype=np.int64), c[None])}
    for j in range(p):
        masks_j, sig_j = [], []
        for m, (masks, sig) in groups.items():
            a = j - (m + 1)  # position of driver j among the group's candidates
            pivot = sig[:, a, a]
            col = sig[:, a + 1 :, a]
            new = sig[:, a + 1 :, a + 1 :] - col[:, :, None] * (
                col[:, None, :] / pivot[:, None, None]
            )
            masks_j.append(masks | (1 << j))
            sig_j.append(new)
        masks_cat = np.concatenate(masks_j)
        sig_cat = np.concatenate(sig_j, axis=0)
        r2[masks_cat] = 1.0 - sig_cat[:, -1, -1]
        if j < p - 1:
            groups[j] = (masks_cat, sig_cat)
    if batch:
        return np.moveaxis(r2, 0, -1).reshape(batch + (2**p,))
    return r2


def _ordering_weights(p: int) -> np.ndarray:
    """Weight of a subset of size s (not containing j) in the average over p! orderings."""
    s = np.arange(p)
    return 1.0 / (p * special.comb(p - 1, s))


def _lmg_from_r2(r2: np.ndarray, p: int, kruskal: bool = False) -> np.ndarray:
    """Shapley values (or Kruskal's measure) from the R² of every subset.

    For driver j the subsets are split by bit j with a reshape (views, no fancy
    indexing): ``mask = high * 2**(j+1) + bit * 2**j + low``.
    """
    batch = r2.shape[:-1]
    sizes = np.bitwise_count(np.arange(2**p, dtype=np.int64))
    weight = np.zeros(2**p)
    valid = sizes < p
    weight[valid] = _ordering_weights(p)[sizes[valid]]
    out = np.empty(batch + (p,))
    for j in range(p):
        shape = (2 ** (p - 1 - j), 2, 2**j)
        r = r2.reshape(batch + shape)
        base = r[..., 0, :]
        gain = r[..., 1, :] - base
        if kruskal:  # squared partial correlation of the target and j given the subset
            gain = gain / (1.0 - base)
        wj = weight.reshape(shape)[:, 0, :]
        out[..., j] = np.einsum("...hl,hl->...", gain, wj)
    return out


# ----------------------------------------------------------------------------------
# weighted correlation matrices (one or a batch of weight vectors)
# ----------------------------------------------------------------------------------


def _corr_batch(x: np.ndarray, observed: np.ndarray | None, cw: np.ndarray) -> np.ndarray:
    """Weighted correlation matrices for each row of weights ``cw`` (B, n).

    ``x`` (n, q) is centred and has no NaN (missing cells hold 0); ``observed`` is
    the (n, q) 0/1 mask, or None when every cell is observed (listwise). With a mask
    each pair of columns uses the rows where both are observed (pairwise deletion,
    means and variances from those rows, as R's ``cor(use = "pairwise")``).
    """
    n, q = x.shape
    if observed is None and len(cw) == 1:  # one weight vector: a single X'WX
        w = cw[0]
        m1 = (w @ x) / w.sum()
        xm = x - m1
        cov = (xm * w[:, None]).T @ xm
        sd = np.sqrt(np.diag(cov))
        return (cov / sd[:, None] / sd[None, :])[None]
    if observed is None:
        s0 = cw.sum(axis=1)[:, None]
        m1 = (cw @ x) / s0
        iu, ju = np.triu_indices(q)  # products of the upper triangle only: half the work
        upper = (cw @ (x[:, iu] * x[:, ju])) / s0
        m2 = np.empty((len(cw), q, q))
        m2[:, iu, ju] = upper
        m2[:, ju, iu] = upper
        cov = m2 - m1[:, :, None] * m1[:, None, :]
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        return cov / sd[:, :, None] / sd[:, None, :]
    obs = observed.astype(float)
    pair = (obs[:, :, None] * obs[:, None, :]).reshape(n, q * q)
    xi = (x[:, :, None] * obs[:, None, :]).reshape(n, q * q)  # x_i where j observed
    xx = (x[:, :, None] * x[:, None, :]).reshape(n, q * q)
    x2 = (x[:, :, None] ** 2 * obs[:, None, :]).reshape(n, q * q)
    s0 = (cw @ pair).reshape(-1, q, q)
    with np.errstate(invalid="ignore", divide="ignore"):
        mi = (cw @ xi).reshape(-1, q, q) / s0  # mean of i over rows where i and j observed
        mj = np.swapaxes(mi, 1, 2)
        sij = (cw @ xx).reshape(-1, q, q) / s0 - mi * mj
        vi = (cw @ x2).reshape(-1, q, q) / s0 - mi**2
        vj = np.swapaxes(vi, 1, 2)
        corr = sij / np.sqrt(vi * vj)
    idx = np.arange(q)
    corr[:, idx, idx] = 1.0
    return corr


def _pair_counts(observed: np.ndarray) -> np.ndarray:
    obs = observed.astype(np.int64)
    return obs.T @ obs


# ----------------------------------------------------------------------------------
# importance from correlation matrices (continuous outcome)
# ----------------------------------------------------------------------------------


def _coef_from_corr(corr: np.ndarray) -> np.ndarray:
    rxx, rxy = corr[..., :-1, :-1], corr[..., :-1, -1]
    return np.linalg.solve(rxx, rxy[..., None])[..., 0]


def _relative_weights_corr(corr: np.ndarray) -> np.ndarray:
    rxx, rxy = corr[..., :-1, :-1], corr[..., :-1, -1]
    evals, evecs = np.linalg.eigh(rxx)
    lam = (evecs * np.sqrt(np.clip(evals, 0, None))[..., None, :]) @ np.swapaxes(evecs, -1, -2)
    beta = np.linalg.solve(lam, rxy[..., None])[..., 0]
    return np.einsum("...jk,...k->...j", lam**2, beta**2)


def _importance_linear(corr: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (unsigned importance, full-model standardised coefficients, R²)."""
    p = corr.shape[-1] - 1
    coef = _coef_from_corr(corr)
    r2 = np.einsum("...j,...j->...", coef, corr[..., :-1, -1])
    if method == "shapley":
        imp = _lmg_from_r2(subset_r2(corr), p)
    elif method == "kruskal":
        imp = _lmg_from_r2(subset_r2(corr), p, kruskal=True)
    elif method == "relative_weights":
        imp = _relative_weights_corr(corr)
    elif method == "beta":
        imp = np.abs(coef)
    else:  # correlation
        imp = np.abs(corr[..., :-1, -1])
    return imp, coef, r2


# ----------------------------------------------------------------------------------
# binary outcome: logistic models, McFadden's pseudo-R²
# ----------------------------------------------------------------------------------


def _logit_loglik(x: np.ndarray, y: np.ndarray, w: np.ndarray, start: np.ndarray | None = None,
                  max_iter: int = 100, tol: float = 1e-12) -> tuple[float, np.ndarray, bool]:
    """Weighted maximum-likelihood logistic regression by Newton-Raphson.

    ``x`` includes the intercept column. Returns (log-likelihood, coefficients,
    converged). Checked against statsmodels ``GLM(Binomial, freq_weights)`` in tests.
    """
    k = x.shape[1]
    beta = np.zeros(k) if start is None else start.copy()
    if start is None:
        ybar = np.average(y, weights=w)
        beta[0] = math.log(ybar / (1 - ybar))
    converged = False
    for _ in range(max_iter):
        eta = x @ beta
        prob = special.expit(eta)
        grad = x.T @ (w * (y - prob))
        hess = (x * (w * prob * (1 - prob))[:, None]).T @ x
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        beta = beta + step
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))) or np.max(np.abs(grad)) < tol:
            converged = True
            break
    eta = x @ beta
    ll = float(np.sum(w * (y * special.log_expit(eta) + (1 - y) * special.log_expit(-eta))))
    if not np.all(np.isfinite(beta)) or np.max(np.abs(beta)) > 30:
        converged = False
    return ll, beta, converged


def _binary_subset_r2(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, bool]:
    """McFadden's pseudo-R² of the logistic model on every subset of the columns of ``z``.

    Subsets of the same size are fitted together: Newton-Raphson on a stack of design
    matrices (batched matrix products and solves), each subset starting from the fit of
    the subset without its largest member.
    """
    n, p = z.shape
    ybar = np.average(y, weights=w)
    ll0 = float(np.sum(w * (y * math.log(ybar) + (1 - y) * math.log(1 - ybar))))
    design = np.hstack([np.ones((n, 1)), z])
    masks = np.arange(2**p, dtype=np.int64)
    sizes = np.bitwise_count(masks)
    r2 = np.zeros(2**p)
    all_ok = True
    prev_beta = np.array([[math.log(ybar / (1 - ybar))]])  # by subset, for the last size
    prev_pos = np.zeros(2**p, dtype=np.int64)  # row of each mask in its size's arrays
    for k in range(1, p + 1):
        level = masks[sizes == k]
        prev_pos_k = np.empty(len(level), dtype=np.int64)
        idx = np.array([[j for j in range(p) if (m >> j) & 1] for m in level])
        parents = level & ~(1 << idx[:, -1])
        start = np.hstack([prev_beta[prev_pos[parents]], np.zeros((len(level), 1))])
        betas = np.empty((len(level), k + 1))
        chunk = max(1, int(8e6 // (n * (k + 1))))
        for lo in range(0, len(level), chunk):
            sl = slice(lo, lo + chunk)
            cols = np.hstack([np.zeros((len(idx[sl]), 1), dtype=np.int64), idx[sl] + 1])
            xs = np.moveaxis(design[:, cols], 0, 1)  # (C, n, k + 1)
            beta, ll, ok = _logit_batch(xs, y, w, start[sl])
            betas[sl] = beta
            r2[level[sl]] = 1.0 - ll / ll0
            all_ok &= ok
        prev_pos_k[:] = np.arange(len(level))
        prev_pos[level] = prev_pos_k
        prev_beta = betas
    return r2, all_ok


def _logit_batch(xs: np.ndarray, y: np.ndarray, w: np.ndarray, start: np.ndarray,
                 max_iter: int = 100, tol: float = 1e-12) -> tuple[np.ndarray, np.ndarray, bool]:
    """Newton-Raphson for a stack of logistic regressions sharing ``y`` and ``w``."""
    beta = start.copy()
    active = np.ones(len(beta), dtype=bool)
    for _ in range(max_iter):
        a = np.flatnonzero(active)
        if len(a) == 0:
            break
        x = xs if len(a) == len(beta) else xs[a]  # no copy while every fit is active
        eta = np.einsum("cnk,ck->cn", x, beta[a])
        prob = special.expit(eta)
        grad = np.einsum("cnk,cn->ck", x, w * (y - prob))
        xw = x * np.sqrt(w * prob * (1 - prob))[:, :, None]
        hess = np.swapaxes(xw, 1, 2) @ xw
        try:
            step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            break
        beta[a] += step
        done = (np.max(np.abs(step), axis=1) < tol * (1 + np.max(np.abs(beta[a]), axis=1))) | (
            np.max(np.abs(grad), axis=1) < tol)
        active[a[done]] = False
    eta = np.einsum("cnk,ck->cn", xs, beta)
    ll = np.sum(w * (y * special.log_expit(eta) + (1 - y) * special.log_expit(-eta)), axis=1)
    ok = not active.any() and bool(np.all(np.isfinite(beta))) and float(np.max(np.abs(beta))) <= 30
    return beta, ll, ok


def _importance_binary(x: np.ndarray, y: np.ndarray, w: np.ndarray, method: str
                       ) -> tuple[np.ndarray, np.ndarray, float, bool]:
    """Return (unsigned importance, coefficients per SD of each driver, McFadden R², ok)."""
    n, p = x.shape
    mu = np.average(x, axis=0, weights=w)
    sd = np.sqrt(np.average((x - mu) ** 2, axis=0, weights=w))
    z = (x - mu) / sd
    ones = np.ones((n, 1))
    ybar = np.average(y, weights=w)
    ll0 = float(np.sum(w * (y * math.log(ybar) + (1 - y) * math.log(1 - ybar))))
    ll, beta, ok = _logit_loglik(np.hstack([ones, z]), y, w)
    coef = beta[1:]
    r2 = 1.0 - ll / ll0
    if method in ("shapley", "kruskal"):
        sub, ok_sub = _binary_subset_r2(z, y, w)
        ok &= ok_sub
        imp = _lmg_from_r2(sub, p, kruskal=method == "kruskal")
    elif method == "relative_weights":
        # Tonidandel & LeBreton (2010): logistic regression on the orthogonal
        # counterparts Z of the standardised drivers, fully standardised coefficients
        # b * s_z * R / s_logit(yhat), relative weights from Lambda**2 @ beta**2.
        rxx = np.cov(z.T, aweights=w, bias=True)
        evals, evecs = np.linalg.eigh(rxx)
        lam = (evecs * np.sqrt(evals)) @ evecs.T
        orth = z @ (evecs / np.sqrt(evals)) @ evecs.T
        _, b, ok_o = _logit_loglik(np.hstack([ones, orth]), y, w)
        ok &= ok_o
        eta = np.hstack([ones, orth]) @ b
        prob = special.expit(eta)
        big_r = _wcorr(y, prob, w)
        s_eta = math.sqrt(np.average((eta - np.average(eta, weights=w)) ** 2, weights=w))
        s_orth = np.sqrt(np.average((orth - np.average(orth, axis=0, weights=w)) ** 2,
                                    axis=0, weights=w))
        beta_std = b[1:] * s_orth * big_r / s_eta
        eps = (lam**2) @ beta_std**2
        imp = eps / eps.sum() * r2  # rescaled to sum to McFadden's R²
    elif method == "beta":
        imp = np.abs(coef)
    else:  # correlation: point-biserial
        imp = np.abs(np.array([_wcorr(z[:, j], y, w) for j in range(p)]))
    return imp, coef, r2, ok


def _wcorr(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> float:
    ma, mb = np.average(a, weights=w), np.average(b, weights=w)
    cov = np.average((a - ma) * (b - mb), weights=w)
    return float(cov / math.sqrt(np.average((a - ma) ** 2, weights=w)
                                 * np.average((b - mb) ** 2, weights=w)))


# ----------------------------------------------------------------------------------
# driver_importance
# ----------------------------------------------------------------------------------


def _shares_ranks(imp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mag = np.abs(imp)
    share = mag / mag.sum(axis=-1, keepdims=True)
    rank = stats.rankdata(-mag, axis=-1, method="min").astype(float)
    return share, rank


def _resolve_weights(data: pd.DataFrame, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        check_columns(data, [weights], "data")
        if data[weights].isna().any():
            row = int(np.flatnonzero(data[weights].isna().to_numpy())[0])
            raise DataError("weight is missing", column=weights, row=row + 2,
                            expected="a number > 0 for every respondent")
        return check_weights(data[weights], len(data), name=f"weights ({weights!r})")
    return check_weights(weights, len(data))


def _check_drivers(data: pd.DataFrame, target: Any, drivers: Any) -> list[str]:
    if not isinstance(target, str):
        raise TypeError(f"`target` must be a column name (str); got {target!r}.")
    if isinstance(drivers, str) or not isinstance(drivers, Sequence | pd.Index):
        raise TypeError(f"`drivers` must be a list of column names; got {drivers!r}.")
    drivers = list(drivers)
    if len(drivers) == 0:
        raise ValueError("`drivers` must name at least one column; got an empty list.")
    dupes = sorted({d for d in drivers if drivers.count(d) > 1})
    if dupes:
        raise ValueError(f"`drivers` lists {dupes[0]!r} more than once.")
    if target in drivers:
        raise ValueError(f"`drivers` must not contain the target {target!r}.")
    check_columns(data, [target, *drivers], "data")
    check_numeric_columns(data, [target, *drivers], "data")
    for col in [target, *drivers]:
        if data[col].notna().sum() == 0:
            raise DataError("column has no values (all missing)", column=col,
                            expected="ratings for at least some respondents")
    return drivers


def _collinearity_check(rxx: np.ndarray, drivers: list[str]) -> np.ndarray:
    """Return VIFs; raise ``DataError`` naming the drivers when they are perfectly collinear."""
    evals, evecs = np.linalg.eigh(rxx)
    if evals[0] <= 1e-10 * max(1.0, evals[-1]):
        vec = evecs[:, 0]
        involved = [drivers[i] for i in np.flatnonzero(np.abs(vec) > 1e-6)]
        raise DataError(
            "drivers are perfectly collinear (one is a linear combination of the others: "
            + ", ".join(repr(d) for d in involved) + ")",
            column=involved[0],
            expected="drop or combine one of them",
        )
    return np.diag(np.linalg.inv(rxx))


def driver_importance(
    data: pd.DataFrame,
    target: str,
    drivers: Sequence[str],
    method: str = "shapley",
    weights: Any = None,
    n_boot: int = 0,
    seed: int | None = None,
    missing: str = "listwise",
    *,
    signed: bool = False,
    correlation: str = "pearson",
    outcome: str = "auto",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Derived importance of each driver (attribute) for the target (overall satisfaction).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    target : str
        The outcome column (overall satisfaction; or a 0/1 outcome, see ``outcome``).
    drivers : list of str
        The driver columns (attribute ratings), all numeric.
    method : {"shapley", "relative_weights", "beta", "correlation", "kruskal"}
        ``"shapley"``: the exact Shapley value / LMG decomposition of R² (Lindeman,
        Merenda & Gold 1980; R relaimpo ``lmg``): each driver's increase in R² averaged
        over all p! orders of entry. Every one of the 2**p subset R² values is computed
        from the (weighted) correlation matrix, so the importances sum to the full
        model's R² to machine precision. Exact up to :data:`MAX_EXACT_DRIVERS` drivers
        (:data:`MAX_EXACT_DRIVERS_BINARY` for a binary outcome); with more a
        ``ValueError`` says so and points to ``"relative_weights"``, which is exact at
        any size and usually within a few thousandths of Shapley.
        ``"relative_weights"``: Johnson's (2000) relative weights; they also sum to R².
        ``"beta"``: standardised regression coefficients.
        ``"correlation"``: the correlation of each driver with the target.
        ``"kruskal"``: Kruskal's (1987) relative importance, the squared partial
        correlation of the driver with the target given the drivers before it,
        averaged over all p! orders (i.e. over all subsets, with the Shapley weights).
    weights : str, array-like or None
        Survey weights: a column of ``data`` or one positive number per row. Every
        method then uses weighted means, variances and correlations (weighted
        likelihood for a binary outcome); results with integer weights equal those on
        data whose rows are replicated that many times.
    n_boot : int
        Number of bootstrap resamples for percentile intervals (0: none). Rows are
        resampled with replacement and keep their survey weights; all resamples are
        computed together (weighted correlation matrices by matrix products, the 2**p
        subset R² values batched), so 1,000 resamples at p = 12 on 10,000 rows take
        a few seconds.
    seed : int or None
        Seed of ``np.random.default_rng`` for the bootstrap; a given seed always gives
        the same intervals.
    missing : {"listwise", "pairwise", "error"}
        ``"listwise"`` uses the respondents with every driver and the target;
        ``"pairwise"`` builds each correlation from the respondents who answered both
        items (continuous outcome only); ``"error"`` raises ``DataError`` naming the
        first missing answer (its column and row, counting the header as row 1).
    signed : bool
        If True, give each importance the sign of the driver's full-model coefficient
        (for ``"correlation"``, of the correlation), as Displayr does; ``share`` and
        ``rank`` use magnitudes.
    correlation : {"pearson", "spearman"}
        ``"spearman"`` replaces every variable by its ranks (average ranks for ties)
        before the analysis: for ``"correlation"`` this gives Spearman's rho.
    outcome : {"auto", "continuous", "binary"}
        ``"binary"`` fits logistic regressions and decomposes McFadden's pseudo-R²
        (1 - log L(model) / log L(intercept only), weighted log-likelihoods):
        ``"shapley"`` and ``"kruskal"`` use McFadden's R² of every subset model (for
        Kruskal, the McFadden-partial (R²(S+j) - R²(S)) / (1 - R²(S))),
        ``"relative_weights"`` are Tonidandel & LeBreton's (2010) logistic relative
        weights rescaled to sum to the full model's McFadden R² (shares unchanged),
        ``"beta"`` is the logistic coefficient per standard deviation of the driver
        and ``"correlation"`` the point-biserial correlation. ``"auto"`` chooses
        binary when the target takes exactly the values 0 and 1.
    confidence : float
        Level of the bootstrap intervals.

    Returns
    -------
    DataFrame
        Indexed by driver (in the given order), with columns

        - ``importance``: the method's measure (for ``"shapley"`` and
          ``"relative_weights"`` the driver's part of R²; they sum to R²),
        - ``share``: ``|importance|`` as a share of the total (sums to 1),
        - ``rank``: 1 for the most important driver,
        - ``ci_low``, ``ci_high``: percentile interval of ``importance``;
          ``share_ci_low``, ``share_ci_high``, ``rank_ci_low``, ``rank_ci_high``:
          the same for share and rank (these six only when ``n_boot > 0``),
        - ``coefficient``: the full-model standardised coefficient (per SD of the
          driver and, for a continuous outcome, of the target),
        - ``vif``: the variance inflation factor of the driver,
        - ``n``: respondents used (for ``"pairwise"``: who answered the driver and
          the target).

        ``result.attrs`` holds ``method``, ``outcome``, ``r2`` (R² or McFadden's R² of
        the full model), ``n`` (listwise: rows used; pairwise: the smallest pair
        count), ``n_boot`` and ``confidence``.

    Raises
    ------
    TypeError
        A driver or the target is not numeric.
    orient.DataError
        (a ``ValueError``) naming the driver: a column with no values, a constant
        driver, drivers that are perfectly collinear, or no more respondents than
        drivers.
    ValueError
        An unknown option, or more drivers than the exact limit for Shapley/Kruskal.

    Warns
    -----
    OrientWarning
        Fewer than max(30, 10 p) respondents; a driver with VIF above 10; a logistic
        model that did not converge (separation).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(500, 3)), columns=["price", "speed", "staff"])
    >>> df["overall"] = df @ [0.5, 0.3, 0.1] + rng.normal(size=500)
    >>> imp = driver_importance(df, "overall", ["price", "speed", "staff"])
    >>> list(imp["rank"])
    [1.0, 2.0, 3.0]
    >>> bool(np.isclose(imp["importance"].sum(), imp.attrs["r2"], rtol=1e-12))
    True
    """
    data = check_dataframe(data)
    drivers = _check_drivers(data, target, drivers)
    method = check_choice(method, METHODS, "method")
    missing = check_choice(missing, ("listwise", "pairwise", "error"), "missing")
    correlation = check_choice(correlation, ("pearson", "spearman"), "correlation")
    outcome = check_choice(outcome, ("auto", "continuous", "binary"), "outcome")
    n_boot = check_positive_int(n_boot, "n_boot", allow_zero=True)
    seed = check_seed(seed)
    confidence = check_confidence(confidence)
    if not isinstance(signed, bool):
        raise TypeError(f"`signed` must be True or False; got {signed!r}.")
    w_all = _resolve_weights(data, weights)
    p = len(drivers)
    cols = [*drivers, target]

    yvals = data[target].dropna().unique()
    if outcome == "auto":
        outcome = "binary" if set(np.asarray(yvals, dtype=float)) == {0.0, 1.0} else "continuous"
    if outcome == "binary":
        if len(yvals) != 2:
            raise DataError("a binary outcome must take exactly two values", column=target,
                            value=sorted(yvals)[:5], expected="0/1 (or two distinct values)")
        if missing == "pairwise":
            raise ValueError("`missing='pairwise'` needs a continuous outcome; got a binary "
                             f"target {target!r}. Use missing='listwise'.")
    limit = MAX_EXACT_DRIVERS_BINARY if outcome == "binary" else MAX_EXACT_DRIVERS
    if method in ("shapley", "kruskal") and p > limit:
        raise ValueError(
            f"method={method!r} is computed exactly (all 2**p subset models) for at most "
            f"{limit} drivers with a {outcome} outcome; got {p}. Use "
            "method='relative_weights' (exact for any number of drivers and close to "
            "Shapley), or combine related attributes into fewer drivers."
        )

    frame = data[cols].astype(float)
    if correlation == "spearman":
        frame = frame.rank(method="average")  # NaN stays NaN
    values = frame.to_numpy()
    observed = ~np.isnan(values)
    if missing == "error" and not observed.all():
        i, k = np.argwhere(~observed)[0]
        raise DataError("rating is missing", column=cols[k], row=int(i) + 2,
                        expected="no missing answers (missing='error'); use missing='listwise' "
                        "or 'pairwise' to leave them out")
    if missing == "error":
        missing = "listwise"
    if missing == "listwise":
        keep = observed.all(axis=1)
        x = values[keep]
        w = np.ones(len(x)) if w_all is None else w_all[keep]
        obs = None
        n_used = int(keep.sum())
        n_col = np.full(p, n_used)
        if n_used <= p + 1:
            raise DataError(
                f"only {n_used} respondents answered the target and all {p} drivers; a "
                f"model with {p} drivers needs more than {p + 1}",
                column=drivers[int(np.argmin(observed[:, :p].sum(axis=0)))],
                expected=f"at least {max(30, 10 * p)} complete respondents",
            )
    else:
        keep = observed.any(axis=1)
        x = values[keep]
        w = np.ones(len(x)) if w_all is None else w_all[keep]
        obs = observed[keep]
        counts = _pair_counts(obs)
        n_col = counts[:p, p]
        n_used = int(counts.min())
        if n_used <= p + 1:
            i, j = np.unravel_index(np.argmin(counts), counts.shape)
            raise DataError(
                f"only {n_used} respondents answered both {cols[i]!r} and {cols[j]!r}",
                column=cols[i], expected=f"more than {p + 1}",
            )

    # constant columns (weighted variance zero among the rows used)
    for k, col in enumerate(cols):
        v = x[:, k] if obs is None else x[obs[:, k], k]
        if np.nanmax(v) - np.nanmin(v) == 0:
            what = "target" if col == target else "driver"
            raise DataError(f"{what} is constant (every respondent gave {v[0]:g})", column=col,
                            expected="ratings that vary between respondents")

    if n_used < max(30, 10 * p):
        warnings.warn(
            f"Driver analysis of {target!r} on {p} drivers uses only {n_used} respondents "
            f"(fewer than max(30, 10 x {p}) = {max(30, 10 * p)}); read the importances "
            "with care.", OrientWarning, stacklevel=2)

    # centre, then the weighted correlation matrix
    if obs is None:
        mu = np.average(x, axis=0, weights=w)
        xc = x - mu
        corr = _corr_batch(xc, None, w[None, :])[0]
    else:
        mu = np.array([np.average(x[obs[:, k], k], weights=w[obs[:, k]]) for k in range(p + 1)])
        xc = np.where(obs, x - mu, 0.0)
        corr = _corr_batch(xc, obs, w[None, :])[0]
        if np.linalg.eigvalsh(corr)[0] <= 1e-10:
            raise DataError(
                "the pairwise correlation matrix is not positive definite (too little "
                "overlap between respondents' answers)", column=drivers[0],
                expected="missing='listwise', or more complete answers")
    vif = _collinearity_check(corr[:p, :p], drivers)
    high = [d for d, v in zip(drivers, vif, strict=True) if v > 10]
    if high:
        warnings.warn(
            "Drivers with variance inflation factor above 10 (strongly collinear): "
            + ", ".join(f"{d!r} ({v:.1f})" for d, v in zip(drivers, vif, strict=True) if v > 10)
            + "; Shapley or relative weights share their importance fairly, "
            "coefficients do not.", OrientWarning, stacklevel=2)

    if outcome == "binary":
        yb = (x[:, p] == np.max(x[:, p])).astype(float)
        imp, coef, r2, ok = _importance_binary(x[:, :p], yb, w, method)
        if not ok:
            warnings.warn(
                f"A logistic model of {target!r} did not converge (the outcome may be "
                "perfectly separated by some drivers); importances are unreliable.",
                OrientWarning, stacklevel=2)
    else:
        imp, coef, r2 = _importance_linear(corr, method)
    sign = np.sign(corr[:p, p]) if method == "correlation" else np.sign(coef)
    signed_imp = imp * sign if signed else imp
    share, rank = _shares_ranks(imp)

    out = pd.DataFrame(
        {"importance": signed_imp, "share": share, "rank": rank},
        index=pd.Index(drivers, name="driver"),
    )
    if n_boot > 0:
        boot = _bootstrap(xc if outcome == "continuous" else x, obs, w, method, outcome,
                          n_boot, seed, p)
        boot_imp = boot * sign if signed else boot
        b_share, b_rank = _shares_ranks(boot)
        alpha = (1 - confidence) / 2
        q = [100 * alpha, 100 * (1 - alpha)]
        for name, arr in (("", boot_imp), ("share_", b_share), ("rank_", b_rank)):
            lo, hi = np.nanpercentile(arr, q, axis=0)
            out[f"{name}ci_low"] = lo
            out[f"{name}ci_high"] = hi
    out["coefficient"] = coef
    out["vif"] = vif
    out["n"] = n_col.astype(int)
    out.attrs.update({
        "method": method, "outcome": outcome, "r2": float(r2), "n": n_used,
        "n_boot": n_boot, "confidence": confidence, "target": target,
        "signed": signed, "correlation": correlation, "missing": missing,
    })
    return out


def _bootstrap(x: np.ndarray, obs: np.ndarray | None, w: np.ndarray, method: str, outcome: str,
               n_boot: int, seed: int | None, p: int) -> np.ndarray:
    """Importance (unsigned) in each of ``n_boot`` resamples, shape (n_boot, p)."""
    rng = np.random.default_rng(seed)
    n = len(x)
    out = np.empty((n_boot, p))
    done = 0
    while done < n_boot:
        b = min(_BOOT_CHUNK, n_boot - done)
        # row indices drawn with replacement, counted per resample in one bincount
        draws = rng.integers(0, n, size=(b, n)) + (np.arange(b) * n)[:, None]
        counts = np.bincount(draws.ravel(), minlength=b * n).reshape(b, n).astype(float)
        cw = counts * w
        if outcome == "continuous":
            corr = _corr_batch(x, obs, cw)
            bad = ~np.all(np.isfinite(corr), axis=(1, 2))
            corr[bad] = np.eye(p + 1)
            bad |= np.linalg.eigvalsh(corr[:, :p, :p])[:, 0] <= 1e-10
            corr[bad] = np.eye(p + 1)
            imp, _, _ = _importance_linear(corr, method)
            imp[bad] = np.nan
        else:
            yb = (x[:, p] == np.max(x[:, p])).astype(float)
            imp = np.empty((b, p))
            for i in range(b):
                sel = cw[i] > 0
                imp[i] = _importance_binary(x[sel, :p], yb[sel], cw[i, sel], method)[0]
        out[done : done + b] = imp
        done += b
    return out


# ----------------------------------------------------------------------------------
# attributes, scales
# ----------------------------------------------------------------------------------

_ATTR_FIELDS = ("key", "label", "column", "competitor_column", "scale_min", "scale_max")


def _attribute_table(attributes: Any) -> pd.DataFrame:
    """Normalise attributes (``company.attributes``, dicts or a DataFrame) to a table."""
    if isinstance(attributes, pd.DataFrame):
        table = attributes.copy()
    else:
        if isinstance(attributes, str) or not isinstance(attributes, Sequence):
            raise TypeError("`attributes` must be a list of Attribute objects or dicts, or a "
                            f"DataFrame; got {type(attributes).__name__}.")
        rows = []
        for a in attributes:
            if isinstance(a, Mapping):
                rows.append({f: a.get(f) for f in _ATTR_FIELDS})
            else:
                rows.append({f: getattr(a, f, None) for f in _ATTR_FIELDS})
        table = pd.DataFrame(rows, columns=list(_ATTR_FIELDS))
    for f in ("key", "column", "scale_min", "scale_max"):
        if f not in table.columns or table[f].isna().any():
            raise ValueError(f"every attribute needs a {f!r}; `attributes` lacks it.")
    if "label" not in table.columns:
        table["label"] = table["key"]
    table["label"] = table["label"].fillna(table["key"])
    if "competitor_column" not in table.columns:
        table["competitor_column"] = None
    table = table.astype({"scale_min": float, "scale_max": float})
    bad = table[table["scale_max"] <= table["scale_min"]]
    if len(bad):
        raise ValueError(f"attribute {bad['key'].iloc[0]!r} has scale_max <= scale_min.")
    return table.set_index("key", drop=False)


def _to_100(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return 100.0 * (values - lo) / (hi - lo)


# ----------------------------------------------------------------------------------
# competitive performance
# ----------------------------------------------------------------------------------


def _mean_se(v: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    """Weighted mean, its standard error and the effective sample size (Kish)."""
    n = len(v)
    m = float(np.average(v, weights=w))
    n_eff = float(w.sum() ** 2 / np.sum(w**2))
    if n < 2:
        return m, math.nan, n_eff
    var = float(np.average((v - m) ** 2, weights=w)) * n / (n - 1)
    return m, math.sqrt(var / n_eff), n_eff


def _gap_row(own: np.ndarray, comp: np.ndarray | None, w: np.ndarray, conf: float
             ) -> dict[str, Any]:
    ok_own = ~np.isnan(own)
    row: dict[str, Any] = {"own": math.nan, "competitor": math.nan, "gap": math.nan,
                           "ci_low": math.nan, "ci_high": math.nan, "p_value": math.nan,
                           "n": int(ok_own.sum()), "n_competitor": 0, "paired": False}
    if comp is None:
        if ok_own.sum():
            row["own"] = float(np.average(own[ok_own], weights=w[ok_own]))
        return row
    ok_comp = ~np.isnan(comp)
    both = ok_own & ok_comp
    row["n_competitor"] = int(ok_comp.sum())
    if both.sum() >= 2:  # the same respondents rated both: paired comparison on them
        d = own[both] - comp[both]
        wb = w[both]
        gap, se, n_eff = _mean_se(d, wb)
        df = n_eff - 1
        row.update(own=float(np.average(own[both], weights=wb)),
                   competitor=float(np.average(comp[both], weights=wb)),
                   n=int(both.sum()), n_competitor=int(both.sum()), paired=True)
    elif ok_own.sum() >= 2 and ok_comp.sum() >= 2:  # different respondents: Welch
        m1, se1, ne1 = _mean_se(own[ok_own], w[ok_own])
        m2, se2, ne2 = _mean_se(comp[ok_comp], w[ok_comp])
        gap = m1 - m2
        se = math.sqrt(se1**2 + se2**2)
        df = se**4 / (se1**4 / (ne1 - 1) + se2**4 / (ne2 - 1)) if se > 0 else math.inf
        row.update(own=m1, competitor=m2)
    else:
        return row
    row["gap"] = gap
    if se > 0:
        tq = stats.t.ppf(0.5 + conf / 2, df)
        row.update(ci_low=gap - tq * se, ci_high=gap + tq * se,
                   p_value=float(2 * stats.t.sf(abs(gap) / se, df)))
    else:
        row.update(ci_low=gap, ci_high=gap, p_value=0.0 if gap != 0 else 1.0)
    return row


def competitive_performance(
    data: pd.DataFrame,
    attributes: Any,
    *,
    weights: Any = None,
    segment: str | None = None,
    confidence: float = 0.95,
    min_base: int = 30,
) -> pd.DataFrame:
    """Own and main-competitor performance per attribute, on a 0-100 scale, with the gap.

    Each rating is rescaled to 0-100 from its scale ends (``scale_min`` -> 0,
    ``scale_max`` -> 100). Where the same respondents rated both companies (the
    usual survey design) the comparison is paired: own score, competitor score and
    gap are means over the respondents who rated both, and the interval is a
    t-interval of the mean paired difference. Where nobody rated both, the two
    scores come from different respondents and the interval is Welch's. With survey
    weights, means are weighted and standard errors use Kish's effective sample size.

    Parameters
    ----------
    data : DataFrame
        The survey, one row per respondent.
    attributes : list of Attribute, list of dict or DataFrame
        ``company.attributes`` or anything with ``key``, ``column``,
        ``competitor_column`` (None where the competitor was not rated),
        ``scale_min``, ``scale_max`` and optionally ``label``.
    weights : str, array-like or None
        A weight column of ``data`` or one weight per row.
    segment : str or None
        A column of ``data``: also report each segment.
    confidence : float
        Level of the intervals.
    min_base : int
        Segment results on fewer respondents than this are suppressed (set to NaN,
        with ``suppressed`` True); the base ``n`` is still shown. The overall rows are
        never suppressed (they are the whole survey) but warn when below the base.

    Returns
    -------
    DataFrame
        One row per segment and attribute (segment ``"all"`` first, then each
        segment in sorted order), with columns ``segment``, ``attribute``, ``label``,
        ``own``, ``competitor`` (0-100 scores), ``gap`` (own minus competitor,
        points), ``ci_low``, ``ci_high`` (interval of the gap), ``p_value`` (two-sided
        test of no gap), ``n`` (respondents behind the comparison), ``n_competitor``,
        ``paired`` (bool) and ``suppressed`` (bool).

    Examples
    --------
    >>> survey = pd.DataFrame({"speed": [4, 5, 3, 4, 5, 2], "speed_rival": [3, 4, 3, 2, 4, 2]})
    >>> attrs = [{"key": "speed", "column": "speed", "competitor_column": "speed_rival",
    ...           "scale_min": 1, "scale_max": 5}]
    >>> row = competitive_performance(survey, attrs, min_base=5).iloc[0]
    >>> [round(float(row[c]), 1) for c in ("own", "competitor", "gap")], bool(row["paired"])
    ([70.8, 50.0, 20.8], True)
    """
    data = check_dataframe(data)
    table = _attribute_table(attributes)
    confidence = check_confidence(confidence)
    min_base = check_positive_int(min_base, "min_base", allow_zero=True)
    cols = list(table["column"]) + [c for c in table["competitor_column"] if isinstance(c, str)]
    check_columns(data, cols, "data")
    check_numeric_columns(data, cols, "data")
    w_all = _resolve_weights(data, weights)
    w_all = np.ones(len(data)) if w_all is None else w_all
    groups: list[tuple[Any, np.ndarray]] = [("all", np.ones(len(data), dtype=bool))]
    if segment is not None:
        check_columns(data, [segment], "data")
        seg = data[segment]
        for level in sorted(seg.dropna().unique(), key=str):
            groups.append((level, (seg == level).to_numpy()))
    rows = []
    for level, sel in groups:
        w = w_all[sel]
        for key, a in table.iterrows():
            own = _to_100(data.loc[sel, a["column"]].to_numpy(dtype=float),
                          a["scale_min"], a["scale_max"])
            comp = None
            if isinstance(a["competitor_column"], str):
                comp = _to_100(data.loc[sel, a["competitor_column"]].to_numpy(dtype=float),
                               a["scale_min"], a["scale_max"])
            row = _gap_row(own, comp, w, confidence)
            small = row["n"] < min_base
            row["suppressed"] = bool(small and level != "all")
            if small and level == "all":
                warnings.warn(
                    f"Competitive performance on {a['label']!r} rests on {row['n']} "
                    f"respondents, fewer than the minimum base of {min_base}.",
                    OrientWarning, stacklevel=2)
            if row["suppressed"]:
                for f in ("own", "competitor", "gap", "ci_low", "ci_high", "p_value"):
                    row[f] = math.nan
            rows.append({"segment": level, "attribute": key, "label": a["label"], **row})
    cols_out = ["segment", "attribute", "label", "own", "competitor", "gap", "ci_low", "ci_high",
                "p_value", "n", "n_competitor", "paired", "suppressed"]
    out = pd.DataFrame(rows, columns=cols_out)
    out.attrs.update({"confidence": confidence, "min_base": min_base})
    return out


# ----------------------------------------------------------------------------------
# strategic satisfaction matrix
# ----------------------------------------------------------------------------------


def _as_series(obj: Any, name: str, column: str) -> pd.Series:
    if isinstance(obj, pd.Series):
        return obj.astype(float)
    if isinstance(obj, pd.DataFrame):
        if "attribute" in obj.columns:  # long table from competitive_performance
            sub = obj[obj["segment"] == "all"] if "segment" in obj.columns else obj
            return sub.set_index("attribute")[column].astype(float)
        if column in obj.columns:
            return obj[column].astype(float)
        raise ValueError(f"`{name}` has no column {column!r}.")
    if isinstance(obj, Mapping):
        return pd.Series(obj, dtype=float)
    raise TypeError(f"`{name}` must be a Series, a DataFrame or a dict; got {type(obj).__name__}.")


def _cut_value(rule: Any, values: pd.Series, mid: float, name: str) -> float:
    if isinstance(rule, str):
        rule = check_choice(rule, ("mean", "median", "scale_mid"), name)
        if rule == "mean":
            return float(values.mean())
        if rule == "median":
            return float(values.median())
        return float(mid)
    if isinstance(rule, bool) or not isinstance(rule, int | float | np.number):
        raise TypeError(f"`{name}` must be 'mean', 'median', 'scale_mid' or a number; "
                        f"got {rule!r}.")
    return float(rule)


def strategic_matrix(
    importance: Any,
    performance: Any,
    cut: Any = "mean",
    diagonal: bool = False,
    *,
    relative: bool = False,
    competitor: pd.Series | None = None,
    performance_scale: tuple[float, float] | None = None,
    target: Any = None,
) -> pd.DataFrame:
    """Place each attribute in the strategic satisfaction matrix.

    Parameters
    ----------
    importance : Series, DataFrame or dict
        Importance by attribute; a :func:`driver_importance` result contributes its
        ``share`` column.
    performance : Series, DataFrame or dict
        Performance by attribute; a :func:`competitive_performance` result
        contributes the overall (``segment == "all"``) rows: ``own`` (0-100), or
        ``gap`` to the competitor when ``relative=True``.
    cut : {"mean", "median", "scale_mid"}, number pair or rule pair
        Where the lines split high from low. A string applies to both axes; a pair
        ``(importance_cut, performance_cut)`` gives each axis its own number or rule.
        ``"scale_mid"`` is the equal share ``1/k`` of importance (``total/k``) and the
        middle of ``performance_scale`` (50 on 0-100; 0, parity, for gaps).
        Points on a line count as high.
    diagonal : bool
        Also return the iso-priority diagonal variant: the line through the cut point
        where importance and performance, each divided by its standard deviation
        across attributes, are equal. ``diagonal_gap`` is the standardised importance
        minus standardised performance (positive: above the line, importance outruns
        performance, a candidate for improvement) and ``above_diagonal`` its sign.
    relative : bool
        Take ``gap`` rather than ``own`` from a competitive-performance table.
    competitor : Series, optional
        Competitor performance by attribute (same scale); taken from a
        competitive-performance table when ``relative`` is False.
    performance_scale : (low, high), optional
        Ends of the performance axis; default (0, 100), or (-100, 100) when relative.
    target : number or Series, optional
        Performance the company aims for; the shortfall is ``target - performance``
        (never negative). Default: the competitor's performance when known, parity
        (0) for gaps, otherwise the top of the scale.

    Returns
    -------
    DataFrame
        Indexed by attribute, with columns ``importance``, ``performance``,
        ``quadrant`` (one of ``"improve"``, ``"keep_advantage"``,
        ``"maintain_or_reduce"``, ``"low_priority"``), ``action`` (what the quadrant
        asks for, in words), ``competitor`` (NaN when unknown), ``shortfall``,
        ``priority`` (importance x shortfall: the weighted points to recover) and
        ``priority_rank`` (1 = act first; ties broken by importance), plus
        ``diagonal_gap`` and ``above_diagonal`` when ``diagonal=True``.
        ``attrs`` holds ``importance_cut``, ``performance_cut``, ``performance_scale``
        and ``relative``.

    Examples
    --------
    >>> imp = pd.Series({"delivery": 0.4, "price": 0.3, "packaging": 0.2, "website": 0.1})
    >>> perf = pd.Series({"delivery": 40.0, "price": 80.0, "packaging": 70.0, "website": 30.0})
    >>> strategic_matrix(imp, perf)["quadrant"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'delivery': 'improve', 'price': 'keep_advantage', 'packaging': 'maintain_or_reduce',
     'website': 'low_priority'}
    """
    imp = _as_series(importance, "importance", "share")
    perf_col = "gap" if relative else "own"
    perf = _as_series(performance, "performance", perf_col)
    if competitor is None and not relative and isinstance(performance, pd.DataFrame) \
            and "competitor" in performance.columns:
        competitor = _as_series(performance, "performance", "competitor")
    missing_perf = [a for a in imp.index if a not in perf.index or pd.isna(perf.get(a))]
    if missing_perf:
        raise ValueError(f"No performance for attribute {missing_perf[0]!r}: `performance` must "
                         "cover every attribute in `importance` (a suppressed base?).")
    if imp.isna().any():
        raise ValueError(f"Importance of attribute {imp.index[imp.isna()][0]!r} is missing.")
    if not isinstance(diagonal, bool):
        raise TypeError(f"`diagonal` must be True or False; got {diagonal!r}.")
    perf = perf.reindex(imp.index)
    if performance_scale is None:
        performance_scale = (-100.0, 100.0) if relative else (0.0, 100.0)
    lo, hi = (float(v) for v in performance_scale)
    if isinstance(cut, str):
        cut_imp, cut_perf = cut, cut
    elif isinstance(cut, Sequence) and len(cut) == 2:
        cut_imp, cut_perf = cut
    else:
        raise ValueError("`cut` must be 'mean', 'median', 'scale_mid' or a pair "
                         f"(importance_cut, performance_cut); got {cut!r}.")
    ic = _cut_value(cut_imp, imp, imp.sum() / len(imp), "cut")
    pc = _cut_value(cut_perf, perf, (lo + hi) / 2, "cut")
    high_imp = imp >= ic
    high_perf = perf >= pc
    quadrant = np.where(high_imp, np.where(high_perf, "keep_advantage", "improve"),
                        np.where(high_perf, "maintain_or_reduce", "low_priority"))
    out = pd.DataFrame({"importance": imp, "performance": perf, "quadrant": quadrant},
                       index=pd.Index(imp.index, name="attribute"))
    out["action"] = out["quadrant"].map(ACTIONS)
    comp = (competitor.astype(float).reindex(imp.index) if competitor is not None
            else pd.Series(np.nan, index=imp.index))
    out["competitor"] = comp
    if target is None:
        tgt = comp if comp.notna().all() else pd.Series(0.0 if relative else hi, index=imp.index)
    elif isinstance(target, pd.Series):
        tgt = target.astype(float).reindex(imp.index)
    else:
        tgt = pd.Series(float(target), index=imp.index)
    out["shortfall"] = (tgt - perf).clip(lower=0)
    out["priority"] = out["importance"].abs() * out["shortfall"]
    order = out.sort_values(["priority", "importance"], ascending=False).index
    out["priority_rank"] = pd.Series(np.arange(1, len(out) + 1), index=order).reindex(out.index)
    if diagonal:
        si = imp.std(ddof=0) or 1.0
        sp = perf.std(ddof=0) or 1.0
        out["diagonal_gap"] = (imp - ic) / si - (perf - pc) / sp
        out["above_diagonal"] = out["diagonal_gap"] > 0
    out.attrs.update({"importance_cut": ic, "performance_cut": pc, "diagonal": diagonal,
                      "performance_scale": (lo, hi), "relative": relative,
                      "importance_sd": float(imp.std(ddof=0)),
                      "performance_sd": float(perf.std(ddof=0))})
    return out


# ----------------------------------------------------------------------------------
# basic, performance and excitement factors
# ----------------------------------------------------------------------------------


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
    otherwise a **performance** factor; an asymmetry counts only when the test that
    penalty equals reward rejects at ``alpha`` (so that small, noisy effects are not
    called basic or excitement).

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

    Returns
    -------
    DataFrame
        Indexed by attribute, columns ``penalty``, ``penalty_ci_low``,
        ``penalty_ci_high``, ``reward``, ``reward_ci_low``, ``reward_ci_high``,
        ``asymmetry``, ``p_value`` (test that penalty equals reward), ``n_low``,
        ``n_high`` (respondents rating low / high) and ``factor`` (``"basic"``,
        ``"performance"``, ``"excitement"``, or ``"undetermined"`` when nobody rated
        the attribute low or nobody high). ``attrs``: ``n``, ``r2``.
    """
    import statsmodels.api as sm

    data = check_dataframe(data)
    confidence = check_confidence(confidence)
    if isinstance(attributes, Sequence) and attributes and all(isinstance(a, str)
                                                              for a in attributes):
        check_columns(data, list(attributes), "data")
        check_numeric_columns(data, list(attributes), "data")
        table = pd.DataFrame({"key": list(attributes), "column": list(attributes),
                              "scale_min": [data[a].min() for a in attributes],
                              "scale_max": [data[a].max() for a in attributes]})
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
    keep = frame.notna().all(axis=1).to_numpy()
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
        raise DataError("no attribute has both low and high ratings", column=cols[0],
                        expected="ratings spread over the scale")
    design = sm.add_constant(pd.DataFrame(dummies), has_constant="add")
    if len(frame) <= design.shape[1]:
        raise DataError(f"only {len(frame)} complete respondents for {design.shape[1]} terms",
                        column=target, expected="more respondents")
    fit = sm.WLS(frame[target].to_numpy(), design, weights=w).fit()
    ci = fit.conf_int(alpha=1 - confidence)
    rows = []
    for (key, _a), ok, nl, nh in zip(table.iterrows(), usable, n_low, n_high, strict=True):
        if not ok:
            rows.append({"penalty": np.nan, "penalty_ci_low": np.nan, "penalty_ci_high": np.nan,
                         "reward": np.nan, "reward_ci_low": np.nan, "reward_ci_high": np.nan,
                         "asymmetry": np.nan, "p_value": np.nan, "n_low": nl, "n_high": nh,
                         "factor": "undetermined"})
            continue
        lo_n, hi_n = f"{key}__low", f"{key}__high"
        pen, rew = -fit.params[lo_n], fit.params[hi_n]
        contrast = np.zeros(len(fit.params))
        contrast[list(design.columns).index(lo_n)] = 1.0
        contrast[list(design.columns).index(hi_n)] = 1.0
        pval = float(np.asarray(fit.t_test(contrast).pvalue))
        denom = abs(pen) + abs(rew)
        asym = (rew - pen) / denom if denom > 0 else 0.0
        factor = "performance"
        if pval < alpha and asym < -threshold:
            factor = "basic"
        elif pval < alpha and asym > threshold:
            factor = "excitement"
        rows.append({"penalty": pen, "penalty_ci_low": -ci.loc[lo_n, 1],
                     "penalty_ci_high": -ci.loc[lo_n, 0], "reward": rew,
                     "reward_ci_low": ci.loc[hi_n, 0], "reward_ci_high": ci.loc[hi_n, 1],
                     "asymmetry": asym, "p_value": pval, "n_low": nl, "n_high": nh,
                     "factor": factor})
    out = pd.DataFrame(rows, index=pd.Index(table.index, name="attribute"))
    if (out["factor"] == "undetermined").any():
        warnings.warn(
            "No respondent rated " + ", ".join(repr(k) for k in
                                               out.index[out["factor"] == "undetermined"])
            + " low or none high; their factor type is undetermined.", OrientWarning,
            stacklevel=2)
    out.attrs.update({"n": int(len(frame)), "r2": float(fit.rsquared), "threshold": threshold})
    return out


# ----------------------------------------------------------------------------------
# priorities table and sentences
# ----------------------------------------------------------------------------------


def priority_table(matrix: pd.DataFrame, factors: pd.DataFrame | None = None,
                   labels: Mapping[str, str] | pd.Series | None = None) -> pd.DataFrame:
    """The priorities: matrix and factor types together, in the order to act.

    Parameters
    ----------
    matrix : DataFrame
        A :func:`strategic_matrix` result.
    factors : DataFrame, optional
        A :func:`penalty_reward` result.
    labels : mapping or Series, optional
        Display labels by attribute.

    Returns
    -------
    DataFrame
        Indexed by attribute in ``priority_rank`` order, columns ``label``,
        ``importance``, ``performance``, ``competitor``, ``quadrant``, ``factor`` (NaN
        without ``factors``), ``priority``, ``priority_rank``, ``do_not_cut`` (True for
        a ``maintain_or_reduce`` attribute that is a basic factor) and ``action``
        (the quadrant's action, with "do not cut: it hurts when it slips" where
        flagged).
    """
    out = matrix.copy()
    lab = pd.Series(labels if labels is not None else {}, dtype=object)
    out["label"] = [lab.get(a, a) for a in out.index]
    out["factor"] = factors["factor"].reindex(out.index) if factors is not None else np.nan
    out["do_not_cut"] = (out["quadrant"] == "maintain_or_reduce") & (out["factor"] == "basic")
    out["action"] = np.where(out["do_not_cut"], out["action"] + " " + DO_NOT_CUT[0].upper()
                             + DO_NOT_CUT[1:] + ".", out["action"])
    cols = ["label", "importance", "performance", "competitor", "quadrant", "factor", "priority",
            "priority_rank", "do_not_cut", "action"]
    return out[cols].sort_values("priority_rank")


def narrative(table: pd.DataFrame, *, competitor: str | None = None, r2: float | None = None,
              n: int | None = None, relative: bool = True, top: int = 3,
              gaps: pd.DataFrame | None = None, language: str = "en") -> list[str]:
    """Short plain-language sentences generated from the numbers.

    Parameters
    ----------
    table : DataFrame
        A :func:`priority_table` result (importance as shares of explained variance).
    competitor : str, optional
        The main competitor's name.
    r2, n : float, int, optional
        R² of the driver model and respondents used (first sentence).
    relative : bool
        Whether ``performance`` is the gap to the competitor (points) rather than a
        0-100 score.
    top : int
        How many attributes of the ``improve`` quadrant to describe (in priority
        order); then the strongest ``keep_advantage`` attribute and every
        "do not cut" flag.
    gaps : DataFrame, optional
        The overall rows of :func:`competitive_performance`, to say when a gap is within
        the margin of error.
    language : {"en", "ru"}
        The language of the sentences (templates ``sentences.priorities`` of
        ``orient/templates/text/<language>.yaml``).

    Returns
    -------
    list of str
    """
    check_language(language)
    sentences = []
    if r2 is not None and n is not None:
        sentences.append(sentence("priorities.explained", language, k=len(table), r2=r2, n=n))
    ci = None
    if gaps is not None:
        ci = gaps[gaps["segment"] == "all"].set_index("attribute")[["ci_low", "ci_high"]]

    def describe(attr: Any, row: pd.Series, action: str) -> str:
        gap = row["performance"] if relative else row["performance"] - row["competitor"]
        if pd.isna(gap):
            position = "score"
        elif (ci is not None and attr in ci.index
              and ci.loc[attr, "ci_low"] <= 0 <= ci.loc[attr, "ci_high"]) or round(abs(gap)) == 0:
            position = "level" if gap > 0 else "not_ahead"
        else:
            position = "trails" if gap < 0 else "leads"
        return sentence("priorities.attribute", language, label=row["label"],
                        importance=row["importance"], performance=row["performance"],
                        gap=None if pd.isna(gap) else abs(gap), position=position,
                        rival=competitor, action=action)

    improve = table[table["quadrant"] == "improve"].head(top)
    for i, (attr, row) in enumerate(improve.iterrows()):
        sentences.append(describe(attr, row, "improve_first" if i == 0 else "improve"))
    if improve.empty:
        sentences.append(sentence("priorities.no_improve", language))
    keep = table[table["quadrant"] == "keep_advantage"]
    if len(keep):
        attr = keep["importance"].idxmax()
        sentences.append(describe(attr, keep.loc[attr], "keep"))
    for _attr, row in table[table["do_not_cut"]].iterrows():
        sentences.append(sentence("priorities.do_not_cut", language, label=row["label"]))
    return sentences


# ----------------------------------------------------------------------------------
# the stage's entry point
# ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrioritiesResult:
    """Everything stage III shows, from :func:`analyse`.

    Attributes
    ----------
    drivers : DataFrame
        :func:`driver_importance` of overall satisfaction on the attributes.
    performance : DataFrame
        :func:`competitive_performance` (overall and by segment).
    matrix : DataFrame
        :func:`strategic_matrix`.
    factors : DataFrame or None
        :func:`penalty_reward` (None when it could not be computed).
    priorities : DataFrame
        :func:`priority_table`.
    sentences : tuple of str
        :func:`narrative`.
    competitor : str or None
        The main competitor's name.
    relative : bool
        Whether the matrix's performance axis is the gap to the competitor.
    labels : dict
        Attribute labels by key.
    """

    drivers: pd.DataFrame
    performance: pd.DataFrame
    matrix: pd.DataFrame
    factors: pd.DataFrame | None
    priorities: pd.DataFrame
    sentences: tuple[str, ...]
    competitor: str | None = None
    relative: bool = False
    labels: dict = field(default_factory=dict)


def _company_field(company: Any, name: str, default: Any = None) -> Any:
    value = getattr(company, name, default)
    return default if value is None else value


@_memoised
def analyse(company: Any, *, method: str = "shapley", n_boot: int = 500, seed: int = 0,
            cut: Any = None, diagonal: bool = False, relative: bool | None = None,
            target: str = "overall", segment: str | None = "segment",
            missing: str = "listwise") -> PrioritiesResult:
    """Stage III for one company: drivers, competitive performance, matrix, factors.

    Parameters
    ----------
    company : orient.Company
        From :func:`orient.load_company`.
    method : str
        Driver-importance method (see :func:`driver_importance`).
    n_boot, seed : int
        Bootstrap resamples for the importance intervals, and their seed.
    cut : see :func:`strategic_matrix`
        Default: mean importance, and parity with the competitor (when there is one)
        or the mean performance.
    diagonal : bool
        Add the iso-priority diagonal to the matrix.
    relative : bool, optional
        Performance axis = gap to the competitor (default when a competitor was rated).
    target : str
        The overall-satisfaction column.
    segment : str or None
        Segment column for competitive performance (ignored if absent).
    missing : str
        Missing-data handling for the driver analysis.

    Returns
    -------
    PrioritiesResult
    """
    survey = company.survey
    table = _attribute_table(list(company.attributes))
    labels = dict(zip(table["key"], table["label"], strict=True))
    weights = company.weights if _company_field(company, "weights") is not None else None
    if weights is not None:
        weights = pd.Series(weights).reindex(survey.index).to_numpy(dtype=float)
    confidence = float(_company_field(company, "confidence", 0.95))
    min_base = int(_company_field(company, "min_base", 30))
    drivers = driver_importance(
        survey.rename(columns=dict(zip(table["column"], table["key"], strict=True))),
        target, list(table["key"]), method=method, weights=weights, n_boot=n_boot, seed=seed,
        missing=missing, confidence=confidence)
    seg = segment if segment is not None and segment in survey.columns else None
    perf = competitive_performance(survey, table, weights=weights, segment=seg,
                                   confidence=confidence, min_base=min_base)
    overall = perf[perf["segment"] == "all"].set_index("attribute")
    has_comp = overall["competitor"].notna().all()
    if relative is None:
        relative = bool(has_comp)
    if cut is None:
        cut = ("mean", 0.0) if relative else "mean"
    matrix = strategic_matrix(drivers, perf, cut=cut, diagonal=diagonal, relative=relative)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OrientWarning)
            factors = penalty_reward(survey, target, table, weights=weights,
                                     confidence=confidence)
    except (DataError, ValueError):
        factors = None
    prio = priority_table(matrix, factors, labels)
    competitor = getattr(company, "competitor", None)
    competitor = getattr(competitor, "name", competitor)
    competitor = None if competitor is None else str(competitor)
    sentences = narrative(prio, competitor=competitor, r2=drivers.attrs["r2"],
                          n=drivers.attrs["n"], relative=relative, gaps=perf,
                          language=company_language(company))
    return PrioritiesResult(drivers=drivers, performance=perf, matrix=matrix, factors=factors,
                            priorities=prio, sentences=tuple(sentences), competitor=competitor,
                            relative=relative, labels=labels)



def headline(result: PrioritiesResult) -> dict[str, Any]:
    """Headline numbers of stage III for ``summary.json`` (JSON-safe; None if unknown).

    Returns
    -------
    dict
        ``method``, ``r2``, ``n``, ``top_driver`` (key), ``top_driver_label``,
        ``top_driver_share``, ``top_priority`` (key), ``top_priority_label``,
        ``improve`` (keys in priority order), ``keep_advantage``,
        ``maintain_or_reduce``, ``low_priority``, ``do_not_cut``, ``basic_factors``,
        ``excitement_factors``, ``largest_shortfall`` (key),
        ``largest_shortfall_gap`` (points, own minus competitor), ``competitor`` and
        ``sentences``.
    """
    d = result.drivers
    top = d["share"].idxmax() if len(d) else None
    prio = result.priorities
    by_q = {q: [str(a) for a in prio.index[prio["quadrant"] == q]] for q in QUADRANTS}
    perf = result.performance
    overall = perf[perf["segment"] == "all"].set_index("attribute")
    gaps = overall["gap"].dropna()
    worst = gaps.idxmin() if len(gaps) and gaps.min() < 0 else None
    factors = result.factors
    return {
        "method": d.attrs.get("method"),
        "r2": _num(d.attrs.get("r2")),
        "n": int(d.attrs["n"]) if "n" in d.attrs else None,
        "top_driver": None if top is None else str(top),
        "top_driver_label": None if top is None else str(result.labels.get(top, top)),
        "top_driver_share": None if top is None else _num(d.loc[top, "share"]),
        "top_priority": str(prio.index[0]) if len(prio) else None,
        "top_priority_label": str(prio["label"].iloc[0]) if len(prio) else None,
        **by_q,
        "do_not_cut": [str(a) for a in prio.index[prio["do_not_cut"]]],
        "basic_factors": [] if factors is None else
        [str(a) for a in factors.index[factors["factor"] == "basic"]],
        "excitement_factors": [] if factors is None else
        [str(a) for a in factors.index[factors["factor"] == "excitement"]],
        "largest_shortfall": None if worst is None else str(worst),
        "largest_shortfall_gap": None if worst is None else _num(gaps[worst]),
        "competitor": result.competitor,
        "sentences": list(result.sentences),
    }


_FACTOR_WORDS = {"basic": "basic (hurts when poor)", "performance": "performance (more is better)",
                 "excitement": "excitement (delights when good)", "undetermined": "undetermined"}
_QUADRANT_WORDS = {"improve": "Improve", "keep_advantage": "Keep advantage",
                   "maintain_or_reduce": "Maintain or reduce", "low_priority": "Low priority"}


def display_table(result: PrioritiesResult, which: str = "priorities") -> pd.DataFrame:
    """A stage III table with readable headings and rounded numbers, for notebooks and reports.

    The analysis tables (``result.drivers`` etc.) keep full precision and snake_case
    columns; this only presents them.

    Parameters
    ----------
    result : PrioritiesResult
    which : {"drivers", "performance", "segments", "factors", "priorities"}
        ``"segments"`` is the gap to the competitor by segment (attributes in rows,
        segments in columns, signed text; suppressed small bases shown as a dash).

    Returns
    -------
    DataFrame
        Indexed by the attribute's label.
    """
    which = check_choice(which, ("drivers", "performance", "segments", "factors", "priorities"),
                         "which")
    lab = result.labels
    if which == "drivers":
        d = result.drivers.sort_values("rank")
        out = pd.DataFrame({"Share of explained variation (%)":
                            (100 * d["share"]).round(1).to_numpy()},
                           index=pd.Index([lab.get(k, k) for k in d.index], name="Attribute"))
        if "share_ci_low" in d.columns:
            out["Interval from (%)"] = (100 * d["share_ci_low"]).round(1).to_numpy()
            out["Interval to (%)"] = (100 * d["share_ci_high"]).round(1).to_numpy()
            out["Rank (interval)"] = [f"{r:.0f} ({lo:.0f}-{hi:.0f})" for r, lo, hi in
                                      zip(d["rank"], d["rank_ci_low"], d["rank_ci_high"],
                                          strict=True)]
        else:
            out["Rank"] = d["rank"].astype(int).to_numpy()
        return out
    perf = result.performance
    rival = result.competitor or "Competitor"
    if which == "performance":
        p = perf[perf["segment"] == "all"].sort_values("gap")
        return pd.DataFrame({
            "Our score (0-100)": p["own"].round(1).to_numpy(),
            f"{rival} (0-100)": p["competitor"].round(1).to_numpy(),
            "Gap (points)": p["gap"].round(1).to_numpy(),
            "Gap interval": [f"{lo:+.1f} to {hi:+.1f}" if pd.notna(lo) else "" for lo, hi in
                             zip(p["ci_low"], p["ci_high"], strict=True)],
            "Respondents": p["n"].to_numpy(),
        }, index=pd.Index(p["label"], name="Attribute"))
    if which == "segments":
        p = perf.copy()
        wide = p.pivot(index="label", columns="segment", values="gap").round(1)
        order = perf[perf["segment"] == "all"]["label"]
        wide = wide.reindex(order)[list(perf["segment"].drop_duplicates())]
        bases = p.groupby("segment")["n"].min()
        wide.columns = [f"{s} (n≥{bases[s]})" if s != "all" else "All respondents"
                        for s in wide.columns]
        wide.index.name = "Attribute"
        # suppressed (small base) cells are shown as a dash, not as a number
        return wide.map(lambda v: "–" if pd.isna(v) else f"{v:+.1f}")
    if which == "factors":
        f = result.factors
        if f is None:
            return pd.DataFrame()
        return pd.DataFrame({
            "Penalty when rated low": f["penalty"].round(2).to_numpy(),
            "Reward when rated high": f["reward"].round(2).to_numpy(),
            "Factor type": [_FACTOR_WORDS[x] for x in f["factor"]],
        }, index=pd.Index([lab.get(k, k) for k in f.index], name="Attribute"))
    t = result.priorities
    perf_head = f"Gap to {rival} (points)" if result.relative else "Performance (0-100)"
    out = pd.DataFrame({
        "Priority": t["priority_rank"].to_numpy(),
        "Importance (%)": (100 * t["importance"]).round(1).to_numpy(),
        perf_head: t["performance"].round(1).to_numpy(),
        "Quadrant": [_QUADRANT_WORDS[q] for q in t["quadrant"]],
        "Factor type": [_FACTOR_WORDS.get(x, "") if isinstance(x, str) else "" for x in
                        t["factor"]],
        "Action": t["action"].to_numpy(),
    }, index=pd.Index(t["label"], name="Attribute"))
    return out
