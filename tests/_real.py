"""Where the shared real-data folder is: beside the repository (../shared), beside a worktree's
parent, or wherever ORIENT_REAL_DATA points. Tests that use it skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]


def real_data(name: str) -> Path:
    """The folder ``shared/data/real/<name>`` (it may not exist: callers skip then)."""
    env = os.environ.get("ORIENT_REAL_DATA")
    candidates = ([Path(env) / name] if env else []) + [
        _ROOT.parent / "shared" / "data" / "real" / name,
        _ROOT.parent.parent / "shared" / "data" / "real" / name,
    ]
    return next((p for p in candidates if p.is_dir()), candidates[0])
