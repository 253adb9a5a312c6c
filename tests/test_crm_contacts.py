"""Stalled deals, clients in work and the contact history, checked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orient.operations.crm.contacts import (
    clients_in_work,
    contact_frequency,
    overdue_contacts,
    stalled_deals,
)

REF = pd.Timestamp("2025-06-30")


def _deals():
    base = pd.Timestamp("2025-01-01")
    won = [
        {"deal_id": f"w{i}", "client": "Z", "manager": "A", "stage": "Won", "outcome": "won",
         "created": base, "closed": base + pd.Timedelta(days=10 * i), "planned_amount": 1.0}
        for i in range(1, 11)
    ]  # cycles 10, 20, ..., 100 days  # fmt: skip
    open_ = [
        ("o1", "C1", "A", "Offer", 120, 500.0),
        ("o2", "C2", "B", "Lead", 50, 200.0),
        ("o3", "C1", "B", "Offer", 95, 300.0),
    ]
    rows = won + [
        {"deal_id": i, "client": c, "manager": m, "stage": s, "outcome": "open",
         "created": REF - pd.Timedelta(days=age), "closed": pd.NaT, "planned_amount": a}
        for i, c, m, s, age, a in open_
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_stalled_beyond_the_won_quantile():
    t = stalled_deals(_deals(), as_of=REF, quantile=0.9)
    # 0.9 quantile of 10..100 (linear) = 91 days: o1 (120) and o3 (95) are stalled
    assert t.attrs["won_quantile_days"] == pytest.approx(np.quantile(np.arange(10, 101, 10), 0.9))
    assert t["deal_id"].tolist() == ["o1", "o3"]
    assert t["over_days"].tolist() == pytest.approx([29.0, 4.0])
    assert t.attrs["open"] == 3 and t.attrs["measure"] == "open"


def test_stalled_by_declared_stage_limits_and_stage_dates():
    d = _deals()
    d["stage_entered"] = d["created"]
    d.loc[d["deal_id"] == "o1", "stage_entered"] = REF - pd.Timedelta(days=20)
    t = stalled_deals(d, as_of=REF, limits={"Lead": 40, "Offer": 30})
    # o1 20 days in Offer (limit 30): fine; o2 50 in Lead (40): stalled; o3 95 in Offer
    assert t["deal_id"].tolist() == ["o3", "o2"]
    assert t["limit_days"].tolist() == [30.0, 40.0]
    assert t.attrs["measure"] == "in_stage"


def _contacts():
    return pd.DataFrame(
        {
            "client": ["C1", "C1", "C2", "C3", "C3"],
            "date": ["2025-05-01", "2025-06-20", "2025-03-01", "2025-06-25", "2025-04-01"],
            "type": ["call", "demo", "mail", "call", "call"],
            "manager": ["A", "A", "B", "C", "C"],
            "next_contact": ["2025-05-10", "2025-07-05", "2025-03-15", "2025-06-28", None],
        }
    )


def test_clients_in_work_counts_distinct_clients():
    t = clients_in_work(_deals(), _contacts(), as_of=REF, recent_days=30).set_index("manager")
    # open deals: C1 (A, B), C2 (B); recent contacts (after 31 May): C1 (A), C3 (C)
    assert t.loc["all", "open_deal"] == 2 and t.loc["all", "recent_contact"] == 2
    assert t.loc["all", "in_work"] == 3 and t.loc["all", "clients"] == 3
    assert t.loc["B", "in_work"] == 2 and t.loc["C", "in_work"] == 1
    no_contacts = clients_in_work(_deals(), as_of=REF).set_index("manager")
    assert no_contacts.loc["all", "in_work"] == 2 and np.isnan(
        no_contacts.loc["all", "recent_contact"]
    )


def test_overdue_next_contacts():
    t = overdue_contacts(_contacts(), as_of=REF)
    # latest per client: C1 next 5 Jul (not yet), C2 next 15 Mar (107 days late),
    # C3 latest 25 Jun with next 28 Jun (2 days late)
    assert t["client"].tolist() == ["C2", "C3"]
    assert t["days_overdue"].tolist() == [107, 2]
    assert t.attrs["planned"] == 3


def test_contact_frequency_by_stage():
    t = contact_frequency(_deals(), _contacts(), as_of=REF).set_index("group")
    # C1's contacts of 1 May and 20 Jun fall in o1 (open 120 days) and o3 (open 95 days
    # from 27 Mar); C2's 1 Mar is before o2 was created (11 May)
    assert t.loc["Offer", "contacts"] == 4 and t.loc["Offer", "deals"] == 2
    assert t.loc["Offer", "per_month"] == pytest.approx(4 / (120 + 95) * 30)
    assert t.loc["Lead", "contacts"] == 0 and t.loc["Lead", "no_contact"] == 1
    assert t.loc["won", "contacts"] == 0
