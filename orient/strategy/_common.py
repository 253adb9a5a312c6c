"""Small helpers the stage I method modules share (no company, no language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_ROUND = 12  # attainment is rounded to 12 decimals before it meets a boundary


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """Field ``name`` of a validated company.yaml model or of a plain dict."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)
