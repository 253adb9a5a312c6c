"""The output folder: checked before anything runs, locked while written, swapped in whole.

* :func:`check_writable`: the output folder can take files, tried with a real file
  before any notebook runs.
* :func:`output_lock`: one writer per company folder (``OUT/.<slug>.lock``, an
  ``flock``), so two runs never interleave their files; a second run refuses clearly.
* :func:`write_swapped`: a company's files go into ``OUT/.<slug>.new-*``; only when
  every one is written is the old ``OUT/<slug>/`` renamed aside and the new one renamed
  into its place, so a failure, a full disk or a kill leaves the previous report whole.
  Files of the old folder that orient did not write are carried over. A run killed
  between the two renames is repaired by the next run.
* :func:`remove_stale_kernel_dirs`: the kernels' temporary folders (their connection
  files, with the HMAC key, live inside them) left by a killed run are removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from orient.errors import ReportError

__all__ = [
    "INPUTS_STAMP",
    "check_writable",
    "output_lock",
    "remove_stale_kernel_dirs",
    "write_swapped",
]

INPUTS_STAMP = ".orient-inputs"  # the inputs hash of the build (orient.batch)
#: files orient writes into OUT/<slug>/ (anything else there is the user's, carried over)
_OURS = (".ipynb", "report.html", "report.pdf", "summary.json", INPUTS_STAMP)


def check_writable(out_dir: str | os.PathLike) -> Path:
    """Create ``out_dir`` if needed and write (then remove) a file in it.

    Raises
    ------
    ReportError
        When the folder cannot be created or written, before anything has run.
    """
    root = Path(out_dir)
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".orient-probe-", dir=root)
        try:
            os.write(fd, b"x")
        finally:
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ReportError(f"the output folder {str(root)!r} is not writable ({reason})") from None
    return root


def _check_case(root: Path, slug: str) -> None:
    """Refuse ``slug`` when ``root`` holds a folder of the same name in another case."""
    try:
        names = [p.name for p in root.iterdir()]
    except OSError:
        return
    for name in names:
        if name != slug and name.casefold() == slug.casefold():
            raise ValueError(
                f"Output folder {str(root / slug)!r} differs only in case from the existing "
                f"{str(root / name)!r}; on a case-insensitive disk they are one folder. "
                "Give the companies different slugs."
            )


@contextlib.contextmanager
def output_lock(out_dir: str | os.PathLike, name: str) -> Iterator[Path]:
    """Hold ``OUT/.<name>.lock`` (case-folded) while the block runs; refuse if taken.

    Raises
    ------
    ReportError
        When another orient run holds the lock.
    """
    path = Path(out_dir) / f".{name.casefold()}.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ReportError(
                f"another orient run is writing {str(Path(out_dir) / name)!r} "
                f"(it holds {str(path)!r}); wait for it to finish or choose another "
                "output folder"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield path
    finally:
        os.close(fd)  # releases the lock; the file stays (removing it would race)


def _repair(root: Path, slug: str) -> None:
    """Undo what a killed swap left: a lone ``.<slug>.old-*`` back in place, the rest gone."""
    target = root / slug
    for old in sorted(root.glob(f".{slug}.old-*")):
        if not target.exists() and old.is_dir() and not old.is_symlink():
            os.rename(old, target)
        else:
            _rmtree(old)
    for new in root.glob(f".{slug}.new-*"):
        _rmtree(new)


def _rmtree(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _write(path: Path, data: str | bytes) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def _carry_over(old: Path, new: Path) -> None:
    """Copy the user's own files of the old folder (not orient's) into the new one."""
    for entry in old.iterdir():
        if entry.name.endswith(_OURS) or entry.name.startswith(".orient") or entry.is_symlink():
            continue
        dest = new / entry.name
        if entry.is_dir():
            shutil.copytree(entry, dest, symlinks=True)
        elif entry.is_file():
            shutil.copy2(entry, dest)


def write_swapped(out_dir: str | os.PathLike, slug: str, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (name -> content) as ``out_dir/slug/``, replacing the old folder
    only once every file is written. Call it holding :func:`output_lock`.

    Returns the folder's real path. On any error the old folder is left as it was and
    the new one removed.
    """
    root = Path(out_dir)
    _repair(root, slug)
    target = root / slug
    if target.is_symlink():
        raise ValueError(f"Output folder {str(target)!r} is a symbolic link.")
    new = Path(tempfile.mkdtemp(prefix=f".{slug}.new-", dir=root))
    try:
        os.chmod(new, 0o755)
        for name, data in files.items():
            _write(new / name, data)
        if target.is_dir():
            _carry_over(target, new)
        _swap(new, target)
    except BaseException:
        _rmtree(new)
        raise
    return target.resolve()


def _swap(new: Path, target: Path) -> None:
    if not target.exists():
        os.rename(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(old, target)
        raise
    _rmtree(old)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_kernel_dirs(tmp: str | None = None) -> list[Path]:
    """Remove the ``orient-kernel-<pid>-*`` folders of processes that no longer run
    (a killed earlier run), with the kernel connection files inside. Returns them."""
    removed = []
    for path in Path(tmp or tempfile.gettempdir()).glob("orient-kernel-*-*"):
        pid = path.name.split("-")[2]
        if pid.isdigit() and path.is_dir() and not path.is_symlink() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
