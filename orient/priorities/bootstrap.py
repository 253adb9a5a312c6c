"""Vectorised bootstrap of driver importance (percentile intervals are taken by the caller).

Rows are resampled with replacement and keep their survey weights; a chunk of
resamples becomes one batch of weight vectors (resample counts x survey weights),
so the weighted correlation matrices and the 2**p subset R² values of all resamples
in the chunk are computed together. Randomness only through ``seed``.
"""

from __future__ import annotations

import numpy as np

from orient.priorities.binary import _importance_binary
from orient.priorities.linear import _corr_batch, _importance_linear

_BOOT_CHUNK = 100  # resamples drawn and processed together (fixed: results depend on seed only)


def _bootstrap(
    x: np.ndarray,
    obs: np.ndarray | None,
    w: np.ndarray,
    method: str,
    outcome: str,
    n_boot: int,
    seed: int | None,
    p: int,
) -> np.ndarray:
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
