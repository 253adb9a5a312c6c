"""Tests of orient.present.widgets: explorers driven headless through their ipywidgets models.

Each test sets control values (directly on the widget models, or through
``explorer.update``) and checks what flowed through: the result DataFrame against an
independent computation, the text, and what was drawn on the figure (points, lines,
labels), never pixels.
"""

from __future__ import annotations

import itertools
import math
import warnings
from pathlib import Path

import ipywidgets
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import orient
from orient import priorities, strategy
from orient.errors import OrientWarning
from orient.present import widgets as W

ROOT = Path(__file__).resolve().parents[1]
COMPANIES = ROOT / "data" / "companies"
EXACT = 1e-10  # rtol for numbers that must agree to rounding
PNG = b"\x89PNG"


@pytest.fixture(scope="module")
def cobalt():
    return orient.load_company(COMPANIES / "cobalt-software")


@pytest.fixture(scope="module")
def swiftpost():
    return orient.load_company(COMPANIES / "swiftpost")


class _MinBase:
    """A company seen with another minimum base (every other attribute passed through)."""

    def __init__(self, company, min_base):
        self._company, self.min_base = company, min_base

    def __getattr__(self, name):
        return getattr(self._company, name)


def _weights(company):
    return company.weights.reindex(company.survey.index).to_numpy(dtype=float)


# ----------------------------------------------------------------------------------
# the explorer frame
# ----------------------------------------------------------------------------------


def _doubler():
    calls = []

    def compute(x, how):
        calls.append((x, how))
        if x < 0:
            raise ValueError("x must be >= 0")
        if x == 13:
            warnings.warn("unlucky number", OrientWarning, stacklevel=2)
        return W.View(
            result=pd.DataFrame({"y": [2 * x if how == "double" else 3 * x]}), text=f"x is {x}"
        )

    controls = {
        "x": ipywidgets.IntSlider(value=1, min=-5, max=20),
        "how": ipywidgets.Dropdown(options=["double", "triple"], value="double"),
    }
    return W.Explorer("test", controls, compute), calls


def test_explorer_values_flow_from_widget_models_to_result():
    ex, calls = _doubler()
    assert isinstance(ex, ipywidgets.VBox)
    assert ex.result["y"].tolist() == [2]
    ex.controls["x"].value = 7  # as a student dragging the slider
    assert ex.result["y"].tolist() == [14]
    ex.controls["how"].value = "triple"
    assert ex.result["y"].tolist() == [21]
    assert "x is 7" in ex.message.value


def test_explorer_update_sets_several_controls_with_one_recomputation():
    ex, calls = _doubler()
    n = len(calls)
    out = ex.update(x=4, how="triple")
    assert out["y"].tolist() == [12]
    assert calls[n:] == [(4, "triple")]
    assert ex.values == {"x": 4, "how": "triple"}


def test_explorer_update_rejects_unknown_controls_and_options():
    ex, _ = _doubler()
    with pytest.raises(ValueError, match="`z` is not a control.*x, how"):
        ex.update(z=1)
    with pytest.raises(ValueError, match="`how` must be one of 'double', 'triple'; got 'half'"):
        ex.update(how="half")
    with pytest.raises(ValueError, match="`x` must be between -5 and 20; got 21"):
        ex.update(how="triple", x=21)  # a slider would silently clamp it
    assert ex.values == {"x": 1, "how": "double"}  # nothing changed


def test_explorer_shows_errors_and_warnings_as_messages():
    ex, _ = _doubler()
    ex.update(x=-1)
    assert ex.result is None and ex.error == "x must be >= 0"
    assert "x must be &gt;= 0" in ex.message.value or "x must be >= 0" in ex.message.value
    ex.update(x=13)
    assert ex.error == "" and ex.result["y"].tolist() == [26]
    assert "Note: unlucky number" in ex.message.value


def test_module_import_creates_no_widgets_and_displays_nothing():
    import importlib
    import sys

    from ipywidgets.widgets.widget import _instances  # every live widget model

    before = set(_instances)
    # the modules of orient.present.widgets and the package that re-exports them
    names = sorted(n for n in sys.modules if n.startswith("orient.present.widgets."))
    assert "orient.present.widgets.explorer" in names
    for name in [*names, "orient.present.widgets"]:
        importlib.reload(sys.modules[name])
    assert set(_instances) == before


# ----------------------------------------------------------------------------------
# stage III: strategic matrix
# ----------------------------------------------------------------------------------


def test_matrix_explorer_starts_where_the_stage_iii_analysis_is(cobalt):
    ex = W.strategic_matrix_explorer(cobalt)
    # the stage's own entry point, a separate path through the package
    ref = priorities.analyse(cobalt, n_boot=0).matrix
    got = ex.result
    np.testing.assert_allclose(got["importance"], ref["importance"], rtol=EXACT)
    np.testing.assert_allclose(got["performance"], ref["performance"], rtol=EXACT)
    assert got["quadrant"].tolist() == ref["quadrant"].tolist()
    assert ex.values["cut_performance"] == 0.0  # parity with the competitor
    assert bytes(ex.image.value).startswith(PNG)


def test_matrix_cut_sliders_move_the_lines_and_the_quadrants(cobalt):
    ex = W.strategic_matrix_explorer(cobalt)
    ex.controls["cut_importance"].value = 20.0
    ex.controls["cut_performance"].value = -2.0
    m = ex.result
    # hand classification: high importance = share >= 20%, high performance = gap >= -2
    hi_i = m["importance"].to_numpy() * 100 >= 20.0
    hi_p = m["performance"].to_numpy() >= -2.0
    expected = np.where(
        hi_i,
        np.where(hi_p, "keep_advantage", "improve"),
        np.where(hi_p, "maintain_or_reduce", "low_priority"),
    )
    assert m["quadrant"].tolist() == expected.tolist()
    ax = ex.figure.axes[0]
    # the points drawn: performance against importance in %
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets[:, 0], m["performance"], rtol=EXACT)
    np.testing.assert_allclose(offsets[:, 1], 100 * m["importance"], rtol=EXACT)
    # the cut lines where the sliders are
    xs = {ln.get_xdata()[0] for ln in ax.lines}
    ys = {ln.get_ydata()[0] for ln in ax.lines}
    assert -2.0 in xs and any(abs(y - 20.0) < 1e-9 for y in ys)
    texts = {t.get_text() for t in ax.texts}
    assert {a.label for a in cobalt.attributes} <= texts
    assert "segment" not in ax.get_title()
    # the table shows the quadrants in words, in priority order
    assert ex.table["Quadrant"].str.len().gt(0).all()


def _brute_force_shapley(data, target, drivers, w):
    """Shapley decomposition of the WLS R² by fitting every one of the 2**p subsets."""
    p = len(drivers)
    r2 = {(): 0.0}
    y = data[target].to_numpy(float)
    for k in range(1, p + 1):
        for sub in itertools.combinations(range(p), k):
            X = sm.add_constant(data[[drivers[i] for i in sub]].to_numpy(float))
            r2[sub] = sm.WLS(y, X, weights=w).fit().rsquared
    phi = np.zeros(p)
    for j in range(p):
        for sub, val in r2.items():
            if j in sub:
                continue
            with_j = tuple(sorted((*sub, j)))
            s = len(sub)
            phi[j] += (
                math.factorial(s)
                * math.factorial(p - s - 1)
                / math.factorial(p)
                * (r2[with_j] - val)
            )
    return phi


def test_matrix_segment_dropdown_recomputes_importance_on_the_segment(cobalt):
    ex = W.strategic_matrix_explorer(cobalt)
    assert [o[1] for o in ex.controls["segment"].options] == [
        W.ALL,
        "Enterprise",
        "Public sector",
        "SMB",
    ]
    ex.update(segment="Enterprise")
    m = ex.result
    keys = [a.key for a in cobalt.attributes]
    sel = (cobalt.survey["segment"] == "Enterprise").to_numpy(dtype=bool)
    part = cobalt.survey[sel]
    w = _weights(cobalt)[sel]
    ok = part[["overall", *keys]].notna().all(axis=1).to_numpy()
    # brute force over all 2**8 subset regressions (statsmodels WLS)
    phi = _brute_force_shapley(part[ok], "overall", keys, w[ok])
    np.testing.assert_allclose(m.loc[keys, "importance"], phi / phi.sum(), rtol=1e-8)
    assert m.attrs["n"] == int(ok.sum())
    assert "Enterprise" in ex.figure.axes[0].get_title()
    assert ex.text.startswith(f"Segment Enterprise: {int(ok.sum())} respondents")


def test_matrix_method_dropdown_switches_the_driver_method(cobalt):
    ex = W.strategic_matrix_explorer(cobalt)
    ex.controls["method"].value = "correlation"
    keys = [a.key for a in cobalt.attributes]
    s = cobalt.survey
    ok = s[["overall", *keys]].notna().all(axis=1).to_numpy()
    w = _weights(cobalt)[ok]

    # weighted Pearson correlations by hand
    def wcorr(a, b):
        a, b = a - np.average(a, weights=w), b - np.average(b, weights=w)
        return np.sum(w * a * b) / math.sqrt(np.sum(w * a * a) * np.sum(w * b * b))

    r = np.array(
        [wcorr(s.loc[ok, k].to_numpy(float), s.loc[ok, "overall"].to_numpy(float)) for k in keys]
    )
    np.testing.assert_allclose(ex.result.loc[keys, "importance"], r / r.sum(), rtol=1e-10)
    assert "(correlation)" in ex.figure.axes[0].get_title()


def test_matrix_small_segment_is_not_shown(cobalt):
    ex = W.strategic_matrix_explorer(_MinBase(cobalt, 100))
    ex.update(segment="Public sector")  # 75 respondents
    assert ex.result is None and ex.figure is None
    assert "75 respondents, fewer than the minimum base of 100" in ex.error
    assert ex.image.value == b""


def test_matrix_reset_button_puts_the_cuts_back(cobalt):
    ex = W.strategic_matrix_explorer(cobalt)
    ex.update(cut_importance=30.0, cut_performance=5.0)
    buttons = [b for box in ex.children if isinstance(box, ipywidgets.HBox) for b in box.children]
    assert [b.description for b in buttons] == ["Cuts at the means"]
    buttons[0].click()  # as the student would
    assert ex.values["cut_importance"] == pytest.approx(100 / len(cobalt.attributes))
    assert ex.values["cut_performance"] == 0.0


def test_matrix_on_own_scores_with_competitor_arrows(cobalt):
    ex = W.strategic_matrix_explorer(cobalt, relative=False)
    m = ex.result
    assert not m.attrs["relative"]
    # starts at the mean own score (0-100)
    assert ex.values["cut_performance"] == pytest.approx(m["performance"].mean(), abs=0.05)
    ex.update(cut_performance=60.0)
    hi_i = m["importance"].to_numpy() >= 1 / len(m)
    hi_p = ex.result["performance"].to_numpy() >= 60.0
    expected = np.where(
        hi_i,
        np.where(hi_p, "keep_advantage", "improve"),
        np.where(hi_p, "maintain_or_reduce", "low_priority"),
    )
    assert ex.result["quadrant"].tolist() == expected.tolist()
    ax = ex.figure.axes[0]
    assert ax.get_xlabel() == "Performance (score 0-100)"
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == len(m)  # one arrow to the competitor per attribute
    heads = sorted(a.xy[0] for a in arrows)
    np.testing.assert_allclose(heads, sorted(ex.result["competitor"]), rtol=EXACT)


# ----------------------------------------------------------------------------------
# stage II: satisfaction calculator
# ----------------------------------------------------------------------------------


def test_satisfaction_calculator_nps_by_wave_and_segment(cobalt):
    ex = W.satisfaction_explorer(cobalt)
    ex.update(wave="2026", segment="SMB")
    s = cobalt.survey
    sel = ((s["wave"] == "2026") & (s["segment"] == "SMB")).to_numpy(dtype=bool)
    r = s.loc[sel, "recommend"].to_numpy(float)
    w = _weights(cobalt)[sel]
    ok = ~np.isnan(r)
    # hand calculation: weighted % promoters (9-10) minus % detractors (0-6)
    expected = 100 * (np.sum(w[ok] * (r[ok] >= 9)) - np.sum(w[ok] * (r[ok] <= 6))) / w[ok].sum()
    est = ex.result.estimate
    assert est.value == pytest.approx(expected, rel=EXACT)
    assert est.n == int(ok.sum())
    assert f"{expected:+.1f}" in ex.text and "segment SMB, wave 2026" in ex.text
    # unweighted: the plain shares
    ex.controls["weighted"].value = False
    plain = 100 * (np.mean(r[ok] >= 9) - np.mean(r[ok] <= 6))
    assert ex.result.estimate.value == pytest.approx(plain, rel=EXACT)


def test_satisfaction_calculator_index_and_top2(cobalt):
    ex = W.satisfaction_explorer(cobalt, measure="index")
    s = cobalt.survey
    items = cobalt.satisfaction_items
    # hand calculation: each item rescaled to 0-100 from its scale ends, averaged
    rescaled = np.column_stack(
        [
            (s[c].to_numpy(float) - cobalt.scale(c)[0]) / np.subtract(*cobalt.scale(c)[::-1]) * 100
            for c in items
        ]
    )
    per_resp = np.nanmean(rescaled, axis=1)
    w = _weights(cobalt)
    ok = ~np.isnan(per_resp)
    assert ex.result.estimate.value == pytest.approx(
        np.average(per_resp[ok], weights=w[ok]), rel=EXACT
    )
    ex.update(measure="top2", weighted=False)
    lo, hi = cobalt.scale("overall")
    o = s["overall"].dropna().to_numpy(float)
    assert ex.result.estimate.value == pytest.approx(100 * np.mean(o >= hi - 1), rel=EXACT)


def test_satisfaction_calculator_draws_every_segment(cobalt):
    ex = W.satisfaction_explorer(cobalt)
    ax = ex.figure.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Enterprise", "Public sector", "SMB"]
    assert ax.get_title() == "Net Promoter Score by segment"
    ex.update(wave="2025")
    assert ex.figure.axes[0].get_title() == "Net Promoter Score by segment, wave 2025"
    assert list(ex.table.index) == ["Enterprise", "Public sector", "SMB"]


def test_satisfaction_calculator_suppresses_small_bases(cobalt):
    ex = W.satisfaction_explorer(_MinBase(cobalt, 50))
    ex.update(wave="2025", segment="Public sector")  # 34 respondents
    assert ex.result.suppressed
    assert "fewer than the minimum base of 50: not reported" in ex.text
    shown = ex.table.loc["Public sector", "Net Promoter Score"]
    assert shown == "n < 50"


def test_satisfaction_calculator_without_segments_draws_the_nps_composition(cobalt):
    class NoSegments(_MinBase):
        survey = cobalt.survey.drop(columns="segment")

    ex = W.satisfaction_explorer(NoSegments(cobalt, 30))
    assert [o[1] for o in ex.controls["segment"].options] == [W.ALL]
    assert ex.result.segments is None
    r = cobalt.survey["recommend"].dropna().to_numpy(float)
    w = _weights(cobalt)[cobalt.survey["recommend"].notna().to_numpy()]
    # hand calculation: weighted shares of promoters and detractors
    pro, det = 100 * np.sum(w * (r >= 9)) / w.sum(), 100 * np.sum(w * (r <= 6)) / w.sum()
    comp = ex.result.composition.iloc[0]
    np.testing.assert_allclose([comp["promoters"], comp["detractors"]], [pro, det], rtol=EXACT)
    ax = ex.figure.axes[0]
    widths = [p.get_width() for p in ax.patches]
    np.testing.assert_allclose(widths, [det, 100 - pro - det, pro], rtol=1e-9)


# ----------------------------------------------------------------------------------
# stage I: portfolio and scorecard
# ----------------------------------------------------------------------------------


def test_portfolio_explorer_starts_at_the_stage_i_portfolio(cobalt):
    ex = W.segment_portfolio_explorer(cobalt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        ref = strategy.analyse(cobalt).portfolio
    assert ex.result["recommendation"].to_dict() == ref["recommendation"].to_dict()
    np.testing.assert_allclose(ex.result["attractiveness"], ref["attractiveness"], rtol=EXACT)
    labels = {t.get_text() for t in ex.figure.axes[0].texts}
    assert set(ref["label"]) <= labels


def test_portfolio_weight_sliders_reweigh_attractiveness(cobalt):
    ex = W.segment_portfolio_explorer(cobalt)
    ex.update(size_share=0.0, revenue_share=0.0, margin=0.0, growth=1.0)
    p = ex.result
    # by hand: growth alone, 50 + 50 (g - mean) / 2.5 clipped to 0-100
    g = p["growth"]
    expected = (50 + 50 * (g - g.mean()) / 2.5).clip(0, 100)
    np.testing.assert_allclose(p["attractiveness"], expected, rtol=EXACT)
    offsets = np.vstack([c.get_offsets() for c in ex.figure.axes[0].collections])
    np.testing.assert_allclose(sorted(offsets[:, 1]), sorted(expected), rtol=EXACT)


def test_scorecard_explorer_boundaries(swiftpost):
    ex = W.scorecard_explorer(swiftpost)
    ex.update(on_track=0.8, at_risk=0.3)
    card = ex.result
    a = card["attainment"].round(12)
    expected = np.where(
        a.isna(),
        "no_data",
        np.where(a >= 0.8, "on_track", np.where(a >= 0.3, "at_risk", "off_track")),
    )
    assert card["status"].tolist() == expected.tolist()
    ex.update(at_risk=0.9)  # not below on_track: refused, said why
    assert ex.result is None and "at_risk < on_track" in ex.error


# ----------------------------------------------------------------------------------
# Erlang C
# ----------------------------------------------------------------------------------


def _erlang_c_by_hand(calls, interval_s, aht_s, n, target_s):
    """Textbook Erlang C with factorials (Gans, Koole & Mandelbaum 2003, eq. 1)."""
    a = calls * aht_s / interval_s
    top = a**n / math.factorial(n) * n / (n - a)
    pw = top / (sum(a**k / math.factorial(k) for k in range(n)) + top)
    sl = 1 - pw * math.exp(-(n - a) * target_s / aht_s)
    return pw, sl, pw * aht_s / (n - a), a / n


def test_erlang_c_calculator_numbers():
    ex = W.erlang_c_explorer()
    pw, sl, asa, occ = _erlang_c_by_hand(100, 1800, 180, 14, 20)
    r = ex.result.iloc[0]
    np.testing.assert_allclose(
        [r["p_wait"], r["service_level"], r["asa_s"], r["occupancy"]],
        [pw, sl, asa, occ],
        rtol=1e-10,
    )
    # brute force: the fewest agents reaching 80% in 20 s
    needed = next(n for n in range(11, 40) if _erlang_c_by_hand(100, 1800, 180, n, 20)[1] >= 0.8)
    assert r["agents_needed"] == needed == r["agents"]
    ex.update(calls=150, aht_s=240, agents=25, target_level=0.9)
    pw, sl, asa, occ = _erlang_c_by_hand(150, 1800, 240, 25, 20)
    r = ex.result.iloc[0]
    np.testing.assert_allclose(
        [r["p_wait"], r["service_level"], r["asa_s"]], [pw, sl, asa], rtol=1e-10
    )
    needed = next(n for n in range(21, 60) if _erlang_c_by_hand(150, 1800, 240, n, 20)[1] >= 0.9)
    assert r["agents_needed"] == needed
    assert f"needs {needed} agents" in ex.text


def test_erlang_c_calculator_draws_the_curve_and_target():
    ex = W.erlang_c_explorer(agents=12)
    curve = ex.view.extra["curve"]
    ax = ex.figure.axes[0]
    pts = ax.collections[0].get_offsets()
    np.testing.assert_allclose(pts[:, 0], curve["agents"])
    np.testing.assert_allclose(pts[:, 1], 100 * curve["service_level"], rtol=EXACT)
    assert any(np.allclose(ln.get_ydata(), 80.0) for ln in ax.lines)  # the 80% target
    chosen = ax.collections[-1].get_offsets()
    assert chosen[0][0] == 12
    assert ax.get_ylabel() == "calls answered within 20 s (%)"


def test_erlang_c_unstable_queue_and_company_defaults(swiftpost):
    ex = W.erlang_c_explorer(agents=5)  # 10 Erlangs of traffic
    assert "cannot keep up with 10.0 Erlangs" in ex.text
    assert math.isinf(ex.result.iloc[0]["asa_s"])
    ex = W.erlang_c_explorer(company=swiftpost)
    busiest = swiftpost.calls.loc[swiftpost.calls["offered"].idxmax()]
    assert ex.values["calls"] == round(busiest["offered"])
    assert ex.values["interval_s"] == 60.0 * swiftpost.profile.service.interval_min


# ----------------------------------------------------------------------------------
# stage IV: what-if and house of quality
# ----------------------------------------------------------------------------------


def test_what_if_to_the_competitors_level(cobalt):
    ex = W.what_if_explorer(cobalt, attribute="tech_support")
    keys = [a.key for a in cobalt.attributes]
    s = cobalt.survey
    w = _weights(cobalt)
    ok = s[["overall", *keys]].notna().all(axis=1).to_numpy()
    # statsmodels WLS of overall on the attributes, fitted here
    fit = sm.WLS(
        s.loc[ok, "overall"].to_numpy(float),
        sm.add_constant(s.loc[ok, keys].to_numpy(float)),
        weights=w[ok],
    ).fit()
    b = fit.params[1 + keys.index("tech_support")]
    own = np.average(s["tech_support"].dropna(), weights=w[s["tech_support"].notna()])
    comp = np.average(
        s["tech_support_competitor"].dropna(), weights=w[s["tech_support_competitor"].notna()]
    )
    r = ex.result.iloc[0]
    assert r["current"] == pytest.approx(own, rel=EXACT)
    assert r["target"] == pytest.approx(comp, rel=EXACT)
    assert r["gain"] == pytest.approx(b * (comp - own), rel=1e-8)
    lo, hi = cobalt.scale("overall")
    assert r["index_gain"] == pytest.approx(100 * b * (comp - own) / (hi - lo), rel=1e-8)
    ex.controls["share"].value = 50.0
    assert ex.result.iloc[0]["gain"] == pytest.approx(b * (comp - own) / 2, rel=1e-8)
    assert "50% of the way" in ex.text


def test_what_if_figure_highlights_the_attribute(cobalt):
    ex = W.what_if_explorer(cobalt, attribute="price")
    ax = ex.figure.axes[0]
    names = [t.get_text() for t in ax.get_yticklabels()]
    table = ex.view.extra["all"].sort_values("index_gain")
    assert names == table["label"].tolist()
    bars = ax.patches
    np.testing.assert_allclose([p.get_width() for p in bars], table["index_gain"], rtol=EXACT)
    colours = {names[i]: p.get_facecolor() for i, p in enumerate(bars)}
    others = {c for n, c in colours.items() if n != "Price and discounts"}
    assert len(others) == 1 and colours["Price and discounts"] not in others
    # the default attribute is the one with the largest predicted gain
    default = W.what_if_explorer(cobalt)
    assert default.values["attribute"] == W.what_if_table(cobalt)["gain"].idxmax()


def test_house_of_quality_weight_sliders(cobalt):
    from orient import implementation

    ex = W.house_of_quality_explorer(cobalt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        house = implementation.analyse(cobalt, priorities.analyse(cobalt, n_boot=0)).house
    np.testing.assert_allclose(ex.result["relative"], house.technical["relative"], rtol=1e-3)
    reqs = list(ex.controls)
    new = {r: 0.0 for r in reqs}
    new[reqs[0]], new[reqs[1]] = 60.0, 40.0
    ex.update(**new)
    # by hand: technical importance = sum over requirements of weight x strength
    rel = house.relationships.fillna(0.0)
    expected = 60.0 * rel.loc[reqs[0]] + 40.0 * rel.loc[reqs[1]]
    np.testing.assert_allclose(ex.result["importance"], expected[ex.result.index], rtol=EXACT)
    np.testing.assert_allclose(ex.result["relative"].sum(), 1.0, rtol=EXACT)
    ax = ex.figure.axes[0]
    widths = sorted(p.get_width() for p in ax.patches)
    np.testing.assert_allclose(widths, sorted(100 * expected / expected.sum()), rtol=EXACT)
    ex.update(**{r: 0.0 for r in reqs})
    assert ex.result is None and "at least one requirement" in ex.error


# ----------------------------------------------------------------------------------
# checking answers
# ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, expected, tol, right",
    [
        (12.04, 12.0, 0.1, True),
        (12.2, 12.0, 0.1, False),
        ("12,0", 12.0, 0.1, True),  # a decimal comma typed as text
        (14, 14, 0, True),
        (" Price  and discounts", "price and discounts", 0, True),
        ("price", "Price and discounts", 0, False),
        (["b", "A"], ["a", "b"], 0, True),
        (["a"], ["a", "b"], 0, False),
        ([1.01, 2.0], [2, 1], 0.05, True),
        (True, True, 0, True),
        (1, True, 0, False),
        (None, 3, 0, False),
    ],
)
def test_is_right(answer, expected, tol, right):
    assert W.is_right(answer, expected, tol) is right


def test_check_prints_friendly_messages(capsys):
    W.check(None, 14)
    W.check(10, 14)
    W.check(14.3, 14, tolerance=0.5, unit="agents")
    W.check(["invest"], ["invest", "harvest"])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("No answer yet")
    assert out[1] == "Not quite: 10 is too low. Have another look and try again."
    assert out[2] == "Right! 14.3 agents is correct (within 0.5 agents of the expected value)."
    assert out[3] == "Not quite: 1 of your 1 item(s) are right and 1 is missing. Try again."
    assert "14" not in out[1].replace("10", "")  # a wrong answer never gives the answer away


def test_check_tolerance_must_be_a_non_negative_number():
    with pytest.raises(ValueError, match="`tolerance` must be a number >= 0; got -1"):
        W.is_right(1, 1, -1)
