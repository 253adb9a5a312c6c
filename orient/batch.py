"""Many companies: build every company folder's report, in parallel.

:func:`run` is what ``orient batch DIR -o OUT`` calls. Each company folder under
``DIR`` (a folder with a ``company.yaml``) becomes ``OUT/<slug>/`` through
:func:`orient.report.build`, in a pool of local processes by default or on an
existing Dask cluster when given a scheduler address; both go through the
``concurrent.futures`` executor interface. Each company runs in its own fresh kernel
(see :mod:`orient.report`); a worker (local process or Dask worker) forks those kernels
from a template process it keeps, with the scientific stack already imported
(:mod:`orient.report.forkkernel`), which saves about 2.5 s per company.

One company's failure is captured (the notebook, the cell, the error) and the rest
go on; ``OUT/batch.json`` lists every outcome. A company whose inputs, notebooks and
orient code are unchanged since its last successful build is skipped unless
``force=True``.

On Dask, no file system is shared. The client sends each company's inputs as bytes
(company.yaml and the files it names, :func:`company_inputs`; the batch's own stage
notebooks, if any); the worker writes them into a temporary folder of its own, builds
the report there (:func:`remote_build`) and returns the built files (report.html,
summary.json, report.pdf, the executed notebooks) as bytes; the client writes them into
``OUT/<slug>/``, swapped in whole like a local build, with the inputs stamp it computed
itself. Two companies per worker thread are on the cluster at a time, so neither the
client nor the cluster holds more than those. ``send_inputs=False`` has the workers read
the company folders at the client's paths instead (a shared folder: data too large to
send, or files outside the company folder); database sources other than a SQLite file
in the company folder are always read by the worker. The workers must run the same
orient as the client; start them with ``--nthreads 1`` so that one worker builds one
company at a time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import re
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
    names (the survey, each table or its default ``<name>.csv``, lookup tables, the
    conjoint responses, a SQLite database given by a relative path).

    Other database URLs and files that do not exist or lie outside the folder are left
    out (the build says so); other files in the folder are never read.
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
    conjoint = getattr(profile, "conjoint", None)
    if conjoint is not None and getattr(conjoint, "file", None):
        names.append(conjoint.file)
    paths = []
    for name in names:
        if name and is_url(name):  # a SQLite file in the folder is a file it reads
            name = _sqlite_file(name)
        if not name:
            continue
        path = folder / name
        if path.is_file() and path.resolve().is_relative_to(folder.resolve()):
            paths.append(path)
    return sorted(set(paths))


def _sqlite_file(url: str) -> str | None:
    """The relative file of a ``sqlite:///name.db`` URL (taken in the company folder),
    else None (an absolute path, memory, another database)."""
    match = re.fullmatch(r"sqlite(?:\+\w+)?:///([^/?][^?]*)(?:\?.*)?", url)
    return match.group(1) if match else None


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


# --------------------------------------------------------------------------- on Dask

#: what a Dask worker sends back: the files of the company's output folder
_RETURNED = ("report.html", "report.pdf", "summary.json")


def company_inputs(company_dir: str | os.PathLike) -> dict[str, bytes]:
    """The files of a company folder a report reads (:func:`named_files`), as bytes by
    their path relative to the folder: what the client sends a Dask worker."""
    folder = Path(company_dir)
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in named_files(folder)}


def notebook_files(notebooks_dir: str | os.PathLike) -> dict[str, bytes]:
    """The stage notebooks of ``notebooks_dir`` as bytes by file name."""
    from orient.report.builder import stage_notebooks

    return {path.name: path.read_bytes() for _, _, path in stage_notebooks(notebooks_dir)}


def _write_tree(root: Path, files: Mapping[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) under ``root``, refusing any path that
    would leave it."""
    for name, data in files.items():
        rel = Path(name)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise DataError("a sent file's path leaves its folder", file=name)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def remote_build(
    company: Mapping[str, Any],
    options: Mapping[str, Any],
    notebooks: Mapping[str, bytes] | None = None,
    worker_dir: str | None = None,
) -> dict:
    """On a Dask worker: build one company in a folder of the worker's own and return its
    outcome (:func:`build_one`) with ``files``: the built files (report.html,
    summary.json, report.pdf, each executed notebook) as bytes by name, for the client
    to write. The worker never writes into the client's output folder.

    ``company``: ``dir`` (the company folder as the client sees it), ``name`` (its folder
    name) and ``files`` (:func:`company_inputs`, or None: the worker reads ``dir``
    itself, on a shared file system). ``notebooks``: the stage notebooks as bytes
    (:func:`notebook_files`), when the batch has its own. The worker builds in a
    temporary folder, removed afterwards; under ``worker_dir`` instead when given, and
    left there.
    """
    import shutil
    import tempfile

    options = dict(options)
    if worker_dir is not None:
        Path(worker_dir).mkdir(parents=True, exist_ok=True)
    root = Path(tempfile.mkdtemp(prefix="orient-remote-", dir=worker_dir))
    try:
        folder = Path(company["dir"])
        if company.get("files") is not None:
            folder = root / "inputs" / company["name"]
            folder.mkdir(parents=True)
            _write_tree(folder, company["files"])
        if notebooks is not None:
            _write_tree(root / "notebooks", notebooks)
            options["notebooks_dir"] = str(root / "notebooks")
        outcome = build_one(str(folder), str(root / "out"), True, options)
        outcome["company_dir"] = str(company["dir"])
        files: dict[str, bytes] = {}
        if outcome["status"] == "ok":
            built = Path(outcome["report"]).parent
            for path in sorted(built.iterdir()):
                if path.is_file() and (path.name in _RETURNED or path.suffix == ".ipynb"):
                    files[path.name] = path.read_bytes()
        outcome["files"] = files
        return outcome
    finally:
        if worker_dir is None:
            shutil.rmtree(root, ignore_errors=True)


def _write_returned(outcome: dict, out: Path, digest: str | None) -> dict:
    """In the client: write the files a worker returned as ``out/<slug>/`` (swapped in
    whole, with the inputs stamp ``digest``); the outcome without the bytes."""
    from orient.report.builder import safe_output_dir
    from orient.report.output import output_lock, write_swapped

    outcome = dict(outcome)
    files = outcome.pop("files", None) or {}
    if outcome["status"] != "ok":
        return outcome
    try:
        slug = outcome["company"]
        safe_output_dir(out, slug, create=False)
        if digest is not None:
            files[STAMP] = digest + "\n"
        with output_lock(out, slug):
            target = write_swapped(out, slug, files)
        outcome["report"] = str(target / "report.html")
    except Exception as exc:  # a write that fails costs this company only
        outcome.update(
            status="failed", report=None, error=f"writing the report: {type(exc).__name__}: {exc}"
        )
    return outcome


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


def _prepared(folder: Path, options: Mapping[str, Any], send_inputs: bool):
    """``(company, digest)`` to send a Dask worker, or a ``failed`` outcome when the
    client cannot read the company (the worker would fail the same way)."""
    try:
        company = {"dir": str(folder), "name": folder.name, "files": None}
        if send_inputs:
            company["files"] = company_inputs(folder)
        digest = inputs_hash(folder, options.get("notebooks_dir"), options.get("settings"))
    except DataError as exc:
        return _failed(folder, str(exc))
    except Exception as exc:
        return _failed(folder, f"{type(exc).__name__}: {exc}")
    return company, digest


def _dask_round(todo, out: Path, options, scheduler, record, send_inputs, worker_dir) -> None:
    """Run ``todo`` on the Dask cluster at ``scheduler``: each worker builds in a folder
    of its own and returns the files, which are written here. At most two companies per
    worker thread are on the cluster at a time, so the client reads (and the cluster
    holds) the inputs and reports of those only. Dask itself runs again a task whose
    worker died."""
    from concurrent.futures import FIRST_COMPLETED, wait

    executor, client = _executor(None, scheduler, len(todo))
    options = dict(options)
    notebooks = None
    if send_inputs and options.get("notebooks_dir") is not None:
        notebooks = notebook_files(options["notebooks_dir"])
    remote_options = {k: v for k, v in options.items() if k != "notebooks_dir" or not notebooks}
    window = max(2, 2 * sum(client.nthreads().values()))
    queue = list(todo)
    pending: dict = {}
    try:
        while queue or pending:
            while queue and len(pending) < window:
                folder = queue.pop(0)
                prepared = _prepared(folder.resolve(), options, send_inputs)
                if isinstance(prepared, dict):
                    record(prepared)
                    continue
                company, digest = prepared
                future = executor.submit(
                    remote_build, company, remote_options, notebooks, worker_dir
                )
                pending[future] = (folder, digest)
            if not pending:
                continue
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                folder, digest = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker itself failed (or died too often)
                    record(_failed(folder, f"worker failed: {type(exc).__name__}: {exc}"))
                    continue
                record(_write_returned(outcome, out, digest))
    except BaseException:
        executor.shutdown(wait=False)  # cancels what is still on the cluster
        raise
    else:
        executor.shutdown(wait=True)
    finally:
        client.close()


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
    send_inputs: bool = True,
    worker_dir: str | os.PathLike | None = None,
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
    send_inputs : bool
        On Dask: send each worker the company's files (:func:`company_inputs`) and the
        batch's own stage notebooks as bytes (default), so workers need no access to
        the client's folders. False: the workers read them at the client's paths (a
        shared file system; for data too large to send, or files outside the company
        folder). Either way the workers return the built files, written here.
    worker_dir : path, optional
        On Dask: the folder on the workers under which each company is built (and left,
        for inspection). Default: a temporary folder per company, removed afterwards.
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

        # each worker (local process or Dask worker) keeps a kernel template and forks
        # its companies' kernels from it (orient.report.forkkernel): a worker builds many
        # companies in turn
        options.setdefault("fork_kernels", True)
        try:
            if todo and scheduler is not None:
                wdir = None if worker_dir is None else str(worker_dir)
                _dask_round(todo, out, options, scheduler, record, send_inputs, wdir)
            elif todo:
                _build_all(todo, out, options, workers, None, record)
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
