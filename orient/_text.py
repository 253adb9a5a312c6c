"""Texts in a company's language: numbers, plural forms and sentence templates.

The sentences stage modules write (priorities, wave changes, operational risks...)
come from the ``sentences`` section of ``templates/text/<language>.yaml``, rendered
as plain text (no HTML escaping: they end up in Markdown, JSON and tables). Numbers
go through :func:`format_number`: ``1,234.5`` in English, ``1 234,5`` (narrow no-break
space, decimal comma) in Russian. Stage modules import this module; it imports none
of orient's own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ._validate import check_choice

LANGUAGES = ("en", "ru")
_SPACES = re.compile(r"[ \t\r\n]+")
_TEXT_DIR = Path(__file__).parent / "templates" / "text"


def check_language(language: Any, name: str = "language") -> str:
    """``language`` if it is one orient writes in (``"en"``, ``"ru"``), else ValueError."""
    return check_choice(language, LANGUAGES, name)


@lru_cache(maxsize=4)
def texts(language: str) -> dict:
    """The parsed ``templates/text/<language>.yaml`` (shared: do not modify)."""
    import yaml

    check_language(language)
    with open(_TEXT_DIR / f"{language}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def format_number(value: Any, language: str = "en", decimals: int = 1, *,
                  signed: bool = False) -> str:
    """Format a number for the report's language.

    English: ``1,234.5``. Russian: decimal comma and a narrow no-break (thin) space
    between thousands, ``1\u202f234,5``. ``None``, NaN and infinities give an en dash.

    Parameters
    ----------
    value : int, float or None
        The number.
    language : {"en", "ru"}
        The report language.
    decimals : int
        Digits after the decimal separator.
    signed : bool
        Show ``+`` before positive numbers (for changes).

    Returns
    -------
    str
    """
    if language not in LANGUAGES:
        raise ValueError(f"`language` must be one of 'en', 'ru'; got {language!r}.")
    if value is None or isinstance(value, bool):
        return "\u2013" if value is None else str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(x):
        return "\u2013"
    text = f"{abs(x):,.{int(decimals)}f}"
    if language == "ru":
        text = text.replace(",", "\u202f").replace(".", ",")
    rounded_zero = float(f"{abs(x):.{int(decimals)}f}") == 0
    if x < 0 and not rounded_zero:
        text = "-" + text
    elif signed and x > 0 and not rounded_zero:
        text = "+" + text
    return text


def plural(n: int, forms: Sequence[str], language: str = "en") -> str:
    """The plural form of a word for ``n``: English (one, other); Russian (one, few, many)."""
    n = abs(int(n))
    if language == "ru" and len(forms) == 3:
        if n % 10 == 1 and n % 100 != 11:
            return forms[0]
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return forms[1]
        return forms[2]
    return forms[0] if n == 1 else forms[-1]


def plural_word(value: Any, *forms: str, language: str = "en") -> str:
    """The word for a number as shown: Russian fractions take the genitive singular.

    ``value`` should be the number as displayed (rounded): 1.6 -> "пункта" (1,6
    пункта), 1 -> "пункт", 5 -> "пунктов"; English 1 -> "point", 1.5 -> "points".
    """
    try:
        x = abs(float(value))
    except (TypeError, ValueError):
        return forms[-1]
    if not math.isfinite(x):
        return forms[-1]
    if language == "ru" and len(forms) == 3 and not x.is_integer():
        return forms[1]
    return plural(int(x), forms, language) if x.is_integer() else forms[-1]


@lru_cache(maxsize=4)
def _env(language: str):
    import jinja2

    env = jinja2.Environment(autoescape=False, keep_trailing_newline=False,
                             undefined=jinja2.StrictUndefined)

    def number_word(value: Any, decimals: int, *forms: str) -> str:
        shown = round(float(value), decimals) if value is not None else value
        return plural_word(shown, *forms, language=language)

    env.filters["num"] = lambda v, d=1: format_number(v, language, d)
    env.filters["signed"] = lambda v, d=1: format_number(v, language, d, signed=True)
    env.filters["pct"] = lambda v, d=0: format_number(
        None if v is None else float(v) * 100, language, d) + "%"
    # `plural(d, forms...)`: the word for the number as shown with d decimals
    env.filters["plural"] = number_word
    # `g`: a number without trailing zeros (20.0 -> "20", 7.5 -> "7.5" / "7,5")
    env.filters["g"] = lambda v: format_number(
        v, language, 0 if float(v).is_integer() else len(f"{float(v):g}".partition(".")[2]))
    env.filters["term"] = lambda v, group: term(group, v, language)
    return env


@lru_cache(maxsize=256)
def _template(language: str, key: str):
    node: Any = texts(language).get("sentences", {})
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(f"no sentence {key!r} in templates/text/{language}.yaml")
        node = node[part]
    return _env(language).from_string(str(node))


def sentence(key: str, language: str = "en", /, **values: Any) -> str:
    """Render the sentence template ``key`` (``"module.name"``) in ``language``.

    Runs of ASCII whitespace become one space (templates may wrap over lines); the
    narrow no-break spaces inside numbers stay.

    Raises
    ------
    ValueError
        For a language orient does not write in.
    KeyError
        For a key the language's texts do not have.
    """
    check_language(language)
    return _SPACES.sub(" ", _template(language, key).render(**values)).strip(" ")


def term(group: str, value: Any, language: str = "en") -> str:
    """A fixed term (a measure name, a status...) in ``language``; unknown ones unchanged."""
    check_language(language)
    table = texts(language).get("terms", {}).get(group, {})
    return str(table.get(str(value), value))


def company_language(company: Any) -> str:
    """``company.language`` when it is one orient writes in, else ``"en"``."""
    language = getattr(company, "language", None)
    return language if language in LANGUAGES else "en"
