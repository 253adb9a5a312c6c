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


# --- a section is shown only with its data --------------------------------------------


def _executed(cells):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return nb


def _md(text, needs_data=True):
    import nbformat

    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = ["needs-data"] if needs_data else []
    return cell


def _code(*outputs):
    import nbformat

    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data=d) for d in outputs]
    return cell


_PNG = {"image/png": "iVBORw0KGgo="}
_TABLE = {"text/html": "<table><tr><td>1</td></tr></table>"}
_LINE = {"text/markdown": "No house of quality: company.yaml has no qfd section."}


def _shown_text(cells):
    return " ".join(
        c.metadata.get("orient", {}).get("html", "")
        + " ".join(str(o.get("data", {})) for o in c.get("outputs", []))
        for c in cells
    )


@pytest.mark.parametrize(
    ("outputs", "shown"),
    [((), False), ((_LINE,), False), ((_PNG,), True), ((_TABLE,), True), ((_LINE, _TABLE), True)],
)
def test_a_needs_data_text_shows_only_above_a_table_or_figure(outputs, shown):
    nb = _executed(
        [
            _md("## House of quality", needs_data=False),
            _md("The house of quality carries requirements into characteristics."),
            _code(*outputs),
            _md("## Next section", needs_data=False),
        ]
    )
    text = _shown_text(report._report_cells("04_x", "implementation", nb, report._texts("en")))
    assert "House of quality" in text and "Next section" in text  # untagged: always
    assert ("carries requirements" in text) == shown
    if _LINE in outputs:
        assert "has no qfd section" in text  # the one line saying what data would enable it


def _no_competitor_company(tmp_path):
    """cobalt-software without its competitor columns, goals, actions, qfd and the rest."""
    import shutil
    from pathlib import Path

    import pandas as pd
    import yaml

    import orient

    src = Path(__file__).resolve().parents[1] / "data" / "companies" / "cobalt-software"
    folder = tmp_path / "nocomp"
    shutil.copytree(src, folder)
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    for attr in profile["survey"]["attributes"].values():
        attr.pop("competitor", None)
    for key in ("goals", "actions", "qfd", "investments", "conjoint"):
        profile.pop(key, None)
    (folder / "company.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), "utf-8")
    survey = pd.read_csv(folder / "survey.csv", sep=";", dtype=str, encoding="utf-8-sig")
    survey = survey[[c for c in survey.columns if not c.startswith("c_")]]
    survey.to_csv(folder / "survey.csv", sep=";", index=False, encoding="utf-8-sig")
    return orient.load_company(folder), profile, folder


@pytest.fixture(scope="module")
def no_competitor(tmp_path_factory):
    from orient import priorities

    company, profile, folder = _no_competitor_company(tmp_path_factory.mktemp("truth"))
    return company, profile, priorities.analyse(company, n_boot=0), folder


def test_without_competitor_ratings_the_matrix_is_our_score_against_the_mean(no_competitor):
    import numpy as np

    from orient import priorities

    company, profile, result, _ = no_competitor
    assert not result.has_competitor and not result.relative
    # our 0-100 score of each attribute, from the survey by hand (weighted mean rating)
    survey = company.survey
    w = survey["weight"].astype(float)
    scores = {}
    for key in profile["survey"]["attributes"]:
        v = survey[key].astype(float)
        ok = v.notna()
        mean = float((v[ok] * w[ok]).sum() / w[ok].sum())
        scores[key] = (mean - 1) / (7 - 1) * 100
    matrix = result.matrix
    for key, score in scores.items():
        assert matrix.loc[key, "performance"] == pytest.approx(score, abs=1e-6)
    cut = np.mean(list(scores.values()))
    assert matrix.attrs["performance_cut"] == pytest.approx(cut)
    for key, score in scores.items():  # each quadrant follows that cut
        strong = matrix.loc[key, "quadrant"] in ("keep_advantage", "maintain_or_reduce")
        assert strong == (score >= cut)
    for language, word in (("en", "competitor"), ("ru", "конкурент")):
        text = (
            priorities.matrix_text(result, language)
            + priorities.priorities_text(result, language)
            + priorities.matrix_caption(result, language)
        )
        assert word not in text.lower()
    assert "mean score of the attributes" in priorities.matrix_text(result, "en")
    # what strong and weak mean, in a sentence that parses (it once read "*strong* and
    # *weak* below mean above and below our own average")
    assert (
        "the vertical dashed line is the mean score of the attributes: *strong* and *weak* "
        "mean above and below that mean."
    ) in priorities.matrix_text(result, "en")
    assert (
        "вертикальная пунктирная линия — средняя оценка свойств: *сильное* и *слабое* "
        "означают выше и ниже этого среднего."
    ) in priorities.matrix_text(result, "ru")
    assert "mean of the attributes" in priorities.matrix_caption(result, "en")


def test_without_competitor_ratings_the_axis_says_the_line_is_the_mean(no_competitor):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from orient.present import plots

    _, _, result, _ = no_competitor
    fig, ax = plt.subplots()
    plots.strategic_matrix_plot(result.matrix, ax=ax)
    assert "mean of the attributes" in ax.get_xlabel()
    assert ax.lines[0].get_xdata()[0] == pytest.approx(result.matrix["performance"].mean())
    plt.close(fig)


def test_the_competitor_section_is_left_out_without_competitor_ratings(no_competitor):
    import nbformat
    from nbclient import NotebookClient

    from orient.report.builder import stage_notebooks

    folder = no_competitor[3]
    path = next(p for stem, _, p in stage_notebooks() if stem == "03_priorities")
    nb = nbformat.read(path, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    params.source += f"\ncompany_dir = {str(folder)!r}\nn_boot = 0\n"
    NotebookClient(nb, timeout=600, kernel_name="python3").execute()
    cells = report._report_cells("03_priorities", "priorities", nb, report._texts("en"))
    text = _shown_text(cells)
    assert "How we compare with the main competitor" not in text
    assert "Customers rated both us and the main competitor" not in text
    assert "gap to the competitor" not in text
    assert "against the competitor" not in text


# --- the first priority is the first attribute to improve -----------------------------


def test_the_first_priority_is_the_first_attribute_to_improve(no_competitor):
    from orient import priorities

    _, _, result, _ = no_competitor
    table = result.priorities
    # importance x shortfall from the top of the scale, by hand: its largest value is
    # outside the improve quadrant (the case the summary and the table once disagreed on)
    score = table["importance"].abs() * (100.0 - table["performance"]).clip(lower=0)
    assert table.loc[score.idxmax(), "quadrant"] != "improve"
    improve = table["quadrant"] == "improve"
    assert improve.any()
    first = score[improve].idxmax()
    # the order to act: every improve attribute before any other, by that score within
    expected = score[improve].sort_values(ascending=False).index.tolist()
    ranked = table.sort_values("priority_rank").index.tolist()
    assert ranked[: len(expected)] == expected
    assert table.loc[first, "priority_rank"] == 1
    assert list(table.index) == ranked  # the table is in that order
    h = priorities.headline(result)
    assert h["top_priority"] == first
    assert h["top_priority_quadrant"] == "improve"
    assert h["improve"] == expected
    summary = {"stages": {"priorities": {"headline": h}}}
    (found,) = [f for f in report._findings(summary, "en", {}) if "First priority" in f]
    assert table.loc[first, "label"] in found.split(",")[0]
    assert "keep the advantage" not in found


# --- the risk sentence does not repeat its raw value -------------------------------


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_risk_finding_does_not_repeat_the_raw_value(language):
    risk = "100% of receivables are overdue (218,332 outstanding past the due date)"
    head = {"risk": risk, "risk_value": 218331.6, "risk_unit": "amount", "risk_severity": 1.0}
    summary = {"stages": {"crm": {"headline": head}}}
    (found,) = [f for f in report._findings(summary, language, {}) if "218,332" in f]
    assert "218,331" not in found and "218 331" not in found and "amount" not in found
    assert found.count("218,332") == 1


# --- drivers whose interval includes zero are not ranked ----------------------------


def _priority_rows():
    import pandas as pd

    return pd.DataFrame(
        {
            "label": ["Delivery", "Price", "Website"],
            "importance": [0.40, 0.35, 0.25],
            "performance": [40.0, 45.0, 80.0],
            "competitor": [float("nan")] * 3,
            "quadrant": ["improve", "improve", "keep_advantage"],
            "factor": ["performance"] * 3,
            "priority": [24.0, 19.25, 5.0],
            "priority_rank": [1, 2, 3],
            "do_not_cut": [False] * 3,
            "action": ["", "", ""],
        },
        index=["delivery", "price", "website"],
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_driver_whose_interval_crosses_zero_is_not_called_a_driver(language):
    import pandas as pd

    from orient.priorities import narrative

    drivers = pd.DataFrame(
        {
            "importance": [0.30, 0.05, 0.20],
            "share": [0.55, 0.09, 0.36],
            "ci_low": [0.20, -0.04, 0.10],  # price: the interval includes zero
            "ci_high": [0.40, 0.12, 0.30],
        },
        index=["delivery", "price", "website"],
    )
    drivers.attrs["confidence"] = 0.95
    sentences = narrative(_priority_rows(), relative=False, language=language, drivers=drivers)
    about_price = [s for s in sentences if "Price" in s]
    assert len(about_price) == 1
    word = {"en": "not distinguishable from zero", "ru": "неотличимо от нуля"}[language]
    assert word in about_price[0]
    assert any("Delivery" in s for s in sentences if word not in s)
    low, high = {"en": ("-0.040", "0.120"), "ru": ("-0,040", "0,120")}[language]
    assert low.replace("-", "\u2212") in about_price[0] or low in about_price[0]
    assert high in about_price[0]
    # without the intervals (no bootstrap), nothing is dropped
    plain = narrative(_priority_rows(), relative=False, language=language)
    assert not any(word in s for s in plain)


# --- basic factors need their interval and the raw pattern --------------------------


def _confounded_survey(confounded: bool, seed: int = 3):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = 3000
    x2 = rng.integers(1, 6, n)
    if confounded:  # those who rate x1 low rate x2 high: the raw pattern is reversed
        x1 = np.where(x2 >= 4, rng.choice([1, 3], n, p=[0.7, 0.3]), rng.choice([3, 5], n))
    else:
        x1 = rng.integers(1, 6, n)
    y = 3.0 + 1.5 * (x2 == 5) - 1.5 * (x2 == 1) - 0.8 * (x1 == 1) + rng.normal(0, 0.5, n)
    return pd.DataFrame({"y": y, "x1": x1.astype(float), "x2": x2.astype(float)})


def test_a_basic_factor_is_not_declared_when_the_raw_pattern_runs_the_other_way():
    import statsmodels.formula.api as smf

    from orient.priorities import penalty_reward

    data = _confounded_survey(confounded=True)
    # the low and high bands of penalty_reward: the bottom and top quarter of the 1-5 range
    low = data["x1"] <= 2
    mid = (data["x1"] > 2) & (data["x1"] < 4)
    # by hand: those rating x1 lowest are the MORE satisfied ones, raw
    assert data.loc[low, "y"].mean() > data.loc[mid, "y"].mean()
    # while the adjusted penalty (statsmodels, the same dummies) is clearly positive
    d = data.assign(
        l1=low.astype(float),
        h1=(data["x1"] >= 4).astype(float),
        l2=(data["x2"] <= 2).astype(float),
        h2=(data["x2"] >= 4).astype(float),
    )
    fit = smf.ols("y ~ l1 + h1 + l2 + h2", d).fit()
    assert -fit.params["l1"] > 0.5 and fit.pvalues["l1"] < 0.001
    out = penalty_reward(data, "y", ["x1", "x2"])
    assert out.loc["x1", "penalty"] == pytest.approx(-fit.params["l1"])
    assert out.loc["x1", "raw_penalty"] == pytest.approx(
        data.loc[mid, "y"].mean() - data.loc[low, "y"].mean()
    )
    assert out.loc["x1", "factor"] == "unclear"


def test_a_basic_factor_with_its_interval_and_raw_pattern_is_declared():
    from orient.priorities import penalty_reward

    data = _confounded_survey(confounded=False)
    out = penalty_reward(data, "y", ["x1", "x2"])
    assert out.loc["x1", "penalty_ci_low"] > 0 and out.loc["x1", "raw_penalty"] > 0
    assert out.loc["x1", "factor"] == "basic"


def test_an_asymmetry_whose_penalty_interval_includes_zero_is_unclear():
    from orient.priorities.factors import _factor_type

    bounds = {"penalty_ci_low": -0.1, "penalty_ci_high": 0.9, "reward_ci_low": 0.0}
    assert _factor_type(True, -0.8, 0.2, bounds, 0.3, 0.0) == "unclear"
    bounds["penalty_ci_low"] = 0.1
    assert _factor_type(True, -0.8, 0.2, bounds, 0.3, 0.0) == "basic"
    assert _factor_type(False, -0.8, 0.2, bounds, 0.3, 0.0) == "performance"


# --- without declared actions: an illustrative what-if, never a plan ------------------


def test_without_declared_actions_the_plan_is_an_illustrative_what_if(no_competitor):
    import orient
    from orient import implementation

    company = no_competitor[0]
    result = orient.stages.analyse(company, "implementation")
    plan = result.plan
    assert len(plan) and (plan["target_source"] != "company.yaml").all()
    assert not implementation.has_declared_actions(result)
    # no competitor: every target is the rule step, a tenth of the 1-7 scale above now
    assert (plan["target_source"] == "rule").all()
    assert (plan["target"] - plan["current"]).to_numpy() == pytest.approx(0.6)
    for language, words, absent in (
        ("en", "illustrative what-if, not a plan", ("competitor", "owner")),
        ("ru", "иллюстративный расчёт", ("конкурент", "ответственный")),
    ):
        text = implementation.plan_text(result, language)
        assert words in text
        for word in absent:
            assert word not in text.lower()
    h = implementation.headline(result)
    assert h["top_action"] is None and h["total_index_gain"] is None
    summary = {"stages": {"implementation": {"headline": h}}}
    for language in ("en", "ru"):
        assert not report._findings(summary, language, {})  # no "Act first on ..."


@pytest.mark.parametrize(
    ("stem", "opening"),
    [
        ("02_satisfaction", "## Who promotes, who detracts"),
        ("02_satisfaction", "Did satisfaction really go up?"),  # the heading: needs-output
        ("03_priorities", "## How we compare with the main competitor"),
        ("03_priorities", "By segment: the gap to the competitor"),
        ("04_implementation", "The house of quality carries"),
        ("04_implementation", "The systems behind the actions"),
        ("04_implementation", "Customers rarely choose one feature at a time"),
        ("04_implementation", "Customer orientation is a loop"),
    ],
)
def test_the_texts_about_optional_data_are_shown_only_with_it(stem, opening):
    import nbformat

    from orient.report.builder import stage_notebooks

    path = next(p for s, _, p in stage_notebooks() if s == stem)
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(opening)]
    assert "needs-data" in cell.metadata.get("tags", [])
    # the NPS is defined only where its composition is shown
    if opening.startswith("## Who promotes"):
        assert "Net Promoter Score" in cell.source
        others = [c.source for c in nb.cells if c.cell_type == "markdown" and c is not cell]
        assert not any("Net Promoter Score" in s for s in others)


def _segment_confounded(seed: int = 5):
    """x1 rated low only in segment B, which is less satisfied for reasons of its own:
    within each segment x1 does nothing."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n = 3000
    seg = rng.choice(["A", "B"], n)
    x1 = np.where(seg == "B", rng.choice([1, 2, 3], n), rng.choice([3, 4, 5], n, p=[0.6, 0.2, 0.2]))
    x2 = rng.integers(1, 6, n)
    y = 4.0 - 1.2 * (seg == "B") + 0.8 * (x2 >= 4) - 0.8 * (x2 <= 2) + rng.normal(0, 0.5, n)
    return pd.DataFrame({"y": y, "x1": x1.astype(float), "x2": x2.astype(float), "segment": seg})


def test_a_basic_factor_that_is_a_segment_difference_is_unclear():
    import statsmodels.formula.api as smf

    from orient.priorities import penalty_reward
    from orient.priorities.stage import _held_within_segments

    data = _segment_confounded()
    d = data.assign(
        l1=(data["x1"] <= 2).astype(float),
        h1=(data["x1"] >= 4).astype(float),
        l2=(data["x2"] <= 2).astype(float),
        h2=(data["x2"] >= 4).astype(float),
    )
    # by hand (statsmodels): the x1 penalty is large without the segment, nil with it
    plain = smf.ols("y ~ l1 + h1 + l2 + h2", d).fit()
    within = smf.ols("y ~ l1 + h1 + l2 + h2 + C(segment)", d).fit()
    assert -plain.params["l1"] > 0.5 and within.pvalues["l1"] > 0.01
    table = ["x1", "x2"]
    out = penalty_reward(data, "y", table)
    assert out.loc["x1", "factor"] == "basic"  # what the plain contrast would declare
    fixed = penalty_reward(data, "y", table, controls=["segment"])
    assert fixed.loc["x1", "penalty"] == pytest.approx(-within.params["l1"])
    checked = _held_within_segments(out, data, "y", table, None, 0.95, "segment")
    assert checked.loc["x1", "factor"] == "unclear"
    assert checked.loc["x2", "factor"] == out.loc["x2", "factor"]  # x2 unchanged


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_overdue_risk_names_its_currency(language):
    from orient.operations.crm import narrative

    text = narrative.risk_sentence("overdue", language, share=0.5, overdue=1234.4, currency="SEK")
    assert "SEK" in text and text.count("SEK") == 1
    assert "SEK" not in narrative.risk_sentence(
        "overdue", language, share=0.5, overdue=1234.4, currency=""
    )


def test_the_crm_result_carries_the_company_currency():
    import orient

    company = orient.load_company(orient.report.sample_company_dir("cobalt-software"))
    result = orient.crm.analyse(company)
    assert result.currency == company.currency
    head = orient.crm.headline(result)
    if head.get("risk") and "receivables" in head["risk"]:
        assert company.currency in head["risk"]


@pytest.mark.parametrize(
    ("p", "language", "shown"),
    [
        (1e-9, "en", "p < 0.001"),
        (0.0004, "ru", "p < 0,001"),
        (0.0006, "en", "p = 0.001"),
        (0.0421, "en", "p = 0.042"),
    ],
)
def test_a_tiny_p_value_is_never_shown_as_zero(p, language, shown):
    from orient.i18n import sentence

    values = dict(
        kind="index", significant=p < 0.05, change=2.0, measure="Index", before=60.0,
        after=62.0, wave_before="2025", wave_after="2026", d=1, confidence=0.95,
        ci_low=1.0, ci_high=3.0, p_value=p,
    )  # fmt: skip
    text = sentence("satisfaction.wave_change", language, **values)
    assert shown in text and "0.000" not in text and "0,000" not in text
