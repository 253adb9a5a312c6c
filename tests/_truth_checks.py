"""Checks of the executive summary's findings against the tables they summarise.

Used by tests/test_truth_consistency.py. Each ``check_*`` takes one finding (its plain
text), the company, the stage results (computed in this process through
``orient.stages.analyse``, the objects the report's tables are drawn from) and the
language, and asserts that every number, word and name in the finding is what the
tables show: the quadrant word is the attribute's quadrant, a shortfall has a
competitor and an interval below zero, "significant" has the test behind it, numbers
agree to the precision shown, and the base is above the company's minimum.
"""

from __future__ import annotations

import html
import re
from typing import Any

import numpy as np

from orient.i18n import format_number

#: the quadrant phrases of the first-priority finding, per language
QUADRANT = {
    "en": {
        "improve": "important to customers and performing below the line",
        "keep_advantage": "above the line: keep the advantage",
        "maintain_or_reduce": "above the line but of less importance to customers",
        "low_priority": "less importance to customers and performing below the line",
    },
    "ru": {
        "improve": "важно для клиентов, а оценки ниже среднего",
        "keep_advantage": "сохранять преимущество",
        "maintain_or_reduce": "оценки выше среднего, но для клиентов это менее важно",
        "low_priority": "для клиентов менее важно, оценки ниже среднего",
    },
}
#: the first priority whose interval holds a cut of the matrix, per language
ON_A_LINE = {"en": "on a line of the matrix", "ru": "на границе полей матрицы"}
#: the words that open each finding, per language
OPENING = {
    "en": {
        "index": "Customer satisfaction stands at",
        "nps": "The Net Promoter Score is",
        "segments": "The most satisfied segment is",
        "priority": "First priority:",
        "shortfall": "The largest shortfall against",
        "action": "Act first on",
        "strategy": "Segments to serve first:",
        "risk": "The biggest operational risk:",
    },
    "ru": {
        "index": "Индекс удовлетворённости клиентов:",
        "nps": "Индекс NPS равен",
        "segments": "Больше всего удовлетворён сегмент",
        "priority": "Первый приоритет:",
        "shortfall": "Наибольшее отставание от конкурента",
        "action": "Начать с мероприятия",
        "strategy": "Обслуживать в первую очередь:",
        "risk": "Главный операционный риск:",
    },
}
SIGNIFICANT = {"en": "a significant change", "ru": "изменение значимо"}
WITHIN_NOISE = {"en": "within the margin of error", "ru": "в пределах погрешности"}
COMPETITOR_WORDS = {
    "en": ("competitor", "shortfall", "the lead", "trails", "ahead of", "level with"),
    "ru": ("конкурент", "отставан", "опережа", "вровень"),
}
NPS_WORDS = ("Net Promoter", "NPS")
#: an NPS value in a text ("NPS needs a 0-10 scale" is no value)
NPS_VALUE = re.compile(r"(Net Promoter Score|NPS)[^.\d]{0,30}?[-+−]?\d+(?![-–]10)")


def said(page: str) -> str:
    """What a report says from its data: the findings and the stages' bullet lists."""
    text = " ".join(findings_of(page))
    for m in re.finditer(r"<ul[^>]*>(.*?)</ul>", page, re.S):
        text += " " + plain(m.group(1))
    return text


def plain(fragment: str) -> str:
    """HTML -> its text, white space collapsed (the thin space in numbers kept)."""
    text = html.unescape(re.sub(r"<[^>]+>", "", str(fragment)))
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def findings_of(page: str) -> list[str]:
    """The executive summary's findings in a rendered report."""
    m = re.search(r'<ol class="findings">(.*?)</ol>', page, re.DOTALL)
    return (
        [] if m is None else [plain(li) for li in re.findall(r"<li>(.*?)</li>", m.group(1), re.S)]
    )


def num(value: float, language: str, decimals: int = 1) -> str:
    """A number as the report writes it (ru: comma and thin spaces)."""
    return format_number(value, language, decimals)


def signed(value: float, language: str, decimals: int = 1) -> str:
    text = num(value, language, decimals)
    return text if text.startswith(("-", "−")) else "+" + text


def kind_of(finding: str, language: str) -> str:
    for kind, opening in OPENING[language].items():
        if finding.startswith(opening):
            return kind
    raise AssertionError(f"a finding of no known kind: {finding!r}")


# --- the checks, one per kind of finding ---------------------------------------------------


def check_index(finding: str, company, results: dict, language: str) -> None:
    sat = results["satisfaction"]
    row = sat.indices.set_index("measure").loc["Satisfaction index"]
    assert num(row["estimate"], language) in finding, (finding, row["estimate"])
    assert int(row["n"]) >= company.min_base, "the index rests on a base below the minimum"
    if np.isfinite(row["ci_low"]):
        assert num(row["ci_low"], language) in finding and num(row["ci_high"], language) in finding
    waves = sat.waves
    if waves is not None and len(waves[waves.measure == "Satisfaction index"]) >= 2:
        last = waves[waves.measure == "Satisfaction index"].iloc[-1]
        assert signed(last["change"], language) in finding, (finding, last["change"])
        # "significant" only with the test behind it
        assert (SIGNIFICANT[language] in finding) == bool(last["significant"]), finding
        assert (WITHIN_NOISE[language] in finding) == (not bool(last["significant"])), finding
    else:
        assert SIGNIFICANT[language] not in finding


def check_nps(finding: str, company, results: dict, language: str) -> None:
    scale = company.profile.survey.loyalty.recommend_scale
    assert scale is None or (scale.min, scale.max) == (0, 10), "NPS from a non-0-10 item"
    sat = results["satisfaction"]
    row = sat.indices.set_index("measure").loc["Net Promoter Score"]
    assert num(row["estimate"], language, 0) in finding, (finding, row["estimate"])
    assert int(row["n"]) >= company.min_base


def check_segments(finding: str, company, results: dict, language: str) -> None:
    seg = results["satisfaction"].segments
    shown = seg[(seg.measure == "Satisfaction index") & ~seg.suppressed]
    assert shown["segment"].nunique() >= 2, "best and worst of fewer than two segments"
    best = shown.loc[shown.estimate.idxmax()]
    worst = shown.loc[shown.estimate.idxmin()]
    assert best["segment"] != worst["segment"]
    m = re.search(
        {
            "en": r"segment is (.+), the least satisfied (.+)\.$",
            "ru": r"сегмент (.+), меньше всего — (.+)\.$",
        }[language],
        finding,
    )
    assert m, finding
    assert (m.group(1), m.group(2)) == (str(best["segment"]), str(worst["segment"])), finding
    assert min(best["n"], worst["n"]) >= company.min_base, "a segment below the minimum base"


def check_priority(finding: str, company, results: dict, language: str) -> None:
    pr = results["priorities"]
    prio = pr.priorities
    improve = prio.index[prio["quadrant"] == "improve"]
    first = improve[0] if len(improve) else prio.index[0]
    label = str(prio.loc[first, "label"])
    assert finding.startswith(f"{OPENING[language]['priority']} {label}"), (finding, label)
    quadrant = str(pr.matrix.loc[first, "quadrant"])  # the matrix the chart draws
    phrases = QUADRANT[language]
    near = "near_line" in pr.matrix.columns and bool(pr.matrix.loc[first, "near_line"])
    # an interval holding a cut: the field is not established, and no field is named
    assert (ON_A_LINE[language] in finding) == near, (finding, near)
    if not near:
        assert phrases[quadrant] in finding, (finding, quadrant)
    for other, phrase in phrases.items():
        if near or (other != quadrant and phrase not in phrases[quadrant]):
            assert phrase not in finding, (finding, other)
    drivers = pr.drivers
    top = drivers["share"].idxmax()
    top_label = str(pr.labels.get(top, top))
    if top_label != label:  # the strongest driver, named with its share, is measured
        assert top_label in finding, (finding, top_label)
        if "ci_low" in drivers.columns and np.isfinite(drivers.loc[top, "ci_low"]):
            assert drivers.loc[top, "ci_low"] > 0, "a driver whose interval includes zero"
        share = f"{num(drivers.loc[top, 'share'] * 100, language, 0)}%"
        assert share in finding, (finding, share)
        if language == "en" and "rank_ci_high" in drivers.columns:
            # "drives satisfaction most" only where its bootstrap rank is 1 throughout
            firm = drivers.loc[top, "rank_ci_high"] <= 1
            assert ("drives satisfaction most" in finding) == bool(firm), finding
    if len(improve) > 1:  # "To improve": the improve quadrant, in priority order
        listed = ", ".join(str(prio.loc[a, "label"]) for a in improve[:3])
        assert listed in finding, (finding, listed)
    assert pr.drivers.attrs["n"] >= company.min_base


def check_shortfall(finding: str, company, results: dict, language: str) -> None:
    pr = results["priorities"]
    assert pr.competitor, "a shortfall without a competitor"
    assert pr.competitor in finding
    perf = pr.performance
    overall = perf[perf["segment"] == "all"].set_index("attribute")
    measured = overall[overall["ci_high"] < 0]  # behind, with the interval below zero
    worst = measured["gap"].idxmin()
    assert str(overall.loc[worst, "label"]) in finding, (finding, worst)
    assert signed(overall.loc[worst, "gap"], language) in finding, finding
    assert int(overall.loc[worst, "n"]) >= company.min_base


def check_action(finding: str, company, results: dict, language: str) -> None:
    imp = results["implementation"]
    from orient import implementation

    assert implementation.has_declared_actions(imp), "an action that was never declared"
    plan = imp.plan
    declared = plan[plan["target_source"] == "company.yaml"]  # the actions company.yaml sets
    assert len(declared)
    first = declared.index[0]
    assert str(company.attribute_labels.get(first, first)) in finding, (finding, first)
    if re.search(r"index gains|индекс удовлетворённости вырастет", finding):
        # the plan gain counts the declared actions only
        assert signed(declared["index_gain"].sum(), language) in finding, finding
    paid = declared["payback_months"].dropna()
    if len(paid):
        assert num(paid.min(), language, 0) in finding, finding


def check_strategy(finding: str, company, results: dict, language: str) -> None:
    pf = results["strategy"].portfolio
    invest = pf.index[pf["recommendation"] == "invest"]
    assert len(invest) and pf.loc[invest, "economics"].all(), "advice from respondent counts"
    for seg in invest:
        assert str(pf.loc[seg, "label"]) in finding


def check_risk(finding: str, company, results: dict, language: str) -> None:
    crm = results.get("crm")
    if crm is not None and crm.refusals is not None and re.search("lost|проигр", finding):
        assert len(crm.refusals) and crm.refusals.attrs.get(
            "not_recorded", 0
        ) < crm.refusals.attrs.get("lost", 0), "a refusal reason from blanks"


CHECKS = {
    "index": check_index,
    "nps": check_nps,
    "segments": check_segments,
    "priority": check_priority,
    "shortfall": check_shortfall,
    "action": check_action,
    "strategy": check_strategy,
    "risk": check_risk,
}


def check_findings(findings: list[str], company, results: dict, language: str) -> list[str]:
    """Check every finding; returns the kinds checked, in order."""
    kinds = []
    for finding in findings:
        kind = kind_of(finding, language)
        CHECKS[kind](finding, company, results, language)
        kinds.append(kind)
    assert len(set(kinds)) == len(kinds), f"a kind of finding twice: {kinds}"
    return kinds


def check_words(text: str, company, language: str) -> int:
    """Wording the data does not allow anywhere in ``text``; returns the checks made."""
    checks = 0
    if not getattr(company.profile, "competitor", None) and not any(
        a.competitor_column for a in getattr(company, "attributes", []) or []
    ):
        lowered = text.lower()
        for word in COMPETITOR_WORDS[language]:
            assert word not in lowered, f"competitor wording without a competitor: {word!r}"
        checks += 1
    survey = getattr(company.profile, "survey", None)
    scale = survey.loyalty.recommend_scale if survey is not None else None
    if (
        survey is None
        or survey.loyalty.recommend is None
        or (scale is not None and (scale.min, scale.max) != (0, 10))
    ):
        value = NPS_VALUE.search(text)
        assert value is None, f"an NPS value without a 0-10 item: {value.group(0)!r}"
        checks += 1
    assert not re.search(r"\bnan\b", text, re.IGNORECASE), "NaN shown"
    return checks + 1


def stage_results(company: Any) -> dict:
    """The stage results behind the report's tables (the same wiring as the notebooks)."""
    from orient import stages

    out = {}
    for name in stages.STAGES:
        if not stages.missing_data(company, name):
            out[name] = stages.analyse(company, name)
    return out
