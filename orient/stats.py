"""One home for the small statistics every stage uses.

Each quantity has one formula, here, and every stage calls it:

* :func:`kish_n_eff` -- Kish's effective sample size ``(sum w)^2 / sum w^2``.
* :func:`weighted_mean_se` -- the weighted mean and its standard error,
  ``SE^2 = s_w^2 / n_eff`` with ``s_w^2 = sum w (x - m)^2 / sum w x n_eff / (n_eff - 1)``
  (the weighted variance with Bessel's correction on the effective sample size,
  which reduces to the ordinary ``s^2 / n`` when all weights are equal).
* :func:`wilson_interval` -- Wilson's score interval for a proportion, vectorised,
  with a fractional (effective) base allowed.
* :func:`to_100` -- a rating on ``lo..hi`` rescaled to 0-100.
* :func:`resample_counts` -- how often each row is drawn in bootstrap resamples, one
  block of rows at a time (memory independent of the rows).
* :func:`resample_moments` -- the (weighted) means and covariance matrices of columns
  in bootstrap resamples, from those counts: what a bootstrap of anything that
  depends on the data only through them (least squares, correlations, PLS on
  standardised items) needs, without materialising a resample;
  :func:`joint_resample_moments` the same for several sets of columns, each on its own
  rows, in one resample of respondents.

Nothing here knows of companies, languages or files: arrays in, numbers out.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["kish_n_eff", "to_100", "weighted_mean_se", "wilson_interval"]


def kish_n_eff(weights: Any) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``.

    Examples
    --------
    >>> kish_n_eff([1, 1, 1, 1])
    4.0
    >>> round(kish_n_eff([1, 3]), 3)
    1.6
    """
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum())


def weighted_mean_se(x: Any, w: Any = None) -> tuple[float, float, float]:
    """Weighted mean, its standard error and Kish's effective sample size.

    Parameters
    ----------
    x : array-like
        Finite values.
    w : array-like, optional
        Positive weights, one per value (equal weights when omitted).

    Returns
    -------
    (mean, se, n_eff)
        ``se`` is NaN when ``n_eff <= 1`` (no spread can be estimated).

    Examples
    --------
    >>> m, se, n = weighted_mean_se([1.0, 2.0, 3.0, 4.0])
    >>> m, round(se, 6), n          # se = sd / sqrt(n) = 1.290994 / 2
    (2.5, 0.645497, 4.0)
    """
    x = np.asarray(x, dtype=float)
    w = np.ones(len(x)) if w is None else np.asarray(w, dtype=float)
    total = w.sum()
    m = float(np.sum(w * x) / total)
    n_eff = float(total**2 / np.sum(w**2))
    if n_eff <= 1 + 1e-12:
        return m, math.nan, n_eff
    var = float(np.sum(w * (x - m) ** 2) / total) * n_eff / (n_eff - 1)
    return m, math.sqrt(var / n_eff), n_eff


def wilson_interval(p: Any, n: Any, confidence: float = 0.95) -> tuple[Any, Any]:
    """Wilson's score interval for a proportion ``p`` observed on a base ``n``.

    ``p`` and ``n`` may be scalars or arrays (``n`` may be an effective, fractional
    base); where ``n <= 0`` both ends are NaN. Scalars in give floats out.

    Examples
    --------
    >>> lo, hi = wilson_interval(0.5, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.4038, 0.5962)
    """
    scalar = np.ndim(p) == 0 and np.ndim(n) == 0
    p = np.atleast_1d(np.asarray(p, dtype=float))
    n = np.atleast_1d(np.asarray(n, dtype=float))
    p, n = np.broadcast_arrays(p, n)
    from scipy.stats import norm  # on first use: reading a company needs no scipy

    z = norm.ppf(0.5 + confidence / 2)
    lo = np.full(p.shape, np.nan)
    hi = np.full(p.shape, np.nan)
    ok = n > 0
    if ok.any():
        pk, nk = p[ok], n[ok]
        denom = 1 + z**2 / nk
        centre = (pk + z**2 / (2 * nk)) / denom
        half = z / denom * np.sqrt(pk * (1 - pk) / nk + z**2 / (4 * nk**2))
        lo[ok] = np.maximum(0.0, centre - half)
        hi[ok] = np.minimum(1.0, centre + half)
    if scalar:
        return float(lo[0]), float(hi[0])
    return lo, hi


def to_100(values: Any, lo: float, hi: float) -> Any:
    """Rescale ratings on ``lo..hi`` to 0-100 (``lo`` -> 0, ``hi`` -> 100).

    Examples
    --------
    >>> to_100(3.0, 1, 5)
    50.0
    """
    return 100.0 * (values - lo) / (hi - lo)


#: rows per block of :func:`resample_counts` (fixed: the draws depend on it once there
#: are more rows than this)
RESAMPLE_BLOCK = 2**15
#: resamples whose counts are drawn together in :func:`resample_moments`
RESAMPLE_CHUNK = 100


def resample_counts(rng: np.random.Generator, n: int, b: int, block: int | None = None):
    """Yield ``(start, stop, counts)`` for ``b`` bootstrap resamples of ``n`` rows, one
    block of rows at a time: ``counts[i, r]`` is how often row ``start + r`` is drawn in
    resample ``i`` (float, shape (b, stop - start)).

    Each resample draws ``n`` rows uniformly with replacement, i.e. its counts are
    multinomial(n, 1/n each). They are drawn blockwise so that memory is ``b x block``
    cells whatever ``n``: first how many of the ``n`` draws fall in each block of rows
    (multinomial, with probabilities block size / n), then, block by block, that many
    uniform draws among the block's rows. With one block (``n <= block``) no block
    totals are drawn and the draws are those of ``rng.integers(0, n, size=(b, n))``
    (the same as ``b`` calls of ``rng.integers(0, n, n)``). ``block``: by default
    :data:`RESAMPLE_BLOCK`.
    """
    block = RESAMPLE_BLOCK if block is None else block
    starts = np.arange(0, n, block)
    sizes = np.minimum(block, n - starts)
    if len(starts) == 1:
        totals = np.full((b, 1), n, dtype=np.int64)
    else:
        totals = rng.multinomial(n, sizes / n, size=b)
    for k, (start, size) in enumerate(zip(starts.tolist(), sizes.tolist(), strict=True)):
        t = totals[:, k]
        draws = rng.integers(0, size, size=int(t.sum()))
        if len(starts) == 1:
            draws.reshape(b, size)[1:] += (np.arange(1, b, dtype=np.int64) * size)[:, None]
        else:
            ends = np.cumsum(t).tolist()
            for i in range(1, b):  # resample i's draws: offset to its row of the counts
                draws[ends[i - 1] : ends[i]] += i * size
        counts = np.bincount(draws, minlength=b * size)
        del draws  # (memory: at most two arrays of b x block at a time)
        counts = counts.astype(float).reshape(b, size)
        yield start, start + size, counts
        del counts


def upper_products(z: Any) -> np.ndarray:
    """Products of every pair of columns of ``z`` (n, q), upper triangle with the
    diagonal in the order of ``np.triu_indices(q)``, as rows: shape (q (q + 1) / 2, n).
    Built from contiguous rows of ``z.T`` (much faster than fancy-indexing columns)."""
    zt = np.ascontiguousarray(np.asarray(z, dtype=float).T)
    q, n = zt.shape
    out = np.empty((q * (q + 1) // 2, n))
    at = 0
    for i in range(q):
        np.multiply(zt[i:], zt[i], out=out[at : at + q - i])
        at += q - i
    return out


def resample_moments(
    z: Any,
    rng: np.random.Generator,
    n_boot: int,
    weights: Any = None,
    *,
    chunk: int = RESAMPLE_CHUNK,
    block: int | None = None,
):
    """Yield ``(means, cov)`` of the columns of ``z`` (n, q) in chunks of bootstrap
    resamples of its rows: ``means`` (b, q) and ``cov`` (b, q, q), weighted by each
    row's resample count times its survey weight (``weights``; none: 1), with the
    divisor the total of those weights (the population covariance of the resampled
    rows). :func:`joint_resample_moments` with one set of columns on all rows."""
    z = np.asarray(z, dtype=float)
    for parts in joint_resample_moments(
        len(z), [(None, z, weights)], rng, n_boot, chunk=chunk, block=block
    ):
        means, cov, _ = parts[0]
        yield means, cov


def joint_resample_moments(
    n: int,
    parts: list,
    rng: np.random.Generator,
    n_boot: int,
    *,
    chunk: int = RESAMPLE_CHUNK,
    block: int | None = None,
):
    """Bootstrap resamples of ``n`` rows (respondents), and in each the weighted means
    and covariances of several sets of columns, each on its own rows.

    ``parts``: ``(rows, z, weights)`` each, ``rows`` a boolean mask of the ``n`` rows
    (None: all), ``z`` (rows in the mask, q) and ``weights`` their survey weights (None:
    1). Yields, per chunk of ``b`` resamples, one ``(means (b, q), cov (b, q, q),
    drawn (b,))`` per part: ``drawn`` is how many of the resample's draws fell on the
    part's rows; each row weighs its resample count times its weight, the divisor is
    the total of those weights (NaN where nothing was drawn). So every part sees the
    same resample of respondents, restricted to its rows.

    The resamples are those of :func:`resample_counts` in chunks of ``chunk`` (one
    block: those of one ``rng.integers(0, n, n)`` per resample, in order). Parts on
    the same rows with the same weights share one product of the counts with the
    distinct columns of all of them (with a column of ones: the total weight and the
    sums come out of the same product). The sums are taken of the columns centred on
    their (weighted) means, so the covariances keep their precision; a resample's
    covariance equals that of its rows computed directly to rounding. Work is linear
    in ``n`` and memory does not grow with it.
    """
    groups = _moment_groups(n, parts)
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        sums = [np.zeros((b, g["prod"])) for g in groups]
        drawn = [np.zeros(b) for _ in groups]
        for start, stop, counts in resample_counts(rng, n, b, block):
            for g, acc, got in zip(groups, sums, drawn, strict=True):
                if g["mask"] is None:
                    got += counts.sum(axis=1)
                else:
                    got += counts @ g["mask"][start:stop]
                c = counts * g["w"][start:stop]
                acc += c @ upper_products(g["z"][start:stop]).T
                del c
            del counts
        out: list = [None] * len(parts)
        for g, acc, got in zip(groups, sums, drawn, strict=True):
            q1 = g["z"].shape[1]
            iu, ju = np.triu_indices(q1)
            full = np.empty((b, q1, q1))
            full[:, iu, ju] = acc
            full[:, ju, iu] = acc
            with np.errstate(invalid="ignore", divide="ignore"):
                m = full / full[:, :1, :1]  # the first column: ones (total weight)
            for pi, ix in g["members"]:
                m1 = m[:, 0, 1:][:, ix]
                m2 = m[:, 1:, 1:][:, ix][:, :, ix]
                cov = m2 - m1[:, :, None] * m1[:, None, :]
                out[pi] = (m1 + g["centre"][ix], cov, got.copy())
        yield out
        done += b


def _moment_groups(n: int, parts: list) -> list[dict]:
    """:func:`joint_resample_moments`'s parts grouped by rows and weights: each group
    with its distinct columns on all ``n`` rows (a column of ones first, zero outside
    its rows, centred on their weighted means), its weights (zero outside its rows),
    its mask (float, None: all rows) and which of its columns each part uses."""
    groups: list[dict] = []
    for pi, (rows, z, weights) in enumerate(parts):
        z = np.asarray(z, dtype=float)
        w = np.ones(len(z)) if weights is None else np.asarray(weights, dtype=float)
        mask = None if rows is None else np.asarray(rows, dtype=bool)
        if mask is not None and mask.all():
            mask = None
        g = next(
            (
                g
                for g in groups
                if (g["rows"] is None) == (mask is None)
                and (mask is None or np.array_equal(g["rows"], mask))
                and np.array_equal(g["w_rows"], w)
            ),
            None,
        )
        if g is None:
            g = {"rows": mask, "w_rows": w, "cols": [], "members": []}
            groups.append(g)
        ix = []
        for col in z.T:
            same = (j for j, c in enumerate(g["cols"]) if np.array_equal(c, col))
            j = next(same, None)
            if j is None:
                g["cols"].append(col)
                j = len(g["cols"]) - 1
            ix.append(j)
        g["members"].append((pi, ix))
    for g in groups:
        cols = np.column_stack(g.pop("cols")) if g["cols"] else np.empty((len(g["w_rows"]), 0))
        w = g.pop("w_rows")
        centre = np.average(cols, axis=0, weights=w) if len(cols) else np.zeros(cols.shape[1])
        mask = g.pop("rows")
        z = np.zeros((n, cols.shape[1] + 1))
        wz = np.zeros(n)
        if mask is None:
            z[:, 1:], wz[:] = cols - centre, w
        else:
            z[mask, 1:], wz[mask] = cols - centre, w
        z[:, 0] = 1.0
        g.update(
            z=z,
            w=wz,
            mask=None if mask is None else mask.astype(float),
            centre=centre,
            prod=(z.shape[1] * (z.shape[1] + 1)) // 2,
        )
    return groups
