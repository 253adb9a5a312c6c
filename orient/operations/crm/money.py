"""Money of won deals: planned against paid, receivables by age, overdue invoices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient.operations.crm.deals import deals_table, reference_date

__all__ = ["overdue_invoices", "planned_vs_paid", "receivables_ageing"]


def planned_vs_paid(deals: pd.DataFrame, *, by: str | None = "manager") -> pd.DataFrame:
    """Planned against paid amounts of won deals.

    Returns
    -------
    DataFrame
        One row per group (or one ``"all"`` row when ``by`` is None), plus ``"all"``:
        ``group``, ``n`` (won deals), ``planned``, ``paid``, ``paid_ratio``
        (paid / planned) and ``unpaid`` (planned - paid, at least 0 per deal).
    """
    d = deals_table(deals, ["planned_amount", "paid_amount"] + ([by] if by else []))
    w = d[d["outcome"] == "won"].assign(
        _unpaid=lambda x: (x["planned_amount"].fillna(0) - x["paid_amount"].fillna(0)).clip(lower=0)
    )

    def agg(x: pd.DataFrame) -> dict:
        planned = float(x["planned_amount"].fillna(0).sum())
        paid = float(x["paid_amount"].fillna(0).sum())
        return {
            "n": len(x),
            "planned": planned,
            "paid": paid,
            "paid_ratio": paid / planned if planned else np.nan,
            "unpaid": float(x["_unpaid"].sum()),
        }

    rows = []
    if by:
        for k, x in w.groupby(by, sort=True):
            rows.append({"group": str(k), **agg(x)})
    rows.append({"group": "all", **agg(w)})
    return pd.DataFrame(rows)


def _outstanding(d: pd.DataFrame) -> pd.DataFrame:
    w = d[(d["outcome"] == "won") & d["invoice_due"].notna()].copy()
    w["outstanding"] = (w["planned_amount"].fillna(0) - w["paid_amount"].fillna(0)).clip(lower=0)
    return w[w["outstanding"] > 0]


def receivables_ageing(
    deals: pd.DataFrame, *, as_of: Any = None, bands: Sequence[int] = (0, 30, 60, 90)
) -> pd.DataFrame:
    """Receivables (won deals not fully paid) by days past the invoice due date.

    Parameters
    ----------
    as_of : date-like, optional
        Reference date; default the latest date in the table (state it in reports).
    bands : sequence of int
        Upper edges in days overdue of the bands after "not yet due".

    Returns
    -------
    DataFrame
        One row per band, ``"not due"`` first: ``band``, ``n`` (invoices),
        ``amount`` (outstanding), ``share`` (of the outstanding amount).
    """
    d = deals_table(deals, ["planned_amount", "paid_amount", "invoice_due"])
    ref = reference_date(d, as_of)
    o = _outstanding(d)
    days = (ref - o["invoice_due"]).dt.days
    edges = list(bands)
    labels = ["not due"] + [
        f"{lo + 1}-{hi} days" for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]
    labels += [f"over {edges[-1]} days"]
    band = pd.cut(days, [-np.inf, *edges, np.inf], right=True, labels=labels)
    amount = o.groupby(band, observed=False)["outstanding"].sum().reindex(labels, fill_value=0)
    n = band.value_counts().reindex(labels, fill_value=0)
    total = amount.sum()
    return pd.DataFrame(
        {
            "band": labels,
            "n": n.to_numpy(),
            "amount": amount.to_numpy(),
            "share": (amount / total).to_numpy() if total else np.zeros(len(labels)),
        }
    )


def overdue_invoices(deals: pd.DataFrame, *, as_of: Any = None) -> pd.DataFrame:
    """Overdue invoices, largest outstanding amount first.

    Returns
    -------
    DataFrame
        ``deal_id``, ``client``, ``manager``, ``invoice_due``, ``days_overdue``,
        ``planned_amount``, ``paid_amount``, ``outstanding``.
    """
    d = deals_table(deals, ["planned_amount", "paid_amount", "invoice_due"])
    ref = reference_date(d, as_of)
    o = _outstanding(d)
    o = o[o["invoice_due"] < ref].copy()
    o["days_overdue"] = (ref - o["invoice_due"]).dt.days
    cols = [
        "deal_id",
        "client",
        "manager",
        "invoice_due",
        "days_overdue",
        "planned_amount",
        "paid_amount",
        "outstanding",
    ]
    for c in cols:
        if c not in o.columns:
            o[c] = pd.NA
    return o[cols].sort_values(["outstanding", "days_overdue"], ascending=False, ignore_index=True)
