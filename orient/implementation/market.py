"""Conjoint studies in use: the market simulator and a study's responses.

:func:`simulate_market` (first-choice and logit share of preference of product
scenarios) and :func:`conjoint_responses` (the long-format responses of a study given
in company.yaml's ``conjoint`` section).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe

__all__ = ["simulate_market", "conjoint_responses"]


def simulate_market(
    partworths: pd.DataFrame,
    scenarios: pd.DataFrame,
    *,
    respondent: str = "respondent_id",
    scale: float = 1.0,
    none_utility: float | None = None,
) -> pd.DataFrame:
    """Market simulator: share of preference of product scenarios.

    The utility of a product is the sum of its levels' part-worths. Logit share of
    preference is ``exp(scale x U) / sum exp(scale x U)``; first-choice share is the
    share of respondents for whom the product has the highest utility (ties split).
    With individual part-worths (a ``respondent`` column) both are averaged over
    respondents; with pooled part-worths the first-choice share puts everyone on the
    best product. A numeric level between two studied levels is interpolated linearly.

    Parameters
    ----------
    partworths : DataFrame
        ``attribute``, ``level``, ``estimate`` (and ``respondent`` for individual ones):
        ``ConjointResult.individual`` or ``ConjointResult.partworths``.
    scenarios : DataFrame
        One row per product (index: product name), one column per attribute (level).
    respondent : str
        Column of respondent ids in ``partworths``, if present.
    scale : float, default 1
        Logit scale (exponent); larger is closer to first choice.
    none_utility : float, optional
        Utility of a "buy none" option, added as product ``"none"``.

    Returns
    -------
    DataFrame
        Indexed by product: ``utility`` (mean over respondents), ``share_logit``,
        ``share_first_choice`` (each sums to 1).
    """
    check_dataframe(partworths, "partworths")
    check_columns(partworths, ["attribute", "level", "estimate"], "partworths")
    check_dataframe(scenarios, "scenarios")
    attrs = list(pd.unique(partworths["attribute"]))
    missing = [a for a in attrs if a not in scenarios.columns]
    if missing:
        raise ValueError(f"`scenarios` has no column for attribute {missing[0]!r}.")
    extra = [c for c in scenarios.columns if c not in attrs]
    if extra:
        raise ValueError(
            f"`scenarios` column {extra[0]!r} is not a conjoint attribute "
            f"({', '.join(map(str, attrs))})."
        )
    individual = respondent in partworths.columns
    pw = partworths if individual else partworths.assign(**{respondent: 0})
    ids = list(pd.unique(pw[respondent]))
    U = np.zeros((len(ids), len(scenarios)))
    for attr in attrs:
        sub = pw[pw["attribute"] == attr]
        wide = sub.pivot_table(
            index=respondent, columns="level", values="estimate", aggfunc="first", sort=False
        ).reindex(ids)
        for k, (prod, lv) in enumerate(scenarios[attr].items()):
            if lv in wide.columns:
                U[:, k] += wide[lv].to_numpy(dtype=float)
                continue
            try:
                xs = np.asarray(wide.columns, dtype=float)
                x = float(lv)
            except (TypeError, ValueError):
                xs, x = None, None
            if xs is None or not xs.min() <= x <= xs.max():
                raise ValueError(
                    f"`scenarios` gives product {prod!r} level {lv!r} of {attr!r}, which "
                    f"was not studied ({', '.join(map(str, wide.columns))})."
                )
            o = np.argsort(xs)
            vals = wide.to_numpy(dtype=float)[:, o]
            U[:, k] += np.array([np.interp(x, xs[o], v) for v in vals])
    names = list(scenarios.index)
    if none_utility is not None:
        U = np.column_stack([U, np.full(len(ids), float(none_utility))])
        names.append("none")
    z = scale * U
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(axis=1, keepdims=True)
    best = np.isclose(U, U.max(axis=1, keepdims=True), rtol=0, atol=1e-12)
    fc = best / best.sum(axis=1, keepdims=True)
    out = pd.DataFrame(
        {
            "utility": U.mean(axis=0),
            "share_logit": p.mean(axis=0),
            "share_first_choice": fc.mean(axis=0),
        },
        index=pd.Index(names, name="product"),
    )
    return out


def conjoint_responses(study: Any) -> pd.DataFrame:
    """Long-format responses of a conjoint study given in company.yaml.

    Parameters
    ----------
    study : ConjointSpec or dict
        company.yaml's ``conjoint`` section: ``kind="ratings"`` with ``profiles`` and
        ``ratings`` (respondent -> one rating per profile, optional ``segments``), or
        ``kind="choice"`` with ``tasks`` (alternatives and how many respondents chose
        each; every choice becomes one choice set).

    Returns
    -------
    DataFrame
        Ratings: ``respondent_id``, ``segment`` (when given), the attribute columns,
        ``rating``. Choice: ``respondent_id``, ``task``, ``alternative``, the attribute
        columns, ``chosen`` (0/1, one per respondent and task).
    """
    if hasattr(study, "model_dump"):
        study = study.model_dump()
    attrs = list(study["attributes"])
    if study.get("kind", "choice") == "ratings":
        profiles = study.get("profiles") or []
        ratings = study.get("ratings") or {}
        if not profiles or not ratings:
            raise ValueError("A ratings conjoint study needs `profiles` and `ratings`.")
        segs = study.get("segments") or {}
        rows = []
        for rid, vals in ratings.items():
            if len(vals) != len(profiles):
                raise ValueError(
                    f"Respondent {rid!r} has {len(vals)} ratings for {len(profiles)} profiles."
                )
            for prof, val in zip(profiles, vals, strict=True):
                row = {"respondent_id": rid}
                if segs:
                    row["segment"] = segs.get(rid)
                row.update({a: prof[a] for a in attrs})
                row["rating"] = val
                rows.append(row)
        return pd.DataFrame(rows)
    tasks = study.get("tasks") or []
    if not tasks:
        raise ValueError("A choice conjoint study needs `tasks` (or a responses `file`).")
    rows = []
    rid = 0
    for t, task in enumerate(tasks, start=1):
        alts = task["alternatives"]
        for k, count in enumerate(task["chosen"]):
            for _ in range(int(count)):
                rid += 1
                for j, alt in enumerate(alts):
                    rows.append(
                        {
                            "respondent_id": rid,
                            "task": t,
                            "alternative": j + 1,
                            **{a: alt[a] for a in attrs},
                            "chosen": int(j == k),
                        }
                    )
    return pd.DataFrame(rows)
