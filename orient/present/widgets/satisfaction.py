"""Stage II explorer: NPS, satisfaction index, mean and top-2-box by segment and wave."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd

from orient import satisfaction
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
    _waves_of,
    _weights_array,
)
from orient.satisfaction.indices import nps_scale_problem
from orient.satisfaction.stage import SATISFIED_SHARE

__all__ = [
    "SatisfactionSlice",
    "satisfaction_explorer",
    "satisfaction_view",
]


@dataclass(frozen=True)
class SatisfactionSlice:
    """One satisfaction measure for one wave and segment, and by segment.

    Attributes
    ----------
    measure : str
        ``"nps"``, ``"index"``, ``"mean"`` or ``"top2"``.
    label, unit : str
        How the measure is named and its unit.
    estimate : orient.satisfaction.Estimate
        The measure for the chosen wave and segment.
    suppressed : bool
        True when ``estimate.n`` is under the company's minimum base (not reported).
    segments : DataFrame or None
        :func:`orient.satisfaction.segment_table` of the measure in the chosen wave
        (None without a segment column).
    wave, segment : object
        The choice (:data:`ALL` for every one).
    composition : DataFrame or None
        For NPS, :func:`orient.satisfaction.nps_composition` of the chosen wave and
        segment (detractors, passives, promoters).
    """

    measure: str
    label: str
    unit: str
    estimate: satisfaction.Estimate
    suppressed: bool
    segments: pd.DataFrame | None
    wave: Any = ALL
    segment: Any = ALL
    composition: pd.DataFrame | None = None


def _measures(company: Any) -> dict[str, tuple[str, str, str, str, Any]]:
    """measure -> (label, unit, column, kind, scale) for the measures the survey allows."""
    survey = company.survey
    osc = company.scale("overall")
    out = {}
    if "recommend" in survey.columns and survey["recommend"].notna().any():
        rsc = company.scale("recommend")
        if nps_scale_problem(survey["recommend"], rsc) is None:
            out["nps"] = ("Net Promoter Score", "-100..100", "recommend", "nps", None)
        else:  # a 1-5 or 1-7 recommend item: no NPS (as in stage II), its mean instead
            out["recommend_mean"] = (
                "Likelihood to recommend, mean",
                f"{rsc[0]:g}-{rsc[1]:g} scale",
                "recommend",
                "mean",
                None,
            )
    out["index"] = ("Satisfaction index", "0-100", "satisfaction_index", "index", None)
    if osc[1] - osc[0] <= 1:  # a two-point overall: the share satisfied (see stage II)
        top = (osc[0], osc[1] + 1)
        out["top2"] = (SATISFIED_SHARE, "% of customers", "overall", "top2", top)
        return out
    out["mean"] = (
        "Overall satisfaction, mean",
        f"{osc[0]:g}-{osc[1]:g} scale",
        "overall",
        "mean",
        None,
    )
    out["top2"] = ("Overall satisfaction, top-2-box", "% of customers", "overall", "top2", osc)
    return out


def satisfaction_view(
    company: Any,
    measure: str = "nps",
    *,
    wave: Any = ALL,
    segment: Any = ALL,
    weighted: bool = True,
) -> SatisfactionSlice:
    """NPS, satisfaction index, mean or top-2-box for a wave and segment (stage II functions).

    The satisfaction index is :func:`orient.satisfaction.index_scores` of the company's
    satisfaction items (equal weights, each item's scale ends); the estimates are
    :func:`orient.satisfaction.nps`, :func:`~orient.satisfaction.mean_score` and
    :func:`~orient.satisfaction.top2box`; the by-segment table is
    :func:`orient.satisfaction.segment_table`.

    Parameters
    ----------
    company : orient.Company
    measure : {"nps", "index", "mean", "top2"}
    wave, segment : optional
        A value of the survey's ``wave`` / ``segment`` column, or :data:`ALL`.
    weighted : bool
        Use the survey weights when the company has them.

    Returns
    -------
    SatisfactionSlice
    """
    kinds = _measures(company)
    check_choice(measure, list(kinds), "measure")
    label, unit, column, kind, scale = kinds[measure]
    survey = company.survey.copy()
    items = [c for c in company.satisfaction_items if c in survey.columns]
    survey["satisfaction_index"] = satisfaction.index_scores(
        survey[items], {c: company.scale(c) for c in items}
    )
    w = _weights_array(company) if weighted else None
    keep = np.ones(len(survey), dtype=bool)
    if wave != ALL:
        check_choice(wave, _waves_of(survey), "wave")
        keep &= (survey["wave"] == wave).fillna(False).to_numpy(dtype=bool)
    in_wave = survey[keep]
    w_wave = None if w is None else w[keep]
    if segment != ALL:
        check_choice(segment, _segments_of(survey), "segment")
        keep &= (survey["segment"] == segment).fillna(False).to_numpy(dtype=bool)
    part = survey.loc[keep, column]
    w_part = None if w is None else w[keep]
    if kind == "nps":
        est = satisfaction.nps(part, w_part, company.confidence)
    elif kind == "top2":
        est = satisfaction.top2box(part, scale, w_part, company.confidence)
    else:
        est = satisfaction.mean_score(part, w_part, company.confidence)
    segments = None
    if "segment" in survey.columns:
        segments = satisfaction.segment_table(
            in_wave,
            "segment",
            column,
            kind=kind,
            scale=scale,
            weights=w_wave,
            min_base=company.min_base,
            confidence=company.confidence,
            measure=label,
        )
    composition = None
    if kind == "nps":
        composition = satisfaction.nps_composition(survey[keep], "recommend", weights=w_part)
    return SatisfactionSlice(
        measure, label, unit, est, est.n < company.min_base, segments, wave, segment, composition
    )


def _signed(v: float, kind: str) -> str:
    return f"{v:+.1f}" if kind == "nps" else f"{v:.1f}"


def satisfaction_explorer(
    company: Any, *, measure: str = "nps", figsize: tuple[float, float] = (8.0, 4.5)
) -> Explorer:
    """NPS and satisfaction-index calculator by segment and wave.

    Controls: ``measure`` (``"nps"``, ``"index"``, ``"mean"``, ``"top2"``), ``wave`` and
    ``segment`` (:data:`ALL` or a value), ``weighted`` (survey weights on/off).
    ``result`` is a :class:`SatisfactionSlice` (:func:`satisfaction_view`); the figure is
    :func:`orient.present.plots.segment_index_plot` of the chosen wave (without segments, the NPS
    composition, :func:`orient.present.plots.nps_composition_plot`).

    Parameters
    ----------
    company : orient.Company
    measure : str
        Starting measure (``"index"`` when the survey has no recommend question).
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    kinds = _measures(company)
    if measure not in kinds:
        measure = "index"
    survey = company.survey
    controls = {
        "measure": widgets.Dropdown(
            options=[(v[0], k) for k, v in kinds.items()],
            value=measure,
            description="Measure",
            style=_STYLE,
        ),
        "wave": _dropdown(_waves_of(survey), ALL, "Wave", "All waves"),
        "segment": _dropdown(_segments_of(survey), ALL, "Segment", "All segments"),
        "weighted": widgets.Checkbox(
            value=company.weights is not None,
            description="Use the survey weights",
            disabled=company.weights is None,
        ),
    }

    def compute(measure: str, wave: Any, segment: Any, weighted: bool) -> View:
        res = satisfaction_view(company, measure, wave=wave, segment=segment, weighted=weighted)
        est, kind = res.estimate, kinds[measure][3]
        where = ("all respondents" if segment == ALL else f"segment {segment}") + (
            "" if wave == ALL else f", wave {wave}"
        )
        if res.suppressed:
            text = (
                f"{res.label}, {where}: {est.n} answers, fewer than the minimum base of "
                f"{company.min_base}: not reported."
            )
        else:
            pct = round(100 * company.confidence)
            text = (
                f"{res.label}, {where}: {_signed(est.value, kind)} ({res.unit}); "
                f"{pct}% interval {_signed(est.ci_low, kind)} to "
                f"{_signed(est.ci_high, kind)}; {est.n} answers."
            )
        fig = table = None
        if res.segments is not None:
            fig, ax = _new_figure(figsize)
            plots.segment_index_plot(res.segments, measure=res.label, unit=res.unit, ax=ax)
            ax.set_title(f"{res.label} by segment" + ("" if wave == ALL else f", wave {wave}"))
            s = res.segments
            table = pd.DataFrame(
                {
                    "Respondents": s["n"].to_numpy(),
                    res.label: s["shown"].to_numpy(),
                    "Against the rest": [
                        "" if sup or pd.isna(d) else f"{d:+.1f}" + (" (significant)" if sig else "")
                        for d, sig, sup in zip(
                            s["difference"], s["significant"], s["suppressed"], strict=True
                        )
                    ],
                },
                index=pd.Index(s["segment"].astype(str), name="Segment"),
            )
        elif res.composition is not None and not res.suppressed:  # no segments: NPS parts
            fig, ax = _new_figure(figsize)
            plots.nps_composition_plot(res.composition, ax=ax)
        return View(res, fig, table, text)

    return Explorer("Satisfaction calculator: NPS and index by segment and wave", controls, compute)
