"""Figures of the time-weighted control charts (EWMA, CUSUM) and of complaint trends."""

from __future__ import annotations

import numpy as np

from orient.i18n import check_language
from orient.present.plots.common import (
    PALETTE,
    _get_ax,
    describe,
    finish_control_chart,
    language_ticks,
    plot_text,
)

__all__ = ["complaints_trend_plot", "time_weighted_plot"]


def _phase_line(ax, p, language: str) -> None:
    n1 = int((p["phase"] == "I").sum())
    if n1 < len(p):
        ax.axvline(n1 + 0.5, color=PALETTE["neutral"], linestyle=":")
        ax.text(
            n1 + 0.7,
            ax.get_ylim()[1],
            plot_text("phase II", language),
            va="top",
            fontsize=8,
            color=PALETTE["neutral"],
        )


def time_weighted_plot(points, *, title=None, ax=None, language="en"):
    """An EWMA chart (smoothed means within their time-varying limits) or a tabular
    CUSUM (upper and lower sums against the decision interval ``h``), from the rows
    of ``QualityResult.time_weighted_points`` for one chart (or a chart's ``points``).
    Signalling points are red; phase II is to the right of the dotted line.
    """
    language = check_language(language)
    ax = _get_ax(ax)
    p = points.reset_index(drop=True)
    x = np.arange(1, len(p) + 1)
    out = p["out_of_control"].to_numpy(dtype=bool)
    if "ewma" in p.columns and p["ewma"].notna().any():
        ax.plot(x, p["statistic"], color=PALETTE["neutral"], lw=0.8, marker=".", alpha=0.6,
                label=plot_text("subgroup mean", language))  # fmt: skip
        ax.plot(x, p["ewma"], color=PALETTE["own"], lw=1.2, marker="o", markersize=3,
                label="EWMA")  # fmt: skip
        ax.plot(x, p["ucl"], color=PALETTE["bad"], lw=1, ls="--", label=plot_text("UCL", language))
        ax.plot(x, p["lcl"], color=PALETTE["bad"], lw=1, ls="--", label=plot_text("LCL", language))
        ax.plot(x, p["center"], color="black", lw=1, label=plot_text("centre", language))
        ax.scatter(x[out], p.loc[out, "ewma"], color=PALETTE["bad"], zorder=3, s=30)
        name = "EWMA"
    else:
        ax.plot(x, p["cusum_upper"], color=PALETTE["own"], lw=1.2, marker="o", markersize=3,
                label="C+")  # fmt: skip
        ax.plot(x, -p["cusum_lower"], color=PALETTE["competitor"],
                lw=1.2, marker="o", markersize=3, label="C\u2212")  # fmt: skip
        h = float(p["h"].iloc[0])
        ax.axhline(h, color=PALETTE["bad"], ls="--", lw=1, label="h")
        ax.axhline(-h, color=PALETTE["bad"], ls="--", lw=1)
        ax.axhline(0, color="black", lw=0.8)
        up = p["signal"].eq("up").to_numpy()
        down = p["signal"].eq("down").to_numpy()
        ax.scatter(x[up], p.loc[up, "cusum_upper"], color=PALETTE["bad"], zorder=3, s=30)
        ax.scatter(x[down], -p.loc[down, "cusum_lower"], color=PALETTE["bad"], zorder=3, s=30)
        ax.set_ylabel(plot_text("cumulative sum (standard errors)", language))
        name = "CUSUM"
    _phase_line(ax, p, language)
    ax.set_xlabel(plot_text("subgroup (in time order)", language))
    return finish_control_chart(
        ax,
        name=name,
        title=title,
        flagged=int(out.sum()),
        n=len(p),
        what="{heading}: {k} of {n} subgroups signal a shift of the mean.",
        language=language,
    )


def complaints_trend_plot(monthly, *, top: int = 5, ax=None, language="en"):
    """Complaints per month: all complaints and the ``top`` most frequent categories
    (``ComplaintsResult.monthly``)."""
    language = check_language(language)
    ax = _get_ax(ax)
    x = np.arange(len(monthly))
    ax.plot(x, monthly["all"], color="black", lw=1.5, marker="o", markersize=3,
            label=plot_text("all complaints", language))  # fmt: skip
    for col in [c for c in monthly.columns if c != "all"][:top]:
        ax.plot(x, monthly[col], lw=1, marker=".", label=str(col))
    step = max(1, len(x) // 12)
    ax.set_xticks(x[::step])
    ax.set_xticklabels([str(m) for m in monthly.index[::step]], rotation=45, ha="right")
    ax.set_ylabel(plot_text("complaints per month", language))
    heading = plot_text("Complaints per month", language)
    ax.set_title(heading)
    ax.legend(frameon=False, fontsize=7, ncol=2)
    describe(
        ax,
        plot_text(
            "{heading}: {n} complaints over {m} months.",
            language,
            heading=heading,
            n=int(monthly["all"].sum()),
            m=len(monthly),
        ),
    )
    language_ticks(ax, language)
    return ax
