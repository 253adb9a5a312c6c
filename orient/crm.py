"""CRM pipeline analytics: funnel, win rates, sales cycle, refusals, receivables, customer card.

Works on the deals table (one row per deal): ``deal_id``, ``manager``, ``client``,
``segment``, ``region``, ``source``, ``stage``, ``created``, ``closed``, ``outcome``
(``won``/``lost``/``open``), ``refusal_reason``, ``planned_amount``, ``paid_amount``,
``invoice_due``.

A deal's ``stage`` is where it is now (open deals), where it was lost (lost
deals) or the last stage (won deals). A deal has *reached* every stage up to its
own, so the funnel counts are cumulative from the end. Proportions carry Wilson
score intervals; cells with fewer closed deals than the minimum base are
suppressed (estimate and interval set to NaN, ``suppressed`` True).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._json import number as _f
from ._memo import memoised as _memoised
from ._text import company_language, format_number, sentence
from ._validate import (
    check_columns,
    check_confidence,
    check_dataframe,
    check_positive_int,
)

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

OUTCOMES = ("won", "lost", "open")


def data_needed(language: str = "en") -> str:
    """What the optional table enables, said where it is absent.

    Parameters
    ----------
    language : {"en", "ru"}
        The report language (``company.language`` or ``result.language``).

    Returns
    -------
    str
        One sentence naming the file and its columns.
    """
    return sentence("crm.data_needed", language)


#: what the optional table enables, shown where it is absent (English; see
#: :func:`data_needed` for the company's language)
DATA_NEEDED = {"deals": data_needed()}


def _deals(deals: Any, columns: Sequence[str] = ()) -> pd.DataFrame:
    deals = check_dataframe(deals, "deals")
    check_columns(deals, ["deal_id", "outcome", *columns], "deals")
    d = deals.copy()
    d["outcome"] = d["outcome"].astype(str).str.strip().str.lower()
    bad = ~d["outcome"].isin(OUTCOMES)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(f"Column 'outcome' of `deals` must be one of won, lost, open; "
                         f"row {i} has {deals['outcome'].iloc[i]!r}.")
    for col in ("created", "closed", "invoice_due"):
        if col in d.columns:
            d[col] = pd.to_datetime(d[col])
    return d


def _wilson(k: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    lo = np.full(len(n), np.nan)
    hi = np.full(len(n), np.nan)
    ok = n > 0
    if ok.any():
        # imported here: statsmodels takes 0.7 s to import, and few reports need it
        from statsmodels.stats.proportion import proportion_confint

        lo[ok], hi[ok] = proportion_confint(k[ok], n[ok], alpha=1 - confidence, method="wilson")
    return lo, hi


# --- funnel ---------------------------------------------------------------------------------


def _terminal_lost(d: pd.DataFrame) -> set:
    """Stage labels that hold only lost deals (a "Lost" column in the CRM export)."""
    by = d.groupby("stage")["outcome"].agg(lambda s: set(s))
    return {k for k, v in by.items() if v == {"lost"}}


def _stage_order(d: pd.DataFrame, stages: Sequence[str] | None) -> list[str]:
    if stages is not None:
        stages = list(stages)
        unknown = d.loc[~d["stage"].isin(stages) & (d["outcome"] != "lost"), "stage"]
        if len(unknown):
            raise ValueError(f"Stage {unknown.iloc[0]!r} in `deals` is not in `stages` "
                             f"({', '.join(map(str, stages))}).")
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


def funnel(deals: pd.DataFrame, *, stages: Sequence[str] | None = None,
           confidence: float = 0.95) -> pd.DataFrame:
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
    d = _deals(deals, ["stage"])
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
    lo, hi = _wilson(reached_a[1:], prev[1:], confidence)
    total = len(d)
    return pd.DataFrame({
        "stage": labels, "reached": reached, "at_stage_open": open_now, "lost_here": lost,
        "conversion": conv, "ci_low": np.r_[np.nan, lo], "ci_high": np.r_[np.nan, hi],
        "from_start": reached_a / total if total else np.nan,
    })


# --- win rates ---------------------------------------------------------------------------------


def win_rates(deals: pd.DataFrame, by: str, *, min_base: int = 30,
              confidence: float = 0.95) -> pd.DataFrame:
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
    d = _deals(deals, [by])
    min_base = check_positive_int(min_base, "min_base", allow_zero=True)
    confidence = check_confidence(confidence)
    closed = d[d["outcome"] != "open"]
    g = closed.groupby(by, sort=True, dropna=False)
    n = g.size()
    won = g["outcome"].apply(lambda s: int((s == "won").sum())).reindex(n.index)
    open_n = d[d["outcome"] == "open"].groupby(by, dropna=False).size().reindex(
        n.index, fill_value=0)
    rows = pd.DataFrame({"group": n.index.astype(str), "n": n.to_numpy(), "won": won.to_numpy(),
                         "open": open_n.to_numpy()})
    all_row = pd.DataFrame({"group": ["all"], "n": [len(closed)],
                            "won": [int((closed["outcome"] == "won").sum())],
                            "open": [int((d["outcome"] == "open").sum())]})
    out = pd.concat([rows, all_row], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["estimate"] = out["won"] / out["n"]
    out["ci_low"], out["ci_high"] = _wilson(out["won"], out["n"], confidence)
    out["suppressed"] = out["n"] < min_base
    out.loc[out["suppressed"], ["estimate", "ci_low", "ci_high"]] = np.nan
    body = out.iloc[:-1].sort_values(["suppressed", "estimate", "n"],
                                     ascending=[True, False, False])
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
    d = _deals(deals, ["created", "closed"] + ([by] if by else []))
    c = d[(d["outcome"] != "open") & d["closed"].notna() & d["created"].notna()].copy()
    c["days"] = (c["closed"] - c["created"]).dt.total_seconds() / 86400
    keys = ([by] if by else []) + ["outcome"]
    g = c.groupby(keys, sort=True)["days"]
    out = pd.DataFrame({
        "n": g.size(), "mean_days": g.mean(), "median_days": g.median(),
        "p25_days": g.quantile(0.25), "p75_days": g.quantile(0.75), "p90_days": g.quantile(0.9),
    }).reset_index()
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
        One row per reason, most frequent first (missing reasons as
        ``"(not given)"``): ``reason``, ``n``, ``share``, ``cumulative_share``,
        ``lost_amount`` (planned amount of those deals, 0 when not recorded) and
        ``vital_few`` (the reasons needed to reach ``vital`` of lost deals).
    """
    d = _deals(deals, ["refusal_reason"])
    lost = d[d["outcome"] == "lost"]
    reason = lost["refusal_reason"].astype("string").str.strip().fillna("(not given)")
    reason = reason.where(reason != "", "(not given)")
    amount = lost["planned_amount"] if "planned_amount" in lost.columns else pd.Series(
        0.0, index=lost.index)
    g = pd.DataFrame({"reason": reason, "amount": amount.fillna(0)}).groupby("reason")
    out = pd.DataFrame({"n": g.size(), "lost_amount": g["amount"].sum()}).reset_index()
    out = out.sort_values(["n", "reason"], ascending=[False, True], ignore_index=True)
    total = out["n"].sum()
    out["share"] = out["n"] / total if total else np.nan
    out["cumulative_share"] = out["share"].cumsum()
    before = out["cumulative_share"] - out["share"]
    out["vital_few"] = before < vital - 1e-12
    return out[["reason", "n", "share", "cumulative_share", "lost_amount", "vital_few"]]


# --- money ------------------------------------------------------------------------------------


def planned_vs_paid(deals: pd.DataFrame, *, by: str | None = "manager") -> pd.DataFrame:
    """Planned against paid amounts of won deals.

    Returns
    -------
    DataFrame
        One row per group (or one ``"all"`` row when ``by`` is None), plus ``"all"``:
        ``group``, ``n`` (won deals), ``planned``, ``paid``, ``paid_ratio``
        (paid / planned) and ``unpaid`` (planned - paid, at least 0 per deal).
    """
    d = _deals(deals, ["planned_amount", "paid_amount"] + ([by] if by else []))
    w = d[d["outcome"] == "won"].assign(
        _unpaid=lambda x: (x["planned_amount"].fillna(0) - x["paid_amount"].fillna(0)).clip(
            lower=0))

    def agg(x: pd.DataFrame) -> dict:
        planned = float(x["planned_amount"].fillna(0).sum())
        paid = float(x["paid_amount"].fillna(0).sum())
        return {"n": len(x), "planned": planned, "paid": paid,
                "paid_ratio": paid / planned if planned else np.nan,
                "unpaid": float(x["_unpaid"].sum())}

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


def _as_of(d: pd.DataFrame, as_of: Any) -> pd.Timestamp:
    if as_of is not None:
        return pd.Timestamp(as_of)
    dates = [d[c].max() for c in ("created", "closed", "invoice_due") if c in d.columns]
    dates = [x for x in dates if pd.notna(x)]
    return max(dates)


def receivables_ageing(deals: pd.DataFrame, *, as_of: Any = None,
                       bands: Sequence[int] = (0, 30, 60, 90)) -> pd.DataFrame:
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
    d = _deals(deals, ["planned_amount", "paid_amount", "invoice_due"])
    ref = _as_of(d, as_of)
    o = _outstanding(d)
    days = (ref - o["invoice_due"]).dt.days
    edges = list(bands)
    labels = ["not due"] + [f"{lo + 1}-{hi} days" for lo, hi in zip(edges[:-1], edges[1:],
                                                                     strict=True)]
    labels += [f"over {edges[-1]} days"]
    band = pd.cut(days, [-np.inf, *edges, np.inf], right=True, labels=labels)
    amount = o.groupby(band, observed=False)["outstanding"].sum().reindex(labels, fill_value=0)
    n = band.value_counts().reindex(labels, fill_value=0)
    total = amount.sum()
    return pd.DataFrame({"band": labels, "n": n.to_numpy(), "amount": amount.to_numpy(),
                         "share": (amount / total).to_numpy() if total else np.zeros(len(labels))})


def overdue_invoices(deals: pd.DataFrame, *, as_of: Any = None) -> pd.DataFrame:
    """Overdue invoices, largest outstanding amount first.

    Returns
    -------
    DataFrame
        ``deal_id``, ``client``, ``manager``, ``invoice_due``, ``days_overdue``,
        ``planned_amount``, ``paid_amount``, ``outstanding``.
    """
    d = _deals(deals, ["planned_amount", "paid_amount", "invoice_due"])
    ref = _as_of(d, as_of)
    o = _outstanding(d)
    o = o[o["invoice_due"] < ref].copy()
    o["days_overdue"] = (ref - o["invoice_due"]).dt.days
    cols = ["deal_id", "client", "manager", "invoice_due", "days_overdue", "planned_amount",
            "paid_amount", "outstanding"]
    for c in cols:
        if c not in o.columns:
            o[c] = pd.NA
    return o[cols].sort_values(["outstanding", "days_overdue"], ascending=False,
                               ignore_index=True)


# --- customer card -----------------------------------------------------------------------------


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

        items = "".join(f"<tr><th>{escape(str(k))}</th><td>{escape(str(v))}</td></tr>"
                        for k, v in self.summary.items())
        return f"<b>Client {escape(self.client)}</b><table>{items}</table>"


def customer_card(client: Any, *, deals: pd.DataFrame | None = None,
                  claims: pd.DataFrame | None = None, survey: pd.DataFrame | None = None,
                  as_of: Any = None) -> CustomerCard:
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
        dd = _deals(dl)
        won = dd["outcome"] == "won"
        closed = int((dd["outcome"] != "open").sum())
        s.update(deals=len(dd), won=int(won.sum()), lost=int((dd["outcome"] == "lost").sum()),
                 open=int((dd["outcome"] == "open").sum()),
                 win_rate=float(won.sum() / closed) if closed else None)
        if {"planned_amount", "paid_amount"}.issubset(dd.columns):
            planned = float(dd.loc[won, "planned_amount"].fillna(0).sum())
            paid = float(dd.loc[won, "paid_amount"].fillna(0).sum())
            s.update(planned_won=planned, paid=paid, outstanding=max(planned - paid, 0.0))
            if "invoice_due" in dd.columns and deals is not None:
                od = overdue_invoices(dd, as_of=as_of if as_of is not None else
                                      _as_of(_deals(deals), None))
                s["overdue"] = float(od["outstanding"].sum())
    else:
        s.update(deals=0)
    if len(cl):
        s.update(claims=len(cl), claims_open=int(pd.to_datetime(cl["resolved"]).isna().sum())
                 if "resolved" in cl.columns else None,
                 amount_claimed=float(cl["amount_claimed"].sum())
                 if "amount_claimed" in cl.columns else None,
                 amount_settled=float(cl["amount_settled"].sum())
                 if "amount_settled" in cl.columns else None)
    else:
        s.update(claims=0)
    s["survey_responses"] = len(sv)
    if len(sv):
        last = sv.sort_values("wave").iloc[-1] if "wave" in sv.columns else sv.iloc[-1]
        for col in ("overall", "recommend"):
            if col in sv.columns and pd.notna(last[col]):
                s[col] = float(last[col])
    return CustomerCard(key, s, dl, cl, sv)


def pick_client(result: CRMResult | None = None, *, claims: pd.DataFrame | None = None
                ) -> str | None:
    """A client worth a customer card: the one owing the most overdue money, else the one
    with the most claims (None when neither table helps)."""
    if result is not None and result.overdue is not None and len(result.overdue):
        return str(result.overdue["client"].iloc[0])
    if claims is not None and "customer_id" in claims.columns and claims["customer_id"].notna().any():
        counts = claims["customer_id"].astype(str).value_counts()
        return str(counts.index[0])
    return None


# --- the stage entry point -----------------------------------------------------------------------


@dataclass(frozen=True)
class CRMResult:
    """CRM pipeline results of one company (fields None when the deals table is absent).

    ``stages_inferred`` is True when the funnel's stage order was guessed from the
    data because company.yaml gives no ``crm.stages``. ``language`` is the language of
    the headline's ``risk`` sentence (``company.language``).
    """

    funnel: pd.DataFrame | None
    win_by_manager: pd.DataFrame | None
    win_by_source: pd.DataFrame | None
    win_by_segment: pd.DataFrame | None
    win_by_region: pd.DataFrame | None
    cycle: pd.DataFrame | None
    refusals: pd.DataFrame | None
    planned_paid: pd.DataFrame | None
    ageing: pd.DataFrame | None
    overdue: pd.DataFrame | None
    as_of: pd.Timestamp | None
    min_base: int
    stages_inferred: bool = False
    language: str = "en"


def _profile_stages(company: Any) -> list[str] | None:
    profile = getattr(company, "profile", None)
    for name in ("crm", "pipeline", "deals"):
        block = getattr(profile, name, None)
        if block is None and isinstance(profile, dict):
            block = profile.get(name)
        if block is None:
            continue
        stages = block.get("stages") if isinstance(block, dict) else getattr(block, "stages",
                                                                             None)
        if stages:
            return [str(s) for s in stages]
    return None


@_memoised
def analyse(company: Any, *, stages: Sequence[str] | None = None, as_of: Any = None,
            min_base: int | None = None) -> CRMResult:
    """CRM pipeline analytics for one company.

    Parameters
    ----------
    company : orient.Company
        Uses ``company.deals`` (None leaves every field None), ``company.min_base``
        and ``company.confidence``.
    stages : sequence of str, optional
        Pipeline stage order; default from company.yaml (``crm.stages``), else inferred.
    as_of : date-like, optional
        Reference date for receivables; default the latest date in the deals table.
    min_base : int, optional
        Smallest base for a win rate; default ``company.min_base`` (30).

    Returns
    -------
    CRMResult
    """
    base = int(min_base if min_base is not None else getattr(company, "min_base", 30) or 30)
    conf = float(getattr(company, "confidence", 0.95) or 0.95)
    d = getattr(company, "deals", None)
    if d is None or not len(d):
        return CRMResult(*([None] * 11), min_base=base, language=company_language(company))
    d = _deals(d)
    stages = stages if stages is not None else _profile_stages(company)
    fun = funnel(d, stages=stages, confidence=conf) if "stage" in d.columns else None

    def wr(col: str) -> pd.DataFrame | None:
        return win_rates(d, col, min_base=base, confidence=conf) if col in d.columns else None

    cyc = sales_cycle(d) if {"created", "closed"}.issubset(d.columns) else None
    ref = refusal_pareto(d) if "refusal_reason" in d.columns else None
    money = {"planned_amount", "paid_amount"}.issubset(d.columns)
    pp = planned_vs_paid(d, by="manager" if "manager" in d.columns else None) if money else None
    age = od = None
    ref_date = None
    if money and "invoice_due" in d.columns:
        ref_date = _as_of(d, as_of)
        age = receivables_ageing(d, as_of=ref_date)
        od = overdue_invoices(d, as_of=ref_date)
    return CRMResult(fun, wr("manager"), wr("source"), wr("segment"), wr("region"), cyc, ref,
                     pp, age, od, ref_date, base, stages_inferred=fun is not None and stages is None,
                     language=company_language(company))



def headline(result: CRMResult) -> dict:
    """Headline CRM numbers, JSON-safe.

    Returns
    -------
    dict
        ``deals``, ``win_rate`` with ``win_rate_ci_low``/``win_rate_ci_high``,
        ``median_cycle_days`` (won deals), ``top_refusal`` and ``top_refusal_share``,
        ``paid_ratio`` (paid / planned of won deals), ``receivables``,
        ``overdue_amount``, ``overdue_share`` (of receivables),
        ``overdue_over_90_amount``, ``as_of`` (ISO date), and ``risk`` /
        ``risk_value`` / ``risk_unit``: the biggest operational risk in words with
        its number. None where the data is absent.
    """
    h: dict[str, Any] = dict.fromkeys(
        ("deals", "win_rate", "win_rate_ci_low", "win_rate_ci_high", "median_cycle_days",
         "top_refusal", "top_refusal_share", "paid_ratio", "receivables", "overdue_amount",
         "overdue_share", "overdue_over_90_amount", "as_of", "risk", "risk_value", "risk_unit", "risk_severity"))
    risks = []
    wr = next((w for w in (result.win_by_manager, result.win_by_source, result.win_by_segment,
                           result.win_by_region) if w is not None), None)
    if wr is not None:
        a = wr[wr["group"] == "all"].iloc[0]
        h.update(deals=int(a["n"] + a["open"]), win_rate=_f(a["estimate"]),
                 win_rate_ci_low=_f(a["ci_low"]), win_rate_ci_high=_f(a["ci_high"]))
    elif result.funnel is not None:
        h["deals"] = int(result.funnel["reached"].iloc[0])
    if result.cycle is not None:
        won = result.cycle[result.cycle["outcome"] == "won"]
        if len(won):
            h["median_cycle_days"] = _f(won["median_days"].iloc[0])
    if result.refusals is not None and len(result.refusals):
        top = result.refusals.iloc[0]
        h.update(top_refusal=str(top["reason"]), top_refusal_share=_f(top["share"]))
        if top["share"] >= 0.3 and top["n"] >= 5:
            risks.append((top["share"] * 0.8, sentence(
                "crm.risk_refusal", result.language, share=top["share"], reason=top["reason"]),
                _f(top["share"]), "share"))
    if result.planned_paid is not None:
        h["paid_ratio"] = _f(result.planned_paid.iloc[-1]["paid_ratio"])
    if result.ageing is not None:
        ag = result.ageing
        total = float(ag["amount"].sum())
        overdue = float(ag.loc[ag["band"] != "not due", "amount"].sum())
        h.update(receivables=total, overdue_amount=overdue,
                 overdue_share=overdue / total if total else None,
                 overdue_over_90_amount=_f(ag["amount"].iloc[-1]),
                 as_of=result.as_of.date().isoformat() if result.as_of is not None else None)
        if total and overdue / total > 0.1:
            risks.append((overdue / total, sentence(
                "crm.risk_overdue", result.language, share=overdue / total, overdue=overdue),
                overdue, "amount"))
    if risks:
        severity, text, value, unit = max(risks, key=lambda r: r[0])
        h.update(risk=text, risk_value=_f(value), risk_unit=unit, risk_severity=_f(severity))
    return h


def key_figures(result: CRMResult, *, currency: str = "") -> pd.DataFrame:
    """The headline CRM numbers as a small table for people.

    Returns
    -------
    DataFrame
        Indexed by ``measure`` (label in ``result.language``), one column ``value``
        (text, numbers in that language's format).
    """
    h = headline(result)
    language = result.language
    cur = f" {currency}" if currency else ""

    def text(key: str, **values: Any) -> str:
        return sentence(f"crm.figures.{key}", language, **values)

    def pct(share: float) -> str:
        return format_number(share * 100, language, 0) + "%"

    rows = []
    if h["deals"] is not None:
        rows.append((text("deals"), format_number(h["deals"], language, 0)))
    if h["win_rate"] is not None:
        rows.append((text("win_rate"), text("win_rate_value", rate=h["win_rate"],
                                            low=h["win_rate_ci_low"],
                                            high=h["win_rate_ci_high"])))
    if h["median_cycle_days"] is not None:
        rows.append((text("median_cycle_days"),
                     format_number(h["median_cycle_days"], language, 0)))
    if h["top_refusal"] is not None:
        rows.append((text("top_refusal"), text("top_refusal_value", reason=h["top_refusal"],
                                               share=h["top_refusal_share"])))
    if h["paid_ratio"] is not None:
        rows.append((text("paid_ratio"), pct(h["paid_ratio"])))
    if h["receivables"] is not None:
        rows.append((text("receivables", as_of=h["as_of"]),
                     format_number(h["receivables"], language, 0) + cur))
        rows.append((text("overdue_amount"), format_number(h["overdue_amount"], language, 0)
                     + cur))
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")
