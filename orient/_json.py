"""Turning results into JSON-safe values for summary.json (the stages' ``headline``)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["number"]


def number(x: Any) -> float | None:
    """``float(x)`` when it is a finite number, else ``None`` (NaN, inf, None, text)."""
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None
