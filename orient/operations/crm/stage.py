"""CRM stage: one company's pipeline, win rates, cycle, refusals and receivables.

:func:`analyse` reads ``company.deals`` and company.yaml's stage order and calls the
methods of :mod:`.pipeline` and :mod:`.money`; :func:`headline` gives the JSON-safe
numbers of summary.json with the biggest risk in words (sentences from
:mod:`.narrative`), :func:`key_figures` the same numbers as a small table for
people, and :func:`pick_client` a client worth a customer card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from orient._json import number as _f
from orient._memo import memoised as _memoised
from orient.i18n import company_language
from orient.operations.crm import narrative
from orient.operations.crm.deals import activity_date, deals_table, reference_date
from orient.operations.crm.frontline import FrontLine, frontline, frontline_headline
from orient.operations.crm.money import overdue_invoices, planned_vs_paid, receivables_ageing
from orient.operations.crm.pipeline import funnel, refusal_pareto, sales_cycle, win_rates
from orient.operations.crm.sales import SalesIndicators, sales_headline, sales_indicators

__all__ = [
    "DATA_NEEDED",
    "CRMResult",
    "analyse",
    "data_needed",
    "headline",
    "key_figures",
    "pick_client",
]


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
    return narrative.data_needed_text(language)


#: what the optional table enables, shown where it is absent (English; see
#: :func:`data_needed` for the company's language)
DATA_NEEDED = {"deals": data_needed()}


@dataclass(frozen=True)
class CRMResult:
    """CRM pipeline results of one company (fields None when the deals table is absent).

    ``stages_inferred`` is True when the funnel's stage order was guessed from the
    data because company.yaml gives no ``crm.stages``. ``language`` is the language of
    the headline's ``risk`` sentence (``company.language``) and ``currency`` the unit of its
    money (``company.currency``); ``missing`` the optional deals columns the table does
    not have (:data:`OPTIONAL_DEAL_COLUMNS`); ``sales`` the sales director's indicators
    (:func:`~orient.operations.crm.sales.sales_indicators`: managers, forecast,
    commissions, stalled deals, clients in work, effects, contacts); ``frontline`` the
    customer lifetime value and next-best offers of won deals
    (:func:`~orient.operations.crm.frontline.frontline`), None where the deals hold neither.
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
    missing: tuple[str, ...] = ()
    currency: str = ""
    sales: SalesIndicators | None = None
    frontline: FrontLine | None = None


#: optional deals columns: without one, the part of the analysis needing it is not computed
OPTIONAL_DEAL_COLUMNS = (
    "segment",
    "region",
    "source",
    "closed",
    "refusal_reason",
    "paid_amount",
    "invoice_due",
)


def _profile_stages(company: Any) -> list[str] | None:
    profile = getattr(company, "profile", None)
    for name in ("crm", "pipeline", "deals"):
        block = getattr(profile, name, None)
        if block is None and isinstance(profile, dict):
            block = profile.get(name)
        if block is None:
            continue
        stages = block.get("stages") if isinstance(block, dict) else getattr(block, "stages", None)
        if stages:
            return [str(s) for s in stages]
    return None


@_memoised
def analyse(
    company: Any,
    *,
    stages: Sequence[str] | None = None,
    as_of: Any = None,
    min_base: int | None = None,
) -> CRMResult:
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
        return CRMResult(
            *([None] * 11),
            min_base=base,
            language=company_language(company),
            currency=str(getattr(company, "currency", "") or ""),
        )
    d = deals_table(d)
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
        ref_date = reference_date(d, as_of)
        age = receivables_ageing(d, as_of=ref_date)
        od = overdue_invoices(d, as_of=ref_date)
    return CRMResult(
        fun,
        wr("manager"),
        wr("source"),
        wr("segment"),
        wr("region"),
        cyc,
        ref,
        pp,
        age,
        od,
        ref_date,
        base,
        stages_inferred=fun is not None and stages is None,
        language=company_language(company),
        missing=tuple(c for c in OPTIONAL_DEAL_COLUMNS if c not in d.columns),
        currency=str(getattr(company, "currency", "") or ""),
        sales=sales_indicators(company, d, stages=stages, min_base=base, as_of=as_of),
        frontline=_frontline(company, d, activity_date(d, as_of), conf),
    )


def _frontline(company: Any, d: pd.DataFrame, as_of, confidence: float):
    spec = getattr(getattr(company, "profile", None), "crm", None)
    clv = getattr(spec, "clv", None)
    return frontline(
        d,
        as_of=as_of,
        horizon_months=int(getattr(clv, "horizon_months", 12)),
        discount_rate=float(getattr(clv, "discount_rate", 0.01)),
        system=getattr(spec, "frontline", None),
        confidence=confidence,
    )


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
        its number; then the sales director's indicators
        (:data:`~orient.operations.crm.sales.SALES_FIELDS`) and the front-line fields
        (:data:`~orient.operations.crm.frontline.FRONTLINE_FIELDS`). None where the data is
        absent.
    """
    h: dict[str, Any] = dict.fromkeys(
        (
            "deals",
            "win_rate",
            "win_rate_ci_low",
            "win_rate_ci_high",
            "median_cycle_days",
            "top_refusal",
            "top_refusal_share",
            "paid_ratio",
            "receivables",
            "overdue_amount",
            "overdue_share",
            "overdue_over_90_amount",
            "as_of",
            "risk",
            "risk_value",
            "risk_unit",
            "risk_severity",
        )
    )
    risks = []
    wr = next(
        (
            w
            for w in (
                result.win_by_manager,
                result.win_by_source,
                result.win_by_segment,
                result.win_by_region,
            )
            if w is not None
        ),
        None,
    )
    if wr is not None:
        a = wr[wr["group"] == "all"].iloc[0]
        h.update(
            deals=int(a["n"] + a["open"]),
            win_rate=_f(a["estimate"]),
            win_rate_ci_low=_f(a["ci_low"]),
            win_rate_ci_high=_f(a["ci_high"]),
        )
    elif result.funnel is not None:
        h["deals"] = int(result.funnel["reached"].iloc[0])
    if result.cycle is not None:
        won = result.cycle[result.cycle["outcome"] == "won"]
        if len(won):
            h["median_cycle_days"] = _f(won["median_days"].iloc[0])
    if result.refusals is not None and len(result.refusals):
        top = result.refusals.iloc[0]
        h.update(top_refusal=str(top["reason"]), top_refusal_share=_f(top["share"]))
        recorded = int(result.refusals["n"].sum())
        # a risk only when most lost deals say why (blank reasons are not a reason)
        if (
            top["share"] >= 0.3
            and top["n"] >= 5
            and recorded >= 0.5 * result.refusals.attrs.get("lost", recorded)
        ):
            risks.append(
                (
                    top["share"] * 0.8,
                    narrative.risk_sentence(
                        "refusal", result.language, share=top["share"], reason=top["reason"]
                    ),
                    _f(top["share"]),
                    "share",
                )
            )
    if result.planned_paid is not None:
        h["paid_ratio"] = _f(result.planned_paid.iloc[-1]["paid_ratio"])
    if result.ageing is not None:
        ag = result.ageing
        total = float(ag["amount"].sum())
        overdue = float(ag.loc[ag["band"] != "not due", "amount"].sum())
        h.update(
            receivables=total,
            overdue_amount=overdue,
            overdue_share=overdue / total if total else None,
            overdue_over_90_amount=_f(ag["amount"].iloc[-1]),
            as_of=result.as_of.date().isoformat() if result.as_of is not None else None,
        )
        if total and overdue / total > 0.1:
            risks.append(
                (
                    overdue / total,
                    narrative.risk_sentence(
                        "overdue",
                        result.language,
                        share=overdue / total,
                        overdue=overdue,
                        currency=result.currency,
                    ),
                    overdue,
                    "amount",
                )
            )
    h.update(sales_headline(result.sales))
    h.update(frontline_headline(result.frontline))
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
        return narrative.figure_label(key, language, **values)

    rows = []
    if h["deals"] is not None:
        rows.append((text("deals"), narrative.format_figure(h["deals"], language, 0)))
    if h["win_rate"] is not None:
        rows.append(
            (
                text("win_rate"),
                text(
                    "win_rate_value",
                    rate=h["win_rate"],
                    low=h["win_rate_ci_low"],
                    high=h["win_rate_ci_high"],
                ),
            )
        )
    if h["median_cycle_days"] is not None:
        rows.append(
            (
                text("median_cycle_days"),
                narrative.format_figure(h["median_cycle_days"], language, 0),
            )
        )
    if h["top_refusal"] is not None:
        rows.append(
            (
                text("top_refusal"),
                text("top_refusal_value", reason=h["top_refusal"], share=h["top_refusal_share"]),
            )
        )
    if h["paid_ratio"] is not None:
        rows.append(
            (
                text("paid_ratio"),
                narrative.format_figure(h["paid_ratio"], language, 0, percent=True),
            )
        )
    if h["receivables"] is not None:
        rows.append(
            (
                text("receivables", as_of=h["as_of"]),
                narrative.format_figure(h["receivables"], language, 0) + cur,
            )
        )
        rows.append(
            (
                text("overdue_amount"),
                narrative.format_figure(h["overdue_amount"], language, 0) + cur,
            )
        )
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")


def pick_client(
    result: CRMResult | None = None, *, claims: pd.DataFrame | None = None
) -> str | None:
    """A client worth a customer card: the one owing the most overdue money, else the one
    with the most claims (None when neither table helps)."""
    if result is not None and result.overdue is not None and len(result.overdue):
        return str(result.overdue["client"].iloc[0])
    if (
        claims is not None
        and "customer_id" in claims.columns
        and claims["customer_id"].notna().any()
    ):
        counts = claims["customer_id"].astype(str).value_counts()
        return str(counts.index[0])
    return None
