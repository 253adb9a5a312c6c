"""Stage II model charts: attribute effects, the satisfaction chain, IPMA.

Every function takes ``language="en"`` (keyword) and draws its texts in that language,
formats the numeric ticks with the language's separators and records one sentence saying
what the figure shows (the figure's alt text).
"""

from __future__ import annotations

from orient.present.plots.common import PALETTE, _get_ax, describe, language_ticks, plot_text
from orient.present.plots.satisfaction import _end, _join, _language, _num, _word

__all__ = ["attribute_effects_plot", "chain_plot", "ipma_plot"]


def attribute_effects_plot(chain, *, labels=None, ax=None, language="en"):
    """Points of satisfaction per rating point of each attribute, with bootstrap intervals.

    ``language`` (keyword, ``"en"`` or ``"ru"``): the language of the texts drawn.
    """
    language = _language(language)
    ax = _get_ax(ax)
    tab = chain[chain["stage"] == "attributes -> satisfaction"].sort_values("effect")
    names = [str((labels or {}).get(a, a)) for a in tab["from"]]
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
    ax.set_xlabel(
        plot_text("Effect on satisfaction (points per rating point), with 95% interval", language)
    )
    ax.set_ylabel(plot_text("Attribute", language))
    ax.set_title(plot_text("What moves satisfaction: attribute effects", language))
    language_ticks(ax, language)
    if len(tab):
        top = tab.iloc[-1]
        text = plot_text(
            "Attribute effects on satisfaction: {top} moves it most ({effect} points per rating "
            "point); {clear} of {k} effects are clearly above zero.",
            language,
            top=names[-1],
            effect=_num(top["effect"], language),
            clear=int((tab["ci_low"] > 0).sum()),
            k=len(tab),
        )
    else:
        text = plot_text("Attribute effects on satisfaction: no attribute to show.", language)
    describe(ax, text)
    return ax


def _outcome_unit(unit, language) -> str:
    """``pp retention`` -> ``pp``; ``points (0-10)`` as it is; a currency as it is."""
    import re

    unit = re.sub(r"\s*per point of \S+$", "", str(unit))
    if unit.startswith("pp"):
        return plot_text("pp", language)
    m = re.fullmatch(r"points \(([^)]*)\)", unit)
    if m:
        return plot_text("points ({scale})", language, scale=m.group(1))
    return unit


def _box_with_arrow(ax, at, text, box, *, head, tail) -> None:
    """A boxed label at ``at`` and an arrow from ``tail`` to ``head`` (axes fractions)."""
    ax.text(*at, text, ha="center", va="center", bbox=box, fontsize=8, transform=ax.transAxes)
    ax.annotate(
        "",
        xy=head,
        xytext=tail,
        xycoords="axes fraction",
        arrowprops=dict(arrowstyle="->", color=PALETTE["neutral"]),
    )


def chain_plot(chain, *, labels=None, top=4, currency="", ax=None, language="en"):
    """The satisfaction chain as a labelled path diagram.

    Boxes: the ``top`` attributes with the largest effects, the satisfaction index and
    the loyalty and money outcomes; each arrow carries its effect and interval.
    ``language`` (keyword, ``"en"`` or ``"ru"``): the language of the texts drawn.
    """
    language = _language(language)
    ax = _get_ax(ax)
    att = chain[chain["stage"] == "attributes -> satisfaction"].nlargest(top, "effect")
    out = chain[chain["stage"] == "satisfaction -> outcome"]
    box = dict(boxstyle="round,pad=0.4", fc="white", ec=PALETTE["own"])
    ax.text(
        0.5,
        0.5,
        plot_text("Satisfaction\nindex (0-100)", language),
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
        text = plot_text(
            "{name}\n{effect} points per rating point\n({low} to {high})",
            language,
            name=str((labels or {}).get(r["from"], r["from"])),
            effect=_num(r["effect"], language, signed=True),
            low=_num(r["ci_low"], language),
            high=_num(r["ci_high"], language),
        )
        _box_with_arrow(ax, (0.12, y), text, box, head=(0.40, 0.5), tail=(0.27, y))
    for y, (_, r) in zip(ys(len(out)), out.iterrows(), strict=True):
        text = plot_text(
            "{outcome}: {effect} {unit}\n({low} to {high})",
            language,
            outcome=_word(r["to"], language),
            effect=_num(r["effect"], language, signed=True),
            unit=_outcome_unit(r["unit"], language),
            low=_num(r["ci_low"], language),
            high=_num(r["ci_high"], language),
        )
        _box_with_arrow(ax, (0.86, y), text, box, head=(0.72, y), tail=(0.6, 0.5))
    ax.set_axis_off()
    ax.set_title(
        plot_text(
            "The chain: attributes -> satisfaction -> loyalty -> profit\n"
            "(effects per rating point, and per point of the index; 95% intervals)",
            language,
        ),
        fontsize=10,
    )
    language_ticks(ax, language)
    describe(ax, _describe_chain(att, out, labels, language))
    return ax


def _describe_chain(att, out, labels, language) -> str:
    if att.empty:
        return plot_text("The satisfaction chain: no attribute effect to show.", language)
    first = att.iloc[0]
    text = plot_text(
        "The satisfaction chain: {name} moves the index most ({effect} points per rating point)",
        language,
        name=str((labels or {}).get(first["from"], first["from"])),
        effect=_num(first["effect"], language, signed=True),
    )
    if len(out):
        o = out.iloc[0]
        text += plot_text(
            "; one index point more goes with {effect} {unit} of {outcome}",
            language,
            effect=_num(o["effect"], language, signed=True),
            unit=_outcome_unit(o["unit"], language),
            outcome=_word(o["to"], language).lower(),
        )
    return _end(text)


def ipma_plot(ipma, *, labels=None, target="Satisfaction", ax=None, language="en"):
    """Importance-performance map: unstandardised total effect against 0-100 performance.

    ``language`` (keyword, ``"en"`` or ``"ru"``): the language of the texts drawn.
    """
    language = _language(language)
    ax = _get_ax(ax)
    names = {k: str((labels or {}).get(k, k)) for k in ipma.index}
    target_name = _word(target, language)
    ax.scatter(ipma["importance"], ipma["performance"], color=PALETTE["own"])
    for key, r in ipma.iterrows():
        ax.annotate(
            names[key],
            (r["importance"], r["performance"]),
            xytext=(4, 4),
            textcoords="offset points",
            fontsize=8,
        )
    ax.axvline(ipma["importance"].mean(), color=PALETTE["neutral"], ls="--", lw=0.8)
    ax.axhline(ipma["performance"].mean(), color=PALETTE["neutral"], ls="--", lw=0.8)
    ax.set_xlabel(
        plot_text(
            "Importance: total effect on {target} (points per point)", language, target=target_name
        )
    )
    ax.set_ylabel(plot_text("Performance (0-100)", language))
    ax.set_title(plot_text("Importance-performance map for {target}", language, target=target_name))
    language_ticks(ax, language)
    describe(ax, _describe_ipma(ipma, names, target_name, language))
    return ax


def _describe_ipma(ipma, names, target, language) -> str:
    if ipma.empty:
        return plot_text("Importance-performance map: no driver to show.", language)
    top = ipma["importance"].idxmax()
    pay = ipma[
        (ipma["importance"] > ipma["importance"].mean())
        & (ipma["performance"] < ipma["performance"].mean())
    ]
    text = plot_text(
        "Importance-performance map for {target}: {top} matters most (total effect {effect}, "
        "performance {performance})",
        language,
        target=target,
        top=names[top],
        effect=_num(ipma.loc[top, "importance"], language),
        performance=_num(ipma.loc[top, "performance"], language, 0),
    )
    if len(pay):
        text += plot_text(
            "; important but below average: {names}",
            language,
            names=_join(
                [names[k] for k in pay.sort_values("importance", ascending=False).index], language
            ),
        )
    return _end(text)
