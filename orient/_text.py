"""Former home of the texts; they live in :mod:`orient.i18n` now (names kept for callers)."""

from orient.i18n import (  # noqa: F401
    LANGUAGES,
    check_language,
    company_language,
    format_number,
    plural,
    plural_word,
    sentence,
    term,
    texts,
)
from orient.i18n.sentences import _env, _template  # noqa: F401
