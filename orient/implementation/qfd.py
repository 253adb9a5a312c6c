"""The house of quality (quality function deployment).

:func:`house_of_quality` weighs the technical characteristics by the customer
requirements they serve (the 9/3/1 matrix); :func:`qfd_roof` reads the roof of
correlations; :func:`qfd_flags` lists design gaps; :func:`build_house` puts the whole
house (requirements with competitive gaps, characteristics with competitor benchmark and
targets, roof, flags) together as a :class:`HouseOfQuality`.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.errors import OrientWarning

__all__ = [
    "STRENGTHS",
    "ROOF_SYMBOLS",
    "HouseOfQuality",
    "house_of_quality",
    "qfd_flags",
    "qfd_roof",
    "build_house",
]

#: the relationship strengths a house of quality allows (none, weak, medium, strong)
STRENGTHS = (0, 1, 3, 9)
#: roof symbols and the numbers they stand for
ROOF_SYMBOLS = {"++": 2, "+": 1, "-": -1, "--": -2}


def _check_requirements(requirements: Any) -> pd.Series:
    if isinstance(requirements, Mapping):
        requirements = pd.Series(dict(requirements), dtype=float)
    if not isinstance(requirements, pd.Series):
        raise TypeError(
            "`requirements` must be a pandas Series of weights indexed by requirement; "
            f"got {type(requirements).__name__}."
        )
    if not pd.api.types.is_numeric_dtype(requirements):
        raise TypeError(f"`requirements` must be numeric; it has dtype {requirements.dtype}.")
    if requirements.index.has_duplicates:
        dup = requirements.index[requirements.index.duplicated()][0]
        raise ValueError(f"`requirements` names requirement {dup!r} more than once.")
    bad = ~np.isfinite(requirements.to_numpy(dtype=float)) | (requirements.to_numpy(float) < 0)
    if bad.any():
        name = requirements.index[np.flatnonzero(bad)[0]]
        raise ValueError(
            f"`requirements` weight of {name!r} is {requirements[name]!r}; "
            "weights must be finite and >= 0."
        )
    if float(requirements.sum()) <= 0:
        raise ValueError("`requirements` weights sum to 0; at least one must be > 0.")
    return requirements.astype(float)


def _check_relationships(
    relationships: Any,
    requirements: pd.Series,
    characteristics: Sequence[str] | None,
) -> pd.DataFrame:
    rel = check_dataframe(relationships, "relationships")
    if rel.columns.has_duplicates:
        dup = rel.columns[rel.columns.duplicated()][0]
        raise ValueError(f"`relationships` names characteristic {dup!r} more than once.")
    if rel.index.has_duplicates:
        dup = rel.index[rel.index.duplicated()][0]
        raise ValueError(f"`relationships` names requirement {dup!r} more than once.")
    unknown = [r for r in rel.index if r not in requirements.index]
    if unknown:
        raise ValueError(
            f"`relationships` names requirement {unknown[0]!r}, which is not among the "
            f"requirements ({', '.join(map(str, requirements.index))})."
        )
    if characteristics is not None:
        known = list(characteristics)
        extra = [c for c in rel.columns if c not in known]
        if extra:
            raise ValueError(
                f"`relationships` names characteristic {extra[0]!r}, which is not among "
                f"the technical characteristics ({', '.join(map(str, known))})."
            )
    values = rel.apply(pd.to_numeric, errors="coerce")
    for col in rel.columns:
        for req, raw, num in zip(rel.index, rel[col], values[col], strict=True):
            if pd.isna(raw):
                continue  # a blank cell is "no relationship"
            if pd.isna(num) or float(num) not in STRENGTHS:
                raise ValueError(
                    f"`relationships` strength of requirement {req!r} on characteristic "
                    f"{col!r} is {raw!r}; strengths must be one of 0, 1, 3, 9 "
                    "(none, weak, medium, strong)."
                )
    return values.fillna(0.0).reindex(requirements.index, fill_value=0.0).astype(float)


def house_of_quality(
    requirements: pd.Series,
    relationships: pd.DataFrame,
    *,
    characteristics: Sequence[str] | None = None,
    warn: bool = True,
) -> pd.DataFrame:
    """Technical importance of each characteristic in a house of quality.

    The importance of a technical characteristic is the sum, over the customer
    requirements, of the requirement's weight times the strength of its relationship to
    the characteristic (9 strong, 3 medium, 1 weak, 0 or blank none).

    Parameters
    ----------
    requirements : Series
        Weight of each customer requirement (e.g. stage III derived importance), >= 0.
    relationships : DataFrame
        Requirements (index) x technical characteristics (columns); entries 0, 1, 3 or
        9, blank (NaN) for none. Requirements absent from the index relate to nothing.
    characteristics : sequence of str, optional
        The known technical characteristics; a column not among them is an error, and
        one of them missing from ``relationships`` gets importance 0.
    warn : bool, default True
        Warn (:class:`~orient.OrientWarning`) about a requirement with no strong (9)
        relationship and a characteristic that serves no requirement; see
        :func:`qfd_flags`.

    Returns
    -------
    DataFrame
        Indexed by characteristic (in the order of ``relationships``' columns):

        - ``importance``: absolute technical importance, sum of weight x strength.
        - ``relative``: importance as a share of the total (sums to 1).
        - ``rank``: 1 for the most important (ties share the lower rank).

    Raises
    ------
    ValueError
        A strength other than 0/1/3/9, a requirement or characteristic name that is not
        known, a negative weight.

    Examples
    --------
    >>> import pandas as pd
    >>> req = pd.Series({"fast delivery": 0.6, "low price": 0.4})
    >>> rel = pd.DataFrame({"lead time": [9, 1], "unit cost": [0, 9]}, index=req.index)
    >>> house_of_quality(req, rel)["importance"].tolist()
    [5.8, 3.6]
    """
    req = _check_requirements(requirements)
    rel = _check_relationships(relationships, req, characteristics)
    if characteristics is not None:
        rel = rel.reindex(columns=list(characteristics), fill_value=0.0)
    importance = rel.mul(req, axis=0).sum(axis=0)
    total = float(importance.sum())
    out = pd.DataFrame(
        {
            "importance": importance.astype(float),
            "relative": importance / total if total > 0 else np.nan,
            "rank": importance.rank(ascending=False, method="min").astype(int),
        }
    )
    out.index.name = "characteristic"
    if warn:
        flags = qfd_flags(rel)
        for _, row in flags.iterrows():
            warnings.warn(f"House of quality: {row['message']}", OrientWarning, stacklevel=2)
    return out


def qfd_flags(
    relationships: pd.DataFrame,
    roof: pd.DataFrame | None = None,
    technical: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Design gaps in a house of quality.

    Parameters
    ----------
    relationships : DataFrame
        Requirements x characteristics, strengths 0/1/3/9 (blank = 0).
    roof : DataFrame, optional
        The roof from :func:`qfd_roof`; negative correlations between two characteristics
        in the top half of ``technical``'s ranks are flagged as trade-offs to resolve.
    technical : DataFrame, optional
        The result of :func:`house_of_quality` (needed with ``roof``).

    Returns
    -------
    DataFrame
        One row per flag, columns:

        - ``kind``: ``"no_strong_relationship"`` (a requirement no characteristic
          strongly serves: a gap in the design), ``"serves_nothing"`` (a characteristic
          with no relationship to any requirement) or ``"trade_off"`` (two important
          characteristics that work against each other in the roof).
        - ``name``: the requirement, characteristic or ``"a / b"`` pair.
        - ``message``: the flag in plain words.
    """
    rel = check_dataframe(relationships, "relationships").apply(pd.to_numeric).fillna(0.0)
    rows = []
    for req, vals in rel.iterrows():
        if not (vals == 9).any():
            best = vals.max()
            rows.append(
                {
                    "kind": "no_strong_relationship",
                    "name": req,
                    "message": f"requirement {req!r} has no strong (9) relationship to any "
                    f"technical characteristic (strongest: {int(best)}): a gap in the design.",
                }
            )
    for char in rel.columns:
        if not (rel[char] > 0).any():
            rows.append(
                {
                    "kind": "serves_nothing",
                    "name": char,
                    "message": f"characteristic {char!r} serves no customer requirement.",
                }
            )
    if roof is not None and technical is not None:
        top = set(technical.index[technical["rank"] <= max(1, math.ceil(len(technical) / 2))])
        for a, b in itertools.combinations(roof.index, 2):
            if a in top and b in top and roof.loc[a, b] < 0:
                rows.append(
                    {
                        "kind": "trade_off",
                        "name": f"{a} / {b}",
                        "message": f"important characteristics {a!r} and {b!r} work against "
                        "each other (negative roof correlation): resolve the trade-off.",
                    }
                )
    return pd.DataFrame(rows, columns=["kind", "name", "message"])


def qfd_roof(correlations: Any, characteristics: Sequence[str]) -> pd.DataFrame:
    """The roof of a house of quality: how technical characteristics affect each other.

    Parameters
    ----------
    correlations : DataFrame or sequence of (a, b, symbol)
        Pairs of characteristics with a symbol ``"++"`` (strong positive), ``"+"``,
        ``"-"`` or ``"--"`` (strong negative), or the numbers 2, 1, -1, -2. A DataFrame
        needs columns ``a``, ``b``, ``correlation``.
    characteristics : sequence of str
        The characteristics of the house (rows and columns of the roof).

    Returns
    -------
    DataFrame
        Symmetric characteristics x characteristics matrix of integers in -2..2
        (0 = no correlation, diagonal 0).
    """
    chars = list(characteristics)
    roof = pd.DataFrame(0, index=chars, columns=chars, dtype=int)
    roof.index.name = "characteristic"
    if correlations is None:
        return roof
    if isinstance(correlations, pd.DataFrame):
        check_columns(correlations, ["a", "b", "correlation"], "correlations")
        items = list(correlations[["a", "b", "correlation"]].itertuples(index=False))
    else:
        items = list(correlations)
    allowed = {**ROOF_SYMBOLS, **{v: v for v in ROOF_SYMBOLS.values()}}
    for item in items:
        if len(item) != 3:
            raise ValueError(f"`correlations` entries must be (a, b, symbol); got {item!r}.")
        a, b, sym = item
        for name in (a, b):
            if name not in chars:
                raise ValueError(
                    f"`correlations` names characteristic {name!r}, which is not among the "
                    f"technical characteristics ({', '.join(map(str, chars))})."
                )
        if a == b:
            raise ValueError(f"`correlations` relates characteristic {a!r} to itself.")
        key = sym.strip() if isinstance(sym, str) else sym
        if key not in allowed or isinstance(key, bool):
            raise ValueError(
                f"`correlations` symbol for {a!r} / {b!r} is {sym!r}; allowed: "
                "'++', '+', '-', '--' (or 2, 1, -1, -2)."
            )
        roof.loc[a, b] = roof.loc[b, a] = int(allowed[key])
    return roof


@dataclass(frozen=True)
class HouseOfQuality:
    """A whole house of quality.

    Attributes
    ----------
    requirements : DataFrame
        Indexed by requirement: ``weight``, ``relative_weight`` (sums to 1),
        ``performance``, ``competitor``, ``gap`` (performance - competitor; NaN where
        not given), ``strongest`` (strongest relationship, 0-9).
    relationships : DataFrame
        Requirements x characteristics, strengths 0/1/3/9.
    technical : DataFrame
        Indexed by characteristic: ``importance``, ``relative``, ``rank`` (as
        :func:`house_of_quality`) then ``unit``, ``direction``, ``current``,
        ``competitor``, ``target`` (NaN/None where not given), ``beats_competitor``
        (current better than competitor given the direction; None when unknown).
    roof : DataFrame
        Characteristics x characteristics, -2..2 (see :func:`qfd_roof`).
    flags : DataFrame
        Design gaps (see :func:`qfd_flags`).
    """

    requirements: pd.DataFrame
    relationships: pd.DataFrame
    technical: pd.DataFrame
    roof: pd.DataFrame
    flags: pd.DataFrame


def build_house(
    requirements: pd.Series,
    relationships: pd.DataFrame,
    *,
    characteristics: pd.DataFrame | None = None,
    correlations: Any = None,
    performance: pd.Series | None = None,
    competitor: pd.Series | None = None,
) -> HouseOfQuality:
    """Build the full house of quality: requirements, matrix, technical columns, roof.

    Parameters
    ----------
    requirements : Series
        Weight of each customer requirement (stage III derived importance).
    relationships : DataFrame
        Requirements x characteristics, strengths 0/1/3/9 (blank = 0).
    characteristics : DataFrame, optional
        Indexed by characteristic key, optional columns ``label``, ``unit``,
        ``direction`` (``"maximise"``, ``"minimise"`` or ``"target"``), ``current``,
        ``competitor``, ``target``. Its index is the list of known characteristics.
    correlations : see :func:`qfd_roof`
    performance, competitor : Series, optional
        Own and competitor mean rating of each requirement (the competitive benchmark
        on the customer side).

    Returns
    -------
    HouseOfQuality
    """
    req = _check_requirements(requirements)
    known = list(characteristics.index) if characteristics is not None else None
    technical = house_of_quality(req, relationships, characteristics=known, warn=False)
    rel = _check_relationships(relationships, req, known).reindex(
        columns=technical.index, fill_value=0.0
    )
    chars = list(technical.index)
    info = characteristics if characteristics is not None else pd.DataFrame(index=chars)
    info = info.reindex(chars)
    for col, default in (
        ("label", None),
        ("unit", None),
        ("direction", None),
        ("current", np.nan),
        ("competitor", np.nan),
        ("target", np.nan),
    ):
        technical[col] = info[col].to_numpy() if col in info.columns else default
    for col in ("current", "competitor", "target"):
        technical[col] = pd.to_numeric(technical[col], errors="coerce").astype(float)
    beats = []
    for _, row in technical.iterrows():
        cur, comp, d = row["current"], row["competitor"], row["direction"]
        if pd.isna(cur) or pd.isna(comp) or d not in ("maximise", "minimise", "target"):
            beats.append(None)
        elif d == "maximise":
            beats.append(bool(cur > comp))
        elif d == "minimise":
            beats.append(bool(cur < comp))
        else:
            tgt = row["target"]
            beats.append(None if pd.isna(tgt) else bool(abs(cur - tgt) < abs(comp - tgt)))
    technical["beats_competitor"] = pd.Series(beats, index=technical.index, dtype=object)
    reqs = pd.DataFrame({"weight": req, "relative_weight": req / req.sum()})
    reqs["performance"] = (
        performance.reindex(req.index).astype(float) if performance is not None else np.nan
    )
    reqs["competitor"] = (
        competitor.reindex(req.index).astype(float) if competitor is not None else np.nan
    )
    reqs["gap"] = reqs["performance"] - reqs["competitor"]
    reqs["strongest"] = rel.max(axis=1).astype(int) if len(chars) else 0
    reqs.index.name = "requirement"
    roof = qfd_roof(correlations, chars)
    flags = qfd_flags(rel, roof, technical)
    return HouseOfQuality(reqs, rel, technical, roof, flags)
