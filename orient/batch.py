"""Many companies: build every company folder's report, in parallel.

:func:`run` is what ``orient batch DIR -o OUT`` calls. Each company folder under
``DIR`` (a folder with a ``company.yaml``) becomes ``OUT/<slug>/`` through
:func:`orient.report.build`, in a pool of local processes by default or on an
existing Dask cluster when given a scheduler address; both go through the same
``concurrent.futures`` executor interface, so the code path is one. Each company
runs in its own fresh kernel (see :mod:`orient.report`); a local worker forks those
kernels from a template process it keeps, with the scientific stack already imported
(:mod:`orient.report.forkkernel`), which saves about 2.5 s per company. Dask workers start
kernels the usual way.

One company's failure is captured (the notebook, the cell, the error) and the rest
go on; ``OUT/batch.json`` lists every outcome. A company whose inputs, notebooks and
orient code are unchanged since its last successful build is skipped unless
``force=True``.

On Dask, the workers must see the same file system paths as the client (a shared
folder) and be able to import orient; start them with ``--nthreads 1`` so that one
worker builds one company at a time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import sys
import time
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import pandas as pd

from orient.errors import DataError, ReportError

__all__ = ["run", "find_companies", "inputs_hash", "build_one", "OUTCOME_COLUMNS"]

log = logging.getLogger("orient")

#: columns of the DataFrame :func:`run` returns
OUTCOME_COLUMNS = (
    "company",
    "company_dir",
    "status",
    "seconds",
    "report",
    "notebook",
    "cell",
    "error",
)
STAMP = ".orient-inputs"  # in OUT/<slug>/: the inputs hash of the last successful build
_PACKAGE = Path(__file__).resolve().parent
_PACKAGE_SUFFIXES = {".py", ".j2", ".css", ".yaml", ".json"}


def find_companies(companies_dir: str | os.PathLike) -> list[Path]:
    """Every folder directly under ``companies_dir`` holding a ``company.yaml``, sorted."""
    root = Path(companies_dir)
    if not root.is_dir():
        raise DataError(
            "the companies folder does not exist" if not root.exists() else "not a folder",
            file=str(root),
            expected="a folder holding one sub-folder per company, each with a company.yaml",
        )
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / "company.yaml").is_file())


def _hash_tree(h, root: Path, files) -> None:
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")


def inputs_hash(
    company_dir: str | os.PathLike, notebooks_dir: str | os.PathLike | None = None
) -> str:
    """SHA-256 over the company's files, the stage notebooks and orient's version and code.

    Any change to a data file, company.yaml, a notebook, a template or orient itself
    changes the hash, so an unchanged company can safely be skipped.
    """
    from orient import __version__
    from orient.report.builder import stage_notebooks

    h = hashlib.sha256()
    h.update(f"orient {__version__}\0".encode())
    _hash_tree(
        h,
        _PACKAGE,
        [
            p
            for p in _PACKAGE.rglob("*")
            if p.is_file() and p.suffix in _PACKAGE_SUFFIXES and "__pycache__" not in p.parts
        ],
    )
    company = Path(company_dir)
    h.update(b"company\0")
    _hash_tree(h, company, [p for p in company.rglob("*") if p.is_file()])
    h.update(b"notebooks\0")
    for stem, _, path in stage_notebooks(notebooks_dir):
        h.update(stem.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _slug_of(company_dir: Path) -> str:
    from orient.data.company import load_profile, slugify

    profile = load_profile(company_dir)
    return profile.slug or slugify(company_dir.name)


def _unchanged(target: Path, digest: str) -> bool:
    stamp = target / STAMP
    return (
        stamp.is_file()
        and (target / "report.html").is_file()
        and (target / "summary.json").is_file()
        and stamp.read_text(encoding="utf-8").strip() == digest
    )


def _skip_outcome(folder: Path, out_dir: str, options: Mapping[str, Any]) -> dict | None:
    """The ``skipped`` outcome when the company is unchanged since its last build, else None."""
    try:
        slug = _slug_of(folder)
        target = Path(out_dir) / slug
        if target.is_symlink() or not target.is_dir():
            return None
        if not _unchanged(target, inputs_hash(folder, options.get("notebooks_dir"))):
            return None
    except Exception:  # let the worker build it and report the problem properly
        return None
    return {
        "company": slug,
        "company_dir": str(folder),
        "status": "skipped",
        "seconds": 0.0,
        "report": str(target / "report.html"),
        "notebook": None,
        "cell": None,
        "error": None,
    }


def build_one(
    company_dir: str, out_dir: str, force: bool = False, options: Mapping[str, Any] | None = None
) -> dict:
    """Build one company in this process and return its outcome (never raises).

    Returns
    -------
    dict
        ``company`` (slug, or the folder name when the profile cannot be read),
        ``company_dir``, ``status`` (``ok``, ``skipped`` or ``failed``), ``seconds``,
        ``report`` (path of report.html or None), ``notebook``, ``cell`` and ``error``
        (where a failure happened and what it was; None when ok).
    """
    from orient.report.builder import _atomic_write, _remove_file, build, safe_output_dir

    options = dict(options or {})
    start = time.perf_counter()
    folder = Path(company_dir)
    outcome = {
        "company": folder.name,
        "company_dir": str(folder),
        "status": "failed",
        "seconds": 0.0,
        "report": None,
        "notebook": None,
        "cell": None,
        "error": None,
    }
    try:
        slug = _slug_of(folder)
        outcome["company"] = slug
        target = safe_output_dir(out_dir, slug)
        digest = inputs_hash(folder, options.get("notebooks_dir"))
        stamp = target / STAMP
        if not force and _unchanged(target, digest):
            outcome.update(status="skipped", report=str(target / "report.html"))
            return outcome
        _remove_file(stamp)
        path = build(folder, out_dir, **options)
        _atomic_write(stamp, digest + "\n")
        outcome.update(status="ok", report=str(path))
    except ReportError as exc:
        outcome.update(notebook=exc.notebook, cell=exc.cell, error=exc.error or str(exc))
    except DataError as exc:
        outcome.update(error=str(exc))
    except Exception as exc:  # one company's failure never stops the batch
        outcome.update(error=f"{type(exc).__name__}: {exc}")
    finally:
        outcome["seconds"] = round(time.perf_counter() - start, 3)
    return outcome


def _executor(workers: int | None, scheduler: str | None, n: int) -> tuple[Executor, Any]:
    if scheduler is not None:
        from distributed import Client

        client = Client(scheduler)
        return client.get_executor(pure=False), client
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ValueError(f"`workers` must be a positive integer or None; got {workers!r}.")
    workers = workers or max(1, min(n, os.cpu_count() or 1))
    return ProcessPoolExecutor(max_workers=workers, mp_context=_mp_context()), None


def _mp_context():
    """Workers start clean: no threads, event loops or kernels inherited from the caller.

    On POSIX a fork server with orient already imported starts each worker in a few
    milliseconds (and stays up for later runs in the same process); elsewhere, spawn.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["orient.batch", "orient.report", "orient"])
        return ctx
    return multiprocessing.get_context("spawn")


def run(
    companies_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    workers: int | None = None,
    scheduler: str | None = None,
    *,
    force: bool = False,
    progress: bool = True,
    **options: Any,
) -> pd.DataFrame:
    """Build the report of every company folder under ``companies_dir``.

    Parameters
    ----------
    companies_dir : path
        A folder of company folders (each with a ``company.yaml``).
    out_dir : path
        Where each ``<slug>/`` folder and ``batch.json`` go.
    workers : int, optional
        Local worker processes (default: the number of cores, at most one per company).
        Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://HOST:8786``): the companies run
        on its workers instead of local processes.
    force : bool
        Rebuild companies whose inputs are unchanged since their last build.
    progress : bool
        Show a tqdm progress bar (on stderr) with each company's status.
    **options
        Passed to :func:`orient.report.build` (``notebooks_dir``, ``pdf``, ``timeout``...).

    Returns
    -------
    pandas.DataFrame
        One row per company, sorted by ``company``: ``company`` (slug), ``company_dir``,
        ``status`` (``ok``, ``skipped`` or ``failed``), ``seconds``, ``report`` (path of
        report.html), ``notebook``, ``cell``, ``error`` (where and why it failed).
    """
    from tqdm.auto import tqdm

    from orient import __version__
    from orient.report.builder import _atomic_write

    companies = find_companies(companies_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    out_abs = str(out.resolve())
    outcomes: list[dict] = []
    todo = []
    for folder in companies:  # unchanged companies are skipped here, without a worker
        skipped = None if force else _skip_outcome(folder.resolve(), out_abs, options)
        if skipped is not None:
            outcomes.append(skipped)
        else:
            todo.append(folder)
    if outcomes:
        log.info("%d unchanged companies skipped", len(outcomes))
    if todo:
        if scheduler is None:
            # each local worker keeps a kernel template and forks its companies' kernels
            # from it (orient.report.forkkernel): a worker builds many companies in turn
            options.setdefault("fork_kernels", True)
        executor, client = _executor(workers, scheduler, len(todo))
        try:
            with (
                executor,
                tqdm(
                    total=len(companies),
                    initial=len(outcomes),
                    desc="orient batch",
                    unit="company",
                    disable=not progress,
                    file=sys.stderr,
                ) as bar,
            ):
                futures = {
                    executor.submit(build_one, str(c.resolve()), out_abs, True, options): c
                    for c in todo
                }
                for future in as_completed(futures):
                    folder = futures[future]
                    try:
                        outcome = future.result()
                    except Exception as exc:  # the worker itself died
                        outcome = {
                            "company": folder.name,
                            "company_dir": str(folder.resolve()),
                            "status": "failed",
                            "seconds": None,
                            "report": None,
                            "notebook": None,
                            "cell": None,
                            "error": f"worker failed: {type(exc).__name__}: {exc}",
                        }
                    outcomes.append(outcome)
                    bar.set_postfix_str(f"{outcome['company']}: {outcome['status']}")
                    bar.update(1)
        finally:
            if client is not None:
                client.close()
    frame = pd.DataFrame(outcomes, columns=list(OUTCOME_COLUMNS))
    frame = frame.sort_values("company", kind="stable").reset_index(drop=True)
    records = [
        {k: (None if pd.isna(v) else v) if not isinstance(v, str) else v for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    counts = {s: int((frame["status"] == s).sum()) for s in ("ok", "skipped", "failed")}
    batch = {
        "orient_version": __version__,
        "companies_dir": str(Path(companies_dir).resolve()),
        "out_dir": out_abs,
        "scheduler": scheduler,
        "counts": counts,
        "companies": records,
    }
    _atomic_write(
        out / "batch.json", json.dumps(batch, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    return frame
