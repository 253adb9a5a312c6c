"""Shift roster: how many agents start each shift, and when they take their break.

The day is a row of intervals (96 of 15 minutes) with a number of agents required
in each. A shift type has start times, a length and an unpaid break of fixed
length that may start anywhere in a window of the shift. Every (shift, start,
break start) is a pattern covering the intervals it is at work; the roster is the
integer program

    minimise  sum_p cost_p x_p   subject to   sum_p cover[t, p] x_p >= required_t,
    x_p >= 0 integer,

solved with HiGHS through :func:`scipy.optimize.milp`. Placing breaks inside the
program (rather than after it) lets staggered breaks fill the gaps of the day.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from orient.errors import DataError

__all__ = ["Roster", "ShiftType", "clock", "roster", "shift_types"]


@dataclass(frozen=True)
class ShiftType:
    """One kind of shift.

    Attributes
    ----------
    name : str
        Label shown in the roster.
    starts_min : tuple of int
        Allowed start times, minutes after midnight.
    length_min : int
        Length of the shift including its break, minutes.
    break_min : int
        Length of the break, minutes (0: none).
    break_window_min : (int, int)
        Earliest and latest start of the break, minutes after the shift starts.
    cost : float
        Cost of one agent working one such shift.
    """

    name: str
    starts_min: tuple[int, ...]
    length_min: int
    break_min: int = 0
    break_window_min: tuple[int, int] = (0, 0)
    cost: float = 1.0


def _minutes(value: Any, where: str) -> int:
    """``"08:30"`` or 510 -> 510 minutes after midnight."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    text = str(value).strip()
    try:
        h, m = text.split(":")
        out = int(h) * 60 + int(m)
    except ValueError:
        raise DataError(f"{where}: {value!r} is not a time; expected HH:MM") from None
    if not 0 <= out < 24 * 60:
        raise DataError(f"{where}: {value!r} is not a time of day (00:00 to 23:59)")
    return out


def clock(minutes: float) -> str:
    """Minutes after midnight as ``HH:MM`` (wrapping past midnight).

    Examples
    --------
    >>> clock(510), clock(1500)
    ('08:30', '01:00')
    """
    m = int(round(minutes)) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"


def _one_shift(i: int, s: Mapping, cost_per_hour: float | None) -> ShiftType:
    where = f"company.yaml: service.shifts[{i}]"
    name = str(s.get("name", f"shift {i + 1}"))
    if "hours" not in s:
        raise DataError(f"{where} ({name}): no 'hours'; expected the shift length in hours")
    length = int(round(float(s["hours"]) * 60))
    if "starts" in s:
        starts = tuple(_minutes(v, f"{where}.starts") for v in s["starts"])
    elif "earliest" in s:
        lo = _minutes(s["earliest"], f"{where}.earliest")
        hi = _minutes(s.get("latest", s["earliest"]), f"{where}.latest")
        step = int(s.get("every_min", 60))
        starts = tuple(range(lo, hi + 1, step))
    else:
        raise DataError(f"{where} ({name}): no 'starts' (a list of HH:MM) nor 'earliest'/'latest'")
    brk = int(s.get("break_min", 0))
    window = s.get("break_after_h")
    if window is None:
        win = (length // 3, max(length // 3, 2 * length // 3 - brk))
    else:
        win = (int(round(float(window[0]) * 60)), int(round(float(window[-1]) * 60)))
    if brk and not (0 <= win[0] <= win[1] and win[1] + brk <= length):
        raise DataError(
            f"{where} ({name}): break of {brk} min after {window} h does not fit in "
            f"a {s['hours']} h shift"
        )
    paid_h = (length - brk) / 60
    cost = s.get("cost")
    if cost is None:
        cost = paid_h * cost_per_hour if cost_per_hour is not None else paid_h
    if length <= 0 or length > 24 * 60 or not starts:
        raise DataError(f"{where} ({name}): length {length} min or starts {starts} not usable")
    return ShiftType(name, starts, length, brk, win, float(cost))


def shift_types(
    spec: Sequence[Mapping[str, Any]], cost_per_hour: float | None = None
) -> list[ShiftType]:
    """Shift types from company.yaml's ``service.shifts`` list.

    Each entry: ``name``; ``hours`` (length with the break); ``starts`` (list of
    ``HH:MM``) or ``earliest``/``latest``/``every_min``; optionally ``break_min``,
    ``break_after_h`` ([earliest, latest] hours after the start; default the middle
    third of the shift) and ``cost`` (per agent shift; default paid hours times
    ``cost_per_hour``, or paid hours when that is not known).

    Examples
    --------
    >>> [s.starts_min for s in shift_types([{"hours": 8, "earliest": "08:00",
    ...                                      "latest": "10:00"}])]
    [(480, 540, 600)]
    """
    return [_one_shift(i, dict(s), cost_per_hour) for i, s in enumerate(spec)]


def _patterns(shifts: Sequence[ShiftType], interval_min: int, n: int, cyclic: bool):
    """Coverage matrix (intervals x patterns) and each pattern's (shift, start, break)."""
    rows, cols, meta = [], [], []
    for s in shifts:
        length = math.ceil(s.length_min / interval_min)
        brk = math.ceil(s.break_min / interval_min)
        lo, hi = (s.break_window_min[0] // interval_min, s.break_window_min[1] // interval_min)
        offsets = range(lo, hi + 1) if brk else [None]
        for start_min in s.starts_min:
            start = start_min // interval_min
            for off in offsets:
                at_work = [
                    start + k for k in range(length) if off is None or not off <= k < off + brk
                ]
                t = np.array(at_work)
                t = t % n if cyclic else t[t < n]
                j = len(meta)
                rows.extend(t.tolist())
                cols.extend([j] * len(t))
                meta.append((s, start_min, None if off is None else start_min + off * interval_min))
    cover = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(meta)))
    return cover, meta


@dataclass(frozen=True)
class Roster:
    """A least-cost shift roster.

    Attributes
    ----------
    shifts : DataFrame
        One row per pattern used: ``shift``, ``start``, ``end``, ``break_start``
        (HH:MM, None without a break), ``agents``, ``cost`` (agents times the shift cost).
    coverage : DataFrame
        One row per interval: ``time`` (HH:MM), ``required``, ``scheduled``, ``surplus``.
    total_cost : float
    agents : int
        Agents starting a shift over the day.
    paid_hours : float
        Paid agent hours (shift lengths less breaks).
    required_hours : float
        Agent hours the requirement asks for.
    efficiency : float
        Required over scheduled agent-intervals (1 = no agent idle beyond need).
    gap : float
        Relative gap between the roster's cost and HiGHS's lower bound (0 = proven optimal).
    """

    shifts: pd.DataFrame
    coverage: pd.DataFrame
    total_cost: float
    agents: int
    paid_hours: float
    required_hours: float
    efficiency: float
    gap: float


def roster(
    required: Sequence[float],
    shifts: Sequence[ShiftType],
    *,
    interval_min: int = 15,
    cyclic: bool = False,
    time_limit_s: float = 10.0,
) -> Roster:
    """Least-cost roster covering the agents required in each interval of a day.

    Parameters
    ----------
    required : sequence of float
        Agents required (already allowing for shrinkage) per interval, from midnight;
        fractional values are rounded up.
    shifts : sequence of ShiftType
        The shift types (:func:`shift_types`).
    interval_min : int, default 15
        Interval length in minutes.
    cyclic : bool, default False
        Whether the day repeats (24/7 operation): a shift past midnight covers the
        first intervals of the day; otherwise those hours count for nothing.
    time_limit_s : float, default 10
        HiGHS's time limit.

    Returns
    -------
    Roster

    Examples
    --------
    >>> r = roster([2] * 8 + [3] * 8, [ShiftType("day", (0, 240), 240)], interval_min=30)
    >>> r.agents, r.shifts["agents"].tolist()
    (5, [2, 3])
    """
    req = np.ceil(np.asarray(required, dtype=float) - 1e-9)
    if req.ndim != 1 or not np.isfinite(req).all() or (req < 0).any():
        raise DataError("required: expected one number >= 0 per interval of the day")
    if not shifts:
        raise DataError("company.yaml: service.shifts is empty; expected at least one shift")
    n = len(req)
    cover, meta = _patterns(shifts, interval_min, n, cyclic)
    reachable = np.asarray(cover.sum(axis=1)).ravel() > 0
    bare = np.flatnonzero((req > 0) & ~reachable)
    if bare.size:
        raise DataError(
            f"company.yaml: service.shifts: no shift covers {clock(bare[0] * interval_min)} although "
            f"{int(req[bare[0]])} agents are required then; add a shift for those hours"
        )
    cost = np.array([m[0].cost for m in meta])
    res = optimize.milp(
        cost,
        constraints=optimize.LinearConstraint(cover, lb=req, ub=np.inf),
        integrality=np.ones(len(meta)),
        bounds=optimize.Bounds(0, np.inf),
        options={"time_limit": time_limit_s, "mip_rel_gap": 1e-9},
    )
    if res.x is None:
        raise DataError(f"the roster could not be solved: {res.message}")
    x = np.round(res.x).astype(int)
    return _result(x, cover, meta, req, interval_min, float(getattr(res, "mip_gap", 0.0) or 0.0))


def _result(x, cover, meta, req, interval_min, gap) -> Roster:
    used = np.flatnonzero(x)
    rows = [
        {
            "shift": meta[j][0].name,
            "start": clock(meta[j][1]),
            "end": clock(meta[j][1] + meta[j][0].length_min),
            "break_start": None if meta[j][2] is None else clock(meta[j][2]),
            "agents": int(x[j]),
            "cost": float(x[j] * meta[j][0].cost),
        }
        for j in used
    ]
    table = pd.DataFrame(rows, columns=["shift", "start", "end", "break_start", "agents", "cost"])
    scheduled = cover @ x
    n = len(req)
    coverage = pd.DataFrame(
        {
            "time": [clock(t * interval_min) for t in range(n)],
            "required": req.astype(int),
            "scheduled": scheduled.astype(int),
            "surplus": (scheduled - req).astype(int),
        }
    )
    paid = sum(x[j] * (meta[j][0].length_min - meta[j][0].break_min) for j in used) / 60
    return Roster(
        table,
        coverage,
        float(table["cost"].sum()),
        int(x.sum()),
        float(paid),
        float(req.sum() * interval_min / 60),
        float(req.sum() / scheduled.sum()) if scheduled.sum() else 1.0,
        gap,
    )
