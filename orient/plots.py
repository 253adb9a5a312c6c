"""Every figure orient draws: one function per chart.

Each function takes a result (a tidy DataFrame from an analysis function) first,
everything else keyword-only, and ``ax=``; it draws on ``ax`` (or ``plt.gca()``)
and returns it. Plots draw results; they never compute them. They never call
``plt.show()``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

__all__: list[str] = []

#: colours used across the report (colour-blind safe, from seaborn's "colorblind")
PALETTE = {
    "own": "#0173b2",
    "competitor": "#de8f05",
    "good": "#029e73",
    "bad": "#d55e00",
    "neutral": "#949494",
    "accent": "#cc78bc",
}


def _get_ax(ax):
    return ax if ax is not None else plt.gca()


# --- stage II: satisfaction -------------------------------------------------------


# --- stage III: priorities --------------------------------------------------------


# --- stage I and IV: strategy and implementation ---------------------------------


# --- operations: service, quality, CRM --------------------------------------------
