"""Synthetic companies with known ground truth.

:func:`make_company` writes a complete company folder (company.yaml, survey, finance
and the operational tables a business of that kind keeps) and returns the truth
it was generated from, so that every analysis can be checked against it.

How respondents are generated
-----------------------------
Each respondent's perceptions of the attributes share a common factor
(``rho``) and are rated on the survey scale. Overall satisfaction is a latent sum
``sum_j w_j g_j(x_j) + segment effect + wave effect + noise`` where ``x_j`` is the
attribute rating centred and scaled to [-1, 1] and ``g_j`` is linear for a
performance factor, ``2 min(x, 0)`` for a basic factor (hurts when low, adds little
when high) and ``2 max(x, 0)`` for an excitement factor. The latent sum is put on the
overall scale and rounded. Retention and revenue per customer depend linearly on
the 0-100 satisfaction index with known slopes. Population values that the data
should reproduce (segment and wave means, NPS by wave, importance order) are
computed on a large second draw from the same model.
"""

from __future__ import annotations

import io as _stdio
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

__all__ = ["GroundTruth", "make_company", "make_samples", "BUSINESSES", "SAMPLES"]


# --- business profiles --------------------------------------------------------------
# attribute: (key, label, own mean position 0..1 on the scale, competitor gap in
#             scale fractions (competitor minus own), weight, factor type)

_A = tuple[str, str, float, float, float, str]

BUSINESSES: dict[str, dict[str, Any]] = {
    "steel": {
        "name": "Нордсталь (Northsteel Rolling Mills)",
        "industry": "B2B steel exporter",
        "competitor": "Балтийский металлургический завод",
        "currency": "EUR",
        "language": "ru",
        "scale": (1, 5),
        "overall_scale": (1, 5),
        "labels": "ru",
        "format": {"encoding": "cp1251", "sep": ";", "decimal": ","},
        "segments": {"Европа": 0.45, "Ближний Восток": 0.35, "Азия": 0.20},
        "segment_effect": {"Европа": 0.15, "Ближний Восток": -0.05, "Азия": -0.25},
        "n": 400,
        "attributes": [
            ("product_quality", "Качество металла и допуски", 0.72, -0.04, 0.90, "basic"),
            ("delivery_reliability", "Надёжность поставок", 0.55, 0.10, 0.80, "performance"),
            ("lead_time", "Срок поставки", 0.50, 0.06, 0.55, "performance"),
            ("documentation", "Сертификаты и отгрузочные документы", 0.62, 0.02, 0.35, "performance"),
            ("claims_handling", "Работа с претензиями", 0.45, 0.08, 0.45, "performance"),
            ("technical_support", "Техническая поддержка", 0.60, -0.05, 0.25, "excitement"),
            ("price_terms", "Цена и условия оплаты", 0.48, 0.05, 0.60, "performance"),
            ("packaging", "Упаковка и маркировка", 0.70, 0.00, 0.10, "performance"),
            ("communication", "Оперативность отдела продаж", 0.58, -0.03, 0.30, "performance"),
            ("small_lots", "Гибкость по малым партиям", 0.40, 0.04, 0.05, "excitement"),
        ],
        "tables": ["finance", "claims", "quality"],
        "revenue": 850_000.0,
        "claim_categories": ["Качество металла", "Задержка поставки", "Документы", "Упаковка"],
        "quality": {"kind": "measure", "characteristic": "thickness_mm", "mean": 4.0, "sd": 0.02,
                    "lsl": 3.94, "usl": 4.06, "unit": "mm"},
    },
    "delivery": {
        "name": "SwiftPost Express",
        "industry": "Express delivery",
        "competitor": "RapidCargo",
        "currency": "EUR",
        "language": "en",
        "scale": (1, 10),
        "overall_scale": (1, 10),
        "labels": None,
        "format": {"encoding": "utf-8", "sep": ",", "decimal": "."},
        "segments": {"Business": 0.4, "Consumers": 0.6},
        "segment_effect": {"Business": -0.20, "Consumers": 0.10},
        "n": 1500,
        "attributes": [
            ("on_time", "On-time delivery", 0.70, 0.05, 1.00, "basic"),
            ("tracking", "Parcel tracking", 0.75, -0.05, 0.40, "performance"),
            ("courier_courtesy", "Courier courtesy", 0.78, 0.00, 0.30, "performance"),
            ("pickup", "Ease of arranging pickup", 0.62, 0.03, 0.45, "performance"),
            ("price", "Price", 0.50, 0.06, 0.65, "performance"),
            ("damage_free", "Parcels arrive undamaged", 0.80, -0.02, 0.55, "basic"),
            ("call_centre", "Call centre", 0.48, 0.10, 0.50, "performance"),
            ("online_booking", "Online booking", 0.72, -0.06, 0.20, "performance"),
            ("delivery_slots", "Choice of delivery slot", 0.55, 0.04, 0.35, "excitement"),
            ("returns", "Returns handling", 0.52, 0.02, 0.15, "performance"),
            ("notifications", "Delivery notifications", 0.68, -0.03, 0.08, "excitement"),
            ("claims_process", "Claims for lost or damaged parcels", 0.42, 0.07, 0.25, "performance"),
        ],
        "tables": ["finance", "calls", "claims", "quality"],
        "revenue": 4_800.0,
        "claim_categories": ["Lost parcel", "Damaged parcel", "Late delivery", "Billing"],
        "quality": {"kind": "counts", "inspected": 400, "p": 0.045},
        "calls_per_day": 2600,
    },
    "insurance": {
        "name": "Harbour Mutual Insurance",
        "industry": "Insurance",
        "competitor": "Anchor General",
        "currency": "GBP",
        "language": "en",
        "scale": (1, 5),
        "overall_scale": (1, 10),
        "labels": "en",
        "format": {"xlsx": True},
        "segments": {"Motor": 0.5, "Home": 0.35, "Life": 0.15},
        "segment_effect": {"Motor": -0.10, "Home": 0.05, "Life": 0.25},
        "n": 900,
        "attributes": [
            ("claims_speed", "Speed of claim settlement", 0.50, 0.08, 0.95, "performance"),
            ("claims_fairness", "Fairness of claim decisions", 0.60, 0.02, 0.80, "basic"),
            ("phone_waiting", "Waiting time on the phone", 0.42, 0.12, 0.60, "performance"),
            ("agent_knowledge", "Knowledge of phone agents", 0.66, -0.02, 0.45, "performance"),
            ("policy_clarity", "Clarity of policy documents", 0.52, 0.00, 0.30, "performance"),
            ("premium", "Premium level", 0.45, 0.04, 0.50, "performance"),
            ("online_service", "Online self-service", 0.58, -0.04, 0.20, "excitement"),
            ("renewal", "Renewal process", 0.64, 0.01, 0.12, "performance"),
            ("advice", "Quality of advice", 0.62, -0.03, 0.25, "excitement"),
        ],
        "tables": ["finance", "calls", "claims"],
        "revenue": 950.0,
        "claim_categories": ["Motor accident", "Home damage", "Theft", "Life benefit"],
        "calls_per_day": 1800,
    },
    "cars": {
        "name": "Volta Motors",
        "industry": "Car maker",
        "competitor": "Kessler Auto",
        "currency": "EUR",
        "language": "en",
        "scale": (1, 10),
        "overall_scale": (1, 10),
        "labels": None,
        "format": {"encoding": "utf-8", "sep": ",", "decimal": "."},
        "segments": {"Mass market": 0.7, "Premium": 0.3},
        "segment_effect": {"Mass market": -0.05, "Premium": 0.20},
        "n": 1200,
        "attributes": [
            ("reliability", "Reliability", 0.70, 0.02, 0.90, "basic"),
            ("design", "Design", 0.66, -0.05, 0.55, "excitement"),
            ("fuel_economy", "Fuel economy", 0.58, 0.06, 0.50, "performance"),
            ("comfort", "Ride comfort", 0.64, 0.00, 0.40, "performance"),
            ("dealer_service", "Dealer service", 0.52, 0.08, 0.60, "performance"),
            ("warranty", "Warranty terms", 0.60, 0.03, 0.30, "performance"),
            ("price", "Price", 0.50, 0.04, 0.65, "performance"),
            ("safety", "Safety", 0.76, -0.02, 0.45, "basic"),
            ("infotainment", "Infotainment and connectivity", 0.48, 0.09, 0.20, "excitement"),
            ("resale_value", "Resale value", 0.55, 0.05, 0.15, "performance"),
            ("test_drive", "Test drive and purchase experience", 0.70, -0.04, 0.06, "performance"),
        ],
        "tables": ["finance", "claims", "quality"],
        "revenue": 31_000.0,
        "claim_categories": ["Warranty repair", "Paint defect", "Electronics", "Recall"],
        "quality": {"kind": "measure", "characteristic": "paint_thickness_um", "mean": 120.0,
                    "sd": 2.5, "lsl": 110.0, "usl": 130.0, "unit": "µm"},
    },
    "software": {
        "name": "Cobalt Software Distribution",
        "industry": "Software distributor",
        "competitor": "Nimbus Distribution",
        "currency": "EUR",
        "language": "en",
        "scale": (1, 7),
        "overall_scale": (1, 7),
        "labels": None,
        "format": {"encoding": "utf-8-sig", "sep": ";", "decimal": ","},
        "segments": {"SMB": 0.55, "Enterprise": 0.30, "Public sector": 0.15},
        "segment_effect": {"SMB": 0.05, "Enterprise": 0.10, "Public sector": -0.30},
        "n": 500,
        "attributes": [
            ("licence_advice", "Licensing advice", 0.60, 0.03, 0.70, "performance"),
            ("delivery_speed", "Speed of licence delivery", 0.72, -0.04, 0.40, "basic"),
            ("price", "Price and discounts", 0.50, 0.06, 0.60, "performance"),
            ("tech_support", "Technical support", 0.55, 0.07, 0.80, "performance"),
            ("training", "Training offer", 0.48, 0.02, 0.20, "excitement"),
            ("account_manager", "Account manager", 0.65, -0.02, 0.50, "performance"),
            ("invoicing", "Invoicing accuracy", 0.70, 0.00, 0.25, "basic"),
            ("product_range", "Product range", 0.68, -0.05, 0.10, "performance"),
        ],
        "tables": ["finance", "deals"],
        "revenue": 42_000.0,
    },
}

#: the committed sample companies: slug -> (business, seed)
SAMPLES: dict[str, tuple[str, int]] = {
    "northsteel": ("steel", 11),
    "swiftpost": ("delivery", 12),
    "harbour-mutual": ("insurance", 13),
    "volta-motors": ("cars", 14),
    "cobalt-software": ("software", 15),
}

_RU_AGREE = ["Полностью не согласен", "Не согласен", "Ни да, ни нет", "Согласен",
             "Полностью согласен"]
_RU_SAT = ["Совершенно не удовлетворен", "Не удовлетворен", "Нейтрален", "Удовлетворен",
           "Полностью удовлетворен"]
_EN_AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
             "Strongly agree"]

WAVES = ("2025", "2026")
RHO = 0.35  # common-factor share of attribute perception variance


@dataclass(frozen=True)
class GroundTruth:
    """What a synthetic company was generated from.

    Attributes
    ----------
    business : str
    attributes : DataFrame indexed by attribute key: label, weight (true driver weight
        in the latent model), factor_type (basic/performance/excitement),
        true_importance (the population standardised linear effect
        ``w cov(g(x), x) / sd(x)``, what a linear driver model can see; its order is the true
        driver order), own_mean and competitor_mean (population means on the
        scale), gap (competitor minus own, scale points), gap_100 (0-100 points).
    segments : DataFrame indexed by segment: share, effect (latent), mean_overall,
        index (population 0-100 satisfaction index), nps.
    waves : DataFrame indexed by wave: mean_overall, index, nps (population values).
    wave_change : dict: mean_overall, index, nps (last wave minus first).
    chain : dict: retention_pp_per_point (percentage points of retention per point
        of the 0-100 index), revenue_per_point (currency per customer per point).
    scale, overall_scale : (min, max)
    n_respondents : int
    """

    business: str
    attributes: pd.DataFrame
    segments: pd.DataFrame
    waves: pd.DataFrame
    wave_change: dict
    chain: dict
    scale: tuple
    overall_scale: tuple
    n_respondents: int
    extra: dict = field(default_factory=dict)


# --- the respondent model -----------------------------------------------------------


def _discretise(pos: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """Position in [0, 1] (may overflow) -> integer rating on [lo, hi]."""
    return np.clip(np.rint(lo + pos * (hi - lo)), lo, hi)


def _g(x: np.ndarray, kind: str) -> np.ndarray:
    if kind == "basic":
        return 2.0 * np.minimum(x, 0.0)
    if kind == "excitement":
        return 2.0 * np.maximum(x, 0.0)
    return x


def _simulate(b: dict, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draw n respondents from a business profile's model; returns raw arrays."""
    attrs = b["attributes"]
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    seg_names = list(b["segments"])
    seg = rng.choice(len(seg_names), size=n, p=np.array(list(b["segments"].values())))
    wave = rng.integers(0, 2, size=n)
    k = len(attrs)
    common = rng.standard_normal(n)
    spread = 0.22  # sd of perception in scale fractions
    own = np.empty((n, k))
    comp = np.empty((n, k))
    latent = np.zeros(n)
    seg_eff = np.array([b["segment_effect"][s] for s in seg_names])[seg]
    for j, (_, _, mu, gap, w, kind) in enumerate(attrs):
        z = np.sqrt(RHO) * common + np.sqrt(1 - RHO) * rng.standard_normal(n)
        shift = 0.03 * (wave == 1) if j == 0 else 0.0  # the first attribute improves in wave 2
        pos = mu + shift + spread * z + 0.25 * spread * seg_eff
        own[:, j] = _discretise(pos, lo, hi)
        u = rng.standard_normal(n)
        cpos = mu + gap + spread * (0.5 * z + np.sqrt(0.75) * u)
        comp[:, j] = _discretise(cpos, lo, hi)
        x = (own[:, j] - (lo + hi) / 2) / ((hi - lo) / 2)
        latent += w * _g(x, kind)
    total_w = sum(a[4] for a in attrs)
    latent = latent / total_w  # roughly in [-1, 1]
    wave_eff = 0.06 * (wave == 1)
    latent = latent + 0.35 * seg_eff + wave_eff + 0.12 * rng.standard_normal(n)
    overall = _discretise(0.62 + 0.55 * latent, olo, ohi)
    rec = np.clip(np.rint(6.6 + 6.0 * latent + 1.2 * rng.standard_normal(n)), 0, 10)
    expect = _discretise(0.60 + 0.50 * latent + 0.08 * rng.standard_normal(n), olo, ohi)
    ideal = _discretise(0.55 + 0.50 * latent + 0.08 * rng.standard_normal(n), olo, ohi)
    rep = _discretise(0.62 + 0.50 * latent + 0.10 * rng.standard_normal(n), lo, hi)
    return {"seg": seg, "wave": wave, "own": own, "comp": comp, "overall": overall,
            "recommend": rec, "expect": expect, "ideal": ideal, "repurchase": rep,
            "latent": latent}


def _index(overall: np.ndarray, lo: float, hi: float) -> np.ndarray:
    return (overall - lo) / (hi - lo) * 100.0


def _nps(rec: np.ndarray) -> float:
    return float(100.0 * (np.mean(rec >= 9) - np.mean(rec <= 6)))


def _truth(b: dict, business: str, n: int, seed: int) -> GroundTruth:
    pop = _simulate(b, 400_000, np.random.default_rng([seed, 99]))
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    rows = []
    for j, (key, label, _mu, _gap, w, kind) in enumerate(b["attributes"]):
        x = (pop["own"][:, j] - (lo + hi) / 2) / ((hi - lo) / 2)
        om, cm = pop["own"][:, j].mean(), pop["comp"][:, j].mean()
        # the standardised effect a linear driver model can see: w cov(g(x), x) / sd(x)
        lin = w * np.cov(_g(x, kind), x)[0, 1] / x.std()
        rows.append({"key": key, "label": label, "weight": w, "factor_type": kind,
                     "true_importance": lin, "own_mean": om,
                     "competitor_mean": cm, "gap": cm - om, "gap_100": (cm - om) / (hi - lo) * 100})
    attributes = pd.DataFrame(rows).set_index("key")
    idx = _index(pop["overall"], olo, ohi)
    seg_names = list(b["segments"])
    seg_rows = []
    for s, name in enumerate(seg_names):
        m = pop["seg"] == s
        seg_rows.append({"segment": name, "share": b["segments"][name],
                         "effect": b["segment_effect"][name],
                         "mean_overall": pop["overall"][m].mean(), "index": idx[m].mean(),
                         "nps": _nps(pop["recommend"][m])})
    segments = pd.DataFrame(seg_rows).set_index("segment")
    wave_rows = []
    for wv, name in enumerate(WAVES):
        m = pop["wave"] == wv
        wave_rows.append({"wave": name, "mean_overall": pop["overall"][m].mean(),
                          "index": idx[m].mean(), "nps": _nps(pop["recommend"][m])})
    waves = pd.DataFrame(wave_rows).set_index("wave")
    change = (waves.iloc[-1] - waves.iloc[0]).to_dict()
    return GroundTruth(
        business=business, attributes=attributes, segments=segments, waves=waves,
        wave_change={k: float(v) for k, v in change.items()},
        chain={"retention_pp_per_point": 100 * _RET_SLOPE,
               "revenue_per_point": _REV_SLOPE * b["revenue"]},
        scale=tuple(b["scale"]), overall_scale=tuple(b["overall_scale"]), n_respondents=n,
    )


_RET_BASE, _RET_SLOPE = 0.72, 0.004  # retention probability at index 50, per index point
_REV_SLOPE = 0.006  # revenue per index point, as a share of the business's typical revenue


# --- writing the folder -------------------------------------------------------------


def make_company(
    path: str | Path,
    seed: int = 0,
    name: str | None = None,
    n_respondents: int | None = None,
    *,
    business: str = "delivery",
    slug: str | None = None,
    overwrite: bool = False,
) -> GroundTruth:
    """Write a synthetic company folder and return its ground truth.

    Parameters
    ----------
    path : folder to write (created; must be empty or absent unless ``overwrite``).
    seed : the random seed; the same seed writes byte-identical files.
    name : the company's name (default: the business profile's name).
    n_respondents : survey size (default: the business profile's size).
    business : one of ``steel``, ``delivery``, ``insurance``, ``cars``, ``software``.
    slug : the company's slug (default: from the folder name).
    overwrite : allow writing into a folder that already holds a company.yaml.

    Returns
    -------
    GroundTruth
    """
    if business not in BUSINESSES:
        raise ValueError(f"`business` must be one of {', '.join(map(repr, BUSINESSES))}; "
                         f"got {business!r}.")
    b = BUSINESSES[business]
    n = int(n_respondents or b["n"])
    if n < 10:
        raise ValueError(f"`n_respondents` must be at least 10; got {n_respondents!r}.")
    path = Path(path)
    if path.exists() and any(path.iterdir()) and not overwrite:
        raise FileExistsError(f"{path} is not empty; pass overwrite=True to replace its files.")
    path.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    sim = _simulate(b, n, rng)
    survey, ids, cust = _survey_frame(b, sim, rng)
    fmt = b["format"]
    survey_file = "survey.xlsx" if fmt.get("xlsx") else "survey.csv"
    if fmt.get("xlsx"):
        _write_xlsx(survey, path / survey_file)
    else:
        _write_csv(survey, path / survey_file, fmt)
    tables = b["tables"]
    lo, hi = b["overall_scale"]
    idx = _index(sim["overall"], lo, hi)
    seg_names = np.array(list(b["segments"]))[sim["seg"]]
    written = {}
    if "finance" in tables:
        written["finance"] = _finance(b, cust, idx, seg_names, rng)
    if "calls" in tables:
        written["calls"] = _calls(b, rng)
    if "claims" in tables:
        written["claims"] = _claims(b, cust, rng)
    if "quality" in tables:
        written["quality"] = _quality(b, rng)
    if "deals" in tables:
        written["deals"] = _deals(b, cust, seg_names, rng)
    for tname, frame in written.items():
        _write_csv(frame, path / f"{tname}.csv", {"encoding": "utf-8", "sep": ",", "decimal": "."})
    profile = _profile(b, business, name, slug, survey_file, seed, tables, rng)
    text = "# Generated by orient.synth.make_company: a fictional company with known ground truth.\n"
    text += yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=100)
    (path / "company.yaml").write_text(text, encoding="utf-8")
    return _truth(b, business, n, seed)


def _survey_frame(b: dict, sim: dict, rng: np.random.Generator):
    n = len(sim["overall"])
    ids = np.array([f"R{i + 1:05d}" for i in range(n)])
    cust = np.array([f"C{i + 1:05d}" for i in range(n)])
    seg_names = np.array(list(b["segments"]))[sim["seg"]]
    wave = np.array(WAVES)[sim["wave"]]
    # post-stratification-like weights: segment target share / sample share, with noise
    shares = pd.Series(seg_names).value_counts(normalize=True)
    target = pd.Series(b["segments"])
    wseg = (target / shares.reindex(target.index)).reindex(seg_names).to_numpy()
    weight = np.round(wseg * rng.uniform(0.7, 1.3, size=n), 3)
    df = pd.DataFrame({"respondent_id": ids, "customer_id": cust, "wave": wave,
                       "segment": seg_names, "weight": weight})
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    labels = b["labels"]

    def as_text(vals: np.ndarray, kind: str) -> np.ndarray:
        if labels == "ru":
            words = _RU_SAT if kind == "sat" else _RU_AGREE
        elif labels == "en":
            words = _EN_AGREE
        else:
            return vals
        out = np.array([words[int(v) - 1] for v in vals], dtype=object)
        return out

    overall = sim["overall"].astype(float).copy()
    miss_overall = rng.random(n) < 0.01
    ov = overall.astype(object)
    if b["labels"] == "ru" and (olo, ohi) == (1, 5):
        ov = as_text(overall, "sat")
    ov = np.where(miss_overall, "", ov)
    df["q_overall"] = [_int_or_text(v) for v in ov]
    df["q_expectations"] = sim["expect"].astype(int)
    df["q_ideal"] = sim["ideal"].astype(int)
    df["q_recommend"] = sim["recommend"].astype(int)
    rep = sim["repurchase"]
    df["q_repurchase"] = [_int_or_text(v) for v in (as_text(rep, "agree") if labels else rep)]
    dk = "Затрудняюсь ответить" if labels == "ru" else "Don't know"
    for j, (key, *_rest) in enumerate(b["attributes"]):
        own = sim["own"][:, j]
        comp = sim["comp"][:, j]
        own_vals = as_text(own, "agree") if labels else own.astype(int)
        comp_vals = as_text(comp, "agree") if labels else comp.astype(int)
        own_vals = np.where(rng.random(n) < 0.01, dk, own_vals.astype(object))
        comp_vals = np.where(rng.random(n) < 0.06, dk, comp_vals.astype(object))
        df[f"q_{key}"] = [_int_or_text(v) for v in own_vals]
        df[f"c_{key}"] = [_int_or_text(v) for v in comp_vals]
    return df, ids, cust


def _int_or_text(v):
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return int(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    return v


def _write_csv(df: pd.DataFrame, path: Path, fmt: dict) -> None:
    text = df.to_csv(index=False, sep=fmt.get("sep", ","), decimal=fmt.get("decimal", "."),
                     lineterminator="\n")
    enc = fmt.get("encoding", "utf-8")
    path.write_bytes(text.encode(enc))


def _write_xlsx(df: pd.DataFrame, path: Path) -> None:
    """XLSX with fixed timestamps, so the same seed gives the same bytes."""
    buf = _stdio.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        df.to_excel(xl, index=False, sheet_name="Responses")
        fixed = pd.Timestamp("2026-01-01").to_pydatetime()
        xl.book.properties.created = fixed
        xl.book.properties.modified = fixed
    src = zipfile.ZipFile(_stdio.BytesIO(buf.getvalue()))
    out = _stdio.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", data)
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    path.write_bytes(out.getvalue())


def _finance(b, cust, idx, seg_names, rng) -> pd.DataFrame:
    rev0 = b["revenue"]
    seg_mult = {s: 1.0 + 0.5 * i for i, s in enumerate(b["segments"])}
    base = rev0 * np.array([seg_mult[s] for s in seg_names])
    revenue = base * rng.lognormal(0, 0.25, size=len(cust)) + _REV_SLOPE * rev0 * (idx - 50)
    revenue = np.round(np.maximum(revenue, 0.05 * rev0), 2)
    margin = rng.uniform(0.12, 0.30, size=len(cust))
    cost = np.round(revenue * (1 - margin), 2)
    p = np.clip(_RET_BASE + _RET_SLOPE * (idx - 50), 0.02, 0.98)
    retained = (rng.random(len(cust)) < p).astype(int)
    return pd.DataFrame({"customer_id": cust, "segment": seg_names, "revenue": revenue,
                         "cost": cost, "retained": retained})


def _calls(b, rng) -> pd.DataFrame:
    days = pd.bdate_range("2026-03-02", periods=20)
    slots = pd.timedelta_range("08:00:00", "19:30:00", freq="30min")
    per_day = b["calls_per_day"]
    # daily profile: morning and afternoon peaks
    h = np.array([s.total_seconds() / 3600 for s in slots])
    prof = np.exp(-((h - 10.5) ** 2) / 2.0) + 0.8 * np.exp(-((h - 14.5) ** 2) / 3.0) + 0.15
    prof = prof / prof.sum()
    rows = []
    for d in days:
        day_mult = 1.15 if d.day_of_week == 0 else (0.9 if d.day_of_week == 4 else 1.0)
        for s, share in zip(slots, prof, strict=True):
            lam = per_day * day_mult * share
            offered = int(rng.poisson(lam))
            aht = float(np.round(rng.normal(260, 15), 1))
            load = lam * aht / 1800.0
            # staffing planned on an average day: peaks are understaffed
            agents = max(1, int(np.ceil(per_day * share * aht / 1800.0 / 0.85)))
            occ = min(load / agents, 1.5)
            ab_rate = float(np.clip(0.01 + 0.25 * max(occ - 0.8, 0.0), 0.0, 0.4))
            abandoned = int(rng.binomial(offered, ab_rate))
            answered = offered - abandoned
            sl = float(np.clip(0.97 - 1.4 * max(occ - 0.7, 0.0), 0.15, 0.98))
            in_target = int(rng.binomial(answered, sl))
            rows.append({"interval_start": (d + s).strftime("%Y-%m-%d %H:%M"),
                         "offered": offered, "answered": answered,
                         "answered_in_target": in_target, "abandoned": abandoned,
                         "aht_s": aht, "agents": agents})
    return pd.DataFrame(rows)


def _claims(b, cust, rng) -> pd.DataFrame:
    n = max(40, len(cust) // 6)
    cats = b["claim_categories"]
    cat = rng.choice(len(cats), size=n, p=np.array([0.4, 0.3, 0.2, 0.1]))
    received = pd.Timestamp("2025-06-01") + pd.to_timedelta(rng.integers(0, 365, size=n), "D")
    days = np.round(rng.gamma(2.0, 9.0 + 4.0 * cat), 0)
    resolved = received + pd.to_timedelta(days, "D")
    open_ = resolved > pd.Timestamp("2026-05-31")
    scale = b["revenue"] * 0.02
    claimed = np.round(rng.lognormal(np.log(scale), 0.8, size=n), 2)
    settled = np.round(claimed * rng.beta(4, 2, size=n), 2)
    return pd.DataFrame({
        "claim_id": [f"CL{i + 1:05d}" for i in range(n)],
        "customer_id": rng.choice(cust, size=n),
        "received": received.strftime("%Y-%m-%d"),
        "resolved": np.where(open_, "", resolved.strftime("%Y-%m-%d")),
        "category": np.array(cats)[cat],
        "amount_claimed": claimed,
        "amount_settled": np.where(open_, np.nan, settled),
    })


def _quality(b, rng) -> pd.DataFrame:
    q = b["quality"]
    if q["kind"] == "measure":
        k, m = 40, 5
        shift = np.where(np.arange(k) >= 30, 1.2 * q["sd"], 0.0)  # a shift in phase II
        vals = q["mean"] + shift[:, None] + q["sd"] * rng.standard_normal((k, m))
        return pd.DataFrame({
            "subgroup": np.repeat(np.arange(1, k + 1), m),
            "characteristic": q["characteristic"],
            "value": np.round(vals.ravel(), 4),
            "phase": np.repeat(np.where(np.arange(k) < 25, "trial", "monitor"), m),
        })
    k = 40
    p = np.where(np.arange(k) >= 32, q["p"] * 1.8, q["p"])
    inspected = np.full(k, q["inspected"])
    return pd.DataFrame({"subgroup": np.arange(1, k + 1), "inspected": inspected,
                         "defective": rng.binomial(inspected, p),
                         "phase": np.where(np.arange(k) < 25, "trial", "monitor")})


def _deals(b, cust, seg_names, rng) -> pd.DataFrame:
    n = 420
    managers = ["A. Ivanova", "B. Keller", "C. Novak", "D. Rossi", "E. Lind", "F. Moreau"]
    skill = np.array([0.42, 0.35, 0.30, 0.25, 0.38, 0.20])
    sources = ["Website", "Referral", "Cold call", "Trade fair", "Partner"]
    src_lift = np.array([0.0, 0.15, -0.12, 0.05, 0.08])
    regions = ["North", "South", "East", "West"]
    reasons = ["Price", "Chose competitor", "No budget", "Timing", "No response"]
    mi = rng.integers(0, len(managers), size=n)
    si = rng.integers(0, len(sources), size=n)
    ci = rng.integers(0, len(cust), size=n)
    created = pd.Timestamp("2025-01-06") + pd.to_timedelta(rng.integers(0, 500, size=n), "D")
    cycle = np.round(rng.gamma(3.0, 15.0, size=n))
    closed = created + pd.to_timedelta(cycle, "D")
    cutoff = pd.Timestamp("2026-05-31")
    is_open = closed > cutoff
    p_win = np.clip(skill[mi] + src_lift[si], 0.05, 0.9)
    won = rng.random(n) < p_win
    outcome = np.where(is_open, "open", np.where(won, "won", "lost"))
    open_stages = np.array(["Lead", "Qualified", "Proposal", "Negotiation"])
    stage = np.where(outcome == "open", open_stages[rng.integers(0, 4, size=n)],
                     np.where(outcome == "won", "Won", "Lost"))
    planned = np.round(b["revenue"] * rng.lognormal(-1.2, 0.7, size=n), -1)
    paid_share = np.where(rng.random(n) < 0.8, 1.0, rng.uniform(0.0, 0.9, size=n))
    paid = np.where(outcome == "won", np.round(planned * paid_share, 2), np.nan)
    due = np.where(outcome == "won", (closed + pd.Timedelta(days=30)).strftime("%Y-%m-%d"), "")
    return pd.DataFrame({
        "deal_id": [f"D{i + 1:05d}" for i in range(n)],
        "manager": np.array(managers)[mi],
        "client": cust[ci],
        "segment": seg_names[ci],
        "region": np.array(regions)[rng.integers(0, 4, size=n)],
        "source": np.array(sources)[si],
        "stage": stage,
        "created": created.strftime("%Y-%m-%d"),
        "closed": np.where(is_open, "", closed.strftime("%Y-%m-%d")),
        "outcome": outcome,
        "refusal_reason": np.where(outcome == "lost", np.array(reasons)[rng.integers(0, 5, size=n)], ""),
        "planned_amount": planned,
        "paid_amount": paid,
        "invoice_due": due,
    })


def _g1(perspective, kpi, label, owner, baseline, target, weight, *, unit=None, current=None,
        direction="higher", attributes=None, intent=None) -> dict:
    goal: dict[str, Any] = {"perspective": perspective, "kpi": kpi, "label": label}
    if unit:
        goal["unit"] = unit
    goal.update({"baseline": baseline, "target": target, "weight": weight, "owner": owner})
    if direction != "higher":
        goal["direction"] = direction
    if current is not None:
        goal["current"] = current
    if attributes:
        goal["attributes"] = list(attributes)
        goal["intent"] = intent
    return goal


#: stage I goals per business: customer goals are measured from the data (current left
#: out); the others carry this year's value. Each business has one cost goal on an
#: attribute customers want improved, the conflict the model warns about.
_STAGE1_GOALS: dict[str, dict[str, dict]] = {
    "steel": {
        "satisfaction": _g1("customer", "satisfaction_index", "Индекс удовлетворённости клиентов",
                            "Коммерческий директор", 62.0, 68.0, 3, unit="0-100"),
        "nps": _g1("customer", "nps", "Индекс NPS", "Коммерческий директор", -10.0, 0.0, 2,
                   unit="-100..100"),
        "retention": _g1("customer", "retention_rate", "Удержание клиентов",
                         "Директор по продажам", 76.0, 80.0, 2, unit="%"),
        "on_time_shipments": _g1("process", "on_time_shipments", "Отгрузки в срок",
                                 "Директор по логистике", 88.0, 95.0, 2, unit="%", current=93.5,
                                 attributes=["delivery_reliability"], intent="improve"),
        "logistics_cost": _g1("process", "logistics_cost_per_t", "Логистические затраты на тонну",
                              "Директор по логистике", 42.0, 38.0, 1, unit="EUR/t",
                              current=41.0, direction="lower",
                              attributes=["delivery_reliability", "lead_time"],
                              intent="cut_cost"),
        "new_mill": _g1("process", "new_line_share", "Доля проката на новом стане",
                        "Технический директор", 20.0, 45.0, 2, unit="%", current=41.0),
        "engagement": _g1("people", "staff_engagement", "Вовлечённость персонала",
                          "Директор по персоналу", 61.0, 68.0, 1, unit="0-100", current=67.5),
        "margin": _g1("financial", "margin", "Рентабельность продаж", "Финансовый директор",
                      19.0, 22.0, 2, unit="%"),
        "revenue_per_customer": _g1("financial", "revenue_per_customer",
                                    "Выручка на клиента", "Финансовый директор",
                                    1_150_000.0, 1_300_000.0, 1, unit="EUR"),
    },
    "delivery": {
        "satisfaction": _g1("customer", "satisfaction_index", "Customer satisfaction index",
                            "Chief Commercial Officer", 65.0, 71.0, 3, unit="0-100"),
        "nps": _g1("customer", "nps", "Net promoter score", "Chief Commercial Officer", -8.0,
                   10.0, 2, unit="-100..100"),
        "retention": _g1("customer", "retention_rate", "Customers retained",
                         "Head of Sales", 78.0, 82.0, 2, unit="%"),
        "first_attempt": _g1("process", "first_attempt_delivery", "Delivered at first attempt",
                             "Head of Operations", 91.0, 95.0, 2, unit="%", current=93.2,
                             attributes=["on_time"], intent="improve"),
        "contact_cost": _g1("process", "cost_per_contact", "Cost per call-centre contact",
                            "Customer Service Director", 4.8, 4.0, 1, unit="EUR", current=4.5,
                            direction="lower", attributes=["call_centre"], intent="cut_cost"),
        "automated_sorting": _g1("process", "automated_sorting", "Parcels sorted automatically",
                                 "Chief Technology Officer", 55.0, 75.0, 2, unit="%",
                                 current=72.0),
        "courier_turnover": _g1("people", "courier_turnover", "Courier staff turnover",
                                "HR Director", 32.0, 25.0, 1, unit="% a year", current=25.5,
                                direction="lower"),
        "margin": _g1("financial", "margin", "Operating margin", "Chief Financial Officer", 19.5,
                      22.0, 2, unit="%"),
        "revenue_per_customer": _g1("financial", "revenue_per_customer",
                                    "Revenue per customer", "Chief Financial Officer",
                                    6600.0, 7200.0, 1, unit="EUR"),
    },
    "insurance": {
        "satisfaction": _g1("customer", "satisfaction_index", "Customer satisfaction index",
                            "Customer Director", 61.0, 67.0, 3, unit="0-100"),
        "nps": _g1("customer", "nps", "Net promoter score", "Customer Director", -25.0, -5.0, 2,
                   unit="-100..100"),
        "retention": _g1("customer", "retention_rate", "Policies renewed", "Head of Retail",
                         80.0, 84.0, 2, unit="%"),
        "claims_cycle": _g1("process", "claims_cycle_days", "Days to settle a claim",
                            "Claims Director", 21.0, 14.0, 2, unit="days", current=16.0,
                            direction="lower", attributes=["claims_speed"], intent="improve"),
        "contact_cost": _g1("process", "cost_per_call", "Cost per contact-centre call",
                            "Operations Director", 6.2, 5.5, 1, unit="GBP", current=5.9,
                            direction="lower", attributes=["phone_waiting"], intent="cut_cost"),
        "digital_service": _g1("process", "online_servicing", "Policies serviced online",
                               "Chief Digital Officer", 30.0, 45.0, 1, unit="%", current=38.0),
        "staff_satisfaction": _g1("people", "staff_satisfaction", "Staff satisfaction",
                                  "HR Director", 3.6, 3.9, 1, unit="1-5", current=3.85),
        "combined_ratio": _g1("financial", "combined_ratio", "Combined ratio", "Finance Director",
                              98.0, 95.0, 2, unit="%", current=96.5, direction="lower"),
        "revenue_per_customer": _g1("financial", "revenue_per_customer",
                                    "Premium income per customer", "Finance Director",
                                    1300.0, 1400.0, 1, unit="GBP"),
    },
    "cars": {
        "satisfaction": _g1("customer", "satisfaction_index", "Owner satisfaction index",
                            "Sales and Marketing Director", 67.0, 73.0, 3, unit="0-100"),
        "nps": _g1("customer", "nps", "Net promoter score", "Sales and Marketing Director", 0.0,
                   15.0, 2, unit="-100..100"),
        "retention": _g1("customer", "retention_rate", "Owners who buy the brand again",
                         "Head of Dealer Network", 80.0, 85.0, 2, unit="%"),
        "dealer_cost": _g1("financial", "dealer_support_cost", "Dealer support cost per car",
                           "Head of Dealer Network", 410.0, 350.0, 1, unit="EUR", current=385.0,
                           direction="lower", attributes=["dealer_service"], intent="cut_cost"),
        "new_platform": _g1("process", "new_platform_share", "Models on the new platform",
                            "Chief Technology Officer", 25.0, 60.0, 2, unit="%", current=50.0,
                            attributes=["fuel_economy", "infotainment"], intent="improve"),
        "defects": _g1("process", "defects_per_100", "Defects per 100 cars at delivery",
                       "Quality Director", 95.0, 80.0, 2, current=82.0, direction="lower",
                       attributes=["reliability"], intent="improve"),
        "engagement": _g1("people", "staff_engagement", "Employee engagement", "HR Director",
                          64.0, 70.0, 1, unit="0-100", current=69.0),
        "margin": _g1("financial", "margin", "Operating margin", "Chief Financial Officer", 19.0,
                      23.0, 2, unit="%"),
        "revenue_per_customer": _g1("financial", "revenue_per_customer", "Revenue per customer",
                                    "Chief Financial Officer", 38_000.0, 42_000.0, 1,
                                    unit="EUR"),
    },
    "software": {
        "satisfaction": _g1("customer", "satisfaction_index", "Reseller satisfaction index",
                            "Managing Director", 66.0, 71.0, 3, unit="0-100"),
        "nps": _g1("customer", "nps", "Net promoter score", "Managing Director", 0.0, 20.0, 2,
                   unit="-100..100"),
        "retention": _g1("customer", "retention_rate", "Customers renewing", "Head of Sales",
                         80.0, 85.0, 2, unit="%"),
        "support_response": _g1("process", "support_response_h", "Support first response time",
                                "Head of Technical Support", 8.0, 4.0, 2, unit="hours",
                                current=5.0, direction="lower", attributes=["tech_support"],
                                intent="improve"),
        "support_cost": _g1("financial", "support_cost_share", "Support cost share of revenue",
                            "Chief Financial Officer", 6.0, 5.0, 1, unit="%", current=5.6,
                            direction="lower", attributes=["tech_support"], intent="cut_cost"),
        "crm_rollout": _g1("process", "crm_deals_share", "Deals managed in the new CRM",
                           "Head of Sales", 40.0, 90.0, 1, unit="%", current=85.0),
        "certified_engineers": _g1("people", "certified_engineers", "Vendor-certified engineers",
                                   "Head of Technical Support", 12.0, 20.0, 1, current=19.0),
        "margin": _g1("financial", "margin", "Gross margin", "Chief Financial Officer", 20.0, 22.0,
                      2, unit="%"),
        "revenue_per_customer": _g1("financial", "revenue_per_customer", "Revenue per customer",
                                    "Chief Financial Officer", 60_000.0, 66_000.0, 1,
                                    unit="EUR"),
    },
}

#: expected market growth per segment, % a year
_STAGE1_GROWTH: dict[str, dict[str, float]] = {
    "steel": {"Европа": 1.5, "Ближний Восток": 6.0, "Азия": 8.0},
    "delivery": {"Business": 4.0, "Consumers": 9.0},
    "insurance": {"Motor": 2.0, "Home": 3.0, "Life": 5.5},
    "cars": {"Mass market": 1.0, "Premium": 4.5},
    "software": {"SMB": 7.0, "Enterprise": 4.0, "Public sector": 2.0},
}


def stage1_sections(business: str, b: dict, rng: np.random.Generator) -> dict:
    """company.yaml sections for stage I (goals, segment economics) of a sample business.

    Fixed, realistic values per business (``rng`` is not drawn from, so the rest of the
    company is unchanged): a balanced scorecard of goals across the four perspectives,
    each with an owner, and each segment's expected market growth. Size, revenue share
    and margin per segment come from finance.csv, so they are not repeated here.
    """
    goals = _STAGE1_GOALS.get(business)
    if goals is None:
        return {}
    growth = _STAGE1_GROWTH[business]
    return {
        "goals": {k: dict(v) for k, v in goals.items()},
        "segments": {seg: {"growth": growth[seg]} for seg in b["segments"]},
    }


def stage4_sections(business: str, b: dict, rng: np.random.Generator) -> dict:
    """company.yaml sections for stage IV (qfd, actions, conjoint, investments).

    Realistic values for each sample business: the house of quality's technical
    characteristics with current, competitor and target values and the 9/3/1 matrix
    (with a deliberate gap or two for the report to flag), owners and costs of the
    actions, the investments under review, and a small conjoint study with responses
    drawn from known part-worths. Uses its own random stream (seeded from the business)
    so the other sections do not shift when this one changes.
    """
    spec = _STAGE4.get(business)
    if spec is None:
        return {}
    own_rng = np.random.default_rng([sum(map(ord, business)), 4])
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    attrs = {a[0]: a for a in b["attributes"]}
    items = {}
    for key, (action, owner, kpi, kpi_target, deadline, cost) in spec["actions"].items():
        _, _, mu, gap, _w, _kind = attrs[key]
        pos = min(mu + max(gap, 0.0) + 0.06, 0.95)
        items[key] = {"action": action, "owner": owner, "kpi": kpi, "kpi_target": kpi_target,
                      "target": round(lo + pos * (hi - lo), 1), "deadline": deadline,
                      "cost": float(cost)}
    # a point of mean overall satisfaction is worth the revenue it moves (finance.csv's
    # slope per index point) over the customer base, at a contribution margin of 20%
    value = spec["customers"] * _REV_SLOPE * b["revenue"] * 100.0 / (ohi - olo) * 0.20
    out: dict[str, Any] = {
        "qfd": {
            "characteristics": {
                k: {"label": lab, "unit": unit, "direction": d, "current": cur,
                    "competitor": comp, "target": tgt}
                for k, (lab, unit, d, cur, comp, tgt) in spec["characteristics"].items()},
            "relationships": spec["relationships"],
            "correlations": [list(c) for c in spec["correlations"]],
        },
        "actions": {"value_per_point": float(round(value, -3)), "horizon_years": 3,
                    "items": items},
        "investments": {"discount_rate": 0.1, "years": 5, "items": spec["investments"]},
        "conjoint": _conjoint_study(spec["conjoint"], list(b["segments"]), own_rng),
    }
    return out


def _conjoint_study(cj: dict, segments: list[str], rng: np.random.Generator) -> dict:
    """A conjoint study with responses drawn from known part-worths (``cj["utility"]``)."""
    import itertools

    levels = cj["attributes"]
    names = list(levels)

    def utility(profile):
        return sum(cj["utility"][a][levels[a].index(profile[a])] for a in names)

    study: dict[str, Any] = {"kind": cj["kind"], "attributes": levels,
                             "labels": cj["labels"], "price": cj.get("price")}
    if cj["kind"] == "ratings":
        # orthogonal main-effects plan: L9 over GF(3), levels collapsed to 2 where needed
        profiles = []
        for i in range(3):
            for j in range(3):
                codes = [i, j, (i + j) % 3, (i + 2 * j) % 3]
                profiles.append({a: levels[a][codes[k] % len(levels[a])]
                                 for k, a in enumerate(names)})
        study["profiles"] = profiles
        ratings, segs = {}, {}
        for r in range(cj["respondents"]):
            rid = f"B{r + 1:02d}"
            seg = segments[r % len(segments)]
            taste = rng.normal(1.0, 0.25)
            vals = [min(10, max(0, round(5 + taste * utility(p) + rng.normal(0, 0.6))))
                    for p in profiles]
            ratings[rid], segs[rid] = [float(v) for v in vals], seg
        study["ratings"], study["segments"] = ratings, segs
    else:
        full = list(itertools.product(*levels.values()))
        tasks = []
        for _ in range(cj["tasks"]):
            pick = rng.choice(len(full), size=3, replace=False)
            alts = [dict(zip(names, full[i], strict=True)) for i in pick]
            u = np.array([utility(a) for a in alts])
            p = np.exp(u - u.max())
            counts = rng.multinomial(cj["respondents"], p / p.sum())
            tasks.append({"alternatives": alts, "chosen": [int(c) for c in counts]})
        study["tasks"] = tasks
    study["products"] = cj["products"]
    return study


# business -> stage IV content. characteristics: key -> (label, unit, direction, current,
# competitor, target); actions: attribute -> (action, owner, KPI, KPI target, deadline, cost);
# conjoint utility: part-worths per level in the order of the levels.
_STAGE4: dict[str, dict[str, Any]] = {
    "steel": {
        "customers": 160,
        "characteristics": {
            "thickness_tol": ("Thickness tolerance achieved", "mm", "minimise", 0.06, 0.05, 0.04),
            "otif": ("On time in full", "%", "maximise", 86, 91, 95),
            "lead_time_days": ("Order-to-dispatch lead time", "days", "minimise", 42, 35, 30),
            "claim_days": ("Claim resolution time", "days", "minimise", 38, 25, 20),
            "doc_errors": ("Certificate and shipping document errors", "%", "minimise", 2.5, 2.0, 1.0),
            "cost_per_t": ("Conversion cost", "EUR/t", "minimise", 610, 590, 600),
            "min_lot": ("Minimum order lot", "t", "minimise", 60, 40, 25),
        },
        "relationships": {
            "product_quality": {"thickness_tol": 9, "doc_errors": 1},
            "delivery_reliability": {"otif": 9, "lead_time_days": 3},
            "lead_time": {"lead_time_days": 9, "otif": 3, "min_lot": 1},
            "documentation": {"doc_errors": 9},
            "claims_handling": {"claim_days": 9, "thickness_tol": 1},
            "technical_support": {"thickness_tol": 3, "claim_days": 1},
            "price_terms": {"cost_per_t": 9, "min_lot": 1},
            "packaging": {"doc_errors": 1},
            "communication": {"claim_days": 3, "lead_time_days": 1},
            "small_lots": {"min_lot": 9, "cost_per_t": 3},
        },
        "correlations": [("thickness_tol", "cost_per_t", "-"), ("otif", "lead_time_days", "+"),
                         ("min_lot", "cost_per_t", "--"), ("lead_time_days", "min_lot", "-"),
                         ("claim_days", "thickness_tol", "+")],
        "actions": {
            "product_quality": ("Automatic gauge control on the finishing stand", "Production director",
                                "Thickness tolerance, mm", 0.04, "2027-03-31", 420_000),
            "delivery_reliability": ("Rolling schedule frozen 3 weeks ahead; export logistics desk",
                                     "Head of logistics", "OTIF, %", 95, "2026-12-31", 180_000),
            "lead_time": ("Stock programme for the 12 most ordered sizes", "Sales director",
                          "Lead time, days", 30, "2027-06-30", 350_000),
            "claims_handling": ("Claims desk with a 20-day resolution standard", "Quality director",
                                "Claim resolution, days", 20, "2026-09-30", 60_000),
            "price_terms": ("Payment terms of 60 days for key accounts", "CFO",
                            "Days sales outstanding", 55, "2026-12-31", 150_000),
            "documentation": ("Certificates generated from the mill system", "Quality director",
                              "Document errors, %", 1.0, "2026-10-31", 45_000),
            "technical_support": ("Application engineers on key-account visits", "Technical director",
                                  "Visits per key account a year", 4, "2026-12-31", 80_000),
            "communication": ("Named sales contact and 24-hour reply standard", "Sales director",
                              "Replies within 24 h, %", 95, "2026-09-30", 30_000),
        },
        "investments": [
            {"name": "Customer portal with order tracking", "kind": "frontline", "cost": 240_000,
             "running_cost": 30_000, "attribute": "delivery_reliability"},
            {"name": "Claims workflow system", "kind": "frontline", "cost": 90_000,
             "running_cost": 12_000, "attribute": "claims_handling"},
            {"name": "ERP upgrade (finance and procurement)", "kind": "back_office",
             "cost": 900_000, "annual_benefit": 210_000, "running_cost": 40_000},
        ],
        "conjoint": {
            "kind": "ratings", "respondents": 18,
            "attributes": {"price_eur_t": [560, 600, 640], "lead_time_weeks": [4, 6, 8],
                           "min_lot_t": [20, 60], "payment_days": [30, 60]},
            "labels": {"price_eur_t": "Price, EUR/t", "lead_time_weeks": "Lead time, weeks",
                       "min_lot_t": "Minimum lot, t", "payment_days": "Payment terms, days"},
            "utility": {"price_eur_t": [1.4, 0.2, -1.6], "lead_time_weeks": [0.9, 0.1, -1.0],
                        "min_lot_t": [0.4, -0.4], "payment_days": [-0.5, 0.5]},
            "products": {
                "Northsteel today": {"price_eur_t": 600, "lead_time_weeks": 6, "min_lot_t": 60,
                                     "payment_days": 30},
                "Baltic Steel": {"price_eur_t": 590, "lead_time_weeks": 5, "min_lot_t": 20,
                                 "payment_days": 30},
                "Northsteel with stock programme": {"price_eur_t": 600, "lead_time_weeks": 4,
                                                    "min_lot_t": 20, "payment_days": 30},
            },
        },
    },
    "delivery": {
        "customers": 60_000,
        "characteristics": {
            "otd": ("Parcels delivered on the promised day", "%", "maximise", 93.5, 95.0, 97.0),
            "scan_coverage": ("Parcels with every scan event", "%", "maximise", 88, 84, 95),
            "damage_ppm": ("Damaged parcels", "per million", "minimise", 900, 700, 500),
            "booking_min": ("Time to book a pickup online", "min", "minimise", 6, 4, 3),
            "asa_s": ("Call centre average speed of answer", "s", "minimise", 95, 40, 30),
            "fcr": ("First-contact resolution", "%", "maximise", 62, 70, 78),
            "courier_training_h": ("Courier service training", "h/yr", "maximise", 4, 8, 12),
            "cost_per_parcel": ("Cost per parcel", "EUR", "minimise", 4.9, 4.6, 4.7),
            "claim_days": ("Claim settlement time", "days", "minimise", 21, 14, 10),
        },
        "relationships": {
            "on_time": {"otd": 9, "scan_coverage": 1},
            "tracking": {"scan_coverage": 9},
            "courier_courtesy": {"courier_training_h": 9},
            "pickup": {"booking_min": 9, "otd": 1},
            "price": {"cost_per_parcel": 9},
            "damage_free": {"damage_ppm": 9},
            "call_centre": {"asa_s": 9, "fcr": 9},
            "online_booking": {"booking_min": 3},
            "delivery_slots": {"otd": 3, "scan_coverage": 1},
            "returns": {"booking_min": 3, "claim_days": 1},
            "notifications": {"scan_coverage": 3},
            "claims_process": {"claim_days": 9, "fcr": 3},
        },
        "correlations": [("otd", "cost_per_parcel", "-"), ("scan_coverage", "otd", "+"),
                         ("asa_s", "fcr", "-"), ("courier_training_h", "cost_per_parcel", "-"),
                         ("scan_coverage", "asa_s", "++")],
        "actions": {
            "on_time": ("Dynamic route planning in all depots", "COO", "On-time delivery, %",
                        97, "2027-03-31", 1_200_000),
            "call_centre": ("Callback queue and 25 more agents at peak", "Head of customer service",
                            "Average speed of answer, s", 30, "2026-10-31", 650_000),
            "price": ("Volume tiers for business senders", "Commercial director",
                      "Business churn, %", 8, "2026-09-30", 400_000),
            "pickup": ("Pickup booking in two clicks, same-day slots", "Head of digital",
                       "Booking time, min", 3, "2026-12-31", 220_000),
            "claims_process": ("Online claims with 10-day settlement", "Head of claims",
                               "Settlement time, days", 10, "2027-01-31", 180_000),
            "damage_free": ("Padding standards and sorter audit", "COO", "Damaged parcels, ppm",
                            500, "2026-11-30", 300_000),
            "tracking": ("Live map tracking for every parcel", "Head of digital",
                         "Parcels with every scan event, %", 95, "2026-12-31", 350_000),
            "courier_courtesy": ("Service training for couriers", "HR director",
                                 "Training hours per courier", 12, "2026-12-31", 150_000),
            "delivery_slots": ("Two-hour delivery slots in cities", "COO", "Deliveries in slot, %",
                               90, "2027-06-30", 500_000),
            "online_booking": ("New booking flow on web and app", "Head of digital",
                               "Bookings completed online, %", 80, "2026-12-31", 120_000),
        },
        "investments": [
            {"name": "Call-centre callback and routing", "kind": "frontline", "cost": 350_000,
             "running_cost": 60_000, "attribute": "call_centre"},
            {"name": "Live tracking app", "kind": "frontline", "cost": 500_000,
             "running_cost": 80_000, "attribute": "on_time"},
            {"name": "Warehouse management system", "kind": "back_office", "cost": 2_400_000,
             "annual_benefit": 520_000, "running_cost": 120_000},
        ],
        "conjoint": {
            "kind": "choice", "respondents": 200, "tasks": 12, "price": "price_eur",
            "attributes": {"price_eur": [6, 8, 10], "speed": ["next day", "2 days", "3 days"],
                           "tracking": ["basic", "live map"], "pickup": ["drop-off", "home pickup"]},
            "labels": {"price_eur": "Price per parcel, EUR", "speed": "Delivery time",
                       "tracking": "Tracking", "pickup": "Pickup"},
            "utility": {"price_eur": [0.5, 0.0, -0.5], "speed": [0.7, 0.1, -0.8],
                        "tracking": [-0.25, 0.25], "pickup": [-0.3, 0.3]},
            "products": {
                "SwiftPost today": {"price_eur": 8, "speed": "next day", "tracking": "basic",
                                    "pickup": "drop-off"},
                "RapidCargo": {"price_eur": 7, "speed": "2 days", "tracking": "live map",
                               "pickup": "home pickup"},
                "SwiftPost with live map": {"price_eur": 8, "speed": "next day",
                                            "tracking": "live map", "pickup": "drop-off"},
            },
        },
    },
    "insurance": {
        "customers": 250_000,
        "characteristics": {
            "settle_days": ("Median days to settle a claim", "days", "minimise", 24, 16, 12),
            "overturned": ("Claim decisions overturned on appeal", "%", "minimise", 6.0, 4.5, 3.0),
            "asa_s": ("Average speed of answer", "s", "minimise", 180, 60, 45),
            "agent_training_h": ("Agent product training", "h/yr", "maximise", 12, 20, 30),
            "readability": ("Policy wording readability (Flesch)", "score", "maximise", 38, 45, 55),
            "expense_ratio": ("Expense ratio", "%", "minimise", 27, 25, 25),
            "app_completion": ("Self-service tasks completed in the app", "%", "maximise", 55, 48, 70),
        },
        "relationships": {
            "claims_speed": {"settle_days": 9, "app_completion": 1},
            "claims_fairness": {"overturned": 9, "agent_training_h": 3},
            "phone_waiting": {"asa_s": 9, "app_completion": 3},
            "agent_knowledge": {"agent_training_h": 9},
            "policy_clarity": {"readability": 9},
            "premium": {"expense_ratio": 9},
            "online_service": {"app_completion": 9},
            "renewal": {"readability": 3, "app_completion": 3},
            "advice": {"agent_training_h": 3},
        },
        "correlations": [("settle_days", "overturned", "-"), ("asa_s", "expense_ratio", "-"),
                         ("app_completion", "asa_s", "++"), ("agent_training_h", "expense_ratio", "-")],
        "actions": {
            "claims_speed": ("Fast-track for claims under GBP 2,000", "Claims director",
                             "Median settlement, days", 12, "2026-12-31", 450_000),
            "claims_fairness": ("Second-look review of declined claims", "Claims director",
                                "Overturned on appeal, %", 3.0, "2026-09-30", 150_000),
            "phone_waiting": ("Callback option and 15 more agents at peak", "Head of contact centre",
                              "Average speed of answer, s", 45, "2026-10-31", 520_000),
            "premium": ("Multi-policy discount", "Pricing director", "Retention, %", 84,
                        "2027-01-31", 900_000),
            "agent_knowledge": ("Product academy for agents", "HR director",
                                "Training hours per agent", 30, "2026-12-31", 120_000),
            "policy_clarity": ("Plain-English policy wording", "Head of products",
                               "Readability score (Flesch)", 55, "2027-03-31", 90_000),
            "online_service": ("Claims and renewals in the app", "Head of digital",
                               "Tasks completed in the app, %", 70, "2027-03-31", 400_000),
            "advice": ("Advice scripts and needs check at renewal", "Head of contact centre",
                       "Needs checks done, %", 80, "2026-12-31", 60_000),
        },
        "investments": [
            {"name": "Claims fast-track platform", "kind": "frontline", "cost": 600_000,
             "running_cost": 70_000, "attribute": "claims_speed"},
            {"name": "Contact-centre callback system", "kind": "frontline", "cost": 250_000,
             "running_cost": 40_000, "attribute": "phone_waiting"},
            {"name": "Policy administration system", "kind": "back_office", "cost": 3_000_000,
             "annual_benefit": 700_000, "running_cost": 150_000},
        ],
        "conjoint": {
            "kind": "choice", "respondents": 200, "tasks": 12, "price": "premium_gbp",
            "attributes": {"premium_gbp": [380, 420, 460],
                           "settlement": ["5 days", "10 days", "20 days"],
                           "excess_gbp": [100, 250], "channel": ["phone only", "app and phone"]},
            "labels": {"premium_gbp": "Annual premium, GBP", "settlement": "Claim settled within",
                       "excess_gbp": "Excess, GBP", "channel": "Service channel"},
            "utility": {"premium_gbp": [0.8, 0.0, -0.8], "settlement": [0.6, 0.1, -0.7],
                        "excess_gbp": [0.35, -0.35], "channel": [-0.2, 0.2]},
            "products": {
                "Harbour Mutual today": {"premium_gbp": 420, "settlement": "20 days",
                                         "excess_gbp": 250, "channel": "app and phone"},
                "Anchor General": {"premium_gbp": 430, "settlement": "10 days",
                                   "excess_gbp": 250, "channel": "phone only"},
                "Harbour Mutual fast-track": {"premium_gbp": 420, "settlement": "5 days",
                                              "excess_gbp": 250, "channel": "app and phone"},
            },
        },
    },
    "cars": {
        "customers": 40_000,
        "characteristics": {
            "defects_1000": ("Defects per 1,000 vehicles at 12 months", "per 1,000", "minimise",
                             95, 80, 70),
            "fuel_l100": ("Fuel consumption (WLTP)", "l/100 km", "minimise", 5.8, 5.4, 5.2),
            "nvh_db": ("Cabin noise at 100 km/h", "dB(A)", "minimise", 68, 67, 66),
            "service_wait_days": ("Wait for a service appointment", "days", "minimise", 9, 5, 4),
            "warranty_years": ("Warranty length", "years", "maximise", 3, 5, 5),
            "unit_cost": ("Unit manufacturing cost", "kEUR", "minimise", 17.5, 17.0, 17.2),
            "ncap_stars": ("Euro NCAP rating", "stars", "maximise", 5, 5, 5),
            "boot_s": ("Infotainment start-up time", "s", "minimise", 12, 6, 5),
        },
        "relationships": {
            "reliability": {"defects_1000": 9, "warranty_years": 3},
            "design": {"unit_cost": 1},
            "fuel_economy": {"fuel_l100": 9, "unit_cost": 3},
            "comfort": {"nvh_db": 9},
            "dealer_service": {"service_wait_days": 9},
            "warranty": {"warranty_years": 9, "defects_1000": 3},
            "price": {"unit_cost": 9},
            "safety": {"ncap_stars": 9},
            "infotainment": {"boot_s": 9},
            "resale_value": {"defects_1000": 3, "warranty_years": 3},
            "test_drive": {"service_wait_days": 1},
        },
        "correlations": [("fuel_l100", "unit_cost", "-"), ("nvh_db", "unit_cost", "-"),
                         ("defects_1000", "warranty_years", "+"), ("ncap_stars", "fuel_l100", "-")],
        "actions": {
            "reliability": ("Supplier quality programme for electronics", "Quality director",
                            "Defects per 1,000", 70, "2027-06-30", 2_500_000),
            "dealer_service": ("Online service booking and loan cars", "After-sales director",
                               "Wait for service, days", 4, "2026-12-31", 900_000),
            "price": ("Simplified trims, lower entry price", "Product director",
                      "Entry price, kEUR", 24, "2027-03-31", 1_800_000),
            "fuel_economy": ("Mild-hybrid option across the range", "Engineering director",
                             "WLTP l/100 km", 5.2, "2027-09-30", 6_000_000),
            "warranty": ("Five-year warranty", "Sales director", "Warranty, years", 5,
                         "2026-10-31", 1_200_000),
            "design": ("Design refresh at the mid-cycle update", "Design director",
                       "Design clinic score", 8, "2027-09-30", 4_000_000),
            "comfort": ("Acoustic glass and revised dampers", "Engineering director",
                        "Cabin noise, dB(A)", 66, "2027-06-30", 1_500_000),
            "safety": ("Keep the five-star rating: driver assistance as standard", "Engineering director",
                       "Euro NCAP stars", 5, "2027-01-31", 800_000),
            "infotainment": ("Faster infotainment software, phone mirroring", "Head of electronics",
                             "Start-up time, s", 5, "2026-12-31", 600_000),
        },
        "investments": [
            {"name": "Dealer service booking platform", "kind": "frontline", "cost": 700_000,
             "running_cost": 90_000, "attribute": "dealer_service"},
            {"name": "Connected-car diagnostics", "kind": "frontline", "cost": 1_500_000,
             "running_cost": 200_000, "attribute": "reliability"},
            {"name": "Plant MES replacement", "kind": "back_office", "cost": 6_000_000,
             "annual_benefit": 1_300_000, "running_cost": 300_000},
        ],
        "conjoint": {
            "kind": "choice", "respondents": 200, "tasks": 12, "price": "price_keur",
            "attributes": {"price_keur": [24, 27, 30], "fuel_l100": [4.5, 5.5, 6.5],
                           "warranty_years": [3, 5, 7], "infotainment": ["basic", "connected"]},
            "labels": {"price_keur": "Price, kEUR", "fuel_l100": "Fuel, l/100 km",
                       "warranty_years": "Warranty, years", "infotainment": "Infotainment"},
            "utility": {"price_keur": [0.9, 0.0, -0.9], "fuel_l100": [0.5, 0.0, -0.5],
                        "warranty_years": [-0.4, 0.1, 0.3], "infotainment": [-0.2, 0.2]},
            "products": {
                "Volta today": {"price_keur": 27, "fuel_l100": 5.5, "warranty_years": 3,
                                "infotainment": "basic"},
                "Kessler": {"price_keur": 27, "fuel_l100": 5.0, "warranty_years": 5,
                            "infotainment": "connected"},
                "Volta 5-year warranty": {"price_keur": 27, "fuel_l100": 5.5,
                                          "warranty_years": 5, "infotainment": "basic"},
            },
        },
    },
    "software": {
        "customers": 1_200,
        "characteristics": {
            "licence_hours": ("Licence delivery time", "h", "minimise", 6, 8, 4),
            "first_response_h": ("Support first response", "h", "minimise", 10, 4, 4),
            "certified_eng": ("Vendor-certified engineers", "people", "maximise", 14, 22, 24),
            "quote_accuracy": ("Licensing quotes right first time", "%", "maximise", 82, 86, 95),
            "invoice_errors": ("Invoices corrected", "%", "minimise", 3.0, 3.0, 1.5),
            "gross_margin": ("Gross margin", "%", "maximise", 11, 10, 11),
            "training_days": ("Training days offered", "days/yr", "maximise", 20, 35, 40),
        },
        "relationships": {
            "licence_advice": {"quote_accuracy": 9, "certified_eng": 3},
            "delivery_speed": {"licence_hours": 9},
            "price": {"gross_margin": 9},
            "tech_support": {"first_response_h": 9, "certified_eng": 9},
            "training": {"training_days": 9, "certified_eng": 1},
            "account_manager": {"quote_accuracy": 3},
            "invoicing": {"invoice_errors": 9},
            "product_range": {"gross_margin": 1},
        },
        "correlations": [("certified_eng", "gross_margin", "-"), ("first_response_h", "certified_eng", "-"),
                         ("quote_accuracy", "invoice_errors", "+"), ("training_days", "certified_eng", "+")],
        "actions": {
            "tech_support": ("Second-line support team and 4-hour SLA", "Head of services",
                             "First response, h", 4, "2026-12-31", 260_000),
            "licence_advice": ("Licensing desk with vendor certification", "Sales director",
                               "Quotes right first time, %", 95, "2026-09-30", 90_000),
            "price": ("Volume rebates for partners", "CFO", "Partner churn, %", 6,
                      "2027-01-31", 180_000),
            "account_manager": ("Quarterly business reviews for top 100 clients", "Sales director",
                                "Reviews held, %", 90, "2026-12-31", 60_000),
            "delivery_speed": ("Automatic licence fulfilment from the vendor portals", "COO",
                               "Licence delivery, h", 4, "2026-10-31", 70_000),
            "training": ("Training days bundled with enterprise agreements", "Head of services",
                         "Training days offered", 40, "2027-01-31", 50_000),
            "invoicing": ("Invoice checks before sending", "CFO", "Invoices corrected, %", 1.5,
                          "2026-09-30", 25_000),
        },
        "investments": [
            {"name": "Support ticketing and knowledge base", "kind": "frontline", "cost": 120_000,
             "running_cost": 25_000, "attribute": "tech_support"},
            {"name": "Self-service licence portal", "kind": "frontline", "cost": 80_000,
             "running_cost": 15_000, "attribute": "licence_advice"},
            {"name": "Finance system migration", "kind": "back_office", "cost": 400_000,
             "annual_benefit": 90_000, "running_cost": 20_000},
        ],
        "conjoint": {
            "kind": "ratings", "respondents": 24,
            "attributes": {"discount_pct": [0, 5, 10], "support_sla_h": [4, 8, 24],
                           "delivery": ["same day", "next day"], "training": ["none", "included"]},
            "labels": {"discount_pct": "Discount, %", "support_sla_h": "Support response, h",
                       "delivery": "Licence delivery", "training": "Training"},
            "utility": {"discount_pct": [-1.0, 0.1, 0.9], "support_sla_h": [1.1, 0.2, -1.3],
                        "delivery": [0.3, -0.3], "training": [-0.35, 0.35]},
            "products": {
                "Cobalt today": {"discount_pct": 5, "support_sla_h": 8, "delivery": "same day",
                                 "training": "none"},
                "Nimbus": {"discount_pct": 8, "support_sla_h": 8, "delivery": "next day",
                           "training": "included"},
                "Cobalt 4-hour support": {"discount_pct": 5, "support_sla_h": 4,
                                          "delivery": "same day", "training": "none"},
            },
        },
    },
}


def _profile(b, business, name, slug, survey_file, seed, tables, rng) -> dict:
    fmt = b["format"]
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    survey: dict[str, Any] = {"file": survey_file}
    if not fmt.get("xlsx"):
        survey["read"] = {"encoding": fmt["encoding"].replace("utf-8-sig", "utf-8"),
                          "sep": fmt["sep"], "decimal": fmt["decimal"]}
        if fmt["encoding"] == "utf-8-sig":
            del survey["read"]["encoding"]  # detected from the BOM
    survey.update({
        "id": "respondent_id", "customer_id": "customer_id", "weight": "weight",
        "wave": "wave", "waves": list(WAVES), "segment": "segment",
        "scale": {"min": lo, "max": hi},
        "overall": "q_overall",
    })
    if (olo, ohi) != (lo, hi):
        survey["overall_scale"] = {"min": olo, "max": ohi}
    survey["satisfaction_items"] = ["q_overall", "q_expectations", "q_ideal"]
    survey["item_scales"] = {"q_expectations": {"min": olo, "max": ohi},
                             "q_ideal": {"min": olo, "max": ohi}}
    survey["loyalty"] = {"recommend": "q_recommend", "repurchase": "q_repurchase"}
    survey["attributes"] = {
        key: {"label": label, "own": f"q_{key}", "competitor": f"c_{key}"}
        for key, label, *_ in b["attributes"]
    }
    survey["missing_codes"] = ["Don't know", "Затрудняюсь ответить"]
    profile: dict[str, Any] = {
        "name": name or b["name"],
    }
    if slug:
        profile["slug"] = slug
    profile.update({
        "currency": b["currency"],
        "language": b["language"],
        "industry": b["industry"],
        "competitor": b["competitor"],
        "period": "2025-2026",
        "seed": int(seed),
        "survey": survey,
        "reporting": {"min_base": 30, "confidence": 0.95},
    })
    if "calls" in tables:
        profile["service"] = {"interval_min": 30, "target_s": 20, "target_level": 0.8,
                              "max_abandon_rate": 0.05, "agent_cost_per_hour": 32.0}
    if "claims" in tables:
        profile.setdefault("service", {})["claim_target_days"] = 30
    if "quality" in tables and b["quality"]["kind"] == "measure":
        q = b["quality"]
        profile["quality"] = {"characteristics": {q["characteristic"]: {
            "label": q["characteristic"].replace("_", " "), "unit": q["unit"],
            "lsl": q["lsl"], "usl": q["usl"], "target": q["mean"]}}, "trial_subgroups": 25}
    elif "quality" in tables:
        profile["quality"] = {"trial_subgroups": 25}
    if "deals" in tables:
        profile["crm"] = {"stages": ["Lead", "Qualified", "Proposal", "Negotiation", "Won"],
                          "payment_terms_days": 30}
    profile.update(stage1_sections(business, b, rng))
    profile.update(stage4_sections(business, b, rng))
    return profile


def make_samples(root: str | Path = "data/companies") -> dict[str, GroundTruth]:
    """(Re)write the committed sample companies under ``root``; byte-identical per seed."""
    root = Path(root)
    out = {}
    for slug, (business, seed) in SAMPLES.items():
        out[slug] = make_company(root / slug, seed=seed, business=business, overwrite=True)
    return out


if __name__ == "__main__":  # pragma: no cover - `make data`
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "data/companies"
    for slug in make_samples(target):
        print(f"wrote {target}/{slug}")
