"""Western Electric run rules on standardised control-chart statistics.

Out-of-control signals:

1. one point beyond the 3-sigma limits;
2. two of three consecutive points beyond 2 sigma on the same side;
3. four of five consecutive points beyond 1 sigma on the same side;
4. eight consecutive points on the same side of the centre line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from orient._validate import check_choice

__all__ = ["western_electric"]


def western_electric(
    z: Sequence[float], *, rules: Iterable[int] = (1, 2, 3, 4), run_length: int = 8
) -> pd.DataFrame:
    """Western Electric run rules on standardised chart statistics.

    Parameters
    ----------
    z : sequence of float
        ``(statistic - centre) / sigma`` for each point, in time order (NaN is skipped
        for rule 1 and breaks runs).
    rules : iterable of int
        Which rules to apply (1-4, see the module docstring).
    run_length : int, default 8
        Points in a row on one side for rule 4 (qcc's default is 7).

    Returns
    -------
    DataFrame
        One row per point: ``rule_1`` ... ``rule_4`` (bool; True on the point that
        completes the pattern, and on every later point while it persists) and
        ``rules`` (the violated rule numbers joined by commas, "" if none).
    """
    z = np.asarray(z, dtype=float)
    rules = set(rules)
    for r in rules:
        check_choice(r, (1, 2, 3, 4), "rules")
    k = len(z)
    out = {f"rule_{r}": np.zeros(k, dtype=bool) for r in (1, 2, 3, 4)}
    finite = np.isfinite(z)
    if 1 in rules:
        out["rule_1"] = finite & (np.abs(z) > 3)

    def window(m: int, need: int, bound: float, key: str) -> None:
        for i in range(k):
            lo = i - m + 1
            if lo < 0:
                continue
            w = z[lo : i + 1]
            if not np.isfinite(w).all():
                continue
            for side in (1, -1):
                if side * z[i] > bound and np.sum(side * w > bound) >= need:
                    out[key][i] = True

    if 2 in rules:
        window(3, 2, 2.0, "rule_2")
    if 3 in rules:
        window(5, 4, 1.0, "rule_3")
    if 4 in rules:
        run, side_prev = 0, 0
        for i in range(k):
            side = int(np.sign(z[i])) if finite[i] else 0
            run = run + 1 if side != 0 and side == side_prev else (1 if side != 0 else 0)
            side_prev = side
            if run >= run_length:
                out["rule_4"][i] = True
    df = pd.DataFrame(out)
    df["rules"] = [
        ",".join(str(r) for r in (1, 2, 3, 4) if df.loc[i, f"rule_{r}"]) for i in range(k)
    ]
    return df
