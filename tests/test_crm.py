"""Tests of orient.operations.crm on small hand-made deal tables (expected values by hand)."""

from __future__ import annotations

import json
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from orient.operations import crm

STAGES = ["lead", "proposal", "negotiation", "contract"]


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval written out from Wilson (1927)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def make_deals() -> pd.DataFrame:
    rows = [
        # id, manager, client, source, stage, created, closed, outcome, reason, planned, paid, due
        (
            1,
            "Ann",
            "c1",
            "web",
            "contract",
            "2026-01-01",
            "2026-01-21",
            "won",
            None,
            100,
            100,
            "2026-02-01",
        ),
        (
            2,
            "Ann",
            "c2",
            "web",
            "contract",
            "2026-01-05",
            "2026-02-04",
            "won",
            None,
            200,
            50,
            "2026-02-15",
        ),
        (
            3,
            "Ann",
            "c3",
            "call",
            "proposal",
            "2026-01-10",
            "2026-01-20",
            "lost",
            "price",
            80,
            0,
            None,
        ),
        (4, "Bob", "c1", "call", "lead", "2026-01-12", "2026-01-14", "lost", "price", 50, 0, None),
        (
            5,
            "Bob",
            "c4",
            "web",
            "negotiation",
            "2026-01-15",
            "2026-02-14",
            "lost",
            "timing",
            70,
            0,
            None,
        ),
        (6, "Bob", "c5", "call", "negotiation", "2026-02-01", None, "open", None, 90, 0, None),
        (
            7,
            "Bob",
            "c6",
            "web",
            "contract",
            "2026-02-03",
            "2026-02-13",
            "won",
            None,
            300,
            0,
            "2026-03-20",
        ),
        (8, "Cid", "c7", "web", "lead", "2026-03-01", None, "open", None, 40, 0, None),
        (9, "Cid", "c8", "call", "proposal", "2026-03-02", "2026-03-12", "lost", "", 60, 0, None),
    ]
    cols = [
        "deal_id",
        "manager",
        "client",
        "source",
        "stage",
        "created",
        "closed",
        "outcome",
        "refusal_reason",
        "planned_amount",
        "paid_amount",
        "invoice_due",
    ]
    d = pd.DataFrame(rows, columns=cols)
    d["segment"] = ["A", "A", "B", "B", "A", "B", "A", "B", "A"]
    d["region"] = "north"
    for c in ("created", "closed", "invoice_due"):
        d[c] = pd.to_datetime(d[c])
    return d


def test_funnel_counts_and_conversions_by_hand():
    f = crm.funnel(make_deals(), stages=STAGES)
    assert f["stage"].tolist() == STAGES  # won deals sit at the last stage: no extra row
    # reached: every deal got to lead (9); proposal: all but deals 4 and 8 (7);
    # negotiation: 7 minus the two lost at proposal (3 and 9) = 5; contract: won 1, 2, 7 = 3
    assert f["reached"].tolist() == [9, 7, 5, 3]
    assert f["at_stage_open"].tolist() == [1, 0, 1, 0]
    assert f["lost_here"].tolist() == [1, 2, 1, 0]
    assert f["conversion"].iloc[2] == pytest.approx(5 / 7)
    lo, hi = wilson(5, 7)
    assert (f["ci_low"].iloc[2], f["ci_high"].iloc[2]) == pytest.approx((lo, hi), rel=1e-10)
    assert f["from_start"].iloc[-1] == pytest.approx(3 / 9)


def test_funnel_inferred_order_and_unknown_stage():
    f = crm.funnel(make_deals())
    assert f["stage"].iloc[-1] == "contract"  # the stage of the won deals comes last
    with pytest.raises(ValueError, match="not in `stages`"):  # open deal 6 at negotiation
        crm.funnel(make_deals(), stages=["lead", "proposal"])


def test_funnel_with_terminal_lost_and_won_labels():
    # CRM exports often put lost deals in a "Lost" stage and won ones in "Won"
    d = make_deals()
    d.loc[d["outcome"] == "lost", "stage"] = "Lost"
    d.loc[d["outcome"] == "won", "stage"] = "Won"
    f = crm.funnel(d, stages=["lead", "proposal", "negotiation", "Won"])
    # the 4 lost deals have no known stage of loss: they count as reached "lead" only;
    # open: 8 at lead, 6 at negotiation; won: 1, 2, 7
    assert f["reached"].tolist() == [9, 4, 4, 3]
    assert f["lost_here"].tolist() == [4, 0, 0, 0]
    inferred = crm.funnel(d)
    assert "Lost" not in inferred["stage"].tolist() and inferred["stage"].iloc[-1] == "Won"


def test_win_rates_with_suppression():
    w = crm.win_rates(make_deals(), "manager", min_base=3).set_index("group")
    # Ann: 2 won of 3 closed; Bob: 1 of 3; Cid: 0 of 1 (suppressed)
    assert w.loc["Ann", ["n", "won"]].tolist() == [3, 2]
    assert w.loc["Ann", "estimate"] == pytest.approx(2 / 3)
    lo, hi = wilson(2, 3)
    assert w.loc["Ann", "ci_low"] == pytest.approx(lo, rel=1e-10)
    assert w.loc["Ann", "ci_high"] == pytest.approx(hi, rel=1e-10)
    assert w.loc["Cid", "suppressed"] and np.isnan(w.loc["Cid", "estimate"])
    assert w.loc["all", ["n", "won", "open"]].tolist() == [7, 3, 2]
    assert w.index[-1] == "all"


def test_sales_cycle_by_hand():
    c = crm.sales_cycle(make_deals()).set_index("outcome")
    won_days = [20, 30, 10]
    lost_days = [10, 2, 30, 10]
    assert c.loc["won", "median_days"] == pytest.approx(np.median(won_days))
    assert c.loc["lost", "mean_days"] == pytest.approx(np.mean(lost_days))
    assert c.loc["won", "p90_days"] == pytest.approx(np.quantile(won_days, 0.9))
    by = crm.sales_cycle(make_deals(), by="manager")
    assert set(by.columns) >= {"group", "outcome", "n"}


def test_refusal_pareto_by_hand():
    p = crm.refusal_pareto(make_deals())
    # a lost deal without a reason is "not recorded", never a reason of its own
    assert p["reason"].tolist() == ["price", "timing"]
    assert p["n"].tolist() == [2, 1]
    np.testing.assert_allclose(p["cumulative_share"], [2 / 3, 1.0])
    assert p["vital_few"].tolist() == [True, True]  # 80 % needs both
    assert p.loc[0, "lost_amount"] == 130
    assert p.attrs == {"lost": 4, "not_recorded": 1}


def test_no_recorded_reason_is_no_refusal_finding():
    d = make_deals()
    d["refusal_reason"] = None
    p = crm.refusal_pareto(d)
    assert p.empty and p.attrs["not_recorded"] == p.attrs["lost"] == 4


def test_planned_paid_ageing_and_overdue():
    d = make_deals()
    pp = crm.planned_vs_paid(d).set_index("group")
    assert pp.loc["Ann", ["planned", "paid", "unpaid"]].tolist() == [300, 150, 150]
    assert pp.loc["all", "paid_ratio"] == pytest.approx(150 / 600)
    ag = crm.receivables_ageing(d, as_of="2026-04-01").set_index("band")
    # outstanding: deal 2 (150, due 02-15, 45 days late), deal 7 (300, due 03-20, 12 days)
    assert ag.loc["1-30 days", "amount"] == 300 and ag.loc["31-60 days", "amount"] == 150
    assert ag.loc["not due", "amount"] == 0 and ag["share"].sum() == pytest.approx(1)
    od = crm.overdue_invoices(d, as_of="2026-04-01")
    assert od["deal_id"].tolist() == [7, 2] and od["days_overdue"].tolist() == [12, 45]
    early = crm.receivables_ageing(d, as_of="2026-03-01").set_index("band")
    assert early.loc["not due", "amount"] == 300


def test_customer_card_joins_tables():
    claims = pd.DataFrame(
        {
            "claim_id": [1, 2],
            "customer_id": ["c1", "c9"],
            "received": pd.to_datetime(["2026-02-01", "2026-02-02"]),
            "resolved": pd.to_datetime([None, "2026-02-05"]),
            "category": ["delivery", "billing"],
            "amount_claimed": [30.0, 10],
            "amount_settled": [0.0, 10],
        }
    )
    survey = pd.DataFrame(
        {
            "respondent_id": [1, 2, 3],
            "customer_id": ["c1", "c1", "c2"],
            "wave": [1, 2, 1],
            "overall": [6, 8, 9],
            "recommend": [7, 9, 10],
        }
    )
    card = crm.customer_card(
        "c1", deals=make_deals(), claims=claims, survey=survey, as_of="2026-04-01"
    )
    s = card.summary
    assert (s["deals"], s["won"], s["lost"], s["win_rate"]) == (2, 1, 1, 0.5)
    assert s["planned_won"] == 100 and s["outstanding"] == 0
    assert s["claims"] == 1 and s["claims_open"] == 1 and s["amount_claimed"] == 30
    assert s["survey_responses"] == 2 and s["overall"] == 8  # the latest wave
    assert "<table>" in card._repr_html_()
    nobody = crm.customer_card("zz", deals=make_deals())
    assert nobody.summary["deals"] == 0 and nobody.deals.empty


def test_analyse_and_headline():
    company = SimpleNamespace(
        deals=make_deals(), min_base=3, confidence=0.95, profile={"crm": {"stages": STAGES}}
    )
    res = crm.analyse(company, as_of="2026-04-01")
    assert res.funnel["reached"].tolist() == [9, 7, 5, 3]
    h = crm.headline(res)
    json.dumps(h)
    assert h["deals"] == 9 and h["win_rate"] == pytest.approx(3 / 7)
    assert h["overdue_amount"] == 450 and h["overdue_share"] == pytest.approx(1.0)
    assert h["risk"].startswith("100% of receivables are overdue") and h["risk_value"] == 450
    assert h["as_of"] == "2026-04-01"
    assert not res.stages_inferred
    assert crm.analyse(
        SimpleNamespace(deals=make_deals(), min_base=3, profile=None)
    ).stages_inferred
    empty = crm.analyse(SimpleNamespace(deals=None))
    assert empty.funnel is None and crm.headline(empty)["risk"] is None


def test_argument_checks():
    bad = make_deals().assign(outcome=["won"] * 8 + ["maybe"])
    with pytest.raises(ValueError, match="maybe"):
        crm.win_rates(bad, "manager")
    with pytest.raises(ValueError, match="Could not find column 'channel'"):
        crm.win_rates(make_deals(), "channel")
    with pytest.raises(TypeError, match="deals"):
        crm.funnel([1, 2, 3])


def test_plots_draw_what_they_show():
    import matplotlib.pyplot as plt

    from orient.present import plots

    f = crm.funnel(make_deals(), stages=STAGES)
    ax = plots.funnel_plot(f)
    assert [p.get_width() for p in ax.patches] == f["reached"].tolist()
    assert [t.get_text() for t in ax.get_yticklabels()] == STAGES
    _, ax2 = plt.subplots()
    p = crm.refusal_pareto(make_deals())
    plots.pareto_plot(p, ax=ax2)
    assert [b.get_height() for b in ax2.patches] == p["n"].tolist()
    _, ax3 = plt.subplots()
    ag = crm.receivables_ageing(make_deals(), as_of="2026-04-01")
    plots.receivables_plot(ag, currency="EUR", ax=ax3)
    assert [b.get_height() for b in ax3.patches] == ag["amount"].tolist()
    assert ax3.get_ylabel() == "outstanding, EUR"


def test_key_figures_for_people():
    res = crm.analyse(
        SimpleNamespace(deals=make_deals(), min_base=3, profile={"crm": {"stages": STAGES}}),
        as_of="2026-04-01",
    )
    kf = crm.key_figures(res, currency="EUR")
    assert kf.loc["Deals in the table", "value"] == "9"
    assert kf.loc["of which overdue", "value"] == "450 EUR"
    assert (
        kf.loc["Most common reason for losing", "value"]
        == "price (67% of lost deals with a recorded reason)"
    )
    assert crm.key_figures(crm.analyse(SimpleNamespace(deals=None))).empty


def test_pick_client_and_card_escapes_html():
    res = crm.analyse(
        SimpleNamespace(deals=make_deals(), min_base=3, profile={"crm": {"stages": STAGES}}),
        as_of="2026-04-01",
    )
    assert crm.pick_client(res) == "c6"  # deal 7: 300 outstanding, the largest
    claims = pd.DataFrame({"customer_id": ["x", "y", "y"]})
    assert crm.pick_client(None, claims=claims) == "y"
    assert crm.pick_client(None) is None
    card = crm.customer_card("<b>", deals=make_deals())
    assert "<b>" not in card._repr_html_().replace("<b>Client", "")
    assert repr(card).startswith("CustomerCard(client='<b>'")


def test_old_module_path_keeps_every_name():
    import orient.crm as old

    for name in [*old.__all__, "DATA_NEEDED", "OUTCOMES"]:
        assert getattr(old, name) is getattr(crm, name), name
