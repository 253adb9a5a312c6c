"""Stage III in words: :func:`narrative` (sentences generated from the priorities table).

Also the reader's words for factor types and quadrants (``_FACTOR_WORDS``,
``_QUADRANT_WORDS``) that :mod:`orient.priorities.display` uses for table cells.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from orient._text import check_language, sentence

__all__ = ["narrative"]

_FACTOR_WORDS = {
    "basic": "basic (hurts when poor)",
    "performance": "performance (more is better)",
    "excitement": "excitement (delights when good)",
    "undetermined": "undetermined",
}
_QUADRANT_WORDS = {
    "improve": "Improve",
    "keep_advantage": "Keep advantage",
    "maintain_or_reduce": "Maintain or reduce",
    "low_priority": "Low priority",
}


def narrative(
    table: pd.DataFrame,
    *,
    competitor: str | None = None,
    r2: float | None = None,
    n: int | None = None,
    relative: bool = True,
    top: int = 3,
    gaps: pd.DataFrame | None = None,
    language: str = "en",
    drivers: pd.DataFrame | None = None,
) -> list[str]:
    """Short plain-language sentences generated from the numbers.

    Parameters
    ----------
    table : DataFrame
        A :func:`priority_table` result (importance as shares of explained variance).
    competitor : str, optional
        The main competitor's name.
    r2, n : float, int, optional
        R² of the driver model and respondents used (first sentence).
    relative : bool
        Whether ``performance`` is the gap to the competitor (points) rather than a
        0-100 score.
    top : int
        How many attributes of the ``improve`` quadrant to describe (in priority
        order); then the strongest ``keep_advantage`` attribute and every
        "do not cut" flag.
    gaps : DataFrame, optional
        The overall rows of :func:`competitive_performance`, to say when a gap is within
        the margin of error.
    language : {"en", "ru"}
        The language of the sentences (templates ``sentences.priorities`` of
        ``orient/templates/text/<language>.yaml``).
    drivers : DataFrame, optional
        The :func:`driver_importance` result: an attribute whose importance interval
        (``ci_low`` to ``ci_high``) includes zero is not described as a driver; one
        sentence says its effect is not distinguishable from zero.

    Returns
    -------
    list of str
    """
    check_language(language)
    sentences = []
    if r2 is not None and n is not None:
        sentences.append(sentence("priorities.explained", language, k=len(table), r2=r2, n=n))
    ci = None
    if gaps is not None:
        ci = gaps[gaps["segment"] == "all"].set_index("attribute")[["ci_low", "ci_high"]]

    def describe(attr: Any, row: pd.Series, action: str) -> str:
        gap = row["performance"] if relative else row["performance"] - row["competitor"]
        if pd.isna(gap):
            position = "score"
        elif (
            ci is not None
            and attr in ci.index
            and ci.loc[attr, "ci_low"] <= 0 <= ci.loc[attr, "ci_high"]
        ) or round(abs(gap)) == 0:
            position = "level" if gap > 0 else "not_ahead"
        else:
            position = "trails" if gap < 0 else "leads"
        return sentence(
            "priorities.attribute",
            language,
            label=row["label"],
            importance=row["importance"],
            performance=row["performance"],
            gap=None if pd.isna(gap) else abs(gap),
            position=position,
            rival=competitor,
            action=action,
        )

    unclear = _not_distinguishable(drivers)
    names = table["label"].to_dict()
    table = table[~table.index.isin(unclear)]
    improve = table[table["quadrant"] == "improve"].head(top)
    for i, (attr, row) in enumerate(improve.iterrows()):
        sentences.append(describe(attr, row, "improve_first" if i == 0 else "improve"))
    if improve.empty:
        sentences.append(sentence("priorities.no_improve", language))
    keep = table[table["quadrant"] == "keep_advantage"]
    if len(keep):
        attr = keep["importance"].idxmax()
        sentences.append(describe(attr, keep.loc[attr], "keep"))
    for _attr, row in table[table["do_not_cut"]].iterrows():
        sentences.append(sentence("priorities.do_not_cut", language, label=row["label"]))
    for attr in unclear:
        sentences.append(
            _no_effect_sentence(
                drivers.loc[attr],
                names.get(attr, attr),
                language,
                float(drivers.attrs.get("confidence", 0.95)),
            )
        )
    return sentences


def _not_distinguishable(drivers: pd.DataFrame | None) -> list:
    """Attributes whose importance interval includes zero (none without intervals)."""
    if drivers is None or "ci_low" not in drivers.columns:
        return []
    low, high = drivers["ci_low"].astype(float), drivers["ci_high"].astype(float)
    return [a for a in drivers.index[(low <= 0) & (high >= 0)]]


def _no_effect_sentence(row: pd.Series, label: str, language: str, level: float) -> str:
    from orient.i18n import format_number, translator

    template = translator(language).pgettext(
        "priorities",
        "{label}: its effect on overall satisfaction is not distinguishable from zero "
        "({level}% interval {low} to {high}); it is not ranked as a driver.",
    )
    return template.format(
        label=label,
        level=format_number(100 * level, language, 0),
        low=format_number(float(row["ci_low"]), language, 3),
        high=format_number(float(row["ci_high"]), language, 3),
    )
