"""report.pdf: the report HTML printed on A4 pages (page numbers and the company's name
in the footer, figures kept whole), wide tables fitted to the page.

Printed by headless Chromium (through Playwright) when it is there, else by WeasyPrint:
the same page breaks, a quarter of the processor time (swiftpost: 2.4 s against 10 s,
``benchmarks/report.py``). The wide tables are measured with WeasyPrint either way, in
a small document of their own. ``ORIENT_PDF_ENGINE`` (``chromium`` or ``weasyprint``)
chooses one; ``ORIENT_CHROMIUM`` names the browser to use.
"""

from __future__ import annotations

import html as _html
import logging
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from functools import lru_cache

__all__ = ["chromium_path", "fit_document", "html_to_pdf"]

log = logging.getLogger("orient")

#: Chromium draws CSS page-margin boxes (the footer) from version 131 on
MIN_CHROMIUM = 131
_BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def html_to_pdf(html_text: str, *, engine: str | None = None) -> bytes:
    """Print the report HTML to an A4 PDF.

    A table wider than the page gets a landscape page of its own and, if it still
    does not fit, a smaller font in proportion, never below 7 pt (a table wider than
    that wraps its cells). The tables that might be too wide are measured first in a
    small document of their own, so the report itself is laid out once.

    ``engine``: ``"chromium"`` (an error when no Chromium of at least
    :data:`MIN_CHROMIUM` can print), ``"weasyprint"``, or None: ``ORIENT_PDF_ENGINE``,
    else Chromium when :func:`chromium_path` finds one, else WeasyPrint.
    """
    engine = engine or os.environ.get("ORIENT_PDF_ENGINE") or "auto"
    if engine not in ("auto", "chromium", "weasyprint"):
        raise ValueError(f"`engine` must be chromium or weasyprint; got {engine!r}.")
    browser = chromium_path() if engine != "weasyprint" else None
    if browser is not None:
        try:
            return print_chromium(_fitted_html(html_text), browser)
        except Exception as exc:  # no Playwright, an old or broken browser
            if engine == "chromium":
                raise
            log.warning("Chromium could not print the report (%s); printing with WeasyPrint", exc)
    elif engine == "chromium":
        raise RuntimeError("no Chromium found (install chromium, or set ORIENT_CHROMIUM)")
    return fit_document(html_text).write_pdf()


def chromium_path() -> str | None:
    """The Chromium that prints the PDF: ``ORIENT_CHROMIUM``, else the first of chromium,
    chromium-browser, google-chrome on the PATH; None when there is none or Playwright
    (which drives it) is not installed."""
    import importlib.util

    if importlib.util.find_spec("playwright") is None:
        return None
    given = os.environ.get("ORIENT_CHROMIUM")
    if given:
        return given if os.path.isfile(given) else shutil.which(given)
    for name in _BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_chromium(html_text: str, executable: str, *, timeout_s: float = 300) -> bytes:
    """``html_text`` printed by headless Chromium: CSS page sizes, backgrounds, no script.

    The page runs no JavaScript and may fetch nothing (the report is one self-contained
    file). Chromium's sandbox is off only when running as root, where it cannot start.
    """
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=args)
        try:
            major = int(browser.version.split(".")[0])
            if major < MIN_CHROMIUM:
                raise RuntimeError(
                    f"Chromium {browser.version} draws no page footers (needs {MIN_CHROMIUM}+)"
                )
            context = browser.new_context(java_script_enabled=False, offline=True)
            page = context.new_page()
            page.route("**/*", lambda route: route.abort())
            page.set_content(html_text, wait_until="load", timeout=timeout_s * 1000)
            return page.pdf(prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()


_COMPANY = re.compile(r'<h1 class="company">(.*?)</h1\s*>', re.IGNORECASE | re.DOTALL)


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes and line ends escaped)."""
    out = []
    for ch in text:
        if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _footer_rules(html_text: str) -> str:
    """The footer's company name written into the page rules: Chromium has no
    ``string-set``, which report.css uses for it."""
    m = _COMPANY.search(html_text)
    if m is None:
        return ""
    name = " ".join(_html.unescape(_TAG.sub("", m.group(1))).split())
    return (
        f"@page {{ @bottom-left {{ content: {_css_string(name)}; }} }}\n"
        "@page :first { @bottom-left { content: none; } }"
    )


def _fitted_html(html_text: str) -> str:
    """The report with the wide tables' rules (measured with WeasyPrint in a small
    document) and the footer's company name, for Chromium to print."""
    scales, landscape, wrapped = _fit_tables(html_text)
    fitted = _with_fit_rules(html_text, scales, landscape, wrapped)
    footer = _footer_rules(html_text)
    if not footer:
        return fitted
    return fitted.replace("</head>", f"<style>\n{footer}\n</style>\n</head>", 1)


_LANDSCAPE_GAIN = (297 - 32) / (210 - 32)  # A4 text width, landscape over portrait (mm)
_TEXT_WIDTH_PT = (210 - 32) * 72 / 25.4  # A4 portrait text width (report.css @page margins)
# Print font size of tables in report.css: .78rem of 9.5pt; .wide .76rem; .very-wide .74rem.
_TABLE_EM_PT = {"": 0.78 * 9.5, "wide": 0.76 * 9.5, "very-wide": 0.74 * 9.5}
#: the smallest printed table text (pt)
MIN_TABLE_PT = 7.0
_WRAP_CLASS = re.compile(r'<div class="table-wrap ?([a-z-]*)"')
_FIGURE = re.compile(
    r'<figure\b[^>]*\bdata-table="([^"]+)"[^>]*>.*?</figure\s*>', re.IGNORECASE | re.DOTALL
)
_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t([hd])\b([^>]*)>(.*?)</t\1\s*>", re.IGNORECASE | re.DOTALL)
_SPAN = re.compile(r'\b(colspan|rowspan)="?(\d+)', re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _fit_tables(html_text: str) -> tuple[dict[str, float], set[str], set[str]]:
    """Font scales, landscape pages and wrapped cells of the tables too wide for the
    page, measured with WeasyPrint in a small document of those tables alone."""
    scales: dict[str, float] = {}
    landscape: set[str] = set()
    idents = _maybe_wide_tables(html_text)
    floors = _scale_floors(html_text)
    wrapped: set[str] = set()
    for _ in range(3):  # measure the candidates in a small document of their own
        probe = _table_probe(html_text, idents)
        if probe is None:
            break
        overflow = _overflowing_tables(_render(_with_fit_rules(probe, scales, landscape, wrapped)))
        turned = len(landscape)
        _refit(overflow, scales, landscape, floors, wrapped)
        # a smaller font shrinks a table in proportion; a landscape page is only estimated
        idents = [i for i in overflow if i in landscape] if len(landscape) > turned else []
    return scales, landscape, wrapped


def fit_document(html_text: str):
    """The WeasyPrint document of :func:`html_to_pdf`, with wide tables fitted."""
    scales, landscape, wrapped = _fit_tables(html_text)
    floors = _scale_floors(html_text)
    document = _render(_with_fit_rules(html_text, scales, landscape, wrapped))
    for _ in range(2):  # a safety net: the probe should have left nothing to fit
        overflow = _overflowing_tables(document)
        if not overflow:
            break
        _refit(overflow, scales, landscape, floors, wrapped)
        document = _render(_with_fit_rules(html_text, scales, landscape, wrapped))
    return document


def _render(html_text: str):
    import weasyprint

    return weasyprint.HTML(string=html_text, base_url=None).render()


def _scale_floors(html_text: str) -> dict[str, float]:
    """``{data-table id: the smallest font scale that keeps its text at 7 pt}``."""
    floors = {}
    for figure in _FIGURE.finditer(html_text):
        wrap = _WRAP_CLASS.search(figure.group(0))
        em = _TABLE_EM_PT.get(wrap.group(1) if wrap else "", _TABLE_EM_PT[""])
        floors[figure.group(1)] = min(1.0, MIN_TABLE_PT / em)
    return floors


def _refit(
    overflow: Mapping[str, float],
    scales: dict[str, float],
    landscape: set[str],
    floors: Mapping[str, float],
    wrapped: set[str],
) -> None:
    """Turn (then shrink) the tables in *overflow*, ``{id: available / table width}``."""
    for ident, ratio in overflow.items():
        if ident not in landscape:
            landscape.add(ident)
            ratio *= _LANDSCAPE_GAIN  # estimate: the landscape page is this much wider
        floor = floors.get(ident, 1.0)
        wanted = scales.get(ident, 1.0) * ratio * 0.92
        if wanted < floor:  # smaller than 7 pt would be needed: wrap the cells instead
            wrapped.add(ident)
        scales[ident] = max(floor, min(1.0, wanted))


def _with_fit_rules(
    html_text: str,
    scales: Mapping[str, float],
    landscape: set[str],
    wrapped: set[str] = frozenset(),
) -> str:
    rules = [f'figure[data-table="{i}"] {{ page: landscape; }}' for i in sorted(landscape)]
    rules += [
        f'figure[data-table="{i}"] :is(td, th) {{ overflow-wrap: anywhere; }}'
        for i in sorted(wrapped)
    ]
    rules += [
        f'.table-wrap[data-table="{i}"] table {{ font-size: {s * 100:.1f}%; }}'
        for i, s in sorted(scales.items())
    ]
    if not rules:
        return html_text
    css = "\n".join(rules)
    return html_text.replace("</head>", f"<style>@media print {{\n{css}\n}}</style>\n</head>", 1)


@lru_cache(maxsize=1)
def _glyph_widths() -> dict[str, float]:
    """Advance widths, in em, of DejaVu Sans Bold (wider than the regular face); {} if absent."""
    import shutil
    import subprocess

    try:
        from fontTools.ttLib import TTFont

        fc_match = shutil.which("fc-match")
        path = subprocess.run(
            [fc_match, "DejaVu Sans:bold", "--format=%{file}"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
        font = TTFont(path, lazy=True)
        metrics, per_em = font["hmtx"].metrics, font["head"].unitsPerEm
        return {chr(cp): metrics[glyph][0] / per_em for cp, glyph in font.getBestCmap().items()}
    except Exception:  # no fontconfig or font: every character counts as 1.2 em
        return {}


def _maybe_wide_tables(html_text: str) -> list[str]:
    """Ids of the tables that might not fit the page width, judged from their text.

    A table needs at least the sum, over its columns, of the widest unbreakable word
    in each. That is counted here generously (bold glyph widths plus 5%, a cell's
    padding plus .3 em), so a table left out cannot be too
    wide; only the others are measured. Misjudging costs time, never the fit: the
    final layout is checked too.
    """
    import html as _html

    glyphs = _glyph_widths()
    found = []
    for figure in _FIGURE.finditer(html_text):
        wrap = _WRAP_CLASS.search(figure.group(0))
        em = _TABLE_EM_PT.get(wrap.group(1) if wrap else "", _TABLE_EM_PT[""])
        limit = _TEXT_WIDTH_PT / em  # the text width, in ems of the table font
        columns: dict[int, float] = {}
        spanning = 0.0
        taken: set[tuple[int, int]] = set()  # (row, column) filled by an earlier rowspan
        for r, row in enumerate(_ROW.findall(figure.group(0))):
            c = 0
            for _kind, attrs, content in _CELL.findall(row):
                while (r, c) in taken:
                    c += 1
                spans = {k.lower(): int(v) for k, v in _SPAN.findall(attrs)}
                colspan, rowspan = max(1, spans.get("colspan", 1)), max(1, spans.get("rowspan", 1))
                words = _html.unescape(_TAG.sub(" ", content)).split()
                width = 1.0 + 1.05 * max(
                    (sum(glyphs.get(ch, 1.2) for ch in w) for w in words), default=0.0
                )
                if colspan > 1:
                    spanning += width
                else:
                    columns[c] = max(columns.get(c, 0.0), width)
                taken.update((r + dr, c + dc) for dr in range(1, rowspan) for dc in range(colspan))
                c += colspan
        if sum(columns.values()) + spanning > limit:
            found.append(figure.group(1))
    return found


def _table_probe(html_text: str, idents: Sequence[str]) -> str | None:
    """The report's head and only the figures of tables *idents*, to measure them."""
    wanted = set(idents)
    figures = [m.group(0) for m in _FIGURE.finditer(html_text) if m.group(1) in wanted]
    head = re.search(r"^.*?</head\s*>", html_text, re.IGNORECASE | re.DOTALL)
    if not figures or head is None:
        return None
    return f'{head.group(0)}\n<body>\n<main class="report">\n{"".join(figures)}\n</main>\n</body>\n</html>'


def _overflowing_tables(document) -> dict[str, float]:
    """``{data-table id: available width / table width}`` for tables wider than the page."""
    found: dict[str, float] = {}
    for page in document.pages:
        root = page._page_box
        limit = root.position_x + root.margin_left + root.padding_left + root.width
        stack = [(root, None)]
        while stack:
            box, ident = stack.pop()
            element = getattr(box, "element", None)
            if element is not None and getattr(box, "element_tag", None) in ("div", "figure"):
                ident = element.get("data-table", ident)
            if ident is not None and type(box).__name__ == "TableBox":
                right = box.position_x + box.margin_width()
                if right > limit + 0.5:
                    available = limit - box.position_x
                    found[ident] = min(found.get(ident, 1.0), available / box.margin_width())
                continue
            stack.extend((child, ident) for child in getattr(box, "children", None) or [])
    return found
