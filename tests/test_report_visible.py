"""Every sample report, in English and in Russian, as a reader sees it.

No internal key, no raw value (NaN, None, True...), no text cut to "...", no number
with more decimals than a reader can use, and every figure described by its alt text.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests._visible import problems, stage_sections

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(
    p.name for p in (ROOT / "data" / "companies").iterdir() if (p / "company.yaml").is_file()
)

pytestmark = pytest.mark.slow

# The sections whose tables and figures are built for reading at the source; the others
# still show analysis frames (issue 10, item 3, in progress) and are checked once moved.
CHECKED = (
    "summary",
    "01_strategy",
    "02_satisfaction",
    "03_priorities",
    "04_implementation",
    "05_operations",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from orient import batch

    src = tmp_path_factory.mktemp("companies")
    for name in SAMPLES:
        for language in ("en", "ru"):
            folder = src / f"{name}-{language}"
            shutil.copytree(ROOT / "data" / "companies" / name, folder)
            profile = folder / "company.yaml"
            text = profile.read_text(encoding="utf-8")
            text, n = re.subn(r"(?m)^language:.*$", f"language: {language}", text)
            if not n:
                text += f"\nlanguage: {language}\n"
            profile.write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("reports")
    frame = batch.run(src, out, workers=2, pdf=False, progress=False)
    return {row.company_dir: row for row in frame.itertuples()}


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", SAMPLES)
def test_a_sample_report_shows_nothing_unfinished(reports, name, language):
    row = next(r for d, r in reports.items() if Path(d).name == f"{name}-{language}")
    assert row.status == "ok", row.error
    html = Path(row.report).read_text(encoding="utf-8")
    sections = stage_sections(html)
    found = [
        f"{part}: {p}" for part in CHECKED if part in sections for p in problems(sections[part])
    ]
    assert not found, f"{len(found)} problems, the first 15:\n" + "\n".join(found[:15])
