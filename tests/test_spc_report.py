"""The run-rule, EWMA / CUSUM and complaints parts of the report: company.yaml settings,
tables and sentences in both languages built from the numbers they describe, figures."""

from __future__ import annotations

import re
import shutil

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

import orient  # noqa: E402
from orient.operations.quality import display as quality_tables  # noqa: E402
from orient.operations.service import display as service_tables  # noqa: E402
from orient.present import plots  # noqa: E402
from orient.report import sample_company_dir  # noqa: E402

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def northsteel():
    return orient.load_company(sample_company_dir("northsteel"))


@pytest.fixture(scope="module")
def harbour():
    return orient.load_company(sample_company_dir("harbour-mutual"))


def _with_quality_settings(tmp_path, **settings):
    src = sample_company_dir("northsteel")
    dst = tmp_path / "northsteel"
    shutil.copytree(src, dst)
    f = dst / "company.yaml"
    profile = yaml.safe_load(f.read_text(encoding="utf-8"))
    profile["quality"].update(settings)
    f.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return orient.load_company(dst)


def test_nelson_rules_and_revision_from_company_yaml(tmp_path, northsteel):
    company = _with_quality_settings(tmp_path, rules="nelson", revise_limits=True)
    qual = orient.quality.analyse(company)
    assert qual.rule_set == "nelson" and qual.revised
    assert "rule_8" in qual.points.columns
    # the revised limits leave the removed phase I subgroups out: the centre is the mean
    # of the remaining phase I subgroup means
    q = company.quality
    xbar = qual.summary.set_index("chart").loc["xbar"]
    removed = [s.strip() for s in str(xbar["removed"]).split(",") if s.strip()]
    trial = sorted(q["subgroup"].unique())[:25]
    keep = [s for s in trial if str(int(s)) not in removed]
    means = q[q["subgroup"].isin(keep)].groupby("subgroup")["value"].mean()
    assert xbar["center"] == pytest.approx(means.mean(), rel=1e-12)
    h = orient.quality.headline(qual)
    assert h["rule_set"] == "nelson"
    assert h["subgroups_removed"] == int(xbar["n_removed"])
    ru = quality_tables.rules_sentences(qual)
    assert "Нельсона" in ru[0] and len(ru) == 2
    plain = orient.quality.analyse(northsteel)
    assert plain.rule_set == "western_electric" and not plain.revised
    assert orient.quality.headline(plain)["subgroups_removed"] is None


def test_bad_quality_setting_is_a_data_error(tmp_path):
    with pytest.raises(orient.DataError, match="rules"):
        _with_quality_settings(tmp_path, rules="shewhart")


def test_time_weighted_table_and_sentence_from_the_result(northsteel):
    qual = orient.quality.analyse(northsteel)
    tw = qual.time_weighted.set_index("chart")
    # the shift estimate by hand from the CUSUM's points
    pts = qual.time_weighted_points
    cus = pts[pts["chart"] == "cusum"].reset_index(drop=True)
    i = int(np.flatnonzero(cus["out_of_control"])[0])
    run = int(cus.loc[i, "run_upper"])
    se = tw.loc["cusum", "sigma"] / np.sqrt(cus.loc[i, "n"])
    new = tw.loc["cusum", "center"] + se * (0.5 + cus.loc[i, "cusum_upper"] / run)
    assert tw.loc["cusum", "new_mean"] == pytest.approx(new)
    assert tw.loc["cusum", "start_after"] == str(int(cus.loc[i - run, "subgroup"]))
    table = quality_tables.time_weighted_table(qual)
    assert table.language == "ru" and CYRILLIC.search(table.caption)
    for head in table.frame.columns:
        assert CYRILLIC.search(head), head
    assert not table.frame.astype(str).apply(lambda c: c.str.contains("nan")).any().any()
    (sentence,) = quality_tables.time_weighted_sentences(qual)
    assert f"{new:.4f}".replace(".", ",") in sentence and CYRILLIC.search(sentence)
    en = quality_tables.time_weighted_sentences(_english(qual))[0]
    assert f"subgroup {tw.loc['cusum', 'first_signal']}" in en and f"{new:.4f}" in en


def _english(result):
    import dataclasses

    return dataclasses.replace(result, language="en")


def test_complaints_tables_and_sentences_from_the_result(harbour):
    svc = orient.service.analyse(harbour)
    comp = svc.complaints
    claims = harbour.claims
    # the deadline share by hand: 30 days, as of the latest date of the register
    received = pd.to_datetime(claims["received"])
    resolved = pd.to_datetime(claims["resolved"])
    as_of = max(received.max(), resolved.max())
    days = (resolved - received).dt.days
    closed = resolved.notna()
    late_open = ~closed & (received + pd.Timedelta(days=30) <= as_of)
    assert comp.deadline["n"] == int(closed.sum() + late_open.sum())
    assert comp.deadline["within"] == int((days <= 30).sum())
    (ru,) = service_tables.deadline_sentences(comp, "ru")
    assert f"{100 * comp.deadline['share']:.1f}".replace(".", ",") in ru
    (en,) = service_tables.deadline_sentences(comp, "en")
    assert f"of the {comp.deadline['n']} complaints" in en
    # response times: the median of the days to response by hand
    resp = (pd.to_datetime(claims["responded"]) - received).dt.days.dropna()
    times = comp.times.set_index("measure")
    assert times.loc["response", "median"] == pytest.approx(resp[resp >= 0].median())
    for by in ("product", "channel"):
        t = service_tables.breakdown_table(comp, by, "ru")
        assert not t.empty and CYRILLIC.search(t.caption)
        assert all(CYRILLIC.search(h) for h in t.frame.columns)
        counts = claims[by].value_counts()
        shown = dict(zip(t.frame.iloc[:, 0], t.frame.iloc[:, 1], strict=True))
        assert {k: int(v) for k, v in shown.items()} == counts.to_dict()
    trend = service_tables.trend_table(comp, "en")
    assert trend.frame.iloc[0, 0] == "All complaints"
    assert service_tables.trend_sentences(comp, "ru")
    h = orient.service.headline(svc)
    assert h["complaints_within_deadline"] == pytest.approx(comp.deadline["share"])
    assert h["complaints_deadline_days"] == 30


def test_complaints_without_a_deadline_say_nothing_of_one(harbour):
    from orient.operations.service.complaints_analytics import analyse_complaints

    comp = analyse_complaints(harbour.claims, deadline_days=None)
    assert comp.deadline is None
    assert service_tables.deadline_sentences(comp, "en") == []
    bare = analyse_complaints(harbour.claims[["claim_id", "received", "category"]])
    assert bare.times is None and bare.breakdowns["category"] is not None
    assert service_tables.times_table(bare, "en").empty
    assert service_tables.breakdown_table(bare, "category", "en").empty  # no status fields


def _texts(ax):
    out = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    legend = ax.get_legend()
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def test_figures_in_russian(northsteel, harbour):
    qual = orient.quality.analyse(northsteel)
    comp = orient.service.analyse(harbour).complaints
    pts = qual.time_weighted_points
    draws = [
        lambda ax: plots.time_weighted_plot(pts[pts["chart"] == "ewma"], ax=ax, language="ru"),
        lambda ax: plots.time_weighted_plot(pts[pts["chart"] == "cusum"], ax=ax, language="ru"),
        lambda ax: plots.complaints_trend_plot(comp.monthly, ax=ax, language="ru"),
    ]
    for draw in draws:
        fig, ax = plt.subplots()
        draw(ax)
        english = [
            t for t in _texts(ax) if re.search(r"\b(subgroup|cumulative|complaints|phase)\b", t)
        ]
        assert not english, english
        assert CYRILLIC.search(plots.description(fig))
        plt.close(fig)


@pytest.mark.slow
def test_notebook_05_shows_the_new_parts(tmp_path):
    import papermill

    from orient.report import default_notebooks_dir

    for slug, expected in (
        ("harbour-mutual", ["Time to the company", "Closed within the company"]),
        ("northsteel", ["CUSUM", "EWMA"]),
    ):
        out = tmp_path / f"{slug}.ipynb"
        papermill.execute_notebook(
            str(default_notebooks_dir() / "05_operations.ipynb"),
            str(out),
            parameters={"company_dir": str(sample_company_dir(slug))},
            kernel_name="python3",
            progress_bar=False,
        )
        text = out.read_text(encoding="utf-8")
        for e in expected:
            assert e in text, (slug, e)


def test_key_figures_count_the_cusum_signals(northsteel):
    qual = orient.quality.analyse(northsteel)
    tw = qual.time_weighted
    n = int(((tw["chart"] == "cusum") & (tw["n_signals"] > 0)).sum())
    frame = quality_tables.figures_table(qual).frame
    row = frame[frame.iloc[:, 0].str.contains("CUSUM")]
    assert row.iloc[0, 1] == str(n)
