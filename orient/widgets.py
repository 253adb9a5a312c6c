"""Shim: the explorers moved to :mod:`orient.present.widgets` (one module per stage).

``orient.widgets.<name>`` keeps working for every name it had; the lead removes this
module after the merge.
"""

from orient.present.widgets import *  # noqa: F401,F403
from orient.present.widgets import __all__  # noqa: F401
from orient.present.widgets.classroom import _as_number, _norm_text, _show  # noqa: F401
from orient.present.widgets.explorer import (  # noqa: F401
    _ERRORS,
    _STYLE,
    _dropdown,
    _html_table,
    _is_number,
    _new_figure,
    _option_values,
    _png,
    _segments_of,
    _waves_of,
    _weights_array,
    _wide,
)
from orient.present.widgets.implementation import _attribute_means  # noqa: F401
from orient.present.widgets.operations import _busiest_interval  # noqa: F401
from orient.present.widgets.priorities import _QUADRANT_WORDS, _matrix_table  # noqa: F401
from orient.present.widgets.satisfaction import _measures, _signed  # noqa: F401
from orient.present.widgets.strategy import _MEASURE_NAMES, _strategy_result  # noqa: F401
