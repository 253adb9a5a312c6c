"""Shift roster: the integer program against brute force on small days."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from orient import DataError
from orient.operations.service.roster import ShiftType, clock, roster, shift_types


def brute_force(required, patterns, costs):
    """Cheapest integer vector covering ``required``, by trying every vector."""
    required = np.asarray(required)
    top = int(required.max())
    best = None
    for x in itertools.product(range(top + 1), repeat=len(patterns)):
        cover = sum(k * np.asarray(p) for k, p in zip(x, patterns, strict=True))
        if (cover >= required).all():
            c = float(np.dot(x, costs))
            if best is None or c < best - 1e-9:
                best = c
    return best


def coverage_vectors(shifts, n, interval_min):
    """Each (shift, start, break start) at work pattern, written out directly."""
    out, costs = [], []
    for s in shifts:
        brk = s.break_min // interval_min
        offs = (
            range(s.break_window_min[0] // interval_min, s.break_window_min[1] // interval_min + 1)
            if brk
            else [None]
        )
        for st in s.starts_min:
            for off in offs:
                v = np.zeros(n, int)
                for k in range(s.length_min // interval_min):
                    if off is not None and off <= k < off + brk:
                        continue
                    if st // interval_min + k < n:
                        v[st // interval_min + k] = 1
                out.append(v)
                costs.append(s.cost)
    return out, costs


@pytest.mark.parametrize("seed", range(6))
def test_roster_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, im = 12, 60
    shifts = [
        ShiftType("early", (0, 60), 360, 60, (120, 180), cost=5.0),
        ShiftType("late", (300, 360), 360, 60, (120, 180), cost=5.5),
        ShiftType("short", (180,), 240, 0, (0, 0), cost=3.9),
    ]
    required = rng.integers(0, 3, n)
    r = roster(required, shifts, interval_min=im)
    patterns, costs = coverage_vectors(shifts, n, im)
    assert len(patterns) == 9
    assert r.total_cost == pytest.approx(brute_force(required, patterns, costs))
    assert (r.coverage["scheduled"] >= r.coverage["required"]).all()
    assert (r.coverage["surplus"] == r.coverage["scheduled"] - r.coverage["required"]).all()


def test_breaks_are_staggered_to_fill_the_day():
    # 4 agents needed all day on one 8 h shift with a 1 h break: breaks taken together
    # need 8 agents; 5 suffice when at most one agent is on break each hour, which
    # needs 5 break slots: with 4 (10:00-13:00) it takes 6
    shift = ShiftType("day", (480,), 480, 60, (60, 360), cost=7.0)
    required = [0] * 8 + [4] * 8 + [0] * 8
    r = roster(required, [shift], interval_min=60)
    assert r.agents == 5
    assert r.shifts["break_start"].nunique() == 5
    assert r.paid_hours == 35
    narrow = ShiftType("day", (480,), 480, 60, (120, 300), cost=7.0)
    assert roster(required, [narrow], interval_min=60).agents == 6
    assert r.required_hours == 32
    assert r.gap < 1e-6


def test_cyclic_day_lets_night_shift_wrap():
    night = ShiftType("night", (22 * 60,), 8 * 60, cost=8.0)
    day = ShiftType("day", (6 * 60, 14 * 60), 8 * 60, cost=8.0)
    required = [1] * 24
    r = roster(required, [night, day], interval_min=60, cyclic=True)
    assert r.agents == 3 and r.coverage["surplus"].sum() == 0
    with pytest.raises(DataError, match="no shift covers 00:00"):
        roster(required, [day], interval_min=60)


def test_shift_types_from_company_yaml():
    spec = [
        {
            "name": "day",
            "hours": 8.5,
            "earliest": "07:00",
            "latest": "10:00",
            "every_min": 30,
            "break_min": 30,
            "break_after_h": [3, 5],
        },
        {"name": "evening", "hours": 6, "starts": ["14:00", "16:00"]},
    ]
    day, evening = shift_types(spec, cost_per_hour=20)
    assert day.starts_min == (420, 450, 480, 510, 540, 570, 600)
    assert day.break_window_min == (180, 300) and day.cost == pytest.approx(8 * 20)
    assert evening.cost == 120 and evening.break_min == 0
    with pytest.raises(DataError, match=r"shifts\[0\].*HH:MM"):
        shift_types([{"hours": 8, "starts": ["8h"]}])
    with pytest.raises(DataError, match="does not fit"):
        shift_types([{"hours": 4, "starts": ["08:00"], "break_min": 60, "break_after_h": [3.5, 4]}])
    assert clock(24 * 60 + 75) == "01:15"


def test_day_of_96_intervals_solves_fast_and_optimally():
    import time

    t = np.arange(96)
    required = np.round(
        2 + 18 * np.exp(-(((t - 44) / 14) ** 2)) + 8 * np.exp(-(((t - 70) / 8) ** 2))
    )
    required[:24] = 0
    shifts = shift_types(
        [
            {
                "name": "full",
                "hours": 8.5,
                "earliest": "06:00",
                "latest": "15:30",
                "every_min": 30,
                "break_min": 30,
            },
            {"name": "part", "hours": 4, "earliest": "06:00", "latest": "20:00", "every_min": 60},
        ],
        cost_per_hour=25,
    )
    t0 = time.perf_counter()
    r = roster(required, shifts, interval_min=15)
    assert time.perf_counter() - t0 < 5
    assert r.gap < 1e-6
    # the LP relaxation bounds the integer optimum from below
    from scipy import optimize

    from orient.operations.service.roster import _patterns

    cover, meta = _patterns(shifts, 15, 96, False)
    lp = optimize.linprog([m[0].cost for m in meta], A_ub=-cover.toarray(), b_ub=-required)
    assert lp.fun - 1e-6 <= r.total_cost <= lp.fun + 25 * 8.5 * 3


def test_miller_bank_shifts_real_matrix():
    # the Anonymous Bank's 24-hour x 8-shift coverage matrix (Miller, ch. 6) over the
    # published Erlang C staffing of its hours: each shift covers consecutive hours, so
    # the coverage matrix is totally unimodular and the LP optimum is already integral;
    # the integer roster must reach it exactly
    from _real import real_data, require
    from scipy import optimize

    path = require(real_data("anonymous-bank-calls") / "data_anonymous_bank_shifts.csv", "shifts")
    lines = path.read_bytes().decode().replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows = [line.split(",") for line in lines[1:] if line.strip()]
    matrix = np.array([[int(v) for v in r[2:]] for r in rows])  # hours x shifts
    assert matrix.shape == (24, 8)
    shifts = []
    for j in range(8):
        hours = np.flatnonzero(matrix[:, j])
        assert (np.diff(hours) == 1).all()
        shifts.append(ShiftType(f"Shift{j + 1}", (int(hours[0]) * 60,), len(hours) * 60))
    required = [1, 1, 1, 0, 1, 1, 1, 4, 8, 9, 10, 9, 8, 16, 10, 10, 6, 7, 8, 8, 6, 6, 5, 4]
    r = roster(required, shifts, interval_min=60)
    lp = optimize.linprog(np.ones(8), A_ub=-matrix, b_ub=-np.array(required), method="highs")
    assert r.agents == pytest.approx(lp.fun)
    assert (r.coverage["scheduled"].to_numpy() == matrix @ _counts(r, shifts)).all()
    assert (r.coverage["surplus"] >= 0).all()


def _counts(r, shifts):
    by = r.shifts.groupby("shift")["agents"].sum()
    return np.array([int(by.get(s.name, 0)) for s in shifts])
