"""Small helpers the stage IV method modules share."""

from __future__ import annotations

from typing import Any

import pandas as pd

#: the quadrants of the stage III strategic matrix
QUADRANTS = ("improve", "keep_advantage", "maintain_or_reduce", "low_priority")


def _isna(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
