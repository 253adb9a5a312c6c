"""Stage IV: implementation. Priorities become changes in products and processes.

Five tools, each a pure function on DataFrames, and :func:`analyse` that runs them on a
company:

* **House of quality** (quality function deployment): :func:`house_of_quality` weighs the
  technical characteristics by the customer requirements they serve (the 9/3/1 matrix);
  :func:`qfd_roof` reads the roof of correlations; :func:`qfd_flags` lists design gaps;
  :func:`build_house` puts the whole house (requirements with competitive gaps,
  characteristics with competitor benchmark and targets, roof, flags) together.
* **Action plan**: :func:`driver_model` (OLS of overall satisfaction on the attributes),
  :func:`what_if` (predicted gain when an attribute moves to its target) and
  :func:`action_plan` (owner, KPI, target, deadline, cost, gain, ROI, payback).
* **Conjoint analysis**: :func:`full_factorial`, :func:`fractional_factorial`,
  :func:`design_orthogonality`; :func:`ratings_conjoint` (per-respondent OLS, effects
  coding); :func:`choice_conjoint` (conditional logit through statsmodels, with willingness
  to pay); :func:`simulate_market` (first-choice and logit share of preference).
* **Investment appraisal**: :func:`appraise` (payback months, ROI, NPV, IRR).
* **The improvement loop**: :func:`improvement_loop` (which attributes changed quadrant
  between two waves and which stage each change sends the reader back to).
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from ._json import number as _num
from ._memo import memoised as _memoised
from ._validate import (
    check_choice,
    check_columns,
    check_confidence,
    check_dataframe,
    check_numeric_columns,
    check_positive_int,
    check_seed,
)
from .errors import DataError, OrientWarning

__all__ = [
    "HouseOfQuality",
    "ConjointResult",
    "ImplementationResult",
    "STRENGTHS",
    "ROOF_SYMBOLS",
    "house_of_quality",
    "qfd_roof",
    "qfd_flags",
    "build_house",
    "driver_model",
    "what_if",
    "action_plan",
    "full_factorial",
    "fractional_factorial",
    "design_orthogonality",
    "effects_code",
    "ratings_conjoint",
    "choice_conjoint",
    "simulate_market",
    "conjoint_responses",
    "appraise",
    "improvement_loop",
    "analyse",
    "headline",
]

#: the relationship strengths a house of quality allows (none, weak, medium, strong)
STRENGTHS = (0, 1, 3, 9)
#: roof symbols and the numbers they stand for
ROOF_SYMBOLS = {"++": 2, "+": 1, "-": -1, "--": -2}
_QUADRANTS = ("improve", "keep_advantage", "maintain_or_reduce", "low_priority")
_HIGH_IMPORTANCE = {"improve", "keep_advantage"}
_HIGH_PERFORMANCE = {"keep_advantage", "maintain_or_reduce"}


# ---------------------------------------------------------------------------------
# house of quality
# ---------------------------------------------------------------------------------


def _check_requirements(requirements: Any) -> pd.Series:
    if isinstance(requirements, Mapping):
        requirements = pd.Series(dict(requirements), dtype=float)
    if not isinstance(requirements, pd.Series):
        raise TypeError(
            "`requirements` must be a pandas Series of weights indexed by requirement; "
            f"got {type(requirements).__name__}."
        )
    if not pd.api.types.is_numeric_dtype(requirements):
        raise TypeError(f"`requirements` must be numeric; it has dtype {requirements.dtype}.")
    if requirements.index.has_duplicates:
        dup = requirements.index[requirements.index.duplicated()][0]
        raise ValueError(f"`requirements` names requirement {dup!r} more than once.")
    bad = ~np.isfinite(requirements.to_numpy(dtype=float)) | (requirements.to_numpy(float) < 0)
    if bad.any():
        name = requirements.index[np.flatnonzero(bad)[0]]
        raise ValueError(
            f"`requirements` weight of {name!r} is {requirements[name]!r}; "
            "weights must be finite and >= 0."
        )
    if float(requirements.sum()) <= 0:
        raise ValueError("`requirements` weights sum to 0; at least one must be > 0.")
    return requirements.astype(float)


def _check_relationships(
    relationships: Any,
    requirements: pd.Series,
    characteristics: Sequence[str] | None,
) -> pd.DataFrame:
    rel = check_dataframe(relationships, "relationships")
    if rel.columns.has_duplicates:
        dup = rel.columns[rel.columns.duplicated()][0]
        raise ValueError(f"`relationships` names characteristic {dup!r} more than once.")
    if rel.index.has_duplicates:
        dup = rel.index[rel.index.duplicated()][0]
        raise ValueError(f"`relationships` names requirement {dup!r} more than once.")
    unknown = [r for r in rel.index if r not in requirements.index]
    if unknown:
        raise ValueError(
            f"`relationships` names requirement {unknown[0]!r}, which is not among the "
            f"requirements ({', '.join(map(str, requirements.index))})."
        )
    if characteristics is not None:
        known = list(characteristics)
        extra = [c for c in rel.columns if c not in known]
        if extra:
            raise ValueError(
                f"`relationships` names characteristic {extra[0]!r}, which is not among "
                f"the technical characteristics ({', '.join(map(str, known))})."
            )
    values = rel.apply(pd.to_numeric, errors="coerce")
    for col in rel.columns:
        for req, raw, num in zip(rel.index, rel[col], values[col], strict=True):
            if pd.isna(raw):
                continue  # a blank cell is "no relationship"
            if pd.isna(num) or float(num) not in STRENGTHS:
                raise ValueError(
                    f"`relationships` strength of requirement {req!r} on characteristic "
                    f"{col!r} is {raw!r}; strengths must be one of 0, 1, 3, 9 "
                    "(none, weak, medium, strong)."
                )
    return values.fillna(0.0).reindex(requirements.index, fill_value=0.0).astype(float)


def house_of_quality(
    requirements: pd.Series,
    relationships: pd.DataFrame,
    *,
    characteristics: Sequence[str] | None = None,
    warn: bool = True,
) -> pd.DataFrame:
    """Technical importance of each characteristic in a house of quality.

    The importance of a technical characteristic is the sum, over the customer
    requirements, of the requirement's weight times the strength of its relationship to
    the characteristic (9 strong, 3 medium, 1 weak, 0 or blank none).

    Parameters
    ----------
    requirements : Series
        Weight of each customer requirement (e.g. stage III derived importance), >= 0.
    relationships : DataFrame
        Requirements (index) x technical characteristics (columns); entries 0, 1, 3 or
        9, blank (NaN) for none. Requirements absent from the index relate to nothing.
    characteristics : sequence of str, optional
        The known technical characteristics; a column not among them is an error, and
        one of them missing from ``relationships`` gets importance 0.
    warn : bool, default True
        Warn (:class:`~orient.OrientWarning`) about a requirement with no strong (9)
        relationship and a characteristic that serves no requirement; see
        :func:`qfd_flags`.

    Returns
    -------
    DataFrame
        Indexed by characteristic (in the order of ``relationships``' columns):

        - ``importance``: absolute technical importance, sum of weight x strength.
        - ``relative``: importance as a share of the total (sums to 1).
        - ``rank``: 1 for the most important (ties share the lower rank).

    Raises
    ------
    ValueError
        A strength other than 0/1/3/9, a requirement or characteristic name that is not
        known, a negative weight.

    Examples
    --------
    >>> import pandas as pd
    >>> req = pd.Series({"fast delivery": 0.6, "low price": 0.4})
    >>> rel = pd.DataFrame({"lead time": [9, 1], "unit cost": [0, 9]}, index=req.index)
    >>> house_of_quality(req, rel)["importance"].tolist()
    [5.8, 3.6]
    """
    req = _check_requirements(requirements)
    rel = _check_relationships(relationships, req, characteristics)
    if characteristics is not None:
        rel = rel.reindex(columns=list(characteristics), fill_value=0.0)
    importance = rel.mul(req, axis=0).sum(axis=0)
    total = float(importance.sum())
    out = pd.DataFrame(
        {
            "importance": importance.astype(float),
            "relative": importance / total if total > 0 else np.nan,
            "rank": importance.rank(ascending=False, method="min").astype(int),
        }
    )
    out.index.name = "characteristic"
    if warn:
        flags = qfd_flags(rel)
        for _, row in flags.iterrows():
            warnings.warn(f"House of quality: {row['message']}", OrientWarning, stacklevel=2)
    return out


def qfd_flags(relationships: pd.DataFrame, roof: pd.DataFrame | None = None,
              technical: pd.DataFrame | None = None) -> pd.DataFrame:
    """Design gaps in a house of quality.

    Parameters
    ----------
    relationships : DataFrame
        Requirements x characteristics, strengths 0/1/3/9 (blank = 0).
    roof : DataFrame, optional
        The roof from :func:`qfd_roof`; negative correlations between two characteristics
        in the top half of ``technical``'s ranks are flagged as trade-offs to resolve.
    technical : DataFrame, optional
        The result of :func:`house_of_quality` (needed with ``roof``).

    Returns
    -------
    DataFrame
        One row per flag, columns:

        - ``kind``: ``"no_strong_relationship"`` (a requirement no characteristic
          strongly serves: a gap in the design), ``"serves_nothing"`` (a characteristic
          with no relationship to any requirement) or ``"trade_off"`` (two important
          characteristics that work against each other in the roof).
        - ``name``: the requirement, characteristic or ``"a / b"`` pair.
        - ``message``: the flag in plain words.
    """
    rel = check_dataframe(relationships, "relationships").apply(pd.to_numeric).fillna(0.0)
    rows = []
    for req, vals in rel.iterrows():
        if not (vals == 9).any():
            best = vals.max()
            rows.append({
                "kind": "no_strong_relationship",
                "name": req,
                "message": f"requirement {req!r} has no strong (9) relationship to any "
                f"technical characteristic (strongest: {int(best)}): a gap in the design.",
            })
    for char in rel.columns:
        if not (rel[char] > 0).any():
            rows.append({
                "kind": "serves_nothing",
                "name": char,
                "message": f"characteristic {char!r} serves no customer requirement.",
            })
    if roof is not None and technical is not None:
        top = set(technical.index[technical["rank"] <= max(1, math.ceil(len(technical) / 2))])
        for a, b in itertools.combinations(roof.index, 2):
            if a in top and b in top and roof.loc[a, b] < 0:
                rows.append({
                    "kind": "trade_off",
                    "name": f"{a} / {b}",
                    "message": f"important characteristics {a!r} and {b!r} work against "
                    "each other (negative roof correlation): resolve the trade-off.",
                })
    return pd.DataFrame(rows, columns=["kind", "name", "message"])


def qfd_roof(correlations: Any, characteristics: Sequence[str]) -> pd.DataFrame:
    """The roof of a house of quality: how technical characteristics affect each other.

    Parameters
    ----------
    correlations : DataFrame or sequence of (a, b, symbol)
        Pairs of characteristics with a symbol ``"++"`` (strong positive), ``"+"``,
        ``"-"`` or ``"--"`` (strong negative), or the numbers 2, 1, -1, -2. A DataFrame
        needs columns ``a``, ``b``, ``correlation``.
    characteristics : sequence of str
        The characteristics of the house (rows and columns of the roof).

    Returns
    -------
    DataFrame
        Symmetric characteristics x characteristics matrix of integers in -2..2
        (0 = no correlation, diagonal 0).
    """
    chars = list(characteristics)
    roof = pd.DataFrame(0, index=chars, columns=chars, dtype=int)
    roof.index.name = "characteristic"
    if correlations is None:
        return roof
    if isinstance(correlations, pd.DataFrame):
        check_columns(correlations, ["a", "b", "correlation"], "correlations")
        items = list(correlations[["a", "b", "correlation"]].itertuples(index=False))
    else:
        items = list(correlations)
    allowed = {**ROOF_SYMBOLS, **{v: v for v in ROOF_SYMBOLS.values()}}
    for item in items:
        if len(item) != 3:
            raise ValueError(f"`correlations` entries must be (a, b, symbol); got {item!r}.")
        a, b, sym = item
        for name in (a, b):
            if name not in chars:
                raise ValueError(
                    f"`correlations` names characteristic {name!r}, which is not among the "
                    f"technical characteristics ({', '.join(map(str, chars))})."
                )
        if a == b:
            raise ValueError(f"`correlations` relates characteristic {a!r} to itself.")
        key = sym.strip() if isinstance(sym, str) else sym
        if key not in allowed or isinstance(key, bool):
            raise ValueError(
                f"`correlations` symbol for {a!r} / {b!r} is {sym!r}; allowed: "
                "'++', '+', '-', '--' (or 2, 1, -1, -2)."
            )
        roof.loc[a, b] = roof.loc[b, a] = int(allowed[key])
    return roof


@dataclass(frozen=True)
class HouseOfQuality:
    """A whole house of quality.

    Attributes
    ----------
    requirements : DataFrame
        Indexed by requirement: ``weight``, ``relative_weight`` (sums to 1),
        ``performance``, ``competitor``, ``gap`` (performance - competitor; NaN where
        not given), ``strongest`` (strongest relationship, 0-9).
    relationships : DataFrame
        Requirements x characteristics, strengths 0/1/3/9.
    technical : DataFrame
        Indexed by characteristic: ``importance``, ``relative``, ``rank`` (as
        :func:`house_of_quality`) then ``unit``, ``direction``, ``current``,
        ``competitor``, ``target`` (NaN/None where not given), ``beats_competitor``
        (current better than competitor given the direction; None when unknown).
    roof : DataFrame
        Characteristics x characteristics, -2..2 (see :func:`qfd_roof`).
    flags : DataFrame
        Design gaps (see :func:`qfd_flags`).
    """

    requirements: pd.DataFrame
    relationships: pd.DataFrame
    technical: pd.DataFrame
    roof: pd.DataFrame
    flags: pd.DataFrame


def build_house(
    requirements: pd.Series,
    relationships: pd.DataFrame,
    *,
    characteristics: pd.DataFrame | None = None,
    correlations: Any = None,
    performance: pd.Series | None = None,
    competitor: pd.Series | None = None,
) -> HouseOfQuality:
    """Build the full house of quality: requirements, matrix, technical columns, roof.

    Parameters
    ----------
    requirements : Series
        Weight of each customer requirement (stage III derived importance).
    relationships : DataFrame
        Requirements x characteristics, strengths 0/1/3/9 (blank = 0).
    characteristics : DataFrame, optional
        Indexed by characteristic key, optional columns ``label``, ``unit``,
        ``direction`` (``"maximise"``, ``"minimise"`` or ``"target"``), ``current``,
        ``competitor``, ``target``. Its index is the list of known characteristics.
    correlations : see :func:`qfd_roof`
    performance, competitor : Series, optional
        Own and competitor mean rating of each requirement (the competitive benchmark
        on the customer side).

    Returns
    -------
    HouseOfQuality
    """
    req = _check_requirements(requirements)
    known = list(characteristics.index) if characteristics is not None else None
    technical = house_of_quality(req, relationships, characteristics=known, warn=False)
    rel = _check_relationships(relationships, req, known).reindex(
        columns=technical.index, fill_value=0.0
    )
    chars = list(technical.index)
    info = (characteristics if characteristics is not None else pd.DataFrame(index=chars))
    info = info.reindex(chars)
    for col, default in (("label", None), ("unit", None), ("direction", None),
                         ("current", np.nan), ("competitor", np.nan), ("target", np.nan)):
        technical[col] = info[col].to_numpy() if col in info.columns else default
    for col in ("current", "competitor", "target"):
        technical[col] = pd.to_numeric(technical[col], errors="coerce").astype(float)
    beats = []
    for _, row in technical.iterrows():
        cur, comp, d = row["current"], row["competitor"], row["direction"]
        if pd.isna(cur) or pd.isna(comp) or d not in ("maximise", "minimise", "target"):
            beats.append(None)
        elif d == "maximise":
            beats.append(bool(cur > comp))
        elif d == "minimise":
            beats.append(bool(cur < comp))
        else:
            tgt = row["target"]
            beats.append(None if pd.isna(tgt) else bool(abs(cur - tgt) < abs(comp - tgt)))
    technical["beats_competitor"] = pd.Series(beats, index=technical.index, dtype=object)
    reqs = pd.DataFrame({"weight": req, "relative_weight": req / req.sum()})
    reqs["performance"] = (performance.reindex(req.index).astype(float)
                           if performance is not None else np.nan)
    reqs["competitor"] = (competitor.reindex(req.index).astype(float)
                          if competitor is not None else np.nan)
    reqs["gap"] = reqs["performance"] - reqs["competitor"]
    reqs["strongest"] = rel.max(axis=1).astype(int) if len(chars) else 0
    reqs.index.name = "requirement"
    roof = qfd_roof(correlations, chars)
    flags = qfd_flags(rel, roof, technical)
    return HouseOfQuality(reqs, rel, technical, roof, flags)


# ---------------------------------------------------------------------------------
# driver model, what-if and the action plan
# ---------------------------------------------------------------------------------


def driver_model(
    data: pd.DataFrame,
    target: str,
    drivers: Sequence[str],
    *,
    weights: Any = None,
    confidence: float = 0.95,
    n_boot: int = 0,
    seed: int | None = None,
) -> pd.DataFrame:
    """Linear driver model: OLS (WLS with weights) of overall satisfaction on attributes.

    Rows with a missing value in ``target`` or any driver are left out.

    Parameters
    ----------
    data : DataFrame
    target : str
        Overall satisfaction column.
    drivers : sequence of str
        Attribute columns.
    weights : array-like or str, optional
        Respondent weights (a column name or one weight per row).
    confidence : float, default 0.95
    n_boot : int, default 0
        When > 0, ``ci_low``/``ci_high`` are bootstrap percentile intervals from
        ``n_boot`` resamples of respondents (``std_error`` stays the OLS one).
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        Indexed by driver: ``estimate`` (unstandardised coefficient, points of overall per
        point of the attribute), ``std_error``, ``ci_low``, ``ci_high``, ``p_value``,
        ``n`` (respondents used). ``attrs["r2"]`` holds the model R^2 and
        ``attrs["intercept"]`` the intercept.
    """
    import statsmodels.api as sm

    data = check_dataframe(data)
    drivers = list(drivers)
    if not drivers:
        raise ValueError("`drivers` must name at least one attribute column.")
    check_columns(data, [target, *drivers])
    check_numeric_columns(data, [target, *drivers])
    confidence = check_confidence(confidence)
    n_boot = check_positive_int(n_boot, "n_boot", allow_zero=True)
    seed = check_seed(seed)
    if isinstance(weights, str):
        check_columns(data, [weights])
        w_all = data[weights].to_numpy(dtype=float)
    elif weights is not None:
        w_all = np.asarray(weights, dtype=float)
        if w_all.shape != (len(data),):
            raise ValueError(f"`weights` must be one per row ({len(data)}); got {w_all.shape}.")
    else:
        w_all = np.ones(len(data))
    keep = data[[target, *drivers]].notna().all(axis=1).to_numpy() & np.isfinite(w_all)
    y = data.loc[keep, target].to_numpy(dtype=float)
    X = sm.add_constant(data.loc[keep, drivers].to_numpy(dtype=float), has_constant="add")
    w = w_all[keep]
    n = int(keep.sum())
    if n <= len(drivers) + 1:
        raise ValueError(
            f"`data` has {n} complete rows for {len(drivers)} drivers; the driver model "
            f"needs more than {len(drivers) + 1}."
        )
    fit = sm.WLS(y, X, weights=w).fit()
    alpha = 1 - confidence
    ci = fit.conf_int(alpha)
    out = pd.DataFrame(
        {
            "estimate": fit.params[1:],
            "std_error": fit.bse[1:],
            "ci_low": ci[1:, 0],
            "ci_high": ci[1:, 1],
            "p_value": fit.pvalues[1:],
            "n": n,
        },
        index=pd.Index(drivers, name="driver"),
    )
    if n_boot > 0:
        rng = np.random.default_rng(seed)
        boots = np.empty((n_boot, len(drivers)))
        for b in range(n_boot):
            idx = rng.integers(0, n, n)
            sw = np.sqrt(w[idx])
            boots[b] = np.linalg.lstsq(X[idx] * sw[:, None], y[idx] * sw, rcond=None)[0][1:]
        out["ci_low"] = np.quantile(boots, alpha / 2, axis=0)
        out["ci_high"] = np.quantile(boots, 1 - alpha / 2, axis=0)
    out.attrs["r2"] = float(fit.rsquared)
    out.attrs["intercept"] = float(fit.params[0])
    return out


def what_if(
    model: pd.DataFrame,
    current: pd.Series,
    target: pd.Series,
    *,
    overall_scale: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Predicted gain in overall satisfaction if attributes move to target performance.

    The gain of moving attribute *j* from its current mean to a target is
    ``b_j * (target - current)`` with ``b_j`` the driver model's coefficient; its interval
    is the coefficient's interval times the change. In the 0-100 index (overall rescaled
    from its scale ends to 0-100) the gain is ``100 * gain / (max - min)``.

    Parameters
    ----------
    model : DataFrame
        From :func:`driver_model` (``estimate``, ``ci_low``, ``ci_high`` by driver).
    current, target : Series
        Current and target mean performance by attribute (on the attribute's scale).
    overall_scale : (min, max), optional
        Scale ends of overall satisfaction for the index columns.

    Returns
    -------
    DataFrame
        Indexed by attribute (those in ``target``): ``current``, ``target``, ``change``,
        ``coefficient``, ``gain``, ``ci_low``, ``ci_high`` (points of overall), and
        ``index_gain``, ``index_ci_low``, ``index_ci_high`` (points of the 0-100 index;
        NaN without ``overall_scale``).
    """
    check_dataframe(model, "model")
    check_columns(model, ["estimate", "ci_low", "ci_high"], "model")
    target = pd.Series(target, dtype=float)
    current = pd.Series(current, dtype=float)
    unknown = [a for a in target.index if a not in model.index]
    if unknown:
        raise ValueError(
            f"`target` names attribute {unknown[0]!r}, which is not a driver of `model` "
            f"({', '.join(map(str, model.index))})."
        )
    missing = [a for a in target.index if a not in current.index]
    if missing:
        raise ValueError(f"`current` has no performance for attribute {missing[0]!r}.")
    attrs = list(target.index)
    cur = current.reindex(attrs)
    change = target - cur
    b = model.loc[attrs, "estimate"]
    lo = model.loc[attrs, "ci_low"] * change
    hi = model.loc[attrs, "ci_high"] * change
    out = pd.DataFrame(
        {
            "current": cur,
            "target": target,
            "change": change,
            "coefficient": b,
            "gain": b * change,
            "ci_low": np.minimum(lo, hi),
            "ci_high": np.maximum(lo, hi),
        }
    )
    if overall_scale is not None:
        lo_s, hi_s = map(float, overall_scale)
        if not hi_s > lo_s:
            raise ValueError(f"`overall_scale` must be (min, max) with max > min; got {overall_scale!r}.")
        k = 100.0 / (hi_s - lo_s)
    else:
        k = np.nan
    out["index_gain"] = out["gain"] * k
    out["index_ci_low"] = out["ci_low"] * k
    out["index_ci_high"] = out["ci_high"] * k
    out.index.name = "attribute"
    return out


_PLAN_COLUMNS = [
    "quadrant", "owner", "kpi", "kpi_target", "deadline", "current", "target",
    "target_source", "change", "coefficient", "gain", "ci_low", "ci_high", "index_gain",
    "index_ci_low", "index_ci_high", "cost", "annual_benefit", "roi", "payback_months",
    "gain_per_cost",
]


def _actions_frame(actions: Any) -> pd.DataFrame:
    if actions is None:
        return pd.DataFrame(columns=["attribute"]).set_index("attribute")
    if isinstance(actions, pd.DataFrame):
        frame = actions.copy()
        if "attribute" in frame.columns:
            frame = frame.set_index("attribute")
    else:
        rows = []
        for item in actions:
            if hasattr(item, "model_dump"):
                item = item.model_dump()
            rows.append(dict(item))
        frame = pd.DataFrame(rows)
        if len(frame):
            check_columns(frame, ["attribute"], "actions")
            frame = frame.set_index("attribute")
        else:
            frame = pd.DataFrame(columns=["attribute"]).set_index("attribute")
    if frame.index.has_duplicates:
        dup = frame.index[frame.index.duplicated()][0]
        raise ValueError(f"`actions` lists attribute {dup!r} more than once.")
    return frame


def action_plan(
    matrix: pd.DataFrame,
    model: pd.DataFrame,
    *,
    actions: Any = None,
    current: pd.Series | None = None,
    competitor: pd.Series | None = None,
    scale: Mapping[str, tuple[float, float]] | tuple[float, float] | None = None,
    overall_scale: tuple[float, float] | None = None,
    value_per_point: float | None = None,
    horizon_years: float = 1.0,
    order: str = "gain_per_cost",
) -> pd.DataFrame:
    """The action plan: what to change, who owns it, and what it should return.

    Takes every ``improve`` attribute, then every ``keep_advantage`` attribute of the stage
    III strategic matrix, joins the owner, KPI, target, deadline and cost from
    company.yaml (``actions``) and predicts the gain in overall satisfaction (and in the
    0-100 index) if the attribute moves from its current to its target performance
    (:func:`what_if` on the :func:`driver_model`).

    Target performance: the ``target`` given in ``actions``; else the competitor's mean
    where it is higher than ours (``target_source="competitor"``); else current plus a
    tenth of the scale range, capped at the scale top (``"rule"``).

    Parameters
    ----------
    matrix : DataFrame
        Stage III strategic matrix indexed by attribute with columns ``importance``,
        ``performance``, ``quadrant``, ``action``.
    model : DataFrame
        From :func:`driver_model`.
    actions : list of dict or DataFrame, optional
        One entry per attribute: ``attribute`` and any of ``action`` (what will be done),
        ``owner``, ``kpi``, ``kpi_target``, ``target`` (performance target on the
        attribute's rating scale), ``deadline``, ``cost`` (one-off, in the company's
        currency), ``annual_benefit`` (overrides the value from ``value_per_point``).
    current : Series, optional
        Current mean performance by attribute (default ``matrix["performance"]``).
    competitor : Series, optional
        Competitor mean performance by attribute.
    scale : (min, max) or mapping attribute -> (min, max), optional
        Rating scale of the attributes (targets outside it are an error).
    overall_scale : (min, max), optional
        Scale of overall satisfaction, for the 0-100 index.
    value_per_point : float, optional
        Annual money value of +1 point of mean overall satisfaction; gives
        ``annual_benefit = gain x value_per_point``.
    horizon_years : float, default 1
        Years over which ROI counts the benefit.
    order : {"gain_per_cost", "quadrant"}
        ``"gain_per_cost"`` sorts all actions by expected gain per unit cost (highest
        first; actions without cost last, by gain); ``"quadrant"`` keeps ``improve``
        before ``keep_advantage`` and sorts by gain per cost within each.

    Returns
    -------
    DataFrame
        Indexed by attribute: ``quadrant``, ``owner``, ``kpi``, ``kpi_target``,
        ``deadline``, ``current``, ``target``, ``target_source``, ``change``,
        ``coefficient``, ``gain``, ``ci_low``, ``ci_high`` (overall points),
        ``index_gain``, ``index_ci_low``, ``index_ci_high`` (0-100 index points), ``cost``,
        ``annual_benefit``, ``roi`` (``(annual_benefit x horizon - cost) / cost``),
        ``payback_months`` (``12 x cost / annual_benefit``; NaN when there is no benefit),
        ``gain_per_cost`` (overall points per unit of currency). Also ``action`` when
        ``actions`` describe one.
    """
    check_dataframe(matrix, "matrix")
    check_columns(matrix, ["importance", "performance", "quadrant"], "matrix")
    check_choice(order, ("gain_per_cost", "quadrant"), "order")
    bad = [q for q in matrix["quadrant"] if q not in _QUADRANTS]
    if bad:
        raise ValueError(
            f"`matrix` quadrant {bad[0]!r} is not one of {', '.join(_QUADRANTS)}."
        )
    acts = _actions_frame(actions)
    unknown = [a for a in acts.index if a not in matrix.index]
    if unknown:
        raise ValueError(
            f"`actions` names attribute {unknown[0]!r}, which is not in the strategic "
            f"matrix ({', '.join(map(str, matrix.index))})."
        )
    chosen = [a for q in ("improve", "keep_advantage") for a in matrix.index
              if matrix.loc[a, "quadrant"] == q]
    cur = (pd.Series(current, dtype=float) if current is not None
           else matrix["performance"].astype(float))
    comp = pd.Series(competitor, dtype=float) if competitor is not None else pd.Series(dtype=float)

    def scale_of(a):
        if scale is None:
            return None
        if isinstance(scale, Mapping):
            return scale.get(a)
        return scale

    targets, sources = {}, {}
    for a in chosen:
        given = acts.loc[a, "target"] if (a in acts.index and "target" in acts.columns) else None
        sc = scale_of(a)
        if given is not None and not pd.isna(given):
            t = float(given)
            if sc is not None and not sc[0] <= t <= sc[1]:
                raise ValueError(
                    f"`actions` target of {a!r} is {t}; it must lie on the attribute's "
                    f"scale {sc[0]}-{sc[1]}."
                )
            targets[a], sources[a] = t, "company.yaml"
        elif a in comp.index and not pd.isna(comp[a]) and comp[a] > cur.get(a, np.nan):
            targets[a], sources[a] = float(comp[a]), "competitor"
        else:
            lo, hi = sc if sc is not None else (np.nan, np.nan)
            step = 0.1 * (hi - lo) if sc is not None else 0.0
            t = cur.get(a, np.nan) + step
            targets[a], sources[a] = (min(t, hi) if sc is not None else t), "rule"
    wi = what_if(model, cur, pd.Series(targets, index=chosen, dtype=float),
                 overall_scale=overall_scale)
    plan = wi.copy()
    plan.insert(0, "quadrant", matrix.loc[chosen, "quadrant"].to_numpy())
    for col in ("action", "owner", "kpi", "kpi_target", "deadline"):
        if col in acts.columns or col != "action":
            vals = [acts.loc[a, col] if (a in acts.index and col in acts.columns) else None
                    for a in chosen]
            plan[col] = pd.Series([None if _isna(v) else v for v in vals], index=chosen,
                                  dtype=object)
    plan["target_source"] = pd.Series(sources)
    costs = [acts.loc[a, "cost"] if (a in acts.index and "cost" in acts.columns) else np.nan
             for a in chosen]
    plan["cost"] = pd.to_numeric(pd.Series(costs, index=chosen), errors="coerce").astype(float)
    if (plan["cost"] < 0).any():
        a = plan.index[plan["cost"] < 0][0]
        raise ValueError(f"`actions` cost of {a!r} is {plan.loc[a, 'cost']}; it must be >= 0.")
    given_benefit = pd.Series(
        [acts.loc[a, "annual_benefit"] if (a in acts.index and "annual_benefit" in acts.columns)
         else np.nan for a in chosen], index=chosen, dtype=float)
    benefit = plan["gain"] * (float(value_per_point) if value_per_point is not None else np.nan)
    plan["annual_benefit"] = given_benefit.where(given_benefit.notna(), benefit)
    with np.errstate(divide="ignore", invalid="ignore"):
        plan["roi"] = (plan["annual_benefit"] * horizon_years - plan["cost"]) / plan["cost"]
        plan["payback_months"] = np.where(
            plan["annual_benefit"] > 0, 12 * plan["cost"] / plan["annual_benefit"], np.nan)
        plan["gain_per_cost"] = np.where(plan["cost"] > 0, plan["gain"] / plan["cost"], np.nan)
    plan.loc[plan["cost"] <= 0, ["roi"]] = np.nan
    cols = [c for c in _PLAN_COLUMNS if c in plan.columns]
    if "action" in plan.columns:
        cols.insert(1, "action")
    plan = plan[cols]
    plan["_q"] = plan["quadrant"].map({"improve": 0, "keep_advantage": 1})
    keys = ["gain_per_cost", "gain"]
    if order == "quadrant":
        plan = plan.sort_values(["_q", *keys], ascending=[True, False, False],
                                na_position="last", kind="stable")
    else:
        plan = plan.sort_values([*keys, "_q"], ascending=[False, False, True],
                                na_position="last", kind="stable")
    plan = plan.drop(columns="_q")
    plan.index.name = "attribute"
    return plan


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


# ---------------------------------------------------------------------------------
# investment appraisal
# ---------------------------------------------------------------------------------


def _payback_months(cost: float, monthly: np.ndarray) -> float:
    """First (fractional) month at which cumulative monthly net benefit reaches cost."""
    if cost <= 0:
        return 0.0
    cum = 0.0
    for m, x in enumerate(monthly):
        if x > 0 and cum + x >= cost:
            return m + (cost - cum) / x
        cum += x
    return float("nan")


def _npv_at(rate: float, cash: np.ndarray) -> float:
    return float(np.sum(cash / (1 + rate) ** np.arange(len(cash))))


def appraise(investments: Any, *, discount_rate: float = 0.1, years: int = 3) -> pd.DataFrame:
    """Investment appraisal: payback months, ROI, NPV and IRR of each investment.

    Cash flows: the one-off ``cost`` at time 0, then for each year ``t = 1..years`` a net
    benefit ``benefit_t - running_cost`` at the end of the year (discounted with
    ``(1 + r)^t``). Payback counts the net benefit as spread evenly over each year's 12
    months. ROI is undiscounted: ``(sum of net benefits - cost) / cost``.

    Parameters
    ----------
    investments : DataFrame or list of dict
        One per investment: ``name``, ``cost`` (one-off, >= 0), and either
        ``annual_benefit`` (the same every year) or ``benefits`` (a list, one per year);
        optional ``running_cost`` (per year, default 0), ``years`` (default ``years``),
        ``discount_rate`` (default ``discount_rate``), ``kind`` (e.g. ``"frontline"`` or
        ``"back_office"``).
    discount_rate : float, default 0.1
        Yearly discount rate where an investment gives none.
    years : int, default 3
        Horizon where an investment gives none and has no ``benefits`` list.

    Returns
    -------
    DataFrame
        Indexed by investment name: ``kind``, ``cost``, ``years``, ``discount_rate``,
        ``total_benefit`` (net of running costs, undiscounted), ``payback_months`` (NaN if
        it never pays back within the horizon), ``roi``, ``npv``, ``irr`` (NaN when the
        flows do not change sign).
    """
    if isinstance(investments, pd.DataFrame):
        items = investments.to_dict("records")
    else:
        items = [i.model_dump() if hasattr(i, "model_dump") else dict(i) for i in investments]
    years = check_positive_int(years, "years")
    rows = []
    for k, item in enumerate(items):
        name = item.get("name", f"investment {k + 1}")
        cost = float(item.get("cost") or 0.0)
        if cost < 0 or not np.isfinite(cost):
            raise ValueError(f"`investments` cost of {name!r} is {cost}; it must be >= 0.")
        r = item.get("discount_rate")
        r = discount_rate if r is None or _isna(r) else float(r)
        if r <= -1:
            raise ValueError(f"`investments` discount rate of {name!r} is {r}; it must be > -1.")
        benefits = item.get("benefits")
        if benefits is not None and not (np.isscalar(benefits) and _isna(benefits)):
            flows = np.asarray(list(benefits), dtype=float)
            if flows.size == 0:
                raise ValueError(f"`investments` entry {name!r} has an empty `benefits` list.")
        else:
            n_years = item.get("years")
            n_years = years if n_years is None or _isna(n_years) else int(n_years)
            ab = item.get("annual_benefit")
            if ab is None or _isna(ab):
                raise ValueError(
                    f"`investments` entry {name!r} has neither `annual_benefit` nor "
                    "`benefits`; give one."
                )
            flows = np.full(n_years, float(ab))
        running = item.get("running_cost")
        running = 0.0 if running is None or _isna(running) else float(running)
        net = flows - running
        t = np.arange(1, len(net) + 1)
        npv = -cost + float(np.sum(net / (1 + r) ** t))
        cash = np.concatenate([[-cost], net])
        irr = np.nan
        if cost > 0 and net.sum() > 0:
            try:
                irr = optimize.brentq(_npv_at, -0.99, 1e3, args=(cash,))
            except ValueError:
                irr = np.nan
        rows.append({
            "name": name,
            "kind": item.get("kind"),
            "cost": cost,
            "years": len(net),
            "discount_rate": r,
            "total_benefit": float(net.sum()),
            "payback_months": _payback_months(cost, np.repeat(net / 12.0, 12)),
            "roi": (float(net.sum()) - cost) / cost if cost > 0 else np.nan,
            "npv": npv,
            "irr": irr,
        })
    out = pd.DataFrame(rows, columns=["name", "kind", "cost", "years", "discount_rate",
                                      "total_benefit", "payback_months", "roi", "npv", "irr"])
    if out["name"].duplicated().any():
        raise ValueError(f"`investments` names {out['name'][out['name'].duplicated()].iloc[0]!r} twice.")
    return out.set_index("name")


# ---------------------------------------------------------------------------------
# conjoint analysis: designs
# ---------------------------------------------------------------------------------


def _check_levels(levels: Any) -> dict[str, list]:
    if not isinstance(levels, Mapping) or not levels:
        raise TypeError("`levels` must be a non-empty mapping attribute -> list of levels.")
    out = {}
    for attr, lv in levels.items():
        lv = list(lv)
        if len(lv) < 2:
            raise ValueError(f"`levels` of attribute {attr!r} must have at least 2 levels; got {lv!r}.")
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
    return n >= 2 and all(n % d for d in range(2, int(n ** 0.5) + 1))


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
    while (p ** m - 1) // (p - 1) < k:
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
    q, oa, _ = min((c for c in candidates if len(c[1]) <= 1.1 * fewest),
                   key=lambda c: (c[2], len(c[1])))
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
            cols[f"{attr}[{level}]"] = np.where(vals == level, 1.0, np.where(vals == last, -1.0, 0.0))
    return pd.DataFrame(cols, index=design.index)


def design_orthogonality(design: pd.DataFrame, levels: Mapping[str, Sequence] | None = None,
                         *, tol: float = 1e-9) -> pd.DataFrame:
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
        na = np.sqrt((xa ** 2).sum(axis=0))
        nb = np.sqrt((xb ** 2).sum(axis=0))
        with np.errstate(divide="ignore", invalid="ignore"):
            corr = (xa.T @ xb) / np.outer(na, nb)
        tab = pd.crosstab(design[a], design[b]).to_numpy(dtype=float)
        expected = np.outer(tab.sum(1), tab.sum(0)) / tab.sum()
        bal_a = design[a].value_counts().nunique() == 1 and design[a].nunique() == len(levels[a])
        bal_b = design[b].value_counts().nunique() == 1 and design[b].nunique() == len(levels[b])
        rows.append({
            "attribute_a": a,
            "attribute_b": b,
            "max_abs_correlation": float(np.nanmax(np.abs(corr))) if corr.size else 0.0,
            "orthogonal": bool(np.allclose(tab, expected, atol=tol)),
            "balanced": bool(bal_a and bal_b),
        })
    out = pd.DataFrame(rows, columns=["attribute_a", "attribute_b", "max_abs_correlation",
                                      "orthogonal", "balanced"])
    out.attrs["orthogonal"] = bool(out["orthogonal"].all())
    return out


def _check_shown(data: pd.DataFrame, levels: dict[str, list], name: str) -> None:
    """Every level shown at least once, nothing shown that is not a level."""
    check_columns(data, list(levels), name)
    for attr, lv in levels.items():
        shown = set(pd.unique(data[attr].dropna()))
        extra = [v for v in shown if v not in lv]
        if extra:
            raise ValueError(
                f"`{name}` column {attr!r} holds level {extra[0]!r}, which is not among its "
                f"levels ({', '.join(map(str, lv))})."
            )
        never = [v for v in lv if v not in shown]
        if never:
            raise ValueError(
                f"Level {never[0]!r} of attribute {attr!r} is never shown in `{name}`: its "
                "part-worth cannot be estimated. Show every level at least once, or drop it "
                "from the levels."
            )
        if data[attr].isna().any():
            row = int(np.flatnonzero(data[attr].isna().to_numpy())[0])
            raise ValueError(f"`{name}` column {attr!r} is blank at row position {row}.")


def _level_table(levels: dict[str, list]) -> list[tuple[str, Any]]:
    return [(a, lv) for a, lvs in levels.items() for lv in lvs]


def _importance_pct(pw: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Attribute importance % = range of part-worths / sum of ranges x 100."""
    rng = pw.groupby([*by, "attribute"], sort=False)["estimate"].agg(lambda s: s.max() - s.min())
    rng = rng.rename("range").reset_index()
    if by:
        tot = rng.groupby(by)["range"].transform("sum")
    else:
        tot = rng["range"].sum()
    rng["importance"] = 100 * rng["range"] / tot
    return rng


# ---------------------------------------------------------------------------------
# conjoint analysis: estimation and simulation
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConjointResult:
    """Conjoint estimates.

    Attributes
    ----------
    kind : str
        ``"ratings"`` or ``"choice"``.
    partworths : DataFrame
        Pooled part-worths, one row per attribute level: ``attribute``, ``level``,
        ``estimate``, ``std_error``, ``ci_low``, ``ci_high``, ``n``. For ratings these are
        the means of the respondents' part-worths (interval across respondents); for
        choice, the logit estimates (a linear price shows one row per study price,
        ``beta x (price - mean price)``).
    importance : DataFrame
        ``attribute``, ``range``, ``importance`` (% of the sum of ranges), plus
        ``ci_low``/``ci_high`` across respondents for ratings.
    individual : DataFrame or None
        Ratings only: ``respondent_id``, ``attribute``, ``level``, ``estimate``
        (plus ``segment`` when given).
    fit : DataFrame
        Ratings: per respondent ``respondent_id``, ``r2``, ``n`` (profiles rated).
        Choice: the logit coefficients ``term``, ``estimate``, ``std_error``, ``z``,
        ``p_value``, ``ci_low``, ``ci_high`` exactly as statsmodels reports them.
    segments : DataFrame or None
        Segment averages: ``segment``, ``attribute``, ``level``, ``estimate``, ``n``.
    wtp : DataFrame or None
        Choice with a price attribute: ``attribute``, ``level``, ``estimate`` (money a
        customer would pay to have this level rather than the attribute's least preferred
        level),
        ``std_error`` (delta method), ``ci_low``, ``ci_high``.
    levels : dict
        The attributes' levels.
    price : str or None
        The price attribute (choice).
    """

    kind: str
    partworths: pd.DataFrame
    importance: pd.DataFrame
    individual: pd.DataFrame | None
    fit: pd.DataFrame
    segments: pd.DataFrame | None
    wtp: pd.DataFrame | None
    levels: dict = field(default_factory=dict)
    price: str | None = None


def ratings_conjoint(
    data: pd.DataFrame,
    levels: Mapping[str, Sequence],
    *,
    rating: str = "rating",
    respondent: str = "respondent_id",
    segment: str | None = None,
    confidence: float = 0.95,
) -> ConjointResult:
    """Ratings-based full-profile conjoint: OLS per respondent with effects coding.

    Each respondent's ratings are regressed on the effects-coded profile attributes;
    the coefficients are that respondent's part-worths (the last level of each attribute
    is minus the sum of the others, so part-worths sum to 0 within an attribute).
    Attribute importance is the range of an attribute's part-worths as a % of the sum of
    ranges, per respondent, then averaged.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per profile rated: ``respondent``, the attribute columns
        (levels), ``rating`` and optionally ``segment``.
    levels : mapping attribute -> list of levels
    rating, respondent, segment : str
        Column names.
    confidence : float, default 0.95
        For intervals across respondents (t interval of the mean).

    Returns
    -------
    ConjointResult
        With ``kind="ratings"``.

    Raises
    ------
    ValueError
        A level never shown or not declared; a respondent with fewer ratings than
        parameters.
    """
    data = check_dataframe(data)
    levels = _check_levels(levels)
    confidence = check_confidence(confidence)
    cols = [respondent, rating, *([segment] if segment else [])]
    check_columns(data, cols)
    check_numeric_columns(data, [rating])
    data = data[data[rating].notna()]
    _check_shown(data, levels, "data")
    X = effects_code(data, levels)
    terms = list(X.columns)
    Xa = np.column_stack([np.ones(len(X)), X.to_numpy()])
    y = data[rating].to_numpy(dtype=float)
    resp = data[respondent].to_numpy()
    table = _level_table(levels)
    contrast = _effects_contrasts(levels, terms)  # (levels x terms)
    pw_rows, fit_rows = [], []
    for rid, idx in pd.Series(np.arange(len(data))).groupby(resp, sort=False):
        idx = idx.to_numpy()
        if len(idx) < Xa.shape[1]:
            raise ValueError(
                f"Respondent {rid!r} rated {len(idx)} profiles; at least {Xa.shape[1]} are "
                "needed to estimate the part-worths (1 + sum of (levels - 1))."
            )
        Xi = Xa[idx]
        if np.linalg.matrix_rank(Xi) < Xi.shape[1]:
            raise ValueError(
                f"The profiles respondent {rid!r} rated do not separate every level "
                "(the design matrix is singular): use a design where each level is shown "
                "against varied levels of the other attributes."
            )
        beta, *_ = np.linalg.lstsq(Xi, y[idx], rcond=None)
        resid = y[idx] - Xi @ beta
        ss_tot = float(((y[idx] - y[idx].mean()) ** 2).sum())
        r2 = 1 - float((resid ** 2).sum()) / ss_tot if ss_tot > 0 else np.nan
        fit_rows.append({"respondent_id": rid, "r2": r2, "n": len(idx)})
        est = contrast @ beta[1:]
        for (attr, lv), e in zip(table, est, strict=True):
            pw_rows.append({"respondent_id": rid, "attribute": attr, "level": lv,
                            "estimate": float(e)})
    individual = pd.DataFrame(pw_rows)
    if segment:
        seg = data.groupby(respondent, sort=False)[segment].first()
        individual.insert(1, "segment", individual["respondent_id"].map(seg).to_numpy())
    fit = pd.DataFrame(fit_rows)
    summary = _mean_ci(individual, ["attribute", "level"], "estimate", confidence)
    imp_ind = _importance_pct(individual, ["respondent_id"])
    imp = _mean_ci(imp_ind, ["attribute"], "importance", confidence)
    rng_mean = imp_ind.groupby("attribute", sort=False)["range"].mean()
    imp.insert(1, "range", imp["attribute"].map(rng_mean).to_numpy())
    segments = None
    if segment:
        segments = (individual.groupby(["segment", "attribute", "level"], sort=False)["estimate"]
                    .agg(estimate="mean", n="count").reset_index())
    return ConjointResult("ratings", summary, imp, individual, fit, segments, None,
                          dict(levels), None)


def _mean_ci(frame: pd.DataFrame, by: list[str], col: str, confidence: float) -> pd.DataFrame:
    g = frame.groupby(by, sort=False)[col]
    out = g.agg(estimate="mean", std="std", n="count").reset_index()
    se = out["std"] / np.sqrt(out["n"])
    tq = stats.t.ppf(0.5 + confidence / 2, np.maximum(out["n"] - 1, 1))
    out["std_error"] = se
    out["ci_low"] = out["estimate"] - tq * se
    out["ci_high"] = out["estimate"] + tq * se
    if col != "estimate":
        out = out.rename(columns={"estimate": col})
        return out[[*by, col, "std_error", "ci_low", "ci_high", "n"]]
    return out[[*by, "estimate", "std_error", "ci_low", "ci_high", "n"]]


def _effects_contrasts(levels: dict[str, list], terms: list[str],
                       price: str | None = None, price_terms: Sequence[str] = ()) -> np.ndarray:
    """Matrix mapping coefficients to every level's part-worth (effects coding)."""
    rows = []
    for attr, lvs in levels.items():
        if attr == price:
            continue
        for lv in lvs:
            c = np.zeros(len(terms))
            if lv == lvs[-1]:
                for other in lvs[:-1]:
                    c[terms.index(f"{attr}[{other}]")] = -1.0
            else:
                c[terms.index(f"{attr}[{lv}]")] = 1.0
            rows.append(c)
    return np.array(rows).reshape(-1, len(terms))


def _grouped_logit(X: np.ndarray, y: np.ndarray, groups: np.ndarray, set_id: np.ndarray,
                   maxiter: int):
    """Conditional logit from counts per distinct choice set (Poisson GLM, set intercepts)."""
    import statsmodels.api as sm

    pos = pd.Series(groups).groupby(groups).cumcount().to_numpy()  # alternative in its set
    row_set = set_id[groups]
    n_sets = int(set_id.max()) + 1
    tally = np.zeros((n_sets, int(pos.max()) + 1))
    np.add.at(tally, (row_set, pos), y)
    rep = pd.Series(np.arange(len(set_id))).groupby(set_id).first()  # a group showing each set
    rows, counts, sets = [], [], []
    for s_, g in rep.items():
        idx = np.flatnonzero(groups == g)
        rows.append(X[idx])
        counts.append(tally[s_, : len(idx)])
        sets.append(np.full(len(idx), s_))
    Xs, cs, ss = np.vstack(rows), np.concatenate(counts), np.concatenate(sets)
    dummies = (ss[:, None] == np.arange(set_id.max() + 1)[None, :]).astype(float)
    res = sm.GLM(cs, np.column_stack([Xs, dummies]), family=sm.families.Poisson()).fit(
        maxiter=maxiter, tol=1e-12)
    eta = Xs @ np.asarray(res.params)[: X.shape[1]]
    llf = 0.0
    for s in range(set_id.max() + 1):
        m = ss == s
        e = eta[m] - eta[m].max()
        llf += float(cs[m] @ (e - np.log(np.exp(e).sum())))
    return res, llf


def choice_conjoint(
    data: pd.DataFrame,
    levels: Mapping[str, Sequence],
    *,
    task: str = "task",
    chosen: str = "chosen",
    respondent: str | None = "respondent_id",
    price: str | None = None,
    confidence: float = 0.95,
    method: str = "auto",
    maxiter: int = 200,
) -> ConjointResult:
    """Choice-based conjoint: conditional (multinomial) logit part-worths with SEs.

    Each choice task is a group of alternatives, one of them chosen; the model is
    McFadden's conditional logit, estimated by statsmodels'
    :class:`~statsmodels.discrete.conditional_models.ConditionalLogit` on effects-coded
    attributes. A ``price`` attribute with numeric levels enters linearly (one
    coefficient), which gives the willingness to pay for each level of the other
    attributes: ``-(part-worth(level) - part-worth(least preferred level)) / beta_price``,
    with a
    delta-method standard error.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per alternative shown: ``task`` (a choice-set id; with
        ``respondent``, unique per respondent and task), the attribute columns, and
        ``chosen`` (1 for the chosen alternative, else 0; exactly one per task).
    levels : mapping attribute -> list of levels
    task, chosen, respondent : str
        Column names (``respondent=None`` when ``task`` alone identifies the choice set).
    price : str, optional
        The attribute holding the price (numeric levels).
    confidence : float, default 0.95
    method : {"auto", "conditional", "poisson"}
        ``"conditional"`` fits statsmodels' ``ConditionalLogit`` on every choice set.
        ``"poisson"`` fits the same likelihood from the counts of each alternative in each
        distinct choice set, as a Poisson GLM with one intercept per set (statsmodels
        ``GLM``; the multinomial-Poisson transformation, Baker 1994): identical estimates
        and standard errors, and much faster when many respondents saw the same sets.
        ``"auto"`` uses ``"poisson"`` when there are at most 200 distinct sets and at
        most half as many as choice tasks.
    maxiter : int
        Iterations for statsmodels' optimiser.

    Returns
    -------
    ConjointResult
        With ``kind="choice"``; ``individual`` and ``segments`` are None.
    """
    from statsmodels.discrete.conditional_models import ConditionalLogit

    data = check_dataframe(data)
    levels = _check_levels(levels)
    confidence = check_confidence(confidence)
    check_columns(data, [task, chosen, *([respondent] if respondent else [])])
    _check_shown(data, levels, "data")
    if price is not None:
        check_choice(price, list(levels), "price")
        try:
            price_levels = np.asarray(levels[price], dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"`price` attribute {price!r} must have numeric levels; got {levels[price]!r}."
            ) from exc
    keys = [respondent, task] if respondent else [task]
    groups = pd.Series(data.groupby(keys, sort=False, dropna=False).ngroup().to_numpy(),
                       index=data.index)
    labels = (data[keys].astype(str).drop_duplicates().agg(" / ".join, axis=1)
              .set_axis(groups.drop_duplicates().to_numpy()))
    y = pd.to_numeric(data[chosen], errors="coerce")
    if y.isna().any() or not y.isin([0, 1]).all():
        raise ValueError(f"`data` column {chosen!r} must be 0 or 1 on every row.")
    per_task = y.groupby(groups.to_numpy()).agg(["sum", "count"])
    bad = per_task[(per_task["sum"] != 1)]
    if len(bad):
        raise ValueError(
            f"Choice task {labels[bad.index[0]]!r} has {int(bad['sum'].iloc[0])} chosen "
            "alternatives; each task needs exactly one."
        )
    if (per_task["count"] < 2).any():
        raise ValueError(f"Choice task {labels[per_task.index[per_task['count'] < 2][0]]!r} "
                         "shows fewer than 2 alternatives.")
    coded_levels = {a: v for a, v in levels.items() if a != price}
    X = effects_code(data, coded_levels) if coded_levels else pd.DataFrame(index=data.index)
    price_mean = None
    if price is not None:
        price_mean = float(price_levels.mean())
        X[price] = data[price].astype(float).to_numpy()
    terms = list(X.columns)
    g_codes = pd.factorize(groups)[0]
    Xv = X.to_numpy(dtype=float)
    yv = y.to_numpy(dtype=float)
    check_choice(method, ("auto", "conditional", "poisson"), "method")
    # choice sets shown to many respondents: the same likelihood from counts per set
    sig = pd.Series([tuple(r) for r in Xv]).groupby(g_codes).agg(tuple)
    set_id, uniq = pd.factorize(sig)
    if method == "auto":
        method = "poisson" if len(uniq) <= 200 and len(uniq) <= len(sig) / 2 else "conditional"
    alpha = 1 - confidence
    if method == "poisson":
        res, llf = _grouped_logit(Xv, yv, g_codes, set_id, maxiter)
    else:
        model = ConditionalLogit(yv, Xv, groups=g_codes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=RuntimeWarning)
            res = model.fit(method="newton", maxiter=maxiter, disp=False)
        retvals = getattr(res, "mle_retvals", None) or {}
        if not retvals.get("converged", True):
            warnings.warn("The conditional logit did not converge: read the part-worths with "
                          "care.", OrientWarning, stacklevel=2)
        llf = float(res.llf)
    k = len(terms)
    params = np.asarray(res.params)[:k]
    cov = np.asarray(res.cov_params())[:k, :k]
    ci = np.asarray(res.conf_int(alpha))[:k]
    fit = pd.DataFrame({
        "term": terms,
        "estimate": params,
        "std_error": np.asarray(res.bse)[:k],
        "z": np.asarray(res.tvalues)[:k],
        "p_value": np.asarray(res.pvalues)[:k],
        "ci_low": ci[:, 0],
        "ci_high": ci[:, 1],
    })
    fit.attrs["llf"] = llf
    fit.attrs["method"] = method
    fit.attrs["n_tasks"] = int(len(per_task))
    zq = stats.norm.ppf(1 - alpha / 2)
    n_tasks = int(len(per_task))
    rows = []
    C = _effects_contrasts(levels, terms, price)
    table = [(a, lv) for a, lvs in levels.items() if a != price for lv in lvs]
    for (attr, lv), c in zip(table, C, strict=True):
        e, se = float(c @ params), float(np.sqrt(c @ cov @ c))
        rows.append((attr, lv, e, se))
    if price is not None:
        j = terms.index(price)
        for lv in levels[price]:
            d = float(lv) - price_mean
            rows.append((price, lv, params[j] * d, abs(d) * float(np.sqrt(cov[j, j]))))
    order = {a: i for i, a in enumerate(levels)}
    rows.sort(key=lambda r: order[r[0]])
    pw = pd.DataFrame(rows, columns=["attribute", "level", "estimate", "std_error"])
    pw["ci_low"] = pw["estimate"] - zq * pw["std_error"]
    pw["ci_high"] = pw["estimate"] + zq * pw["std_error"]
    pw["n"] = n_tasks
    imp = _importance_pct(pw, [])[["attribute", "range", "importance"]]
    wtp = None
    if price is not None:
        j = terms.index(price)
        bp = params[j]
        if bp >= 0:
            warnings.warn(
                f"The price coefficient is {bp:.3g} (not negative): willingness to pay is "
                "not meaningful.", OrientWarning, stacklevel=2)
        w_rows = []
        base = {}
        for i, (attr, _) in enumerate(table):
            if attr not in base or C[i] @ params < C[base[attr]] @ params:
                base[attr] = i
        for (attr, lv), c in zip(table, C, strict=True):
            d = c - C[base[attr]]
            num = float(d @ params)
            est = -num / bp
            grad = -d / bp
            grad[j] += num / bp ** 2
            se = float(np.sqrt(grad @ cov @ grad))
            w_rows.append({"attribute": attr, "level": lv, "estimate": est, "std_error": se,
                           "ci_low": est - zq * se, "ci_high": est + zq * se})
        wtp = pd.DataFrame(w_rows, columns=["attribute", "level", "estimate", "std_error",
                                            "ci_low", "ci_high"])
    return ConjointResult("choice", pw, imp, None, fit, None, wtp, dict(levels), price)


def simulate_market(
    partworths: pd.DataFrame,
    scenarios: pd.DataFrame,
    *,
    respondent: str = "respondent_id",
    scale: float = 1.0,
    none_utility: float | None = None,
) -> pd.DataFrame:
    """Market simulator: share of preference of product scenarios.

    The utility of a product is the sum of its levels' part-worths. Logit share of
    preference is ``exp(scale x U) / sum exp(scale x U)``; first-choice share is the
    share of respondents for whom the product has the highest utility (ties split).
    With individual part-worths (a ``respondent`` column) both are averaged over
    respondents; with pooled part-worths the first-choice share puts everyone on the
    best product. A numeric level between two studied levels is interpolated linearly.

    Parameters
    ----------
    partworths : DataFrame
        ``attribute``, ``level``, ``estimate`` (and ``respondent`` for individual ones):
        ``ConjointResult.individual`` or ``ConjointResult.partworths``.
    scenarios : DataFrame
        One row per product (index: product name), one column per attribute (level).
    respondent : str
        Column of respondent ids in ``partworths``, if present.
    scale : float, default 1
        Logit scale (exponent); larger is closer to first choice.
    none_utility : float, optional
        Utility of a "buy none" option, added as product ``"none"``.

    Returns
    -------
    DataFrame
        Indexed by product: ``utility`` (mean over respondents), ``share_logit``,
        ``share_first_choice`` (each sums to 1).
    """
    check_dataframe(partworths, "partworths")
    check_columns(partworths, ["attribute", "level", "estimate"], "partworths")
    check_dataframe(scenarios, "scenarios")
    attrs = list(pd.unique(partworths["attribute"]))
    missing = [a for a in attrs if a not in scenarios.columns]
    if missing:
        raise ValueError(f"`scenarios` has no column for attribute {missing[0]!r}.")
    extra = [c for c in scenarios.columns if c not in attrs]
    if extra:
        raise ValueError(f"`scenarios` column {extra[0]!r} is not a conjoint attribute "
                         f"({', '.join(map(str, attrs))}).")
    individual = respondent in partworths.columns
    pw = partworths if individual else partworths.assign(**{respondent: 0})
    ids = list(pd.unique(pw[respondent]))
    U = np.zeros((len(ids), len(scenarios)))
    for attr in attrs:
        sub = pw[pw["attribute"] == attr]
        wide = sub.pivot_table(index=respondent, columns="level", values="estimate",
                               aggfunc="first", sort=False).reindex(ids)
        for k, (prod, lv) in enumerate(scenarios[attr].items()):
            if lv in wide.columns:
                U[:, k] += wide[lv].to_numpy(dtype=float)
                continue
            try:
                xs = np.asarray(wide.columns, dtype=float)
                x = float(lv)
            except (TypeError, ValueError):
                xs, x = None, None
            if xs is None or not xs.min() <= x <= xs.max():
                raise ValueError(
                    f"`scenarios` gives product {prod!r} level {lv!r} of {attr!r}, which "
                    f"was not studied ({', '.join(map(str, wide.columns))})."
                )
            o = np.argsort(xs)
            vals = wide.to_numpy(dtype=float)[:, o]
            U[:, k] += np.array([np.interp(x, xs[o], v) for v in vals])
    names = list(scenarios.index)
    if none_utility is not None:
        U = np.column_stack([U, np.full(len(ids), float(none_utility))])
        names.append("none")
    z = scale * U
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    best = np.isclose(U, U.max(axis=1, keepdims=True), rtol=0, atol=1e-12)
    fc = best / best.sum(axis=1, keepdims=True)
    out = pd.DataFrame({"utility": U.mean(axis=0), "share_logit": p.mean(axis=0),
                        "share_first_choice": fc.mean(axis=0)},
                       index=pd.Index(names, name="product"))
    return out


# ---------------------------------------------------------------------------------
# the improvement loop
# ---------------------------------------------------------------------------------


def improvement_loop(earlier: pd.DataFrame, later: pd.DataFrame) -> pd.DataFrame:
    """How priorities moved between two waves, and where each change sends the reader.

    Rules (the model's loop of continuous improvement):

    * quadrant unchanged: ``back_to = None`` (carry on with the action plan);
    * only performance crossed its cut (importance side unchanged): back to stage
      ``"III"``, re-prioritise (an improvement worked, or an advantage slipped);
    * importance crossed its cut: customers' requirements moved, back to stage ``"I"``
      (goals, segments and direction may need revisiting);
    * an attribute present in one wave only: back to stage ``"II"`` (the measurement
      changed; check the questionnaire before comparing).

    Parameters
    ----------
    earlier, later : DataFrame
        Strategic matrices (stage III) of two waves, indexed by attribute with
        ``importance``, ``performance``, ``quadrant``.

    Returns
    -------
    DataFrame
        Indexed by attribute: ``quadrant_before``, ``quadrant_after``, ``changed``,
        ``importance_change``, ``performance_change``, ``back_to`` (``"I"``, ``"II"``,
        ``"III"`` or None) and ``reason``.
    """
    for name, m in (("earlier", earlier), ("later", later)):
        check_dataframe(m, name)
        check_columns(m, ["importance", "performance", "quadrant"], name)
        bad = [q for q in m["quadrant"] if q not in _QUADRANTS]
        if bad:
            raise ValueError(f"`{name}` quadrant {bad[0]!r} is not one of {', '.join(_QUADRANTS)}.")
    attrs = list(earlier.index) + [a for a in later.index if a not in earlier.index]
    rows = []
    for a in attrs:
        qb = earlier["quadrant"].get(a)
        qa = later["quadrant"].get(a)
        if qb is None or qa is None:
            back, reason = "II", (
                "measured in one wave only: check the questionnaire before comparing")
            di = dp = np.nan
        else:
            di = float(later.loc[a, "importance"] - earlier.loc[a, "importance"])
            dp = float(later.loc[a, "performance"] - earlier.loc[a, "performance"])
            imp_moved = (qb in _HIGH_IMPORTANCE) != (qa in _HIGH_IMPORTANCE)
            perf_moved = (qb in _HIGH_PERFORMANCE) != (qa in _HIGH_PERFORMANCE)
            if not imp_moved and not perf_moved:
                back, reason = None, "no change of quadrant: carry on with the action plan"
            elif imp_moved:
                direction = "gained" if qa in _HIGH_IMPORTANCE else "lost"
                back, reason = "I", (
                    f"importance {direction} weight: customers' requirements moved; revisit "
                    "goals, segments and direction")
            else:
                if qa in _HIGH_PERFORMANCE:
                    reason = "performance rose past the cut: the improvement worked; re-prioritise"
                else:
                    reason = "performance fell below the cut: the advantage slipped; re-prioritise"
                back = "III"
        rows.append({"attribute": a, "quadrant_before": qb, "quadrant_after": qa,
                     "changed": qb != qa, "importance_change": di,
                     "performance_change": dp, "back_to": back, "reason": reason})
    out = pd.DataFrame(rows).set_index("attribute")
    for col in ("quadrant_before", "quadrant_after", "back_to", "reason"):
        out[col] = pd.Series([r[col] for r in rows], index=out.index, dtype=object)
    return out


def conjoint_responses(study: Any) -> pd.DataFrame:
    """Long-format responses of a conjoint study given in company.yaml.

    Parameters
    ----------
    study : ConjointSpec or dict
        company.yaml's ``conjoint`` section: ``kind="ratings"`` with ``profiles`` and
        ``ratings`` (respondent -> one rating per profile, optional ``segments``), or
        ``kind="choice"`` with ``tasks`` (alternatives and how many respondents chose
        each; every choice becomes one choice set).

    Returns
    -------
    DataFrame
        Ratings: ``respondent_id``, ``segment`` (when given), the attribute columns,
        ``rating``. Choice: ``respondent_id``, ``task``, ``alternative``, the attribute
        columns, ``chosen`` (0/1, one per respondent and task).
    """
    if hasattr(study, "model_dump"):
        study = study.model_dump()
    attrs = list(study["attributes"])
    if study.get("kind", "choice") == "ratings":
        profiles = study.get("profiles") or []
        ratings = study.get("ratings") or {}
        if not profiles or not ratings:
            raise ValueError("A ratings conjoint study needs `profiles` and `ratings`.")
        segs = study.get("segments") or {}
        rows = []
        for rid, vals in ratings.items():
            if len(vals) != len(profiles):
                raise ValueError(f"Respondent {rid!r} has {len(vals)} ratings for "
                                 f"{len(profiles)} profiles.")
            for prof, val in zip(profiles, vals, strict=True):
                row = {"respondent_id": rid}
                if segs:
                    row["segment"] = segs.get(rid)
                row.update({a: prof[a] for a in attrs})
                row["rating"] = val
                rows.append(row)
        return pd.DataFrame(rows)
    tasks = study.get("tasks") or []
    if not tasks:
        raise ValueError("A choice conjoint study needs `tasks` (or a responses `file`).")
    rows = []
    rid = 0
    for t, task in enumerate(tasks, start=1):
        alts = task["alternatives"]
        for k, count in enumerate(task["chosen"]):
            for _ in range(int(count)):
                rid += 1
                for j, alt in enumerate(alts):
                    rows.append({"respondent_id": rid, "task": t, "alternative": j + 1,
                                 **{a: alt[a] for a in attrs}, "chosen": int(j == k)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------
# the stage on a company
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImplementationResult:
    """Everything stage IV computes for a company (see :func:`analyse`).

    Attributes
    ----------
    matrix : DataFrame
        The strategic matrix the plan starts from (stage III's, or the fallback).
    matrix_source : str
        ``"stage III"`` or ``"fallback: correlation importance, mean cuts"``.
    driver_model : DataFrame
        :func:`driver_model` of overall satisfaction on the attributes.
    plan : DataFrame
        :func:`action_plan`.
    house : HouseOfQuality or None
        None when company.yaml has no ``qfd`` section.
    investments : DataFrame or None
        :func:`appraise` of company.yaml's ``investments``.
    design : DataFrame or None
        The conjoint study's fractional factorial design.
    design_check : DataFrame or None
        :func:`design_orthogonality` of ``design``.
    conjoint : ConjointResult or None
        Estimates, when the conjoint responses file is there.
    market : DataFrame or None
        :func:`simulate_market` for the study's products.
    loop : DataFrame or None
        :func:`improvement_loop` between the last two waves.
    notes : tuple of str
        What was left out, and why.
    """

    matrix: pd.DataFrame
    matrix_source: str
    driver_model: pd.DataFrame
    plan: pd.DataFrame
    house: HouseOfQuality | None = None
    investments: pd.DataFrame | None = None
    design: pd.DataFrame | None = None
    design_check: pd.DataFrame | None = None
    conjoint: ConjointResult | None = None
    market: pd.DataFrame | None = None
    loop: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()


def _mean(values: pd.Series, weights: pd.Series | None) -> float:
    """Mean of the answered values, weighted when respondent weights are given."""
    ok = values.notna().to_numpy()
    if weights is None:
        return float(values[ok].mean())
    return float(np.average(values.to_numpy(dtype=float)[ok],
                            weights=np.asarray(weights, dtype=float)[ok]))


def _fallback_matrix(survey: pd.DataFrame, attrs: list[str], overall: str = "overall") -> pd.DataFrame:
    """Importance = correlation with overall; performance = mean; cut at the means."""
    imp = survey[attrs].corrwith(survey[overall])
    perf = survey[attrs].mean()
    hi_i = imp >= imp.mean()
    hi_p = perf >= perf.mean()
    quadrant = np.select([hi_i & ~hi_p, hi_i & hi_p, ~hi_i & hi_p],
                         ["improve", "keep_advantage", "maintain_or_reduce"], "low_priority")
    actions = {"improve": "improve", "keep_advantage": "keep or raise",
               "maintain_or_reduce": "maintain or reduce", "low_priority": "no action"}
    out = pd.DataFrame({"importance": imp, "performance": perf, "quadrant": quadrant},
                       index=pd.Index(attrs, name="attribute"))
    out["action"] = out["quadrant"].map(actions)
    return out


def _matrix_from(priorities: Any) -> pd.DataFrame | None:
    if priorities is None:
        return None
    if isinstance(priorities, pd.DataFrame):
        return priorities
    for name in ("matrix", "strategic_matrix"):
        m = getattr(priorities, name, None)
        if isinstance(m, pd.DataFrame):
            return m
    # any DataFrame field that looks like a strategic matrix
    fields = getattr(priorities, "__dataclass_fields__", None) or getattr(priorities, "__dict__", {})
    for name in fields:
        m = getattr(priorities, name, None)
        if isinstance(m, pd.DataFrame) and {"importance", "performance", "quadrant"} <= set(m.columns):
            return m
    raise TypeError(
        "`priorities` must be a strategic matrix DataFrame or a stage III result with a "
        f"`matrix` DataFrame; got {type(priorities).__name__}."
    )


def _section(profile: Any, name: str) -> Any:
    sec = getattr(profile, name, None) if profile is not None else None
    if sec is None:
        return None
    if hasattr(sec, "model_dump"):
        return sec.model_dump()
    return sec


def _company_dir(company: Any):
    from pathlib import Path

    for name in ("path", "directory", "dir", "root"):
        p = getattr(company, name, None)
        if p is not None:
            return Path(p)
    return None


@_memoised
def analyse(
    company: Any,
    priorities: Any = None,
    *,
    previous: pd.DataFrame | None = None,
    confidence: float = 0.95,
    n_boot: int = 0,
    seed: int | None = 0,
    conjoint_data: pd.DataFrame | None = None,
) -> ImplementationResult:
    """Run stage IV on a company.

    Parameters
    ----------
    company : orient.Company
        From :func:`orient.load_company`.
    priorities : DataFrame or stage III result, optional
        The stage III strategic matrix (``importance``, ``performance``, ``quadrant``,
        ``action`` by attribute), or a result with a ``matrix`` attribute. Without it a
        simple fallback is used (importance = correlation with overall satisfaction,
        cuts at the means) and ``matrix_source`` says so.
    previous : DataFrame, optional
        An earlier wave's strategic matrix for the improvement loop. Without it, when the
        survey has a ``wave`` column with two or more waves, the last two waves are
        compared (fallback matrices for both).
    confidence : float
        For the driver model's and what-if intervals.
    n_boot : int, default 0
        Bootstrap resamples for the driver model's intervals (0: OLS intervals).
    seed : int, optional
        Seed of the bootstrap and the conjoint design's shuffle.
    conjoint_data : DataFrame, optional
        Conjoint responses; default: the file company.yaml's ``conjoint.file`` names in
        the company folder.

    Returns
    -------
    ImplementationResult
    """
    survey = company.survey
    attrs_obj = list(company.attributes)
    attrs = [getattr(a, "column", None) or a.key for a in attrs_obj]
    keys = [a.key for a in attrs_obj]
    profile = getattr(company, "profile", None)
    notes: list[str] = []
    matrix = _matrix_from(priorities)
    if matrix is None:
        matrix = _fallback_matrix(survey.rename(columns=dict(zip(attrs, keys, strict=True))), keys)
        source = "fallback: correlation importance, mean cuts"
        notes.append("No stage III result was passed: priorities use a simple fallback "
                     "(importance = correlation with overall satisfaction).")
    else:
        source = "stage III"
    data = survey.rename(columns=dict(zip(attrs, keys, strict=True)))
    weights = getattr(company, "weights", None)
    model = driver_model(data, "overall", keys, weights=weights, confidence=confidence,
                         n_boot=n_boot, seed=seed)
    current = pd.Series({k: _mean(data[k], weights) for k in keys}, dtype=float)
    comp_cols = {a.key: a.competitor_column for a in attrs_obj
                 if getattr(a, "competitor_column", None)}
    competitor = pd.Series({k: _mean(data[c], weights) for k, c in comp_cols.items()
                            if c in data}, dtype=float)
    scale = {a.key: (a.scale_min, a.scale_max) for a in attrs_obj}
    try:
        overall_scale = company.scale("overall")
    except Exception:  # noqa: BLE001 - a company without a scale for overall: no index
        overall_scale = None
    act = _section(profile, "actions") or {}
    items = [{"attribute": k, **v} for k, v in (act.get("items") or {}).items()]
    plan = action_plan(matrix, model, actions=items, current=current, competitor=competitor,
                       scale=scale, overall_scale=overall_scale,
                       value_per_point=act.get("value_per_point"),
                       horizon_years=act.get("horizon_years") or 1.0)
    if not items:
        notes.append("company.yaml has no `actions`: owners, deadlines and costs are blank.")

    house = None
    qfd = _section(profile, "qfd")
    if qfd:
        chars = pd.DataFrame.from_dict(qfd.get("characteristics") or {}, orient="index")
        rel = pd.DataFrame.from_dict(qfd.get("relationships") or {}, orient="index")
        # every attribute is a requirement: one without a row is a gap in the design
        req_names = [k for k in keys if k in matrix.index]
        unknown = [r for r in rel.index if r not in matrix.index]
        if unknown:
            raise DataError(
                "relationship names a requirement that is not a survey attribute",
                file="company.yaml", column=f"qfd.relationships.{unknown[0]}",
                value=unknown[0], expected=f"one of {', '.join(keys)}",
            )
        requirements = matrix.loc[req_names, "importance"].clip(lower=0).astype(float)
        corr = [tuple(c) if not isinstance(c, Mapping) else (c["a"], c["b"], c["correlation"])
                for c in (qfd.get("correlations") or [])]
        house = build_house(requirements, rel.reindex(req_names),
                            characteristics=chars if len(chars) else None, correlations=corr,
                            performance=current, competitor=competitor)
    else:
        notes.append("company.yaml has no `qfd` section: no house of quality.")

    investments = None
    inv = _section(profile, "investments")
    if inv:
        inv_items = inv.get("items") or []
        # the benefit of an investment tied to an attribute: its action's predicted gain
        # (target from company.yaml) times the value of a point, whatever its quadrant
        vpp = act.get("value_per_point")
        targets = {i["attribute"]: i["target"] for i in items if i.get("target") is not None}
        gains = (what_if(model, current, pd.Series(targets, dtype=float))["gain"]
                 if targets else pd.Series(dtype=float))
        rows = []
        for it in inv_items:
            it = dict(it)
            a = it.get("attribute")
            if (it.get("annual_benefit") is None and not it.get("benefits") and a is not None):
                if a in plan.index and pd.notna(plan.loc[a, "annual_benefit"]):
                    it["annual_benefit"] = float(plan.loc[a, "annual_benefit"])
                elif a in gains.index and vpp is not None:
                    it["annual_benefit"] = float(gains[a]) * float(vpp)
                else:
                    notes.append(f"Investment {it.get('name')!r}: no benefit could be predicted "
                                 f"for {a!r}; left out.")
                    continue
            rows.append(it)
        if rows:
            investments = appraise(rows, discount_rate=inv.get("discount_rate", 0.1),
                                   years=int(inv.get("years") or 3))
    else:
        notes.append("company.yaml has no `investments`: no investment appraisal.")

    design = design_check = conj = market = None
    cj = _section(profile, "conjoint")
    if cj and cj.get("attributes"):
        levels = {k: list(v) for k, v in cj["attributes"].items()}
        design = fractional_factorial(levels, seed=seed)
        design_check = design_orthogonality(design, levels)
        if conjoint_data is None and cj.get("file"):
            root = _company_dir(company)
            path = root / cj["file"] if root is not None else None
            if path is not None and path.exists():
                conjoint_data = pd.read_csv(path)
            else:
                notes.append(f"Conjoint responses file {cj['file']!r} not found: design only.")
        elif conjoint_data is None and (cj.get("tasks") or cj.get("ratings")):
            conjoint_data = conjoint_responses(cj)
        if conjoint_data is not None:
            kind = cj.get("kind", "choice")
            if kind == "ratings":
                seg = "segment" if "segment" in conjoint_data.columns else None
                conj = ratings_conjoint(conjoint_data, levels, segment=seg,
                                        confidence=confidence)
                pw = conj.individual
            else:
                conj = choice_conjoint(conjoint_data, levels, price=cj.get("price"),
                                       confidence=confidence)
                pw = conj.partworths
            products = cj.get("products") or {}
            if products:
                scen = pd.DataFrame.from_dict(products, orient="index")[list(levels)]
                scen.index.name = "product"
                market = simulate_market(pw, scen)
    else:
        notes.append("company.yaml has no `conjoint` study.")

    loop = None
    if previous is not None:
        loop = improvement_loop(previous, matrix)
    elif "wave" in data.columns and data["wave"].nunique() >= 2:
        waves = sorted(data["wave"].dropna().unique())
        m0 = _fallback_matrix(data[data["wave"] == waves[-2]], keys)
        m1 = _fallback_matrix(data[data["wave"] == waves[-1]], keys)
        loop = improvement_loop(m0, m1)
        notes.append(f"The improvement loop compares waves {waves[-2]} and {waves[-1]} with a "
                     "simple matrix per wave (importance = correlation with overall "
                     "satisfaction, cuts at the means); pass `previous=` to compare stage III "
                     "matrices.")
    else:
        notes.append("Only one survey wave: the improvement loop needs an earlier one.")
    return ImplementationResult(matrix, source, model, plan, house, investments, design,
                                design_check, conj, market, loop, tuple(notes))



def headline(result: ImplementationResult) -> dict:
    """Headline numbers of stage IV for summary.json (JSON-safe; None where unknown).

    Returns
    -------
    dict
        ``top_characteristic``, ``top_characteristic_share`` (0-1),
        ``requirements_without_strong_relationship``, ``n_actions``,
        ``top_action`` (first in the plan), ``total_index_gain`` (0-100 points if every
        action reaches its target), ``total_action_cost``, ``best_payback_months``,
        ``total_npv``, ``frontline_median_payback_months``, ``back_office_best_roi``
        (the model's claim: frontline systems pay back in months, back-office ones rarely
        return more than 20%), ``conjoint_top_attribute``, ``conjoint_top_importance_pct``,
        ``our_logit_share`` (the first product of the study, ours), ``quadrant_changes``.
    """
    out: dict[str, Any] = dict.fromkeys([
        "top_characteristic", "top_characteristic_share",
        "requirements_without_strong_relationship", "n_actions", "top_action",
        "total_index_gain", "total_action_cost", "best_payback_months", "total_npv",
        "frontline_median_payback_months", "back_office_best_roi",
        "conjoint_top_attribute", "conjoint_top_importance_pct", "our_logit_share",
        "quadrant_changes"])
    h = result.house
    if h is not None and len(h.technical):
        top = h.technical.sort_values("rank").index[0]
        out["top_characteristic"] = str(top)
        out["top_characteristic_share"] = _num(h.technical.loc[top, "relative"])
        out["requirements_without_strong_relationship"] = int(
            (h.flags["kind"] == "no_strong_relationship").sum())
    plan = result.plan
    out["n_actions"] = int(len(plan))
    if len(plan):
        out["top_action"] = str(plan.index[0])
        out["total_index_gain"] = _num(plan["index_gain"].sum(min_count=1))
        out["total_action_cost"] = _num(plan["cost"].sum(min_count=1))
        out["best_payback_months"] = _num(plan["payback_months"].min())
    if result.investments is not None and len(result.investments):
        inv = result.investments
        out["total_npv"] = _num(inv["npv"].sum())
        front = inv[inv["kind"] == "frontline"]
        back = inv[inv["kind"] == "back_office"]
        if len(front):
            out["frontline_median_payback_months"] = _num(front["payback_months"].median())
        if len(back):
            out["back_office_best_roi"] = _num(back["roi"].max())
    if result.conjoint is not None:
        imp = result.conjoint.importance.sort_values("importance", ascending=False)
        out["conjoint_top_attribute"] = str(imp["attribute"].iloc[0])
        out["conjoint_top_importance_pct"] = _num(imp["importance"].iloc[0])
    if result.market is not None and len(result.market):
        out["our_logit_share"] = _num(result.market["share_logit"].iloc[0])
    if result.loop is not None:
        out["quadrant_changes"] = int(result.loop["changed"].sum())
    return out
