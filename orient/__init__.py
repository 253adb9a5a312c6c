"""orient: a Jupyter-first customer-orientation playbook.

The four stages of the customer-orientation model, each a module:
:mod:`orient.strategy` (I), :mod:`orient.satisfaction` (II),
:mod:`orient.priorities` (III) and :mod:`orient.implementation` (IV), with
:mod:`orient.service`, :mod:`orient.quality` and :mod:`orient.crm` for operations.
Company folders are read by :mod:`orient.data`; tables, figures and explorers for
readers live in :mod:`orient.present` (``orient.present.plots``,
``orient.present.widgets``).
"""

import importlib

from .data import Company, load_company
from .errors import DataError, OrientError, OrientWarning, ReportError

__version__ = "0.1.0"

#: the submodules imported on first use (``orient.crm``, ``from orient import crm``):
#: reading a company or building a report's page in the calling process needs none of
#: the stage methods (scipy, statsmodels), nor papermill (report, batch)
_LAZY = {
    "batch",
    "crm",
    "data",
    "implementation",
    "networkview",
    "priorities",
    "quality",
    "report",
    "satisfaction",
    "service",
    "stages",
    "stats",
    "strategy",
    "synth",
}


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name == "network":
        from .networkview import network

        return network
    raise AttributeError(f"module 'orient' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
