"""orient.stats: the one home of weighted means, Kish's n_eff, Wilson and 0-100."""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from orient.stats import kish_n_eff, to_100, weighted_mean_se, wilson_interval


def test_wilson_matches_statsmodels():
    rng = np.random.default_rng(1)
    n = rng.integers(1, 400, size=50)
    k = rng.binomial(n, rng.uniform(0, 1, size=50))
    lo, hi = wilson_interval(k / n, n, 0.9)
    # statsmodels.stats.proportion.proportion_confint(method="wilson")
    ref_lo, ref_hi = proportion_confint(k, n, alpha=0.1, method="wilson")
    np.testing.assert_allclose(lo, ref_lo, rtol=0, atol=1e-12)
    np.testing.assert_allclose(hi, ref_hi, rtol=0, atol=1e-12)


def test_wilson_empty_base_is_nan_and_scalars_stay_scalars():
    lo, hi = wilson_interval(np.array([0.5, 0.0]), np.array([0, 10]))
    assert np.isnan(lo[0]) and np.isnan(hi[0]) and lo[1] == 0.0
    assert isinstance(wilson_interval(0.2, 50)[0], float)


def test_unweighted_mean_se_is_the_textbook_one():
    x = np.random.default_rng(2).normal(size=37)
    m, se, n_eff = weighted_mean_se(x)
    assert n_eff == 37
    np.testing.assert_allclose(m, x.mean(), rtol=1e-14)
    np.testing.assert_allclose(se, x.std(ddof=1) / np.sqrt(37), rtol=1e-13)


def test_integer_weights_equal_replication():
    rng = np.random.default_rng(3)
    x = rng.normal(size=20)
    w = rng.integers(1, 4, size=20).astype(float)
    m, se, n_eff = weighted_mean_se(x, w)
    # the mean equals the replicated sample's; the variance is the frequency-weighted
    # variance (statsmodels DescrStatsW, ddof=0) corrected by n_eff / (n_eff - 1)
    d = DescrStatsW(x, weights=w, ddof=0)
    np.testing.assert_allclose(m, np.repeat(x, w.astype(int)).mean(), rtol=1e-14)
    np.testing.assert_allclose(se**2, d.var * n_eff / (n_eff - 1) / n_eff, rtol=1e-12)
    np.testing.assert_allclose(n_eff, w.sum() ** 2 / (w**2).sum(), rtol=1e-14)


def test_single_value_has_no_se():
    assert np.isnan(weighted_mean_se([3.0])[1])


@pytest.mark.parametrize("w, expected", [([2, 2, 2], 3.0), ([1, 0, 1], 2.0)])
def test_kish(w, expected):
    assert kish_n_eff(w) == expected


def test_to_100():
    np.testing.assert_allclose(to_100(np.array([1.0, 3.0, 5.0]), 1, 5), [0, 50, 100])
