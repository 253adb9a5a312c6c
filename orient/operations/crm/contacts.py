"""Deals that stall, clients really in work, and the contact history.

:func:`stalled_deals` lists the open deals whose time in their current stage (from the
stage history, :func:`stage_visits`; else from ``stage_entered``, else since creation)
is beyond a declared limit (``crm.stall_days``) or beyond what won deals took (a
quantile of their time at that stage, or without a history of their whole cycle).
:func:`clients_in_work` counts the distinct clients with an open deal or a recent
contact. With the optional ``contacts`` table (client, date; type, manager,
next_contact, deal_id), :func:`overdue_contacts` lists the clients whose next planned
contact has passed with no contact since, and :func:`contact_frequency` the contacts
per deal and per month of deal life by stage (open deals) and outcome (closed ones).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.operations.crm.deals import activity_date, deals_table

__all__ = [
    "clients_in_work",
    "contact_frequency",
    "contacts_table",
    "lost_at_stage",
    "overdue_contacts",
    "stage_visits",
    "stalled_deals",
]


def _days(later: pd.Series | pd.Timestamp, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds() / 86400


def stage_visits(history: Any, deals: pd.DataFrame, *, as_of: Any = None) -> pd.DataFrame:
    """Each visit of a deal to a stage, from the stage history, with its length.

    A visit ends when the deal enters its next stage; the last visit of an open deal is
    still running at ``as_of`` (by default the latest date of the deals table), the last
    visit of a won or lost deal is its close and has no length.

    Returns
    -------
    DataFrame
        ``deal_id``, ``stage``, ``entered``, ``left`` (NaT while running or at the
        close), ``days`` (left - entered, or as_of - entered while running), ``running``
        (the open deal's current visit), ``outcome`` (the deal's). ``attrs["as_of"]``:
        the date the running visits are timed to.
    """
    h = check_dataframe(history, "stage_history")
    check_columns(h, ["deal_id", "stage", "entered"], "stage_history")
    d = deals_table(deals)
    ref = activity_date(d, as_of)
    h = h[["deal_id", "stage", "entered"]].copy()
    h["deal_id"] = h["deal_id"].astype(str).str.strip()
    h["entered"] = pd.to_datetime(h["entered"])
    h = h.sort_values(["deal_id", "entered"], kind="stable").reset_index(drop=True)
    outcome = dict(zip(d["deal_id"].astype(str).str.strip(), d["outcome"], strict=False))
    h["outcome"] = h["deal_id"].map(outcome)
    h["left"] = h.groupby("deal_id", sort=False)["entered"].shift(-1)
    last = h["left"].isna()
    h["running"] = last & (h["outcome"] == "open")
    h["days"] = _days(h["left"], h["entered"])
    h.loc[h["running"], "days"] = _days(ref, h.loc[h["running"], "entered"])
    out = h[["deal_id", "stage", "entered", "left", "days", "running", "outcome"]]
    out.attrs["as_of"] = ref
    return out


def _history_date(d: pd.DataFrame, history: Any = None, as_of: Any = None) -> pd.Timestamp:
    """``as_of`` as a Timestamp, by default the latest activity of the deals table
    :func:`deals_table` ``d`` or the latest move of the stage ``history``."""
    ref = activity_date(d, as_of)
    if as_of is None and history is not None and len(history):
        ref = max(ref, pd.to_datetime(history["entered"]).max())  # the latest move counts
    return ref


def lost_at_stage(
    history: Any,
    deals: pd.DataFrame,
    terminal: Sequence[str] = (),
    *,
    visits: pd.DataFrame | None = None,
) -> pd.Series:
    """Where each lost deal was lost, from the stage history: the stage of its last
    visit that is not a closing one (``won``, ``lost`` or a ``terminal`` label such as
    "Lost"). A Series deal_id -> stage, for the lost deals the history places.

    ``visits``, when given, is ``stage_visits(history, deals)`` already computed (at
    any ``as_of``: the lengths of running visits are not used)."""
    if visits is None:
        visits = stage_visits(history, deals_table(deals))
    closing = {"won", "lost", *map(str, terminal)}
    lost = visits[(visits["outcome"] == "lost") & ~visits["stage"].astype(str).isin(closing)]
    return lost.groupby("deal_id", sort=False)["stage"].last()


def _declared(stage: pd.Series, limits) -> pd.Series:
    if isinstance(limits, Mapping):
        lim = stage.astype("string").map({str(k): float(v) for k, v in limits.items()})
        return lim.astype(float)
    return pd.Series(float(limits) if limits is not None else np.nan, index=stage.index)


def stalled_deals(
    deals: pd.DataFrame,
    *,
    history: Any = None,
    as_of: Any = None,
    limits: float | Mapping[str, float] | None = None,
    quantile: float = 0.9,
    min_won: int = 10,
    stages: Sequence[str] | None = None,
    visits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Open deals that have been waiting longer than they should.

    With a stage ``history`` (deal_id, stage, entered: :func:`stage_visits`) a deal's
    time is that of its current visit to its current stage, and the limit of a stage
    is the declared one or else the ``quantile`` of the time won deals spent on their
    visits to that stage. Without a history the time runs in the current stage when the
    deals table has ``stage_entered``, else since creation, and the undeclared limit is
    the ``quantile`` of won deals' whole cycle (creation to close).

    Parameters
    ----------
    history : DataFrame, optional
        The stage history (``company.stage_history``).
    limits : number or {stage: days}, optional
        Declared limits (``crm.stall_days``); a stage without one falls back on the
        won deals' quantile.
    quantile : float, default 0.9
        The quantile of won deals' times that makes the undeclared limit.
    min_won : int, default 10
        Fewer won deals (visits, with a history) give no quantile: their stage has no
        undeclared limit and its open deals are not judged.
    stages : list of str, optional
        The funnel's stages in order (``crm.stages``): the order of ``attrs["limits"]``.
    visits : DataFrame, optional
        ``stage_visits(history, deals, as_of=...)`` already computed, at the date this
        function times to (``as_of``, by default the latest date of the deals table or
        of the history); computed from ``history`` when not given.

    Returns
    -------
    DataFrame
        The stalled deals, longest overdue first: ``deal_id``, ``client``,
        ``manager``, ``stage``, ``days`` (in the stage, or open), ``limit_days``,
        ``limit_basis`` (``declared``, ``won_at_stage`` or ``won_cycle``),
        ``over_days``, ``planned_amount``. ``attrs``: ``open`` (open deals),
        ``measure`` (``history``, ``in_stage`` or ``open``), ``won_quantile_days`` (the
        quantile of won deals' cycle, NaN when too few), ``quantile``, ``min_won``,
        ``as_of``, ``not_judged`` (open deals with no limit), ``without_history``
        (open deals whose current stage the history does not hold: timed from
        ``stage_entered`` or creation), ``stage_dates`` (the deals table has
        ``stage_entered``), ``bases`` (the bases the limits used) and
        ``limits``: one row per stage of an open deal with ``stage``, ``won_visits``,
        ``won_quantile_days``, ``limit_days``, ``limit_basis``, ``open_deals``.
    """
    d = deals_table(deals, ["created"])
    ref = _history_date(d, history, as_of)
    op = d[d["outcome"] == "open"].copy()
    if "stage" not in op.columns:
        op["stage"] = pd.NA
    in_stage = "stage_entered" in d.columns
    since = op["stage_entered"].fillna(op["created"]) if in_stage else op["created"]
    op["days"] = _days(ref, since)
    won = d[(d["outcome"] == "won") & d["closed"].notna()] if "closed" in d else d.iloc[:0]
    cycle = _days(won["closed"], won["created"]).dropna() if len(won) else pd.Series(dtype=float)
    q = float(cycle.quantile(quantile)) if len(cycle) >= min_won else np.nan
    op["limit_days"] = np.array(_declared(op["stage"], limits), dtype=float)
    op["limit_basis"] = pd.Series(
        np.where(op["limit_days"].notna(), "declared", None), index=op.index, dtype=object
    )
    without = 0
    per_stage = pd.DataFrame(columns=["stage", "won_visits", "won_quantile_days"])
    if history is not None and len(history):
        if visits is None:
            visits = stage_visits(history, d, as_of=ref)
        elif visits.attrs.get("as_of") != ref:
            raise ValueError(
                f"`visits` were timed to {visits.attrs.get('as_of')}, not to {ref}: "
                "pass stage_visits(history, deals, as_of=<that date>)"
            )
        current = visits[visits["running"]].drop_duplicates("deal_id", keep="last")
        current = current.set_index("deal_id")
        key = op["deal_id"].astype(str).str.strip()
        same = key.map(current["stage"]).astype("string") == op["stage"].astype("string")
        same = same.fillna(False).to_numpy(dtype=bool)
        op.loc[same, "days"] = key[same].map(current["days"]).to_numpy()
        without = int((~same).sum())
        done = visits[(visits["outcome"] == "won") & visits["left"].notna()]
        grouped = done.groupby("stage", sort=False)["days"]
        per_stage = pd.DataFrame({"won_visits": grouped.size()})
        per_stage["won_quantile_days"] = grouped.quantile(quantile)
        per_stage.loc[per_stage["won_visits"] < min_won, "won_quantile_days"] = np.nan
        per_stage = per_stage.rename_axis("stage").reset_index()
        learned = (
            op["stage"]
            .astype("string")
            .map(
                dict(
                    zip(
                        per_stage["stage"].astype(str), per_stage["won_quantile_days"], strict=False
                    )
                )
            )
        )
        fill = op["limit_days"].isna() & learned.notna().to_numpy()
        op.loc[fill, "limit_days"] = learned[fill].astype(float)
        op.loc[fill, "limit_basis"] = "won_at_stage"
        measure = "history"
    else:
        fill = op["limit_days"].isna() & pd.notna(q)
        op.loc[fill, "limit_days"] = q
        op.loc[fill, "limit_basis"] = "won_cycle"
        measure = "in_stage" if in_stage else "open"
    op["over_days"] = op["days"] - op["limit_days"]
    judged = op["limit_days"].notna()
    out = op[judged & (op["over_days"] > 0)].sort_values("over_days", ascending=False)
    cols = ["deal_id", "client", "manager", "stage", "days", "limit_days", "limit_basis"]
    cols += ["over_days", "planned_amount"]
    for c in cols:
        if c not in out.columns:
            out[c] = pd.NA
    out = out[cols].reset_index(drop=True)
    by_stage = op.groupby(op["stage"].astype("string"), dropna=False, sort=True).agg(
        limit_days=("limit_days", "first"),
        limit_basis=("limit_basis", "first"),
        open_deals=("deal_id", "size"),
    )
    by_stage = by_stage.rename_axis("stage").reset_index()
    rank = {str(st): i for i, st in enumerate(stages or [])}
    by_stage = by_stage.iloc[
        sorted(
            range(len(by_stage)),
            key=lambda i: (
                rank.get(str(by_stage["stage"].iloc[i]), len(rank)),
                str(by_stage["stage"].iloc[i]),
            ),
        )
    ].reset_index(drop=True)
    by_stage = by_stage.merge(per_stage.astype({"stage": "string"}), on="stage", how="left")
    by_stage["won_visits"] = by_stage["won_visits"].fillna(0).astype(int)
    out.attrs.update(
        open=len(op),
        measure=measure,
        won_quantile_days=q,
        quantile=quantile,
        min_won=min_won,
        as_of=ref,
        not_judged=int((~judged).sum()),
        stage_dates=in_stage,
        without_history=without,
        bases=sorted(set(op.loc[judged, "limit_basis"].astype(str))),
        limits=by_stage[
            ["stage", "won_visits", "won_quantile_days", "limit_days", "limit_basis", "open_deals"]
        ],
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


def contact_frequency(
    deals: pd.DataFrame,
    contacts: pd.DataFrame,
    *,
    as_of: Any = None,
    stages: Sequence[str] | None = None,
):
    """Contacts per deal and per 30 days of deal life, by stage (in the order of
    ``stages``, ``crm.stages``, when given) and outcome.

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
    found = list(pd.unique(d.loc[d["outcome"] == "open", "stage"]))
    known = [st for st in (stages or []) if st in found]
    order = known + [st for st in found if st not in known] + ["won", "lost"]
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
