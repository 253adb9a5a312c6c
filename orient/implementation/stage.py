"""Stage IV on a company: :func:`analyse`, its :class:`ImplementationResult` and
:func:`headline` (the numbers summary.json keeps).

The company helpers live here too: the fallback strategic matrix when no stage III
result is passed, and reading company.yaml's ``actions``, ``qfd``, ``investments`` and
``conjoint`` sections. The methods they call know nothing of a company.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient._json import number as _num
from orient._memo import memoised as _memoised
from orient.errors import DataError
from orient.implementation.actions import action_plan, driver_model, improvement_loop, what_if
from orient.implementation.conjoint import ConjointResult, choice_conjoint, ratings_conjoint
from orient.implementation.designs import design_orthogonality, fractional_factorial
from orient.implementation.finance import appraise
from orient.implementation.market import conjoint_responses, simulate_market
from orient.implementation.narrative import Note, note
from orient.implementation.qfd import HouseOfQuality, build_house
from orient.stats import weighted_mean_se

__all__ = ["ImplementationResult", "analyse", "headline"]


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
    notes : tuple of Note
        What was left out, and why (``str(note)``: the English sentence).
    overall_scale : (min, max) or None
        The overall item's scale ends. On a two-point overall (:attr:`share_outcome`) the
        driver model is a linear probability model: a coefficient is a change in the share
        satisfied per rating point, ``100 * b / (max - min)`` percentage points.
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
    notes: tuple[Note, ...] = ()
    overall_scale: tuple[float, float] | None = None

    @property
    def share_outcome(self) -> bool:
        """Whether overall satisfaction is two-point (satisfied or not): its mean is the
        share satisfied and every effect and gain is in percentage points of that share."""
        sc = self.overall_scale
        return sc is not None and float(sc[1]) - float(sc[0]) <= 1


def _mean(values: pd.Series, weights: pd.Series | None) -> float:
    """Mean of the answered values, weighted when respondent weights are given
    (:func:`orient.stats.weighted_mean_se`); NaN when none is answered."""
    ok = values.notna().to_numpy()
    if not ok.any():
        return float("nan")
    w = None if weights is None else np.asarray(weights, dtype=float)[ok]
    return weighted_mean_se(values.to_numpy(dtype=float)[ok], w)[0]


def _fallback_matrix(
    survey: pd.DataFrame, attrs: list[str], overall: str = "overall"
) -> pd.DataFrame:
    """Importance = correlation with overall; performance = mean; cut at the means."""
    imp = survey[attrs].corrwith(survey[overall])
    perf = survey[attrs].mean()
    hi_i = imp >= imp.mean()
    hi_p = perf >= perf.mean()
    quadrant = np.select(
        [hi_i & ~hi_p, hi_i & hi_p, ~hi_i & hi_p],
        ["improve", "keep_advantage", "maintain_or_reduce"],
        "low_priority",
    )
    actions = {
        "improve": "improve",
        "keep_advantage": "keep or raise",
        "maintain_or_reduce": "maintain or reduce",
        "low_priority": "no action",
    }
    out = pd.DataFrame(
        {"importance": imp, "performance": perf, "quadrant": quadrant},
        index=pd.Index(attrs, name="attribute"),
    )
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
    fields = getattr(priorities, "__dataclass_fields__", None) or getattr(
        priorities, "__dict__", {}
    )
    for name in fields:
        m = getattr(priorities, name, None)
        if isinstance(m, pd.DataFrame) and {"importance", "performance", "quadrant"} <= set(
            m.columns
        ):
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
        Conjoint responses; default: ``company.conjoint``, the file company.yaml's
        ``conjoint.file`` names, read and checked by :func:`orient.load_company`.

    Returns
    -------
    ImplementationResult
    """
    survey = company.survey
    attrs_obj = list(company.attributes)
    attrs = [getattr(a, "column", None) or a.key for a in attrs_obj]
    keys = [a.key for a in attrs_obj]
    profile = getattr(company, "profile", None)
    notes: list[Note] = []
    matrix = _matrix_from(priorities)
    if matrix is None:
        matrix = _fallback_matrix(survey.rename(columns=dict(zip(attrs, keys, strict=True))), keys)
        source = "fallback: correlation importance, mean cuts"
        notes.append(note("fallback_matrix"))
    else:
        source = "stage III"
    data = survey.rename(columns=dict(zip(attrs, keys, strict=True)))
    weights = getattr(company, "weights", None)
    model = driver_model(
        data, "overall", keys, weights=weights, confidence=confidence, n_boot=n_boot, seed=seed
    )
    current = pd.Series({k: _mean(data[k], weights) for k in keys}, dtype=float)
    comp_cols = {
        a.key: a.competitor_column for a in attrs_obj if getattr(a, "competitor_column", None)
    }
    competitor = pd.Series(
        {k: _mean(data[c], weights) for k, c in comp_cols.items() if c in data}, dtype=float
    )
    scale = {a.key: (a.scale_min, a.scale_max) for a in attrs_obj}
    try:
        overall_scale = company.scale("overall")
    except Exception:  # noqa: BLE001 - a company without a scale for overall: no index
        overall_scale = None
    act = _section(profile, "actions") or {}
    items = [{"attribute": k, **v} for k, v in (act.get("items") or {}).items()]
    plan = action_plan(
        matrix,
        model,
        actions=items,
        current=current,
        competitor=competitor,
        scale=scale,
        overall_scale=overall_scale,
        value_per_point=act.get("value_per_point"),
        horizon_years=act.get("horizon_years") or 1.0,
    )
    if not items:
        notes.append(note("no_actions"))

    house = _house(_section(profile, "qfd"), matrix, keys, current, competitor, notes, note)
    investments = _investments(
        _section(profile, "investments"), act, items, model, current, plan, notes, note
    )

    design = design_check = conj = market = None
    cj = _section(profile, "conjoint")
    if cj and cj.get("attributes"):
        levels = {k: list(v) for k, v in cj["attributes"].items()}
        design = fractional_factorial(levels, seed=seed)
        design_check = design_orthogonality(design, levels)
        if conjoint_data is None and cj.get("file"):
            conjoint_data = getattr(company, "conjoint", None)  # read by load_company
            if conjoint_data is None:
                notes.append(note("conjoint_file_missing", file=cj["file"]))
        elif conjoint_data is None and (cj.get("tasks") or cj.get("ratings")):
            conjoint_data = conjoint_responses(cj)
        if conjoint_data is not None:
            kind = cj.get("kind", "choice")
            if kind == "ratings":
                seg = "segment" if "segment" in conjoint_data.columns else None
                conj = ratings_conjoint(conjoint_data, levels, segment=seg, confidence=confidence)
                pw = conj.individual
            else:
                conj = choice_conjoint(
                    conjoint_data, levels, price=cj.get("price"), confidence=confidence
                )
                pw = conj.partworths
            products = cj.get("products") or {}
            if products:
                scen = pd.DataFrame.from_dict(products, orient="index")[list(levels)]
                scen.index.name = "product"
                market = simulate_market(pw, scen)
    else:
        notes.append(note("no_conjoint"))

    loop = None
    if previous is not None:
        loop = improvement_loop(previous, matrix)
    elif "wave" in data.columns and data["wave"].nunique() >= 2:
        waves = sorted(data["wave"].dropna().unique())
        base = int(getattr(company, "min_base", 30) or 30)
        sizes = {w: int((data["wave"] == w).sum()) for w in waves[-2:]}
        small = [w for w in waves[-2:] if sizes[w] < base]
        if small:  # like stage II's wave comparison: no change read off a small wave
            notes.append(note("loop_small_wave", wave=small[0], n=sizes[small[0]], min_base=base))
        else:
            m0 = _fallback_matrix(data[data["wave"] == waves[-2]], keys)
            m1 = _fallback_matrix(data[data["wave"] == waves[-1]], keys)
            loop = improvement_loop(m0, m1)
            notes.append(note("loop_from_waves", earlier=waves[-2], later=waves[-1]))
    else:
        notes.append(note("one_wave"))
    return ImplementationResult(
        matrix,
        source,
        model,
        plan,
        house,
        investments,
        design,
        design_check,
        conj,
        market,
        loop,
        tuple(notes),
        overall_scale,
    )


def headline(result: ImplementationResult) -> dict:
    """Headline numbers of stage IV for summary.json (JSON-safe; None where unknown).

    Returns
    -------
    dict
        ``top_characteristic``, ``top_characteristic_share`` (0-1),
        ``requirements_without_strong_relationship``, ``n_actions``,
        ``top_action`` (the first declared action of the plan; None without one),
        ``n_declared_actions`` (with a target in
        company.yaml), ``total_index_gain`` (0-100 points if every declared action
        reaches its target; None without one), ``total_action_cost``, ``best_payback_months``,
        ``total_npv``, ``frontline_median_payback_months``, ``back_office_best_roi``
        (the model's claim: frontline systems pay back in months, back-office ones rarely
        return more than 20%), ``conjoint_top_attribute``, ``conjoint_top_importance_pct``,
        ``our_logit_share`` (the first product of the study, ours), ``quadrant_changes``.
    """
    out: dict[str, Any] = dict.fromkeys(
        [
            "top_characteristic",
            "top_characteristic_share",
            "requirements_without_strong_relationship",
            "n_actions",
            "n_declared_actions",
            "top_action",
            "total_index_gain",
            "total_action_cost",
            "best_payback_months",
            "total_npv",
            "frontline_median_payback_months",
            "back_office_best_roi",
            "conjoint_top_attribute",
            "conjoint_top_importance_pct",
            "our_logit_share",
            "quadrant_changes",
        ]
    )
    h = result.house
    if h is not None and len(h.technical):
        top = h.technical.sort_values("rank").index[0]
        out["top_characteristic"] = str(top)
        out["top_characteristic_share"] = _num(h.technical.loc[top, "relative"])
        out["requirements_without_strong_relationship"] = int(
            (h.flags["kind"] == "no_strong_relationship").sum()
        )
    plan = result.plan
    out["n_actions"] = int(len(plan))
    if len(plan):
        # a plan's gain counts only the actions company.yaml declares with a target, never
        # the illustrative targets of the others (the competitor's level or a rule step);
        # nor is an attribute with an illustrative target the action to take first
        declared = plan[plan["target_source"] == "company.yaml"]
        out["top_action"] = str(declared.index[0]) if len(declared) else None
        out["n_declared_actions"] = int(len(declared))
        out["total_index_gain"] = _num(declared["index_gain"].sum(min_count=1))
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


def _house(qfd, matrix, keys, current, competitor, notes, note):
    """The house of quality of company.yaml's ``qfd`` section (None, and a note, without)."""
    house = None
    if qfd:
        chars = pd.DataFrame.from_dict(qfd.get("characteristics") or {}, orient="index")
        rel = pd.DataFrame.from_dict(qfd.get("relationships") or {}, orient="index")
        # every attribute is a requirement: one without a row is a gap in the design
        req_names = [k for k in keys if k in matrix.index]
        unknown = [r for r in rel.index if r not in matrix.index]
        if unknown:
            raise DataError(
                "relationship names a requirement that is not a survey attribute",
                file="company.yaml",
                column=f"qfd.relationships.{unknown[0]}",
                value=unknown[0],
                expected=f"one of {', '.join(keys)}",
            )
        requirements = matrix.loc[req_names, "importance"].clip(lower=0).astype(float)
        corr = [
            tuple(c) if not isinstance(c, Mapping) else (c["a"], c["b"], c["correlation"])
            for c in (qfd.get("correlations") or [])
        ]
        house = build_house(
            requirements,
            rel.reindex(req_names),
            characteristics=chars if len(chars) else None,
            correlations=corr,
            performance=current,
            competitor=competitor,
        )
    else:
        notes.append(note("no_qfd"))
    return house


def _investments(inv, act, items, model, current, plan, notes, note):
    """The appraisal of company.yaml's ``investments`` (None, and a note, without)."""
    investments = None
    if inv:
        inv_items = inv.get("items") or []
        # the benefit of an investment tied to an attribute: its action's predicted gain
        # (target from company.yaml) times the value of a point, whatever its quadrant
        vpp = act.get("value_per_point")
        targets = {i["attribute"]: i["target"] for i in items if i.get("target") is not None}
        gains = (
            what_if(model, current, pd.Series(targets, dtype=float))["gain"]
            if targets
            else pd.Series(dtype=float)
        )
        rows = []
        for it in inv_items:
            it = dict(it)
            a = it.get("attribute")
            if it.get("annual_benefit") is None and not it.get("benefits") and a is not None:
                if a in plan.index and pd.notna(plan.loc[a, "annual_benefit"]):
                    it["annual_benefit"] = float(plan.loc[a, "annual_benefit"])
                elif a in gains.index and vpp is not None:
                    it["annual_benefit"] = float(gains[a]) * float(vpp)
                else:
                    notes.append(note("investment_left_out", name=it.get("name"), attribute=a))
                    continue
            rows.append(it)
        if rows:
            investments = appraise(
                rows, discount_rate=inv.get("discount_rate", 0.1), years=int(inv.get("years") or 3)
            )
    else:
        notes.append(note("no_investments"))
    return investments
