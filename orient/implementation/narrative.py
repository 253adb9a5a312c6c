"""The sentences of stage IV: the notes that say what :func:`analyse` left out, and why.

Each note is a :class:`Note`: the key of a template and the values it is written from
(``result.notes``); ``str(note)`` is the English sentence. :func:`section_text` says them
to a reader in the report's language, in the part of the notebook they concern, with the
reason a part's table is empty;
:func:`design_text` says how the conjoint design was built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "NOTES",
    "Note",
    "NOTE_PARTS",
    "PARTS",
    "count",
    "design_text",
    "flag_text",
    "has_declared_actions",
    "loop_waves",
    "note",
    "plan_text",
    "rival",
    "section_text",
]

#: the note templates by key (``str.format`` fields)
NOTES: dict[str, str] = {
    "fallback_matrix": (
        "No stage III result was passed: priorities use a simple fallback "
        "(importance = correlation with overall satisfaction)."
    ),
    "no_actions": "company.yaml has no `actions`: owners, deadlines and costs are blank.",
    "no_qfd": "company.yaml has no `qfd` section: no house of quality.",
    "investment_left_out": (
        "Investment {name!r}: no benefit could be predicted for {attribute!r}; left out."
    ),
    "no_investments": "company.yaml has no `investments`: no investment appraisal.",
    "conjoint_file_missing": "Conjoint responses file {file!r} not found: design only.",
    "no_conjoint": "company.yaml has no `conjoint` study.",
    "loop_from_waves": (
        "The improvement loop compares waves {earlier} and {later} with a simple matrix per "
        "wave (importance = correlation with overall satisfaction, cuts at the means); pass "
        "`previous=` to compare stage III matrices."
    ),
    "one_wave": "Only one survey wave: the improvement loop needs an earlier one.",
    "loop_small_wave": (
        "Wave {wave} has {n} respondents, fewer than the minimum base of {min_base}: "
        "no improvement loop."
    ),
}


@dataclass(frozen=True)
class Note:
    """What :func:`analyse` left out: the key of :data:`NOTES` and the values of its fields.

    ``str(note)`` is the English sentence; :func:`section_text` says it in a language.
    """

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @property
    def fields(self) -> dict[str, Any]:
        """The values as a dict (field name: value)."""
        return dict(self.values)

    def __str__(self) -> str:
        return NOTES[self.key].format(**self.fields)


def note(key: str, **values: Any) -> Note:
    """The note ``key`` of :data:`NOTES` with the values of its fields.

    Examples
    --------
    >>> n = note("conjoint_file_missing", file="cbc.csv")
    >>> n.key, n.fields
    ('conjoint_file_missing', {'file': 'cbc.csv'})
    >>> str(n)
    "Conjoint responses file 'cbc.csv' not found: design only."
    """
    if key not in NOTES:
        raise KeyError(f"no note {key!r}; the notes are {sorted(NOTES)}")
    return Note(key, tuple(values.items()))


# --- the notes as a reader reads them, in the report's language ------------------------

#: the part of the notebook each note belongs to (see :func:`section_text`)
NOTE_PARTS = {
    "fallback_matrix": "priorities",
    "no_actions": "plan",
    "no_qfd": "house",
    "investment_left_out": "investments",
    "no_investments": "investments",
    "no_conjoint": "design",
    "conjoint_file_missing": "partworths",
    "loop_from_waves": "loop",
    "one_wave": "loop",
    "loop_small_wave": "loop",
}

#: the parts :func:`section_text` speaks of
PARTS = (
    "priorities",
    "house",
    "roof",
    "flags",
    "plan",
    "investments",
    "design",
    "partworths",
    "wtp",
    "market",
    "loop",
)


def loop_waves(result: Any) -> tuple[str, str] | None:
    """The two waves the improvement loop compared (None when it compared given matrices)."""
    for n in getattr(result, "notes", ()):
        if n.key == "loop_from_waves":
            return str(n.fields["earlier"]), str(n.fields["later"])
    return None


def _note_text(key: str, values: dict, language: str, labels: dict) -> str:
    from orient.i18n import translator

    t = translator(language)
    texts = {
        "fallback_matrix": lambda: t.pgettext(
            "implementation",
            "No stage III result was available: the priorities come from a "
            "simple matrix (importance = correlation with overall satisfaction, cuts at the "
            "means).",
        ),
        "no_actions": lambda: t.pgettext(
            "implementation",
            "The company profile (company.yaml) has no actions section: "
            "the plan has no owners, KPIs, deadlines or costs.",
        ),
        "no_qfd": lambda: t.pgettext(
            "implementation",
            "No house of quality: the company profile (company.yaml) has no "
            "qfd section linking customer requirements to technical characteristics.",
        ),
        "investment_left_out": lambda: t.pgettext(
            "implementation",
            "Investment \u201c{name}\u201d is left out: no benefit could be "
            "predicted for {attribute} (no target for it among the actions, or no money "
            "value of a point of satisfaction).",
        ),
        "no_investments": lambda: t.pgettext(
            "implementation",
            "No investment appraisal: the company profile (company.yaml) "
            "has no investments section (the systems behind the actions, their costs and "
            "benefits).",
        ),
        "conjoint_file_missing": lambda: t.pgettext(
            "implementation",
            "The conjoint responses file \u201c{file}\u201d was not found: "
            "only the design is shown.",
        ),
        "no_conjoint": lambda: t.pgettext(
            "implementation",
            "No conjoint study: the company profile (company.yaml) has no "
            "conjoint section (the features, their levels and the responses).",
        ),
        "loop_from_waves": lambda: t.pgettext(
            "implementation",
            "The improvement loop compares survey waves {earlier} and "
            "{later}, with a simple matrix per wave (importance = correlation with overall "
            "satisfaction, cuts at the means).",
        ),
        "one_wave": lambda: t.pgettext(
            "implementation",
            "No improvement loop: the survey has one wave, and the loop "
            "needs an earlier one to compare with.",
        ),
        "loop_small_wave": lambda: t.pgettext(
            "implementation",
            "No improvement loop: survey wave {wave} has {n} respondents, fewer than the "
            "minimum base of {min_base}, too few to say which attributes changed quadrant.",
        ),
    }
    shown = dict(values)
    if "attribute" in shown:
        shown["attribute"] = str(labels.get(shown["attribute"], shown["attribute"]))
    return texts[key]().format(**shown)


def _empty_reason(result: Any, part: str, language: str) -> str | None:
    """Why a part that has data to show has no rows (None when it has rows or no data)."""
    from orient.i18n import translator

    t = translator(language)
    house, conj = getattr(result, "house", None), getattr(result, "conjoint", None)
    if part == "roof" and house is not None and not house.roof.to_numpy().any():
        return t.pgettext(
            "implementation",
            "The company profile gives no links between the "
            "technical characteristics: the roof of the house is empty.",
        )
    if part == "flags" and house is not None and not len(house.flags):
        return t.pgettext(
            "implementation",
            "No design gap: every customer requirement has a "
            "strong link, and every characteristic serves a requirement.",
        )
    if part == "plan" and not len(result.plan):
        return t.pgettext(
            "implementation",
            "No attribute is in the improve or the "
            "keep-advantage quadrant: the action plan is empty.",
        )
    if part == "partworths" and conj is None and getattr(result, "design", None) is not None:
        return t.pgettext("implementation", "No conjoint responses yet: only the design is shown.")
    if part == "wtp" and conj is not None and conj.wtp is None:
        return t.pgettext(
            "implementation",
            "No willingness to pay: it needs a choice study "
            "with a price feature (price of the conjoint study in "
            "company.yaml).",
        )
    if part == "market" and conj is not None and getattr(result, "market", None) is None:
        return t.pgettext(
            "implementation",
            "The conjoint study names no offers to simulate (products in company.yaml).",
        )
    return None


def section_text(
    result: Any, part: str, language: str = "en", *, labels: dict | None = None
) -> str:
    """What a reader should know about one part of stage IV, in ``language``.

    The notes :func:`~orient.implementation.analyse` wrote about the part (what was left
    out and why), and, where the part has data but nothing to show, why its table is
    empty. ``"priorities"`` also says where the priorities come from. Empty when there is
    nothing to say (the part's table or figure says it all).

    Parameters
    ----------
    result : ImplementationResult
    part : str
        One of :data:`PARTS`.
    language : {"en", "ru"}
    labels : dict, optional
        Attribute labels by key (``company.attribute_labels``).

    Returns
    -------
    str
        Markdown: one or a few sentences, or ``""``.
    """
    from orient._validate import check_choice
    from orient.i18n import check_language, translator

    part = check_choice(part, PARTS, "part")
    language = check_language(language)
    labels = labels or {}
    said = []
    notes = tuple(getattr(result, "notes", ()))
    if part == "priorities" and not any(n.key == "fallback_matrix" for n in notes):
        said.append(
            translator(language).pgettext(
                "implementation", "The priorities are those of the stage III strategic matrix."
            )
        )
    for n in notes:
        if NOTE_PARTS[n.key] == part:
            said.append(_note_text(n.key, n.fields, language, labels))
    reason = _empty_reason(result, part, language)
    if reason and not said:
        said.append(reason)
    return " ".join(said)


def design_text(
    construction: str, levels: dict, language: str = "en", *, features: dict | None = None
) -> str:
    """How a conjoint design was built (``design.attrs["construction"]``), in ``language``.

    >>> design_text("orthogonal array OA(9, 4, 3, 2) over GF(3), collapsed levels for b",
    ...             {"a": [1, 2, 3], "b": [1, 2], "c": [1, 2, 3], "d": [1, 2, 3]})
    'an orthogonal array OA(9, 4, 3, 2) out of the 54 combinations; some levels repeated to fill it: b'
    """
    import math
    import re

    from orient.i18n import format_number, translator

    t = translator(language)
    features = features or {}
    full = format_number(math.prod(len(v) for v in levels.values()), language, 0)
    m = re.match(
        r"orthogonal array OA\(([^)]*)\) over GF\((\d+)\)(?:, collapsed levels for "
        r"(.*))?$",
        str(construction or ""),
    )
    if not m:
        return t.pgettext("implementation", "all {full} combinations (full factorial)").format(
            full=full
        )
    out = t.pgettext(
        "implementation", "an orthogonal array OA({oa}) out of the {full} combinations"
    ).format(oa=m.group(1), full=full)
    if m.group(3):
        names = "; ".join(str(features.get(a, a)) for a in m.group(3).split(", "))
        out += t.pgettext("implementation", "; some levels repeated to fill it: {features}").format(
            features=names
        )
    return out


def count(n: Any, noun: str, language: str = "en") -> str:
    """``n`` and ``noun`` in the form the number asks for (``5 flags``, ``5 отметок``).

    ``noun`` is one of ``attribute``, ``characteristic``, ``pair``, ``flag``, ``action``,
    ``investment``, ``profile``, ``task``, ``offer``, ``year``; its forms come from the
    catalog (``one|other``; Russian ``one|few|many``).

    >>> count(1, "year"), count(3, "year")
    ('1 year', '3 years')
    """
    from orient.i18n import format_number, plural_word, translator

    t = translator(language)
    forms = {
        "attribute": lambda: t.pgettext("implementation", "attribute|attributes"),
        "characteristic": lambda: t.pgettext(
            "implementation", "technical characteristic|technical characteristics"
        ),
        "pair": lambda: t.pgettext("implementation", "pair|pairs"),
        "flag": lambda: t.pgettext("implementation", "flag|flags"),
        "action": lambda: t.pgettext("implementation", "action|actions"),
        "investment": lambda: t.pgettext("implementation", "investment|investments"),
        "profile": lambda: t.pgettext("implementation", "profile|profiles"),
        "task": lambda: t.pgettext("implementation", "choice task|choice tasks"),
        "offer": lambda: t.pgettext("implementation", "offer|offers"),
        "year": lambda: t.pgettext("implementation", "year|years"),
    }[noun]().split("|")
    return f"{format_number(n, language, 0)} {plural_word(n, *forms, language=language)}"


def flag_text(kind: str, language: str = "en", *, strongest: int = 0) -> str:
    """What a design flag of the house of quality (:func:`~orient.implementation.qfd_flags`)
    means, in ``language`` (an en dash for a kind it does not know)."""
    from orient.i18n import DASH, translator

    t = translator(language)
    if kind == "no_strong_relationship":
        return t.pgettext(
            "implementation",
            "No technical characteristic serves it strongly "
            "(the strongest link is {best}): a gap in the design.",
        ).format(best=strongest)
    if kind == "serves_nothing":
        return t.pgettext("implementation", "It serves no customer requirement.")
    if kind == "trade_off":
        return t.pgettext(
            "implementation",
            "Two important characteristics work against each "
            "other (a negative link in the roof): resolve the trade-off.",
        )
    return DASH


def rival(competitor: str | None, language: str = "en") -> str:
    """The main competitor's name, or words for it when it has none."""
    from orient.i18n import translator

    return competitor or translator(language).pgettext("implementation", "the main competitor")


def plan_text(result: Any, language: str = "en") -> str:
    """What the action plan section shows, from the plan itself: a plan of the actions
    company.yaml declares, or, without any, an illustrative what-if (never a plan). On a
    two-point overall the gains are in the share satisfied (percentage points)."""
    from orient.i18n import translator

    t = translator(language)
    share = bool(getattr(result, "share_outcome", False))
    plan = getattr(result, "plan", None)
    sources = plan["target_source"] if plan is not None and len(plan) else None
    declared = 0 if sources is None else int((sources == "company.yaml").sum())
    rival = sources is not None and bool((sources == "competitor").any())
    if declared == 0:
        return f"{_what_if_intro(t, rival, share)} {_what_if_model(t, share)}"
    text = _plan_intro(t, share)
    if declared < len(plan):
        text += " " + t.pgettext(
            "implementation",
            "Attributes without a declared action carry an illustrative target; their gains "
            "are not counted in the plan's total.",
        )
    return text


def _what_if_intro(t, rival: bool, share: bool) -> str:
    if rival and share:
        return t.pgettext(
            "implementation",
            "No action is declared in the company profile (company.yaml `actions`): what "
            "follows is an illustrative what-if, not a plan. For every attribute to "
            "improve, then every advantage to keep, it predicts the gain in the share of "
            "satisfied customers (percentage points) if the attribute's rating rose to the "
            "competitor's mean where that is higher, else by a tenth of its scale.",
        )
    if rival:
        return t.pgettext(
            "implementation",
            "No action is declared in the company profile (company.yaml `actions`): what "
            "follows is an illustrative what-if, not a plan. For every attribute to "
            "improve, then every advantage to keep, it predicts the gain in overall "
            "satisfaction if the attribute's rating rose to the competitor's mean where "
            "that is higher, else by a tenth of its scale.",
        )
    if share:
        return t.pgettext(
            "implementation",
            "No action is declared in the company profile (company.yaml `actions`): what "
            "follows is an illustrative what-if, not a plan. For every attribute to "
            "improve, then every advantage to keep, it predicts the gain in the share of "
            "satisfied customers (percentage points) if the attribute's rating rose by a "
            "tenth of its scale.",
        )
    return t.pgettext(
        "implementation",
        "No action is declared in the company profile (company.yaml `actions`): what "
        "follows is an illustrative what-if, not a plan. For every attribute to "
        "improve, then every advantage to keep, it predicts the gain in overall "
        "satisfaction if the attribute's rating rose by a tenth of its scale.",
    )


def _what_if_model(t, share: bool) -> str:
    if share:
        return t.pgettext(
            "implementation",
            "The prediction comes from a linear probability model (satisfied or not "
            "regressed on the attribute ratings); the interval reflects the uncertainty of "
            "the attribute's coefficient. None of these gains is counted as a gain of the "
            "plan.",
        )
    return t.pgettext(
        "implementation",
        "The prediction comes from a linear driver model (overall satisfaction regressed "
        "on the attribute ratings); the interval reflects the uncertainty of the "
        "attribute's coefficient. None of these gains is counted as a gain of the plan.",
    )


def _plan_intro(t, share: bool) -> str:
    if share:
        return t.pgettext(
            "implementation",
            "For every attribute to improve, then every advantage to keep: the owner, the "
            "operational KPI and its target, the deadline and the cost from the company "
            "profile, and the gain in the share of satisfied customers (percentage points) "
            "we predict if the attribute's rating reaches its target. The prediction comes "
            "from a linear probability model (satisfied or not regressed on the attribute "
            "ratings); the interval reflects the uncertainty of the attribute's "
            "coefficient. Actions are sorted by predicted gain per unit of cost.",
        )
    return t.pgettext(
        "implementation",
        "For every attribute to improve, then every advantage to keep: the owner, the "
        "operational KPI and its target, the deadline and the cost from the company "
        "profile, and the gain in overall satisfaction we predict if the attribute's "
        "rating reaches its target. The prediction comes from a linear driver model "
        "(overall satisfaction regressed on the attribute ratings); the interval reflects "
        "the uncertainty of the attribute's coefficient. Actions are sorted by predicted "
        "gain per unit of cost.",
    )


def has_declared_actions(result: Any) -> bool:
    """Whether the plan holds an action company.yaml declares with a target."""
    plan = getattr(result, "plan", None)
    return bool(plan is not None and len(plan) and (plan["target_source"] == "company.yaml").any())
