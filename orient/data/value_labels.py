"""SPSS/Stata value labels as a codebook: scale ends, scale labels and missing codes.

An SPSS or Stata export carries, per column, its codes and what each means (1 "Very
dissatisfied" ... 5 "Very satisfied", 9 "Don't know"). :func:`labelled_scale` reads them
as the column's scale when company.yaml gives none: the codes whose label means "no
answer" ("Don't know", "Refused", "N/A") become missing codes, the other codes give the
scale's ends. Every use is described in one line for ``orient validate``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from orient.data.profile import Scale, SurveySpec
from orient.data.ratings import MISSING_TOKENS, normalise_label

__all__ = ["LabelledCodebook", "LabelledScale", "is_no_answer", "labelled_scale"]

_NO_ANSWER = re.compile(
    r"don'?t know|do not know|not applicable|no answer|refused|prefer not|can'?t say|"
    r"cannot say|not sure|no opinion|^n/?a$|^dk$|затрудняюсь|не знаю|нет ответа|не применимо"
)


@dataclass(frozen=True)
class LabelledScale:
    """A column's scale read from its value labels."""

    min: float
    max: float
    labels: dict[str, float]
    missing: dict[float, str]  # code -> its label

    def describe(self, column: str, scale_used: bool) -> str:
        """One line for ``orient validate``: what the value labels gave the column."""
        parts = []
        if scale_used:
            lo, hi = self.labels_at(self.min), self.labels_at(self.max)
            parts.append(f"scale {_fmt(self.min)}..{_fmt(self.max)} from its value labels")
            if lo and hi:
                parts[-1] += f" ({_fmt(self.min)} {lo!r} .. {_fmt(self.max)} {hi!r})"
        for code, label in self.missing.items():
            parts.append(f"code {_fmt(code)} {label!r} read as missing (no rating)")
        return f"{column}: " + "; ".join(parts)

    def labels_at(self, code: float) -> str | None:
        return next((lab for lab, v in self.labels.items() if v == code), None)


def is_no_answer(label: str) -> bool:
    """Whether a value label means "no rating" (don't know, refused, not applicable)."""
    norm = normalise_label(label)
    return norm in MISSING_TOKENS or bool(_NO_ANSWER.search(norm))


def labelled_scale(value_labels: dict[Any, str] | None) -> LabelledScale | None:
    """The scale a column's value labels describe, or ``None`` when they describe none
    (no labels, text codes, or fewer than two rating codes)."""
    if not value_labels:
        return None
    rated: dict[str, float] = {}
    missing: dict[float, str] = {}
    for code, label in value_labels.items():
        try:
            num = float(code)
        except (TypeError, ValueError):
            return None  # a text variable's labels: not a rating scale
        if is_no_answer(str(label)):
            missing[num] = str(label)
        else:
            rated.setdefault(str(label), num)
    codes = sorted(set(rated.values()))
    if len(codes) < 2:
        return None
    return LabelledScale(codes[0], codes[-1], rated, missing)


class LabelledCodebook:
    """The survey codebook with the file's value labels as its fallback.

    ``scale_of`` gives company.yaml's scale when it names one, else the column's value
    labels', else the default; ``codes_of`` the column's missing codes with its
    "don't know"-labelled codes; ``notes`` says, one line per column, what the labels
    gave (for ``orient validate``).
    """

    def __init__(self, value_labels: dict[str, dict[Any, str]], sv: SurveySpec):
        scales = {c: labelled_scale(v) for c, v in value_labels.items()}
        self.labelled = {c: lab for c, lab in scales.items() if lab is not None}
        self.sv = sv
        self.notes: list[str] = []
        #: the survey-wide ``scale`` when company.yaml sets it (else the labels may speak)
        self.yaml_scale = sv.scale if "scale" in sv.model_fields_set else None

    def scale_of(self, col: str, given: Scale | None, default: Scale) -> Scale:
        """company.yaml's scale (``given``), else the column's value labels, else ``default``."""
        lab = self.labelled.get(col)
        if lab is not None and (given is None or lab.missing):
            self.notes.append(lab.describe(col, given is None))
        if given is not None or lab is None:
            return given or default
        return Scale(min=lab.min, max=lab.max, labels=lab.labels)

    def codes_of(self, col: str, attribute: bool = False) -> tuple:
        """The codes meaning "no rating" in ``col``: company.yaml's and the labels'."""
        lab = self.labelled.get(col)
        extra = list(lab.missing) if lab is not None else []
        return tuple(dict.fromkeys([*self.sv.missing_codes_of(col, attribute), *extra]))


def _fmt(x: float) -> str:
    return f"{x:g}"
