"""The network report's charts: each company's value and interval on a measure against
the network's median (a ranked dot-and-interval chart), as inline SVG."""

from __future__ import annotations

import io

import pandas as pd

from orient.networkview.narrative import fmt_value, label

__all__ = ["distribution_svg"]

_LABELLED = 40  # up to this many companies, each row is named


def distribution_svg(key: str, rows: pd.DataFrame, language: str) -> str:
    """An SVG chart of the league ``rows`` of measure ``key`` (from
    :func:`orient.networkview.measures.league`): one dot per company with its interval,
    best at the top, and the network's median as a dashed line."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from orient.present.plots.common import LITERAL_TEXT, PALETTE, language_ticks, plot_text

    scale = 100.0 if key in ("service_level", "win_rate") else 1.0
    n = len(rows)
    height = min(0.22 * n, 9.0) + 1.2 if n <= _LABELLED else 4.0
    y = list(range(n))[::-1]
    with plt.rc_context({**LITERAL_TEXT, "svg.fonttype": "none", "font.size": 9}):
        fig, ax = plt.subplots(figsize=(7.0, height))
        lo = rows["ci_low"].to_numpy(dtype=float) * scale
        hi = rows["ci_high"].to_numpy(dtype=float) * scale
        val = rows["value"].to_numpy(dtype=float) * scale
        ax.hlines(y, lo, hi, color=PALETTE["neutral"], linewidth=1.2)
        ax.plot(val, y, "o", color=PALETTE["own"], markersize=4 if n <= _LABELLED else 2)
        median = rows.attrs.get("median")
        if median is not None:
            ax.axvline(median * scale, color=PALETTE["bad"], linestyle="--", linewidth=1)
            ax.text(
                median * scale,
                n - 0.4,
                f" {plot_text('network median', language)} {fmt_value(key, median, language)}",
                color=PALETTE["bad"],
                va="bottom",
                fontsize=8,
            )
        if n <= _LABELLED:
            ax.set_yticks(y, [str(v) for v in rows["company_name"]])
        else:
            ax.set_yticks([])
            ax.set_ylabel(plot_text("{n} companies, best at the top", language, n=n))
        ax.set_ylim(-0.8, n + 0.2)
        ax.set_xlabel(label(key, language))
        ax.spines[["top", "right"]].set_visible(False)
        language_ticks(ax, language)
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
        plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg") :]
