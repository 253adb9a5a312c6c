"""Stage II with several segment variables: the NPS breakdown has every variable's
segments (named by variable), and the chain to finance holds every variable fixed.

NPS shares are counted here with pandas; the chain effect is statsmodels OLS with the
indicator variables of all three segment variables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
import yaml

import orient


def three_segment_company(tmp_path: Path):
    rng = np.random.default_rng(21)
    n = 240
    df = pd.DataFrame(
        {
            "pid": [f"p{i}" for i in range(n)],
            "cid": [f"c{i}" for i in range(n)],
            "Class": rng.choice(["Eco", "Business"], n),
            "Type of Travel": rng.choice(["Personal", "Business"], n),
            "Customer Type": rng.choice(["Loyal", "disloyal"], n),
            "a": rng.integers(1, 6, n),
            "b": rng.integers(1, 6, n),
        }
    )
    df["sat"] = np.clip(np.round((df["a"] + df["b"]) / 2 + rng.normal(0, 0.7, n)), 1, 5)
    df["nps"] = np.clip(np.round(2 * df["sat"] + rng.normal(0, 1.5, n)), 0, 10).astype(int)
    business = (df["Class"] == "Business").to_numpy()
    fin = pd.DataFrame(
        {
            "customer_id": df["cid"],
            "revenue": 100 + 20 * df["sat"] + 300 * business + rng.normal(0, 30, n),
            "cost": 50.0,
            "retained": (rng.random(n) < 0.5 + 0.08 * (df["sat"] - 3)).astype(int),
        }
    )
    folder = tmp_path / "three"
    folder.mkdir()
    df.to_csv(folder / "survey.csv", index=False)
    fin.to_csv(folder / "finance.csv", index=False)
    prof = {
        "name": "Three",
        "survey": {
            "id": "pid",
            "customer_id": "cid",
            "segment": ["Class", "Type of Travel", "Customer Type"],
            "overall": "sat",
            "loyalty": {"recommend": "nps"},
            "attributes": {"a": {"label": "A", "own": "a"}, "b": {"label": "B", "own": "b"}},
        },
    }
    (folder / "company.yaml").write_text(yaml.safe_dump(prof), "utf-8")
    return orient.load_company(folder), df, fin


def test_nps_breakdown_and_chain_follow_every_segment_variable(tmp_path):
    company, df, fin = three_segment_company(tmp_path)
    r = orient.satisfaction.analyse(company, n_boot=0)
    comp = r.nps_composition.set_index("group")
    for var in ("Class", "Type of Travel", "Customer Type"):
        for level, part in df.groupby(var):
            nps = 100 * ((part["nps"] >= 9).mean() - (part["nps"] <= 6).mean())
            assert comp.loc[f"{var}: {level}", "nps"] == pytest.approx(nps)
    assert "Business" not in comp.index  # never a level without its variable
    # satisfaction -> revenue with the three variables held fixed (one overall item:
    # the index is the overall rating on 0-100)
    data = df.merge(fin, left_on="cid", right_on="customer_id")
    data["index"] = 100 * (data["sat"] - 1) / 4
    data = data.rename(columns={"Type of Travel": "tt", "Customer Type": "ct"})
    ols = smf.ols("revenue ~ index + C(Class) + C(tt) + C(ct)", data=data).fit()
    ch = r.chain.set_index(["from", "to"])
    effect = ch.loc[("satisfaction_index", "revenue per customer"), "effect"]
    assert effect == pytest.approx(ols.params["index"], rel=1e-9)
    held = [s for s in r.notes if "held fixed together" in s]
    assert held == [
        "Chain effects on money and retention compare customers within the same segment "
        "of every segment variable (Class, Type of Travel, Customer Type held fixed together)."
    ]
