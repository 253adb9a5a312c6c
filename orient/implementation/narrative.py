"""The sentences of stage IV: the notes that say what :func:`analyse` left out, and why.

Each note is a template with named fields, filled by :func:`note`; English only for
now (the notes do not yet go through :mod:`orient._text`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["NOTES", "note"]

#: the note templates by key (``str.format`` fields)
NOTES: dict[str, str] = {
    "fallback_matrix": (
        "No stage III result was passed: priorities use a simple fallback "
        "(importance = correlation with overall satisfaction)."
    ),
    "no_actions": "company.yaml has no `actions`: owners, deadlines and costs are blank.",
    "no_qfd": "company.yaml has no `qfd` section: no house of quality.",
    "investment_left_out": (
        "Investment {name!r}: no benefit could be predicted for {attribute!r}; left out."
    ),
    "no_investments": "company.yaml has no `investments`: no investment appraisal.",
    "conjoint_file_missing": "Conjoint responses file {file!r} not found: design only.",
    "no_conjoint": "company.yaml has no `conjoint` study.",
    "loop_from_waves": (
        "The improvement loop compares waves {earlier} and {later} with a simple matrix per "
        "wave (importance = correlation with overall satisfaction, cuts at the means); pass "
        "`previous=` to compare stage III matrices."
    ),
    "one_wave": "Only one survey wave: the improvement loop needs an earlier one.",
}


def note(key: str, **values: Any) -> str:
    """The note ``key`` of :data:`NOTES`, its fields filled from ``values``.

    Examples
    --------
    >>> note("conjoint_file_missing", file="cbc.csv")
    "Conjoint responses file 'cbc.csv' not found: design only."
    """
    return NOTES[key].format(**values)
