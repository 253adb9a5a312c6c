"""Nelson's rules, phase I revision, EWMA and CUSUM against independent references.

References:
* R qcc's own test vectors for the Nelson rules (tests/testthat/test-rules.R of
  luca-scr/qcc) and for ``cusum()`` (test-cusum.R);
* qcc's published ``ewma()`` output on pistonrings and viscosity (its reference
  page, the printed LCL / UCL of the first, second and last group);
* Montgomery, *Introduction to SQC*, example 9.1 (tabular CUSUM, mu0 = 10, sigma = 1,
  K = 0.5, H = 5): C+ reaches 5.28 at period 29 with N+ = 7, new mean 11.25;
* the zero-state ARL of the CUSUM (k = 0.5, h = 5) at a one-sigma shift, 10.4
  (Montgomery table 9.3), by simulation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _real import real_data, require

from orient.operations.quality import control_chart
from orient.operations.quality.ewma_cusum import cusum_chart, ewma_chart, shift_estimate
from orient.operations.quality.rules import nelson, run_rules

QCC = real_data("qcc")


def _read(name: str) -> pd.DataFrame:
    f = QCC / f"{name}.txt"
    require(f, "the R qcc data sets")
    return pd.read_csv(f, sep=r"\s+")


def _flagged(z, rule):
    return [i + 1 for i in np.flatnonzero(nelson(z)[f"rule_{rule}"])]


# qcc's test-rules.R: (series, rule, 1-based indices qcc flags)
NELSON_CASES = [
    ([0, 3.2, -3.4, 3], 1, [2, 3]),
    ([0.5] * 10 + [-0.5] * 10, 2, [9, 10, 19, 20]),
    ([*range(1, 8), 7, *range(6, 0, -1)], 3, [6, 7, 13, 14]),
    ([1, 3, 2, 4, 3, 5, 4, 6, 5, 7, 6, 8, 7, 9, 8], 4, [14, 15]),
    ([0, 2.3, 0.4, 2.2, -2.4, -0.2, -2.5], 5, [4, 7]),
    ([1.2, 1.3, 0.2, 1.4, 1.5, -1.2, -1.3, -0.1, -1.4, -1.5], 6, [5, 10]),
    ([0.3] * 16 + [1.2], 7, [15, 16]),
    ([1.2, -1.3, 1.1, -1.4, 1.5, -1.2, 1.3, -1.1, 0.2], 8, [8]),
    ([1.2] * 8, 8, []),  # all on one side: rule 6 territory, not rule 8
]


@pytest.mark.parametrize(("z", "rule", "expected"), NELSON_CASES)
def test_nelson_rules_match_qcc(z, rule, expected):
    assert _flagged(z, rule) == expected


def test_alternating_series_is_nelson_4_not_western_electric():
    z = [0, 1] * 8
    assert _flagged(z[:15], 4) == [14, 15]
    we = run_rules(z[:15], "western_electric")
    assert not we["rules"].astype(bool).any()


def test_control_chart_with_nelson_rules_flags_a_trend():
    # 20 stable individuals then a steady rise inside the limits: only rule 3 (and later 2)
    rng = np.random.default_rng(4)
    base = rng.normal(10, 1, 30)
    drift = 10 + 0.3 * np.arange(1, 8)
    d = pd.DataFrame({"subgroup": range(1, 38), "value": np.r_[base, drift]})
    ind, _ = control_chart(d, "i_mr", trial=list(range(1, 31)), rule_set="nelson")
    pts = ind.points
    assert "rule_8" in pts.columns
    rising = pts["subgroup"] >= 36  # the sixth rising point is subgroup 36 at the latest
    assert pts.loc[rising, "rule_3"].all()
    we, _ = control_chart(d, "i_mr", trial=list(range(1, 31)))
    assert "rule_8" not in we.points.columns


def test_phase_one_revision_removes_points_and_recomputes():
    # 25 subgroups of 5 from N(10, 1) with subgroup 7 shifted by 5 sigma: removed once,
    # limits then equal those computed by hand from the other 24 subgroups
    rng = np.random.default_rng(11)
    x = rng.normal(10, 1, (25, 5))
    x[6] += 5
    d = pd.DataFrame(
        {"subgroup": np.repeat(np.arange(1, 26), 5), "value": x.ravel()},
    )
    xbar, r = control_chart(d, "xbar_r", revise=True)
    assert xbar.removed == (7,)
    keep = np.delete(x, 6, axis=0)
    d2_5 = 2.3259289  # expected range of 5 standard normals
    sigma = np.mean(np.ptp(keep, axis=1)) / d2_5
    assert xbar.center == pytest.approx(keep.mean(), rel=1e-12)
    assert xbar.sigma == pytest.approx(sigma, rel=1e-6)
    assert xbar.ucl == pytest.approx(keep.mean() + 3 * sigma / np.sqrt(5), rel=1e-6)
    assert xbar.n_trial == 24
    assert bool(xbar.points.loc[6, "excluded"]) and bool(xbar.points.loc[6, "beyond_limits"])
    plain, _ = control_chart(d, "xbar_r")
    assert plain.removed == () and plain.n_trial == 25


def test_ewma_pistonrings_matches_qcc():
    p = _read("pistonrings").rename(columns={"diameter": "value", "sample": "subgroup"})
    e = ewma_chart(p[p["subgroup"] <= 25], lam=0.2, nsigmas=3)
    assert e.center == pytest.approx(74.00118, rel=1e-7)
    assert e.sigma == pytest.approx(0.009785039, rel=5e-5)  # qcc's d2(5) = 2.326
    lim = e.points[["lcl", "ucl"]].to_numpy()
    expected = [[73.99855, 74.00380], [73.99781, 74.00454], [73.99680, 74.00555]]
    assert lim[[0, 1, 24]] == pytest.approx(np.array(expected), abs=6e-6)
    # phase II: limits from the first 25 samples, nsigmas 2.7, groups 1, 2 and 40
    e2 = ewma_chart(p[p["subgroup"] <= 40], trial=list(range(1, 26)), lam=0.2, nsigmas=2.7)
    lim = e2.points[["lcl", "ucl"]].to_numpy()
    expected = [[73.99881, 74.00354], [73.99815, 74.00420], [73.99724, 74.00511]]
    assert lim[[0, 1, 39]] == pytest.approx(np.array(expected), abs=6e-6)
    assert (e2.points["phase"] == "II").sum() == 15


def test_ewma_viscosity_matches_qcc_with_its_sigma():
    v = _read("viscosity").rename(columns={"batch": "subgroup", "viscosity": "value"})
    e = ewma_chart(v, trial="trial", lam=0.2, nsigmas=2.7, sigma=0.5076521)
    assert e.center == pytest.approx(34.088, rel=1e-9)
    lim = e.points[["lcl", "ucl"]].to_numpy()
    expected = [[33.81387, 34.36213], [33.73694, 34.43906], [33.63111, 34.54489]]
    assert lim[[0, 1, 34]] == pytest.approx(np.array(expected), abs=6e-6)


def test_ewma_recursion_and_limits_by_hand():
    # qcc test-ewma.R: center 10, sd 2, lambda 0.5, L 2
    e = ewma_chart(
        pd.DataFrame({"value": [11.0, 13.0, 12.0]}), lam=0.5, nsigmas=2, center=10, sigma=2
    )
    assert e.points["ewma"].tolist() == pytest.approx([10.5, 11.75, 11.875])
    se = np.array([1, np.sqrt(1.25), np.sqrt(1.3125)])
    assert e.points["ucl"].to_numpy() == pytest.approx(10 + 2 * se)
    assert e.points["lcl"].to_numpy() == pytest.approx(10 - 2 * se)


def test_cusum_matches_qcc_test_vectors():
    d = pd.DataFrame({"value": [1.5, 0.5, 0.6, -1.5, -0.5, -0.8]})
    c = cusum_chart(d, k=0.5, h=1, center=0, sigma=1)
    assert c.points["cusum_upper"].tolist() == pytest.approx([1.0, 1.0, 1.1, 0, 0, 0])
    assert c.points["cusum_lower"].tolist() == pytest.approx([0, 0, 0, 1.0, 1.0, 1.3])
    assert c.points["signal"].tolist() == ["", "", "up", "", "", "down"]
    # grouped, unequal sizes: qcc's lot-A / lot-B case
    rows = [(1, 10), (1, 10), (1, 10), (2, 10), (2, 10), (2, 10)]
    rows += [(3, 14), (3, 14), (4, 16), (4, 16), (4, 16)]
    g = pd.DataFrame(rows, columns=["subgroup", "value"])
    c = cusum_chart(g, k=0.5, h=10, center=10, sigma=2, trial=[1, 2])
    assert c.points["cusum_upper"].tolist() == pytest.approx(
        [0, 0, 2.32842712474619, 7.02457954745282], rel=1e-12
    )


MONTGOMERY_9_1 = [
    9.45, 7.99, 9.29, 11.66, 12.16, 10.18, 8.04, 11.46, 9.20, 10.34,
    9.03, 11.47, 10.51, 9.40, 10.08, 9.37, 10.62, 10.31, 8.52, 10.84,
    10.90, 9.33, 12.29, 11.50, 10.60, 11.08, 10.38, 11.62, 11.31, 10.52,
]  # fmt: skip


def test_cusum_montgomery_example_9_1():
    c = cusum_chart(pd.DataFrame({"value": MONTGOMERY_9_1}), k=0.5, h=5, center=10, sigma=1)
    assert c.first_signal == 29
    row = c.points.iloc[28]
    assert round(row["cusum_upper"], 2) == 5.28
    assert row["run_upper"] == 7
    s = shift_estimate(c)
    assert round(s["new_mean"], 2) == 11.25
    assert s["start_after"] == 22 and s["direction"] == "up"


def test_cusum_arl_at_one_sigma_shift_by_simulation():
    # zero-state ARL of k = 0.5, h = 5 at a 1-sigma shift: 10.4 (Montgomery table 9.3)
    rng = np.random.default_rng(2026)
    runs = []
    for _ in range(400):
        x = rng.normal(1.0, 1.0, 80)
        c = cusum_chart(pd.DataFrame({"value": x}), k=0.5, h=5, center=0, sigma=1)
        runs.append(c.first_signal)
    assert None not in runs
    arl = float(np.mean(runs))
    assert arl == pytest.approx(10.4, abs=0.9)


def test_bad_parameters_are_refused():
    d = pd.DataFrame({"value": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="lam"):
        ewma_chart(d, lam=0)
    with pytest.raises(ValueError, match="head_start"):
        cusum_chart(d, h=2, head_start=2)
    with pytest.raises(ValueError, match="rule_set"):
        run_rules([0.0], "shewhart")


def test_capability_intervals_cover_by_simulation():
    # Cp's chi-square interval is exact for normal data; Bissell's for Cpk is close to
    # its level at n = 50 (Kotz and Johnson 1993): 1000 samples of a process with
    # Cp = 1.33 and Cpk = 1.0
    from orient.operations.quality import capability

    rng = np.random.default_rng(17)
    lsl, usl, mu, sd = -4.0, 4.0, 1.0, 1.0
    cp, cpk = (usl - lsl) / 6, (usl - mu) / 3
    hit_cp = hit_cpk = 0
    for _ in range(1000):
        c = capability(rng.normal(mu, sd, 50), lsl=lsl, usl=usl)
        hit_cp += c.loc["cp", "ci_low"] <= cp <= c.loc["cp", "ci_high"]
        hit_cpk += c.loc["cpk", "ci_low"] <= cpk <= c.loc["cpk", "ci_high"]
    assert hit_cp / 1000 == pytest.approx(0.95, abs=0.02)  # 3 standard errors
    assert hit_cpk / 1000 == pytest.approx(0.95, abs=0.025)
