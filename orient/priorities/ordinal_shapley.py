"""Shapley decomposition of McFadden's pseudo-R² for an ordinal overall item.

An overall item with a few ordered answers (3 to 7 categories, e.g. a 1-5 scale) can be
modelled by the cumulative-logit (proportional-odds) model
``P(Y <= j | x) = expit(theta_j - x'beta)`` (McCullagh 1980; statsmodels
``OrderedModel(distr="logit")``). McFadden's R² of the model on the drivers in ``S`` is
``1 - log L(S) / log L(thresholds only)``; its Shapley value (LMG) needs the fit of every
one of the ``2**p`` subset models, as for a binary outcome
(:mod:`orient.priorities.logit_shapley`):

- the weighted likelihood depends on the data only through the distinct driver
  patterns and the summed weight of each answer category in each (``counts`` (G, J)),
  so the models are fitted on the distinct rows, exactly;
- each fit works on the non-zero cells of ``counts`` (an answer category of a row:
  about one per respondent), which need the logistic function at their category's two
  thresholds only, not at all J - 1;
- subsets are fitted by size, each from the fit of the subset without its largest
  member (the new slope at 0), by Newton-Raphson with the analytic Hessian, halving a
  step that would lower the likelihood or disorder the thresholds, and stopping when
  the Newton decrement is below ``1e-11 |log L0|``; the log-likelihood at the optimum is
  then ``log L + decrement / 2``.

Above :data:`MAX_EXACT_ORDINAL` drivers (or :data:`ORDINAL_EXACT_WORK`),
:func:`ordinal_sampled_shapley` estimates the values from random orderings of the
drivers in antithetic pairs (each ordering and its reverse), fitting only the nested
models along them (each from the ordering's previous model; a subset met twice is
fitted once), and gives each value's Monte Carlo standard error; the values still sum
to the full model's R² exactly. The bootstrap then samples
:data:`ORDINAL_BOOT_PERMUTATIONS` orderings per resample, as many resamples as
:data:`ORDINAL_BOOT_WORK` allows.

McFadden's R² is unchanged by rescaling the drivers, so standardised drivers are used.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

__all__ = [
    "MAX_EXACT_ORDINAL",
    "ORDINAL_LEVELS",
    "ordinal_collapse",
    "ordinal_sampled_shapley",
    "ordinal_subset_r2",
]

#: exact ordered-logit Shapley (all 2**p subset models) for at most this many drivers;
#: above, or above :data:`ORDINAL_EXACT_WORK`, the values are estimated from sampled
#: orderings (:func:`ordinal_sampled_shapley`) with their Monte Carlo error
MAX_EXACT_ORDINAL = 12
#: the cost of one ordered-logit fit, in rows: its distinct rows plus this many (the
#: fixed cost of its Newton steps; about 0.3 us per row, benchmarks/ordinal.py)
FIT_OVERHEAD = 4000
#: exact when 2**p x (distinct rows + FIT_OVERHEAD) is at most this: p = 12 with 25,000
#: distinct rows (all 4,096 models in about a minute of one core, benchmarks/ordinal.py)
ORDINAL_EXACT_WORK = 2**12 * 29_000
#: orderings of the sampling estimator (antithetic pairs), unless given
ORDINAL_PERMUTATIONS = 256
#: orderings sampled in each bootstrap resample when the point estimate is sampled
ORDINAL_BOOT_PERMUTATIONS = 16
#: an ordinal overall item has this many ordered answers (inclusive range)
ORDINAL_LEVELS = (3, 7)
_DECREMENT = 1e-11
_MAX_ITER = 100
_COLLAPSE = 0.2  # a subset is fitted on its own patterns when they are at most this share


def ordinal_collapse(z: np.ndarray, codes: np.ndarray, w: np.ndarray, levels: int):
    """Distinct rows of ``z`` (G, p) and each one's summed weight per answer category
    (G, levels); ``codes`` are the answers as 0..levels-1."""
    uniq, inv = np.unique(z, axis=0, return_inverse=True)
    inv = inv.ravel()
    counts = np.bincount(inv * levels + codes, weights=w, minlength=len(uniq) * levels).reshape(
        len(uniq), levels
    )
    return uniq, counts


def null_loglik(counts: np.ndarray) -> float:
    """Log-likelihood of the thresholds-only model: the answers' weighted shares."""
    tot = counts.sum(axis=0)
    tot = tot[tot > 0]
    return float(np.sum(tot * np.log(tot / tot.sum())))


def _null_thresholds(counts: np.ndarray) -> np.ndarray:
    cum = np.cumsum(counts.sum(axis=0))[:-1] / counts.sum()
    return np.log(cum / (1 - cum))


def _entries(x: np.ndarray, counts: np.ndarray):
    """The non-zero cells of ``counts`` (G, J) as entries sorted by answer category:
    (their rows of ``x``, category, weight, where each category's entries start (J + 1)).
    A respondent's row and answer is one entry, so there are at most as many entries as
    respondents (and as cells)."""
    c, r = np.nonzero(counts.T)
    bounds = np.searchsorted(c, np.arange(counts.shape[1] + 1))
    return np.ascontiguousarray(x[r]), c, counts[r, c], bounds


def _derivs(entries, theta: np.ndarray, beta: np.ndarray):
    """(log-likelihood, gradient, Hessian) in (thresholds, slopes) from the entries of
    :func:`_entries`; log-likelihood -inf where an answered category's probability is
    not positive.

    An entry of category c has ``P = F(a_u) - F(a_l)``, ``a_u = theta_c - x'beta`` and
    ``a_l = theta_{c-1} - x'beta`` (``theta_{-1} = -inf``, ``theta_{J-1} = +inf``: their
    terms vanish), so each entry needs two logistic values, not J - 1."""
    xe, cat, v, bounds = entries
    k = len(theta)
    ext = np.concatenate([[-np.inf], theta, [np.inf]])
    eta = xe @ beta
    fu = special.expit(ext[cat + 1] - eta)
    fl = special.expit(ext[cat] - eta)
    prob = fu - fl
    if np.any(prob <= 0):
        return -np.inf, None, None
    ll = float(v @ np.log(prob))
    du, dl = fu * (1 - fu), fl * (1 - fl)  # densities at the two thresholds
    vp = v / prob
    vp2 = vp / prob
    gu, gl = vp * du, -vp * dl  # d ll / d a_u, d a_l
    huu = vp * du * (1 - 2 * fu) - vp2 * du * du
    hll = -vp * dl * (1 - 2 * fl) - vp2 * dl * dl
    hul = vp2 * du * dl
    hu_b, hl_b = huu + hul, hll + hul
    # theta_t is the upper threshold of category t and the lower one of category t + 1
    seg = [slice(bounds[c], bounds[c + 1]) for c in range(k + 1)]
    g_t = np.array([gu[seg[t]].sum() + gl[seg[t + 1]].sum() for t in range(k)])
    d_tt = np.array([huu[seg[t]].sum() + hll[seg[t + 1]].sum() for t in range(k)])
    off = np.array([hul[seg[t]].sum() for t in range(1, k)])
    h_tt = np.diag(d_tt)
    h_tt[np.arange(k - 1), np.arange(1, k)] = off
    h_tt[np.arange(1, k), np.arange(k - 1)] = off
    h_tb = np.stack(
        [-(hu_b[seg[t]] @ xe[seg[t]] + hl_b[seg[t + 1]] @ xe[seg[t + 1]]) for t in range(k)]
    )
    grad = np.concatenate([g_t, -((gu + gl) @ xe)])
    h_bb = (xe.T * (huu + 2 * hul + hll)) @ xe
    hess = np.block([[h_tt, h_tb], [h_tb.T, h_bb]])
    return ll, grad, hess


def ordered_logit_fit(
    x: np.ndarray, counts: np.ndarray, theta: np.ndarray | None = None, beta=None, ll0=None
) -> tuple[float, np.ndarray, np.ndarray, bool]:
    """Maximum-likelihood cumulative-logit model on rows ``x`` (G, k) with category
    weights ``counts`` (G, J). Returns (log-likelihood at the optimum, thresholds,
    slopes, converged)."""
    k = x.shape[1]
    theta = _null_thresholds(counts) if theta is None else theta.copy()
    beta = np.zeros(k) if beta is None else beta.copy()
    scale = abs(null_loglik(counts) if ll0 is None else ll0)
    entries = _entries(x, counts)
    ll, grad, hess = _derivs(entries, theta, beta)
    for _ in range(_MAX_ITER):
        try:
            step = np.linalg.solve(-hess, grad)
        except np.linalg.LinAlgError:
            return ll, theta, beta, False
        dec = float(grad @ step)
        if not np.isfinite(dec):
            return ll, theta, beta, False
        if dec < _DECREMENT * scale:
            return ll + dec / 2, theta, beta, bool(np.max(np.abs(beta), initial=0) <= 30)
        t = 1.0
        for _ in range(40):
            th, be = theta + t * step[: len(theta)], beta + t * step[len(theta) :]
            if np.all(np.diff(th) > 0):
                new = _derivs(entries, th, be)
                if new[0] >= ll - 1e-12 * scale:
                    break
            t /= 2
        else:
            return ll, theta, beta, False
        theta, beta = th, be
        ll, grad, hess = new
    return ll, theta, beta, False


def ordinal_subset_r2(design: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, bool]:
    """McFadden's R² of the cumulative-logit model on every subset of the drivers.

    ``design`` (G, p) distinct rows of the standardised drivers and ``counts`` (G, J)
    from :func:`ordinal_collapse`. Returns (``r2[mask]`` with bit j for driver j, every
    fit converged)."""
    p = design.shape[1]
    ll0 = null_loglik(counts)
    masks = np.arange(2**p, dtype=np.int64)
    order = masks[np.argsort(np.bitwise_count(masks), kind="stable")]
    r2 = np.zeros(2**p)
    thetas = {0: _null_thresholds(counts)}
    betas = {0: np.zeros(p)}
    ok = True
    for mask in order[1:]:
        mask = int(mask)
        largest = mask.bit_length() - 1
        parent = mask & ~(1 << largest)
        cols = [j for j in range(p) if mask >> j & 1]
        ll, th, be, good = ordered_logit_fit(
            design[:, cols], counts, thetas[parent], betas[parent][cols], ll0
        )
        ok &= good
        r2[mask] = 1.0 - ll / ll0
        thetas[mask] = th
        dense = np.zeros(p)
        dense[cols] = be
        betas[mask] = dense
    return r2, ok


def _level_codes(design: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each column's values as codes 0..L-1 (G, p) and its number of levels (p,)."""
    cols = [np.unique(c, return_inverse=True) for c in design.T]
    return np.stack([inv.ravel() for _, inv in cols], axis=1), np.array([len(u) for u, _ in cols])


def _subset_rows(design, codes, levels, counts, cols):
    """The rows of ``design[:, cols]`` and their counts, merged where those columns agree
    when that leaves at most :data:`_COLLAPSE` of the rows (the same likelihood)."""
    g = len(design)
    space = float(np.prod(levels[cols].astype(float)))
    if space > _COLLAPSE * g * 4:  # too many possible patterns: rarely worth merging
        return design[:, cols], counts
    strides = np.cumprod(np.concatenate([[1], levels[cols][:-1]])).astype(np.int64)
    key = codes[:, cols] @ strides
    uniq, first, inv = np.unique(key, return_index=True, return_inverse=True)
    if len(uniq) > _COLLAPSE * g:
        return design[:, cols], counts
    levels_j = counts.shape[1]
    flat = (inv.ravel()[:, None] * levels_j + np.arange(levels_j)).ravel()
    merged = np.bincount(flat, weights=counts.ravel(), minlength=len(uniq) * levels_j)
    return design[first][:, cols], merged.reshape(len(uniq), levels_j)


def ordinal_sampled_shapley(
    design: np.ndarray,
    counts: np.ndarray,
    permutations: int,
    seed: int | None,
    kruskal: bool = False,
    *,
    orderings: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Shapley values (or Kruskal's measure) of McFadden's R² of the cumulative-logit
    model from random orderings of the drivers.

    ``permutations`` orderings (rounded up to an even number: each drawn ordering and
    its reverse, an antithetic pair, which lowers the variance), drawn from ``seed``;
    or ``orderings`` (H, p) given, each used with its reverse. Along each ordering the
    nested models are fitted by :func:`ordered_logit_fit`, each from the fit of the
    ordering's previous subset (the new slope at 0); a subset met by several orderings
    is fitted once. A subset whose drivers take few distinct patterns (at most a fifth
    of the rows: small subsets of rating scales) is fitted on those patterns. Each
    ordering's gains telescope to the full model's R², so the values sum to it exactly.

    Returns (estimate (p,), Monte Carlo standard error (p,): the spread of the
    antithetic pairs' means over the square root of their number, every fit converged).
    """
    g, p = design.shape
    if orderings is None:
        rng = np.random.default_rng(seed)
        half = max(1, (permutations + 1) // 2)
        orderings = np.argsort(rng.random((half, p)), axis=1)
    orderings = np.asarray(orderings, dtype=np.int64)
    half = len(orderings)
    perms = np.concatenate([orderings, orderings[:, ::-1]])  # antithetic: i and i + half
    ll0 = null_loglik(counts)
    codes, levels = _level_codes(design)
    fits: dict[int, tuple[float, np.ndarray, np.ndarray]] = {
        0: (0.0, _null_thresholds(counts), np.zeros(p))
    }
    ok = True
    gain = np.zeros((len(perms), p))
    for i, perm in enumerate(perms):
        mask, r2_prev = 0, 0.0
        for j in perm:
            j = int(j)
            new = mask | (1 << j)
            if new not in fits:
                _, theta, beta = fits[mask]
                cols = [c for c in range(p) if new >> c & 1]
                rows, cnt = _subset_rows(design, codes, levels, counts, cols)
                ll, th, be, good = ordered_logit_fit(rows, cnt, theta, beta[cols], ll0)
                ok &= good
                dense = np.zeros(p)
                dense[cols] = be
                fits[new] = (1.0 - ll / ll0, th, dense)
            r2_new = fits[new][0]
            step = r2_new - r2_prev
            gain[i, j] = step / (1.0 - r2_prev) if kruskal else step
            mask, r2_prev = new, r2_new
    pair = (gain[:half] + gain[half:]) / 2
    est = pair.mean(axis=0)
    se = pair.std(axis=0, ddof=1) / math.sqrt(half) if half > 1 else np.full(p, np.nan)
    return est, se, bool(ok)


def ordinal_codes(y: np.ndarray, column: str) -> tuple[np.ndarray, np.ndarray]:
    """The answers as codes 0..J-1 and the J ordered values; ``ValueError`` unless
    :data:`ORDINAL_LEVELS` categories."""
    values, codes = np.unique(y, return_inverse=True)
    lo, hi = ORDINAL_LEVELS
    if not lo <= len(values) <= hi:
        from orient.errors import DataError

        raise DataError(
            f"the ordered-logit model needs an overall item with {lo} to {hi} ordered "
            f"answers; it has {len(values)} distinct values",
            column=column,
            expected=f"{lo}-{hi} answer categories, or analysis.ordinal_method: linear",
        )
    return codes.ravel(), values


def ordinal_exact(p: int, rows: int, exact: bool | None = None) -> bool:
    """Whether the ordered-logit Shapley values are exact (every subset model) or
    sampled: ``exact`` when given, else at most :data:`MAX_EXACT_ORDINAL` drivers and
    ``2**p x (rows + FIT_OVERHEAD)`` within :data:`ORDINAL_EXACT_WORK`."""
    if exact is not None:
        return exact
    return p <= MAX_EXACT_ORDINAL and 2**p * (rows + FIT_OVERHEAD) <= ORDINAL_EXACT_WORK


def _standardised(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    mu = np.average(x, axis=0, weights=w)
    sd = np.sqrt(np.average((x - mu) ** 2, axis=0, weights=w))
    return (x - mu) / sd


def importance_ordinal(
    x: np.ndarray,
    codes: np.ndarray,
    w: np.ndarray,
    levels: int,
    method: str,
    *,
    exact: bool | None = None,
    permutations: int = ORDINAL_PERMUTATIONS,
    seed: int | None = 0,
) -> tuple[np.ndarray, np.ndarray, float, bool, dict]:
    """(Shapley or Kruskal importance of McFadden's R², slopes per SD of each driver of
    the full model, the full model's R², every fit converged, info). ``info``: ``exact``
    (all subsets fitted, see :func:`ordinal_exact`), ``permutations`` (orderings sampled,
    or None) and ``mc_se`` (each value's Monte Carlo standard error, or None)."""
    from orient.priorities.linear import _lmg_from_r2
    from orient.priorities.logit_shapley import _one_thread

    p = x.shape[1]
    design, counts = ordinal_collapse(_standardised(x, w), codes, w, levels)
    exact = ordinal_exact(p, len(design), exact)
    info: dict = {"exact": exact, "permutations": None, "mc_se": None}
    kruskal = method == "kruskal"
    with _one_thread():
        if exact:
            r2, ok = ordinal_subset_r2(design, counts)
            imp = _lmg_from_r2(r2, p, kruskal=kruskal)
        else:
            imp, se, ok = ordinal_sampled_shapley(design, counts, permutations, seed, kruskal)
            info.update(permutations=2 * max(1, (permutations + 1) // 2), mc_se=se)
        ll, _, beta, ok_full = ordered_logit_fit(design, counts)
    full = 1.0 - ll / null_loglik(counts)
    return imp, beta, float(full), bool(ok and ok_full and math.isfinite(full)), info


#: ordered-logit model-rows (subset fits x (distinct rows + :data:`FIT_OVERHEAD`))
#: allowed over all bootstrap resamples, about 40 s of one core (benchmarks/ordinal.py):
#: at p = 15 with 25,000 distinct rows and sampled orderings, 19 resamples
ORDINAL_BOOT_WORK = 1.3e8


def ordinal_boot_plan(p: int, rows: int, n_boot: int, exact: bool = True) -> int:
    """Resamples drawn for the ordered-logit Shapley intervals (a deterministic cap):
    each resample fits every subset model (``exact``) or, sampled,
    :data:`ORDINAL_BOOT_PERMUTATIONS` orderings (at most ``orderings x (p - 1) + 1``
    models); at most :data:`ORDINAL_BOOT_WORK` model-rows over all of them."""
    models = 2**p if exact else ORDINAL_BOOT_PERMUTATIONS * max(1, p - 1) + 1
    return max(1, min(n_boot, int(ORDINAL_BOOT_WORK // (models * (rows + FIT_OVERHEAD)))))


def ordinal_bootstrap(
    x: np.ndarray,
    codes: np.ndarray,
    w: np.ndarray,
    levels: int,
    method: str,
    n_boot: int,
    seed: int | None,
    exact: bool = True,
) -> np.ndarray:
    """Importance in each of ``n_boot`` resamples of the rows (with replacement, keeping
    their survey weights), (n_boot, p): the same distinct rows with other weights.
    ``exact``: every subset model in each resample; else
    :data:`ORDINAL_BOOT_PERMUTATIONS` sampled orderings (each resample its own, drawn
    from ``seed``), whose Monte Carlo noise the intervals then include."""
    from orient.priorities.linear import _lmg_from_r2
    from orient.priorities.logit_shapley import _one_thread

    rng = np.random.default_rng(seed)
    n, p = x.shape
    design, inv = np.unique(_standardised(x, w), axis=0, return_inverse=True)
    cell = inv.ravel() * levels + codes
    out = np.full((n_boot, p), np.nan)
    kruskal = method == "kruskal"
    with _one_thread():
        for b in range(n_boot):
            cw = np.bincount(rng.integers(0, n, n), minlength=n) * w
            order_seed = int(rng.integers(2**63))
            counts = np.bincount(cell, weights=cw, minlength=len(design) * levels)
            counts = counts.reshape(len(design), levels)
            if np.count_nonzero(counts.sum(axis=0)) < levels:
                continue  # a category unanswered in this resample: no model with all thresholds
            if exact:
                r2, ok = ordinal_subset_r2(design, counts)
                imp = _lmg_from_r2(r2, p, kruskal=kruskal)
            else:
                imp, _, ok = ordinal_sampled_shapley(
                    design, counts, ORDINAL_BOOT_PERMUTATIONS, order_seed, kruskal
                )
            if ok:
                out[b] = imp
    return out


def check_ordinal(method: str, missing: str, p: int, exact: bool | None = None) -> None:
    """The ordered-logit option's limits, as ``ValueError`` naming the alternative. Any
    number of drivers: above :data:`MAX_EXACT_ORDINAL` the values are estimated from
    sampled orderings, unless ``exact=True``."""
    if method not in ("shapley", "kruskal"):
        raise ValueError(
            f"ordinal='ordered_logit' decomposes McFadden's R² by Shapley or Kruskal; got "
            f"method={method!r}. Use method='shapley' or 'kruskal', or ordinal='linear'."
        )
    if missing == "pairwise":
        raise ValueError("ordinal='ordered_logit' needs missing='listwise'.")
    if exact and p > MAX_EXACT_ORDINAL:
        raise ValueError(
            f"exact=True fits all 2**p ordered-logit subset models, for at most "
            f"{MAX_EXACT_ORDINAL} drivers; got {p}. Use exact=None or False (sampled "
            "orderings, with their Monte Carlo error) or ordinal='linear'."
        )


def ordinal_not_converged(target: str) -> str:
    return (
        f"An ordered-logit model of {target!r} did not converge (an answer category "
        "predicted perfectly by the drivers); importances are unreliable. Use "
        "ordinal='linear' (analysis.ordinal_method: linear) or more respondents."
    )


def ordinal_estimate(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    method: str,
    target: str,
    *,
    exact: bool | None = None,
    permutations: int = ORDINAL_PERMUTATIONS,
    seed: int | None = 0,
) -> tuple[np.ndarray, np.ndarray, float, dict]:
    """(importance, slopes per SD, McFadden's R², info as :func:`importance_ordinal`) of
    the ordinal outcome ``y`` (the column ``target``), warning (``OrientWarning``) when
    a fit did not converge."""
    import warnings

    from orient.errors import OrientWarning

    codes, levels = ordinal_codes(y, target)
    imp, coef, r2, ok, info = importance_ordinal(
        x, codes, w, len(levels), method, exact=exact, permutations=permutations, seed=seed
    )
    if not ok:
        warnings.warn(ordinal_not_converged(target), OrientWarning, stacklevel=3)
    return imp, coef, r2, info
