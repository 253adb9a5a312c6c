"""Service centre: Erlang C staffing, service levels and claims handling (stage IV).

Modules
-------
erlang
    Erlang B and C: the service level of an interval and the agents it needs.
calls
    Call-centre intervals: achieved and required staff per interval, the hourly profile.
claims
    Claims: volumes and money by category, months, open claims by age, time to resolve.
stage
    ``analyse(company)``, :class:`ServiceResult`, ``headline``, ``key_figures``, ``data_needed``.
narrative
    The service sentences (risks, key-figure labels, claim age bands) in the report language.

``claims_backlog`` here is the stage's, with age bands labelled in a report
language (``language=``); :func:`orient.operations.service.claims.claims_backlog`
is the language-free method it calls.
"""

from orient.operations.risk import operational_risk
from orient.operations.service.calls import (
    CALL_COLUMNS,
    hourly_profile,
    interval_seconds,
    staffing,
)
from orient.operations.service.claims import (
    CLAIM_COLUMNS,
    claims_by_category,
    claims_monthly,
    resolution_times,
    resolved_within,
)
from orient.operations.service.complaints import status_shares
from orient.operations.service.complaints_analytics import (
    ComplaintsResult,
    analyse_complaints,
    category_trend,
    complaint_times,
    shares_by,
    within_deadline,
)
from orient.operations.service.erlang import ServiceLevel, agents_needed, erlang_b, erlang_c
from orient.operations.service.narrative import claims_status_sentences
from orient.operations.service.stage import (
    DATA_NEEDED,
    ServiceResult,
    analyse,
    claims_backlog,
    data_needed,
    headline,
    key_figures,
)

__all__ = [
    "CALL_COLUMNS",
    "CLAIM_COLUMNS",
    "DATA_NEEDED",
    "ComplaintsResult",
    "ServiceLevel",
    "ServiceResult",
    "agents_needed",
    "analyse",
    "analyse_complaints",
    "category_trend",
    "claims_backlog",
    "claims_by_category",
    "claims_monthly",
    "claims_status_sentences",
    "complaint_times",
    "data_needed",
    "erlang_b",
    "erlang_c",
    "headline",
    "hourly_profile",
    "interval_seconds",
    "key_figures",
    "operational_risk",
    "resolution_times",
    "resolved_within",
    "shares_by",
    "staffing",
    "status_shares",
    "within_deadline",
]
