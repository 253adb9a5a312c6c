"""Classroom helpers: compare a student's answer with the expected one, kindly."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient.present.widgets.explorer import _is_number

__all__ = [
    "check",
    "feedback",
    "is_right",
]


def _norm_text(x: Any) -> str:
    return " ".join(str(x).split()).casefold()


def _as_number(x: Any) -> float | None:
    if _is_number(x):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x.replace(",", ".").replace("%", "").strip())
        except ValueError:
            return None
    return None


def is_right(answer: Any, expected: Any, tolerance: float = 0.0) -> bool:
    """Whether ``answer`` matches ``expected``.

    Numbers match within ``tolerance`` (absolute); text matches ignoring case and extra
    spaces; True/False must be equal; a list, tuple or set matches when it holds the same
    items in any order (numbers within ``tolerance``). ``None`` (not answered) never
    matches.

    Examples
    --------
    >>> is_right(12.04, 12.0, tolerance=0.1), is_right("  Price ", "price")
    (True, True)
    >>> is_right(["b", "a"], ["a", "b"]), is_right(None, 1)
    (True, False)
    """
    if _is_number(tolerance) is False or tolerance < 0:
        raise ValueError(f"`tolerance` must be a number >= 0; got {tolerance!r}.")
    if answer is None or answer is Ellipsis:
        return False
    if isinstance(expected, bool | np.bool_):
        return isinstance(answer, bool | np.bool_) and bool(answer) == bool(expected)
    if _is_number(expected):
        a = _as_number(answer)
        return (
            a is not None
            and math.isfinite(a)
            and abs(a - float(expected)) <= tolerance + 1e-9 * max(1.0, abs(float(expected)))
        )
    if isinstance(expected, str):
        return not isinstance(answer, bool) and _norm_text(answer) == _norm_text(expected)
    if isinstance(expected, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series):
        if isinstance(answer, str) or not isinstance(
            answer, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series
        ):
            return False
        exp, ans = list(expected), list(answer)
        if len(exp) != len(ans):
            return False
        left = list(ans)
        for e in exp:
            hit = next((i for i, a in enumerate(left) if is_right(a, e, tolerance)), None)
            if hit is None:
                return False
            left.pop(hit)
        return True
    return answer == expected


def feedback(answer: Any, expected: Any, tolerance: float = 0.0, *, unit: str = "") -> str:
    """A friendly sentence saying whether ``answer`` is right (see :func:`is_right`).

    A wrong answer is told whether it is too high or too low (numbers), or how many of
    its items are right (lists), never the expected value itself.

    Examples
    --------
    >>> feedback(14, 14)
    'Right! 14 is correct.'
    >>> feedback(10, 14)
    'Not quite: 10 is too low. Have another look and try again.'
    """
    u = f" {unit}" if unit else ""
    if answer is None or answer is Ellipsis:
        return "No answer yet: replace None with your answer and run the cell again."
    if is_right(answer, expected, tolerance):
        within = (
            f" (within {tolerance:g}{u} of the expected value)"
            if tolerance and _is_number(expected)
            else ""
        )
        return f"Right! {_show(answer)}{u} is correct{within}."
    if _is_number(expected) and not isinstance(expected, bool):
        a = _as_number(answer)
        if a is None:
            return f"Not quite: the answer is a number, and {answer!r} is not one. Try again."
        side = "high" if a > float(expected) else "low"
        return f"Not quite: {_show(answer)}{u} is too {side}. Have another look and try again."
    if isinstance(
        expected, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series
    ) and not isinstance(expected, str):
        if isinstance(answer, str) or not isinstance(
            answer, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series
        ):
            return (
                f"Not quite: the answer is a list of {len(expected)} items, e.g. "
                "['a', 'b']. Try again."
            )
        exp = list(expected)
        good = sum(any(is_right(a, e, tolerance) for e in exp) for a in answer)
        missing = len(exp) - good
        return (
            f"Not quite: {good} of your {len(answer)} item(s) are right"
            + (f" and {missing} {'is' if missing == 1 else 'are'} missing" if missing > 0 else "")
            + ". Try again."
        )
    return f"Not quite: {_show(answer)} is not it. Have another look and try again."


def _show(x: Any) -> str:
    if _is_number(x):
        return f"{float(x):g}" if isinstance(x, float | np.floating) else str(x)
    return repr(x) if isinstance(x, str) else str(x)


def check(answer: Any, expected: Any, tolerance: float = 0.0, *, unit: str = "") -> None:
    """Print whether the student's ``answer`` is right (for lesson notebooks).

    Parameters
    ----------
    answer : object
        The student's answer (None while not answered).
    expected : number, str, bool or list
        The right answer, computed in the notebook by the orient functions.
    tolerance : float
        Allowed absolute difference for numbers.
    unit : str
        Unit shown after the number.

    Examples
    --------
    >>> check(25, 25.0)
    Right! 25 is correct.
    """
    print(feedback(answer, expected, tolerance, unit=unit))
