"""Stage I: strategy.

Three questions the model asks before any measurement is acted on:

1. **Goals.** Which customer goals (satisfaction, loyalty, retention), balanced against
   the company's other goals (modernising processes, staff, financial results), and who
   is measured on which? :func:`goal_scorecard` lays the goals out as a balanced
   scorecard, fills in the current value of every KPI that the data can compute
   (:func:`measured_kpis`), gives each goal a status by its distance to target
   (:func:`goal_status`) and weighs them into one attainment figure
   (:func:`overall_attainment`); :func:`goal_conflicts` flags goals that pull against
   each other or against stage III's priorities; :func:`incentive_link` says which owner
   is measured on which goals, and how heavily.
2. **Segments.** Which customer segments to serve, given how attractive each one is
   (size, revenue share, margin, growth) and how well the company can satisfy it
   (satisfaction index, gap to the main competitor)? :func:`segment_profile` measures
   the segments, :func:`segment_portfolio` places them on a nine-box portfolio matrix
   with a recommendation (invest, selective, harvest).
3. **Direction.** Should customer information feed small improvements or large
   innovations? :func:`segment_direction` applies the model's rule of thumb (high-volume
   segments with large gaps: a major redesign to cut cost; low-volume premium segments:
   small refinements) and says why, in a sentence from :func:`direction_reason`.

:func:`analyse` runs all three on a :class:`orient.Company`; :func:`headline` gives the
numbers for the executive summary.

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
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._memo import memoised as _memoised
from ._text import check_language, company_language, sentence, term
from ._validate import check_columns, check_dataframe, check_numeric_columns
from .company import NO_SEGMENT as _NO_SEGMENT
from .errors import DataError, OrientWarning

__all__ = [
    "COMPUTABLE_KPIS",
    "DEFAULT_SPREADS",
    "PERSPECTIVES",
    "STATUSES",
    "StrategyResult",
    "analyse",
    "direction_reason",
    "goal_conflicts",
    "goal_scorecard",
    "goal_status",
    "goals_frame",
    "headline",
    "incentive_link",
    "measured_kpis",
    "overall_attainment",
    "perspective_summary",
    "segment_direction",
    "segment_portfolio",
    "segment_profile",
    "portfolio_table",
    "scorecard_table",
    "summary_sentences",
]

#: balanced-scorecard perspectives, in the order the report shows them
PERSPECTIVES = ("customer", "process", "people", "financial")

#: KPIs whose current value orient computes from the data (key -> what and unit)
COMPUTABLE_KPIS = {
    "satisfaction_index": "overall satisfaction on a 0-100 scale (survey or stage II)",
    "nps": "net promoter score, -100..100 (survey or stage II)",
    "retention_rate": "customers retained, % (finance.csv)",
    "revenue": "total revenue, company currency (finance.csv)",
    "revenue_per_customer": "mean revenue per customer, company currency (finance.csv)",
    "margin": "(revenue - cost) / revenue, % (finance.csv)",
}

#: goal statuses, best first
STATUSES = ("on_track", "at_risk", "off_track", "no_data")

#: what a goal intends to do to the attributes it names
INTENTS = ("improve", "maintain", "cut_cost")

_GOAL_COLUMNS = [
    "perspective", "label", "kpi", "unit", "owner", "weight", "direction",
    "baseline", "target", "current", "attributes", "intent",
]

#: the segment the loader gives respondents with a blank segment; not a segment to choose
NO_SEGMENT = _NO_SEGMENT

_ROUND = 12  # attainment is rounded to 12 decimals before it meets a boundary


# ---------------------------------------------------------------------------------
# goals
# ---------------------------------------------------------------------------------


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def goals_frame(goals: Mapping[str, Any]) -> pd.DataFrame:
    """Turn the ``goals`` section of company.yaml into a DataFrame.

    Parameters
    ----------
    goals : mapping
        Goal key -> goal, each a validated ``company.yaml`` goal model or a plain dict
        with the fields ``perspective``, ``kpi``, ``baseline``, ``target``, ``weight``,
        ``owner`` and optionally ``label``, ``unit``, ``direction`` (``"higher"`` or
        ``"lower"`` is better; default ``"higher"``), ``current``, ``attributes`` (attribute
        keys the goal acts on) and ``intent`` (``"improve"``, ``"maintain"``,
        ``"cut_cost"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by goal key, with columns ``perspective``, ``label``, ``kpi``, ``unit``,
        ``owner``, ``weight``, ``direction``, ``baseline``, ``target``, ``current``
        (NaN when not given), ``attributes`` (tuple of attribute keys) and ``intent``
        (None when not given).

    Raises
    ------
    DataError
        When a goal lacks a required field or has a bad value; the message names the
        key path (``goals.<key>.<field>``).
    """
    if not isinstance(goals, Mapping):
        raise TypeError(f"`goals` must be a mapping of goal key -> goal; got {type(goals).__name__}.")
    rows = []
    for key, goal in goals.items():
        where = f"goals.{key}"
        row = {}
        for name in ("perspective", "kpi", "baseline", "target", "weight", "owner"):
            value = _get(goal, name)
            if value is None:
                raise DataError(f"goal {key!r} has no {name}", file="company.yaml",
                                column=f"{where}.{name}", expected=f"a {name} for every goal")
            row[name] = value
        row["label"] = _get(goal, "label") or str(key).replace("_", " ")
        row["unit"] = _get(goal, "unit") or ""
        row["direction"] = _get(goal, "direction") or "higher"
        current = _get(goal, "current")
        row["current"] = np.nan if current is None else float(current)
        row["attributes"] = tuple(_get(goal, "attributes") or ())
        row["intent"] = _get(goal, "intent")
        if row["perspective"] not in PERSPECTIVES:
            raise DataError("unknown perspective", file="company.yaml",
                            column=f"{where}.perspective", value=row["perspective"],
                            expected="one of " + ", ".join(PERSPECTIVES))
        if row["direction"] not in ("higher", "lower"):
            raise DataError("unknown direction", file="company.yaml",
                            column=f"{where}.direction", value=row["direction"],
                            expected="'higher' or 'lower' (which is better)")
        if row["intent"] is not None and row["intent"] not in INTENTS:
            raise DataError("unknown intent", file="company.yaml", column=f"{where}.intent",
                            value=row["intent"], expected="one of " + ", ".join(INTENTS))
        for name in ("baseline", "target", "weight"):
            v = row[name]
            if isinstance(v, bool) or not isinstance(v, (int, float, np.number)) or not math.isfinite(v):
                raise DataError(f"{name} must be a finite number", file="company.yaml",
                                column=f"{where}.{name}", value=v, expected="a number")
            row[name] = float(v)
        if row["weight"] <= 0:
            raise DataError("weight must be positive", file="company.yaml",
                            column=f"{where}.weight", value=row["weight"], expected="a number > 0")
        sign = 1.0 if row["direction"] == "higher" else -1.0
        if sign * (row["target"] - row["baseline"]) < 0:
            raise DataError(
                f"target is worse than baseline for a '{row['direction']} is better' KPI",
                file="company.yaml", column=f"{where}.target", value=row["target"],
                expected=f"a target {'>=' if sign > 0 else '<='} the baseline {row['baseline']:g}",
            )
        rows.append(pd.Series(row, name=key))
    if not rows:
        return pd.DataFrame(columns=_GOAL_COLUMNS, index=pd.Index([], name="goal"))
    frame = pd.DataFrame(rows)[_GOAL_COLUMNS]
    frame.index.name = "goal"
    for name in ("weight", "baseline", "target", "current"):
        frame[name] = frame[name].astype(float)
    return frame


def _weighted_mean(values: pd.Series, weights: pd.Series | None) -> tuple[float, int]:
    ok = values.notna()
    if weights is not None:
        ok &= weights.notna()
    n = int(ok.sum())
    if n == 0:
        return np.nan, 0
    v = values[ok].to_numpy(dtype=float)
    if weights is None:
        return float(v.mean()), n
    w = weights[ok].to_numpy(dtype=float)
    return float(np.sum(w * v) / np.sum(w)), n


def _survey_weights(survey: pd.DataFrame, weights: Any) -> pd.Series | None:
    if weights is None:
        return None
    if isinstance(weights, pd.Series):
        return weights.reindex(survey.index)
    return pd.Series(np.asarray(weights, dtype=float), index=survey.index)


def _index_items(overall_scale: tuple[float, float] | None,
                 index_items: Mapping[str, tuple[float, float]] | None) -> dict:
    if index_items is not None:
        if not isinstance(index_items, Mapping) or not index_items:
            raise TypeError("`index_items` must be a non-empty mapping of column -> (min, max); "
                            f"got {index_items!r}.")
        return {c: (float(lo), float(hi)) for c, (lo, hi) in index_items.items()}
    if overall_scale is None:
        return {}
    return {"overall": (float(overall_scale[0]), float(overall_scale[1]))}


def _satisfaction_index(survey: pd.DataFrame, items: Mapping[str, tuple[float, float]],
                        weights: pd.Series | None) -> tuple[float, int]:
    """Weighted mean over respondents of the mean of their answered items on 0-100."""
    cols = [c for c in items if c in survey]
    if not cols:
        return np.nan, 0
    scaled = pd.DataFrame({c: 100.0 * (survey[c] - items[c][0]) / (items[c][1] - items[c][0])
                           for c in cols}, index=survey.index)
    return _weighted_mean(scaled.mean(axis=1, skipna=True), weights)


def _nps(survey: pd.DataFrame, weights: pd.Series | None) -> tuple[float, int]:
    rec = survey["recommend"]
    promoter = (rec >= 9).astype(float).where(rec.notna())
    detractor = (rec <= 6).astype(float).where(rec.notna())
    p, n = _weighted_mean(promoter, weights)
    d, _ = _weighted_mean(detractor, weights)
    return 100.0 * (p - d), n


def measured_kpis(survey: pd.DataFrame | None = None, finance: pd.DataFrame | None = None, *,
                  overall_scale: tuple[float, float] | None = None, weights: Any = None,
                  satisfaction: Mapping[str, float] | None = None,
                  index_items: Mapping[str, tuple[float, float]] | None = None) -> pd.DataFrame:
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
            raise TypeError("`satisfaction` must be a mapping of KPI key -> value "
                            f"(e.g. stage II headline numbers); got {type(satisfaction).__name__}.")
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
        if "nps" not in rows and "recommend" in survey:
            value, n = _nps(survey, w)
            if n:
                rows["nps"] = {"value": value, "n": n, "source": "survey"}
    if finance is not None and len(finance):
        check_dataframe(finance, "finance")
        if "retention_rate" not in rows and "retained" in finance:
            r = finance["retained"].dropna()
            if len(r):
                rows["retention_rate"] = {"value": 100.0 * float(r.mean()), "n": len(r),
                                          "source": "finance"}
        if "revenue" in finance:
            if "revenue" not in rows:
                rows["revenue"] = {"value": float(finance["revenue"].sum()),
                                   "n": int(finance["revenue"].notna().sum()), "source": "finance"}
            if "revenue_per_customer" not in rows and finance["revenue"].notna().any():
                rows["revenue_per_customer"] = {"value": float(finance["revenue"].mean()),
                                                "n": int(finance["revenue"].notna().sum()),
                                                "source": "finance"}
            if "margin" not in rows and "cost" in finance:
                rev, cost = float(finance["revenue"].sum()), float(finance["cost"].sum())
                if rev != 0:
                    rows["margin"] = {"value": 100.0 * (rev - cost) / rev, "n": len(finance),
                                      "source": "finance"}
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["value", "n", "source"])
    out.index.name = "kpi"
    out["value"] = out["value"].astype(float)
    return out


def goal_status(attainment: Any, *, on_track: float = 0.9, at_risk: float = 0.5) -> Any:
    """Status of a goal from its attainment (share of the planned change achieved).

    Boundary rules (attainment first rounded to 12 decimals, so 0.1 + 0.8 counts as 0.9):

    * ``"on_track"``  when attainment >= ``on_track`` (default 0.9: at most 10% of the
      planned change still to go, or the target met or beaten);
    * ``"at_risk"``   when ``at_risk`` <= attainment < ``on_track`` (default: half or more
      of the planned change achieved);
    * ``"off_track"`` when attainment < ``at_risk`` (including moving the wrong way);
    * ``"no_data"``   when attainment is NaN (no current value).

    Parameters
    ----------
    attainment : float or array-like
    on_track, at_risk : float
        The two boundaries, ``0 <= at_risk < on_track <= 1``.

    Returns
    -------
    str or numpy.ndarray of str

    Examples
    --------
    >>> goal_status(0.9), goal_status(0.5), goal_status(0.49)
    ('on_track', 'at_risk', 'off_track')
    """
    for name, v in (("on_track", on_track), ("at_risk", at_risk)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)):
            raise TypeError(f"`{name}` must be a number; got {v!r}.")
    if not 0 <= at_risk < on_track <= 1:
        raise ValueError("status boundaries must satisfy 0 <= at_risk < on_track <= 1; "
                         f"got at_risk={at_risk!r}, on_track={on_track!r}.")
    a = np.round(np.asarray(attainment, dtype=float), _ROUND)
    out = np.where(np.isnan(a), "no_data",
                   np.where(a >= on_track, "on_track",
                            np.where(a >= at_risk, "at_risk", "off_track")))
    return str(out) if out.ndim == 0 else out.astype(object)


def _attainment(baseline, target, current, direction) -> np.ndarray:
    """Share of the planned change achieved: (current - baseline) / (target - baseline).

    For a hold goal (target == baseline) the span is |target| (1 when the target is 0),
    so attainment = 1 - shortfall / span with the shortfall in the KPI's good direction.
    """
    baseline, target, current = (np.asarray(x, dtype=float) for x in (baseline, target, current))
    sign = np.where(np.asarray(direction) == "lower", -1.0, 1.0)
    span = np.abs(target - baseline)
    span = np.where(span > 0, span, np.where(np.abs(target) > 0, np.abs(target), 1.0))
    shortfall = sign * (target - current)
    return 1.0 - shortfall / span


def goal_scorecard(goals: pd.DataFrame, measured: pd.DataFrame | Mapping[str, float] | None = None,
                   *, on_track: float = 0.9, at_risk: float = 0.5) -> pd.DataFrame:
    """The balanced scorecard: every goal with its current value, attainment and status.

    Parameters
    ----------
    goals : DataFrame
        From :func:`goals_frame`.
    measured : DataFrame or mapping, optional
        KPI values computed from the data (:func:`measured_kpis`, or a mapping KPI key ->
        value). A goal whose KPI is measured takes that value; otherwise it keeps the
        ``current`` value from company.yaml (source ``"company.yaml"``).
    on_track, at_risk : float
        Status boundaries, see :func:`goal_status`.

    Returns
    -------
    pandas.DataFrame
        Indexed by goal key, ordered by perspective, with columns ``perspective``,
        ``label``, ``kpi``, ``unit``, ``owner``, ``direction``, ``weight`` (share of the
        total weight; sums to 1), ``baseline``, ``target``, ``current`` (NaN when
        unknown), ``source`` (``"stage II"``, ``"survey"``, ``"finance"``,
        ``"company.yaml"`` or ``"none"``), ``to_go`` (distance still to cover to the
        target in the KPI's good direction; negative when beaten), ``attainment`` (share
        of the planned change from baseline to target achieved, see :func:`goal_status`)
        and ``status``.

    Examples
    --------
    >>> goals = goals_frame({"csi": {"perspective": "customer", "kpi": "satisfaction_index",
    ...                              "baseline": 60, "target": 70, "weight": 1,
    ...                              "owner": "CEO"}})
    >>> sc = goal_scorecard(goals, {"satisfaction_index": 66.0})
    >>> float(sc.loc["csi", "attainment"]), sc.loc["csi", "status"]
    (0.6, 'at_risk')
    """
    check_dataframe(goals, "goals")
    check_columns(goals, ["perspective", "kpi", "owner", "weight", "direction", "baseline",
                          "target"], "goals")
    goal_status(0.0, on_track=on_track, at_risk=at_risk)  # checks the boundaries
    if measured is None:
        measured_values: dict[str, tuple[float, str]] = {}
    elif isinstance(measured, pd.DataFrame):
        measured_values = {k: (float(r["value"]), str(r.get("source", "data")))
                           for k, r in measured.iterrows()}
    elif isinstance(measured, Mapping):
        measured_values = {k: (float(v), "given") for k, v in measured.items() if v is not None}
    else:
        raise TypeError(f"`measured` must be a DataFrame or a mapping; got {type(measured).__name__}.")
    out = goals.copy()
    if "current" not in out:
        out["current"] = np.nan
    for name in ("label", "unit"):
        if name not in out:
            out[name] = "" if name == "unit" else out.index.astype(str)
    current, source = [], []
    for _key, row in out.iterrows():
        if row["kpi"] in measured_values:
            v, s = measured_values[row["kpi"]]
        elif pd.notna(row["current"]):
            v, s = float(row["current"]), "company.yaml"
        else:
            v, s = np.nan, "none"
        current.append(v)
        source.append(s)
    out["current"] = np.asarray(current, dtype=float)
    out["source"] = source
    total = out["weight"].sum()
    out["weight"] = out["weight"] / total if total > 0 else np.nan
    sign = np.where(out["direction"] == "lower", -1.0, 1.0)
    out["to_go"] = sign * (out["target"] - out["current"])
    out["attainment"] = _attainment(out["baseline"], out["target"], out["current"], out["direction"])
    out["status"] = goal_status(out["attainment"].to_numpy(), on_track=on_track, at_risk=at_risk)
    order = pd.Categorical(out["perspective"], categories=PERSPECTIVES, ordered=True)
    out = out.iloc[np.argsort(order.codes, kind="stable")]
    cols = ["perspective", "label", "kpi", "unit", "owner", "direction", "weight", "baseline",
            "target", "current", "source", "to_go", "attainment", "status"]
    return out[cols]


def overall_attainment(scorecard: pd.DataFrame) -> float:
    """Weighted attainment of all goals with a current value, on 0-1.

    Each goal's attainment is capped to [0, 1] first (beating one target does not make
    up for missing another; moving the wrong way counts as 0), then averaged with the
    goal weights renormalised over the goals that have a current value. NaN when no goal
    has one.
    """
    check_dataframe(scorecard, "scorecard")
    check_columns(scorecard, ["weight", "attainment"], "scorecard")
    ok = scorecard["attainment"].notna()
    if not ok.any():
        return float("nan")
    a = scorecard.loc[ok, "attainment"].clip(0.0, 1.0)
    w = scorecard.loc[ok, "weight"]
    return float((a * w).sum() / w.sum())


def perspective_summary(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Goals, weight and attainment by balanced-scorecard perspective.

    Returns
    -------
    pandas.DataFrame
        Indexed by perspective (all four, in :data:`PERSPECTIVES` order), with columns
        ``n_goals``, ``weight`` (share of the total weight), ``attainment`` (as
        :func:`overall_attainment` within the perspective; NaN when none measured),
        ``on_track``, ``at_risk``, ``off_track`` and ``no_data`` (goal counts).
    """
    rows = []
    for p in PERSPECTIVES:
        part = scorecard[scorecard["perspective"] == p]
        row = {"n_goals": len(part), "weight": float(part["weight"].sum()),
               "attainment": overall_attainment(part) if len(part) else np.nan}
        for s in STATUSES:
            row[s] = int((part["status"] == s).sum())
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(PERSPECTIVES, name="perspective"))


def goal_conflicts(goals: pd.DataFrame, matrix: pd.DataFrame | None = None, *,
                   labels: Mapping[str, str] | None = None,
                   language: str = "en") -> pd.DataFrame:
    """Goals that pull against each other or against stage III's priorities.

    Rules, in the order they are checked:

    * ``conflict``: a ``cut_cost`` goal on an attribute stage III says to ``improve``
      (customers want more of what the goal would cut);
    * ``conflict``: a ``cut_cost`` goal on a ``keep_advantage`` attribute (cutting
      erodes a competitive advantage);
    * ``caution``: an ``improve`` goal on a ``low_priority`` attribute (stage III says
      not to spend there);
    * ``caution``: an ``improve`` goal on a ``maintain_or_reduce`` attribute (already
      performing above what its importance asks);
    * ``conflict``: two goals on the same attribute, one to ``improve`` and one to
      ``cut_cost``;
    * ``caution``: a perspective with no goal (the scorecard is not balanced).

    Parameters
    ----------
    goals : DataFrame
        From :func:`goals_frame` (uses ``perspective``, ``attributes``, ``intent``).
    matrix : DataFrame, optional
        Stage III strategic matrix indexed by attribute key with a ``quadrant`` column
        (``improve``, ``keep_advantage``, ``maintain_or_reduce``, ``low_priority``).
    labels : mapping, optional
        Attribute key -> label, used in the reasons (keys otherwise). Goals are named by
        their ``label`` column when ``goals`` has one.
    language : {"en", "ru"}
        The language of ``reason`` (templates ``sentences.strategy`` of
        ``orient/templates/text/<language>.yaml``).

    Returns
    -------
    pandas.DataFrame
        One row per finding, columns ``goal``, ``other_goal`` (None unless two goals
        clash), ``attribute`` (None for a missing perspective), ``quadrant`` (stage III
        quadrant, None when not known), ``severity`` (``"conflict"`` or ``"caution"``) and
        ``reason`` (a sentence).
    """
    check_dataframe(goals, "goals")
    check_columns(goals, ["perspective"], "goals")
    if matrix is not None:
        check_dataframe(matrix, "matrix")
        check_columns(matrix, ["quadrant"], "matrix")
    check_language(language)
    rows: list[dict[str, Any]] = []
    quadrant = {} if matrix is None else matrix["quadrant"].to_dict()
    # (intent, quadrant) -> (severity, sentence key in templates/text/<language>.yaml)
    rules = {
        ("cut_cost", "improve"): ("conflict", "strategy.conflict_cut_improve"),
        ("cut_cost", "keep_advantage"): ("conflict", "strategy.conflict_cut_advantage"),
        ("improve", "low_priority"): ("caution", "strategy.caution_low_priority"),
        ("improve", "maintain_or_reduce"): ("caution", "strategy.caution_maintain"),
    }
    has_attr = "attributes" in goals and "intent" in goals
    labels = dict(labels or {})

    def quote(text):
        return f"\u00ab{text}\u00bb" if language == "ru" else repr(text)

    def gname(g):
        return quote(str(goals.loc[g, "label"])) if "label" in goals else quote(g)

    def aname(a):
        return quote(str(labels.get(a, a)))

    by_attr: dict[str, list[tuple[str, str]]] = {}
    if has_attr:
        for g, row in goals.iterrows():
            intent = row["intent"]
            for a in row["attributes"] or ():
                if intent is not None:
                    by_attr.setdefault(a, []).append((g, intent))
                q = quadrant.get(a)
                if (intent, q) in rules:
                    sev, key = rules[(intent, q)]
                    rows.append({"goal": g, "other_goal": None, "attribute": a, "quadrant": q,
                                 "severity": sev,
                                 "reason": sentence(key, language, g=gname(g), a=aname(a))})
    for a, items in by_attr.items():
        ups = [g for g, i in items if i == "improve"]
        cuts = [g for g, i in items if i == "cut_cost"]
        for g in cuts:
            for h in ups:
                rows.append({"goal": g, "other_goal": h, "attribute": a,
                             "quadrant": quadrant.get(a), "severity": "conflict",
                             "reason": sentence("strategy.conflict_goals", language,
                                                g=gname(g), a=aname(a), h=gname(h))})
    present = set(goals["perspective"])
    for p in PERSPECTIVES:
        if p not in present:
            rows.append({"goal": None, "other_goal": None, "attribute": None, "quadrant": None,
                         "severity": "caution",
                         "reason": sentence("strategy.caution_perspective", language,
                                            perspective=term("values", p, language))})
    cols = ["goal", "other_goal", "attribute", "quadrant", "severity", "reason"]
    return pd.DataFrame(rows, columns=cols)


def incentive_link(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Which owner is measured on which goals, and with what weight.

    Each owner's incentive weights are that owner's goal weights rescaled to sum to 1.

    Returns
    -------
    pandas.DataFrame
        One row per owner and goal (sorted by owner, then weight descending), columns
        ``owner``, ``goal``, ``perspective``, ``kpi``, ``weight`` (share in the owner's
        scheme; sums to 1 per owner), ``attainment``, ``status`` and
        ``owner_attainment`` (the owner's weighted, capped attainment, as
        :func:`overall_attainment`; NaN when none of the owner's goals is measured) and
        ``customer_weight`` (share of the owner's scheme on customer-perspective goals).
    """
    check_dataframe(scorecard, "scorecard")
    check_columns(scorecard, ["owner", "weight", "perspective", "kpi", "attainment", "status"],
                  "scorecard")
    parts = []
    for _owner, part in scorecard.groupby("owner", sort=True):
        p = part.reset_index(names="goal")
        p["weight"] = p["weight"] / p["weight"].sum()
        p["owner_attainment"] = overall_attainment(p)
        p["customer_weight"] = float(p.loc[p["perspective"] == "customer", "weight"].sum())
        parts.append(p.sort_values("weight", ascending=False, kind="stable"))
    cols = ["owner", "goal", "perspective", "kpi", "weight", "attainment", "status",
            "owner_attainment", "customer_weight"]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]


# ---------------------------------------------------------------------------------
# segments
# ---------------------------------------------------------------------------------


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


def _competitive_gap(part: pd.DataFrame, pairs, weights: pd.Series | None,
                     importance: Mapping[str, float] | None = None) -> float:
    """Mean over attributes of (own - competitor) in points of a 0-100 scale.

    With ``importance`` (attribute -> weight) the mean over attributes is weighted by it;
    attributes it does not name get weight 0.
    """
    gaps, imp = [], []
    for own, comp, lo, hi in pairs:
        if own not in part or comp not in part:
            continue
        d = (part[own] - part[comp]) * 100.0 / (hi - lo)
        m, n = _weighted_mean(d, weights)
        if n:
            gaps.append(m)
            imp.append(1.0 if importance is None else float(importance.get(own, 0.0)))
    if not gaps or sum(imp) <= 0:
        return np.nan
    return float(np.average(gaps, weights=imp))


def segment_profile(survey: pd.DataFrame, finance: pd.DataFrame | None = None,
                    segments: Mapping[str, Any] | None = None, *,
                    overall_scale: tuple[float, float] | None = None,
                    attributes: Sequence[Any] = (), weights: Any = None, min_base: int = 30,
                    index_items: Mapping[str, tuple[float, float]] | None = None,
                    importance: Mapping[str, float] | pd.Series | None = None) -> pd.DataFrame:
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
        raise TypeError("`segment_profile` needs `overall_scale` or `index_items` to compute "
                        "the satisfaction index.")
    rows = []
    for s in names:
        spec = segments.get(s, {})
        part = survey[survey["segment"] == s]
        w = None if w_all is None else w_all.loc[part.index]
        si, n = _satisfaction_index(part, items, w) if len(part) else (np.nan, 0)
        row = {"label": _get(spec, "label") or str(s), "n": n,
               "satisfaction_index": si,
               "competitive_gap": _competitive_gap(part, pairs, w, importance) if len(part) else np.nan,
               "growth": _get(spec, "growth"), "premium": _get(spec, "premium")}
        if fin is not None:
            f = fin[fin["segment"] == s]
            row["customers"] = float(len(f))
            row["revenue"] = float(f["revenue"].sum()) if "revenue" in f else np.nan
            rev = row["revenue"]
            row["margin"] = (100.0 * (rev - float(f["cost"].sum())) / rev
                             if "cost" in f and rev else np.nan)
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
    cols = ["label", "n", "small_base", "customers", "size_share", "size_source",
            "revenue_share", "margin", "growth", "relative_revenue", "satisfaction_index",
            "competitive_gap", "premium"]
    return prof[cols]


def _relative_score(x: pd.Series, spread: float) -> pd.Series:
    """50 + 50 (x - mean over segments) / spread, clipped to 0-100 (NaN stays NaN)."""
    x = x.astype(float)
    return (50.0 + 50.0 * (x - x.mean()) / spread).clip(0.0, 100.0)


def _score(prof: pd.DataFrame, weights: Mapping[str, float], spreads: Mapping[str, Any],
           name: str) -> pd.Series:
    for k, v in weights.items():
        if k not in prof:
            raise ValueError(f"`{name}` names {k!r}, which is not a segment measure; allowed: "
                             + ", ".join(map(str, prof.columns)) + ".")
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
    out = np.where(s >= round(200 / 3, _ROUND), "high",
                   np.where(s >= round(100 / 3, _ROUND), "medium", "low"))
    return pd.Series(out, index=score.index).where(score.notna())


#: default weights of the attractiveness measures
DEFAULT_ATTRACTIVENESS = {"size_share": 1.0, "revenue_share": 1.0, "margin": 1.0, "growth": 1.0}
#: default weights of the ability measures
DEFAULT_ABILITY = {"satisfaction_index": 1.0, "competitive_gap": 1.0}
#: the difference from the all-segment mean that moves a measure's score from 50 to 100
#: (None: the average share, 100 / number of segments)
DEFAULT_SPREADS: dict[str, float | None] = {
    "size_share": None, "revenue_share": None, "margin": 5.0, "growth": 2.5,
    "satisfaction_index": 5.0, "competitive_gap": 5.0,
}


def segment_portfolio(profile: pd.DataFrame, *,
                      attractiveness_weights: Mapping[str, float] | None = None,
                      ability_weights: Mapping[str, float] | None = None,
                      spreads: Mapping[str, float | None] | None = None) -> pd.DataFrame:
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
        ``recommendation`` (``invest``/``selective``/``harvest``; None when a score is
        missing) and ``target`` (bool), sorted by attractiveness, highest first.
    """
    check_dataframe(profile, "profile")
    aw = dict(DEFAULT_ATTRACTIVENESS if attractiveness_weights is None else attractiveness_weights)
    bw = dict(DEFAULT_ABILITY if ability_weights is None else ability_weights)
    sp = dict(DEFAULT_SPREADS)
    for k, v in (spreads or {}).items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0 or not math.isfinite(v):
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
    out["recommendation"] = pd.Series(rec, index=out.index, dtype=object).where(total.notna(), None)
    out["target"] = out["recommendation"] == "invest"
    return out.sort_values("attractiveness", ascending=False, kind="stable")


def direction_reason(label: str, direction: str, *, size_share: float, high_volume: bool,
                     premium: bool, gap: float, large_gap: bool, gap_kind: str = "competitor",
                     relative_revenue: float = float("nan"),
                     recommendation: str | None = None,
                     gap_threshold: float | None = None, language: str = "en") -> str:
    """The recommendation for one segment as a sentence, with its reasons.

    Parameters
    ----------
    label : str
        Segment name as the reader knows it.
    direction : {"innovation", "incremental"}
    size_share : float
        Segment's share of customers, %.
    high_volume, premium, large_gap : bool
        The rule's inputs (see :func:`segment_direction`).
    gap : float
        The competitive gap in points (or the satisfaction index when
        ``gap_kind="satisfaction"``).
    gap_kind : {"competitor", "satisfaction"}
    relative_revenue : float
        Revenue per customer over the average.
    recommendation : str, optional
        The portfolio recommendation; ``"harvest"`` adds a caveat sentence.
    gap_threshold : float, optional
        The threshold used, quoted when the competitor gap is not large.
    language : {"en", "ru"}
        The language of the sentence (templates ``sentences.strategy.direction_*``).

    Returns
    -------
    str
    """
    check_language(language)
    text = _direction_text(label, direction, size_share=size_share, high_volume=high_volume,
                           premium=premium, gap=gap, large_gap=large_gap, gap_kind=gap_kind,
                           relative_revenue=relative_revenue, language=language)
    if gap_threshold is not None and gap_kind == "competitor" and not large_gap and np.isfinite(gap):
        text += " " + sentence("strategy.direction_threshold", language, threshold=gap_threshold)
    if recommendation == "harvest":
        text += " " + sentence("strategy.direction_harvest", language)
    return text


def _direction_text(label, direction, *, size_share, high_volume, premium, gap, large_gap,
                    gap_kind, relative_revenue, language="en") -> str:
    def say(key, **values):
        return sentence("strategy." + key, language, **values)

    vol = say("direction_volume", high_volume=high_volume, share=size_share)
    vol = vol[0].upper() + vol[1:]
    if gap_kind == "competitor":
        where = say("direction_where", kind="none" if not np.isfinite(gap) else
                    ("behind" if gap < 0 else "ahead"), gap=abs(gap))
    else:
        where = say("direction_where", kind="satisfaction", gap=gap)
    prem = ""
    if premium:
        prem = say("direction_premium",
                   ratio=relative_revenue if np.isfinite(relative_revenue) else None)
    if direction == "innovation":
        case = "innovation"
    elif premium and not high_volume:
        case = "premium_low_volume"
    elif high_volume:
        case = "high_volume"
    else:
        case = "low_volume"
    return say("direction_" + case, label=label, volume=vol, where=where, premium=prem,
               large_gap=large_gap)


def segment_direction(profile: pd.DataFrame, *, gap_threshold: float = 2.5,
                      low_satisfaction: float = 70.0, premium_ratio: float = 1.2,
                      language: str = "en") -> pd.DataFrame:
    """Incremental improvement or innovation per segment, by the model's rule of thumb.

    * **high volume**: the segment's share of customers is at least the average share
      (``size_share >= 100 / number of segments``);
    * **large gap**: the competitive gap is ``<= -gap_threshold`` points on 0-100
      (default 2.5: a deficit averaged over *all* attributes, a quarter of a point on a
      1-10 scale, is a consistent one, not one weak attribute); when a segment has no
      competitor ratings, a satisfaction index ``< low_satisfaction``;
    * **premium**: company.yaml's ``premium`` when given, else revenue per customer at
      least ``premium_ratio`` times the average (``relative_revenue >= premium_ratio``).

    A high-volume segment with a large gap gets ``innovation`` (a major redesign to cut
    cost); every other segment gets ``incremental`` (small refinements), low-volume
    premium segments above all. Boundaries count as meeting the condition. When
    ``profile`` holds the portfolio ``recommendation``, the reason for a ``harvest``
    segment adds that the direction applies only if the company keeps serving it.

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
    language : {"en", "ru"}
        The language of ``reason``.

    Returns
    -------
    pandas.DataFrame
        Indexed by segment, columns ``label``, ``size_share``, ``high_volume``,
        ``relative_revenue``, ``premium``, ``competitive_gap``, ``large_gap``,
        ``direction`` (``"innovation"`` or ``"incremental"``) and ``reason`` (sentences
        from :func:`direction_reason`).
    """
    check_dataframe(profile, "profile")
    check_columns(profile, ["label", "size_share", "relative_revenue", "satisfaction_index",
                            "competitive_gap"], "profile")
    for name, v in (("gap_threshold", gap_threshold), ("low_satisfaction", low_satisfaction),
                    ("premium_ratio", premium_ratio)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise TypeError(f"`{name}` must be a finite number; got {v!r}.")
        if v < 0:
            raise ValueError(f"`{name}` must be >= 0; got {v!r}.")
    k = len(profile)
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
            large_gap, kind, shown = round(gap, _ROUND) <= -gap_threshold, "competitor", gap
        else:
            si = float(r["satisfaction_index"])
            large_gap, kind, shown = bool(np.isfinite(si) and si < low_satisfaction), "satisfaction", si
        direction = "innovation" if (high_volume and large_gap) else "incremental"
        rec = r["recommendation"] if "recommendation" in r else None
        rows.append({"label": r["label"], "size_share": share, "high_volume": high_volume,
                     "relative_revenue": rel, "premium": premium, "competitive_gap": gap,
                     "large_gap": bool(large_gap), "direction": direction,
                     "reason": direction_reason(str(r["label"]), direction, size_share=share,
                                                high_volume=high_volume, premium=premium,
                                                gap=shown, large_gap=bool(large_gap),
                                                gap_kind=kind, relative_revenue=rel,
                                                recommendation=rec,
                                                gap_threshold=gap_threshold,
                                                language=language)})
    out = pd.DataFrame(rows, index=profile.index)
    return out


# ---------------------------------------------------------------------------------
# the stage as a whole
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StrategyResult:
    """Everything stage I computes for one company.

    Attributes
    ----------
    scorecard : DataFrame
        :func:`goal_scorecard`.
    perspectives : DataFrame
        :func:`perspective_summary`.
    overall_attainment : float
        :func:`overall_attainment` (0-1; NaN when no goal is measured).
    conflicts : DataFrame
        :func:`goal_conflicts`.
    incentives : DataFrame
        :func:`incentive_link`.
    kpis : DataFrame
        :func:`measured_kpis`.
    portfolio : DataFrame
        :func:`segment_portfolio` (empty when the survey has no segments).
    direction : DataFrame
        :func:`segment_direction` (empty when the survey has no segments).
    targets : tuple of str
        The target segments (recommendation ``invest``), most attractive first.
    notes : tuple of str
        What was left out and why, in plain words (in ``language``).
    language : str
        The language of the result's sentences (``company.language``).
    """

    scorecard: pd.DataFrame
    perspectives: pd.DataFrame
    overall_attainment: float
    conflicts: pd.DataFrame
    incentives: pd.DataFrame
    kpis: pd.DataFrame
    portfolio: pd.DataFrame
    direction: pd.DataFrame
    targets: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    language: str = "en"


def _latest_wave(survey: pd.DataFrame) -> Any:
    """The latest wave present in the survey (category order, else sorted), or None."""
    if "wave" not in survey or not survey["wave"].notna().any():
        return None
    wave = survey["wave"]
    present = set(wave.dropna().unique())
    if isinstance(wave.dtype, pd.CategoricalDtype) and wave.cat.ordered:
        order = [w for w in wave.cat.categories if w in present]
    else:
        order = sorted(present, key=str)
    return order[-1]


def _check_goal_attributes(goals: pd.DataFrame, known: set[str]) -> None:
    for g, row in goals.iterrows():
        for i, a in enumerate(row["attributes"]):
            if a not in known:
                raise DataError("goal names an unknown attribute", file="company.yaml",
                                column=f"goals.{g}.attributes[{i}]", value=a,
                                expected="one of " + ", ".join(sorted(known)))


@_memoised
def analyse(company: Any, satisfaction: Mapping[str, float] | None = None,
            priorities: pd.DataFrame | None = None, *, on_track: float = 0.9,
            at_risk: float = 0.5, gap_threshold: float = 2.5,
            premium_ratio: float = 1.2) -> StrategyResult:
    """Stage I for one company: goal scorecard, segment portfolio and direction.

    Parameters
    ----------
    company : orient.Company
        From :func:`orient.load_company`; uses ``profile.goals``, ``profile.segments``,
        ``survey``, ``finance``, ``attributes``, ``weights``, ``min_base``. When the
        survey has waves, current values and segment scores use the latest wave only.
    satisfaction : mapping, optional
        Stage II numbers, KPI key -> value (``satisfaction_index`` 0-100, ``nps``); when
        absent they are computed from the survey with the module's simple formulas.
    priorities : DataFrame, optional
        Stage III strategic matrix (indexed by attribute key, with ``quadrant`` and
        ``importance``), or a stage III result holding it as ``.matrix``; used to flag goals that conflict with the priorities and to
        weight each segment's competitive gap by attribute importance.
    on_track, at_risk : float
        Status boundaries (:func:`goal_status`).
    gap_threshold, premium_ratio : float
        Rule-of-thumb settings (:func:`segment_direction`).

    Returns
    -------
    StrategyResult
    """
    profile = company.profile
    language = company_language(company)
    notes: list[str] = []

    def note(key, **values):
        notes.append(sentence("strategy.note_" + key, language, **values))

    goals = goals_frame(getattr(profile, "goals", None) or {})
    attributes = list(getattr(company, "attributes", []) or [])
    known = {a.key for a in attributes}
    if known:
        _check_goal_attributes(goals, known)
    survey = company.survey
    latest = _latest_wave(survey)
    if latest is not None:
        survey = survey[survey["wave"] == latest]
        note("latest_wave", wave=latest, n=len(survey))
    scale = company.scale("overall") if "overall" in survey else None
    index_items = {c: company.scale(c) for c in getattr(company, "satisfaction_items", ["overall"])
                   if c in survey}
    kpis = measured_kpis(survey, company.finance, index_items=index_items or None,
                         overall_scale=scale, weights=company.weights,
                         satisfaction=satisfaction)
    if isinstance(getattr(priorities, "matrix", None), pd.DataFrame):
        priorities = priorities.matrix  # a stage III result: take its strategic matrix
    if priorities is not None and not isinstance(priorities, pd.DataFrame):
        raise TypeError("`priorities` must be the stage III strategic matrix (a DataFrame "
                        f"indexed by attribute with a `quadrant` column); got {type(priorities).__name__}.")
    importance = None
    if priorities is not None and "importance" in priorities:
        importance = priorities["importance"].dropna().clip(lower=0.0)
    scorecard = goal_scorecard(goals, kpis, on_track=on_track, at_risk=at_risk)
    if len(goals) == 0:
        note("no_goals")
    missing = scorecard.index[scorecard["status"] == "no_data"]
    if len(missing):
        note("no_current", goals=", ".join(map(str, missing)))
    if priorities is None:
        note("no_priorities")
    labels = {a.key: a.label for a in attributes}
    conflicts = goal_conflicts(goals, priorities, labels=labels, language=language)
    incentives = incentive_link(scorecard)
    seg_specs = dict(getattr(profile, "segments", None) or {})
    if "segment" in survey:
        blank = survey["segment"] == NO_SEGMENT
        if blank.any():
            note("no_segment", n=int(blank.sum()))
            survey = survey[~blank]
        present = set(survey["segment"].dropna())
        unknown = [k for k in seg_specs if k not in present]
        if unknown:
            warnings.warn("company.yaml segments not found in the survey: "
                          + ", ".join(map(str, unknown)) + " (check the spelling); they are "
                          "left out of the segment choice.", OrientWarning, stacklevel=2)
            note("unknown_segments", segments=", ".join(map(str, unknown)))
            seg_specs = {k: v for k, v in seg_specs.items() if k in present}
    if "segment" in survey and survey["segment"].notna().any():
        prof = segment_profile(survey, company.finance, seg_specs,
                               overall_scale=scale, index_items=index_items or None,
                               attributes=attributes, weights=company.weights,
                               min_base=company.min_base, importance=importance)
        portfolio = segment_portfolio(prof)
        direction = segment_direction(portfolio, gap_threshold=gap_threshold,
                                      premium_ratio=premium_ratio, language=language)
        small = portfolio.index[portfolio["small_base"]]
        if len(small):
            warnings.warn(f"segment(s) {', '.join(map(str, small))} have fewer than "
                          f"{company.min_base} respondents: read their ability scores with care.",
                          OrientWarning, stacklevel=2)
            note("small_base", min_base=company.min_base, segments=", ".join(map(str, small)))
        if (portfolio["size_source"] == "survey").any():
            note("respondent_counts")
        targets = tuple(str(s) for s in portfolio.index[portfolio["target"]])
    else:
        portfolio = pd.DataFrame()
        direction = pd.DataFrame()
        targets = ()
        note("no_segment_column")
    return StrategyResult(
        scorecard=scorecard, perspectives=perspective_summary(scorecard),
        overall_attainment=overall_attainment(scorecard) if len(scorecard) else float("nan"),
        conflicts=conflicts, incentives=incentives, kpis=kpis, portfolio=portfolio,
        direction=direction, targets=targets, notes=tuple(notes), language=language)


_STATUS_WORDS = {"on_track": "on track", "at_risk": "at risk", "off_track": "off track",
                 "no_data": "no data"}


def _show_number(v: float) -> str:
    if pd.isna(v):
        return ""
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def scorecard_table(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as a reader sees it: plain column names, values rounded for display.

    Returns
    -------
    pandas.DataFrame
        Indexed by goal label, columns ``Perspective``, ``KPI``, ``Owner``,
        ``Weight %``, ``Baseline``, ``Target``, ``Current``, ``Source``,
        ``Attainment %`` and ``Status``.
    """
    check_dataframe(scorecard, "scorecard")
    t = pd.DataFrame({
        "Perspective": scorecard["perspective"],
        "KPI": [f"{k} ({u})" if u else str(k) for k, u in zip(scorecard["kpi"], scorecard["unit"],
                                                             strict=True)],
        "Owner": scorecard["owner"],
        "Weight %": (100 * scorecard["weight"]).round(0),
        "Baseline": scorecard["baseline"].map(_show_number),
        "Target": scorecard["target"].map(_show_number),
        "Current": scorecard["current"].map(_show_number),
        "Source": scorecard["source"],
        "Attainment %": (100 * scorecard["attainment"]).round(0),
        "Status": scorecard["status"].map(_STATUS_WORDS),
    })
    t.index = pd.Index(scorecard["label"], name="Goal")
    return t


def portfolio_table(portfolio: pd.DataFrame, direction: pd.DataFrame | None = None) -> pd.DataFrame:
    """The segment portfolio as a reader sees it (values rounded for display).

    Returns
    -------
    pandas.DataFrame
        Indexed by segment label, columns ``Respondents``, ``Customers %``,
        ``Revenue %``, ``Margin %``, ``Growth % a year``, ``Satisfaction index``,
        ``Gap to competitor``, ``Attractiveness``, ``Ability``, ``Recommendation`` and,
        with ``direction``, ``Direction``; a small base is marked in ``Respondents``.
    """
    check_dataframe(portfolio, "portfolio")
    t = pd.DataFrame({
        "Respondents": [f"{n} (small base)" if small else str(n)
                        for n, small in zip(portfolio["n"], portfolio["small_base"], strict=True)],
        "Customers %": portfolio["size_share"].round(1),
        "Revenue %": portfolio["revenue_share"].round(1),
        "Margin %": portfolio["margin"].round(1),
        "Growth % a year": portfolio["growth"].round(1),
        "Satisfaction index": portfolio["satisfaction_index"].round(1),
        "Gap to competitor": portfolio["competitive_gap"].round(1),
        "Attractiveness": portfolio["attractiveness"].round(0),
        "Ability": portfolio["ability"].round(0),
        "Recommendation": portfolio["recommendation"],
    })
    if direction is not None:
        t["Direction"] = direction["direction"].reindex(portfolio.index)
    t.index = pd.Index(portfolio["label"], name="Segment")
    return t


def summary_sentences(result: StrategyResult, language: str | None = None) -> list[str]:
    """Stage I in a few plain sentences for executives.

    Parameters
    ----------
    result : StrategyResult
    language : {"en", "ru"}, optional
        The language of the sentences; by default the result's (``company.language``).

    Returns
    -------
    list of str
    """
    if not isinstance(result, StrategyResult):
        raise TypeError(f"`result` must be a StrategyResult; got {type(result).__name__}.")
    language = check_language(result.language if language is None else language)

    def say(key, **values):
        return sentence("strategy.summary_" + key, language, **values)

    out = []
    sc = result.scorecard
    if len(sc):
        counts = {s: int((sc["status"] == s).sum()) for s in STATUSES}
        att = result.overall_attainment
        out.append(say("goals", n=len(sc), attainment=att if np.isfinite(att) else None,
                       **counts))
        off = sc[sc["status"] == "off_track"]
        if len(off):
            out.append(say("off_track", goals="; ".join(
                f"{r['label']} ({r['owner']})" for _, r in off.iterrows())))
    c = result.conflicts
    if len(c):
        hard = c[c["severity"] == "conflict"]
        if len(hard):
            out.append(say("conflicts", n=len(hard), reasons="; ".join(hard["reason"])))
    pf = result.portfolio
    if len(pf):
        labels = pf["label"].to_dict()
        if result.targets:
            out.append(say("targets", segments=", ".join(str(labels[t]) for t in result.targets)))
        else:
            out.append(say("no_targets"))
        harvest = pf.index[pf["recommendation"] == "harvest"]
        if len(harvest):
            out.append(say("harvest", segments=", ".join(str(labels[h]) for h in harvest)))
    d = result.direction
    if len(d):
        inno = d.index[d["direction"] == "innovation"]
        out.append(say("innovation", segments=", ".join(str(d.loc[i, "label"]) for i in inno))
                   if len(inno) else say("incremental"))
    return out


def _num(x: Any) -> float | None:
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def headline(result: StrategyResult) -> dict[str, Any]:
    """Stage I's headline numbers for summary.json (JSON-safe; None where unknown).

    Returns
    -------
    dict
        ``goals`` (count), ``overall_attainment`` (0-1), ``on_track``, ``at_risk``,
        ``off_track``, ``no_data`` (goal counts), ``conflicts`` (findings of severity
        ``conflict``), ``cautions``, ``segments`` (count), ``target_segments`` (list),
        ``invest``, ``selective``, ``harvest`` (lists of segments) and
        ``innovation_segments`` (list).
    """
    if not isinstance(result, StrategyResult):
        raise TypeError(f"`result` must be a StrategyResult; got {type(result).__name__}.")
    sc = result.scorecard
    out: dict[str, Any] = {"goals": int(len(sc)),
                           "overall_attainment": _num(result.overall_attainment)}
    for s in STATUSES:
        out[s] = int((sc["status"] == s).sum()) if len(sc) else 0
    sev = result.conflicts["severity"] if len(result.conflicts) else pd.Series([], dtype=object)
    out["conflicts"] = int((sev == "conflict").sum())
    out["cautions"] = int((sev == "caution").sum())
    pf = result.portfolio
    out["segments"] = int(len(pf))
    out["target_segments"] = [str(s) for s in result.targets]
    for rec in ("invest", "selective", "harvest"):
        out[rec] = [str(s) for s in pf.index[pf["recommendation"] == rec]] if len(pf) else []
    d = result.direction
    out["innovation_segments"] = ([str(s) for s in d.index[d["direction"] == "innovation"]]
                                  if len(d) else [])
    return out
