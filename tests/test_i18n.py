"""orient.i18n: the English source texts, the gettext catalogs and CLDR numbers."""

from __future__ import annotations

import pytest

from orient import i18n
from orient.i18n import catalog as _catalog

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != "en"]


def _source_paths(node, path=""):
    """(path, english) of every translatable string of texts.yaml."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in _catalog._STRUCTURAL and path.endswith("]"):
                continue
            yield from _source_paths(v, f"{path}.{k}" if path else str(k))
    elif isinstance(node, list):
        if path.startswith("words.") and all(isinstance(x, str) for x in node):
            yield path, tuple(node[:2])
            return
        for i, v in enumerate(node):
            yield from _source_paths(v, f"{path}[{_catalog.list_key(v, i)}]")
    elif isinstance(node, str):
        yield path, node


def test_languages():
    assert i18n.LANGUAGES[0] == "en" and "ru" in i18n.LANGUAGES


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalog_translates_every_source_string(language):
    entries = _catalog._entries(language)
    missing = [p for p, msgid in _source_paths(_catalog.source()) if (p, msgid) not in entries]
    assert not missing, f"{language}: no translation for {missing[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_stale_catalog_entry(language):
    # an entry whose msgid is not the current English text would be silently unused
    source = dict(_source_paths(_catalog.source()))
    # (contexts with a dot or a bracket are paths of texts.yaml; the others are the
    # contexts of gettext calls in the code, checked by test_code_messages_exist)
    stale = [
        (ctx, mid)
        for (ctx, mid) in _catalog._entries(language)
        if ctx
        and ("." in ctx or "[" in ctx)
        and not ctx.startswith("terms.")
        and source.get(ctx) != mid
    ]
    assert not stale, stale[:5]


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_forms_header_is_cldr(language):
    from babel.messages.plurals import get_plural

    cat = _catalog.catalog(language)
    assert cat.plural_expr == get_plural(language).plural_expr


@pytest.mark.parametrize(
    ("value", "language", "decimals", "expected"),
    [
        # CLDR (Unicode Common Locale Data Repository) number symbols
        (1234.5, "en", 1, "1,234.5"),
        (1234567.891, "ru", 2, "1\u00a0234\u00a0567,89"),
        (-0.04, "en", 1, "0.0"),  # no negative zero
        (2.675, "en", 2, "2.67"),  # the binary value 2.67499999... rounds down
        (float("nan"), "en", 1, "\u2013"),
        (None, "ru", 1, "\u2013"),
    ],
)
def test_format_number(value, language, decimals, expected):
    assert i18n.format_number(value, language, decimals) == expected


def test_percent_interval_money_follow_the_language():
    assert i18n.format_percent(0.125, "en", 1) == "12.5%"
    assert i18n.format_percent(0.125, "ru", 1) == "12,5\u00a0%"
    assert i18n.format_interval(65.61, 67.08, "en") == "65.6 to 67.1"
    assert i18n.format_interval(65.61, 67.08, "ru") == "от 65,6 до 67,1"
    assert i18n.format_interval(float("nan"), 1, "en") == "\u2013"
    assert i18n.format_money(1234.4, "RUB", "ru") == "1\u00a0234\u00a0RUB"


def test_translator_gives_gettext_lookups():
    t = i18n.translator("ru")
    assert (
        t.pgettext("words.report_title", "Customer orientation report")
        != "Customer orientation report"
    )
    assert i18n.translator("en").gettext("anything") == "anything"


def _code_messages():
    """(context, msgid) of every literal pgettext or message call in orient's code."""
    import ast
    from pathlib import Path

    found = set()
    for path in Path(_catalog.__file__).parents[1].rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            name = getattr(func, "attr", None) or getattr(func, "id", None)
            # pgettext(context, message), message(context, message, language, ...) and a
            # module's _text(context, message, ...)
            if (
                isinstance(node, ast.Call)
                and name in ("pgettext", "message", "_text")
                and len(node.args) >= 2
                and all(isinstance(a, ast.Constant) for a in node.args[:2])
            ):
                found.add((node.args[0].value, node.args[1].value))
    return found


@pytest.mark.parametrize("language", TRANSLATED)
def test_code_messages_are_translated_and_none_is_stale(language):
    entries = {
        k for k in _catalog._entries(language) if k[0] and "." not in k[0] and "[" not in k[0]
    }
    code = _code_messages()
    missing = sorted(code - set(_catalog._entries(language)))
    assert not missing, f"{language}: untranslated messages of the code: {missing[:5]}"
    # a catalog entry of a code context that no code asks for is stale; contexts whose
    # messages are built at run time (column headings, value words) are listed here
    dynamic = {"columns", "terms", "table_captions"}  # captions: formatted by helpers
    stale = sorted(k for k in entries - code if k[0] not in dynamic)
    assert not stale, f"{language}: catalog entries no code uses: {stale[:5]}"
