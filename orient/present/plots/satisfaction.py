"""Stage II charts: satisfaction by segment and wave, NPS composition, the chain, IPMA."""

from __future__ import annotations

from orient.present.plots.common import PALETTE, _get_ax, _with_language

__all__ = [
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


@_with_language
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
            ax.text(
                lo_all,
                y,
                r["shown"],
                va="center",
                ha="left",
                color=PALETTE["neutral"],
                style="italic",
            )
            continue
        colour = PALETTE["own"]
        if r["significant"]:
            colour = PALETTE["good"] if r["difference"] > 0 else PALETTE["bad"]
        ax.errorbar(
            r["estimate"],
            y,
            xerr=[[r["estimate"] - r["ci_low"]], [r["ci_high"] - r["estimate"]]],
            fmt="o",
            color=colour,
            capsize=4,
            label=None,
        )
        ax.annotate(
            f"{_fmt(r['estimate'])}  (n = {int(r['n'])})",
            (r["ci_high"], y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(ys)
    ax.set_yticklabels([str(s) for s in tab["segment"]])
    ax.set_ylim(-0.7, len(tab) - 0.3)
    ax.set_xlabel(f"{measure} ({unit}), with 95% interval" if unit else measure)
    ax.set_ylabel("Segment")
    ax.set_title(f"{measure} by segment")
    ax.margins(x=0.25)
    return ax


@_with_language
def nps_composition_plot(composition, *, ax=None):
    """Detractors, passives and promoters as stacked bars, one per group (``nps_composition``)."""
    ax = _get_ax(ax)
    tab = composition.reset_index(drop=True)
    ys = list(range(len(tab)))[::-1]
    parts = [
        ("detractors", "Detractors (0-6)", PALETTE["bad"]),
        ("passives", "Passives (7-8)", PALETTE["neutral"]),
        ("promoters", "Promoters (9-10)", PALETTE["good"]),
    ]
    left = [0.0] * len(tab)
    for col, label, colour in parts:
        vals = tab[col].tolist()
        ax.barh(ys, vals, left=left, color=colour, label=label, height=0.6)
        for y, lft, v in zip(ys, left, vals, strict=True):
            if v >= 6:
                ax.text(
                    lft + v / 2, y, f"{v:.0f}%", ha="center", va="center", color="white", fontsize=9
                )
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


@_with_language
def wave_change_plot(waves, *, measure=None, unit="", ax=None):
    """A measure per survey wave with intervals, and whether the last change is real."""
    ax = _get_ax(ax)
    tab = waves if measure is None else waves[waves["measure"] == measure]
    measure = measure or str(tab["measure"].iloc[0])
    tab = tab.reset_index(drop=True)
    xs = list(range(len(tab)))
    ok = ~tab["suppressed"]
    ax.errorbar(
        [x for x, k in zip(xs, ok, strict=True) if k],
        tab.loc[ok, "estimate"],
        yerr=[
            tab.loc[ok, "estimate"] - tab.loc[ok, "ci_low"],
            tab.loc[ok, "ci_high"] - tab.loc[ok, "estimate"],
        ],
        fmt="o-",
        color=PALETTE["own"],
        capsize=5,
    )
    for x, (_, r) in zip(xs, tab.iterrows(), strict=True):
        if r["suppressed"]:
            ax.text(x, 0.5, "n too small", transform=ax.get_xaxis_transform(), ha="center")
            continue
        text = _fmt(r["estimate"])
        if _finite(r["change"]):
            text += f"\n{r['change']:+.1f}" + (
                " (significant)" if r["significant"] else " (not significant)"
            )
        ax.annotate(
            text,
            (x, r["ci_high"]),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    ax.set_xticks(xs)
    ax.set_xticklabels([str(w) for w in tab["wave"]])
    ax.set_xlim(-0.5, len(xs) - 0.5)
    ax.margins(y=0.3)
    ax.set_xlabel("Survey wave")
    ax.set_ylabel(f"{measure} ({unit})" if unit else measure)
    ax.set_title(f"{measure}: change since the previous wave")
    return ax


@_with_language
def attribute_effects_plot(chain, *, labels=None, ax=None):
    """Points of satisfaction per rating point of each attribute, with bootstrap intervals."""
    ax = _get_ax(ax)
    tab = chain[chain["stage"] == "attributes -> satisfaction"].sort_values("effect")
    names = [(labels or {}).get(a, a) for a in tab["from"]]
    ys = list(range(len(tab)))
    colours = [PALETTE["own"] if lo > 0 else PALETTE["neutral"] for lo in tab["ci_low"]]
    ax.barh(ys, tab["effect"], color=colours, height=0.6)
    ax.errorbar(
        tab["effect"],
        ys,
        xerr=[tab["effect"] - tab["ci_low"], tab["ci_high"] - tab["effect"]],
        fmt="none",
        ecolor="black",
        capsize=3,
    )
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(ys)
    ax.set_yticklabels(names)
    unit = tab["unit"].iloc[0] if len(tab) else ""
    ax.set_xlabel(f"Effect on satisfaction ({unit}), with 95% interval")
    ax.set_ylabel("Attribute")
    ax.set_title("What moves satisfaction: attribute effects")
    return ax


@_with_language
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
    ax.text(
        *sat_xy,
        "Satisfaction\nindex (0-100)",
        ha="center",
        va="center",
        bbox=dict(boxstyle="round,pad=0.5", fc=PALETTE["own"], ec=PALETTE["own"]),
        color="white",
        fontsize=10,
        transform=ax.transAxes,
    )

    def ys(k):
        return [0.5] if k == 1 else [0.9 - 0.8 * i / (k - 1) for i in range(k)]

    for y, (_, r) in zip(ys(len(att)), att.iterrows(), strict=True):
        name = (labels or {}).get(r["from"], r["from"])
        ax.text(
            0.12,
            y,
            f"{name}\n{_sig(r['effect'], True)} points per rating point\n"
            f"({_sig(r['ci_low'])} to {_sig(r['ci_high'])})",
            ha="center",
            va="center",
            bbox=box,
            fontsize=8,
            transform=ax.transAxes,
        )
        ax.annotate(
            "",
            xy=(0.40, 0.5),
            xytext=(0.27, y),
            xycoords="axes fraction",
            arrowprops=dict(arrowstyle="->", color=PALETTE["neutral"]),
        )
    for y, (_, r) in zip(ys(len(out)), out.iterrows(), strict=True):
        unit = str(r["unit"]).split(" per point")[0]
        ax.text(
            0.86,
            y,
            f"{r['to']}: {_sig(r['effect'], True)} {unit}\n"
            f"({_sig(r['ci_low'])} to {_sig(r['ci_high'])})",
            ha="center",
            va="center",
            bbox=box,
            fontsize=8,
            transform=ax.transAxes,
        )
        ax.annotate(
            "",
            xy=(0.72, y),
            xytext=(0.6, 0.5),
            xycoords="axes fraction",
            arrowprops=dict(arrowstyle="->", color=PALETTE["neutral"]),
        )
    ax.set_axis_off()
    ax.set_title(
        "The chain: attributes -> satisfaction -> loyalty -> profit\n"
        "(effects per rating point, and per point of the index; 95% intervals)",
        fontsize=10,
    )
    return ax


@_with_language
def ipma_plot(ipma, *, labels=None, target="Satisfaction", ax=None):
    """Importance-performance map: unstandardised total effect against 0-100 performance."""
    ax = _get_ax(ax)
    ax.scatter(ipma["importance"], ipma["performance"], color=PALETTE["own"])
    for name, r in ipma.iterrows():
        ax.annotate(
            (labels or {}).get(name, str(name)),
            (r["importance"], r["performance"]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    ax.axvline(ipma["importance"].mean(), color=PALETTE["neutral"], ls="--", lw=0.8)
    ax.axhline(ipma["performance"].mean(), color=PALETTE["neutral"], ls="--", lw=0.8)
    ax.set_xlabel(f"Importance: total effect on {target} (points per point)")
    ax.set_ylabel("Performance (0-100)")
    ax.set_title(f"Importance-performance map for {target}")
    return ax
