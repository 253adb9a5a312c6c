"""``survey.constructs`` without ``survey.paths``: each construct's reliability (alpha,
composite reliability, AVE) is reported and the structural model is said to need paths.

Expected values: the closed form of a one-factor population (the first principal
component of ``R = l^2 11' + (1 - l^2) I``), scikit-learn's PCA, and alpha by its
variance formula."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import orient
from orient.satisfaction.alpha import construct_reliability

ROOT = Path(__file__).resolve().parents[1]


def test_closed_form_of_a_one_factor_population():
    rng = np.random.default_rng(0)
    n, k, lam = 200_000, 4, 0.8
    f = rng.normal(size=n)
    df = pd.DataFrame(
        {f"x{i}": lam * f + np.sqrt(1 - lam**2) * rng.normal(size=n) for i in range(k)}
    )
    top = k * lam**2 + (1 - lam**2)  # the first eigenvalue of R
    load = np.sqrt(top / k)
    cr = (k * load) ** 2 / ((k * load) ** 2 + k * (1 - load**2))
    row = construct_reliability(df, {"f": list(df.columns)}).iloc[0]
    assert row["ave"] == pytest.approx(top / k, abs=0.004)
    assert row["composite_reliability"] == pytest.approx(cr, abs=0.003)
    # alpha of k parallel items: k r / (1 + (k - 1) r) with r = lam^2
    assert row["alpha"] == pytest.approx(k * lam**2 / (1 + (k - 1) * lam**2), abs=0.003)


def test_against_scikit_learn_pca():
    from sklearn.decomposition import PCA

    rng = np.random.default_rng(4)
    f = rng.normal(size=300)
    df = pd.DataFrame({f"q{i}": f * (0.5 + 0.2 * i) + rng.normal(size=300) for i in range(3)})
    df["q1"] = -df["q1"] + 10  # one reversed item: the sign follows the majority
    z = (df - df.mean()) / df.std(ddof=1)
    pca = PCA(n_components=1).fit(z)
    load = pca.components_[0] * np.sqrt(pca.explained_variance_[0])
    load = load if (load > 0).sum() >= 2 else -load
    row = construct_reliability(df, {"s": ["q0", "q1", "q2"]}).iloc[0]
    s2 = load.sum() ** 2
    assert row["composite_reliability"] == pytest.approx(s2 / (s2 + (1 - load**2).sum()), 1e-9)
    assert row["ave"] == pytest.approx((load**2).mean(), rel=1e-9)
    assert row["n"] == 300 and row["items"] == 3


def _alpha(x: np.ndarray) -> float:
    k = x.shape[1]
    return k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "swiftpost"
    shutil.copytree(ROOT / "data" / "companies" / "swiftpost", target)
    raw = yaml.safe_load((target / "company.yaml").read_text(encoding="utf-8"))
    raw["survey"]["constructs"] = {
        "Delivery": ["q_on_time", "q_tracking", "q_pickup"],
        "Contact": ["q_call_centre", "q_online_booking"],
    }
    (target / "company.yaml").write_text(
        yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


@pytest.mark.parametrize("language", ["en", "ru"])
def test_constructs_without_paths_are_reported_for_reliability(folder, language):
    from orient import satisfaction
    from orient.satisfaction.display import reliability_table

    company = orient.load_company(folder, {"language": language})  # accepted, not refused
    result = satisfaction.analyse(company)
    c = result.constructs.set_index("scale")
    assert list(c.index) == ["Delivery", "Contact"]
    raw = pd.read_csv(folder / "survey.csv", na_values=["Don't know"])
    cols = ["q_on_time", "q_tracking", "q_pickup"]
    # the survey the analysis uses is the one company.survey holds (its rows left out too)
    used = company.survey.set_index("respondent_id").index
    x = raw.set_index("respondent_id").loc[used, cols].dropna().to_numpy(dtype=float)
    assert c.loc["Delivery", "alpha"] == pytest.approx(_alpha(x), rel=1e-9)
    assert c.loc["Delivery", "n"] == len(x)
    word = "survey.paths"
    assert any(word in n and "Delivery, Contact" in n for n in result.notes)
    table = reliability_table(result, language=language).frame
    header = (
        "Composite reliability of the scale" if language == "en" else "Композитная надёжность шкалы"
    )
    assert header in table.columns
    assert result.pls is not None  # the default model still runs
