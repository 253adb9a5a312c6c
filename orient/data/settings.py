"""Settings given beside company.yaml: ``--set KEY=VALUE`` on the command line.

A setting names a key of company.yaml by its dotted path (``analysis.bootstrap``,
``reporting.confidence``, ``survey.weight``) and gives a YAML value (``200``, ``0.9``,
``ru``, ``[a, b]``, ``null``). The settings are applied to the profile as read from
the file, before it is validated, so a bad value is refused exactly as it would be in
the file (the error names the key path).

Inside a report kernel, :func:`use_settings` makes every ``load_company`` of that
folder (the stage notebooks load the company themselves) apply the same settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from orient.errors import DataError

__all__ = ["apply_settings", "parse_setting", "parse_settings", "settings_for", "use_settings"]

#: resolved company folder -> the settings every load of it applies (see use_settings)
_IN_USE: dict[str, dict[str, Any]] = {}


def parse_setting(text: str) -> tuple[str, Any]:
    """``"analysis.bootstrap=200"`` -> ``("analysis.bootstrap", 200)``.

    Examples
    --------
    >>> parse_setting("reporting.confidence=0.9")
    ('reporting.confidence', 0.9)
    >>> parse_setting("language=ru")
    ('language', 'ru')
    >>> parse_setting("survey.segment=[class, type_of_travel]")
    ('survey.segment', ['class', 'type_of_travel'])
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    parts = key.split(".")
    if not sep or not key or any(not p for p in parts):
        raise DataError(
            "a setting is not KEY=VALUE",
            file="--set",
            value=text,
            expected="a dotted key of company.yaml, '=', a YAML value "
            "(e.g. analysis.bootstrap=200)",
        )
    try:
        value = yaml.safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as exc:
        raise DataError(
            f"the value is not valid YAML ({getattr(exc, 'problem', exc)})",
            file="--set",
            column=key,
            value=raw,
            expected="a YAML value: a number, a word, [a, b], {k: v} or null",
        ) from None
    return key, value


def parse_settings(texts: Iterable[str] | None) -> dict[str, Any]:
    """Every ``KEY=VALUE`` in order; a key given twice keeps its last value."""
    return dict(parse_setting(t) for t in (texts or ()))


def apply_settings(raw: dict, settings: Mapping[str, Any] | None) -> dict:
    """A copy of the profile mapping ``raw`` with each dotted key set to its value.

    Missing levels are created; a level that holds a value other than a mapping is a
    DataError naming the key.

    Examples
    --------
    >>> apply_settings({"name": "A", "analysis": {"seed": 1}}, {"analysis.bootstrap": 200})
    {'name': 'A', 'analysis': {'seed': 1, 'bootstrap': 200}}
    """
    import copy

    out = copy.deepcopy(raw)
    for key, value in (settings or {}).items():
        parts = key.split(".")
        node = out
        for depth, part in enumerate(parts[:-1]):
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            if not isinstance(child, dict):
                where = ".".join(parts[: depth + 1])
                raise DataError(
                    f"--set {key}: company.yaml's {where} is a value, not a section",
                    file="company.yaml",
                    column=where,
                    expected=f"a key inside a section, or --set {where}=VALUE",
                )
            node = child
        node[parts[-1]] = value
    return out


def _folder_key(path: str | os.PathLike) -> str:
    p = Path(path)
    return str((p if p.is_dir() else p.parent).resolve())


def use_settings(company_dir: str | os.PathLike, settings: Mapping[str, Any] | None) -> None:
    """Apply ``settings`` to every later load of ``company_dir`` in this process (a
    report kernel); empty or None stops applying any."""
    key = _folder_key(company_dir)
    if settings:
        _IN_USE[key] = dict(settings)
    else:
        _IN_USE.pop(key, None)


def settings_for(company_dir: str | os.PathLike) -> dict[str, Any]:
    """The settings :func:`use_settings` registered for ``company_dir`` (empty: none)."""
    return dict(_IN_USE.get(_folder_key(company_dir), {}))
