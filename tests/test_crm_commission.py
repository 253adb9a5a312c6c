"""Sales commissions from company.yaml rules, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from orient.operations.crm.commission import commissions, tiered_amount


def _deals():
    rows = [
        ("1", "A", "2025-01-10", "won", 60_000.0, 60_000.0),
        ("2", "A", "2025-01-20", "won", 80_000.0, 20_000.0),
        ("3", "A", "2025-02-05", "won", 10_000.0, 10_000.0),
        ("4", "B", "2025-01-15", "won", 50_000.0, 0.0),
        ("5", "B", "2025-01-16", "lost", 90_000.0, None),
    ]
    d = pd.DataFrame(
        rows, columns=["deal_id", "manager", "closed", "outcome", "planned_amount", "paid_amount"]
    )
    return d


TIERS = [{"from": 0, "rate": 0.03}, {"from": 100_000, "rate": 0.05}]


def test_tiers_marginal_and_whole_by_hand():
    assert tiered_amount(140_000, TIERS) == pytest.approx(0.03 * 100_000 + 0.05 * 40_000)
    assert tiered_amount(140_000, TIERS, "whole") == pytest.approx(0.05 * 140_000)
    assert tiered_amount(90_000, TIERS, "whole") == pytest.approx(0.03 * 90_000)


def test_monthly_tiered_commission_on_won_with_piece_rate():
    t = commissions(_deals(), {"tiers": TIERS, "per_deal": 100})
    a_jan = t[(t["manager"] == "A") & (t["period"] == "2025-01")].iloc[0]
    # A, January: 140 000 won in 2 deals -> 3 000 + 2 000 + 2 x 100
    assert a_jan["base"] == 140_000 and a_jan["commission"] == pytest.approx(5_200)
    b_jan = t[t["manager"] == "B"].iloc[0]
    assert b_jan["commission"] == pytest.approx(0.03 * 50_000 + 100)  # the lost deal pays nothing
    by = t.attrs["by_manager"].set_index("manager")
    assert by.loc["A", "commission"] == pytest.approx(5_200 + 0.03 * 10_000 + 100)
    assert by.loc["A", "periods"] == 2


def test_quarterly_flat_rate_on_paid():
    t = commissions(_deals(), {"rate": 0.1, "basis": "paid", "period": "quarter"})
    a = t[t["manager"] == "A"].iloc[0]
    assert a["period"] == "2025Q1" and a["base"] == 90_000 and a["commission"] == 9_000
    assert t[t["manager"] == "B"]["commission"].iloc[0] == 0


def test_rules_are_checked():
    with pytest.raises(ValueError, match="rate or tiers"):
        commissions(_deals(), {"rate": 0.1, "tiers": TIERS})
    with pytest.raises(ValueError, match="start at 0"):
        commissions(_deals(), {"tiers": [{"from": 10, "rate": 0.1}]})
