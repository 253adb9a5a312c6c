"""Whether the survey can carry the analyses: what ``orient validate`` checks so that a
valid company folder gives a report.

Two kinds of problem:

* A survey too thin for a stage (:func:`survey_base`): fewer respondents than
  ``reporting.min_base``, or no more respondents who rated every attribute than the
  driver model has coefficients. The stages that cannot run are left out of the
  report and say why (:func:`orient.stages.missing_data`); the others run.
* A survey that has the base but cannot be analysed as it stands
  (:func:`check_analysable`): an overall rating or an attribute every respondent
  gave the same value, two attributes with the same answers on every row, or
  attributes that are an exact linear combination of others. These are
  :class:`~orient.errors.DataError` at load, naming the file and columns.

>>> import pandas as pd
>>> survey = pd.DataFrame({"overall": [1, 2, 3, 4], "a": [1, 2, 2, 1], "b": [2, 1, 1, 3]})
>>> survey_base(survey, ["a", "b"])
{'respondents': 4, 'complete': 4, 'drivers': 2}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from orient.errors import DataError

__all__ = ["check_analysable", "survey_base", "thin_survey"]


def survey_base(survey: pd.DataFrame, keys: Sequence[str]) -> dict[str, int]:
    """How many respondents the survey has, how many rated the overall and every
    attribute of ``keys`` (the rows the driver model uses), and how many attributes."""
    keys = [k for k in keys if k in survey.columns]
    cols = ["overall", *keys] if "overall" in survey.columns else keys
    complete = int(survey[cols].notna().all(axis=1).sum()) if cols else 0
    return {"respondents": int(len(survey)), "complete": complete, "drivers": len(keys)}


def thin_survey(base: Mapping[str, int], min_base: int) -> dict[str, str]:
    """What a thin survey leaves out: stage key -> the kind of missing data.

    ``survey_base``: fewer respondents than ``min_base`` (every figure of stages I-IV
    would be suppressed); ``complete_answers``: no more complete respondents than the
    driver model's coefficients (stages III and IV need the model; stage I falls back
    to a correlation-based matrix).

    >>> thin_survey({"respondents": 13, "complete": 12, "drivers": 12}, 30)["priorities"]
    'survey_base'
    >>> thin_survey({"respondents": 40, "complete": 12, "drivers": 12}, 30)
    {'priorities': 'complete_answers', 'implementation': 'complete_answers'}
    >>> thin_survey({"respondents": 40, "complete": 40, "drivers": 12}, 30)
    {}
    """
    if base["respondents"] < min_base:
        stages = ("strategy", "satisfaction", "priorities", "implementation")
        return dict.fromkeys(stages, "survey_base")
    if base["complete"] <= base["drivers"] + 1:
        return dict.fromkeys(("priorities", "implementation"), "complete_answers")
    return {}


def check_analysable(
    survey: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    file: str,
    min_base: int,
) -> None:
    """Raise a :class:`DataError` when a survey with enough respondents cannot be analysed.

    ``columns`` maps the canonical column (``overall`` and each attribute key) to the
    file's column name. A survey too thin for the analyses (:func:`thin_survey`) is not
    checked: its stages are left out anyway, and a few respondents may well agree by
    chance.
    """
    keys = [k for k in columns if k != "overall" and k in survey.columns]
    if thin_survey(survey_base(survey, keys), min_base):
        return
    rows = survey[["overall", *keys]].dropna()
    n = len(rows)
    for key in ["overall", *keys]:
        values = rows[key].to_numpy(dtype=float)
        if np.ptp(values) == 0:
            what = "overall rating" if key == "overall" else "attribute"
            raise DataError(
                f"every one of the {n} respondents who answered the overall rating and every "
                f"attribute gave this {what} the same value ({values[0]:g})",
                file=file,
                column=columns[key],
                expected="ratings that vary between respondents (a question everyone "
                "answers alike explains nothing: drop it from survey.attributes)"
                if key != "overall"
                else "overall ratings that vary between respondents",
            )
    _check_duplicates(rows, keys, columns, file)
    _check_collinear(rows, keys, columns, file)


def _check_duplicates(rows: pd.DataFrame, keys, columns, file: str) -> None:
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if rows[a].equals(rows[b]):
                raise DataError(
                    f"attributes {a!r} and {b!r} have the same answer on every row "
                    f"(columns {columns[a]!r} and {columns[b]!r})",
                    file=file,
                    column=columns[b],
                    expected="one column per attribute (the same column twice, or a copy: "
                    "drop one of them from survey.attributes)",
                )


def _check_collinear(rows: pd.DataFrame, keys, columns, file: str) -> None:
    """Attributes one of which is an exact linear combination of the others (the rank
    test of the driver model, on the rows it uses)."""
    if len(keys) < 2:
        return
    corr = np.corrcoef(rows[keys].to_numpy(dtype=float), rowvar=False)
    evals, evecs = np.linalg.eigh(corr)
    if evals[0] > 1e-10 * max(1.0, evals[-1]):
        return
    involved = [keys[i] for i in np.flatnonzero(np.abs(evecs[:, 0]) > 1e-6)]
    raise DataError(
        "attributes are perfectly collinear (one is an exact linear combination of the "
        "others): columns " + ", ".join(repr(columns[k]) for k in involved),
        file=file,
        column=columns[involved[0]],
        expected="attributes measured separately (drop or combine one of them in "
        "survey.attributes)",
    )
