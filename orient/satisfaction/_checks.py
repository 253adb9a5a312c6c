"""Input checks and small helpers shared by the stage II method modules.

Rating scales, item tables, respondent weights and the order of group levels
(segments, waves): each checked once here, with messages that name the argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import (
    check_columns,
    check_dataframe,
    check_numeric_columns,
    check_weights,
)


def _check_scale(scale: Any, name: str = "scale") -> tuple[float, float]:
    if not isinstance(scale, (tuple, list)) or len(scale) != 2:
        raise TypeError(f"`{name}` must be a (min, max) pair; got {scale!r}.")
    lo, hi = (float(v) for v in scale)
    if not hi > lo:
        raise ValueError(f"`{name}` must have max > min; got {scale!r}.")
    return lo, hi


def _scales_for(items: pd.DataFrame, scales: Any) -> dict[str, tuple[float, float]]:
    """Scale ends per item: one (min, max) for all, a mapping, or the observed range."""
    out = {}
    for col in items.columns:
        if scales is None:
            lo, hi = float(items[col].min()), float(items[col].max())
            if not hi > lo:
                raise ValueError(
                    f"Item {col!r} has a single observed value ({lo:g}); pass `scales` "
                    "with the ends of its rating scale."
                )
            out[col] = (lo, hi)
        elif isinstance(scales, Mapping):
            if col not in scales:
                raise ValueError(f"`scales` has no (min, max) for item {col!r}.")
            out[col] = _check_scale(scales[col], f"scales[{col!r}]")
        else:
            out[col] = _check_scale(scales, "scales")
    return out


def _check_items(items: Any, name: str = "items", min_items: int = 1) -> pd.DataFrame:
    items = check_dataframe(items, name)
    if items.shape[1] < min_items:
        raise ValueError(
            f"`{name}` must have at least {min_items} item column(s); got {items.shape[1]}."
        )
    check_numeric_columns(items, list(items.columns), name)
    for col in items.columns:
        if items[col].notna().sum() == 0:
            raise ValueError(
                f"Item {col!r} in `{name}` has no valid answers (all {len(items)} missing); "
                "drop it or fix the data."
            )
    return items


def _weights_of(data: pd.DataFrame, weights: Any) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        check_columns(data, [weights])
        return check_weights(data[weights], len(data), f"weights ({weights!r})")
    return check_weights(weights, len(data), "weights")


def _ordered_levels(s: pd.Series) -> list:
    if isinstance(s.dtype, pd.CategoricalDtype):
        present = set(s.dropna().unique())
        return [c for c in s.cat.categories if c in present]
    return sorted(s.dropna().unique().tolist())
