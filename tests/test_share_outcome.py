"""Stage IV on a two-point overall item: effects and gains in percentage points of the
share satisfied (a linear probability model), never "points of overall satisfaction".

Expected effects are fitted here with statsmodels OLS on the 0/1 item, independently."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import yaml

import orient
from orient.implementation.display import display_table
from orient.implementation.narrative import plan_text


def binary_company(tmp_path: Path, lo: int = 0, hi: int = 1, actions: bool = False):
    rng = np.random.default_rng(11)
    n = 300
    x = rng.integers(1, 6, (n, 3))
    y = (x @ [1.0, 0.5, 0.2] + rng.normal(0, 1.5, n) > 8.5).astype(int)
    df = pd.DataFrame(x, columns=list("abc"))
    df.insert(0, "pid", [f"r{i}" for i in range(n)])
    df["sat"] = np.where(y == 1, hi, lo)
    folder = tmp_path / "bin"
    folder.mkdir()
    df.to_csv(folder / "survey.csv", index=False)
    prof = {
        "name": "Bin",
        "survey": {
            "id": "pid",
            "overall": "sat",
            "overall_scale": {"min": lo, "max": hi},
            "attributes": {k: {"label": k.upper(), "own": k} for k in "abc"},
        },
    }
    if actions:
        prof["actions"] = {"items": {"a": {"target": 4.5, "cost": 1000}}}
    (folder / "company.yaml").write_text(yaml.safe_dump(prof), "utf-8")
    ols = sm.OLS(y.astype(float), sm.add_constant(x.astype(float))).fit()
    return orient.load_company(folder), pd.Series(ols.params[1:], index=list("abc"))


@pytest.mark.parametrize(("lo", "hi"), [(0, 1), (1, 2)])
def test_driver_table_is_in_percentage_points_of_the_share_satisfied(tmp_path, lo, hi):
    company, coef = binary_company(tmp_path, lo, hi)
    result = orient.implementation.analyse(company)
    assert result.share_outcome
    t = display_table(result, "drivers", company).frame
    col = "Effect (percentage points of the share satisfied per rating point)"
    assert col in t.columns and not any("points of overall" in c for c in t.columns)
    shown = dict(zip(t["Attribute"], t[col], strict=True))
    for k in "abc":  # 100 x the OLS coefficient on the 0/1 item, one decimal
        assert float(shown[k.upper()].replace("\u2212", "-")) == pytest.approx(
            100 * coef[k], abs=0.051
        )
    caption = display_table(result, "drivers", company, language="ru").caption
    assert "доля удовлетворённых" in caption


def test_money_table_and_plan_text_speak_of_the_share(tmp_path):
    company, coef = binary_company(tmp_path, actions=True)
    result = orient.implementation.analyse(company)
    t = display_table(result, "money", company).frame
    assert "Gain in the share satisfied (percentage points)" in t.columns
    assert not any("rating points" in c or "0-100" in c for c in t.columns)
    # the gain of moving a from its mean to 4.5 is 100 * b_a * (4.5 - mean) points
    expected = 100 * coef["a"] * (4.5 - company.survey["a"].mean())
    cell = t.loc[t["Attribute"] == "A", "Gain in the share satisfied (percentage points)"]
    assert float(cell.iloc[0].replace("\u2212", "-")) == pytest.approx(expected, abs=0.051)
    text = plan_text(result)
    assert "share of satisfied customers (percentage points)" in text
    assert "linear probability model" in text and "overall satisfaction" not in text
    assert "доли удовлетворённых" in plan_text(result, "ru")


def test_a_rating_overall_keeps_rating_points():
    company = orient.load_company(Path(__file__).parents[1] / "data/companies/swiftpost")
    result = orient.implementation.analyse(company)
    assert not result.share_outcome
    cols = display_table(result, "drivers", company).frame.columns
    assert "Effect (points of overall satisfaction per rating point)" in cols


def test_what_if_explorer_speaks_of_the_share_on_a_binary_overall(tmp_path):
    from orient.present import widgets as W

    company, coef = binary_company(tmp_path)
    ex = W.what_if_explorer(company, attribute="a")
    r = ex.view.extra["all"].loc["a"]
    share_now = 100 * company.survey["overall"].mean()  # unweighted: no weight column
    gain = 100 * coef["a"] * (r["target"] - company.survey["a"].mean())
    text = ex.view.text
    assert f"would move by {gain:+.1f} percentage points" in text
    assert f"from {share_now:.1f}% to {share_now + gain:.1f}%" in text
    assert "0-100 index" not in text
    assert "Gain in the share satisfied (percentage points)" in ex.view.table.columns
