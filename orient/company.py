"""Shim: the company profile and :func:`load_company` moved to :mod:`orient.data`.

Kept so that ``orient.company.<name>`` (the notebooks call ``orient.company.overview``)
and ``from orient.company import ...`` keep working while the restructure is merged;
the lead removes it afterwards.
"""

from orient.data.company import (  # noqa: F401
    Company,
    _allowed_keys,
    _construct_mapping,
    _loc,
    _model_in,
    _SafeLoader,
    left_out_summary,
    load_company,
    load_profile,
    overview,
    slugify,
)
from orient.data.profile import (  # noqa: F401
    _KEY,
    _SLUG,
    PROFILE_FILE,
    ActionItem,
    ActionsSpec,
    AttributeSpec,
    Characteristic,
    ChoiceTask,
    CompanyProfile,
    ConjointSpec,
    CRMSpec,
    Goal,
    InvestmentItem,
    InvestmentsSpec,
    Level,
    LoyaltySpec,
    QFDSpec,
    QualitySpec,
    ReadOptions,
    Reporting,
    Scale,
    SegmentSpec,
    ServiceSpec,
    SurveySpec,
    TableRef,
    Tables,
    TechnicalCharacteristic,
    _Model,
)
from orient.data.profile import check_file_in as _check_file_in  # noqa: F401
from orient.data.survey import NO_SEGMENT, Attribute, _natural  # noqa: F401
from orient.data.survey import read_survey as _read_survey  # noqa: F401

__all__ = [
    "Company",
    "CompanyProfile",
    "Attribute",
    "PROFILE_FILE",
    "left_out_summary",
    "load_company",
    "load_profile",
    "overview",
]
