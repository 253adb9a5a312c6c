"""Stage II charts: check what was drawn, not pixels."""

from __future__ import annotations

import warnings
from pathlib import Path
from types import SimpleNamespace

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pandas as pd
import pytest

from orient import satisfaction as sat
from orient.errors import OrientWarning
from orient.present import plots
from orient.present.plots.common import description
from orient.satisfaction import display as sat_display


@pytest.fixture
def survey():
    rng = np.random.default_rng(0)
    n = 400
    seg = rng.choice(["North", "South", "East"], n, p=[0.5, 0.45, 0.05])
    df = pd.DataFrame(
        {
            "segment": seg,
            "wave": rng.choice(["2025", "2026"], n),
            "recommend": rng.integers(0, 11, n).astype(float),
            "a1": rng.integers(1, 6, n).astype(float),
            "a2": rng.integers(1, 6, n).astype(float),
        }
    )
    df["index"] = 10 * df.a1 + 5 * df.a2 + rng.normal(scale=5, size=n)
    df["retained"] = (rng.uniform(size=n) < 0.5 + 0.003 * df["index"]).astype(float)
    return df


def test_segment_index_plot_draws_intervals_and_hides_small_bases(survey):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        tab = sat.segment_table(
            survey, "segment", "index", kind="index", min_base=30, measure="Satisfaction index"
        )
    ax = plots.segment_index_plot(tab)
    shown = tab[~tab.suppressed]
    points = [line for line in ax.lines if line.get_marker() == "o"]
    assert sorted(p.get_xdata()[0] for p in points) == pytest.approx(sorted(shown.estimate))
    texts = [t.get_text() for t in ax.texts]
    assert "n < 30" in texts  # East is small
    assert not any(
        f"{tab.set_index('segment').loc['East', 'n']}" in t and "n =" in t for t in texts
    )
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
        "Detractors (0-6)",
        "Passives (7-8)",
        "Promoters (9-10)",
    }
    assert "%" in ax.get_xlabel()


def test_wave_change_plot_marks_significance(survey):
    waves = sat.wave_change(survey, "wave", "recommend", kind="nps", measure="NPS")
    ax = plots.wave_change_plot(waves, unit="-100..100")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025", "2026"]
    assert any("significant" in t.get_text() for t in ax.texts)
    assert ax.get_ylabel() == "NPS (-100 to 100)"


def test_chain_plots_label_every_link(survey):
    chain = sat.chain_effects(
        survey,
        satisfaction="index",
        attributes=["a1", "a2"],
        outcomes={"retention": ("retained", 100, "pp retention")},
        n_boot=50,
        seed=0,
    )
    ax = plots.chain_plot(chain, labels={"a1": "Delivery", "a2": "Price"})
    text = " ".join(t.get_text() for t in ax.texts)
    assert "Delivery" in text and "Price" in text and "Retention: " in text
    assert " pp\n" in text and "_" not in text
    plt.figure()
    ax = plots.attribute_effects_plot(chain, labels={"a1": "Delivery", "a2": "Price"})
    assert [b.get_width() for b in ax.patches] == pytest.approx(
        sorted(chain.loc[chain.stage == "attributes -> satisfaction", "effect"])
    )
    assert ax.get_xlabel().startswith("Effect on satisfaction")


def test_ipma_plot_places_constructs(survey):
    model = sat.pls_path_model(
        survey,
        {"A1": ["a1"], "A2": ["a2"], "S": ["index"]},
        [("A1", "S"), ("A2", "S")],
        scales={"a1": (1, 5), "a2": (1, 5), "index": (0, 100)},
    )
    tab = sat.ipma(model, "S")
    ax = plots.ipma_plot(tab, target="S")
    np.testing.assert_allclose(
        ax.collections[0].get_offsets(), tab[["importance", "performance"]].to_numpy()
    )
    assert "0-100" in ax.get_ylabel()


def test_every_stage_ii_plot_takes_language_and_describes_itself(survey):
    from matplotlib.figure import Figure

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        seg = sat.segment_table(
            survey, "segment", "index", kind="index", min_base=30, measure="Satisfaction index"
        )
    comp = sat.nps_composition(survey, "recommend", by="wave")
    waves = sat.wave_change(survey, "wave", "index", kind="index", measure="Satisfaction index")
    chain = sat.chain_effects(
        survey,
        satisfaction="index",
        attributes=["a1", "a2"],
        outcomes={"retention": ("retained", 100, "pp retention")},
        n_boot=30,
        seed=0,
    )
    model = sat.pls_path_model(
        survey,
        {"A1": ["a1"], "A2": ["a2"], "S": ["index"]},
        [("A1", "S"), ("A2", "S")],
        scales={"a1": (1, 5), "a2": (1, 5), "index": (0, 100)},
    )
    ipma = sat.ipma(model, "S")
    labels = {"a1": "Delivery", "a2": "Price", "A1": "Delivery", "A2": "Price"}
    calls = [
        lambda ax, lang: plots.segment_index_plot(seg, ax=ax, language=lang),
        lambda ax, lang: plots.nps_composition_plot(comp, ax=ax, language=lang),
        lambda ax, lang: plots.wave_change_plot(waves, unit="0-100", ax=ax, language=lang),
        lambda ax, lang: plots.attribute_effects_plot(chain, labels=labels, ax=ax, language=lang),
        lambda ax, lang: plots.chain_plot(chain, labels=labels, ax=ax, language=lang),
        lambda ax, lang: plots.ipma_plot(
            ipma, labels=labels, target="Satisfaction", ax=ax, language=lang
        ),
    ]
    for draw in calls:
        seen = {}
        for lang in ("en", "ru"):
            ax = Figure().add_subplot()
            draw(ax, lang)
            text = description(ax.figure)
            assert text and text.endswith(".") and not text.endswith("..")
            assert text != ax.get_title()
            drawn = [
                ax.get_title(),
                ax.get_xlabel(),
                ax.get_ylabel(),
                *(t.get_text() for t in ax.texts),
            ]
            if ax.get_legend() is not None:
                drawn += [t.get_text() for t in ax.get_legend().get_texts()]
            seen[lang] = (text, " ".join(drawn))
        en, ru = seen["en"], seen["ru"]
        assert ru[0] != en[0]
        import re

        # Russian: Cyrillic words, decimal commas, no English words left in the texts drawn
        assert re.search("[а-яё]", ru[0]) and re.search("[а-яё]", ru[1])
        assert not re.search(r"\d\.\d", ru[0] + ru[1])
        for word in (
            "with",
            "interval",
            "significant",
            "points",
            "per ",
            "change since",
            "by segment",
            "Promoters",
            "Importance",
            "Effect",
        ):
            assert word not in ru[1], (ax.get_title(), word)


def test_describe_names_what_is_drawn(survey):
    comp = pd.DataFrame(
        {
            "group": ["all", "North", "South", "East"],
            "detractors": [28.0, 20.0, 35.0, 40.0],
            "passives": [40.0] * 4,
            "promoters": [30.0, 40.0, 25.0, 20.0],
        }
    )
    comp["nps"] = comp.promoters - comp.detractors
    ax = plots.nps_composition_plot(comp)
    first = comp.iloc[0]
    assert description(ax.figure).startswith(
        f"NPS composition: All customers, {first.promoters:.0f}% promoters and "
        f"{first.detractors:.0f}% detractors (NPS {first.nps:+.0f})"
    )
    assert description(ax.figure).endswith("; lowest NPS in East (-20), highest in North (+20).")
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "All customers"


_NOTEBOOK = Path(__file__).resolve().parents[1] / "orient" / "notebooks" / "02_satisfaction.ipynb"


def _change_section():
    """The notebook's cells from the change heading to the figure cell."""
    nb = nbformat.read(_NOTEBOOK, as_version=4)
    ids = [c.get("id") for c in nb.cells]
    start = ids.index("79e184cd-h") if "79e184cd-h" in ids else ids.index("79e184cd")
    end = ids.index("cb6fba56")
    return nb.cells[start : end + 1]


def _run_change_figure_cell(waves):
    """Run the notebook's change-figure cell with recording stand-ins; the plots drawn."""
    cell = _change_section()[-1]
    drawn = []

    class Plots:
        @staticmethod
        def wave_change_plot(w, *, measure, unit, ax, language):
            drawn.append(measure)

    space = {
        "plt": plt,
        "tables": sat_display,
        "plots": Plots,
        "description": lambda fig: "a figure",
        "show": lambda fig, alt=None: plt.close(fig),
        "result": SimpleNamespace(waves=waves, nps=None),
        "language": "en",
    }
    exec(compile(cell.source, "02_satisfaction:cb6fba56", "exec"), space)
    return drawn


def _two_waves(n_first, n_second):
    rng = np.random.default_rng(4)
    n = n_first + n_second
    data = pd.DataFrame(
        {
            "wave": ["2024"] * n_first + ["2025"] * n_second,
            "overall": rng.integers(1, 11, n).astype(float),
        }
    )
    return sat.wave_estimates(data, "wave", "overall", measure="Satisfaction index", min_base=30)


def test_no_change_figure_when_a_wave_is_under_the_minimum_base():
    waves = _two_waves(18, 280)  # 18 < 30: the first wave is suppressed, nothing compared
    assert waves["suppressed"].tolist() == [True, False]
    assert waves["change"].isna().all()
    assert _run_change_figure_cell(waves) == []
    assert sat_display.measures_with_change(waves) == []
    # both waves at the base: the change is computed and drawn
    waves = _two_waves(40, 280)
    assert np.isfinite(waves["change"].iloc[1])
    assert _run_change_figure_cell(waves) == ["Satisfaction index"]


def test_the_change_heading_stands_on_the_sentence_the_figure_text_on_the_figure():
    from orient.report.render import NEEDS_DATA_TAG, NEEDS_OUTPUT_TAG, _cells_without_data

    cells = _change_section()
    heading, description_cell = cells[0], cells[2]
    assert heading.source.strip() == "## Change since the last survey"
    assert NEEDS_OUTPUT_TAG in heading.metadata.get("tags", [])
    assert NEEDS_DATA_TAG in description_cell.metadata.get("tags", [])
    # the waves not compared: the sentence is shown, no figure
    sentence_out = nbformat.v4.new_output("display_data", {"text/markdown": "not compared"})
    cells[1].outputs = [sentence_out]
    cells[3].outputs = []
    dropped = _cells_without_data(cells)
    assert dropped == {2}  # the heading stays over its sentence; the figure's text goes
