"""Shim: the readers moved to :mod:`orient.data` (read, ratings, tables).

Kept so that ``orient.io.<name>`` keeps working while the restructure is merged;
the lead removes it afterwards.
"""

from orient.data.ratings import (  # noqa: F401
    _SPACES,
    BUILTIN_LABELS,
    MISSING_TOKENS,
    _fmt,
    _is_number,
    normalise_label,
    to_ratings,
)
from orient.data.read import (  # noqa: F401
    _DEC_COMMA,
    ReadInfo,
    _detect_decimal,
    _detect_encoding,
    _detect_sep,
    _text,
    clean_text,
    read_table,
)
from orient.data.tables import (  # noqa: F401
    _FLAG,
    TABLES,
    TableSpec,
    _convert,
    read_operational_table,
)

__all__ = [
    "MISSING_TOKENS",
    "BUILTIN_LABELS",
    "ReadInfo",
    "TableSpec",
    "TABLES",
    "read_table",
    "to_ratings",
    "clean_text",
    "normalise_label",
    "read_operational_table",
]
