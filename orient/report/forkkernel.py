"""Python kernels forked from a warm template process.

Starting an IPython kernel costs about 2.5 s on a small machine, nearly all of it
imports (numpy, pandas, scipy, matplotlib, statsmodels, orient) that every report
kernel needs again. A batch run of many companies starts one kernel per company, so
:func:`start_server` starts one *template* process per batch worker: it imports
all of that once, warms matplotlib's font cache, and then, on request, forks a
child that becomes a brand-new kernel (``IPKernelApp`` initialised from scratch in
the child). The template never runs any company's or notebook's code, so every
child starts from the same clean state a fresh process would have; what a child
does stays in that child. Fresh random seeds are drawn in each child.

Jupyter's kernel manager launches, signals and kills kernels as processes, so the
manager (:class:`ForkKernelManager`) launches a tiny stand-in instead: this file run
as a script (``python -I forkkernel.py client SOCKET -- ARGV``, importing nothing
but the standard library). The stand-in hands the template its stdin, stdout and
stderr and the kernel's command line over a Unix socket, relays the signals it gets
to the forked kernel, and exits with the kernel's exit code. When the stand-in dies
(the manager's immediate shutdown kills it), the template kills the kernel; when
the template's parent process dies, the template kills its kernels and exits.

The socket lies in a folder only this user can enter (``tempfile.mkdtemp``): whoever
can connect gets a kernel running as this user. POSIX only (``os.fork`` and
``socket.send_fds``); elsewhere kernels start normally.
"""

from __future__ import annotations

import importlib
import json
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import time

_HEADER = struct.Struct("!I")  # length of the JSON request that follows the fds


# --------------------------------------------------------------------------- template


def _warm() -> None:
    """Import what a report kernel needs and load matplotlib's fonts, binding nothing.

    Not imported here: ``matplotlib_inline.backend_inline``, which hooks itself into
    the running IPython when imported, so it must first be imported in the kernel.
    """
    # the backend a kernel selects (ipykernel sets this before matplotlib is imported)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import ipykernel.kernelapp  # noqa: F401
    import IPython  # noqa: F401
    import matplotlib
    import matplotlib.figure
    import matplotlib.pyplot  # noqa: F401  (backend chosen on first use, in the kernel)
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import scipy.stats  # noqa: F401
    import statsmodels.api  # noqa: F401
    import statsmodels.stats.proportion  # noqa: F401
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    import orient  # noqa: F401
    import orient._memo  # noqa: F401
    import orient.report  # noqa: F401
    import orient.stages

    for stage in orient.stages.STAGES:  # imported on first use by `import orient`
        importlib.import_module(f"orient.{stage}")
    # what the stage notebooks import (modules with no import-time settings)
    for name in (
        "orient.data.settings",
        "orient.present.plots",
        "orient.satisfaction.display",
        "orient.operations.crm.display",
        "orient.operations.quality.display",
        "orient.operations.service.display",
    ):
        importlib.import_module(name)

    # the first text drawn loads the font files: do it once here (no pyplot, no state)
    figure = matplotlib.figure.Figure(figsize=(2, 1))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title("Warm-up", fontweight="bold")
    axes.set_xlabel("x")
    figure.canvas.draw()
    _warm_caches()
    # the template's objects now live as long as it does: out of the garbage collector's
    # sight, so a kernel's collections (IPython collects at every %reset) walk only the
    # kernel's own objects, and walking never writes to (copies) the template's pages
    import gc

    gc.collect()
    gc.freeze()


def _warm_caches() -> None:
    """Fill the caches every report kernel fills on first use (the report texts and
    their translations, Babel's locale data, the sentence templates compiled): the
    same values a fresh process computes, computed once here."""
    import datetime

    from babel.dates import format_date

    from orient.i18n import numbers
    from orient.i18n.catalog import LANGUAGES, texts, translator
    from orient.i18n.sentences import _template

    def keys(node, prefix=""):
        if isinstance(node, dict):
            for key, value in node.items():
                yield from keys(value, f"{prefix}.{key}" if prefix else str(key))
        elif prefix:
            yield prefix

    for language in LANGUAGES:
        translator(language)
        numbers.format_number(-1234.5, language, 1, signed=True)
        numbers.format_percent(0.5, language, 1)
        numbers.plural(2, ["a", "b", "c"], language)
        format_date(datetime.date(2000, 1, 31), format="medium", locale=language)
        for key in keys(texts(language).get("sentences", {})):
            for markdown in (False, True):
                try:
                    _template(language, key, markdown)
                except Exception:  # a template that does not compile fails in the kernel
                    pass


def _recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


def _child(conn: socket.socket, others: list[socket.socket], fds: list[int], request: dict) -> None:
    """In the forked child: become the kernel the stand-in asked for. Never returns."""
    code = 1
    try:
        for s in others:
            s.close()
        conn.close()
        os.setsid()
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import random

        import numpy

        random.seed()
        numpy.random.seed()
        argv = list(request["argv"])
        args = argv[_launcher_index(argv) + 1 :]
        if os.environ.get("JPY_PARENT_PID"):  # read by ipykernel at import, in the template
            args.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
        sys.argv = [argv[0], *args]
        import gc

        from ipykernel.kernelapp import IPKernelApp

        # IPKernelApp.launch_instance, with the kernel's own start-up state (its shell,
        # the settings snapshot) frozen like the template's before the first request
        app = IPKernelApp.instance()
        app.initialize(args)
        gc.freeze()
        app.start()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(path: str, parent: int) -> None:
    """Run the template: warm up, then fork a kernel for every stand-in that connects."""
    _warm()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    children: dict[int, socket.socket] = {}
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    # the manager stops reading after "ready": nothing more may go down that pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    try:
        while os.getppid() == parent:
            for key, _ in selector.select(timeout=0.2):
                if key.fileobj is listener:
                    conn, _ = listener.accept()
                    try:
                        header, fds, _, _ = socket.recv_fds(conn, _HEADER.size, 3)
                        if len(header) < _HEADER.size:
                            header += _recv_exact(conn, _HEADER.size - len(header))
                        (size,) = _HEADER.unpack(header)
                        request = json.loads(_recv_exact(conn, size))
                    except (OSError, ValueError, ConnectionError):
                        conn.close()
                        continue
                    sys.stdout.flush()
                    sys.stderr.flush()
                    pid = os.fork()
                    if pid == 0:
                        _child(conn, [listener, *children.values()], fds, request)
                    for fd in fds:
                        os.close(fd)
                    conn.sendall(f"pid {pid}\n".encode())
                    children[pid] = conn
                    selector.register(conn, selectors.EVENT_READ, pid)
                else:  # a stand-in's connection: anything but data means it is gone
                    conn = key.fileobj
                    try:
                        alive = bool(conn.recv(64))
                    except OSError:
                        alive = False
                    if not alive:
                        selector.unregister(conn)
                        conn.close()
                        _kill(key.data)
            _reap(children, selector)
    finally:
        for pid in list(children):
            _kill(pid)
        deadline = time.monotonic() + 5
        while children and time.monotonic() < deadline:
            _reap(children, selector)
            time.sleep(0.05)
        try:
            os.unlink(path)
            os.rmdir(os.path.dirname(path))  # the folder made for this template, if empty
        except OSError:
            pass


def _kill(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)  # the kernel leads its own session and group
    except OSError:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _reap(children: dict[int, socket.socket], selector: selectors.BaseSelector) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is None:
            continue
        code = os.waitstatus_to_exitcode(status)
        try:
            conn.sendall(f"exit {code}\n".encode())
        except OSError:
            pass
        try:
            selector.unregister(conn)
        except (KeyError, ValueError):
            pass
        conn.close()


# --------------------------------------------------------------------------- stand-in


def client(path: str, argv: list[str]) -> int:
    """The stand-in process: have the template fork the kernel ``argv``, wait for it."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(path)
    payload = json.dumps({"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    socket.send_fds(conn, [_HEADER.pack(len(payload))], [0, 1, 2])
    conn.sendall(payload)
    reader = conn.makefile("r", encoding="ascii")
    first = reader.readline().split()
    if len(first) != 2 or first[0] != "pid":
        return 1
    pid = int(first[1])

    def relay(signum, _frame):
        try:
            os.kill(pid, signum)
        except OSError:
            pass

    for sig in (
        signal.SIGINT,
        signal.SIGTERM,
        signal.SIGHUP,
        signal.SIGQUIT,
        signal.SIGUSR1,
        signal.SIGUSR2,
    ):
        signal.signal(sig, relay)
    while True:
        try:
            line = reader.readline()
        except InterruptedError:
            continue
        if not line:  # the template is gone: so is the kernel
            return 1
        words = line.split()
        if len(words) == 2 and words[0] == "exit":
            return int(words[1])


# --------------------------------------------------------------------------- manager side


_servers: dict[int, tuple[object, str]] = {}  # this process's template: pid -> (Popen, path)
_LOCK = threading.Lock()


def start_server(directory: str, *, timeout: float = 120) -> str:
    """Start this process's kernel template (once) and return its socket path.

    The template lives until this process exits (it watches its parent) or
    :func:`stop_server` is called. Raises ``RuntimeError`` when it cannot start.
    """
    with _LOCK:  # one template per process, whichever thread asks first
        return _start_server(directory, timeout)


def _start_server(directory: str, timeout: float) -> str:
    import subprocess
    import threading

    me = os.getpid()
    if me in _servers:
        proc, path = _servers[me]
        if proc.poll() is None:
            return path
    if os.name != "posix" or not hasattr(socket, "send_fds"):
        raise RuntimeError("forked kernels need POSIX")
    path = os.path.join(directory, f"orient-kernels-{me}.sock")
    if os.path.exists(path):
        os.unlink(path)
    env = dict(os.environ)
    # this process's import path, so the template imports the same orient
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    # the backend ipykernel selects, set before orient imports matplotlib (as ipykernel
    # does), whatever the caller's environment says: MPLBACKEND=Agg (common on servers and
    # CI runners) would otherwise draw every figure into nothing
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    proc = subprocess.Popen(
        [sys.executable, "-m", "orient.report.forkkernel", "serve", path, str(me)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        env=env,
        cwd=directory,
        start_new_session=True,
        text=True,
    )
    ready: list[str] = []
    reader = threading.Thread(target=lambda: ready.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    if not ready or ready[0].strip() != "ready":
        proc.kill()
        proc.wait()
        raise RuntimeError("the kernel template did not start")
    proc.stdout.close()
    _servers[me] = (proc, path)
    return path


def stop_server() -> None:
    """Stop this process's kernel template (its kernels die with it)."""
    entry = _servers.pop(os.getpid(), None)
    if entry is None:
        return
    proc, _ = entry
    proc.terminate()
    try:
        proc.wait(10)
    except Exception:
        proc.kill()
        proc.wait()


def kernel_manager_class():
    """An ``AsyncKernelManager`` that launches the stand-in instead of a new Python."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import Unicode

    class ForkKernelManager(AsyncKernelManager):
        fork_socket = Unicode("", help="socket of the kernel template").tag(config=True)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            if not self.fork_socket:
                return cmd
            return [
                sys.executable,
                "-I",
                os.path.abspath(__file__),
                "client",
                self.fork_socket,
                "--",
                *cmd,
            ]

    return ForkKernelManager


def _launcher_index(argv: list[str]) -> int:
    """Position of the module name in ``python -m ipykernel_launcher ...``."""
    for i in range(len(argv) - 1):
        if argv[i] == "-m" and argv[i + 1] in ("ipykernel_launcher", "ipykernel"):
            return i + 1
    raise ValueError(f"not an IPython kernel command line: {argv!r}")


def forkable(argv: list[str]) -> bool:
    """Whether a kernel spec's command line starts IPython's kernel (``python -m
    ipykernel_launcher``), which a template of this Python can fork."""
    try:
        _launcher_index(list(argv))
    except ValueError:
        return False
    return True


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "client" and sys.argv[3] == "--":
        sys.exit(client(sys.argv[2], sys.argv[4:]))
    else:
        sys.exit("usage: forkkernel.py serve SOCKET PARENT_PID | client SOCKET -- ARGV")
