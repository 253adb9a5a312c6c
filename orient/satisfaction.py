"""Stage II: satisfaction measurement.

How satisfied are customers, by segment and over time, and what does satisfaction buy
in loyalty and profit? Every number here comes with its interval and its base, weighted
or not:

- single estimates (:func:`mean_score`, :func:`top2box`, :func:`bottom2box`,
  :func:`nps`, :func:`satisfaction_index`), each an :class:`Estimate` whose ``n_eff``
  is Kish's effective sample size when weights are given;
- reliability of multi-item scales (:func:`cronbach_alpha`, :func:`reliability`);
- segments against the rest of the sample, with small bases suppressed
  (:func:`segment_table`), and change between survey waves (:func:`wave_change`);
- the attribute -> satisfaction -> loyalty -> profit chain in business units with
  bootstrap intervals (:func:`chain_effects`), and the ECSI/ACSI-style PLS path model
  (:func:`pls_path_model`) with its importance-performance map (:func:`ipma`);
- :func:`analyse` and :func:`headline`, the one source of truth for the notebook and
  the report's executive summary.

Weighted intervals use Kish's effective sample size ``n_eff = (sum w)^2 / sum w^2``:
the weighted estimate's standard error is the unweighted formula with ``n_eff`` in
place of ``n`` (the convention of Displayr and Qualtrics). Weights are sampling weights:
replicating rows by integer weights gives the same point estimates, while the interval
honestly reflects the ``n`` respondents actually interviewed.
"""

from __future__ import annotations

import html
import math
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._json import number as _num
from ._memo import memoised as _memoised
from ._text import check_language, company_language, sentence, term
from ._validate import (
    check_choice,
    check_columns,
    check_confidence,
    check_dataframe,
    check_numeric_columns,
    check_positive_int,
    check_seed,
    check_weights,
)
from .errors import OrientWarning

__all__ = [
    "Estimate",
    "PLSResult",
    "SatisfactionResult",
    "analyse",
    "bottom2box",
    "chain_effects",
    "cronbach_alpha",
    "headline",
    "index_scores",
    "ipma",
    "kish_n_eff",
    "mean_score",
    "nps",
    "nps_composition",
    "pls_path_model",
    "reliability",
    "satisfaction_index",
    "segment_table",
    "top2box",
    "wave_change",
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


def kish_n_eff(weights: Any) -> float:
    """Kish's effective sample size ``(sum w)^2 / sum w^2``.

    Parameters
    ----------
    weights : array-like
        Positive, finite weights.

    Returns
    -------
    float
        The effective sample size (``len(weights)`` when all weights are equal).
    """
    w = check_weights(np.asarray(weights, dtype=float), len(np.asarray(weights)), "weights")
    return float(w.sum() ** 2 / (w**2).sum())


def _prepare(scores: Any, weights: Any, name: str = "scores") -> tuple[np.ndarray, np.ndarray, int, float]:
    """Valid answers and their weights; missing answers are left out (and show in ``n``)."""
    if isinstance(scores, pd.DataFrame):
        raise TypeError(f"`{name}` must be one column (a Series or 1-d array); got a DataFrame.")
    s = pd.Series(scores) if not isinstance(scores, pd.Series) else scores
    if not (pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s)):
        try:
            s = pd.to_numeric(s, errors="raise")
        except (TypeError, ValueError):
            raise TypeError(
                f"`{name}` must hold numbers; it has dtype {s.dtype}."
            ) from None
    x = s.to_numpy(dtype=float, na_value=np.nan)
    if weights is None:
        w = np.ones(len(x))
    else:
        w = check_weights(weights, len(x), "weights")
    ok = np.isfinite(x)
    if not ok.any():
        label = f" {s.name!r}" if s.name is not None else ""
        raise ValueError(
            f"`{name}`{label} has no valid answers: all {len(x)} values are missing."
        )
    x, w = x[ok], w[ok]
    n = int(len(x))
    n_eff = float(w.sum() ** 2 / (w**2).sum())
    return x, w, n, n_eff


def _wmean_se(x: np.ndarray, w: np.ndarray, n_eff: float) -> tuple[float, float]:
    m = float(np.sum(w * x) / w.sum())
    if n_eff <= 1 + 1e-12:
        return m, float("nan")
    var = float(np.sum(w * (x - m) ** 2) / w.sum()) * n_eff / (n_eff - 1)
    return m, math.sqrt(var / n_eff)


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
    m, se = _wmean_se(x, w, n_eff)
    if not np.isfinite(se):
        _few_warning(n, "mean_score")
        return Estimate(m, float("nan"), float("nan"), n, n_eff)
    t = stats.t.ppf(0.5 + confidence / 2, n_eff - 1)
    return Estimate(m, m - t * se, m + t * se, n, n_eff)


def _wilson(p: float, n_eff: float, confidence: float) -> tuple[float, float]:
    z = stats.norm.ppf(0.5 + confidence / 2)
    denom = 1 + z**2 / n_eff
    centre = (p + z**2 / (2 * n_eff)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n_eff + z**2 / (4 * n_eff**2))
    return max(0.0, centre - half), min(1.0, centre + half)


def _check_scale(scale: Any, name: str = "scale") -> tuple[float, float]:
    if not isinstance(scale, (tuple, list)) or len(scale) != 2:
        raise TypeError(f"`{name}` must be a (min, max) pair; got {scale!r}.")
    lo, hi = (float(v) for v in scale)
    if not hi > lo:
        raise ValueError(f"`{name}` must have max > min; got {scale!r}.")
    return lo, hi


def _box_share(scores, scale, weights, confidence, top: bool) -> Estimate:
    confidence = check_confidence(confidence)
    lo, hi = _check_scale(scale)
    x, w, n, n_eff = _prepare(scores, weights)
    if (x < lo).any() or (x > hi).any():
        bad = x[(x < lo) | (x > hi)][0]
        raise ValueError(f"`scores` must lie on the scale {lo:g}-{hi:g}; found {bad:g}.")
    hit = x >= hi - 1 if top else x <= lo + 1
    p = float(np.sum(w * hit) / w.sum())
    ci_low, ci_high = _wilson(p, n_eff, confidence)
    return Estimate(100 * p, 100 * ci_low, 100 * ci_high, n, n_eff)


def top2box(scores: Any, scale: tuple[float, float], weights: Any = None,
            confidence: float = 0.95) -> Estimate:
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


def bottom2box(scores: Any, scale: tuple[float, float], weights: Any = None,
               confidence: float = 0.95) -> Estimate:
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
        raise ValueError(
            f"`scores` for NPS must be whole numbers 0-10; found {x[bad][0]:g}."
        )
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


def nps_composition(data: pd.DataFrame, column: str = "recommend", by: str | None = None,
                    weights: Any = None) -> pd.DataFrame:
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
    groups = [("all", np.ones(len(data), bool))] if by is None else [
        (g, (data[by] == g).to_numpy()) for g in _ordered_levels(data[by])
    ]
    rows = []
    for g, mask in groups:
        p_pro, p_det, p_pas, n, n_eff = _nps_parts(
            data.loc[mask, column], None if w is None else w[mask]
        )
        rows.append({"group": g, "detractors": 100 * p_det, "passives": 100 * p_pas,
                     "promoters": 100 * p_pro, "nps": 100 * (p_pro - p_det), "n": n,
                     "n_eff": n_eff})
    return pd.DataFrame(rows)


def _scales_for(items: pd.DataFrame, scales: Any) -> dict[str, tuple[float, float]]:
    """Scale ends per item: one (min, max) for all, a mapping, or the observed range."""
    out = {}
    for col in items.columns:
        if scales is None:
            lo, hi = float(items[col].min()), float(items[col].max())
            if not hi > lo:
                raise ValueError(
                    f"Item {col!r} has a single observed value ({lo:g}); pass `scales` "
                    "with the ends of its rating scale."
                )
            out[col] = (lo, hi)
        elif isinstance(scales, Mapping):
            if col not in scales:
                raise ValueError(f"`scales` has no (min, max) for item {col!r}.")
            out[col] = _check_scale(scales[col], f"scales[{col!r}]")
        else:
            out[col] = _check_scale(scales, "scales")
    return out


def _check_items(items: Any, name: str = "items", min_items: int = 1) -> pd.DataFrame:
    items = check_dataframe(items, name)
    if items.shape[1] < min_items:
        raise ValueError(
            f"`{name}` must have at least {min_items} item column(s); got {items.shape[1]}."
        )
    check_numeric_columns(items, list(items.columns), name)
    for col in items.columns:
        if items[col].notna().sum() == 0:
            raise ValueError(
                f"Item {col!r} in `{name}` has no valid answers (all {len(items)} missing); "
                "drop it or fix the data."
            )
    return items


def index_scores(items: pd.DataFrame, scales: Any = None,
                 item_weights: Mapping[str, float] | None = None) -> pd.Series:
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
    r = np.column_stack([
        (items[c].to_numpy(dtype=float, na_value=np.nan) - sc[c][0]) / (sc[c][1] - sc[c][0]) * 100
        for c in items.columns
    ])
    present = np.isfinite(r)
    num = np.where(present, r, 0.0) @ iw
    den = present.astype(float) @ iw
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(den > 0, num / den, np.nan)
    return pd.Series(out, index=items.index, name="satisfaction_index")


def satisfaction_index(items: pd.DataFrame, scales: Any = None, weights: Any = None,
                       item_weights: Mapping[str, float] | None = None,
                       confidence: float = 0.95) -> Estimate:
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


# --- reliability --------------------------------------------------------------------


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a multi-item scale.

    ``alpha = k / (k - 1) * (1 - sum(item variances) / variance(total))`` on the
    respondents who answered every item (listwise).

    Parameters
    ----------
    items : DataFrame
        One numeric column per item, at least two items.

    Returns
    -------
    float
        Alpha (at most 1; it can be negative for items that do not hang together).

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> round(cronbach_alpha(items), 4)
    0.9333
    """
    items = _check_items(items, min_items=2)
    x = items.dropna()
    if len(x) < 2:
        raise ValueError(
            f"`items` needs at least 2 respondents who answered every item; got {len(x)}."
        )
    k = x.shape[1]
    item_var = x.var(ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        raise ValueError("`items` total score has zero variance: alpha is undefined.")
    return float(k / (k - 1) * (1 - item_var / total_var))


def reliability(data: pd.DataFrame, scales: Mapping[str, Sequence[str]],
                threshold: float = 0.7) -> pd.DataFrame:
    """Reliability table of multi-item scales.

    Parameters
    ----------
    data : DataFrame
    scales : mapping scale name -> list of item columns (two or more each)
    threshold : float, default 0.7
        Scales whose alpha is below this are flagged.

    Returns
    -------
    DataFrame
        One row per scale and item, columns: ``scale``, ``item``, ``n`` (respondents
        who answered every item of the scale), ``alpha`` (the scale's alpha),
        ``alpha_if_deleted`` (alpha of the scale without this item; NaN for a
        two-item scale), ``item_total_r`` (corrected item-total correlation: the item
        against the sum of the other items), ``flag`` (True where ``alpha`` <
        ``threshold``).
    """
    data = check_dataframe(data)
    rows = []
    for name, cols in scales.items():
        cols = list(cols)
        check_columns(data, cols)
        items = _check_items(data[cols], f"scales[{name!r}]", min_items=2)
        alpha = cronbach_alpha(items)
        x = items.dropna()
        for c in cols:
            rest = [o for o in cols if o != c]
            aid = cronbach_alpha(x[rest]) if len(rest) >= 2 else float("nan")
            r = float(np.corrcoef(x[c], x[rest].sum(axis=1))[0, 1])
            rows.append({"scale": name, "item": c, "n": len(x), "alpha": alpha,
                         "alpha_if_deleted": aid, "item_total_r": r,
                         "flag": bool(alpha < threshold)})
    return pd.DataFrame(rows, columns=["scale", "item", "n", "alpha", "alpha_if_deleted",
                                       "item_total_r", "flag"])


# --- segments and waves -----------------------------------------------------------------


def _weights_of(data: pd.DataFrame, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        check_columns(data, [weights])
        return check_weights(data[weights], len(data), f"weights ({weights!r})")
    return check_weights(weights, len(data), "weights")


def _ordered_levels(s: pd.Series) -> list:
    if isinstance(s.dtype, pd.CategoricalDtype):
        present = set(s.dropna().unique())
        return [c for c in s.cat.categories if c in present]
    return sorted(s.dropna().unique().tolist())


def _se_of(kind: str, x, w, scale) -> tuple[float, float, float, float]:
    """(value, centre, standard error, n_eff) on the reporting scale (percent for shares and NPS).

    ``centre`` is what intervals and tests are built on: the value itself, except for NPS
    where it is the Rocks (2016) adjusted estimate.
    """
    if kind in ("mean", "index"):
        xx, ww, n, n_eff = _prepare(x, w)
        m, se = _wmean_se(xx, ww, n_eff)
        return m, m, se, n_eff
    if kind == "nps":
        p_pro, p_det, _, n, n_eff = _nps_parts(x, w)
        centre, var = _nps_adjusted(p_pro, p_det, n_eff)
        return 100 * (p_pro - p_det), 100 * centre, 100 * math.sqrt(var), n_eff
    est = _estimate(kind, x, w, scale, 0.95)
    p = est.value / 100
    return est.value, est.value, 100 * math.sqrt(p * (1 - p) / est.n_eff), est.n_eff


def _difference(kind: str, a: tuple, b: tuple, confidence: float) -> tuple[float, float, float, float]:
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
    """The checks segment_table and wave_change share; returns the checked values."""
    data = check_dataframe(data)
    check_columns(data, [group, column])
    check_choice(kind, KINDS, "kind")
    confidence = check_confidence(confidence)
    min_base = check_positive_int(min_base, "min_base")
    if kind in ("top2", "bottom2"):
        scale = _check_scale(scale)
    return data, confidence, min_base, scale, _weights_of(data, weights)


def segment_table(data: pd.DataFrame, segment: str, column: str, *, kind: str = "mean",
                  scale: tuple[float, float] | None = None, weights: Any = None,
                  min_base: int = 30, confidence: float = 0.95,
                  measure: str | None = None) -> pd.DataFrame:
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
    data, confidence, min_base, scale, w = _group_args(data, segment, column, kind, confidence,
                                                      min_base, scale, weights)
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
        row = {"measure": label, "segment": g, "n": n, "n_eff": float("nan"),
               "estimate": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"),
               "rest_estimate": float("nan"), "difference": float("nan"),
               "diff_ci_low": float("nan"), "diff_ci_high": float("nan"),
               "p_value": float("nan"), "significant": False,
               "suppressed": n < min_base, "shown": f"n < {min_base}"}
        if n >= min_base:
            wi = None if w is None else w[ins]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", OrientWarning)
                est = _estimate(kind, data.loc[ins, column], wi, scale, confidence)
            row.update(n_eff=est.n_eff, estimate=est.value, ci_low=est.ci_low,
                       ci_high=est.ci_high, shown=_fmt_value(est.value, kind))
            if rest.sum() >= 2:
                a = _se_of(kind, data.loc[ins, column], wi, scale)
                b = _se_of(kind, data.loc[rest, column], None if w is None else w[rest], scale)
                diff, lo, hi, p = _difference(kind, a, b, confidence)
                row.update(rest_estimate=b[0], difference=diff, diff_ci_low=lo,
                           diff_ci_high=hi, p_value=p,
                           significant=bool(np.isfinite(p) and p < 1 - confidence))
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


def wave_change(data: pd.DataFrame, wave: str, column: str, *, kind: str = "mean",
                scale: tuple[float, float] | None = None, weights: Any = None,
                confidence: float = 0.95, min_base: int = 30,
                measure: str | None = None, language: str = "en") -> pd.DataFrame:
    """One measure per survey wave and its change against the previous wave.

    Parameters
    ----------
    data : DataFrame
    wave : str
        The wave column; waves are taken in sorted order (or category order).
    column, kind, scale, weights, confidence, min_base, measure
        As in :func:`segment_table`. A wave under ``min_base`` is suppressed and not
        compared.
    language : {"en", "ru"}
        The language of ``answer`` (templates ``sentences.satisfaction`` of
        ``orient/templates/text/<language>.yaml``).

    Returns
    -------
    DataFrame
        One row per wave, columns: ``measure``, ``wave``, ``n``, ``n_eff``,
        ``estimate``, ``ci_low``, ``ci_high``, ``change`` (against the previous wave;
        NaN for the first), ``change_ci_low``, ``change_ci_high``, ``p_value``,
        ``significant``, ``suppressed``, ``answer`` (a plain sentence: did it really
        change?).

    Raises
    ------
    ValueError
        If the wave column holds fewer than two waves.
    """
    data, confidence, min_base, scale, w = _group_args(data, wave, column, kind, confidence,
                                                      min_base, scale, weights)
    check_language(language)
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
        row = {"measure": label, "wave": g, "n": n, "n_eff": nan, "estimate": nan,
               "ci_low": nan, "ci_high": nan, "change": nan, "change_ci_low": nan,
               "change_ci_high": nan, "p_value": nan, "significant": False,
               "suppressed": n < min_base, "answer": ""}
        cur = None
        if n >= min_base:
            wi = None if w is None else w[ins]
            est = _estimate(kind, data.loc[ins, column], wi, scale, confidence)
            cur = _se_of(kind, data.loc[ins, column], wi, scale)
            row.update(n_eff=est.n_eff, estimate=est.value, ci_low=est.ci_low,
                       ci_high=est.ci_high)
        if prev is None:
            row["answer"] = sentence("satisfaction.wave_first" if cur is not None
                                     else "satisfaction.wave_small", language, min_base=min_base)
        elif cur is None or prev[1] is None:
            row["answer"] = sentence("satisfaction.wave_not_compared", language,
                                     min_base=min_base)
        else:
            diff, lo, hi, p = _difference(kind, cur, prev[1], confidence)
            sig = bool(np.isfinite(p) and p < 1 - confidence)
            row.update(change=diff, change_ci_low=lo, change_ci_high=hi, p_value=p,
                       significant=sig)
            row["answer"] = _plain_change(label, kind, prev[0], g, prev[1][0], cur[0], diff,
                                          lo, hi, p, sig, confidence, language)
        rows.append(row)
        prev = (g, cur)
    return pd.DataFrame(rows)


def _plain_change(label, kind, w0, w1, v0, v1, diff, lo, hi, p, sig, confidence,
                  language="en") -> str:
    return sentence("satisfaction.wave_change", language, measure=label.split(":")[0],
                    kind=kind, d=2 if kind == "mean" else 1, wave_before=w0, wave_after=w1,
                    before=v0, after=v1, change=diff, ci_low=lo, ci_high=hi, p_value=p,
                    significant=sig, confidence=confidence)


# --- the chain in business units ---------------------------------------------------------


def _wls(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    # normal equations on centred data: small k, and much faster than an SVD per resample
    sw = w / w.sum()
    Xc = X - sw @ X
    yc = y - sw @ y
    XtW = Xc.T * sw
    try:
        return np.linalg.solve(XtW @ Xc, XtW @ yc)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(XtW @ Xc, XtW @ yc, rcond=None)[0]


def chain_effects(data: pd.DataFrame, *, satisfaction: str,
                  attributes: Sequence[str] = (),
                  outcomes: Mapping[str, tuple[str, float, str]] | None = None,
                  controls: Sequence[str] = (), weights: Any = None, n_boot: int = 1000,
                  seed: int | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """The attribute -> satisfaction -> loyalty -> profit chain in business units.

    Two kinds of regression, both (weighted) least squares with case-resampling
    bootstrap percentile intervals:

    - attributes -> satisfaction: one multiple regression of ``satisfaction`` on all
      ``attributes`` (effect = points of satisfaction per rating point of the attribute,
      the others held fixed);
    - satisfaction -> each outcome: a regression per outcome on ``satisfaction`` and the
      ``controls`` (effect = change in the outcome, times its ``multiplier``, per point
      of satisfaction), e.g. retained (0/1) x 100 = percentage points of retention,
      revenue = currency per customer.

    Rows with a missing value in a regression's columns are left out of that
    regression; ``n`` says how many were used.

    Parameters
    ----------
    data : DataFrame
    satisfaction : str
        The satisfaction column (usually the 0-100 index).
    attributes : sequence of str
        Attribute rating columns.
    outcomes : mapping name -> (column, multiplier, unit)
        Loyalty and profit outcomes, e.g. ``{"retention": ("retained", 100, "pp")}``.
    controls : sequence of str
        Categorical columns held fixed in the satisfaction -> outcome regressions
        (entered as indicator variables), e.g. the segment when segments differ both in
        satisfaction and in revenue per customer.
    weights : str or array-like, optional
    n_boot : int, default 1000
        Bootstrap resamples (0: no intervals).
    seed : int, optional
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per link, columns: ``stage`` ("attributes -> satisfaction" or
        "satisfaction -> outcome"), ``from``, ``to``, ``effect``, ``ci_low``,
        ``ci_high``, ``unit`` (what one unit of ``from`` buys in ``to``), ``n``.
    """
    data = check_dataframe(data)
    outcomes = dict(outcomes or {})
    cols = [satisfaction, *attributes, *(c for c, _, _ in outcomes.values())]
    check_columns(data, cols + list(controls))
    check_numeric_columns(data, cols)
    n_boot = check_positive_int(n_boot, "n_boot", allow_zero=True)
    seed = check_seed(seed)
    confidence = check_confidence(confidence)
    w_all = _weights_of(data, weights)
    w_all = np.ones(len(data)) if w_all is None else w_all
    if controls:
        dummies = pd.get_dummies(data[list(controls)].astype("string"), drop_first=True,
                                 dtype=float)
        ctrl_ok = data[list(controls)].notna().all(axis=1).to_numpy()
        C = dummies.to_numpy(dtype=float)
    else:
        ctrl_ok, C = np.ones(len(data), bool), np.empty((len(data), 0))
    rng = np.random.default_rng(seed)
    a = (1 - confidence) / 2
    rows = []

    def fit(xcols: list[str], ycol: str, mult: float, use_controls: bool):
        ok = data[xcols + [ycol]].notna().all(axis=1).to_numpy().copy()
        if use_controls:
            ok &= ctrl_ok
        X = data.loc[ok, xcols].to_numpy(dtype=float)
        if use_controls and C.shape[1]:
            X = np.column_stack([X, C[ok]])
        y = data.loc[ok, ycol].to_numpy(dtype=float) * mult
        w = w_all[ok]
        k = len(xcols)
        if len(y) <= X.shape[1] + 1:
            raise ValueError(
                f"Too few complete rows ({len(y)}) to regress {ycol!r} on {', '.join(xcols)}."
            )
        if np.ptp(y) == 0:
            warnings.warn(f"chain_effects: {ycol!r} does not vary; its effect is 0.",
                          OrientWarning, stacklevel=3)
        est = _wls(X, y, w)[:k]
        boots = np.full((n_boot, k), np.nan)
        for b in range(n_boot):
            i = rng.integers(0, len(y), len(y))
            boots[b] = _wls(X[i], y[i], w[i])[:k]
        lo = np.nanquantile(boots, a, axis=0) if n_boot else np.full(k, np.nan)
        hi = np.nanquantile(boots, 1 - a, axis=0) if n_boot else np.full(k, np.nan)
        return est, lo, hi, len(y)

    if attributes:
        est, lo, hi, n = fit(list(attributes), satisfaction, 1.0, False)
        for k, c in enumerate(attributes):
            rows.append({"stage": "attributes -> satisfaction", "from": c, "to": satisfaction,
                         "effect": est[k], "ci_low": lo[k], "ci_high": hi[k],
                         "unit": f"points of {satisfaction} per rating point", "n": n})
    for name, (col, mult, unit) in outcomes.items():
        est, lo, hi, n = fit([satisfaction], col, float(mult), True)
        rows.append({"stage": "satisfaction -> outcome", "from": satisfaction, "to": name,
                     "effect": est[0], "ci_low": lo[0], "ci_high": hi[0],
                     "unit": f"{unit} per point of {satisfaction}", "n": n})
    return pd.DataFrame(rows, columns=["stage", "from", "to", "effect", "ci_low", "ci_high",
                                       "unit", "n"])


# --- PLS path model -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PLSResult:
    """A fitted PLS path model (mode A, standardised data).

    Attributes
    ----------
    paths : DataFrame
        ``from``, ``to``, ``coefficient``, ``ci_low``, ``ci_high`` (NaN without bootstrap).
    weights : DataFrame
        ``construct``, ``item``, ``weight`` (standardised outer weight), ``ci_low``,
        ``ci_high``.
    loadings : DataFrame
        ``construct``, ``item``, ``loading`` (correlation of item and construct score),
        ``ci_low``, ``ci_high``.
    r2 : Series
        R-squared of each endogenous construct.
    scores : DataFrame
        Construct scores rescaled 0-100 (rescaled items combined with the unstandardised
        outer weights normalised to sum 1), indexed like the rows used.
    total_effects : DataFrame
        ``from``, ``to``, ``effect``: standardised total (direct + indirect) effects.
    n : int
        Respondents used (complete rows).
    scheme : str
    iterations : int
    converged : bool
    """

    paths: pd.DataFrame
    weights: pd.DataFrame
    loadings: pd.DataFrame
    r2: pd.Series
    scores: pd.DataFrame
    total_effects: pd.DataFrame
    n: int
    scheme: str
    iterations: int
    converged: bool
    blocks: dict = field(repr=False, default_factory=dict)
    path_list: tuple = field(repr=False, default=())


def _standardise(a: np.ndarray) -> np.ndarray:
    return (a - a.mean(axis=0)) / a.std(axis=0, ddof=1)


def _pls_core(X: np.ndarray, idx: list[np.ndarray], D: np.ndarray, scheme: str,
              tol: float, max_iter: int):
    """Lohmoeller's PLS algorithm on standardised X. Returns weights, scores, iterations.

    Every step of the iteration is a product of the item correlation matrix
    ``S = X'X / (n - 1)``: the construct scores ``Y = X W`` have correlations
    ``W' S W`` and the outer step ``X_j' Z_j / (n - 1)`` is ``S_j. W E_j``; so the loop
    costs the same at any number of respondents and the scores are formed once.
    """
    m = len(idx)
    p = X.shape[1]
    S = X.T @ X / (X.shape[0] - 1)
    adj = (D + D.T) > 0
    rows = np.concatenate(idx)  # item of each weight
    cols = np.repeat(np.arange(m), [len(ix) for ix in idx])  # its construct
    preds = [np.flatnonzero(D[:, j]) for j in range(m)]
    succs = [np.flatnonzero(D[j, :]) for j in range(m)]

    def normalised(v):  # weights giving scores of unit variance, and as a p x m matrix
        W = np.zeros((p, m))
        W[rows, cols] = v
        sd = np.sqrt(np.einsum("ij,ik,kj->j", W, S, W))
        return W / sd, v / sd[cols]

    W, v = normalised(np.ones(len(rows)))
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        R = W.T @ S @ W  # correlations of the current scores
        if scheme == "centroid":
            E = np.sign(R) * adj
        elif scheme == "factorial":
            E = R * adj
        else:
            E = np.zeros((m, m))
            for j in range(m):
                pred = preds[j]
                if len(pred):  # standardised scores: regression from the correlations
                    E[pred, j] = np.linalg.solve(R[np.ix_(pred, pred)], R[pred, j])
                E[succs[j], j] = R[succs[j], j]
        M = S @ (W @ E)  # column j: X' Z_j / (n - 1), with Z = Y E the inner estimates
        W, new = normalised(M[rows, cols])
        delta = float(np.max(np.abs(new - v)))
        v = new
        if delta < tol:
            converged = True
            break
    w = [v[cols == j] for j in range(m)]
    Y = X @ W
    return w, Y / Y.std(axis=0, ddof=1), it, converged


def _path_coefs(Y: np.ndarray, D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares path coefficients and R^2 of standardised scores, from their correlations."""
    m = D.shape[0]
    R = np.corrcoef(Y, rowvar=False)
    B = np.zeros((m, m))
    r2 = np.full(m, np.nan)
    for j in range(m):
        pred = np.flatnonzero(D[:, j])
        if len(pred):
            beta = np.linalg.solve(R[np.ix_(pred, pred)], R[pred, j])
            B[pred, j] = beta
            r2[j] = float(beta @ R[pred, j])
    return B, r2


def _total(B: np.ndarray) -> np.ndarray:
    m = B.shape[0]
    return np.linalg.inv(np.eye(m) - B) - np.eye(m)


def _check_model(data, blocks, paths):
    data = check_dataframe(data)
    if not isinstance(blocks, Mapping) or not blocks:
        raise TypeError("`blocks` must be a non-empty mapping {construct: [item columns]}.")
    items = []
    for c, cols in blocks.items():
        if isinstance(cols, str) or not isinstance(cols, Sequence) or not cols:
            raise TypeError(f"`blocks[{c!r}]` must be a non-empty list of columns; got {cols!r}.")
        items += list(cols)
    dup = {c for c in items if items.count(c) > 1}
    if dup:
        raise ValueError(f"Item {sorted(dup)[0]!r} appears in more than one block.")
    check_columns(data, items)
    check_numeric_columns(data, items)
    names = list(blocks)
    D = np.zeros((len(names), len(names)))
    for p in paths:
        if not isinstance(p, (tuple, list)) or len(p) != 2:
            raise TypeError(f"Each path must be a (from, to) pair; got {p!r}.")
        a, b = p
        for c in (a, b):
            if c not in blocks:
                raise ValueError(f"Path {p!r} names {c!r}, which is not a construct in `blocks`.")
        if a == b:
            raise ValueError(f"Path {p!r} goes from a construct to itself.")
        D[names.index(a), names.index(b)] = 1
    # recursive (acyclic) models only
    if np.any(np.diag(np.linalg.matrix_power(D + np.eye(len(names)), len(names))) > 1):
        raise ValueError("`paths` contain a cycle; only recursive (acyclic) models are supported.")
    lonely = [c for j, c in enumerate(names) if D[:, j].sum() + D[j, :].sum() == 0]
    if lonely:
        raise ValueError(f"Construct {lonely[0]!r} has no path to or from any other construct.")
    for c in items:
        if data[c].notna().sum() == 0:
            raise ValueError(f"Item {c!r} has no valid answers (all {len(data)} missing).")
    return data, names, items, D


#: the message of pls_path_model's warning about incomplete rows (read back for the notes)
_PLS_MISSING = re.compile(r"pls_path_model: (\d+) of (\d+) rows have a missing item and are left out\.")


def pls_path_model(data: pd.DataFrame, blocks: Mapping[str, Sequence[str]],
                   paths: Sequence[tuple[str, str]], scheme: str = "path", n_boot: int = 0,
                   seed: int | None = None, *, scales: Any = None, confidence: float = 0.95,
                   tol: float = 1e-7, max_iter: int = 300) -> PLSResult:
    """PLS path model (PLS-SEM) for multi-item constructs, as in the ECSI and ACSI.

    Mode A (reflective) outer estimation on standardised items, initial outer weights
    of 1, and the path, centroid or factorial inner weighting scheme (Lohmoeller 1989);
    iterations stop when no outer weight changes by more than ``tol``. Path coefficients
    are least squares on the construct scores. Reproduces SmartPLS to 4 decimals on the
    ECSI mobile-phone data (``benchmarks/ecsi.py``).

    Parameters
    ----------
    data : DataFrame
        Item columns; rows with a missing item are left out (with a warning saying
        how many).
    blocks : mapping construct -> list of item columns
    paths : sequence of (from, to)
        The structural model; must be acyclic.
    scheme : {"path", "centroid", "factorial"}, default "path"
    n_boot : int, default 0
        Bootstrap resamples for percentile intervals of paths, weights and loadings.
    seed : int, optional
    scales : (min, max) or mapping item -> (min, max), optional
        Item scale ends for the 0-100 scores; by default the observed range.
    confidence : float, default 0.95
    tol : float, default 1e-7
    max_iter : int, default 300

    Returns
    -------
    PLSResult
        ``.paths`` (from, to, coefficient, ci_low, ci_high), ``.weights``,
        ``.loadings``, ``.r2``, ``.scores`` (0-100), ``.total_effects``; see
        :class:`PLSResult`.

    References
    ----------
    Tenenhaus, Esposito Vinzi, Chatelin, Lauro (2005). PLS path modeling.
    Computational Statistics & Data Analysis 48, 159-205.
    """
    data, names, items, D = _check_model(data, blocks, paths)
    check_choice(scheme, ("path", "centroid", "factorial"), "scheme")
    n_boot = check_positive_int(n_boot, "n_boot", allow_zero=True)
    seed = check_seed(seed)
    confidence = check_confidence(confidence)
    max_iter = check_positive_int(max_iter, "max_iter")
    raw = data[items]
    complete = raw.notna().all(axis=1)
    if not complete.all():
        warnings.warn(
            f"pls_path_model: {int((~complete).sum())} of {len(raw)} rows have a missing item "
            "and are left out.",
            OrientWarning,
            stacklevel=2,
        )
    raw = raw[complete]
    if len(raw) < 3:
        raise ValueError(f"pls_path_model needs at least 3 complete rows; got {len(raw)}.")
    const = [c for c in items if raw[c].std() == 0]
    if const:
        raise ValueError(f"Item {const[0]!r} does not vary; it cannot be standardised.")
    A = raw.to_numpy(dtype=float)
    pos = {c: i for i, c in enumerate(items)}
    idx = [np.array([pos[c] for c in blocks[k]]) for k in names]

    def fit(a: np.ndarray):
        X = _standardise(a)
        w, Y, it, conv = _pls_core(X, idx, D, scheme, tol, max_iter)
        B, r2 = _path_coefs(Y, D)
        load = [X[:, ix].T @ Y[:, j] / (len(X) - 1) for j, ix in enumerate(idx)]
        return w, Y, B, r2, load, it, conv

    w, Y, B, r2, load, it, conv = fit(A)
    if not conv:
        warnings.warn(f"pls_path_model: did not converge in {max_iter} iterations.",
                      OrientWarning, stacklevel=2)
    edges = [(names.index(a), names.index(b)) for a, b in paths]
    nan = float("nan")
    p_lo = p_hi = np.full(len(edges), nan)
    w_lo = w_hi = l_lo = l_hi = [np.full(len(ix), nan) for ix in idx]
    if n_boot:
        rng = np.random.default_rng(seed)
        bp = np.full((n_boot, len(edges)), nan)
        bw = [np.full((n_boot, len(ix)), nan) for ix in idx]
        bl = [np.full((n_boot, len(ix)), nan) for ix in idx]
        for b in range(n_boot):
            s = A[rng.integers(0, len(A), len(A))]
            if np.any(s.std(axis=0) == 0):
                continue
            wb, _, Bb, _, lb, _, _ = fit(s)
            bp[b] = [Bb[i, j] for i, j in edges]
            for j in range(len(idx)):
                bw[j][b], bl[j][b] = wb[j], lb[j]
        q = (1 - confidence) / 2
        p_lo, p_hi = np.nanquantile(bp, q, axis=0), np.nanquantile(bp, 1 - q, axis=0)
        w_lo = [np.nanquantile(x, q, axis=0) for x in bw]
        w_hi = [np.nanquantile(x, 1 - q, axis=0) for x in bw]
        l_lo = [np.nanquantile(x, q, axis=0) for x in bl]
        l_hi = [np.nanquantile(x, 1 - q, axis=0) for x in bl]

    path_df = pd.DataFrame({
        "from": [names[i] for i, _ in edges], "to": [names[j] for _, j in edges],
        "coefficient": [B[i, j] for i, j in edges], "ci_low": p_lo, "ci_high": p_hi,
    })

    def outer(vals, lo, hi, col):
        return pd.DataFrame([
            {"construct": k, "item": c, col: vals[j][t], "ci_low": lo[j][t], "ci_high": hi[j][t]}
            for j, k in enumerate(names) for t, c in enumerate(blocks[k])
        ])

    T = _total(B)
    total = pd.DataFrame([
        {"from": names[i], "to": names[j], "effect": T[i, j]}
        for i in range(len(names)) for j in range(len(names)) if T[i, j] != 0
    ], columns=["from", "to", "effect"])
    endo = [j for j in range(len(names)) if D[:, j].any()]
    r2s = pd.Series({names[j]: r2[j] for j in endo}, name="r2", dtype=float)
    scores = _scores_0_100(raw, blocks, names, w, scales)
    return PLSResult(
        paths=path_df, weights=outer(w, w_lo, w_hi, "weight"),
        loadings=outer(load, l_lo, l_hi, "loading"), r2=r2s, scores=scores,
        total_effects=total, n=len(raw), scheme=scheme, iterations=it, converged=conv,
        blocks={k: list(v) for k, v in blocks.items()}, path_list=tuple(map(tuple, paths)),
    )


def _scores_0_100(raw: pd.DataFrame, blocks, names, w, scales) -> pd.DataFrame:
    """Rescaled construct scores (Ringle & Sarstedt 2016, IPMA step 1-2)."""
    sc = _scales_for(raw, scales)
    out = {}
    for j, k in enumerate(names):
        cols = list(blocks[k])
        unstd = w[j] / raw[cols].std(ddof=1).to_numpy()
        rel = unstd / unstd.sum()
        resc = np.column_stack([(raw[c].to_numpy(float) - sc[c][0]) / (sc[c][1] - sc[c][0]) * 100
                                for c in cols])
        out[k] = np.clip(resc @ rel, 0.0, 100.0)  # float noise at the ends
    return pd.DataFrame(out, index=raw.index)


def ipma(model: PLSResult, target: str) -> pd.DataFrame:
    """Importance-performance map for one target construct (Ringle & Sarstedt 2016).

    Importance is the unstandardised total effect on ``target``: the structural model
    re-estimated on the 0-100 construct scores, so "one point more performance of X
    gives `importance` points more of the target". Performance is the mean 0-100 score.

    Parameters
    ----------
    model : PLSResult
    target : str
        An endogenous construct.

    Returns
    -------
    DataFrame
        Indexed by construct (every construct with a total effect on ``target``),
        columns: ``importance``, ``performance``, ``std_total_effect`` (the
        standardised total effect).
    """
    if not isinstance(model, PLSResult):
        raise TypeError(f"`model` must be a PLSResult; got {type(model).__name__}.")
    names = list(model.blocks)
    check_choice(target, names, "target")
    m = len(names)
    D = np.zeros((m, m))
    for a, b in model.path_list:
        D[names.index(a), names.index(b)] = 1
    if not D[:, names.index(target)].any():
        raise ValueError(f"`target` {target!r} is exogenous: nothing has an effect on it.")
    S = model.scores[names].to_numpy(float)
    B = np.zeros((m, m))
    for j in range(m):
        pred = np.flatnonzero(D[:, j])
        if len(pred):
            X = np.column_stack([np.ones(len(S)), S[:, pred]])
            B[pred, j] = np.linalg.lstsq(X, S[:, j], rcond=None)[0][1:]
    T = _total(B)
    std = model.total_effects.set_index(["from", "to"])["effect"]
    t = names.index(target)
    rows = {names[i]: {"importance": T[i, t], "performance": float(S[:, i].mean()),
                       "std_total_effect": float(std.get((names[i], target), 0.0))}
            for i in range(m) if T[i, t] != 0}
    return pd.DataFrame.from_dict(rows, orient="index")


# --- analyse / headline -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SatisfactionResult:
    """Everything stage II reports for one company (see :func:`analyse`)."""

    indices: pd.DataFrame
    nps: Estimate | None
    nps_composition: pd.DataFrame | None
    segments: pd.DataFrame | None
    waves: pd.DataFrame | None
    reliability: pd.DataFrame | None
    chain: pd.DataFrame | None
    pls: PLSResult | None
    ipma: pd.DataFrame | None
    notes: tuple[str, ...]
    currency: str = ""
    min_base: int = 30


def _canonical_map(company) -> dict[str, str]:
    """company.yaml column name -> its canonical name in ``company.survey``."""
    sv = company.profile.survey
    m = {sv.overall: "overall"}
    if sv.loyalty.recommend:
        m[sv.loyalty.recommend] = "recommend"
    if sv.loyalty.repurchase:
        m[sv.loyalty.repurchase] = "repurchase"
    m.update({spec.own: key for key, spec in sv.attributes.items()})
    return m


def _pls_model(company, survey: pd.DataFrame, items: list[str]):
    """The PLS model: the profile's constructs and paths, else attributes -> satisfaction
    -> loyalty (each attribute a single-item construct)."""
    sv = company.profile.survey
    cmap = _canonical_map(company)
    if sv.constructs and sv.paths:
        blocks = {k: [cmap.get(c, c) for c in cols] for k, cols in sv.constructs.items()}
        paths = [tuple(p) for p in sv.paths]
        target = next((k for k in reversed(list(blocks))
                       if any(b == k for _, b in paths)), None)
        return blocks, paths, target, "the construct model in company.yaml"
    loyalty = [c for c in ("recommend", "repurchase") if c in survey.columns]
    blocks = {a.key: [a.column] for a in company.attributes}
    blocks["Satisfaction"] = list(items)
    paths = [(a.key, "Satisfaction") for a in company.attributes]
    if loyalty:
        blocks["Loyalty"] = loyalty
        paths.append(("Satisfaction", "Loyalty"))
    return blocks, paths, "Satisfaction", "attributes -> satisfaction -> loyalty"


@_memoised
def analyse(company, *, weighted: bool = True, n_boot: int = 200, seed: int = 0,
            scheme: str = "path", index_weights: str = "equal",
            min_base: int | None = None, confidence: float | None = None) -> SatisfactionResult:
    """Stage II for one company: what the notebook and the executive summary show.

    Parameters
    ----------
    company : orient.Company
        From :func:`orient.load_company`.
    weighted : bool, default True
        Use the survey weights when the company has them.
    n_boot : int, default 200
        Bootstrap resamples for the chain and the PLS model (200 keeps a report run
        quick; raise it for publication).
    seed : int, default 0
    scheme : {"path", "centroid", "factorial"}, default "path"
        Inner weighting scheme of the PLS model.
    index_weights : {"equal", "pls"}, default "equal"
        How the satisfaction items are combined into the 0-100 index: equally, or
        with the PLS outer weights of the satisfaction construct (as the ACSI does).
    min_base, confidence : optional
        Override ``company.min_base`` and ``company.confidence``.

    Returns
    -------
    SatisfactionResult
        ``indices`` (DataFrame: measure, column, kind, estimate, ci_low, ci_high, n,
        n_eff, unit), ``nps`` (Estimate or None), ``nps_composition`` (by group:
        all, segments, waves), ``segments`` and ``waves`` (see :func:`segment_table`
        and :func:`wave_change`; None without the column), ``reliability``,
        ``chain`` (see :func:`chain_effects`), ``pls`` (PLSResult), ``ipma``, and
        ``notes``: what was left out and why.
    """
    check_choice(scheme, ("path", "centroid", "factorial"), "scheme")
    check_choice(index_weights, ("equal", "pls"), "index_weights")
    conf = company.confidence if confidence is None else check_confidence(confidence)
    base = company.min_base if min_base is None else check_positive_int(min_base, "min_base")
    survey = company.survey.copy()
    language = company_language(company)
    notes: list[str] = []

    def note(key, **values):
        notes.append(sentence("satisfaction.note_" + key, language, **values))
    w = None
    if weighted and company.weights is not None:
        w = company.weights.to_numpy(dtype=float)
    elif weighted:
        note("no_weights")
    items = [c for c in company.satisfaction_items if c in survey.columns]
    scales = {c: company.scale(c) for c in items}

    # PLS first: its satisfaction weights may define the index
    pls = ipma_tab = None
    blocks, paths, target, model_name = _pls_model(company, survey, items)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrientWarning)
            pls_scales = {c: company.scale(c) for cols in blocks.values() for c in cols}
            pls = pls_path_model(survey, blocks, paths, scheme=scheme, n_boot=n_boot,
                                 seed=seed, scales=pls_scales, confidence=conf)
        for m in caught:
            if issubclass(m.category, OrientWarning):
                missing = _PLS_MISSING.fullmatch(str(m.message))
                note("pls_missing" if missing else "pls", model=term("values", model_name, language),
                     message=m.message, left_out=missing and int(missing.group(1)),
                     rows=missing and int(missing.group(2)))
            else:  # not ours to swallow
                warnings.warn_explicit(m.message, m.category, m.filename, m.lineno)
        if target is not None:
            ipma_tab = ipma(pls, target)
    except (ValueError, TypeError) as exc:
        note("pls_left_out", message=exc)
    item_w = None
    if index_weights == "pls" and pls is not None and "Satisfaction" in blocks:
        ws = pls.weights[pls.weights.construct == "Satisfaction"].set_index("item")["weight"]
        sd = survey[list(ws.index)].std(ddof=1)
        item_w = (ws / sd / (ws / sd).sum()).to_dict()
    survey["satisfaction_index"] = index_scores(survey[items], scales, item_w)

    # headline indices
    rows = []

    def add(label, col, kind, scale=None, unit=""):
        est = _estimate(kind, survey[col], w, scale, conf)
        rows.append({"measure": label, "column": col, "kind": kind, "estimate": est.value,
                     "ci_low": est.ci_low, "ci_high": est.ci_high, "n": est.n,
                     "n_eff": est.n_eff, "unit": unit})
        return est

    osc = company.scale("overall")
    add("Satisfaction index", "satisfaction_index", "index", None, "0-100")
    add("Overall satisfaction, mean", "overall", "mean", osc, f"{osc[0]:g}-{osc[1]:g} scale")
    add("Overall satisfaction, top-2-box", "overall", "top2", osc, "% of customers")
    add("Overall satisfaction, bottom-2-box", "overall", "bottom2", osc, "% of customers")
    nps_est = comp = None
    if "recommend" in survey.columns and survey["recommend"].notna().any():
        nps_est = add("Net Promoter Score", "recommend", "nps", None, "-100..100")
        parts = [nps_composition(survey, "recommend", weights=w)]
        for by in ("segment", "wave"):
            if by in survey.columns:
                c = nps_composition(survey, "recommend", by=by, weights=w)
                parts.append(c[c["n"] >= base])
        comp = pd.concat(parts, ignore_index=True)
    else:
        note("no_nps")
    if "repurchase" in survey.columns and survey["repurchase"].notna().any():
        rsc = company.scale("repurchase")
        add("Intention to buy again, top-2-box", "repurchase", "top2", rsc, "% of customers")
    indices = pd.DataFrame(rows)

    measures = [("satisfaction_index", "index", None, "Satisfaction index")]
    if nps_est is not None:
        measures.append(("recommend", "nps", None, "NPS"))
    measures.append(("overall", "top2", osc, "Overall satisfaction, top-2-box %"))

    segments = None
    if "segment" in survey.columns:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrientWarning)
            segments = pd.concat([
                segment_table(survey, "segment", col, kind=kind, scale=sc, weights=w,
                              min_base=base, confidence=conf, measure=label)
                for col, kind, sc, label in measures], ignore_index=True)
        if caught:
            small = sorted(set(segments.loc[segments.suppressed, "segment"].astype(str)))
            note("small_segments", min_base=base, segments=", ".join(small))
    else:
        note("no_segments")

    waves = None
    if "wave" in survey.columns:
        try:
            waves = pd.concat([
                wave_change(survey, "wave", col, kind=kind, scale=sc, weights=w,
                            confidence=conf, min_base=base, measure=label,
                            language=language)
                for col, kind, sc, label in measures], ignore_index=True)
        except ValueError as exc:
            note("waves_left_out", message=exc)
    else:
        note("no_waves")

    rel_scales = {}
    if len(items) >= 2:
        rel_scales["Satisfaction"] = items
    if pls is not None:
        rel_scales.update({k: v for k, v in blocks.items() if len(v) >= 2 and k not in rel_scales
                           and k != "Loyalty"})
    rel = reliability(survey, rel_scales) if rel_scales else None
    if rel is None:
        note("no_reliability")

    # the chain
    outcomes: dict[str, tuple[str, float, str]] = {}
    controls: list[str] = []
    data = survey
    fin = company.finance
    if fin is not None and "customer_id" in survey.columns:
        f = fin.drop(columns=[c for c in ("segment",) if c in fin.columns])
        f = f.drop_duplicates("customer_id")
        data = survey.merge(f, on="customer_id", how="left", validate="m:1")
        matched = int(data["revenue"].notna().sum()) if "revenue" in data else 0
        note("finance_joined", matched=matched, n=len(survey))
        if "retained" in data:
            outcomes["retention"] = ("retained", 100.0, "pp retention")
        if "revenue" in data:
            outcomes["revenue per customer"] = ("revenue", 1.0, company.currency)
        if "revenue" in data and "cost" in data:
            data["profit"] = data["revenue"] - data["cost"]
            outcomes["profit per customer"] = ("profit", 1.0, company.currency)
        if "segment" in data.columns and data["segment"].nunique() > 1:
            controls = ["segment"]
    else:
        note("no_finance")
    if "recommend" in data.columns:
        data["promoter"] = (data["recommend"] >= 9).astype(float).where(data["recommend"].notna())
        outcomes["promoters"] = ("promoter", 100.0, "pp promoters")
        outcomes["likelihood to recommend"] = ("recommend", 1.0, "points (0-10)")
    if "repurchase" in data.columns:
        lo, hi = company.scale("repurchase")
        outcomes["intention to buy again"] = ("repurchase", 1.0, f"points ({lo:g}-{hi:g})")
    chain = chain_effects(data, satisfaction="satisfaction_index",
                          attributes=company.attribute_keys, outcomes=outcomes,
                          controls=controls, weights=w, n_boot=n_boot, seed=seed,
                          confidence=conf)
    if controls:
        note("segment_held")
    return SatisfactionResult(
        indices=indices, nps=nps_est, nps_composition=comp, segments=segments, waves=waves,
        reliability=rel, chain=chain, pls=pls, ipma=ipma_tab, notes=tuple(notes),
        currency=company.currency, min_base=base,
    )



def headline(result: SatisfactionResult) -> dict:
    """The stage's headline numbers for ``summary.json`` (JSON-safe; None where missing).

    Returns
    -------
    dict
        ``satisfaction_index`` (+ ``_ci_low``, ``_ci_high``), ``n``, ``n_eff``,
        ``mean_overall``, ``top2box`` (percent), ``nps`` (+ ``_ci_low``, ``_ci_high``),
        ``promoters``, ``detractors`` (percent), ``index_change`` and ``nps_change``
        (last wave minus the one before), ``index_change_significant``,
        ``nps_change_significant`` (bool or None), ``wave_answer`` (plain sentence),
        ``best_segment``, ``worst_segment`` (by index, reported segments only),
        ``segments_suppressed`` (count), ``alpha_min`` (lowest Cronbach's alpha),
        ``scales_flagged`` (count under 0.7), ``retention_pp_per_point``,
        ``revenue_per_point``, ``profit_per_point``, ``currency``,
        ``top_attribute`` (strongest attribute effect on the index), ``ipma_priority``
        (the construct with the highest importance among those below the median
        performance).
    """
    if not isinstance(result, SatisfactionResult):
        raise TypeError(f"`result` must be a SatisfactionResult; got {type(result).__name__}.")
    ind = result.indices.set_index("measure")
    out: dict[str, Any] = {}

    def get(measure, col="estimate"):
        return _num(ind.loc[measure, col]) if measure in ind.index else None

    out["satisfaction_index"] = get("Satisfaction index")
    out["satisfaction_index_ci_low"] = get("Satisfaction index", "ci_low")
    out["satisfaction_index_ci_high"] = get("Satisfaction index", "ci_high")
    out["n"] = int(ind.loc["Satisfaction index", "n"]) if "Satisfaction index" in ind.index else None
    out["n_eff"] = get("Satisfaction index", "n_eff")
    out["mean_overall"] = get("Overall satisfaction, mean")
    out["top2box"] = get("Overall satisfaction, top-2-box")
    e = result.nps
    out["nps"] = _num(e.value) if e else None
    out["nps_ci_low"] = _num(e.ci_low) if e else None
    out["nps_ci_high"] = _num(e.ci_high) if e else None
    comp = result.nps_composition
    first = comp.iloc[0] if comp is not None and len(comp) else None
    out["promoters"] = _num(first["promoters"]) if first is not None else None
    out["detractors"] = _num(first["detractors"]) if first is not None else None
    for key, measure in (("index", "Satisfaction index"), ("nps", "NPS")):
        out[f"{key}_change"] = out[f"{key}_change_significant"] = None
        if result.waves is not None:
            wv = result.waves[result.waves.measure == measure]
            if len(wv) >= 2 and np.isfinite(wv.iloc[-1]["change"]):
                out[f"{key}_change"] = _num(wv.iloc[-1]["change"])
                out[f"{key}_change_significant"] = bool(wv.iloc[-1]["significant"])
    out["wave_answer"] = None
    if result.waves is not None:
        wv = result.waves[result.waves.measure == ("NPS" if result.nps else "Satisfaction index")]
        out["wave_answer"] = str(wv.iloc[-1]["answer"]) if len(wv) else None
    out["best_segment"] = out["worst_segment"] = None
    out["segments_suppressed"] = None
    if result.segments is not None:
        s = result.segments[result.segments.measure == "Satisfaction index"]
        shown = s[~s.suppressed]
        if len(shown):
            out["best_segment"] = str(shown.loc[shown.estimate.idxmax(), "segment"])
            out["worst_segment"] = str(shown.loc[shown.estimate.idxmin(), "segment"])
        out["segments_suppressed"] = int(s.suppressed.sum())
    rel = result.reliability
    out["alpha_min"] = _num(rel["alpha"].min()) if rel is not None and len(rel) else None
    out["scales_flagged"] = int(rel.drop_duplicates("scale")["flag"].sum()) if rel is not None else None
    ch = result.chain.set_index("to") if result.chain is not None else pd.DataFrame()
    for key, to in (("retention_pp_per_point", "retention"),
                    ("revenue_per_point", "revenue per customer"),
                    ("profit_per_point", "profit per customer")):
        out[key] = _num(ch.loc[to, "effect"]) if to in ch.index else None
    out["currency"] = result.currency
    att = result.chain[result.chain.stage == "attributes -> satisfaction"] \
        if result.chain is not None else pd.DataFrame()
    out["top_attribute"] = str(att.loc[att.effect.idxmax(), "from"]) if len(att) else None
    out["ipma_priority"] = None
    if result.ipma is not None and len(result.ipma):
        t = result.ipma
        low = t[t.performance <= t.performance.median()]
        if len(low):
            out["ipma_priority"] = str(low.importance.idxmax())
    return out
