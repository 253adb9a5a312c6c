"""The real stage notebooks on the sample companies (what `make report` builds)."""

from __future__ import annotations

from pathlib import Path

from orient import report

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
