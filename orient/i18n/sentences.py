"""Sentence templates rendered in a language: ``sentence("module.name", language, ...)``.

Templates are Jinja, from ``texts.yaml`` (``sentences`` section) or the language's
catalog, rendered as plain text (no HTML escaping: they end up in Markdown, JSON and
tables). Filters: ``num(d)``, ``signed(d)``, ``pct(d)`` (a share 0-1 as percent),
``plural(d, forms...)`` (the word for the number as shown with ``d`` decimals), ``g``
(a number without trailing zeros) and ``term(group)``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from orient.i18n.catalog import check_language, texts
from orient.i18n.numbers import format_number, plural_word

__all__ = ["message", "sentence", "term"]

_SPACES = re.compile(r"[ \t\r\n]+")


def _escape_value(value: Any) -> Any:
    # a value from data (a label, a name); numbers are formatted by filters into digits,
    # separators and signs, which escape harmlessly
    from orient.i18n.markup import escape_markdown

    return value if value is None else escape_markdown(value)


@lru_cache(maxsize=16)
def _env(language: str, markdown: bool = False):
    import jinja2

    env = jinja2.Environment(
        autoescape=False,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
        finalize=_escape_value if markdown else None,
    )

    def number_word(value: Any, decimals: int, *forms: str) -> str:
        shown = round(float(value), decimals) if value is not None else value
        return plural_word(shown, *forms, language=language)

    env.filters["num"] = lambda v, d=1: format_number(v, language, d)
    env.filters["signed"] = lambda v, d=1: format_number(v, language, d, signed=True)
    env.filters["pct"] = lambda v, d=0: (
        format_number(None if v is None else float(v) * 100, language, d) + "%"
    )
    env.filters["plural"] = number_word
    env.filters["g"] = lambda v: format_number(
        v, language, 0 if float(v).is_integer() else len(f"{float(v):g}".partition(".")[2])
    )
    env.filters["term"] = lambda v, group: term(group, v, language)
    env.filters["pvalue"] = lambda v: p_value_text(v, language)
    return env


def p_value_text(p: Any, language: str = "en", decimals: int = 3) -> str:
    """``p = 0.042``, or ``p < 0.001`` where three decimals would show zero (never
    ``p = 0.000``, which reads as certainty).

    >>> p_value_text(0.0421), p_value_text(2e-7), p_value_text(2e-7, "ru")
    ('p = 0.042', 'p < 0.001', 'p < 0,001')
    """
    floor = 10.0**-decimals
    if p is not None and float(p) < floor / 2:
        return "p < " + format_number(floor, language, decimals)
    return "p = " + format_number(p, language, decimals)


@lru_cache(maxsize=4096)  # every sentence of every language, twice
def _template(language: str, key: str, markdown: bool = False):
    node: Any = texts(language).get("sentences", {})
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no sentence {key!r} in orient's texts ({language})")
        node = node[part]
    return _env(language, markdown).from_string(str(node))


def sentence(key: str, language: str = "en", /, **values: Any) -> str:
    """Render the sentence template ``key`` (``"module.name"``) in ``language``.

    Runs of ASCII whitespace become one space (templates may wrap over lines); the
    no-break spaces inside numbers stay. The result is a
    :class:`~orient.i18n.markup.Sentence`: plain text, with ``.markdown`` the same
    sentence whose values (labels, names from data) are escaped for Markdown and HTML.

    Raises
    ------
    ValueError
        For a language orient does not write in.
    KeyError
        For a key the texts do not have.
    """
    from orient.i18n.markup import Sentence

    check_language(language)
    plain = _SPACES.sub(" ", _template(language, key).render(**values)).strip(" ")
    md = _SPACES.sub(" ", _template(language, key, True).render(**values)).strip(" ")
    return Sentence(plain, md)


def term(group: str, value: Any, language: str = "en") -> str:
    """A fixed term (a measure name, a status...) in ``language``; unknown ones unchanged."""
    check_language(language)
    table = texts(language).get("terms", {}).get(group, {})
    return str(table.get(str(value), value))


def message(context: str, text: str, language: str = "en", /, **values: Any) -> str:
    """A fixed text of the catalog (a table heading, a caption, a figure label) in
    ``language``, with its ``{placeholders}`` filled after translation.

    ``text`` is the English ``msgid`` of ``context``; numbers among ``values`` get the
    language's separators (the decimals of a ``{name:.1f}``-style spec, else as few as
    show the number, at most 4; ``{name:+...}`` signs them).

    >>> message("terms.plots", "{n} respondents", "en", n=1200)
    '1,200 respondents'
    """
    import string

    from orient.i18n.catalog import translator

    template = text if language == "en" else translator(language).pgettext(context, text)
    if not values:
        return template
    out = []
    for literal, field, spec, _conv in string.Formatter().parse(template):
        out.append(literal.replace("{{", "{").replace("}}", "}"))
        if field is None:
            continue
        value = values[field]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            decimals = _decimals_of(spec, value)
            signed = (spec or "").startswith("+")
            out.append(format_number(value, language, decimals, signed=signed))
        else:
            out.append(format(value, spec or ""))
    return "".join(out)


def _decimals_of(spec: str | None, value: float) -> int:
    m = re.search(r"\.(\d+)[fg%]?$", spec or "")
    if m:
        return int(m.group(1))
    if float(value).is_integer():
        return 0
    return min(4, len(repr(float(value)).split(".")[1]))
