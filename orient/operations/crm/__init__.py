"""CRM pipeline analytics: funnel, win rates, sales cycle, refusals, receivables, customer card.

Modules
-------
deals
    The deals table checked and parsed once (``deals_table``) and its reference date.
pipeline
    Funnel, win rates with Wilson intervals, sales cycle, Pareto of refusal reasons.
money
    Planned against paid amounts, receivables by days overdue, overdue invoices.
card
    The customer card: one client's deals, payments, claims and survey answers.
stage
    ``analyse(company)``, :class:`CRMResult`, ``headline``, ``key_figures``,
    ``data_needed``, ``pick_client``.
narrative
    The CRM sentences (risks, key-figure labels) in the report language.
"""

from orient.operations.crm.card import CustomerCard, customer_card
from orient.operations.crm.deals import OUTCOMES, deals_table, reference_date
from orient.operations.crm.money import overdue_invoices, planned_vs_paid, receivables_ageing
from orient.operations.crm.pipeline import funnel, refusal_pareto, sales_cycle, win_rates
from orient.operations.crm.stage import (
    DATA_NEEDED,
    CRMResult,
    analyse,
    data_needed,
    headline,
    key_figures,
    pick_client,
)

__all__ = [
    "DATA_NEEDED",
    "OUTCOMES",
    "CRMResult",
    "CustomerCard",
    "analyse",
    "customer_card",
    "data_needed",
    "deals_table",
    "funnel",
    "headline",
    "key_figures",
    "overdue_invoices",
    "pick_client",
    "planned_vs_paid",
    "receivables_ageing",
    "reference_date",
    "refusal_pareto",
    "sales_cycle",
    "win_rates",
]
