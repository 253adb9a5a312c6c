"""Stage III's entry point: :func:`analyse` one company, :class:`PrioritiesResult`, :func:`headline`."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from orient._json import number as _num
from orient._memo import memoised as _memoised
from orient.errors import DataError, OrientWarning
from orient.i18n import company_language
from orient.priorities.drivers import driver_importance
from orient.priorities.factors import penalty_reward
from orient.priorities.matrix import QUADRANTS, priority_table, strategic_matrix
from orient.priorities.narrative import narrative
from orient.priorities.performance import _attribute_table, competitive_performance

__all__ = ["PrioritiesResult", "analyse", "headline"]


@dataclass(frozen=True)
class PrioritiesResult:
    """Everything stage III shows, from :func:`analyse`.

    Attributes
    ----------
    drivers : DataFrame
        :func:`driver_importance` of overall satisfaction on the attributes.
    performance : DataFrame
        :func:`competitive_performance` (overall and by segment).
    matrix : DataFrame
        :func:`strategic_matrix`.
    factors : DataFrame or None
        :func:`penalty_reward` (None when it could not be computed).
    priorities : DataFrame
        :func:`priority_table`.
    sentences : tuple of str
        :func:`narrative`.
    competitor : str or None
        The main competitor's name.
    relative : bool
        Whether the matrix's performance axis is the gap to the competitor.
    labels : dict
        Attribute labels by key.
    """

    drivers: pd.DataFrame
    performance: pd.DataFrame
    matrix: pd.DataFrame
    factors: pd.DataFrame | None
    priorities: pd.DataFrame
    sentences: tuple[str, ...]
    competitor: str | None = None
    relative: bool = False
    labels: dict = field(default_factory=dict)

    @property
    def has_competitor(self) -> bool:
        """Whether the survey rated the competitor on any attribute (all respondents)."""
        perf = self.performance
        if "competitor" not in perf.columns:
            return False
        return bool(perf.loc[perf["segment"] == "all", "competitor"].notna().any())


def _held_within_segments(factors, survey, target, table, weights, confidence, segment):
    """A basic or excitement factor stays one only when it holds with the segment held
    fixed (the obvious confounder); otherwise its type is ``"unclear"``."""
    out = factors.copy()
    typed = out["factor"].isin(["basic", "excitement"])
    try:
        within = penalty_reward(
            survey, target, table, weights=weights, confidence=confidence, controls=[segment]
        )
    except (DataError, ValueError):  # the check cannot be made: no type is declared
        out.loc[typed, "factor"] = "unclear"
        return out
    differs = typed & (within["factor"].reindex(out.index) != out["factor"])
    out.loc[differs, "factor"] = "unclear"
    out["factor_within_segments"] = within["factor"].reindex(out.index)
    out.attrs.update(factors.attrs)
    return out


def _company_field(company: Any, name: str, default: Any = None) -> Any:
    value = getattr(company, name, default)
    return default if value is None else value


@_memoised
def analyse(
    company: Any,
    *,
    method: str = "shapley",
    n_boot: int = 500,
    seed: int = 0,
    cut: Any = None,
    diagonal: bool = False,
    relative: bool | None = None,
    target: str = "overall",
    segment: str | None = "segment",
    missing: str = "listwise",
    binary: str = "logit",
    ordinal: str = "linear",
) -> PrioritiesResult:
    """Stage III for one company: drivers, competitive performance, matrix, factors.

    Parameters
    ----------
    company : orient.Company
        From :func:`orient.load_company`.
    method : str
        Driver-importance method (see :func:`driver_importance`).
    n_boot, seed : int
        Bootstrap resamples for the importance intervals, and their seed.
    cut : see :func:`strategic_matrix`
        Default: mean importance, and parity with the competitor (when there is one)
        or the mean performance.
    diagonal : bool
        Add the iso-priority diagonal to the matrix.
    relative : bool, optional
        Performance axis = gap to the competitor (default when a competitor was rated).
    target : str
        The overall-satisfaction column.
    segment : str or None
        Segment column for competitive performance (ignored if absent).
    missing : str
        Missing-data handling for the driver analysis.
    binary : {"logit", "lpm"}
        The model of a two-point overall (company.yaml ``analysis.binary_method``): the
        logistic model's McFadden R² or the linear probability model's R² (see
        :func:`driver_importance`).
    ordinal : {"linear", "ordered_logit"}
        The model of an overall with more answers (company.yaml
        ``analysis.ordinal_method``): least squares, or the cumulative-logit model's
        McFadden R² for 3-7 ordered answers (see :func:`driver_importance`).

    Returns
    -------
    PrioritiesResult
    """
    survey = company.survey
    table = _attribute_table(list(company.attributes))
    labels = dict(zip(table["key"], table["label"], strict=True))
    weights = company.weights if _company_field(company, "weights") is not None else None
    if weights is not None:
        weights = pd.Series(weights).reindex(survey.index).to_numpy(dtype=float)
    confidence = float(_company_field(company, "confidence", 0.95))
    min_base = int(_company_field(company, "min_base", 30))
    drivers = driver_importance(
        survey.rename(columns=dict(zip(table["column"], table["key"], strict=True))),
        target,
        list(table["key"]),
        method=method,
        weights=weights,
        n_boot=n_boot,
        seed=seed,
        missing=missing,
        confidence=confidence,
        binary=binary,
        ordinal=ordinal,
    )
    seg = segment if segment is not None and segment in survey.columns else None
    perf = competitive_performance(
        survey, table, weights=weights, segment=seg, confidence=confidence, min_base=min_base
    )
    overall = perf[perf["segment"] == "all"].set_index("attribute")
    has_comp = overall["competitor"].notna().all()
    if relative is None:
        relative = bool(has_comp)
    if cut is None:
        cut = ("mean", 0.0) if relative else "mean"
    matrix = strategic_matrix(drivers, perf, cut=cut, diagonal=diagonal, relative=relative)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OrientWarning)
            factors = penalty_reward(survey, target, table, weights=weights, confidence=confidence)
            if seg is not None:
                factors = _held_within_segments(
                    factors, survey, target, table, weights, confidence, seg
                )
    except (DataError, ValueError):
        factors = None
    prio = priority_table(matrix, factors, labels)
    competitor = getattr(company, "competitor", None)
    competitor = getattr(competitor, "name", competitor)
    competitor = None if competitor is None else str(competitor)
    sentences = narrative(
        prio,
        competitor=competitor,
        # "explain x% of the variation" is an R² reading: none for a McFadden pseudo-R²
        # (binary or ordinal outcome; the headline keeps the number, under its method)
        r2=drivers.attrs["r2"] if drivers.attrs.get("outcome") == "continuous" else None,
        n=drivers.attrs["n"],
        relative=relative,
        gaps=perf,
        language=company_language(company),
        drivers=drivers,
    )
    return PrioritiesResult(
        drivers=drivers,
        performance=perf,
        matrix=matrix,
        factors=factors,
        priorities=prio,
        sentences=tuple(sentences),
        competitor=competitor,
        relative=relative,
        labels=labels,
    )


def _near(prio: pd.DataFrame) -> pd.Series:
    """Whether each attribute's interval contains a cut of the matrix (False without intervals)."""
    if "near_line" not in prio.columns:
        return pd.Series(False, index=prio.index)
    return prio["near_line"].fillna(False).astype(bool)


def _fields_of(prio: pd.DataFrame, attr: Any) -> list[str]:
    """The quadrants ``attr``'s interval box reaches (its own quadrant alone when established)."""
    fields = prio.loc[attr, "fields"] if "fields" in prio.columns else None
    if not isinstance(fields, tuple | list) or not fields:
        return [str(prio.loc[attr, "quadrant"])]
    return [str(q) for q in fields]


def headline(result: PrioritiesResult) -> dict[str, Any]:
    """Headline numbers of stage III for ``summary.json`` (JSON-safe; None if unknown).

    Returns
    -------
    dict
        ``method``, ``r2``, ``n``, ``top_driver`` (key), ``top_driver_label``,
        ``top_driver_share``, ``top_priority`` (key of priority rank 1), ``top_priority_label``,
        ``top_priority_quadrant`` (its quadrant of the strategic matrix),
        ``top_priority_fields`` (the quadrants its interval box reaches: more than one
        when an interval contains a cut, so that its quadrant is not established),
        ``top_driver_rank_low``, ``top_driver_rank_high`` (the bootstrap interval of the
        top driver's rank; None without a bootstrap), ``strongest_driver_label`` (the
        top driver's label when that interval is 1 to 1 or there is none, else None),
        ``largest_share_label`` (its label when the interval reaches past rank 1, else
        None), ``improve`` (keys in priority order), ``keep_advantage``,
        ``maintain_or_reduce``, ``low_priority``, ``on_the_line`` (keys, in priority
        order, whose importance or performance interval contains the matrix's cut), ``do_not_cut``, ``basic_factors``,
        ``excitement_factors``, ``largest_shortfall`` (key),
        ``binary_method`` (a two-point overall's model: ``"logit"`` or ``"lpm"``, else
        None), ``ordinal_method`` (``"ordered_logit"`` when an ordinal overall was
        modelled so, else None), ``exact`` (all subset models fitted; False: sampled
        orderings), ``mc_se``
        (the largest Monte Carlo standard error of an importance when sampled),
        ``n_boot`` (resamples drawn) and ``ci_mc_se`` (the Monte Carlo error of the
        interval ends),
        ``largest_shortfall_gap`` (points, own minus competitor), ``competitor`` and
        ``sentences``; ``labels`` (each attribute key's label).
    """
    d = result.drivers
    if "ci_low" in d.columns:  # a driver whose interval includes zero is not the strongest
        d = d[~((d["ci_low"] <= 0) & (d["ci_high"] >= 0))]
    top = d["share"].idxmax() if len(d) else None
    # the bootstrap rank interval of the largest share: first only when it is 1 to 1
    rank_low = rank_high = None
    if top is not None and "rank_ci_low" in d.columns:
        rank_low = _num(d.loc[top, "rank_ci_low"])
        rank_high = _num(d.loc[top, "rank_ci_high"])
    unsure = rank_high is not None and rank_high > 1
    top_label = None if top is None else str(result.labels.get(top, top))
    prio = result.priorities
    # the first priority is priority rank 1: the rank orders by quadrant first, so it
    # is the first attribute to improve when there is one
    first = prio["priority_rank"].idxmin() if len(prio) else None
    by_q = {q: [str(a) for a in prio.index[prio["quadrant"] == q]] for q in QUADRANTS}
    perf = result.performance
    overall = perf[perf["segment"] == "all"].set_index("attribute")
    gaps = overall["gap"].dropna()
    # a shortfall is a gap whose interval lies below zero: within the noise it is "level"
    if "ci_high" in overall.columns:
        gaps = gaps[overall.loc[gaps.index, "ci_high"] < 0]
    worst = gaps.idxmin() if len(gaps) and gaps.min() < 0 else None
    factors = result.factors
    return {
        "method": d.attrs.get("method"),
        "r2": _num(d.attrs.get("r2")),
        "n": int(d.attrs["n"]) if "n" in d.attrs else None,
        "top_driver": None if top is None else str(top),
        "top_driver_label": top_label,
        "top_driver_share": None if top is None else _num(d.loc[top, "share"]),
        "top_driver_rank_low": rank_low,
        "top_driver_rank_high": rank_high,
        "strongest_driver_label": None if unsure else top_label,
        "largest_share_label": top_label if unsure else None,
        "top_priority": None if first is None else str(first),
        "top_priority_label": None if first is None else str(prio.loc[first, "label"]),
        "top_priority_quadrant": None if first is None else str(prio.loc[first, "quadrant"]),
        "top_priority_fields": None if first is None else _fields_of(prio, first),
        **by_q,
        "on_the_line": [str(a) for a in prio.index[_near(prio)]],
        "do_not_cut": [str(a) for a in prio.index[prio["do_not_cut"]]],
        "basic_factors": []
        if factors is None
        else [str(a) for a in factors.index[factors["factor"] == "basic"]],
        "excitement_factors": []
        if factors is None
        else [str(a) for a in factors.index[factors["factor"] == "excitement"]],
        "largest_shortfall": None if worst is None else str(worst),
        "largest_shortfall_gap": None if worst is None else _num(gaps[worst]),
        "competitor": result.competitor,
        "binary_method": d.attrs.get("binary_method"),
        "ordinal_method": d.attrs.get("ordinal_method"),
        "exact": d.attrs.get("exact"),
        "mc_se": _num(d.attrs.get("mc_se")),
        "n_boot": int(d.attrs.get("n_boot", 0)),
        "ci_mc_se": _num(d.attrs.get("ci_mc_se")),
        "sentences": list(result.sentences),
        "labels": {str(a): str(prio.loc[a, "label"]) for a in prio.index},
    }
