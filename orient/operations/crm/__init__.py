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
managers
    Per-manager results and stability, effects of source/segment/... , refusals by stage.
forecast
    Forecast of the next periods from open deals and its backtest.
commission
    Commissions from ``crm.commission`` rules.
contacts
    Stalled deals, clients in work, the contacts table (overdue next contacts, frequency).
sales
    ``sales_indicators`` (all of the above for one company) and ``sales_headline``.
clv
    BG/NBD purchase counts and Gamma-Gamma spend by maximum likelihood; lifetime value.
next_offer
    Next-best offer from product co-occurrence, judged on held-out last purchases.
frontline
    Both from the won deals, where clients bought repeatedly (``CRMResult.frontline``).
narrative
    The CRM sentences (risks, key-figure labels) in the report language.
"""

from orient.operations.crm.card import CustomerCard, customer_card
from orient.operations.crm.clv import customer_lifetime_value, fit_bgnbd, fit_gamma_gamma, rfm_table
from orient.operations.crm.commission import commissions
from orient.operations.crm.contacts import (
    clients_in_work,
    contact_frequency,
    overdue_contacts,
    stalled_deals,
)
from orient.operations.crm.deals import OUTCOMES, deals_table, reference_date
from orient.operations.crm.forecast import backtest, stage_win_probabilities
from orient.operations.crm.frontline import FrontLine, frontline
from orient.operations.crm.managers import effects, manager_results, refusals_by_stage
from orient.operations.crm.money import overdue_invoices, planned_vs_paid, receivables_ageing
from orient.operations.crm.next_offer import evaluate_next_offer, fit_next_offer
from orient.operations.crm.pipeline import funnel, refusal_pareto, sales_cycle, win_rates
from orient.operations.crm.sales import SalesIndicators, sales_headline, sales_indicators
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
    "SalesIndicators",
    "backtest",
    "clients_in_work",
    "commissions",
    "contact_frequency",
    "effects",
    "manager_results",
    "overdue_contacts",
    "refusals_by_stage",
    "sales_headline",
    "sales_indicators",
    "stage_win_probabilities",
    "stalled_deals",
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
    "FrontLine",
    "customer_lifetime_value",
    "evaluate_next_offer",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "fit_next_offer",
    "frontline",
    "rfm_table",
]
