"""Stage II for one company: :func:`analyse`, its :class:`SatisfactionResult` and
:func:`headline`, the one source of truth for the notebook and the report's executive
summary.

This is the only module of :mod:`orient.satisfaction` that knows a ``Company``: it
picks the columns, scales, weights and model from the profile, calls the method
modules and collects their notes (in the company's language, via
:mod:`orient.satisfaction.narrative`).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from orient._json import number as _num
from orient._memo import memoised as _memoised
from orient._validate import check_choice, check_confidence, check_positive_int
from orient.errors import OrientWarning
from orient.i18n import company_language
from orient.satisfaction import narrative
from orient.satisfaction._segments import (
    _segment_controls,
    _segment_variables,
)
from orient.satisfaction.alpha import construct_reliability, reliability
from orient.satisfaction.chain import chain_effects
from orient.satisfaction.compare import segment_table
from orient.satisfaction.indices import (
    Estimate,
    _estimate,
    index_scores,
    nps_composition,
    nps_scale_problem,
)
from orient.satisfaction.pls import PLSResult, RowsLeftOutWarning, ipma, pls_path_model

__all__ = ["SatisfactionResult", "analyse", "headline"]


@dataclass(frozen=True, eq=False)
class SatisfactionResult:
    """Everything stage II reports for one company (see :func:`analyse`)."""

    indices: pd.DataFrame
    nps: Estimate | None
    nps_composition: pd.DataFrame | None
    segments: pd.DataFrame | None
    waves: pd.DataFrame | None
    reliability: pd.DataFrame | None
    chain: pd.DataFrame | None
    pls: PLSResult | None
    ipma: pd.DataFrame | None
    notes: tuple[str, ...]
    currency: str = ""
    min_base: int = 30
    #: segment variable (its column name) -> its :func:`segment_table` measures, one entry
    #: per ``survey.segment`` column; the first is :attr:`segments` (empty without one)
    by_segment: dict[str, pd.DataFrame] = field(default_factory=dict)
    #: survey.constructs of two or more items: alpha, composite reliability and AVE
    #: (:func:`~orient.satisfaction.alpha.construct_reliability`); None without them
    constructs: pd.DataFrame | None = None


def _canonical_map(company) -> dict[str, str]:
    """company.yaml column name -> its canonical name in ``company.survey``."""
    sv = company.profile.survey
    m = {sv.overall: "overall"}
    if sv.loyalty.recommend:
        m[sv.loyalty.recommend] = "recommend"
    if sv.loyalty.repurchase:
        m[sv.loyalty.repurchase] = "repurchase"
    m.update({spec.own: key for key, spec in sv.attributes.items()})
    return m


def _construct_blocks(company) -> dict[str, list[str]]:
    """survey.constructs of two or more items, in survey column names (paths or not)."""
    cmap = _canonical_map(company)
    given = company.profile.survey.constructs or {}
    return {k: [cmap.get(c, c) for c in v] for k, v in given.items() if len(v) >= 2}


def _pls_model(company, survey: pd.DataFrame, items: list[str]):
    """The PLS model: the profile's constructs and paths, else attributes -> satisfaction
    -> loyalty (each attribute a single-item construct)."""
    sv = company.profile.survey
    cmap = _canonical_map(company)
    if sv.constructs and sv.paths:
        blocks = {k: [cmap.get(c, c) for c in cols] for k, cols in sv.constructs.items()}
        paths = [tuple(p) for p in sv.paths]
        target = next((k for k in reversed(list(blocks)) if any(b == k for _, b in paths)), None)
        return blocks, paths, target, "the construct model in company.yaml"
    loyalty = [c for c in ("recommend", "repurchase") if c in survey.columns]
    blocks = {a.key: [a.column] for a in company.attributes}
    blocks["Satisfaction"] = list(items)
    paths = [(a.key, "Satisfaction") for a in company.attributes]
    if loyalty:
        blocks["Loyalty"] = loyalty
        paths.append(("Satisfaction", "Loyalty"))
    return blocks, paths, "Satisfaction", "attributes -> satisfaction -> loyalty"


@_memoised
def analyse(
    company,
    *,
    weighted: bool = True,
    n_boot: int = 200,
    seed: int = 0,
    scheme: str = "path",
    index_weights: str = "equal",
    min_base: int | None = None,
    confidence: float | None = None,
) -> SatisfactionResult:
    """Stage II for one company: what the notebook and the executive summary show.

    Parameters
    ----------
    company : orient.Company
        From :func:`orient.load_company`.
    weighted : bool, default True
        Use the survey weights when the company has them.
    n_boot : int, default 200
        Bootstrap resamples for the chain and the PLS model (200 keeps a report run
        quick; raise it for publication).
    seed : int, default 0
    scheme : {"path", "centroid", "factorial"}, default "path"
        Inner weighting scheme of the PLS model.
    index_weights : {"equal", "pls"}, default "equal"
        How the satisfaction items are combined into the 0-100 index: equally, or
        with the PLS outer weights of the satisfaction construct (as the ACSI does).
    min_base, confidence : optional
        Override ``company.min_base`` and ``company.confidence``.

    Returns
    -------
    SatisfactionResult
        ``indices`` (DataFrame: measure, column, kind, estimate, ci_low, ci_high, n,
        n_eff, unit), ``nps`` (Estimate or None), ``nps_composition`` (by group:
        all, segments, waves), ``segments`` and ``waves`` (see :func:`segment_table`
        and :func:`wave_change`; None without the column), ``reliability``,
        ``chain`` (see :func:`chain_effects`), ``pls`` (PLSResult), ``ipma``, and
        ``notes``: what was left out and why.
    """
    check_choice(scheme, ("path", "centroid", "factorial"), "scheme")
    check_choice(index_weights, ("equal", "pls"), "index_weights")
    conf = company.confidence if confidence is None else check_confidence(confidence)
    base = company.min_base if min_base is None else check_positive_int(min_base, "min_base")
    survey = company.survey.copy()
    language = company_language(company)
    notes: list[str] = []

    def note(key, **values):
        notes.append(narrative.note(key, language, **values))

    w = None
    if weighted and company.weights is not None:
        w = company.weights.to_numpy(dtype=float)
    elif weighted:
        note("no_weights")
    items = [c for c in company.satisfaction_items if c in survey.columns]
    scales = {c: company.scale(c) for c in items}

    # PLS first: its satisfaction weights may define the index
    blocks, paths, target, model = _pls_model(company, survey, items)
    pls, ipma_tab = _fit_pls(
        company,
        survey,
        blocks,
        paths,
        target,
        model,
        note,
        scheme=scheme,
        n_boot=n_boot,
        seed=seed,
        confidence=conf,
        language=language,
    )
    item_w = None
    if index_weights == "pls" and pls is not None and "Satisfaction" in blocks:
        ws = pls.weights[pls.weights.construct == "Satisfaction"].set_index("item")["weight"]
        sd = survey[list(ws.index)].std(ddof=1)
        item_w = (ws / sd / (ws / sd).sum()).to_dict()
    survey["satisfaction_index"] = index_scores(survey[items], scales, item_w)

    # headline indices
    rows = []

    def add(label, col, kind, scale=None, unit=""):
        est = _estimate(kind, survey[col], w, scale, conf)
        rows.append(
            {
                "measure": label,
                "column": col,
                "kind": kind,
                "estimate": est.value,
                "ci_low": est.ci_low,
                "ci_high": est.ci_high,
                "n": est.n,
                "n_eff": est.n_eff,
                "unit": unit,
            }
        )
        return est

    osc = company.scale("overall")
    add("Satisfaction index", "satisfaction_index", "index", None, "0-100")
    overall_measure = _overall_measures(add, osc)
    nps_est, comp, nps_problem = _loyalty(company, survey, add, note, w, base)
    if "repurchase" in survey.columns and survey["repurchase"].notna().any():
        rsc = company.scale("repurchase")
        add("Intention to buy again, top-2-box", "repurchase", "top2", rsc, "% of customers")
    indices = pd.DataFrame(rows)

    measures = [("satisfaction_index", "index", None, "Satisfaction index")]
    if nps_est is not None:
        measures.append(("recommend", "nps", None, "NPS"))
    measures.append(overall_measure)

    segments = _by_segment(survey, measures, w, base, conf, note)
    by_segment = _by_segment_variable(company, survey, segments, measures, w, base, conf, note)
    waves = _by_wave(survey, measures, w, base, conf, note, language)

    own = _construct_blocks(company)
    rel_scales = _reliability_scales(items, {**(blocks if pls is not None else {}), **own})
    rel = reliability(survey, rel_scales) if rel_scales else None
    constructs = construct_reliability(survey, own) if own else None
    if own and not company.profile.survey.paths:
        note("constructs_without_paths", constructs=", ".join(own))
    if rel is None:
        note("no_reliability")

    # the chain
    outcomes: dict[str, tuple[str, float, str]] = {}
    controls: list[str] = []
    data = survey
    fin = company.finance
    if fin is not None and "customer_id" in survey.columns:
        f = fin.drop(columns=[c for c in ("segment",) if c in fin.columns])
        f = f.drop_duplicates("customer_id")
        data = survey.merge(f, on="customer_id", how="left", validate="m:1")
        matched = int(data["revenue"].notna().sum()) if "revenue" in data else 0
        note("finance_joined", matched=matched, n=len(survey))
        if "retained" in data:
            outcomes["retention"] = ("retained", 100.0, "pp retention")
        if "revenue" in data:
            outcomes["revenue per customer"] = ("revenue", 1.0, company.currency)
        if "revenue" in data and "cost" in data:
            data["profit"] = data["revenue"] - data["cost"]
            outcomes["profit per customer"] = ("profit", 1.0, company.currency)
        controls = _segment_controls(company, data, matched)
    else:
        note("no_finance")
    if "recommend" in data.columns and nps_problem is None:
        data["promoter"] = (data["recommend"] >= 9).astype(float).where(data["recommend"].notna())
        outcomes["promoters"] = ("promoter", 100.0, "pp promoters")
        outcomes["likelihood to recommend"] = ("recommend", 1.0, "points (0-10)")
    elif "recommend" in data.columns:
        lo, hi = company.scale("recommend")
        outcomes["likelihood to recommend"] = ("recommend", 1.0, f"points ({lo:g}-{hi:g})")
    if "repurchase" in data.columns:
        lo, hi = company.scale("repurchase")
        outcomes["intention to buy again"] = ("repurchase", 1.0, f"points ({lo:g}-{hi:g})")
    keys = list(company.attribute_keys)
    complete = int(data[["satisfaction_index", *keys]].notna().all(axis=1).sum())
    chain = None
    if complete > len(keys) + 1:  # the attributes' link has no controls
        chain = chain_effects(
            data,
            satisfaction="satisfaction_index",
            attributes=keys,
            outcomes=outcomes,
            controls=controls,
            weights=w,
            n_boot=n_boot,
            seed=seed,
            confidence=conf,
        )
    else:  # too few respondents rated every attribute for the regression
        note("no_chain", n=complete, k=len(keys))
    if controls == ["segment"]:
        note("segment_held")
    elif controls:
        names = {col: name for name, col in _segment_variables(company, survey)}
        notes.append(narrative.segments_held([names[c] for c in controls], language))
    return SatisfactionResult(
        indices=indices,
        nps=nps_est,
        nps_composition=comp,
        segments=segments,
        by_segment=by_segment,
        waves=waves,
        reliability=rel,
        constructs=constructs,
        chain=chain,
        pls=pls,
        ipma=ipma_tab,
        notes=tuple(notes),
        currency=company.currency,
        min_base=base,
    )


def headline(result: SatisfactionResult) -> dict:
    """The stage's headline numbers for ``summary.json`` (JSON-safe; None where missing).

    Returns
    -------
    dict
        ``satisfaction_index`` (+ ``_ci_low``, ``_ci_high``), ``n``, ``n_eff``,
        ``mean_overall``, ``top2box`` (percent), ``nps`` (+ ``_ci_low``, ``_ci_high``),
        ``promoters``, ``detractors`` (percent), ``index_change`` and ``nps_change``
        (last wave minus the one before; ``_ci_low``, ``_ci_high``, ``_p``: its interval
        and p-value), ``index_change_significant``, ``nps_change_significant`` (bool or
        None), ``last_wave`` and ``previous_wave`` (the two waves compared),
        ``mean_overall_ci_low``/``_ci_high`` and ``top2box_ci_low``/``_ci_high``,
        ``wave_answer`` (plain sentence),
        ``best_segment``, ``worst_segment`` (by index, reported segments only),
        ``segments_suppressed`` (count), ``alpha_min`` (lowest Cronbach's alpha),
        ``scales_flagged`` (count under 0.7), ``retention_pp_per_point``,
        ``revenue_per_point``, ``profit_per_point``, ``currency``,
        ``top_attribute`` (strongest attribute effect on the index), ``ipma_priority``
        (the construct with the highest importance among those below the median
        performance).
    """
    if not isinstance(result, SatisfactionResult):
        raise TypeError(f"`result` must be a SatisfactionResult; got {type(result).__name__}.")
    ind = result.indices.set_index("measure")
    out: dict[str, Any] = {}

    def get(measure, col="estimate"):
        return _num(ind.loc[measure, col]) if measure in ind.index else None

    out["satisfaction_index"] = get("Satisfaction index")
    out["satisfaction_index_ci_low"] = get("Satisfaction index", "ci_low")
    out["satisfaction_index_ci_high"] = get("Satisfaction index", "ci_high")
    out["n"] = (
        int(ind.loc["Satisfaction index", "n"]) if "Satisfaction index" in ind.index else None
    )
    out["n_eff"] = get("Satisfaction index", "n_eff")
    out["mean_overall"] = get("Overall satisfaction, mean")
    out["top2box"] = get("Overall satisfaction, top-2-box")
    for key, measure in (
        ("mean_overall", "Overall satisfaction, mean"),
        ("top2box", "Overall satisfaction, top-2-box"),
    ):
        out[f"{key}_ci_low"] = get(measure, "ci_low")
        out[f"{key}_ci_high"] = get(measure, "ci_high")
    e = result.nps
    out["nps"] = _num(e.value) if e else None
    out["nps_ci_low"] = _num(e.ci_low) if e else None
    out["nps_ci_high"] = _num(e.ci_high) if e else None
    comp = result.nps_composition
    first = comp.iloc[0] if comp is not None and len(comp) else None
    out["promoters"] = _num(first["promoters"]) if first is not None else None
    out["detractors"] = _num(first["detractors"]) if first is not None else None
    out["last_wave"] = out["previous_wave"] = None
    for key, measure in (("index", "Satisfaction index"), ("nps", "NPS")):
        out[f"{key}_change"] = out[f"{key}_change_significant"] = None
        for end in ("ci_low", "ci_high", "p"):
            out[f"{key}_change_{end}"] = None
        if result.waves is not None:
            wv = result.waves[result.waves.measure == measure]
            if len(wv) >= 2 and np.isfinite(wv.iloc[-1]["change"]):
                last = wv.iloc[-1]
                out[f"{key}_change"] = _num(last["change"])
                out[f"{key}_change_significant"] = bool(last["significant"])
                out[f"{key}_change_ci_low"] = _num(last.get("change_ci_low"))
                out[f"{key}_change_ci_high"] = _num(last.get("change_ci_high"))
                out[f"{key}_change_p"] = _num(last.get("p_value"))
                out["last_wave"] = str(last["wave"])
                out["previous_wave"] = str(wv.iloc[-2]["wave"])
    out["wave_answer"] = None
    if result.waves is not None:
        wv = result.waves[result.waves.measure == ("NPS" if result.nps else "Satisfaction index")]
        out["wave_answer"] = str(wv.iloc[-1]["answer"]) if len(wv) else None
    out["best_segment"] = out["worst_segment"] = None
    out["segments_suppressed"] = None
    if result.segments is not None:
        s = result.segments[result.segments.measure == "Satisfaction index"]
        shown = s[~s.suppressed]
        # best and worst need two segments that differ: one segment is not a ranking
        if shown["segment"].nunique() >= 2 and shown.estimate.max() > shown.estimate.min():
            out["best_segment"] = str(shown.loc[shown.estimate.idxmax(), "segment"])
            out["worst_segment"] = str(shown.loc[shown.estimate.idxmin(), "segment"])
        out["segments_suppressed"] = int(s.suppressed.sum())
    rel = result.reliability
    out["alpha_min"] = _num(rel["alpha"].min()) if rel is not None and len(rel) else None
    out["scales_flagged"] = (
        int(rel.drop_duplicates("scale")["flag"].sum()) if rel is not None else None
    )
    ch = result.chain.set_index("to") if result.chain is not None else pd.DataFrame()
    for key, to in (
        ("retention_pp_per_point", "retention"),
        ("revenue_per_point", "revenue per customer"),
        ("profit_per_point", "profit per customer"),
    ):
        out[key] = _num(ch.loc[to, "effect"]) if to in ch.index else None
    out["currency"] = result.currency
    att = (
        result.chain[result.chain.stage == "attributes -> satisfaction"]
        if result.chain is not None
        else pd.DataFrame()
    )
    out["top_attribute"] = str(att.loc[att.effect.idxmax(), "from"]) if len(att) else None
    out["ipma_priority"] = None
    if result.ipma is not None and len(result.ipma):
        t = result.ipma
        low = t[t.performance <= t.performance.median()]
        if len(low):
            out["ipma_priority"] = str(low.importance.idxmax())
    return out


def _fit_pls(
    company,
    survey,
    blocks,
    paths,
    target,
    model,
    note,
    *,
    scheme,
    n_boot,
    seed,
    confidence,
    language,
):
    """The PLS path model and its IPMA (None, None when it cannot be fitted: a note says
    why); the model's cautions become notes, any other warning is raised again."""
    conf = confidence
    pls = ipma_tab = None
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrientWarning)
            pls_scales = {c: company.scale(c) for cols in blocks.values() for c in cols}
            pls = pls_path_model(
                survey,
                blocks,
                paths,
                scheme=scheme,
                n_boot=n_boot,
                seed=seed,
                scales=pls_scales,
                confidence=conf,
            )
        for m in caught:
            if issubclass(m.category, RowsLeftOutWarning):
                note(
                    "pls_missing",
                    model=narrative.model_name(model, language),
                    message=m.message,
                    left_out=pls.n_left_out,
                    rows=pls.n + pls.n_left_out,
                )
            elif issubclass(m.category, OrientWarning):
                note("pls", model=narrative.model_name(model, language), message=m.message)
            else:  # not ours to swallow
                warnings.warn_explicit(m.message, m.category, m.filename, m.lineno)
        if target is not None:
            ipma_tab = ipma(pls, target)
    except np.linalg.LinAlgError:  # numpy's words are not the reader's
        note("pls_singular", n=len(survey))
    except (ValueError, TypeError) as exc:
        note("pls_left_out", message=exc)
    return pls, ipma_tab


#: the measure of a two-point overall item (satisfied or not): its top box, as a share
SATISFIED_SHARE = "Overall satisfaction, satisfied %"


def _overall_measures(add, osc):
    """The overall item's headline rows; returns its by-segment measure.

    On a scale of three points or more: the mean, top-2-box and bottom-2-box. On a two-point
    scale (e.g. satisfied 1 / not 0) a mean in "points" and a top-2-box (everyone) mean
    nothing: the share giving the top answer instead, as the top two boxes of the scale
    extended by one point above (which holds no answer)."""
    lo, hi = osc
    if hi - lo <= 1:
        top = (lo, hi + 1)
        add(SATISFIED_SHARE, "overall", "top2", top, "% of customers")
        return ("overall", "top2", top, SATISFIED_SHARE)
    add("Overall satisfaction, mean", "overall", "mean", osc, f"{lo:g}-{hi:g} scale")
    add("Overall satisfaction, top-2-box", "overall", "top2", osc, "% of customers")
    add("Overall satisfaction, bottom-2-box", "overall", "bottom2", osc, "% of customers")
    return ("overall", "top2", osc, "Overall satisfaction, top-2-box %")


def _each_measure(function, survey, by, measures, **options):
    """``function(survey, by, column, kind=, scale=, measure=, **options)`` for each of
    ``measures`` ((column, kind, scale, label) tuples), stacked into one frame."""
    return pd.concat(
        [
            function(survey, by, col, kind=kind, scale=sc, measure=label, **options)
            for col, kind, sc, label in measures
        ],
        ignore_index=True,
    )


def _by_segment(survey, measures, w, base, conf, note):
    """The measures by segment (:func:`segment_table`); None (and a note) without one."""
    segments = None
    if "segment" in survey.columns:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrientWarning)
            segments = _each_measure(
                segment_table,
                survey,
                "segment",
                measures,
                weights=w,
                min_base=base,
                confidence=conf,
            )
        if caught:
            small = sorted(set(segments.loc[segments.suppressed, "segment"].astype(str)))
            note("small_segments", min_base=base, segments=", ".join(small))
    else:
        note("no_segments")
    return segments


def _by_segment_variable(company, survey, segments, measures, w, base, conf, note):
    """Segment variable -> its measures by segment: the primary one (``segments``) under
    its column name, then each further ``survey.segment`` column the survey holds."""
    variables = list(getattr(company.profile.survey, "segments", []) or [])
    if segments is None or not variables:
        return {}
    out = {variables[0]: segments}
    for var in variables[1:]:
        if var not in survey.columns:
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrientWarning)
            table = _each_measure(
                segment_table, survey, var, measures, weights=w, min_base=base, confidence=conf
            )
        if caught:
            small = sorted(set(table.loc[table.suppressed, "segment"].astype(str)))
            note("small_segments", min_base=base, segments=", ".join(f"{var}: {x}" for x in small))
        out[var] = table
    return out


def _by_wave(survey, measures, w, base, conf, note, language):
    """The change since the previous wave of each measure; None (and a note) without waves."""
    waves = None
    if "wave" in survey.columns:
        try:
            waves = _each_measure(
                narrative.wave_change,
                survey,
                "wave",
                measures,
                weights=w,
                confidence=conf,
                min_base=base,
                language=language,
            )
        except ValueError as exc:
            note("waves_left_out", message=exc)
    else:
        note("no_waves")
    return waves


def _reliability_scales(items, blocks):
    """The scales whose reliability is shown: the satisfaction items, then each PLS
    block of two or more items (not loyalty)."""
    rel_scales = {}
    if len(items) >= 2:
        rel_scales["Satisfaction"] = items
    rel_scales.update(
        {k: v for k, v in blocks.items() if len(v) >= 2 and k not in rel_scales and k != "Loyalty"}
    )
    return rel_scales


def _loyalty(company, survey, add, note, w, base):
    """The Net Promoter Score and its composition from a 0-10 recommend item; from any
    other scale its mean and top-2-box instead, and a note why there is no NPS.

    Returns (NPS estimate or None, composition or None, the reason there is no NPS
    (:func:`nps_scale_problem`) or None).
    """
    nps_est = comp = None
    has_recommend = "recommend" in survey.columns and survey["recommend"].notna().any()
    nps_problem = None
    if has_recommend:
        rec_scale = company.scale("recommend")
        nps_problem = nps_scale_problem(survey["recommend"], rec_scale)
    if nps_problem is not None:  # a 1-5 or 1-7 item: its mean and top-2-box, no NPS
        lo, hi = rec_scale
        add("Likelihood to recommend, mean", "recommend", "mean", rec_scale, f"{lo:g}-{hi:g} scale")
        add("Likelihood to recommend, top-2-box", "recommend", "top2", rec_scale, "% of customers")
        note(
            "nps_needs_0_10_" + nps_problem,
            low=f"{lo:g}",
            high=f"{hi:g}",
            seen_low=f"{survey['recommend'].min():g}",
            seen_high=f"{survey['recommend'].max():g}",
        )
    elif has_recommend:
        nps_est = add("Net Promoter Score", "recommend", "nps", None, "-100..100")
        parts = [nps_composition(survey, "recommend", weights=w)]
        variables = _segment_variables(company, survey)
        for name, by in [*variables, ("wave", "wave")]:
            if by in survey.columns:
                c = nps_composition(survey, "recommend", by=by, weights=w)
                if len(variables) > 1 and by != "wave":  # say which variable each row is of
                    c["group"] = [f"{name}: {g}" for g in c["group"]]
                parts.append(c[c["n"] >= base])
        comp = pd.concat(parts, ignore_index=True)
    else:
        note("no_nps")
    return nps_est, comp, nps_problem
