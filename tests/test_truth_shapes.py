"""Each adversarial synthetic company (orient.synth.ADVERSARIAL) is reported without an
untrue sentence: unit-level checks of the shape it was drawn in.

The expected values are counted here from the files the generator wrote, with plain
pandas (weighted means and shares by hand), never taken from orient's own output; the
wording checks look for words that may not appear given the data.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import orient
from orient import synth
from orient.report import render
from orient.report.summary import summarise

#: competitor wording that a report without competitor ratings may not use (the matrix's
#: field names, "Keep advantage" / "Сохранять преимущество", are names, not a comparison)
COMPETITOR_WORDS = {
    "en": ("competitor", "ahead of", "behind the", "the lead", "trails", "level with", "shortfall"),
    "ru": ("конкурент", "преимущество перед", "отстаём", "отставан", "опережа", "вровень"),
}
NPS_WORDS = ("Net Promoter", "NPS", "промоутер", "критиков")


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("adversarial")


_CACHE: dict = {}


def _folder(root: Path, slug: str) -> Path:
    folder = root / slug
    if not folder.exists():
        business, seed = synth.ADVERSARIAL[slug]
        synth.make_company(folder, seed=seed, business=business)
    return folder


def _summary(root: Path, slug: str):
    if (root, slug) not in _CACHE:
        company = orient.load_company(_folder(root, slug))
        _CACHE[root, slug] = (company, summarise(company))
    return _CACHE[root, slug]


def _findings(root: Path, slug: str, language: str) -> str:
    company, summary = _summary(root, slug)
    return " ".join(render._findings(summary, language, render._labels(company)))


def _csv(folder: Path, name: str = "survey.csv") -> pd.DataFrame:
    import yaml

    read = (yaml.safe_load((folder / "company.yaml").read_text("utf-8")).get("survey") or {}).get(
        "read", {}
    )
    return pd.read_csv(folder / name, sep=read.get("sep", ","), decimal=read.get("decimal", "."))


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna()
    return float(np.sum(values[ok] * weights[ok]) / np.sum(weights[ok]))


# --- the shapes are written as declared ------------------------------------------------


def test_the_adversarial_scenarios_are_their_own_businesses():
    assert set(synth.SHAPE_NAMES) == {b for b, _ in synth.ADVERSARIAL.values()}
    assert not set(synth.SHAPE_NAMES) & set(synth.BUSINESS_NAMES)
    for business in synth.SHAPE_NAMES:
        assert synth.load_scenario(business)["shape"], business
    with pytest.raises(ValueError, match="shape has unknown keys colour"):
        from orient.synth.shapes import check_shape

        check_shape({"colour": 1}, "scenarios/shapes/x.yaml")


def test_the_files_written_follow_each_shape(root):
    files = {
        slug: sorted(p.name for p in _folder(root, slug).iterdir()) for slug in synth.ADVERSARIAL
    }
    assert files["skyway-air"] == ["company.yaml", "survey.csv"]
    assert files["fermo-equipment"] == ["company.yaml", "survey.csv"]  # no finance
    assert files["pipeline-only"] == ["company.yaml", "deals.csv"]
    assert files["complaints-only"] == ["claims.csv", "company.yaml"]
    air = _csv(_folder(root, "skyway-air"))
    assert not [c for c in air.columns if c.startswith("c_")]  # no competitor ratings
    assert set(air["q_overall"].dropna()) <= {0, 1}  # a binary overall item
    assert {"Type of Travel", "Customer Type"} <= set(air.columns)
    equipment = _csv(_folder(root, "fermo-equipment"))
    assert len(equipment) == 266 and set(equipment["q_recommend"]) <= {1, 2, 3, 4, 5}
    assert _csv(_folder(root, "lindenclinic"))["segment"].nunique() == 1
    claims = pd.read_csv(_folder(root, "complaints-only") / "claims.csv")
    assert "resolved" not in claims.columns and "amount_settled" not in claims.columns
    deals = pd.read_csv(_folder(root, "pipeline-only") / "deals.csv", keep_default_na=False)
    assert (deals.loc[deals["outcome"] == "lost", "refusal_reason"] == "").all()


# --- airline: binary overall, 0 = not applicable, three segment variables ---------------


def test_a_zero_answer_is_not_applicable_and_the_binary_index_is_the_share_satisfied(root):
    folder = _folder(root, "skyway-air")
    raw = _csv(folder)
    company = orient.load_company(folder)
    assert company.segment_variables == ["segment", "Type of Travel", "Customer Type"]
    used = company.survey
    kept = raw.set_index("respondent_id").loc[used["respondent_id"]]
    for key, *_ in synth.load_scenario("airline")["attributes"]:
        values = pd.to_numeric(kept[f"q_{key}"], errors="coerce")  # "Don't know" -> NaN
        zeros = int((values == 0).sum())
        assert zeros > 0
        # every 0 is read as missing, and what is left is the 1-5 answers alone
        assert int(used[key].isna().sum()) == zeros + int(values.isna().sum())
        assert used[key].dropna().tolist() == values[values > 0].dropna().tolist()
    from orient import satisfaction

    result = satisfaction.analyse(company, n_boot=0)
    index = result.indices.set_index("measure").loc["Satisfaction index", "estimate"]
    kept = raw.dropna(subset=["q_overall"])
    assert index == pytest.approx(100 * _weighted(kept["q_overall"], kept["weight"]))
    assert result.nps is None  # no recommend item at all


# --- no competitor ratings: no competitor wording --------------------------------------


def _in_language(root: Path, slug: str, language: str) -> Path:
    """A copy of the company whose company.yaml asks for a report in ``language``."""
    import shutil

    import yaml

    folder = root / f"{slug}-{language}"
    if not folder.exists():
        shutil.copytree(_folder(root, slug), folder)
        text = (folder / "company.yaml").read_text("utf-8")
        profile = yaml.safe_load(text)
        profile["language"] = language
        (folder / "company.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), "utf-8")
    return folder


@pytest.mark.parametrize("language", ["en", "ru"])
def test_without_competitor_ratings_no_competitor_wording(root, language):
    import importlib

    from orient import priorities

    pn = importlib.import_module("orient.priorities.narrative")
    company = orient.load_company(_in_language(root, "lindenclinic", language))
    assert company.profile.competitor is None and company.language == language
    result = priorities.analyse(company, n_boot=50)
    assert pn.matrix_axis(result) == "mean"
    text = " ".join(
        [
            _findings(root, "lindenclinic", language),
            " ".join(map(str, result.sentences)),
            pn.priorities_text(result, language),
            pn.matrix_text(result, language),
        ]
    ).lower()
    for word in COMPETITOR_WORDS[language]:
        assert word not in text, word


# --- a 1-5 recommend item: its mean and top-2-box, no NPS -------------------------------


def test_a_1_to_5_recommend_item_reports_its_mean_and_top2_not_nps(root):
    from orient import satisfaction

    folder = _folder(root, "fermo-equipment")
    company = orient.load_company(folder)
    result = satisfaction.analyse(company, n_boot=0)
    assert result.nps is None
    raw = _csv(folder).dropna(subset=["q_overall"])  # the respondents the index keeps
    ind = result.indices.set_index("measure")
    rec, w = raw["q_recommend"].astype(float), raw["weight"]
    assert ind.loc["Likelihood to recommend, mean", "estimate"] == pytest.approx(_weighted(rec, w))
    top2 = _weighted((rec >= 4).astype(float), w) * 100
    assert ind.loc["Likelihood to recommend, top-2-box", "estimate"] == pytest.approx(top2)
    for language in ("en", "ru"):
        text = _findings(root, "fermo-equipment", language)
        assert not any(word in text for word in NPS_WORDS), text


def test_no_nps_anywhere_from_a_1_to_5_recommend_item(root):
    """Stage I's current KPIs and the satisfaction explorer take NPS from the same rule
    as stage II: a 1-5 recommend item gives its mean, never a score of -100..100."""
    from orient.present.widgets.satisfaction import _measures, satisfaction_view

    folder = _folder(root, "fermo-equipment")
    company = orient.load_company(folder)
    kpis = orient.strategy.analyse(company).kpis
    assert "nps" not in kpis.index and "satisfaction_index" in kpis.index
    measures = _measures(company)
    assert "nps" not in measures
    raw = _csv(folder).dropna(subset=["q_overall"])
    est = satisfaction_view(company, "recommend_mean").estimate
    assert est.value == pytest.approx(_weighted(raw["q_recommend"].astype(float), raw["weight"]))
    # a 0-10 item still gives NPS in both
    sample = orient.load_company(orient.report.sample_company_dir("swiftpost"))
    assert "nps" in orient.strategy.analyse(sample).kpis.index and "nps" in _measures(sample)


def test_stage_one_says_which_figures_of_the_other_stages_it_had(root):
    """The 'uses from the others' list is this company's: figures counted from the files."""
    from orient.strategy import inputs_sentences

    sample = Path(orient.report.sample_company_dir("swiftpost"))
    fin = _csv(sample, "finance.csv")
    text = " ".join(
        inputs_sentences(orient.stages.analyse(orient.load_company(sample), "strategy"))
    )
    assert f"Retention, {100 * fin['retained'].mean():.1f}%," in text
    assert f"({len(fin):,} customers)" in text and "Net Promoter Score is" in text
    fermo = orient.load_company(_folder(root, "fermo-equipment"))
    for language in ("en", "ru"):
        said = inputs_sentences(orient.stages.analyse(fermo, "strategy"), language)
        assert not any("NPS is" in t or "NPS —" in t or "Score is" in t for t in said), said
        assert any(t.startswith(("No finance extract", "Финансовой выгрузки нет")) for t in said)
        # fermo declares no goals: nothing is said about checking them
        assert not any("stage III" in t or "этапа III" in t for t in said), said


# --- segments without economics: no advice from respondent counts ------------------------


@pytest.mark.parametrize("slug", ["fermo-equipment", "lindenclinic"])
def test_no_invest_or_harvest_from_respondent_counts(root, slug):
    company, summary = _summary(root, slug)
    head = summary["stages"]["strategy"]["headline"]
    assert head["harvest"] == head["invest"] == head["selective"] == head["target_segments"] == []
    for language, words in (
        ("en", ("Segments to serve first", "harvest")),
        ("ru", ("Обслуживать",)),
    ):
        text = _findings(root, slug, language)
        assert not any(w in text for w in words), text


def test_segment_advice_only_where_economics_exist(root):
    from orient import stages

    company = orient.load_company(_folder(root, "riverside-utility"))
    portfolio = stages.analyse(company, "strategy").portfolio
    # the utility declares each segment's growth (with its goals) but has no finance file
    assert portfolio["revenue_share"].isna().all() and portfolio["margin"].isna().all()
    assert portfolio["economics"].all() == portfolio["growth"].notna().all()
    advised = portfolio["recommendation"].notna()
    assert (advised <= portfolio["economics"]).all()


# --- one segment: no best and worst ----------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_one_segment_is_neither_the_best_nor_the_worst(root, language):
    _, summary = _summary(root, "lindenclinic")
    head = summary["stages"]["satisfaction"]["headline"]
    assert head["best_segment"] is None and head["worst_segment"] is None
    text = _findings(root, "lindenclinic", language)
    assert "Все пациенты" not in text


def test_an_empty_list_is_not_a_finding():
    summary = {
        "stages": {"strategy": {"headline": {"target_segments": [], "overall_attainment": None}}}
    }
    for language in ("en", "ru"):
        assert render._findings(summary, language, {}) == []


# --- no declared actions: no invented targets, no plan gain -----------------------------------


def test_without_declared_actions_no_targets_are_invented(root):
    company, summary = _summary(root, "fermo-equipment")
    assert company.profile.actions is None
    head = summary["stages"]["implementation"]["headline"]
    assert head["n_declared_actions"] == 0
    assert head["top_action"] is None and head["total_index_gain"] is None
    assert head["total_action_cost"] is None and head["best_payback_months"] is None
    for language, words in (("en", ("Act first", "every action")), ("ru", ("В первую очередь",))):
        text = _findings(root, "fermo-equipment", language)
        assert not any(w in text for w in words), text
    assert "goals" not in summary["stages"]["strategy"]["headline"] or (
        summary["stages"]["strategy"]["headline"]["goals"] == 0
    )


def test_an_illustrative_what_if_is_not_called_a_plan_and_shows_no_empty_money(root):
    import matplotlib.pyplot as plt

    from orient.implementation.display import display_table
    from orient.present.plots import action_plan_plot, description

    company = orient.load_company(_folder(root, "fermo-equipment"))
    result = orient.stages.analyse(company, "implementation")
    assert len(result.plan) and not (result.plan["target_source"] == "company.yaml").any()
    money = display_table(result, "money", company, language="en")
    assert not {"Cost", "Annual benefit", "ROI", "Payback (months)"} & set(money.frame.columns)
    assert "no costs or benefits are declared" in money.caption
    fig, ax = plt.subplots()
    action_plan_plot(result.plan, ax=ax)
    alt = description(fig)
    plt.close(fig)
    assert alt.startswith("Illustrative what-if, not a plan:") and "actions" not in alt
    # a company that declares its actions and their costs keeps the plan and its money
    sample = orient.load_company(orient.report.sample_company_dir("swiftpost"))
    declared = orient.stages.analyse(sample, "implementation")
    assert "Cost" in display_table(declared, "money", sample, language="en").frame.columns
    fig, ax = plt.subplots()
    action_plan_plot(declared.plan, ax=ax)
    assert description(fig).startswith("Action plan:")
    plt.close(fig)


# --- tables without a survey: blanks are "not recorded" ----------------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_blank_refusal_reasons_are_not_recorded_never_a_reason(root, language):
    from orient import stages
    from orient.operations.crm.display import deals_not_recorded

    folder = _folder(root, "pipeline-only")
    company = orient.load_company(folder)
    result = stages.analyse(company, "crm")
    result = type(result)(**{**result.__dict__, "language": language})
    deals = pd.read_csv(folder / "deals.csv")
    lost = int((deals["outcome"] == "lost").sum())
    assert len(result.refusals) == 0 and result.refusals.attrs["not_recorded"] == lost
    head = orient.crm.headline(result)
    assert head["top_refusal"] is None
    assert head["risk"] is None or not re.search("lost|проигр", head["risk"])
    (line,) = deals_not_recorded(result)
    assert {"en": "no reasons for lost deals", "ru": "нет причин проигрыша"}[language] in line


def test_some_blank_refusal_reasons_are_counted_as_not_recorded(root):
    from orient import stages
    from orient.operations.crm.display import deals_not_recorded

    src = _folder(root, "pipeline-only")
    folder = root / "pipeline-some"
    folder.mkdir(exist_ok=True)
    (folder / "company.yaml").write_text((src / "company.yaml").read_text("utf-8"), "utf-8")
    deals = pd.read_csv(src / "deals.csv", keep_default_na=False)
    lost = deals.index[deals["outcome"] == "lost"]
    deals.loc[lost[::3], "refusal_reason"] = "Price"  # a third of the lost deals say why
    deals.to_csv(folder / "deals.csv", index=False)
    result = stages.analyse(orient.load_company(folder), "crm")
    given = len(lost[::3])
    assert result.refusals.set_index("reason").loc["Price", "n"] == given
    (line,) = deals_not_recorded(result)
    assert line.startswith(f"{len(lost) - given} of the {len(lost)} lost deals record no reason")


def test_a_register_without_closing_dates_has_no_open_complaints(root):
    from orient.operations.service.display import claims_not_recorded

    folder = _folder(root, "complaints-only")
    company = orient.load_company(folder)
    svc = orient.service.analyse(company)
    head = orient.service.headline(svc)
    assert head["claims_n"] == len(pd.read_csv(folder / "claims.csv"))
    assert head["claims_open"] is None and head["claims_median_days"] is None
    assert head["risk"] is None  # nothing measured to rank
    assert any("records no resolution dates" in n for n in claims_not_recorded(svc))


# --- the best segment is never told its gap is large ---------------------------------------


def test_without_competitor_the_best_segment_has_no_large_gap():
    from orient.strategy.portfolio import direction_rule

    profile = pd.DataFrame(
        {
            "label": ["A", "B", "C"],
            "size_share": [50.0, 30.0, 20.0],
            "relative_revenue": [np.nan] * 3,
            "satisfaction_index": [66.0, 60.0, 75.0],
            "competitive_gap": [np.nan] * 3,
        },
        index=["A", "B", "C"],
    )
    rule = direction_rule(profile, low_satisfaction=70.0)
    # below 70 and behind a better-satisfied segment: a large gap; the best one: none
    assert rule["large_gap"].to_dict() == {"A": True, "B": True, "C": False}
    assert rule.loc["A", "direction"] == "innovation"  # high volume (50% >= 100/3)
    top = profile.assign(satisfaction_index=[66.0, 60.0, 64.0])
    assert not direction_rule(top, low_satisfaction=70.0).loc["A", "large_gap"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_only_segment_is_not_told_its_gap_is_large(root, language):
    from orient import stages

    company = orient.load_company(_in_language(root, "lindenclinic", language))
    direction = stages.analyse(company, "strategy").direction
    assert len(direction) == 1 and direction["direction"].iloc[0] == "incremental"
    reason = direction["reason"].iloc[0]
    assert {"en": "no large gap", "ru": "большого разрыва"}[language] in reason
    assert {"en": "the gap is large", "ru": "разрыв велик"}[language] not in reason


# --- a heading with its text is shown only above what its section displays -------------------


@pytest.mark.parametrize(
    ("outputs", "shown"),
    [
        ((), False),
        (({"text/markdown": "No conflicts found."},), True),
        (({"text/html": "<table><tr><td>1</td></tr></table>"},), True),
    ],
)
def test_a_needs_output_heading_shows_only_above_something_displayed(outputs, shown):
    import nbformat

    from orient import report

    head = nbformat.v4.new_markdown_cell("### Goals that pull against each other\n\nA goal...")
    head.metadata["tags"] = ["needs-output"]
    code = nbformat.v4.new_code_cell("")
    code.outputs = [nbformat.v4.new_output("display_data", data=d) for d in outputs]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## 1. Goals"), head, code]
    cells = report._report_cells("01_x", "strategy", nb, report._texts("en"))
    text = " ".join(c.metadata.get("orient", {}).get("html", "") for c in cells)
    assert "1. Goals" in text
    assert ("pull against each other" in text) == shown
