"""Key-driver analysis: :func:`driver_importance`.

Exact Shapley/LMG decomposition of R², Johnson's relative weights, standardised
coefficients, correlations and Kruskal's measure, with survey weights, pairwise
deletion, a logistic variant for a yes/no outcome (:mod:`orient.priorities.binary`)
and vectorised bootstrap intervals (:mod:`orient.priorities.bootstrap`). The
correlation-matrix core lives in :mod:`orient.priorities.linear`; :func:`subset_r2`
and ``_corr_batch`` are re-exported here.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from orient._validate import (
    check_choice,
    check_confidence,
    check_dataframe,
    check_positive_int,
    check_seed,
)
from orient.errors import DataError, OrientWarning
from orient.priorities._inputs import _check_drivers, _resolve_weights
from orient.priorities.binary import (
    MAX_EXACT_LOGIT,
    PERMUTATIONS,
    _importance_binary,
    is_separated,
    separating_drivers,
)
from orient.priorities.bootstrap import _bootstrap, logit_boot_plan, percentile_mc_se
from orient.priorities.linear import (
    _corr_batch,
    _importance_linear,
    _pair_counts,
    subset_r2,
)
from orient.priorities.ordinal_shapley import (
    check_ordinal,
    ordinal_boot_plan,
    ordinal_bootstrap,
    ordinal_codes,
    ordinal_estimate,
)

__all__ = [
    "BINARY_METHODS",
    "MAX_EXACT_DRIVERS",
    "MAX_EXACT_DRIVERS_BINARY",
    "METHODS",
    "driver_importance",
    "subset_r2",
]

#: the driver-importance methods
METHODS = ("shapley", "relative_weights", "beta", "correlation", "kruskal")

#: Shapley and Kruskal are exact (every one of the 2**p subset models) up to this many
#: drivers for a continuous outcome: 2**22 R² values from the correlation matrix take
#: about a second and ~0.3 GB. Above it ``driver_importance`` raises ``ValueError``.
MAX_EXACT_DRIVERS = 22

#: ... and up to this many for a binary outcome's logistic model (one fit per subset,
#: when the data are small enough: see ``orient.priorities.binary.EXACT_WORK``); with
#: more, Shapley and Kruskal are estimated from sampled orderings with their Monte
#: Carlo error, never refused.
MAX_EXACT_DRIVERS_BINARY = MAX_EXACT_LOGIT

#: how a binary (0/1) outcome is modelled: ``"logit"`` (logistic regression, McFadden's
#: pseudo-R²) or ``"lpm"`` (the linear probability model, R² of the 0/1 outcome)
BINARY_METHODS = ("logit", "lpm")
#: how an outcome with more than two answers is modelled: ``"linear"`` (least squares,
#: R²) or ``"ordered_logit"`` (cumulative logit, McFadden's pseudo-R²; 3-7 answers)
ORDINAL_METHODS = ("linear", "ordered_logit")


def _shares_ranks(imp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mag = np.abs(imp)
    share = mag / mag.sum(axis=-1, keepdims=True)
    rank = stats.rankdata(-mag, axis=-1, method="min").astype(float)
    return share, rank


def _collinearity_check(rxx: np.ndarray, drivers: list[str]) -> np.ndarray:
    """Return VIFs; raise ``DataError`` naming the drivers when they are perfectly collinear."""
    evals, evecs = np.linalg.eigh(rxx)
    if evals[0] <= 1e-10 * max(1.0, evals[-1]):
        vec = evecs[:, 0]
        involved = [drivers[i] for i in np.flatnonzero(np.abs(vec) > 1e-6)]
        raise DataError(
            "drivers are perfectly collinear (one is a linear combination of the others: "
            + ", ".join(repr(d) for d in involved)
            + ")",
            column=involved[0],
            expected="drop or combine one of them",
        )
    return np.diag(np.linalg.inv(rxx))


def driver_importance(
    data: pd.DataFrame,
    target: str,
    drivers: Sequence[str],
    method: str = "shapley",
    weights: Any = None,
    n_boot: int = 0,
    seed: int | None = None,
    missing: str = "listwise",
    *,
    signed: bool = False,
    correlation: str = "pearson",
    outcome: str = "auto",
    confidence: float = 0.95,
    binary: str = "logit",
    exact: bool | None = None,
    permutations: int = PERMUTATIONS,
    ordinal: str = "linear",
) -> pd.DataFrame:
    """Derived importance of each driver (attribute) for the target (overall satisfaction).

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    target : str
        The outcome column (overall satisfaction; or a 0/1 outcome, see ``outcome``).
    drivers : list of str
        The driver columns (attribute ratings), all numeric.
    method : {"shapley", "relative_weights", "beta", "correlation", "kruskal"}
        ``"shapley"``: the exact Shapley value / LMG decomposition of R² (Lindeman,
        Merenda & Gold 1980; R relaimpo ``lmg``): each driver's increase in R² averaged
        over all p! orders of entry. Every one of the 2**p subset R² values is computed
        from the (weighted) correlation matrix, so the importances sum to the full
        model's R² to machine precision. Exact up to :data:`MAX_EXACT_DRIVERS` drivers;
        with more a ``ValueError`` says so and points to ``"relative_weights"``, which
        is exact at any size and usually within a few thousandths of Shapley. For a
        binary outcome's logistic model see ``exact``: above its limit the values are
        estimated (sampled orderings), never refused.
        ``"relative_weights"``: Johnson's (2000) relative weights; they also sum to R².
        ``"beta"``: standardised regression coefficients.
        ``"correlation"``: the correlation of each driver with the target.
        ``"kruskal"``: Kruskal's (1987) relative importance, the squared partial
        correlation of the driver with the target given the drivers before it,
        averaged over all p! orders (i.e. over all subsets, with the Shapley weights).
    weights : str, array-like or None
        Survey weights: a column of ``data`` or one positive number per row. Every
        method then uses weighted means, variances and correlations (weighted
        likelihood for a binary outcome); results with integer weights equal those on
        data whose rows are replicated that many times.
    n_boot : int
        Number of bootstrap resamples for percentile intervals (0: none). Rows are
        resampled with replacement and keep their survey weights; all resamples are
        computed together (weighted correlation matrices by matrix products, the 2**p
        subset R² values batched), so 1,000 resamples at p = 12 on 10,000 rows take
        a few seconds.
    seed : int or None
        Seed of ``np.random.default_rng`` for the bootstrap; a given seed always gives
        the same intervals.
    missing : {"listwise", "pairwise", "error"}
        ``"listwise"`` uses the respondents with every driver and the target;
        ``"pairwise"`` builds each correlation from the respondents who answered both
        items (continuous outcome only); ``"error"`` raises ``DataError`` naming the
        first missing answer (its column and row, counting the header as row 1).
    signed : bool
        If True, give each importance the sign of the driver's full-model coefficient
        (for ``"correlation"``, of the correlation), as Displayr does; ``share`` and
        ``rank`` use magnitudes.
    correlation : {"pearson", "spearman"}
        ``"spearman"`` replaces every variable by its ranks (average ranks for ties)
        before the analysis: for ``"correlation"`` this gives Spearman's rho.
    outcome : {"auto", "continuous", "binary"}
        ``"binary"`` fits logistic regressions and decomposes McFadden's pseudo-R²
        (1 - log L(model) / log L(intercept only), weighted log-likelihoods):
        ``"shapley"`` and ``"kruskal"`` use McFadden's R² of every subset model (for
        Kruskal, the McFadden-partial (R²(S+j) - R²(S)) / (1 - R²(S))),
        ``"relative_weights"`` are Tonidandel & LeBreton's (2010) logistic relative
        weights rescaled to sum to the full model's McFadden R² (shares unchanged),
        ``"beta"`` is the logistic coefficient per standard deviation of the driver
        and ``"correlation"`` the point-biserial correlation. ``"auto"`` chooses
        binary when the target takes exactly the values 0 and 1.
    confidence : float
        Level of the bootstrap intervals.
    binary : {"logit", "lpm"}
        The model of a binary outcome. ``"logit"``: logistic regression, McFadden's
        pseudo-R² (above). ``"lpm"``: the linear probability model, i.e. the least-squares
        regression of the 0/1 outcome, decomposing its R² exactly as for a continuous
        outcome (every method, instant, exact up to :data:`MAX_EXACT_DRIVERS`; the
        coefficients are per SD of the driver and of the 0/1 outcome).
    exact : bool or None
        Logistic and ordered-logit Shapley/Kruskal only. ``True``: fit all 2**p subset
        models (at most :data:`MAX_EXACT_DRIVERS_BINARY` drivers, 12 for the
        ordered-logit model); ``False``: estimate from
        ``permutations`` random orderings of the drivers (antithetic pairs), with each
        value's Monte Carlo standard error in the column ``mc_se``; ``None``: exact when
        2**p times the number of distinct rows is small enough (about ten seconds of
        one core), else sampled. The bootstrap then samples 32 orderings per resample
        and draws at most as many resamples as about 40 s of work allow; ``attrs``
        say how many (``n_boot``) and the Monte Carlo error of the interval ends
        (``ci_mc_se``).
    permutations : int
        Orderings of the sampling estimator (rounded up to an even number), drawn from
        ``seed`` (0 when None: the same data always give the same estimate).
    ordinal : {"linear", "ordered_logit"}
        The model of a non-binary outcome. ``"linear"``: least squares (above).
        ``"ordered_logit"``: an ordinal outcome with 3 to 7 ordered answers, modelled by
        the cumulative-logit (proportional-odds) model; Shapley or Kruskal of its
        McFadden pseudo-R², exact (all 2**p subset models on the distinct rows) up to
        12 drivers and 25,000 distinct rows
        (:data:`orient.priorities.ordinal_shapley.ORDINAL_EXACT_WORK`), else estimated
        from ``permutations`` sampled orderings with each value's Monte Carlo standard
        error (column ``mc_se``; ``exact`` as for the logistic model).
        ``attrs["outcome"]`` is then ``"ordinal"``; the bootstrap draws at most about
        40 s of resamples, each sampling 16 orderings when the estimate is sampled.

    Returns
    -------
    DataFrame
        Indexed by driver (in the given order), with columns

        - ``importance``: the method's measure (for ``"shapley"`` and
          ``"relative_weights"`` the driver's part of R²; they sum to R²),
        - ``share``: ``|importance|`` as a share of the total (sums to 1),
        - ``rank``: 1 for the most important driver,
        - ``ci_low``, ``ci_high``: percentile interval of ``importance``;
          ``share_ci_low``, ``share_ci_high``, ``rank_ci_low``, ``rank_ci_high``:
          the same for share and rank (these six only when ``n_boot > 0``),
        - ``coefficient``: the full-model standardised coefficient (per SD of the
          driver and, for a continuous outcome, of the target),
        - ``vif``: the variance inflation factor of the driver,
        - ``n``: respondents used (for ``"pairwise"``: who answered the driver and
          the target).

        ``result.attrs`` holds ``method``, ``outcome``, ``r2`` (R² or McFadden's R² of
        the full model), ``n`` (listwise: rows used; pairwise: the smallest pair
        count), ``n_boot`` and ``confidence``.

    Raises
    ------
    TypeError
        A driver or the target is not numeric.
    orient.DataError
        (a ``ValueError``) naming the driver: a column with no values, a constant
        driver, drivers that are perfectly collinear, or no more respondents than
        drivers.
    ValueError
        An unknown option, or more drivers than the exact limit for Shapley/Kruskal.

    Warns
    -----
    OrientWarning
        Fewer than max(30, 10 p) respondents; a driver with VIF above 10; a logistic
        model that did not converge (separation).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame(rng.normal(size=(500, 3)), columns=["price", "speed", "staff"])
    >>> df["overall"] = df @ [0.5, 0.3, 0.1] + rng.normal(size=500)
    >>> imp = driver_importance(df, "overall", ["price", "speed", "staff"])
    >>> list(imp["rank"])
    [1.0, 2.0, 3.0]
    >>> bool(np.isclose(imp["importance"].sum(), imp.attrs["r2"], rtol=1e-12))
    True
    """
    data = check_dataframe(data)
    drivers = _check_drivers(data, target, drivers)
    method = check_choice(method, METHODS, "method")
    missing = check_choice(missing, ("listwise", "pairwise", "error"), "missing")
    correlation = check_choice(correlation, ("pearson", "spearman"), "correlation")
    outcome = check_choice(outcome, ("auto", "continuous", "binary"), "outcome")
    binary = check_choice(binary, BINARY_METHODS, "binary")
    ordinal = check_choice(ordinal, ORDINAL_METHODS, "ordinal")
    permutations = check_positive_int(permutations, "permutations")
    if exact is not None and not isinstance(exact, bool):
        raise TypeError(f"`exact` must be True, False or None; got {exact!r}.")
    n_boot = check_positive_int(n_boot, "n_boot", allow_zero=True)
    seed = check_seed(seed)
    confidence = check_confidence(confidence)
    if not isinstance(signed, bool):
        raise TypeError(f"`signed` must be True or False; got {signed!r}.")
    w_all = _resolve_weights(data, weights)
    p = len(drivers)
    cols = [*drivers, target]

    outcome = _outcome_kind(
        data[target], target, outcome, missing, method, p, binary, exact, ordinal
    )
    outcome = _ordinal_kind(outcome, ordinal, method, missing, p, exact)
    logit = outcome == "binary" and binary == "logit"

    frame = data[cols].astype(float)
    if correlation == "spearman":
        frame = frame.rank(method="average")  # NaN stays NaN
    values = frame.to_numpy()
    observed = ~np.isnan(values)
    if missing == "error" and not observed.all():
        i, k = np.argwhere(~observed)[0]
        raise DataError(
            "rating is missing",
            column=cols[k],
            row=int(i) + 2,
            expected="no missing answers (missing='error'); use missing='listwise' "
            "or 'pairwise' to leave them out",
        )
    if missing == "error":
        missing = "listwise"
    if missing == "listwise":
        keep = observed.all(axis=1)
        x = values[keep]
        w = np.ones(len(x)) if w_all is None else w_all[keep]
        obs = None
        n_used = int(keep.sum())
        n_col = np.full(p, n_used)
        if n_used <= p + 1:
            raise DataError(
                f"only {n_used} respondents answered the target and all {p} drivers; a "
                f"model with {p} drivers needs more than {p + 1}",
                column=drivers[int(np.argmin(observed[:, :p].sum(axis=0)))],
                expected=f"at least {max(30, 10 * p)} complete respondents",
            )
    else:
        keep = observed.any(axis=1)
        x = values[keep]
        w = np.ones(len(x)) if w_all is None else w_all[keep]
        obs = observed[keep]
        counts = _pair_counts(obs)
        n_col = counts[:p, p]
        n_used = int(counts.min())
        if n_used <= p + 1:
            i, j = np.unravel_index(np.argmin(counts), counts.shape)
            raise DataError(
                f"only {n_used} respondents answered both {cols[i]!r} and {cols[j]!r}",
                column=cols[i],
                expected=f"more than {p + 1}",
            )

    # constant columns (weighted variance zero among the rows used)
    for k, col in enumerate(cols):
        v = x[:, k] if obs is None else x[obs[:, k], k]
        if np.nanmax(v) - np.nanmin(v) == 0:
            what = "target" if col == target else "driver"
            raise DataError(
                f"{what} is constant (every respondent gave {v[0]:g})",
                column=col,
                expected="ratings that vary between respondents",
            )

    if n_used < max(30, 10 * p):
        warnings.warn(
            f"Driver analysis of {target!r} on {p} drivers uses only {n_used} respondents "
            f"(fewer than max(30, 10 x {p}) = {max(30, 10 * p)}); read the importances "
            "with care.",
            OrientWarning,
            stacklevel=2,
        )

    # centre, then the weighted correlation matrix
    if obs is None:
        mu = np.average(x, axis=0, weights=w)
        xc = x - mu
        corr = _corr_batch(xc, None, w[None, :])[0]
    else:
        mu = np.array([np.average(x[obs[:, k], k], weights=w[obs[:, k]]) for k in range(p + 1)])
        xc = np.where(obs, x - mu, 0.0)
        corr = _corr_batch(xc, obs, w[None, :])[0]
        if np.linalg.eigvalsh(corr)[0] <= 1e-10:
            raise DataError(
                "the pairwise correlation matrix is not positive definite (too little "
                "overlap between respondents' answers)",
                column=drivers[0],
                expected="missing='listwise', or more complete answers",
            )
    vif = _collinearity_check(corr[:p, :p], drivers)
    high = [d for d, v in zip(drivers, vif, strict=True) if v > 10]
    if high:
        warnings.warn(
            "Drivers with variance inflation factor above 10 (strongly collinear): "
            + ", ".join(f"{d!r} ({v:.1f})" for d, v in zip(drivers, vif, strict=True) if v > 10)
            + "; Shapley or relative weights share their importance fairly, "
            "coefficients do not.",
            OrientWarning,
            stacklevel=2,
        )

    info: dict = {"exact": None, "permutations": None, "mc_se": None}
    if logit:
        yb = (x[:, p] == np.max(x[:, p])).astype(float)
        imp, coef, r2, ok, info = _importance_binary(
            x[:, :p],
            yb,
            w,
            method,
            exact=exact,
            permutations=permutations,
            seed=0 if seed is None else seed,  # the same data, the same estimate
        )
        if not ok:
            warnings.warn(
                _not_converged(x[:, :p], yb, drivers, target), OrientWarning, stacklevel=2
            )
    elif outcome == "ordinal":
        imp, coef, r2, info = ordinal_estimate(
            x[:, :p],
            x[:, p],
            w,
            method,
            target,
            exact=exact,
            permutations=permutations,
            seed=0 if seed is None else seed,  # the same data, the same estimate
        )
    else:
        imp, coef, r2 = _importance_linear(corr, method)
    sign = np.sign(corr[:p, p]) if method == "correlation" else np.sign(coef)
    signed_imp = imp * sign if signed else imp
    share, rank = _shares_ranks(imp)

    out = pd.DataFrame(
        {"importance": signed_imp, "share": share, "rank": rank},
        index=pd.Index(drivers, name="driver"),
    )
    n_boot_asked, ci_mc_se = n_boot, None
    if n_boot > 0:
        n_boot, ci_mc_se = _intervals(
            out,
            (x, xc),
            obs,
            w,
            method,
            "logit" if logit else outcome,
            n_boot,
            seed,
            sign if signed else 1.0,
            confidence,
            info["exact"],
        )
    out["coefficient"] = coef
    out["vif"] = vif
    out["n"] = n_col.astype(int)
    if info["mc_se"] is not None:
        out["mc_se"] = info["mc_se"]
    out.attrs.update(
        {
            "method": method,
            "outcome": outcome,
            "r2": float(r2),
            "n": n_used,
            "n_boot": n_boot,
            "confidence": confidence,
            "target": target,
            "signed": signed,
            "correlation": correlation,
            "missing": missing,
            "binary_method": binary if outcome == "binary" else None,
            "ordinal_method": ordinal if outcome == "ordinal" else None,
            "exact": info["exact"],
            "permutations": info["permutations"],
            "mc_se": None if info["mc_se"] is None else float(np.max(info["mc_se"])),
            "n_boot_requested": n_boot_asked,
            "ci_mc_se": ci_mc_se,
        }
    )
    return out


def _intervals(
    out: pd.DataFrame,
    xs: tuple[np.ndarray, np.ndarray],
    obs: np.ndarray | None,
    w: np.ndarray,
    method: str,
    kind: str,
    n_boot: int,
    seed: int | None,
    sign: Any,
    confidence: float,
    exact: bool | None = None,
) -> tuple[int, float]:
    """Add the bootstrap percentile intervals of importance, share and rank to ``out``;
    return (resamples drawn, Monte Carlo standard error of the interval ends at most).
    ``xs``: the rows as they are and centred (least squares uses the centred ones);
    ``exact``: whether the point estimate of an ordinal outcome fitted every subset
    (else each resample samples a few orderings)."""
    x = xs[1] if kind in ("continuous", "binary") else xs[0]
    p = x.shape[1] - 1
    per_exact = True
    if kind == "ordinal":  # ``kind``: "logit", "ordinal" or a least-squares outcome
        codes, levels = ordinal_codes(x[:, p], "")
        per_exact = exact is not False
        n_boot = ordinal_boot_plan(p, len(np.unique(x[:, :p], axis=0)), n_boot, per_exact)
        boot = ordinal_bootstrap(
            x[:, :p], codes, w, len(levels), method, n_boot, seed, exact=per_exact
        )
        return n_boot, _add_intervals(out, boot, sign, confidence)
    if kind == "logit":
        rows = len(np.unique(x[:, :p], axis=0))
        n_boot, per_exact = logit_boot_plan(p, rows, method, n_boot)
    kind = "binary" if kind == "logit" else "continuous"
    boot = _bootstrap(x, obs, w, method, kind, n_boot, seed, p, exact=per_exact)
    return n_boot, _add_intervals(out, boot, sign, confidence)


def _add_intervals(out: pd.DataFrame, boot: np.ndarray, sign: Any, confidence: float) -> float:
    """Percentile intervals of importance, share and rank from the resamples ``boot``;
    returns the Monte Carlo standard error of the interval ends at most."""
    boot_imp = boot * sign
    b_share, b_rank = _shares_ranks(boot)
    alpha = (1 - confidence) / 2
    q = [100 * alpha, 100 * (1 - alpha)]
    for name, arr in (("", boot_imp), ("share_", b_share), ("rank_", b_rank)):
        lo, hi = np.nanpercentile(arr, q, axis=0)
        out[f"{name}ci_low"] = lo
        out[f"{name}ci_high"] = hi
    ends = [percentile_mc_se(boot_imp, alpha), percentile_mc_se(boot_imp, 1 - alpha)]
    return float(np.nanmax(ends))


def _outcome_kind(
    y: pd.Series,
    target: str,
    outcome: str,
    missing: str,
    method: str,
    p: int,
    binary: str = "logit",
    exact: bool | None = None,
    ordinal: str = "linear",
) -> str:
    """``"binary"`` or ``"continuous"`` for the target ``y`` (``outcome="auto"``: binary
    when it takes exactly 0 and 1), checked against the options and the exact limit."""
    yvals = y.dropna().unique()
    if outcome == "auto":
        outcome = "binary" if set(np.asarray(yvals, dtype=float)) == {0.0, 1.0} else "continuous"
    if outcome == "binary":
        if len(yvals) != 2:
            raise DataError(
                "a binary outcome must take exactly two values",
                column=target,
                value=sorted(yvals)[:5],
                expected="0/1 (or two distinct values)",
            )
        if missing == "pairwise":
            raise ValueError(
                "`missing='pairwise'` needs a continuous outcome; got a binary "
                f"target {target!r}. Use missing='listwise'."
            )
    if method not in ("shapley", "kruskal"):
        return outcome
    if outcome == "binary" and binary == "logit":
        if exact and p > MAX_EXACT_DRIVERS_BINARY:
            raise ValueError(
                f"exact=True fits all 2**p logistic subset models, for at most "
                f"{MAX_EXACT_DRIVERS_BINARY} drivers; got {p}. Use exact=None or False "
                "(sampled orderings, with their Monte Carlo error) or binary='lpm'."
            )
        return outcome  # above the exact limit: sampled, not refused
    if outcome == "continuous" and ordinal == "ordered_logit":
        return outcome  # the ordered-logit model: sampled above its exact limit (check_ordinal)
    if p > MAX_EXACT_DRIVERS:
        raise ValueError(
            f"method={method!r} is computed exactly (all 2**p subset models) for at most "
            f"{MAX_EXACT_DRIVERS} drivers with a {outcome} outcome; got {p}. Use "
            "method='relative_weights' (exact for any number of drivers and close to "
            "Shapley), or combine related attributes into fewer drivers."
        )
    return outcome


def _ordinal_kind(
    outcome: str, ordinal: str, method: str, missing: str, p: int, exact: bool | None = None
) -> str:
    """``"ordinal"`` for a non-binary outcome with ``ordinal="ordered_logit"`` (within its
    limits), else ``outcome``."""
    if outcome != "continuous" or ordinal != "ordered_logit":
        return outcome
    check_ordinal(method, missing, p, exact)
    return "ordinal"


def _not_converged(x: np.ndarray, y: np.ndarray, drivers: list[str], target: str) -> str:
    """Why a logistic model of a yes/no outcome did not converge, and what to do."""
    todo = (
        "Use more respondents or fewer attributes, or analysis.driver_method: correlation "
        "(point-biserial correlations need no logistic model)."
    )
    if not is_separated(x, y):
        return (
            f"A logistic model of {target!r} did not converge although no combination of "
            f"the drivers separates it; importances are unreliable. {todo}"
        )
    alone = [
        f"{drivers[j]!r} rated {_span(r1)} by every satisfied respondent and {_span(r0)} "
        "by every other one"
        for j, r1, r0 in separating_drivers(x, y)
    ]
    which = "; ".join(alone) if alone else "no single driver alone, a combination of them"
    return (
        f"A logistic model of {target!r} did not converge: the drivers separate the "
        f"satisfied from the others perfectly ({which}; n = {len(y)}), so the logistic "
        f"model has no finite estimate and its importances are unreliable. {todo}"
    )


def _span(r: tuple[float, float]) -> str:
    return f"{r[0]:g}" if r[0] == r[1] else f"{r[0]:g}-{r[1]:g}"
