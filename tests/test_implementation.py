"""Tests of orient.implementation (stage IV), each against an independent reference."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd
import pytest

from orient import implementation as im
from orient.errors import OrientWarning

RTOL = 1e-10


# --- house of quality ----------------------------------------------------------------


def _house():
    req = pd.Series({"on-time delivery": 5.0, "low price": 3.0, "friendly staff": 2.0})
    rel = pd.DataFrame(
        {
            "lead time": [9, 1, 0],
            "unit cost": [0, 9, 0],
            "training hours": [1, 0, 9],
            "fleet size": [3, 3, 0],
        },
        index=req.index,
    )
    return req, rel


def test_technical_importance_matches_hand_calculation():
    req, rel = _house()
    out = im.house_of_quality(req, rel, warn=False)
    # hand calculation: sum of weight x strength down each column
    # lead time: 5*9 + 3*1 + 2*0 = 48; unit cost: 3*9 = 27;
    # training hours: 5*1 + 2*9 = 23; fleet size: 5*3 + 3*3 = 24; total 122
    expected = {"lead time": 48, "unit cost": 27, "training hours": 23, "fleet size": 24}
    np.testing.assert_allclose(out["importance"], pd.Series(expected), rtol=RTOL)
    np.testing.assert_allclose(out["relative"], pd.Series(expected) / 122, rtol=RTOL)
    assert out["relative"].sum() == pytest.approx(1, rel=RTOL)
    assert out["rank"].tolist() == [1, 2, 4, 3]
    assert list(out.columns) == ["importance", "relative", "rank"]
    assert out.index.name == "characteristic"


def test_house_of_quality_blank_cells_are_no_relationship():
    req, rel = _house()
    rel = rel.astype(float)
    rel.loc["friendly staff", "lead time"] = np.nan
    out = im.house_of_quality(req, rel, warn=False)
    assert out.loc["lead time", "importance"] == 48  # 5*9 + 3*1, blank counts 0


def test_house_of_quality_flags_gaps():
    req, rel = _house()
    rel = rel.copy()
    rel["brochure gloss"] = 0
    rel.loc["friendly staff", "training hours"] = 3  # no strong relationship left
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        im.house_of_quality(req, rel)
    messages = [str(w.message) for w in caught if issubclass(w.category, OrientWarning)]
    assert any("'friendly staff' has no strong (9)" in m for m in messages)
    assert any("'brochure gloss' serves no customer requirement" in m for m in messages)
    flags = im.qfd_flags(rel)
    assert set(zip(flags["kind"], flags["name"], strict=True)) == {
        ("no_strong_relationship", "friendly staff"),
        ("serves_nothing", "brochure gloss"),
    }


@pytest.mark.parametrize("bad", [2, 5, -1, "strong", 10])
def test_house_of_quality_rejects_strengths_other_than_0_1_3_9(bad):
    req, rel = _house()
    rel = rel.astype(object)
    rel.loc["low price", "fleet size"] = bad
    with pytest.raises(ValueError, match=r"'low price' on characteristic 'fleet size'.*0, 1, 3, 9"):
        im.house_of_quality(req, rel)


def test_house_of_quality_rejects_unknown_requirement_and_characteristic():
    req, rel = _house()
    rel2 = rel.rename(index={"low price": "cheap"})
    with pytest.raises(ValueError, match="requirement 'cheap'.*not among the requirements"):
        im.house_of_quality(req, rel2)
    with pytest.raises(ValueError, match="characteristic 'fleet size'.*not among"):
        im.house_of_quality(req, rel, characteristics=["lead time", "unit cost", "training hours"])
    with pytest.raises(TypeError, match="requirements"):
        im.house_of_quality([1, 2], rel)
    with pytest.raises(ValueError, match=">= 0"):
        im.house_of_quality(req * -1, rel)


def test_roof_and_full_house():
    req, rel = _house()
    chars = pd.DataFrame(
        {
            "unit": ["days", "EUR", "h/yr", "trucks"],
            "direction": ["minimise", "minimise", "maximise", "maximise"],
            "current": [12, 100, 20, 30],
            "competitor": [9, 110, 10, np.nan],
            "target": [8, 95, 24, 32],
        },
        index=["lead time", "unit cost", "training hours", "fleet size"],
    )
    corr = [
        ("lead time", "fleet size", "++"),
        ("unit cost", "fleet size", "-"),
        ("lead time", "unit cost", "--"),
    ]
    house = im.build_house(
        req,
        rel,
        characteristics=chars,
        correlations=corr,
        performance=pd.Series({"on-time delivery": 3.5, "low price": 4.0}),
        competitor=pd.Series({"on-time delivery": 4.0, "low price": 3.8}),
    )
    roof = house.roof
    assert roof.loc["lead time", "fleet size"] == roof.loc["fleet size", "lead time"] == 2
    assert roof.loc["unit cost", "lead time"] == -2
    assert (np.diag(roof) == 0).all()
    # lead time (rank 1) and unit cost (rank 2) work against each other
    assert "trade_off" in set(house.flags["kind"])
    assert house.technical.loc["lead time", "beats_competitor"] is False  # 12 days vs 9
    assert house.technical.loc["unit cost", "beats_competitor"] is True  # 100 vs 110
    assert house.technical.loc["fleet size", "beats_competitor"] is None
    np.testing.assert_allclose(house.requirements.loc["on-time delivery", "gap"], -0.5, rtol=RTOL)
    with pytest.raises(ValueError, match="symbol"):
        im.qfd_roof([("lead time", "unit cost", "+++")], chars.index)
    with pytest.raises(ValueError, match="'speed'"):
        im.qfd_roof([("lead time", "speed", "+")], chars.index)


# --- driver model, what-if, action plan ----------------------------------------------


def _survey(n=400, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.integers(1, 6, size=(n, 3)).astype(float)
    y = 0.5 + 0.6 * X[:, 0] + 0.3 * X[:, 1] + 0.05 * X[:, 2] + rng.normal(0, 0.5, n)
    return pd.DataFrame(
        {"overall": np.clip(y, 1, 5), "delivery": X[:, 0], "quality": X[:, 1], "price": X[:, 2]}
    )


def test_driver_model_matches_least_squares():
    data = _survey()
    model = im.driver_model(data, "overall", ["delivery", "quality", "price"])
    X = np.column_stack([np.ones(len(data)), data[["delivery", "quality", "price"]]])
    beta = np.linalg.lstsq(X, data["overall"].to_numpy(), rcond=None)[0]  # numpy least squares
    np.testing.assert_allclose(model["estimate"], beta[1:], rtol=1e-8)
    resid = data["overall"].to_numpy() - X @ beta
    sigma2 = resid @ resid / (len(data) - 4)
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(X.T @ X)))  # textbook OLS standard errors
    np.testing.assert_allclose(model["std_error"], se[1:], rtol=1e-8)
    assert (model["n"] == 400).all()


def test_what_if_gain_is_coefficient_times_change_by_hand():
    data = _survey()
    model = im.driver_model(data, "overall", ["delivery", "quality", "price"])
    current = data[["delivery", "quality", "price"]].mean()
    target = pd.Series({"delivery": 4.2, "quality": 3.5})
    out = im.what_if(model, current, target, overall_scale=(1, 5))
    for a in target.index:
        b = model.loc[a, "estimate"]
        change = target[a] - current[a]
        # by hand: gain = b x (target - current); index gain = 100 x gain / (5 - 1)
        np.testing.assert_allclose(out.loc[a, "gain"], b * change, rtol=RTOL)
        np.testing.assert_allclose(out.loc[a, "index_gain"], 25 * b * change, rtol=RTOL)
        lo, hi = sorted([model.loc[a, "ci_low"] * change, model.loc[a, "ci_high"] * change])
        np.testing.assert_allclose(
            [out.loc[a, "ci_low"], out.loc[a, "ci_high"]], [lo, hi], rtol=RTOL
        )
    with pytest.raises(ValueError, match="'speed'"):
        im.what_if(model, current, pd.Series({"speed": 4.0}))


def test_driver_model_bootstrap_interval_is_seeded():
    data = _survey(n=200)
    a = im.driver_model(data, "overall", ["delivery", "quality"], n_boot=200, seed=3)
    b = im.driver_model(data, "overall", ["delivery", "quality"], n_boot=200, seed=3)
    pd.testing.assert_frame_equal(a, b)
    assert (a["ci_low"] < a["estimate"]).all() and (a["estimate"] < a["ci_high"]).all()


def test_action_plan_roi_payback_and_order():
    data = _survey()
    model = im.driver_model(data, "overall", ["delivery", "quality", "price"])
    matrix = pd.DataFrame(
        {
            "importance": [0.5, 0.3, 0.1],
            "performance": [3.0, 3.1, 2.9],
            "quadrant": ["improve", "keep_advantage", "low_priority"],
            "action": ["improve", "keep", "none"],
        },
        index=["delivery", "quality", "price"],
    )
    current = data[["delivery", "quality", "price"]].mean()
    actions = [
        {
            "attribute": "delivery",
            "owner": "Logistics",
            "kpi": "OTIF %",
            "target": 4.0,
            "deadline": "2027-06-30",
            "cost": 100_000,
        },
        {
            "attribute": "quality",
            "owner": "QA",
            "kpi": "defects ppm",
            "target": 3.6,
            "cost": 10_000,
        },
    ]
    plan = im.action_plan(
        matrix,
        model,
        actions=actions,
        current=current,
        scale=(1, 5),
        overall_scale=(1, 5),
        value_per_point=200_000,
        horizon_years=2,
    )
    assert set(plan.index) == {"delivery", "quality"}  # low_priority left out
    for a, cost in (("delivery", 100_000), ("quality", 10_000)):
        gain = model.loc[a, "estimate"] * (plan.loc[a, "target"] - current[a])
        benefit = gain * 200_000
        # by hand: ROI = (2 years x benefit - cost) / cost; payback = 12 x cost / benefit
        np.testing.assert_allclose(plan.loc[a, "roi"], (2 * benefit - cost) / cost, rtol=RTOL)
        np.testing.assert_allclose(plan.loc[a, "payback_months"], 12 * cost / benefit, rtol=RTOL)
        np.testing.assert_allclose(plan.loc[a, "gain_per_cost"], gain / cost, rtol=RTOL)
    assert plan["gain_per_cost"].is_monotonic_decreasing
    assert plan.loc["delivery", "owner"] == "Logistics"
    by_q = im.action_plan(matrix, model, actions=actions, current=current, order="quadrant")
    assert list(by_q["quadrant"]) == ["improve", "keep_advantage"]
    with pytest.raises(ValueError, match="scale 1-5"):
        im.action_plan(
            matrix,
            model,
            actions=[{"attribute": "delivery", "target": 7}],
            current=current,
            scale=(1, 5),
        )
    with pytest.raises(ValueError, match="'speed'"):
        im.action_plan(matrix, model, actions=[{"attribute": "speed", "target": 4}])


def test_action_plan_ties_keep_the_order_to_act():
    data = _survey()
    model = im.driver_model(data, "overall", ["delivery", "quality", "price"])
    # both improve, both at the scale top: no change, no gain, no cost, so the plan's
    # sort ties and the order to act (priority_rank) decides, not the matrix's row order
    matrix = pd.DataFrame(
        {
            "importance": [0.3, 0.5, 0.2],
            "performance": [5.0, 5.0, 2.0],
            "quadrant": ["improve", "improve", "low_priority"],
            "priority_rank": [2, 1, 3],
        },
        index=["quality", "delivery", "price"],
    )
    plan = im.action_plan(matrix, model, current=matrix["performance"], scale=(1, 5))
    assert (plan["gain"] == 0).all()
    assert list(plan.index) == ["delivery", "quality"]
    by_q = im.action_plan(
        matrix, model, current=matrix["performance"], scale=(1, 5), order="quadrant"
    )
    assert list(by_q.index) == ["delivery", "quality"]


def test_action_plan_default_targets():
    data = _survey()
    model = im.driver_model(data, "overall", ["delivery", "quality", "price"])
    matrix = pd.DataFrame(
        {
            "importance": [0.5, 0.3, 0.1],
            "performance": [3.0, 3.1, 2.9],
            "quadrant": ["improve", "keep_advantage", "low_priority"],
        },
        index=["delivery", "quality", "price"],
    )
    plan = im.action_plan(
        matrix,
        model,
        current=matrix["performance"],
        competitor=pd.Series({"delivery": 3.6, "quality": 2.0}),
        scale=(1, 5),
    )
    assert plan.loc["delivery", "target"] == 3.6
    assert plan.loc["delivery", "target_source"] == "competitor"
    np.testing.assert_allclose(plan.loc["quality", "target"], 3.1 + 0.4, rtol=RTOL)
    assert plan.loc["quality", "target_source"] == "rule"


# --- investment appraisal ------------------------------------------------------------


def test_appraise_against_hand_values():
    out = im.appraise(
        [
            {
                "name": "CRM",
                "kind": "frontline",
                "cost": 100,
                "annual_benefit": 60,
                "years": 3,
                "discount_rate": 0.1,
            },
            {
                "name": "ERP",
                "kind": "back_office",
                "cost": 60,
                "benefits": [24, 120],
                "running_cost": 0,
                "discount_rate": 0.0,
            },
            {"name": "never", "cost": 100, "annual_benefit": 10, "running_cost": 10, "years": 2},
        ]
    )
    crm = out.loc["CRM"]
    # hand: NPV = -100 + 60/1.1 + 60/1.1^2 + 60/1.1^3
    np.testing.assert_allclose(crm["npv"], -100 + 60 / 1.1 + 60 / 1.21 + 60 / 1.331, rtol=RTOL)
    np.testing.assert_allclose(crm["payback_months"], 100 / 5, rtol=RTOL)  # 5 a month
    np.testing.assert_allclose(crm["roi"], (180 - 100) / 100, rtol=RTOL)
    cash = np.array([-100, 60, 60, 60])
    np.testing.assert_allclose(np.sum(cash / (1 + crm["irr"]) ** np.arange(4)), 0, atol=1e-8)
    erp = out.loc["ERP"]
    # hand: year 1 pays 2 a month (24 in 12 months); 36 more at 10 a month: 12 + 3.6
    np.testing.assert_allclose(erp["payback_months"], 15.6, rtol=RTOL)
    np.testing.assert_allclose(erp["npv"], 84.0, rtol=RTOL)
    np.testing.assert_allclose(erp["roi"], (144 - 60) / 60, rtol=RTOL)
    assert np.isnan(out.loc["never", "payback_months"]) and np.isnan(out.loc["never", "irr"])
    with pytest.raises(ValueError, match="neither `annual_benefit` nor `benefits`"):
        im.appraise([{"name": "x", "cost": 1}])
    with pytest.raises(ValueError, match=">= 0"):
        im.appraise([{"name": "x", "cost": -1, "annual_benefit": 1}])


def test_one_payback_definition_for_the_plan_and_the_appraisal():
    # hand: 1200 at 4800 a year (400 a month) pays back in 3 months, with or without horizon
    assert im.payback_months(1200.0, 4800.0) == 3.0
    assert im.payback_months(1200.0, [4800.0] * 3) == 3.0
    # hand: 1000 at 600 a year (50 a month) is 12 x 1000 / 600 = 20 months; a 2-year
    # horizon reaches it, a 1-year horizon (600 in all) never does
    np.testing.assert_allclose(im.payback_months(1000.0, 600.0), 20.0, rtol=RTOL)
    np.testing.assert_allclose(im.payback_months(1000.0, [600.0, 600.0]), 20.0, rtol=RTOL)
    assert np.isnan(im.payback_months(1000.0, [600.0]))
    assert np.isnan(im.payback_months(1000.0, 0.0)) and np.isnan(im.payback_months(1.0, np.nan))
    # zero cost: no benefit means no payback for an action, nothing to repay for an investment
    assert np.isnan(im.payback_months(0.0, -1.0)) and im.payback_months(0.0, [-1.0]) == 0.0
    # the plan and the appraisal give what the one function gives
    matrix = pd.DataFrame(
        {"importance": [1.0], "performance": [3.0], "quadrant": ["improve"]}, index=["delivery"]
    )
    model = pd.DataFrame({"estimate": [0.5], "ci_low": [0.2], "ci_high": [0.8]}, index=["delivery"])
    plan = im.action_plan(
        matrix,
        model,
        actions=[{"attribute": "delivery", "target": 4.0, "cost": 333.3, "annual_benefit": 77.7}],
    )
    assert plan.loc["delivery", "payback_months"] == im.payback_months(333.3, 77.7)
    inv = im.appraise([{"name": "x", "cost": 333.3, "benefits": [50.0, 77.7, 300.0]}])
    assert inv.loc["x", "payback_months"] == im.payback_months(333.3, [50.0, 77.7, 300.0])


# --- conjoint: designs ---------------------------------------------------------------


def test_full_factorial_has_every_combination():
    levels = {"price": [10, 12, 14], "speed": ["slow", "fast"]}
    d = im.full_factorial(levels)
    assert len(d) == 6
    assert set(map(tuple, d.to_numpy())) == set(itertools.product(*levels.values()))


def test_fractional_design_is_orthogonal_by_brute_force():
    levels = {"a": [0, 1, 2], "b": [0, 1, 2], "c": [0, 1, 2], "d": [0, 1, 2]}
    d = im.fractional_factorial(levels, seed=4)
    assert len(d) == 9  # the L9 orthogonal array, not the 81-run full factorial
    # brute force: every pair of columns shows each of the 9 level pairs exactly once
    for a, b in itertools.combinations(levels, 2):
        assert sorted(zip(d[a], d[b], strict=True)) == sorted(itertools.product(range(3), repeat=2))
    check = im.design_orthogonality(d, levels)
    assert check.attrs["orthogonal"] and check["balanced"].all()
    np.testing.assert_allclose(check["max_abs_correlation"], 0, atol=1e-12)


def test_two_level_fraction_has_orthogonal_columns():
    levels = {k: [-1, 1] for k in "abcdefg"}
    d = im.fractional_factorial(levels)
    assert len(d) == 8
    X = d.to_numpy(dtype=float)
    np.testing.assert_allclose(X.T @ X, 8 * np.eye(7), rtol=RTOL)  # X'X = n I


def test_mixed_level_fraction_is_orthogonal_and_small():
    levels = {
        "price": [100, 120, 140, 160],
        "delivery": ["1d", "3d", "7d"],
        "warranty": ["1y", "2y"],
        "service": ["basic", "plus", "premium"],
    }
    d = im.fractional_factorial(levels, seed=1)
    assert len(d) < 4 * 3 * 2 * 3
    # independent check: each pair's cross-table equals the product of its margins / n
    for a, b in itertools.combinations(levels, 2):
        tab = pd.crosstab(d[a], d[b]).to_numpy(dtype=float)
        np.testing.assert_allclose(tab, np.outer(tab.sum(1), tab.sum(0)) / len(d), rtol=RTOL)
    assert im.design_orthogonality(d, levels).attrs["orthogonal"]


def test_fraction_falls_back_to_full_factorial_and_honours_min_runs():
    d = im.fractional_factorial({"a": [1, 2], "b": ["x", "y", "z"]})
    assert len(d) == 6 and "full factorial" in d.attrs["construction"]  # OA(9) > 6 profiles
    levels = {k: [0, 1, 2] for k in "abcd"}
    d = im.fractional_factorial(levels, min_runs=20)
    assert len(d) == 27 and im.design_orthogonality(d, levels).attrs["orthogonal"]


def test_orthogonality_detects_a_non_orthogonal_design():
    d = pd.DataFrame({"a": [0, 0, 1, 1, 1], "b": [0, 1, 0, 1, 1]})
    check = im.design_orthogonality(d)
    assert not check.attrs["orthogonal"]
    assert check["max_abs_correlation"].iloc[0] > 0


# --- conjoint: estimation ------------------------------------------------------------

LEVELS = {"price": [100, 120, 140], "delivery": ["1d", "3d", "7d"], "brand": ["ours", "other"]}
TRUE = {  # part-worths summing to 0 within each attribute (effects coding)
    ("price", 100): 1.0,
    ("price", 120): 0.2,
    ("price", 140): -1.2,
    ("delivery", "1d"): 0.8,
    ("delivery", "3d"): 0.1,
    ("delivery", "7d"): -0.9,
    ("brand", "ours"): 0.3,
    ("brand", "other"): -0.3,
}


def _utility(frame):
    return sum(frame[a].map(lambda v, a=a: TRUE[(a, v)]) for a in LEVELS)


def test_ratings_conjoint_recovers_known_partworths():
    design = im.full_factorial(LEVELS)
    rng = np.random.default_rng(0)
    rows = []
    for r in range(60):
        seg = "large" if r < 30 else "small"
        shift = 0.5 if seg == "large" else -0.5  # large accounts care more about delivery
        u = 5 + _utility(design) + shift * design["delivery"].map({"1d": 1, "3d": 0, "7d": -1})
        rows.append(
            design.assign(respondent_id=r, segment=seg, rating=u + rng.normal(0, 0.3, len(design)))
        )
    data = pd.concat(rows, ignore_index=True)
    res = im.ratings_conjoint(data, LEVELS, segment="segment")
    got = res.partworths.set_index(["attribute", "level"])["estimate"]
    for key, value in TRUE.items():
        np.testing.assert_allclose(got[key], value, atol=0.05)  # known utilities, noise sd 0.3
    imp = res.importance.set_index("attribute")["importance"]
    assert imp.sum() == pytest.approx(100, rel=1e-10)
    seg = res.segments.set_index(["segment", "attribute", "level"])["estimate"]
    np.testing.assert_allclose(seg[("large", "delivery", "1d")], 1.3, atol=0.08)
    np.testing.assert_allclose(seg[("small", "delivery", "1d")], 0.3, atol=0.08)
    # one respondent by hand: OLS with effects coding equals numpy least squares
    one = data[data["respondent_id"] == 0]
    X = np.column_stack([np.ones(len(one)), im.effects_code(one, LEVELS)])
    beta = np.linalg.lstsq(X, one["rating"].to_numpy(), rcond=None)[0]
    ind = res.individual[res.individual["respondent_id"] == 0].set_index(["attribute", "level"])
    np.testing.assert_allclose(ind.loc[("price", 100), "estimate"], beta[1], rtol=1e-8)
    np.testing.assert_allclose(ind.loc[("price", 140), "estimate"], -beta[1] - beta[2], rtol=1e-8)


def test_ratings_conjoint_exact_without_noise():
    design = im.fractional_factorial(LEVELS)
    data = design.assign(respondent_id=1, rating=3 + _utility(design))
    res = im.ratings_conjoint(data, LEVELS)
    got = res.partworths.set_index(["attribute", "level"])["estimate"]
    np.testing.assert_allclose([got[k] for k in TRUE], list(TRUE.values()), atol=1e-10)


def test_conjoint_rejects_a_level_never_shown():
    design = im.full_factorial(LEVELS)
    data = design[design["delivery"] != "7d"].assign(respondent_id=1, rating=1.0)
    with pytest.raises(ValueError, match="Level '7d' of attribute 'delivery' is never shown"):
        im.ratings_conjoint(data, LEVELS)
    data = design.assign(respondent_id=1, rating=1.0)
    data.loc[1, "brand"] = "mystery"
    with pytest.raises(ValueError, match="'mystery'.*not among its levels"):
        im.ratings_conjoint(data, LEVELS)


def _choices(n_resp=100, n_tasks=8, seed=2):
    # each task shows 3 distinct profiles of the full factorial; Gumbel errors (true logit)
    rng = np.random.default_rng(seed)
    full = im.full_factorial(LEVELS).reset_index(drop=True)
    n = n_resp * n_tasks
    pick = np.argsort(rng.random((n, len(full))), axis=1)[:, :3].ravel()
    data = full.iloc[pick].reset_index(drop=True)
    data["respondent_id"] = np.repeat(np.arange(n_resp), 3 * n_tasks)
    data["task"] = np.tile(np.repeat(np.arange(n_tasks), 3), n_resp)
    u = (
        -0.05 * (data["price"] - 120)
        + data["delivery"].map({"1d": 0.8, "3d": 0.1, "7d": -0.9})
        + data["brand"].map({"ours": 0.3, "other": -0.3})
    ).to_numpy() + rng.gumbel(size=3 * n)
    best = u.reshape(n, 3).argmax(axis=1)
    data["chosen"] = (np.tile(np.arange(3), n) == np.repeat(best, 3)).astype(int)
    return data


def test_choice_conjoint_equals_direct_statsmodels_fit_and_recovers_utilities():
    from statsmodels.discrete.conditional_models import ConditionalLogit

    data = _choices()
    res = im.choice_conjoint(data, LEVELS, price="price")
    # direct statsmodels fit on a hand-built effects-coded matrix
    X = np.column_stack(
        [
            (data["delivery"] == "1d") * 1.0 - (data["delivery"] == "7d"),
            (data["delivery"] == "3d") * 1.0 - (data["delivery"] == "7d"),
            (data["brand"] == "ours") * 1.0 - (data["brand"] == "other"),
            data["price"].astype(float),
        ]
    )
    groups = data["respondent_id"] * 100 + data["task"]
    direct = ConditionalLogit(data["chosen"].to_numpy(float), X, groups=groups.to_numpy()).fit(
        method="newton", disp=False
    )
    np.testing.assert_allclose(res.fit["estimate"], direct.params, rtol=1e-5)
    np.testing.assert_allclose(res.fit["std_error"], direct.bse, rtol=1e-4)
    # known utilities (800 tasks): within 4 standard errors
    truth = [0.8, 0.1, 0.3, -0.05]
    assert (np.abs(res.fit["estimate"] - truth) < 4 * res.fit["std_error"]).all()
    pw = res.partworths.set_index(["attribute", "level"])["estimate"]
    np.testing.assert_allclose(
        pw[("delivery", "7d")], -direct.params[0] - direct.params[1], rtol=1e-5
    )
    # willingness to pay by hand: (pw(1d) - pw(7d)) / -beta_price
    wtp = res.wtp.set_index(["attribute", "level"])["estimate"]
    b = direct.params
    np.testing.assert_allclose(wtp[("delivery", "1d")], (b[0] - (-b[0] - b[1])) / -b[3], rtol=1e-4)
    assert wtp[("delivery", "7d")] == 0  # the least preferred level
    lo, hi = res.wtp.set_index(["attribute", "level"]).loc[
        ("delivery", "1d"), ["ci_low", "ci_high"]
    ]
    assert lo < 1.7 / 0.05 < hi  # true WTP: 1.7 utils / 0.05 per unit of price = 34


def test_choice_conjoint_bad_tasks():
    data = _choices(n_resp=5, n_tasks=2)
    bad = data.copy()
    bad.loc[0, "chosen"] = 1 - bad.loc[0, "chosen"]
    with pytest.raises(ValueError, match="exactly one"):
        im.choice_conjoint(bad, LEVELS, price="price")
    with pytest.raises(ValueError, match="numeric levels"):
        im.choice_conjoint(data, LEVELS, price="brand")


def test_market_simulator_against_hand_logit():
    pw = pd.DataFrame(
        {
            "attribute": ["price", "price", "speed", "speed"],
            "level": [10, 20, "fast", "slow"],
            "estimate": [0.5, -0.5, 0.25, -0.25],
        }
    )
    scen = pd.DataFrame(
        {"price": [10, 20, 15], "speed": ["slow", "fast", "fast"]}, index=["ours", "rival", "new"]
    )
    out = im.simulate_market(pw, scen)
    u = np.array([0.25, -0.25, 0.25])  # new: price 15 interpolates to 0
    np.testing.assert_allclose(out["utility"], u, rtol=RTOL)
    np.testing.assert_allclose(out["share_logit"], np.exp(u) / np.exp(u).sum(), rtol=RTOL)
    np.testing.assert_allclose(out["share_first_choice"], [0.5, 0, 0.5], rtol=RTOL)  # tie split
    ind = pd.concat(
        [pw.assign(respondent_id=1), pw.assign(respondent_id=2, estimate=[-0.5, 0.5, 0.25, -0.25])]
    )
    out = im.simulate_market(ind, scen.iloc[:2])
    # respondent 1 prefers ours (0.25 vs -0.25); respondent 2 prefers rival (0.75 vs -0.75)
    np.testing.assert_allclose(out["share_first_choice"], [0.5, 0.5], rtol=RTOL)
    with pytest.raises(ValueError, match="not studied"):
        im.simulate_market(pw, scen.assign(price=30))


# --- the improvement loop ------------------------------------------------------------


def test_improvement_loop_rules():
    before = pd.DataFrame(
        {
            "importance": [0.4, 0.4, 0.1, 0.3, 0.2],
            "performance": [3.0, 4.0, 4.0, 3.0, 3.0],
            "quadrant": [
                "improve",
                "keep_advantage",
                "maintain_or_reduce",
                "improve",
                "low_priority",
            ],
        },
        index=["delivery", "quality", "price", "service", "web"],
    )
    after = pd.DataFrame(
        {
            "importance": [0.4, 0.4, 0.45, 0.31, 0.2],
            "performance": [4.1, 3.0, 4.0, 3.1, 3.0],
            "quadrant": ["keep_advantage", "improve", "keep_advantage", "improve", "low_priority"],
        },
        index=["delivery", "quality", "price", "service", "billing"],
    )
    loop = im.improvement_loop(before, after)
    assert loop.loc["delivery", "back_to"] == "III"  # performance rose past the cut
    assert "worked" in loop.loc["delivery", "reason"]
    assert loop.loc["quality", "back_to"] == "III"  # the advantage slipped
    assert loop.loc["price", "back_to"] == "I"  # importance moved
    assert loop.loc["service", "back_to"] is None and not loop.loc["service", "changed"]
    assert loop.loc["web", "back_to"] == "II" and loop.loc["billing", "back_to"] == "II"
    np.testing.assert_allclose(loop.loc["delivery", "performance_change"], 1.1, rtol=RTOL)


def test_headline_is_json_safe():
    import json

    data = _survey()
    model = im.driver_model(data, "overall", ["delivery", "quality", "price"])
    matrix = pd.DataFrame(
        {
            "importance": [0.5, 0.3, 0.1],
            "performance": [3.0, 3.1, 2.9],
            "quadrant": ["improve", "keep_advantage", "low_priority"],
        },
        index=["delivery", "quality", "price"],
    )
    plan = im.action_plan(matrix, model, scale=(1, 5), overall_scale=(1, 5))
    res = im.ImplementationResult(matrix, "test", model, plan)
    h = im.headline(res)
    json.dumps(h, allow_nan=False)
    assert h["n_actions"] == 2 and h["total_npv"] is None


def test_no_warning_when_house_is_complete():
    req, rel = _house()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        im.house_of_quality(req, rel)


def test_grouped_logit_equals_direct_conditional_logit():
    from statsmodels.discrete.conditional_models import ConditionalLogit

    # 6 choice sets, each shown to 150 respondents (a fixed design, as in a workshop)
    rng = np.random.default_rng(5)
    full = im.full_factorial(LEVELS).reset_index(drop=True)
    sets = [
        full.iloc[rng.choice(len(full), 3, replace=False)].reset_index(drop=True) for _ in range(6)
    ]
    tasks = []
    for s in sets:
        u = -0.05 * (s["price"] - 120) + s["delivery"].map({"1d": 0.8, "3d": 0.1, "7d": -0.9})
        p = np.exp(u) / np.exp(u).sum()
        tasks.append(
            {
                "alternatives": s.to_dict("records"),
                "chosen": rng.multinomial(150, p.to_numpy()).tolist(),
            }
        )
    data = im.conjoint_responses({"kind": "choice", "attributes": LEVELS, "tasks": tasks})
    assert data.groupby(["respondent_id", "task"])["chosen"].sum().eq(1).all()
    assert len(data) == 6 * 150 * 3
    fast = im.choice_conjoint(data, LEVELS, price="price")
    assert fast.fit.attrs["method"] == "poisson"
    X = im.effects_code(data, {a: v for a, v in LEVELS.items() if a != "price"})
    X["price"] = data["price"].astype(float)
    groups = data["respondent_id"] * 100 + data["task"]
    direct = ConditionalLogit(
        data["chosen"].to_numpy(float), X.to_numpy(float), groups=groups.to_numpy()
    ).fit(method="newton", disp=False)
    # the same likelihood: statsmodels ConditionalLogit on every choice set
    np.testing.assert_allclose(fast.fit["estimate"], direct.params, rtol=1e-6)
    np.testing.assert_allclose(fast.fit["std_error"], direct.bse, rtol=1e-4)
    np.testing.assert_allclose(fast.fit.attrs["llf"], direct.llf, rtol=1e-9)


def test_conjoint_responses_for_ratings():
    study = {
        "kind": "ratings",
        "attributes": {"a": [1, 2], "b": ["x", "y"]},
        "profiles": [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 1, "b": "y"}],
        "ratings": {"r1": [5, 7, 6], "r2": [4, 8, 5]},
        "segments": {"r1": "S", "r2": "L"},
    }
    data = im.conjoint_responses(study)
    assert list(data.columns) == ["respondent_id", "segment", "a", "b", "rating"]
    assert data["rating"].tolist() == [5, 7, 6, 4, 8, 5]
    with pytest.raises(ValueError, match="2 ratings for 3 profiles"):
        im.conjoint_responses({**study, "ratings": {"r1": [1, 2]}})


# --- on a company ------------------------------------------------------------------


def _edit_yaml(folder, change):
    import yaml

    path = folder / "company.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def software(tmp_path_factory):
    from orient import synth

    folder = tmp_path_factory.mktemp("software")
    synth.make_company(folder, seed=3, business="software", n_respondents=200, overwrite=True)
    return folder


def test_analyse_and_headline_on_a_synthetic_company(software):
    import json

    import orient
    from orient.synth import _STAGE4

    company = orient.load_company(software)
    res = im.analyse(company)
    assert res.matrix_source.startswith("fallback")
    assert set(res.plan["quadrant"]) <= {"improve", "keep_advantage"}
    assert set(res.plan.index) == set(
        res.matrix.index[res.matrix["quadrant"].isin(["improve", "keep_advantage"])]
    )
    assert res.house.technical["relative"].sum() == pytest.approx(1, rel=1e-12)
    assert res.design_check.attrs["orthogonal"]
    # the ratings conjoint recovers the part-worths the responses were drawn from
    truth = _STAGE4["software"]["conjoint"]
    got = res.conjoint.partworths.set_index(["attribute", "level"])["estimate"]
    for attr, lv in truth["attributes"].items():
        for level, u in zip(lv, truth["utility"][attr], strict=True):
            assert abs(got[(attr, level)] - u) < 0.25, (attr, level)
    inv = res.investments
    assert (inv.loc[inv["kind"] == "back_office", "roi"] < 0.2).all()
    h = im.headline(res)
    json.dumps(h, allow_nan=False)
    assert h["n_actions"] == len(res.plan)
    # a stage III matrix passed in is used as it is
    matrix = res.matrix.assign(quadrant="low_priority")
    matrix.iloc[0, matrix.columns.get_loc("quadrant")] = "improve"
    res3 = im.analyse(company, matrix)
    assert res3.matrix_source == "stage III" and list(res3.plan.index) == [matrix.index[0]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["qfd"]["relationships"]["price"].update({"gross_margin": 5}),
            "strengths must be 0, 1, 3 or 9",
        ),
        (
            lambda d: d["qfd"]["relationships"]["price"].update({"warp_drive": 9}),
            "characteristic 'warp_drive'",
        ),
        (
            lambda d: d["qfd"]["relationships"].update({"teleport": {"gross_margin": 9}}),
            "requirement 'teleport'",
        ),
        (
            lambda d: d["actions"]["items"].update({"teleport": {"owner": "CEO"}}),
            "attribute 'teleport'",
        ),
        (
            lambda d: d["conjoint"]["products"]["Nimbus"].update({"delivery": "by drone"}),
            "level 'by drone'",
        ),
        (
            lambda d: d["qfd"]["correlations"].append(["certified_eng", "gross_margin", "+++"]),
            "qfd.correlations",
        ),
    ],
)
def test_bad_stage4_sections_in_company_yaml(software, tmp_path, change, message):
    import shutil

    import orient

    folder = tmp_path / "c"
    shutil.copytree(software, folder)
    _edit_yaml(folder, change)
    with pytest.raises(orient.DataError, match=message):
        orient.load_company(folder)


def test_conjoint_level_never_shown_in_company_study(software, tmp_path):
    import shutil

    import orient

    folder = tmp_path / "c"
    shutil.copytree(software, folder)
    _edit_yaml(folder, lambda d: d["conjoint"]["attributes"]["training"].append("on site"))
    company = orient.load_company(folder)
    with pytest.raises(ValueError, match="Level 'on site' of attribute 'training' is never shown"):
        im.analyse(company)


# --- plots ---------------------------------------------------------------------------


def test_plots_draw_what_the_results_say(software):
    import matplotlib.pyplot as plt

    import orient
    from orient.present import plots
    from orient.present.plots import description

    res = im.analyse(orient.load_company(software))
    drawn = {}
    fig, axes = plt.subplots(2, 4)
    ax = plots.house_of_quality_plot(res.house, ax=axes[0, 0])
    strong = int((res.house.relationships > 0).to_numpy().sum())
    assert len(ax.texts) == strong  # one annotation per non-blank cell
    assert len(ax.get_yticklabels()) == len(res.house.relationships)
    ax = plots.technical_importance_plot(res.house.technical, ax=axes[0, 1])
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, sorted(100 * res.house.technical["relative"]), rtol=RTOL)
    ax = plots.action_plan_plot(res.plan, ax=axes[0, 2])
    np.testing.assert_allclose(
        sorted(p.get_width() for p in ax.patches), sorted(res.plan["index_gain"]), rtol=RTOL
    )
    ax = plots.partworths_plot(res.conjoint, ax=axes[0, 3])
    assert len(ax.get_xticklabels()) == len(res.conjoint.partworths)
    ax = plots.conjoint_importance_plot(res.conjoint, ax=axes[1, 0])
    assert sum(p.get_width() for p in ax.patches) == pytest.approx(100, rel=1e-10)
    ax = plots.market_share_plot(res.market, ax=axes[1, 1])
    assert len(ax.patches) == 2 * len(res.market)
    ax = plots.payback_plot(res.investments, horizon_months=60, ax=axes[1, 2])
    assert len(ax.patches) == len(res.investments)
    for a in axes.ravel()[:7]:
        assert a.get_title() and a.get_xlabel() and a.get_ylabel()
    drawn["last"] = description(fig)
    plt.close(fig)
    assert drawn["last"] and drawn["last"].startswith("Payback of")


# --- figures in the report's language, with what they show as their description ---------


def _one(draw, *args, **kwargs):
    import matplotlib.pyplot as plt

    from orient.present.plots import description

    fig, ax = plt.subplots()
    draw(*args, ax=ax, **kwargs)
    texts = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    legend = ax.get_legend()
    if legend is not None:
        texts += [t.get_text() for t in legend.get_texts()]
    out = (texts, description(fig))
    plt.close(fig)
    return out


def test_plots_describe_the_data_they_draw(software):
    import orient
    from orient.present import plots

    res = im.analyse(orient.load_company(software))
    tech = res.house.technical
    top = tech["relative"].idxmax()
    _, text = _one(plots.house_of_quality_plot, res.house)
    assert f"{len(res.house.relationships)} customer requirements" in text
    assert (
        f"{tech.loc[top, 'label']} carries the most technical importance "
        f"({100 * tech.loc[top, 'relative']:.0f}%)" in text
    )
    _, text = _one(plots.action_plan_plot, res.plan)
    best = res.plan["index_gain"].idxmax()
    assert (
        f"the largest predicted gain is {best} with {res.plan.loc[best, 'index_gain']:+.1f}" in text
    )
    _, text = _one(plots.conjoint_importance_plot, res.conjoint)
    imp = res.conjoint.importance.sort_values("importance")
    assert text.startswith(
        f"What drives the choice: {imp['attribute'].iloc[-1]} weighs most "
        f"with {imp['importance'].iloc[-1]:.0f}%"
    )
    _, text = _one(plots.market_share_plot, res.market)
    for product, share in res.market["share_logit"].items():
        assert f"{product} {100 * share:.0f}%" in text


def test_plots_draw_their_texts_in_russian(software):
    import re

    import orient
    from orient.present import plots

    res = im.analyse(orient.load_company(software))
    cases = [
        (plots.house_of_quality_plot, (res.house,), {}),
        (plots.technical_importance_plot, (res.house.technical,), {}),
        (plots.action_plan_plot, (res.plan,), {}),
        (plots.partworths_plot, (res.conjoint,), {}),
        (plots.conjoint_importance_plot, (res.conjoint,), {}),
        (plots.market_share_plot, (res.market,), {}),
        (plots.payback_plot, (res.investments,), {}),
        (plots.what_if_plot, (res.plan,), {}),
    ]
    for draw, args, kwargs in cases:
        texts, text = _one(draw, *args, language="ru", **kwargs)
        title, xlabel, ylabel = texts[:3]
        for drawn in (title, xlabel, ylabel, text):
            assert re.search("[а-яё]", drawn, re.IGNORECASE), (draw.__name__, drawn)
        english = [t for t in texts[3:] if re.search(r"\b(payback|months|within)\b", t)]
        assert not english, (draw.__name__, english)
    texts, _ = _one(plots.payback_plot, res.investments, language="ru")
    paid = res.investments["payback_months"].dropna()
    assert any(f"{paid.iloc[0]:.0f} мес." in t for t in texts)


# --- tables for readers --------------------------------------------------------------


@pytest.fixture(scope="module")
def staged(software):
    """Stage IV fed by stage III, as the notebook runs it."""
    import orient

    company = orient.load_company(software)
    return company, orient.stages.analyse(company, "implementation")


def _rows(table, key="Attribute"):
    return table.frame.set_index(table.frame.columns[0] if key is None else key)


def test_plan_and_money_tables_show_the_plan(staged):
    company, res = staged
    labels, plan = company.attribute_labels, res.plan
    t = im.display_table(res, "plan", company)
    rows = _rows(t)
    assert list(rows.index) == [labels[a] for a in plan.index]  # the plan's order
    words = {"improve": "Improve", "keep_advantage": "Keep advantage"}
    for key, row in plan.iterrows():
        shown = rows.loc[labels[key]]
        assert shown["Quadrant"] == words[row["quadrant"]]
        assert shown["Rating: now \u2192 target"] == (
            f"{row['current']:.2f} \u2192 {row['target']:.2f}"
        )
        if row["owner"] is not None:
            assert shown["Owner"] == row["owner"]
    assert t.caption.startswith(f"Who does what by when: {len(plan)} actions")
    money = _rows(im.display_table(res, "money", company))
    cur = company.currency
    for key, row in plan.iterrows():
        shown = money.loc[labels[key]]
        assert shown["Gain in the satisfaction index (0-100 points)"] == f"{row['index_gain']:+.1f}"
        assert shown["Interval of the index gain"] == (
            f"{row['index_ci_low']:.1f} to {row['index_ci_high']:.1f}"
        )
        if np.isfinite(row["cost"]):
            assert shown["Cost"] == f"{row['cost']:,.0f}\u00a0{cur}"
        if np.isfinite(row["roi"]):
            assert shown["ROI"] == f"{100 * row['roi']:.0f}%"
        if np.isfinite(row["payback_months"]):
            assert shown["Payback (months)"] == f"{row['payback_months']:.1f}"


def test_the_priorities_table_is_in_the_order_to_act(staged):
    company, res = staged
    m, labels = res.matrix, company.attribute_labels
    # by hand: quadrant first (improve, keep, maintain, low), then importance x shortfall,
    # then importance
    field = {"improve": 0, "keep_advantage": 1, "maintain_or_reduce": 2, "low_priority": 3}
    expected = sorted(
        m.index,
        key=lambda a: (
            field[m.loc[a, "quadrant"]],
            -abs(m.loc[a, "importance"]) * m.loc[a, "shortfall"],
            -m.loc[a, "importance"],
        ),
    )
    t = im.display_table(res, "priorities", company)
    assert t.frame["Attribute"].tolist() == [labels[a] for a in expected]
    assert t.frame["Priority"].tolist() == [str(i) for i in range(1, len(m) + 1)]
    improve = [a for a in expected if m.loc[a, "quadrant"] == "improve"]
    chosen = [a for a in expected if m.loc[a, "quadrant"] in ("improve", "keep_advantage")]
    assert set(res.plan.index) == set(chosen)
    if improve:
        assert expected[0] == improve[0]


def test_house_and_investment_tables_show_the_analysis(staged):
    company, res = staged
    tech = res.house.technical.sort_values("rank")
    t = im.display_table(res, "technical", company)
    assert t.frame["Technical characteristic"].tolist() == tech["label"].tolist()
    assert t.frame["Share of technical importance (%)"].tolist() == [
        f"{100 * v:.1f}" for v in tech["relative"]
    ]
    beats = [{True: "yes", False: "no", None: "\u2013"}[b] for b in tech["beats_competitor"]]
    assert t.frame[f"Better than {company.competitor}"].tolist() == beats
    roof = im.display_table(res, "roof", company)
    pairs = int((np.triu(res.house.roof.to_numpy(), 1) != 0).sum())
    assert len(roof) == pairs
    flags = im.display_table(res, "flags", company)
    assert len(flags) == len(res.house.flags)
    assert (
        "Requirement without a strong link" in set(flags.frame["Flag"])
        or not (res.house.flags["kind"] == "no_strong_relationship").any()
    )
    inv = res.investments
    rows = _rows(im.display_table(res, "investments", company), "Investment")
    for name, row in inv.iterrows():
        assert rows.loc[name, "NPV"] == f"{row['npv']:,.0f}\u00a0{company.currency}"
        if not np.isfinite(row["payback_months"]):
            assert rows.loc[name, "Payback (months)"] == f"not within {row['years']} years"
    drivers = _rows(im.display_table(res, "drivers", company))
    labels = company.attribute_labels
    for key, row in res.driver_model.iterrows():
        assert drivers.loc[labels[key], "Interval"] == (
            f"{row['ci_low']:.3f} to {row['ci_high']:.3f}"
        )


def test_conjoint_and_loop_tables(staged):
    company, res = staged
    design = im.display_table(res, "design", company)
    assert len(design) == len(res.design)
    assert "orthogonal array" in design.caption or "full factorial" in design.caption
    market = _rows(im.display_table(res, "market", company), "Offer")
    for product, row in res.market.iterrows():
        assert market.loc[product, "Logit share of preference (%)"] == (
            f"{100 * row['share_logit']:.1f}"
        )
    check = im.display_table(res, "design_check", company)
    assert set(check.frame["Orthogonal"]) <= {"yes", "no"}
    if res.loop is not None:
        loop = im.display_table(res, "loop", company)
        n_changed = int(res.loop["changed"].sum())
        assert f"{n_changed} of {len(res.loop)}" in loop.caption
        # the attributes that changed quadrant come first
        assert (loop.frame["Quadrant before"] != loop.frame["Quadrant after"]).tolist() == (
            [True] * n_changed + [False] * (len(res.loop) - n_changed)
        )


def test_no_table_shows_anything_internal(staged):
    import re

    company, res = staged
    for language in ("en", "ru"):
        for which in im.TABLES:
            table = im.display_table(res, which, company, language=language)
            text = " ".join(
                [
                    table.caption or "",
                    *map(str, table.frame.columns),
                    *table.frame.astype(str).to_numpy().ravel(),
                ]
            )
            for raw in (
                "nan",
                "None",
                "True",
                "False",
                "keep_advantage",
                "low_priority",
                "back_office",
                "no_strong_relationship",
            ):
                assert not re.search(rf"\b{raw}\b", text), (language, which, raw)
            if len(table):
                assert table.caption, which


def test_russian_tables_have_russian_headings_and_decimal_commas(staged):
    import re

    company, res = staged
    for which in im.TABLES:
        table = im.display_table(res, which, company, language="ru")
        if not len(table):
            continue
        heads = " ".join(map(str, table.frame.columns))
        english = re.findall(
            r"\b(Attribute|Quadrant|Owner|Deadline|Cost|Gain|Interval|Level|"
            r"Payback|Share|Profile|Feature|Offer|Why|Back to|Rank|Unit)\b",
            heads,
        )
        assert not english, (which, english)
        assert re.search("[а-яё]", table.caption, re.IGNORECASE), which
    money = im.display_table(res, "money", company, language="ru").frame
    gain = money.iloc[0, 2]
    assert re.fullmatch(r"[+-]\d+,\d", gain), gain
    plan = im.display_table(res, "plan", company, language="ru").frame
    assert set(plan.iloc[:, plan.columns.get_loc("Квадрант")]) <= {
        "Улучшать",
        "Сохранять преимущество",
    }
    drivers = im.display_table(res, "drivers", company, language="ru").frame
    assert drivers.iloc[0, 2].startswith("от ") and " до " in drivers.iloc[0, 2]


def test_missing_parts_give_empty_tables_and_say_why(staged):
    import dataclasses

    from orient.implementation.narrative import note

    company, res = staged
    bare = dataclasses.replace(
        res,
        house=None,
        investments=None,
        design=None,
        design_check=None,
        conjoint=None,
        market=None,
        loop=None,
        notes=(note("no_qfd"), note("no_investments"), note("no_conjoint"), note("one_wave")),
    )
    for which in (
        "technical",
        "roof",
        "flags",
        "investments",
        "design",
        "design_check",
        "wtp",
        "market",
        "loop",
    ):
        assert im.display_table(bare, which, company).empty, which
    assert im.section_text(bare, "house").startswith("No house of quality")
    assert "no investments section" in im.section_text(bare, "investments")
    assert im.section_text(bare, "design").startswith("No conjoint study")
    assert im.section_text(bare, "loop").startswith("No improvement loop")
    assert "в опросе одна волна" in im.section_text(bare, "loop", "ru")
    # nothing to say where everything is there
    assert im.section_text(res, "house") == "" and im.section_text(res, "market") == ""
    assert im.section_text(res, "priorities") == (
        "The priorities are those of the stage III strategic matrix."
    )
    no_price = dataclasses.replace(res, conjoint=dataclasses.replace(res.conjoint, wtp=None))
    assert im.display_table(no_price, "wtp", company).empty
    assert im.section_text(no_price, "wtp").startswith("No willingness to pay")


def test_notes_carry_their_key_and_values_and_are_said_in_russian(software):
    import orient
    from orient.implementation.narrative import NOTES, note

    values = {"name": "Portal", "attribute": "price", "file": "cbc.csv"}
    for key in NOTES:
        assert note(key, **values).key == key
    n = note("investment_left_out", name="Portal", attribute="price")
    assert n.fields == {"name": "Portal", "attribute": "price"}
    assert str(n) == "Investment 'Portal': no benefit could be predicted for 'price'; left out."
    with pytest.raises(KeyError, match="no note"):
        note("no_such_note")
    res = im.analyse(orient.load_company(software))  # the fallback matrix
    text = im.section_text(res, "priorities", "ru")
    assert text.startswith("Результата этапа III нет") and "stage" not in text


def test_no_improvement_loop_on_a_wave_below_the_minimum_base(software):
    # stage II compares no wave under the minimum base; nor does the improvement loop
    import yaml

    import orient

    doc = yaml.safe_load((software / "company.yaml").read_text(encoding="utf-8"))
    raw = pd.read_csv(software / doc["survey"]["file"], sep=None, engine="python")
    rated = raw[raw[doc["survey"]["overall"]].notna()]  # rows without overall are left out
    sizes = rated[doc["survey"]["wave"]].astype(str).value_counts()
    earlier = sorted(sizes.index)[-2]
    small = int(sizes[earlier])  # the earlier wave's respondents, counted from the file
    assert small < int(sizes.max())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        company = orient.load_company(software, {"reporting.min_base": small + 1})
        res = im.analyse(company)
        at_base = im.analyse(orient.load_company(software, {"reporting.min_base": small}))
    assert res.loop is None and at_base.loop is not None
    assert im.section_text(res, "loop", "en") == (
        f"No improvement loop: survey wave {earlier} has {small} respondents, fewer than the "
        f"minimum base of {small + 1}, too few to say which attributes changed quadrant."
    )
    assert im.section_text(res, "loop", "ru").startswith(
        f"Цикла улучшений нет: респондентов в волне опроса {earlier} — {small}, меньше"
    )
