"""Operations charts: call centre and claims, quality control, the CRM pipeline."""

from __future__ import annotations

from orient.present.plots.common import PALETTE, _get_ax, _with_language

__all__ = [
    "claims_plot",
    "control_chart_plot",
    "funnel_plot",
    "oc_curve_plot",
    "pareto_plot",
    "receivables_plot",
    "service_level_curve_plot",
    "service_level_plot",
    "staffing_plot",
]


@_with_language
def staffing_plot(hourly, *, ax=None):
    """Agents required (Erlang C) against agents actually staffed, by hour of day.

    ``hourly`` is :func:`orient.service.hourly_profile` (indexed by hour, columns
    ``required_agents``, ``implied_agents``, ``peak``).
    """
    ax = _get_ax(ax)
    hours = hourly.index.to_numpy()
    ax.bar(
        hours,
        hourly["implied_agents"],
        width=0.8,
        color=PALETTE["neutral"],
        alpha=0.6,
        label="staffed (mean per interval)",
    )
    ax.plot(
        hours,
        hourly["required_agents"],
        marker="o",
        color=PALETTE["own"],
        label="required for the target",
    )
    short = hourly["required_agents"] > hourly["implied_agents"]
    ax.scatter(
        hours[short.to_numpy()],
        hourly.loc[short, "required_agents"],
        s=60,
        zorder=3,
        color=PALETTE["bad"],
        label="understaffed hour",
    )
    ax.set_xticks(hours)
    ax.set_xlabel("hour of day")
    ax.set_ylabel("agents")
    ax.set_title("Agents required vs staffed by hour")
    ax.legend(frameon=False)
    return ax


@_with_language
def service_level_plot(hourly, *, target_level, ax=None):
    """Share of calls answered within the target time, by hour, against the target."""
    ax = _get_ax(ax)
    hours = hourly.index.to_numpy()
    level = hourly["achieved_level"] * 100
    colours = [PALETTE["bad"] if v < target_level * 100 else PALETTE["good"] for v in level]
    ax.bar(hours, level, width=0.8, color=colours)
    ax.axhline(
        target_level * 100, color="black", linestyle="--", label=f"target {target_level:.0%}"
    )
    ax.set_xticks(hours)
    ax.set_ylim(0, 100)
    ax.set_xlabel("hour of day")
    ax.set_ylabel("calls answered within target, %")
    ax.set_title("Service level by hour")
    ax.legend(frameon=False, loc="lower right")
    return ax


@_with_language
def claims_plot(monthly, *, ax=None):
    """Claims received and resolved per month, with the open backlog at month end."""
    ax = _get_ax(ax)
    x = monthly["month"]
    ax.plot(x, monthly["received"], marker="o", color=PALETTE["bad"], label="received")
    if monthly["resolved"].isna().all():  # the register records no resolution
        ax.set_xlabel("month")
        ax.set_ylabel("claims")
        ax.set_title("Claims received")
        ax.tick_params(axis="x", labelrotation=30)
        return ax
    ax.plot(x, monthly["resolved"], marker="o", color=PALETTE["good"], label="resolved")
    ax.bar(
        x,
        monthly["open_end"],
        width=20,
        color=PALETTE["neutral"],
        alpha=0.4,
        label="open at month end",
    )
    ax.set_xlabel("month")
    ax.set_ylabel("claims")
    ax.set_title("Claims received, resolved and open")
    ax.legend(frameon=False)
    ax.tick_params(axis="x", labelrotation=30)
    return ax


@_with_language
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
    ax.plot(x, p["statistic"], marker="o", markersize=4, color=PALETTE["own"], lw=1, label=name)
    ax.step(x, p["ucl"], where="mid", color=PALETTE["bad"], lw=1, linestyle="--", label="UCL")
    ax.step(x, p["lcl"], where="mid", color=PALETTE["bad"], lw=1, linestyle="--", label="LCL")
    ax.step(x, p["center"], where="mid", color="black", lw=1, label="centre")
    out = p["out_of_control"].to_numpy()
    xs = [i for i, o in zip(x, out, strict=True) if o]
    ax.scatter(
        xs, p.loc[out, "statistic"], color=PALETTE["bad"], zorder=3, s=40, label="out of control"
    )
    for xi, (_, row) in zip(xs, p[out].iterrows(), strict=True):
        ax.annotate(
            row["rules"],
            (xi, row["statistic"]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7,
            color=PALETTE["bad"],
        )
    n1 = int((p["phase"] == "I").sum())
    if n1 < len(p):
        ax.axvline(n1 + 0.5, color=PALETTE["neutral"], linestyle=":")
        ax.text(
            n1 + 0.7, ax.get_ylim()[1], "phase II", va="top", fontsize=8, color=PALETTE["neutral"]
        )
    ax.set_xlabel("subgroup (in time order)")
    ax.set_ylabel(ylabel or name)
    ax.set_title(title or f"{name} control chart")
    ax.legend(frameon=False, fontsize=7, ncol=3, loc="lower left")
    return ax


@_with_language
def oc_curve_plot(oc, *, plan=None, ax=None):
    """Operating characteristic curve of a sampling plan (:func:`orient.quality.oc_curve`)."""
    ax = _get_ax(ax)
    ax.plot(oc["p"] * 100, oc["pa"], color=PALETTE["own"])
    if plan is not None:
        for key, colour in (("aql", PALETTE["good"]), ("ltpd", PALETTE["bad"])):
            if plan.get(key) is not None:
                ax.axvline(
                    plan[key] * 100,
                    color=colour,
                    linestyle="--",
                    label=f"{key.upper()} {plan[key]:.1%}",
                )
        ax.set_title(f"OC curve: sample {plan['n']}, accept with up to {plan['c']} defective")
    else:
        ax.set_title("Operating characteristic curve")
    ax.set_xlabel("lot fraction defective, %")
    ax.set_ylabel("probability of accepting the lot")
    ax.set_ylim(0, 1.02)
    if plan is not None:
        ax.legend(frameon=False)
    return ax


@_with_language
def funnel_plot(funnel, *, ax=None):
    """Pipeline funnel (:func:`orient.crm.funnel`): deals reaching each stage."""
    ax = _get_ax(ax)
    y = list(range(len(funnel)))[::-1]
    ax.barh(y, funnel["reached"], color=PALETTE["own"])
    for yi, (_, row) in zip(y, funnel.iterrows(), strict=True):
        text = f"{int(row['reached'])}"
        if row["conversion"] == row["conversion"]:  # not NaN
            text += (
                f"  ({row['conversion']:.0%} of previous, {row['ci_low']:.0%}-{row['ci_high']:.0%})"
            )
        ax.text(row["reached"], yi, " " + text, va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels(funnel["stage"])
    ax.set_xlabel("deals")
    ax.set_ylabel("stage")
    ax.set_xlim(0, funnel["reached"].max() * 1.6)
    ax.set_title("Sales pipeline funnel")
    return ax


@_with_language
def pareto_plot(table, *, label="reason", value="n", ylabel="count", title="Pareto chart", ax=None):
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


@_with_language
def receivables_plot(ageing, *, currency="", ax=None):
    """Outstanding receivables by days past due (:func:`orient.crm.receivables_ageing`)."""
    ax = _get_ax(ax)
    colours = [PALETTE["good"] if b == "not due" else PALETTE["bad"] for b in ageing["band"]]
    ax.bar(ageing["band"], ageing["amount"], color=colours)
    ax.set_xlabel("days past the invoice due date")
    ax.set_ylabel(f"outstanding{', ' + currency if currency else ''}")
    ax.set_title("Receivables ageing")
    return ax


@_with_language
def service_level_curve_plot(
    curve, *, target_level, target_s=20, agents=None, agents_needed=None, ax=None
):
    """Erlang C service level against the number of agents, with the target.

    Parameters
    ----------
    curve : DataFrame
        :func:`orient.present.widgets.erlang_c_table` (``agents``, ``service_level``).
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
    ax.axhline(
        target_level * 100,
        color="black",
        linestyle="--",
        linewidth=0.8,
        label=f"target: {target_level:.0%} within {target_s:g} s",
    )
    if agents_needed is not None:
        ax.axvline(
            agents_needed,
            color=PALETTE["good"],
            linestyle=":",
            linewidth=1,
            label=f"agents needed: {agents_needed}",
        )
    if agents is not None:
        row = curve[curve["agents"] == agents]
        if len(row):
            ax.scatter(
                row["agents"],
                row["service_level"] * 100,
                s=140,
                facecolors="none",
                edgecolors=PALETTE["own"],
                linewidths=2,
                zorder=3,
                label=f"chosen: {agents} agents",
            )
    ax.set_ylim(-2, 102)
    ax.set_xlabel("agents answering calls")
    ax.set_ylabel(f"calls answered within {target_s:g} s (%)")
    ax.set_title("Erlang C: service level by number of agents")
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    return ax
