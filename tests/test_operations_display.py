"""The operations tables and figures as readers see them.

Expected numbers are computed here from the company's raw tables (pandas on
``company.claims`` / ``company.deals`` / ``company.calls``, Wilson intervals written out),
not from the display code.
"""

from __future__ import annotations

import dataclasses
import math
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import orient  # noqa: E402
from orient.operations.crm import display as crm_tables  # noqa: E402
from orient.operations.quality import display as quality_tables  # noqa: E402
from orient.operations.service import display as service_tables  # noqa: E402
from orient.present import plots  # noqa: E402
from orient.report import sample_company_dir  # noqa: E402


def wilson(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture(scope="module")
def swiftpost():
    return orient.load_company(sample_company_dir("swiftpost"))


@pytest.fixture(scope="module")
def cobalt():
    return orient.load_company(sample_company_dir("cobalt-software"))


@pytest.fixture(scope="module")
def northsteel():
    return orient.load_company(sample_company_dir("northsteel"))


def _column(table, heading):
    return table.frame[heading].tolist()


def test_claims_by_category_from_the_raw_claims(swiftpost):
    svc = orient.service.analyse(swiftpost)
    t = service_tables.claims_category_table(svc, currency="EUR")
    raw = swiftpost.claims
    counts = raw["category"].value_counts()
    assert _column(t, "Category") == counts.index.tolist()  # most frequent first
    assert _column(t, "Claims") == [str(v) for v in counts]
    share = [f"{round(100 * v / len(raw), 1):.1f}" for v in counts]
    assert _column(t, "Share of claims (%)") == share
    open_ = raw[raw["resolved"].isna()]["category"].value_counts()
    assert _column(t, "Open") == [str(int(open_.get(c, 0))) for c in counts.index]
    resolved = raw[raw["resolved"].notna()]
    claimed = resolved.groupby("category")["amount_claimed"].sum()
    assert _column(t, "Claimed, resolved claims (EUR)") == [
        f"{claimed[c]:,.0f}" for c in counts.index
    ]
    assert f"n = {len(raw)}" in t.caption


def test_resolution_and_backlog_from_the_raw_claims(swiftpost):
    svc = orient.service.analyse(swiftpost)
    raw = swiftpost.claims
    done = raw.dropna(subset=["resolved"])
    days = (pd.to_datetime(done["resolved"]) - pd.to_datetime(done["received"])).dt.days
    t = service_tables.resolution_table(svc)
    first = t.frame.iloc[0].tolist()
    assert first[0] == "All claims"
    assert first[1] == str(len(done))
    assert first[3] == f"{days.median():.1f}"
    assert first[6] == str(int(days.max()))
    b = service_tables.backlog_table(svc, currency="EUR")
    assert sum(int(v) for v in _column(b, "Open claims")) == int(raw["resolved"].isna().sum())
    assert all(v.endswith("EUR") for v in _column(b, "Amount claimed"))


def test_short_staffed_half_hours_are_the_largest_gaps(swiftpost):
    svc = orient.service.analyse(swiftpost)
    t = service_tables.short_staffed_table(svc)
    s = svc.staffing
    gap = s["required_agents"] - s["implied_agents"]  # recomputed, not staff_gap
    top = s.loc[gap.sort_values(ascending=False).index[: len(t)]]
    assert len(t) == 8
    assert sorted(_column(t, "Agents short"), key=float, reverse=True) == _column(t, "Agents short")
    assert _column(t, "Agents short")[0] == f"{gap.max():.1f}"
    assert set(_column(t, "Interval start")) <= {
        ts.strftime("%Y-%m-%d %H:%M")
        for ts in s.loc[gap >= gap.loc[top.index].min()].interval_start
    }
    assert "Answered within 20 s (%)" in t.frame.columns


def test_key_figures_tables_hold_the_key_figures(swiftpost):
    svc = orient.service.analyse(swiftpost)
    t = service_tables.figures_table(svc, "claims", currency="EUR")
    row = dict(zip(_column(t, "Measure"), _column(t, "Value"), strict=True))
    assert row["Claims received"] == str(len(swiftpost.claims))
    assert row["Claims still open"] == str(int(swiftpost.claims["resolved"].isna().sum()))
    calls = service_tables.figures_table(svc, "calls", currency="EUR")
    assert "Claims received" not in _column(calls, "Measure")


def test_win_rates_with_interval_and_base(cobalt):
    pipe = orient.crm.analyse(cobalt)
    t = crm_tables.win_rate_table(pipe, "manager")
    d = cobalt.deals
    closed = d[d["outcome"].isin(["won", "lost"])]
    by = closed.groupby("manager")["outcome"].agg(n="size", won=lambda s: int((s == "won").sum()))
    rows = {r[0]: r for r in t.frame.itertuples(index=False)}
    for manager, r in by.iterrows():
        shown = rows[manager]
        assert shown[1] == str(r["n"]) and shown[2] == str(r["won"])
        lo, hi = wilson(r["won"], r["n"])
        expected = f"{round(100 * r['won'] / r['n']):.0f}% ({round(100 * lo):.0f}% to {round(100 * hi):.0f}%)"
        assert shown[3] == expected
    total = rows["All closed deals"]
    assert total[1] == str(len(closed))
    assert f"n = {len(closed)}" in t.caption


def test_groups_under_the_base_say_too_few(cobalt):
    pipe = orient.crm.analyse(cobalt, min_base=60)
    t = crm_tables.win_rate_table(pipe, "manager")
    d = cobalt.deals
    n = d[d["outcome"].isin(["won", "lost"])].groupby("manager").size()
    rows = {r[0]: r[3] for r in t.frame.itertuples(index=False)}
    for manager, k in n.items():
        assert (rows[manager] == "too few closed deals") == (k < 60)
    assert "at least 60" in t.caption


def test_largest_overdue_receivables(cobalt):
    pipe = orient.crm.analyse(cobalt)
    t = crm_tables.overdue_table(pipe, currency="EUR")
    d = cobalt.deals
    as_of = pipe.as_of
    won = d[(d["outcome"] == "won") & (pd.to_datetime(d["invoice_due"]) < as_of)].copy()
    won["due"] = won["planned_amount"] - won["paid_amount"].fillna(0)
    won = won[won["due"] > 0.005].sort_values("due", ascending=False)
    assert _column(t, "Client")[:3] == won["client"].head(3).tolist()
    assert _column(t, "Outstanding")[0] == f"{won['due'].iloc[0]:,.0f}\xa0EUR"
    days = (as_of - pd.to_datetime(won["invoice_due"].iloc[0])).days
    assert _column(t, "Days overdue")[0] == str(days)


def test_customer_card_survey_uses_codebook_labels(cobalt):
    pipe = orient.crm.analyse(cobalt)
    who = orient.crm.pick_client(pipe, claims=cobalt.claims)
    card = orient.crm.customer_card(who, deals=cobalt.deals, survey=cobalt.survey, as_of=pipe.as_of)
    t = crm_tables.card_survey_table(
        card, labels=cobalt.attribute_labels, competitor=cobalt.competitor
    )
    questions = _column(t, "Question")
    assert "Price and discounts" in questions
    assert f"Price and discounts ({cobalt.competitor})" in questions
    assert not any(re.fullmatch(r"[a-z_]+", q) for q in questions)
    answers = dict(zip(questions, t.frame.iloc[:, 1], strict=True))
    assert answers["Price and discounts"] == f"{card.survey['price'].iloc[0]:.0f}"
    deals = crm_tables.card_deals_table(card, currency="EUR")
    assert _column(deals, "Deal") == card.deals["deal_id"].tolist()
    assert set(_column(deals, "Deal outcome")) <= {"Won", "Lost", "Open"}


def test_russian_tables(northsteel):
    svc = orient.service.analyse(northsteel)
    qual = orient.quality.analyse(northsteel)
    for t in (
        service_tables.claims_category_table(svc, currency="EUR"),
        service_tables.resolution_table(svc),
        quality_tables.summary_table(qual),
        quality_tables.capability_table(qual),
    ):
        assert t.language == "ru"
        for head in t.frame.columns:
            assert re.search("[а-яё]", head, re.IGNORECASE) or head in ("Cpk",), head
        assert re.search("[а-яё]", t.caption, re.IGNORECASE), t.caption
    res = service_tables.resolution_table(svc)
    assert re.fullmatch(r"\d+,\d", res.frame.iloc[0, 2])  # a decimal comma
    cap = quality_tables.capability_table(qual)
    est = qual.capability.set_index("index").loc["cpk"]
    row = cap.frame[cap.frame.iloc[:, 1] == "Cpk"].iloc[0]
    assert row.iloc[2] == f"{est['estimate']:.2f}".replace(".", ",")
    lo, hi = f"{est['ci_low']:.2f}", f"{est['ci_high']:.2f}"
    assert row.iloc[3] == f"от {lo} до {hi}".replace(".", ",")


def test_control_chart_summary(northsteel):
    qual = dataclasses.replace(orient.quality.analyse(northsteel), language="en")
    t = quality_tables.summary_table(qual)
    pts = qual.points
    for row, (_, s) in zip(t.frame.itertuples(index=False), qual.summary.iterrows(), strict=True):
        mine = pts[(pts["characteristic"] == s["characteristic"]) & (pts["chart"] == s["chart"])]
        assert row[4] == str(len(mine))
        assert row[5] == str(int(mine["out_of_control"].sum()))
    assert _column(t, "Chart")[0] == "X-bar (subgroup means)"


def _texts(ax):
    out = [ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), *(t.get_text() for t in ax.texts)]
    legend = ax.get_legend()
    if legend is not None:
        out += [t.get_text() for t in legend.get_texts()]
    return [t for t in out if t]


def test_staffing_plot_describes_the_short_hours(swiftpost):
    svc = orient.service.analyse(swiftpost)
    h = svc.hourly
    short = [f"{int(x):02d}:00" for x in h.index[h["required_agents"] > h["implied_agents"]]]
    fig, ax = plt.subplots()
    plots.staffing_plot(h, ax=ax)
    text = plots.description(fig)
    assert f"{len(short)} of {len(h)} hours short of staff" in text
    assert ", ".join(short) in text
    plt.close(fig)
    fig, ax = plt.subplots()
    plots.staffing_plot(h, ax=ax, language="ru")
    for t in _texts(ax):
        assert re.search("[а-яё]", t, re.IGNORECASE), t
    assert "операторов не хватает" in plots.description(fig)
    plt.close(fig)


def test_russian_figures_have_no_english(cobalt, northsteel):
    pipe = orient.crm.analyse(cobalt)
    svc = orient.service.analyse(northsteel)
    qual = orient.quality.analyse(northsteel)
    drawn = []
    for draw in (
        lambda ax: plots.funnel_plot(pipe.funnel, ax=ax, language="ru"),
        lambda ax: plots.receivables_plot(pipe.ageing, currency="EUR", ax=ax, language="ru"),
        lambda ax: plots.claims_plot(svc.claims_monthly, ax=ax, language="ru"),
        lambda ax: plots.pareto_plot(
            pipe.refusals, title="Why deals are lost", ylabel="lost deals", ax=ax, language="ru"
        ),
        lambda ax: plots.control_chart_plot(
            qual.points[qual.points["chart"] == "xbar"], ax=ax, language="ru"
        ),
    ):
        fig, ax = plt.subplots()
        draw(ax)
        texts = _texts(ax) + [t.get_text() for t in ax.get_xticklabels()]
        english = [t for t in texts if re.search(r"\b(days|not due|over|of previous)\b", t)]
        assert not english, english
        assert plots.description(fig) and re.search("[а-яё]", plots.description(fig), re.I)
        assert plots.description(fig) != ax.get_title()
        drawn.append(fig)
        plt.close(fig)
    assert len(drawn) == 5


def test_receivables_description_names_the_largest_band(cobalt):
    pipe = orient.crm.analyse(cobalt)
    fig, ax = plt.subplots()
    plots.receivables_plot(pipe.ageing, currency="EUR", ax=ax)
    a = pipe.ageing
    share = 100 * a["amount"].max() / a["amount"].sum()
    assert f"({share:.0f}%) in the band {a.loc[a['amount'].idxmax(), 'band']}" in plots.description(
        fig
    )
    plt.close(fig)


# --- optional columns absent: the part needing one says it is not recorded -----------


def _copy_without(tmp_path, name, table, columns):
    import shutil

    folder = tmp_path / name
    shutil.copytree(sample_company_dir(name), folder)
    path = folder / f"{table}.csv"
    pd.read_csv(path).drop(columns=list(columns)).to_csv(path, index=False)
    return folder


CLAIMS_OPTIONAL = ("resolved", "amount_settled", "customer_id")
DEALS_OPTIONAL = (
    "segment",
    "region",
    "source",
    "closed",
    "refusal_reason",
    "paid_amount",
    "invoice_due",
)


@pytest.fixture(scope="module")
def claims_bare(tmp_path_factory):
    folder = _copy_without(tmp_path_factory.mktemp("c"), "swiftpost", "claims", CLAIMS_OPTIONAL)
    return orient.load_company(folder)


@pytest.fixture(scope="module")
def deals_bare(tmp_path_factory):
    folder = _copy_without(tmp_path_factory.mktemp("d"), "cobalt-software", "deals", DEALS_OPTIONAL)
    return orient.load_company(folder)


def test_claims_without_resolution_dates(claims_bare):
    svc = orient.service.analyse(claims_bare)
    raw = claims_bare.claims
    assert svc.claims_missing == CLAIMS_OPTIONAL
    t = service_tables.claims_category_table(svc)
    counts = raw["category"].value_counts()
    assert _column(t, "Claims") == [str(v) for v in counts]
    assert list(t.frame.columns) == [
        "Category",
        "Claims",
        "Share of claims (%)",
        "Cumulative share (%)",
    ]
    assert service_tables.resolution_table(svc).empty
    assert service_tables.backlog_table(svc).empty
    notes = service_tables.claims_not_recorded(svc)
    assert len(notes) == 2 and "no resolution dates" in notes[0] and "customer" in notes[1]
    h = orient.service.headline(svc)
    assert h["claims_n"] == len(raw)
    assert h["claims_open"] is None and h["claims_median_days"] is None  # unknown, not zero
    assert h["claims_settled_ratio"] is None
    fig, ax = plt.subplots()
    plots.claims_plot(svc.claims_monthly, ax=ax)
    assert len(ax.get_lines()) == 1  # received only
    assert plots.description(fig).endswith(f"{len(raw)} in all.")
    plt.close(fig)


def test_claims_without_amounts_settled_only(tmp_path):
    folder = _copy_without(tmp_path, "swiftpost", "claims", ["amount_settled"])
    svc = orient.service.analyse(orient.load_company(folder))
    t = service_tables.claims_category_table(svc, currency="EUR")
    assert "Open" in t.frame.columns and "Settled of claimed (%)" not in t.frame.columns
    assert not service_tables.resolution_table(svc).empty
    assert orient.service.headline(svc)["claims_settled_ratio"] is None
    notes = service_tables.claims_not_recorded(svc)
    assert notes == [
        "The claims table records no amounts settled: how much of what customers claim is "
        "paid is not shown."
    ]


def test_deals_without_the_optional_columns(deals_bare):
    pipe = orient.crm.analyse(deals_bare)
    assert pipe.missing == DEALS_OPTIONAL
    for by in ("segment", "region", "source"):
        assert crm_tables.win_rate_table(pipe, by).empty
    assert not crm_tables.win_rate_table(pipe, "manager").empty
    assert crm_tables.overdue_table(pipe).empty
    notes = crm_tables.deals_not_recorded(pipe)
    assert len(notes) == 6  # the due dates need the amounts paid: one sentence for both
    assert any("reasons for lost deals" in n for n in notes)
    ru = crm_tables.deals_not_recorded(dataclasses.replace(pipe, language="ru"))
    assert all(re.search("[а-яё]", n, re.I) for n in ru)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "table", "columns"),
    [("swiftpost", "claims", CLAIMS_OPTIONAL), ("cobalt-software", "deals", DEALS_OPTIONAL)],
)
def test_notebook_05_runs_without_the_optional_columns(tmp_path, name, table, columns):
    import papermill

    from orient.report import default_notebooks_dir

    folder = _copy_without(tmp_path, name, table, columns)
    out = tmp_path / "05.ipynb"
    papermill.execute_notebook(
        str(default_notebooks_dir() / "05_operations.ipynb"),
        str(out),
        parameters={"company_dir": str(folder)},
        kernel_name="python3",
        progress_bar=False,
    )
    text = out.read_text(encoding="utf-8")
    assert "is not shown" in text or "are not shown" in text
