"""Stage III: analysis and priorities.

Which product and service benefits drive satisfaction (derived importance, not
stated importance), how the company performs against its main competitor, and
where to act: the strategic satisfaction matrix, basic and excitement factors,
and a ranked list of priorities with plain-language sentences.

Modules
-------
drivers
    :func:`driver_importance` (key-driver analysis), :data:`METHODS`, the exact limits.
linear
    The continuous-outcome core: all-subset R², Shapley/LMG, Kruskal, relative weights.
binary
    The binary-outcome core: logistic fits, relative weights, separation.
logit_shapley
    McFadden's pseudo-R² of every logistic subset model, fast (distinct rows, warm starts,
    batched Newton steps), and the sampled-orderings estimator above the exact limit.
bootstrap
    Vectorised bootstrap resamples of driver importance.
performance
    :func:`competitive_performance` (own vs competitor, 0-100, the gap), attribute table.
matrix
    :func:`strategic_matrix`, :data:`QUADRANTS`, :data:`ACTIONS`, :func:`priority_table`.
factors
    :func:`penalty_reward` (basic, performance and excitement factors), ``DO_NOT_CUT``.
stage
    :func:`analyse` (the stage's entry point), :class:`PrioritiesResult`, :func:`headline`.
narrative
    :func:`matrix_text`, :func:`priorities_text`, :func:`matrix_caption`: section texts
    chosen by the data (competitor wording only with competitor ratings), and
    :func:`narrative`: the sentences generated from the numbers, in the report's language.
display
    :func:`display_table`: the stage's tables with readable headings, for readers.
_inputs
    Input checks the methods share: survey weights, driver columns.
"""

from __future__ import annotations

# ``name as name``: not in __all__, kept importable from ``orient.priorities`` as before the
# split (``_attribute_table``: tests and benchmarks/drivers.py; ``_bootstrap``: tests)
from orient.priorities.bootstrap import _bootstrap as _bootstrap
from orient.priorities.display import display_table
from orient.priorities.drivers import (
    BINARY_METHODS,
    MAX_EXACT_DRIVERS,
    MAX_EXACT_DRIVERS_BINARY,
    METHODS,
    ORDINAL_METHODS,
    driver_importance,
    subset_r2,
)
from orient.priorities.factors import DO_NOT_CUT as DO_NOT_CUT
from orient.priorities.factors import penalty_reward
from orient.priorities.matrix import ACTIONS, QUADRANTS, priority_table, strategic_matrix
from orient.priorities.narrative import matrix_caption, matrix_text, narrative, priorities_text
from orient.priorities.performance import _attribute_table as _attribute_table
from orient.priorities.performance import competitive_performance
from orient.priorities.stage import PrioritiesResult, analyse, headline

__all__ = [
    "BINARY_METHODS",
    "ORDINAL_METHODS",
    "METHODS",
    "MAX_EXACT_DRIVERS",
    "MAX_EXACT_DRIVERS_BINARY",
    "QUADRANTS",
    "ACTIONS",
    "PrioritiesResult",
    "driver_importance",
    "subset_r2",
    "competitive_performance",
    "strategic_matrix",
    "penalty_reward",
    "priority_table",
    "narrative",
    "display_table",
    "analyse",
    "headline",
    "matrix_caption",
    "matrix_text",
    "priorities_text",
]
