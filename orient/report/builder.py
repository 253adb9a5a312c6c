"""One company's report written to ``OUT/<slug>/``: what ``orient report DIR -o OUT`` does.

:func:`build` writes

``report.html``
    The report (:mod:`orient.report.render`).
``report.pdf``
    The same HTML through WeasyPrint (:mod:`orient.report.pdf`).
``summary.json``
    The headline numbers (:mod:`orient.report.summary`), computed in the company's kernel.
``NN_stage.ipynb``
    The executed notebooks, for audit.

The stage notebooks of one company run in one fresh kernel (:mod:`orient.report.kernel`). Every file is written
under a temporary name and renamed into place, report.html last.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import tempfile
from collections.abc import Mapping
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
from orient.report.pdf import html_to_pdf
from orient.report.render import render_html
from orient.report.summary import summarise, summary_json

__all__ = [
    "NOTEBOOKS",
    "BuildResult",
    "build",
    "build_company",
    "default_notebooks_dir",
    "parameterise",
    "safe_output_dir",
    "stage_notebooks",
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

_SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


# --------------------------------------------------------------------------- safe paths


def safe_output_dir(out_dir: str | os.PathLike, slug: str) -> Path:
    """Return ``out_dir/slug``, created, after checking it stays inside ``out_dir``.

    The slug must be a plain name (letters, digits, ``.``, ``_``, ``-``; starting with a
    letter or digit): no ``/``, no ``..``, not absolute. An existing ``out_dir/slug``
    that is a symbolic link, or resolves outside ``out_dir``, is refused.

    Raises
    ------
    ValueError
        For a slug or directory that would write outside ``out_dir``.
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
    """The stage notebooks: ``orient/notebooks`` when installed with them, else the repo's."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "notebooks", package.parent / "notebooks"):
        if candidate.is_dir():
            return candidate
    return package.parent / "notebooks"


def stage_notebooks(notebooks_dir: str | os.PathLike | None = None) -> list[tuple[str, str, Path]]:
    """The stage notebooks that exist: ``(stem, stage key, path)`` in report order."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else default_notebooks_dir()
    found = []
    for stem, stage in NOTEBOOKS:
        path = folder / f"{stem}.ipynb"
        if path.is_file():
            found.append((stem, stage, path))
    return found


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
    timeout: float = 600,
    kernel_name: str = "python3",
    date: Any = None,
    retries: int = 1,
    fork_kernels: bool = False,
) -> BuildResult:
    """Like :func:`build`, returning every path written."""
    import nbformat

    from orient import company as _company

    company_dir = Path(company_dir).resolve()
    stages = stage_notebooks(notebooks_dir)
    fork_socket = _kernel_template() if fork_kernels and stages else None
    with tempfile.TemporaryDirectory(prefix="orient-kernel-") as cwd:
        # the kernel starts up (imports, settings snapshot) while this process loads
        # the company and prepares the notebooks
        kernel = CompanyKernel(
            cwd=cwd, kernel_name=kernel_name, timeout=timeout, fork_socket=fork_socket
        )
        if stages:
            try:
                kernel.launch()
            except Exception as exc:  # execute_notebooks starts (and retries) another
                log.warning("kernel launch failed: %s", exc)
        try:
            company = _company.load_company(company_dir)
            target = safe_output_dir(out_dir, company.slug)
            params = {"company_dir": str(company_dir), "output_dir": str(target)}
            prepared = [
                (stem, parameterise(nbformat.read(path, as_version=4), params, name=stem))
                for stem, _, path in stages
            ]
        except BaseException:
            kernel.shutdown()
            raise
        if stages:
            # summary.json is computed in the company's kernel first, with the stage
            # results kept (orient._memo) for the notebooks that ask for them again
            summary_file = Path(cwd) / ".orient_summary.json"
            prepared.insert(0, ("summary", _summary_notebook(company_dir, summary_file)))
            executed = execute_notebooks(
                prepared,
                cwd=cwd,
                timeout=timeout,
                kernel_name=kernel_name,
                retries=retries,
                kernel=kernel,
                fork_socket=fork_socket,
            )[1:]
            summary_text = summary_file.read_text(encoding="utf-8")
            summary = json.loads(summary_text)
        else:
            kernel.shutdown()
            executed = []
            summary = summarise(company)
            summary_text = summary_json(summary)
    html_text = render_html(
        company,
        summary,
        [(stem, stage, nb) for (stem, stage, _), nb in zip(stages, executed, strict=True)],
        date=date,
    )
    pdf_bytes = html_to_pdf(html_text) if pdf else None

    # report.html goes first out and last in: a run killed in between leaves no
    # complete-looking report behind.
    html_path = target / "report.html"
    _remove_file(html_path)
    nb_paths = []
    for (stem, _, _), nb in zip(stages, executed, strict=True):
        path = target / f"{stem}.ipynb"
        _atomic_write(path, nbformat.writes(nb))
        nb_paths.append(path)
    summary_path = target / "summary.json"
    _atomic_write(summary_path, summary_text)
    pdf_path = None
    if pdf_bytes is not None:
        pdf_path = target / "report.pdf"
        _atomic_write(pdf_path, pdf_bytes)
    else:
        _remove_file(target / "report.pdf")  # never leave last run's PDF beside a new HTML
    _atomic_write(html_path, html_text)
    return BuildResult(company.slug, target, html_path, pdf_path, summary_path, tuple(nb_paths))


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
        ``pdf`` (default True), ``timeout`` (seconds per cell, default 600),
        ``kernel_name``, ``date`` (title block date), ``retries`` (kernel deaths or
        hangs retried, default 1), ``fork_kernels`` (default False: fork the kernel
        from a template process kept by this process, :mod:`orient.report.forkkernel`,
        which saves the kernel's imports when one process builds many companies).

    Returns
    -------
    pathlib.Path
        The path of ``report.html``.

    Raises
    ------
    orient.DataError
        When the company folder breaks the data contract.
    orient.ReportError
        When a notebook cell fails (with the notebook, the cell and the error).
    """
    return build_company(company_dir, out_dir, **options).html
