"""What every chart shares: the palette, the axes helper, texts drawn in the report's
language and the description of what a figure shows (its alt text).

A plot function draws its texts in the report's language when it draws them:

- :func:`plot_text` gives a figure text (title, axis label, legend entry, annotation)
  in ``language``: the English text is the ``msgid`` of the catalog context
  ``terms.plots``; ``{placeholders}`` are filled after translation, numbers with the
  language's separators.
- :func:`language_ticks` formats the numeric tick labels of an axes in ``language``.
- :func:`describe` records one sentence that says what the figure shows (``Strategic
  matrix: 4 attributes to improve: price, delivery...``); :func:`description` reads
  it back and :func:`show` displays a figure in a notebook with it as the alt text.
"""

from __future__ import annotations

import contextlib
import weakref
from typing import Any

import matplotlib.pyplot as plt

__all__ = ["PALETTE", "describe", "description", "language_ticks", "plot_text", "show"]

#: colours used across the report (colour-blind safe, from seaborn's "colorblind")
PALETTE = {
    "own": "#0173b2",
    "competitor": "#de8f05",
    "good": "#029e73",
    "bad": "#d55e00",
    "neutral": "#949494",
    "accent": "#cc78bc",
}


#: texts from data are drawn as written, never as mathtext ("Price ($) vs value ($)")
LITERAL_TEXT = {"text.parse_math": False}
#: figures as SVG with real text (not glyph outlines) and fixed ids (same bytes each run)
SVG_TEXT = {"svg.fonttype": "none", "svg.hashsalt": "orient"}


def _literal_text(fig) -> None:
    """Every text of ``fig`` drawn as written (data labels such as "Price ($) vs value
    ($)" are not mathtext), whatever ``text.parse_math`` was when it was made."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)


def _get_ax(ax):
    return ax if ax is not None else plt.gca()


def plot_text(text: str, language: str = "en", /, **values: Any) -> str:
    """A text drawn in a figure, in ``language``: :func:`orient.i18n.message` of the
    catalog context ``terms.plots`` (English ``text`` with ``{placeholders}``).

    >>> plot_text("{n} respondents", "en", n=1200)
    '1,200 respondents'
    """
    from orient.i18n import message

    return message("terms.plots", text, language, **values)


def language_ticks(ax, language: str = "en") -> None:
    """Numeric tick labels of ``ax`` with ``language``'s separators (English: as drawn)."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    from orient.i18n import format_number

    if language == "en":
        return
    for axis in (ax.xaxis, ax.yaxis):
        if isinstance(axis.get_major_formatter(), ScalarFormatter):

            def fmt(x, pos, axis=axis):
                return format_number(x, language, _tick_decimals(axis.get_majorticklocs()))

            axis.set_major_formatter(FuncFormatter(fmt))


_DESCRIPTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def describe(ax, text: str) -> None:
    """Record what the figure of ``ax`` shows, in one sentence (its alt text)."""
    _DESCRIPTIONS[ax.figure] = text


def description(fig) -> str | None:
    """The sentence :func:`describe` recorded for ``fig`` (None when none was)."""
    return _DESCRIPTIONS.get(fig)


def show(fig=None, *, alt: str | None = None, caption: str | None = None) -> None:
    """Display ``fig`` (default: the current figure) in a notebook as an SVG with real
    text whose alt text is ``alt`` or the figure's :func:`description`, then close it.

    SVG: drawn faster than a PNG, about half the bytes, sharp on screen and in print;
    texts stay text (searchable, selectable, read by screen readers); the same figure
    gives the same bytes (fixed ids). The report uses the alt text for ``<img alt>``; a
    figure without a description gets its caption, as before. ``caption`` replaces the
    section heading as the figure's caption in the report (when the figure needs to say
    more than it).
    """
    import io

    from IPython.display import SVG, display

    fig = fig if fig is not None else plt.gcf()
    text = alt if alt is not None else description(fig)
    buf = io.BytesIO()
    _literal_text(fig)
    # tick labels are made while drawing: drawn as written too
    with plt.rc_context({**LITERAL_TEXT, **SVG_TEXT}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    meta = {"alt": text} if text else {}
    if caption:
        meta["caption"] = caption
    display(SVG(data=buf.getvalue().decode("utf-8")), metadata=meta or None)


@contextlib.contextmanager
def _texts_measured_once():
    """While a figure is saved with ``bbox_inches="tight"``: each text is measured once.

    Matplotlib finds the tight box of a PNG by laying the figure out with one Agg
    renderer and then draws it with another, and keeps the sizes of texts per renderer,
    so every text is measured (shaped, glyph by glyph) twice: half the time of a PNG
    figure (an SVG is laid out and drawn with one renderer). An Agg renderer's text
    sizes depend on the text, its font and the dpi only
    (``RendererAgg.get_text_width_height_descent``), so here the renderers of one dpi
    share the first one's sizes: the same picture, byte for byte. Without matplotlib's
    private store of sizes (another version) nothing changes but the time.
    """
    from matplotlib import text as mtext
    from matplotlib.backends.backend_agg import RendererAgg

    store = getattr(mtext, "_get_text_metrics_function", None)
    if not callable(store):
        yield
        return
    first: dict[float, Any] = {}

    def shared(renderer, *args, **kwargs):
        if type(renderer) is RendererAgg:
            renderer = first.setdefault(renderer.dpi, renderer)
        return store(renderer, *args, **kwargs)

    mtext._get_text_metrics_function = shared
    try:
        yield
    finally:
        mtext._get_text_metrics_function = store


def _label_of(key, labels):
    if labels is None:
        return str(key)
    return str(labels.get(key, key))


def _tick_decimals(locs) -> int:
    """The fewest decimals that show every tick location exactly (at most 4)."""
    import numpy as np

    locs = np.asarray([v for v in locs if np.isfinite(v)], dtype=float)
    for d in range(5):
        if np.allclose(
            np.round(locs, d), locs, rtol=0, atol=1e-9 * max(1.0, np.abs(locs).max(initial=0))
        ):
            return d
    return 4


def finish_control_chart(ax, *, name: str, title, flagged: int, n: int, what: str, language: str):
    """The title, legend, description and ticks every control chart ends with: ``what``
    is the description's template, with ``{heading}``, ``{k}`` (subgroups flagged) and
    ``{n}`` (subgroups)."""
    heading = title or plot_text("{chart} control chart", language, chart=name)
    ax.set_title(heading)
    ax.legend(frameon=False, fontsize=7, ncol=3, loc="lower left")
    describe(ax, plot_text(what, language, heading=heading, k=flagged, n=n))
    language_ticks(ax, language)
    return ax
