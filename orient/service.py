"""Service centre: Erlang C staffing, service levels and claims handling (stage IV).

The queueing model is Erlang C (M/M/N: Poisson arrivals, exponential handling
times, N agents, infinite patience). It is computed in a numerically stable way:
Erlang B as a ratio of Poisson probabilities in log space, and the upward
Erlang B recursion ``B(n+1) = a B(n) / (n + 1 + a B(n))`` when searching for the
number of agents, so tens of thousands of agents pose no overflow problem (the
textbook factorial formula overflows a float beyond about 170 agents).

Notation: ``a = calls * aht_s / interval_s`` is the offered traffic in Erlangs,
``n`` the number of agents.

* P(wait) ``C(n, a) = n B(n, a) / (n - a (1 - B(n, a)))`` for ``n > a`` (1 otherwise)
* service level ``SL = 1 - C exp(-(n - a) target_s / aht_s)``
* average speed of answer ``ASA = C aht_s / (n - a)``
* occupancy ``a / n``
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ._json import number as _f
from ._memo import memoised as _memoised
from ._text import company_language, format_number, sentence
from ._validate import (
    check_choice,
    check_columns,
    check_dataframe,
    check_number,
    check_positive_int,
)

__all__ = [
    "ServiceLevel",
    "ServiceResult",
    "agents_needed",
    "analyse",
    "claims_backlog",
    "claims_by_category",
    "claims_monthly",
    "erlang_b",
    "erlang_c",
    "data_needed",
    "headline",
    "hourly_profile",
    "key_figures",
    "operational_risk",
    "resolution_times",
    "staffing",
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
    return sentence(f"service.data_needed_{part}", language)


#: what each optional table enables, shown where it is absent (English; see
#: :func:`data_needed` for the company's language)
DATA_NEEDED = {part: data_needed(part) for part in ("calls", "claims")}

CALL_COLUMNS = ("interval_start", "offered", "answered", "answered_in_target", "abandoned", "aht_s")
CLAIM_COLUMNS = ("claim_id", "received", "resolved", "category", "amount_claimed", "amount_settled")


# --- argument checks -----------------------------------------------------------------


def _number(value: Any, name: str, *, low: float = 0.0, low_open: bool = False,
            high: float | None = None, high_open: bool = False) -> float:
    return check_number(value, name, low=low, low_open=low_open, high=high,
                        high_open=high_open)


# --- Erlang B and C -----------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLevel:
    """Erlang C performance of one interval with a given number of agents.

    Attributes
    ----------
    p_wait : float
        Probability that a call waits (Erlang C); 1 when agents <= traffic.
    service_level : float
        Share of calls answered within ``target_s`` seconds.
    asa_s : float
        Average speed of answer in seconds (``inf`` when agents <= traffic).
    occupancy : float
        Share of agent time busy with calls (traffic / agents, at most 1).
    """

    p_wait: float
    service_level: float
    asa_s: float
    occupancy: float

    def _repr_html_(self) -> str:
        return (
            "<table><tr><th>P(wait)</th><th>service level</th><th>ASA, s</th>"
            "<th>occupancy</th></tr>"
            f"<tr><td>{self.p_wait:.3f}</td><td>{self.service_level:.1%}</td>"
            f"<td>{self.asa_s:.1f}</td><td>{self.occupancy:.1%}</td></tr></table>"
        )


def erlang_b(traffic: float, agents: int) -> float:
    """Blocking probability of the Erlang B (M/M/N/N) loss system.

    Computed as ``poisson.pmf(agents, traffic) / poisson.cdf(agents, traffic)`` in
    log space, which is exact and stable for any number of agents.

    Parameters
    ----------
    traffic : float
        Offered traffic in Erlangs (>= 0).
    agents : int
        Number of servers (>= 0).

    Returns
    -------
    float
        The probability that an arriving call finds every agent busy.
    """
    a = _number(traffic, "traffic")
    n = check_positive_int(agents, "agents", allow_zero=True)
    return _erlang_b(a, n)


def _erlang_b(a: float, n: int) -> float:
    if a == 0:
        return 0.0 if n > 0 else 1.0
    if n <= 64:
        # the upward recursion from B(0) = 1: every term lies in [0, 1], and for few
        # agents it is faster than the two special-function calls below
        b = 1.0
        for k in range(1, n + 1):
            b = a * b / (k + a * b)
        return b
    return float(np.exp(stats.poisson.logpmf(n, a) - stats.poisson.logcdf(n, a)))


def _erlang_c_from_b(b: float, a: float, n: int) -> float:
    if a == 0:
        return 0.0
    if n <= a:
        return 1.0
    return min(1.0, n * b / (n - a * (1.0 - b)))


def _performance(a: float, n: int, aht_s: float, target_s: float, c: float) -> ServiceLevel:
    if a == 0:
        return ServiceLevel(0.0, 1.0, 0.0, 0.0)
    if n <= a:
        return ServiceLevel(1.0, 0.0, math.inf, 1.0)
    sl = 1.0 - c * math.exp(-(n - a) * target_s / aht_s)
    return ServiceLevel(c, max(0.0, min(1.0, sl)), c * aht_s / (n - a), a / n)


def erlang_c(calls: float, interval_s: float, aht_s: float, agents: int,
             target_s: float = 20) -> ServiceLevel:
    """Erlang C service level for one interval.

    Parameters
    ----------
    calls : float
        Calls offered in the interval (>= 0).
    interval_s : float
        Length of the interval in seconds (> 0), e.g. 1800 for half an hour.
    aht_s : float
        Average handling time per call in seconds (> 0), talk plus wrap-up.
    agents : int
        Agents answering calls (>= 0).
    target_s : float, default 20
        Answer-time target in seconds for the service level (>= 0).

    Returns
    -------
    ServiceLevel
        ``p_wait``, ``service_level``, ``asa_s`` and ``occupancy``. With no more
        agents than Erlangs of traffic the queue grows without bound:
        ``p_wait`` = 1, ``service_level`` = 0, ``asa_s`` = inf, ``occupancy`` = 1.

    Examples
    --------
    >>> sl = erlang_c(100, 1800, 180, 14)
    >>> round(sl.p_wait, 4), round(sl.service_level, 4)
    (0.1741, 0.8884)
    """
    calls = _number(calls, "calls")
    interval_s = _number(interval_s, "interval_s", low_open=True)
    aht_s = _number(aht_s, "aht_s", low_open=True)
    n = check_positive_int(agents, "agents", allow_zero=True)
    target_s = _number(target_s, "target_s")
    a = calls * aht_s / interval_s
    b = _erlang_b(a, n) if 0 < a < n else 1.0
    return _performance(a, n, aht_s, target_s, _erlang_c_from_b(b, a, n))


def agents_needed(calls: float, interval_s: float, aht_s: float, target_level: float | None = 0.8,
                  target_s: float = 20, *, max_p_wait: float | None = None,
                  max_occupancy: float | None = None, max_asa_s: float | None = None) -> int:
    """Smallest number of agents meeting every given criterion under Erlang C.

    Parameters
    ----------
    calls, interval_s, aht_s, target_s
        As in :func:`erlang_c`.
    target_level : float or None, default 0.8
        Required service level (share answered within ``target_s``), in (0, 1);
        ``None`` drops this criterion.
    max_p_wait : float, optional
        Highest acceptable probability of waiting, in (0, 1].
    max_occupancy : float, optional
        Highest acceptable agent occupancy, in (0, 1].
    max_asa_s : float, optional
        Highest acceptable average speed of answer in seconds (> 0).

    Returns
    -------
    int
        The number of agents; 0 when no calls are offered. Always more agents
        than Erlangs of traffic, so the queue is stable.

    Examples
    --------
    >>> agents_needed(100, 1800, 180)
    14
    """
    calls = _number(calls, "calls")
    interval_s = _number(interval_s, "interval_s", low_open=True)
    aht_s = _number(aht_s, "aht_s", low_open=True)
    target_s = _number(target_s, "target_s")
    if target_level is not None:
        target_level = _number(target_level, "target_level", low_open=True, high=1, high_open=True)
    if max_p_wait is not None:
        max_p_wait = _number(max_p_wait, "max_p_wait", low_open=True, high=1)
    if max_occupancy is not None:
        max_occupancy = _number(max_occupancy, "max_occupancy", low_open=True, high=1)
    if max_asa_s is not None:
        max_asa_s = _number(max_asa_s, "max_asa_s", low_open=True)
    return _agents_needed(calls * aht_s / interval_s, aht_s, target_s, target_level,
                          max_p_wait, max_occupancy, max_asa_s)


def _agents_needed(a: float, aht_s: float, target_s: float, target_level: float | None,
                   max_p_wait: float | None = None, max_occupancy: float | None = None,
                   max_asa_s: float | None = None) -> int:
    if a == 0:
        return 0
    n = math.floor(a) + 1  # the fewest agents that keep the queue stable
    if max_occupancy is not None:
        n = max(n, math.ceil(a / max_occupancy - 1e-12))
    b = _erlang_b(a, n)
    while True:
        c = _erlang_c_from_b(b, a, n)
        ok = True
        if target_level is not None:
            ok = 1.0 - c * math.exp(-(n - a) * target_s / aht_s) >= target_level
        if ok and max_p_wait is not None:
            ok = c <= max_p_wait
        if ok and max_asa_s is not None:
            ok = c * aht_s / (n - a) <= max_asa_s
        if ok:
            return n
        b = a * b / (n + 1 + a * b)  # Erlang B recursion, every term in [0, 1]
        n += 1


# --- call-centre intervals ---------------------------------------------------------------


def _interval_seconds(starts: pd.Series) -> float:
    t = pd.to_datetime(starts).sort_values().drop_duplicates()
    if len(t) < 2:
        return 1800.0
    step = t.diff().dropna().dt.total_seconds()
    step = step[step > 0]
    return float(step.mode().iloc[0]) if len(step) else 1800.0


def staffing(calls: pd.DataFrame, *, interval_s: float | None = None, target_s: float = 20,
             target_level: float = 0.8, max_occupancy: float | None = None,
             shrinkage: float = 0.0) -> pd.DataFrame:
    """Achieved against target service level, and required against implied staff, per interval.

    Parameters
    ----------
    calls : DataFrame
        One row per interval: ``interval_start`` (datetime), ``offered``, ``answered``,
        ``answered_in_target``, ``abandoned``, ``aht_s``; optionally ``agents``
        (agents actually staffed).
    interval_s : float, optional
        Interval length in seconds; by default the most common gap between
        consecutive ``interval_start`` values (1800 when there is one interval).
    target_s : float, default 20
        Answer-time target in seconds.
    target_level : float, default 0.8
        Target service level.
    max_occupancy : float, optional
        Cap on occupancy when computing required staff.
    shrinkage : float, default 0
        Share of paid agent time not available for calls (breaks, training);
        scheduled staff = required / (1 - shrinkage), rounded up.

    Returns
    -------
    DataFrame
        One row per interval, in time order, with columns:

        - ``interval_start``: start of the interval
        - ``hour``: hour of day (0-23)
        - ``offered``, ``answered``, ``abandoned``, ``aht_s``: as given
        - ``achieved_level``: ``answered_in_target / offered`` (NaN with no calls)
        - ``abandon_rate``: ``abandoned / offered``
        - ``traffic_erlangs``: ``offered * aht_s / interval_s``
        - ``required_agents``: Erlang C agents for ``target_level`` within ``target_s``
        - ``implied_agents``: agents in the ``agents`` column if given, else the
          Erlang C agents that would deliver the achieved level (what the
          interval was effectively staffed with, at least the stable minimum)
        - ``staff_gap``: ``required_agents - implied_agents`` (positive = short)
        - ``below_target``: achieved level under the target
        - ``scheduled_agents``: agents to schedule once shrinkage is allowed for
    """
    calls = check_dataframe(calls, "calls")
    check_columns(calls, CALL_COLUMNS, "calls")
    target_s = _number(target_s, "target_s")
    target_level = _number(target_level, "target_level", low_open=True, high=1, high_open=True)
    shrinkage = _number(shrinkage, "shrinkage", high=1, high_open=True)
    if interval_s is None:
        interval_s = _interval_seconds(calls["interval_start"])
    interval_s = _number(interval_s, "interval_s", low_open=True)

    d = calls.sort_values("interval_start").reset_index(drop=True)
    start = pd.to_datetime(d["interval_start"])
    offered = d["offered"].astype(float)
    aht = d["aht_s"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        achieved = np.where(offered > 0, d["answered_in_target"] / offered, np.nan)
        abandon = np.where(offered > 0, d["abandoned"] / offered, np.nan)
    traffic = (offered * aht / interval_s).fillna(0.0).to_numpy()
    aht_ok = aht.where(aht > 0).fillna(aht[aht > 0].mean() if (aht > 0).any() else 180.0)

    required = np.array([
        _agents_needed(a, h, target_s, target_level, max_occupancy=max_occupancy)
        for a, h in zip(traffic, aht_ok, strict=True)
    ])
    if "agents" in d.columns:
        implied = d["agents"].astype(float).to_numpy()
    else:
        implied = np.array([
            0 if a == 0 or not np.isfinite(lv) else
            _agents_needed(a, h, target_s, float(np.clip(lv, 1e-6, 0.999)))
            for a, h, lv in zip(traffic, aht_ok, achieved, strict=True)
        ], dtype=float)
    return pd.DataFrame({
        "interval_start": start,
        "hour": start.dt.hour,
        "offered": d["offered"],
        "answered": d["answered"],
        "abandoned": d["abandoned"],
        "aht_s": d["aht_s"],
        "achieved_level": achieved,
        "abandon_rate": abandon,
        "traffic_erlangs": traffic,
        "required_agents": required,
        "implied_agents": implied,
        "staff_gap": required - implied,
        "below_target": np.where(np.isfinite(achieved), achieved < target_level, False),
        "scheduled_agents": np.ceil(required / (1 - shrinkage) - 1e-9).astype(int),
    })


def hourly_profile(staff: pd.DataFrame) -> pd.DataFrame:
    """Average interval by hour of day, from :func:`staffing`.

    Returns
    -------
    DataFrame
        Indexed by ``hour``, with columns ``n`` (intervals), ``offered`` (mean calls
        per interval), ``achieved_level`` (calls answered in target over calls
        offered, pooled), ``abandon_rate`` (pooled), ``required_agents`` and
        ``implied_agents`` (means), ``staff_gap`` (mean), ``below_target_share``
        (share of intervals under target) and ``peak`` (True for the hours with
        the most calls, those at or above the 80th percentile of ``offered``).
    """
    s = check_dataframe(staff, "staff")
    answered_in_target = s["achieved_level"].fillna(0) * s["offered"]
    g = s.assign(_ait=answered_in_target).groupby("hour")
    out = pd.DataFrame({
        "n": g.size(),
        "offered": g["offered"].mean(),
        "achieved_level": g["_ait"].sum() / g["offered"].sum().replace(0, np.nan),
        "abandon_rate": g["abandoned"].sum() / g["offered"].sum().replace(0, np.nan),
        "required_agents": g["required_agents"].mean(),
        "implied_agents": g["implied_agents"].mean(),
        "staff_gap": g["staff_gap"].mean(),
        "below_target_share": g["below_target"].mean(),
    })
    out["peak"] = out["offered"] >= out["offered"].quantile(0.8)
    return out


# --- claims --------------------------------------------------------------------------


def _claims(claims: pd.DataFrame) -> pd.DataFrame:
    claims = check_dataframe(claims, "claims")
    check_columns(claims, CLAIM_COLUMNS, "claims")
    d = claims.copy()
    d["received"] = pd.to_datetime(d["received"])
    d["resolved"] = pd.to_datetime(d["resolved"])
    d["days"] = (d["resolved"] - d["received"]).dt.total_seconds() / 86400
    return d


def _as_of(d: pd.DataFrame, as_of: Any) -> pd.Timestamp:
    if as_of is not None:
        return pd.Timestamp(as_of)
    return max(d["received"].max(), d["resolved"].max() if d["resolved"].notna().any()
               else d["received"].max())


def resolution_times(claims: pd.DataFrame) -> pd.DataFrame:
    """Distribution of the time to resolve a claim, overall and by category.

    Returns
    -------
    DataFrame
        One row per category plus ``"all"``: ``category``, ``n`` (resolved claims),
        ``mean_days``, ``median_days``, ``p75_days``, ``p90_days``, ``max_days``.
    """
    d = _claims(claims)
    r = d[d["days"].notna()]
    rows = []
    for cat, g in [("all", r), *((str(k), v) for k, v in r.groupby("category", sort=True))]:
        x = g["days"]
        rows.append({"category": cat, "n": len(x), "mean_days": x.mean(),
                     "median_days": x.median(), "p75_days": x.quantile(0.75),
                     "p90_days": x.quantile(0.9), "max_days": x.max()})
    return pd.DataFrame(rows)


def claims_by_category(claims: pd.DataFrame) -> pd.DataFrame:
    """Volumes, open claims and money by claim category.

    Returns
    -------
    DataFrame
        One row per category, most claims first, with ``category``, ``n``,
        ``share`` (of all claims), ``open`` (unresolved), ``median_days`` (to
        resolve), ``amount_claimed``, ``amount_settled`` (sums over resolved claims)
        ``settled_ratio`` (settled over claimed, resolved claims only) and
        ``cumulative_share`` (running share of claims, for a Pareto chart).
    """
    d = _claims(claims)
    res = d[d["resolved"].notna()]
    g = d.groupby("category")
    gr = res.groupby("category")
    out = pd.DataFrame({
        "n": g.size(),
        "open": g["resolved"].apply(lambda s: int(s.isna().sum())),
        "median_days": gr["days"].median(),
        "amount_claimed": gr["amount_claimed"].sum(),
        "amount_settled": gr["amount_settled"].sum(),
    }).fillna({"amount_claimed": 0.0, "amount_settled": 0.0})
    out["share"] = out["n"] / out["n"].sum()
    out["settled_ratio"] = out["amount_settled"] / out["amount_claimed"].replace(0, np.nan)
    out = out.reset_index().rename(columns={"index": "category"})
    cols = ["category", "n", "share", "open", "median_days", "amount_claimed",
            "amount_settled", "settled_ratio"]
    out = out[cols].sort_values(["n", "category"], ascending=[False, True], ignore_index=True)
    out["cumulative_share"] = out["share"].cumsum()
    return out


def claims_monthly(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims received and resolved per calendar month.

    Returns
    -------
    DataFrame
        ``month`` (first day, Timestamp), ``received``, ``resolved`` and
        ``open_end`` (claims received and not yet resolved at the month's end).
    """
    d = _claims(claims)
    first = d["received"].min().to_period("M")
    last = max(d["received"].max(), d["resolved"].max()
               if d["resolved"].notna().any() else d["received"].max()).to_period("M")
    months = pd.period_range(first, last, freq="M")
    rec = d["received"].dt.to_period("M").value_counts().reindex(months, fill_value=0)
    sol = d["resolved"].dropna().dt.to_period("M").value_counts().reindex(months, fill_value=0)
    ends = [m.to_timestamp(how="end") for m in months]
    open_end = [int(((d["received"] <= e) & (d["resolved"].isna() | (d["resolved"] > e))).sum())
                for e in ends]
    return pd.DataFrame({"month": months.to_timestamp(), "received": rec.to_numpy(),
                         "resolved": sol.to_numpy(), "open_end": open_end})


def claims_backlog(claims: pd.DataFrame, *, as_of: Any = None,
                   bins: tuple[int, ...] = (0, 7, 30, 90), language: str = "en") -> pd.DataFrame:
    """Open claims by age.

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
    d = _claims(claims)
    ref = _as_of(d, as_of)
    op = d[d["resolved"].isna()]
    age = (ref - op["received"]).dt.total_seconds() / 86400
    edges = list(bins) + [np.inf]
    labels = [sentence("service.age_band", language, low=lo, high=int(hi) - 1)
              if np.isfinite(hi) else sentence("service.age_band_open", language, low=lo)
              for lo, hi in zip(edges[:-1], edges[1:], strict=True)]
    band = pd.cut(age, edges, right=False, labels=labels)
    out = pd.DataFrame({
        "age_band": labels,
        "n": band.value_counts().reindex(labels, fill_value=0).to_numpy(),
        "amount_claimed": op.groupby(band, observed=False)["amount_claimed"].sum()
        .reindex(labels, fill_value=0).to_numpy(),
    })
    total = out["n"].sum()
    out["share"] = out["n"] / total if total else 0.0
    return out


# --- the stage entry point ----------------------------------------------------------------


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
    interval_s, agent_cost_per_hour : float or None
        Interval length used, and the cost of an agent hour from company.yaml.
    language : str
        The language of the headline's ``risk`` sentence (``company.language``).
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
def analyse(company: Any, *, target_s: float | None = None, target_level: float | None = None,
            as_of: Any = None) -> ServiceResult:
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
    target_s = float(target_s if target_s is not None else spec.get("target_s", 20))
    target_level = float(target_level if target_level is not None
                         else spec.get("target_level", 0.8))
    interval_s = float(spec["interval_min"]) * 60 if "interval_min" in spec else None
    calls = getattr(company, "calls", None)
    claims = getattr(company, "claims", None)
    staff = hourly = None
    if calls is not None and len(calls):
        if interval_s is None:
            interval_s = _interval_seconds(calls["interval_start"])
        staff = staffing(calls, interval_s=interval_s, target_s=target_s,
                         target_level=target_level, shrinkage=float(spec.get("shrinkage", 0)))
        hourly = hourly_profile(staff)
    cat = monthly = backlog = res = None
    within = None
    days = spec.get("claim_target_days")
    if claims is not None and len(claims):
        cat = claims_by_category(claims)
        monthly = claims_monthly(claims)
        backlog = claims_backlog(claims, as_of=as_of,
                                 bins=(0, 7, int(days), 2 * int(days)) if days and days > 7
                                 else (0, 7, 30, 90), language=company_language(company))
        res = resolution_times(claims)
        if days:
            t = _claims(claims)["days"].dropna()
            within = float((t <= days).mean()) if len(t) else None
    return ServiceResult(staff, hourly, target_s, target_level, cat, monthly, backlog, res,
                         float(spec.get("max_abandon_rate", 0.05)),
                         float(days) if days else None, within, interval_s,
                         spec.get("agent_cost_per_hour"), company_language(company))



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
        interval has the staff Erlang C requires), ``spare_agent_hours`` (staffed
        beyond that), ``extra_cost`` (extra hours times ``agent_cost_per_hour``),
        ``period_days`` (days of call data), and ``risk`` / ``risk_value`` /
        ``risk_unit``: the biggest operational risk
        in words with its number, and ``risk_severity`` (a rough score for ranking
        risks across modules with :func:`operational_risk`). None where the data to
        compute it is absent.
    """
    h: dict[str, Any] = {
        "service_level": None, "service_target_level": result.target_level,
        "service_target_s": result.target_s, "abandon_rate": None,
        "intervals_below_target": None, "peak_hour": None, "peak_staff_gap": None,
        "claims_n": None, "claims_open": None, "claims_median_days": None,
        "claims_p90_days": None, "claims_settled_ratio": None, "claims_within_target": None,
        "claim_target_days": result.claim_target_days, "extra_agent_hours": None,
        "spare_agent_hours": None, "extra_cost": None, "period_days": None,
        "risk": None, "risk_value": None, "risk_unit": None, "risk_severity": None,
    }
    risks: list[tuple[float, str, float, str]] = []  # (severity, text, value, unit)
    s = result.staffing
    if s is not None and s["offered"].sum() > 0:
        offered = s["offered"].sum()
        level = float((s["achieved_level"].fillna(0) * s["offered"]).sum() / offered)
        abandon = float(s["abandoned"].sum() / offered)
        below = float(s.loc[s["offered"] > 0, "below_target"].mean())
        hp = result.hourly
        peak = int(hp["offered"].idxmax())
        worst = hp["staff_gap"].idxmax()
        h.update(service_level=level, abandon_rate=abandon, intervals_below_target=below,
                 peak_hour=peak, peak_staff_gap=_f(hp.loc[worst, "staff_gap"]))
        if result.interval_s:
            hours = result.interval_s / 3600
            gap = s["staff_gap"].astype(float)
            extra = float(gap.clip(lower=0).sum() * hours)
            h.update(extra_agent_hours=extra,
                     spare_agent_hours=float(-gap.clip(upper=0).sum() * hours),
                     period_days=float(s["interval_start"].dt.normalize().nunique()),
                     extra_cost=extra * result.agent_cost_per_hour
                     if result.agent_cost_per_hour is not None else None)
        shortfall = result.target_level - level
        if shortfall > 0:
            risks.append((shortfall / result.target_level + below / 2,
                          sentence("service.risk_level", result.language, level=level,
                                   target=result.target_level, target_s=result.target_s,
                                   below=below), level, "share"))
        if abandon > result.max_abandon_rate:
            risks.append((abandon / result.max_abandon_rate - 1 + 0.1,
                          sentence("service.risk_abandon", result.language, abandon=abandon,
                                   limit=result.max_abandon_rate), abandon, "share"))
    if result.claims_by_category is not None:
        c = result.claims_by_category
        res = result.resolution.set_index("category")
        n = int(c["n"].sum())
        n_open = int(c["open"].sum())
        claimed = c["amount_claimed"].sum()
        ratio = float(c["amount_settled"].sum() / claimed) if claimed > 0 else None
        h.update(claims_n=n, claims_open=n_open,
                 claims_median_days=_f(res.loc["all", "median_days"]),
                 claims_p90_days=_f(res.loc["all", "p90_days"]), claims_settled_ratio=ratio,
                 claims_within_target=result.claims_within_target)
        if result.claims_within_target is not None and result.claims_within_target < 0.9:
            late = 1 - result.claims_within_target
            risks.append((late, sentence("service.risk_claims_late", result.language,
                                         late=late, days=result.claim_target_days),
                          late, "share"))
        backlog = result.claims_backlog
        old = int(backlog.loc[backlog.index[-1], "n"]) if backlog is not None else 0
        if n_open and old:
            share_old = old / n_open
            risks.append((share_old, sentence(
                "service.risk_claims_old", result.language, old=old, share=share_old,
                band=re.match(r"\d+", backlog["age_band"].iloc[-1]).group()), old, "claims"))
    if risks:
        severity, text, value, unit = max(risks, key=lambda r: r[0])
        h.update(risk=text, risk_value=_f(value), risk_unit=unit, risk_severity=_f(severity))
    return {k: (_f(v) if isinstance(v, (float, np.floating)) else
                int(v) if isinstance(v, (np.integer,)) else v) for k, v in h.items()}


def operational_risk(*headlines: dict | None) -> dict:
    """The biggest operational risk across the service, quality and CRM headlines.

    Parameters
    ----------
    *headlines : dict
        Results of :func:`headline`, :func:`orient.quality.headline` and
        :func:`orient.crm.headline` (None or dicts without a risk are skipped).

    Returns
    -------
    dict
        ``risk`` (text), ``risk_value``, ``risk_unit`` and ``risk_severity`` of the
        most severe risk, all None when no module found one. Severity is a rough
        score: the relative distance from the target (service level, abandonment,
        claims on time, Cpk 1.33) or the share affected (out-of-control subgroups,
        overdue receivables, the main refusal reason).

    Examples
    --------
    >>> operational_risk({"risk": "a", "risk_value": 1, "risk_unit": "x", "risk_severity": 0.2},
    ...                  {"risk": "b", "risk_value": 2, "risk_unit": "y", "risk_severity": 0.5},
    ...                  None)["risk"]
    'b'
    """
    found = [h for h in headlines if h and h.get("risk") is not None]
    if not found:
        return {"risk": None, "risk_value": None, "risk_unit": None, "risk_severity": None}
    top = max(found, key=lambda h: h.get("risk_severity") or 0.0)
    return {k: top.get(k) for k in ("risk", "risk_value", "risk_unit", "risk_severity")}


def _fmt(v: Any, kind: str, language: str = "en") -> str:
    if v is None:
        return format_number(None, language)
    if kind == "pct":
        return format_number(v * 100, language, 1) + "%"
    if kind == "int":
        return format_number(int(round(v)), language, 0)
    if kind == "days":
        return sentence("service.figures.days", language, days=v)
    if kind == "hour":
        return f"{int(v):02d}:00"
    return format_number(v, language, 2) if isinstance(v, float) else str(v)


def key_figures(result: ServiceResult, *, part: str | None = None,
                currency: str = "") -> pd.DataFrame:
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
    kinds = {"service_level": "pct", "service_target_level": "pct",
             "intervals_below_target": "pct", "abandon_rate": "pct", "peak_hour": "hour",
             "peak_staff_gap": "num", "extra_agent_hours": "int", "spare_agent_hours": "int",
             "extra_cost": "int", "claims_n": "int", "claims_open": "int",
             "claims_median_days": "days", "claims_p90_days": "days",
             "claims_within_target": "pct", "claims_settled_ratio": "pct"}
    spec = [(k, sentence(f"service.figures.{k}", language, target_s=result.target_s), kind)
            for k, kind in kinds.items()]
    if part is not None:
        check_choice(part, ("calls", "claims"), "part")
        spec = [x for x in spec if x[0].startswith("claims") == (part == "claims")]
    if h.get("period_days"):
        spec = [(k, sentence("service.figures.over_period", language, label=label,
                             days=h["period_days"]) if k in (
            "extra_agent_hours", "spare_agent_hours", "extra_cost") else label, kind)
            for k, label, kind in spec]
    rows = [(label, _fmt(h[k], kind, language) + (f" {currency}" if k == "extra_cost"
                                                  and currency else ""))
            for k, label, kind in spec
            if h.get(k) is not None and not (k.startswith("service_target") and
                                             h["service_level"] is None)]
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")
