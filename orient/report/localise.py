"""Table cells of notebook outputs put into the report's language after rendering.

Header cells, known values and plain numbers of a table are looked up in the language's
texts (``terms``). Kept for now: this rewrites rendered HTML, which the design's
"presentation happens once, at the source" rules out; it goes once the tables are
made in the reader's language where they are built.
"""

from __future__ import annotations

import re
from functools import lru_cache

from orient.report.texts import _texts

_TABLE_CELL = re.compile(r"<(t[hd])\b([^>]*)>([^<]*)</\1\s*>", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")


def _localise_table(fragment: str, language: str) -> str:
    """A table's plain header cells, known values and numbers in the report's language.

    ``<th>`` texts found in ``terms.columns`` (or ``terms.measures``) and ``<td>`` texts
    in ``terms.values`` of the language's texts are replaced; a ``<td>`` holding only a
    number as pandas prints it (``1,234.5``, ``-0.25``, ``12%``) gets the language's
    separators. Cells with markup inside, and English, are left as they are.
    """
    import html as _html

    if language == "en":
        return fragment
    terms = _texts(language).get("terms", {})
    headers = {**terms.get("measures", {}), **terms.get("columns", {})}
    values = terms.get("values", {})
    patterns = _value_patterns(language)

    def repl(m: re.Match) -> str:
        tag, attrs, inner = m.group(1), m.group(2), m.group(3)
        text = _html.unescape(inner).strip()
        table = {**values, **headers} if tag.lower() == "th" else values
        if text in table:
            new = _html.escape(str(table[text]), quote=False)
        elif tag.lower() == "td" and (num := _PLAIN_NUMBER.fullmatch(text)):
            sign, whole, frac, pct = num.groups()
            new = sign + whole.replace(",", "\u202f") + (frac or "").replace(".", ",") + pct
        elif tag.lower() == "td" and (
            found := next((p.fullmatch(text) for p, _ in patterns if p.fullmatch(text)), None)
        ):
            out = found.expand(dict(patterns)[found.re])
            new = _html.escape(re.sub(r"(?<=\d),(?=\d{3}\b)", "\u202f", out), quote=False)
        else:
            return m.group(0)
        return f"<{tag}{attrs}>{new}</{tag}>"

    return _TABLE_CELL.sub(repl, fragment)


@lru_cache(maxsize=4)
def _value_patterns(language: str) -> list:
    """``terms.value_patterns`` of the language: (compiled regex, replacement) pairs for
    table cells that hold a sentence with a number or a name in it (``survey.csv (66
    rows)``); the first full match wins, thousands in the result get thin spaces."""
    return [
        (re.compile(item["match"]), item["replace"])
        for item in _texts(language).get("terms", {}).get("value_patterns", [])
    ]
