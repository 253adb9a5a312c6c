"""The optional operational tables (finance, calls, claims, quality, deals).

:data:`TABLES` says which columns each table must (and may) have, with their kinds;
:func:`read_operational_table` reads and type-checks one file, and :func:`read_tables`
finds and reads every table a company folder holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from orient.data.profile import PROFILE_FILE, CompanyProfile, ReadOptions, TableRef, check_file_in
from orient.data.read import ReadInfo, is_url, read_source, read_table
from orient.errors import DataError

__all__ = ["TABLES", "TableSpec", "read_operational_table", "read_tables"]


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
        {
            "interval_start": "date",
            "offered": "count",
            "answered": "count",
            "answered_in_target": "count",
            "abandoned": "count",
            "aht_s": "amount",
        },
        {"agents": "amount", "queue": "text"},
        "call-centre volumes per interval (offered, answered, answered within target, "
        "average handle time, abandoned)",
    ),
    "claims": TableSpec(
        "claims",
        {"claim_id": "text", "received": "date", "category": "text", "amount_claimed": "amount"},
        {"customer_id": "text", "resolved": "date", "amount_settled": "amount", "status": "text"},
        "complaints and claims (received, resolved, category, amounts claimed and settled)",
    ),
    "quality": TableSpec(
        "quality",
        {"subgroup": "count"},
        {
            "characteristic": "text",
            "value": "number",
            "inspected": "count",
            "defective": "count",
            "defects": "count",
            "phase": "text",
        },
        "inspection measurements or defect counts by subgroup",
        one_of=(("value",), ("inspected", "defective"), ("defects",)),
    ),
    "deals": TableSpec(
        "deals",
        {
            "deal_id": "text",
            "manager": "text",
            "client": "text",
            "stage": "text",
            "created": "date",
            "outcome": "text",
            "planned_amount": "amount",
        },
        {
            "segment": "text",
            "region": "text",
            "source": "text",
            "closed": "date",
            "refusal_reason": "text",
            "paid_amount": "amount",
            "invoice_due": "date",
        },
        "CRM deals (manager, client, stage, dates, outcome, planned and paid amounts)",
    ),
}

_FLAG = {
    "1": 1,
    "0": 0,
    "yes": 1,
    "no": 0,
    "true": 1,
    "false": 0,
    "y": 1,
    "n": 0,
    "да": 1,
    "нет": 0,
    "1.0": 1,
    "0.0": 0,
}


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
            raise DataError.at_first(
                bad,
                "not a date",
                values=s,
                shown=str,
                file=file,
                column=col,
                expected="an ISO date such as 2026-03-31 or 2026-03-31 08:30",
            )
        return parsed
    if kind == "flag":
        text = s.astype("string").str.strip().str.lower()
        mapped = text.map(_FLAG)
        bad = s.notna() & mapped.isna()
        if bad.any():
            raise DataError.at_first(
                bad,
                "not a yes/no value",
                values=s,
                shown=str,
                file=file,
                column=col,
                expected="1/0, yes/no or true/false",
            )
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
            raise DataError.at_first(
                bad,
                "not a number",
                values=s,
                shown=str,
                file=file,
                column=col,
                expected="a number",
            )
    arr = num.to_numpy()
    if kind in ("count", "amount"):
        neg = arr < 0
        if neg.any():
            raise DataError.at_first(
                neg,
                "negative value",
                values=s,
                file=file,
                column=col,
                expected="a number >= 0",
            )
    if kind == "count":
        frac = ~np.isnan(arr) & (arr != np.round(arr))
        if frac.any():
            i = int(np.flatnonzero(frac)[0])
            raise DataError(
                "not a whole number",
                file=file,
                column=col,
                row=i + 2,
                value=s.iloc[i],
                expected="a whole number >= 0",
            )
    return num


def read_operational_table(
    path: str | Path,
    spec: TableSpec,
    *,
    encoding=None,
    sep=None,
    decimal=None,
    sheet=None,
    header_rows=None,
    names_row=None,
) -> pd.DataFrame:
    """Read and type-check one optional table (finance, calls, claims, quality, deals).

    Required columns must be present and complete; optional ones are typed when present.
    Other columns are kept as they are. ``path`` may be a database URL (see
    :func:`orient.data.read.read_source` for a table or query).
    """
    df, info = read_table(
        path,
        encoding=encoding,
        sep=sep,
        decimal=decimal,
        sheet=sheet,
        header_rows=header_rows,
        names_row=names_row,
    )
    return typed_table(df, info, spec)


def typed_table(df: pd.DataFrame, info: ReadInfo, spec: TableSpec) -> pd.DataFrame:
    """``df`` as read (``info``) type-checked by ``spec``; errors count rows as the file does."""
    try:
        out = _typed(df, info, spec)
    except DataError as exc:
        raise info.explain(exc, df) from None
    out.attrs["read_info"] = info
    return out


def _typed(df: pd.DataFrame, info: ReadInfo, spec: TableSpec) -> pd.DataFrame:
    file = info.file
    for col in spec.required:
        if col not in df.columns:
            raise DataError(
                "required column not found",
                file=file,
                column=col,
                expected=f"the columns {', '.join(spec.required)} ({spec.description}); "
                f"the file has {', '.join(map(str, df.columns[:15]))}",
            )
    if spec.one_of and not any(all(c in df.columns for c in group) for group in spec.one_of):
        wanted = " or ".join("+".join(g) for g in spec.one_of)
        raise DataError(
            "no measurement or count columns", file=file, expected=f"the column(s) {wanted}"
        )
    out = df.copy()
    for col, kind in {**spec.required, **spec.optional}.items():
        if col not in df.columns:
            continue
        out[col] = _convert(df, col, kind, file, info.decimal)
        if col in spec.required and out[col].isna().any():
            i = int(np.flatnonzero(out[col].isna().to_numpy())[0])
            raise DataError(
                "required value is blank",
                file=file,
                column=col,
                row=i + 2,
                expected="a value on every row",
            )
    if "customer_id" in out.columns and spec.name == "finance":
        dup = out["customer_id"].duplicated()
        if "year" not in out.columns and dup.any():
            i = int(np.flatnonzero(dup.to_numpy())[0])
            raise DataError(
                "customer appears twice",
                file=file,
                column="customer_id",
                row=i + 2,
                value=out["customer_id"].iloc[i],
                expected="one row per customer",
            )
    for id_col in ("claim_id", "deal_id"):
        if id_col in spec.required:
            dup = out[id_col].duplicated()
            if dup.any():
                i = int(np.flatnonzero(dup.to_numpy())[0])
                raise DataError(
                    "duplicate id",
                    file=file,
                    column=id_col,
                    row=i + 2,
                    value=out[id_col].iloc[i],
                    expected="each id once",
                )
    return out


def read_tables(
    folder: Path, profile: CompanyProfile
) -> tuple[dict[str, pd.DataFrame | None], dict[str, str]]:
    """Read every optional table of a company folder.

    Each table is ``tables.<name>`` of ``company.yaml`` or, when not named there,
    ``<name>.csv`` if that file exists.

    Returns
    -------
    (tables, files)
        ``tables`` maps each name of :data:`TABLES` to its typed DataFrame, or ``None``
        when the file is absent; ``files`` maps each table read to its file name.
    """
    tables: dict[str, pd.DataFrame | None] = {}
    files: dict[str, str] = {}
    for name, spec in TABLES.items():
        ref = getattr(profile.tables, name)
        if isinstance(ref, str) and is_url(ref):
            ref = TableRef(file=ref)  # then read.table or read.query is missing: said so
        if isinstance(ref, TableRef) and (ref.read.url_env or is_url(ref.file)):
            df, info = read_source(folder, ref.file, ref.read, f"tables.{name}")
            tables[name] = typed_table(df, info, spec)
            files[name] = info.file
            continue
        if isinstance(ref, TableRef):
            fname, opts = ref.file, ref.read
        else:
            fname, opts = (ref or f"{name}.csv"), ReadOptions()
        fpath = check_file_in(folder, fname, f"tables.{name}")
        if not fpath.exists():
            if ref is not None:
                raise DataError(
                    "table named in company.yaml not found",
                    file=PROFILE_FILE,
                    column=f"tables.{name}",
                    value=fname,
                    expected="an existing file in the company folder",
                )
            tables[name] = None
            continue
        for opt in ("table", "query"):
            if getattr(opts, opt):
                raise DataError(
                    f"read.{opt} applies to a database source only",
                    file=PROFILE_FILE,
                    column=f"tables.{name}.read.{opt}",
                    expected="a database URL as the file (sqlite:///crm.db, postgresql://...)",
                )
        tables[name] = read_operational_table(
            fpath,
            spec,
            encoding=opts.encoding,
            sep=opts.sep,
            decimal=opts.decimal,
            sheet=opts.sheet,
            header_rows=opts.header_rows,
            names_row=opts.names_row,
        )
        files[name] = fname
    return tables, files
