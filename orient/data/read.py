"""Reading survey exports and tables: CSV or XLSX, detecting how they were written.

Exports come as real tools write them: UTF-8 (with or without BOM) or Windows-1251,
comma, semicolon or tab separated, decimal point or comma, or XLSX. Every problem
is a :class:`~orient.errors.DataError` naming the file, the column, the first
offending row as a spreadsheet counts it (header = row 1) and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from orient.errors import DataError

__all__ = ["ReadInfo", "clean_text", "read_table"]


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
            raise DataError(
                "unknown text encoding",
                file=file,
                column="read.encoding",
                value=encoding,
                expected="utf-8 or cp1251",
            ) from None
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError(
                f"the file is not valid {encoding} text (byte 0x{raw[exc.start]:02x})",
                file=file,
                row=line,
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
            "the file is neither UTF-8 nor Windows-1251 text",
            file=file,
            row=line,
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
            df = pd.read_excel(
                path, sheet_name=sheet if sheet is not None else 0, engine="openpyxl", dtype=dtype
            )
        except ValueError as exc:
            raise DataError(f"could not read the workbook: {exc}", file=file) from None
        except Exception as exc:  # zip/openpyxl errors on a broken workbook
            raise DataError(
                f"not a readable XLSX workbook ({type(exc).__name__})",
                file=file,
                expected="an Excel .xlsx file",
            ) from None
        if df.columns.size == 0:
            raise DataError("the sheet is empty", file=file, expected="a header row and data rows")
        if len(df) == 0:
            raise DataError(
                "the sheet has a header but no data rows",
                file=file,
                row=2,
                expected="at least one data row",
            )
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
        raise DataError(
            "the file is empty", file=file, expected="a header row and data rows"
        ) from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DataError(
            f"the rows do not line up with the header ({exc})",
            file=file,
            row=int(m.group(1)) if m else None,
            expected=f"the same number of {sep!r}-separated fields on every row",
        ) from None
    if not isinstance(df.index, pd.RangeIndex):  # more fields than header names on every row
        raise DataError(
            "the rows do not line up with the header (more fields than column names)",
            file=file,
            row=2,
            expected=f"the same number of {sep!r}-separated fields on every row",
        )
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    # trailing blank lines are not data
    if len(df):
        nonblank = df.notna().any(axis=1).to_numpy()
        last = len(nonblank) - int(np.argmax(nonblank[::-1])) if nonblank.any() else 0
        df = df.iloc[:last]
    if len(df) == 0:
        raise DataError(
            "the file has a header but no data rows",
            file=file,
            row=2,
            expected="at least one data row",
        )
    dupes = pd.Index(df.columns)[pd.Index(df.columns).duplicated()]
    if len(dupes):
        raise DataError(
            "the header names a column twice",
            file=file,
            column=str(dupes[0]),
            expected="unique column names",
        )
    unnamed = [c for c in df.columns if c.startswith("Unnamed:")]
    if unnamed:
        pos = list(df.columns).index(unnamed[0]) + 1
        raise DataError(
            f"column {pos} has no name in the header",
            file=file,
            row=1,
            expected="a name for every column",
        )
    return df, ReadInfo(file, enc, sep, decimal, len(df))


def clean_text(values: pd.Series) -> pd.Series:
    """Text with surrounding blanks trimmed, blanks as missing; each distinct value once."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([_text(u) for u in np.asarray(uniques, dtype=object)] + [None], dtype=object)
    return pd.Series(cleaned[codes], index=values.index, dtype="string")


def _text(u) -> str | None:
    if isinstance(u, (float, np.floating)) and float(u).is_integer():
        u = int(u)
    t = str(u).strip()
    return t or None
