"""The explorer frame: controls wired to a compute function, and shared helpers.

:class:`Explorer` and :class:`View`, and what every explorer uses: figures outside
pyplot, dropdowns, the segments and waves of a survey, the survey weights.
"""

from __future__ import annotations

import html
import io
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from orient.errors import OrientError, OrientWarning
from orient.present.tables import Table

__all__ = [
    "ALL",
    "Explorer",
    "View",
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
        The figure drawn with :mod:`orient.present.plots`.
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


def _html_table(table: pd.DataFrame | Table | None) -> str:
    if table is None or table.empty:
        return ""
    if isinstance(table, Table):
        return table.to_html()
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

    def __init__(
        self,
        title: str,
        controls: Mapping[str, widgets.Widget],
        compute: Callable[..., View],
        *,
        buttons: Sequence[widgets.Button] = (),
    ):
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
            raise ValueError(
                f"`{unknown[0]}` is not a control of this explorer; its controls "
                f"are {', '.join(self.controls)}."
            )
        for k, v in values.items():  # check every value before changing any control
            w = self.controls[k]
            if hasattr(w, "options") and v not in _option_values(w):
                raise ValueError(
                    f"`{k}` must be one of {', '.join(map(repr, _option_values(w)))}; got {v!r}."
                )
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


def _dropdown(
    options: Sequence, value: Any, description: str, all_label: str | None = None
) -> widgets.Dropdown:
    opts = ([(all_label, ALL)] if all_label else []) + [(str(o), o) for o in options]
    return widgets.Dropdown(
        options=opts, value=value, description=description, style={"description_width": "initial"}
    )


_STYLE = {"description_width": "initial"}


def _wide() -> widgets.Layout:
    return widgets.Layout(width="460px")


def _slider(
    kind: str, value: Any, low: Any, high: Any, *, description: str, step: Any = None
) -> widgets.Widget:
    """An explorer's slider ("int" or "float"): wide, its label in full, and computing
    only when released (``continuous_update=False``: each value costs an analysis)."""
    cls = widgets.IntSlider if kind == "int" else widgets.FloatSlider
    options = {} if step is None else {"step": step}
    return cls(
        value=value,
        min=low,
        max=high,
        description=description,
        style=_STYLE,
        layout=_wide(),
        continuous_update=False,
        **options,
    )


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(
        x, bool | np.bool_
    )
