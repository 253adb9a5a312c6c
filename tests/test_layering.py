"""The layering rule of docs/DESIGN.md: data <- methods <- stage <- present <- report/batch/cli.

Read from the code's own imports (AST), so a new import that breaks the rule fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "orient"
BASE = {"errors", "_validate", "stats", "i18n", "_json", "_memo"}
STAGE_PACKAGES = ("strategy", "satisfaction", "priorities", "implementation", "operations")
WIRING_FILES = {"stage.py", "narrative.py", "display.py", "__init__.py", "risk.py"}
ALIASES = {"service", "quality", "crm"}  # public names of DESIGN for orient.operations.*


def _orient_imports(path: Path) -> set[str]:
    """Top-level orient modules that ``path`` imports (relative imports resolved)."""
    rel = path.relative_to(PKG.parent).with_suffix("").parts
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(rel[: len(rel) - node.level])
                mod = ".".join(base + ([node.module] if node.module else []))
                names = [mod] if node.module else [f"{mod}.{a.name}" for a in node.names]
            else:
                names = [node.module or ""]
                if node.module == "orient":
                    names = [f"orient.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "orient" and len(parts) > 1:
                out.add(parts[1])
    return out


def _kind(path: Path) -> str:
    parts = path.relative_to(PKG).parts
    top = parts[0].removesuffix(".py")
    if top in BASE:
        return "base"
    if top == "data":
        return "data"
    if top in STAGE_PACKAGES and len(parts) > 1:
        if parts[-1].lstrip("_").startswith("display"):  # reader tables: the present layer
            return "present"
        return "stage" if parts[-1] in WIRING_FILES else "method"
    if top in ("stages",):
        return "stage"
    if top == "present":
        return "present"
    return "top"


FORBIDDEN = {
    "base": {"data", *STAGE_PACKAGES, "stages", "present", "report", "batch", "cli", "synth"},
    "data": {*STAGE_PACKAGES, "stages", "present", "report", "batch", "cli"},
    # methods know nothing of Company, of languages or of files
    "method": {
        "data",
        "i18n",
        "stages",
        "present",
        "report",
        "batch",
        "cli",
    },
    "stage": {"present", "report", "batch", "cli"},
    "present": {"report", "batch", "cli"},
}

FILES = sorted(
    p
    for p in PKG.rglob("*.py")
    if p.relative_to(PKG).parts[0] not in ("notebooks", "templates")
    and p.relative_to(PKG).parts[0].removesuffix(".py") not in ALIASES
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG)))
def test_imports_run_downwards(path):
    kind = _kind(path)
    bad = _orient_imports(path) & FORBIDDEN.get(kind, set())
    assert not bad, f"{path.relative_to(PKG)} ({kind}) imports {sorted(bad)}"


@pytest.mark.parametrize("name", ["io", "_text", "plots", "widgets", "company"])
def test_no_alias_module_beside_the_real_homes(name):
    # their homes: orient.data, orient.i18n, orient.present.plots, orient.present.widgets
    assert not (PKG / f"{name}.py").exists()
    assert not any(name in _orient_imports(p) for p in FILES), name
