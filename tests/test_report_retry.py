"""Kernels that die or fail to start are replaced; the company is retried once. A cell
that hangs costs one timeout: it fails the company without a retry."""

from __future__ import annotations

import pytest
from test_report_support import notebook

from orient import report
from orient.errors import ReportError

pytestmark = pytest.mark.slow  # end to end: kernels, notebooks, reports


def _run(tmp_path, notebooks, **kw):
    return report.execute_notebooks(notebooks, cwd=tmp_path, **kw)


def _outputs_text(nb) -> str:
    return "".join(
        o.get("text", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )


def _once(marker, action):
    return (
        f"import os\nif not os.path.exists({str(marker)!r}):\n"
        f"    open({str(marker)!r}, 'w').close()\n    {action}\nprint('survived')"
    )


def test_a_dead_kernel_is_restarted_and_the_company_retried_once(tmp_path):
    nb = report.parameterise(
        notebook(_once(tmp_path / "died", "os._exit(1)")), {"company_dir": "a"}
    )
    done = _run(tmp_path, [("01", nb)])
    assert "survived" in _outputs_text(done[0])


def test_a_hung_cell_fails_after_one_timeout_without_a_retry(tmp_path):
    import time

    nb = report.parameterise(
        notebook(_once(tmp_path / "hung", "import time; time.sleep(60)")), {"company_dir": "a"}
    )
    start = time.monotonic()
    with pytest.raises(ReportError, match="timed out") as info:
        _run(tmp_path, [("01", nb)], timeout=2)
    assert info.value.notebook == "01" and info.value.cell == 4
    # one 2 s timeout plus one kernel's start-up, not a second run of the notebook
    assert time.monotonic() - start < 2 + 20


def test_a_kernel_that_always_dies_fails_with_where(tmp_path):
    nb = report.parameterise(notebook("1", "import os; os._exit(3)"), {"company_dir": "a"})
    with pytest.raises(ReportError, match="died") as info:
        _run(tmp_path, [("04_implementation", nb)], retries=0)
    assert info.value.notebook == "04_implementation" and info.value.cell == 5


def test_a_failed_kernel_start_is_retried(tmp_path, monkeypatch):
    import zmq

    calls = {"n": 0}
    real_new_client = report.CompanyKernel._new_client

    def flaky(self):
        client = real_new_client(self)
        calls["n"] += 1
        if calls["n"] == 1:  # the first start-up hits a port already taken

            def clash(**kwargs):
                raise zmq.ZMQError(98, "Address already in use")

            client.start_new_kernel = clash
        return client

    monkeypatch.setattr(report.CompanyKernel, "_new_client", flaky)
    nb = report.parameterise(notebook("print('ran')"), {"company_dir": "a"})
    done = _run(tmp_path, [("01", nb)])
    assert calls["n"] == 2 and "ran" in _outputs_text(done[0])
