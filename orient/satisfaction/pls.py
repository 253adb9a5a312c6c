"""The ECSI/ACSI-style PLS path model and its importance-performance map.

:func:`pls_path_model` estimates multi-item constructs and the paths between them
(Lohmoeller's algorithm, mode A, path/centroid/factorial schemes, bootstrap
intervals); :func:`ipma` maps each construct's importance for a target against its
0-100 performance (Ringle & Sarstedt 2016).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import (
    check_choice,
    check_columns,
    check_confidence,
    check_dataframe,
    check_numeric_columns,
    check_positive_int,
    check_seed,
)
from orient.errors import OrientWarning
from orient.satisfaction._checks import _scales_for
from orient.stats import resample_moments

__all__ = ["PLSResult", "RowsLeftOutWarning", "ipma", "pls_path_model"]


class RowsLeftOutWarning(OrientWarning):
    """:func:`pls_path_model` left out rows with a missing item (counted in
    ``PLSResult.n_left_out``)."""


@dataclass(frozen=True, eq=False)
class PLSResult:
    """A fitted PLS path model (mode A, standardised data).

    Attributes
    ----------
    paths : DataFrame
        ``from``, ``to``, ``coefficient``, ``ci_low``, ``ci_high`` (NaN without bootstrap).
    weights : DataFrame
        ``construct``, ``item``, ``weight`` (standardised outer weight), ``ci_low``,
        ``ci_high``.
    loadings : DataFrame
        ``construct``, ``item``, ``loading`` (correlation of item and construct score),
        ``ci_low``, ``ci_high``.
    r2 : Series
        R-squared of each endogenous construct.
    scores : DataFrame
        Construct scores rescaled 0-100 (rescaled items combined with the unstandardised
        outer weights normalised to sum 1), indexed like the rows used.
    total_effects : DataFrame
        ``from``, ``to``, ``effect``: standardised total (direct + indirect) effects.
    n : int
        Respondents used (complete rows).
    scheme : str
    iterations : int
    converged : bool
    n_left_out : int
        Rows of ``data`` left out because an item was missing (``n + n_left_out`` is
        the number of rows passed in).
    """

    paths: pd.DataFrame
    weights: pd.DataFrame
    loadings: pd.DataFrame
    r2: pd.Series
    scores: pd.DataFrame
    total_effects: pd.DataFrame
    n: int
    scheme: str
    iterations: int
    converged: bool
    n_left_out: int = 0
    blocks: dict = field(repr=False, default_factory=dict)
    path_list: tuple = field(repr=False, default=())


def _standardise(a: np.ndarray) -> np.ndarray:
    return (a - a.mean(axis=0)) / a.std(axis=0, ddof=1)


def _pls_core(
    X: np.ndarray, idx: list[np.ndarray], D: np.ndarray, scheme: str, tol: float, max_iter: int
):
    """Lohmoeller's PLS algorithm on standardised X. Returns weights, scores, iterations.

    Every step of the iteration is a product of the item correlation matrix
    ``S = X'X / (n - 1)`` (:func:`_iterate`), so the loop costs the same at any number
    of respondents and the scores are formed once.
    """
    S = X.T @ X / (X.shape[0] - 1)
    W, v, it, converged = _iterate(S, idx, D, scheme, tol, max_iter)
    cols = np.repeat(np.arange(len(idx)), [len(ix) for ix in idx])
    w = [v[cols == j] for j in range(len(idx))]
    Y = X @ W
    return w, Y / Y.std(axis=0, ddof=1), it, converged


def _iterate(S: np.ndarray, idx: list[np.ndarray], D: np.ndarray, scheme: str, tol, max_iter):
    """The PLS iteration from the item correlation matrix ``S`` alone: the construct
    scores ``Y = X W`` have correlations ``W' S W`` and the outer step
    ``X_j' Z_j / (n - 1)`` is ``S_j. W E_j``. Returns (W: p x m outer weights giving
    scores of unit variance, the weights as a vector in block order, iterations,
    converged)."""
    m = len(idx)
    p = S.shape[0]
    adj = (D + D.T) > 0
    rows = np.concatenate(idx)  # item of each weight
    cols = np.repeat(np.arange(m), [len(ix) for ix in idx])  # its construct
    preds = [np.flatnonzero(D[:, j]) for j in range(m)]
    succs = [np.flatnonzero(D[j, :]) for j in range(m)]

    def normalised(v):  # weights giving scores of unit variance, and as a p x m matrix
        W = np.zeros((p, m))
        W[rows, cols] = v
        sd = np.sqrt(np.einsum("ij,ik,kj->j", W, S, W))
        return W / sd, v / sd[cols]

    W, v = normalised(np.ones(len(rows)))
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007
        R = W.T @ S @ W  # correlations of the current scores
        if scheme == "centroid":
            E = np.sign(R) * adj
        elif scheme == "factorial":
            E = R * adj
        else:
            E = np.zeros((m, m))
            for j in range(m):
                pred = preds[j]
                if len(pred):  # standardised scores: regression from the correlations
                    E[pred, j] = np.linalg.solve(R[np.ix_(pred, pred)], R[pred, j])
                E[succs[j], j] = R[succs[j], j]
        M = S @ (W @ E)  # column j: X' Z_j / (n - 1), with Z = Y E the inner estimates
        W, new = normalised(M[rows, cols])
        delta = float(np.max(np.abs(new - v)))
        v = new
        if delta < tol:
            converged = True
            break
    return W, v, it, converged


def _fit_from_corr(S: np.ndarray, idx: list[np.ndarray], D: np.ndarray, scheme, tol, max_iter):
    """Outer weights (per block), path coefficients ``B`` and loadings (per block) of the
    PLS model of standardised items with correlation matrix ``S``: the same numbers
    as a fit on the rows (the scores' correlations are ``W' S W``, an item's loading
    is its correlation ``(S W)_ij`` with the unit-variance score)."""
    W, v, _, _ = _iterate(S, idx, D, scheme, tol, max_iter)
    cols = np.repeat(np.arange(len(idx)), [len(ix) for ix in idx])
    C = W.T @ S @ W
    sd = np.sqrt(np.diag(C))
    B, _ = _paths_from_corr(C / sd[:, None] / sd[None, :], D)
    SW = S @ W / sd
    load = [SW[ix, j] for j, ix in enumerate(idx)]
    return [v[cols == j] for j in range(len(idx))], B, load


def _path_coefs(Y: np.ndarray, D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares path coefficients and R^2 of standardised scores, from their correlations."""
    return _paths_from_corr(np.corrcoef(Y, rowvar=False), D)


def _paths_from_corr(R: np.ndarray, D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares path coefficients and R^2 from the scores' correlation matrix."""
    m = D.shape[0]
    B = np.zeros((m, m))
    r2 = np.full(m, np.nan)
    for j in range(m):
        pred = np.flatnonzero(D[:, j])
        if len(pred):
            beta = np.linalg.solve(R[np.ix_(pred, pred)], R[pred, j])
            B[pred, j] = beta
            r2[j] = float(beta @ R[pred, j])
    return B, r2


def _total(B: np.ndarray) -> np.ndarray:
    m = B.shape[0]
    return np.linalg.inv(np.eye(m) - B) - np.eye(m)


def _check_model(data, blocks, paths):
    data = check_dataframe(data)
    if not isinstance(blocks, Mapping) or not blocks:
        raise TypeError("`blocks` must be a non-empty mapping {construct: [item columns]}.")
    items = []
    for c, cols in blocks.items():
        if isinstance(cols, str) or not isinstance(cols, Sequence) or not cols:
            raise TypeError(f"`blocks[{c!r}]` must be a non-empty list of columns; got {cols!r}.")
        items += list(cols)
    dup = {c for c in items if items.count(c) > 1}
    if dup:
        raise ValueError(f"Item {sorted(dup)[0]!r} appears in more than one block.")
    check_columns(data, items)
    check_numeric_columns(data, items)
    names = list(blocks)
    D = np.zeros((len(names), len(names)))
    for p in paths:
        if not isinstance(p, (tuple, list)) or len(p) != 2:
            raise TypeError(f"Each path must be a (from, to) pair; got {p!r}.")
        a, b = p
        for c in (a, b):
            if c not in blocks:
                raise ValueError(f"Path {p!r} names {c!r}, which is not a construct in `blocks`.")
        if a == b:
            raise ValueError(f"Path {p!r} goes from a construct to itself.")
        D[names.index(a), names.index(b)] = 1
    # recursive (acyclic) models only
    if np.any(np.diag(np.linalg.matrix_power(D + np.eye(len(names)), len(names))) > 1):
        raise ValueError("`paths` contain a cycle; only recursive (acyclic) models are supported.")
    lonely = [c for j, c in enumerate(names) if D[:, j].sum() + D[j, :].sum() == 0]
    if lonely:
        raise ValueError(f"Construct {lonely[0]!r} has no path to or from any other construct.")
    for c in items:
        if data[c].notna().sum() == 0:
            raise ValueError(f"Item {c!r} has no valid answers (all {len(data)} missing).")
    return data, names, items, D


#: the message of pls_path_model's warning about incomplete rows (read back for the notes)


def pls_path_model(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
    scheme: str = "path",
    n_boot: int = 0,
    seed: int | None = None,
    *,
    scales: Any = None,
    confidence: float = 0.95,
    tol: float = 1e-7,
    max_iter: int = 300,
) -> PLSResult:
    """PLS path model (PLS-SEM) for multi-item constructs, as in the ECSI and ACSI.

    Mode A (reflective) outer estimation on standardised items, initial outer weights
    of 1, and the path, centroid or factorial inner weighting scheme (Lohmoeller 1989);
    iterations stop when no outer weight changes by more than ``tol``. Path coefficients
    are least squares on the construct scores. Reproduces SmartPLS to 4 decimals on the
    ECSI mobile-phone data (``benchmarks/ecsi.py``).

    Parameters
    ----------
    data : DataFrame
        Item columns; rows with a missing item are left out (with a
        :class:`RowsLeftOutWarning` saying how many; ``PLSResult.n_left_out`` counts
        them).
    blocks : mapping construct -> list of item columns
    paths : sequence of (from, to)
        The structural model; must be acyclic.
    scheme : {"path", "centroid", "factorial"}, default "path"
    n_boot : int, default 0
        Bootstrap resamples for percentile intervals of paths, weights and loadings.
    seed : int, optional
    scales : (min, max) or mapping item -> (min, max), optional
        Item scale ends for the 0-100 scores; by default the observed range.
    confidence : float, default 0.95
    tol : float, default 1e-7
    max_iter : int, default 300

    Returns
    -------
    PLSResult
        ``.paths`` (from, to, coefficient, ci_low, ci_high), ``.weights``,
        ``.loadings``, ``.r2``, ``.scores`` (0-100), ``.total_effects``; see
        :class:`PLSResult`.

    References
    ----------
    Tenenhaus, Esposito Vinzi, Chatelin, Lauro (2005). PLS path modeling.
    Computational Statistics & Data Analysis 48, 159-205.
    """
    data, names, items, D = _check_model(data, blocks, paths)
    check_choice(scheme, ("path", "centroid", "factorial"), "scheme")
    n_boot = check_positive_int(n_boot, "n_boot", allow_zero=True)
    seed = check_seed(seed)
    confidence = check_confidence(confidence)
    max_iter = check_positive_int(max_iter, "max_iter")
    raw = data[items]
    complete = raw.notna().all(axis=1)
    n_left_out = int((~complete).sum())
    if n_left_out:
        warnings.warn(
            f"pls_path_model: {n_left_out} of {len(raw)} rows have a missing item "
            "and are left out.",
            RowsLeftOutWarning,
            stacklevel=2,
        )
    raw = raw[complete]
    if len(raw) < 3:
        raise ValueError(f"pls_path_model needs at least 3 complete rows; got {len(raw)}.")
    const = [c for c in items if raw[c].std() == 0]
    if const:
        raise ValueError(f"Item {const[0]!r} does not vary; it cannot be standardised.")
    A = raw.to_numpy(dtype=float)
    pos = {c: i for i, c in enumerate(items)}
    idx = [np.array([pos[c] for c in blocks[k]]) for k in names]

    def fit(a: np.ndarray):
        X = _standardise(a)
        w, Y, it, conv = _pls_core(X, idx, D, scheme, tol, max_iter)
        B, r2 = _path_coefs(Y, D)
        load = [X[:, ix].T @ Y[:, j] / (len(X) - 1) for j, ix in enumerate(idx)]
        return w, Y, B, r2, load, it, conv

    w, Y, B, r2, load, it, conv = fit(A)
    if not conv:
        warnings.warn(
            f"pls_path_model: did not converge in {max_iter} iterations.",
            OrientWarning,
            stacklevel=2,
        )
    edges = [(names.index(a), names.index(b)) for a, b in paths]
    nan = float("nan")
    p_lo = p_hi = np.full(len(edges), nan)
    w_lo = w_hi = l_lo = l_hi = [np.full(len(ix), nan) for ix in idx]
    if n_boot:
        bp, bw, bl = _bootstrap(A, idx, D, edges, n_boot, seed, scheme, tol, max_iter)
        q = (1 - confidence) / 2
        p_lo, p_hi = np.nanquantile(bp, q, axis=0), np.nanquantile(bp, 1 - q, axis=0)
        w_lo = [np.nanquantile(x, q, axis=0) for x in bw]
        w_hi = [np.nanquantile(x, 1 - q, axis=0) for x in bw]
        l_lo = [np.nanquantile(x, q, axis=0) for x in bl]
        l_hi = [np.nanquantile(x, 1 - q, axis=0) for x in bl]

    path_df = pd.DataFrame(
        {
            "from": [names[i] for i, _ in edges],
            "to": [names[j] for _, j in edges],
            "coefficient": [B[i, j] for i, j in edges],
            "ci_low": p_lo,
            "ci_high": p_hi,
        }
    )

    def outer(vals, lo, hi, col):
        return pd.DataFrame(
            [
                {
                    "construct": k,
                    "item": c,
                    col: vals[j][t],
                    "ci_low": lo[j][t],
                    "ci_high": hi[j][t],
                }
                for j, k in enumerate(names)
                for t, c in enumerate(blocks[k])
            ]
        )

    T = _total(B)
    total = pd.DataFrame(
        [
            {"from": names[i], "to": names[j], "effect": T[i, j]}
            for i in range(len(names))
            for j in range(len(names))
            if T[i, j] != 0
        ],
        columns=["from", "to", "effect"],
    )
    endo = [j for j in range(len(names)) if D[:, j].any()]
    r2s = pd.Series({names[j]: r2[j] for j in endo}, name="r2", dtype=float)
    scores = _scores_0_100(raw, blocks, names, w, scales)
    return PLSResult(
        paths=path_df,
        weights=outer(w, w_lo, w_hi, "weight"),
        loadings=outer(load, l_lo, l_hi, "loading"),
        r2=r2s,
        scores=scores,
        total_effects=total,
        n=len(raw),
        scheme=scheme,
        iterations=it,
        converged=conv,
        n_left_out=n_left_out,
        blocks={k: list(v) for k, v in blocks.items()},
        path_list=tuple(map(tuple, paths)),
    )


#: a resample whose variance of an item is below this fraction of the item's variance
#: in all rows drew a single value of it (the item cannot be standardised there): the
#: resample is left out, as a refit on its rows would fail
CONSTANT_IN_RESAMPLE = 1e-12


def _bootstrap(A, idx, D, edges, n_boot, seed, scheme, tol, max_iter):
    """Paths (n_boot, edges), outer weights and loadings (per block, (n_boot, items)) in
    each bootstrap resample of the rows of ``A``; NaN for a resample in which an item
    is constant.

    Mode A on standardised items depends on the rows only through the item correlation
    matrix, so each resample's model is fitted from the correlations of the rows it
    drew (:func:`orient.stats.resample_moments`: resample counts as weights), never
    from the rows themselves: the same numbers as a refit on the resampled rows, at a
    cost linear in the rows and memory independent of them. Up to
    :data:`orient.stats.RESAMPLE_BLOCK` rows the resamples are those of one
    ``rng.integers(0, n, n)`` per resample, drawn from ``default_rng(seed)``.
    """
    nan = float("nan")
    bp = np.full((n_boot, len(edges)), nan)
    bw = [np.full((n_boot, len(ix)), nan) for ix in idx]
    bl = [np.full((n_boot, len(ix)), nan) for ix in idx]
    rng = np.random.default_rng(seed)
    floor = CONSTANT_IN_RESAMPLE * A.var(axis=0)
    b = 0
    for _, cov in resample_moments(A, rng, n_boot):
        for c in cov:
            var = np.diag(c)
            if np.all(var > floor):
                sd = np.sqrt(var)
                wb, Bb, lb = _fit_from_corr(c / sd[:, None] / sd[None, :], idx, D, scheme, tol,
                                            max_iter)  # fmt: skip
                bp[b] = [Bb[i, j] for i, j in edges]
                for j in range(len(idx)):
                    bw[j][b], bl[j][b] = wb[j], lb[j]
            b += 1
    return bp, bw, bl


def _scores_0_100(raw: pd.DataFrame, blocks, names, w, scales) -> pd.DataFrame:
    """Rescaled construct scores (Ringle & Sarstedt 2016, IPMA step 1-2)."""
    sc = _scales_for(raw, scales)
    out = {}
    for j, k in enumerate(names):
        cols = list(blocks[k])
        unstd = w[j] / raw[cols].std(ddof=1).to_numpy()
        rel = unstd / unstd.sum()
        resc = np.column_stack(
            [(raw[c].to_numpy(float) - sc[c][0]) / (sc[c][1] - sc[c][0]) * 100 for c in cols]
        )
        out[k] = np.clip(resc @ rel, 0.0, 100.0)  # float noise at the ends
    return pd.DataFrame(out, index=raw.index)


def ipma(model: PLSResult, target: str) -> pd.DataFrame:
    """Importance-performance map for one target construct (Ringle & Sarstedt 2016).

    Importance is the unstandardised total effect on ``target``: the structural model
    re-estimated on the 0-100 construct scores, so "one point more performance of X
    gives `importance` points more of the target". Performance is the mean 0-100 score.

    Parameters
    ----------
    model : PLSResult
    target : str
        An endogenous construct.

    Returns
    -------
    DataFrame
        Indexed by construct (every construct with a total effect on ``target``),
        columns: ``importance``, ``performance``, ``std_total_effect`` (the
        standardised total effect).
    """
    if not isinstance(model, PLSResult):
        raise TypeError(f"`model` must be a PLSResult; got {type(model).__name__}.")
    names = list(model.blocks)
    check_choice(target, names, "target")
    m = len(names)
    D = np.zeros((m, m))
    for a, b in model.path_list:
        D[names.index(a), names.index(b)] = 1
    if not D[:, names.index(target)].any():
        raise ValueError(f"`target` {target!r} is exogenous: nothing has an effect on it.")
    S = model.scores[names].to_numpy(float)
    B = np.zeros((m, m))
    for j in range(m):
        pred = np.flatnonzero(D[:, j])
        if len(pred):
            X = np.column_stack([np.ones(len(S)), S[:, pred]])
            B[pred, j] = np.linalg.lstsq(X, S[:, j], rcond=None)[0][1:]
    T = _total(B)
    std = model.total_effects.set_index(["from", "to"])["effect"]
    t = names.index(target)
    rows = {
        names[i]: {
            "importance": T[i, t],
            "performance": float(S[:, i].mean()),
            "std_total_effect": float(std.get((names[i], target), 0.0)),
        }
        for i in range(m)
        if T[i, t] != 0
    }
    return pd.DataFrame.from_dict(rows, orient="index")
