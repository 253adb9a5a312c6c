"""The network view at scale: `orient network` on hundreds of companies, in one run.

    python benchmarks/network.py [--companies 300] [--out benchmarks/out/network]

Builds one real summary.json (``orient.report.summarise`` of a synthetic company, no
notebooks), then writes ``--companies`` copies with the headline numbers varied (the
satisfaction index, its interval, NPS, the change since the last wave, the first items
to improve) and a batch.json with a few failed companies, as ``orient batch`` leaves
them; then times reading the summaries, the numbers (tidy table, leagues, percentiles,
priorities, movers) and writing network.html, network.parquet and network.csv.

Measured 2026-12-07 on a shared 2-core machine (load average 5-6 from other jobs, so
wall seconds are up to twice CPU seconds and vary from run to run):

    --companies 100: 98 with summaries, 1,372 rows; analyse 0.07 s, whole orient
        network 1.68 s; peak memory of the process 302 MB
    --companies 500: 490 with summaries, 6,860 rows; analyse 0.40 s, whole orient
        network 4.37 s; peak memory of the process 338 MB
    (an earlier run at load 3-4 with a test run beside it: 0.15 s / 1.98 s at 100,
    1.00 s / 9.73 s at 500)

The peak memory above is mostly the template's real analysis: ``orient network`` alone
on the same folders, as its own process (``/usr/bin/time``), took 2.2 s and 3.1 s CPU
with a peak of 191 MB and 217 MB at 100 and 500 companies; of that, importing orient
is about 0.8 s CPU. The first network() call of a process is slower than the next
(1.5 s against 0.8 s CPU at 100 companies: loading matplotlib's and babel's data).
Warm, at 500 companies one network() took 1.7 s CPU: the matplotlib SVG figures about
0.6 s, formatting numbers for the tables and sentences (babel, about 14,000 calls)
about 0.45 s, reading and the numbers (analyse) 0.2 s, the rest of the page and the
files 0.4 s. At 100 companies: 0.8 s CPU, half of it (0.4 s) the figures; from 100 to
500 companies the number formatting grew 4.5x, the figures 1.5x.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from orient import load_company, synth
from orient.networkview import analyse, network
from orient.report.summary import summary_json


def _template(tmp: Path) -> dict:
    from orient.report import summary

    synth.make_company(tmp / "template", seed=3, n_respondents=400)
    company = load_company(tmp / "template")
    return json.loads(summary_json(summary.summarise(company)))


def _vary(template: dict, i: int, rng: random.Random) -> dict:
    s = json.loads(json.dumps(template))
    slug = f"company-{i:04d}"
    s["company"].update(slug=slug, name=f"Company {i:04d}")
    sat = (s["stages"].get("satisfaction") or {}).get("headline") or {}
    if sat:
        index, half = rng.gauss(66, 5), rng.uniform(0.6, 3.0)
        sat.update(
            satisfaction_index=index,
            satisfaction_index_ci_low=index - half,
            satisfaction_index_ci_high=index + half,
        )
        if sat.get("nps") is not None:
            nps, half = rng.gauss(5, 12), rng.uniform(3, 9)
            sat.update(nps=nps, nps_ci_low=nps - half, nps_ci_high=nps + half)
        change, half = rng.gauss(0, 2.5), rng.uniform(1, 3)
        sat.update(
            index_change=change,
            index_change_ci_low=change - half,
            index_change_ci_high=change + half,
            index_change_significant=abs(change) > half,
            last_wave="2026",
            previous_wave="2025",
        )
    prio = (s["stages"].get("priorities") or {}).get("headline") or {}
    if prio.get("improve") is not None:
        keys = list((prio.get("labels") or {}).keys()) or list(prio["improve"])
        rng.shuffle(keys)
        prio["improve"] = keys[: rng.randint(0, 4)]
    return s


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--companies", type=int, default=300)
    p.add_argument("--out", default=None, help="keep the reports folder here")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="orient-network-"))
    try:
        t0 = time.perf_counter()
        template = _template(tmp)
        print(f"template summary.json from a real analysis: {time.perf_counter() - t0:.1f} s")
        reports = Path(args.out) if args.out else tmp / "reports"
        rng = random.Random(0)
        batch = []
        for i in range(args.companies):
            s = _vary(template, i, rng)
            slug = s["company"]["slug"]
            failed = i % 50 == 49  # a few companies failed in the batch
            batch.append(
                {
                    "company": slug,
                    "status": "failed" if failed else "ok",
                    "error": "KeyError: 'overall'" if failed else None,
                }
            )
            if not failed:
                (reports / slug).mkdir(parents=True, exist_ok=True)
                (reports / slug / "summary.json").write_text(json.dumps(s), encoding="utf-8")
        (reports / "batch.json").write_text(json.dumps({"companies": batch}), encoding="utf-8")
        t1 = time.perf_counter()
        result = analyse(reports)
        t2 = time.perf_counter()
        network(reports)
        t3 = time.perf_counter()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        sizes = {
            f: (reports / f).stat().st_size / 1024
            for f in ("network.html", "network.parquet", "network.csv")
        }
        print(
            f"{args.companies} companies ({len(result.summaries)} with summaries, "
            f"{len(result.missing)} missing), {len(result.table)} rows in the tidy table"
        )
        print(f"read + numbers (analyse):        {t2 - t1:6.2f} s")
        print(f"whole orient network (+ files):  {t3 - t2:6.2f} s")
        print(f"peak memory of this process:     {peak:6.0f} MB")
        print("files: " + ", ".join(f"{k} {v:,.0f} KB" for k, v in sizes.items()))
    finally:
        if args.out is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
