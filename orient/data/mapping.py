"""Operational tables in the client's own shape: column names and CRM stage values.

``tables.<name>.columns`` of company.yaml maps orient's column names to the export's
(``{manager: sales_agent, stage: deal_stage}``); :func:`map_columns` renames the
export's columns to orient's and keeps the way back, so that every error names the
column as the client's file has it (:func:`in_export_names`). ``crm.stage_values``
maps the CRM's stage values to ``won``, ``lost`` or an open stage of the funnel;
:func:`apply_stage_values` derives the ``outcome`` column from them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from orient.errors import DataError

__all__ = [
    "ALIASES",
    "join_lookup",
    "apply_stage_values",
    "check_open_stages",
    "in_export_names",
    "map_columns",
]

#: short names accepted in ``columns:`` for a table's main column
ALIASES: dict[str, dict[str, str]] = {
    "deals": {"amount": "planned_amount"},
    "claims": {"amount": "amount_claimed", "date": "received"},
}


def map_columns(
    df: pd.DataFrame,
    table: str,
    known: Sequence[str],
    columns: Mapping[str, str],
    file: str,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """``df`` with the export's columns renamed to orient's, and orient name -> export name.

    Raises
    ------
    DataError
        For an orient name the table does not have (naming the company.yaml key), an
        export column the file does not have (naming that column), or an export column
        that already bears the orient name of another mapped column.
    """
    key = f"tables.{table}.columns"
    back: dict[str, str] = {}
    for ours, theirs in columns.items():
        name = ALIASES.get(table, {}).get(ours, ours)
        if name not in known:
            raise DataError(
                f"{ours!r} is not a column of the {table} table",
                file="company.yaml",
                column=f"{key}.{ours}",
                expected="one of " + ", ".join([*known, *ALIASES.get(table, {})]),
            )
        if theirs not in df.columns:
            raise DataError(
                "column named in company.yaml not found",
                file=file,
                column=theirs,
                expected=f"the column {key}.{ours} names; the file has "
                + ", ".join(map(str, df.columns[:20])),
            )
        back[name] = theirs
    renamed = {theirs: ours for ours, theirs in back.items()}
    for ours, theirs in back.items():
        if ours in df.columns and ours != theirs and ours not in renamed:
            raise DataError(
                f"the file has a column {ours!r} besides {theirs!r}, which {key} maps to {ours!r}",
                file=file,
                column=ours,
                expected=f"one column for {ours!r}: rename or drop the other in the export",
            )
    return df.rename(columns=renamed), back


def in_export_names(exc: DataError, back: Mapping[str, str]) -> DataError:
    """``exc`` naming the export's column instead of orient's (when it was mapped)."""
    if exc.column not in back:
        return exc
    return DataError(
        exc.problem,
        file=exc.file,
        column=back[exc.column],
        row=exc.row,
        value=exc.value,
        expected=exc.expected,
    )


def _mapped_stages(
    df: pd.DataFrame, stage_values: Mapping[str, str], file: str, *, expected: str
) -> tuple[pd.Series, pd.Series]:
    """``df``'s stage values without surrounding spaces and their targets under
    ``stage_values``.

    Raises
    ------
    DataError
        When a stage value is not in ``stage_values`` (listing every such value and the
        first row; ``expected`` says what was expected).
    """
    text = df["stage"].astype("string").str.strip()
    target = text.map(dict(stage_values))
    unknown = text.notna() & target.isna()
    if unknown.any():
        values = sorted(text[unknown].unique(), key=str)
        raise DataError.at_first(
            unknown,
            f"stage value(s) not in crm.stage_values: {', '.join(map(repr, values))}",
            values=text,
            file=file,
            column="stage",
            expected=expected,
        )
    return text, target


def apply_stage_values(
    df: pd.DataFrame, stage_values: Mapping[str, str], file: str
) -> pd.DataFrame:
    """``df`` with ``outcome`` derived from ``stage`` by ``crm.stage_values``.

    A stage value mapped to ``won`` or ``lost`` gives that outcome (and the stage
    ``won`` or ``lost``: where a lost deal was lost is then not known); any other
    target is an open stage of that name. Values are compared without surrounding
    spaces.

    Raises
    ------
    DataError
        When the table also has an ``outcome`` column, or a stage value is not in
        ``stage_values`` (listing every such value and the first row).
    """
    if "outcome" in df.columns:
        raise DataError(
            "the table has an outcome column and crm.stage_values derives it",
            file=file,
            column="outcome",
            expected="either the outcome column or crm.stage_values, not both",
        )
    if "stage" not in df.columns:
        return df  # the missing stage column is reported by the table's own check
    text, target = _mapped_stages(
        df,
        stage_values,
        file,
        expected="each stage value mapped to won, lost or a stage of the funnel ("
        + ", ".join(f"{k} -> {v}" for k, v in stage_values.items())
        + ")",
    )
    out = df.copy()
    out["outcome"] = target.where(target.isin(["won", "lost"]), "open").where(text.notna())
    out["stage"] = target
    return out


def rename_stages(df: pd.DataFrame, stage_values: Mapping[str, str], file: str) -> pd.DataFrame:
    """A stage history's ``stage`` column under the names ``crm.stage_values`` gives the
    deals' stages (a value mapped to ``won`` or ``lost`` becomes that word).

    Raises
    ------
    DataError
        When a stage value is not in ``stage_values`` (listing every such value).
    """
    if "stage" not in df.columns:
        return df
    _, target = _mapped_stages(
        df, stage_values, file, expected="the stages of deals.csv, each mapped by crm.stage_values"
    )
    out = df.copy()
    out["stage"] = target
    return out


def check_stage_history(history: pd.DataFrame, deals: pd.DataFrame | None, files) -> None:
    """A stage history belongs to the deals table: every ``deal_id`` is a deal of it and
    no deal enters a stage before it was created.

    Raises
    ------
    DataError
        Naming the stage history's file, column and first row at fault.
    """
    file = files.get("stage_history", "stage_history.csv")
    if deals is None:
        raise DataError(
            "a stage history without a deals table",
            file=file,
            expected="deals.csv (or tables.deals) with the deals whose stages it records",
        )
    ids = deals["deal_id"].astype("string").str.strip()
    hid = history["deal_id"].astype("string").str.strip()
    unknown = ~hid.isin(set(ids.dropna()))
    if unknown.any():
        raise DataError.at_first(
            unknown,
            f"{int(unknown.sum())} row(s) of a deal that is not in {files.get('deals', 'deals')}",
            values=hid,
            file=file,
            column="deal_id",
            expected="the deal_id of a deal in the deals table",
        )
    created = hid.map(dict(zip(ids, deals["created"], strict=False)))
    early = (history["entered"] < pd.to_datetime(created)).fillna(False).to_numpy()
    if early.any():
        raise DataError.at_first(
            early,
            "the deal entered a stage before it was created",
            values=history["entered"],
            shown=lambda v: str(pd.Timestamp(v).date()),
            file=file,
            column="entered",
            expected="a date on or after the deal's created date in the deals table",
        )


def check_open_stages(df: pd.DataFrame, stages: Sequence[str], file: str) -> None:
    """Every open deal's stage is one of ``crm.stages`` (else the funnel cannot place it).

    Raises
    ------
    DataError
        Listing the stage values of open deals that are not in ``crm.stages``.
    """
    if not {"stage", "outcome"}.issubset(df.columns):
        return
    is_open = df["outcome"].astype("string").str.strip().str.lower() == "open"
    unknown = is_open & ~df["stage"].isin(list(stages))
    if unknown.any():
        values = sorted(df.loc[unknown, "stage"].dropna().unique(), key=str)
        raise DataError.at_first(
            unknown,
            f"open deals at stage(s) not in crm.stages: {', '.join(map(repr, values))}",
            values=df["stage"],
            file=file,
            column="stage",
            expected="one of crm.stages (" + ", ".join(stages) + ") or map them with "
            "crm.stage_values",
        )


def join_lookup(df: pd.DataFrame, lookup: pd.DataFrame, on: str, file: str, lookup_file: str):
    """``df`` with the columns of ``lookup`` joined by the key column ``on``.

    Rows with a blank key get blanks; the lookup's key values must be unique, its other
    columns must not already be in ``df``, and every key of ``df`` must be in the lookup.

    Raises
    ------
    DataError
        For a key column missing from either file, a key twice in the lookup, a column in
        both files, or keys of ``df`` the lookup lacks (listing them, first row named).
    """
    for frame, name in ((df, file), (lookup, lookup_file)):
        if on not in frame.columns:
            raise DataError(
                "join key column not found",
                file=name,
                column=on,
                expected="the column named in join.on, in both files; this one has "
                + ", ".join(map(str, frame.columns[:20])),
            )
    keys = lookup[on].astype("string").str.strip()
    dup = keys.notna() & keys.duplicated()
    if dup.any():
        raise DataError.at_first(
            dup,
            "key appears twice in the lookup",
            values=keys,
            file=lookup_file,
            column=on,
            expected="each key once",
        )
    both = [c for c in lookup.columns if c != on and c in df.columns]
    if both:
        raise DataError(
            f"column(s) in both files: {', '.join(map(repr, both))}",
            file=lookup_file,
            column=both[0],
            expected=f"the lookup's columns not already in {file}",
        )
    mine = df[on].astype("string").str.strip()
    unmatched = mine.notna() & (mine != "") & ~mine.isin(keys.dropna())
    if unmatched.any():
        values = sorted(mine[unmatched].unique(), key=str)
        shown = ", ".join(map(repr, values[:10])) + (" ..." if len(values) > 10 else "")
        raise DataError.at_first(
            unmatched,
            f"{len(values)} key(s) not in {lookup_file}: {shown}",
            values=mine,
            file=file,
            column=on,
            expected=f"every {on} listed in {lookup_file}",
        )
    table = lookup.assign(**{on: keys}).set_index(on)
    joined = table.reindex(mine.where(mine != "").to_numpy())
    joined.index = df.index
    return pd.concat([df, joined], axis=1)
