"""report.html: the executed stage notebooks rendered by orient's nbconvert template.

One self-contained file (figures embedded as data URIs, CSS inline, no script, no
request to any network): title block, executive summary (findings and key figures
from summary.json), contents, then the stages with numbered figures and tables. No
code, no prompts, no stray outputs (streams, warnings, object reprs).
"""

from __future__ import annotations

import base64
import datetime as _dt
import logging
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from orient.report.sanitize import sanitize_html
from orient.report.texts import (
    _TEMPLATES,
    _sentence_env,
    _texts,
    format_number,
    missing_data_notes,
    plural,
)
from orient.stages import survey_counts

__all__ = ["MAX_FINDINGS", "render_html"]

log = logging.getLogger("orient")

MAX_FINDINGS = 7  # the executive summary shows at most this many findings


def _markdown_html(source: str) -> str:
    from nbconvert.filters.markdown import markdown2html

    return sanitize_html(markdown2html(source))


_HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.|\d+(?:\.\d+)+|[IVX]+\.)\s+")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def _demote(html_text: str, drop_first_h1: bool) -> tuple[str, bool]:
    """Shift headings one level down (h1 -> h2 ...); optionally drop the first h1."""
    dropped = False

    def repl(m: re.Match) -> str:
        nonlocal dropped
        level = int(m.group(1))
        if level == 1 and drop_first_h1 and not dropped:
            dropped = True
            return ""
        new = min(level + 1, 6)
        return f"<h{new}{m.group(2) or ''}>{m.group(3)}</h{new}>"

    return _HEADING.sub(repl, html_text), dropped


def _plain_text(fragment: str) -> str:
    """The text of an HTML fragment (tags and anchor links dropped, entities decoded)."""
    import html as _html

    fragment = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", fragment, flags=re.DOTALL)
    return " ".join(_html.unescape(_TAG.sub("", fragment)).split())


def _table_class(html_text: str) -> str:
    m = re.search(r"<tr\b.*?</tr>", html_text, re.IGNORECASE | re.DOTALL)
    n = len(re.findall(r"<t[hd]\b", m.group(0), re.IGNORECASE)) if m else 0
    return "very-wide" if n > 14 else "wide" if n > 8 else ""


_SKIP_TAGS = {"parameters", "injected-parameters", "remove-cell", "remove_cell"}
_NO_OUTPUT_TAGS = {"remove-output", "remove_output"}
#: a markdown cell with this tag is shown only when the code cells after it (up to the
#: next markdown cell) display a table or a figure: its text describes data that exists
NEEDS_DATA_TAG = "needs-data"
#: a markdown cell with this tag (a heading with its text) is shown only when the code
#: cells after it display anything at all (a sentence counts): never an empty heading
NEEDS_OUTPUT_TAG = "needs-output"


def _shows_data(output) -> bool:
    """Whether one code-cell output is a figure or a table (not a sentence)."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return False
    data = output.get("data", {})
    if any(key.startswith("image/") for key in data):
        return True
    return bool(re.search(r"<table\b", _join(data.get("text/html", "")), re.IGNORECASE))


def _shows_anything(output) -> bool:
    """Whether one code-cell output is displayed in the report (a sentence, a table...)."""
    return output.get("output_type") in ("display_data", "execute_result")


def _cells_without_data(cells) -> set[int]:
    """Indices of the ``needs-data`` markdown cells whose section shows no table or figure,
    and of the ``needs-output`` ones whose section shows nothing."""
    without = set()
    for i, cell in enumerate(cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "markdown":
            continue
        if NEEDS_DATA_TAG in tags:
            shows = _shows_data
        elif NEEDS_OUTPUT_TAG in tags:
            shows = _shows_anything
        else:
            continue
        shown = False
        for later in cells[i + 1 :]:
            if later.cell_type == "markdown":
                break
            later_tags = later.get("metadata", {}).get("tags", [])
            if later_tags and set(later_tags) & (_NO_OUTPUT_TAGS | _SKIP_TAGS):
                continue
            shown = shown or any(shows(o) for o in later.get("outputs", []))
        if not shown:
            without.add(i)
    return without


@lru_cache(maxsize=16)
def _narrative(name: str, language: str) -> dict:
    """``{cell id: (English source, translation)}`` of notebook ``name`` in ``language``.

    From ``templates/notebooks/<language>/<name>.yaml``; empty when there is none
    (English, or a notebook orient does not ship).
    """
    import yaml

    path = _TEMPLATES / "notebooks" / language / f"{name}.yaml"
    if language == "en" or not path.is_file():
        return {}
    with open(path, encoding="utf-8") as fh:
        # LibYAML when PyYAML has it: the same values (a shipped file)
        entries = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}  # noqa: S506
    return {str(key): (str(entry["en"]), str(entry[language])) for key, entry in entries.items()}


def _cell_source(name: str, cell, language: str) -> str:
    """A markdown cell's text in the report's language.

    The translation replaces the cell only while the cell still reads exactly what
    was translated; an edited or unknown cell stays as written.
    """
    entry = _narrative(name, language).get(str(cell.get("id", "")))
    if entry is not None and entry[0].strip() == cell.source.strip():
        return entry[1]
    return cell.source


def _cell(kind: str):
    """An empty markdown or code cell, as ``nbformat.v4.new_*_cell`` makes it, without
    validating each one: the exporter validates the whole notebook once."""
    from nbformat import NotebookNode
    from nbformat.v4.nbbase import random_cell_id

    cell = NotebookNode(id=random_cell_id(), cell_type=kind, source="", metadata=NotebookNode())
    if kind == "code":
        cell.execution_count = None
        cell.outputs = []
    return cell


def _display(data: dict, meta: dict):
    """A ``display_data`` output, as ``nbformat.v4.new_output`` makes it (unvalidated)."""
    from nbformat import NotebookNode, from_dict

    return NotebookNode(output_type="display_data", metadata=from_dict(meta), data=from_dict(data))


def _report_cells(name: str, stage: str, nb, texts: dict) -> list:
    """The cells of one executed notebook as the report shows them."""
    language = texts.get("language", "en")

    cells = []
    title = _cell("markdown")
    title.metadata["orient"] = {
        "stage_title": texts["stages"].get(stage, stage),
        "stage_id": f"stage-{name}",
    }
    cells.append(title)
    caption = ""
    first_h1_pending = True
    without_data = _cells_without_data(nb.cells)
    for index, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if (
            index in without_data
            or tags & _SKIP_TAGS
            or cell.get("metadata", {}).get("orient", {}).get("kernel_setup")
        ):
            continue
        if cell.cell_type == "markdown":
            html_text = _markdown_html(_cell_source(name, cell, language))
            headings = [_plain_text(m.group(3)) for m in _HEADING.finditer(html_text)]
            if headings and headings[-1]:
                caption = _NUMBERING.sub(
                    "", headings[-1]
                )  # "2. Which segments" -> "Which segments"
            html_text, dropped = _demote(html_text, first_h1_pending)
            if dropped:
                first_h1_pending = False
            if not _TAG.sub("", html_text).strip():
                continue
            out = _cell("markdown")
            out.metadata["orient"] = {"html": html_text}
            cells.append(out)
        elif cell.cell_type == "code":
            if tags & _NO_OUTPUT_TAGS:
                continue
            cell_caption = str(cell.get("metadata", {}).get("caption", "") or caption)
            outputs = []
            for output in cell.get("outputs", []):
                if output.get("output_type") not in ("display_data", "execute_result"):
                    continue  # streams (prints, logs, warnings) and errors never show
                data = output.get("data", {})
                meta = {
                    "orient_caption": str(
                        output.get("metadata", {}).get("caption", "") or cell_caption
                    ),
                    "orient_alt": str(output.get("metadata", {}).get("alt", "") or ""),
                }
                if "image/png" in data:
                    outputs.append(_display({"image/png": data["image/png"]}, meta))
                elif "image/jpeg" in data:
                    outputs.append(_display({"image/jpeg": data["image/jpeg"]}, meta))
                elif "image/svg+xml" in data:  # shown through <img>: inert, no script runs
                    svg = _join(data["image/svg+xml"]).encode("utf-8")
                    outputs.append(
                        _display({"image/svg+xml": base64.b64encode(svg).decode()}, meta)
                    )
                elif "text/html" in data or "text/markdown" in data:
                    if "text/html" in data:
                        fragment = sanitize_html(_join(data["text/html"]))
                    else:
                        fragment = _demote(_markdown_html(_join(data["text/markdown"])), False)[0]
                    if output.get("metadata", {}).get("caption"):  # shown as figcaption
                        fragment = re.sub(
                            r"<caption>.*?</caption>", "", fragment, flags=re.IGNORECASE | re.DOTALL
                        )
                    if re.search(r"<table\b", fragment, re.IGNORECASE):
                        meta["orient_table"] = True
                        meta["orient_table_class"] = _table_class(fragment)
                    outputs.append(_display({"text/html": fragment}, meta))
                # text/plain alone (object reprs), widgets, javascript, svg: not shown
            if outputs:
                out = _cell("code")
                out.outputs = outputs
                cells.append(out)
    return cells


def _join(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _number_and_toc(html_text: str, words: dict) -> str:
    """Number figures and tables, give headings ids and fill the contents."""
    head, marker, body = html_text.partition("<!--ORIENT-TOC-->")
    if not marker:
        return html_text
    counters = {"fignum": 0, "tabnum": 0}

    def number(m: re.Match) -> str:
        counters[m.group(1)] += 1
        return f'<span class="{m.group(1)}">{counters[m.group(1)]}</span>'

    body = re.sub(r'<span class="(fignum|tabnum)"></span>', number, body)
    entries = [(2, "executive-summary", words["executive_summary"])]
    count = 0

    def heading(m: re.Match) -> str:
        nonlocal count
        level = int(m.group(1))
        if level not in (2, 3):
            return m.group(0)
        count += 1
        ident = f"sec-{count}"
        attrs = re.sub(r'\sid="[^"]*"', "", m.group(2) or "")
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", m.group(3), flags=re.DOTALL)
        entries.append((level, ident, _TAG.sub("", inner).strip()))
        return f'<h{level}{attrs} id="{ident}">{inner}</h{level}>'

    body = _HEADING.sub(heading, body)
    items = "\n".join(
        f'<li class="lvl{level}"><a href="#{ident}">{text}</a></li>'  # text is already escaped
        for level, ident, text in entries
    )
    return f"{head}<ol>\n{items}\n</ol>{body}"


def _findings(summary: Mapping, language: str, labels: Mapping[str, str] | None = None) -> list:
    import jinja2.meta
    from markupsafe import Markup

    texts = _texts(language)
    env = _sentence_env(language, labels)
    stages = dict(summary.get("stages", {}))
    stages["operations"] = {"headline": _biggest_risk(stages)}
    out = []
    for spec in texts.get("findings", []):
        names = spec["stage"] if isinstance(spec["stage"], list) else [spec["stage"]]
        for stage in names:
            head = stages.get(stage, {}).get("headline") or {}
            # an empty list is no value either: "Segments to serve first: ." says nothing
            if all(head.get(k) is not None and head.get(k) != [] for k in spec["requires"]):
                try:
                    names = jinja2.meta.find_undeclared_variables(env.parse(spec["text"]))
                    values = {name: head.get(name) for name in names}  # missing -> None
                    text = env.from_string(spec["text"]).render(**values)
                except Exception as exc:  # a template that does not fit the data is skipped
                    log.warning("finding for %s skipped: %s", stage, exc)
                    break
                # ASCII white space only: the thin space inside Russian numbers stays
                out.append(
                    (bool(spec.get("optional")), Markup(_ASCII_SPACE.sub(" ", text).strip()))
                )
                break
    while len(out) > MAX_FINDINGS and any(optional for optional, _ in out):
        last = max(i for i, (optional, _) in enumerate(out) if optional)
        del out[last]
    return [text for _, text in out[:MAX_FINDINGS]]


def _labels(company: Any) -> dict[str, str]:
    """Attribute (and action) keys -> their labels from company.yaml, for sentences."""
    labels: dict[str, str] = {}
    for attribute in getattr(company, "attributes", None) or []:
        key, label = getattr(attribute, "key", None), getattr(attribute, "label", None)
        if key and label:
            labels[str(key)] = str(label)
    actions = getattr(getattr(company, "profile", None), "actions", None)
    if isinstance(actions, Mapping):
        for key, spec in actions.items():
            if isinstance(spec, Mapping) and spec.get("label"):
                labels[str(key)] = str(spec["label"])
    return labels


def _biggest_risk(stages: Mapping) -> dict | None:
    """The service, quality or CRM headline whose risk is the most severe."""
    best, best_severity = None, None
    for name in ("service", "quality", "crm"):
        head = (stages.get(name) or {}).get("headline") or {}
        if head.get("risk") is None:
            continue
        severity = head.get("risk_severity")
        severity = float(severity) if isinstance(severity, (int, float)) else float("-inf")
        if best is None or severity > best_severity:
            best, best_severity = head, severity
    if best is None:
        return None
    # the risk sentence states its own numbers: the finding does not repeat the raw value
    return {**best, "risk_value": None, "risk_unit": None}


def _key_figures(summary: Mapping, language: str) -> list[dict]:
    """Rows of the key-figures table: the curated list in the language's texts."""
    texts = _texts(language)
    stages = summary.get("stages", {})
    rows = []
    for spec in texts.get("key_figures", []):
        value = ((stages.get(spec["stage"]) or {}).get("headline") or {}).get(spec["key"])
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            shown = format_number(value * spec.get("scale", 1), language, spec.get("decimals", 1))
        elif isinstance(value, str):
            shown = value
        else:
            continue
        rows.append(
            {
                "stage": texts["stages"].get(spec["stage"], spec["stage"]),
                "label": spec["label"],
                "value": shown + spec.get("unit", ""),
            }
        )
    return rows


def _stage_order(stage: str) -> tuple[int, str]:
    from orient.stages import STAGES

    return (STAGES.index(stage) if stage in STAGES else len(STAGES), stage)


def _table_base(company: Any, language: str) -> list[str]:
    """``deals.csv (420 rows)`` for each operational table read (a company without survey)."""
    from orient.i18n import message

    out = []
    files = getattr(company, "files", None) or {}
    for name, found in (getattr(company, "table_found", dict)() or {}).items():
        if found and name in files:
            n = len(getattr(company, name))
            out.append(
                message("terms.clients", "{file} ({n} rows)", language, file=files[name], n=n)
            )
    return out


def _report_date(date: Any) -> str:
    if date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.isdigit():
            date = _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date()
        else:
            date = _dt.date.today()
    if isinstance(date, (_dt.date, _dt.datetime)):
        return date.isoformat()[:10]
    return str(date)


def _data_notes(company: Any) -> list[str]:
    notes = getattr(company, "notes", None)
    return list(notes()) if callable(notes) else []


def render_html(
    company: Any, summary: Mapping, notebooks: Iterable[tuple[str, str, Any]], *, date: Any = None
) -> str:
    """The report as one self-contained HTML string.

    Parameters
    ----------
    company : orient.Company
        The company (name, language, currency, survey for the data base).
    summary : dict
        From :func:`summarise`.
    notebooks : iterable of (stem, stage key, executed NotebookNode)
        The stage notebooks in report order.
    date : date or str, optional
        The date on the title block (default today, or ``SOURCE_DATE_EPOCH``).

    Returns
    -------
    str
    """
    import jinja2
    import nbformat
    from markupsafe import Markup

    from orient import __version__

    language = summary["company"]["language"]
    if language not in ("en", "ru"):
        language = "en"
    texts = _texts(language)
    words = texts["words"]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES / "report")), autoescape=True
    )
    base = summary.get("base", {})
    parts = []
    if base.get("respondents") is not None:
        n = base["respondents"]
        parts.append(f"{format_number(n, language, 0)} {plural(n, words['respondents'], language)}")
    if base.get("waves"):
        n = len(base["waves"])
        parts.append(f"{n} {plural(n, words['waves'], language)}")
    if base.get("respondents") is None:  # no survey: the tables the report stands on
        parts += _table_base(company, language)
    period = base.get("period")
    if period is None and base.get("waves") and len(base["waves"]) > 1:
        period = f"{base['waves'][0]} \u2013 {base['waves'][-1]}"
    notes = []
    sentence = _sentence_env(language)
    cautions: dict[str, list[str]] = {}  # one caution raised by several stages: said once
    stages_in_order = sorted(summary.get("stages", {}).items(), key=lambda kv: _stage_order(kv[0]))
    for stage, entry in stages_in_order:
        if entry.get("status") == "error":
            reason = Markup(
                sentence.from_string(words["stage_error"]).render(reason=entry.get("error"))
            )  # rendered with autoescape: already safe
            notes.append(Markup("{}: {}").format(texts["stages"].get(stage, stage), reason))
        for caution in entry.get("warnings") or []:  # cautions never reach the notebooks' pages
            named = cautions.setdefault(str(caution), [])
            if stage not in named:
                named.append(stage)
    for caution, named in cautions.items():
        notes.append(
            Markup("{}: {}").format(
                ", ".join(texts["stages"].get(stage, stage) for stage in named),
                Markup(sentence.from_string(words["stage_caution"]).render(caution=caution)),
            )
        )
    notes += [
        Markup(sentence.from_string(words["data_note"]).render(note=note))
        for note in _data_notes(company)
    ]  # how the data were read and the cautions reading raised (Company.notes)
    entries = summary.get("stages", {})
    missing = {
        stage: entries[stage].get("missing")
        for stage in sorted(entries, key=_stage_order)
        if entries[stage].get("status") == "missing_data"
    }
    front = env.get_template("front.html.j2").render(
        words=words,
        company={"name": summary["company"]["name"], "currency": summary["company"]["currency"]},
        date=_report_date(date),
        base_text=", ".join(parts) or words["not_available"],
        period=period,
        findings=_findings(summary, language, _labels(company)),
        key_figures=_key_figures(summary, language),
        notes=notes,
        missing=missing_data_notes(missing, language, survey_counts(company)),
    )
    combined = nbformat.v4.new_notebook()
    for name, stage, nb in notebooks:
        combined.cells.extend(_report_cells(name, stage, nb, texts))
    n_tables = 0
    shown: dict[str, int] = {}  # a table's HTML -> its number
    for cell in combined.cells:
        for output in cell.get("outputs", []):
            if not output.metadata.get("orient_table"):
                continue
            fragment = _join(output.data["text/html"])
            if fragment in shown:  # the same table again (each notebook stands alone)
                note = sentence.from_string(words["same_table"]).render(number=shown[fragment])
                output.data = {"text/html": f'<p class="same-table">{note}</p>'}
                output.metadata["orient_table"] = False
                continue
            n_tables += 1
            shown[fragment] = n_tables
            output.metadata["orient_table_id"] = n_tables
    resources = {
        "orient": {
            "language": language,
            "title": f"{summary['company']['name']} \u2014 {words['report_title']}",
            "css": (_TEMPLATES / "report" / "report.css").read_text(encoding="utf-8"),
            "front": front,
            "words": words,
            "colophon": sentence.from_string(words["generated_by"]).render(version=__version__),
        }
    }
    body, _ = _exporter().from_notebook_node(combined, resources=resources)
    return _number_and_toc(body, words)


@lru_cache(maxsize=1)
def _exporter():
    """nbconvert's template exporter with orient's template, made once per process.

    Not ``HTMLExporter``: it re-parses the finished page with BeautifulSoup to add
    alt texts and tab stops for JupyterLab's classes (over a second per report), and
    orient's template writes its own alt texts and has no such classes.
    """
    from nbconvert.exporters import TemplateExporter

    return TemplateExporter(
        template_name="orient_report",
        extra_template_basedirs=[str(_TEMPLATES / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # validate once, not after every preprocessor
        file_extension=".html",
    )
