"""Vectorised bootstrap of driver importance (percentile intervals are taken by the caller).

Rows are resampled with replacement and keep their survey weights; a chunk of
resamples becomes one batch of weight vectors (resample counts x survey weights),
so the weighted correlation matrices and the 2**p subset R² values of all resamples
in the chunk are computed together. Randomness only through ``seed``.

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
from orient.priorities.linear import _corr_batch, _importance_linear, _lmg_from_r2
from orient.priorities.logit_shapley import exact_subset_r2, sampled_shapley

_BOOT_CHUNK = 100  # resamples drawn and processed together (fixed: results depend on seed only)
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

    ``exact``: for a binary outcome's logistic Shapley/Kruskal, fit every subset model
    in each resample (else sample :data:`BOOT_PERMUTATIONS` orderings)."""
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
        elif method in ("shapley", "kruskal"):
            imp = _logit_chunk(x, cw, w, method, exact, None if seed is None else seed + done)
        else:
            yb = (x[:, p] == np.max(x[:, p])).astype(float)
            imp = np.empty((b, p))
            for i in range(b):
                sel = cw[i] > 0
                imp[i] = _importance_binary(
                    x[sel, :p],
                    yb[sel],
                    cw[i, sel],
                    method,
                )[0]
        out[done : done + b] = imp
        done += b
    return out


def _logit_chunk(
    x: np.ndarray, cw: np.ndarray, w: np.ndarray, method: str, exact: bool, seed: int | None
) -> np.ndarray:
    """Logistic Shapley/Kruskal of McFadden's R² in a chunk of resamples (weights ``cw``
    (b, n)), all fitted together on the distinct rows of the standardised drivers."""
    p = x.shape[1] - 1
    y = (x[:, p] == np.max(x[:, p])).astype(float)
    mu = np.average(x[:, :p], axis=0, weights=w)
    sd = np.sqrt(np.average((x[:, :p] - mu) ** 2, axis=0, weights=w))
    uniq, inv = np.unique((x[:, :p] - mu) / sd, axis=0, return_inverse=True)
    ind = sparse.csr_matrix((np.ones(len(x)), (np.arange(len(x)), inv.ravel())))
    s1 = np.asarray((ind.T @ (cw * y).T).T)
    m = np.asarray((ind.T @ cw.T).T)
    design = np.hstack([np.ones((len(uniq), 1)), uniq])
    kruskal = method == "kruskal"
    if exact:
        r2, _ = exact_subset_r2(design, s1, m)
        return _lmg_from_r2(r2, p, kruskal=kruskal)
    return sampled_shapley(design, s1, m, BOOT_PERMUTATIONS, seed, kruskal=kruskal)[0]
