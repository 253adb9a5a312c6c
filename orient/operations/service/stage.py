"""Service-centre stage: analyse one company's calls and claims, its headline and key figures.

:func:`analyse` reads ``company.calls``, ``company.claims`` and company.yaml's
``service`` block and calls the methods of :mod:`.erlang`, :mod:`.calls` and
:mod:`.claims`; :func:`headline` gives the JSON-safe numbers of summary.json with
the biggest risk in words (sentences from :mod:`.narrative`), :func:`key_figures`
the same numbers as a small table for people.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient._json import number as _f
from orient._memo import memoised as _memoised
from orient._validate import check_choice
from orient.i18n import company_language
from orient.operations.risk import operational_risk
from orient.operations.service import claims as _claims
from orient.operations.service import narrative
from orient.operations.service.calls import hourly_profile, interval_seconds, staffing
from orient.operations.service.centre import (
    CentreResult,
    analyse_centre,
    centre_headline,
    day_by_hour,
    patience_from_intervals,
    voice_calls,
)
from orient.operations.service.complaints import status_shares
from orient.operations.service.complaints_analytics import (
    ComplaintsResult,
    analyse_complaints,
    complaints_headline,
)

__all__ = [
    "DATA_NEEDED",
    "ServiceResult",
    "analyse",
    "claims_backlog",
    "data_needed",
    "headline",
    "key_figures",
    "operational_risk",
]


def data_needed(part: str, language: str = "en") -> str:
    """What the optional table ``part`` enables, said where it is absent.

    Parameters
    ----------
    part : {"calls", "claims"}
        The table.
    language : {"en", "ru"}
        The report language (``company.language`` or ``result.language``).

    Returns
    -------
    str
        One sentence naming the file and its columns.
    """
    check_choice(part, ("calls", "claims"), "part")
    return narrative.data_needed_text(part, language)


#: what each optional table enables, shown where it is absent (English; see
#: :func:`data_needed` for the company's language)
DATA_NEEDED = {part: data_needed(part) for part in ("calls", "claims")}


def claims_backlog(
    claims: pd.DataFrame,
    *,
    as_of: Any = None,
    bins: Sequence[int] = (0, 7, 30, 90),
    language: str = "en",
) -> pd.DataFrame:
    """Open claims by age, the bands labelled in ``language``.

    :func:`orient.operations.service.claims.claims_backlog` with the labels of
    :func:`orient.operations.service.narrative.age_band_labels`.

    Parameters
    ----------
    as_of : date-like, optional
        Reference date; by default the latest date in the table.
    bins : tuple of int
        Lower edges of the age bands in days.
    language : {"en", "ru"}
        Language of the band labels.

    Returns
    -------
    DataFrame
        One row per age band: ``age_band`` (e.g. ``"7-29 days"``, ``"7–29 дней"``), ``n`` (open
        claims), ``amount_claimed`` (their sum) and ``share`` (of open claims).
    """
    return _claims.claims_backlog(
        claims, as_of=as_of, bins=tuple(bins), labels=narrative.age_band_labels(bins, language)
    )


@dataclass(frozen=True)
class ServiceResult:
    """Service-centre and claims results of one company (fields None when the table is absent).

    Attributes
    ----------
    staffing, hourly : DataFrame or None
        :func:`staffing` and :func:`hourly_profile` of ``company.calls``.
    target_s, target_level, max_abandon_rate : float
        The service targets used.
    claim_target_days : float or None
        Target time to resolve a claim.
    claims_by_category, claims_monthly, claims_backlog, resolution : DataFrame or None
        :func:`claims_by_category`, :func:`claims_monthly`, :func:`claims_backlog`
        and :func:`resolution_times` of ``company.claims``.
    claims_within_target : float or None
        Share of resolved claims resolved within ``claim_target_days``.
    claims_resolution_recorded : bool
        Whether the claims table records resolution dates (else there is no backlog,
        no time to resolve and no open count: not known, not zero).
    claims_status : DataFrame or None
        :func:`orient.operations.service.complaints.status_shares`: the shares of
        timely responses, disputes and each response, when the table has those fields.
    interval_s, agent_cost_per_hour : float or None
        Interval length used, and the cost of an agent hour from company.yaml.
    language : str
        The language of the headline's ``risk`` sentence (``company.language``).
    claims_missing : tuple of str
        The optional claims columns the table does not have (``resolved``,
        ``amount_settled``, ``customer_id``): the parts needing them are not computed.
    complaints : ComplaintsResult or None
        :func:`orient.operations.service.complaints_analytics.analyse_complaints`: times
        to response and closure, the company's own deadline, cuts by product, channel
        and category, and the monthly trend per category.
    centre : CentreResult or None
        Call-centre planning over the average day (:func:`.centre.analyse_centre`):
        Erlang A or C staff, roster, chat, tiers, service hours, make or buy.
    defaults : tuple of str
        The targets company.yaml's ``service`` section does not set (nor the call),
        so orient's defaults were used: ``target_level``, ``target_s``,
        ``max_abandon_rate``.
    """

    staffing: pd.DataFrame | None
    hourly: pd.DataFrame | None
    target_s: float
    target_level: float
    claims_by_category: pd.DataFrame | None
    claims_monthly: pd.DataFrame | None
    claims_backlog: pd.DataFrame | None
    resolution: pd.DataFrame | None
    max_abandon_rate: float = 0.05
    claim_target_days: float | None = None
    claims_within_target: float | None = None
    interval_s: float | None = None
    agent_cost_per_hour: float | None = None
    language: str = "en"
    claims_resolution_recorded: bool = True
    claims_status: pd.DataFrame | None = None
    claims_missing: tuple[str, ...] = ()
    complaints: ComplaintsResult | None = None
    centre: CentreResult | None = None
    defaults: tuple[str, ...] = ()


#: optional claims columns: without them a part of the claims analysis is not computed
OPTIONAL_CLAIM_COLUMNS = ("resolved", "amount_claimed", "amount_settled", "customer_id")


def _service_keys_set(company: Any) -> set[str]:
    """The keys company.yaml's ``service`` block sets (not those left to their default)."""
    profile = getattr(company, "profile", None)
    block = getattr(profile, "service", None)
    if block is None and isinstance(profile, dict):
        block = profile.get("service")
    if block is None:
        return set()
    if hasattr(block, "model_fields_set"):
        return {k for k in block.model_fields_set if getattr(block, k, None) is not None}
    return {k for k, v in dict(block).items() if v is not None}


def _service_spec(company: Any) -> dict:
    """company.yaml's ``service`` block as a dict (empty when absent)."""
    profile = getattr(company, "profile", None)
    block = getattr(profile, "service", None)
    if block is None and isinstance(profile, dict):
        block = profile.get("service")
    if block is None:
        return {}
    if hasattr(block, "model_dump"):
        block = block.model_dump()
    return {k: v for k, v in dict(block).items() if v is not None}


@_memoised
def analyse(
    company: Any,
    *,
    target_s: float | None = None,
    target_level: float | None = None,
    as_of: Any = None,
) -> ServiceResult:
    """Service-centre staffing and claims handling for one company.

    Parameters
    ----------
    company : orient.Company
        Uses ``company.calls`` and ``company.claims`` (either may be None) and
        company.yaml's ``service`` block (``target_s``, ``target_level``,
        ``interval_min``, ``max_abandon_rate``, ``shrinkage``, ``claim_target_days``).
    target_s, target_level : float, optional
        Override the service-level target (default from company.yaml, else 80 %
        of calls answered within 20 s).
    as_of : date-like, optional
        Reference date for the claims backlog.

    Returns
    -------
    ServiceResult
    """
    spec = _service_spec(company)
    given = _service_keys_set(company)
    given |= {
        k for k, v in (("target_s", target_s), ("target_level", target_level)) if v is not None
    }
    defaults = tuple(k for k in ("target_level", "target_s", "max_abandon_rate") if k not in given)
    target_s = float(target_s if target_s is not None else spec.get("target_s", 20))
    target_level = float(
        target_level if target_level is not None else spec.get("target_level", 0.8)
    )
    interval_s = float(spec["interval_min"]) * 60 if "interval_min" in spec else None
    calls = getattr(company, "calls", None)
    claims = getattr(company, "claims", None)
    staff = hourly = centre = None
    if calls is not None and len(calls):
        if interval_s is None:
            interval_s = interval_seconds(calls["interval_start"])
        voice = voice_calls(calls, spec)
        patience = spec.get("patience_s") or patience_from_intervals(voice)
        staff = staffing(
            voice,
            interval_s=interval_s,
            target_s=target_s,
            target_level=target_level,
            shrinkage=float(spec.get("shrinkage", 0)),
            patience_s=patience,
            max_abandon=float(spec.get("max_abandon_rate", 0.05)) if patience else None,
        )
        hourly = hourly_profile(staff)
        centre = analyse_centre(
            calls, spec, interval_s=interval_s, target_s=target_s, target_level=target_level
        )
    cat = monthly = backlog = res = status = None
    within = None
    recorded = True
    missing: tuple[str, ...] = ()
    days = spec.get("claim_target_days")
    if claims is not None and len(claims):
        missing = tuple(c for c in OPTIONAL_CLAIM_COLUMNS if c not in claims.columns)
        cat = _claims.claims_by_category(claims)
        monthly = _claims.claims_monthly(claims)
        status = status_shares(claims, confidence=float(getattr(company, "confidence", 0.95)))
        recorded = _claims.resolution_recorded(claims)
    if recorded and cat is not None:
        backlog = claims_backlog(
            claims,
            as_of=as_of,
            bins=(0, 7, int(days), 2 * int(days)) if days and days > 7 else (0, 7, 30, 90),
            language=company_language(company),
        )
        res = _claims.resolution_times(claims)
        if days:
            within = _claims.resolved_within(claims, days)
    complaints = analyse_complaints(
        claims,
        deadline_days=float(days) if days else None,
        min_base=int(getattr(company, "min_base", 30) or 30),
        confidence=float(getattr(company, "confidence", 0.95)),
        as_of=as_of,
    )
    return ServiceResult(
        staff,
        hourly,
        target_s,
        target_level,
        cat,
        monthly,
        backlog,
        res,
        float(spec.get("max_abandon_rate", 0.05)),
        float(days) if days else None,
        within,
        interval_s,
        spec.get("agent_cost_per_hour"),
        company_language(company),
        recorded,
        status,
        missing,
        complaints,
        centre,
        defaults,
    )


def headline(result: ServiceResult) -> dict:
    """Headline numbers of the service centre and claims, JSON-safe.

    Returns
    -------
    dict
        ``service_level`` (calls answered within target over calls offered),
        ``service_target_level``, ``service_target_s``, ``abandon_rate``,
        ``intervals_below_target`` (share), ``peak_hour``, ``peak_staff_gap``
        (mean agents short in the worst hour), ``claims_n``, ``claims_open``,
        ``claims_median_days``, ``claims_p90_days``, ``claims_settled_ratio``,
        ``claims_within_target`` (share resolved within ``claim_target_days``),
        ``extra_agent_hours`` (agent-hours to add over the period covered so every
        interval has the staff Erlang C requires, Erlang A when the callers' patience
        is known), ``spare_agent_hours`` (staffed
        beyond that), ``extra_cost`` (extra hours times ``agent_cost_per_hour``),
        ``period_days`` (days of call data), and ``risk`` / ``risk_value`` /
        ``risk_unit``: the biggest operational risk
        in words with its number, and ``risk_severity`` (a rough score for ranking
        risks across modules with :func:`orient.operations.risk.operational_risk`). None where the data to
        compute it is absent. With calls, the call-centre planning numbers of
        :func:`.centre.centre_headline` too (staffing model, patience, the average
        day's peak agents and agent-hours; roster, chat, tiers, service hours and
        make-or-buy figures when company.yaml describes them).
    """
    h: dict[str, Any] = {
        "service_level": None,
        "service_target_level": result.target_level,
        "service_target_s": result.target_s,
        "abandon_rate": None,
        "intervals_below_target": None,
        "peak_hour": None,
        "peak_staff_gap": None,
        "claims_n": None,
        "claims_open": None,
        "claims_median_days": None,
        "claims_p90_days": None,
        "claims_settled_ratio": None,
        "claims_within_target": None,
        "claim_target_days": result.claim_target_days,
        "extra_agent_hours": None,
        "spare_agent_hours": None,
        "extra_cost": None,
        "period_days": None,
        "risk": None,
        "risk_value": None,
        "risk_unit": None,
        "risk_severity": None,
    }
    risks: list[tuple[float, str, float, str]] = []  # (severity, text, value, unit)
    s = result.staffing
    if s is not None and s["offered"].sum() > 0:
        offered = s["offered"].sum()
        level = float((s["achieved_level"].fillna(0) * s["offered"]).sum() / offered)
        abandon = float(s["abandoned"].sum() / offered)
        below = float(s.loc[s["offered"] > 0, "below_target"].mean())
        hp = result.hourly
        if result.centre is not None:  # the average day's busiest hour, as in its table
            by_hour = day_by_hour(result.centre.requirement)
            peak = int(str(by_hour["offered"].idxmax())[:2])
        else:
            peak = int(hp["offered"].idxmax())
        worst = hp["staff_gap"].idxmax()
        h.update(
            service_level=level,
            abandon_rate=abandon,
            intervals_below_target=below,
            peak_hour=peak,
            peak_staff_gap=_f(hp.loc[worst, "staff_gap"]),
        )
        if result.interval_s:
            hours = result.interval_s / 3600
            gap = s["staff_gap"].astype(float)
            extra = float(gap.clip(lower=0).sum() * hours)
            h.update(
                extra_agent_hours=extra,
                spare_agent_hours=float(-gap.clip(upper=0).sum() * hours),
                period_days=float(s["interval_start"].dt.normalize().nunique()),
                extra_cost=extra * result.agent_cost_per_hour
                if result.agent_cost_per_hour is not None
                else None,
            )
        shortfall = result.target_level - level
        if shortfall > 0:
            risks.append(
                (
                    shortfall / result.target_level + below / 2,
                    narrative.risk_sentence(
                        "level",
                        result.language,
                        level=level,
                        target=result.target_level,
                        target_s=result.target_s,
                        below=below,
                    ),
                    level,
                    "share",
                )
            )
        if abandon > result.max_abandon_rate:
            risks.append(
                (
                    abandon / result.max_abandon_rate - 1 + 0.1,
                    narrative.risk_sentence(
                        "abandon", result.language, abandon=abandon, limit=result.max_abandon_rate
                    ),
                    abandon,
                    "share",
                )
            )
    if result.claims_by_category is not None:
        c = result.claims_by_category
        n = int(c["n"].sum())
        h.update(claims_n=n, claims_resolution_recorded=result.claims_resolution_recorded)
        h.update(_status_headline(result.claims_status))
        n_open = 0
        if result.claims_resolution_recorded:
            res = result.resolution.set_index("category")
            n_open = int(c["open"].sum())
            claimed = c["amount_claimed"].sum()
            settled = c["amount_settled"]
            ratio = (
                float(settled.sum() / claimed) if claimed > 0 and settled.notna().any() else None
            )
            h.update(
                claims_open=n_open,
                claims_median_days=_f(res.loc["all", "median_days"]),
                claims_p90_days=_f(res.loc["all", "p90_days"]),
                claims_settled_ratio=ratio,
                claims_within_target=result.claims_within_target,
            )
        if result.claims_within_target is not None and result.claims_within_target < 0.9:
            late = 1 - result.claims_within_target
            risks.append(
                (
                    late,
                    narrative.risk_sentence(
                        "claims_late", result.language, late=late, days=result.claim_target_days
                    ),
                    late,
                    "share",
                )
            )
        backlog = result.claims_backlog
        old = int(backlog.loc[backlog.index[-1], "n"]) if backlog is not None else 0
        if n_open and old:
            share_old = old / n_open
            risks.append(
                (
                    share_old,
                    narrative.risk_sentence(
                        "claims_old",
                        result.language,
                        old=old,
                        share=share_old,
                        band=re.match(r"\d+", backlog["age_band"].iloc[-1]).group(),
                    ),
                    old,
                    "claims",
                )
            )
    h.update(complaints_headline(result.complaints))
    h.update(centre_headline(result.centre))
    if risks:
        severity, text, value, unit = max(risks, key=lambda r: r[0])
        h.update(risk=text, risk_value=_f(value), risk_unit=unit, risk_severity=_f(severity))
    return {
        k: (
            _f(v)
            if isinstance(v, (float, np.floating))
            else int(v)
            if isinstance(v, (np.integer,))
            else v
        )
        for k, v in h.items()
    }


def _status_headline(status: pd.DataFrame | None) -> dict:
    """``claims_timely_share`` and ``claims_disputed_share`` (with ``_ci_low``/``_ci_high``
    and ``_n``, the complaints recording it) when the register has those fields."""
    out: dict[str, Any] = {}
    if status is None:
        return out
    for field in ("timely", "disputed"):
        row = status[(status["field"] == field) & (status["value"] == "yes")]
        if len(row):
            r = row.iloc[0]
            out[f"claims_{field}_share"] = _f(r["share"])
            out[f"claims_{field}_ci_low"] = _f(r["ci_low"])
            out[f"claims_{field}_ci_high"] = _f(r["ci_high"])
            out[f"claims_{field}_n"] = int(r["n"])
    return out


def key_figures(
    result: ServiceResult, *, part: str | None = None, currency: str = ""
) -> pd.DataFrame:
    """The headline numbers as a small table for people, with units.

    Parameters
    ----------
    part : {"calls", "claims"}, optional
        Only the call-centre or only the claims measures; default both.
    currency : str, optional
        Shown after money amounts.

    Returns
    -------
    DataFrame
        Indexed by ``measure`` (plain-language label in ``result.language``), one
        column ``value`` (text, numbers in that language's format). Only measures
        whose data is present are listed.
    """
    h = headline(result)
    language = result.language
    kinds = {
        "service_level": "pct",
        "service_target_level": "pct",
        "intervals_below_target": "pct",
        "abandon_rate": "pct",
        "peak_hour": "hour",
        "peak_staff_gap": "num",
        "extra_agent_hours": "int",
        "spare_agent_hours": "int",
        "extra_cost": "int",
        "claims_n": "int",
        "claims_open": "int",
        "claims_median_days": "days",
        "claims_p90_days": "days",
        "claims_within_target": "pct",
        "claims_settled_ratio": "pct",
    }
    spec = [
        (k, narrative.figure_label(k, language, target_s=result.target_s), kind)
        for k, kind in kinds.items()
    ]
    if part is not None:
        check_choice(part, ("calls", "claims"), "part")
        spec = [x for x in spec if x[0].startswith("claims") == (part == "claims")]
    if h.get("period_days"):
        spec = [
            (
                k,
                narrative.figure_label("over_period", language, label=label, days=h["period_days"])
                if k in ("extra_agent_hours", "spare_agent_hours", "extra_cost")
                else label,
                kind,
            )
            for k, label, kind in spec
        ]
    rows = [
        (
            label,
            narrative.format_figure(h[k], kind, language)
            + (f" {currency}" if k == "extra_cost" and currency else ""),
        )
        for k, label, kind in spec
        if h.get(k) is not None
        and not (k.startswith("service_target") and h["service_level"] is None)
    ]
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")
