"""orient.batch.run on a real Dask cluster: `dask scheduler` and `dask worker` processes on
127.0.0.1, started by this test (not a LocalCluster), through the same code path."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_report_support import notebook, write_notebooks

from orient import batch, synth

pytest.importorskip("distributed")
ROOT = Path(__file__).resolve().parents[1]
DASK = shutil.which("dask", path=str(Path(sys.executable).parent)) or shutil.which("dask")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(DASK is None, reason="the dask command is not installed"),
]


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # its own session: the nanny and its workers
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


@pytest.fixture
def cluster(tmp_path):
    from distributed import Client

    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            [str(ROOT), str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")]
        ),
    )
    info = tmp_path / "scheduler.json"
    logs = [open(tmp_path / "scheduler.log", "w"), open(tmp_path / "worker.log", "w")]
    procs = [
        subprocess.Popen(
            [
                DASK,
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(info),
            ],
            env=env,
            stdout=logs[0],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    ]
    try:
        deadline = time.monotonic() + 60
        while not info.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert info.exists(), (tmp_path / "scheduler.log").read_text()
        procs.append(
            subprocess.Popen(
                [
                    DASK,
                    "worker",
                    "--scheduler-file",
                    str(info),
                    "--host",
                    "127.0.0.1",
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--memory-limit",
                    "0",
                ],
                env=env,
                stdout=logs[1],
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)
        for log in logs:
            log.close()


def test_batch_on_a_dask_cluster(cluster, tmp_path):
    companies = tmp_path / "companies"
    synth.make_company(companies / "alpha", seed=1, n_respondents=40)
    synth.make_company(companies / "gamma-broken", seed=3, n_respondents=40)
    nbs = write_notebooks(
        tmp_path / "nbs",
        {
            "01_strategy": notebook(
                "import os\nprint('pid', os.getpid())\n"
                "if 'broken' in company_dir:\n    raise KeyError('no such column')"
            )
        },
    )
    out = tmp_path / "reports"
    frame = batch.run(
        companies, out, scheduler=cluster, notebooks_dir=nbs, pdf=False, progress=False
    )
    assert frame.set_index("company")["status"].to_dict() == {
        "alpha": "ok",
        "gamma-broken": "failed",
    }
    broken = frame.set_index("company").loc["gamma-broken"]
    assert broken["notebook"] == "01_strategy" and broken["cell"] == 4
    assert broken["error"] == "KeyError: 'no such column'"
    data = json.loads((out / "batch.json").read_text())
    assert data["scheduler"] == cluster and data["counts"]["failed"] == 1
    assert (out / "alpha" / "report.html").is_file()
    assert (out / "alpha" / "summary.json").is_file()
    # the same code path skips unchanged companies on the cluster too
    again = batch.run(
        companies, out, scheduler=cluster, notebooks_dir=nbs, pdf=False, progress=False
    )
    assert again["status"].tolist() == ["skipped", "failed"]
