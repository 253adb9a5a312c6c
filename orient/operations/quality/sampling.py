"""Acceptance sampling: the OC curve of a single sampling plan and the plan for given risks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from orient._validate import check_positive_int

__all__ = ["find_sampling_plan", "oc_curve"]


def _pa(p: np.ndarray, n: int, c: int, lot_size: int | None) -> np.ndarray:
    if lot_size is None:
        return stats.binom.cdf(c, n, p)
    defective = np.round(np.asarray(p) * lot_size).astype(int)
    return stats.hypergeom.cdf(c, lot_size, defective, n)


def oc_curve(
    n: int, c: int, *, p: Sequence[float] | None = None, lot_size: int | None = None
) -> pd.DataFrame:
    """Operating characteristic of a single sampling plan (sample ``n``, accept if <= ``c``).

    Parameters
    ----------
    n, c : int
        Sample size and acceptance number.
    p : sequence of float, optional
        Lot fractions defective to evaluate; default 0 to 0.2 by 0.005.
    lot_size : int, optional
        Finite lot size: hypergeometric probabilities (type A OC curve) and AOQ/ATI
        with rectifying inspection; default an infinite lot (binomial, type B).

    Returns
    -------
    DataFrame
        Columns ``p`` (fraction defective), ``pa`` (probability of accepting the
        lot), ``aoq`` (average outgoing quality with rectifying inspection: ``pa p``,
        times ``(N - n)/N`` for a finite lot) and ``ati`` (average total inspection
        per lot, NaN for an infinite lot).
    """
    n = check_positive_int(n, "n")
    c = check_positive_int(c, "c", allow_zero=True)
    if c >= n:
        raise ValueError(f"`c` must be below `n`; got c={c}, n={n}.")
    p = np.arange(0, 0.2001, 0.005) if p is None else np.asarray(p, dtype=float)
    if ((p < 0) | (p > 1)).any():
        raise ValueError("`p` must lie in [0, 1].")
    if lot_size is not None:
        lot_size = check_positive_int(lot_size, "lot_size")
        if lot_size < n:
            raise ValueError(f"`lot_size` must be >= n; got {lot_size} < {n}.")
    pa = _pa(p, n, c, lot_size)
    frac = 1.0 if lot_size is None else (lot_size - n) / lot_size
    ati = np.full(len(p), np.nan) if lot_size is None else n + (1 - pa) * (lot_size - n)
    return pd.DataFrame({"p": p, "pa": pa, "aoq": pa * p * frac, "ati": ati})


def find_sampling_plan(
    aql: float,
    ltpd: float,
    *,
    alpha: float = 0.05,
    beta: float = 0.10,
    lot_size: int | None = None,
    max_n: int = 5000,
) -> dict:
    """Smallest single sampling plan meeting producer's and consumer's risks.

    Finds the plan ``(n, c)`` with the smallest ``n`` such that
    ``Pa(AQL) >= 1 - alpha`` and ``Pa(LTPD) <= beta``.

    Returns
    -------
    dict
        ``n``, ``c``, ``pa_aql`` and ``pa_ltpd`` (achieved acceptance probabilities).
    """
    if not 0 < aql < ltpd < 1:
        raise ValueError(f"Need 0 < aql < ltpd < 1; got aql={aql!r}, ltpd={ltpd!r}.")
    for n in range(1, max_n + 1):
        # the largest c with Pa(LTPD) <= beta is best for the producer
        cs = np.arange(0, n)
        pa_l = (
            _pa(np.full(len(cs), ltpd), n, cs, lot_size)
            if lot_size is None
            else np.array([_pa(np.array([ltpd]), n, int(k), lot_size)[0] for k in cs])
        )
        ok = np.flatnonzero(pa_l <= beta)
        if not len(ok):
            continue
        c = int(ok.max())
        pa_a = float(_pa(np.array([aql]), n, c, lot_size)[0])
        if pa_a >= 1 - alpha:
            return {"n": n, "c": c, "pa_aql": pa_a, "pa_ltpd": float(pa_l[c])}
    raise ValueError(f"No plan with n <= {max_n} meets the risks; raise `max_n`.")
