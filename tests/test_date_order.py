"""Dates that are not ISO (03/31/2026, 31.03.2026 14:22) read when company.yaml says their
order (``read: {date_order: MDY}`` or ``DMY``), refused with that hint when it does not."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import yaml

import orient
from orient.data.tables import TABLES, read_operational_table


def _claims(tmp_path, received, resolved=None):
    rows = {"claim_id": [f"C{i}" for i in range(len(received))], "received": received}
    rows["category"] = ["delivery"] * len(received)
    if resolved is not None:
        rows["resolved"] = resolved
    path = tmp_path / "claims.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_month_first_dates_with_and_without_times(tmp_path):
    path = _claims(
        tmp_path,
        ["10/18/2025", "1/2/2026", "12/31/25", "2026-02-03"],
        ["10/20/2025 2:05 PM", "1/2/2026 14:30", "01/05/2026 09:15:30", ""],
    )
    claims = read_operational_table(path, TABLES["claims"], date_order="MDY")
    assert claims["received"].tolist() == [
        pd.Timestamp(2025, 10, 18),
        pd.Timestamp(2026, 1, 2),
        pd.Timestamp(2025, 12, 31),
        pd.Timestamp(2026, 2, 3),  # ISO is read whatever the order
    ]
    assert claims["resolved"].iloc[:3].tolist() == [
        pd.Timestamp(dt.datetime(2025, 10, 20, 14, 5)),
        pd.Timestamp(dt.datetime(2026, 1, 2, 14, 30)),
        pd.Timestamp(dt.datetime(2026, 1, 5, 9, 15, 30)),
    ]
    assert pd.isna(claims["resolved"].iloc[3])  # blank: not recorded


def test_day_first_dates_with_dots_slashes_and_dashes(tmp_path):
    path = _claims(tmp_path, ["18.10.2025", "02/01/2026", "31-12-2025 08:30"])
    claims = read_operational_table(path, TABLES["claims"], date_order="DMY")
    assert claims["received"].tolist() == [
        pd.Timestamp(2025, 10, 18),
        pd.Timestamp(2026, 1, 2),
        pd.Timestamp(dt.datetime(2025, 12, 31, 8, 30)),
    ]


def test_without_the_order_a_numeric_date_is_refused_with_the_setting_named(tmp_path):
    path = _claims(tmp_path, ["2025-10-17", "10/18/2025"])
    with pytest.raises(orient.DataError) as info:
        read_operational_table(path, TABLES["claims"])
    err = info.value
    assert err.column == "received" and err.row == 3 and "claims.csv" in str(err.file)
    assert "date_order: MDY" in err.expected and "DMY" in err.expected


def test_a_date_impossible_in_the_order_given_is_refused_at_its_row(tmp_path):
    path = _claims(tmp_path, ["10/18/2025", "18/10/2025"])  # month 18
    with pytest.raises(orient.DataError) as info:
        read_operational_table(path, TABLES["claims"], date_order="MDY")
    assert info.value.row == 3 and info.value.value == "18/10/2025"
    assert "MDY date such as 03/31/2026" in info.value.expected


def test_company_yaml_date_order_reaches_the_table_and_not_the_survey(tmp_path):
    folder = tmp_path / "acme"
    orient.synth.make_company(folder, seed=1, n_respondents=60, slug="acme")
    _claims(folder, ["10/18/2025", "11/02/2025"], ["10/25/2025", "11/30/2025"])
    profile = yaml.safe_load((folder / "company.yaml").read_text())
    profile.setdefault("tables", {})["claims"] = {
        "file": "claims.csv",
        "read": {"date_order": "MDY"},
    }
    (folder / "company.yaml").write_text(yaml.safe_dump(profile))
    company = orient.load_company(folder)
    assert company.claims["received"].tolist() == [
        pd.Timestamp(2025, 10, 18),
        pd.Timestamp(2025, 11, 2),
    ]
    profile["tables"]["claims"]["read"]["date_order"] = "YDM"
    (folder / "company.yaml").write_text(yaml.safe_dump(profile))
    with pytest.raises(orient.DataError, match="date_order"):
        orient.load_company(folder)
    profile["tables"]["claims"]["read"]["date_order"] = "MDY"
    profile["survey"].setdefault("read", {})["date_order"] = "DMY"
    (folder / "company.yaml").write_text(yaml.safe_dump(profile))
    with pytest.raises(orient.DataError, match="no date columns"):
        orient.load_company(folder)
