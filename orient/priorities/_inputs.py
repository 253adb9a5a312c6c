"""Input checks shared by the stage III methods: survey weights and driver columns."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_numeric_columns, check_weights
from orient.errors import DataError


def _resolve_weights(data: pd.DataFrame, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        check_columns(data, [weights], "data")
        if data[weights].isna().any():
            row = int(np.flatnonzero(data[weights].isna().to_numpy())[0])
            raise DataError(
                "weight is missing",
                column=weights,
                row=row + 2,
                expected="a number > 0 for every respondent",
            )
        return check_weights(data[weights], len(data), name=f"weights ({weights!r})")
    return check_weights(weights, len(data))


def _check_drivers(data: pd.DataFrame, target: Any, drivers: Any) -> list[str]:
    if not isinstance(target, str):
        raise TypeError(f"`target` must be a column name (str); got {target!r}.")
    if isinstance(drivers, str) or not isinstance(drivers, Sequence | pd.Index):
        raise TypeError(f"`drivers` must be a list of column names; got {drivers!r}.")
    drivers = list(drivers)
    if len(drivers) == 0:
        raise ValueError("`drivers` must name at least one column; got an empty list.")
    dupes = sorted({d for d in drivers if drivers.count(d) > 1})
    if dupes:
        raise ValueError(f"`drivers` lists {dupes[0]!r} more than once.")
    if target in drivers:
        raise ValueError(f"`drivers` must not contain the target {target!r}.")
    check_columns(data, [target, *drivers], "data")
    check_numeric_columns(data, [target, *drivers], "data")
    for col in [target, *drivers]:
        if data[col].notna().sum() == 0:
            raise DataError(
                "column has no values (all missing)",
                column=col,
                expected="ratings for at least some respondents",
            )
    return drivers
