"""The sales director's section: tables and sentences in both languages."""

from __future__ import annotations

import dataclasses

import pytest

import orient
from orient.operations.crm import display_sales as sd
from orient.report import sample_company_dir


@pytest.fixture(scope="module")
def result():
    return orient.crm.analyse(orient.load_company(sample_company_dir("cobalt-software")))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_tables_and_sentences_render(result, language):
    r = dataclasses.replace(result, language=language)
    for table in (sd.manager_table(r), sd.forecast_table(r), sd.stalled_table(r),
                  sd.effect_table(r, "source"), sd.refusal_stage_table(r)):  # fmt: skip
        assert not table.empty
        html = table.to_html()
        assert "nan" not in html.lower().replace("financ", "")
    for by in r.sales.effects:  # captions name the grouping in words, no internal key
        assert "_" not in sd.effect_table(r, by).to_html().split("</caption>")[0]
    texts = sd.sales_texts(r)
    assert texts and sd.backtest_text(r)
    if language == "ru":
        assert "Менеджер" in sd.manager_table(r).to_html()
        assert all("open deals" not in t for t in texts)


def test_headline_numbers_match_the_tables(result):
    h = orient.crm.headline(result)
    s = result.sales
    assert h["stalled_deals"] == len(s.stalled)
    assert h["forecast_next_period"] == pytest.approx(s.forecast["expected"].iloc[0])
    assert h["managers"] == len(s.managers)
    # the sample's CRM marks every lost deal only as "Lost"; its stage history says where
    assert s.lost_stage_from_history == s.refusals_by_stage["all"].sum() > 0
    assert h["lost_stage_not_recorded_share"] == 0.0
    assert "not recorded" not in s.refusals_by_stage.index


@pytest.mark.parametrize("language", ["en", "ru"])
def test_commission_and_contact_tables(tmp_path, language):
    import shutil

    import pandas as pd
    import yaml

    src = sample_company_dir("cobalt-software")
    folder = tmp_path / "co"
    shutil.copytree(src, folder)
    prof = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    prof["language"] = language
    prof.setdefault("crm", {})["commission"] = {"rate": 0.05, "per_deal": 10}
    (folder / "company.yaml").write_text(yaml.safe_dump(prof, allow_unicode=True), encoding="utf-8")
    deals = pd.read_csv(folder / "deals.csv")
    clients = deals["client"].drop_duplicates().head(20)
    contacts = pd.DataFrame(
        {
            "client": clients,
            "date": "2026-05-01",
            "type": "call",
            "manager": deals.loc[clients.index, "manager"],
            "next_contact": "2026-05-15",
        }
    )
    contacts.to_csv(folder / "contacts.csv", index=False)
    r = orient.crm.analyse(orient.load_company(folder))
    c = sd.commission_table(r)
    assert not c.empty
    won = deals[deals["outcome"] == "won"]
    expected = 0.05 * won["planned_amount"].sum() + 10 * len(won)
    assert orient.crm.headline(r)["commission_total"] == pytest.approx(expected)
    o = sd.overdue_contacts_table(r)
    assert len(o) == 15 and r.sales.overdue_contacts.attrs["planned"] == 20
    assert not sd.contact_frequency_table(r).empty
    assert orient.crm.headline(r)["overdue_next_contacts"] == 20
