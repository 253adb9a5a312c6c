"""Current values of the KPIs stage I can compute from the survey and finance tables.

Formulas used when stage II results are not passed in (documented so they can be checked
by hand):

* satisfaction index (0-100) = weighted mean over respondents of each respondent's
  mean satisfaction item (``company.satisfaction_items``, by default the overall rating),
  each item rescaled as 100 x (rating - scale minimum) / (scale maximum - scale minimum);
  the equal-weight index of stage II;
* NPS = 100 x (weighted share of 9-10 on the 0-10 recommend item - weighted share of
  0-6), on a -100..100 scale;
* retention rate = 100 x share of customers in finance.csv with ``retained == 1`` (%);
* revenue = total revenue in finance.csv (company currency); revenue per customer = its
  mean over the customers in finance.csv;
* margin = 100 x (total revenue - total cost) / total revenue (%).

The satisfaction index and the NPS are stage II's formulas
(:func:`orient.satisfaction.index_scores`, :func:`orient.satisfaction.nps`, point values
only) and the weighted means :func:`orient.stats.weighted_mean_se`'s; respondents
without an answer (or, when weighted, without a weight) are left out of each.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_dataframe
from orient.satisfaction import index_scores, nps
from orient.satisfaction.indices import nps_scale_problem
from orient.stats import weighted_mean_se

__all__ = ["COMPUTABLE_KPIS", "measured_kpis"]

#: KPIs whose current value orient computes from the data (key -> what and unit)
COMPUTABLE_KPIS = {
    "satisfaction_index": "overall satisfaction on a 0-100 scale (survey or stage II)",
    "nps": "net promoter score, -100..100 (survey or stage II)",
    "retention_rate": "customers retained, % (finance.csv)",
    "revenue": "total revenue, company currency (finance.csv)",
    "revenue_per_customer": "mean revenue per customer, company currency (finance.csv)",
    "margin": "(revenue - cost) / revenue, % (finance.csv)",
}


def _answered(values: pd.Series, weights: pd.Series | None) -> pd.Series:
    """Respondents who count: a value and, when weighted, a weight."""
    ok = values.notna()
    if weights is not None:
        ok &= weights.notna()
    return ok


def _weighted_mean(values: pd.Series, weights: pd.Series | None) -> tuple[float, int]:
    """The (weighted) mean of the values answered, and how many; ``(nan, 0)`` when none.

    The mean is :func:`orient.stats.weighted_mean_se`'s, over the respondents of
    :func:`_answered`.
    """
    ok = _answered(values, weights)
    n = int(ok.sum())
    if n == 0:
        return np.nan, 0
    w = None if weights is None else weights[ok].to_numpy(dtype=float)
    mean, _se, _n_eff = weighted_mean_se(values[ok].to_numpy(dtype=float), w)
    return mean, n


def _survey_weights(survey: pd.DataFrame, weights: Any) -> pd.Series | None:
    if weights is None:
        return None
    if isinstance(weights, pd.Series):
        return weights.reindex(survey.index)
    return pd.Series(np.asarray(weights, dtype=float), index=survey.index)


def _index_items(
    overall_scale: tuple[float, float] | None, index_items: Mapping[str, tuple[float, float]] | None
) -> dict:
    if index_items is not None:
        if not isinstance(index_items, Mapping) or not index_items:
            raise TypeError(
                "`index_items` must be a non-empty mapping of column -> (min, max); "
                f"got {index_items!r}."
            )
        return {c: (float(lo), float(hi)) for c, (lo, hi) in index_items.items()}
    if overall_scale is None:
        return {}
    return {"overall": (float(overall_scale[0]), float(overall_scale[1]))}


def _satisfaction_index(
    survey: pd.DataFrame, items: Mapping[str, tuple[float, float]], weights: pd.Series | None
) -> tuple[float, int]:
    """Weighted mean over respondents of the mean of their answered items on 0-100.

    Each respondent's index is stage II's :func:`orient.satisfaction.index_scores` (equal
    item weights); an item nobody answered is left out first (stage II refuses it, and it
    adds nothing to any respondent's mean). ``(nan, 0)`` when no item is answered.
    """
    answered = [c for c in items if c in survey and survey[c].notna().any()]
    if not answered:
        return np.nan, 0
    scores = index_scores(survey[answered], {c: items[c] for c in answered})
    return _weighted_mean(scores, weights)


def _nps(survey: pd.DataFrame, weights: pd.Series | None) -> tuple[float, int]:
    """Stage II's :func:`orient.satisfaction.nps` of ``recommend`` (its point value), and n.

    Respondents without an answer or a weight are left out; ``(nan, 0)`` when none is left.
    """
    rec = survey["recommend"]
    ok = _answered(rec, weights)
    n = int(ok.sum())
    if n == 0:
        return np.nan, 0
    w = None if weights is None else weights[ok].to_numpy(dtype=float)
    return nps(rec[ok], w).value, n


def measured_kpis(
    survey: pd.DataFrame | None = None,
    finance: pd.DataFrame | None = None,
    *,
    overall_scale: tuple[float, float] | None = None,
    weights: Any = None,
    satisfaction: Mapping[str, float] | None = None,
    index_items: Mapping[str, tuple[float, float]] | None = None,
    recommend_scale: tuple[float, float] = (0.0, 10.0),
) -> pd.DataFrame:
    """Current values of the KPIs orient can compute from the data.

    Values passed in ``satisfaction`` (stage II results) win; otherwise the survey and
    finance tables are used with the simple formulas in the module docstring.

    Parameters
    ----------
    survey : DataFrame, optional
        Tidy survey (``company.survey``); uses ``overall`` and ``recommend`` when present.
    finance : DataFrame, optional
        ``company.finance``: ``revenue``, ``cost``, ``retained`` (0/1).
    overall_scale : (float, float), optional
        Scale ends of the overall rating; the satisfaction index is then that of
        ``overall`` alone.
    weights : Series or array, optional
        Respondent weights aligned with ``survey``.
    satisfaction : mapping, optional
        KPI key -> value from stage II, e.g. ``{"satisfaction_index": 71.2, "nps": 18.0}``
        (stage II's ``headline`` dict fits).
    index_items : mapping, optional
        Column -> (min, max) of the items making up the satisfaction index
        (``company.satisfaction_items``); overrides ``overall_scale``. Each item is
        rescaled to 0-100 and a respondent's index is the mean of the items answered
        (the equal-weight index of stage II).

    Returns
    -------
    pandas.DataFrame
        Indexed by KPI key (see :data:`COMPUTABLE_KPIS`), one row per KPI that could be
        computed, with columns ``value``, ``n`` (respondents or customers used; None for
        values passed in) and ``source`` (``"stage II"``, ``"survey"`` or ``"finance"``).
    """
    rows: dict[str, dict[str, Any]] = {}
    if satisfaction is not None:
        if not isinstance(satisfaction, Mapping):
            raise TypeError(
                "`satisfaction` must be a mapping of KPI key -> value "
                f"(e.g. stage II headline numbers); got {type(satisfaction).__name__}."
            )
        for key, value in satisfaction.items():
            if key in COMPUTABLE_KPIS and value is not None and np.isfinite(value):
                rows[key] = {"value": float(value), "n": None, "source": "stage II"}
    if survey is not None:
        check_dataframe(survey, "survey")
        w = _survey_weights(survey, weights)
        items = _index_items(overall_scale, index_items)
        if "satisfaction_index" not in rows and items:
            value, n = _satisfaction_index(survey, items, w)
            if n:
                rows["satisfaction_index"] = {"value": value, "n": n, "source": "survey"}
        if (
            "nps" not in rows
            and "recommend" in survey
            and nps_scale_problem(survey["recommend"], recommend_scale) is None
        ):  # NPS only from a 0-10 item (as stage II)
            value, n = _nps(survey, w)
            if n:
                rows["nps"] = {"value": value, "n": n, "source": "survey"}
    if finance is not None and len(finance):
        check_dataframe(finance, "finance")
        if "retention_rate" not in rows and "retained" in finance:
            r = finance["retained"].dropna()
            if len(r):
                rows["retention_rate"] = {
                    "value": 100.0 * float(r.mean()),
                    "n": len(r),
                    "source": "finance",
                }
        if "revenue" in finance:
            if "revenue" not in rows:
                rows["revenue"] = {
                    "value": float(finance["revenue"].sum()),
                    "n": int(finance["revenue"].notna().sum()),
                    "source": "finance",
                }
            if "revenue_per_customer" not in rows and finance["revenue"].notna().any():
                rows["revenue_per_customer"] = {
                    "value": float(finance["revenue"].mean()),
                    "n": int(finance["revenue"].notna().sum()),
                    "source": "finance",
                }
            if "margin" not in rows and "cost" in finance:
                rev, cost = float(finance["revenue"].sum()), float(finance["cost"].sum())
                if rev != 0:
                    rows["margin"] = {
                        "value": 100.0 * (rev - cost) / rev,
                        "n": len(finance),
                        "source": "finance",
                    }
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "n", "source"])
    out.index.name = "kpi"
    out["value"] = out["value"].astype(float)
    return out
