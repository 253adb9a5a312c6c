"""A first reading of a client's export: which column is what (``orient new --from``).

:func:`profile_columns` describes every column of a table by its values (numbers on
a rating scale, text with few values, unique ids, positive weights, text labels the
rating reader knows, "no answer" tokens); :func:`infer_survey` then places the columns
in the survey codebook by their names (English and Russian) and values, each choice
with the reason it was made, and :func:`match_table` recognises an operational table
by its columns. :mod:`orient.data.infer_yaml` writes the result as a commented
company.yaml. Every placement is a guess for the consultant to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from orient.data.ratings import BUILTIN_LABELS, MISSING_TOKENS, normalise_label
from orient.data.read import ReadInfo
from orient.data.value_labels import is_no_answer, labelled_scale

__all__ = ["ColumnProfile", "SurveyDraft", "infer_survey", "match_table", "profile_columns"]

#: common rating scales, (min, max); an observed range is read as the smallest that holds it
_SCALES = ((0, 1), (1, 3), (1, 4), (1, 5), (0, 5), (1, 7), (0, 7), (1, 10), (0, 10))
_MAX_SEGMENT_LEVELS = 12

# column roles by name: normalised name patterns, English and Russian
_NAMES: dict[str, re.Pattern] = {
    "id": re.compile(
        r"^(respondent|response|resp|record|interview|anketa|анкета|респондент)?_?(id|no|num|"
        r"number|ид|номер)$|^(responseid|respondentid|id)$|^номер_анкеты$|^id_респондента$"
    ),
    "customer_id": re.compile(
        r"^(customer|client|account|клиент|код_клиента)_?(id|no|code|код|ид)?$|^(inn|инн)$"
    ),
    "weight": re.compile(r"^(weight|wt|weighting|weight_factor|вес|весовой_коэффициент)$"),
    "wave": re.compile(r"^(wave|year|survey_year|period|волна|год|период)$"),
    "overall": re.compile(
        r"(overall|osat|общая_удовлетвор|удовлетворенность_в_целом|в_целом)|"
        r"^(q_?)?satisfaction$|^(q_?)?csat$"
    ),
    "recommend": re.compile(r"(recommend|nps|ltr|рекоменд|посовету)"),
    "repurchase": re.compile(
        r"(repurchase|buy_again|purchase_again|reuse|re_?use|renew|retention_intent|"
        r"повторн|снова|продл)"
    ),
    "satisfaction_item": re.compile(r"(expectation|ideal|ожидан|идеал)"),
    "segment": re.compile(
        r"(segment|сегмент|region|регион|class|type|tier|plan|группа|group|channel|канал)"
    ),
}
#: survey-tool bookkeeping columns (Qualtrics, SurveyMonkey, Google Forms): never ratings
_METADATA = re.compile(
    r"^(status|progress|duration.*|finished|recordeddate|startdate|enddate|ipaddress|"
    r"ip_address|location_?latitude|location_?longitude|distributionchannel|userlanguage|"
    r"externalreference|external_?data_?reference|recipient.*|collector_?id|timestamp|"
    r"start_date|end_date|email_address|first_name|last_name|custom_data.*|q_recaptchascore)$"
)
_OWN_PREFIX = re.compile(r"^(q|own|our|s|sat)_")
_COMPETITOR = re.compile(
    r"^(c|comp|competitor|конкурент)_(.+)$|^(.+)_(c|comp|competitor|конкурент)$"
)


def norm_name(name: str) -> str:
    """A column name compared by role: lower case, words joined by ``_``.

    Examples
    --------
    >>> norm_name("Likelihood to Recommend (0-10)")
    'likelihood_to_recommend_0_10'
    """
    text = normalise_label(name).replace("ё", "е")
    return re.sub(r"[^\w]+", "_", text).strip("_")


@dataclass
class ColumnProfile:
    """What one column's values look like."""

    name: str
    norm: str
    label: str | None
    n: int  # non-blank values
    unique: bool  # every non-blank value different, none blank
    numeric: bool  # every value a number, a known rating label or a "no answer" token
    integer: bool
    min: float | None
    max: float | None
    levels: int  # distinct values (numbers or text)
    tokens: list[str]  # text that reads as "no answer"
    labels_used: bool  # text rating labels (Agree, Удовлетворен) among the values
    texts: list[str] = field(default_factory=list)  # the text values, when few
    scale: tuple[float, float] | None = None  # from SPSS/Stata value labels
    value_labels_missing: list[float] = field(default_factory=list)

    @property
    def rating(self) -> bool:
        """Whole numbers with a few values on a common scale."""
        if not self.numeric or not self.integer or self.min is None or self.levels < 2:
            return False
        if _METADATA.match(self.norm):
            return False
        return _scale_of(self.min, self.max) is not None

    @property
    def scale_guess(self) -> tuple[float, float] | None:
        if self.scale is not None:
            return self.scale
        return _scale_of(self.min, self.max) if self.rating else None


def _scale_of(lo: float | None, hi: float | None) -> tuple[float, float] | None:
    if lo is None or hi is None:
        return None
    for a, b in _SCALES:
        if a <= lo and hi <= b and (a == 0) == (lo == 0):
            return (a, b)
    return None


def _number(text: Any, decimal: str) -> float | None:
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        return float(text)
    t = str(text).strip().replace("\u00a0", "")
    if decimal == ",":
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def profile_column(name: str, values: pd.Series, info: ReadInfo) -> ColumnProfile:
    present = values.dropna()
    present = present[present.astype(str).str.strip() != ""]
    numbers, tokens, other, texts, labelled = [], set(), set(), set(), False
    for v in present.unique():
        num = _number(v, info.decimal)
        norm = normalise_label(v) if num is None else ""
        if num is not None:
            numbers.append(num)
        elif norm in BUILTIN_LABELS:
            numbers.append(float(BUILTIN_LABELS[norm]))
            labelled = True
            texts.add(str(v).strip())
        elif norm in MISSING_TOKENS or is_no_answer(str(v)):
            tokens.add(str(v).strip())
        else:
            other.add(str(v))
            texts.add(str(v).strip())
    arr = np.array(numbers, dtype=float)
    numeric = bool(len(arr)) and not other
    ls = labelled_scale(info.value_labels.get(name))
    col = ColumnProfile(
        name=str(name),
        norm=norm_name(name),
        label=info.labels.get(name),
        n=len(present),
        unique=len(present) == len(values) and present.astype(str).nunique() == len(present),
        numeric=numeric,
        integer=numeric and bool(np.all(arr == np.round(arr))),
        min=float(arr.min()) if numeric else None,
        max=float(arr.max()) if numeric else None,
        levels=len(set(numbers)) + len(other) if numeric else present.astype(str).nunique(),
        tokens=sorted(tokens),
        labels_used=labelled,
        texts=sorted(texts) if len(texts) <= _MAX_SEGMENT_LEVELS else [],
    )
    if ls is not None:
        col.scale = (ls.min, ls.max)
        col.value_labels_missing = sorted(ls.missing)
        if col.min is not None:  # the labelled "no answer" codes are not ratings
            kept = arr[~np.isin(arr, col.value_labels_missing)]
            col.min, col.max = (float(kept.min()), float(kept.max())) if len(kept) else (None, None)
    return col


def profile_columns(df: pd.DataFrame, info: ReadInfo) -> list[ColumnProfile]:
    """One :class:`ColumnProfile` per column of ``df``, in file order."""
    return [profile_column(c, df[c], info) for c in df.columns]


@dataclass
class Choice:
    """A column placed in the codebook and why."""

    column: str
    why: str


@dataclass
class SurveyDraft:
    """The survey codebook as read from the export (see :func:`infer_survey`)."""

    file: str
    n_rows: int
    roles: dict[str, Choice]  # id, customer_id, weight, wave, overall, recommend, repurchase
    segments: list[Choice]
    scale: tuple[float, float] | None
    scale_why: str
    overall_scale: tuple[float, float] | None
    recommend_scale: tuple[float, float] | None
    repurchase_scale: tuple[float, float] | None
    satisfaction_items: list[str]
    item_scales: dict[str, tuple[float, float]]
    attributes: dict[str, dict[str, str | None]]  # key -> label, own, competitor
    missing_codes: list[str | float]
    unplaced: list[tuple[str, str]]  # column, what it looked like
    layout: str = "plain"
    overall_labels: dict[str, int] | None = None
    sheet: str | None = None  # the workbook sheet, when the file has several


def _by_name(cols: list[ColumnProfile], role: str, free: set[str]) -> ColumnProfile | None:
    pattern = _NAMES[role]
    for c in cols:
        if c.name in free and (
            pattern.search(c.norm) or (c.label and pattern.search(norm_name(c.label)))
        ):
            return c
    return None


def _pick_roles(cols: list[ColumnProfile]) -> tuple[dict[str, Choice], set[str]]:
    free = {c.name for c in cols}
    roles: dict[str, Choice] = {}

    def take(role: str, c: ColumnProfile | None, why: str) -> None:
        if c is not None:
            roles[role] = Choice(c.name, why)
            free.discard(c.name)

    ident = _by_name([c for c in cols if c.unique], "id", free)
    if ident is None:  # the first column whose values are all different and not ratings
        ident = next((c for c in cols if c.unique and not c.rating and not c.numeric), None)
        take("id", ident, "its values are all different (no column is named as an id)")
    else:
        take("id", ident, "its name, and its values are all different")
    cust = _by_name([c for c in cols if not c.rating], "customer_id", free)
    take("customer_id", cust, "its name")
    weight = _by_name(
        [c for c in cols if c.numeric and c.min is not None and c.min > 0], "weight", free
    )
    take("weight", weight, "its name, and its values are positive numbers")
    wave = _by_name([c for c in cols if 1 < c.levels <= 20], "wave", free)
    take("wave", wave, "its name, and it has few values")
    for role in ("overall", "recommend", "repurchase"):
        c = _by_name([c for c in cols if c.rating or c.scale is not None], role, free)
        if c is None and role == "overall":  # "satisfied" / "neutral or dissatisfied"
            c = _by_name([c for c in cols if binary_labels(c)], role, free)
            if c is not None:
                take(role, c, "its name, and it has two text answers (read as 1 and 0)")
                continue
        why = "its name" + (" (question text)" if c is not None and c.label else "")
        take(role, c, why + f", and its values are ratings {_range(c)}" if c else why)
    return roles, free


_NEGATIVE = re.compile(r"\b(dis|not|un|no|neutral|не|недо|неуд|нейтр)|dissatisf|unsatisf")


def binary_labels(c: ColumnProfile) -> dict[str, int] | None:
    """A two-answer text item as 1 (the positive answer) and 0, or None.

    Examples
    --------
    >>> c = ColumnProfile("o", "o", None, 9, False, False, False, None, None, 2, [], True,
    ...                   texts=["neutral or dissatisfied", "satisfied"])
    >>> binary_labels(c)
    {'neutral or dissatisfied': 0, 'satisfied': 1}
    """
    if c.numeric or len(c.texts) != 2 or c.levels != 2:
        return None
    negative = [bool(_NEGATIVE.search(normalise_label(t))) for t in c.texts]
    if negative.count(True) != 1:
        return None
    return {t: int(not neg) for t, neg in zip(c.texts, negative, strict=True)}


def _range(c: ColumnProfile | None) -> str:
    if c is None or c.min is None:
        return ""
    return f"{_fmt(c.min)}..{_fmt(c.max)}"


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _segments(cols: list[ColumnProfile], free: set[str]) -> list[Choice]:
    """Text columns with 2-12 values, those named like a segment first."""
    out = []
    for c in cols:
        if c.name not in free or c.rating or c.unique or not 2 <= c.levels <= _MAX_SEGMENT_LEVELS:
            continue
        if c.numeric and not c.integer:
            continue
        named = bool(_NAMES["segment"].search(c.norm))
        why = ("its name, and " if named else "") + f"it has {c.levels} values"
        if c.numeric:
            if not named:
                continue  # a few whole numbers without a segment's name: a rating or a code
            why += " (numbers: check they are codes, not ratings)"
        out.append((not named, Choice(c.name, why)))
    out.sort(key=lambda t: t[0])
    for _, ch in out:
        free.discard(ch.column)
    return [ch for _, ch in out]


_CYRILLIC = dict(
    zip(
        "абвгдежзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e zh z i y k l m n o p r s t u f kh ts ch sh shch  y  e yu ya".split(" "),
        strict=True,
    )
)


def _attribute_key(name: str) -> str:
    """An attribute key from a column name (Russian letters transliterated).

    Examples
    --------
    >>> _attribute_key("q_on_time"), _attribute_key("Скорость доставки")
    ('on_time', 'skorost_dostavki')
    """
    key = _OWN_PREFIX.sub("", norm_name(name))
    key = "".join(_CYRILLIC.get(ch, ch) for ch in key)
    key = re.sub(r"[^a-z0-9_]", "", key.encode("ascii", "ignore").decode()) or "item"
    if not key[0].isalpha():
        key = "a_" + key
    return re.sub("_+", "_", key).strip("_").removesuffix("_competitor") or "item"


def _competitor_of(c: ColumnProfile, by_norm: dict[str, ColumnProfile]) -> str | None:
    """The own column a competitor column pairs with (c_price -> q_price, price)."""
    m = _COMPETITOR.match(c.norm)
    if not m:
        return None
    stem = m.group(2) or m.group(3)
    for own in (stem, f"q_{stem}", f"own_{stem}", f"our_{stem}"):
        if own in by_norm and own != c.norm:
            return by_norm[own].name
    return None


def _attributes(cols: list[ColumnProfile], free: set[str]):
    """Rating columns left: each an attribute, paired with its competitor column."""
    rated = [
        c
        for c in cols
        if c.name in free and ((c.rating and c.max - c.min >= 2) or c.scale is not None)
    ]
    by_norm = {c.norm: c for c in rated}
    competitor = {}
    for c in rated:
        own = _competitor_of(c, by_norm)
        if own is not None:
            competitor[own] = c.name
    attrs: dict[str, dict[str, str | None]] = {}
    for c in rated:
        if c.name in competitor.values():
            continue
        key = _attribute_key(c.name)
        while key in attrs:
            key += "_2"
        attrs[key] = {"label": c.label, "own": c.name, "competitor": competitor.get(c.name)}
        free.discard(c.name)
        if competitor.get(c.name):
            free.discard(competitor[c.name])
    return attrs


def _common_scale(cols: list[ColumnProfile], names: list[str]) -> tuple[float, float] | None:
    scales = [c.scale_guess for c in cols if c.name in names and c.scale_guess]
    if not scales:
        return None
    lo = min(s[0] for s in scales)
    hi = max(s[1] for s in scales)
    return _scale_of(lo, hi) or (lo, hi)


def infer_survey(df: pd.DataFrame, info: ReadInfo) -> SurveyDraft:
    """The survey codebook a consultant would most likely write for this export."""
    cols = profile_columns(df, info)
    by = {c.name: c for c in cols}
    roles, free = _pick_roles(cols)
    items = [c.name for c in cols if c.name in free and _NAMES["satisfaction_item"].search(c.norm)]
    items = [c for c in items if by[c].rating]
    free -= set(items)
    segments = _segments(cols, free)
    attrs = _attributes(cols, free)
    attr_cols = [a["own"] for a in attrs.values()] + [
        a["competitor"] for a in attrs.values() if a["competitor"]
    ]
    scale = _common_scale(cols, attr_cols)
    own_scale = {}
    for role in ("overall", "recommend", "repurchase"):
        if role in roles:
            own_scale[role] = by[roles[role].column].scale_guess
    overall = roles.get("overall")
    sat_items = [overall.column, *items] if overall and items else []
    item_scales = {c: by[c].scale_guess for c in items if by[c].scale_guess != scale}
    tokens = sorted({t for c in cols for t in c.tokens if c.name not in free})
    unplaced = [(c.name, _looks_like(c)) for c in cols if c.name in free]
    spss = bool(info.value_labels)
    binary = binary_labels(by[overall.column]) if overall else None
    if binary:
        own_scale["overall"] = (0, 1)
    return SurveyDraft(
        file=info.file,
        n_rows=len(df),
        roles=roles,
        segments=segments,
        scale=scale,
        scale_why="from the value labels" if spss else "from the values observed",
        overall_scale=own_scale.get("overall") if own_scale.get("overall") != scale else None,
        recommend_scale=own_scale.get("recommend"),
        repurchase_scale=own_scale.get("repurchase")
        if own_scale.get("repurchase") != scale
        else None,
        satisfaction_items=sat_items,
        item_scales=item_scales,
        attributes=attrs,
        missing_codes=tokens,
        unplaced=unplaced,
        layout=info.layout,
        overall_labels=binary,
    )


def _looks_like(c: ColumnProfile) -> str:
    if c.unique:
        return "all values different"
    if c.rating:
        return f"ratings {_range(c)}"
    if c.numeric:
        return f"numbers {_range(c)}"
    return f"text with {c.levels} values"


def match_table(columns: list[str]) -> tuple[str | None, dict[str, str], list[str]]:
    """The operational table (finance, calls, claims, quality, deals, stage_history...) whose columns an
    export has: ``(name, {orient name: export column} where they differ, missing)``;
    ``(None, {}, [])`` when none fits."""
    from orient.data.tables import TABLES

    by_norm = {norm_name(c): c for c in columns}
    best = (None, {}, [], 0.0)
    for name, spec in TABLES.items():
        found, missing = {}, []
        for col in spec.required:
            hit = by_norm.get(col) or _synonym(name, col, by_norm)
            (missing.append(col) if hit is None else found.setdefault(col, hit))
        if name == "quality" and not any(all(k in by_norm for k in g) for g in spec.one_of):
            continue
        share = len(found) / len(spec.required)
        if share > best[3] and share >= 0.6:
            for col in spec.optional:
                hit = by_norm.get(col) or _synonym(name, col, by_norm)
                if hit is not None and hit not in found.values():
                    found[col] = hit
            best = (name, found, missing, share)
    name, found, missing, _ = best
    return name, {k: v for k, v in found.items() if k != v}, missing


#: export column names seen in CRM and complaint exports, by orient column
_SYNONYMS = {
    "deals": {
        "deal_id": ("opportunity_id", "deal", "id", "сделка", "id_сделки"),
        "manager": ("sales_agent", "owner", "sales_rep", "менеджер", "ответственный"),
        "client": ("account", "customer", "company", "клиент", "компания"),
        "stage": ("deal_stage", "status", "этап", "стадия"),
        "created": ("engage_date", "created_at", "create_date", "дата_создания"),
        "outcome": ("result", "won_lost", "итог"),
        "planned_amount": ("close_value", "amount", "value", "сумма", "бюджет"),
        "closed": ("close_date", "closed_at", "дата_закрытия"),
        "region": ("regional_office", "регион"),
        "source": ("lead_source", "источник"),
    },
    "stage_history": {
        "deal_id": ("opportunity_id", "deal", "сделка", "id_сделки"),
        "stage": ("deal_stage", "stage_name", "new_stage", "to_stage", "этап", "стадия"),
        "entered": ("date", "changed_at", "entered_at", "date_entered", "stage_date", "дата"),
    },
    "claims": {
        "claim_id": ("complaint_id", "id", "номер", "номер_жалобы"),
        "received": ("date_received", "received_date", "date", "дата", "дата_получения"),
        "category": ("product", "issue", "type", "категория", "тема"),
        "response": ("company_response_to_consumer", "company_response", "ответ"),
        "timely": ("timely_response", "ответ_вовремя"),
        "disputed": ("consumer_disputed", "оспорено"),
        "resolved": ("date_resolved", "resolved_date", "closed_date", "дата_решения"),
        "amount_claimed": ("amount", "claim_amount", "сумма"),
    },
}


_WON = re.compile(r"^(won|closed_?won|win|success|успешн|выигр|оплачен|заключен)")
_LOST = re.compile(r"^(lost|closed_?lost|loss|failed|отказ|проигр|потерян|закрыт.*неусп)")


def stage_values(values: pd.Series) -> tuple[list[str], dict[str, str]]:
    """``crm.stages`` and ``crm.stage_values`` read from a CRM's stage column: values
    named like won or lost map to those, the others are open stages in order of their
    frequency (the most frequent first).

    Examples
    --------
    >>> stage_values(pd.Series(["Won", "Lost", "Engaging", "Prospecting", "Engaging"]))
    (['Engaging', 'Prospecting'], {'Won': 'won', 'Lost': 'lost', 'Engaging': 'Engaging', \
'Prospecting': 'Prospecting'})
    """
    text = values.dropna().astype(str).str.strip()
    counts = text[text != ""].value_counts(sort=True)
    order = list(dict.fromkeys(text[text != ""]))
    mapping, stages = {}, []
    for v in order:
        n = norm_name(v)
        if _WON.match(n):
            mapping[v] = "won"
        elif _LOST.match(n):
            mapping[v] = "lost"
    for v in counts.index:
        if v not in mapping:
            stages.append(v)
    mapping.update({v: v for v in order if v not in mapping})
    return stages, mapping


def _synonym(table: str, col: str, by_norm: dict[str, str]) -> str | None:
    for alias in _SYNONYMS.get(table, {}).get(col, ()):
        if alias in by_norm:
            return by_norm[alias]
    return None
