"""Exports as the client's tools write them: pandas CSV with its index, Qualtrics and
SurveyMonkey header rows, Parquet, SPSS, Stata, workbook sheets, SQL databases.

Each file is written by the format's own library (pandas, csv, openpyxl, pyarrow,
pyreadstat, sqlite3); the values read are compared with the source frame or with what
sqlite3 itself returns, never with orient's own output.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import orient
from orient import DataError
from orient.cli import main
from orient.data.read import read_table

PROFILE = {
    "name": "Testco",
    "survey": {
        "file": "survey.csv",
        "id": "rid",
        "weight": "w",
        "overall": "sat",
        "loyalty": {"recommend": "nps"},
        "attributes": {
            "speed": {"label": "Speed", "own": "speed"},
            "price": {"label": "Price", "own": "price"},
        },
    },
}

SOURCE = pd.DataFrame(
    {
        "rid": ["r1", "r2", "r3", "r4", "r5"],
        "w": [1.0, 0.5, 2.0, 1.5, 1.0],
        "sat": [4, 3, 5, 2, 4],
        "nps": [9, 7, 10, 3, 8],
        "speed": [5, 4, 5, 2, 3],
        "price": [2, 1, 5, 4, 3],
    }
)


def folder_with(tmp_path: Path, survey_file: str, profile: dict | None = None) -> Path:
    folder = tmp_path / "co"
    folder.mkdir(exist_ok=True)
    prof = yaml.safe_load(yaml.safe_dump(profile or PROFILE))
    prof["survey"]["file"] = survey_file
    (folder / "company.yaml").write_text(yaml.safe_dump(prof), encoding="utf-8")
    return folder


def assert_source_read(company, source: pd.DataFrame = SOURCE) -> None:
    s = company.survey
    assert list(s["respondent_id"]) == list(source["rid"])
    np.testing.assert_allclose(s["weight"], source["w"])
    np.testing.assert_allclose(s["overall"], source["sat"])
    np.testing.assert_allclose(s["recommend"], source["nps"])
    np.testing.assert_allclose(s["speed"], source["speed"])


# --- 1. pandas CSV with its index --------------------------------------------------------


def test_pandas_csv_index_is_set_aside_and_reported(tmp_path, capsys):
    folder = folder_with(tmp_path, "survey.csv")
    SOURCE.to_csv(folder / "survey.csv")  # first header cell empty, values 0..4
    assert (folder / "survey.csv").read_text().startswith(",rid,")
    company = orient.load_company(folder)
    assert_source_read(company)
    info = company.read_info[company.files["survey"]]
    assert info.unused == (("column 1", "a row index as pandas writes it (no name, 0..4)"),)
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "survey.csv: column 1 not used: a row index as pandas writes it" in out


def test_an_export_without_ids_and_with_an_r_row_index(tmp_path, capsys):
    """R's write.csv: an unnamed first column 1..n, and no respondent id column at all
    (`survey.id: null`): respondents are numbered by their row in the file."""
    profile = yaml.safe_load(yaml.safe_dump(PROFILE))
    profile["survey"]["id"] = None
    folder = folder_with(tmp_path, "survey.csv", profile)
    r_style = SOURCE.drop(columns="rid")
    r_style.index = range(1, len(r_style) + 1)
    r_style.to_csv(folder / "survey.csv")
    company = orient.load_company(folder)
    assert list(company.survey["respondent_id"]) == ["2", "3", "4", "5", "6"]  # file rows
    np.testing.assert_allclose(company.survey["overall"], SOURCE["sat"])
    info = company.read_info[company.files["survey"]]
    assert info.unused == (("column 1", "a row index as R writes it (no name, 1..5)"),)
    assert main(["validate", str(folder)]) == 0
    # a total row is still refused without ids: its ratings are the column means
    means = r_style.mean().to_frame().T
    pd.concat([r_style, means]).to_csv(folder / "survey.csv", index=False)
    with pytest.raises(orient.DataError, match="column means or sums"):
        orient.load_company(folder)


def test_a_first_unnamed_column_that_is_not_an_index_is_not_taken_for_one(tmp_path):
    folder = folder_with(tmp_path, "survey.csv")
    df = SOURCE.copy()
    df.insert(0, "", [7, 3, 1, 0, 2])
    df.to_csv(folder / "survey.csv", index=False)
    company = orient.load_company(folder)
    assert_source_read(company)
    assert company.read_info[company.files["survey"]].unused == (
        ("column 1", "no name in the header (5 value(s))"),
    )


def test_nameless_column_elsewhere_is_unused_unless_the_codebook_needs_it(tmp_path):
    folder = folder_with(tmp_path, "survey.csv")
    df = SOURCE.copy()
    df.insert(3, "", ["x", None, "y", None, None])
    df.to_csv(folder / "survey.csv", index=False)
    company = orient.load_company(folder)
    assert_source_read(company)
    assert company.read_info[company.files["survey"]].unused == (
        ("column 4", "no name in the header (2 value(s))"),
    )
    # the codebook names a column the header lacks: the error says column 4 has no name
    df.drop(columns=["price"]).to_csv(folder / "survey.csv", index=False)
    with pytest.raises(
        DataError,
        match=r"column 'price', row 1: column named .* not found.*"
        r"not used: column 4 \(no name in the header",
    ):
        orient.load_company(folder)


# --- 2. header rows of the survey tools --------------------------------------------------


def write_qualtrics(path: Path, source: pd.DataFrame, texts: dict[str, str]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(list(source.columns))
        w.writerow([texts.get(c, c) for c in source.columns])
        w.writerow(['{"ImportId":"%s"}' % ("QID" + str(i)) for i in range(source.shape[1])])
        for row in source.itertuples(index=False):
            w.writerow(list(row))


QTEXTS = {
    "w": "weight - How would you rate us?",
    "sat": "Overall, how satisfied are you?\n(1 = not at all, 5 = very)",
    "speed": "How fast was the delivery?",
}


def test_qualtrics_three_header_rows_are_recognised(tmp_path):
    folder = folder_with(tmp_path, "survey.csv")
    write_qualtrics(folder / "survey.csv", SOURCE, QTEXTS)
    company = orient.load_company(folder)
    assert_source_read(company)
    info = company.read_info[company.files["survey"]]
    assert info.layout == "qualtrics" and info.header_rows == 3 and info.first_row == 4
    assert info.labels["sat"] == QTEXTS["sat"] and info.labels["rid"] == "rid"


def test_qualtrics_rows_are_counted_as_the_spreadsheet_counts_them(tmp_path):
    folder = folder_with(tmp_path, "survey.csv")
    bad = SOURCE.copy()
    bad.loc[2, "speed"] = 9  # the third data row: row 3 + 3 header rows = row 6
    write_qualtrics(folder / "survey.csv", bad, QTEXTS)
    with pytest.raises(DataError, match=r"survey.csv, column 'speed', row 6: "):
        orient.load_company(folder)


def test_unrecognised_second_header_row_says_header_rows(tmp_path):
    """Two header rows without import ids: today's 'weight must be a positive number'
    now says the file seems to have 2 header rows and names read.header_rows."""
    folder = folder_with(tmp_path, "survey.csv")
    with (folder / "survey.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(SOURCE.columns))
        w.writerow([QTEXTS.get(c, c) for c in SOURCE.columns])
        w.writerows(SOURCE.itertuples(index=False))
    with pytest.raises(DataError) as err:
        orient.load_company(folder)
    msg = str(err.value)
    assert "survey.csv, column 'w', row 2: weight must be a positive number" in msg
    assert "seems to have 2 header rows" in msg and "read: {header_rows: 2}" in msg
    # with the option the same file reads, question texts kept as labels
    prof = yaml.safe_load((folder / "company.yaml").read_text())
    prof["survey"]["read"] = {"header_rows": 2}
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))
    company = orient.load_company(folder)
    assert_source_read(company)
    assert company.read_info[company.files["survey"]].labels["w"] == QTEXTS["w"]


def test_header_rows_with_names_in_the_second_row(tmp_path):
    folder = folder_with(tmp_path, "survey.csv")
    with (folder / "survey.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Panel export 2026"] + [""] * (SOURCE.shape[1] - 1))
        w.writerow(list(SOURCE.columns))
        w.writerows(SOURCE.itertuples(index=False))
    prof = yaml.safe_load((folder / "company.yaml").read_text())
    prof["survey"]["read"] = {"header_rows": 2, "names_row": 2}
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))
    assert_source_read(orient.load_company(folder))
    prof["survey"]["read"] = {"header_rows": 2, "names_row": 3}
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))
    with pytest.raises(DataError, match=r"names_row 3 is below the header"):
        orient.load_company(folder)


def write_surveymonkey(path: Path) -> None:
    """A SurveyMonkey-shaped XLSX: questions in row 1 merged over their options in row 2."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "Respondent ID",
            "Weight",
            "Overall satisfaction",
            "Recommend (0-10)",
            "Please rate us on",
            None,
            "Comments",
        ]
    )
    ws.append([None, None, "Response", "Response", "Speed", "Price", "Open-Ended Response"])
    ws.merge_cells(start_row=1, start_column=5, end_row=1, end_column=6)
    for r in SOURCE.itertuples(index=False):
        ws.append([r.rid, r.w, r.sat, r.nps, r.speed, r.price, "ok"])
    wb.save(path)


def test_surveymonkey_two_header_rows_are_recognised(tmp_path):
    profile = {
        "name": "Testco",
        "survey": {
            "id": "Respondent ID",
            "weight": "Weight",
            "overall": "Overall satisfaction",
            "loyalty": {"recommend": "Recommend (0-10)"},
            "attributes": {
                "speed": {"label": "Speed", "own": "Please rate us on - Speed"},
                "price": {"label": "Price", "own": "Please rate us on - Price"},
            },
        },
    }
    folder = folder_with(tmp_path, "survey.xlsx", profile)
    write_surveymonkey(folder / "survey.xlsx")
    company = orient.load_company(folder)
    assert_source_read(company)
    np.testing.assert_allclose(company.survey["price"], SOURCE["price"])
    info = company.read_info[company.files["survey"]]
    assert info.layout == "surveymonkey" and info.first_row == 3


# --- 3. formats by their own writers -----------------------------------------------------


def test_parquet_is_read_with_pyarrow(tmp_path):
    pytest.importorskip("pyarrow")
    folder = folder_with(tmp_path, "survey.parquet")
    SOURCE.to_parquet(folder / "survey.parquet", engine="pyarrow")
    assert_source_read(orient.load_company(folder))


def test_parquet_under_a_csv_name_never_reaches_the_text_decoder(tmp_path):
    pytest.importorskip("pyarrow")
    folder = folder_with(tmp_path, "survey.csv")
    SOURCE.to_parquet(folder / "survey.csv", engine="pyarrow")
    assert_source_read(orient.load_company(folder))


def test_damaged_binary_file_is_not_called_bad_text(tmp_path):
    pytest.importorskip("pyreadstat")
    path = tmp_path / "survey.sav"
    path.write_bytes(b"\xff\xfe\x00\x81" * 64)  # neither UTF-8 nor Windows-1251
    with pytest.raises(DataError) as err:
        read_table(path)
    assert "not a readable file" in str(err.value) and "UTF-8" not in str(err.value)


def test_missing_reader_package_is_named(tmp_path, monkeypatch):
    path = tmp_path / "survey.parquet"
    path.write_bytes(b"PAR1" + b"\0" * 32)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(
        DataError,
        match=r"survey.parquet: reading a Parquet file needs the "
        r"pyarrow package; expected pip install pyarrow",
    ):
        read_table(path)


def test_xls_without_xlrd_names_it(tmp_path, monkeypatch):
    path = tmp_path / "survey.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    monkeypatch.setitem(sys.modules, "xlrd", None)
    with pytest.raises(DataError, match=r"survey.xls: reading an .xls workbook needs the xlrd"):
        read_table(path)


@pytest.mark.parametrize("suffix", [".sav", ".zsav", ".dta"])
def test_spss_and_stata_keep_codes_and_carry_labels(tmp_path, suffix):
    pyreadstat = pytest.importorskip("pyreadstat")
    folder = folder_with(tmp_path, "survey" + suffix)
    path = folder / ("survey" + suffix)
    col_labels = ["Respondent", "Weight", "Overall satisfaction", "Recommend", "Speed", "Price"]
    vlabels = {"sat": {1.0: "very dissatisfied", 5.0: "very satisfied"}}
    if suffix == ".dta":
        pyreadstat.write_dta(
            SOURCE,
            str(path),
            column_labels=col_labels,
            variable_value_labels={"sat": {1: "very dissatisfied", 5: "very satisfied"}},
        )
    else:
        pyreadstat.write_sav(
            SOURCE,
            str(path),
            column_labels=col_labels,
            variable_value_labels=vlabels,
            compress=suffix == ".zsav",
        )
    company = orient.load_company(folder)
    assert_source_read(company)
    info = company.read_info[company.files["survey"]]
    assert info.labels["sat"] == "Overall satisfaction" and info.labels["speed"] == "Speed"
    assert info.value_labels["sat"] == {1: "very dissatisfied", 5: "very satisfied"}


def workbook_with_sheets(path: Path, finance: pd.DataFrame) -> None:
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        pd.DataFrame({"note": ["cover sheet"]}).to_excel(xw, sheet_name="Cover", index=False)
        SOURCE.to_excel(xw, sheet_name="Survey", index=False)
        finance.to_excel(xw, sheet_name="Finance", index=False)


FINANCE = pd.DataFrame(
    {
        "customer_id": ["C1", "C2", "C3"],
        "revenue": [100.5, 50.0, 70.0],
        "cost": [80.0, 45.0, 20.0],
        "retained": [1, 0, 1],
    }
)


def test_sheet_is_honoured_for_the_survey_and_every_table(tmp_path):
    folder = folder_with(tmp_path, "client.xlsx")
    workbook_with_sheets(folder / "client.xlsx", FINANCE)
    prof = yaml.safe_load((folder / "company.yaml").read_text())
    prof["survey"]["read"] = {"sheet": "Survey"}
    prof["tables"] = {"finance": {"file": "client.xlsx", "read": {"sheet": "Finance"}}}
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))
    company = orient.load_company(folder)
    assert_source_read(company)
    assert list(company.finance["customer_id"]) == ["C1", "C2", "C3"]
    np.testing.assert_allclose(company.finance["revenue"], FINANCE["revenue"])
    # how each was read is the company's, not the frames' (pandas drops attrs)
    assert {k: i.sheet for k, i in company.read_info.items()} == {
        "client.xlsx": "Survey",
        "client.xlsx (sheet Finance)": "Finance",
    }
    assert "read_info" not in company.survey.attrs and "read_info" not in company.finance.attrs
    prof["tables"]["finance"]["read"]["sheet"] = "Finances"
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))
    with pytest.raises(
        DataError,
        match=r"client.xlsx: sheet not found in the workbook \(found "
        r"'Finances'\); expected one of the sheets 'Cover', 'Survey', 'Finance'",
    ):
        orient.load_company(folder)


# --- 4. databases ------------------------------------------------------------------------


def sqlite_company(tmp_path: Path) -> Path:
    pytest.importorskip("sqlalchemy")
    folder = folder_with(tmp_path, "sqlite:///client.db")
    con = sqlite3.connect(folder / "client.db")
    con.execute("create table responses (rid text, w real, sat int, nps int, speed int, price int)")
    con.executemany("insert into responses values (?,?,?,?,?,?)", SOURCE.itertuples(index=False))
    con.execute(
        "create table finance_raw (customer_id text, revenue real, cost real, "
        "retained int, year int)"
    )
    con.executemany(
        "insert into finance_raw values (?,?,?,?,?)",
        [("C1", 100.5, 80, 1, 2025), ("C2", 50, 45, 0, 2025), ("C3", 9, 1, 1, 2024)],
    )
    con.commit()
    con.close()
    return folder


def set_profile(folder: Path, **changes) -> None:
    prof = yaml.safe_load((folder / "company.yaml").read_text())
    for key, value in changes.items():
        node = prof
        *parents, last = key.split("__")
        for k in parents:
            node = node.setdefault(k, {})
        node[last] = value
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))


def test_sqlite_table_and_query_with_the_url_from_the_environment(tmp_path, monkeypatch):
    folder = sqlite_company(tmp_path)
    monkeypatch.setenv("ORIENT_DB_URL", f"sqlite:///{folder / 'client.db'}")
    set_profile(
        folder,
        survey__read={"table": "responses"},
        tables={
            "finance": {
                "read": {
                    "url_env": "ORIENT_DB_URL",
                    "query": "select * from finance_raw where year = 2025",
                }
            }
        },
    )
    company = orient.load_company(folder)
    assert_source_read(company)
    with sqlite3.connect(folder / "client.db") as con:
        expected = con.execute(
            "select customer_id, revenue from finance_raw where year = 2025 order by rowid"
        ).fetchall()
    assert (
        list(zip(company.finance["customer_id"], company.finance["revenue"], strict=True))
        == expected
    )
    assert company.files["survey"] == "sqlite:///client.db (table responses)"


def test_database_errors_name_the_source_and_table(tmp_path, monkeypatch):
    folder = sqlite_company(tmp_path)
    set_profile(folder, survey__read={"table": "answers"})
    with pytest.raises(
        DataError,
        match=r"sqlite:///client.db \(table answers\), column "
        r"'read.table': table not found in the database \(found 'answers'\); "
        r"expected one of its tables: finance_raw, responses",
    ):
        orient.load_company(folder)
    set_profile(folder, survey__read={"query": "select rid, w, sat, nps, speed from responses"})
    with pytest.raises(DataError, match=r"sqlite:///client.db \(query\), column 'price', row 1"):
        orient.load_company(folder)
    set_profile(folder, survey__read={})
    with pytest.raises(DataError, match=r"needs read.table or read.query"):
        orient.load_company(folder)
    set_profile(folder, survey__file="survey.csv", survey__read={"table": "responses"})
    with pytest.raises(DataError, match=r"read.table applies to a database source only"):
        orient.load_company(folder)
    monkeypatch.delenv("ORIENT_NO_SUCH_URL", raising=False)
    set_profile(folder, survey__read={"url_env": "ORIENT_NO_SUCH_URL", "table": "responses"})
    with pytest.raises(DataError, match=r"survey.read.url_env': give file or read.url_env"):
        orient.load_company(folder)
    prof = yaml.safe_load((folder / "company.yaml").read_text())
    del prof["survey"]["file"]
    (folder / "company.yaml").write_text(yaml.safe_dump(prof))
    with pytest.raises(
        DataError,
        match=r"company.yaml, column 'survey.read.url_env': "
        r"environment variable ORIENT_NO_SUCH_URL is not set",
    ):
        orient.load_company(folder)


def test_a_url_is_never_a_file_name_and_its_password_is_never_shown(tmp_path):
    pytest.importorskip("sqlalchemy")
    with pytest.raises(DataError) as err:
        read_table("postgresql://orient:s3cret@127.0.0.1:1/crm", table="responses")
    msg = str(err.value)
    assert "s3cret" not in msg and "file not found" not in msg
    assert msg.startswith("postgresql://orient:***@127.0.0.1:1/crm (table responses)")


def test_postgresql_source(tmp_path, monkeypatch):
    """Against a real server: `make test` starts one (scripts/testdb.sh); CI requires it."""
    url = os.environ.get("ORIENT_TEST_PG_URL")
    if not url:
        if os.environ.get("ORIENT_REQUIRE_PG") == "1":
            pytest.fail("ORIENT_REQUIRE_PG=1 but no PostgreSQL server (ORIENT_TEST_PG_URL)")
        pytest.skip("ORIENT_TEST_PG_URL not set (scripts/testdb.sh start sets it)")
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    name = f"orient_test_{os.getpid()}"
    with engine.begin() as con:
        SOURCE.to_sql(name, con, index=False, if_exists="replace")
    try:
        folder = folder_with(tmp_path, "unused")
        monkeypatch.setenv("ORIENT_TEST_SURVEY_URL", url)
        prof = yaml.safe_load((folder / "company.yaml").read_text())
        del prof["survey"]["file"]
        prof["survey"]["read"] = {"url_env": "ORIENT_TEST_SURVEY_URL", "table": name}
        (folder / "company.yaml").write_text(yaml.safe_dump(prof))
        assert_source_read(orient.load_company(folder))
    finally:
        with engine.begin() as con:
            con.execute(sa.text(f'drop table if exists "{name}"'))
        engine.dispose()


def test_pandas_xlsx_index_and_qualtrics_xlsx(tmp_path):
    folder = folder_with(tmp_path, "survey.xlsx")
    SOURCE.to_excel(folder / "survey.xlsx")  # index written with a blank header cell
    company = orient.load_company(folder)
    assert_source_read(company)
    assert company.read_info[company.files["survey"]].unused[0][0] == "column 1"
    rows = [list(SOURCE.columns), [QTEXTS.get(c, c) for c in SOURCE.columns]]
    rows.append(['{"ImportId":"QID' + str(i) + '"}' for i in range(SOURCE.shape[1])])
    grid = pd.DataFrame(rows + SOURCE.astype(object).values.tolist())
    grid.to_excel(folder / "survey.xlsx", index=False, header=False)
    company = orient.load_company(folder)
    assert_source_read(company)
    assert company.read_info[company.files["survey"]].layout == "qualtrics"


def test_table_with_an_extra_header_row_names_header_rows(tmp_path):
    folder = folder_with(tmp_path, "survey.csv")
    SOURCE.to_csv(folder / "survey.csv", index=False)
    finance = "customer_id,revenue,cost,retained\nCustomer,Revenue EUR,Cost EUR,Retained?\n"
    finance += "C1,100.5,80,1\nC2,50,45,0\n"
    (folder / "finance.csv").write_text(finance)
    with pytest.raises(DataError) as err:
        orient.load_company(folder)
    msg = str(err.value)
    assert msg.startswith("finance.csv, column 'revenue', row 2: not a number")
    assert "seems to have 2 header rows" in msg
    set_profile(folder, tables={"finance": {"file": "finance.csv", "read": {"header_rows": 2}}})
    company = orient.load_company(folder)
    np.testing.assert_allclose(company.finance["revenue"], [100.5, 50.0])
    # a bad value further down is counted as the file counts it: header rows 1-2, C2 row 4
    (folder / "finance.csv").write_text(finance.replace("C2,50,", "C2,fifty,"))
    with pytest.raises(DataError, match=r"finance.csv, column 'revenue', row 4: not a number"):
        orient.load_company(folder)


def test_table_given_as_a_bare_url_asks_for_table_or_query(tmp_path):
    folder = sqlite_company(tmp_path)
    set_profile(
        folder, survey__read={"table": "responses"}, tables={"finance": "sqlite:///client.db"}
    )
    with pytest.raises(
        DataError,
        match=r"sqlite:///client.db, column 'tables.finance.read': "
        r"a database source needs read.table or read.query",
    ):
        orient.load_company(folder)
    set_profile(
        folder,
        tables={"finance": {"file": "sqlite:///client.db", "read": {"table": "finance_raw"}}},
    )
    company = orient.load_company(folder)
    assert len(company.finance) == 3 and company.files["finance"].endswith("(table finance_raw)")
