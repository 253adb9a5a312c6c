"""Loading a large survey: 1,000,000 respondents x 20 attributes (own and competitor).

Writes a synthetic CSV export (ratings as numbers, with some "Don't know" text), then
loads it with orient.load_company in a fresh process and reports wall time and peak
memory (ru_maxrss) beside plain pandas.read_csv of the same file, the floor.

    .venv/bin/python benchmarks/load.py [--n 1000000] [--attributes 20]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml


def write_company(folder: Path, n: int, k: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    cols = {
        "respondent_id": np.char.add("R", np.arange(n).astype(str)),
        "wave": rng.choice(["2025", "2026"], n),
        "segment": rng.choice(["A", "B", "C"], n),
        "weight": np.round(rng.uniform(0.5, 1.5, n), 3),
        "overall": rng.integers(1, 11, n),
        "recommend": rng.integers(0, 11, n),
    }
    attrs = {}
    for j in range(k):
        own = rng.integers(1, 11, n).astype(object)
        own[rng.random(n) < 0.01] = "Don't know"
        cols[f"a{j}"] = own
        cols[f"c{j}"] = rng.integers(1, 11, n)
        attrs[f"a{j}"] = {"label": f"Attribute {j}", "own": f"a{j}", "competitor": f"c{j}"}
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(cols).to_csv(folder / "survey.csv", index=False)
    profile = {
        "name": "Big",
        "survey": {
            "id": "respondent_id",
            "wave": "wave",
            "segment": "segment",
            "weight": "weight",
            "scale": {"min": 1, "max": 10},
            "overall": "overall",
            "loyalty": {"recommend": "recommend"},
            "attributes": attrs,
        },
    }
    (folder / "company.yaml").write_text(yaml.safe_dump(profile, sort_keys=False))


CHILD = """
import resource, sys, time, json
t = time.perf_counter()
if sys.argv[1] == "orient":
    import orient
    c = orient.load_company(sys.argv[2]); rows = len(c.survey)
else:
    import pandas as pd
    rows = len(pd.read_csv(sys.argv[2] + "/survey.csv", low_memory=False))
print(json.dumps({"seconds": time.perf_counter() - t, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(which: str, folder: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, which, str(folder)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--attributes", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "big"
        t = time.perf_counter()
        write_company(folder, args.n, args.attributes)
        size = (folder / "survey.csv").stat().st_size / 1e6
        print(
            f"wrote {args.n:,} x {args.attributes} attributes ({size:.0f} MB) "
            f"in {time.perf_counter() - t:.1f} s"
        )
        floor = measure("pandas", folder)
        ours = measure("orient", folder)
    print(f"{'reader':<28}{'seconds':>10}{'peak MB':>10}")
    print(f"{'pandas.read_csv (floor)':<28}{floor['seconds']:>10.2f}{floor['peak_mb']:>10.0f}")
    print(f"{'orient.load_company':<28}{ours['seconds']:>10.2f}{ours['peak_mb']:>10.0f}")
    print(
        f"ratio orient / pandas: {ours['seconds'] / floor['seconds']:.2f}x time, "
        f"{ours['peak_mb'] / floor['peak_mb']:.2f}x memory; goal < 10 s and < 2048 MB"
    )


if __name__ == "__main__":
    main()
