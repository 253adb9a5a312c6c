"""Operations: the service centre, quality control and the CRM pipeline (stage IV).

Subpackages and modules
-----------------------
service
    Erlang C staffing, call-centre intervals and claims handling.
quality
    Shewhart control charts, run rules, process capability, acceptance sampling.
risk
    ``operational_risk``: the biggest risk across the operations headlines.

Each subpackage holds method modules (data in, tidy DataFrames out; nothing of
companies or languages), ``stage.py`` (``analyse(company)``, the result and its
``headline``) and ``narrative.py`` (its sentences in the report language).
"""

from orient.operations import quality, service
from orient.operations.risk import operational_risk

__all__ = ["operational_risk", "quality", "service"]
