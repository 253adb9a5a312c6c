"""Operations charts: call centre and claims, quality control, the CRM pipeline.

Every function takes ``language`` (``"en"`` or ``"ru"``) and draws its texts in it
(:func:`~orient.present.plots.common.plot_text`), formats the numeric ticks
(:func:`~orient.present.plots.common.language_ticks`) and records one sentence saying
what the figure shows (:func:`~orient.present.plots.common.describe`, the alt text).
"""

from __future__ import annotations

import re

from orient.i18n import check_language, format_number
from orient.present.plots.common import (
    PALETTE,
    _get_ax,
    describe,
    finish_control_chart,
    language_ticks,
    plot_text,
)

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


def _hours(values) -> str:
    return ", ".join(f"{int(h):02d}:00" for h in values)


def staffing_plot(hourly, *, ax=None, language="en"):
    """Agents required (Erlang C) against agents actually staffed, by hour of day.

    ``hourly`` is :func:`orient.service.hourly_profile` (indexed by hour, columns
    ``required_agents``, ``implied_agents``, ``peak``). The description names the
    hours short of staff (the grey bars below the blue line).
    """
    language = check_language(language)
    ax = _get_ax(ax)
    hours = hourly.index.to_numpy()
    ax.bar(
        hours,
        hourly["implied_agents"],
        width=0.8,
        color=PALETTE["neutral"],
        alpha=0.6,
        label=plot_text("staffed (mean per interval)", language),
    )
    ax.plot(
        hours,
        hourly["required_agents"],
        marker="o",
        color=PALETTE["own"],
        label=plot_text("required for the target", language),
    )
    short = (hourly["required_agents"] > hourly["implied_agents"]).to_numpy()
    ax.scatter(
        hours[short],
        hourly.loc[short, "required_agents"],
        s=60,
        zorder=3,
        color=PALETTE["bad"],
        label=plot_text("understaffed hour", language),
    )
    ax.set_xticks(hours)
    ax.set_xlabel(plot_text("hour of day", language))
    ax.set_ylabel(plot_text("agents", language))
    ax.set_title(plot_text("Agents required vs staffed by hour", language))
    ax.legend(frameon=False)
    if short.any():
        text = plot_text(
            "Agents on duty (grey bars) against the agents the target needs (blue line), "
            "by hour: {k} of {n} hours short of staff ({hours}).",
            language,
            k=int(short.sum()),
            n=len(hours),
            hours=_hours(hours[short]),
        )
    else:
        text = plot_text(
            "Agents on duty (grey bars) against the agents the target needs (blue line), "
            "by hour: every one of the {n} hours has the staff it needs.",
            language,
            n=len(hours),
        )
    describe(ax, text)
    language_ticks(ax, language)
    return ax


def service_level_plot(hourly, *, target_level, ax=None, language="en"):
    """Share of calls answered within the target time, by hour, against the target."""
    language = check_language(language)
    ax = _get_ax(ax)
    hours = hourly.index.to_numpy()
    level = hourly["achieved_level"] * 100
    below = (level < target_level * 100).to_numpy()
    colours = [PALETTE["bad"] if b else PALETTE["good"] for b in below]
    ax.bar(hours, level, width=0.8, color=colours)
    target = float(target_level) * 100
    ax.axhline(
        target,
        color="black",
        linestyle="--",
        label=plot_text("target {target:.0f}%", language, target=target),
    )
    ax.set_xticks(hours)
    ax.set_ylim(0, 100)
    ax.set_xlabel(plot_text("hour of day", language))
    ax.set_ylabel(plot_text("calls answered within target, %", language))
    ax.set_title(plot_text("Service level by hour", language))
    ax.legend(frameon=False, loc="lower right")
    describe(
        ax,
        plot_text(
            "Share of calls answered in time by hour against the {target:.0f}% target "
            "(red bars: below it): {k} of {n} hours below the target.",
            language,
            target=target,
            k=int(below.sum()),
            n=len(hours),
        ),
    )
    language_ticks(ax, language)
    return ax


def claims_plot(monthly, *, ax=None, language="en"):
    """Claims received and resolved per month, with the open backlog at month end.

    Without resolution dates (``resolved`` missing) only the claims received are drawn.
    """
    language = check_language(language)
    ax = _get_ax(ax)
    x = monthly["month"]
    known = bool(monthly["resolved"].notna().any())
    ax.plot(
        x,
        monthly["received"],
        marker="o",
        color=PALETTE["bad"],
        label=plot_text("received", language),
    )
    if known:
        ax.plot(
            x,
            monthly["resolved"],
            marker="o",
            color=PALETTE["good"],
            label=plot_text("resolved", language),
        )
        ax.bar(
            x,
            monthly["open_end"],
            width=20,
            color=PALETTE["neutral"],
            alpha=0.4,
            label=plot_text("open at month end", language),
        )
        ax.set_title(plot_text("Claims received, resolved and open", language))
    else:
        ax.set_title(plot_text("Claims received per month", language))
    ax.set_xlabel(plot_text("month", language))
    ax.set_ylabel(plot_text("claims", language))
    ax.legend(frameon=False)
    ax.tick_params(axis="x", labelrotation=30)
    if len(monthly) and known:
        text = plot_text(
            "Claims per month over {k} months: {received} received, {resolved} resolved, "
            "{open} open at the end of the last month.",
            language,
            k=len(monthly),
            received=int(monthly["received"].sum()),
            resolved=int(monthly["resolved"].sum()),
            open=int(monthly["open_end"].iloc[-1]),
        )
        describe(ax, text)
    elif len(monthly):
        text = plot_text(
            "Claims received per month over {k} months: {received} in all.",
            language,
            k=len(monthly),
            received=int(monthly["received"].sum()),
        )
        describe(ax, text)
    language_ticks(ax, language)
    return ax


def control_chart_plot(chart, *, title=None, ylabel=None, ax=None, language="en"):
    """A Shewhart control chart: statistic, centre line, limits, flagged points.

    ``chart`` is an :class:`orient.quality.ControlChart`, or the rows of
    ``QualityResult.points`` for one chart. Phase II points (after the trial
    subgroups) are to the right of a dotted line; points breaking a run rule are red
    and labelled with the rule numbers. ``title`` and ``ylabel`` are drawn as given
    (pass them in ``language``).
    """
    language = check_language(language)
    ax = _get_ax(ax)
    if hasattr(chart, "points"):
        p, name = chart.points, chart.chart
    else:
        p, name = chart, str(chart["chart"].iloc[0]) if "chart" in chart.columns else "statistic"
    name = "X\u0304" if name == "xbar" else name  # the chart's symbol: X-bar, R, p...
    x = range(1, len(p) + 1)
    ax.plot(x, p["statistic"], marker="o", markersize=4, color=PALETTE["own"], lw=1, label=name)
    ax.step(
        x,
        p["ucl"],
        where="mid",
        color=PALETTE["bad"],
        lw=1,
        linestyle="--",
        label=plot_text("UCL", language),
    )
    ax.step(
        x,
        p["lcl"],
        where="mid",
        color=PALETTE["bad"],
        lw=1,
        linestyle="--",
        label=plot_text("LCL", language),
    )
    ax.step(x, p["center"], where="mid", color="black", lw=1, label=plot_text("centre", language))
    out = p["out_of_control"].to_numpy(dtype=bool)
    xs = [i for i, o in zip(x, out, strict=True) if o]
    ax.scatter(
        xs,
        p.loc[out, "statistic"],
        color=PALETTE["bad"],
        zorder=3,
        s=40,
        label=plot_text("out of control", language),
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
            n1 + 0.7,
            ax.get_ylim()[1],
            plot_text("phase II", language),
            va="top",
            fontsize=8,
            color=PALETTE["neutral"],
        )
    ax.set_xlabel(plot_text("subgroup (in time order)", language))
    ax.set_ylabel(ylabel or name)
    return finish_control_chart(
        ax,
        name=name,
        title=title,
        flagged=int(out.sum()),
        n=len(p),
        what="{heading}: {k} of {n} subgroups out of control.",
        language=language,
    )


def oc_curve_plot(oc, *, plan=None, ax=None, language="en"):
    """Operating characteristic curve of a sampling plan (:func:`orient.quality.oc_curve`)."""
    language = check_language(language)
    ax = _get_ax(ax)
    ax.plot(oc["p"] * 100, oc["pa"], color=PALETTE["own"])
    if plan is not None:
        for key, colour in (("aql", PALETTE["good"]), ("ltpd", PALETTE["bad"])):
            if plan.get(key) is not None:
                ax.axvline(
                    plan[key] * 100,
                    color=colour,
                    linestyle="--",
                    label=plot_text(
                        "{key} {value:.1f}%", language, key=key.upper(), value=100 * plan[key]
                    ),
                )
        ax.set_title(
            plot_text(
                "OC curve: sample {n}, accept with up to {c} defective",
                language,
                n=int(plan["n"]),
                c=int(plan["c"]),
            )
        )
        describe(
            ax,
            plot_text(
                "Probability of accepting a lot against its share defective for the plan: "
                "inspect {n} items, accept the lot with up to {c} defective.",
                language,
                n=int(plan["n"]),
                c=int(plan["c"]),
            ),
        )
    else:
        ax.set_title(plot_text("Operating characteristic curve", language))
        describe(
            ax,
            plot_text("Probability of accepting a lot against its share defective.", language),
        )
    ax.set_xlabel(plot_text("lot fraction defective, %", language))
    ax.set_ylabel(plot_text("probability of accepting the lot", language))
    ax.set_ylim(0, 1.02)
    if plan is not None:
        ax.legend(frameon=False)
    language_ticks(ax, language)
    return ax


def _funnel_label(row, language: str) -> str:
    text = format_number(int(row["reached"]), language, 0)
    if row["conversion"] == row["conversion"]:  # not NaN
        text += "  " + plot_text(
            "({share:.0f}% of previous, {low:.0f}-{high:.0f}%)",
            language,
            share=100 * float(row["conversion"]),
            low=100 * float(row["ci_low"]),
            high=100 * float(row["ci_high"]),
        )
    return text


def funnel_plot(funnel, *, ax=None, language="en"):
    """Pipeline funnel (:func:`orient.crm.funnel`): deals reaching each stage."""
    language = check_language(language)
    ax = _get_ax(ax)
    y = list(range(len(funnel)))[::-1]
    ax.barh(y, funnel["reached"], color=PALETTE["own"])
    for yi, (_, row) in zip(y, funnel.iterrows(), strict=True):
        ax.text(row["reached"], yi, " " + _funnel_label(row, language), va="center", fontsize=8)
    ax.set_yticks(y)
    ax.set_yticklabels(funnel["stage"])
    ax.set_xlabel(plot_text("deals", language))
    ax.set_ylabel(plot_text("stage", language))
    ax.set_xlim(0, funnel["reached"].max() * 1.6)
    ax.set_title(plot_text("Sales pipeline funnel", language))
    if len(funnel):
        first, last = funnel.iloc[0], funnel.iloc[-1]
        describe(
            ax,
            plot_text(
                "Sales funnel: {n} deals at {first}, {k} reach {last} ({share:.0f}%).",
                language,
                n=int(first["reached"]),
                first=str(first["stage"]),
                k=int(last["reached"]),
                last=str(last["stage"]),
                share=100 * float(last["reached"]) / float(first["reached"])
                if first["reached"]
                else 0.0,
            ),
        )
    language_ticks(ax, language)
    return ax


def pareto_plot(
    table,
    *,
    label="reason",
    value="n",
    ylabel="count",
    title="Pareto chart",
    ax=None,
    language="en",
):
    """Pareto chart: bars by frequency with the cumulative share line.

    ``table`` needs ``label``, ``value`` and ``cumulative_share`` columns, sorted
    most frequent first (:func:`orient.crm.refusal_pareto`,
    :func:`orient.service.claims_by_category`). ``ylabel`` and ``title`` are English
    catalog texts (``terms.plots``), drawn in ``language``.
    """
    language = check_language(language)
    ax = _get_ax(ax)
    x = range(len(table))
    ax.bar(x, table[value], color=PALETTE["own"])
    ax.set_xticks(list(x))
    ax.set_xticklabels(table[label], rotation=30, ha="right")
    ax.set_ylabel(plot_text(ylabel, language))
    ax.set_xlabel(plot_text(label.replace("_", " "), language))
    ax2 = ax.twinx()
    ax2.plot(list(x), table["cumulative_share"] * 100, color=PALETTE["bad"], marker="o")
    ax2.axhline(80, color=PALETTE["neutral"], linestyle=":")
    ax2.set_ylim(0, 105)
    ax2.set_ylabel(plot_text("cumulative share, %", language))
    heading = plot_text(title, language)
    ax.set_title(heading)
    if len(table):
        top = table.iloc[0]
        k = int((table["cumulative_share"].shift(fill_value=0) < 0.8).sum())
        describe(
            ax,
            plot_text(
                "{heading}: {first} first with {share:.0f}%; the first {k} of {n} "
                "account for {cum:.0f}%.",
                language,
                heading=heading,
                first=str(top[label]),
                share=100 * float(top[value]) / float(table[value].sum()),
                k=k,
                n=len(table),
                cum=100 * float(table["cumulative_share"].iloc[k - 1]),
            ),
        )
    language_ticks(ax, language)
    language_ticks(ax2, language)
    return ax


def _band(band: str, language: str) -> str:
    """An ageing band of :func:`orient.crm.receivables_ageing` in ``language``."""
    m = re.fullmatch(r"(\d+)-(\d+) days", band)
    if m:
        return plot_text("{low}-{high} days", language, low=int(m[1]), high=int(m[2]))
    m = re.fullmatch(r"over (\d+) days", band)
    if m:
        return plot_text("over {n} days", language, n=int(m[1]))
    return plot_text(band, language)


def receivables_plot(ageing, *, currency="", ax=None, language="en"):
    """Outstanding receivables by days past due (:func:`orient.crm.receivables_ageing`)."""
    from orient.i18n import format_money

    language = check_language(language)
    ax = _get_ax(ax)
    bands = [str(b) for b in ageing["band"]]
    colours = [PALETTE["good"] if b == "not due" else PALETTE["bad"] for b in bands]
    ax.bar(range(len(bands)), ageing["amount"], color=colours)
    ax.set_xticks(list(range(len(bands))))
    ax.set_xticklabels([_band(b, language) for b in bands], rotation=20, ha="right")
    ax.set_xlabel(plot_text("days past the invoice due date", language))
    ax.set_ylabel(
        plot_text("outstanding, {currency}", language, currency=currency)
        if currency
        else plot_text("outstanding", language)
    )
    ax.set_title(plot_text("Receivables ageing", language))
    total = float(ageing["amount"].sum())
    if total > 0:
        i = int(ageing["amount"].to_numpy().argmax())
        describe(
            ax,
            plot_text(
                "Receivables by days past the due date: {total} outstanding, the most "
                "({share:.0f}%) in the band {band}.",
                language,
                total=format_money(total, currency or None, language, 0),
                share=100 * float(ageing["amount"].iloc[i]) / total,
                band=_band(bands[i], language),
            ),
        )
    language_ticks(ax, language)
    return ax


def service_level_curve_plot(
    curve, *, target_level, target_s=20, agents=None, agents_needed=None, ax=None, language="en"
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
    language : {"en", "ru"}
        The language of the figure's texts.
    """
    language = check_language(language)
    ax = _get_ax(ax)
    level = curve["service_level"] * 100
    target = float(target_level) * 100
    colours = [PALETTE["good"] if v >= target else PALETTE["bad"] for v in level]
    ax.plot(curve["agents"], level, color=PALETTE["neutral"], linewidth=1, zorder=1)
    ax.scatter(curve["agents"], level, c=colours, s=25, zorder=2)
    ax.axhline(
        target,
        color="black",
        linestyle="--",
        linewidth=0.8,
        label=plot_text(
            "target: {target:.0f}% within {s} s", language, target=target, s=float(target_s)
        ),
    )
    if agents_needed is not None:
        ax.axvline(
            agents_needed,
            color=PALETTE["good"],
            linestyle=":",
            linewidth=1,
            label=plot_text("agents needed: {n}", language, n=int(agents_needed)),
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
                label=plot_text("chosen: {n} agents", language, n=int(agents)),
            )
    ax.set_ylim(-2, 102)
    ax.set_xlabel(plot_text("agents answering calls", language))
    ax.set_ylabel(plot_text("calls answered within {s} s (%)", language, s=float(target_s)))
    ax.set_title(plot_text("Erlang C: service level by number of agents", language))
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    if agents_needed is not None:
        text = plot_text(
            "Service level by number of agents: {n} agents meet the target of {target:.0f}% "
            "within {s} s.",
            language,
            n=int(agents_needed),
            target=target,
            s=float(target_s),
        )
    else:
        text = plot_text(
            "Service level by number of agents: none of the numbers drawn meets the target "
            "of {target:.0f}% within {s} s.",
            language,
            target=target,
            s=float(target_s),
        )
    describe(ax, text)
    language_ticks(ax, language)
    return ax
