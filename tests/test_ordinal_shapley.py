"""Shapley of McFadden's R² of the cumulative-logit model, against statsmodels refits.

- every subset model's log-likelihood against ``statsmodels`` ``OrderedModel`` fits
  (logit link) on the respondents' rows, to 1e-6 in McFadden's R²;
- the Shapley values against the average over all p! orderings of those refits;
- survey weights as integer frequencies equal repeated rows;
- the option in company.yaml, its validation, and the report sentence naming the model.
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
