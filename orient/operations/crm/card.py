"""The customer card: everything known about one client across deals, claims and survey."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from orient.operations.crm.deals import deals_table, reference_date
from orient.operations.crm.money import overdue_invoices

__all__ = ["CustomerCard", "customer_card"]


@dataclass(frozen=True, repr=False)
class CustomerCard:
    """Everything known about one client.

    Attributes
    ----------
    client : str
    summary : dict
        ``deals``, ``won``, ``lost``, ``open``, ``win_rate``, ``planned_won``,
        ``paid``, ``outstanding``, ``overdue``, ``claims``, ``claims_open``,
        ``amount_claimed``, ``amount_settled``, ``survey_responses``,
        ``overall`` (latest overall satisfaction), ``recommend`` (latest 0-10).
    deals, claims, survey : DataFrame
        The client's rows of each table (empty when the table is absent).
    """

    client: str
    summary: dict
    deals: pd.DataFrame
    claims: pd.DataFrame
    survey: pd.DataFrame

    def __repr__(self) -> str:
        return f"CustomerCard(client={self.client!r}, summary={self.summary!r})"

    def _repr_html_(self) -> str:
        from html import escape

        items = "".join(
            f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
            for k, v in self.summary.items()
        )
        return f"<b>Client {escape(self.client)}</b><table>{items}</table>"


def customer_card(
    client: Any,
    *,
    deals: pd.DataFrame | None = None,
    claims: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    as_of: Any = None,
) -> CustomerCard:
    """One client's deals, payments, claims and survey answers.

    Parameters
    ----------
    client : str or int
        The client's id: ``client`` in deals, ``customer_id`` in claims and survey.
    deals, claims, survey : DataFrame, optional
        The company's tables (``company.deals``, ``company.claims``, ``company.survey``).
    as_of : date-like, optional
        Reference date for overdue invoices.

    Returns
    -------
    CustomerCard
    """
    key = str(client)

    def rows(table: pd.DataFrame | None, col: str) -> pd.DataFrame:
        if table is None or col not in table.columns:
            return pd.DataFrame()
        return table[table[col].astype(str) == key].reset_index(drop=True)

    dl = rows(deals, "client")
    cl = rows(claims, "customer_id")
    sv = rows(survey, "customer_id")
    s: dict[str, Any] = {}
    if len(dl):
        dd = deals_table(dl)
        won = dd["outcome"] == "won"
        closed = int((dd["outcome"] != "open").sum())
        s.update(
            deals=len(dd),
            won=int(won.sum()),
            lost=int((dd["outcome"] == "lost").sum()),
            open=int((dd["outcome"] == "open").sum()),
            win_rate=float(won.sum() / closed) if closed else None,
        )
        if {"planned_amount", "paid_amount"}.issubset(dd.columns):
            planned = float(dd.loc[won, "planned_amount"].fillna(0).sum())
            paid = float(dd.loc[won, "paid_amount"].fillna(0).sum())
            s.update(planned_won=planned, paid=paid, outstanding=max(planned - paid, 0.0))
            if "invoice_due" in dd.columns and deals is not None:
                od = overdue_invoices(
                    dd, as_of=as_of if as_of is not None else reference_date(deals_table(deals))
                )
                s["overdue"] = float(od["outstanding"].sum())
    else:
        s.update(deals=0)
    if len(cl):
        s.update(
            claims=len(cl),
            claims_open=int(pd.to_datetime(cl["resolved"]).isna().sum())
            if "resolved" in cl.columns
            else None,
            amount_claimed=float(cl["amount_claimed"].sum())
            if "amount_claimed" in cl.columns
            else None,
            amount_settled=float(cl["amount_settled"].sum())
            if "amount_settled" in cl.columns
            else None,
        )
    else:
        s.update(claims=0)
    s["survey_responses"] = len(sv)
    if len(sv):
        last = sv.sort_values("wave").iloc[-1] if "wave" in sv.columns else sv.iloc[-1]
        for col in ("overall", "recommend"):
            if col in sv.columns and pd.notna(last[col]):
                s[col] = float(last[col])
    return CustomerCard(key, s, dl, cl, sv)
