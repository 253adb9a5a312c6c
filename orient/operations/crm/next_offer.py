"""Next-best offer from purchase histories: item-to-item co-occurrence.

Two products are related by how many clients bought both, scaled by how many bought
each (cosine: ``n_ij / sqrt(n_i n_j)``). A client's candidates are the products not yet
bought, scored by the sum of their relations to the products in the history. The
method is judged on each client's last purchase held out: the share of clients whose
held-out product is among the top ``k`` offers, against offering the ``k`` most
popular products the client does not yet have.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats

from orient.errors import DataError
from orient.stats import wilson_interval

__all__ = [
    "NextOfferModel",
    "OfferEvaluation",
    "evaluate_next_offer",
    "fit_next_offer",
    "paired_interval",
]


@dataclass(frozen=True)
class NextOfferModel:
    """Products, clients per product and the client co-occurrence matrix."""

    items: tuple[str, ...]
    buyers: np.ndarray  # clients who bought each item
    together: np.ndarray  # clients who bought both items (diagonal zero)

    @cached_property
    def _similarity(self) -> np.ndarray:
        return self.similarity()

    def similarity(self) -> np.ndarray:
        n = np.sqrt(np.outer(self.buyers, self.buyers))
        with np.errstate(divide="ignore", invalid="ignore"):
            s = np.where(n > 0, self.together / n, 0.0)
        return s

    def offer(self, history: Iterable[str], k: int = 3) -> list[str]:
        """The ``k`` products to offer a client who bought ``history``: highest summed
        similarity first, ties broken by popularity then name; popularity alone for a
        history of products the model does not know."""
        index = {it: i for i, it in enumerate(self.items)}
        owned = sorted({index[h] for h in history if h in index})
        score = self._similarity[owned].sum(axis=0) if owned else np.zeros(len(self.items))
        return _top(self.items, score, self.buyers, owned, k)

    def popular(self, history: Iterable[str], k: int = 3) -> list[str]:
        """The ``k`` most popular products not in ``history``."""
        index = {it: i for i, it in enumerate(self.items)}
        owned = sorted({index[h] for h in history if h in index})
        return _top(self.items, np.zeros(len(self.items)), self.buyers, owned, k)


def _top(items, score, buyers, owned, k) -> list[str]:
    keep = np.ones(len(items), dtype=bool)
    keep[owned] = False
    cand = np.flatnonzero(keep)
    order = sorted(cand, key=lambda j: (-score[j], -buyers[j], items[j]))
    return [items[j] for j in order[:k]]


def _baskets(purchases: pd.DataFrame, client: str, item: str) -> dict[str, set[str]]:
    return {str(c): set(map(str, g)) for c, g in purchases.groupby(client, sort=True)[item]}


def fit_next_offer(
    purchases: pd.DataFrame, *, client: str = "client", item: str = "product"
) -> NextOfferModel:
    """Co-occurrence counts from a purchases frame (one row per client and product bought)."""
    _check(purchases, [client, item])
    baskets = _baskets(purchases, client, item)
    items = tuple(sorted({it for b in baskets.values() for it in b}))
    index = {it: i for i, it in enumerate(items)}
    m = np.zeros((len(baskets), len(items)))
    for r, b in enumerate(baskets.values()):
        m[r, [index[it] for it in b]] = 1.0
    together = m.T @ m
    buyers = np.diag(together).copy()
    np.fill_diagonal(together, 0.0)
    return NextOfferModel(items, buyers, together)


def _check(purchases: pd.DataFrame, columns: Sequence[str], file: str = "deals") -> None:
    for col in columns:
        if col not in purchases.columns:
            raise DataError("column missing", file=file, column=col)
    for col in columns:
        bad = purchases[col].isna()
        if bad.any():
            raise DataError.at_first(
                bad, "empty", file=file, column=col, expected="a value in every row"
            )


@dataclass(frozen=True)
class OfferEvaluation:
    """Hit rates at ``k`` on held-out last purchases.

    ``table`` has one row per ``k`` and method (``co-occurrence``, ``popularity``):
    ``hits``, ``n`` (clients counted at that k), ``hit_rate``, ``low``, ``high`` (Wilson
    95%); ``n`` is the most clients counted at any k; ``model`` is fitted on all
    purchases; ``per_client`` has one row per evaluated client (``client``, then a 0/1
    column ``<method>@<k>`` per method and ``k``, blank where the client is not counted
    at that k), for paired comparisons.
    """

    table: pd.DataFrame
    n: int
    model: NextOfferModel
    per_client: pd.DataFrame | None = None

    def hit_rate(self, method: str, k: int) -> float:
        row = self.table[(self.table["method"] == method) & (self.table["k"] == k)]
        return float(row["hit_rate"].iloc[0])

    def lift(self, k: int, confidence: float = 0.95) -> tuple[float, float, float]:
        """The co-occurrence hit rate minus the popularity hit rate at ``k``, on the
        same held-out purchases, with its Wald interval for a paired difference
        (the per-client differences are -1, 0 or 1): ``(lift, low, high)``."""
        if self.per_client is None or not self.n:
            return (np.nan, np.nan, np.nan)
        diff = (
            self.per_client[f"co-occurrence@{k}"] - self.per_client[f"popularity@{k}"]
        ).to_numpy(dtype=float)
        return paired_interval(diff[~np.isnan(diff)], confidence)

    def clients(self, k: int) -> int:
        """The held-out clients counted at ``k`` (those with more than ``k`` products
        they had not bought)."""
        return int(self.table.loc[self.table["k"] == k, "n"].max())


def paired_interval(diff: np.ndarray, confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean of paired differences with its normal (Wald) interval: ``(mean, low, high)``.

    >>> paired_interval(np.array([1.0, 0.0, 1.0, -1.0]))[0]
    0.25
    """
    n = len(diff)
    if n == 0:
        return (np.nan, np.nan, np.nan)
    m = float(diff.mean())
    if n < 2:
        return (m, np.nan, np.nan)
    z = float(stats.norm.ppf(0.5 + confidence / 2))
    half = z * float(diff.std(ddof=0)) / np.sqrt(n)
    return (m, m - half, m + half)


def evaluate_next_offer(
    purchases: pd.DataFrame,
    *,
    client: str = "client",
    item: str = "product",
    date: str = "date",
    ks: Sequence[int] = (1, 3),
    folds: int = 5,
) -> OfferEvaluation:
    """Hold out each client's last purchase (by date; the client must have bought
    something else before and not this product). The evaluated clients are split into
    ``folds`` groups; for each group co-occurrence is learnt from everything except that
    group's held-out purchases (other clients' full histories, the group's earlier
    purchases), and the held-out product is looked for among the top ``k`` offers, for
    the co-occurrence offer and for the popularity baseline. Only ``k`` of at most half
    the catalogue less one are evaluated, and at each ``k`` only the clients with more
    than ``k`` products left to offer (else any method names their purchase). ``model``
    is then fitted on all purchases."""
    _check(purchases, [client, item, date])
    p = purchases[[client, item, date]].copy()
    p["_when"] = pd.to_datetime(p[date], errors="coerce")
    if p["_when"].isna().any():
        raise DataError.at_first(
            p["_when"].isna(), "not a date", values=p[date], file="deals", column=date
        )
    p["_row"] = np.arange(len(p))
    p = p.sort_values(["_when", "_row"], kind="stable")
    held: dict[str, str] = {}
    drop = []
    for c, grp in p.groupby(client, sort=True):
        it = grp[item].iloc[-1]
        if len(grp) > 1 and it not in set(grp[item].iloc[:-1]):
            held[str(c)] = str(it)
            drop.append(grp["_row"].iloc[-1])
    # offering most of the catalogue tests nothing: k at most half of what a client
    # with one product could be offered; clients left with k products or fewer to
    # offer are not counted at that k (every method would name their purchase)
    catalogue = int(p[item].nunique())
    ks = [int(k) for k in ks if k <= (catalogue - 1) // 2]
    clients = sorted(held) if ks else []
    fold = {c: i % folds for i, c in enumerate(clients)}
    kmax = max(ks, default=0)
    hits = {(m, k): 0 for m in ("co-occurrence", "popularity") for k in ks}
    per_client: dict[str, list[int]] = {f"{m}@{k}": [] for (m, k) in hits}
    order: list[str] = []
    key = p[client].astype(str)
    for f in range(min(folds, len(clients))):
        test = {c for c in clients if fold[c] == f}
        out = p["_row"].isin(drop) & key.isin(test)
        train = p[~out.to_numpy()]
        model = fit_next_offer(train, client=client, item=item)
        baskets = _baskets(train, client, item)
        for c in sorted(test):
            offers = {"co-occurrence": model.offer(baskets[c], kmax)}
            offers["popularity"] = model.popular(baskets[c], kmax)
            left = len(model.items) - len(set(baskets[c]) & set(model.items))
            order.append(c)
            for m, o in offers.items():
                for k in ks:
                    hit = float(held[c] in o[:k]) if left > k else np.nan
                    hits[(m, k)] += 0 if np.isnan(hit) else int(hit)
                    per_client[f"{m}@{k}"].append(hit)
    model = fit_next_offer(p, client=client, item=item)
    per = pd.DataFrame({"client": order, **per_client})
    rows = []
    for (m, k), h in hits.items():
        n = int(per[f"{m}@{k}"].notna().sum())
        rate = h / n if n else np.nan
        lo, hi = wilson_interval(rate, n)
        rows.append(
            {"method": m, "k": k, "hits": h, "n": n, "hit_rate": rate, "low": lo, "high": hi}
        )
    cols = ["method", "k", "hits", "n", "hit_rate", "low", "high"]
    table = pd.DataFrame(rows, columns=cols)
    table = table[table["n"] > 0].reset_index(drop=True)
    return OfferEvaluation(table, int(table["n"].max()) if len(table) else 0, model, per)
