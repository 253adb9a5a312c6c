"""Service-centre explorer: the Erlang C staffing calculator."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from orient import service
from orient.present import plots
from orient.present.widgets.explorer import (
    _STYLE,
    Explorer,
    View,
    _new_figure,
    _slider,
)

__all__ = [
    "erlang_c_explorer",
    "erlang_c_table",
]


def erlang_c_table(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_s: float = 20,
    *,
    agents: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Erlang C performance (:func:`orient.service.erlang_c`) for a range of agents.

    Parameters
    ----------
    calls, interval_s, aht_s, target_s
        As in :func:`orient.service.erlang_c`.
    agents : sequence of int, optional
        The staffing levels; default from two below the traffic (Erlangs) to ten above.

    Returns
    -------
    DataFrame
        One row per number of agents: ``agents``, ``traffic`` (Erlangs), ``p_wait``,
        ``service_level`` (share answered within ``target_s``), ``asa_s`` (seconds;
        inf when the queue is unstable) and ``occupancy``.
    """
    first = service.erlang_c(calls, interval_s, aht_s, 0, target_s)  # checks the arguments
    del first
    traffic = float(calls) * float(aht_s) / float(interval_s)
    if agents is None:
        lo = max(0, math.floor(traffic) - 2)
        agents = range(lo, math.floor(traffic) + 11)
    rows = []
    for n in agents:
        sl = service.erlang_c(calls, interval_s, aht_s, int(n), target_s)
        rows.append(
            {
                "agents": int(n),
                "traffic": traffic,
                "p_wait": sl.p_wait,
                "service_level": sl.service_level,
                "asa_s": sl.asa_s,
                "occupancy": sl.occupancy,
            }
        )
    return pd.DataFrame(
        rows, columns=["agents", "traffic", "p_wait", "service_level", "asa_s", "occupancy"]
    )


def _busiest_interval(company: Any) -> dict[str, float]:
    calls = getattr(company, "calls", None)
    spec = getattr(getattr(company, "profile", None), "service", None)
    out: dict[str, float] = {}
    if spec is not None:
        out.update(
            interval_s=60.0 * spec.interval_min,
            target_s=float(spec.target_s),
            target_level=float(spec.target_level),
        )
    if calls is not None and len(calls):
        row = calls.loc[calls["offered"].idxmax()]
        out.update(calls=float(row["offered"]), aht_s=float(row["aht_s"]))
    return out


def erlang_c_explorer(
    calls: float = 100,
    interval_s: float = 1800,
    aht_s: float = 180,
    agents: int | None = None,
    target_s: float = 20,
    target_level: float = 0.8,
    *,
    company: Any = None,
    figsize: tuple[float, float] = (7.5, 4.5),
) -> Explorer:
    """Erlang C staffing calculator: calls, handling time, target and agents.

    Controls: ``calls`` (offered in the interval), ``interval_s`` (15, 30 or 60 minutes),
    ``aht_s`` (average handling time, seconds), ``target_s`` (answer within, seconds),
    ``target_level`` (share to answer within ``target_s``) and ``agents``. ``result`` is
    a one-row DataFrame: ``calls``, ``interval_s``, ``aht_s``, ``traffic`` (Erlangs),
    ``agents``, ``p_wait``, ``service_level``, ``asa_s``, ``occupancy`` (from
    :func:`orient.service.erlang_c`) and ``agents_needed`` (from
    :func:`orient.service.agents_needed`); ``extra["curve"]`` is :func:`erlang_c_table`,
    drawn by :func:`orient.present.plots.service_level_curve_plot`.

    Parameters
    ----------
    calls, interval_s, aht_s, target_s, target_level
        Starting values (see :func:`orient.service.erlang_c`).
    agents : int, optional
        Starting agents; default the agents needed.
    company : orient.Company, optional
        Start from its busiest call-centre interval (calls offered and handling time)
        and its service targets in company.yaml.
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    start = {
        "calls": calls,
        "interval_s": interval_s,
        "aht_s": aht_s,
        "target_s": target_s,
        "target_level": target_level,
    }
    if company is not None:
        start.update(_busiest_interval(company))
    needed0 = service.agents_needed(
        start["calls"],
        start["interval_s"],
        start["aht_s"],
        start["target_level"],
        start["target_s"],
    )
    if agents is None:
        agents = needed0
    intervals = [("15 minutes", 900.0), ("30 minutes", 1800.0), ("1 hour", 3600.0)]
    if float(start["interval_s"]) not in [v for _, v in intervals]:
        intervals.append((f"{start['interval_s'] / 60:g} minutes", float(start["interval_s"])))
    controls = {
        "calls": _slider(
            "int",
            round(start["calls"]),
            0,
            max(500, 3 * round(start["calls"])),
            description="Calls offered in the interval",
            step=1,
        ),
        "interval_s": widgets.Dropdown(
            options=intervals,
            value=float(start["interval_s"]),
            description="Interval",
            style=_STYLE,
        ),
        "aht_s": _slider(
            "int",
            round(start["aht_s"]),
            10,
            max(1200, 2 * round(start["aht_s"])),
            description="Average handling time (s)",
            step=5,
        ),
        "target_s": _slider(
            "int", round(start["target_s"]), 0, 180, description="Answer within (s)", step=5
        ),
        "target_level": _slider(
            "float",
            float(start["target_level"]),
            0.5,
            0.99,
            description="Target share answered in time",
            step=0.01,
        ),
        "agents": _slider("int", int(agents), 0, max(50, 3 * needed0), description="Agents"),
    }

    def compute(
        calls: int, interval_s: float, aht_s: int, target_s: int, target_level: float, agents: int
    ) -> View:
        sl = service.erlang_c(calls, interval_s, aht_s, agents, target_s)
        needed = service.agents_needed(calls, interval_s, aht_s, target_level, target_s)
        traffic = calls * aht_s / interval_s
        result = pd.DataFrame(
            [
                {
                    "calls": calls,
                    "interval_s": interval_s,
                    "aht_s": aht_s,
                    "traffic": traffic,
                    "agents": agents,
                    "p_wait": sl.p_wait,
                    "service_level": sl.service_level,
                    "asa_s": sl.asa_s,
                    "occupancy": sl.occupancy,
                    "agents_needed": needed,
                }
            ]
        )
        lo = max(0, min(agents, needed) - 3)
        curve = erlang_c_table(
            calls, interval_s, aht_s, target_s, agents=range(lo, max(agents, needed) + 6)
        )
        fig, ax = _new_figure(figsize)
        plots.service_level_curve_plot(
            curve,
            target_level=target_level,
            target_s=target_s,
            agents=agents,
            agents_needed=needed,
            ax=ax,
        )
        if agents <= traffic and calls > 0:
            text = (
                f"{agents} agents cannot keep up with {traffic:.1f} Erlangs of traffic: "
                f"the queue grows without end. The target needs {needed} agents."
            )
        else:
            text = (
                f"With {agents} agents: {sl.service_level:.1%} of calls answered within "
                f"{target_s} s, average speed of answer {sl.asa_s:.0f} s, agents busy "
                f"{sl.occupancy:.0%} of the time. {target_level:.0%} within {target_s} s "
                f"needs {needed} agents."
            )
        table = pd.DataFrame(
            {
                "Service level (%)": (100 * curve["service_level"]).round(1).to_numpy(),
                "Average speed of answer (s)": curve["asa_s"].round(1).to_numpy(),
                "Occupancy (%)": (100 * curve["occupancy"]).round(1).to_numpy(),
            },
            index=pd.Index(curve["agents"], name="Agents"),
        )
        return View(result, fig, table, text, {"curve": curve})

    return Explorer("Erlang C staffing calculator", controls, compute)
