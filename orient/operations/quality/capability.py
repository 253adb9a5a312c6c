"""Process capability (Cp, Cpk, Cpm) and performance (Pp, Ppk, Ppm) indices with intervals."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["capability"]


def capability(
    values: Sequence[float],
    *,
    lsl: float | None = None,
    usl: float | None = None,
    sigma_within: float | None = None,
    center: float | None = None,
    target: float | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Process capability (Cp, Cpk, ...) and performance (Pp, Ppk, ...) indices.

    Parameters
    ----------
    values : sequence of float
        The individual measurements.
    lsl, usl : float, optional
        Specification limits (at least one).
    sigma_within : float, optional
        Short-term sigma, e.g. ``ControlChart.sigma`` of an xbar-R chart; by
        default the standard deviation of ``values``.
    center : float, optional
        Process centre; default the mean of ``values``.
    target : float, optional
        Target for Cpm; default the midpoint of the specification.
    confidence : float, default 0.95
        Two-sided confidence level: chi-square limits for Cp, Pp and Cpm
        (Chou, Owen and Borrego 1990; Boyles 1991) and Bissell's (1990) normal
        approximation for the one-sided indices and Cpk, Ppk.

    Returns
    -------
    DataFrame
        Indexed by ``index`` (``cp``, ``cpl``, ``cpu``, ``cpk``, ``cpm``, ``pp``,
        ``ppl``, ``ppu``, ``ppk``, ``ppm`` where defined), columns ``estimate``,
        ``ci_low``, ``ci_high``, ``n``, and for information ``expected_out_ppm``
        (normal-model parts per million outside the specification with the
        sigma of that row: within for C*, overall for P*) and
        ``observed_out_ppm``.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n < 2:
        raise ValueError(f"`values` needs at least 2 finite measurements; got {n}.")
    if lsl is None and usl is None:
        raise ValueError("Give at least one of `lsl` and `usl`.")
    if lsl is not None and usl is not None and not lsl < usl:
        raise ValueError(f"`lsl` must be below `usl`; got {lsl!r} and {usl!r}.")
    mu = float(np.mean(x)) if center is None else float(center)
    overall = float(np.std(x, ddof=1))
    within = overall if sigma_within is None else float(sigma_within)
    if target is None and lsl is not None and usl is not None:
        target = (lsl + usl) / 2
    alpha = 1 - confidence
    z2 = stats.norm.ppf(1 - alpha / 2)
    obs_out = (np.sum(x < lsl) if lsl is not None else 0) + (
        np.sum(x > usl) if usl is not None else 0
    )
    rows = []
    for prefix, s in (("c", within), ("p", overall)):
        exp_out = (
            (stats.norm.cdf((lsl - mu) / s) if lsl is not None else 0)
            + (stats.norm.sf((usl - mu) / s) if usl is not None else 0)
        ) * 1e6
        both = lsl is not None and usl is not None
        idx = {}
        if both:
            idx[f"{prefix}p"] = (usl - lsl) / (6 * s)
        if lsl is not None:
            idx[f"{prefix}pl"] = (mu - lsl) / (3 * s)
        if usl is not None:
            idx[f"{prefix}pu"] = (usl - mu) / (3 * s)
        idx[f"{prefix}pk"] = min(v for k, v in idx.items() if k.endswith(("pl", "pu")))
        if both and target is not None:
            dev = (mu - target) / s
            idx[f"{prefix}pm"] = idx[f"{prefix}p"] / math.sqrt(1 + dev**2)
        for k, v in idx.items():
            if k.endswith("p"):  # chi-square limits with n - 1 degrees of freedom
                lo = v * math.sqrt(stats.chi2.ppf(alpha / 2, n - 1) / (n - 1))
                hi = v * math.sqrt(stats.chi2.ppf(1 - alpha / 2, n - 1) / (n - 1))
            elif k.endswith("pm"):
                dev = (mu - target) / s
                df = n * (1 + dev**2) / (1 + 2 * dev**2)
                lo = v * math.sqrt(stats.chi2.ppf(alpha / 2, df) / df)
                hi = v * math.sqrt(stats.chi2.ppf(1 - alpha / 2, df) / df)
            else:  # Bissell (1990)
                se = math.sqrt(1 / (9 * n) + v**2 / (2 * (n - 1)))
                lo, hi = v - z2 * se, v + z2 * se
            rows.append(
                {
                    "index": k,
                    "estimate": v,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n": n,
                    "expected_out_ppm": exp_out,
                    "observed_out_ppm": obs_out / n * 1e6,
                }
            )
    return pd.DataFrame(rows).set_index("index")
