"""Stage IV: implementation. Priorities become changes in products and processes.

Five tools, each a pure function on DataFrames, and :func:`analyse` that runs them on a
company. The modules:

* :mod:`~orient.implementation.qfd` -- the house of quality: :func:`house_of_quality`,
  :func:`qfd_roof`, :func:`qfd_flags`, :func:`build_house` (:class:`HouseOfQuality`).
* :mod:`~orient.implementation.actions` -- :func:`driver_model`, :func:`what_if`,
  :func:`action_plan` and :func:`improvement_loop` (which attributes changed quadrant
  between two waves and which stage each change sends the reader back to).
* :mod:`~orient.implementation.finance` -- :func:`payback_months` (the one payback
  definition) and :func:`appraise` (payback months, ROI, NPV, IRR).
* :mod:`~orient.implementation.designs` -- conjoint designs: :func:`full_factorial`,
  :func:`fractional_factorial`, :func:`effects_code`, :func:`design_orthogonality`.
* :mod:`~orient.implementation.conjoint` -- :func:`ratings_conjoint` (per-respondent
  OLS, effects coding) and :func:`choice_conjoint` (conditional logit through
  statsmodels, with willingness to pay), returning a :class:`ConjointResult`.
* :mod:`~orient.implementation.market` -- :func:`simulate_market` (first-choice and
  logit share of preference) and :func:`conjoint_responses` (a study's responses).
* :mod:`~orient.implementation.stage` -- :func:`analyse` on a company,
  :class:`ImplementationResult` and :func:`headline`.
* :mod:`~orient.implementation.narrative` -- the notes :func:`analyse` writes, and
  :func:`section_text`: what a reader should know about each part, in the report's language.
* :mod:`~orient.implementation.display` -- :func:`display_table`: each part as a reader sees
  it (an :class:`orient.present.tables.Table` in the report's language).
"""

from orient.implementation.actions import action_plan, driver_model, improvement_loop, what_if
from orient.implementation.conjoint import ConjointResult, choice_conjoint, ratings_conjoint
from orient.implementation.designs import (
    design_orthogonality,
    effects_code,
    fractional_factorial,
    full_factorial,
)
from orient.implementation.display import TABLES, display_table
from orient.implementation.finance import appraise, payback_months
from orient.implementation.market import conjoint_responses, simulate_market
from orient.implementation.narrative import has_declared_actions, plan_text, section_text
from orient.implementation.qfd import (
    ROOF_SYMBOLS,
    STRENGTHS,
    HouseOfQuality,
    build_house,
    house_of_quality,
    qfd_flags,
    qfd_roof,
)
from orient.implementation.stage import ImplementationResult, analyse, headline

__all__ = [
    "HouseOfQuality",
    "ConjointResult",
    "ImplementationResult",
    "STRENGTHS",
    "ROOF_SYMBOLS",
    "house_of_quality",
    "qfd_roof",
    "qfd_flags",
    "build_house",
    "driver_model",
    "what_if",
    "action_plan",
    "full_factorial",
    "fractional_factorial",
    "design_orthogonality",
    "effects_code",
    "ratings_conjoint",
    "choice_conjoint",
    "simulate_market",
    "conjoint_responses",
    "payback_months",
    "appraise",
    "improvement_loop",
    "analyse",
    "headline",
    "TABLES",
    "display_table",
    "section_text",
    "plan_text",
    "has_declared_actions",
]
