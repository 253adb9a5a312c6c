"""The kernel of one company: started fresh for it, reset between its notebooks, shut down
immediately afterwards.

Between two notebooks the kernel's user namespace and settings (matplotlib rcParams,
pandas options, numpy print options and random state, warnings filters, environment,
working directory) are restored, so nothing of one notebook reaches the next. The
kernel's first job is :func:`orient.report.summarise`, with the stage results kept
(:mod:`orient._memo`) so the notebooks asking for the same analysis of the same data get
them without computing them again. With a kernel template
(:mod:`orient.report.forkkernel`, :func:`_kernel_template`) the kernel is forked from a
process that has already imported everything. A kernel that dies or hangs is replaced
and the company retried; a kernel start-up that fails (for example on a port clash
between parallel start-ups) is retried. Figures are SVG with real text.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import logging
import os
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from orient.errors import ReportError

__all__ = ["CompanyKernel", "execute_notebooks", "STOP"]

log = logging.getLogger("orient")

#: set when the run is being stopped (SIGTERM, SIGINT): no kernel is started or retried
STOP = threading.Event()
#: the signal that stopped the run, if any
STOP_SIGNAL: list[int] = []
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _caller_handlers() -> dict:
    """The caller's Python handlers of SIGINT and SIGTERM (none outside the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {s: signal.getsignal(s) for s in _STOP_SIGNALS}


def _restore_handlers(saved: dict) -> None:
    for signum, handler in saved.items():
        if handler is not None:
            signal.signal(signum, handler)


# Run in the kernel before the first notebook: remember the settings of a fresh kernel.
_SNAPSHOT = r"""
def _orient_snapshot():
    import os, random, sys, types, warnings
    import numpy, pandas, matplotlib
    import matplotlib.pyplot
    # the inline backend whatever MPLBACKEND the caller's environment set (Agg draws
    # every figure into nothing)
    if matplotlib.get_backend() != "module://matplotlib_inline.backend_inline":
        get_ipython().run_line_magic("matplotlib", "inline")
    try:  # warm-up only (the names are local to this function): orient and its stages
        import importlib
        import orient.stages
        for stage in orient.stages.STAGES:
            importlib.import_module(f"orient.{stage}")
    except ImportError:
        pass
    # report figures as SVG with real text: drawn about twice as fast as PNG, a fifth
    # of the size, sharp in print; ids in the SVG fixed, so the same figure gives the
    # same bytes
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    set_matplotlib_formats("svg")
    matplotlib.rcParams["svg.fonttype"] = "none"
    matplotlib.rcParams["svg.hashsalt"] = "orient"
    # texts from data (labels, names) are drawn as written: "Price ($) vs value ($)" is
    # not mathtext
    matplotlib.rcParams["text.parse_math"] = False
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
def _orient_summary(company_dir, path, settings, modules):
    import json
    import orient
    import orient._memo
    import orient.data.settings
    import orient.report
    orient._memo.enable()
    orient.data.settings.use_settings(company_dir, json.loads(settings))
    company = orient.load_company(company_dir)
    summary = orient.report.summarise(company, **({{"modules": modules}} if modules else {{}}))
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(orient.report.summary_json(summary))
_orient_summary({company_dir!r}, {path!r}, {settings!r}, {modules!r})
del _orient_summary
"""


def _summary_notebook(company_dir: Path, path: Path, settings=None, modules=None):
    """A one-cell notebook writing the company's summary.json to ``path`` (of the stage
    modules ``modules`` only, when given); it also makes the kernel's later loads of
    the company apply ``settings`` (``--set``)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    text = json.dumps(dict(settings or {}), default=str)  # YAML dates as ISO text
    cell = nbformat.v4.new_code_cell(
        _SUMMARY.format(
            company_dir=str(company_dir),
            path=str(path),
            settings=text,
            modules=list(modules) if modules else None,
        )
    )
    cell.metadata["orient"] = {"kernel_setup": True}
    nb.cells.append(cell)
    return nb


_KERNEL_TAGS = itertools.count(1)


class CompanyKernel:
    """One fresh kernel for one company's notebooks, shut down immediately afterwards.

    The kernel takes its settings snapshot (and imports the scientific stack and
    orient, binding no name) while it starts up, so :meth:`launch` can return at once
    and the caller can do other work before :meth:`connect` waits for it. Use as a
    context manager; :meth:`run` executes one notebook in place.
    """

    def __init__(
        self,
        *,
        cwd: str | os.PathLike,
        kernel_name: str = "python3",
        timeout: float = 600,
        startup_timeout: float = 120,
        start_attempts: int = 3,
        transport: str | None = None,
        fork_socket: str | None = None,
        deadline: float | None = None,
    ) -> None:
        self.cwd = str(cwd)
        # time.monotonic() by which all of the company's notebooks must be done
        self.deadline = deadline
        # a kernel template (orient.report.forkkernel) to fork the kernel from, if any
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
        self._saved: dict = {}
        # the kernels of one report may share cwd: their files are named apart
        self._tag = next(_KERNEL_TAGS)

    def _new_client(self):
        import nbformat
        from nbclient import NotebookClient

        setup = Path(self.cwd) / f".orient_kernel_setup_{self._tag}.py"
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
            from orient.report import forkkernel

            client.kernel_manager_class = forkkernel.kernel_manager_class()
        return client

    def _cell_timeout(self, cell) -> float:
        # the kernel set-up cell is orient's housekeeping, not the notebook's time
        if cell.get("metadata", {}).get("orient", {}).get("kernel_setup"):
            return max(self.timeout, 120)
        if self.deadline is not None:
            return max(1.0, min(self.timeout, self.deadline - time.monotonic()))
        return self.timeout

    def _on_cell_start(self, cell=None, cell_index=None, **_):
        self.current_cell = cell_index
        if self._saved:
            self._take_signals(self._saved)

    def launch(self) -> CompanyKernel:
        """Start the kernel process and return at once (see :meth:`connect`)."""
        client = self._new_client()
        self._attempt += 1
        try:
            client.km = client.create_kernel_manager()
            if self.fork_socket:
                from orient.report import forkkernel

                if forkkernel.forkable(client.km.kernel_spec.argv):
                    client.km.fork_socket = self.fork_socket
            client.km.transport = self.transport
            # the connection file (with the kernel's HMAC key) lives in the kernel's own
            # temporary folder, removed on every exit path (a killed run's: next run)
            client.km.connection_file = os.path.join(
                self.cwd, f".orient-kernel-{self._tag}-{self._attempt}.json"
            )
            if self.transport == "ipc":  # absolute socket paths: the kernel runs in cwd
                client.km.ip = os.path.join(self.cwd, f".orient-ipc-{self._tag}-{self._attempt}")
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
        raise ReportError(
            "could not start a kernel", error=f"{type(last).__name__}: {last}"
        ) from last

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
        # nbclient puts handlers of its own on SIGINT and SIGTERM while a notebook runs
        # (they shut the kernel down) and leaves the defaults behind: a caller's handler
        # (orient's command line: stop the run) must win during the run and after it
        saved = self._saved = _caller_handlers()
        try:
            self.client.execute(cleanup_kc=False)
        finally:
            _restore_handlers(saved)
            if nb.cells and nb.cells[0].get("metadata", {}).get("orient", {}).get("kernel_setup"):
                nb.cells.pop(0)
                if self.current_cell is not None:  # index in the notebook as saved
                    self.current_cell -= 1
            self._runs += 1
        return nb

    def _take_signals(self, saved: dict) -> None:
        """In nbclient's event loop: a stop signal marks the run stopped and shuts the
        kernel down (the cell then ends as a dead kernel, which is not retried)."""
        loop = asyncio.get_running_loop()
        client = self.client

        def stopping(signum):
            STOP.set()
            STOP_SIGNAL.append(signum)
            asyncio.ensure_future(client._async_cleanup_kernel())

        for signum, handler in saved.items():
            if callable(handler) and handler is not signal.default_int_handler:
                loop.add_signal_handler(signum, stopping, signum)

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


def _check_outputs(name: str, nb) -> None:
    """A cell whose output failed to render (a figure that could not be drawn: IPython
    shows the error and the cell still succeeds) fails the report: nothing is dropped."""
    cell = _error_cell(nb)
    if cell is None:
        return
    error = next(
        f"{out.get('ename')}: {out.get('evalue')}"
        for out in nb.cells[cell - 1].get("outputs", [])
        if out.get("output_type") == "error"
    )
    raise ReportError("an output of a notebook cell failed", notebook=name, cell=cell, error=error)


def execute_notebooks(
    notebooks: Sequence[tuple[str, Any]],
    *,
    cwd: str | os.PathLike,
    timeout: float = 600,
    kernel_name: str = "python3",
    retries: int = 1,
    kernel: CompanyKernel | None = None,
    fork_socket: str | None = None,
    deadline: float | None = None,
    progress: Callable[[str], None] | None = None,
    cancel: threading.Event | None = None,
    on_kernel: Callable[[CompanyKernel], None] | None = None,
) -> list[Any]:
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
        How many times a company whose kernel died is run again from the start in a
        new kernel. A cell that timed out is not run again: it would most likely hang
        again, doubling the time lost.
    deadline : float, optional
        ``time.monotonic()`` by which every notebook must be done (a per-company
        timeout): each cell's timeout is cut to the time left.
    kernel : CompanyKernel, optional
        A kernel already launched (not yet connected) for the first attempt, so its
        start-up overlaps the caller's work; it is shut down here.
    fork_socket : str, optional
        A kernel template (:mod:`orient.report.forkkernel`) to fork the kernels of retries
        from.
    progress : callable, optional
        Called with a notebook's name when it has run (a report's progress on the
        terminal).
    cancel : threading.Event, optional
        Set by another thread to stop these notebooks (with ``STOP``'s effect: no
        retry, ``KeyboardInterrupt``); the setter shuts the kernel down.
    on_kernel : callable, optional
        Called with each kernel these notebooks run in, once it is started (so another
        thread can shut it down).

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

    def stopped() -> bool:
        return STOP.is_set() or (cancel is not None and cancel.is_set())

    for attempt in range(retries + 1):
        if stopped():
            raise KeyboardInterrupt("stopped")
        copies = [(name, copy.deepcopy(nb)) for name, nb in notebooks]
        current = None
        try:
            if attempt == 0 and kernel is not None and kernel.client is not None:
                try:
                    kernel.connect()
                except Exception as exc:
                    log.warning("pre-launched kernel failed (%s); starting another", exc)
                    kernel = CompanyKernel(
                        cwd=cwd, kernel_name=kernel_name, timeout=timeout, deadline=deadline
                    )
                    kernel.start()
            else:
                kernel = CompanyKernel(
                    cwd=cwd,
                    kernel_name=kernel_name,
                    timeout=timeout,
                    fork_socket=fork_socket,
                    deadline=deadline,
                )
                kernel.start()
            if on_kernel is not None:
                on_kernel(kernel)
            if stopped():
                raise KeyboardInterrupt("stopped")
            for name, nb in copies:
                current = (name, nb)
                kernel.run(nb)
                _check_outputs(name, nb)
                if progress is not None:
                    progress(name)
            return [nb for _, nb in copies]
        except CellExecutionError as exc:
            name, nb = current
            raise ReportError(
                "a notebook cell failed",
                notebook=name,
                cell=_error_cell(nb),
                error=f"{exc.ename}: {exc.evalue}",
            ) from None
        except (DeadKernelError, CellTimeoutError, TimeoutError) as exc:
            if stopped():  # the kernel was shut down to stop the run
                raise KeyboardInterrupt("stopped") from None
            name = current[0] if current else None
            kind = "hung (cell time-out)" if isinstance(exc, TimeoutError) else "died"
            cell = kernel.current_cell + 1 if kernel.current_cell is not None else None
            failure = (name, cell, f"the kernel {kind}: {exc}".strip())
            log.warning("%s: kernel %s in cell %s (attempt %d)", name, kind, cell, attempt + 1)
            if isinstance(exc, TimeoutError):  # a hung cell costs one timeout, not two
                raise ReportError(
                    "a notebook cell timed out", notebook=name, cell=cell, error=failure[2]
                ) from None
        finally:
            kernel.shutdown()
    name, cell, error = failure
    raise ReportError(f"the kernel died {retries + 1} times", notebook=name, cell=cell, error=error)


_template_dir: str | None = None


def _kernel_template() -> str | None:
    """The socket of this process's kernel template (started on first use), or None
    when it cannot start (kernels then start the usual way)."""
    global _template_dir
    from orient.report import forkkernel

    try:
        if _template_dir is None or not os.path.isdir(_template_dir):
            _template_dir = tempfile.mkdtemp(prefix="orient-kernels-")
        return forkkernel.start_server(_template_dir)
    except Exception as exc:
        log.warning("no kernel template (%s); starting kernels the usual way", exc)
        return None
