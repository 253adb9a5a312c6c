"""orient network: the cross-company view of a batch's summary.json files.

The summaries here are written directly, in the shape of a real summary.json (the
sample swiftpost's, numbers varied), and checked against orient's schema; league
order, percentiles, the median test and significance are checked against hand
computations and scipy's percentileofscore.
"""

from __future__ import annotations

import copy
import json
import re
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

import orient
from orient import DataError
from orient.cli import main
from orient.networkview import analyse, network
from orient.networkview.measures import percentiles, shared_priorities, tidy_table

# the shape of the sample swiftpost's summary.json (orient report), trimmed to the
# stages the network reads; numbers are replaced per test company
TEMPLATE = {
    "schema_version": 1,
    "orient_version": "0.1.0",
    "company": {"slug": "x", "name": "X", "language": "en", "currency": "EUR"},
    "base": {
        "respondents": 1481,
        "waves": ["2025", "2026"],
        "rows_left_out": 19,
        "period": "2025-2026",
    },
    "stages": {
        "satisfaction": {
            "status": "ok",
            "error": None,
            "warnings": [],
            "headline": {
                "satisfaction_index": 66.3480306973,
                "satisfaction_index_ci_low": 65.6389408678,
                "satisfaction_index_ci_high": 67.0571205269,
                "n": 1481,
                "n_eff": 1438.94186361,
                "mean_overall": 7.29114517535,
                "mean_overall_ci_low": 7.2,
                "mean_overall_ci_high": 7.38,
                "top2box": 17.6513467684,
                "top2box_ci_low": 15.7683182752,
                "top2box_ci_high": 19.7066340025,
                "nps": 0.269286114808,
                "nps_ci_low": -3.69425436363,
                "nps_ci_high": 4.2317060788,
                "promoters": 29.6201214693,
                "detractors": 29.3508353544,
                "index_change": 4.56922050446,
                "index_change_ci_low": 3.17086680939,
                "index_change_ci_high": 5.96757419952,
                "index_change_p": 1e-9,
                "index_change_significant": True,
                "nps_change": 16.9966152172,
                "nps_change_ci_low": 9.06010166874,
                "nps_change_ci_high": 24.7918164436,
                "nps_change_p": 2e-5,
                "nps_change_significant": True,
                "last_wave": "2026",
                "previous_wave": "2025",
                "wave_answer": "Yes, a real rise.",
            },
        },
        "priorities": {
            "status": "ok",
            "error": None,
            "warnings": [],
            "headline": {
                "method": "shapley",
                "r2": 0.658046955807,
                "n": 1302,
                "improve": ["call_centre", "price", "delivery_slots", "pickup"],
                "top_priority": "call_centre",
                "top_priority_label": "Call centre",
                "labels": {
                    "call_centre": "Call centre",
                    "price": "Price",
                    "delivery_slots": "Choice of delivery slot",
                    "pickup": "Pickup",
                    "service": "Service",
                    "speed": "Speed",
                    "delivery": "Delivery",
                },
            },
        },
        "service": {
            "status": "ok",
            "error": None,
            "warnings": [],
            "headline": {
                "service_level": 0.755330277498,
                "claims_within_target": 0.7,
                "claims_n": 250,
            },
        },
    },
}


def summary(
    slug,
    name=None,
    *,
    index=None,
    ci=None,
    improve=None,
    change=None,
    change_ci=None,
    flag=None,
    waves=("2025", "2026"),
    language="en",
    survey=True,
):
    """A summary.json for company ``slug``; None leaves a number out."""
    s = copy.deepcopy(TEMPLATE)
    s["company"].update(slug=slug, name=name or slug.title(), language=language)
    s["base"]["waves"] = list(waves) if waves else None
    sat = s["stages"]["satisfaction"]["headline"]
    if index is not None:
        sat["satisfaction_index"] = index
        lo, hi = ci if ci else (None, None)
        sat["satisfaction_index_ci_low"], sat["satisfaction_index_ci_high"] = lo, hi
    if improve is not None:
        s["stages"]["priorities"]["headline"]["improve"] = list(improve)
        prio = s["stages"]["priorities"]["headline"]
        prio["top_priority"] = improve[0] if improve else None
        prio["top_priority_label"] = prio["labels"].get(improve[0]) if improve else None
    for key in (
        "index_change",
        "index_change_ci_low",
        "index_change_ci_high",
        "index_change_significant",
        "nps_change",
        "nps_change_ci_low",
        "nps_change_ci_high",
        "nps_change_significant",
        "last_wave",
        "previous_wave",
    ):
        sat[key] = None
    if change is not None:
        sat["index_change"] = change
        sat["index_change_ci_low"], sat["index_change_ci_high"] = change_ci or (None, None)
        sat["index_change_significant"] = flag
        sat["last_wave"], sat["previous_wave"] = "2026", "2025"
    if not survey:
        s["base"].update(respondents=None, waves=None)
        for stage in ("satisfaction", "priorities"):
            s["stages"][stage] = {
                "status": "missing_data",
                "missing": ["survey"],
                "headline": None,
                "error": None,
            }
    return s


def write(folder: Path, summaries, batch=None) -> Path:
    for s in summaries:
        d = folder / s["company"]["slug"]
        d.mkdir(parents=True, exist_ok=True)
        (d / "summary.json").write_text(json.dumps(s), encoding="utf-8")
    if batch is not None:
        (folder / "batch.json").write_text(json.dumps({"companies": batch}), encoding="utf-8")
    return folder


FIVE = [  # satisfaction index and interval; hand order: c, a, (b, d tied), e
    ("a", 70.0, (68.5, 71.5)),
    ("b", 65.0, (63.0, 67.0)),
    ("c", 72.0, (66.0, 78.0)),
    ("d", 65.0, (64.0, 66.0)),
    ("e", 60.0, (58.0, 64.5)),
]


@pytest.fixture
def five(tmp_path):
    return write(tmp_path / "reports", [summary(s, index=v, ci=ci) for s, v, ci in FIVE])


def test_synthetic_summaries_match_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((resources.files("orient") / "schemas" / "summary.schema.json").read_text())
    for s in (summary("a", index=70, ci=(68, 72)), summary("n", survey=False)):
        jsonschema.validate(s, schema, cls=jsonschema.Draft202012Validator)


def test_league_order_ranks_ties_and_median(five):
    result = analyse(five)
    rows = result.leagues["satisfaction_index"]
    assert rows["company"].tolist() == ["c", "a", "b", "d", "e"]
    assert rows["rank"].tolist() == [1, 2, 3, 3, 5]  # b and d tie at 65: both third
    assert rows.attrs["median"] == 65.0
    # median 65: a's whole interval (68.5-71.5) is above; e's (58-64.5) below; c's
    # (66-78) above too; b (63-67) and d (64-66) straddle it
    verdict = dict(zip(rows["company"], rows["versus_median"], strict=True))
    assert verdict == {"a": "above", "c": "above", "b": "overlaps", "d": "overlaps", "e": "below"}


def test_percentiles_against_scipy_and_hand(five):
    table = tidy_table(analyse(five).summaries)
    pct = percentiles(table, ["satisfaction_index"]).set_index("company")["percentile"]
    hand = {"c": 100.0, "a": 75.0, "b": 37.5, "d": 37.5, "e": 0.0}  # (behind + ties/2) / 4
    assert pct.to_dict() == pytest.approx(hand)
    values = dict((s, v) for s, v, _ in FIVE)
    for slug, v in values.items():
        others = [x for s, x in values.items() if s != slug]
        assert pct[slug] == pytest.approx(stats.percentileofscore(others, v, kind="mean"))


def test_nps_league_is_absent_where_no_company_has_a_0_10_recommend(tmp_path):
    ss = [summary(s, index=v, ci=ci) for s, v, ci in FIVE[:3]]
    for s in ss:
        h = s["stages"]["satisfaction"]["headline"]
        h["nps"] = h["nps_ci_low"] = h["nps_ci_high"] = None  # recommend not 0-10
    result = network(write(tmp_path / "r", ss))
    assert "nps" not in result.leagues and "satisfaction_index" in result.leagues
    page = result.paths["network.html"].read_text()
    assert "Not in any company summary: NPS" in page


def test_significance_from_the_interval_else_the_flag(tmp_path):
    ss = [
        summary("up", change=3.0, change_ci=(0.5, 5.5), flag=True),
        summary("down", change=-2.0, change_ci=(-4.1, -0.2), flag=True),
        # the flag says significant but the interval holds zero: the interval decides
        summary("flat", change=1.0, change_ci=(-1.0, 3.0), flag=True),
        summary("flagonly", change=-6.0, flag=True),  # an older summary: no interval
        summary("once", waves=("2026",)),
    ]
    for s in ss:
        h = s["stages"]["satisfaction"]["headline"]
        h["nps_change"] = None
    result = analyse(write(tmp_path / "r", ss))
    moves = result.movers.set_index("company")
    assert moves.loc["up", "direction"] == "up"
    assert moves.loc["down", "direction"] == "down"
    assert moves.loc["flat", "direction"] == "none"
    assert moves.loc["flagonly", "direction"] == "down"
    # significant ones first, larger first: flagonly (6), up (3), down (2), then flat
    assert result.movers["company"].tolist() == ["flagonly", "up", "down", "flat"]
    assert result.with_waves == 4 and result.one_wave == ["Once"]
    page = network(tmp_path / "r").paths["network.html"].read_text()
    assert "3 of the 4 companies with two waves have moved significantly" in page
    assert "Up: the Satisfaction index rose by 3.0 from 2025 to 2026" in page
    assert "1 company has one wave only, so no change yet: Once." in page


def test_without_two_waves_the_section_says_so(tmp_path):
    result = network(write(tmp_path / "r", [summary("a"), summary("b", waves=None)]))
    assert len(result.movers) == 0
    assert "needs two survey waves" in result.paths["network.html"].read_text()


def test_priorities_shared_across_the_network(tmp_path):
    ss = [
        summary("a", improve=["price", "delivery", "service", "speed"]),
        summary("b", improve=["price", "speed"]),
        summary("c", improve=["delivery"]),
        summary("d", survey=False),
    ]
    shared = shared_priorities(analyse(write(tmp_path / "r", ss)).summaries, first=3)
    # first three of each: price 2 (first of a and b), delivery 2 (first of c), service
    # 1, speed 1 (a's fourth does not count)
    got = shared[["attribute", "companies", "first_priority", "of"]].values.tolist()
    assert got == [
        ["price", 2, 2, 3],
        ["delivery", 2, 1, 3],
        ["service", 1, 0, 3],
        ["speed", 1, 0, 3],
    ]
    assert shared["label"].tolist()[:2] == ["Price", "Delivery"]
    assert shared_priorities(analyse(tmp_path / "r").summaries, first=1)["attribute"].tolist() == [
        "price",
        "delivery",
    ]


def test_tidy_table_parquet_and_csv(five, tmp_path):
    result = network(five, tmp_path / "out")
    table = pd.read_parquet(result.paths["network.parquet"])
    csv = pd.read_csv(result.paths["network.csv"], keep_default_na=False, na_values=[""])
    assert len(table) == len(csv) and not table.duplicated(["company", "measure"]).any()
    row = table[(table.company == "a") & (table.measure == "satisfaction_index")].iloc[0]
    assert (row.value, row.ci_low, row.ci_high, row.n, row.unit, row.wave) == (
        70.0,
        68.5,
        71.5,
        1481.0,
        "points",
        "2026",
    )
    share = table[(table.company == "a") & (table.measure == "service_level")].iloc[0]
    assert share.value == pytest.approx(0.755330277498) and share.unit == "share"
    assert set(csv.columns) == set(table.columns)
    assert csv["value"].tolist() == pytest.approx(table["value"].tolist())


def test_missing_companies_listed_with_why(tmp_path):
    folder = write(
        tmp_path / "r",
        [summary("ok1", index=70, ci=(68, 72)), summary("stale", index=50, ci=(48, 52))],
        batch=[
            {"company": "ok1", "status": "ok"},
            {
                "company": "stale",
                "status": "failed",
                "notebook": "02_satisfaction",
                "error": "KeyError: overall",
            },
            {"company": "gone", "status": "interrupted"},
        ],
    )
    (folder / "bad").mkdir()
    (folder / "bad" / "summary.json").write_text("{not json", encoding="utf-8")
    result = network(folder)
    why = {m.company: m.reason for m in result.missing}
    assert set(result.summaries) == {"ok1"}
    assert "KeyError: overall" in why["stale"] and "02_satisfaction" in why["stale"]
    assert "interrupted" in why["gone"]
    assert "bad/summary.json" in why["bad"] and "expected JSON" in why["bad"]
    page = result.paths["network.html"].read_text()
    assert "3 companies are missing" in page and "KeyError: overall" in page
    assert "With one company there is no network" in page


def test_two_companies_and_one_without_survey(tmp_path):
    ss = [
        summary("a", index=70, ci=(68, 72)),
        summary("b", index=60, ci=(58, 62)),
        summary("z", name="Zeta", survey=False),
    ]
    result = network(write(tmp_path / "r", ss))
    assert result.no_survey == ["Zeta"]
    assert result.leagues["satisfaction_index"]["company"].tolist() == ["a", "b"]
    page = result.paths["network.html"].read_text()
    assert "1 company has no survey, so no satisfaction numbers: Zeta." in page
    # three companies, two with a survey: the league has two, percentiles compare one other
    pct = result.percentiles.query("measure == 'satisfaction_index'").set_index("company")
    assert pct["percentile"].to_dict() == {"a": 100.0, "b": 0.0}


def test_russian_from_the_companies_or_the_option(five, tmp_path):
    ru = [summary(s, index=v, ci=ci, language="ru") for s, v, ci in FIVE]
    result = network(write(tmp_path / "ru", ru))
    page = result.paths["network.html"].read_text()
    assert result.language == "ru" and '<html lang="ru">' in page
    assert "В сети 5 компаний с основными показателями." in page
    assert "Рейтинги" in page and "League tables" not in page
    en = network(tmp_path / "ru", tmp_path / "en", language="en")
    assert "The network has 5 companies" in en.paths["network.html"].read_text()


def test_every_text_of_the_report_has_a_russian_translation():
    from orient.i18n import catalog

    entries = catalog._entries("ru")
    folder = Path(orient.networkview.__file__).parent
    source = "\n".join(p.read_text() for p in folder.glob("*.py"))
    used = set(re.findall(r'_t\(\s*["\']([^"\']+)["\']', source))
    used |= set(re.findall(r'message\(\s*"terms.network",\s*"([^"]+)"', source))
    used |= {m.label for m in orient.networkview.measures.MEASURES}
    missing = [t for t in used if ("terms.network", t) not in entries]
    assert not missing and len(used) > 30
    plots = set(re.findall(r'plot_text\(\s*["\']([^"\']+)["\']', source))
    assert plots and all(("terms.plots", t) in entries for t in plots)


def test_company_names_are_escaped(tmp_path):
    ss = [
        summary("a", name="<script>alert(1)</script>", index=70, ci=(68, 72)),
        summary("b", index=60, ci=(58, 62)),
    ]
    page = network(write(tmp_path / "r", ss)).paths["network.html"].read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_cli_and_bad_input(five, tmp_path, capsys):
    assert main(["network", str(five), "-o", str(tmp_path / "o"), "--language", "ru"]) == 0
    assert "Network of 5 companies written" in capsys.readouterr().out
    assert (tmp_path / "o" / "network.html").is_file()
    assert main(["network", str(tmp_path / "nowhere")]) == 1
    assert "expected the output folder of `orient batch`" in capsys.readouterr().err
    (five / "batch.json").write_text('{"companies": 3}')
    with pytest.raises(DataError, match="batch.json: expected a 'companies' list"):
        network(five)
    assert main(["network", str(five), "--first", "0"]) == 2
    assert orient.network is network


@pytest.mark.slow
def test_a_real_two_company_batch(tmp_path):
    """A real batch (headline numbers from the stage modules on synthetic surveys, with
    a one-cell notebook each): the league follows the companies' own summary.json."""
    from test_report_support import notebook, write_notebooks

    from orient import batch, synth

    companies = tmp_path / "companies"
    synth.make_company(companies / "alpha", seed=1, n_respondents=300)
    synth.make_company(companies / "beta", seed=2, n_respondents=300)
    nbs = write_notebooks(tmp_path / "nbs", {"01_strategy": notebook("x = 1")})
    out = tmp_path / "reports"
    batch.run(companies, out, workers=1, notebooks_dir=nbs, pdf=False, progress=False)
    result = network(out)
    assert set(result.summaries) == {"alpha", "beta"} and not result.missing
    own = {
        slug: json.loads((out / slug / "summary.json").read_text())["stages"]["satisfaction"][
            "headline"
        ]
        for slug in ("alpha", "beta")
    }
    expected = sorted(own, key=lambda s: -own[s]["satisfaction_index"])
    rows = result.leagues["satisfaction_index"]
    assert rows["company"].tolist() == expected
    assert rows["ci_low"].tolist() == [own[s]["satisfaction_index_ci_low"] for s in expected]
    table = pd.read_parquet(result.paths["network.parquet"])
    assert set(table["company"]) == {"alpha", "beta"}
    assert "With 2 companies a percentile" in result.paths["network.html"].read_text()
