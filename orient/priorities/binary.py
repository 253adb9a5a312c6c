"""Importance for a binary (0/1) outcome: logistic models and McFadden's pseudo-R².

Weighted Newton-Raphson fits (one model, or a stack of subset models fitted
together), McFadden's R² of every subset model for Shapley and Kruskal,
Tonidandel & LeBreton's logistic relative weights, per-SD coefficients and the
point-biserial correlation.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from orient.priorities.linear import _lmg_from_r2

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


def _logit_batch(
    xs: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    start: np.ndarray,
    max_iter: int = 100,
    tol: float = 1e-12,
) -> tuple[np.ndarray, np.ndarray, bool]:
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
            np.max(np.abs(grad), axis=1) < tol
        )
        active[a[done]] = False
    eta = np.einsum("cnk,ck->cn", xs, beta)
    ll = np.sum(w * (y * special.log_expit(eta) + (1 - y) * special.log_expit(-eta)), axis=1)
    ok = not active.any() and bool(np.all(np.isfinite(beta))) and float(np.max(np.abs(beta))) <= 30
    return beta, ll, ok


def _importance_binary(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, method: str
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
    return imp, coef, r2, ok


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
