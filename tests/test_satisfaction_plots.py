"""Stage II charts: check what was drawn, not pixels."""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from orient import plots
from orient import satisfaction as sat
from orient.errors import OrientWarning


@pytest.fixture
def survey():
    rng = np.random.default_rng(0)
    n = 400
    seg = rng.choice(["North", "South", "East"], n, p=[0.5, 0.45, 0.05])
    df = pd.DataFrame({
        "segment": seg,
        "wave": rng.choice(["2025", "2026"], n),
        "recommend": rng.integers(0, 11, n).astype(float),
        "a1": rng.integers(1, 6, n).astype(float),
        "a2": rng.integers(1, 6, n).astype(float),
    })
    df["index"] = 10 * df.a1 + 5 * df.a2 + rng.normal(scale=5, size=n)
    df["retained"] = (rng.uniform(size=n) < 0.5 + 0.003 * df["index"]).astype(float)
    return df


def test_segment_index_plot_draws_intervals_and_hides_small_bases(survey):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        tab = sat.segment_table(survey, "segment", "index", kind="index", min_base=30,
                                measure="Satisfaction index")
    ax = plots.segment_index_plot(tab)
    shown = tab[~tab.suppressed]
    points = [line for line in ax.lines if line.get_marker() == "o"]
    assert sorted(p.get_xdata()[0] for p in points) == pytest.approx(sorted(shown.estimate))
    texts = [t.get_text() for t in ax.texts]
    assert "n < 30" in texts  # East is small
    assert not any(f"{tab.set_index('segment').loc['East', 'n']}" in t and "n =" in t
                   for t in texts)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["East", "North", "South"]
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()


def test_nps_composition_plot_stacks_to_100(survey):
    comp = sat.nps_composition(survey, "recommend", by="wave")
    ax = plots.nps_composition_plot(comp)
    bars = ax.patches
    assert len(bars) == 3 * len(comp)
    widths = np.array([b.get_width() for b in bars]).reshape(3, len(comp))
    np.testing.assert_allclose(widths.sum(axis=0), 100, rtol=1e-12)
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "Detractors (0-6)", "Passives (7-8)", "Promoters (9-10)"}
    assert "%" in ax.get_xlabel()


def test_wave_change_plot_marks_significance(survey):
    waves = sat.wave_change(survey, "wave", "recommend", kind="nps", measure="NPS")
    ax = plots.wave_change_plot(waves, unit="-100..100")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025", "2026"]
    assert any("significant" in t.get_text() for t in ax.texts)
    assert ax.get_ylabel() == "NPS (-100..100)"


def test_chain_plots_label_every_link(survey):
    chain = sat.chain_effects(survey, satisfaction="index", attributes=["a1", "a2"],
                              outcomes={"retention": ("retained", 100, "pp retention")},
                              n_boot=50, seed=0)
    ax = plots.chain_plot(chain, labels={"a1": "Delivery", "a2": "Price"})
    text = " ".join(t.get_text() for t in ax.texts)
    assert "Delivery" in text and "Price" in text and "retention" in text
    assert "pp retention" in text
    plt.figure()
    ax = plots.attribute_effects_plot(chain, labels={"a1": "Delivery", "a2": "Price"})
    assert [b.get_width() for b in ax.patches] == pytest.approx(
        sorted(chain.loc[chain.stage == "attributes -> satisfaction", "effect"]))
    assert ax.get_xlabel().startswith("Effect on satisfaction")


def test_ipma_plot_places_constructs(survey):
    model = sat.pls_path_model(survey, {"A1": ["a1"], "A2": ["a2"], "S": ["index"]},
                               [("A1", "S"), ("A2", "S")], scales={"a1": (1, 5), "a2": (1, 5),
                                                                  "index": (0, 100)})
    tab = sat.ipma(model, "S")
    ax = plots.ipma_plot(tab, target="S")
    np.testing.assert_allclose(ax.collections[0].get_offsets(),
                               tab[["importance", "performance"]].to_numpy())
    assert "0-100" in ax.get_ylabel()
