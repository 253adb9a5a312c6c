"""Stage I for one company: :func:`analyse` and the numbers for summary.json.

:func:`analyse` runs the three questions of the stage on a :class:`orient.Company`:
the goal scorecard (:mod:`~orient.strategy.scorecard`, with the current KPI values of
:mod:`~orient.strategy.kpis`), the segment portfolio and the direction per segment
(:mod:`~orient.strategy.portfolio`), with the sentences of
:mod:`~orient.strategy.narrative`; :func:`headline` gives the numbers for the
executive summary.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from orient._json import number as _num
from orient._memo import memoised as _memoised
from orient.data.survey import NO_SEGMENT as _NO_SEGMENT
from orient.errors import DataError, OrientWarning
from orient.i18n import company_language
from orient.strategy._common import _ROUND
from orient.strategy.kpis import measured_kpis
from orient.strategy.narrative import goal_conflicts, note_sentence, segment_direction
from orient.strategy.portfolio import segment_portfolio, segment_profile
from orient.strategy.result import StrategyResult
from orient.strategy.scorecard import (
    STATUSES,
    goal_scorecard,
    goals_frame,
    incentive_link,
    overall_attainment,
    perspective_summary,
)

__all__ = ["NO_SEGMENT", "StrategyResult", "analyse", "headline"]

#: the segment the loader gives respondents with a blank segment; not a segment to choose
NO_SEGMENT = _NO_SEGMENT


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
                raise DataError(
                    "goal names an unknown attribute",
                    file="company.yaml",
                    column=f"goals.{g}.attributes[{i}]",
                    value=a,
                    expected="one of " + ", ".join(sorted(known)),
                )


@_memoised
def analyse(
    company: Any,
    satisfaction: Mapping[str, float] | None = None,
    priorities: pd.DataFrame | None = None,
    *,
    on_track: float = 0.9,
    at_risk: float = 0.5,
    gap_threshold: float = 2.5,
    premium_ratio: float = 1.2,
) -> StrategyResult:
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
        notes.append(note_sentence(key, language, **values))

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
    index_items = {
        c: company.scale(c)
        for c in getattr(company, "satisfaction_items", ["overall"])
        if c in survey
    }
    kpis = measured_kpis(
        survey,
        company.finance,
        index_items=index_items or None,
        overall_scale=scale,
        weights=company.weights,
        satisfaction=satisfaction,
        recommend_scale=company.scale("recommend") if "recommend" in survey else (0.0, 10.0),
    )
    if isinstance(getattr(priorities, "matrix", None), pd.DataFrame):
        priorities = priorities.matrix  # a stage III result: take its strategic matrix
    if priorities is not None and not isinstance(priorities, pd.DataFrame):
        raise TypeError(
            "`priorities` must be the stage III strategic matrix (a DataFrame "
            f"indexed by attribute with a `quadrant` column); got {type(priorities).__name__}."
        )
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
            warnings.warn(
                "company.yaml segments not found in the survey: "
                + ", ".join(map(str, unknown))
                + " (check the spelling); they are "
                "left out of the segment choice.",
                OrientWarning,
                stacklevel=2,
            )
            note("unknown_segments", segments=", ".join(map(str, unknown)))
            seg_specs = {k: v for k, v in seg_specs.items() if k in present}
    if "segment" in survey and survey["segment"].notna().any():
        prof = segment_profile(
            survey,
            company.finance,
            seg_specs,
            overall_scale=scale,
            index_items=index_items or None,
            attributes=attributes,
            weights=company.weights,
            min_base=company.min_base,
            importance=importance,
        )
        # below the minimum base no satisfaction figure is shown (as in stage II): a
        # small segment's index and gap are left out of the table, the scores and the
        # direction, which then rest on the segments with the base
        if len(prof):
            prof.loc[prof["small_base"], ["satisfaction_index", "competitive_gap"]] = np.nan
        portfolio = segment_portfolio(prof)
        direction = segment_direction(
            portfolio, gap_threshold=gap_threshold, premium_ratio=premium_ratio, language=language
        )
        small = portfolio.index[portfolio["small_base"]]
        if len(small):
            warnings.warn(
                f"segment(s) {', '.join(map(str, small))} have fewer than "
                f"{company.min_base} respondents: their satisfaction index and gap to the "
                "competitor are not shown.",
                OrientWarning,
                stacklevel=2,
            )
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
        scorecard=scorecard,
        perspectives=perspective_summary(scorecard),
        overall_attainment=overall_attainment(scorecard) if len(scorecard) else float("nan"),
        conflicts=conflicts,
        incentives=incentives,
        kpis=kpis,
        portfolio=portfolio,
        direction=direction,
        targets=targets,
        notes=tuple(notes),
        language=language,
        uses_priorities=priorities is not None,
    )


def headline(result: StrategyResult) -> dict[str, Any]:
    """Stage I's headline numbers for summary.json (JSON-safe; None where unknown).

    Returns
    -------
    dict
        ``goals`` (count), ``overall_attainment`` (0-1, each goal capped to 0-1),
        ``on_track``, ``at_risk``, ``off_track``, ``no_data`` (goal counts),
        ``wrong_way`` (goals with a negative attainment, counted as 0 in the overall), ``conflicts`` (findings of severity
        ``conflict``), ``cautions``, ``segments`` (count), ``target_segments`` (list),
        ``invest``, ``selective``, ``harvest`` (lists of segments) and
        ``innovation_segments`` (list).
    """
    if not isinstance(result, StrategyResult):
        raise TypeError(f"`result` must be a StrategyResult; got {type(result).__name__}.")
    sc = result.scorecard
    out: dict[str, Any] = {
        "goals": int(len(sc)),
        "overall_attainment": _num(result.overall_attainment),
    }
    for s in STATUSES:
        out[s] = int((sc["status"] == s).sum()) if len(sc) else 0
    # goals that moved the wrong way: counted as 0 in overall_attainment, said so
    out["wrong_way"] = (
        int((np.round(sc["attainment"].astype(float), _ROUND) < 0).sum()) if len(sc) else 0
    )
    sev = result.conflicts["severity"] if len(result.conflicts) else pd.Series([], dtype=object)
    out["conflicts"] = int((sev == "conflict").sum())
    out["cautions"] = int((sev == "caution").sum())
    pf = result.portfolio
    out["segments"] = int(len(pf))
    out["target_segments"] = [str(s) for s in result.targets]
    for rec in ("invest", "selective", "harvest"):
        out[rec] = [str(s) for s in pf.index[pf["recommendation"] == rec]] if len(pf) else []
    d = result.direction
    out["innovation_segments"] = (
        [str(s) for s in d.index[d["direction"] == "innovation"]] if len(d) else []
    )
    return out
