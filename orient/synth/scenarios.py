"""The per-business scenarios: one YAML data file per business under ``scenarios/``.

A scenario holds everything fixed about a fictional business: its name, survey format,
segments, attributes with their true weights and factor types, the operational tables
it keeps, its stage I goals and its stage IV content (house of quality, actions,
investments, conjoint study). The files are package data, read with
:func:`yaml.safe_load` through :mod:`importlib.resources`, so they work from a wheel.

:func:`load_scenario` returns a scenario in the shape the generator reads (the
"business profile" ``b``): attributes as ``(key, label, own, gap, weight, factor)``
tuples, ``segments`` as name -> share, ``segment_effect`` and ``growth`` as name ->
value, the stage IV content under ``stage4``.
"""

from __future__ import annotations

import copy
import functools
from importlib import resources
from typing import Any

import yaml

__all__ = ["BUSINESS_NAMES", "SHAPE_NAMES", "load_scenario", "scenario_text"]

#: the businesses that have a scenario file, in the order they are listed
BUSINESS_NAMES: tuple[str, ...] = ("steel", "delivery", "insurance", "cars", "software")
#: the adversarial businesses (``scenarios/shapes/``): each has a ``shape`` that makes its
#: data unlike the samples' (no competitor, a binary overall item, no survey, ...)
SHAPE_NAMES: tuple[str, ...] = (
    "airline",
    "equipment",
    "clinic",
    "utility",
    "crm_only",
    "complaints_only",
)

_REQUIRED = (
    "name",
    "industry",
    "competitor",
    "currency",
    "language",
    "survey",
    "segments",
    "attributes",
    "tables",
    "revenue",
)
_OPTIONAL = (
    "claim_categories",
    "complaint_register",
    "quality",
    "calls_per_day",
    "goals",
    "customers",
    "qfd",
    "actions",
    "investments",
    "conjoint",
    "shape",
    "crm",
)
_SURVEY = ("n", "scale", "overall_scale", "labels", "format")
_SEGMENT = ("share", "effect", "growth")
_ATTRIBUTE = ("label", "own", "gap", "weight", "factor")
_STAGE4 = ("customers", "qfd", "actions", "investments", "conjoint")


def scenario_text(business: str) -> str:
    """The text of the scenario file ``scenarios/<business>.yaml``.

    Examples
    --------
    >>> scenario_text("delivery").splitlines()[2]
    'name: SwiftPost Express'
    """
    if business not in BUSINESS_NAMES + SHAPE_NAMES:
        raise ValueError(
            f"`business` must be one of {', '.join(map(repr, BUSINESS_NAMES + SHAPE_NAMES))}; "
            f"got {business!r}."
        )
    parts = ("scenarios", f"{business}.yaml")
    if business in SHAPE_NAMES:
        parts = ("scenarios", "shapes", f"{business}.yaml")
    return resources.files("orient.synth").joinpath(*parts).read_text(encoding="utf-8")


@functools.cache
def _parsed(business: str) -> dict[str, Any]:
    raw = yaml.safe_load(scenario_text(business))
    return _business(business, raw)


def load_scenario(business: str) -> dict[str, Any]:
    """The scenario of one business, in the shape the generator reads (a fresh copy).

    Parameters
    ----------
    business : one of :data:`BUSINESS_NAMES`.

    Returns
    -------
    dict
        ``name``, ``industry``, ``competitor``, ``currency``, ``language``, ``scale`` and
        ``overall_scale`` (min, max), ``labels``, ``format``, ``n``, ``segments`` (name ->
        share), ``segment_effect``, ``growth``, ``attributes`` (list of ``(key, label,
        own, gap, weight, factor)``), ``tables``, ``revenue``, the table settings present
        (``claim_categories``, ``quality``, ``calls_per_day``), ``goals`` and ``stage4``
        when the scenario has them.

    Examples
    --------
    >>> b = load_scenario("steel")
    >>> b["scale"], b["segments"]["Азия"], b["attributes"][0][:2]
    ((1, 5), 0.2, ('product_quality', 'Качество металла и допуски'))
    """
    return copy.deepcopy(_parsed(business))


def _business(business: str, raw: Any) -> dict[str, Any]:
    """Check a parsed scenario file and put it in the generator's shape."""
    where = f"scenarios/{business}.yaml"

    def keys(mapping: Any, required: tuple, optional: tuple, at: str) -> None:
        if not isinstance(mapping, dict):
            raise ValueError(f"{where}: {at or 'the file'} must be a mapping")
        missing = [k for k in required if k not in mapping]
        unknown = [k for k in mapping if k not in required + optional]
        if missing or unknown:
            raise ValueError(
                f"{where}: {at or 'the file'} "
                + (
                    f"lacks {', '.join(missing)}"
                    if missing
                    else f"has unknown keys {', '.join(map(str, unknown))}"
                )
                + f"; expected {', '.join(required + optional)}"
            )

    keys(raw, _REQUIRED, _OPTIONAL, "")
    from orient.synth.shapes import check_shape

    check_shape(raw.get("shape"), where)
    survey = raw["survey"]
    keys(survey, _SURVEY, (), "survey")
    for name, seg in raw["segments"].items():
        keys(seg, _SEGMENT, (), f"segments.{name}")
    for key, attr in raw["attributes"].items():
        keys(attr, _ATTRIBUTE, (), f"attributes.{key}")
    b: dict[str, Any] = {
        k: raw[k] for k in ("name", "industry", "competitor", "currency", "language")
    }
    b["scale"] = tuple(survey["scale"])
    b["overall_scale"] = tuple(survey["overall_scale"])
    b["labels"] = survey["labels"]
    b["format"] = survey["format"]
    b["segments"] = {name: seg["share"] for name, seg in raw["segments"].items()}
    b["segment_effect"] = {name: seg["effect"] for name, seg in raw["segments"].items()}
    b["growth"] = {name: seg["growth"] for name, seg in raw["segments"].items()}
    b["n"] = survey["n"]
    b["attributes"] = [(key, *(a[f] for f in _ATTRIBUTE)) for key, a in raw["attributes"].items()]
    b["tables"] = raw["tables"]
    b["revenue"] = raw["revenue"]
    for k in (
        "claim_categories",
        "complaint_register",
        "quality",
        "calls_per_day",
        "goals",
        "shape",
        "crm",
    ):
        if k in raw:
            b[k] = raw[k]
    present = [k for k in _STAGE4 if k in raw]
    if present:
        if len(present) != len(_STAGE4):
            raise ValueError(
                f"{where}: the stage IV content needs all of "
                f"{', '.join(_STAGE4)}; found only {', '.join(present)}"
            )
        keys(raw["qfd"], ("characteristics", "relationships", "correlations"), (), "qfd")
        b["stage4"] = {
            "customers": raw["customers"],
            **raw["qfd"],
            "actions": raw["actions"],
            "investments": raw["investments"],
            "conjoint": raw["conjoint"],
        }
    return b
