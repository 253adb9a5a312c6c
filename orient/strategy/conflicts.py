"""Goals that pull against each other or against stage III's priorities.

:func:`conflict_findings` checks the goals' intents (improve, maintain, cut cost) on the
attributes they name against stage III's strategic matrix, and against each other, and
checks that every balanced-scorecard perspective has a goal. No language: the reasons in
words are :func:`orient.strategy.goal_conflicts`'s.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.strategy.scorecard import PERSPECTIVES

__all__ = ["conflict_findings"]


#: (goal intent, stage III quadrant) -> (severity, rule); the rule names the sentence
#: ``strategy.<rule>`` of orient/templates/text/<language>.yaml
_RULES = {
    ("cut_cost", "improve"): ("conflict", "conflict_cut_improve"),
    ("cut_cost", "keep_advantage"): ("conflict", "conflict_cut_advantage"),
    ("improve", "low_priority"): ("caution", "caution_low_priority"),
    ("improve", "maintain_or_reduce"): ("caution", "caution_maintain"),
}

_FINDING_COLUMNS = [
    "goal",
    "other_goal",
    "attribute",
    "quadrant",
    "perspective",
    "severity",
    "rule",
]


def conflict_findings(goals: pd.DataFrame, matrix: pd.DataFrame | None = None) -> pd.DataFrame:
    """Goals that pull against each other or against stage III's priorities.

    Rules, in the order they are checked:

    * ``conflict``: a ``cut_cost`` goal on an attribute stage III says to ``improve``
      (customers want more of what the goal would cut);
    * ``conflict``: a ``cut_cost`` goal on a ``keep_advantage`` attribute (cutting
      erodes a competitive advantage);
    * ``caution``: an ``improve`` goal on a ``low_priority`` attribute (stage III says
      not to spend there);
    * ``caution``: an ``improve`` goal on a ``maintain_or_reduce`` attribute (already
      performing above what its importance asks);
    * ``conflict``: two goals on the same attribute, one to ``improve`` and one to
      ``cut_cost``;
    * ``caution``: a perspective with no goal (the scorecard is not balanced).

    :func:`orient.strategy.goal_conflicts` adds the reason to each finding, in words.

    Parameters
    ----------
    goals : DataFrame
        From :func:`goals_frame` (uses ``perspective``, ``attributes``, ``intent``).
    matrix : DataFrame, optional
        Stage III strategic matrix indexed by attribute key with a ``quadrant`` column
        (``improve``, ``keep_advantage``, ``maintain_or_reduce``, ``low_priority``).

    Returns
    -------
    pandas.DataFrame
        One row per finding, columns ``goal``, ``other_goal`` (None unless two goals
        clash), ``attribute`` (None for a missing perspective), ``quadrant`` (stage III
        quadrant, None when not known), ``perspective`` (the perspective without a goal;
        None for the other findings), ``severity`` (``"conflict"`` or ``"caution"``) and
        ``rule`` (``"conflict_cut_improve"``, ``"conflict_cut_advantage"``,
        ``"caution_low_priority"``, ``"caution_maintain"``, ``"conflict_goals"`` or
        ``"caution_perspective"``, in the order of the rules above).
    """
    check_dataframe(goals, "goals")
    check_columns(goals, ["perspective"], "goals")
    if matrix is not None:
        check_dataframe(matrix, "matrix")
        check_columns(matrix, ["quadrant"], "matrix")
    rows: list[dict[str, Any]] = []
    quadrant = {} if matrix is None else matrix["quadrant"].to_dict()
    has_attr = "attributes" in goals and "intent" in goals
    by_attr: dict[str, list[tuple[str, str]]] = {}
    if has_attr:
        for g, row in goals.iterrows():
            intent = row["intent"]
            for a in row["attributes"] or ():
                if intent is not None:
                    by_attr.setdefault(a, []).append((g, intent))
                q = quadrant.get(a)
                if (intent, q) in _RULES:
                    sev, rule = _RULES[(intent, q)]
                    rows.append(
                        {
                            "goal": g,
                            "other_goal": None,
                            "attribute": a,
                            "quadrant": q,
                            "perspective": None,
                            "severity": sev,
                            "rule": rule,
                        }
                    )
    for a, items in by_attr.items():
        ups = [g for g, i in items if i == "improve"]
        cuts = [g for g, i in items if i == "cut_cost"]
        for g in cuts:
            for h in ups:
                rows.append(
                    {
                        "goal": g,
                        "other_goal": h,
                        "attribute": a,
                        "quadrant": quadrant.get(a),
                        "perspective": None,
                        "severity": "conflict",
                        "rule": "conflict_goals",
                    }
                )
    present = set(goals["perspective"])
    for p in PERSPECTIVES:
        if p not in present:
            rows.append(
                {
                    "goal": None,
                    "other_goal": None,
                    "attribute": None,
                    "quadrant": None,
                    "perspective": p,
                    "severity": "caution",
                    "rule": "caution_perspective",
                }
            )
    return pd.DataFrame(rows, columns=_FINDING_COLUMNS)
