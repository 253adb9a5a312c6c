"""The company profile schema: the pydantic models of ``company.yaml``.

Only ``name`` is required; the survey enables stages I-IV, each operational table
and the other optional parts a section of the report. Every model forbids unknown keys and is frozen; the
validators say what is wrong in words that :func:`orient.data.company.load_profile`
turns into a :class:`~orient.errors.DataError` naming the YAML key path.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator

from orient.data.profile_ops import (
    Characteristic,
    CRMSpec,
    QualitySpec,
    ServiceSpec,
)
from orient.data.sections import (
    ActionItem,
    ActionsSpec,
    ChoiceTask,
    ConjointSpec,
    Goal,
    InvestmentItem,
    InvestmentsSpec,
    Level,
    QFDSpec,
    SegmentSpec,
    TechnicalCharacteristic,
    _Model,
)
from orient.errors import DataError

__all__ = [
    "PROFILE_FILE",
    "ActionItem",
    "ActionsSpec",
    "BINARY_METHODS",
    "DRIVER_METHODS",
    "Analysis",
    "AttributeSpec",
    "CRMSpec",
    "Characteristic",
    "ChoiceTask",
    "CompanyProfile",
    "ConjointSpec",
    "Goal",
    "InvestmentItem",
    "InvestmentsSpec",
    "JoinSpec",
    "Level",
    "LoyaltySpec",
    "QFDSpec",
    "QualitySpec",
    "ReadOptions",
    "Reporting",
    "Scale",
    "SegmentSpec",
    "ServiceSpec",
    "SurveySpec",
    "TableRef",
    "Tables",
    "TechnicalCharacteristic",
    "check_file_in",
    "check_regular",
]

PROFILE_FILE = "company.yaml"
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

#: the driver-importance methods stage III knows (``orient.priorities.METHODS``; a test
#: checks the two agree - the data layer does not import the stages)
DRIVER_METHODS = ("shapley", "relative_weights", "beta", "correlation", "kruskal")
#: the methods computed from every subset model, and their driver limits for a continuous
#: and a two-point overall (``orient.priorities.MAX_EXACT_DRIVERS``, ``..._BINARY``). A
#: two-point overall's logistic model, and an ordinal overall's ordered-logit model, are
#: never refused above their limit (the values are then estimated from sampled
#: orderings); the linear probability model has the continuous limit.
EXACT_METHODS = ("shapley", "kruskal")
EXACT_LIMITS = {"continuous": 22, "binary": 15}
#: how a two-point overall is modelled (``orient.priorities.BINARY_METHODS``)
BINARY_METHODS = ("logit", "lpm")
#: how an overall with more answers is modelled (``orient.priorities.ORDINAL_METHODS``)
ORDINAL_METHODS = ("linear", "ordered_logit")


class Scale(_Model):
    """The ends of a rating scale, and optionally the labels an export writes instead of numbers."""

    min: float = 1
    max: float = 5
    labels: dict[str, float] | None = None

    @model_validator(mode="after")
    def _ends(self):
        if not self.min < self.max:
            raise ValueError(
                f"scale ends are reversed or equal (min {self.min}, max {self.max}); "
                "expected min < max"
            )
        if self.labels:
            for label, value in self.labels.items():
                if not self.min <= value <= self.max:
                    raise ValueError(
                        f"label {label!r} maps to {value}, outside the scale {self.min}..{self.max}"
                    )
        return self


class ReadOptions(_Model):
    """How to read a file (when detection is not wanted) or a database source."""

    encoding: str | None = None
    sep: str | None = None
    decimal: Literal[".", ","] | None = None
    date_order: Literal["DMY", "MDY"] | None = Field(
        default=None,
        description="how the table's dates that are not ISO are written: DMY (31/03/2026, "
        "31.03.2026) or MDY (03/31/2026); ISO dates are read either way",
    )
    sheet: str | int | None = None
    header_rows: int | None = Field(default=None, ge=1, description="rows above the data")
    names_row: int | None = Field(default=None, ge=1, description="the header row naming columns")
    table: str | None = Field(default=None, description="database table (file is a URL)")
    query: str | None = Field(default=None, description="database query (file is a URL)")
    url_env: str | None = Field(default=None, description="env variable holding the database URL")
    max_mb: float | None = Field(default=None, gt=0, description="file size limit in MB")

    @model_validator(mode="after")
    def _read(self):
        if self.names_row is not None and self.names_row > (self.header_rows or 1):
            raise ValueError(
                f"names_row {self.names_row} is below the header (header_rows "
                f"{self.header_rows or 1}); expected a row from 1 to header_rows"
            )
        if self.table and self.query:
            raise ValueError("give read.table or read.query, not both")
        if self.url_env is not None and not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", self.url_env):
            raise ValueError(f"url_env {self.url_env!r} is not an environment variable name")
        return self


class AttributeSpec(_Model):
    """One product or service benefit rated in the survey."""

    #: the label in the report; without it, the column's SPSS/Stata variable label or the
    #: survey tool's question text (an error when the file has neither)
    label: str | None = None
    own: str = Field(description="column with the rating of the company itself")
    competitor: str | None = Field(default=None, description="column rating the main competitor")
    reverse: bool = False
    scale: Scale | None = None
    #: technical label for QFD or owner hints; free text
    description: str | None = None


class LoyaltySpec(_Model):
    recommend: str | None = Field(default=None, description="likelihood to recommend, 0-10")
    recommend_scale: Scale | None = Field(
        default=None, description="its scale when not 0-10 (then no NPS: mean and top-2-box)"
    )
    repurchase: str | None = Field(default=None, description="intention to buy again")
    repurchase_scale: Scale | None = None


class SurveySpec(_Model):
    """The survey codebook."""

    @model_validator(mode="after")
    def _no_date_order(self):
        if self.read.date_order is not None:
            raise ValueError(
                "read.date_order applies to the tables with dates (complaints, calls, "
                "deals, ...); the survey has no date columns"
            )
        return self

    file: str = "survey.csv"
    read: ReadOptions = ReadOptions()
    id: str | None = Field(
        default="respondent_id",
        description="respondent id column; null: the export has none, respondents are "
        "numbered by their row in the file",
    )
    customer_id: str | None = None
    weight: str | None = None
    wave: str | None = None
    waves: list[str] | None = Field(default=None, description="wave order, oldest first")
    segment: str | list[str] | None = Field(
        default=None, description="segment column, or several (the first is the primary one)"
    )
    scale: Scale = Scale()
    overall: str
    overall_scale: Scale | None = None
    satisfaction_items: list[str] = Field(default_factory=list)
    loyalty: LoyaltySpec = LoyaltySpec()
    attributes: dict[str, AttributeSpec]
    constructs: dict[str, list[str]] | None = Field(
        default=None,
        description="multi-item constructs: name -> columns; with paths a PLS path model, "
        "without them their reliability only (alpha, composite reliability, AVE)",
    )
    paths: list[tuple[str, str]] | None = None
    item_scales: dict[str, Scale] | None = None
    #: answers that mean "no rating" in EVERY rating column (the overall item included)
    missing_codes: list[str | float] = Field(default_factory=list)
    #: ... in every attribute column (own and competitor) only, e.g. [0] = "not applicable"
    attribute_missing_codes: list[str | float] = Field(default_factory=list)
    #: ... in the named columns of the survey file only: column -> codes
    item_missing_codes: dict[str, list[str | float]] | None = None

    @field_validator("attributes")
    @classmethod
    def _keys(cls, v):
        if len(v) < 1:
            raise ValueError("at least one attribute is needed")
        for key in v:
            if not _KEY.match(key):
                raise ValueError(
                    f"attribute key {key!r} must start with a letter and hold only "
                    "letters, digits and underscores"
                )
            if key.endswith("_competitor"):
                raise ValueError(f"attribute key {key!r} may not end in '_competitor'")
        return v

    @field_validator("segment")
    @classmethod
    def _segments(cls, v):
        if isinstance(v, list):
            if not v:
                raise ValueError("segment is an empty list; expected a column or a list of them")
            twice = sorted({c for c in v if v.count(c) > 1})
            if twice:
                raise ValueError(f"segment lists {', '.join(map(repr, twice))} twice")
        return v

    @property
    def segments(self) -> list[str]:
        """The segment columns, the primary one first (empty without ``segment``)."""
        if self.segment is None:
            return []
        return [self.segment] if isinstance(self.segment, str) else list(self.segment)

    def roles(self) -> list[tuple[str, str]]:
        """(key, column) of every column given one role in the codebook, in codebook order."""
        out = [("survey.id", self.id)] if self.id else []
        for key in ("customer_id", "weight", "wave"):
            if getattr(self, key):
                out.append((f"survey.{key}", getattr(self, key)))
        out += [(f"survey.segment[{i}]", c) for i, c in enumerate(self.segments)]
        out.append(("survey.overall", self.overall))
        for key in ("recommend", "repurchase"):
            if getattr(self.loyalty, key):
                out.append((f"survey.loyalty.{key}", getattr(self.loyalty, key)))
        for key, spec in self.attributes.items():
            out.append((f"survey.attributes.{key}.own", spec.own))
            if spec.competitor:
                out.append((f"survey.attributes.{key}.competitor", spec.competitor))
        return out

    def rating_columns(self) -> list[str]:
        """The survey file's columns read as ratings."""
        cols = [c for k, c in self.roles() if k.startswith(("survey.overall", "survey.loy"))]
        cols += [c for k, c in self.roles() if k.startswith("survey.attributes.")]
        cols += list(self.satisfaction_items)
        cols += [c for group in (self.constructs or {}).values() for c in group]
        return list(dict.fromkeys(cols))

    @model_validator(mode="after")
    def _consistent(self):
        seen: dict[str, str] = {}
        for key, col in self.roles():
            if col in seen:
                raise ValueError(
                    f"column {col!r} is used twice, by {seen[col]} and by {key}; "
                    "expected each column in one role"
                )
            seen[col] = key
        for i, col in enumerate(self.satisfaction_items):
            role = seen.get(col, "survey.overall")
            if role != "survey.overall":
                raise ValueError(
                    f"survey.satisfaction_items[{i}] is {col!r}, the {role} column; "
                    "expected the overall item or columns with no other role"
                )
        # constructs without paths: their reliability only (stage II says paths are needed)
        if self.paths and not self.constructs:
            raise ValueError("survey.paths is given without survey.constructs; expected both")
        for i, (a, b) in enumerate(self.paths or []):
            for name in (a, b):
                if name not in self.constructs:
                    raise ValueError(
                        f"survey.paths[{i}] names {name!r}, which is not in survey.constructs "
                        f"({', '.join(self.constructs)})"
                    )
        rated = self.rating_columns()
        for col in self.item_missing_codes or {}:
            if col not in rated:
                raise ValueError(
                    f"survey.item_missing_codes names {col!r}, which is not a rating column "
                    f"of the codebook; expected one of {', '.join(rated)}"
                )
        return self

    def missing_codes_of(self, column: str, attribute: bool = False) -> tuple:
        """The codes that mean "no rating" in ``column``: the global ``missing_codes``,
        ``attribute_missing_codes`` for an attribute column and ``item_missing_codes``."""
        codes = list(self.missing_codes)
        if attribute:
            codes += self.attribute_missing_codes
        codes += (self.item_missing_codes or {}).get(column, [])
        return tuple(dict.fromkeys(codes))


class Analysis(_Model):
    """Settings of the analyses (stage III): unset keys keep the library defaults."""

    driver_method: str | None = None
    binary_method: str | None = Field(
        default=None,
        description="a two-point overall: logit (McFadden's R² of the logistic model, the "
        "default) or lpm (R² of the linear probability model)",
    )
    ordinal_method: str | None = Field(
        default=None,
        description="an overall with 3-7 ordered answers: linear (R² of least squares, the "
        "default) or ordered_logit (McFadden's R² of the cumulative-logit model)",
    )
    bootstrap: int | None = Field(default=None, ge=0, description="bootstrap resamples (0: none)")
    seed: int | None = Field(default=None, ge=0)

    @field_validator("binary_method")
    @classmethod
    def _binary(cls, v):
        if v is not None and v not in BINARY_METHODS:
            raise ValueError(
                f"unknown binary method {v!r}; expected one of {', '.join(BINARY_METHODS)}"
            )
        return v

    @field_validator("ordinal_method")
    @classmethod
    def _ordinal(cls, v):
        if v is not None and v not in ORDINAL_METHODS:
            raise ValueError(
                f"unknown ordinal method {v!r}; expected one of {', '.join(ORDINAL_METHODS)}"
            )
        return v

    @field_validator("driver_method")
    @classmethod
    def _method(cls, v):
        if v is not None and v not in DRIVER_METHODS:
            raise ValueError(
                f"unknown driver method {v!r}; expected one of {', '.join(DRIVER_METHODS)}"
            )
        return v

    def priorities_options(self) -> dict:
        """The keyword arguments of ``orient.priorities.analyse`` these settings give."""
        given = {
            "method": self.driver_method,
            "binary": self.binary_method,
            "ordinal": self.ordinal_method,
            "n_boot": self.bootstrap,
            "seed": self.seed,
        }
        return {k: v for k, v in given.items() if v is not None}


class Reporting(_Model):
    min_base: int = Field(default=30, ge=1)
    confidence: float = Field(default=0.95, gt=0, lt=1)
    #: seconds one notebook cell may run for this company (None: the command's --timeout)
    timeout_s: float | None = Field(default=None, gt=0, allow_inf_nan=False, strict=True)

    @field_validator("timeout_s", mode="before")
    @classmethod
    def _timeout_number(cls, v):
        if isinstance(v, int) and not isinstance(v, bool):
            return float(v)  # strict: an int is a number of seconds, a bool or text is not
        return v


class JoinSpec(_Model):
    """A lookup table joined to an operational table by a key column (a price list by
    product, account attributes by account): its columns are added to every row."""

    file: str
    on: str = Field(description="the key column, named as in both exports")
    read: ReadOptions = ReadOptions()

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, data):
        # YAML 1.1 reads a bare `on:` key as the boolean true
        if isinstance(data, dict) and True in data and "on" not in data:
            data = {("on" if k is True else k): v for k, v in data.items()}
        return data


class TableRef(_Model):
    """An operational table: its file, how to read it and, for a client's own export,
    which of its columns holds each of orient's (``columns: {orient name: export column}``)."""

    file: str | None = Field(default=None, description="file name or database URL")
    read: ReadOptions = ReadOptions()
    columns: dict[str, str] | None = Field(
        default=None, description="orient's column name -> the export's column name"
    )
    join: JoinSpec | list[JoinSpec] | None = Field(
        default=None, description="lookup tables joined by key before the columns are mapped"
    )

    @field_validator("columns")
    @classmethod
    def _one_to_one(cls, v):
        if not v:
            return v
        seen: dict[str, str] = {}
        for ours, theirs in v.items():
            if theirs in seen:
                raise ValueError(
                    f"the export's column {theirs!r} is mapped twice ({seen[theirs]} and {ours}); "
                    "expected each export column once"
                )
            seen[theirs] = ours
        return v

    @model_validator(mode="after")
    def _source(self):
        if self.file is None and not self.read.url_env:
            raise ValueError("a table needs file (a file name or database URL) or read.url_env")
        if self.file is not None and self.read.url_env:
            raise ValueError("give file or read.url_env, not both")
        return self


class Tables(_Model):
    """Optional tables; each defaults to ``<name>.csv`` and is used when the file exists."""

    finance: str | TableRef | None = None
    calls: str | TableRef | None = None
    claims: str | TableRef | None = None
    quality: str | TableRef | None = None
    deals: str | TableRef | None = None
    contacts: str | TableRef | None = None
    stage_history: str | TableRef | None = None


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
    survey: SurveySpec | None = None
    reporting: Reporting = Reporting()
    analysis: Analysis = Analysis()
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
                    raise ValueError(
                        f"goals.{key}.attributes[{i}] names {a!r}, which is not "
                        "an attribute; expected one of " + ", ".join(survey.attributes)
                    )
        return v

    @model_validator(mode="after")
    def _drivers_fit(self):
        """Stage III's exact methods have a driver limit: refused here, not at report time."""
        sv = self.survey
        if sv is None:
            return self
        method = self.analysis.driver_method or "shapley"
        osc = sv.overall_scale or sv.scale
        outcome = "binary" if osc.max - osc.min <= 1 else "continuous"
        if outcome == "binary" and (self.analysis.binary_method or "logit") == "logit":
            return self  # above the exact limit: sampled orderings, not refused
        if outcome == "continuous" and self.analysis.ordinal_method == "ordered_logit":
            if method not in EXACT_METHODS:
                raise ValueError(
                    "analysis.ordinal_method: ordered_logit decomposes McFadden's R² by "
                    f"shapley or kruskal; got driver_method {method!r}. Expected "
                    "analysis: {driver_method: shapley}, or {ordinal_method: linear}"
                )
            return self  # above the exact limit: sampled orderings, not refused
        limit = EXACT_LIMITS["continuous"]
        if method in EXACT_METHODS and len(sv.attributes) > limit:
            raise ValueError(
                f"the driver method {method!r} (analysis.driver_method) is computed from every "
                f"subset of the attributes for at most {limit} attributes; "
                f"survey.attributes has {len(sv.attributes)}. Expected analysis: "
                "{driver_method: relative_weights} (close to Shapley, any number), or fewer "
                "attributes"
            )
        return self

    # --- end stage I sections ---
    # --- stage IV sections ---
    qfd: QFDSpec | None = None
    actions: ActionsSpec | None = None
    conjoint: ConjointSpec | None = None
    investments: InvestmentsSpec | None = None

    @model_validator(mode="after")
    def _stage4_keys(self):
        attributes = self.survey.attributes if self.survey is not None else {}
        keys = set(attributes)
        shown = ", ".join(attributes) or "none: there is no survey"
        for req in self.qfd.relationships if self.qfd else {}:
            if req not in keys:
                raise ValueError(
                    f"qfd.relationships names requirement {req!r}, which is not "
                    f"a survey attribute ({shown})"
                )
        for attr in self.actions.items if self.actions else {}:
            if attr not in keys:
                raise ValueError(
                    f"actions.items names attribute {attr!r}, which is not a "
                    f"survey attribute ({shown})"
                )
        for item in self.investments.items if self.investments else []:
            if item.attribute is not None and item.attribute not in keys:
                raise ValueError(
                    f"investment {item.name!r} names attribute "
                    f"{item.attribute!r}, which is not a survey attribute ({shown})"
                )
        return self

    # --- end stage IV sections ---

    @field_validator("slug")
    @classmethod
    def _slug(cls, v):
        if v is not None and not _SLUG.match(v):
            raise ValueError(
                f"slug {v!r} must be lower-case letters, digits, '-' or '_' "
                "(at most 64), starting with a letter or digit"
            )
        return v


#: the default size limit of a data file in MB (``read: {max_mb: N}`` raises it per file)
MAX_FILE_MB = 2048


def check_file_in(folder: Path, name: str, key: str, max_mb: float | None = None) -> Path:
    """The path of a data file named in company.yaml (under ``key``), inside ``folder``.

    Only a regular file inside the folder is read: a symlink (or a path) that resolves
    outside it, a FIFO, a device or a folder is a DataError, and so is a file larger
    than ``max_mb`` (default :data:`MAX_FILE_MB`). Nothing of the file is read here, so
    no error echoes its contents. A missing file is returned for the caller to report.
    """
    p = Path(name)
    if p.is_absolute() or ".." in p.parts:
        raise DataError(
            "data files must lie inside the company folder",
            file=PROFILE_FILE,
            column=key,
            value=name,
            expected="a file name relative to the folder",
        )
    path = folder / p
    if not (path.exists() or path.is_symlink()):
        return path
    try:
        inside = path.resolve(strict=True).is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a dangling or looping symlink
        inside = False
    if not inside:
        raise DataError(
            "the file is a link to somewhere outside the company folder (not read)",
            file=PROFILE_FILE,
            column=key,
            value=name,
            expected="a regular file inside the company folder (copy the data in)",
        )
    check_regular(path, name, key, max_mb)
    return path


def check_regular(path: Path, name: str, key: str | None = None, max_mb: float | None = None):
    """A DataError unless ``path`` is a regular file of at most ``max_mb`` MB."""
    import stat

    st = path.stat()
    where = {"file": PROFILE_FILE, "column": key} if key else {"file": name}
    if not stat.S_ISREG(st.st_mode):
        kind = (
            "a folder"
            if stat.S_ISDIR(st.st_mode)
            else "a FIFO (named pipe)"
            if stat.S_ISFIFO(st.st_mode)
            else "a device"
            if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
            else "a socket or other special file"
        )
        raise DataError(
            f"not a regular file but {kind} (not read)",
            value=name if key else None,
            expected="a regular data file",
            **where,
        )
    limit = MAX_FILE_MB if max_mb is None else max_mb
    if st.st_size > limit * 1024 * 1024:
        raise DataError(
            f"the file is {st.st_size / 1024 / 1024:,.0f} MB, over the limit of {limit:g} MB "
            "(not read)",
            value=name if key else None,
            expected=f"a smaller file, or read: {{max_mb: N}} under {key or 'this file'} "
            "in company.yaml to raise the limit",
            **where,
        )
