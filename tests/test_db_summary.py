"""One company from files and from a database: the same summary.json, and the database's
password in no output.

The database is filled by pandas/SQLAlchemy from the sample's CSV files (SQLite always;
PostgreSQL when ORIENT_PG_URL or ORIENT_TEST_PG_URL, from scripts/testdb.sh, names a
server). summary.json carries no file name, source or fingerprint field (checked
below), so the two summaries must be equal as they are.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pytest
import yaml

import orient
import orient.report
from orient import DataError
from orient.cli import main

sa = pytest.importorskip("sqlalchemy")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "companies" / "swiftpost"
TABLES = ("finance", "calls", "claims", "quality")
SECRET = "s3cret-Pa55"
#: summary.json fields that may name a source or a fingerprint: none today
SOURCE_FIELDS: set[str] = set()
SETTINGS = {"analysis.bootstrap": 0}  # the same for both loads; keeps the test short


def _summary(folder: Path) -> dict:
    company = orient.load_company(folder, SETTINGS)
    return json.loads(orient.report.summary_json(orient.report.summarise(company)))


def _without(d, fields: set[str]):
    if isinstance(d, dict):
        return {k: _without(v, fields) for k, v in d.items() if k not in fields}
    if isinstance(d, list):
        return [_without(v, fields) for v in d]
    return d


@pytest.fixture(scope="module")
def from_files(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("files") / "swiftpost"
    shutil.copytree(SAMPLE, folder)
    return _summary(folder)


def _fill(engine, prefix: str, schema: str | None = None) -> None:
    with engine.begin() as con:
        for name in ("survey", *TABLES):
            frame = pd.read_csv(SAMPLE / f"{name}.csv")  # typed by pandas, blanks NULL
            frame.to_sql(f"{prefix}{name}", con, schema=schema, index=False)


def _db_folder(tmp_path: Path, source: dict, prefix: str) -> Path:
    """The sample's company.yaml with the survey and every table read from ``source``
    (``{"file": url}`` or ``{"url_env": NAME}``)."""
    folder = tmp_path / "swiftpost"
    folder.mkdir()
    raw = yaml.safe_load((SAMPLE / "company.yaml").read_text(encoding="utf-8"))
    survey = raw["survey"]
    survey.pop("file", None)
    file = source.get("file")
    read = {k: v for k, v in source.items() if k != "file"}
    if file:
        survey["file"] = file
    survey["read"] = {**read, "table": f"{prefix}survey"}
    raw["tables"] = {
        name: ({"file": file} if file else {}) | {"read": {**read, "table": f"{prefix}{name}"}}
        for name in TABLES
    }
    (folder / "company.yaml").write_text(
        yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return folder


def test_summary_json_has_no_source_or_fingerprint_field(from_files):
    text = json.dumps(from_files)
    for word in ("survey.csv", "calls.csv", ".csv", "fingerprint", "sqlite"):
        assert word not in text


def test_sqlite_gives_the_summary_of_the_files(tmp_path, from_files):
    folder = _db_folder(tmp_path, {"file": "sqlite:///client.db"}, "")
    engine = sa.create_engine(f"sqlite:///{folder / 'client.db'}")
    _fill(engine, "")
    engine.dispose()
    company = orient.load_company(folder, SETTINGS)
    assert company.files["survey"].endswith("(table survey)")
    assert _without(_summary(folder), SOURCE_FIELDS) == _without(from_files, SOURCE_FIELDS)


def _pg_url() -> str:
    url = os.environ.get("ORIENT_PG_URL") or os.environ.get("ORIENT_TEST_PG_URL")
    if not url:
        if os.environ.get("ORIENT_REQUIRE_PG") == "1":
            pytest.fail("ORIENT_REQUIRE_PG=1 but no PostgreSQL server (ORIENT_TEST_PG_URL)")
        pytest.skip("no PostgreSQL server (scripts/testdb.sh start sets ORIENT_TEST_PG_URL)")
    return url


def _with_password(url: str) -> str:
    """The URL with a password: a trust-authenticated test server ignores it, so it
    reaches every place a real one would."""
    u = sa.engine.make_url(url)
    return u.set(password=SECRET).render_as_string(hide_password=False)


@pytest.fixture
def pg(monkeypatch):
    url = _pg_url()
    engine = sa.create_engine(url)
    schema = f"orient_{uuid.uuid4().hex[:10]}"
    with engine.begin() as con:
        con.execute(sa.text(f'create schema "{schema}"'))
    try:
        _fill(engine, "", schema)
        monkeypatch.setenv("ORIENT_INTAKE_DB", _with_password(url))
        yield schema
    finally:
        with engine.begin() as con:
            con.execute(sa.text(f'drop schema if exists "{schema}" cascade'))
        engine.dispose()


def test_postgresql_gives_the_summary_of_the_files_and_never_shows_the_password(
    tmp_path, from_files, pg, capsys, caplog
):
    folder = _db_folder(tmp_path, {"url_env": "ORIENT_INTAKE_DB"}, f"{pg}.")
    caplog.set_level(logging.DEBUG)
    summary = _summary(folder)
    assert _without(summary, SOURCE_FIELDS) == _without(from_files, SOURCE_FIELDS)
    company = orient.load_company(folder, SETTINGS)
    shown = [*company.files.values(), *company.read_info, *map(str, company.read_info.values())]
    assert "***" in company.files["survey"]
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr()
    texts = [json.dumps(summary), out.out, out.err, caplog.text, *shown]
    assert not [t for t in texts if SECRET in t]
    # a failed connection names the source without the password
    bad = sa.engine.make_url(os.environ["ORIENT_INTAKE_DB"]).set(port=1)
    os.environ["ORIENT_INTAKE_DB"] = bad.render_as_string(hide_password=False)
    with pytest.raises(DataError) as err:
        orient.load_company(folder)
    assert "could not read the database" in str(err.value) and SECRET not in str(err.value)
    assert main(["validate", str(folder)]) == 1
    assert SECRET not in capsys.readouterr().err


@pytest.mark.slow
def test_report_from_postgresql_with_set_holds_no_password(tmp_path, pg, capsys):
    folder = _db_folder(tmp_path, {"url_env": "ORIENT_INTAKE_DB"}, f"{pg}.")
    out = tmp_path / "reports"
    argv = ["report", str(folder), "-o", str(out), "--no-pdf"]
    argv += ["--set", "analysis.bootstrap=0", "--set", "name=Swift DB"]
    assert main(argv) == 0, capsys.readouterr().err
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.name == "report.html" for p in written)
    for p in written:
        assert SECRET.encode() not in p.read_bytes(), p
    # the kernel's notebooks loaded the company with the settings: the summary has the name
    summary = json.loads((out / "swiftpost" / "summary.json").read_text(encoding="utf-8"))
    assert summary["company"]["name"] == "Swift DB"
