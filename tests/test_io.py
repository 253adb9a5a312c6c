"""Reading real exports, and the bad-input suite: every message names file, column, row."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import orient
from orient import DataError

PROFILE = {
    "name": "Testco",
    "competitor": "Rival",
    "survey": {
        "file": "survey.csv",
        "id": "rid",
        "weight": "w",
        "wave": "wave",
        "segment": "seg",
        "scale": {"min": 1, "max": 5},
        "overall": "sat",
        "loyalty": {"recommend": "nps"},
        "attributes": {
            "speed": {"label": "Speed", "own": "speed", "competitor": "speed_c"},
            "price": {"label": "Price", "own": "price", "reverse": True},
        },
    },
}

SURVEY = """rid,w,wave,seg,sat,nps,speed,speed_c,price
r1,1.0,2025,A,4,9,5,3,2
r2,0.5,2025,B,3,7,4,4,1
r3,2.0,2026,A,5,10,5,2,5
r4,1.5,2026,B,,6,3,3,4
"""


def make(
    tmp_path: Path,
    survey: str | bytes = SURVEY,
    profile: dict | None = None,
    name: str = "survey.csv",
    extra: dict | None = None,
) -> Path:
    folder = tmp_path / "co"
    folder.mkdir(exist_ok=True)
    prof = yaml.safe_load(yaml.safe_dump(profile or PROFILE, sort_keys=False))
    if name != "survey.csv":
        prof["survey"]["file"] = name
    (folder / "company.yaml").write_text(
        yaml.safe_dump(prof, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    data = survey if isinstance(survey, bytes) else survey.encode("utf-8")
    (folder / name).write_bytes(data)
    for fname, text in (extra or {}).items():
        (folder / fname).write_text(text, encoding="utf-8")
    return folder


def edit(profile: dict, path: str, value) -> dict:
    prof = yaml.safe_load(yaml.safe_dump(profile, sort_keys=False))
    keys = path.split(".")
    node = prof
    for k in keys[:-1]:
        node = node[k]
    if value is _DELETE:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return prof


_DELETE = object()


# --- reading good exports ---------------------------------------------------------------


def test_reads_a_plain_export(tmp_path):
    c = orient.load_company(make(tmp_path))
    s = c.survey
    assert list(s["respondent_id"]) == ["r1", "r2", "r3"]
    # price is reverse-coded on 1..5: x -> 6 - x (hand)
    assert list(s["price"]) == [4.0, 5.0, 1.0]
    assert list(s["speed_competitor"]) == [3.0, 4.0, 2.0]
    assert c.left_out.to_dict("records") == [
        {
            "file": "survey.csv",
            "row": 5,
            "column": "sat",
            "reason": "no overall satisfaction rating",
        }
    ]
    assert c.scale("speed") == (1, 5) and c.scale("recommend") == (0, 10)
    assert c.waves == ["2025", "2026"]
    assert c.attributes[0].competitor_column == "speed_competitor"
    assert c.attributes[1].competitor_column is None


def test_windows_1251_semicolon_decimal_comma_and_russian_labels(tmp_path):
    text = (
        "rid;w;wave;seg;sat;nps;speed;speed_c;price\n"
        "r1;1,5;2025;Европа;Удовлетворен;9;Полностью согласен;Согласен;Не согласен\n"
        "r2;0,5;2025;Азия;Полностью удовлетворен;10;Затрудняюсь ответить;3;2\n"
    )
    c = orient.load_company(make(tmp_path, text.encode("cp1251")))
    s = c.survey
    assert list(s["weight"]) == [1.5, 0.5]
    assert list(s["overall"]) == [4.0, 5.0]
    assert s["speed"].iloc[0] == 5.0 and np.isnan(s["speed"].iloc[1])
    assert list(s["speed_competitor"]) == [4.0, 3.0]
    assert list(s["price"]) == [4.0, 4.0]  # "Не согласен" = 2, reversed -> 4
    assert list(s["segment"]) == ["Европа", "Азия"]


def test_utf8_bom_and_english_labels_and_dont_know(tmp_path):
    text = (
        "\ufeffrid,w,wave,seg,sat,nps,speed,speed_c,price\n"
        "r1,1,2025,A,Very satisfied,9,Strongly agree,Don't know,N/A\n"
        "r2,1,2025,A,Satisfied,8,agree,,Disagree\n"
    )
    c = orient.load_company(make(tmp_path, text))
    s = c.survey
    assert list(s["overall"]) == [5.0, 4.0]
    assert list(s["speed"]) == [5.0, 4.0]
    assert s["speed_competitor"].isna().all()
    assert np.isnan(s["price"].iloc[0]) and s["price"].iloc[1] == 4.0


def test_codebook_labels_and_missing_codes(tmp_path):
    prof = edit(
        PROFILE, "survey.scale", {"min": 1, "max": 3, "labels": {"Low": 1, "Mid": 2, "High": 3}}
    )
    prof = edit(prof, "survey.missing_codes", [99])
    text = "rid,w,wave,seg,sat,nps,speed,speed_c,price\nr1,1,2025,A,High,9,low,99,Mid\n"
    s = orient.load_company(make(tmp_path, text, prof)).survey
    assert s["overall"].iloc[0] == 3 and s["speed"].iloc[0] == 1
    assert np.isnan(s["speed_competitor"].iloc[0]) and s["price"].iloc[0] == 2


def test_xlsx_export(tmp_path):
    df = pd.read_csv(pd.io.common.StringIO(SURVEY))
    folder = tmp_path / "co"
    folder.mkdir()
    df.to_excel(folder / "survey.xlsx", index=False)
    prof = edit(PROFILE, "survey.file", "survey.xlsx")
    (folder / "company.yaml").write_text(yaml.safe_dump(prof), encoding="utf-8")
    c = orient.load_company(folder)
    assert len(c.survey) == 3 and list(c.survey["price"]) == [4.0, 5.0, 1.0]


def test_optional_tables_are_typed(tmp_path):
    finance = "customer_id,revenue,cost,retained\nC1,100.5,80,1\nC2,50,45,no\n"
    calls = (
        "interval_start,offered,answered,answered_in_target,abandoned,aht_s\n"
        "2026-03-02 08:00,10,9,8,1,240.5\n"
    )
    c = orient.load_company(make(tmp_path, extra={"finance.csv": finance, "calls.csv": calls}))
    assert list(c.finance["retained"]) == [1.0, 0.0]
    assert c.calls["interval_start"].iloc[0] == pd.Timestamp("2026-03-02 08:00")
    assert c.claims is None and c.table_found()["finance"]


# --- the bad-input suite ----------------------------------------------------------------

H = "rid,w,wave,seg,sat,nps,speed,speed_c,price\n"

BAD_SURVEYS = [
    # (id, survey text or bytes, message pattern)
    ("empty file", b"", r"survey.csv: the file is empty"),
    ("header only", H, r"survey.csv, row 2: the file has a header but no data rows"),
    (
        "missing column",
        "rid,w,wave,seg,sat,nps,speed,price\nr1,1,2025,A,4,9,5,2\n",
        r"survey.csv, column 'speed_c', row 1: column named in company.yaml "
        r"\(survey.attributes.speed.competitor\) not found",
    ),
    (
        "text in rating",
        H + "r1,1,2025,A,4,9,fast,3,2\n",
        r"survey.csv, column 'speed', row 2: text that is not a rating \(found 'fast'\); "
        r"expected a number from 1 to 5",
    ),
    (
        "out of range",
        H + "r1,1,2025,A,4,9,5,3,2\nr2,1,2025,A,4,9,7,3,2\n",
        r"survey.csv, column 'speed', row 3: rating outside the scale \(found 7\)",
    ),
    (
        "zero rating",
        H + "r1,1,2025,A,0,9,5,3,2\n",
        r"column 'sat', row 2: rating outside the scale \(found 0\)",
    ),
    (
        "recommend above 10",
        H + "r1,1,2025,A,4,11,5,3,2\n",
        r"column 'nps', row 2: rating outside the scale \(found 11\); expected a number from 0 to 10",
    ),
    (
        "duplicate ids",
        H + "r1,1,2025,A,4,9,5,3,2\nr2,1,2025,A,4,9,5,3,2\nr1,1,2025,A,4,9,5,3,2\n",
        r"column 'rid', row 4: duplicate respondent id \(rows 2 and 4\) \(found 'r1'\)",
    ),
    (
        "blank id",
        H + "r1,1,2025,A,4,9,5,3,2\n,1,2025,A,4,9,5,3,2\n",
        r"column 'rid', row 3: respondent id is blank",
    ),
    (
        "zero weight",
        H + "r1,0,2025,A,4,9,5,3,2\n",
        r"column 'w', row 2: weight must be a positive number \(found 0",
    ),
    (
        "negative weight",
        H + "r1,1,2025,A,4,9,5,3,2\nr2,-2,2025,A,4,9,5,3,2\n",
        r"column 'w', row 3: weight must be a positive number \(found -2",
    ),
    (
        "text weight",
        H + "r1,heavy,2025,A,4,9,5,3,2\n",
        r"column 'w', row 2: weight must be a positive number \(found 'heavy'\)",
    ),
    ("blank wave", H + "r1,1,,A,4,9,5,3,2\n", r"column 'wave', row 2: wave is blank"),
    (
        "no overall at all",
        H + "r1,1,2025,A,,9,5,3,2\n",
        r"column 'sat': no respondent gave an overall satisfaction rating",
    ),
    (
        "attribute all missing",
        H + "r1,1,2025,A,4,9,,3,2\nr2,1,2025,A,4,9,Don't know,3,2\n",
        r"column 'speed': no respondent rated this attribute",
    ),
    (
        "ragged rows",
        H + "r1,1,2025,A,4,9,5,3,2,9,9\n",
        r"survey.csv, row 2: the rows do not line up with the header",
    ),
]


@pytest.mark.parametrize("case", BAD_SURVEYS, ids=lambda c: c[0])
def test_bad_survey(tmp_path, case):
    _, text, pattern = case
    with pytest.raises(DataError, match=pattern):
        orient.load_company(make(tmp_path, text))


def test_wrong_encoding_declared(tmp_path):
    text = ("rid,w,wave,seg,sat,nps,speed,speed_c,price\nr1,1,2025,Азия,4,9,5,3,2\n").encode(
        "cp1251"
    )
    prof = edit(PROFILE, "survey.read", {"encoding": "utf-8"})
    with pytest.raises(
        DataError,
        match=r"survey.csv, row 2: the file is not valid utf-8 text "
        r"\(byte 0xc0\); expected the encoding named",
    ):
        orient.load_company(make(tmp_path, text, prof))


def test_duplicate_header(tmp_path):
    text = "rid,w,wave,seg,sat,nps,speed,speed_c,price,price\nr1,1,2025,A,4,9,5,3,2,2\n"
    # pandas would rename the second 'price' to 'price.1'; the header is read first and
    # a name used twice is refused (which of the two is the rating cannot be known)
    with pytest.raises(
        DataError,
        match=r"column 'price', row 1: the header names a column "
        r"twice \(columns 9 and 10\)",
    ):
        orient.load_company(make(tmp_path, text))


BAD_PROFILES = [
    (
        "unknown top-level key",
        lambda p: edit(p, "colour", "blue"),
        r"company.yaml, column 'colour': unknown key; expected one of name, slug",
    ),
    (
        "unknown nested key",
        lambda p: edit(p, "survey.attributes.speed.colour", "x"),
        r"column 'survey.attributes.speed.colour': unknown key; expected one of label, own",
    ),
    (
        "reversed scale",
        lambda p: edit(p, "survey.scale", {"min": 5, "max": 1}),
        r"column 'survey.scale': scale ends are reversed or equal \(min 5.0, max 1.0\)",
    ),
    (
        "missing overall",
        lambda p: edit(p, "survey.overall", _DELETE),
        r"column 'survey.overall': required key missing",
    ),
    ("no name", lambda p: edit(p, "name", _DELETE), r"column 'name': required key missing"),
    (
        "bad min_base",
        lambda p: edit(p, "reporting", {"min_base": 0}),
        r"column 'reporting.min_base': Input should be greater than or equal to 1",
    ),
    (
        "bad confidence",
        lambda p: edit(p, "reporting", {"confidence": 95}),
        r"column 'reporting.confidence': Input should be less than 1",
    ),
    (
        "bad language",
        lambda p: edit(p, "language", "de"),
        r"column 'language': Input should be 'en' or 'ru'",
    ),
    (
        "bad attribute key",
        lambda p: edit(p, "survey.attributes", {"2fast": {"label": "x", "own": "speed"}}),
        r"column 'survey.attributes': attribute key '2fast' must start with a letter",
    ),
    ("bad slug", lambda p: edit(p, "slug", "../evil"), r"column 'slug': slug '../evil' must be"),
    (
        "file outside folder",
        lambda p: edit(p, "survey.file", "../secret.csv"),
        r"company.yaml, column 'survey.file': data files must lie inside the company folder",
    ),
    (
        "label outside scale",
        lambda p: edit(p, "survey.scale", {"min": 1, "max": 5, "labels": {"Top": 7}}),
        r"label 'Top' maps to 7.0, outside the scale",
    ),
    (
        "missing table named",
        lambda p: edit(p, "tables", {"finance": "money.csv"}),
        r"column 'tables.finance': table named in company.yaml not found \(found 'money.csv'\)",
    ),
]


@pytest.mark.parametrize("case", BAD_PROFILES, ids=lambda c: c[0])
def test_bad_profile(tmp_path, case):
    _, change, pattern = case
    with pytest.raises(DataError, match=pattern):
        orient.load_company(make(tmp_path, profile=change(PROFILE)))


def test_yaml_python_object_tag_is_refused(tmp_path):
    folder = make(tmp_path)
    text = (folder / "company.yaml").read_text()
    (folder / "company.yaml").write_text(
        text + "evil: !!python/object/apply:os.system ['echo pwned']\n"
    )
    with pytest.raises(
        DataError,
        match=r"company.yaml, row \d+: tag not allowed.*"
        r"expected plain YAML values",
    ):
        orient.load_company(folder)


def test_yaml_duplicate_key_is_refused(tmp_path):
    folder = make(tmp_path)
    (folder / "company.yaml").write_text("name: A\nname: B\n" + "survey: {overall: x}\n")
    with pytest.raises(DataError, match=r"company.yaml, row 2: duplicate key 'name'"):
        orient.load_company(folder)


def test_yaml_syntax_error(tmp_path):
    folder = make(tmp_path)
    (folder / "company.yaml").write_text("name: A\nsurvey: [unclosed\n")
    with pytest.raises(DataError, match=r"company.yaml, row \d+: not valid YAML"):
        orient.load_company(folder)


def test_missing_profile(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match=r"company.yaml: company profile not found"):
        orient.load_company(tmp_path / "empty")


BAD_TABLES = [
    (
        "finance missing column",
        "finance.csv",
        "customer_id,revenue\nC1,10\n",
        r"finance.csv, column 'cost': required column not found",
    ),
    (
        "finance text revenue",
        "finance.csv",
        "customer_id,revenue,cost,retained\nC1,lots,1,1\n",
        r"finance.csv, column 'revenue', row 2: not a number \(found 'lots'\)",
    ),
    (
        "finance bad flag",
        "finance.csv",
        "customer_id,revenue,cost,retained\nC1,1,1,maybe\n",
        r"finance.csv, column 'retained', row 2: not a yes/no value \(found 'maybe'\)",
    ),
    (
        "finance duplicate customer",
        "finance.csv",
        "customer_id,revenue,cost,retained\nC1,1,1,1\nC1,2,2,0\n",
        r"finance.csv, column 'customer_id', row 3: customer appears twice",
    ),
    (
        "calls negative count",
        "calls.csv",
        "interval_start,offered,answered,answered_in_target,abandoned,aht_s\n"
        "2026-03-02 08:00,10,9,8,-1,240\n",
        r"calls.csv, column 'abandoned', row 2: negative value \(found -1",
    ),
    (
        "calls fractional count",
        "calls.csv",
        "interval_start,offered,answered,answered_in_target,abandoned,aht_s\n"
        "2026-03-02 08:00,10.5,9,8,1,240\n",
        r"calls.csv, column 'offered', row 2: not a whole number",
    ),
    (
        "calls bad date",
        "calls.csv",
        "interval_start,offered,answered,answered_in_target,abandoned,aht_s\n"
        "yesterday,10,9,8,1,240\n",
        r"calls.csv, column 'interval_start', row 2: not a date \(found 'yesterday'\)",
    ),
    (
        "quality without values",
        "quality.csv",
        "subgroup,note\n1,ok\n",
        r"quality.csv: no measurement or count columns; expected the column\(s\) value or "
        r"inspected\+defective",
    ),
    (
        "claims duplicate id",
        "claims.csv",
        "claim_id,received,category,amount_claimed\nK1,2026-01-01,x,1\nK1,2026-01-02,y,2\n",
        r"claims.csv, column 'claim_id', row 3: duplicate id",
    ),
    (
        "deals blank required",
        "deals.csv",
        "deal_id,manager,client,stage,created,outcome,planned_amount\nD1,,C1,Won,2026-01-01,won,5\n",
        r"deals.csv, column 'manager', row 2: required value is blank",
    ),
]


@pytest.mark.parametrize("case", BAD_TABLES, ids=lambda c: c[0])
def test_bad_table(tmp_path, case):
    _, fname, text, pattern = case
    with pytest.raises(DataError, match=pattern):
        orient.load_company(make(tmp_path, extra={fname: text}))


def test_bad_input_suite_is_large_enough():
    n = len(BAD_SURVEYS) + len(BAD_PROFILES) + len(BAD_TABLES) + 5
    assert n >= 25


def test_data_error_is_a_value_error_and_pickles():
    import pickle

    err = DataError(
        "rating outside the scale", file="s.csv", column="q", row=3, value=9, expected="1..5"
    )
    assert isinstance(err, ValueError) and isinstance(err, orient.OrientError)
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and back.row == 3
    assert re.fullmatch(
        r"s.csv, column 'q', row 3: rating outside the scale \(found 9\); "
        r"expected 1..5",
        str(err),
    )
