"""Lifetime value and next-best offers wired from a deals table: purchases simulated
from BG/NBD with known parameters come back, planted product pairs are found, and the
view is absent where the deals do not hold it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orient.operations.crm.deals import deals_table
from orient.operations.crm.frontline import frontline

R, ALPHA, A, B = 0.9, 10.0, 1.2, 4.0  # weeks


def _deals(n_clients, seed, products=False):
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    end_weeks = 80.0
    rows = []
    for c in range(n_clients):
        lam, p = rng.gamma(R, 1 / ALPHA), rng.beta(A, B)
        first = rng.uniform(0, 20)
        t, times = first, [first]
        while True:
            t += rng.exponential(1 / lam)
            if t > end_weeks:
                break
            times.append(t)
            if rng.random() < p:
                break
        pair = rng.integers(5)
        for j, w in enumerate(times):
            row = {
                "deal_id": f"{c}-{j}",
                "client": f"C{c}",
                "outcome": "won",
                # whole days, one purchase per day
                "closed": start + pd.Timedelta(days=int(round(w * 7))),
                "planned_amount": 100.0,
                "paid_amount": float(rng.gamma(5.0, 8.0)),
            }
            if products:
                row["product"] = f"A{pair}" if j == 0 else (f"B{pair}" if j == 1 else f"X{j}")
            rows.append(row)
    rows.append({"deal_id": "lost", "client": "C0", "outcome": "lost", "closed": start})
    d = pd.DataFrame(rows)
    return deals_table(d), start + pd.Timedelta(weeks=end_weeks)


def test_bgnbd_parameters_come_back_from_simulated_deals():
    d, end = _deals(4000, seed=2)
    fl = frontline(d, as_of=end)
    m = fl.purchases_model
    # weekly times are rounded to days: parameters within sampling and rounding error
    assert m.r == pytest.approx(R, rel=0.15)
    assert m.alpha == pytest.approx(ALPHA, rel=0.2)
    assert m.a == pytest.approx(A, rel=0.3)
    assert m.b == pytest.approx(B, rel=0.35)
    t = fl.clv
    assert len(t) == 4000 and t["clv"].is_monotonic_decreasing
    assert t["p_alive"].between(0, 1).all()
    assert (t["purchases"] == t["frequency"] + 1).all()
    # amounts are Gamma(5, scale 8) for every client: the spend model's population mean is 40
    assert fl.spend_model.population_mean == pytest.approx(40.0, rel=0.05)


def test_planted_products_beat_popularity():
    d, end = _deals(3000, seed=4, products=True)
    ev = frontline(d, as_of=end).offers
    assert ev.n > 300
    assert ev.hit_rate("co-occurrence", 1) > ev.hit_rate("popularity", 1) + 0.3


def test_absent_without_clients_or_repeat_purchases():
    d = deals_table(
        pd.DataFrame(
            {
                "deal_id": ["1", "2"],
                "client": ["a", "b"],
                "outcome": ["won", "won"],
                "closed": ["2024-01-01", "2024-02-01"],
                "paid_amount": [1.0, 2.0],
            }
        )
    )
    assert frontline(d) is None
    assert frontline(d.drop(columns="client")) is None


def _result(language, products=True):
    from types import SimpleNamespace

    d, end = _deals(600, seed=8, products=products)
    return SimpleNamespace(frontline=frontline(d, as_of=end), language=language, currency="EUR")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_tables_and_sentences_in_both_languages(language):
    from orient.operations.crm.display_frontline import clv_table, frontline_texts, offer_table

    r = _result(language)
    t = clv_table(r, k=5)
    frame = t.frame if hasattr(t, "frame") else t.data
    assert len(frame) == 5 and not frame.isna().any().any()
    o = offer_table(r)
    of = o.frame if hasattr(o, "frame") else o.data
    assert len(of) == len(r.frontline.offers.table)
    texts = frontline_texts(r)
    # without crm.frontline declared, the third line says what the payback needs
    assert len(texts) == 3 and "crm.frontline" in texts[2]
    total = r.frontline.clv["clv"].sum()
    # the stated total is the sum of the clients' values, as the report language writes it
    digits = "".join(ch for ch in texts[0].split("EUR")[0] if ch.isdigit())
    assert str(round(total)) in digits
    if language == "ru":
        assert "clients" not in texts[0] and "Offering" not in texts[1]
        assert "Пожизненная ценность" in list(frame.columns)


def test_headline_fields_are_documented_and_json_safe():
    import json
    from pathlib import Path

    from orient.operations.crm.frontline import FRONTLINE_FIELDS, frontline_headline

    d, end = _deals(600, seed=8, products=True)
    fl = frontline(d, as_of=end)
    h = frontline_headline(fl)
    assert tuple(h) == FRONTLINE_FIELDS
    json.dumps(h, allow_nan=False)
    assert h["clv_total"] == pytest.approx(fl.clv["clv"].sum())
    assert h["next_offer_hit_rate"] == fl.offers.hit_rate("co-occurrence", 3)
    schema = json.loads(Path("orient/schemas/summary.schema.json").read_text())
    assert set(schema["$defs"]["crm_frontline"]["properties"]) == set(FRONTLINE_FIELDS)
    assert all(v is None for v in frontline_headline(None).values())
