"""Stage I in words: conflict reasons, direction reasons, notes and the summary.

Every sentence comes from the result it describes, through the templates
``sentences.strategy`` of ``orient/templates/text/<language>.yaml``:
:func:`goal_conflicts` puts :func:`~orient.strategy.scorecard.conflict_findings` into
words, :func:`segment_direction` does the same for
:func:`~orient.strategy.portfolio.direction_rule` (one sentence per segment from
:func:`direction_reason`), :func:`note_sentence` says what the analysis left out and
:func:`summary_sentences` gives stage I to executives in a few sentences and
:func:`inputs_sentences` says which of the other stages' figures this company's stage I
could use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from orient.i18n import check_language, sentence, term
from orient.strategy._common import _ROUND
from orient.strategy.conflicts import conflict_findings
from orient.strategy.portfolio import direction_rule
from orient.strategy.result import StrategyResult
from orient.strategy.scorecard import STATUSES

__all__ = [
    "direction_reason",
    "goal_conflicts",
    "inputs_sentences",
    "note_sentence",
    "segment_direction",
    "summary_sentences",
]


def goal_conflicts(
    goals: pd.DataFrame,
    matrix: pd.DataFrame | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    language: str = "en",
) -> pd.DataFrame:
    """Goals that pull against each other or against stage III's priorities, with reasons.

    The findings of :func:`~orient.strategy.scorecard.conflict_findings` (its rules, in
    its order), each with the reason in a sentence.

    Parameters
    ----------
    goals : DataFrame
        From :func:`goals_frame` (uses ``perspective``, ``attributes``, ``intent``).
    matrix : DataFrame, optional
        Stage III strategic matrix indexed by attribute key with a ``quadrant`` column
        (``improve``, ``keep_advantage``, ``maintain_or_reduce``, ``low_priority``).
    labels : mapping, optional
        Attribute key -> label, used in the reasons (keys otherwise). Goals are named by
        their ``label`` column when ``goals`` has one.
    language : {"en", "ru"}
        The language of ``reason`` (templates ``sentences.strategy`` of
        ``orient/templates/text/<language>.yaml``).

    Returns
    -------
    pandas.DataFrame
        One row per finding, columns ``goal``, ``other_goal`` (None unless two goals
        clash), ``attribute`` (None for a missing perspective), ``quadrant`` (stage III
        quadrant, None when not known), ``severity`` (``"conflict"`` or ``"caution"``) and
        ``reason`` (a sentence).
    """
    findings = conflict_findings(goals, matrix)
    check_language(language)
    labels = dict(labels or {})

    def quote(text):
        return f"\u00ab{text}\u00bb" if language == "ru" else repr(text)

    def gname(g):
        return quote(str(goals.loc[g, "label"])) if "label" in goals else quote(g)

    def aname(a):
        return quote(str(labels.get(a, a)))

    cols = ["goal", "other_goal", "attribute", "quadrant", "severity", "reason"]
    rows: list[dict[str, Any]] = []
    for f in findings.to_dict("records"):
        if f["rule"] == "caution_perspective":
            values = {"perspective": term("values", f["perspective"], language)}
        else:
            values = {"g": gname(f["goal"]), "a": aname(f["attribute"])}
            if f["rule"] == "conflict_goals":
                values["h"] = gname(f["other_goal"])
        rows.append(
            {
                **{c: f[c] for c in cols[:-1]},
                "reason": sentence("strategy." + f["rule"], language, **values),
            }
        )
    return pd.DataFrame(rows, columns=cols)


def direction_reason(
    label: str,
    direction: str,
    *,
    size_share: float,
    high_volume: bool,
    premium: bool,
    gap: float,
    large_gap: bool,
    gap_kind: str = "competitor",
    relative_revenue: float = float("nan"),
    recommendation: str | None = None,
    gap_threshold: float | None = None,
    small_base: int | None = None,
    behind_best: float | None = None,
    low_satisfaction: float = 70.0,
    language: str = "en",
) -> str:
    """The recommendation for one segment as a sentence, with its reasons.

    Parameters
    ----------
    label : str
        Segment name as the reader knows it.
    direction : {"innovation", "incremental"}
    size_share : float
        Segment's share of customers, %.
    high_volume, premium, large_gap : bool
        The rule's inputs (see :func:`segment_direction`).
    gap : float
        The competitive gap in points (or the satisfaction index when
        ``gap_kind="satisfaction"``).
    gap_kind : {"competitor", "satisfaction"}
    relative_revenue : float
        Revenue per customer over the average.
    recommendation : str, optional
        The portfolio recommendation; ``"harvest"`` adds a caveat sentence.
    gap_threshold : float, optional
        The threshold used, quoted when the competitor gap is not large.
    small_base : int, optional
        The segment's respondents when they are fewer than the minimum base: the
        sentence then gives no satisfaction figure or gap, only that the base is small.
    behind_best : float, optional
        With ``gap_kind="satisfaction"``: points of satisfaction index below the
        best-served segment (0 for that segment), stated as the number it is.
    low_satisfaction : float
        The rule's satisfaction index below which a high-volume segment calls for
        innovation (without competitor ratings), quoted in the sentence.
    language : {"en", "ru"}
        The language of the sentence (templates ``sentences.strategy.direction_*``).

    Returns
    -------
    str
    """
    check_language(language)
    text = _direction_text(
        label,
        direction,
        size_share=size_share,
        high_volume=high_volume,
        premium=premium,
        gap=gap,
        large_gap=large_gap,
        gap_kind=gap_kind,
        relative_revenue=relative_revenue,
        small_base=small_base,
        behind_best=behind_best,
        low_satisfaction=low_satisfaction,
        language=language,
    )
    if (
        small_base is None
        and gap_threshold is not None
        and gap_kind == "competitor"
        and not large_gap
        and np.isfinite(gap)
    ):
        text += " " + sentence("strategy.direction_threshold", language, threshold=gap_threshold)
    if recommendation == "harvest":
        text += " " + sentence("strategy.direction_harvest", language)
    return text


def _direction_text(
    label,
    direction,
    *,
    size_share,
    high_volume,
    premium,
    gap,
    large_gap,
    gap_kind,
    relative_revenue,
    small_base=None,
    behind_best=None,
    low_satisfaction=70.0,
    language="en",
) -> str:
    def say(key, **values):
        return sentence("strategy." + key, language, **values)

    vol = say("direction_volume", high_volume=high_volume, share=size_share)
    vol = vol[0].upper() + vol[1:]
    if small_base is not None:
        where = say("direction_where", kind="small", n=int(small_base), gap=0.0)
    elif gap_kind == "competitor":
        where = say(
            "direction_where",
            kind="none" if not np.isfinite(gap) else ("behind" if gap < 0 else "ahead"),
            gap=abs(gap),
        )
    else:
        behind = (
            float(behind_best)
            if behind_best is not None and np.isfinite(behind_best) and np.isfinite(gap)
            else None
        )
        where = say("direction_where", kind="satisfaction", gap=gap, behind_best=behind)
    prem = ""
    if premium:
        prem = say(
            "direction_premium", ratio=relative_revenue if np.isfinite(relative_revenue) else None
        )
    if small_base is not None:
        case = "small_base"
    elif direction == "innovation":
        case = "innovation"
    elif premium and not high_volume:
        case = "premium_low_volume"
    elif high_volume:
        case = "high_volume"
    else:
        case = "low_volume"
    return say(
        "direction_" + case,
        label=label,
        volume=vol,
        where=where,
        premium=prem,
        large_gap=large_gap,
        own=gap_kind == "satisfaction",
        low=low_satisfaction,
    )


def segment_direction(
    profile: pd.DataFrame,
    *,
    gap_threshold: float = 2.5,
    low_satisfaction: float = 70.0,
    premium_ratio: float = 1.2,
    language: str = "en",
) -> pd.DataFrame:
    """Incremental improvement or innovation per segment, with the reason in words.

    The rule of thumb is :func:`~orient.strategy.portfolio.direction_rule`'s (high
    volume, large gap, premium; a high-volume segment with a large gap gets
    ``innovation``, every other one ``incremental``). When ``profile`` holds the
    portfolio ``recommendation``, the reason for a ``harvest`` segment adds that the
    direction applies only if the company keeps serving it.

    Parameters
    ----------
    profile : DataFrame
        From :func:`segment_profile` or :func:`segment_portfolio`.
    gap_threshold : float
        Points (0-100 scale) behind the competitor that make a gap large.
    low_satisfaction : float
        Satisfaction index below which the gap is large when there is no competitor data.
    premium_ratio : float
        Relative revenue per customer that makes a segment premium.
    language : {"en", "ru"}
        The language of ``reason``.

    Returns
    -------
    pandas.DataFrame
        Indexed by segment, columns ``label``, ``size_share``, ``high_volume``,
        ``relative_revenue``, ``premium``, ``competitive_gap``, ``large_gap``,
        ``direction`` (``"innovation"`` or ``"incremental"``) and ``reason`` (sentences
        from :func:`direction_reason`).
    """
    rule = direction_rule(
        profile,
        gap_threshold=gap_threshold,
        low_satisfaction=low_satisfaction,
        premium_ratio=premium_ratio,
    )
    reasons = []
    index = pd.to_numeric(profile["satisfaction_index"], errors="coerce")
    best = float(index.max()) if index.notna().any() else float("nan")
    for (_s, d), (_t, r) in zip(rule.iterrows(), profile.iterrows(), strict=True):
        competitor = d["gap_basis"] == "competitor"
        gap = float(d["competitive_gap"])
        rec = r["recommendation"] if "recommendation" in r else None
        small = bool(r["small_base"]) if "small_base" in r and pd.notna(r["small_base"]) else False
        reasons.append(
            direction_reason(
                str(d["label"]),
                str(d["direction"]),
                size_share=float(d["size_share"]),
                high_volume=bool(d["high_volume"]),
                premium=bool(d["premium"]),
                gap=gap if competitor else float(r["satisfaction_index"]),
                large_gap=bool(d["large_gap"]),
                gap_kind=str(d["gap_basis"]),
                relative_revenue=float(d["relative_revenue"]),
                recommendation=rec,
                gap_threshold=gap_threshold,
                small_base=int(r["n"]) if small and "n" in r else None,
                behind_best=None if competitor else best - float(r["satisfaction_index"]),
                low_satisfaction=low_satisfaction,
                language=language,
            )
        )
    out = rule.drop(columns="gap_basis", errors="ignore")
    if len(out):
        out["reason"] = reasons
    return out


def note_sentence(key: str, language: str, **values: Any) -> str:
    """What the analysis left out and why: the sentence ``strategy.note_<key>``."""
    return sentence("strategy.note_" + key, language, **values)


def summary_sentences(result: StrategyResult, language: str | None = None) -> list[str]:
    """Stage I in a few plain sentences for executives.

    Parameters
    ----------
    result : StrategyResult
    language : {"en", "ru"}, optional
        The language of the sentences; by default the result's (``company.language``).

    Returns
    -------
    list of str
    """
    if not isinstance(result, StrategyResult):
        raise TypeError(f"`result` must be a StrategyResult; got {type(result).__name__}.")
    language = check_language(result.language if language is None else language)

    def say(key, **values):
        return sentence("strategy.summary_" + key, language, **values)

    out = []
    sc = result.scorecard
    if len(sc):
        counts = {s: int((sc["status"] == s).sum()) for s in STATUSES}
        att = result.overall_attainment
        # overall_attainment counts a goal that moved the wrong way as 0: the sentence says
        # so, with each such goal's own (negative) attainment as the scorecard shows it
        moved = sc[np.round(sc["attainment"].astype(float), _ROUND) < 0]
        wrong_way = [
            {"label": str(r["label"]), "attainment": float(r["attainment"])}
            for _, r in moved.iterrows()
        ]
        # ... and a goal past its target as 1 (beating one target does not make up for
        # another): said too, with its own attainment
        past = sc[np.round(sc["attainment"].astype(float), _ROUND) > 1]
        beyond = [
            {"label": str(r["label"]), "attainment": float(r["attainment"])}
            for _, r in past.iterrows()
        ]
        out.append(
            say(
                "goals",
                n=len(sc),
                attainment=att if np.isfinite(att) else None,
                wrong_way=wrong_way,
                beyond=beyond,
                **counts,
            )
        )
        off = sc[sc["status"] == "off_track"]
        if len(off):
            out.append(
                say(
                    "off_track",
                    goals="; ".join(f"{r['label']} ({r['owner']})" for _, r in off.iterrows()),
                )
            )
    c = result.conflicts
    if len(c):
        hard = c[c["severity"] == "conflict"]
        if len(hard):
            out.append(say("conflicts", n=len(hard), reasons="; ".join(hard["reason"])))
    pf = result.portfolio
    if len(pf):
        labels = pf["label"].to_dict()
        if "economics" in pf.columns and not pf["economics"].any():
            out.append(say("no_economics"))
        elif result.targets:
            out.append(say("targets", segments=", ".join(str(labels[t]) for t in result.targets)))
        else:
            out.append(say("no_targets"))
        harvest = pf.index[pf["recommendation"] == "harvest"]
        if len(harvest):
            out.append(say("harvest", segments=", ".join(str(labels[h]) for h in harvest)))
    d = result.direction
    if len(d):
        inno = d.index[d["direction"] == "innovation"]
        out.append(
            say("innovation", segments=", ".join(str(d.loc[i, "label"]) for i in inno))
            if len(inno)
            else say("incremental" if d["competitive_gap"].notna().any() else "incremental_own")
        )
    return out


def inputs_sentences(result: StrategyResult, language: str | None = None) -> list[str]:
    """What stage I took from the other stages for this company, one sentence each.

    From ``result.kpis`` (the current satisfaction index and NPS of the survey, retention
    and revenue of the finance extract) and, when there are goals,
    ``result.uses_priorities``; a figure the data cannot give is said to be missing,
    with what would give it.

    >>> import pandas as pd
    >>> kpis = pd.DataFrame({"value": [71.24], "n": [400], "source": ["survey"]},
    ...                     index=pd.Index(["satisfaction_index"], name="kpi"))
    >>> r = StrategyResult(*(pd.DataFrame(),) * 2, float("nan"), *(pd.DataFrame(),) * 2,
    ...                    kpis, pd.DataFrame(), pd.DataFrame())
    >>> inputs_sentences(r)[0]
    'The current satisfaction index is 71.2 on 0-100 (400 respondents).'
    """
    if not isinstance(result, StrategyResult):
        raise TypeError(f"`result` must be a StrategyResult; got {type(result).__name__}.")
    language = check_language(result.language if language is None else language)
    k = result.kpis

    def say(key, **values):
        return sentence("strategy.input_" + key, language, **values)

    def row(key):
        if key not in k.index:
            return None
        r = k.loc[key]
        n = r.get("n")
        return float(r["value"]), (None if n is None or pd.isna(n) else int(n))

    out = []
    for key, missing in (("satisfaction_index", "no_index"), ("nps", "no_nps")):
        got = row(key)
        out.append(say(key, value=got[0], n=got[1]) if got else say(missing))
    retention, revenue = row("retention_rate"), row("revenue")
    if retention:
        out.append(say("retention", value=retention[0], n=retention[1]))
    if revenue:
        out.append(say("revenue", n=revenue[1], margin="margin" in k.index))
    if not (retention or revenue):
        out.append(say("no_finance"))
    if len(result.scorecard):  # without goals there is nothing to check
        out.append(say("priorities" if result.uses_priorities else "no_priorities"))
    return out
