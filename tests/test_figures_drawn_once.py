"""Report figures drawn with less work and the same pixels: texts measured once per
figure (orient.present.plots.common._texts_measured_once) and the house of quality drawn
without seaborn, each compared byte for byte with the picture matplotlib and seaborn
draw on their own."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt  # Agg: tests/conftest.py
import pytest
from matplotlib.backends.backend_agg import RendererAgg

import orient
from orient.present.plots import common

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "companies" / "swiftpost"


def _figure():
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.barh(["On-time delivery", "Parcel tracking", "Price"], [0.31, 0.22, 0.12])
    ax.set_title("Driver importance (share of R\u00b2)")
    ax.set_xlabel("Share of explained variance")
    ax.annotate("largest", xy=(0.31, 0), xytext=(0.2, 1.5), arrowprops={"arrowstyle": "->"})
    return fig


def _png(fig, *, once: bool) -> bytes:
    buf = io.BytesIO()
    with common._texts_measured_once() if once else _nothing():
        fig.savefig(buf, format="png", bbox_inches="tight", dpi=fig.dpi)
    plt.close(fig)
    return buf.getvalue()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_texts_measured_once_give_the_same_picture_with_half_the_measuring(monkeypatch):
    measured = []
    original = RendererAgg.get_text_width_height_descent

    def counting(self, s, prop, ismath):
        measured.append(s)
        return original(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counting)
    plain = _png(_figure(), once=False)
    twice = len(measured)
    measured.clear()
    once = _png(_figure(), once=True)
    assert once == plain  # byte for byte
    # the tight box and the picture each measured every text before; now only the first
    assert twice > 0 and len(measured) <= twice / 2 + 1
    # nothing left behind: the next figure is measured as matplotlib does
    import matplotlib.text as mtext

    assert mtext._get_text_metrics_function.__module__ == "matplotlib.text"


def test_the_house_of_quality_is_the_picture_seaborn_draws():
    sns = pytest.importorskip("seaborn")
    from orient import implementation
    from orient.present import plots

    house = implementation.analyse(orient.load_company(SAMPLE)).house
    fig, ax = plt.subplots(figsize=(11, 6))
    plots.house_of_quality_plot(house, ax=ax)
    ours = _png(fig, once=False)
    # the same figure through seaborn.heatmap, as the plot was drawn before
    fig, ax = plt.subplots(figsize=(11, 6))
    seaborn_calls = []
    original = plots.implementation._heatmap

    def through_seaborn(ax, values, *, cmap, norm, linecolor, xticklabels, yticklabels):
        seaborn_calls.append(values.shape)
        sns.heatmap(
            values,
            cmap=cmap,
            norm=norm,
            cbar=False,
            linewidths=0.5,
            linecolor=linecolor,
            ax=ax,
            xticklabels=xticklabels,
            yticklabels=yticklabels,
        )

    plots.implementation._heatmap = through_seaborn
    try:
        plots.house_of_quality_plot(house, ax=ax)
    finally:
        plots.implementation._heatmap = original
    assert seaborn_calls == [house.relationships.shape]
    assert _png(fig, once=False) == ours


def test_show_displays_an_svg_with_real_text_the_same_bytes_each_time(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append((obj, kw)))
    for _ in range(2):
        fig = _figure()
        common.describe(fig.axes[0], "Three drivers, on-time delivery first.")
        common.show(fig)
    (first, kw), (second, _) = shown
    data = first._repr_svg_()
    assert data.lstrip().startswith("<svg")
    # texts are text (searchable, read aloud), not glyph outlines
    assert "On-time delivery" in data and "Driver importance" in data
    assert "<dc:date>" not in data  # no time stamp: the same figure, the same bytes
    assert data == second._repr_svg_()
    assert kw["metadata"] == {"alt": "Three drivers, on-time delivery first."}
    assert plt.get_fignums() == []  # closed once shown
