"""The contacts table and the CRM settings of company.yaml: read, typed, checked."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

import orient
from orient.errors import DataError

DEALS = (
    "deal_id,manager,client,stage,created,outcome,planned_amount,closed,campaign\n"
    "D1,A,C1,Won,2025-01-02,won,100,2025-02-01,Spring\n"
    "D2,A,C2,Offer,2025-03-02,open,,,\n"
)


def _folder(tmp_path, contacts: str, crm: dict | None = None):
    prof = {"name": "Co", "currency": "EUR"}
    if crm:
        prof["crm"] = crm
    (tmp_path / "company.yaml").write_text(yaml.safe_dump(prof), encoding="utf-8")
    (tmp_path / "deals.csv").write_text(DEALS, encoding="utf-8")
    (tmp_path / "contacts.csv").write_text(contacts, encoding="utf-8")
    return tmp_path


def test_contacts_table_is_read_and_typed(tmp_path):
    text = "client,date,type,manager,next_contact\nC1,2025-01-05,call,A,2025-01-20\nC2,2025-03-03,demo,A,\n"
    rules = {"commission": {"tiers": [{"from": 0, "rate": 0.02}, {"from": 50, "rate": 0.04}]},
             "stall_days": {"Offer": 45}}  # fmt: skip
    c = orient.load_company(_folder(tmp_path, text, rules))
    assert c.contacts["date"].iloc[1] == pd.Timestamp("2025-03-03")
    assert pd.isna(c.contacts["next_contact"].iloc[1])
    assert c.table_found()["contacts"]
    assert c.profile.crm.commission.tiers[1].from_amount == 50
    assert c.profile.crm.stall_days == {"Offer": 45}
    assert c.deals["campaign"].iloc[0] == "Spring"


def test_a_bad_contact_date_names_file_column_and_row(tmp_path):
    text = "client,date\nC1,2025-01-05\nC2,someday\n"
    with pytest.raises(DataError, match=r"contacts.csv.*column 'date'.*row 3"):
        orient.load_company(_folder(tmp_path, text))


def test_contacts_need_client_and_date(tmp_path):
    with pytest.raises(DataError, match=r"contacts.csv.*'client'"):
        orient.load_company(_folder(tmp_path, "customer,date\nC1,2025-01-05\n"))


def test_commission_rules_are_checked_in_company_yaml(tmp_path):
    bad = {"commission": {"rate": 0.05, "tiers": [{"from": 0, "rate": 0.02}]}}
    with pytest.raises(DataError, match="rate or tiers"):
        orient.load_company(_folder(tmp_path, "client,date\nC1,2025-01-05\n", bad))


def test_the_readme_sales_settings_are_accepted(tmp_path):
    """The `crm:` example of the README's sales settings is a valid company.yaml section."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    part = readme.split("### The sales settings (`crm:`)", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", part, re.S).group(1)
    crm = yaml.safe_load(block)["crm"]
    c = orient.load_company(_folder(tmp_path, "client,date\nC1,2025-01-05\n", crm))
    spec = c.profile.crm
    assert spec.commission.tiers[1].rate == 0.05 and spec.stall_days == {
        "Lead": 20,
        "Negotiation": 30,
    }
    assert spec.frontline.offers_per_month == 120 and spec.clv.discount_rate == 0.01
