"""Hardening of the data layer: impossible values and files outside the company folder.

Each case asserts the DataError (file, column, row, what was expected) or the correct
result, computed here by hand.
"""

from __future__ import annotations

import os
import signal
import warnings
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml

import orient
from orient import DataError
from orient.data.profile import check_file_in, check_regular
from orient.data.read import read_table
from orient.data.tables import TABLES, read_operational_table
from orient.errors import OrientWarning

PROFILE = {
    "name": "Testco",
    "survey": {
        "file": "survey.csv",
        "id": "rid",
        "segment": "seg",
        "scale": {"min": 1, "max": 5},
        "overall": "sat",
        "attributes": {
            "speed": {"label": "Speed", "own": "speed"},
            "price": {"label": "Price", "own": "price"},
        },
    },
}

SURVEY = "rid,seg,sat,speed,price\nr1,A,4,5,2\nr2,B,3,4,1\nr3,A,5,5,5\nr4,B,2,3,4\n"


def make(tmp_path: Path, survey: str | bytes = SURVEY, profile: dict | None = None) -> Path:
    folder = tmp_path / "co"
    folder.mkdir(exist_ok=True)
    prof = profile or PROFILE
    (folder / "company.yaml").write_text(yaml.safe_dump(prof, sort_keys=False), encoding="utf-8")
    data = survey if isinstance(survey, bytes) else survey.encode("utf-8")
    if data:
        (folder / "survey.csv").write_bytes(data)
    return folder


def with_read(**read) -> dict:
    prof = yaml.safe_load(yaml.safe_dump(PROFILE))
    prof["survey"]["read"] = read
    return prof


# --- files outside the folder, FIFOs, devices, size ---------------------------------------


def test_symlink_outside_the_folder_is_refused_without_echoing_it(tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("TOP-SECRET-LINE\n")
    folder = make(tmp_path, b"")
    (folder / "survey.csv").symlink_to(secret)
    with pytest.raises(DataError, match=r"company.yaml, column 'survey.file': the file is a link "
                       r"to somewhere outside the company folder") as err:  # fmt: skip
        orient.load_company(folder)
    assert "TOP-SECRET" not in str(err.value)


def test_symlink_to_etc_hostname_is_refused(tmp_path):
    folder = make(tmp_path, b"")
    (folder / "survey.csv").symlink_to("/etc/hostname")
    with pytest.raises(DataError, match="outside the company folder") as err:
        orient.load_company(folder)
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    assert not hostname or hostname not in str(err.value).replace("/etc/hostname", "")


def test_symlink_inside_the_folder_is_read(tmp_path):
    folder = make(tmp_path, b"")
    (folder / "data").mkdir()
    (folder / "data" / "real.csv").write_text(SURVEY)
    (folder / "survey.csv").symlink_to(folder / "data" / "real.csv")
    c = orient.load_company(folder)
    assert c.survey["overall"].tolist() == [4, 3, 5, 2]


def test_a_fifo_is_refused_without_hanging(tmp_path):
    folder = make(tmp_path, b"")
    os.mkfifo(folder / "survey.csv")
    signal.alarm(20)  # a hang fails the test instead of blocking the run
    try:
        with pytest.raises(DataError, match=r"not a regular file but a FIFO \(named pipe\)"):
            orient.load_company(folder)
    finally:
        signal.alarm(0)


def test_a_device_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"zero: not a regular file but a device"):
        check_regular(Path("/dev/zero"), "zero")
    with pytest.raises(DataError, match="not a regular file but a device"):
        read_table("/dev/zero")
    folder = make(tmp_path, b"")
    (folder / "survey.csv").symlink_to("/dev/zero")
    with pytest.raises(DataError, match="outside the company folder"):
        orient.load_company(folder)


def test_a_folder_as_the_survey_is_refused(tmp_path):
    folder = make(tmp_path, b"")
    (folder / "survey.csv").mkdir()
    with pytest.raises(DataError, match="not a regular file but a folder"):
        orient.load_company(folder)


def test_size_limit_is_checked_before_reading_and_can_be_raised(tmp_path):
    big = SURVEY + "".join(f"x{i},A,3,3,3\n" for i in range(200))  # ~2.4 KB
    folder = make(tmp_path, big, with_read(max_mb=0.001))
    with pytest.raises(DataError, match=r"column 'survey.file': the file is 0 MB, over the limit "
                       r"of 0.001 MB.*read: \{max_mb: N\}"):  # fmt: skip
        orient.load_company(folder)
    folder = make(tmp_path, big, with_read(max_mb=1))
    assert len(orient.load_company(folder).survey) == 204


def test_size_limit_applies_to_tables(tmp_path):
    (tmp_path / "calls.csv").write_text("x" * 3000)
    with pytest.raises(DataError, match=r"column 'tables.calls': the file is .* over the limit"):
        check_file_in(tmp_path, "calls.csv", "tables.calls", max_mb=0.001)


# --- encodings -----------------------------------------------------------------------------


def test_latin1_text_is_not_read_as_cyrillic(tmp_path):
    text = SURVEY.replace("A,", "Entreprisé,").replace("B,", "Société,")
    c = orient.load_company(make(tmp_path, text.encode("cp1252")))
    assert sorted(set(c.survey["segment"])) == ["Entreprisé", "Société"]
    assert c.read_info["survey.csv"].encoding == "cp1252"


def test_cyrillic_cp1251_is_still_read(tmp_path):
    text = SURVEY.replace("A,", "Частные клиенты,").replace("B,", "Бизнес,")
    c = orient.load_company(make(tmp_path, text.encode("cp1251")))
    assert sorted(set(c.survey["segment"])) == ["Бизнес", "Частные клиенты"]


def test_utf16_with_bom_is_read(tmp_path):
    c = orient.load_company(make(tmp_path, SURVEY.encode("utf-16")))
    assert c.survey["overall"].tolist() == [4, 3, 5, 2]
    assert c.survey["respondent_id"].tolist() == ["r1", "r2", "r3", "r4"]


def test_utf16_without_bom_says_so_and_reads_with_the_encoding(tmp_path):
    raw = SURVEY.encode("utf-16-le")
    with pytest.raises(DataError, match=r"survey.csv, row 1: the file holds NUL bytes: it looks "
                       r"like UTF-16 text without a byte-order mark.*utf-16-le"):  # fmt: skip
        orient.load_company(make(tmp_path, raw))
    c = orient.load_company(make(tmp_path, raw, with_read(encoding="utf-16-le")))
    assert c.survey["overall"].tolist() == [4, 3, 5, 2]


def test_nul_bytes_in_a_text_file_name_the_line(tmp_path):
    raw = SURVEY.replace("r3,A", "r3\x00,A").encode()
    with pytest.raises(DataError, match=r"survey.csv, row 4: the file holds NUL bytes, so it is "
                       r"not a text export"):  # fmt: skip
        orient.load_company(make(tmp_path, raw))


def test_mixed_delimiters_are_named(tmp_path):
    text = "rid;seg;sat;speed;price\n" + "\n".join(SURVEY.splitlines()[1:]) + "\n"
    with pytest.raises(DataError, match=r"survey.csv, row 2: the header is split by ';' \(5 "
                       r"columns\) but the data rows by ','"):  # fmt: skip
        orient.load_company(make(tmp_path, text))


@pytest.mark.parametrize("n_more", [0, 3000])
def test_trailing_junk_lines_are_named(tmp_path, n_more):
    more = "".join(f"x{i},A,3,3,3\n" for i in range(n_more))  # 3000 rows: past the tail read
    text = SURVEY + more + "\nExported by SurveyTool on 2026-03-01\nRows: 4\n\n\n"
    with pytest.raises(DataError, match=rf"survey.csv, row {7 + n_more}: 2 line\(s\) after the data are not "
                       r"data rows.*found 'Exported by SurveyTool"):  # fmt: skip
        orient.load_company(make(tmp_path, text))


# --- header, ids, totals, formulas, time zones ----------------------------------------------


def test_a_header_naming_a_column_twice_is_refused(tmp_path):
    text = "rid,seg,sat,speed,price,price\nr1,A,4,5,2,9\nr2,B,3,4,1,9\n"
    with pytest.raises(DataError, match=r"survey.csv, column 'price', row 1: the header names a "
                       r"column twice \(columns 5 and 6\)"):  # fmt: skip
        orient.load_company(make(tmp_path, text))


@pytest.mark.parametrize(
    "second, row", [("r1 ", 3), ("R1", 3), (" r1", 3)], ids=["trailing blank", "case", "lead"]
)
def test_ids_differing_by_blanks_or_case_are_duplicates(tmp_path, second, row):
    text = SURVEY.replace("r2,", f"{second},")
    with pytest.raises(DataError, match=rf"survey.csv, column 'rid', row {row}: duplicate "
                       r"respondent id \(rows 2 and 3\)"):  # fmt: skip
        orient.load_company(make(tmp_path, text))


def test_ids_are_kept_without_surrounding_blanks(tmp_path):
    c = orient.load_company(make(tmp_path, SURVEY.replace("r2,", "r2  ,")))
    assert c.survey["respondent_id"].tolist() == ["r1", "r2", "r3", "r4"]


@pytest.mark.parametrize("word", ["Total", "AVERAGE", "Итого"])
def test_a_total_row_by_its_id_is_refused(tmp_path, word):
    text = SURVEY + f"{word},,3.5,4.25,3\n"
    with pytest.raises(DataError, match=r"survey.csv, column 'rid', row 6: a row of totals or "
                       r"averages, not a respondent"):  # fmt: skip
        orient.load_company(make(tmp_path, text))


@pytest.mark.parametrize("kind", ["mean", "sum"])
def test_a_blank_id_row_of_means_or_sums_is_refused(tmp_path, kind):
    # sat 4,3,5,2 -> mean 3.5, sum 14; speed 5,4,5,3 -> 4.25, 17; price 2,1,5,4 -> 3, 12
    row = ",,3.5,4.25,3" if kind == "mean" else ",,14,17,12"
    with pytest.raises(DataError, match=r"column 'rid', row 6: the last row has no id and its "
                       r"ratings are the column means or sums"):  # fmt: skip
        orient.load_company(make(tmp_path, SURVEY + row + "\n"))


def test_a_blank_id_row_that_is_not_a_total_is_a_blank_id(tmp_path):
    with pytest.raises(DataError, match=r"column 'rid', row 6: respondent id is blank"):
        orient.load_company(make(tmp_path, SURVEY + ",A,4,4,4\n"))


def test_xlsx_formulas_without_saved_values_name_the_column(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["rid", "seg", "sat", "speed", "price"])
    for i, (sat, speed) in enumerate([(4, 5), (3, 4), (5, 5)], start=2):
        ws.append([f"r{i}", "A", sat, speed, f"=C{i}-1"])  # openpyxl saves no cached value
    folder = make(tmp_path, b"", yaml.safe_load(yaml.safe_dump(PROFILE)))
    prof = yaml.safe_load((folder / "company.yaml").read_text())
    prof["survey"]["file"] = "survey.xlsx"
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))
    wb.save(folder / "survey.xlsx")
    with pytest.raises(DataError, match=r"survey.xlsx, column 'price', row 2: formulas without "
                       r"saved values: open and save the workbook in Excel, or export CSV"):  # fmt: skip
        orient.load_company(folder)


CLAIMS = "claim_id,received,category,resolved\nA1,{r1},Late,2026-01-10\nA2,{r2},Late,\n"


def _claims(tmp_path, text: str):
    path = tmp_path / "claims.csv"
    path.write_text(text)
    return read_operational_table(path, TABLES["claims"])


def test_dates_mixing_offsets_and_naive_name_the_row(tmp_path):
    text = CLAIMS.format(r1="2026-01-02 08:00", r2="2026-01-03 09:00+03:00")
    with pytest.raises(DataError, match=r"claims.csv, column 'received', row 3: dates with a "
                       r"time-zone offset \(\+03:00\) mixed with dates without one"):  # fmt: skip
        _claims(tmp_path, text)


def test_dates_all_with_offsets_keep_their_wall_time(tmp_path):
    text = CLAIMS.format(r1="2026-01-02T08:00+03:00", r2="2026-01-03T09:30+02:00")
    out = _claims(tmp_path, text)
    assert out["received"].tolist() == [
        pd.Timestamp(2026, 1, 2, 8),
        pd.Timestamp(2026, 1, 3, 9, 30),
    ]


# --- operational rules ---------------------------------------------------------------------

CALLS_HEAD = "interval_start,offered,answered,answered_in_target,abandoned,aht_s\n"


def _calls(tmp_path, *rows: str):
    path = tmp_path / "calls.csv"
    path.write_text(CALLS_HEAD + "".join(r + "\n" for r in rows))
    return read_operational_table(path, TABLES["calls"])


def test_calls_answered_more_than_offered(tmp_path):
    with pytest.raises(DataError, match=r"calls.csv, column 'answered', row 3: more calls "
                       r"answered than offered \(found 50\); expected answered <= offered"):  # fmt: skip
        _calls(tmp_path, "2026-03-02 08:00,40,38,30,2,240", "2026-03-02 08:30,40,50,30,0,240")


def test_calls_zero_handle_time_where_answered(tmp_path):
    with pytest.raises(DataError, match=r"calls.csv, column 'aht_s', row 2: average handle time "
                       r"is zero"):  # fmt: skip
        _calls(tmp_path, "2026-03-02 08:00,40,38,30,2,0")
    out = _calls(tmp_path, "2026-03-02 08:00,0,0,0,0,0")  # no calls: no handle time
    assert out["aht_s"].tolist() == [0.0]


def test_calls_within_target_above_answered(tmp_path):
    with pytest.raises(DataError, match=r"column 'answered_in_target', row 2"):
        _calls(tmp_path, "2026-03-02 08:00,40,30,31,2,200")


def test_calls_answered_plus_abandoned_above_offered_warns(tmp_path):
    with pytest.warns(OrientWarning, match=r"calls.csv, row 2: answered \+ abandoned exceed"):
        out = _calls(tmp_path, "2026-03-02 08:00,40,38,30,5,200")
    assert out["offered"].tolist() == [40]


def test_claims_resolved_before_received(tmp_path):
    text = CLAIMS.format(r1="2026-01-12", r2="2026-01-03")
    with pytest.raises(DataError, match=r"claims.csv, column 'resolved', row 2: resolved before "
                       r"it was received"):  # fmt: skip
        _claims(tmp_path, text)


def test_claims_received_in_the_future(tmp_path):
    text = CLAIMS.format(r1="2026-01-02", r2="2099-01-03")
    with pytest.raises(DataError, match=r"column 'received', row 3: date in the future"):
        _claims(tmp_path, text)
    tomorrow = (pd.Timestamp.now().normalize() + pd.Timedelta(days=1)).date()
    out = _claims(tmp_path, CLAIMS.format(r1="2026-01-02", r2=tomorrow))
    assert out["received"].iloc[1] == pd.Timestamp(tomorrow)


def test_claim_ids_differing_in_case_are_duplicates(tmp_path):
    text = "claim_id,received,category\nCL1,2026-01-02,Late\ncl1,2026-01-03,Late\n"
    with pytest.raises(DataError, match=r"column 'claim_id', row 3: duplicate id \(rows 2 and 3\) "
                       r"\(they differ only in letter case"):  # fmt: skip
        _claims(tmp_path, text)


DEALS_HEAD = "deal_id,manager,client,stage,created,outcome,planned_amount,closed,paid_amount\n"


def _deals(tmp_path, *rows: str):
    path = tmp_path / "deals.csv"
    path.write_text(DEALS_HEAD + "".join(r + "\n" for r in rows))
    return read_operational_table(path, TABLES["deals"])


def test_deals_closed_before_created(tmp_path):
    with pytest.raises(DataError, match=r"deals.csv, column 'closed', row 2: closed before it "
                       r"was created"):  # fmt: skip
        _deals(tmp_path, "D1,Ann,Acme,won,2026-02-10,won,1000,2026-02-01,1000")


def test_deals_paid_more_than_planned(tmp_path):
    with pytest.raises(DataError, match=r"deals.csv, column 'paid_amount', row 3: paid more than "
                       r"the planned amount \(found 5912"):  # fmt: skip
        _deals(
            tmp_path,
            "D1,Ann,Acme,won,2026-02-01,won,1000,2026-02-10,1000",
            "D2,Ann,Bco,won,2026-02-01,won,100,2026-02-10,5912",
        )


def test_valid_deals_pass_unchanged(tmp_path):
    out = _deals(tmp_path, "D1,Ann,Acme,won,2026-02-01,won,1000,2026-02-10,999.5")
    assert out["paid_amount"].tolist() == [999.5]
    assert np.isclose(out["paid_amount"].sum() / out["planned_amount"].sum(), 0.9995)


@pytest.mark.parametrize("name", ["swiftpost", "cobalt-software", "harbour-mutual", "northsteel",
                                  "volta-motors"])  # fmt: skip
def test_sample_companies_pass_every_rule(name):
    folder = Path(__file__).parent.parent / "data" / "companies" / name
    with warnings.catch_warnings():
        warnings.simplefilter("error", OrientWarning)
        orient.load_company(folder)


def test_undecidable_western_or_cyrillic_asks_for_the_encoding(tmp_path):
    # read as cp1251, 'é' alone is the Cyrillic word 'й' and 'Entreprisé' a mixed word:
    # one plausible word each way, so the encoding is asked for, not guessed
    text = SURVEY.replace("A,", "é,").replace("B,", "Entreprisé,")
    with pytest.raises(DataError, match=r"survey.csv: cannot tell whether the file is Cyrillic "
                       r"\(Windows-1251\) or Western.*read: \{encoding: cp1252\}"):  # fmt: skip
        orient.load_company(make(tmp_path, text.encode("cp1252")))
    c = orient.load_company(make(tmp_path, text.encode("cp1252"), with_read(encoding="cp1252")))
    assert sorted(set(c.survey["segment"])) == ["Entreprisé", "é"]


def test_calls_handle_time_over_an_hour_warns(tmp_path):
    with pytest.warns(OrientWarning, match=r"column 'aht_s', row 2: an average handle time over "
                      r"an hour \(4000 s\)"):  # fmt: skip
        _calls(tmp_path, "2026-03-02 08:00,40,38,30,2,4000")


def test_calls_interval_in_the_future(tmp_path):
    with pytest.raises(DataError, match=r"column 'interval_start', row 3: date in the future"):
        _calls(tmp_path, "2026-03-02 08:00,40,38,30,2,200", "2099-03-02 08:30,40,38,30,2,200")


def test_a_workbook_header_naming_a_column_twice_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["rid", "seg", "sat", "speed", "price", "sat"])
    ws.append(["r1", "A", 4, 5, 2, 1])
    wb.save(tmp_path / "s.xlsx")
    with pytest.raises(DataError, match=r"s.xlsx, column 'sat': the header names a column twice"):
        read_table(tmp_path / "s.xlsx")
