"""``orient new DIR --from FILE...``: a draft company.yaml from the client's own files.

:func:`draft_company` reads each file as ``orient validate`` would (header layouts,
sheets, SPSS/Stata labels), takes the one with the most rating columns as the survey
(:func:`orient.data.infer.infer_survey`), recognises the others as operational tables by
their columns, copies the files into the folder and writes company.yaml: every value
it chose carries a ``# guess:`` comment saying why, every column it could not place is
listed, and a missing choice is marked ``# TODO``. An existing company.yaml is never
overwritten.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from orient.data.infer import (
    SurveyDraft,
    infer_survey,
    match_table,
    profile_columns,
    stage_values,
)
from orient.data.profile import PROFILE_FILE
from orient.data.read import read_table
from orient.errors import DataError

__all__ = ["TableDraft", "draft_company", "draft_yaml"]


@dataclass
class TableDraft:
    name: str
    file: str
    columns: dict[str, str]  # orient name -> export column, where they differ
    missing: list[str]
    crm: tuple[list[str], dict[str, str]] | None = None
    sheet: str | None = None


def _q(text) -> str:
    """A YAML scalar: numbers as they are, text as a JSON string (valid YAML)."""
    if isinstance(text, bool):
        return "true" if text else "false"
    if isinstance(text, int | float):
        return str(int(text)) if float(text).is_integer() else str(text)
    return json.dumps(str(text), ensure_ascii=False)


def _scale(s: tuple[float, float], labels: dict | None = None) -> str:
    body = f"min: {_q(s[0])}, max: {_q(s[1])}"
    if labels:
        body += ", labels: {" + ", ".join(f"{_q(k)}: {v}" for k, v in labels.items()) + "}"
    return "{" + body + "}"


def _line(indent: int, key: str, value: str, note: str | None = None) -> str:
    text = f"{'  ' * indent}{key}: {value}"
    return f"{text}   # guess: {note}" if note else text


def _survey_lines(d: SurveyDraft) -> list[str]:
    out = ["survey:", _line(1, "file", _q(d.file))]
    if d.sheet is not None:
        out.append(f"  read: {{sheet: {_q(d.sheet)}}}")
    if d.layout in ("qualtrics", "surveymonkey"):
        out.append(f"  # read as a {d.layout} export (header rows found automatically)")
    for role in ("id", "customer_id", "weight", "wave"):
        ch = d.roles.get(role)
        if ch is not None:
            out.append(_line(1, role, _q(ch.column), ch.why))
        elif role == "id":
            out.append(
                "  id: null   # guess: no column looks like a respondent id; respondents are "
                "numbered by their row in the file"
            )
    if d.segments:
        cols = [s.column for s in d.segments]
        why = "; ".join(f"{s.column}: {s.why}" for s in d.segments)
        value = _q(cols[0]) if len(cols) == 1 else "[" + ", ".join(map(_q, cols)) + "]"
        out.append(_line(1, "segment", value, why + " (the first is the primary one)"))
    if d.scale is not None and d.scale_why != "from the value labels":
        out.append(_line(1, "scale", _scale(d.scale), f"attribute ratings, {d.scale_why}"))
    elif d.scale is not None:
        out.append(f"  # scale: each column's value labels give it ({_scale(d.scale)})")
    out += _overall_lines(d)
    out += _loyalty_lines(d)
    out += _attribute_lines(d)
    if d.missing_codes:
        out.append(
            _line(
                1,
                "missing_codes",
                "[" + ", ".join(map(_q, d.missing_codes)) + "]",
                "answers among the ratings that mean no rating",
            )
        )
    return out


def _overall_lines(d: SurveyDraft) -> list[str]:
    ch = d.roles.get("overall")
    if ch is None:
        return ["  overall: TODO   # TODO: no column looks like overall satisfaction"]
    out = [_line(1, "overall", _q(ch.column), ch.why)]
    if d.overall_labels:
        out.append(
            _line(
                1,
                "overall_scale",
                _scale((0, 1), d.overall_labels),
                "two answers: check which one is 1 (satisfied)",
            )
        )
    elif d.overall_scale is not None:
        out.append(_line(1, "overall_scale", _scale(d.overall_scale), "its values observed"))
    if d.satisfaction_items:
        items = "[" + ", ".join(map(_q, d.satisfaction_items)) + "]"
        out.append(
            _line(
                1,
                "satisfaction_items",
                items,
                "the overall item and the items "
                "named like expectations / ideal (the satisfaction index)",
            )
        )
    if d.item_scales:
        out.append("  item_scales:")
        out += [_line(2, _q(c), _scale(s), "its values observed") for c, s in d.item_scales.items()]
    return out


def _loyalty_lines(d: SurveyDraft) -> list[str]:
    rec, rep = d.roles.get("recommend"), d.roles.get("repurchase")
    if rec is None and rep is None:
        return ["  # loyalty: no column looks like recommend or repurchase"]
    out = ["  loyalty:"]
    if rec is not None:
        out.append(_line(2, "recommend", _q(rec.column), rec.why))
        if d.recommend_scale is not None and tuple(d.recommend_scale) != (0, 10):
            out.append(_line(2, "recommend_scale", _scale(d.recommend_scale), "not 0-10: no NPS"))
    if rep is not None:
        out.append(_line(2, "repurchase", _q(rep.column), rep.why))
        if d.repurchase_scale is not None:
            out.append(_line(2, "repurchase_scale", _scale(d.repurchase_scale), "observed"))
    return out


def _attribute_lines(d: SurveyDraft) -> list[str]:
    if not d.attributes:
        return ["  attributes: {}   # TODO: no other rating columns were found"]
    out = ["  attributes:   # guess: the other rating columns; competitor: c_*/*_competitor"]
    for key, a in d.attributes.items():
        label = a["label"] or key.replace("_", " ").capitalize()
        note = None if a["label"] else "from the column name"
        out += [f"    {key}:", _line(3, "label", _q(label), note), _line(3, "own", _q(a["own"]))]
        if a["competitor"]:
            out.append(_line(3, "competitor", _q(a["competitor"])))
    return out


def _table_lines(tables: list[TableDraft]) -> list[str]:
    named = [t for t in tables if t.file != f"{t.name}.csv" or t.columns or t.sheet]
    out = []
    if named:
        out.append("tables:")
        for t in named:
            out += [f"  {t.name}:", _line(2, "file", _q(t.file), "recognised by its columns")]
            if t.sheet is not None:
                out.append(f"    read: {{sheet: {_q(t.sheet)}}}")
            if t.columns:
                out.append("    columns:   # guess: orient's name: the export's column")
                out += [f"      {k}: {_q(v)}" for k, v in t.columns.items()]
    for t in tables:
        if t.missing:
            out.append(
                f"# {t.file} looks like the {t.name} table but lacks "
                f"{', '.join(t.missing)}: map them under tables.{t.name}.columns"
                + (" (or derive outcome with crm.stage_values)" if t.name == "deals" else "")
            )
    return out


#: the tables that hold money (amounts in the company's currency)
_MONEY_TABLES = ("finance", "deals", "claims")


def _currency_line(tables: list[TableDraft]) -> str:
    """``currency:``: files say no currency, so the line says what to check, and where."""
    money = [t.file for t in tables if t.name in _MONEY_TABLES]
    if money:
        return (
            "currency: EUR   # check: not read from the files; the ISO code of the money in "
            + ", ".join(money)
        )
    return "currency: EUR   # no money in these files: set it when you add finance or deals"


def draft_yaml(
    name: str,
    survey: SurveyDraft | None,
    tables: list[TableDraft],
    unknown: list[tuple[str, str]] = (),
    language: str = "en",
) -> str:
    """The commented company.yaml text."""
    lines = [
        "# company.yaml drafted by `orient new --from` from the client's files.",
        "# Every '# guess:' is orient's reading of the data: check it, then run",
        "# `orient validate` on this folder.",
        "",
        f"name: {_q(name)}",
        _currency_line(tables),
        f"language: {language}    # guess: the language of the answers (en or ru)",
    ]
    if survey is not None and any(a["competitor"] for a in survey.attributes.values()):
        lines.append(
            'competitor: "Main competitor"   # guess: name the competitor the c_* columns rate'
        )
    if survey is not None:
        lines += ["", *_survey_lines(survey)]
        if survey.unplaced:
            lines.append("# survey columns not placed (add them above if they matter):")
            lines += [f"#   {c}: {why}" for c, why in survey.unplaced]
    lines += ["", *_table_lines(tables), *_crm_lines(tables)]
    lines += [f"# {file}: not used ({why})" for file, why in unknown]
    return "\n".join(lines).rstrip() + "\n"


def _table_draft(name: str, file: str, df, columns: dict, missing: list) -> TableDraft:
    """The table's draft; a deals export without an outcome column gets crm.stage_values
    read from its stage column."""
    crm = None
    stage = columns.get("stage", "stage")
    if name == "deals" and "outcome" in missing and stage in df.columns:
        crm = stage_values(df[stage])
        missing = [m for m in missing if m != "outcome"]
    return TableDraft(name, file, columns, missing, crm)


def _crm_lines(tables: list[TableDraft]) -> list[str]:
    t = next((t for t in tables if t.crm is not None), None)
    if t is None:
        return []
    stages, mapping = t.crm
    return [
        "",
        "crm:   # guess: read from the stage column; check the funnel order (earliest first)",
        "  stages: [" + ", ".join(map(_q, stages)) + "]",
        "  stage_values:   # the CRM's stage: won, lost or an open stage above",
        *[f"    {_q(k)}: {_q(v)}" for k, v in mapping.items()],
    ]


def answer_language(df) -> str:
    """``ru`` when the survey's text answers and column names are mostly in Cyrillic
    letters, else ``en``.

    Examples
    --------
    >>> import pandas as pd
    >>> answer_language(pd.DataFrame({"q": ["Европа", "Азия", "Европа"], "id": [1, 2, 3]}))
    'ru'
    """
    words = [str(c) for c in df.columns]
    for col in df.columns:
        values = df[col].dropna()
        values = values[values.map(lambda v: isinstance(v, str))]
        if 0 < values.nunique() <= 50:
            words += list(values.unique())
    text = " ".join(words)
    cyrillic = len(re.findall("[а-яёА-ЯЁ]", text))
    latin = len(re.findall("[a-zA-Z]", text))
    return "ru" if cyrillic > latin else "en"


def _read(path: Path):
    try:
        return read_table(path)
    except DataError:
        raise
    except Exception as exc:  # an unreadable export is named, not a traceback
        raise DataError(
            f"cannot read the file ({type(exc).__name__})",
            file=path.name,
            expected="a CSV, Excel, Parquet, SPSS or Stata export",
        ) from None


def _candidates(src: Path) -> list[tuple[Path, str | None, object, object]]:
    """``(file, sheet, frame, info)`` of each table in ``src``: one, or each non-empty
    sheet of a workbook with several."""
    if src.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
        return [(src, None, *_read(src))]
    try:
        import pandas as pd

        sheets = pd.ExcelFile(src).sheet_names
    except Exception:  # the reader names what is wrong with the workbook
        sheets = []
    if len(sheets) < 2:
        return [(src, None, *_read(src))]
    out = []
    for sheet in sheets:
        try:
            df, info = read_table(src, sheet=sheet)
        except DataError as exc:
            if "empty" in exc.problem:
                continue
            raise
        out.append((src, sheet, df, info))
    return out or [(src, None, *_read(src))]


def _copy_in(folder: Path, source: Path) -> str:
    target = folder / source.name
    if target.resolve() == source.resolve():
        return source.name
    if target.exists():
        if target.read_bytes() != source.read_bytes():
            raise DataError(
                "a different file of that name is already in the company folder",
                file=str(target),
                expected="a folder without it, or the file renamed",
            )
        return source.name
    shutil.copyfile(source, target)
    return source.name


def draft_company(folder: str | Path, files: list[str | Path], name: str | None = None) -> Path:
    """Write ``folder/company.yaml`` drafted from ``files`` (copied into the folder).

    Raises
    ------
    DataError
        When company.yaml exists already, a file is missing or cannot be read, or two
        files share a name.
    """
    folder = Path(folder)
    target = folder / PROFILE_FILE
    if target.exists():
        raise DataError(
            "the company folder has a company.yaml already; orient new does not overwrite it",
            file=str(target),
            expected="a new folder, or the file moved away",
        )
    sources = [Path(f) for f in files]
    for src in sources:
        if not src.is_file():
            raise DataError("file not found", file=str(src), expected="an existing export")
    read = [c for src in sources for c in _candidates(src)]
    ratings = [sum(c.rating for c in profile_columns(df, info)) for _, _, df, info in read]
    survey_at = max(range(len(read)), key=lambda i: ratings[i])
    survey, tables, unknown, language = None, [], [], "en"
    for i, (src, sheet, df, info) in enumerate(read):
        table, columns, missing = match_table([str(c) for c in df.columns])
        where = src.name + (f" (sheet {sheet})" if sheet is not None else "")
        if table is not None and (i != survey_at or ratings[i] < 3):
            tables.append(_table_draft(table, src.name, df, columns, missing))
            tables[-1].sheet = sheet
        elif i == survey_at and ratings[i] >= 2:
            survey = infer_survey(df, info)
            survey.file, survey.sheet = src.name, sheet
            language = answer_language(df)
        else:
            unknown.append((where, "neither a survey nor a table orient knows"))
    folder.mkdir(parents=True, exist_ok=True)
    for src in sources:
        _copy_in(folder, src)
    text = draft_yaml(name or folder.name, survey, tables, unknown, language)
    target.write_text(text, encoding="utf-8")
    return target
