"""Shapley importance of a binary (0/1) overall item: orient against refits.

    python benchmarks/binary.py            # p = 12, 15 at n = 2,000 and 25,000 (~15 min loaded)
    python benchmarks/binary.py --quick    # n = 2,000 only

Data: correlated 1-5 ratings (a common factor) and a 0/1 outcome from a logistic model.
For each (n, p) it prints

- ``orient exact``: McFadden-R² Shapley from all 2**p logistic subset models
  (``orient.priorities.logit_shapley.exact_subset_r2`` on the distinct rows), wall and
  CPU seconds, and whether every fit converged;
- ``previous``: the code path before this change (batched Newton on the rows, one
  design copy per subset; kept below as ``previous_subset_r2``), run in full except at
  n = 25,000, p = 15 (scaled from the measured runs: it is linear in n); the largest
  difference from orient's R² values where it was run in full;
- ``statsmodels loop``: ``sm.Logit(...).fit()`` per subset, timed on 48 random subsets
  and scaled to 2**p (the naive way), with the largest difference on those subsets;
- ``orient sampled``: 256 orderings (antithetic pairs), time, the largest Monte Carlo
  standard error, and the largest |sampled - exact| in standard errors;
- ``bootstrap``: ``driver_importance(n_boot=500)`` with the logistic model (resamples
  capped by the cost model, Monte Carlo error of the interval ends stated) and with the
  linear probability model (``binary="lpm"``, all 500).

Ratios are what to read: the machine is shared, so wall times move with its load. The
ratios are of CPU seconds; orient runs BLAS on one thread, the previous path and
statsmodels on the default pool, whose waiting threads also count as CPU time under
load (so the wall time of the previous path is printed too).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orient import priorities as pr  # noqa: E402
from orient.errors import OrientWarning  # noqa: E402
from orient.priorities.linear import _lmg_from_r2  # noqa: E402
from orient.priorities.logit_shapley import (  # noqa: E402
    collapse,
    exact_subset_r2,
    sampled_shapley,
)


def make_data(n: int, p: int, seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) + 0.6 * rng.normal(size=(n, 1))
    x = np.clip(np.round(x + 3), 1, 5)
    eta = (x - x.mean(axis=0)) @ np.linspace(0.6, 0.05, p) - 0.3
    drivers = [f"a{j}" for j in range(p)]
    df = pd.DataFrame(x, columns=drivers)
    df["y"] = (rng.random(n) < special.expit(eta)).astype(float)
    return df, drivers


# --- the previous code path, kept for the comparison ---------------------------------


def _previous_batch(xs, y, w, start, max_iter=100, tol=1e-12):
    beta = start.copy()
    active = np.ones(len(beta), dtype=bool)
    for _ in range(max_iter):
        a = np.flatnonzero(active)
        if len(a) == 0:
            break
        x = xs if len(a) == len(beta) else xs[a]
        eta = np.einsum("cnk,ck->cn", x, beta[a])
        prob = special.expit(eta)
        grad = np.einsum("cnk,cn->ck", x, w * (y - prob))
        xw = x * np.sqrt(w * prob * (1 - prob))[:, :, None]
        step = np.linalg.solve(np.swapaxes(xw, 1, 2) @ xw, grad[:, :, None])[:, :, 0]
        beta[a] += step
        done = np.max(np.abs(step), axis=1) < tol * (1 + np.max(np.abs(beta[a]), axis=1))
        active[a[done]] = False
    eta = np.einsum("cnk,ck->cn", xs, beta)
    ll = np.sum(w * (y * special.log_expit(eta) + (1 - y) * special.log_expit(-eta)), axis=1)
    return beta, ll


def previous_subset_r2(z, y, w, max_level=None):
    """McFadden R² of every subset as the code did before (rows, not distinct rows);
    ``max_level``: stop after the subsets of this size (for extrapolation); returns
    (r2, CPU seconds by level)."""
    n, p = z.shape
    ybar = np.average(y, weights=w)
    ll0 = float(np.sum(w * (y * math.log(ybar) + (1 - y) * math.log(1 - ybar))))
    design = np.hstack([np.ones((n, 1)), z])
    masks = np.arange(2**p, dtype=np.int64)
    sizes = np.bitwise_count(masks)
    r2 = np.zeros(2**p)
    secs = {}
    prev_beta = np.array([[math.log(ybar / (1 - ybar))]])
    prev_pos = np.zeros(2**p, dtype=np.int64)
    for k in range(1, p + 1):
        level = masks[sizes == k]
        if max_level is not None and k > max_level:
            break
        idx = np.array([[j for j in range(p) if (m >> j) & 1] for m in level])
        t0 = time.process_time()
        parents = level & ~(1 << idx[:, -1])
        start = np.hstack([prev_beta[prev_pos[parents]], np.zeros((len(level), 1))])
        betas = np.empty((len(level), k + 1))
        chunk = max(1, int(8e6 // (n * (k + 1))))
        for lo in range(0, len(level), chunk):
            sl = slice(lo, lo + chunk)
            cols = np.hstack([np.zeros((len(idx[sl]), 1), dtype=np.int64), idx[sl] + 1])
            xs = np.moveaxis(design[:, cols], 0, 1)
            beta, ll = _previous_batch(xs, y, w, start[sl])
            betas[sl] = beta
            r2[level[sl]] = 1.0 - ll / ll0
        prev_pos[level] = np.arange(len(level))
        prev_beta = betas
        secs[k] = time.process_time() - t0
    return r2, secs


# --- measurements --------------------------------------------------------------------


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def statsmodels_loop(df, drivers, sub_r2, k=48, seed=0):
    import statsmodels.api as sm

    p = len(drivers)
    y = df["y"].to_numpy()
    ybar = y.mean()
    ll0 = len(y) * (ybar * math.log(ybar) + (1 - ybar) * math.log(1 - ybar))
    masks = np.random.default_rng(seed).choice(np.arange(1, 2**p), size=k, replace=False)
    diff = 0.0
    c0 = time.process_time()
    for mask in masks:
        cols = [d for j, d in enumerate(drivers) if mask >> j & 1]
        fit = sm.Logit(y, sm.add_constant(df[cols].to_numpy())).fit(disp=0, method="newton")
        diff = max(diff, abs(1 - fit.llf / ll0 - sub_r2[mask]))
    per = (time.process_time() - c0) / k
    return per * (2**p - 1), diff


_PREVIOUS: dict = {}  # CPU seconds of the previous path by (n, p), where run in full


def _scaled_previous() -> dict:
    """The previous path at p = 15, n = 25,000, from the measured p = 15 at n = 2,000 and
    the measured growth from n = 2,000 to 25,000 at p = 12 (the path is linear in n)."""
    need = [(2_000, 15), (25_000, 12), (2_000, 12)]
    if not all(k in _PREVIOUS for k in need):
        return {}
    a, b, c = (_PREVIOUS[k] for k in need)
    return {(25_000, 15): a * b / c}


def run(n, p, full_previous):
    df, drivers = make_data(n, p)
    x = df[drivers].to_numpy()
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    y = df["y"].to_numpy()
    w = np.ones(n)
    (design, s1, m), _, _ = _timed(lambda: collapse(z, y, w))
    (sub, ok), wall, cpu = _timed(lambda: exact_subset_r2(*collapse(z, y, w)))
    exact = _lmg_from_r2(sub, p)
    print(f"n = {n:,}, p = {p} ({len(design):,} distinct rows)")
    print(f"  orient exact      {wall:8.2f} s wall {cpu:8.2f} s CPU  converged: {ok}")
    if n * 2**p <= 2_000 * 2**15 or full_previous or (n, p) not in _scaled_previous():
        (old, secs), old_wall, old_cpu = _timed(lambda: previous_subset_r2(z, y, w))
        note = f"max |dR2| {np.max(np.abs(old - sub)):.1e}, {old_wall:.2f} s wall"
        _PREVIOUS[(n, p)] = old_cpu
    else:
        old_cpu = _scaled_previous()[(n, p)]
        note = "extrapolated: p = 15 at n = 2,000 times the n-ratio measured at p = 12"
    print(f"  previous          {old_cpu:8.2f} s CPU  ratio {old_cpu / cpu:6.1f}x  {note}")
    sm_cpu, sm_diff = statsmodels_loop(df, drivers, sub)
    print(
        f"  statsmodels loop  {sm_cpu:8.2f} s CPU  ratio {sm_cpu / cpu:6.1f}x  "
        f"(48 subsets scaled to {2**p - 1:,}; max |dR2| {sm_diff:.1e})"
    )
    (est, se, _), wall_s, cpu_s = _timed(lambda: sampled_shapley(design, s1, m, 256, 1))
    print(
        f"  orient sampled    {wall_s:8.2f} s wall {cpu_s:8.2f} s CPU  256 orderings, "
        f"max MC s.e. {se.max():.4f}, max |sampled - exact| = "
        f"{np.max(np.abs(est - exact) / se):.1f} s.e."
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        for model in ("logit", "lpm"):
            res, wall_b, cpu_b = _timed(
                lambda model=model: pr.driver_importance(
                    df, "y", drivers, n_boot=500, seed=1, binary=model
                )
            )
            a = res.attrs
            print(
                f"  bootstrap {model:5s}   {wall_b:8.2f} s wall {cpu_b:8.2f} s CPU  "
                f"{a['n_boot']} of 500 resamples, point estimate exact: {a['exact']}, "
                f"MC s.e. of interval ends <= {a['ci_mc_se']:.4f}"
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n = 2,000 only")
    ap.add_argument("--full-previous", action="store_true", help="run the old path at p = 15")
    args = ap.parse_args()
    for n in (2_000,) if args.quick else (2_000, 25_000):
        for p in (12, 15):
            run(n, p, args.full_previous)


if __name__ == "__main__":
    main()
