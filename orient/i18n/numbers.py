"""Numbers, percentages, money and intervals in the report's language (Babel, CLDR).

Rounding is Python's (``f"{x:.{d}f}"``, correctly rounded from the binary value);
grouping, decimal and percent symbols come from CLDR through Babel, so English is
``1,234.5`` and Russian ``1 234,5`` (no-break space, decimal comma). ``None``, NaN and
infinities give an en dash. Plural forms follow the catalog's gettext ``Plural-Forms``
(from CLDR via Babel); a number shown with decimals takes the form gettext gives for
2, which is the right one for English ("1.5 points") and Russian ("1,6 пункта").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from orient.i18n.catalog import check_language

__all__ = [
    "DASH",
    "format_interval",
    "format_money",
    "format_number",
    "format_percent",
    "plural",
    "plural_word",
]

DASH = "\u2013"


def _finite(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def format_number(
    value: Any, language: str = "en", decimals: int = 1, *, signed: bool = False
) -> str:
    """``value`` rounded to ``decimals`` and written as the language writes numbers.

    Examples
    --------
    >>> format_number(1234.56, "en")
    '1,234.6'
    >>> format_number(-0.04, "en", 1)
    '0.0'
    >>> format_number(2.5, "en", 1, signed=True)
    '+2.5'
    """
    check_language(language)
    if value is None:
        return DASH
    if isinstance(value, bool):
        return str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return str(value)  # a text (a label, a mark) is shown as it is
    if not math.isfinite(x):
        return DASH
    from babel.numbers import format_decimal

    d = int(decimals)
    shown = f"{abs(x):.{d}f}"
    pattern = "#,##0" + ("." + "0" * d if d > 0 else "")
    text = format_decimal(Decimal(shown), format=pattern, locale=language)
    zero = float(shown) == 0
    if x < 0 and not zero:
        text = "-" + text
    elif signed and x > 0 and not zero:
        text = "+" + text
    return text


def format_percent(
    share: Any, language: str = "en", decimals: int = 0, *, signed: bool = False
) -> str:
    """A share (0-1) as a percentage in the language's pattern (``12%``, ``12 %``).

    Examples
    --------
    >>> format_percent(0.1234, "en", 1)
    '12.3%'
    """
    x = _finite(share)
    if x is None:
        return DASH
    number = format_number(100 * x, language, decimals, signed=signed)
    return _percent_pattern(language).replace("#", number)


@lru_cache(maxsize=8)
def _percent_pattern(language: str) -> str:
    from babel.numbers import format_percent as _fp

    return _fp(1, locale=language).replace("100", "#")


def format_money(value: Any, currency: str | None, language: str = "en", decimals: int = 0) -> str:
    """An amount with its currency code after it (``1,234 EUR``; ``1 234 EUR``).

    Examples
    --------
    >>> format_money(1234.4, "EUR", "en")
    '1,234\xa0EUR'
    """
    number = format_number(value, language, decimals)
    if number == DASH or not currency:
        return number
    return f"{number}\u00a0{currency}"


def format_interval(
    low: Any, high: Any, language: str = "en", decimals: int = 1, *, percent: bool = False
) -> str:
    """An interval as a reader says it: ``65.6 to 67.1`` (``от 65,6 до 67,1``).

    Examples
    --------
    >>> format_interval(65.61, 67.08, "en")
    '65.6 to 67.1'
    """
    fmt = format_percent if percent else format_number
    lo, hi = fmt(low, language, decimals), fmt(high, language, decimals)
    if DASH in (lo, hi):
        return DASH
    from orient.i18n.catalog import translator

    return (
        translator(language).pgettext("terms.interval", "{low} to {high}").format(low=lo, high=hi)
    )


@lru_cache(maxsize=8)
def _plural_index(language: str):
    import gettext

    from babel.messages.plurals import get_plural

    return gettext.c2py(get_plural(language).plural_expr)


def plural(n: int, forms: Sequence[str], language: str = "en") -> str:
    """The form of a word for the integer ``n``, forms in the catalog's gettext order.

    Examples
    --------
    >>> plural(5, ["пункт", "пункта", "пунктов"], "ru")
    'пунктов'
    """
    index = _plural_index(language)(abs(int(n)))
    return forms[min(index, len(forms) - 1)]


def plural_word(value: Any, *forms: str, language: str = "en") -> str:
    """The word for a number as shown: a fraction takes the form of 2.

    ``value`` should be the number as displayed (rounded): 1.6 -> "пункта" (1,6
    пункта), 1 -> "пункт", 5 -> "пунктов"; English 1 -> "point", 1.5 -> "points".
    """
    x = _finite(value)
    if x is None:
        return forms[-1]
    x = abs(x)
    return plural(int(x) if x.is_integer() else 2, forms, language)
