"""Per-manager results, effects and refusals by stage, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from orient.operations.crm.managers import (
    effects,
    manager_results,
    median_interval,
    refusals_by_stage,
    stability_reading,
)


def _deals():
    # manager A: won 100 in Jan, 300 in Mar (Feb nothing), lost one; B: one won deal
    rows = [
        ("1", "A", "2025-01-01", "2025-01-10", "won", 100.0, "Web"),
        ("2", "A", "2025-01-05", "2025-03-20", "won", 300.0, "Web"),
        ("3", "A", "2025-02-01", "2025-02-15", "lost", 50.0, "Fair"),
        ("4", "B", "2025-02-01", "2025-02-11", "won", 80.0, "Fair"),
        ("5", "B", "2025-03-01", None, "open", 70.0, None),
    ]
    return pd.DataFrame(
        rows,
        columns=["deal_id", "manager", "created", "closed", "outcome", "planned_amount", "source"],
    )


def test_manager_results_by_hand():
    t = manager_results(_deals(), min_base=1, min_months=2).set_index("manager")
    a = t.loc["A"]
    assert (a["deals"], a["closed"], a["won"], a["revenue"]) == (3, 3, 2, 400.0)
    assert a["win_rate"] == pytest.approx(2 / 3)
    # Wilson by hand: p=2/3, n=3, z=1.959964
    z = st.norm.ppf(0.975)
    p, n = 2 / 3, 3
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert a["ci_low"] == pytest.approx(centre - half)
    assert a["ci_high"] == pytest.approx(centre + half)
    # months Jan..Mar: 100, 0, 300 -> mean 133.33, sd 152.75 -> cv 1.1456
    assert a["months"] == 3
    assert a["cv"] == pytest.approx(np.std([100, 0, 300], ddof=1) / np.mean([100, 0, 300]))
    assert a["stability"] == "erratic"
    b = t.loc["B"]
    # B from Feb to Mar: 80, 0
    assert b["months"] == 2 and b["cv"] == pytest.approx(np.std([80, 0], ddof=1) / 40)
    assert list(t.index) == ["A", "B"]  # most revenue first


def test_manager_results_suppress_small_bases_and_short_histories():
    t = manager_results(_deals(), min_base=3, min_months=6).set_index("manager")
    assert not t.loc["A", "suppressed"] and t.loc["B", "suppressed"]
    assert math.isnan(t.loc["B", "win_rate"])
    assert t["cv"].isna().all() and t["stability"].isna().all()


def test_stability_reading():
    assert [stability_reading(x) for x in (0.1, 0.3, 0.59, 0.6, float("nan"))] == [
        "steady",
        "uneven",
        "uneven",
        "erratic",
        None,
    ]


def test_median_interval_ranks_and_coverage():
    # n = 10: the classic distribution-free 95% interval is (x_(2), x_(9)), coverage 97.9%
    assert median_interval(np.arange(1, 11)) == (2.0, 9.0)
    assert all(math.isnan(v) for v in median_interval([1, 2, 3, 4, 5]))  # n=5: none at 95%
    rng = np.random.default_rng(1)
    hits = 0
    for _ in range(2000):
        lo, hi = median_interval(rng.exponential(1.0, 25))
        hits += lo <= math.log(2) <= hi
    assert hits / 2000 >= 0.94  # simulated coverage of the true median ln 2


def test_effects_by_source_by_hand():
    t = effects(_deals(), "source", min_base=1).set_index("group")
    assert t.loc["Web", "win_rate"] == 1.0 and t.loc["Web", "revenue"] == 400.0
    assert t.loc["Fair", "win_rate"] == 0.5 and t.loc["Fair", "revenue_per_deal"] == 40.0
    # won cycles of Web: 9 and 74 days -> median 41.5
    assert t.loc["Web", "cycle_median"] == pytest.approx(41.5)
    assert t.loc["not recorded", "deals"] == 1 and t.loc["not recorded", "closed"] == 0
    assert t.index[-1] == "all" and t.loc["all", "won"] == 3
    assert t.loc["not recorded", "suppressed"]


def test_refusals_by_stage_keeps_blanks_as_not_recorded():
    d = pd.DataFrame(
        {
            "deal_id": list("123456"),
            "stage": ["Proposal", "Proposal", "Lead", "Lost", "Proposal", "Lead"],
            "outcome": ["lost"] * 5 + ["won"],
            "refusal_reason": ["Price", "", "Price", "Timing", "Benefits unclear", None],
        }
    )
    t = refusals_by_stage(d, terminal=("Lost",))
    assert list(t.index) == ["Proposal", "Lead", "not recorded"]
    assert t.loc["Proposal", "Price"] == 1 and t.loc["Proposal", "not recorded"] == 1
    assert t.loc["not recorded", "Timing"] == 1
    assert t.columns[-2:].tolist() == ["not recorded", "all"]
    assert t["all"].sum() == 5
    assert t.attrs["shares"].loc["Proposal"].sum() == pytest.approx(1.0)
