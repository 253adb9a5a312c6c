"""The logistic subset fits as they were before the float32 iterations and the per-subset
collapse (kept only for benchmarks/binary.py to compare against). Original docstring:

Shapley decomposition of McFadden's pseudo-R² for a binary outcome, fast.

McFadden's R² of a logistic model on the drivers in ``S`` is
``1 - log L(S) / log L(intercept only)`` (weighted log-likelihoods at the maximum).
Its Shapley value (LMG) needs the fit of every one of the ``2**p`` subset models.
Three things make that fast:

1. **Sufficient statistics.** The weighted binomial likelihood depends on the data only
   through the distinct driver patterns, each with the summed weight of its respondents
   who said yes (``s1``) and in total (``m``): rating scales repeat patterns, so the
   models are fitted on the distinct rows, exactly.
2. **Warm starts.** Subsets are fitted by size; each starts from the fit of the subset
   without its largest member (the new coefficient at 0), so Newton-Raphson needs two
   to four steps.
3. **Batched Newton steps** for all subsets of one size (stacked matrix products and
   solves), stopping each subset when its Newton decrement ``g' H^-1 g`` is below
   ``1e-13 |log L0|``; the log-likelihood at the optimum is then ``log L + decrement/2``
   (error of the order of the decrement's square).

Above the exact limit, :func:`sampled_shapley` estimates the values from random
orderings of the drivers (antithetic pairs: each ordering and its reverse), fitting
only the models along those orderings, and gives each value's Monte Carlo standard
error. The values still sum to the full model's R² exactly (each ordering telescopes).

Both take one weight vector or a batch (bootstrap resamples: the same distinct rows
with other weights), fitted together. McFadden's R² is unchanged by rescaling the
drivers, so every resample uses the same standardised design.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

__all__ = ["collapse", "exact_subset_r2", "sampled_shapley"]

_CHUNK = 2.6e5  # elements (models x rows) of the arrays of one batch of Newton steps
_DECREMENT = 1e-10  # Newton decrement (relative to |log L0|) at which a fit has converged
_REFRESH = 1e-5  # ... above which the next step uses a fresh Hessian
_MAX_ITER = 60


def collapse(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct rows of ``z`` with their weighted yes-count ``s1`` and total weight ``m``.

    Returns (design with an intercept column, s1, m). The weighted log-likelihood of any
    logistic model on columns of ``z`` is the same on these rows as on the original ones.
    """
    uniq, inv = np.unique(z, axis=0, return_inverse=True)
    inv = inv.ravel()
    s1 = np.bincount(inv, weights=w * y, minlength=len(uniq))
    m = np.bincount(inv, weights=w, minlength=len(uniq))
    design = np.hstack([np.ones((len(uniq), 1)), uniq])
    return design, s1, m


def _newton_dense(
    design: np.ndarray,
    pairs: np.ndarray,
    s1: np.ndarray,
    m: np.ndarray,
    start: np.ndarray,
    hstart: np.ndarray | None,
    active: np.ndarray,
    ll0: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Newton-Raphson for a stack of logistic models on the same rows.

    Each model is a coefficient vector over every column of ``design`` (G, q), zero
    outside its ``active`` columns (C, q), so that the linear predictors, gradients and
    Hessians of all models are matrix products with the design (``pairs``: the
    products of its columns, upper triangle). ``s1`` and ``m`` are (G,) or one row per
    model (C, G) (bootstrap resamples: the same rows, other weights); ``ll0`` (C,).
    The Hessian over all columns is kept: ``hstart`` (the parent models' last
    Hessians, at the point each child starts from) serves the first step; a fresh one
    is computed while the Newton decrement is large and reused once it is small (the
    step then converges at least linearly, fast). Returns (coefficients (C, q),
    log-likelihood at the optimum (C,), last Hessians (C, q, q), converged (C,)).
    """
    c, q = start.shape
    iu, ju = np.triu_indices(q)
    diag = np.arange(q)
    beta = start.copy()
    full = np.empty((c, q, q)) if hstart is None else hstart.copy()
    need = np.full(c, hstart is None)
    ll = np.full(c, -np.inf)
    done = np.zeros(c, dtype=bool)
    eps = _DECREMENT * np.abs(ll0)
    per_model = s1.ndim == 2
    for _ in range(_MAX_ITER):
        a = np.flatnonzero(~done)
        if len(a) == 0:
            break
        act = active[a]
        sa, ma = (s1[a], m[a]) if per_model else (s1, m)
        eta = beta[a] @ design.T  # (A, G)
        prob = np.negative(eta)
        with np.errstate(over="ignore"):  # exp overflows to inf where expit is 0
            np.exp(prob, out=prob)
        prob += 1.0
        np.reciprocal(prob, out=prob)  # expit(eta)
        r = np.multiply(prob, -ma)
        r += sa  # s1 - m expit(eta)
        grad = (r @ design) * act
        fresh = need[a]
        if fresh.any():
            v = prob[fresh] if not fresh.all() else prob.copy()
            np.subtract(1.0, v, out=v)
            v *= prob[fresh] if not fresh.all() else prob
            v *= ma[fresh] if per_model else ma  # m p (1 - p)
            # single precision suffices: the Hessian sets the step, not the optimum
            # (the gradient, in double precision, does)
            packed = v.astype(np.float32) @ pairs
            rows = a[fresh]
            full[rows[:, None], iu, ju] = packed
            full[rows[:, None], ju, iu] = packed
        hess = np.where(act[:, :, None] & act[:, None, :], full[a], 0.0)
        hess[:, diag, diag] += ~act  # identity on the columns left out
        try:
            step = np.linalg.solve(hess, grad[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:  # a singular stack: these fits stay unconverged
            break
        dec = np.einsum("ck,ck->c", grad, step)
        fin = (dec < eps[a]) | ~np.isfinite(dec)
        if fin.any():
            et = eta[fin]
            sf, mf = (sa[fin], ma[fin]) if per_model else (sa, ma)
            lf = sf * et - mf * (np.maximum(et, 0.0) + np.log1p(np.exp(-np.abs(et))))
            ll[a[fin]] = lf.sum(axis=1) + np.where(np.isfinite(dec[fin]), dec[fin] / 2, 0.0)
        beta[a[~fin]] += step[~fin]
        done[a[fin]] = True
        need[a] = dec >= _REFRESH * np.abs(ll0[a])
    left = np.flatnonzero(~done)  # not converged (separation): the likelihood where they are
    if len(left):
        et = beta[left] @ design.T
        sf, mf = (s1[left], m[left]) if per_model else (s1, m)
        lf = sf * et - mf * (np.maximum(et, 0.0) + np.log1p(np.exp(-np.abs(et))))
        ll[left] = lf.sum(axis=1)
    ok = done & np.all(np.isfinite(beta), axis=1) & (np.max(np.abs(beta), axis=1) <= 30)
    return beta, ll, full, ok


def _active(masks: np.ndarray, p: int) -> np.ndarray:
    """The columns (intercept first) of each subset's model: (C, p + 1) booleans."""
    bits = ((masks[:, None] >> np.arange(p)) & 1).astype(bool)
    return np.hstack([np.ones((len(masks), 1), dtype=bool), bits])


def _fit_masks(
    design: np.ndarray,
    s1: np.ndarray,
    m: np.ndarray,
    masks: np.ndarray,
    group: np.ndarray,
    start: np.ndarray,
    hstart: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Fit the models of the subsets ``masks`` on the weights ``s1[group]``,
    ``m[group]`` ((B, G): one row per resample), in chunks, from the dense coefficients
    ``start`` (C, p + 1) and Hessians ``hstart``; returns (coefficients,
    log-likelihoods, Hessians, all converged)."""
    g, q = design.shape
    iu, ju = np.triu_indices(q)
    pairs = (design[:, iu] * design[:, ju]).astype(np.float32)
    active = _active(masks, q - 1)
    ll0 = _null_loglik(s1, m)[group]
    single = len(s1) == 1
    betas = np.empty_like(start)
    hess = np.empty((len(masks), q, q))
    ll = np.empty(len(masks))
    ok = True
    chunk = max(1, int(_CHUNK // g))
    with _one_thread():
        for lo in range(0, len(masks), chunk):
            sl = slice(lo, lo + chunk)
            h0 = None if hstart is None else hstart[sl]
            w1, wm = (s1[0], m[0]) if single else (s1[group[sl]], m[group[sl]])
            b, lk, h, good = _newton_dense(
                design, pairs, w1, wm, start[sl], h0, active[sl], ll0[sl]
            )
            betas[sl], ll[sl], hess[sl] = b, lk, h
            ok &= bool(good.all())
    return betas, ll, hess, ok


def _one_thread():
    """BLAS on one thread: these matrix products are small, and threads that wait for a
    busy core make them many times slower (the machine is often shared)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with the dependencies
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _null_loglik(s1: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Log-likelihood of the intercept-only model for each row of weights (B, G)."""
    t1, tm = s1.sum(axis=1), m.sum(axis=1)
    ybar = t1 / tm
    return t1 * np.log(ybar) + (tm - t1) * np.log1p(-ybar)


def _intercepts(s1: np.ndarray, m: np.ndarray) -> np.ndarray:
    ybar = s1.sum(axis=1) / m.sum(axis=1)
    return np.log(ybar / (1 - ybar))


def _as_rows(s1: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.atleast_2d(np.asarray(s1, dtype=float)), np.atleast_2d(np.asarray(m, dtype=float))


def exact_subset_r2(design: np.ndarray, s1: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, bool]:
    """McFadden's R² of the logistic model on every subset of the drivers.

    ``design``, ``s1``, ``m`` from :func:`collapse`; ``s1`` and ``m`` may hold one row
    of weights per resample (B, G). Returns (``r2[..., mask]`` with bit j for driver j,
    shape (2**p,) or (B, 2**p); every fit converged).
    """
    batch = np.ndim(s1) == 2
    s1, m = _as_rows(s1, m)
    nb = len(s1)
    q = design.shape[1]
    p = q - 1
    ll0 = _null_loglik(s1, m)
    masks = np.arange(2**p, dtype=np.int64)
    sizes = np.bitwise_count(masks)
    r2 = np.zeros((nb, 2**p))
    ok = True
    prev_beta = np.zeros((nb, q))
    prev_beta[:, 0] = _intercepts(s1, m)
    prev_hess = None
    pos = np.zeros(2**p, dtype=np.int64)  # row of each mask in its size's arrays
    for k in range(1, p + 1):
        level = masks[sizes == k]
        largest = np.floor(np.log2(level)).astype(np.int64)
        parent = pos[level & ~(1 << largest)]
        # models ordered (resample, subset): row b * len(level) + i
        n_prev = len(prev_beta) // nb
        grp = np.repeat(np.arange(nb), len(level))
        rows = grp * n_prev + np.tile(parent, nb)
        start = prev_beta[rows]  # the parent's fit, 0 for the new driver
        hstart = None if prev_hess is None else prev_hess[rows]
        betas, ll, prev_hess, good = _fit_masks(
            design, s1, m, np.tile(level, nb), grp, start, hstart
        )
        r2[:, level] = 1.0 - ll.reshape(nb, -1) / ll0[:, None]
        ok &= good
        pos[level] = np.arange(len(level))
        prev_beta = betas
    return (r2 if batch else r2[0]), ok


def sampled_shapley(
    design: np.ndarray,
    s1: np.ndarray,
    m: np.ndarray,
    permutations: int,
    seed: int | None,
    kruskal: bool = False,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Shapley values (or Kruskal's measure) of McFadden's R² from random orderings.

    ``permutations`` orderings (rounded up to an even number: each drawn ordering and
    its reverse, which lowers the variance); a subset met by several orderings is
    fitted once, from the fit of the ordering's previous subset. ``s1`` and ``m`` may
    hold one row of weights per resample (B, G): each resample gets its own orderings.
    Returns (estimate, Monte Carlo standard error, each (p,) or (B, p); every fit
    converged).
    """
    batch = np.ndim(s1) == 2
    s1, m = _as_rows(s1, m)
    nb = len(s1)
    q = design.shape[1]
    p = q - 1
    rng = np.random.default_rng(seed)
    half = max(1, (permutations + 1) // 2)
    perms = np.argsort(rng.random((nb, half, p)), axis=2)
    perms = np.concatenate([perms, perms[:, :, ::-1]], axis=1)  # antithetic: i and i + half
    n_perm = 2 * half
    perms = perms.reshape(nb * n_perm, p)
    grp_of = np.repeat(np.arange(nb), n_perm)  # resample of each ordering
    ll0 = _null_loglik(s1, m)
    prev_beta = np.zeros((nb, q))
    prev_beta[:, 0] = _intercepts(s1, m)
    prev_hess = None
    row = grp_of.copy()  # each ordering's subset among the last fitted models
    path = np.zeros(len(perms), dtype=np.int64)  # each ordering's current subset
    path_r2 = np.zeros(len(perms))
    gain = np.zeros((len(perms), p))
    ok = True
    for k in range(1, p + 1):
        new = path | (1 << perms[:, k - 1].astype(np.int64))
        key = grp_of * 2**p + new  # a subset within its resample
        level, first, inv = np.unique(key, return_index=True, return_inverse=True)
        grp = grp_of[first]
        start = prev_beta[row[first]]
        hstart = None if prev_hess is None else prev_hess[row[first]]
        betas, ll, prev_hess, good = _fit_masks(design, s1, m, level % 2**p, grp, start, hstart)
        ok &= good
        r2_new = (1.0 - ll / ll0[grp])[inv.ravel()]
        prev_beta, row = betas, inv.ravel()
        step = r2_new - path_r2
        if kruskal:
            step = step / (1.0 - path_r2)
        gain[np.arange(len(perms)), perms[:, k - 1]] = step
        path, path_r2 = new, r2_new
    gain = gain.reshape(nb, n_perm, p)
    pair = (gain[:, :half] + gain[:, half:]) / 2
    est = pair.mean(axis=1)
    se = pair.std(axis=1, ddof=1) / math.sqrt(half) if half > 1 else np.full((nb, p), np.nan)
    return (est, se, ok) if batch else (est[0], se[0], ok)
