"""Tables and sentences of the front-line view: lifetime value, next-best offers and the
front-line system's payback.

Each function takes a :class:`~orient.operations.crm.stage.CRMResult`; a table is empty
and the sentences absent where :attr:`CRMResult.frontline` lacks the part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from orient.i18n import format_interval, format_number, format_percent, message, sentence
from orient.present.tables import Table, fmt_money, fmt_number

if TYPE_CHECKING:
    from orient.operations.crm.stage import CRMResult

__all__ = ["clv_table", "frontline_texts", "offer_table", "payback_table"]


def _caption(text: str, language: str, /, **values: Any) -> str:
    return message("table_captions", text, language, **values)


def _word(text: str, language: str) -> str:
    return message("terms.columns", text, language)


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def clv_table(result: CRMResult, k: int = 10) -> Table:
    """The ``k`` clients of highest lifetime value: purchases, P(alive), expected
    purchases and spend, value over the horizon."""
    lang, f = result.language, result.frontline
    if f is None or f.clv is None:
        return _empty(lang)
    t = f.clv.head(k)
    cols = {
        "Client": [str(c) for c in t.index],
        "Purchases so far": fmt_number(t["purchases"], lang, 0),
        "Chance still a client": [format_percent(x, lang, 0) for x in t["p_alive"]],
        "Expected purchases": fmt_number(t["expected_purchases"], lang, 1),
        "Expected amount per purchase": fmt_money(t["expected_spend"], result.currency, lang, 0),
        "Lifetime value": fmt_money(t["clv"], result.currency, lang, 0),
    }
    caption = _caption(
        "Clients of highest lifetime value over the next {months} months "
        "(BG/NBD purchases, Gamma-Gamma amounts, discounted at {rate} a month)",
        lang,
        months=f.horizon_months,
        rate=format_percent(f.discount_rate, lang, 1),
    )
    return Table.build(cols, language=lang, caption=caption)


def offer_table(result: CRMResult) -> Table:
    """Hit rates on held-out last purchases, next-best offer against popularity."""
    lang, f = result.language, result.frontline
    if f is None or f.offers is None:
        return _empty(lang)
    t = f.offers.table
    cols = {
        "Method": [_word(m, lang) for m in t["method"]],
        "Offers made": fmt_number(t["k"], lang, 0),
        "Clients counted": fmt_number(t["n"], lang, 0),
        "Hit rate (95% interval)": [
            f"{format_percent(e, lang, 0)} ({format_interval(lo, hi, lang, 0, percent=True)})"
            for e, lo, hi in zip(t["hit_rate"], t["low"], t["high"], strict=True)
        ],
    }
    caption = _caption(
        "Next-best offer judged on the last purchase of {n} clients, held out: share of "
        "clients whose next product was among the offers",
        lang,
        n=f.offers.n,
    )
    return Table.build(cols, language=lang, caption=caption)


def _months(x: float, lang: str) -> str:
    return format_number(x, lang, 1) if np.isfinite(x) else _word("not repaid", lang)


def _payback_cell(pb, lang: str) -> str:
    """The payback with its interval; "not established" where the gain may be nil."""
    if not pb.lift_low > 0:
        return _word("not established", lang)
    if not np.isfinite(pb.months_low):
        return _months(pb.months, lang)
    low, high = _months(pb.months_low, lang), _months(pb.months_high, lang)
    return f"{_months(pb.months, lang)} ({message('terms.interval', '{low} to {high}', lang, low=low, high=high)})"


def payback_table(result: CRMResult) -> Table:
    """The front-line system's payback and its basis: what is measured, what declared."""
    lang, f = result.language, result.frontline
    if f is None or f.payback is None:
        return _empty(lang)
    pb, cur = f.payback, result.currency
    measured, declared = _word("measured", lang), _word("declared in company.yaml", lang)
    pts = [
        format_number(100 * x, lang, 1, signed=True) for x in (pb.lift, pb.lift_low, pb.lift_high)
    ]
    rows = [
        ("Gain in hit rate over the most popular products, points",
         f"{pts[0]} ({format_interval(100 * pb.lift_low, 100 * pb.lift_high, lang, 1)})",
         measured),
        ("Offers to existing clients a month", format_number(pb.offers_per_month, lang, 1),
         measured if pb.offers_measured else declared),
        ("Correct offers that turn into a sale", format_percent(pb.acceptance, lang, 0), declared),
        ("Average purchase", fmt_money([pb.mean_amount], cur, lang, 0)[0], measured),
        ("Gross margin on an extra sale", format_percent(pb.margin, lang, 0), declared),
        ("Running cost a month", fmt_money([pb.running_cost], cur, lang, 0)[0], declared),
        ("Net gain a month", fmt_money([pb.monthly_gain], cur, lang, 0)[0], measured),
        ("Cost of the system", fmt_money([pb.cost], cur, lang, 0)[0], declared),
        ("Payback, months", _payback_cell(pb, lang), measured),
    ]  # fmt: skip
    level = format_percent(f.confidence, lang, 0)
    cols = {
        "Item": [_word(r[0], lang) for r in rows],
        "Value": [r[1] for r in rows],
        "Basis": [r[2] for r in rows],
    }
    caption = _caption(
        "Payback of the front-line system: the next-best offer's measured gain at {k} offers, "
        "turned into money with the company's declared margin and acceptance",
        lang,
        k=pb.k,
    )
    cols[message("terms.columns", "Value ({level} interval)", lang, level=level)] = cols.pop(
        "Value"
    )
    cols["Basis"] = cols.pop("Basis")
    return Table.build(cols, language=lang, caption=caption)


def _payback_text(pb, lang: str, currency: str) -> str:
    values = dict(
        k=pb.k, lift=pb.lift, low=pb.lift_low, high=pb.lift_high, months=pb.months,
        months_low=pb.months_low, months_high=pb.months_high, gain=pb.monthly_gain,
        cost=pb.cost, currency=currency, offers=pb.offers_per_month,
        measured=pb.offers_measured, acceptance=pb.acceptance, margin=pb.margin,
    )  # fmt: skip
    if pb.lift_high < 0:
        return sentence("crm.frontline.payback_worse", lang, **values)
    if not pb.lift_low > 0:
        return sentence("crm.frontline.payback_unclear", lang, **values)
    if not np.isfinite(pb.months):
        return sentence("crm.frontline.payback_never", lang, **values)
    key = "crm.frontline.payback" if np.isfinite(pb.months_high) else "crm.frontline.payback_low"
    return sentence(key, lang, **values)


def frontline_texts(result: CRMResult) -> list[str]:
    """The sentences of the front-line view, each from the numbers it states."""
    lang, f = result.language, result.frontline
    if f is None:
        return []
    out = []
    if f.clv is not None:
        out.append(
            sentence(
                "crm.frontline.clv",
                lang,
                clients=len(f.clv),
                total=float(f.clv["clv"].sum()),
                months=f.horizon_months,
                alive=float(f.clv["p_alive"].mean()),
                currency=result.currency,
            )  # fmt: skip
        )
    if f.offers is not None:
        ev = f.offers
        k = int(ev.table["k"].max())
        out.append(
            sentence(
                "crm.frontline.offer",
                lang,
                k=k,
                n=ev.clients(k),
                hit=ev.hit_rate("co-occurrence", k),
                base=ev.hit_rate("popularity", k),
            )  # fmt: skip
        )
        if f.payback is not None:
            out.append(_payback_text(f.payback, lang, result.currency))
        else:
            out.append(sentence("crm.frontline.payback_needs", lang))
    return out
