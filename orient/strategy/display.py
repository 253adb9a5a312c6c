"""Stage I tables for readers: plain column names, values rounded for display."""

from __future__ import annotations

import pandas as pd

from orient._validate import check_dataframe

__all__ = ["portfolio_table", "scorecard_table"]


_STATUS_WORDS = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "no data",
}


def _show_number(v: float) -> str:
    if pd.isna(v):
        return ""
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def scorecard_table(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as a reader sees it: plain column names, values rounded for display.

    Returns
    -------
    pandas.DataFrame
        Indexed by goal label, columns ``Perspective``, ``KPI``, ``Owner``,
        ``Weight %``, ``Baseline``, ``Target``, ``Current``, ``Source``,
        ``Attainment %`` and ``Status``.
    """
    check_dataframe(scorecard, "scorecard")
    t = pd.DataFrame(
        {
            "Perspective": scorecard["perspective"],
            "KPI": [
                f"{k} ({u})" if u else str(k)
                for k, u in zip(scorecard["kpi"], scorecard["unit"], strict=True)
            ],
            "Owner": scorecard["owner"],
            "Weight %": (100 * scorecard["weight"]).round(0),
            "Baseline": scorecard["baseline"].map(_show_number),
            "Target": scorecard["target"].map(_show_number),
            "Current": scorecard["current"].map(_show_number),
            "Source": scorecard["source"],
            "Attainment %": (100 * scorecard["attainment"]).round(0),
            "Status": scorecard["status"].map(_STATUS_WORDS),
        }
    )
    t.index = pd.Index(scorecard["label"], name="Goal")
    return t


def portfolio_table(portfolio: pd.DataFrame, direction: pd.DataFrame | None = None) -> pd.DataFrame:
    """The segment portfolio as a reader sees it (values rounded for display).

    Returns
    -------
    pandas.DataFrame
        Indexed by segment label, columns ``Respondents``, ``Customers %``,
        ``Revenue %``, ``Margin %``, ``Growth % a year``, ``Satisfaction index``,
        ``Gap to competitor``, ``Attractiveness``, ``Ability``, ``Recommendation`` and,
        with ``direction``, ``Direction``; a small base is marked in ``Respondents``.
    """
    check_dataframe(portfolio, "portfolio")
    t = pd.DataFrame(
        {
            "Respondents": [
                f"{n} (small base)" if small else str(n)
                for n, small in zip(portfolio["n"], portfolio["small_base"], strict=True)
            ],
            "Customers %": portfolio["size_share"].round(1),
            "Revenue %": portfolio["revenue_share"].round(1),
            "Margin %": portfolio["margin"].round(1),
            "Growth % a year": portfolio["growth"].round(1),
            "Satisfaction index": portfolio["satisfaction_index"].round(1),
            "Gap to competitor": portfolio["competitive_gap"].round(1),
            "Attractiveness": portfolio["attractiveness"].round(0),
            "Ability": portfolio["ability"].round(0),
            "Recommendation": portfolio["recommendation"],
        }
    )
    if direction is not None:
        t["Direction"] = direction["direction"].reindex(portfolio.index)
    t.index = pd.Index(portfolio["label"], name="Segment")
    return t
