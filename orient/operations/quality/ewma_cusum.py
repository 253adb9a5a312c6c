"""Time-weighted control charts: EWMA and the tabular CUSUM, phase I limits, phase II points.

Both chart the subgroup means (or individual values) against the centre and the
within-subgroup sigma of phase I, estimated as the Shewhart charts of :mod:`.charts`
do (``xbar_r`` up to 10 per subgroup, ``xbar_s`` above, ``i_mr`` for individuals),
so the two agree with R qcc's ``ewma()`` and ``cusum()``:

* EWMA (Roberts 1959): ``z_i = lambda x_i + (1 - lambda) z_(i-1)``, ``z_0`` the centre,
  with the exact time-varying limits
  ``centre +- L sigma / sqrt(n_i) sqrt(lambda / (2 - lambda) (1 - (1 - lambda)^(2 i)))``;
* tabular CUSUM (Page 1954; Montgomery ch. 9) on the standardised means
  ``y_i = (x_i - centre) / (sigma / sqrt(n_i))``: ``C+_i = max(0, C+_(i-1) + y_i - k)``,
  ``C-_i = max(0, C-_(i-1) - y_i - k)``, a signal where either exceeds ``h``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.operations.quality.charts import control_chart

__all__ = ["TimeWeightedChart", "cusum_chart", "ewma_chart", "shift_estimate", "summarise"]


@dataclass(frozen=True)
class TimeWeightedChart:
    """One EWMA or CUSUM chart.

    Attributes
    ----------
    chart : str
        ``"ewma"`` or ``"cusum"``.
    center, sigma : float
        Centre (target) and within-subgroup sigma of one value, from phase I unless given.
    n_trial : int
        Subgroups used for the centre and sigma.
    parameters : dict
        ``lambda`` and ``nsigmas`` (EWMA) or ``k``, ``h`` and ``head_start`` (CUSUM,
        in standard errors of the mean).
    points : DataFrame
        One row per subgroup: ``subgroup``, ``phase``, ``n``, ``statistic`` (the mean),
        and for EWMA ``ewma``, ``lcl``, ``ucl``; for CUSUM ``cusum_upper``,
        ``cusum_lower`` (both >= 0) and ``h``; then ``signal`` ("up", "down" or "")
        and ``out_of_control``.
    removed : tuple
        Phase I subgroups left out of the centre and sigma by the Shewhart revision.
    """

    chart: str
    center: float
    sigma: float
    n_trial: int
    parameters: dict
    points: pd.DataFrame
    removed: tuple = field(default=())

    @property
    def first_signal(self) -> Any:
        """The first subgroup that signals, or None."""
        out = self.points[self.points["out_of_control"]]
        return out["subgroup"].iloc[0] if len(out) else None


def _base(
    data: pd.DataFrame,
    value: str,
    subgroup: str,
    trial: Any,
    exclude: Iterable[Any],
    revise: bool,
    known: bool = False,
) -> tuple[pd.DataFrame, float, float, int, tuple]:
    """Means per subgroup with phase, and the phase I centre and sigma of the Shewhart chart.

    ``known``: centre and sigma are given, so only the means and phases are needed.
    """
    data = check_dataframe(data, "data")
    check_columns(data, [value], "data")
    if known and trial is None and not revise:
        if subgroup in data.columns:
            g = data.groupby(subgroup, sort=False)[value]
            labels, stat, n = list(g.groups.keys()), g.mean().to_numpy(), g.size().to_numpy()
        else:
            stat = data[value].to_numpy(dtype=float)
            labels, n = list(range(1, len(stat) + 1)), np.ones(len(stat), dtype=int)
        pts = pd.DataFrame(
            {"subgroup": labels, "phase": "I", "n": n, "statistic": stat, "excluded": False}
        )
        return pts, np.nan, np.nan, len(pts), ()
    if subgroup in data.columns:
        size = data.groupby(subgroup, sort=False).size().max()
    else:
        size = 1
    kind = "i_mr" if size == 1 else ("xbar_r" if size <= 10 else "xbar_s")
    loc = control_chart(
        data,
        kind,
        value=value,
        subgroup=subgroup,
        trial=trial,
        exclude=exclude,
        revise=revise,
    )[0]
    pts = loc.points[["subgroup", "phase", "n", "statistic", "excluded"]].copy()
    return pts, loc.center, loc.sigma, loc.n_trial, loc.removed


def ewma_chart(
    data: pd.DataFrame,
    *,
    value: str = "value",
    subgroup: str = "subgroup",
    trial: Any = None,
    exclude: Iterable[Any] = (),
    revise: bool = False,
    lam: float = 0.2,
    nsigmas: float = 3.0,
    center: float | None = None,
    sigma: float | None = None,
) -> TimeWeightedChart:
    """EWMA chart of the subgroup means with exact time-varying limits.

    Parameters
    ----------
    data : DataFrame
        Long format as for :func:`~orient.operations.quality.charts.control_chart`:
        ``subgroup`` and ``value`` (one row per measurement; individuals when every
        subgroup has one value, or without a ``subgroup`` column).
    trial, exclude, revise
        Phase I subgroups, those left out, and the Shewhart revision of phase I
        (see :func:`~orient.operations.quality.charts.control_chart`).
    lam : float, default 0.2
        Smoothing weight ``lambda`` in (0, 1].
    nsigmas : float, default 3
        Width ``L`` of the limits.
    center, sigma : float, optional
        Target and sigma of one value; by default estimated from phase I.

    Returns
    -------
    TimeWeightedChart

    Examples
    --------
    >>> d = pd.DataFrame({"value": [11.0, 13.0, 12.0]})
    >>> c = ewma_chart(d, lam=0.5, nsigmas=2, center=10, sigma=2)
    >>> [round(v, 4) for v in c.points["ewma"]]
    [10.5, 11.75, 11.875]
    """
    if not 0 < lam <= 1:
        raise ValueError(f"`lam` (lambda) must be in (0, 1]; got {lam!r}.")
    if not nsigmas > 0:
        raise ValueError(f"`nsigmas` must be > 0; got {nsigmas!r}.")
    pts, c0, s0, n_trial, removed = _base(
        data, value, subgroup, trial, exclude, revise, center is not None and sigma is not None
    )
    mu = c0 if center is None else float(center)
    sd = s0 if sigma is None else float(sigma)
    x = pts["statistic"].to_numpy(dtype=float)
    n = pts["n"].to_numpy(dtype=float)
    z = np.empty(len(x))
    prev = mu
    for i, xi in enumerate(x):
        prev = lam * xi + (1 - lam) * prev
        z[i] = prev
    i = np.arange(1, len(x) + 1)
    se = sd / np.sqrt(n) * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * i)))
    pts["ewma"] = z
    pts["center"] = mu
    pts["lcl"] = mu - nsigmas * se
    pts["ucl"] = mu + nsigmas * se
    pts["signal"] = np.where(z > pts["ucl"], "up", np.where(z < pts["lcl"], "down", ""))
    pts["out_of_control"] = pts["signal"] != ""
    return TimeWeightedChart(
        "ewma", mu, sd, n_trial, {"lambda": lam, "nsigmas": nsigmas}, pts, removed
    )


def cusum_chart(
    data: pd.DataFrame,
    *,
    value: str = "value",
    subgroup: str = "subgroup",
    trial: Any = None,
    exclude: Iterable[Any] = (),
    revise: bool = False,
    k: float = 0.5,
    h: float = 5.0,
    head_start: float = 0.0,
    center: float | None = None,
    sigma: float | None = None,
) -> TimeWeightedChart:
    """Tabular (two-sided) CUSUM of the standardised subgroup means.

    Parameters
    ----------
    data, trial, exclude, revise
        As for :func:`ewma_chart`.
    k : float, default 0.5
        Reference value (allowance) in standard errors of the mean: half the shift
        to detect quickly (qcc's ``se.shift / 2``).
    h : float, default 5
        Decision interval in standard errors (qcc's ``decision.interval``).
    head_start : float, default 0
        Starting value of both sums (a fast initial response below ``h``).
    center, sigma : float, optional
        Target and sigma of one value; by default estimated from phase I.

    Returns
    -------
    TimeWeightedChart
        ``points`` has ``cusum_upper`` (C+) and ``cusum_lower`` (C-, positive), in
        standard errors, and ``run_upper`` / ``run_lower``: the number of subgroups
        since the sum was last zero, which dates the start of a shift.

    Examples
    --------
    >>> d = pd.DataFrame({"value": [1.5, 0.5, 0.6, -1.5, -0.5, -0.8]})
    >>> c = cusum_chart(d, k=0.5, h=1, center=0, sigma=1)
    >>> [round(v, 2) for v in c.points["cusum_upper"]]
    [1.0, 1.0, 1.1, 0.0, 0.0, 0.0]
    """
    if not h > 0:
        raise ValueError(f"`h` (decision interval) must be > 0; got {h!r}.")
    if not k >= 0:
        raise ValueError(f"`k` (reference value) must be >= 0; got {k!r}.")
    if not 0 <= head_start < h:
        raise ValueError(f"`head_start` must be in [0, h); got {head_start!r}.")
    pts, c0, s0, n_trial, removed = _base(
        data, value, subgroup, trial, exclude, revise, center is not None and sigma is not None
    )
    mu = c0 if center is None else float(center)
    sd = s0 if sigma is None else float(sigma)
    x = pts["statistic"].to_numpy(dtype=float)
    y = (x - mu) / (sd / np.sqrt(pts["n"].to_numpy(dtype=float)))
    up, lo = np.empty(len(y)), np.empty(len(y))
    run_up, run_lo = np.zeros(len(y), dtype=int), np.zeros(len(y), dtype=int)
    cu = cl = head_start
    ru = rl = 0
    for i, yi in enumerate(y):
        cu, cl = max(0.0, cu + yi - k), max(0.0, cl - yi - k)
        ru = ru + 1 if cu > 0 else 0
        rl = rl + 1 if cl > 0 else 0
        up[i], lo[i], run_up[i], run_lo[i] = cu, cl, ru, rl
    pts["center"] = mu
    pts["cusum_upper"] = up
    pts["cusum_lower"] = lo
    pts["run_upper"] = run_up
    pts["run_lower"] = run_lo
    pts["h"] = h
    pts["signal"] = np.where(up > h, "up", np.where(lo > h, "down", ""))
    pts["out_of_control"] = pts["signal"] != ""
    params = {"k": k, "h": h, "head_start": head_start}
    return TimeWeightedChart("cusum", mu, sd, n_trial, params, pts, removed)


def shift_estimate(chart: TimeWeightedChart) -> dict | None:
    """Montgomery's estimate of the shifted mean at a CUSUM's first signal.

    ``centre + sigma_mean (k + C+ / N+)`` (or minus, for a downward signal), with N+
    the subgroups since the sum left zero; the shift began after subgroup
    ``first - N``.

    Returns
    -------
    dict or None
        ``subgroup`` (first signal), ``direction``, ``new_mean``, ``start_after``
        (the subgroup after which the shift began); None without a signal.
    """
    if chart.chart != "cusum":
        raise ValueError("shift_estimate needs a CUSUM chart.")
    pts = chart.points.reset_index(drop=True)
    out = pts.index[pts["out_of_control"]]
    if not len(out):
        return None
    i = int(out[0])
    r = pts.loc[i]
    up = r["signal"] == "up"
    c, runs = (r["cusum_upper"], r["run_upper"]) if up else (r["cusum_lower"], r["run_lower"])
    se = chart.sigma / np.sqrt(r["n"])
    k = chart.parameters["k"]
    new = chart.center + (1 if up else -1) * se * (k + c / runs)
    start = i - int(runs)
    return {
        "subgroup": r["subgroup"],
        "direction": "up" if up else "down",
        "new_mean": float(new),
        "start_after": pts.loc[start, "subgroup"] if start >= 0 else None,
    }


def _label(v: Any) -> str:
    """A subgroup label as text: ``31`` for a whole number read as ``31.0``."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def summarise(chart: TimeWeightedChart) -> dict:
    """One row of the time-weighted charts' summary: centre, sigma, parameters, signals.

    ``n_points``, ``n_signals`` (points beyond the limits or decision interval),
    ``first_signal``, ``direction`` of that signal, and for a CUSUM the shift estimate
    (``new_mean``, ``start_after``) of :func:`shift_estimate`.
    """
    pts = chart.points
    out = pts[pts["out_of_control"]]
    row = {
        "chart": chart.chart,
        "center": chart.center,
        "sigma": chart.sigma,
        **{f"param_{k}": v for k, v in chart.parameters.items()},
        "n_points": len(pts),
        "n_phase_two": int((pts["phase"] == "II").sum()),
        "n_signals": len(out),
        "first_signal": _label(out["subgroup"].iloc[0]) if len(out) else None,
        "direction": out["signal"].iloc[0] if len(out) else None,
        "new_mean": None,
        "start_after": None,
    }
    if chart.chart == "cusum":
        s = shift_estimate(chart)
        if s is not None:
            start = s["start_after"]
            row.update(new_mean=s["new_mean"], start_after=None if start is None else _label(start))
    return row
