"""What a reader of a rendered report sees, and the marks of an unfinished presentation.

Used by the tests that render whole reports: :func:`visible_text` is the text a browser
shows (no script, style or attribute), :func:`images` every ``<img>`` with its alt text
and the figure heading above it, and :func:`problems` lists what must not appear.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# a snake_case word: orient's internal keys look like this (n_goals, keep_advantage)
SNAKE = re.compile(r"(?<![\w./@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./@-])")
# a backtick-quoted word shown as typed: Markdown code escaped into the page
BACKTICK = re.compile(r"`[^`\s]+`")
RAW = re.compile(r"(?<!\w)(NaN|nan|None|True|False|NaT|<NA>)(?!\w)(?! of\b)")  # "None of": English
CUT = re.compile(r"\.\.\.|\u2026")
LONG_FLOAT = re.compile(r"(?<![\w.,])\d+[.,]\d{5,}(?!\d)")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images: list[dict] = []
        self._skip = 0
        self._heading: list[str] | None = None
        self.last_heading = ""
        self._caption: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self._skip += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        elif tag == "img":
            self.images.append(
                {"alt": dict(attrs).get("alt") or "", "heading": self.last_heading, "caption": ""}
            )
        elif tag == "figcaption":
            self._caption = []
        if tag in (
            "p",
            "div",
            "li",
            "td",
            "th",
            "tr",
            "br",
            "h1",
            "h2",
            "h3",
            "h4",
            "figcaption",
            "caption",
        ):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.last_heading = " ".join("".join(self._heading).split())
            self._heading = None
        elif tag == "figcaption" and self._caption is not None:
            text = " ".join("".join(self._caption).split())
            if self.images and not self.images[-1]["caption"]:
                self.images[-1]["caption"] = text
            self._caption = None

    def handle_data(self, data):
        if self._skip:
            return
        self.parts.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._caption is not None:
            self._caption.append(data)


def read(html_text: str) -> _Reader:
    reader = _Reader()
    reader.feed(html_text)
    return reader


def visible_text(html_text: str) -> str:
    return "".join(read(html_text).parts)


def problems(html_text: str, *, allowed: set[str] = frozenset()) -> list[str]:
    """What a reader must not see, one line each (empty when the report is clean).

    ``allowed`` holds words that are the client's own text (e.g. a file name).
    """
    reader = read(html_text)
    text = "".join(reader.parts)
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        for pattern, what in (
            (SNAKE, "internal key"),
            (RAW, "raw value"),
            (CUT, "cut-off text"),
            (LONG_FLOAT, "unformatted number"),
            (BACKTICK, "Markdown shown as text"),
        ):
            for m in pattern.finditer(line):
                if m.group(0) not in allowed:
                    found.append(f"{what} {m.group(0)!r} in: {line[:160]}")
    for img in reader.images:
        alt = " ".join(img["alt"].split())
        caption = re.sub(r"^\S+\s+\d*\.?\s*", "", img["caption"])  # "Figure 3. X" -> "X"
        if not alt:
            found.append(f"an image without alt text under {img['heading']!r}")
        elif alt in (img["heading"], caption, img["caption"]):
            found.append(f"alt text {alt!r} only repeats its heading or caption")
    return found


_STAGE_START = re.compile(r'<section class="stage-start" id="stage-([^"]+)"')


def stage_sections(html_text: str) -> dict[str, str]:
    """``{notebook stem: its part of the report}`` (``"summary"``: all before stage I)."""
    marks = list(_STAGE_START.finditer(html_text))
    out = {"summary": html_text[: marks[0].start()] if marks else html_text}
    for m, nxt in zip(marks, [*marks[1:], None], strict=True):
        out[m.group(1)] = html_text[m.start() : nxt.start() if nxt else len(html_text)]
    return out
