"""Readers for survey exports and operational tables, with validation.

Exports come as real tools write them: UTF-8 (with or without BOM) or Windows-1251,
comma, semicolon or tab separated, decimal point or comma, or XLSX. Ratings may be
numbers or text labels; "don't know", "N/A" and blanks become missing. Every problem
is a :class:`~orient.errors.DataError` naming the file, the column, the first
offending row as a spreadsheet counts it (header = row 1) and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError

__all__ = [
    "MISSING_TOKENS",
    "BUILTIN_LABELS",
    "ReadInfo",
    "TableSpec",
    "TABLES",
    "read_table",
    "to_ratings",
    "clean_text",
    "normalise_label",
    "read_operational_table",
]

#: text that means "no answer" in a rating column (compared after normalise_label)
MISSING_TOKENS = frozenset(
    {
        "",
        "-",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "none",
        "null",
        "dk",
        "don't know",
        "dont know",
        "do not know",
        "not applicable",
        "no answer",
        "prefer not to say",
        "refused",
        "не знаю",
        "затрудняюсь ответить",
        "затрудняюсь",
        "нет ответа",
        "не применимо",
        "н/д",
    }
)

#: built-in 5-point label maps (agreement and satisfaction, English and Russian)
BUILTIN_LABELS: dict[str, int] = {
    # agreement, English
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
    # satisfaction, English
    "very dissatisfied": 1,
    "dissatisfied": 2,
    "neither satisfied nor dissatisfied": 3,
    "satisfied": 4,
    "very satisfied": 5,
    # quality, English
    "very poor": 1,
    "poor": 2,
    "fair": 3,
    "good": 4,
    "very good": 5,
    "excellent": 5,
    # agreement, Russian
    "полностью не согласен": 1,
    "совершенно не согласен": 1,
    "не согласен": 2,
    "скорее не согласен": 2,
    "ни да, ни нет": 3,
    "и да, и нет": 3,
    "нейтрально": 3,
    "скорее согласен": 4,
    "согласен": 4,
    "полностью согласен": 5,
    "совершенно согласен": 5,
    # satisfaction, Russian
    "совершенно не удовлетворен": 1,
    "полностью не удовлетворен": 1,
    "очень недоволен": 1,
    "не удовлетворен": 2,
    "скорее не удовлетворен": 2,
    "недоволен": 2,
    "нейтрален": 3,
    "скорее удовлетворен": 4,
    "удовлетворен": 4,
    "доволен": 4,
    "полностью удовлетворен": 5,
    "очень доволен": 5,
    # quality, Russian
    "очень плохо": 1,
    "плохо": 2,
    "удовлетворительно": 3,
    "хорошо": 4,
    "отлично": 5,
}

_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Lower-case, trim, fold whitespace, ``ё`` -> ``е``, curly -> straight quotes."""
    t = str(text).strip().lower().replace("ё", "е").replace("\u2019", "'").replace("\u00a0", " ")
    return _SPACES.sub(" ", t)


@dataclass(frozen=True)
class ReadInfo:
    """How a file was read: the detected (or given) encoding, separator and decimal mark."""

    file: str
    encoding: str
    sep: str
    decimal: str
    n_rows: int


def _detect_encoding(raw: bytes, file: str, encoding: str | None) -> str:
    if encoding is not None:
        try:
            raw.decode(encoding)
        except LookupError:
            raise DataError("unknown text encoding", file=file, column="read.encoding",
                            value=encoding, expected="utf-8 or cp1251") from None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError(
                f"the file is not valid {encoding} text (byte 0x{raw[exc.start]:02x})",
                file=file, row=line,
                expected="the encoding named in company.yaml, or leave read.encoding out to detect it",
            ) from None
        return encoding
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("cp1251")
        return "cp1251"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            "the file is neither UTF-8 nor Windows-1251 text", file=file, row=line,
            expected="a CSV exported as UTF-8 or Windows-1251",
        ) from None


def _detect_sep(header: str) -> str:
    counts = {s: 0 for s in (";", ",", "\t", "|")}
    in_quote = False
    for ch in header:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch in counts:
            counts[ch] += 1
    sep = max(counts, key=counts.get)
    return sep if counts[sep] > 0 else ","


_DEC_COMMA = re.compile(r"(?:^|[;\t|])\s*\"?-?\d+,\d+\"?\s*(?=[;\t|]|$)", re.M)


def _detect_decimal(sample: str, sep: str) -> str:
    if sep == ",":
        return "."
    return "," if _DEC_COMMA.search(sample) else "."


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    dtype: dict | None = None,
) -> tuple[pd.DataFrame, ReadInfo]:
    """Read a CSV or XLSX export into a DataFrame, detecting how it was written.

    Parameters
    ----------
    path : path to a ``.csv`` (or ``.txt``) or ``.xlsx`` file.
    encoding, sep, decimal : override detection (``utf-8``/``cp1251``; ``,``/``;``/tab;
        ``.``/``,``).
    sheet : the XLSX sheet (name or 0-based position); the first by default.
    dtype : passed to pandas for columns that must stay text (ids).

    Returns
    -------
    (DataFrame, ReadInfo)
        One row per data row; completely empty lines are kept as all-missing rows so
        that row ``i`` of the frame is spreadsheet row ``i + 2``.
    """
    path = Path(path)
    file = path.name
    if not path.exists():
        raise DataError("file not found", file=str(path), expected="an existing file")
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        try:
            df = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0,
                               engine="openpyxl", dtype=dtype)
        except ValueError as exc:
            raise DataError(f"could not read the workbook: {exc}", file=file) from None
        except Exception as exc:  # zip/openpyxl errors on a broken workbook
            raise DataError(f"not a readable XLSX workbook ({type(exc).__name__})", file=file,
                            expected="an Excel .xlsx file") from None
        if df.columns.size == 0:
            raise DataError("the sheet is empty", file=file, expected="a header row and data rows")
        if len(df) == 0:
            raise DataError("the sheet has a header but no data rows", file=file, row=2,
                            expected="at least one data row")
        df.columns = [str(c).strip() for c in df.columns]
        return df, ReadInfo(file, "xlsx", "", ".", len(df))

    raw = path.read_bytes()
    if not raw.strip():
        raise DataError("the file is empty", file=file, expected="a header row and data rows")
    enc = _detect_encoding(raw, file, encoding)
    head = raw[:65536].decode(enc, errors="replace")
    header = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    sep = sep or _detect_sep(header)
    decimal = decimal or _detect_decimal(head, sep)
    try:
        df = pd.read_csv(
            path,
            encoding=enc,
            sep=sep,
            decimal=decimal,
            skip_blank_lines=False,
            dtype=dtype,
            skipinitialspace=True,
            low_memory=False,
        )
    except pd.errors.EmptyDataError:
        raise DataError("the file is empty", file=file,
                        expected="a header row and data rows") from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DataError(
            f"the rows do not line up with the header ({exc})", file=file,
            row=int(m.group(1)) if m else None,
            expected=f"the same number of {sep!r}-separated fields on every row",
        ) from None
    if not isinstance(df.index, pd.RangeIndex):  # more fields than header names on every row
        raise DataError(
            "the rows do not line up with the header (more fields than column names)",
            file=file, row=2, expected=f"the same number of {sep!r}-separated fields on every row",
        )
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    # trailing blank lines are not data
    if len(df):
        nonblank = df.notna().any(axis=1).to_numpy()
        last = len(nonblank) - int(np.argmax(nonblank[::-1])) if nonblank.any() else 0
        df = df.iloc[:last]
    if len(df) == 0:
        raise DataError("the file has a header but no data rows", file=file, row=2,
                        expected="at least one data row")
    dupes = pd.Index(df.columns)[pd.Index(df.columns).duplicated()]
    if len(dupes):
        raise DataError("the header names a column twice", file=file, column=str(dupes[0]),
                        expected="unique column names")
    unnamed = [c for c in df.columns if c.startswith("Unnamed:")]
    if unnamed:
        pos = list(df.columns).index(unnamed[0]) + 1
        raise DataError(f"column {pos} has no name in the header", file=file, row=1,
                        expected="a name for every column")
    return df, ReadInfo(file, enc, sep, decimal, len(df))


def to_ratings(
    values: pd.Series,
    *,
    file: str,
    column: str,
    scale_min: float,
    scale_max: float,
    labels: dict[str, float] | None = None,
    missing_codes: tuple = (),
    decimal: str = ".",
    reverse: bool = False,
    builtin_labels: bool = True,
) -> pd.Series:
    """Convert one column of an export to numeric ratings on ``[scale_min, scale_max]``.

    Numbers are kept; text is mapped through ``labels`` (the codebook), then the
    built-in 5-point maps (when the scale is 1-5); "don't know"-style answers, blanks
    and ``missing_codes`` become NaN. A value that is none of these, or a number outside
    the scale, is a :class:`DataError`. Reverse-coded items are flipped
    (``min + max - x``) after the check.

    Returns
    -------
    pandas.Series of float64 (NaN for missing), same index as ``values``.
    """
    expected = f"a number from {_fmt(scale_min)} to {_fmt(scale_max)}"
    if labels:
        expected += " or a label in the codebook"
    s = values
    if pd.api.types.is_bool_dtype(s):
        raise DataError("a rating column holds true/false values", file=file, column=column,
                        row=2, value=s.iloc[0], expected=expected)
    codes_missing = [float(c) for c in missing_codes if _is_number(c)]
    if pd.api.types.is_numeric_dtype(s):
        out = s.astype("float64")
        if codes_missing:
            out = out.mask(out.isin(codes_missing))
    else:
        # map each distinct answer once (a rating column has a handful), then spread back
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        mapping: dict[str, float] = {}
        if builtin_labels and scale_min == 1 and scale_max == 5:
            mapping.update(BUILTIN_LABELS)
        if labels:
            mapping.update({normalise_label(k): float(v) for k, v in labels.items()})
        text_missing = {normalise_label(str(c)) for c in missing_codes}
        u_val = np.full(len(uniques), np.nan)
        u_bad = np.zeros(len(uniques), dtype=bool)
        for i, u in enumerate(np.asarray(uniques, dtype=object)):
            if isinstance(u, (int, float, np.integer, np.floating)) and not isinstance(u, bool):
                u_val[i] = np.nan if float(u) in codes_missing else float(u)
                continue
            norm = normalise_label(u)
            if norm in MISSING_TOKENS or norm in text_missing:
                continue
            if norm in mapping:
                u_val[i] = mapping[norm]
                continue
            try:
                num = float(norm.replace(",", ".") if decimal == "," else norm)
            except ValueError:
                u_bad[i] = True
                continue
            u_val[i] = np.nan if num in codes_missing else num
        if u_bad.any():
            rows = np.flatnonzero((codes >= 0) & u_bad[np.maximum(codes, 0)])
            i = int(rows[0])
            raise DataError(
                "text that is not a rating", file=file, column=column, row=i + 2,
                value=str(s.iloc[i]),
                expected=expected + (" or a built-in 5-point label" if scale_min == 1 and scale_max == 5 else "")
                + ' ("don\'t know", "N/A" and blanks count as missing)',
            )
        out = pd.Series(np.where(codes >= 0, u_val[np.maximum(codes, 0)], np.nan),
                        index=s.index, dtype="float64")
    arr = out.to_numpy()
    outside = ~np.isnan(arr) & ((arr < scale_min) | (arr > scale_max))
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise DataError(
            "rating outside the scale", file=file, column=column, row=i + 2,
            value=values.iloc[i], expected=expected + " (the scale ends in company.yaml)",
        )
    if reverse:
        out = scale_min + scale_max - out
    return out


def clean_text(values: pd.Series) -> pd.Series:
    """Text with surrounding blanks trimmed, blanks as missing; each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([_text(u) for u in np.asarray(uniques, dtype=object)] + [None],
                       dtype=object)
    return pd.Series(cleaned[codes], index=values.index, dtype="string")


def _text(u) -> str | None:
    if isinstance(u, (float, np.floating)) and float(u).is_integer():
        u = int(u)
    t = str(u).strip()
    return t or None


def _is_number(x) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# --- operational tables -----------------------------------------------------------


@dataclass(frozen=True)
class TableSpec:
    """The columns an optional table must (and may) have, with their kinds.

    kinds: ``text``, ``number``, ``count`` (whole number >= 0), ``amount`` (number >= 0),
    ``date`` (ISO date or date-time), ``flag`` (0/1, yes/no, true/false).
    """

    name: str
    required: dict[str, str]
    optional: dict[str, str]
    description: str
    one_of: tuple[tuple[str, ...], ...] = ()


TABLES: dict[str, TableSpec] = {
    "finance": TableSpec(
        "finance",
        {"customer_id": "text", "revenue": "number", "cost": "number", "retained": "flag"},
        {"segment": "text", "year": "count"},
        "per-customer revenue, cost and whether the customer was retained",
    ),
    "calls": TableSpec(
        "calls",
        {"interval_start": "date", "offered": "count", "answered": "count",
         "answered_in_target": "count", "abandoned": "count", "aht_s": "amount"},
        {"agents": "amount", "queue": "text"},
        "call-centre volumes per interval (offered, answered, answered within target, "
        "average handle time, abandoned)",
    ),
    "claims": TableSpec(
        "claims",
        {"claim_id": "text", "received": "date", "category": "text",
         "amount_claimed": "amount"},
        {"customer_id": "text", "resolved": "date", "amount_settled": "amount",
         "status": "text"},
        "complaints and claims (received, resolved, category, amounts claimed and settled)",
    ),
    "quality": TableSpec(
        "quality",
        {"subgroup": "count"},
        {"characteristic": "text", "value": "number", "inspected": "count",
         "defective": "count", "defects": "count", "phase": "text"},
        "inspection measurements or defect counts by subgroup",
        one_of=(("value",), ("inspected", "defective"), ("defects",)),
    ),
    "deals": TableSpec(
        "deals",
        {"deal_id": "text", "manager": "text", "client": "text", "stage": "text",
         "created": "date", "outcome": "text", "planned_amount": "amount"},
        {"segment": "text", "region": "text", "source": "text", "closed": "date",
         "refusal_reason": "text", "paid_amount": "amount", "invoice_due": "date"},
        "CRM deals (manager, client, stage, dates, outcome, planned and paid amounts)",
    ),
}

_FLAG = {"1": 1, "0": 0, "yes": 1, "no": 0, "true": 1, "false": 0, "y": 1, "n": 0,
         "да": 1, "нет": 0, "1.0": 1, "0.0": 0}


def _convert(df: pd.DataFrame, col: str, kind: str, file: str, decimal: str) -> pd.Series:
    s = df[col]
    if kind == "text":
        miss = s.isna()
        if miss.any():
            return s.astype("string").str.strip().where(~miss)
        return s.astype("string").str.strip()
    if kind == "date":
        if pd.api.types.is_datetime64_any_dtype(s):
            return s
        text = s.astype("string").str.strip()
        blank = text.isna() | (text == "")
        parsed = pd.to_datetime(text.where(~blank), errors="coerce", format="ISO8601")
        bad = ~blank & parsed.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError("not a date", file=file, column=col, row=i + 2, value=str(s.iloc[i]),
                            expected="an ISO date such as 2026-03-31 or 2026-03-31 08:30")
        return parsed
    if kind == "flag":
        text = s.astype("string").str.strip().str.lower()
        mapped = text.map(_FLAG)
        bad = s.notna() & mapped.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError("not a yes/no value", file=file, column=col, row=i + 2,
                            value=str(s.iloc[i]), expected="1/0, yes/no or true/false")
        return mapped.astype("Int64").astype("float64")
    # numeric kinds
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        num = s.astype("float64")
    else:
        text = s.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
        if decimal == ",":
            text = text.str.replace(" ", "", regex=False).str.replace(",", ".", regex=False)
        blank = text.isna() | (text == "")
        num = pd.to_numeric(text.where(~blank), errors="coerce").astype("float64")
        bad = ~blank & num.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError("not a number", file=file, column=col, row=i + 2,
                            value=str(s.iloc[i]), expected="a number")
    arr = num.to_numpy()
    if kind in ("count", "amount"):
        neg = arr < 0
        if neg.any():
            i = int(np.flatnonzero(neg)[0])
            raise DataError("negative value", file=file, column=col, row=i + 2,
                            value=s.iloc[i], expected="a number >= 0")
    if kind == "count":
        frac = ~np.isnan(arr) & (arr != np.round(arr))
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise DataError("not a whole number", file=file, column=col, row=i + 2,
                            value=s.iloc[i], expected="a whole number >= 0")
    return num


def read_operational_table(path: str | Path, spec: TableSpec, *, encoding=None, sep=None,
                           decimal=None) -> pd.DataFrame:
    """Read and type-check one optional table (finance, calls, claims, quality, deals).

    Required columns must be present and complete; optional ones are typed when present.
    Other columns are kept as they are.
    """
    df, info = read_table(path, encoding=encoding, sep=sep, decimal=decimal)
    file = info.file
    for col in spec.required:
        if col not in df.columns:
            raise DataError(
                "required column not found", file=file, column=col,
                expected=f"the columns {', '.join(spec.required)} ({spec.description}); "
                f"the file has {', '.join(map(str, df.columns[:15]))}",
            )
    if spec.one_of and not any(all(c in df.columns for c in group) for group in spec.one_of):
        wanted = " or ".join("+".join(g) for g in spec.one_of)
        raise DataError("no measurement or count columns", file=file,
                        expected=f"the column(s) {wanted}")
    out = df.copy()
    for col, kind in {**spec.required, **spec.optional}.items():
        if col not in df.columns:
            continue
        out[col] = _convert(df, col, kind, file, info.decimal)
        if col in spec.required and out[col].isna().any():
            i = int(np.flatnonzero(out[col].isna().to_numpy())[0])
            raise DataError("required value is blank", file=file, column=col, row=i + 2,
                            expected="a value on every row")
    if "customer_id" in out.columns and spec.name == "finance":
        dup = out["customer_id"].duplicated()
        if "year" not in out.columns and dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise DataError("customer appears twice", file=file, column="customer_id", row=i + 2,
                            value=out["customer_id"].iloc[i], expected="one row per customer")
    for id_col in ("claim_id", "deal_id"):
        if id_col in spec.required:
            dup = out[id_col].duplicated()
            if dup.any():
                i = int(np.flatnonzero(dup.to_numpy())[0])
                raise DataError("duplicate id", file=file, column=id_col, row=i + 2,
                                value=out[id_col].iloc[i], expected="each id once")
    return out

