"""Reading a batch's output folder: every ``<slug>/summary.json`` and ``batch.json``.

Only the small JSON files are read (never a survey or a notebook), so a network of
hundreds of companies is read in about a second.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orient.errors import DataError

__all__ = ["Missing", "Network", "read_network"]


@dataclass(frozen=True)
class Missing:
    """A company of the batch whose headline numbers are not in the network, and why."""

    company: str
    reason: str


@dataclass
class Network:
    """The summaries of a batch: ``summaries`` (slug -> parsed summary.json, sorted by
    slug), ``missing`` (companies without one, with the reason) and ``folder``."""

    folder: Path
    summaries: dict[str, dict] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: expected UTF-8 JSON text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path}: expected JSON; line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None


def _check_summary(path: Path, data: Any) -> dict:
    """The parts of summary.json the network uses, checked against the schema's shape."""
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object (orient's summary.json)")
    if data.get("schema_version") != 1:
        raise DataError(f"{path}: expected schema_version 1; got {data.get('schema_version')!r}")
    company = data.get("company")
    if not isinstance(company, dict) or not isinstance(company.get("slug"), str):
        raise DataError(f"{path}: expected a 'company' object with a 'slug'")
    stages = data.get("stages")
    if not isinstance(stages, dict) or not all(isinstance(s, dict) for s in stages.values()):
        raise DataError(f"{path}: expected 'stages' to be an object of stage objects")
    for name, stage in stages.items():
        headline = stage.get("headline")
        if headline is not None and not isinstance(headline, dict):
            raise DataError(f"{path}: stages.{name}.headline: expected an object or null")
    if not isinstance(data.get("base", {}), dict):
        raise DataError(f"{path}: expected 'base' to be an object")
    return data


def _batch_outcomes(folder: Path) -> list[dict]:
    path = folder / "batch.json"
    if not path.is_file():
        return []
    data = _load_json(path)
    companies = data.get("companies") if isinstance(data, dict) else None
    if not isinstance(companies, list) or not all(
        isinstance(c, dict) and isinstance(c.get("company"), str) for c in companies
    ):
        raise DataError(f"{path}: expected a 'companies' list of objects with a 'company' name")
    return companies


def _failure_reason(outcome: dict) -> str:
    status = outcome.get("status")
    error = outcome.get("error")
    where = outcome.get("notebook")
    text = f"the batch marked it {status}"
    if where:
        text += f" in {where}"
    return f"{text}: {error}" if error else text


def read_network(folder: str | Path) -> Network:
    """Read every company's summary.json under ``folder`` (a batch's output).

    A company that failed or was interrupted in ``batch.json`` is listed in
    ``missing`` with the batch's error, even when an older summary.json is still there
    (its numbers would be stale). A company folder without summary.json, or with one
    that is not orient's, is listed with what was wrong.

    Raises
    ------
    DataError
        When ``folder`` is not a folder, or ``batch.json`` is not the batch's JSON.
    """
    root = Path(folder)
    if not root.is_dir():
        raise DataError(f"{root}: expected the output folder of `orient batch` (not found)")
    net = Network(folder=root)
    outcomes = {c["company"]: c for c in _batch_outcomes(root)}
    failed = {k for k, c in outcomes.items() if c.get("status") in ("failed", "interrupted")}
    slugs = set(outcomes)
    slugs |= {p.parent.name for p in root.glob("*/summary.json")}
    for slug in sorted(slugs):
        if slug in failed:
            net.missing.append(Missing(slug, _failure_reason(outcomes[slug])))
            continue
        path = root / slug / "summary.json"
        if not path.is_file():
            net.missing.append(Missing(slug, f"no summary.json in {root / slug}"))
            continue
        try:
            net.summaries[slug] = _check_summary(path, _load_json(path))
        except DataError as exc:
            net.missing.append(Missing(slug, str(exc)))
    return net
