"""Shim: the charts moved to :mod:`orient.present.plots` (one module per stage).

``orient.plots.<name>`` keeps working for every name it had; the lead removes this
module after the merge.
"""

from orient.present.plots import *  # noqa: F401,F403
from orient.present.plots import PALETTE, __all__  # noqa: F401
from orient.present.plots.common import (  # noqa: F401
    _get_ax,
    _label_of,
    _tick_decimals,
)
from orient.present.plots.priorities import _QUADRANT_NAMES, _place_labels  # noqa: F401
from orient.present.plots.satisfaction import _finite, _fmt, _sig  # noqa: F401
from orient.present.plots.strategy import (  # noqa: F401
    _REC_COLOURS,
    _STATUS_COLOURS,
    _STATUS_LABELS,
)
