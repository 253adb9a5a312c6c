"""Stage III charts: derived importance, competitive gaps, the strategic matrix, factors."""

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
    "competitive_performance_plot",
    "importance_plot",
    "penalty_reward_plot",
    "strategic_matrix_plot",
]


_QUADRANT_NAMES = {
    "improve": "Improve",
    "keep_advantage": "Keep advantage",
    "maintain_or_reduce": "Maintain or reduce",
    "low_priority": "Low priority",
}


def importance_plot(drivers, *, labels=None, value="share", ax=None, language="en"):
    """Horizontal bars of derived importance, largest on top, with bootstrap intervals.

    Parameters
    ----------
    drivers : DataFrame
        A :func:`orient.priorities.driver_importance` result.
    labels : mapping, optional
        Display label by driver key.
    value : {"share", "importance"}
        Plot each driver's share of the explained variance (percent) or the raw
        importance.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    ax = _get_ax(ax)
    data = drivers.sort_values(value, ascending=True)
    lo_col, hi_col = (
        ("share_ci_low", "share_ci_high") if value == "share" else ("ci_low", "ci_high")
    )
    scale = 100.0 if value == "share" else 1.0
    y = range(len(data))
    xerr = None
    if lo_col in data.columns:
        xerr = [
            (data[value] - data[lo_col]).clip(lower=0) * scale,
            (data[hi_col] - data[value]).clip(lower=0) * scale,
        ]
    ax.barh(
        list(y),
        data[value] * scale,
        xerr=xerr,
        color=PALETTE["own"],
        ecolor=PALETTE["neutral"],
        capsize=3,
    )
    ax.set_yticks(list(y))
    ax.set_yticklabels([_label_of(k, labels) for k in data.index])
    method = drivers.attrs.get("method", "")
    r2 = drivers.attrs.get("r2")
    if value == "share":
        ax.set_xlabel(
            plot_text("Share of explained variation in overall satisfaction (%)", language)
        )
    else:
        ax.set_xlabel(plot_text("Importance ({method})", language, method=method))
    if r2 is not None:
        ax.set_title(
            plot_text("What drives overall satisfaction (R² = {r2:.2f})", language, r2=float(r2))
        )
    else:
        ax.set_title(plot_text("What drives overall satisfaction", language))
    ax.set_ylabel("")
    if len(data) and value == "share":
        first, last = data.index[-1], data.index[0]
        describe(
            ax,
            plot_text(
                "Derived importance: {first} first with {share:.0f}% of the explained variation, "
                "{last} last with {last_share:.0f}%.",
                language,
                first=_label_of(first, labels),
                share=100.0 * float(data[value].iloc[-1]),
                last=_label_of(last, labels),
                last_share=100.0 * float(data[value].iloc[0]),
            ),
        )
    language_ticks(ax, language)
    return ax


def competitive_performance_plot(
    performance, *, segment="all", labels=None, competitor=None, ax=None, language="en"
):
    """Gap to the competitor per attribute (points on 0-100) with its confidence interval.

    Parameters
    ----------
    performance : DataFrame
        A :func:`orient.priorities.competitive_performance` result.
    segment : str
        Which segment's rows to draw (``"all"``: every respondent).
    labels : mapping, optional
        Display label by attribute key (default: the table's ``label``).
    competitor : str, optional
        The competitor's name, for the title and axis (default: "the competitor").
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    ax = _get_ax(ax)
    competitor = competitor or plot_text("the competitor", language)
    data = performance[(performance["segment"] == segment) & performance["gap"].notna()]
    data = data.sort_values("gap")
    y = list(range(len(data)))
    colours = [PALETTE["good"] if g >= 0 else PALETTE["bad"] for g in data["gap"]]
    err = [(data["gap"] - data["ci_low"]).fillna(0), (data["ci_high"] - data["gap"]).fillna(0)]
    ax.barh(y, data["gap"], xerr=err, color=colours, ecolor=PALETTE["neutral"], capsize=3)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    names = data["attribute"] if labels is not None else data["label"]
    shown = [_label_of(k, labels) for k in names]
    ax.set_yticklabels(shown)
    ax.set_xlabel(
        plot_text(
            "Our score minus {competitor} (points on a 0-100 scale)",
            language,
            competitor=competitor,
        )
    )
    if segment == "all":
        ax.set_title(plot_text("Performance against {competitor}", language, competitor=competitor))
    else:
        ax.set_title(
            plot_text(
                "Performance against {competitor}, segment {segment}",
                language,
                competitor=competitor,
                segment=segment,
            )
        )
    if len(data):
        gaps = data["gap"].to_numpy()
        describe(
            ax,
            plot_text(
                "Gap to {competitor}: ahead on {ahead} of {k} attributes, the largest lead on "
                "{best} ({best_gap:+.1f} points), the largest shortfall on {worst} "
                "({worst_gap:+.1f} points).",
                language,
                competitor=competitor,
                ahead=int((gaps > 0).sum()),
                k=len(gaps),
                best=shown[-1],
                best_gap=float(gaps[-1]),
                worst=shown[0],
                worst_gap=float(gaps[0]),
            ),
        )
    language_ticks(ax, language)
    return ax


def _place_labels(ax, texts, xs, ys):
    """Label points, right of the point (left of it in the right third), nudging a label
    down when it would sit on the previous one (a simple greedy layout, no solver)."""
    import numpy as np

    xr = (np.nanmax(xs) - np.nanmin(xs)) or 1.0
    yr = (np.nanmax(ys) - np.nanmin(ys)) or 1.0
    right_third = np.nanmin(xs) + 2 * xr / 3
    placed: list[tuple[float, float, float, float]] = []  # x0, x1, y, in data-ish units
    for i in np.argsort(-ys):
        text, xv, yv = texts[i], xs[i], ys[i]
        left = xv > right_third
        width = 0.012 * len(text) * xr  # rough width of an 8 pt label as a share of the axis
        x0, x1 = (xv - width, xv) if left else (xv, xv + width)
        dy = 3.0
        for px0, px1, py in placed:
            if x0 < px1 and px0 < x1 and abs((yv - py) / yr) < 0.035:
                dy -= 9.0
        placed.append((x0, x1, yv + dy / 72 * yr * 0.1))
        ax.annotate(
            text,
            (xv, yv),
            xytext=(-4 if left else 4, dy),
            textcoords="offset points",
            fontsize=8,
            ha="right" if left else "left",
        )


def strategic_matrix_plot(
    matrix,
    *,
    labels=None,
    label=True,
    arrows=False,
    diagonal=None,
    do_not_cut=None,
    ax=None,
    language="en",
):
    """The strategic satisfaction matrix: importance against performance, four quadrants.

    Parameters
    ----------
    matrix : DataFrame
        A :func:`orient.priorities.strategic_matrix` result (its ``attrs`` hold the cuts).
    labels : mapping, optional
        Display label by attribute key.
    label : bool
        Write each attribute's label next to its point.
    arrows : bool
        Draw an arrow from each attribute to the competitor's position (same importance,
        the competitor's performance); needs a ``competitor`` column.
    diagonal : bool, optional
        Draw the iso-priority diagonal (default: when the matrix was built with it).
    do_not_cut : list of str, optional
        Attributes to ring as "do not cut" (basic factors in the maintain-or-reduce
        field, e.g. ``result.priorities.index[result.priorities["do_not_cut"]]``).
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import numpy as np

    ax = _get_ax(ax)
    relative = matrix.attrs.get("relative", False)
    x = matrix["performance"]
    y = matrix["importance"] * 100.0
    ic = matrix.attrs.get("importance_cut", float(matrix["importance"].mean())) * 100.0
    pc = matrix.attrs.get("performance_cut", float(x.mean()))
    colours = {
        "improve": PALETTE["bad"],
        "keep_advantage": PALETTE["good"],
        "maintain_or_reduce": PALETTE["accent"],
        "low_priority": PALETTE["neutral"],
    }
    ax.scatter(x, y, c=[colours[q] for q in matrix["quadrant"]], s=45, zorder=3, edgecolors="white")
    flagged = [k for k in (do_not_cut if do_not_cut is not None else []) if k in matrix.index]
    if flagged:
        ax.scatter(
            x[flagged],
            y[flagged],
            s=180,
            facecolors="none",
            edgecolors=PALETTE["bad"],
            linewidths=1.5,
            zorder=4,
            label=plot_text("do not cut: a basic factor", language),
        )
        ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.95), fontsize=8, frameon=False)
    if arrows and "competitor" in matrix.columns and not relative:
        for _key, row in matrix.iterrows():
            if np.isfinite(row["competitor"]):
                ax.annotate(
                    "",
                    xy=(row["competitor"], row["importance"] * 100.0),
                    xytext=(row["performance"], row["importance"] * 100.0),
                    arrowprops={"arrowstyle": "->", "color": PALETTE["competitor"], "alpha": 0.7},
                )
    if label:
        _place_labels(ax, [_label_of(k, labels) for k in matrix.index], x.to_numpy(), y.to_numpy())
    ax.axvline(pc, color="black", linewidth=0.8, linestyle="--")
    ax.axhline(ic, color="black", linewidth=0.8, linestyle="--")
    if diagonal is None:
        diagonal = matrix.attrs.get("diagonal", False)
    if diagonal:
        si = matrix.attrs.get("importance_sd") or 1.0
        sp = matrix.attrs.get("performance_sd") or 1.0
        xs = np.array([x.min(), x.max()])
        ax.plot(
            xs,
            ic + (xs - pc) / sp * si * 100.0,
            color=PALETTE["neutral"],
            linewidth=1,
            label=plot_text("iso-priority line", language),
        )
    # pad the limits so the quadrant names have room
    xlo, xhi = min(x.min(), pc), max(x.max(), pc)
    ylo, yhi = min(y.min(), ic), max(y.max(), ic)
    padx, pady = 0.15 * (xhi - xlo or 1.0), 0.15 * (yhi - ylo or 1.0)
    ax.set_xlim(xlo - padx, xhi + padx)
    ax.set_ylim(max(0.0, ylo - pady), yhi + pady)
    corners = {
        "improve": (0.02, 0.98, "left", "top"),
        "keep_advantage": (0.98, 0.98, "right", "top"),
        "low_priority": (0.02, 0.02, "left", "bottom"),
        "maintain_or_reduce": (0.98, 0.02, "right", "bottom"),
    }
    for q, (cx, cy, ha, va) in corners.items():
        ax.text(
            cx,
            cy,
            plot_text(_QUADRANT_NAMES[q], language),
            transform=ax.transAxes,
            ha=ha,
            va=va,
            fontsize=9,
            fontweight="bold",
            color=colours[q],
        )
    if relative:
        ax.set_xlabel(
            plot_text(
                "Performance: our score minus the competitor's (points, 0-100 scale)", language
            )
        )
    elif np.isclose(pc, float(x.mean())):
        ax.set_xlabel(
            plot_text(
                "Performance (score 0-100; dashed line: the mean of the attributes)", language
            )
        )
    else:
        ax.set_xlabel(plot_text("Performance (score 0-100)", language))
    ax.set_ylabel(plot_text("Importance (% of explained variation)", language))
    ax.set_title(plot_text("Strategic satisfaction matrix", language))
    counts = matrix["quadrant"].value_counts()
    improve = matrix.index[matrix["quadrant"] == "improve"]
    describe(
        ax,
        plot_text(
            "Strategic matrix: {improve} to improve ({improve_list}), {keep} to keep, "
            "{maintain} to maintain or reduce, {low} of low priority.",
            language,
            improve=int(counts.get("improve", 0)),
            improve_list=", ".join(_label_of(k, labels) for k in improve)
            or plot_text("none", language),
            keep=int(counts.get("keep_advantage", 0)),
            maintain=int(counts.get("maintain_or_reduce", 0)),
            low=int(counts.get("low_priority", 0)),
        ),
    )
    language_ticks(ax, language)
    return ax


#: the tick words of the factor types the data do not support
_FACTOR_TICK = {"unclear": "unclear", "no_effect": "no measurable effect"}


def _untyped_sentence(kinds, language) -> str:
    """`` N show no measurable effect or no clear pattern.`` when there are such."""
    n = int(kinds.get("unclear", 0)) + int(kinds.get("no_effect", 0))
    if not n:
        return ""
    return " " + plot_text("{n} show no measurable effect or no clear pattern.", language, n=n)


def penalty_reward_plot(factors, *, labels=None, ax=None, language="en"):
    """Penalty (drop for a low rating) and reward (rise for a high rating) per attribute.

    Parameters
    ----------
    factors : DataFrame
        A :func:`orient.priorities.penalty_reward` result.
    labels : mapping, optional
        Display label by attribute key.
    ax : matplotlib Axes, optional
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    import numpy as np

    ax = _get_ax(ax)
    data = factors[factors["factor"] != "undetermined"]
    y = np.arange(len(data))
    ax.barh(
        y - 0.2,
        -data["penalty"],
        height=0.4,
        color=PALETTE["bad"],
        label=plot_text("penalty (low rating)", language),
    )
    ax.barh(
        y + 0.2,
        data["reward"],
        height=0.4,
        color=PALETTE["good"],
        label=plot_text("reward (high rating)", language),
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels(
        [
            plot_text(
                "{label} ({factor})",
                language,
                label=_label_of(k, labels),
                factor=plot_text(_FACTOR_TICK.get(f, f), language),
            )
            for k, f in zip(data.index, data["factor"], strict=True)
        ]
    )
    ax.set_xlabel(plot_text("Change in overall satisfaction (scale points)", language))
    ax.set_title(plot_text("Basic, performance and excitement factors", language))
    ax.legend(loc="lower right", fontsize=8)
    kinds = factors["factor"].value_counts()
    basic = factors.index[factors["factor"] == "basic"]
    describe(
        ax,
        plot_text(
            "Penalty and reward: {basic} basic factors ({basic_list}), {excitement} excitement "
            "factors, {performance} performance factors.",
            language,
            basic=int(kinds.get("basic", 0)),
            basic_list=", ".join(_label_of(k, labels) for k in basic)
            or plot_text("none", language),
            excitement=int(kinds.get("excitement", 0)),
            performance=int(kinds.get("performance", 0)),
        )
        + _untyped_sentence(kinds, language),
    )
    language_ticks(ax, language)
    return ax
