"""Competitive performance: own and main-competitor scores (0-100) per attribute, with the gap.

:func:`competitive_performance` (overall and by segment, paired or Welch intervals,
small bases suppressed) and ``_attribute_table``, which normalises attributes
(``company.attributes``, dicts or a DataFrame) to one table.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from orient._validate import (
    check_columns,
    check_confidence,
    check_dataframe,
    check_numeric_columns,
    check_positive_int,
)
from orient.errors import OrientWarning
from orient.priorities._inputs import _resolve_weights
from orient.stats import to_100, weighted_mean_se

__all__ = ["competitive_performance"]

_ATTR_FIELDS = ("key", "label", "column", "competitor_column", "scale_min", "scale_max")


#: a row's figures, blanked where its base is suppressed
_FIGURES = (
    "own",
    "own_ci_low",
    "own_ci_high",
    "competitor",
    "gap",
    "ci_low",
    "ci_high",
    "p_value",
)


def _attribute_table(attributes: Any) -> pd.DataFrame:
    """Normalise attributes (``company.attributes``, dicts or a DataFrame) to a table."""
    if isinstance(attributes, pd.DataFrame):
        table = attributes.copy()
    else:
        if isinstance(attributes, str) or not isinstance(attributes, Sequence):
            raise TypeError(
                "`attributes` must be a list of Attribute objects or dicts, or a "
                f"DataFrame; got {type(attributes).__name__}."
            )
        rows = []
        for a in attributes:
            if isinstance(a, Mapping):
                rows.append({f: a.get(f) for f in _ATTR_FIELDS})
            else:
                rows.append({f: getattr(a, f, None) for f in _ATTR_FIELDS})
        table = pd.DataFrame(rows, columns=list(_ATTR_FIELDS))
    for f in ("key", "column", "scale_min", "scale_max"):
        if f not in table.columns or table[f].isna().any():
            raise ValueError(f"every attribute needs a {f!r}; `attributes` lacks it.")
    if "label" not in table.columns:
        table["label"] = table["key"]
    table["label"] = table["label"].fillna(table["key"])
    if "competitor_column" not in table.columns:
        table["competitor_column"] = None
    table = table.astype({"scale_min": float, "scale_max": float})
    bad = table[table["scale_max"] <= table["scale_min"]]
    if len(bad):
        raise ValueError(f"attribute {bad['key'].iloc[0]!r} has scale_max <= scale_min.")
    return table.set_index("key", drop=False)


def _own_interval(x: np.ndarray, w: np.ndarray, conf: float) -> tuple[float, float]:
    """t-interval of the (weighted) mean score ``x`` (Kish's effective size for df)."""
    if len(x) < 2:
        return math.nan, math.nan
    m, se, n_eff = weighted_mean_se(x, w)
    if not np.isfinite(se):
        return math.nan, math.nan
    if se == 0:
        return m, m
    tq = stats.t.ppf(0.5 + conf / 2, n_eff - 1)
    return m - tq * se, m + tq * se


def _gap_row(
    own: np.ndarray, comp: np.ndarray | None, w: np.ndarray, conf: float
) -> dict[str, Any]:
    ok_own = ~np.isnan(own)
    row: dict[str, Any] = {
        "own": math.nan,
        "own_ci_low": math.nan,
        "own_ci_high": math.nan,
        "competitor": math.nan,
        "gap": math.nan,
        "ci_low": math.nan,
        "ci_high": math.nan,
        "p_value": math.nan,
        "n": int(ok_own.sum()),
        "n_competitor": 0,
        "paired": False,
    }
    if comp is None:
        if ok_own.sum():
            row["own"] = float(np.average(own[ok_own], weights=w[ok_own]))
            row["own_ci_low"], row["own_ci_high"] = _own_interval(own[ok_own], w[ok_own], conf)
        return row
    ok_comp = ~np.isnan(comp)
    both = ok_own & ok_comp
    row["n_competitor"] = int(ok_comp.sum())
    if both.sum() >= 2:  # the same respondents rated both: paired comparison on them
        d = own[both] - comp[both]
        wb = w[both]
        gap, se, n_eff = weighted_mean_se(d, wb)
        df = n_eff - 1
        row.update(
            own=float(np.average(own[both], weights=wb)),
            competitor=float(np.average(comp[both], weights=wb)),
            n=int(both.sum()),
            n_competitor=int(both.sum()),
            paired=True,
        )
        row["own_ci_low"], row["own_ci_high"] = _own_interval(own[both], wb, conf)
    elif ok_own.sum() >= 2 and ok_comp.sum() >= 2:  # different respondents: Welch
        m1, se1, ne1 = weighted_mean_se(own[ok_own], w[ok_own])
        m2, se2, ne2 = weighted_mean_se(comp[ok_comp], w[ok_comp])
        gap = m1 - m2
        se = math.sqrt(se1**2 + se2**2)
        df = se**4 / (se1**4 / (ne1 - 1) + se2**4 / (ne2 - 1)) if se > 0 else math.inf
        row.update(own=m1, competitor=m2)
        row["own_ci_low"], row["own_ci_high"] = _own_interval(own[ok_own], w[ok_own], conf)
    else:
        return row
    row["gap"] = gap
    if se > 0:
        tq = stats.t.ppf(0.5 + conf / 2, df)
        row.update(
            ci_low=gap - tq * se,
            ci_high=gap + tq * se,
            p_value=float(2 * stats.t.sf(abs(gap) / se, df)),
        )
    else:
        row.update(ci_low=gap, ci_high=gap, p_value=0.0 if gap != 0 else 1.0)
    return row


def competitive_performance(
    data: pd.DataFrame,
    attributes: Any,
    *,
    weights: Any = None,
    segment: str | None = None,
    confidence: float = 0.95,
    min_base: int = 30,
) -> pd.DataFrame:
    """Own and main-competitor performance per attribute, on a 0-100 scale, with the gap.

    Each rating is rescaled to 0-100 from its scale ends (``scale_min`` -> 0,
    ``scale_max`` -> 100). Where the same respondents rated both companies (the
    usual survey design) the comparison is paired: own score, competitor score and
    gap are means over the respondents who rated both, and the interval is a
    t-interval of the mean paired difference. Where nobody rated both, the two
    scores come from different respondents and the interval is Welch's. With survey
    weights, means are weighted and standard errors use Kish's effective sample size.

    Parameters
    ----------
    data : DataFrame
        The survey, one row per respondent.
    attributes : list of Attribute, list of dict or DataFrame
        ``company.attributes`` or anything with ``key``, ``column``,
        ``competitor_column`` (None where the competitor was not rated),
        ``scale_min``, ``scale_max`` and optionally ``label``.
    weights : str, array-like or None
        A weight column of ``data`` or one weight per row.
    segment : str or None
        A column of ``data``: also report each segment.
    confidence : float
        Level of the intervals.
    min_base : int
        Segment results on fewer respondents than this are suppressed (set to NaN,
        with ``suppressed`` True); the base ``n`` is still shown. The overall rows are
        never suppressed (they are the whole survey) but warn when below the base.

    Returns
    -------
    DataFrame
        One row per segment and attribute (segment ``"all"`` first, then each
        segment in sorted order), with columns ``segment``, ``attribute``, ``label``,
        ``own``, ``own_ci_low``, ``own_ci_high`` (the own score and its t-interval,
        over the same respondents), ``competitor`` (0-100 scores), ``gap`` (own minus competitor,
        points), ``ci_low``, ``ci_high`` (interval of the gap), ``p_value`` (two-sided
        test of no gap), ``n`` (respondents behind the comparison), ``n_competitor``,
        ``paired`` (bool) and ``suppressed`` (bool).

    Examples
    --------
    >>> survey = pd.DataFrame({"speed": [4, 5, 3, 4, 5, 2], "speed_rival": [3, 4, 3, 2, 4, 2]})
    >>> attrs = [{"key": "speed", "column": "speed", "competitor_column": "speed_rival",
    ...           "scale_min": 1, "scale_max": 5}]
    >>> row = competitive_performance(survey, attrs, min_base=5).iloc[0]
    >>> [round(float(row[c]), 1) for c in ("own", "competitor", "gap")], bool(row["paired"])
    ([70.8, 50.0, 20.8], True)
    """
    data = check_dataframe(data)
    table = _attribute_table(attributes)
    confidence = check_confidence(confidence)
    min_base = check_positive_int(min_base, "min_base", allow_zero=True)
    cols = list(table["column"]) + [c for c in table["competitor_column"] if isinstance(c, str)]
    check_columns(data, cols, "data")
    check_numeric_columns(data, cols, "data")
    w_all = _resolve_weights(data, weights)
    w_all = np.ones(len(data)) if w_all is None else w_all
    groups: list[tuple[Any, np.ndarray]] = [("all", np.ones(len(data), dtype=bool))]
    if segment is not None:
        check_columns(data, [segment], "data")
        seg = data[segment]
        for level in sorted(seg.dropna().unique(), key=str):
            groups.append((level, (seg == level).to_numpy()))
    rows = []
    for level, sel in groups:
        w = w_all[sel]
        for key, a in table.iterrows():
            own = to_100(
                data.loc[sel, a["column"]].to_numpy(dtype=float), a["scale_min"], a["scale_max"]
            )
            comp = None
            if isinstance(a["competitor_column"], str):
                comp = to_100(
                    data.loc[sel, a["competitor_column"]].to_numpy(dtype=float),
                    a["scale_min"],
                    a["scale_max"],
                )
            row = _gap_row(own, comp, w, confidence)
            small = row["n"] < min_base
            row["suppressed"] = bool(small and level != "all")
            if small and level == "all":
                warnings.warn(
                    f"Competitive performance on {a['label']!r} rests on {row['n']} "
                    f"respondents, fewer than the minimum base of {min_base}.",
                    OrientWarning,
                    stacklevel=2,
                )
            if row["suppressed"]:
                for f in _FIGURES:
                    row[f] = math.nan
            rows.append({"segment": level, "attribute": key, "label": a["label"], **row})
    cols_out = [
        "segment",
        "attribute",
        "label",
        *_FIGURES,
        "n",
        "n_competitor",
        "paired",
        "suppressed",
    ]
    out = pd.DataFrame(rows, columns=cols_out)
    out.attrs.update({"confidence": confidence, "min_base": min_base})
    return out
