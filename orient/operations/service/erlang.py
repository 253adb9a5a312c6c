"""Erlang B and C: the service level of a queue of calls and the agents it needs.

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
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from orient._validate import check_number, check_positive_int

__all__ = ["ServiceLevel", "agents_needed", "erlang_b", "erlang_c"]


def _number(
    value: Any,
    name: str,
    *,
    low: float = 0.0,
    low_open: bool = False,
    high: float | None = None,
    high_open: bool = False,
) -> float:
    return check_number(value, name, low=low, low_open=low_open, high=high, high_open=high_open)


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


def erlang_c(
    calls: float, interval_s: float, aht_s: float, agents: int, target_s: float = 20
) -> ServiceLevel:
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


def agents_needed(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_level: float | None = 0.8,
    target_s: float = 20,
    *,
    max_p_wait: float | None = None,
    max_occupancy: float | None = None,
    max_asa_s: float | None = None,
) -> int:
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
    return _agents_needed(
        calls * aht_s / interval_s,
        aht_s,
        target_s,
        target_level,
        max_p_wait,
        max_occupancy,
        max_asa_s,
    )


def _agents_needed(
    a: float,
    aht_s: float,
    target_s: float,
    target_level: float | None,
    max_p_wait: float | None = None,
    max_occupancy: float | None = None,
    max_asa_s: float | None = None,
) -> int:
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
