"""The company profile (``company.yaml``) and :func:`load_company`.

A company folder holds ``company.yaml`` and the data files it names (see DESIGN.md).
Only the survey part of the profile is required; each optional part enables a
section of the report. The profile is validated on load: an unknown key, a wrong
type or a reversed scale is a :class:`~orient.errors.DataError` naming the YAML key
path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import io as _io
from .errors import DataError

__all__ = [
    "Company",
    "CompanyProfile",
    "Attribute",
    "PROFILE_FILE",
    "left_out_summary",
    "load_company",
    "load_profile",
    "overview",
]

PROFILE_FILE = "company.yaml"
#: the segment given to respondents whose segment is blank (kept, counted, not a segment)
NO_SEGMENT = "(no segment)"
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Model):
    """The ends of a rating scale, and optionally the labels an export writes instead of numbers."""

    min: float = 1
    max: float = 5
    labels: dict[str, float] | None = None

    @model_validator(mode="after")
    def _ends(self):
        if not self.min < self.max:
            raise ValueError(f"scale ends are reversed or equal (min {self.min}, max {self.max}); "
                             "expected min < max")
        if self.labels:
            for label, value in self.labels.items():
                if not self.min <= value <= self.max:
                    raise ValueError(f"label {label!r} maps to {value}, outside the scale "
                                     f"{self.min}..{self.max}")
        return self


class ReadOptions(_Model):
    """How to read a file when detection is not wanted."""

    encoding: str | None = None
    sep: str | None = None
    decimal: Literal[".", ","] | None = None
    sheet: str | int | None = None


class AttributeSpec(_Model):
    """One product or service benefit rated in the survey."""

    label: str
    own: str = Field(description="column with the rating of the company itself")
    competitor: str | None = Field(default=None, description="column rating the main competitor")
    reverse: bool = False
    scale: Scale | None = None
    #: technical label for QFD or owner hints; free text
    description: str | None = None


class LoyaltySpec(_Model):
    recommend: str | None = Field(default=None, description="likelihood to recommend, 0-10")
    repurchase: str | None = Field(default=None, description="intention to buy again")
    repurchase_scale: Scale | None = None


class SurveySpec(_Model):
    """The survey codebook."""

    file: str = "survey.csv"
    read: ReadOptions = ReadOptions()
    id: str = "respondent_id"
    customer_id: str | None = None
    weight: str | None = None
    wave: str | None = None
    waves: list[str] | None = Field(default=None, description="wave order, oldest first")
    segment: str | None = None
    scale: Scale = Scale()
    overall: str
    overall_scale: Scale | None = None
    satisfaction_items: list[str] = Field(default_factory=list)
    loyalty: LoyaltySpec = LoyaltySpec()
    attributes: dict[str, AttributeSpec]
    constructs: dict[str, list[str]] | None = Field(
        default=None, description="multi-item constructs for a PLS path model: name -> columns")
    paths: list[tuple[str, str]] | None = None
    item_scales: dict[str, Scale] | None = None
    missing_codes: list[str | float] = Field(default_factory=list)

    @field_validator("attributes")
    @classmethod
    def _keys(cls, v):
        if len(v) < 1:
            raise ValueError("at least one attribute is needed")
        for key in v:
            if not _KEY.match(key):
                raise ValueError(f"attribute key {key!r} must start with a letter and hold only "
                                 "letters, digits and underscores")
            if key.endswith("_competitor"):
                raise ValueError(f"attribute key {key!r} may not end in '_competitor'")
        return v


class Reporting(_Model):
    min_base: int = Field(default=30, ge=1)
    confidence: float = Field(default=0.95, gt=0, lt=1)


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
        description="requirement (attribute key) -> characteristic -> strength 0, 1, 3 or 9")
    correlations: list[tuple[str, str, Literal["++", "+", "-", "--"]]] = Field(
        default_factory=list, description="roof: (characteristic, characteristic, symbol)")

    @model_validator(mode="after")
    def _names(self):
        chars = set(self.characteristics)
        for req, row in self.relationships.items():
            for char, strength in row.items():
                if char not in chars:
                    raise ValueError(
                        f"relationships.{req} names characteristic {char!r}, which is not "
                        f"under qfd.characteristics ({', '.join(sorted(chars))})")
                if strength not in (0, 1, 3, 9):
                    raise ValueError(
                        f"relationships.{req}.{char} is {strength}; strengths must be 0, 1, 3 "
                        "or 9 (none, weak, medium, strong)")
        for a, b, _ in self.correlations:
            for name in (a, b):
                if name not in chars:
                    raise ValueError(f"correlations name characteristic {name!r}, which is not "
                                     "under qfd.characteristics")
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
        default=None, ge=0,
        description="yearly value (currency) of +1 point of mean overall satisfaction")
    horizon_years: float = Field(default=1.0, gt=0)
    items: dict[str, ActionItem] = Field(default_factory=dict)


class InvestmentItem(_Model):
    name: str
    kind: Literal["frontline", "back_office", "other"] = "other"
    cost: float = Field(ge=0)
    annual_benefit: float | None = None
    benefits: list[float] | None = Field(default=None, description="net benefit per year")
    attribute: str | None = Field(default=None,
                                  description="take the yearly benefit from this action")
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
            raise ValueError(f"chosen has {len(self.chosen)} counts for "
                             f"{len(self.alternatives)} alternatives; expected one per alternative")
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
        default=None, description="ratings: respondent -> one rating per profile")
    segments: dict[str, str] | None = Field(default=None, description="respondent -> segment")
    tasks: list[ChoiceTask] | None = None
    products: dict[str, dict[str, Level]] = Field(
        default_factory=dict, description="products for the simulator, ours first")

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
                raise ValueError(f"{where} must give a level for exactly the attributes "
                                 f"{', '.join(self.attributes)}")
            for attr, v in profile.items():
                lv = self.attributes[attr]
                if v in lv:
                    continue
                if numeric_ok and not isinstance(v, str) and all(
                        not isinstance(x, str) for x in lv) and min(lv) <= v <= max(lv):
                    continue
                raise ValueError(f"{where} gives {attr} level {v!r}, which is not among its "
                                 f"levels {lv}")

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


class TableRef(_Model):
    file: str
    read: ReadOptions = ReadOptions()


class Tables(_Model):
    """Optional tables; each defaults to ``<name>.csv`` and is used when the file exists."""

    finance: str | TableRef | None = None
    calls: str | TableRef | None = None
    claims: str | TableRef | None = None
    quality: str | TableRef | None = None
    deals: str | TableRef | None = None


class ServiceSpec(_Model):
    """Call-centre service targets."""

    interval_min: int = Field(default=30, gt=0)
    target_s: float = Field(default=20, gt=0)
    target_level: float = Field(default=0.8, gt=0, lt=1)
    max_abandon_rate: float = Field(default=0.05, ge=0, lt=1)
    shrinkage: float = Field(default=0.0, ge=0, lt=1)
    agent_cost_per_hour: float | None = Field(default=None, ge=0)
    claim_target_days: float | None = Field(default=None, gt=0)


class Characteristic(_Model):
    label: str | None = None
    unit: str | None = None
    lsl: float | None = None
    usl: float | None = None
    target: float | None = None

    @model_validator(mode="after")
    def _limits(self):
        if self.lsl is not None and self.usl is not None and not self.lsl < self.usl:
            raise ValueError(f"specification limits reversed (lsl {self.lsl}, usl {self.usl})")
        return self


class QualitySpec(_Model):
    """Quality control settings: specification limits per measured characteristic."""

    characteristics: dict[str, Characteristic] = Field(default_factory=dict)
    trial_subgroups: int | None = Field(default=None, gt=1)
    aql: float | None = Field(default=None, gt=0, lt=1)
    ltpd: float | None = Field(default=None, gt=0, lt=1)


class CRMSpec(_Model):
    stages: list[str] | None = Field(default=None, description="pipeline stages in order")
    payment_terms_days: int | None = Field(default=None, ge=0)


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
    direction: Literal["higher", "lower"] = Field(default="higher",
                                                  description="which is better")
    current: float | None = None
    attributes: list[str] = Field(default_factory=list,
                                  description="attribute keys the goal acts on")
    intent: Literal["improve", "maintain", "cut_cost"] | None = Field(
        default=None, description="what the goal does to those attributes")

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
            raise ValueError(f"target {self.target:g} is worse than baseline {self.baseline:g} "
                             f"for a '{self.direction} is better' KPI; expected a target at or "
                             f"{better} the baseline")
        if self.attributes and self.intent is None:
            raise ValueError("attributes are named but no intent (improve, maintain or "
                             "cut_cost) says what the goal does to them")
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


class CompanyProfile(_Model):
    """The validated content of ``company.yaml``."""

    name: str
    slug: str | None = None
    currency: str = "EUR"
    language: Literal["en", "ru"] = "en"
    industry: str | None = None
    description: str | None = None
    competitor: str | None = Field(default=None, description="the main competitor's name")
    period: str | None = None
    seed: int | None = None
    survey: SurveySpec
    reporting: Reporting = Reporting()
    tables: Tables = Tables()
    service: ServiceSpec | None = None
    quality: QualitySpec | None = None
    crm: CRMSpec | None = None
    # --- stage I sections ---
    goals: dict[str, Goal] | None = None
    segments: dict[str, SegmentSpec] | None = None

    @field_validator("goals")
    @classmethod
    def _goal_attributes(cls, v, info):
        survey = info.data.get("survey")
        if not v or survey is None:
            return v
        for key, goal in v.items():
            for i, a in enumerate(goal.attributes):
                if a not in survey.attributes:
                    raise ValueError(f"goals.{key}.attributes[{i}] names {a!r}, which is not "
                                     "an attribute; expected one of "
                                     + ", ".join(survey.attributes))
        return v
    # --- end stage I sections ---
    # --- stage IV sections ---
    qfd: QFDSpec | None = None
    actions: ActionsSpec | None = None
    conjoint: ConjointSpec | None = None
    investments: InvestmentsSpec | None = None

    @model_validator(mode="after")
    def _stage4_keys(self):
        keys = set(self.survey.attributes)
        shown = ", ".join(self.survey.attributes)
        for req in (self.qfd.relationships if self.qfd else {}):
            if req not in keys:
                raise ValueError(f"qfd.relationships names requirement {req!r}, which is not "
                                 f"a survey attribute ({shown})")
        for attr in (self.actions.items if self.actions else {}):
            if attr not in keys:
                raise ValueError(f"actions.items names attribute {attr!r}, which is not a "
                                 f"survey attribute ({shown})")
        for item in (self.investments.items if self.investments else []):
            if item.attribute is not None and item.attribute not in keys:
                raise ValueError(f"investment {item.name!r} names attribute "
                                 f"{item.attribute!r}, which is not a survey attribute ({shown})")
        return self
    # --- end stage IV sections ---

    @field_validator("slug")
    @classmethod
    def _slug(cls, v):
        if v is not None and not _SLUG.match(v):
            raise ValueError(f"slug {v!r} must be lower-case letters, digits, '-' or '_' "
                             "(at most 64), starting with a letter or digit")
        return v


# --- loading the profile ------------------------------------------------------------


class _SafeLoader(yaml.SafeLoader):
    """Safe loading that also refuses duplicate keys (a silent overwrite otherwise)."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_SafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _loc(loc: tuple) -> str:
    parts = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


def load_profile(path: str | Path) -> CompanyProfile:
    """Read and validate ``company.yaml`` (a folder or the file itself)."""
    path = Path(path)
    file = path / PROFILE_FILE if path.is_dir() else path
    if not file.exists():
        raise DataError("company profile not found", file=str(file),
                        expected=f"a {PROFILE_FILE} in the company folder (orient new makes one)")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text", file=PROFILE_FILE,
                        expected="company.yaml saved as UTF-8") from None
    try:
        raw = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or str(exc)
        if "could not determine a constructor" in problem:
            problem = f"tag not allowed: {problem.split('tag')[-1].strip()}"
            exp = "plain YAML values (no !!python or other tags)"
        else:
            exp = "each key once"
        raise DataError(problem, file=PROFILE_FILE, row=line, expected=exp) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(f"not valid YAML ({getattr(exc, 'problem', exc)})", file=PROFILE_FILE,
                        row=mark.line + 1 if mark else None,
                        expected="valid YAML (check indentation and colons)") from None
    if not isinstance(raw, dict):
        raise DataError("the profile is not a mapping of keys", file=PROFILE_FILE,
                        expected="keys such as name:, survey:")
    try:
        return CompanyProfile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _loc(err["loc"])
        if err["type"] == "extra_forbidden":
            problem = "unknown key"
            parent = err["loc"][:-1]
            allowed = _allowed_keys(parent, raw)
            expected = "one of " + ", ".join(allowed) if allowed else None
        elif err["type"] == "missing":
            problem = "required key missing"
            expected = "a value for it"
        else:
            msg = err["msg"]
            problem = msg.removeprefix("Value error, ")
            expected = None
        value = err.get("input") if err["type"] not in ("missing", "extra_forbidden") else None
        if isinstance(value, dict | list):
            value = None
        raise DataError(problem, file=PROFILE_FILE, column=key, value=value,
                        expected=expected) from None


def _allowed_keys(parent: tuple, raw: dict) -> list[str]:
    model: Any = CompanyProfile
    skip_next = False
    for part in parent:
        if skip_next or isinstance(part, int):  # a key of a mapping, or a list position
            skip_next = False
            continue
        field = model.model_fields.get(part) if model is not None else None
        if field is None:
            return []
        ann = field.annotation
        model = _model_in(ann)
        skip_next = "dict" in str(ann)
        if model is None:
            return []
    return list(model.model_fields) if model is not None else []


def _model_in(ann) -> Any:
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in getattr(ann, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


# --- the company ------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    """An attribute (product or service benefit) as it appears in ``Company.survey``."""

    key: str
    label: str
    column: str
    competitor_column: str | None
    scale_min: float
    scale_max: float
    reverse: bool = False


class Company:
    """A loaded company: its validated profile and typed tables.

    Attributes
    ----------
    path : Path of the company folder.
    profile : CompanyProfile, the validated company.yaml.
    survey : DataFrame, one row per usable respondent, canonical column names
        (``respondent_id``, ``customer_id``, ``weight``, ``wave``, ``segment``,
        ``overall``, ``recommend``, ``repurchase``, one column per attribute key and
        ``<key>_competitor``, then other rated items under their own names).
    attributes : list of Attribute.
    finance, calls, claims, quality, deals : DataFrame or None when the file is absent.
    left_out : DataFrame (file, row, column, reason) of every row not used and why.
    """

    def __init__(self, path: Path, profile: CompanyProfile, survey: pd.DataFrame,
                 attributes: list[Attribute], scales: dict[str, tuple[float, float]],
                 tables: dict[str, pd.DataFrame | None], left_out: pd.DataFrame,
                 files: dict[str, str]):
        self.path = path
        self.profile = profile
        self.survey = survey
        self.attributes = attributes
        self._scales = scales
        self.finance = tables.get("finance")
        self.calls = tables.get("calls")
        self.claims = tables.get("claims")
        self.quality = tables.get("quality")
        self.deals = tables.get("deals")
        self.left_out = left_out
        self.files = files

    # identity
    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def slug(self) -> str:
        return self.profile.slug or slugify(self.path.name)

    @property
    def currency(self) -> str:
        return self.profile.currency

    @property
    def language(self) -> str:
        return self.profile.language

    @property
    def competitor(self) -> str | None:
        return self.profile.competitor

    # reporting rules
    @property
    def min_base(self) -> int:
        return self.profile.reporting.min_base

    @property
    def confidence(self) -> float:
        return self.profile.reporting.confidence

    # survey helpers
    @property
    def weights(self) -> pd.Series | None:
        return self.survey["weight"] if "weight" in self.survey.columns else None

    @property
    def attribute_keys(self) -> list[str]:
        return [a.key for a in self.attributes]

    @property
    def attribute_labels(self) -> dict[str, str]:
        return {a.key: a.label for a in self.attributes}

    @property
    def waves(self) -> list[str]:
        if "wave" not in self.survey.columns:
            return []
        return list(self.survey["wave"].cat.categories)

    @property
    def segments(self) -> list[str]:
        if "segment" not in self.survey.columns:
            return []
        return sorted(self.survey["segment"].dropna().unique().tolist())

    @property
    def satisfaction_items(self) -> list[str]:
        """Columns combined into the satisfaction index (``overall`` when none are named)."""
        items = [("overall" if c == self.profile.survey.overall else c)
                 for c in self.profile.survey.satisfaction_items]
        return items or ["overall"]

    def scale(self, column: str) -> tuple[float, float]:
        """(min, max) of a rating column of :attr:`survey`."""
        try:
            return self._scales[column]
        except KeyError:
            raise ValueError(f"Column {column!r} is not a rating column of the survey; rating "
                             f"columns are {', '.join(self._scales)}.") from None

    def fingerprint(self) -> str:
        """A digest of everything the analyses read: profile, tables, attributes, scales.

        Computed afresh on every call, so it changes when a table is edited in place.
        Two loads of the same folder give the same fingerprint.
        """
        import hashlib

        digest = hashlib.blake2b(digest_size=20)

        def add(text: str) -> None:
            digest.update(text.encode("utf-8"))
            digest.update(b"\x00")

        add(self.profile.model_dump_json())
        add(repr(self.attributes))
        add(repr(sorted(self._scales.items())))
        for name in ("survey", "left_out", *_io.TABLES):
            frame = getattr(self, name, None)
            if frame is None:
                add(f"{name}: none")
                continue
            add(f"{name}: {list(map(str, frame.columns))} {list(map(str, frame.dtypes))}")
            digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        return digest.hexdigest()

    def table_found(self) -> dict[str, bool]:
        return {name: getattr(self, name) is not None for name in _io.TABLES}

    def __repr__(self) -> str:
        return (f"Company({self.name!r}, slug={self.slug!r}, respondents={len(self.survey)}, "
                f"attributes={len(self.attributes)})")


def slugify(text: str) -> str:
    s = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return s[:64] or "company"


def _check_file_in(folder: Path, name: str, key: str) -> Path:
    p = Path(name)
    if p.is_absolute() or ".." in p.parts:
        raise DataError("data files must lie inside the company folder", file=PROFILE_FILE,
                        column=key, value=name, expected="a file name relative to the folder")
    return folder / p


def load_company(path: str | Path) -> Company:
    """Load and validate a company folder.

    Parameters
    ----------
    path : folder holding ``company.yaml`` and the data files it names.

    Returns
    -------
    Company
        With ``survey`` as a tidy DataFrame (ratings numeric) and each optional table
        typed, or ``None`` when its file is absent.

    Raises
    ------
    DataError
        Naming the file, column and first offending row of any problem.

    Examples
    --------
    >>> import orient
    >>> company = orient.load_company("data/companies/swiftpost")  # doctest: +SKIP
    """
    folder = Path(path)
    if not folder.is_dir():
        raise DataError("company folder not found", file=str(folder),
                        expected="a folder holding company.yaml")
    profile = load_profile(folder)
    survey, attributes, scales, left_out, survey_file = _read_survey(folder, profile)
    tables: dict[str, pd.DataFrame | None] = {}
    files = {"survey": survey_file}
    for name, spec in _io.TABLES.items():
        ref = getattr(profile.tables, name)
        if isinstance(ref, TableRef):
            fname, opts = ref.file, ref.read
        else:
            fname, opts = (ref or f"{name}.csv"), ReadOptions()
        fpath = _check_file_in(folder, fname, f"tables.{name}")
        if not fpath.exists():
            if ref is not None:
                raise DataError("table named in company.yaml not found", file=PROFILE_FILE,
                                column=f"tables.{name}", value=fname,
                                expected="an existing file in the company folder")
            tables[name] = None
            continue
        tables[name] = _io.read_operational_table(fpath, spec, encoding=opts.encoding,
                                                  sep=opts.sep, decimal=opts.decimal)
        files[name] = fname
    return Company(folder, profile, survey, attributes, scales, tables, left_out, files)


def _read_survey(folder: Path, profile: CompanyProfile):
    sv = profile.survey
    fpath = _check_file_in(folder, sv.file, "survey.file")
    df, info = _io.read_table(fpath, encoding=sv.read.encoding, sep=sv.read.sep,
                              decimal=sv.read.decimal, sheet=sv.read.sheet)
    file = info.file

    def need(col: str, key: str) -> str:
        if col not in df.columns:
            shown = ", ".join(map(str, df.columns[:15])) + (" ..." if len(df.columns) > 15 else "")
            raise DataError(f"column named in company.yaml ({key}) not found", file=file,
                            column=col, row=1, expected=f"one of the header's columns: {shown}")
        return col

    def ratings(col: str, key: str, scale: Scale, reverse: bool = False) -> pd.Series:
        return _io.to_ratings(df[need(col, key)], file=file, column=col, scale_min=scale.min,
                              scale_max=scale.max, labels=scale.labels,
                              missing_codes=tuple(sv.missing_codes), decimal=info.decimal,
                              reverse=reverse)

    out: dict[str, pd.Series] = {}
    scales: dict[str, tuple[float, float]] = {}
    # respondent id
    raw_ids = df[need(sv.id, "survey.id")]
    if isinstance(raw_ids.dtype, pd.StringDtype):  # text ids: leading blanks already skipped
        ids = raw_ids.astype("string")
        blank = ids.isna() | (ids == "")
    else:
        ids = _io.clean_text(raw_ids)
        blank = ids.isna()
    if blank.any():
        i = int(np.flatnonzero(blank.to_numpy())[0])
        raise DataError("respondent id is blank", file=file, column=sv.id, row=i + 2,
                        expected="an id on every row")
    dup = ids.duplicated(keep=False)
    if dup.any():
        rows = np.flatnonzero(dup.to_numpy())
        first_val = ids.iloc[rows[0]]
        same = rows[(ids.iloc[rows] == first_val).to_numpy()]
        raise DataError(f"duplicate respondent id (rows {same[0] + 2} and {same[1] + 2})",
                        file=file, column=sv.id, row=int(same[1] + 2), value=first_val,
                        expected="each respondent id once")
    out["respondent_id"] = ids
    if sv.customer_id:
        out["customer_id"] = _io.clean_text(df[need(sv.customer_id, "survey.customer_id")])
    if sv.weight:
        w = df[need(sv.weight, "survey.weight")]
        wn = w if pd.api.types.is_numeric_dtype(w) else pd.to_numeric(
            w.astype("string").str.replace(",", ".", regex=False), errors="coerce")
        bad = wn.isna() | ~np.isfinite(wn.to_numpy(dtype=float, na_value=np.nan)) | (wn <= 0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError("weight must be a positive number", file=file, column=sv.weight,
                            row=i + 2, value=w.iloc[i], expected="a number > 0 on every row")
        out["weight"] = wn.astype("float64")
    if sv.wave:
        wv = df[need(sv.wave, "survey.wave")]
        wtext = _io.clean_text(wv)
        if wtext.isna().any():
            i = int(np.flatnonzero(wtext.isna().to_numpy())[0])
            raise DataError("wave is blank", file=file, column=sv.wave, row=i + 2,
                            expected="a wave on every row")
        present = sorted(wtext.unique().tolist(), key=_natural)
        order = [str(x) for x in sv.waves] if sv.waves else present
        unknown = [x for x in present if x not in order]
        if unknown:
            i = int(np.flatnonzero((wtext == unknown[0]).to_numpy())[0])
            raise DataError("wave not listed in survey.waves", file=file, column=sv.wave,
                            row=i + 2, value=unknown[0], expected="one of " + ", ".join(order))
        out["wave"] = pd.Categorical(wtext, categories=order, ordered=True)
    if sv.segment:
        out["segment"] = _io.clean_text(df[need(sv.segment, "survey.segment")])
    overall_scale = sv.overall_scale or sv.scale
    out["overall"] = ratings(sv.overall, "survey.overall", overall_scale)
    scales["overall"] = (overall_scale.min, overall_scale.max)
    if sv.loyalty.recommend:
        out["recommend"] = ratings(sv.loyalty.recommend, "survey.loyalty.recommend",
                                   Scale(min=0, max=10))
        scales["recommend"] = (0.0, 10.0)
    if sv.loyalty.repurchase:
        rs = sv.loyalty.repurchase_scale or sv.scale
        out["repurchase"] = ratings(sv.loyalty.repurchase, "survey.loyalty.repurchase", rs)
        scales["repurchase"] = (rs.min, rs.max)
    attributes = []
    for key, spec in sv.attributes.items():
        sc = spec.scale or sv.scale
        out[key] = ratings(spec.own, f"survey.attributes.{key}.own", sc, spec.reverse)
        scales[key] = (sc.min, sc.max)
        comp_col = None
        if spec.competitor:
            comp_col = f"{key}_competitor"
            out[comp_col] = ratings(spec.competitor, f"survey.attributes.{key}.competitor", sc,
                                    spec.reverse)
            scales[comp_col] = (sc.min, sc.max)
        attributes.append(Attribute(key, spec.label, key, comp_col, sc.min, sc.max, spec.reverse))
        if out[key].isna().all():
            raise DataError("no respondent rated this attribute", file=file, column=spec.own,
                            expected="at least some ratings (all are blank or 'don't know')")
    used = set(out)
    extra = list(dict.fromkeys(
        [c for c in sv.satisfaction_items if c != sv.overall]
        + [c for cols in (sv.constructs or {}).values() for c in cols]))
    role_cols = {sv.overall: "overall", sv.loyalty.recommend: "recommend",
                 sv.loyalty.repurchase: "repurchase"}
    role_cols.update({spec.own: k for k, spec in sv.attributes.items()})
    for col in extra:
        if col in role_cols or col in used:
            continue
        sc = (sv.item_scales or {}).get(col, sv.scale)
        out[col] = ratings(col, "survey.constructs/satisfaction_items", sc)
        scales[col] = (sc.min, sc.max)
    survey = pd.DataFrame(out, index=pd.RangeIndex(len(df)))
    # rows left out: no overall rating
    rows = np.flatnonzero(survey["overall"].isna().to_numpy())
    left_out = pd.DataFrame({
        "file": file,
        "row": rows + 2,
        "column": sv.overall,
        "reason": "no overall satisfaction rating",
    })
    survey = survey.drop(index=rows).reset_index(drop=True)
    if len(survey) == 0:
        raise DataError("no respondent gave an overall satisfaction rating", file=file,
                        column=sv.overall, expected="ratings in the overall satisfaction column")
    if sv.segment:
        seg_blank = survey["segment"].isna()
        if seg_blank.any():
            survey["segment"] = survey["segment"].fillna(NO_SEGMENT)
    return survey, attributes, scales, left_out, fpath.name


def _natural(x: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(x))]


# --- what a folder holds, in words (orient validate, the report's data section) ------------


def overview(company: Company) -> pd.DataFrame:
    """What the company folder holds: one row per fact.

    Returns
    -------
    DataFrame with columns ``item`` (plain-language name) and ``value`` (text), in the
    order ``orient validate`` prints them: respondents, waves, segments with counts,
    attributes, competitor, optional tables found, rows left out and why.
    """
    s = company.survey
    rows: list[tuple[str, str]] = [
        ("Company", company.name),
        ("Survey file", company.files["survey"]),
        ("Respondents used", f"{len(s):,}"),
        ("Rows left out", f"{len(company.left_out):,}"),
    ]
    if "weight" in s.columns:
        w = s["weight"].to_numpy()
        n_eff = w.sum() ** 2 / (w**2).sum()
        rows.append(("Weights", f"yes (Kish effective n {n_eff:,.0f})"))
    else:
        rows.append(("Weights", "no"))
    if "wave" in s.columns:
        counts = s["wave"].value_counts(sort=False)
        rows.append(("Waves", ", ".join(f"{k} (n={v:,})" for k, v in counts.items())))
    if "segment" in s.columns:
        counts = s["segment"].value_counts().sort_index()
        rows.append(("Segments", ", ".join(f"{k} (n={v:,})" for k, v in counts.items())))
    rows.append(("Attributes", f"{len(company.attributes)}: "
                 + ", ".join(a.label for a in company.attributes)))
    rated = sum(a.competitor_column is not None for a in company.attributes)
    rows.append(("Main competitor", f"{company.competitor or 'not named'} "
                 f"({rated} of {len(company.attributes)} attributes rated for it)"))
    for name, found in company.table_found().items():
        table = getattr(company, name)
        rows.append((f"Table: {name}", f"{company.files[name]} ({len(table):,} rows)" if found
                     else "not provided"))
    return pd.DataFrame(rows, columns=["item", "value"])


def left_out_summary(company: Company) -> pd.DataFrame:
    """Rows left out, counted by file and reason (columns file, reason, rows, first_row)."""
    lo = company.left_out
    if lo.empty:
        return pd.DataFrame(columns=["file", "reason", "rows", "first_row"])
    g = lo.groupby(["file", "reason"], sort=True)["row"]
    return g.agg(rows="size", first_row="min").reset_index()
