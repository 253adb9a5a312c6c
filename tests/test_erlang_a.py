"""Erlang A (M/M/n+M) against a discrete-event simulation and its known limits."""

from __future__ import annotations

import heapq
import math

import numpy as np
import pytest
from scipy import stats

from orient import DataError
from orient.operations.service import erlang_c
from orient.operations.service.erlang_a import agents_needed_a, erlang_a, patience_from_waits


def simulate_mmn_m(lam, mu, theta, n, calls, seed, target_s):
    """FCFS M/M/n+M by direct simulation, one call at a time.

    Each caller, in arrival order, takes the agent that frees first if it frees
    before the caller's patience runs out; an abandoning caller takes no agent.
    Returns per-call arrays: waited (bool), abandoned (bool), wait (s), answered in target.
    """
    rng = np.random.default_rng(seed)
    t = np.cumsum(rng.exponential(1 / lam, calls))
    service = rng.exponential(1 / mu, calls)
    patience = rng.exponential(1 / theta, calls) if theta > 0 else np.full(calls, np.inf)
    free = [0.0] * n
    waited = np.zeros(calls, bool)
    abandoned = np.zeros(calls, bool)
    wait = np.zeros(calls)
    for i in range(calls):
        f = free[0]
        if f <= t[i]:
            heapq.heapreplace(free, t[i] + service[i])
            continue
        waited[i] = True
        v = f - t[i]
        if v <= patience[i]:
            wait[i] = v
            heapq.heapreplace(free, f + service[i])
        else:
            abandoned[i] = True
            wait[i] = patience[i]
    in_target = ~abandoned & (wait <= target_s)
    return waited, abandoned, wait, in_target


def batch_ci(x, batches=25):
    """Mean and standard error by batch means (the calls of a queue are correlated)."""
    m = np.asarray(x, float)[: len(x) // batches * batches].reshape(batches, -1).mean(axis=1)
    return m.mean(), m.std(ddof=1) / math.sqrt(batches)


@pytest.mark.parametrize(
    ("calls", "aht", "agents", "patience"),
    [(100, 180, 10, 120), (400, 240, 50, 60), (60, 300, 8, 600)],
)
def test_erlang_a_against_simulation(calls, aht, agents, patience):
    interval = 1800
    lam, mu, theta = calls / interval, 1 / aht, 1 / patience
    waited, abandoned, wait, in_target = simulate_mmn_m(
        lam, mu, theta, agents, 300_000, seed=agents, target_s=20
    )
    r = erlang_a(calls, interval, aht, agents, patience_s=patience, target_s=20)
    answered = ~abandoned
    for exact, sample in [
        (r.p_wait, waited),
        (r.p_abandon, abandoned),
        (r.service_level, in_target),
        (r.mean_wait_s, wait),
    ]:
        m, se = batch_ci(sample)
        assert abs(exact - m) < 4 * se + 1e-3 * max(1, abs(m)), (exact, m, se)
    # among the answered: the answer-time level and the ASA
    m, se = batch_ci(in_target[answered])
    assert abs(r.service_level_answered - m) < 4 * se + 1e-3
    m, se = batch_ci(wait[answered])
    assert abs(r.asa_s - m) < 4 * se + 1e-3 * m
    assert r.truncation_error < 1e-10


@pytest.mark.parametrize(("calls", "agents"), [(100, 11), (100, 14), (300, 35), (1000, 110)])
def test_infinite_patience_is_erlang_c(calls, agents):
    c = erlang_c(calls, 1800, 180, agents)
    for patience in (math.inf, 1e12):
        a = erlang_a(calls, 1800, 180, agents, patience_s=patience)
        assert a.p_wait == pytest.approx(c.p_wait, rel=1e-6)
        assert a.service_level == pytest.approx(c.service_level, rel=1e-6)
        assert a.asa_s == pytest.approx(c.asa_s, rel=1e-5)
        assert a.p_abandon < 1e-5


@pytest.mark.parametrize(("a", "n"), [(5.0, 3), (10.0, 10), (40.0, 45)])
def test_patience_equal_to_handling_time_is_poisson(a, n):
    # with theta = mu every call leaves at rate mu, served or not: M/M/infinity, so the
    # number in the system is Poisson(a) and a call waits when it finds n or more
    aht = 200.0
    r = erlang_a(a * 1800 / aht, 1800, aht, n, patience_s=aht)
    assert r.p_wait == pytest.approx(stats.poisson.sf(n - 1, a), rel=1e-9)
    # abandonment rate theta E[queue] over lam: E[(N - n)+] / a for N ~ Poisson(a)
    k = np.arange(0, 400)
    queue = (np.clip(k - n, 0, None) * stats.poisson.pmf(k, a)).sum()
    assert r.p_abandon == pytest.approx(queue / a, rel=1e-9)
    assert r.mean_wait_s == pytest.approx(queue / (a / aht), rel=1e-9)


def test_abandonment_lowers_staff_and_staffing_is_the_smallest():
    calls, interval, aht, patience = 300, 1800, 240, 90
    n = agents_needed_a(calls, interval, aht, patience, 0.8, 20, max_abandon=0.03)
    # brute force over every count
    ok = [
        (r.service_level >= 0.8 and r.p_abandon <= 0.03)
        for r in (erlang_a(calls, interval, aht, k, patience) for k in range(1, 80))
    ]
    assert n == ok.index(True) + 1
    assert n <= 1 + min(
        k for k in range(1, 80) if erlang_c(calls, interval, aht, k).service_level >= 0.8
    )
    # a tight abandonment cap alone can ask for more than the level
    only_level = agents_needed_a(calls, interval, aht, patience, 0.8, 20)
    strict = agents_needed_a(calls, interval, aht, patience, None, max_abandon=0.001)
    assert strict > only_level
    assert erlang_a(calls, interval, aht, strict, patience).p_abandon <= 0.001
    assert erlang_a(calls, interval, aht, strict - 1, patience).p_abandon > 0.001


def test_staffing_with_occupancy_cap_and_no_calls():
    n = agents_needed_a(500, 1800, 300, 120, 0.5, max_occupancy=0.85)
    assert erlang_a(500, 1800, 300, n, 120).occupancy <= 0.85
    assert erlang_a(500, 1800, 300, n - 1, 120).occupancy > 0.85 or (
        erlang_a(500, 1800, 300, n - 1, 120).service_level < 0.5
    )
    assert agents_needed_a(0, 1800, 300, 120) == 0
    # very patient callers: Erlang C's answer
    assert agents_needed_a(100, 1800, 180, 1e9) == 14


def test_edges():
    r = erlang_a(100, 1800, 180, 0, 120)
    assert (r.p_wait, r.p_abandon, r.service_level) == (1.0, 1.0, 0.0)
    r = erlang_a(0, 1800, 180, 3, 120)
    assert (r.p_wait, r.service_level) == (0.0, 1.0)
    # overloaded but callers hang up: still a proper answer
    r = erlang_a(1000, 1800, 180, 50, 60)
    assert 0.5 < r.p_abandon < 1 and r.occupancy <= 1
    assert r.p_abandon >= 1 - 50 / 100 - 1e-12  # agents answer at most n / a of calls
    with pytest.raises(ValueError):
        erlang_a(100, 1800, 180, 10, 0)
    with pytest.raises(ValueError, match="too few agents"):
        erlang_a(1000, 1800, 180, 95, 1e12)
    with pytest.raises(TypeError):
        erlang_a(100, 1800, 180, 10.5, 60)


def test_patience_estimate_recovers_simulated_patience():
    rng = np.random.default_rng(7)
    true_mean = 150.0
    patience = rng.exponential(true_mean, 50_000)
    offered = rng.exponential(100.0, 50_000)  # the wait each caller would have had
    waits = np.minimum(patience, offered)
    est = patience_from_waits(waits, patience < offered)
    # the exponential MLE with censoring: relative SE about 1 / sqrt(abandoned)
    se = true_mean / math.sqrt((patience < offered).sum())
    assert abs(est - true_mean) < 4 * se
    assert patience_from_waits([10, 20], [False, False]) == math.inf
    with pytest.raises(DataError, match="row 1"):
        patience_from_waits([10, -1], [True, False])
    with pytest.raises(DataError, match="one value per caller"):
        patience_from_waits([10, 1], [True])
