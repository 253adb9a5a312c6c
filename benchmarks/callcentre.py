"""Call centre on a day of 96 fifteen-minute intervals: Erlang A staffing and the shift roster.

Cases, each timed (best of three) against a target of one second:

1. Erlang A staffing: the fewest agents per interval for 80 % in 20 s and at most
   5 % abandoned, 96 intervals, patience 2 minutes. Peer: a discrete-event
   simulation of the same M/M/n+M queue at the staffing found, 100 000 calls per
   interval, with the largest difference in service level and abandonment over the
   day (at 93 % occupancy a 100 000-call run is itself uncertain by up to about +-0.02;
   tests/test_erlang_a.py checks against 300 000-call runs with batch-means intervals).
2. The common part with Erlang C (patience infinite): orient's search against
   pyworkforce's ``ErlangC.required_positions`` when pyworkforce is installed
   (``pip install pyworkforce``), else the textbook factorial formula.
3. The roster: full-time 8.5 h shifts every 30 minutes with a 30-minute break and
   4 h part-time shifts every hour, over the day's scheduled agents, by HiGHS;
   compared with the LP relaxation (a lower bound any integer roster must exceed).

Run: ``python benchmarks/callcentre.py`` from the repository root. Ratio = peer
seconds / orient seconds (> 1: orient is faster).
"""

from __future__ import annotations

import heapq
import math
import sys
import time
from pathlib import Path

import numpy as np
from scipy import optimize

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orient.operations.service.erlang_a import erlang_a  # noqa: E402
from orient.operations.service.roster import _patterns, roster, shift_types  # noqa: E402
from orient.operations.service.workforce import interval_requirement  # noqa: E402

try:
    from pyworkforce.queuing import ErlangC
except ImportError:  # pragma: no cover - optional peer
    ErlangC = None

INTERVAL = 900
AHT = 240.0
PATIENCE = 120.0


def day_of_calls() -> np.ndarray:
    """A bank-like day: quiet night, a morning peak at 11:00 and an evening one at 17:30."""
    t = np.arange(96)
    return np.round(
        8 + 260 * np.exp(-(((t - 44) / 10) ** 2)) + 140 * np.exp(-(((t - 70) / 7) ** 2))
    )


def timed(f):
    best, out = math.inf, None
    for _ in range(3):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def simulate(lam, mu, theta, n, calls, seed, target_s=20.0):
    """Service level and abandonment of M/M/n+M by event simulation (FCFS)."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(1 / lam, calls))
    service = rng.exponential(1 / mu, calls)
    patience = rng.exponential(1 / theta, calls)
    free = [0.0] * n
    within = abandoned = 0
    for i in range(calls):
        f = free[0]
        if f <= t[i]:
            heapq.heapreplace(free, t[i] + service[i])
            within += 1
        elif f - t[i] <= patience[i]:
            within += f - t[i] <= target_s
            heapq.heapreplace(free, f + service[i])
        else:
            abandoned += 1
    return within / calls, abandoned / calls


def pwf_agents(calls, aht_s, level, target_s):
    e = ErlangC(transactions=calls, aht=aht_s / 60, asa=target_s / 60, interval=INTERVAL / 60)
    return e.required_positions(service_level=level)["raw_positions"]


def factorial_agents(calls, aht_s, level, target_s):
    a = calls * aht_s / INTERVAL
    n = math.floor(a) + 1
    while True:
        top = a**n / math.factorial(n) * n / (n - a)
        c = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
        if 1 - c * math.exp(-(n - a) * target_s / aht_s) >= level:
            return n
        n += 1


def main() -> None:
    calls = day_of_calls()
    rows = []

    # 1. Erlang A staffing for the day, against simulation at the answer
    t_a, req = timed(
        lambda: interval_requirement(
            calls, AHT, INTERVAL, patience_s=PATIENCE, max_abandon=0.05, shrinkage=0.3
        )
    )
    sim_calls = 100_000
    t0 = time.perf_counter()
    worst_sl = worst_ab = 0.0
    for i, (c, n) in enumerate(zip(calls, req["agents"], strict=True)):
        sl, ab = simulate(c / INTERVAL, 1 / AHT, 1 / PATIENCE, int(n), sim_calls, seed=i)
        r = erlang_a(c, INTERVAL, AHT, int(n), PATIENCE)
        worst_sl = max(worst_sl, abs(sl - r.service_level))
        worst_ab = max(worst_ab, abs(ab - r.p_abandon))
    t_sim = time.perf_counter() - t0
    rows.append(
        (
            "Erlang A staffing, 96 intervals",
            f"simulation {sim_calls // 1000}k/interval",
            t_a,
            t_sim,
            f"|dSL| {worst_sl:.4f}, |dAband| {worst_ab:.4f}",
        )
    )

    # 2. the Erlang C part
    t_c, n_c = timed(lambda: interval_requirement(calls, AHT, INTERVAL)["agents"].to_numpy())
    if ErlangC is not None:
        peer, f = "pyworkforce", pwf_agents
    else:
        peer, f = "factorial formula", factorial_agents
    t_p, n_p = timed(lambda: np.array([f(c, AHT, 0.8, 20) if c else 0 for c in calls]))
    rows.append(
        (
            "Erlang C staffing, 96 intervals",
            peer,
            t_c,
            t_p,
            f"max |d agents| {np.abs(n_c - n_p).max()}",
        )
    )

    # 3. the roster over the Erlang A requirement (scheduled agents)
    shifts = shift_types(
        [
            {
                "name": "full",
                "hours": 8.5,
                "earliest": "00:00",
                "latest": "23:30",
                "every_min": 30,
                "break_min": 30,
                "break_after_h": [3, 5],
            },
            {"name": "part", "hours": 4, "earliest": "00:00", "latest": "23:00", "every_min": 60},
        ],
        cost_per_hour=25,
    )
    need = req["scheduled"].to_numpy()
    t_r, r = timed(lambda: roster(need, shifts, interval_min=15, cyclic=True))
    cover, meta = _patterns(shifts, 15, 96, True)
    t_lp, lp = timed(
        lambda: optimize.linprog([m[0].cost for m in meta], A_ub=-cover.toarray(), b_ub=-need)
    )
    rows.append(
        (
            f"roster, {len(meta)} patterns x 96 intervals",
            "LP relaxation (bound)",
            t_r,
            t_lp,
            f"cost {r.total_cost:.0f} vs bound {lp.fun:.0f} (+{r.total_cost / lp.fun - 1:.2%}), "
            f"{r.agents} agents, efficiency {r.efficiency:.1%}",
        )
    )

    print(f"{'case':40} {'peer':24} {'orient s':>9} {'peer s':>9} {'ratio':>7}  agreement")
    for case, peer, to, tp, note in rows:
        flag = "" if to < 1 else "  (over 1 s)"
        print(f"{case:40} {peer:24} {to:9.4f} {tp:9.4f} {tp / to:7.1f}  {note}{flag}")
    if ErlangC is None:
        print("(pyworkforce not installed: pip install pyworkforce)")


if __name__ == "__main__":
    main()
