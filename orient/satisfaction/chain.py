"""The attribute -> satisfaction -> loyalty -> profit chain in business units.

:func:`chain_effects`: (weighted) least squares with case-resampling bootstrap
percentile intervals, one multiple regression for the attributes and one regression
per loyalty or money outcome. The bootstrap resamples respondents once for all links
and solves each resample from the weighted moments of the rows it drew
(:func:`_bootstrap`), not refitting on them.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import (
    check_columns,
    check_confidence,
    check_dataframe,
    check_numeric_columns,
    check_positive_int,
    check_seed,
)
from orient.errors import OrientWarning
from orient.satisfaction._checks import _weights_of
from orient.stats import joint_resample_moments

__all__ = ["chain_effects"]


def _wls(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    # normal equations on centred data: small k, and much faster than an SVD per resample
    sw = w / w.sum()
    Xc = X - sw @ X
    yc = y - sw @ y
    XtW = Xc.T * sw
    try:
        return np.linalg.solve(XtW @ Xc, XtW @ yc)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(XtW @ Xc, XtW @ yc, rcond=None)[0]


def _solve(a: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(a, rhs)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(a, rhs, rcond=None)[0]


def _bootstrap(
    n: int, links: list[tuple], n_boot: int, rng: np.random.Generator
) -> list[np.ndarray]:
    """Each link's weighted least-squares coefficients (n_boot, columns of its X) in
    bootstrap resamples of the ``n`` respondents, one resample for all links: a link
    uses the drawn respondents it has complete data for (``links``: ``(rows, X, y,
    w)``, ``rows`` the mask of those respondents), who keep their weights ``w``.

    Least squares depends on the rows only through the weighted means and covariances
    of ``[X, y]``, so each resample is solved from those of the rows it drew
    (:func:`orient.stats.joint_resample_moments`: resample counts times ``w`` as
    weights), the same normal equations as :func:`_wls` on the resampled rows, at a
    cost linear in the rows and memory independent of them; drawing the resamples
    once for all links (rather than per link) makes their cost that of one link.
    NaN for a resample with no more of a link's rows than its coefficients (as the
    estimate on all rows requires). Up to :data:`orient.stats.RESAMPLE_BLOCK`
    respondents the resamples are those of one ``rng.integers(0, n, n)`` per resample.
    """
    parts = [(rows, np.column_stack([X, y]), w) for rows, X, y, w in links]
    out = [np.full((n_boot, X.shape[1]), np.nan) for _, X, _, _ in links]
    done = 0
    for chunk in joint_resample_moments(n, parts, rng, n_boot):
        for (_, X, _, _), res, (_, cov, drawn) in zip(links, out, chunk, strict=True):
            k = X.shape[1]
            ok = drawn > k + 1
            a, rhs = cov[ok, :k, :k], cov[ok, :k, k]
            try:
                beta = np.linalg.solve(a, rhs[..., None])[..., 0]
            except np.linalg.LinAlgError:  # a singular resample: as _wls, least squares
                beta = np.stack([_solve(ai, ri) for ai, ri in zip(a, rhs, strict=True)])
            res[done : done + len(cov)][ok] = beta
        done += len(chunk[0][1])
    return out


class _TooFewRows(ValueError):
    """No more complete rows than a regression's coefficients."""


def chain_effects(
    data: pd.DataFrame,
    *,
    satisfaction: str,
    attributes: Sequence[str] = (),
    outcomes: Mapping[str, tuple[str, float, str]] | None = None,
    controls: Sequence[str] = (),
    weights: Any = None,
    n_boot: int = 1000,
    seed: int | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """The attribute -> satisfaction -> loyalty -> profit chain in business units.

    Two kinds of regression, both (weighted) least squares with case-resampling
    bootstrap percentile intervals:

    - attributes -> satisfaction: one multiple regression of ``satisfaction`` on all
      ``attributes`` (effect = points of satisfaction per rating point of the attribute,
      the others held fixed);
    - satisfaction -> each outcome: a regression per outcome on ``satisfaction`` and the
      ``controls`` (effect = change in the outcome, times its ``multiplier``, per point
      of satisfaction), e.g. retained (0/1) x 100 = percentage points of retention,
      revenue = currency per customer.

    Rows with a missing value in a regression's columns are left out of that
    regression; ``n`` says how many were used.

    Parameters
    ----------
    data : DataFrame
    satisfaction : str
        The satisfaction column (usually the 0-100 index).
    attributes : sequence of str
        Attribute rating columns.
    outcomes : mapping name -> (column, multiplier, unit)
        Loyalty and profit outcomes, e.g. ``{"retention": ("retained", 100, "pp")}``.
    controls : sequence of str
        Categorical columns held fixed in the satisfaction -> outcome regressions
        (entered as indicator variables), e.g. the segment when segments differ both in
        satisfaction and in revenue per customer.
    weights : str or array-like, optional
    n_boot : int, default 1000
        Bootstrap resamples (0: no intervals). Each resample draws ``len(data)``
        respondents with replacement (keeping their weights), the same resample for
        every regression, each using the drawn respondents complete in its columns.
    seed : int, optional
    confidence : float, default 0.95

    Returns
    -------
    DataFrame
        One row per link, columns: ``stage`` ("attributes -> satisfaction" or
        "satisfaction -> outcome"), ``from``, ``to``, ``effect``, ``ci_low``,
        ``ci_high``, ``unit`` (what one unit of ``from`` buys in ``to``), ``n``.
    """
    data = check_dataframe(data)
    outcomes = dict(outcomes or {})
    cols = [satisfaction, *attributes, *(c for c, _, _ in outcomes.values())]
    check_columns(data, cols + list(controls))
    check_numeric_columns(data, cols)
    n_boot = check_positive_int(n_boot, "n_boot", allow_zero=True)
    seed = check_seed(seed)
    confidence = check_confidence(confidence)
    w_all = _weights_of(data, weights)
    w_all = np.ones(len(data)) if w_all is None else w_all
    if controls:
        dummies = pd.get_dummies(
            data[list(controls)].astype("string"), drop_first=True, dtype=float
        )
        ctrl_ok = data[list(controls)].notna().all(axis=1).to_numpy()
        C = dummies.to_numpy(dtype=float)
    else:
        ctrl_ok, C = np.ones(len(data), bool), np.empty((len(data), 0))
    a = (1 - confidence) / 2

    def prepare(xcols: list[str], ycol: str, mult: float, use_controls: bool):
        ok = data[xcols + [ycol]].notna().all(axis=1).to_numpy().copy()
        if use_controls:
            ok &= ctrl_ok
        X = data.loc[ok, xcols].to_numpy(dtype=float)
        if use_controls and C.shape[1]:
            X = np.column_stack([X, C[ok]])
        y = data.loc[ok, ycol].to_numpy(dtype=float) * mult
        if len(y) <= X.shape[1] + 1:
            raise _TooFewRows(
                f"Too few complete rows ({len(y)}) to regress {ycol!r} on {', '.join(xcols)}."
            )
        if np.ptp(y) == 0:
            warnings.warn(
                f"chain_effects: {ycol!r} does not vary; its effect is 0.",
                OrientWarning,
                stacklevel=3,
            )
        return ok, X, y, w_all[ok]

    links = []  # (row template, regression's rows X y w, coefficients reported)
    if attributes:
        stage = {"stage": "attributes -> satisfaction", "to": satisfaction,
                 "unit": f"points of {satisfaction} per rating point"}  # fmt: skip
        links.append(([{**stage, "from": c} for c in attributes],
                      prepare(list(attributes), satisfaction, 1.0, False)))  # fmt: skip
    for name, (col, mult, unit) in outcomes.items():
        try:
            reg = prepare([satisfaction], col, float(mult), True)
        except _TooFewRows as exc:  # one outcome with too few answers: that link only
            warnings.warn(f"chain_effects: {exc} The link to {name!r} is left out.",
                          OrientWarning, stacklevel=2)  # fmt: skip
            continue
        stage = {"stage": "satisfaction -> outcome", "from": satisfaction, "to": name,
                 "unit": f"{unit} per point of {satisfaction}"}  # fmt: skip
        links.append(([stage], reg))
    if n_boot:
        boots = _bootstrap(len(data), [reg for _, reg in links], n_boot,
                           np.random.default_rng(seed))  # fmt: skip
    rows = []
    for i, (templates, (_, X, y, w)) in enumerate(links):
        k = len(templates)
        est = _wls(X, y, w)[:k]
        if n_boot:
            lo = np.nanquantile(boots[i][:, :k], a, axis=0)
            hi = np.nanquantile(boots[i][:, :k], 1 - a, axis=0)
        else:
            lo = hi = np.full(k, np.nan)
        for j, row in enumerate(templates):
            rows.append({**row, "effect": est[j], "ci_low": lo[j], "ci_high": hi[j],
                         "n": len(y)})  # fmt: skip
    return pd.DataFrame(
        rows, columns=["stage", "from", "to", "effect", "ci_low", "ci_high", "unit", "n"]
    )
