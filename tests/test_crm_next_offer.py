"""Next-best offer: scores by hand on a tiny example, and hit rates on simulated
histories with planted product pairs against the rate the planting implies."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orient.errors import DataError
from orient.operations.crm.next_offer import evaluate_next_offer, fit_next_offer


def test_offer_scores_by_hand():
    # clients: 1 {a,b}, 2 {a,b,c}, 3 {a,c}, 4 {d}
    rows = [(1, "a"), (1, "b"), (2, "a"), (2, "b"), (2, "c"), (3, "a"), (3, "c"), (4, "d")]
    m = fit_next_offer(pd.DataFrame(rows, columns=["client", "product"]))
    assert m.items == ("a", "b", "c", "d")
    assert m.buyers.tolist() == [3, 2, 2, 1]
    s = m.similarity()
    assert s[0, 1] == pytest.approx(2 / np.sqrt(6))
    assert s[1, 2] == pytest.approx(1 / 2)
    assert s[0, 3] == 0
    # a client with {b}: a scores 2/sqrt(6) = 0.816, c scores 0.5, d scores 0
    assert m.offer(["b"], 3) == ["a", "c", "d"]
    # {b, c}: a scores 2/sqrt(6) + 2/sqrt(6), d 0
    assert m.offer(["b", "c"], 2) == ["a", "d"]
    assert m.popular(["a"], 2) == ["b", "c"]


def _planted(n_clients, n_pairs, follow, seed):
    """Each client buys A_i (i uniform), then B_i with probability ``follow``, else a
    uniformly random other product."""
    rng = np.random.default_rng(seed)
    items = [f"A{i}" for i in range(n_pairs)] + [f"B{i}" for i in range(n_pairs)]
    rows = []
    for c in range(n_clients):
        i = rng.integers(n_pairs)
        first = f"A{i}"
        if rng.random() < follow:
            second = f"B{i}"
        else:
            others = [x for x in items if x != first]
            second = others[rng.integers(len(others))]
        rows.append((c, first, "2024-01-01"))
        rows.append((c, second, "2024-02-01"))
    return pd.DataFrame(rows, columns=["client", "product", "date"]), len(items)


def test_planted_pairs_are_found_and_beat_popularity():
    follow, pairs = 0.7, 10
    data, n_items = _planted(6000, pairs, follow, seed=11)
    ev = evaluate_next_offer(data)
    assert ev.n == 6000
    # the partner is offered first; it is the held-out product with probability
    # follow + (1 - follow) / (n_items - 1) (a random second product that is the partner)
    want = follow + (1 - follow) / (n_items - 1)
    got = ev.hit_rate("co-occurrence", 1)
    assert got == pytest.approx(want, abs=0.025)
    # popularity offers another first product A_j, held out only by a random pick
    assert ev.hit_rate("popularity", 1) == pytest.approx((1 - follow) / (n_items - 1), abs=0.01)
    row = ev.table[(ev.table.method == "co-occurrence") & (ev.table.k == 1)].iloc[0]
    assert row.low < got < row.high
    assert ev.hit_rate("co-occurrence", 3) >= got


def test_clients_without_a_new_last_purchase_are_not_evaluated():
    data = pd.DataFrame(
        {
            "client": [1, 1, 2, 3, 3, 4, 5],
            "product": ["a", "b", "a", "a", "a", "c", "d"],
            "date": ["2024-01-01", "2024-01-05", "2024-01-01", "2024-01-01", "2024-01-09"]
            + ["2024-01-02", "2024-01-03"],
        }
    )
    ev = evaluate_next_offer(data)
    assert ev.n == 1  # client 1 only: 2, 4, 5 bought once, 3 bought the same product again


def test_offers_that_cover_the_catalogue_are_not_evaluated():
    # a catalogue of three: k = 3 would offer everything, so only k = 1 is judged; client 1
    # had a and b and bought c: one product left to offer, any method names it
    data = pd.DataFrame(
        {
            "client": [1, 1, 1, 2, 2, 3, 3],
            "product": ["a", "b", "c", "a", "b", "b", "c"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-09", "2024-01-01", "2024-01-05"]
            + ["2024-01-01", "2024-01-06"],
        }
    )
    ev = evaluate_next_offer(data, ks=(1, 3))
    assert set(ev.table["k"]) == {1}
    assert ev.clients(1) == 2 and ev.per_client.set_index("client").loc["1"].isna().all()
    assert evaluate_next_offer(data.replace("c", "a"), ks=(1,)).n == 0  # two products


def test_bad_input_names_the_column_and_row():
    data = pd.DataFrame({"client": [1, 2], "product": ["a", None], "date": ["2024-01-01"] * 2})
    with pytest.raises(DataError, match="column 'product', row 3"):
        evaluate_next_offer(data)
    with pytest.raises(DataError, match="'date'"):
        evaluate_next_offer(data.drop(columns="date"))
