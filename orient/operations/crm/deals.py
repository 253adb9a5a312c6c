"""The deals table: checked and parsed once for every CRM method.

One row per deal: ``deal_id``, ``manager``, ``client``, ``segment``, ``region``,
``source``, ``stage``, ``created``, ``closed``, ``outcome`` (``won``/``lost``/``open``),
``refusal_reason``, ``planned_amount``, ``paid_amount``, ``invoice_due``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe

__all__ = ["OUTCOMES", "activity_date", "deals_table", "reference_date"]

OUTCOMES = ("won", "lost", "open")


def deals_table(deals: Any, columns: Sequence[str] = ()) -> pd.DataFrame:
    """A copy of ``deals`` with ``outcome`` normalised and the date columns parsed.

    Raises ``ValueError`` when a column of ``deal_id``, ``outcome`` and ``columns`` is
    missing or an outcome is not one of won, lost, open (naming the first bad row).
    """
    deals = check_dataframe(deals, "deals")
    check_columns(deals, ["deal_id", "outcome", *columns], "deals")
    d = deals.copy()
    d["outcome"] = d["outcome"].astype(str).str.strip().str.lower()
    bad = ~d["outcome"].isin(OUTCOMES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"Column 'outcome' of `deals` must be one of won, lost, open; "
            f"row {i} has {deals['outcome'].iloc[i]!r}."
        )
    for col in ("created", "closed", "invoice_due"):
        if col in d.columns:
            d[col] = pd.to_datetime(d[col])
    return d


def reference_date(d: pd.DataFrame, as_of: Any = None) -> pd.Timestamp:
    """``as_of`` as a Timestamp, by default the latest date of a :func:`deals_table`."""
    if as_of is not None:
        return pd.Timestamp(as_of)
    dates = [d[c].max() for c in ("created", "closed", "invoice_due") if c in d.columns]
    dates = [x for x in dates if pd.notna(x)]
    return max(dates)


def activity_date(d: pd.DataFrame, as_of: Any = None) -> pd.Timestamp:
    """``as_of`` as a Timestamp, by default the latest date a deal was created, closed
    or moved stage (invoice due dates lie ahead of the data and are left out)."""
    if as_of is not None:
        return pd.Timestamp(as_of)
    cols = [c for c in ("created", "closed", "stage_entered") if c in d.columns]
    dates = [pd.to_datetime(d[c]).max() for c in cols]
    dates = [x for x in dates if pd.notna(x)]
    return max(dates) if dates else reference_date(d)
