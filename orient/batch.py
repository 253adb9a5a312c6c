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


_CHUNK = 1 << 20


def _hash_file(h, path: Path) -> None:
    """Feed ``path`` to ``h`` in 1 MiB chunks (a large file never sits in memory)."""
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)


def _hash_tree(h, root: Path, files) -> None:
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        _hash_file(h, path)
        h.update(b"\0")


def named_files(company_dir: str | os.PathLike) -> list[Path]:
    """The files of a company folder that a report reads: company.yaml and the files it
    names (the survey, each table or its default ``<name>.csv``, lookup tables).

    Database URLs and files that do not exist are left out (the build says so); other
    files in the folder are never read.
    """
    from orient.data.company import load_profile
    from orient.data.read import is_url
    from orient.data.tables import TABLES

    folder = Path(company_dir)
    profile = load_profile(folder)
    names = ["company.yaml"]
    if profile.survey is not None:
        names.append(profile.survey.file)
    for name in TABLES:
        ref = getattr(profile.tables, name)
        if ref is None or isinstance(ref, str):
            names.append(ref or f"{name}.csv")
            continue
        names.append(ref.file)
        join = getattr(ref, "join", None)
        for spec in join if isinstance(join, list) else ([join] if join else []):
            names.append(spec.file)
    paths = []
    for name in names:
        if not name or is_url(name):
            continue
        path = folder / name
        if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
            paths.append(path)
    return sorted(set(paths))


def inputs_hash(
    company_dir: str | os.PathLike,
    notebooks_dir: str | os.PathLike | None = None,
    settings: Mapping[str, Any] | None = None,
) -> str:
    """SHA-256 over the company's files, the stage notebooks and orient's version and code.

    The company's files are company.yaml and the files it names (:func:`named_files`),
    read in chunks; other files in the folder do not count. Any change to a data file,
    company.yaml, a notebook, a template or orient itself
    changes the hash, so an unchanged company can safely be skipped; so do the
    ``settings`` (``--set``) the report is built with.
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
    _hash_tree(h, company, named_files(company))
    if settings:
        h.update(b"settings\0" + json.dumps(dict(settings), sort_keys=True, default=str).encode())
    h.update(b"notebooks\0")
    for stem, _, path in stage_notebooks(notebooks_dir):
        h.update(stem.encode() + b"\0")
        _hash_file(h, path)
        h.update(b"\0")
    return h.hexdigest()


def _slug_of(company_dir: Path, settings: Mapping[str, Any] | None = None) -> str:
    from orient.data.company import load_profile, slugify

    profile = load_profile(company_dir, settings or {})
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
        slug = _slug_of(folder, options.get("settings"))
        target = Path(out_dir) / slug
        if target.is_symlink() or not target.is_dir():
            return None
        digest = inputs_hash(folder, options.get("notebooks_dir"), options.get("settings"))
        if not _unchanged(target, digest):
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
    from orient.report.builder import build_company, safe_output_dir

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
        slug = _slug_of(folder, options.get("settings"))
        outcome["company"] = slug
        target = safe_output_dir(out_dir, slug, create=False)
        digest = inputs_hash(folder, options.get("notebooks_dir"), options.get("settings"))
        if not force and _unchanged(target, digest):
            outcome.update(status="skipped", report=str(target / "report.html"))
            return outcome
        # the stamp goes into the new folder with the report, swapped in together
        result = build_company(folder, out_dir, inputs_stamp=digest, **options)
        outcome.update(status="ok", report=str(result.html))
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
        if "dashboard" in client.scheduler_info().get("services", {}):
            log.info("Dask dashboard: %s", client.dashboard_link)
        return client.get_executor(pure=False), client
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise ValueError(f"`workers` must be a positive integer or None; got {workers!r}.")
    workers = workers or max(1, min(n, os.cpu_count() or 1))
    return (
        ProcessPoolExecutor(
            max_workers=workers, mp_context=_mp_context(), initializer=_worker_init
        ),
        None,
    )


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


#: how many times a company whose worker died (killed, out of memory) is run again
WORKER_RETRIES = 1


def _check_slugs(companies: list[Path], settings: Mapping[str, Any] | None = None) -> None:
    """Refuse two companies whose output folders would be one (the same slug up to case)."""
    seen: dict[str, Path] = {}
    for folder in companies:
        try:
            slug = _slug_of(folder, settings)
        except Exception:  # the worker reports an unreadable profile properly
            continue
        other = seen.setdefault(slug.casefold(), folder)
        if other is not folder:
            raise DataError(
                f"two companies would write to one output folder ({_slug_of(other, settings)!r} "
                f"from {other.name}, {slug!r} from {folder.name}; names differing in case "
                "only are one folder on a case-insensitive disk)",
                file=str(folder / "company.yaml"),
                column="slug",
                value=slug,
                expected="a slug (or name) per company that differs in more than case",
            )


def _worker_init() -> None:
    """In a local worker: SIGTERM stops the company's build the way Ctrl-C does, so the
    kernel is shut down and its temporary folder removed."""
    import signal

    from orient.report.kernel import STOP

    def stop(signum, frame):
        STOP.set()
        raise SystemExit(128 + signum)  # quietly, through every clean-up on the way

    signal.signal(signal.SIGTERM, stop)


def _marker(running: str, company_dir: str) -> Path:
    return Path(running) / (hashlib.sha1(company_dir.encode()).hexdigest() + ".started")


def tracked_build(company_dir: str, out_dir: str, options: Mapping[str, Any], running: str):
    """:func:`build_one` leaving a marker file while it runs: a marker left behind after
    the pool broke names the company whose worker died."""
    marker = _marker(running, company_dir)
    marker.write_text(f"{os.getpid()}\n", encoding="utf-8")
    try:
        return build_one(company_dir, out_dir, True, options)
    finally:
        marker.unlink(missing_ok=True)


def _failed(folder: Path, error: str, status: str = "failed") -> dict:
    return {
        "company": folder.name,
        "company_dir": str(folder.resolve()),
        "status": status,
        "seconds": None,
        "report": None,
        "notebook": None,
        "cell": None,
        "error": error,
    }


def _stop_executor(executor: Executor) -> None:
    """Stop at once: cancel what has not started, end the workers (SIGTERM, then SIGKILL)."""
    # taken first: shutdown() forgets them
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    deadline = time.monotonic() + 5
    for proc in processes:
        proc.join(max(0.1, deadline - time.monotonic()))
        if proc.is_alive():
            proc.kill()
            proc.join(1)


def _round(todo, out_abs, options, workers, scheduler, running, record) -> list[Path]:
    """Run ``todo`` on one pool; return the companies lost with a broken pool."""
    from concurrent.futures.process import BrokenProcessPool

    executor, client = _executor(workers, scheduler, len(todo))
    broken: list[Path] = []
    try:
        futures = {
            executor.submit(tracked_build, str(c.resolve()), out_abs, options, running): c
            for c in todo
        }
        for future in as_completed(futures):
            folder = futures[future]
            try:
                record(future.result())
            except BrokenProcessPool:
                broken.append(folder)
            except Exception as exc:  # the worker itself failed
                record(_failed(folder, f"worker failed: {type(exc).__name__}: {exc}"))
    except BaseException:
        _stop_executor(executor)
        raise
    else:
        executor.shutdown(wait=True)
    finally:
        if client is not None:
            client.close()
    return broken


def _build_all(todo, out: Path, options, workers, scheduler, record) -> None:
    """Build ``todo``; a company whose worker died is retried on a fresh pool (the
    others lost with that pool are run again without counting it against them)."""
    import shutil
    import tempfile

    strikes: dict[Path, int] = {}
    running = tempfile.mkdtemp(prefix=".orient-running-", dir=out)
    try:
        while todo:
            broken = _round(todo, str(out.resolve()), options, workers, scheduler, running, record)
            todo = []
            for folder in broken:
                marker = _marker(running, str(folder.resolve()))
                if marker.exists():  # it was running when its worker died
                    marker.unlink()
                    strikes[folder] = strikes.get(folder, 0) + 1
                if strikes.get(folder, 0) > WORKER_RETRIES:
                    record(_failed(folder, f"its worker died {strikes[folder]} times"))
                else:
                    todo.append(folder)
            if todo:
                log.warning("a worker died; running %d companies again", len(todo))
    finally:
        shutil.rmtree(running, ignore_errors=True)


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
        Passed to :func:`orient.report.build` (``notebooks_dir``, ``pdf``, ``timeout``,
        ``company_timeout``, ``settings``: company.yaml keys by dotted path -> value,
        applied to every company, ``orient batch --set KEY=VALUE``...).

    Before anything runs: two companies with one output folder (slugs equal up to
    case) are a DataError, an output folder that cannot be written a ReportError, and
    so is a second batch into an output folder another batch is writing
    (``OUT/.orient-batch.lock``). A company whose worker dies is retried once on a
    fresh worker. When the run is stopped (Ctrl-C, SIGTERM) the workers are ended,
    ``batch.json`` lists what finished (the rest ``interrupted``) and the
    ``KeyboardInterrupt`` goes on to the caller.

    Returns
    -------
    pandas.DataFrame
        One row per company, sorted by ``company``: ``company`` (slug), ``company_dir``,
        ``status`` (``ok``, ``skipped`` or ``failed``), ``seconds``, ``report`` (path of
        report.html), ``notebook``, ``cell``, ``error`` (where and why it failed).
    """
    from tqdm.auto import tqdm

    from orient.report.output import check_writable, output_lock

    companies = find_companies(companies_dir)
    _check_slugs(companies, options.get("settings"))
    out = check_writable(out_dir)
    out_abs = str(out.resolve())
    outcomes: dict[Path, dict] = {}
    with output_lock(out, "orient-batch"):
        todo = []
        for folder in companies:  # unchanged companies are skipped here, without a worker
            skipped = None if force else _skip_outcome(folder.resolve(), out_abs, options)
            if skipped is not None:
                outcomes[folder] = skipped
            else:
                todo.append(folder)
        if outcomes:
            log.info("%d unchanged companies skipped", len(outcomes))
        by_dir = {str(c.resolve()): c for c in companies}
        bar = tqdm(
            total=len(companies),
            initial=len(outcomes),
            desc="orient batch",
            unit="company",
            disable=not progress,
            file=sys.stderr,
        )

        def record(outcome: dict) -> None:
            outcomes[by_dir.get(outcome["company_dir"], Path(outcome["company_dir"]))] = outcome
            bar.set_postfix_str(f"{outcome['company']}: {outcome['status']}")
            bar.update(1)

        if todo and scheduler is None:
            # each local worker keeps a kernel template and forks its companies' kernels
            # from it (orient.report.forkkernel): a worker builds many companies in turn
            options.setdefault("fork_kernels", True)
        try:
            if todo:
                _build_all(todo, out, options, workers, scheduler, record)
        finally:
            bar.close()
            for folder in companies:  # stopped: the rest did not finish
                outcomes.setdefault(folder, _failed(folder, "stopped", "interrupted"))
            frame = _write_batch(list(outcomes.values()), companies_dir, out, scheduler)
    return frame


def _write_batch(outcomes: list[dict], companies_dir, out: Path, scheduler) -> pd.DataFrame:
    from orient import __version__
    from orient.report.builder import _atomic_write

    frame = pd.DataFrame(outcomes, columns=list(OUTCOME_COLUMNS))
    frame = frame.sort_values("company", kind="stable").reset_index(drop=True)
    records = [
        {k: (None if pd.isna(v) else v) if not isinstance(v, str) else v for k, v in row.items()}
        for row in frame.to_dict(orient="records")
    ]
    statuses = ("ok", "skipped", "failed", "interrupted")
    counts = {s: int((frame["status"] == s).sum()) for s in statuses}
    batch = {
        "orient_version": __version__,
        "companies_dir": str(Path(companies_dir).resolve()),
        "out_dir": str(out.resolve()),
        "scheduler": scheduler,
        "counts": counts,
        "companies": records,
    }
    _atomic_write(
        out / "batch.json", json.dumps(batch, indent=2, ensure_ascii=False, default=str) + "\n"
    )
    return frame
