"""SPSS/Stata value labels and variable labels as the codebook's fallback.

Files are written by pyreadstat (the format's own library); expected values are computed
here from the source frame, never read back from orient.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import orient
from orient import DataError
from orient.cli import main
from orient.data.value_labels import labelled_scale

pyreadstat = pytest.importorskip("pyreadstat")

SOURCE = pd.DataFrame(
    {
        "rid": [1, 2, 3, 4, 5, 6],
        "sat": [7, 5, 99, 1, 6, 4],  # 99 = don't know
        "nps": [9, 7, 10, 3, 8, 6],
        "speed": [5, 9, 4, 2, 3, 1],  # 9 = don't know
        "price": [2, 1, 5, 4, 3, 5],
    }
)
COLUMN_LABELS = ["Respondent", "Overall satisfaction", "Recommend", "Speed of delivery", "Price"]
SAT7 = {
    1: "Very dissatisfied",
    2: "Dissatisfied",
    3: "Somewhat dissatisfied",
    4: "Neutral",
    5: "Somewhat satisfied",
    6: "Satisfied",
    7: "Very satisfied",
    99: "Don't know",
}
AGREE5 = {1: "Strongly disagree", 5: "Strongly agree", 9: "Don't know"}
VALUE_LABELS = {"sat": SAT7, "speed": AGREE5, "price": {1: "Poor", 5: "Excellent"}}


def company_from(tmp_path: Path, suffix: str, survey: dict, source=SOURCE, vlabels=None) -> Path:
    folder = tmp_path / "co"
    folder.mkdir(exist_ok=True)
    path = folder / f"survey{suffix}"
    write = pyreadstat.write_dta if suffix == ".dta" else pyreadstat.write_sav
    write(
        source,
        str(path),
        column_labels=COLUMN_LABELS[: source.shape[1]],
        variable_value_labels=vlabels if vlabels is not None else VALUE_LABELS,
    )
    profile = {"name": "Labelco", "survey": {"file": path.name, "id": "rid", **survey}}
    (folder / "company.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    return folder


SURVEY = {
    "overall": "sat",
    "loyalty": {"recommend": "nps"},
    "attributes": {
        "speed": {"own": "speed"},
        "price": {"label": "Value for money", "own": "price"},
    },
}


@pytest.mark.parametrize("suffix", [".sav", ".dta"])
def test_value_labels_give_the_scale_and_dont_know_codes(tmp_path, suffix, capsys):
    folder = company_from(tmp_path, suffix, SURVEY)
    company = orient.load_company(folder)
    # row 3 (respondent 3) answered 99 "Don't know" on the overall item: left out
    kept = SOURCE[SOURCE["sat"] != 99]
    assert list(company.survey["respondent_id"]) == [str(r) for r in kept["rid"]]
    np.testing.assert_allclose(company.survey["overall"], kept["sat"])
    assert company.scale("overall") == (1, 7)  # the labels' ends, not the default 1..5
    assert company.scale("speed") == (1, 5)
    assert company.scale("recommend") == (0, 10)  # no labels: the default
    speed = kept["speed"].where(kept["speed"] != 9).to_numpy(dtype=float)
    np.testing.assert_allclose(company.survey["speed"], speed)
    lo = company.left_out
    assert list(lo["row"]) == [4] and "missing code 99" in lo["reason"].iloc[0]
    # the variable label is the fallback label; company.yaml's label wins
    assert company.attribute_labels == {"speed": "Speed of delivery", "price": "Value for money"}
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert (
        "sat: scale 1..7 from its value labels (1 'Very dissatisfied' .. 7 'Very satisfied')" in out
    )
    assert 'code 99 "Don\'t know" read as missing' in out
    assert "speed: scale 1..5 from its value labels" in out
    assert 'code 9 "Don\'t know" read as missing' in out


def test_company_yaml_scale_wins_but_dont_know_codes_still_apply(tmp_path, capsys):
    survey = {**SURVEY, "overall_scale": {"min": 1, "max": 10}}
    folder = company_from(tmp_path, ".sav", survey)
    company = orient.load_company(folder)
    assert company.scale("overall") == (1, 10)
    assert 99 not in company.survey["overall"].tolist() and len(company.survey) == 5
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "sat: code 99" in out and "sat: scale" not in out


def test_binary_overall_from_value_labels(tmp_path):
    source = SOURCE.assign(sat=[1, 0, 1, 1, 0, 1])
    vlabels = {**VALUE_LABELS, "sat": {0: "Neutral or dissatisfied", 1: "Satisfied"}}
    folder = company_from(tmp_path, ".sav", SURVEY, source=source, vlabels=vlabels)
    company = orient.load_company(folder)
    assert company.scale("overall") == (0, 1)
    assert company.survey["overall"].mean() == pytest.approx(4 / 6)


def test_attribute_without_any_label_is_an_error_naming_the_key(tmp_path):
    folder = tmp_path / "co"
    folder.mkdir()
    SOURCE.assign(sat=[5, 4, 3, 1, 2, 4], speed=[5, 4, 4, 2, 3, 1]).to_csv(
        folder / "survey.csv", index=False
    )
    profile = {"name": "Csvco", "survey": {"id": "rid", **SURVEY}}
    (folder / "company.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        orient.load_company(folder)
    assert "survey.attributes.speed.label" in str(exc.value)


def test_labelled_scale_reads_only_rating_scales():
    assert labelled_scale({"a": "Apple", "b": "Banana"}) is None  # text codes
    assert labelled_scale({1.0: "Yes"}) is None  # one code: no scale
    assert labelled_scale({1.0: "Low", 9.0: "Refused"}) is None
    s = labelled_scale({0.0: "Not at all likely", 10.0: "Extremely likely", 98.0: "N/A"})
    assert (s.min, s.max, s.missing) == (0, 10, {98.0: "N/A"})


def test_a_labelled_two_point_overall_meets_the_exact_driver_limit(tmp_path):
    n_attr = 16  # more than the logistic model's exact limit: sampled, not refused
    cols = {f"q{i}": [1, 2, 3, 4, 5, 2] for i in range(n_attr)}
    source = pd.DataFrame({"rid": range(1, 7), "sat": [1, 0, 1, 1, 0, 1], **cols})
    folder = tmp_path / "co"
    folder.mkdir()
    pyreadstat.write_sav(
        source,
        str(folder / "survey.sav"),
        variable_value_labels={"sat": {0: "Not satisfied", 1: "Satisfied"}},
    )
    attrs = {c: {"label": c, "own": c} for c in cols}
    profile = {
        "name": "Wide",
        "survey": {"file": "survey.sav", "id": "rid", "overall": "sat", "attributes": attrs},
    }
    (folder / "company.yaml").write_text(yaml.safe_dump(profile), encoding="utf-8")
    assert orient.load_company(folder).scale("overall") == (0, 1)
