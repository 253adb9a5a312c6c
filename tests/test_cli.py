"""The orient command: exit codes and what it prints."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import orient
from orient.cli import _Progress, build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def test_validate_prints_the_summary(capsys):
    rc = main(["validate", str(ROOT / "data" / "companies" / "swiftpost")])
    out = capsys.readouterr().out
    assert rc == 0
    assert "SwiftPost Express: the company folder is valid." in out
    assert "Respondents used" in out and "Segments" in out and "Business (n = " in out
    assert "Table: calls" in out and "Rows left out:" in out


def test_validate_reports_a_data_error_with_exit_1(tmp_path, capsys):
    (tmp_path / "company.yaml").write_text("name: X\nsurvey: {overall: sat, attributes: {}}\n")
    rc = main(["validate", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 1
    assert (
        "error: company.yaml, column 'survey.attributes': at least one attribute is needed" in err
    )


def test_usage_error_exits_2(capsys):
    assert main(["no-such-command"]) == 2
    assert main([]) == 2


def test_new_then_fill_then_validate(tmp_path, capsys):
    folder = tmp_path / "acme"
    assert main(["new", str(folder), "--name", 'Acme "Quoted" <Ltd>']) == 0
    assert main(["new", str(folder)]) == 1  # never overwrites
    header = (folder / "survey.csv").read_text().strip().split(",")
    rows = [
        ["r1", "C1", "1", "2025", "A", "4", "9", "4", "5", "3", "2", "4", "3"],
        ["r2", "C2", "1.5", "2026", "B", "3", "7", "3", "4", "4", "3", "3", "Don't know"],
    ]
    pd.DataFrame(rows, columns=header).to_csv(folder / "survey.csv", index=False)
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 0
    out = capsys.readouterr().out
    assert 'Acme "Quoted" <Ltd>: the company folder is valid.' in out


def test_new_template_stage_iv_examples_are_valid(tmp_path):
    import yaml

    from orient.data.profile import CompanyProfile

    assert main(["new", str(tmp_path / "co")]) == 0
    text = (tmp_path / "co" / "company.yaml").read_text()
    lines = text.splitlines()
    blocks, on = [], False
    for line in lines:
        if line.startswith(("# qfd:", "# actions:", "# investments:")):
            on = True
        elif on and not line.startswith("# "):
            on = False
        if on:
            blocks.append(line[2:])
    profile = yaml.safe_load(text)
    profile.update(yaml.safe_load("\n".join(blocks)))
    p = CompanyProfile.model_validate(profile)
    assert p.qfd.relationships["delivery"]["otif"] == 9
    assert p.investments.items[0].kind == "frontline"


@pytest.mark.slow
def test_report_and_batch_commands(tmp_path, capsys):
    from orient import synth

    companies = tmp_path / "companies"
    synth.make_company(companies / "alpha", seed=1, business="software", n_respondents=120)
    (companies / "broken").mkdir()
    (companies / "broken" / "company.yaml").write_text("name: Broken\nsurvey: {overall: q}\n")
    out = tmp_path / "reports"
    assert main(["report", str(companies / "alpha"), "-o", str(out), "--no-pdf"]) == 0
    assert (out / "alpha" / "report.html").exists() and not (out / "alpha" / "report.pdf").exists()
    # the wait is shown step by step on stderr, each with its time since the start
    lines = capsys.readouterr().err.splitlines()
    steps = [re.fullmatch(r" *(\d+\.\d) s  (.+)", line).groups() for line in lines]
    shipped = sorted(p.stem for p in (Path(orient.__file__).parent / "notebooks").glob("0*.ipynb"))
    # two kernels at once on two processors or more: notebooks end in either kernel's order
    assert sorted(what for _, what in steps[:-1]) == sorted(
        ["headline numbers computed", *(f"notebook {stem} run" for stem in shipped)]
    )
    assert steps[-1][1] == "report.html laid out"
    times = [float(when) for when, _ in steps]
    assert times == sorted(times) and times[0] > 0
    # -q: only where the report was written
    args = build_parser().parse_args(["report", "somewhere", "-q"])
    assert args.quiet
    _Progress(args.quiet)("html")
    assert capsys.readouterr().err == ""
    # one broken company: the other is built (here: skipped as unchanged), exit code 1
    rc = main(["batch", str(companies), "-o", str(out), "--workers", "1", "--no-pdf"])
    captured = capsys.readouterr()
    assert rc == 1
    assert "1 of 2 companies ok" in captured.out
    assert "failed: broken" in captured.err and "survey.attributes" in captured.err


@pytest.mark.parametrize("cpus, kernels", [({0}, 1), ({0, 1}, 2), ({0, 1, 2, 3}, 2)])
def test_report_runs_two_kernels_where_there_are_two_processors(monkeypatch, cpus, kernels):
    import orient.cli

    monkeypatch.setattr(orient.cli.os, "sched_getaffinity", lambda pid: cpus, raising=False)
    assert orient.cli._report_kernels() == kernels
    assert build_parser().parse_args(["report", "x", "--kernels", "1"]).kernels == 1
    with pytest.raises(SystemExit):  # only 1 or 2
        build_parser().parse_args(["report", "x", "--kernels", "3"])
