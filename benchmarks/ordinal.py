"""Ordered-logit Shapley importance above the exact limit: sampled orderings.

    python benchmarks/ordinal.py            # p = 15 at n = 25,000 (a few minutes)
    python benchmarks/ordinal.py --quick    # n = 2,000

Data: correlated 1-5 ratings (a common factor) and a 1-5 overall answer from a
cumulative logit (``benchmarks/binary.py make_ordinal``, collapsed to distinct rows by
its ``prepared_ordinal``). Measured in one run:

- ``derivatives``: one log-likelihood, gradient and Hessian of the full model, from the
  non-zero cells (two logistic values per respondent) against the dense (G, J) form
  this replaced (the code before, below), and their largest difference;
- ``check``: p = 12 at n = 2,000, the sampled estimate (256 orderings) against the
  exact values (all 4,096 subset models): time of each and the largest
  |sampled - exact| in Monte Carlo standard errors;
- ``sampled``: p = 15, ``driver_importance(ordinal="ordered_logit")`` (256 orderings,
  antithetic pairs), wall and CPU seconds and the largest Monte Carlo standard error;
- ``bootstrap``: the same with ``n_boot=500`` (16 orderings per resample, resamples
  capped by ``ORDINAL_BOOT_WORK``): resamples drawn, the extra seconds and the Monte
  Carlo error of the interval ends.

Measured 2026-12-04 on a shared 2-core machine (load 4-6: other jobs ran, so wall time
was about twice CPU time; read the CPU seconds and the ratios, taken in one run):

    derivatives n = 25,000, p = 15: 6.1 ms from the cells, 18.4 ms dense (3.0x),
        largest difference 2.0e-11
    check n = 2,000, p = 12: exact 10.0 s CPU, sampled (256) 4.1 s CPU (2.4x);
        max MC s.e. 0.0006, max |sampled - exact| = 1.96 s.e.
    sampled n = 25,000, p = 15: 256 orderings in 37.8 s CPU (86 s wall);
        max MC s.e. 0.0007 of an R² of 0.350
    bootstrap n = 25,000, p = 15: 19 of 500 resamples in 46.2 s CPU (113 s wall)
        beyond the estimate; MC s.e. of the interval ends 0.0020, widest interval 0.0107

The point estimate at p = 15 and 25,000 respondents costs about 40 s of one core
(binary's logistic one 7 s: its Newton steps are batched across subsets); nearly every
respondent is a distinct row there, and each of the ~3,500 nested models is fitted on
all of them.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
from scipy import special

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from binary import _timed, prepared_ordinal  # noqa: E402

from orient import priorities as pr  # noqa: E402
from orient.errors import OrientWarning  # noqa: E402
from orient.priorities.linear import _lmg_from_r2  # noqa: E402
from orient.priorities.logit_shapley import _one_thread  # noqa: E402
from orient.priorities.ordinal_shapley import (  # noqa: E402
    _derivs,
    _entries,
    _null_thresholds,
    ordinal_sampled_shapley,
    ordinal_subset_r2,
)


def _dense_derivs(x, counts, theta, beta):
    """The derivatives before this change: every row's J - 1 cumulative probabilities."""
    g, levels = counts.shape
    a = theta[None, :] - (x @ beta)[:, None]
    big = special.expit(a)
    small = big * (1 - big)
    fp = small * (1 - 2 * big)
    fe = np.hstack([np.zeros((g, 1)), big, np.ones((g, 1))])
    prob = fe[:, 1:] - fe[:, :-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(counts > 0, counts / prob, 0.0)
        ratio2 = np.where(counts > 0, ratio / prob, 0.0)
    ll = float(np.sum(counts[counts > 0] * np.log(prob[counts > 0])))
    diff = ratio[:, :-1] - ratio[:, 1:]
    d = small * diff
    e_diag = fp * diff - small**2 * (ratio2[:, :-1] + ratio2[:, 1:])
    e_off = small[:, :-1] * small[:, 1:] * ratio2[:, 1:-1]
    k = levels - 1
    rows = e_diag.copy()
    rows[:, :-1] += e_off
    rows[:, 1:] += e_off
    grad = np.concatenate([d.sum(axis=0), -(x.T @ d.sum(axis=1))])
    h_tt = np.diag(e_diag.sum(axis=0))
    off = e_off.sum(axis=0)
    h_tt[np.arange(k - 1), np.arange(1, k)] = off
    h_tt[np.arange(1, k), np.arange(k - 1)] = off
    h_tb = -(rows.T @ x)
    h_bb = (x * rows.sum(axis=1)[:, None]).T @ x
    return ll, grad, np.block([[h_tt, h_tb], [h_tb.T, h_bb]])


def derivatives(n, p, reps=20):
    _, _, design, counts = prepared_ordinal(n, p)
    theta = _null_thresholds(counts)
    beta = np.linspace(0.3, 0.02, p)
    entries = _entries(design, counts)
    with _one_thread():
        new, _, c_new = _timed(lambda: [_derivs(entries, theta, beta) for _ in range(reps)])
        old, _, c_old = _timed(
            lambda: [_dense_derivs(design, counts, theta, beta) for _ in range(reps)]
        )
    diff = max(
        abs(new[0][0] - old[0][0]),
        np.max(np.abs(new[0][1] - old[0][1])),
        np.max(np.abs(new[0][2] - old[0][2]) / np.max(np.abs(old[0][2]))),
    )
    print(
        f"derivatives n = {n:,}, p = {p} ({len(design):,} distinct rows): "
        f"{1e3 * c_new / reps:.1f} ms from the cells, {1e3 * c_old / reps:.1f} ms dense, "
        f"ratio {c_old / c_new:.1f}x; largest difference {diff:.1e}"
    )


def check(n, p):
    _, _, design, counts = prepared_ordinal(n, p)
    with _one_thread():
        (sub, ok), _, c_exact = _timed(lambda: ordinal_subset_r2(design, counts))
        (est, se, ok_s), _, c_samp = _timed(lambda: ordinal_sampled_shapley(design, counts, 256, 0))
    exact = _lmg_from_r2(sub, p)
    z = np.max(np.abs(est - exact) / se)
    print(
        f"check n = {n:,}, p = {p}: exact {c_exact:.1f} s CPU, sampled (256) {c_samp:.1f} s "
        f"CPU (ratio {c_exact / c_samp:.1f}x); max MC s.e. {se.max():.4f}, "
        f"max |sampled - exact| = {z:.2f} s.e.; converged {ok and ok_s}"
    )


def sampled(n, p):
    df, drivers, design, _ = prepared_ordinal(n, p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        res, wall, cpu = _timed(
            lambda: pr.driver_importance(df, "y", drivers, ordinal="ordered_logit")
        )
        a = res.attrs
        print(
            f"sampled n = {n:,}, p = {p} ({len(design):,} distinct rows): "
            f"{a['permutations']} orderings in {wall:.1f} s wall, {cpu:.1f} s CPU; "
            f"max MC s.e. {a['mc_se']:.4f} (R² {a['r2']:.3f}, exact: {a['exact']})"
        )
        boot, b_wall, b_cpu = _timed(
            lambda: pr.driver_importance(
                df, "y", drivers, ordinal="ordered_logit", n_boot=500, seed=1
            )
        )
    b = boot.attrs
    width = (boot["ci_high"] - boot["ci_low"]).max()
    print(
        f"bootstrap n = {n:,}, p = {p}: {b['n_boot']} of {b['n_boot_requested']} resamples "
        f"in {b_wall - wall:.1f} s wall, {b_cpu - cpu:.1f} s CPU beyond the estimate; "
        f"MC s.e. of the interval ends {b['ci_mc_se']:.4f}, widest interval {width:.4f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="n = 2,000 only")
    args = ap.parse_args()
    n = 2_000 if args.quick else 25_000
    derivatives(n, 15)
    check(2_000, 12)
    sampled(n, 15)


if __name__ == "__main__":
    main()
