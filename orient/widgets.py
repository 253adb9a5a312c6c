"""Interactive explorers for JupyterLab and the classroom (ipywidgets + matplotlib).

Each explorer is a function that takes a company (or results) and returns an
:class:`Explorer`: an ``ipywidgets.VBox`` of controls, the figure (a PNG image widget)
and a small table. Moving a control recomputes through the same package functions the
notebooks and the report use (one source of truth) and redraws with the same
:mod:`orient.plots` functions; the widgets only wire controls to them.

Every explorer also works without a browser: set its controls (or call
``explorer.update(name=value, ...)``) and read ``explorer.result`` (the analysis
output), ``explorer.figure`` (the matplotlib Figure drawn) and ``explorer.table``
(the table shown). Nothing is displayed at import and nothing is global; figures are
``matplotlib.figure.Figure`` objects outside pyplot, so no backend is needed.

Explorers
---------
strategic_matrix_explorer
    Stage III: cut lines, segment and driver method of the strategic matrix.
what_if_explorer
    Stage IV: move one attribute's performance (e.g. to the competitor's level) and
    see the predicted change in overall satisfaction and the 0-100 index.
satisfaction_explorer
    Stage II: NPS, satisfaction index, mean and top-2-box by segment and wave.
segment_portfolio_explorer, scorecard_explorer
    Stage I: weights of the segment portfolio; status boundaries of the goal scorecard.
house_of_quality_explorer
    Stage IV: requirement weights -> technical importance.
erlang_c_explorer
    Service centre: calls, handling time, target and agents -> service level, ASA,
    occupancy and the agents needed.

Classroom helpers
-----------------
check, feedback, is_right
    Compare a student's answer with the expected one and say so kindly.
"""

from __future__ import annotations

import html
import io
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import plots, priorities, satisfaction, service, strategy
from ._validate import check_choice
from .errors import OrientError, OrientWarning

__all__ = [
    "ALL",
    "Explorer",
    "View",
    "check",
    "erlang_c_explorer",
    "erlang_c_table",
    "feedback",
    "is_right",
    "satisfaction_explorer",
    "satisfaction_view",
    "scorecard_explorer",
    "segment_matrix",
    "segment_portfolio_explorer",
    "SatisfactionSlice",
    "strategic_matrix_explorer",
    "what_if_explorer",
    "what_if_table",
    "house_of_quality_explorer",
]

#: the dropdown value meaning "every segment" or "every wave"
ALL = "(all)"

_ERRORS = (ValueError, TypeError, KeyError, OrientError, np.linalg.LinAlgError)


# ----------------------------------------------------------------------------------
# the explorer frame
# ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """What one explorer shows for one setting of its controls.

    Attributes
    ----------
    result : object
        The analysis output (a DataFrame or an estimate) from the package functions.
    figure : matplotlib Figure or None
        The figure drawn with :mod:`orient.plots`.
    table : DataFrame or None
        The table shown under the figure (readable headings, rounded).
    text : str
        A sentence shown above the figure (plain text).
    extra : dict
        Further outputs an explorer exposes (e.g. the Erlang C curve).
    """

    result: Any = None
    figure: Figure | None = None
    table: pd.DataFrame | None = None
    text: str = ""
    extra: dict = field(default_factory=dict)


def _new_figure(figsize: tuple[float, float]) -> tuple[Figure, Any]:
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return buf.getvalue()


def _html_table(table: pd.DataFrame | None) -> str:
    if table is None or table.empty:
        return ""
    return table.to_html(border=0, na_rep="–", classes="orient-table")


class Explorer(widgets.VBox):
    """Controls wired to a compute function, with the figure and table it returns.

    Parameters
    ----------
    title : str
        Shown on top.
    controls : dict of str -> ipywidgets widget
        Each control's ``value`` is passed to ``compute`` under its key.
    compute : callable
        ``compute(**values) -> View``; a ``ValueError``/``TypeError``/``OrientError``
        it raises is shown as a message instead of a figure.
    buttons : list of ipywidgets.Button, optional
        Extra buttons shown under the controls (wired by the caller).

    Attributes
    ----------
    controls : dict
        The controls by name.
    view : View
        What is shown now; ``result``, ``figure``, ``table`` and ``text`` are shortcuts.
    error : str
        The message of the last failed update ("" when it worked).
    """

    def __init__(self, title: str, controls: Mapping[str, widgets.Widget],
                 compute: Callable[..., View], *, buttons: Sequence[widgets.Button] = ()):
        super().__init__()
        self.controls = dict(controls)
        self._compute = compute
        self._paused = False
        self.view = View()
        self.error = ""
        self.header = widgets.HTML(f"<b>{html.escape(title)}</b>")
        self.message = widgets.HTML()
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.table_html = widgets.HTML()
        for w in self.controls.values():
            w.observe(self._changed, names="value")
        box = [widgets.VBox(list(self.controls.values()))]
        if buttons:
            box.append(widgets.HBox(list(buttons)))
        self.children = [self.header, *box, self.message, self.image, self.table_html]
        self.refresh()

    # --- reading ----------------------------------------------------------------------
    @property
    def values(self) -> dict[str, Any]:
        """The current value of every control."""
        return {k: w.value for k, w in self.controls.items()}

    @property
    def result(self) -> Any:
        return self.view.result

    @property
    def figure(self) -> Figure | None:
        return self.view.figure

    @property
    def table(self) -> pd.DataFrame | None:
        return self.view.table

    @property
    def text(self) -> str:
        return self.view.text

    # --- acting -------------------------------------------------------------------
    def update(self, **values: Any) -> Any:
        """Set some controls at once (one recomputation) and return the new ``result``.

        Raises
        ------
        ValueError
            A name that is not a control, or a value the control does not allow.
        """
        unknown = [k for k in values if k not in self.controls]
        if unknown:
            raise ValueError(f"`{unknown[0]}` is not a control of this explorer; its controls "
                             f"are {', '.join(self.controls)}.")
        for k, v in values.items():  # check every value before changing any control
            w = self.controls[k]
            if hasattr(w, "options") and v not in _option_values(w):
                raise ValueError(f"`{k}` must be one of "
                                 f"{', '.join(map(repr, _option_values(w)))}; got {v!r}.")
            lo, hi = getattr(w, "min", None), getattr(w, "max", None)
            if lo is not None and hi is not None and _is_number(v) and not lo <= v <= hi:
                raise ValueError(f"`{k}` must be between {lo:g} and {hi:g}; got {v!r}.")
        self._paused = True
        try:
            for k, v in values.items():
                self.controls[k].value = v
        finally:
            self._paused = False
        self.refresh()
        return self.result

    def refresh(self) -> None:
        """Recompute from the current control values and redraw."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", OrientWarning)
            try:
                view = self._compute(**self.values)
                self.error = ""
            except _ERRORS as exc:
                view = View(text="")
                self.error = str(exc)
        notes = [str(m.message) for m in caught if issubclass(m.category, OrientWarning)]
        for m in caught:  # not ours to swallow
            if not issubclass(m.category, OrientWarning):
                warnings.warn_explicit(m.message, m.category, m.filename, m.lineno)
        self.view = view
        lines = []
        if self.error:
            lines.append(f"<span style='color:#d55e00'>{html.escape(self.error)}</span>")
        if view.text:
            lines.append(html.escape(view.text))
        lines += [f"<i>Note: {html.escape(n)}</i>" for n in notes]
        self.message.value = "<br>".join(lines)
        self.image.value = _png(view.figure) if view.figure is not None else b""
        self.table_html.value = _html_table(view.table)

    def _changed(self, change: Any) -> None:
        if not self._paused:
            self.refresh()


def _option_values(w: widgets.Widget) -> list:
    out = []
    for o in w.options:
        out.append(o[1] if isinstance(o, tuple) else o)
    return out


def _segments_of(survey: pd.DataFrame) -> list:
    if "segment" not in survey.columns:
        return []
    return sorted(survey["segment"].dropna().unique().tolist(), key=str)


def _waves_of(survey: pd.DataFrame) -> list:
    if "wave" not in survey.columns:
        return []
    wave = survey["wave"]
    present = set(wave.dropna().unique())
    if isinstance(wave.dtype, pd.CategoricalDtype):
        return [w for w in wave.cat.categories if w in present]
    return sorted(present, key=str)


def _weights_array(company: Any) -> np.ndarray | None:
    w = getattr(company, "weights", None)
    if w is None:
        return None
    return pd.Series(w).reindex(company.survey.index).to_numpy(dtype=float)


def _dropdown(options: Sequence, value: Any, description: str,
              all_label: str | None = None) -> widgets.Dropdown:
    opts = ([(all_label, ALL)] if all_label else []) + [(str(o), o) for o in options]
    return widgets.Dropdown(options=opts, value=value, description=description,
                            style={"description_width": "initial"})


_STYLE = {"description_width": "initial"}


def _wide() -> widgets.Layout:
    return widgets.Layout(width="460px")


# ----------------------------------------------------------------------------------
# stage III: the strategic matrix
# ----------------------------------------------------------------------------------

_QUADRANT_WORDS = {"improve": "Improve", "keep_advantage": "Keep advantage",
                   "maintain_or_reduce": "Maintain or reduce", "low_priority": "Low priority"}


def segment_matrix(company: Any, *, method: str = "shapley", segment: Any = None,
                   cut: Any = None, relative: bool | None = None) -> pd.DataFrame:
    """The strategic matrix of one segment (or everyone), from the stage III functions.

    The survey is narrowed to the segment, then :func:`orient.priorities.driver_importance`
    (overall satisfaction on the attributes), :func:`orient.priorities.competitive_performance`
    and :func:`orient.priorities.strategic_matrix` run on it exactly as
    :func:`orient.priorities.analyse` runs them on the whole survey.

    Parameters
    ----------
    company : orient.Company
    method : str
        Driver-importance method (:data:`orient.priorities.METHODS`).
    segment : value of the ``segment`` column, optional
        None or :data:`ALL`: every respondent.
    cut : see :func:`orient.priorities.strategic_matrix`
        Default: mean importance, and parity (0) on the gap axis or mean performance.
    relative : bool, optional
        Performance axis = gap to the competitor (default: when every attribute was
        rated for the competitor).

    Returns
    -------
    DataFrame
        :func:`orient.priorities.strategic_matrix`'s columns (``importance``,
        ``performance``, ``quadrant``, ``action``, ``competitor``, ``shortfall``,
        ``priority``, ``priority_rank``) plus ``label``; ``attrs`` also hold ``segment``,
        ``n`` (respondents behind the driver analysis), ``r2`` and ``method``.

    Raises
    ------
    ValueError
        An unknown segment, or one with fewer respondents than ``company.min_base``.
    """
    survey = company.survey
    attrs = list(company.attributes)
    weights = _weights_array(company)
    if segment is not None and segment != ALL:
        known = _segments_of(survey)
        if segment not in known:
            raise ValueError(f"`segment` must be one of {', '.join(map(repr, known))}; "
                             f"got {segment!r}.")
        sel = (survey["segment"] == segment).fillna(False).to_numpy(dtype=bool)
        survey = survey[sel]
        weights = None if weights is None else weights[sel]
        base = int(getattr(company, "min_base", 30) or 30)
        if len(survey) < base:
            raise ValueError(f"Segment {segment!r} has {len(survey)} respondents, fewer than "
                             f"the minimum base of {base}: its matrix is not shown.")
    rename = {a.column: a.key for a in attrs}
    keys = [a.key for a in attrs]
    confidence = float(getattr(company, "confidence", 0.95) or 0.95)
    drivers = priorities.driver_importance(survey.rename(columns=rename), "overall", keys,
                                           method=method, weights=weights,
                                           confidence=confidence)
    perf = priorities.competitive_performance(survey, attrs, weights=weights,
                                              confidence=confidence, min_base=0)
    if relative is None:
        relative = bool(perf["competitor"].notna().all())
    if cut is None:
        cut = ("mean", 0.0) if relative else "mean"
    matrix = priorities.strategic_matrix(drivers, perf, cut=cut, relative=relative)
    matrix["label"] = [{a.key: a.label for a in attrs}[k] for k in matrix.index]
    matrix.attrs.update({"segment": ALL if segment is None else segment,
                         "n": int(drivers.attrs.get("n", len(survey))),
                         "r2": drivers.attrs.get("r2"), "method": method})
    return matrix


def _matrix_table(matrix: pd.DataFrame) -> pd.DataFrame:
    m = matrix.sort_values("priority_rank")
    relative = matrix.attrs.get("relative", False)
    return pd.DataFrame({
        "Priority": m["priority_rank"].to_numpy(),
        "Importance (%)": (100 * m["importance"]).round(1).to_numpy(),
        ("Gap to competitor (points)" if relative else "Performance (0-100)"):
            m["performance"].round(1).to_numpy(),
        "Quadrant": [_QUADRANT_WORDS[q] for q in m["quadrant"]],
    }, index=pd.Index(m["label"], name="Attribute"))


def strategic_matrix_explorer(company: Any, *, method: str = "shapley",
                              relative: bool | None = None,
                              figsize: tuple[float, float] = (8.0, 5.5)) -> Explorer:
    """Move the strategic matrix's cut lines, pick a segment and a driver method.

    Controls: ``method`` (driver-importance method), ``segment`` (:data:`ALL` or a
    segment), ``cut_importance`` (importance cut, % of explained variation),
    ``cut_performance`` (performance cut: points of gap to the competitor, or 0-100
    score). The button "Cuts at the means" puts both lines back at the means.
    ``result`` is the :func:`segment_matrix` DataFrame; the figure is
    :func:`orient.plots.strategic_matrix_plot`.

    Parameters
    ----------
    company : orient.Company
    method : str
        Starting driver method.
    relative : bool, optional
        Performance axis = gap to the competitor (default when the competitor was rated).
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    check_choice(method, priorities.METHODS, "method")
    labels = {a.key: a.label for a in company.attributes}
    k = len(labels)
    first = segment_matrix(company, method=method, relative=relative)
    rel = bool(first.attrs.get("relative", False))
    perf = first["performance"]
    if rel:
        lo, hi = math.floor(min(perf.min(), 0) - 10), math.ceil(max(perf.max(), 0) + 10)
        lo, hi, start_p = max(lo, -100), min(hi, 100), 0.0
    else:
        lo, hi, start_p = 0, 100, round(float(perf.mean()), 1)
    start_i = 100.0 / k  # the mean share: shares sum to 1
    controls = {
        "method": widgets.Dropdown(options=list(priorities.METHODS), value=method,
                                   description="Driver method", style=_STYLE),
        "segment": _dropdown(_segments_of(company.survey), ALL, "Segment", "All respondents"),
        "cut_importance": widgets.FloatSlider(
            value=start_i, min=0.0, max=max(50.0, math.ceil(3 * start_i)), step=0.1,
            description="Importance cut (% of explained variation)", style=_STYLE,
            layout=_wide(), continuous_update=False),
        "cut_performance": widgets.FloatSlider(
            value=start_p, min=lo, max=hi, step=0.5,
            description=("Performance cut (gap to competitor, points)" if rel
                         else "Performance cut (score 0-100)"),
            style=_STYLE, layout=_wide(), continuous_update=False),
    }

    def compute(method: str, segment: Any, cut_importance: float,
                cut_performance: float) -> View:
        matrix = segment_matrix(company, method=method, segment=segment, relative=rel,
                                cut=(cut_importance / 100.0, cut_performance))
        fig, ax = _new_figure(figsize)
        plots.strategic_matrix_plot(matrix, labels=labels, arrows=not rel, ax=ax)
        who = "all respondents" if segment == ALL else f"segment {segment}"
        ax.set_title(f"Strategic satisfaction matrix: {who} ({method})")
        improve = [labels[a] for a in matrix.sort_values("priority_rank").index
                   if matrix.loc[a, "quadrant"] == "improve"]
        text = (f"{who[0].upper()}{who[1:]}: {matrix.attrs['n']} respondents, R² = "
                f"{matrix.attrs['r2']:.2f}. Improve: "
                + (", ".join(improve) if improve else "nothing") + ".")
        return View(matrix, fig, _matrix_table(matrix), text)

    def reset(_button: Any = None) -> None:
        m = explorer.result
        p = 0.0 if rel or m is None else round(float(m["performance"].mean()), 1)
        explorer.update(cut_importance=start_i, cut_performance=p)

    button = widgets.Button(description="Cuts at the means", tooltip="mean importance; "
                            "parity with the competitor or the mean score")
    explorer = Explorer("Strategic satisfaction matrix", controls, compute, buttons=[button])
    button.on_click(reset)
    explorer.reset_cuts = reset
    return explorer


# ----------------------------------------------------------------------------------
# stage IV: what-if and the house of quality
# ----------------------------------------------------------------------------------


def _attribute_means(company: Any) -> tuple[pd.Series, pd.Series]:
    """Own and competitor mean rating per attribute key (weighted when the company is)."""
    survey, w = company.survey, _weights_array(company)
    own, comp = {}, {}
    for a in company.attributes:
        ok = survey[a.column].notna().to_numpy()
        own[a.key] = satisfaction.mean_score(survey.loc[ok, a.column],
                                             None if w is None else w[ok]).value
        col = a.competitor_column
        if col and col in survey.columns and survey[col].notna().any():
            ok = survey[col].notna().to_numpy()
            comp[a.key] = satisfaction.mean_score(survey.loc[ok, col],
                                                  None if w is None else w[ok]).value
    return pd.Series(own, dtype=float), pd.Series(comp, dtype=float)


def what_if_table(company: Any, share: float = 1.0, *, model: pd.DataFrame | None = None,
                  attributes: Sequence[str] | None = None) -> pd.DataFrame:
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
    from . import implementation

    if not _is_number(share) or not math.isfinite(share):
        raise TypeError(f"`share` must be a number; got {share!r}.")
    attrs = {a.key: a for a in company.attributes}
    keys = list(attrs) if attributes is None else list(attributes)
    for k in keys:
        check_choice(k, list(attrs), "attributes")
    if model is None:
        data = company.survey.rename(columns={a.column: a.key for a in attrs.values()})
        model = implementation.driver_model(data, "overall", list(attrs),
                                            weights=_weights_array(company),
                                            confidence=company.confidence)
    own, comp = _attribute_means(company)
    ref = pd.Series({k: comp[k] if k in comp.index else attrs[k].scale_max for k in keys},
                    dtype=float)
    target = own[keys] + float(share) * (ref - own[keys])
    out = implementation.what_if(model, own, target, overall_scale=company.scale("overall"))
    out["reference"] = ref
    out["reference_is_competitor"] = [k in comp.index for k in keys]
    out["label"] = [attrs[k].label for k in keys]
    return out


def what_if_explorer(company: Any, *, attribute: str | None = None,
                     model: pd.DataFrame | None = None,
                     figsize: tuple[float, float] = (8.0, 5.0)) -> Explorer:
    """What if an attribute rose to the competitor's level?

    Controls: ``attribute`` (key) and ``share`` (0-200%: how far its mean rating moves
    from today toward the competitor's; 100% = the competitor's level; the top of the
    scale when the competitor was not rated). ``result`` is the attribute's row of
    :func:`what_if_table` (one-row DataFrame); ``extra["all"]`` is every attribute moved
    the same share, drawn by :func:`orient.plots.what_if_plot` with the chosen one
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
    from . import implementation

    labels = {a.key: a.label for a in company.attributes}
    if model is None:
        data = company.survey.rename(columns={a.column: a.key for a in company.attributes})
        model = implementation.driver_model(data, "overall", list(labels),
                                            weights=_weights_array(company),
                                            confidence=company.confidence)
    full = what_if_table(company, 1.0, model=model)
    if attribute is None:
        attribute = str(full["gain"].idxmax())
    check_choice(attribute, list(labels), "attribute")
    w = _weights_array(company)
    overall_now = satisfaction.mean_score(company.survey["overall"], w).value
    lo, hi = company.scale("overall")
    rival = getattr(company, "competitor", None) or "the competitor"
    controls = {
        "attribute": widgets.Dropdown(options=[(v, k) for k, v in labels.items()],
                                      value=attribute, description="Attribute", style=_STYLE),
        "share": widgets.FloatSlider(value=100.0, min=0.0, max=200.0, step=5.0,
                                     description=f"Move toward {rival}'s level (%)",
                                     style=_STYLE, layout=_wide(), continuous_update=False),
    }

    def compute(attribute: str, share: float) -> View:
        table = what_if_table(company, share / 100.0, model=model)
        row = table.loc[[attribute]]
        r = row.iloc[0]
        fig, ax = _new_figure(figsize)
        plots.what_if_plot(table, highlight=attribute, labels=labels, ax=ax)
        ax.set_title(f"What if? Predicted gain when each attribute moves\n{share:.0f}% of "
                     f"the way to {rival}'s level")
        ref = f"{rival}'s level" if r["reference_is_competitor"] else "the top of the scale"
        new = overall_now + r["gain"]
        pct = round(100 * company.confidence)
        text = (f"If {r['label']} moved from {r['current']:.2f} to {r['target']:.2f} "
                f"({share:.0f}% of the way to {ref}, {r['reference']:.2f}), overall "
                f"satisfaction would move by {r['gain']:+.3f} points ({pct}% interval "
                f"{r['ci_low']:+.3f} to {r['ci_high']:+.3f}), from {overall_now:.2f} to "
                f"{new:.2f} on the {lo:g}-{hi:g} scale: {r['index_gain']:+.2f} points of the "
                f"0-100 index.")
        shown = pd.DataFrame({
            "Today": table["current"].round(2).to_numpy(),
            "Target": table["target"].round(2).to_numpy(),
            "Gain in overall (points)": table["gain"].round(3).to_numpy(),
            "Gain in index (0-100)": table["index_gain"].round(2).to_numpy(),
            "Interval (index)": [f"{a:+.2f} to {b:+.2f}" for a, b in
                                 zip(table["index_ci_low"], table["index_ci_high"],
                                     strict=True)],
        }, index=pd.Index(table["label"], name="Attribute"))
        return View(row, fig, shown, text, {"all": table, "overall_now": overall_now})

    return Explorer("What if? Predicted satisfaction when an attribute improves", controls,
                    compute)


def house_of_quality_explorer(house: Any, *, labels: Mapping[str, str] | None = None,
                              figsize: tuple[float, float] = (7.5, 4.5)) -> Explorer:
    """Weigh the customer requirements and see which technical characteristics matter.

    Controls: one slider per requirement, its weight in % (starting at the house's
    relative weights, e.g. stage III's derived importance). ``result`` is
    :func:`orient.implementation.house_of_quality` of those weights and the house's
    relationships (``importance``, ``relative``, ``rank`` by characteristic); the figure
    is :func:`orient.plots.technical_importance_plot`.

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
    from . import implementation

    if not isinstance(house, implementation.HouseOfQuality):
        company = house
        labels = dict(labels or {a.key: a.label for a in company.attributes})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", OrientWarning)
            stage3 = priorities.analyse(company, n_boot=0)
            house = implementation.analyse(company, stage3).house
        if house is None:
            raise ValueError("company.yaml has no `qfd` section: there is no house of quality "
                             "to explore.")
    labels = dict(labels or {})
    req = house.requirements
    start = 100 * req["relative_weight"]
    controls = {
        str(r): widgets.FloatSlider(value=float(start[r]), min=0.0,
                                    max=100.0, step=0.5,
                                    description=f"{labels.get(r, r)} (%)", style=_STYLE,
                                    layout=_wide(), continuous_update=False)
        for r in req.index
    }
    char_labels = {c: lab for c, lab in house.technical.get(
        "label", pd.Series(dtype=object)).items() if isinstance(lab, str)}
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
        text = (f"Most important characteristic: {char_labels.get(first, first)} "
                f"({100 * order['relative'].iloc[0]:.1f}% of the technical importance).")
        shown = pd.DataFrame({
            "Rank": order["rank"].to_numpy(),
            "Importance (weight x strength)": order["importance"].round(2).to_numpy(),
            "Share (%)": (100 * order["relative"]).round(1).to_numpy(),
        }, index=pd.Index([char_labels.get(c, c) for c in order.index],
                          name="Technical characteristic"))
        return View(technical, fig, shown, text)

    return Explorer("House of quality: requirement weights -> technical importance", controls,
                    compute)


# ----------------------------------------------------------------------------------
# stage II: NPS and satisfaction index by segment and wave
# ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SatisfactionSlice:
    """One satisfaction measure for one wave and segment, and by segment.

    Attributes
    ----------
    measure : str
        ``"nps"``, ``"index"``, ``"mean"`` or ``"top2"``.
    label, unit : str
        How the measure is named and its unit.
    estimate : orient.satisfaction.Estimate
        The measure for the chosen wave and segment.
    suppressed : bool
        True when ``estimate.n`` is under the company's minimum base (not reported).
    segments : DataFrame or None
        :func:`orient.satisfaction.segment_table` of the measure in the chosen wave
        (None without a segment column).
    wave, segment : object
        The choice (:data:`ALL` for every one).
    composition : DataFrame or None
        For NPS, :func:`orient.satisfaction.nps_composition` of the chosen wave and
        segment (detractors, passives, promoters).
    """

    measure: str
    label: str
    unit: str
    estimate: satisfaction.Estimate
    suppressed: bool
    segments: pd.DataFrame | None
    wave: Any = ALL
    segment: Any = ALL
    composition: pd.DataFrame | None = None


def _measures(company: Any) -> dict[str, tuple[str, str, str, str, Any]]:
    """measure -> (label, unit, column, kind, scale) for the measures the survey allows."""
    survey = company.survey
    osc = company.scale("overall")
    out = {}
    if "recommend" in survey.columns and survey["recommend"].notna().any():
        out["nps"] = ("Net Promoter Score", "-100..100", "recommend", "nps", None)
    out["index"] = ("Satisfaction index", "0-100", "satisfaction_index", "index", None)
    out["mean"] = ("Overall satisfaction, mean", f"{osc[0]:g}-{osc[1]:g} scale", "overall",
                   "mean", None)
    out["top2"] = ("Overall satisfaction, top-2-box", "% of customers", "overall", "top2", osc)
    return out


def satisfaction_view(company: Any, measure: str = "nps", *, wave: Any = ALL,
                      segment: Any = ALL, weighted: bool = True) -> SatisfactionSlice:
    """NPS, satisfaction index, mean or top-2-box for a wave and segment (stage II functions).

    The satisfaction index is :func:`orient.satisfaction.index_scores` of the company's
    satisfaction items (equal weights, each item's scale ends); the estimates are
    :func:`orient.satisfaction.nps`, :func:`~orient.satisfaction.mean_score` and
    :func:`~orient.satisfaction.top2box`; the by-segment table is
    :func:`orient.satisfaction.segment_table`.

    Parameters
    ----------
    company : orient.Company
    measure : {"nps", "index", "mean", "top2"}
    wave, segment : optional
        A value of the survey's ``wave`` / ``segment`` column, or :data:`ALL`.
    weighted : bool
        Use the survey weights when the company has them.

    Returns
    -------
    SatisfactionSlice
    """
    kinds = _measures(company)
    check_choice(measure, list(kinds), "measure")
    label, unit, column, kind, scale = kinds[measure]
    survey = company.survey.copy()
    items = [c for c in company.satisfaction_items if c in survey.columns]
    survey["satisfaction_index"] = satisfaction.index_scores(
        survey[items], {c: company.scale(c) for c in items})
    w = _weights_array(company) if weighted else None
    keep = np.ones(len(survey), dtype=bool)
    if wave != ALL:
        check_choice(wave, _waves_of(survey), "wave")
        keep &= (survey["wave"] == wave).fillna(False).to_numpy(dtype=bool)
    in_wave = survey[keep]
    w_wave = None if w is None else w[keep]
    if segment != ALL:
        check_choice(segment, _segments_of(survey), "segment")
        keep &= (survey["segment"] == segment).fillna(False).to_numpy(dtype=bool)
    part = survey.loc[keep, column]
    w_part = None if w is None else w[keep]
    if kind == "nps":
        est = satisfaction.nps(part, w_part, company.confidence)
    elif kind == "top2":
        est = satisfaction.top2box(part, scale, w_part, company.confidence)
    else:
        est = satisfaction.mean_score(part, w_part, company.confidence)
    segments = None
    if "segment" in survey.columns:
        segments = satisfaction.segment_table(
            in_wave, "segment", column, kind=kind, scale=scale, weights=w_wave,
            min_base=company.min_base, confidence=company.confidence, measure=label)
    composition = None
    if kind == "nps":
        composition = satisfaction.nps_composition(survey[keep], "recommend", weights=w_part)
    return SatisfactionSlice(measure, label, unit, est, est.n < company.min_base, segments,
                             wave, segment, composition)


def _signed(v: float, kind: str) -> str:
    return f"{v:+.1f}" if kind == "nps" else f"{v:.1f}"


def satisfaction_explorer(company: Any, *, measure: str = "nps",
                          figsize: tuple[float, float] = (8.0, 4.5)) -> Explorer:
    """NPS and satisfaction-index calculator by segment and wave.

    Controls: ``measure`` (``"nps"``, ``"index"``, ``"mean"``, ``"top2"``), ``wave`` and
    ``segment`` (:data:`ALL` or a value), ``weighted`` (survey weights on/off).
    ``result`` is a :class:`SatisfactionSlice` (:func:`satisfaction_view`); the figure is
    :func:`orient.plots.segment_index_plot` of the chosen wave (without segments, the NPS
    composition, :func:`orient.plots.nps_composition_plot`).

    Parameters
    ----------
    company : orient.Company
    measure : str
        Starting measure (``"index"`` when the survey has no recommend question).
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    kinds = _measures(company)
    if measure not in kinds:
        measure = "index"
    survey = company.survey
    controls = {
        "measure": widgets.Dropdown(options=[(v[0], k) for k, v in kinds.items()], value=measure,
                                    description="Measure", style=_STYLE),
        "wave": _dropdown(_waves_of(survey), ALL, "Wave", "All waves"),
        "segment": _dropdown(_segments_of(survey), ALL, "Segment", "All segments"),
        "weighted": widgets.Checkbox(value=company.weights is not None,
                                     description="Use the survey weights",
                                     disabled=company.weights is None),
    }

    def compute(measure: str, wave: Any, segment: Any, weighted: bool) -> View:
        res = satisfaction_view(company, measure, wave=wave, segment=segment,
                                weighted=weighted)
        est, kind = res.estimate, kinds[measure][3]
        where = ("all respondents" if segment == ALL else f"segment {segment}") + (
            "" if wave == ALL else f", wave {wave}")
        if res.suppressed:
            text = (f"{res.label}, {where}: {est.n} answers, fewer than the minimum base of "
                    f"{company.min_base}: not reported.")
        else:
            pct = round(100 * company.confidence)
            text = (f"{res.label}, {where}: {_signed(est.value, kind)} ({res.unit}); "
                    f"{pct}% interval {_signed(est.ci_low, kind)} to "
                    f"{_signed(est.ci_high, kind)}; {est.n} answers.")
        fig = table = None
        if res.segments is not None:
            fig, ax = _new_figure(figsize)
            plots.segment_index_plot(res.segments, measure=res.label, unit=res.unit, ax=ax)
            ax.set_title(f"{res.label} by segment" + ("" if wave == ALL else f", wave {wave}"))
            s = res.segments
            table = pd.DataFrame({
                "Respondents": s["n"].to_numpy(),
                res.label: s["shown"].to_numpy(),
                "Against the rest": [
                    "" if sup or pd.isna(d) else f"{d:+.1f}" + (" (significant)" if sig else "")
                    for d, sig, sup in zip(s["difference"], s["significant"], s["suppressed"],
                                           strict=True)],
            }, index=pd.Index(s["segment"].astype(str), name="Segment"))
        elif res.composition is not None and not res.suppressed:  # no segments: NPS parts
            fig, ax = _new_figure(figsize)
            plots.nps_composition_plot(res.composition, ax=ax)
        return View(res, fig, table, text)

    return Explorer("Satisfaction calculator: NPS and index by segment and wave", controls,
                    compute)


# ----------------------------------------------------------------------------------
# stage I: segment portfolio and goal scorecard
# ----------------------------------------------------------------------------------

_MEASURE_NAMES = {"size_share": "Customers (share)", "revenue_share": "Revenue (share)",
                  "margin": "Margin", "growth": "Growth",
                  "satisfaction_index": "Satisfaction index",
                  "competitive_gap": "Gap to competitor"}


def _strategy_result(company: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        return strategy.analyse(company)


def segment_portfolio_explorer(company: Any, *,
                               figsize: tuple[float, float] = (7.0, 6.0)) -> Explorer:
    """Weigh what makes a segment attractive and what says the company can satisfy it.

    Controls: one weight slider (0-3) per measure: ``size_share``, ``revenue_share``,
    ``margin``, ``growth`` (attractiveness) and ``satisfaction_index``,
    ``competitive_gap`` (ability). ``result`` is
    :func:`orient.strategy.segment_portfolio` with those weights; the figure is
    :func:`orient.plots.segment_portfolio_plot`.

    Parameters
    ----------
    company : orient.Company or DataFrame
        A company (its segments are measured by :func:`orient.strategy.analyse`), or a
        :func:`orient.strategy.segment_profile` / portfolio DataFrame.
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    if isinstance(company, pd.DataFrame):
        profile = company
    else:
        profile = _strategy_result(company).portfolio
    if profile.empty:
        raise ValueError("The company has no segments to place: the survey has no segment "
                         "column.")
    attract = list(strategy.DEFAULT_ATTRACTIVENESS)
    ability = list(strategy.DEFAULT_ABILITY)
    controls = {
        k: widgets.FloatSlider(value=float(v), min=0.0, max=3.0, step=0.25,
                               description=f"{_MEASURE_NAMES.get(k, k)} weight",
                               style=_STYLE, layout=_wide(), continuous_update=False)
        for k, v in {**strategy.DEFAULT_ATTRACTIVENESS, **strategy.DEFAULT_ABILITY}.items()
    }

    def compute(**w: float) -> View:
        portfolio = strategy.segment_portfolio(
            profile, attractiveness_weights={k: w[k] for k in attract},
            ability_weights={k: w[k] for k in ability})
        fig, ax = _new_figure(figsize)
        plots.segment_portfolio_plot(portfolio, ax=ax)
        rec = {r: [str(portfolio.loc[s, "label"]) for s in portfolio.index
                   if portfolio.loc[s, "recommendation"] == r]
               for r in ("invest", "selective", "harvest")}
        text = "; ".join(f"{r}: {', '.join(v)}" for r, v in rec.items() if v) or (
            "No recommendation: give at least one weight above 0 on each axis.")
        return View(portfolio, fig, strategy.portfolio_table(portfolio), text)

    return Explorer("Segment portfolio: attractiveness against ability to satisfy", controls,
                    compute)


def scorecard_explorer(company: Any, *,
                       figsize: tuple[float, float] = (11.0, 5.0)) -> Explorer:
    """Move the status boundaries of the goal scorecard.

    Controls: ``on_track`` and ``at_risk`` (shares of the planned change achieved).
    ``result`` is :func:`orient.strategy.goal_scorecard` of the company's goals and
    measured KPIs (as :func:`orient.strategy.analyse` computes them); the figure is
    :func:`orient.plots.scorecard_plot`.

    Parameters
    ----------
    company : orient.Company
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    res = _strategy_result(company)
    goals = strategy.goals_frame(getattr(company.profile, "goals", None) or {})
    if goals.empty:
        raise ValueError("company.yaml has no goals: there is no scorecard to explore.")
    controls = {
        "on_track": widgets.FloatSlider(value=0.9, min=0.05, max=1.0, step=0.05,
                                        description="On track from (share achieved)",
                                        style=_STYLE, layout=_wide(), continuous_update=False),
        "at_risk": widgets.FloatSlider(value=0.5, min=0.0, max=0.95, step=0.05,
                                       description="At risk from (share achieved)",
                                       style=_STYLE, layout=_wide(), continuous_update=False),
    }

    def compute(on_track: float, at_risk: float) -> View:
        card = strategy.goal_scorecard(goals, res.kpis, on_track=on_track, at_risk=at_risk)
        fig, ax = _new_figure(figsize)
        plots.scorecard_plot(card, on_track=on_track, at_risk=at_risk, ax=ax)
        counts = card["status"].value_counts()
        text = ", ".join(f"{int(counts[s])} {s.replace('_', ' ')}" for s in strategy.STATUSES
                         if s in counts) + f"; overall attainment " \
            f"{100 * strategy.overall_attainment(card):.0f}%."
        return View(card, fig, strategy.scorecard_table(card), text)

    return Explorer("Goal scorecard: when is a goal on track?", controls, compute)


# ----------------------------------------------------------------------------------
# service centre: Erlang C
# ----------------------------------------------------------------------------------


def erlang_c_table(calls: float, interval_s: float, aht_s: float, target_s: float = 20, *,
                   agents: Sequence[int] | None = None) -> pd.DataFrame:
    """Erlang C performance (:func:`orient.service.erlang_c`) for a range of agents.

    Parameters
    ----------
    calls, interval_s, aht_s, target_s
        As in :func:`orient.service.erlang_c`.
    agents : sequence of int, optional
        The staffing levels; default from two below the traffic (Erlangs) to ten above.

    Returns
    -------
    DataFrame
        One row per number of agents: ``agents``, ``traffic`` (Erlangs), ``p_wait``,
        ``service_level`` (share answered within ``target_s``), ``asa_s`` (seconds;
        inf when the queue is unstable) and ``occupancy``.
    """
    first = service.erlang_c(calls, interval_s, aht_s, 0, target_s)  # checks the arguments
    del first
    traffic = float(calls) * float(aht_s) / float(interval_s)
    if agents is None:
        lo = max(0, math.floor(traffic) - 2)
        agents = range(lo, math.floor(traffic) + 11)
    rows = []
    for n in agents:
        sl = service.erlang_c(calls, interval_s, aht_s, int(n), target_s)
        rows.append({"agents": int(n), "traffic": traffic, "p_wait": sl.p_wait,
                     "service_level": sl.service_level, "asa_s": sl.asa_s,
                     "occupancy": sl.occupancy})
    return pd.DataFrame(rows, columns=["agents", "traffic", "p_wait", "service_level", "asa_s",
                                       "occupancy"])


def _busiest_interval(company: Any) -> dict[str, float]:
    calls = getattr(company, "calls", None)
    spec = getattr(getattr(company, "profile", None), "service", None)
    out: dict[str, float] = {}
    if spec is not None:
        out.update(interval_s=60.0 * spec.interval_min, target_s=float(spec.target_s),
                   target_level=float(spec.target_level))
    if calls is not None and len(calls):
        row = calls.loc[calls["offered"].idxmax()]
        out.update(calls=float(row["offered"]), aht_s=float(row["aht_s"]))
    return out


def erlang_c_explorer(calls: float = 100, interval_s: float = 1800, aht_s: float = 180,
                      agents: int | None = None, target_s: float = 20,
                      target_level: float = 0.8, *, company: Any = None,
                      figsize: tuple[float, float] = (7.5, 4.5)) -> Explorer:
    """Erlang C staffing calculator: calls, handling time, target and agents.

    Controls: ``calls`` (offered in the interval), ``interval_s`` (15, 30 or 60 minutes),
    ``aht_s`` (average handling time, seconds), ``target_s`` (answer within, seconds),
    ``target_level`` (share to answer within ``target_s``) and ``agents``. ``result`` is
    a one-row DataFrame: ``calls``, ``interval_s``, ``aht_s``, ``traffic`` (Erlangs),
    ``agents``, ``p_wait``, ``service_level``, ``asa_s``, ``occupancy`` (from
    :func:`orient.service.erlang_c`) and ``agents_needed`` (from
    :func:`orient.service.agents_needed`); ``extra["curve"]`` is :func:`erlang_c_table`,
    drawn by :func:`orient.plots.service_level_curve_plot`.

    Parameters
    ----------
    calls, interval_s, aht_s, target_s, target_level
        Starting values (see :func:`orient.service.erlang_c`).
    agents : int, optional
        Starting agents; default the agents needed.
    company : orient.Company, optional
        Start from its busiest call-centre interval (calls offered and handling time)
        and its service targets in company.yaml.
    figsize : (width, height) in inches

    Returns
    -------
    Explorer
    """
    start = {"calls": calls, "interval_s": interval_s, "aht_s": aht_s, "target_s": target_s,
             "target_level": target_level}
    if company is not None:
        start.update(_busiest_interval(company))
    needed0 = service.agents_needed(start["calls"], start["interval_s"], start["aht_s"],
                                    start["target_level"], start["target_s"])
    if agents is None:
        agents = needed0
    intervals = [("15 minutes", 900.0), ("30 minutes", 1800.0), ("1 hour", 3600.0)]
    if float(start["interval_s"]) not in [v for _, v in intervals]:
        intervals.append((f"{start['interval_s'] / 60:g} minutes", float(start["interval_s"])))
    controls = {
        "calls": widgets.IntSlider(value=round(start["calls"]), min=0,
                                   max=max(500, 3 * round(start["calls"])), step=1,
                                   description="Calls offered in the interval", style=_STYLE,
                                   layout=_wide(), continuous_update=False),
        "interval_s": widgets.Dropdown(options=intervals, value=float(start["interval_s"]),
                                       description="Interval", style=_STYLE),
        "aht_s": widgets.IntSlider(value=round(start["aht_s"]), min=10,
                                   max=max(1200, 2 * round(start["aht_s"])), step=5,
                                   description="Average handling time (s)", style=_STYLE,
                                   layout=_wide(), continuous_update=False),
        "target_s": widgets.IntSlider(value=round(start["target_s"]), min=0, max=180, step=5,
                                      description="Answer within (s)", style=_STYLE,
                                      layout=_wide(), continuous_update=False),
        "target_level": widgets.FloatSlider(value=float(start["target_level"]), min=0.5,
                                            max=0.99, step=0.01,
                                            description="Target share answered in time",
                                            style=_STYLE, layout=_wide(),
                                            continuous_update=False),
        "agents": widgets.IntSlider(value=int(agents), min=0, max=max(50, 3 * needed0),
                                    description="Agents", style=_STYLE, layout=_wide(),
                                    continuous_update=False),
    }

    def compute(calls: int, interval_s: float, aht_s: int, target_s: int, target_level: float,
                agents: int) -> View:
        sl = service.erlang_c(calls, interval_s, aht_s, agents, target_s)
        needed = service.agents_needed(calls, interval_s, aht_s, target_level, target_s)
        traffic = calls * aht_s / interval_s
        result = pd.DataFrame([{
            "calls": calls, "interval_s": interval_s, "aht_s": aht_s, "traffic": traffic,
            "agents": agents, "p_wait": sl.p_wait, "service_level": sl.service_level,
            "asa_s": sl.asa_s, "occupancy": sl.occupancy, "agents_needed": needed}])
        lo = max(0, min(agents, needed) - 3)
        curve = erlang_c_table(calls, interval_s, aht_s, target_s,
                               agents=range(lo, max(agents, needed) + 6))
        fig, ax = _new_figure(figsize)
        plots.service_level_curve_plot(curve, target_level=target_level, target_s=target_s,
                                       agents=agents, agents_needed=needed, ax=ax)
        if agents <= traffic and calls > 0:
            text = (f"{agents} agents cannot keep up with {traffic:.1f} Erlangs of traffic: "
                    f"the queue grows without end. The target needs {needed} agents.")
        else:
            text = (f"With {agents} agents: {sl.service_level:.1%} of calls answered within "
                    f"{target_s} s, average speed of answer {sl.asa_s:.0f} s, agents busy "
                    f"{sl.occupancy:.0%} of the time. {target_level:.0%} within {target_s} s "
                    f"needs {needed} agents.")
        table = pd.DataFrame({
            "Service level (%)": (100 * curve["service_level"]).round(1).to_numpy(),
            "Average speed of answer (s)": curve["asa_s"].round(1).to_numpy(),
            "Occupancy (%)": (100 * curve["occupancy"]).round(1).to_numpy(),
        }, index=pd.Index(curve["agents"], name="Agents"))
        return View(result, fig, table, text, {"curve": curve})

    return Explorer("Erlang C staffing calculator", controls, compute)


# ----------------------------------------------------------------------------------
# classroom: checking answers
# ----------------------------------------------------------------------------------


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(
        x, bool | np.bool_)


def _norm_text(x: Any) -> str:
    return " ".join(str(x).split()).casefold()


def _as_number(x: Any) -> float | None:
    if _is_number(x):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x.replace(",", ".").replace("%", "").strip())
        except ValueError:
            return None
    return None


def is_right(answer: Any, expected: Any, tolerance: float = 0.0) -> bool:
    """Whether ``answer`` matches ``expected``.

    Numbers match within ``tolerance`` (absolute); text matches ignoring case and extra
    spaces; True/False must be equal; a list, tuple or set matches when it holds the same
    items in any order (numbers within ``tolerance``). ``None`` (not answered) never
    matches.

    Examples
    --------
    >>> is_right(12.04, 12.0, tolerance=0.1), is_right("  Price ", "price")
    (True, True)
    >>> is_right(["b", "a"], ["a", "b"]), is_right(None, 1)
    (True, False)
    """
    if _is_number(tolerance) is False or tolerance < 0:
        raise ValueError(f"`tolerance` must be a number >= 0; got {tolerance!r}.")
    if answer is None or answer is Ellipsis:
        return False
    if isinstance(expected, bool | np.bool_):
        return isinstance(answer, bool | np.bool_) and bool(answer) == bool(expected)
    if _is_number(expected):
        a = _as_number(answer)
        return a is not None and math.isfinite(a) and \
            abs(a - float(expected)) <= tolerance + 1e-9 * max(1.0, abs(float(expected)))
    if isinstance(expected, str):
        return not isinstance(answer, bool) and _norm_text(answer) == _norm_text(expected)
    if isinstance(expected, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series):
        if isinstance(answer, str) or not isinstance(
                answer, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series):
            return False
        exp, ans = list(expected), list(answer)
        if len(exp) != len(ans):
            return False
        left = list(ans)
        for e in exp:
            hit = next((i for i, a in enumerate(left) if is_right(a, e, tolerance)), None)
            if hit is None:
                return False
            left.pop(hit)
        return True
    return answer == expected


def feedback(answer: Any, expected: Any, tolerance: float = 0.0, *, unit: str = "") -> str:
    """A friendly sentence saying whether ``answer`` is right (see :func:`is_right`).

    A wrong answer is told whether it is too high or too low (numbers), or how many of
    its items are right (lists), never the expected value itself.

    Examples
    --------
    >>> feedback(14, 14)
    'Right! 14 is correct.'
    >>> feedback(10, 14)
    'Not quite: 10 is too low. Have another look and try again.'
    """
    u = f" {unit}" if unit else ""
    if answer is None or answer is Ellipsis:
        return "No answer yet: replace None with your answer and run the cell again."
    if is_right(answer, expected, tolerance):
        within = f" (within {tolerance:g}{u} of the expected value)" if tolerance and \
            _is_number(expected) else ""
        return f"Right! {_show(answer)}{u} is correct{within}."
    if _is_number(expected) and not isinstance(expected, bool):
        a = _as_number(answer)
        if a is None:
            return f"Not quite: the answer is a number, and {answer!r} is not one. Try again."
        side = "high" if a > float(expected) else "low"
        return f"Not quite: {_show(answer)}{u} is too {side}. Have another look and try again."
    if isinstance(expected, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series) and \
            not isinstance(expected, str):
        if isinstance(answer, str) or not isinstance(
                answer, Sequence | set | frozenset | pd.Index | np.ndarray | pd.Series):
            return (f"Not quite: the answer is a list of {len(expected)} items, e.g. "
                    "['a', 'b']. Try again.")
        exp = list(expected)
        good = sum(any(is_right(a, e, tolerance) for e in exp) for a in answer)
        missing = len(exp) - good
        return (f"Not quite: {good} of your {len(answer)} item(s) are right"
                + (f" and {missing} {'is' if missing == 1 else 'are'} missing"
                   if missing > 0 else "")
                + ". Try again.")
    return f"Not quite: {_show(answer)} is not it. Have another look and try again."


def _show(x: Any) -> str:
    if _is_number(x):
        return f"{float(x):g}" if isinstance(x, float | np.floating) else str(x)
    return repr(x) if isinstance(x, str) else str(x)


def check(answer: Any, expected: Any, tolerance: float = 0.0, *, unit: str = "") -> None:
    """Print whether the student's ``answer`` is right (for lesson notebooks).

    Parameters
    ----------
    answer : object
        The student's answer (None while not answered).
    expected : number, str, bool or list
        The right answer, computed in the notebook by the orient functions.
    tolerance : float
        Allowed absolute difference for numbers.
    unit : str
        Unit shown after the number.

    Examples
    --------
    >>> check(25, 25.0)
    Right! 25 is correct.
    """
    print(feedback(answer, expected, tolerance, unit=unit))
