"""The company: :func:`load_company`, :func:`load_profile` and what a folder holds.

A company folder holds ``company.yaml`` and the data files it names (see DESIGN.md).
The profile is validated on load: an unknown key, a wrong type or a reversed scale is
a :class:`~orient.errors.DataError` naming the YAML key path.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ValidationError

from orient import _memo
from orient.data.analysable import check_analysable
from orient.data.conjoint import read_conjoint
from orient.data.profile import PROFILE_FILE, CompanyProfile
from orient.data.read import ReadInfo
from orient.data.survey import NO_SEGMENT, Attribute, read_survey
from orient.data.tables import TABLES, read_tables
from orient.errors import DataError, OrientWarning
from orient.stats import kish_n_eff

__all__ = [
    "NO_SEGMENT",
    "PROFILE_FILE",
    "Attribute",
    "Company",
    "CompanyProfile",
    "left_out_summary",
    "load_company",
    "load_profile",
    "overview",
    "slugify",
]


# --- loading the profile ------------------------------------------------------------


class _SafeLoader(yaml.SafeLoader):
    """Safe loading that also refuses duplicate keys (a silent overwrite otherwise)."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen[key] = True
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_SafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

if getattr(yaml, "__with_libyaml__", False):

    class _CSafeLoader(yaml.CSafeLoader):
        """:class:`_SafeLoader` parsing with LibYAML (the same constructors and
        resolver, so the same values), several times faster."""

    _CSafeLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
else:  # PyYAML built without LibYAML
    _CSafeLoader = None


def _load_yaml(text: str) -> Any:
    """``text`` read by :class:`_SafeLoader` (duplicate keys refused), through LibYAML
    when PyYAML has it. Whatever LibYAML refuses is read again by the pure-Python
    parser, which raises the error it always raised (its messages are the ones users
    see), or reads what LibYAML alone refuses."""
    if _CSafeLoader is not None:
        try:
            return yaml.load(text, Loader=_CSafeLoader)  # noqa: S506 - a CSafeLoader subclass
        except Exception:  # noqa: S110 - the pure-Python parser decides and explains
            pass
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader subclass


def _loc(loc: tuple) -> str:
    parts = []
    for p in loc:
        if isinstance(p, int):
            parts.append(f"[{p}]")
        else:
            parts.append(("." if parts else "") + str(p))
    return "".join(parts)


PROFILE_MAX_BYTES = 1024 * 1024  # a profile is a page of text; anything larger is not one


def load_profile(path: str | Path, settings: Mapping[str, Any] | None = None) -> CompanyProfile:
    """Read and validate ``company.yaml`` (a folder or the file itself).

    ``settings`` (dotted key -> value, as ``orient ... --set KEY=VALUE`` gives them) are
    applied to the file's keys before validation, so they are checked as the file is;
    without them, those :func:`orient.data.settings.use_settings` registered for the
    folder are applied.
    """
    from orient.data.settings import apply_settings, settings_for

    path = Path(path)
    if settings is None:
        settings = settings_for(path)
    file = path / PROFILE_FILE if path.is_dir() else path
    if not file.exists():
        raise DataError(
            "company profile not found",
            file=str(file),
            expected=f"a {PROFILE_FILE} in the company folder (orient new makes one)",
        )
    if not file.is_file() or file.stat().st_size > PROFILE_MAX_BYTES:
        raise DataError(
            "not a regular file" if not file.is_file() else "the profile is too large",
            file=str(file),
            expected=f"{PROFILE_FILE} as a text file under {PROFILE_MAX_BYTES // 1024} KB",
        )
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(
            "not UTF-8 text", file=PROFILE_FILE, expected="company.yaml saved as UTF-8"
        ) from None
    try:
        raw = _load_yaml(text)
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
    except RecursionError:
        raise DataError(
            "values are nested too deep to read",
            file=PROFILE_FILE,
            expected="a profile a few levels deep, as the template shows",
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataError(
            f"not valid YAML ({getattr(exc, 'problem', exc)})",
            file=PROFILE_FILE,
            row=mark.line + 1 if mark else None,
            expected="valid YAML (check indentation and colons)",
        ) from None
    if not isinstance(raw, dict):
        raise DataError(
            "the profile is not a mapping of keys",
            file=PROFILE_FILE,
            expected="keys such as name:, survey:",
        )
    raw = apply_settings(raw, settings)
    try:
        return CompanyProfile.model_validate(raw)
    except ValidationError as exc:
        err = _first_error(exc.errors())
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
        given = [k for k in settings or {} if key == k or key.startswith(k + ".")]
        if given:
            problem += f" (given by --set {given[-1]})"
        value = err.get("input") if err["type"] not in ("missing", "extra_forbidden") else None
        if isinstance(value, dict | list):
            value = None
        raise DataError(
            problem, file=PROFILE_FILE, column=key, value=value, expected=expected
        ) from None


def _first_error(errors: list) -> dict:
    """The error to report: for a ``str | Model`` key given as a mapping, the model's
    (not "should be a valid string"), with the union member's name left out of the path."""
    members = {"str", "TableRef", "JoinSpec", "list[JoinSpec]"}
    for err in errors:
        if err["type"] == "string_type" and err["loc"] and err["loc"][-1] == "str":
            continue
        return {**err, "loc": tuple(p for p in err["loc"] if p not in members)}
    return errors[0]


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


class Company:
    """A loaded company: its validated profile and typed tables.

    Attributes
    ----------
    path : Path of the company folder.
    profile : CompanyProfile, the validated company.yaml.
    survey : DataFrame or None (no ``survey:`` in company.yaml), one row per usable
        respondent, canonical column names
        (``respondent_id``, ``customer_id``, ``weight``, ``wave``, ``segment`` and each
        segment column under its own name (see :attr:`segment_variables`),
        ``overall``, ``recommend``, ``repurchase``, one column per attribute key and
        ``<key>_competitor``, then other rated items under their own names).
    attributes : list of Attribute.
    finance, calls, claims, quality, deals, contacts, stage_history : DataFrame or None
        when the file is absent.
    conjoint : DataFrame or None, the responses ``conjoint.file`` names
        (:func:`orient.data.conjoint.read_conjoint`), None when it names none.
    left_out : DataFrame (file, row, column, reason) of every row not used and why.
    read_info : file name -> :class:`~orient.data.read.ReadInfo`, how each file (or
        database source) was read: header layout, sheet, columns set aside, SPSS/Stata
        variable and value labels and what they gave the codebook.
    """

    def __init__(
        self,
        path: Path,
        profile: CompanyProfile,
        survey: pd.DataFrame | None,
        attributes: list[Attribute],
        scales: dict[str, tuple[float, float]],
        tables: dict[str, pd.DataFrame | None],
        left_out: pd.DataFrame,
        files: dict[str, str],
        read_info: dict[str, ReadInfo] | None = None,
        conjoint: pd.DataFrame | None = None,
    ):
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
        self.contacts = tables.get("contacts")
        self.stage_history = tables.get("stage_history")
        self.left_out = left_out
        self.files = files
        self.read_info: dict[str, ReadInfo] = dict(read_info or {})
        self.conjoint = conjoint
        #: the cautions (OrientWarning messages) raised while the folder was read
        self.load_warnings: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        """Every note on how the folder was read, one line each: how each file was read
        (``file: note``: header rows, a sheet, columns or rows set aside, what value labels
        gave the codebook, a blank competitor column), then the cautions reading raised
        (a suspicious value, named by file, column and row). ``orient validate`` lists
        them; the report's notes section shows them."""
        out = [f"{info.file}: {note}" for info in self.read_info.values() for note in info.notes()]
        return list(dict.fromkeys(out + list(self.load_warnings)))

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
    def has_survey(self) -> bool:
        """Whether company.yaml describes a survey (stages I-IV need one)."""
        return self.survey is not None

    def _survey_has(self, column: str) -> bool:
        return self.survey is not None and column in self.survey.columns

    @property
    def weights(self) -> pd.Series | None:
        return self.survey["weight"] if self._survey_has("weight") else None

    @property
    def attribute_keys(self) -> list[str]:
        return [a.key for a in self.attributes]

    @property
    def attribute_labels(self) -> dict[str, str]:
        return {a.key: a.label for a in self.attributes}

    @property
    def waves(self) -> list[str]:
        if not self._survey_has("wave"):
            return []
        return list(self.survey["wave"].cat.categories)

    @property
    def segments(self) -> list[str]:
        if not self._survey_has("segment"):
            return []
        return sorted(self.survey["segment"].dropna().unique().tolist())

    @property
    def segment_variables(self) -> list[str]:
        """The segment columns of company.yaml (``survey.segment``), the primary one first;
        each is a column of :attr:`survey` under its own name (the first also as
        ``segment``); empty without a survey."""
        return self.profile.survey.segments if self.profile.survey else []

    @property
    def satisfaction_items(self) -> list[str]:
        """Columns combined into the satisfaction index (``overall`` when none are named)."""
        spec = self.profile.survey
        if spec is None:
            return []
        items = [("overall" if c == spec.overall else c) for c in spec.satisfaction_items]
        return items or ["overall"]

    def scale(self, column: str) -> tuple[float, float]:
        """(min, max) of a rating column of :attr:`survey`."""
        try:
            return self._scales[column]
        except KeyError:
            raise ValueError(
                f"Column {column!r} is not a rating column of the survey; rating "
                f"columns are {', '.join(self._scales)}."
            ) from None

    def fingerprint(self) -> str:
        """A digest of everything the analyses read: profile, tables, attributes, scales.

        Computed afresh on every call, so it changes when a table is edited in place.
        Two loads of the same folder give the same fingerprint. Every value of every
        table (and its index) is digested (:func:`_digest_frame`: the bytes of numeric
        columns, the text of the others), about 0.4 s for a million respondents.
        """
        import hashlib

        digest = hashlib.sha256()  # (hardware-accelerated: 3x blake2b here)

        def add(text: str) -> None:
            digest.update(text.encode("utf-8"))
            digest.update(b"\x00")

        add(self.profile.model_dump_json())
        add(repr(self.attributes))
        add(repr(sorted(self._scales.items())))
        for name in ("survey", "left_out", "conjoint", *TABLES):
            frame = getattr(self, name, None)
            if frame is None:
                add(f"{name}: none")
                continue
            add(f"{name}: {list(map(str, frame.columns))} {list(map(str, frame.dtypes))}")
            _digest_frame(digest, frame)
        return digest.hexdigest()[:40]

    def table_found(self) -> dict[str, bool]:
        return {name: getattr(self, name) is not None for name in TABLES}

    def __repr__(self) -> str:
        n = len(self.survey) if self.survey is not None else None
        return (
            f"Company({self.name!r}, slug={self.slug!r}, respondents={n}, "
            f"attributes={len(self.attributes)})"
        )


def slugify(text: str) -> str:
    """A folder-safe slug: lower-case letters, digits, ``-`` and ``_``, at most 64.

    Examples
    --------
    >>> slugify("Harbour Mutual Insurance")
    'harbour-mutual-insurance'
    """
    s = re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_")
    return s[:64] or "company"


def load_company(path: str | Path, settings: Mapping[str, Any] | None = None) -> Company:
    """Load and validate a company folder.

    Parameters
    ----------
    path : folder holding ``company.yaml`` and the data files it names.
    settings : mapping, optional
        company.yaml keys by dotted path -> value, applied over the file before it is
        validated (``orient report DIR --set analysis.bootstrap=200``).

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

    Inside a report kernel (:mod:`orient._memo` on) the folder is read once: a second
    load with the same settings, while none of the folder's files has changed (names,
    sizes, modification times), is a copy of the first.
    """
    key = _load_key(path, settings) if _memo.enabled() else None
    if key is None:
        return _load_company(path, settings)
    return _memo.kept(key, lambda: _load_company(path, settings), stacklevel=3)


_KEY_FILES = 10_000  # a folder with more files than this is read on every load


def _load_key(path: str | Path, settings: Mapping[str, Any] | None) -> tuple | None:
    """What a load of ``path`` depends on: the folder, the settings applied and every
    file under it; None when that cannot be told (no folder, too many files)."""
    import json
    import os

    from orient.data.settings import settings_for

    folder = Path(path)
    if not folder.is_dir():
        return None
    folder = folder.resolve()
    applied = settings_for(folder) if settings is None else dict(settings)
    files = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            stat = os.stat(os.path.join(root, name))
            files.append(
                (os.path.relpath(os.path.join(root, name), folder), stat.st_size, stat.st_mtime_ns)
            )
            if len(files) > _KEY_FILES:
                return None
    return (
        "load_company",
        str(folder),
        json.dumps(applied, sort_keys=True, default=str),
        tuple(files),
    )


def _load_company(path: str | Path, settings: Mapping[str, Any] | None) -> Company:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OrientWarning)
        company = _load(Path(path), settings)
    messages = []
    for w in caught:  # OrientWarnings are kept on the company and raised again; others as they were
        if issubclass(w.category, OrientWarning) and str(w.message) not in messages:
            messages.append(str(w.message))
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    company.load_warnings = tuple(messages)
    return company


def _load(folder: Path, settings: Mapping[str, Any] | None = None) -> Company:
    if not folder.is_dir():
        raise DataError(
            "company folder not found", file=str(folder), expected="a folder holding company.yaml"
        )
    profile = load_profile(folder, settings)
    if profile.survey is not None:
        survey, attributes, scales, left_out, info = read_survey(folder, profile)
        columns = {"overall": profile.survey.overall}
        columns.update({k: spec.own for k, spec in profile.survey.attributes.items()})
        check_analysable(survey, columns, file=info.file, min_base=profile.reporting.min_base)
        files, read_info = {"survey": info.file}, {info.file: info}
    else:
        survey, attributes, scales, files, read_info = None, [], {}, {}, {}
        left_out = pd.DataFrame(columns=["file", "row", "column", "reason"])
    tables, table_files, table_infos = read_tables(folder, profile)
    if survey is None and not table_files:
        raise DataError(
            "nothing to report: no survey and no operational table",
            file=PROFILE_FILE,
            column="survey",
            expected="a survey: section, or one of "
            + ", ".join(f"{name}.csv" for name in TABLES)
            + " (or tables: naming them)",
        )
    files.update(table_files)
    for info in table_infos.values():
        key = info.file if info.file not in read_info else f"{info.file} (sheet {info.sheet})"
        read_info[key] = info  # one workbook may hold the survey and tables on its sheets
    conjoint, conjoint_file = read_conjoint(folder, profile.conjoint)
    if conjoint_file is not None:
        files["conjoint"] = conjoint_file
    return Company(
        folder,
        profile,
        survey,
        attributes,
        scales,
        tables,
        left_out,
        files,
        read_info,
        conjoint=conjoint,
    )


# --- what a folder holds, in words (orient validate, the report's data section) ------------


def overview(company: Company, language: str = "en") -> pd.DataFrame:
    """What the company folder holds: one row per fact, in ``language``.

    Returns
    -------
    DataFrame with columns ``item`` (plain-language name) and ``value`` (text), in the
    order ``orient validate`` prints them: respondents, waves, segments with counts,
    attributes, competitor, optional tables found, rows left out and why.
    """
    from orient.i18n import format_number, sentence

    def say(key: str, **values: Any) -> str:
        return sentence(f"overview.{key}", language, **values)

    def counts(series: pd.Series) -> str:
        return ", ".join(say("count", name=k, n=v) for k, v in series.items())

    rows: list[tuple[str, str]] = [(say("company"), company.name)]
    if company.survey is not None:
        rows += _survey_rows(company, say, counts, language)
    else:
        rows.append((say("survey_file"), say("not_provided")))
        rows.append((say("left_out"), format_number(len(company.left_out), language, 0)))
    for name, found in company.table_found().items():
        table = getattr(company, name)
        rows.append(
            (
                say("table", name=say(f"table_{name}")),
                say("table_rows", file=company.files[name], n=len(table))
                if found
                else say("not_provided"),
            )
        )
    return pd.DataFrame(rows, columns=["item", "value"])


def _survey_rows(company: Company, say, counts, language: str) -> list[tuple[str, str]]:
    from orient.i18n import format_number

    s = company.survey
    rows: list[tuple[str, str]] = [
        (say("survey_file"), company.files["survey"]),
        (say("respondents"), format_number(len(s), language, 0)),
        (say("left_out"), format_number(len(company.left_out), language, 0)),
    ]
    if "weight" in s.columns:
        rows.append((say("weights"), say("weights_yes", n_eff=kish_n_eff(s["weight"].to_numpy()))))
    else:
        rows.append((say("weights"), say("no")))
    if "wave" in s.columns:
        rows.append((say("waves"), counts(s["wave"].value_counts(sort=False))))
    variables = company.segment_variables
    if "segment" in s.columns:
        head = say("segments") + (f": {variables[0]}" if len(variables) > 1 else "")
        rows.append((head, counts(s["segment"].value_counts().sort_index())))
    for var in variables[1:]:
        rows.append((f"{say('segments')}: {var}", counts(s[var].value_counts().sort_index())))
    rows.append(
        (
            say("attributes"),
            say(
                "attributes_value",
                n=len(company.attributes),
                labels=", ".join(a.label for a in company.attributes),
            ),
        )
    )
    rated = sum(a.competitor_column is not None for a in company.attributes)
    if not rated and not company.competitor:  # no competitor at all: no competitor row
        return rows
    rows.append(
        (
            say("competitor"),
            say(
                "competitor_value",
                name=company.competitor or "",
                rated=rated,
                n=len(company.attributes),
            ),
        )
    )
    return rows


def left_out_summary(company: Company) -> pd.DataFrame:
    """Rows left out, counted by file and reason (columns file, reason, rows, first_row)."""
    lo = company.left_out
    if lo.empty:
        return pd.DataFrame(columns=["file", "reason", "rows", "first_row"])
    g = lo.groupby(["file", "reason"], sort=True)["row"]
    return g.agg(rows="size", first_row="min").reset_index()


def _digest_frame(digest: Any, frame: pd.DataFrame) -> None:
    """Feed every value of ``frame`` and of its index into ``digest`` (hashlib): each
    column's dtype, then the raw bytes of a numpy-typed column (numbers, booleans,
    dates), or a categorical's codes and categories, or the missing-value mask, the
    lengths and the text of any other column (strings; other objects by type and
    repr). The same values always give the same bytes; any changed value, missing
    value or type changes them (lengths keep the text unambiguous)."""
    for values in (
        pd.Series(frame.index, copy=False),
        *(frame.iloc[:, j] for j in range(frame.shape[1])),
    ):
        _digest_values(digest, values)


def _digest_values(digest: Any, series: pd.Series) -> None:
    dtype = series.dtype
    digest.update(f"\x00{dtype}\x00{len(series)}\x00".encode())
    if isinstance(dtype, np.dtype) and dtype.kind in "biufcmM":
        digest.update(np.ascontiguousarray(series.to_numpy()).view(np.uint8))
        return
    if isinstance(dtype, pd.CategoricalDtype):
        digest.update(np.ascontiguousarray(series.cat.codes.to_numpy()).view(np.uint8))
        _digest_values(digest, pd.Series(series.cat.categories))
        return
    if _digest_arrow_text(digest, series):
        return
    obj = series.to_numpy(dtype=object, na_value=None)
    missing = np.asarray(pd.isna(obj), dtype=bool)
    digest.update(np.packbits(missing).tobytes())
    texts = [v if type(v) is str else f"\x00{type(v).__name__}\x00{v!r}" for v in obj[~missing]]
    digest.update(np.fromiter(map(len, texts), np.int64, len(texts)).view(np.uint8))
    digest.update("".join(texts).encode("utf-8", "surrogatepass"))


def _digest_arrow_text(digest: Any, series: pd.Series) -> bool:
    """Digest a column of Arrow-backed text (pandas' string dtypes) from its buffers:
    each value's length (-1 when missing) and the bytes of the values. False when the
    column is not Arrow text (the caller digests it value by value)."""
    to_arrow = getattr(series.array, "__arrow_array__", None)
    if to_arrow is None:
        return False
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:  # (other extension arrays offer Arrow too, when it is there)
        return False
    chunked = to_arrow()
    if not (pa.types.is_string(chunked.type) or pa.types.is_large_string(chunked.type)):
        return False
    wide = pa.types.is_large_string(chunked.type)
    for arr in chunked.chunks:
        lengths = pc.binary_length(arr).fill_null(-1).to_numpy(zero_copy_only=False)
        digest.update(np.ascontiguousarray(lengths, dtype=np.int64).view(np.uint8))
        _, offsets, data = arr.buffers()
        if data is None or len(arr) == 0:
            continue
        at = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)
        first, last = int(at[arr.offset]), int(at[arr.offset + len(arr)])
        digest.update(memoryview(data)[first:last])
    return True
