"""Tests of orient.operations.service: Erlang C, staffing per interval and claims handling."""

from __future__ import annotations

import heapq
import math
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from _real import real_data, require

from orient.operations import service

_real = real_data


BANK = _real("anonymous-bank-calls")


# --- independent references ------------------------------------------------------------


def erlang_c_exact(a: Fraction, n: int) -> Fraction:
    """The textbook closed form with factorials, in exact rational arithmetic."""
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


def simulate_mmc(lam: float, mu: float, n: int, customers: int, seed: int) -> np.ndarray:
    """Waiting times of an FCFS M/M/n queue by direct event simulation."""
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / lam, customers))
    services = rng.exponential(1 / mu, customers)
    free = [0.0] * n
    waits = np.empty(customers)
    for i, (t, s) in enumerate(zip(arrivals, services, strict=True)):
        f = heapq.heappop(free)
        start = max(t, f)
        waits[i] = start - t
        heapq.heappush(free, start + s)
    return waits


# --- Erlang C -----------------------------------------------------------------------------


def test_textbook_example_100_calls_half_hour():
    # widely published calculator example (100 calls / 30 min, AHT 180 s, 20 s target):
    # 11 agents: P(wait) 68.21 %, ASA 122.8 s; 14 agents: P(wait) 17.41 %, SL 88.8 %
    r11 = service.erlang_c(100, 1800, 180, 11)
    assert r11.p_wait == pytest.approx(0.6821, abs=5e-5)
    assert r11.asa_s == pytest.approx(122.8, abs=0.05)
    r14 = service.erlang_c(100, 1800, 180, 14)
    assert r14.p_wait == pytest.approx(0.1741, abs=5e-5)
    assert r14.service_level == pytest.approx(0.8884, abs=5e-5)
    assert r14.occupancy == pytest.approx(10 / 14, rel=1e-12)
    assert service.agents_needed(100, 1800, 180, target_level=0.8, target_s=20) == 14


@pytest.mark.parametrize(
    "a,n",
    [
        (Fraction(1, 2), 1),
        (Fraction(10), 11),
        (Fraction(10), 14),
        (Fraction(37, 3), 20),
        (Fraction(49), 50),
        (Fraction(80), 95),
    ],
)
def test_erlang_c_matches_exact_factorial_formula(a, n):
    # exact rational arithmetic of the closed form (no floating point at all)
    expected = float(erlang_c_exact(a, n))
    got = service.erlang_c(float(a) * 3600 / 300, 3600, 300, n).p_wait
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_erlang_b_matches_recursion_and_definition():
    # definition: B = (a^n/n!) / sum_k a^k/k!, exact rationals
    a, n = Fraction(15, 2), 9
    exact = (a**n / math.factorial(n)) / sum(a**k / math.factorial(k) for k in range(n + 1))
    np.testing.assert_allclose(service.erlang_b(7.5, 9), float(exact), rtol=1e-12)


def test_large_agent_counts_are_stable():
    # 10 000 Erlangs: the factorial formula overflows; the result must still be a
    # probability and the square-root staffing rule must hold: n ~ a + beta sqrt(a)
    a = 10_000.0
    n = service.agents_needed(a, 3600, 3600, target_level=None, max_p_wait=0.2)
    # Halfin-Whitt: P(wait) -> [1 + beta Phi(beta)/phi(beta)]^-1 ; beta for 0.2 is ~1.06
    from scipy import optimize, stats

    beta = optimize.brentq(
        lambda b: 1 / (1 + b * stats.norm.cdf(b) / stats.norm.pdf(b)) - 0.2, 0.01, 5
    )
    assert abs(n - (a + beta * math.sqrt(a))) < 3
    r = service.erlang_c(a, 3600, 3600, n)
    assert 0.18 < r.p_wait <= 0.2
    assert r.p_wait == pytest.approx(float(r.p_wait), abs=0)  # finite float


def test_erlang_c_against_simulation():
    # 8 Erlangs on 10 agents, 200 000 simulated calls with a fixed seed
    lam, mu, n = 8.0, 1.0, 10
    waits = simulate_mmc(lam, mu, n, 200_000, seed=1)[5_000:]
    r = service.erlang_c(8 * 3600 / 3600, 3600, 3600, n, target_s=0.25 * 3600)
    assert np.mean(waits > 0) == pytest.approx(r.p_wait, abs=0.01)
    # waiting times are strongly autocorrelated at 80 % load: the mean converges slowly
    assert np.mean(waits) * 3600 == pytest.approx(r.asa_s, rel=0.1)
    assert np.mean(waits <= 0.25) == pytest.approx(r.service_level, abs=0.01)


def test_edges_and_unstable_queue():
    assert service.erlang_c(0, 1800, 180, 0) == service.ServiceLevel(0.0, 1.0, 0.0, 0.0)
    r = service.erlang_c(100, 1800, 180, 10)  # exactly 10 Erlangs on 10 agents
    assert (r.p_wait, r.service_level, r.occupancy) == (1.0, 0.0, 1.0) and math.isinf(r.asa_s)
    assert service.agents_needed(0, 1800, 180) == 0


def test_agents_needed_is_smallest_meeting_each_criterion():
    calls, interval, aht = 250, 1800, 240
    for kw in [
        {"target_level": 0.9, "target_s": 15},
        {"target_level": None, "max_p_wait": 0.3},
        {"target_level": 0.5, "max_occupancy": 0.85},
        {"target_level": None, "max_asa_s": 10},
    ]:
        n = service.agents_needed(calls, interval, aht, **kw)

        def ok(m, kw=kw):
            r = service.erlang_c(calls, interval, aht, m, target_s=kw.get("target_s", 20))
            return (
                (kw.get("target_level") is None or r.service_level >= kw["target_level"])
                and r.p_wait <= kw.get("max_p_wait", 1)
                and r.occupancy <= kw.get("max_occupancy", 1)
                and r.asa_s <= kw.get("max_asa_s", math.inf)
            )

        # brute force: the first count from 1 upwards that meets the criterion
        assert n == next(m for m in range(1, 200) if ok(m))


@pytest.mark.parametrize(
    "bad,exc",
    [
        ({"calls": -1}, ValueError),
        ({"aht_s": 0}, ValueError),
        ({"agents": 2.5}, TypeError),
        ({"calls": "10"}, TypeError),
    ],
)
def test_argument_checks(bad, exc):
    kw = {"calls": 10, "interval_s": 1800, "aht_s": 180, "agents": 3} | bad
    with pytest.raises(exc, match=next(iter(bad))):
        service.erlang_c(**kw)
    with pytest.raises(ValueError, match="target_level"):
        service.agents_needed(10, 1800, 180, target_level=1.0)


# --- the published Miller (ch. 6) worked example ----------------------------------------


@pytest.fixture(scope="module")
def wednesdays():
    f = BANK / "data_anonymous_bank_february.txt"
    require(f, "the Anonymous Bank call log")
    d = pd.read_csv(f, sep="\t")
    d = d[(d["outcome"] != "PHANTOM") & (d["vru_time"] >= 0)]
    d = d[d["date"].isin([990203, 990210, 990217, 990224])]  # the four Wednesdays
    return d.assign(hour=d["vru_entry"].str.split(":").str[0].astype(int))


def test_miller_service_rate(wednesdays):
    # Miller (2015) ch. 6, R code: mean(hourly.service.rate) is 14.86443; hours with
    # no served call take the mean service time of all served calls
    served = wednesdays[wednesdays["server"] != "NO_SERVER"]
    hourly = served.groupby("hour")["ser_time"].mean().reindex(range(24))
    hourly = hourly.fillna(served["ser_time"].mean())
    assert (3600 / (hourly + 60)).mean() == pytest.approx(14.86443, abs=5e-6)


def test_miller_agents_for_p_wait_half(wednesdays):
    # Miller (2015) ch. 6: servers needed for P(wait) <= 0.5 at 15 calls/hour per agent
    expected = [1, 1, 1, 0, 1, 1, 1, 4, 8, 9, 10, 9, 8, 16, 10, 10, 6, 7, 8, 8, 6, 6, 5, 4]
    per_hour = wednesdays.groupby("hour").size().reindex(range(24), fill_value=0) / 4
    got = [
        service.agents_needed(c, 3600, 3600 / 15, target_level=None, max_p_wait=0.5)
        for c in per_hour
    ]
    assert got == expected


# --- staffing per interval -------------------------------------------------------------------


def make_calls(seed=0, days=2):
    rng = np.random.default_rng(seed)
    start = pd.date_range("2026-03-02 08:00", periods=20, freq="30min")
    starts = start.append([start + pd.Timedelta(days=d) for d in range(1, days)])
    offered = rng.poisson(np.tile(60 + 40 * np.sin(np.linspace(0, np.pi, 20)), days))
    answered = np.minimum(offered, (offered * rng.uniform(0.88, 0.98, len(offered))).astype(int))
    in_target = (answered * rng.uniform(0.5, 0.95, len(offered))).astype(int)
    return pd.DataFrame(
        {
            "interval_start": starts,
            "offered": offered,
            "answered": answered,
            "answered_in_target": in_target,
            "abandoned": offered - answered,
            "aht_s": rng.uniform(200, 260, len(offered)).round(),
        }
    )


def test_staffing_columns_and_values():
    calls = make_calls()
    s = service.staffing(calls, target_s=20, target_level=0.8)
    assert list(s.columns) == [
        "interval_start",
        "hour",
        "offered",
        "answered",
        "abandoned",
        "aht_s",
        "achieved_level",
        "abandon_rate",
        "traffic_erlangs",
        "required_agents",
        "implied_agents",
        "staff_gap",
        "below_target",
        "scheduled_agents",
    ]
    row = s.iloc[7]
    src = calls.sort_values("interval_start").iloc[7]
    # hand calculation from the definitions
    assert row["achieved_level"] == pytest.approx(src["answered_in_target"] / src["offered"])
    assert row["traffic_erlangs"] == pytest.approx(src["offered"] * src["aht_s"] / 1800)
    assert row["required_agents"] == service.agents_needed(src["offered"], 1800, src["aht_s"])
    lv = row["achieved_level"]
    assert row["implied_agents"] == service.agents_needed(
        src["offered"], 1800, src["aht_s"], target_level=min(lv, 0.999)
    )
    assert row["below_target"] == (lv < 0.8)


def test_staffing_uses_agents_column_when_given():
    calls = make_calls().assign(agents=12)
    s = service.staffing(calls)
    assert (s["implied_agents"] == 12).all()
    assert (s["staff_gap"] == s["required_agents"] - 12).all()


def test_hourly_profile_pools_by_hour():
    s = service.staffing(make_calls())
    hp = service.hourly_profile(s)
    g = s[s["hour"] == 9]
    assert hp.loc[9, "n"] == len(g)
    assert hp.loc[9, "offered"] == pytest.approx(g["offered"].mean())
    assert hp["peak"].any()


# --- claims ----------------------------------------------------------------------------


def make_claims():
    return pd.DataFrame(
        {
            "claim_id": range(1, 9),
            "customer_id": [1, 2, 3, 4, 5, 6, 7, 8],
            "received": pd.to_datetime(
                [
                    "2026-01-01",
                    "2026-01-05",
                    "2026-01-10",
                    "2026-02-01",
                    "2026-02-10",
                    "2026-02-20",
                    "2026-03-01",
                    "2026-03-20",
                ]
            ),
            "resolved": pd.to_datetime(
                [
                    "2026-01-03",
                    "2026-01-15",
                    None,
                    "2026-02-04",
                    "2026-03-12",
                    None,
                    "2026-03-03",
                    None,
                ]
            ),
            "category": [
                "delivery",
                "delivery",
                "quality",
                "quality",
                "quality",
                "billing",
                "delivery",
                "billing",
            ],
            "amount_claimed": [100.0, 50, 200, 80, 120, 60, 40, 30],
            "amount_settled": [100.0, 25, 0, 80, 60, 0, 40, 0],
        }
    )


def test_claims_by_category_hand_calculation():
    c = service.claims_by_category(make_claims()).set_index("category")
    assert c.loc["quality", "n"] == 3 and c.loc["quality", "open"] == 1
    # resolved quality claims: 80 -> 80 and 120 -> 60: ratio 140/200
    assert c.loc["quality", "settled_ratio"] == pytest.approx(140 / 200)
    # delivery: 2, 10 and 2 days
    assert c.loc["delivery", "median_days"] == pytest.approx(2.0)
    assert math.isnan(c.loc["billing", "settled_ratio"])


def test_resolution_backlog_and_monthly():
    cl = make_claims()
    r = service.resolution_times(cl).set_index("category")
    days = [2, 10, 3, 30, 2]
    assert r.loc["all", "median_days"] == pytest.approx(np.median(days))
    assert r.loc["all", "p90_days"] == pytest.approx(np.quantile(days, 0.9))
    b = service.claims_backlog(cl, as_of="2026-03-31")
    # open: received 01-10 (80 days), 02-20 (39 days), 03-20 (11 days)
    assert b["n"].tolist() == [0, 1, 2, 0]
    m = service.claims_monthly(cl)
    assert m["received"].tolist() == [3, 3, 2] and m["resolved"].tolist() == [2, 1, 2]
    assert m["open_end"].tolist() == [1, 3, 3]


def test_analyse_and_headline():
    company = SimpleNamespace(calls=make_calls(), claims=make_claims(), profile=None)
    res = service.analyse(company, as_of="2026-03-31")
    h = service.headline(res)
    import json

    json.dumps(h)  # JSON-safe
    assert h["claims_n"] == 8 and h["claims_open"] == 3
    calls = company.calls
    assert h["service_level"] == pytest.approx(
        calls["answered_in_target"].sum() / calls["offered"].sum()
    )
    assert h["risk"] is not None and h["risk_value"] is not None

    empty = service.analyse(SimpleNamespace(calls=None, claims=None, profile=None))
    assert empty.staffing is None and empty.claims_by_category is None
    he = service.headline(empty)
    assert he["service_level"] is None and he["risk"] is None


def test_sample_company_end_to_end():
    import orient

    root = Path(__file__).resolve().parents[1] / "data" / "companies" / "harbour-mutual"
    if not root.exists():
        pytest.skip("sample company not available")
    company = orient.load_company(root)
    res = service.analyse(company)
    calls = company.calls
    # the table states the agents on duty: they are the implied staff
    assert (res.staffing["implied_agents"].to_numpy() == calls["agents"].to_numpy()).all()
    h = service.headline(res)
    assert h["service_level"] == pytest.approx(
        calls["answered_in_target"].sum() / calls["offered"].sum()
    )
    top = service.operational_risk(h, None, {"risk": None})
    assert top["risk"] == h["risk"]


def test_plots_draw_what_they_show():
    import matplotlib.pyplot as plt

    from orient.present import plots

    s = service.staffing(make_calls())
    hp = service.hourly_profile(s)
    ax = plots.staffing_plot(hp)
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), hp["required_agents"])
    assert [p.get_height() for p in ax.patches] == pytest.approx(hp["implied_agents"].tolist())
    assert ax.get_xlabel() == "hour of day" and ax.get_ylabel() == "agents" and ax.get_title()
    _, ax2 = plt.subplots()
    plots.service_level_plot(hp, target_level=0.8, ax=ax2)
    assert ax2.get_lines()[0].get_ydata()[0] == pytest.approx(80)
    cl = make_claims()
    _, ax3 = plt.subplots()
    plots.claims_plot(service.claims_monthly(cl), ax=ax3)
    assert ax3.get_lines()[0].get_ydata().tolist() == [3, 3, 2]
    _, ax4 = plt.subplots()
    cat = service.claims_by_category(cl)
    plots.pareto_plot(cat, label="category", ax=ax4)
    assert [t.get_text() for t in ax4.get_xticklabels()] == cat["category"].tolist()


def test_key_figures_for_people():
    company = SimpleNamespace(calls=make_calls(), claims=make_claims(), profile=None)
    res = service.analyse(company, as_of="2026-03-31")
    kf = service.key_figures(res)
    assert kf.loc["Claims received", "value"] == "8"
    assert kf.loc["Calls answered within 20 s", "value"].endswith("%")
    assert "Claims received" not in service.key_figures(res, part="calls").index
    assert list(service.key_figures(res, part="claims").index)[0] == "Claims received"
    none = service.analyse(SimpleNamespace(calls=None, claims=None, profile=None))
    assert service.key_figures(none).empty
    assert "calls per half-hour" in service.DATA_NEEDED["calls"]


def test_extra_agent_hours_hand_calculation():
    calls = make_calls().assign(agents=10)
    company = SimpleNamespace(
        calls=calls,
        claims=None,
        profile={"service": {"interval_min": 30, "agent_cost_per_hour": 20}},
    )
    res = service.analyse(company)
    h = service.headline(res)
    gap = res.staffing["required_agents"] - 10
    assert h["extra_agent_hours"] == pytest.approx(gap.clip(lower=0).sum() * 0.5)
    assert h["spare_agent_hours"] == pytest.approx(-gap.clip(upper=0).sum() * 0.5)
    assert h["extra_cost"] == pytest.approx(h["extra_agent_hours"] * 20)
    assert h["period_days"] == 2
    kf = service.key_figures(res, part="calls", currency="EUR")
    assert kf.loc["Cost of the missing agent-hours (2 days)", "value"].endswith(" EUR")


def test_backlog_method_labels_are_language_free():
    from orient.operations.service import claims

    cl = make_claims()
    b = claims.claims_backlog(cl, as_of="2026-03-31")
    assert b["age_band"].tolist() == ["0-6", "7-29", "30-89", "90+"]
    staged = service.claims_backlog(cl, as_of="2026-03-31")
    assert staged["age_band"].tolist() == ["0-6 days", "7-29 days", "30-89 days", "90+ days"]
    pd.testing.assert_frame_equal(b.drop(columns="age_band"), staged.drop(columns="age_band"))
    with pytest.raises(ValueError, match="labels"):
        claims.claims_backlog(cl, labels=["young", "old"])
    # resolved in 2, 10, 3, 30 and 2 days: 3 of 5 within a week
    assert claims.resolved_within(cl, 7) == pytest.approx(3 / 5)


def test_old_module_path_keeps_every_name():
    import orient.service as old

    for name in [*old.__all__, "DATA_NEEDED", "CALL_COLUMNS", "CLAIM_COLUMNS"]:
        assert getattr(old, name) is getattr(service, name), name


def test_operations_method_modules_know_no_company_or_language():
    # methods take data and return tables; sentences and companies live in stage/narrative,
    # reader tables in display
    import ast

    root = Path(__file__).resolve().parents[1] / "orient" / "operations"
    methods = [
        p
        for p in root.glob("*/*.py")
        if p.name not in ("__init__.py", "stage.py", "narrative.py")
        and not p.name.startswith("display")  # display.py, display_<part>.py
    ]
    assert len(methods) >= 10
    for path in methods:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not imported & {"orient.i18n", "orient.data.company", "orient._memo"}, path.name
        assert not any(m.endswith((".stage", ".narrative")) for m in imported if m), path.name


def test_default_service_targets_are_said_to_be_defaults():
    # company.yaml without a service section: the 80% / 20 s target and the 5% limit on
    # callers hanging up are orient's defaults, and the report says so
    from orient.data.profile_ops import ServiceSpec
    from orient.operations.service import display as service_tables

    res = service.analyse(SimpleNamespace(calls=make_calls(), claims=None, profile=None))
    assert res.defaults == ("target_level", "target_s", "max_abandon_rate")
    assert service_tables.target_defaults(res) == [
        "The targets here are orient's defaults, as company.yaml's `service` section does "
        "not set them: a target of 80% of calls answered in time (service.target_level); "
        "answered in time meaning within 20 s (service.target_s); a limit of 5% of callers "
        "hanging up (service.max_abandon_rate)."
    ]
    # the report renders the sentence's markdown: no escaped backtick shows as text
    assert "\\`" not in service_tables.target_defaults(res)[0].markdown
    # a section that sets the target but not the limit: only the limit is a default
    profile = SimpleNamespace(service=ServiceSpec(target_level=0.9, target_s=30))
    res = service.analyse(SimpleNamespace(calls=make_calls(), claims=None, profile=profile))
    assert (res.target_level, res.target_s, res.defaults) == (0.9, 30.0, ("max_abandon_rate",))
    (line,) = service_tables.target_defaults(res)
    assert line.endswith(
        "does not set them: a limit of 5% of callers hanging up (service.max_abandon_rate)."
    )
    # the call's own target is no default either; without calls nothing is said
    res = service.analyse(
        SimpleNamespace(calls=make_calls(), claims=None, profile=None),
        target_s=15,
        target_level=0.7,
    )
    assert res.defaults == ("max_abandon_rate",)
    every = ServiceSpec(target_level=0.9, target_s=30, max_abandon_rate=0.05)
    res = service.analyse(
        SimpleNamespace(calls=make_calls(), claims=None, profile=SimpleNamespace(service=every))
    )
    assert res.defaults == () and service_tables.target_defaults(res) == []
    none = service.analyse(SimpleNamespace(calls=None, claims=make_claims(), profile=None))
    assert service_tables.target_defaults(none) == []
    ru = service.analyse(
        SimpleNamespace(calls=make_calls(), claims=None, profile=None, language="ru")
    )
    (line,) = service_tables.target_defaults(ru)
    assert line.startswith("Цели здесь — значения orient по умолчанию, так как в разделе")
    assert "в течение 20 с (service.target_s)" in line
