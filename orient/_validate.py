"""The one place for argument checks.

Wrong type -> ``TypeError``; wrong value -> ``ValueError`` (``DataError`` when the
value comes from a data file). Every message names the argument, the bad value and
what is allowed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError

__all__ = [
    "check_choice",
    "check_columns",
    "check_confidence",
    "check_dataframe",
    "check_numeric_columns",
    "check_positive_int",
    "check_weights",
    "check_seed",
]


def check_choice(value: Any, allowed: Iterable[Any], name: str) -> Any:
    """Return ``value`` if it is one of ``allowed``, else raise ``ValueError``."""
    allowed = list(allowed)
    if value not in allowed:
        shown = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"`{name}` must be one of {shown}; got {value!r}.")
    return value


def check_dataframe(data: Any, name: str = "data") -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"`{name}` must be a pandas DataFrame; got {type(data).__name__}.")
    return data


def check_columns(data: pd.DataFrame, columns: Sequence[str], name: str = "data") -> None:
    """Raise ``ValueError`` naming the first column of ``columns`` not in ``data``."""
    for col in columns:
        if col not in data.columns:
            raise ValueError(
                f"Could not find column {col!r} in `{name}`: "
                f"its columns are {', '.join(map(str, data.columns[:20]))}"
                + (" ..." if len(data.columns) > 20 else "")
                + "."
            )


def check_numeric_columns(data: pd.DataFrame, columns: Sequence[str], name: str = "data") -> None:
    """Raise ``TypeError`` for the first column that is not numeric."""
    for col in columns:
        if not pd.api.types.is_numeric_dtype(data[col]) or pd.api.types.is_bool_dtype(data[col]):
            raise TypeError(
                f"Column {col!r} of `{name}` must be numeric; it has dtype {data[col].dtype}."
            )


def check_confidence(confidence: Any, name: str = "confidence") -> float:
    if not isinstance(confidence, (int, float, np.floating)) or isinstance(confidence, bool):
        raise TypeError(f"`{name}` must be a number between 0 and 1; got {confidence!r}.")
    if not 0 < float(confidence) < 1:
        raise ValueError(f"`{name}` must be strictly between 0 and 1; got {confidence!r}.")
    return float(confidence)


def check_positive_int(value: Any, name: str, *, allow_zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"`{name}` must be an integer; got {value!r}.")
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"`{name}` must be {bound}; got {value!r}.")
    return int(value)


def check_seed(seed: Any, name: str = "seed") -> int | None:
    if seed is None:
        return None
    return check_positive_int(seed, name, allow_zero=True)


def check_weights(
    weights: Any,
    n: int,
    name: str = "weights",
    *,
    file: str | None = None,
    column: str | None = None,
) -> np.ndarray | None:
    """Return weights as a float array of length ``n`` (or ``None``).

    Weights must be finite and strictly positive. When ``file`` is given the problem
    is a :class:`DataError` naming the file, column and first bad row.
    """
    if weights is None:
        return None
    w = (
        np.asarray(weights, dtype=float)
        if not isinstance(weights, pd.Series)
        else weights.to_numpy(dtype=float)
    )
    if w.ndim != 1 or len(w) != n:
        raise ValueError(f"`{name}` must be one weight per row ({n}); got shape {w.shape}.")
    bad = ~np.isfinite(w) | (w <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        if file is not None:
            raise DataError(
                "weight must be a positive number",
                file=file,
                column=column,
                row=i + 2,
                value=w[i],
                expected="a number > 0",
            )
        raise ValueError(f"`{name}` must be finite and > 0; element {i} is {w[i]!r}.")
    return w


def check_number(
    value: Any,
    name: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Return ``value`` as a finite float within the given bounds.

    Wrong type -> ``TypeError``; NaN, infinite or out of bounds -> ``ValueError``.
    ``low_open`` / ``high_open`` exclude the bound itself.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"`{name}` must be a number; got {value!r}.")
    v = float(value)
    too_low = low is not None and (v <= low if low_open else v < low)
    too_high = high is not None and (v >= high if high_open else v > high)
    if not np.isfinite(v) or too_low or too_high:
        parts = []
        if low is not None:
            parts.append(f"{'>' if low_open else '>='} {low:g}")
        if high is not None:
            parts.append(f"{'<' if high_open else '<='} {high:g}")
        bounds = " and ".join(parts)
        raise ValueError(
            f"`{name}` must be a finite number{' ' + bounds if bounds else ''}; got {value!r}."
        )
    return v


__all__ += ["check_number"]
