"""Stage III explorer: the strategic matrix by segment, driver method and cut lines."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets
import pandas as pd

from orient import priorities
from orient._validate import check_choice
from orient.present import plots
from orient.present.widgets.explorer import (
    _STYLE,
    ALL,
    Explorer,
    View,
    _dropdown,
    _new_figure,
    _segments_of,
    _slider,
    _weights_array,
)

__all__ = [
    "segment_matrix",
    "strategic_matrix_explorer",
]


_QUADRANT_WORDS = {
    "improve": "Improve",
    "keep_advantage": "Keep advantage",
    "maintain_or_reduce": "Maintain or reduce",
    "low_priority": "Low priority",
}


def segment_matrix(
    company: Any,
    *,
    method: str = "shapley",
    segment: Any = None,
    cut: Any = None,
    relative: bool | None = None,
) -> pd.DataFrame:
    """The strategic matrix of one segment (or everyone), from the stage III functions.

    The survey is narrowed to the segment, then :func:`orient.priorities.driver_importance`
    (overall satisfaction on the attributes), :func:`orient.priorities.competitive_performance`
    and :func:`orient.priorities.strategic_matrix` run on it exactly as
    :func:`orient.priorities.analyse` runs them on the whole survey.

    Parameters
    ----------
    company : orient.Company
    method : str
        Driver-importance method (:data:`orient.priorities.METHODS`).
    segment : value of the ``segment`` column, optional
        None or :data:`ALL`: every respondent.
    cut : see :func:`orient.priorities.strategic_matrix`
        Default: mean importance, and parity (0) on the gap axis or mean performance.
    relative : bool, optional
        Performance axis = gap to the competitor (default: when every attribute was
        rated for the competitor).

    Returns
    -------
    DataFrame
        :func:`orient.priorities.strategic_matrix`'s columns (``importance``,
        ``performance``, ``quadrant``, ``action``, ``competitor``, ``shortfall``,
        ``priority``, ``priority_rank``) plus ``label``; ``attrs`` also hold ``segment``,
        ``n`` (respondents behind the driver analysis), ``r2`` and ``method``.

    Raises
    ------
    ValueError
        An unknown segment, or one with fewer respondents than ``company.min_base``.
    """
    survey = company.survey
    attrs = list(company.attributes)
    weights = _weights_array(company)
    if segment is not None and segment != ALL:
        known = _segments_of(survey)
        if segment not in known:
            raise ValueError(
                f"`segment` must be one of {', '.join(map(repr, known))}; got {segment!r}."
            )
        sel = (survey["segment"] == segment).fillna(False).to_numpy(dtype=bool)
        survey = survey[sel]
        weights = None if weights is None else weights[sel]
        base = int(getattr(company, "min_base", 30) or 30)
        if len(survey) < base:
            raise ValueError(
                f"Segment {segment!r} has {len(survey)} respondents, fewer than "
                f"the minimum base of {base}: its matrix is not shown."
            )
    rename = {a.column: a.key for a in attrs}
    keys = [a.key for a in attrs]
    confidence = float(getattr(company, "confidence", 0.95) or 0.95)
    # stage III's pipeline (drivers -> performance -> matrix) on one segment's respondents
    # (the stage itself runs it on everyone; a widget control picks the segment)
    drivers = priorities.driver_importance(
        survey.rename(columns=rename),
        "overall",
        keys,
        method=method,
        weights=weights,
        confidence=confidence,
    )
    perf = priorities.competitive_performance(
        survey, attrs, weights=weights, confidence=confidence, min_base=0
    )
    if relative is None:
        relative = bool(perf["competitor"].notna().all())
    if cut is None:
        cut = ("mean", 0.0) if relative else "mean"
    matrix = priorities.strategic_matrix(drivers, perf, cut=cut, relative=relative)
    matrix["label"] = [{a.key: a.label for a in attrs}[k] for k in matrix.index]
    matrix.attrs.update(
        {
            "segment": ALL if segment is None else segment,
            "n": int(drivers.attrs.get("n", len(survey))),
            "r2": drivers.attrs.get("r2"),
            "method": method,
        }
    )
    return matrix


def _matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    m = matrix.sort_values("priority_rank")
    relative = matrix.attrs.get("relative", False)
    return pd.DataFrame(
        {
            "Priority": m["priority_rank"].to_numpy(),
            "Importance (%)": (100 * m["importance"]).round(1).to_numpy(),
            ("Gap to competitor (points)" if relative else "Performance (0-100)"): m["performance"]
            .round(1)
            .to_numpy(),
            "Quadrant": [_QUADRANT_WORDS[q] for q in m["quadrant"]],
        },
        index=pd.Index(m["label"], name="Attribute"),
    )


def strategic_matrix_explorer(
    company: Any,
    *,
    method: str = "shapley",
    relative: bool | None = None,
    figsize: tuple[float, float] = (8.0, 5.5),
) -> Explorer:
    """Move the strategic matrix's cut lines, pick a segment and a driver method.

    Controls: ``method`` (driver-importance method), ``segment`` (:data:`ALL` or a
    segment), ``cut_importance`` (importance cut, % of explained variation),
    ``cut_performance`` (performance cut: points of gap to the competitor, or 0-100
    score). The button "Cuts at the means" puts both lines back at the means.
    ``result`` is the :func:`segment_matrix` DataFrame; the figure is
    :func:`orient.present.plots.strategic_matrix_plot`.

    Parameters
    ----------
    company : orient.Company
    method : str
        Starting driver method.
    relative : bool, optional
        Performance axis = gap to the competitor (default when the competitor was rated).
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    check_choice(method, priorities.METHODS, "method")
    labels = {a.key: a.label for a in company.attributes}
    k = len(labels)
    first = segment_matrix(company, method=method, relative=relative)
    rel = bool(first.attrs.get("relative", False))
    perf = first["performance"]
    if rel:
        lo, hi = math.floor(min(perf.min(), 0) - 10), math.ceil(max(perf.max(), 0) + 10)
        lo, hi, start_p = max(lo, -100), min(hi, 100), 0.0
    else:
        lo, hi, start_p = 0, 100, round(float(perf.mean()), 1)
    start_i = 100.0 / k  # the mean share: shares sum to 1
    controls = {
        "method": widgets.Dropdown(
            options=list(priorities.METHODS),
            value=method,
            description="Driver method",
            style=_STYLE,
        ),
        "segment": _dropdown(_segments_of(company.survey), ALL, "Segment", "All respondents"),
        "cut_importance": _slider(
            "float",
            start_i,
            0.0,
            max(50.0, math.ceil(3 * start_i)),
            description="Importance cut (% of explained variation)",
            step=0.1,
        ),
        "cut_performance": _slider(
            "float",
            start_p,
            lo,
            hi,
            description="Performance cut (gap to competitor, points)"
            if rel
            else "Performance cut (score 0-100)",
            step=0.5,
        ),
    }

    def compute(method: str, segment: Any, cut_importance: float, cut_performance: float) -> View:
        matrix = segment_matrix(
            company,
            method=method,
            segment=segment,
            relative=rel,
            cut=(cut_importance / 100.0, cut_performance),
        )
        fig, ax = _new_figure(figsize)
        plots.strategic_matrix_plot(matrix, labels=labels, arrows=not rel, ax=ax)
        who = "all respondents" if segment == ALL else f"segment {segment}"
        ax.set_title(f"Strategic satisfaction matrix: {who} ({method})")
        improve = [
            labels[a]
            for a in matrix.sort_values("priority_rank").index
            if matrix.loc[a, "quadrant"] == "improve"
        ]
        text = (
            f"{who[0].upper()}{who[1:]}: {matrix.attrs['n']} respondents, R² = "
            f"{matrix.attrs['r2']:.2f}. Improve: "
            + (", ".join(improve) if improve else "nothing")
            + "."
        )
        return View(matrix, fig, _matrix_table(matrix), text)

    def reset(_button: Any = None) -> None:
        m = explorer.result
        p = 0.0 if rel or m is None else round(float(m["performance"].mean()), 1)
        explorer.update(cut_importance=start_i, cut_performance=p)

    button = widgets.Button(
        description="Cuts at the means",
        tooltip="mean importance; parity with the competitor or the mean score",
    )
    explorer = Explorer("Strategic satisfaction matrix", controls, compute, buttons=[button])
    button.on_click(reset)
    explorer.reset_cuts = reset
    return explorer
