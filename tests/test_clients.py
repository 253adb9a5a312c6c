"""Clients without a survey, and operational tables in the client's own shape.

The numbers are checked against counts made here from the CSV with plain pandas, never
against orient's own output.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import orient
from orient.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
COBALT = ROOT / "data" / "companies" / "cobalt-software"
SURVEY_STAGES = ("strategy", "satisfaction", "priorities", "implementation")
TITLES = ("I. Strategy", "II. Satisfaction measurement", "III. Analysis and priorities")


def _folder(tmp_path: Path, yaml_text: str, **files: Path) -> Path:
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "company.yaml").write_text(yaml_text, encoding="utf-8")
    for name, src in files.items():
        shutil.copy(src, folder / name)
    return folder


@pytest.fixture
def deals_only(tmp_path):
    return _folder(tmp_path, "name: Deals Only Ltd\n", **{"deals.csv": COBALT / "deals.csv"})


# --- 1. no survey ---------------------------------------------------------------------------


def test_deals_only_company_loads_without_survey(deals_only):
    company = orient.load_company(deals_only)
    assert company.survey is None and not company.has_survey
    assert company.attributes == [] and company.segments == [] and company.weights is None
    raw = pd.read_csv(COBALT / "deals.csv")
    assert len(company.deals) == len(raw)
    facts = dict(orient.company.overview(company).itertuples(index=False))
    assert facts["Survey file"] == "not provided"
    assert facts["Table: deals"] == f"deals.csv ({len(raw)} rows)"


def test_nothing_at_all_is_an_error(tmp_path):
    folder = _folder(tmp_path, "name: Empty\n")
    with pytest.raises(DataError, match="nothing to report") as err:
        orient.load_company(folder)
    assert "deals.csv" in str(err.value)


def test_goal_attributes_without_survey_are_refused(tmp_path):
    text = (
        "name: X\nqfd:\n  characteristics: {otif: {label: OTIF}}\n"
        "  relationships: {delivery: {otif: 9}}\n"
    )
    folder = _folder(tmp_path, text, **{"deals.csv": COBALT / "deals.csv"})
    with pytest.raises(DataError, match="there is no survey"):
        orient.load_company(folder)


def test_stages_without_survey_are_missing_data_and_crm_runs(deals_only):
    from orient import stages

    company = orient.load_company(deals_only)
    out = stages.run(company)
    for name in SURVEY_STAGES:
        assert out[name].status == "missing_data"
        assert out[name].missing == ("survey",)
    assert out["crm"].status == "ok"
    raw = pd.read_csv(COBALT / "deals.csv")
    outcome = raw["outcome"].str.lower()
    won, lost = int((outcome == "won").sum()), int((outcome == "lost").sum())
    assert out["crm"].headline["deals"] == len(raw)
    assert out["crm"].headline["win_rate"] == pytest.approx(won / (won + lost))


def test_summary_of_deals_only_matches_the_schema(deals_only):
    jsonschema = pytest.importorskip("jsonschema")
    from orient.report.summary import summarise, summary_json

    summary = json.loads(summary_json(summarise(orient.load_company(deals_only))))
    schema = json.loads((ROOT / "orient" / "schemas" / "summary.schema.json").read_text())
    jsonschema.validate(summary, schema, cls=jsonschema.Draft202012Validator)
    assert summary["base"]["respondents"] is None
    assert summary["stages"]["strategy"] == {
        "status": "missing_data",
        "headline": None,
        "error": None,
        "warnings": [],
        "missing": ["survey"],
    }
    bad = json.loads(json.dumps(summary))
    del bad["stages"]["strategy"]["missing"]  # missing_data must say what is missing
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)


def test_missing_data_note_names_the_stages_in_report_order():
    from orient.report.texts import missing_data_notes

    notes = missing_data_notes({"satisfaction": ["survey"], "crm": [], "strategy": ["survey"]})
    assert notes == [
        "II. Satisfaction measurement, I. Strategy: not in this report, because there is "
        "no customer survey (company.yaml has no survey: section)."
    ]
    (ru,) = missing_data_notes({"strategy": ["survey"]}, "ru")
    assert "опроса" in ru and "Strategy" not in ru


def test_validate_says_which_stages_are_left_out(deals_only, capsys):
    from orient.cli import main

    assert main(["validate", str(deals_only)]) == 0
    out = capsys.readouterr().out
    assert (
        "I. Strategy, II. Satisfaction measurement, III. Analysis and priorities, "
        "IV. Implementation: not in this report, because there is no customer survey" in out
    )


def test_stages_for_leaves_out_the_survey_notebooks(deals_only):
    from orient.report.builder import stage_notebooks, stages_for

    company = orient.load_company(deals_only)
    assert [s for _, s, _ in stages_for(company, stage_notebooks())] == ["operations"]
    full = orient.load_company(COBALT)
    assert len(stages_for(full, stage_notebooks())) == 5


def _text(html_text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_text))


@pytest.mark.slow
def test_deals_only_report_end_to_end(deals_only, tmp_path):
    from orient.report import build

    html_path = build(deals_only, tmp_path / "out", pdf=False)
    folder = html_path.parent
    assert sorted(p.name for p in folder.glob("*.ipynb")) == ["05_operations.ipynb"]
    page = html_path.read_text(encoding="utf-8")
    toc = _text(page[page.index('id="contents"') : page.index("</nav>")])
    for title in (*TITLES, "IV. Implementation"):
        assert title not in toc
    assert "Sales pipeline" in toc
    summary_part = _text(page[page.index('id="executive-summary"') : page.index('id="contents"')])
    assert (
        "I. Strategy, II. Satisfaction measurement, III. Analysis and priorities, "
        "IV. Implementation: not in this report, because there is no customer survey"
    ) in summary_part
    n = len(pd.read_csv(COBALT / "deals.csv"))
    assert f"deals.csv: {n} rows" in _text(page[: page.index('id="executive-summary"')])
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert {k for k, v in summary["stages"].items() if v["status"] == "missing_data"} == set(
        SURVEY_STAGES
    )


@pytest.mark.slow
def test_tables_only_companies_through_batch(tmp_path):
    from orient.batch import run

    root = tmp_path / "companies"
    root.mkdir()
    deals = root / "deals-co"
    deals.mkdir()
    (deals / "company.yaml").write_text("name: Deals Co\n", encoding="utf-8")
    shutil.copy(COBALT / "deals.csv", deals / "deals.csv")
    claims = root / "claims-co"
    claims.mkdir()
    (claims / "company.yaml").write_text("name: Claims Co\n", encoding="utf-8")
    shutil.copy(ROOT / "data" / "companies" / "swiftpost" / "claims.csv", claims / "claims.csv")
    table = run(root, tmp_path / "out", workers=1, progress=False, pdf=False)
    assert set(table["status"]) == {"ok"}, table.to_dict("records")
    for slug in ("deals-co", "claims-co"):
        assert (tmp_path / "out" / slug / "report.html").is_file()
