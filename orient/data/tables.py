"""The optional operational tables (finance, calls, claims, quality, deals, contacts,
stage_history).

:data:`TABLES` says which columns each table must (and may) have, with their kinds;
:func:`read_operational_table` reads and type-checks one file, and :func:`read_tables`
finds and reads every table a company folder holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from orient.data.checks import check_ids, check_rules, strip_offsets
from orient.data.mapping import (
    apply_stage_values,
    check_open_stages,
    check_stage_history,
    in_export_names,
    join_lookup,
    map_columns,
    rename_stages,
)
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
        {"agents": "amount", "queue": "text", "asa_s": "amount", "abandon_wait_s": "amount"},
        "call-centre volumes per interval (offered, answered, answered within target, "
        "average handle time, abandoned; optionally the mean wait of the answered and of "
        "the abandoned calls, from which the callers' patience is estimated)",
    ),
    "claims": TableSpec(
        "claims",
        {"claim_id": "text", "received": "date", "category": "text"},
        {
            "amount_claimed": "amount",
            "customer_id": "text",
            "resolved": "date",
            "amount_settled": "amount",
            "status": "text",
            "response": "text",
            "timely": "flag",
            "disputed": "flag",
            "responded": "date",
            "product": "text",
            "channel": "text",
        },
        "complaints and claims (received, category; optionally resolved, amounts claimed "
        "and settled, the company's response, timely and disputed, when it responded, "
        "product and channel)",
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
            "channel": "text",
            "campaign": "text",
            "product_group": "text",
            "stage_entered": "date",
        },
        "CRM deals (manager, client, stage, dates, outcome, planned and paid amounts)",
    ),
    "contacts": TableSpec(
        "contacts",
        {"client": "text", "date": "date"},
        {"type": "text", "manager": "text", "next_contact": "date", "deal_id": "text"},
        "the contact history of the CRM (client, date; optionally the type of contact, "
        "the manager, the next planned contact and the deal)",
    ),
    "stage_history": TableSpec(
        "stage_history",
        {"deal_id": "text", "stage": "text", "entered": "date"},
        {},
        "the stage history of the CRM's deals: one row each time a deal entered a stage "
        "(deal_id of deals.csv, the stage, the date it entered it)",
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


#: flag values that mean the answer is not recorded (the CFPB register writes "N/A")
_NOT_RECORDED = ("", "n/a", "na", "-")


#: the formats of a DMY or MDY date (``read.date_order``), with or without a time
_DATE_PARTS = {
    "DMY": [f"%d{s}%m{s}%{y}" for s in "/.-" for y in "Yy"],
    "MDY": [f"%m{s}%d{s}%{y}" for s in "/.-" for y in "Yy"],
}
_TIME_PARTS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
#: a date written day/month/year or month/day/year: not ISO, its order must be said
_NUMERIC_DATE = r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b"


def _parse_dates(text: pd.Series, date_order: str | None) -> pd.Series:
    """ISO dates, then (with ``date_order``) the rest in that order: NaT where a text is
    none of them."""
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601")
    if date_order is None:
        return parsed
    for date in _DATE_PARTS[date_order]:
        for time in _TIME_PARTS:
            left = text.notna() & parsed.isna()
            if not left.any():
                return parsed
            more = pd.to_datetime(text[left], errors="coerce", format=date + time)
            parsed = parsed.where(~left, more.reindex(parsed.index))
    return parsed


def _date_expected(text: pd.Series, bad: pd.Series, date_order: str | None) -> str:
    if date_order is not None:
        example = "31/03/2026" if date_order == "DMY" else "03/31/2026"
        return (
            f"an ISO date such as 2026-03-31, or a {date_order} date such as {example} "
            "(read.date_order)"
        )
    expected = "an ISO date such as 2026-03-31 or 2026-03-31 08:30"
    if text[bad].str.match(_NUMERIC_DATE).fillna(False).any():
        expected += (
            "; for dates such as 03/31/2026 or 31.03.2026 say their order under the table "
            "in company.yaml: read: {date_order: MDY} (month first) or {date_order: DMY}"
        )
    return expected


def _convert(
    df: pd.DataFrame, col: str, kind: str, file: str, decimal: str, date_order: str | None = None
) -> pd.Series:
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
        text = strip_offsets(text, file, col)
        parsed = _parse_dates(text.where(~blank), date_order)
        bad = ~blank & parsed.isna()
        if bad.any():
            raise DataError.at_first(
                bad,
                "not a date",
                values=s,
                shown=str,
                file=file,
                column=col,
                expected=_date_expected(text, bad, date_order),
            )
        return parsed
    if kind == "flag":
        text = s.astype("string").str.strip().str.lower()
        text = text.where(~text.isin(_NOT_RECORDED))  # "N/A": blank, not a no
        mapped = text.map(_FLAG)
        bad = text.notna() & mapped.isna()
        if bad.any():
            raise DataError.at_first(
                bad,
                "not a yes/no value",
                values=s,
                shown=str,
                file=file,
                column=col,
                expected="1/0, yes/no or true/false (N/A or blank: not recorded)",
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
    columns: Mapping[str, str] | None = None,
    stage_values: Mapping[str, str] | None = None,
    stages: Sequence[str] | None = None,
    joins: Sequence[tuple[Path, str, Mapping]] = (),
    date_order: str | None = None,
) -> pd.DataFrame:
    """Read and type-check one optional table (finance, calls, claims, quality, deals, contacts).

    Required columns must be present and complete; optional ones are typed when present.
    Other columns are kept as they are. ``columns`` (orient name -> the export's column,
    :func:`orient.data.mapping.map_columns`) renames a client's export first, and every
    error then names the export's column; ``stage_values`` derives a deals table's
    ``outcome`` from its stages, and ``stages`` (``crm.stages``) must hold every open
    deal's stage. ``joins`` (path, key column, read options) are lookup tables whose
    columns are added by key first (:func:`orient.data.mapping.join_lookup`).
    ``date_order`` (``DMY`` or ``MDY``) reads dates that are not ISO. ``path``
    may be a database URL (see :func:`orient.data.read.read_source` for a table or query).
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
    return typed_table(
        df,
        info,
        spec,
        columns=columns,
        stage_values=stage_values,
        stages=stages,
        joins=joins,
        date_order=date_order,
    )


def typed_table(
    df: pd.DataFrame,
    info: ReadInfo,
    spec: TableSpec,
    *,
    columns: Mapping[str, str] | None = None,
    stage_values: Mapping[str, str] | None = None,
    stages: Sequence[str] | None = None,
    joins: Sequence[tuple[Path, str, Mapping]] = (),
    date_order: str | None = None,
) -> pd.DataFrame:
    """``df`` as read (``info``) joined, mapped and type-checked by ``spec``; errors
    name the export's columns and count rows as the file does. ``date_order`` (``DMY``
    or ``MDY``): how dates that are not ISO are written."""
    file = info.file
    for lookup_path, on, opts in joins:
        lookup, linfo = read_table(lookup_path, **opts)
        df = join_lookup(df, lookup, on, file, linfo.file)
    back: dict[str, str] = {}
    if columns:
        df, back = map_columns(df, spec.name, [*spec.required, *spec.optional], columns, file)
    try:
        if stage_values is not None and spec.name == "deals":
            df = apply_stage_values(df, stage_values, file)
        elif stage_values is not None and spec.name == "stage_history":
            df = rename_stages(df, stage_values, file)
        out = _typed(df, spec, file, info.decimal, date_order)
        if stages is not None and spec.name == "deals":
            check_open_stages(out, stages, file)
    except DataError as exc:
        raise info.explain(in_export_names(exc, back), df) from None
    return out


def _blank_allowed(out: pd.DataFrame, spec: TableSpec, col: str) -> pd.Series:
    """Rows where a required column may be blank: a deal's amount while the deal is open."""
    if spec.name == "deals" and col == "planned_amount" and "outcome" in out.columns:
        return out["outcome"].astype("string").str.strip().str.lower().eq("open").fillna(False)
    return pd.Series(False, index=out.index)


def _typed(
    df: pd.DataFrame, spec: TableSpec, file: str, decimal: str, date_order: str | None = None
) -> pd.DataFrame:
    for col in spec.required:
        if col not in df.columns:
            raise DataError(
                "required column not found",
                file=file,
                column=col,
                expected=f"the columns {', '.join(spec.required)} ({spec.description}); "
                f"the file has {', '.join(map(str, df.columns[:15]))} (a column of "
                f"another name can be mapped: tables.{spec.name}.columns)",
            )
    if spec.one_of and not any(all(c in df.columns for c in group) for group in spec.one_of):
        wanted = " or ".join("+".join(g) for g in spec.one_of)
        raise DataError(
            "no measurement or count columns", file=file, expected=f"the column(s) {wanted}"
        )
    out = df.copy()
    for col, kind in {**spec.required, **spec.optional}.items():
        if col in df.columns:
            out[col] = _convert(df, col, kind, file, decimal, date_order)
    for col in spec.required:
        blank = out[col].isna() & ~_blank_allowed(out, spec, col)
        if blank.any():
            raise DataError.at_first(
                blank,
                "required value is blank",
                file=file,
                column=col,
                expected="a value on every row",
            )
    _check_unique(out, spec, file)
    check_rules(out, spec.name, file)
    return out


def _check_unique(out: pd.DataFrame, spec: TableSpec, file: str) -> None:
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
    for id_col, table in (("claim_id", "claims"), ("deal_id", "deals")):
        if spec.name == table:
            check_ids(out[id_col], file, id_col, "id")


def read_tables(
    folder: Path, profile: CompanyProfile
) -> tuple[dict[str, pd.DataFrame | None], dict[str, str], dict[str, ReadInfo]]:
    """Read every optional table of a company folder.

    Each table is ``tables.<name>`` of ``company.yaml`` or, when not named there,
    ``<name>.csv`` if that file exists.

    Returns
    -------
    (tables, files, infos)
        ``tables`` maps each name of :data:`TABLES` to its typed DataFrame, or ``None``
        when the file is absent; ``files`` maps each table read to its file name;
        ``infos`` maps each table read to how it was read (:class:`ReadInfo`).
    """
    tables: dict[str, pd.DataFrame | None] = {}
    files: dict[str, str] = {}
    infos: dict[str, ReadInfo] = {}
    for name, spec in TABLES.items():
        ref = getattr(profile.tables, name)
        crm = profile.crm if name in ("deals", "stage_history") else None
        mapping = {
            "columns": ref.columns if isinstance(ref, TableRef) else None,
            "stage_values": crm.stage_values if crm else None,
            "stages": crm.stages if crm and name == "deals" else None,
            "joins": _joins(folder, ref, name),
            "date_order": ref.read.date_order if isinstance(ref, TableRef) else None,
        }
        if isinstance(ref, str) and is_url(ref):
            ref = TableRef(file=ref)  # then read.table or read.query is missing: said so
        if isinstance(ref, TableRef) and (ref.read.url_env or is_url(ref.file)):
            df, info = read_source(folder, ref.file, ref.read, f"tables.{name}")
            tables[name] = typed_table(df, info, spec, **mapping)
            files[name], infos[name] = info.file, info
            continue
        if isinstance(ref, TableRef):
            fname, opts = ref.file, ref.read
        else:
            fname, opts = (ref or f"{name}.csv"), ReadOptions()
        fpath = check_file_in(folder, fname, f"tables.{name}", opts.max_mb)
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
        df, info = read_table(
            fpath,
            encoding=opts.encoding,
            sep=opts.sep,
            decimal=opts.decimal,
            sheet=opts.sheet,
            header_rows=opts.header_rows,
            names_row=opts.names_row,
        )
        tables[name] = typed_table(df, info, spec, **mapping)
        files[name], infos[name] = fname, info
    if tables.get("stage_history") is not None:
        check_stage_history(tables["stage_history"], tables.get("deals"), files)
    return tables, files, infos


def _joins(folder: Path, ref, name: str) -> list[tuple[Path, str, dict]]:
    """The lookup tables of ``tables.<name>.join``: (path, key column, read options)."""
    join = getattr(ref, "join", None) if isinstance(ref, TableRef) else None
    if join is None:
        return []
    out = []
    for i, spec in enumerate(join if isinstance(join, list) else [join]):
        key = f"tables.{name}.join" + (f"[{i}]" if isinstance(join, list) else "")
        path = check_file_in(folder, spec.file, key, spec.read.max_mb)
        if not path.exists():
            raise DataError(
                "lookup table named in company.yaml not found",
                file=PROFILE_FILE,
                column=f"{key}.file",
                value=spec.file,
                expected="an existing file in the company folder",
            )
        opts = {"encoding": spec.read.encoding, "sep": spec.read.sep, "decimal": spec.read.decimal}
        out.append((path, spec.on, opts))
    return out
