"""The PLS and chain bootstraps solved from each resample's moments: every resample
against a refit on the rows it drew (the resamples replayed from the seed)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from orient import satisfaction as sat
from orient import stats as ostats
from orient.satisfaction import pls as spls

BLOCKS = {f"C{k}": [f"c{k}_{i}" for i in range(3)] for k in range(3)}
PATHS = [("C0", "C1"), ("C1", "C2"), ("C0", "C2")]


def _survey(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 3))
    f[:, 1] += 0.6 * f[:, 0]
    f[:, 2] += 0.5 * f[:, 1] + 0.3 * f[:, 0]
    cols = {}
    for k in range(3):
        for i in range(3):
            noise = rng.normal(size=n)
            cols[f"c{k}_{i}"] = np.clip(np.round(5 + 1.5 * f[:, k] + noise), 1, 10)
    return pd.DataFrame(cols)


def _refit(rows: pd.DataFrame) -> np.ndarray | None:
    """Paths, outer weights and loadings of a PLS fit on ``rows`` (None when an item is
    constant there and the fit refuses)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sat.pls_path_model(rows.reset_index(drop=True), BLOCKS, PATHS)
    except ValueError:
        return None
    return np.concatenate([fit.paths.coefficient, fit.weights.weight, fit.loadings.loading]).astype(
        float
    )


def _flat(bp, bw, bl) -> np.ndarray:
    return np.column_stack([bp, *bw, *bl])


def _model_inputs(df: pd.DataFrame):
    names = list(BLOCKS)
    items = [c for k in names for c in BLOCKS[k]]
    idx = [np.array([items.index(c) for c in BLOCKS[k]]) for k in names]
    d = np.zeros((3, 3))
    for a, b in PATHS:
        d[names.index(a), names.index(b)] = 1
    edges = [(names.index(a), names.index(b)) for a, b in PATHS]
    return df[items].to_numpy(float), idx, d, edges


def _replay_rows(n: int, n_boot: int, seed: int, block: int | None = None) -> list[np.ndarray]:
    """The rows each resample drew: one ``integers(0, n, n)`` per resample (one block),
    or from :func:`orient.stats.resample_counts` in chunks of 100 (several)."""
    rng = np.random.default_rng(seed)
    if block is None:
        return [rng.integers(0, n, n) for _ in range(n_boot)]
    out = []
    for done in range(0, n_boot, 100):
        b = min(100, n_boot - done)
        counts = np.zeros((b, n))
        for start, stop, c in ostats.resample_counts(rng, n, b, block):
            counts[:, start:stop] = c
        out += [np.repeat(np.arange(n), c.astype(int)) for c in counts]
    return out


@pytest.mark.parametrize("block", [None, 64])
def test_pls_resamples_from_moments_equal_refits(monkeypatch, block):
    """200 rows, 40 resamples: each resample's paths, weights and loadings from its
    correlation matrix equal a refit of the model on the rows it drew (to 1e-10); with
    blocks of 64 rows too (multinomial block totals)."""
    if block:
        monkeypatch.setattr(ostats, "RESAMPLE_BLOCK", block)
    df = _survey(200, seed=1)
    a, idx, d, edges = _model_inputs(df)
    got = _flat(*spls._bootstrap(a, idx, d, edges, 40, 5, "path", 1e-7, 300))
    for b, rows in enumerate(_replay_rows(len(df), 40, 5, block)):
        want = _refit(df.iloc[rows])
        np.testing.assert_allclose(got[b], want, rtol=1e-10, atol=1e-10)


def test_pls_intervals_from_moments_equal_refit_intervals():
    """The public intervals: percentiles of the refits on the replayed resamples."""
    df = _survey(150, seed=2)
    res = sat.pls_path_model(df, BLOCKS, PATHS, n_boot=60, seed=9)
    refits = np.array([_refit(df.iloc[r]) for r in _replay_rows(len(df), 60, 9)])
    lo, hi = np.nanquantile(refits, [0.025, 0.975], axis=0)
    got_lo = np.concatenate([res.paths.ci_low, res.weights.ci_low, res.loadings.ci_low])
    got_hi = np.concatenate([res.paths.ci_high, res.weights.ci_high, res.loadings.ci_high])
    np.testing.assert_allclose(got_lo, lo, rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(got_hi, hi, rtol=1e-10, atol=1e-10)
    # the point estimates are those of the fit without a bootstrap
    plain = sat.pls_path_model(df, BLOCKS, PATHS)
    pd.testing.assert_frame_equal(res.paths[["from", "to", "coefficient"]],
                                  plain.paths[["from", "to", "coefficient"]])  # fmt: skip


def test_pls_resample_with_a_constant_item_is_left_out_as_a_refit_fails():
    """14 rows; item c0_0 differs from 8 in one row only: resamples that miss that row
    have it constant, where a refit refuses. Those resamples, and only those, are NaN."""
    df = _survey(14, seed=3)
    df["c0_0"] = 8.0
    df.loc[4, "c0_0"] = 3.0
    a, idx, d, edges = _model_inputs(df)
    got = _flat(*spls._bootstrap(a, idx, d, edges, 30, 2, "path", 1e-7, 300))
    rows = _replay_rows(len(df), 30, 2)
    missed = np.array([4 not in r for r in rows])
    assert 0 < missed.sum() < 30
    assert np.isnan(got[missed]).all()
    for b in np.flatnonzero(~missed):
        want = _refit(df.iloc[rows[b]])
        if want is None:  # another item constant in this resample
            assert np.isnan(got[b]).all()
        else:
            np.testing.assert_allclose(got[b], want, rtol=1e-8, atol=1e-10)


def _wls(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted least squares with an intercept by lstsq on sqrt(w)-scaled rows."""
    design = np.column_stack([np.ones(len(y)), x])
    sw = np.sqrt(w)
    return np.linalg.lstsq(design * sw[:, None], y * sw, rcond=None)[0][1:]


@pytest.mark.parametrize("block", [None, 50])
def test_chain_intervals_from_moments_equal_refits(monkeypatch, block):
    """Survey weights, a control, an outcome with missing answers (its own rows): the
    chain's intervals are the percentiles of weighted least-squares refits on the
    resamples of respondents replayed from the seed, one resample for every link, each
    link on the drawn respondents complete in its columns."""
    if block:
        monkeypatch.setattr(ostats, "RESAMPLE_BLOCK", block)
    rng = np.random.default_rng(4)
    n = 180
    a1, a2 = rng.integers(1, 6, n).astype(float), rng.integers(1, 6, n).astype(float)
    idx = 10 + 8 * a1 + 4 * a2 + rng.normal(scale=8, size=n)
    seg = rng.choice(["a", "b", "c"], n)
    revenue = 1000 + 15 * idx + 50 * (seg == "b") + rng.normal(scale=200, size=n)
    revenue[rng.random(n) < 0.2] = np.nan
    w = rng.uniform(0.5, 2.0, n)
    df = pd.DataFrame({"idx": idx, "a1": a1, "a2": a2, "seg": seg, "rev": revenue, "w": w})
    n_boot = 120
    tab = sat.chain_effects(
        df,
        satisfaction="idx",
        attributes=["a1", "a2"],
        outcomes={"revenue": ("rev", 1, "RUB")},
        controls=["seg"],
        weights="w",
        n_boot=n_boot,
        seed=6,
    )
    dummies = pd.get_dummies(df["seg"], drop_first=True, dtype=float).to_numpy()
    x_rev = np.column_stack([idx, dummies])
    ok = df["rev"].notna().to_numpy()
    boots = [[], []]
    for rows in _replay_rows(n, n_boot, 6, block):
        boots[0].append(_wls(df[["a1", "a2"]].to_numpy()[rows], idx[rows], w[rows]))
        r = rows[ok[rows]]  # the drawn respondents who gave a revenue
        boots[1].append(_wls(x_rev[r], revenue[r], w[r])[:1])
    lo = np.concatenate([np.quantile(b, 0.025, axis=0) for b in boots])
    hi = np.concatenate([np.quantile(b, 0.975, axis=0) for b in boots])
    np.testing.assert_allclose(tab.ci_low, lo, rtol=1e-10)
    np.testing.assert_allclose(tab.ci_high, hi, rtol=1e-10)
    np.testing.assert_allclose(tab.effect.iloc[:2], _wls(df[["a1", "a2"]].to_numpy(), idx, w),
                               rtol=1e-10)  # fmt: skip
    assert list(tab.n) == [n, n, int(ok.sum())]


def test_chain_resample_with_too_few_of_a_links_rows_is_left_out():
    """An outcome answered by 6 of 150 respondents: a resample that drew at most 2 of
    them (no more rows than the link's coefficients + 1) gives NaN for that link only;
    the others equal refits on the drawn answers."""
    from orient.satisfaction.chain import _bootstrap

    rng = np.random.default_rng(7)
    n = 150
    x = rng.normal(size=n)
    y = 2 * x + rng.normal(size=n)
    ok = np.zeros(n, bool)
    ok[rng.choice(n, 6, replace=False)] = True
    links = [(None, x[:, None], y, np.ones(n)), (ok, x[ok][:, None], y[ok], np.ones(6))]
    got = _bootstrap(n, links, 200, np.random.default_rng(3))
    rows = _replay_rows(n, 200, 3)
    sparse_ = np.array([ok[r].sum() <= 2 for r in rows])
    assert 0 < sparse_.sum() < 200
    assert np.isnan(got[1][sparse_]).all() and np.isfinite(got[0]).all()
    pos = np.cumsum(ok) - 1  # a respondent's row among the link's rows
    for b in np.flatnonzero(~sparse_):
        r = pos[rows[b][ok[rows[b]]]]
        design = np.column_stack([np.ones(len(r)), x[ok][r]])
        want = np.linalg.lstsq(design, y[ok][r], rcond=None)[0][1]
        np.testing.assert_allclose(got[1][b, 0], want, rtol=1e-9)
