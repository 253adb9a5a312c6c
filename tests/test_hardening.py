"""Bad, hostile or failing input: a clear error naming what is wrong, or the correct result.

Each case states the input and how it must end: exit code, one line on stderr, no Python
traceback, nothing lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_report_support import notebook

from orient import report
from orient.cli import main
from orient.errors import DataError

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "companies" / "swiftpost"


def _cli(args, capsys):
    rc = main(args)
    out = capsys.readouterr()
    return rc, out.out, out.err


def _one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    return lines[0]


# --- the command line ----------------------------------------------------------------


def test_batch_of_a_folder_that_does_not_exist(capsys, tmp_path):
    rc, _, err = _cli(["batch", str(tmp_path / "nowhere"), "-o", str(tmp_path / "out")], capsys)
    line = _one_line_error(err)
    assert rc == 1 and "nowhere" in line and "does not exist" in line


def test_batch_of_a_file_instead_of_a_folder(capsys, tmp_path):
    file = tmp_path / "companies.txt"
    file.write_text("acme\n")
    rc, _, err = _cli(["batch", str(file), "-o", str(tmp_path / "out")], capsys)
    assert rc == 1 and "not a folder" in _one_line_error(err)


def test_company_yaml_that_is_a_folder(capsys, tmp_path):
    (tmp_path / "company.yaml").mkdir()
    rc, _, err = _cli(["validate", str(tmp_path)], capsys)
    assert rc == 1 and "not a regular file" in _one_line_error(err)


def test_company_yaml_nested_five_thousand_deep(capsys, tmp_path):
    (tmp_path / "company.yaml").write_text("name: x\nsurvey: " + "[" * 5000 + "]" * 5000)
    rc, _, err = _cli(["validate", str(tmp_path)], capsys)
    assert rc == 1 and "nested too deep" in _one_line_error(err)


def test_company_yaml_far_too_large(capsys, tmp_path):
    (tmp_path / "company.yaml").write_text("name: x\n" + "# padding\n" * 200_000)
    rc, _, err = _cli(["validate", str(tmp_path)], capsys)
    assert rc == 1 and "too large" in _one_line_error(err)


def test_unreadable_company_yaml(capsys, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    profile = tmp_path / "company.yaml"
    profile.write_text("name: x\n")
    profile.chmod(0)
    rc, _, err = _cli(["validate", str(tmp_path)], capsys)
    assert rc == 1 and "permission denied" in _one_line_error(err).lower()


def test_usage_error_exits_2(capsys):
    rc, _, err = _cli(["report"], capsys)  # the company folder is required
    assert rc == 2 and "Traceback" not in err


def test_a_closed_pipe_ends_quietly():
    """``orient validate ... | head -1``: the first line, then no BrokenPipeError."""
    cmd = [sys.executable, "-m", "orient.cli", "validate", str(SAMPLE)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert b"valid" in first
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_load_company_errors_are_data_errors(tmp_path):
    (tmp_path / "company.yaml").mkdir()
    from orient import load_company

    with pytest.raises(DataError, match="not a regular file"):
        load_company(tmp_path)


# --- the environment cannot change the report ---------------------------------------


@pytest.mark.slow
def test_figures_are_drawn_whatever_mplbackend_says(tmp_path, monkeypatch):
    """MPLBACKEND=Agg (servers, CI runners) must not make figures vanish from a report."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = notebook(
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2], [1, 2])"
    )
    done = report.execute_notebooks([("01", nb)], cwd=tmp_path)[0]
    images = [
        o
        for c in done.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "display_data"
        and {"image/png", "image/svg+xml"} & set(o.get("data", {}))
    ]
    assert len(images) == 1
