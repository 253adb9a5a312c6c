"""Quality-control sentences in the report's language (through :mod:`orient.i18n`).

The templates are the ``quality`` sentences of ``templates/text/<language>.yaml``:
the line said where the quality table is absent, the risk sentences of the
headline and the labels of the key figures.
"""

from __future__ import annotations

from typing import Any

from orient.i18n import format_number, sentence

__all__ = [
    "data_needed_text",
    "defective_share_label",
    "figure_label",
    "format_figure",
    "risk_sentence",
]


def data_needed_text(language: str = "en") -> str:
    """The sentence saying what the optional quality table enables."""
    return sentence("quality.data_needed", language)


def risk_sentence(kind: str, language: str = "en", **values: Any) -> str:
    """The headline's risk sentence ``quality.risk_<kind>``.

    ``kind`` and its values: ``out_of_control`` (``n_out``, ``n_points``, ``label``,
    ``chart``), ``not_capable`` (``label``, ``cpk``, ``ppm``).
    """
    return sentence(f"quality.risk_{kind}", language, **values)


def figure_label(key: str, language: str = "en", **values: Any) -> str:
    """The label (or value text) of the key figure ``key`` (``quality.figures.<key>``)."""
    return sentence(f"quality.figures.{key}", language, **values)


def format_figure(
    value: Any, language: str = "en", decimals: int = 0, *, percent: bool = False
) -> str:
    """A key figure's number as text; ``percent`` shows a share as a percentage."""
    if percent:
        return format_number(value * 100, language, decimals) + "%"
    return format_number(value, language, decimals)


def defective_share_label(language: str = "en") -> str:
    """The name of the share-defective characteristic of a p chart."""
    return sentence("quality.defective_share", language)
