"""Shapley decomposition of McFadden's pseudo-R² for a binary outcome, fast.

McFadden's R² of a logistic model on the drivers in ``S`` is
``1 - log L(S) / log L(intercept only)`` (weighted log-likelihoods at the maximum).
Its Shapley value (LMG) needs the fit of every one of the ``2**p`` subset models.
Three things make that fast:

1. **Sufficient statistics.** The weighted binomial likelihood depends on the data only
   through the distinct driver patterns, each with the summed weight of its respondents
   who said yes (``s1``) and in total (``m``): rating scales repeat patterns, so the
   models are fitted on the distinct rows, exactly. A subset whose own drivers take
   few patterns (at most a fifth of the rows: small subsets of rating scales) is
   fitted on those patterns and its own columns only.
2. **Warm starts.** Subsets are fitted by size; each starts from the fit of the subset
   without its largest member (the new coefficient at 0), so Newton-Raphson needs two
   to four steps.
3. **Batched Newton steps** for all subsets of one size (stacked matrix products and
   solves; :mod:`orient.priorities.logit_newton`), in single precision while far from
   the optimum (exponentials several times cheaper), then in double precision,
   stopping each subset when its Newton decrement ``g' H^-1 g`` is below
   ``1e-10 |log L0|``; the log-likelihood at the optimum is then ``log L + decrement/2``
   (error of the order of the decrement's square). One double-precision pass (an
   exponential and a logarithm per model and row) is the floor of the cost.

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

from orient.priorities.logit_newton import _newton_dense

__all__ = ["collapse", "exact_subset_r2", "sampled_shapley"]

_CHUNK = 2.6e5  # elements (models x rows) of the arrays of one batch of Newton steps
_CHUNK3 = 6e4  # ... of a batch of subsets fitted on their own distinct patterns
_CHUNK_IDS = 4e6  # row ids (subsets x rows) of the subsets examined for collapse at once
_COLLAPSE = 0.2  # a subset is fitted on its own patterns when they are at most this share
_RAW_MAX = 2**16  # ... and the product of its drivers' numbers of levels at most this


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


def _active(masks: np.ndarray, p: int) -> np.ndarray:
    """The columns (intercept first) of each subset's model: (C, p + 1) booleans."""
    bits = ((masks[:, None] >> np.arange(p)) & 1).astype(bool)
    return np.hstack([np.ones((len(masks), 1), dtype=bool), bits])


def _codes(design: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each driver column's values as codes 0..L-1 (G, p) and the number of levels (p,)."""
    cols = [np.unique(c, return_inverse=True) for c in design[:, 1:].T]
    codes = np.stack([inv.ravel() for _, inv in cols], axis=1)
    return codes, np.array([len(u) for u, _ in cols])


def _subset_rows(codes, levels, masks, g):
    """Distinct patterns of each subset's drivers: (index of the subsets worth
    collapsing, their row ids (C', G) into 0..G'-1, G' per subset)."""
    bits = ((masks[:, None] >> np.arange(len(levels))) & 1).astype(bool)
    space = np.prod(np.where(bits, levels, 1).astype(float), axis=1)
    cand = np.flatnonzero(space <= min(_RAW_MAX, 2 * _COLLAPSE * g))  # others rarely kept
    if len(cand) == 0:
        return cand, np.zeros((0, g), dtype=np.int64), np.zeros(0, dtype=np.int64)
    lv = np.where(bits[cand], levels, 1)
    strides = np.cumprod(np.hstack([np.ones((len(cand), 1)), lv[:, :-1]]), axis=1)
    strides *= bits[cand]
    raw = (codes.astype(float) @ strides.T).T.astype(np.int64)  # (C, G), exact integers
    width = int(space[cand].max())
    flat = raw + (np.arange(len(cand)) * width)[:, None]
    present = np.bincount(flat.ravel(), minlength=len(cand) * width) > 0
    rank = np.cumsum(present) - 1
    sizes = present.reshape(len(cand), width).sum(axis=1)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    keep = sizes <= _COLLAPSE * g
    ids = (rank[flat[keep]] - first[keep][:, None]).astype(np.int32)
    return cand[keep], ids, sizes[keep]


def _fit_collapsed(design, s1, m, ids, sizes, group, start, active, ll0):
    """Fit subsets on their own distinct patterns (rows merged where the subset's drivers
    agree; padded with rows of zero weight to the largest in each chunk), on their own
    columns only (every subset here has the same size)."""
    order = np.argsort(sizes, kind="stable")
    c, q = start.shape
    kc = int(active[0].sum())  # the columns of each model (intercept and k drivers)
    iu, ju = np.triu_indices(kc)
    betas, ll = np.empty_like(start), np.empty(c)
    ok = np.ones(c, dtype=bool)
    lo = 0
    while lo < c:
        ss = sizes[order[lo:]]
        cost = ss * np.arange(1, len(ss) + 1)  # padded rows of the chunk [lo, lo + i]
        hi = lo + max(1, int(np.searchsorted(cost, _CHUNK3, side="right")))
        width = int(sizes[order[hi - 1]])
        sel = order[lo:hi]
        k = len(sel)
        flat = ids[sel] + (np.arange(k) * width)[:, None]
        rep = np.zeros(k * width, dtype=np.int64)
        rep[flat.ravel()] = np.tile(np.arange(design.shape[0]), k)
        cols = np.sort(np.argsort(~active[sel], axis=1, kind="stable")[:, :kc], axis=1)
        d3 = design[rep.reshape(k, width)[:, :, None], cols[:, None, :]]  # (k, width, kc)
        w1, wm = s1[group[sel]], m[group[sel]]
        s1c = np.bincount(flat.ravel(), weights=w1.ravel(), minlength=k * width)
        mc = np.bincount(flat.ravel(), weights=wm.ravel(), minlength=k * width)
        pairs = (d3[:, :, iu] * d3[:, :, ju]).astype(np.float32)
        b, lk, _, good = _newton_dense(
            d3,
            d3.astype(np.float32),
            pairs,
            s1c.reshape(k, width),
            mc.reshape(k, width),
            np.take_along_axis(start[sel], cols, axis=1),
            None,
            np.ones((k, kc), dtype=bool),
            ll0[sel],
        )
        dense = np.zeros((k, q))
        np.put_along_axis(dense, cols, b, axis=1)
        b = dense
        betas[sel], ll[sel], ok[sel] = b, lk, good
        lo = hi
    return betas, ll, ok


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
    log-likelihoods, Hessians (NaN where a subset was fitted on its own distinct
    patterns: they lack the other columns), all converged).

    A subset whose drivers take few distinct patterns (at most ``_COLLAPSE`` of the
    rows) is fitted on those patterns (the same likelihood, fewer rows); the others
    on the rows of the full design."""
    g, q = design.shape
    active = _active(masks, q - 1)
    ll0 = _null_loglik(s1, m)[group]
    betas = np.empty_like(start)
    hess = np.full((len(masks), q, q), np.nan)
    ll = np.empty(len(masks))
    ok = True
    with _one_thread():
        codes, levels = _codes(design)
        small = []
        step = max(1, int(_CHUNK_IDS // g))  # subsets whose row ids are held at once
        for lo in range(0, len(masks), step):
            sub = np.arange(lo, min(len(masks), lo + step))
            idx, ids, sizes = _subset_rows(codes, levels, masks[sub], g)
            if len(idx) == 0:
                continue
            sel = sub[idx]
            b, lk, good = _fit_collapsed(
                design, s1, m, ids, sizes, group[sel], start[sel], active[sel], ll0[sel]
            )
            betas[sel], ll[sel] = b, lk
            ok &= bool(good.all())
            small.append(sel)
        small = np.concatenate(small) if small else np.zeros(0, dtype=np.int64)
        rest = np.setdiff1d(np.arange(len(masks)), small)
        iu, ju = np.triu_indices(q)
        pairs = (design[:, iu] * design[:, ju]).astype(np.float32)
        design32 = design.astype(np.float32)
        single = len(s1) == 1
        chunk = max(1, int(_CHUNK // g))
        for lo in range(0, len(rest), chunk):
            sl = rest[lo : lo + chunk]
            h0 = None if hstart is None else hstart[sl]
            w1, wm = (s1[0], m[0]) if single else (s1[group[sl]], m[group[sl]])
            b, lk, h, good = _newton_dense(
                design, design32, pairs, w1, wm, start[sl], h0, active[sl], ll0[sl]
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
