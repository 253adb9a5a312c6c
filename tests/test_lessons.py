"""The lesson notebooks (orient/notebooks/lessons): their layout, their checked exercises and,
for the operations lessons, hand-computed expected answers that agree with orient."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from orient.errors import OrientWarning

ROOT = Path(__file__).resolve().parents[1]

LESSONS = sorted((ROOT / "orient" / "notebooks" / "lessons").glob("L*.ipynb"))


def test_there_is_a_lesson_per_stage_and_per_operations_part():
    assert [p.stem for p in LESSONS] == [
        "L1_strategy",
        "L2_satisfaction",
        "L3_priorities",
        "L4_implementation",
        "L5_operations",
        "L6_sales",
    ]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_layout(path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert code[0].source.startswith(
        'company_dir: str = ""  # company folder; empty: the bundled sample '
    )
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    hidden = [c for c in code if "solution" in c.metadata.get("tags", [])]
    assert len(hidden) == 1 and hidden[0].metadata["jupyter"]["source_hidden"] is True
    answers = [c for c in code if c.source.startswith("answer_")]
    assert 2 <= len(answers) <= 3
    for i, c in enumerate(answers, start=1):
        assert c.source.startswith(f"answer_{i} = None")
        assert f"w.check(answer_{i}, expected_{i}" in c.source


def _lesson_code(path: Path) -> list[str]:
    """The lesson's code cells that run in-process: explorers (``w.``) left out."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return [
        c.source
        for c in nb.cells
        if c.cell_type == "code" and not c.source.startswith("w.") and c.source.strip() != "company"
    ]


def _run(cells: list[str], path: Path, namespace: dict) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OrientWarning)
        for src in cells:
            exec(compile(src, str(path), "exec"), namespace)  # noqa: S102
    return namespace


def _lesson(stem: str) -> dict:
    path = next(p for p in LESSONS if p.stem == stem)
    cells = [c for c in _lesson_code(path) if not c.startswith("answer_")]
    return _run(cells, path, {})


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_answers_check_right_when_filled_in(path, capsys, monkeypatch):
    """Run the lesson's code in-process (explorers left out), answering with the expected
    values: every check must say "Right!"; unanswered, every check says "No answer yet"."""
    monkeypatch.chdir(path.parent)
    namespace: dict = {}
    cells = _lesson_code(path)
    _run(cells, path, namespace)
    unanswered = capsys.readouterr().out.splitlines()
    assert unanswered and all(line.startswith("No answer yet") for line in unanswered)
    for src in cells:
        if src.startswith("answer_"):
            n = src.split()[0].removeprefix("answer_")
            exec(src.replace(f"answer_{n} = None", f"answer_{n} = expected_{n}"), namespace)  # noqa: S102
    right = capsys.readouterr().out.splitlines()
    assert len(right) == len(unanswered) and all(line.startswith("Right!") for line in right)


def test_the_operations_lesson_answers_by_hand_agree_with_orient():
    """L5's expected answers are computed without orient (a Markov chain solved numerically
    with a matrix exponential; z-scores and runs; dates): orient must give the same."""
    from orient.operations import quality, service

    ns = _lesson("L5_operations")
    spec = ns["spec"]
    assert ns["expected_1"] == service.agents_needed_a(
        ns["offered"],
        ns["interval_s"],
        ns["aht_s"],
        ns["patience_s"],
        spec.target_level,
        spec.target_s,
        max_abandon=spec.max_abandon_rate,
    )
    erlang_c = service.agents_needed(
        ns["offered"], ns["interval_s"], ns["aht_s"], spec.target_level, spec.target_s
    )
    assert ns["expected_1"] < erlang_c  # the point of the exercise: callers who hang up
    (chart,) = quality.control_chart(
        ns["company"].quality, "p", trial=ns["trial"], rule_set="nelson"
    )
    assert ns["expected_2"] == chart.points.loc[chart.points["rule_2"], "subgroup"].min()
    share = service.within_deadline(ns["claims"], spec.claim_target_days)["share"]
    assert ns["expected_3"] == pytest.approx(100 * share, abs=0.05)


def test_the_sales_lesson_answers_by_hand_agree_with_orient():
    """L6's expected answers (Wilson's formula, the stall rule by hand, FHL's P(alive))."""
    ns = _lesson("L6_sales")
    effect = ns["effect"]
    assert ns["expected_1"] == pytest.approx(
        100 * effect.loc[effect["win_rate"].idxmax(), "ci_low"], abs=0.05
    )
    assert ns["expected_2"] == len(ns["stalled"]) > 0
    rfm, bgnbd = ns["rfm"], ns["bgnbd"]
    top = rfm.loc[[rfm["frequency"].idxmax()]]
    p_alive = bgnbd.p_alive(top["frequency"], top["recency"], top["T"])[0]
    assert ns["expected_3"] == pytest.approx(100 * p_alive, abs=0.05)
    # the simulated shop: the fit recovers the parameters it was drawn with
    for fitted, true in zip(bgnbd.params, ns["true"].values(), strict=True):
        assert fitted == pytest.approx(true, rel=0.35)
