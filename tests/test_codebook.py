"""The survey codebook as real exports need it: per-column missing codes, a binary text
overall, several segment variables, contradictions refused, the analysis settings.

Every expected number is counted by hand from the small survey written in the test."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

import orient
from orient import DataError
from orient.data import profile as profile_module
from orient.data.company import left_out_summary, load_profile
from orient.satisfaction.display import segments_table

# an airline-like survey: items 0-5 where 0 = not applicable, the overall item as text
AIR = """pid,Class,Type of Travel,Customer Type,wifi,food,seat,satisfaction
p1,Eco,Personal,Loyal,0,3,4,satisfied
p2,Business,Business,Loyal,5,0,5,Satisfied
p3,Eco,Business,disloyal,2,2,0,neutral or dissatisfied
p4,Eco,Personal,Loyal,1,4,2,Neutral  or Dissatisfied
p5,Business,Business,disloyal,4,5,5,satisfied
p6,Eco Plus,Personal,Loyal,3,1,1,neutral or dissatisfied
p7,Business,,Loyal,5,5,4,satisfied
p8,Eco,Business,disloyal,0,0,0,
"""


def repeated(k: int = 5) -> str:
    """AIR with each respondent k times (ids p1_0, p1_1, ...): the same shares, k times the n."""
    head, *rows = AIR.strip().split("\n")
    out = [head] + [r.replace(",", f"_{j},", 1) for j in range(k) for r in rows]
    return "\n".join(out) + "\n"


def air_profile(**survey) -> dict:
    sv = {
        "file": "survey.csv",
        "id": "pid",
        "segment": ["Class", "Type of Travel", "Customer Type"],
        "scale": {"min": 1, "max": 5},
        "overall": "satisfaction",
        "overall_scale": {
            "min": 0,
            "max": 1,
            "labels": {"satisfied": 1, "neutral or dissatisfied": 0},
        },
        "attribute_missing_codes": [0],
        "attributes": {k: {"label": k.title(), "own": k} for k in ("wifi", "food", "seat")},
    }
    sv.update(survey)
    return {"name": "Air", "survey": sv}


def make(tmp_path: Path, profile: dict, survey: str = AIR) -> Path:
    folder = tmp_path / "air"
    folder.mkdir(exist_ok=True)
    (folder / "company.yaml").write_text(yaml.safe_dump(profile, sort_keys=False), "utf-8")
    (folder / "survey.csv").write_text(survey, "utf-8")
    return folder


def raises(tmp_path, profile, survey=AIR) -> DataError:
    with pytest.raises(DataError) as info:
        orient.load_company(make(tmp_path, profile, survey))
    return info.value


# --- 1. missing codes per column ---------------------------------------------------------


def test_attribute_missing_codes_blank_the_attributes_not_the_overall(tmp_path):
    c = orient.load_company(make(tmp_path, air_profile()))
    s = c.survey
    # p8 has no overall answer: left out; the other 7 kept (overall 0 is a rating here)
    assert list(s["respondent_id"]) == [f"p{i}" for i in range(1, 8)]
    assert list(s["overall"]) == [1, 1, 0, 0, 1, 0, 1]
    # 0 = not applicable on the items (hand: p1 wifi, p2 food, p3 seat)
    assert np.isnan(s["wifi"][0]) and s["wifi"][1:].tolist() == [5, 2, 1, 4, 3, 5]
    assert np.isnan(s["food"][1]) and np.isnan(s["seat"][2])
    assert c.left_out.to_dict("records") == [
        {
            "file": "survey.csv",
            "row": 9,
            "column": "satisfaction",
            "reason": "no overall satisfaction rating",
        }
    ]


def test_global_missing_codes_keep_their_scope_and_say_why_rows_go(tmp_path):
    # the global key blanks EVERY rating column, the overall item included: the three
    # respondents whose overall is 0 ("neutral or dissatisfied") are left out, by code
    # (codes are answers as the file writes them: here the overall item as numbers 0/1)
    numeric = AIR
    for label, code in (("neutral or dissatisfied", "0"), ("Neutral  or Dissatisfied", "0")):
        numeric = numeric.replace("," + label, "," + code)
    numeric = numeric.replace(",satisfied", ",1").replace(",Satisfied", ",1")
    prof = air_profile(missing_codes=[0])
    del prof["survey"]["attribute_missing_codes"]
    c = orient.load_company(make(tmp_path, prof, numeric))
    assert list(c.survey["respondent_id"]) == ["p1", "p2", "p5", "p7"]
    summary = left_out_summary(c).set_index("reason")
    assert summary.loc["overall satisfaction is the missing code 0", "rows"] == 3
    assert summary.loc["overall satisfaction is the missing code 0", "first_row"] == 4
    assert summary.loc["no overall satisfaction rating", "rows"] == 1
    assert len(c.left_out) == 8 - len(c.survey)


def test_item_missing_codes_apply_to_their_column_only(tmp_path):
    prof = air_profile(item_missing_codes={"wifi": [0]})
    del prof["survey"]["attribute_missing_codes"]
    prof["survey"]["scale"] = {"min": 0, "max": 5}
    s = orient.load_company(make(tmp_path, prof)).survey
    assert np.isnan(s["wifi"][0])
    assert s["food"][1] == 0 and s["seat"][2] == 0  # not coded: 0 is a rating


def test_item_missing_codes_must_name_a_rating_column(tmp_path):
    err = raises(tmp_path, air_profile(item_missing_codes={"Class": [0]}))
    assert "item_missing_codes" in str(err) and "'Class'" in str(err)


# --- 2. an overall item given as text -----------------------------------------------------


def test_unknown_overall_label_names_file_column_row_and_labels(tmp_path):
    text = AIR.replace(
        "p6,Eco Plus,Personal,Loyal,3,1,1,neutral or dissatisfied", "p6,E,P,L,3,1,1,meh"
    )
    err = raises(tmp_path, air_profile(), text)
    msg = str(err)
    assert err.file == "survey.csv" and err.column == "satisfaction" and err.row == 7
    assert "'satisfied'" in msg and "'neutral or dissatisfied'" in msg


def test_binary_overall_gives_the_share_satisfied_not_a_mean_in_points(tmp_path):
    c = orient.load_company(make(tmp_path, air_profile(), repeated()))
    r = orient.satisfaction.analyse(c, n_boot=0)
    ind = r.indices.set_index("measure")
    # 4 of the 7 kept respondents are satisfied (hand)
    assert ind.loc["Overall satisfaction, satisfied %", "estimate"] == pytest.approx(400 / 7)
    assert ind.loc["Satisfaction index", "estimate"] == pytest.approx(400 / 7)
    assert not any("mean" in m or "box" in m for m in ind.index)
    head = orient.satisfaction.headline(r)
    assert head["mean_overall"] is None and head["top2box"] is None


def test_binary_overall_drivers_say_no_r2_sentence():
    rng = np.random.default_rng(3)
    n = 400
    x = rng.integers(1, 6, (n, 3))
    y = (x @ [1.0, 0.5, 0.2] + rng.normal(0, 1.5, n) > 8.5).astype(int)
    rows = ["pid,a,b,c,sat"] + [
        f"r{i},{a},{b},{cc},{v}" for i, ((a, b, cc), v) in enumerate(zip(x, y, strict=True))
    ]
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        prof = {
            "name": "Bin",
            "survey": {
                "id": "pid",
                "overall": "sat",
                "overall_scale": {"min": 0, "max": 1},
                "attributes": {k: {"label": k, "own": k} for k in "abc"},
            },
        }
        c = orient.load_company(make(Path(tmp), prof, "\n".join(rows) + "\n"))
        r = orient.stages.analyse(c, "priorities", n_boot=0)
    assert r.drivers.attrs["outcome"] == "binary"
    assert not any("explain" in s for s in r.sentences)
    assert r.drivers["share"].idxmax() == "a"


def test_many_attributes_on_a_binary_overall_are_sampled_not_refused(tmp_path):
    prof = air_profile()
    prof["survey"]["attributes"] = {f"q{i}": {"label": f"Q{i}", "own": f"q{i}"} for i in range(16)}
    assert len(load_profile(make(_dir(tmp_path, "a"), prof)).survey.attributes) == 16
    # the linear probability model has the continuous limit (22 attributes)
    prof["survey"]["attributes"] = {f"q{i}": {"label": f"Q{i}", "own": f"q{i}"} for i in range(23)}
    prof["analysis"] = {"binary_method": "lpm"}
    with pytest.raises(DataError) as info:
        load_profile(make(_dir(tmp_path, "b"), prof))
    assert "relative_weights" in str(info.value) and "22" in str(info.value)
    prof["analysis"] = {"binary_method": "probit"}
    with pytest.raises(DataError) as info:
        load_profile(make(_dir(tmp_path, "c"), prof))
    assert "logit" in str(info.value) and "lpm" in str(info.value)


# --- 3. several segment variables ----------------------------------------------------------


def test_segment_variables_keep_their_columns(tmp_path):
    c = orient.load_company(make(tmp_path, air_profile()))
    s = c.survey
    assert list(s["segment"]) == [
        "Eco",
        "Business",
        "Eco",
        "Eco",
        "Business",
        "Eco Plus",
        "Business",
    ]
    assert list(s["Class"]) == list(s["segment"])
    assert s["Type of Travel"].tolist()[6] == orient.data.survey.NO_SEGMENT  # p7 blank
    assert s["Customer Type"].tolist() == [
        "Loyal",
        "Loyal",
        "disloyal",
        "Loyal",
        "disloyal",
        "Loyal",
        "Loyal",
    ]
    assert c.segments == ["Business", "Eco", "Eco Plus"]


def test_single_segment_string_still_works(tmp_path):
    c = orient.load_company(make(tmp_path, air_profile(segment="Customer Type")))
    assert "segment" in c.survey.columns and "Customer Type" in c.survey.columns
    assert "Class" not in c.survey.columns


def test_satisfaction_by_each_segment_variable(tmp_path):
    c = orient.load_company(make(tmp_path, air_profile(), repeated()))
    r = orient.satisfaction.analyse(c, n_boot=0, min_base=1)
    assert list(r.by_segment) == ["Class", "Type of Travel", "Customer Type"]
    assert r.by_segment["Class"] is r.segments
    t = r.by_segment["Customer Type"]
    idx = t[t.measure == "Satisfaction index"].set_index("segment")
    # hand: Loyal p1 p2 p4 p6 p7 -> 3 of 5 satisfied; disloyal p3 p5 -> 1 of 2
    assert idx.loc["Loyal", "n"] == 25 and idx.loc["Loyal", "estimate"] == pytest.approx(60)
    assert idx.loc["disloyal", "estimate"] == pytest.approx(50)
    table = segments_table(r, variable="Customer Type")
    assert "Customer Type" in str(table.caption)
    with pytest.raises(ValueError, match="segment variable"):
        segments_table(r, variable="Nope")


# --- 4. contradictions refused -------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"paths": [["service", "satisfaction"]]}, ["paths", "constructs"]),
        ({"weight": "Class"}, ["'Class'", "survey.weight", "survey.segment[0]"]),
        (
            {
                "loyalty": {"repurchase": "seat"},
                "attributes": {"wifi": {"label": "W", "own": "wifi"}},
            },
            [],
        ),
        ({"segment": ["Class", "Class"]}, ["twice"]),
    ],
)
def test_contradictory_codebooks_are_refused(tmp_path, change, words):
    prof = air_profile(**change)
    if "loyalty" in change:  # a satisfaction item that is the repurchase column
        prof["survey"]["satisfaction_items"] = ["satisfaction", "seat"]
        words = ["satisfaction_items[1]", "survey.loyalty.repurchase"]
    err = raises(tmp_path, prof)
    for w in words:
        assert w in str(err)


def test_attribute_column_used_twice(tmp_path):
    prof = air_profile()
    prof["survey"]["attributes"]["food"]["competitor"] = "wifi"
    err = raises(tmp_path, prof)
    assert "survey.attributes.wifi.own" in str(err) and "survey.attributes.food.competitor" in str(
        err
    )


# --- 5. the analysis settings ---------------------------------------------------------------


def test_driver_methods_agree_with_stage_three():
    from orient import priorities

    assert profile_module.DRIVER_METHODS == priorities.METHODS
    assert profile_module.BINARY_METHODS == priorities.BINARY_METHODS
    assert profile_module.EXACT_LIMITS == {
        "continuous": priorities.MAX_EXACT_DRIVERS,
        "binary": priorities.MAX_EXACT_DRIVERS_BINARY,
    }


def test_unknown_driver_method_lists_the_methods(tmp_path):
    prof = air_profile()
    prof["analysis"] = {"driver_method": "magic"}
    with pytest.raises(DataError) as info:
        load_profile(make(tmp_path, prof))
    assert info.value.column == "analysis.driver_method"
    for m in profile_module.DRIVER_METHODS:
        assert m in str(info.value)


def test_analysis_settings_and_confidence_reach_stage_three(tmp_path):
    rng = np.random.default_rng(5)
    n = 200
    x = rng.integers(1, 6, (n, 3))
    y = np.clip(np.round(x.mean(1) + rng.normal(0, 0.7, n)), 1, 5).astype(int)
    rows = ["pid,a,b,c,sat"] + [
        f"r{i},{a},{b},{cc},{v}" for i, ((a, b, cc), v) in enumerate(zip(x, y, strict=True))
    ]
    prof = {
        "name": "Set",
        "survey": {
            "id": "pid",
            "overall": "sat",
            "attributes": {k: {"label": k, "own": k} for k in "abc"},
        },
        "analysis": {"driver_method": "beta", "bootstrap": 20, "seed": 7},
        "reporting": {"confidence": 0.9},
    }
    c = orient.load_company(make(tmp_path, prof, "\n".join(rows) + "\n"))
    r = orient.stages.analyse(c, "priorities")
    a = r.drivers.attrs
    assert (a["method"], a["n_boot"], a["confidence"]) == ("beta", 20, 0.9)
    # beta = standardised OLS coefficients, computed independently with numpy
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    zy = (y - y.mean()) / y.std(ddof=1)
    beta = np.linalg.lstsq(np.c_[np.ones(n), z], zy, rcond=None)[0][1:]
    assert r.drivers.loc[list("abc"), "importance"].to_numpy() == pytest.approx(
        np.abs(beta), abs=1e-9
    ) or (r.drivers.loc[list("abc"), "importance"].to_numpy() == pytest.approx(beta, abs=1e-9))
    # an explicit option wins over company.yaml
    assert (
        orient.stages.analyse(c, "priorities", method="correlation").drivers.attrs["method"]
        == "correlation"
    )
    # the dependent stages' stage III uses the method too (no bootstrap)
    up = orient.stages.upstream(c, "implementation")["priorities"]
    assert (up.drivers.attrs["method"], up.drivers.attrs["n_boot"]) == ("beta", 0)
    assert orient.stages.settings(c, "satisfaction") == {}


def test_analysis_bootstrap_must_be_a_count(tmp_path):
    prof = air_profile()
    prof["analysis"] = {"bootstrap": -1}
    with pytest.raises(DataError) as info:
        load_profile(make(tmp_path, prof))
    assert info.value.column == "analysis.bootstrap"


def test_validate_overview_names_each_segment_variable(tmp_path):
    from orient.data.company import overview

    c = orient.load_company(make(tmp_path, air_profile()))
    table = dict(overview(c).itertuples(index=False, name=None))
    assert table["Segments: Class"].startswith("Business (n = 3), Eco (n = 3)")
    assert table["Segments: Customer Type"] == "Loyal (n = 5), disloyal (n = 2)"


def test_explorer_offers_the_share_satisfied_on_a_binary_overall(tmp_path):
    from orient.present.widgets.satisfaction import satisfaction_view

    c = orient.load_company(make(tmp_path, air_profile(), repeated()))
    view = satisfaction_view(c, "top2")
    assert view.estimate.value == pytest.approx(400 / 7)  # 4 of 7 satisfied (hand)
    with pytest.raises(ValueError):
        satisfaction_view(c, "mean")


def _dir(root, name):
    (root / name).mkdir()
    return root / name
