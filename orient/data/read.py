"""Reading survey exports and tables as the client's tools write them.

Text exports (CSV/TSV/TXT): UTF-8 (with or without BOM) or Windows-1251, comma,
semicolon, tab or bar separated, decimal point or comma, all detected. Workbooks
(XLSX/XLSM, XLS when xlrd is installed) with a chosen sheet. Parquet (pyarrow), SPSS
``.sav``/``.zsav`` and Stata ``.dta`` (pyreadstat, numeric codes kept, value and
variable labels in :class:`ReadInfo`). Database tables or queries through SQLAlchemy
(:mod:`orient.data.read_db`). Survey-tool header layouts: a pandas index column, the
Qualtrics three header rows (recognised), the SurveyMonkey two header rows
(recognised) and ``header_rows``/``names_row`` for the rest.

Every problem is a :class:`~orient.errors.DataError` naming the file, the column, the
first offending row as a spreadsheet counts it (header = row 1) and what was expected.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from orient.data import read_layout as lay
from orient.data.read_encoding import check_nul, cyrillic_or_latin
from orient.errors import DataError

__all__ = ["ReadInfo", "clean_text", "is_url", "read_source", "read_table"]

TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".tab", ".dat", ""}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
_MAGIC = (
    (b"PAR1", "parquet"),
    (b"$FL2", "spss"),
    (b"$FL3", "spss"),
    (b"PK\x03\x04", "xlsx"),
    (b"\xd0\xcf\x11\xe0", "xls"),
    (b"<stata_dta>", "stata"),
)
_BY_SUFFIX = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".sav": "spss",
    ".zsav": "spss",
    ".dta": "stata",
    ".xls": "xls",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


@dataclass(frozen=True)
class ReadInfo:
    """How a file (or database source) was read.

    ``file`` is the name errors use (a database URL without its password);
    ``header_rows``: how many rows above the data (frame row ``i`` is spreadsheet row
    ``i + header_rows + 1``); ``layout``: ``plain``, ``qualtrics``, ``surveymonkey``,
    ``header_rows``, ``parquet``, ``spss``, ``stata`` or ``sql``; ``unused``: columns
    of the file that are not data, each with why (a pandas index column, a column
    without a name); ``labels``: column -> question text or variable label (from the
    extra header rows or the SPSS/Stata file); ``value_labels``: column -> {code:
    label} (SPSS/Stata value labels); ``codebook``: what those value labels gave the
    codebook (a scale, missing codes), one line per column.
    """

    file: str
    encoding: str
    sep: str
    decimal: str
    n_rows: int
    header_rows: int = 1
    layout: str = "plain"
    sheet: str | None = None
    unused: tuple[tuple[str, str], ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[Any, str]] = field(default_factory=dict)
    codebook: tuple[str, ...] = ()

    def __deepcopy__(self, memo):  # read-only: pandas copies frame attrs on every operation
        return self

    @property
    def first_row(self) -> int:
        """The spreadsheet row of the first data row (2 with one header row)."""
        return self.header_rows + 1

    def notes(self) -> list[str]:
        """What ``orient validate`` says about how the file was read, one line each."""
        out = []
        if self.layout == "qualtrics":
            out.append("Qualtrics export: 3 header rows (column keys, question texts, import ids)")
        elif self.layout == "surveymonkey":
            out.append("SurveyMonkey export: 2 header rows (question, answer option)")
        elif self.header_rows > 1:
            out.append(f"{self.header_rows} header rows; data from row {self.first_row}")
        if self.sheet is not None:
            out.append(f"sheet {self.sheet!r}")
        out += [f"{what} not used: {why}" for what, why in self.unused]
        out += list(self.codebook)
        return out

    def unused_text(self) -> str:
        """``; not used: column 1 (why), ...`` for error messages, or nothing."""
        if not self.unused:
            return ""
        return "; not used: " + ", ".join(f"{what} ({why})" for what, why in self.unused)

    def explain(self, exc: DataError, df: pd.DataFrame) -> DataError:
        """``exc`` (raised on ``df`` counting its header as row 1) with the row as the
        file counts it, and, when its first data row looks like one more header row in a
        column of numbers, a word on ``read.header_rows``."""
        if exc.file != self.file or exc.row is None or exc.row < 2:
            return exc
        shift = self.header_rows - 1
        more = _more_header_rows(df, exc) if exc.row == 2 else 0
        if not more:
            return replace_row(exc, exc.row + shift) if shift else exc
        n = self.header_rows + more
        return DataError(
            f"{exc.problem}; the first data row looks like another header row (text in a "
            f"column of numbers): the file seems to have {n} header rows, not "
            f"{self.header_rows}",
            file=exc.file,
            column=exc.column,
            row=exc.row + shift,
            value=exc.value,
            expected=f"read: {{header_rows: {n}}} under this file in company.yaml "
            "(read.header_rows: the rows above the data; read.names_row: the one holding "
            "the column names)",
        )


def replace_row(exc: DataError, row: int) -> DataError:
    return DataError(
        exc.problem,
        file=exc.file,
        column=exc.column,
        row=row,
        value=exc.value,
        expected=exc.expected,
    )


def _more_header_rows(df: pd.DataFrame, exc: DataError) -> int:
    """How many leading rows of ``exc.column`` are text over a column of numbers."""
    if exc.column not in df.columns or len(df) < 2:
        return 0
    col = df[exc.column]
    if pd.api.types.is_numeric_dtype(col):
        return 0
    text = col.astype("string").str.strip()
    num = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    filled = text.notna() & (text != "")
    is_text = filled & num.isna()
    if not bool(is_text.iloc[0]):
        return 0
    lead = int(np.argmin(is_text.to_numpy())) if not is_text.all() else len(text)
    rest_filled = filled.iloc[lead:]
    if lead > 3 or rest_filled.sum() == 0:
        return 0
    share_numeric = num.iloc[lead:][rest_filled.to_numpy()].notna().mean()
    return lead if share_numeric >= 0.8 else 0


def is_url(source: str | Path) -> bool:
    """Whether ``source`` is a database URL (``postgresql://...``, ``sqlite:///...``)."""
    return isinstance(source, str) and bool(_URL.match(source))


def read_source(folder: Path, file: str | None, read, key: str):
    """Read what company.yaml names under ``key``: a file in ``folder``, a database URL,
    or the URL held by the environment variable ``read.url_env``.

    ``read`` is a :class:`~orient.data.profile.ReadOptions`. Returns ``(df, info)``.
    """
    from orient.data.profile import PROFILE_FILE, check_file_in

    url = None
    if read.url_env and file is not None:
        raise DataError(
            "give file or read.url_env, not both",
            file=PROFILE_FILE,
            column=f"{key}.read.url_env",
            expected="the database URL in the environment variable and no file",
        )
    if read.url_env:
        url = os.environ.get(read.url_env)
        if not url:
            raise DataError(
                f"environment variable {read.url_env} is not set",
                file=PROFILE_FILE,
                column=f"{key}.read.url_env",
                expected="the database URL in that variable (e.g. postgresql+psycopg://...)",
            )
    elif file is not None and is_url(file):
        url = file
    if url is not None:
        from orient.data.read_db import read_database

        return read_database(url, table=read.table, query=read.query, base=folder, key=key)
    for opt in ("table", "query"):
        if getattr(read, opt):
            raise DataError(
                f"read.{opt} applies to a database source only",
                file=PROFILE_FILE,
                column=f"{key}.read.{opt}",
                expected="a database URL as the file (sqlite:///crm.db, postgresql://...) "
                "or read.url_env",
            )
    return read_table(
        check_file_in(folder, file, f"{key}.file" if key == "survey" else key, read.max_mb),
        encoding=read.encoding,
        sep=read.sep,
        decimal=read.decimal,
        sheet=read.sheet,
        header_rows=read.header_rows,
        names_row=read.names_row,
    )


def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    dtype: dict | None = None,
    header_rows: int | None = None,
    names_row: int | None = None,
    table: str | None = None,
    query: str | None = None,
) -> tuple[pd.DataFrame, ReadInfo]:
    """Read an export into a DataFrame, detecting how it was written.

    Parameters
    ----------
    path : a ``.csv``/``.tsv``/``.txt``, ``.xlsx``/``.xlsm``/``.xls``, ``.parquet``,
        ``.sav``/``.zsav`` or ``.dta`` file (the format is told by the file's first bytes,
        else its extension), or a database URL (then ``table`` or ``query``).
    encoding, sep, decimal : override detection (``utf-8``/``cp1251``; ``,``/``;``/tab;
        ``.``/``,``).
    sheet : the workbook sheet (name or 0-based position); the first by default.
    dtype : passed to pandas for columns that must stay text (ids).
    header_rows, names_row : rows above the data and which of them (1-based) names
        the columns; Qualtrics and SurveyMonkey layouts are recognised when not given.
    table, query : for a database URL, the table to read or the SQL query.

    Returns
    -------
    (DataFrame, ReadInfo)
        One row per data row; completely empty lines inside the data are kept as
        all-missing rows so that row ``i`` of the frame is spreadsheet row
        ``i + info.first_row``.
    """
    if is_url(path):
        from orient.data.read_db import read_database

        return read_database(str(path), table=table, query=query)
    path = Path(path)
    file = path.name
    if not path.exists():
        raise DataError("file not found", file=str(path), expected="an existing file")
    from orient.data.profile import check_regular

    check_regular(path, file, max_mb=float("inf"))  # no FIFO or device; size: check_file_in
    _check_layout_options(file, header_rows, names_row)
    kind = _kind(path)
    if kind in ("parquet", "spss", "stata"):
        if header_rows not in (None, 1):
            raise DataError(
                "read.header_rows applies to CSV and Excel files only",
                file=file,
                expected=f"no read.header_rows for a {kind} file",
            )
        from orient.data.read_formats import read_binary

        df, info = read_binary(path, kind)
        return _finish(df, info, file)
    if kind in ("xlsx", "xls"):
        grid_head, df, sheet_name = lay.read_workbook(path, kind, sheet, header_rows)
        layout, header_rows, names_row = lay.layout(grid_head, header_rows, names_row)
        names, labels = lay.names(grid_head, layout, header_rows, names_row)
        df = lay.named(df, names, file)
        if dtype:
            df = df.astype({k: v for k, v in dtype.items() if k in df.columns})
        info = ReadInfo(file, kind, "", ".", len(df), header_rows, layout, sheet_name)
        return _finish(df, replace(info, labels=labels), file)
    if sheet is not None:
        raise DataError(
            "read.sheet applies to workbooks only",
            file=file,
            value=sheet,
            expected="an .xlsx/.xlsm/.xls file, or no read.sheet",
        )
    return _read_text(path, encoding, sep, decimal, dtype, header_rows, names_row)


def _check_layout_options(file: str, header_rows, names_row) -> None:
    if header_rows is not None and header_rows < 1:
        raise DataError(
            "read.header_rows must be at least 1",
            file=file,
            value=header_rows,
            expected="the number of rows above the data",
        )
    if names_row is not None and not 1 <= names_row <= (header_rows or 1):
        raise DataError(
            "read.names_row must be one of the header rows",
            file=file,
            value=names_row,
            expected=f"a row from 1 to read.header_rows ({header_rows or 1})",
        )


def _kind(path: Path) -> str:
    with path.open("rb") as fh:
        start = fh.read(16)
    for magic, kind in _MAGIC:
        if start.startswith(magic):
            return kind
    return _BY_SUFFIX.get(path.suffix.lower(), "text")


# --- text exports --------------------------------------------------------------------------


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
                expected="utf-8, cp1251, cp1252, latin-1 or utf-16",
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
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    check_nul(raw, file)
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return cyrillic_or_latin(raw, file)


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


def _head_records(head: str, sep: str, n: int) -> list[list[str]]:
    rows = []
    try:
        for rec in csv.reader(io.StringIO(head.lstrip("\ufeff")), delimiter=sep):
            rows.append([lay.cell(c) for c in rec])
            if len(rows) >= n:
                break
    except csv.Error:
        pass
    return rows


def _read_text(path: Path, encoding, sep, decimal, dtype, header_rows, names_row):
    file = path.name
    raw = path.read_bytes()
    if not raw or raw.isspace():  # blank: without copying the file as strip() would
        raise DataError("the file is empty", file=file, expected="a header row and data rows")
    enc = _detect_encoding(raw, file, encoding)
    head = raw[:65536].decode(enc, errors="replace")
    header = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    sep = sep or _detect_sep(header)
    decimal = decimal or _detect_decimal(head, sep)
    records = _head_records(head, sep, max(3, header_rows or 1))
    layout, n_head, names_row = lay.layout(records, header_rows, names_row)
    multi = n_head > 1
    _check_text_shape(raw, enc, head, sep, n_head, records[names_row - 1] if records else [], file)
    skip_space = _field_starts_with_space(raw, enc, sep)
    del raw  # the parser reads the file itself
    try:
        df = pd.read_csv(
            path,
            encoding=enc,
            sep=sep,
            decimal=decimal,
            skip_blank_lines=False,
            dtype=None if multi else dtype,
            skipinitialspace=skip_space,
            low_memory=False,
            header=None if multi else 0,
            skiprows=n_head if multi else None,
        )
    except pd.errors.EmptyDataError:
        raise DataError(
            "the file has a header but no data rows" if multi else "the file is empty",
            file=file,
            expected="a header row and data rows",
        ) from None
    except pd.errors.ParserError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise DataError(
            f"the rows do not line up with the header ({exc})",
            file=file,
            row=int(m.group(1)) + (n_head - 1 if multi else 0) if m else None,
            expected=f"the same number of {sep!r}-separated fields on every row",
        ) from None
    if not isinstance(df.index, pd.RangeIndex):  # more fields than header names on every row
        raise DataError(
            "the rows do not line up with the header (more fields than column names)",
            file=file,
            row=n_head + 1,
            expected=f"the same number of {sep!r}-separated fields on every row",
        )
    labels = {}
    if multi:
        names, labels = lay.names(records, layout, n_head, names_row)
        df = lay.named(df, names, file)
        if dtype:
            df = df.astype({k: v for k, v in dtype.items() if k in df.columns})
    info = ReadInfo(file, enc, sep, decimal, len(df), n_head, layout, labels=labels)
    return _finish(df, info, file)


def _field_starts_with_space(raw: bytes, enc: str, sep: str) -> bool:
    """Whether some field may start with a blank (the parser then skips it, at a cost):
    False only when no separator or line start in the file is followed by a space."""
    if enc.startswith("utf-16"):
        return True
    spaced = (sep.encode(enc) + b" ", b"\n ", b"\r ")
    return raw.startswith((b" ", b"\xef\xbb\xbf ")) or any(s in raw for s in spaced)


def _check_text_shape(raw, enc, head, sep, n_head, names, file) -> None:
    """A name used twice in the header, a header and data rows split by different
    separators, or lines after the data that are not data: each a DataError saying so
    (pandas would rename a second ``x`` to ``x.1`` or read the junk as a respondent)."""
    seen: dict[str, int] = {}
    for j, name in enumerate(names):
        if name and name in seen:
            raise DataError(
                f"the header names a column twice (columns {seen[name] + 1} and {j + 1})",
                file=file,
                column=name,
                row=n_head,
                expected="unique column names",
            )
        seen.setdefault(name, j)
    width = len(names)
    data = [r for r in _head_records(head, sep, n_head + 25)[n_head:] if r]
    if width >= 2 and data and sum(len(r) == 1 for r in data) > len(data) / 2:
        for other in (";", ",", "\t", "|"):
            if other == sep:
                continue
            recs = [r for r in _head_records(head, other, n_head + 25)[n_head:] if r]
            if recs and all(len(r) >= 2 for r in recs):
                raise DataError(
                    f"the header is split by {sep!r} ({width} columns) but the data rows "
                    f"by {other!r}",
                    file=file,
                    row=n_head + 1,
                    expected="one separator throughout the file (export it again, or set read.sep)",
                )
    if width >= 3:
        _check_trailing_junk(raw, enc, sep, width, file)


def _check_trailing_junk(raw: bytes, enc: str, sep: str, width: int, file: str) -> None:
    start = max(0, len(raw) - 16384)
    start -= start % 2
    lines = raw[start:].decode(enc, errors="replace").splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    junk = []  # positions in ``lines`` of the non-blank lines after the data
    for k in range(len(lines) - 1, 0, -1):
        line = lines[k]
        if not line.strip():
            continue
        fields = next(csv.reader([line], delimiter=sep), [])
        if len(fields) > 1 or '"' in line:
            break
        junk.append(k)
    if not junk:
        return
    total = len(lines)
    if start:
        full = raw.decode(enc, errors="replace").splitlines()
        while full and not full[-1].strip():
            full.pop()
        total = len(full)
    first = total - (len(lines) - junk[-1])
    raise DataError(
        f"{len(junk)} line(s) after the data are not data rows (one field where the header "
        f"has {width})",
        file=file,
        row=first + 1,
        value=lines[junk[-1]].strip()[:40],
        expected="only data rows below the header: delete the note or total line(s) at "
        "the end of the file",
    )


# --- common checks -------------------------------------------------------------------------


def _finish(df: pd.DataFrame, info: ReadInfo, file: str) -> tuple[pd.DataFrame, ReadInfo]:
    """Names trimmed, a pandas index and nameless columns set aside (said in
    ``info.unused``), trailing blank rows dropped; no data rows or a name used twice is
    a DataError."""
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    unused = list(info.unused)
    if len(df):  # trailing blank lines are not data
        nonblank = df.notna().any(axis=1).to_numpy()
        last = len(nonblank) - int(np.argmax(nonblank[::-1])) if nonblank.any() else 0
        if 0 < last < len(df):
            first, end = last + info.first_row, len(df) - 1 + info.first_row
            rows = f"row {first}" if first == end else f"rows {first}-{end}"
            unused.append((rows, "blank rows at the end of the file"))
        df = df.iloc[:last]
    if df.shape[1] and _is_pandas_index(df.columns[0], df.iloc[:, 0]):
        start = int(pd.to_numeric(df.iloc[:1, 0]).iloc[0])  # pandas counts from 0, R from 1
        tool = "pandas" if start == 0 else "R"
        unused.append(
            (
                "column 1",
                f"a row index as {tool} writes it (no name, {start}..{len(df) - 1 + start})",
            )
        )
        df = df.iloc[:, 1:]
        first_pos = 2
    else:
        first_pos = 1
    nameless = [c for c in df.columns if c.startswith("Unnamed:")]
    for c in nameless:
        pos = list(df.columns).index(c) + first_pos
        filled = int(df[c].notna().sum())
        unused.append((f"column {pos}", f"no name in the header ({filled} value(s))"))
    df = df.drop(columns=nameless)
    if df.columns.size == 0:
        raise DataError(
            "no named column", file=file, row=1, expected="a header row naming the columns"
        )
    if len(df) == 0:
        raise DataError(
            "the file has a header but no data rows",
            file=file,
            row=info.first_row,
            expected="at least one data row",
        )
    idx = pd.Index(df.columns)
    dupes = idx[idx.duplicated()]
    if len(dupes):
        raise DataError(
            "the header names a column twice",
            file=file,
            column=str(dupes[0]),
            expected="unique column names",
        )
    return df, replace(info, n_rows=len(df), unused=tuple(unused))


def _is_pandas_index(name: str, values: pd.Series) -> bool:
    if not (name == "" or name.startswith("Unnamed:")) or len(values) == 0:
        return False
    num = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    rows = np.arange(len(values))
    return bool((num == rows).all() or (num == rows + 1).all())  # pandas 0.., R 1..


def clean_text(values: pd.Series) -> pd.Series:
    """Text with surrounding blanks trimmed, blanks as missing; each distinct value once."""
    if isinstance(values.dtype, pd.StringDtype):
        return _clean_strings(values.astype("string"))
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([_text(u) for u in np.asarray(uniques, dtype=object)] + [None], dtype=object)
    return pd.Series(cleaned[codes], index=values.index, dtype="string")


def _clean_strings(text: pd.Series) -> pd.Series:
    """:func:`clean_text` of a text column, where most values are kept as they are: only
    those empty or starting or ending with a character that ``str.strip`` removes (found
    among the distinct first and last characters) go through Python; the rest, often a
    million distinct ids, stay in the column's own storage."""
    first, last = text.str.slice(0, 1), text.str.slice(-1)
    ends = set(first.dropna().unique()) | set(last.dropna().unique())
    blank = [c for c in ends if not c or c.isspace()]
    redo = (first.isin(blank) | last.isin(blank)).fillna(False).to_numpy(dtype=bool)
    if not redo.any():
        return text
    out = text.copy()
    out[redo] = [_text(u) for u in text[redo]]
    return out


def _text(u) -> str | None:
    if isinstance(u, (float, np.floating)) and float(u).is_integer():
        u = int(u)
    t = str(u).strip()
    return t or None
