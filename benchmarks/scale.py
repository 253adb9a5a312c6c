"""How orient grows with respondents: 2k, 20k, 200k and 1M in one run.

    python benchmarks/scale.py [--sizes 2000,20000,200000,1000000] [--stages all]
                               [--business delivery] [--keep DIR] [--threads N]
                               [--report]

For each size it writes one synthetic company (``orient.synth.make_company`` with
``n_respondents``; once, into a temporary folder or ``--keep``), then measures, each in
a fresh process so that peak memory belongs to what is measured:

read_csv
    plain ``pandas.read_csv`` of the same survey.csv, the floor;
read_csv_all
    the same of every CSV file in the folder (load_company also reads the operational
    tables: finance.csv, claims.csv ...), the floor of the whole load;
load_company
    ``orient.load_company`` of the folder (reading, codebook, checks);
<stage>
    ``orient.stages.analyse(company, stage)`` with the bootstrap as company.yaml
    configures it (the time of the analysis alone; the load is not counted).

``--threads 1`` runs each measurement with one BLAS thread: on a machine whose cores
are busy, OpenBLAS's threads wait on each other in the many small products of the
bootstrap (the satisfaction stage at 20,000 respondents took 4.8 s with one thread and
13-37 s with the default, measured on the shared 2-core machine).

Peak memory is the high-water mark (VmHWM) of the measuring process plus ``ru_maxrss``
of the children it waited for (the process tree), in MB. The table prints seconds and peak MB per size and row,
then how each row grows from the smallest size to the largest (the exponent b of
time ~ n^b: 1 is linear).

``--report`` adds a row ``report``: ``orient report --no-pdf`` of each company in a
fresh process, its wall time and the peak of the summed resident memory of its process
tree (the command and its notebook kernel), sampled every 0.2 s.

Measured on the shared 2-core machine (synthetic delivery company, 12 attributes with a
competitor, 34 survey columns; 1M respondents = 105 MB survey.csv, 151 MB in all).
Before the bootstraps were drawn block by block and solved from moments:

    load_company at 1M: 6.3 s and 1,060 MB (before this benchmark's changes 8.9 s and
    1,341 MB) against pandas.read_csv 1.4 s / 806 MB of survey.csv and 1.7 s / 887 MB
    of every CSV: 1.31x (1.19x) the floor in memory, 4.4x (3.6x) in time; it grows
    linearly (n^0.98 from 200k to 1M).
    stages at 200k, default BLAS threads: strategy 12 s, satisfaction 128 s, priorities
    8.7 s (1.2 GB), implementation 2.5 s, service/quality/crm under 0.2 s.
    stages at 1M, one BLAS thread: priorities 46-55 s and 4.9 GB (the bootstrap drew
    100 resamples x n rows at a time), strategy 15 s and implementation 16 s (2.0 GB),
    service 0.3 s; satisfaction did not finish in 200 s (its PLS and chain bootstraps
    refitted every resample on all rows; 119 s at 200k: PLS 65 s, chain 53 s).

After (``--sizes 200000,1000000 --stages all --threads 1``, one run, the machine
shared at a load average of about 5 on its 2 cores, so absolute seconds are inflated
and the 1M load_company took 19.6 s in this run against 6-8 s in quieter ones):

    stage            200k: seconds  peak MB     1M: seconds  peak MB    n^b
    strategy                  3.2      496            13.4     1,276    0.89
    satisfaction             10.2      690            50.6     1,844    1.00
    priorities                6.4      500            39.6     1,269    1.13
    implementation            8.6      501            33.9     1,267    0.85
    service                   0.35     425             0.80    1,094    0.51
    quality, crm             <0.1      425            <0.1     1,094

    (peak MB includes the loaded company: 425 MB at 200k, 1,094 MB at 1M.) Every stage
    grows about linearly; priorities' peak at 1M fell from 4.9 GB to 1.3 GB and its
    bootstrap alone from +3.7 GB to nothing beyond the data (200 resamples of 1M rows x
    12 drivers: 39-43 s before, 13-18 s after); satisfaction at 200k from 119-128 s to
    10 s and at 1M from over 200 s to 51 s.

    The whole report of the 1M company (``orient report --no-pdf``, one BLAS thread,
    load average 4-6): 336 s and 3,082 MB (process tree) with the stages above; 287 s
    with the company fingerprint (the key of every kept stage result) digested 6.5x
    faster and once per outermost call; 227 s and 2,740 MB with the stage notebooks
    reusing the kernel's load of the company (248 s and 2,883 MB at a load average of
    6-7 with main's version of that reuse, which keeps deep copies). The report of the 2,000-respondent
    company takes 100 s and 639 MB in the same conditions (kernel start, notebooks,
    figures): most of the report's time at 1M is the analyses, about 130 s.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZES = (2_000, 20_000, 200_000, 1_000_000)

CHILD = r"""
import json, resource, sys, time, warnings
warnings.simplefilter("ignore")
what, folder = sys.argv[1], sys.argv[2]
def peak():
    # VmHWM: this process's own high-water mark (ru_maxrss survives exec on Linux and
    # would carry the parent's); the children it waited for by ru_maxrss
    with open("/proc/self/status") as f:
        own = next(int(line.split()[1]) for line in f if line.startswith("VmHWM"))
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024
if what in ("read_csv", "read_csv_all"):
    import glob
    import pandas as pd
    files = sorted(glob.glob(folder + "/*.csv")) if what == "read_csv_all" else [folder + "/survey.csv"]
    t = time.perf_counter()
    frames = [pd.read_csv(f, low_memory=False) for f in files]
    rows = len(frames[-1] if what == "read_csv" else frames[files.index(folder + "/survey.csv")])
else:
    import orient
    t = time.perf_counter()
    company = orient.load_company(folder)
    rows = len(company.survey)
    if what != "load_company":
        from orient import stages
        t = time.perf_counter()
        stages.analyse(company, what)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows, "peak_mb": peak()}))
"""


def measure(what: str, folder: Path, timeout: float, threads: int | None = None) -> dict:
    """One measurement in a fresh interpreter; ``error`` on failure or timeout."""
    env = dict(os.environ)
    if threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(threads)
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD, what, str(folder)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:60]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _tree_rss_mb(root: int) -> float:
    """Resident memory of process ``root`` and all its descendants now, in MB (Linux)."""
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(d))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as f:
                total += next((int(x.split()[1]) for x in f if x.startswith("VmRSS")), 0)
        except OSError:
            pass
        stack += kids.get(pid, [])
    return total / 1024


def measure_report(_: str, folder: Path, timeout: float, threads: int | None = None) -> dict:
    """``orient report --no-pdf`` of ``folder``: wall seconds (process start to end) and
    the peak of the summed resident memory of its process tree (the command, its kernel
    and any helper), sampled every 0.2 s."""
    env = dict(os.environ)
    if threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(threads)
    with tempfile.TemporaryDirectory() as out, tempfile.TemporaryFile() as err:
        cmd = [sys.executable, "-m", "orient.cli", "report", str(folder), "-o", out, "--no-pdf"]
        t = time.perf_counter()
        proc = subprocess.Popen([*cmd, "-q"], stdout=subprocess.DEVNULL, stderr=err, env=env)
        peak = 0.0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_mb(proc.pid))
            if time.perf_counter() - t > timeout:
                proc.kill()
                proc.wait()
                return {"error": f"> {timeout:.0f} s"}
            time.sleep(0.2)
        seconds = time.perf_counter() - t
        if proc.returncode != 0:
            err.seek(0)
            last = err.read().decode(errors="replace").strip().splitlines() or ["failed"]
            return {"error": last[-1][:60]}
    return {"seconds": seconds, "rows": None, "peak_mb": peak}


def write(folder: Path, n: int, business: str) -> float:
    from orient import synth

    if (folder / "company.yaml").exists():
        return 0.0
    t = time.perf_counter()
    synth.make_company(folder, seed=0, n_respondents=n, business=business)
    return time.perf_counter() - t


def cell(m: dict) -> str:
    if "error" in m:
        return f"{m['error']:>20}"
    return f"{m['seconds']:>10.2f}{m['peak_mb']:>10.0f}"


def growth(rows: dict[int, dict]) -> str:
    """The exponent b of seconds ~ n^b between the smallest and largest size measured."""
    ok = {n: m for n, m in rows.items() if "error" not in m and m["seconds"] > 0}
    if len(ok) < 2:
        return ""
    lo, hi = min(ok), max(ok)
    b = math.log(ok[hi]["seconds"] / ok[lo]["seconds"]) / math.log(hi / lo)
    return f"{b:>8.2f}"


def main(argv: list[str] | None = None) -> None:
    from orient.stages import STAGES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    ap.add_argument("--stages", default="all", help="comma-separated, 'all' or 'none'")
    ap.add_argument("--business", default="delivery")
    ap.add_argument("--keep", type=Path, help="write the companies here and keep them")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per measurement")
    ap.add_argument(
        "--report",
        action="store_true",
        help="also time 'orient report --no-pdf' of each company (wall time, peak memory "
        "of the process tree)",
    )
    ap.add_argument(
        "--threads",
        type=int,
        help="BLAS threads of each measurement (OPENBLAS/OMP/MKL_NUM_THREADS); on a shared "
        "machine 1 avoids threads waiting on each other (default: as the environment says)",
    )
    args = ap.parse_args(argv)
    sizes = [int(float(s)) for s in args.sizes.split(",") if s]
    chosen = {"all": list(STAGES), "none": []}.get(args.stages)
    chosen = chosen if chosen is not None else [s for s in args.stages.split(",") if s]
    what = ["read_csv", "read_csv_all", "load_company", *chosen]
    if args.report:
        what.append("report")

    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        results: dict[str, dict[int, dict]] = {w: {} for w in what}
        for n in sizes:
            folder = root / f"{args.business}-{n}"
            took = write(folder, n, args.business)
            mb = (folder / "survey.csv").stat().st_size / 1e6
            print(f"{n:>9,} respondents: survey.csv {mb:.0f} MB (written in {took:.1f} s)")
            for w in what:
                run = measure_report if w == "report" else measure
                results[w][n] = m = run(w, folder, args.timeout, args.threads)
                print(f"    {w:<16}{cell(m)}", flush=True)

    head = "".join(f"{f'{n:,}':>20}" for n in sizes)
    print(f"\n{'':<16}{head}{'growth':>8}")
    print(f"{'':<16}" + f"{'seconds':>10}{'peak MB':>10}" * len(sizes) + f"{'n^b':>8}")
    for w in what:
        line = "".join(cell(results[w][n]) for n in sizes)
        print(f"{w:<16}{line}{growth(results[w])}")
    load = results["load_company"]
    for base in ("read_csv", "read_csv_all"):
        floor = results[base]
        for n in sizes:
            if "error" not in load[n] and "error" not in floor[n]:
                print(
                    f"load_company / {base} at {n:,}: "
                    f"{load[n]['seconds'] / floor[n]['seconds']:.2f}x time, "
                    f"{load[n]['peak_mb'] / floor[n]['peak_mb']:.2f}x peak memory"
                )


if __name__ == "__main__":
    main()
