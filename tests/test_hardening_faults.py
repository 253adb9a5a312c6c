"""Faults lose nothing: output folder collisions, unwritable and locked output folders,
a report swapped in only when complete, SIGTERM, timeouts, dead workers, kernel files
and the inputs fingerprint (issue: hardening, item 5)."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest
from test_report_support import notebook, write_notebooks

from orient import batch, cli, synth
from orient.errors import DataError, ReportError
from orient.report import builder, output
from orient.report.kernel import CompanyKernel

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # kernels, batches, signals


def _tiny_company(folder: Path, seed: int = 1) -> Path:
    synth.make_company(folder, seed=seed, n_respondents=40)
    return folder


@pytest.fixture(scope="module")
def company(tmp_path_factory):
    return _tiny_company(tmp_path_factory.mktemp("faults") / "alpha")


@pytest.fixture(scope="module")
def quick_nbs(tmp_path_factory):
    return write_notebooks(
        tmp_path_factory.mktemp("nbs"), {"01_strategy": notebook("print('stage one')")}
    )


# --------------------------------------------------------------------------- collisions


def test_two_folders_with_one_slug_up_to_case_are_refused_before_anything_runs(tmp_path):
    companies = tmp_path / "companies"
    _tiny_company(companies / "acme", 1)
    _tiny_company(companies / "ACME", 2)
    if len({p.name for p in companies.iterdir()}) < 2:
        pytest.skip("this disk is case-insensitive: the two folders are one")
    out = tmp_path / "out"
    with pytest.raises(DataError, match="one output folder") as info:
        batch.run(companies, out, workers=1, pdf=False, progress=False)
    assert "acme" in str(info.value) and "ACME" in str(info.value)
    assert not out.exists()  # nothing ran, nothing written


def test_the_cli_says_the_collision_in_one_line(tmp_path, capsys):
    companies = tmp_path / "companies"
    _tiny_company(companies / "acme", 1)
    _tiny_company(companies / "ACME", 2)
    assert cli.main(["batch", str(companies), "-o", str(tmp_path / "out"), "--no-pdf"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "one output folder" in err and "\n" not in err


def test_an_output_folder_differing_in_case_only_is_refused(tmp_path):
    (tmp_path / "Acme").mkdir()
    with pytest.raises(ValueError, match="differs only in case"):
        builder.safe_output_dir(tmp_path, "acme")
    assert builder.safe_output_dir(tmp_path, "other").name == "other"


# --------------------------------------------------------------------------- writable


def _read_only_dir(tmp_path: Path) -> Path:
    """A read-only folder (a read-only tmpfs, as root ignores permission bits), else skip."""
    ro = tmp_path / "ro"
    ro.mkdir()
    if os.geteuid() != 0:
        ro.chmod(0o555)
        return ro
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(ro)])
    if done.returncode != 0:
        pytest.skip("cannot make a read-only folder here (root, and mount is not allowed)")
    return ro


def test_an_unwritable_output_folder_fails_in_one_line_before_any_kernel(
    tmp_path, company, monkeypatch, capsys
):
    launched = []
    monkeypatch.setattr(CompanyKernel, "launch", lambda self: launched.append(1))
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cases = [blocker / "out"]  # under a file: no folder can be made
    try:
        cases.append(_read_only_dir(tmp_path) / "out")
    except pytest.skip.Exception:
        pass
    for out in cases:
        code = cli.main(["report", str(company), "-o", str(out), "--no-pdf"])
        err = capsys.readouterr().err.strip()
        assert code == 1 and "\n" not in err
        assert err.startswith("error: the output folder") and "not writable" in err
    assert launched == []  # no kernel was started, no notebook run
    if len(cases) > 1:
        subprocess.run(["umount", str(tmp_path / "ro")])


def test_batch_checks_the_output_folder_too(tmp_path, company):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="not writable"):
        batch.run(company.parent, blocker / "out", workers=1, progress=False)


# --------------------------------------------------------------------------- swap


def test_a_failed_write_leaves_the_previous_report_whole(tmp_path, company, quick_nbs, monkeypatch):
    out = tmp_path / "out"
    first = builder.build_company(company, out, notebooks_dir=quick_nbs, pdf=False)
    before = {p.name: p.read_bytes() for p in first.out_dir.iterdir()}
    assert "report.html" in before and "01_strategy.ipynb" in before
    (first.out_dir / "my-notes.txt").write_text("the user's own file")

    real_write = output._write
    calls = []

    def full_disk(path, data):
        calls.append(path.name)
        if len(calls) == 2:  # the second file of the new report: the disk is full
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_write(path, data)

    monkeypatch.setattr(output, "_write", full_disk)
    with pytest.raises(OSError, match="No space"):
        builder.build_company(company, out, notebooks_dir=quick_nbs, pdf=False, date="2030-01-01")
    after = {p.name: p.read_bytes() for p in first.out_dir.iterdir() if p.name != "my-notes.txt"}
    assert after == before  # every file of the previous report, byte for byte
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".alpha.")) == [".alpha.lock"]

    monkeypatch.setattr(output, "_write", real_write)
    second = builder.build_company(
        company, out, notebooks_dir=quick_nbs, pdf=False, date="2030-01-01"
    )
    assert "2030" in second.html.read_text() and "2030" not in before["report.html"].decode()
    assert (second.out_dir / "my-notes.txt").read_text() == "the user's own file"


def test_a_swap_killed_halfway_is_repaired_on_the_next_write(tmp_path):
    old = tmp_path / ".acme.old-x1"  # the old folder renamed aside, the new one not yet in
    old.mkdir()
    (old / "report.html").write_text("previous")
    (tmp_path / ".acme.new-y2").mkdir()  # a new folder never swapped in
    output._repair(tmp_path, "acme")
    assert (tmp_path / "acme" / "report.html").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme"]


# --------------------------------------------------------------------------- lock


def test_a_second_batch_into_a_locked_folder_refuses_clearly(tmp_path, company):
    out = tmp_path / "out"
    out.mkdir()
    with output.output_lock(out, "orient-batch"):  # a batch running elsewhere
        with pytest.raises(ReportError, match="another orient run is writing"):
            batch.run(company.parent, out, workers=1, progress=False)
    assert not (out / "batch.json").exists()


def test_the_lock_is_held_across_processes_and_released_after(tmp_path):
    code = (
        "import sys, time; from orient.report.output import output_lock\n"
        "with output_lock(sys.argv[1], 'orient-batch'):\n"
        "    print('held', flush=True); time.sleep(30)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(ReportError, match="another orient run"):
            with output.output_lock(tmp_path, "orient-batch"):
                pass
    finally:
        proc.kill()
        proc.wait()
    with output.output_lock(tmp_path, "orient-batch"):  # free once that process is gone
        pass


# --------------------------------------------------------------------------- timeouts


def test_the_company_deadline_cuts_each_cells_timeout(tmp_path):
    cell = {"metadata": {}}
    kernel = CompanyKernel(cwd=tmp_path, timeout=600)
    assert kernel._cell_timeout(cell) == 600
    kernel = CompanyKernel(cwd=tmp_path, timeout=600, deadline=time.monotonic() + 5)
    assert 4 <= kernel._cell_timeout(cell) <= 5
    kernel = CompanyKernel(cwd=tmp_path, timeout=3, deadline=time.monotonic() + 500)
    assert kernel._cell_timeout(cell) == 3


def test_timeout_options_on_report_and_batch():
    parser = cli.build_parser()
    args = parser.parse_args(["report", "x", "--timeout", "30", "--company-timeout", "0"])
    assert cli._timeouts(args) == {"timeout": 30.0, "company_timeout": None}
    args = parser.parse_args(["batch", "x"])
    # no --timeout: the company's reporting.timeout_s, else 600 (orient.report.builder.cell_timeout)
    assert cli._timeouts(args) == {"timeout": None, "company_timeout": 1800.0}
    assert cli.main(["batch", "x", "--timeout", "-1"]) == 2


# --------------------------------------------------------------------------- kernel files


def test_stale_kernel_folders_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f"orient-kernel-{dead.pid}-abc"
    stale.mkdir()
    (stale / ".orient-kernel-1.json").write_text('{"key": "secret"}')
    live = tmp_path / f"orient-kernel-{os.getpid()}-def"
    live.mkdir()
    assert output.remove_stale_kernel_dirs(str(tmp_path)) == [stale]
    assert not stale.exists() and live.is_dir()


# --------------------------------------------------------------------------- fingerprint


def test_the_fingerprint_covers_only_named_files_and_streams(tmp_path):
    folder = _tiny_company(tmp_path / "c")
    named = {p.name for p in batch.named_files(folder)}
    assert "company.yaml" in named and "survey.csv" in named
    before = batch.inputs_hash(folder)
    junk = folder / "junk.bin"
    with open(junk, "wb") as fh:  # a 2 GB file, sparse: reading it would take seconds
        fh.truncate(2 * 1024**3)
    start = time.monotonic()
    assert batch.inputs_hash(folder) == before
    assert time.monotonic() - start < 5
    junk.unlink()
    survey = folder / "survey.csv"
    survey.write_text(survey.read_text() + "\n")
    assert batch.inputs_hash(folder) != before

    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(1024) * 40 * 1024)  # 40 MiB
    h = hashlib.sha256()
    tracemalloc.start()
    batch._hash_file(h, big)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert h.hexdigest() == hashlib.sha256(big.read_bytes()).hexdigest()
    assert peak < 4 * 1024**2  # chunks, never the whole file


# --------------------------------------------------------------------------- signals


SLEEPY = (
    "import os, time, pathlib\n"
    "here = pathlib.Path(os.environ['ORIENT_TEST_MARKERS'])\n"
    "if 'sleepy' in company_dir:\n"
    "    (here / f'kernel-{os.getpid()}').write_text(os.getcwd())\n"
    "    time.sleep(120)\n"
)

RUNNER = (
    "import sys\n"
    "import orient.report.builder as b\n"
    "original = b.stage_notebooks\n"
    "b.stage_notebooks = lambda d=None: original(sys.argv[1])\n"
    "from orient import cli\n"
    "sys.exit(cli.main(sys.argv[2:]))\n"
)


# batch workers import orient afresh: the notebooks folder goes in as batch.run's option,
# with the command line's signal handling and exit code
BATCH_RUNNER = (
    "import sys\n"
    "from orient import batch, cli\n"
    "cli._stop_on_signals()\n"
    "try:\n"
    "    batch.run(sys.argv[2], sys.argv[3], workers=2, notebooks_dir=sys.argv[1], pdf=False,\n"
    "              progress=False)\n"
    "except KeyboardInterrupt:\n"
    "    sys.exit(cli._stopped())\n"
)


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as fh:
            return "zombie" in fh.read()
    except FileNotFoundError:
        return True


def _start(tmp_path, nbs, argv, runner=RUNNER):
    markers = tmp_path / "markers"
    markers.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ORIENT_TEST_MARKERS": str(markers)}
    proc = subprocess.Popen(
        [sys.executable, "-c", runner, str(nbs), *argv],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(markers.glob("kernel-*")):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the sleeping cell never started"
        time.sleep(0.2)
    time.sleep(0.5)
    return proc, markers


def _stop_and_check(proc, markers):
    kernel_file = next(markers.glob("kernel-*"))
    kernel_pid, kernel_cwd = int(kernel_file.name.split("-")[1]), kernel_file.read_text()
    start = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert time.monotonic() - start < 20
    err = proc.stderr.read()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    deadline = time.monotonic() + 5
    while not _gone(kernel_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(kernel_pid)  # the kernel is dead
    assert not Path(kernel_cwd).exists()  # its folder and connection file are gone


def test_sigterm_stops_orient_report_with_the_kernel(tmp_path, tmp_path_factory):
    sleepy = _tiny_company(tmp_path / "sleepy")
    nbs = write_notebooks(tmp_path / "nbs", {"01_strategy": notebook(SLEEPY)})
    out = tmp_path / "out"
    proc, markers = _start(tmp_path, nbs, ["report", str(sleepy), "-o", str(out), "--no-pdf"])
    _stop_and_check(proc, markers)
    assert not (out / "sleepy" / "report.html").exists()
    assert len(list(markers.glob("kernel-*"))) == 1  # not retried after the signal


def test_sigterm_stops_orient_batch_and_batch_json_lists_what_finished(tmp_path):
    companies = tmp_path / "companies"
    _tiny_company(companies / "quick", 1)
    _tiny_company(companies / "sleepy", 2)
    nbs = write_notebooks(tmp_path / "nbs", {"01_strategy": notebook(SLEEPY)})
    out = tmp_path / "out"
    proc, markers = _start(tmp_path, nbs, [str(companies), str(out)], BATCH_RUNNER)
    deadline = time.monotonic() + 60
    while not (out / "quick" / "report.html").exists():
        assert time.monotonic() < deadline
        time.sleep(0.2)
    _stop_and_check(proc, markers)
    data = json.loads((out / "batch.json").read_text())
    assert {c["company"]: c["status"] for c in data["companies"]} == {
        "quick": "ok",
        "sleepy": "interrupted",
    }
    assert data["counts"]["interrupted"] == 1
    assert not list(Path(tempfile.gettempdir()).glob(f"orient-kernel-{proc.pid}-*"))


# --------------------------------------------------------------------------- dead worker


KILLER = (
    "import os, signal, pathlib\n"
    "if 'victim' in company_dir:\n"
    "    marks = pathlib.Path(company_dir) / 'kills'\n"
    "    marks.write_text(marks.read_text() + 'x' if marks.exists() else 'x')\n"
    "    os.kill(int(os.environ['JPY_PARENT_PID']), signal.SIGKILL)  # the batch worker\n"
    "    import time; time.sleep(60)\n"
)


def test_a_killed_worker_costs_only_its_own_company_which_is_retried(tmp_path):
    companies = tmp_path / "companies"
    _tiny_company(companies / "alpha", 1)
    victim = _tiny_company(companies / "victim", 2)
    nbs = write_notebooks(tmp_path / "nbs", {"01_strategy": notebook(KILLER)})
    out = tmp_path / "out"
    frame = batch.run(companies, out, workers=1, notebooks_dir=nbs, pdf=False, progress=False)
    status = dict(zip(frame["company"], frame["status"], strict=True))
    assert status == {"alpha": "ok", "victim": "failed"}
    assert (victim / "kills").read_text() == "x" * (batch.WORKER_RETRIES + 1)  # run, retried
    error = frame.set_index("company").loc["victim", "error"]
    assert "worker died 2 times" in error
    assert (out / "alpha" / "report.html").is_file()
    assert not (out / "victim").exists()
    assert not list(out.glob(".orient-running-*"))
