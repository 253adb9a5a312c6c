"""Every figure orient draws: one function per chart, one module per stage.

Each function takes a result (a tidy DataFrame from an analysis function) first,
everything else keyword-only, and ``ax=``; it draws on ``ax`` (or ``plt.gca()``)
and returns it. Plots draw results; they never compute them. They never call
``plt.show()``. Every function also takes ``language="en"`` (keyword) and draws its
texts and numbers in that language (``plot_text``, ``language_ticks``).

Modules
-------
common
    ``PALETTE``, the axes helper, ``plot_text`` and the tick formatter.
strategy
    Stage I: goal scorecard, segment portfolio.
satisfaction
    Stage II: measures by segment and wave, NPS composition, the chain, IPMA.
priorities
    Stage III: derived importance, competitive gaps, strategic matrix, factors.
implementation
    Stage IV: house of quality (a heatmap), action plan, what-if, conjoint, payback.
operations
    Call centre (staffing, service level, Erlang C curve), claims, control charts,
    OC curve, CRM funnel, Pareto, receivables.

Examples
--------
>>> import pandas as pd
>>> from matplotlib.figure import Figure
>>> from orient.present import plots
>>> drivers = pd.DataFrame({"share": [0.6, 0.4]}, index=["price", "delivery"])
>>> ax = Figure().add_subplot()
>>> plots.importance_plot(drivers, ax=ax) is ax
True
>>> [t.get_text() for t in ax.get_yticklabels()]  # largest on top
['delivery', 'price']
"""

from orient.present.plots.callcentre import roster_plot
from orient.present.plots.common import PALETTE, describe, description, show
from orient.present.plots.implementation import (
    action_plan_plot,
    conjoint_importance_plot,
    house_of_quality_plot,
    market_share_plot,
    partworths_plot,
    payback_plot,
    technical_importance_plot,
    what_if_plot,
)
from orient.present.plots.operations import (
    claims_plot,
    control_chart_plot,
    funnel_plot,
    oc_curve_plot,
    pareto_plot,
    receivables_plot,
    service_level_curve_plot,
    service_level_plot,
    staffing_plot,
)
from orient.present.plots.priorities import (
    competitive_performance_plot,
    importance_plot,
    penalty_reward_plot,
    strategic_matrix_plot,
)
from orient.present.plots.satisfaction import (
    nps_composition_plot,
    segment_index_plot,
    wave_change_plot,
)
from orient.present.plots.satisfaction_model import attribute_effects_plot, chain_plot, ipma_plot
from orient.present.plots.spc import complaints_trend_plot, time_weighted_plot
from orient.present.plots.strategy import scorecard_plot, segment_portfolio_plot

__all__ = [
    "PALETTE",
    "describe",
    "description",
    "show",
    # stage I
    "scorecard_plot",
    "segment_portfolio_plot",
    # stage II
    "attribute_effects_plot",
    "chain_plot",
    "ipma_plot",
    "nps_composition_plot",
    "segment_index_plot",
    "wave_change_plot",
    # stage III
    "competitive_performance_plot",
    "importance_plot",
    "penalty_reward_plot",
    "strategic_matrix_plot",
    # stage IV
    "action_plan_plot",
    "conjoint_importance_plot",
    "house_of_quality_plot",
    "market_share_plot",
    "partworths_plot",
    "payback_plot",
    "technical_importance_plot",
    "what_if_plot",
    # operations
    "claims_plot",
    "control_chart_plot",
    "funnel_plot",
    "oc_curve_plot",
    "pareto_plot",
    "receivables_plot",
    "service_level_curve_plot",
    "service_level_plot",
    "staffing_plot",
    "complaints_trend_plot",
    "roster_plot",
    "time_weighted_plot",
]
