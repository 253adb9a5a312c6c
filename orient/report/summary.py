"""summary.json: the headline numbers of one company, from each stage module's
``headline(analyse(company))``, never scraped from notebooks.

The schema is ``orient/schemas/summary.schema.json``; the same inputs give the same bytes.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Mapping, Sequence
from typing import Any

from orient import stages as _stages

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
    if survey is not None and hasattr(survey, "columns"):  # None: no survey
        respondents = int(len(survey))
        if "wave" in survey.columns:
            values = survey["wave"].dropna().unique().tolist()
            waves = [_json_safe(w) for w in sorted(values, key=str)]
    left_out = getattr(company, "left_out", None)
    n_left = int(len(left_out)) if left_out is not None and hasattr(left_out, "columns") else None
    profile = getattr(company, "profile", None)
    period = getattr(profile, "period", None)
    notes = getattr(company, "notes", None)
    notes = [str(n) for n in notes()] if callable(notes) else []
    return {
        "respondents": respondents,
        "waves": waves,
        "rows_left_out": n_left,
        "period": str(period) if period is not None else None,
        **({"notes": notes} if notes else {}),
    }


_cautions = _stages._cautions  # kept for callers of the old name


def summarise(company: Any, *, modules: Sequence[str] = HEADLINE_MODULES) -> dict:
    """The summary.json content of one company.

    Calls ``headline(analyse(company))`` of every stage module in ``modules`` that
    provides both; a module without them is marked ``absent``, one that raises is
    marked ``error`` with the message (the rest go on). The stage dependencies
    (stage III feeds I and IV) come from :func:`orient.stages.run`, the same wiring
    the notebooks and widgets use, so the summary and the report's pages agree.

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
    for name, outcome in _stages.run(company, modules).items():
        stages[name] = {
            "status": outcome.status,
            "headline": _json_safe(outcome.headline) if outcome.status == "ok" else None,
            "error": outcome.error,
            "warnings": outcome.warnings,
            **({"missing": list(outcome.missing)} if outcome.missing else {}),
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
