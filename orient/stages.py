"""The stage dependencies, wired once: what each stage's analysis starts from.

The customer-orientation model feeds stage III (analysis and priorities) into
stage I (goal conflicts with the strategic matrix) and stage IV (the action plan
and the house of quality start from the priorities). That rule lives here and
nowhere else: the executive summary (:func:`run`), the stage notebooks and the
widgets all call :func:`analyse`, so they agree on every number.

>>> DEPENDS["strategy"], DEPENDS["implementation"]
(('priorities',), ('priorities',))
"""

from __future__ import annotations

import importlib
import inspect
import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from orient import _memo
from orient.errors import OrientWarning

__all__ = [
    "DEPENDS",
    "NEEDS",
    "STAGES",
    "StageOutcome",
    "analyse",
    "missing_data",
    "run",
    "settings",
    "survey_counts",
    "upstream",
]

log = logging.getLogger("orient")

#: every stage and operations area, in report order
STAGES: tuple[str, ...] = (
    "strategy",
    "satisfaction",
    "priorities",
    "implementation",
    "service",
    "quality",
    "crm",
)

#: the stages each one starts from
DEPENDS: dict[str, tuple[str, ...]] = {
    "strategy": ("priorities",),
    "implementation": ("priorities",),
}

#: the data each stage cannot run without (stage IV needs stage III, which needs the
#: survey); the operations areas run on whichever of their tables exist
NEEDS: dict[str, tuple[str, ...]] = {
    "strategy": ("survey",),
    "satisfaction": ("survey",),
    "priorities": ("survey",),
    "implementation": ("survey",),
}


def missing_data(company: Any, stage: str) -> tuple[str, ...]:
    """The data of :data:`NEEDS` that ``stage`` lacks in ``company`` (empty: it can run).

    >>> class NoSurvey:
    ...     survey = None
    >>> missing_data(NoSurvey(), "priorities"), missing_data(NoSurvey(), "crm")
    (('survey',), ())
    """
    lacking = tuple(d for d in NEEDS.get(stage, ()) if getattr(company, d, None) is None)
    if lacking or stage not in NEEDS:
        return lacking
    thin = _thin_survey(company).get(stage)
    return (thin,) if thin else ()


def survey_counts(company: Any) -> dict[str, int]:
    """The survey's respondents, those who rated the overall and every attribute, the
    attributes, the model's need and ``min_base`` (empty without a survey): the numbers
    of the sentence saying a thin survey leaves stages out."""
    from orient.data.analysable import survey_base

    survey = getattr(company, "survey", None)
    if not hasattr(survey, "columns"):
        return {}
    keys = [a.key for a in getattr(company, "attributes", ())]
    base = survey_base(survey, keys)
    return {
        **base,
        "needed": base["drivers"] + 1,
        "min_base": int(getattr(company, "min_base", 30)),
    }


def _thin_survey(company: Any) -> dict[str, str]:
    """The stages a thin survey leaves out (:func:`orient.data.analysable.thin_survey`)."""
    from orient.data.analysable import thin_survey

    counts = survey_counts(company)
    return thin_survey(counts, counts["min_base"]) if counts else {}


#: how a dependent stage asks for stage III: no bootstrap (only the quadrants are used)
UPSTREAM_OPTIONS: dict[str, dict[str, Any]] = {"priorities": {"n_boot": 0}}


def _module(stage: str):
    """The stage's module: one of :data:`STAGES` (or another orient module with
    ``analyse``, e.g. a stage being developed)."""
    try:
        return importlib.import_module(f"orient.{stage}")
    except (ImportError, TypeError, ValueError):
        allowed = ", ".join(repr(s) for s in STAGES)
        raise ValueError(f"`stage` must be one of {allowed}; got {stage!r}.") from None


def settings(company: Any, stage: str) -> dict[str, Any]:
    """The options of ``stage`` set in company.yaml (``analysis:``; stage III only), e.g.
    ``{"method": "beta", "n_boot": 200}``; empty when none are set."""
    if stage != "priorities":
        return {}
    analysis = getattr(getattr(company, "profile", None), "analysis", None)
    return analysis.priorities_options() if analysis is not None else {}


@_memo.memoised
def _upstream_priorities(company: Any) -> Any:
    """Stage III as the dependent stages use it, or None when it cannot be computed."""
    options = {**settings(company, "priorities"), **UPSTREAM_OPTIONS["priorities"]}
    try:
        return _module("priorities").analyse(company, **options)
    except Exception as exc:  # the dependent stages then use their fallback, and say so
        warnings.warn(
            f"stage III priorities could not be computed ({exc}); stages I and IV "
            "fall back to a correlation-based matrix.",
            OrientWarning,
            stacklevel=2,
        )
        return None


def upstream(company: Any, stage: str) -> dict[str, Any]:
    """The keyword arguments ``stage``'s ``analyse`` takes from the stages it depends on."""
    _module(stage)
    if "priorities" in DEPENDS.get(stage, ()):
        return {"priorities": _upstream_priorities(company)}
    return {}


@_memo.memoised
def _analyse_plain(company: Any, stage: str, use_upstream: bool = True, options: tuple = ()) -> Any:
    kwargs = dict(options)
    if use_upstream:
        kwargs = {**upstream(company, stage), **kwargs}
    elif stage in DEPENDS:
        kwargs.setdefault("priorities", None)
    return _module(stage).analyse(company, **kwargs)


def _without_defaults(stage: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """``options`` less those that give the stage's ``analyse`` its own default (same type,
    same value): ``analyse(c, "strategy", on_track=0.9)`` is ``analyse(c, "strategy")``,
    one analysis, kept once (:mod:`orient._memo`) for the summary and the notebook."""
    try:
        params = inspect.signature(_module(stage).analyse).parameters
    except (TypeError, ValueError):  # no signature to read: every option counts
        return dict(options)
    out = {}
    for name, value in options.items():
        param = params.get(name)
        default = param.default if param is not None else inspect.Parameter.empty
        if (
            default is not inspect.Parameter.empty
            and param.kind is inspect.Parameter.KEYWORD_ONLY
            and type(value) is type(default)
            and _memo._plain(value)
            and value == default
        ):
            continue
        out[name] = value
    return out


def analyse(company: Any, stage: str, *, use_upstream: bool = True, **options: Any) -> Any:
    """``orient.<stage>.analyse(company, ...)`` with the stages it depends on resolved.

    Parameters
    ----------
    company : orient.Company
        A loaded company.
    stage : str
        One of :data:`STAGES`.
    use_upstream : bool, default True
        Give the stage the results of the stages it depends on (:data:`DEPENDS`);
        False runs it on its own fallback (e.g. stage IV without stage III).
    **options
        The stage's own options (e.g. ``n_boot=200`` for priorities); those not given
        come from company.yaml's ``analysis:`` (:func:`settings`), then the stage's defaults.

    Returns
    -------
    The stage's result object.
    """
    options = _without_defaults(stage, {**settings(company, stage), **options})
    plain = tuple(sorted(options.items()))
    if all(_memo._plain(v) for _, v in plain):
        return _analyse_plain(company, stage, use_upstream, plain)
    kwargs = {**(upstream(company, stage) if use_upstream else {}), **options}
    return _module(stage).analyse(company, **kwargs)


@dataclass
class StageOutcome:
    """One stage's outcome for the summary: ``status`` ok, absent, missing_data or error
    (``missing``: the data a ``missing_data`` stage lacks)."""

    status: str
    result: Any = None
    headline: dict | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    missing: tuple[str, ...] = ()


def _cautions(caught: Sequence[warnings.WarningMessage]) -> list[str]:
    """The OrientWarnings among ``caught`` as distinct messages, in order; any other
    warning (a library's) is raised again as it was."""
    messages: list[str] = []
    for w in caught:
        if issubclass(w.category, OrientWarning):
            text = str(w.message)
            if text not in messages:
                messages.append(text)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return messages


def run(
    company: Any,
    stages: Sequence[str] = STAGES,
    *,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, StageOutcome]:
    """Every stage of ``stages`` for one company: result, headline, cautions or error.

    A stage whose module has no ``analyse``/``headline`` is ``absent``; one whose data
    is not there (:func:`missing_data`) is ``missing_data``, not run; one that raises is
    ``error`` with the message, and the others go on.
    """
    options = options or {}
    out: dict[str, StageOutcome] = {}
    for name in stages:
        lacking = missing_data(company, name)
        if lacking:
            out[name] = StageOutcome("missing_data", missing=lacking)
            continue
        try:
            module = importlib.import_module(f"orient.{name}")
        except ImportError as exc:
            log.debug("orient.%s not importable: %s", name, exc)
            out[name] = StageOutcome("absent")
            continue
        headline = getattr(module, "headline", None)
        if not (callable(getattr(module, "analyse", None)) and callable(headline)):
            out[name] = StageOutcome("absent")
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = analyse(company, name, **dict(options.get(name, {})))
                head = headline(result)
        except Exception as exc:  # one stage's failure must not stop the others
            out[name] = StageOutcome("error", error=f"{type(exc).__name__}: {exc}")
            continue
        cautions = _cautions(caught)
        if not isinstance(head, Mapping):
            out[name] = StageOutcome(
                "error",
                result,
                None,
                warnings=cautions,
                error=f"headline() returned {type(head).__name__}, not a dict",
            )
            continue
        out[name] = StageOutcome("ok", result, dict(head), warnings=cautions)
    return out
