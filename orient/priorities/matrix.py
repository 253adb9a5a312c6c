"""The strategic satisfaction matrix and the priorities table.

:func:`strategic_matrix` places each attribute in one of the four :data:`QUADRANTS`
(cuts by mean, median, scale middle or numbers; optional iso-priority diagonal) with
its action (:data:`ACTIONS`), a priority score and its rank in the order to act (by
quadrant, then by score); :func:`priority_table` joins the matrix with the factor types,
in that order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_choice
from orient.priorities.factors import DO_NOT_CUT

__all__ = ["ACTIONS", "QUADRANTS", "priority_table", "strategic_matrix"]

#: the quadrants of the strategic satisfaction matrix, in the order to act on them
QUADRANTS = ("improve", "keep_advantage", "maintain_or_reduce", "low_priority")

#: what each quadrant asks for (the customer-orientation model's wording)
ACTIONS = {
    "improve": "Improve: important and under-performing; improvement pays most here.",
    "keep_advantage": "Keep or raise performance: important and strong; the advantage can grow.",
    "maintain_or_reduce": (
        "Maintain, or cut investment, or retarget: strong but of little weight "
        "(check first that it is not a basic factor)."
    ),
    "low_priority": "Low priority: weak but of little weight; do not spend resources here.",
}


def _as_series(obj: Any, name: str, column: str) -> pd.Series:
    if isinstance(obj, pd.Series):
        return obj.astype(float)
    if isinstance(obj, pd.DataFrame):
        if "attribute" in obj.columns:  # long table from competitive_performance
            sub = obj[obj["segment"] == "all"] if "segment" in obj.columns else obj
            return sub.set_index("attribute")[column].astype(float)
        if column in obj.columns:
            return obj[column].astype(float)
        raise ValueError(f"`{name}` has no column {column!r}.")
    if isinstance(obj, Mapping):
        return pd.Series(obj, dtype=float)
    raise TypeError(f"`{name}` must be a Series, a DataFrame or a dict; got {type(obj).__name__}.")


def _interval(obj: Any, low: str, high: str, index: pd.Index) -> tuple[pd.Series, pd.Series]:
    """The interval columns ``low``, ``high`` of a results table (NaN when it has none)."""
    nan = pd.Series(np.nan, index=index)
    if not isinstance(obj, pd.DataFrame) or low not in obj.columns or high not in obj.columns:
        return nan, nan
    return (
        _as_series(obj, "interval", low).reindex(index),
        _as_series(obj, "interval", high).reindex(index),
    )


def _fields(high_imp: bool, high_perf: bool, imp_open: bool, perf_open: bool) -> tuple:
    """The quadrants an attribute's interval box reaches, in :data:`QUADRANTS` order."""
    imps = {True, False} if imp_open else {high_imp}
    perfs = {True, False} if perf_open else {high_perf}
    reached = {_QUADRANT_OF[(i, p)] for i in imps for p in perfs}
    return tuple(q for q in QUADRANTS if q in reached)


_QUADRANT_OF = {
    (True, False): "improve",
    (True, True): "keep_advantage",
    (False, True): "maintain_or_reduce",
    (False, False): "low_priority",
}


def _cut_value(rule: Any, values: pd.Series, mid: float, name: str) -> float:
    if isinstance(rule, str):
        rule = check_choice(rule, ("mean", "median", "scale_mid"), name)
        if rule == "mean":
            return float(values.mean())
        if rule == "median":
            return float(values.median())
        return float(mid)
    if isinstance(rule, bool) or not isinstance(rule, int | float | np.number):
        raise TypeError(
            f"`{name}` must be 'mean', 'median', 'scale_mid' or a number; got {rule!r}."
        )
    return float(rule)


def strategic_matrix(
    importance: Any,
    performance: Any,
    cut: Any = "mean",
    diagonal: bool = False,
    *,
    relative: bool = False,
    competitor: pd.Series | None = None,
    performance_scale: tuple[float, float] | None = None,
    target: Any = None,
) -> pd.DataFrame:
    """Place each attribute in the strategic satisfaction matrix.

    Parameters
    ----------
    importance : Series, DataFrame or dict
        Importance by attribute; a :func:`driver_importance` result contributes its
        ``share`` column.
    performance : Series, DataFrame or dict
        Performance by attribute; a :func:`competitive_performance` result
        contributes the overall (``segment == "all"``) rows: ``own`` (0-100), or
        ``gap`` to the competitor when ``relative=True``.
    cut : {"mean", "median", "scale_mid"}, number pair or rule pair
        Where the lines split high from low. A string applies to both axes; a pair
        ``(importance_cut, performance_cut)`` gives each axis its own number or rule.
        ``"scale_mid"`` is the equal share ``1/k`` of importance (``total/k``) and the
        middle of ``performance_scale`` (50 on 0-100; 0, parity, for gaps).
        Points on a line count as high.
    diagonal : bool
        Also return the iso-priority diagonal variant: the line through the cut point
        where importance and performance, each divided by its standard deviation
        across attributes, are equal. ``diagonal_gap`` is the standardised importance
        minus standardised performance (positive: above the line, importance outruns
        performance, a candidate for improvement) and ``above_diagonal`` its sign.
    relative : bool
        Take ``gap`` rather than ``own`` from a competitive-performance table.
    competitor : Series, optional
        Competitor performance by attribute (same scale); taken from a
        competitive-performance table when ``relative`` is False.
    performance_scale : (low, high), optional
        Ends of the performance axis; default (0, 100), or (-100, 100) when relative.
    target : number or Series, optional
        Performance the company aims for; the shortfall is ``target - performance``
        (never negative). Default: the competitor's performance when known, parity
        (0) for gaps, otherwise the top of the scale.

    Returns
    -------
    DataFrame
        Indexed by attribute, with columns ``importance``, ``performance``,
        ``quadrant`` (one of ``"improve"``, ``"keep_advantage"``,
        ``"maintain_or_reduce"``, ``"low_priority"``), ``action`` (what the quadrant
        asks for, in words), ``competitor`` (NaN when unknown), ``shortfall``,
        ``priority`` (importance x shortfall: the weighted points to recover) and
        ``priority_rank`` (the order to act, 1 = act first: by the quadrant's action,
        ``improve`` before ``keep_advantage`` before ``maintain_or_reduce`` before
        ``low_priority`` as in :data:`QUADRANTS`, then within a quadrant by
        ``priority``, ties broken by importance), plus
        ``diagonal_gap`` and ``above_diagonal`` when ``diagonal=True``.
        ``importance_ci_low``, ``importance_ci_high`` (the share's bootstrap interval of a
        :func:`driver_importance` result), ``performance_ci_low``,
        ``performance_ci_high`` (the interval of ``own``, or of ``gap`` when relative,
        of a :func:`competitive_performance` result), NaN when not given;
        ``near_line`` (True when an interval contains its axis's cut: within the noise
        of the survey the attribute could lie on either side of that line, so its
        quadrant is not established; the cut itself is taken as fixed) and ``fields``
        (the quadrants its interval box reaches, in :data:`QUADRANTS` order; one when
        not ``near_line``).
        ``attrs`` holds ``importance_cut``, ``performance_cut``, ``performance_scale``
        and ``relative``.

    Examples
    --------
    >>> imp = pd.Series({"delivery": 0.4, "price": 0.3, "packaging": 0.2, "website": 0.1})
    >>> perf = pd.Series({"delivery": 40.0, "price": 80.0, "packaging": 70.0, "website": 30.0})
    >>> strategic_matrix(imp, perf)["quadrant"].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'delivery': 'improve', 'price': 'keep_advantage', 'packaging': 'maintain_or_reduce',
     'website': 'low_priority'}
    """
    imp = _as_series(importance, "importance", "share")
    perf_col = "gap" if relative else "own"
    perf = _as_series(performance, "performance", perf_col)
    if (
        competitor is None
        and not relative
        and isinstance(performance, pd.DataFrame)
        and "competitor" in performance.columns
    ):
        competitor = _as_series(performance, "performance", "competitor")
    missing_perf = [a for a in imp.index if a not in perf.index or pd.isna(perf.get(a))]
    if missing_perf:
        raise ValueError(
            f"No performance for attribute {missing_perf[0]!r}: `performance` must "
            "cover every attribute in `importance` (a suppressed base?)."
        )
    if imp.isna().any():
        raise ValueError(f"Importance of attribute {imp.index[imp.isna()][0]!r} is missing.")
    if not isinstance(diagonal, bool):
        raise TypeError(f"`diagonal` must be True or False; got {diagonal!r}.")
    perf = perf.reindex(imp.index)
    if performance_scale is None:
        performance_scale = (-100.0, 100.0) if relative else (0.0, 100.0)
    lo, hi = (float(v) for v in performance_scale)
    if isinstance(cut, str):
        cut_imp, cut_perf = cut, cut
    elif isinstance(cut, Sequence) and len(cut) == 2:
        cut_imp, cut_perf = cut
    else:
        raise ValueError(
            "`cut` must be 'mean', 'median', 'scale_mid' or a pair "
            f"(importance_cut, performance_cut); got {cut!r}."
        )
    ic = _cut_value(cut_imp, imp, imp.sum() / len(imp), "cut")
    pc = _cut_value(cut_perf, perf, (lo + hi) / 2, "cut")
    high_imp = imp >= ic
    high_perf = perf >= pc
    quadrant = np.where(
        high_imp,
        np.where(high_perf, "keep_advantage", "improve"),
        np.where(high_perf, "maintain_or_reduce", "low_priority"),
    )
    out = pd.DataFrame(
        {"importance": imp, "performance": perf, "quadrant": quadrant},
        index=pd.Index(imp.index, name="attribute"),
    )
    out["action"] = out["quadrant"].map(ACTIONS)
    # an interval that contains its cut leaves the side of that line unestablished
    imp_lo, imp_hi = _interval(importance, "share_ci_low", "share_ci_high", imp.index)
    if relative:
        perf_lo, perf_hi = _interval(performance, "ci_low", "ci_high", imp.index)
    else:
        perf_lo, perf_hi = _interval(performance, "own_ci_low", "own_ci_high", imp.index)
    imp_open = (imp_lo <= ic) & (ic <= imp_hi)
    perf_open = (perf_lo <= pc) & (pc <= perf_hi)
    out["importance_ci_low"], out["importance_ci_high"] = imp_lo, imp_hi
    out["performance_ci_low"], out["performance_ci_high"] = perf_lo, perf_hi
    out["near_line"] = imp_open | perf_open
    out["fields"] = [
        _fields(bool(hi_i), bool(hi_p), bool(o_i), bool(o_p))
        for hi_i, hi_p, o_i, o_p in zip(high_imp, high_perf, imp_open, perf_open, strict=True)
    ]
    comp = (
        competitor.astype(float).reindex(imp.index)
        if competitor is not None
        else pd.Series(np.nan, index=imp.index)
    )
    out["competitor"] = comp
    if target is None:
        tgt = comp if comp.notna().all() else pd.Series(0.0 if relative else hi, index=imp.index)
    elif isinstance(target, pd.Series):
        tgt = target.astype(float).reindex(imp.index)
    else:
        tgt = pd.Series(float(target), index=imp.index)
    out["shortfall"] = (tgt - perf).clip(lower=0)
    out["priority"] = out["importance"].abs() * out["shortfall"]
    # the order to act: the quadrant's action first (improve, keep the advantage,
    # maintain or reduce, low priority), then the priority score, then importance
    field = out["quadrant"].map({q: i for i, q in enumerate(QUADRANTS)})
    order = (
        out.assign(_field=field)
        .sort_values(
            ["_field", "priority", "importance"], ascending=[True, False, False], kind="stable"
        )
        .index
    )
    out["priority_rank"] = pd.Series(np.arange(1, len(out) + 1), index=order).reindex(out.index)
    if diagonal:
        si = imp.std(ddof=0) or 1.0
        sp = perf.std(ddof=0) or 1.0
        out["diagonal_gap"] = (imp - ic) / si - (perf - pc) / sp
        out["above_diagonal"] = out["diagonal_gap"] > 0
    out.attrs.update(
        {
            "importance_cut": ic,
            "performance_cut": pc,
            "diagonal": diagonal,
            "performance_scale": (lo, hi),
            "relative": relative,
            "importance_sd": float(imp.std(ddof=0)),
            "performance_sd": float(perf.std(ddof=0)),
        }
    )
    return out


def priority_table(
    matrix: pd.DataFrame,
    factors: pd.DataFrame | None = None,
    labels: Mapping[str, str] | pd.Series | None = None,
) -> pd.DataFrame:
    """The priorities: matrix and factor types together, in the order to act.

    Parameters
    ----------
    matrix : DataFrame
        A :func:`strategic_matrix` result.
    factors : DataFrame, optional
        A :func:`penalty_reward` result.
    labels : mapping or Series, optional
        Display labels by attribute.

    Returns
    -------
    DataFrame
        Indexed by attribute in ``priority_rank`` order (the order to act: by quadrant
        as in :data:`QUADRANTS`, then by ``priority`` within it), columns ``label``,
        ``importance``, ``performance``, ``competitor``, ``quadrant``, ``factor`` (NaN
        without ``factors``), ``priority``, ``priority_rank``, ``do_not_cut`` (True for
        a ``maintain_or_reduce`` attribute that is a basic factor) and ``action``
        (the quadrant's action, with "do not cut: it hurts when it slips" where
        flagged), then the matrix's ``near_line``, ``fields`` and interval columns.
    """
    out = matrix.copy()
    lab = pd.Series(labels if labels is not None else {}, dtype=object)
    out["label"] = [lab.get(a, a) for a in out.index]
    out["factor"] = factors["factor"].reindex(out.index) if factors is not None else np.nan
    out["do_not_cut"] = (out["quadrant"] == "maintain_or_reduce") & (out["factor"] == "basic")
    out["action"] = np.where(
        out["do_not_cut"],
        out["action"] + " " + DO_NOT_CUT[0].upper() + DO_NOT_CUT[1:] + ".",
        out["action"],
    )
    cols = [
        "label",
        "importance",
        "performance",
        "competitor",
        "quadrant",
        "factor",
        "priority",
        "priority_rank",
        "do_not_cut",
        "action",
    ]
    extra = [
        c
        for c in (
            "near_line",
            "fields",
            "importance_ci_low",
            "importance_ci_high",
            "performance_ci_low",
            "performance_ci_high",
        )
        if c in out.columns
    ]
    return out[cols + extra].sort_values("priority_rank")
