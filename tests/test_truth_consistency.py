"""The executive summary says only what the report's tables show, for the adversarial
synthetic companies (orient.synth.ADVERSARIAL) and the five sample companies, in English
and in Russian.

Four adversarial companies are built once each as a whole report (one language each,
--no-pdf); the findings are read from the rendered HTML and checked, one by one, against
the stage results the tables are drawn from (tests/_truth_checks.py): the quadrant word
against the attribute's quadrant in the matrix, a shortfall only with a competitor and
an interval below zero, "significant" only where the wave test says so, every number to
the precision shown, each base above the company's minimum. The other language, the
tables-only companies and the samples take the fast path: the same summary
(orient.report.summary.summarise) rendered by the same function the report uses. The
number of findings checked per company is printed (run with -s to see it).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

import orient
from orient import synth
from orient.report import build, render
from orient.report.summary import summarise
from tests import _truth_checks as tc

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
#: built as whole reports: slug -> the language of the report
BUILT = {
    "skyway-air": "en",
    "fermo-equipment": "ru",
    "lindenclinic": "ru",
    "riverside-utility": "en",
}
FAST = ("pipeline-only", "complaints-only")
OPERATIONS = ("service", "quality", "crm")
COUNTS: dict[str, int] = {}  # findings checked per company
WORDING: dict[str, int] = {}  # texts checked for wording the data does not allow


def _copy_in(src: Path, dst: Path, language: str) -> Path:
    if not dst.exists():
        shutil.copytree(src, dst)
        profile = yaml.safe_load((dst / "company.yaml").read_text("utf-8"))
        profile["language"] = language
        (dst / "company.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), "utf-8")
    return dst


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("adversarial")
    synth.make_adversarial(root)
    return root


@pytest.fixture(scope="module")
def reports(adversarial, tmp_path_factory) -> dict:
    """slug -> (company folder, report folder) of the companies built as reports."""
    out = tmp_path_factory.mktemp("reports")
    built = {}
    for slug, language in BUILT.items():
        folder = _copy_in(adversarial / slug, adversarial / f"{slug}-{language}", language)
        html_path = build(folder, out, pdf=False)
        built[slug] = (folder, html_path.parent)
    return built


def _count(name: str, n: int, wording: int) -> None:
    COUNTS[name] = COUNTS.get(name, 0) + n
    WORDING[name] = WORDING.get(name, 0) + wording


def _other_language(summary: dict, folder: Path, language: str, tmp: Path) -> dict:
    """The summary in ``language``: the survey stages' numbers are the same; the
    operations headlines carry sentences, so they are made again in that language."""
    other = orient.load_company(_copy_in(folder, tmp / f"{folder.name}-{language}", language))
    ops = summarise(other, modules=OPERATIONS)["stages"]
    return {**summary, "stages": {**summary["stages"], **ops}}


def _check(findings, company, results, language, name) -> int:
    kinds = tc.check_findings(findings, company, results, language)
    return len(kinds)


# --- the reports built whole ------------------------------------------------------------


@pytest.mark.parametrize("slug", list(BUILT))
def test_the_report_findings_agree_with_its_tables(reports, slug):
    folder, report = reports[slug]
    language = BUILT[slug]
    company = orient.load_company(folder)
    page = (report / "report.html").read_text(encoding="utf-8")
    summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    findings = tc.findings_of(page)
    assert findings, "no findings"
    # the page shows what the summary says, rendered by the report's own function
    expected = [tc.plain(f) for f in render._findings(summary, language, render._labels(company))]
    assert findings == expected
    results = tc.stage_results(company)
    n = _check(findings, company, results, language, slug)
    _count(slug, n, tc.check_words(tc.said(page), company, language))
    # and in the other language, from the same summary
    other = "en" if language == "ru" else "ru"
    summary2 = _other_language(summary, folder, other, folder.parent)
    company2 = orient.load_company(folder.parent / f"{folder.name}-{other}")
    found2 = [tc.plain(f) for f in render._findings(summary2, other, render._labels(company2))]
    n2 = _check(found2, company2, results, other, slug)
    _count(slug, n2, tc.check_words(" ".join(found2), company2, other))
    print(f"\n{slug}: {n} findings checked in the {language} report, {n2} in the {other} summary")


@pytest.mark.parametrize("slug", list(BUILT))
def test_no_heading_without_content(reports, slug):
    _, report = reports[slug]
    page = (report / "report.html").read_text(encoding="utf-8")
    body = page[page.index('id="contents"') :]
    body = re.sub(r"<nav.*?</nav>", "", body, flags=re.S)
    # a heading followed straight by another heading of the same or a higher level
    heads = list(re.finditer(r"<h([1-6])[^>]*>(.*?)</h\1>", body, re.S))
    for a, b in zip(heads, heads[1:], strict=False):
        between = tc.plain(body[a.end() : b.start()])
        if int(b.group(1)) <= int(a.group(1)):
            assert between, f"an empty section: {tc.plain(a.group(2))!r}"


def test_without_competitor_no_competitor_wording_in_what_the_data_says(reports):
    """The findings, "In brief" and every generated sentence: no competitor wording."""
    for slug in ("skyway-air", "lindenclinic"):
        _, report = reports[slug]
        page = (report / "report.html").read_text(encoding="utf-8")
        said = tc.said(page)
        for word in {"en": ("competitor",), "ru": ("конкурент",)}[BUILT[slug]]:
            assert word not in said.lower(), (slug, word)


def test_without_competitor_the_whole_report_has_no_competitor_wording(reports):
    for slug in ("skyway-air", "lindenclinic"):
        _, report = reports[slug]
        text = tc.plain((report / "report.html").read_text(encoding="utf-8")).lower()
        for word in {"en": ("competitor",), "ru": ("конкурент",)}[BUILT[slug]]:
            assert word not in text, (slug, word)


def test_without_a_0_to_10_item_no_nps_is_printed(reports):
    # "NPS left out" may be said; an NPS value may not
    number = tc.NPS_VALUE
    for slug in ("skyway-air", "fermo-equipment"):
        _, report = reports[slug]
        text = tc.plain((report / "report.html").read_text(encoding="utf-8"))
        assert not number.search(text), (slug, number.search(text))


def test_without_declared_actions_the_summary_counts_no_plan_gain(reports):
    _, report = reports["fermo-equipment"]
    summary = json.loads((report / "summary.json").read_text(encoding="utf-8"))
    head = summary["stages"]["implementation"]["headline"]
    assert head["n_declared_actions"] == 0 and head["total_index_gain"] is None
    page = tc.plain((report / "report.html").read_text(encoding="utf-8"))
    assert "иллюстратив" in page  # the what-if is labelled illustrative


# --- the fast path: tables-only companies and the samples -------------------------------------


@pytest.mark.parametrize("slug", FAST)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_tables_only_findings_agree(adversarial, slug, language, tmp_path):
    folder = _copy_in(adversarial / slug, tmp_path / slug, language)
    company = orient.load_company(folder)
    summary = summarise(company)
    findings = [tc.plain(f) for f in render._findings(summary, language, render._labels(company))]
    results = tc.stage_results(company)
    n = _check(findings, company, results, language, slug)
    _count(slug, n, tc.check_words(" ".join(findings), company, language))
    print(f"\n{slug} ({language}): {n} findings checked")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict:
    """slug -> (company, summary, stage results) of the committed sample companies."""
    out = {}
    for slug in synth.SAMPLES:
        company = orient.load_company(ROOT / "data" / "companies" / slug)
        out[slug] = (company, summarise(company), tc.stage_results(company))
    return out


@pytest.mark.parametrize("slug", list(synth.SAMPLES))
def test_sample_findings_agree_in_both_languages(samples, slug, tmp_path):
    company, summary, results = samples[slug]
    own = company.language
    n = words = 0
    for language in ("en", "ru"):
        s = summary
        c = company
        if language != own:
            s = _other_language(summary, ROOT / "data" / "companies" / slug, language, tmp_path)
            c = orient.load_company(tmp_path / f"{slug}-{language}")
        findings = [tc.plain(f) for f in render._findings(s, language, render._labels(c))]
        assert findings
        n += _check(findings, c, results, language, slug)
        words += tc.check_words(" ".join(findings), c, language)
    _count(slug, n, words)
    print(f"\n{slug}: {n} findings checked (en and ru)")


def test_print_the_findings_checked_per_company():
    """Runs last in the module: the count of checks made per company (-s shows it)."""
    print("\nfindings checked per company (en + ru), and wording checks:")
    for name, n in sorted(COUNTS.items()):
        print(f"  {name}: {n} findings, {WORDING[name]} wording checks")


def test_no_example_from_another_business(reports):
    """The lessons' examples are generic or from the company's own business."""
    for slug, (_, report) in reports.items():
        text = tc.plain((report / "report.html").read_text(encoding="utf-8")).lower()
        for word in (
            "steel",
            "rolling mill",
            "paperwork",
            "сталь",
            "металл",
            "документы в порядке",
        ):
            assert not re.search(rf"\b{word}", text), (slug, word)
