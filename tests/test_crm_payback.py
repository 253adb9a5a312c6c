"""The front-line system's payback: the next-best offer's paired gain over popularity,
turned into months with the declared cost, margin and acceptance; checked against the
textbook paired interval and hand arithmetic, and wired from company.yaml."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from orient.operations.crm.deals import deals_table
from orient.operations.crm.display_frontline import frontline_texts, payback_table
from orient.operations.crm.frontline import (
    frontline,
    frontline_headline,
    repeat_purchases_per_month,
    system_payback,
)
from orient.operations.crm.next_offer import OfferEvaluation, paired_interval


def _evaluation(co, pop, k=3):
    n = len(co)
    per = pd.DataFrame({"client": [f"c{i}" for i in range(n)], f"co-occurrence@{k}": co,
                        f"popularity@{k}": pop})  # fmt: skip
    table = pd.DataFrame(
        [
            {"method": "co-occurrence", "k": k, "hits": sum(co), "n": n, "hit_rate": np.mean(co)},
            {"method": "popularity", "k": k, "hits": sum(pop), "n": n, "hit_rate": np.mean(pop)},
        ]
    )
    return OfferEvaluation(table, n, model=None, per_client=per)


def test_paired_interval_is_the_textbook_wald_interval():
    # b clients hit only by the co-occurrence offer, c only by popularity, the rest tie
    b, c, ties = 30, 12, 58
    n = b + c + ties
    co = [1] * b + [0] * c + [1] * 20 + [0] * 38
    pop = [0] * b + [1] * c + [1] * 20 + [0] * 38
    diff = np.array(co, float) - np.array(pop, float)
    est, lo, hi = paired_interval(diff, 0.95)
    # Agresti, Categorical Data Analysis, 10.1.1: se = sqrt((b + c) - (b - c)^2 / n) / n
    se = np.sqrt((b + c) - (b - c) ** 2 / n) / n
    z = stats.norm.ppf(0.975)
    assert est == pytest.approx((b - c) / n, abs=1e-15)
    assert (lo, hi) == pytest.approx(((b - c) / n - z * se, (b - c) / n + z * se), abs=1e-12)


def test_paired_interval_covers_at_its_level():
    rng = np.random.default_rng(5)
    # per client: both hit 0.2, co only 0.25, pop only 0.1: true lift 0.15
    inside = 0
    for _ in range(2000):
        u = rng.random(300)
        co = (u < 0.45).astype(float)
        pop = ((u < 0.2) | ((u >= 0.45) & (u < 0.55))).astype(float)
        _, lo, hi = paired_interval(co - pop, 0.9)
        inside += lo <= 0.15 <= hi
    assert 0.88 <= inside / 2000 <= 0.92


def test_payback_is_cost_over_the_net_monthly_gain():
    co = [1] * 40 + [0] * 60
    pop = [1] * 20 + [0] * 80  # lift 0.2, every popularity hit also a co-occurrence hit
    ev = _evaluation(co, pop)
    pb = system_payback(ev, cost=30000.0, margin=0.4, acceptance=0.25, mean_amount=1000.0,
                        offers_per_month=200.0, running_cost=500.0)  # fmt: skip
    # 0.2 x 200 = 40 more correct offers; 25% accepted: 10 sales x 1,000 x 40% = 4,000
    assert pb.lift == pytest.approx(0.2)
    assert pb.monthly_gain == pytest.approx(4000.0 - 500.0)
    assert pb.months == pytest.approx(30000.0 / 3500.0)
    # the interval of the months comes from the lift's bounds, best first
    g = lambda x: x * 200 * 0.25 * 1000 * 0.4 - 500  # noqa: E731
    assert pb.months_low == pytest.approx(30000.0 / g(pb.lift_high))
    assert pb.months_high == pytest.approx(30000.0 / g(pb.lift_low))
    assert pb.months_low < pb.months < pb.months_high


def test_no_payback_when_the_gain_does_not_cover_running_costs():
    ev = _evaluation([1] * 30 + [0] * 70, [1] * 28 + [0] * 72)
    pb = system_payback(ev, cost=1000.0, margin=0.1, acceptance=0.1, mean_amount=100.0,
                        offers_per_month=10.0, running_cost=50.0)  # fmt: skip
    assert pb.monthly_gain < 0 and np.isnan(pb.months) and np.isnan(pb.months_high)
    r = SimpleNamespace(frontline=SimpleNamespace(payback=pb, confidence=0.95), language="en",
                        currency="EUR")  # fmt: skip
    from orient.operations.crm.display_frontline import _payback_text

    # the lift's interval includes zero: the payback is not established, whatever the arithmetic
    text = _payback_text(pb, "en", "EUR")
    assert "not measurably better" in text and "not established" in text
    frame = payback_table(r).frame
    assert not frame.isna().any().any()


def test_repeat_purchases_per_month():
    won = pd.DataFrame({"client": ["a", "a", "b", "b", "b", "c"],
                        "closed": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01",
                                                  "2024-04-01", "2024-07-01", "2024-07-01"])})  # fmt: skip
    span = (pd.Timestamp("2024-07-01") - pd.Timestamp("2024-01-01")).days / (365.25 / 12)
    assert repeat_purchases_per_month(won) == pytest.approx(3 / span)


def _planted(n_clients=1500, seed=3):
    rng = np.random.default_rng(seed)
    rows = []
    start = pd.Timestamp("2024-01-01")
    for c in range(n_clients):
        pair = rng.integers(6)
        for j, prod in enumerate((f"A{pair}", f"B{pair}")):
            rows.append({"deal_id": f"{c}-{j}", "client": f"C{c}", "outcome": "won",
                         "closed": start + pd.Timedelta(days=int(rng.integers(0, 300)) + 400 * j),
                         "planned_amount": 500.0, "product": prod})  # fmt: skip
    return deals_table(pd.DataFrame(rows))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_frontline_payback_from_company_yaml(language):
    from orient.data.profile_ops import FrontlineSpec

    d = _planted()
    spec = FrontlineSpec(cost=50000, running_cost=1000, margin=0.3, acceptance=0.2)
    fl = frontline(d, system=spec)
    pb = fl.payback
    assert pb.offers_measured
    assert pb.offers_per_month == pytest.approx(repeat_purchases_per_month(d))
    assert pb.mean_amount == 500.0
    lift = pb.lift
    expect = 50000 / (lift * pb.offers_per_month * 0.2 * 500 * 0.3 - 1000)
    assert pb.months == pytest.approx(expect)
    h = frontline_headline(fl)
    assert h["fis_payback_months"] == pytest.approx(expect)
    assert h["next_offer_lift"] == pytest.approx(lift)
    assert h["fis_offers_measured"] is True
    r = SimpleNamespace(frontline=fl, language=language, currency="EUR")
    texts = frontline_texts(r)
    months = f"{pb.months:.1f}" if language == "en" else f"{pb.months:.1f}".replace(".", ",")
    assert months in texts[-1]
    frame = payback_table(r).frame
    assert len(frame) == 9 and not frame.isna().any().any()
    declared = frontline(d, system=FrontlineSpec(cost=50000, margin=0.3, acceptance=0.2,
                                                 offers_per_month=80)).payback  # fmt: skip
    assert not declared.offers_measured and declared.offers_per_month == 80


def test_clv_horizon_and_rate_from_company_yaml():
    from orient.data.profile_ops import CRMSpec
    from orient.operations.crm.stage import _frontline

    rng = np.random.default_rng(1)
    rows = []
    for c in range(80):
        for j in range(int(rng.integers(1, 5))):
            rows.append({"deal_id": f"{c}-{j}", "client": f"C{c}", "outcome": "won",
                         "closed": pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, 500))),
                         "planned_amount": float(rng.gamma(4, 100))})  # fmt: skip
    d = deals_table(pd.DataFrame(rows).drop_duplicates(["client", "closed"]))
    spec = CRMSpec.model_validate({"clv": {"horizon_months": 24, "discount_rate": 0.02}})
    company = SimpleNamespace(profile=SimpleNamespace(crm=spec))
    fl = _frontline(company, d, None, 0.95)
    base = frontline(d)
    assert (fl.horizon_months, fl.discount_rate) == (24, 0.02)
    assert frontline_headline(fl)["clv_discount_rate"] == 0.02
    # the same models, valued over the longer horizon at the higher rate
    from orient.operations.crm.clv import customer_lifetime_value, rfm_table

    tr = pd.DataFrame({"client": d["client"], "date": d["closed"], "amount": d["planned_amount"]})
    rfm = rfm_table(tr)
    direct = customer_lifetime_value(fl.purchases_model, fl.spend_model, rfm, horizon=24,
                                     step=30 / 7, discount_rate=0.02)  # fmt: skip
    assert fl.clv["clv"].sum() == pytest.approx(float(direct.sum()), rel=1e-12)
    assert fl.clv["clv"].sum() != pytest.approx(base.clv["clv"].sum(), rel=1e-3)
