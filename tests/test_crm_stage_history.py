"""The stage history: read and checked with the deals, and the stall limit learned per
stage from what won deals spent there (expected values by hand)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import pytest
import yaml

import orient
from orient.errors import DataError
from orient.operations.crm.contacts import stage_visits, stalled_deals

REF = pd.Timestamp("2025-06-30")
BASE = pd.Timestamp("2025-01-01")


def _deals_and_history():
    """Ten won deals: Lead for 5*i days, Offer for 10*i days, then Won. Three open
    deals: o1 in Offer for 95 days, o2 in Lead for 50, o3 at Offer in the deals table
    but only its Lead visit in the history (created 200 days before REF)."""
    deals, hist = [], []
    for i in range(1, 11):
        offer = BASE + pd.Timedelta(days=5 * i)
        closed = offer + pd.Timedelta(days=10 * i)
        deals.append({"deal_id": f"w{i}", "client": "Z", "manager": "A", "stage": "won",
                      "outcome": "won", "created": BASE, "closed": closed,
                      "planned_amount": 1.0})  # fmt: skip
        hist += [(f"w{i}", "Lead", BASE), (f"w{i}", "Offer", offer), (f"w{i}", "won", closed)]
    opens = [("o1", "Offer", 120, 95), ("o2", "Lead", 50, 50), ("o3", "Offer", 200, None)]
    for deal, stage, age, in_stage in opens:
        created = REF - pd.Timedelta(days=age)
        deals.append({"deal_id": deal, "client": "C", "manager": "B", "stage": stage,
                      "outcome": "open", "created": created, "closed": pd.NaT,
                      "planned_amount": 10.0})  # fmt: skip
        hist.append((deal, "Lead", created))
        if in_stage is not None and stage == "Offer":
            hist.append((deal, "Offer", REF - pd.Timedelta(days=in_stage)))
    history = pd.DataFrame(hist, columns=["deal_id", "stage", "entered"])
    return pd.DataFrame(deals), history.sample(frac=1, random_state=3)  # any row order


def test_visits_end_at_the_next_stage_and_run_for_open_deals():
    deals, history = _deals_and_history()
    v = stage_visits(history, deals, as_of=REF)
    w3 = v[v["deal_id"] == "w3"].set_index("stage")["days"]
    assert w3["Lead"] == 15 and w3["Offer"] == 30 and np.isnan(w3["won"])
    o1 = v[(v["deal_id"] == "o1") & v["running"]]
    assert o1["stage"].tolist() == ["Offer"] and o1["days"].tolist() == [95]
    assert v["running"].sum() == 3  # o3's running visit is its Lead one


def test_the_limit_of_each_stage_is_the_won_deals_quantile_there():
    deals, history = _deals_and_history()
    t = stalled_deals(deals, history=history, as_of=REF, quantile=0.9)
    lead_q = np.quantile(5 * np.arange(1, 11), 0.9)  # 45.5 days
    offer_q = np.quantile(10 * np.arange(1, 11), 0.9)  # 91 days
    limits = t.attrs["limits"].set_index("stage")
    assert limits.loc["Lead", "limit_days"] == pytest.approx(lead_q)
    assert limits.loc["Offer", "limit_days"] == pytest.approx(offer_q)
    assert limits.loc["Offer", "won_visits"] == 10
    # o3 is timed from creation (200 days; its Offer visit is not in the history)
    assert t["deal_id"].tolist() == ["o3", "o2", "o1"]
    assert t["over_days"].tolist() == pytest.approx([200 - offer_q, 50 - lead_q, 95 - offer_q])
    assert set(t["limit_basis"]) == {"won_at_stage"}
    assert t.attrs["measure"] == "history" and t.attrs["without_history"] == 1
    assert t.attrs["not_judged"] == 0


def test_visits_computed_once_give_the_same_stalled_deals():
    deals, history = _deals_and_history()
    visits = stage_visits(history, deals, as_of=REF)
    t = stalled_deals(deals, history=history, as_of=REF, visits=visits)
    offer_q = np.quantile(10 * np.arange(1, 11), 0.9)
    assert t["deal_id"].tolist() == ["o3", "o2", "o1"]
    assert t["over_days"].iloc[0] == pytest.approx(200 - offer_q)
    with pytest.raises(ValueError, match="timed to"):  # visits of another date
        stalled_deals(deals, history=history, as_of=REF + pd.Timedelta(days=1), visits=visits)


def test_declared_limits_come_first_and_thin_stages_are_not_judged():
    deals, history = _deals_and_history()
    t = stalled_deals(deals, history=history, as_of=REF, limits={"Lead": 60})
    assert "o2" not in t["deal_id"].tolist()  # 50 days in Lead, declared limit 60
    basis = dict(zip(t["deal_id"], t["limit_basis"], strict=True))
    assert basis == {"o3": "won_at_stage", "o1": "won_at_stage"}
    thin = stalled_deals(deals, history=history, as_of=REF, min_won=11)
    assert len(thin) == 0 and thin.attrs["not_judged"] == 3


COMPANY = {"name": "Co", "currency": "EUR"}
DEALS = (
    "deal_id,manager,client,stage,created,outcome,planned_amount,closed\n"
    "D1,A,C1,Won,2025-01-02,won,100,2025-02-01\n"
    "D2,A,C2,Offer,2025-03-02,open,,\n"
)


def _folder(tmp_path, history: str | None, deals: str | None = DEALS, crm=None):
    prof = dict(COMPANY, crm=crm) if crm else COMPANY
    (tmp_path / "company.yaml").write_text(yaml.safe_dump(prof), encoding="utf-8")
    if deals is not None:
        (tmp_path / "deals.csv").write_text(deals, encoding="utf-8")
    if history is not None:
        (tmp_path / "stage_history.csv").write_text(history, encoding="utf-8")
    return tmp_path


def test_the_history_is_read_typed_and_shown_as_found(tmp_path):
    text = "deal_id,stage,entered\nD1,Lead,2025-01-02\nD1,Won,2025-02-01\nD2,Offer,2025-03-05\n"
    c = orient.load_company(_folder(tmp_path, text))
    assert c.stage_history["entered"].iloc[2] == pd.Timestamp("2025-03-05")
    assert c.table_found()["stage_history"]
    assert "stage_history.csv (3 rows)" in orient.data.company.overview(c)["value"].tolist()


def test_stage_names_follow_crm_stage_values(tmp_path):
    deals = (
        "deal_id,manager,client,stage,created,planned_amount,closed\n"
        "D1,A,C1,Closed Won,2025-01-02,100,2025-02-01\n"
        "D2,A,C2,Offer,2025-03-02,,\n"
    )
    crm = {"stages": ["Offer"], "stage_values": {"Closed Won": "won", "Offer": "Offer"}}
    ok = "deal_id,stage,entered\nD1,Offer,2025-01-02\nD1,Closed Won,2025-02-01\n"
    c = orient.load_company(_folder(tmp_path, ok, deals, crm))
    assert c.stage_history["stage"].tolist() == ["Offer", "won"]
    bad = ok + "D2,Qualify,2025-03-03\n"
    with pytest.raises(DataError, match=r"stage_history.csv.*'stage'.*row 4.*Qualify"):
        orient.load_company(_folder(tmp_path, bad, deals, crm))


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("deal_id,stage,entered\nD1,Lead,2025-01-02\nD9,Lead,2025-01-03\n",
         r"stage_history.csv.*'deal_id'.*row 3.*not in deals.csv.*D9"),
        ("deal_id,stage,entered\nD1,Lead,2024-12-30\n",
         r"stage_history.csv.*'entered'.*row 2.*before it was created.*2024-12-30"),
        ("deal_id,stage,entered\nD1,Lead,2999-01-01\n", r"'entered'.*row 2.*future"),
        ("deal_id,stage\nD1,Lead\n", r"stage_history.csv.*'entered'"),
    ],
)  # fmt: skip
def test_a_history_that_does_not_fit_the_deals_is_refused(tmp_path, text, pattern):
    with pytest.raises(DataError, match=pattern):
        orient.load_company(_folder(tmp_path, text))


def test_a_history_needs_the_deals(tmp_path):
    (tmp_path / "survey.csv").write_text("x\n1\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"stage_history.csv.*without a deals table"):
        orient.load_company(_folder(tmp_path, "deal_id,stage,entered\nD1,Lead,2025-01-02\n", None))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_report_states_the_rule_it_used(tmp_path, language):
    from orient.operations.crm import display_sales as sd

    deals, history = _deals_and_history()
    # a deal that moved to Lead on REF makes REF the date the report is as of
    history.loc[len(history)] = ("o4", "Lead", REF)
    deals.loc[len(deals)] = dict(deals.iloc[-1], deal_id="o4", stage="Lead", created=REF)
    prof = dict(COMPANY, language=language)
    (tmp_path / "company.yaml").write_text(yaml.safe_dump(prof), encoding="utf-8")
    deals.to_csv(tmp_path / "deals.csv", index=False, date_format="%Y-%m-%d")
    history.to_csv(tmp_path / "stage_history.csv", index=False, date_format="%Y-%m-%d")
    result = orient.crm.analyse(orient.load_company(tmp_path))
    texts = sd.stall_texts(result)
    table = html.unescape(sd.stall_limits_table(result).to_html())
    assert result.sales.stall_rule == "won_at_stage" and len(texts) == 2
    if language == "en":
        assert texts[0].startswith("3 of 4 open deals are stalled: in their current stage")
        assert "90% of won deals spent at that stage" in texts[0]
        assert "current stage of 1 open deal: its time is counted from creation" in texts[1]
        assert "won deals' time at this stage" in table
    else:
        assert texts[0].startswith("3 из 4 открытых сделок зависли")
        assert "90" in texts[0] and "open" not in texts[0] + texts[1]
        assert "время выигранных сделок на этом этапе" in table
    assert ">91<" in table  # the Offer limit, 91 days; Lead's is 45.5
    assert "nan" not in table.lower()


def test_a_stage_history_export_is_recognised_by_its_columns():
    from orient.data.infer import match_table

    name, columns, missing = match_table(["Opportunity ID", "Deal Stage", "Changed At"])
    assert name == "stage_history" and not missing
    assert columns == {"deal_id": "Opportunity ID", "stage": "Deal Stage", "entered": "Changed At"}
    full = ["opportunity_id", "sales_agent", "account", "deal_stage", "engage_date", "close_date"]
    assert match_table([*full, "close_value", "outcome"])[0] == "deals"  # not a history


def test_where_a_lost_deal_was_lost_comes_from_the_history():
    from orient.operations.crm.contacts import lost_at_stage

    deals = pd.DataFrame(
        {"deal_id": ["L1", "L2", "L3"], "stage": ["Lost"] * 3, "outcome": ["lost"] * 3,
         "created": [BASE] * 3, "closed": [BASE + pd.Timedelta(days=30)] * 3}
    )  # fmt: skip
    history = pd.DataFrame(
        [("L1", "Lead", BASE), ("L1", "Offer", BASE + pd.Timedelta(days=5)),
         ("L1", "Lost", BASE + pd.Timedelta(days=30)), ("L2", "Lead", BASE),
         ("L2", "lost", BASE + pd.Timedelta(days=9))],
        columns=["deal_id", "stage", "entered"],
    )  # fmt: skip
    at = lost_at_stage(history, deals, terminal=("Lost",))
    assert at.to_dict() == {"L1": "Offer", "L2": "Lead"}  # L3 has no history: not placed
    given = lost_at_stage(history, deals, ("Lost",), visits=stage_visits(history, deals))
    assert given.to_dict() == {"L1": "Offer", "L2": "Lead"}
