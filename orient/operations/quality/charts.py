"""Shewhart control charts with phase I (trial) limits and phase II application.

* variables: ``xbar_r``, ``xbar_s`` (subgroups of n >= 2) and ``i_mr`` (individuals)
* attributes: ``p`` and ``np`` (defectives), ``c`` and ``u`` (defects)

The constants come from :mod:`.constants` (computed from their definitions).
Limits follow Montgomery, *Introduction to Statistical Quality Control*, and agree
with R's qcc package (the tests reproduce qcc's published output). Points are
flagged by the Western Electric rules of :mod:`.rules`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_choice, check_columns, check_dataframe
from orient.operations.quality.constants import c4, d2, d3
from orient.operations.quality.rules import RULE_SETS, run_rules

__all__ = ["CHARTS", "ControlChart", "control_chart"]

CHARTS = ("xbar_r", "xbar_s", "i_mr", "p", "np", "c", "u")


@dataclass(frozen=True)
class ControlChart:
    """One Shewhart chart: limits from phase I, applied to every point.

    Attributes
    ----------
    chart : str
        ``"xbar"``, ``"R"``, ``"S"``, ``"I"``, ``"MR"``, ``"p"``, ``"np"``, ``"c"`` or ``"u"``.
    center : float
        Centre line (phase I).
    sigma : float
        Process standard deviation used for the limits (for variables charts,
        the within-subgroup sigma; for attribute charts the per-unit sigma at the
        centre, ``sqrt(p(1-p))`` or ``sqrt(u)``).
    n_trial : int
        Subgroups used to compute the limits.
    points : DataFrame
        One row per subgroup in order: ``subgroup``, ``phase`` ("I" or "II"),
        ``n`` (subgroup size), ``statistic``, ``center``, ``lcl``, ``ucl``,
        ``excluded`` (left out of the limit computation), ``beyond_limits``,
        ``rule_1`` ... ``rule_4`` (``rule_8`` with Nelson's rules), ``rules`` and
        ``out_of_control`` (any rule).
    removed : tuple
        Phase I subgroups the revision (``revise=True``) left out of the limits,
        in the order they were removed; empty without revision.
    """

    chart: str
    center: float
    sigma: float
    n_trial: int
    points: pd.DataFrame
    removed: tuple = ()

    @property
    def lcl(self) -> float:
        """Lower limit of the first point (limits are constant for equal subgroup sizes)."""
        return float(self.points["lcl"].iloc[0])

    @property
    def ucl(self) -> float:
        return float(self.points["ucl"].iloc[0])

    def _repr_html_(self) -> str:
        n_out = int(self.points["out_of_control"].sum())
        return (
            f"<b>{self.chart} chart</b>: centre {self.center:.6g}, limits "
            f"[{self.lcl:.6g}, {self.ucl:.6g}], {n_out} of {len(self.points)} points "
            "out of control"
        )


def _phase_mask(
    labels: pd.Index, trial: Any, data: pd.DataFrame | None, subgroup: str | None
) -> np.ndarray:
    """Boolean per subgroup: True for phase I."""
    if trial is None:
        return np.ones(len(labels), dtype=bool)
    if isinstance(trial, str):
        if data is None or trial not in data.columns:
            raise ValueError(f"Could not find column {trial!r} for `trial`.")
        per = data.groupby(subgroup, sort=False)[trial].first().reindex(labels)
        # a subgroup without trial information counts as phase I
        mask = np.array([True if pd.isna(v) else bool(v) for v in per], dtype=bool)
    else:
        trial = list(trial)
        if len(trial) == len(labels) and all(isinstance(t, (bool, np.bool_)) for t in trial):
            mask = np.asarray(trial, dtype=bool)
        else:
            mask = np.asarray(labels.isin(trial))
    if not mask.any():
        raise ValueError("`trial` selects no subgroup: phase I needs at least one.")
    return mask


def _finish(
    chart: str,
    labels: pd.Index,
    phase1: np.ndarray,
    excluded: np.ndarray,
    n: np.ndarray,
    stat: np.ndarray,
    center: float,
    se: np.ndarray,
    sigma: float,
    nsigmas: float,
    *,
    floor: float | None = 0.0,
    rules=None,
    run_length: int = 8,
    rule_set: str = "western_electric",
) -> ControlChart:
    lcl = center - nsigmas * se
    ucl = center + nsigmas * se
    if floor is not None:
        lcl = np.maximum(lcl, floor)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (stat - center) / se * (3 / nsigmas), np.nan)
    we = run_rules(z, rule_set, rules=rules, run_length=run_length)
    beyond = (stat > ucl) | (stat < lcl)
    pts = pd.DataFrame(
        {
            "subgroup": labels,
            "phase": np.where(phase1, "I", "II"),
            "n": n,
            "statistic": stat,
            "center": center,
            "lcl": lcl,
            "ucl": ucl,
            "excluded": excluded,
            "beyond_limits": beyond,
        }
    )
    pts = pd.concat([pts, we], axis=1)
    pts["rule_1"] = beyond  # exact limits (LCL floored at 0, asymmetric charts)
    pts["rules"] = _rule_text(pts, rule_set)
    pts["out_of_control"] = pts["rules"] != ""
    return ControlChart(chart, float(center), float(sigma), int((phase1 & ~excluded).sum()), pts)


def _revised(data: pd.DataFrame, chart: str, exclude: set, **kw: Any) -> tuple[ControlChart, ...]:
    """Phase I limits recomputed without the phase I subgroups beyond them, until none is."""
    removed: list = []
    while True:
        res = control_chart(data, chart, exclude=exclude | set(removed), **kw)
        pts = res[0].points
        keep = (pts["phase"] == "I") & ~pts["excluded"]
        beyond = np.zeros(len(pts), dtype=bool)
        for c in res:
            beyond |= c.points["beyond_limits"].to_numpy(dtype=bool)
        new = list(pts.loc[keep.to_numpy() & beyond, "subgroup"])
        if not new or int(keep.sum()) - len(new) < 2:
            break
        removed += new
    return tuple(replace(c, removed=tuple(removed)) for c in res)


def _rule_text(pts: pd.DataFrame, rule_set: str) -> list[str]:
    numbers = RULE_SETS[rule_set]
    return [",".join(str(r) for r in numbers if pts[f"rule_{r}"].iloc[i]) for i in range(len(pts))]


def _groups(data: pd.DataFrame, value: str, subgroup: str) -> tuple[pd.Index, list[np.ndarray]]:
    g = data.groupby(subgroup, sort=False)[value]
    labels = pd.Index(list(g.groups.keys()))
    return labels, [np.asarray(g.get_group(k), dtype=float) for k in labels]


def control_chart(
    data: pd.DataFrame,
    chart: str,
    *,
    value: str = "value",
    subgroup: str = "subgroup",
    count: str | None = None,
    size: str | None = None,
    trial: Any = None,
    exclude: Iterable[Any] = (),
    nsigmas: float = 3.0,
    rules: Iterable[int] | None = None,
    run_length: int = 8,
    rule_set: str = "western_electric",
    revise: bool = False,
) -> tuple[ControlChart, ...]:
    """Shewhart control chart(s) with phase I limits applied to phase II points.

    Parameters
    ----------
    data : DataFrame
        Variables charts (``xbar_r``, ``xbar_s``, ``i_mr``): long format, one row per
        measurement, with ``subgroup`` and ``value`` columns (for ``i_mr`` one row
        per subgroup; ``subgroup`` may be absent, then row order is used).
        Attribute charts: one row per subgroup with ``count`` (defectives for
        ``p``/``np``, defects for ``c``/``u``; default column ``defective`` or
        ``defects``) and ``size`` (units inspected; default ``inspected``).
    chart : str
        One of ``"xbar_r"``, ``"xbar_s"``, ``"i_mr"``, ``"p"``, ``"np"``, ``"c"``, ``"u"``.
    trial : str or sequence, optional
        Which subgroups are phase I (used for the limits): a column of booleans,
        a boolean per subgroup, or the subgroup labels. Default: all.
    exclude : iterable
        Phase I subgroups to leave out of the limits (assignable causes found),
        as in Montgomery's revised trial limits. They stay on the chart.
    nsigmas : float, default 3
        Width of the limits in standard errors.
    rules, run_length
        The rules of ``rule_set`` to flag (default all of them) and Western Electric's
        run length (see :func:`~orient.operations.quality.rules.western_electric`).
    rule_set : {"western_electric", "nelson"}
        Western Electric's four rules or Nelson's eight
        (:func:`~orient.operations.quality.rules.nelson`).
    revise : bool, default False
        Phase I revision: leave out the phase I subgroups beyond the limits (on either
        chart of a pair), recompute the limits, and repeat until none is beyond them.
        The subgroups so removed are ``excluded`` on the chart and listed in
        ``ControlChart.removed``.

    Returns
    -------
    tuple of ControlChart
        ``(xbar, R)``, ``(xbar, S)``, ``(I, MR)``, or a single attribute chart.

    Examples
    --------
    >>> d = pd.DataFrame({"subgroup": [1, 2, 3, 4], "defective": [3, 5, 2, 6],
    ...                   "inspected": [50] * 4})
    >>> (p,) = control_chart(d, "p")
    >>> round(p.center, 3), round(p.ucl, 4)
    (0.08, 0.1951)
    """
    data = check_dataframe(data, "data")
    check_choice(chart, CHARTS, "chart")
    check_choice(rule_set, tuple(RULE_SETS), "rule_set")
    rules = None if rules is None else tuple(rules)
    kw = {"rules": rules, "run_length": run_length, "rule_set": rule_set}
    exclude = set(exclude)
    if revise:
        return _revised(
            data,
            chart,
            exclude,
            value=value,
            subgroup=subgroup,
            count=count,
            size=size,
            trial=trial,
            nsigmas=nsigmas,
            **kw,
        )

    if chart in ("xbar_r", "xbar_s"):
        check_columns(data, [subgroup, value], "data")
        labels, groups = _groups(data, value, subgroup)
        n = np.array([len(g) for g in groups])
        if (n < 2).any():
            raise ValueError(
                f"`{chart}` needs subgroups of 2 or more; subgroup "
                f"{labels[int(np.argmax(n < 2))]!r} has {int(n.min())}. "
                "Use chart='i_mr' for individual values."
            )
        p1 = _phase_mask(labels, trial, data, subgroup)
        ex = np.asarray(labels.isin(exclude)) & p1
        use = p1 & ~ex
        xbar = np.array([g.mean() for g in groups])
        center = (
            float(np.sum(xbar[use] * n[use]) / n[use].sum())
            if len(set(n[use])) > 1
            else float(xbar[use].mean())
        )
        if chart == "xbar_r":
            rng = np.array([np.ptp(g) for g in groups])
            d2s = np.array([d2(int(k)) for k in n])
            d3s = np.array([d3(int(k)) for k in n])
            # unweighted average of R_i / d2(n_i) (qcc's "UWAVE-R")
            sigma = float(np.mean(rng[use] / d2s[use]))
            disp_stat, disp_center = rng, sigma * d2s
            disp_se = sigma * d3s
            disp_name = "R"
        else:
            sd = np.array([g.std(ddof=1) for g in groups])
            c4s = np.array([c4(int(k)) for k in n])
            sigma = float(np.mean(sd[use] / c4s[use]))  # qcc's "UWAVE-SD"
            disp_stat, disp_center = sd, sigma * c4s
            disp_se = sigma * np.sqrt(1 - c4s**2)
            disp_name = "S"
        loc = _finish(
            "xbar",
            labels,
            p1,
            ex,
            n,
            xbar,
            center,
            sigma / np.sqrt(n),
            sigma,
            nsigmas,
            floor=None,
            **kw,
        )
        # the dispersion centre varies with n only through d2/c4; use the per-point centre
        disp = _finish(disp_name, labels, p1, ex, n, disp_stat, 0.0, disp_se, sigma, nsigmas, **kw)
        pts = disp.points.copy()
        pts["center"] = disp_center
        pts["lcl"] = np.maximum(disp_center - nsigmas * disp_se, 0)
        pts["ucl"] = disp_center + nsigmas * disp_se
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (disp_stat - disp_center) / disp_se * (3 / nsigmas)
        we = run_rules(z, rule_set, rules=rules, run_length=run_length)
        pts[we.columns] = we
        pts["beyond_limits"] = (disp_stat > pts["ucl"]) | (disp_stat < pts["lcl"])
        pts["rule_1"] = pts["beyond_limits"]
        pts["rules"] = _rule_text(pts, rule_set)
        pts["out_of_control"] = pts["rules"] != ""
        disp_center0 = float(disp_center[use].mean())
        return loc, ControlChart(disp_name, disp_center0, sigma, disp.n_trial, pts)

    if chart == "i_mr":
        check_columns(data, [value], "data")
        labels = (
            pd.Index(data[subgroup])
            if subgroup in data.columns
            else pd.RangeIndex(1, len(data) + 1)
        )
        x = data[value].to_numpy(dtype=float)
        p1 = _phase_mask(labels, trial, data if subgroup in data.columns else None, subgroup)
        ex = np.asarray(labels.isin(exclude)) & p1
        use = p1 & ~ex
        mr = np.r_[np.nan, np.abs(np.diff(x))]
        mr_use = use & np.r_[False, use[:-1]]  # both points of the pair in the trial set
        mr_bar = float(np.nanmean(mr[mr_use]))
        sigma = mr_bar / d2(2)
        center = float(x[use].mean())
        ones = np.ones(len(x))
        ind = _finish(
            "I",
            labels,
            p1,
            ex,
            ones.astype(int),
            x,
            center,
            sigma * ones,
            sigma,
            nsigmas,
            floor=None,
            **kw,
        )
        mr_chart = _finish(
            "MR",
            labels,
            p1,
            ex,
            np.full(len(x), 2),
            mr,
            mr_bar,
            sigma * d3(2) * ones,
            sigma,
            nsigmas,
            **kw,
        )
        return ind, mr_chart

    # attribute charts
    if count is None:
        count = "defective" if chart in ("p", "np") else "defects"
        if count not in data.columns:
            count = next(
                (c for c in ("defective", "defects", "count", "x", "D") if c in data.columns), count
            )
    if size is None:
        size = next((c for c in ("inspected", "size", "n") if c in data.columns), "inspected")
    check_columns(data, [count, size], "data")
    labels = (
        pd.Index(data[subgroup]) if subgroup in data.columns else pd.RangeIndex(1, len(data) + 1)
    )
    x = data[count].to_numpy(dtype=float)
    n = data[size].to_numpy(dtype=float)
    if (n <= 0).any():
        raise ValueError(f"Column {size!r} must be > 0 (units inspected).")
    p1 = _phase_mask(labels, trial, data if subgroup in data.columns else None, subgroup)
    ex = np.asarray(labels.isin(exclude)) & p1
    use = p1 & ~ex
    if chart in ("p", "np"):
        if (x > n).any():
            raise ValueError(f"Column {count!r} exceeds {size!r}: more defectives than units.")
        pbar = float(x[use].sum() / n[use].sum())
        sd = math.sqrt(pbar * (1 - pbar))
        if chart == "p":
            res = _finish(
                "p", labels, p1, ex, n.astype(int), x / n, pbar, sd / np.sqrt(n), sd, nsigmas, **kw
            )
            res.points["ucl"] = np.minimum(res.points["ucl"], 1.0)
            return (res,)
        if len(set(n)) > 1:
            raise ValueError("An np chart needs equal subgroup sizes; use chart='p'.")
        return (
            _finish(
                "np",
                labels,
                p1,
                ex,
                n.astype(int),
                x,
                n[0] * pbar,
                np.sqrt(n * pbar * (1 - pbar)),
                sd,
                nsigmas,
                **kw,
            ),
        )
    if chart == "c":
        cbar = float(x[use].mean())
        return (
            _finish(
                "c",
                labels,
                p1,
                ex,
                n.astype(int),
                x,
                cbar,
                np.full(len(x), math.sqrt(cbar)),
                math.sqrt(cbar),
                nsigmas,
                **kw,
            ),
        )
    ubar = float(x[use].sum() / n[use].sum())
    return (
        _finish(
            "u",
            labels,
            p1,
            ex,
            n.astype(int),
            x / n,
            ubar,
            np.sqrt(ubar / n),
            math.sqrt(ubar),
            nsigmas,
            **kw,
        ),
    )
