"""Synthetic companies carry the truth they claim, and regenerate byte-identically."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import orient
from orient import synth

ROOT = Path(__file__).resolve().parents[1]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(tmp_path):
    synth.make_company(tmp_path / "a", seed=5, business="insurance", n_respondents=120)
    synth.make_company(tmp_path / "b", seed=5, business="insurance", n_respondents=120)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    synth.make_company(tmp_path / "c", seed=6, business="insurance", n_respondents=120)
    assert _digest(tmp_path / "a")["survey.xlsx"] != _digest(tmp_path / "c")["survey.xlsx"]


@pytest.mark.parametrize("slug", list(synth.SAMPLES))
def test_committed_samples_are_what_make_data_writes(tmp_path, slug):
    business, seed = synth.SAMPLES[slug]
    synth.make_company(tmp_path / slug, seed=seed, business=business)
    assert _digest(tmp_path / slug) == _digest(ROOT / "data" / "companies" / slug), (
        f"data/companies/{slug} differs from what `make data` writes: run make data and commit"
    )


def test_refuses_to_overwrite(tmp_path):
    synth.make_company(tmp_path / "a", seed=1, n_respondents=50)
    with pytest.raises(FileExistsError):
        synth.make_company(tmp_path / "a", seed=1, n_respondents=50)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big") / "co"
    truth = synth.make_company(folder, seed=21, business="cars", n_respondents=4000)
    return truth, orient.load_company(folder)


def test_truth_structure(big):
    truth, company = big
    a = truth.attributes
    assert 8 <= len(a) <= 15
    assert {"basic", "excitement", "performance"} <= set(a["factor_type"])
    assert (a["weight"] < 0.1).any(), "some drivers should be near zero"
    assert list(a.index) == company.attribute_keys
    assert truth.wave_change["mean_overall"] > 0 and truth.wave_change["nps"] > 0


def test_segment_and_wave_differences_show_in_the_data(big):
    truth, company = big
    s = company.survey
    seg_means = s.groupby("segment")["overall"].mean()
    # the direction of every pairwise segment difference matches the population values
    true = truth.segments["mean_overall"]
    for x in true.index:
        for y in true.index:
            if true[x] - true[y] > 0.15:
                assert seg_means[x] > seg_means[y]
    wave_means = s.groupby("wave", observed=True)["overall"].mean()
    assert wave_means["2026"] > wave_means["2025"]


def test_drivers_correlate_with_overall_in_truth_order(big):
    truth, company = big
    s = company.survey
    r = s[company.attribute_keys].corrwith(s["overall"])
    assert (r > 0).all()
    top = truth.attributes["true_importance"].idxmax()
    bottom = truth.attributes["true_importance"].idxmin()
    assert r[top] > r[bottom] + 0.1


def test_competitor_gaps_show_in_the_data(big):
    truth, company = big
    s = company.survey
    gaps = pd.Series({k: (s[f"{k}_competitor"] - s[k]).mean() for k in company.attribute_keys})
    big_gaps = truth.attributes["gap"].abs() > 0.3
    assert (np.sign(gaps[big_gaps]) == np.sign(truth.attributes["gap"][big_gaps])).all()


def test_finance_retention_rises_with_satisfaction(big):
    truth, company = big
    f = company.finance.merge(company.survey[["customer_id", "overall"]], on="customer_id")
    lo, hi = company.scale("overall")
    idx = (f["overall"] - lo) / (hi - lo) * 100
    slope = np.polyfit(idx, f["retained"], 1)[0] * 100  # pp per index point
    assert abs(slope - truth.chain["retention_pp_per_point"]) < 0.15


def test_operational_tables_are_plausible(tmp_path):
    synth.make_company(tmp_path / "d", seed=2, business="delivery", n_respondents=200)
    c = orient.load_company(tmp_path / "d")
    calls = c.calls
    assert (calls["answered"] + calls["abandoned"] == calls["offered"]).all()
    assert (calls["answered_in_target"] <= calls["answered"]).all()
    peak = calls.groupby(calls["interval_start"].dt.hour)["offered"].mean()
    assert peak.idxmax() in (10, 11, 14, 15)
    assert (c.claims["amount_settled"].dropna() <= c.claims["amount_claimed"].max()).all()
    assert c.quality["defective"].le(c.quality["inspected"]).all()
    synth.make_company(tmp_path / "s", seed=2, business="software", n_respondents=200)
    deals = orient.load_company(tmp_path / "s").deals
    assert set(deals["outcome"]) == {"won", "lost", "open"}
    assert deals.loc[deals["outcome"] != "open", "closed"].notna().all()


def test_every_scenario_file_is_a_listed_business():
    from importlib import resources

    folder = resources.files("orient.synth").joinpath("scenarios")
    files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    assert files == sorted(f"{b}.yaml" for b in synth.BUSINESS_NAMES)
    assert list(synth.BUSINESSES) == list(synth.BUSINESS_NAMES)
    for business in synth.BUSINESS_NAMES:
        b = synth.load_scenario(business)
        assert abs(sum(b["segments"].values()) - 1) < 1e-12, business
        assert {a[5] for a in b["attributes"]} <= {"basic", "performance", "excitement"}
        assert set(b["stage4"]["actions"]) <= {a[0] for a in b["attributes"]}


def test_load_scenario_gives_a_fresh_copy():
    b = synth.load_scenario("cars")
    b["attributes"].clear()
    assert synth.load_scenario("cars")["attributes"]


def test_unknown_business_is_refused(tmp_path):
    with pytest.raises(
        ValueError,
        match=r"`business` must be one of 'steel', 'delivery', .*"
        r"got 'bakery'",
    ):
        synth.make_company(tmp_path / "x", business="bakery")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["attributes"]["price"].update(colour=1),
            r"scenarios/software.yaml: attributes.price has unknown keys colour",
        ),
        (
            lambda d: d["segments"]["SMB"].pop("effect"),
            r"scenarios/software.yaml: segments.SMB lacks effect",
        ),
        (
            lambda d: d.pop("conjoint"),
            r"scenarios/software.yaml: the stage IV content needs all of",
        ),
    ],
)
def test_a_bad_scenario_names_the_file_and_key(change, message):
    import yaml

    from orient.synth.scenarios import _business, scenario_text

    raw = yaml.safe_load(scenario_text("software"))
    change(raw)
    with pytest.raises(ValueError, match=message):
        _business("software", raw)
