"""Deals that stall, clients really in work, and the contact history.

:func:`stalled_deals` lists the open deals whose time (in the current stage when the
table has ``stage_entered``, else since creation) is beyond a declared limit
(``crm.stall_days``) or beyond what won deals took (a quantile of their cycle).
:func:`clients_in_work` counts the distinct clients with an open deal or a recent
contact. With the optional ``contacts`` table (client, date; type, manager,
next_contact, deal_id), :func:`overdue_contacts` lists the clients whose next planned
contact has passed with no contact since, and :func:`contact_frequency` the contacts
per deal and per month of deal life by stage (open deals) and outcome (closed ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.operations.crm.deals import activity_date, deals_table

__all__ = [
    "clients_in_work",
    "contact_frequency",
    "contacts_table",
    "overdue_contacts",
    "stalled_deals",
]


def _days(later: pd.Series | pd.Timestamp, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds() / 86400


def stalled_deals(
    deals: pd.DataFrame,
    *,
    as_of: Any = None,
    limits: float | Mapping[str, float] | None = None,
    quantile: float = 0.9,
    min_won: int = 10,
) -> pd.DataFrame:
    """Open deals that have been waiting longer than they should.

    Parameters
    ----------
    limits : number or {stage: days}, optional
        Declared limits (``crm.stall_days``); a stage without one falls back on the
        won deals' quantile.
    quantile : float, default 0.9
        Without a declared limit, a deal is stalled when its days exceed this quantile
        of the days won deals took from creation to closing.
    min_won : int, default 10
        Fewer won deals with both dates give no quantile (only declared limits apply).

    Returns
    -------
    DataFrame
        The stalled deals, longest overdue first: ``deal_id``, ``client``,
        ``manager``, ``stage``, ``days`` (in the stage, or open), ``limit_days``,
        ``over_days``, ``planned_amount``. ``attrs``: ``open`` (open deals),
        ``measure`` (``in_stage`` or ``open``), ``won_quantile_days`` (the quantile,
        NaN when too few won deals), ``quantile``, ``as_of``.
    """
    d = deals_table(deals, ["created"])
    ref = activity_date(d, as_of)
    op = d[d["outcome"] == "open"].copy()
    in_stage = "stage_entered" in d.columns
    since = op["stage_entered"].fillna(op["created"]) if in_stage else op["created"]
    op["days"] = _days(ref, since)
    won = d[(d["outcome"] == "won") & d["closed"].notna()] if "closed" in d else d.iloc[:0]
    cycle = _days(won["closed"], won["created"]).dropna() if len(won) else pd.Series(dtype=float)
    q = float(cycle.quantile(quantile)) if len(cycle) >= min_won else np.nan
    if isinstance(limits, Mapping):
        stage = op["stage"] if "stage" in op.columns else pd.Series(pd.NA, index=op.index)
        lim = stage.map({str(k): float(v) for k, v in limits.items()}).astype(float).fillna(q)
    else:
        lim = pd.Series(float(limits) if limits is not None else q, index=op.index)
    op["limit_days"] = lim
    op["over_days"] = op["days"] - op["limit_days"]
    out = op[op["over_days"] > 0].sort_values("over_days", ascending=False)
    cols = ["deal_id", "client", "manager", "stage", "days", "limit_days", "over_days"]
    cols += ["planned_amount"]
    for c in cols:
        if c not in out.columns:
            out[c] = pd.NA
    out = out[cols].reset_index(drop=True)
    out.attrs.update(
        open=len(op),
        measure="in_stage" if in_stage else "open",
        won_quantile_days=q,
        quantile=quantile,
        as_of=ref,
    )
    return out


def contacts_table(contacts: Any) -> pd.DataFrame:
    """A copy of the contacts table with the dates parsed (``client`` and ``date``
    required)."""
    c = check_dataframe(contacts, "contacts")
    check_columns(c, ["client", "date"], "contacts")
    c = c.copy()
    for col in ("date", "next_contact"):
        if col in c.columns:
            c[col] = pd.to_datetime(c[col])
    c["client"] = c["client"].astype(str)
    return c


def clients_in_work(
    deals: pd.DataFrame,
    contacts: pd.DataFrame | None = None,
    *,
    as_of: Any = None,
    recent_days: int = 30,
) -> pd.DataFrame:
    """Distinct clients in work: with an open deal, or contacted within ``recent_days``.

    Returns
    -------
    DataFrame
        One row per manager (the manager of the open deal, else of the contact), then
        ``"all"``: ``manager``, ``open_deal`` (clients with an open deal),
        ``recent_contact`` (clients contacted recently; NaN without contacts),
        ``in_work`` (either), ``clients`` (all clients of the deals table).
        A client counts once in ``"all"`` even when several managers work with it.
    """
    d = deals_table(deals, ["client"])
    ref = activity_date(d, as_of)
    mgr = "manager" in d.columns
    op = d.loc[d["outcome"] == "open", ["client", *(["manager"] if mgr else [])]]
    parts = [op.assign(kind="open_deal")]
    if contacts is not None:
        c = contacts_table(contacts)
        recent = c[(c["date"] <= ref) & (c["date"] > ref - pd.Timedelta(days=recent_days))]
        keep = ["client", *(["manager"] if mgr and "manager" in c.columns else [])]
        parts.append(recent[keep].assign(kind="recent_contact"))
    x = pd.concat(parts, ignore_index=True)
    x["client"] = x["client"].astype(str)
    if "manager" not in x.columns:
        x["manager"] = pd.NA

    def counts(y: pd.DataFrame, clients: int) -> dict:
        return {
            "open_deal": y.loc[y["kind"] == "open_deal", "client"].nunique(),
            "recent_contact": y.loc[y["kind"] == "recent_contact", "client"].nunique()
            if contacts is not None
            else np.nan,
            "in_work": y["client"].nunique(),
            "clients": clients,
        }

    rows = []
    if mgr:
        for m, y in x.dropna(subset=["manager"]).groupby("manager", sort=True):
            n = d.loc[d["manager"] == m, "client"].nunique()
            rows.append({"manager": str(m), **counts(y, n)})
    rows.append({"manager": "all", **counts(x, d["client"].astype(str).nunique())})
    out = pd.DataFrame(rows)
    out.attrs.update(as_of=ref, recent_days=recent_days, contacts=contacts is not None)
    return out


def overdue_contacts(contacts: pd.DataFrame, *, as_of: Any) -> pd.DataFrame:
    """Clients whose next planned contact has passed with no contact since.

    The latest contact of each client (of each client and deal when the table has
    ``deal_id``) carries the plan; it is overdue when its ``next_contact`` is before
    ``as_of``.

    Returns
    -------
    DataFrame
        Longest overdue first: ``client``, [``deal_id``,] ``manager``,
        ``last_contact``, ``type``, ``next_contact``, ``days_overdue``.
        ``attrs["planned"]``: clients (or client-deals) with a planned next contact.
    """
    c = contacts_table(contacts)
    check_columns(c, ["next_contact"], "contacts")
    ref = pd.Timestamp(as_of)
    keys = ["client", "deal_id"] if "deal_id" in c.columns else ["client"]
    c = c[c["date"] <= ref].sort_values("date", kind="stable")
    last = c.groupby(keys, dropna=False, sort=False).tail(1)
    planned = last[last["next_contact"].notna()]
    late = planned[planned["next_contact"] < ref].copy()
    late["days_overdue"] = _days(ref, late["next_contact"]).round().astype(int)
    late = late.rename(columns={"date": "last_contact"})
    cols = [*keys, "manager", "last_contact", "type", "next_contact", "days_overdue"]
    for col in cols:
        if col not in late.columns:
            late[col] = pd.NA
    out = late[cols].sort_values(["days_overdue", "client"], ascending=[False, True])
    out = out.reset_index(drop=True)
    out.attrs["planned"] = len(planned)
    return out


def contact_frequency(deals: pd.DataFrame, contacts: pd.DataFrame, *, as_of: Any = None):
    """Contacts per deal and per 30 days of deal life, by stage and outcome.

    A contact belongs to a deal by ``deal_id`` when the contacts table has it, else
    to every deal of the same client open on the contact's date (from created to
    closed, or to ``as_of``).

    Returns
    -------
    DataFrame
        One row per stage of the open deals (``group`` the stage), then ``won`` and
        ``lost``: ``group``, ``outcome``, ``deals``, ``contacts``, ``per_deal``,
        ``per_month`` (contacts per 30 days of the deals' lives), ``no_contact``
        (deals without any contact).
    """
    d = deals_table(deals, ["client", "created", "stage"])
    c = contacts_table(contacts)
    ref = activity_date(d, as_of)
    d = d.assign(
        client=d["client"].astype(str),
        _end=d["closed"].fillna(ref) if "closed" in d.columns else ref,
    )
    d["_end"] = d["_end"].where(d["outcome"] != "open", ref)
    d["_life"] = _days(d["_end"], d["created"]).clip(lower=1)
    if "deal_id" in c.columns:
        n = c["deal_id"].astype(str).value_counts()
        d["_n"] = d["deal_id"].astype(str).map(n).fillna(0).astype(int)
    else:
        m = d[["deal_id", "client", "created", "_end"]].merge(c[["client", "date"]], on="client")
        inside = (m["date"] >= m["created"]) & (m["date"] <= m["_end"])
        n = m[inside].groupby("deal_id").size()
        d["_n"] = d["deal_id"].map(n).fillna(0).astype(int)
    d["_group"] = d["stage"].where(d["outcome"] == "open", d["outcome"])
    rows = []
    order = list(pd.unique(d.loc[d["outcome"] == "open", "stage"])) + ["won", "lost"]
    for g in order:
        x = d[d["_group"] == g]
        if not len(x):
            continue
        rows.append(
            {
                "group": str(g),
                "outcome": "open" if g not in ("won", "lost") else g,
                "deals": len(x),
                "contacts": int(x["_n"].sum()),
                "per_deal": float(x["_n"].mean()),
                "per_month": float(x["_n"].sum() / x["_life"].sum() * 30),
                "no_contact": int((x["_n"] == 0).sum()),
            }
        )
    return pd.DataFrame(rows)
