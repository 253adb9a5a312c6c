"""The goal scorecard: which goals, how far along, who is measured on what.

The company's goals (customer goals such as satisfaction, loyalty and retention, balanced
against modernising processes, staff and financial results) laid out as a balanced
scorecard: :func:`goals_frame` reads them, :func:`goal_scorecard` fills in each goal's
current value, gives it a status by its distance to target (:func:`goal_status`), and
:func:`overall_attainment` / :func:`perspective_summary` weigh them into attainment
figures; :mod:`orient.strategy.conflicts` flags goals that pull against each other or
against stage III's priorities; :func:`incentive_link` says which owner is measured on which
goals, and how heavily. No company, no language: the sentences are
:mod:`orient.strategy.narrative`'s.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from orient._validate import check_columns, check_dataframe
from orient.errors import DataError
from orient.strategy._common import _ROUND, _get

__all__ = [
    "INTENTS",
    "PERSPECTIVES",
    "STATUSES",
    "goal_scorecard",
    "goal_status",
    "goals_frame",
    "incentive_link",
    "overall_attainment",
    "perspective_summary",
]

#: balanced-scorecard perspectives, in the order the report shows them
PERSPECTIVES = ("customer", "process", "people", "financial")

#: goal statuses, best first
STATUSES = ("on_track", "at_risk", "off_track", "no_data")

#: what a goal intends to do to the attributes it names
INTENTS = ("improve", "maintain", "cut_cost")

_GOAL_COLUMNS = [
    "perspective",
    "label",
    "kpi",
    "unit",
    "owner",
    "weight",
    "direction",
    "baseline",
    "target",
    "current",
    "attributes",
    "intent",
]


def goals_frame(goals: Mapping[str, Any]) -> pd.DataFrame:
    """Turn the ``goals`` section of company.yaml into a DataFrame.

    Parameters
    ----------
    goals : mapping
        Goal key -> goal, each a validated ``company.yaml`` goal model or a plain dict
        with the fields ``perspective``, ``kpi``, ``baseline``, ``target``, ``weight``,
        ``owner`` and optionally ``label``, ``unit``, ``direction`` (``"higher"`` or
        ``"lower"`` is better; default ``"higher"``), ``current``, ``attributes`` (attribute
        keys the goal acts on) and ``intent`` (``"improve"``, ``"maintain"``,
        ``"cut_cost"``).

    Returns
    -------
    pandas.DataFrame
        Indexed by goal key, with columns ``perspective``, ``label``, ``kpi``, ``unit``,
        ``owner``, ``weight``, ``direction``, ``baseline``, ``target``, ``current``
        (NaN when not given), ``attributes`` (tuple of attribute keys) and ``intent``
        (None when not given).

    Raises
    ------
    DataError
        When a goal lacks a required field or has a bad value; the message names the
        key path (``goals.<key>.<field>``).
    """
    if not isinstance(goals, Mapping):
        raise TypeError(
            f"`goals` must be a mapping of goal key -> goal; got {type(goals).__name__}."
        )
    rows = []
    for key, goal in goals.items():
        where = f"goals.{key}"
        row = {}
        for name in ("perspective", "kpi", "baseline", "target", "weight", "owner"):
            value = _get(goal, name)
            if value is None:
                raise DataError(
                    f"goal {key!r} has no {name}",
                    file="company.yaml",
                    column=f"{where}.{name}",
                    expected=f"a {name} for every goal",
                )
            row[name] = value
        row["label"] = _get(goal, "label") or str(key).replace("_", " ")
        row["unit"] = _get(goal, "unit") or ""
        row["direction"] = _get(goal, "direction") or "higher"
        current = _get(goal, "current")
        row["current"] = np.nan if current is None else float(current)
        row["attributes"] = tuple(_get(goal, "attributes") or ())
        row["intent"] = _get(goal, "intent")
        if row["perspective"] not in PERSPECTIVES:
            raise DataError(
                "unknown perspective",
                file="company.yaml",
                column=f"{where}.perspective",
                value=row["perspective"],
                expected="one of " + ", ".join(PERSPECTIVES),
            )
        if row["direction"] not in ("higher", "lower"):
            raise DataError(
                "unknown direction",
                file="company.yaml",
                column=f"{where}.direction",
                value=row["direction"],
                expected="'higher' or 'lower' (which is better)",
            )
        if row["intent"] is not None and row["intent"] not in INTENTS:
            raise DataError(
                "unknown intent",
                file="company.yaml",
                column=f"{where}.intent",
                value=row["intent"],
                expected="one of " + ", ".join(INTENTS),
            )
        for name in ("baseline", "target", "weight"):
            v = row[name]
            if (
                isinstance(v, bool)
                or not isinstance(v, (int, float, np.number))
                or not math.isfinite(v)
            ):
                raise DataError(
                    f"{name} must be a finite number",
                    file="company.yaml",
                    column=f"{where}.{name}",
                    value=v,
                    expected="a number",
                )
            row[name] = float(v)
        if row["weight"] <= 0:
            raise DataError(
                "weight must be positive",
                file="company.yaml",
                column=f"{where}.weight",
                value=row["weight"],
                expected="a number > 0",
            )
        sign = 1.0 if row["direction"] == "higher" else -1.0
        if sign * (row["target"] - row["baseline"]) < 0:
            raise DataError(
                f"target is worse than baseline for a '{row['direction']} is better' KPI",
                file="company.yaml",
                column=f"{where}.target",
                value=row["target"],
                expected=f"a target {'>=' if sign > 0 else '<='} the baseline {row['baseline']:g}",
            )
        rows.append(pd.Series(row, name=key))
    if not rows:
        return pd.DataFrame(columns=_GOAL_COLUMNS, index=pd.Index([], name="goal"))
    frame = pd.DataFrame(rows)[_GOAL_COLUMNS]
    frame.index.name = "goal"
    for name in ("weight", "baseline", "target", "current"):
        frame[name] = frame[name].astype(float)
    return frame


def goal_status(attainment: Any, *, on_track: float = 0.9, at_risk: float = 0.5) -> Any:
    """Status of a goal from its attainment (share of the planned change achieved).

    Boundary rules (attainment first rounded to 12 decimals, so 0.1 + 0.8 counts as 0.9):

    * ``"on_track"``  when attainment >= ``on_track`` (default 0.9: at most 10% of the
      planned change still to go, or the target met or beaten);
    * ``"at_risk"``   when ``at_risk`` <= attainment < ``on_track`` (default: half or more
      of the planned change achieved);
    * ``"off_track"`` when attainment < ``at_risk`` (including moving the wrong way);
    * ``"no_data"``   when attainment is NaN (no current value).

    Parameters
    ----------
    attainment : float or array-like
    on_track, at_risk : float
        The two boundaries, ``0 <= at_risk < on_track <= 1``.

    Returns
    -------
    str or numpy.ndarray of str

    Examples
    --------
    >>> goal_status(0.9), goal_status(0.5), goal_status(0.49)
    ('on_track', 'at_risk', 'off_track')
    """
    for name, v in (("on_track", on_track), ("at_risk", at_risk)):
        if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)):
            raise TypeError(f"`{name}` must be a number; got {v!r}.")
    if not 0 <= at_risk < on_track <= 1:
        raise ValueError(
            "status boundaries must satisfy 0 <= at_risk < on_track <= 1; "
            f"got at_risk={at_risk!r}, on_track={on_track!r}."
        )
    a = np.round(np.asarray(attainment, dtype=float), _ROUND)
    out = np.where(
        np.isnan(a),
        "no_data",
        np.where(a >= on_track, "on_track", np.where(a >= at_risk, "at_risk", "off_track")),
    )
    return str(out) if out.ndim == 0 else out.astype(object)


def _attainment(baseline, target, current, direction) -> np.ndarray:
    """Share of the planned change achieved: (current - baseline) / (target - baseline).

    For a hold goal (target == baseline) the span is |target| (1 when the target is 0),
    so attainment = 1 - shortfall / span with the shortfall in the KPI's good direction.
    """
    baseline, target, current = (np.asarray(x, dtype=float) for x in (baseline, target, current))
    sign = np.where(np.asarray(direction) == "lower", -1.0, 1.0)
    span = np.abs(target - baseline)
    span = np.where(span > 0, span, np.where(np.abs(target) > 0, np.abs(target), 1.0))
    shortfall = sign * (target - current)
    return 1.0 - shortfall / span


def goal_scorecard(
    goals: pd.DataFrame,
    measured: pd.DataFrame | Mapping[str, float] | None = None,
    *,
    on_track: float = 0.9,
    at_risk: float = 0.5,
) -> pd.DataFrame:
    """The balanced scorecard: every goal with its current value, attainment and status.

    Parameters
    ----------
    goals : DataFrame
        From :func:`goals_frame`.
    measured : DataFrame or mapping, optional
        KPI values computed from the data (:func:`measured_kpis`, or a mapping KPI key ->
        value). A goal whose KPI is measured takes that value; otherwise it keeps the
        ``current`` value from company.yaml (source ``"company.yaml"``).
    on_track, at_risk : float
        Status boundaries, see :func:`goal_status`.

    Returns
    -------
    pandas.DataFrame
        Indexed by goal key, ordered by perspective, with columns ``perspective``,
        ``label``, ``kpi``, ``unit``, ``owner``, ``direction``, ``weight`` (share of the
        total weight; sums to 1), ``baseline``, ``target``, ``current`` (NaN when
        unknown), ``source`` (``"stage II"``, ``"survey"``, ``"finance"``,
        ``"company.yaml"`` or ``"none"``), ``to_go`` (distance still to cover to the
        target in the KPI's good direction; negative when beaten), ``attainment`` (share
        of the planned change from baseline to target achieved, see :func:`goal_status`)
        and ``status``.

    Examples
    --------
    >>> goals = goals_frame({"csi": {"perspective": "customer", "kpi": "satisfaction_index",
    ...                              "baseline": 60, "target": 70, "weight": 1,
    ...                              "owner": "CEO"}})
    >>> sc = goal_scorecard(goals, {"satisfaction_index": 66.0})
    >>> float(sc.loc["csi", "attainment"]), sc.loc["csi", "status"]
    (0.6, 'at_risk')
    """
    check_dataframe(goals, "goals")
    check_columns(
        goals, ["perspective", "kpi", "owner", "weight", "direction", "baseline", "target"], "goals"
    )
    goal_status(0.0, on_track=on_track, at_risk=at_risk)  # checks the boundaries
    if measured is None:
        measured_values: dict[str, tuple[float, str]] = {}
    elif isinstance(measured, pd.DataFrame):
        measured_values = {
            k: (float(r["value"]), str(r.get("source", "data"))) for k, r in measured.iterrows()
        }
    elif isinstance(measured, Mapping):
        measured_values = {k: (float(v), "given") for k, v in measured.items() if v is not None}
    else:
        raise TypeError(
            f"`measured` must be a DataFrame or a mapping; got {type(measured).__name__}."
        )
    out = goals.copy()
    if "current" not in out:
        out["current"] = np.nan
    for name in ("label", "unit"):
        if name not in out:
            out[name] = "" if name == "unit" else out.index.astype(str)
    current, source = [], []
    for _key, row in out.iterrows():
        if row["kpi"] in measured_values:
            v, s = measured_values[row["kpi"]]
        elif pd.notna(row["current"]):
            v, s = float(row["current"]), "company.yaml"
        else:
            v, s = np.nan, "none"
        current.append(v)
        source.append(s)
    out["current"] = np.asarray(current, dtype=float)
    out["source"] = source
    total = out["weight"].sum()
    out["weight"] = out["weight"] / total if total > 0 else np.nan
    sign = np.where(out["direction"] == "lower", -1.0, 1.0)
    out["to_go"] = sign * (out["target"] - out["current"])
    out["attainment"] = _attainment(
        out["baseline"], out["target"], out["current"], out["direction"]
    )
    out["status"] = goal_status(out["attainment"].to_numpy(), on_track=on_track, at_risk=at_risk)
    order = pd.Categorical(out["perspective"], categories=PERSPECTIVES, ordered=True)
    out = out.iloc[np.argsort(order.codes, kind="stable")]
    cols = [
        "perspective",
        "label",
        "kpi",
        "unit",
        "owner",
        "direction",
        "weight",
        "baseline",
        "target",
        "current",
        "source",
        "to_go",
        "attainment",
        "status",
    ]
    return out[cols]


def overall_attainment(scorecard: pd.DataFrame) -> float:
    """Weighted attainment of all goals with a current value, on 0-1.

    Each goal's attainment is capped to [0, 1] first (beating one target does not make
    up for missing another; moving the wrong way counts as 0), then averaged with the
    goal weights renormalised over the goals that have a current value. NaN when no goal
    has one.
    """
    check_dataframe(scorecard, "scorecard")
    check_columns(scorecard, ["weight", "attainment"], "scorecard")
    ok = scorecard["attainment"].notna()
    if not ok.any():
        return float("nan")
    a = scorecard.loc[ok, "attainment"].clip(0.0, 1.0)
    w = scorecard.loc[ok, "weight"]
    return float((a * w).sum() / w.sum())


def perspective_summary(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Goals, weight and attainment by balanced-scorecard perspective.

    Returns
    -------
    pandas.DataFrame
        Indexed by perspective (all four, in :data:`PERSPECTIVES` order), with columns
        ``n_goals``, ``weight`` (share of the total weight), ``attainment`` (as
        :func:`overall_attainment` within the perspective; NaN when none measured),
        ``on_track``, ``at_risk``, ``off_track`` and ``no_data`` (goal counts).
    """
    rows = []
    for p in PERSPECTIVES:
        part = scorecard[scorecard["perspective"] == p]
        row = {
            "n_goals": len(part),
            "weight": float(part["weight"].sum()),
            "attainment": overall_attainment(part) if len(part) else np.nan,
        }
        for s in STATUSES:
            row[s] = int((part["status"] == s).sum())
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(PERSPECTIVES, name="perspective"))


def incentive_link(scorecard: pd.DataFrame) -> pd.DataFrame:
    """Which owner is measured on which goals, and with what weight.

    Each owner's incentive weights are that owner's goal weights rescaled to sum to 1.

    Returns
    -------
    pandas.DataFrame
        One row per owner and goal (sorted by owner, then weight descending), columns
        ``owner``, ``goal``, ``perspective``, ``kpi``, ``weight`` (share in the owner's
        scheme; sums to 1 per owner), ``attainment``, ``status`` and
        ``owner_attainment`` (the owner's weighted, capped attainment, as
        :func:`overall_attainment`; NaN when none of the owner's goals is measured) and
        ``customer_weight`` (share of the owner's scheme on customer-perspective goals).
    """
    check_dataframe(scorecard, "scorecard")
    check_columns(
        scorecard, ["owner", "weight", "perspective", "kpi", "attainment", "status"], "scorecard"
    )
    parts = []
    for _owner, part in scorecard.groupby("owner", sort=True):
        p = part.reset_index(names="goal")
        p["weight"] = p["weight"] / p["weight"].sum()
        p["owner_attainment"] = overall_attainment(p)
        p["customer_weight"] = float(p.loc[p["perspective"] == "customer", "weight"].sum())
        parts.append(p.sort_values("weight", ascending=False, kind="stable"))
    cols = [
        "owner",
        "goal",
        "perspective",
        "kpi",
        "weight",
        "attainment",
        "status",
        "owner_attainment",
        "customer_weight",
    ]
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts, ignore_index=True)[cols]
