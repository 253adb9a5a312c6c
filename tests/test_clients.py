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
    facts = dict(orient.data.overview(company).itertuples(index=False))
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
    assert f"deals.csv ({n} rows)" in _text(page[: page.index('id="executive-summary"')])
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


# --- 2. a CRM export in its own shape -------------------------------------------------------

#: the export's stage names (a Maven-style pipeline) for cobalt's stages
EXPORT_STAGE = {
    "Lead": "Prospecting",
    "Qualified": "Qualifying",
    "Proposal": "Engaging",
    "Negotiation": "Negotiating",
    "Won": "Won",
    "Lost": "Lost",
}
PIPELINE_YAML = """\
name: Pipeline Co
tables:
  deals:
    file: pipeline.csv
    columns: {deal_id: opportunity_id, manager: sales_agent, stage: deal_stage,
              created: engage_date, closed: close_date, amount: close_value, client: account}
crm:
  stages: [Lead, Qualified, Proposal, Negotiation]
  stage_values: {Won: won, Lost: lost, Prospecting: Lead, Qualifying: Qualified,
                 Engaging: Proposal, Negotiating: Negotiation}
"""


def _pipeline_export(tmp_path: Path, yaml_text: str = PIPELINE_YAML, edit=None) -> Path:
    """cobalt's deals written as a CRM exports them: its own column and stage names, no
    outcome column, no amount on open deals."""
    raw = pd.read_csv(COBALT / "deals.csv")
    export = pd.DataFrame(
        {
            "opportunity_id": raw["deal_id"],
            "sales_agent": raw["manager"],
            "account": raw["client"],
            "deal_stage": raw["stage"].map(EXPORT_STAGE),
            "engage_date": raw["created"],
            "close_date": raw["closed"],
            "close_value": raw["planned_amount"].where(raw["outcome"] != "open"),
            "product": "GTX Pro",
        }
    )
    if edit is not None:
        edit(export)
    folder = _folder(tmp_path, yaml_text)
    export.to_csv(folder / "pipeline.csv", index=False)
    return folder


def test_pipeline_export_with_its_own_columns_and_stages(tmp_path):
    company = orient.load_company(_pipeline_export(tmp_path))
    raw = pd.read_csv(COBALT / "deals.csv")
    d = company.deals
    assert list(d["deal_id"]) == list(raw["deal_id"])
    assert list(d["outcome"]) == list(raw["outcome"])  # derived from the stage names alone
    is_open = raw["outcome"] == "open"
    assert list(d.loc[is_open, "stage"]) == list(raw.loc[is_open, "stage"])
    assert d.loc[is_open, "planned_amount"].isna().all()
    assert "product" in d.columns  # columns not mapped are kept as they are
    head = orient.stages.run(company, ["crm"])["crm"].headline
    won, lost = int((raw["outcome"] == "won").sum()), int((raw["outcome"] == "lost").sum())
    assert head["deals"] == len(raw)
    assert head["win_rate"] == pytest.approx(won / (won + lost))
    funnel = orient.crm.analyse(company).funnel.set_index("stage")["reached"]
    assert funnel["Lead"] == len(raw)  # every deal reached the first stage
    assert funnel["won"] == won
    # reached Negotiation: open there now, plus every won deal (lost ones: stage unknown)
    assert funnel["Negotiation"] == int((raw["stage"] == "Negotiation").sum()) + won


def test_unknown_stage_values_are_listed(tmp_path):
    def edit(export):
        export.loc[5, "deal_stage"] = "On hold"
        export.loc[9, "deal_stage"] = "Closed"

    with pytest.raises(DataError) as err:
        orient.load_company(_pipeline_export(tmp_path, edit=edit))
    e = err.value
    assert (e.file, e.column, e.row) == ("pipeline.csv", "deal_stage", 7)
    assert "'Closed', 'On hold'" in e.problem


def test_errors_name_the_exports_column(tmp_path):
    def edit(export):
        export["close_value"] = export["close_value"].astype(object)
        export.loc[3, "close_value"] = "twelve"

    with pytest.raises(DataError) as err:
        orient.load_company(_pipeline_export(tmp_path, edit=edit))
    assert (err.value.column, err.value.row, err.value.value) == ("close_value", 5, "twelve")


def test_a_blank_amount_on_a_closed_deal_names_the_exports_column(tmp_path):
    raw = pd.read_csv(COBALT / "deals.csv")
    first_won = int(raw.index[raw["outcome"] == "won"][0])

    def edit(export):
        export.loc[first_won, "close_value"] = None

    with pytest.raises(DataError, match="required value is blank") as err:
        orient.load_company(_pipeline_export(tmp_path, edit=edit))
    assert (err.value.column, err.value.row) == ("close_value", first_won + 2)


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("client: account", "client: customer", "customer"),  # not in the export
        ("client: account", "clientele: account", "tables.deals.columns.clientele"),
    ],
)
def test_bad_column_mappings(tmp_path, old, new, column):
    folder = _pipeline_export(tmp_path, PIPELINE_YAML.replace(old, new))
    with pytest.raises(DataError) as err:
        orient.load_company(folder)
    assert err.value.column == column


def test_an_export_column_mapped_twice_is_refused(tmp_path):
    text = PIPELINE_YAML.replace("client: account", "client: sales_agent")
    with pytest.raises(DataError, match="mapped twice"):
        orient.load_company(_pipeline_export(tmp_path, text))


def test_stage_values_and_an_outcome_column_together_are_refused(tmp_path):
    def edit(export):
        export["status"] = "open"

    text = PIPELINE_YAML.replace("client: account", "client: account, outcome: status")
    with pytest.raises(DataError, match="either the outcome column or crm.stage_values") as e:
        orient.load_company(_pipeline_export(tmp_path, text, edit=edit))
    assert e.value.column == "status"


def test_stage_values_must_target_a_known_stage(tmp_path):
    text = PIPELINE_YAML.replace("Engaging: Proposal", "Engaging: Offer")
    with pytest.raises(DataError, match="'Offer', which is neither won, lost nor one of"):
        orient.load_company(_pipeline_export(tmp_path, text))


def test_open_deals_outside_crm_stages_are_an_error_at_load(tmp_path):
    raw = pd.read_csv(COBALT / "deals.csv")
    i = int(raw.index[raw["outcome"] == "open"][0])
    raw.loc[i, "stage"] = "Demo"
    folder = _folder(tmp_path, "name: X\ncrm: {stages: [Lead, Qualified, Proposal, Negotiation]}\n")
    raw.to_csv(folder / "deals.csv", index=False)
    with pytest.raises(
        DataError, match="open deals at stage\\(s\\) not in crm.stages: 'Demo'"
    ) as e:
        orient.load_company(folder)
    assert (e.value.column, e.value.row) == ("stage", i + 2)


# --- 3. a complaints register (the CFPB's shape) as the claims table -----------------------

CFPB_YAML = """\
name: Complaints Co
tables:
  claims:
    file: complaints.csv
    columns:
      claim_id: Complaint ID
      received: Date received
      category: Product
      response: Company response to consumer
      timely: "Timely response?"
      disputed: "Consumer disputed?"
"""
RESPONSES = ["Closed with explanation", "Closed with monetary relief", "In progress"]


def _cfpb(n: int = 240) -> pd.DataFrame:
    """A register in the CFPB's columns, its values made by a fixed rule."""
    i = pd.RangeIndex(n)
    return pd.DataFrame(
        {
            "Date received": (pd.Timestamp("2025-01-01") + pd.to_timedelta(i % 300, "D")).strftime(
                "%Y-%m-%d"
            ),
            "Product": [["Mortgage", "Credit card", "Debt collection"][k % 3] for k in i],
            "Issue": "Trouble during payment process",
            "Company": "Example Bank",
            "Company response to consumer": [RESPONSES[(k * 7) % 3] for k in i],
            "Timely response?": ["No" if k % 11 == 0 else "Yes" for k in i],
            "Consumer disputed?": [
                "N/A" if k % 4 == 0 else ("Yes" if k % 5 == 0 else "No") for k in i
            ],
            "Date sent to company": "2025-12-31",
            "Complaint ID": [f"{3000000 + k}" for k in i],
        }
    )


@pytest.fixture
def cfpb_folder(tmp_path):
    folder = _folder(tmp_path, CFPB_YAML)
    _cfpb().to_csv(folder / "complaints.csv", index=False)
    return folder


def test_complaints_register_as_claims(cfpb_folder):
    from statsmodels.stats.proportion import proportion_confint

    raw = _cfpb()
    company = orient.load_company(cfpb_folder)
    svc = orient.service.analyse(company)
    assert not svc.claims_resolution_recorded
    assert svc.resolution is None and svc.claims_backlog is None
    head = orient.service.headline(svc)
    assert head["claims_n"] == len(raw)
    assert head["claims_open"] is None  # not recorded: never "every complaint still open"
    assert head["claims_median_days"] is None and head["claims_settled_ratio"] is None
    assert svc.claims_by_category["open"].isna().all()
    assert svc.claims_monthly["open_end"].isna().all()
    timely = raw["Timely response?"] == "Yes"
    assert head["claims_timely_n"] == len(raw)
    assert head["claims_timely_share"] == pytest.approx(timely.mean())
    lo, hi = proportion_confint(int(timely.sum()), len(raw), alpha=0.05, method="wilson")
    assert (head["claims_timely_ci_low"], head["claims_timely_ci_high"]) == pytest.approx((lo, hi))
    recorded = raw["Consumer disputed?"] != "N/A"  # N/A: not recorded, not a no
    disputed = raw["Consumer disputed?"] == "Yes"
    assert head["claims_disputed_n"] == int(recorded.sum())
    assert head["claims_disputed_share"] == pytest.approx(disputed.sum() / recorded.sum())
    resp = svc.claims_status[svc.claims_status["field"] == "response"].set_index("value")
    expected = raw["Company response to consumer"].value_counts()
    assert resp["count"].to_dict() == expected.to_dict()
    assert resp["share"].sum() == pytest.approx(1.0)


def test_complaint_sentences_say_resolution_is_not_recorded(cfpb_folder):
    svc = orient.service.analyse(orient.load_company(cfpb_folder))
    from orient.operations.service.display import claims_not_recorded

    notes = claims_not_recorded(svc)
    assert any("records no resolution dates" in n and "still open" in n for n in notes)
    lines = orient.service.claims_status_sentences(svc.claims_status, "en")
    raw = _cfpb()
    share = (raw["Timely response?"] == "Yes").mean() * 100
    assert lines[0].startswith(f"Answered on time: {share:.1f}% of the {len(raw)} complaints")
    assert all("still open" not in line for line in lines)


def test_a_yes_no_field_with_another_word_names_the_exports_column(tmp_path):
    folder = _folder(tmp_path, CFPB_YAML)
    raw = _cfpb()
    raw.loc[6, "Timely response?"] = "Maybe"
    raw.to_csv(folder / "complaints.csv", index=False)
    with pytest.raises(DataError, match="not a yes/no value") as err:
        orient.load_company(folder)
    assert (err.value.column, err.value.row) == ("Timely response?", 8)


@pytest.mark.slow
def test_complaints_only_report_end_to_end(cfpb_folder, tmp_path):
    from orient.report import build

    page = _text(build(cfpb_folder, tmp_path / "out", pdf=False).read_text(encoding="utf-8"))
    assert "records no resolution dates" in page
    assert "Answered on time:" in page and "Disputed by the consumer:" in page
    assert "not in this report, because there is no customer survey" in page


# --- a lookup joined by key (a price list) ---------------------------------------------------

JOIN_YAML = PIPELINE_YAML.replace(
    "    file: pipeline.csv\n",
    "    file: pipeline.csv\n    join: {file: products.csv, on: product}\n",
).replace("amount: close_value", "amount: sales_price")
PRODUCTS = pd.DataFrame({"product": ["GTX Pro", "MG Special"], "sales_price": [4821.0, 55.0]})


def _with_products(tmp_path, products=PRODUCTS, edit=None):
    folder = _pipeline_export(tmp_path, JOIN_YAML, edit=edit)
    products.to_csv(folder / "products.csv", index=False)
    return folder


def test_a_price_list_joined_by_product(tmp_path):
    def edit(export):
        export.loc[export.index % 2 == 1, "product"] = "MG Special"

    company = orient.load_company(_with_products(tmp_path, edit=edit))
    d = company.deals
    price = {"GTX Pro": 4821.0, "MG Special": 55.0}
    assert list(d["planned_amount"]) == [price[p] for p in d["product"]]
    assert len(d) == len(pd.read_csv(COBALT / "deals.csv"))


def test_keys_missing_from_the_lookup_are_listed(tmp_path):
    def edit(export):
        export.loc[4, "product"] = "GTK 500"

    with pytest.raises(DataError, match="1 key\\(s\\) not in products.csv: 'GTK 500'") as err:
        orient.load_company(_with_products(tmp_path, edit=edit))
    assert (err.value.file, err.value.column, err.value.row) == ("pipeline.csv", "product", 6)


def test_a_key_twice_in_the_lookup_is_refused(tmp_path):
    twice = pd.concat([PRODUCTS, PRODUCTS.iloc[[0]]], ignore_index=True)
    with pytest.raises(DataError, match="key appears twice") as err:
        orient.load_company(_with_products(tmp_path, products=twice))
    assert (err.value.file, err.value.row) == ("products.csv", 4)
