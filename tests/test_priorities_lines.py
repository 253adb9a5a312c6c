"""Stage III says a quadrant or a first driver only when the survey establishes it.

An attribute whose performance interval contains the performance cut (or whose importance
interval contains the importance cut) is "on the line" between the fields it could be
in; a top driver whose bootstrap rank interval reaches past 1 "has the largest estimated
share", not "drives satisfaction most". The intervals are recomputed here by hand
(scipy's t-interval of the raw ratings) and compared with the cuts.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from orient import priorities as pr
from orient import report

KEYS = ["speed", "price", "app", "staff", "packaging", "billing"]
LABELS = {
    "speed": "Speed",
    "price": "Price",
    "app": "App",
    "staff": "Staff",
    "packaging": "Packaging",
    "billing": "Billing",
}
WORDS = {
    "improve": "improve",
    "keep_advantage": "keep the advantage",
    "maintain_or_reduce": "maintain or reduce",
    "low_priority": "low priority",
}


def _company(n, means, weights, seed, language="en", noise=1.0):
    """Ratings 0-10 with exactly the given means (so the 0-100 score is 10 x mean) and an
    overall that is the weighted sum of them plus noise."""
    rng = np.random.default_rng(seed)
    cols = {}
    for k in KEYS:
        x = np.clip(rng.normal(5.0, 1.5, n), 0.5, 9.5)
        cols[k] = x - x.mean() + means[k]
    survey = pd.DataFrame(cols)
    w = np.array([weights[k] for k in KEYS])
    survey["overall"] = survey[KEYS].to_numpy() @ w + rng.normal(0, noise, n)
    attributes = [
        {"key": k, "label": LABELS[k], "column": k, "scale_min": 0, "scale_max": 10} for k in KEYS
    ]
    return SimpleNamespace(
        survey=survey,
        attributes=attributes,
        weights=None,
        confidence=0.95,
        min_base=30,
        competitor=None,
        language=language,
        fingerprint=lambda: f"lines-{n}-{seed}-{language}",
    )


def _by_hand(company):
    """(low, high) of each attribute's 0-100 score: scipy's t-interval of the ratings."""
    out = {}
    for k in KEYS:
        x = company.survey[k].to_numpy() * 10.0
        out[k] = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    return out


def _expected_fields(row, ic, pc):
    imp_sides = (
        {True, False}
        if row.importance_ci_low <= ic <= row.importance_ci_high
        else {row.importance >= ic}
    )
    perf_sides = (
        {True, False}
        if row.performance_ci_low <= pc <= row.performance_ci_high
        else {row.performance >= pc}
    )
    names = {
        (True, False): "improve",
        (True, True): "keep_advantage",
        (False, True): "maintain_or_reduce",
        (False, False): "low_priority",
    }
    got = {names[(i, p)] for i in imp_sides for p in perf_sides}
    return [q for q in pr.QUADRANTS if q in got]


# scores 50.3 and 49.8 around a cut of 50, two equally strong drivers, 150 respondents
NEAR_MEANS = {
    "speed": 5.03,
    "price": 4.98,
    "app": 6.5,
    "staff": 3.5,
    "packaging": 7.0,
    "billing": 4.0,
}
NEAR_WEIGHTS = {
    "speed": 0.6,
    "price": 0.6,
    "app": 0.1,
    "staff": 0.1,
    "packaging": 0.05,
    "billing": 0.05,
}


@pytest.fixture(scope="module")
def near():
    company = _company(150, NEAR_MEANS, NEAR_WEIGHTS, seed=3)
    return company, pr.analyse(company, n_boot=200, seed=0, cut=("mean", 50.0))


def test_an_interval_around_the_cut_is_on_the_line(near):
    company, result = near
    m = result.matrix
    pc, ic = m.attrs["performance_cut"], m.attrs["importance_cut"]
    assert pc == 50.0 and ic == pytest.approx(1 / len(KEYS))
    hand = _by_hand(company)
    for k in KEYS:
        lo, hi = hand[k]
        assert m.loc[k, "performance_ci_low"] == pytest.approx(lo, rel=1e-9)
        assert m.loc[k, "performance_ci_high"] == pytest.approx(hi, rel=1e-9)
        d = result.drivers.loc[k]
        on_imp = d["share_ci_low"] <= ic <= d["share_ci_high"]
        assert bool(m.loc[k, "near_line"]) == bool(lo <= pc <= hi or on_imp)
    # 50.3 and 49.8: split by the point estimates, both within the noise of the cut
    assert m.loc["speed", "performance"] == pytest.approx(50.3)
    assert m.loc["price", "performance"] == pytest.approx(49.8)
    assert hand["speed"][0] < 50 < hand["speed"][1] and hand["price"][0] < 50 < hand["price"][1]
    assert (
        m.loc["speed", "quadrant"] == "keep_advantage" and m.loc["price", "quadrant"] == "improve"
    )
    assert m.loc["speed", "near_line"] and m.loc["price", "near_line"]
    for k in ("speed", "price"):
        assert list(m.loc[k, "fields"]) == _expected_fields(m.loc[k], ic, pc)
        assert m.loc[k, "fields"] == ("improve", "keep_advantage")
    # app (65) and staff (35) are far from the cut: their side of it is established
    for k in ("app", "staff", "packaging", "billing"):
        assert not hand[k][0] <= 50 <= hand[k][1]


def test_sentences_about_an_attribute_on_the_line_give_no_verdict(near):
    _company_, result = near
    m = result.matrix
    pc, ic = m.attrs["performance_cut"], m.attrs["importance_cut"]
    text = " ".join(result.sentences)
    assert "keep the high score" not in text.split("Speed carries")[1].split(".")[0]
    for k in ("speed", "price"):
        fields = [WORDS[q] for q in _expected_fields(m.loc[k], ic, pc)]
        said = [s for s in result.sentences if s.startswith(LABELS[k] + " carries")]
        assert len(said) == 1, result.sentences
        share = round(100 * m.loc[k, "importance"])
        score = round(m.loc[k, "performance"])
        assert said[0] == (
            f"{LABELS[k]} carries {share}% of the weight in overall satisfaction and scores "
            f"{score} out of 100: on the line between {', '.join(fields[:-1])} and "
            f"{fields[-1]}: within the noise of the survey its field is not established."
        )
    head = pr.headline(result)
    assert set(head["on_the_line"]) == set(m.index[m["near_line"]])
    assert {"speed", "price"} <= set(head["on_the_line"])
    assert head["on_the_line"] == [a for a in result.priorities.index if a in head["on_the_line"]]
    assert head["improve"] == ["price"] and head["keep_advantage"][0] == "speed"  # kept
    table = pr.display_table(result, "priorities")
    rows = table.frame.set_index("Attribute")
    for k in KEYS:
        assert rows.loc[LABELS[k], "Near the line"] == ("yes" if m.loc[k, "near_line"] else "no")
    assert rows.loc["Speed", "Near the line"] == "yes" and "no" in set(rows["Near the line"])
    assert rows.loc["Speed", "Quadrant"] == "Keep advantage"
    assert any("Near the line" in note for note in table.notes)


def test_an_unestablished_top_driver_is_not_said_to_drive_most(near):
    _company_, result = near
    d = result.drivers
    top = d["share"].idxmax()
    assert top in ("speed", "price")  # the two equal true weights
    head = pr.headline(result)
    low, high = d.loc[top, "rank_ci_low"], d.loc[top, "rank_ci_high"]
    assert high >= 2  # equal weights: the bootstrap does not put either first for sure
    assert (head["top_driver_rank_low"], head["top_driver_rank_high"]) == (low, high)
    assert head["strongest_driver_label"] is None
    assert head["largest_share_label"] == LABELS[top]
    found = " ".join(report._findings({"stages": {"priorities": {"headline": head}}}, "en"))
    assert "drives satisfaction most" not in found
    share = round(100 * d.loc[top, "share"])
    assert (
        f"<strong>{LABELS[top]}</strong> has the largest estimated share of the explained "
        f"satisfaction ({share}%), but with this many respondents its rank is between "
        f"{round(low)} and {round(high)}"
    ) in found
    assert "on a line of the matrix: within the noise of the survey" in found  # price
    figures = report._key_figures({"stages": {"priorities": {"headline": head}}}, "en")
    labels = {row["label"]: row["value"] for row in figures}
    assert "Strongest driver" not in labels
    assert labels["Largest estimated driver share (rank not established)"] == LABELS[top]
    ru = " ".join(report._findings({"stages": {"priorities": {"headline": head}}}, "ru"))
    assert "сильнее всего" not in ru
    assert f"место этого фактора — от {round(low)} до {round(high)}" in ru
    assert "на границе полей матрицы" in ru


def test_russian_sentences_on_the_line():
    company = _company(150, NEAR_MEANS, NEAR_WEIGHTS, seed=3, language="ru")
    result = pr.analyse(company, n_boot=200, seed=0, cut=("mean", 50.0))
    said = [s for s in result.sentences if s.startswith("Price —")]
    assert len(said) == 1 and "на границе между полями «улучшать»" in said[0]
    assert "в пределах погрешности опроса поле матрицы не определено" in said[0]
    rows = pr.display_table(result, "priorities", language="ru").frame
    assert "У границы поля" in rows.columns


@pytest.fixture(scope="module")
def clear():
    means = {"speed": 6.5, "price": 3.5, "app": 6.0, "staff": 4.0, "packaging": 7.0, "billing": 3.0}
    weights = {
        "speed": 0.9,
        "price": 0.45,
        "app": 0.1,
        "staff": 0.1,
        "packaging": 0.05,
        "billing": 0.05,
    }
    company = _company(20000, means, weights, seed=4)
    return company, pr.analyse(company, n_boot=200, seed=0, cut=("mean", 50.0))


def test_a_large_clear_sample_gives_the_firm_verdicts(clear):
    company, result = clear
    m = result.matrix
    pc, ic = m.attrs["performance_cut"], m.attrs["importance_cut"]
    hand = _by_hand(company)
    d = result.drivers
    for k in KEYS:  # no interval contains its cut: every quadrant is established
        assert not hand[k][0] <= pc <= hand[k][1]
        assert not d.loc[k, "share_ci_low"] <= ic <= d.loc[k, "share_ci_high"]
    assert not m["near_line"].any()
    assert all(len(f) == 1 and f[0] == q for f, q in zip(m["fields"], m["quadrant"], strict=True))
    text = list(result.sentences)
    assert not any("on the line" in s for s in text)
    share = round(100 * m.loc["price", "importance"])
    assert (
        f"Price carries {share}% of the weight in overall satisfaction and scores 35 out of "
        "100: improve first."
    ) in text
    assert any(s.startswith("Speed carries") and s.endswith("keep the high score.") for s in text)
    head = pr.headline(result)
    assert head["on_the_line"] == [] and head["top_priority_fields"] == ["improve"]
    assert (head["top_driver_rank_low"], head["top_driver_rank_high"]) == (1.0, 1.0)
    assert head["strongest_driver_label"] == "Speed" and head["largest_share_label"] is None
    found = " ".join(report._findings({"stages": {"priorities": {"headline": head}}}, "en"))
    assert "the benefit that drives satisfaction most is <strong>Speed</strong>" in found
    assert "First priority: <strong>Price</strong>, important to customers and performing" in found
    figures = report._key_figures({"stages": {"priorities": {"headline": head}}}, "en")
    labels = {row["label"]: row["value"] for row in figures}
    assert labels["Strongest driver"] == "Speed"
    assert "Largest estimated driver share (rank not established)" not in labels
    rows = pr.display_table(result, "priorities").frame
    assert set(rows["Near the line"]) == {"no"}


def test_no_improve_sentence_names_an_attribute_on_its_line():
    # one keep-the-advantage attribute at 51 with an interval 47 to 55 around the cut 50
    imp = pd.DataFrame(
        {"share": [0.5, 0.3, 0.2], "share_ci_low": [0.45, 0.25, 0.15],
         "share_ci_high": [0.55, 0.35, 0.25]},
        index=["speed", "app", "staff"],
    )  # fmt: skip
    perf = pd.DataFrame(
        {"segment": "all", "attribute": ["speed", "app", "staff"], "own": [51.0, 70.0, 30.0],
         "own_ci_low": [47.0, 66.0, 26.0], "own_ci_high": [55.0, 74.0, 34.0]}
    )  # fmt: skip
    m = pr.strategic_matrix(imp, perf, cut=(0.4, 50.0))
    assert list(m["near_line"]) == [True, False, False]
    assert m.loc["speed", "fields"] == ("improve", "keep_advantage")
    t = pr.priority_table(m, labels={"speed": "Speed"})
    text = pr.narrative(t, relative=False)
    assert text[0] == (
        "No attribute is clearly in the improve field: Speed is on its line, within the "
        "noise of the survey."
    )
    assert text[1] == (
        "Speed carries 50% of the weight in overall satisfaction and scores 51 out of 100: "
        "on the line between improve and keep the advantage: within the noise of the survey "
        "its field is not established."
    )
    # without intervals nothing is on the line and the firm sentences stay
    m2 = pr.strategic_matrix(imp["share"], perf.set_index("attribute")["own"], cut=(0.4, 50.0))
    assert not m2["near_line"].any() and m2["performance_ci_low"].isna().all()
    text2 = pr.narrative(pr.priority_table(m2, labels={"speed": "Speed"}), relative=False)
    assert text2[0].startswith("No attribute of above-average weight is behind")
    assert text2[1].endswith("keep the high score.")


def test_an_attribute_on_both_lines_could_sit_in_any_field():
    from orient.i18n import sentence

    # importance 0.41 (0.30 to 0.52) around the cut 0.4, score 51 (47 to 55) around 50:
    # both intervals hold their cut, so all four fields are possible
    imp = pd.DataFrame(
        {"share": [0.41, 0.59], "share_ci_low": [0.30, 0.55], "share_ci_high": [0.52, 0.63]},
        index=["speed", "app"],
    )
    perf = pd.DataFrame(
        {"segment": "all", "attribute": ["speed", "app"], "own": [51.0, 70.0],
         "own_ci_low": [47.0, 66.0], "own_ci_high": [55.0, 74.0]}
    )  # fmt: skip
    m = pr.strategic_matrix(imp, perf, cut=(0.4, 50.0))
    assert len(m.loc["speed", "fields"]) == 4 and m.loc["speed", "near_line"]
    values = {"label": "Speed", "importance": 0.41, "performance": 51.0, "gap": None}
    values.update(position="score", rival=None, action="on_line")
    four = ["improve", "keep the advantage", "maintain or reduce", "low priority"]
    assert str(sentence("priorities.attribute", "en", **values, fields=four)).endswith(
        "scores 51 out of 100: on both lines of the matrix: within the noise of the survey "
        "it could sit in any of the four fields."
    )
    ru = str(sentence("priorities.attribute", "ru", **values, fields=four))
    assert "на обеих границах матрицы" in ru and "любом из четырёх полей" in ru
    two = str(sentence("priorities.attribute", "en", **values, fields=four[:2]))
    assert "on the line between improve and keep the advantage" in two
