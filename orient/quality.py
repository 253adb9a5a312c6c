"""Shim: quality control moved to :mod:`orient.operations.quality`.

Every name ``orient.quality`` offered is re-imported here, so code calling
``orient.quality.<name>`` keeps working.
"""
# ruff: noqa: F401  (a shim: every import is a re-export)

from orient.operations.quality import (
    CHARTS,
    DATA_NEEDED,
    ControlChart,
    QualityResult,
    TimeWeightedChart,
    analyse,
    c4,
    capability,
    control_chart,
    cusum_chart,
    d2,
    d3,
    data_needed,
    ewma_chart,
    find_sampling_plan,
    headline,
    key_figures,
    nelson,
    oc_curve,
    run_rules,
    shift_estimate,
    western_electric,
)
from orient.operations.quality.charts import _finish, _groups, _phase_mask
from orient.operations.quality.sampling import _pa
from orient.operations.quality.stage import _quality_profile, _trial_arg

__all__ = [
    "CHARTS",
    "ControlChart",
    "QualityResult",
    "analyse",
    "c4",
    "capability",
    "control_chart",
    "d2",
    "d3",
    "find_sampling_plan",
    "data_needed",
    "headline",
    "key_figures",
    "oc_curve",
    "western_electric",
    "TimeWeightedChart",
    "cusum_chart",
    "ewma_chart",
    "nelson",
    "run_rules",
    "shift_estimate",
]
