"""orient: a Jupyter-first customer-orientation playbook.

The four stages of the customer-orientation model, each a module:
:mod:`orient.strategy` (I), :mod:`orient.satisfaction` (II),
:mod:`orient.priorities` (III) and :mod:`orient.implementation` (IV), with
:mod:`orient.service`, :mod:`orient.quality` and :mod:`orient.crm` for operations.
Company folders are read by :mod:`orient.data`; tables, figures and explorers for
readers live in :mod:`orient.present` (``orient.present.plots``,
``orient.present.widgets``).
"""

from . import (
    crm,
    data,
    implementation,
    priorities,
    quality,
    satisfaction,
    service,
    stages,
    stats,
    strategy,
    synth,
)
from .data import Company, load_company
from .errors import DataError, OrientError, OrientWarning, ReportError
from .networkview import network

__version__ = "0.1.0"

_LAZY = {"report", "batch"}


def __getattr__(name: str):
    # report and batch pull in papermill: import them on first use
    if name in _LAZY:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'orient' has no attribute {name!r}")


__all__ = [
    "Company",
    "DataError",
    "OrientError",
    "OrientWarning",
    "ReportError",
    "crm",
    "data",
    "implementation",
    "load_company",
    "network",
    "priorities",
    "quality",
    "satisfaction",
    "service",
    "stages",
    "stats",
    "strategy",
    "synth",
    "__version__",
    "batch",
    "report",
]
