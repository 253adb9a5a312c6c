"""environment.yml mirrors pyproject.toml (the source of truth)."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

# pip name -> conda-forge names, where they differ
CONDA_NAMES = {"dask[distributed]": ["dask", "distributed"], "psycopg[binary]": ["psycopg"]}


def _split(spec: str) -> tuple[str, str]:
    m = re.match(r"([A-Za-z0-9_.\-]+(?:\[[^\]]*\])?)\s*(.*)", spec)
    return m.group(1).lower(), m.group(2).replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("test", "dask", "postgres", "lab"):
        wanted += project["optional-dependencies"][extra]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str):
            name, ver = _split(dep)
            conda[name] = ver
    expected = {}
    for spec in wanted:
        name, ver = _split(spec)
        for conda_name in CONDA_NAMES.get(name, [name]):
            expected[conda_name] = ver
    missing = sorted(set(expected) - set(conda))
    assert not missing, f"environment.yml lacks {missing} (pyproject.toml has them)"
    differ = {k: (expected[k], conda[k]) for k in expected if conda[k] != expected[k]}
    assert not differ, f"version bounds differ (pyproject, environment.yml): {differ}"
    extra = sorted(set(conda) - set(expected) - {"python", "pip"})
    assert not extra, f"environment.yml has {extra}, which pyproject.toml does not"
    pip_part = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_part and "-e ." in pip_part[0]["pip"]
    assert env["dependencies"][0].replace(" ", "") == "python" + project["requires-python"]
