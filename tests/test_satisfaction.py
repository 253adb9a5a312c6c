"""Tests of orient.satisfaction: each expected number from an independent source."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from _real import real_data, require
from scipy import stats
from statsmodels.stats import proportion as smp
from statsmodels.stats.weightstats import DescrStatsW

from orient import satisfaction as sat
from orient.errors import OrientWarning

Z95 = 1.959963984540054  # standard normal 97.5% quantile (tables)
ECSI = real_data("ecsi-mobi")


# --- single estimates --------------------------------------------------------------------


def test_nps_adjusted_wald_matches_hand_calculation():
    # 50 promoters, 30 passives, 20 detractors
    scores = [10] * 25 + [9] * 25 + [8] * 15 + [7] * 15 + [6] * 10 + [0] * 10
    est = sat.nps(scores)
    # hand calculation from Rocks (2016): n + 3, promoters and detractors + 3/4 each
    pro, det = 50.75 / 103, 20.75 / 103
    centre = pro - det  # 30/103 = 0.291262
    se = math.sqrt((pro + det - centre**2) / 103)
    assert est.value == pytest.approx(30.0, abs=1e-12)
    np.testing.assert_allclose(
        [est.ci_low, est.ci_high],
        [100 * (centre - Z95 * se), 100 * (centre + Z95 * se)],
        rtol=1e-10,
    )
    # the numbers themselves, worked on paper: centre 0.291262, se 0.0769151
    np.testing.assert_allclose([est.ci_low, est.ci_high], [14.051, 44.201], atol=5e-3)
    assert (est.n, est.n_eff) == (100, 100.0)


def test_nps_interval_is_clipped_to_range():
    est = sat.nps([10] * 5)
    assert est.value == 100.0
    assert est.ci_high <= 100.0 and est.ci_low < 100.0


def test_nps_rejects_off_scale_scores():
    with pytest.raises(ValueError, match="0-10"):
        sat.nps([5, 11])
    with pytest.raises(ValueError, match="0-10"):
        sat.nps([5, 7.5])


def test_mean_matches_scipy_t_interval():
    rng = np.random.default_rng(1)
    x = rng.integers(1, 6, 80).astype(float)
    est = sat.mean_score(x)
    # scipy: t interval on the sample mean
    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    np.testing.assert_allclose([est.value, est.ci_low, est.ci_high], [x.mean(), lo, hi], rtol=1e-12)


def test_weighted_mean_uses_kish_effective_n():
    rng = np.random.default_rng(2)
    x = rng.integers(1, 11, 120).astype(float)
    w = rng.uniform(0.3, 3.0, 120)
    est = sat.mean_score(x, weights=w)
    n_eff = w.sum() ** 2 / (w**2).sum()  # Kish (1965)
    # statsmodels DescrStatsW with weights rescaled to sum to n_eff is the Kish interval
    d = DescrStatsW(x, weights=w * n_eff / w.sum())
    lo, hi = d.tconfint_mean(0.05)
    np.testing.assert_allclose(
        [est.value, est.ci_low, est.ci_high, est.n_eff], [d.mean, lo, hi, n_eff], rtol=1e-10
    )
    assert est.n == 120
    assert sat.kish_n_eff(w) == pytest.approx(n_eff, rel=1e-12)


def test_top2box_matches_statsmodels_wilson():
    x = np.array([5] * 12 + [4] * 20 + [3] * 9 + [2] * 5 + [1] * 4, dtype=float)
    est = sat.top2box(x, (1, 5))
    lo, hi = smp.proportion_confint(32, 50, alpha=0.05, method="wilson")  # statsmodels
    np.testing.assert_allclose(
        [est.value, est.ci_low, est.ci_high], [64.0, 100 * lo, 100 * hi], rtol=1e-10
    )
    b = sat.bottom2box(x, (1, 5))
    lo, hi = smp.proportion_confint(9, 50, alpha=0.05, method="wilson")
    np.testing.assert_allclose(
        [b.value, b.ci_low, b.ci_high], [18.0, 100 * lo, 100 * hi], rtol=1e-10
    )


def test_integer_weights_give_the_same_estimates_as_replicated_rows():
    rng = np.random.default_rng(3)
    x = pd.Series(rng.integers(0, 11, 60).astype(float))
    w = rng.integers(1, 5, 60)
    rep = x.repeat(w).reset_index(drop=True)
    # brute force: the replicated sample, unweighted
    for f, args in [
        (sat.mean_score, ()),
        (sat.nps, ()),
        (sat.top2box, ((0, 10),)),
        (sat.bottom2box, ((0, 10),)),
    ]:
        a = f(x, *args, weights=w)
        b = f(rep, *args)
        assert a.value == pytest.approx(b.value, rel=1e-12), f.__name__
    items = pd.DataFrame({"a": x, "b": (x + rng.integers(-1, 2, 60)).clip(0, 10)})
    rep_items = items.loc[items.index.repeat(w)].reset_index(drop=True)
    a = sat.satisfaction_index(items, (0, 10), weights=w)
    b = sat.satisfaction_index(rep_items, (0, 10))
    assert a.value == pytest.approx(b.value, rel=1e-12)
    # and Kish's n_eff is what separates their intervals
    assert a.n_eff == pytest.approx(w.sum() ** 2 / (w**2).sum(), rel=1e-12)


def test_weighted_nps_uses_weighted_shares_and_n_eff():
    x = np.array([10, 9, 8, 7, 6, 2, 10, 9])
    w = np.array([2.0, 1.0, 1.0, 1.0, 0.5, 0.5, 1.0, 1.0])
    est = sat.nps(x, weights=w)
    pro, det = 5.0 / 8.0, 1.0 / 8.0  # weighted shares by hand
    n_eff = 64 / w.dot(w)
    p, d = (pro * n_eff + 0.75) / (n_eff + 3), (det * n_eff + 0.75) / (n_eff + 3)
    se = math.sqrt((p + d - (p - d) ** 2) / (n_eff + 3))
    np.testing.assert_allclose(
        [est.value, est.ci_low, est.ci_high],
        [50.0, 100 * (p - d - Z95 * se), min(100, 100 * (p - d + Z95 * se))],
        rtol=1e-10,
    )


def test_satisfaction_index_rescales_and_weights_items():
    items = pd.DataFrame({"s1": [1, 5, 3, np.nan], "s2": [1, 10, np.nan, np.nan]})
    s = sat.index_scores(items, {"s1": (1, 5), "s2": (1, 10)})
    # by hand: (0 + 0)/2, (100 + 100)/2, 50 (only s1), NaN (nothing answered)
    np.testing.assert_allclose(s.to_numpy(), [0, 100, 50, np.nan], rtol=1e-12)
    s = sat.index_scores(items, {"s1": (1, 5), "s2": (1, 10)}, item_weights={"s1": 3, "s2": 1})
    np.testing.assert_allclose(s.iloc[:3].to_numpy(), [0, 100, 50], rtol=1e-12)
    est = sat.satisfaction_index(items, {"s1": (1, 5), "s2": (1, 10)})
    assert est.n == 3 and est.value == pytest.approx(50.0)


def test_estimate_has_html_repr():
    est = sat.Estimate(1.5, 1.0, 2.0, 10, 8.5)
    text = est._repr_html_()
    assert "1.5" in text and "n = 10" in text and "8.5" in text
    with pytest.raises(AttributeError):
        est.value = 2  # frozen


# --- bad inputs ------------------------------------------------------------------------------


def test_all_missing_item_is_named():
    items = pd.DataFrame({"s1": [1.0, 2.0, 3.0], "s2": [np.nan] * 3})
    with pytest.raises(ValueError, match="'s2'.*no valid answers"):
        sat.cronbach_alpha(items)
    with pytest.raises(ValueError, match="'s2'.*no valid answers"):
        sat.index_scores(items, (1, 5))
    with pytest.raises(ValueError, match="no valid answers"):
        sat.mean_score(pd.Series([np.nan, np.nan], name="overall"))


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan])
def test_zero_negative_or_missing_weights_are_refused(bad):
    w = np.array([1.0, bad, 1.0])
    with pytest.raises(ValueError, match="weights.*element 1"):
        sat.mean_score([1, 2, 3], weights=w)
    with pytest.raises(ValueError, match="weights"):
        sat.nps([1, 2, 3], weights=w)
    df = pd.DataFrame({"seg": ["a", "b", "a"], "x": [1, 2, 3], "w": w})
    with pytest.raises(ValueError, match="weights.*'w'"):
        sat.segment_table(df, "seg", "x", weights="w", min_base=1)


def test_one_respondent_gives_no_interval_and_says_so():
    with pytest.warns(OrientWarning, match="only 1 respondent"):
        est = sat.mean_score([4.0])
    assert est.value == 4.0 and math.isnan(est.ci_low) and est.n == 1


def test_one_wave_is_a_clear_error():
    df = pd.DataFrame({"wave": ["2024"] * 40, "x": np.arange(40) % 5 + 1})
    with pytest.raises(ValueError, match="'wave' holds 1 wave.*2024.*at least two"):
        sat.wave_change(df, "wave", "x")


def test_wrong_argument_types_and_values():
    with pytest.raises(ValueError, match="confidence"):
        sat.nps([1, 2], confidence=1.5)
    with pytest.raises(TypeError, match="scale"):
        sat.top2box([1, 2], 5)
    with pytest.raises(ValueError, match="kind"):
        sat.segment_table(pd.DataFrame({"s": [1], "x": [1]}), "s", "x", kind="median")
    with pytest.raises(TypeError, match="DataFrame"):
        sat.cronbach_alpha([[1, 2], [3, 4]])


# --- reliability -------------------------------------------------------------------------------


def _alpha_by_variances(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


def test_cronbach_alpha_matches_variance_formula_and_small_example():
    rng = np.random.default_rng(4)
    f = rng.normal(size=200)
    x = np.column_stack([f + rng.normal(scale=s, size=200) for s in (0.5, 0.8, 1.0, 1.5)])
    assert sat.cronbach_alpha(pd.DataFrame(x)) == pytest.approx(_alpha_by_variances(x), rel=1e-12)
    # worked by hand: item variances 5/3, 4/3, 8/3 (sum 17/3), total 4,7,10,13 -> var 15
    small = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    assert sat.cronbach_alpha(small) == pytest.approx(1.5 * (1 - (17 / 3) / 15), rel=1e-12)


def test_cronbach_alpha_textbook_example_listwise():
    pg = pytest.importorskip("pingouin")
    data = pg.read_dataset("cronbach_wide_missing")
    # R: psych::alpha(data, use = "complete.obs") -> 0.8017 (quoted in pingouin's docs)
    assert sat.cronbach_alpha(data) == pytest.approx(0.8016949152542373, rel=1e-9)


def test_reliability_table_brute_force():
    rng = np.random.default_rng(5)
    f = rng.normal(size=150)
    df = pd.DataFrame({f"q{i}": f + rng.normal(scale=0.5 + 0.2 * i, size=150) for i in range(4)})
    df["junk1"] = rng.normal(size=150)
    df["junk2"] = rng.normal(size=150)
    tab = sat.reliability(df, {"good": ["q0", "q1", "q2", "q3"], "bad": ["junk1", "junk2"]})
    assert list(tab.columns) == [
        "scale",
        "item",
        "n",
        "alpha",
        "alpha_if_deleted",
        "item_total_r",
        "flag",
    ]
    good = tab[tab.scale == "good"].set_index("item")
    for c in ["q0", "q1", "q2", "q3"]:
        rest = [o for o in ["q0", "q1", "q2", "q3"] if o != c]
        # brute force: alpha without the item, and the item against the sum of the rest
        assert good.loc[c, "alpha_if_deleted"] == pytest.approx(
            _alpha_by_variances(df[rest].to_numpy()), rel=1e-12
        )
        assert good.loc[c, "item_total_r"] == pytest.approx(
            stats.pearsonr(df[c], df[rest].sum(axis=1))[0], rel=1e-10
        )
    assert not good["flag"].any()
    assert tab[tab.scale == "bad"]["flag"].all()


# --- segments and waves --------------------------------------------------------------------------


def _two_groups(seed=6, n1=60, n2=90):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "seg": ["a"] * n1 + ["b"] * n2,
            "x": np.r_[rng.integers(2, 6, n1), rng.integers(1, 5, n2)].astype(float),
            "rec": np.r_[rng.integers(4, 11, n1), rng.integers(0, 10, n2)].astype(float),
        }
    )


def test_segment_mean_difference_matches_welch_t_test():
    df = _two_groups()
    tab = sat.segment_table(df, "seg", "x").set_index("segment")
    a, b = df.x[df.seg == "a"], df.x[df.seg == "b"]
    res = stats.ttest_ind(a, b, equal_var=False)  # scipy Welch test
    ci = res.confidence_interval(0.95)
    row = tab.loc["a"]
    np.testing.assert_allclose(
        [row.difference, row.diff_ci_low, row.diff_ci_high, row.p_value],
        [a.mean() - b.mean(), ci.low, ci.high, res.pvalue],
        rtol=1e-9,
    )
    assert row.significant == (res.pvalue < 0.05)
    assert row.n == 60 and not row.suppressed and row.shown == f"{a.mean():.2f}"


def test_segment_share_difference_matches_statsmodels_wald():
    df = _two_groups()
    tab = sat.segment_table(df, "seg", "x", kind="top2", scale=(1, 5)).set_index("segment")
    c1, c2 = int((df.x[df.seg == "a"] >= 4).sum()), int((df.x[df.seg == "b"] >= 4).sum())
    # statsmodels: unpooled Wald test and interval for a difference of proportions
    r = smp.test_proportions_2indep(c1, 60, c2, 90, method="wald", compare="diff")
    lo, hi = smp.confint_proportions_2indep(c1, 60, c2, 90, method="wald", compare="diff")
    row = tab.loc["a"]
    np.testing.assert_allclose(
        [row.difference, row.diff_ci_low, row.diff_ci_high, row.p_value],
        [100 * (c1 / 60 - c2 / 90), 100 * lo, 100 * hi, r.pvalue],
        rtol=1e-9,
    )


def test_small_segment_is_suppressed_never_a_number():
    df = _two_groups()
    df.loc[0, "seg"] = "tiny"  # a segment of one respondent
    with pytest.warns(OrientWarning, match="tiny"):
        tab = sat.segment_table(df, "seg", "rec", kind="nps", min_base=30)
    row = tab.set_index("segment").loc["tiny"]
    assert row.suppressed and row.shown == "n < 30" and row.n == 1
    assert all(
        math.isnan(row[c]) for c in ["estimate", "ci_low", "ci_high", "difference", "p_value"]
    )
    # nothing silently dropped: every row with an answer counts in one segment
    assert tab["n"].sum() == df["rec"].notna().sum()
    # with the minimum base lowered to 1, the lone respondent is shown, and said to be alone
    with pytest.warns(OrientWarning, match="'tiny'|tiny.*single answer"):
        tab = sat.segment_table(df, "seg", "x", min_base=1)
    row = tab.set_index("segment").loc["tiny"]
    assert not row.suppressed and row.estimate == df.loc[0, "x"] and math.isnan(row.ci_low)


def test_waves_change_with_interval_and_plain_answer():
    rng = np.random.default_rng(7)
    df = pd.DataFrame(
        {
            "wave": ["2023"] * 300 + ["2024"] * 300,
            "rec": np.r_[
                rng.choice(11, 300, p=[0.05] * 6 + [0.1, 0.1, 0.2, 0.2, 0.1]),
                rng.choice(11, 300, p=[0.02] * 6 + [0.08, 0.1, 0.2, 0.25, 0.25]),
            ].astype(float),
        }
    )
    tab = sat.wave_change(df, "wave", "rec", kind="nps")
    first, second = tab.iloc[0], tab.iloc[1]
    assert math.isnan(first.change) and first.answer == "first wave"
    e0, e1 = sat.nps(df.rec[df.wave == "2023"]), sat.nps(df.rec[df.wave == "2024"])
    assert second.change == pytest.approx(e1.value - e0.value, rel=1e-12)

    # hand: difference of the two adjusted-Wald estimates (Rocks 2016), variances added
    def adj(x):
        n = len(x)
        p, d = ((x >= 9).sum() + 0.75) / (n + 3), ((x <= 6).sum() + 0.75) / (n + 3)
        return p - d, (p + d - (p - d) ** 2) / (n + 3)

    (c0, v0), (c1, v1) = adj(df.rec[df.wave == "2023"]), adj(df.rec[df.wave == "2024"])
    se = math.sqrt(v0 + v1)
    centre = 100 * (c1 - c0)
    np.testing.assert_allclose(
        [second.change_ci_low, second.change_ci_high],
        [centre - 100 * Z95 * se, centre + 100 * Z95 * se],
        rtol=1e-10,
    )
    assert second.p_value == pytest.approx(2 * stats.norm.sf(abs(centre) / (100 * se)), rel=1e-9)
    assert second.significant and second.answer.startswith("Yes, a real rise")
    flat = sat.wave_change(
        df.assign(rec=df.rec.sample(frac=1, random_state=1).to_numpy()), "wave", "rec", kind="mean"
    )
    assert flat.iloc[1].answer.startswith("No clear change") or flat.iloc[1].significant


# --- chain --------------------------------------------------------------------------------------


def test_chain_effects_match_least_squares_and_bootstrap_brackets():
    import statsmodels.api as sm

    rng = np.random.default_rng(8)
    n = 400
    a1, a2 = rng.integers(1, 6, n).astype(float), rng.integers(1, 6, n).astype(float)
    idx = 10 + 8 * a1 + 4 * a2 + rng.normal(scale=8, size=n)
    retained = (rng.uniform(size=n) < np.clip(0.2 + 0.006 * idx, 0, 1)).astype(float)
    revenue = 1000 + 15 * idx + rng.normal(scale=200, size=n)
    df = pd.DataFrame({"idx": idx, "a1": a1, "a2": a2, "retained": retained, "revenue": revenue})
    tab = sat.chain_effects(
        df,
        satisfaction="idx",
        attributes=["a1", "a2"],
        outcomes={"retention": ("retained", 100, "pp"), "revenue": ("revenue", 1, "RUB")},
        n_boot=300,
        seed=1,
    )
    ols = sm.OLS(df.idx, sm.add_constant(df[["a1", "a2"]])).fit()  # statsmodels OLS
    got = tab.set_index("to" if False else "from")
    np.testing.assert_allclose(
        got.loc[["a1", "a2"], "effect"], ols.params[["a1", "a2"]], rtol=1e-10
    )
    ret = tab[tab.to == "retention"].iloc[0]
    assert ret.effect == pytest.approx(
        100 * sm.OLS(retained, sm.add_constant(idx)).fit().params[1], rel=1e-10
    )
    assert ret.ci_low < 0.6 < ret.ci_high  # true effect: 0.6 pp per point
    rev = tab[tab.to == "revenue"].iloc[0]
    assert rev.ci_low < 15 < rev.ci_high
    again = sat.chain_effects(
        df,
        satisfaction="idx",
        attributes=["a1", "a2"],
        outcomes={"retention": ("retained", 100, "pp")},
        n_boot=300,
        seed=1,
    )
    np.testing.assert_allclose(again.ci_low.iloc[:2], tab.ci_low.iloc[:2], rtol=0)


# --- PLS path model ------------------------------------------------------------------------------


def _ecsi():
    require(ECSI, "the ECSI mobi survey")
    mobi = pd.read_csv(ECSI / "mobi.csv", index_col=0)
    meas = pd.read_csv(ECSI / "smartpls-reference" / "ECSImeasuremod.csv")
    struc = pd.read_csv(ECSI / "smartpls-reference" / "ECSIstrucmod.csv")
    blocks = {c: list(meas.loc[meas.source == c, "target"]) for c in dict.fromkeys(meas.source)}
    return mobi, blocks, list(zip(struc.source, struc.target, strict=True))


def _smartpls(folder: str, name: str) -> pd.DataFrame:
    return pd.read_csv(
        ECSI / "smartpls-reference" / folder / f"{name}.txt", sep=r"\s+", decimal=","
    )


@pytest.mark.parametrize(
    "scheme,folder",
    [("path", "pathWeighting"), ("centroid", "centroid"), ("factorial", "factorial")],
)
def test_pls_matches_smartpls_on_ecsi(scheme, folder):
    mobi, blocks, paths = _ecsi()
    res = sat.pls_path_model(mobi, blocks, paths, scheme=scheme)
    assert list(res.paths.columns) == ["from", "to", "coefficient", "ci_low", "ci_high"]
    # SmartPLS 2.0.M3 (standardised data, this scheme)
    ref = _smartpls(folder, "pathCoefficients")
    want = [ref.loc[a, b] for a, b in zip(res.paths["from"], res.paths["to"], strict=True)]
    np.testing.assert_allclose(res.paths.coefficient, want, atol=5e-5)
    ow = _smartpls(folder, "outerWeights")
    np.testing.assert_allclose(
        res.weights.weight,
        [ow.loc[i, c] for c, i in zip(res.weights.construct, res.weights.item, strict=True)],
        atol=5e-5,
    )
    cl = _smartpls(folder, "crossLoadings")
    np.testing.assert_allclose(
        res.loadings.loading,
        [cl.loc[i, c] for c, i in zip(res.loadings.construct, res.loadings.item, strict=True)],
        atol=5e-5,
    )
    te = _smartpls(folder, "totalEffects")
    tot = res.total_effects
    np.testing.assert_allclose(
        tot.effect, [te.loc[a, b] for a, b in zip(tot["from"], tot["to"], strict=True)], atol=5e-5
    )
    assert res.converged and res.n == 250


def test_pls_scores_ipma_and_bootstrap_on_ecsi():
    mobi, blocks, paths = _ecsi()
    res = sat.pls_path_model(mobi, blocks, paths, n_boot=60, seed=3, scales=(1, 10))
    assert res.scores.min().min() >= 0 and res.scores.max().max() <= 100
    # the 0-100 scores are the standardised scores up to a linear map: the IPMA's
    # unstandardised total effects are the standardised ones times sd(target)/sd(source)
    sd = res.scores.std(ddof=1)
    imp = sat.ipma(res, "Loyalty")
    std = res.total_effects.set_index(["from", "to"]).effect
    for c in imp.index:
        assert imp.loc[c, "importance"] == pytest.approx(
            std[(c, "Loyalty")] * sd["Loyalty"] / sd[c], rel=1e-8
        )
        assert imp.loc[c, "performance"] == pytest.approx(res.scores[c].mean(), rel=1e-12)
    assert (res.paths.ci_low <= res.paths.coefficient).all()
    assert (res.paths.coefficient <= res.paths.ci_high).all()
    again = sat.pls_path_model(mobi, blocks, paths, n_boot=60, seed=3, scales=(1, 10))
    pd.testing.assert_frame_equal(again.paths, res.paths)


def test_pls_recovers_a_known_model():
    rng = np.random.default_rng(9)
    n = 500
    xi = rng.normal(size=n)
    eta = 0.6 * xi + rng.normal(scale=0.8, size=n)
    df = pd.DataFrame(
        {
            **{f"x{i}": xi + rng.normal(scale=0.5, size=n) for i in range(3)},
            **{f"y{i}": eta + rng.normal(scale=0.5, size=n) for i in range(3)},
        }
    )
    res = sat.pls_path_model(df, {"X": ["x0", "x1", "x2"], "Y": ["y0", "y1", "y2"]}, [("X", "Y")])
    # one path: the coefficient is the correlation of the two composites; true latent
    # correlation 0.6, attenuated a little by measurement error
    assert 0.5 < res.paths.coefficient.iloc[0] < 0.65
    assert res.r2["Y"] == pytest.approx(res.paths.coefficient.iloc[0] ** 2, rel=1e-10)


def test_pls_bad_models_are_refused():
    df = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [2.0, 1, 4, 3]})
    with pytest.raises(ValueError, match="cycle"):
        sat.pls_path_model(df, {"A": ["a"], "B": ["b"]}, [("A", "B"), ("B", "A")])
    with pytest.raises(ValueError, match="'C'"):
        sat.pls_path_model(df, {"A": ["a"], "B": ["b"]}, [("A", "C")])
    with pytest.raises(ValueError, match="scheme"):
        sat.pls_path_model(df, {"A": ["a"], "B": ["b"]}, [("A", "B")], scheme="mode b")
    df["c"] = np.nan
    with pytest.raises(ValueError, match="'c'.*no valid answers"):
        sat.pls_path_model(df, {"A": ["a", "c"], "B": ["b"]}, [("A", "B")])


def test_pls_warns_about_rows_left_out():
    rng = np.random.default_rng(10)
    df = pd.DataFrame(rng.normal(size=(50, 2)), columns=["a", "b"])
    df.loc[3, "a"] = np.nan
    with pytest.warns(OrientWarning, match="1 of 50 rows"):
        res = sat.pls_path_model(df, {"A": ["a"], "B": ["b"]}, [("A", "B")])
    assert res.n == 49


def test_no_stray_warnings_on_clean_input():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sat.nps([10, 9, 0, 5, 8])
        sat.mean_score([1, 2, 3])


# --- the tables a reader sees (orient.satisfaction.display) ------------------------------


@pytest.fixture(scope="module")
def swiftpost():
    import orient
    from orient.report import sample_company_dir

    company = orient.load_company(sample_company_dir("swiftpost"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        return company, sat.analyse(company, n_boot=50)


def _cells(table) -> list[str]:
    return [str(v) for v in table.frame.to_numpy().ravel()]


def test_display_tables_hold_text_only_and_no_internal_keys(swiftpost):
    from orient.satisfaction import display as d

    company, result = swiftpost
    labels = company.attribute_labels
    for language in ("en", "ru"):
        tables = [
            d.indices_table(result, language=language),
            d.segments_table(result, language=language),
            d.reliability_table(result, language=language),
            d.attribute_effects_table(result, labels=labels, language=language),
            d.outcome_effects_table(result, language=language),
            d.pls_paths_table(result, labels=labels, language=language),
            d.pls_r2_table(result, language=language),
        ]
        for t in tables:
            assert not t.empty and t.caption
            text = " ".join([*map(str, t.frame.columns), *_cells(t)])
            for bad in (
                "nan",
                "None",
                "True",
                "False",
                "...",
                "satisfaction_index",
                "ci_low",
                "q_expectations",
                "on_time",
                "per point of",
            ):
                assert bad not in text, (t.caption, bad)
            assert all(isinstance(v, str) for v in _cells(t))
            assert list(t.frame.index) == list(range(len(t)))  # row label is a column


def test_indices_table_shows_the_analysis_numbers(swiftpost):
    from orient.satisfaction.display import indices_table

    _, result = swiftpost
    t = indices_table(result).frame.set_index("Measure")
    i = result.indices.set_index("measure")
    index = i.loc["Satisfaction index"]
    assert t.loc["Satisfaction index", "Estimate"] == f"{index.estimate:.1f}"
    assert t.loc["Satisfaction index", "95% interval"] == (
        f"{index.ci_low:.1f} to {index.ci_high:.1f}"
    )
    assert t.loc["Satisfaction index", "Respondents"] == f"{int(index.n):,}"
    mean = i.loc["Overall satisfaction, mean"]
    assert t.loc["Overall satisfaction, mean", "Estimate"] == f"{mean.estimate:.2f}"
    assert t.loc["Overall satisfaction, mean", "Scale"] == "1-10"
    assert t.loc["Net Promoter Score", "Scale"] == "-100 to 100"
    assert f"n = {int(i.n.max()):,}" in indices_table(result).caption


def test_indices_table_in_russian_has_russian_headings_and_decimal_commas(swiftpost):
    from orient.satisfaction.display import indices_table

    _, result = swiftpost
    t = indices_table(result, language="ru")
    assert list(t.frame.columns[:3]) == ["Показатель", "Оценка", "Интервал 95%"]
    index = result.indices.set_index("measure").loc["Satisfaction index"]
    first = t.frame.iloc[0]
    assert first["Показатель"] == "Индекс удовлетворённости"
    assert first["Оценка"] == f"{index.estimate:.1f}".replace(".", ",")
    assert first["Интервал 95%"].startswith("от ") and "," in first["Интервал 95%"]
    assert "Показатели удовлетворённости" in t.caption


def test_segments_table_matches_the_segment_frame(swiftpost):
    from orient.satisfaction.display import segments_table

    _, result = swiftpost
    s = result.segments
    t = segments_table(result).frame
    assert len(t) == len(s)
    row = s[(s.measure == "Satisfaction index")].iloc[0]
    shown = t[(t.Measure == "Satisfaction index") & (t.Segment == row.segment)].iloc[0]
    assert shown["Value"] == f"{row.estimate:.1f}"
    assert shown["Difference from the rest (points)"] == f"{row.difference:+.1f}"
    assert shown["Significant (p < 0.05)"] == ("yes" if row.significant else "no")
    nps = s[s.measure == "NPS"].iloc[0]
    shown = t[(t.Measure == "NPS") & (t.Segment == nps.segment)].iloc[0]
    assert shown["Value"] == f"{nps.estimate:+.0f}"


def test_segments_table_shows_a_small_base_without_numbers():
    from orient.satisfaction.display import segments_table

    rng = np.random.default_rng(3)
    survey = pd.DataFrame({"g": ["a"] * 80 + ["b"] * 10, "x": rng.integers(1, 11, 90)})
    seg = sat.segment_table(
        survey,
        "g",
        "x",
        kind="mean",
        scale=(1, 10),
        min_base=30,
        measure="Overall satisfaction, mean",
    )

    class R:
        segments = seg
        min_base = 30

    t = segments_table(R(), language="ru")
    small = t.frame[t.frame["Сегмент"] == "b"].iloc[0]
    assert small["Значение"] == "n < 30"
    assert small["Интервал 95%"] == "–" and small["p-значение"] == "–"
    assert any("нет данных" in n for n in t.notes)


def test_chain_tables_match_the_chain_frame(swiftpost):
    from orient.satisfaction.display import attribute_effects_table, outcome_effects_table

    company, result = swiftpost
    c = result.chain
    a = c[c.stage == "attributes -> satisfaction"].sort_values("effect", ascending=False)
    t = attribute_effects_table(result, labels=company.attribute_labels).frame
    assert t["Attribute"].tolist() == [company.attribute_labels[k] for k in a["from"]]
    assert t.iloc[0]["Index points per rating point"] == f"{a.iloc[0].effect:.2f}"
    o = outcome_effects_table(result, language="ru").frame.set_index("Результат")
    revenue = c.set_index("to").loc["revenue per customer"]
    assert o.loc["Выручка на клиента", "Единица"] == company.currency
    assert o.loc["Выручка на клиента", "На пункт индекса"] == (
        f"{revenue.effect:.1f}".replace(".", ",")
    )


def test_pls_tables_match_the_model(swiftpost):
    from orient.satisfaction.display import pls_paths_table, pls_r2_table

    company, result = swiftpost
    paths = pls_paths_table(result, labels=company.attribute_labels).frame
    last = result.pls.paths.iloc[-1]
    assert paths.iloc[-1].tolist()[:3] == ["Satisfaction", "Loyalty", f"{last.coefficient:.3f}"]
    r2 = pls_r2_table(result, language="ru").frame
    assert r2.iloc[0].tolist() == [
        "Удовлетворённость",
        f"{result.pls.r2['Satisfaction']:.3f}".replace(".", ","),
    ]


def test_tables_of_parts_not_computed_are_empty():
    from orient.satisfaction import display as d

    class R:
        segments = reliability = chain = pls = None
        min_base = 30

    assert d.segments_table(R()).empty and d.reliability_table(R()).empty
    assert d.attribute_effects_table(R()).empty and d.outcome_effects_table(R()).empty
    assert d.pls_paths_table(R()).empty and d.pls_r2_table(R()).empty
