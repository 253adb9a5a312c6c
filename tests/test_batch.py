"""orient.batch.run on local processes: outcomes, failures captured, skips, no leaks."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from test_report_support import notebook, write_notebooks

from orient import batch, synth

pytestmark = pytest.mark.slow  # end to end: kernels, notebooks, reports

LEAK_CHECK = """
import os, matplotlib as mpl, pandas as pd

seen = [k for k in ("previous_company",) if k in globals()]
if os.environ.get("ORIENT_PREVIOUS"): seen.append("environment")
if mpl.rcParams["lines.linewidth"] == 7.5: seen.append("rcParams")
if pd.get_option("display.precision") == 1: seen.append("pandas option")
assert not seen, f"state from another company: {seen}"
previous_company = company_dir
os.environ["ORIENT_PREVIOUS"] = company_dir
mpl.rcParams["lines.linewidth"] = 7.5
pd.set_option("display.precision", 1)
if "broken" in company_dir:
    raise RuntimeError("this company's export is broken")
"""


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    companies = tmp / "companies"
    synth.make_company(companies / "alpha", seed=1, n_respondents=40)
    synth.make_company(companies / "beta", seed=2, n_respondents=40)
    synth.make_company(companies / "broken-gamma", seed=3, n_respondents=40)
    (companies / "not-a-company").mkdir()
    nbs = write_notebooks(
        tmp / "nbs",
        {
            "01_strategy": notebook(LEAK_CHECK),
            "02_satisfaction": notebook(LEAK_CHECK),  # same kernel, fresh namespace and settings
        },
    )
    out = tmp / "reports"
    first = batch.run(companies, out, workers=1, notebooks_dir=nbs, pdf=False, progress=False)
    return {"companies": companies, "nbs": nbs, "out": out, "first": first}


def test_outcomes_frame_and_batch_json(setup):
    first = setup["first"]
    assert list(first.columns) == list(batch.OUTCOME_COLUMNS)
    assert first["company"].tolist() == ["alpha", "beta", "broken-gamma"]
    assert first["status"].tolist() == ["ok", "ok", "failed"]
    data = json.loads((setup["out"] / "batch.json").read_text())
    assert data["counts"] == {"ok": 2, "skipped": 0, "failed": 1, "interrupted": 0}
    assert [c["company"] for c in data["companies"]] == ["alpha", "beta", "broken-gamma"]


def test_a_failure_says_notebook_cell_and_error_and_the_rest_go_on(setup):
    row = setup["first"].set_index("company").loc["broken-gamma"]
    assert row["notebook"] == "01_strategy"
    assert row["cell"] == 4  # title, parameters, injected parameters, the failing cell
    assert row["error"] == "RuntimeError: this company's export is broken"
    for slug in ("alpha", "beta"):
        assert (setup["out"] / slug / "report.html").is_file()
        assert (setup["out"] / slug / "summary.json").is_file()
    assert not (setup["out"] / "broken-gamma" / "report.html").exists()


def test_no_state_survives_between_companies_or_notebooks(setup):
    # one worker ran all three companies one after another, each notebook asserting it
    # saw nothing of the previous one: both ok companies passed both notebooks
    first = setup["first"].set_index("company")
    assert first.loc["alpha", "status"] == first.loc["beta", "status"] == "ok"
    assert pd.isna(first.loc["alpha", "error"]) and pd.isna(first.loc["beta", "error"])


def test_inputs_hash_changes_with_notebooks_and_data(setup, tmp_path):
    company = setup["companies"] / "alpha"
    base = batch.inputs_hash(company, setup["nbs"])
    assert batch.inputs_hash(company, setup["nbs"]) == base
    other = write_notebooks(tmp_path / "nbs", {"01_strategy": notebook("2")})
    assert batch.inputs_hash(company, other) != base


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="does not exist|not a folder"):
        batch.run(tmp_path / "missing", tmp_path / "out")
    (tmp_path / "c" / "x").mkdir(parents=True)
    (tmp_path / "c" / "x" / "company.yaml").write_text("name: x\n")
    with pytest.raises(ValueError, match="workers"):
        batch.run(tmp_path / "c", tmp_path / "out", workers=0)


def test_an_empty_folder_gives_an_empty_frame(tmp_path):
    frame = batch.run(tmp_path, tmp_path / "out", progress=False)
    assert frame.empty and list(frame.columns) == list(batch.OUTCOME_COLUMNS)
    assert json.loads((tmp_path / "out" / "batch.json").read_text())["counts"]["ok"] == 0


def test_company_dirs_are_found_sorted(setup):
    found = batch.find_companies(setup["companies"])
    assert [p.name for p in found] == ["alpha", "beta", "broken-gamma"]
    assert all(isinstance(p, Path) for p in found)
