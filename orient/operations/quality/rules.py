"""Run rules on standardised control-chart statistics: Western Electric and Nelson.

Western Electric (:func:`western_electric`); Nelson's eight rules in :func:`nelson`.

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

__all__ = ["RULE_SETS", "nelson", "run_rules", "western_electric"]


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


#: the rule sets :func:`run_rules` knows, with their rule numbers
RULE_SETS = {"western_electric": (1, 2, 3, 4), "nelson": (1, 2, 3, 4, 5, 6, 7, 8)}


def _runs(condition: np.ndarray, length: int) -> np.ndarray:
    """True on each point that ends a run of at least ``length`` True values."""
    out = np.zeros(len(condition), dtype=bool)
    run = 0
    for i, c in enumerate(condition):
        run = run + 1 if c else 0
        out[i] = run >= length
    return out


def _k_of_m(z: np.ndarray, m: int, need: int, bound: float) -> np.ndarray:
    """The latest point beyond ``bound`` on one side and ``need`` of the last ``m`` there."""
    out = np.zeros(len(z), dtype=bool)
    for i in range(m - 1, len(z)):
        w = z[i - m + 1 : i + 1]
        for side in (1, -1):
            if side * z[i] > bound and np.sum(side * w > bound) >= need:
                out[i] = True
    return out


def nelson(z: Sequence[float], *, rules: Iterable[int] = RULE_SETS["nelson"]) -> pd.DataFrame:
    """Nelson's eight run rules on standardised chart statistics (Nelson 1984).

    1. one point beyond 3 sigma;
    2. nine points in a row on one side of the centre line;
    3. six points in a row steadily increasing or decreasing;
    4. fourteen points in a row alternating up and down;
    5. two of three consecutive points beyond 2 sigma on the same side;
    6. four of five consecutive points beyond 1 sigma on the same side;
    7. fifteen points in a row within 1 sigma of the centre line (either side);
    8. eight points in a row beyond 1 sigma, on both sides of the centre line.

    Parameters
    ----------
    z : sequence of float
        ``(statistic - centre) / sigma`` per point in time order; NaN breaks runs.
    rules : iterable of int
        Which rules to apply (1-8).

    Returns
    -------
    DataFrame
        ``rule_1`` ... ``rule_8`` (True on the point that completes the pattern and on
        every later point while it persists) and ``rules`` (the rule numbers, joined).

    Examples
    --------
    >>> nelson([0.5] * 9)["rules"].iloc[-1]
    '2'
    """
    z = np.asarray(z, dtype=float)
    rules = set(rules)
    for r in rules:
        check_choice(r, RULE_SETS["nelson"], "rules")
    k = len(z)
    fin = np.isfinite(z)
    zz = np.where(fin, z, 0.0)
    out = {f"rule_{r}": np.zeros(k, dtype=bool) for r in RULE_SETS["nelson"]}
    if 1 in rules:
        out["rule_1"] = fin & (np.abs(zz) > 3)
    if 2 in rules:
        out["rule_2"] = _runs(fin & (zz > 0), 9) | _runs(fin & (zz < 0), 9)
    d = np.r_[np.nan, np.diff(z)]
    if 3 in rules:
        out["rule_3"] = _runs(d > 0, 5) | _runs(d < 0, 5)
    if 4 in rules:
        alt = np.r_[False, d[1:] * d[:-1] < 0]  # at i: the differences into i-1 and i flip
        out["rule_4"] = _runs(alt, 12)
    if 5 in rules:
        out["rule_5"] = _k_of_m(np.where(fin, z, 0.0), 3, 2, 2.0) & _window_finite(fin, 3)
    if 6 in rules:
        out["rule_6"] = _k_of_m(np.where(fin, z, 0.0), 5, 4, 1.0) & _window_finite(fin, 5)
    if 7 in rules:
        out["rule_7"] = _runs(fin & (np.abs(zz) <= 1), 15)
    if 8 in rules:
        beyond = fin & (np.abs(zz) > 1)
        for i in range(7, k):
            w = slice(i - 7, i + 1)
            if beyond[w].all() and (zz[w] > 1).any() and (zz[w] < -1).any():
                out["rule_8"][i] = True
    df = pd.DataFrame(out)
    df["rules"] = _joined(df, RULE_SETS["nelson"])
    return df


def _window_finite(fin: np.ndarray, m: int) -> np.ndarray:
    return np.convolve(fin.astype(int), np.ones(m, dtype=int))[: len(fin)] == m


def _joined(df: pd.DataFrame, numbers: Iterable[int]) -> list[str]:
    numbers = tuple(numbers)
    return [",".join(str(r) for r in numbers if df[f"rule_{r}"].iloc[i]) for i in range(len(df))]


def run_rules(
    z: Sequence[float],
    rule_set: str = "western_electric",
    *,
    rules: Iterable[int] | None = None,
    run_length: int = 8,
) -> pd.DataFrame:
    """The run rules of ``rule_set`` (``"western_electric"`` or ``"nelson"``) on ``z``.

    ``rules`` defaults to every rule of the set; ``run_length`` is Western Electric's
    rule 4 (Nelson's run rule is nine points by definition).
    """
    check_choice(rule_set, tuple(RULE_SETS), "rule_set")
    rules = RULE_SETS[rule_set] if rules is None else tuple(rules)
    if rule_set == "nelson":
        return nelson(z, rules=rules)
    return western_electric(z, rules=rules, run_length=run_length)
