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
    # the sample's CRM marks every lost deal only as "Lost": stage of loss not recorded
    assert h["lost_stage_not_recorded_share"] == 1.0
