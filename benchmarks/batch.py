"""Batch reports: `orient batch` against the naive loop and the floor, in one run.

    python benchmarks/batch.py [--companies 20] [--workers 2] [--out benchmarks/out/batch]

Writes ``--companies`` sample-style synthetic companies (orient.synth.make_company,
the five businesses in turn), then times, on the same machine in the same run:

naive
    What an analyst scripts by hand: per company and per stage notebook, the
    ``papermill`` command line, then ``jupyter nbconvert --to html --no-input``;
    serial; and the headline numbers through ``python -c`` per company.
orient batch
    ``orient.batch.run(..., force=True)``: a fresh kernel per company, forked from a
    warm template and shared by its notebooks; headline numbers computed once; an
    in-process HTML exporter; a process pool. HTML and summary.json (like for like
    with the naive loop), and again with the PDF, which the naive loop does not make.
floor
    The same analysis as plain function calls, no notebooks: ``load_company`` and
    ``orient.report.summarise`` per company, serial, in this process.

and checks that every summary.json is identical between the three.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orient
from orient import batch, report, synth

BUSINESSES = ("steel", "delivery", "insurance", "cars", "software")
BIN = Path(sys.executable).parent
SUMMARY_CMD = (
    "import sys, orient; from orient import report; "
    "sys.stdout.write(report.summary_json(report.summarise("
    "orient.load_company(sys.argv[1]))))"
)


def make_companies(root: Path, n: int) -> list[Path]:
    if root.exists():
        shutil.rmtree(root)
    folders = []
    for i in range(n):
        folder = root / f"company-{i:02d}"
        synth.make_company(
            folder, seed=100 + i, business=BUSINESSES[i % len(BUSINESSES)], slug=f"company-{i:02d}"
        )
        folders.append(folder)
    return folders


def naive(companies: list[Path], out: Path) -> float:
    notebooks = report.stage_notebooks()
    start = time.perf_counter()
    for folder in companies:
        target = out / folder.name
        target.mkdir(parents=True, exist_ok=True)
        for stem, _, path in notebooks:
            executed = target / f"{stem}.ipynb"
            subprocess.run(
                [
                    str(BIN / "papermill"),
                    "--log-level",
                    "ERROR",
                    str(path),
                    str(executed),
                    "-p",
                    "company_dir",
                    str(folder.resolve()),
                ],
                check=True,
                capture_output=True,
            )
            subprocess.run(
                [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                check=True,
                capture_output=True,
            )
        summary = subprocess.run(
            [sys.executable, "-c", SUMMARY_CMD, str(folder.resolve())],
            check=True,
            capture_output=True,
        ).stdout
        (target / "summary.json").write_bytes(summary)
    return time.perf_counter() - start


def orient_batch(companies_dir: Path, out: Path, workers: int | None, pdf: bool) -> float:
    start = time.perf_counter()
    frame = batch.run(companies_dir, out, workers=workers, force=True, progress=False, pdf=pdf)
    seconds = time.perf_counter() - start
    failed = frame[frame["status"] != "ok"]
    if len(failed):
        raise SystemExit(f"orient batch failed:\n{failed.to_string()}")
    return seconds


def floor(companies: list[Path], out: Path) -> float:
    start = time.perf_counter()
    for folder in companies:
        text = report.summary_json(report.summarise(orient.load_company(folder)))
        target = out / folder.name
        target.mkdir(parents=True, exist_ok=True)
        (target / "summary.json").write_text(text, encoding="utf-8")
    return time.perf_counter() - start


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--companies", type=int, default=20)
    p.add_argument("--workers", type=int, default=None, help="orient batch processes")
    p.add_argument("--out", default="benchmarks/out/batch")
    p.add_argument("--skip-naive", action="store_true", help="only orient batch and the floor")
    args = p.parse_args(argv)

    root = Path(args.out)
    companies_dir = root / "companies"
    print(f"writing {args.companies} sample-style companies ...", flush=True)
    companies = make_companies(companies_dir, args.companies)
    n_nb = len(report.stage_notebooks())
    for sub in ("naive", "orient", "orient-nopdf", "floor"):
        shutil.rmtree(root / sub, ignore_errors=True)

    rows = []
    t_floor = floor(companies, root / "floor")
    rows.append(("floor: plain function calls, serial", t_floor))
    t_nopdf = orient_batch(companies_dir, root / "orient-nopdf", args.workers, pdf=False)
    rows.append(("orient batch, HTML + summary (no PDF)", t_nopdf))
    t_orient = orient_batch(companies_dir, root / "orient", args.workers, pdf=True)
    rows.append(("orient batch, HTML + PDF + summary", t_orient))
    t_naive = None
    if not args.skip_naive:
        print("naive loop (papermill CLI + nbconvert CLI per notebook, serial) ...", flush=True)
        t_naive = naive(companies, root / "naive")
        rows.append(("naive: papermill + nbconvert CLIs, serial", t_naive))

    # identical headline numbers everywhere
    mismatches = []
    for folder in companies:
        ref = (root / "floor" / folder.name / "summary.json").read_bytes()
        for sub in ("orient", "orient-nopdf") + (() if args.skip_naive else ("naive",)):
            if (root / sub / folder.name / "summary.json").read_bytes() != ref:
                mismatches.append(f"{sub}/{folder.name}")

    cores = os.cpu_count()
    print(
        f"\n{args.companies} companies x {n_nb} notebooks, {cores} cores, "
        f"orient {orient.__version__}"
    )
    print(f"{'method':<45} {'seconds':>9} {'per company':>12} {'naive / this':>13}")
    for name, seconds in rows:
        ratio = f"{t_naive / seconds:12.1f}x" if t_naive else f"{'-':>13}"
        print(f"{name:<45} {seconds:9.1f} {seconds / args.companies:12.2f} {ratio}")
    print(
        f"\nsummary.json identical across methods: {'yes' if not mismatches else 'NO'}"
        + (f" (differ: {', '.join(mismatches)})" if mismatches else "")
    )
    result = {
        "companies": args.companies,
        "notebooks": n_nb,
        "cores": cores,
        "seconds": {name: round(s, 2) for name, s in rows},
        # like for like (the naive loop makes HTML and summary.json, no PDF)...
        "ratio_naive_over_orient": round(t_naive / t_nopdf, 2) if t_naive else None,
        # ...and with orient also printing every PDF
        "ratio_naive_over_orient_with_pdf": round(t_naive / t_orient, 2) if t_naive else None,
        "summaries_identical": not mismatches,
    }
    (root / "result.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if not mismatches else 1


if __name__ == "__main__":
    sys.exit(main())
