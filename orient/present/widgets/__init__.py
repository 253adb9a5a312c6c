"""Interactive explorers for JupyterLab and the classroom (ipywidgets + matplotlib).

Each explorer is a function that takes a company (or results) and returns an
:class:`Explorer`: an ``ipywidgets.VBox`` of controls, the figure (a PNG image widget)
and a small table. Moving a control recomputes through the same package functions the
notebooks and the report use (one source of truth) and redraws with the same
:mod:`orient.present.plots` functions; the widgets only wire controls to them.

Every explorer also works without a browser: set its controls (or call
``explorer.update(name=value, ...)``) and read ``explorer.result`` (the analysis
output), ``explorer.figure`` (the matplotlib Figure drawn) and ``explorer.table``
(the table shown). Nothing is displayed at import and nothing is global; figures are
``matplotlib.figure.Figure`` objects outside pyplot, so no backend is needed.

Modules
-------
explorer
    The frame: :class:`Explorer`, :class:`View`, :data:`ALL` and shared helpers.
strategy
    Stage I: ``segment_portfolio_explorer`` (portfolio weights),
    ``scorecard_explorer`` (status boundaries of the goal scorecard).
satisfaction
    Stage II: ``satisfaction_explorer``, ``satisfaction_view``, ``SatisfactionSlice``:
    NPS, satisfaction index, mean and top-2-box by segment and wave.
priorities
    Stage III: ``strategic_matrix_explorer``, ``segment_matrix``: cut lines, segment
    and driver method of the strategic matrix.
implementation
    Stage IV: ``what_if_explorer``, ``what_if_table`` (move one attribute toward the
    competitor's level, see the predicted change in overall satisfaction and the 0-100
    index), ``house_of_quality_explorer`` (requirement weights -> technical importance).
operations
    Service centre: ``erlang_c_explorer``, ``erlang_c_table`` (calls, handling time,
    target and agents -> service level, ASA, occupancy and the agents needed).
classroom
    ``check``, ``feedback``, ``is_right``: compare a student's answer with the expected
    one and say so kindly.
"""

from orient.present.widgets.classroom import check, feedback, is_right
from orient.present.widgets.explorer import ALL, Explorer, View
from orient.present.widgets.implementation import (
    house_of_quality_explorer,
    what_if_explorer,
    what_if_table,
)
from orient.present.widgets.operations import erlang_c_explorer, erlang_c_table
from orient.present.widgets.priorities import segment_matrix, strategic_matrix_explorer
from orient.present.widgets.satisfaction import (
    SatisfactionSlice,
    satisfaction_explorer,
    satisfaction_view,
)
from orient.present.widgets.strategy import scorecard_explorer, segment_portfolio_explorer

__all__ = [
    "ALL",
    "Explorer",
    "SatisfactionSlice",
    "View",
    "check",
    "erlang_c_explorer",
    "erlang_c_table",
    "feedback",
    "house_of_quality_explorer",
    "is_right",
    "satisfaction_explorer",
    "satisfaction_view",
    "scorecard_explorer",
    "segment_matrix",
    "segment_portfolio_explorer",
    "strategic_matrix_explorer",
    "what_if_explorer",
    "what_if_table",
]
