"""Erlang C speed and agreement: orient.service against peers, side by side.

Peers:
- pyworkforce (PyPI ``pyworkforce``, ``ErlangC``): Erlang B inverse recursion in pure
  Python; install with ``pip install pyworkforce`` (pulls in ortools). Skipped if absent.
- the textbook factorial formula with floats (what a spreadsheet or a quick script does).

Run: ``python benchmarks/service.py`` from the repository root. Prints one table:
case, orient seconds, peer seconds, ratio (peer / orient: > 1 means orient is faster),
and the largest disagreement in agents or probability.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orient import service  # noqa: E402

try:
    from pyworkforce.queuing import ErlangC
except ImportError:  # pragma: no cover - optional peer
    ErlangC = None


def factorial_p_wait(a: float, n: int) -> float:
    """Erlang C straight from the textbook formula (overflows beyond ~170 agents)."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def factorial_agents(
    calls: float, interval_s: float, aht_s: float, level: float, target_s: float
) -> int:
    a = float(calls) * float(aht_s) / float(interval_s)
    n = math.floor(a) + 1
    while True:
        c = factorial_p_wait(a, n)
        if 1 - c * math.exp(-(n - a) * target_s / aht_s) >= level:
            return n
        n += 1


def pwf_agents(calls, interval_s, aht_s, level, target_s):
    e = ErlangC(transactions=calls, aht=aht_s / 60, asa=target_s / 60, interval=interval_s / 60)
    return e.required_positions(service_level=level)["raw_positions"]


def pwf_p_wait(calls, interval_s, aht_s, n):
    e = ErlangC(transactions=calls, aht=aht_s / 60, asa=20 / 60, interval=interval_s / 60)
    return e.waiting_probability(n)


def timed(f, *args, repeat: int = 1):
    best = math.inf
    out = None
    for _ in range(3):
        t = time.perf_counter()
        for _ in range(repeat):
            out = f(*args)
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    rng = np.random.default_rng(0)
    rows = []

    # 1. one Erlang C evaluation, 100 calls in 30 min, AHT 180 s, 14 agents (x 10 000)
    reps = 10_000
    t_o, r_o = timed(lambda: service.erlang_c(100, 1800, 180, 14).p_wait, repeat=reps)
    t_f, r_f = timed(lambda: factorial_p_wait(10.0, 14), repeat=reps)
    rows.append(("erlang_c x10k, 10 Erl / 14 agents", "factorial", t_o, t_f, abs(r_o - r_f)))
    if ErlangC is not None:
        t_p, r_p = timed(lambda: pwf_p_wait(100, 1800, 180, 14), repeat=reps)
        rows.append(("erlang_c x10k, 10 Erl / 14 agents", "pyworkforce", t_o, t_p, abs(r_o - r_p)))

    # 2. a week of half-hour intervals: 336 intervals, about 2-100 Erlangs
    calls = rng.uniform(20, 600, 336).round()
    aht = rng.uniform(150, 300, 336).round()

    def ours():
        return [service.agents_needed(c, 1800, h, 0.8, 20) for c, h in zip(calls, aht, strict=True)]

    def fact():
        return [factorial_agents(c, 1800, h, 0.8, 20) for c, h in zip(calls, aht, strict=True)]

    t_o, n_o = timed(ours)
    t_f, n_f = timed(fact)
    rows.append(
        (
            "agents_needed, 336 intervals",
            "factorial",
            t_o,
            t_f,
            int(np.max(np.abs(np.array(n_o) - n_f))),
        )
    )
    if ErlangC is not None:
        t_p, n_p = timed(
            lambda: [pwf_agents(c, 1800, h, 0.8, 20) for c, h in zip(calls, aht, strict=True)]
        )
        rows.append(
            (
                "agents_needed, 336 intervals",
                "pyworkforce",
                t_o,
                t_p,
                int(np.max(np.abs(np.array(n_o) - n_p))),
            )
        )

    # 3. large centres: 1 000 and 10 000 Erlangs
    for erl in (1_000, 10_000):
        c = erl * 1800 / 180
        t_o, n_o = timed(lambda c=c: service.agents_needed(c, 1800, 180, 0.8, 20))
        try:
            t_f, n_f = timed(lambda c=c: factorial_agents(c, 1800, 180, 0.8, 20))
            diff = abs(n_o - n_f)
        except OverflowError:
            t_f, diff = math.nan, "overflow"
        rows.append((f"agents_needed, {erl:,} Erlangs", "factorial", t_o, t_f, diff))
        if ErlangC is not None:
            t_p, n_p = timed(lambda c=c: pwf_agents(c, 1800, 180, 0.8, 20))
            rows.append(
                (f"agents_needed, {erl:,} Erlangs", "pyworkforce", t_o, t_p, abs(n_o - n_p))
            )

    print(f"{'case':38} {'peer':12} {'orient s':>10} {'peer s':>10} {'ratio':>8}  max diff")
    for case, peer, to, tp, diff in rows:
        ratio = tp / to if tp == tp else math.nan
        tp_s = f"{tp:10.4f}" if tp == tp else f"{'fails':>10}"
        print(f"{case:38} {peer:12} {to:10.4f} {tp_s} {ratio:8.1f}  {diff}")
    if ErlangC is None:
        print("(pyworkforce not installed: pip install pyworkforce)")


if __name__ == "__main__":
    main()
