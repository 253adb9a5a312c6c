"""The wheel carries everything orient needs outside the repository.

Built from this checkout (no dependencies fetched), its file list must hold the five
stage notebooks and the lessons, the report templates, the language catalogs and the
business scenarios; the notebooks have no outputs. An install in a fresh virtualenv
(``orient sample ./c && orient report ./c/swiftpost -o ./r``) is the manual check in
docs/CONTRIBUTING.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("orient-*.whl")
    return found


def test_the_wheel_carries_notebooks_templates_catalogs_and_scenarios(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "orient").rglob("*")
        if p.is_file()
        and p.suffix in {".ipynb", ".po", ".yaml", ".j2", ".css", ".json"}
        and "__pycache__" not in p.parts
        and ".ipynb_checkpoints" not in p.parts
    }
    assert {n for n in shipped if n.startswith("orient/notebooks/0")}, "no stage notebook"
    missing = sorted(shipped - names)
    assert not missing, missing
    for name in names:
        if name.endswith(".ipynb"):
            nb = json.loads(zipfile.ZipFile(wheel).read(name))
            outputs = [c for c in nb["cells"] if c.get("outputs")]
            assert not outputs, f"{name} is shipped with outputs"
