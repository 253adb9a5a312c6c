"""The result of stage I: everything :func:`orient.strategy.analyse` computes."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

__all__ = ["StrategyResult"]


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
    uses_priorities : bool
        Whether stage III's strategic matrix was there to check the goals against.
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
    uses_priorities: bool = False
