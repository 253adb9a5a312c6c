"""Stage I charts: the goal scorecard and the segment portfolio.

Both draw their texts in ``language`` when they draw them (:func:`plot_text`; the goals
and segments by their labels, perspectives and recommendations in words) and record
what they show in one sentence (:func:`describe`, the figure's alt text).
"""

from __future__ import annotations

import matplotlib.pyplot as plt

from orient.i18n import check_language
from orient.present.plots.common import PALETTE, _get_ax, describe, language_ticks, plot_text
from orient.present.tables import value_word

__all__ = [
    "scorecard_plot",
    "segment_portfolio_plot",
]


_STATUS_COLOURS = {
    "on_track": PALETTE["good"],
    "at_risk": PALETTE["competitor"],
    "off_track": PALETTE["bad"],
    "no_data": PALETTE["neutral"],
}
#: the legend's English texts (catalog context ``terms.plots``)
_STATUS_LABELS = {
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "no_data": "no data",
}


def _names(labels) -> str:
    return ", ".join(str(v) for v in labels)


def scorecard_plot(scorecard, *, on_track=0.9, at_risk=0.5, ax=None, language="en"):
    """Goal scorecard as a bar chart of attainment, one bar per goal, coloured by status.

    ``scorecard`` is :func:`orient.strategy.goal_scorecard`. Attainment is the share of
    the planned change from baseline to target achieved (100% = target met); dashed
    lines mark the status boundaries ``at_risk`` and ``on_track`` (pass the values the
    scorecard was built with). Goals without a current value show "no data".
    ``language`` (``"en"`` or ``"ru"``): the language of the texts and numbers drawn.
    """
    language = check_language(language)
    ax = _get_ax(ax)
    sc = scorecard.iloc[::-1]  # first goal on top
    y = list(range(len(sc)))
    values = (sc["attainment"] * 100).fillna(0.0).to_numpy()
    colours = [_STATUS_COLOURS.get(s, PALETTE["neutral"]) for s in sc["status"]]
    ax.barh(y, values, color=colours, height=0.6)
    labels = [
        f"{row['label']} ({value_word('strategy', row['perspective'], language)}; {row['owner']})"
        for _, row in sc.iterrows()
    ]
    ax.set_yticks(y, labels)
    for yi, (_, row) in zip(y, sc.iterrows(), strict=True):
        if row["status"] == "no_data":
            ax.text(
                1,
                yi,
                plot_text("no data", language),
                va="center",
                ha="left",
                fontsize=8,
                color=PALETTE["neutral"],
            )
    for x in (at_risk * 100, on_track * 100, 100):
        ax.axvline(
            x,
            color="black" if x == 100 else PALETTE["neutral"],
            linestyle="-" if x == 100 else "--",
            linewidth=1,
        )
    lo = min(0.0, float(values.min()) - 5) if len(values) else 0.0
    hi = max(110.0, float(values.max()) + 5) if len(values) else 110.0
    ax.set_xlim(lo, hi)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in _STATUS_COLOURS.values()]
    ax.legend(
        handles,
        [plot_text(t, language) for t in _STATUS_LABELS.values()],
        loc="lower right",
        fontsize=8,
        title=plot_text("status", language),
    )
    ax.set_xlabel(
        plot_text("attainment: share of the planned change from baseline to target (%)", language)
    )
    ax.set_ylabel(plot_text("goal (perspective; owner)", language))
    ax.set_title(plot_text("Goal scorecard", language))
    parts = []
    for status, text in _STATUS_LABELS.items():
        goals = scorecard.loc[scorecard["status"] == status, "label"]
        if len(goals):
            parts.append(
                plot_text(
                    "{n} {status} ({goals})",
                    language,
                    n=len(goals),
                    status=plot_text(text, language),
                    goals=_names(goals),
                )
            )
    describe(
        ax,
        plot_text(
            "Goal scorecard: attainment of the goals ({n} in all); {parts}.",
            language,
            n=len(scorecard),
            parts="; ".join(parts),
        ),
    )
    language_ticks(ax, language)
    return ax


_REC_COLOURS = {
    "invest": PALETTE["good"],
    "selective": PALETTE["competitor"],
    "harvest": PALETTE["bad"],
}


def segment_portfolio_plot(portfolio, *, ax=None, language="en"):
    """Segment portfolio matrix: ability to satisfy (x) against attractiveness (y).

    ``portfolio`` is :func:`orient.strategy.segment_portfolio`. The nine boxes are shaded
    by the strategy they call for; each segment is a bubble sized by its revenue share
    and coloured by its recommendation; a hollow bubble marks a small base.
    ``language`` (``"en"`` or ``"ru"``): the language of the texts and numbers drawn.
    """
    language = check_language(language)
    ax = _get_ax(ax)
    cut = (0, 100 / 3, 200 / 3, 100)
    shade = {0: "harvest", 1: "harvest", 2: "selective", 3: "invest", 4: "invest"}
    for i in range(3):  # ability level
        for j in range(3):  # attractiveness level
            ax.add_patch(
                plt.Rectangle(
                    (cut[i], cut[j]),
                    cut[i + 1] - cut[i],
                    cut[j + 1] - cut[j],
                    color=_REC_COLOURS[shade[i + j]],
                    alpha=0.12,
                    linewidth=0,
                    zorder=0,
                )
            )
    for c in cut[1:3]:
        ax.axvline(c, color=PALETTE["neutral"], linewidth=0.8)
        ax.axhline(c, color=PALETTE["neutral"], linewidth=0.8)
    share = portfolio["revenue_share"] if "revenue_share" in portfolio else None
    names = {}
    for seg, row in portfolio.iterrows():
        size = (
            60.0
            if share is None or not share.notna().all()
            else 20 + 12 * float(row["revenue_share"])
        )
        colour = _REC_COLOURS.get(row["recommendation"], PALETTE["neutral"])
        small = bool(row.get("small_base", False))
        ax.scatter(
            [row["ability"]],
            [row["attractiveness"]],
            s=size,
            facecolors="none" if small else colour,
            edgecolors=colour,
            linewidths=1.5,
            zorder=3,
        )
        label = str(row.get("label", seg))
        text = plot_text("{label} (small base)", language, label=label) if small else label
        names[seg] = text
        ax.annotate(
            text,
            (row["ability"], row["attractiveness"]),
            xytext=(6, 6),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlim(-5, 105)
    ax.set_ylim(-5, 105)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c) for c in _REC_COLOURS.values()]
    ax.legend(
        handles,
        [plot_text(r, language) for r in _REC_COLOURS],
        title=plot_text("recommendation", language),
        loc="lower left",
        fontsize=8,
    )
    ax.set_xlabel(
        plot_text(
            "ability to satisfy the segment (score 0-100, relative to the other segments)", language
        )
    )
    ax.set_ylabel(plot_text("segment attractiveness (score 0-100, relative)", language))
    ax.set_title(
        plot_text("Segment portfolio: attractiveness against ability to satisfy", language)
    )
    parts = []
    for rec in _REC_COLOURS:
        segs = [names[s] for s in portfolio.index[portfolio["recommendation"] == rec]]
        if segs:
            parts.append(
                plot_text(
                    "{recommendation}: {segments}",
                    language,
                    recommendation=plot_text(rec, language),
                    segments=_names(segs),
                )
            )
    describe(
        ax,
        plot_text(
            "Segment portfolio by attractiveness and ability to satisfy: {parts}.",
            language,
            parts="; ".join(parts) or plot_text("no recommendation", language),
        ),
    )
    language_ticks(ax, language)
    return ax
