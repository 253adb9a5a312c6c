"""Call-centre intervals: achieved and required staff per interval, and the day's profile.

Each interval of the calls table (calls offered, answered, answered within the
target, abandoned, handling time) gets the Erlang C staff it required for the
target service level and the staff it was effectively run with; the hourly
profile pools the intervals by hour of day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.operations.service.erlang import _agents_needed, _number
from orient.operations.service.erlang_a import _agents_needed_a

__all__ = ["CALL_COLUMNS", "hourly_profile", "interval_seconds", "staffing"]

CALL_COLUMNS = ("interval_start", "offered", "answered", "answered_in_target", "abandoned", "aht_s")


def interval_seconds(starts: pd.Series) -> float:
    """Length of the call intervals in seconds: the most common gap between interval starts.

    1800 (half an hour) when there are fewer than two distinct starts.

    Examples
    --------
    >>> interval_seconds(pd.Series(["2026-03-02 08:00", "2026-03-02 08:15", "2026-03-02 08:30"]))
    900.0
    """
    t = pd.to_datetime(starts).sort_values().drop_duplicates()
    if len(t) < 2:
        return 1800.0
    step = t.diff().dropna().dt.total_seconds()
    step = step[step > 0]
    return float(step.mode().iloc[0]) if len(step) else 1800.0


def staffing(
    calls: pd.DataFrame,
    *,
    interval_s: float | None = None,
    target_s: float = 20,
    target_level: float = 0.8,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    patience_s: float | None = None,
    max_abandon: float | None = None,
) -> pd.DataFrame:
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
    patience_s : float, optional
        Callers' mean patience in seconds: given, required and implied staff come from
        Erlang A (callers hang up, :mod:`.erlang_a`) instead of Erlang C.
    max_abandon : float, optional
        With ``patience_s``: the abandonment cap the required staff must also meet.

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
        - ``required_agents``: Erlang C (Erlang A with ``patience_s``) agents for
          ``target_level`` within ``target_s``
        - ``implied_agents``: agents in the ``agents`` column if given, else the
          agents that would deliver the achieved level under the same model (what the
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
        interval_s = interval_seconds(calls["interval_start"])
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

    if patience_s is None:

        def need(a, h, level, cap=None, occupancy=None):
            return _agents_needed(a, h, target_s, level, max_occupancy=occupancy)
    else:

        def need(a, h, level, cap=None, occupancy=None):
            return _agents_needed_a(a, h, patience_s, target_s, level, cap, occupancy)

    required = np.array(
        [
            need(a, h, target_level, max_abandon, max_occupancy)
            for a, h in zip(traffic, aht_ok, strict=True)
        ]
    )
    if "agents" in d.columns:
        implied = d["agents"].astype(float).to_numpy()
    else:
        implied = np.array(
            [
                0 if a == 0 or not np.isfinite(lv) else need(a, h, float(np.clip(lv, 1e-6, 0.999)))
                for a, h, lv in zip(traffic, aht_ok, achieved, strict=True)
            ],
            dtype=float,
        )
    return pd.DataFrame(
        {
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
        }
    )


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
    out = pd.DataFrame(
        {
            "n": g.size(),
            "offered": g["offered"].mean(),
            "achieved_level": g["_ait"].sum() / g["offered"].sum().replace(0, np.nan),
            "abandon_rate": g["abandoned"].sum() / g["offered"].sum().replace(0, np.nan),
            "required_agents": g["required_agents"].mean(),
            "implied_agents": g["implied_agents"].mean(),
            "staff_gap": g["staff_gap"].mean(),
            "below_target_share": g["below_target"].mean(),
        }
    )
    out["peak"] = out["offered"] >= out["offered"].quantile(0.8)
    return out
