"""The conjoint responses file company.yaml's ``conjoint.file`` names, read and checked.

:func:`read_conjoint` gives the long table stage IV estimates from: one row per profile
rated (``kind: ratings``: ``respondent_id``, the attribute columns, ``rating``, optional
``segment``) or per alternative shown (``kind: choice``: ``respondent_id``, ``task``,
the attribute columns, ``chosen``). Every problem is a :class:`~orient.errors.DataError`
naming the file, the column and the row (the header is row 1).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from orient.data.profile import PROFILE_FILE, check_file_in
from orient.data.read import read_table
from orient.errors import DataError

__all__ = ["read_conjoint"]

_CHOSEN = {"1": 1, "0": 0, "1.0": 1, "0.0": 0, "yes": 1, "no": 0, "true": 1, "false": 0}


def read_conjoint(folder: Path, study: Any) -> tuple[pd.DataFrame | None, str | None]:
    """The responses of ``study`` (company.yaml's ``conjoint``) and the file's name.

    ``(None, None)`` when there is no study or it names no file. Attribute values become
    the declared levels (``"2"`` in the file is the level ``2``).

    Raises
    ------
    DataError
        The file is named but absent; a column is missing; a respondent, task or rating
        is blank; a rating is not a number; a level is not declared; ``chosen`` is not
        0/1, or a choice task has not exactly one chosen alternative.
    """
    if study is None or not getattr(study, "file", None):
        return None, None
    path = check_file_in(folder, study.file, "conjoint.file")
    if not path.exists():
        raise DataError(
            "conjoint responses file named in company.yaml not found",
            file=PROFILE_FILE,
            column="conjoint.file",
            value=study.file,
            expected="an existing file in the company folder",
        )
    df, info = read_table(path, dtype={"respondent_id": str, "task": str})
    file = info.file
    try:
        out = _checked(df.reset_index(drop=True), study, file)
    except DataError as exc:
        raise info.explain(exc, df) from None
    return out, file


def _checked(df: pd.DataFrame, study: Any, file: str) -> pd.DataFrame:
    ratings = study.kind == "ratings"
    needed = ["respondent_id", *study.attributes, *(["rating"] if ratings else ["task", "chosen"])]
    for col in needed:
        if col not in df.columns:
            raise DataError(
                "column missing",
                file=file,
                column=col,
                expected=f"the columns {', '.join(needed)} (conjoint kind: {study.kind})",
            )
    out = df.copy()
    for col in ("respondent_id", *([] if ratings else ["task"])):
        out[col] = _text(df[col], col, file)
    if "segment" in df.columns:
        out["segment"] = df["segment"].astype("string").str.strip()
    for attr, levels in study.attributes.items():
        out[attr] = _levels(df[attr], list(levels), attr, file)
    if ratings:
        out["rating"] = _rating(df["rating"], file)
    else:
        out["chosen"] = _chosen(df["chosen"], file)
        _one_chosen(out, file)
    return out


def _text(s: pd.Series, col: str, file: str) -> pd.Series:
    text = s.astype("string").str.strip()
    blank = text.isna() | (text == "")
    if blank.any():
        raise DataError.at_first(blank, "blank", file=file, column=col, expected="an id")
    return text.astype(object)


def _level_key(value: Any) -> str:
    """A level as text, ``2``, ``2.0`` and ``"2"`` alike."""
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return repr(int(number)) if number.is_integer() else repr(number)


def _levels(s: pd.Series, levels: list, attr: str, file: str) -> pd.Series:
    known = {_level_key(lv): lv for lv in levels}
    keys = s.map(lambda v: None if pd.isna(v) else _level_key(v))
    bad = ~keys.isin(list(known))
    if bad.any():
        raise DataError.at_first(
            bad,
            "not a declared level",
            values=s,
            file=file,
            column=attr,
            expected=f"one of {levels} (conjoint.attributes.{attr})",
        )
    return keys.map(known).astype(object)


def _rating(s: pd.Series, file: str) -> pd.Series:
    num = pd.to_numeric(s, errors="coerce")
    bad = num.isna()
    if bad.any():
        raise DataError.at_first(
            bad,
            "rating missing or not a number",
            values=s,
            file=file,
            column="rating",
            expected="a number on every row (leave out the row of a profile not rated)",
        )
    return num.astype(float)


def _chosen(s: pd.Series, file: str) -> pd.Series:
    flags = s.map(lambda v: None if pd.isna(v) else _CHOSEN.get(str(v).strip().lower()))
    bad = flags.isna()
    if bad.any():
        raise DataError.at_first(
            bad, "not 0 or 1", values=s, file=file, column="chosen", expected="1 or 0"
        )
    return flags.astype(int)


def _one_chosen(out: pd.DataFrame, file: str) -> None:
    per_task = out.groupby(["respondent_id", "task"], sort=False)["chosen"].transform("sum")
    bad = per_task != 1
    if bad.any():
        raise DataError.at_first(
            bad,
            "a choice task without exactly one chosen alternative",
            values=per_task,
            shown=lambda n: f"{n} chosen",
            file=file,
            column="chosen",
            expected="1 on one alternative of each respondent's task, 0 on the others",
        )
