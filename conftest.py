"""Test-suite wide marks: the end-to-end tests are ``slow``.

``pytest -m "not slow"`` (``make test-fast``) runs the unit tests alone; ``make test``
runs everything. End to end means: the stage notebooks under nbval, and the test
modules that render reports, start kernels, run batches or build the wheel.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SLOW_MODULES = {
    "test_batch.py",
    "test_batch_dask.py",
    "test_batch_skip.py",
    "test_cli.py",
    "test_report_browser.py",
    "test_report_build.py",
    "test_report_fork.py",
    "test_report_kernel.py",
    "test_report_notebooks.py",
    "test_report_retry.py",
    "test_report_samples.py",
    "test_report_visible.py",
    "test_wheel.py",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if path.suffix == ".ipynb" or path.name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
