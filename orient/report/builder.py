"""One company's report written to ``OUT/<slug>/``: what ``orient report DIR -o OUT`` does.

:func:`build` writes

``report.html``
    The report (:mod:`orient.report.render`).
``report.pdf``
    The same HTML printed by headless Chromium, else WeasyPrint (:mod:`orient.report.pdf`).
``summary.json``
    The headline numbers (:mod:`orient.report.summary`), computed in the company's kernel.
``NN_stage.ipynb``
    The executed notebooks, for audit.

The stage notebooks are package data (``orient/notebooks``); the stage notebooks of one
company run in one fresh kernel (:mod:`orient.report.kernel`), or two at once
(``kernels=2``). Every file is written
into a temporary folder beside ``OUT/<slug>/``, which replaces the old folder only when
the report is complete (:mod:`orient.report.output`).
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orient.errors import ReportError
from orient.report.kernel import (
    CompanyKernel,
    _kernel_template,
    _summary_notebook,
    execute_notebooks,
)
from orient.report.output import (
    INPUTS_STAMP,
    _check_case,
    check_writable,
    output_lock,
    remove_stale_kernel_dirs,
    write_swapped,
)
from orient.report.pdf import html_to_pdf
from orient.report.render import render_html
from orient.report.summary import summary_json

__all__ = [
    "NOTEBOOKS",
    "BuildResult",
    "build",
    "build_company",
    "default_notebooks_dir",
    "parameterise",
    "safe_output_dir",
    "stage_notebooks",
    "stages_for",
]

log = logging.getLogger("orient")

#: the stage notebooks, in report order: (file stem, key of the stage title)
NOTEBOOKS: tuple[tuple[str, str], ...] = (
    ("01_strategy", "strategy"),
    ("02_satisfaction", "satisfaction"),
    ("03_priorities", "priorities"),
    ("04_implementation", "implementation"),
    ("05_operations", "operations"),
)

DEFAULT_CELL_TIMEOUT = 600.0  # seconds one cell may run
DEFAULT_COMPANY_TIMEOUT = 1800.0  # seconds all of one company's notebooks may run
_SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


# --------------------------------------------------------------------------- safe paths


def safe_output_dir(out_dir: str | os.PathLike, slug: str, *, create: bool = True) -> Path:
    """Return ``out_dir/slug``, created, after checking it stays inside ``out_dir``.

    The slug must be a plain name (letters, digits, ``.``, ``_``, ``-``; starting with a
    letter or digit): no ``/``, no ``..``, not absolute. An existing ``out_dir/slug``
    that is a symbolic link, or resolves outside ``out_dir``, is refused.

    Raises
    ------
    ValueError
        For a slug or directory that would write outside ``out_dir``, or when
        ``out_dir`` holds a folder whose name differs from ``slug`` in case only (on a
        case-insensitive disk the two would be one folder).
    """
    if not isinstance(slug, str) or not _SLUG_RE.fullmatch(slug):
        raise ValueError(
            f"`slug` must be a plain folder name (letters, digits, '.', '_', '-', starting "
            f"with a letter or digit, at most 100 characters); got {slug!r}."
        )
    root = Path(out_dir)
    root.mkdir(parents=True, exist_ok=True)
    root_real = root.resolve()
    target = root / slug
    if target.is_symlink():
        raise ValueError(
            f"Output folder {str(target)!r} is a symbolic link; orient does not write "
            f"through links. Remove it or choose another output directory."
        )
    _check_case(root, slug)
    if create:
        target.mkdir(exist_ok=True)
    real = target.resolve()
    if real.parent != root_real:
        raise ValueError(f"Output folder {str(target)!r} resolves outside {str(root_real)!r}.")
    return real


def _atomic_write(path: Path, data: str | bytes) -> None:
    """Write to a temporary name in the same folder, then rename over ``path``."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)  # rename never follows a symlink at `path`
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _remove_file(path: Path) -> None:
    """Remove one file (or link) we own, never a folder."""
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
    except FileNotFoundError:
        pass


# --------------------------------------------------------------------------- notebooks


def default_notebooks_dir() -> Path:
    """The stage notebooks shipped with orient: its package data ``orient/notebooks``.

    Found through :mod:`importlib.resources`, so it is the same folder from a source
    checkout, an editable install or an installed wheel.

    Raises
    ------
    ReportError
        When orient is imported from somewhere that is not a folder (a zip file).
    """
    from importlib.resources import files

    folder = files("orient") / "notebooks"
    if not isinstance(folder, Path):
        raise ReportError(
            f"orient's stage notebooks ({folder}) are not files on disk; "
            "install orient as a folder or a wheel, or pass `notebooks_dir`"
        )
    return folder


def stage_notebooks(notebooks_dir: str | os.PathLike | None = None) -> list[tuple[str, str, Path]]:
    """The stage notebooks to run: ``(stem, stage key, path)`` in report order.

    Parameters
    ----------
    notebooks_dir : path, optional
        A folder of stage notebooks of one's own, holding any of them (``01_strategy.ipynb``
        ... ``05_operations.ipynb``); the report shows those it finds. Default: the ones
        shipped with orient (:func:`default_notebooks_dir`), which must all be there.

    Raises
    ------
    ReportError
        When a shipped stage notebook is missing (naming the file), or ``notebooks_dir``
        is not a folder or holds none of the stage notebooks.
    """
    shipped = notebooks_dir is None
    folder = default_notebooks_dir() if shipped else Path(notebooks_dir)
    if not folder.is_dir():
        raise ReportError(f"the notebooks folder {str(folder)!r} does not exist")
    found = []
    for stem, stage in NOTEBOOKS:
        path = folder / f"{stem}.ipynb"
        if path.is_file():
            found.append((stem, stage, path))
        elif shipped:
            raise ReportError(
                f"the stage notebook {str(path)!r} is missing (orient's "
                "installation is incomplete)",
                notebook=stem,
            )
    if not found:
        expected = ", ".join(f"{stem}.ipynb" for stem, _ in NOTEBOOKS)
        raise ReportError(
            f"the notebooks folder {str(folder)!r} holds none of the stage notebooks ({expected})"
        )
    return found


def stages_for(company: Any, stages: list[tuple[str, str, Path]]) -> list[tuple[str, str, Path]]:
    """The stage notebooks of ``stages`` whose data ``company`` has.

    A stage that lacks the data it needs (:func:`orient.stages.missing_data`: stages
    I-IV without a survey) is left out of the report; the executive summary says which
    and why. The operations notebook shows whatever tables there are.
    """
    from orient.stages import missing_data

    return [entry for entry in stages if not missing_data(company, entry[1])]


def parameterise(nb, parameters: Mapping[str, Any], *, name: str = "notebook"):
    """A copy of ``nb`` with papermill's injected-parameters cell after its ``parameters`` cell.

    Values are written as Python literals by papermill's translator (strings escaped),
    so a value can never become code.

    Raises
    ------
    ReportError
        If the notebook has no cell tagged ``parameters``.
    """
    from papermill.parameterize import parameterize_notebook

    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise ReportError("the notebook has no cell tagged 'parameters'", notebook=name)
    nb = copy.deepcopy(nb)
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:  # papermill looks up `metadata.tags` on every cell
        cell.metadata.setdefault("tags", [])
    return parameterize_notebook(nb, dict(parameters), kernel_name="python3", language="python")


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build_company` wrote."""

    slug: str
    out_dir: Path
    html: Path
    pdf: Path | None
    summary: Path
    notebooks: tuple[Path, ...]


def build_company(
    company_dir: str | os.PathLike,
    out_dir: str | os.PathLike,
    *,
    notebooks_dir: str | os.PathLike | None = None,
    pdf: bool = True,
    timeout: float | None = None,
    company_timeout: float | None = DEFAULT_COMPANY_TIMEOUT,
    kernel_name: str = "python3",
    date: Any = None,
    retries: int = 1,
    fork_kernels: bool = False,
    inputs_stamp: str | None = None,
    progress: Callable[[str], None] | None = None,
    settings: Mapping[str, Any] | None = None,
    kernels: int = 1,
) -> BuildResult:
    """Like :func:`build`, returning every path written.

    ``timeout`` None: the company's ``reporting.timeout_s``, else
    :data:`DEFAULT_CELL_TIMEOUT`.
    """
    if kernels not in (1, 2):
        raise ValueError(f"`kernels` must be 1 or 2; got {kernels!r}")
    from orient.data.company import load_company

    company_dir = Path(company_dir).resolve()
    stages = stage_notebooks(notebooks_dir)  # never empty; refused before anything is written
    check_writable(out_dir)
    remove_stale_kernel_dirs()
    fork_socket = _kernel_template() if fork_kernels else None
    deadline = None if not company_timeout else time.monotonic() + company_timeout
    with tempfile.TemporaryDirectory(prefix=f"orient-kernel-{os.getpid()}-") as cwd:
        # the kernel starts up (imports, settings snapshot) while this process loads
        # the company and prepares the notebooks
        launched = []
        for _ in range(kernels):
            kernel = CompanyKernel(
                cwd=cwd,
                kernel_name=kernel_name,
                timeout=timeout or DEFAULT_CELL_TIMEOUT,
                fork_socket=fork_socket,
                deadline=deadline,
            )
            try:
                kernel.launch()
            except Exception as exc:  # execute_notebooks starts (and retries) another
                log.warning("kernel launch failed: %s", exc)
            launched.append(kernel)
        try:
            company = load_company(company_dir, settings or {})
            timeout = cell_timeout(company, timeout)
            for kernel in launched:
                kernel.timeout = timeout
            safe_output_dir(out_dir, company.slug, create=False)
            with output_lock(out_dir, company.slug):
                return _run_and_write(
                    company,
                    stages,
                    cwd,
                    launched,
                    out_dir,
                    pdf=pdf,
                    date=date,
                    inputs_stamp=inputs_stamp,
                    settings=settings,
                    run={
                        "timeout": timeout,
                        "kernel_name": kernel_name,
                        "retries": retries,
                        "fork_socket": fork_socket,
                        "deadline": deadline,
                        "progress": progress,
                    },
                )
        finally:
            for kernel in launched:
                kernel.shutdown()


def cell_timeout(company: Any, timeout: float | None = None) -> float:
    """Seconds one notebook cell may run: ``timeout`` when given (the command line's
    ``--timeout``), else company.yaml's ``reporting.timeout_s``, else
    :data:`DEFAULT_CELL_TIMEOUT`."""
    if timeout is not None:
        return float(timeout)
    reporting = getattr(getattr(company, "profile", None), "reporting", None)
    given = getattr(reporting, "timeout_s", None)
    return float(given) if given is not None else DEFAULT_CELL_TIMEOUT


#: the notebooks a second kernel runs (:func:`_kernel_groups`), and the headline
#: modules it computes for summary.json
SECOND_KERNEL_STAGES = ("implementation", "operations")
SECOND_KERNEL_MODULES = ("implementation", "service", "quality", "crm")
#: a survey of more cells (respondents x columns) than this is reported with one
#: kernel: two would each hold it in memory
TWO_KERNELS_MAX_CELLS = 5_000_000


def _kernel_groups(company, stages, kernels: int) -> list[tuple[list, tuple[str, ...] | None]]:
    """The notebooks (``stages`` entries) of each kernel and the headline modules each
    computes (None: all). Two kernels when asked for, when each has notebooks to run
    and when the survey is small enough to be held twice; the second runs stage IV
    and the operations (stage IV computes stage III's priorities again, the same
    numbers: its seeds are the same), the first the rest."""
    second = [e for e in stages if e[1] in SECOND_KERNEL_STAGES]
    first = [e for e in stages if e[1] not in SECOND_KERNEL_STAGES]
    survey = getattr(company, "survey", None)
    cells = survey.size if hasattr(survey, "size") else 0
    if kernels < 2 or not first or not second or cells > TWO_KERNELS_MAX_CELLS:
        return [(list(stages), None)]
    from orient.report.summary import HEADLINE_MODULES

    rest = tuple(m for m in HEADLINE_MODULES if m not in SECOND_KERNEL_MODULES)
    return [(first, rest), (second, SECOND_KERNEL_MODULES)]


def _run_groups(groups, kernels, cwd, settings, company, run) -> tuple[dict, str]:
    """Run each group's summary part and notebooks in its own kernel (the first in this
    thread, the others in threads of their own); return (executed notebook by stem,
    summary.json text)."""
    import threading

    import nbformat

    params = {"company_dir": str(company.path)}
    progress = run.get("progress") or (lambda step: None)
    lock = threading.Lock()
    parts_left = [len(groups)]

    def report(step: str) -> None:
        with lock:
            if step == "summary":  # "headline numbers computed": when every part is
                parts_left[0] -= 1
                if parts_left[0]:
                    return
            progress(step)

    jobs = []
    for i, (entries, modules) in enumerate(groups):
        path = Path(cwd) / f".orient_summary_{i}.json"
        prepared = [("summary", _summary_notebook(company.path, path, settings, modules))]
        prepared += [
            (stem, parameterise(nbformat.read(nb_path, as_version=4), params, name=stem))
            for stem, _, nb_path in entries
        ]
        jobs.append((prepared, path, kernels[i] if i < len(kernels) else None))
    if len(jobs) == 1:  # one kernel, in this thread (its signals as before)
        prepared, _, kernel = jobs[0]
        options = {**run, "progress": report}
        results = [execute_notebooks(prepared, cwd=cwd, kernel=kernel, **options)[1:]]
    else:
        results = _run_in_threads(jobs, cwd, {**run, "progress": report})
    executed = {
        stem: nb
        for (entries, _), notebooks in zip(groups, results, strict=True)
        for (stem, _, _), nb in zip(entries, notebooks, strict=True)
    }
    texts = [path.read_text(encoding="utf-8") for _, path, _ in jobs]
    if len(texts) == 1:
        return executed, texts[0]
    summary, *parts = (json.loads(text) for text in texts)
    for part in parts:
        summary["stages"].update(part["stages"])
    return executed, summary_json(summary)


def _run_in_threads(jobs, cwd, options) -> list:
    """Each job's notebooks in a kernel of its own, each from a thread of its own; the
    first failure (or a stop: Ctrl-C, SIGTERM) stops the others and is raised (the
    first in report order when several failed)."""
    import threading
    from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

    cancel = threading.Event()
    running: list = [kernel for _, _, kernel in jobs if kernel is not None]

    def execute(job):
        prepared, _, kernel = job
        return execute_notebooks(
            prepared, cwd=cwd, kernel=kernel, cancel=cancel, on_kernel=running.append, **options
        )[1:]

    pool = ThreadPoolExecutor(len(jobs), thread_name_prefix="orient-kernel")
    futures = [pool.submit(execute, job) for job in jobs]
    try:
        wait(futures, return_when=FIRST_EXCEPTION)
        failed = [f for f in futures if f.done() and f.exception() is not None]
        if failed:
            _stop_kernels(cancel, running, futures)
            errors = [f.exception() for f in futures if f.exception() is not None]
            # a kernel stopped because another failed: the failure is the news
            first = next((e for e in errors if not isinstance(e, KeyboardInterrupt)), errors[0])
            raise first
        return [f.result() for f in futures]
    except BaseException:
        _stop_kernels(cancel, running, futures)
        raise
    finally:
        pool.shutdown(wait=True)


def _stop_kernels(cancel, running, futures) -> None:
    """Stop the other kernels' notebooks and wait until their threads are done."""
    from concurrent.futures import wait

    cancel.set()
    for kernel in list(running):
        kernel.shutdown()
    wait(futures)


def _run_and_write(
    company, stages, cwd, kernels, out_dir, *, pdf, date, inputs_stamp, run, settings=None
):
    import nbformat

    stages = stages_for(company, stages)
    # summary.json is computed in the company's kernel(s) first, with the stage
    # results kept (orient._memo) for the notebooks that ask for them again
    groups = _kernel_groups(company, stages, len(kernels))
    by_stem, summary_text = _run_groups(groups, kernels, cwd, settings, company, run)
    executed = [by_stem[stem] for stem, _, _ in stages]
    progress = run.get("progress") or (lambda step: None)
    html_text = render_html(
        company,
        json.loads(summary_text),
        [(stem, stage, nb) for (stem, stage, _), nb in zip(stages, executed, strict=True)],
        date=date,
    )
    progress("html")
    pdf_bytes = html_to_pdf(html_text) if pdf else None
    if pdf_bytes is not None:
        progress("pdf")
    files = {
        f"{stem}.ipynb": nbformat.writes(nb)
        for (stem, _, _), nb in zip(stages, executed, strict=True)
    }
    files["summary.json"] = summary_text
    if pdf_bytes is not None:
        files["report.pdf"] = pdf_bytes
    if inputs_stamp is not None:
        files[INPUTS_STAMP] = inputs_stamp + "\n"
    files["report.html"] = html_text
    target = write_swapped(out_dir, company.slug, files)
    nb_paths = tuple(target / f"{stem}.ipynb" for stem, _, _ in stages)
    pdf_path = target / "report.pdf" if pdf_bytes is not None else None
    return BuildResult(
        company.slug, target, target / "report.html", pdf_path, target / "summary.json", nb_paths
    )


def build(company_dir: str | os.PathLike, out_dir: str | os.PathLike, **options: Any) -> Path:
    """Build one company's report into ``out_dir/<slug>/``.

    Parameters
    ----------
    company_dir : path
        The company folder (``company.yaml`` and its CSV files).
    out_dir : path
        Where the ``<slug>/`` folder goes (created if missing; never deleted).
    **options
        ``notebooks_dir`` (default: the stage notebooks shipped with orient),
        ``pdf`` (default True), ``timeout`` (seconds per cell; default company.yaml's
        ``reporting.timeout_s``, else 600),
        ``company_timeout`` (seconds for all of the company's notebooks, default 1800;
        None: no limit),
        ``kernel_name``, ``date`` (title block date), ``retries`` (kernel deaths
        retried, default 1; a cell that times out is not retried), ``fork_kernels`` (default False: fork the kernel
        from a template process kept by this process, :mod:`orient.report.forkkernel`,
        which saves the kernel's imports when one process builds many companies),
        ``progress`` (called with each step's name as it is done: ``"summary"``, each
        notebook's stem, ``"html"``, ``"pdf"``).
        ``settings`` (company.yaml keys by dotted path -> value, applied over the file in
        this process and in the report kernel: ``orient report --set KEY=VALUE``).
        ``kernels`` (1 or 2, default 1): 2 runs stage IV and the operations in a second
        kernel at the same time as the other notebooks (:func:`_kernel_groups`; the
        command line's default on two processors or more), each kernel computing its
        part of summary.json.

    The report is built in a temporary folder beside ``out_dir/<slug>/`` and swapped
    in only when complete: a failure, a full disk or a kill leaves the previous report
    whole.

    Returns
    -------
    pathlib.Path
        The path of ``report.html``.

    Raises
    ------
    orient.DataError
        When the company folder breaks the data contract.
    orient.ReportError
        When a notebook cell fails (with the notebook, the cell and the error), or a
        stage notebook is missing.
    """
    return build_company(company_dir, out_dir, **options).html
