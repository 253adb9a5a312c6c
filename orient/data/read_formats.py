"""Binary exports: Parquet (pyarrow), SPSS ``.sav``/``.zsav`` and Stata ``.dta`` (pyreadstat).

These never reach the text decoder. A missing reader package is a
:class:`~orient.errors.DataError` naming the package to install.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from orient.data.read import ReadInfo
from orient.errors import DataError

__all__ = ["read_binary"]

_NEEDS = {"parquet": "pyarrow", "spss": "pyreadstat", "stata": "pyreadstat"}
_WHAT = {
    "parquet": "a Parquet file",
    "spss": "an SPSS .sav/.zsav file",
    "stata": "a Stata .dta file",
}


def read_binary(path: Path, kind: str) -> tuple[pd.DataFrame, ReadInfo]:
    """Read a Parquet, SPSS or Stata file: ``(df, info)`` with SPSS/Stata variable labels
    in ``info.labels`` and value labels (code -> label) in ``info.value_labels``; the
    numeric codes themselves are kept in ``df``."""
    file = path.name
    package = _NEEDS[kind]
    try:
        __import__(package)
    except ImportError:
        raise DataError(
            f"reading {_WHAT[kind]} needs the {package} package",
            file=file,
            expected=f"pip install {package}, or the data exported as CSV or XLSX",
        ) from None
    try:
        if kind == "parquet":
            return _parquet(path)
        return _readstat(path, kind)
    except DataError:
        raise
    except Exception as exc:  # the reader's own error on a damaged or mislabelled file
        raise DataError(
            f"not a readable file of its kind ({type(exc).__name__}: {str(exc)[:120]})",
            file=file,
            expected=_WHAT[kind],
        ) from None


def _parquet(path: Path) -> tuple[pd.DataFrame, ReadInfo]:
    df = pd.read_parquet(path, engine="pyarrow")
    unused: tuple[tuple[str, str], ...] = ()
    if not isinstance(df.index, pd.RangeIndex):
        if all(n is not None for n in df.index.names):
            df = df.reset_index()  # a named index (an id set as index) is a column
        else:
            df = df.reset_index(drop=True)
            unused = (("the stored row index", "an unnamed pandas index"),)
    df.columns = [str(c) for c in df.columns]
    return df, ReadInfo(path.name, "parquet", "", ".", len(df), 1, "parquet", unused=unused)


def _readstat(path: Path, kind: str) -> tuple[pd.DataFrame, ReadInfo]:
    import pyreadstat

    reader = pyreadstat.read_dta if kind == "stata" else pyreadstat.read_sav
    df, meta = reader(str(path), apply_value_formats=False)
    labels = {c: lab for c, lab in (meta.column_names_to_labels or {}).items() if lab}
    value_labels = {
        c: {_code(k): str(v) for k, v in vl.items()}
        for c, vl in (meta.variable_value_labels or {}).items()
    }
    info = ReadInfo(
        path.name,
        getattr(meta, "file_encoding", None) or "",
        "",
        ".",
        len(df),
        1,
        kind,
        labels=labels,
        value_labels=value_labels,
    )
    return df, info


def _code(k):
    return int(k) if isinstance(k, float) and k.is_integer() else k
