"""Header layouts of survey-tool exports and workbook sheets.

The Qualtrics layout (row 1 column keys, row 2 question texts, row 3 ``{"ImportId": ...}``)
and the SurveyMonkey layout (row 1 questions, merged over their answer options in row 2)
are recognised from the first rows; ``header_rows``/``names_row`` give any other.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from orient.errors import DataError

_SM_WORDS = {"response", "open-ended response", "other (please specify)"}


def cell(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return str(v).strip().lstrip("\ufeff")


def is_import_id(text: str) -> bool:
    return text.startswith("{") and '"ImportId"' in text


def layout(head: list[list[str]], header_rows, names_row) -> tuple[str, int, int]:
    """(layout, header_rows, names_row) from the options or the first rows."""
    if header_rows is not None:
        return ("plain" if header_rows == 1 else "header_rows"), header_rows, names_row or 1
    if len(head) >= 3:
        filled = [c for c in head[2] if c]
        if filled and sum(map(is_import_id, filled)) >= max(1, len(filled) // 2):
            return "qualtrics", 3, 1
    if len(head) >= 2 and any(c.lower() in _SM_WORDS for c in head[1]):
        row1_blank = [j for j, c in enumerate(head[0]) if not c]
        if row1_blank and any(j < len(head[1]) and head[1][j] for j in row1_blank):
            return "surveymonkey", 2, 1
    return "plain", 1, 1


def names(head, layout: str, header_rows: int, names_row: int):
    """Column names (blank for none) and labels from the header rows."""
    rows = [list(r) for r in head[:header_rows]]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    if layout == "surveymonkey":
        return surveymonkey_names(rows[0], rows[1]), {}
    names = rows[names_row - 1] if rows else []
    labels = {}
    for j, name in enumerate(names):
        texts = [
            r[j]
            for k, r in enumerate(rows)
            if k != names_row - 1 and r[j] and not is_import_id(r[j])
        ]
        if name and texts:
            labels[name] = " - ".join(texts)
    return names, labels


def surveymonkey_names(questions: list[str], answers: list[str]) -> list[str]:
    names, question = [], ""
    for q, a in zip(questions, answers, strict=True):
        if q:
            question = q
        elif not a:
            question = ""
        if not a or a.lower() in ("response", "open-ended response"):
            names.append(q)
        else:
            names.append(f"{question} - {a}" if question else a)
    return names


def named(df: pd.DataFrame, names: list[str], file: str) -> pd.DataFrame:
    """``df`` (read without a header) under ``names``; blank names as pandas writes them."""
    if df.shape[1] > len(names):
        raise DataError(
            "the rows do not line up with the header (more fields than column names)",
            file=file,
            expected="the same number of fields on every row",
        )
    names = [n if n else f"Unnamed: {j}" for j, n in enumerate(names)]
    df = df.copy()
    df.columns = names[: df.shape[1]]
    for extra in names[df.shape[1] :]:
        df[extra] = np.nan
    return df


# --- workbooks -----------------------------------------------------------------------------


def read_workbook(path: Path, kind: str, sheet, header_rows):
    """(first rows as text, data rows without header, sheet name) of the chosen sheet."""
    file = path.name
    engine = "openpyxl" if kind == "xlsx" else "xlrd"
    if kind == "xls":
        try:
            import xlrd  # noqa: F401
        except ImportError:
            raise DataError(
                "reading an .xls workbook needs the xlrd package",
                file=file,
                expected="pip install xlrd, or the workbook saved as .xlsx or .csv",
            ) from None
    try:
        book = pd.ExcelFile(path, engine=engine)
    except Exception as exc:  # zip/openpyxl/xlrd errors on a broken workbook
        raise DataError(
            f"not a readable {'XLSX' if kind == 'xlsx' else 'XLS'} workbook ({type(exc).__name__})",
            file=file,
            expected="an Excel workbook",
        ) from None
    name = sheet_name(book.sheet_names, sheet, file)
    head = pd.read_excel(
        book, sheet_name=name, header=None, nrows=max(3, header_rows or 1), dtype=object
    )
    if head.shape[1] == 0 or len(head) == 0:
        raise DataError(
            "the sheet is empty",
            file=file,
            column=f"sheet {name}",
            expected="a header row and data rows",
        )
    grid = [[cell(v) for v in row] for row in head.itertuples(index=False)]
    skip = header_rows or layout(grid, None, None)[1]
    df = pd.read_excel(book, sheet_name=name, header=None, skiprows=skip)
    if kind == "xlsx" and df.isna().any().any():
        uncached_formulas(path, name, skip, df, grid[0] if grid else [], file)
    shown = name if sheet is not None or len(book.sheet_names) > 1 else None
    return grid, df, shown


def uncached_formulas(path: Path, sheet: str, skip: int, df: pd.DataFrame, names, file: str):
    """A DataError when a blank cell of ``df`` holds a formula whose value the workbook
    never saved (a file written by a script, not opened in Excel): openpyxl reads such
    cells as empty, and the rows would be lost as blanks."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # pandas read it; the formula check is then not possible
        return
    try:
        ws = book[sheet]
        rows = ws.iter_rows(min_row=skip + 1, max_row=skip + len(df), values_only=True)
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if j >= df.shape[1] or not (isinstance(v, str) and v.startswith("=")):
                    continue
                if pd.isna(df.iat[i, j]):
                    raise DataError(
                        "formulas without saved values: open and save the workbook in "
                        "Excel, or export CSV",
                        file=file,
                        column=(names[j] if j < len(names) and names[j] else f"column {j + 1}"),
                        row=skip + i + 1,
                        value=v,
                        expected="the computed values stored in the workbook",
                    )
    finally:
        book.close()


def sheet_name(names: list[str], sheet, file: str) -> str:
    if sheet is None:
        return names[0]
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return names[sheet]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    raise DataError(
        "sheet not found in the workbook",
        file=file,
        value=sheet,
        expected="one of the sheets "
        + ", ".join(repr(n) for n in names)
        + (" (or a position from 0)" if isinstance(sheet, int) else ""),
    )
