"""One report: ``orient report`` against the floor of plain function calls, in one run.

    python benchmarks/report.py [--company data/companies/swiftpost] [--repeat 1]
        [--compare CHECKOUT]

Times, for one sample company, the CPU seconds of a fresh process tree (user + system
of every child, ``resource.getrusage(RUSAGE_CHILDREN)`` around ``subprocess.run``):

floor
    Everything the report computes, as plain function calls in a fresh process:
    ``import orient``, ``load_company``, ``orient.report.summarise`` and
    ``orient.stages.analyse`` for each stage the report shows, each analysis computed
    once (``orient._memo`` on, as in the report kernel: the per-stage calls after
    ``summarise`` ask for analyses it has made). No notebook, no figure, no HTML.
plain
    The same calls with every analysis computed again per stage (``orient._memo``
    off), for reference.
no pdf
    ``orient report DIR -o OUT --no-pdf -q``: the whole command (two kernels at once on
    a machine with two processors or more).
1 kernel
    The same with ``--kernels 1``: the notebooks one after the other in one kernel.
pdf
    ``orient report DIR -o OUT -q``: the same with report.pdf.
print
    ``orient.report.html_to_pdf`` of the report.html just written, alone in a fresh
    process (imports included): the PDF's own cost, steadier than pdf minus no pdf.

and prints seconds and the ratios to the floor, of CPU time and of wall time (the
consultant's wait). BLAS and OpenMP use one thread in every
run (``OPENBLAS_NUM_THREADS=1`` ...), so CPU seconds are not inflated by idle spinning.
``--compare CHECKOUT`` measures another checkout (``git worktree add /tmp/before main``)
the same way, each of its runs just before the same run of this one, least CPU of
``--repeat`` kept for each.

Measured on the 2-core development machine, swiftpost, the machine shared with other
jobs (load 3 to 5, so CPU seconds vary by a quarter between runs: read the ratios),
before = the commit this work started from, ``--compare`` with ``--repeat 3``:

=========  ===============  ===============  ===============
run        before CPU s     after CPU s      after / before
=========  ===============  ===============  ===============
floor        6.73 (1.00x)     7.25 (1.00x)     1.08
plain       11.19 (1.66x)    10.87 (1.50x)     0.97
no pdf      26.56 (3.95x)    23.09 (3.19x)     0.87
pdf         38.09 (5.66x)    23.37 (3.23x)     0.61
print       14.92             4.28             0.29
=========  ===============  ===============  ===============

A quieter run (``--repeat 2``, load 2 to 3): floor 6.40 and 7.41, no pdf 24.28 (3.80x)
and 17.68 (2.39x; 0.73 of before).

2026-12-07, after figures as SVG with real text and the notebooks in two kernels at
once (``--repeat 1``, load 1.3-2 from other jobs):

==========  =======  =======  ==========  ===========
run          CPU s   wall s   CPU/floor   wall/floor
==========  =======  =======  ==========  ===========
floor         4.80     4.81     1.00x        1.00x
plain         7.76     7.77     1.61x        1.61x
no pdf       22.87    13.50     4.76x        2.80x
1 kernel     18.87    18.88     3.93x        3.92x
pdf          20.24    13.71     4.21x        2.85x
print         2.87     3.74
==========  =======  =======  ==========  ===========

The consultant's wait (wall) is 0.72 of one kernel's; the CPU time 1.21 of it (the
second kernel starts and computes stage III's priorities again). The floor is lower than
on 2026-12-04 (4.8 s against 7.4 s: company.yaml through LibYAML, a quieter machine), so
the ratios are higher: 1.5x of the floor is not met. The PDF added 0.2 s of wall time
in this run; printing report.html alone costs 2.9 s CPU in a fresh process, imports
included.

Where no pdf spends above the floor (after): the report kernel's start (ipykernel,
IPython) about 1 s; drawing the 24 figures about 4.5 s (matplotlib 3.11 shapes text
glyph by glyph: ``ft2font.set_text`` takes 2.5 ms for a 27-character label; PNG
encoding 1 s); the tables' reprs, plot building and copies of kept results about 3 s;
the calling process about 3.5 s (imports 1.5 s, nbclient's message handling 0.8 s,
report.html 0.5 s). Before, also: the summary's analyses computed again by the
notebooks that pass the default options (1 s), the company folder read by every
notebook (1 s), scipy imported by the calling process (1.7 s), every text of a figure
measured twice (1 s) and seaborn imported and a figure drawn once more for the house
of quality (0.7 s).

The PDF: WeasyPrint laid out the 37 pages in about 8 s (tables' column widths and line
breaking) and wrote them in 2.5 s; PNG or SVG figures make no difference to it (RGB
PNG 10.05 s against 9.97 s, SVG with real text 11.4 s, SVG with text as paths 25.6 s).
Headless Chromium prints the same pages (same breaks, page numbers and footer) for a
quarter of the processor time.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREADS = {v: "1" for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}

FLOOR_CODE = """
import sys
import orient
import orient._memo
import orient.report
import orient.stages
from orient.data.company import load_company

if sys.argv[2] == "memo":
    orient._memo.enable()
company = load_company(sys.argv[1])
orient.report.summarise(company)
for stage in orient.stages.STAGES:
    if not orient.stages.missing_data(company, stage):
        orient.stages.analyse(company, stage)
"""


PRINT_CODE = """
import glob, sys
from orient.report import html_to_pdf

(page,) = glob.glob(sys.argv[1] + "/*/report.html")
with open(page, encoding="utf-8") as fh:
    html_to_pdf(fh.read())
"""


def _env(root: Path) -> dict:
    env = {**os.environ, **THREADS}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p
    )
    return env


def children_cpu(argv: list[str], root: Path) -> tuple[float, float]:
    """CPU seconds (user + system) of ``argv``'s whole process tree, and its wall seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(argv, check=True, env=_env(root), cwd=root, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def _knows_kernels(root: Path) -> bool:
    """Whether the checkout's ``orient report`` has ``--kernels`` (a checkout before it
    ran one kernel: its "1 kernel" run is the plain command)."""
    return "--kernels" in (root / "orient" / "cli.py").read_text(encoding="utf-8")


def _runs(company: Path, out: str, pdf: bool, root: Path = ROOT) -> dict[str, list[str]]:
    py = sys.executable
    report = [py, "-m", "orient.cli", "report", str(company), "-o", out, "-q"]
    one = ["--kernels", "1"] if _knows_kernels(root) else []
    runs = {
        "floor": [py, "-c", FLOOR_CODE, str(company), "memo"],
        "plain": [py, "-c", FLOOR_CODE, str(company), "plain"],
        "no pdf": [*report, "--no-pdf"],
        "1 kernel": [*report, "--no-pdf", *one],
    }
    if pdf:
        runs["pdf"] = report
        runs["print"] = [py, "-c", PRINT_CODE, out]  # the no-pdf run's page, printed alone
    return runs


def _table(title: str, cpu: dict[str, float], wall: dict[str, float]) -> None:
    print(title)
    print(f"{'run':<9}{'CPU s':>8}{'wall s':>8}{'CPU/floor':>11}{'wall/floor':>12}")
    for name in cpu:
        if name != "print":
            print(
                f"{name:<9}{cpu[name]:8.2f}{wall[name]:8.2f}{cpu[name] / cpu['floor']:10.2f}x"
                f"{wall[name] / wall['floor']:11.2f}x"
            )
    if "pdf" in cpu:
        print(
            f"the PDF adds {cpu['pdf'] - cpu['no pdf']:.2f} s CPU to the command; printing "
            f"report.html alone in a fresh process costs {cpu['print']:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--company", type=Path, default=ROOT / "data" / "companies" / "swiftpost")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (least CPU kept)")
    parser.add_argument("--no-pdf-only", action="store_true", help="skip the run with the PDF")
    parser.add_argument(
        "--compare",
        type=Path,
        default=None,
        metavar="CHECKOUT",
        help="another checkout of orient (e.g. `git worktree add /tmp/before main`) measured "
        "the same way, each run of it just before the same run of this one",
    )
    args = parser.parse_args()
    company = args.company.resolve()
    if not (company / "company.yaml").exists():
        sys.exit(f"{company} is not a company folder (make data writes the samples)")
    roots = {"this": ROOT}
    if args.compare is not None:
        roots = {"other": args.compare.resolve(), **roots}
    cpu: dict[str, dict[str, float]] = {k: {} for k in roots}
    wall: dict[str, dict[str, float]] = {k: {} for k in roots}
    with tempfile.TemporaryDirectory(prefix="orient-report-bench-") as out:
        names = list(_runs(company, out, not args.no_pdf_only))
        for name in names:
            for _ in range(args.repeat):
                for key, root in roots.items():
                    c, w = children_cpu(_runs(company, out, True, root)[name], root)
                    if c < cpu[key].get(name, float("inf")):
                        cpu[key][name], wall[key][name] = c, w
                    print(f"{key:<6}{name:<9}{c:8.2f} s CPU{w:8.2f} s wall", file=sys.stderr)
    for key, root in roots.items():
        _table(f"{key} ({root})", cpu[key], wall[key])
    if "other" in cpu:
        print(
            "this / other: "
            + ", ".join(f"{n} {cpu['this'][n] / cpu['other'][n]:.2f}" for n in names)
        )


if __name__ == "__main__":
    main()
