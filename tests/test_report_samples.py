"""The real stage notebooks on the sample companies (what `make report` builds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from orient import report

pytestmark = pytest.mark.slow  # end to end: kernels, notebooks, reports


ROOT = Path(__file__).resolve().parents[1]


def test_the_real_stage_notebooks_on_a_sample_company(tmp_path):
    folder = ROOT / "data" / "companies" / "northsteel"  # Russian, Windows-1251 export
    stages = report.stage_notebooks()  # the shipped ones: all five, or a ReportError
    path = report.build(folder, tmp_path)
    html = path.read_text(encoding="utf-8")
    assert '<html lang="ru">' in html and "Основные выводы" in html
    for stem, _, _ in stages:
        assert (path.parent / f"{stem}.ipynb").is_file()
    assert (path.parent / "report.pdf").stat().st_size > 1000
    assert "<script" not in html.lower()
    assert not english_headings(html, folder)


def english_headings(html: str, folder: Path) -> list[str]:
    """Headings and table header cells of a Russian report written in English by orient.

    A Latin-only text is allowed when it is the company's own (a label, name or value of
    company.yaml or of its tables) or an abbreviation (NPV, KPI).
    """
    import html as _html
    import re

    import orient

    company = orient.load_company(folder)
    own: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                own.add(str(k))
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)
        elif node is not None:
            own.add(str(node))

    walk(company.profile.model_dump())
    for name in ("finance", "calls", "claims", "quality", "deals"):
        table = getattr(company, name)
        if table is not None:
            for col in table.select_dtypes(exclude="number").columns:
                own.update(map(str, table[col].dropna().unique()))
    cells = re.findall(r"<(h[1-6]|th)\b[^>]*>(.*?)</\1>", html, re.S)
    texts = {_html.unescape(re.sub(r"<[^>]+>", "", inner)).strip() for _, inner in cells}
    return sorted(
        t
        for t in texts
        if re.search(r"[A-Za-z]{3,}", t)
        and not re.search(r"[А-Яа-яЁё]", t)
        and t not in own
        and not t.isupper()
    )
