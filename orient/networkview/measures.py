"""The network's numbers: a tidy table of every company's headline measures, league
tables, each company's percentile in the network, the priorities shared across the
network and the companies that moved significantly since their previous wave."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "LEAGUE_MEASURES",
    "MEASURES",
    "Measure",
    "league",
    "movers",
    "percentiles",
    "shared_priorities",
    "tidy_table",
]


@dataclass(frozen=True)
class Measure:
    """One headline number of summary.json: where it is, its interval and base, its unit."""

    key: str
    stage: str
    field: str
    label: str  # English; translated under terms.network
    unit: str  # "points", "percent", "share", "scale", "currency", "count"
    ci: tuple[str, str] | None = None
    n: str | None = None  # headline field with the base; None: no base
    higher_is_better: bool = True
    wave: str | None = None  # "last": the change between the last two waves


MEASURES: tuple[Measure, ...] = (
    Measure(
        "satisfaction_index",
        "satisfaction",
        "satisfaction_index",
        "Satisfaction index",
        "points",
        ("satisfaction_index_ci_low", "satisfaction_index_ci_high"),
        "n",
    ),
    Measure("nps", "satisfaction", "nps", "NPS", "points", ("nps_ci_low", "nps_ci_high"), "n"),
    Measure(
        "share_satisfied",
        "satisfaction",
        "top2box",
        "Share satisfied (top-2-box)",
        "percent",
        ("top2box_ci_low", "top2box_ci_high"),
        "n",
    ),
    Measure(
        "mean_overall",
        "satisfaction",
        "mean_overall",
        "Overall satisfaction, mean",
        "scale",
        ("mean_overall_ci_low", "mean_overall_ci_high"),
        "n",
    ),
    Measure("promoters", "satisfaction", "promoters", "Promoters", "percent", None, "n"),
    Measure(
        "detractors",
        "satisfaction",
        "detractors",
        "Detractors",
        "percent",
        None,
        "n",
        higher_is_better=False,
    ),
    Measure(
        "index_change",
        "satisfaction",
        "index_change",
        "Satisfaction index, change",
        "points",
        ("index_change_ci_low", "index_change_ci_high"),
        "n",
        wave="last",
    ),
    Measure(
        "nps_change",
        "satisfaction",
        "nps_change",
        "NPS, change",
        "points",
        ("nps_change_ci_low", "nps_change_ci_high"),
        "n",
        wave="last",
    ),
    Measure(
        "drivers_r2", "priorities", "r2", "Variance explained by the attributes", "share", None, "n"
    ),
    Measure("goal_attainment", "strategy", "overall_attainment", "Goal attainment", "share"),
    Measure("service_level", "service", "service_level", "Service level", "share"),
    Measure(
        "claims_within_target",
        "service",
        "claims_within_target",
        "Claims resolved in time",
        "share",
        None,
        "claims_n",
    ),
    Measure(
        "win_rate",
        "crm",
        "win_rate",
        "Win rate",
        "share",
        ("win_rate_ci_low", "win_rate_ci_high"),
        "deals",
    ),
    Measure(
        "defective_share",
        "quality",
        "defective_share",
        "Defective share",
        "share",
        higher_is_better=False,
    ),
    Measure(
        "total_npv", "implementation", "total_npv", "Net present value of the plan", "currency"
    ),
)
_BY_KEY = {m.key: m for m in MEASURES}

#: measures that get a league table and a percentile (comparable across companies)
LEAGUE_MEASURES: tuple[str, ...] = (
    "satisfaction_index",
    "nps",
    "share_satisfied",
    "service_level",
    "win_rate",
)

TIDY_COLUMNS = (
    "company",
    "company_name",
    "measure",
    "label",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "unit",
    "wave",
    "previous_wave",
    "period",
    "significant",
)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) else None


def _headline(summary: dict, stage: str) -> dict:
    entry = summary.get("stages", {}).get(stage) or {}
    return entry.get("headline") or {} if entry.get("status") == "ok" else {}


def _waves(summary: dict, sat: dict) -> tuple[str | None, str | None]:
    last, previous = sat.get("last_wave"), sat.get("previous_wave")
    waves = (summary.get("base") or {}).get("waves") or []
    if last is None and waves:
        last = str(waves[-1])
    if previous is None and len(waves) >= 2 and sat.get("index_change") is not None:
        previous = str(waves[-2])
    return last, previous


def _significant(value: float, lo: float | None, hi: float | None, flag: Any) -> bool | None:
    """A change is significant when its interval leaves out zero; without an interval,
    the flag summary.json gives (None when it gives none)."""
    if lo is not None and hi is not None:
        return bool(lo > 0 or hi < 0)
    return bool(flag) if isinstance(flag, bool) else None


def _rows(slug: str, summary: dict) -> list[dict]:
    company = summary.get("company") or {}
    base = summary.get("base") or {}
    rows = []
    last, previous = _waves(summary, _headline(summary, "satisfaction"))
    for m in MEASURES:
        h = _headline(summary, m.stage)
        value = _number(h.get(m.field))
        if value is None:
            continue
        lo, hi = (_number(h.get(m.ci[0])), _number(h.get(m.ci[1]))) if m.ci else (None, None)
        n = _number(h.get(m.n)) if m.n else None
        if m.n == "n" and n is None:
            n = _number(base.get("respondents"))
        sig = None
        if m.wave:
            sig = _significant(value, lo, hi, h.get(f"{m.field}_significant"))
        rows.append(
            {
                "company": slug,
                "company_name": str(company.get("name") or slug),
                "measure": m.key,
                "label": m.label,
                "value": value,
                "ci_low": lo,
                "ci_high": hi,
                "n": n,
                "unit": summary["company"].get("currency") if m.unit == "currency" else m.unit,
                "wave": last if m.stage == "satisfaction" else None,
                "previous_wave": previous if m.wave else None,
                "period": base.get("period"),
                "significant": sig,
            }
        )
    return rows


def tidy_table(summaries: dict[str, dict]) -> pd.DataFrame:
    """One row per company x measure: value, interval, base n, unit, wave and period.

    Missing numbers are left out (no row), so every row has a value; ``ci_low``,
    ``ci_high``, ``n``, ``wave`` may be empty where the summary has none.
    ``significant`` is set for the changes since the previous wave only.
    """
    rows = [r for slug, s in summaries.items() for r in _rows(slug, s)]
    frame = pd.DataFrame(rows, columns=list(TIDY_COLUMNS))
    for col in ("value", "ci_low", "ci_high", "n"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    frame["significant"] = frame["significant"].astype("boolean")
    for col in ("company", "company_name", "measure", "label", "unit", "wave"):
        frame[col] = frame[col].astype("string")
    for col in ("previous_wave", "period"):
        frame[col] = frame[col].astype("string")
    return frame.reset_index(drop=True)


def league(table: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The companies ranked on ``measure``, best first (ties share the better rank).

    Columns: ``rank``, ``company``, ``company_name``, ``value``, ``ci_low``,
    ``ci_high``, ``n``, ``versus_median`` (``above`` when the whole interval is above
    the network's median, ``below`` when it is all below, ``overlaps`` otherwise;
    None without an interval or with fewer than three companies).
    """
    m = _BY_KEY[measure]
    rows = table[table["measure"] == measure].copy()
    cols = ["company", "company_name", "value", "ci_low", "ci_high", "n"]
    rows = rows[cols].sort_values(
        ["value", "company"], ascending=[not m.higher_is_better, True], kind="stable"
    )
    rows.insert(0, "rank", rows["value"].rank(method="min", ascending=not m.higher_is_better))
    rows["rank"] = rows["rank"].astype(int)
    median = rows["value"].median()
    rows["versus_median"] = None
    if len(rows) >= 3:
        above = rows["ci_low"] > median
        below = rows["ci_high"] < median
        known = rows["ci_low"].notna() & rows["ci_high"].notna()
        rows.loc[known, "versus_median"] = "overlaps"
        rows.loc[known & above, "versus_median"] = "above"
        rows.loc[known & below, "versus_median"] = "below"
    rows.attrs["median"] = float(median) if len(rows) else None
    return rows.reset_index(drop=True)


def percentiles(table: pd.DataFrame, measures=LEAGUE_MEASURES) -> pd.DataFrame:
    """Each company's percentile in the network on each measure: the share of the *other*
    companies it is ahead of, ties counted half (0: last, 100: first; "ahead" is
    "lower" where lower is better). None with one company only.

    Columns: ``company``, ``company_name``, ``measure``, ``value``, ``percentile``,
    ``others`` (how many companies it is compared with).
    """
    out = []
    for key in measures:
        m = _BY_KEY[key]
        rows = table[table["measure"] == key]
        values = rows["value"].to_numpy(dtype=float)
        for name, slug, v in zip(rows["company_name"], rows["company"], values, strict=True):
            others = len(values) - 1
            pct = None
            if others:
                behind = (values < v).sum() if m.higher_is_better else (values > v).sum()
                tied = (values == v).sum() - 1
                pct = 100.0 * (behind + 0.5 * tied) / others
            out.append(
                {
                    "company": slug,
                    "company_name": name,
                    "measure": key,
                    "value": float(v),
                    "percentile": pct,
                    "others": others,
                }
            )
    return pd.DataFrame(
        out, columns=["company", "company_name", "measure", "value", "percentile", "others"]
    )


def shared_priorities(summaries: dict[str, dict], first: int = 3) -> pd.DataFrame:
    """The attributes among the first ``first`` items to improve (stage III), counted
    over the companies that have priorities.

    Columns: ``attribute`` (key), ``label``, ``companies`` (how many have it among their
    first items), ``first_priority`` (how many have it first), ``of`` (companies with
    priorities); sorted by ``companies``, then ``first_priority``, most first.
    Attributes are matched by key across companies; the label is the first company's.
    """
    counts: dict[str, list] = {}
    with_priorities = 0
    for summary in summaries.values():
        h = _headline(summary, "priorities")
        if not h:
            continue
        with_priorities += 1
        improve = [str(a) for a in (h.get("improve") or [])][:first]
        labels = h.get("labels") or {}
        if h.get("top_priority") and h.get("top_priority_label"):
            labels = {str(h["top_priority"]): h["top_priority_label"], **labels}
        for i, attr in enumerate(improve):
            entry = counts.setdefault(attr, [labels.get(attr), 0, 0])
            entry[0] = entry[0] or labels.get(attr)
            entry[1] += 1
            entry[2] += int(i == 0)
    rows = [
        {
            "attribute": a,
            "label": str(lab or a.replace("_", " ").capitalize()),
            "companies": c,
            "first_priority": f,
            "of": with_priorities,
        }
        for a, (lab, c, f) in counts.items()
    ]
    frame = pd.DataFrame(rows, columns=["attribute", "label", "companies", "first_priority", "of"])
    frame = frame.sort_values(
        ["companies", "first_priority", "attribute"], ascending=[False, False, True]
    )
    frame.attrs["with_priorities"] = with_priorities
    return frame.reset_index(drop=True)


def movers(table: pd.DataFrame) -> pd.DataFrame:
    """The changes since the previous wave (satisfaction index and NPS) of every company
    that has two waves, significant ones first, then by size of the change.

    Columns: ``company``, ``company_name``, ``measure``, ``previous_wave``, ``wave``,
    ``change``, ``ci_low``, ``ci_high``, ``significant``, ``direction`` (``up``,
    ``down`` or ``none`` when not significant).
    """
    rows = table[table["measure"].isin(["index_change", "nps_change"])].copy()
    rows = rows.rename(columns={"value": "change"})
    rows["direction"] = "none"
    sig = rows["significant"].fillna(False).astype(bool)
    rows.loc[sig & (rows["change"] > 0), "direction"] = "up"
    rows.loc[sig & (rows["change"] < 0), "direction"] = "down"
    rows["_order"] = ~sig
    rows["_size"] = -rows["change"].abs()
    rows = rows.sort_values(["_order", "_size", "company", "measure"], kind="stable")
    cols = [
        "company",
        "company_name",
        "measure",
        "previous_wave",
        "wave",
        "change",
        "ci_low",
        "ci_high",
        "significant",
        "direction",
    ]
    return rows[cols].reset_index(drop=True)


def measure(key: str) -> Measure:
    """The :class:`Measure` of ``key``."""
    return _BY_KEY[key]
