"""Complaints analytics against hand calculations, statsmodels and order-statistic tables.

* median interval: the classic distribution-free pairs (x_(2), x_(9)) for n = 10 and
  (x_(6), x_(15)) for n = 20 at 95% (Conover, *Practical Nonparametric Statistics*,
  binomial table), and the coverage by simulation;
* Wilson intervals: statsmodels ``proportion_confint(method="wilson")``;
* the Poisson trend: statsmodels' GLM (Poisson family, scale from Pearson's chi-square)
  coefficient, standard error and deviance difference;
* times, deadline shares and group counts: by hand on small registers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from orient.operations.service.complaints_analytics import (
    category_trend,
    complaint_times,
    median_interval,
    poisson_trend,
    shares_by,
    within_deadline,
)


def test_median_interval_order_statistics():
    x = np.arange(1.0, 11.0)
    assert median_interval(x) == (2.0, 9.0)
    x = np.arange(1.0, 21.0)
    assert median_interval(x) == (6.0, 15.0)
    assert all(math.isnan(v) for v in median_interval([1.0, 2.0, 3.0, 4.0, 5.0]))


def test_median_interval_covers_by_simulation():
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(2000):
        lo, hi = median_interval(rng.exponential(1.0, 25))
        hits += lo <= math.log(2) <= hi
    coverage = 1 - 2 * stats.binom.cdf(7, 25, 0.5)  # the pair for n = 25 is (8, 18)
    assert hits / 2000 == pytest.approx(coverage, abs=0.02)
    assert coverage >= 0.95


def _register():
    return pd.DataFrame(
        {
            "claim_id": [f"c{i}" for i in range(6)],
            "received": pd.to_datetime(
                ["2024-01-01", "2024-01-02", "2024-01-05", "2024-01-10", "2024-01-20", "2024-02-01"]
            ),
            "responded": pd.to_datetime(
                ["2024-01-02", "2024-01-04", "2024-01-05", "2024-01-17", None, "2024-01-30"]
            ),
            "resolved": pd.to_datetime(
                ["2024-01-11", "2024-01-30", None, "2024-01-20", None, "2024-02-03"]
            ),
        }
    )


def test_complaint_times_by_hand():
    t = complaint_times(_register()).set_index("measure")
    resp = np.array([1, 2, 0, 7])  # the sixth is answered before it arrived: left out
    assert t.loc["response", "n"] == 4
    assert t.loc["response", "pending"] == 1
    assert t.loc["response", "median"] == pytest.approx(1.5)
    assert t.loc["response", "p90"] == pytest.approx(np.quantile(resp, 0.9))
    assert t.loc["response", "mean"] == pytest.approx(2.5)
    clos = np.array([10, 28, 10, 2])
    assert t.loc["closure", "n"] == 4 and t.loc["closure", "pending"] == 2
    assert t.loc["closure", "median"] == pytest.approx(np.median(clos))
    assert t.loc["closure", "q75"] == pytest.approx(np.quantile(clos, 0.75))
    assert complaint_times(_register()).attrs["negative"] == {"response": 1, "closure": 0}
    assert complaint_times(_register().drop(columns=["responded", "resolved"])) is None


def test_within_deadline_by_hand():
    # deadline 10 days, as of 2024-02-03: closed in 10, 28, 10, 2 days; open c2 (received
    # 01-05, overdue) and c4 (01-20, overdue on 01-30): base 6, within 3
    r = within_deadline(_register(), 10)
    assert (r["n"], r["within"], r["open_late"]) == (6, 3, 2)
    lo, hi = proportion_confint(3, 6, method="wilson")
    assert (r["ci_low"], r["ci_high"]) == pytest.approx((lo, hi))
    # as of 2024-01-25: c1 (closed on 01-30) is still open and late, c4 not yet due,
    # c5 not yet received
    r = within_deadline(_register(), 10, as_of="2024-01-25")
    assert (r["n"], r["within"], r["open_late"]) == (4, 2, 2)
    assert within_deadline(_register(), None) is None


def test_shares_by_against_statsmodels_wilson():
    rng = np.random.default_rng(3)
    n = 400
    product = rng.choice(["card", "loan", "deposit", ""], n, p=[0.5, 0.3, 0.15, 0.05])
    timely = (rng.random(n) < np.where(product == "loan", 0.8, 0.95)).astype(float)
    timely[:10] = np.nan
    disputed = (rng.random(n) < 0.2).astype(float)
    d = pd.DataFrame({"product": product, "timely": timely, "disputed": disputed})
    out = shares_by(d, "product", min_base=30).set_index("group")
    assert list(out.index[:2]) == ["card", "loan"]
    assert "(not recorded)" in out.index
    for g, part in d.assign(product=d["product"].replace("", "(not recorded)")).groupby("product"):
        x = part["timely"].dropna()
        row = out.loc[g]
        assert row["complaints"] == len(part)
        assert row["timely_n"] == len(x)
        if len(x) >= 30:
            lo, hi = proportion_confint(int(x.sum()), len(x), method="wilson")
            assert row["timely_share"] == pytest.approx(x.mean())
            assert (row["timely_low"], row["timely_high"]) == pytest.approx((lo, hi))
        else:
            assert math.isnan(row["timely_share"])
    assert shares_by(d, "channel") is None


def test_poisson_trend_matches_statsmodels_glm():
    # Poisson counts: dispersion at (or floored to) 1, statsmodels' Poisson GLM
    rng = np.random.default_rng(5)
    t = np.arange(24.0)
    x = sm.add_constant(t - t.mean())
    for y in (rng.poisson(20 * 1.04**t), rng.negative_binomial(5, 5 / (5 + 20 * 1.04**t))):
        r = poisson_trend(y)
        glm = sm.GLM(y, x, family=sm.families.Poisson()).fit()
        scale = max(1.0, glm.pearson_chi2 / glm.df_resid)  # quasi-Poisson, floored at 1
        quasi = sm.GLM(y, x, family=sm.families.Poisson()).fit(scale=scale)
        b, se = quasi.params[1], quasi.bse[1]
        assert r["dispersion"] == pytest.approx(scale, rel=1e-6)
        assert r["change"] == pytest.approx(math.expm1(b), rel=1e-6)
        assert r["change_low"] == pytest.approx(math.expm1(b - 1.959964 * se), rel=1e-5)
        null = sm.GLM(y, np.ones((24, 1)), family=sm.families.Poisson()).fit()
        p = stats.chi2.sf((null.deviance - glm.deviance) / scale, 1)
        assert r["p_value"] == pytest.approx(p, rel=1e-5, abs=1e-12)
    assert r["dispersion"] > 1.5  # the negative binomial counts are overdispersed
    flat = poisson_trend(rng.poisson(20, 24))
    assert flat["change_low"] < 0 < flat["change_high"]


def test_category_trend_months_and_partial_edges():
    rng = np.random.default_rng(9)
    rows = []
    for m in range(12):
        start = pd.Timestamp("2023-01-01") + pd.DateOffset(months=m)
        rows += [
            (start + pd.Timedelta(days=int(d)), "billing") for d in rng.integers(0, 28, 10 + 3 * m)
        ]
        if m != 4:  # no delivery complaint in May: the month still counts, as zero
            rows += [(start, "delivery")] * 8
    d = pd.DataFrame(rows, columns=["received", "category"])
    monthly, trend = category_trend(d, min_count=30)
    assert len(monthly) == 12
    assert monthly.loc[pd.Period("2023-05", "M"), "delivery"] == 0
    assert list(monthly.columns) == ["billing", "delivery", "all"]
    tr = trend.set_index("group")
    assert tr.loc["billing", "periods"] == 10  # first and last months left out
    assert tr.loc["billing", "change"] > 0.05 and tr.loc["billing", "p_value"] < 0.001
    assert tr.loc["delivery", "p_value"] > 0.05
