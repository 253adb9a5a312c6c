"""Erlang A (M/M/n+M): a queue of calls whose callers hang up when they wait too long.

Erlang C assumes every caller waits as long as it takes, so when callers do hang
up it overstates the queue and the staff needed. Erlang A adds exponential
patience with mean ``patience_s``: a waiting caller abandons at rate
``theta = 1 / patience_s``.

The number of calls in the system is a birth-death chain with birth rate
``lam = calls / interval_s`` and death rate ``min(k, n) mu + max(k - n, 0) theta``
(``mu = 1 / aht_s``). Its stationary distribution is computed exactly in log space
on states ``0 .. n + m``; ``m`` is the first queue length past which the ratio of
successive probabilities is below one and the geometric bound on the omitted mass
is under ``tol`` (the bound is returned as ``truncation_error``).

From the distribution seen by an arriving call (PASTA), with ``i`` callers ahead
in the queue the caller moves up at rate ``alpha_j = n mu + j theta``
(a completion or an abandonment ahead) and abandons at rate ``theta``, so

* P(served | i) = prod_{j<=i} alpha_j / (alpha_j + theta)
* E[wait; served | i] = P(served | i) sum_{j<=i} 1 / (alpha_j + theta)
* P(answered within t | i) by uniformisation of that pure-death chain
  (Poisson terms cut where the omitted Poisson mass is below ``tol``).

With ``patience_s = inf`` this is Erlang C; with ``patience_s = aht_s`` the number
in the system is Poisson (M/M/infinity), two checks the tests make.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

from orient._validate import check_positive_int
from orient.errors import DataError
from orient.operations.service.erlang import _agents_needed, _number

#: longest queue the chain is built for (a few megabytes of floats)
MAX_QUEUE_STATES = 2**21

#: patience beyond this many handling times counts as infinite when staffing (Erlang C)
LONG_PATIENCE = 1e4

__all__ = [
    "LONG_PATIENCE",
    "MAX_QUEUE_STATES",
    "ErlangA",
    "agents_needed_a",
    "erlang_a",
    "patience_from_waits",
]


@dataclass(frozen=True)
class ErlangA:
    """Erlang A performance of one interval with a given number of agents.

    Attributes
    ----------
    agents : int
        Agents answering calls.
    traffic : float
        Offered traffic in Erlangs (calls x AHT / interval).
    p_wait : float
        Probability that a call finds every agent busy and waits.
    p_abandon : float
        Probability that a call hangs up before it is answered.
    service_level : float
        Share of offered calls answered within ``target_s`` (abandoned calls count
        as not answered in target).
    service_level_answered : float
        Share of answered calls answered within ``target_s``.
    asa_s : float
        Average speed of answer among the answered calls, seconds.
    mean_wait_s : float
        Average wait of all callers, answered or not (seconds; Little's law).
    occupancy : float
        Share of agent time busy with calls: answered traffic / agents.
    truncation_error : float
        Upper bound on the probability mass left out by truncating the chain.
    """

    agents: int
    traffic: float
    p_wait: float
    p_abandon: float
    service_level: float
    service_level_answered: float
    asa_s: float
    mean_wait_s: float
    occupancy: float
    truncation_error: float

    def _repr_html_(self) -> str:
        return (
            "<table><tr><th>agents</th><th>P(wait)</th><th>P(abandon)</th>"
            "<th>service level</th><th>ASA, s</th><th>occupancy</th></tr>"
            f"<tr><td>{self.agents}</td><td>{self.p_wait:.3f}</td><td>{self.p_abandon:.3f}</td>"
            f"<td>{self.service_level:.1%}</td><td>{self.asa_s:.1f}</td>"
            f"<td>{self.occupancy:.1%}</td></tr></table>"
        )


def _queue_log_weights(
    lam: float, mu: float, theta: float, n: int, tol: float
) -> tuple[np.ndarray, float]:
    """Log of pi_{n+i} / pi_n for i = 0..m-1 and the bound on the omitted mass ratio."""
    m = 64
    while True:
        j = np.arange(1, m + 1, dtype=float)
        rate = n * mu + j * theta
        with np.errstate(divide="ignore"):
            logr = math.log(lam) - np.log(rate)
        logw = np.concatenate(([0.0], np.cumsum(logr)))  # i = 0..m
        # omitted: states n+m+1 ... ; their ratios are below r_next, once r_next < 1
        r_next = lam / (n * mu + (m + 1) * theta) if n * mu + (m + 1) * theta > 0 else math.inf
        if r_next < 1:
            peak = logw.max()
            tail = math.exp(logw[-1] - peak) * r_next / (1 - r_next)
            if tail <= tol:
                return logw, tail
        if m > MAX_QUEUE_STATES:
            raise ValueError(
                f"with {n} agents the queue settles only beyond {MAX_QUEUE_STATES} waiting "
                "callers: too few agents for callers this patient (use erlang_c, or more agents)"
            )
        m *= 2


def _served_within(w: np.ndarray, alpha: np.ndarray, theta: float, t: float, tol: float) -> float:
    """Mass of ``w`` (callers with i ahead) answered by time ``t``, by uniformisation.

    The tagged caller's chain: i ahead -> i - 1 at rate ``alpha_i`` (from 0: answered),
    hangs up at rate ``theta``. With ``lam_u`` the largest total rate, the answered
    mass at ``t`` is ``sum_k Poisson(k; lam_u t) s_k``, ``s_k`` the mass answered
    within k jumps of the embedded chain; the Poisson terms stop where the omitted
    Poisson mass is below ``tol``.
    """
    lam_u = float(alpha[-1] + theta)
    if t == 0 or lam_u == 0:
        return 0.0
    lt = lam_u * t
    k_max = int(lt + 12 * math.sqrt(lt) + 40)
    k = np.arange(k_max + 1, dtype=float)
    pmf = np.exp(k * math.log(lt) - lt - special.gammaln(k + 1))
    tail = 1.0 - np.cumsum(pmf)  # P(more than k jumps by t)
    stop = int(np.searchsorted(-tail, -tol)) + 1  # first k with tail <= tol
    stay = 1.0 - (alpha + theta) / lam_u
    down = alpha / lam_u
    v = w.copy()
    s_k = np.empty(stop)
    absorbed = 0.0
    for j in range(stop):
        s_k[j] = absorbed
        absorbed += down[0] * v[0]
        nv = stay * v
        nv[:-1] += down[1:] * v[1:]
        v = nv
    return float(pmf[:stop] @ s_k + tail[stop - 1] * absorbed)


def _erlang_a(
    a: float,
    n: int,
    aht_s: float,
    patience_s: float,
    target_s: float,
    tol: float = 1e-12,
    need_level: float | None = math.nan,
) -> ErlangA:
    """Erlang A of traffic ``a`` with ``n`` agents.

    ``need_level``: when the service level only has to be compared with this level
    and the bounds ``1 - p_wait <= SL <= 1 - p_abandon`` already decide it, the
    bound is returned in its place (``None``: the level is not needed at all; NaN,
    the default: always computed).
    """
    if a == 0:
        return ErlangA(n, 0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0)
    mu = 1.0 / aht_s
    lam = a * mu
    theta = 0.0 if math.isinf(patience_s) else 1.0 / patience_s
    if theta == 0 and n <= a or n == 0:
        # every call ends up waiting forever (no abandonment) or hanging up (no agents)
        p_ab = 1.0 if n == 0 else 0.0
        return ErlangA(n, a, 1.0, p_ab, 0.0, 0.0, math.inf, math.inf, min(1.0, a / max(n, 1)), 0)
    # states 0..n-1 (answered at once), then the queue part starting at n
    k = np.arange(n + 1, dtype=float)
    log_low = k * math.log(a) - special.gammaln(k + 1)  # pi_k / pi_0 for k <= n
    logq, err = _queue_log_weights(lam, mu, theta, n, tol)
    logq = logq[:-1] + log_low[-1]  # pi_{n+i} / pi_0, i = 0..m-1
    peak = max(log_low.max(), logq.max())
    low = np.exp(log_low[:-1] - peak)
    q = np.exp(logq - peak)
    z = low.sum() + q.sum()
    w = q / z  # arrival finds i callers ahead (state n + i)
    i = np.arange(len(w), dtype=float)
    alpha = n * mu + i * theta
    log_served = np.cumsum(np.log(alpha) - np.log(alpha + theta))
    served_i = np.exp(log_served)
    p_wait = float(w.sum())
    p_ab = float((w * (1.0 - served_i)).sum())
    wait_served = float((w * served_i * np.cumsum(1.0 / (alpha + theta))).sum())
    p_served = 1.0 - p_ab
    mean_queue = float((w * i).sum())
    if need_level is None or 1 - p_ab < need_level:
        sl = 1 - p_ab  # an upper bound, below the level that was asked about
    elif 1 - p_wait >= need_level:
        sl = 1 - p_wait  # a lower bound, above it
    else:
        # for the answer-time distribution, callers arriving behind the first (1 - tol)
        # of the queue mass are left out (their mass joins the error bound)
        keep = int(np.searchsorted(np.cumsum(w), p_wait * (1 - tol))) + 1
        err += float(w[keep:].sum())
        sl = float(low.sum() / z) + _served_within(w[:keep], alpha[:keep], theta, target_s, tol)
        sl = min(1.0, sl)
    return ErlangA(
        agents=n,
        traffic=a,
        p_wait=p_wait,
        p_abandon=p_ab,
        service_level=sl,
        service_level_answered=min(1.0, sl / p_served) if p_served > 0 else 0.0,
        asa_s=wait_served / p_served if p_served > 0 else math.inf,
        mean_wait_s=mean_queue / lam,
        occupancy=min(1.0, a * p_served / n),
        truncation_error=err,
    )


def erlang_a(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    patience_s: float,
    target_s: float = 20,
) -> ErlangA:
    """Erlang A (M/M/n+M) service level for one interval.

    Parameters
    ----------
    calls : float
        Calls offered in the interval (>= 0).
    interval_s : float
        Interval length in seconds (> 0).
    aht_s : float
        Average handling time in seconds (> 0).
    agents : int
        Agents answering calls (>= 0).
    patience_s : float
        Mean time a caller is prepared to wait, seconds (> 0; ``math.inf`` gives Erlang C);
        :func:`patience_from_waits` estimates it from the calls' waits.
    target_s : float, default 20
        Answer-time target for the service level, seconds.

    Returns
    -------
    ErlangA

    Examples
    --------
    >>> r = erlang_a(100, 1800, 180, 10, patience_s=120)
    >>> round(r.p_abandon, 3), round(r.service_level, 3)
    (0.137, 0.64)
    """
    calls = _number(calls, "calls")
    interval_s = _number(interval_s, "interval_s", low_open=True)
    aht_s = _number(aht_s, "aht_s", low_open=True)
    n = check_positive_int(agents, "agents", allow_zero=True)
    target_s = _number(target_s, "target_s")
    patience_s = _patience(patience_s)
    return _erlang_a(calls * aht_s / interval_s, n, aht_s, patience_s, target_s)


def _patience(value: float) -> float:
    if isinstance(value, (int, float)) and math.isinf(value) and value > 0:
        return math.inf
    return _number(value, "patience_s", low_open=True)


def agents_needed_a(
    calls: float,
    interval_s: float,
    aht_s: float,
    patience_s: float,
    target_level: float | None = 0.8,
    target_s: float = 20,
    *,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
) -> int:
    """Smallest number of agents meeting the service level and the abandonment cap (Erlang A).

    Parameters
    ----------
    calls, interval_s, aht_s, patience_s, target_s
        As in :func:`erlang_a`.
    target_level : float or None, default 0.8
        Required share of offered calls answered within ``target_s``; None drops it.
    max_abandon : float, optional
        Highest acceptable share of calls abandoned, in (0, 1].
    max_occupancy : float, optional
        Highest acceptable occupancy, in (0, 1].

    Returns
    -------
    int
        0 when no calls are offered; Erlang C's answer when the patience is more
        than :data:`LONG_PATIENCE` handling times (callers who practically never
        hang up). Each criterion improves with every added
        agent, so the answer is found by bisection.

    Examples
    --------
    >>> agents_needed_a(100, 1800, 180, patience_s=120, max_abandon=0.05)
    13
    """
    calls = _number(calls, "calls")
    interval_s = _number(interval_s, "interval_s", low_open=True)
    aht_s = _number(aht_s, "aht_s", low_open=True)
    patience_s = _patience(patience_s)
    target_s = _number(target_s, "target_s")
    if target_level is not None:
        target_level = _number(target_level, "target_level", low_open=True, high=1, high_open=True)
    if max_abandon is not None:
        max_abandon = _number(max_abandon, "max_abandon", low_open=True, high=1)
    if max_occupancy is not None:
        max_occupancy = _number(max_occupancy, "max_occupancy", low_open=True, high=1)
    a = calls * aht_s / interval_s
    return _agents_needed_a(
        a, aht_s, patience_s, target_s, target_level, max_abandon, max_occupancy
    )


def _agents_needed_a(
    a: float,
    aht_s: float,
    patience_s: float,
    target_s: float,
    target_level: float | None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
) -> int:
    if a == 0:
        return 0
    if patience_s > LONG_PATIENCE * aht_s:
        return _agents_needed(a, aht_s, target_s, target_level, max_occupancy=max_occupancy)

    def ok(n: int) -> bool:
        # agents answer at most n / a of the calls: P(abandon) >= 1 - n / a
        if target_level is not None and n < a * target_level:
            return False
        if max_abandon is not None and 1 - n / a > max_abandon:
            return False
        r = _erlang_a(a, n, aht_s, patience_s, target_s, need_level=target_level)
        return (
            (target_level is None or r.service_level >= target_level)
            and (max_abandon is None or r.p_abandon <= max_abandon)
            and (max_occupancy is None or r.occupancy <= max_occupancy)
        )

    # bisection between a failing and a passing count; Erlang C's answer passes in
    # practice (abandonment lowers the need), the fluid guess a * level fails
    hi = max(1, _agents_needed(a, aht_s, target_s, target_level or 0.5))
    lo = 0
    while not ok(hi):
        lo, hi = hi, 2 * hi
    guess = int(a * (target_level or 0.5)) - 1
    if lo < guess < hi and not ok(guess):
        lo = guess
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def patience_from_waits(waits: Sequence[float], abandoned: Sequence[bool]) -> float:
    """Mean patience (seconds) from the waits of callers who queued, answered or not.

    The maximum-likelihood estimate for exponential patience with the answered
    callers' waits as censored observations: total time waited by everyone in the
    queue divided by the number who hung up.

    Parameters
    ----------
    waits : sequence of float
        Time each queued caller waited, until answered or until hanging up (>= 0).
    abandoned : sequence of bool
        True for callers who hung up.

    Returns
    -------
    float
        Mean patience in seconds; ``inf`` when no caller hung up.

    Examples
    --------
    >>> patience_from_waits([30, 60, 10, 100], [True, False, False, True])
    100.0
    """
    w = np.asarray(waits, dtype=float)
    ab = np.asarray(abandoned, dtype=bool)
    if w.shape != ab.shape:
        raise DataError(
            f"waits ({w.size}) and abandoned ({ab.size}) must have one value per caller"
        )
    bad = np.flatnonzero(~np.isfinite(w) | (w < 0))
    if bad.size:
        raise DataError(
            f"waits: row {int(bad[0])} is {w[bad[0]]!r}; expected a wait in seconds >= 0"
        )
    if not ab.any():
        return math.inf
    return float(w.sum() / ab.sum())
