"""The cross-company report as one self-contained HTML page (report.css, inline SVG).

Every text from data (company names, labels, reasons) is escaped; every sentence comes
from :mod:`orient.networkview.narrative`; table headings are catalog texts
(``terms.network``)."""

from __future__ import annotations

import html
from importlib import resources

import pandas as pd

from orient.i18n import message
from orient.networkview import narrative as nar
from orient.networkview.figures import distribution_svg
from orient.networkview.measures import LEAGUE_MEASURES

__all__ = ["render"]


def _t(text: str, language: str, **values) -> str:
    return html.escape(message("terms.network", text, language, **values))


def _p(sentences) -> str:
    return "".join(f"<p>{html.escape(str(s))}</p>\n" for s in sentences)


def _table(headers: list[str], rows: list[list[str]], caption: str | None = None) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>\n" for row in rows
    )
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f'<table class="network">{cap}<thead><tr>{head}</tr></thead><tbody>\n{body}</tbody></table>\n'


def _n(value, language: str) -> str:
    return nar.format_number(value, language, 0) if pd.notna(value) else "\u2013"


def _versus(word, language: str) -> str:
    words = {
        "above": message("terms.network", "above the median", language),
        "below": message("terms.network", "below the median", language),
        "overlaps": message("terms.network", "not distinguishable", language),
    }
    return words.get(word, "\u2013")


def _league_section(key: str, rows: pd.DataFrame, language: str) -> str:
    out = [
        f"<h3>{html.escape(nar.label(key, language))}</h3>",
        _p(nar.league_sentences(key, rows, language)),
    ]
    body = [
        [
            str(r.rank),
            r.company_name,
            nar.fmt_value(key, r.value, language),
            nar.fmt_interval(key, r.ci_low, r.ci_high, language),
            _n(r.n, language),
            _versus(r.versus_median, language),
        ]
        for r in rows.itertuples(index=False)
    ]
    headers = [
        _t("Rank", language),
        _t("Company", language),
        html.escape(nar.label(key, language)),
        _t("Confidence interval", language),
        _t("Base (n)", language),
        _t("Against the network median", language),
    ]
    out.append(_table(headers, body))
    return "\n".join(out)


def _percentile_section(pct: pd.DataFrame, leagues: dict, language: str) -> str:
    out = [f"<h2>{_t('Each company against the network', language)}</h2>"]
    out.append(
        f"<p>{_t('The percentile is the share of the other companies a company is ahead of (ties count half): 100 is first, 0 last.', language)}</p>"
    )
    keys = [k for k in LEAGUE_MEASURES if k in leagues]
    wide = pct.pivot_table(index="company", columns="measure", values="percentile", aggfunc="first")
    names = dict(zip(pct["company"], pct["company_name"], strict=True))
    rows = []
    for slug in sorted(names, key=lambda s: (str(names[s]), s)):
        row = [names[slug]]
        for k in keys:
            v = wide.loc[slug, k] if k in wide.columns and slug in wide.index else None
            row.append(
                nar.format_number(v, language, 0) if v is not None and pd.notna(v) else "\u2013"
            )
        rows.append(row)
    headers = [_t("Company", language)] + [html.escape(nar.label(k, language)) for k in keys]
    if rows and keys:
        out.append(_table(headers, rows, _t("Percentile in the network", language)))
    for key in keys:
        if len(leagues[key]) >= 2:
            caption = _t(
                "{measure}: each company with its interval; the dashed line is the network median.",
                language,
                measure=nar.label(key, language),
            )
            out.append(
                f'<figure class="network">{distribution_svg(key, leagues[key], language)}<figcaption>{caption}</figcaption></figure>'
            )
    return "\n".join(out)


def _priority_section(shared: pd.DataFrame, first: int, language: str) -> str:
    out = [f"<h2>{_t('Priorities across the network', language)}</h2>"]
    out.append(_p(nar.priority_sentences(shared, first, language)))
    if len(shared):
        rows = [
            [r.label, f"{r.companies} / {r.of}", str(r.first_priority)]
            for r in shared.itertuples(index=False)
        ]
        headers = [
            _t("Attribute", language),
            _t("Companies with it among the first {k} to improve", language, k=first),
            _t("First priority of", language),
        ]
        out.append(_table(headers, rows))
    return "\n".join(out)


def _movers_section(moves: pd.DataFrame, with_waves: int, one_wave: list, language: str) -> str:
    out = [f"<h2>{_t('Change since the last wave', language)}</h2>"]
    out.append(_p(nar.mover_sentences(moves, with_waves, one_wave, language)))
    if len(moves):
        direction = {
            "up": message("terms.network", "significant rise", language),
            "down": message("terms.network", "significant fall", language),
            "none": message("terms.network", "no significant change", language),
        }
        rows = [
            [
                r.company_name,
                nar.label(nar._CHANGE_OF[r.measure], language),
                f"{r.previous_wave} \u2192 {r.wave}"
                if pd.notna(r.wave) and pd.notna(r.previous_wave)
                else "\u2013",
                nar.fmt_value(r.measure, r.change, language, signed=True),
                nar.fmt_interval(r.measure, r.ci_low, r.ci_high, language),
                direction[r.direction]
                if pd.notna(r.significant)
                else message("terms.network", "not known", language),
            ]
            for r in moves.itertuples(index=False)
        ]
        headers = [
            _t("Company", language),
            _t("Measure", language),
            _t("Waves", language),
            _t("Change", language),
            _t("Confidence interval", language),
            _t("Verdict", language),
        ]
        out.append(_table(headers, rows))
    return "\n".join(out)


def render(result, language: str) -> str:
    """The network report of ``result`` (a :class:`orient.networkview.NetworkResult`)."""
    css = (resources.files("orient") / "templates" / "report" / "report.css").read_text(
        encoding="utf-8"
    )
    title = _t("Network report", language)
    parts = [f'<div class="title-block"><h1 class="company">{title}</h1></div>']
    parts.append(
        _p(
            nar.overview_sentences(
                len(result.summaries), len(result.missing), result.no_survey, language
            )
        )
    )
    if result.missing:
        parts.append(f"<h3>{_t('Missing companies', language)}</h3>")
        parts.append(
            _table(
                [_t("Company", language), _t("Why", language)],
                [[m.company, m.reason] for m in result.missing],
            )
        )
    if result.summaries:
        parts.append(f"<h2>{_t('League tables', language)}</h2>")
        if not result.leagues:
            parts.append(
                f"<p>{_t('No company has a league measure in its summary.', language)}</p>"
            )
        for key, rows in result.leagues.items():
            parts.append(_league_section(key, rows, language))
        absent = [k for k in LEAGUE_MEASURES if k not in result.leagues]
        if absent:
            names = ", ".join(nar.label(k, language) for k in absent)
            parts.append(
                f"<p>{_t('Not in any company summary: {names}.', language, names=names)}</p>"
            )
        if len(result.summaries) >= 2 and result.leagues:
            parts.append(_percentile_section(result.percentiles, result.leagues, language))
        parts.append(_priority_section(result.priorities, result.first, language))
        parts.append(_movers_section(result.movers, result.with_waves, result.one_wave, language))
    body = "\n".join(parts)
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>\n{css}\n"
        "table.network { border-collapse: collapse; margin: .6rem 0; }\n"
        "table.network th, table.network td { border-bottom: 1px solid var(--rule); padding: .2rem .5rem; text-align: left; }\n"
        "figure.network svg { max-width: 100%; height: auto; }\n"
        f'</style>\n</head>\n<body>\n<main class="report">\n{body}\n</main>\n</body>\n</html>\n'
    )
