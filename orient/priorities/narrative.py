"""Stage III in words: :func:`narrative` (sentences generated from the priorities table)
and the section texts that depend on the data: what the strategic matrix's axes are
(:func:`matrix_text`, :func:`matrix_caption`: the gap to the competitor, or our own
score against the mean of the attributes when the survey rates no competitor) and what
the priority weighs (:func:`priorities_text`), so that no competitor wording appears
without competitor ratings.

Also the reader's words for factor types and quadrants (``_FACTOR_WORDS``,
``_QUADRANT_WORDS``) that :mod:`orient.priorities.display` uses for table cells.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from orient.i18n import check_language, sentence

__all__ = ["matrix_axis", "matrix_caption", "matrix_text", "narrative", "priorities_text"]

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
        "do not cut" flag. An attribute whose interval contains a cut of the matrix
        (``near_line``) gets no firm verdict: its sentence says it is on the line
        between the fields it could be in, within the noise of the survey.
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
    sentences += _model_sentences(drivers, language)
    ci = None
    if gaps is not None:
        ci = gaps[gaps["segment"] == "all"].set_index("attribute")[["ci_low", "ci_high"]]

    def describe(attr: Any, row: pd.Series, action: str) -> str:
        fields = _open_fields(row)
        if fields:  # its interval reaches another field: no firm quadrant verdict
            action = "on_line"
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
            fields=[_quadrant_word(q, language) for q in fields],
        )

    unclear = _not_distinguishable(drivers)
    names = table["label"].to_dict()
    table = table[~table.index.isin(unclear)]
    improve = table[table["quadrant"] == "improve"].head(top)
    for i, (attr, row) in enumerate(improve.iterrows()):
        sentences.append(describe(attr, row, "improve_first" if i == 0 else "improve"))
    if improve.empty:
        near = [row["label"] for _a, row in table.iterrows() if "improve" in _open_fields(row)]
        sentences.append(sentence("priorities.no_improve", language, near=near))
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


def _open_fields(row: pd.Series) -> tuple:
    """The quadrants an attribute could be in when its interval contains a cut (its
    ``fields`` in :func:`strategic_matrix`); empty when its quadrant is established."""
    fields = row.get("fields")
    if not bool(row.get("near_line", False)) or not isinstance(fields, tuple | list):
        return ()
    return tuple(fields) if len(fields) > 1 else ()


def _quadrant_word(quadrant: str, language: str) -> str:
    from orient.i18n.catalog import texts

    return str(texts(language).get("quadrants", {}).get(quadrant, quadrant))


def _model_sentences(drivers: pd.DataFrame | None, language: str) -> list[str]:
    """How a two-point overall was modelled and its weights computed (exactly, or from
    sampled orderings with their Monte Carlo error), and the bootstrap resamples when
    fewer were drawn than requested; nothing for a continuous overall."""
    if drivers is None:
        return []
    a = drivers.attrs
    total = float(np.abs(drivers["importance"]).sum()) or 1.0
    out = []
    if a.get("outcome") == "binary":
        mc = a.get("mc_se")
        out.append(
            sentence(
                "priorities.binary_model",
                language,
                model=a.get("binary_method") or "logit",
                r2=a.get("r2"),
                exact=a.get("exact"),
                models=2 ** len(drivers),
                permutations=a.get("permutations"),
                mc_se=None if mc is None else mc / total,
            )
        )
    if a.get("outcome") == "ordinal":
        mc = a.get("mc_se")
        out.append(
            sentence(
                "priorities.ordinal_model",
                language,
                r2=a.get("r2"),
                exact=a.get("exact") is not False,
                models=2 ** len(drivers),
                permutations=a.get("permutations"),
                mc_se=None if mc is None else mc / total,
            )
        )
    asked, drawn = a.get("n_boot_requested") or 0, a.get("n_boot") or 0
    if 0 < drawn < asked and a.get("ci_mc_se") is not None:
        ordinal = a.get("outcome") == "ordinal"
        out.append(
            sentence(
                "priorities.bootstrap_capped_ordinal" if ordinal else "priorities.bootstrap_capped",
                language,
                n_boot=drawn,
                asked=asked,
                ci_se=a["ci_mc_se"] / total,
            )
        )
    return out


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


# --- section texts chosen by the data ---------------------------------------------


def _t(language: str):
    from orient.i18n import translator

    return translator(language)


def matrix_axis(result: Any) -> str:
    """``"gap"`` (our score minus the competitor's), ``"mean"`` (own score, cut at the
    mean of the attributes) or ``"cut"`` (own score, cut at a set value)."""
    matrix = result.matrix
    if matrix.attrs.get("relative", False):
        return "gap"
    cut = matrix.attrs.get("performance_cut")
    if cut is None or np.isclose(float(cut), float(matrix["performance"].mean())):
        return "mean"
    return "cut"


def matrix_text(result: Any, language: str = "en") -> str:
    """What the strategic matrix shows and what each field asks for, in ``language``."""
    t = _t(language)
    axis = matrix_axis(result)
    if axis == "gap":
        intro = t.pgettext(
            "priorities",
            "Each benefit is placed by its importance (up) and our performance against the "
            "competitor (right). The dashed lines split the chart into four fields, each "
            "with its own action:",
        )
        fields = t.pgettext(
            "priorities",
            "- **Improve** (important, behind): improvement is needed; our competitive position "
            "is vulnerable here.\n"
            "- **Keep advantage** (important, ahead): keep or raise performance; the advantage "
            "can grow.\n"
            "- **Maintain or reduce** (less important, ahead): keep it, or spend less, or "
            "retarget; but check first that it is not a basic factor (below).\n"
            "- **Low priority** (less important, behind): do not spend resources here.",
        )
        return f"{intro}\n\n{fields}"
    if axis == "mean":
        intro = t.pgettext(
            "priorities",
            "Each benefit is placed by its importance (up) and our own score on 0-100 "
            "(right). The survey rates no other company, so the vertical dashed line is the "
            "mean score of the attributes: *strong* and *weak* mean above and below "
            "that mean. The dashed lines split the chart into four fields, each with its "
            "own action:",
        )
    else:
        intro = t.pgettext(
            "priorities",
            "Each benefit is placed by its importance (up) and our own score on 0-100 "
            "(right). The vertical dashed line is the cut set for this analysis. The dashed lines split the chart into four fields, each with its "
            "own action:",
        )
    fields = t.pgettext(
        "priorities",
        "- **Improve** (important, weak): improvement is needed here first.\n"
        "- **Keep advantage** (important, strong): keep or raise performance.\n"
        "- **Maintain or reduce** (less important, strong): keep it, or spend less, or "
        "retarget; but check first that it is not a basic factor (below).\n"
        "- **Low priority** (less important, weak): do not spend resources here.",
    )
    return f"{intro}\n\n{fields}"


def matrix_caption(result: Any, language: str = "en") -> str | None:
    """The matrix figure's caption when its axis is not the gap to a competitor."""
    if matrix_axis(result) == "gap":
        return None
    return _t(language).pgettext(
        "priorities",
        "The strategic satisfaction matrix: our own score against the mean of the "
        "attributes (the survey rates no other company)",
    )


def priorities_text(result: Any, language: str = "en") -> str:
    """The order to act: by the field of the matrix, then by the priority, which weighs
    the gap to the competitor, or the shortfall from the top of the scale when no
    competitor was rated."""
    t = _t(language)
    matrix = result.matrix
    against_competitor = matrix.attrs.get("relative", False) or bool(
        matrix["competitor"].notna().all()
    )
    if against_competitor:
        head = t.pgettext(
            "priorities",
            "The benefits in the order to act on them: by the field of the matrix (*improve* "
            "first, then *keep the advantage*, *maintain or reduce* and *low priority*) and, "
            "within a field, by the priority, which weighs each benefit's importance by how "
            "far we trail the competitor on it.",
        )
    else:
        head = t.pgettext(
            "priorities",
            "The benefits in the order to act on them: by the field of the matrix (*improve* "
            "first, then *keep the advantage*, *maintain or reduce* and *low priority*) and, "
            "within a field, by the priority, which weighs each benefit's importance by how "
            "far its score falls short of the top of the scale (100); the survey rates no "
            "other company to compare with.",
        )
    tail = t.pgettext(
        "priorities",
        "A benefit in the *maintain or reduce* field that is a basic factor is flagged: do "
        "not cut it, it hurts when it slips.",
    )
    return f"{head} {tail}"
