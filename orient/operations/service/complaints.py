"""Complaint status fields: how the company answered, on time or not, and disputes.

A complaints register (the US CFPB's is the model) records for each complaint the
company's ``response`` ("Closed with explanation", "Closed with monetary relief"...),
whether it was ``timely`` and whether the consumer ``disputed`` it. Mapped onto the
claims table (``tables.claims.columns``), :func:`status_shares` gives the share of each,
with Wilson intervals, over the complaints where the field is filled in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orient._validate import check_confidence, check_dataframe
from orient.stats import wilson_interval

__all__ = ["STATUS_COLUMNS", "status_shares"]

#: the optional status columns of the claims table: flags (yes/no) and the response text
STATUS_COLUMNS = ("timely", "disputed", "response")


def _row(field: str, value: str, count: int, n: int, confidence: float) -> dict:
    share = count / n if n else np.nan
    lo, hi = wilson_interval(share, n, confidence) if n else (np.nan, np.nan)
    return {
        "field": field,
        "value": value,
        "count": int(count),
        "n": int(n),
        "share": share,
        "ci_low": lo,
        "ci_high": hi,
    }


def status_shares(claims: pd.DataFrame, *, confidence: float = 0.95) -> pd.DataFrame | None:
    """Shares of the status fields present, over the complaints that record them.

    Parameters
    ----------
    claims : DataFrame
        The claims table; uses whichever of ``timely``, ``disputed`` (1/0, blank when
        not recorded) and ``response`` (text) it has.
    confidence : float
        Level of the Wilson intervals.

    Returns
    -------
    DataFrame or None
        None when the table has none of the fields. Else one row for ``timely`` (value
        ``yes``), one for ``disputed`` (``yes``) and one per ``response`` value, most
        frequent first: ``field``, ``value``, ``count``, ``n`` (complaints with the field
        filled in), ``share`` (count / n), ``ci_low``, ``ci_high``. ``attrs["blank"]``
        counts the complaints without the field, per field.

    Examples
    --------
    >>> t = pd.DataFrame({"timely": [1.0, 1.0, 0.0, np.nan]})
    >>> status_shares(t)[["field", "value", "count", "n"]].to_dict("records")
    [{'field': 'timely', 'value': 'yes', 'count': 2, 'n': 3}]
    """
    claims = check_dataframe(claims, "claims")
    confidence = check_confidence(confidence)
    present = [c for c in STATUS_COLUMNS if c in claims.columns]
    if not present:
        return None
    rows, blank = [], {}
    for field in ("timely", "disputed"):
        if field in claims.columns:
            x = pd.to_numeric(claims[field], errors="coerce")
            blank[field] = int(x.isna().sum())
            rows.append(_row(field, "yes", int((x == 1).sum()), int(x.notna().sum()), confidence))
    if "response" in claims.columns:
        text = claims["response"].astype("string").str.strip()
        filled = text[text.notna() & (text != "")]
        blank["response"] = int(len(text) - len(filled))
        counts = filled.value_counts()
        order = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
        rows += [_row("response", str(v), c, len(filled), confidence) for v, c in order]
    out = pd.DataFrame(rows, columns=["field", "value", "count", "n", "share", "ci_low", "ci_high"])
    out.attrs["blank"] = blank
    return out
