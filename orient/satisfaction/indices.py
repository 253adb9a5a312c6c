"""Single estimates of stage II, each with its confidence interval and base.

:func:`mean_score`, :func:`top2box`, :func:`bottom2box`, :func:`nps` and
:func:`satisfaction_index` each return an :class:`Estimate` whose ``n_eff`` is Kish's
effective sample size when weights are given; :func:`nps_composition` splits the NPS
into detractors, passives and promoters; :func:`index_scores` is the per-respondent
0-100 index.

Weighted intervals use Kish's effective sample size ``n_eff = (sum w)^2 / sum w^2``:
the weighted estimate's standard error is the unweighted formula with ``n_eff`` in
place of ``n`` (the convention of Displayr and Qualtrics). Weights are sampling weights:
replicating rows by integer weights gives the same point estimates, while the interval
honestly reflects the ``n`` respondents actually interviewed.
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from orient._validate import check_columns, check_confidence, check_dataframe, check_weights
from orient.errors import OrientWarning
from orient.satisfaction._checks import (
    _check_items,
    _check_scale,
    _ordered_levels,
    _scales_for,
    _weights_of,
)
from orient.stats import kish_n_eff, weighted_mean_se, wilson_interval

__all__ = [
    "KINDS",
    "Estimate",
    "bottom2box",
    "index_scores",
    "mean_score",
    "nps",
    "nps_composition",
    "satisfaction_index",
    "top2box",
]

KINDS = ("mean", "top2", "bottom2", "nps", "index")
_KIND_LABEL = {
    "mean": "mean score",
    "top2": "top-2-box %",
    "bottom2": "bottom-2-box %",
    "nps": "NPS",
    "index": "satisfaction index (0-100)",
}


# --- single estimates -----------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """One estimate with its confidence interval and base.

    Attributes
    ----------
    value : float
        The estimate (mean on the rating scale; shares and NPS in percent).
    ci_low, ci_high : float
        The confidence interval (NaN when it cannot be computed, e.g. one respondent).
    n : int
        Respondents with a valid answer (the base).
    n_eff : float
        Kish's effective sample size (equals ``n`` when unweighted).
    """

    value: float
    ci_low: float
    ci_high: float
    n: int
    n_eff: float

    def _repr_html_(self) -> str:
        def fmt(x: float) -> str:
            return "n/a" if x is None or not np.isfinite(x) else f"{x:.4g}"

        base = f"n = {self.n}"
        if not math.isclose(self.n_eff, self.n):
            base += f", effective n = {self.n_eff:.1f}"
        return (
            "<span class='orient-estimate'>"
            f"<b>{html.escape(fmt(self.value))}</b> "
            f"(CI {html.escape(fmt(self.ci_low))} to {html.escape(fmt(self.ci_high))}; "
            f"{html.escape(base)})</span>"
        )


def _prepare(
    scores: Any, weights: Any, name: str = "scores"
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Valid answers and their weights; missing answers are left out (and show in ``n``)."""
    if isinstance(scores, pd.DataFrame):
        raise TypeError(f"`{name}` must be one column (a Series or 1-d array); got a DataFrame.")
    s = pd.Series(scores) if not isinstance(scores, pd.Series) else scores
    if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
        try:
            s = pd.to_numeric(s, errors="raise")
        except (TypeError, ValueError):
            raise TypeError(f"`{name}` must hold numbers; it has dtype {s.dtype}.") from None
    x = s.to_numpy(dtype=float, na_value=np.nan)
    if weights is None:
        w = np.ones(len(x))
    else:
        w = check_weights(weights, len(x), "weights")
    ok = np.isfinite(x)
    if not ok.any():
        label = f" {s.name!r}" if s.name is not None else ""
        raise ValueError(f"`{name}`{label} has no valid answers: all {len(x)} values are missing.")
    x, w = x[ok], w[ok]
    n = int(len(x))
    return x, w, n, kish_n_eff(w)


def _few_warning(n: int, what: str) -> None:
    warnings.warn(
        f"{what}: only {n} respondent{'s' if n != 1 else ''}; no interval can be computed.",
        OrientWarning,
        stacklevel=3,
    )


def mean_score(scores: Any, weights: Any = None, confidence: float = 0.95) -> Estimate:
    """Mean rating with a t interval (Kish effective n when weighted).

    Parameters
    ----------
    scores : Series or array-like
        Ratings; missing values are left out and the base ``n`` counts the rest.
    weights : array-like, optional
        One positive weight per element of ``scores``.
    confidence : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    Estimate
        ``value`` the (weighted) mean; ``ci_low``/``ci_high`` mean -/+ t(n_eff - 1) x SE.

    Examples
    --------
    >>> mean_score([1, 2, 3, 4, 5]).value
    3.0
    """
    confidence = check_confidence(confidence)
    x, w, n, n_eff = _prepare(scores, weights)
    m, se, _ = weighted_mean_se(x, w)
    if not np.isfinite(se):
        _few_warning(n, "mean_score")
        return Estimate(m, float("nan"), float("nan"), n, n_eff)
    t = stats.t.ppf(0.5 + confidence / 2, n_eff - 1)
    return Estimate(m, m - t * se, m + t * se, n, n_eff)


def _box_share(scores, scale, weights, confidence, top: bool) -> Estimate:
    confidence = check_confidence(confidence)
    lo, hi = _check_scale(scale)
    x, w, n, n_eff = _prepare(scores, weights)
    if (x < lo).any() or (x > hi).any():
        bad = x[(x < lo) | (x > hi)][0]
        raise ValueError(f"`scores` must lie on the scale {lo:g}-{hi:g}; found {bad:g}.")
    hit = x >= hi - 1 if top else x <= lo + 1
    p = float(np.sum(w * hit) / w.sum())
    ci_low, ci_high = wilson_interval(p, n_eff, confidence)
    return Estimate(100 * p, 100 * ci_low, 100 * ci_high, n, n_eff)


def top2box(
    scores: Any, scale: tuple[float, float], weights: Any = None, confidence: float = 0.95
) -> Estimate:
    """Share (percent) answering in the top two scale points, with a Wilson interval.

    Parameters
    ----------
    scores : Series or array-like
        Ratings on ``scale``; missing values are left out.
    scale : (min, max)
        The ends of the rating scale (e.g. ``(1, 5)``): top two boxes are ``max - 1``
        and ``max``.
    weights : array-like, optional
        Positive weights; the Wilson interval then uses Kish's effective n.
    confidence : float, default 0.95

    Returns
    -------
    Estimate
        Percentages 0-100.

    Examples
    --------
    >>> top2box([1, 4, 5, 5], (1, 5)).value
    75.0
    """
    return _box_share(scores, scale, weights, confidence, top=True)


def bottom2box(
    scores: Any, scale: tuple[float, float], weights: Any = None, confidence: float = 0.95
) -> Estimate:
    """Share (percent) answering in the bottom two scale points, with a Wilson interval.

    Same arguments and result as :func:`top2box`; bottom two boxes are ``min`` and
    ``min + 1``.

    Examples
    --------
    >>> bottom2box([1, 2, 5, 5], (1, 5)).value
    50.0
    """
    return _box_share(scores, scale, weights, confidence, top=False)


def _nps_parts(scores: Any, weights: Any) -> tuple[float, float, float, int, float]:
    x, w, n, n_eff = _prepare(scores, weights)
    bad = (x < 0) | (x > 10) | (x != np.round(x))
    if bad.any():
        raise ValueError(f"`scores` for NPS must be whole numbers 0-10; found {x[bad][0]:g}.")
    p_pro = float(np.sum(w * (x >= 9)) / w.sum())
    p_det = float(np.sum(w * (x <= 6)) / w.sum())
    return p_pro, p_det, 1 - p_pro - p_det, n, n_eff


def _nps_adjusted(p_pro: float, p_det: float, n_eff: float) -> tuple[float, float]:
    """Rocks (2016) adjusted Wald: n + 3, promoters and detractors each + 3/4."""
    n_adj = n_eff + 3
    pro = (p_pro * n_eff + 0.75) / n_adj
    det = (p_det * n_eff + 0.75) / n_adj
    centre = pro - det
    var = (pro + det - centre**2) / n_adj
    return centre, var


def nps(scores: Any, weights: Any = None, confidence: float = 0.95) -> Estimate:
    """Net Promoter Score (-100..100) with the adjusted-Wald interval of Rocks (2016).

    Promoters answer 9-10, detractors 0-6. The interval adds 3 to the sample size and
    3/4 to the promoters and to the detractors, then uses the variance of the
    difference of two multinomial proportions; it is clipped to -100..100. Weighted:
    the shares are weighted and Kish's effective n replaces n.

    Parameters
    ----------
    scores : Series or array-like
        Likelihood to recommend, whole numbers 0-10; missing values are left out.
    weights : array-like, optional
        One positive weight per element of ``scores``.
    confidence : float, default 0.95

    Returns
    -------
    Estimate
        ``value`` is the NPS (percent promoters minus percent detractors).

    References
    ----------
    Rocks, B. (2016). Interval estimation for the "net promoter score".
    The American Statistician, 70(4), 365-372.

    Examples
    --------
    >>> nps([10, 9, 8, 3]).value
    25.0
    """
    confidence = check_confidence(confidence)
    p_pro, p_det, _, n, n_eff = _nps_parts(scores, weights)
    centre, var = _nps_adjusted(p_pro, p_det, n_eff)
    z = stats.norm.ppf(0.5 + confidence / 2)
    half = z * math.sqrt(var)
    return Estimate(
        100 * (p_pro - p_det),
        100 * max(-1.0, centre - half),
        100 * min(1.0, centre + half),
        n,
        n_eff,
    )


def nps_composition(
    data: pd.DataFrame, column: str = "recommend", by: str | None = None, weights: Any = None
) -> pd.DataFrame:
    """Detractors, passives and promoters (percent) overall or by a grouping column.

    Parameters
    ----------
    data : DataFrame
    column : str, default "recommend"
        Likelihood to recommend, 0-10.
    by : str, optional
        A grouping column (segment, wave); rows with a missing group are left out.
    weights : str or array-like, optional
        A column of ``data`` or one weight per row.

    Returns
    -------
    DataFrame
        One row per group (``"all"`` when ``by`` is None), columns: ``group``,
        ``detractors``, ``passives``, ``promoters`` (percent, summing to 100),
        ``nps`` (promoters minus detractors), ``n`` (valid answers), ``n_eff``.
    """
    data = check_dataframe(data)
    check_columns(data, [column] + ([by] if by else []))
    w = _weights_of(data, weights)
    groups = (
        [("all", np.ones(len(data), bool))]
        if by is None
        else [(g, (data[by] == g).to_numpy()) for g in _ordered_levels(data[by])]
    )
    rows = []
    for g, mask in groups:
        p_pro, p_det, p_pas, n, n_eff = _nps_parts(
            data.loc[mask, column], None if w is None else w[mask]
        )
        rows.append(
            {
                "group": g,
                "detractors": 100 * p_det,
                "passives": 100 * p_pas,
                "promoters": 100 * p_pro,
                "nps": 100 * (p_pro - p_det),
                "n": n,
                "n_eff": n_eff,
            }
        )
    return pd.DataFrame(rows)


def index_scores(
    items: pd.DataFrame, scales: Any = None, item_weights: Mapping[str, float] | None = None
) -> pd.Series:
    """Per-respondent satisfaction index 0-100.

    Each item is rescaled ``(x - min) / (max - min) * 100`` and the items are averaged
    with ``item_weights`` (equal by default; the ACSI uses the PLS outer weights). A
    respondent who skipped some items gets the weighted mean of the items answered;
    one who skipped all gets NaN.

    Parameters
    ----------
    items : DataFrame
        One column per satisfaction item.
    scales : (min, max) or mapping item -> (min, max), optional
        Scale ends; by default each item's observed range.
    item_weights : mapping item -> weight, optional
        Non-negative weights, normalised to sum to 1.

    Returns
    -------
    Series
        The index, 0-100, aligned with ``items``.
    """
    items = _check_items(items)
    sc = _scales_for(items, scales)
    if item_weights is None:
        iw = np.ones(items.shape[1])
    else:
        missing = [c for c in items.columns if c not in item_weights]
        if missing:
            raise ValueError(f"`item_weights` has no weight for item {missing[0]!r}.")
        iw = np.array([float(item_weights[c]) for c in items.columns])
        if (iw < 0).any() or not np.isfinite(iw).all() or iw.sum() <= 0:
            raise ValueError(f"`item_weights` must be finite, >= 0 and not all 0; got {iw}.")
    r = np.column_stack(
        [
            (items[c].to_numpy(dtype=float, na_value=np.nan) - sc[c][0])
            / (sc[c][1] - sc[c][0])
            * 100
            for c in items.columns
        ]
    )
    present = np.isfinite(r)
    num = np.where(present, r, 0.0) @ iw
    den = present.astype(float) @ iw
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, num / den, np.nan)
    return pd.Series(out, index=items.index, name="satisfaction_index")


def satisfaction_index(
    items: pd.DataFrame,
    scales: Any = None,
    weights: Any = None,
    item_weights: Mapping[str, float] | None = None,
    confidence: float = 0.95,
) -> Estimate:
    """Satisfaction index 0-100 (mean of :func:`index_scores`) with a t interval.

    Parameters
    ----------
    items, scales, item_weights
        As in :func:`index_scores`.
    weights : array-like, optional
        Respondent weights (Kish effective n for the interval).
    confidence : float, default 0.95

    Returns
    -------
    Estimate
        ``n`` counts respondents who answered at least one item.
    """
    scores = index_scores(items, scales, item_weights)
    return mean_score(scores, weights, confidence)


def _estimate(kind: str, x: Any, w: Any, scale: Any, confidence: float) -> Estimate:
    if kind in ("mean", "index"):
        return mean_score(x, w, confidence)
    if kind == "top2":
        return top2box(x, scale, w, confidence)
    if kind == "bottom2":
        return bottom2box(x, scale, w, confidence)
    return nps(x, w, confidence)


def nps_scale_problem(values: Any, scale: tuple[float, float], *, min_n: int = 30) -> str | None:
    """Why a likelihood-to-recommend item cannot give a Net Promoter Score, or None.

    NPS is defined on the 0-10 scale (promoters 9-10, detractors 0-6). Returns
    ``"scale"`` when the item's declared scale is not 0-10, ``"answers"`` when it is
    declared 0-10 but at least ``min_n`` answers all lie within 1-7 (a 1-5 or 1-7 item
    mapped to ``recommend``: on it everyone would count as a detractor).

    >>> nps_scale_problem([1, 2, 5, 4] * 10, (0, 10))
    'answers'
    >>> nps_scale_problem([0, 10, 9, 6] * 10, (0, 10)) is None
    True
    """
    if tuple(float(x) for x in scale) != (0.0, 10.0):
        return "scale"
    v = pd.Series(values, dtype="float64").dropna()
    if len(v) >= min_n and v.min() >= 1 and v.max() <= 7:
        return "answers"
    return None
