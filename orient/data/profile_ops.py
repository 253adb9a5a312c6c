"""The operational parts of ``company.yaml``: the service centre (shifts, chat, tiers,
service hours, outsourcing), quality control and the CRM (stages, commission rules).

Models of :mod:`orient.data.profile`, kept here so that each file reads in one sitting;
import them from :mod:`orient.data.profile`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from orient.data.sections import _Model

__all__ = [
    "CRMSpec",
    "Characteristic",
    "ChatSpec",
    "CommissionSpec",
    "CommissionTier",
    "HoursSpec",
    "OutsourcingSpec",
    "QualitySpec",
    "ServiceSpec",
    "ShiftSpec",
    "TierSpec",
]


class ShiftSpec(_Model):
    """One shift type of the roster (orient.operations.service.roster.shift_types)."""

    name: str | None = None
    hours: float = Field(gt=0, le=24, description="length including the break")
    starts: list[str] | None = Field(default=None, description="start times, HH:MM")
    earliest: str | None = None
    latest: str | None = None
    every_min: int = Field(default=60, gt=0)
    break_min: int = Field(default=0, ge=0)
    break_after_h: list[float] | None = Field(default=None, min_length=2, max_length=2)
    cost: float | None = Field(default=None, ge=0, description="per agent shift")

    @model_validator(mode="after")
    def _start(self):
        if not self.starts and not self.earliest:
            raise ValueError("a shift needs starts (a list of HH:MM) or earliest/latest")
        return self


class ChatSpec(_Model):
    """A chat queue: rows of the calls table whose ``queue`` is ``queue``."""

    queue: str = "chat"
    concurrency: int = Field(default=2, ge=1, le=10)
    target_s: float = Field(default=60, gt=0)
    target_level: float = Field(default=0.8, gt=0, lt=1)
    slowdown: float = Field(default=0.0, ge=0, description="extra handling time per extra chat")


class TierSpec(_Model):
    """Specialists (second level) taking a share of the first level's calls."""

    escalated_share: float = Field(gt=0, le=1)
    specialist_aht_s: float = Field(gt=0)
    specialist_target_s: float | None = Field(default=None, gt=0)
    specialist_target_level: float | None = Field(default=None, gt=0, lt=1)
    specialist_cost_per_hour: float | None = Field(default=None, ge=0)


class HoursSpec(_Model):
    """A service-hours scenario: the line open from ``open`` to ``close`` (HH:MM)."""

    name: str
    open: str = "00:00"
    close: str = "24:00"


class OutsourcingSpec(_Model):
    """An outsourcer's offer, for the make-or-buy comparison."""

    price_per_call: float = Field(gt=0)
    fixed_per_day: float = Field(
        default=0.0, ge=0, description="in-house costs not varying with calls"
    )


class ServiceSpec(_Model):
    """Call-centre service targets."""

    interval_min: int = Field(default=30, gt=0)
    target_s: float = Field(default=20, gt=0)
    target_level: float = Field(default=0.8, gt=0, lt=1)
    max_abandon_rate: float = Field(default=0.05, ge=0, lt=1)
    shrinkage: float = Field(default=0.0, ge=0, lt=1)
    agent_cost_per_hour: float | None = Field(default=None, ge=0)
    claim_target_days: float | None = Field(default=None, gt=0)
    # call centre: Erlang A, roster, chat, tiers, service hours, make or buy
    patience_s: float | None = Field(default=None, gt=0, description="callers' mean patience")
    max_occupancy: float | None = Field(default=None, gt=0, le=1)
    shifts: list[ShiftSpec] | None = None
    chat: ChatSpec | None = None
    tiers: TierSpec | None = None
    service_hours: list[HoursSpec] | None = None
    outsourcing: OutsourcingSpec | None = None


class Characteristic(_Model):
    label: str | None = None
    unit: str | None = None
    lsl: float | None = None
    usl: float | None = None
    target: float | None = None

    @model_validator(mode="after")
    def _limits(self):
        if self.lsl is not None and self.usl is not None and not self.lsl < self.usl:
            raise ValueError(f"specification limits reversed (lsl {self.lsl}, usl {self.usl})")
        return self


class QualitySpec(_Model):
    """Quality control settings: specification limits per measured characteristic."""

    characteristics: dict[str, Characteristic] = Field(default_factory=dict)
    trial_subgroups: int | None = Field(default=None, gt=1)
    aql: float | None = Field(default=None, gt=0, lt=1)
    ltpd: float | None = Field(default=None, gt=0, lt=1)
    rules: Literal["western_electric", "nelson"] = Field(
        default="western_electric",
        description="run rules on the Shewhart charts: Western Electric's four or Nelson's eight",
    )
    revise_limits: bool = Field(
        default=False,
        description="phase I: leave out the subgroups beyond the limits and recompute them",
    )
    ewma_lambda: float = Field(default=0.2, gt=0, le=1, description="EWMA smoothing weight")
    ewma_nsigmas: float = Field(default=3.0, gt=0, description="EWMA limits in sigmas")
    cusum_k: float = Field(default=0.5, ge=0, description="CUSUM allowance, standard errors")
    cusum_h: float = Field(default=5.0, gt=0, description="CUSUM decision interval")


class CommissionTier(_Model):
    """From this amount of a manager's period total on, this rate applies."""

    from_amount: float = Field(default=0, ge=0, alias="from")
    rate: float = Field(ge=0, le=1)


class CommissionSpec(_Model):
    """Sales commission rules: a rate or tiers on won or paid amounts, per period,
    and a piece rate per won deal."""

    basis: Literal["won", "paid"] = Field(
        default="won", description="won: planned amount of won deals; paid: amount paid"
    )
    rate: float | None = Field(default=None, ge=0, le=1)
    tiers: list[CommissionTier] | None = None
    tiers_apply: Literal["marginal", "whole"] = Field(
        default="marginal",
        description="marginal: each tier's rate on the part of the total within it; "
        "whole: the rate of the tier reached on the whole total",
    )
    period: Literal["month", "quarter", "year"] = "month"
    per_deal: float = Field(default=0, ge=0, description="piece rate per won deal")

    @model_validator(mode="after")
    def _rule(self):
        if self.rate is None and not self.tiers and not self.per_deal:
            raise ValueError("crm.commission needs rate, tiers or per_deal")
        if self.rate is not None and self.tiers:
            raise ValueError("give crm.commission rate or tiers, not both")
        if self.tiers:
            starts = [t.from_amount for t in self.tiers]
            if starts != sorted(starts) or len(set(starts)) != len(starts) or starts[0] != 0:
                raise ValueError(
                    f"crm.commission tiers must start at 0 and rise (got from {starts})"
                )
        return self


class CLVSpec(_Model):
    """Customer lifetime value: the horizon and the monthly discount rate."""

    horizon_months: int = Field(default=12, gt=0, le=120, description="months ahead valued")
    discount_rate: float = Field(
        default=0.01, ge=0, lt=1, description="discount rate per month (0.01 = 1% a month)"
    )


class FrontlineSpec(_Model):
    """The front-line information system whose payback is measured: its costs and the
    company's own assumptions that turn better offers into money."""

    cost: float = Field(ge=0, description="one-off cost of the system, in the company currency")
    running_cost: float = Field(default=0, ge=0, description="running cost per month")
    margin: float = Field(gt=0, le=1, description="gross margin on an extra sale (0.3 = 30%)")
    acceptance: float = Field(
        gt=0, le=1, description="share of correct offers that turn into an extra sale"
    )
    offers_per_month: float | None = Field(
        default=None,
        gt=0,
        description="offers made to existing clients a month; without it, the repeat "
        "purchases a month of the deals table",
    )


class CRMSpec(_Model):
    stages: list[str] | None = Field(default=None, description="pipeline stages in order")
    payment_terms_days: int | None = Field(default=None, ge=0)
    commission: CommissionSpec | None = None
    clv: CLVSpec = CLVSpec()
    frontline: FrontlineSpec | None = None
    stall_days: float | dict[str, float] | None = Field(
        default=None,
        description="days after which an open deal is stalled: one limit, or one per stage",
    )
    stall_quantile: float = Field(
        default=0.9,
        gt=0,
        lt=1,
        description="without stall_days: stalled beyond this quantile of won deals' time at "
        "the stage (with a stage history) or of their whole cycle",
    )
    in_work_days: int = Field(
        default=30, gt=0, description="a client contacted within these days is in work"
    )
    stage_values: dict[str, str] | None = Field(
        default=None,
        description="the CRM's stage value -> won, lost or an open stage of the funnel; "
        "the outcome column is then derived from the stage",
    )

    @model_validator(mode="after")
    def _stage_values(self):
        if not self.stage_values or self.stages is None:
            return self
        for value, target in self.stage_values.items():
            if target not in ("won", "lost") and target not in self.stages:
                raise ValueError(
                    f"stage_values maps {value!r} to {target!r}, which is neither won, lost "
                    f"nor one of crm.stages ({', '.join(self.stages)})"
                )
        return self
