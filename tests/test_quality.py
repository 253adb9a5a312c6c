"""Tests of orient.operations.quality against R qcc's published output and textbook formulas.

R qcc reference numbers are from qcc's vignette "A quick tour of qcc" (qcc 3.0,
L. Scrucca), run on the data sets shipped with qcc (Montgomery's examples). qcc
reads d2 from a table rounded to three decimals (d2(2) = 1.128, d2(5) = 2.326);
orient computes it by integration (1.1283792, 2.3259289), so where the rounding
shows, the test reproduces qcc exactly with qcc's constant and checks orient's own
value to the rounding (rtol 5e-5).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from _real import real_data, require
from scipy import stats

from orient.operations import quality

_real = real_data


QCC = _real("qcc")
ROUNDING = 5e-5  # relative effect of qcc's 3-decimal d2(5) table value (2.326 vs 2.3259289)
ROUNDING_2 = 4e-4  # and of d2(2) (1.128 vs 1.1283792)
PRINTED = 1e-6  # qcc prints 7 significant digits


def read(name: str) -> pd.DataFrame:
    f = QCC / f"{name}.txt"
    require(f, "the R qcc data sets")
    return pd.read_csv(f, sep=r"\s+")


# --- constants -----------------------------------------------------------------------------


def test_constants_closed_forms_for_pairs():
    # n = 2: the range is |X1 - X2| ~ half-normal with sd sqrt(2)
    assert quality.d2(2) == pytest.approx(2 / math.sqrt(math.pi), rel=1e-10)
    assert quality.d3(2) == pytest.approx(math.sqrt(2 - 4 / math.pi), rel=1e-8)
    assert quality.c4(2) == pytest.approx(math.sqrt(2 / math.pi), rel=1e-12)


@pytest.mark.parametrize(
    "n,d2,d3,c4",
    [
        # Montgomery, Introduction to SQC, Appendix VI (factors for control charts)
        (3, 1.693, 0.888, 0.8862),
        (4, 2.059, 0.880, 0.9213),
        (5, 2.326, 0.864, 0.9400),
        (6, 2.534, 0.848, 0.9515),
        (10, 3.078, 0.797, 0.9727),
        (15, 3.472, 0.756, 0.9823),
        (25, 3.931, 0.708, 0.9896),
    ],
)
def test_constants_against_printed_table(n, d2, d3, c4):
    assert quality.d2(n) == pytest.approx(d2, abs=5e-4)
    assert quality.d3(n) == pytest.approx(d3, abs=5e-4)
    assert quality.c4(n) == pytest.approx(c4, abs=5e-5)


def test_constants_by_simulation():
    # brute force: ranges of 400 000 samples of 5 standard normals, fixed seed
    rng = np.random.default_rng(7)
    x = rng.standard_normal((400_000, 5))
    r = np.ptp(x, axis=1)
    assert quality.d2(5) == pytest.approx(r.mean(), abs=0.005)
    assert quality.d3(5) == pytest.approx(r.std(), abs=0.005)
    assert quality.c4(5) == pytest.approx(x.std(axis=1, ddof=1).mean(), abs=0.002)


# --- variables charts ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def pistonrings():
    return read("pistonrings").rename(columns={"diameter": "value", "sample": "subgroup"})


def test_pistonrings_xbar_r(pistonrings):
    xbar, r = quality.control_chart(pistonrings, "xbar_r", trial="trial")
    # R qcc: qcc(diameter[1:25,], type="xbar", newdata=diameter[26:40,])
    #   center 74.00118, std.dev 0.009785039, LCL 73.98805, UCL 74.0143
    assert xbar.center == pytest.approx(74.00118, abs=5e-6)
    assert 0.02276 / 2.326 == pytest.approx(0.009785039, rel=PRINTED)  # qcc's rounded d2
    assert xbar.sigma == pytest.approx(0.009785039, rel=ROUNDING)
    assert xbar.lcl == pytest.approx(73.98805, abs=5e-6)
    assert xbar.ucl == pytest.approx(74.0143, abs=5e-5)
    assert xbar.n_trial == 25 and (xbar.points["phase"] == "II").sum() == 15
    # R qcc: qcc(diameter[1:25,], type="R"): center 0.02276, LCL 0, UCL 0.04812533
    assert r.center == pytest.approx(0.02276, rel=1e-10)
    assert r.lcl == 0
    assert r.ucl == pytest.approx(0.04812533, rel=ROUNDING)
    # qcc's plot flags phase II samples 37, 38, 39 beyond the limits
    beyond = xbar.points.loc[xbar.points["beyond_limits"], "subgroup"].tolist()
    assert beyond == [37, 38, 39]


def test_pistonrings_xbar_s(pistonrings):
    xbar, s = quality.control_chart(pistonrings, "xbar_s", trial="trial")
    # R qcc: qcc(diameter[1:25,], type="S"): center 0.009240037, std.dev 0.009829977,
    #   LCL 0, UCL 0.01930242 (c4 is exact in qcc, so these agree to printed digits)
    assert s.center == pytest.approx(0.009240037, rel=PRINTED)
    assert s.sigma == pytest.approx(0.009829977, rel=PRINTED)
    assert s.ucl == pytest.approx(0.01930242, rel=PRINTED)
    # textbook: xbar limits with sigma = sbar / c4
    assert xbar.ucl == pytest.approx(74.00118 + 3 * 0.009829977 / math.sqrt(5), abs=5e-6)


def test_individuals_chart_qcc_vignette():
    # qcc vignette, Montgomery p. 242 viscosity: qcc(x, type="xbar.one")
    #   center 33.52333, std.dev 0.4261651, LCL 32.24484, UCL 34.80183
    x = [
        33.75,
        33.05,
        34,
        33.81,
        33.46,
        34.02,
        33.68,
        33.27,
        33.49,
        33.20,
        33.62,
        33.00,
        33.54,
        33.12,
        33.84,
    ]
    i, mr = quality.control_chart(pd.DataFrame({"value": x}), "i_mr")
    assert i.center == pytest.approx(33.52333, abs=5e-6)
    mr_bar = np.mean(np.abs(np.diff(x)))
    assert mr_bar / 1.128 == pytest.approx(0.4261651, rel=PRINTED)  # qcc's rounded d2(2)
    assert i.sigma == pytest.approx(0.4261651, rel=ROUNDING_2)
    assert i.lcl == pytest.approx(32.24484, rel=ROUNDING_2)
    assert i.ucl == pytest.approx(34.80183, rel=ROUNDING_2)
    # MR chart: centre MRbar, UCL D4(2) MRbar with D4(2) = 1 + 3 d3/d2 = 3.267 (table)
    assert mr.center == pytest.approx(mr_bar, rel=1e-12)
    assert mr.ucl == pytest.approx(3.267 * mr_bar, rel=2e-4)


def test_viscosity_file_i_mr_phase_one_and_two():
    v = read("viscosity").rename(columns={"batch": "subgroup", "viscosity": "value"})
    i, mr = quality.control_chart(v, "i_mr", trial="trial")
    trial = v.loc[v["trial"], "value"].to_numpy()
    # hand calculation: centre = mean of the 20 trial batches, sigma = MRbar / d2(2)
    mr_bar = np.mean(np.abs(np.diff(trial)))
    assert i.center == pytest.approx(trial.mean(), rel=1e-12)
    assert i.sigma == pytest.approx(mr_bar / (2 / math.sqrt(math.pi)), rel=1e-10)
    assert i.ucl == pytest.approx(trial.mean() + 3 * mr_bar / (2 / math.sqrt(math.pi)))
    assert (i.points["phase"] == "II").sum() == 15


# --- attribute charts ---------------------------------------------------------------------


def test_orangejuice_p_np_and_revised_limits():
    oj = read("orangejuice").rename(columns={"sample": "subgroup"})
    (p,) = quality.control_chart(oj, "p", count="D", size="size", trial="trial")
    # R qcc: qcc(D[trial], sizes=size[trial], type="p"):
    #   center 0.2313333, LCL 0.05242755, UCL 0.4102391
    assert p.center == pytest.approx(0.2313333, abs=5e-8)
    assert p.lcl == pytest.approx(0.05242755, rel=PRINTED)
    assert p.ucl == pytest.approx(0.4102391, rel=PRINTED)
    phase1_out = p.points.query("phase == 'I' and beyond_limits")["subgroup"].tolist()
    assert phase1_out == [15, 23]  # Montgomery: new cardboard batch, new operator
    (npc,) = quality.control_chart(oj, "np", count="D", size="size", trial="trial")
    # R qcc: type="np": center 11.56667, LCL 2.621377, UCL 20.51196
    assert (npc.center, npc.lcl, npc.ucl) == pytest.approx(
        (11.56667, 2.621377, 20.51196), rel=PRINTED
    )
    (rev,) = quality.control_chart(oj, "p", count="D", size="size", trial="trial", exclude=[15, 23])
    # R qcc: qcc(D[inc], sizes=size[inc], type="p", newdata=D[!trial], ...):
    #   center 0.215, LCL 0.04070284, UCL 0.3892972
    assert rev.center == pytest.approx(0.215, rel=1e-12)
    assert (rev.lcl, rev.ucl) == pytest.approx((0.04070284, 0.3892972), rel=PRINTED)
    assert rev.n_trial == 28


def test_orangejuice2_phase_two():
    oj2 = read("orangejuice2").rename(columns={"sample": "subgroup"})
    (p,) = quality.control_chart(oj2, "p", count="D", size="size", trial="trial")
    # R qcc: center 0.1108333, LCL 0, UCL 0.2440207 for 40 new samples
    assert p.center == pytest.approx(0.1108333, abs=5e-8)
    assert p.lcl == 0 and p.ucl == pytest.approx(0.2440207, rel=PRINTED)
    assert (p.points["phase"] == "II").sum() == 40


def test_circuit_c_and_u():
    cb = read("circuit").rename(columns={"sample": "subgroup"})
    (c,) = quality.control_chart(cb, "c", count="x", size="size", trial="trial")
    # R qcc: qcc(x[trial], sizes=size[trial], type="c"):
    #   center 19.84615, LCL 6.481447, UCL 33.21086
    assert (c.center, c.lcl, c.ucl) == pytest.approx((19.84615, 6.481447, 33.21086), rel=PRINTED)
    assert c.points.loc[c.points["beyond_limits"], "subgroup"].tolist() == [6, 20]
    (u,) = quality.control_chart(cb, "u", count="x", size="size", trial="trial", exclude=[6, 20])
    # R qcc: type="u" without samples 6 and 20: center 0.1966667, LCL 0.06362532, UCL 0.329708
    assert (u.center, u.lcl, u.ucl) == pytest.approx((0.1966667, 0.06362532, 0.329708), rel=PRINTED)
    (c2,) = quality.control_chart(cb, "c", count="x", size="size", trial="trial", exclude=[6, 20])
    # R qcc: center 19.66667, LCL 6.362532, UCL 32.9708
    assert (c2.center, c2.lcl, c2.ucl) == pytest.approx((19.66667, 6.362532, 32.9708), rel=PRINTED)


def test_p_chart_variable_sizes_hand_calculation():
    d = pd.DataFrame({"subgroup": [1, 2, 3], "defective": [5, 10, 2], "inspected": [50, 100, 25]})
    (p,) = quality.control_chart(d, "p")
    pbar = 17 / 175
    expected = pbar + 3 * np.sqrt(pbar * (1 - pbar) / np.array([50, 100, 25]))
    np.testing.assert_allclose(p.points["ucl"], expected, rtol=1e-12)


# --- run rules ----------------------------------------------------------------------------


def test_western_electric_rules_hand_made_sequences():
    z = [0.5, 3.2, 0.1, 2.5, -0.3, 2.1, 0, 0, 1.5, 1.2, -0.5, 1.1, 1.3, 0, 0, 0]
    we = quality.western_electric(z, rules=(1, 2, 3))
    assert we["rule_1"].tolist()[1] and we["rule_1"].sum() == 1
    # 2 of 3 beyond 2 sigma: (3.2, 0.1, 2.5) ends at 3 and (2.5, -0.3, 2.1) at 5
    assert np.flatnonzero(we["rule_2"]).tolist() == [3, 5]
    # 4 of 5 beyond 1 sigma on one side: 1.5, 1.2, -0.5, 1.1, 1.3 ends at index 12
    assert 12 in np.flatnonzero(we["rule_3"]).tolist()
    run = [0.2] * 7 + [-0.1] + [0.3] * 8
    w4 = quality.western_electric(run, rules=(4,))
    assert np.flatnonzero(w4["rule_4"]).tolist() == [15]
    assert quality.western_electric(run, rules=(4,), run_length=7)["rule_4"].sum() == 3


# --- capability ---------------------------------------------------------------------------


def test_capability_pistonrings_against_qcc(pistonrings):
    trial = pistonrings.loc[pistonrings["trial"], "value"]
    cap = quality.capability(trial, lsl=73.95, usl=74.05, sigma_within=0.02276 / 2.326)
    # R qcc: process.capability(q1, spec.limits=c(73.95, 74.05), target = 74.02) with
    #   Cp 1.7033 [1.4914, 1.9148], Cp_l 1.7433, Cp_u 1.6632, Cp_k 1.6632 [1.4481, 1.8783]
    assert cap.loc["cp", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [1.7033, 1.4914, 1.9148], abs=5e-5
    )
    assert cap.loc["cpl", "estimate"] == pytest.approx(1.7433, abs=1e-4)
    assert cap.loc["cpk", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [1.6632, 1.4481, 1.8783], abs=5e-5
    )
    # Cpm with the default target (midpoint 74): qcc 1.691 [1.480, 1.902]
    assert cap.loc["cpm", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [1.691, 1.480, 1.902], abs=5e-4
    )
    # Pp uses the overall standard deviation of the 125 values (hand calculation)
    assert cap.loc["pp", "estimate"] == pytest.approx(0.1 / (6 * trial.std(ddof=1)))


def test_capability_one_sided_and_checks():
    x = np.random.default_rng(3).normal(10, 1, 200)
    cap = quality.capability(x, usl=13)
    assert list(cap.index) == ["cpu", "cpk", "ppu", "ppk"]
    assert cap.loc["cpk", "estimate"] == pytest.approx((13 - x.mean()) / (3 * x.std(ddof=1)))
    with pytest.raises(ValueError, match="lsl"):
        quality.capability(x)
    with pytest.raises(ValueError, match="below"):
        quality.capability(x, lsl=5, usl=4)


# --- acceptance sampling ------------------------------------------------------------------


def binomial_pa(n, c, p):
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(c + 1))


def test_oc_curve_against_direct_sum_and_textbook():
    oc = quality.oc_curve(89, 2, p=[0.01, 0.02, 0.03, 0.04, 0.05, 0.06])
    # Montgomery, Introduction to SQC, Table 15.1 (n = 89, c = 2):
    #   0.9397 0.7366 0.4985 0.3042 0.1721 0.0919
    np.testing.assert_allclose(
        oc["pa"], [0.9397, 0.7366, 0.4985, 0.3042, 0.1721, 0.0919], atol=5e-5
    )
    np.testing.assert_allclose(oc["pa"], [binomial_pa(89, 2, p) for p in oc["p"]], rtol=1e-10)
    fin = quality.oc_curve(50, 1, p=[0.04], lot_size=500)
    # hypergeometric by direct counting: 20 defectives in a lot of 500
    direct = sum(math.comb(20, k) * math.comb(480, 50 - k) for k in range(2)) / math.comb(500, 50)
    assert fin["pa"].iloc[0] == pytest.approx(direct, rel=1e-10)
    assert fin["ati"].iloc[0] == pytest.approx(50 + (1 - direct) * 450)


def test_find_sampling_plan_is_smallest_by_brute_force():
    plan = quality.find_sampling_plan(0.01, 0.06, alpha=0.05, beta=0.10)
    # brute force over every (n, c) with n <= plan n
    best = None
    for n in range(1, 200):
        for c in range(n):
            if binomial_pa(n, c, 0.01) >= 0.95 and binomial_pa(n, c, 0.06) <= 0.10:
                best = (n, c)
                break
        if best:
            break
    assert (plan["n"], plan["c"]) == best
    assert plan["pa_aql"] >= 0.95 and plan["pa_ltpd"] <= 0.10


# --- analyse / headline -----------------------------------------------------------------------


def test_analyse_and_headline(pistonrings):
    meas = pistonrings.assign(characteristic="diameter")[
        ["subgroup", "characteristic", "value", "trial"]
    ]
    counts = pd.DataFrame(
        {
            "subgroup": range(1, 21),
            "inspected": 100,
            "defective": [3, 4, 2, 5, 3, 2, 4, 3, 14, 3, 2, 4, 3, 5, 2, 3, 4, 2, 3, 4],
        }
    )
    company = SimpleNamespace(
        quality=pd.concat([meas, counts], ignore_index=True),
        profile={
            "quality": {
                "characteristics": {"diameter": {"lsl": 73.95, "usl": 74.05}},
                "aql": 0.01,
                "ltpd": 0.06,
            }
        },
    )
    res = quality.analyse(company)
    s = res.summary.set_index(["characteristic", "chart"])
    assert s.loc[("diameter", "xbar"), "n_beyond"] == 3
    assert s.loc[("defective share", "p"), "n_beyond"] == 1  # the 14
    assert set(res.capability["index"]) >= {"cp", "cpk", "pp", "ppk"}
    h = quality.headline(res)
    import json

    json.dumps(h)
    assert h["charts"] == 3 and h["risk"] is not None and h["min_cpk"] > 1.5
    assert h["defective_share"] == pytest.approx(counts["defective"].sum() / 2000)
    assert (res.sampling_plan["n"], res.sampling_plan["c"]) == (110, 3)  # brute force below
    assert res.oc["pa"].iloc[0] == 1.0
    empty = quality.analyse(SimpleNamespace(quality=None, profile=None))
    assert empty.summary is None and quality.headline(empty)["risk"] is None


def test_argument_checks():
    d = pd.DataFrame({"subgroup": [1, 2], "value": [1.0, 2.0]})
    with pytest.raises(ValueError, match="chart"):
        quality.control_chart(d, "ewma")
    with pytest.raises(ValueError, match="i_mr"):
        quality.control_chart(d, "xbar_r")
    with pytest.raises(ValueError, match="below"):
        quality.oc_curve(5, 5)
    assert stats.norm.cdf(0) == 0.5


def test_plots_draw_what_they_show(pistonrings):
    import matplotlib.pyplot as plt

    from orient.present import plots

    xbar, _ = quality.control_chart(pistonrings, "xbar_r", trial="trial")
    ax = plots.control_chart_plot(xbar)
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), xbar.points["statistic"])
    flagged = ax.collections[0].get_offsets()
    assert len(flagged) == int(xbar.points["out_of_control"].sum())
    assert ax.get_xlabel() and ax.get_ylabel() == "X\u0304" and "X\u0304" in ax.get_title()
    assert any(t.get_text() == "phase II" for t in ax.texts)
    _, ax2 = plt.subplots()
    oc = quality.oc_curve(89, 2)
    plots.oc_curve_plot(oc, plan={"n": 89, "c": 2, "aql": 0.01, "ltpd": 0.06}, ax=ax2)
    np.testing.assert_allclose(ax2.get_lines()[0].get_ydata(), oc["pa"])
    assert "89" in ax2.get_title()


def test_key_figures_for_people():
    counts = pd.DataFrame(
        {"subgroup": range(1, 11), "inspected": 50, "defective": [2, 3, 1, 2, 4, 2, 3, 2, 1, 2]}
    )
    res = quality.analyse(SimpleNamespace(quality=counts, profile=None))
    kf = quality.key_figures(res)
    assert kf.loc["Defective share (centre line)", "value"] == "4.40%"
    assert kf.loc["Control charts drawn", "value"] == "1"
    assert quality.key_figures(quality.analyse(SimpleNamespace(quality=None, profile=None))).empty


def test_xbar_unequal_subgroup_sizes_qcc_vignette(pistonrings):
    # R qcc vignette: 12 readings removed, subgroups of 3, 4 and 5:
    #   qcc(diameter2[1:25,], type="xbar"): center 74.00075, std.dev 0.009856701,
    #   limits 73.98753 / 74.01398 (n = 5) and 73.98368 / 74.01782 (n = 3, subgroup 2)
    out = [9, 10, 30, 35, 45, 64, 65, 74, 75, 85, 99, 100]
    d = pistonrings.drop(index=[i - 1 for i in out])
    xbar, _ = quality.control_chart(d, "xbar_r", trial="trial")
    assert xbar.center == pytest.approx(74.00075, abs=5e-6)  # weighted by subgroup size
    g = d[d["trial"]].groupby("subgroup")["value"]
    table = {3: 1.693, 4: 2.059, 5: 2.326}  # qcc's rounded d2 for n = 3, 4, 5
    uwave = np.mean((g.max() - g.min()) / g.size().map(table))
    assert uwave == pytest.approx(0.009856701, rel=PRINTED)
    assert xbar.sigma == pytest.approx(0.009856701, rel=ROUNDING_2)
    p = xbar.points.set_index("subgroup")
    assert (p.loc[1, "lcl"], p.loc[1, "ucl"]) == pytest.approx((73.98753, 74.01398), abs=5e-5)
    assert (p.loc[2, "lcl"], p.loc[2, "ucl"]) == pytest.approx((73.98368, 74.01782), abs=5e-5)


def test_trial_subgroups_from_profile_and_phase_column():
    counts = pd.DataFrame(
        {"subgroup": range(1, 11), "inspected": 50, "defective": [2, 3, 1, 2, 4, 2, 3, 2, 1, 9]}
    )
    res = quality.analyse(
        SimpleNamespace(quality=counts, profile={"quality": {"trial_subgroups": 6}})
    )
    pts = res.points
    assert (pts["phase"] == "I").sum() == 6
    assert res.summary.loc[0, "center"] == pytest.approx(14 / 300)  # first six only
    phased = counts.assign(phase=["trial"] * 4 + ["monitoring"] * 6)
    res2 = quality.analyse(SimpleNamespace(quality=phased, profile=None))
    assert (res2.points["phase"] == "I").sum() == 4


def test_old_module_path_keeps_every_name():
    import orient.quality as old

    for name in [*old.__all__, "DATA_NEEDED"]:
        assert getattr(old, name) is getattr(quality, name), name
