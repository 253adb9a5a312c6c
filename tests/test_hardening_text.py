"""Text is text: labels and names from data are shown as written, never read as markup.

Hostile strings go through the attribute labels, a segment name, the company's and the
competitor's names of a sample company into one full report per language; the report
must show each string as visible text, run no script, link to no outside site and keep
every figure. Figures draw data text literally (no mathtext).
"""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from _visible import read, visible_text

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "companies" / "swiftpost"

#: the hostile strings, one per attribute label (in the order of company.yaml)
HOSTILE = [
    "Fees ($) and discount (%) ($)",
    "Price ($) vs value ($)",
    "$x$ costs",
    "[click](http://evil.example) here",
    "<script>alert(1)</script> script",
    "<img src=x onerror=alert(1)> image",
    "**bold** and _under_ text",
    "|pipe| in a | table",
    r"back\slash \n and \\ two",
    "{{ jinja }} and {% if x %}tags{% endif %}",
    "{placeholder} and {0} braces",
    "Very long " + "attribute label text " * 12 + "end",
]
COMPANY = (
    "Acme <b>&amp;</b> $Sons$ [co](https://evil.example/x) \u05e9\u05dc\u05d5\u05dd \U0001f680"
)
COMPETITOR = "Rival *star* `code` \u0645\u0631\u062d\u0628\u0627 \U0001f525"
CATEGORY = "Late <u>parcel</u> ~~struck~~ # not a heading \u200f\u05d0"
SEGMENT = "Biz <i>$1$</i> [s](http://evil.example) \u05e2\u05d1\u05e8\u05d9\u05ea"


def hostile_company(dest: Path) -> Path:
    """The swiftpost sample with hostile labels, names, a segment and a claim category."""
    shutil.copytree(SAMPLE, dest)
    profile = yaml.safe_load((dest / "company.yaml").read_text(encoding="utf-8"))
    profile["name"] = COMPANY
    profile["competitor"] = COMPETITOR
    for attr, label in zip(profile["survey"]["attributes"].values(), HOSTILE, strict=False):
        attr["label"] = label
    segments = profile.get("segments") or {}
    if "Business" in segments:
        segments[SEGMENT] = segments.pop("Business")
    (dest / "company.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    survey = dest / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines(keepends=True)
    head = lines[0].split(",")
    col = head.index("segment")
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.rstrip("\n").split(",")
        if cells[col] == "Business":
            cells[col] = '"' + SEGMENT.replace('"', '""') + '"'
        out.append(",".join(cells) + "\n")
    survey.write_text("".join(out), encoding="utf-8")
    claims = dest / "claims.csv"
    claims.write_text(
        claims.read_text(encoding="utf-8").replace(",Late delivery,", f",{CATEGORY},"),
        encoding="utf-8",
    )
    return dest


ALL = [*HOSTILE, COMPANY, COMPETITOR, SEGMENT, CATEGORY]


def _squash(text: str) -> str:
    return " ".join(text.split())


# --- Markdown and HTML: values shown as written ------------------------------------


@pytest.mark.parametrize("text", ALL)
def test_an_escaped_value_renders_as_the_text_itself(text):
    from nbconvert.filters.markdown import markdown2html

    from orient.i18n import escape_markdown
    from orient.report import sanitize_html

    out = sanitize_html(markdown2html(escape_markdown(text)))
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", out)}
    assert tags <= {"p"}, out  # no link, emphasis, code, table, script or image
    assert _squash(visible_text(out)) == _squash(text)


def test_a_sentence_escapes_its_values_and_keeps_its_own_markdown():
    from nbconvert.filters.markdown import markdown2html

    from orient.i18n import markdown, sentence

    by = "[x](http://evil.example) *y* $z$ <b>w</b>"
    s = sentence("notebook.win_rate_by", "en", by=by)
    assert s == f"**Win rate by {by}**"  # plain text (JSON, tables): as the template says
    out = markdown2html(markdown(s))
    strong = re.findall(r"<strong>(.*?)</strong>", out, flags=re.DOTALL)
    assert len(strong) == 1 and "<a" not in out and "<em>" not in out and "<b>" not in out
    assert visible_text(strong[0]) == f"Win rate by {by}"


def test_sentences_survive_copies_with_their_markdown():
    import copy
    import pickle

    from orient.i18n import markdown, sentence

    s = sentence("notebook.win_rate_by", "en", by="*a*")
    for other in (copy.deepcopy(s), pickle.loads(pickle.dumps(s))):
        assert other == s and markdown(other) == markdown(s) == r"**Win rate by \*a\***"


def test_bullets_of_plain_text_escape_it_whole():
    from orient.i18n import bullets

    assert bullets(["a *b*", "[c](http://d)"]) == "- a \\*b\\*\n" + r"- \[c\]\(http\:\/\/d\)"


def test_the_sanitiser_drops_links_out_of_the_report_and_keeps_its_own():
    from orient.report import sanitize_html

    out = sanitize_html(
        '<a href="https://evil.example/x">a</a> <a href="mailto:x@evil.example">b</a> '
        '<a href="//evil.example">c</a> <a href="#sec-2">d</a>'
    )
    assert re.findall(r'href="([^"]*)"', out) == ["#sec-2"]
    assert visible_text(out).split() == ["a", "b", "c", "d"]


def test_a_table_escapes_its_cells():
    from orient.present.tables import Table

    html_text = Table(pd.DataFrame({"Attribute": ALL, "n": range(len(ALL))})).to_html()
    assert "<script" not in html_text and "<img" not in html_text and "<b>" not in html_text
    cells = [_squash(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html_text, re.DOTALL)]
    shown = {_squash(visible_text(c)) for c in cells}
    assert {_squash(t) for t in ALL} <= shown


# --- figures: data text drawn as written ------------------------------------------


def test_a_figure_with_dollar_labels_draws_them_literally(monkeypatch):
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.text import Text

    from orient.present import plots

    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **kw: shown.append((obj, kw)))
    labels = dict(zip("abc", HOSTILE[:3], strict=True))
    drivers = pd.DataFrame({"share": [0.5, 0.3, 0.2]}, index=list("abc"))
    with matplotlib.rc_context({"text.parse_math": True, "svg.fonttype": "none"}):
        fig, ax = plt.subplots()
        plots.importance_plot(drivers, labels=labels, ax=ax)
        plots.show(fig)  # mathtext would raise here: "Expected end of text, found '$'"
        assert len(shown) == 1 and len(shown[0][0].data) > 1000
        drawn = [t.get_text() for t in ax.get_yticklabels()]
        assert sorted(drawn) == sorted(labels.values())
        assert not any(t.get_parse_math() for t in fig.findobj(Text))
        buf = io.StringIO()
        fig.savefig(buf, format="svg")
    svg_texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", buf.getvalue())]
    for label in labels.values():
        assert label in svg_texts


@pytest.mark.slow
@pytest.mark.slow
def test_the_report_kernel_draws_data_text_literally_and_a_failed_figure_is_an_error(tmp_path):
    from test_report_support import notebook

    from orient import report
    from orient.errors import ReportError

    draw = (
        "import matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots()\n"
        "ax.set_title('Price ($) vs value ($)')\n"
        "ax.set_yticks([0, 1], ['$x$ costs', 'Fees ($) and discount (%) ($)'])"
    )
    (nb,) = report.execute_notebooks([("figure", notebook(draw))], cwd=tmp_path)
    svgs = [
        o["data"]["image/svg+xml"]
        for c in nb.cells
        for o in c.get("outputs", [])
        if "image/svg+xml" in o.get("data", {})
    ]
    assert len(svgs) == 1
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", "".join(svgs[0]))]
    assert {"Price ($) vs value ($)", "$x$ costs", "Fees ($) and discount (%) ($)"} <= set(texts)
    # a figure that cannot be drawn (mathtext switched back on) fails the report
    broken = "import matplotlib\nmatplotlib.rcParams['text.parse_math'] = True\n" + draw
    with pytest.raises(ReportError) as err:
        report.execute_notebooks([("figure", notebook(broken))], cwd=tmp_path)
    assert err.value.notebook == "figure" and err.value.cell == 3
    assert "output" in str(err.value) and "ValueError" in str(err.value)


# --- one full report per language -------------------------------------------------

#: the figures of the clean swiftpost sample's report (``orient report
#: data/companies/swiftpost``: 24 ``<img>``); the hostile copy must keep every one
CLEAN_FIGURES = 24


@pytest.fixture(scope="module", params=["en", "ru"])
def hostile_report(request, tmp_path_factory):
    from orient import report

    base = tmp_path_factory.mktemp(f"hostile-{request.param}")
    company = hostile_company(base / "acme")
    profile = yaml.safe_load((company / "company.yaml").read_text(encoding="utf-8"))
    profile["language"] = request.param
    (company / "company.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    path = report.build(company, base / "out", pdf=False)
    summary = (path.parent / "summary.json").read_text(encoding="utf-8")
    return path.read_text(encoding="utf-8"), summary


@pytest.mark.slow
def test_hostile_text_is_shown_as_written_everywhere_in_the_report(hostile_report):
    page, _ = hostile_report
    shown = _squash(visible_text(page))
    for text in ALL:
        assert _squash(text) in shown, text
    # never read as markup: no emphasis, code, links or tags made of the data
    for made in (
        "<strong>bold</strong>",
        "<em>under</em>",
        "<em>star</em>",
        "<code>code</code>",
        "<i>$1$</i>",
        "<u>parcel</u>",
        "<del>struck</del>",
        "<s>struck</s>",
        "<b>&amp;</b>",
        ">click</a>",
        ">s</a>",
    ):
        assert made not in page, made
    assert "Price ()()vsvalue" not in shown and "Price () vs value ()" not in shown


def _tags(page: str) -> list[tuple[str, dict]]:
    """Every start tag of ``page`` as a browser parses it, with its attributes."""
    from html.parser import HTMLParser

    found: list[tuple[str, dict]] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Tags(convert_charrefs=True).feed(page)
    return found


@pytest.mark.slow
def test_the_hostile_report_runs_no_script_and_links_nowhere_outside(hostile_report):
    page, _ = hostile_report
    tags = _tags(page)
    assert "script" not in {tag for tag, _ in tags}
    assert [a for _, attrs in tags for a in attrs if a.startswith("on")] == []
    hrefs = [attrs["href"] for _, attrs in tags if attrs.get("href") is not None]
    assert hrefs and all(h.startswith("#") for h in hrefs), [h for h in hrefs if h[:1] != "#"]
    sources = [attrs.get("src") or "" for tag, attrs in tags if tag == "img"]
    assert sources and all(src.startswith("data:image/") for src in sources)


@pytest.mark.slow
def test_the_hostile_report_keeps_every_figure(hostile_report):
    page, _ = hostile_report
    images = read(page).images
    assert len(images) == CLEAN_FIGURES
    assert all(image["alt"] for image in images)


@pytest.mark.slow
def test_summary_json_keeps_the_plain_text(hostile_report):
    import json

    _, summary = hostile_report
    strings = json.dumps(json.loads(summary), ensure_ascii=False)
    assert r"\\[click" not in strings and r"\\*\\*bold" not in strings
    assert HOSTILE[6] in strings and COMPETITOR in strings  # as written, not escaped
