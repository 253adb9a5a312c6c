"""Shim: CRM pipeline analytics moved to :mod:`orient.operations.crm`.

Every name ``orient.crm`` offered is re-imported here, so code calling
``orient.crm.<name>`` keeps working. (The private ``_wilson`` is gone: the
intervals come from :func:`orient.stats.wilson_interval`.)
"""
# ruff: noqa: F401  (a shim: every import is a re-export)

from orient.operations.crm import (
    DATA_NEEDED,
    OUTCOMES,
    CRMResult,
    CustomerCard,
    analyse,
    customer_card,
    data_needed,
    funnel,
    headline,
    key_figures,
    overdue_invoices,
    pick_client,
    planned_vs_paid,
    receivables_ageing,
    refusal_pareto,
    sales_cycle,
    win_rates,
)
from orient.operations.crm.deals import deals_table as _deals
from orient.operations.crm.deals import reference_date as _as_of
from orient.operations.crm.money import _outstanding
from orient.operations.crm.pipeline import _stage_order, _terminal_lost
from orient.operations.crm.stage import _profile_stages

__all__ = [
    "CRMResult",
    "CustomerCard",
    "analyse",
    "customer_card",
    "pick_client",
    "funnel",
    "data_needed",
    "headline",
    "key_figures",
    "overdue_invoices",
    "planned_vs_paid",
    "receivables_ageing",
    "refusal_pareto",
    "sales_cycle",
    "win_rates",
]
