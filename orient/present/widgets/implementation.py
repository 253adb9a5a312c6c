"""Stage IV explorers: what-if toward the competitor's level, and the house of quality."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets
import pandas as pd

from orient import satisfaction, stages
from orient._validate import check_choice
from orient.errors import OrientWarning
from orient.present import plots
from orient.present.widgets.explorer import (
    _STYLE,
    Explorer,
    View,
    _is_number,
    _new_figure,
    _slider,
    _weights_array,
)

__all__ = [
    "house_of_quality_explorer",
    "what_if_explorer",
    "what_if_table",
]


def _attribute_means(company: Any) -> tuple[pd.Series, pd.Series]:
    """Own and competitor mean rating per attribute key (weighted when the company is)."""
    survey, w = company.survey, _weights_array(company)
    own, comp = {}, {}
    for a in company.attributes:
        ok = survey[a.column].notna().to_numpy()
        own[a.key] = satisfaction.mean_score(
            survey.loc[ok, a.column], None if w is None else w[ok]
        ).value
        col = a.competitor_column
        if col and col in survey.columns and survey[col].notna().any():
            ok = survey[col].notna().to_numpy()
            comp[a.key] = satisfaction.mean_score(
                survey.loc[ok, col], None if w is None else w[ok]
            ).value
    return pd.Series(own, dtype=float), pd.Series(comp, dtype=float)


def what_if_table(
    company: Any,
    share: float = 1.0,
    *,
    model: pd.DataFrame | None = None,
    attributes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Predicted change in overall satisfaction if attributes move toward the competitor.

    Each attribute's target is ``current + share * (reference - current)``, where the
    reference is the competitor's mean rating (the top of the attribute's scale when the
    competitor was not rated); the prediction is :func:`orient.implementation.what_if`
    of the stage IV driver model (:func:`orient.implementation.driver_model` of overall
    satisfaction on the attributes, as :func:`orient.implementation.analyse` fits it).

    Parameters
    ----------
    company : orient.Company
    share : float
        How far to move: 0 = today, 1 = the competitor's level, 0.5 = half way.
    model : DataFrame, optional
        A driver model already fitted (e.g. ``implementation.analyse(...).driver_model``).
    attributes : list of str, optional
        Attribute keys to move (default: all).

    Returns
    -------
    DataFrame
        :func:`orient.implementation.what_if`'s columns (``current``, ``target``,
        ``change``, ``coefficient``, ``gain``, ``ci_low``, ``ci_high``, ``index_gain``,
        ``index_ci_low``, ``index_ci_high``) plus ``reference`` (the level moved toward),
        ``reference_is_competitor`` (bool) and ``label``; indexed by attribute.
    """
    from orient import implementation

    if not _is_number(share) or not math.isfinite(share):
        raise TypeError(f"`share` must be a number; got {share!r}.")
    attrs = {a.key: a for a in company.attributes}
    keys = list(attrs) if attributes is None else list(attributes)
    for k in keys:
        check_choice(k, list(attrs), "attributes")
    if model is None:  # stage IV's own driver model, as the notebook and the summary use
        model = stages.analyse(company, "implementation").driver_model
    own, comp = _attribute_means(company)
    ref = pd.Series(
        {k: comp[k] if k in comp.index else attrs[k].scale_max for k in keys}, dtype=float
    )
    target = own[keys] + float(share) * (ref - own[keys])
    out = implementation.what_if(model, own, target, overall_scale=company.scale("overall"))
    out["reference"] = ref
    out["reference_is_competitor"] = [k in comp.index for k in keys]
    out["label"] = [attrs[k].label for k in keys]
    return out


def what_if_explorer(
    company: Any,
    *,
    attribute: str | None = None,
    model: pd.DataFrame | None = None,
    figsize: tuple[float, float] = (8.0, 5.0),
) -> Explorer:
    """What if an attribute rose to the competitor's level?

    Controls: ``attribute`` (key) and ``share`` (0-200%: how far its mean rating moves
    from today toward the competitor's; 100% = the competitor's level; the top of the
    scale when the competitor was not rated). ``result`` is the attribute's row of
    :func:`what_if_table` (one-row DataFrame); ``extra["all"]`` is every attribute moved
    the same share, drawn by :func:`orient.present.plots.what_if_plot` with the chosen one
    highlighted.

    Parameters
    ----------
    company : orient.Company
    attribute : str, optional
        Starting attribute (default: the one with the largest predicted gain at the
        competitor's level).
    model : DataFrame, optional
        The stage IV driver model (default: fitted here by
        :func:`orient.implementation.driver_model`).
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """

    labels = {a.key: a.label for a in company.attributes}
    if model is None:  # stage IV's own driver model, as the notebook and the summary use
        model = stages.analyse(company, "implementation").driver_model
    full = what_if_table(company, 1.0, model=model)
    if attribute is None:
        attribute = str(full["gain"].idxmax())
    check_choice(attribute, list(labels), "attribute")
    w = _weights_array(company)
    overall_now = satisfaction.mean_score(company.survey["overall"], w).value
    lo, hi = company.scale("overall")
    binary = hi - lo <= 1  # a two-point overall: its mean is the share satisfied
    rival = getattr(company, "competitor", None) or "the competitor"
    controls = {
        "attribute": widgets.Dropdown(
            options=[(v, k) for k, v in labels.items()],
            value=attribute,
            description="Attribute",
            style=_STYLE,
        ),
        "share": _slider(
            "float", 100.0, 0.0, 200.0, description=f"Move toward {rival}'s level (%)", step=5.0
        ),
    }

    def compute(attribute: str, share: float) -> View:
        table = what_if_table(company, share / 100.0, model=model)
        row = table.loc[[attribute]]
        r = row.iloc[0]
        fig, ax = _new_figure(figsize)
        plots.what_if_plot(table, highlight=attribute, labels=labels, ax=ax)
        ax.set_title(
            f"What if? Predicted gain when each attribute moves\n{share:.0f}% of "
            f"the way to {rival}'s level"
        )
        ref = f"{rival}'s level" if r["reference_is_competitor"] else "the top of the scale"
        moved = (
            f"If {r['label']} moved from {r['current']:.2f} to {r['target']:.2f} "
            f"({share:.0f}% of the way to {ref}, {r['reference']:.2f}), "
        )
        text = moved + _what_if_effect(r, overall_now, lo, hi, company.confidence)
        shown = _what_if_shown(table, binary)
        if binary:
            ax.set_xlabel("Predicted change in the share satisfied (percentage points)")
        return View(row, fig, shown, text, {"all": table, "overall_now": overall_now})

    return Explorer("What if? Predicted satisfaction when an attribute improves", controls, compute)


def _what_if_effect(r: pd.Series, overall_now: float, lo: float, hi: float, conf: float) -> str:
    """What the move does to overall satisfaction, in its units: rating points and the
    0-100 index, or on a two-point overall percentage points of the share satisfied."""
    pct = round(100 * conf)
    if hi - lo <= 1:
        now = 100 * (overall_now - lo) / (hi - lo)
        return (
            f"the share of satisfied customers would move by {r['index_gain']:+.1f} "
            f"percentage points ({pct}% interval {r['index_ci_low']:+.1f} to "
            f"{r['index_ci_high']:+.1f}), from {now:.1f}% to {now + r['index_gain']:.1f}% "
            "(a linear probability model)."
        )
    return (
        f"overall satisfaction would move by {r['gain']:+.3f} points ({pct}% interval "
        f"{r['ci_low']:+.3f} to {r['ci_high']:+.3f}), from {overall_now:.2f} to "
        f"{overall_now + r['gain']:.2f} on the {lo:g}-{hi:g} scale: {r['index_gain']:+.2f} "
        "points of the 0-100 index."
    )


def _what_if_shown(table: pd.DataFrame, binary: bool) -> pd.DataFrame:
    interval = [
        f"{a:+.2f} to {b:+.2f}"
        for a, b in zip(table["index_ci_low"], table["index_ci_high"], strict=True)
    ]
    cols = {
        "Today": table["current"].round(2).to_numpy(),
        "Target": table["target"].round(2).to_numpy(),
    }
    if binary:
        cols["Gain in the share satisfied (percentage points)"] = (
            table["index_gain"].round(2).to_numpy()
        )
        cols["Interval (percentage points)"] = interval
    else:
        cols["Gain in overall (points)"] = table["gain"].round(3).to_numpy()
        cols["Gain in index (0-100)"] = table["index_gain"].round(2).to_numpy()
        cols["Interval (index)"] = interval
    return pd.DataFrame(cols, index=pd.Index(table["label"], name="Attribute"))


def house_of_quality_explorer(
    house: Any,
    *,
    labels: Mapping[str, str] | None = None,
    figsize: tuple[float, float] = (7.5, 4.5),
) -> Explorer:
    """Weigh the customer requirements and see which technical characteristics matter.

    Controls: one slider per requirement, its weight in % (starting at the house's
    relative weights, e.g. stage III's derived importance). ``result`` is
    :func:`orient.implementation.house_of_quality` of those weights and the house's
    relationships (``importance``, ``relative``, ``rank`` by characteristic); the figure
    is :func:`orient.present.plots.technical_importance_plot`.

    Parameters
    ----------
    house : orient.implementation.HouseOfQuality or orient.Company
        A house (e.g. ``implementation.analyse(company, ...).house``), or a company whose
        house is built by :func:`orient.implementation.analyse` from its stage III matrix
        (:func:`orient.priorities.analyse`, no bootstrap).
    labels : dict, optional
        Requirement labels (default: the company's attribute labels, else the keys).
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    from orient import implementation

    if not isinstance(house, implementation.HouseOfQuality):
        company = house
        labels = dict(labels or {a.key: a.label for a in company.attributes})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OrientWarning)
            # stage III feeds stage IV as in notebook 04 and the summary (orient.stages)
            house = stages.analyse(company, "implementation").house
        if house is None:
            raise ValueError(
                "company.yaml has no `qfd` section: there is no house of quality to explore."
            )
    labels = dict(labels or {})
    req = house.requirements
    start = 100 * req["relative_weight"]
    controls = {
        str(r): _slider(
            "float", float(start[r]), 0.0, 100.0, description=f"{labels.get(r, r)} (%)", step=0.5
        )
        for r in req.index
    }
    char_labels = {
        c: lab
        for c, lab in house.technical.get("label", pd.Series(dtype=object)).items()
        if isinstance(lab, str)
    }
    rel = house.relationships

    def compute(**weights: float) -> View:
        w = pd.Series(weights, dtype=float).reindex(rel.index)
        if not (w > 0).any():
            raise ValueError("Give at least one requirement a weight above 0.")
        technical = implementation.house_of_quality(w, rel, warn=False)
        fig, ax = _new_figure(figsize)
        plots.technical_importance_plot(technical, labels=char_labels, ax=ax)
        order = technical.sort_values("rank")
        first = order.index[0]
        text = (
            f"Most important characteristic: {char_labels.get(first, first)} "
            f"({100 * order['relative'].iloc[0]:.1f}% of the technical importance)."
        )
        shown = pd.DataFrame(
            {
                "Rank": order["rank"].to_numpy(),
                "Importance (weight x strength)": order["importance"].round(2).to_numpy(),
                "Share (%)": (100 * order["relative"]).round(1).to_numpy(),
            },
            index=pd.Index(
                [char_labels.get(c, c) for c in order.index], name="Technical characteristic"
            ),
        )
        return View(technical, fig, shown, text)

    return Explorer(
        "House of quality: requirement weights -> technical importance", controls, compute
    )
