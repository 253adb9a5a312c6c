"""Call-centre workforce: a day's interval requirement, chat, tiers, service hours, make or buy.

* :func:`day_profile` averages the calls table by time of day (one row per interval),
  each interval over the days that recorded it; :func:`day_coverage` names the days
  recorded only in part and the intervals they lack.
* :func:`interval_requirement` gives each interval the agents on the phones that
  Erlang A (callers hang up) or Erlang C needs, then the agents to schedule once
  shrinkage is allowed for, with an occupancy cap.
* :func:`chat_agents`: agents who each handle ``k`` chats at once are ``k`` servers
  each; a chat's handling time grows with the concurrency.
* :func:`tiers`: first-level agents answer every call and pass a share to
  specialists; by Burke's theorem the calls leaving a stable M/M/n queue form a
  Poisson stream, so the specialists' queue is again Erlang C with the thinned rate.
* :func:`service_hours`: agent hours, calls answered and cost per call when the
  line is open only between given hours.
* :func:`make_or_buy`: in-house cost per call against an outsourcing price, and the
  volume at which the two cost the same.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.operations.service.erlang import _agents_needed, _number
from orient.operations.service.erlang_a import _agents_needed_a

__all__ = [
    "chat_agents",
    "day_coverage",
    "day_profile",
    "interval_requirement",
    "make_or_buy",
    "service_hours",
    "tiers",
]


def day_profile(calls: pd.DataFrame, interval_s: float) -> pd.DataFrame:
    """The average day: calls offered and handling time per interval of the day.

    Each interval is averaged over the days that recorded it (a row in the calls
    table, even with 0 calls), so a day recorded only in part (a log cut off at
    lunch) does not count its missing intervals as calls that never came;
    :func:`day_coverage` says which days are partial and which intervals they lack.

    Parameters
    ----------
    calls : DataFrame
        The calls table (``interval_start``, ``offered``, ``aht_s``, ...).
    interval_s : float
        Interval length in seconds.

    Returns
    -------
    DataFrame
        One row per interval of the day from midnight (``24 * 3600 / interval_s``
        rows): ``minute`` (minutes after midnight), ``offered`` (mean calls over the
        days that recorded the interval, 0 where no day did), ``aht_s`` (handling time
        weighted by calls; the table's average where an interval has none) and
        ``days`` (the days that recorded the interval).

    Examples
    --------
    >>> t = pd.DataFrame({"interval_start": ["2026-03-02 13:00", "2026-03-03 13:00",
    ...                                      "2026-03-03 08:00"],
    ...                   "offered": [10, 30, 6], "aht_s": [100.0, 100.0, 100.0]})
    >>> d = day_profile(t, 3600).set_index("minute")
    >>> float(d.loc[780, "offered"]), float(d.loc[480, "offered"]), int(d.loc[480, "days"])
    (20.0, 6.0, 1)
    """
    minute, day, offered, work = _interval_days(calls, interval_s)
    frame = pd.DataFrame({"minute": minute, "day": day, "offered": offered, "work": work})
    g = frame.groupby("minute").agg(
        offered=("offered", "sum"), work=("work", "sum"), days=("day", "nunique")
    )
    step = interval_s / 60
    grid = pd.Index(np.arange(0, 24 * 60, step).astype(int), name="minute")
    g = g.reindex(grid, fill_value=0)
    mean_aht = float(work.sum() / offered.sum()) if offered.sum() > 0 else 180.0
    aht = np.where(g["offered"] > 0, g["work"] / g["offered"].where(g["offered"] > 0), mean_aht)
    days = g["days"].to_numpy().astype(int)
    return pd.DataFrame(
        {
            "minute": grid,
            "offered": g["offered"].to_numpy(dtype=float) / np.maximum(days, 1),
            "aht_s": aht,
            "days": days,
        }
    ).reset_index(drop=True)


def _interval_days(calls: pd.DataFrame, interval_s: float):
    """Each row's interval of the day (minutes after midnight), its date, calls and work."""
    calls = check_dataframe(calls, "calls")
    check_columns(calls, ("interval_start", "offered", "aht_s"), "calls")
    t = pd.to_datetime(calls["interval_start"])
    step = interval_s / 60
    minute = ((t.dt.hour * 60 + t.dt.minute) // step * step).astype(int)
    offered = calls["offered"].astype(float)
    work = offered * calls["aht_s"].astype(float)
    return minute, t.dt.normalize(), offered, work


def day_coverage(calls: pd.DataFrame, interval_s: float) -> pd.DataFrame:
    """The days recorded only in part: each lacks intervals that other days recorded.

    The intervals of the day are those any day of the table recorded (a row, even
    with 0 calls); a day without one of them is partial.

    Returns
    -------
    DataFrame
        One row per partial day, in date order: ``date`` (``YYYY-MM-DD``),
        ``recorded`` (intervals it has), ``missing`` (intervals it lacks) and
        ``missing_minutes`` (tuple of minutes after midnight it lacks). Empty when
        every day has every interval. ``attrs["days"]`` is the number of days.

    Examples
    --------
    >>> t = pd.DataFrame({"interval_start": ["2026-03-02 08:00", "2026-03-02 13:00",
    ...                                      "2026-03-03 08:00"],
    ...                   "offered": [1, 2, 3], "aht_s": [100.0, 100.0, 100.0]})
    >>> c = day_coverage(t, 3600)
    >>> c["date"].tolist(), c["missing_minutes"].tolist(), c.attrs["days"]
    (['2026-03-03'], [(780,)], 2)
    """
    minute, day, _, _ = _interval_days(calls, interval_s)
    slots = pd.DataFrame({"minute": minute, "day": day}).drop_duplicates()
    every = np.sort(slots["minute"].unique())
    rows = []
    for d, g in slots.groupby("day", sort=True):
        lack = np.setdiff1d(every, g["minute"].to_numpy())
        if len(lack):
            rows.append(
                (
                    d.strftime("%Y-%m-%d"),
                    len(every) - len(lack),
                    len(lack),
                    tuple(int(m) for m in lack),
                )
            )
    out = pd.DataFrame(rows, columns=["date", "recorded", "missing", "missing_minutes"])
    out.attrs["days"] = int(slots["day"].nunique())
    return out


def interval_requirement(
    offered: Sequence[float],
    aht_s: Sequence[float] | float,
    interval_s: float,
    *,
    target_level: float = 0.8,
    target_s: float = 20,
    patience_s: float | None = None,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> pd.DataFrame:
    """Agents on the phones and agents to schedule in each interval.

    Parameters
    ----------
    offered : sequence of float
        Calls offered per interval.
    aht_s : float or sequence of float
        Handling time per interval (or one value for all), seconds.
    interval_s : float
        Interval length, seconds.
    target_level, target_s : float
        Service-level target: ``target_level`` of calls answered within ``target_s``.
    patience_s : float, optional
        Callers' mean patience; given, Erlang A is used (with ``max_abandon``),
        otherwise Erlang C.
    max_abandon : float, optional
        Abandonment cap (Erlang A only).
    max_occupancy : float, optional
        Occupancy cap.
    shrinkage : float, default 0
        Share of paid time not on the phones (breaks outside the roster, training,
        absence): scheduled = ceil(on phones / (1 - shrinkage)).

    Returns
    -------
    DataFrame
        ``offered``, ``aht_s``, ``traffic_erlangs``, ``agents`` (on the phones),
        ``scheduled`` (allowing for shrinkage), one row per interval.
    """
    off = np.asarray(offered, dtype=float)
    aht = np.broadcast_to(np.asarray(aht_s, dtype=float), off.shape)
    interval_s = _number(interval_s, "interval_s", low_open=True)
    shrinkage = _number(shrinkage, "shrinkage", high=1, high_open=True)
    if (off < 0).any() or not np.isfinite(off).all():
        raise ValueError("`offered` must be finite numbers >= 0.")
    if (aht <= 0).any() or not np.isfinite(aht).all():
        raise ValueError("`aht_s` must be finite numbers > 0.")
    traffic = off * aht / interval_s
    if patience_s is None:
        agents = [
            _agents_needed(a, h, target_s, target_level, max_occupancy=max_occupancy)
            for a, h in zip(traffic, aht, strict=True)
        ]
    else:
        agents = [
            _agents_needed_a(a, h, patience_s, target_s, target_level, max_abandon, max_occupancy)
            for a, h in zip(traffic, aht, strict=True)
        ]
    agents = np.asarray(agents, dtype=int)
    return pd.DataFrame(
        {
            "offered": off,
            "aht_s": aht,
            "traffic_erlangs": traffic,
            "agents": agents,
            "scheduled": np.ceil(agents / (1 - shrinkage) - 1e-9).astype(int),
        }
    )


def chat_agents(
    chats: float,
    interval_s: float,
    aht_s: float,
    concurrency: int,
    *,
    target_level: float = 0.8,
    target_s: float = 60,
    slowdown: float = 0.0,
) -> dict:
    """Agents for a chat queue when each agent handles ``concurrency`` chats at once.

    Each agent is ``concurrency`` servers; a chat takes ``aht_s * (1 + slowdown *
    (concurrency - 1))`` seconds (handling time measured with one chat at a time,
    lengthened by the switching between chats). Erlang C on the chat slots.

    Returns
    -------
    dict
        ``slots`` (chat servers needed), ``agents`` (slots / concurrency, rounded
        up), ``aht_s`` (per chat at that concurrency), ``traffic_erlangs``.

    Examples
    --------
    >>> chat_agents(120, 3600, 600, 3)["agents"]
    8
    """
    k = int(concurrency)
    if k < 1:
        raise ValueError(f"`concurrency` must be >= 1; got {concurrency!r}.")
    slowdown = _number(slowdown, "slowdown")
    aht_k = _number(aht_s, "aht_s", low_open=True) * (1 + slowdown * (k - 1))
    a = _number(chats, "chats") * aht_k / _number(interval_s, "interval_s", low_open=True)
    slots = _agents_needed(a, aht_k, target_s, target_level)
    return {"slots": slots, "agents": math.ceil(slots / k), "aht_s": aht_k, "traffic_erlangs": a}


def tiers(
    calls: float,
    interval_s: float,
    aht_s: float,
    escalated: float,
    specialist_aht_s: float,
    *,
    target_level: float = 0.8,
    target_s: float = 20,
    specialist_target_level: float | None = None,
    specialist_target_s: float | None = None,
) -> dict:
    """First-level and specialist agents when a share of calls is passed on.

    Parameters
    ----------
    calls, interval_s, aht_s
        First-level calls offered per interval, interval length, handling time.
    escalated : float
        Share of first-level calls passed to specialists, in [0, 1].
    specialist_aht_s : float
        Specialists' handling time per escalated call.
    specialist_target_level, specialist_target_s : float, optional
        The specialists' own target (default the first level's).

    Returns
    -------
    dict
        ``first_agents``, ``specialist_calls`` (per interval), ``specialist_agents``,
        ``total_agents``, ``first_traffic``, ``specialist_traffic`` (Erlangs).

    Examples
    --------
    >>> t = tiers(200, 1800, 180, 0.25, 600)
    >>> t["first_agents"], t["specialist_calls"], t["specialist_agents"]
    (24, 50.0, 22)
    """
    escalated = _number(escalated, "escalated", high=1)
    calls = _number(calls, "calls")
    interval_s = _number(interval_s, "interval_s", low_open=True)
    aht_s = _number(aht_s, "aht_s", low_open=True)
    s_aht = _number(specialist_aht_s, "specialist_aht_s", low_open=True)
    a1 = calls * aht_s / interval_s
    n1 = _agents_needed(a1, aht_s, target_s, target_level)
    s_calls = calls * escalated
    a2 = s_calls * s_aht / interval_s
    n2 = _agents_needed(
        a2,
        s_aht,
        specialist_target_s if specialist_target_s is not None else target_s,
        specialist_target_level if specialist_target_level is not None else target_level,
    )
    return {
        "first_agents": n1,
        "specialist_calls": s_calls,
        "specialist_agents": n2,
        "total_agents": n1 + n2,
        "first_traffic": a1,
        "specialist_traffic": a2,
    }


def service_hours(
    requirement: pd.DataFrame,
    scenarios: dict[str, tuple[int, int]],
    interval_min: int,
    *,
    cost_per_hour: float | None = None,
) -> pd.DataFrame:
    """Agent hours and calls answered when the line is open only between given hours.

    Parameters
    ----------
    requirement : DataFrame
        :func:`interval_requirement` for a day from midnight (``offered``, ``scheduled``).
    scenarios : dict
        Name -> (opening, closing) in minutes after midnight; (0, 1440) is around the
        clock. Calls outside the hours are not answered.
    interval_min : int
        Interval length in minutes.
    cost_per_hour : float, optional
        Cost of an agent hour.

    Returns
    -------
    DataFrame
        Indexed by scenario: ``open_hours``, ``agent_hours``, ``calls_answered``,
        ``calls_outside`` (calls per day arriving when closed), ``share_outside``,
        ``cost`` and ``cost_per_call`` (None without ``cost_per_hour``).
    """
    check_columns(requirement, ("offered", "scheduled"), "requirement")
    minute = np.arange(len(requirement)) * interval_min
    offered = requirement["offered"].to_numpy(float)
    sched = requirement["scheduled"].to_numpy(float)
    rows = {}
    for name, (lo, hi) in scenarios.items():
        inside = (minute >= lo) & (minute < hi) if lo <= hi else (minute >= lo) | (minute < hi)
        hours = float(sched[inside].sum() * interval_min / 60)
        answered = float(offered[inside].sum())
        cost = hours * cost_per_hour if cost_per_hour is not None else None
        rows[name] = {
            "open_hours": float(inside.sum() * interval_min / 60),
            "agent_hours": hours,
            "calls_answered": answered,
            "calls_outside": float(offered[~inside].sum()),
            "share_outside": float(offered[~inside].sum() / offered.sum()) if offered.sum() else 0,
            "cost": cost,
            "cost_per_call": cost / answered if cost is not None and answered else None,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def make_or_buy(
    requirement_of: Callable[[float], pd.DataFrame],
    calls_per_day: float,
    *,
    cost_per_hour: float,
    price_per_call: float,
    fixed_per_day: float = 0.0,
    interval_min: int = 15,
) -> dict:
    """In-house cost per call against an outsourcing price, and the break-even volume.

    Parameters
    ----------
    requirement_of : callable
        ``requirement_of(scale)`` -> :func:`interval_requirement` of the day's calls
        multiplied by ``scale`` (the staffing at another volume).
    calls_per_day : float
        Calls per day now.
    cost_per_hour : float
        Cost of a scheduled agent hour.
    price_per_call : float
        The outsourcer's price per call.
    fixed_per_day : float, default 0
        In-house costs that do not depend on the volume (premises, systems, managers).
    interval_min : int, default 15

    Returns
    -------
    dict
        ``inhouse_cost_per_call`` and ``inhouse_cost_per_day`` now, ``outsourced_cost_per_day``,
        ``cheaper`` ("in-house" or "outsourced"), and ``break_even_calls`` (calls per
        day above which in-house stays cheaper, on a grid of volumes from 1/16 to 16
        times today's refined by bisection; None when in-house is cheaper at every
        volume tried, ``inf`` when it is dearer even at 16 times the volume). In-house
        cost per call falls with volume (fixed costs spread, and the Erlang pooling
        economy), but staff come in whole agents, so the difference is a sawtooth:
        the break-even is where it changes sign for the last time.
    """
    if calls_per_day <= 0:
        raise ValueError("`calls_per_day` must be > 0.")

    def inhouse(scale: float) -> float:
        req = requirement_of(scale)
        return fixed_per_day + float(req["scheduled"].sum()) * interval_min / 60 * cost_per_hour

    def excess(scale: float) -> float:  # in-house minus outsourced, per day
        return inhouse(scale) - price_per_call * calls_per_day * scale

    now = inhouse(1.0)
    out = {
        "inhouse_cost_per_day": now,
        "inhouse_cost_per_call": now / calls_per_day,
        "outsourced_cost_per_day": price_per_call * calls_per_day,
        "cheaper": "in-house" if now <= price_per_call * calls_per_day else "outsourced",
        "break_even_calls": None,
    }
    # the last volume on a grid (1/16 to 16 times today's) where in-house is dearer,
    # refined by bisection to where it stops being dearer for good
    grid = 2.0 ** np.arange(-4, 4.01, 0.5)
    dearer = [excess(k) > 0 for k in grid]
    if not any(dearer):
        return out  # in-house is cheaper even at a small fraction of the volume
    last = max(i for i, d in enumerate(dearer) if d)
    if last == len(grid) - 1:
        out["break_even_calls"] = math.inf
        return out
    lo, hi = grid[last], grid[last + 1]
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if excess(mid) > 0 else (lo, mid)
        if hi / lo < 1 + 1e-3:
            break
    out["break_even_calls"] = float(hi * calls_per_day)
    return out
