"""Operations: the service centre, quality control and the CRM pipeline (stage IV).

Subpackages and modules
-----------------------
service
    Erlang C staffing, call-centre intervals and claims handling.
quality
    Shewhart control charts, run rules, process capability, acceptance sampling.
crm
    Funnel, win rates, sales cycle, refusals, receivables and the customer card.
risk
    ``operational_risk``: the biggest risk across the three headlines.

Each subpackage holds method modules (data in, tidy DataFrames out; nothing of
companies or languages), ``stage.py`` (``analyse(company)``, the result and its
``headline``) and ``narrative.py`` (its sentences in the report language).
"""

from orient.operations import crm, quality, service
from orient.operations.risk import operational_risk

__all__ = ["crm", "operational_risk", "quality", "service"]
