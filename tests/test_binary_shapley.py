"""Fast Shapley of a binary outcome, checked against independent computations.

- every subset model's McFadden R² against statsmodels ``Logit`` refits (and
  ``GLM(Binomial, freq_weights)`` with survey weights), the Shapley values against the
  average over all p! orderings of those refits, to 1e-8;
- the permutation-sampling estimator against the exact values at p = 10, and its
  stated Monte Carlo error against the spread of estimates over independent seeds;
- the linear probability model against statsmodels ``OLS`` refits of the 0/1 outcome;
- the bootstrap's resample count cap and the order-statistic Monte Carlo error.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import orient.priorities as pr
from orient.priorities.bootstrap import logit_boot_plan, percentile_mc_se
from orient.priorities.logit_shapley import collapse, exact_subset_r2, sampled_shapley

sm = pytest.importorskip("statsmodels.api")


def _ratings(n: int, p: int, seed: int, levels: int = 5) -> pd.DataFrame:
    """Correlated ratings on a 1..levels scale and a 0/1 outcome from a logistic model."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) + 0.6 * rng.normal(size=(n, 1))
    x = np.clip(np.round(x + (levels + 1) / 2), 1, levels)
    eta = (x - x.mean(axis=0)) @ np.linspace(0.9, 0.1, p) - 0.4
    df = pd.DataFrame(x, columns=[f"a{j}" for j in range(p)])
    df["y"] = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    return df


def _sm_mcfadden(df: pd.DataFrame, cols: tuple, weights=None) -> float:
    """1 - llf / llnull from statsmodels fits; the null log-likelihood in closed form
    (statsmodels' own ``llnull`` refits the null model at its default tolerance)."""
    if not cols:
        return 0.0
    w = np.ones(len(df)) if weights is None else np.asarray(weights)
    ybar = np.average(df["y"], weights=w)
    llnull = w.sum() * (ybar * math.log(ybar) + (1 - ybar) * math.log(1 - ybar))
    xx = sm.add_constant(df[list(cols)])
    if weights is None:
        fit = sm.Logit(df["y"], xx).fit(disp=0, method="newton", tol=1e-14, maxiter=200)
    else:
        fam = sm.families.Binomial()
        fit = sm.GLM(df["y"], xx, family=fam, freq_weights=w).fit(tol=1e-14, maxiter=200)
    return 1 - fit.llf / llnull


def _brute_shapley(r2_of, drivers: list[str]) -> pd.Series:
    """Average over all p! orderings of each driver's gain (no subset weights used)."""
    total = dict.fromkeys(drivers, 0.0)
    orders = list(itertools.permutations(drivers))
    for order in orders:
        for i, d in enumerate(order):
            gain = r2_of(tuple(sorted(order[: i + 1]))) - r2_of(tuple(sorted(order[:i])))
            total[d] += gain / len(orders)
    return pd.Series(total)[drivers]


@pytest.mark.parametrize("weighted", [False, True])
def test_every_subset_and_shapley_match_statsmodels_refits(weighted):
    df = _ratings(400, 5, seed=1)
    drivers = [f"a{j}" for j in range(5)]
    w = np.random.default_rng(2).uniform(0.5, 2.0, len(df)) if weighted else None
    cache: dict = {}

    def r2_of(cols):
        if cols not in cache:
            cache[cols] = _sm_mcfadden(df, cols, w)
        return cache[cols]

    x = df[drivers].to_numpy()
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    design, s1, m = collapse(z, df["y"].to_numpy(), np.ones(len(df)) if w is None else w)
    assert len(design) < len(df)  # ratings repeat: fewer distinct rows than respondents
    sub, ok = exact_subset_r2(design, s1, m)
    assert ok
    for mask in range(1, 2**5):
        cols = tuple(d for j, d in enumerate(drivers) if mask >> j & 1)
        assert sub[mask] == pytest.approx(r2_of(cols), abs=1e-10)
    res = pr.driver_importance(df, "y", drivers, weights=w)
    assert res.attrs["exact"] is True and res.attrs["binary_method"] == "logit"
    brute = _brute_shapley(r2_of, drivers)
    np.testing.assert_allclose(res["importance"], brute, atol=1e-9, rtol=1e-8)
    kr = pr.driver_importance(df, "y", drivers, weights=w, method="kruskal")
    k_brute = dict.fromkeys(drivers, 0.0)
    for order in itertools.permutations(drivers):
        for i, d in enumerate(order):
            a, b = r2_of(tuple(sorted(order[:i]))), r2_of(tuple(sorted(order[: i + 1])))
            k_brute[d] += (b - a) / (1 - a) / math.factorial(5)
    np.testing.assert_allclose(kr["importance"], pd.Series(k_brute)[drivers], rtol=1e-8)


def test_batched_resample_weights_equal_separate_fits():
    df = _ratings(300, 4, seed=3)
    x = df[[f"a{j}" for j in range(4)]].to_numpy()
    y = df["y"].to_numpy()
    design, s1, m = collapse(x, y, np.ones(len(y)))
    rng = np.random.default_rng(0)
    wts = rng.integers(1, 4, size=(3, len(design))).astype(float)
    batch, _ = exact_subset_r2(design, s1 * wts, m * wts)
    for b in range(3):
        alone, _ = exact_subset_r2(design, s1 * wts[b], m * wts[b])
        np.testing.assert_allclose(batch[b], alone, atol=1e-12)


def test_sampling_estimator_against_exact_at_p10_and_its_error_is_honest():
    df = _ratings(1500, 10, seed=4)
    drivers = [f"a{j}" for j in range(10)]
    exact = pr.driver_importance(df, "y", drivers, exact=True)
    est = pr.driver_importance(df, "y", drivers, exact=False, permutations=400, seed=5)
    assert est.attrs["exact"] is False and est.attrs["permutations"] == 400
    assert est["importance"].sum() == pytest.approx(exact.attrs["r2"], rel=1e-10)
    z = (est["importance"] - exact["importance"]) / est["mc_se"]
    assert np.all(np.abs(z) < 4.5), z
    assert np.max(np.abs(est["importance"] - exact["importance"])) < 0.005
    kr_exact = pr.driver_importance(df, "y", drivers, method="kruskal", exact=True)
    kr = pr.driver_importance(df, "y", drivers, method="kruskal", exact=False, permutations=400)
    assert np.all(np.abs(kr["importance"] - kr_exact["importance"]) < 4.5 * kr["mc_se"])
    again = pr.driver_importance(df, "y", drivers, exact=False, permutations=400, seed=5)
    pd.testing.assert_frame_equal(est, again)  # the same seed, the same estimate
    # the stated error against the spread over independent seeds (40 small runs)
    x = df[drivers].to_numpy()
    design, s1, m = collapse((x - x.mean(0)) / x.std(0), df["y"].to_numpy(), np.ones(len(df)))
    runs = [sampled_shapley(design, s1, m, 16, seed) for seed in range(40)]
    spread = np.std([r[0] for r in runs], axis=0, ddof=1)
    stated = np.sqrt(np.mean([r[1] ** 2 for r in runs], axis=0))
    assert np.all((stated > 0.6 * spread) & (stated < 1.6 * spread)), (stated, spread)
    # the truth is inside most runs' 95% intervals
    exact_v = exact["importance"].to_numpy()
    cover = np.mean([np.abs(r[0] - exact_v) <= 1.96 * r[1] for r in runs])
    assert 0.85 < cover <= 1.0


def test_above_the_exact_limit_the_values_are_sampled_not_refused():
    df = _ratings(400, 16, seed=6)
    drivers = [f"a{j}" for j in range(16)]
    res = pr.driver_importance(df, "y", drivers, permutations=32, seed=1)
    assert res.attrs["exact"] is False and "mc_se" in res.columns
    assert res["importance"].sum() == pytest.approx(res.attrs["r2"], rel=1e-10)
    with pytest.raises(ValueError, match="at most 15"):
        pr.driver_importance(df, "y", drivers, exact=True)


def test_linear_probability_model_matches_ols_refits():
    df = _ratings(300, 4, seed=7)
    drivers = [f"a{j}" for j in range(4)]

    def r2_of(cols):
        if not cols:
            return 0.0
        return sm.OLS(df["y"], sm.add_constant(df[list(cols)])).fit().rsquared

    res = pr.driver_importance(df, "y", drivers, binary="lpm", n_boot=50, seed=1)
    assert res.attrs["binary_method"] == "lpm" and res.attrs["outcome"] == "binary"
    np.testing.assert_allclose(res["importance"], _brute_shapley(r2_of, drivers), rtol=1e-10)
    assert res.attrs["r2"] == pytest.approx(r2_of(tuple(drivers)), rel=1e-12)
    assert res.attrs["n_boot"] == 50 and res[["ci_low", "ci_high"]].notna().all().all()


def test_logistic_bootstrap_caps_resamples_and_states_their_error():
    n_boot, exact = logit_boot_plan(12, 25_000, "shapley", 500)
    assert not exact and 20 <= n_boot < 500
    assert logit_boot_plan(4, 300, "shapley", 200) == (200, True)
    assert logit_boot_plan(12, 10**6, "beta", 500) == (500, True)
    df = _ratings(300, 3, seed=8)
    res = pr.driver_importance(df, "y", ["a0", "a1", "a2"], n_boot=60, seed=2)
    assert res.attrs["n_boot"] == 60 and res.attrs["ci_mc_se"] > 0
    # order-statistic standard error of a normal sample's 2.5% quantile, against theory:
    # sqrt(q (1 - q) / B) / phi(z_q)
    draws = np.random.default_rng(9).normal(size=(4000, 1))
    theory = math.sqrt(0.025 * 0.975 / 4000) / (math.exp(-(1.96**2) / 2) / math.sqrt(2 * math.pi))
    assert percentile_mc_se(draws, 0.025)[0] == pytest.approx(theory, rel=0.35)


@pytest.mark.parametrize("model", ["logit", "lpm"])
def test_company_yaml_chooses_the_model_and_the_report_and_summary_say_which(tmp_path, model):
    import json
    from pathlib import Path

    import jsonschema
    import yaml

    import orient
    from orient.priorities import headline

    rng = np.random.default_rng(11)
    x = rng.integers(1, 6, (300, 3))
    y = (x @ [1.0, 0.5, 0.2] + rng.normal(0, 1.5, 300) > 8.5).astype(int)
    df = pd.DataFrame(x, columns=list("abc"))
    df.insert(0, "pid", [f"r{i}" for i in range(300)])
    df["sat"] = y
    folder = tmp_path / "bin"
    folder.mkdir()
    df.to_csv(folder / "survey.csv", index=False)
    prof = {
        "name": "Bin",
        "survey": {
            "id": "pid",
            "overall": "sat",
            "overall_scale": {"min": 0, "max": 1},
            "attributes": {k: {"label": k.upper(), "own": k} for k in "abc"},
        },
        "analysis": {"binary_method": model, "bootstrap": 40},
    }
    (folder / "company.yaml").write_text(yaml.safe_dump(prof), "utf-8")
    company = orient.load_company(folder)
    result = orient.stages.analyse(company, "priorities")
    assert result.drivers.attrs["binary_method"] == model
    words = "logistic model" if model == "logit" else "linear probability model"
    assert any(words in s for s in result.sentences)
    ru = orient.priorities.narrative(
        result.priorities, language="ru", drivers=result.drivers, relative=False
    )
    assert any(("логистической" if model == "logit" else "линейной") in s for s in ru)
    head = headline(result)
    assert head["binary_method"] == model and head["n_boot"] == 40
    assert head["exact"] is (True if model == "logit" else None)
    root = Path(__file__).resolve().parents[1]
    schema = json.loads((root / "orient" / "schemas" / "summary.schema.json").read_text())
    stage = {"status": "ok", "headline": json.loads(json.dumps(head)), "error": None}
    sub = {**schema["properties"]["stages"]["properties"]["priorities"], "$defs": schema["$defs"]}
    jsonschema.validate(stage, sub)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**stage, "headline": {**stage["headline"], "exact": "yes"}}, sub)


def test_fewer_resamples_than_requested_are_said_with_their_error():
    from orient.priorities.narrative import _model_sentences

    d = pd.DataFrame({"importance": [0.1, 0.3]}, index=["a", "b"])
    d.attrs.update(outcome="continuous", n_boot=120, n_boot_requested=500, ci_mc_se=0.002)
    en, ru = _model_sentences(d, "en"), _model_sentences(d, "ru")
    assert len(en) == 1 and "120 bootstrap resamples rather than the 500" in en[0]
    assert "0.5%" in en[0]  # 0.002 of a total weight of 0.4
    assert "120" in ru[0] and "500" in ru[0] and "0,5%" in ru[0]
    d.attrs.update(n_boot=500)
    assert _model_sentences(d, "en") == []


def test_subsets_fitted_on_their_own_patterns_equal_the_full_rows(monkeypatch):
    """Subsets with few distinct patterns are fitted on those (fewer rows, own columns):
    the same R² as on every distinct row, for 3-, 5- and 7-level drivers and a
    continuous one (never collapsed), with one weight vector and with resamples."""
    import orient.priorities.logit_shapley as ls

    rng = np.random.default_rng(21)
    n = 3000
    x = np.column_stack(
        [rng.integers(1, 4, n), rng.integers(1, 6, n), rng.integers(1, 8, n), rng.normal(size=n)]
        + [rng.integers(1, 6, n) for _ in range(3)]
    ).astype(float)
    eta = (x - x.mean(0)) @ np.linspace(0.5, 0.1, x.shape[1]) - 0.2
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(float)
    design, s1, m = collapse((x - x.mean(0)) / x.std(0), y, rng.uniform(0.5, 2, n))
    wts = rng.integers(0, 3, size=(2, len(design))).astype(float)
    got = exact_subset_r2(design, s1, m)[0]
    got_b = exact_subset_r2(design, s1 * wts, m * wts)[0]
    assert len(ls._subset_rows(*ls._codes(design), np.arange(1, 8), len(design))[0]) == 7
    monkeypatch.setattr(ls, "_COLLAPSE", 0.0)  # nothing collapsed
    assert len(ls._subset_rows(*ls._codes(design), np.arange(1, 8), len(design))[0]) == 0
    np.testing.assert_allclose(got, exact_subset_r2(design, s1, m)[0], atol=1e-11)
    np.testing.assert_allclose(got_b, exact_subset_r2(design, s1 * wts, m * wts)[0], atol=1e-11)
    est, _, _ = sampled_shapley(design, s1, m, 8, 3)
    monkeypatch.undo()
    np.testing.assert_allclose(sampled_shapley(design, s1, m, 8, 3)[0], est, atol=1e-11)
