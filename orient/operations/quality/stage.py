"""Quality-control stage: one company's control charts, capability and sampling plan.

:func:`analyse` reads ``company.quality`` and company.yaml's ``quality`` block and
calls the methods of :mod:`.charts`, :mod:`.capability` and :mod:`.sampling`;
:func:`headline` gives the JSON-safe numbers of summary.json with the biggest
risk in words (sentences from :mod:`.narrative`), :func:`key_figures` the same
numbers as a small table for people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient._json import number as _f
from orient._memo import memoised as _memoised
from orient.i18n import company_language
from orient.operations.quality import narrative
from orient.operations.quality.capability import capability
from orient.operations.quality.charts import ControlChart, control_chart
from orient.operations.quality.ewma_cusum import cusum_chart, ewma_chart, summarise
from orient.operations.quality.sampling import find_sampling_plan, oc_curve

__all__ = ["DATA_NEEDED", "QualityResult", "analyse", "data_needed", "headline", "key_figures"]


def data_needed(language: str = "en") -> str:
    """What the optional table enables, said where it is absent.

    Parameters
    ----------
    language : {"en", "ru"}
        The report language (``company.language`` or ``result.language``).

    Returns
    -------
    str
        One sentence naming the file and its columns.
    """
    return narrative.data_needed_text(language)


#: what the optional table enables, shown where it is absent (English; see
#: :func:`data_needed` for the company's language)
DATA_NEEDED = {"quality": data_needed()}


@dataclass(frozen=True)
class QualityResult:
    """Quality-control results of one company (fields None when the table is absent).

    Attributes
    ----------
    summary : DataFrame or None
        One row per chart: ``characteristic``, ``label`` (from company.yaml, else the
        characteristic), ``chart``, ``center``, ``lcl``, ``ucl``,
        ``sigma``, ``n_points``, ``n_out`` (out-of-control points), ``share_out``,
        ``n_beyond`` (beyond the limits), ``first_out`` (first subgroup flagged),
        ``n_removed`` and ``removed`` (phase I subgroups the revision left out).
    points : DataFrame or None
        Every charted point (columns of :class:`ControlChart` points plus
        ``characteristic`` and ``chart``).
    capability : DataFrame or None
        ``characteristic``, ``label``, ``index``, ``estimate``, ``ci_low``, ``ci_high``, ``n``,
        ``expected_out_ppm``, ``observed_out_ppm`` for characteristics with
        specification limits.
    sampling_plan : dict or None
        The single sampling plan for company.yaml's ``aql`` and ``ltpd``
        (:func:`find_sampling_plan`), with ``aql`` and ``ltpd``.
    oc : DataFrame or None
        That plan's OC curve (:func:`oc_curve`).
    language : str
        The language of the headline's ``risk`` sentence (``company.language``).
    rule_set : str
        The run rules applied (company.yaml ``quality.rules``): ``"western_electric"``
        or ``"nelson"``.
    revised : bool
        Whether phase I limits were recomputed without the subgroups beyond them
        (``quality.revise_limits``); ``summary`` then lists them in ``removed``.
    time_weighted : DataFrame or None
        One row per EWMA and CUSUM chart of a measured characteristic:
        ``characteristic``, ``label`` and the fields of
        :func:`~orient.operations.quality.ewma_cusum.summarise`.
    time_weighted_points : DataFrame or None
        Their points, with ``characteristic`` and ``chart``.
    """

    summary: pd.DataFrame | None
    points: pd.DataFrame | None
    capability: pd.DataFrame | None
    sampling_plan: dict | None = None
    oc: pd.DataFrame | None = None
    language: str = "en"
    rule_set: str = "western_electric"
    revised: bool = False
    time_weighted: pd.DataFrame | None = None
    time_weighted_points: pd.DataFrame | None = None


def _quality_profile(
    company: Any,
) -> tuple[dict[str, dict], int | None, float | None, float | None]:
    """Specification limits per characteristic, trial subgroups, AQL and LTPD from the profile."""
    profile = getattr(company, "profile", None)
    block = getattr(profile, "quality", None)
    if block is None and isinstance(profile, dict):
        block = profile.get("quality")
    if block is None:
        return {}, None, None, None
    if hasattr(block, "model_dump"):
        block = block.model_dump()
    chars = block.get("characteristics", {}) or {}
    specs = {
        str(k): (v.model_dump() if hasattr(v, "model_dump") else dict(v))
        for k, v in chars.items()
        if v is not None
    }
    return specs, block.get("trial_subgroups"), block.get("aql"), block.get("ltpd")


def _spc_settings(company: Any) -> dict:
    """Run rules, phase I revision and the EWMA / CUSUM parameters of ``quality``."""
    profile = getattr(company, "profile", None)
    block = getattr(profile, "quality", None)
    if block is None and isinstance(profile, dict):
        block = profile.get("quality")
    if hasattr(block, "model_dump"):
        block = block.model_dump()
    block = dict(block or {})
    return {
        "rule_set": block.get("rules") or "western_electric",
        "revise": bool(block.get("revise_limits", False)),
        "lam": float(block.get("ewma_lambda", 0.2)),
        "nsigmas": float(block.get("ewma_nsigmas", 3.0)),
        "k": float(block.get("cusum_k", 0.5)),
        "h": float(block.get("cusum_h", 5.0)),
    }


def _time_weighted(g: pd.DataFrame, trial: str | None, spc: dict, ch: str, label: str):
    """EWMA and CUSUM of one characteristic: summary rows and points."""
    kw = {"trial": trial, "revise": spc["revise"]}
    charts = (
        ewma_chart(g, lam=spc["lam"], nsigmas=spc["nsigmas"], **kw),
        cusum_chart(g, k=spc["k"], h=spc["h"], **kw),
    )
    rows = [{"characteristic": ch, "label": label, **summarise(c)} for c in charts]
    pts = [c.points.assign(characteristic=ch, chart=c.chart) for c in charts]
    return rows, pts


def _trial_arg(d: pd.DataFrame, trial_subgroups: int | None) -> str | None:
    if "trial" in d.columns:
        return "trial"
    if "phase" in d.columns:
        d["_trial"] = d["phase"].astype(str).str.strip().str.upper().isin(["I", "1", "TRIAL"])
        return "_trial"
    if trial_subgroups:
        first = list(dict.fromkeys(d["subgroup"]))[:trial_subgroups]
        d["_trial"] = d["subgroup"].isin(first)
        return "_trial"
    return None


@_memoised
def analyse(company: Any, *, nsigmas: float = 3.0) -> QualityResult:
    """Control charts, run rules and capability for one company's quality table.

    Measurements (``subgroup``, ``characteristic``, ``value``): one chart pair per
    characteristic, I-MR for subgroups of one, xbar-R up to 10, xbar-S above.
    Counts (``subgroup``, ``inspected``, ``defective``): a p chart. An optional
    ``trial`` (bool) or ``phase`` ("I"/"II") column marks the phase I subgroups.
    Without such a column, company.yaml's ``quality.trial_subgroups`` makes the
    first subgroups phase I. Specification limits (``lsl``, ``usl``, ``target`` per
    characteristic under ``quality.characteristics``) add capability indices, and
    ``quality.aql`` with ``quality.ltpd`` a single sampling plan and its OC curve.

    Returns
    -------
    QualityResult
    """
    q = getattr(company, "quality", None)
    specs, trial_subgroups, aql, ltpd = _quality_profile(company)
    spc = _spc_settings(company)
    rule_kw = {"rule_set": spc["rule_set"], "revise": spc["revise"]}
    extra = {"rule_set": spc["rule_set"], "revised": spc["revise"]}
    plan = oc = None
    if aql is not None and ltpd is not None and aql < ltpd:
        plan = {**find_sampling_plan(aql, ltpd), "aql": aql, "ltpd": ltpd}
        oc = oc_curve(plan["n"], plan["c"], p=np.linspace(0, min(1.0, 2.5 * ltpd), 101))
    if q is None or not len(q):
        return QualityResult(None, None, None, plan, oc, company_language(company), **extra)
    d = q.copy()
    trial = _trial_arg(d, trial_subgroups)
    charts: list[tuple[str, ControlChart]] = []
    caps = []
    tw_rows: list[dict] = []
    tw_pts: list[pd.DataFrame] = []
    if {"value", "subgroup"}.issubset(d.columns) and d["value"].notna().any():
        m = d[d["value"].notna()]
        if "characteristic" not in m.columns:
            m = m.assign(characteristic="value")
        for ch, g in m.groupby("characteristic", sort=True):
            size = g.groupby("subgroup").size()
            kind = "i_mr" if size.max() == 1 else ("xbar_r" if size.max() <= 10 else "xbar_s")
            pair = control_chart(g, kind, trial=trial, nsigmas=nsigmas, **rule_kw)
            charts += [(str(ch), c) for c in pair]
            spec = specs.get(str(ch))
            rows_, pts_ = _time_weighted(
                g, trial, spc, str(ch), (spec or {}).get("label") or str(ch)
            )
            tw_rows += rows_
            tw_pts += pts_
            if spec and (spec.get("lsl") is not None or spec.get("usl") is not None):
                cap = capability(
                    g["value"],
                    lsl=spec.get("lsl"),
                    usl=spec.get("usl"),
                    sigma_within=pair[0].sigma,
                    target=spec.get("target"),
                )
                caps.append(
                    cap.reset_index().assign(
                        characteristic=str(ch), label=spec.get("label") or str(ch)
                    )
                )
    if {"inspected", "defective"}.issubset(d.columns) and d["defective"].notna().any():
        a = d[d["defective"].notna()].drop_duplicates("subgroup")
        (p,) = control_chart(
            a,
            "p",
            count="defective",
            size="inspected",
            trial=trial,
            nsigmas=nsigmas,
            **rule_kw,
        )
        charts.append(("defective share", p))
    if not charts:
        return QualityResult(None, None, None, plan, oc, company_language(company), **extra)
    rows, pts = [], []
    for ch, c in charts:
        pt = c.points
        out = pt[pt["out_of_control"]]
        label = specs.get(ch, {}).get("label") or (
            narrative.defective_share_label(company_language(company))
            if ch == "defective share"
            else ch
        )
        rows.append(
            {
                "characteristic": ch,
                "label": label,
                "chart": c.chart,
                "center": c.center,
                "lcl": c.lcl,
                "ucl": c.ucl,
                "sigma": c.sigma,
                "n_points": len(pt),
                "n_out": len(out),
                "share_out": len(out) / len(pt),
                "n_beyond": int(pt["beyond_limits"].sum()),
                "first_out": out["subgroup"].iloc[0] if len(out) else None,
                "n_removed": len(c.removed),
                "removed": ", ".join(str(x) for x in c.removed),
            }
        )
        pts.append(pt.assign(characteristic=ch, chart=c.chart))
    cap = None
    if caps:
        cap = pd.concat(caps, ignore_index=True)
        cap = cap[
            [
                "characteristic",
                "label",
                *[c for c in cap.columns if c not in ("characteristic", "label")],
            ]
        ]
    return QualityResult(
        pd.DataFrame(rows),
        pd.concat(pts, ignore_index=True),
        cap,
        plan,
        oc,
        company_language(company),
        **extra,
        time_weighted=pd.DataFrame(tw_rows) if tw_rows else None,
        time_weighted_points=pd.concat(tw_pts, ignore_index=True) if tw_pts else None,
    )


def headline(result: QualityResult) -> dict:
    """Headline quality numbers, JSON-safe.

    Returns
    -------
    dict
        ``charts`` (number drawn), ``charts_out_of_control`` (with any flagged
        point), ``points_out_of_control``, ``defective_share`` (p chart centre),
        ``worst_chart`` and ``worst_share_out``, ``min_cpk`` and its
        ``min_cpk_characteristic``, and ``risk`` / ``risk_value`` / ``risk_unit``:
        the biggest operational risk in words with its number, and
        ``risk_severity`` (a rough score for ranking risks across modules with
        :func:`orient.operations.risk.operational_risk`); ``rule_set`` (run rules
        used), ``subgroups_removed`` (by the phase I revision, when on),
        ``ewma_charts_signalling`` and ``cusum_charts_signalling`` (measured
        characteristics whose EWMA / CUSUM signals), and the first CUSUM signal
        (``cusum_first_signal`` "label: subgroup", ``cusum_new_mean`` the estimated
        shifted mean, ``cusum_shift_after`` the subgroup after which it began). None
        where the data is absent.
    """
    h: dict[str, Any] = dict.fromkeys(
        (
            "charts",
            "charts_out_of_control",
            "points_out_of_control",
            "defective_share",
            "worst_chart",
            "worst_share_out",
            "min_cpk",
            "min_cpk_characteristic",
            "risk",
            "risk_value",
            "risk_unit",
            "risk_severity",
            "rule_set",
            "subgroups_removed",
            "ewma_charts_signalling",
            "cusum_charts_signalling",
            "cusum_first_signal",
            "cusum_new_mean",
            "cusum_shift_after",
        )
    )
    s = result.summary
    if s is None:
        return h
    h["rule_set"] = result.rule_set
    if result.revised:
        h["subgroups_removed"] = int(s.drop_duplicates("characteristic")["n_removed"].sum())
    tw = result.time_weighted
    if tw is not None:
        for kind in ("ewma", "cusum"):
            part = tw[tw["chart"] == kind]
            h[f"{kind}_charts_signalling"] = int((part["n_signals"] > 0).sum())
        sig = tw[(tw["chart"] == "cusum") & tw["first_signal"].notna()]
        if len(sig):
            r = sig.iloc[0]
            h["cusum_first_signal"] = f"{r['label']}: {r['first_signal']}"
            h["cusum_new_mean"] = _f(r["new_mean"])
            h["cusum_shift_after"] = None if r["start_after"] is None else str(r["start_after"])
    h["charts"] = len(s)
    h["charts_out_of_control"] = int((s["n_out"] > 0).sum())
    h["points_out_of_control"] = int(s["n_out"].sum())
    p = s[s["chart"] == "p"]
    if len(p):
        h["defective_share"] = _f(p["center"].iloc[0])
    w = s.sort_values(["share_out", "n_out"], ascending=False).iloc[0]
    h["worst_chart"] = f"{w['label']} ({w['chart']})"
    h["worst_share_out"] = _f(w["share_out"])
    risks = []
    if w["n_out"] > 0:
        risks.append(
            (
                w["share_out"] * 2,
                narrative.risk_sentence(
                    "out_of_control",
                    result.language,
                    n_out=int(w["n_out"]),
                    n_points=int(w["n_points"]),
                    label=w["label"],
                    chart=w["chart"],
                ),
                int(w["n_out"]),
                "subgroups",
            )
        )
    cap = result.capability
    if cap is not None:
        cpk = cap[cap["index"] == "cpk"].sort_values("estimate")
        if len(cpk):
            row = cpk.iloc[0]
            h["min_cpk"] = _f(row["estimate"])
            h["min_cpk_characteristic"] = str(row["label"])
            if row["estimate"] < 1.33:
                ppm = row["expected_out_ppm"]
                risks.append(
                    (
                        1.33 - row["estimate"] + 0.5,
                        narrative.risk_sentence(
                            "not_capable",
                            result.language,
                            label=row["label"],
                            cpk=row["estimate"],
                            ppm=ppm,
                        ),
                        _f(row["estimate"]),
                        "Cpk",
                    )
                )
    if risks:
        severity, text, value, unit = max(risks, key=lambda r: r[0])
        h.update(risk=text, risk_value=_f(value), risk_unit=unit, risk_severity=_f(severity))
    return h


def key_figures(result: QualityResult) -> pd.DataFrame:
    """The headline quality numbers as a small table for people.

    Returns
    -------
    DataFrame
        Indexed by ``measure`` (label in ``result.language``), one column ``value``
        (text, numbers in that language's format).
    """
    h = headline(result)
    language = result.language

    def label(key: str, **values: Any) -> str:
        return narrative.figure_label(key, language, **values)

    rows = []
    if h["charts"] is not None:
        rows += [
            (label(k), narrative.format_figure(h[k], language, 0))
            for k in ("charts", "charts_out_of_control", "points_out_of_control")
        ]
    if h["defective_share"] is not None:
        rows.append(
            (
                label("defective_share"),
                narrative.format_figure(h["defective_share"], language, 2, percent=True),
            )
        )
    if h["min_cpk"] is not None:
        rows.append(
            (
                label("min_cpk", label=h["min_cpk_characteristic"]),
                narrative.format_figure(h["min_cpk"], language, 2),
            )
        )
    if h["cusum_charts_signalling"] is not None:
        rows.append(
            (
                label("cusum_signalling"),
                narrative.format_figure(h["cusum_charts_signalling"], language, 0),
            )
        )
    if result.sampling_plan is not None:
        p = result.sampling_plan
        rows.append((label("sampling_plan"), label("sampling_plan_value", n=p["n"], c=p["c"])))
    return pd.DataFrame(rows, columns=["measure", "value"]).set_index("measure")
