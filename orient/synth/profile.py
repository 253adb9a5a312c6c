"""The company.yaml of a synthetic company, from its scenario.

:func:`profile` writes the survey codebook for the files the generator writes, the
reporting and operations settings, and the stage I (:func:`stage1_sections`) and
stage IV (:func:`stage4_sections`) sections.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from orient.synth.model import _REV_SLOPE, WAVES

__all__ = ["company_profile", "stage1_sections", "stage4_sections"]

#: the fields of a house-of-quality characteristic, in the order company.yaml lists them
_CHARACTERISTIC = ("label", "unit", "direction", "current", "competitor", "target")


def stage1_sections(business: str, b: dict, rng: np.random.Generator) -> dict:
    """company.yaml sections for stage I (goals, segment economics) of a sample business.

    Fixed, realistic values from the scenario ``b`` (``business`` and ``rng`` are not
    used; ``rng`` is not drawn from, so the rest of the company is unchanged): a balanced
    scorecard of goals across the four perspectives, each with an owner, and each
    segment's expected market growth. Size, revenue share and margin per segment come
    from finance.csv, so they are not repeated here. ``{}`` when the scenario has no goals.
    """
    goals = b.get("goals")
    if goals is None:
        return {}
    growth = b["growth"]
    return {
        "goals": {k: dict(v) for k, v in goals.items()},
        "segments": {seg: {"growth": growth[seg]} for seg in b["segments"]},
    }


def stage4_sections(business: str, b: dict, rng: np.random.Generator) -> dict:
    """company.yaml sections for stage IV (qfd, actions, conjoint, investments).

    Realistic values from the scenario ``b`` (its ``stage4`` part; ``{}`` without one):
    the house of quality's technical
    characteristics with current, competitor and target values and the 9/3/1 matrix
    (with a deliberate gap or two for the report to flag), owners and costs of the
    actions, the investments under review, and a small conjoint study with responses
    drawn from known part-worths. Uses its own random stream (seeded from the business)
    so the other sections do not shift when this one changes.
    """
    spec = b.get("stage4")
    if spec is None:
        return {}
    own_rng = np.random.default_rng([sum(map(ord, business)), 4])
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    attrs = {a[0]: a for a in b["attributes"]}
    items = {}
    for key, a in spec["actions"].items():
        _, _, mu, gap, _w, _kind = attrs[key]
        pos = min(mu + max(gap, 0.0) + 0.06, 0.95)
        items[key] = {
            "action": a["action"],
            "owner": a["owner"],
            "kpi": a["kpi"],
            "kpi_target": a["kpi_target"],
            "target": round(lo + pos * (hi - lo), 1),
            "deadline": a["deadline"],
            "cost": float(a["cost"]),
        }
    # a point of mean overall satisfaction is worth the revenue it moves (finance.csv's
    # slope per index point) over the customer base, at a contribution margin of 20%
    value = spec["customers"] * _REV_SLOPE * b["revenue"] * 100.0 / (ohi - olo) * 0.20
    out: dict[str, Any] = {
        "qfd": {
            "characteristics": {
                k: {f: c[f] for f in _CHARACTERISTIC} for k, c in spec["characteristics"].items()
            },
            "relationships": spec["relationships"],
            "correlations": [list(c) for c in spec["correlations"]],
        },
        "actions": {"value_per_point": float(round(value, -3)), "horizon_years": 3, "items": items},
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

    study: dict[str, Any] = {
        "kind": cj["kind"],
        "attributes": levels,
        "labels": cj["labels"],
        "price": cj.get("price"),
    }
    if cj["kind"] == "ratings":
        # orthogonal main-effects plan: L9 over GF(3), levels collapsed to 2 where needed
        profiles = []
        for i in range(3):
            for j in range(3):
                codes = [i, j, (i + j) % 3, (i + 2 * j) % 3]
                profiles.append(
                    {a: levels[a][codes[k] % len(levels[a])] for k, a in enumerate(names)}
                )
        study["profiles"] = profiles
        ratings, segs = {}, {}
        for r in range(cj["respondents"]):
            rid = f"B{r + 1:02d}"
            seg = segments[r % len(segments)]
            taste = rng.normal(1.0, 0.25)
            vals = [
                min(10, max(0, round(5 + taste * utility(p) + rng.normal(0, 0.6))))
                for p in profiles
            ]
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


def company_profile(b, business, name, slug, survey_file, seed, tables, rng) -> dict:
    """The content of company.yaml for the files :func:`~orient.synth.make_company` wrote."""
    fmt = b["format"]
    lo, hi = b["scale"]
    olo, ohi = b["overall_scale"]
    survey: dict[str, Any] = {"file": survey_file}
    if not fmt.get("xlsx"):
        survey["read"] = {
            "encoding": fmt["encoding"].replace("utf-8-sig", "utf-8"),
            "sep": fmt["sep"],
            "decimal": fmt["decimal"],
        }
        if fmt["encoding"] == "utf-8-sig":
            del survey["read"]["encoding"]  # detected from the BOM
    survey.update(
        {
            "id": "respondent_id",
            "customer_id": "customer_id",
            "weight": "weight",
            "wave": "wave",
            "waves": list(WAVES),
            "segment": "segment",
            "scale": {"min": lo, "max": hi},
            "overall": "q_overall",
        }
    )
    if (olo, ohi) != (lo, hi):
        survey["overall_scale"] = {"min": olo, "max": ohi}
    survey["satisfaction_items"] = ["q_overall", "q_expectations", "q_ideal"]
    survey["item_scales"] = {
        "q_expectations": {"min": olo, "max": ohi},
        "q_ideal": {"min": olo, "max": ohi},
    }
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
    profile.update(
        {
            "currency": b["currency"],
            "language": b["language"],
            "industry": b["industry"],
            "competitor": b["competitor"],
            "period": "2025-2026",
            "seed": int(seed),
            "survey": survey,
            "reporting": {"min_base": 30, "confidence": 0.95},
        }
    )
    if "calls" in tables:
        profile["service"] = {
            "interval_min": 30,
            "target_s": 20,
            "target_level": 0.8,
            "max_abandon_rate": 0.05,
            "agent_cost_per_hour": 32.0,
        }
    if "claims" in tables:
        profile.setdefault("service", {})["claim_target_days"] = 30
    if "quality" in tables and b["quality"]["kind"] == "measure":
        q = b["quality"]
        profile["quality"] = {
            "characteristics": {
                q["characteristic"]: {
                    "label": q["characteristic"].replace("_", " "),
                    "unit": q["unit"],
                    "lsl": q["lsl"],
                    "usl": q["usl"],
                    "target": q["mean"],
                }
            },
            "trial_subgroups": 25,
        }
    elif "quality" in tables:
        profile["quality"] = {"trial_subgroups": 25}
    if "deals" in tables:
        profile["crm"] = {
            "stages": ["Lead", "Qualified", "Proposal", "Negotiation", "Won"],
            "payment_terms_days": 30,
        }
        profile["crm"].update((b.get("crm") or {}).get("settings", {}))
    profile.update(stage1_sections(business, b, rng))
    profile.update(stage4_sections(business, b, rng))
    return profile
