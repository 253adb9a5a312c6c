"""One report in two kernels at once (``orient report`` on a machine with two processors
or more): the same summary.json and the same pages as one kernel, a failure in either
kernel stops the other and is reported, and large surveys keep to one kernel."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pandas as pd
import pytest
from test_report_support import notebook, write_notebooks

import orient
from orient import report
from orient.report import builder
from orient.report.summary import HEADLINE_MODULES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "companies" / "swiftpost"
STAGES = [(stem, stage, Path(f"{stem}.ipynb")) for stem, stage in builder.NOTEBOOKS]


def _company(rows: int, columns: int = 10):
    return SimpleNamespace(survey=pd.DataFrame(np.zeros((rows, columns))))


def test_the_second_kernel_runs_stage_four_and_the_operations_with_their_headlines():
    first, second = builder._kernel_groups(_company(500), STAGES, 2)
    assert [e[0] for e in first[0]] == ["01_strategy", "02_satisfaction", "03_priorities"]
    assert [e[0] for e in second[0]] == ["04_implementation", "05_operations"]
    # every headline module is computed once, by one of the two
    assert sorted(first[1] + second[1]) == sorted(HEADLINE_MODULES)
    assert set(second[1]) == {"implementation", "service", "quality", "crm"}


@pytest.mark.parametrize(
    "company, stages, kernels",
    [
        (_company(500), STAGES, 1),  # asked for one
        (_company(500_001, 10), STAGES, 2),  # 5,000,010 cells: held twice is too much
        (SimpleNamespace(survey=None), STAGES[4:], 2),  # operations only: nothing to share
        (_company(500), STAGES[:3], 2),  # a notebooks folder without stage IV and V
    ],
)
def test_one_kernel_when_two_would_not_help(company, stages, kernels):
    assert builder._kernel_groups(company, stages, kernels) == [(list(stages), None)]


def test_kernels_is_one_or_two(tmp_path):
    with pytest.raises(ValueError, match="`kernels` must be 1 or 2"):
        report.build_company(SAMPLE, tmp_path, kernels=3)


def _outputs(nb) -> list:
    """The cells' outputs without their execution counts (which differ by kernel)."""
    return [
        {k: v for k, v in o.items() if k != "execution_count"}
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    ]


@pytest.mark.slow
def test_two_kernels_write_the_report_one_kernel_writes(tmp_path):
    one = report.build_company(SAMPLE, tmp_path / "one", pdf=False, date="2026-02-01")
    steps = []
    two = report.build_company(
        SAMPLE, tmp_path / "two", pdf=False, date="2026-02-01", kernels=2, progress=steps.append
    )
    assert two.summary.read_bytes() == one.summary.read_bytes()
    for a, b in zip(one.notebooks, two.notebooks, strict=True):
        assert a.name == b.name
        assert _outputs(nbformat.read(b, 4)) == _outputs(nbformat.read(a, 4)), a.name
    assert two.html.read_text() == one.html.read_text()
    # "headline numbers computed" once, when both kernels' parts are done; each notebook once
    assert steps.count("summary") == 1 and steps[-1] == "html"
    assert sorted(steps[1:-1]) == [stem for stem, _ in builder.NOTEBOOKS]


@pytest.mark.slow
def test_a_failure_in_one_kernel_stops_the_other_and_is_reported(tmp_path):
    company = tmp_path / "acme"
    orient.synth.make_company(company, seed=3, n_respondents=60, slug="acme")
    nbs = write_notebooks(
        tmp_path / "nbs",
        {
            "01_strategy": notebook("import time\ntime.sleep(120)"),
            "05_operations": notebook("1 / 0"),
        },
    )
    start = time.monotonic()
    with pytest.raises(orient.ReportError) as info:
        report.build_company(company, tmp_path / "out", notebooks_dir=nbs, pdf=False, kernels=2)
    assert info.value.notebook == "05_operations" and "ZeroDivisionError" in info.value.error
    # the sleeping kernel was shut down, not waited for
    assert time.monotonic() - start < 100
    assert not (tmp_path / "out" / "acme").exists()
