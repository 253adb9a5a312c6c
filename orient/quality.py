"""Quality control: Shewhart charts, run rules, process capability, acceptance sampling.

Shewhart charts with phase I (trial) limits and phase II application:

* variables: ``xbar_r``, ``xbar_s`` (subgroups of n >= 2) and ``i_mr`` (individuals)
* attributes: ``p`` and ``np`` (defectives), ``c`` and ``u`` (defects)

The control-chart constants are computed here from their definitions, not read
from a table: ``d2(n)`` (mean of the range of n standard normals) and ``d3(n)``
(its standard deviation) by numerical integration, ``c4(n)`` from the gamma
function. Limits follow Montgomery, *Introduction to Statistical Quality Control*,
and agree with R's qcc package (the tests reproduce qcc's published output).

Out-of-control signals follow the Western Electric rules:

1. one point beyond the 3-sigma limits;
2. two of three consecutive points beyond 2 sigma on the same side;
3. four of five consecutive points beyond 1 sigma on the same side;
4. eight consecutive points on the same side of the centre line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import integrate, special, stats

from ._json import number as _f
from ._memo import memoised as _memoised
from ._text import company_language, format_number, sentence
from ._validate import check_choice, check_columns, check_dataframe, check_positive_int

__all__ = [
    "CHARTS",
    "ControlChart",
    "QualityResult",
    "analyse",
    "c4",
    "capability",
    "control_chart",
    "d2",
    "d3",
    "find_sampling_plan",
    "data_needed",
    "headline",
    "key_figures",
    "oc_curve",
    "western_electric",
]

CHARTS = ("xbar_r", "xbar_s", "i_mr", "p", "np", "c", "u")


def data_needed(language: str = "en") -> str:
    """What the optional table enables, said where it is absent.

    Parameters
    ----------
    language : {"en", "ru"}
        The report language (``company.language`` or ``result.language``).

    Returns
    -------
    str
        One sentence naming the file and its columns.
    """
    return sentence("quality.data_needed", language)


#: what the optional table enables, shown where it is absent (English; see
#: :func:`data_needed` for the company's language)
DATA_NEEDED = {"quality": data_needed()}


# --- constants ------------------------------------------------------------------------


@cache
def d2(n: int) -> float:
    """Expected range of ``n`` independent standard normal values.

    ``d2(n) = integral of 1 - Phi(x)^n - (1 - Phi(x))^n over the real line``.
    """
    n = check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"`n` must be >= 2 for a range; got {n}.")

    def f(x):
        return 1 - stats.norm.cdf(x) ** n - stats.norm.sf(x) ** n

    return float(integrate.quad(f, -np.inf, np.inf, epsabs=1e-13, epsrel=1e-12, limit=200)[0])


@cache
def d3(n: int) -> float:
    """Standard deviation of the range of ``n`` independent standard normal values.

    From ``E[R^2] = 2 * integral of r P(R > r) dr`` with
    ``P(R <= r) = n * integral of phi(x) (Phi(x + r) - Phi(x))^(n-1) dx``.
    """
    n = check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"`n` must be >= 2 for a range; got {n}.")

    # P(R <= r) = n * integral of phi(x) (Phi(x + r) - Phi(x))^(n-1) dx, on a fine grid
    # (Simpson's rule; the integrands are smooth and negligible beyond |x| = 9, r = 18)
    x = np.linspace(-9.0, 9.0, 1201)
    r = np.linspace(0.0, 18.0, 1201)
    phi = stats.norm.pdf(x)
    cdf_r = n * integrate.simpson(
        phi * (special.ndtr(x[None, :] + r[:, None]) - special.ndtr(x)[None, :]) ** (n - 1),
        x=x, axis=1)
    second = 2 * integrate.simpson(r * (1 - cdf_r), x=r)
    return float(math.sqrt(second - d2(n) ** 2))


def c4(n: int) -> float:
    """Bias of the sample standard deviation: ``E[s] = c4(n) sigma`` for normal data."""
    n = check_positive_int(n, "n")
    if n < 2:
        raise ValueError(f"`n` must be >= 2; got {n}.")
    return float(math.sqrt(2 / (n - 1)) * math.exp(special.gammaln(n / 2)
                                                   - special.gammaln((n - 1) / 2)))


# --- run rules --------------------------------------------------------------------------


def western_electric(z: Sequence[float], *, rules: Iterable[int] = (1, 2, 3, 4),
                     run_length: int = 8) -> pd.DataFrame:
    """Western Electric run rules on standardised chart statistics.

    Parameters
    ----------
    z : sequence of float
        ``(statistic - centre) / sigma`` for each point, in time order (NaN is skipped
        for rule 1 and breaks runs).
    rules : iterable of int
        Which rules to apply (1-4, see the module docstring).
    run_length : int, default 8
        Points in a row on one side for rule 4 (qcc's default is 7).

    Returns
    -------
    DataFrame
        One row per point: ``rule_1`` ... ``rule_4`` (bool; True on the point that
        completes the pattern, and on every later point while it persists) and
        ``rules`` (the violated rule numbers joined by commas, "" if none).
    """
    z = np.asarray(z, dtype=float)
    rules = set(rules)
    for r in rules:
        check_choice(r, (1, 2, 3, 4), "rules")
    k = len(z)
    out = {f"rule_{r}": np.zeros(k, dtype=bool) for r in (1, 2, 3, 4)}
    finite = np.isfinite(z)
    if 1 in rules:
        out["rule_1"] = finite & (np.abs(z) > 3)

    def window(m: int, need: int, bound: float, key: str) -> None:
        for i in range(k):
            lo = i - m + 1
            if lo < 0:
                continue
            w = z[lo:i + 1]
            if not np.isfinite(w).all():
                continue
            for side in (1, -1):
                if side * z[i] > bound and np.sum(side * w > bound) >= need:
                    out[key][i] = True

    if 2 in rules:
        window(3, 2, 2.0, "rule_2")
    if 3 in rules:
        window(5, 4, 1.0, "rule_3")
    if 4 in rules:
        run, side_prev = 0, 0
        for i in range(k):
            side = int(np.sign(z[i])) if finite[i] else 0
            run = run + 1 if side != 0 and side == side_prev else (1 if side != 0 else 0)
            side_prev = side
            if run >= run_length:
                out["rule_4"][i] = True
    df = pd.DataFrame(out)
    df["rules"] = [",".join(str(r) for r in (1, 2, 3, 4) if df.loc[i, f"rule_{r}"])
                   for i in range(k)]
    return df


# --- control charts -----------------------------------------------------------------------


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
        ``rule_1`` ... ``rule_4``, ``rules`` and ``out_of_control`` (any rule).
    """

    chart: str
    center: float
    sigma: float
    n_trial: int
    points: pd.DataFrame

    @property
    def lcl(self) -> float:
        """Lower limit of the first point (limits are constant for equal subgroup sizes)."""
        return float(self.points["lcl"].iloc[0])

    @property
    def ucl(self) -> float:
        return float(self.points["ucl"].iloc[0])

    def _repr_html_(self) -> str:
        n_out = int(self.points["out_of_control"].sum())
        return (f"<b>{self.chart} chart</b>: centre {self.center:.6g}, limits "
                f"[{self.lcl:.6g}, {self.ucl:.6g}], {n_out} of {len(self.points)} points "
                "out of control")


def _phase_mask(labels: pd.Index, trial: Any, data: pd.DataFrame | None,
                subgroup: str | None) -> np.ndarray:
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


def _finish(chart: str, labels: pd.Index, phase1: np.ndarray, excluded: np.ndarray,
            n: np.ndarray, stat: np.ndarray, center: float, se: np.ndarray, sigma: float,
            nsigmas: float, *, floor: float | None = 0.0, rules=(1, 2, 3, 4),
            run_length: int = 8) -> ControlChart:
    lcl = center - nsigmas * se
    ucl = center + nsigmas * se
    if floor is not None:
        lcl = np.maximum(lcl, floor)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (stat - center) / se * (3 / nsigmas), np.nan)
    we = western_electric(z, rules=rules, run_length=run_length)
    beyond = (stat > ucl) | (stat < lcl)
    pts = pd.DataFrame({
        "subgroup": labels, "phase": np.where(phase1, "I", "II"), "n": n,
        "statistic": stat, "center": center, "lcl": lcl, "ucl": ucl,
        "excluded": excluded, "beyond_limits": beyond,
    })
    pts = pd.concat([pts, we], axis=1)
    pts["rule_1"] = beyond  # exact limits (LCL floored at 0, asymmetric charts)
    pts["rules"] = [",".join(str(r) for r in (1, 2, 3, 4) if pts.loc[i, f"rule_{r}"])
                    for i in range(len(pts))]
    pts["out_of_control"] = pts["rules"] != ""
    return ControlChart(chart, float(center), float(sigma), int((phase1 & ~excluded).sum()), pts)


def _groups(data: pd.DataFrame, value: str, subgroup: str) -> tuple[pd.Index, list[np.ndarray]]:
    g = data.groupby(subgroup, sort=False)[value]
    labels = pd.Index(list(g.groups.keys()))
    return labels, [np.asarray(g.get_group(k), dtype=float) for k in labels]


def control_chart(data: pd.DataFrame, chart: str, *, value: str = "value",
                  subgroup: str = "subgroup", count: str | None = None, size: str | None = None,
                  trial: Any = None, exclude: Iterable[Any] = (), nsigmas: float = 3.0,
                  rules: Iterable[int] = (1, 2, 3, 4), run_length: int = 8
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
        Western Electric rules to flag (see :func:`western_electric`).

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
    rules = tuple(rules)
    kw = {"rules": rules, "run_length": run_length}
    exclude = set(exclude)

    if chart in ("xbar_r", "xbar_s"):
        check_columns(data, [subgroup, value], "data")
        labels, groups = _groups(data, value, subgroup)
        n = np.array([len(g) for g in groups])
        if (n < 2).any():
            raise ValueError(f"`{chart}` needs subgroups of 2 or more; subgroup "
                             f"{labels[int(np.argmax(n < 2))]!r} has {int(n.min())}. "
                             "Use chart='i_mr' for individual values.")
        p1 = _phase_mask(labels, trial, data, subgroup)
        ex = np.asarray(labels.isin(exclude)) & p1
        use = p1 & ~ex
        xbar = np.array([g.mean() for g in groups])
        center = float(np.sum(xbar[use] * n[use]) / n[use].sum()) if len(set(n[use])) > 1 \
            else float(xbar[use].mean())
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
            disp_se = sigma * np.sqrt(1 - c4s ** 2)
            disp_name = "S"
        loc = _finish("xbar", labels, p1, ex, n, xbar, center, sigma / np.sqrt(n), sigma,
                      nsigmas, floor=None, **kw)
        # the dispersion centre varies with n only through d2/c4; use the per-point centre
        disp = _finish(disp_name, labels, p1, ex, n, disp_stat, 0.0, disp_se, sigma, nsigmas,
                       **kw)
        pts = disp.points.copy()
        pts["center"] = disp_center
        pts["lcl"] = np.maximum(disp_center - nsigmas * disp_se, 0)
        pts["ucl"] = disp_center + nsigmas * disp_se
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (disp_stat - disp_center) / disp_se * (3 / nsigmas)
        we = western_electric(z, rules=rules, run_length=run_length)
        pts[we.columns] = we
        pts["beyond_limits"] = (disp_stat > pts["ucl"]) | (disp_stat < pts["lcl"])
        pts["rule_1"] = pts["beyond_limits"]
        pts["rules"] = [",".join(str(r) for r in (1, 2, 3, 4) if pts.loc[i, f"rule_{r}"])
                        for i in range(len(pts))]
        pts["out_of_control"] = pts["rules"] != ""
        disp_center0 = float(disp_center[use].mean())
        return loc, ControlChart(disp_name, disp_center0, sigma, disp.n_trial, pts)

    if chart == "i_mr":
        check_columns(data, [value], "data")
        labels = pd.Index(data[subgroup]) if subgroup in data.columns else pd.RangeIndex(
            1, len(data) + 1)
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
        ind = _finish("I", labels, p1, ex, ones.astype(int), x, center, sigma * ones, sigma,
                      nsigmas, floor=None, **kw)
        mr_chart = _finish("MR", labels, p1, ex, np.full(len(x), 2), mr, mr_bar,
                           sigma * d3(2) * ones, sigma, nsigmas, **kw)
        return ind, mr_chart

    # attribute charts
    if count is None:
        count = "defective" if chart in ("p", "np") else "defects"
        if count not in data.columns:
            count = next((c for c in ("defective", "defects", "count", "x", "D")
                          if c in data.columns), count)
    if size is None:
        size = next((c for c in ("inspected", "size", "n") if c in data.columns), "inspected")
    check_columns(data, [count, size], "data")
    labels = pd.Index(data[subgroup]) if subgroup in data.columns else pd.RangeIndex(
        1, len(data) + 1)
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
            res = _finish("p", labels, p1, ex, n.astype(int), x / n, pbar, sd / np.sqrt(n), sd,
                          nsigmas, **kw)
            res.points["ucl"] = np.minimum(res.points["ucl"], 1.0)
            return (res,)
        if len(set(n)) > 1:
            raise ValueError("An np chart needs equal subgroup sizes; use chart='p'.")
        return (_finish("np", labels, p1, ex, n.astype(int), x, n[0] * pbar,
                        np.sqrt(n * pbar * (1 - pbar)), sd, nsigmas, **kw),)
    if chart == "c":
        cbar = float(x[use].mean())
        return (_finish("c", labels, p1, ex, n.astype(int), x, cbar,
                        np.full(len(x), math.sqrt(cbar)), math.sqrt(cbar), nsigmas, **kw),)
    ubar = float(x[use].sum() / n[use].sum())
    return (_finish("u", labels, p1, ex, n.astype(int), x / n, ubar, np.sqrt(ubar / n),
                    math.sqrt(ubar), nsigmas, **kw),)


# --- process capability -------------------------------------------------------------------


def capability(values: Sequence[float], *, lsl: float | None = None, usl: float | None = None,
               sigma_within: float | None = None, center: float | None = None,
               target: float | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """Process capability (Cp, Cpk, ...) and performance (Pp, Ppk, ...) indices.

    Parameters
    ----------
    values : sequence of float
        The individual measurements.
    lsl, usl : float, optional
        Specification limits (at least one).
    sigma_within : float, optional
        Short-term sigma, e.g. ``ControlChart.sigma`` of an xbar-R chart; by
        default the standard deviation of ``values``.
    center : float, optional
        Process centre; default the mean of ``values``.
    target : float, optional
        Target for Cpm; default the midpoint of the specification.
    confidence : float, default 0.95
        Two-sided confidence level: chi-square limits for Cp, Pp and Cpm
        (Chou, Owen and Borrego 1990; Boyles 1991) and Bissell's (1990) normal
        approximation for the one-sided indices and Cpk, Ppk.

    Returns
    -------
    DataFrame
        Indexed by ``index`` (``cp``, ``cpl``, ``cpu``, ``cpk``, ``cpm``, ``pp``,
        ``ppl``, ``ppu``, ``ppk``, ``ppm`` where defined), columns ``estimate``,
        ``ci_low``, ``ci_high``, ``n``, and for information ``expected_out_ppm``
        (normal-model parts per million outside the specification with the
        sigma of that row: within for C*, overall for P*) and
        ``observed_out_ppm``.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = len(x)
    if n < 2:
        raise ValueError(f"`values` needs at least 2 finite measurements; got {n}.")
    if lsl is None and usl is None:
        raise ValueError("Give at least one of `lsl` and `usl`.")
    if lsl is not None and usl is not None and not lsl < usl:
        raise ValueError(f"`lsl` must be below `usl`; got {lsl!r} and {usl!r}.")
    mu = float(np.mean(x)) if center is None else float(center)
    overall = float(np.std(x, ddof=1))
    within = overall if sigma_within is None else float(sigma_within)
    if target is None and lsl is not None and usl is not None:
        target = (lsl + usl) / 2
    alpha = 1 - confidence
    z2 = stats.norm.ppf(1 - alpha / 2)
    obs_out = (np.sum(x < lsl) if lsl is not None else 0) + (np.sum(x > usl) if usl is not None
                                                             else 0)
    rows = []
    for prefix, s in (("c", within), ("p", overall)):
        exp_out = ((stats.norm.cdf((lsl - mu) / s) if lsl is not None else 0)
                   + (stats.norm.sf((usl - mu) / s) if usl is not None else 0)) * 1e6
        both = lsl is not None and usl is not None
        idx = {}
        if both:
            idx[f"{prefix}p"] = (usl - lsl) / (6 * s)
        if lsl is not None:
            idx[f"{prefix}pl"] = (mu - lsl) / (3 * s)
        if usl is not None:
            idx[f"{prefix}pu"] = (usl - mu) / (3 * s)
        idx[f"{prefix}pk"] = min(v for k, v in idx.items() if k.endswith(("pl", "pu")))
        if both and target is not None:
            dev = (mu - target) / s
            idx[f"{prefix}pm"] = idx[f"{prefix}p"] / math.sqrt(1 + dev ** 2)
        for k, v in idx.items():
            if k.endswith("p"):  # chi-square limits with n - 1 degrees of freedom
                lo = v * math.sqrt(stats.chi2.ppf(alpha / 2, n - 1) / (n - 1))
                hi = v * math.sqrt(stats.chi2.ppf(1 - alpha / 2, n - 1) / (n - 1))
            elif k.endswith("pm"):
                dev = (mu - target) / s
                df = n * (1 + dev ** 2) / (1 + 2 * dev ** 2)
                lo = v * math.sqrt(stats.chi2.ppf(alpha / 2, df) / df)
                hi = v * math.sqrt(stats.chi2.ppf(1 - alpha / 2, df) / df)
            else:  # Bissell (1990)
                se = math.sqrt(1 / (9 * n) + v ** 2 / (2 * (n - 1)))
                lo, hi = v - z2 * se, v + z2 * se
            rows.append({"index": k, "estimate": v, "ci_low": lo, "ci_high": hi, "n": n,
                         "expected_out_ppm": exp_out, "observed_out_ppm": obs_out / n * 1e6})
    return pd.DataFrame(rows).set_index("index")


# --- acceptance sampling ----------------------------------------------------------------------


def _pa(p: np.ndarray, n: int, c: int, lot_size: int | None) -> np.ndarray:
    if lot_size is None:
        return stats.binom.cdf(c, n, p)
    defective = np.round(np.asarray(p) * lot_size).astype(int)
    return stats.hypergeom.cdf(c, lot_size, defective, n)


def oc_curve(n: int, c: int, *, p: Sequence[float] | None = None,
             lot_size: int | None = None) -> pd.DataFrame:
    """Operating characteristic of a single sampling plan (sample ``n``, accept if <= ``c``).

    Parameters
    ----------
    n, c : int
        Sample size and acceptance number.
    p : sequence of float, optional
        Lot fractions defective to evaluate; default 0 to 0.2 by 0.005.
    lot_size : int, optional
        Finite lot size: hypergeometric probabilities (type A OC curve) and AOQ/ATI
        with rectifying inspection; default an infinite lot (binomial, type B).

    Returns
    -------
    DataFrame
        Columns ``p`` (fraction defective), ``pa`` (probability of accepting the
        lot), ``aoq`` (average outgoing quality with rectifying inspection: ``pa p``,
        times ``(N - n)/N`` for a finite lot) and ``ati`` (average total inspection
        per lot, NaN for an infinite lot).
    """
    n = check_positive_int(n, "n")
    c = check_positive_int(c, "c", allow_zero=True)
    if c >= n:
        raise ValueError(f"`c` must be below `n`; got c={c}, n={n}.")
    p = np.arange(0, 0.2001, 0.005) if p is None else np.asarray(p, dtype=float)
    if ((p < 0) | (p > 1)).any():
        raise ValueError("`p` must lie in [0, 1].")
    if lot_size is not None:
        lot_size = check_positive_int(lot_size, "lot_size")
        if lot_size < n:
            raise ValueError(f"`lot_size` must be >= n; got {lot_size} < {n}.")
    pa = _pa(p, n, c, lot_size)
    frac = 1.0 if lot_size is None else (lot_size - n) / lot_size
    ati = np.full(len(p), np.nan) if lot_size is None else n + (1 - pa) * (lot_size - n)
    return pd.DataFrame({"p": p, "pa": pa, "aoq": pa * p * frac, "ati": ati})


def find_sampling_plan(aql: float, ltpd: float, *, alpha: float = 0.05, beta: float = 0.10,
                       lot_size: int | None = None, max_n: int = 5000) -> dict:
    """Smallest single sampling plan meeting producer's and consumer's risks.

    Finds the plan ``(n, c)`` with the smallest ``n`` such that
    ``Pa(AQL) >= 1 - alpha`` and ``Pa(LTPD) <= beta``.

    Returns
    -------
    dict
        ``n``, ``c``, ``pa_aql`` and ``pa_ltpd`` (achieved acceptance probabilities).
    """
    if not 0 < aql < ltpd < 1:
        raise ValueError(f"Need 0 < aql < ltpd < 1; got aql={aql!r}, ltpd={ltpd!r}.")
    for n in range(1, max_n + 1):
        # the largest c with Pa(LTPD) <= beta is best for the producer
        cs = np.arange(0, n)
        pa_l = _pa(np.full(len(cs), ltpd), n, cs, lot_size) if lot_size is None else \
            np.array([_pa(np.array([ltpd]), n, int(k), lot_size)[0] for k in cs])
        ok = np.flatnonzero(pa_l <= beta)
        if not len(ok):
            continue
        c = int(ok.max())
        pa_a = float(_pa(np.array([aql]), n, c, lot_size)[0])
        if pa_a >= 1 - alpha:
            return {"n": n, "c": c, "pa_aql": pa_a, "pa_ltpd": float(pa_l[c])}
    raise ValueError(f"No plan with n <= {max_n} meets the risks; raise `max_n`.")


# --- the stage entry point -----------------------------------------------------------------


@dataclass(frozen=True)
class QualityResult:
    """Quality-control results of one company (fields None when the table is absent).

    Attributes
    ----------
    summary : DataFrame or None
        One row per chart: ``characteristic``, ``label`` (from company.yaml, else the
        characteristic), ``chart``, ``center``, ``lcl``, ``ucl``,
        ``sigma``, ``n_points``, ``n_out`` (out-of-control points), ``share_out``,
        ``n_beyond`` (beyond the limits), ``first_out`` (first subgroup flagged).
    points : DataFrame or None
        Every charted point (columns of :class:`ControlChart` points plus
        ``characteristic`` and ``chart``).
    capability : DataFrame or None
        ``characteristic``, ``label``, ``index``, ``estimate``, ``ci_low``, ``ci_high``, ``n``,
        ``expected_out_ppm``, ``observed_out_ppm`` for characteristics with
        specification limits.
    sampling_plan : dict or None
        The single sampling plan for company.yaml's ``aql`` and ``ltpd``
        (:func:`find_sampling_plan`), with ``aql`` and ``ltpd``.
    oc : DataFrame or None
        That plan's OC curve (:func:`oc_curve`).
    language : str
        The language of the headline's ``risk`` sentence (``company.language``).
    """

    summary: pd.DataFrame | None
    points: pd.DataFrame | None
    capability: pd.DataFrame | None
    sampling_plan: dict | None = None
    oc: pd.DataFrame | None = None
    language: str = "en"


def _quality_profile(company: Any) -> tuple[dict[str, dict], int | None, float | None,
                                            float | None]:
    """Specification limits per characteristic, trial subgroups, AQL and LTPD from the profile."""
    profile = getattr(company, "profile", None)
    block = getattr(profile, "quality", None)
    if block is None and isinstance(profile, dict):
        block = profile.get("quality")
    if block is None:
        return {}, None, None, None
    if hasattr(block, "model_dump"):
        block = block.model_dump()
    chars = block.get("characteristics", {}) or {}
    specs = {str(k): (v.model_dump() if hasattr(v, "model_dump") else dict(v))
             for k, v in chars.items() if v is not None}
    return specs, block.get("trial_subgroups"), block.get("aql"), block.get("ltpd")


def _trial_arg(d: pd.DataFrame, trial_subgroups: int | None) -> str | None:
    if "trial" in d.columns:
        return "trial"
    if "phase" in d.columns:
        d["_trial"] = d["phase"].astype(str).str.strip().str.upper().isin(["I", "1", "TRIAL"])
        return "_trial"
    if trial_subgroups:
        first = list(dict.fromkeys(d["subgroup"]))[:trial_subgroups]
        d["_trial"] = d["subgroup"].isin(first)
        return "_trial"
    return None


@_memoised
def analyse(company: Any, *, nsigmas: float = 3.0) -> QualityResult:
    """Control charts, run rules and capability for one company's quality table.

    Measurements (``subgroup``, ``characteristic``, ``value``): one chart pair per
    characteristic, I-MR for subgroups of one, xbar-R up to 10, xbar-S above.
    Counts (``subgroup``, ``inspected``, ``defective``): a p chart. An optional
    ``trial`` (bool) or ``phase`` ("I"/"II") column marks the phase I subgroups.
    Without such a column, company.yaml's ``quality.trial_subgroups`` makes the
    first subgroups phase I. Specification limits (``lsl``, ``usl``, ``target`` per
    characteristic under ``quality.characteristics``) add capability indices, and
    ``quality.aql`` with ``quality.ltpd`` a single sampling plan and its OC curve.

    Returns
    -------
    QualityResult
    """
    q = getattr(company, "quality", None)
    specs, trial_subgroups, aql, ltpd = _quality_profile(company)
    plan = oc = None
    if aql is not None and ltpd is not None and aql < ltpd:
        plan = {**find_sampling_plan(aql, ltpd), "aql": aql, "ltpd": ltpd}
        oc = oc_curve(plan["n"], plan["c"], p=np.linspace(0, min(1.0, 2.5 * ltpd), 101))
    if q is None or not len(q):
        return QualityResult(None, None, None, plan, oc, company_language(company))
    d = q.copy()
    trial = _trial_arg(d, trial_subgroups)
    charts: list[tuple[str, ControlChart]] = []
    caps = []
    if {"value", "subgroup"}.issubset(d.columns) and d["value"].notna().any():
        m = d[d["value"].notna()]
        if "characteristic" not in m.columns:
            m = m.assign(characteristic="value")
        for ch, g in m.groupby("characteristic", sort=True):
            size = g.groupby("subgroup").size()
            kind = "i_mr" if size.max() == 1 else ("xbar_r" if size.max() <= 10 else "xbar_s")
            pair = control_chart(g, kind, trial=trial, nsigmas=nsigmas)
            charts += [(str(ch), c) for c in pair]
            spec = specs.get(str(ch))
            if spec and (spec.get("lsl") is not None or spec.get("usl") is not None):
                cap = capability(g["value"], lsl=spec.get("lsl"), usl=spec.get("usl"),
                                 sigma_within=pair[0].sigma, target=spec.get("target"))
                caps.append(cap.reset_index().assign(characteristic=str(ch),
                                                     label=spec.get("label") or str(ch)))
    if {"inspected", "defective"}.issubset(d.columns) and d["defective"].notna().any():
        a = d[d["defective"].notna()].drop_duplicates("subgroup")
        (p,) = control_chart(a, "p", count="defective", size="inspected", trial=trial,
                             nsigmas=nsigmas)
        charts.append(("defective share", p))
    if not charts:
        return QualityResult(None, None, None, plan, oc, company_language(company))
    rows, pts = [], []
    for ch, c in charts:
        pt = c.points
        out = pt[pt["out_of_control"]]
        label = specs.get(ch, {}).get("label") or ch
        rows.append({"characteristic": ch, "label": label, "chart": c.chart, "center": c.center,
                     "lcl": c.lcl,
                     "ucl": c.ucl, "sigma": c.sigma, "n_points": len(pt),
                     "n_out": len(out), "share_out": len(out) / len(pt),
                     "n_beyond": int(pt["beyond_limits"].sum()),
                     "first_out": out["subgroup"].iloc[0] if len(out) else None})
        pts.append(pt.assign(characteristic=ch, chart=c.chart))
    cap = None
    if caps:
        cap = pd.concat(caps, ignore_index=True)
        cap = cap[["characteristic", "label",
                   *[c for c in cap.columns if c not in ("characteristic", "label")]]]
    return QualityResult(pd.DataFrame(rows), pd.concat(pts, ignore_index=True), cap, plan, oc,
                         company_language(company))



def headline(result: QualityResult) -> dict:
    """Headline quality numbers, JSON-safe.

    Returns
    -------
    dict
        ``charts`` (number drawn), ``charts_out_of_control`` (with any flagged
        point), ``points_out_of_control``, ``defective_share`` (p chart centre),
        ``worst_chart`` and ``worst_share_out``, ``min_cpk`` and its
        ``min_cpk_characteristic``, and ``risk`` / ``risk_value`` / ``risk_unit``:
        the biggest operational risk in words with its number, and
        ``risk_severity`` (a rough score for ranking risks across modules with
        :func:`orient.service.operational_risk`). None where the
        data is absent.
    """
    h: dict[str, Any] = dict.fromkeys(
        ("charts", "charts_out_of_control", "points_out_of_control", "defective_share",
         "worst_chart", "worst_share_out", "min_cpk", "min_cpk_characteristic",
         "risk", "risk_value", "risk_unit", "risk_severity"))
    s = result.summary
    if s is None:
        return h
    h["charts"] = len(s)
    h["charts_out_of_control"] = int((s["n_out"] > 0).sum())
    h["points_out_of_control"] = int(s["n_out"].sum())
    p = s[s["chart"] == "p"]
    if len(p):
        h["defective_share"] = _f(p["center"].iloc[0])
    w = s.sort_values(["share_out", "n_out"], ascending=False).iloc[0]
    h["worst_chart"] = f"{w['label']} ({w['chart']})"
    h["worst_share_out"] = _f(w["share_out"])
    risks = []
    if w["n_out"] > 0:
        risks.append((w["share_out"] * 2, sentence(
            "quality.risk_out_of_control", result.language, n_out=int(w["n_out"]),
            n_points=int(w["n_points"]), label=w["label"], chart=w["chart"]),
            int(w["n_out"]), "subgroups"))
    cap = result.capability
    if cap is not None:
        cpk = cap[cap["index"] == "cpk"].sort_values("estimate")
        if len(cpk):
            row = cpk.iloc[0]
            h["min_cpk"] = _f(row["estimate"])
            h["min_cpk_characteristic"] = str(row["label"])
            if row["estimate"] < 1.33:
                ppm = row["expected_out_ppm"]
                risks.append((1.33 - row["estimate"] + 0.5,
                              sentence("quality.risk_not_capable", result.language,
                                       label=row["label"], cpk=row["estimate"], ppm=ppm),
                              _f(row["estimate"]), "Cpk"))
    if risks:
        severity, text, value, unit = max(risks, key=lambda r: r[0])
        h.update(risk=text, risk_value=_f(value), risk_unit=unit, risk_severity=_f(severity))
    return h


def key_figures(result: QualityResult) -> pd.DataFrame:
    """The headline quality numbers as a small table for people.

    Returns
    -------
    DataFrame
        Indexed by ``measure`` (label in ``result.language``), one column ``value``
        (text, numbers in that language's format).
    """
    h = headline(result)
    language = result.language

    def label(key: str, **values: Any) -> str:
        return sentence(f"quality.figures.{key}", language, **values)

    rows = []
    if h["charts"] is not None:
        rows += [(label(k), format_number(h[k], language, 0))
                 for k in ("charts", "charts_out_of_control", "points_out_of_control")]
    if h["defective_share"] is not None:
        rows.append((label("defective_share"),
                     format_number(h["defective_share"] * 100, language, 2) + "%"))
    if h["min_cpk"] is not None:
        rows.append((label("min_cpk", label=h["min_cpk_characteristic"]),
                     format_number(h["min_cpk"], language, 2)))
    if result.sampling_plan is not None:
        p = result.sampling_plan
        rows.append((label("sampling_plan"), label("sampling_plan_value", n=p["n"], c=p["c"])))
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")
