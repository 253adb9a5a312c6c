"""Conjoint designs: full and fractional factorials, effects coding, orthogonality.

:func:`full_factorial` (every profile), :func:`fractional_factorial` (a main-effects
orthogonal array over GF(p), Rao-Hamming construction), :func:`effects_code` (the
effects-coded design matrix) and :func:`design_orthogonality` (pairwise check of
orthogonality and balance).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe, check_positive_int, check_seed

__all__ = ["full_factorial", "fractional_factorial", "effects_code", "design_orthogonality"]


def _check_levels(levels: Any) -> dict[str, list]:
    if not isinstance(levels, Mapping) or not levels:
        raise TypeError("`levels` must be a non-empty mapping attribute -> list of levels.")
    out = {}
    for attr, lv in levels.items():
        lv = list(lv)
        if len(lv) < 2:
            raise ValueError(
                f"`levels` of attribute {attr!r} must have at least 2 levels; got {lv!r}."
            )
        if len(set(lv)) != len(lv):
            raise ValueError(f"`levels` of attribute {attr!r} repeat a level: {lv!r}.")
        out[str(attr)] = lv
    return out


def full_factorial(levels: Mapping[str, Sequence]) -> pd.DataFrame:
    """Every combination of the attributes' levels.

    Parameters
    ----------
    levels : mapping attribute -> list of levels

    Returns
    -------
    DataFrame
        One row per profile (index ``profile`` from 1), one column per attribute holding
        the level.
    """
    levels = _check_levels(levels)
    rows = list(itertools.product(*levels.values()))
    out = pd.DataFrame(rows, columns=list(levels))
    out.index = pd.RangeIndex(1, len(out) + 1, name="profile")
    return out


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


def _projective_points(p: int, m: int) -> list[np.ndarray]:
    """Nonzero vectors of GF(p)^m with leading nonzero entry 1, unit vectors first."""
    units = [np.eye(m, dtype=int)[i] for i in range(m)]
    others = []
    for v in itertools.product(range(p), repeat=m):
        v = np.array(v)
        nz = np.flatnonzero(v)
        if len(nz) == 0 or v[nz[0]] != 1 or len(nz) == 1:
            continue
        others.append(v)
    others.sort(key=lambda v: (int((v > 0).sum()), tuple(v)))
    return units + others


def _orthogonal_array(p: int, k: int) -> np.ndarray:
    """OA(p^m, k, p, 2) by the Rao-Hamming construction over GF(p), p prime."""
    m = 1
    while (p**m - 1) // (p - 1) < k:
        m += 1
    base = np.array(list(itertools.product(range(p), repeat=m)), dtype=int)
    cols = _projective_points(p, m)[:k]
    return np.column_stack([(base @ v) % p for v in cols])


def fractional_factorial(
    levels: Mapping[str, Sequence],
    *,
    min_runs: int | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """A fractional factorial main-effects design, orthogonal where one is found.

    The design is an orthogonal array of strength 2 over GF(p) (Rao-Hamming
    construction) for a prime p at least the largest number of levels (the one giving
    the fewest profiles; within 10% of that, the one collapsing fewest attributes);
    attributes with fewer than p levels are collapsed (level ``c mod s``), which keeps the
    design orthogonal in the proportional-frequency sense (Addelman 1962): every pair of
    attributes' level combinations appears in proportion to the product of their
    frequencies, so main effects are estimated uncorrelated. When no such array is
    smaller than the full factorial, the full factorial is returned (always orthogonal).
    Check any design with :func:`design_orthogonality`.

    Parameters
    ----------
    levels : mapping attribute -> list of levels
    min_runs : int, optional
        The smallest number of profiles wanted; a larger array is chosen if needed.
    seed : int, optional
        When given, shuffles the order of the profiles and which level each code stands
        for (orthogonality is unchanged). Without a seed the design is deterministic.

    Returns
    -------
    DataFrame
        One row per profile (index ``profile`` from 1), one column per attribute.
        ``attrs["construction"]`` says how it was built.
    """
    levels = _check_levels(levels)
    seed = check_seed(seed)
    if min_runs is not None:
        min_runs = check_positive_int(min_runs, "min_runs")
    s = [len(v) for v in levels.values()]
    k = len(s)
    n_full = math.prod(s)
    n_params = 1 + sum(x - 1 for x in s)
    candidates = []
    p = max(s)
    while not _is_prime(p):
        p += 1
    for q in [x for x in range(p, p + 12) if _is_prime(x)][:3]:
        oa = _orthogonal_array(q, k)
        while min_runs is not None and len(oa) < min_runs and len(oa) < n_full:
            # a bigger array: one more base column over the same field
            m = round(math.log(len(oa), q)) + 1
            base = np.array(list(itertools.product(range(q), repeat=m)), dtype=int)
            cols = _projective_points(q, m)[:k]
            oa = np.column_stack([(base @ v) % q for v in cols])
        candidates.append((q, oa, sum(x < q for x in s)))
    # the fewest profiles; within 10% of that, the fewest collapsed (unbalanced) attributes
    fewest = min(len(c[1]) for c in candidates)
    q, oa, _ = min(
        (c for c in candidates if len(c[1]) <= 1.1 * fewest), key=lambda c: (c[2], len(c[1]))
    )
    if len(oa) >= n_full or len(oa) < n_params:
        design = full_factorial(levels)
        design.attrs["construction"] = f"full factorial ({n_full} profiles)"
        codes = None
    else:
        codes = np.column_stack([oa[:, j] % s[j] for j in range(k)])
    rng = np.random.default_rng(seed) if seed is not None else None
    if codes is not None:
        if rng is not None:
            perms = [rng.permutation(x) for x in s]
            codes = np.column_stack([perms[j][codes[:, j]] for j in range(k)])
        design = pd.DataFrame(
            {a: [lv[c] for c in codes[:, j]] for j, (a, lv) in enumerate(levels.items())}
        )
        collapsed = [a for a, x in zip(levels, s, strict=True) if x < q]
        design.attrs["construction"] = (
            f"orthogonal array OA({len(oa)}, {k}, {q}, 2) over GF({q})"
            + (f", collapsed levels for {', '.join(collapsed)}" if collapsed else "")
        )
    if rng is not None:
        design = design.iloc[rng.permutation(len(design))]
    construction = design.attrs.get("construction")
    design = design.reset_index(drop=True)
    design.index = pd.RangeIndex(1, len(design) + 1, name="profile")
    design.attrs["construction"] = construction
    return design


def effects_code(design: pd.DataFrame, levels: Mapping[str, Sequence]) -> pd.DataFrame:
    """Effects-coded design matrix (no intercept).

    For an attribute with levels ``l_1..l_k`` there are ``k - 1`` columns
    ``"attribute[l_j]"`` (j < k): 1 where the level is ``l_j``, -1 where it is ``l_k``,
    0 otherwise. The part-worth of ``l_k`` is minus the sum of the others.

    Parameters
    ----------
    design : DataFrame
        One column per attribute of ``levels``.
    levels : mapping attribute -> list of levels

    Returns
    -------
    DataFrame
        Same index as ``design``; float columns ``"attribute[level]"``.

    Raises
    ------
    ValueError
        A value not among the attribute's levels.
    """
    levels = _check_levels(levels)
    check_columns(design, list(levels), "design")
    cols = {}
    for attr, lv in levels.items():
        vals = design[attr]
        known = pd.Series(vals).isin(lv)
        if not known.all():
            bad = vals[~known.to_numpy()].iloc[0]
            raise ValueError(
                f"`design` column {attr!r} holds level {bad!r}, which is not among its "
                f"levels ({', '.join(map(str, lv))})."
            )
        last = lv[-1]
        for level in lv[:-1]:
            cols[f"{attr}[{level}]"] = np.where(
                vals == level, 1.0, np.where(vals == last, -1.0, 0.0)
            )
    return pd.DataFrame(cols, index=design.index)


def design_orthogonality(
    design: pd.DataFrame, levels: Mapping[str, Sequence] | None = None, *, tol: float = 1e-9
) -> pd.DataFrame:
    """Check a design's orthogonality and balance, attribute pair by attribute pair.

    Two attributes are orthogonal when every combination of their levels appears in
    proportion to the product of the levels' frequencies (Addelman's proportional
    frequencies); then the effects-coded columns of the two are uncorrelated.

    Parameters
    ----------
    design : DataFrame
        One column per attribute.
    levels : mapping, optional
        Attribute levels (default: the levels found in the design, in order of
        appearance).
    tol : float
        Tolerance on correlations and frequencies.

    Returns
    -------
    DataFrame
        One row per attribute pair: ``attribute_a``, ``attribute_b``,
        ``max_abs_correlation`` (largest absolute correlation between an effects-coded
        column of a and one of b), ``orthogonal`` (bool), ``balanced`` (both attributes
        show each level equally often). ``attrs["orthogonal"]`` is True when every pair
        is orthogonal.
    """
    check_dataframe(design, "design")
    if levels is None:
        levels = {c: list(pd.unique(design[c])) for c in design.columns}
    levels = _check_levels(levels)
    X = effects_code(design, levels)
    rows = []
    for a, b in itertools.combinations(levels, 2):
        ca = [c for c in X.columns if c.startswith(f"{a}[")]
        cb = [c for c in X.columns if c.startswith(f"{b}[")]
        xa = X[ca].to_numpy() - X[ca].to_numpy().mean(axis=0)
        xb = X[cb].to_numpy() - X[cb].to_numpy().mean(axis=0)
        na = np.sqrt((xa**2).sum(axis=0))
        nb = np.sqrt((xb**2).sum(axis=0))
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = (xa.T @ xb) / np.outer(na, nb)
        tab = pd.crosstab(design[a], design[b]).to_numpy(dtype=float)
        expected = np.outer(tab.sum(1), tab.sum(0)) / tab.sum()
        bal_a = design[a].value_counts().nunique() == 1 and design[a].nunique() == len(levels[a])
        bal_b = design[b].value_counts().nunique() == 1 and design[b].nunique() == len(levels[b])
        rows.append(
            {
                "attribute_a": a,
                "attribute_b": b,
                "max_abs_correlation": float(np.nanmax(np.abs(corr))) if corr.size else 0.0,
                "orthogonal": bool(np.allclose(tab, expected, atol=tol)),
                "balanced": bool(bal_a and bal_b),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=["attribute_a", "attribute_b", "max_abs_correlation", "orthogonal", "balanced"],
    )
    out.attrs["orthogonal"] = bool(out["orthogonal"].all())
    return out
