"""Segments against the rest of the sample, and change between survey waves.

:func:`segment_table` compares each segment with everyone else, suppressing small
bases; :func:`wave_estimates` gives one measure per wave and its change against the
previous wave. Welch's t for means (Kish's effective n in the degrees of freedom), a
z statistic for shares (unpooled Wald) and for the NPS (adjusted Wald, Rocks 2016).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from orient._validate import (
    check_choice,
    check_columns,
    check_confidence,
    check_dataframe,
    check_positive_int,
)
from orient.errors import OrientWarning
from orient.satisfaction._checks import _check_scale, _ordered_levels, _weights_of
from orient.satisfaction.indices import (
    _KIND_LABEL,
    KINDS,
    _estimate,
    _nps_adjusted,
    _nps_parts,
    _prepare,
)
from orient.stats import weighted_mean_se

__all__ = ["segment_table", "wave_estimates"]


def _se_of(kind: str, x, w, scale) -> tuple[float, float, float, float]:
    """(value, centre, standard error, n_eff) on the reporting scale (percent for shares and NPS).

    ``centre`` is what intervals and tests are built on: the value itself, except for NPS
    where it is the Rocks (2016) adjusted estimate.
    """
    if kind in ("mean", "index"):
        xx, ww, n, n_eff = _prepare(x, w)
        m, se, _ = weighted_mean_se(xx, ww)
        return m, m, se, n_eff
    if kind == "nps":
        p_pro, p_det, _, n, n_eff = _nps_parts(x, w)
        centre, var = _nps_adjusted(p_pro, p_det, n_eff)
        return 100 * (p_pro - p_det), 100 * centre, 100 * math.sqrt(var), n_eff
    est = _estimate(kind, x, w, scale, 0.95)
    p = est.value / 100
    return est.value, est.value, 100 * math.sqrt(p * (1 - p) / est.n_eff), est.n_eff


def _difference(
    kind: str, a: tuple, b: tuple, confidence: float
) -> tuple[float, float, float, float]:
    """Difference a - b with interval and two-sided p-value.

    Welch's t for means (Kish n_eff in the degrees of freedom); a z statistic for
    shares (unpooled Wald) and NPS (adjusted Wald, variances added, Rocks 2016).
    """
    (va, ca, sa, na), (vb, cb, sb, nb) = a, b
    se = math.sqrt(sa**2 + sb**2)
    diff, centre = va - vb, ca - cb
    if not np.isfinite(se) or se == 0:
        return diff, float("nan"), float("nan"), float("nan")
    if kind in ("mean", "index"):
        df = se**4 / (sa**4 / (na - 1) + sb**4 / (nb - 1))
        q = stats.t.ppf(0.5 + confidence / 2, df)
        p = 2 * stats.t.sf(abs(centre) / se, df)
    else:
        q = stats.norm.ppf(0.5 + confidence / 2)
        p = 2 * stats.norm.sf(abs(centre) / se)
    return diff, centre - q * se, centre + q * se, float(p)


def _measure_label(kind: str, column: str) -> str:
    return f"{_KIND_LABEL[kind]}: {column}"


def _group_args(data, group, column, kind, confidence, min_base, scale, weights):
    """The checks segment_table and wave_estimates share; returns the checked values."""
    data = check_dataframe(data)
    check_columns(data, [group, column])
    check_choice(kind, KINDS, "kind")
    confidence = check_confidence(confidence)
    min_base = check_positive_int(min_base, "min_base")
    if kind in ("top2", "bottom2"):
        scale = _check_scale(scale)
    return data, confidence, min_base, scale, _weights_of(data, weights)


def segment_table(
    data: pd.DataFrame,
    segment: str,
    column: str,
    *,
    kind: str = "mean",
    scale: tuple[float, float] | None = None,
    weights: Any = None,
    min_base: int = 30,
    confidence: float = 0.95,
    measure: str | None = None,
) -> pd.DataFrame:
    """One measure by segment, each segment against the rest of the sample.

    Segments whose base is under ``min_base`` are suppressed: their numbers are NaN and
    ``shown`` says ``"n < 30"`` (never a number). The test against the rest is Welch's
    t-test for means and a z-test for shares and NPS (adjusted-Wald variance), using
    Kish's effective n when weighted.

    Parameters
    ----------
    data : DataFrame
    segment : str
        The segment column; rows with a missing segment count in no segment (nor in
        any "rest").
    column : str
        The rating (0-10 for ``kind="nps"``; 0-100 scores for ``kind="index"``).
    kind : {"mean", "top2", "bottom2", "nps", "index"}, default "mean"
    scale : (min, max), optional
        Needed for ``top2``/``bottom2``.
    weights : str or array-like, optional
        A column of ``data`` or one weight per row.
    min_base : int, default 30
        Smallest base reported (``company.min_base``).
    confidence : float, default 0.95
    measure : str, optional
        Label of the measure (default: kind and column).

    Returns
    -------
    DataFrame
        One row per segment, columns: ``measure``, ``segment``, ``n`` (base: valid
        answers), ``n_eff``, ``estimate``, ``ci_low``, ``ci_high``, ``rest_estimate``
        (everyone else), ``difference`` (segment minus rest), ``diff_ci_low``,
        ``diff_ci_high``, ``p_value``, ``significant`` (p < 1 - confidence),
        ``suppressed`` (base under ``min_base``), ``shown`` (the estimate as text, or
        ``"n < {min_base}"``).
    """
    data, confidence, min_base, scale, w = _group_args(
        data, segment, column, kind, confidence, min_base, scale, weights
    )
    label = measure or _measure_label(kind, column)
    seg = data[segment]
    levels = _ordered_levels(seg)
    if not levels:
        raise ValueError(f"Segment column {segment!r} has no values: every row is missing.")
    valid = data[column].notna() & seg.notna()
    rows = []
    for g in levels:
        ins = (seg == g).to_numpy() & valid.to_numpy()
        rest = (seg != g).to_numpy() & valid.to_numpy()
        n = int(ins.sum())
        row = {
            "measure": label,
            "segment": g,
            "n": n,
            "n_eff": float("nan"),
            "estimate": float("nan"),
            "ci_low": float("nan"),
            "ci_high": float("nan"),
            "rest_estimate": float("nan"),
            "difference": float("nan"),
            "diff_ci_low": float("nan"),
            "diff_ci_high": float("nan"),
            "p_value": float("nan"),
            "significant": False,
            "suppressed": n < min_base,
            "shown": f"n < {min_base}",
        }
        if n >= min_base:
            wi = None if w is None else w[ins]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", OrientWarning)
                est = _estimate(kind, data.loc[ins, column], wi, scale, confidence)
            row.update(
                n_eff=est.n_eff,
                estimate=est.value,
                ci_low=est.ci_low,
                ci_high=est.ci_high,
                shown=_fmt_value(est.value, kind),
            )
            if rest.sum() >= 2:
                a = _se_of(kind, data.loc[ins, column], wi, scale)
                b = _se_of(kind, data.loc[rest, column], None if w is None else w[rest], scale)
                diff, lo, hi, p = _difference(kind, a, b, confidence)
                row.update(
                    rest_estimate=b[0],
                    difference=diff,
                    diff_ci_low=lo,
                    diff_ci_high=hi,
                    p_value=p,
                    significant=bool(np.isfinite(p) and p < 1 - confidence),
                )
        rows.append(row)
    lone = [str(r["segment"]) for r in rows if not r["suppressed"] and r["n"] < 2]
    if lone:
        warnings.warn(
            f"segment_table: segment(s) {', '.join(lone)} of {segment!r} have a single answer "
            f"to {column!r}: shown without an interval or test (min_base={min_base}).",
            OrientWarning,
            stacklevel=2,
        )
    small = [str(r["segment"]) for r in rows if r["suppressed"]]
    if small:
        warnings.warn(
            f"segment_table: {len(small)} segment(s) of {segment!r} have fewer than "
            f"{min_base} answers to {column!r} and are shown as 'n < {min_base}': "
            + ", ".join(small),
            OrientWarning,
            stacklevel=2,
        )
    return pd.DataFrame(rows)


def _fmt_value(v: float, kind: str) -> str:
    if kind == "mean":
        return f"{v:.2f}"
    if kind == "nps":
        return f"{v:+.0f}"
    return f"{v:.1f}" if kind == "index" else f"{v:.0f}%"


def wave_estimates(
    data: pd.DataFrame,
    wave: str,
    column: str,
    *,
    kind: str = "mean",
    scale: tuple[float, float] | None = None,
    weights: Any = None,
    confidence: float = 0.95,
    min_base: int = 30,
    measure: str | None = None,
) -> pd.DataFrame:
    """One measure per survey wave and its change against the previous wave (numbers only).

    :func:`orient.satisfaction.wave_change` is this table with the plain-language
    ``answer`` column added (see :mod:`orient.satisfaction.narrative`).

    Parameters
    ----------
    data : DataFrame
    wave : str
        The wave column; waves are taken in sorted order (or category order).
    column, kind, scale, weights, confidence, min_base, measure
        As in :func:`segment_table`. A wave under ``min_base`` is suppressed and not
        compared.

    Returns
    -------
    DataFrame
        One row per wave, columns: ``measure``, ``wave``, ``n``, ``n_eff``,
        ``estimate``, ``ci_low``, ``ci_high``, ``change`` (against the previous wave;
        NaN for the first and wherever either wave is suppressed), ``change_ci_low``,
        ``change_ci_high``, ``p_value``, ``significant``, ``suppressed``.

    Raises
    ------
    ValueError
        If the wave column holds fewer than two waves.
    """
    data, confidence, min_base, scale, w = _group_args(
        data, wave, column, kind, confidence, min_base, scale, weights
    )
    levels = _ordered_levels(data[wave])
    if len(levels) < 2:
        raise ValueError(
            f"Wave column {wave!r} holds {len(levels)} wave(s) "
            f"({', '.join(map(str, levels)) or 'none'}): change over time needs at least two."
        )
    label = measure or _measure_label(kind, column)
    valid = data[column].notna().to_numpy()
    rows, prev = [], None
    nan = float("nan")
    for g in levels:
        ins = (data[wave] == g).to_numpy() & valid
        n = int(ins.sum())
        row = {
            "measure": label,
            "wave": g,
            "n": n,
            "n_eff": nan,
            "estimate": nan,
            "ci_low": nan,
            "ci_high": nan,
            "change": nan,
            "change_ci_low": nan,
            "change_ci_high": nan,
            "p_value": nan,
            "significant": False,
            "suppressed": n < min_base,
        }
        cur = None
        if n >= min_base:
            wi = None if w is None else w[ins]
            est = _estimate(kind, data.loc[ins, column], wi, scale, confidence)
            cur = _se_of(kind, data.loc[ins, column], wi, scale)
            row.update(n_eff=est.n_eff, estimate=est.value, ci_low=est.ci_low, ci_high=est.ci_high)
        if cur is not None and prev is not None:
            diff, lo, hi, p = _difference(kind, cur, prev, confidence)
            sig = bool(np.isfinite(p) and p < 1 - confidence)
            row.update(change=diff, change_ci_low=lo, change_ci_high=hi, p_value=p, significant=sig)
        rows.append(row)
        prev = cur
    return pd.DataFrame(rows)
