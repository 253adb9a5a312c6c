"""Stage III tables for readers: :func:`display_table` (readable headings, rounded numbers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from orient._validate import check_choice
from orient.priorities.narrative import _FACTOR_WORDS, _QUADRANT_WORDS

if TYPE_CHECKING:
    from orient.priorities.stage import PrioritiesResult

__all__ = ["display_table"]


def display_table(result: PrioritiesResult, which: str = "priorities") -> pd.DataFrame:
    """A stage III table with readable headings and rounded numbers, for notebooks and reports.

    The analysis tables (``result.drivers`` etc.) keep full precision and snake_case
    columns; this only presents them.

    Parameters
    ----------
    result : PrioritiesResult
    which : {"drivers", "performance", "segments", "factors", "priorities"}
        ``"segments"`` is the gap to the competitor by segment (attributes in rows,
        segments in columns, signed text; suppressed small bases shown as a dash).

    Returns
    -------
    DataFrame
        Indexed by the attribute's label.
    """
    which = check_choice(
        which, ("drivers", "performance", "segments", "factors", "priorities"), "which"
    )
    lab = result.labels
    if which == "drivers":
        d = result.drivers.sort_values("rank")
        out = pd.DataFrame(
            {"Share of explained variation (%)": (100 * d["share"]).round(1).to_numpy()},
            index=pd.Index([lab.get(k, k) for k in d.index], name="Attribute"),
        )
        if "share_ci_low" in d.columns:
            out["Interval from (%)"] = (100 * d["share_ci_low"]).round(1).to_numpy()
            out["Interval to (%)"] = (100 * d["share_ci_high"]).round(1).to_numpy()
            out["Rank (interval)"] = [
                f"{r:.0f} ({lo:.0f}-{hi:.0f})"
                for r, lo, hi in zip(d["rank"], d["rank_ci_low"], d["rank_ci_high"], strict=True)
            ]
        else:
            out["Rank"] = d["rank"].astype(int).to_numpy()
        return out
    perf = result.performance
    rival = result.competitor or "Competitor"
    if which == "performance":
        p = perf[perf["segment"] == "all"].sort_values("gap")
        return pd.DataFrame(
            {
                "Our score (0-100)": p["own"].round(1).to_numpy(),
                f"{rival} (0-100)": p["competitor"].round(1).to_numpy(),
                "Gap (points)": p["gap"].round(1).to_numpy(),
                "Gap interval": [
                    f"{lo:+.1f} to {hi:+.1f}" if pd.notna(lo) else ""
                    for lo, hi in zip(p["ci_low"], p["ci_high"], strict=True)
                ],
                "Respondents": p["n"].to_numpy(),
            },
            index=pd.Index(p["label"], name="Attribute"),
        )
    if which == "segments":
        p = perf.copy()
        wide = p.pivot(index="label", columns="segment", values="gap").round(1)
        order = perf[perf["segment"] == "all"]["label"]
        wide = wide.reindex(order)[list(perf["segment"].drop_duplicates())]
        bases = p.groupby("segment")["n"].min()
        wide.columns = [
            f"{s} (n≥{bases[s]})" if s != "all" else "All respondents" for s in wide.columns
        ]
        wide.index.name = "Attribute"
        # suppressed (small base) cells are shown as a dash, not as a number
        return wide.map(lambda v: "–" if pd.isna(v) else f"{v:+.1f}")
    if which == "factors":
        f = result.factors
        if f is None:
            return pd.DataFrame()
        return pd.DataFrame(
            {
                "Penalty when rated low": f["penalty"].round(2).to_numpy(),
                "Reward when rated high": f["reward"].round(2).to_numpy(),
                "Factor type": [_FACTOR_WORDS[x] for x in f["factor"]],
            },
            index=pd.Index([lab.get(k, k) for k in f.index], name="Attribute"),
        )
    t = result.priorities
    perf_head = f"Gap to {rival} (points)" if result.relative else "Performance (0-100)"
    out = pd.DataFrame(
        {
            "Priority": t["priority_rank"].to_numpy(),
            "Importance (%)": (100 * t["importance"]).round(1).to_numpy(),
            perf_head: t["performance"].round(1).to_numpy(),
            "Quadrant": [_QUADRANT_WORDS[q] for q in t["quadrant"]],
            "Factor type": [
                _FACTOR_WORDS.get(x, "") if isinstance(x, str) else "" for x in t["factor"]
            ],
            "Action": t["action"].to_numpy(),
        },
        index=pd.Index(t["label"], name="Attribute"),
    )
    return out
