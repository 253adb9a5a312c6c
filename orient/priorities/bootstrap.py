"""Vectorised bootstrap of driver importance (percentile intervals are taken by the caller).

Rows are resampled with replacement and keep their survey weights; a chunk of
resamples becomes one batch of weight vectors (resample counts x survey weights),
so the weighted correlation matrices and the 2**p subset R² values of all resamples
in the chunk are computed together. The counts are drawn and reduced one block of
:data:`_BOOT_BLOCK` rows at a time (:func:`orient.stats.resample_counts`), so memory
does not grow with the rows and time grows linearly (100 resamples x 1,000,000 rows
would be 800 MB of counts at once). Randomness only through ``seed``: up to
:data:`_BOOT_BLOCK` rows the resamples are those of
``rng.integers(0, n, size=(100, n))`` per chunk, as before the blocks; with more rows
the same seed gives other (equally distributed) resamples than before.

A binary outcome's logistic Shapley/Kruskal values need logistic fits in every
resample: each resample then samples :data:`BOOT_PERMUTATIONS` orderings (or fits every
subset when that is cheaper), and the number of resamples is capped by
:data:`BOOT_WORK` (a deterministic cost model: the same data and seed always give the
same resamples); :func:`percentile_mc_se` states the Monte Carlo error that leaves in
the interval ends.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import sparse

from orient.priorities.binary import _importance_binary
from orient.priorities.linear import (
    _corr_from_sums,
    _importance_linear,
    _lmg_from_r2,
    _moment_sums,
)
from orient.priorities.logit_shapley import exact_subset_r2, sampled_shapley
from orient.stats import RESAMPLE_BLOCK, resample_counts

#: resamples drawn and processed together (fixed: results depend on the seed only)
_BOOT_CHUNK = 100
#: rows per block of a chunk's resample counts (:func:`orient.stats.resample_counts`):
#: the counts are drawn and reduced one block at a time, so a chunk holds about
#: ``_BOOT_CHUNK x _BOOT_BLOCK`` cells (26 MB) whatever the number of rows (fixed, as
#: the draws depend on it once there are more rows than this)
_BOOT_BLOCK = RESAMPLE_BLOCK
#: cells (resamples x distinct rows) of a chunk of a binary outcome's refits
_BOOT_CELLS = 2**23
#: orderings sampled in each resample for a binary outcome's logistic Shapley/Kruskal
BOOT_PERMUTATIONS = 32
#: logistic model-rows (models fitted x distinct rows) allowed over all resamples,
#: about 45 s of one core at p = 12 and 63 s at p = 15 with 25,000 distinct rows (a shared
#: machine, benchmarks/binary.py); fewer resamples are drawn when n_boot would need more
BOOT_WORK = 5e8


def logit_boot_plan(p: int, rows: int, method: str, n_boot: int) -> tuple[int, bool]:
    """(resamples, exact in each resample) for a binary outcome's logistic methods."""
    if method not in ("shapley", "kruskal"):
        return n_boot, True
    sampled = BOOT_PERMUTATIONS * max(1, p - 1)
    exact = 2**p <= sampled
    per = (2**p if exact else sampled) * rows
    return max(1, min(n_boot, int(BOOT_WORK // per))), exact


def percentile_mc_se(boot: np.ndarray, q: float) -> np.ndarray:
    """Monte Carlo standard error of the ``q``-quantile of each column of ``boot``.

    Distribution-free, from order statistics: with B resamples the sample quantile's
    rank has binomial spread ``sqrt(B q (1 - q))``; half the distance between the
    order statistics one spread either side is its standard error.
    """
    b = np.sort(boot[np.all(np.isfinite(boot), axis=1)], axis=0)
    n = len(b)
    if n < 2:
        return np.full(boot.shape[1], np.nan)
    spread = math.sqrt(n * q * (1 - q))
    lo = int(np.clip(math.floor(n * q - spread), 0, n - 1))
    hi = int(np.clip(math.ceil(n * q + spread), 0, n - 1))
    return (b[hi] - b[lo]) / 2


def _bootstrap(
    x: np.ndarray,
    obs: np.ndarray | None,
    w: np.ndarray,
    method: str,
    outcome: str,
    n_boot: int,
    seed: int | None,
    p: int,
    exact: bool = True,
) -> np.ndarray:
    """Importance (unsigned) in each of ``n_boot`` resamples, shape (n_boot, p).

    Resamples are drawn in chunks of :data:`_BOOT_CHUNK` by
    :func:`orient.stats.resample_counts`, whose blocks of rows are reduced as they
    come: a continuous outcome's weighted moment sums
    (:func:`~orient.priorities.linear._moment_sums`, added over blocks) or a binary
    outcome's weights per distinct row. ``exact``: for a binary outcome's
    logistic Shapley/Kruskal, fit every subset model in each resample (else sample
    :data:`BOOT_PERMUTATIONS` orderings)."""
    rng = np.random.default_rng(seed)
    n = len(x)
    out = np.empty((n_boot, p))
    if outcome != "continuous":
        return _bootstrap_binary(x, w, method, n_boot, seed, p, exact, rng, out)
    q = x.shape[1]
    done = 0
    while done < n_boot:
        b = min(_BOOT_CHUNK, n_boot - done)
        sums = None
        for start, stop, counts in resample_counts(rng, n, b, _BOOT_BLOCK):
            counts *= w[start:stop]
            part = _moment_sums(x[start:stop], None if obs is None else obs[start:stop], counts)
            sums = part if sums is None else tuple(s + t for s, t in zip(sums, part, strict=True))
            del counts  # before the next block is drawn
        corr = _corr_from_sums(sums, q)
        bad = ~np.all(np.isfinite(corr), axis=(1, 2))
        corr[bad] = np.eye(p + 1)
        bad |= np.linalg.eigvalsh(corr[:, :p, :p])[:, 0] <= 1e-10
        corr[bad] = np.eye(p + 1)
        imp, _, _ = _importance_linear(corr, method)
        imp[bad] = np.nan
        out[done : done + b] = imp
        done += b
    return out


def _bootstrap_binary(
    x: np.ndarray,
    w: np.ndarray,
    method: str,
    n_boot: int,
    seed: int | None,
    p: int,
    exact: bool,
    rng: np.random.Generator,
    out: np.ndarray,
) -> np.ndarray:
    """:func:`_bootstrap` of a binary outcome (the last column of ``x``): each resample's
    weights are summed over identical rows (the weighted likelihood, means and
    correlations are the same on those distinct rows) and the model refitted there.

    Logistic Shapley/Kruskal fit a chunk of resamples together on the distinct rows of
    the standardised drivers (:func:`_logit_chunk`); the other methods refit each
    resample on the distinct (driver, outcome) rows it drew. Memory: a chunk's weights
    per distinct row (the number of resamples is capped by :data:`BOOT_WORK` for the
    former; the chunk is cut to :data:`_BOOT_CELLS` cells for the latter)."""
    n = len(x)
    y = (x[:, p] == np.max(x[:, p])).astype(float)
    logit = method in ("shapley", "kruskal")
    if logit:
        mu = np.average(x[:, :p], axis=0, weights=w)
        sd = np.sqrt(np.average((x[:, :p] - mu) ** 2, axis=0, weights=w))
        uniq, inv = np.unique((x[:, :p] - mu) / sd, axis=0, return_inverse=True)
        chunk = _BOOT_CHUNK
    else:
        uniq, inv = np.unique(np.column_stack([x[:, :p], y]), axis=0, return_inverse=True)
        chunk = max(1, min(_BOOT_CHUNK, _BOOT_CELLS // len(uniq)))
    g = len(uniq)
    ind = sparse.csr_matrix((np.ones(n), (np.arange(n), inv.ravel())), shape=(n, g))
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        m = np.zeros((b, g))
        s1 = np.zeros((b, g)) if logit else None
        for start, stop, counts in resample_counts(rng, n, b, _BOOT_BLOCK):
            counts *= w[start:stop]
            blk = ind[start:stop]
            m += np.asarray((blk.T @ counts.T).T)
            if logit:
                s1 += np.asarray((blk.T @ (counts * y[start:stop]).T).T)
            del counts
        if logit:
            design = np.hstack([np.ones((g, 1)), uniq])
            sub_seed = None if seed is None else seed + done
            out[done : done + b] = _logit_chunk(design, s1, m, method, exact, sub_seed)
        else:
            for i in range(b):
                sel = m[i] > 0
                out[done + i] = _importance_binary(uniq[sel, :p], uniq[sel, p], m[i, sel], method)[
                    0
                ]
        done += b
    return out


def _logit_chunk(
    design: np.ndarray, s1: np.ndarray, m: np.ndarray, method: str, exact: bool, seed: int | None
) -> np.ndarray:
    """Logistic Shapley/Kruskal of McFadden's R² in a chunk of resamples, all fitted
    together on the distinct rows ``design`` (intercept and standardised drivers) with
    each resample's yes-weights ``s1`` and weights ``m`` (b, rows)."""
    p = design.shape[1] - 1
    kruskal = method == "kruskal"
    if exact:
        r2, _ = exact_subset_r2(design, s1, m)
        return _lmg_from_r2(r2, p, kruskal=kruskal)
    return sampled_shapley(design, s1, m, BOOT_PERMUTATIONS, seed, kruskal=kruskal)[0]
