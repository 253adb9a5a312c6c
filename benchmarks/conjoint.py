"""orient's choice-based conjoint against statsmodels' ConditionalLogit, side by side.

A choice study in which every respondent sees the same fixed set of choice tasks (the
usual workshop or panel design, and how company.yaml records one) is fitted two ways on
the same data: statsmodels' ``ConditionalLogit`` on every respondent's choice set (the
peer), and orient's ``choice_conjoint`` with ``method="poisson"`` (the same likelihood
from counts per distinct set, as a statsmodels Poisson GLM with set intercepts). Prints
the largest differences in estimates, standard errors and log-likelihood, and the fit
times with their ratio.

    .venv/bin/python benchmarks/conjoint.py [--respondents 200] [--tasks 12] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from orient import implementation as im

LEVELS = {
    "price": [6, 8, 10],
    "speed": ["next day", "2 days", "3 days"],
    "tracking": ["basic", "live map"],
    "pickup": ["drop-off", "home pickup"],
}
UTILITY = {
    "price": [0.5, 0.0, -0.5],
    "speed": [0.7, 0.1, -0.8],
    "tracking": [-0.25, 0.25],
    "pickup": [-0.3, 0.3],
}


def study(respondents: int, tasks: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    full = im.full_factorial(LEVELS).reset_index(drop=True)
    out = []
    for _ in range(tasks):
        alts = full.iloc[rng.choice(len(full), 3, replace=False)]
        u = sum(alts[a].map(dict(zip(LEVELS[a], UTILITY[a], strict=True))) for a in LEVELS)
        p = np.exp(u - u.max())
        counts = rng.multinomial(respondents, (p / p.sum()).to_numpy())
        out.append({"alternatives": alts.to_dict("records"), "chosen": counts.tolist()})
    return im.conjoint_responses({"kind": "choice", "attributes": LEVELS, "tasks": out})


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--respondents", type=int, default=200)
    ap.add_argument("--tasks", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from statsmodels.discrete.conditional_models import ConditionalLogit

    data = study(args.respondents, args.tasks)
    X = im.effects_code(data, {a: v for a, v in LEVELS.items() if a != "price"})
    X["price"] = data["price"].astype(float)
    groups = (data["respondent_id"] * 1000 + data["task"]).to_numpy()

    def peer():
        return ConditionalLogit(
            data["chosen"].to_numpy(float), X.to_numpy(float), groups=groups
        ).fit(method="newton", disp=False)

    def ours():
        return im.choice_conjoint(data, LEVELS, price="price", method="poisson")

    t_peer, r_peer = best_of(peer, args.repeat)
    t_ours, r_ours = best_of(ours, args.repeat)
    est = np.abs(r_ours.fit["estimate"].to_numpy() - r_peer.params).max()
    se = np.abs(r_ours.fit["std_error"].to_numpy() / r_peer.bse - 1).max()
    llf = abs(r_ours.fit.attrs["llf"] - r_peer.llf)
    print(
        f"choice study: {args.respondents} respondents x {args.tasks} tasks x 3 alternatives "
        f"({len(data):,} rows)"
    )
    print(f"{'':32}{'statsmodels ConditionalLogit':>30}{'orient (poisson)':>20}")
    print(f"{'fit time, s (best of ' + str(args.repeat) + ')':32}{t_peer:>30.3f}{t_ours:>20.3f}")
    print(f"{'time ratio (peer / orient)':32}{t_peer / t_ours:>30.1f}")
    print(f"max |estimate difference|      {est:.2e}")
    print(f"max relative SE difference     {se:.2e}")
    print(f"|log-likelihood difference|    {llf:.2e}")


if __name__ == "__main__":
    main()
