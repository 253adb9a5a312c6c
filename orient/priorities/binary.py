"""Importance for a binary (0/1) outcome: logistic models and McFadden's pseudo-R².

Weighted Newton-Raphson fits of one model; McFadden's R² of every subset model for
Shapley and Kruskal (exact, or sampled above the exact limit: see
:mod:`orient.priorities.logit_shapley`),
Tonidandel & LeBreton's logistic relative weights, per-SD coefficients and the
point-biserial correlation.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from orient.priorities.linear import _lmg_from_r2
from orient.priorities.logit_shapley import collapse, exact_subset_r2, sampled_shapley

#: Shapley/Kruskal of McFadden's R² are exact (all 2**p logistic subset models) when
#: 2**p times the number of distinct driver patterns is at most this (about ten seconds
#: of one core); above it, or with more than :data:`MAX_EXACT_LOGIT` drivers, they are
#: estimated from random orderings (:func:`sampled_shapley`) with a Monte Carlo error.
EXACT_WORK = 2**13 * 10_000
#: exact logistic Shapley is never attempted with more drivers than this
MAX_EXACT_LOGIT = 15
#: orderings of the sampling estimator (antithetic pairs), unless given
PERMUTATIONS = 256

# ----------------------------------------------------------------------------------
# binary outcome: logistic models, McFadden's pseudo-R²
# ----------------------------------------------------------------------------------


def _logit_loglik(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    start: np.ndarray | None = None,
    max_iter: int = 100,
    tol: float = 1e-12,
) -> tuple[float, np.ndarray, bool]:
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


def _importance_binary(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    method: str,
    *,
    exact: bool | None = None,
    permutations: int = PERMUTATIONS,
    seed: int | None = 0,
) -> tuple[np.ndarray, np.ndarray, float, bool, dict]:
    """Return (unsigned importance, coefficients per SD of each driver, McFadden R², ok,
    info). ``info``: ``exact`` (all subsets fitted, or None when the method needs no
    subsets), ``permutations`` (orderings sampled, or None) and ``mc_se`` (the Monte
    Carlo standard error of each importance, or None)."""
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
    info: dict = {"exact": None, "permutations": None, "mc_se": None}
    if method in ("shapley", "kruskal"):
        design, s1, m = collapse(z, y, w)
        if exact is None:
            exact = p <= MAX_EXACT_LOGIT and 2**p * len(design) <= EXACT_WORK
        info["exact"] = bool(exact)
        if exact:
            sub, ok_sub = exact_subset_r2(design, s1, m)
            imp = _lmg_from_r2(sub, p, kruskal=method == "kruskal")
        else:
            imp, se, ok_sub = sampled_shapley(
                design, s1, m, permutations, seed, kruskal=method == "kruskal"
            )
            info.update(permutations=2 * max(1, (permutations + 1) // 2), mc_se=se)
        ok &= ok_sub
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
        s_orth = np.sqrt(
            np.average((orth - np.average(orth, axis=0, weights=w)) ** 2, axis=0, weights=w)
        )
        beta_std = b[1:] * s_orth * big_r / s_eta
        eps = (lam**2) @ beta_std**2
        imp = eps / eps.sum() * r2  # rescaled to sum to McFadden's R²
    elif method == "beta":
        imp = np.abs(coef)
    else:  # correlation: point-biserial
        imp = np.abs(np.array([_wcorr(z[:, j], y, w) for j in range(p)]))
    return imp, coef, r2, ok, info


def _wcorr(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> float:
    ma, mb = np.average(a, weights=w), np.average(b, weights=w)
    cov = np.average((a - ma) * (b - mb), weights=w)
    return float(
        cov / math.sqrt(np.average((a - ma) ** 2, weights=w) * np.average((b - mb) ** 2, weights=w))
    )


# ----------------------------------------------------------------------------------
# separation: why a logistic model has no finite estimate
# ----------------------------------------------------------------------------------


def is_separated(x: np.ndarray, y: np.ndarray) -> bool:
    """Whether a linear combination of the columns of ``x`` (with an intercept) separates
    the 0/1 outcome ``y``, completely or quasi-completely: then the logistic MLE is not
    finite. Konis's (2007) linear programme: maximise ``sum(s * (X b))`` subject to
    ``s * (X b) >= 0`` (``s = 2y - 1``, ``b`` in [-1, 1]); separated when the optimum is
    above zero."""
    from scipy.optimize import linprog

    n = len(x)
    sd = x.std(axis=0)
    z = (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    a = (2 * y - 1)[:, None] * np.hstack([np.ones((n, 1)), z])
    res = linprog(
        -a.sum(axis=0),
        A_ub=-a,
        b_ub=np.zeros(n),
        bounds=[(-1, 1)] * a.shape[1],
        method="highs",
    )
    return bool(res.status == 0 and -res.fun > 1e-7 * max(1.0, np.abs(a).sum() / a.shape[1]))


def separating_drivers(x: np.ndarray, y: np.ndarray) -> list[tuple[int, tuple, tuple]]:
    """The columns that alone separate ``y``: (column, (min, max) where ``y = 1``,
    (min, max) where ``y = 0``), the two ranges meeting at most at one value."""
    out = []
    one, zero = y == 1, y == 0
    for j in range(x.shape[1]):
        r1 = (float(x[one, j].min()), float(x[one, j].max()))
        r0 = (float(x[zero, j].min()), float(x[zero, j].max()))
        if r0[1] <= r1[0] or r1[1] <= r0[0]:
            out.append((j, r1, r0))
    return out
