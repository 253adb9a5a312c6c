"""Kernels forked from a warm template (orient.report.forkkernel): fresh, isolated, cleaned up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_report_kernel import CHECK_CLEAN, SET_STATE, _outputs_text
from test_report_support import notebook

from orient import report
from orient.errors import ReportError
from orient.report import forkkernel

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="forked kernels are POSIX only"),
]

PROBE = (
    "import os, random; import numpy as np\n"
    "print('PID', os.getpid(), 'PPID', os.getppid(), 'RAND', np.random.random(), "
    "random.random())\n"
)


@pytest.fixture(scope="module")
def template():
    socket = report._kernel_template()
    assert socket is not None and Path(socket).exists()
    yield socket
    forkkernel.stop_server()


def _probe(text: str) -> dict[str, str]:
    words = text.split()
    return {
        words[i]: words[i + 1] for i in range(len(words) - 1) if words[i] in ("PID", "PPID", "RAND")
    }


def _run(tmp_path, template, *cells, company="a"):
    nb = report.parameterise(notebook(*cells), {"company_dir": company})
    kernel = report.CompanyKernel(cwd=tmp_path, fork_socket=template)
    kernel.launch()
    return report.execute_notebooks([("01", nb)], cwd=tmp_path, kernel=kernel)[0]


def test_kernels_are_forked_from_the_template_and_share_nothing(tmp_path, template):
    server_pid = forkkernel._servers[os.getpid()][0].pid
    # company a changes every setting, a module attribute and the random state...
    a = _run(tmp_path, template, PROBE + SET_STATE + "import orient; orient.LEAK = 1")
    # ...company b, forked from the same template afterwards, sees none of it
    b = _run(
        tmp_path,
        template,
        PROBE + CHECK_CLEAN + "import orient; print('ORIENT_LEAK', hasattr(orient, 'LEAK'))",
        company="b",
    )
    pa, pb = _probe(_outputs_text(a)), _probe(_outputs_text(b))
    assert pa["PPID"] == pb["PPID"] == str(server_pid)  # children of the template
    assert pa["PID"] != pb["PID"]
    assert pa["RAND"] != pb["RAND"]  # each kernel draws fresh seeds, as a new process would
    assert "LEAKS []" in _outputs_text(b)
    assert "ORIENT_LEAK False" in _outputs_text(b)


def test_figures_show_in_a_forked_kernel(tmp_path, template):
    nb = _run(
        tmp_path,
        template,
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2]);",
    )
    images = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "image/svg+xml" in o.get("data", {})
    ]
    assert len(images) == 1


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_a_shut_down_kernel_is_gone(tmp_path, template):
    nb = report.parameterise(notebook(PROBE), {"company_dir": "a"})
    with report.CompanyKernel(cwd=tmp_path, fork_socket=template) as kernel:
        kernel.run(nb)
    # the manager's immediate shutdown kills the stand-in; the template kills the kernel
    assert _gone(int(_probe(_outputs_text(nb))["PID"]))


def test_a_forked_kernel_that_dies_is_replaced_by_another(tmp_path, template):
    marker = tmp_path / "once"
    cell = (
        f"import os\nif not os.path.exists({str(marker)!r}):\n"
        f"    open({str(marker)!r}, 'w').close()\n    os._exit(1)\nprint('survived')"
    )
    nb = report.parameterise(notebook(PROBE + cell), {"company_dir": "a"})
    done = report.execute_notebooks([("01", nb)], cwd=tmp_path, timeout=3, fork_socket=template)
    text = _outputs_text(done[0])
    assert "survived" in text
    assert _probe(text)["PPID"] == str(forkkernel._servers[os.getpid()][0].pid)  # forked


def test_a_forked_kernel_whose_cell_hangs_fails_after_one_timeout(tmp_path, template):
    nb = report.parameterise(notebook(PROBE + "import time; time.sleep(60)"), {"company_dir": "a"})
    with pytest.raises(ReportError, match="timed out"):
        report.execute_notebooks([("01", nb)], cwd=tmp_path, timeout=3, fork_socket=template)


def test_the_template_dies_with_the_process_that_started_it(tmp_path):
    code = (
        "import sys; from orient.report import forkkernel; "
        "print(forkkernel.start_server(sys.argv[1]), flush=True)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    socket = Path(out.stdout.strip())
    deadline = time.monotonic() + 10
    while socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not socket.exists()  # the template noticed, cleaned up and exited


def test_a_template_that_cannot_start_falls_back_to_usual_kernels(tmp_path, monkeypatch):
    def broken(directory, **_):
        raise RuntimeError("no template here")

    monkeypatch.setattr(forkkernel, "start_server", broken)
    assert report._kernel_template() is None
    kernel = report.CompanyKernel(cwd=tmp_path, fork_socket=str(tmp_path / "missing.sock"))
    kernel.start()  # the first attempt fails to reach a template; the retry starts normally
    try:
        assert kernel.fork_socket is None
    finally:
        kernel.shutdown()
