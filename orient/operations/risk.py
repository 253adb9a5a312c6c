"""The biggest operational risk across the service, quality and CRM headlines.

Each operations headline (:func:`orient.operations.service.headline`,
:func:`orient.operations.quality.headline`, :func:`orient.operations.crm.headline`)
names its own biggest risk with a rough ``risk_severity``; this module picks the
most severe of them. Dicts in, a dict out: nothing here knows of companies or
languages.
"""

from __future__ import annotations

__all__ = ["operational_risk"]


def operational_risk(*headlines: dict | None) -> dict:
    """The biggest operational risk across the service, quality and CRM headlines.

    Parameters
    ----------
    *headlines : dict
        Results of the service, quality and CRM ``headline`` functions (None or
        dicts without a risk are skipped).

    Returns
    -------
    dict
        ``risk`` (text), ``risk_value``, ``risk_unit`` and ``risk_severity`` of the
        most severe risk, all None when no module found one. Severity is a rough
        score: the relative distance from the target (service level, abandonment,
        claims on time, Cpk 1.33) or the share affected (out-of-control subgroups,
        overdue receivables, the main refusal reason).

    Examples
    --------
    >>> operational_risk({"risk": "a", "risk_value": 1, "risk_unit": "x", "risk_severity": 0.2},
    ...                  {"risk": "b", "risk_value": 2, "risk_unit": "y", "risk_severity": 0.5},
    ...                  None)["risk"]
    'b'
    """
    found = [h for h in headlines if h and h.get("risk") is not None]
    if not found:
        return {"risk": None, "risk_value": None, "risk_unit": None, "risk_severity": None}
    top = max(found, key=lambda h: h.get("risk_severity") or 0.0)
    return {k: top.get(k) for k in ("risk", "risk_value", "risk_unit", "risk_severity")}
