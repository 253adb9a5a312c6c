"""Which segments to serve, and how: the segment portfolio and the direction rule.

:func:`segment_profile` measures each customer segment: how attractive it is (size,
revenue share, margin, growth) and how well the company can satisfy it (satisfaction
index, gap to the main competitor); :func:`segment_portfolio` places the segments on a
nine-box portfolio matrix with a recommendation (invest, selective, harvest);
:func:`direction_rule` applies the model's rule of thumb for small improvements or large
innovations (high-volume segments with large gaps: a major redesign to cut cost;
low-volume premium segments: small refinements). No company, no language: the reasons in
words are :mod:`orient.strategy.narrative`'s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe, check_numeric_columns
from orient.stats import to_100
from orient.strategy._common import _ROUND, _get
from orient.strategy.kpis import _index_items, _satisfaction_index, _survey_weights, _weighted_mean

__all__ = [
    "DEFAULT_ABILITY",
    "DEFAULT_ATTRACTIVENESS",
    "DEFAULT_SPREADS",
    "direction_rule",
    "segment_portfolio",
    "segment_profile",
]


def _attribute_pairs(attributes: Sequence[Any]) -> list[tuple[str, str, float, float]]:
    pairs = []
    for a in attributes:
        if isinstance(a, tuple):
            own, comp, lo, hi = a
        else:
            own, comp = a.column, a.competitor_column
            lo, hi = a.scale_min, a.scale_max
        if comp is not None:
            pairs.append((own, comp, float(lo), float(hi)))
    return pairs


def _competitive_gap(
    part: pd.DataFrame,
    pairs,
    weights: pd.Series | None,
    importance: Mapping[str, float] | None = None,
) -> float:
    """Mean over attributes of (own - competitor) in points of a 0-100 scale.

    With ``importance`` (attribute -> weight) the mean over attributes is weighted by it;
    attributes it does not name get weight 0.
    """
    gaps, imp = [], []
    for own, comp, lo, hi in pairs:
        if own not in part or comp not in part:
            continue
        # own minus competitor in points of the 0-100 scale (the span hi - lo maps to 100)
        d = to_100(part[own] - part[comp], 0.0, hi - lo)
        m, n = _weighted_mean(d, weights)
        if n:
            gaps.append(m)
            imp.append(1.0 if importance is None else float(importance.get(own, 0.0)))
    if not gaps or sum(imp) <= 0:
        return np.nan
    return float(np.average(gaps, weights=imp))


def segment_profile(
    survey: pd.DataFrame,
    finance: pd.DataFrame | None = None,
    segments: Mapping[str, Any] | None = None,
    *,
    overall_scale: tuple[float, float] | None = None,
    attributes: Sequence[Any] = (),
    weights: Any = None,
    min_base: int = 30,
    index_items: Mapping[str, tuple[float, float]] | None = None,
    importance: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Measure each customer segment: attractiveness and the ability to satisfy it.

    Parameters
    ----------
    survey : DataFrame
        Tidy survey with a ``segment`` column and ``overall``.
    finance : DataFrame, optional
        Per customer ``revenue``, ``cost`` and ``segment`` (or ``customer_id`` to take the
        segment from the survey).
    segments : mapping, optional
        The ``segments`` section of company.yaml: segment -> fields ``label``,
        ``growth`` (% a year), and fallbacks used when finance.csv cannot give them:
        ``customers``, ``revenue_share`` (%), ``margin`` (%); ``premium`` (bool) overrides
        the premium rule of :func:`segment_direction`.
    overall_scale : (float, float), optional
        Scale ends of the overall rating (the index is then that of ``overall`` alone).
    attributes : sequence
        ``company.attributes`` (objects with ``column``, ``competitor_column``,
        ``scale_min``, ``scale_max``) or tuples ``(own, competitor, min, max)``; those
        with a competitor column give the competitive gap.
    weights : Series or array, optional
        Respondent weights aligned with ``survey``.
    min_base : int
        Segments with fewer respondents are marked ``small_base``.
    index_items : mapping, optional
        Column -> (min, max) of the satisfaction-index items, as in :func:`measured_kpis`.
    importance : Series or mapping, optional
        Attribute key -> importance (e.g. stage III's derived importance); when given,
        the competitive gap is the importance-weighted mean over attributes, so gaps on
        what drives satisfaction count most. Unnamed attributes get weight 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by segment, columns ``label``, ``n`` (respondents), ``small_base``,
        ``customers`` (customers in the segment), ``size_share`` (% of customers),
        ``size_source`` (``"finance"``, ``"company.yaml"`` or ``"survey"``: respondents
        stand in for customers when nothing else says how big a segment is),
        ``revenue_share`` (%), ``margin`` (%), ``growth`` (% a year),
        ``relative_revenue`` (revenue per customer over the all-segment average; 1 =
        average), ``satisfaction_index`` (0-100) and ``competitive_gap`` (own minus
        competitor, mean over attributes, importance-weighted when ``importance`` is
        given, points on a 0-100 scale; negative = behind),
        ``premium`` (company.yaml override or None).
    """
    check_dataframe(survey, "survey")
    check_columns(survey, ["segment", "overall"], "survey")
    check_numeric_columns(survey, ["overall"], "survey")
    segments = dict(segments or {})
    w_all = _survey_weights(survey, weights)
    pairs = _attribute_pairs(attributes)
    if importance is not None:
        importance = dict(importance.items())
        for k, v in importance.items():
            if isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or v < 0:
                raise ValueError(f"`importance[{k!r}]` must be a number >= 0; got {v!r}.")
    names = list(segments)
    for s in pd.unique(survey["segment"].dropna()):
        if s not in segments:
            names.append(s)
    fin = None
    if finance is not None and len(finance):
        check_dataframe(finance, "finance")
        fin = finance
        if "segment" not in fin and "customer_id" in fin and "customer_id" in survey:
            seg_of = survey.dropna(subset=["customer_id"]).drop_duplicates("customer_id")
            seg_of = seg_of.set_index("customer_id")["segment"]
            fin = fin.assign(segment=fin["customer_id"].map(seg_of))
        if "segment" not in fin or fin["segment"].isna().all():
            fin = None
    items = _index_items(overall_scale, index_items)
    if not items:
        raise TypeError(
            "`segment_profile` needs `overall_scale` or `index_items` to compute "
            "the satisfaction index."
        )
    rows = []
    for s in names:
        spec = segments.get(s, {})
        part = survey[survey["segment"] == s]
        w = None if w_all is None else w_all.loc[part.index]
        si, n = _satisfaction_index(part, items, w) if len(part) else (np.nan, 0)
        row = {
            "label": _get(spec, "label") or str(s),
            "n": n,
            "satisfaction_index": si,
            "competitive_gap": _competitive_gap(part, pairs, w, importance)
            if len(part)
            else np.nan,
            "growth": _get(spec, "growth"),
            "premium": _get(spec, "premium"),
        }
        if fin is not None:
            f = fin[fin["segment"] == s]
            row["customers"] = float(len(f))
            row["revenue"] = float(f["revenue"].sum()) if "revenue" in f else np.nan
            rev = row["revenue"]
            row["margin"] = (
                100.0 * (rev - float(f["cost"].sum())) / rev if "cost" in f and rev else np.nan
            )
            row["size_source"] = "finance"
        else:
            c = _get(spec, "customers")
            row["customers"] = np.nan if c is None else float(c)
            row["revenue"] = np.nan
            m = _get(spec, "margin")
            row["margin"] = np.nan if m is None else float(m)
            row["size_source"] = "company.yaml" if c is not None else "survey"
        row["yaml_revenue_share"] = _get(spec, "revenue_share")
        rows.append(row)
    prof = pd.DataFrame(rows, index=pd.Index(names, name="segment"))
    if prof.empty:
        return prof
    if (prof["size_source"] == "survey").any():
        # one missing size makes shares incomparable: fall back to respondents for all
        prof["customers"] = prof["n"].astype(float)
        prof["size_source"] = "survey"
    tot = prof["customers"].sum()
    prof["size_share"] = 100.0 * prof["customers"] / tot if tot > 0 else np.nan
    if fin is not None and "revenue" in fin:
        tot_rev = prof["revenue"].sum()
        prof["revenue_share"] = 100.0 * prof["revenue"] / tot_rev if tot_rev else np.nan
    else:
        prof["revenue_share"] = pd.to_numeric(prof["yaml_revenue_share"], errors="coerce")
    prof["relative_revenue"] = prof["revenue_share"] / prof["size_share"]
    prof["growth"] = pd.to_numeric(prof["growth"], errors="coerce").astype(float)
    prof["n"] = prof["n"].astype(int)
    prof["small_base"] = prof["n"] < min_base
    cols = [
        "label",
        "n",
        "small_base",
        "customers",
        "size_share",
        "size_source",
        "revenue_share",
        "margin",
        "growth",
        "relative_revenue",
        "satisfaction_index",
        "competitive_gap",
        "premium",
    ]
    return prof[cols]


def _relative_score(x: pd.Series, spread: float) -> pd.Series:
    """50 + 50 (x - mean over segments) / spread, clipped to 0-100 (NaN stays NaN)."""
    x = x.astype(float)
    return (50.0 + 50.0 * (x - x.mean()) / spread).clip(0.0, 100.0)


def _score(
    prof: pd.DataFrame, weights: Mapping[str, float], spreads: Mapping[str, Any], name: str
) -> pd.Series:
    for k, v in weights.items():
        if k not in prof:
            raise ValueError(
                f"`{name}` names {k!r}, which is not a segment measure; allowed: "
                + ", ".join(map(str, prof.columns))
                + "."
            )
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
            raise ValueError(f"`{name}[{k!r}]` must be a number >= 0; got {v!r}.")
    num = pd.Series(0.0, index=prof.index)
    den = pd.Series(0.0, index=prof.index)
    for k, v in weights.items():
        spread = spreads.get(k)
        if spread is None:  # shares: the average share
            spread = 100.0 / len(prof)
        score = _relative_score(prof[k], float(spread))
        ok = score.notna()
        num[ok] += v * score[ok]
        den[ok] += v
    return (num / den).where(den > 0)


def _level(score: pd.Series) -> pd.Series:
    """low < 100/3 <= medium < 200/3 <= high (scores rounded to 12 decimals)."""
    s = score.round(_ROUND)
    out = np.where(
        s >= round(200 / 3, _ROUND), "high", np.where(s >= round(100 / 3, _ROUND), "medium", "low")
    )
    return pd.Series(out, index=score.index).where(score.notna())


#: default weights of the attractiveness measures
DEFAULT_ATTRACTIVENESS = {"size_share": 1.0, "revenue_share": 1.0, "margin": 1.0, "growth": 1.0}
#: default weights of the ability measures
DEFAULT_ABILITY = {"satisfaction_index": 1.0, "competitive_gap": 1.0}
#: the difference from the all-segment mean that moves a measure's score from 50 to 100
#: (None: the average share, 100 / number of segments)
DEFAULT_SPREADS: dict[str, float | None] = {
    "size_share": None,
    "revenue_share": None,
    "margin": 5.0,
    "growth": 2.5,
    "satisfaction_index": 5.0,
    "competitive_gap": 5.0,
}


def segment_portfolio(
    profile: pd.DataFrame,
    *,
    attractiveness_weights: Mapping[str, float] | None = None,
    ability_weights: Mapping[str, float] | None = None,
    spreads: Mapping[str, float | None] | None = None,
) -> pd.DataFrame:
    """Place segments on the nine-box portfolio matrix and recommend a strategy.

    Each measure is scored against the mean of the segments compared:
    ``score = 50 + 50 (x - mean) / spread``, clipped to 0-100, so a segment at the
    mean scores 50 and one a whole ``spread`` above it scores 100. Spreads
    (:data:`DEFAULT_SPREADS`) are in the measure's own unit: the average share
    (100 / number of segments) for ``size_share`` and ``revenue_share``, 5 percentage
    points of ``margin``, 2.5 points of ``growth`` a year, 5 points of the 0-100
    ``satisfaction_index`` and of the ``competitive_gap``. Small differences thus stay
    small (unlike a min-max rescaling, which would stretch a 1-point margin difference
    to the full range). Attractiveness is the weighted mean of the scores of
    ``size_share``, ``revenue_share``, ``margin`` and ``growth`` (equal weights by
    default); ability is that of ``satisfaction_index`` and ``competitive_gap``. A
    measure missing for a segment is left out of its mean (and of the mean it is
    scored against). Each axis is cut in thirds (low < 33.3 <= medium <
    66.7 <= high) and the recommendation follows the GE-McKinsey nine-box, counting
    low = 0, medium = 1, high = 2 on each axis: a sum of 3 or 4 is ``invest``, 2 is
    ``selective``, 0 or 1 is ``harvest``. ``target`` segments are the ``invest`` ones.

    Parameters
    ----------
    profile : DataFrame
        From :func:`segment_profile`.
    attractiveness_weights, ability_weights : mapping, optional
        Measure -> weight (>= 0).
    spreads : mapping, optional
        Measure -> spread (> 0), overriding :data:`DEFAULT_SPREADS` for the measures named.

    Returns
    -------
    pandas.DataFrame
        ``profile``'s columns plus ``attractiveness`` and ``ability`` (0-100),
        ``attractiveness_level`` and ``ability_level`` (``low``/``medium``/``high``),
        ``economics`` (whether the segment's revenue share, margin or growth is known),
        ``recommendation`` (``invest``/``selective``/``harvest``; None when a score is
        missing or without economics: counts and satisfaction alone are no basis for
        advice) and ``target`` (bool), sorted by attractiveness, highest first.
    """
    check_dataframe(profile, "profile")
    aw = dict(DEFAULT_ATTRACTIVENESS if attractiveness_weights is None else attractiveness_weights)
    bw = dict(DEFAULT_ABILITY if ability_weights is None else ability_weights)
    sp = dict(DEFAULT_SPREADS)
    for k, v in (spreads or {}).items():
        if (
            isinstance(v, bool)
            or not isinstance(v, (int, float))
            or not v > 0
            or not math.isfinite(v)
        ):
            raise ValueError(f"`spreads[{k!r}]` must be a finite number > 0; got {v!r}.")
        sp[k] = float(v)
    out = profile.copy()
    out["attractiveness"] = _score(out, aw, sp, "attractiveness_weights")
    out["ability"] = _score(out, bw, sp, "ability_weights")
    out["attractiveness_level"] = _level(out["attractiveness"])
    out["ability_level"] = _level(out["ability"])
    pts = {"low": 0, "medium": 1, "high": 2}
    total = out["attractiveness_level"].map(pts) + out["ability_level"].map(pts)
    rec = np.where(total >= 3, "invest", np.where(total == 2, "selective", "harvest"))
    # advice needs the segment's economics: size and satisfaction alone give no
    # "invest" or "harvest" (the segment's revenue, margin or growth must be known)
    econ = [c for c in ("revenue_share", "margin", "growth") if c in out.columns and aw.get(c)]
    out["economics"] = out[econ].notna().any(axis=1) if econ else pd.Series(False, index=out.index)
    out["recommendation"] = pd.Series(rec, index=out.index, dtype=object).where(
        total.notna() & out["economics"], None
    )
    out["target"] = out["recommendation"] == "invest"
    return out.sort_values("attractiveness", ascending=False, kind="stable")


def direction_rule(
    profile: pd.DataFrame,
    *,
    gap_threshold: float = 2.5,
    low_satisfaction: float = 70.0,
    premium_ratio: float = 1.2,
) -> pd.DataFrame:
    """Incremental improvement or innovation per segment, by the model's rule of thumb.

    * **high volume**: the segment's share of customers is at least the average share
      (``size_share >= 100 / number of segments``);
    * **large gap**: the competitive gap is ``<= -gap_threshold`` points on 0-100
      (default 2.5: a deficit averaged over *all* attributes, a quarter of a point on a
      1-10 scale, is a consistent one, not one weak attribute); when a segment has no
      competitor ratings, a satisfaction index ``< low_satisfaction``, except for the
      best-satisfied segment (or the only one), which trails no one;
    * **premium**: company.yaml's ``premium`` when given, else revenue per customer at
      least ``premium_ratio`` times the average (``relative_revenue >= premium_ratio``).

    A high-volume segment with a large gap gets ``innovation`` (a major redesign to cut
    cost); every other segment gets ``incremental`` (small refinements), low-volume
    premium segments above all. Boundaries count as meeting the condition.
    :func:`orient.strategy.segment_direction` adds the reason, in words.

    Parameters
    ----------
    profile : DataFrame
        From :func:`segment_profile` or :func:`segment_portfolio`.
    gap_threshold : float
        Points (0-100 scale) behind the competitor that make a gap large.
    low_satisfaction : float
        Satisfaction index below which the gap is large when there is no competitor data.
    premium_ratio : float
        Relative revenue per customer that makes a segment premium.

    Returns
    -------
    pandas.DataFrame
        Indexed by segment, columns ``label``, ``size_share``, ``high_volume``,
        ``relative_revenue``, ``premium``, ``competitive_gap``, ``large_gap``,
        ``direction`` (``"innovation"`` or ``"incremental"``) and ``gap_basis``
        (``"competitor"`` when the large-gap test used the competitive gap,
        ``"satisfaction"`` when it fell back to the satisfaction index).
    """
    check_dataframe(profile, "profile")
    check_columns(
        profile,
        ["label", "size_share", "relative_revenue", "satisfaction_index", "competitive_gap"],
        "profile",
    )
    for name, v in (
        ("gap_threshold", gap_threshold),
        ("low_satisfaction", low_satisfaction),
        ("premium_ratio", premium_ratio),
    ):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise TypeError(f"`{name}` must be a finite number; got {v!r}.")
        if v < 0:
            raise ValueError(f"`{name}` must be >= 0; got {v!r}.")
    k = len(profile)
    indices = pd.to_numeric(profile["satisfaction_index"], errors="coerce")
    best_index = float(indices.max()) if indices.notna().any() else np.inf
    rows = []
    for _s, r in profile.iterrows():
        share = float(r["size_share"])
        high_volume = bool(np.isfinite(share) and round(share, _ROUND) >= round(100.0 / k, _ROUND))
        rel = float(r["relative_revenue"]) if pd.notna(r["relative_revenue"]) else np.nan
        given = r["premium"] if "premium" in r else None
        if given is not None and not (isinstance(given, float) and np.isnan(given)):
            premium = bool(given)
        else:
            premium = bool(np.isfinite(rel) and round(rel, _ROUND) >= premium_ratio)
        gap = float(r["competitive_gap"])
        if np.isfinite(gap):
            large_gap, kind = round(gap, _ROUND) <= -gap_threshold, "competitor"
        else:
            # without competitor ratings the best-satisfied segment (or the only one) has
            # no gap to close: there is no one it trails
            si = float(r["satisfaction_index"])
            best = si >= best_index
            large_gap = bool(np.isfinite(si) and si < low_satisfaction and not best)
            kind = "satisfaction"
        direction = "innovation" if (high_volume and large_gap) else "incremental"
        rows.append(
            {
                "label": r["label"],
                "size_share": share,
                "high_volume": high_volume,
                "relative_revenue": rel,
                "premium": premium,
                "competitive_gap": gap,
                "large_gap": bool(large_gap),
                "direction": direction,
                "gap_basis": kind,
            }
        )
    return pd.DataFrame(rows, index=profile.index)
