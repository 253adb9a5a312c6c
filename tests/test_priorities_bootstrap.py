"""The driver-importance bootstrap drawn block by block (orient.priorities.bootstrap):
its resample counts against the multinomial distribution, each resample's importance
against a refit on the rows it drew, and its memory against the rows."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from test_priorities import _binary_data, _brute_force_shapley, _data

from orient.priorities import bootstrap as pb
from orient.stats import resample_counts


def _rows(counts: np.ndarray) -> np.ndarray:
    """The row numbers a resample drew (each row as often as it was drawn)."""
    return np.repeat(np.arange(len(counts)), counts.astype(int))


def _counts(n: int, b: int, seed: int, block: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = np.zeros((b, n))
    for start, stop, c in resample_counts(rng, n, b, block=block):
        out[:, start:stop] = c
    return out


def test_one_block_draws_are_the_plain_uniform_draws():
    n, b = 37, 9
    counts = _counts(n, b, 3, block=64)
    idx = np.random.default_rng(3).integers(0, n, size=(b, n))
    plain = np.stack([np.bincount(r, minlength=n) for r in idx])
    np.testing.assert_array_equal(counts, plain)


def test_block_counts_are_multinomial():
    """Rows in 7 blocks of 10 (the last of 3): every resample draws n rows; the number
    of times a row is drawn is Binomial(n, 1/n) (chi-square against its pmf), and two
    rows' counts have covariance -1/n, within or across blocks (Monte Carlo error)."""
    n, b = 63, 20_000
    counts = _counts(n, b, 11, block=10)
    assert (counts.sum(axis=1) == n).all()
    k = np.minimum(counts.ravel().astype(int), 4)
    seen = np.bincount(k, minlength=5)
    pmf = stats.binom.pmf(np.arange(4), n, 1 / n)
    expected = np.append(pmf, 1 - pmf.sum()) * k.size
    assert stats.chisquare(seen, expected).pvalue > 1e-3
    cov = np.cov(counts.T)
    var_true, cov_true = 1 - 1 / n, -1 / n
    # standard error of a sample covariance of two counts ~ sqrt(var^2 / b)
    se = var_true / np.sqrt(b)
    np.testing.assert_allclose(np.diag(cov).mean(), var_true, atol=4 * se / np.sqrt(n))
    off = cov[~np.eye(n, dtype=bool)]
    assert abs(off.mean() - cov_true) < 4 * se / n
    within = cov[0, 1:10].mean()  # rows 0 and 1..9: the same block
    across = cov[0, 10:].mean()  # rows 0 and 10..62: other blocks
    assert abs(within - cov_true) < 4 * se / 3
    assert abs(across - cov_true) < 4 * se / 7
    # the draws are a function of the seed only
    np.testing.assert_array_equal(_counts(n, 50, 12, block=10), _counts(n, 50, 12, block=10))


@pytest.mark.parametrize("missing", [None, "pairwise"])
def test_blockwise_bootstrap_equals_refits_on_the_drawn_rows(monkeypatch, missing):
    """150 rows in blocks of 40, survey weights: each resample's Shapley values equal
    the brute-force average over orderings of weighted least-squares refits on the
    rows that resample drew (pairwise: the correlations of the drawn rows)."""
    monkeypatch.setattr(pb, "_BOOT_BLOCK", 40)
    df = _data(n=150, p=4, seed=5)
    drivers = [f"d{j}" for j in range(4)]
    w = np.random.default_rng(2).uniform(0.5, 2.0, len(df))
    x = df[drivers + ["y"]].to_numpy()
    x = x - np.average(x, axis=0, weights=w)
    obs = None if missing is None else np.ones_like(x)
    boot = pb._bootstrap(x, obs, w, "shapley", "continuous", 12, 4, 4)
    counts = _counts(len(df), 12, 4, block=40)
    for i in range(12):
        rows = _rows(counts[i])
        ref = _brute_force_shapley(df.iloc[rows], "y", drivers, w=w[rows])
        np.testing.assert_allclose(boot[i], ref[drivers].to_numpy(), rtol=1e-9)


def test_chunks_of_resamples_continue_one_stream(monkeypatch):
    """250 resamples are three chunks (100, 100, 50); the first 100 are those of a
    bootstrap asking for 100."""
    monkeypatch.setattr(pb, "_BOOT_BLOCK", 64)
    df = _data(n=200, p=3, seed=1)
    x = df.to_numpy() - df.to_numpy().mean(axis=0)
    w = np.ones(len(x))
    all_ = pb._bootstrap(x, None, w, "relative_weights", "continuous", 250, 9, 3)
    first = pb._bootstrap(x, None, w, "relative_weights", "continuous", 100, 9, 3)
    np.testing.assert_array_equal(all_[:100], first)
    assert np.isfinite(all_).all() and not np.allclose(all_[100:200], all_[:100])


def _logit_beta_per_sd(rows: pd.DataFrame, drivers: list[str]) -> np.ndarray:
    z = (rows[drivers] - rows[drivers].mean()) / rows[drivers].std(ddof=0)
    fit = sm.Logit(rows["y"].to_numpy(), sm.add_constant(z.to_numpy())).fit(disp=0, tol=1e-12)
    return np.abs(fit.params[1:])


def test_binary_blockwise_bootstrap_equals_refits(monkeypatch):
    """A yes/no outcome, 120 rows in blocks of 50: per-SD logistic coefficients of each
    resample equal statsmodels' Logit on the drawn rows; point-biserial correlations
    equal numpy's on them."""
    monkeypatch.setattr(pb, "_BOOT_BLOCK", 50)
    df = _binary_data(n=120, p=3, seed=4)
    drivers = ["d0", "d1", "d2"]
    x = df[drivers + ["y"]].to_numpy()
    x = x - x.mean(axis=0)
    w = np.ones(len(x))
    counts = _counts(len(df), 6, 8, block=50)
    beta = pb._bootstrap(x, None, w, "beta", "binary", 6, 8, 3)
    corr = pb._bootstrap(x, None, w, "correlation", "binary", 6, 8, 3)
    for i in range(6):
        rows = df.iloc[_rows(counts[i])]
        np.testing.assert_allclose(beta[i], _logit_beta_per_sd(rows, drivers), rtol=1e-6)
        r = [abs(np.corrcoef(rows[d], rows["y"])[0, 1]) for d in drivers]
        np.testing.assert_allclose(corr[i], r, rtol=1e-10)


def test_binary_logit_shapley_blockwise_equals_refits(monkeypatch):
    """Logistic Shapley of McFadden's R² in each resample (exact, 2 drivers) equals the
    two orderings' average of McFadden R² gains from statsmodels refits on the rows."""
    monkeypatch.setattr(pb, "_BOOT_BLOCK", 50)
    df = _binary_data(n=130, p=2, seed=6)
    drivers = ["d0", "d1"]
    x = df[drivers + ["y"]].to_numpy()
    x = x - x.mean(axis=0)
    w = np.ones(len(x))
    boot = pb._bootstrap(x, None, w, "shapley", "binary", 5, 2, 2, exact=True)
    counts = _counts(len(df), 5, 2, block=50)
    for i in range(5):
        rows = df.iloc[_rows(counts[i])]
        y = rows["y"].to_numpy()
        ll0 = sm.Logit(y, np.ones((len(y), 1))).fit(disp=0).llf

        def r2(cols, rows=rows, y=y, ll0=ll0):
            if not cols:
                return 0.0
            fit = sm.Logit(y, sm.add_constant(rows[cols].to_numpy())).fit(disp=0, tol=1e-12)
            return 1 - fit.llf / ll0

        full = r2(drivers)
        s0 = (r2(["d0"]) + full - r2(["d1"])) / 2
        s1 = (r2(["d1"]) + full - r2(["d0"])) / 2
        np.testing.assert_allclose(boot[i], [s0, s1], rtol=1e-7)


def test_bootstrap_memory_does_not_grow_with_rows():
    """100 resamples of 200,000 rows: drawing them at once would hold 20 million counts
    (160 MB per array); block by block the bootstrap's peak stays a fraction of that."""
    rng = np.random.default_rng(0)
    n, p = 200_000, 3
    x = rng.normal(size=(n, p + 1))
    x -= x.mean(axis=0)
    w = np.ones(n)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tracemalloc.start()
        try:
            pb._bootstrap(x, None, w, "shapley", "continuous", 100, 0, p)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 100e6
