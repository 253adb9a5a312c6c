"""The shapes of the adversarial synthetic companies: data unlike the samples'.

A scenario under ``scenarios/shapes/`` carries a ``shape`` mapping that changes what
:func:`~orient.synth.make_company` writes, the way real customer data sets differ from
the samples (an airline survey with a binary overall item, items 0-5 where 0 means "not
applicable" and no competitor; a B2B survey with a 1-5 recommend item; a CRM export or a
complaints register without a survey). The keys, all optional:

``competitor`` (bool, default true)
    false: no competitor ratings (no ``c_`` columns) and no competitor name.
``not_applicable`` (number)
    a code written for about 8% of the attribute answers and declared in
    ``attribute_missing_codes`` (0 = "not applicable" in a 0-5 export).
``recommend_scale`` ([min, max])
    the recommend item rescaled to this scale and declared as such (then no NPS).
``loyalty`` (bool, default true)
    false: no recommend and no repurchase item.
``satisfaction_items`` (bool, default true)
    false: only the overall item (no expectations and ideal items).
``segment_variables`` (name -> list of values)
    further segment columns, after the primary one, drawn at random.
``survey`` (bool, default true)
    false: no survey file (a CRM-only or complaints-only folder).
``refusal_reasons`` (bool, default true)
    false: the deals' refusal reasons are blank (the export has none).
``claims_resolution`` (bool, default true)
    false: the claims register has no resolution date and no settled amount.

The shape draws from its own random stream, so the rest of a company is drawn as
without it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["SHAPE_KEYS", "check_shape", "shape_profile", "shape_survey", "shape_tables"]

SHAPE_KEYS = (
    "competitor",
    "not_applicable",
    "recommend_scale",
    "loyalty",
    "satisfaction_items",
    "segment_variables",
    "survey",
    "refusal_reasons",
    "claims_resolution",
)


def check_shape(shape: Any, where: str) -> dict:
    """The shape mapping of a scenario, its keys checked (``{}`` without one)."""
    if shape is None:
        return {}
    if not isinstance(shape, dict):
        raise ValueError(f"{where}: shape must be a mapping")
    unknown = [k for k in shape if k not in SHAPE_KEYS]
    if unknown:
        raise ValueError(
            f"{where}: shape has unknown keys {', '.join(map(str, unknown))}; "
            f"expected {', '.join(SHAPE_KEYS)}"
        )
    return dict(shape)


def _rng(b: dict, salt: int) -> np.random.Generator:
    return np.random.default_rng([sum(map(ord, b["name"])), salt])


def shape_survey(df: pd.DataFrame, b: dict, sim: dict) -> pd.DataFrame:
    """The survey frame in the scenario's shape."""
    shape = b.get("shape") or {}
    rng = _rng(b, 1)
    n = len(df)
    out = df.copy()
    if not shape.get("competitor", True):
        out = out.drop(columns=[c for c in out.columns if c.startswith("c_")])
    code = shape.get("not_applicable")
    if code is not None:
        for key, *_rest in b["attributes"]:
            col = f"q_{key}"
            na = rng.random(n) < 0.08
            out[col] = out[col].astype(object).where(~na, code)
    if "recommend_scale" in shape:
        lo, hi = shape["recommend_scale"]
        rec = sim["recommend"].astype(float)  # 0..10
        out["q_recommend"] = np.clip(np.rint(lo + rec / 10.0 * (hi - lo)), lo, hi).astype(int)
    if not shape.get("loyalty", True):
        out = out.drop(columns=["q_recommend", "q_repurchase"])
    if not shape.get("satisfaction_items", True):
        out = out.drop(columns=["q_expectations", "q_ideal"])
    extra = shape.get("segment_variables") or {}
    position = list(out.columns).index("segment") + 1
    for i, (name, values) in enumerate(extra.items()):
        out.insert(
            position + i, name, np.array(values, dtype=object)[rng.integers(0, len(values), n)]
        )
    return out


def shape_profile(profile: dict, b: dict) -> dict:
    """company.yaml in the scenario's shape."""
    shape = b.get("shape") or {}
    if not shape.get("survey", True):
        profile.pop("survey", None)
        profile.pop("reporting", None)
        return profile
    survey = profile["survey"]
    if not shape.get("competitor", True):
        profile.pop("competitor", None)
        for spec in survey["attributes"].values():
            spec.pop("competitor", None)
    code = shape.get("not_applicable")
    if code is not None:
        survey["attribute_missing_codes"] = [code]
    if "recommend_scale" in shape:
        lo, hi = shape["recommend_scale"]
        survey["loyalty"]["recommend_scale"] = {"min": lo, "max": hi}
    if not shape.get("loyalty", True):
        survey.pop("loyalty", None)
    if not shape.get("satisfaction_items", True):
        survey["satisfaction_items"] = ["q_overall"]
        survey.pop("item_scales", None)
    extra = shape.get("segment_variables") or {}
    if extra:
        survey["segment"] = ["segment", *extra]
    return profile


def shape_tables(written: dict[str, pd.DataFrame], b: dict) -> dict[str, pd.DataFrame]:
    """The operational tables in the scenario's shape."""
    shape = b.get("shape") or {}
    out = dict(written)
    if "deals" in out and not shape.get("refusal_reasons", True):
        deals = out["deals"].copy()
        deals["refusal_reason"] = ""
        out["deals"] = deals
    if "claims" in out and not shape.get("claims_resolution", True):
        out["claims"] = out["claims"].drop(columns=["resolved", "amount_settled"])
    return out
