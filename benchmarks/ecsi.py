"""orient's PLS path model against SmartPLS on the ECSI mobile-phone survey.

Fits the full ECSI model (Tenenhaus et al. 2005; 250 respondents, 7 constructs, 24
items) with each inner weighting scheme and prints, path by path, SmartPLS 2.0.M3's
published coefficient beside orient's, then the largest differences in outer weights,
loadings and total effects, and the fit time. When the Python peers are installed
(``openpls-engine``, a maintained GPL fork of ``plspm``; ``plspm`` 0.5.7) it runs them
on the same model and reports their agreement and time as a ratio to orient's.

    .venv/bin/python benchmarks/ecsi.py [--data ../shared/data/real/ecsi-mobi] [--repeat 20]

The data are read from the shared folder and never copied into the repository.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from orient.satisfaction import pls_path_model

SCHEMES = {"path": "pathWeighting", "centroid": "centroid", "factorial": "factorial"}
_ROOT = Path(__file__).resolve().parents[1]
#: the shared folder sits beside the repository (or beside its worktrees' parent)
DEFAULT = next(
    (
        p
        for p in (
            _ROOT.parent / "shared" / "data" / "real" / "ecsi-mobi",
            _ROOT.parent.parent / "shared" / "data" / "real" / "ecsi-mobi",
        )
        if p.is_dir()
    ),
    _ROOT.parent / "shared" / "data" / "real" / "ecsi-mobi",
)


def load(folder: Path):
    mobi = pd.read_csv(folder / "mobi.csv", index_col=0)
    ref = folder / "smartpls-reference"
    meas = pd.read_csv(ref / "ECSImeasuremod.csv")
    struc = pd.read_csv(ref / "ECSIstrucmod.csv")
    blocks = {c: list(meas.loc[meas.source == c, "target"]) for c in dict.fromkeys(meas.source)}
    return mobi, blocks, list(zip(struc.source, struc.target, strict=True))


def smartpls(folder: Path, scheme: str, name: str) -> pd.DataFrame:
    f = folder / "smartpls-reference" / SCHEMES[scheme] / f"{name}.txt"
    return pd.read_csv(f, sep=r"\s+", decimal=",")


def timed(fn, repeat: int) -> tuple[object, float]:
    best = float("inf")
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return out, best


def peer(module: str, mobi, blocks, paths, scheme: str):
    """Fit with plspm or its fork openpls (same API); returns {(from, to): coef}."""
    import importlib

    cfg_m = importlib.import_module(f"{module}.config")
    Plspm = importlib.import_module(f"{module}.plspm").Plspm
    Scheme = importlib.import_module(f"{module}.scheme").Scheme
    Mode = importlib.import_module(f"{module}.mode").Mode
    names = list(blocks)
    sm = pd.DataFrame(0, index=names, columns=names)
    for a, b in paths:
        sm.loc[b, a] = 1
    cfg = cfg_m.Config(sm, scaled=True)
    for k, items in blocks.items():
        cfg.add_lv(k, Mode.A, *[cfg_m.MV(x) for x in items])
    res = Plspm(mobi, cfg, getattr(Scheme, scheme.upper()))
    pc = res.path_coefficients()
    return {(a, b): float(pc.loc[b, a]) for a, b in paths}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    if not (args.data / "mobi.csv").exists():
        raise SystemExit(f"ECSI data not found in {args.data}")
    mobi, blocks, paths = load(args.data)

    summary = []
    for scheme in SCHEMES:
        res, t_orient = timed(
            lambda s=scheme: pls_path_model(mobi, blocks, paths, scheme=s), args.repeat
        )
        ref = smartpls(args.data, scheme, "pathCoefficients")
        print(f"\n{scheme} weighting scheme: path coefficients")
        print(f"{'path':32s} {'SmartPLS':>10s} {'orient':>10s} {'difference':>11s}")
        diffs = []
        for _, r in res.paths.iterrows():
            want = ref.loc[r["from"], r["to"]]
            diffs.append(r.coefficient - want)
            print(
                f"{r['from'] + ' -> ' + r['to']:32s} {want:10.5f} {r.coefficient:10.5f} "
                f"{r.coefficient - want:11.1e}"
            )
        ow = smartpls(args.data, scheme, "outerWeights")
        cl = smartpls(args.data, scheme, "crossLoadings")
        te = smartpls(args.data, scheme, "totalEffects")
        dw = max(
            abs(r.weight - ow.loc[r["item"], r["construct"]]) for _, r in res.weights.iterrows()
        )
        dl = max(
            abs(r.loading - cl.loc[r["item"], r["construct"]]) for _, r in res.loadings.iterrows()
        )
        dt = max(
            abs(r.effect - te.loc[r["from"], r["to"]]) for _, r in res.total_effects.iterrows()
        )
        row = {
            "scheme": scheme,
            "max |diff| paths": max(map(abs, diffs)),
            "weights": dw,
            "loadings": dl,
            "total effects": dt,
            "matches to 4 dp": bool(max(map(abs, diffs)) < 5e-5),
            "orient ms": 1000 * t_orient,
        }
        for module, label in (("openpls", "openpls-engine"), ("plspm", "plspm 0.5.7")):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    got, t_peer = timed(
                        lambda m=module, s=scheme: peer(m, mobi, blocks, paths, s),
                        max(1, args.repeat // 4),
                    )
                d = max(
                    abs(got[(r["from"], r["to"])] - r.coefficient) for _, r in res.paths.iterrows()
                )
                row[f"{label}: max |diff| to orient"] = d
                row[f"{label}: time / orient"] = t_peer / t_orient
            except ImportError:
                row[f"{label}: max |diff| to orient"] = "not installed"
            except Exception as exc:  # noqa: BLE001 - report the peer's failure and go on
                row[f"{label}: max |diff| to orient"] = f"fails ({type(exc).__name__})"
        summary.append(row)

    print(
        "\nSummary (differences against SmartPLS 2.0.M3; times best of "
        f"{args.repeat}, single fit, n = {len(mobi)})"
    )
    table = pd.DataFrame(summary).set_index("scheme").T
    with pd.option_context(
        "display.width",
        160,
        "display.max_colwidth",
        72,
        "display.float_format",
        lambda v: f"{v:.3g}",
    ):
        print(table.to_string())
    _, t_boot = timed(lambda: pls_path_model(mobi, blocks, paths, n_boot=500, seed=1), 1)
    print(f"\nBootstrap, 500 resamples (path scheme): {t_boot:.2f} s")
    np.testing.assert_array_less([r["max |diff| paths"] for r in summary], 5e-5)


if __name__ == "__main__":
    main()
