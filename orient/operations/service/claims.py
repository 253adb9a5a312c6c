"""Claims handling: volumes and money by category, months, open claims by age, time to resolve.

Works on the claims table (one row per complaint or claim): ``claim_id``,
``received``, ``category`` and, when recorded, ``resolved`` (empty while open),
``amount_claimed``, ``amount_settled``. A register without a ``resolved`` column
(:func:`resolution_recorded` False) gives no open counts, ages or times to resolve:
they are NaN, never "every claim still open"; one without amounts gives NaN sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe

__all__ = [
    "CLAIM_COLUMNS",
    "CLAIM_REQUIRED",
    "resolution_recorded",
    "claims_backlog",
    "claims_by_category",
    "claims_monthly",
    "resolution_times",
    "resolved_within",
]

CLAIM_COLUMNS = ("claim_id", "received", "resolved", "category", "amount_claimed", "amount_settled")
#: the columns every claims table has; the others of CLAIM_COLUMNS may be absent
CLAIM_REQUIRED = ("claim_id", "received", "category")


def resolution_recorded(claims: pd.DataFrame) -> bool:
    """Whether the table records when claims were resolved (a ``resolved`` column)."""
    return "resolved" in claims.columns


def _claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The claims typed, with ``days`` to resolve. ``resolved`` and the amounts may be
    absent: they are then missing values, never zeros."""
    claims = check_dataframe(claims, "claims")
    check_columns(claims, CLAIM_REQUIRED, "claims")
    d = claims.copy()
    for col in ("amount_claimed", "amount_settled"):
        if col not in d.columns:
            d[col] = np.nan
    if "resolved" not in d.columns:
        d["resolved"] = pd.NaT
    d["received"] = pd.to_datetime(d["received"])
    d["resolved"] = pd.to_datetime(d["resolved"])
    d["days"] = (d["resolved"] - d["received"]).dt.total_seconds() / 86400
    return d


def _as_of(d: pd.DataFrame, as_of: Any) -> pd.Timestamp:
    if as_of is not None:
        return pd.Timestamp(as_of)
    return max(
        d["received"].max(),
        d["resolved"].max() if d["resolved"].notna().any() else d["received"].max(),
    )


def resolution_times(claims: pd.DataFrame) -> pd.DataFrame:
    """Distribution of the time to resolve a claim, overall and by category.

    Returns
    -------
    DataFrame
        One row per category plus ``"all"``: ``category``, ``n`` (resolved claims),
        ``mean_days``, ``median_days``, ``p75_days``, ``p90_days``, ``max_days``.
    """
    d = _claims(claims)
    r = d[d["days"].notna()]
    rows = []
    for cat, g in [("all", r), *((str(k), v) for k, v in r.groupby("category", sort=True))]:
        x = g["days"]
        rows.append(
            {
                "category": cat,
                "n": len(x),
                "mean_days": x.mean(),
                "median_days": x.median(),
                "p75_days": x.quantile(0.75),
                "p90_days": x.quantile(0.9),
                "max_days": x.max(),
            }
        )
    return pd.DataFrame(rows)


def claims_by_category(claims: pd.DataFrame) -> pd.DataFrame:
    """Volumes, open claims and money by claim category.

    Returns
    -------
    DataFrame
        One row per category, most claims first, with ``category``, ``n``,
        ``share`` (of all claims), ``open`` (unresolved), ``median_days`` (to
        resolve), ``amount_claimed``, ``amount_settled`` (sums over resolved claims)
        ``settled_ratio`` (settled over claimed, resolved claims only) and
        ``cumulative_share`` (running share of claims, for a Pareto chart). Without
        a ``resolved`` column ``open``, ``median_days`` and the settled amounts are
        NaN and ``amount_claimed`` sums every claim; without amounts they are NaN.
    """
    recorded = resolution_recorded(claims)
    d = _claims(claims)
    res = d[d["resolved"].notna()] if recorded else d
    g = d.groupby("category")
    gr = res.groupby("category")
    out = pd.DataFrame(
        {
            "n": g.size(),
            "open": g["resolved"].apply(lambda s: int(s.isna().sum())) if recorded else np.nan,
            "median_days": gr["days"].median(),
            "amount_claimed": gr["amount_claimed"].sum(min_count=1),
            "amount_settled": gr["amount_settled"].sum(min_count=1) if recorded else np.nan,
        }
    )
    for col in ("amount_claimed", "amount_settled"):
        if col in claims.columns and (recorded or col == "amount_claimed"):
            out[col] = out[col].fillna(0.0)
    out["share"] = out["n"] / out["n"].sum()
    out["settled_ratio"] = out["amount_settled"] / out["amount_claimed"].replace(0, np.nan)
    out = out.reset_index().rename(columns={"index": "category"})
    cols = [
        "category",
        "n",
        "share",
        "open",
        "median_days",
        "amount_claimed",
        "amount_settled",
        "settled_ratio",
    ]
    out = out[cols].sort_values(["n", "category"], ascending=[False, True], ignore_index=True)
    out["cumulative_share"] = out["share"].cumsum()
    return out


def claims_monthly(claims: pd.DataFrame) -> pd.DataFrame:
    """Claims received and resolved per calendar month.

    Returns
    -------
    DataFrame
        ``month`` (first day, Timestamp), ``received``, ``resolved`` and
        ``open_end`` (claims received and not yet resolved at the month's end; both
        NaN when the table records no resolution).
    """
    recorded = resolution_recorded(claims)
    d = _claims(claims)
    first = d["received"].min().to_period("M")
    last = max(
        d["received"].max(),
        d["resolved"].max() if d["resolved"].notna().any() else d["received"].max(),
    ).to_period("M")
    months = pd.period_range(first, last, freq="M")
    rec = d["received"].dt.to_period("M").value_counts().reindex(months, fill_value=0)
    sol = d["resolved"].dropna().dt.to_period("M").value_counts().reindex(months, fill_value=0)
    ends = [m.to_timestamp(how="end") for m in months]
    open_end = [
        int(((d["received"] <= e) & (d["resolved"].isna() | (d["resolved"] > e))).sum())
        for e in ends
    ]
    out = pd.DataFrame(
        {
            "month": months.to_timestamp(),
            "received": rec.to_numpy(),
            "resolved": sol.to_numpy() if recorded else np.nan,
            "open_end": open_end if recorded else np.nan,
        }
    )
    return out


def claims_backlog(
    claims: pd.DataFrame,
    *,
    as_of: Any = None,
    bins: tuple[int, ...] = (0, 7, 30, 90),
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Open claims by age.

    Parameters
    ----------
    as_of : date-like, optional
        Reference date; by default the latest date in the table.
    bins : tuple of int
        Lower edges of the age bands in days.
    labels : sequence of str, optional
        One label per band (:func:`orient.operations.service.narrative.age_band_labels`
        writes them in a report language); by default the bare day ranges
        ``"0-6"``, ``"7-29"``, ..., ``"90+"``.

    Returns
    -------
    DataFrame
        One row per age band: ``age_band`` (the label), ``n`` (open claims),
        ``amount_claimed`` (their sum) and ``share`` (of open claims).
    """
    d = _claims(claims)
    ref = _as_of(d, as_of)
    op = d[d["resolved"].isna()]
    age = (ref - op["received"]).dt.total_seconds() / 86400
    edges = list(bins) + [np.inf]
    if labels is None:
        labels = [
            f"{lo}-{int(hi) - 1}" if np.isfinite(hi) else f"{lo}+"
            for lo, hi in zip(edges[:-1], edges[1:], strict=True)
        ]
    labels = list(labels)
    if len(labels) != len(bins):
        raise ValueError(f"`labels` must have one label per band ({len(bins)}); got {len(labels)}.")
    band = pd.cut(age, edges, right=False, labels=labels)
    out = pd.DataFrame(
        {
            "age_band": labels,
            "n": band.value_counts().reindex(labels, fill_value=0).to_numpy(),
            "amount_claimed": op.groupby(band, observed=False)["amount_claimed"]
            .sum()
            .reindex(labels, fill_value=0)
            .to_numpy(),
        }
    )
    total = out["n"].sum()
    out["share"] = out["n"] / total if total else 0.0
    return out


def resolved_within(claims: pd.DataFrame, days: float) -> float | None:
    """Share of resolved claims resolved within ``days`` days (None when none is resolved).

    Examples
    --------
    >>> t = pd.DataFrame({"claim_id": [1, 2], "received": ["2026-01-01", "2026-01-01"],
    ...                   "resolved": ["2026-01-03", "2026-01-20"], "category": ["a", "a"],
    ...                   "amount_claimed": [1.0, 1.0], "amount_settled": [1.0, 0.0]})
    >>> resolved_within(t, 7)
    0.5
    """
    t = _claims(claims)["days"].dropna()
    return float((t <= days).mean()) if len(t) else None
