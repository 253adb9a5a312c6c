"""``orient new DIR --from FILE``: a draft company.yaml read from the client's exports.

The exports are written by their own libraries (pandas, csv, pyreadstat) from frames
whose codebook the test knows; the draft is compared with that codebook (or with the
sample companies' own company.yaml, written by the generator), and must pass
``orient validate`` unchanged.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import orient
from orient import DataError
from orient.cli import main
from orient.data.draft import draft_company

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["swiftpost", "cobalt-software", "harbour-mutual", "northsteel", "volta-motors"]


def _codebook(profile: dict) -> dict:
    s = profile["survey"]
    segment = s.get("segment")
    return {
        "id": s.get("id", "respondent_id"),
        "weight": s.get("weight"),
        "customer_id": s.get("customer_id"),
        "wave": s.get("wave"),
        "segment": [segment] if isinstance(segment, str) else segment,
        "overall": s["overall"],
        "recommend": (s.get("loyalty") or {}).get("recommend"),
        "repurchase": (s.get("loyalty") or {}).get("repurchase"),
        "attributes": sorted((a["own"], a.get("competitor")) for a in s["attributes"].values()),
    }


@pytest.mark.parametrize("slug", SAMPLES)
def test_the_draft_of_each_sample_is_the_codebook_it_has(tmp_path, slug):
    source = ROOT / "data" / "companies" / slug
    truth = yaml.safe_load((source / "company.yaml").read_text(encoding="utf-8"))
    files = sorted(p for p in source.iterdir() if p.name != "company.yaml")
    target = draft_company(tmp_path / slug, files)
    draft = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert _codebook(draft) == _codebook(truth)
    assert draft["language"] == truth["language"]
    scale = truth["survey"]["scale"]
    assert draft["survey"]["scale"] == {"min": scale["min"], "max": scale["max"]}
    overall = truth["survey"].get("overall_scale")
    if overall:  # harbour-mutual: overall 1-10 beside 1-5 attributes
        assert draft["survey"]["overall_scale"] == overall
    assert draft["survey"]["satisfaction_items"] == truth["survey"]["satisfaction_items"]
    # the draft loads as it is, with the tables the sample has
    company = orient.load_company(tmp_path / slug)
    expected = orient.load_company(source)
    assert company.table_found() == expected.table_found()
    assert len(company.survey) == len(expected.survey)
    np.testing.assert_allclose(
        company.survey["overall"].to_numpy(), expected.survey["overall"].to_numpy()
    )


def test_every_guess_is_commented_and_unplaced_columns_listed(tmp_path):
    rng = np.random.default_rng(1)
    n = 60
    df = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(n)],
            "overall_satisfaction": rng.integers(1, 6, n),
            "comment": [f"free text {i}" for i in range(n)],
            "speed": rng.integers(1, 6, n),
            "price": rng.integers(1, 6, n),
        }
    )
    df.to_csv(tmp_path / "export.csv", index=False)
    text = draft_company(tmp_path / "co", [tmp_path / "export.csv"]).read_text(encoding="utf-8")
    assert 'overall: "overall_satisfaction"   # guess: its name' in text
    assert "#   comment: all values different" in text
    assert "loyalty: no column looks like recommend" in text
    assert main(["validate", str(tmp_path / "co")]) == 0


def test_pandas_csv_with_index_russian_names_weights_and_a_1_5_recommend(tmp_path):
    rng = np.random.default_rng(7)
    n = 80
    df = pd.DataFrame(
        {
            "ID респондента": [f"R{i:03d}" for i in range(n)],
            "Вес": rng.uniform(0.5, 2.0, n).round(3),
            "Регион": rng.choice(["Север", "Юг", "Центр"], n),
            "Общая удовлетворенность": rng.integers(1, 8, n),
            "Готовность рекомендовать": rng.integers(1, 6, n),
            "Скорость": rng.integers(1, 8, n),
            "Цена": rng.integers(1, 8, n),
        }
    )
    df.loc[3, "Цена"] = 99  # code outside the scale: left to the consultant
    df["Цена"] = df["Цена"].astype(object)
    df.loc[[5, 9], "Цена"] = "Затрудняюсь ответить"
    df.loc[3, "Цена"] = 4
    df.to_csv(tmp_path / "survey.csv")  # pandas writes its index as an unnamed column
    draft_company(tmp_path / "co", [tmp_path / "survey.csv"], name="Ромашка")
    d = yaml.safe_load((tmp_path / "co" / "company.yaml").read_text(encoding="utf-8"))
    s = d["survey"]
    assert d["name"] == "Ромашка"
    assert s["id"] == "ID респондента" and s["weight"] == "Вес" and s["segment"] == "Регион"
    assert s["overall"] == "Общая удовлетворенность"
    assert s["loyalty"] == {
        "recommend": "Готовность рекомендовать",
        "recommend_scale": {"min": 1, "max": 5},
    }
    assert s["scale"] == {"min": 1, "max": 7}
    assert {a["own"] for a in s["attributes"].values()} == {"Скорость", "Цена"}
    assert s["missing_codes"] == ["Затрудняюсь ответить"]
    company = orient.load_company(tmp_path / "co")
    assert company.scale("recommend") == (1, 5)
    assert int(company.survey[_key(s, "Цена")].isna().sum()) == 2


def _write_qualtrics(path: Path, df: pd.DataFrame, texts: dict[str, str]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(list(df.columns))
        w.writerow([texts.get(c, c) for c in df.columns])
        w.writerow([json.dumps({"ImportId": c}) for c in df.columns])
        for row in df.itertuples(index=False):
            w.writerow(list(row))


def test_a_qualtrics_export_read_by_its_question_texts(tmp_path):
    rng = np.random.default_rng(3)
    n = 50
    df = pd.DataFrame(
        {
            "StartDate": ["2026-01-05 10:00:00"] * n,
            "Status": [0] * n,
            "Progress": rng.choice([100, 80], n),
            "Finished": rng.choice([0, 1], n),
            "ResponseId": [f"R_{i:05d}" for i in range(n)],
            "Q1": rng.integers(0, 11, n),
            "Q2": rng.integers(1, 6, n),
            "Q3_1": rng.integers(1, 6, n),
            "Q3_2": rng.integers(1, 6, n),
            "Q4": rng.choice(["Business", "Leisure"], n),
        }
    )
    texts = {
        "Q1": "How likely are you to recommend us to a friend?",
        "Q2": "Overall, how satisfied are you with our service?",
        "Q3_1": "Please rate: - Check-in",
        "Q3_2": "Please rate: - Seat comfort",
        "Q4": "Type of travel",
    }
    _write_qualtrics(tmp_path / "qualtrics.csv", df, texts)
    text = draft_company(tmp_path / "co", [tmp_path / "qualtrics.csv"]).read_text("utf-8")
    s = yaml.safe_load(text)["survey"]
    assert "qualtrics export" in text
    assert s["id"] == "ResponseId" and s["overall"] == "Q2" and s["segment"] == "Q4"
    assert s["loyalty"] == {"recommend": "Q1"}
    assert sorted(a["own"] for a in s["attributes"].values()) == ["Q3_1", "Q3_2"]
    # the question text is the label: no label written
    assert all(a["label"] != "Q3 1" for a in s["attributes"].values())
    assert "Finished" not in [a["own"] for a in s["attributes"].values()]
    company = orient.load_company(tmp_path / "co")
    assert company.attribute_labels[_key(s, "Q3_2")].endswith("Seat comfort")
    assert company.scale("recommend") == (0, 10)


def _key(survey: dict, column: str) -> str:
    return next(k for k, a in survey["attributes"].items() if a["own"] == column)


def test_an_spss_file_gives_scale_and_labels_from_its_metadata(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    rng = np.random.default_rng(5)
    n = 40
    df = pd.DataFrame(
        {
            "resp_id": np.arange(1, n + 1, dtype=float),
            "osat": rng.integers(1, 6, n).astype(float),
            "v1": rng.integers(1, 6, n).astype(float),
            "v2": rng.integers(1, 6, n).astype(float),
        }
    )
    df.loc[[2, 7], "v2"] = 9.0  # "Don't know"
    scale = {1.0: "Very poor", 2.0: "Poor", 3.0: "Fair", 4.0: "Good", 5.0: "Very good"}
    pyreadstat.write_sav(
        df,
        str(tmp_path / "wave.sav"),
        column_labels=["Respondent", "Overall satisfaction", "Delivery speed", "Price"],
        variable_value_labels={"osat": scale, "v1": scale, "v2": {**scale, 9.0: "Don't know"}},
    )
    text = draft_company(tmp_path / "co", [tmp_path / "wave.sav"]).read_text("utf-8")
    s = yaml.safe_load(text)["survey"]
    assert s["id"] == "resp_id" and s["overall"] == "osat"
    assert "scale" not in s  # the value labels give it
    assert "value labels give it" in text
    assert {a["own"]: a.get("label") for a in s["attributes"].values()} == {
        "v1": "Delivery speed",
        "v2": "Price",
    }
    company = orient.load_company(tmp_path / "co")
    assert company.scale("overall") == (1, 5)
    assert int(company.survey[_key(s, "v2")].isna().sum()) == 2


def test_a_binary_text_overall(tmp_path):
    rng = np.random.default_rng(11)
    n = 60
    answers = np.array(["satisfied", "neutral or dissatisfied"])
    df = pd.DataFrame(
        {
            "id": range(n),
            "satisfaction": answers[rng.integers(0, 2, n)],
            "Class": rng.choice(["Eco", "Business", "Eco Plus"], n),
            "Customer Type": rng.choice(["Loyal", "Disloyal"], n),
            "Seat comfort": rng.integers(0, 6, n),
            "Food and drink": rng.integers(0, 6, n),
        }
    )
    df.to_csv(tmp_path / "airline.csv", index=False)
    draft_company(tmp_path / "co", [tmp_path / "airline.csv"])
    s = yaml.safe_load((tmp_path / "co" / "company.yaml").read_text("utf-8"))["survey"]
    assert s["overall"] == "satisfaction"
    assert s["overall_scale"] == {
        "min": 0,
        "max": 1,
        "labels": {"neutral or dissatisfied": 0, "satisfied": 1},
    }
    assert s["segment"] == ["Class", "Customer Type"]
    assert s["scale"] == {"min": 0, "max": 5}
    company = orient.load_company(tmp_path / "co")
    assert company.survey["overall"].sum() == (df["satisfaction"] == "satisfied").sum()


def test_operational_tables_in_their_own_names(tmp_path):
    pd.DataFrame(
        {
            "Complaint ID": ["c1", "c2", "c3"],
            "Date received": ["2026-01-02", "2026-01-05", "2026-02-01"],
            "Product": ["Mortgage", "Card", "Card"],
        }
    ).to_csv(tmp_path / "complaints.csv", index=False)
    draft_company(tmp_path / "co", [tmp_path / "complaints.csv"])
    d = yaml.safe_load((tmp_path / "co" / "company.yaml").read_text("utf-8"))
    assert "survey" not in d
    assert d["tables"]["claims"] == {
        "file": "complaints.csv",
        "columns": {"claim_id": "Complaint ID", "received": "Date received", "category": "Product"},
    }
    company = orient.load_company(tmp_path / "co")
    assert list(company.claims["category"]) == ["Mortgage", "Card", "Card"]


def test_never_overwrites_and_names_bad_files(tmp_path, capsys):
    folder = tmp_path / "co"
    folder.mkdir()
    (folder / "company.yaml").write_text("name: Kept\n", encoding="utf-8")
    pd.DataFrame({"a": [1, 2]}).to_csv(tmp_path / "x.csv", index=False)
    assert main(["new", str(folder), "--from", str(tmp_path / "x.csv")]) == 1
    assert "does not overwrite" in capsys.readouterr().err
    assert (folder / "company.yaml").read_text(encoding="utf-8") == "name: Kept\n"
    with pytest.raises(DataError, match="file not found"):
        draft_company(tmp_path / "new", [tmp_path / "missing.csv"])
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "x.csv").write_text("a\n3\n", encoding="utf-8")
    (tmp_path / "new2").mkdir()
    (tmp_path / "new2" / "x.csv").write_text("a\n4\n", encoding="utf-8")
    with pytest.raises(DataError, match="different file of that name"):
        draft_company(tmp_path / "new2", [tmp_path / "other" / "x.csv"])
    assert not (tmp_path / "new2" / "company.yaml").exists()


def test_a_crm_pipeline_export_gets_columns_and_stage_values(tmp_path):
    pipeline = pd.DataFrame(
        {
            "opportunity_id": ["o1", "o2", "o3", "o4", "o5", "o6"],
            "sales_agent": ["Ann", "Bob", "Ann", "Cy", "Bob", "Ann"],
            "account": ["A", "B", "C", "D", "E", "F"],
            "deal_stage": ["Won", "Lost", "Engaging", "Prospecting", "Engaging", "Won"],
            "engage_date": ["2026-01-02"] * 6,
            "close_date": ["2026-02-01", "2026-02-03", None, None, None, "2026-03-01"],
            "close_value": [1200, 0, 0, 0, 0, 800],
        }
    )
    pipeline.to_csv(tmp_path / "sales_pipeline.csv", index=False)
    draft_company(tmp_path / "co", [tmp_path / "sales_pipeline.csv"])
    d = yaml.safe_load((tmp_path / "co" / "company.yaml").read_text("utf-8"))
    assert d["tables"]["deals"]["columns"] == {
        "deal_id": "opportunity_id",
        "manager": "sales_agent",
        "client": "account",
        "stage": "deal_stage",
        "created": "engage_date",
        "planned_amount": "close_value",
        "closed": "close_date",
    }
    assert d["crm"]["stage_values"] == {
        "Won": "won",
        "Lost": "lost",
        "Engaging": "Engaging",
        "Prospecting": "Prospecting",
    }
    company = orient.load_company(tmp_path / "co")
    assert list(company.deals["outcome"]) == ["won", "lost", "open", "open", "open", "won"]


def test_a_workbook_with_survey_and_finance_sheets(tmp_path):
    rng = np.random.default_rng(2)
    n = 40
    survey = pd.DataFrame(
        {
            "respondent_id": [f"r{i}" for i in range(n)],
            "customer_id": [f"C{i}" for i in range(n)],
            "overall": rng.integers(1, 6, n),
            "speed": rng.integers(1, 6, n),
            "price": rng.integers(1, 6, n),
        }
    )
    finance = pd.DataFrame(
        {
            "customer_id": [f"C{i}" for i in range(n)],
            "revenue": rng.uniform(100, 900, n).round(2),
            "cost": rng.uniform(50, 400, n).round(2),
            "retained": rng.integers(0, 2, n),
        }
    )
    with pd.ExcelWriter(tmp_path / "client.xlsx", engine="openpyxl") as xl:
        finance.to_excel(xl, sheet_name="Finance", index=False)
        survey.to_excel(xl, sheet_name="Survey", index=False)
    draft_company(tmp_path / "co", [tmp_path / "client.xlsx"])
    d = yaml.safe_load((tmp_path / "co" / "company.yaml").read_text("utf-8"))
    assert d["survey"]["file"] == "client.xlsx" and d["survey"]["read"] == {"sheet": "Survey"}
    assert d["tables"]["finance"] == {"file": "client.xlsx", "read": {"sheet": "Finance"}}
    company = orient.load_company(tmp_path / "co")
    np.testing.assert_allclose(company.finance["revenue"], finance["revenue"])
    assert list(company.survey["overall"]) == list(survey["overall"])


def test_a_surveymonkey_workbook(tmp_path):
    import openpyxl

    rng = np.random.default_rng(9)
    n = 30
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(
        [
            "Respondent ID",
            "Collector ID",
            "Weight",
            "Overall satisfaction",
            "How likely are you to recommend us? (0-10)",
            "Please rate us on",
            None,
            "Comments",
        ]
    )
    ws.append([None, None, None, "Response", "Response", "Speed", "Price", "Open-Ended Response"])
    ws.merge_cells(start_row=1, start_column=6, end_row=1, end_column=7)
    for i in range(n):
        ws.append(
            [
                1000 + i,
                77,
                round(float(rng.uniform(0.5, 2)), 3),
                int(rng.integers(1, 6)),
                int(rng.integers(0, 11)),
                int(rng.integers(1, 6)),
                int(rng.integers(1, 6)),
                f"comment {i}",
            ]
        )
    wb.save(tmp_path / "monkey.xlsx")
    text = draft_company(tmp_path / "co", [tmp_path / "monkey.xlsx"]).read_text("utf-8")
    s = yaml.safe_load(text)["survey"]
    assert "surveymonkey export" in text
    assert s["id"] == "Respondent ID" and s["weight"] == "Weight"
    assert s["overall"] == "Overall satisfaction"
    assert s["loyalty"] == {"recommend": "How likely are you to recommend us? (0-10)"}
    assert sorted(a["own"] for a in s["attributes"].values()) == [
        "Please rate us on - Price",
        "Please rate us on - Speed",
    ]
    assert main(["validate", str(tmp_path / "co")]) == 0
