"""HTML of notebook outputs made safe to embed in the report: no script, no event
handler, no request to any network, no link out of the report.

Tags and attributes are filtered by ``nh3`` (the Rust ``ammonia`` sanitiser) with
orient's own lists; tags outside the list are escaped first, so they show as text
rather than vanish. CSS is orient's own business: ``<style>`` blocks keep only plain
rules with a short list of properties (:func:`_sanitize_css`), ``style`` attributes
only those properties (:func:`_sanitize_style`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["sanitize_html"]

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
        "mark",
        "s",
    }
)
_ALLOWED_ATTRS = {
    "*": ["class", "id", "title", "style"],
    "a": ["href", "title", "class"],
    "th": ["class", "id", "colspan", "rowspan", "scope", "style", "title"],
    "td": ["class", "id", "colspan", "rowspan", "style", "title"],
    "col": ["span", "class", "style"],
    "colgroup": ["span", "class", "style"],
    "ol": ["start", "class"],
}
_ALLOWED_CSS = (
    "color",
    "background-color",
    "font-weight",
    "font-style",
    "text-align",
    "vertical-align",
    "white-space",
    "width",
    "min-width",
    "max-width",
    "padding",
    "padding-left",
    "padding-right",
    "border",
    "border-top",
    "border-bottom",
    "border-left",
    "border-right",
    "border-color",
    "border-width",
    "border-style",
    "border-collapse",
    "text-decoration",
    "font-size",
    "opacity",
)
#: kept in ``style`` attributes besides ``_ALLOWED_CSS`` (as bleach's CSS sanitiser, used
#: before nh3, kept them; harmless outside SVG)
_SVG_CSS = (
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
)
_STYLE_ATTRIBUTE_CSS = frozenset(_ALLOWED_CSS + _SVG_CSS)
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_CSS_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)


_ID_SELECTOR = re.compile(r"#([A-Za-z_][A-Za-z0-9_-]*)\Z")


def _sanitize_css(css: str) -> tuple[str, dict[str, list[str]]]:
    """Keep only plain rules with allowed properties (no url(), @import, expressions).

    Returns the rules to keep in a ``<style>`` block and, separately, the declarations
    of rules that select one element by id (pandas Styler's ``#T_..._row0_col1``),
    which are cheaper inline. pandas' default ``.dataframe`` rules are dropped: the
    report's stylesheet covers them (and a PDF with hundreds of copies lays out slowly).
    """
    import tinycss2

    kept: list[str] = []
    by_id: dict[str, list[str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue  # drops @import, @font-face, @media...
        prelude = " ".join(tinycss2.serialize(rule.prelude).split())
        if (
            not prelude
            or any(ch in prelude for ch in "\\<>{}@")
            or "(" in prelude.replace(":nth-child(", "").replace(":only-of-type", "")
        ):
            continue
        decls = []
        for decl in tinycss2.parse_declaration_list(
            rule.content, skip_comments=True, skip_whitespace=True
        ):
            if decl.type != "declaration" or decl.lower_name not in _ALLOWED_CSS:
                continue
            if any(
                t.type == "function" and t.lower_name not in _CSS_FUNCTIONS for t in decl.value
            ) or any(t.type == "url" for t in decl.value):
                continue
            value = tinycss2.serialize(decl.value).strip()
            if "\\" in value or "<" in value or '"' in value:
                continue
            decls.append(f"{decl.lower_name}: {value}{' !important' if decl.important else ''}")
        if not decls:
            continue
        rest = []
        for part in (p.strip() for p in prelude.split(",")):
            if part.startswith(".dataframe"):
                continue
            m = _ID_SELECTOR.match(part)
            if m:
                by_id.setdefault(m.group(1), []).extend(decls)
            elif part:
                rest.append(part)
        if rest:
            kept.append(f"{', '.join(rest)} {{ {'; '.join(decls)} }}")
    return "\n".join(kept), by_id


def _inline_styles(html_text: str, by_id: Mapping[str, list[str]]) -> str:
    """Add the id rules' declarations to the elements' own style attributes."""
    if not by_id:
        return html_text

    def repl(m: re.Match) -> str:
        decls = by_id.get(m.group(2))
        if not decls:
            return m.group(0)
        attrs = m.group(1)
        extra = "; ".join(decls)
        if ' style="' in attrs:
            attrs = attrs.replace(' style="', f' style="{extra}; ', 1)
        else:
            attrs += f' style="{extra}"'
        return f"<{attrs}>"

    return re.sub(r'<([a-z][a-z0-9]*\b[^>]*?\sid="([^"]+)"[^>]*?)>', repl, html_text)


# A start or end tag as an HTML parser reads it: "<" or "</", a letter, then everything up to
# the first ">" outside a quoted value. What this misreads, nh3 still cleans.
_ANY_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/>]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")


def _escape_disallowed(html_text: str) -> str:
    """Tags outside ``_ALLOWED_TAGS`` as text (``&lt;script&gt;``), so they show, inert.

    >>> _escape_disallowed('<b>bold</b><script>alert(1)</script><IMG src="x">')
    '<b>bold</b>&lt;script&gt;alert(1)&lt;/script&gt;&lt;IMG src="x"&gt;'
    """

    def repl(m: re.Match) -> str:
        if m.group(2).lower() in _ALLOWED_TAGS:
            return m.group(0)
        return m.group(0).replace("<", "&lt;").replace(">", "&gt;")

    return _ANY_TAG.sub(repl, html_text)


def _sanitize_style(value: str) -> str:
    """A ``style`` attribute's declarations of allowed properties, the others dropped.

    >>> _sanitize_style("color: blue; background-image: url(http://x); FONT-WEIGHT:bold")
    'color: blue; FONT-WEIGHT:bold;'
    """
    import tinycss2

    kept: list = []
    for token in tinycss2.parse_declaration_list(value):
        if token.type == "declaration":
            if token.lower_name in _STYLE_ATTRIBUTE_CSS:
                kept.append(token)
        elif token.type in ("comment", "whitespace") and kept and kept[-1].type != token.type:
            kept.append(token)  # at most one separator between two declarations
    return tinycss2.serialize(kept).strip() if kept else ""


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return _sanitize_style(value)
    if attribute == "href" and not value.startswith("#"):
        # a link out of the report came from data (orient's own texts link only within
        # it): the text stays, the link goes
        return None
    return value


def sanitize_html(fragment: str) -> str:
    """Make an output's HTML safe to embed: no script, no event handler, no request.

    Disallowed tags are escaped (they show as text), not executed; ``<style>`` blocks
    keep only plain rules with a short list of properties and no ``url()``; rules for
    one element id are moved inline.

    Examples
    --------
    >>> sanitize_html('<p onclick="x()">hi <script>alert(1)</script></p>')
    '<p>hi &lt;script&gt;alert(1)&lt;/script&gt;</p>'
    >>> sanitize_html('<a href="javascript:alert(1)" title="t">a</a>')
    '<a title="t">a</a>'
    >>> sanitize_html('<a href="http://evil.example">s</a> <a href="#sec-1">I</a>')
    '<a>s</a> <a href="#sec-1">I</a>'
    """
    import nh3

    rules: list[str] = []
    by_id: dict[str, list[str]] = {}
    for m in _STYLE_BLOCK.finditer(fragment):
        kept, ids = _sanitize_css(m.group(1))
        if kept:
            rules.append(kept)
        for key, decls in ids.items():
            by_id.setdefault(key, []).extend(decls)
    body = _escape_disallowed(_STYLE_BLOCK.sub("", fragment))
    clean = nh3.clean(
        body,
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _ALLOWED_ATTRS.items()},
        attribute_filter=_attribute_filter,
        url_schemes=set(_URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
    )
    clean = _inline_styles(clean, by_id)
    return (f"<style>\n{chr(10).join(rules)}\n</style>\n" if rules else "") + clean
