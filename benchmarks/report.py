"""One report: ``orient report`` against the floor of plain function calls, in one run.

    python benchmarks/report.py [--company data/companies/swiftpost] [--repeat 1]

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
    ``orient report DIR -o OUT --no-pdf -q``: the whole command.
pdf
    ``orient report DIR -o OUT -q``: the same with report.pdf.

and prints seconds and the ratios to the floor. BLAS and OpenMP use one thread in every
run (``OPENBLAS_NUM_THREADS=1`` ...), so CPU seconds are not inflated by idle spinning.

Measured on the 2-core development machine (swiftpost, ``--repeat 1``, the machine
shared with other jobs, so read the ratios):

==============  ======  =======
before          CPU s   / floor
==============  ======  =======
floor             7.66     1.00
plain             9.37     1.22
no pdf           32.24     4.21
pdf              44.75     5.84
==============  ======  =======

The PDF added 12.5 s.
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


def _env() -> dict:
    env = {**os.environ, **THREADS}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    return env


def children_cpu(argv: list[str]) -> tuple[float, float]:
    """CPU seconds (user + system) of ``argv``'s whole process tree, and its wall seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    subprocess.run(argv, check=True, env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def best(argv: list[str], repeat: int) -> tuple[float, float]:
    runs = [children_cpu(argv) for _ in range(repeat)]
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--company", type=Path, default=ROOT / "data" / "companies" / "swiftpost")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (least CPU kept)")
    parser.add_argument("--no-pdf-only", action="store_true", help="skip the run with the PDF")
    args = parser.parse_args()
    company = args.company.resolve()
    if not (company / "company.yaml").exists():
        sys.exit(f"{company} is not a company folder (make data writes the samples)")
    py = sys.executable
    rows = []
    with tempfile.TemporaryDirectory(prefix="orient-report-bench-") as out:
        report = [py, "-m", "orient.cli", "report", str(company), "-o", out, "-q"]
        runs = {
            "floor": [py, "-c", FLOOR_CODE, str(company), "memo"],
            "plain": [py, "-c", FLOOR_CODE, str(company), "plain"],
            "no pdf": [*report, "--no-pdf"],
        }
        if not args.no_pdf_only:
            runs["pdf"] = report
        for name, argv in runs.items():
            cpu, wall = best(argv, args.repeat)
            rows.append((name, cpu, wall))
            print(f"{name:<8}{cpu:8.2f} s CPU{wall:8.2f} s wall", file=sys.stderr, flush=True)
    floor = rows[0][1]
    print(f"{'run':<8}{'CPU s':>8}{'wall s':>8}{'/ floor':>9}")
    for name, cpu, wall in rows:
        print(f"{name:<8}{cpu:8.2f}{wall:8.2f}{cpu / floor:8.2f}x")
    cpu = dict((name, c) for name, c, _ in rows)
    if "pdf" in cpu:
        print(f"the PDF adds {cpu['pdf'] - cpu['no pdf']:.2f} s CPU")


if __name__ == "__main__":
    main()
