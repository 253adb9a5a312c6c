"""Stage results computed once per company inside a report kernel.

A report runs every stage's ``analyse(company)`` for summary.json and then again in
the stage notebooks (each notebook stands alone, so several load the company and
call the same analysis). Inside the kernel that :mod:`orient.report` starts for one
company, :func:`enable` turns on a store of those results: a call of a
:func:`memoised` function with the same company content and the same options
returns a deep copy of the stored result instead of computing it again.

The key is the company's :meth:`~orient.Company.fingerprint` (a digest of its
profile and every table, computed afresh on each outermost call, so a table edited in
place between calls is a new key; calls made while one is running reuse its digest)
with the function and all its arguments after defaults are applied.
A call with an argument that is not a plain value (a DataFrame, a result object)
is computed as usual. Warnings the computation raised are raised again on every
call that returns its result. :func:`kept` is the store itself, for results keyed
otherwise (:func:`orient.data.company.load_company`: the folder's files and the
settings). Off by default: interactive sessions always compute.
"""

from __future__ import annotations

import copy
import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["enable", "disable", "enabled", "kept", "memoised", "stats"]

F = TypeVar("F", bound=Callable[..., Any])

_store: dict[tuple, tuple[Any, list]] | None = None
_stats = {"hits": 0, "misses": 0, "bypassed": 0}
#: the fingerprint of each company (by id) whose outermost memoised call is running,
#: computed when first asked for: the calls it makes on the same company (a stage
#: asking for the stage it depends on) use it rather than digesting every table again
#: (analyses do not edit the company they are given)
_active: dict[int, list] = {}
_PLAIN = (type(None), bool, int, float, str)


def enable() -> None:
    """Start keeping results (for the rest of this process)."""
    global _store
    if _store is None:
        _store = {}


def disable() -> None:
    """Stop keeping results and forget those kept."""
    global _store
    _store = None
    _stats.update(hits=0, misses=0, bypassed=0)


def enabled() -> bool:
    return _store is not None


def stats() -> dict[str, int]:
    """Counts of calls answered from the store, computed and stored, or not cacheable."""
    return dict(_stats)


def _plain(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return all(_plain(v) for v in value)
    return isinstance(value, _PLAIN)


def _freeze(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    return (type(value).__name__, value)


def _one_digest_per_outer_call(wrapper: Callable[..., Any]) -> Callable[..., Any]:
    """Mark the company (the first argument) as in a running memoised call for the time
    of ``wrapper``'s outermost call on it, so that :func:`_fingerprint_of` digests it
    once for that call and everything it calls."""

    @functools.wraps(wrapper)
    def outer(*args: Any, **kwargs: Any) -> Any:
        company = args[0] if args else next(iter(kwargs.values()), None)
        if _store is None or company is None or id(company) in _active:
            return wrapper(*args, **kwargs)
        _active[id(company)] = []
        try:
            return wrapper(*args, **kwargs)
        finally:
            del _active[id(company)]

    return outer


def _fingerprint_of(company: Any) -> Callable[[], str] | None:
    """``company.fingerprint``, or during a running memoised call on it the digest
    computed once for that call (None when the company has no fingerprint)."""
    fingerprint = getattr(company, "fingerprint", None)
    slot = _active.get(id(company))
    if slot is None or not callable(fingerprint):
        return fingerprint

    def once() -> str:
        if not slot:
            slot.append(fingerprint())
        return slot[0]

    return once


def memoised(func: F) -> F:
    """Keep ``func(company, ...)``'s results while :func:`enable` is on (see module doc)."""
    signature = inspect.signature(func)

    @_one_digest_per_outer_call
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _store is None:
            return func(*args, **kwargs)
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError:
            return func(*args, **kwargs)  # let the function report the bad call
        bound.apply_defaults()
        values = list(bound.arguments.items())
        company = values[0][1]
        options = values[1:]
        fingerprint = _fingerprint_of(company)
        if not callable(fingerprint) or not all(_plain(v) for _, v in options):
            _stats["bypassed"] += 1
            return func(*args, **kwargs)
        key = (
            func.__module__,
            func.__qualname__,
            fingerprint(),
            tuple((name, _freeze(v)) for name, v in options),
        )
        return kept(key, lambda: func(*args, **kwargs), stacklevel=3)

    return wrapper  # type: ignore[return-value]


def kept(key: tuple, compute: Callable[[], Any], *, stacklevel: int = 2) -> Any:
    """``compute()``'s result for ``key``: computed on the first call and stored while
    :func:`enable` is on, a deep copy of it on every call (the warnings it raised raised
    again each time, ``stacklevel`` counted from here). ``key`` must name everything the
    result depends on."""
    if _store is None:
        return compute()
    entry = _store.get(key)
    if entry is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = compute()
        entry = (copy.deepcopy(result), [(w.message, w.category) for w in caught])
        _store[key] = entry
        _stats["misses"] += 1
    else:
        result = copy.deepcopy(entry[0])
        _stats["hits"] += 1
    for message, category in entry[1]:
        warnings.warn(message, category, stacklevel=stacklevel)
    return result
