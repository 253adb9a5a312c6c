"""CRM tables for readers: each a :class:`orient.present.tables.Table` in the report's
language, built from a :class:`~orient.operations.crm.stage.CRMResult` or a
:class:`~orient.operations.crm.card.CustomerCard`.

A part that was not computed gives an empty Table (``table.empty``), which a notebook
does not show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from orient._validate import check_choice
from orient.i18n import (
    check_language,
    format_interval,
    format_percent,
    message,
    sentence,
    texts,
)
from orient.present.tables import Table, fmt_money, fmt_number, value_word

if TYPE_CHECKING:
    from orient.operations.crm.card import CustomerCard
    from orient.operations.crm.stage import CRMResult

__all__ = [
    "card_claims_table",
    "card_deals_table",
    "card_summary_table",
    "card_survey_table",
    "deals_not_recorded",
    "figures_table",
    "no_card_text",
    "overdue_table",
    "win_rate_table",
]

_BY = ("manager", "source", "segment", "region")
_GROUP_HEAD = {"manager": "Manager", "source": "Source", "segment": "Segment", "region": "Region"}


def _caption(text: str, language: str, /, **values: Any) -> str:
    return message("table_captions", text, language, **values)


def _words(text: str, language: str, /, **values: Any) -> str:
    return message("terms.columns", text, language, **values)


def _empty(language: str) -> Table:
    return Table.build({}, language=language)


def _dates(values) -> list[str | None]:
    out = []
    for v in values:
        t = pd.to_datetime(v, errors="coerce")
        out.append(None if pd.isna(t) else t.strftime("%Y-%m-%d"))
    return out


def figures_table(result: CRMResult, *, currency: str = "") -> Table:
    """The key figures (:func:`~orient.operations.crm.stage.key_figures`) as a Table."""
    from orient.operations.crm.stage import key_figures

    language = result.language
    kf = key_figures(result, currency=currency)
    if kf.empty:
        return _empty(language)
    return Table.build(
        {"Measure": list(kf.index), "Value": kf["value"].tolist()},
        language=language,
        caption=_caption("Key figures of the sales pipeline", language),
    )


def win_rate(estimate: Any, low: Any, high: Any, language: str) -> str:
    """``34% (24% to 46%)``: a win rate with its interval (shares 0-1)."""
    return (
        f"{format_percent(estimate, language, 0)} "
        f"({format_interval(low, high, language, 0, percent=True)})"
    )


def win_rate_table(result: CRMResult, by: str) -> Table:
    """Win rate of closed deals by ``by`` (manager, source, segment or region).

    The win rate and its 95% (Wilson) interval are one column; groups with fewer
    closed deals than ``result.min_base`` say "too few closed deals" there.
    """
    check_choice(by, _BY, "by")
    language = result.language
    t = getattr(result, f"win_by_{by}")
    if t is None or not len(t):
        return _empty(language)
    few = _words("too few closed deals", language)
    everyone = _words("All closed deals", language)
    rates = [
        few if bool(s) else win_rate(e, lo, hi, language)
        for e, lo, hi, s in zip(
            t["estimate"], t["ci_low"], t["ci_high"], t["suppressed"], strict=True
        )
    ]
    cols = {
        _GROUP_HEAD[by]: [everyone if str(g) == "all" else str(g) for g in t["group"]],
        "Closed deals": fmt_number(t["n"], language, 0),
        "Won": fmt_number(t["won"], language, 0),
        "Win rate (95% interval)": rates,
        "Open deals": fmt_number(t["open"], language, 0),
    }
    closed = int(t.loc[t["group"].astype(str) == "all", "n"].sum())
    caption = _caption(
        "Share of closed deals won {by}, with 95% confidence intervals "
        "(n = {n} closed deals; a rate needs at least {base})",
        language,
        by=_words(f"by {by}", language),
        n=closed,
        base=int(result.min_base),
    )
    return Table.build(cols, language=language, caption=caption)


def overdue_table(result: CRMResult, *, currency: str | None = None, k: int = 10) -> Table:
    """The ``k`` largest overdue receivables: client, deal, days overdue, amount due."""
    language = result.language
    o = result.overdue
    if o is None or not len(o):
        return _empty(language)
    top = o.nlargest(k, "outstanding")
    cols: dict[str, Any] = {"Client": top["client"].astype(str).tolist()}
    if "deal_id" in top.columns:
        cols["Deal"] = top["deal_id"].astype(str).tolist()
    if "manager" in top.columns:
        cols["Manager"] = top["manager"].astype(str).tolist()
    cols["Invoice due"] = _dates(top["invoice_due"])
    cols["Days overdue"] = fmt_number(top["days_overdue"], language, 0)
    cols["Outstanding"] = fmt_money(top["outstanding"], currency, language, 0)
    caption = _caption(
        "The {k} largest overdue receivables of {n} on {date}: amounts still unpaid "
        "after the invoice due date",
        language,
        k=len(top),
        n=len(o),
        date=result.as_of.strftime("%Y-%m-%d") if result.as_of is not None else "–",
    )
    return Table.build(cols, language=language, caption=caption)


# --- the customer card ----------------------------------------------------------------

_CARD_ROWS = {
    "deals": ("Deals", "count"),
    "won": ("Won", "count"),
    "lost": ("Lost", "count"),
    "open": ("Open", "count"),
    "win_rate": ("Win rate of closed deals", "share"),
    "planned_won": ("Planned amount of won deals", "money"),
    "paid": ("Paid", "money"),
    "outstanding": ("Outstanding", "money"),
    "overdue": ("Overdue", "money"),
    "claims": ("Claims", "count"),
    "claims_open": ("Claims open", "count"),
    "amount_claimed": ("Amount claimed", "money"),
    "amount_settled": ("Amount settled", "money"),
    "survey_responses": ("Survey responses", "count"),
    "overall": ("Overall satisfaction (latest answer)", "score"),
    "recommend": ("Likelihood to recommend, 0-10 (latest answer)", "score"),
}


def _card_value(value: Any, kind: str, currency: str | None, language: str) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if kind == "count":
        return fmt_number([value], language, 0)[0]
    if kind == "share":
        return format_percent(value, language, 0)
    if kind == "money":
        return fmt_money([value], currency, language, 0)[0]
    return fmt_number([value], language, 1)[0]


def card_summary_table(
    card: CustomerCard, *, language: str = "en", currency: str | None = None
) -> Table:
    """What the card knows about the client in a few numbers."""
    check_language(language)
    rows = [(k, v) for k, v in card.summary.items() if k in _CARD_ROWS]
    cols = {
        "Measure": [_words(_CARD_ROWS[k][0], language) for k, _ in rows],
        "Value": [_card_value(v, _CARD_ROWS[k][1], currency, language) for k, v in rows],
    }
    caption = _caption("Client {client} in figures", language, client=card.client)
    return Table.build(cols, language=language, caption=caption)


#: the deal columns of the card, in order, with their headings and kinds
_DEAL_COLUMNS = (
    ("deal_id", "Deal", "text"),
    ("manager", "Manager", "text"),
    ("stage", "Stage", "text"),
    ("outcome", "Deal outcome", "outcome"),
    ("created", "Created", "date"),
    ("closed", "Closed", "date"),
    ("planned_amount", "Planned amount", "money"),
    ("paid_amount", "Paid", "money"),
    ("invoice_due", "Invoice due", "date"),
)

_CLAIM_COLUMNS = (
    ("claim_id", "Claim", "text"),
    ("category", "Category", "text"),
    ("received", "Received", "date"),
    ("resolved", "Resolved", "date"),
    ("amount_claimed", "Amount claimed", "money"),
    ("amount_settled", "Amount settled", "money"),
)


def _cells(values: pd.Series, kind: str, currency: str | None, language: str) -> list:
    if kind == "date":
        return _dates(values)
    if kind == "money":
        return fmt_money(pd.to_numeric(values, errors="coerce"), currency, language, 0)
    if kind == "outcome":
        return [None if pd.isna(v) else value_word("operations", str(v), language) for v in values]
    return [None if pd.isna(v) else str(v) for v in values]


def _rows_table(
    frame: pd.DataFrame, spec, currency: str | None, language: str, caption: str
) -> Table:
    if frame is None or not len(frame):
        return _empty(language)
    cols = {
        head: _cells(frame[col], kind, currency, language)
        for col, head, kind in spec
        if col in frame.columns
    }
    return Table.build(cols, language=language, caption=caption)


def card_deals_table(
    card: CustomerCard, *, language: str = "en", currency: str | None = None
) -> Table:
    """The client's deals (the columns the deals table has)."""
    check_language(language)
    caption = _caption("Deals of client {client}", language, client=card.client)
    return _rows_table(card.deals, _DEAL_COLUMNS, currency, language, caption)


def card_claims_table(
    card: CustomerCard, *, language: str = "en", currency: str | None = None
) -> Table:
    """The client's claims (the columns the claims table has)."""
    check_language(language)
    caption = _caption("Claims of client {client}", language, client=card.client)
    return _rows_table(card.claims, _CLAIM_COLUMNS, currency, language, caption)


_NOT_ANSWERS = {"respondent_id", "customer_id", "weight", "wave", "segment"}


def _question(key: str, labels: dict, competitor: str | None, language: str) -> str:
    """A survey column by its codebook label (``price_competitor`` -> ``Price (Rival)``)."""
    words = texts(language).get("values", {}).get("satisfaction", {})
    if key in labels:
        return str(labels[key])
    if key.endswith("_competitor") and key[: -len("_competitor")] in labels:
        rival = competitor or message("terms.plots", "the competitor", language)
        return _words(
            "{attribute} ({rival})",
            language,
            attribute=labels[key[: -len("_competitor")]],
            rival=rival,
        )
    stem = key[2:] if key.startswith("q_") else key
    return str(words.get(key) or words.get(stem) or stem.replace("_", " ").capitalize())


def card_survey_table(
    card: CustomerCard,
    *,
    labels: dict | None = None,
    competitor: str | None = None,
    language: str = "en",
) -> Table:
    """The client's survey answers: one row per question (codebook labels), one column
    per response (headed by its wave when the survey has waves)."""
    check_language(language)
    sv = card.survey
    if sv is None or not len(sv):
        return _empty(language)
    labels = dict(labels or {})
    questions = [c for c in sv.columns if c not in _NOT_ANSWERS]
    cols: dict[str, Any] = {
        "Question": [_question(c, labels, competitor, language) for c in questions]
    }
    for i, (_, row) in enumerate(sv.iterrows(), start=1):
        head = (
            _words("Answer, wave {wave}", language, wave=str(row["wave"]))
            if "wave" in sv.columns and pd.notna(row["wave"])
            else _words("Answer {i}", language, i=i)
        )
        if head in cols:
            head = _words("{head}, response {i}", language, head=head, i=i)
        cells = []
        for c in questions:
            v = row[c]
            if pd.isna(v):
                cells.append(None)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                cells.append(fmt_number([v], language, 0 if float(v).is_integer() else 1)[0])
            else:
                cells.append(str(v))
        cols[head] = cells
    caption = _caption(
        "Survey answers of client {client} (responses: {n})",
        language,
        client=card.client,
        n=len(sv),
    )
    return Table.build(cols, language=language, caption=caption)


def deals_not_recorded(result: CRMResult) -> list[str]:
    """One sentence per optional deals column the table lacks, saying what is not shown
    (``crm.not_recorded.<column>`` of the texts)."""
    missing = result.missing
    out = [
        sentence(f"crm.not_recorded.{c}", result.language)
        for c in missing
        if not (c == "invoice_due" and "paid_amount" in missing)
    ]
    # a blank reason is "not recorded": said when every, or some, lost deal has none
    ref = result.refusals
    if "refusal_reason" not in missing and ref is not None:
        lost, blank = int(ref.attrs.get("lost", 0)), int(ref.attrs.get("not_recorded", 0))
        if lost and blank == lost:
            out.append(sentence("crm.not_recorded.refusal_reason", result.language))
        elif blank:
            out.append(
                sentence(
                    "crm.not_recorded.refusal_reason_some",
                    result.language,
                    n=blank,
                    lost=lost,
                    recorded=lost - blank,
                )
            )
    return out


def no_card_text(language: str = "en") -> str:
    """Said where no client can be picked for the customer card."""
    return sentence("crm.no_card", language)
