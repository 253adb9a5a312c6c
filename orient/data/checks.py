"""Checks for values that cannot be true: ids twice up to case and blanks, a total row
among respondents, time-zone offsets on some dates only, and the operational rules of
the tables (answered > offered, resolved before received, dates in the future...).

Each impossible value is a :class:`~orient.errors.DataError` naming the file, the
column and the row (header = row 1); a suspicious but possible one is an
:class:`~orient.errors.OrientWarning`.
"""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from orient.errors import DataError, OrientWarning

__all__ = ["check_ids", "check_rules", "check_total_row", "strip_offsets"]

#: ids of a row of totals or averages, not a respondent (compared case-insensitively)
TOTAL_WORDS = frozenset(
    "total totals sum average averages mean avg grand total overall total subtotal "
    "итого всего сумма среднее".split()
) | {"grand total", "overall total"}


def id_key(ids: pd.Series) -> pd.Series:
    """The id as compared for duplicates: blanks around it and letter case ignored."""
    key = ids.astype("string").str.strip()
    if key.str.isascii().fillna(True).all():  # casefold is lower-casing for ASCII text
        return key.str.lower()
    return key.str.casefold()


def check_ids(ids: pd.Series, file: str, column: str, what: str) -> None:
    """A DataError when two ids differ only by surrounding blanks or letter case."""
    key = id_key(ids)
    dup = key.duplicated(keep=False) & key.notna()
    if not dup.any():
        return
    rows = np.flatnonzero(dup.to_numpy())
    same = rows[(key.iloc[rows] == key.iloc[rows[0]]).to_numpy()]
    a, b = ids.iloc[same[0]], ids.iloc[same[1]]
    how = "" if a == b else " (they differ only in letter case or blanks around them)"
    raise DataError(
        f"duplicate {what} (rows {same[0] + 2} and {same[1] + 2}){how}",
        file=file,
        column=column,
        row=int(same[1] + 2),
        value=b,
        expected=f"each {what} once",
    )


def check_total_row(
    df: pd.DataFrame, id_col: str | None, rating_cols: list[str], file: str
) -> None:
    """A DataError for a row of totals or averages among the respondents: an id such as
    'Total' or 'Average', or, on the last row, no id and ratings equal to the column
    means or sums of the rows above. Such a row is refused, not dropped: it is the
    export that needs fixing."""
    if (id_col is not None and id_col not in df.columns) or len(df) < 3:
        return
    if id_col is None:  # no id column: only the ratings can tell a total row
        ids = pd.Series([pd.NA] * len(df), index=df.index, dtype="string")
    else:
        ids = id_key(df[id_col])
    word = ids.isin(TOTAL_WORDS).fillna(False).to_numpy(dtype=bool)
    if word.any():
        raise DataError.at_first(
            word,
            "a row of totals or averages, not a respondent",
            values=df[id_col],
            file=file,
            column=id_col,
            expected="one row per respondent: delete the total row from the export",
        )
    if not (pd.isna(ids.iloc[-1]) or ids.iloc[-1] == ""):
        return
    cols = [c for c in dict.fromkeys(rating_cols) if c in df.columns]
    num = df[cols].apply(lambda s: pd.to_numeric(s, errors="coerce"))
    last, above = num.iloc[-1], num.iloc[:-1]
    filled = last.notna()
    if filled.sum() < 2:
        return
    close = [
        np.isclose(last[c], ref[c], atol=0.051)
        for ref in (above.mean(), above.sum())
        for c in last.index[filled]
    ]
    half = len(close) // 2
    if all(close[:half]) or all(close[half:]):
        raise DataError(
            "the last row has no id and its ratings are the column means or sums: a total "
            "row, not a respondent",
            file=file,
            column=id_col,
            row=len(df) + 1,
            expected="one row per respondent: delete the total row from the export",
        )


_OFFSET = re.compile(r"(?:Z|[+-]\d\d:?\d\d)$")


def strip_offsets(text: pd.Series, file: str, column: str) -> pd.Series:
    """Date texts without their UTC offsets (local wall time kept) when every date has
    one; a DataError naming the first row that differs when only some do."""
    filled = text.notna() & (text != "")
    has = text.str.contains(_OFFSET, regex=True).fillna(False) & filled
    if not has.any():
        return text
    if has[filled].all():
        return text.str.replace(_OFFSET, "", regex=True)
    first_has = bool(has[filled].iloc[0])
    odd = (has != first_has) & filled
    raise DataError.at_first(
        odd.to_numpy(dtype=bool),
        "dates with a time-zone offset (+03:00) mixed with dates without one",
        values=text,
        file=file,
        column=column,
        expected="every date written the same way: all with an offset or none",
    )


def _today_plus_one() -> pd.Timestamp:
    return pd.Timestamp.now().normalize() + pd.Timedelta(days=2)  # dates up to tomorrow


def _bad(out, mask, problem, col, file, expected):
    mask = np.asarray(mask.fillna(False) if hasattr(mask, "fillna") else mask, dtype=bool)
    if mask.any():
        raise DataError.at_first(
            mask, problem, values=out[col], shown=_shown, file=file, column=col, expected=expected
        )


def _shown(v):
    return int(v) if isinstance(v, float) and v.is_integer() else v


def _future(out: pd.DataFrame, cols, file: str) -> None:
    limit = _today_plus_one()
    for col in cols:
        if col in out.columns and pd.api.types.is_datetime64_any_dtype(out[col]):
            _bad(
                out,
                out[col] >= limit,
                "date in the future",
                col,
                file,
                f"a date no later than {(limit - pd.Timedelta(days=1)).date()} (tomorrow)",
            )


def _calls(out: pd.DataFrame, file: str) -> None:
    _bad(out, out["answered"] > out["offered"], "more calls answered than offered",
         "answered", file, "answered <= offered")  # fmt: skip
    _bad(out, out["answered_in_target"] > out["answered"],
         "more calls answered within target than answered", "answered_in_target", file,
         "answered_in_target <= answered")  # fmt: skip
    _bad(out, out["abandoned"] > out["offered"], "more calls abandoned than offered",
         "abandoned", file, "abandoned <= offered")  # fmt: skip
    _bad(out, (out["answered"] > 0) & (out["aht_s"] <= 0),
         "average handle time is zero where calls were answered", "aht_s", file,
         "a handle time above 0 seconds on every interval with answered calls")  # fmt: skip
    _future(out, ("interval_start",), file)
    long = out["aht_s"] > 3600
    if long.any():
        i = int(np.flatnonzero(long.to_numpy())[0])
        warnings.warn(
            f"{file}, column 'aht_s', row {i + 2}: an average handle time over an hour "
            f"({_shown(out['aht_s'].iloc[i])} s); check the unit is seconds",
            OrientWarning,
            stacklevel=3,
        )
    over = out["answered"] + out["abandoned"] > out["offered"]
    if over.any():
        i = int(np.flatnonzero(over.to_numpy())[0])
        warnings.warn(
            f"{file}, row {i + 2}: answered + abandoned exceed offered calls "
            f"({int(over.sum())} interval(s)); check how the export counts calls",
            OrientWarning,
            stacklevel=3,
        )


def check_rules(out: pd.DataFrame, table: str, file: str) -> None:
    """The operational rules of a typed table: impossible values are DataErrors."""
    if table == "calls":
        _calls(out, file)
    elif table == "claims":
        if "resolved" in out.columns:
            _bad(out, out["resolved"] < out["received"], "resolved before it was received",
                 "resolved", file, "a resolution date on or after the received date")  # fmt: skip
        _future(out, ("received", "resolved"), file)
    elif table == "deals":
        if "closed" in out.columns:
            _bad(out, out["closed"] < out["created"], "closed before it was created",
                 "closed", file, "a close date on or after the created date")  # fmt: skip
        if "paid_amount" in out.columns:
            _bad(out, out["paid_amount"] > out["planned_amount"] + 0.005,
                 "paid more than the planned amount", "paid_amount", file,
                 "paid_amount <= planned_amount")  # fmt: skip
        if "stage_entered" in out.columns:
            _bad(out, out["stage_entered"] < out["created"], "entered its stage before it was created",
                 "stage_entered", file, "a stage date on or after the created date")  # fmt: skip
        _future(out, ("created", "closed"), file)
    elif table == "contacts":
        _future(out, ("date",), file)
    elif table == "stage_history":
        _future(out, ("entered",), file)
