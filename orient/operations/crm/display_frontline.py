"""Tables and sentences of the front-line view: lifetime value and next-best offers.

Each function takes a :class:`~orient.operations.crm.stage.CRMResult`; a table is empty
and the sentences absent where :attr:`CRMResult.frontline` lacks the part.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orient.i18n import format_interval, format_percent, message, sentence
from orient.present.tables import Table, fmt_money, fmt_number

if TYPE_CHECKING:
    from orient.operations.crm.stage import CRMResult

__all__ = ["clv_table", "frontline_texts", "offer_table"]


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
                n=ev.n,
                hit=ev.hit_rate("co-occurrence", k),
                base=ev.hit_rate("popularity", k),
            )  # fmt: skip
        )
    return out
