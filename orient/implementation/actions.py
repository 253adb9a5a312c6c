"""From priorities to actions: the driver model, what-if gains, the plan and the loop.

:func:`driver_model` (OLS of overall satisfaction on the attributes), :func:`what_if`
(predicted gain when an attribute moves to its target), :func:`action_plan` (owner, KPI,
target, deadline, cost, gain, ROI, payback) and :func:`improvement_loop` (which
attributes changed quadrant between two waves and which stage each change sends the
reader back to).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
from orient.implementation._common import QUADRANTS as _QUADRANTS
from orient.implementation._common import _isna
from orient.implementation.finance import payback_months

__all__ = ["driver_model", "what_if", "action_plan", "improvement_loop"]

_HIGH_IMPORTANCE = {"improve", "keep_advantage"}
_HIGH_PERFORMANCE = {"keep_advantage", "maintain_or_reduce"}


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
    from its scale ends to 0-100) the gain is ``100 * gain / (max - min)``. On a
    two-point overall (0/1: satisfied or not) the model is a linear probability model:
    ``gain`` is a change in the share satisfied (a fraction) and ``index_gain`` that
    change in percentage points.

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
            raise ValueError(
                f"`overall_scale` must be (min, max) with max > min; got {overall_scale!r}."
            )
        k = 100.0 / (hi_s - lo_s)
    else:
        k = np.nan
    out["index_gain"] = out["gain"] * k
    out["index_ci_low"] = out["ci_low"] * k
    out["index_ci_high"] = out["ci_high"] * k
    out.index.name = "attribute"
    return out


_PLAN_COLUMNS = [
    "quadrant",
    "owner",
    "kpi",
    "kpi_target",
    "deadline",
    "current",
    "target",
    "target_source",
    "change",
    "coefficient",
    "gain",
    "ci_low",
    "ci_high",
    "index_gain",
    "index_ci_low",
    "index_ci_high",
    "cost",
    "annual_benefit",
    "roi",
    "payback_months",
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
        ``payback_months`` (:func:`~orient.implementation.finance.payback_months` of a
        constant annual benefit: ``12 x cost / annual_benefit``; NaN when there is no
        benefit),
        ``gain_per_cost`` (overall points per unit of currency). Also ``action`` when
        ``actions`` describe one.
    """
    check_dataframe(matrix, "matrix")
    check_columns(matrix, ["importance", "performance", "quadrant"], "matrix")
    check_choice(order, ("gain_per_cost", "quadrant"), "order")
    bad = [q for q in matrix["quadrant"] if q not in _QUADRANTS]
    if bad:
        raise ValueError(f"`matrix` quadrant {bad[0]!r} is not one of {', '.join(_QUADRANTS)}.")
    acts = _actions_frame(actions)
    unknown = [a for a in acts.index if a not in matrix.index]
    if unknown:
        raise ValueError(
            f"`actions` names attribute {unknown[0]!r}, which is not in the strategic "
            f"matrix ({', '.join(map(str, matrix.index))})."
        )
    # in the order to act (stage III's priority_rank when given): a tie in the plan's
    # sort keeps that order
    by_rank = (
        matrix.sort_values("priority_rank", kind="stable").index
        if "priority_rank" in matrix.columns
        else matrix.index
    )
    chosen = [
        a for q in ("improve", "keep_advantage") for a in by_rank if matrix.loc[a, "quadrant"] == q
    ]
    cur = (
        pd.Series(current, dtype=float)
        if current is not None
        else matrix["performance"].astype(float)
    )
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
    wi = what_if(
        model, cur, pd.Series(targets, index=chosen, dtype=float), overall_scale=overall_scale
    )
    plan = wi.copy()
    plan.insert(0, "quadrant", matrix.loc[chosen, "quadrant"].to_numpy())
    for col in ("action", "owner", "kpi", "kpi_target", "deadline"):
        if col in acts.columns or col != "action":
            vals = [
                acts.loc[a, col] if (a in acts.index and col in acts.columns) else None
                for a in chosen
            ]
            plan[col] = pd.Series(
                [None if _isna(v) else v for v in vals], index=chosen, dtype=object
            )
    plan["target_source"] = pd.Series(sources)
    costs = [
        acts.loc[a, "cost"] if (a in acts.index and "cost" in acts.columns) else np.nan
        for a in chosen
    ]
    plan["cost"] = pd.to_numeric(pd.Series(costs, index=chosen), errors="coerce").astype(float)
    if (plan["cost"] < 0).any():
        a = plan.index[plan["cost"] < 0][0]
        raise ValueError(f"`actions` cost of {a!r} is {plan.loc[a, 'cost']}; it must be >= 0.")
    given_benefit = pd.Series(
        [
            acts.loc[a, "annual_benefit"]
            if (a in acts.index and "annual_benefit" in acts.columns)
            else np.nan
            for a in chosen
        ],
        index=chosen,
        dtype=float,
    )
    benefit = plan["gain"] * (float(value_per_point) if value_per_point is not None else np.nan)
    plan["annual_benefit"] = given_benefit.where(given_benefit.notna(), benefit)
    with np.errstate(divide="ignore", invalid="ignore"):
        plan["roi"] = (plan["annual_benefit"] * horizon_years - plan["cost"]) / plan["cost"]
        plan["payback_months"] = pd.Series(
            [
                payback_months(c, b)
                for c, b in zip(plan["cost"], plan["annual_benefit"], strict=True)
            ],
            index=plan.index,
            dtype=float,
        )
        plan["gain_per_cost"] = np.where(plan["cost"] > 0, plan["gain"] / plan["cost"], np.nan)
    plan.loc[plan["cost"] <= 0, ["roi"]] = np.nan
    cols = [c for c in _PLAN_COLUMNS if c in plan.columns]
    if "action" in plan.columns:
        cols.insert(1, "action")
    plan = plan[cols]
    plan["_q"] = plan["quadrant"].map({"improve": 0, "keep_advantage": 1})
    keys = ["gain_per_cost", "gain"]
    if order == "quadrant":
        plan = plan.sort_values(
            ["_q", *keys], ascending=[True, False, False], na_position="last", kind="stable"
        )
    else:
        plan = plan.sort_values(
            [*keys, "_q"], ascending=[False, False, True], na_position="last", kind="stable"
        )
    plan = plan.drop(columns="_q")
    plan.index.name = "attribute"
    return plan


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
            back, reason = (
                "II",
                ("measured in one wave only: check the questionnaire before comparing"),
            )
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
                back, reason = (
                    "I",
                    (
                        f"importance {direction} weight: customers' requirements moved; revisit "
                        "goals, segments and direction"
                    ),
                )
            else:
                if qa in _HIGH_PERFORMANCE:
                    reason = "performance rose past the cut: the improvement worked; re-prioritise"
                else:
                    reason = "performance fell below the cut: the advantage slipped; re-prioritise"
                back = "III"
        rows.append(
            {
                "attribute": a,
                "quadrant_before": qb,
                "quadrant_after": qa,
                "changed": qb != qa,
                "importance_change": di,
                "performance_change": dp,
                "back_to": back,
                "reason": reason,
            }
        )
    out = pd.DataFrame(rows).set_index("attribute")
    for col in ("quadrant_before", "quadrant_after", "back_to", "reason"):
        out[col] = pd.Series([r[col] for r in rows], index=out.index, dtype=object)
    return out
