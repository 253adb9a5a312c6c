"""The faster paths of reading a large survey give what the plain rule gives, value by
value: text trimmed by Python's ``str.strip``, ids compared by ``str.casefold``, the
rows left out and why, and the survey frame without those rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orient.data.checks import id_key
from orient.data.read import clean_text
from orient.data.survey import _kept_rows, _left_out

AWKWARD = [
    "a",
    "b ",
    None,
    "",
    "  ",
    " c",
    "\x1cx",  # a separator control character: str.strip removes it
    "x\u3000",  # ideographic space
    "\u00a0q",
    "ok",
    "ok",
    "Ünïcödé",
    "tab\t",
    "mid dle",
]


def _by_hand(values: list) -> list:
    out = []
    for v in values:
        t = None if v is None else str(v).strip()
        out.append(t or None)
    return out


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_clean_text_trims_as_python_strip_does(dtype):
    got = clean_text(pd.Series(AWKWARD, dtype=dtype, index=range(10, 10 + len(AWKWARD))))
    assert str(got.dtype) == "string"
    assert list(got.index) == list(range(10, 10 + len(AWKWARD)))
    assert [None if pd.isna(v) else v for v in got] == _by_hand(AWKWARD)


def test_clean_text_of_numbers_keeps_whole_numbers_without_point():
    got = clean_text(pd.Series([1.0, 2.5, np.nan, 3.0]))
    assert [None if pd.isna(v) else v for v in got] == ["1", "2.5", None, "3"]


@pytest.mark.parametrize(
    "ids",
    [
        ["R1", " r1", "R2", None],  # ASCII
        ["Straße", "STRASSE", "é", "É"],  # casefold, not lower: ß is ss
        ["a\u00a0", "A", "b"],
    ],
)
def test_id_key_is_strip_then_casefold(ids):
    got = id_key(pd.Series(ids, dtype="str"))
    stripped = pd.Series(ids, dtype="string").str.strip()
    want = [None if pd.isna(v) else v.casefold() for v in stripped]  # Python, value by value
    assert [None if pd.isna(v) else v for v in got] == want
    assert got.duplicated(keep=False).tolist() == pd.Series(want).duplicated(keep=False).tolist()


def test_rows_left_out_name_each_missing_code():
    raw = pd.Series(["5", " Refused ", "99", None, "7", "refused", "99.0", "x"], name="q_overall")
    overall = pd.Series([5.0, np.nan, np.nan, np.nan, 7.0, np.nan, np.nan, np.nan])
    got = _left_out(raw, overall, ("refused", 99), "survey.csv", first_row=2)
    assert got["row"].tolist() == [3, 4, 5, 7, 8, 9]
    assert got["reason"].tolist() == [
        "overall satisfaction is the missing code refused",
        "overall satisfaction is the missing code 99",
        "no overall satisfaction rating",
        "overall satisfaction is the missing code refused",
        "overall satisfaction is the missing code 99",
        "no overall satisfaction rating",
    ]
    assert set(got["column"]) == {"q_overall"} and set(got["file"]) == {"survey.csv"}


def test_kept_rows_equal_dropping_rows_from_the_whole_frame():
    rng = np.random.default_rng(3)
    n = 50
    out = {
        "respondent_id": pd.Series([f"R{i}" for i in range(n)], dtype="string"),
        "wave": pd.Categorical(rng.choice(["2025", "2026"], n), ordered=True),
        "weight": pd.Series(rng.uniform(0.5, 1.5, n)),
        "overall": pd.Series(rng.integers(1, 11, n).astype(float)),
    }
    dropped = np.array([0, 7, 8, 49])
    whole = pd.DataFrame(out, index=pd.RangeIndex(n))
    want = whole.drop(index=dropped).reset_index(drop=True)
    got = _kept_rows(dict(out), dropped, n)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    same = _kept_rows(dict(out), np.array([], int), n)
    pd.testing.assert_frame_equal(same, whole, check_exact=True)


@pytest.mark.parametrize(
    "text",
    [
        "id,overall,seg\nR1,5,A\nR2,6,B\n",  # no blank after a separator: not skipped
        "id,overall,seg\nR1, 5, A\nR2,6,B\n",
        "id,overall,seg\n R1,5,A\nR2,6,\n",
        '\ufeffid,overall,seg\nR1,5,"x, y"\nR2,6,B\n',
        "id;overall;seg\r\nR1; 5;A\r\nR2;6;B\r\n",
        "id\toverall\tseg\nR1\t 5\tA\nR2\t6\t B\n",
    ],
)
def test_reading_skips_blanks_at_field_starts_only_when_there_are_some(tmp_path, text):
    from orient.data.read import read_table

    path = tmp_path / "survey.csv"
    path.write_text(text, encoding="utf-8")
    got, _ = read_table(path)
    sep = ";" if ";" in text else ("\t" if "\t" in text else ",")
    want = pd.read_csv(
        path, sep=sep, skipinitialspace=True, encoding="utf-8-sig", skip_blank_lines=False
    )
    pd.testing.assert_frame_equal(got, want, check_exact=True)
