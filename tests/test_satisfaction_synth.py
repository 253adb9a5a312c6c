"""Stage II on synthetic companies: the known truth must be recovered.

``orient.synth.make_company`` returns the population values the data were drawn from
(segment and wave values, the change between waves, retention and revenue per point of
the 0-100 index). Each estimate must have the right sign and its 95% interval must
hold the truth. Seeds are fixed, so each check is deterministic.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
import yaml

import orient
from orient import satisfaction as sat
from orient import synth


@pytest.fixture(
    scope="module", params=[("delivery", 5), ("software", 2)], ids=["delivery", "software"]
)
def made(request, tmp_path_factory):
    business, seed = request.param
    path = tmp_path_factory.mktemp(business) / "company"
    truth = synth.make_company(path, seed=seed, business=business)
    company = orient.load_company(path)
    survey = company.survey.copy()
    # the truth's index is the overall rating rescaled 0-100
    survey["idx"] = sat.index_scores(survey[["overall"]], {"overall": company.scale("overall")})
    return truth, company, survey


MEASURES = [
    ("idx", "index", "index"),
    ("recommend", "nps", "nps"),
    ("overall", "mean", "mean_overall"),
]


@pytest.mark.parametrize("col,kind,truth_col", MEASURES)
def test_segment_values_and_differences_recovered(made, col, kind, truth_col):
    truth, company, survey = made
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", orient.OrientWarning)
        tab = sat.segment_table(
            survey, "segment", col, kind=kind, weights="weight", min_base=company.min_base
        ).set_index("segment")
    share = truth.segments["share"]
    for seg in truth.segments.index:
        row = tab.loc[seg]
        true = truth.segments.loc[seg, truth_col]
        rest = [s for s in share.index if s != seg]
        true_diff = (
            true - (share[rest] * truth.segments.loc[rest, truth_col]).sum() / share[rest].sum()
        )
        assert row.ci_low <= true <= row.ci_high, (seg, row.estimate, true)
        assert row.diff_ci_low <= true_diff <= row.diff_ci_high, (seg, row.difference, true_diff)
        if abs(true_diff) > (row.diff_ci_high - row.diff_ci_low) / 2:
            assert np.sign(row.difference) == np.sign(true_diff)


@pytest.mark.parametrize("col,kind,truth_col", MEASURES)
def test_wave_change_recovered(made, col, kind, truth_col):
    truth, company, survey = made
    last = sat.wave_change(survey, "wave", col, kind=kind, weights="weight").iloc[-1]
    true = truth.wave_change[truth_col]
    assert np.sign(last.change) == np.sign(true)
    assert last.change_ci_low <= true <= last.change_ci_high


def test_chain_effects_recovered(made):
    truth, company, survey = made
    data = survey.merge(company.finance.drop(columns="segment"), on="customer_id")
    tab = sat.chain_effects(
        data,
        satisfaction="idx",
        outcomes={
            "retention": ("retained", 100, "pp"),
            "revenue": ("revenue", 1, company.currency),
        },
        controls=["segment"],
        weights="weight",
        n_boot=300,
        seed=0,
    )
    tab = tab.set_index("to")
    for name, key in [("retention", "retention_pp_per_point"), ("revenue", "revenue_per_point")]:
        true = truth.chain[key]
        assert tab.loc[name, "effect"] > 0
        assert tab.loc[name, "ci_low"] <= true <= tab.loc[name, "ci_high"], (name, true)


def test_analyse_and_headline(made):
    truth, company, survey = made
    res = sat.analyse(company, n_boot=50, seed=1)
    head = sat.headline(res)
    json.dumps(head)  # JSON-safe
    assert head["n"] == len(company.survey)
    assert head["nps_ci_low"] < head["nps"] < head["nps_ci_high"]
    assert head["nps_change"] > 0 and head["index_change"] > 0  # both rose in the truth
    best = truth.segments["index"].idxmax()
    worst = truth.segments["index"].idxmin()
    assert (head["best_segment"], head["worst_segment"]) == (best, worst)
    assert head["retention_pp_per_point"] > 0 and head["revenue_per_point"] > 0
    assert set(res.indices.columns) >= {"measure", "estimate", "ci_low", "ci_high", "n", "n_eff"}
    assert res.pls is not None and res.ipma is not None
    # attributes that drive satisfaction most in truth get a positive PLS path
    top = truth.attributes["true_importance"].idxmax()
    path = res.pls.paths.set_index(["from", "to"]).loc[(top, "Satisfaction"), "coefficient"]
    assert path > 0


def test_analyse_without_waves_or_finance_says_what_is_left_out(tmp_path):
    path = tmp_path / "co"
    synth.make_company(path, seed=3, business="software", n_respondents=300)
    (path / "finance.csv").unlink()
    survey = pd.read_csv(path / "survey.csv", sep=";", decimal=",", encoding="utf-8-sig")
    survey["wave"] = "2025"  # one wave only
    survey.to_csv(path / "survey.csv", sep=";", decimal=",", index=False, encoding="utf-8-sig")
    prof = yaml.safe_load((path / "company.yaml").read_text(encoding="utf-8"))
    prof["tables"] = {k: v for k, v in (prof.get("tables") or {}).items() if k != "finance"}
    (path / "company.yaml").write_text(yaml.safe_dump(prof, allow_unicode=True), encoding="utf-8")
    company = orient.load_company(path)
    res = sat.analyse(company, n_boot=20, seed=0)
    text = " ".join(res.notes)
    assert "Change over time left out" in text and "at least two" in text
    assert "No finance table" in text
    assert res.waves is None
    head = sat.headline(res)
    assert head["nps_change"] is None and head["revenue_per_point"] is None
    assert head["retention_pp_per_point"] is None
    assert "promoters" in set(res.chain["to"])


def test_rows_left_out_of_the_pls_model_are_counted(made):
    truth, company, survey = made
    res = sat.analyse(company, n_boot=0, seed=0)
    items = [c for cols in res.pls.blocks.values() for c in cols]
    # counted independently: respondents with any model item missing
    missing = int(company.survey[items].isna().any(axis=1).sum())
    assert missing > 0
    assert res.pls.n_left_out == missing
    assert res.pls.n + res.pls.n_left_out == len(company.survey)
    if company.language == "en":
        assert any(f"{missing:,} of {len(company.survey):,} respondents" in n for n in res.notes)
    # the warning says the same and has its own class
    with pytest.warns(sat.RowsLeftOutWarning, match=f"{missing} of {len(company.survey)} rows"):
        fit = sat.pls_path_model(company.survey, res.pls.blocks, list(res.pls.path_list))
    assert fit.n_left_out == missing
    assert issubclass(sat.RowsLeftOutWarning, orient.OrientWarning)


def test_index_with_pls_weights_is_close_to_equal_weights(made):
    truth, company, survey = made
    eq = sat.analyse(company, n_boot=0, seed=0)
    pw = sat.analyse(company, n_boot=0, seed=0, index_weights="pls")
    a = eq.indices.set_index("measure").loc["Satisfaction index", "estimate"]
    b = pw.indices.set_index("measure").loc["Satisfaction index", "estimate"]
    # three items of similar reliability: the PLS weights are near-equal (ACSI practice)
    assert abs(a - b) < 1.0
    w = pw.pls.weights[pw.pls.weights.construct == "Satisfaction"]
    assert (w.weight > 0).all()
