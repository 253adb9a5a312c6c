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
numbers for the executive summary. The formulas of the KPIs computed from the data are
listed in :mod:`orient.strategy.kpis`.

Modules:

* ``kpis`` -- current KPI values from the survey and finance tables (:func:`measured_kpis`).
* ``scorecard`` -- goals, the balanced scorecard, statuses, attainment, incentives.
* ``conflicts`` -- goals that pull against each other or against stage III's priorities.
* ``portfolio`` -- segment profile, nine-box portfolio, the direction rule of thumb.
* ``narrative`` -- the sentences: conflict and direction reasons, notes, the summary.
* ``display`` -- the tables for readers (goals, scorecard, perspectives, conflicts,
  incentives, segment profile, portfolio), in the report's language.
* ``result`` -- :class:`StrategyResult`.
* ``stage`` -- :func:`analyse` on a company and :func:`headline` for summary.json.
"""

from orient.strategy.conflicts import conflict_findings
from orient.strategy.display import (
    conflicts_table,
    goals_table,
    incentives_table,
    perspectives_table,
    portfolio_table,
    scorecard_table,
    segment_profile_table,
)
from orient.strategy.kpis import COMPUTABLE_KPIS, measured_kpis
from orient.strategy.narrative import (
    direction_reason,
    goal_conflicts,
    inputs_sentences,
    segment_direction,
    summary_sentences,
)
from orient.strategy.portfolio import (
    DEFAULT_ABILITY,
    DEFAULT_ATTRACTIVENESS,
    DEFAULT_SPREADS,
    direction_rule,
    segment_portfolio,
    segment_profile,
)
from orient.strategy.result import StrategyResult
from orient.strategy.scorecard import (
    INTENTS,
    PERSPECTIVES,
    STATUSES,
    goal_scorecard,
    goal_status,
    goals_frame,
    incentive_link,
    overall_attainment,
    perspective_summary,
)
from orient.strategy.stage import NO_SEGMENT, analyse, headline

__all__ = [
    "COMPUTABLE_KPIS",
    "DEFAULT_ABILITY",
    "DEFAULT_ATTRACTIVENESS",
    "DEFAULT_SPREADS",
    "INTENTS",
    "NO_SEGMENT",
    "PERSPECTIVES",
    "STATUSES",
    "StrategyResult",
    "analyse",
    "conflict_findings",
    "conflicts_table",
    "direction_reason",
    "direction_rule",
    "goal_conflicts",
    "goal_scorecard",
    "goal_status",
    "goals_frame",
    "goals_table",
    "headline",
    "incentive_link",
    "incentives_table",
    "measured_kpis",
    "overall_attainment",
    "perspective_summary",
    "perspectives_table",
    "portfolio_table",
    "scorecard_table",
    "segment_direction",
    "segment_portfolio",
    "segment_profile",
    "segment_profile_table",
    "inputs_sentences",
    "summary_sentences",
]
