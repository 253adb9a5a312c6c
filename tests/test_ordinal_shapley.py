"""Shapley of McFadden's R² of the cumulative-logit model, against statsmodels refits.

- every subset model's log-likelihood against ``statsmodels`` ``OrderedModel`` fits
  (logit link) on the respondents' rows, to 1e-6 in McFadden's R²;
- the Shapley values against the average over all p! orderings of those refits;
- survey weights as integer frequencies equal repeated rows;
- the option in company.yaml, its validation, and the report sentence naming the model;
- above the exact limit, the sampled estimator: over all p! orderings it equals the
  brute-force mean of every ordering's gains; with random orderings it converges to the
  exact values within its Monte Carlo error, which falls as 1/sqrt(orderings) and
  matches the spread of the estimate over independent seeds; 13 drivers through
  ``driver_importance`` and company.yaml (no refusal, the sentence in en and ru).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import orient.priorities as pr
from orient.priorities.ordinal_shapley import (
    ordinal_codes,
    ordinal_collapse,
    ordinal_subset_r2,
)

OrderedModel = pytest.importorskip("statsmodels.miscmodels.ordinal_model").OrderedModel


def _ordinal(n: int, p: int, seed: int, levels: int = 5) -> pd.DataFrame:
    """Correlated 1-5 ratings and an ordinal answer 1..levels from a cumulative logit."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) + 0.6 * rng.normal(size=(n, 1))
    x = np.clip(np.round(x + 3), 1, 5)
    eta = (x - x.mean(axis=0)) @ np.linspace(0.8, 0.1, p)
    cuts = np.linspace(-1.5, 1.5, levels - 1)
    u = rng.logistic(size=n)
    y = 1 + (eta[:, None] + u[:, None] > cuts[None, :]).sum(axis=1)
    df = pd.DataFrame(x, columns=[f"a{j}" for j in range(p)])
    df["y"] = y.astype(float)
    return df


def _sm_r2(df: pd.DataFrame, cols: tuple) -> float:
    """McFadden's R² from a statsmodels OrderedModel fit; the null log-likelihood in
    closed form (the answer shares)."""
    if not cols:
        return 0.0
    shares = df["y"].value_counts(normalize=True)
    ll0 = float(np.sum(df["y"].map(np.log(shares))))
    y = pd.Series(pd.Categorical(df["y"], ordered=True))
    mod = OrderedModel(y, df[list(cols)].to_numpy(), distr="logit")
    fit = mod.fit(method="bfgs", disp=False, maxiter=5000, gtol=1e-8)
    return 1 - fit.llf / ll0


def _brute(r2_of, drivers):
    total = dict.fromkeys(drivers, 0.0)
    orders = list(itertools.permutations(drivers))
    for order in orders:
        for i, d in enumerate(order):
            gain = r2_of(tuple(sorted(order[: i + 1]))) - r2_of(tuple(sorted(order[:i])))
            total[d] += gain / len(orders)
    return pd.Series(total)[drivers]


@pytest.mark.parametrize("levels", [3, 5])
def test_every_subset_and_shapley_match_statsmodels_ordered_model(levels):
    p = 4
    df = _ordinal(500, p, seed=levels, levels=levels)
    drivers = [f"a{j}" for j in range(p)]
    cache: dict = {}

    def r2_of(cols):
        if cols not in cache:
            cache[cols] = _sm_r2(df, cols)
        return cache[cols]

    x = df[drivers].to_numpy()
    codes, values = ordinal_codes(df["y"].to_numpy(), "y")
    assert len(values) == levels
    design, counts = ordinal_collapse((x - x.mean(0)) / x.std(0), codes, np.ones(len(df)), levels)
    assert len(design) < len(df)
    sub, ok = ordinal_subset_r2(design, counts)
    assert ok
    for mask in range(1, 2**p):
        cols = tuple(d for j, d in enumerate(drivers) if mask >> j & 1)
        assert sub[mask] == pytest.approx(r2_of(cols), abs=1e-6)
    res = pr.driver_importance(df, "y", drivers, ordinal="ordered_logit")
    assert res.attrs["outcome"] == "ordinal" and res.attrs["ordinal_method"] == "ordered_logit"
    np.testing.assert_allclose(res["importance"], _brute(r2_of, drivers), atol=1e-6)
    assert res["importance"].sum() == pytest.approx(res.attrs["r2"], rel=1e-12)
    kr = pr.driver_importance(df, "y", drivers, method="kruskal", ordinal="ordered_logit")
    k_brute = dict.fromkeys(drivers, 0.0)
    for order in itertools.permutations(drivers):
        for i, d in enumerate(order):
            a, b = r2_of(tuple(sorted(order[:i]))), r2_of(tuple(sorted(order[: i + 1])))
            k_brute[d] += (b - a) / (1 - a) / math.factorial(p)
    np.testing.assert_allclose(kr["importance"], pd.Series(k_brute)[drivers], atol=1e-6)


def test_integer_weights_equal_repeated_rows_and_bootstrap_intervals():
    df = _ordinal(300, 3, seed=7)
    drivers = ["a0", "a1", "a2"]
    w = np.random.default_rng(1).integers(1, 4, len(df))
    weighted = pr.driver_importance(df, "y", drivers, weights=w, ordinal="ordered_logit")
    repeated = pr.driver_importance(
        df.loc[df.index.repeat(w)].reset_index(drop=True), "y", drivers, ordinal="ordered_logit"
    )
    np.testing.assert_allclose(weighted["importance"], repeated["importance"], rtol=1e-8)
    res = pr.driver_importance(df, "y", drivers, ordinal="ordered_logit", n_boot=40, seed=3)
    assert res.attrs["n_boot"] == 40
    assert (res["ci_low"] <= res["importance"]).all() and (
        res["importance"] <= res["ci_high"]
    ).all()


def test_linear_stays_the_default_and_bad_inputs_are_named():
    df = _ordinal(300, 3, seed=8)
    drivers = ["a0", "a1", "a2"]
    lin = pr.driver_importance(df, "y", drivers)
    assert lin.attrs["outcome"] == "continuous" and lin.attrs["ordinal_method"] is None
    df2 = df.assign(y=df["y"] + np.random.default_rng(0).normal(0, 0.01, len(df)))
    with pytest.raises(Exception, match="3 to 7 ordered"):
        pr.driver_importance(df2, "y", drivers, ordinal="ordered_logit")
    with pytest.raises(ValueError, match="shapley"):
        pr.driver_importance(df, "y", drivers, method="beta", ordinal="ordered_logit")


@pytest.mark.parametrize("model", ["linear", "ordered_logit"])
def test_company_yaml_chooses_the_ordinal_model_and_the_report_says_which(tmp_path, model):
    import yaml

    import orient

    rng = np.random.default_rng(12)
    x = rng.integers(1, 6, (300, 3))
    lat = x @ [0.9, 0.5, 0.2] + rng.logistic(size=300)
    y = 1 + np.searchsorted(np.quantile(lat, [0.2, 0.45, 0.7, 0.9]), lat)
    df = pd.DataFrame(x, columns=list("abc"))
    df.insert(0, "pid", [f"r{i}" for i in range(300)])
    df["sat"] = y
    folder = tmp_path / "ord"
    folder.mkdir()
    df.to_csv(folder / "survey.csv", index=False)
    prof = {
        "name": "Ord",
        "survey": {
            "id": "pid",
            "overall": "sat",
            "scale": {"min": 1, "max": 5},
            "attributes": {k: {"label": k.upper(), "own": k} for k in "abc"},
        },
        "analysis": {"ordinal_method": model, "bootstrap": 30},
    }
    (folder / "company.yaml").write_text(yaml.safe_dump(prof), "utf-8")
    company = orient.load_company(folder)
    result = orient.stages.analyse(company, "priorities")
    d = result.drivers
    assert d.attrs["outcome"] == ("ordinal" if model == "ordered_logit" else "continuous")
    said = any("ordered logistic (cumulative-logit" in s for s in result.sentences)
    assert said is (model == "ordered_logit")
    ru = orient.priorities.narrative(result.priorities, language="ru", drivers=d, relative=False)
    assert any("порядковой логистической" in s for s in ru) is (model == "ordered_logit")
    import json
    from pathlib import Path

    import jsonschema

    head = orient.priorities.headline(result)
    assert head["ordinal_method"] == (None if model == "linear" else "ordered_logit")
    root = Path(__file__).resolve().parents[1]
    schema = json.loads((root / "orient" / "schemas" / "summary.schema.json").read_text())
    stage = {"status": "ok", "headline": json.loads(json.dumps(head)), "error": None}
    sub = {**schema["properties"]["stages"]["properties"]["priorities"], "$defs": schema["$defs"]}
    jsonschema.validate(stage, sub)
    bad = {**prof, "analysis": {"ordinal_method": "probit"}}
    (folder / "company.yaml").write_text(yaml.safe_dump(bad), "utf-8")
    with pytest.raises(Exception, match="unknown ordinal method"):
        orient.load_company(folder)


# ----------------------------------------------------------------------------------
# above the exact limit: Shapley from sampled orderings, with its Monte Carlo error
# ----------------------------------------------------------------------------------


def _design(n: int, p: int, seed: int):
    df = _ordinal(n, p, seed=seed)
    x = df[[f"a{j}" for j in range(p)]].to_numpy()
    codes, values = ordinal_codes(df["y"].to_numpy(), "y")
    return ordinal_collapse((x - x.mean(0)) / x.std(0), codes, np.ones(n), len(values))


def _mean_over_orderings(r2: np.ndarray, p: int, kruskal: bool) -> np.ndarray:
    """Shapley (Kruskal) by brute force: each ordering's gains from the subset table."""
    total = np.zeros(p)
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        mask = 0
        for j in order:
            new = mask | 1 << j
            gain = r2[new] - r2[mask]
            total[j] += gain / (1 - r2[mask]) if kruskal else gain
            mask = new
    return total / len(orders)


@pytest.mark.parametrize("kruskal", [False, True])
def test_sampled_over_every_ordering_equals_the_exact_values(kruskal):
    from orient.priorities.ordinal_shapley import ordinal_sampled_shapley

    p = 4
    design, counts = _design(600, p, seed=21)
    r2, ok = ordinal_subset_r2(design, counts)
    assert ok
    brute = _mean_over_orderings(r2, p, kruskal)
    every = np.array(list(itertools.permutations(range(p))))
    est, se, ok = ordinal_sampled_shapley(design, counts, 0, None, kruskal, orderings=every)
    assert ok
    np.testing.assert_allclose(est, brute, atol=1e-10, rtol=0)
    assert np.all(se > 0)  # the orderings differ: a spread, not an exact zero
    if not kruskal:
        assert est.sum() == pytest.approx(r2[-1], abs=1e-12)


def test_sampled_converges_to_exact_within_its_monte_carlo_error():
    from orient.priorities.ordinal_shapley import ordinal_sampled_shapley

    p = 5
    design, counts = _design(800, p, seed=22)
    r2, _ = ordinal_subset_r2(design, counts)
    exact = _mean_over_orderings(r2, p, False)
    small, se_small, _ = ordinal_sampled_shapley(design, counts, 400, 1)
    big, se_big, ok = ordinal_sampled_shapley(design, counts, 6400, 2)
    assert ok
    assert np.all(np.abs(big - exact) < 4 * se_big)
    assert np.all(np.abs(small - exact) < 4 * se_small)
    np.testing.assert_allclose(se_small / se_big, 4.0, rtol=0.2)  # 1 / sqrt(orderings)
    assert big.sum() == pytest.approx(r2[-1], abs=1e-12)  # each ordering telescopes
    # the stated error is the spread of the estimate over independent seeds
    runs = np.array([ordinal_sampled_shapley(design, counts, 100, s)[0] for s in range(40)])
    ses = np.array([ordinal_sampled_shapley(design, counts, 100, s)[1] for s in range(40)])
    ratio = runs.std(axis=0, ddof=1) / ses.mean(axis=0)
    assert np.all((ratio > 0.6) & (ratio < 1.5)), ratio


def test_more_than_twelve_drivers_are_sampled_not_refused():
    p = 13
    df = _ordinal(400, p, seed=23)
    drivers = [f"a{j}" for j in range(p)]
    res = pr.driver_importance(df, "y", drivers, ordinal="ordered_logit", permutations=24)
    a = res.attrs
    assert a["outcome"] == "ordinal" and a["exact"] is False and a["permutations"] == 24
    assert "mc_se" in res.columns and a["mc_se"] == pytest.approx(res["mc_se"].max())
    assert res["importance"].sum() == pytest.approx(a["r2"], abs=1e-10)
    # the full model's McFadden R² against statsmodels
    assert a["r2"] == pytest.approx(_sm_r2(df, tuple(drivers)), abs=1e-6)
    with pytest.raises(ValueError, match="exact=True"):
        pr.driver_importance(df, "y", drivers, ordinal="ordered_logit", exact=True)
    boot = pr.driver_importance(
        df, "y", drivers, ordinal="ordered_logit", permutations=24, n_boot=4, seed=5
    )
    assert boot.attrs["n_boot"] == 4 and boot["ci_low"].notna().all()
    assert (boot["ci_low"] <= boot["ci_high"]).all()


def test_sampled_ordinal_at_small_p_agrees_with_exact_through_driver_importance():
    p = 5
    df = _ordinal(700, p, seed=24)
    drivers = [f"a{j}" for j in range(p)]
    exact = pr.driver_importance(df, "y", drivers, ordinal="ordered_logit")
    assert exact.attrs["exact"] is True and exact.attrs["mc_se"] is None
    samp = pr.driver_importance(df, "y", drivers, ordinal="ordered_logit", exact=False)
    assert samp.attrs["permutations"] == 256
    assert np.all(np.abs(samp["importance"] - exact["importance"]) < 4 * samp["mc_se"])
    assert samp.attrs["r2"] == pytest.approx(exact.attrs["r2"], abs=1e-12)


def test_company_yaml_with_thirteen_attributes_and_the_sampled_sentence(tmp_path):
    import yaml

    import orient

    rng = np.random.default_rng(13)
    p = 13
    names = [f"q{j}" for j in range(p)]
    x = rng.integers(1, 6, (300, p))
    lat = x @ np.linspace(0.8, 0.1, p) + rng.logistic(size=300)
    y = 1 + np.searchsorted(np.quantile(lat, [0.2, 0.45, 0.7, 0.9]), lat)
    df = pd.DataFrame(x, columns=names)
    df.insert(0, "pid", [f"r{i}" for i in range(300)])
    df["sat"] = y
    folder = tmp_path / "ord13"
    folder.mkdir()
    df.to_csv(folder / "survey.csv", index=False)
    prof = {
        "name": "Ord13",
        "survey": {
            "id": "pid",
            "overall": "sat",
            "scale": {"min": 1, "max": 5},
            "attributes": {k: {"label": k.upper(), "own": k} for k in names},
        },
        "analysis": {"ordinal_method": "ordered_logit", "bootstrap": 12},
    }
    (folder / "company.yaml").write_text(yaml.safe_dump(prof), "utf-8")
    company = orient.load_company(folder)  # no longer refused above 12 attributes
    result = orient.stages.analyse(company, "priorities")
    d = result.drivers
    assert d.attrs["outcome"] == "ordinal" and d.attrs["exact"] is False
    share = d.attrs["mc_se"] / d["importance"].abs().sum()
    said = [s for s in result.sentences if "random orderings" in s]
    assert len(said) == 1 and f"{d.attrs['permutations']} random orderings" in said[0]
    assert f"{100 * share:.1f}%" in said[0]
    ru = orient.priorities.narrative(result.priorities, language="ru", drivers=d, relative=False)
    assert any("случайным порядкам" in s and "Монте-Карло" in s for s in ru)
    bad = {**prof, "analysis": {"ordinal_method": "ordered_logit", "driver_method": "beta"}}
    (folder / "company.yaml").write_text(yaml.safe_dump(bad), "utf-8")
    with pytest.raises(Exception, match="shapley or kruskal"):
        orient.load_company(folder)


def test_bootstrap_plan_of_the_sampled_case_by_hand():
    from orient.priorities.ordinal_shapley import ordinal_boot_plan

    # 16 orderings x 14 new models + the full one = 225 fits of 24,998 + 4,000 rows
    assert ordinal_boot_plan(15, 24_998, 500, exact=False) == int(1.3e8 // (225 * 28_998))
    assert ordinal_boot_plan(15, 24_998, 500, exact=False) == 19
    # exact resamples: 2**12 fits of 6,000 rows
    assert ordinal_boot_plan(12, 2_000, 500, exact=True) == 5
    assert ordinal_boot_plan(3, 300, 40, exact=True) == 40  # the requested number
