"""Shim: the service centre moved to :mod:`orient.operations.service`.

Every name ``orient.service`` offered is re-imported here (the public API that
DESIGN.md promises, ``orient.service.erlang_c`` and ``orient.service.agents_needed``,
among them), so code calling ``orient.service.<name>`` keeps working.
"""
# ruff: noqa: F401  (a shim: every import is a re-export)

from orient.operations.risk import operational_risk
from orient.operations.service import (
    CALL_COLUMNS,
    CLAIM_COLUMNS,
    DATA_NEEDED,
    ServiceLevel,
    ServiceResult,
    agents_needed,
    agents_needed_a,
    analyse,
    claims_backlog,
    claims_by_category,
    claims_monthly,
    claims_status_sentences,
    data_needed,
    erlang_a,
    erlang_b,
    erlang_c,
    headline,
    hourly_profile,
    key_figures,
    resolution_times,
    staffing,
    status_shares,
)
from orient.operations.service.calls import interval_seconds as _interval_seconds
from orient.operations.service.claims import _as_of, _claims
from orient.operations.service.erlang import (
    _agents_needed,
    _erlang_b,
    _erlang_c_from_b,
    _number,
    _performance,
)
from orient.operations.service.narrative import format_figure as _fmt
from orient.operations.service.stage import _service_spec

__all__ = [
    "ServiceLevel",
    "ServiceResult",
    "agents_needed",
    "agents_needed_a",
    "analyse",
    "claims_backlog",
    "claims_by_category",
    "claims_monthly",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "data_needed",
    "headline",
    "hourly_profile",
    "key_figures",
    "operational_risk",
    "resolution_times",
    "staffing",
]
