"""summary.json: the headline numbers of one company, from each stage module's
``headline(analyse(company))``, never scraped from notebooks.

The schema is ``orient/schemas/summary.schema.json``; the same inputs give the same bytes.
"""

from __future__ import annotations

import importlib
import json
import logging
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["HEADLINE_MODULES", "SCHEMA_VERSION", "summarise", "summary_json"]

log = logging.getLogger("orient")

#: modules whose ``headline(analyse(company))`` feeds summary.json, in order
HEADLINE_MODULES: tuple[str, ...] = (
    "strategy",
    "satisfaction",
    "priorities",
    "implementation",
    "service",
    "quality",
    "crm",
)

SCHEMA_VERSION = 1
_FLOAT_DIGITS = 12  # significant digits kept in summary.json (stable across BLAS builds)


def _json_safe(value: Any) -> Any:
    """Plain JSON types only: numpy scalars unwrapped, NaN/inf -> None, floats rounded."""
    import numpy as np

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return None
        return float(f"{x:.{_FLOAT_DIGITS}g}")
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return _json_safe(value.tolist())
    return str(value)


def _base(company: Any) -> dict:
    survey = getattr(company, "survey", None)
    respondents = None
    waves = None
    if survey is not None and hasattr(survey, "columns"):
        respondents = int(len(survey))
        if "wave" in survey.columns:
            values = survey["wave"].dropna().unique().tolist()
            waves = [_json_safe(w) for w in sorted(values, key=str)]
    left_out = getattr(company, "left_out", None)
    n_left = int(len(left_out)) if left_out is not None and hasattr(left_out, "columns") else None
    profile = getattr(company, "profile", None)
    period = getattr(profile, "period", None)
    return {
        "respondents": respondents,
        "waves": waves,
        "rows_left_out": n_left,
        "period": str(period) if period is not None else None,
    }


def _cautions(caught: Sequence[warnings.WarningMessage]) -> list[str]:
    """The OrientWarnings among ``caught`` as distinct messages, in order; any other
    warning (a library's) is raised again as it was."""
    from orient.errors import OrientWarning

    messages: list[str] = []
    for w in caught:
        if issubclass(w.category, OrientWarning):
            text = str(w.message)
            if text not in messages:
                messages.append(text)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return messages


#: stages whose analysis starts from the stage III priorities, as their notebooks pass them
_TAKES_PRIORITIES = frozenset({"strategy", "implementation"})
_NOT_YET = object()


def _priorities_for(company: Any) -> Any:
    """The stage III result the strategy and implementation notebooks start from (no
    bootstrap: only the quadrants are used), or None when it cannot be computed."""
    from orient import priorities

    try:
        return priorities.analyse(company, n_boot=0)
    except Exception as exc:  # the stages then use their own fallback, and say so
        log.warning("stage III priorities unavailable for the summary: %s", exc)
        return None


def summarise(company: Any, *, modules: Sequence[str] = HEADLINE_MODULES) -> dict:
    """The summary.json content of one company.

    Calls ``headline(analyse(company))`` of every stage module in ``modules`` that
    provides both; a module without them is marked ``absent``, one that raises is
    marked ``error`` with the message (the rest go on). Strategy and implementation
    are given the stage III priorities (``priorities.analyse(company, n_boot=0)``),
    as their notebooks give them, so the summary and the report's pages agree.

    Parameters
    ----------
    company : orient.Company
        A loaded company.
    modules : sequence of str
        Names of ``orient`` submodules to ask.

    Returns
    -------
    dict
        ``schema_version``, ``orient_version``, ``company`` (slug, name, language,
        currency), ``base`` (respondents, waves, rows_left_out) and ``stages``:
        one entry per module with ``status`` (``ok``, ``absent`` or ``error``),
        ``headline`` (a dict, or null), ``error`` (a message, or null) and
        ``warnings`` (the cautions, :class:`orient.OrientWarning`, its analysis raised).
    """
    from orient import __version__

    stages: dict[str, dict] = {}
    stage3: Any = _NOT_YET  # the stage III result, computed on first need
    for name in modules:
        try:
            module = importlib.import_module(f"orient.{name}")
        except ImportError as exc:
            stages[name] = {"status": "absent", "headline": None, "error": None, "warnings": []}
            log.debug("orient.%s not importable: %s", name, exc)
            continue
        analyse = getattr(module, "analyse", None)
        headline = getattr(module, "headline", None)
        if not (callable(analyse) and callable(headline)):
            stages[name] = {"status": "absent", "headline": None, "error": None, "warnings": []}
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                if name in _TAKES_PRIORITIES:
                    if stage3 is _NOT_YET:
                        stage3 = _priorities_for(company)
                    result = headline(analyse(company, priorities=stage3))
                else:
                    result = headline(analyse(company))
        except Exception as exc:  # one stage's failure must not stop the summary
            stages[name] = {
                "status": "error",
                "headline": None,
                "error": f"{type(exc).__name__}: {exc}",
                "warnings": [],
            }
            continue
        cautions = _cautions(caught)
        if not isinstance(result, Mapping):
            stages[name] = {
                "status": "error",
                "headline": None,
                "warnings": cautions,
                "error": f"headline() returned {type(result).__name__}, not a dict",
            }
            continue
        stages[name] = {
            "status": "ok",
            "headline": _json_safe(result),
            "error": None,
            "warnings": cautions,
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "orient_version": __version__,
        "company": {
            "slug": str(company.slug),
            "name": str(company.name),
            "language": str(getattr(company, "language", "en") or "en"),
            "currency": _json_safe(getattr(company, "currency", None)),
        },
        "base": _base(company),
        "stages": stages,
    }


def summary_json(summary: Mapping) -> str:
    """Serialise a summary deterministically (sorted keys, no NaN, trailing newline)."""
    return (
        json.dumps(
            _json_safe(summary), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False
        )
        + "\n"
    )
