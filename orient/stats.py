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
