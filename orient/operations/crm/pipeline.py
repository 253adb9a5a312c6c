"""The sales pipeline: funnel, win rates, sales cycle and refusal reasons.

A deal's ``stage`` is where it is now (open deals), where it was lost (lost
deals) or the last stage (won deals). A deal has *reached* every stage up to its
own, so the funnel counts are cumulative from the end. Proportions carry Wilson
score intervals (:func:`orient.stats.wilson_interval`); cells with fewer closed
deals than the minimum base are suppressed (estimate and interval set to NaN,
``suppressed`` True).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from orient._validate import check_confidence, check_positive_int
from orient.operations.crm.deals import deals_table
from orient.stats import wilson_interval

__all__ = ["funnel", "refusal_pareto", "sales_cycle", "win_rates"]


# --- funnel ---------------------------------------------------------------------------------


def _terminal_lost(d: pd.DataFrame) -> set:
    """Stage labels that hold only lost deals (a "Lost" column in the CRM export)."""
    by = d.groupby("stage")["outcome"].agg(lambda s: set(s))
    return {k for k, v in by.items() if v == {"lost"}}


def _stage_order(d: pd.DataFrame, stages: Sequence[str] | None) -> list[str]:
    if stages is not None:
        stages = list(stages)
        # won deals passed every stage and lost ones of unknown stage count at the first
        unknown = d.loc[~d["stage"].isin(stages) & (d["outcome"] == "open"), "stage"]
        if len(unknown):
            raise ValueError(
                f"Stage {unknown.iloc[0]!r} in `deals` is not in `stages` "
                f"({', '.join(map(str, stages))})."
            )
        return stages
    lost_only = _terminal_lost(d)
    pipe = d[~d["stage"].isin(lost_only)]
    present = list(pipe["stage"].dropna().unique())
    if not {"created", "closed"}.issubset(d.columns):
        return present
    # without a given order: later stages hold older open deals; won deals sit at the end
    ref = pipe["closed"].fillna(d["created"].max())
    age = (ref - pipe["created"]).dt.days
    won_share = pipe["outcome"].eq("won").groupby(pipe["stage"]).mean()
    key = age.groupby(pipe["stage"]).median().rank() + 100 * won_share.rank()
    return list(key.sort_values(kind="stable").index)


def funnel(
    deals: pd.DataFrame, *, stages: Sequence[str] | None = None, confidence: float = 0.95
) -> pd.DataFrame:
    """Pipeline funnel: deals that reached each stage and the conversion between stages.

    Parameters
    ----------
    deals : DataFrame
        The deals table (needs ``deal_id``, ``stage``, ``outcome``).
    stages : sequence of str, optional
        Stage order from first to last (company.yaml ``crm.stages``); by default
        inferred (stages holding older deals and more won deals come later). Give
        it when you know it.
    confidence : float, default 0.95
        Level of the Wilson intervals.

    Notes
    -----
    A lost deal counts as having reached the stage recorded for it. Many CRM
    exports record a terminal "Lost" stage instead of the stage where the deal was
    lost; such deals (stage not in ``stages``) count as reached the first stage
    only, so the first conversion carries all their losses. Record the stage of
    loss to get true stage-by-stage conversions.

    Returns
    -------
    DataFrame
        One row per stage in order, then a ``"won"`` row unless the last stage is
        where won deals sit: ``stage``, ``reached`` (deals that got at least this
        far), ``at_stage_open`` (open deals there now), ``lost_here`` (lost deals
        recorded there; the first stage also takes lost deals of unknown stage),
        ``conversion`` (share of the previous row's deals that reached this one;
        NaN for the first) with ``ci_low``, ``ci_high``, and ``from_start``
        (share of all deals).
    """
    d = deals_table(deals, ["stage"])
    confidence = check_confidence(confidence)
    order = _stage_order(d, stages)
    pos = d["stage"].map({s: i for i, s in enumerate(order)})
    won = d["outcome"] == "won"
    pos = pos.where(~won, len(order) - 1)  # won deals passed every stage
    unknown_lost = pos.isna() & (d["outcome"] == "lost")
    pos = pos.where(~unknown_lost, 0)
    won_last = bool(won.any()) and bool((d.loc[won, "stage"] == order[-1]).all())
    labels = list(order) if won_last else [*order, "won"]
    reached = [int((pos >= i).sum()) for i in range(len(order))]
    if not won_last:
        reached.append(int(won.sum()))
    open_now = [int(((d["stage"] == s) & (d["outcome"] == "open")).sum()) for s in order]
    lost = [int(((d["stage"] == s) & (d["outcome"] == "lost")).sum()) for s in order]
    lost[0] += int(unknown_lost.sum())
    if not won_last:
        open_now.append(0)
        lost.append(0)
    reached_a = np.array(reached, dtype=float)
    prev = np.r_[np.nan, reached_a[:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        conv = reached_a / prev
    lo, hi = wilson_interval(conv[1:], prev[1:], confidence)
    total = len(d)
    return pd.DataFrame(
        {
            "stage": labels,
            "reached": reached,
            "at_stage_open": open_now,
            "lost_here": lost,
            "conversion": conv,
            "ci_low": np.r_[np.nan, lo],
            "ci_high": np.r_[np.nan, hi],
            "from_start": reached_a / total if total else np.nan,
        }
    )


# --- win rates ---------------------------------------------------------------------------------


def win_rates(
    deals: pd.DataFrame, by: str, *, min_base: int = 30, confidence: float = 0.95
) -> pd.DataFrame:
    """Win rate of closed deals (won over won + lost) by a grouping column.

    Parameters
    ----------
    by : str
        ``manager``, ``source``, ``segment``, ``region`` or any column of ``deals``.
    min_base : int, default 30
        Groups with fewer closed deals are suppressed.

    Returns
    -------
    DataFrame
        One row per group plus ``"all"`` last, best first: ``group``, ``n`` (closed
        deals), ``won``, ``estimate`` (win rate), ``ci_low``, ``ci_high`` (Wilson),
        ``open`` (open deals), ``suppressed`` (n < min_base; estimate and interval
        are then NaN).
    """
    d = deals_table(deals, [by])
    min_base = check_positive_int(min_base, "min_base", allow_zero=True)
    confidence = check_confidence(confidence)
    closed = d[d["outcome"] != "open"]
    g = closed.groupby(by, sort=True, dropna=False)
    n = g.size()
    won = g["outcome"].apply(lambda s: int((s == "won").sum())).reindex(n.index)
    open_n = (
        d[d["outcome"] == "open"].groupby(by, dropna=False).size().reindex(n.index, fill_value=0)
    )
    rows = pd.DataFrame(
        {
            "group": n.index.astype(str),
            "n": n.to_numpy(),
            "won": won.to_numpy(),
            "open": open_n.to_numpy(),
        }
    )
    all_row = pd.DataFrame(
        {
            "group": ["all"],
            "n": [len(closed)],
            "won": [int((closed["outcome"] == "won").sum())],
            "open": [int((d["outcome"] == "open").sum())],
        }
    )
    out = pd.concat([rows, all_row], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["estimate"] = out["won"] / out["n"]
    out["ci_low"], out["ci_high"] = wilson_interval(out["estimate"], out["n"], confidence)
    out["suppressed"] = out["n"] < min_base
    out.loc[out["suppressed"], ["estimate", "ci_low", "ci_high"]] = np.nan
    body = out.iloc[:-1].sort_values(
        ["suppressed", "estimate", "n"], ascending=[True, False, False]
    )
    out = pd.concat([body, out.iloc[-1:]], ignore_index=True)
    return out[["group", "n", "won", "estimate", "ci_low", "ci_high", "open", "suppressed"]]


# --- sales cycle ----------------------------------------------------------------------------------


def sales_cycle(deals: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Days from creation to closing, for won and lost deals.

    Returns
    -------
    DataFrame
        One row per outcome (``won``, ``lost``), or per group and outcome when ``by``
        is given: [``group``,] ``outcome``, ``n``, ``mean_days``, ``median_days``,
        ``p25_days``, ``p75_days``, ``p90_days``.
    """
    d = deals_table(deals, ["created", "closed"] + ([by] if by else []))
    c = d[(d["outcome"] != "open") & d["closed"].notna() & d["created"].notna()].copy()
    c["days"] = (c["closed"] - c["created"]).dt.total_seconds() / 86400
    keys = ([by] if by else []) + ["outcome"]
    g = c.groupby(keys, sort=True)["days"]
    out = pd.DataFrame(
        {
            "n": g.size(),
            "mean_days": g.mean(),
            "median_days": g.median(),
            "p25_days": g.quantile(0.25),
            "p75_days": g.quantile(0.75),
            "p90_days": g.quantile(0.9),
        }
    ).reset_index()
    if by:
        out = out.rename(columns={by: "group"})
    return out


# --- refusals --------------------------------------------------------------------------------------


def refusal_pareto(deals: pd.DataFrame, *, vital: float = 0.8) -> pd.DataFrame:
    """Pareto table of refusal reasons of lost deals.

    Parameters
    ----------
    vital : float, default 0.8
        Cumulative share that defines the "vital few" reasons.

    Returns
    -------
    DataFrame
        One row per recorded reason, most frequent first: ``reason``, ``n``, ``share``
        (of the lost deals whose reason is recorded), ``cumulative_share``,
        ``lost_amount`` (planned amount of those deals, 0 when not recorded) and
        ``vital_few`` (the reasons needed to reach ``vital`` of them). A lost deal with
        a blank reason is not a reason: it is counted in ``attrs["not_recorded"]``
        (``attrs["lost"]``: all lost deals), never in the table.
    """
    d = deals_table(deals, ["refusal_reason"])
    lost = d[d["outcome"] == "lost"]
    reason = lost["refusal_reason"].astype("string").str.strip()
    recorded = reason.notna() & (reason != "")
    amount = (
        lost["planned_amount"]
        if "planned_amount" in lost.columns
        else pd.Series(0.0, index=lost.index)
    )
    g = pd.DataFrame({"reason": reason[recorded], "amount": amount[recorded].fillna(0)})
    g = g.groupby("reason")
    out = pd.DataFrame({"n": g.size(), "lost_amount": g["amount"].sum()}).reset_index()
    out = out.sort_values(["n", "reason"], ascending=[False, True], ignore_index=True)
    total = out["n"].sum()
    out["share"] = out["n"] / total if total else np.nan
    out["cumulative_share"] = out["share"].cumsum()
    before = out["cumulative_share"] - out["share"]
    out["vital_few"] = before < vital - 1e-12
    out = out[["reason", "n", "share", "cumulative_share", "lost_amount", "vital_few"]]
    out.attrs.update(lost=int(len(lost)), not_recorded=int((~recorded).sum()))
    return out
