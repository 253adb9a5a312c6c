"""One company's report: run the stage notebooks, render HTML and PDF, write summary.json.

:func:`build` is what ``orient report DIR -o OUT`` calls. It writes ``OUT/<slug>/``:

``report.html``
    One self-contained file (figures embedded as data URIs, CSS inline, no script,
    no request to any network), rendered by orient's own nbconvert template: title
    block, executive summary, contents, then the stages with numbered figures and
    tables. No code, no prompts, no stray outputs (streams, warnings, object reprs).
``report.pdf``
    The same HTML through WeasyPrint: A4, page numbers, figures kept whole.
``summary.json``
    The headline numbers, from each stage module's ``headline(analyse(company))``
    (:func:`summarise`, never scraped from notebooks), with each stage's cautions;
    schema in ``orient/schemas/summary.schema.json``; byte-identical for the same
    inputs.
``NN_stage.ipynb``
    The executed notebooks, for audit.

The stage notebooks of one company run in one fresh kernel, started for that
company only and shut down immediately afterwards; between two notebooks the
kernel's user namespace and settings (matplotlib rcParams, pandas options, numpy
print options and random state, warnings filters, environment, working directory)
are restored, so nothing of one notebook reaches the next. The kernel's first job
is :func:`summarise`, with the stage results kept (:mod:`orient._memo`) so the
notebooks asking for the same analysis of the same data get them without computing
them again. With ``fork_kernels=True`` (``orient batch`` does this) the kernel is
forked from a template process that has already imported everything
(:mod:`orient._forkkernel`). A kernel that dies or hangs is replaced and the company
retried once; a kernel start-up that fails (for example on a port clash between
parallel start-ups) is retried. Figures are SVG with real text.
"""

from __future__ import annotations

import base64
import copy
import datetime as _dt
import importlib
import json
import logging
import math
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import _text
from .errors import ReportError

__all__ = [
    "NOTEBOOKS",
    "HEADLINE_MODULES",
    "build",
    "summarise",
    "summary_json",
    "format_number",
    "execute_notebooks",
    "parameterise",
    "render_html",
    "html_to_pdf",
    "safe_output_dir",
    "sanitize_html",
    "CompanyKernel",
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

#: modules whose ``headline(analyse(company))`` feeds summary.json, in order
HEADLINE_MODULES: tuple[str, ...] = (
    "strategy",
    "satisfaction",
    "priorities",
    "implementation",
    "service",
    "quality",
    "crm",
)

SCHEMA_VERSION = 1
MAX_FINDINGS = 7  # the executive summary shows at most this many findings
_TEMPLATES = Path(__file__).parent / "templates"
_SLUG_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_FLOAT_DIGITS = 12  # significant digits kept in summary.json (stable across BLAS builds)


# --------------------------------------------------------------------------- texts


format_number = _text.format_number  # re-exported: orient.report.format_number
plural = _text.plural


def _plural_word(value: Any, *forms: str, language: str = "en") -> str:
    return _text.plural_word(value, *forms, language=language)


_texts = _text.texts  # the report texts in a language (orient.i18n)


def _sentence_env(language: str, labels: Mapping[str, str] | None = None):
    import jinja2

    labels = dict(labels or {})
    texts = _texts(language)
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=False)
    env.filters["num"] = lambda v, d=1: format_number(v, language, d)
    env.filters["signed"] = lambda v, d=1: format_number(v, language, d, signed=True)
    env.filters["quadrant"] = lambda q: texts.get("quadrants", {}).get(q, q)
    env.filters["human"] = lambda key: labels.get(str(key), str(key).replace("_", " "))
    env.filters["plural"] = lambda v, *forms: _plural_word(v, *forms, language=language)
    env.filters["smart"] = lambda v: format_number(
        v, language, 0 if isinstance(v, (int, float)) and float(v).is_integer() else 1)
    return env


# --------------------------------------------------------------------------- summary


def _json_safe(value: Any) -> Any:
    """Plain JSON types only: numpy scalars unwrapped, NaN/inf -> None, floats rounded."""
    import numpy as np

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if not math.isfinite(x):
            return None
        return float(f"{x:.{_FLOAT_DIGITS}g}")
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "tolist"):
        return _json_safe(value.tolist())
    return str(value)


def _base(company: Any) -> dict:
    survey = getattr(company, "survey", None)
    respondents = None
    waves = None
    if survey is not None and hasattr(survey, "columns"):
        respondents = int(len(survey))
        if "wave" in survey.columns:
            values = survey["wave"].dropna().unique().tolist()
            waves = [_json_safe(w) for w in sorted(values, key=str)]
    left_out = getattr(company, "left_out", None)
    n_left = int(len(left_out)) if left_out is not None and hasattr(left_out, "columns") else None
    profile = getattr(company, "profile", None)
    period = getattr(profile, "period", None)
    return {"respondents": respondents, "waves": waves, "rows_left_out": n_left,
            "period": str(period) if period is not None else None}


def _cautions(caught: Sequence[warnings.WarningMessage]) -> list[str]:
    """The OrientWarnings among ``caught`` as distinct messages, in order; any other
    warning (a library's) is raised again as it was."""
    from .errors import OrientWarning

    messages: list[str] = []
    for w in caught:
        if issubclass(w.category, OrientWarning):
            text = str(w.message)
            if text not in messages:
                messages.append(text)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return messages


#: stages whose analysis starts from the stage III priorities, as their notebooks pass them
_TAKES_PRIORITIES = frozenset({"strategy", "implementation"})
_NOT_YET = object()


def _priorities_for(company: Any) -> Any:
    """The stage III result the strategy and implementation notebooks start from (no
    bootstrap: only the quadrants are used), or None when it cannot be computed."""
    from . import priorities

    try:
        return priorities.analyse(company, n_boot=0)
    except Exception as exc:  # the stages then use their own fallback, and say so
        log.warning("stage III priorities unavailable for the summary: %s", exc)
        return None


def summarise(company: Any, *, modules: Sequence[str] = HEADLINE_MODULES) -> dict:
    """The summary.json content of one company.

    Calls ``headline(analyse(company))`` of every stage module in ``modules`` that
    provides both; a module without them is marked ``absent``, one that raises is
    marked ``error`` with the message (the rest go on). Strategy and implementation
    are given the stage III priorities (``priorities.analyse(company, n_boot=0)``),
    as their notebooks give them, so the summary and the report's pages agree.

    Parameters
    ----------
    company : orient.Company
        A loaded company.
    modules : sequence of str
        Names of ``orient`` submodules to ask.

    Returns
    -------
    dict
        ``schema_version``, ``orient_version``, ``company`` (slug, name, language,
        currency), ``base`` (respondents, waves, rows_left_out) and ``stages``:
        one entry per module with ``status`` (``ok``, ``absent`` or ``error``),
        ``headline`` (a dict, or null), ``error`` (a message, or null) and
        ``warnings`` (the cautions, :class:`orient.OrientWarning`, its analysis raised).
    """
    from . import __version__

    stages: dict[str, dict] = {}
    stage3: Any = _NOT_YET  # the stage III result, computed on first need
    for name in modules:
        try:
            module = importlib.import_module(f"orient.{name}")
        except ImportError as exc:
            stages[name] = {"status": "absent", "headline": None, "error": None, "warnings": []}
            log.debug("orient.%s not importable: %s", name, exc)
            continue
        analyse = getattr(module, "analyse", None)
        headline = getattr(module, "headline", None)
        if not (callable(analyse) and callable(headline)):
            stages[name] = {"status": "absent", "headline": None, "error": None, "warnings": []}
            continue
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                if name in _TAKES_PRIORITIES:
                    if stage3 is _NOT_YET:
                        stage3 = _priorities_for(company)
                    result = headline(analyse(company, priorities=stage3))
                else:
                    result = headline(analyse(company))
        except Exception as exc:  # one stage's failure must not stop the summary
            stages[name] = {"status": "error", "headline": None,
                            "error": f"{type(exc).__name__}: {exc}", "warnings": []}
            continue
        cautions = _cautions(caught)
        if not isinstance(result, Mapping):
            stages[name] = {"status": "error", "headline": None, "warnings": cautions,
                            "error": f"headline() returned {type(result).__name__}, not a dict"}
            continue
        stages[name] = {"status": "ok", "headline": _json_safe(result), "error": None,
                        "warnings": cautions}
    return {
        "schema_version": SCHEMA_VERSION,
        "orient_version": __version__,
        "company": {
            "slug": str(company.slug),
            "name": str(company.name),
            "language": str(getattr(company, "language", "en") or "en"),
            "currency": _json_safe(getattr(company, "currency", None)),
        },
        "base": _base(company),
        "stages": stages,
    }


def summary_json(summary: Mapping) -> str:
    """Serialise a summary deterministically (sorted keys, no NaN, trailing newline)."""
    return json.dumps(_json_safe(summary), sort_keys=True, indent=2, ensure_ascii=False,
                      allow_nan=False) + "\n"


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
    here = Path(__file__).resolve().parent
    for candidate in (here / "notebooks", here.parent / "notebooks"):
        if candidate.is_dir():
            return candidate
    return here.parent / "notebooks"


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


# Run in the kernel before the first notebook: remember the settings of a fresh kernel.
_SNAPSHOT = r"""
def _orient_snapshot():
    import os, random, sys, types, warnings
    import numpy, pandas, matplotlib
    import matplotlib.pyplot
    try:
        import orient  # noqa: F401  (warm-up only: the name is local to this function)
    except ImportError:
        pass
    # report figures as SVG with real text: drawn about twice as fast as PNG, a fifth
    # of the size, sharp in print; ids in the SVG fixed, so the same figure gives the
    # same bytes
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    set_matplotlib_formats("svg")
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "orient"
    state = types.ModuleType("_orient_kernel_state")
    state.rc = matplotlib.rcParams.copy()
    state.np_print = numpy.get_printoptions()
    state.np_err = numpy.geterr()
    state.np_random = numpy.random.get_state()
    state.py_random = random.getstate()
    state.warnings = list(warnings.filters)
    state.environ = dict(os.environ)
    state.cwd = os.getcwd()
    state.path = list(sys.path)
    sys.modules["_orient_kernel_state"] = state
_orient_snapshot()
del _orient_snapshot
"""

# Run in the kernel between two notebooks: forget the previous notebook entirely.
_RESTORE = r"""
get_ipython().run_line_magic("reset", "-f")
def _orient_restore():
    import os, random, sys, warnings
    import numpy, pandas, matplotlib
    import matplotlib.pyplot
    state = sys.modules["_orient_kernel_state"]
    matplotlib.pyplot.close("all")
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    set_matplotlib_formats("svg")
    # the backend and interactive mode belong to the kernel (the inline backend shows a
    # figure at the end of its cell only in interactive mode): leave them as they are
    matplotlib.rcParams.update({k: v for k, v in state.rc.items()
                                if k not in ("backend", "interactive")})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pandas.reset_option("all")
    numpy.set_printoptions(**state.np_print)
    numpy.seterr(**state.np_err)
    numpy.random.set_state(state.np_random)
    random.setstate(state.py_random)
    warnings.resetwarnings()
    warnings.filters.extend(state.warnings)
    os.environ.clear()
    os.environ.update(state.environ)
    os.chdir(state.cwd)
    sys.path[:] = state.path
_orient_restore()
del _orient_restore
"""


# The kernel's first cell: summary.json, with the stage results kept for the notebooks.
_SUMMARY = r"""
def _orient_summary(company_dir, path):
    import orient
    import orient._memo
    import orient.report
    orient._memo.enable()
    text = orient.report.summary_json(orient.report.summarise(orient.load_company(company_dir)))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
_orient_summary({company_dir!r}, {path!r})
del _orient_summary
"""


def _summary_notebook(company_dir: Path, path: Path):
    """A one-cell notebook writing the company's summary.json to ``path``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(_SUMMARY.format(company_dir=str(company_dir),
                                                     path=str(path)))
    cell.metadata["orient"] = {"kernel_setup": True}
    nb.cells.append(cell)
    return nb


class CompanyKernel:
    """One fresh kernel for one company's notebooks, shut down immediately afterwards.

    The kernel takes its settings snapshot (and imports the scientific stack and
    orient, binding no name) while it starts up, so :meth:`launch` can return at once
    and the caller can do other work before :meth:`connect` waits for it. Use as a
    context manager; :meth:`run` executes one notebook in place.
    """

    def __init__(self, *, cwd: str | os.PathLike, kernel_name: str = "python3",
                 timeout: float = 600, startup_timeout: float = 120,
                 start_attempts: int = 3, transport: str | None = None,
                 fork_socket: str | None = None) -> None:
        self.cwd = str(cwd)
        # a kernel template (orient._forkkernel) to fork the kernel from, if any
        self.fork_socket = fork_socket
        # IPC (Unix sockets) has no ports to clash between parallel start-ups
        self.transport = transport or ("ipc" if os.name == "posix" else "tcp")
        self.kernel_name = kernel_name
        self.timeout = timeout
        self.startup_timeout = startup_timeout
        self.start_attempts = start_attempts
        self.client = None
        self.current_cell: int | None = None
        self._runs = 0
        self._attempt = 0

    def _new_client(self):
        import nbformat
        from nbclient import NotebookClient

        setup = Path(self.cwd) / ".orient_kernel_setup.py"
        setup.write_text(_SNAPSHOT, encoding="utf-8")
        client = NotebookClient(
            nbformat.v4.new_notebook(),
            kernel_name=self.kernel_name,
            timeout=self.timeout,
            startup_timeout=self.startup_timeout,
            shutdown_kernel="immediate",
            resources={"metadata": {"path": self.cwd}},
            record_timing=False,
            extra_arguments=[f"--IPKernelApp.exec_files={setup}"],
        )
        client.on_cell_start = self._on_cell_start
        client.timeout_func = self._cell_timeout
        if self.fork_socket:
            from . import _forkkernel

            client.kernel_manager_class = _forkkernel.kernel_manager_class()
        return client

    def _cell_timeout(self, cell) -> float:
        # the kernel set-up cell is orient's housekeeping, not the notebook's time
        if cell.get("metadata", {}).get("orient", {}).get("kernel_setup"):
            return max(self.timeout, 120)
        return self.timeout

    def _on_cell_start(self, cell=None, cell_index=None, **_):
        self.current_cell = cell_index

    def launch(self) -> CompanyKernel:
        """Start the kernel process and return at once (see :meth:`connect`)."""
        client = self._new_client()
        self._attempt += 1
        try:
            client.km = client.create_kernel_manager()
            if self.fork_socket:
                from . import _forkkernel

                if _forkkernel.forkable(client.km.kernel_spec.argv):
                    client.km.fork_socket = self.fork_socket
            client.km.transport = self.transport
            if self.transport == "ipc":  # absolute socket paths: the kernel runs in cwd
                client.km.ip = os.path.join(self.cwd, f".orient-ipc-{self._attempt}")
            client.start_new_kernel(cwd=self.cwd)
        except Exception:
            _quiet_shutdown(client)
            raise
        self.client = client
        self._runs = 0
        return self

    def connect(self) -> CompanyKernel:
        """Wait until the launched kernel answers (it has run its set-up by then)."""
        try:
            self.client.start_new_kernel_client()
        except Exception:
            self.shutdown()
            raise
        return self

    def start(self) -> CompanyKernel:
        """Launch and connect, retrying a start-up that fails (a port clash, a kernel
        dead at birth) up to ``start_attempts`` times."""
        last: BaseException | None = None
        for attempt in range(self.start_attempts):
            try:
                return self.launch().connect()
            except Exception as exc:
                last = exc
                log.warning("kernel start-up failed (attempt %d): %s", attempt + 1, exc)
                self.shutdown()
                self.fork_socket = None  # the next attempt starts a kernel the usual way
        raise ReportError("could not start a kernel",
                          error=f"{type(last).__name__}: {last}") from last

    def run(self, nb):
        """Execute ``nb`` in place (and return it); from the second notebook on, the
        kernel is first reset to its state after start-up."""
        import nbformat

        if self.client is None or self.client.kc is None:
            raise RuntimeError("CompanyKernel.run() before start()")
        if self._runs > 0:
            setup = nbformat.v4.new_code_cell(_RESTORE)
            setup.metadata["orient"] = {"kernel_setup": True}
            nb.cells.insert(0, setup)
        self.current_cell = None
        self.client.nb = nb
        try:
            self.client.execute(cleanup_kc=False)
        finally:
            if nb.cells and nb.cells[0].get("metadata", {}).get("orient", {}).get("kernel_setup"):
                nb.cells.pop(0)
                if self.current_cell is not None:  # index in the notebook as saved
                    self.current_cell -= 1
            self._runs += 1
        return nb

    def shutdown(self) -> None:
        if self.client is not None:
            _quiet_shutdown(self.client)
            self.client = None

    def __enter__(self) -> CompanyKernel:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.shutdown()


def _quiet_shutdown(client) -> None:
    try:
        if client.km is not None:
            client._cleanup_kernel()
    except Exception as exc:  # the kernel may already be gone
        log.debug("kernel clean-up: %s", exc)


def _error_cell(nb) -> int | None:
    """1-based position (in the saved notebook) of the first cell with an error output."""
    for i, cell in enumerate(nb.cells, start=1):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i
    return None


def execute_notebooks(notebooks: Sequence[tuple[str, Any]], *, cwd: str | os.PathLike,
                      timeout: float = 600, kernel_name: str = "python3",
                      retries: int = 1, kernel: CompanyKernel | None = None,
                      fork_socket: str | None = None) -> list[Any]:
    """Execute one company's (already parameterised) notebooks in one fresh kernel.

    Parameters
    ----------
    notebooks : sequence of (name, NotebookNode)
        The notebooks, run in this order; not modified.
    cwd : path
        Working directory of the kernel.
    timeout : float
        Seconds one cell may run before it counts as hung.
    kernel_name : str
        Jupyter kernel to start.
    retries : int
        How many times a company whose kernel died or hung is run again from the
        start in a new kernel.
    kernel : CompanyKernel, optional
        A kernel already launched (not yet connected) for the first attempt, so its
        start-up overlaps the caller's work; it is shut down here.
    fork_socket : str, optional
        A kernel template (:mod:`orient._forkkernel`) to fork the kernels of retries
        from.

    Returns
    -------
    list of NotebookNode
        The executed notebooks, in order.

    Raises
    ------
    ReportError
        With the notebook, the 1-based cell and the error, when a cell raises, or when
        the kernel died or hung on every attempt.
    """
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if not notebooks:
        if kernel is not None:
            kernel.shutdown()
        return []
    failure: tuple[str, int | None, str] | None = None
    for attempt in range(retries + 1):
        copies = [(name, copy.deepcopy(nb)) for name, nb in notebooks]
        current = None
        try:
            if attempt == 0 and kernel is not None and kernel.client is not None:
                try:
                    kernel.connect()
                except Exception as exc:
                    log.warning("pre-launched kernel failed (%s); starting another", exc)
                    kernel = CompanyKernel(cwd=cwd, kernel_name=kernel_name, timeout=timeout)
                    kernel.start()
            else:
                kernel = CompanyKernel(cwd=cwd, kernel_name=kernel_name, timeout=timeout,
                                       fork_socket=fork_socket)
                kernel.start()
            for name, nb in copies:
                current = (name, nb)
                kernel.run(nb)
            return [nb for _, nb in copies]
        except CellExecutionError as exc:
            name, nb = current
            raise ReportError("a notebook cell failed", notebook=name, cell=_error_cell(nb),
                              error=f"{exc.ename}: {exc.evalue}") from None
        except (DeadKernelError, CellTimeoutError, TimeoutError) as exc:
            name = current[0] if current else None
            kind = "hung (cell time-out)" if isinstance(exc, TimeoutError) else "died"
            cell = kernel.current_cell + 1 if kernel.current_cell is not None else None
            failure = (name, cell, f"the kernel {kind}: {exc}".strip())
            log.warning("%s: kernel %s in cell %s (attempt %d)", name, kind, cell, attempt + 1)
        finally:
            kernel.shutdown()
    name, cell, error = failure
    raise ReportError(f"the kernel died or hung {retries + 1} times", notebook=name, cell=cell,
                      error=error)


# --------------------------------------------------------------------------- HTML


_ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "div",
    "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul", "mark", "s",
})
_ALLOWED_ATTRS = {
    "*": ["class", "id", "title", "style"],
    "a": ["href", "title", "class"],
    "th": ["class", "id", "colspan", "rowspan", "scope", "style", "title"],
    "td": ["class", "id", "colspan", "rowspan", "style", "title"],
    "col": ["span", "class", "style"],
    "colgroup": ["span", "class", "style"],
    "ol": ["start", "class"],
}
_ALLOWED_CSS = (
    "color", "background-color", "font-weight", "font-style", "text-align", "vertical-align",
    "white-space", "width", "min-width", "max-width", "padding", "padding-left",
    "padding-right", "border", "border-top", "border-bottom", "border-left", "border-right",
    "border-color", "border-width", "border-style", "border-collapse", "text-decoration",
    "font-size", "opacity",
)
_CSS_FUNCTIONS = frozenset({"rgb", "rgba", "hsl", "hsla"})
_STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)


_ID_SELECTOR = re.compile(r"#([A-Za-z_][A-Za-z0-9_-]*)\Z")


def _sanitize_css(css: str) -> tuple[str, dict[str, list[str]]]:
    """Keep only plain rules with allowed properties (no url(), @import, expressions).

    Returns the rules to keep in a ``<style>`` block and, separately, the declarations
    of rules that select one element by id (pandas Styler's ``#T_..._row0_col1``),
    which are cheaper inline. pandas' default ``.dataframe`` rules are dropped: the
    report's stylesheet covers them (and a PDF with hundreds of copies lays out slowly).
    """
    import tinycss2

    kept: list[str] = []
    by_id: dict[str, list[str]] = {}
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue  # drops @import, @font-face, @media...
        prelude = " ".join(tinycss2.serialize(rule.prelude).split())
        if not prelude or any(ch in prelude for ch in "\\<>{}@") or "(" in prelude.replace(
                ":nth-child(", "").replace(":only-of-type", ""):
            continue
        decls = []
        for decl in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                    skip_whitespace=True):
            if decl.type != "declaration" or decl.lower_name not in _ALLOWED_CSS:
                continue
            if any(t.type == "function" and t.lower_name not in _CSS_FUNCTIONS
                   for t in decl.value) or any(t.type == "url" for t in decl.value):
                continue
            value = tinycss2.serialize(decl.value).strip()
            if "\\" in value or "<" in value or '"' in value:
                continue
            decls.append(f"{decl.lower_name}: {value}{' !important' if decl.important else ''}")
        if not decls:
            continue
        rest = []
        for part in (p.strip() for p in prelude.split(",")):
            if part.startswith(".dataframe"):
                continue
            m = _ID_SELECTOR.match(part)
            if m:
                by_id.setdefault(m.group(1), []).extend(decls)
            elif part:
                rest.append(part)
        if rest:
            kept.append(f"{', '.join(rest)} {{ {'; '.join(decls)} }}")
    return "\n".join(kept), by_id


def _inline_styles(html_text: str, by_id: Mapping[str, list[str]]) -> str:
    """Add the id rules' declarations to the elements' own style attributes."""
    if not by_id:
        return html_text

    def repl(m: re.Match) -> str:
        decls = by_id.get(m.group(2))
        if not decls:
            return m.group(0)
        attrs = m.group(1)
        extra = "; ".join(decls)
        if ' style="' in attrs:
            attrs = attrs.replace(' style="', f' style="{extra}; ', 1)
        else:
            attrs += f' style="{extra}"'
        return f"<{attrs}>"

    return re.sub(r'<([a-z][a-z0-9]*\b[^>]*?\sid="([^"]+)"[^>]*?)>', repl, html_text)


def sanitize_html(fragment: str) -> str:
    """Make an output's HTML safe to embed: no script, no event handler, no request.

    Disallowed tags are escaped (they show as text), not executed; ``<style>`` blocks
    keep only plain rules with a short list of properties and no ``url()``; rules for
    one element id are moved inline.
    """
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    rules: list[str] = []
    by_id: dict[str, list[str]] = {}
    for m in _STYLE_BLOCK.finditer(fragment):
        kept, ids = _sanitize_css(m.group(1))
        if kept:
            rules.append(kept)
        for key, decls in ids.items():
            by_id.setdefault(key, []).extend(decls)
    body = _STYLE_BLOCK.sub("", fragment)
    clean = bleach.clean(
        body,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        protocols={"http", "https", "mailto"},
        strip=False,
        strip_comments=True,
        css_sanitizer=CSSSanitizer(allowed_css_properties=_ALLOWED_CSS),
    )
    clean = _inline_styles(clean, by_id)
    return (f"<style>\n{chr(10).join(rules)}\n</style>\n" if rules else "") + clean


def _markdown_html(source: str) -> str:
    from nbconvert.filters.markdown import markdown2html

    return sanitize_html(markdown2html(source))


_HEADING = re.compile(r"<h([1-6])(\s[^>]*)?>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.|\d+(?:\.\d+)+|[IVX]+\.)\s+")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")


def _demote(html_text: str, drop_first_h1: bool) -> tuple[str, bool]:
    """Shift headings one level down (h1 -> h2 ...); optionally drop the first h1."""
    dropped = False

    def repl(m: re.Match) -> str:
        nonlocal dropped
        level = int(m.group(1))
        if level == 1 and drop_first_h1 and not dropped:
            dropped = True
            return ""
        new = min(level + 1, 6)
        return f"<h{new}{m.group(2) or ''}>{m.group(3)}</h{new}>"

    return _HEADING.sub(repl, html_text), dropped


def _plain_text(fragment: str) -> str:
    """The text of an HTML fragment (tags and anchor links dropped, entities decoded)."""
    import html as _html

    fragment = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", fragment, flags=re.DOTALL)
    return " ".join(_html.unescape(_TAG.sub("", fragment)).split())


def _table_class(html_text: str) -> str:
    m = re.search(r"<tr\b.*?</tr>", html_text, re.IGNORECASE | re.DOTALL)
    n = len(re.findall(r"<t[hd]\b", m.group(0), re.IGNORECASE)) if m else 0
    return "very-wide" if n > 14 else "wide" if n > 8 else ""


_SKIP_TAGS = {"parameters", "injected-parameters", "remove-cell", "remove_cell"}
_NO_OUTPUT_TAGS = {"remove-output", "remove_output"}


_TABLE_CELL = re.compile(r"<(t[hd])\b([^>]*)>([^<]*)</\1\s*>", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(%?)")


def _localise_table(fragment: str, language: str) -> str:
    """A table's plain header cells, known values and numbers in the report's language.

    ``<th>`` texts found in ``terms.columns`` (or ``terms.measures``) and ``<td>`` texts
    in ``terms.values`` of the language's texts are replaced; a ``<td>`` holding only a
    number as pandas prints it (``1,234.5``, ``-0.25``, ``12%``) gets the language's
    separators. Cells with markup inside, and English, are left as they are.
    """
    import html as _html

    if language == "en":
        return fragment
    terms = _texts(language).get("terms", {})
    headers = {**terms.get("measures", {}), **terms.get("columns", {})}
    values = terms.get("values", {})
    patterns = _value_patterns(language)

    def repl(m: re.Match) -> str:
        tag, attrs, inner = m.group(1), m.group(2), m.group(3)
        text = _html.unescape(inner).strip()
        table = {**values, **headers} if tag.lower() == "th" else values
        if text in table:
            new = _html.escape(str(table[text]), quote=False)
        elif tag.lower() == "td" and (num := _PLAIN_NUMBER.fullmatch(text)):
            sign, whole, frac, pct = num.groups()
            new = sign + whole.replace(",", "\u202f") + (frac or "").replace(".", ",") + pct
        elif tag.lower() == "td" and (found := next(
                (p.fullmatch(text) for p, _ in patterns if p.fullmatch(text)), None)):
            out = found.expand(dict(patterns)[found.re])
            new = _html.escape(re.sub(r"(?<=\d),(?=\d{3}\b)", "\u202f", out), quote=False)
        else:
            return m.group(0)
        return f"<{tag}{attrs}>{new}</{tag}>"

    return _TABLE_CELL.sub(repl, fragment)


@lru_cache(maxsize=4)
def _value_patterns(language: str) -> list:
    """``terms.value_patterns`` of the language: (compiled regex, replacement) pairs for
    table cells that hold a sentence with a number or a name in it (``survey.csv (66
    rows)``); the first full match wins, thousands in the result get thin spaces."""
    return [(re.compile(item["match"]), item["replace"])
            for item in _texts(language).get("terms", {}).get("value_patterns", [])]


@lru_cache(maxsize=16)
def _narrative(name: str, language: str) -> dict:
    """``{cell id: (English source, translation)}`` of notebook ``name`` in ``language``.

    From ``templates/notebooks/<language>/<name>.yaml``; empty when there is none
    (English, or a notebook orient does not ship).
    """
    import yaml

    path = _TEMPLATES / "notebooks" / language / f"{name}.yaml"
    if language == "en" or not path.is_file():
        return {}
    with open(path, encoding="utf-8") as fh:
        entries = yaml.safe_load(fh) or {}
    return {str(key): (str(entry["en"]), str(entry[language])) for key, entry in entries.items()}


def _cell_source(name: str, cell, language: str) -> str:
    """A markdown cell's text in the report's language.

    The translation replaces the cell only while the cell still reads exactly what
    was translated; an edited or unknown cell stays as written.
    """
    entry = _narrative(name, language).get(str(cell.get("id", "")))
    if entry is not None and entry[0].strip() == cell.source.strip():
        return entry[1]
    return cell.source


def _report_cells(name: str, stage: str, nb, texts: dict) -> list:
    """The cells of one executed notebook as the report shows them."""
    import nbformat

    language = texts.get("language", "en")

    cells = []
    title = nbformat.v4.new_markdown_cell("")
    title.metadata["orient"] = {"stage_title": texts["stages"].get(stage, stage),
                                "stage_id": f"stage-{name}"}
    cells.append(title)
    caption = ""
    first_h1_pending = True
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & _SKIP_TAGS or cell.get("metadata", {}).get("orient", {}).get("kernel_setup"):
            continue
        if cell.cell_type == "markdown":
            html_text = _markdown_html(_cell_source(name, cell, language))
            headings = [_plain_text(m.group(3)) for m in _HEADING.finditer(html_text)]
            if headings and headings[-1]:
                caption = _NUMBERING.sub("", headings[-1])  # "2. Which segments" -> "Which segments"
            html_text, dropped = _demote(html_text, first_h1_pending)
            if dropped:
                first_h1_pending = False
            if not _TAG.sub("", html_text).strip():
                continue
            out = nbformat.v4.new_markdown_cell("")
            out.metadata["orient"] = {"html": html_text}
            cells.append(out)
        elif cell.cell_type == "code":
            if tags & _NO_OUTPUT_TAGS:
                continue
            cell_caption = str(cell.get("metadata", {}).get("caption", "") or caption)
            outputs = []
            for output in cell.get("outputs", []):
                if output.get("output_type") not in ("display_data", "execute_result"):
                    continue  # streams (prints, logs, warnings) and errors never show
                data = output.get("data", {})
                meta = {"orient_caption": str(output.get("metadata", {}).get("caption", "")
                                              or cell_caption)}
                if "image/png" in data:
                    outputs.append(nbformat.v4.new_output(
                        "display_data", data={"image/png": data["image/png"]}, metadata=meta))
                elif "image/jpeg" in data:
                    outputs.append(nbformat.v4.new_output(
                        "display_data", data={"image/jpeg": data["image/jpeg"]}, metadata=meta))
                elif "image/svg+xml" in data:  # shown through <img>: inert, no script runs
                    svg = _join(data["image/svg+xml"]).encode("utf-8")
                    outputs.append(nbformat.v4.new_output(
                        "display_data", data={"image/svg+xml": base64.b64encode(svg).decode()},
                        metadata=meta))
                elif "text/html" in data or "text/markdown" in data:
                    if "text/html" in data:
                        fragment = sanitize_html(_join(data["text/html"]))
                    else:
                        fragment = _demote(_markdown_html(_join(data["text/markdown"])),
                                           False)[0]
                    if re.search(r"<table\b", fragment, re.IGNORECASE):
                        fragment = _localise_table(fragment, language)
                        meta["orient_table"] = True
                        meta["orient_table_class"] = _table_class(fragment)
                    outputs.append(nbformat.v4.new_output(
                        "display_data", data={"text/html": fragment}, metadata=meta))
                # text/plain alone (object reprs), widgets, javascript, svg: not shown
            if outputs:
                out = nbformat.v4.new_code_cell("")
                out.outputs = outputs
                cells.append(out)
    return cells


def _join(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _number_and_toc(html_text: str, words: dict) -> str:
    """Number figures and tables, give headings ids and fill the contents."""
    head, marker, body = html_text.partition("<!--ORIENT-TOC-->")
    if not marker:
        return html_text
    counters = {"fignum": 0, "tabnum": 0}

    def number(m: re.Match) -> str:
        counters[m.group(1)] += 1
        return f'<span class="{m.group(1)}">{counters[m.group(1)]}</span>'

    body = re.sub(r'<span class="(fignum|tabnum)"></span>', number, body)
    entries = [(2, "executive-summary", words["executive_summary"])]
    count = 0

    def heading(m: re.Match) -> str:
        nonlocal count
        level = int(m.group(1))
        if level not in (2, 3):
            return m.group(0)
        count += 1
        ident = f"sec-{count}"
        attrs = re.sub(r'\sid="[^"]*"', "", m.group(2) or "")
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", m.group(3), flags=re.DOTALL)
        entries.append((level, ident, _TAG.sub("", inner).strip()))
        return f'<h{level}{attrs} id="{ident}">{inner}</h{level}>'

    body = _HEADING.sub(heading, body)
    items = "\n".join(
        f'<li class="lvl{level}"><a href="#{ident}">{text}</a></li>'  # text is already escaped
        for level, ident, text in entries
    )
    return f"{head}<ol>\n{items}\n</ol>{body}"


def _findings(summary: Mapping, language: str, labels: Mapping[str, str] | None = None) -> list:
    import jinja2.meta
    from markupsafe import Markup

    texts = _texts(language)
    env = _sentence_env(language, labels)
    stages = dict(summary.get("stages", {}))
    stages["operations"] = {"headline": _biggest_risk(stages)}
    out = []
    for spec in texts.get("findings", []):
        names = spec["stage"] if isinstance(spec["stage"], list) else [spec["stage"]]
        for stage in names:
            head = stages.get(stage, {}).get("headline") or {}
            if all(head.get(k) is not None for k in spec["requires"]):
                try:
                    names = jinja2.meta.find_undeclared_variables(env.parse(spec["text"]))
                    values = {name: head.get(name) for name in names}  # missing -> None
                    text = env.from_string(spec["text"]).render(**values)
                except Exception as exc:  # a template that does not fit the data is skipped
                    log.warning("finding for %s skipped: %s", stage, exc)
                    break
                # ASCII white space only: the thin space inside Russian numbers stays
                out.append((bool(spec.get("optional")), Markup(_ASCII_SPACE.sub(" ", text).strip())))
                break
    while len(out) > MAX_FINDINGS and any(optional for optional, _ in out):
        last = max(i for i, (optional, _) in enumerate(out) if optional)
        del out[last]
    return [text for _, text in out[:MAX_FINDINGS]]


def _labels(company: Any) -> dict[str, str]:
    """Attribute (and action) keys -> their labels from company.yaml, for sentences."""
    labels: dict[str, str] = {}
    for attribute in getattr(company, "attributes", None) or []:
        key, label = getattr(attribute, "key", None), getattr(attribute, "label", None)
        if key and label:
            labels[str(key)] = str(label)
    actions = getattr(getattr(company, "profile", None), "actions", None)
    if isinstance(actions, Mapping):
        for key, spec in actions.items():
            if isinstance(spec, Mapping) and spec.get("label"):
                labels[str(key)] = str(spec["label"])
    return labels


def _biggest_risk(stages: Mapping) -> dict | None:
    """The service, quality or CRM headline whose risk is the most severe."""
    best, best_severity = None, None
    for name in ("service", "quality", "crm"):
        head = (stages.get(name) or {}).get("headline") or {}
        if head.get("risk") is None:
            continue
        severity = head.get("risk_severity")
        severity = float(severity) if isinstance(severity, (int, float)) else float("-inf")
        if best is None or severity > best_severity:
            best, best_severity = head, severity
    return best


def _key_figures(summary: Mapping, language: str) -> list[dict]:
    """Rows of the key-figures table: the curated list in the language's texts."""
    texts = _texts(language)
    stages = summary.get("stages", {})
    rows = []
    for spec in texts.get("key_figures", []):
        value = ((stages.get(spec["stage"]) or {}).get("headline") or {}).get(spec["key"])
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            shown = format_number(value * spec.get("scale", 1), language, spec.get("decimals", 1))
        elif isinstance(value, str):
            shown = value
        else:
            continue
        rows.append({"stage": texts["stages"].get(spec["stage"], spec["stage"]),
                     "label": spec["label"], "value": shown + spec.get("unit", "")})
    return rows


def _report_date(date: Any) -> str:
    if date is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch and epoch.isdigit():
            date = _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).date()
        else:
            date = _dt.date.today()
    if isinstance(date, (_dt.date, _dt.datetime)):
        return date.isoformat()[:10]
    return str(date)


def render_html(company: Any, summary: Mapping, notebooks: Iterable[tuple[str, str, Any]], *,
                date: Any = None) -> str:
    """The report as one self-contained HTML string.

    Parameters
    ----------
    company : orient.Company
        The company (name, language, currency, survey for the data base).
    summary : dict
        From :func:`summarise`.
    notebooks : iterable of (stem, stage key, executed NotebookNode)
        The stage notebooks in report order.
    date : date or str, optional
        The date on the title block (default today, or ``SOURCE_DATE_EPOCH``).

    Returns
    -------
    str
    """
    import jinja2
    import nbformat
    from markupsafe import Markup

    from . import __version__

    language = summary["company"]["language"]
    if language not in ("en", "ru"):
        language = "en"
    texts = _texts(language)
    words = texts["words"]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_TEMPLATES / "report")),
                             autoescape=True)
    base = summary.get("base", {})
    parts = []
    if base.get("respondents") is not None:
        n = base["respondents"]
        parts.append(f"{format_number(n, language, 0)} {plural(n, words['respondents'], language)}")
    if base.get("waves"):
        n = len(base["waves"])
        parts.append(f"{n} {plural(n, words['waves'], language)}")
    period = base.get("period")
    if period is None and base.get("waves") and len(base["waves"]) > 1:
        period = f"{base['waves'][0]} \u2013 {base['waves'][-1]}"
    notes = []
    sentence = _sentence_env(language)
    for stage, entry in summary.get("stages", {}).items():
        if entry.get("status") == "error":
            reason = Markup(sentence.from_string(words["stage_error"]).render(
                reason=entry.get("error")))  # rendered with autoescape: already safe
            notes.append(Markup("{}: {}").format(texts["stages"].get(stage, stage), reason))
        for caution in entry.get("warnings") or []:  # cautions never reach the notebooks' pages
            notes.append(Markup("{}: {}").format(
                texts["stages"].get(stage, stage),
                Markup(sentence.from_string(words["stage_caution"]).render(caution=caution))))
    front = env.get_template("front.html.j2").render(
        words=words,
        company={"name": summary["company"]["name"], "currency": summary["company"]["currency"]},
        date=_report_date(date),
        base_text=", ".join(parts) or words["not_available"],
        period=period,
        findings=_findings(summary, language, _labels(company)),
        key_figures=_key_figures(summary, language),
        notes=notes,
    )
    combined = nbformat.v4.new_notebook()
    for name, stage, nb in notebooks:
        combined.cells.extend(_report_cells(name, stage, nb, texts))
    n_tables = 0
    shown: dict[str, int] = {}  # a table's HTML -> its number
    for cell in combined.cells:
        for output in cell.get("outputs", []):
            if not output.metadata.get("orient_table"):
                continue
            fragment = _join(output.data["text/html"])
            if fragment in shown:  # the same table again (each notebook stands alone)
                note = sentence.from_string(words["same_table"]).render(number=shown[fragment])
                output.data = {"text/html": f'<p class="same-table">{note}</p>'}
                output.metadata["orient_table"] = False
                continue
            n_tables += 1
            shown[fragment] = n_tables
            output.metadata["orient_table_id"] = n_tables
    resources = {
        "orient": {
            "language": language,
            "title": f"{summary['company']['name']} \u2014 {words['report_title']}",
            "css": (_TEMPLATES / "report" / "report.css").read_text(encoding="utf-8"),
            "front": front,
            "words": words,
            "colophon": sentence.from_string(words["generated_by"]).render(version=__version__),
        }
    }
    body, _ = _exporter().from_notebook_node(combined, resources=resources)
    return _number_and_toc(body, words)


@lru_cache(maxsize=1)
def _exporter():
    """nbconvert's template exporter with orient's template, made once per process.

    Not ``HTMLExporter``: it re-parses the finished page with BeautifulSoup to add
    alt texts and tab stops for JupyterLab's classes (over a second per report), and
    orient's template writes its own alt texts and has no such classes.
    """
    from nbconvert.exporters import TemplateExporter

    return TemplateExporter(
        template_name="orient_report",
        extra_template_basedirs=[str(_TEMPLATES / "nbconvert")],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # validate once, not after every preprocessor
        file_extension=".html",
    )


def html_to_pdf(html_text: str) -> bytes:
    """Print the report HTML to an A4 PDF with WeasyPrint.

    A table wider than the page is set in a smaller font in proportion until it
    fits; one that would need less than 60% of its size gets a landscape page of
    its own first (floor: 40% of its size). The tables that might be too wide are
    measured first in a small document of their own, so the report itself is laid
    out once.
    """
    return fit_document(html_text).write_pdf()


_LANDSCAPE_GAIN = (297 - 32) / (210 - 32)  # A4 text width, landscape over portrait (mm)
_TEXT_WIDTH_PT = (210 - 32) * 72 / 25.4  # A4 portrait text width (report.css @page margins)
# Print font size of tables in report.css: .78rem of 9.5pt; .wide .68rem; .very-wide .58rem.
_TABLE_EM_PT = {"": 0.78 * 9.5, "wide": 0.68 * 9.5, "very-wide": 0.58 * 9.5}
_WRAP_CLASS = re.compile(r'<div class="table-wrap ?([a-z-]*)"')
_FIGURE = re.compile(r'<figure\b[^>]*\bdata-table="([^"]+)"[^>]*>.*?</figure\s*>',
                     re.IGNORECASE | re.DOTALL)
_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.IGNORECASE | re.DOTALL)
_CELL = re.compile(r"<t([hd])\b([^>]*)>(.*?)</t\1\s*>", re.IGNORECASE | re.DOTALL)
_SPAN = re.compile(r'\b(colspan|rowspan)="?(\d+)', re.IGNORECASE)


def fit_document(html_text: str):
    """The WeasyPrint document of :func:`html_to_pdf`, with wide tables fitted."""
    scales: dict[str, float] = {}
    landscape: set[str] = set()
    idents = _maybe_wide_tables(html_text)
    for _ in range(3):  # measure the candidates in a small document of their own
        probe = _table_probe(html_text, idents)
        if probe is None:
            break
        overflow = _overflowing_tables(_render(_with_fit_rules(probe, scales, landscape)))
        turned = len(landscape)
        _refit(overflow, scales, landscape)
        # a smaller font shrinks a table in proportion; a landscape page is only estimated
        idents = [i for i in overflow if i in landscape] if len(landscape) > turned else []
    document = _render(_with_fit_rules(html_text, scales, landscape))
    for _ in range(2):  # a safety net: the probe should have left nothing to fit
        overflow = _overflowing_tables(document)
        if not overflow:
            break
        _refit(overflow, scales, landscape)
        document = _render(_with_fit_rules(html_text, scales, landscape))
    return document


def _render(html_text: str):
    import weasyprint

    return weasyprint.HTML(string=html_text, base_url=None).render()


def _refit(overflow: Mapping[str, float], scales: dict[str, float], landscape: set[str]) -> None:
    """Shrink (or turn) the tables in *overflow*, ``{id: available / table width}``."""
    for ident, ratio in overflow.items():
        if ident not in landscape and scales.get(ident, 1.0) * ratio < 0.6:
            landscape.add(ident)
            ratio *= _LANDSCAPE_GAIN  # estimate: the landscape page is this much wider
        scales[ident] = max(0.4, min(1.0, scales.get(ident, 1.0) * ratio * 0.92))


def _with_fit_rules(html_text: str, scales: Mapping[str, float], landscape: set[str]) -> str:
    rules = [f'figure[data-table="{i}"] {{ page: landscape; }}' for i in sorted(landscape)]
    rules += [f'.table-wrap[data-table="{i}"] table {{ font-size: {s * 100:.1f}%; }}'
              for i, s in sorted(scales.items())]
    if not rules:
        return html_text
    css = "\n".join(rules)
    return html_text.replace("</head>", f"<style>@media print {{\n{css}\n}}</style>\n</head>", 1)


@lru_cache(maxsize=1)
def _glyph_widths() -> dict[str, float]:
    """Advance widths, in em, of DejaVu Sans Bold (wider than the regular face); {} if absent."""
    import shutil
    import subprocess

    try:
        from fontTools.ttLib import TTFont

        fc_match = shutil.which("fc-match")
        path = subprocess.run([fc_match, "DejaVu Sans:bold", "--format=%{file}"],
                              capture_output=True, text=True, timeout=10).stdout.strip()
        font = TTFont(path, lazy=True)
        metrics, per_em = font["hmtx"].metrics, font["head"].unitsPerEm
        return {chr(cp): metrics[glyph][0] / per_em for cp, glyph in font.getBestCmap().items()}
    except Exception:  # no fontconfig or font: every character counts as 1.2 em
        return {}


def _maybe_wide_tables(html_text: str) -> list[str]:
    """Ids of the tables that might not fit the page width, judged from their text.

    A table needs at least the sum, over its columns, of the widest unbreakable word
    in each. That is counted here generously (bold glyph widths plus 5%, a cell's
    padding plus .3 em), so a table left out cannot be too
    wide; only the others are measured. Misjudging costs time, never the fit: the
    final layout is checked too.
    """
    import html as _html

    glyphs = _glyph_widths()
    found = []
    for figure in _FIGURE.finditer(html_text):
        wrap = _WRAP_CLASS.search(figure.group(0))
        em = _TABLE_EM_PT.get(wrap.group(1) if wrap else "", _TABLE_EM_PT[""])
        limit = _TEXT_WIDTH_PT / em  # the text width, in ems of the table font
        columns: dict[int, float] = {}
        spanning = 0.0
        taken: set[tuple[int, int]] = set()  # (row, column) filled by an earlier rowspan
        for r, row in enumerate(_ROW.findall(figure.group(0))):
            c = 0
            for _kind, attrs, content in _CELL.findall(row):
                while (r, c) in taken:
                    c += 1
                spans = {k.lower(): int(v) for k, v in _SPAN.findall(attrs)}
                colspan, rowspan = max(1, spans.get("colspan", 1)), max(1, spans.get("rowspan", 1))
                words = _html.unescape(_TAG.sub(" ", content)).split()
                width = 1.0 + 1.05 * max((sum(glyphs.get(ch, 1.2) for ch in w) for w in words),
                                         default=0.0)
                if colspan > 1:
                    spanning += width
                else:
                    columns[c] = max(columns.get(c, 0.0), width)
                taken.update((r + dr, c + dc) for dr in range(1, rowspan) for dc in range(colspan))
                c += colspan
        if sum(columns.values()) + spanning > limit:
            found.append(figure.group(1))
    return found


def _table_probe(html_text: str, idents: Sequence[str]) -> str | None:
    """The report's head and only the figures of tables *idents*, to measure them."""
    wanted = set(idents)
    figures = [m.group(0) for m in _FIGURE.finditer(html_text) if m.group(1) in wanted]
    head = re.search(r"^.*?</head\s*>", html_text, re.IGNORECASE | re.DOTALL)
    if not figures or head is None:
        return None
    return f'{head.group(0)}\n<body>\n<main class="report">\n{"".join(figures)}\n</main>\n</body>\n</html>'


def _overflowing_tables(document) -> dict[str, float]:
    """``{data-table id: available width / table width}`` for tables wider than the page."""
    found: dict[str, float] = {}
    for page in document.pages:
        root = page._page_box
        limit = root.position_x + root.margin_left + root.padding_left + root.width
        stack = [(root, None)]
        while stack:
            box, ident = stack.pop()
            element = getattr(box, "element", None)
            if element is not None and getattr(box, "element_tag", None) in ("div", "figure"):
                ident = element.get("data-table", ident)
            if ident is not None and type(box).__name__ == "TableBox":
                right = box.position_x + box.margin_width()
                if right > limit + 0.5:
                    available = limit - box.position_x
                    found[ident] = min(found.get(ident, 1.0), available / box.margin_width())
                continue
            stack.extend((child, ident) for child in getattr(box, "children", None) or [])
    return found


# --------------------------------------------------------------------------- build


_template_dir: str | None = None


def _kernel_template() -> str | None:
    """The socket of this process's kernel template (started on first use), or None
    when it cannot start (kernels then start the usual way)."""
    global _template_dir
    from . import _forkkernel

    try:
        if _template_dir is None or not os.path.isdir(_template_dir):
            _template_dir = tempfile.mkdtemp(prefix="orient-kernels-")
        return _forkkernel.start_server(_template_dir)
    except Exception as exc:
        log.warning("no kernel template (%s); starting kernels the usual way", exc)
        return None


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build_company` wrote."""

    slug: str
    out_dir: Path
    html: Path
    pdf: Path | None
    summary: Path
    notebooks: tuple[Path, ...]


def build_company(company_dir: str | os.PathLike, out_dir: str | os.PathLike, *,
                  notebooks_dir: str | os.PathLike | None = None, pdf: bool = True,
                  timeout: float = 600, kernel_name: str = "python3", date: Any = None,
                  retries: int = 1, fork_kernels: bool = False) -> BuildResult:
    """Like :func:`build`, returning every path written."""
    import nbformat

    from . import company as _company

    company_dir = Path(company_dir).resolve()
    stages = stage_notebooks(notebooks_dir)
    fork_socket = _kernel_template() if fork_kernels and stages else None
    with tempfile.TemporaryDirectory(prefix="orient-kernel-") as cwd:
        # the kernel starts up (imports, settings snapshot) while this process loads
        # the company and prepares the notebooks
        kernel = CompanyKernel(cwd=cwd, kernel_name=kernel_name, timeout=timeout,
                               fork_socket=fork_socket)
        if stages:
            try:
                kernel.launch()
            except Exception as exc:  # execute_notebooks starts (and retries) another
                log.warning("kernel launch failed: %s", exc)
        try:
            company = _company.load_company(company_dir)
            target = safe_output_dir(out_dir, company.slug)
            params = {"company_dir": str(company_dir), "output_dir": str(target)}
            prepared = [(stem, parameterise(nbformat.read(path, as_version=4), params, name=stem))
                        for stem, _, path in stages]
        except BaseException:
            kernel.shutdown()
            raise
        if stages:
            # summary.json is computed in the company's kernel first, with the stage
            # results kept (orient._memo) for the notebooks that ask for them again
            summary_file = Path(cwd) / ".orient_summary.json"
            prepared.insert(0, ("summary", _summary_notebook(company_dir, summary_file)))
            executed = execute_notebooks(prepared, cwd=cwd, timeout=timeout,
                                         kernel_name=kernel_name, retries=retries,
                                         kernel=kernel, fork_socket=fork_socket)[1:]
            summary_text = summary_file.read_text(encoding="utf-8")
            summary = json.loads(summary_text)
        else:
            kernel.shutdown()
            executed = []
            summary = summarise(company)
            summary_text = summary_json(summary)
    html_text = render_html(company, summary,
                            [(stem, stage, nb) for (stem, stage, _), nb in zip(stages, executed, strict=True)],
                            date=date)
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
        from a template process kept by this process, :mod:`orient._forkkernel`,
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
