"""The stage notebooks and lessons as package data: found, complete, runnable without a folder."""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest
from test_report_support import notebook, write_notebooks

import orient
from orient import report
from orient.cli import main
from orient.report import builder

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_NOTEBOOKS = ROOT / "orient" / "notebooks"
ALL = sorted(PACKAGE_NOTEBOOKS.glob("*.ipynb")) + sorted(PACKAGE_NOTEBOOKS.glob("lessons/*.ipynb"))


def test_the_stage_notebooks_are_package_data():
    assert report.default_notebooks_dir() == PACKAGE_NOTEBOOKS
    stages = report.stage_notebooks()
    assert [stem for stem, _, _ in stages] == [stem for stem, _ in report.NOTEBOOKS]
    assert all(path.parent == PACKAGE_NOTEBOOKS for _, _, path in stages)
    assert not (ROOT / "notebooks").exists()  # one copy only


def _shipped_without(tmp_path, monkeypatch, stem):
    folder = write_notebooks(
        tmp_path / "shipped", {s: notebook("1") for s, _ in report.NOTEBOOKS if s != stem}
    )
    monkeypatch.setattr(builder, "default_notebooks_dir", lambda: folder)  # where it is looked up
    return folder / f"{stem}.ipynb"


def test_a_missing_stage_notebook_is_a_report_error_naming_the_file(tmp_path, monkeypatch):
    missing = _shipped_without(tmp_path, monkeypatch, "03_priorities")
    with pytest.raises(orient.ReportError, match="03_priorities.ipynb") as info:
        report.build(ROOT / "data" / "companies" / "swiftpost", tmp_path / "out")
    assert info.value.notebook == "03_priorities" and str(missing) in str(info.value)
    assert not (tmp_path / "out").exists()  # refused before anything is written


def test_orient_report_fails_on_a_missing_stage_notebook(tmp_path, monkeypatch, capsys):
    missing = _shipped_without(tmp_path, monkeypatch, "05_operations")
    rc = main(
        [
            "report",
            str(ROOT / "data" / "companies" / "swiftpost"),
            "-o",
            str(tmp_path / "out"),
            "--no-pdf",
        ]
    )
    err = capsys.readouterr().err
    assert rc == 1
    assert err.startswith("error: the stage notebook") and str(missing) in err


def test_a_notebooks_folder_of_ones_own_may_hold_some_stages_but_not_none(tmp_path):
    some = write_notebooks(tmp_path / "some", {"02_satisfaction": notebook("1")})
    assert [stem for stem, _, _ in report.stage_notebooks(some)] == ["02_satisfaction"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(orient.ReportError, match="holds none of the stage notebooks"):
        report.stage_notebooks(tmp_path / "empty")
    with pytest.raises(orient.ReportError, match="does not exist"):
        report.stage_notebooks(tmp_path / "nowhere")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_notebooks_default_to_the_bundled_sample(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    first = code[0].splitlines()[0]
    assert first.startswith('company_dir: str = ""  # company folder; empty: the bundled sample ')
    slug = first.rsplit(" ", 1)[-1]
    assert slug in orient.synth.SAMPLES
    assert "output_dir" not in code[0]  # nothing used it
    loads = [c for c in code if "orient.load_company(" in c]
    assert f'orient.load_company(company_dir or sample_company_dir("{slug}"))' in loads[0]
    assert "from orient.report import sample_company_dir" in loads[0]


def test_the_sample_is_written_once_and_is_the_committed_one(tmp_path):
    folder = report.sample_company_dir("swiftpost", cache_dir=tmp_path)
    assert folder.parent.parent == tmp_path / "samples" and folder.name == "swiftpost"
    committed = ROOT / "data" / "companies" / "swiftpost"
    names = sorted(p.name for p in committed.iterdir())
    assert sorted(p.name for p in folder.iterdir()) == names
    assert filecmp.cmpfiles(committed, folder, names, shallow=False)[0] == names  # same bytes
    stamp = (folder / "company.yaml").stat().st_mtime_ns
    assert report.sample_company_dir("swiftpost", cache_dir=tmp_path) == folder
    assert (folder / "company.yaml").stat().st_mtime_ns == stamp  # not written again
    assert [p.name for p in folder.parent.iterdir()] == ["swiftpost"]  # no temporary left


def test_the_sample_cache_follows_the_environment(tmp_path, monkeypatch):
    from orient.report import sample

    monkeypatch.setenv("ORIENT_CACHE_DIR", str(tmp_path / "c"))
    assert sample._cache_root() == tmp_path / "c"
    monkeypatch.delenv("ORIENT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert sample._cache_root() == tmp_path / "x" / "orient"


def test_an_unknown_sample_is_refused(tmp_path):
    with pytest.raises(ValueError, match="`slug` must be one of 'northsteel'"):
        report.sample_company_dir("acme", cache_dir=tmp_path)
