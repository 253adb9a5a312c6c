"""The executive summary says only what its results show (issue: the report tells the truth).

Each finding is rendered from a stage's headline; these tests give the headline a
result and check the sentence against it, in both languages.
"""

from __future__ import annotations

import pytest

from orient import report

_QUADRANT_PHRASES = {
    "en": {
        "improve": "important to customers and performing below the line",
        "keep_advantage": "keep the advantage",
        "maintain_or_reduce": "of less importance to customers",
        "low_priority": "of less importance to customers and performing below the line",
    },
    "ru": {
        "improve": "важно для клиентов, а оценки ниже среднего",
        "keep_advantage": "сохранять преимущество",
        "maintain_or_reduce": "оценки выше среднего, но для клиентов это менее важно",
        "low_priority": "для клиентов менее важно, оценки ниже среднего",
    },
}


def _priority_finding(quadrant: str, language: str) -> str:
    summary = {
        "stages": {
            "priorities": {
                "headline": {"top_priority_label": "Speed", "top_priority_quadrant": quadrant}
            }
        }
    }
    (found,) = [f for f in report._findings(summary, language, {}) if "Speed" in f]
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize(
    "quadrant", ["improve", "keep_advantage", "maintain_or_reduce", "low_priority"]
)
def test_the_first_priority_is_described_by_its_own_quadrant(quadrant, language):
    text = _priority_finding(quadrant, language)
    phrases = _QUADRANT_PHRASES[language]
    assert phrases[quadrant] in text
    for other, phrase in phrases.items():
        if other != quadrant and phrase not in phrases[quadrant]:
            assert phrase not in text, (quadrant, other)


# --- NPS only from a 0-10 item -----------------------------------------------------


def _company_with_recommend_1_to_5(tmp_path, declare: bool):
    import shutil
    from pathlib import Path

    import numpy as np
    import pandas as pd

    import orient

    src = Path(__file__).resolve().parents[1] / "data" / "companies" / "cobalt-software"
    folder = tmp_path / "co"
    shutil.copytree(src, folder)
    survey = pd.read_csv(folder / "survey.csv", sep=";", encoding="utf-8-sig", dtype=str)
    rec = pd.to_numeric(survey["q_recommend"], errors="coerce")
    survey["q_recommend"] = np.ceil(rec.clip(lower=1) / 2).clip(1, 5).astype("Int64").astype(str)
    survey.loc[rec.isna(), "q_recommend"] = ""
    survey.to_csv(folder / "survey.csv", sep=";", index=False, encoding="utf-8-sig")
    if declare:
        profile = (folder / "company.yaml").read_text(encoding="utf-8")
        profile = profile.replace(
            "    recommend: q_recommend\n",
            "    recommend: q_recommend\n    recommend_scale: {min: 1, max: 5}\n",
        )
        (folder / "company.yaml").write_text(profile, encoding="utf-8")
    return orient.load_company(folder), survey


@pytest.mark.parametrize("declare", [True, False])
def test_a_1_to_5_recommend_item_gives_no_nps_but_its_mean_and_top2(tmp_path, declare):
    import numpy as np

    from orient import satisfaction

    company, raw = _company_with_recommend_1_to_5(tmp_path, declare)
    result = satisfaction.analyse(company, n_boot=0)
    assert result.nps is None and result.nps_composition is None
    ind = result.indices.set_index("measure")
    assert "Net Promoter Score" not in ind.index
    # the mean, computed here from the file with the survey weights
    used = company.survey
    w = used["weight"].to_numpy(float)
    v = used["recommend"].to_numpy(float)
    ok = ~np.isnan(v)
    expected = np.sum(w[ok] * v[ok]) / np.sum(w[ok])
    assert ind.loc["Likelihood to recommend, mean", "estimate"] == pytest.approx(expected)
    assert any("0-10" in n for n in result.notes)
    summary = {"stages": {"satisfaction": {"headline": satisfaction.headline(result)}}}
    for language in ("en", "ru"):
        text = " ".join(report._findings(summary, language, {}))
        assert "Net Promoter" not in text and "NPS" not in text


# --- competitor wording only with a competitor and a gap that is not zero -------------


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("position", ["score", "level", "not_ahead", "trails", "leads"])
def test_keep_the_lead_only_for_a_measured_lead(position, language):
    from orient.i18n import sentence

    text = sentence(
        "priorities.attribute",
        language,
        label="Tracking",
        importance=0.09,
        performance=74.0,
        gap=None if position == "score" else 3.0,
        position=position,
        rival=None,
        action="keep",
    )
    lead = {"en": "keep the lead", "ru": "сохранять преимущество"}[language]
    assert (lead in text) == (position == "leads"), text
    if position == "score":  # no competitor data: no competitor wording at all
        for word in {
            "en": ("competitor", "lead", "trail", "level with"),
            "ru": ("конкурент", "преимуществ", "отставан"),
        }[language]:
            assert word not in text, text


# --- the plan's gain counts only declared actions ------------------------------------


def test_the_plan_gain_counts_only_actions_declared_with_a_target(tmp_path):
    import shutil
    from pathlib import Path

    import yaml

    import orient
    from orient import implementation

    src = Path(__file__).resolve().parents[1] / "data" / "companies" / "swiftpost"
    folder = tmp_path / "co"
    shutil.copytree(src, folder)
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    items = profile["actions"]["items"]
    first = orient.stages.analyse(orient.load_company(folder), "implementation").plan
    keep = first.index[first["target_source"] == "company.yaml"][0]
    profile["actions"]["items"] = {keep: items[keep]}  # one declared action only
    (folder / "company.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8"
    )
    result = orient.stages.analyse(orient.load_company(folder), "implementation")
    plan = result.plan
    assert len(plan) > 1 and (plan["target_source"] != "company.yaml").any()
    h = implementation.headline(result)
    assert h["n_declared_actions"] == 1
    assert h["total_index_gain"] == pytest.approx(plan.loc[keep, "index_gain"])
    del profile["actions"]["items"]
    (folder / "company.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8"
    )
    none = implementation.headline(
        orient.stages.analyse(orient.load_company(folder), "implementation")
    )
    assert none["n_declared_actions"] == 0 and none["total_index_gain"] is None
    summary = {"stages": {"implementation": {"headline": none}}}
    for language in ("en", "ru"):
        text = " ".join(report._findings(summary, language, {}))
        assert "+" not in text  # no promised gain


# --- segment advice needs segment economics ----------------------------------------


def test_no_invest_or_harvest_from_respondent_counts_alone():
    import pandas as pd

    from orient import strategy

    profile = pd.DataFrame(
        {
            "label": ["UK", "Benelux", "France"],
            "size_share": [60.0, 25.0, 15.0],
            "satisfaction_index": [70.0, 64.0, 60.0],
        },
        index=["uk", "benelux", "france"],
    )
    for measure in ("revenue_share", "margin", "growth", "competitive_gap"):
        profile[measure] = float("nan")  # what segment_profile gives without finance data
    pf = strategy.segment_portfolio(profile)
    assert pf["recommendation"].isna().all() and not pf["target"].any()
    assert not pf["economics"].any()
    profile["margin"] = [20.0, 10.0, 5.0]  # with economics, advice comes back
    pf = strategy.segment_portfolio(profile)
    assert pf["economics"].all() and pf["recommendation"].notna().all()
