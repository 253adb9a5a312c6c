"""Translations of the notebooks' narrative: complete, current, and used by the report."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from orient import report

NOTEBOOKS = Path(__file__).resolve().parents[1] / "orient" / "notebooks"
TRANSLATIONS = Path(__file__).resolve().parents[1] / "orient" / "templates" / "notebooks"
LANGUAGES = ["ru"]
STEMS = [stem for stem, _, _ in report.stage_notebooks(NOTEBOOKS)]


def _markdown_cells(stem: str) -> dict[str, str]:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    return {cell.id: cell.source for cell in nb.cells if cell.cell_type == "markdown"}


def _entries(language: str, stem: str) -> dict:
    path = TRANSLATIONS / language / f"{stem}.yaml"
    assert path.is_file(), f"no translation file {path}"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_stage_notebook_is_covered():
    assert STEMS, "no stage notebooks found"
    for language in LANGUAGES:
        files = {p.stem for p in (TRANSLATIONS / language).glob("*.yaml")}
        assert files == set(STEMS), f"{language}: translation files {sorted(files)} vs {STEMS}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stem", STEMS)
def test_translations_match_the_notebook(stem, language):
    cells = _markdown_cells(stem)
    entries = _entries(language, stem)
    where = f"orient/templates/notebooks/{language}/{stem}.yaml"
    missing = [cid for cid in cells if cid not in entries]
    assert not missing, f"{stem}: markdown cells {missing} have no translation in {where}"
    orphans = [cid for cid in entries if cid not in cells]
    assert not orphans, f"{where}: entries {orphans} match no markdown cell of {stem}.ipynb"
    stale = [cid for cid, entry in entries.items() if entry["en"].strip() != cells[cid].strip()]
    assert not stale, (
        f"{stem}: cells {stale} were edited since they were translated; "
        f"update `en` and `{language}` in {where}"
    )


def _shape(markdown: str) -> list[str]:
    """Heading levels and list items of a markdown text, in order."""
    return [m.group(1) for m in re.finditer(r"^(#+|- )", markdown, flags=re.MULTILINE)]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stem", STEMS)
def test_translations_keep_the_structure(stem, language):
    # same headings at the same levels (the table of contents and the figure captions
    # follow them) and the same list items; and the text is actually translated
    for cid, entry in _entries(language, stem).items():
        assert _shape(entry[language]) == _shape(entry["en"]), f"{stem} cell {cid}"
        assert re.search("[а-яё]", entry[language], re.IGNORECASE), f"{stem} cell {cid}"


def _notebook(cell_source: str, cell_id: str):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_markdown_cell(cell_source)
    cell.id = cell_id
    nb.cells.append(cell)
    return nb


def _report_text(cells) -> str:
    return " ".join(c.metadata["orient"].get("html", "") for c in cells)


def test_report_cells_use_the_translation_for_russian():
    stem = "02_satisfaction"
    cid, source = next(iter(_markdown_cells(stem).items()))
    translated = _entries("ru", stem)[cid]["ru"]
    nb = _notebook(source, cid)
    ru = _report_text(report._report_cells(stem, "satisfaction", nb, report._texts("ru")))
    en = _report_text(report._report_cells(stem, "satisfaction", nb, report._texts("en")))
    first_paragraph = translated.split("\n\n")[1].split(" (")[0]
    assert first_paragraph in ru
    assert source.split("\n\n")[1][:40] in en and first_paragraph not in en


def test_an_edited_cell_is_not_replaced():
    # a cell edited since translation (or a custom notebook reusing the id) shows as written
    stem = "02_satisfaction"
    cid = next(iter(_markdown_cells(stem)))
    nb = _notebook("# Stage II\n\nA paragraph the translator never saw.", cid)
    ru = _report_text(report._report_cells(stem, "satisfaction", nb, report._texts("ru")))
    assert "A paragraph the translator never saw." in ru


def test_unknown_notebook_stays_as_written():
    nb = _notebook("# Custom\n\nOur own analysis.", "abc")
    ru = _report_text(report._report_cells("99_custom", "custom", nb, report._texts("ru")))
    assert "Our own analysis." in ru


def test_the_driver_model_sentence_holds_for_a_two_point_overall():
    # on a yes/no overall the driver table's effects are percentage points of the share
    # satisfied (its header says so); the sentence before it once called them "points of
    # overall satisfaction"
    en = _markdown_cells("04_implementation")["a63e9222"]
    ru = _entries("ru", "04_implementation")["a63e9222"]["ru"]
    assert en.startswith("The driver model behind the predictions:")
    assert "the points of overall satisfaction" not in en
    assert "percentage points of the share satisfied" in en
    assert "процентные пункты доли удовлетворённых" in ru
