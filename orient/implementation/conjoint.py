"""Conjoint estimation: ratings-based and choice-based part-worths.

:func:`ratings_conjoint` (per-respondent OLS, effects coding) and
:func:`choice_conjoint` (conditional logit through statsmodels, with willingness to
pay), both returning a :class:`ConjointResult`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from orient._validate import (
    check_choice,
    check_columns,
    check_confidence,
    check_dataframe,
    check_numeric_columns,
)
from orient.errors import OrientWarning
from orient.implementation.designs import _check_levels, effects_code

__all__ = ["ConjointResult", "ratings_conjoint", "choice_conjoint"]


def _check_shown(data: pd.DataFrame, levels: dict[str, list], name: str) -> None:
    """Every level shown at least once, nothing shown that is not a level."""
    check_columns(data, list(levels), name)
    for attr, lv in levels.items():
        shown = set(pd.unique(data[attr].dropna()))
        extra = [v for v in shown if v not in lv]
        if extra:
            raise ValueError(
                f"`{name}` column {attr!r} holds level {extra[0]!r}, which is not among its "
                f"levels ({', '.join(map(str, lv))})."
            )
        never = [v for v in lv if v not in shown]
        if never:
            raise ValueError(
                f"Level {never[0]!r} of attribute {attr!r} is never shown in `{name}`: its "
                "part-worth cannot be estimated. Show every level at least once, or drop it "
                "from the levels."
            )
        if data[attr].isna().any():
            row = int(np.flatnonzero(data[attr].isna().to_numpy())[0])
            raise ValueError(f"`{name}` column {attr!r} is blank at row position {row}.")


def _level_table(levels: dict[str, list]) -> list[tuple[str, Any]]:
    return [(a, lv) for a, lvs in levels.items() for lv in lvs]


def _importance_pct(pw: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Attribute importance % = range of part-worths / sum of ranges x 100."""
    rng = pw.groupby([*by, "attribute"], sort=False)["estimate"].agg(lambda s: s.max() - s.min())
    rng = rng.rename("range").reset_index()
    if by:
        tot = rng.groupby(by)["range"].transform("sum")
    else:
        tot = rng["range"].sum()
    rng["importance"] = 100 * rng["range"] / tot
    return rng


# ---------------------------------------------------------------------------------
# conjoint analysis: estimation and simulation
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConjointResult:
    """Conjoint estimates.

    Attributes
    ----------
    kind : str
        ``"ratings"`` or ``"choice"``.
    partworths : DataFrame
        Pooled part-worths, one row per attribute level: ``attribute``, ``level``,
        ``estimate``, ``std_error``, ``ci_low``, ``ci_high``, ``n``. For ratings these are
        the means of the respondents' part-worths (interval across respondents); for
        choice, the logit estimates (a linear price shows one row per study price,
        ``beta x (price - mean price)``).
    importance : DataFrame
        ``attribute``, ``range``, ``importance`` (% of the sum of ranges), plus
        ``ci_low``/``ci_high`` across respondents for ratings.
    individual : DataFrame or None
        Ratings only: ``respondent_id``, ``attribute``, ``level``, ``estimate``
        (plus ``segment`` when given).
    fit : DataFrame
        Ratings: per respondent ``respondent_id``, ``r2``, ``n`` (profiles rated).
        Choice: the logit coefficients ``term``, ``estimate``, ``std_error``, ``z``,
        ``p_value``, ``ci_low``, ``ci_high`` exactly as statsmodels reports them.
    segments : DataFrame or None
        Segment averages: ``segment``, ``attribute``, ``level``, ``estimate``, ``n``.
    wtp : DataFrame or None
        Choice with a price attribute: ``attribute``, ``level``, ``estimate`` (money a
        customer would pay to have this level rather than the attribute's least preferred
        level),
        ``std_error`` (delta method), ``ci_low``, ``ci_high``.
    levels : dict
        The attributes' levels.
    price : str or None
        The price attribute (choice).
    """

    kind: str
    partworths: pd.DataFrame
    importance: pd.DataFrame
    individual: pd.DataFrame | None
    fit: pd.DataFrame
    segments: pd.DataFrame | None
    wtp: pd.DataFrame | None
    levels: dict = field(default_factory=dict)
    price: str | None = None


def ratings_conjoint(
    data: pd.DataFrame,
    levels: Mapping[str, Sequence],
    *,
    rating: str = "rating",
    respondent: str = "respondent_id",
    segment: str | None = None,
    confidence: float = 0.95,
) -> ConjointResult:
    """Ratings-based full-profile conjoint: OLS per respondent with effects coding.

    Each respondent's ratings are regressed on the effects-coded profile attributes;
    the coefficients are that respondent's part-worths (the last level of each attribute
    is minus the sum of the others, so part-worths sum to 0 within an attribute).
    Attribute importance is the range of an attribute's part-worths as a % of the sum of
    ranges, per respondent, then averaged.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per profile rated: ``respondent``, the attribute columns
        (levels), ``rating`` and optionally ``segment``.
    levels : mapping attribute -> list of levels
    rating, respondent, segment : str
        Column names.
    confidence : float, default 0.95
        For intervals across respondents (t interval of the mean).

    Returns
    -------
    ConjointResult
        With ``kind="ratings"``.

    Raises
    ------
    ValueError
        A level never shown or not declared; a respondent with fewer ratings than
        parameters.
    """
    data = check_dataframe(data)
    levels = _check_levels(levels)
    confidence = check_confidence(confidence)
    cols = [respondent, rating, *([segment] if segment else [])]
    check_columns(data, cols)
    check_numeric_columns(data, [rating])
    data = data[data[rating].notna()]
    _check_shown(data, levels, "data")
    X = effects_code(data, levels)
    terms = list(X.columns)
    Xa = np.column_stack([np.ones(len(X)), X.to_numpy()])
    y = data[rating].to_numpy(dtype=float)
    resp = data[respondent].to_numpy()
    table = _level_table(levels)
    contrast = _effects_contrasts(levels, terms)  # (levels x terms)
    pw_rows, fit_rows = [], []
    for rid, idx in pd.Series(np.arange(len(data))).groupby(resp, sort=False):
        idx = idx.to_numpy()
        if len(idx) < Xa.shape[1]:
            raise ValueError(
                f"Respondent {rid!r} rated {len(idx)} profiles; at least {Xa.shape[1]} are "
                "needed to estimate the part-worths (1 + sum of (levels - 1))."
            )
        Xi = Xa[idx]
        if np.linalg.matrix_rank(Xi) < Xi.shape[1]:
            raise ValueError(
                f"The profiles respondent {rid!r} rated do not separate every level "
                "(the design matrix is singular): use a design where each level is shown "
                "against varied levels of the other attributes."
            )
        beta, *_ = np.linalg.lstsq(Xi, y[idx], rcond=None)
        resid = y[idx] - Xi @ beta
        ss_tot = float(((y[idx] - y[idx].mean()) ** 2).sum())
        r2 = 1 - float((resid**2).sum()) / ss_tot if ss_tot > 0 else np.nan
        fit_rows.append({"respondent_id": rid, "r2": r2, "n": len(idx)})
        est = contrast @ beta[1:]
        for (attr, lv), e in zip(table, est, strict=True):
            pw_rows.append(
                {"respondent_id": rid, "attribute": attr, "level": lv, "estimate": float(e)}
            )
    individual = pd.DataFrame(pw_rows)
    if segment:
        seg = data.groupby(respondent, sort=False)[segment].first()
        individual.insert(1, "segment", individual["respondent_id"].map(seg).to_numpy())
    fit = pd.DataFrame(fit_rows)
    summary = _mean_ci(individual, ["attribute", "level"], "estimate", confidence)
    imp_ind = _importance_pct(individual, ["respondent_id"])
    imp = _mean_ci(imp_ind, ["attribute"], "importance", confidence)
    rng_mean = imp_ind.groupby("attribute", sort=False)["range"].mean()
    imp.insert(1, "range", imp["attribute"].map(rng_mean).to_numpy())
    segments = None
    if segment:
        segments = (
            individual.groupby(["segment", "attribute", "level"], sort=False)["estimate"]
            .agg(estimate="mean", n="count")
            .reset_index()
        )
    return ConjointResult(
        "ratings", summary, imp, individual, fit, segments, None, dict(levels), None
    )


def _mean_ci(frame: pd.DataFrame, by: list[str], col: str, confidence: float) -> pd.DataFrame:
    g = frame.groupby(by, sort=False)[col]
    out = g.agg(estimate="mean", std="std", n="count").reset_index()
    se = out["std"] / np.sqrt(out["n"])
    tq = stats.t.ppf(0.5 + confidence / 2, np.maximum(out["n"] - 1, 1))
    out["std_error"] = se
    out["ci_low"] = out["estimate"] - tq * se
    out["ci_high"] = out["estimate"] + tq * se
    if col != "estimate":
        out = out.rename(columns={"estimate": col})
        return out[[*by, col, "std_error", "ci_low", "ci_high", "n"]]
    return out[[*by, "estimate", "std_error", "ci_low", "ci_high", "n"]]


def _effects_contrasts(
    levels: dict[str, list],
    terms: list[str],
    price: str | None = None,
    price_terms: Sequence[str] = (),
) -> np.ndarray:
    """Matrix mapping coefficients to every level's part-worth (effects coding)."""
    rows = []
    for attr, lvs in levels.items():
        if attr == price:
            continue
        for lv in lvs:
            c = np.zeros(len(terms))
            if lv == lvs[-1]:
                for other in lvs[:-1]:
                    c[terms.index(f"{attr}[{other}]")] = -1.0
            else:
                c[terms.index(f"{attr}[{lv}]")] = 1.0
            rows.append(c)
    return np.array(rows).reshape(-1, len(terms))


def _grouped_logit(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray, set_id: np.ndarray, maxiter: int
):
    """Conditional logit from counts per distinct choice set (Poisson GLM, set intercepts)."""
    import statsmodels.api as sm

    pos = pd.Series(groups).groupby(groups).cumcount().to_numpy()  # alternative in its set
    row_set = set_id[groups]
    n_sets = int(set_id.max()) + 1
    tally = np.zeros((n_sets, int(pos.max()) + 1))
    np.add.at(tally, (row_set, pos), y)
    rep = pd.Series(np.arange(len(set_id))).groupby(set_id).first()  # a group showing each set
    rows, counts, sets = [], [], []
    for s_, g in rep.items():
        idx = np.flatnonzero(groups == g)
        rows.append(X[idx])
        counts.append(tally[s_, : len(idx)])
        sets.append(np.full(len(idx), s_))
    Xs, cs, ss = np.vstack(rows), np.concatenate(counts), np.concatenate(sets)
    dummies = (ss[:, None] == np.arange(set_id.max() + 1)[None, :]).astype(float)
    res = sm.GLM(cs, np.column_stack([Xs, dummies]), family=sm.families.Poisson()).fit(
        maxiter=maxiter, tol=1e-12
    )
    eta = Xs @ np.asarray(res.params)[: X.shape[1]]
    llf = 0.0
    for s in range(set_id.max() + 1):
        m = ss == s
        e = eta[m] - eta[m].max()
        llf += float(cs[m] @ (e - np.log(np.exp(e).sum())))
    return res, llf


def choice_conjoint(
    data: pd.DataFrame,
    levels: Mapping[str, Sequence],
    *,
    task: str = "task",
    chosen: str = "chosen",
    respondent: str | None = "respondent_id",
    price: str | None = None,
    confidence: float = 0.95,
    method: str = "auto",
    maxiter: int = 200,
) -> ConjointResult:
    """Choice-based conjoint: conditional (multinomial) logit part-worths with SEs.

    Each choice task is a group of alternatives, one of them chosen; the model is
    McFadden's conditional logit, estimated by statsmodels'
    :class:`~statsmodels.discrete.conditional_models.ConditionalLogit` on effects-coded
    attributes. A ``price`` attribute with numeric levels enters linearly (one
    coefficient), which gives the willingness to pay for each level of the other
    attributes: ``-(part-worth(level) - part-worth(least preferred level)) / beta_price``,
    with a
    delta-method standard error.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per alternative shown: ``task`` (a choice-set id; with
        ``respondent``, unique per respondent and task), the attribute columns, and
        ``chosen`` (1 for the chosen alternative, else 0; exactly one per task).
    levels : mapping attribute -> list of levels
    task, chosen, respondent : str
        Column names (``respondent=None`` when ``task`` alone identifies the choice set).
    price : str, optional
        The attribute holding the price (numeric levels).
    confidence : float, default 0.95
    method : {"auto", "conditional", "poisson"}
        ``"conditional"`` fits statsmodels' ``ConditionalLogit`` on every choice set.
        ``"poisson"`` fits the same likelihood from the counts of each alternative in each
        distinct choice set, as a Poisson GLM with one intercept per set (statsmodels
        ``GLM``; the multinomial-Poisson transformation, Baker 1994): identical estimates
        and standard errors, and much faster when many respondents saw the same sets.
        ``"auto"`` uses ``"poisson"`` when there are at most 200 distinct sets and at
        most half as many as choice tasks.
    maxiter : int
        Iterations for statsmodels' optimiser.

    Returns
    -------
    ConjointResult
        With ``kind="choice"``; ``individual`` and ``segments`` are None.
    """
    from statsmodels.discrete.conditional_models import ConditionalLogit

    data = check_dataframe(data)
    levels = _check_levels(levels)
    confidence = check_confidence(confidence)
    check_columns(data, [task, chosen, *([respondent] if respondent else [])])
    _check_shown(data, levels, "data")
    if price is not None:
        check_choice(price, list(levels), "price")
        try:
            price_levels = np.asarray(levels[price], dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"`price` attribute {price!r} must have numeric levels; got {levels[price]!r}."
            ) from exc
    keys = [respondent, task] if respondent else [task]
    groups = pd.Series(
        data.groupby(keys, sort=False, dropna=False).ngroup().to_numpy(), index=data.index
    )
    labels = (
        data[keys]
        .astype(str)
        .drop_duplicates()
        .agg(" / ".join, axis=1)
        .set_axis(groups.drop_duplicates().to_numpy())
    )
    y = pd.to_numeric(data[chosen], errors="coerce")
    if y.isna().any() or not y.isin([0, 1]).all():
        raise ValueError(f"`data` column {chosen!r} must be 0 or 1 on every row.")
    per_task = y.groupby(groups.to_numpy()).agg(["sum", "count"])
    bad = per_task[(per_task["sum"] != 1)]
    if len(bad):
        raise ValueError(
            f"Choice task {labels[bad.index[0]]!r} has {int(bad['sum'].iloc[0])} chosen "
            "alternatives; each task needs exactly one."
        )
    if (per_task["count"] < 2).any():
        raise ValueError(
            f"Choice task {labels[per_task.index[per_task['count'] < 2][0]]!r} "
            "shows fewer than 2 alternatives."
        )
    coded_levels = {a: v for a, v in levels.items() if a != price}
    X = effects_code(data, coded_levels) if coded_levels else pd.DataFrame(index=data.index)
    price_mean = None
    if price is not None:
        price_mean = float(price_levels.mean())
        X[price] = data[price].astype(float).to_numpy()
    terms = list(X.columns)
    g_codes = pd.factorize(groups)[0]
    Xv = X.to_numpy(dtype=float)
    yv = y.to_numpy(dtype=float)
    check_choice(method, ("auto", "conditional", "poisson"), "method")
    # choice sets shown to many respondents: the same likelihood from counts per set
    sig = pd.Series([tuple(r) for r in Xv]).groupby(g_codes).agg(tuple)
    set_id, uniq = pd.factorize(sig)
    if method == "auto":
        method = "poisson" if len(uniq) <= 200 and len(uniq) <= len(sig) / 2 else "conditional"
    alpha = 1 - confidence
    if method == "poisson":
        res, llf = _grouped_logit(Xv, yv, g_codes, set_id, maxiter)
    else:
        model = ConditionalLogit(yv, Xv, groups=g_codes)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=RuntimeWarning)
            res = model.fit(method="newton", maxiter=maxiter, disp=False)
        retvals = getattr(res, "mle_retvals", None) or {}
        if not retvals.get("converged", True):
            warnings.warn(
                "The conditional logit did not converge: read the part-worths with care.",
                OrientWarning,
                stacklevel=2,
            )
        llf = float(res.llf)
    k = len(terms)
    params = np.asarray(res.params)[:k]
    cov = np.asarray(res.cov_params())[:k, :k]
    ci = np.asarray(res.conf_int(alpha))[:k]
    fit = pd.DataFrame(
        {
            "term": terms,
            "estimate": params,
            "std_error": np.asarray(res.bse)[:k],
            "z": np.asarray(res.tvalues)[:k],
            "p_value": np.asarray(res.pvalues)[:k],
            "ci_low": ci[:, 0],
            "ci_high": ci[:, 1],
        }
    )
    fit.attrs["llf"] = llf
    fit.attrs["method"] = method
    fit.attrs["n_tasks"] = int(len(per_task))
    zq = stats.norm.ppf(1 - alpha / 2)
    n_tasks = int(len(per_task))
    rows = []
    C = _effects_contrasts(levels, terms, price)
    table = [(a, lv) for a, lvs in levels.items() if a != price for lv in lvs]
    for (attr, lv), c in zip(table, C, strict=True):
        e, se = float(c @ params), float(np.sqrt(c @ cov @ c))
        rows.append((attr, lv, e, se))
    if price is not None:
        j = terms.index(price)
        for lv in levels[price]:
            d = float(lv) - price_mean
            rows.append((price, lv, params[j] * d, abs(d) * float(np.sqrt(cov[j, j]))))
    order = {a: i for i, a in enumerate(levels)}
    rows.sort(key=lambda r: order[r[0]])
    pw = pd.DataFrame(rows, columns=["attribute", "level", "estimate", "std_error"])
    pw["ci_low"] = pw["estimate"] - zq * pw["std_error"]
    pw["ci_high"] = pw["estimate"] + zq * pw["std_error"]
    pw["n"] = n_tasks
    imp = _importance_pct(pw, [])[["attribute", "range", "importance"]]
    wtp = None
    if price is not None:
        j = terms.index(price)
        bp = params[j]
        if bp >= 0:
            warnings.warn(
                f"The price coefficient is {bp:.3g} (not negative): willingness to pay is "
                "not meaningful.",
                OrientWarning,
                stacklevel=2,
            )
        w_rows = []
        base = {}
        for i, (attr, _) in enumerate(table):
            if attr not in base or C[i] @ params < C[base[attr]] @ params:
                base[attr] = i
        for (attr, lv), c in zip(table, C, strict=True):
            d = c - C[base[attr]]
            num = float(d @ params)
            est = -num / bp
            grad = -d / bp
            grad[j] += num / bp**2
            se = float(np.sqrt(grad @ cov @ grad))
            w_rows.append(
                {
                    "attribute": attr,
                    "level": lv,
                    "estimate": est,
                    "std_error": se,
                    "ci_low": est - zq * se,
                    "ci_high": est + zq * se,
                }
            )
        wtp = pd.DataFrame(
            w_rows, columns=["attribute", "level", "estimate", "std_error", "ci_low", "ci_high"]
        )
    return ConjointResult("choice", pw, imp, None, fit, None, wtp, dict(levels), price)
