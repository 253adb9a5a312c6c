"""Stage IV charts: house of quality, action plan and what-if, conjoint, payback."""

from __future__ import annotations

from orient.present.plots.common import PALETTE, _get_ax, _label_of, _with_language

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


@_with_language
def house_of_quality_plot(house, *, labels=None, ax=None):
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
    """
    import matplotlib.pyplot as plt
    import seaborn as sns
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
    sns.heatmap(
        rel.fillna(0.0).astype(float),
        cmap=cmap,
        norm=norm,
        cbar=False,
        linewidths=0.5,
        linecolor=PALETTE["neutral"],
        ax=ax,
        yticklabels=[f"{labels.get(r, r)} ({100 * req_w[r]:.0f}%)" for r in rel.index],
        xticklabels=[f"{names[c]} ({100 * tech.loc[c, 'relative']:.0f}%)" for c in rel.columns],
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
    ax.set_xlabel("Technical characteristic (share of technical importance)")
    ax.set_ylabel("Customer requirement (share of weight)")
    ax.set_title("House of quality: relationship strength (9 strong, 3 medium, 1 weak)")
    return ax


@_with_language
def technical_importance_plot(technical, *, labels=None, ax=None):
    """Relative technical importance of each characteristic, largest on top.

    Parameters
    ----------
    technical : DataFrame
        ``house_of_quality(...)`` or ``HouseOfQuality.technical`` (``relative``, ``rank``).
    """
    ax = _get_ax(ax)
    labels = labels or {}
    t = technical.sort_values("relative")
    names = [labels.get(c) or (t.loc[c, "label"] if "label" in t else None) or c for c in t.index]
    ax.barh(names, 100 * t["relative"], color=PALETTE["own"])
    for y, v in enumerate(100 * t["relative"]):
        ax.text(v, y, f" {v:.1f}%", va="center", fontsize=9)
    ax.set_xlabel("Relative technical importance (%)")
    ax.set_ylabel("Technical characteristic")
    ax.set_title("Where engineering effort serves customers most")
    return ax


@_with_language
def action_plan_plot(plan, *, labels=None, ax=None):
    """Predicted gain in the 0-100 satisfaction index of each action, with its interval.

    Parameters
    ----------
    plan : DataFrame
        :func:`orient.implementation.action_plan` (``index_gain``, ``index_ci_low``,
        ``index_ci_high``, ``quadrant``, ``payback_months``).
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
        note = f"  payback {pb:.0f} months" if np.isfinite(pb) else ""
        ax.text(max(x, 0), yi, note, va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels([labels.get(a, a) for a in p.index])
    ax.axvline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xlabel("Predicted gain in the satisfaction index (0-100 points)")
    ax.set_ylabel("Attribute acted on")
    ax.set_title(
        "Action plan: predicted gain if each target is reached (red: improve, "
        "green: keep advantage)"
    )
    return ax


@_with_language
def partworths_plot(result, *, labels=None, ax=None):
    """Conjoint part-worths by attribute level, with intervals.

    Parameters
    ----------
    result : orient.implementation.ConjointResult
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
        ticklabels.extend(str(v) for v in sub["level"])
        x0 += len(sub) + 1
    ax.axhline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xticks(ticks)
    ax.set_xticklabels(ticklabels, rotation=40, ha="right")
    ax.set_xlabel("Attribute level")
    ax.set_ylabel("Part-worth (utility)")
    ax.set_title("What each feature level is worth to customers")
    ax.legend(fontsize=8)
    return ax


@_with_language
def conjoint_importance_plot(result, *, labels=None, ax=None):
    """Conjoint attribute importance (% of the sum of part-worth ranges).

    Parameters
    ----------
    result : orient.implementation.ConjointResult
    """
    ax = _get_ax(ax)
    labels = labels or {}
    imp = result.importance.sort_values("importance")
    names = [labels.get(a, a) for a in imp["attribute"]]
    ax.barh(names, imp["importance"], color=PALETTE["accent"])
    for y, v in enumerate(imp["importance"]):
        ax.text(v, y, f" {v:.0f}%", va="center", fontsize=9)
    ax.set_xlabel("Importance in the choice (% of the sum of part-worth ranges)")
    ax.set_ylabel("Conjoint attribute")
    ax.set_title("What drives the choice between offers")
    return ax


@_with_language
def market_share_plot(market, *, ax=None):
    """Share of preference of each product scenario (logit and first choice).

    Parameters
    ----------
    market : DataFrame
        :func:`orient.implementation.simulate_market`.
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
        label="logit share of preference",
    )
    ax.barh(
        y - h / 2,
        100 * market["share_first_choice"],
        h,
        color=PALETTE["competitor"],
        label="first-choice share",
    )
    ax.set_yticks(y)
    ax.set_yticklabels(list(market.index))
    ax.invert_yaxis()
    ax.set_xlabel("Share of preference (%)")
    ax.set_ylabel("Product scenario")
    ax.set_title("Market simulator: share of preference")
    ax.legend(fontsize=8)
    return ax


@_with_language
def payback_plot(investments, *, horizon_months=None, ax=None):
    """Payback months of each investment, coloured by kind (frontline or back office).

    Parameters
    ----------
    investments : DataFrame
        :func:`orient.implementation.appraise`.
    horizon_months : float, optional
        Draw the appraisal horizon as a reference line.
    """
    import numpy as np

    ax = _get_ax(ax)
    inv = investments
    months = inv["payback_months"].to_numpy(dtype=float)
    shown = np.where(np.isfinite(months), months, 0.0)
    colors = [PALETTE["good"] if k == "frontline" else PALETTE["neutral"] for k in inv["kind"]]
    ax.barh(list(inv.index), shown, color=colors)
    for y, (m, roi) in enumerate(zip(months, inv["roi"], strict=True)):
        text = (
            f" {m:.0f} months, ROI {100 * roi:.0f}%"
            if np.isfinite(m)
            else f" no payback within the horizon (ROI {100 * roi:.0f}%)"
        )
        ax.text(0 if not np.isfinite(m) else m, y, text, va="center", fontsize=8)
    if horizon_months:
        ax.axvline(horizon_months, color=PALETTE["bad"], linestyle="--", linewidth=1)
    ax.invert_yaxis()
    ax.set_xlabel("Payback (months)")
    ax.set_ylabel("Investment")
    ax.set_title("Payback of investments (green: frontline systems, grey: back office)")
    return ax


@_with_language
def what_if_plot(table, *, highlight=None, labels=None, ax=None):
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
            f" {v:+.2f} ",
            va="center",
            ha="left" if v >= 0 else "right",
            fontsize=8,
        )
    ax.margins(x=0.15)
    ax.set_yticks(y)
    ax.set_yticklabels([_label_of(k, labels) for k in t.index])
    ax.axvline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xlabel("Predicted change in the satisfaction index (0-100 points), 95% interval")
    ax.set_ylabel("Attribute moved")
    ax.set_title("What if? Predicted gain in overall satisfaction")
    return ax
