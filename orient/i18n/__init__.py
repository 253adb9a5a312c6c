"""Texts in the report's language: one English source, gettext catalogs, CLDR numbers.

- :mod:`orient.i18n.catalog` -- the English source texts (``texts.yaml``), the
  languages' gettext catalogs (``locale/<lang>/LC_MESSAGES/orient.po``, read with
  Babel), :func:`texts` and :func:`translator`.
- :mod:`orient.i18n.numbers` -- numbers, percentages, money, intervals and plural
  forms through Babel (CLDR rules).
- :mod:`orient.i18n.sentences` -- sentence templates rendered in a language.

Adding a language is a catalog, not code: copy ``locale/ru/LC_MESSAGES/orient.po`` to
``locale/<lang>/LC_MESSAGES/orient.po``, set its ``Language`` and ``Plural-Forms``
header (``pybabel init`` writes both), translate each ``msgstr``.
This package imports only orient's argument checks: every layer may use it.
"""

from orient.i18n.catalog import (
    LANGUAGES,
    check_language,
    company_language,
    texts,
    translator,
)
from orient.i18n.markup import Sentence, bullets, escape_markdown, markdown
from orient.i18n.numbers import (
    DASH,
    format_interval,
    format_money,
    format_number,
    format_percent,
    plural,
    plural_word,
)
from orient.i18n.sentences import message, sentence, term

__all__ = [
    "DASH",
    "Sentence",
    "bullets",
    "escape_markdown",
    "markdown",
    "LANGUAGES",
    "check_language",
    "company_language",
    "format_interval",
    "format_money",
    "format_number",
    "format_percent",
    "message",
    "plural",
    "plural_word",
    "sentence",
    "term",
    "texts",
    "translator",
]
