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

__all__ = ["sentence", "term"]

_SPACES = re.compile(r"[ \t\r\n]+")


@lru_cache(maxsize=8)
def _env(language: str):
    import jinja2

    env = jinja2.Environment(
        autoescape=False, keep_trailing_newline=False, undefined=jinja2.StrictUndefined
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
    return env


@lru_cache(maxsize=512)
def _template(language: str, key: str):
    node: Any = texts(language).get("sentences", {})
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no sentence {key!r} in orient's texts ({language})")
        node = node[part]
    return _env(language).from_string(str(node))


def sentence(key: str, language: str = "en", /, **values: Any) -> str:
    """Render the sentence template ``key`` (``"module.name"``) in ``language``.

    Runs of ASCII whitespace become one space (templates may wrap over lines); the
    no-break spaces inside numbers stay.

    Raises
    ------
    ValueError
        For a language orient does not write in.
    KeyError
        For a key the texts do not have.
    """
    check_language(language)
    return _SPACES.sub(" ", _template(language, key).render(**values)).strip(" ")


def term(group: str, value: Any, language: str = "en") -> str:
    """A fixed term (a measure name, a status...) in ``language``; unknown ones unchanged."""
    check_language(language)
    table = texts(language).get("terms", {}).get(group, {})
    return str(table.get(str(value), value))
