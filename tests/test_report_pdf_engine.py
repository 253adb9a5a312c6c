"""report.pdf printed by headless Chromium when there is one, else by WeasyPrint: A4 pages,
a landscape page for a table too wide, the footer's company name in the page rules."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import nbformat  # noqa: E402
from test_report import _company, _executed  # noqa: E402

from orient import report  # noqa: E402
from orient.report import pdf as report_pdf  # noqa: E402

A4 = (595, 842)  # points, rounded


def _html(n_columns: int = 30) -> str:
    wide = pd.DataFrame(
        np.arange(4 * n_columns).reshape(4, n_columns) * 12345.678,
        columns=[f"long column name {i}" for i in range(n_columns)],
    )
    out = [nbformat.v4.new_output("display_data", data={"text/html": wide.to_html()})]
    company = _company()
    return report.render_html(
        company,
        report.summarise(company, modules=()),
        [("01_strategy", "strategy", _executed("S", out))],
    )


def _pages(pdf: bytes) -> list[tuple[int, int]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(round(float(w)), round(float(h))) for w, h in boxes]


def test_the_footer_names_the_company_in_a_css_string():
    assert report_pdf._css_string('Smith "&" Sons \\ Ltd') == '"Smith \\22 &\\22  Sons \\5c  Ltd"'
    html = '<head></head><h1 class="company">Smith &amp; Sons\n "Ltd"</h1>'
    rules = report_pdf._footer_rules(html)
    assert '@bottom-left { content: "Smith & Sons \\22 Ltd\\22 "; }' in rules
    assert "@page :first { @bottom-left { content: none; } }" in rules
    fitted = report_pdf._fitted_html(html)
    assert fitted.index(rules) < fitted.index("</head>")


def test_no_browser_prints_with_weasyprint(monkeypatch):
    pytest.importorskip("weasyprint")
    monkeypatch.setattr(report_pdf, "chromium_path", lambda: None)
    pdf = report.html_to_pdf(_html(3))
    assert pdf.startswith(b"%PDF") and b"Skia/PDF" not in pdf  # Chromium's mark
    with pytest.raises(RuntimeError, match="no Chromium"):
        report.html_to_pdf(_html(3), engine="chromium")
    with pytest.raises(ValueError, match="engine"):
        report.html_to_pdf(_html(3), engine="latex")


def test_orient_chromium_names_the_browser(monkeypatch, tmp_path):
    pytest.importorskip("playwright")
    monkeypatch.setenv("ORIENT_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert report_pdf.chromium_path() is None
    browser = tmp_path / "my-chromium"
    browser.write_text("")
    monkeypatch.setenv("ORIENT_CHROMIUM", str(browser))
    assert report_pdf.chromium_path() == str(browser)


@pytest.mark.slow
def test_chromium_prints_the_pages_weasyprint_lays_out():
    pytest.importorskip("weasyprint")
    if report_pdf.chromium_path() is None:
        pytest.skip("no Chromium")
    html = _html(30)
    pdf = report.html_to_pdf(html, engine="chromium")
    assert pdf.startswith(b"%PDF") and b"Skia/PDF" in pdf
    pages = _pages(pdf)
    document = report.fit_document(html)  # the other engine, the same fitting rules
    # one landscape page for the wide table, where WeasyPrint puts it; Chromium starts a
    # portrait page again for what follows it (the colophon), WeasyPrint keeps it there
    assert pages.count(A4[::-1]) == 1 and pages.count(A4) == len(pages) - 1
    turned = [p.width > p.height for p in document.pages]
    assert [w > h for w, h in pages][: len(turned)] == turned
    weasy = report.html_to_pdf(html, engine="weasyprint")
    assert b"Skia/PDF" not in weasy
