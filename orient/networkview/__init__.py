"""The network view: after ``orient batch``, every company's headline numbers side by side.

:func:`network` reads only the ``<slug>/summary.json`` files of a batch's output folder
(and ``batch.json`` for the companies that failed), so it takes seconds for hundreds of
companies. It writes

- ``network.parquet`` and ``network.csv``: the tidy table, one row per company x
  measure (value, interval, base n, unit, wave, period);
- ``network.html``: league tables with intervals, each company against the network's
  distribution (percentiles, charts), the attributes that are priorities across the
  network and the companies that moved significantly since their previous wave.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from orient.i18n import check_language
from orient.networkview import measures as _m
from orient.networkview.read import Missing, read_network

__all__ = ["FILES", "Missing", "NetworkResult", "analyse", "network"]

#: the files :func:`network` writes into its output folder
FILES = ("network.html", "network.parquet", "network.csv")


@dataclass
class NetworkResult:
    """Everything the network report shows (see :func:`analyse`)."""

    summaries: dict
    missing: list
    table: pd.DataFrame
    leagues: dict
    percentiles: pd.DataFrame
    priorities: pd.DataFrame
    movers: pd.DataFrame
    no_survey: list
    one_wave: list
    with_waves: int
    first: int
    language: str = "en"
    paths: dict = field(default_factory=dict)


def _names(summaries: dict, slugs) -> list[str]:
    return [str((summaries[s].get("company") or {}).get("name") or s) for s in slugs]


def _language(summaries: dict) -> str:
    """The companies' language when they share one, else English."""
    found = Counter(
        str((s.get("company") or {}).get("language") or "en") for s in summaries.values()
    )
    return found.most_common(1)[0][0] if len(found) == 1 else "en"


def analyse(folder: str | Path, *, first: int = 3, language: str | None = None) -> NetworkResult:
    """The network's numbers from the batch output ``folder`` (nothing written).

    ``first``: how many of each company's first items to improve count as its
    priorities. ``language``: the report's; default the companies' shared language
    (English when they differ).
    """
    net = read_network(folder)
    summaries = net.summaries
    table = _m.tidy_table(summaries)
    leagues = {}
    for key in _m.LEAGUE_MEASURES:
        rows = _m.league(table, key)
        if len(rows):
            leagues[key] = rows
    no_survey = [
        s
        for s, summary in summaries.items()
        if (summary.get("stages", {}).get("satisfaction") or {}).get("status") != "ok"
    ]
    moves = _m.movers(table)
    with_change = set(moves["company"])
    with_survey = [s for s in summaries if s not in no_survey]
    one_wave = [s for s in with_survey if s not in with_change]
    return NetworkResult(
        summaries=summaries,
        missing=net.missing,
        table=table,
        leagues=leagues,
        percentiles=_m.percentiles(table),
        priorities=_m.shared_priorities(summaries, first),
        movers=moves,
        no_survey=_names(summaries, no_survey),
        one_wave=_names(summaries, one_wave),
        with_waves=len(with_change),
        first=first,
        language=check_language(language) if language else _language(summaries),
    )


def _write(path: Path, write) -> None:
    """Write through a temporary file beside ``path``, then swap it in."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def network(
    reports_dir: str | Path,
    output: str | Path | None = None,
    *,
    language: str | None = None,
    first: int = 3,
) -> NetworkResult:
    """Write the network report and table of a batch's output folder.

    Parameters
    ----------
    reports_dir
        The output folder of ``orient batch`` (``<slug>/summary.json``, ``batch.json``).
    output
        Where ``network.html``, ``network.parquet`` and ``network.csv`` go (default:
        ``reports_dir``).
    language
        ``"en"`` or ``"ru"``; default the companies' shared language.
    first
        How many first items to improve of each company count as its priorities.

    Returns
    -------
    NetworkResult
        The numbers shown, with ``paths`` (file name -> written path).

    Raises
    ------
    DataError
        When ``reports_dir`` is not a folder or its batch.json is not orient's.
    """
    from orient.networkview.html import render

    if not isinstance(first, int) or isinstance(first, bool) or first < 1:
        raise ValueError(f"`first` must be a whole number >= 1; got {first!r}")
    result = analyse(reports_dir, first=first, language=language)
    out = Path(output) if output is not None else Path(reports_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / name for name in FILES}
    _write(paths["network.parquet"], lambda p: result.table.to_parquet(p, index=False))
    _write(paths["network.csv"], lambda p: result.table.to_csv(p, index=False))
    page = render(result, result.language)
    _write(paths["network.html"], lambda p: p.write_text(page, encoding="utf-8"))
    result.paths = paths
    return result
