"""The respondent model of the synthetic companies, and the ground truth it implies.

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

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from orient.stats import to_100

__all__ = ["RHO", "WAVES", "GroundTruth", "simulate", "truth"]

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


def simulate(b: dict, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draw n respondents from a scenario's model; returns raw arrays."""
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
    return {
        "seg": seg,
        "wave": wave,
        "own": own,
        "comp": comp,
        "overall": overall,
        "recommend": rec,
        "expect": expect,
        "ideal": ideal,
        "repurchase": rep,
        "latent": latent,
    }


def _nps(rec: np.ndarray) -> float:
    return float(100.0 * (np.mean(rec >= 9) - np.mean(rec <= 6)))


def truth(b: dict, business: str, n: int, seed: int) -> GroundTruth:
    """The ground truth of a scenario: population values on a 400,000-respondent draw."""
    pop = simulate(b, 400_000, np.random.default_rng([seed, 99]))
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    rows = []
    for j, (key, label, _mu, _gap, w, kind) in enumerate(b["attributes"]):
        x = (pop["own"][:, j] - (lo + hi) / 2) / ((hi - lo) / 2)
        om, cm = pop["own"][:, j].mean(), pop["comp"][:, j].mean()
        # the standardised effect a linear driver model can see: w cov(g(x), x) / sd(x)
        lin = w * np.cov(_g(x, kind), x)[0, 1] / x.std()
        rows.append(
            {
                "key": key,
                "label": label,
                "weight": w,
                "factor_type": kind,
                "true_importance": lin,
                "own_mean": om,
                "competitor_mean": cm,
                "gap": cm - om,
                "gap_100": (cm - om) / (hi - lo) * 100,
            }
        )
    attributes = pd.DataFrame(rows).set_index("key")
    idx = to_100(pop["overall"], olo, ohi)
    seg_names = list(b["segments"])
    seg_rows = []
    for s, name in enumerate(seg_names):
        m = pop["seg"] == s
        seg_rows.append(
            {
                "segment": name,
                "share": b["segments"][name],
                "effect": b["segment_effect"][name],
                "mean_overall": pop["overall"][m].mean(),
                "index": idx[m].mean(),
                "nps": _nps(pop["recommend"][m]),
            }
        )
    segments = pd.DataFrame(seg_rows).set_index("segment")
    wave_rows = []
    for wv, name in enumerate(WAVES):
        m = pop["wave"] == wv
        wave_rows.append(
            {
                "wave": name,
                "mean_overall": pop["overall"][m].mean(),
                "index": idx[m].mean(),
                "nps": _nps(pop["recommend"][m]),
            }
        )
    waves = pd.DataFrame(wave_rows).set_index("wave")
    change = (waves.iloc[-1] - waves.iloc[0]).to_dict()
    return GroundTruth(
        business=business,
        attributes=attributes,
        segments=segments,
        waves=waves,
        wave_change={k: float(v) for k, v in change.items()},
        chain={
            "retention_pp_per_point": 100 * _RET_SLOPE,
            "revenue_per_point": _REV_SLOPE * b["revenue"],
        },
        scale=tuple(b["scale"]),
        overall_scale=tuple(b["overall_scale"]),
        n_respondents=n,
    )


_RET_BASE, _RET_SLOPE = 0.72, 0.004  # retention probability at index 50, per index point
_REV_SLOPE = 0.006  # revenue per index point, as a share of the business's typical revenue
