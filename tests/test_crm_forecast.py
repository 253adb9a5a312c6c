"""Sales forecast from open deals: hand calculations and a known simulated process."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orient.operations.crm.forecast import (
    backtest,
    competing_risks,
    forecast,
    stage_win_probabilities,
)


def test_stage_win_probabilities_by_hand():
    d = pd.DataFrame(
        {
            "deal_id": list("1234567"),
            "stage": ["Won", "Won", "Lead", "Offer", "Offer", "Lead", "Offer"],
            "outcome": ["won", "won", "lost", "lost", "lost", "lost", "open"],
        }
    )
    t = stage_win_probabilities(d, stages=["Lead", "Offer", "Won"]).set_index("stage")
    # Lead: all 6 closed reached it: 2/6
    # Offer: 2 won + 2 lost at Offer = 4 -> 2/4; Won: the 2 won
    assert t["closed"].tolist() == [6, 4, 2]
    assert t["probability"].tolist() == pytest.approx([1 / 3, 0.5, 1.0])


def test_competing_risks_by_hand():
    # ages: won at 10, open (censored) at 15, lost at 20, won at 30
    cr = competing_risks([10, 15, 20, 30], ["won", "open", "lost", "won"]).set_index("days")
    # at 10: 4 at risk, F_w = 1/4, S = 3/4; at 20: 2 at risk, S = 3/8; at 30: F_w += 3/8
    assert cr["at_risk"].tolist() == [4, 2, 1]
    assert cr["won_by"].tolist() == pytest.approx([0.25, 0.25, 0.625])
    assert cr["lost_by"].tolist() == pytest.approx([0.0, 0.375, 0.375])
    assert cr["open_after"].tolist() == pytest.approx([0.75, 0.375, 0.0])


def test_forecast_one_deal_by_hand():
    # history: won cycles 10, 40, 70 days; lost 20; one open deal aged 5 days, 1000 planned
    ref = pd.Timestamp("2025-06-01")
    rows = [
        ("w1", "won", 10), ("w2", "won", 40), ("w3", "won", 70), ("l1", "lost", 20),
    ]  # fmt: skip
    d = pd.DataFrame(
        [
            {
                "deal_id": i,
                "stage": "Won" if o == "won" else "Lost",
                "outcome": o,
                "created": pd.Timestamp("2025-01-01"),
                "closed": pd.Timestamp("2025-01-01") + pd.Timedelta(days=c),
                "planned_amount": 1.0,
            }
            for i, o, c in rows
        ]
        + [
            {
                "deal_id": "o1",
                "stage": "Won",
                "outcome": "open",
                "created": ref - pd.Timedelta(days=5),
                "closed": pd.NaT,
                "planned_amount": 1000.0,
            }
        ]
    )
    f = forecast(d, stages=["Won"], as_of=ref, periods=3, period_days=30, n_sims=20000)
    # the open deal is censored at 5 days, before any closing: q = 3/4 of the closed
    # deals won; remaining 5, 35, 65 days, a quarter each
    assert f["expected"].tolist() == pytest.approx([250.0, 250.0, 250.0])
    assert f["expected_deals"].sum() == pytest.approx(0.75)
    assert f["start"].iloc[0] == pd.Timestamp("2025-06-02")
    assert f["high"].tolist() == [1000.0] * 3 and f["low"].tolist() == [0.0] * 3


def _process(n, rng, p=0.4, span=720, horizon=60):
    """Deals created uniformly over ``span`` days, won with probability p; won and lost
    cycles both uniform on (0, horizon) days, amounts lognormal."""
    start = pd.Timestamp("2023-01-01")
    created = start + pd.to_timedelta(rng.uniform(0, span, n), "D")
    cycle = rng.uniform(0, horizon, n)
    won = rng.random(n) < p
    closed = created + pd.to_timedelta(cycle, "D")
    ref = start + pd.Timedelta(days=span)
    is_open = closed > ref
    return pd.DataFrame(
        {
            "deal_id": [f"D{i}" for i in range(n)],
            "stage": np.where(is_open, "Lead", np.where(won, "Won", "Lost")),
            "outcome": np.where(is_open, "open", np.where(won, "won", "lost")),
            "created": created,
            "closed": pd.Series(closed).where(~is_open),
            "planned_amount": np.round(rng.lognormal(3, 0.5, n), 2),
        }
    ), ref


def test_forecast_recovers_a_known_process():
    rng = np.random.default_rng(7)
    d, ref = _process(40000, rng)
    f = forecast(d, stages=["Lead", "Won"], as_of=ref, periods=2, period_days=30, n_sims=500)
    op = d[d["outcome"] == "open"]
    a = (ref - op["created"]).dt.total_seconds().to_numpy() / 86400
    left = 60 - a  # remaining time uniform on (0, 60 - a): q = p = 0.4 at every age
    first = np.minimum(30, left) / left
    truth = 0.4 * np.array([first, 1 - first]) @ op["planned_amount"].to_numpy()
    assert f["expected"].to_numpy() == pytest.approx(truth, rel=0.03)


def test_backtest_actuals_by_brute_force_and_coverage():
    rng = np.random.default_rng(3)
    d, ref = _process(3000, rng)
    b = backtest(d, cuts=6, period_days=30, min_history=30, n_sims=2000)
    assert len(b) == 6
    for _, r in b.iterrows():
        cut = r["cut"]
        end = cut + pd.Timedelta(days=30)
        at = (d["created"] <= cut) & (d["closed"].isna() | (d["closed"] > cut))
        hit = at & (d["outcome"] == "won") & (d["closed"] <= end)
        assert r["actual"] == pytest.approx(d.loc[hit, "planned_amount"].sum())
        assert r["open_deals"] == int(at.sum())
    assert b.attrs["wape"] < 0.25
    assert b.attrs["coverage"] >= 0.5
    assert b.attrs["mae"] == pytest.approx(b["error"].abs().mean())


def test_stage_moves_the_chance_by_its_odds_ratio():
    # closed: 2 lost at Lead, 1 lost at Offer, 1 won -> p(Lead) = 1/4, p(Offer) = 1/2;
    # odds ratio Offer / Lead = 1 / (1/3) = 3, so a new deal at Offer has odds 1/3 x 3 = 1
    ref = pd.Timestamp("2025-06-01")
    base = pd.Timestamp("2025-01-01")
    rows = [("a", "Lead", "lost", 10), ("b", "Lead", "lost", 12), ("c", "Offer", "lost", 14),
            ("d", "Won", "won", 20)]  # fmt: skip
    d = pd.DataFrame(
        [
            {"deal_id": i, "stage": s, "outcome": o, "created": base,
             "closed": base + pd.Timedelta(days=c), "planned_amount": 1.0}
            for i, s, o, c in rows
        ]
        + [{"deal_id": "o", "stage": "Offer", "outcome": "open", "created": ref,
            "closed": pd.NaT, "planned_amount": 100.0}]
    )  # fmt: skip
    f = forecast(d, stages=["Lead", "Offer", "Won"], as_of=ref, periods=1, period_days=30)
    assert f["expected"].iloc[0] == pytest.approx(50.0)
    assert f["expected_deals"].iloc[0] == pytest.approx(0.5)


def test_stage_chances_unknown_when_losses_have_no_stage():
    d = pd.DataFrame(
        {
            "deal_id": list("12345"),
            "stage": ["Won", "Lost", "Lost", "Offer", "Lead"],
            "outcome": ["won", "lost", "lost", "lost", "open"],
        }
    )
    t = stage_win_probabilities(d, stages=["Lead", "Offer", "Won"])
    # 2 of 3 lost deals have no stage of loss: only the first stage's chance is known
    assert t["probability"].iloc[0] == pytest.approx(0.25)
    assert t["probability"].iloc[1:].isna().all()
    assert t.attrs["loss_stage_recorded"] == pytest.approx(1 / 3)
