"""The sales director's tables and sentences for readers, from ``CRMResult.sales``.

Each table is a :class:`orient.present.tables.Table` in the report's language (empty
when the part was not computed); each sentence is built from the numbers it states.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from orient.i18n import format_interval, format_percent, message, sentence
from orient.present.tables import Table, fmt_money, fmt_number

if TYPE_CHECKING:
    from orient.operations.crm.stage import CRMResult

__all__ = [
    "backtest_text",
    "commission_table",
    "contact_frequency_table",
    "overdue_contacts_table",
    "effect_table",
    "forecast_table",
    "manager_table",
    "refusal_stage_table",
    "sales_texts",
    "stall_limits_table",
    "stall_texts",
    "stalled_table",
]


def _caption(text: str, language: str, /, **values: Any) -> str:
    return message("table_captions", text, language, **values)


def _word(text: str, language: str) -> str:
    return message("terms.columns", text, language)


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def _rate(e, lo, hi, language: str) -> str | None:
    if pd.isna(e):
        return None
    return (
        f"{format_percent(e, language, 0)} ({format_interval(lo, hi, language, 0, percent=True)})"
    )


def manager_table(result: CRMResult) -> Table:
    """Each manager: deals, won, revenue, win rate (95% interval), stability."""
    lang, s = result.language, result.sales
    m = None if s is None else s.managers
    if m is None or not len(m):
        return _empty(lang)
    cols = {
        "Manager": m["manager"].tolist(),
        "Deals": fmt_number(m["deals"], lang, 0),
        "Won": fmt_number(m["won"], lang, 0),
        "Revenue (won deals)": fmt_money(m["revenue"], result.currency, lang, 0),
        "Win rate (95% interval)": [
            _rate(e, lo, hi, lang)
            for e, lo, hi in zip(m["win_rate"], m["ci_low"], m["ci_high"], strict=True)
        ],
        "Month-to-month variation": fmt_number(m["cv"], lang, 2),
        "Stability": [None if x is None else _word(x, lang) for x in m["stability"]],
    }
    caption = _caption(
        "Results by manager: won revenue, win rate of closed deals and the coefficient of "
        "variation of monthly won revenue (steady below 0.3, erratic from 0.6; shown from "
        "{months} months)",
        lang,
        months=s.min_months,
    )
    return Table.build(cols, language=lang, caption=caption)


def forecast_table(result: CRMResult) -> Table:
    """Expected amount from the open deals per window, with the 90% interval."""
    lang, s = result.language, result.sales
    f = None if s is None else s.forecast
    if f is None:
        return _empty(lang)
    cols = {
        "Period": [
            f"{a:%Y-%m-%d} – {b:%Y-%m-%d}" for a, b in zip(f["start"], f["end"], strict=True)
        ],
        "Expected": fmt_money(f["expected"], result.currency, lang, 0),
        "90% interval": [
            format_interval(lo, hi, lang, 0) for lo, hi in zip(f["low"], f["high"], strict=True)
        ],
        "Deals expected to be won": fmt_number(f["expected_deals"], lang, 1),
    }
    caption = _caption(
        "Forecast from the {n} open deals: planned amounts expected to be won in each period",
        lang,
        n=int(f.attrs["deals"]),
    )
    return Table.build(cols, language=lang, caption=caption)


def backtest_text(result: CRMResult) -> str | None:
    """The backtest's error in one sentence (None without a backtest)."""
    s = result.sales
    b = None if s is None else s.backtest
    if b is None:
        return None
    return sentence(
        "crm.sales.backtest",
        result.language,
        cuts=len(b),
        days=int(b.attrs["period_days"]),
        wape=b.attrs["wape"],
        covered=int(b["covered"].sum()),
    )


def stalled_table(result: CRMResult, k: int = 15) -> Table:
    """The ``k`` most overdue stalled deals with their owner."""
    lang, s = result.language, result.sales
    t = None if s is None else s.stalled
    if t is None or not len(t):
        return _empty(lang)
    top = t.head(k)
    cols = {
        "Deal": top["deal_id"].astype(str).tolist(),
        "Client": top["client"].astype(str).tolist(),
        "Manager": top["manager"].astype(str).tolist(),
        "Stage": top["stage"].astype(str).tolist(),
        "Days waiting": fmt_number(top["days"], lang, 0),
        "Limit, days": fmt_number(top["limit_days"], lang, 0),
        "Planned amount": fmt_money(pd.to_numeric(top["planned_amount"]), result.currency, lang, 0),
    }
    caption = _caption(
        "Stalled deals: {n} of {open} open deals wait longer than the limit", lang,
        n=len(t), open=int(t.attrs["open"]),
    )  # fmt: skip
    return Table.build(cols, language=lang, caption=caption)


def effect_table(result: CRMResult, by: str) -> Table:
    """Win rate, revenue and median days to win by ``by`` (source, channel...)."""
    lang, s = result.language, result.sales
    t = None if s is None else s.effects.get(by)
    if t is None:
        return _empty(lang)
    groups = [
        _word("All closed deals", lang)
        if g == "all"
        else (_word(g, lang) if g == "not recorded" else g)
        for g in t["group"]
    ]
    cols = {
        _word(by.replace("_", " ").capitalize(), lang): groups,
        "Closed deals": fmt_number(t["closed"], lang, 0),
        "Win rate (95% interval)": [
            _rate(e, lo, hi, lang)
            for e, lo, hi in zip(t["win_rate"], t["ci_low"], t["ci_high"], strict=True)
        ],
        "Revenue (won deals)": fmt_money(t["revenue"], result.currency, lang, 0),
        "Median days to win (95% interval)": [
            None
            if pd.isna(m)
            else f"{fmt_number([m], lang, 0)[0]} ({format_interval(lo, hi, lang, 0)})"
            for m, lo, hi in zip(t["cycle_median"], t["cycle_low"], t["cycle_high"], strict=True)
        ],
    }
    caption = _caption(
        "Effect on sales {by}: win rate, revenue and days to win (a rate needs at least {base} "
        "closed deals)",
        lang,
        by=_word(f"by {by.replace('_', ' ')}", lang),
        base=int(s.min_base),
    )
    return Table.build(cols, language=lang, caption=caption)


def refusal_stage_table(result: CRMResult) -> Table:
    """Lost deals by the stage of loss and reason; blanks are "not recorded"."""
    lang, s = result.language, result.sales
    t = None if s is None else s.refusals_by_stage
    if t is None or not len(t):
        return _empty(lang)
    stage_head = _word("Stage", lang)
    cols: dict[str, Any] = {
        stage_head: [_word(x, lang) if x == "not recorded" else str(x) for x in t.index]
    }
    for c in t.columns:
        head = (
            _word("All lost deals", lang)
            if c == "all"
            else (_word(c, lang) if c == "not recorded" else str(c))
        )
        cols[head] = fmt_number(t[c], lang, 0)
    caption = _caption(
        "Lost deals by the stage at which they were lost and the reason given (n = {n})",
        lang,
        n=int(t["all"].sum()),
    )
    return Table.build(cols, language=lang, caption=caption)


def sales_texts(result: CRMResult) -> list[str]:
    """The sentences of the section, each from the numbers it states."""
    from orient.operations.crm.sales import sales_headline

    s, lang = result.sales, result.language
    if s is None:
        return []
    h = sales_headline(s)
    out = []
    if h["forecast_next_period"] is not None:
        out.append(
            sentence(
                "crm.sales.forecast",
                lang,
                expected=h["forecast_next_period"],
                low=h["forecast_next_period_low"],
                high=h["forecast_next_period_high"],
                days=h["forecast_period_days"],
                deals=int(s.forecast.attrs["deals"]),
                currency=result.currency,
            )  # fmt: skip
        )
    out += stall_texts(result)
    if h["clients_in_work"] is not None:
        iw = s.in_work.iloc[-1]
        out.append(
            sentence("crm.sales.in_work", lang, n=int(iw["in_work"]), clients=int(iw["clients"]))
        )
    if h["commission_total"] is not None:
        out.append(
            sentence(
                "crm.sales.commission", lang, total=h["commission_total"], currency=result.currency
            )
        )
    if h["lost_reason_not_recorded_share"]:
        out.append(sentence("crm.sales.no_reason", lang, share=h["lost_reason_not_recorded_share"]))
    if s.lost_stage_from_history:
        out.append(sentence("crm.sales.lost_from_history", lang, n=s.lost_stage_from_history))
    if h["lost_stage_not_recorded_share"]:
        out.append(sentence("crm.sales.no_stage", lang, share=h["lost_stage_not_recorded_share"]))
    if h["overdue_next_contacts"] is not None:
        out.append(
            sentence(
                "crm.sales.overdue_contacts",
                lang,
                n=h["overdue_next_contacts"],
                planned=int(s.overdue_contacts.attrs["planned"]),
            )  # fmt: skip
        )
    return out


#: the sentence of each way the stall limits were set (SalesIndicators.stall_rule)
_STALL_KEYS = {
    "declared": "crm.sales.stalled_declared",
    "won_at_stage": "crm.sales.stalled_history",
    "mixed": "crm.sales.stalled_mixed",
    "none": "crm.sales.stalled_none",
}


def stall_texts(result: CRMResult) -> list[str]:
    """How many open deals are stalled and by which rule, the deals left unjudged and
    those the stage history does not time."""
    s, lang = result.sales, result.language
    t = None if s is None else s.stalled
    if t is None:
        return []
    a = t.attrs
    key = _STALL_KEYS.get(s.stall_rule)
    if key is None:  # won_cycle: in the current stage (stage dates) or since creation
        key = "crm.sales.stalled_in_stage" if a["measure"] == "in_stage" else "crm.sales.stalled"
    days = a["won_quantile_days"]
    values = {
        "n": len(t),
        "open": int(a["open"]),
        "q": a["quantile"],
        "days": 0 if pd.isna(days) else days,
        "history": a["measure"] == "history",
        "min": int(a["min_won"]),
    }
    out = [sentence(key, lang, **values)]
    if a["not_judged"] and s.stall_rule != "none":
        out.append(sentence("crm.sales.not_judged", lang, k=int(a["not_judged"]), **values))
    if a["without_history"]:
        k, dates = int(a["without_history"]), bool(a["stage_dates"])
        out.append(sentence("crm.sales.without_history", lang, k=k, stage_dates=dates))
    return out


_BASIS = {
    "declared": "declared in company.yaml",
    "won_at_stage": "won deals' time at this stage",
    "won_cycle": "won deals' whole cycle",
}


def stall_limits_table(result: CRMResult) -> Table:
    """The stall limit of each stage of an open deal: days, how it was set and the won
    deals behind it (shown with a stage history or a mix of declared and learned)."""
    s, lang = result.sales, result.language
    t = None if s is None else s.stalled
    if t is None or s.stall_rule not in ("won_at_stage", "mixed"):
        return _empty(lang)
    lim = t.attrs["limits"]
    basis = [_word(_BASIS[b], lang) if isinstance(b, str) else _word("no limit", lang)
             for b in lim["limit_basis"]]  # fmt: skip
    cols = {
        "Stage": lim["stage"].astype(str).tolist(),
        "Open deals": fmt_number(lim["open_deals"], lang, 0),
        "Limit, days": fmt_number(lim["limit_days"], lang, 0),
        "Set by": basis,
        "Won deals' visits": fmt_number(lim["won_visits"], lang, 0),
    }
    caption = _caption(
        "Stall limit by stage ({q} of won deals' time, at least {min} won visits)", lang,
        q=format_percent(t.attrs["quantile"], lang), min=int(t.attrs["min_won"]),
    )  # fmt: skip
    return Table.build(cols, language=lang, caption=caption)


def commission_table(result: CRMResult) -> Table:
    """Commission per manager under ``crm.commission``."""
    lang, s = result.language, result.sales
    c = None if s is None else s.commissions
    if c is None or not len(c):
        return _empty(lang)
    by = c.attrs["by_manager"]
    cols = {
        "Manager": by["manager"].tolist(),
        "Won": fmt_number(by["won"], lang, 0),
        "Commission base": fmt_money(by["base"], result.currency, lang, 0),
        "Commission": fmt_money(by["commission"], result.currency, lang, 0),
        "Effective rate": [
            None if pd.isna(x) else format_percent(x, lang, 1) for x in by["effective_rate"]
        ],
    }
    caption = _caption("Commissions by manager under the rules of company.yaml", lang)
    return Table.build(cols, language=lang, caption=caption)


def overdue_contacts_table(result: CRMResult, k: int = 15) -> Table:
    """The ``k`` clients whose next planned contact is longest overdue."""
    lang, s = result.language, result.sales
    t = None if s is None else s.overdue_contacts
    if t is None or not len(t):
        return _empty(lang)
    top = t.head(k)
    cols = {
        "Client": top["client"].astype(str).tolist(),
        "Manager": [None if pd.isna(x) else str(x) for x in top["manager"]],
        "Last contact": [f"{x:%Y-%m-%d}" for x in top["last_contact"]],
        "Next contact planned": [f"{x:%Y-%m-%d}" for x in top["next_contact"]],
        "Days overdue": fmt_number(top["days_overdue"], lang, 0),
    }
    caption = _caption(
        "Overdue next contacts: {n} of {planned} planned", lang,
        n=len(t), planned=int(t.attrs["planned"]),
    )  # fmt: skip
    return Table.build(cols, language=lang, caption=caption)


def contact_frequency_table(result: CRMResult) -> Table:
    """Contacts per deal and per 30 days, by stage (open deals) and outcome."""
    lang, s = result.language, result.sales
    t = None if s is None else s.contact_frequency
    if t is None or not len(t):
        return _empty(lang)
    cols = {
        "Stage": [_word(g.capitalize(), lang) if g in ("won", "lost") else g for g in t["group"]],
        "Deals": fmt_number(t["deals"], lang, 0),
        "Contacts": fmt_number(t["contacts"], lang, 0),
        "Contacts per deal": fmt_number(t["per_deal"], lang, 1),
        "Contacts per 30 days": fmt_number(t["per_month"], lang, 1),
        "Deals without a contact": fmt_number(t["no_contact"], lang, 0),
    }
    caption = _caption("Contact frequency by stage of the open deals and for closed deals", lang)
    return Table.build(cols, language=lang, caption=caption)
