"""orient.report without kernels: numbers, texts, summary.json, safe paths, sanitising, HTML."""

from __future__ import annotations

import json
import os
import re
import sys
import types
from pathlib import Path

import nbformat
import pytest

import orient
from orient import report
from orient.report import pdf as report_pdf

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = ROOT / "orient" / "schemas" / "summary.schema.json"
NNBSP = "\u00a0"  # CLDR (Babel) Russian thousands separator: no-break space


# --- numbers and words -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "language", "decimals", "expected"),
    [
        # written out by hand from the English and Russian conventions
        (1234.5, "en", 1, "1,234.5"),
        (1234.5, "ru", 1, f"1{NNBSP}234,5"),
        (1234567.891, "ru", 2, f"1{NNBSP}234{NNBSP}567,89"),
        (-0.04, "en", 1, "0.0"),
        (-12.25, "ru", 1, "-12,2"),  # round half to even on the binary value 12.25
        (7, "en", 0, "7"),
        (None, "en", 1, "\u2013"),
        (float("nan"), "ru", 1, "\u2013"),
    ],
)
def test_format_number(value, language, decimals, expected):
    assert report.format_number(value, language, decimals) == expected


def test_format_number_signed_and_bad_language():
    assert report.format_number(3.14159, "en", 2, signed=True) == "+3.14"
    assert report.format_number(0.001, "en", 1, signed=True) == "0.0"
    with pytest.raises(ValueError, match="language"):
        report.format_number(1, "de")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        # Russian grammar: 1 волна, 2-4 волны, 5-20 волн, 21 волна, 22 волны, 111 волн
        (1, "волна"),
        (2, "волны"),
        (4, "волны"),
        (5, "волн"),
        (11, "волн"),
        (12, "волн"),
        (21, "волна"),
        (22, "волны"),
        (111, "волн"),
    ],
)
def test_russian_plural(n, expected):
    assert report.plural(n, ["волна", "волны", "волн"], "ru") == expected


def test_english_plural():
    assert report.plural(1, ["wave", "waves"]) == "wave"
    assert report.plural(3, ["wave", "waves"]) == "waves"


# --- summary.json ------------------------------------------------------------------


def _company(name="Acme", language="en"):
    import pandas as pd

    return types.SimpleNamespace(
        slug="acme",
        name=name,
        language=language,
        currency="EUR",
        profile=types.SimpleNamespace(period="2025"),
        survey=pd.DataFrame({"overall": [1, 2, 3], "wave": ["2024", "2025", "2025"]}),
        left_out=pd.DataFrame({"file": ["survey.csv"]}),
    )


@pytest.fixture
def fake_stages(monkeypatch):
    """Three stage modules: one with a headline, one that raises, one without analyse."""
    import numpy as np

    ok = types.ModuleType("orient.zz_ok")

    def analyse(company):
        import warnings

        from orient.errors import OrientWarning

        for _ in range(2):  # the same caution twice is recorded once
            warnings.warn("segment Small: n = 12 < 30, suppressed", OrientWarning, stacklevel=2)
        warnings.warn("a library's own warning", FutureWarning, stacklevel=2)
        return {"n": len(company.survey)}

    ok.analyse = analyse
    ok.headline = lambda result: {
        "nps": np.float64(12.3456789012345678),
        "n": np.int64(result["n"]),
        "missing": float("nan"),
        "top_priorities": [{"attribute": "speed", "label": "Speed <fast>", "quadrant": "improve"}],
    }
    bad = types.ModuleType("orient.zz_bad")
    bad.analyse = lambda company: 1 / 0
    bad.headline = lambda result: {}
    none = types.ModuleType("orient.zz_none")
    for mod in (ok, bad, none):
        monkeypatch.setitem(sys.modules, mod.__name__, mod)
    return ("zz_ok", "zz_bad", "zz_none")


def test_summary_statuses(fake_stages):
    with pytest.warns(FutureWarning, match="library's own"):  # passed on, not recorded
        summary = report.summarise(_company(), modules=fake_stages)
    stages = summary["stages"]
    assert stages["zz_ok"]["status"] == "ok"
    assert stages["zz_ok"]["headline"]["nps"] == 12.3456789012  # 12 significant digits
    assert stages["zz_ok"]["headline"]["n"] == 3
    assert stages["zz_ok"]["headline"]["missing"] is None
    assert stages["zz_ok"]["warnings"] == ["segment Small: n = 12 < 30, suppressed"]
    assert stages["zz_bad"] == {
        "status": "error",
        "headline": None,
        "error": "ZeroDivisionError: division by zero",
        "warnings": [],
    }
    assert stages["zz_none"] == {
        "status": "absent",
        "headline": None,
        "error": None,
        "warnings": [],
    }
    assert summary["base"] == {
        "respondents": 3,
        "waves": ["2024", "2025"],
        "rows_left_out": 1,
        "period": "2025",
    }


def test_summary_of_the_real_modules_marks_the_missing_ones_absent():
    summary = report.summarise(_company())
    assert set(summary["stages"]) == set(report.HEADLINE_MODULES)
    for name, entry in summary["stages"].items():
        module = __import__(f"orient.{name}", fromlist=["x"])
        has = callable(getattr(module, "analyse", None)) and callable(
            getattr(module, "headline", None)
        )
        assert (entry["status"] != "absent") == has


@pytest.mark.filterwarnings("ignore:a library's own warning")
def test_summary_validates_against_the_schema(fake_stages):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    summary = json.loads(report.summary_json(report.summarise(_company(), modules=fake_stages)))
    jsonschema.validate(summary, schema, cls=jsonschema.Draft202012Validator)
    summary["stages"]["zz_ok"]["status"] = "absent"  # absent with a headline: invalid
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(summary, schema, cls=jsonschema.Draft202012Validator)


def test_summary_of_a_sample_company_is_byte_identical_and_valid():
    jsonschema = pytest.importorskip("jsonschema")
    folder = ROOT / "data" / "companies" / "volta-motors"
    first = report.summary_json(report.summarise(orient.load_company(folder)))
    second = report.summary_json(report.summarise(orient.load_company(folder)))
    assert first == second
    jsonschema.validate(
        json.loads(first),
        json.loads(SCHEMA.read_text(encoding="utf-8")),
        cls=jsonschema.Draft202012Validator,
    )


# --- safe paths and writes ------------------------------------------------------------


@pytest.mark.parametrize(
    "slug", ["../evil", "..", ".", "/abs", "a/b", "a\\b", "", "x" * 101, ".hidden", "a\nb", "a\0b"]
)
def test_slugs_that_would_escape_are_refused(tmp_path, slug):
    with pytest.raises(ValueError, match="slug"):
        report.safe_output_dir(tmp_path / "out", slug)
    assert not (tmp_path / "evil").exists()


def test_symlinked_company_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "acme").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ValueError, match="symbolic link"):
        report.safe_output_dir(out, "acme")


def test_safe_output_dir_creates_inside(tmp_path):
    target = report.safe_output_dir(tmp_path / "out", "acme")
    assert target == (tmp_path / "out" / "acme").resolve() and target.is_dir()


def test_atomic_write_leaves_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    path = tmp_path / "summary.json"
    path.write_text("old")

    def boom(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk gone"):
        report._atomic_write(path, "new")
    assert path.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]  # no .part left


def test_atomic_write_replaces_a_symlink_not_its_target(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "report.html"
    link.symlink_to(victim)
    report._atomic_write(link, "<html></html>")
    assert victim.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text() == "<html></html>"


# --- sanitising outputs --------------------------------------------------------------------


def test_sanitize_escapes_scripts_and_drops_handlers_and_urls():
    dirty = (
        '<p onclick="x()">hi</p><script>alert(1)</script><img src="http://x/y.png" '
        'onerror="alert(2)"><a href="javascript:alert(3)">a</a>'
        "<style>@import url(http://x/a.css); #T_1 td { color: red; "
        "background: url(http://x/b.png) } body { display: none }</style>"
        '<table id="T_1"><tr><td style="color: blue; background-image: url(http://x)">1'
        "</td></tr></table>"
    )
    clean = report.sanitize_html(dirty)
    assert "<script" not in clean and "&lt;script&gt;alert(1)&lt;/script&gt;" in clean
    tags = re.findall(r"<[a-z][^>]*>", clean)  # real tags (escaped ones are only text)
    assert not [t for t in tags if re.search(r"\son\w+\s*=|javascript:|<img", t)]
    assert "<img" not in clean  # escaped, never loaded
    assert "url(" not in clean and "@import" not in clean and "display" not in clean
    assert "#T_1 td { color: red }" in clean
    assert 'style="color: blue;"' in clean


def test_pandas_styler_tables_keep_their_colours():
    import pandas as pd

    html = pd.DataFrame({"a": [1, 2]}).style.highlight_max(color="yellow").to_html()
    clean = report.sanitize_html(html)
    assert "background-color: yellow" in clean and "<table" in clean


# --- HTML rendering from executed notebooks (outputs made by hand) -------------------------


def _executed(stem_title: str, outputs: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("company_dir = 'x'")
    params.metadata["tags"] = ["parameters"]
    code = nbformat.v4.new_code_cell("...")
    code.outputs = outputs
    nb.cells = [
        nbformat.v4.new_markdown_cell(f"# {stem_title}\n\nIntro."),
        params,
        nbformat.v4.new_markdown_cell("## Section <b>one</b>"),
        code,
    ]
    return nb


PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5E"
    "rkJggg=="
)


def _render(name="Acme <script>alert(1)</script>", language="en"):
    out = [
        nbformat.v4.new_output("stream", name="stdout", text="a stray print\n"),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n"),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        nbformat.v4.new_output(
            "execute_result", data={"text/plain": "<object at 0x7f>"}, execution_count=1
        ),
        nbformat.v4.new_output(
            "display_data",
            data={
                "text/html": "<table><tr><th>a</th></tr><tr><td>&lt;x&gt;</td></tr></table>",
                "text/plain": "table",
            },
        ),
        nbformat.v4.new_output(
            "display_data", data={"text/markdown": "Hello **<script>x</script>**"}
        ),
    ]
    company = _company(name=name, language=language)
    summary = report.summarise(company, modules=())
    summary["stages"] = {
        "satisfaction": {
            "status": "ok",
            "error": None,
            "headline": {
                "nps": 23.4,
                "nps_ci_low": 15.0,
                "nps_ci_high": 31.2,
                "satisfaction_index": 71.25,
                "satisfaction_index_ci_low": 69.0,
                "satisfaction_index_ci_high": 73.5,
            },
        },
        "priorities": {
            "status": "ok",
            "error": None,
            "headline": {
                "top_priority_label": "Delivery <on time>",
                "top_driver_label": "Price",
                "top_driver_share": 0.314,
                "improve": ["on_time", "tracking"],
            },
        },
        "service": {
            "status": "ok",
            "error": None,
            "headline": {
                "risk": "calls abandoned",
                "risk_value": 12.5,
                "risk_unit": "%",
                "risk_severity": 2,
            },
        },
        "quality": {
            "status": "ok",
            "error": None,
            "headline": {
                "risk": "defects <high>",
                "risk_value": 3.25,
                "risk_unit": "%",
                "risk_severity": 3,
            },
        },
        "crm": {"status": "error", "headline": None, "error": "DataError: deals.csv <bad>"},
    }
    nbs = [
        ("01_strategy", "strategy", _executed("Strategy", out)),
        ("02_satisfaction", "satisfaction", _executed("Satisfaction", out)),
    ]
    return report.render_html(company, summary, nbs, date="2026-01-31")


def test_html_is_self_contained_and_shows_no_code_or_stray_outputs():
    html = _render()
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert "mathjax" not in html.lower() and "require.js" not in html and "mermaid" not in html
    assert "a stray print" not in html and "UserWarning" not in html
    assert "object at 0x" not in html and "&lt;Figure&gt;" not in html
    assert "company_dir" not in html  # no code, not even the parameters
    assert "Content-Security-Policy" in html


def test_html_structure_summary_first_contents_numbers():
    html = _render()
    summary_at = html.index('id="executive-summary"')
    contents_at = html.index('id="contents"')
    stage_at = html.index('class="stage-title"')
    assert summary_at < contents_at < stage_at
    assert re.findall(r'<span class="fignum">(\d+)</span>', html) == ["1", "2"]
    # both notebooks show the same table: numbered once, then referred to
    assert re.findall(r'<span class="tabnum">(\d+)</span>', html) == ["1"]
    assert "The same as table 1 above." in html
    toc = html[contents_at:stage_at]
    assert "I. Strategy" in toc and "II. Satisfaction measurement" in toc and "Section" in toc
    assert "Customer satisfaction stands at <strong>71.2</strong>" in html  # 71.25 -> 71.2
    assert "<strong>23</strong>" in html  # NPS with no decimals
    assert "First priority: <strong>Delivery &lt;on time&gt;</strong>" in html
    assert "(31% of the explained satisfaction). To improve: on time, tracking." in html
    # the risk sentence carries its own numbers: its raw value is not appended
    assert "biggest operational risk: <strong>defects &lt;high&gt;</strong>." in html
    assert "(3.2 %)" not in html
    assert "deals.csv &lt;bad&gt;" in html
    assert "2026-01-31" in html
    assert re.search(r"<td>Net Promoter Score</td><td class=\"num\">23</td>", html)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", html, re.DOTALL)
    assert captions and all(c.endswith(". Section one") for c in captions)  # markup dropped


def test_company_name_is_text_not_markup():
    html = _render(name="<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_russian_report_texts_and_numbers():
    html = _render(language="ru")
    assert '<html lang="ru">' in html
    assert "Основные выводы" in html and "Содержание" in html and "Рисунок" in html
    assert "<strong>71,2</strong>" in html and "3 респондента" in html


def test_pdf_is_a4_with_page_numbers():
    weasyprint = pytest.importorskip("weasyprint")
    html = _render()
    pdf = report.html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    pages = weasyprint.HTML(string=html).render().pages
    assert len(pages) >= 2  # the title page, then each stage starts a page
    for page in pages:  # A4 is 210 x 297 mm; WeasyPrint measures in CSS px (96 per inch)
        assert page.width == pytest.approx(210 / 25.4 * 96, abs=0.5)
        assert page.height == pytest.approx(297 / 25.4 * 96, abs=0.5)
    css = (ROOT / "orient" / "templates" / "report" / "report.css").read_text()
    assert 'counter(page) " / " counter(pages)' in css
    assert re.search(r"figure \{[^}]*break-inside: avoid", css)


@pytest.mark.parametrize("n_columns", [12, 30])
def test_wide_tables_fit_the_pdf_page(n_columns):
    pytest.importorskip("weasyprint")
    import numpy as np
    import pandas as pd

    wide = pd.DataFrame(
        np.arange(4 * n_columns).reshape(4, n_columns) * 12345.678,
        columns=[f"long column name {i}" for i in range(n_columns)],
    )
    out = [nbformat.v4.new_output("display_data", data={"text/html": wide.to_html()})]
    company = _company()
    html = report.render_html(
        company,
        report.summarise(company, modules=()),
        [("01_strategy", "strategy", _executed("S", out))],
    )
    import weasyprint

    assert report._overflowing_tables(weasyprint.HTML(string=html).render())  # too wide as is
    document = report.fit_document(html)
    assert report._overflowing_tables(document) == {}
    if n_columns == 30:  # the widest get a landscape page
        assert any(p.width > p.height for p in document.pages)
    sizes = [
        box.style["font_size"]
        for page in document.pages
        for box in _text_boxes(page._page_box)
        if "long column" in box.text or re.fullmatch(r"[\d,.]+", box.text.strip() or "x")
    ]
    assert sizes and min(sizes) >= 7 / 72 * 96 - 1e-6  # no printed table text under 7 pt


def test_wide_tables_are_measured_apart_and_the_report_laid_out_once(monkeypatch):
    pytest.importorskip("weasyprint")
    import numpy as np
    import pandas as pd

    wide = pd.DataFrame(
        np.arange(4 * 14).reshape(4, 14) * 12345.678,
        columns=[f"long column name {i}" for i in range(14)],
    )
    narrow = pd.DataFrame({"attribute": ["On-time delivery", "Tracking"], "score": [71.2, 64.0]})
    out = [
        nbformat.v4.new_output("display_data", data={"text/html": frame.to_html()})
        for frame in (narrow, wide)
    ]
    company = _company()
    html = report.render_html(
        company,
        report.summarise(company, modules=()),
        [("01_strategy", "strategy", _executed("S", out))],
    )
    ids = re.findall(r'<figure class="table" data-table="(\d+)"', html)
    assert report._maybe_wide_tables(html) == ids[1:]  # the narrow table cannot overflow
    laid_out: list[int] = []
    render = report_pdf._render
    monkeypatch.setattr(report_pdf, "_render", lambda h: laid_out.append(len(h)) or render(h))
    document = report.fit_document(html)
    assert report._overflowing_tables(document) == {}
    full = [n for n in laid_out if n >= len(html)]
    # the probes of the wide table (portrait, then its landscape page), then the report once
    assert len(full) == 1 and len(laid_out) <= 3
    text = re.sub(
        r"\s+",
        " ",
        " ".join(box.text for page in document.pages for box in _text_boxes(page._page_box)),
    )
    assert "long column name 13" in text  # the last column is printed, not cut off


def _text_boxes(box):
    if type(box).__name__ == "TextBox":
        yield box
    for child in getattr(box, "children", None) or []:
        yield from _text_boxes(child)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Russian grammar: fractions take the genitive singular; whole numbers the usual forms
        (1.6, "пункта"),
        (9.0, "пунктов"),
        (21, "пункт"),
        (3, "пункта"),
        (-2.5, "пункта"),
    ],
)
def test_russian_word_for_a_number(value, expected):
    assert report._plural_word(value, "пункт", "пункта", "пунктов", language="ru") == expected


def test_findings_use_labels_and_stop_at_seven():
    summary = {
        "stages": {
            "satisfaction": {
                "headline": {
                    "satisfaction_index": 70.0,
                    "nps": 10.0,
                    "best_segment": "A",
                    "worst_segment": "B",
                }
            },
            "priorities": {
                "headline": {
                    "top_priority_label": "Speed",
                    "improve": ["on_time", "x_y"],
                    "largest_shortfall": "on_time",
                    "largest_shortfall_gap": -3.0,
                }
            },
            "implementation": {"headline": {"top_action": "on_time"}},
            "strategy": {"headline": {"target_segments": ["A"]}},
            "crm": {"headline": {"risk": "overdue invoices", "risk_value": 3.0, "risk_unit": "%"}},
        }
    }
    found = report._findings(summary, "en", {"on_time": "On-time delivery"})
    assert len(found) == report.MAX_FINDINGS == 7
    text = " ".join(found)
    assert "To improve: On-time delivery, x y." in text
    assert "Act first on <strong>On-time delivery</strong>." in text
    assert "largest shortfall" not in text  # the last optional finding gave way
    # every risk sentence states its own numbers: the raw risk_value is not appended
    assert "The biggest operational risk: <strong>overdue invoices</strong>." in text
    assert "(3 %)" not in text


def test_russian_findings_keep_the_no_break_space_in_numbers():
    # CLDR's Russian: 1 234,5 with a no-break space (U+00A0) between thousands
    summary = {
        "stages": {
            "satisfaction": {
                "headline": {
                    "satisfaction_index": 1234.5,
                    "satisfaction_index_ci": [1200.0, 1300.0],
                    "nps": 10.0,
                    "nps_ci": [5.0, 15.0],
                }
            }
        }
    }
    found = " ".join(report._findings(summary, "ru"))
    assert "1\u00a0234,5" in found


def test_svg_figures_are_embedded_as_inert_images_with_captions_without_numbering():
    import base64

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">'
        "<script>alert(1)</script><text>Ж</text></svg>"
    )
    nb = _executed(
        "Strategy",
        [
            nbformat.v4.new_output(
                "display_data", data={"image/svg+xml": svg, "text/plain": "<Figure>"}
            )
        ],
    )
    nb.cells[2].source = "## 2. Which segments to serve"
    company = _company()
    html = report.render_html(
        company, report.summarise(company, modules=()), [("01_strategy", "strategy", nb)]
    )
    m = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)">', html)
    assert m, "the SVG figure is shown through an <img>, where its script cannot run"
    assert base64.b64decode(m.group(1)).decode("utf-8") == svg  # byte for byte
    assert m.group(2) == "Which segments to serve"
    assert "<script" not in html.lower()
    assert "</span>. Which segments to serve</figcaption>" in html


def test_a_table_repeated_in_a_later_notebook_is_shown_once_and_referred_to():
    table = "<table><tr><th>item</th></tr><tr><td>Respondents used</td></tr></table>"
    other = "<table><tr><th>item</th></tr><tr><td>Something else</td></tr></table>"

    def out(html):
        return nbformat.v4.new_output("display_data", data={"text/html": html})

    company = _company()
    html = report.render_html(
        company,
        report.summarise(company, modules=()),
        [
            ("01_strategy", "strategy", _executed("S", [out(table), out(other)])),
            ("02_satisfaction", "satisfaction", _executed("T", [out(table)])),
        ],
    )
    assert html.count("Respondents used") == 1
    assert re.findall(r'<span class="tabnum">(\d+)</span>', html) == ["1", "2"]
    assert "The same as table 1 above." in html


def test_stage_cautions_from_summary_json_show_in_the_executive_summary():
    company = _company()
    summary = report.summarise(company, modules=())
    summary["stages"] = {
        "satisfaction": {
            "status": "ok",
            "error": None,
            "headline": {},
            "warnings": ["segment <Small>: n = 12 < 30"],
        }
    }
    html = report.render_html(company, summary, [])
    notes = html[html.index('class="stage-notes"') : html.index('id="contents"')]
    assert "II. Satisfaction measurement: Caution: segment &lt;Small&gt;: n = 12 &lt; 30" in notes


def test_a_caution_raised_by_several_stages_is_listed_once_naming_them_in_order():
    company = _company()
    summary = report.summarise(company, modules=())
    same = "Driver analysis of 'overall' on 12 drivers uses only 60 respondents"

    def entry(*warnings):
        return {"status": "ok", "error": None, "headline": {}, "warnings": list(warnings)}

    summary["stages"] = {  # in the order a summary.json may hold them
        "implementation": entry(same),
        "priorities": entry(same),
        "strategy": entry(same, "segment(s) Gold have fewer than 30 respondents"),
    }
    html = report.render_html(company, summary, [])
    notes = html[html.index('class="stage-notes"') : html.index('id="contents"')]
    assert notes.count("uses only 60 respondents") == 1
    assert (
        "I. Strategy, III. Analysis and priorities, IV. Implementation: Caution: Driver "
        "analysis of &#39;overall&#39; on 12 drivers uses only 60 respondents"
    ) in notes
    assert "I. Strategy: Caution: segment(s) Gold have fewer than 30 respondents" in notes


def test_summary_of_strategy_and_implementation_starts_from_stage_three_as_the_notebooks_do():
    # the executive summary must agree with the stage pages: notebooks 01 and 04 pass
    # priorities.analyse(company, n_boot=0) to these stages (the fallback matrix gave
    # other conflicts, actions and top characteristics)
    from pathlib import Path

    import orient
    from orient import implementation, priorities, strategy

    company = orient.load_company(
        Path(__file__).resolve().parents[1] / "data" / "companies" / "swiftpost"
    )
    stages = report.summarise(company, modules=("strategy", "implementation"))["stages"]
    stage3 = priorities.analyse(company, n_boot=0)
    as_notebook_01 = strategy.headline(strategy.analyse(company, priorities=stage3))
    as_notebook_04 = implementation.headline(
        implementation.analyse(company, stage3, n_boot=0, seed=0)
    )
    assert stages["strategy"]["headline"] == report._json_safe(as_notebook_01)
    assert stages["implementation"]["headline"] == report._json_safe(as_notebook_04)
    fallback = implementation.headline(implementation.analyse(company))
    assert report._json_safe(fallback) != stages["implementation"]["headline"]
