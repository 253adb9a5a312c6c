"""Stage IV charts: house of quality, action plan and what-if, conjoint, payback."""

from __future__ import annotations

from orient.present.plots.common import (
    PALETTE,
    _get_ax,
    _label_of,
    describe,
    language_ticks,
    plot_text,
)

__all__ = [
    "action_plan_plot",
    "conjoint_importance_plot",
    "house_of_quality_plot",
    "market_share_plot",
    "partworths_plot",
    "payback_plot",
    "technical_importance_plot",
    "what_if_plot",
]


def house_of_quality_plot(house, *, labels=None, ax=None, language="en"):
    """The house of quality's relationship matrix as an annotated heatmap.

    Rows are the customer requirements (with their relative weight), columns the
    technical characteristics (with their relative technical importance); cells show the
    strength 9/3/1 (blank for none).

    Parameters
    ----------
    house : orient.implementation.HouseOfQuality
    labels : dict, optional
        Display names for requirements and characteristics (key -> label).
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import BoundaryNorm, ListedColormap

    ax = _get_ax(ax)
    labels = labels or {}
    rel = house.relationships
    values = rel.to_numpy(dtype=float)
    req_w = house.requirements["relative_weight"]
    tech = house.technical
    names = {
        c: labels.get(c) or (tech.loc[c, "label"] if "label" in tech else None) or c
        for c in rel.columns
    }
    cmap = ListedColormap(["#ffffff", "#d6e6f4", "#7fb2dc", PALETTE["own"]])
    norm = BoundaryNorm([-0.5, 0.5, 2, 6, 10], cmap.N)
    # blank (0 or not given) cells are white either way; filling keeps their cell borders
    _heatmap(
        ax,
        rel.fillna(0.0).to_numpy(dtype=float),
        cmap=cmap,
        norm=norm,
        linecolor=PALETTE["neutral"],
        yticklabels=[
            plot_text(
                "{name} ({share:.0f}%)",
                language,
                name=labels.get(r, r),
                share=100 * float(req_w[r]),
            )
            for r in rel.index
        ],
        xticklabels=[
            plot_text(
                "{name} ({share:.0f}%)",
                language,
                name=names[c],
                share=100 * float(tech.loc[c, "relative"]),
            )
            for c in rel.columns
        ],
    )
    # one annotation per non-blank cell (seaborn's ``annot`` would write every cell);
    # seaborn puts cell (i, j) at (j + 0.5, i + 0.5), first requirement on top
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if v > 0:
                ax.text(
                    j + 0.5,
                    i + 0.5,
                    f"{v:g}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="white" if v >= 9 else "black",
                )
    plt.setp(ax.get_xticklabels(), rotation=40, ha="right")
    plt.setp(ax.get_yticklabels(), rotation=0)
    ax.set_xlabel(plot_text("Technical characteristic (share of technical importance)", language))
    ax.set_ylabel(plot_text("Customer requirement (share of weight)", language))
    ax.set_title(
        plot_text("House of quality: relationship strength (9 strong, 3 medium, 1 weak)", language)
    )
    if len(rel.columns):
        top = tech["relative"].reindex(rel.columns).idxmax()
        gaps = [labels.get(r, r) for r in rel.index if not (rel.loc[r].fillna(0) >= 9).any()]
        text = plot_text(
            "House of quality: {n_req} customer requirements linked to {n_char} technical "
            "characteristics; {top} carries the most technical importance ({share:.0f}%).",
            language,
            n_req=len(rel.index),
            n_char=len(rel.columns),
            top=names[top],
            share=100 * float(tech.loc[top, "relative"]),
        )
        if gaps:
            text += " " + plot_text(
                "No strong link for: {names}.", language, names=", ".join(map(str, gaps))
            )
        describe(ax, text)
    language_ticks(ax, language)
    return ax


def _heatmap(ax, values, *, cmap, norm, linecolor, xticklabels, yticklabels) -> None:
    """A matrix of cells, first row on top, a label at every row and column, no frame.

    What ``seaborn.heatmap(..., cbar=False, linewidths=0.5)`` draws, without importing
    seaborn or drawing the figure once to see whether labels overlap (the house of quality
    turns its labels itself).
    """
    import numpy as np

    for spine in ax.spines.values():
        spine.set_visible(False)
    data = np.ma.masked_where(np.zeros(values.shape, dtype=bool), values)
    ax.pcolormesh(data, cmap=cmap, norm=norm, linewidths=0.5, edgecolor=linecolor)
    ax.set(xlim=(0, values.shape[1]), ylim=(0, values.shape[0]))
    ax.invert_yaxis()
    ax.set(xticks=np.arange(values.shape[1]) + 0.5, yticks=np.arange(values.shape[0]) + 0.5)
    ax.set_xticklabels(xticklabels)
    for label in ax.set_yticklabels(yticklabels, rotation="vertical"):
        label.set_verticalalignment("center")


def technical_importance_plot(technical, *, labels=None, ax=None, language="en"):
    """Relative technical importance of each characteristic, largest on top.

    Parameters
    ----------
    technical : DataFrame
        ``house_of_quality(...)`` or ``HouseOfQuality.technical`` (``relative``, ``rank``).
    labels : mapping, optional
        Display label by characteristic key (default: the table's ``label``).
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    ax = _get_ax(ax)
    labels = labels or {}
    t = technical.sort_values("relative")
    names = [labels.get(c) or (t.loc[c, "label"] if "label" in t else None) or c for c in t.index]
    ax.barh(names, 100 * t["relative"], color=PALETTE["own"])
    for y, v in enumerate(100 * t["relative"]):
        ax.text(v, y, plot_text(" {v:.1f}%", language, v=float(v)), va="center", fontsize=9)
    ax.set_xlabel(plot_text("Relative technical importance (%)", language))
    ax.set_ylabel(plot_text("Technical characteristic", language))
    ax.set_title(plot_text("Where engineering effort serves customers most", language))
    if len(t):
        describe(
            ax,
            plot_text(
                "Technical importance: {first} first with {share:.1f}%, {last} last with "
                "{last_share:.1f}%.",
                language,
                first=names[-1],
                share=100 * float(t["relative"].iloc[-1]),
                last=names[0],
                last_share=100 * float(t["relative"].iloc[0]),
            ),
        )
    language_ticks(ax, language)
    return ax


def action_plan_plot(plan, *, labels=None, ax=None, language="en", share=False):
    """Predicted gain in the 0-100 satisfaction index of each action, with its interval
    (``share``: a two-point overall, whose index gain is the change in the share
    satisfied in percentage points, and the axis says so).

    Parameters
    ----------
    plan : DataFrame
        :func:`orient.implementation.action_plan` (``index_gain``, ``index_ci_low``,
        ``index_ci_high``, ``quadrant``, ``payback_months``).
    labels : mapping, optional
        Display label by attribute key.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import numpy as np

    ax = _get_ax(ax)
    labels = labels or {}
    p = plan.iloc[::-1]
    y = np.arange(len(p))
    colors = [PALETTE["bad"] if q == "improve" else PALETTE["good"] for q in p["quadrant"]]
    gain = p["index_gain"].to_numpy(dtype=float)
    err = np.vstack(
        [
            gain - p["index_ci_low"].to_numpy(dtype=float),
            p["index_ci_high"].to_numpy(dtype=float) - gain,
        ]
    )
    ax.barh(y, gain, xerr=err, color=colors, capsize=3, ecolor="black")
    right = np.fmax(p["index_ci_high"].to_numpy(dtype=float), gain)
    for yi, (x, pb) in enumerate(zip(right, p["payback_months"], strict=True)):
        note = (
            "  " + plot_text("payback {months:.0f} months", language, months=float(pb))
            if np.isfinite(pb)
            else ""
        )
        ax.text(max(x, 0), yi, note, va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([labels.get(a, a) for a in p.index])
    ax.axvline(0, color=PALETTE["neutral"], linewidth=0.8)
    if share:
        ax.set_xlabel(
            plot_text("Predicted gain in the share satisfied (percentage points)", language)
        )
    else:
        ax.set_xlabel(
            plot_text("Predicted gain in the satisfaction index (0-100 points)", language)
        )
    ax.set_ylabel(plot_text("Attribute acted on", language))
    # without an action declared in company.yaml the targets are illustrative: no plan
    declared = "target_source" not in plan or bool((plan["target_source"] == "company.yaml").any())
    ax.set_title(
        plot_text(
            "Action plan: predicted gain if each target is reached (red: improve, "
            "green: keep advantage)"
            if declared
            else "Illustrative what-if: predicted gain at each illustrative target (red: "
            "improve, green: keep advantage)",
            language,
        )
    )
    if len(plan) and np.isfinite(gain).any():
        best = p.index[int(np.nanargmax(gain))]
        describe(
            ax,
            plot_text(
                "Action plan: {n} actions ({n_improve} to improve, {n_keep} to keep an advantage); "
                "the largest predicted gain is {best} with {gain:+.1f} points of the satisfaction "
                "index."
                if declared
                else "Illustrative what-if, not a plan: {n} attributes ({n_improve} to improve, "
                "{n_keep} to keep an advantage); the largest predicted gain is {best} with "
                "{gain:+.1f} points of the satisfaction index.",
                language,
                n=len(plan),
                n_improve=int((plan["quadrant"] == "improve").sum()),
                n_keep=int((plan["quadrant"] == "keep_advantage").sum()),
                best=labels.get(best, best),
                gain=float(np.nanmax(gain)),
            ),
        )
    language_ticks(ax, language)
    return ax


def partworths_plot(result, *, labels=None, ax=None, language="en"):
    """Conjoint part-worths by attribute level, with intervals.

    Parameters
    ----------
    result : orient.implementation.ConjointResult
    labels : mapping, optional
        Display label by conjoint attribute key.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import numpy as np

    ax = _get_ax(ax)
    labels = labels or {}
    pw = result.partworths
    x0 = 0
    ticks, ticklabels = [], []
    for k, (attr, sub) in enumerate(pw.groupby("attribute", sort=False)):
        x = np.arange(x0, x0 + len(sub))
        est = sub["estimate"].to_numpy(dtype=float)
        err = np.vstack(
            [est - sub["ci_low"].to_numpy(dtype=float), sub["ci_high"].to_numpy(dtype=float) - est]
        )
        color = list(PALETTE.values())[k % len(PALETTE)]
        ax.errorbar(
            x, est, yerr=err, marker="o", color=color, capsize=3, label=labels.get(attr, attr)
        )
        ticks.extend(x)
        ticklabels.extend(plot_text("{level}", language, level=_plain(v)) for v in sub["level"])
        x0 += len(sub) + 1
    ax.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xticks(ticks)
    ax.set_xticklabels(ticklabels, rotation=40, ha="right")
    ax.set_xlabel(plot_text("Attribute level", language))
    ax.set_ylabel(plot_text("Part-worth (utility)", language))
    ax.set_title(plot_text("What each feature level is worth to customers", language))
    ax.legend(fontsize=8)
    if len(pw):
        best = pw.loc[pw.groupby("attribute", sort=False)["estimate"].idxmax()]
        describe(
            ax,
            plot_text(
                "Part-worths of {n} features; the most attractive level of each: {best}.",
                language,
                n=len(best),
                best="; ".join(
                    plot_text(
                        "{feature}: {level}", language, feature=labels.get(a, a), level=_plain(lv)
                    )
                    for a, lv in zip(best["attribute"], best["level"], strict=True)
                ),
            ),
        )
    language_ticks(ax, language)
    return ax


def conjoint_importance_plot(result, *, labels=None, ax=None, language="en"):
    """Conjoint attribute importance (% of the sum of part-worth ranges).

    Parameters
    ----------
    result : orient.implementation.ConjointResult
    labels : mapping, optional
        Display label by conjoint attribute key.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    ax = _get_ax(ax)
    labels = labels or {}
    imp = result.importance.sort_values("importance")
    names = [labels.get(a, a) for a in imp["attribute"]]
    ax.barh(names, imp["importance"], color=PALETTE["accent"])
    for y, v in enumerate(imp["importance"]):
        ax.text(v, y, plot_text(" {v:.0f}%", language, v=float(v)), va="center", fontsize=9)
    ax.set_xlabel(
        plot_text("Importance in the choice (% of the sum of part-worth ranges)", language)
    )
    ax.set_ylabel(plot_text("Conjoint attribute", language))
    ax.set_title(plot_text("What drives the choice between offers", language))
    if len(imp):
        describe(
            ax,
            plot_text(
                "What drives the choice: {first} weighs most with {share:.0f}%, {last} least with "
                "{last_share:.0f}%.",
                language,
                first=names[-1],
                share=float(imp["importance"].iloc[-1]),
                last=names[0],
                last_share=float(imp["importance"].iloc[0]),
            ),
        )
    language_ticks(ax, language)
    return ax


def market_share_plot(market, *, ax=None, language="en"):
    """Share of preference of each product scenario (logit and first choice).

    Parameters
    ----------
    market : DataFrame
        :func:`orient.implementation.simulate_market`.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import numpy as np

    ax = _get_ax(ax)
    y = np.arange(len(market))
    h = 0.38
    ax.barh(
        y + h / 2,
        100 * market["share_logit"],
        h,
        color=PALETTE["own"],
        label=plot_text("logit share of preference", language),
    )
    ax.barh(
        y - h / 2,
        100 * market["share_first_choice"],
        h,
        color=PALETTE["competitor"],
        label=plot_text("first-choice share", language),
    )
    ax.set_yticks(y)
    ax.set_yticklabels(list(market.index))
    ax.invert_yaxis()
    ax.set_xlabel(plot_text("Share of preference (%)", language))
    ax.set_ylabel(plot_text("Product scenario", language))
    ax.set_title(plot_text("Market simulator: share of preference", language))
    ax.legend(fontsize=8)
    if len(market):
        describe(
            ax,
            plot_text(
                "Logit share of preference: {shares}.",
                language,
                shares="; ".join(
                    plot_text("{offer} {share:.0f}%", language, offer=str(k), share=100 * float(v))
                    for k, v in market["share_logit"].items()
                ),
            ),
        )
    language_ticks(ax, language)
    return ax


def payback_plot(investments, *, horizon_months=None, ax=None, language="en"):
    """Payback months of each investment, coloured by kind (frontline or back office).

    Parameters
    ----------
    investments : DataFrame
        :func:`orient.implementation.appraise`.
    horizon_months : float, optional
        Draw the appraisal horizon as a reference line.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import numpy as np

    ax = _get_ax(ax)
    inv = investments
    months = inv["payback_months"].to_numpy(dtype=float)
    shown = np.where(np.isfinite(months), months, 0.0)
    colors = [PALETTE["good"] if k == "frontline" else PALETTE["neutral"] for k in inv["kind"]]
    ax.barh(list(inv.index), shown, color=colors)
    for y, (m, roi) in enumerate(zip(months, inv["roi"], strict=True)):
        text = " " + (
            plot_text(
                "{months:.0f} months, ROI {roi:.0f}%",
                language,
                months=float(m),
                roi=100 * float(roi),
            )
            if np.isfinite(m)
            else plot_text(
                "no payback within the horizon (ROI {roi:.0f}%)", language, roi=100 * float(roi)
            )
        )
        ax.text(0 if not np.isfinite(m) else m, y, text, va="center", fontsize=8)
    if horizon_months:
        ax.axvline(horizon_months, color=PALETTE["bad"], linestyle="--", linewidth=1)
    ax.invert_yaxis()
    ax.set_xlabel(plot_text("Payback (months)", language))
    ax.set_ylabel(plot_text("Investment", language))
    ax.set_title(
        plot_text("Payback of investments (green: frontline systems, grey: back office)", language)
    )
    if len(inv):
        paid = np.isfinite(months)
        text = plot_text("Payback of {n} investments", language, n=len(inv))
        if paid.any():
            k = int(np.nanargmin(np.where(paid, months, np.nan)))
            text += plot_text(
                ": {name} pays back fastest, in {months:.0f} months",
                language,
                name=str(inv.index[k]),
                months=float(months[k]),
            )
        if (~paid).any():
            text += plot_text(
                "; no payback within the horizon: {names}",
                language,
                names=", ".join(map(str, inv.index[~paid])),
            )
        describe(ax, text + ".")
    language_ticks(ax, language)
    return ax


def what_if_plot(table, *, highlight=None, labels=None, ax=None, language="en"):
    """Predicted gain in the 0-100 satisfaction index if each attribute reaches its target.

    Parameters
    ----------
    table : DataFrame
        :func:`orient.implementation.what_if` or :func:`orient.present.widgets.what_if_table`
        (``index_gain``, ``index_ci_low``, ``index_ci_high`` by attribute).
    highlight : str, optional
        The attribute drawn in the accent colour (the one asked about).
    labels : mapping, optional
        Display label by attribute key.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import numpy as np

    ax = _get_ax(ax)
    t = table.sort_values("index_gain")
    y = np.arange(len(t))
    gain = t["index_gain"].to_numpy(dtype=float)
    err = np.vstack(
        [
            gain - t["index_ci_low"].to_numpy(dtype=float),
            t["index_ci_high"].to_numpy(dtype=float) - gain,
        ]
    )
    colours = [PALETTE["bad"] if k == highlight else PALETTE["own"] for k in t.index]
    ax.barh(y, gain, xerr=np.abs(err), color=colours, capsize=3, ecolor="black", height=0.6)
    hi = np.fmax(t["index_ci_high"].to_numpy(dtype=float), gain)
    lo = np.fmin(t["index_ci_low"].to_numpy(dtype=float), gain)
    for yi, v, h, low in zip(y, gain, hi, lo, strict=True):
        # the value beyond the end of its interval, so the two never overlap
        ax.text(
            h if v >= 0 else low,
            yi,
            plot_text(" {v:+.2f} ", language, v=float(v)),
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=8,
        )
    ax.margins(x=0.15)
    ax.set_yticks(y)
    ax.set_yticklabels([_label_of(k, labels) for k in t.index])
    ax.axvline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xlabel(
        plot_text(
            "Predicted change in the satisfaction index (0-100 points), 95% interval", language
        )
    )
    ax.set_ylabel(plot_text("Attribute moved", language))
    ax.set_title(plot_text("What if? Predicted gain in overall satisfaction", language))
    if len(t):
        describe(
            ax,
            plot_text(
                "What if: reaching its target, {best} gains most ({gain:+.2f} points of the "
                "satisfaction index).",
                language,
                best=_label_of(t.index[-1], labels),
                gain=float(gain[-1]),
            ),
        )
    language_ticks(ax, language)
    return ax


def _plain(value):
    """A level as drawn: numbers as numbers (the language's separators), text as it is."""
    import numpy as np

    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else float(value)
    return str(value)
