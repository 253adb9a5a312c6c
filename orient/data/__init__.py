"""Company data: readers, the ``company.yaml`` schema and :func:`load_company`.

Modules
-------
read     : read_table (CSV/XLSX, detecting encoding, separator, decimal mark), clean_text
ratings  : text labels -> numbers (to_ratings, the built-in 5-point label maps)
tables   : the optional operational tables (TABLES, read_operational_table, read_tables)
profile  : the pydantic models of company.yaml (CompanyProfile and its sections)
survey   : the survey read by the codebook into a tidy frame (read_survey, Attribute)
company  : Company, load_company, load_profile, slugify, overview, left_out_summary
"""

from orient.data.company import (
    Company,
    left_out_summary,
    load_company,
    load_profile,
    overview,
    slugify,
)
from orient.data.profile import PROFILE_FILE, CompanyProfile
from orient.data.ratings import BUILTIN_LABELS, MISSING_TOKENS, normalise_label, to_ratings
from orient.data.read import ReadInfo, clean_text, read_table
from orient.data.survey import NO_SEGMENT, Attribute, read_survey
from orient.data.tables import TABLES, TableSpec, read_operational_table, read_tables

__all__ = [
    "BUILTIN_LABELS",
    "MISSING_TOKENS",
    "NO_SEGMENT",
    "PROFILE_FILE",
    "TABLES",
    "Attribute",
    "Company",
    "CompanyProfile",
    "ReadInfo",
    "TableSpec",
    "clean_text",
    "left_out_summary",
    "load_company",
    "load_profile",
    "normalise_label",
    "overview",
    "read_operational_table",
    "read_survey",
    "read_table",
    "read_tables",
    "slugify",
    "to_ratings",
]
