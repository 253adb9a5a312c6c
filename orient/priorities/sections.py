"""Stage III section texts that depend on the data: what the strategic matrix's axes
are (the gap to the competitor, or our own score against the mean of the attributes
when the survey has no competitor ratings) and what the priority weighs.

Each text is chosen from the :class:`~orient.priorities.stage.PrioritiesResult` it
describes, so that no competitor wording appears without competitor ratings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["matrix_axis", "matrix_caption", "matrix_text", "priorities_text"]


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
            "mean score of the attributes: *strong* and *weak* below mean above and below "
            "our own average. The dashed lines split the chart into four fields, each with "
            "its own action:",
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
    """What the priority order weighs: the gap to the competitor, or the shortfall from
    the top of the scale when no competitor was rated."""
    t = _t(language)
    matrix = result.matrix
    against_competitor = matrix.attrs.get("relative", False) or bool(
        matrix["competitor"].notna().all()
    )
    if against_competitor:
        head = t.pgettext(
            "priorities",
            "The benefits in the order to act on them: the priority weighs each benefit's "
            "importance by how far we trail the competitor on it.",
        )
    else:
        head = t.pgettext(
            "priorities",
            "The benefits in the order to act on them: the priority weighs each benefit's "
            "importance by how far its score falls short of the top of the scale (100); the "
            "survey rates no other company to compare with.",
        )
    tail = t.pgettext(
        "priorities",
        "A benefit in the *maintain or reduce* field that is a basic factor is flagged: do "
        "not cut it, it hurts when it slips.",
    )
    return f"{head} {tail}"
