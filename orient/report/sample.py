"""The sample company a notebook opens when it is given no company folder.

The stage notebooks and lessons ship inside the package, where the repository's
``data/companies`` is out of reach; their ``company_dir`` parameter defaults to ``""``,
which :func:`sample_company_dir` turns into a sample company written once by
:mod:`orient.synth` into a cache folder (the same files as ``orient sample`` writes).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["sample_company_dir"]


def _cache_root() -> Path:
    """``$ORIENT_CACHE_DIR``, else ``$XDG_CACHE_HOME/orient``, else ``~/.cache/orient``."""
    if os.environ.get("ORIENT_CACHE_DIR"):
        return Path(os.environ["ORIENT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "orient"


def _synth_fingerprint() -> str:
    """orient's version and a digest of orient.synth's files: new code, new samples."""
    from orient import __version__, synth

    origin = Path(synth.__file__).resolve()
    files = (
        [origin]
        if origin.name != "__init__.py"
        else sorted(
            p for p in origin.parent.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        )
    )
    h = hashlib.sha256()
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{__version__}-{h.hexdigest()[:12]}"


def sample_company_dir(
    slug: str = "swiftpost", *, cache_dir: str | os.PathLike | None = None
) -> Path:
    """The folder of sample company ``slug``, written by :mod:`orient.synth` on first use.

    Parameters
    ----------
    slug : str
        One of ``orient.synth.SAMPLES`` (``northsteel``, ``swiftpost``, ``harbour-mutual``,
        ``volta-motors``, ``cobalt-software``).
    cache_dir : path, optional
        Where the samples are kept (default: ``$ORIENT_CACHE_DIR``, else the user's cache
        folder, ``~/.cache/orient``). Each orient version and synth code has its own
        subfolder, so a sample is never stale.

    Returns
    -------
    pathlib.Path
        ``<cache>/samples/<version>/<slug>``, byte-identical to ``orient sample``'s folder.

    Raises
    ------
    ValueError
        For a slug that is not a sample company.

    Examples
    --------
    >>> import orient
    >>> company = orient.load_company(sample_company_dir("swiftpost"))  # doctest: +SKIP
    """
    from orient import synth

    if slug not in synth.SAMPLES:
        raise ValueError(
            f"`slug` must be one of {', '.join(map(repr, synth.SAMPLES))}; got {slug!r}."
        )
    root = Path(cache_dir) if cache_dir is not None else _cache_root()
    folder = root / "samples" / _synth_fingerprint()
    target = folder / slug
    if (target / "company.yaml").is_file():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    business, seed = synth.SAMPLES[slug]
    # written aside, then renamed into place: parallel kernels never see half a company
    with tempfile.TemporaryDirectory(prefix=f".{slug}.", dir=folder) as tmp:
        synth.make_company(Path(tmp) / slug, seed=seed, business=business)
        try:
            os.rename(Path(tmp) / slug, target)
        except OSError:  # another process got there first
            if not (target / "company.yaml").is_file():
                raise
    return target
