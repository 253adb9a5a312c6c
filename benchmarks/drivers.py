"""Key-driver analysis: orient against pingouin, side by side in one process.

    python benchmarks/drivers.py            # the table below (about a minute on 2 cores)
    python benchmarks/drivers.py --quick    # p = 8, 10 only
    python benchmarks/drivers.py --truth    # also: synthetic companies' true driver order

For n = 10,000 respondents and p = 8, 10, 12, 15 drivers it times
``orient.priorities.driver_importance(method="shapley")`` and pingouin's
``linear_regression(X, y, relimp=True)`` (exact LMG) on the same data, and prints
the time ratio and the largest absolute difference between the two sets of
importances. Then orient alone at p = 20 and at its exact limit
(``MAX_EXACT_DRIVERS``), a 1,000-resample bootstrap at p = 12, and a binary
outcome (one logistic model per subset) at p = 8 and 12 on 2,000 respondents.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from orient import priorities as pr  # noqa: E402
from orient.errors import OrientWarning  # noqa: E402


def make_data(n: int, p: int, seed: int = 0) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    common = rng.normal(size=(n, 1))
    x = 0.6 * common + rng.normal(size=(n, p))
    y = x @ rng.uniform(0.1, 1.0, p) + rng.normal(size=n) * 2.0
    drivers = [f"x{j}" for j in range(p)]
    df = pd.DataFrame(x, columns=drivers)
    df["y"] = y
    return df, drivers


def best_time(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def compare(ps: list[int], n: int) -> None:
    import pingouin as pg

    print(f"Exact Shapley/LMG, n = {n:,}: orient vs pingouin linear_regression(relimp=True)")
    print(f"{'p':>3} {'orient s':>10} {'pingouin s':>11} {'speed-up':>9} {'max |diff|':>11}")
    for p in ps:
        df, drivers = make_data(n, p, seed=p)
        t_o, ours = best_time(
            lambda df=df, drivers=drivers: pr.driver_importance(df, "y", drivers), repeat=3
        )
        t_p, theirs = best_time(
            lambda df=df, drivers=drivers: pg.linear_regression(df[drivers], df["y"], relimp=True),
            repeat=1 if p >= 14 else 2,
        )
        ref = theirs.set_index("names").loc[drivers, "relimp"].to_numpy()
        diff = float(np.max(np.abs(ours["importance"].to_numpy() - ref)))
        print(f"{p:>3} {t_o:>10.4f} {t_p:>11.3f} {t_p / t_o:>8.0f}x {diff:>11.1e}")


def alone(ps: list[int], n: int) -> None:
    print(f"\norient alone, exact Shapley, n = {n:,}")
    print(f"{'p':>3} {'subsets':>10} {'seconds':>9}")
    for p in ps:
        df, drivers = make_data(n, p, seed=p)
        t, res = best_time(
            lambda df=df, drivers=drivers: pr.driver_importance(df, "y", drivers), repeat=2
        )
        assert abs(res["importance"].sum() - res.attrs["r2"]) < 1e-12
        print(f"{p:>3} {2**p:>10,} {t:>9.3f}")
    p = pr.MAX_EXACT_DRIVERS + 1
    df, drivers = make_data(200, p)
    try:
        pr.driver_importance(df, "y", drivers)
    except ValueError as err:
        print(f"p = {p}: ValueError: {err}")


def bootstrap(n: int, p: int, n_boot: int) -> None:
    df, drivers = make_data(n, p, seed=1)
    t, res = best_time(
        lambda: pr.driver_importance(df, "y", drivers, n_boot=n_boot, seed=1), repeat=1
    )
    print(
        f"\nbootstrap: {n_boot:,} resamples, p = {p}, n = {n:,}: {t:.2f} s "
        f"(share interval of the top driver {res['share_ci_low'].max():.3f}"
        f"-{res['share_ci_high'].max():.3f})"
    )


def binary(n: int, ps: list[int]) -> None:
    print(f"\nbinary outcome (logistic models, McFadden R²), exact Shapley, n = {n:,}")
    for p in ps:
        rng = np.random.default_rng(p)
        x = rng.normal(size=(n, p)) + 0.4 * rng.normal(size=(n, 1))
        y = (rng.random(n) < 1 / (1 + np.exp(-(x @ np.linspace(1.0, 0.1, p))))).astype(float)
        df = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)])
        df["y"] = y
        t, res = best_time(
            lambda df=df, p=p: pr.driver_importance(df, "y", [f"x{j}" for j in range(p)]), repeat=1
        )
        print(
            f"  p = {p:>2}: {2**p - 1:>5,} logistic fits in {t:.2f} s "
            f"(McFadden R² {res.attrs['r2']:.3f})"
        )


def truth(n: int = 2000, seed: int = 0) -> None:
    import tempfile

    from scipy import stats

    import orient
    from orient import synth

    print(
        f"\nsynthetic companies, n = {n:,}, seed {seed}: Spearman(Shapley, true order), "
        "factor types right (all / weight >= 0.25)"
    )
    for business in synth.BUSINESSES:
        with tempfile.TemporaryDirectory() as tmp:
            gt = synth.make_company(Path(tmp) / "c", seed=seed, n_respondents=n, business=business)
            company = orient.load_company(Path(tmp) / "c")
            table = pr._attribute_table(list(company.attributes))
            keys = list(table["key"])
            survey = company.survey.rename(columns=dict(zip(table["column"], keys, strict=True)))
            res = pr.driver_importance(survey, "overall", keys)
            rho = stats.spearmanr(res["importance"], gt.attributes.loc[keys, "true_importance"])[0]
            fac = pr.penalty_reward(company.survey, "overall", table)
            ta = gt.attributes.loc[keys]
            ok = fac["factor"] == ta["factor_type"]
            big = ta["weight"] >= 0.25
            print(
                f"  {business:<10} rho = {rho:.3f}   factors {ok.mean():.0%} / {ok[big].mean():.0%}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--truth", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore", OrientWarning)
    n = 10_000
    compare([8, 10] if args.quick else [8, 10, 12, 15], n)
    alone([15, 20] if args.quick else [15, 20, pr.MAX_EXACT_DRIVERS], n)
    bootstrap(n, 12, 1000)
    binary(2000, [8] if args.quick else [8, 12])
    if args.truth:
        truth()


if __name__ == "__main__":
    main()
