"""Stage II charts: satisfaction by segment and wave, NPS composition.

The model's charts (attribute effects, the chain, IPMA) are in
:mod:`orient.present.plots.satisfaction_model`.

Every function takes ``language="en"`` (keyword) and draws its texts in that language
(:func:`~orient.present.plots.common.plot_text`), formats the numeric ticks with the
language's separators and records one sentence saying what the figure shows
(:func:`~orient.present.plots.common.describe`, the figure's alt text).
"""

from __future__ import annotations

from orient.present.plots.common import PALETTE, _get_ax, describe, language_ticks, plot_text

__all__ = [
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


def _num(v, language, decimals=None, *, signed=False) -> str:
    """``v`` in ``language``; without ``decimals``, three significant digits (whole above
    100), as :func:`_sig`."""
    import math

    from orient.i18n import DASH, format_number

    if not _finite(v):
        return DASH
    if decimals is None:
        a = abs(float(v))
        decimals = 0 if a >= 100 or a == 0 else max(0, 2 - int(math.floor(math.log10(a))))
    return format_number(float(v), language, decimals, signed=signed)


def _language(language) -> str:
    from orient.i18n import check_language

    return check_language(language)


def _measure(name, language) -> str:
    """A measure's name (``Satisfaction index``, ``NPS``) in ``language``."""
    from orient.i18n import translator

    if language == "en":
        return str(name)
    return translator(language).pgettext("terms.measures", str(name))


def _unit(unit, language) -> str:
    """A measure's unit: ``-100..100`` is written ``-100 to 100``."""
    from orient.i18n import format_interval

    if str(unit) == "-100..100":
        return format_interval(-100, 100, language, 0)
    return str(unit)


def _word(key, language) -> str:
    """A stage II word (``values.satisfaction`` of texts.yaml), else ``key`` itself."""
    from orient.i18n import texts

    return str(texts(language).get("values", {}).get("satisfaction", {}).get(str(key), key))


def _end(text: str) -> str:
    """A sentence ends with one full stop (``... п. п.`` gets no second one)."""
    return text if text.endswith(".") else text + "."


def _join(names, language) -> str:
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return plot_text("{first} and {last}", language, first=", ".join(names[:-1]), last=names[-1])


def segment_index_plot(
    segments, *, measure="Satisfaction index", unit="0-100", ax=None, language="en"
):
    """A measure by segment with its confidence interval (``satisfaction.segment_table``).

    Segments under the minimum base get no bar, only the text "n < 30". Segments that
    differ significantly from the rest are coloured (better: green, worse: orange).
    ``language`` (keyword, ``"en"`` or ``"ru"``): the language of the texts drawn.
    """
    language = _language(language)
    ax = _get_ax(ax)
    tab = segments[segments["measure"] == measure] if "measure" in segments else segments
    tab = tab.reset_index(drop=True)
    name = _measure(measure, language)
    ys = list(range(len(tab)))[::-1]
    shown = tab[~tab["suppressed"]]
    lo_all = shown["ci_low"].min() if len(shown) else 0.0
    for y, (_, r) in zip(ys, tab.iterrows(), strict=True):
        if r["suppressed"]:
            ax.text(
                lo_all,
                y,
                str(r["shown"]),
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
            plot_text(
                "{value}  (n = {n})",
                language,
                value=_num(r["estimate"], language, 1),
                n=int(r["n"]),
            ),
            (r["ci_high"], y),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    ax.set_yticks(ys)
    ax.set_yticklabels([str(s) for s in tab["segment"]])
    ax.set_ylim(-0.7, len(tab) - 0.3)
    ax.set_xlabel(
        plot_text(
            "{measure} ({unit}), with 95% interval",
            language,
            measure=name,
            unit=_unit(unit, language),
        )
        if unit
        else name
    )
    ax.set_ylabel(plot_text("Segment", language))
    ax.set_title(plot_text("{measure} by segment", language, measure=name))
    ax.margins(x=0.25)
    language_ticks(ax, language)
    describe(ax, _describe_segments(shown, name, len(tab), language))
    return ax


def _describe_segments(shown, name, k, language) -> str:
    if shown.empty:
        return plot_text(
            "{measure} by segment: every segment's base is too small to show.",
            language,
            measure=name,
        )
    best = shown.loc[shown["estimate"].idxmax()]
    worst = shown.loc[shown["estimate"].idxmin()]
    return plot_text(
        "{measure} by segment: highest in {best} ({best_value}), lowest in {worst} "
        "({worst_value}); {sig} of {k} segments differ significantly from the rest.",
        language,
        measure=name,
        best=best["segment"],
        best_value=_num(best["estimate"], language, 1),
        worst=worst["segment"],
        worst_value=_num(worst["estimate"], language, 1),
        sig=int(shown["significant"].sum()),
        k=int(k),
    )


def nps_composition_plot(composition, *, ax=None, language="en"):
    """Detractors, passives and promoters as stacked bars, one per group (``nps_composition``).

    ``language`` (keyword, ``"en"`` or ``"ru"``): the language of the texts drawn.
    """
    language = _language(language)
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
        ax.barh(ys, vals, left=left, color=colour, label=plot_text(label, language), height=0.6)
        for y, lft, v in zip(ys, left, vals, strict=True):
            if v >= 6:
                ax.text(
                    lft + v / 2,
                    y,
                    plot_text("{share}%", language, share=_num(v, language, 0)),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=9,
                )
        left = [a + b for a, b in zip(left, vals, strict=True)]
    for y, v in zip(ys, tab["nps"], strict=True):
        ax.text(
            101,
            y,
            plot_text("NPS {nps}", language, nps=_num(v, language, 0, signed=True)),
            va="center",
            ha="left",
            fontsize=9,
        )
    groups = [_group(g, language) for g in tab["group"]]
    ax.set_yticks(ys)
    ax.set_yticklabels(groups)
    ax.set_xlim(0, 115)
    ax.set_xlabel(plot_text("Share of respondents (%)", language))
    ax.set_ylabel(plot_text("Group", language))
    ax.set_title(plot_text("Net Promoter Score: who promotes, who detracts", language))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, frameon=False)
    language_ticks(ax, language)
    describe(ax, _describe_nps(tab, groups, language))
    return ax


def _group(g, language) -> str:
    return plot_text("All customers", language) if str(g) == "all" else str(g)


def _describe_nps(tab, groups, language) -> str:
    if tab.empty:
        return plot_text("Net Promoter Score: no group to show.", language)
    first = tab.iloc[0]
    text = plot_text(
        "NPS composition: {group}, {promoters}% promoters and {detractors}% detractors (NPS {nps})",
        language,
        group=groups[0],
        promoters=_num(first["promoters"], language, 0),
        detractors=_num(first["detractors"], language, 0),
        nps=_num(first["nps"], language, 0, signed=True),
    )
    rest = tab.iloc[1:]
    if len(rest) == 1:
        text += plot_text(
            "; {group}: NPS {nps}",
            language,
            group=groups[1],
            nps=_num(rest["nps"].iloc[0], language, 0, signed=True),
        )
    elif len(rest):
        lo, hi = rest["nps"].idxmin(), rest["nps"].idxmax()
        text += plot_text(
            "; lowest NPS in {worst} ({worst_nps}), highest in {best} ({best_nps})",
            language,
            worst=groups[lo],
            worst_nps=_num(tab.loc[lo, "nps"], language, 0, signed=True),
            best=groups[hi],
            best_nps=_num(tab.loc[hi, "nps"], language, 0, signed=True),
        )
    return _end(text)


def wave_change_plot(waves, *, measure=None, unit="", ax=None, language="en"):
    """A measure per survey wave with intervals, and whether the last change is real.

    ``language`` (keyword, ``"en"`` or ``"ru"``): the language of the texts drawn.
    """
    language = _language(language)
    ax = _get_ax(ax)
    tab = waves if measure is None else waves[waves["measure"] == measure]
    measure = measure or str(tab["measure"].iloc[0])
    name = _measure(measure, language)
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
            ax.text(
                x,
                0.5,
                plot_text("n too small", language),
                transform=ax.get_xaxis_transform(),
                ha="center",
            )
            continue
        value = _num(r["estimate"], language, 1)
        if _finite(r["change"]):
            template = (
                "{value}\n{change} (significant)"
                if r["significant"]
                else "{value}\n{change} (not significant)"
            )
            text = plot_text(
                template, language, value=value, change=_num(r["change"], language, 1, signed=True)
            )
        else:
            text = value
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
    ax.set_xlabel(plot_text("Survey wave", language))
    ax.set_ylabel(
        plot_text("{measure} ({unit})", language, measure=name, unit=_unit(unit, language))
        if unit
        else name
    )
    ax.set_title(plot_text("{measure}: change since the previous wave", language, measure=name))
    language_ticks(ax, language)
    describe(ax, _describe_waves(tab[ok], name, language))
    return ax


def _describe_waves(tab, name, language) -> str:
    if tab.empty:
        return plot_text(
            "{measure} by survey wave: every wave's base is too small to show.",
            language,
            measure=name,
        )
    first, last = tab.iloc[0], tab.iloc[-1]
    text = plot_text(
        "{measure} by survey wave: {first} in {first_wave}, {last} in {last_wave}",
        language,
        measure=name,
        first=_num(first["estimate"], language, 1),
        first_wave=str(first["wave"]),
        last=_num(last["estimate"], language, 1),
        last_wave=str(last["wave"]),
    )
    if len(tab) > 1 and _finite(last["change"]):
        template = (
            "; the last change ({change}) is significant"
            if last["significant"]
            else "; the last change ({change}) is within chance"
        )
        text += plot_text(template, language, change=_num(last["change"], language, 1, signed=True))
    return _end(text)
