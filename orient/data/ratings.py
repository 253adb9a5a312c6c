"""Text labels to numbers: ratings as real exports write them.

A rating column may hold numbers or text labels ("Strongly agree", "Полностью
согласен"); "don't know", "N/A" and blanks become missing. :func:`to_ratings` maps one
column through the codebook's labels and the built-in 5-point maps, checks the scale and
flips reverse-coded items; every problem is a :class:`~orient.errors.DataError` naming
the file, the column and the first offending row.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from orient.errors import DataError

__all__ = ["BUILTIN_LABELS", "MISSING_TOKENS", "normalise_label", "to_ratings"]

#: text that means "no answer" in a rating column (compared after normalise_label)
MISSING_TOKENS = frozenset(
    {
        "",
        "-",
        "na",
        "n/a",
        "n.a.",
        "nan",
        "none",
        "null",
        "dk",
        "don't know",
        "dont know",
        "do not know",
        "not applicable",
        "no answer",
        "prefer not to say",
        "refused",
        "не знаю",
        "затрудняюсь ответить",
        "затрудняюсь",
        "нет ответа",
        "не применимо",
        "н/д",
    }
)

#: built-in 5-point label maps (agreement and satisfaction, English and Russian)
BUILTIN_LABELS: dict[str, int] = {
    # agreement, English
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
    # satisfaction, English
    "very dissatisfied": 1,
    "dissatisfied": 2,
    "neither satisfied nor dissatisfied": 3,
    "satisfied": 4,
    "very satisfied": 5,
    # quality, English
    "very poor": 1,
    "poor": 2,
    "fair": 3,
    "good": 4,
    "very good": 5,
    "excellent": 5,
    # agreement, Russian
    "полностью не согласен": 1,
    "совершенно не согласен": 1,
    "не согласен": 2,
    "скорее не согласен": 2,
    "ни да, ни нет": 3,
    "и да, и нет": 3,
    "нейтрально": 3,
    "скорее согласен": 4,
    "согласен": 4,
    "полностью согласен": 5,
    "совершенно согласен": 5,
    # satisfaction, Russian
    "совершенно не удовлетворен": 1,
    "полностью не удовлетворен": 1,
    "очень недоволен": 1,
    "не удовлетворен": 2,
    "скорее не удовлетворен": 2,
    "недоволен": 2,
    "нейтрален": 3,
    "скорее удовлетворен": 4,
    "удовлетворен": 4,
    "доволен": 4,
    "полностью удовлетворен": 5,
    "очень доволен": 5,
    # quality, Russian
    "очень плохо": 1,
    "плохо": 2,
    "удовлетворительно": 3,
    "хорошо": 4,
    "отлично": 5,
}

_SPACES = re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Lower-case, trim, fold whitespace, ``ё`` -> ``е``, curly -> straight quotes.

    Examples
    --------
    >>> normalise_label("  Strongly   AGREE ")
    'strongly agree'
    """
    t = str(text).strip().lower().replace("ё", "е").replace("\u2019", "'").replace("\u00a0", " ")
    return _SPACES.sub(" ", t)


def to_ratings(
    values: pd.Series,
    *,
    file: str,
    column: str,
    scale_min: float,
    scale_max: float,
    labels: dict[str, float] | None = None,
    missing_codes: tuple = (),
    decimal: str = ".",
    reverse: bool = False,
    builtin_labels: bool = True,
) -> pd.Series:
    """Convert one column of an export to numeric ratings on ``[scale_min, scale_max]``.

    Numbers are kept; text is mapped through ``labels`` (the codebook), then the
    built-in 5-point maps (when the scale is 1-5); "don't know"-style answers, blanks
    and ``missing_codes`` become NaN. A value that is none of these, or a number outside
    the scale, is a :class:`DataError`. Reverse-coded items are flipped
    (``min + max - x``) after the check.

    Returns
    -------
    pandas.Series of float64 (NaN for missing), same index as ``values``.

    Examples
    --------
    >>> import pandas as pd
    >>> answers = pd.Series(["Agree", "5", "Don't know", None])
    >>> to_ratings(answers, file="survey.csv", column="q1", scale_min=1, scale_max=5).tolist()
    [4.0, 5.0, nan, nan]
    """
    expected = f"a number from {_fmt(scale_min)} to {_fmt(scale_max)}"
    if labels:
        expected += " or a label in the codebook (" + ", ".join(map(repr, labels)) + ")"
    s = values
    if pd.api.types.is_bool_dtype(s):
        raise DataError(
            "a rating column holds true/false values",
            file=file,
            column=column,
            row=2,
            value=s.iloc[0],
            expected=expected,
        )
    codes_missing = [float(c) for c in missing_codes if _is_number(c)]
    if pd.api.types.is_numeric_dtype(s):
        out = s.astype("float64")
        if codes_missing:
            out = out.mask(out.isin(codes_missing))
    else:
        # map each distinct answer once (a rating column has a handful), then spread back
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        mapping: dict[str, float] = {}
        if builtin_labels and scale_min == 1 and scale_max == 5:
            mapping.update(BUILTIN_LABELS)
        if labels:
            mapping.update({normalise_label(k): float(v) for k, v in labels.items()})
        text_missing = {normalise_label(str(c)) for c in missing_codes}
        u_val = np.full(len(uniques), np.nan)
        u_bad = np.zeros(len(uniques), dtype=bool)
        for i, u in enumerate(np.asarray(uniques, dtype=object)):
            if isinstance(u, (int, float, np.integer, np.floating)) and not isinstance(u, bool):
                u_val[i] = np.nan if float(u) in codes_missing else float(u)
                continue
            norm = normalise_label(u)
            if norm in MISSING_TOKENS or norm in text_missing:
                continue
            if norm in mapping:
                u_val[i] = mapping[norm]
                continue
            try:
                num = float(norm.replace(",", ".") if decimal == "," else norm)
            except ValueError:
                u_bad[i] = True
                continue
            u_val[i] = np.nan if num in codes_missing else num
        if u_bad.any():
            rows = np.flatnonzero((codes >= 0) & u_bad[np.maximum(codes, 0)])
            i = int(rows[0])
            raise DataError(
                "text that is not a rating",
                file=file,
                column=column,
                row=i + 2,
                value=str(s.iloc[i]),
                expected=expected
                + (" or a built-in 5-point label" if scale_min == 1 and scale_max == 5 else "")
                + ' ("don\'t know", "N/A" and blanks count as missing)',
            )
        out = pd.Series(
            np.where(codes >= 0, u_val[np.maximum(codes, 0)], np.nan),
            index=s.index,
            dtype="float64",
        )
    arr = out.to_numpy()
    outside = ~np.isnan(arr) & ((arr < scale_min) | (arr > scale_max))
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise DataError(
            "rating outside the scale",
            file=file,
            column=column,
            row=i + 2,
            value=values.iloc[i],
            expected=expected + " (the scale ends in company.yaml)",
        )
    if reverse:
        out = scale_min + scale_max - out
    return out


def _is_number(x) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
