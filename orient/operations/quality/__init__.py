"""Quality control: Shewhart charts, run rules, process capability, acceptance sampling.

Modules
-------
constants
    ``d2``, ``d3`` and ``c4`` computed from their definitions.
rules
    The Western Electric and Nelson run rules on standardised chart statistics.
charts
    Shewhart charts (xbar-R, xbar-S, I-MR, p, np, c, u): phase I limits (optionally
    revised without the subgroups beyond them), phase II points.
ewma_cusum
    EWMA (exact time-varying limits) and tabular CUSUM charts with the shift estimate.
capability
    Capability and performance indices (Cp, Cpk, Cpm, Pp, Ppk, Ppm) with intervals.
sampling
    Single sampling plans: the OC curve and the plan for given producer's and consumer's risks.
stage
    ``analyse(company)``, :class:`QualityResult`, ``headline``, ``key_figures``, ``data_needed``.
narrative
    The quality sentences (risks, key-figure labels) in the report language.
"""

from orient.operations.quality.capability import capability
from orient.operations.quality.charts import CHARTS, ControlChart, control_chart
from orient.operations.quality.constants import c4, d2, d3
from orient.operations.quality.ewma_cusum import (
    TimeWeightedChart,
    cusum_chart,
    ewma_chart,
    shift_estimate,
)
from orient.operations.quality.rules import nelson, run_rules, western_electric
from orient.operations.quality.sampling import find_sampling_plan, oc_curve
from orient.operations.quality.stage import (
    DATA_NEEDED,
    QualityResult,
    analyse,
    data_needed,
    headline,
    key_figures,
)

__all__ = [
    "CHARTS",
    "DATA_NEEDED",
    "ControlChart",
    "QualityResult",
    "TimeWeightedChart",
    "analyse",
    "c4",
    "capability",
    "control_chart",
    "cusum_chart",
    "d2",
    "d3",
    "data_needed",
    "ewma_chart",
    "find_sampling_plan",
    "headline",
    "key_figures",
    "nelson",
    "oc_curve",
    "run_rules",
    "shift_estimate",
    "western_electric",
]
