"""Workforce: day requirement, chat concurrency, tiers, service hours, make or buy."""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd
import pytest

from orient.operations.service import erlang_c
from orient.operations.service.erlang_a import erlang_a
from orient.operations.service.workforce import (
    chat_agents,
    day_profile,
    interval_requirement,
    make_or_buy,
    service_hours,
    tiers,
)


def smallest(ok, top=500):
    return next(n for n in range(1, top) if ok(n))


def test_day_profile_averages_days_by_time_of_day():
    calls = pd.DataFrame(
        {
            "interval_start": ["2026-03-02 08:00", "2026-03-02 08:15", "2026-03-03 08:00"],
            "offered": [10, 4, 30],
            "aht_s": [100.0, 200.0, 300.0],
        }
    )
    d = day_profile(calls, 900)
    assert len(d) == 96
    row = d.set_index("minute").loc[480]
    assert row["offered"] == 20  # (10 + 30) / 2 days
    assert row["aht_s"] == pytest.approx((10 * 100 + 30 * 300) / 40)
    # 08:15 was recorded on 2026-03-02 only: its mean is over that one day, not two
    assert d.set_index("minute").loc[495, "offered"] == 4
    assert d.set_index("minute").loc[[480, 495, 510], "days"].tolist() == [2, 1, 0]
    # an interval without calls gets the day's mean handling time
    assert d.set_index("minute").loc[0, "aht_s"] == pytest.approx((1000 + 800 + 9000) / 44)


def test_interval_requirement_by_brute_force_with_shrinkage():
    offered, aht = [0, 50, 200], 240
    r = interval_requirement(offered, aht, 1800, shrinkage=0.3)
    want = [0] + [
        smallest(lambda n, c=c: erlang_c(c, 1800, aht, n).service_level >= 0.8) for c in offered[1:]
    ]
    assert r["agents"].tolist() == want
    assert r["scheduled"].tolist() == [int(np.ceil(w / 0.7 - 1e-9)) for w in want]
    ra = interval_requirement(offered, aht, 1800, patience_s=120, max_abandon=0.04)
    want_a = [0] + [
        smallest(
            lambda n, c=c: (
                (x := erlang_a(c, 1800, aht, n, 120)).service_level >= 0.8 and x.p_abandon <= 0.04
            )
        )
        for c in offered[1:]
    ]
    assert ra["agents"].tolist() == want_a
    assert (ra["agents"] <= r["agents"] + 1).all()


def test_chat_concurrency():
    # one chat at a time: plain Erlang C; k at a time: Erlang C on chat slots
    one = chat_agents(120, 3600, 600, 1, target_s=60)
    assert one["agents"] == smallest(
        lambda n: erlang_c(120, 3600, 600, n, target_s=60).service_level >= 0.8
    )
    three = chat_agents(120, 3600, 600, 3, target_s=60, slowdown=0.2)
    aht = 600 * 1.4
    slots = smallest(lambda n: erlang_c(120, 3600, aht, n, target_s=60).service_level >= 0.8)
    assert three["slots"] == slots and three["agents"] == -(-slots // 3)
    assert three["agents"] < one["agents"]


def simulate_tandem(lam, mu1, n1, p, mu2, n2, customers, seed):
    """First level M/M/n1; each finished call passed on with probability p to M/M/n2."""
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(1 / lam, customers))
    free = [0.0] * n1
    done = np.empty(customers)
    for i in range(customers):
        start = max(t[i], heapq.heappop(free))
        done[i] = start + rng.exponential(1 / mu1)
        heapq.heappush(free, done[i])
    second = np.sort(done[rng.random(customers) < p])
    free = [0.0] * n2
    waited = np.empty(len(second), bool)
    for i, a in enumerate(second):
        f = heapq.heappop(free)
        waited[i] = f > a
        heapq.heappush(free, max(a, f) + rng.exponential(1 / mu2))
    return waited[len(waited) // 10 :]


def test_tiers_specialist_queue_is_erlang_c_of_the_thinned_stream():
    t = tiers(200, 1800, 180, 0.25, 600)
    assert t["specialist_calls"] == 50
    assert t["specialist_agents"] == smallest(
        lambda n: erlang_c(50, 1800, 600, n).service_level >= 0.8
    )
    assert t["first_agents"] == smallest(lambda n: erlang_c(200, 1800, 180, n).service_level >= 0.8)
    # Burke: departures of the first level are Poisson, so the specialists' P(wait)
    # is Erlang C's; checked by simulating both queues in tandem
    lam = 200 / 1800
    waited = simulate_tandem(lam, 1 / 180, 24, 0.25, 1 / 600, 20, 200_000, seed=3)
    exact = erlang_c(50, 1800, 600, 20).p_wait
    b = waited[: len(waited) // 20 * 20].reshape(20, -1).mean(axis=1)
    assert abs(b.mean() - exact) < 4 * b.std(ddof=1) / np.sqrt(20) + 0.005


def test_service_hours_hand_calculation():
    req = pd.DataFrame({"offered": [1.0] * 24, "scheduled": [0] * 8 + [3] * 12 + [1] * 4})
    s = service_hours(
        req, {"08-20": (480, 1200), "24/7": (0, 1440), "22-06": (1320, 360)}, 60, cost_per_hour=10
    )
    assert s.loc["08-20", "agent_hours"] == 36 and s.loc["08-20", "calls_answered"] == 12
    assert s.loc["08-20", "share_outside"] == 0.5
    assert s.loc["24/7", "cost"] == 400 and s.loc["24/7", "cost_per_call"] == pytest.approx(
        400 / 24
    )
    assert s.loc["22-06", "open_hours"] == 8 and s.loc["22-06", "agent_hours"] == 2


def test_make_or_buy_break_even_linear_case():
    # scheduled hours proportional to volume (10 agent-hours per day at scale 1):
    # in-house F + 10 s c, outsourced p V s; break-even s = F / (p V - 10 c)
    F, c, p, V = 2000.0, 20.0, 3.0, 1000.0

    def linear(scale):
        return pd.DataFrame({"scheduled": [10 * scale * 4]})  # 15-min intervals: 4 per hour

    m = make_or_buy(linear, V, cost_per_hour=c, price_per_call=p, fixed_per_day=F)
    assert m["break_even_calls"] == pytest.approx(F / (p * V - 10 * c) * V, rel=2e-3)
    assert m["inhouse_cost_per_call"] == pytest.approx((F + 200) / V)
    assert m["cheaper"] == "in-house"
    # never cheaper in-house when the price is below the variable cost
    m = make_or_buy(linear, V, cost_per_hour=c, price_per_call=0.1, fixed_per_day=F)
    assert m["break_even_calls"] == float("inf") and m["cheaper"] == "outsourced"


def test_make_or_buy_with_erlang_staffing_last_crossing():
    base = np.array([0] * 32 + [40] * 40 + [0] * 24, float)

    def req(scale):
        return interval_requirement(base * scale, 240, 900)

    m = make_or_buy(req, base.sum(), cost_per_hour=25, price_per_call=2.5, fixed_per_day=800)
    be = m["break_even_calls"]
    assert be is not None and np.isfinite(be)
    s = be / base.sum()

    def dearer(k):
        return 800 + req(k)["scheduled"].sum() / 4 * 25 > 2.5 * base.sum() * k

    assert any(dearer(k) for k in np.linspace(s * 0.97, s * 0.9999, 10))
    assert not any(dearer(k) for k in np.geomspace(s * 1.0001, 16, 30))
