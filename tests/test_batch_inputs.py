"""What a Dask worker is sent: company.yaml and the files it names, as bytes, and nothing
else of the company folder; a sent path never leaves the worker's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from orient import batch
from orient.errors import DataError

ROOT = Path(__file__).resolve().parents[1]


def _northsteel(tmp_path: Path) -> Path:
    folder = tmp_path / "northsteel"
    shutil.copytree(ROOT / "data" / "companies" / "northsteel", folder)
    return folder


def _edit(folder: Path, change) -> None:
    path = folder / "company.yaml"
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(profile)
    path.write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")


def test_the_inputs_are_the_named_files_as_bytes(tmp_path):
    folder = _northsteel(tmp_path)
    (folder / "notes.txt").write_text("the analyst's own notes\n")
    sent = batch.company_inputs(folder)
    on_disk = {p.name for p in folder.iterdir()} - {"notes.txt"}
    assert set(sent) == on_disk  # company.yaml, survey.csv and the three tables
    for name, data in sent.items():
        assert data == (folder / name).read_bytes()


def test_a_conjoint_file_is_an_input(tmp_path):
    folder = _northsteel(tmp_path)
    before = batch.inputs_hash(folder)
    (folder / "conjoint.csv").write_text("respondent_id,task,rating\n")
    _edit(folder, lambda p: p["conjoint"].update(file="conjoint.csv"))
    assert "conjoint.csv" in batch.company_inputs(folder)
    named = batch.inputs_hash(folder)
    assert named != before
    (folder / "conjoint.csv").write_text("respondent_id,task,rating\nr1,1,5\n")
    assert batch.inputs_hash(folder) != named  # a changed conjoint file: a rebuild


def test_a_sqlite_file_in_the_folder_is_an_input_other_databases_are_not(tmp_path):
    folder = _northsteel(tmp_path)
    (folder / "crm.db").write_bytes(b"SQLite format 3\0")

    def calls_from(url):
        return lambda p: p.setdefault("tables", {}).update(
            calls={"file": url, "read": {"table": "calls"}}
        )

    _edit(folder, calls_from("sqlite:///crm.db"))
    assert "crm.db" in batch.company_inputs(folder)
    _edit(folder, calls_from(f"sqlite:///{folder / 'crm.db'}"))
    assert "crm.db" not in batch.company_inputs(folder)  # absolute: read where it is
    _edit(folder, calls_from("postgresql://db.example/crm"))
    assert "crm.db" not in batch.company_inputs(folder)


@pytest.mark.parametrize("name", ["../escape.csv", "/etc/escape.csv", "a/../../escape.csv"])
def test_a_sent_path_never_leaves_the_workers_folder(tmp_path, name):
    root = tmp_path / "inputs" / "acme"
    root.mkdir(parents=True)
    with pytest.raises(DataError, match="leaves its folder"):
        batch._write_tree(root, {name: b"x"})
    assert (
        not (tmp_path / "escape.csv").exists() and not (tmp_path / "inputs" / "escape.csv").exists()
    )


def test_sent_files_are_written_with_their_sub_folders(tmp_path):
    batch._write_tree(tmp_path, {"company.yaml": b"name: x\n", "exports/survey.csv": b"a\n1\n"})
    assert (tmp_path / "exports" / "survey.csv").read_bytes() == b"a\n1\n"
    assert (tmp_path / "company.yaml").read_bytes() == b"name: x\n"
