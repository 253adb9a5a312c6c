"""`orient validate` ok means `orient report` succeeds (issue 13, "valid, then the whole
report fails"), and no note or caution is lost on the way.

Every case starts from the sample company swiftpost (as `orient sample` writes it) and
mutates its files. A mutation either is a DataError at validate naming the file and column
(the columns are the ones the mutation broke, written here, not read from the code), or
validates and then runs: at the stage level for every mutation (no stage ``error``; the
stages left out are the ones the survey's counts, taken here from the raw CSV, say), and as
a full report (``--no-pdf``, slow) for three groups that cover the notebooks' paths.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import warnings
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml

import orient
from orient import cli
from orient.errors import OrientWarning, ReportError
from orient.synth.samples import SAMPLES, make_company

SURVEY_STAGES = ("strategy", "satisfaction", "priorities", "implementation")
#: no bootstrap at the stage level: the statuses do not depend on it
QUICK = {"priorities": {"n_boot": 0}, "satisfaction": {"n_boot": 0}}
NOT_ATTRIBUTES = {"q_overall", "q_expectations", "q_ideal", "q_recommend", "q_repurchase"}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    business, seed = SAMPLES["swiftpost"]
    folder = tmp_path_factory.mktemp("sample") / "swiftpost"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        make_company(folder, seed=seed, business=business)
    return folder


def mutate(base: Path, tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(base, folder)
    survey = pd.read_csv(folder / "survey.csv", dtype=str, keep_default_na=False)
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    changed = MUTATIONS[name](survey, profile, folder)
    if changed is not False:
        survey = survey if changed is None else changed
        survey.to_csv(folder / "survey.csv", index=False)
    (folder / "company.yaml").write_text(
        yaml.safe_dump(profile, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return folder


# --- the mutations -------------------------------------------------------------------------


def _constant(s, p, d):
    s["q_tracking"] = "7"


def _identical(s, p, d):
    s["q_pickup"] = s["q_tracking"]


def _mirrored(s, p, d):  # 11 - x: not identical, perfectly collinear
    x = pd.to_numeric(s["q_tracking"], errors="coerce")
    s["q_pickup"] = (11 - x).map(lambda v: "" if pd.isna(v) else str(int(v)))
    s.loc[x.isna(), "q_pickup"] = s.loc[x.isna(), "q_tracking"]


def _first(n):
    return lambda s, p, d: s.iloc[:n]


def _first_13_min_base_5(s, p, d):
    p["reporting"]["min_base"] = 5
    return s.iloc[:13]


def _holes(s, p, d):  # 60 respondents, 50 of them skip one attribute each
    s = s.iloc[:60].copy()
    cols = [c for c in s.columns if c.startswith("q_") and c not in NOT_ATTRIBUTES]
    for i in range(50):
        s.iloc[i, s.columns.get_loc(cols[i % len(cols)])] = ""
    return s


def _blank_competitor(s, p, d):
    s["c_tracking"] = ""


def _blank_attribute(s, p, d):
    s["q_tracking"] = ""


def _blank_item(s, p, d):
    s["q_expectations"] = ""


def _one_overall(s, p, d):
    s["q_overall"] = "8"


def _quality_wrong_columns(s, p, d):
    (d / "quality.csv").write_text("a,b\n1,x\n2,y\n", encoding="utf-8")


def _quality_not_numeric(s, p, d):
    q = pd.read_csv(d / "quality.csv", dtype=str)
    q.loc[3, "defective"] = "lots"
    q.to_csv(d / "quality.csv", index=False)


def _notes(s, p, d):
    """A pandas index column, two trailing blank rows, a blank competitor column and a
    handle time over an hour on calls.csv row 6."""
    calls = pd.read_csv(d / "calls.csv", dtype=str)
    calls.loc[4, "aht_s"] = "4000"
    calls.to_csv(d / "calls.csv", index=False)
    s["c_tracking"] = ""
    s.to_csv(d / "survey.csv")  # index=True
    with open(d / "survey.csv", "a", encoding="utf-8") as fh:
        fh.write("," * len(s.columns) + "\n" + "," * len(s.columns) + "\n")
    return False


MUTATIONS = {
    "constant_attribute": _constant,
    "identical_attributes": _identical,
    "collinear_attributes": _mirrored,
    "one_overall_value": _one_overall,
    "blank_attribute": _blank_attribute,
    "blank_satisfaction_item": _blank_item,
    "quality_wrong_columns": _quality_wrong_columns,
    "quality_not_numeric": _quality_not_numeric,
    "respondents_1": _first(1),
    "respondents_2": _first(2),
    "respondents_5": _first(5),
    "respondents_13": _first(13),
    "respondents_13_min_base_5": _first_13_min_base_5,
    "few_complete_answers": _holes,
    "blank_competitor": _blank_competitor,
    "notes": _notes,
}

#: mutation -> (file, column, words of the error) for those validate refuses
REFUSED = {
    "constant_attribute": ("survey.csv", "q_tracking", "the same value (7)"),
    "identical_attributes": ("survey.csv", "q_pickup", "same answer on every row"),
    "collinear_attributes": ("survey.csv", "q_tracking", "perfectly collinear"),
    "one_overall_value": ("survey.csv", "q_overall", "the same value (8)"),
    "blank_attribute": ("survey.csv", "q_tracking", "no respondent rated this attribute"),
    "blank_satisfaction_item": ("survey.csv", "q_expectations", "no respondent answered"),
    "quality_wrong_columns": ("quality.csv", "subgroup", "required column not found"),
    "quality_not_numeric": ("quality.csv", "defective", "row 5: not a number"),
}


def _counts(folder: Path) -> tuple[int, int, int]:
    """Respondents with an overall rating, those who also rated every attribute, and the
    number of attributes: from the raw CSV and company.yaml, not from orient."""
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    sv = profile["survey"]
    raw = pd.read_csv(folder / "survey.csv", dtype=str, keep_default_na=False)
    own = [spec["own"] for spec in sv["attributes"].values()]

    def rated(col):
        return pd.to_numeric(raw[col], errors="coerce").notna()

    has_overall = rated(sv["overall"])
    complete = has_overall.copy()
    for col in own:
        complete &= rated(col)
    return int(has_overall.sum()), int(complete.sum()), len(own)


def _expected_left_out(folder: Path) -> dict[str, str]:
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    min_base = profile.get("reporting", {}).get("min_base", 30)
    n, complete, k = _counts(folder)
    if n < min_base:
        return dict.fromkeys(SURVEY_STAGES, "survey_base")
    if complete <= k + 1:
        return dict.fromkeys(("priorities", "implementation"), "complete_answers")
    return {}


def _validate(folder: Path, capsys) -> tuple[int, str, str]:
    code = cli.main(["validate", str(folder)])
    out, err = capsys.readouterr()
    return code, out, err


# --- validate, then the stages -------------------------------------------------------------


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_validate_then_every_stage_runs_or_says_why(name, base, tmp_path, capsys):
    folder = mutate(base, tmp_path, name)
    code, out, err = _validate(folder, capsys)
    if name in REFUSED:
        file, column, words = REFUSED[name]
        assert code == 1, out
        assert err.startswith(f"error: {file}, column '{column}'"), err
        assert words in err and "expected" in err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1
        return
    assert code == 0, err
    expected = _expected_left_out(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        company = orient.load_company(folder)
        outcomes = orient.stages.run(company, options=QUICK)
    assert {s: o.status for s, o in outcomes.items() if o.status == "error"} == {}
    left_out = {s: o.missing[0] for s, o in outcomes.items() if o.status == "missing_data"}
    assert left_out == expected
    for stage in set(orient.stages.STAGES) - set(expected):
        assert outcomes[stage].status == "ok", (stage, outcomes[stage])
    if expected:  # validate says which stages are left out, with the survey's numbers
        n, complete, k = _counts(folder)
        if "strategy" in expected:
            assert f"the number of respondents ({n}) is below the minimum base" in out
        else:
            assert f"rated every one of the {k} attributes ({complete}) is too small" in out
            assert f"(it needs more than {k + 1})" in out
            assert (
                f"II. Satisfaction measurement: Only {complete} respondents rated every one of "
                f"the {k} attributes: too few for the regression of the chain" in out
            )


def test_thin_survey_keeps_stage_two_without_the_chain(base, tmp_path):
    folder = mutate(base, tmp_path, "respondents_13_min_base_5")
    n, complete, k = _counts(folder)
    assert (n, k) == (13, 12) and complete <= k + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = orient.satisfaction.analyse(orient.load_company(folder), n_boot=0)
    assert result.chain is None
    assert (
        f"Only {complete} respondents rated every one of the {k} attributes: too few for "
        "the regression of the chain, which is left out." in result.notes
    )
    assert not any("Singular matrix" in note for note in result.notes)


def test_a_blank_competitor_column_leaves_only_that_attribute_without_it(base, tmp_path):
    folder = mutate(base, tmp_path, "blank_competitor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        company = orient.load_company(folder)
    comp = {a.key: a.competitor_column for a in company.attributes}
    assert comp["tracking"] is None
    assert all(v == f"{k}_competitor" for k, v in comp.items() if k != "tracking")
    assert (
        "survey.csv: column 'c_tracking' (a competitor rating) is blank on every row: that "
        "attribute is shown without the competitor" in company.notes()
    )


def test_a_survey_too_thin_to_analyse_is_not_refused_for_chance_agreement(base, tmp_path):
    # two respondents agree on many attributes by chance: not a constant-column error
    folder = mutate(base, tmp_path, "respondents_2")
    raw = pd.read_csv(folder / "survey.csv", dtype=str)
    raw["q_price"] = raw["q_tracking"] = "5"
    raw.to_csv(folder / "survey.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        company = orient.load_company(folder)
    assert orient.stages.missing_data(company, "priorities") == ("survey_base",)


# --- notes and warnings --------------------------------------------------------------------


def test_validate_lists_every_note_after_ok(base, tmp_path, capsys):
    folder = mutate(base, tmp_path, "notes")
    code, out, err = _validate(folder, capsys)
    assert code == 0, err
    assert "OrientWarning" not in err  # said once, under Notes, not as a Python warning
    notes = out.split("Notes:\n", 1)[1].split("Rows left out:")[0].splitlines()
    rows = 1500  # swiftpost's survey rows: data rows 2-1501, the blank ones 1502 and 1503
    assert notes == [
        "  survey.csv: rows 1502-1503 not used: blank rows at the end of the file",
        f"  survey.csv: column 1 not used: a row index as pandas writes it (no name, "
        f"0..{rows - 1})",
        "  survey.csv: column 'c_tracking' (a competitor rating) is blank on every row: that "
        "attribute is shown without the competitor",
        "  calls.csv, column 'aht_s', row 6: an average handle time over an hour (4000 s); "
        "check the unit is seconds",
    ]
    assert out.index("the company folder is valid") < out.index("Notes:")


def test_load_company_keeps_its_cautions_and_still_raises_them(base, tmp_path):
    folder = mutate(base, tmp_path, "notes")
    with pytest.warns(OrientWarning, match="an average handle time over an hour"):
        company = orient.load_company(folder)
    assert company.load_warnings == (
        "calls.csv, column 'aht_s', row 6: an average handle time over an hour (4000 s); "
        "check the unit is seconds",
    )
    assert company.notes()[-1] == company.load_warnings[0]


def test_a_plain_sample_has_no_notes(base, capsys):
    code, out, _ = _validate(base, capsys)
    assert code == 0 and "Notes:" not in out


def test_the_report_front_page_shows_the_notes(base, tmp_path):
    """render_html's notes section, without running the notebooks (a thin survey keeps
    the summary quick: only the operations areas run)."""
    from orient.report.render import render_html
    from orient.report.summary import summarise, summary_json

    folder = mutate(base, tmp_path, "notes")
    raw = pd.read_csv(folder / "survey.csv", dtype=str, index_col=0).iloc[:5]
    raw.to_csv(folder / "survey.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        company = orient.load_company(folder)
        html = render_html(company, summarise(company), [], date="2026-01-01")
    summary = summarise(company)
    assert summary["base"]["notes"] == company.notes()
    assert any("a row index as pandas writes it" in n for n in summary["base"]["notes"])
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = Path(orient.__file__).parent / "schemas" / "summary.schema.json"
    jsonschema.validate(
        json.loads(summary_json(summary)),
        json.loads(schema_file.read_text(encoding="utf-8")),
        cls=jsonschema.Draft202012Validator,
    )
    front = html.split('class="stage-notes"', 1)[1].split("</ul>", 1)[0]
    assert "Data: survey.csv: column 1 not used: a row index as pandas writes it" in front
    assert "Data: calls.csv, column &#39;aht_s&#39;, row 6: an average handle time" in front
    assert "the number of respondents (5) is below the minimum base of 30" in html


def test_the_russian_notes_and_reasons():
    from orient.i18n import texts
    from orient.report.texts import missing_data_notes

    assert texts("ru")["words"]["data_note"] == "Данные: {{ note }}"
    counts = {"respondents": 2, "complete": 2, "drivers": 12, "needed": 13, "min_base": 30}
    [note] = missing_data_notes({"priorities": ["survey_base"]}, "ru", counts)
    assert note == (
        "III. Анализ и приоритеты: не включены в отчёт, так как число респондентов (2) меньше "
        "минимальной базы 30 (reporting.min_base), с которой показываются показатели."
    )


# --- reporting.timeout_s -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words"),
    [(0, "greater than 0"), (-5, "greater than 0"), ("soon", "number"), (True, "number")],
)
def test_timeout_s_must_be_a_positive_number(value, words, base, tmp_path, capsys):
    folder = tmp_path / "co"
    shutil.copytree(base, folder)
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    profile["reporting"]["timeout_s"] = value
    (folder / "company.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    code, _, err = _validate(folder, capsys)
    assert code == 1
    assert "company.yaml" in err and "reporting.timeout_s" in err and words in err, err


def test_timeout_s_sets_the_cell_timeout_and_the_command_line_wins(base, tmp_path):
    from orient.report.builder import DEFAULT_CELL_TIMEOUT, cell_timeout

    folder = tmp_path / "co"
    shutil.copytree(base, folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = orient.load_company(folder)
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    profile["reporting"]["timeout_s"] = 45
    (folder / "company.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        company = orient.load_company(folder)
    assert cell_timeout(plain) == DEFAULT_CELL_TIMEOUT == 600
    assert cell_timeout(company) == 45.0
    assert cell_timeout(company, 12) == 12.0


@pytest.mark.slow
def test_timeout_s_stops_a_hung_cell(base, tmp_path):
    folder = mutate(base, tmp_path, "respondents_2")  # only the operations areas run
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    profile["reporting"]["timeout_s"] = 10
    (folder / "company.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell('company_dir = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("import time\ntime.sleep(120)"),
    ]
    nbformat.write(nb, notebooks / "05_operations.ipynb")
    start = time.monotonic()
    with pytest.raises(ReportError, match="05_operations"):
        orient.report.build(folder, tmp_path / "out", pdf=False, notebooks_dir=notebooks)
    assert time.monotonic() - start < 100  # the 120 s cell was stopped after 10 s


# --- full reports (slow): one per path through the notebooks --------------------------------

REPORTS = {
    # no survey stage can run: the operations areas only, and the sentence saying why
    "respondents_5": {"missing": dict.fromkeys(SURVEY_STAGES, "survey_base")},
    # stage II without the chain, stage I on its fallback, III and IV left out
    "respondents_13_min_base_5": {
        "missing": dict.fromkeys(("priorities", "implementation"), "complete_answers")
    },
    # every stage, one attribute without the competitor; the notes on the front page
    "notes": {"missing": {}},
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(REPORTS))
def test_validate_ok_then_the_report_is_written(name, base, tmp_path, capsys):
    folder = mutate(base, tmp_path, name)
    assert _validate(folder, capsys)[0] == 0
    out = tmp_path / "out"
    code = cli.main(["report", str(folder), "-o", str(out), "--no-pdf"])
    _, err = capsys.readouterr()
    assert code == 0, err
    summary = json.loads((out / name / "summary.json").read_text(encoding="utf-8"))
    stages = summary["stages"]
    assert {s: e["status"] for s, e in stages.items() if e["status"] == "error"} == {}
    missing = {s: e["missing"][0] for s, e in stages.items() if e["status"] == "missing_data"}
    assert missing == REPORTS[name]["missing"]
    html = (out / name / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    notebooks = sorted(p.name for p in (out / name).glob("*.ipynb"))
    ran = [s for s in SURVEY_STAGES if s not in missing]
    assert len(notebooks) == len(ran) + 1  # + operations
    if name == "respondents_5":
        assert "the number of respondents (5) is below the minimum base of 30" in text
    if name == "respondents_13_min_base_5":
        assert "too few for the regression of the chain, which is left out" in text
        assert "Singular matrix" not in text
    if name == "notes":
        assert "Data: survey.csv: column &#39;c_tracking&#39; (a competitor rating)" in html
        assert "an average handle time over an hour (4000 s)" in text


def test_an_outcome_with_too_few_answers_loses_only_its_link():
    import numpy as np

    from orient.satisfaction import chain_effects

    rng = np.random.default_rng(3)
    a = rng.integers(1, 11, 40).astype(float)
    s = 10 + 4 * a + rng.normal(0, 2, 40)
    rev = np.full(40, np.nan)
    rev[:2] = [100.0, 200.0]  # two customers matched in finance: too few for a regression
    data = pd.DataFrame({"s": s, "a": a, "rev": rev})
    with pytest.warns(OrientWarning, match="The link to 'revenue' is left out"):
        out = chain_effects(
            data,
            satisfaction="s",
            attributes=["a"],
            outcomes={"revenue": ("rev", 1.0, "EUR")},
            n_boot=0,
        )
    assert list(out["stage"]) == ["attributes -> satisfaction"]
    slope = np.linalg.lstsq(np.column_stack([np.ones(40), a]), s, rcond=None)[0][1]
    assert out["effect"].iloc[0] == pytest.approx(slope)
