"""Stage I explorers: weights of the segment portfolio, boundaries of the goal scorecard."""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from orient import stages, strategy
from orient.errors import OrientWarning
from orient.present import plots
from orient.present.widgets.explorer import (
    Explorer,
    View,
    _new_figure,
    _slider,
)

__all__ = [
    "scorecard_explorer",
    "segment_portfolio_explorer",
]


_MEASURE_NAMES = {
    "size_share": "Customers (share)",
    "revenue_share": "Revenue (share)",
    "margin": "Margin",
    "growth": "Growth",
    "satisfaction_index": "Satisfaction index",
    "competitive_gap": "Gap to competitor",
}


def _strategy_result(company: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        # stage III feeds stage I as in notebook 01 and the summary (orient.stages)
        return stages.analyse(company, "strategy")


def segment_portfolio_explorer(
    company: Any, *, figsize: tuple[float, float] = (7.0, 6.0)
) -> Explorer:
    """Weigh what makes a segment attractive and what says the company can satisfy it.

    Controls: one weight slider (0-3) per measure: ``size_share``, ``revenue_share``,
    ``margin``, ``growth`` (attractiveness) and ``satisfaction_index``,
    ``competitive_gap`` (ability). ``result`` is
    :func:`orient.strategy.segment_portfolio` with those weights; the figure is
    :func:`orient.present.plots.segment_portfolio_plot`.

    Parameters
    ----------
    company : orient.Company or DataFrame
        A company (its segments are measured by :func:`orient.strategy.analyse`), or a
        :func:`orient.strategy.segment_profile` / portfolio DataFrame.
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    if isinstance(company, pd.DataFrame):
        profile = company
    else:
        profile = _strategy_result(company).portfolio
    if profile.empty:
        raise ValueError("The company has no segments to place: the survey has no segment column.")
    attract = list(strategy.DEFAULT_ATTRACTIVENESS)
    ability = list(strategy.DEFAULT_ABILITY)
    controls = {
        k: _slider(
            "float", float(v), 0.0, 3.0, description=f"{_MEASURE_NAMES.get(k, k)} weight", step=0.25
        )
        for k, v in {**strategy.DEFAULT_ATTRACTIVENESS, **strategy.DEFAULT_ABILITY}.items()
    }

    def compute(**w: float) -> View:
        portfolio = strategy.segment_portfolio(
            profile,
            attractiveness_weights={k: w[k] for k in attract},
            ability_weights={k: w[k] for k in ability},
        )
        fig, ax = _new_figure(figsize)
        plots.segment_portfolio_plot(portfolio, ax=ax)
        rec = {
            r: [
                str(portfolio.loc[s, "label"])
                for s in portfolio.index
                if portfolio.loc[s, "recommendation"] == r
            ]
            for r in ("invest", "selective", "harvest")
        }
        text = "; ".join(f"{r}: {', '.join(v)}" for r, v in rec.items() if v) or (
            "No recommendation: give at least one weight above 0 on each axis."
        )
        return View(portfolio, fig, strategy.portfolio_table(portfolio), text)

    return Explorer(
        "Segment portfolio: attractiveness against ability to satisfy", controls, compute
    )


def scorecard_explorer(company: Any, *, figsize: tuple[float, float] = (11.0, 5.0)) -> Explorer:
    """Move the status boundaries of the goal scorecard.

    Controls: ``on_track`` and ``at_risk`` (shares of the planned change achieved).
    ``result`` is :func:`orient.strategy.goal_scorecard` of the company's goals and
    measured KPIs (as :func:`orient.strategy.analyse` computes them); the figure is
    :func:`orient.present.plots.scorecard_plot`.

    Parameters
    ----------
    company : orient.Company
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    res = _strategy_result(company)
    goals = strategy.goals_frame(getattr(company.profile, "goals", None) or {})
    if goals.empty:
        raise ValueError("company.yaml has no goals: there is no scorecard to explore.")
    controls = {
        "on_track": _slider(
            "float", 0.9, 0.05, 1.0, description="On track from (share achieved)", step=0.05
        ),
        "at_risk": _slider(
            "float", 0.5, 0.0, 0.95, description="At risk from (share achieved)", step=0.05
        ),
    }

    def compute(on_track: float, at_risk: float) -> View:
        card = strategy.goal_scorecard(goals, res.kpis, on_track=on_track, at_risk=at_risk)
        fig, ax = _new_figure(figsize)
        plots.scorecard_plot(card, on_track=on_track, at_risk=at_risk, ax=ax)
        counts = card["status"].value_counts()
        text = (
            ", ".join(
                f"{int(counts[s])} {s.replace('_', ' ')}" for s in strategy.STATUSES if s in counts
            )
            + f"; overall attainment "
            f"{100 * strategy.overall_attainment(card):.0f}%."
        )
        return View(card, fig, strategy.scorecard_table(card), text)

    return Explorer("Goal scorecard: when is a goal on track?", controls, compute)
