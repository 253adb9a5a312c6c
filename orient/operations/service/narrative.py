"""Service-centre and claims sentences in the report's language (through :mod:`orient.i18n`).

The templates are the ``service`` sentences of ``templates/text/<language>.yaml``:
the line said where a table is absent, the risk sentences of the headline, the
labels of the key figures and the claim age bands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from orient.i18n import format_number, sentence

__all__ = [
    "age_band_labels",
    "claims_status_sentences",
    "data_needed_text",
    "figure_label",
    "format_figure",
    "risk_sentence",
]

_CTX = "terms.clients"


def data_needed_text(part: str, language: str = "en") -> str:
    """The sentence saying what the optional table ``part`` ("calls" or "claims") enables."""
    return sentence(f"service.data_needed_{part}", language)


def age_band_labels(bins: Sequence[int], language: str = "en") -> list[str]:
    """Labels of the claim age bands starting at ``bins`` (days), the last one open.

    Examples
    --------
    >>> age_band_labels((0, 7, 30, 90))
    ['0-6 days', '7-29 days', '30-89 days', '90+ days']
    """
    edges = list(bins) + [np.inf]
    return [
        sentence("service.age_band", language, low=lo, high=int(hi) - 1)
        if np.isfinite(hi)
        else sentence("service.age_band_open", language, low=lo)
        for lo, hi in zip(edges[:-1], edges[1:], strict=True)
    ]


def risk_sentence(kind: str, language: str = "en", **values: Any) -> str:
    """The headline's risk sentence ``service.risk_<kind>``.

    ``kind`` and its values: ``level`` (``level``, ``target``, ``target_s``,
    ``below``), ``abandon`` (``abandon``, ``limit``), ``claims_late`` (``late``,
    ``days``), ``claims_old`` (``old``, ``share``, ``band``).
    """
    return sentence(f"service.risk_{kind}", language, **values)


def figure_label(key: str, language: str = "en", **values: Any) -> str:
    """The label of the key figure ``key`` (``service.figures.<key>``)."""
    return sentence(f"service.figures.{key}", language, **values)


def format_figure(v: Any, kind: str, language: str = "en") -> str:
    """A key figure's value as text: ``kind`` is pct, int, days, hour or num."""
    if v is None:
        return format_number(None, language)
    if kind == "pct":
        return format_number(v * 100, language, 1) + "%"
    if kind == "int":
        return format_number(int(round(v)), language, 0)
    if kind == "days":
        return sentence("service.figures.days", language, days=v)
    if kind == "hour":
        return f"{int(v):02d}:00"
    return format_number(v, language, 2) if isinstance(v, float) else str(v)


_STATUS_TEXT = {
    "timely": "Answered on time: {share:.1f}% of the {n} complaints that record it "
    "({level}% interval {low:.1f}% to {high:.1f}%).",
    "disputed": "Disputed by the consumer: {share:.1f}% of the {n} complaints that record "
    "it ({level}% interval {low:.1f}% to {high:.1f}%).",
    "response": "The company's response, share of the {n} complaints that record it "
    "({level}% intervals):",
}


def claims_status_sentences(status: Any, language: str = "en", confidence: float = 0.95) -> list:
    """One sentence per status field of :func:`~orient.operations.service.complaints.status_shares`
    (timely, disputed: the share with its interval; response: the lead-in of its table)."""
    from orient.i18n import message

    out = []
    if status is None:
        return out
    level = round(confidence * 100)
    for field in ("timely", "disputed", "response"):
        rows = status[status["field"] == field]
        if not len(rows) or rows["n"].iloc[0] == 0:
            continue
        r = rows.iloc[0]
        values = {"n": int(r["n"]), "level": level}
        if field != "response":
            values.update(share=r["share"] * 100, low=r["ci_low"] * 100, high=r["ci_high"] * 100)
        out.append(message(_CTX, _STATUS_TEXT[field], language, **values))
    return out
