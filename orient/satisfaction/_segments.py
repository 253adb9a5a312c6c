"""Stage II's segment variables: every ``survey.segment`` column, for the NPS breakdown
and the chain's controls (the primary one under ``segment``, the others under their names)."""

from __future__ import annotations

import pandas as pd


def _segment_variables(company, data: pd.DataFrame) -> list[tuple[str, str]]:
    """(name, column of ``data``) of every segment variable of company.yaml that
    ``data`` holds: the primary one as ``segment``, each further one under its name."""
    variables = list(getattr(company.profile.survey, "segments", []) or [])
    if "segment" not in data.columns:
        return []
    out = [(variables[0] if variables else "segment", "segment")]
    out += [(v, v) for v in variables[1:] if v in data.columns]
    return out


def _segment_controls(company, data: pd.DataFrame, matched: int) -> list[str]:
    """The chain's controls: every segment variable with more than one segment, in
    company.yaml's order, while their indicator columns stay under a fifth of the
    ``matched`` respondents (the regressions need rows to spare); the note names those
    held."""
    out, k = [], 0
    for _, col in _segment_variables(company, data):
        levels = int(data[col].nunique())
        if levels > 1 and (not out or 5 * (k + levels - 1 + 2) <= matched):
            out.append(col)
            k += levels - 1
    return out
