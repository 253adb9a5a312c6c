"""The report's texts and their translations: one English source, gettext catalogs.

``texts.yaml`` holds every string orient writes into a report, in English, in a
structure (words, stage names, findings, key figures, sentence templates). Each
string has a path, which is its gettext context (``msgctxt``) in a language's catalog
``locale/<language>/LC_MESSAGES/*.po`` (``orient.po`` first, then one file per area,
merged); the English string is the ``msgid``.
Fixed terms (table headers, known values, figure texts) are catalog entries with the
context ``terms.<group>`` and the English text as ``msgid``.

A catalog entry whose ``msgid`` no longer matches the English source is ignored
(gettext's rule), so a stale translation falls back to English instead of saying
something else; ``tests/test_i18n.py`` fails when that happens. Catalogs are read with
Babel (:func:`babel.messages.pofile.read_po`); no compile step is needed.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from importlib import resources
from typing import Any

from orient._validate import check_choice

__all__ = ["LANGUAGES", "catalog", "check_language", "company_language", "texts", "translator"]

SOURCE_LANGUAGE = "en"


def _root():
    return resources.files("orient.i18n")


def _languages() -> tuple[str, ...]:
    found = []
    locale = _root() / "locale"
    if locale.is_dir():
        for entry in locale.iterdir():
            if (entry / "LC_MESSAGES" / "orient.po").is_file():
                found.append(entry.name)
    return (SOURCE_LANGUAGE, *sorted(found))


LANGUAGES: tuple[str, ...] = _languages()


def check_language(language: Any, name: str = "language") -> str:
    """``language`` if orient writes in it (English or a language with a catalog)."""
    return check_choice(language, LANGUAGES, name)


def company_language(company: Any) -> str:
    """``company.language`` when orient writes in it, else ``"en"``."""
    language = getattr(company, "language", None)
    return language if language in LANGUAGES else SOURCE_LANGUAGE


@lru_cache(maxsize=1)
def source() -> dict:
    """The English source texts (shared: do not modify)."""
    import yaml

    # LibYAML when PyYAML has it: the same values (a shipped file, known to be valid)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((_root() / "texts.yaml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506


@lru_cache(maxsize=8)
def catalog(language: str):
    """The language's :class:`babel.messages.catalog.Catalog` (None for English)."""
    check_language(language)
    if language == SOURCE_LANGUAGE:
        return None
    from babel.messages.pofile import read_po

    folder = _root() / "locale" / language / "LC_MESSAGES"
    merged = None
    for path in sorted(
        (p for p in folder.iterdir() if p.name.endswith(".po")),
        key=lambda p: (p.name != "orient.po", p.name),
    ):
        with path.open("rb") as fh:
            part = read_po(fh, locale=language, domain="orient")
        if merged is None:
            merged = part
            continue
        for message in part:
            if message.id:
                merged[message.id] = message  # a later file's entry wins (by id and context)
    return merged


def _entries(language: str) -> dict[tuple[str | None, Any], Any]:
    cat = catalog(language)
    if cat is None:
        return {}
    out = {}
    for message in cat:
        if not message.id or message.fuzzy:
            continue
        out[(message.context, message.id)] = message.string
    return out


def list_key(item: Any, index: int) -> str:
    """The path segment of a list item: its ``key``, a finding's stage and requirements."""
    if isinstance(item, dict):
        if "key" in item:
            return str(item["key"])
        if "requires" in item:
            return f"{item['stage']}:{'+'.join(item['requires'])}"
    return str(index)


_STRUCTURAL = frozenset({"requires", "stage", "key", "decimals", "scale", "optional"})


def _translate(node: Any, path: str, entries: dict) -> Any:
    if isinstance(node, dict):
        return {
            k: (
                v
                if k in _STRUCTURAL and path.endswith("]")
                else _translate(v, f"{path}.{k}" if path else str(k), entries)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        if path.startswith("words.") and all(isinstance(x, str) for x in node):
            found = entries.get((path, tuple(node[:2])))
            return list(found) if found and all(found) else node
        return [_translate(v, f"{path}[{list_key(v, i)}]", entries) for i, v in enumerate(node)]
    if isinstance(node, str):
        found = entries.get((path, node))
        return found if found else node
    return node


@lru_cache(maxsize=8)
def texts(language: str) -> dict:
    """All report texts in ``language`` (shared: do not modify).

    The English structure with each string replaced by its translation where the
    catalog has one, plus ``terms``: ``{group: {english: translated}}``.
    """
    check_language(language)
    entries = _entries(language)
    out = _translate(copy.deepcopy(source()), "", entries)
    out["language"] = language
    terms: dict[str, Any] = {}
    for (context, msgid), string in entries.items():
        if not context or not context.startswith("terms.") or not string:
            continue
        group = context.split(".", 1)[1]
        terms.setdefault(group, {})[msgid] = string
    out["terms"] = terms
    return out


@lru_cache(maxsize=8)
def translator(language: str):
    """A gettext translations object (``gettext``, ``ngettext``, ``pgettext``...)."""
    import gettext
    import io

    cat = catalog(language)
    if cat is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    buf = io.BytesIO()
    write_mo(buf, cat)
    buf.seek(0)
    return Translations(fp=buf, domain="orient")
