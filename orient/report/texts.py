"""The report's words: the language texts (:mod:`orient.i18n`), numbers and
plurals in the report's language, and the Jinja environment of its sentences."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from orient import i18n

#: orient's templates folder (texts, report page, nbconvert template, notebook translations)
_TEMPLATES = Path(__file__).parent.parent / "templates"

format_number = i18n.format_number  # re-exported: orient.report.format_number
plural = i18n.plural


def _plural_word(value: Any, *forms: str, language: str = "en") -> str:
    return i18n.plural_word(value, *forms, language=language)


_texts = i18n.texts  # the report texts in a language (orient.i18n)


def _sentence_env(language: str, labels: Mapping[str, str] | None = None):
    import jinja2

    labels = dict(labels or {})
    texts = _texts(language)
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=False)
    env.filters["num"] = lambda v, d=1: format_number(v, language, d)
    env.filters["signed"] = lambda v, d=1: format_number(v, language, d, signed=True)
    env.filters["quadrant"] = lambda q: texts.get("quadrants", {}).get(q, q)
    env.filters["human"] = lambda key: labels.get(str(key), str(key).replace("_", " "))
    env.filters["plural"] = lambda v, *forms: _plural_word(v, *forms, language=language)
    env.filters["smart"] = lambda v: format_number(
        v, language, 0 if isinstance(v, (int, float)) and float(v).is_integer() else 1
    )
    return env


#: what each kind of missing data is, for the sentence saying which stages it leaves out
_MISSING_DATA = {
    "survey": "there is no customer survey (company.yaml has no survey: section)",
    "survey_base": "the survey has fewer respondents than the minimum base "
    "(reporting.min_base) a figure is shown for",
    "complete_answers": "too few respondents rated every attribute for the driver model",
}

#: the same with the survey's numbers (:func:`orient.stages.survey_counts`)
_MISSING_DATA_COUNTED = {
    "survey_base": "the number of respondents ({respondents}) is below the minimum base "
    "of {min_base} (reporting.min_base) a figure is shown for",
    "complete_answers": "the number of respondents who rated every one of the {drivers} "
    "attributes ({complete}) is too small for the driver model (it needs more than {needed})",
}


def _reason(kind: str, language: str, counts: Mapping[str, Any] | None) -> str:
    from orient.i18n import message

    if counts and kind in _MISSING_DATA_COUNTED:
        return message("terms.clients", _MISSING_DATA_COUNTED[kind], language, **counts)
    return message("terms.clients", _MISSING_DATA.get(kind, kind), language)


def missing_data_notes(
    missing: Mapping[str, Any], language: str = "en", counts: Mapping[str, Any] | None = None
) -> list[str]:
    """One sentence per kind of missing data naming the stages it leaves out.

    ``missing`` maps a stage key to the data it lacks (summary.json's ``missing``), in
    report order; ``counts`` (:func:`orient.stages.survey_counts`) puts the survey's
    numbers into the reasons of a thin survey. Plain text: escape it before putting it
    into HTML.

    >>> missing_data_notes({"strategy": ["survey"], "satisfaction": ["survey"]})
    ['I. Strategy, II. Satisfaction measurement: not in this report, because there is no customer survey (company.yaml has no survey: section).']
    """
    from orient.i18n import message

    titles = _texts(language)["stages"]
    by_data: dict[tuple[str, ...], list[str]] = {}
    for stage, lacking in missing.items():
        if lacking:
            by_data.setdefault(tuple(lacking), []).append(titles.get(stage, stage))
    notes = []
    for lacking, stages in by_data.items():
        reasons = "; ".join(_reason(d, language, counts) for d in lacking)
        notes.append(
            message(
                "terms.clients",
                "{stages}: not in this report, because {reasons}.",
                language,
                stages=", ".join(stages),
                reasons=reasons,
            )
        )
    return notes
