"""The conjoint responses file: read and checked by load_company, used by stage IV."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
import yaml

import orient
from orient import implementation as im

SAMPLE = "data/companies/cobalt-software"

# noise-free ratings: intercept + part-worths (effects coded, each attribute sums to 0)
TRUE = {
    "discount_pct": {0: -1.0, 5: 0.0, 10: 1.0},
    "support_sla_h": {4: 0.5, 8: 0.2, 24: -0.7},
    "delivery": {"same day": 0.3, "next day": -0.3},
    "training": {"none": -0.4, "included": 0.4},
}


def _company(tmp_path, rows: list[dict] | None = None, text: str | None = None, **study):
    """cobalt-software with its conjoint responses in cbc.csv instead of company.yaml."""
    folder = tmp_path / "cobalt"
    shutil.copytree(SAMPLE, folder)
    profile = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    cj = profile["conjoint"]
    for key in ("profiles", "ratings", "segments"):
        cj.pop(key, None)
    cj.update(file="cbc.csv", **study)
    (folder / "company.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True, sort_keys=False)
    )
    if text is None:
        text = pd.DataFrame(rows).to_csv(index=False)
    (folder / "cbc.csv").write_text(text, encoding="utf-8")
    return folder


def _profiles():
    profile = yaml.safe_load(open(f"{SAMPLE}/company.yaml", encoding="utf-8"))
    return profile["conjoint"]["profiles"], profile["conjoint"]


def _exact_rows(respondents=("R1", "R2")):
    profiles, _ = _profiles()
    rows = []
    for rid in respondents:
        for p in profiles:
            rating = 5.0 + sum(TRUE[a][p[a]] for a in TRUE)
            rows.append({"respondent_id": rid, **p, "rating": rating})
    return rows


def test_the_file_is_read_typed_and_in_the_fingerprint(tmp_path):
    folder = _company(tmp_path, _exact_rows())
    company = orient.load_company(folder)
    cj = company.conjoint
    assert len(cj) == 18 and company.files["conjoint"] == "cbc.csv"
    # levels as declared: numbers stay numbers, "same day" stays text
    assert set(cj["discount_pct"]) == {0, 5, 10} and set(cj["delivery"]) == {"same day", "next day"}
    before = company.fingerprint()
    text = (folder / "cbc.csv").read_text()
    (folder / "cbc.csv").write_text(text.replace("R2,0,4,same day,none,", "R2,0,4,same day,none,9"))
    assert orient.load_company(folder).fingerprint() != before
    assert orient.load_company(folder).fingerprint() != orient.load_company(SAMPLE).fingerprint()


def test_analyse_estimates_from_the_file_the_part_worths_the_ratings_were_made_from(tmp_path):
    res = im.analyse(orient.load_company(_company(tmp_path, _exact_rows())))
    pw = res.conjoint.partworths.set_index(["attribute", "level"])["estimate"]
    for attr, levels in TRUE.items():
        for level, value in levels.items():
            assert pw[(attr, level)] == pytest.approx(value, abs=1e-9)
    assert not any(n.key == "conjoint_file_missing" for n in res.notes)


def test_the_file_gives_what_the_same_ratings_in_company_yaml_give(tmp_path):
    profiles, cj = _profiles()
    rows = [
        {"respondent_id": rid, **p, "rating": r, "segment": cj["segments"][rid]}
        for rid, ratings in cj["ratings"].items()
        for p, r in zip(profiles, ratings, strict=True)
    ]
    from_file = im.analyse(orient.load_company(_company(tmp_path, rows))).conjoint
    inline = im.analyse(orient.load_company(SAMPLE)).conjoint
    pd.testing.assert_frame_equal(from_file.partworths, inline.partworths)
    pd.testing.assert_frame_equal(from_file.importance, inline.importance)


def _error(tmp_path, **kw) -> orient.DataError:
    with pytest.raises(orient.DataError) as info:
        orient.load_company(_company(tmp_path, **kw))
    return info.value


def test_a_level_not_declared_names_file_column_and_row(tmp_path):
    rows = _exact_rows()
    rows[4]["delivery"] = "overnight"
    err = _error(tmp_path, rows=rows)
    assert (err.file, err.column, err.row, err.value) == ("cbc.csv", "delivery", 6, "overnight")


def test_a_rating_that_is_not_a_number_or_blank(tmp_path):
    rows = _exact_rows()
    rows[2]["rating"] = "high"
    err = _error(tmp_path, rows=rows)
    assert (err.file, err.column, err.row) == ("cbc.csv", "rating", 4)
    rows[2]["rating"] = None
    assert _error(tmp_path / "b", rows=rows).row == 4


def test_a_missing_column_or_file(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "training"} for r in _exact_rows()]
    err = _error(tmp_path, rows=rows)
    assert (err.file, err.column) == ("cbc.csv", "training")
    folder = _company(tmp_path / "b", _exact_rows())
    (folder / "cbc.csv").unlink()
    with pytest.raises(orient.DataError, match="not found") as info:
        orient.load_company(folder)
    assert (info.value.file, info.value.column) == ("company.yaml", "conjoint.file")


def test_a_choice_task_needs_exactly_one_chosen_alternative(tmp_path):
    profiles, _ = _profiles()
    rows = [
        {"respondent_id": "R1", "task": t, **profiles[t + i], "chosen": int(i == 0)}
        for t in range(3)
        for i in range(2)
    ]
    rows[3]["chosen"] = 1  # task 1: both alternatives chosen (rows 4 and 5 of the file)
    err = _error(tmp_path, rows=rows, kind="choice")
    assert (err.file, err.column, err.row) == ("cbc.csv", "chosen", 4)
    rows[3]["chosen"] = "maybe"
    err = _error(tmp_path / "b", rows=rows, kind="choice")
    assert (err.column, err.row, err.value) == ("chosen", 5, "maybe")
