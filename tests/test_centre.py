"""Call-centre planning in the service stage: each part only when company.yaml asks for it."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from orient.data.profile import ServiceSpec
from orient.operations import service
from orient.operations.service.centre import patience_from_intervals
from orient.operations.service.display import (
    centre_sentences,
    day_table,
    hours_table,
    roster_table,
)
from orient.operations.service.erlang_a import agents_needed_a


def make_calls(days=3, chat=True):
    rows = []
    for d in pd.date_range("2026-03-02", periods=days):
        for k in range(96):
            t = d + pd.Timedelta(minutes=15 * k)
            h = k / 4
            offered = int(round(5 + 60 * np.exp(-((h - 11) ** 2) / 6)))
            ab = int(round(0.04 * offered))
            rows.append(
                {"interval_start": t, "offered": offered, "answered": offered - ab,
                 "answered_in_target": int(0.8 * (offered - ab)), "abandoned": ab, "aht_s": 240.0,
                 "asa_s": 15.0, "abandon_wait_s": 60.0, "queue": "voice"}
            )  # fmt: skip
            if chat and 8 <= h < 20:
                rows.append(
                    {"interval_start": t, "offered": 12, "answered": 12, "answered_in_target": 12,
                     "abandoned": 0, "aht_s": 500.0, "asa_s": 0.0, "abandon_wait_s": None,
                     "queue": "chat"}
                )  # fmt: skip
    return pd.DataFrame(rows)


SPEC = {
    "interval_min": 15,
    "shrinkage": 0.25,
    "agent_cost_per_hour": 20.0,
    "max_abandon_rate": 0.05,
    "shifts": [
        {"name": "day", "hours": 8.5, "earliest": "00:00", "latest": "23:30", "every_min": 30,
         "break_min": 30},
        {"name": "part", "hours": 4, "earliest": "00:00", "latest": "23:00"},
    ],
    "chat": {"queue": "chat", "concurrency": 3},
    "tiers": {"escalated_share": 0.1, "specialist_aht_s": 600},
    "service_hours": [{"name": "08-20", "open": "08:00", "close": "20:00"}, {"name": "24/7"}],
    "outsourcing": {"price_per_call": 3.0, "fixed_per_day": 500},
}  # fmt: skip


def company(spec, calls, language="en"):
    return SimpleNamespace(
        calls=calls, claims=None, language=language,
        profile=SimpleNamespace(service=ServiceSpec(**spec)),
    )  # fmt: skip


def test_patience_estimated_from_interval_waits():
    calls = make_calls(days=1, chat=False)
    total = (calls["answered"] * 15.0 + calls["abandoned"] * 60.0).sum()
    assert patience_from_intervals(calls) == pytest.approx(total / calls["abandoned"].sum())
    assert patience_from_intervals(calls.drop(columns="asa_s")) is None


def test_every_part_when_company_yaml_asks():
    calls = make_calls()
    res = service.analyse(company(SPEC, calls))
    c = res.centre
    voice = calls[calls["queue"] == "voice"]
    # the model is Erlang A with the patience estimated from the voice calls' waits
    assert c.patience_source == "calls"
    assert c.patience_s == pytest.approx(patience_from_intervals(voice))
    peak_calls = voice.groupby(voice["interval_start"].dt.time)["offered"].mean().max()
    want = agents_needed_a(peak_calls, 900, 240, c.patience_s, 0.8, 20, max_abandon=0.05)
    assert c.requirement["agents"].max() == want
    assert (c.requirement["agents"] <= c.requirement["agents_erlang_c"]).all()
    # roster covers the scheduled agents; chat agents handle 3 at once
    cov = c.roster.coverage
    assert (cov["scheduled"] >= c.requirement["scheduled"]).all()
    assert c.chat["agents"].max() == -(-c.chat["slots"].max() // 3)
    assert c.tiers["specialist_calls"].sum() == pytest.approx(0.1 * c.requirement["offered"].sum())
    assert c.hours.loc["24/7", "share_outside"] == 0
    assert c.hours.loc["08-20", "agent_hours"] < c.hours.loc["24/7", "agent_hours"]
    h = service.headline(res)
    json.dumps(h)
    assert h["staffing_model"] == "erlang_a" and h["roster_agents"] == c.roster.agents
    assert h["cheaper_option"] in ("in-house", "outsourced")
    assert h["inhouse_cost_per_call"] == pytest.approx(
        (500 + c.requirement["scheduled"].sum() / 4 * 20) / c.requirement["offered"].sum()
    )
    # with shifts the decision is on what the roster pays: its shifts' cost, by hand
    shifts = c.roster.shifts
    assert h["make_or_buy_basis"] == "roster"
    roster_cost = float(shifts["cost"].sum())
    assert h["inhouse_cost_per_call_roster"] == pytest.approx(
        (500 + roster_cost) / c.requirement["offered"].sum()
    )
    assert h["inhouse_cost_per_call_roster"] >= h["inhouse_cost_per_call"]
    price = SPEC["outsourcing"]["price_per_call"]
    assert h["cheaper_option"] == (
        "in-house" if h["inhouse_cost_per_call_roster"] <= price else "outsourced"
    )
    ru_res = service.analyse(company(SPEC, calls, "ru"))
    for r in (res, ru_res):
        text = centre_sentences(r, currency="EUR")
        assert len(text) == 7 and all(t.strip() for t in text)
        for table in (
            day_table(r),
            roster_table(r, currency="EUR"),
            hours_table(r, currency="EUR"),
        ):
            assert not table.empty
    ru = " ".join(centre_sentences(ru_res))
    assert "Эрланга A" in ru and "agents" not in ru and "операторов" in ru


def test_only_the_parts_company_yaml_describes():
    calls = make_calls(days=1, chat=False).drop(columns=["asa_s", "abandon_wait_s"])
    res = service.analyse(company({"interval_min": 15}, calls))
    c = res.centre
    assert c.patience_s is None and c.roster is None and c.chat is None
    assert c.tiers is None and c.hours is None and c.make_or_buy is None
    h = service.headline(res)
    assert h["staffing_model"] == "erlang_c" and "roster_agents" not in h
    assert (c.requirement["agents"] == c.requirement["agents_erlang_c"]).all()
    assert len(centre_sentences(res)) == 2
    assert roster_table(res).empty and hours_table(res).empty
    # the peak is the average day's, not the busiest interval of the table (which the
    # short-staffed table lists with its own, higher, needs)
    peak = int(c.requirement["agents"].max())
    assert f"The busiest interval of the average day needs {peak} " in centre_sentences(res)[0]
    ru = service.analyse(company({"interval_min": 15}, calls, "ru"))
    assert "В самый загруженный интервал среднего дня" in centre_sentences(ru)[0]


def test_headline_fields_are_documented_in_the_schema():
    from pathlib import Path

    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(
        (
            Path(__file__).resolve().parents[1] / "orient" / "schemas" / "summary.schema.json"
        ).read_text()
    )
    doc = schema["$defs"]["service_centre"]
    res = service.analyse(company(SPEC, make_calls(days=1)))
    from orient.operations.service.centre import centre_headline

    h = json.loads(json.dumps(centre_headline(res.centre)))
    assert set(h) <= set(doc["properties"]), set(h) - set(doc["properties"])
    jsonschema.validate(h, doc, cls=jsonschema.Draft202012Validator)


def test_chat_rows_stay_out_of_the_voice_service_level():
    calls = make_calls(days=1)
    res = service.analyse(company({"interval_min": 15, "chat": {"queue": "chat"}}, calls))
    voice = calls[calls["queue"] == "voice"]
    assert res.staffing["offered"].sum() == voice["offered"].sum()
    assert res.centre.chat["chats"].sum() == pytest.approx(12 * 48)
    # without a chat queue in company.yaml every row is a call
    res = service.analyse(company({"interval_min": 15}, calls))
    assert res.staffing["offered"].sum() == calls["offered"].sum() and res.centre.chat is None


def test_a_roster_that_leaves_hours_bare_names_company_yaml():
    from orient import DataError

    spec = {"interval_min": 15, "shifts": [{"name": "day", "hours": 8, "starts": ["08:00"]}]}
    with pytest.raises(DataError, match="company.yaml: service.shifts: no shift covers 00:00"):
        service.analyse(company(spec, make_calls(days=1, chat=False)))


def test_roster_plot_draws_what_it_says():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from orient.present import plots

    res = service.analyse(company(SPEC, make_calls(days=1)))
    cov = res.centre.roster.coverage
    for language in ("en", "ru"):
        fig, ax = plt.subplots()
        plots.roster_plot(cov, interval_min=15, ax=ax, language=language)
        heights = [p.get_height() for p in ax.patches]
        assert heights == cov["scheduled"].tolist()
        text = plots.description(fig)
        surplus = (cov["scheduled"] - cov["required"]).sum() / 4
        assert f"{surplus:.0f}" in text.replace("\u00a0", "").replace(",", "")
        plt.close(fig)


def test_staffing_uses_erlang_a_when_patience_is_known():
    from orient.operations.service.calls import staffing

    calls = make_calls(days=1, chat=False)
    res = service.analyse(company({"interval_min": 15, "patience_s": 90}, calls))
    s = res.staffing
    want = [
        agents_needed_a(c, 900, 240, 90, 0.8, 20, max_abandon=0.05) if c else 0
        for c in calls["offered"]
    ]
    assert s["required_agents"].tolist() == want
    # the busiest interval by brute force over the agent count
    from orient.operations.service.erlang_a import erlang_a

    peak = int(calls["offered"].max())
    ok = [
        (r.service_level >= 0.8 and r.p_abandon <= 0.05)
        for r in (erlang_a(peak, 900, 240, n, 90) for n in range(1, 60))
    ]
    assert s["required_agents"].max() == ok.index(True) + 1
    # impatient callers (90 s for 4-minute calls) and a 5 % cap: more staff than Erlang C's
    plain = staffing(calls, interval_s=900)
    assert s["required_agents"].sum() > plain["required_agents"].sum()
    caption = service_tables_caption(res)
    assert "Erlang A" in caption and "90 s" in caption


def service_tables_caption(res):
    from orient.operations.service.display import short_staffed_table

    return short_staffed_table(res).caption


def partial_log():
    """Three days of hourly intervals 08:00-17:00; the last day stops at 13:00."""
    morning = {8: 10, 9: 20, 10: 30, 11: 50, 12: 40}
    afternoon = {13: [60, 70], 14: [45, 45], 15: [20, 30], 16: [10, 10]}
    rows = []
    for d, day in enumerate(pd.date_range("2026-03-02", periods=3)):
        for h in range(8, 17):
            if h >= 13 and d == 2:
                continue  # the log was cut off at lunch on the last day
            n = morning[h] + d if h < 13 else afternoon[h][d]
            rows.append(
                {"interval_start": day + pd.Timedelta(hours=h), "offered": n, "answered": n,
                 "answered_in_target": int(0.8 * n), "abandoned": 0, "aht_s": 200.0}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_a_partial_day_is_averaged_over_the_days_that_have_each_interval():
    calls = partial_log()
    res = service.analyse(company({"interval_min": 60}, calls))
    req = res.centre.requirement.set_index("time")
    # by hand: 11:00 over three days (50, 51, 52); 13:00 over the two days that have it
    assert req.loc["11:00", "offered"] == pytest.approx((50 + 51 + 52) / 3)
    assert req.loc["13:00", "offered"] == pytest.approx((60 + 70) / 2)
    assert req.loc["15:00", "offered"] == pytest.approx((20 + 30) / 2)
    assert req.loc["07:00", "offered"] == 0
    assert req["offered"].sum() == pytest.approx(
        (10 + 20 + 30 + 50 + 40) + 5 * 1 + 65 + 45 + 25 + 10
    )  # each morning mean is its day-0 value plus (0 + 1 + 2) / 3
    # the busiest hour of the key figures is the table's: 13:00, not 11:00
    h = service.headline(res)
    assert h["peak_hour"] == 13
    table = day_table(res).frame
    hours = table["Hour"].tolist()
    calls_col = [float(v) for v in table["Calls offered (average day)"]]
    assert hours[calls_col.index(max(calls_col))] == "13:00"
    assert h["day_days"] == 3 and h["day_partial_days"] == 1
    # the partial day is said, with the intervals it lacks
    said = centre_sentences(res)
    line = next(s for s in said if "recorded only in part" in s)
    assert "1 of the 3 days" in line and "2026-03-04 13:00\u201317:00" in line
    ru = centre_sentences(service.analyse(company({"interval_min": 60}, calls, "ru")))
    assert any("2026-03-04 13:00\u201317:00" in s and "частично" in s for s in ru)


def test_full_days_say_nothing_about_partial_days():
    res = service.analyse(company({"interval_min": 15}, make_calls(days=2, chat=False)))
    assert len(res.centre.partial_days) == 0
    assert not any("recorded only in part" in s for s in centre_sentences(res))
