"""Stage IV reader tables of the conjoint study, the market simulator and the improvement
loop (the builders behind :func:`orient.implementation.display.display_table`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from orient.i18n import DASH, format_number, message
from orient.implementation.narrative import count, design_text, loop_waves
from orient.present.tables import (
    Table,
    fmt_interval,
    fmt_number,
    fmt_term,
    fmt_yesno,
)

if TYPE_CHECKING:
    from orient.implementation.stage import ImplementationResult

from orient.implementation._display_common import (
    _decimals,
    _empty,
    _heading,
    _level,
    _View,
)


def _level_text(value: Any, language: str) -> Any:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return format_number(value, language, _decimals([value]))
    return str(value)


def _design(result: ImplementationResult, view: _View) -> Table:
    design = result.design
    if design is None or not len(design):
        return _empty(view)
    lang = view.language
    levels = getattr(result.conjoint, "levels", None) or {
        c: list(pd.unique(design[c])) for c in design.columns
    }
    cols: dict[str, Any] = {"Profile": [int(v) for v in design.index]}
    for c in design.columns:
        cols[view.feature(c)] = [_level_text(v, lang) for v in design[c]]
    caption = message(
        "table_captions",
        "The conjoint design, {profiles}: {construction}",
        lang,
        profiles=count(len(design), "profile", lang),
        construction=design_text(
            design.attrs.get("construction"), levels, lang, features=view.conjoint_labels
        ),
    )
    return Table.build(cols, language=lang, caption=caption)


def _design_check(result: ImplementationResult, view: _View) -> Table:
    check = result.design_check
    if check is None or not len(check):
        return _empty(view)
    lang = view.language
    cols = {
        "Feature": [view.feature(a) for a in check["attribute_a"]],
        "Other feature": [view.feature(b) for b in check["attribute_b"]],
        "Largest correlation of their codes": fmt_number(
            check["max_abs_correlation"].abs(), lang, 2
        ),
        "Orthogonal": fmt_yesno(check["orthogonal"], lang),
        "Balanced": fmt_yesno(check["balanced"], lang),
    }
    caption = message(
        "table_captions",
        "Design check: pairs of features orthogonal (measured "
        "separately): {k} of {m}; balanced (every level shown equally often): {b}",
        lang,
        k=int(check["orthogonal"].sum()),
        m=len(check),
        b=int(check["balanced"].sum()),
    )
    return Table.build(cols, language=lang, caption=caption)


def _wtp(result: ImplementationResult, view: _View) -> Table:
    conj = result.conjoint
    if conj is None or conj.wtp is None or not len(conj.wtp):
        return _empty(view)
    lang = view.language
    w = conj.wtp
    price = view.feature(conj.price) if conj.price else DASH
    cols = {
        "Feature": [view.feature(a) for a in w["attribute"]],
        "Level": [_level_text(v, lang) for v in w["level"]],
        _heading("Willingness to pay ({price})", lang, price=price): fmt_number(
            w["estimate"], lang, 2
        ),
        "Interval": fmt_interval(w["ci_low"], w["ci_high"], lang, 2),
    }
    n = int(conj.partworths["n"].max()) if "n" in conj.partworths.columns else None
    caption = message(
        "table_captions",
        "What customers would pay for each level rather than the feature's "
        "least preferred one, in the units of {price} ({level} intervals; {tasks})",
        lang,
        price=price,
        level=_level(w, lang),
        tasks=count(n, "task", lang),
    )
    return Table.build(cols, language=lang, caption=caption)


def _market(result: ImplementationResult, view: _View) -> Table:
    market = result.market
    if market is None or not len(market):
        return _empty(view)
    lang = view.language
    cols = {
        "Offer": [str(k) for k in market.index],
        "Utility": fmt_number(market["utility"], lang, 2, signed=True),
        "Logit share of preference (%)": fmt_number(market["share_logit"], lang, 1, scale=100),
        "First-choice share (%)": fmt_number(market["share_first_choice"], lang, 1, scale=100),
    }
    caption = message(
        "table_captions",
        "Share of preference of {offers} simulated, by the logit and the first-choice rule",
        lang,
        offers=count(len(market), "offer", lang),
    )
    return Table.build(cols, language=lang, caption=caption)


# --- the improvement loop ---------------------------------------------------------------

#: the reasons :func:`~orient.implementation.improvement_loop` gives, by their first words
_REASONS = {
    "no change of quadrant:": "carry_on",
    "importance gained weight:": "importance_gained",
    "importance lost weight:": "importance_lost",
    "measured in one wave only:": "one_wave_only",
    "performance rose past the cut:": "performance_rose",
    "performance fell below the cut:": "performance_fell",
}


def _reason(reason: Any, language: str) -> str:
    key = next((v for k, v in _REASONS.items() if str(reason).startswith(k)), None)
    return fmt_term([f"reason_{key}"], "implementation", language)[0] if key else str(reason)


def _loop(result: ImplementationResult, view: _View) -> Table:
    loop = result.loop
    if loop is None or not len(loop):
        return _empty(view)
    lang = view.language
    lp = loop.assign(_c=~loop["changed"].astype(bool)).sort_values("_c", kind="stable")
    back = [
        "none" if b is None or (isinstance(b, float) and np.isnan(b)) else str(b)
        for b in lp["back_to"]
    ]
    waves = loop_waves(result)  # compared with a simple matrix per wave
    importance = "Change in importance (correlation)" if waves else "Change in importance"
    performance = "Change in performance (mean rating)" if waves else "Change in performance"
    cols = {
        "Attribute": [view.label(k) for k in lp.index],
        "Quadrant before": fmt_term(lp["quadrant_before"], "quadrant", lang),
        "Quadrant after": fmt_term(lp["quadrant_after"], "quadrant", lang),
        importance: fmt_number(lp["importance_change"], lang, 3, signed=True),
        performance: fmt_number(lp["performance_change"], lang, 2, signed=True),
        "Back to": fmt_term([f"back_to_{b}" for b in back], "implementation", lang),
        "Why": [_reason(r, lang) for r in lp["reason"]],
    }
    changed, total = int(loop["changed"].sum()), len(loop)
    if waves:
        caption = message(
            "table_captions",
            "Quadrant changes between waves {earlier} and {later}: "
            "attributes that changed quadrant: {k} of {m} (changes first)",
            lang,
            earlier=waves[0],
            later=waves[1],
            k=changed,
            m=total,
        )
    else:
        caption = message(
            "table_captions",
            "Quadrant changes between the earlier and the later strategic "
            "matrix: attributes that changed quadrant: {k} of {m} (changes first)",
            lang,
            k=changed,
            m=total,
        )
    return Table.build(cols, language=lang, caption=caption)
