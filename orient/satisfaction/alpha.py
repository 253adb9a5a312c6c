"""Reliability of multi-item scales: Cronbach's alpha and the item table.

(Named ``alpha`` rather than ``reliability`` so that the module is not shadowed by the
function :func:`reliability` that the package re-exports under the same name.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.satisfaction._checks import _check_items

__all__ = ["construct_reliability", "cronbach_alpha", "reliability"]


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a multi-item scale.

    ``alpha = k / (k - 1) * (1 - sum(item variances) / variance(total))`` on the
    respondents who answered every item (listwise).

    Parameters
    ----------
    items : DataFrame
        One numeric column per item, at least two items.

    Returns
    -------
    float
        Alpha (at most 1; it can be negative for items that do not hang together).

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> round(cronbach_alpha(items), 4)
    0.9333
    """
    items = _check_items(items, min_items=2)
    x = items.dropna()
    if len(x) < 2:
        raise ValueError(
            f"`items` needs at least 2 respondents who answered every item; got {len(x)}."
        )
    k = x.shape[1]
    item_var = x.var(ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0:
        raise ValueError("`items` total score has zero variance: alpha is undefined.")
    return float(k / (k - 1) * (1 - item_var / total_var))


def reliability(
    data: pd.DataFrame, scales: Mapping[str, Sequence[str]], threshold: float = 0.7
) -> pd.DataFrame:
    """Reliability table of multi-item scales.

    Parameters
    ----------
    data : DataFrame
    scales : mapping scale name -> list of item columns (two or more each)
    threshold : float, default 0.7
        Scales whose alpha is below this are flagged.

    Returns
    -------
    DataFrame
        One row per scale and item, columns: ``scale``, ``item``, ``n`` (respondents
        who answered every item of the scale), ``alpha`` (the scale's alpha),
        ``alpha_if_deleted`` (alpha of the scale without this item; NaN for a
        two-item scale), ``item_total_r`` (corrected item-total correlation: the item
        against the sum of the other items), ``flag`` (True where ``alpha`` <
        ``threshold``).
    """
    data = check_dataframe(data)
    rows = []
    for name, cols in scales.items():
        cols = list(cols)
        check_columns(data, cols)
        items = _check_items(data[cols], f"scales[{name!r}]", min_items=2)
        alpha = cronbach_alpha(items)
        x = items.dropna()
        for c in cols:
            rest = [o for o in cols if o != c]
            aid = cronbach_alpha(x[rest]) if len(rest) >= 2 else float("nan")
            r = float(np.corrcoef(x[c], x[rest].sum(axis=1))[0, 1])
            rows.append(
                {
                    "scale": name,
                    "item": c,
                    "n": len(x),
                    "alpha": alpha,
                    "alpha_if_deleted": aid,
                    "item_total_r": r,
                    "flag": bool(alpha < threshold),
                }
            )
    return pd.DataFrame(
        rows, columns=["scale", "item", "n", "alpha", "alpha_if_deleted", "item_total_r", "flag"]
    )


def construct_reliability(data: pd.DataFrame, scales: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Reliability of each multi-item construct: Cronbach's alpha, composite reliability
    and average variance extracted (AVE).

    The loadings are those of the first principal component of the items' correlation
    matrix (listwise complete rows), signed so that most are positive:
    ``CR = (sum l)^2 / ((sum l)^2 + sum(1 - l^2))`` and ``AVE = mean(l^2)`` (which is the
    first eigenvalue over the number of items). 0.7 (CR) and 0.5 (AVE) are the usual bars.

    Parameters
    ----------
    data : DataFrame
    scales : mapping construct name -> item columns (two or more each)

    Returns
    -------
    DataFrame
        One row per construct: ``scale``, ``items`` (count), ``n`` (complete rows),
        ``alpha``, ``composite_reliability``, ``ave``.

    Examples
    --------
    >>> d = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [1, 3, 2, 4, 5], "c": [2, 2, 3, 5, 4]})
    >>> r = construct_reliability(d, {"q": ["a", "b", "c"]})
    >>> [round(float(v), 3) for v in r.loc[0, ["alpha", "composite_reliability", "ave"]]]
    [0.932, 0.958, 0.884]
    """
    data = check_dataframe(data)
    rows = []
    for name, cols in scales.items():
        cols = list(cols)
        check_columns(data, cols)
        items = _check_items(data[cols], f"scales[{name!r}]", min_items=2)
        x = items.dropna()
        alpha = cronbach_alpha(items)
        corr = np.corrcoef(x.to_numpy(dtype=float), rowvar=False)
        values, vectors = np.linalg.eigh(corr)
        load = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        if (load < 0).sum() > len(load) / 2:
            load = -load
        total = load.sum() ** 2
        rows.append(
            {
                "scale": name,
                "items": len(cols),
                "n": len(x),
                "alpha": alpha,
                "composite_reliability": float(total / (total + (1 - load**2).sum())),
                "ave": float((load**2).mean()),
            }
        )
    return pd.DataFrame(
        rows, columns=["scale", "items", "n", "alpha", "composite_reliability", "ave"]
    )
