"""Tables for readers: built once, at the source, in the report's language.

An analysis returns tidy frames with snake_case columns and full precision; a reader
sees a :class:`Table`: labelled columns in the report's language, values in words
(``Keep advantage``, not ``keep_advantage``), numbers rounded with their units,
intervals as ``65.6 to 67.1``, blanks as an en dash explained in a note, no row
numbers and no cut-off text. Formatting goes through :mod:`orient.i18n` (Babel,
CLDR) and the catalogs, so a new language needs no code here.

>>> t = Table.build({"Attribute": ["Price"], "Share (%)": fmt_number([12.345], "en")},
...                 language="en")
>>> t.frame.iloc[0].tolist()
['Price', '12.3']
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient.i18n import (
    DASH,
    format_interval,
    format_money,
    format_number,
    format_percent,
    texts,
    translator,
)

__all__ = [
    "Table",
    "overview_table",
    "fmt_interval",
    "fmt_money",
    "fmt_number",
    "fmt_percent",
    "fmt_term",
    "fmt_yesno",
    "header",
    "value_word",
]


def header(label: str, language: str) -> str:
    """A column heading in ``language`` (catalog context ``terms.columns``)."""
    if language == "en":
        return label
    return translator(language).pgettext("terms.columns", label)


def value_word(group: str, value: Any, language: str) -> str:
    """An internal value (a quadrant, a status...) as a word in ``language``.

    The English words are ``values.<group>`` of ``orient/i18n/texts.yaml``; a value
    without a word there is shown as it is (it is then the client's own text).
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return DASH
    words = texts(language).get("values", {}).get(group, {})
    return str(words.get(str(value), value))


def _values(values: Any) -> list:
    if isinstance(values, (pd.Series, pd.Index)):
        return values.tolist()
    return list(values)


def fmt_number(
    values: Any, language: str, decimals: int = 1, *, signed: bool = False, scale: float = 1.0
) -> list[str]:
    """Numbers rounded for reading (``scale`` multiplies first, e.g. 100 for shares)."""
    return [
        format_number(None if v is None else _scaled(v, scale), language, decimals, signed=signed)
        for v in _values(values)
    ]


def _scaled(v: Any, scale: float) -> Any:
    try:
        return float(v) * scale
    except (TypeError, ValueError):
        return v


def fmt_percent(
    values: Any, language: str, decimals: int = 0, *, signed: bool = False
) -> list[str]:
    """Shares (0-1) as percentages in the language's pattern."""
    return [format_percent(v, language, decimals, signed=signed) for v in _values(values)]


def fmt_money(values: Any, currency: str | None, language: str, decimals: int = 0) -> list[str]:
    """Amounts with their currency."""
    return [format_money(v, currency, language, decimals) for v in _values(values)]


def fmt_interval(
    low: Any,
    high: Any,
    language: str,
    decimals: int = 1,
    *,
    percent: bool = False,
    scale: float = 1.0,
) -> list[str]:
    """Intervals as ``low to high`` (an en dash where either end is missing)."""
    lows, highs = _values(low), _values(high)
    return [
        format_interval(_scaled(lo, scale), _scaled(hi, scale), language, decimals, percent=percent)
        for lo, hi in zip(lows, highs, strict=True)
    ]


def fmt_term(values: Any, group: str, language: str) -> list[str]:
    """Internal values as words (:func:`value_word`)."""
    return [value_word(group, v, language) for v in _values(values)]


def fmt_yesno(values: Any, language: str) -> list[str]:
    """Booleans as yes / no (an en dash where missing)."""
    out = []
    for v in _values(values):
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
            out.append(DASH)
        else:
            out.append(value_word("yesno", "yes" if bool(v) else "no", language))
    return out


def _cell(v: Any) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and not np.isfinite(v)):
        return DASH
    if isinstance(v, (bool, np.bool_)):
        raise TypeError("a table cell holds a boolean: format it with fmt_yesno first.")
    if isinstance(v, (float, np.floating)):
        raise TypeError(f"a table cell holds the unformatted number {v!r}: format it first.")
    return str(v)


@dataclass(frozen=True)
class Table:
    """A table as a reader sees it: text cells, headings in the report's language.

    ``frame`` holds only strings (the first column is the row label when there is
    one); ``caption`` says what the table holds; ``notes`` explain marks such as the
    en dash. Shown in a notebook or a report through ``_repr_html_``.
    """

    frame: pd.DataFrame
    caption: str | None = None
    notes: tuple[str, ...] = ()
    language: str = "en"
    row_header: bool = True

    @classmethod
    def build(
        cls,
        columns: Mapping[str, Sequence[Any]],
        *,
        language: str,
        caption: str | None = None,
        notes: Iterable[str] = (),
        row_header: bool = True,
    ) -> Table:
        """A table from ``{English heading: formatted cells}`` (headings translated).

        Cells must already be text (or whole numbers); a float or a boolean left
        unformatted is a ``TypeError``, so nothing reaches a reader as ``0.1 + 0.2``.
        Missing cells become an en dash and add the note that says what it means.
        """
        data = {}
        blank = False
        for label, cells in columns.items():
            shown = []
            for v in _values(cells):
                text = (
                    _cell(v)
                    if not isinstance(v, (int, np.integer)) or isinstance(v, (bool, np.bool_))
                    else format_number(int(v), language, 0)
                )
                blank |= text == DASH
                shown.append(text)
            data[header(label, language)] = shown
        notes = tuple(notes)
        if blank:
            dash_note = translator(language).pgettext(
                "table_notes", "\u2013 not available (no data, or a base too small to show)."
            )
            if dash_note not in notes:
                notes = (*notes, dash_note)
        return cls(pd.DataFrame(data), caption, notes, language, row_header)

    def __len__(self) -> int:
        return len(self.frame)

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def to_html(self) -> str:
        """The table as escaped HTML (row labels as ``<th scope="row">``)."""
        esc = html.escape
        head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in self.frame.columns)
        rows = []
        for values in self.frame.itertuples(index=False):
            cells = []
            for i, v in enumerate(values):
                if i == 0 and self.row_header:
                    cells.append(f'<th scope="row">{esc(str(v))}</th>')
                else:
                    cells.append(f"<td>{esc(str(v))}</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
        caption = f"<caption>{esc(self.caption)}</caption>" if self.caption else ""
        notes = "".join(f'<p class="table-note">{esc(n)}</p>' for n in self.notes)
        return (
            f'<table class="orient-table">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{notes}"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_mimebundle_(self, include=None, exclude=None):
        """HTML and plain text, with the caption as output metadata (the report's
        table caption; the HTML keeps its ``<caption>`` for JupyterLab)."""
        data = {"text/html": self.to_html(), "text/plain": repr(self)}
        return (data, {"caption": self.caption}) if self.caption else data

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def overview_table(company: Any) -> Table:
    """What the company folder holds (:func:`orient.data.company.overview`), as a Table in
    the company's language."""
    from orient.data.company import overview
    from orient.i18n import company_language

    language = company_language(company)
    facts = overview(company, language)
    caption = translator(language).pgettext(
        "table_captions", "What the analysis is based on: the company's files and respondents"
    )
    return Table.build(
        {"Item": facts["item"], "Value": facts["value"]}, language=language, caption=caption
    )
