"""What the stage IV reader tables share: the client's names and language (``_View``),
number, date and level formatting."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from orient.i18n import DASH, check_language, format_number, format_percent, message, translator
from orient.present.tables import (
    Table,
)

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class _View:
    """What a table needs besides the result: the language and the client's names."""

    language: str = "en"
    labels: Mapping[str, str] = field(default_factory=dict)
    currency: str | None = None
    competitor: str | None = None
    conjoint_labels: Mapping[str, str] = field(default_factory=dict)
    horizon_years: float | None = None

    def label(self, key: Any) -> str:
        return str(self.labels.get(key, key))

    def feature(self, key: Any) -> str:
        return str(self.conjoint_labels.get(key, key))


def _view(company: Any, language, labels, currency, competitor, conjoint_labels) -> _View:
    profile = getattr(company, "profile", None)
    conjoint = getattr(profile, "conjoint", None)
    actions = getattr(profile, "actions", None)
    if language is None:
        from orient.i18n import company_language

        language = company_language(company) if company is not None else "en"
    return _View(
        language=check_language(language),
        labels=dict(
            labels if labels is not None else getattr(company, "attribute_labels", None) or {}
        ),
        currency=currency if currency is not None else getattr(company, "currency", None),
        competitor=competitor if competitor is not None else getattr(company, "competitor", None),
        conjoint_labels=dict(
            conjoint_labels
            if conjoint_labels is not None
            else getattr(conjoint, "labels", None) or {}
        ),
        horizon_years=(getattr(actions, "horizon_years", None) or 1.0) if actions else None,
    )


# --- formatting helpers --------------------------------------------------------------


def _num(value: Any, language: str, decimals: int = 0) -> str:
    return format_number(value, language, decimals)


def _decimals(values: Any, most: int = 3) -> int:
    """The fewest decimals (at most ``most``) that show every value exactly."""
    d = 0
    for v in values:
        try:
            x = float(v)
        except (TypeError, ValueError):
            continue
        if not math.isfinite(x):
            continue
        while d < most and abs(round(x, d) - x) > 1e-9 * max(1.0, abs(x)):
            d += 1
    return d


def _plain(values: Any, language: str) -> list[str]:
    """The client's numbers (KPI targets) with the decimals they have; text as it is."""
    return [v if isinstance(v, str) else format_number(v, language, _decimals([v])) for v in values]


def _p_value(values: Any, language: str) -> list[str]:
    return [
        "< " + format_number(0.001, language, 3) if v < 0.001 else format_number(v, language, 3)
        for v in values
    ]  # NaN: an en dash


def _date(value: Any, language: str) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return DASH
    try:
        day = pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return str(value)
    from babel.dates import format_date

    return format_date(day, format="medium", locale=language)


def _heading(template: str, language: str, **values: str) -> str:
    """A heading with a name in it (``Gap to {rival} (points)``), translated before the
    name is put in (``terms.columns``)."""
    return message("terms.columns", template, language, **values)


def _level(frame: pd.DataFrame | None, language: str, df: int | None = None) -> str:
    """The level of a frame's intervals, read back from them (``95%``; 95% when unknown)."""
    from scipy import stats

    level = 0.95
    if frame is not None and len(frame):
        se = frame["std_error"].to_numpy(dtype=float)
        half = (frame["ci_high"] - frame["estimate"]).to_numpy(dtype=float)
        ok = se > 0
        if ok.any():
            z = float(np.median(half[ok] / se[ok]))
            level = 2 * (stats.t.cdf(z, df) if df else stats.norm.cdf(z)) - 1
    return format_percent(round(100 * level) / 100, language, 0)


def _model_level(model: pd.DataFrame, language: str) -> str:
    return _level(model, language, max(int(model["n"].max()) - len(model) - 1, 1))


def _empty(view: _View) -> Table:
    return Table.build({}, language=view.language)


# --- the strategic matrix ----------------------------------------------------------


def _matrix_action(quadrant: Any, action: Any, language: str) -> str:
    """What the quadrant calls for, in stage III's words (:data:`~orient.priorities.ACTIONS`);
    an action of the caller's own wording as it is."""
    from orient.priorities.matrix import ACTIONS

    fallback = {
        "improve": "improve",
        "keep_advantage": "keep or raise",
        "maintain_or_reduce": "maintain or reduce",
        "low_priority": "no action",
    }
    if isinstance(action, str) and action not in (ACTIONS.get(quadrant), fallback.get(quadrant)):
        return action
    words = ACTIONS[quadrant]
    return words if language == "en" else translator(language).pgettext("terms.values", words)
