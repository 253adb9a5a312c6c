"""Text from data shown as text: Markdown and HTML in labels and names made inert.

A label such as ``[click](http://evil.example)`` or ``<script>`` is data, not markup:
:func:`escape_markdown` backslash-escapes every character Markdown or HTML could read
(CommonMark: any ASCII punctuation may be escaped, and shows as itself).
:func:`sentence <orient.i18n.sentence>` returns a :class:`Sentence`: the plain text, and
as ``.markdown`` the same template with its *values* escaped (the template's own
Markdown, such as ``**Deals**``, stays). :func:`markdown` gives the Markdown of a
sentence, or of plain text composed from several, and :func:`bullets` a list of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = ["Sentence", "bullets", "escape_markdown", "markdown"]

# what Markdown (CommonMark, GFM tables and strike-through, math) or HTML may read
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~$&=^\"':@/])")


def escape_markdown(text: Any) -> str:
    """``text`` with every Markdown or HTML character backslash-escaped.

    >>> escape_markdown("[click](http://x) <b>**bold**</b> $x$")
    '\\\\[click\\\\]\\\\(http\\\\:\\\\/\\\\/x\\\\) \\\\<b\\\\>\\\\*\\\\*bold\\\\*\\\\*\\\\<\\\\/b\\\\> \\\\$x\\\\$'
    """
    return _SPECIAL.sub(r"\\\1", str(text))


class Sentence(str):
    """A rendered sentence (plain text) that also knows its Markdown (values escaped)."""

    markdown: str

    def __new__(cls, text: str = "", markdown: str | None = None) -> Sentence:
        obj = super().__new__(cls, text)
        obj.markdown = escape_markdown(text) if markdown is None else markdown
        return obj

    def __getnewargs__(self) -> tuple[str, str]:  # copies and pickles keep the Markdown
        return (str(self), self.markdown)


def markdown(text: Any) -> str:
    """The Markdown showing ``text`` as written: a :class:`Sentence`'s own Markdown,
    any other text escaped whole (plain text composed of sentences and values)."""
    if isinstance(text, Sentence):
        return text.markdown
    return escape_markdown(text)


def bullets(items: Iterable[Any]) -> str:
    """A Markdown list of ``items`` (sentences or plain text), each shown as written."""
    return "\n".join(f"- {markdown(item)}" for item in items)
