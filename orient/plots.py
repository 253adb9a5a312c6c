"""Every figure orient draws: one function per chart.

Each function takes a result (a tidy DataFrame from an analysis function) first,
everything else keyword-only, and ``ax=``; it draws on ``ax`` (or ``plt.gca()``)
and returns it. Plots draw results; they never compute them. They never call
``plt.show()``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

__all__: list[str] = []

#: colours used across the report (colour-blind safe, from seaborn's "colorblind")
PALETTE = {
    "own": "#0173b2",
    "competitor": "#de8f05",
    "good": "#029e73",
    "bad": "#d55e00",
    "neutral": "#949494",
    "accent": "#cc78bc",
}


def _get_ax(ax):
    return ax if ax is not None else plt.gca()


# --- stage II: satisfaction -------------------------------------------------------

__all__ += [
    "attribute_effects_plot",
    "chain_plot",
    "ipma_plot",
    "nps_composition_plot",
    "segment_index_plot",
    "wave_change_plot",
]


def _finite(v) -> bool:
    import math

    return v is not None and math.isfinite(v)


def _fmt(v, digits=1):
    return f"{v:.{digits}f}" if _finite(v) else "n/a"


def _sig(v, sign=False):
    """Three significant digits below 100, thousands separators above."""
    if not _finite(v):
        return "n/a"
    text = f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
    return ("+" + text) if sign and v > 0 else text


def segment_index_plot(segments, *, measure="Satisfaction index", unit="0-100", ax=None):
    """A measure by segment with its confidence interval (``satisfaction.segment_table``).

    Segments under the minimum base get no bar, only the text "n < 30". Segments that
    differ significantly from the rest are coloured (better: green, worse: orange).
    """
    ax = _get_ax(ax)
    tab = segments[segments["measure"] == measure] if "measure" in segments else segments
    tab = tab.reset_index(drop=True)
    ys = list(range(len(tab)))[::-1]
    shown = tab[~tab["suppressed"]]
    lo_all = shown["ci_low"].min() if len(shown) else 0.0
    for y, (_, r) in zip(ys, tab.iterrows(), strict=True):
        if r["suppressed"]:
            ax.text(lo_all, y, r["shown"], va="center", ha="left", color=PALETTE["neutral"],
                    style="italic")
            continue
        colour = PALETTE["own"]
        if r["significant"]:
            colour = PALETTE["good"] if r["difference"] > 0 else PALETTE["bad"]
        ax.errorbar(r["estimate"], y, xerr=[[r["estimate"] - r["ci_low"]],
                                            [r["ci_high"] - r["estimate"]]],
                    fmt="o", color=colour, capsize=4, label=None)
        ax.annotate(f"{_fmt(r['estimate'])}  (n = {int(r['n'])})", (r["ci_high"], y),
                    xytext=(6, 0), textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks(ys)
    ax.set_yticklabels([str(s) for s in tab["segment"]])
    ax.set_ylim(-0.7, len(tab) - 0.3)
    ax.set_xlabel(f"{measure} ({unit}), with 95% interval" if unit else measure)
    ax.set_ylabel("Segment")
    ax.set_title(f"{measure} by segment")
    ax.margins(x=0.25)
    return ax


def nps_composition_plot(composition, *, ax=None):
    """Detractors, passives and promoters as stacked bars, one per group (``nps_composition``)."""
    ax = _get_ax(ax)
    tab = composition.reset_index(drop=True)
    ys = list(range(len(tab)))[::-1]
    parts = [("detractors", "Detractors (0-6)", PALETTE["bad"]),
             ("passives", "Passives (7-8)", PALETTE["neutral"]),
             ("promoters", "Promoters (9-10)", PALETTE["good"])]
    left = [0.0] * len(tab)
    for col, label, colour in parts:
        vals = tab[col].tolist()
        ax.barh(ys, vals, left=left, color=colour, label=label, height=0.6)
        for y, lft, v in zip(ys, left, vals, strict=True):
            if v >= 6:
                ax.text(lft + v / 2, y, f"{v:.0f}%", ha="center", va="center", color="white",
                        fontsize=9)
        left = [a + b for a, b in zip(left, vals, strict=True)]
    for y, v in zip(ys, tab["nps"], strict=True):
        ax.text(101, y, f"NPS {v:+.0f}", va="center", ha="left", fontsize=9)
    ax.set_yticks(ys)
    ax.set_yticklabels([str(g) for g in tab["group"]])
    ax.set_xlim(0, 115)
    ax.set_xlabel("Share of respondents (%)")
    ax.set_ylabel("Group")
    ax.set_title("Net Promoter Score: who promotes, who detracts")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, frameon=False)
    return ax


def wave_change_plot(waves, *, measure=None, unit="", ax=None):
    """A measure per survey wave with intervals, and whether the last change is real."""
    ax = _get_ax(ax)
    tab = waves if measure is None else waves[waves["measure"] == measure]
    measure = measure or str(tab["measure"].iloc[0])
    tab = tab.reset_index(drop=True)
    xs = list(range(len(tab)))
    ok = ~tab["suppressed"]
    ax.errorbar([x for x, k in zip(xs, ok, strict=True) if k], tab.loc[ok, "estimate"],
                yerr=[tab.loc[ok, "estimate"] - tab.loc[ok, "ci_low"],
                      tab.loc[ok, "ci_high"] - tab.loc[ok, "estimate"]],
                fmt="o-", color=PALETTE["own"], capsize=5)
    for x, (_, r) in zip(xs, tab.iterrows(), strict=True):
        if r["suppressed"]:
            ax.text(x, 0.5, "n too small", transform=ax.get_xaxis_transform(), ha="center")
            continue
        text = _fmt(r["estimate"])
        if _finite(r["change"]):
            text += f"\n{r['change']:+.1f}" + (" (significant)" if r["significant"]
                                                else " (not significant)")
        ax.annotate(text, (x, r["ci_high"]), xytext=(0, 6), textcoords="offset points",
                    ha="center", fontsize=9)
    ax.set_xticks(xs)
    ax.set_xticklabels([str(w) for w in tab["wave"]])
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.margins(y=0.3)
    ax.set_xlabel("Survey wave")
    ax.set_ylabel(f"{measure} ({unit})" if unit else measure)
    ax.set_title(f"{measure}: change since the previous wave")
    return ax


def attribute_effects_plot(chain, *, labels=None, ax=None):
    """Points of satisfaction per rating point of each attribute, with bootstrap intervals."""
    ax = _get_ax(ax)
    tab = chain[chain["stage"] == "attributes -> satisfaction"].sort_values("effect")
    names = [(labels or {}).get(a, a) for a in tab["from"]]
    ys = list(range(len(tab)))
    colours = [PALETTE["own"] if lo > 0 else PALETTE["neutral"] for lo in tab["ci_low"]]
    ax.barh(ys, tab["effect"], color=colours, height=0.6)
    ax.errorbar(tab["effect"], ys, xerr=[tab["effect"] - tab["ci_low"],
                                         tab["ci_high"] - tab["effect"]],
                fmt="none", ecolor="black", capsize=3)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels(names)
    unit = tab["unit"].iloc[0] if len(tab) else ""
    ax.set_xlabel(f"Effect on satisfaction ({unit}), with 95% interval")
    ax.set_ylabel("Attribute")
    ax.set_title("What moves satisfaction: attribute effects")
    return ax


def chain_plot(chain, *, labels=None, top=4, currency="", ax=None):
    """The satisfaction chain as a labelled path diagram.

    Boxes: the ``top`` attributes with the largest effects, the satisfaction index and
    the loyalty and money outcomes; each arrow carries its effect and interval.
    """
    ax = _get_ax(ax)
    att = chain[chain["stage"] == "attributes -> satisfaction"].nlargest(top, "effect")
    out = chain[chain["stage"] == "satisfaction -> outcome"]
    box = dict(boxstyle="round,pad=0.4", fc="white", ec=PALETTE["own"])
    sat_xy = (0.5, 0.5)
    ax.text(*sat_xy, "Satisfaction\nindex (0-100)", ha="center", va="center", bbox=dict(
        boxstyle="round,pad=0.5", fc=PALETTE["own"], ec=PALETTE["own"]), color="white",
        fontsize=10, transform=ax.transAxes)

    def ys(k):
        return [0.5] if k == 1 else [0.9 - 0.8 * i / (k - 1) for i in range(k)]

    for y, (_, r) in zip(ys(len(att)), att.iterrows(), strict=True):
        name = (labels or {}).get(r["from"], r["from"])
        ax.text(0.12, y, f"{name}\n{_sig(r['effect'], True)} points per rating point\n"
                f"({_sig(r['ci_low'])} to {_sig(r['ci_high'])})", ha="center",
                va="center", bbox=box, fontsize=8, transform=ax.transAxes)
        ax.annotate("", xy=(0.40, 0.5), xytext=(0.27, y), xycoords="axes fraction",
                    arrowprops=dict(arrowstyle="->", color=PALETTE["neutral"]))
    for y, (_, r) in zip(ys(len(out)), out.iterrows(), strict=True):
        unit = str(r["unit"]).split(" per point")[0]
        ax.text(0.86, y, f"{r['to']}: {_sig(r['effect'], True)} {unit}\n"
                f"({_sig(r['ci_low'])} to {_sig(r['ci_high'])})", ha="center",
                va="center", bbox=box, fontsize=8, transform=ax.transAxes)
        ax.annotate("", xy=(0.72, y), xytext=(0.6, 0.5), xycoords="axes fraction",
                    arrowprops=dict(arrowstyle="->", color=PALETTE["neutral"]))
    ax.set_axis_off()
    ax.set_title("The chain: attributes -> satisfaction -> loyalty -> profit\n"
                 "(effects per rating point, and per point of the index; 95% intervals)",
                 fontsize=10)
    return ax


def ipma_plot(ipma, *, labels=None, target="Satisfaction", ax=None):
    """Importance-performance map: unstandardised total effect against 0-100 performance."""
    ax = _get_ax(ax)
    ax.scatter(ipma["importance"], ipma["performance"], color=PALETTE["own"])
    for name, r in ipma.iterrows():
        ax.annotate((labels or {}).get(name, str(name)), (r["importance"], r["performance"]),
                    xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.axvline(ipma["importance"].mean(), color=PALETTE["neutral"], ls="--", lw=0.8)
    ax.axhline(ipma["performance"].mean(), color=PALETTE["neutral"], ls="--", lw=0.8)
    ax.set_xlabel(f"Importance: total effect on {target} (points per point)")
    ax.set_ylabel("Performance (0-100)")
    ax.set_title(f"Importance-performance map for {target}")
    return ax


# --- stage III: priorities --------------------------------------------------------

__all__ += ["importance_plot", "competitive_performance_plot", "strategic_matrix_plot",
            "penalty_reward_plot"]


_QUADRANT_NAMES = {
    "improve": "Improve",
    "keep_advantage": "Keep advantage",
    "maintain_or_reduce": "Maintain or reduce",
    "low_priority": "Low priority",
}


def _label_of(key, labels):
    if labels is None:
        return str(key)
    return str(labels.get(key, key))


def importance_plot(drivers, *, labels=None, value="share", ax=None):
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
    """
    ax = _get_ax(ax)
    data = drivers.sort_values(value, ascending=True)
    lo_col, hi_col = ("share_ci_low", "share_ci_high") if value == "share" else ("ci_low",
                                                                                  "ci_high")
    scale = 100.0 if value == "share" else 1.0
    y = range(len(data))
    xerr = None
    if lo_col in data.columns:
        xerr = [(data[value] - data[lo_col]).clip(lower=0) * scale,
                (data[hi_col] - data[value]).clip(lower=0) * scale]
    ax.barh(list(y), data[value] * scale, xerr=xerr, color=PALETTE["own"],
            ecolor=PALETTE["neutral"], capsize=3)
    ax.set_yticks(list(y))
    ax.set_yticklabels([_label_of(k, labels) for k in data.index])
    method = drivers.attrs.get("method", "")
    r2 = drivers.attrs.get("r2")
    if value == "share":
        ax.set_xlabel("Share of explained variation in overall satisfaction (%)")
    else:
        ax.set_xlabel(f"Importance ({method})")
    title = "What drives overall satisfaction"
    if r2 is not None:
        title += f" (R² = {r2:.2f})"
    ax.set_title(title)
    ax.set_ylabel("")
    return ax


def competitive_performance_plot(performance, *, segment="all", labels=None,
                                 competitor="Competitor", ax=None):
    """Gap to the competitor per attribute (points on 0-100) with its confidence interval.

    Parameters
    ----------
    performance : DataFrame
        A :func:`orient.priorities.competitive_performance` result.
    segment : str
        Which segment's rows to draw (``"all"``: every respondent).
    labels : mapping, optional
        Display label by attribute key (default: the table's ``label``).
    competitor : str
        The competitor's name, for the title and axis.
    ax : matplotlib Axes, optional
    """
    ax = _get_ax(ax)
    data = performance[(performance["segment"] == segment) & performance["gap"].notna()]
    data = data.sort_values("gap")
    y = list(range(len(data)))
    colours = [PALETTE["good"] if g >= 0 else PALETTE["bad"] for g in data["gap"]]
    err = [(data["gap"] - data["ci_low"]).fillna(0), (data["ci_high"] - data["gap"]).fillna(0)]
    ax.barh(y, data["gap"], xerr=err, color=colours, ecolor=PALETTE["neutral"], capsize=3)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    names = data["attribute"] if labels is not None else data["label"]
    ax.set_yticklabels([_label_of(k, labels) for k in names])
    ax.set_xlabel(f"Our score minus {competitor} (points on a 0-100 scale)")
    where = "" if segment == "all" else f", segment {segment}"
    ax.set_title(f"Performance against {competitor}{where}")
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
        ax.annotate(text, (xv, yv), xytext=(-4 if left else 4, dy), textcoords="offset points",
                    fontsize=8, ha="right" if left else "left")


def strategic_matrix_plot(matrix, *, labels=None, label=True, arrows=False, diagonal=None,
                          do_not_cut=None, ax=None):
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
    """
    import numpy as np

    ax = _get_ax(ax)
    relative = matrix.attrs.get("relative", False)
    x = matrix["performance"]
    y = matrix["importance"] * 100.0
    ic = matrix.attrs.get("importance_cut", float(matrix["importance"].mean())) * 100.0
    pc = matrix.attrs.get("performance_cut", float(x.mean()))
    colours = {"improve": PALETTE["bad"], "keep_advantage": PALETTE["good"],
               "maintain_or_reduce": PALETTE["accent"], "low_priority": PALETTE["neutral"]}
    ax.scatter(x, y, c=[colours[q] for q in matrix["quadrant"]], s=45, zorder=3,
               edgecolors="white")
    flagged = [k for k in (do_not_cut if do_not_cut is not None else []) if k in matrix.index]
    if flagged:
        ax.scatter(x[flagged], y[flagged], s=180, facecolors="none", edgecolors=PALETTE["bad"],
                   linewidths=1.5, zorder=4, label="do not cut: a basic factor")
        ax.legend(loc="upper right", bbox_to_anchor=(1.0, 0.95), fontsize=8, frameon=False)
    if arrows and "competitor" in matrix.columns and not relative:
        for _key, row in matrix.iterrows():
            if np.isfinite(row["competitor"]):
                ax.annotate("", xy=(row["competitor"], row["importance"] * 100.0),
                            xytext=(row["performance"], row["importance"] * 100.0),
                            arrowprops={"arrowstyle": "->", "color": PALETTE["competitor"],
                                        "alpha": 0.7})
    if label:
        _place_labels(ax, [_label_of(k, labels) for k in matrix.index], x.to_numpy(),
                      y.to_numpy())
    ax.axvline(pc, color="black", linewidth=0.8, linestyle="--")
    ax.axhline(ic, color="black", linewidth=0.8, linestyle="--")
    if diagonal is None:
        diagonal = matrix.attrs.get("diagonal", False)
    if diagonal:
        si = matrix.attrs.get("importance_sd") or 1.0
        sp = matrix.attrs.get("performance_sd") or 1.0
        xs = np.array([x.min(), x.max()])
        ax.plot(xs, ic + (xs - pc) / sp * si * 100.0, color=PALETTE["neutral"], linewidth=1,
                label="iso-priority line")
    # pad the limits so the quadrant names have room
    xlo, xhi = min(x.min(), pc), max(x.max(), pc)
    ylo, yhi = min(y.min(), ic), max(y.max(), ic)
    padx, pady = 0.15 * (xhi - xlo or 1.0), 0.15 * (yhi - ylo or 1.0)
    ax.set_xlim(xlo - padx, xhi + padx)
    ax.set_ylim(max(0.0, ylo - pady), yhi + pady)
    corners = {"improve": (0.02, 0.98, "left", "top"),
               "keep_advantage": (0.98, 0.98, "right", "top"),
               "low_priority": (0.02, 0.02, "left", "bottom"),
               "maintain_or_reduce": (0.98, 0.02, "right", "bottom")}
    for q, (cx, cy, ha, va) in corners.items():
        ax.text(cx, cy, _QUADRANT_NAMES[q], transform=ax.transAxes, ha=ha, va=va,
                fontsize=9, fontweight="bold", color=colours[q])
    if relative:
        ax.set_xlabel("Performance: our score minus the competitor's (points, 0-100 scale)")
    else:
        ax.set_xlabel("Performance (score 0-100)")
    ax.set_ylabel("Importance (% of explained variation)")
    ax.set_title("Strategic satisfaction matrix")
    return ax


def penalty_reward_plot(factors, *, labels=None, ax=None):
    """Penalty (drop for a low rating) and reward (rise for a high rating) per attribute.

    Parameters
    ----------
    factors : DataFrame
        A :func:`orient.priorities.penalty_reward` result.
    labels : mapping, optional
        Display label by attribute key.
    ax : matplotlib Axes, optional
    """
    import numpy as np

    ax = _get_ax(ax)
    data = factors[factors["factor"] != "undetermined"]
    y = np.arange(len(data))
    ax.barh(y - 0.2, -data["penalty"], height=0.4, color=PALETTE["bad"],
            label="penalty (low rating)")
    ax.barh(y + 0.2, data["reward"], height=0.4, color=PALETTE["good"],
            label="reward (high rating)")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([f"{_label_of(k, labels)} ({f})" for k, f in
                        zip(data.index, data["factor"], strict=True)])
    ax.set_xlabel("Change in overall satisfaction (scale points)")
    ax.set_title("Basic, performance and excitement factors")
    ax.legend(loc="lower right", fontsize=8)
    return ax



# --- stage I and IV: strategy and implementation ---------------------------------

__all__ += ["scorecard_plot", "segment_portfolio_plot"]

_STATUS_COLOURS = {"on_track": PALETTE["good"], "at_risk": PALETTE["competitor"],
                   "off_track": PALETTE["bad"], "no_data": PALETTE["neutral"]}
_STATUS_LABELS = {"on_track": "on track", "at_risk": "at risk", "off_track": "off track",
                  "no_data": "no data"}


def scorecard_plot(scorecard, *, on_track=0.9, at_risk=0.5, ax=None):
    """Goal scorecard as a bar chart of attainment, one bar per goal, coloured by status.

    ``scorecard`` is :func:`orient.strategy.goal_scorecard`. Attainment is the share of
    the planned change from baseline to target achieved (100% = target met); dashed
    lines mark the status boundaries ``at_risk`` and ``on_track`` (pass the values the
    scorecard was built with). Goals without a current value show "no data".
    """
    ax = _get_ax(ax)
    sc = scorecard.iloc[::-1]  # first goal on top
    y = list(range(len(sc)))
    values = (sc["attainment"] * 100).fillna(0.0).to_numpy()
    colours = [_STATUS_COLOURS.get(s, PALETTE["neutral"]) for s in sc["status"]]
    ax.barh(y, values, color=colours, height=0.6)
    labels = [f"{row['label']} ({row['perspective']}; {row['owner']})"
              for _, row in sc.iterrows()]
    ax.set_yticks(y, labels)
    for yi, (_, row) in zip(y, sc.iterrows(), strict=True):
        if row["status"] == "no_data":
            ax.text(1, yi, "no data", va="center", ha="left", fontsize=8,
                    color=PALETTE["neutral"])
    for x, name in ((at_risk * 100, "at risk from"), (on_track * 100, "on track from"),
                    (100, "target")):
        ax.axvline(x, color="black" if x == 100 else PALETTE["neutral"],
                   linestyle="-" if x == 100 else "--", linewidth=1, label=f"{name} {x:.0f}%")
    lo = min(0.0, float(values.min()) - 5) if len(values) else 0.0
    hi = max(110.0, float(values.max()) + 5) if len(values) else 110.0
    ax.set_xlim(lo, hi)
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in _STATUS_COLOURS.values()]
    ax.legend(handles, list(_STATUS_LABELS.values()), loc="lower right", fontsize=8,
              title="status")
    ax.set_xlabel("attainment: share of the planned change from baseline to target (%)")
    ax.set_ylabel("goal (perspective; owner)")
    ax.set_title("Goal scorecard")
    return ax


_REC_COLOURS = {"invest": PALETTE["good"], "selective": PALETTE["competitor"],
                "harvest": PALETTE["bad"]}


def segment_portfolio_plot(portfolio, *, ax=None):
    """Segment portfolio matrix: ability to satisfy (x) against attractiveness (y).

    ``portfolio`` is :func:`orient.strategy.segment_portfolio`. The nine boxes are shaded
    by the strategy they call for; each segment is a bubble sized by its revenue share
    and coloured by its recommendation; a hollow bubble marks a small base.
    """
    ax = _get_ax(ax)
    cut = (0, 100 / 3, 200 / 3, 100)
    shade = {0: "harvest", 1: "harvest", 2: "selective", 3: "invest", 4: "invest"}
    for i in range(3):          # ability level
        for j in range(3):      # attractiveness level
            ax.add_patch(plt.Rectangle((cut[i], cut[j]), cut[i + 1] - cut[i],
                                       cut[j + 1] - cut[j], color=_REC_COLOURS[shade[i + j]],
                                       alpha=0.12, linewidth=0, zorder=0))
    for c in cut[1:3]:
        ax.axvline(c, color=PALETTE["neutral"], linewidth=0.8)
        ax.axhline(c, color=PALETTE["neutral"], linewidth=0.8)
    share = portfolio["revenue_share"] if "revenue_share" in portfolio else None
    for seg, row in portfolio.iterrows():
        size = 60.0 if share is None or not share.notna().all() else 20 + 12 * float(row["revenue_share"])
        colour = _REC_COLOURS.get(row["recommendation"], PALETTE["neutral"])
        small = bool(row.get("small_base", False))
        ax.scatter([row["ability"]], [row["attractiveness"]], s=size,
                   facecolors="none" if small else colour, edgecolors=colour, linewidths=1.5,
                   zorder=3)
        text = str(row.get("label", seg)) + (" (small base)" if small else "")
        ax.annotate(text, (row["ability"], row["attractiveness"]), xytext=(6, 6),
                    textcoords="offset points", fontsize=8)
    ax.set_xlim(-5, 105)
    ax.set_ylim(-5, 105)
    handles = [plt.Line2D([], [], marker="o", linestyle="", color=c) for c in _REC_COLOURS.values()]
    ax.legend(handles, list(_REC_COLOURS), title="recommendation", loc="lower left", fontsize=8)
    ax.set_xlabel("ability to satisfy the segment (score 0-100, relative to the other segments)")
    ax.set_ylabel("segment attractiveness (score 0-100, relative)")
    ax.set_title("Segment portfolio: attractiveness against ability to satisfy")
    return ax



# stage IV: implementation (orient.implementation results)

__all__ += [
    "house_of_quality_plot",
    "technical_importance_plot",
    "action_plan_plot",
    "partworths_plot",
    "conjoint_importance_plot",
    "market_share_plot",
    "payback_plot",
]


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
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap

    ax = _get_ax(ax)
    labels = labels or {}
    rel = house.relationships
    values = rel.to_numpy(dtype=float)
    cmap = ListedColormap(["#ffffff", "#d6e6f4", "#7fb2dc", PALETTE["own"]])
    norm = BoundaryNorm([-0.5, 0.5, 2, 6, 10], cmap.N)
    ax.imshow(values, cmap=cmap, norm=norm, aspect="auto")
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if v > 0:
                ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=9,
                        color="white" if v >= 9 else "black")
    req_w = house.requirements["relative_weight"]
    tech = house.technical
    ax.set_yticks(np.arange(len(rel.index)))
    ax.set_yticklabels([f"{labels.get(r, r)} ({100 * req_w[r]:.0f}%)" for r in rel.index])
    ax.set_xticks(np.arange(len(rel.columns)))
    names = {c: labels.get(c) or (tech.loc[c, "label"] if "label" in tech else None) or c
             for c in rel.columns}
    ax.set_xticklabels([f"{names[c]} ({100 * tech.loc[c, 'relative']:.0f}%)" for c in rel.columns],
                       rotation=40, ha="right")
    ax.set_xticks(np.arange(-0.5, len(rel.columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rel.index)), minor=True)
    ax.grid(which="minor", color=PALETTE["neutral"], linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("Technical characteristic (share of technical importance)")
    ax.set_ylabel("Customer requirement (share of weight)")
    ax.set_title("House of quality: relationship strength (9 strong, 3 medium, 1 weak)")
    return ax


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
    err = np.vstack([gain - p["index_ci_low"].to_numpy(dtype=float),
                     p["index_ci_high"].to_numpy(dtype=float) - gain])
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
    ax.set_title("Action plan: predicted gain if each target is reached (red: improve, "
                 "green: keep advantage)")
    return ax


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
        err = np.vstack([est - sub["ci_low"].to_numpy(dtype=float),
                         sub["ci_high"].to_numpy(dtype=float) - est])
        color = list(PALETTE.values())[k % len(PALETTE)]
        ax.errorbar(x, est, yerr=err, marker="o", color=color, capsize=3,
                    label=labels.get(attr, attr))
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
    ax.barh(y + h / 2, 100 * market["share_logit"], h, color=PALETTE["own"],
            label="logit share of preference")
    ax.barh(y - h / 2, 100 * market["share_first_choice"], h, color=PALETTE["competitor"],
            label="first-choice share")
    ax.set_yticks(y)
    ax.set_yticklabels(list(market.index))
    ax.invert_yaxis()
    ax.set_xlabel("Share of preference (%)")
    ax.set_ylabel("Product scenario")
    ax.set_title("Market simulator: share of preference")
    ax.legend(fontsize=8)
    return ax


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
        text = f" {m:.0f} months, ROI {100 * roi:.0f}%" if np.isfinite(m) else \
            f" no payback within the horizon (ROI {100 * roi:.0f}%)"
        ax.text(0 if not np.isfinite(m) else m, y, text, va="center", fontsize=8)
    if horizon_months:
        ax.axvline(horizon_months, color=PALETTE["bad"], linestyle="--", linewidth=1)
    ax.invert_yaxis()
    ax.set_xlabel("Payback (months)")
    ax.set_ylabel("Investment")
    ax.set_title("Payback of investments (green: frontline systems, grey: back office)")
    return ax


# --- operations: service, quality, CRM --------------------------------------------

__all__ += ["staffing_plot", "service_level_plot", "claims_plot", "control_chart_plot",
            "oc_curve_plot", "funnel_plot", "pareto_plot", "receivables_plot"]


def staffing_plot(hourly, *, ax=None):
    """Agents required (Erlang C) against agents actually staffed, by hour of day.

    ``hourly`` is :func:`orient.service.hourly_profile` (indexed by hour, columns
    ``required_agents``, ``implied_agents``, ``peak``).
    """
    ax = _get_ax(ax)
    hours = hourly.index.to_numpy()
    ax.bar(hours, hourly["implied_agents"], width=0.8, color=PALETTE["neutral"], alpha=0.6,
           label="staffed (mean per interval)")
    ax.plot(hours, hourly["required_agents"], marker="o", color=PALETTE["own"],
            label="required for the target")
    short = hourly["required_agents"] > hourly["implied_agents"]
    ax.scatter(hours[short.to_numpy()], hourly.loc[short, "required_agents"], s=60, zorder=3,
               color=PALETTE["bad"], label="understaffed hour")
    ax.set_xticks(hours)
    ax.set_xlabel("hour of day")
    ax.set_ylabel("agents")
    ax.set_title("Agents required vs staffed by hour")
    ax.legend(frameon=False)
    return ax


def service_level_plot(hourly, *, target_level, ax=None):
    """Share of calls answered within the target time, by hour, against the target."""
    ax = _get_ax(ax)
    hours = hourly.index.to_numpy()
    level = hourly["achieved_level"] * 100
    colours = [PALETTE["bad"] if v < target_level * 100 else PALETTE["good"] for v in level]
    ax.bar(hours, level, width=0.8, color=colours)
    ax.axhline(target_level * 100, color="black", linestyle="--",
               label=f"target {target_level:.0%}")
    ax.set_xticks(hours)
    ax.set_ylim(0, 100)
    ax.set_xlabel("hour of day")
    ax.set_ylabel("calls answered within target, %")
    ax.set_title("Service level by hour")
    ax.legend(frameon=False, loc="lower right")
    return ax


def claims_plot(monthly, *, ax=None):
    """Claims received and resolved per month, with the open backlog at month end."""
    ax = _get_ax(ax)
    x = monthly["month"]
    ax.plot(x, monthly["received"], marker="o", color=PALETTE["bad"], label="received")
    ax.plot(x, monthly["resolved"], marker="o", color=PALETTE["good"], label="resolved")
    ax.bar(x, monthly["open_end"], width=20, color=PALETTE["neutral"], alpha=0.4,
           label="open at month end")
    ax.set_xlabel("month")
    ax.set_ylabel("claims")
    ax.set_title("Claims received, resolved and open")
    ax.legend(frameon=False)
    ax.tick_params(axis="x", labelrotation=30)
    return ax


def control_chart_plot(chart, *, title=None, ylabel=None, ax=None):
    """A Shewhart control chart: statistic, centre line, limits, flagged points.

    ``chart`` is an :class:`orient.quality.ControlChart`, or the rows of
    ``QualityResult.points`` for one chart. Phase II points (after the trial
    subgroups) are to the right of a dotted line; points breaking a run rule are red
    and labelled with the rule numbers.
    """
    ax = _get_ax(ax)
    if hasattr(chart, "points"):
        p, name = chart.points, chart.chart
    else:
        p, name = chart, str(chart["chart"].iloc[0]) if "chart" in chart.columns else "statistic"
    x = range(1, len(p) + 1)
    ax.plot(x, p["statistic"], marker="o", markersize=4, color=PALETTE["own"], lw=1,
            label=name)
    ax.step(x, p["ucl"], where="mid", color=PALETTE["bad"], lw=1, linestyle="--", label="UCL")
    ax.step(x, p["lcl"], where="mid", color=PALETTE["bad"], lw=1, linestyle="--", label="LCL")
    ax.step(x, p["center"], where="mid", color="black", lw=1, label="centre")
    out = p["out_of_control"].to_numpy()
    xs = [i for i, o in zip(x, out, strict=True) if o]
    ax.scatter(xs, p.loc[out, "statistic"], color=PALETTE["bad"], zorder=3, s=40,
               label="out of control")
    for xi, (_, row) in zip(xs, p[out].iterrows(), strict=True):
        ax.annotate(row["rules"], (xi, row["statistic"]), textcoords="offset points",
                    xytext=(0, 6), ha="center", fontsize=7, color=PALETTE["bad"])
    n1 = int((p["phase"] == "I").sum())
    if n1 < len(p):
        ax.axvline(n1 + 0.5, color=PALETTE["neutral"], linestyle=":")
        ax.text(n1 + 0.7, ax.get_ylim()[1], "phase II", va="top", fontsize=8,
                color=PALETTE["neutral"])
    ax.set_xlabel("subgroup (in time order)")
    ax.set_ylabel(ylabel or name)
    ax.set_title(title or f"{name} control chart")
    ax.legend(frameon=False, fontsize=7, ncol=3, loc="lower left")
    return ax


def oc_curve_plot(oc, *, plan=None, ax=None):
    """Operating characteristic curve of a sampling plan (:func:`orient.quality.oc_curve`)."""
    ax = _get_ax(ax)
    ax.plot(oc["p"] * 100, oc["pa"], color=PALETTE["own"])
    if plan is not None:
        for key, colour in (("aql", PALETTE["good"]), ("ltpd", PALETTE["bad"])):
            if plan.get(key) is not None:
                ax.axvline(plan[key] * 100, color=colour, linestyle="--",
                           label=f"{key.upper()} {plan[key]:.1%}")
        ax.set_title(f"OC curve: sample {plan['n']}, accept with up to {plan['c']} defective")
    else:
        ax.set_title("Operating characteristic curve")
    ax.set_xlabel("lot fraction defective, %")
    ax.set_ylabel("probability of accepting the lot")
    ax.set_ylim(0, 1.02)
    if plan is not None:
        ax.legend(frameon=False)
    return ax


def funnel_plot(funnel, *, ax=None):
    """Pipeline funnel (:func:`orient.crm.funnel`): deals reaching each stage."""
    ax = _get_ax(ax)
    y = list(range(len(funnel)))[::-1]
    ax.barh(y, funnel["reached"], color=PALETTE["own"])
    for yi, (_, row) in zip(y, funnel.iterrows(), strict=True):
        text = f"{int(row['reached'])}"
        if row["conversion"] == row["conversion"]:  # not NaN
            text += (f"  ({row['conversion']:.0%} of previous, "
                     f"{row['ci_low']:.0%}-{row['ci_high']:.0%})")
        ax.text(row["reached"], yi, " " + text, va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels(funnel["stage"])
    ax.set_xlabel("deals")
    ax.set_ylabel("stage")
    ax.set_xlim(0, funnel["reached"].max() * 1.6)
    ax.set_title("Sales pipeline funnel")
    return ax


def pareto_plot(table, *, label="reason", value="n", ylabel="count", title="Pareto chart",
                ax=None):
    """Pareto chart: bars by frequency with the cumulative share line.

    ``table`` needs ``label``, ``value`` and ``cumulative_share`` columns, sorted
    most frequent first (:func:`orient.crm.refusal_pareto`,
    :func:`orient.service.claims_by_category`).
    """
    ax = _get_ax(ax)
    x = range(len(table))
    ax.bar(x, table[value], color=PALETTE["own"])
    ax.set_xticks(list(x))
    ax.set_xticklabels(table[label], rotation=30, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_xlabel(label.replace("_", " "))
    ax2 = ax.twinx()
    ax2.plot(list(x), table["cumulative_share"] * 100, color=PALETTE["bad"], marker="o")
    ax2.axhline(80, color=PALETTE["neutral"], linestyle=":")
    ax2.set_ylim(0, 105)
    ax2.set_ylabel("cumulative share, %")
    ax.set_title(title)
    return ax


def receivables_plot(ageing, *, currency="", ax=None):
    """Outstanding receivables by days past due (:func:`orient.crm.receivables_ageing`)."""
    ax = _get_ax(ax)
    colours = [PALETTE["good"] if b == "not due" else PALETTE["bad"] for b in ageing["band"]]
    ax.bar(ageing["band"], ageing["amount"], color=colours)
    ax.set_xlabel("days past the invoice due date")
    ax.set_ylabel(f"outstanding{', ' + currency if currency else ''}")
    ax.set_title("Receivables ageing")
    return ax



# --- widgets: classroom explorers --------------------------------------------------

__all__ += ["service_level_curve_plot"]


def service_level_curve_plot(curve, *, target_level, target_s=20, agents=None,
                             agents_needed=None, ax=None):
    """Erlang C service level against the number of agents, with the target.

    Parameters
    ----------
    curve : DataFrame
        :func:`orient.widgets.erlang_c_table` (``agents``, ``service_level``).
    target_level : float
        Required share answered within ``target_s`` (0-1), drawn as a dashed line.
    target_s : float
        The answer-time target in seconds (for the labels).
    agents : int, optional
        The staffing chosen, marked with a large point.
    agents_needed : int, optional
        The fewest agents meeting the target, marked with a vertical line.
    ax : matplotlib Axes, optional
    """
    ax = _get_ax(ax)
    level = curve["service_level"] * 100
    colours = [PALETTE["good"] if v >= target_level * 100 else PALETTE["bad"] for v in level]
    ax.plot(curve["agents"], level, color=PALETTE["neutral"], linewidth=1, zorder=1)
    ax.scatter(curve["agents"], level, c=colours, s=25, zorder=2)
    ax.axhline(target_level * 100, color="black", linestyle="--", linewidth=0.8,
               label=f"target: {target_level:.0%} within {target_s:g} s")
    if agents_needed is not None:
        ax.axvline(agents_needed, color=PALETTE["good"], linestyle=":", linewidth=1,
                   label=f"agents needed: {agents_needed}")
    if agents is not None:
        row = curve[curve["agents"] == agents]
        if len(row):
            ax.scatter(row["agents"], row["service_level"] * 100, s=140, facecolors="none",
                       edgecolors=PALETTE["own"], linewidths=2, zorder=3,
                       label=f"chosen: {agents} agents")
    ax.set_ylim(-2, 102)
    ax.set_xlabel("agents answering calls")
    ax.set_ylabel(f"calls answered within {target_s:g} s (%)")
    ax.set_title("Erlang C: service level by number of agents")
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    return ax


__all__ += ["what_if_plot"]


def what_if_plot(table, *, highlight=None, labels=None, ax=None):
    """Predicted gain in the 0-100 satisfaction index if each attribute reaches its target.

    Parameters
    ----------
    table : DataFrame
        :func:`orient.implementation.what_if` or :func:`orient.widgets.what_if_table`
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
    err = np.vstack([gain - t["index_ci_low"].to_numpy(dtype=float),
                     t["index_ci_high"].to_numpy(dtype=float) - gain])
    colours = [PALETTE["bad"] if k == highlight else PALETTE["own"] for k in t.index]
    ax.barh(y, gain, xerr=np.abs(err), color=colours, capsize=3, ecolor="black", height=0.6)
    hi = np.fmax(t["index_ci_high"].to_numpy(dtype=float), gain)
    lo = np.fmin(t["index_ci_low"].to_numpy(dtype=float), gain)
    for yi, v, h, low in zip(y, gain, hi, lo, strict=True):
        # the value beyond the end of its interval, so the two never overlap
        ax.text(h if v >= 0 else low, yi, f" {v:+.2f} ", va="center",
                ha="left" if v >= 0 else "right", fontsize=8)
    ax.margins(x=0.15)
    ax.set_yticks(y)
    ax.set_yticklabels([_label_of(k, labels) for k in t.index])
    ax.axvline(0, color=PALETTE["neutral"], linewidth=0.8)
    ax.set_xlabel("Predicted change in the satisfaction index (0-100 points), 95% interval")
    ax.set_ylabel("Attribute moved")
    ax.set_title("What if? Predicted gain in overall satisfaction")
    return ax


# --- language: every chart above in the company's language -----------------------
#
# Each public ``*_plot`` function takes ``language="en"`` (keyword). English draws as
# written above; for another language the finished axes are rewritten: titles, axis
# labels, legend and annotation texts through ``terms.plots`` (exact text) and
# ``terms.plot_patterns`` (regex, first full match) of ``templates/text/<language>.yaml``,
# numbers inside those texts and on numeric tick labels with the language's separators
# (``orient._text.format_number``; matplotlib's ``axes.formatter.use_locale`` depends
# on the machine's locales and is not used).


def _tick_decimals(locs) -> int:
    """The fewest decimals that show every tick location exactly (at most 4)."""
    import numpy as np

    locs = np.asarray([v for v in locs if np.isfinite(v)], dtype=float)
    for d in range(5):
        if np.allclose(np.round(locs, d), locs, rtol=0, atol=1e-9 * max(1.0, np.abs(locs).max(initial=0))):
            return d
    return 4


def _numbers_in(text: str, language: str) -> str:
    """Thousands and decimal separators of the numbers inside an English text."""
    import re

    if language != "ru":
        return text
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "\u202f", text)
    return re.sub(r"(?<=\d)\.(?=\d)", ",", text)


def _translate(text: str, language: str) -> str:
    import re

    from ._text import texts

    if not text or language == "en":
        return text
    terms = texts(language).get("terms", {})
    exact = terms.get("plots", {})
    if text in exact:
        return str(exact[text])
    for item in terms.get("plot_patterns", []):
        m = re.fullmatch(item["match"], text, flags=re.DOTALL)
        if m:
            return _numbers_in(m.expand(item["replace"]), language)
    return _numbers_in(text, language)


def _localise_axes(ax, language: str) -> None:
    """Rewrite the texts and numeric tick labels of ``ax`` in ``language``."""
    from matplotlib.ticker import FixedFormatter, FuncFormatter, ScalarFormatter

    from ._text import format_number

    if language == "en":
        return
    for text in [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label,
                 *ax.texts]:
        text.set_text(_translate(text.get_text(), language))
    legend = ax.get_legend()
    if legend is not None:
        for text in [*legend.get_texts(), legend.get_title()]:
            text.set_text(_translate(text.get_text(), language))
    for axis in (ax.xaxis, ax.yaxis):
        formatter = axis.get_major_formatter()
        if isinstance(formatter, ScalarFormatter):
            def fmt(x, pos, axis=axis):
                return format_number(x, language, _tick_decimals(axis.get_majorticklocs()))
            axis.set_major_formatter(FuncFormatter(fmt))
        elif isinstance(formatter, FixedFormatter):
            formatter.seq = [_translate(str(s), language) for s in formatter.seq]


def _with_language(function):
    import functools

    from ._text import check_language

    @functools.wraps(function)
    def plot(*args, language="en", **kwargs):
        language = check_language(language)
        ax = function(*args, **kwargs)
        if language != "en" and ax is not None:
            # the axes drawn on and any twin sharing its place (pareto: cumulative share)
            for other in ax.figure.axes:
                if other is ax or other.get_position().bounds == ax.get_position().bounds:
                    _localise_axes(other, language)
        return ax

    plot.__doc__ = (function.__doc__ or "") + (
        "\n\n    ``language`` (keyword, ``\"en\"`` or ``\"ru\"``): the language of the "
        "texts and numbers drawn.\n")
    return plot


for _name in list(__all__):
    if _name.endswith("_plot"):
        globals()[_name] = _with_language(globals()[_name])
del _name
