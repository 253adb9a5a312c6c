"""orient._memo: stage results kept per company content inside a report kernel."""

from __future__ import annotations

import types
import warnings
from pathlib import Path

import pandas as pd
import pytest

import orient
from orient import _memo, satisfaction
from orient.errors import OrientWarning

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "companies" / "swiftpost"


@pytest.fixture(autouse=True)
def _off_afterwards():
    yield
    _memo.disable()


calls: list[tuple] = []


@_memo.memoised
def fake_analyse(company, *, n_boot: int = 10, cut=None):
    calls.append((n_boot, cut))
    warnings.warn("small base", OrientWarning, stacklevel=2)
    return types.SimpleNamespace(table=company.survey.copy(), n_boot=n_boot)


def _company(values=(1, 2, 3)):
    survey = pd.DataFrame({"overall": list(values)})

    def fingerprint():  # content, as Company.fingerprint
        return str(pd.util.hash_pandas_object(survey).sum())

    return types.SimpleNamespace(survey=survey, fingerprint=fingerprint)


def test_off_by_default_every_call_computes():
    calls.clear()
    company = _company()
    with pytest.warns(OrientWarning):
        fake_analyse(company)
        fake_analyse(company)
    assert len(calls) == 2 and not _memo.enabled()


def test_same_content_and_options_compute_once_and_return_copies():
    calls.clear()
    _memo.enable()
    with pytest.warns(OrientWarning):
        first = fake_analyse(_company())
    first.table.loc[0, "overall"] = 99  # a notebook changing its result...
    # ...changes nothing for the next one; a different object with the same content loads
    # the same key, defaults filled in (n_boot=10 given explicitly is the same call)
    with pytest.warns(OrientWarning, match="small base"):  # the caution is raised again
        second = fake_analyse(_company(), n_boot=10)
    assert calls == [(10, None)]
    assert second.table["overall"].tolist() == [1, 2, 3]
    assert _memo.stats() == {"hits": 1, "misses": 1, "bypassed": 0}


def test_other_options_other_content_or_unplain_arguments_compute_again():
    calls.clear()
    _memo.enable()
    company = _company()
    with pytest.warns(OrientWarning):
        fake_analyse(company)
        fake_analyse(company, n_boot=0)
        fake_analyse(company, cut=(3.5, 4.0))
        fake_analyse(company, cut=(3.5, 4.0))  # tuples are plain: a hit
        company.survey.loc[0, "overall"] = 5  # edited in place: new content
        fake_analyse(company)
        fake_analyse(company, cut=pd.Series([1.0]))  # not a plain value: never kept
    assert calls == [(10, None), (0, None), (10, (3.5, 4.0)), (10, None), (10, calls[-1][1])]
    assert _memo.stats()["bypassed"] == 1


def test_company_fingerprint_follows_content():
    a, b = orient.load_company(SAMPLE), orient.load_company(SAMPLE)
    assert a.fingerprint() == b.fingerprint()
    b.survey.loc[b.survey.index[0], "overall"] = b.survey["overall"].max() - 1
    assert a.fingerprint() != b.fingerprint()
    b.survey = a.survey
    b.finance = None if a.finance is not None else pd.DataFrame({"x": [1]})
    assert a.fingerprint() != b.fingerprint()


def _first_label_to_minus_one(frame: pd.DataFrame) -> None:
    frame.index = [-1, *frame.index[1:]]


def test_fingerprint_sees_every_kind_of_column_and_the_index():
    """Text (Arrow-backed and plain object), categories, numbers, dates, missing values
    and the index: two loads agree; any one changed value, a value made missing or a
    value moved between two text cells (same characters) changes the digest."""
    a, b = orient.load_company(SAMPLE), orient.load_company(SAMPLE)
    assert a.fingerprint() == b.fingerprint()
    survey = a.survey
    text = next(c for c in survey.columns if pd.api.types.is_string_dtype(survey[c]))
    first, second = survey.index[0], survey.index[1]
    edits = [
        lambda s: s.loc.__setitem__((first, text), str(s.loc[first, text]) + "x"),
        lambda s: s.loc.__setitem__((first, text), pd.NA),
        lambda s: s.loc.__setitem__((first, "overall"), float("nan")),
        _first_label_to_minus_one,
    ]
    for edit in edits:
        c = orient.load_company(SAMPLE)
        edit(c.survey)
        assert c.fingerprint() != a.fingerprint()
    # the same characters split otherwise over two cells: lengths tell them apart
    c, d = orient.load_company(SAMPLE), orient.load_company(SAMPLE)
    for comp, (x, y) in ((c, ("ab", "c")), (d, ("a", "bc"))):
        comp.survey[text] = comp.survey[text].astype(object)  # plain object column
        comp.survey.loc[first, text], comp.survey.loc[second, text] = x, y
    assert c.fingerprint() != d.fingerprint()
    for comp in (c, d):
        comp.survey[text] = comp.survey[text].astype("string[pyarrow]")
    assert c.fingerprint() != d.fingerprint()
    cat = a.survey.copy()
    a2 = orient.load_company(SAMPLE)
    a2.survey = cat.assign(extra=pd.Categorical(["u"] * len(cat)))
    a3 = orient.load_company(SAMPLE)
    a3.survey = cat.assign(extra=pd.Categorical(["v"] * len(cat)))
    assert a2.fingerprint() != a3.fingerprint()


def test_nested_memoised_calls_digest_the_company_once():
    """A memoised stage asking for another memoised stage of the same company: one
    fingerprint for the outer call, reused inside it; the next outer call digests
    again (a table edited in between is a new key)."""
    digests = []
    survey = pd.DataFrame({"overall": [1, 2, 3]})

    def fingerprint():
        digests.append(1)
        return str(pd.util.hash_pandas_object(survey).sum())

    company = types.SimpleNamespace(survey=survey, fingerprint=fingerprint)

    @_memo.memoised
    def inner(company, *, k: int = 0):
        return company.survey["overall"].sum() + k

    @_memo.memoised
    def outer(company):
        return inner(company) + inner(company, k=1)

    _memo.enable()
    assert outer(company) == 13 and len(digests) == 1
    survey.loc[0, "overall"] = 4
    assert outer(company) == 19 and len(digests) == 2
    assert inner(company) == 9 and len(digests) == 3


def test_a_kept_stage_result_equals_a_computed_one():
    company = orient.load_company(SAMPLE)
    fresh = satisfaction.headline(satisfaction.analyse(company, n_boot=20))
    _memo.enable()
    satisfaction.analyse(company, n_boot=20)
    kept = satisfaction.headline(satisfaction.analyse(orient.load_company(SAMPLE), n_boot=20))
    assert _memo.stats()["hits"] == 1
    assert kept == fresh


def test_options_equal_to_the_defaults_are_the_same_analysis():
    from orient import stages

    company = orient.load_company(SAMPLE)
    _memo.enable()
    default = stages.analyse(company, "quality")
    computed = _memo.stats()["misses"]
    spelled = stages.analyse(company, "quality", nsigmas=3.0)  # the default, given
    assert _memo.stats() == {"hits": 1, "misses": computed, "bypassed": 0}  # kept once
    pd.testing.assert_frame_equal(spelled.summary, default.summary)
    stages.analyse(company, "quality", nsigmas=3)  # an int is not the float default
    narrow = stages.analyse(company, "quality", nsigmas=2.0)
    assert _memo.stats()["misses"] == 3 * computed
    assert (narrow.summary["ucl"] < default.summary["ucl"]).all()


def test_a_company_folder_is_read_once_while_unchanged(tmp_path):
    import shutil

    folder = tmp_path / "swiftpost"
    shutil.copytree(SAMPLE, folder)
    rows = len(pd.read_csv(folder / "survey.csv"))
    _memo.enable()
    first = orient.load_company(folder)
    first.survey.loc[:, "overall"] = -1  # a notebook editing its copy...
    second = orient.load_company(folder)
    assert _memo.stats() == {"hits": 1, "misses": 1, "bypassed": 0}
    # ...changes nothing for the next: respondents used plus rows left out are the file's
    assert len(second.survey) + len(second.left_out) == rows
    assert second.fingerprint() == orient.load_company(SAMPLE).fingerprint()
    # a file rewritten (one respondent fewer) or other settings: read again
    text = (folder / "survey.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "survey.csv").write_text("".join(text[:-1]), encoding="utf-8")
    third = orient.load_company(folder)
    assert len(third.survey) + len(third.left_out) == rows - 1
    orient.load_company(folder, {"reporting.min_base": 31})
    assert _memo.stats()["misses"] == 4  # the copy, SAMPLE, the edited copy, the settings


def test_reading_a_company_imports_no_stage_method():
    import subprocess
    import sys

    code = (
        "import sys, orient, orient.report, orient.cli; "
        f"orient.load_company({str(SAMPLE)!r}); "
        "print(sorted(m for m in ('scipy', 'statsmodels', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert orient.crm.analyse and orient.network  # the stage modules still one name away
