"""Importance for a continuous outcome, from (weighted) correlation matrices.

The exact core of key-driver analysis: the R² of every subset model from the
correlation matrix alone (:func:`subset_r2`), the Shapley/LMG and Kruskal averages
over those subsets, Johnson's relative weights, standardised coefficients, and the
weighted (listwise or pairwise) correlation matrices of one or a batch of weight
vectors. Arrays in, arrays out; every function is vectorised over leading batch axes
(bootstrap resamples).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from orient.stats import upper_products

__all__ = ["subset_r2"]


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


def _moment_sums(
    x: np.ndarray, observed: np.ndarray | None, cw: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Weighted sums behind the correlation matrices of each row of weights ``cw`` (B, n).

    Sums over rows, so the sums of consecutive blocks of rows add up to those of all
    rows (the bootstrap accumulates them block by block); :func:`_corr_from_sums`
    turns them into correlations. ``x`` and ``observed`` as in :func:`_corr_batch`.
    """
    n, q = x.shape
    if observed is None:
        # products of the upper triangle only (half the work)
        return cw.sum(axis=1), cw @ x, cw @ upper_products(x).T
    obs = observed.astype(float)
    pair = (obs[:, :, None] * obs[:, None, :]).reshape(n, q * q)
    xi = (x[:, :, None] * obs[:, None, :]).reshape(n, q * q)  # x_i where j observed
    xx = (x[:, :, None] * x[:, None, :]).reshape(n, q * q)
    x2 = (x[:, :, None] ** 2 * obs[:, None, :]).reshape(n, q * q)
    return cw @ pair, cw @ xi, cw @ xx, cw @ x2


def _corr_from_sums(sums: tuple[np.ndarray, ...], q: int) -> np.ndarray:
    """Correlation matrices (B, q, q) from :func:`_moment_sums` (of all rows)."""
    if len(sums) == 3:  # listwise: total weight, first moments, upper-triangle products
        s0, s1, s2 = sums
        s0 = s0[:, None]
        m1 = s1 / s0
        iu, ju = np.triu_indices(q)
        upper = s2 / s0
        m2 = np.empty((len(s0), q, q))
        m2[:, iu, ju] = upper
        m2[:, ju, iu] = upper
        cov = m2 - m1[:, :, None] * m1[:, None, :]
        sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
        return cov / sd[:, :, None] / sd[:, None, :]
    pair, xi, xx, x2 = sums
    s0 = pair.reshape(-1, q, q)
    with np.errstate(invalid="ignore", divide="ignore"):
        mi = xi.reshape(-1, q, q) / s0  # mean of i over rows where i and j observed
        mj = np.swapaxes(mi, 1, 2)
        sij = xx.reshape(-1, q, q) / s0 - mi * mj
        vi = x2.reshape(-1, q, q) / s0 - mi**2
        vj = np.swapaxes(vi, 1, 2)
        corr = sij / np.sqrt(vi * vj)
    idx = np.arange(q)
    corr[:, idx, idx] = 1.0
    return corr


def _corr_batch(x: np.ndarray, observed: np.ndarray | None, cw: np.ndarray) -> np.ndarray:
    """Weighted correlation matrices for each row of weights ``cw`` (B, n).

    ``x`` (n, q) is centred and has no NaN (missing cells hold 0); ``observed`` is
    the (n, q) 0/1 mask, or None when every cell is observed (listwise). With a mask
    each pair of columns uses the rows where both are observed (pairwise deletion,
    means and variances from those rows, as R's ``cor(use = "pairwise")``).
    """
    q = x.shape[1]
    if observed is None and len(cw) == 1:  # one weight vector: a single X'WX
        w = cw[0]
        m1 = (w @ x) / w.sum()
        xm = x - m1
        cov = (xm * w[:, None]).T @ xm
        sd = np.sqrt(np.diag(cov))
        return (cov / sd[:, None] / sd[None, :])[None]
    return _corr_from_sums(_moment_sums(x, observed, cw), q)


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
