"""Call-centre planning chart: the roster's agents at work against the agents required.

Texts in ``language`` through :func:`~orient.present.plots.common.plot_text`; the
figure's one-sentence description (alt text) through
:func:`~orient.present.plots.common.describe`.
"""

from __future__ import annotations

import numpy as np

from orient.i18n import check_language, format_number
from orient.present.plots.common import PALETTE, _get_ax, describe, language_ticks, plot_text

__all__ = ["roster_plot"]


def roster_plot(coverage, *, interval_min: int = 15, ax=None, language="en"):
    """Agents the roster has at work (bars) against the agents required (line), per interval.

    ``coverage`` is :attr:`orient.operations.service.roster.Roster.coverage` (columns
    ``required`` and ``scheduled``, one row per interval from midnight).
    """
    language = check_language(language)
    ax = _get_ax(ax)
    hours = np.arange(len(coverage)) * interval_min / 60
    need = coverage["required"].to_numpy()
    have = coverage["scheduled"].to_numpy()
    width = interval_min / 60
    ax.bar(
        hours, have, width=width, align="edge", color=PALETTE["neutral"], alpha=0.6,
        label=plot_text("at work in the roster", language),
    )  # fmt: skip
    ax.step(
        np.r_[hours, hours[-1] + width], np.r_[need, need[-1]], where="post",
        color=PALETTE["own"], label=plot_text("required", language),
    )  # fmt: skip
    ax.set_xlim(0, 24)
    ax.set_xticks(range(0, 25, 2))
    ax.set_xlabel(plot_text("hour of day", language))
    ax.set_ylabel(plot_text("agents", language))
    ax.set_title(plot_text("Roster against the agents required", language))
    ax.legend(frameon=False)
    surplus = float((have - need).sum() * width)
    describe(
        ax,
        plot_text(
            "Agents at work in the least-cost roster (grey bars) against the agents required "
            "(blue line), by {m}-minute interval: {h} agent-hours at work beyond the need.",
            language,
            m=interval_min,
            h=format_number(surplus, language, 0),
        ),
    )
    language_ticks(ax, language)
    return ax
