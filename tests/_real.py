"""Where the shared real-data folder is: beside the repository (../shared), beside a worktree's
parent, or wherever ORIENT_REAL_DATA points. Tests that use it skip when it is absent (and fail
when ORIENT_REQUIRE_REAL_DATA=1: see :func:`require`)."""

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


def require(path: Path, what: str) -> Path:
    """``path`` when it exists; else skip the test, or fail it when the environment
    variable ``ORIENT_REQUIRE_REAL_DATA`` is ``1`` (a published-reference test must not
    pass silently where its data is expected, e.g. a CI machine that has ../shared)."""
    import pytest

    if path.exists():
        return path
    message = f"{what} not available at {path} (set ORIENT_REAL_DATA or provide ../shared)"
    if os.environ.get("ORIENT_REQUIRE_REAL_DATA", "") == "1":
        pytest.fail(f"reference data missing: {message}")
    pytest.skip(message)
