"""Tests for orient.strategy (stage I).

Every expected number is a hand calculation shown in a comment next to it.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from orient import strategy as st
from orient.errors import DataError, OrientWarning
from orient.strategy.result import StrategyResult

EXACT = 1e-12  # rtol for hand calculations that are exact up to float rounding


# ---------------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------------


def _goal(**kw):
    base = dict(
        perspective="customer",
        kpi="satisfaction_index",
        baseline=60.0,
        target=70.0,
        weight=1.0,
        owner="CEO",
    )
    base.update(kw)
    return base


def _goals(**goals):
    return st.goals_frame(goals)


# ---------------------------------------------------------------------------------
# goal status and its boundaries
# ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attainment", "expected"),
    [
        (1.5, "on_track"),  # beyond the target
        (1.0, "on_track"),  # target met
        (0.9, "on_track"),  # boundary: >= 0.9 is on track
        (0.9 - 1e-9, "at_risk"),
        (0.5, "at_risk"),  # boundary: >= 0.5 is at risk
        (0.5 - 1e-9, "off_track"),
        (0.0, "off_track"),  # no progress
        (-0.3, "off_track"),  # moved the wrong way
        (float("nan"), "no_data"),
    ],
)
def test_goal_status_boundaries(attainment, expected):
    assert st.goal_status(attainment) == expected


def test_goal_status_custom_boundaries_and_arrays():
    got = st.goal_status([0.8, 0.79, 0.3, 0.29], on_track=0.8, at_risk=0.3)
    assert list(got) == ["on_track", "at_risk", "at_risk", "off_track"]


def test_goal_status_float_artefact_counts_as_boundary():
    # (0.19 - 0.1) / (0.2 - 0.1) is 0.8999999999999999 in binary floating point;
    # by hand it is 0.9, which the documented rounding rule puts on track
    sc = st.goal_scorecard(_goals(g=_goal(kpi="x", baseline=0.1, target=0.2, current=0.19)))
    assert sc.loc["g", "status"] == "on_track"


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        (dict(on_track=0.5, at_risk=0.5), ValueError),  # at_risk must be < on_track
        (dict(on_track=1.1, at_risk=0.5), ValueError),  # on_track <= 1
        (dict(on_track=0.9, at_risk=-0.1), ValueError),  # at_risk >= 0
        (dict(on_track="high", at_risk=0.5), TypeError),
    ],
)
def test_goal_status_bad_boundaries(kw, error):
    with pytest.raises(error, match="on_track|at_risk"):
        st.goal_status(0.7, **kw)


@pytest.mark.parametrize(
    ("current", "attainment", "status"),
    [
        (69.0, 0.9, "on_track"),  # (69 - 60) / (70 - 60) = 0.9
        (68.9, 0.89, "at_risk"),  # 8.9 / 10
        (65.0, 0.5, "at_risk"),  # 5 / 10
        (64.9, 0.49, "off_track"),  # 4.9 / 10
        (58.0, -0.2, "off_track"),  # -2 / 10: worse than baseline
        (72.0, 1.2, "on_track"),  # 12 / 10: beaten
    ],
)
def test_scorecard_higher_is_better_boundaries(current, attainment, status):
    sc = st.goal_scorecard(_goals(g=_goal(kpi="x", current=current)))
    np.testing.assert_allclose(sc.loc["g", "attainment"], attainment, rtol=EXACT)
    assert sc.loc["g", "status"] == status
    np.testing.assert_allclose(sc.loc["g", "to_go"], 70.0 - current, rtol=EXACT)


@pytest.mark.parametrize(
    ("current", "attainment", "status"),
    [
        (91.0, 0.9, "on_track"),  # cost 100 -> 90: (100 - 91) / (100 - 90) = 0.9
        (91.5, 0.85, "at_risk"),  # 8.5 / 10
        (95.0, 0.5, "at_risk"),  # 5 / 10
        (95.5, 0.45, "off_track"),  # 4.5 / 10
        (105.0, -0.5, "off_track"),  # cost rose
    ],
)
def test_scorecard_lower_is_better_boundaries(current, attainment, status):
    g = _goal(
        kpi="unit_cost",
        perspective="financial",
        baseline=100.0,
        target=90.0,
        direction="lower",
        current=current,
    )
    sc = st.goal_scorecard(_goals(g=g))
    np.testing.assert_allclose(sc.loc["g", "attainment"], attainment, rtol=EXACT)
    assert sc.loc["g", "status"] == status
    np.testing.assert_allclose(sc.loc["g", "to_go"], current - 90.0, rtol=EXACT)


@pytest.mark.parametrize(
    ("current", "attainment", "status"),
    [
        (80.0, 1.0, "on_track"),  # held exactly
        (85.0, 1.0625, "on_track"),  # beaten: 1 - (80 - 85) / 80
        (72.0, 0.9, "on_track"),  # span |80| = 80: 1 - 8 / 80 = 0.9
        (71.0, 0.8875, "at_risk"),  # 1 - 9 / 80
        (40.0, 0.5, "at_risk"),  # 1 - 40 / 80
        (39.0, 0.4875, "off_track"),
    ],
)
def test_scorecard_hold_goal(current, attainment, status):
    sc = st.goal_scorecard(_goals(g=_goal(kpi="x", baseline=80.0, target=80.0, current=current)))
    np.testing.assert_allclose(sc.loc["g", "attainment"], attainment, rtol=EXACT)
    assert sc.loc["g", "status"] == status


def test_scorecard_hold_goal_at_zero_uses_unit_span():
    # NPS held at 0: span 1, current -0.1 -> 1 - 0.1 / 1 = 0.9
    sc = st.goal_scorecard(_goals(g=_goal(kpi="x", baseline=0.0, target=0.0, current=-0.1)))
    np.testing.assert_allclose(sc.loc["g", "attainment"], 0.9, rtol=EXACT)


# ---------------------------------------------------------------------------------
# KPIs computed from the data
# ---------------------------------------------------------------------------------


@pytest.fixture
def tiny_survey():
    return pd.DataFrame(
        {
            "respondent_id": [1, 2, 3, 4, 5],
            "overall": [1.0, 3.0, 5.0, 5.0, np.nan],
            "recommend": [10.0, 10.0, 9.0, 8.0, 0.0],
        }
    )


@pytest.fixture
def tiny_finance():
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "revenue": [100.0, 200.0, 300.0, 400.0],
            "cost": [50.0, 100.0, 150.0, 300.0],
            "retained": [1, 0, 1, 1],
        }
    )


def test_measured_kpis_hand_calculation(tiny_survey, tiny_finance):
    k = st.measured_kpis(tiny_survey, tiny_finance, overall_scale=(1, 5))
    # overall: mean of 1, 3, 5, 5 = 3.5 -> 100 * (3.5 - 1) / (5 - 1) = 62.5 (blank left out)
    np.testing.assert_allclose(k.loc["satisfaction_index", "value"], 62.5, rtol=EXACT)
    assert k.loc["satisfaction_index", "n"] == 4
    # recommend: promoters 10, 10, 9 = 3/5; detractor 0 = 1/5 -> 100 * (0.6 - 0.2) = 40
    np.testing.assert_allclose(k.loc["nps", "value"], 40.0, rtol=EXACT)
    # retained 1, 0, 1, 1 -> 75 %
    np.testing.assert_allclose(k.loc["retention_rate", "value"], 75.0, rtol=EXACT)
    # revenue 100 + 200 + 300 + 400 = 1000
    np.testing.assert_allclose(k.loc["revenue", "value"], 1000.0, rtol=EXACT)
    np.testing.assert_allclose(k.loc["revenue_per_customer", "value"], 250.0, rtol=EXACT)
    # cost 600 -> margin 100 * 400 / 1000 = 40 %
    np.testing.assert_allclose(k.loc["margin", "value"], 40.0, rtol=EXACT)
    assert list(k["source"]) == ["survey", "survey"] + ["finance"] * 4


def test_measured_kpis_composite_index(tiny_survey):
    sv = tiny_survey.assign(ideal=[1.0, np.nan, 10.0, 4.0, 7.0])  # a 1-10 item
    k = st.measured_kpis(sv, index_items={"overall": (1, 5), "ideal": (1, 10)})
    # respondent indices: mean(0, 0) = 0; 50 (ideal skipped); mean(100, 100) = 100;
    # mean(100, 33.3) = 66.7; 66.7 (overall blank) -> mean of 5 = (0+50+100+66.7+66.7) / 5
    np.testing.assert_allclose(
        k.loc["satisfaction_index", "value"], (0 + 50 + 100 + 200 / 3 + 200 / 3) / 5, rtol=EXACT
    )
    assert k.loc["satisfaction_index", "n"] == 5
    with pytest.raises(TypeError, match="index_items"):
        st.measured_kpis(sv, index_items={})


def test_measured_kpis_weighted(tiny_survey):
    w = pd.Series([1.0, 1.0, 1.0, 3.0, 2.0], index=tiny_survey.index)
    k = st.measured_kpis(tiny_survey, overall_scale=(1, 5), weights=w)
    # weighted mean overall over the 4 answered: (1 + 3 + 5 + 3*5) / 6 = 4 -> 75
    np.testing.assert_allclose(k.loc["satisfaction_index", "value"], 75.0, rtol=EXACT)
    # promoters weight 1 + 1 + 1 = 3; detractor weight 2; total 8 -> 100 * (3 - 2) / 8
    np.testing.assert_allclose(k.loc["nps", "value"], 12.5, rtol=EXACT)


def test_measured_kpis_stage_two_values_win(tiny_survey):
    k = st.measured_kpis(
        tiny_survey,
        overall_scale=(1, 5),
        satisfaction={"satisfaction_index": 71.2, "nps": None, "other": 3},
    )
    assert k.loc["satisfaction_index", "value"] == 71.2
    assert k.loc["satisfaction_index", "source"] == "stage II"
    assert k.loc["nps", "source"] == "survey"  # None from stage II: computed instead
    assert "other" not in k.index
    with pytest.raises(TypeError, match="satisfaction"):
        st.measured_kpis(tiny_survey, satisfaction=[71.2])


def test_scorecard_takes_measured_values_over_yaml(tiny_survey, tiny_finance):
    goals = _goals(
        csi=_goal(current=10.0, weight=3.0),  # yaml value is overridden by the survey
        ret=_goal(kpi="retention_rate", baseline=70.0, target=80.0, weight=1.0, owner="Sales"),
        staff=_goal(
            kpi="staff_satisfaction", perspective="people", current=66.0, weight=2.0, owner="HR"
        ),
        plant=_goal(kpi="oee", perspective="process", weight=2.0, owner="COO"),
    )
    k = st.measured_kpis(tiny_survey, tiny_finance, overall_scale=(1, 5))
    sc = st.goal_scorecard(goals, k)
    assert sc.loc["csi", "current"] == pytest.approx(62.5, rel=EXACT)
    assert sc.loc["csi", "source"] == "survey"
    assert sc.loc["ret", "source"] == "finance"
    assert sc.loc["staff", "source"] == "company.yaml"
    assert sc.loc["plant", "source"] == "none" and sc.loc["plant", "status"] == "no_data"
    # weights 3, 1, 2, 2 -> shares 3/8, 1/8, 2/8, 2/8
    np.testing.assert_allclose(
        sc["weight"].sort_index(),
        pd.Series({"csi": 3 / 8, "plant": 2 / 8, "ret": 1 / 8, "staff": 2 / 8}),
        rtol=EXACT,
    )
    # ordered by perspective: customer, process, people
    assert list(sc["perspective"]) == ["customer", "customer", "process", "people"]
    # a plain mapping also works and is labelled "given"
    sc2 = st.goal_scorecard(goals, {"oee": 65.0})
    assert sc2.loc["plant", "current"] == 65.0 and sc2.loc["plant", "source"] == "given"


def test_overall_attainment_hand_calculation():
    goals = _goals(
        a=_goal(kpi="a", current=65.0, weight=1.0),  # 0.5
        b=_goal(kpi="b", current=72.0, weight=1.0),  # 1.2, capped to 1
        c=_goal(kpi="c", current=57.0, weight=2.0),  # -0.3, capped to 0
        d=_goal(kpi="d", weight=5.0),  # no data: left out
    )
    sc = st.goal_scorecard(goals)
    # (1 * 0.5 + 1 * 1 + 2 * 0) / (1 + 1 + 2) = 0.375
    np.testing.assert_allclose(st.overall_attainment(sc), 0.375, rtol=EXACT)
    ps = st.perspective_summary(sc)
    assert list(ps.index) == ["customer", "process", "people", "financial"]
    assert ps.loc["customer", "n_goals"] == 4 and ps.loc["customer", "no_data"] == 1
    assert np.isnan(ps.loc["people", "attainment"])
    unmeasured = st.goal_scorecard(_goals(d=_goal(kpi="d")))
    assert np.isnan(st.overall_attainment(unmeasured))


def test_incentive_link_hand_calculation():
    goals = _goals(
        a=_goal(kpi="a", current=65.0, weight=3.0, owner="Sales"),  # 0.5
        b=_goal(kpi="b", current=70.0, weight=1.0, owner="Sales", perspective="financial"),  # 1
        c=_goal(kpi="c", current=69.0, weight=4.0, owner="COO", perspective="process"),  # 0.9
    )
    inc = st.incentive_link(st.goal_scorecard(goals))
    sales = inc[inc["owner"] == "Sales"].set_index("goal")
    # Sales: weights 3 and 1 -> 0.75 and 0.25; attainment 0.75 * 0.5 + 0.25 * 1 = 0.625
    np.testing.assert_allclose(sales["weight"], [0.75, 0.25], rtol=EXACT)
    np.testing.assert_allclose(sales["owner_attainment"], 0.625, rtol=EXACT)
    np.testing.assert_allclose(sales["customer_weight"], 0.75, rtol=EXACT)
    coo = inc[inc["owner"] == "COO"]
    assert list(coo["goal"]) == ["c"] and coo["weight"].iloc[0] == 1.0
    assert coo["customer_weight"].iloc[0] == 0.0
    np.testing.assert_allclose(inc.groupby("owner")["weight"].sum(), 1.0, rtol=EXACT)


# ---------------------------------------------------------------------------------
# bad goals
# ---------------------------------------------------------------------------------


def test_goal_without_target_names_key_path():
    g = _goal()
    del g["target"]
    with pytest.raises(DataError, match=r"goals\.csi\.target"):
        st.goals_frame({"csi": g})


@pytest.mark.parametrize(
    ("change", "path", "text"),
    [
        (dict(perspective="marketing"), "goals.g.perspective", "unknown perspective"),
        (dict(direction="up"), "goals.g.direction", "unknown direction"),
        (dict(intent="slash"), "goals.g.intent", "unknown intent"),
        (dict(weight=0.0), "goals.g.weight", "weight must be positive"),
        (dict(baseline="sixty"), "goals.g.baseline", "finite number"),
        (dict(target=float("nan")), "goals.g.target", "finite number"),
        (dict(target=50.0), "goals.g.target", "worse than baseline"),
        (dict(direction="lower", target=75.0), "goals.g.target", "worse than baseline"),
        (dict(owner=None), "goals.g.owner", "no owner"),
    ],
)
def test_bad_goals(change, path, text):
    with pytest.raises(DataError, match=text) as info:
        st.goals_frame({"g": _goal(**change)})
    assert info.value.column == path
    assert info.value.file == "company.yaml"


def test_goals_must_be_mapping():
    with pytest.raises(TypeError, match="goals"):
        st.goals_frame([_goal()])


def test_scorecard_bad_inputs():
    with pytest.raises(TypeError, match="goals"):
        st.goal_scorecard({"g": _goal()})
    with pytest.raises(ValueError, match="target"):
        st.goal_scorecard(_goals(g=_goal()).drop(columns="target"))
    with pytest.raises(TypeError, match="measured"):
        st.goal_scorecard(_goals(g=_goal()), [1.0])


# ---------------------------------------------------------------------------------
# conflicts
# ---------------------------------------------------------------------------------


@pytest.fixture
def matrix():
    return pd.DataFrame(
        {
            "importance": [0.30, 0.25, 0.05, 0.04],
            "performance": [3.1, 4.5, 2.9, 4.6],
            "quadrant": ["improve", "keep_advantage", "low_priority", "maintain_or_reduce"],
            "action": ["improve", "keep", "none", "maintain"],
        },
        index=["delivery", "quality", "packaging", "website"],
    )


def test_conflicts_against_stage_three(matrix):
    goals = _goals(
        logistics=_goal(
            perspective="financial",
            kpi="logistics_cost",
            baseline=100.0,
            target=90.0,
            direction="lower",
            attributes=["delivery", "quality"],
            intent="cut_cost",
        ),
        pack=_goal(
            perspective="process", kpi="x", attributes=["packaging", "website"], intent="improve"
        ),
        web=_goal(perspective="people", kpi="y", attributes=["website"], intent="maintain"),
        csi=_goal(),
    )
    c = st.goal_conflicts(goals, matrix)
    got = {(r.goal, r.attribute, r.severity) for r in c.itertuples()}
    assert got == {
        ("logistics", "delivery", "conflict"),  # cut cost on an improve attribute
        ("logistics", "quality", "conflict"),  # cut cost on an advantage
        ("pack", "packaging", "caution"),  # invest in low priority
        ("pack", "website", "caution"),  # invest in maintain_or_reduce
    }
    assert "improve" in c.loc[c["attribute"] == "delivery", "reason"].iloc[0]
    named = st.goal_conflicts(goals, matrix, labels={"delivery": "Delivery reliability"})
    assert (
        named["reason"]
        .iloc[0]
        .startswith(
            "goal 'logistics' cuts cost on 'Delivery reliability', which stage III says to improve"
        )
    )
    assert list(c.columns) == ["goal", "other_goal", "attribute", "quadrant", "severity", "reason"]


def test_conflict_between_goals_and_missing_perspectives():
    goals = _goals(
        a=_goal(attributes=["delivery"], intent="improve"),
        b=_goal(
            perspective="financial",
            kpi="cost",
            baseline=10.0,
            target=9.0,
            direction="lower",
            attributes=["delivery"],
            intent="cut_cost",
        ),
    )
    c = st.goal_conflicts(goals)  # no stage III matrix: only the goals themselves
    clash = c[c["other_goal"].notna()]
    assert len(clash) == 1
    assert (clash["goal"].iloc[0], clash["other_goal"].iloc[0]) == ("b", "a")
    missing = c[c["goal"].isna()]
    assert sorted(missing["reason"].str.extract(r"in the (\w+) perspective")[0]) == [
        "people",
        "process",
    ]
    assert set(missing["severity"]) == {"caution"}


def test_conflicts_bad_matrix(matrix):
    with pytest.raises(ValueError, match="quadrant"):
        st.goal_conflicts(_goals(a=_goal()), matrix.drop(columns="quadrant"))
    with pytest.raises(TypeError, match="matrix"):
        st.goal_conflicts(_goals(a=_goal()), matrix.to_dict())


# ---------------------------------------------------------------------------------
# segments
# ---------------------------------------------------------------------------------


@pytest.fixture
def seg_survey():
    # segment A: 4 respondents, B: 2; scale 1-5; delivery rated for us and the competitor
    return pd.DataFrame(
        {
            "respondent_id": range(6),
            "customer_id": [10, 11, 12, 13, 20, 21],
            "segment": ["A", "A", "A", "A", "B", "B"],
            "overall": [5.0, 4.0, 4.0, 3.0, 2.0, 3.0],
            "delivery": [4.0, 4.0, 5.0, 3.0, 2.0, 2.0],
            "delivery_competitor": [3.0, 4.0, 4.0, 3.0, 4.0, 3.0],
            "price": [3.0, 3.0, 3.0, 3.0, 3.0, 3.0],
        }
    )


@pytest.fixture
def seg_finance():
    return pd.DataFrame(
        {
            "customer_id": [10, 11, 12, 13, 20, 21, 22, 23],
            "revenue": [100.0, 100.0, 100.0, 100.0, 300.0, 300.0, 200.0, 200.0],
            "cost": [80.0, 80.0, 80.0, 80.0, 150.0, 150.0, 100.0, 100.0],
            "retained": [1, 1, 0, 1, 1, 1, 1, 1],
            "segment": ["A", "A", "A", "A", "B", "B", "B", "B"],
        }
    )


ATTRS = [("delivery", "delivery_competitor", 1, 5), ("price", None, 1, 5)]


def test_segment_profile_hand_calculation(seg_survey, seg_finance):
    p = st.segment_profile(
        seg_survey,
        seg_finance,
        {"A": {"growth": 2.0, "label": "Alpha"}, "B": {"growth": 6.0}},
        overall_scale=(1, 5),
        attributes=ATTRS,
        min_base=3,
    )
    # satisfaction index A: mean(5, 4, 4, 3) = 4 -> 100 * 3 / 4 = 75
    #                     B: mean(2, 3) = 2.5 -> 100 * 1.5 / 4 = 37.5
    np.testing.assert_allclose(p["satisfaction_index"], [75.0, 37.5], rtol=EXACT)
    # gap A: own - competitor = 1, 0, 1, 0 -> mean 0.5 -> 0.5 * 100 / 4 = 12.5 points
    #     B: -2, -1 -> mean -1.5 -> -37.5 points (price has no competitor rating)
    np.testing.assert_allclose(p["competitive_gap"], [12.5, -37.5], rtol=EXACT)
    # customers 4 and 4 -> 50 % each; revenue 400 and 1000 of 1400
    np.testing.assert_allclose(p["size_share"], [50.0, 50.0], rtol=EXACT)
    np.testing.assert_allclose(p["revenue_share"], [400 / 14, 1000 / 14], rtol=EXACT)
    # margin A: 100 * (400 - 320) / 400 = 20; B: 100 * (1000 - 500) / 1000 = 50
    np.testing.assert_allclose(p["margin"], [20.0, 50.0], rtol=EXACT)
    # relative revenue per customer: A 100 / 175, B 250 / 175
    np.testing.assert_allclose(p["relative_revenue"], [100 / 175, 250 / 175], rtol=EXACT)
    assert list(p["label"]) == ["Alpha", "B"]
    assert list(p["n"]) == [4, 2] and list(p["small_base"]) == [False, True]
    assert set(p["size_source"]) == {"finance"}


def test_segment_profile_finance_segment_from_survey(seg_survey, seg_finance):
    fin = seg_finance.drop(columns="segment")
    p = st.segment_profile(seg_survey, fin, overall_scale=(1, 5), attributes=ATTRS)
    # customers 22, 23 are not in the survey: A has 4 customers, B has 20 and 21 only
    np.testing.assert_allclose(p["customers"], [4.0, 2.0], rtol=EXACT)
    np.testing.assert_allclose(p["revenue_share"], [40.0, 60.0], rtol=EXACT)  # 400 / 1000


def test_segment_profile_without_finance(seg_survey):
    yaml = {
        "A": {"customers": 300, "revenue_share": 20.0, "margin": 12.0, "growth": 1.0},
        "B": {"customers": 100, "revenue_share": 80.0, "margin": 30.0, "growth": 4.0},
    }
    p = st.segment_profile(seg_survey, None, yaml, overall_scale=(1, 5), attributes=ATTRS)
    np.testing.assert_allclose(p["size_share"], [75.0, 25.0], rtol=EXACT)  # 300 / 400
    np.testing.assert_allclose(p["relative_revenue"], [20 / 75, 80 / 25], rtol=EXACT)
    np.testing.assert_allclose(p["margin"], [12.0, 30.0], rtol=EXACT)
    assert set(p["size_source"]) == {"company.yaml"}
    # no sizes anywhere: respondents stand in (4 and 2 of 6)
    p2 = st.segment_profile(seg_survey, None, {}, overall_scale=(1, 5))
    np.testing.assert_allclose(p2["size_share"], [400 / 6, 200 / 6], rtol=EXACT)
    assert set(p2["size_source"]) == {"survey"}
    assert p2["competitive_gap"].isna().all()


def test_segment_profile_importance_weighted_gap(seg_survey):
    sv = seg_survey.assign(price_competitor=5.0)  # we rate 3, competitor 5: -2 -> -50 points
    attrs = [("delivery", "delivery_competitor", 1, 5), ("price", "price_competitor", 1, 5)]
    plain = st.segment_profile(sv, overall_scale=(1, 5), attributes=attrs)
    # A: delivery +12.5, price -50 -> (12.5 - 50) / 2
    np.testing.assert_allclose(plain.loc["A", "competitive_gap"], -18.75, rtol=EXACT)
    weighted = st.segment_profile(
        sv,
        overall_scale=(1, 5),
        attributes=attrs,
        importance=pd.Series({"delivery": 3.0, "price": 1.0}),
    )
    # (3 * 12.5 + 1 * -50) / 4
    np.testing.assert_allclose(weighted.loc["A", "competitive_gap"], -3.125, rtol=EXACT)
    only = st.segment_profile(
        sv, overall_scale=(1, 5), attributes=attrs, importance={"delivery": 1.0}
    )
    np.testing.assert_allclose(only.loc["A", "competitive_gap"], 12.5, rtol=EXACT)
    with pytest.raises(ValueError, match="importance"):
        st.segment_profile(sv, overall_scale=(1, 5), attributes=attrs, importance={"price": -1})


def test_segment_profile_bad_inputs(seg_survey):
    with pytest.raises(ValueError, match="segment"):
        st.segment_profile(seg_survey.drop(columns="segment"), overall_scale=(1, 5))
    with pytest.raises(TypeError, match="overall"):
        st.segment_profile(seg_survey.assign(overall="good"), overall_scale=(1, 5))


def _profile(**cols):
    n = len(next(iter(cols.values())))
    base = {
        "label": [f"s{i}" for i in range(n)],
        "size_share": [100.0 / n] * n,
        "revenue_share": [100.0 / n] * n,
        "margin": [10.0] * n,
        "growth": [1.0] * n,
        "relative_revenue": [1.0] * n,
        "satisfaction_index": [70.0] * n,
        "competitive_gap": [0.0] * n,
        "premium": [None] * n,
        "small_base": [False] * n,
    }
    base.update(cols)
    return pd.DataFrame(base, index=[f"s{i}" for i in range(n)])


# GE-McKinsey nine box, written out cell by cell (attractiveness, ability) -> strategy
NINE_BOX = {
    ("high", "high"): "invest",
    ("high", "medium"): "invest",
    ("medium", "high"): "invest",
    ("high", "low"): "selective",
    ("medium", "medium"): "selective",
    ("low", "high"): "selective",
    ("medium", "low"): "harvest",
    ("low", "medium"): "harvest",
    ("low", "low"): "harvest",
}


# offset of s0's growth from the two-segment mean, with spread 3: score = 50 + 50 d / 3
OFFSETS = [
    (-3.0, "low"),
    (-1.0 - 1e-6, "low"),
    (-1.0, "medium"),
    (1.0 - 1e-6, "medium"),
    (1.0, "high"),
    (3.0, "high"),
]


def test_portfolio_levels_at_boundaries_and_nine_box():
    # two segments at 5 + d and 5 - d: s0 scores 0, 33.3, 66.7, 100 at d = -3, -1, 1, 3
    for da, la in OFFSETS:
        for db, lb in OFFSETS:
            prof = _profile(growth=[5.0 + da, 5.0 - da], satisfaction_index=[70.0 + db, 70.0 - db])
            pf = st.segment_portfolio(
                prof,
                attractiveness_weights={"growth": 1.0},
                ability_weights={"satisfaction_index": 1.0},
                spreads={"growth": 3.0, "satisfaction_index": 3.0},
            )
            row = pf.loc["s0"]
            np.testing.assert_allclose(row["attractiveness"], 50 + 50 * da / 3, rtol=EXACT)
            np.testing.assert_allclose(row["ability"], 50 + 50 * db / 3, rtol=EXACT)
            assert (row["attractiveness_level"], row["ability_level"]) == (la, lb)
            assert row["recommendation"] == NINE_BOX[(la, lb)]
            assert row["target"] == (row["recommendation"] == "invest")


def test_portfolio_default_scores_hand_calculation():
    prof = _profile(
        size_share=[60.0, 30.0, 10.0],
        revenue_share=[50.0, 20.0, 30.0],
        margin=[10.0, 30.0, 20.0],
        growth=[2.0, 2.0, 8.0],
        satisfaction_index=[80.0, 64.0, 70.0],
        competitive_gap=[-2.0, 6.0, -10.0],
    )
    pf = st.segment_portfolio(prof).sort_index()
    # size: mean 100/3, spread 100/3 -> 50 + 50 (x - 33.3) / 33.3 = 90, 45, 15
    # revenue: 75, 30, 45
    # margin: mean 20, spread 5 -> 50 + 10 (x - 20) = -50, 150, 50 -> clipped 0, 100, 50
    # growth: mean 4, spread 2.5 -> 50 + 20 (x - 4) = 10, 10, 130 -> 10, 10, 100
    att = [(90 + 75 + 0 + 10) / 4, (45 + 30 + 100 + 10) / 4, (15 + 45 + 50 + 100) / 4]
    np.testing.assert_allclose(pf["attractiveness"], att, rtol=EXACT)
    # satisfaction: mean 214/3, spread 5 -> 50 + 10 (x - 71.33) = 136.7, -23.3, 36.67
    # -> clipped 100, 0, 36.67; gap: mean -2, spread 5 -> 50, 130, -30 -> 50, 100, 0
    abil = [(100 + 50) / 2, (0 + 100) / 2, (50 + 10 * (70 - 214 / 3) + 0) / 2]
    np.testing.assert_allclose(pf["ability"], abil, rtol=EXACT)
    # 43.75 / 75: (medium, high) invest; 46.25 / 50: (medium, medium) selective;
    # 52.5 / 18.33: (medium, low) harvest
    assert list(pf["recommendation"]) == ["invest", "selective", "harvest"]
    assert list(pf.sort_values("attractiveness", ascending=False).index) == list(
        st.segment_portfolio(prof).index
    )


def test_portfolio_clips_and_missing_measures():
    # margins 0 and 40: mean 20, spread 10 -> -50 and 150, clipped to 0 and 100
    pf = st.segment_portfolio(
        _profile(margin=[0.0, 40.0]), attractiveness_weights={"margin": 1.0}
    ).sort_index()
    np.testing.assert_allclose(pf["attractiveness"], [0.0, 100.0], rtol=EXACT)
    # growth missing for both: left out, the other three measures (all at the mean) give 50
    pf = st.segment_portfolio(_profile(growth=[np.nan, np.nan]))
    np.testing.assert_allclose(pf["attractiveness"], [50.0, 50.0], rtol=EXACT)
    with pytest.raises(ValueError, match="attractiveness_weights"):
        st.segment_portfolio(_profile(growth=[1.0, 2.0]), attractiveness_weights={"size": 1.0})
    with pytest.raises(ValueError, match="ability_weights"):
        st.segment_portfolio(
            _profile(growth=[1.0, 2.0]), ability_weights={"satisfaction_index": -1.0}
        )
    with pytest.raises(ValueError, match="spreads"):
        st.segment_portfolio(_profile(growth=[1.0, 2.0]), spreads={"growth": 0.0})


def test_direction_rule_of_thumb_and_boundaries():
    # four segments: average share 25 %; boundary values on every rule
    prof = _profile(
        size_share=[25.0, 40.0, 15.0, 20.0],
        relative_revenue=[1.0, 0.9, 1.2, 1.19],
        competitive_gap=[-2.5, -2.4, -20.0, -20.0],
    )
    d = st.segment_direction(prof)
    # s0: share 25 = average -> high volume; gap -2.5 -> large (default 2.5): innovation
    # s1: high volume, gap -2.4 -> not large: incremental
    # s2: low volume, relative revenue 1.2 -> premium: incremental despite the gap
    # s3: low volume, 1.19 -> not premium, large gap: incremental (volume too small)
    assert list(d["high_volume"]) == [True, True, False, False]
    assert list(d["large_gap"]) == [True, False, True, True]
    assert list(d["premium"]) == [False, False, True, False]
    assert list(d["direction"]) == ["innovation", "incremental", "incremental", "incremental"]
    assert "major redesign" in d.loc["s0", "reason"] and "cut cost" in d.loc["s0", "reason"]
    assert "small refinements" in d.loc["s2", "reason"]
    assert d.loc["s0", "reason"].startswith("s0: innovation.")
    assert "2.5 points" in d.loc["s0", "reason"]
    assert "harvest" not in d.loc["s0", "reason"]
    # with the portfolio's recommendation, a harvest segment gets a caveat
    d = st.segment_direction(
        prof.assign(recommendation=["harvest", "invest", "invest", "invest"]), gap_threshold=5.0
    )
    assert d.loc["s0", "direction"] == "incremental"  # -2.5 is not large at 5 points
    assert "harvesting" in d.loc["s0", "reason"] and "harvest" not in d.loc["s1", "reason"]


def test_direction_without_competitor_and_premium_override():
    prof = _profile(
        size_share=[70.0, 30.0],
        competitive_gap=[np.nan, np.nan],
        satisfaction_index=[69.9, 70.0],
        premium=[None, True],
        relative_revenue=[1.5, 0.5],
    )
    d = st.segment_direction(prof)
    # no competitor data: satisfaction index < 70 is a large gap
    assert list(d["large_gap"]) == [True, False]
    assert list(d["premium"]) == [True, True]  # s0 by revenue, s1 by company.yaml
    assert list(d["direction"]) == ["innovation", "incremental"]
    assert "satisfaction index of 70" in d.loc["s0", "reason"]


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        (dict(gap_threshold=-1.0), ValueError),
        (dict(premium_ratio="1.2"), TypeError),
        (dict(low_satisfaction=float("inf")), TypeError),
    ],
)
def test_direction_bad_settings(kw, error):
    with pytest.raises(error):
        st.segment_direction(_profile(growth=[1.0, 2.0]), **kw)


# ---------------------------------------------------------------------------------
# analyse and headline on a small company
# ---------------------------------------------------------------------------------


def _company(seg_survey, seg_finance, goals, min_base=3):
    attrs = [
        SimpleNamespace(
            key="delivery",
            label="Delivery",
            column="delivery",
            competitor_column="delivery_competitor",
            scale_min=1,
            scale_max=5,
        ),
        SimpleNamespace(
            key="price",
            label="Price",
            column="price",
            competitor_column=None,
            scale_min=1,
            scale_max=5,
        ),
    ]
    profile = SimpleNamespace(goals=goals, segments={"A": {"growth": 2.0}, "B": {"growth": 6.0}})
    return SimpleNamespace(
        profile=profile,
        survey=seg_survey,
        finance=seg_finance,
        attributes=attrs,
        weights=None,
        min_base=min_base,
        scale=lambda col: (1, 5),
    )


def test_analyse_and_headline(seg_survey, seg_finance, matrix):
    goals = {
        "csi": _goal(baseline=50.0, target=70.0),
        "retention": _goal(kpi="retention_rate", baseline=80.0, target=90.0, owner="Sales"),
        "cost": _goal(
            perspective="financial",
            kpi="logistics_cost",
            baseline=100.0,
            target=90.0,
            current=99.0,
            direction="lower",
            owner="CFO",
            attributes=["delivery"],
            intent="cut_cost",
        ),
    }
    company = _company(seg_survey, seg_finance, goals, min_base=2)  # B's 2 are a base
    res = st.analyse(
        company, satisfaction={"satisfaction_index": 66.0}, priorities=matrix.loc[["delivery"]]
    )
    # csi from stage II: (66 - 50) / 20 = 0.8 -> at risk
    assert res.scorecard.loc["csi", "source"] == "stage II"
    np.testing.assert_allclose(res.scorecard.loc["csi", "attainment"], 0.8, rtol=EXACT)
    # retention 7 of 8 = 87.5 % -> (87.5 - 80) / 10 = 0.75; cost (100 - 99) / 10 = 0.1
    np.testing.assert_allclose(res.scorecard.loc["retention", "current"], 87.5, rtol=EXACT)
    # overall: (0.8 + 0.75 + 0.1) / 3 = 0.55
    np.testing.assert_allclose(res.overall_attainment, 0.55, rtol=EXACT)
    assert ("cost", "delivery", "conflict") in {
        (r.goal, r.attribute, r.severity) for r in res.conflicts.itertuples()
    }
    # attractiveness: size 50/50 -> 50 both; revenue share 400/14 and 1000/14 % (mean 50,
    # spread 50) -> 200/7 and 500/7; margin 20 and 50 (mean 35, spread 5) -> -100 and 200,
    # clipped to 0 and 100; growth 2 and 6 (mean 4, spread 2.5) -> 10 and 90
    # -> A (50 + 200/7 + 0 + 10) / 4, B (50 + 500/7 + 100 + 90) / 4
    # ability: index 75 vs 37.5 and gap 12.5 vs -37.5 are far beyond a spread: A 100, B 0
    pf = res.portfolio
    assert list(pf.index) == ["B", "A"]
    np.testing.assert_allclose(
        pf["attractiveness"], [(240 + 500 / 7) / 4, (60 + 200 / 7) / 4], rtol=EXACT
    )
    np.testing.assert_allclose(pf["ability"], [0.0, 100.0], rtol=EXACT)
    assert list(pf["recommendation"]) == ["selective", "selective"]  # (high, low), (low, high)
    # both hold 50 % of customers (= the average: high volume); B trails by 37.5 points
    assert res.direction.loc["B", "direction"] == "innovation"
    assert res.direction.loc["A", "direction"] == "incremental"
    assert bool(res.portfolio.loc["B", "small_base"]) is False
    assert set(res.direction.index) == {"A", "B"}
    assert "Innovation (major redesign to cut cost) for: B" in " ".join(st.summary_sentences(res))
    h = st.headline(res)
    json.dumps(h)  # JSON-safe
    assert h["goals"] == 3 and h["at_risk"] == 2 and h["off_track"] == 1
    assert h["conflicts"] == 1 and h["segments"] == 2
    assert h["overall_attainment"] == pytest.approx(0.55, rel=EXACT)
    assert h["target_segments"] == list(res.targets)


def test_analyse_uses_latest_wave(seg_survey, seg_finance):
    # the same six respondents in 2025, then in 2026 everyone answers overall = 5
    old = seg_survey.assign(wave="2025", overall=1.0, respondent_id=range(10, 16))
    new = seg_survey.assign(wave="2026", overall=5.0)
    sv = pd.concat([old, new], ignore_index=True)
    sv["wave"] = pd.Categorical(sv["wave"], categories=["2025", "2026"], ordered=True)
    with pytest.warns(OrientWarning, match="fewer than 3"):
        res = st.analyse(_company(sv, seg_finance, {"csi": _goal(baseline=50.0, target=90.0)}))
    # 2026 only: overall 5 on 1-5 -> index 100; both waves would give 50
    assert res.scorecard.loc["csi", "current"] == 100.0
    np.testing.assert_allclose(res.portfolio.loc["A", "satisfaction_index"], 100.0, rtol=EXACT)
    assert np.isnan(res.portfolio.loc["B", "satisfaction_index"])  # 2 of 3: no figure
    assert list(res.portfolio["n"].sort_index()) == [4, 2]
    assert any("2026" in n for n in res.notes)


def test_analyse_blank_and_unknown_segments(seg_survey, seg_finance):
    sv = pd.concat(
        [seg_survey, seg_survey.iloc[[0]].assign(respondent_id=99, segment="(no segment)")],
        ignore_index=True,
    )
    company = _company(sv, seg_finance, {}, min_base=2)
    company.profile.segments["C"] = {"growth": 1.0}  # not in the survey: a typo, say
    with pytest.warns(OrientWarning, match="not found in the survey: C"):
        res = st.analyse(company)
    assert sorted(res.portfolio.index) == ["A", "B"]
    assert any("without a segment" in n for n in res.notes)


def test_analyse_unknown_goal_attribute_and_no_segments(seg_survey, seg_finance):
    bad = {"g": _goal(attributes=["delivery", "speed"], intent="improve")}
    with pytest.raises(DataError, match="unknown attribute") as info:
        st.analyse(_company(seg_survey, seg_finance, bad))
    assert info.value.column == "goals.g.attributes[1]"
    company = _company(seg_survey.drop(columns="segment"), None, {})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = st.analyse(company)
    assert res.portfolio.empty and res.targets == ()
    assert any("segment" in n for n in res.notes)
    h = st.headline(res)
    assert h["overall_attainment"] is None and h["goals"] == 0
    json.dumps(h)
    with pytest.raises(TypeError, match="priorities"):
        st.analyse(company, priorities={"delivery": "improve"})
    with pytest.raises(TypeError, match="result"):
        st.headline({"goals": 1})


# ---------------------------------------------------------------------------------
# plots: what was drawn
# ---------------------------------------------------------------------------------


def test_scorecard_plot_draws_attainment_by_status():
    import matplotlib.colors as mcolors

    from orient.present import plots
    from orient.present.plots.common import description

    sc = st.goal_scorecard(
        _goals(
            a=_goal(kpi="a", current=69.0, label="Index"),  # 0.9 on track
            b=_goal(kpi="b", current=62.0, perspective="people"),  # 0.2 off track
            c=_goal(kpi="c", perspective="financial"),  # no data
        )
    )
    ax = plots.scorecard_plot(sc)
    bars = ax.patches
    # first goal on top: bars are drawn bottom-up (c, b, a)
    np.testing.assert_allclose([p.get_width() for p in bars], [0.0, 20.0, 90.0], rtol=EXACT)
    assert mcolors.to_hex(bars[2].get_facecolor()) == plots.PALETTE["good"]
    assert mcolors.to_hex(bars[1].get_facecolor()) == plots.PALETTE["bad"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[-1] == "Index (Customer; CEO)"
    assert any(t.get_text() == "no data" for t in ax.texts)
    assert ax.get_title() and "%" in ax.get_xlabel() and ax.get_ylabel()
    assert sorted(line.get_xdata()[0] for line in ax.lines) == [50.0, 90.0, 100.0]
    # the alt text counts the goals drawn by status and names them
    assert description(ax.figure) == (
        "Goal scorecard: attainment of the goals (3 in all); 1 on track (Index); 1 off track (b); "
        "1 no data (c)."
    )


def test_scorecard_plot_in_russian():
    from orient.present import plots
    from orient.present.plots.common import description

    sc = st.goal_scorecard(
        _goals(
            a=_goal(kpi="a", current=69.0, label="Индекс"),  # 0.9 on track
            c=_goal(kpi="c", perspective="financial", label="Маржа"),  # no data
        )
    )
    ax = plots.scorecard_plot(sc, language="ru")
    assert ax.get_title() == "Система целевых показателей"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "в графике",
        "под угрозой",
        "не выполняется",
        "нет данных",
    ]
    assert ax.get_legend().get_title().get_text() == "статус"
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Маржа (Финансы; CEO)",
        "Индекс (Клиенты; CEO)",
    ]
    assert [t.get_text() for t in ax.texts] == ["нет данных"]
    assert description(ax.figure) == (
        "Система целевых показателей: достижение целей (всего 2); в графике — 1 (Индекс); "
        "нет данных — 1 (Маржа)."
    )
    with pytest.raises(ValueError, match="language"):
        plots.scorecard_plot(sc, language="xx")


def test_segment_portfolio_plot_draws_each_segment():
    from matplotlib.figure import Figure

    from orient.present import plots
    from orient.present.plots.common import description

    prof = _profile(
        size_share=[60.0, 30.0, 10.0],
        revenue_share=[50.0, 20.0, 30.0],
        margin=[10.0, 30.0, 20.0],
        growth=[2.0, 2.0, 8.0],
        satisfaction_index=[80.0, 60.0, 70.0],
        competitive_gap=[-10.0, 10.0, 0.0],
        small_base=[False, False, True],
    )
    pf = st.segment_portfolio(prof)
    ax = plots.segment_portfolio_plot(pf)
    points = np.vstack([c.get_offsets() for c in ax.collections])
    np.testing.assert_allclose(points, pf[["ability", "attractiveness"]].to_numpy(), rtol=EXACT)
    texts = [t.get_text() for t in ax.texts]
    assert "s2 (small base)" in texts and "s0" in texts
    assert ax.get_title() and "0-100" in ax.get_xlabel() and "0-100" in ax.get_ylabel()
    # the alt text: each recommendation with the segments drawn in its colour
    expected = {
        r: [
            f"{pf.loc[s, 'label']} (small base)" if pf.loc[s, "small_base"] else pf.loc[s, "label"]
            for s in pf.index
            if pf.loc[s, "recommendation"] == r
        ]
        for r in ("invest", "selective", "harvest")
    }
    parts = "; ".join(f"{r}: {', '.join(v)}" for r, v in expected.items() if v)
    assert description(ax.figure) == (
        f"Segment portfolio by attractiveness and ability to satisfy: {parts}."
    )
    ru = plots.segment_portfolio_plot(pf, ax=Figure().add_subplot(), language="ru")
    assert "s2 (малая база)" in [t.get_text() for t in ru.texts]
    assert [t.get_text() for t in ru.get_legend().get_texts()] == [
        "инвестировать",
        "избирательно",
        "собирать урожай",
    ]
    assert ru.get_title().startswith("Портфель сегментов")
    # tick labels with the language's decimal separator
    ru.figure.canvas.draw()
    assert all("." not in t.get_text() for t in ru.get_xticklabels())
    assert description(ru.figure).startswith("Портфель сегментов по привлекательности")


# ---------------------------------------------------------------------------------
# company.yaml: the goals and segments sections, and the sample companies
# ---------------------------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "companies"


def _yaml_with(tmp_path, change):
    import shutil

    import yaml

    folder = tmp_path / "co"
    shutil.copytree(SAMPLES / "cobalt-software", folder)
    raw = yaml.safe_load((folder / "company.yaml").read_text(encoding="utf-8"))
    change(raw)
    (folder / "company.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("change", "path", "text"),
    [
        (lambda r: r["goals"]["nps"].pop("target"), "goals.nps.target", "required key missing"),
        (
            lambda r: r["goals"]["nps"].update(perspective="marketing"),
            "goals.nps.perspective",
            "customer",
        ),
        (lambda r: r["goals"]["nps"].update(target=-5.0), "goals.nps", "worse than baseline"),
        (lambda r: r["goals"]["nps"].update(weight=0), "goals.nps.weight", "greater than 0"),
        (lambda r: r["goals"]["nps"].update(bonus=1), "goals.nps.bonus", "unknown key"),
        (
            lambda r: r["goals"]["nps"].update(attributes=["speed"], intent="improve"),
            "goals",
            "goals.nps.attributes[0] names 'speed'",
        ),
        (lambda r: r["goals"]["nps"].update(attributes=["price"]), "goals.nps", "no intent"),
        (
            lambda r: r["segments"]["SMB"].update(revenue_share=140),
            "segments.SMB.revenue_share",
            "less than or equal to 100",
        ),
    ],
)
def test_company_yaml_stage_one_errors(tmp_path, change, path, text):
    import orient

    folder = _yaml_with(tmp_path, change)
    with pytest.raises(DataError, match=text.replace("[", r"\[").replace("]", r"\]")) as info:
        orient.load_company(folder)
    assert info.value.column == path
    assert info.value.file == "company.yaml"


@pytest.mark.parametrize(
    "slug", ["northsteel", "swiftpost", "harbour-mutual", "volta-motors", "cobalt-software"]
)
def test_sample_companies(slug):
    import orient

    company = orient.load_company(SAMPLES / slug)
    with warnings.catch_warnings():
        warnings.simplefilter("error", OrientWarning)  # no small segments in the samples
        res = st.analyse(company)
    sc = res.scorecard
    assert set(sc["perspective"]) == set(st.PERSPECTIVES)  # a balanced scorecard
    assert (sc["status"] != "no_data").all()
    # the customer KPIs come from the data, not from company.yaml
    assert set(sc.loc[sc["kpi"].isin(["satisfaction_index", "nps"]), "source"]) == {"survey"}
    assert set(sc.loc[sc["kpi"] == "retention_rate", "source"]) == {"finance"}
    np.testing.assert_allclose(res.portfolio["size_share"].sum(), 100.0, rtol=1e-12)
    np.testing.assert_allclose(res.portfolio["revenue_share"].sum(), 100.0, rtol=1e-12)
    assert res.portfolio["growth"].notna().all()
    assert res.direction["reason"].str.len().gt(50).all()
    json.dumps(st.headline(res))


def test_display_tables_and_sentences(seg_survey, seg_finance, matrix):
    goals = {
        "csi": _goal(baseline=50.0, target=70.0, label="Satisfaction"),
        "rev": _goal(
            perspective="financial",
            kpi="revenue_per_customer",
            baseline=150.0,
            target=200.0,
            owner="CFO",
            unit="EUR",
        ),
        "cost": _goal(
            perspective="financial",
            kpi="logistics_cost",
            baseline=100.0,
            target=90.0,
            current=99.0,
            direction="lower",
            owner="CFO",
            attributes=["delivery"],
            intent="cut_cost",
            label="Logistics cost",
        ),
    }
    with pytest.warns(OrientWarning):
        res = st.analyse(_company(seg_survey, seg_finance, goals), priorities=matrix)
    t = st.scorecard_table(res.scorecard).frame.set_index("Goal (unit)")
    assert list(t.columns) == [
        "Baseline",
        "Target value",
        "Current",
        "Source",
        "Attainment (%)",
        "Status",
    ]
    # revenue per customer: 1400 / 8 = 175 -> "175" (no decimal from 100); attainment
    # (175 - 150) / 50 = 50 %; the goal has no label: its key, with the KPI's unit
    assert t.loc["rev (EUR)", "Current"] == "175" and t.loc["rev (EUR)", "Baseline"] == "150"
    assert (
        t.loc["rev (EUR)", "Attainment (%)"] == "50" and t.loc["rev (EUR)", "Status"] == "at risk"
    )
    assert t.loc["rev (EUR)", "Source"] == "Finance data"
    assert t.loc["Logistics cost", "Status"] == "off track"  # (100 - 99) / 10 = 0.1
    assert t.loc["Logistics cost", "Source"] == "Company profile"
    g = st.goals_table(res.scorecard).frame.set_index("Goal")
    assert list(g.columns) == ["Perspective", "Owner", "Weight (%)"]
    assert g.loc["Logistics cost", "Perspective"] == "Financial"
    assert g.loc["Logistics cost", "Weight (%)"] == "33.3"  # 1 of 3 equal weights
    p = st.portfolio_table(res.portfolio, res.direction).frame.set_index("Segment")
    # B's 2 respondents are under the base of 3: no satisfaction figure, no large gap
    assert p.loc["B (small base)", "Direction"] == "Incremental improvement"
    assert p.loc["B (small base)", "Ability to satisfy (0-100)"] == "–"
    prof = st.segment_profile_table(res.portfolio)
    assert prof.frame.set_index("Segment").loc["B", "Respondents"] == "2 (small base)"
    assert any("Small base" in n for n in prof.notes)
    c = st.conflicts_table(res.conflicts, res.scorecard).frame
    assert list(c.columns) == ["Goal", "Severity", "Reason"]
    assert ("Logistics cost", "Conflict") in set(zip(c["Goal"], c["Severity"], strict=True))
    # the price attribute has no goal, nor do the people and process perspectives
    assert "The scorecard as a whole" in set(c["Goal"])
    text = " ".join(st.summary_sentences(res))
    # csi: overall mean 3.5 on 1-5 -> index 62.5 -> (62.5 - 50) / 20 = 0.625; rev 0.5;
    # cost 0.1 -> (0.625 + 0.5 + 0.1) / 3 = 0.408 -> "41%"
    assert "41% of the planned progress" in text
    assert "Logistics cost (CFO)" in text and "1 goal conflict" in text
    assert "Incremental improvement for every segment" in text  # B: a small base


def test_current_values_match_stage_two_latest_wave():
    # stage II computes its wave estimates with its own code (orient.satisfaction): the
    # latest wave's satisfaction index and NPS must equal stage I's current values
    import orient
    from orient import satisfaction

    if not hasattr(satisfaction, "analyse"):
        pytest.skip("stage II not available")
    company = orient.load_company(SAMPLES / "swiftpost")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        waves = satisfaction.analyse(company, n_boot=0).waves
    last = waves[waves["wave"] == waves["wave"].astype(str).max()].set_index("measure")
    kpis = st.analyse(company).kpis
    np.testing.assert_allclose(
        kpis.loc["satisfaction_index", "value"],
        last.loc["Satisfaction index", "estimate"],
        rtol=1e-10,
    )
    np.testing.assert_allclose(kpis.loc["nps", "value"], last.loc["NPS", "estimate"], rtol=1e-10)


# ---------------------------------------------------------------------------------
# the tables a reader sees, against the analysis numbers
# ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def swiftpost_result():
    import orient

    company = orient.load_company(SAMPLES / "swiftpost")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        return orient.stages.analyse(company, "strategy")


def _tables(res, language):
    return {
        "goals": st.goals_table(res.scorecard, language=language),
        "scorecard": st.scorecard_table(res.scorecard, language=language),
        "perspectives": st.perspectives_table(res.perspectives, language=language),
        "conflicts": st.conflicts_table(res.conflicts, res.scorecard, language=language),
        "incentives": st.incentives_table(res.incentives, res.scorecard, language=language),
        "profile": st.segment_profile_table(res.portfolio, language=language),
        "portfolio": st.portfolio_table(res.portfolio, res.direction, language=language),
    }


def test_tables_show_the_analysis_numbers(swiftpost_result):
    from orient.present.tables import Table

    res = swiftpost_result
    tables = _tables(res, "en")
    for name, table in tables.items():
        assert isinstance(table, Table), name
        assert table.caption and len(table) > 0, name
        assert not any("_" in str(c) for c in table.frame.columns), name
    sc = res.scorecard
    shown = tables["scorecard"].frame
    # one row per goal, in the scorecard's order; attainment as whole percent
    assert len(shown) == len(sc)
    for (_, goal), (_, row) in zip(sc.iterrows(), shown.iterrows(), strict=True):
        assert row["Goal (unit)"].startswith(goal["label"])
        assert row["Attainment (%)"] == f"{100 * goal['attainment']:.0f}"
    weights = tables["goals"].frame.set_index("Goal")["Weight (%)"]
    assert weights.to_dict() == {g["label"]: f"{100 * g['weight']:.1f}" for _, g in sc.iterrows()}
    # perspectives: the weight of the goals of each, summed from the scorecard itself
    persp = tables["perspectives"].frame.set_index("Perspective")
    share = 100 * sc[sc["perspective"] == "customer"]["weight"].sum()
    assert persp.loc["Customer", "Weight (%)"] == f"{share:.1f}"
    assert persp.loc["Customer", "Goals"] == str((sc["perspective"] == "customer").sum())
    # incentives: the share of customer goals of each owner, from the scorecard
    inc = tables["incentives"].frame.set_index("Owner")
    for owner, part in sc.groupby("owner"):
        customer = part.loc[part["perspective"] == "customer", "weight"].sum()
        expected = f"{100 * customer / part['weight'].sum():.0f}"
        assert inc.loc[owner, "Customer goals (% of the incentive)"] == expected
    # segments: revenue share and respondents of each, with the base in the caption
    pf = res.portfolio
    prof = tables["profile"].frame.set_index("Segment")
    for _, seg in pf.iterrows():
        assert prof.loc[seg["label"], "Revenue (%)"] == f"{seg['revenue_share']:.1f}"
        assert prof.loc[seg["label"], "Respondents"] == f"{seg['n']:,}"
    assert f"n = {pf['n'].sum():,} respondents" in tables["profile"].caption
    port = tables["portfolio"].frame.set_index("Segment")
    assert set(port["Recommendation"]) <= {"Invest", "Selective", "Harvest"}
    assert list(port["Attractiveness (0-100)"]) == [f"{v:.0f}" for v in pf["attractiveness"]]


def test_russian_tables_have_russian_headings_and_decimal_commas(swiftpost_result):
    import re

    res = swiftpost_result
    tables = _tables(res, "ru")
    for name, table in tables.items():
        for heading in table.frame.columns:
            assert re.search("[а-яё]", heading, re.IGNORECASE) or heading in ("KPI",), (
                name,
                heading,
            )
        assert re.search("[а-яё]", table.caption, re.IGNORECASE), name
    goals = tables["goals"].frame
    assert list(goals.columns) == ["Цель", "Перспектива", "Ответственный", "Вес, %"]
    # 0.1875 of the total weight -> "18,8" (decimal comma)
    assert goals.iloc[0]["Вес, %"] == "18,8"
    assert set(goals["Перспектива"]) == {"Клиенты", "Процессы", "Персонал", "Финансы"}
    progress = tables["scorecard"].frame
    assert progress.iloc[0][
        "Текущее значение"
    ] == f"{res.scorecard['current'].iloc[0]:.1f}".replace(".", ",")
    assert set(progress["Статус"]) <= {"в графике", "под угрозой", "не выполняется", "нет данных"}
    # thousands with a no-break space: revenue per customer 7,046 EUR
    assert "7\u00a0046" in set(progress["Текущее значение"])
    port = tables["portfolio"].frame
    assert set(port["Рекомендация"]) <= {"Инвестировать", "Избирательно", "Собирать урожай"}


def test_empty_and_bad_inputs_of_the_tables(swiftpost_result):
    res = swiftpost_result
    empty = st.conflicts_table(res.conflicts.iloc[0:0], res.scorecard)
    assert empty.empty and "(findings: 0)" in empty.caption
    with pytest.raises(ValueError, match="language"):
        st.scorecard_table(res.scorecard, language="xx")
    with pytest.raises(ValueError, match="attainment"):
        st.scorecard_table(res.scorecard.drop(columns="attainment"))


def test_small_base_segment_shows_no_satisfaction_figure(seg_survey, seg_finance, matrix):
    # B has 2 respondents, under the minimum base of 3: like stage II, stage I shows no
    # satisfaction index or gap for it (its 37.5 and -37.5 points), and the scores and
    # the direction rest on A alone
    company = _company(seg_survey, seg_finance, {}, min_base=3)
    with pytest.warns(OrientWarning, match="B have fewer than 3 respondents"):
        res = st.analyse(company, satisfaction={}, priorities=matrix.loc[["delivery"]])
    pf = res.portfolio
    assert bool(pf.loc["B", "small_base"]) is True
    assert np.isnan(pf.loc["B", "satisfaction_index"]) and np.isnan(pf.loc["B", "competitive_gap"])
    # A: mean(5, 4, 4, 3) = 4 -> 75; gap mean(1, 0, 1, 0) = 0.5 of 4 points -> 12.5
    np.testing.assert_allclose(pf.loc["A", ["satisfaction_index", "competitive_gap"]], [75.0, 12.5])
    # A alone is the mean it is scored against: ability 50; B has no ability score
    assert pf.loc["A", "ability"] == pytest.approx(50.0) and np.isnan(pf.loc["B", "ability"])
    assert pf.loc["B", "recommendation"] is None
    # with its own 37.5 points behind, B (50% of customers: high volume) was "innovation"
    assert res.direction.loc["B", "direction"] == "incremental"
    reason = res.direction.loc["B", "reason"]
    assert reason == (
        "B: incremental improvement. A high-volume segment (50% of customers), with too few "
        "respondents (2) to show its satisfaction: so few answers are no basis for a major "
        "redesign."
    )
    assert "37.5" not in reason and "trailing" not in reason and "large gap is" not in reason
    table = st.segment_profile_table(pf).frame.set_index("Segment")
    assert table.loc["B", "Satisfaction index (0-100)"] == "–"
    assert table.loc["B", "Gap to competitor (points)"] == "–"
    assert table.loc["Alpha" if "Alpha" in table.index else "A", "Satisfaction index (0-100)"] == (
        "75.0"
    )
    ru = st.segment_direction(pf, language="ru").loc["B", "reason"]
    assert "слишком мало респондентов (2), чтобы показать удовлетворённость" in ru


def test_goals_that_moved_the_wrong_way_are_said_not_hidden_in_a_zero():
    from orient.report import render

    goals = _goals(
        a=_goal(kpi="a", current=49.4, weight=1.0, label="Loyalty"),  # (49.4-60)/10 = -1.06
        b=_goal(kpi="b", current=-8.3, weight=1.0, label="Response"),  # (-8.3-60)/10 = -6.83
    )
    sc = st.goal_scorecard(goals)
    np.testing.assert_allclose(sc["attainment"], [-1.06, -6.83], rtol=1e-9)
    att = st.overall_attainment(sc)
    assert att == 0.0  # each capped to 0, as documented
    empty = pd.DataFrame()
    res = StrategyResult(sc, st.perspective_summary(sc), att, *(empty,) * 5)
    for language, words in (
        ("en", ("wrong way counts as 0", "Loyalty -106%", "Response -683%")),
        ("ru", ("не в ту сторону", "Loyalty -106%", "Response -683%")),
    ):
        text = " ".join(st.summary_sentences(res, language)).replace("\u2212", "-")
        assert all(w in text for w in words), text
    h = st.headline(res)
    assert h["overall_attainment"] == 0.0 and h["wrong_way"] == 2
    summary = {"stages": {"strategy": {"headline": {**h, "target_segments": ["A"]}}}}
    en = " ".join(render._findings(summary, "en", {}))
    assert "0% attained, counting the 2 goals that moved the wrong way as 0" in en
    ru = " ".join(render._findings(summary, "ru", {}))
    assert "если считать нулём 2 цели, сдвинувшихся не в ту сторону" in ru
    # a goal on its way is not named
    ok = st.goal_scorecard(_goals(a=_goal(kpi="a", current=65.0, label="Loyalty")))
    res = StrategyResult(ok, st.perspective_summary(ok), 0.5, *(empty,) * 5)
    assert "wrong way" not in " ".join(st.summary_sentences(res, "en"))
    assert st.headline(res)["wrong_way"] == 0


def _north_south() -> pd.DataFrame:
    """Two segments without competitor ratings: North 40% at 70.2, South 60% at 64.2."""
    return pd.DataFrame(
        {
            "label": ["North", "South"],
            "size_share": [40.0, 60.0],
            "relative_revenue": [np.nan, np.nan],
            "satisfaction_index": [70.2, 64.2],
            "competitive_gap": [np.nan, np.nan],
        },
        index=pd.Index(["N", "S"], name="segment"),
    )


def test_own_satisfaction_direction_states_the_points_behind_the_best_segment():
    from orient.i18n import sentence

    profile = _north_south()
    d = st.segment_direction(profile)
    # South: 60 % >= 100 / 2 (high volume), 64.2 < 70 and not the best -> innovation
    assert d.loc["S", "direction"] == "innovation" and d.loc["N", "direction"] == "incremental"
    south = d.loc["S", "reason"]
    # 70.2 - 64.2 = 6.0 points: the number, no adjective the rule has no threshold for
    assert "satisfaction index of 64 out of 100, 6.0 points below the best-served" in south
    assert "the index is below 70 and another segment is better served" in south
    assert "gap is large" not in south
    assert "the best-served segment" in d.loc["N", "reason"]
    ru = st.segment_direction(profile, language="ru").loc["S", "reason"]
    assert "на 6,0 пунктов ниже, чем в лучше всего обслуживаемом сегменте" in ru
    for language in ("en", "ru"):
        rule = sentence("notebook.direction_rule_own", language)
        assert "70" in rule and "far less" not in rule and "намного" not in rule


def test_the_innovation_reason_quotes_the_threshold_the_rule_used():
    profile = _north_south()
    # 64.2 < 66 and South is not the best-served: innovation, and the 66 is what is said
    d = st.segment_direction(profile, low_satisfaction=66)
    assert d.loc["S", "direction"] == "innovation"
    assert "the index is below 66 and another segment is better served" in d.loc["S", "reason"]
    ru = st.segment_direction(profile, low_satisfaction=66, language="ru").loc["S", "reason"]
    assert "индекс ниже 66," in ru
    # 64.2 is not below 60: no innovation, so no threshold sentence at all
    d = st.segment_direction(profile, low_satisfaction=60)
    assert d.loc["S", "direction"] == "incremental" and "below 60" not in d.loc["S", "reason"]


def test_a_goal_past_its_target_is_said_to_count_as_its_target():
    goals = _goals(
        a=_goal(kpi="a", current=73.0, weight=1.0, label="Loyalty"),  # (73-60)/10 = 1.3
        b=_goal(kpi="b", current=65.0, weight=1.0, label="Response"),  # (65-60)/10 = 0.5
    )
    sc = st.goal_scorecard(goals)
    np.testing.assert_allclose(sc["attainment"], [1.3, 0.5], rtol=1e-9)
    att = st.overall_attainment(sc)
    assert att == pytest.approx((1.0 + 0.5) / 2)  # 1.3 counted as 1
    empty = pd.DataFrame()
    res = StrategyResult(sc, st.perspective_summary(sc), att, *(empty,) * 5)
    en = " ".join(st.summary_sentences(res, "en"))
    assert "75% of the planned progress" in en
    assert "a goal past its target counts as 100% here: Loyalty 130%" in en
    assert "Response" not in en.split("counts as 100% here:")[1].split(")")[0]
    ru = " ".join(st.summary_sentences(res, "ru"))
    assert "считается здесь за 100%: Loyalty 130" in ru
