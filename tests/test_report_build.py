"""orient.report.build end to end: files written, escaping, safe writes, the real notebooks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest
from test_report_support import demo_notebooks

import orient
from orient import report, synth

pytestmark = pytest.mark.slow  # end to end: kernels, notebooks, reports


ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "orient" / "schemas" / "summary.schema.json"
EVIL_NAME = '<script>alert(1)</script> & "Sons"'


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One synthetic company with a hostile name, built with the demo notebooks."""
    tmp = tmp_path_factory.mktemp("build")
    company = tmp / "we\"ird' dir\nname"  # a folder name that would break naive quoting
    synth.make_company(company, seed=3, n_respondents=60, name=EVIL_NAME, slug="acme")
    notebooks = demo_notebooks(tmp / "notebooks")
    out = tmp / "reports"
    (out / "acme").mkdir(parents=True)
    (out / "acme" / "notes.txt").write_text("the consultant's own file")
    (out / "other").mkdir()
    result = report.build_company(company, out, notebooks_dir=notebooks, date="2026-02-01")
    return {"company": company, "notebooks": notebooks, "out": out, "result": result}


def test_build_writes_the_report_files(built):
    result = built["result"]
    target = built["out"] / "acme"
    assert result.html == target / "report.html"
    names = sorted(p.name for p in target.iterdir())
    assert names == [
        "01_strategy.ipynb",
        "02_satisfaction.ipynb",
        "notes.txt",
        "report.html",
        "report.pdf",
        "summary.json",
    ]
    assert (target / "notes.txt").read_text() == "the consultant's own file"  # never wiped
    assert (built["out"] / "other").is_dir()
    assert (target / "report.pdf").read_bytes().startswith(b"%PDF")
    executed = nbformat.read(target / "02_satisfaction.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and all(
        c.get("execution_count") for c in executed.cells if c.cell_type == "code"
    )


def test_the_company_folder_name_reached_the_notebook_intact(built):
    html = (built["out"] / "acme" / "report.html").read_text(encoding="utf-8")
    # the table cell shows the company name loaded in the kernel from that folder
    assert '<td>&lt;script&gt;alert(1)&lt;/script&gt; &amp; "Sons"</td>' in html


def test_the_hostile_name_is_text_everywhere(built):
    html = (built["out"] / "acme" / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # title, heading, table
    summary = json.loads((built["out"] / "acme" / "summary.json").read_text(encoding="utf-8"))
    assert summary["company"]["name"] == EVIL_NAME  # data stays data in JSON


def test_summary_json_valid_and_same_bytes_on_rebuild(built, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    first = (built["out"] / "acme" / "summary.json").read_bytes()
    jsonschema.validate(
        json.loads(first), json.loads(SCHEMA.read_text()), cls=jsonschema.Draft202012Validator
    )
    again = report.build_company(
        built["company"], tmp_path, notebooks_dir=built["notebooks"], pdf=False
    )
    assert again.summary.read_bytes() == first
    assert again.pdf is None and not (tmp_path / "acme" / "report.pdf").exists()


def test_no_stray_outputs_and_numbered_figures(built):
    html = (built["out"] / "acme" / "report.html").read_text(encoding="utf-8")
    assert "a stray print" not in html and "careful" not in html and "object at 0x" not in html
    assert re.findall(r'<span class="fignum">(\d+)</span>', html) == ["1"]
    assert re.findall(r'<span class="tabnum">(\d+)</span>', html) == ["1"]
    assert "I. Strategy" in html and "II. Satisfaction measurement" in html


def test_a_run_killed_while_writing_leaves_the_previous_report_whole(built, tmp_path, monkeypatch):
    import shutil

    from orient.report import output

    shutil.copytree(built["out"] / "acme", tmp_path / "acme")  # a complete earlier report
    before = {p.name: p.read_bytes() for p in (tmp_path / "acme").iterdir()}
    real = output._write

    def dies_on_summary(path, data):
        if path.name == "summary.json":
            raise KeyboardInterrupt  # as if the run were killed here
        real(path, data)

    monkeypatch.setattr(output, "_write", dies_on_summary)  # where the new folder is written
    with pytest.raises(KeyboardInterrupt):
        report.build_company(
            built["company"], tmp_path, notebooks_dir=built["notebooks"], pdf=False
        )
    target = tmp_path / "acme"
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before  # the old one, whole
    assert not [p for p in tmp_path.iterdir() if ".new-" in p.name or ".old-" in p.name]


def test_a_failing_notebook_raises_report_error_and_writes_nothing(built, tmp_path):
    from test_report_support import notebook, write_notebooks

    nbs = write_notebooks(tmp_path / "nbs", {"01_strategy": notebook("1 / 0")})
    with pytest.raises(orient.ReportError) as info:
        report.build(built["company"], tmp_path / "out", notebooks_dir=nbs, pdf=False)
    assert info.value.notebook == "01_strategy" and info.value.cell == 4
    assert "ZeroDivisionError" in info.value.error
    assert not (tmp_path / "out" / "acme" / "report.html").exists()
