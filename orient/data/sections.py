"""The plan sections of ``company.yaml``: stage I (goals, segments) and stage IV.

Stage I: the balanced-scorecard goals and each segment's economics. Stage IV: the
house of quality (qfd), the action plan (actions), the investments under review and
a conjoint study. :class:`~orient.data.profile.CompanyProfile` checks the attribute
keys they name against the survey.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "ActionItem",
    "ActionsSpec",
    "ChoiceTask",
    "ConjointSpec",
    "Goal",
    "InvestmentItem",
    "InvestmentsSpec",
    "Level",
    "QFDSpec",
    "SegmentSpec",
    "TechnicalCharacteristic",
]


class _Model(BaseModel):
    """Base of every company.yaml model: unknown keys refused, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- stage IV sections (models) -------------------------------------------------------
# qfd, actions, investments and conjoint: the sections orient.implementation reads.

Level = int | float | str


class TechnicalCharacteristic(_Model):
    """A technical characteristic of the house of quality (how the company measures it)."""

    label: str | None = None
    unit: str | None = None
    direction: Literal["maximise", "minimise", "target"] = "maximise"
    current: float | None = None
    competitor: float | None = Field(default=None, description="the main competitor's value")
    target: float | None = None


class QFDSpec(_Model):
    """House of quality: technical characteristics, the 9/3/1 matrix and the roof."""

    characteristics: dict[str, TechnicalCharacteristic]
    relationships: dict[str, dict[str, int]] = Field(
        description="requirement (attribute key) -> characteristic -> strength 0, 1, 3 or 9"
    )
    correlations: list[tuple[str, str, Literal["++", "+", "-", "--"]]] = Field(
        default_factory=list, description="roof: (characteristic, characteristic, symbol)"
    )

    @model_validator(mode="after")
    def _names(self):
        chars = set(self.characteristics)
        for req, row in self.relationships.items():
            for char, strength in row.items():
                if char not in chars:
                    raise ValueError(
                        f"relationships.{req} names characteristic {char!r}, which is not "
                        f"under qfd.characteristics ({', '.join(sorted(chars))})"
                    )
                if strength not in (0, 1, 3, 9):
                    raise ValueError(
                        f"relationships.{req}.{char} is {strength}; strengths must be 0, 1, 3 "
                        "or 9 (none, weak, medium, strong)"
                    )
        for a, b, _ in self.correlations:
            for name in (a, b):
                if name not in chars:
                    raise ValueError(
                        f"correlations name characteristic {name!r}, which is not "
                        "under qfd.characteristics"
                    )
        return self


class ActionItem(_Model):
    """What will be done for one attribute, by whom, by when, at what cost."""

    action: str | None = None
    owner: str | None = None
    kpi: str | None = None
    kpi_target: float | str | None = None
    target: float | None = Field(default=None, description="target mean rating on the survey scale")
    deadline: str | None = None
    cost: float | None = Field(default=None, ge=0)
    annual_benefit: float | None = Field(default=None, description="overrides the predicted one")

    @field_validator("deadline", mode="before")
    @classmethod
    def _date(cls, v):
        return v.isoformat() if hasattr(v, "isoformat") else v


class ActionsSpec(_Model):
    """The action plan's inputs: actions by attribute key, and what a point is worth."""

    value_per_point: float | None = Field(
        default=None,
        ge=0,
        description="yearly value (currency) of +1 point of mean overall satisfaction",
    )
    horizon_years: float = Field(default=1.0, gt=0)
    items: dict[str, ActionItem] = Field(default_factory=dict)


class InvestmentItem(_Model):
    name: str
    kind: Literal["frontline", "back_office", "other"] = "other"
    cost: float = Field(ge=0)
    annual_benefit: float | None = None
    benefits: list[float] | None = Field(default=None, description="net benefit per year")
    attribute: str | None = Field(
        default=None, description="take the yearly benefit from this action"
    )
    running_cost: float = Field(default=0.0, ge=0)
    years: int | None = Field(default=None, gt=0)
    discount_rate: float | None = Field(default=None, gt=-1)


class InvestmentsSpec(_Model):
    discount_rate: float = Field(default=0.1, gt=-1)
    years: int = Field(default=3, gt=0)
    items: list[InvestmentItem] = Field(default_factory=list)


class ChoiceTask(_Model):
    """One choice set shown to every respondent, with how many chose each alternative."""

    alternatives: list[dict[str, Level]]
    chosen: list[int]

    @model_validator(mode="after")
    def _counts(self):
        if len(self.alternatives) < 2:
            raise ValueError("a choice task needs at least 2 alternatives")
        if len(self.chosen) != len(self.alternatives):
            raise ValueError(
                f"chosen has {len(self.chosen)} counts for "
                f"{len(self.alternatives)} alternatives; expected one per alternative"
            )
        if any(c < 0 for c in self.chosen):
            raise ValueError("choice counts must be >= 0")
        return self


class ConjointSpec(_Model):
    """A conjoint study: attributes and levels, the responses, and products to simulate."""

    kind: Literal["ratings", "choice"] = "choice"
    attributes: dict[str, list[Level]]
    labels: dict[str, str] | None = None
    price: str | None = Field(default=None, description="the attribute holding the price")
    file: str | None = Field(default=None, description="respondent-level responses (long CSV)")
    profiles: list[dict[str, Level]] | None = Field(default=None, description="ratings: profiles")
    ratings: dict[str, list[float]] | None = Field(
        default=None, description="ratings: respondent -> one rating per profile"
    )
    segments: dict[str, str] | None = Field(default=None, description="respondent -> segment")
    tasks: list[ChoiceTask] | None = None
    products: dict[str, dict[str, Level]] = Field(
        default_factory=dict, description="products for the simulator, ours first"
    )

    @model_validator(mode="after")
    def _levels(self):
        for attr, lv in self.attributes.items():
            if len(lv) < 2 or len(set(lv)) != len(lv):
                raise ValueError(f"attributes.{attr} needs at least 2 distinct levels")
        if self.price is not None:
            if self.price not in self.attributes:
                raise ValueError(f"price {self.price!r} is not one of the attributes")
            if any(isinstance(v, str) for v in self.attributes[self.price]):
                raise ValueError(f"the levels of price attribute {self.price!r} must be numbers")

        def check(where, profile, numeric_ok=False):
            if set(profile) != set(self.attributes):
                raise ValueError(
                    f"{where} must give a level for exactly the attributes "
                    f"{', '.join(self.attributes)}"
                )
            for attr, v in profile.items():
                lv = self.attributes[attr]
                if v in lv:
                    continue
                if (
                    numeric_ok
                    and not isinstance(v, str)
                    and all(not isinstance(x, str) for x in lv)
                    and min(lv) <= v <= max(lv)
                ):
                    continue
                raise ValueError(
                    f"{where} gives {attr} level {v!r}, which is not among its levels {lv}"
                )

        for i, p in enumerate(self.profiles or []):
            check(f"profiles[{i}]", p)
        for t, task in enumerate(self.tasks or []):
            for i, p in enumerate(task.alternatives):
                check(f"tasks[{t}].alternatives[{i}]", p)
        for name, p in self.products.items():
            check(f"products.{name}", p, numeric_ok=True)
        if self.ratings is not None:
            n = len(self.profiles or [])
            for rid, r in self.ratings.items():
                if len(r) != n:
                    raise ValueError(f"ratings.{rid} has {len(r)} ratings for {n} profiles")
        return self


# --- end stage IV sections (models) -----------------------------------------------------


# --- stage I sections (models) ---


class Goal(_Model):
    """One goal of the balanced scorecard (stage I).

    ``baseline``, ``target`` and ``current`` are in the KPI's own unit. orient computes
    ``current`` itself for the KPIs ``satisfaction_index`` (0-100), ``nps`` (-100..100),
    ``retention_rate`` (%), ``revenue`` and ``revenue_per_customer`` (currency) and
    ``margin`` (%); give it here for any other KPI.
    """

    perspective: Literal["customer", "process", "people", "financial"]
    kpi: str = Field(description="KPI key; see orient.strategy.COMPUTABLE_KPIS")
    label: str | None = None
    unit: str | None = None
    baseline: float
    target: float
    weight: float = Field(default=1.0, gt=0, description="weight in the scorecard")
    owner: str = Field(description="who is measured on the goal (incentive link)")
    direction: Literal["higher", "lower"] = Field(default="higher", description="which is better")
    current: float | None = None
    attributes: list[str] = Field(
        default_factory=list, description="attribute keys the goal acts on"
    )
    intent: Literal["improve", "maintain", "cut_cost"] | None = Field(
        default=None, description="what the goal does to those attributes"
    )

    @field_validator("baseline", "target", "current")
    @classmethod
    def _finite(cls, v):
        if v is not None and not np.isfinite(v):
            raise ValueError(f"must be a finite number, got {v}")
        return v

    @model_validator(mode="after")
    def _target_direction(self):
        sign = 1 if self.direction == "higher" else -1
        if sign * (self.target - self.baseline) < 0:
            better = "above" if sign > 0 else "below"
            raise ValueError(
                f"target {self.target:g} is worse than baseline {self.baseline:g} "
                f"for a '{self.direction} is better' KPI; expected a target at or "
                f"{better} the baseline"
            )
        if self.attributes and self.intent is None:
            raise ValueError(
                "attributes are named but no intent (improve, maintain or "
                "cut_cost) says what the goal does to them"
            )
        return self


class SegmentSpec(_Model):
    """Economics of one customer segment (stage I); the key is the survey's segment value.

    ``customers``, ``revenue_share`` and ``margin`` are used only when finance.csv
    cannot give them.
    """

    label: str | None = None
    growth: float | None = Field(default=None, description="expected market growth, % a year")
    customers: int | None = Field(default=None, ge=0)
    revenue_share: float | None = Field(default=None, ge=0, le=100, description="%")
    margin: float | None = Field(default=None, le=100, description="%")
    premium: bool | None = Field(default=None, description="override the premium rule")


# --- end stage I sections (models) ---
