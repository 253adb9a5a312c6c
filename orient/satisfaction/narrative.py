"""Stage II sentences: every word of stage II that depends on the reader's language.

The templates live under ``sentences.satisfaction`` of
``orient/templates/text/<language>.yaml``; the numbers come from the method modules.

- :func:`wave_change` -- :func:`~orient.satisfaction.compare.wave_estimates` with a
  plain-language ``answer`` per wave (did it really change?);
- :func:`wave_answers` -- those answers for a table of wave estimates;
- :func:`note` -- one line of the stage's notes (what was left out and why);
- :func:`model_name` -- the name of the PLS model in the reader's language.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from orient.i18n import check_language, sentence, term
from orient.satisfaction.compare import wave_estimates

__all__ = ["model_name", "note", "wave_answers", "wave_change"]


def _plain_change(
    label, kind, w0, w1, v0, v1, diff, lo, hi, p, sig, confidence, language="en"
) -> str:
    return sentence(
        "satisfaction.wave_change",
        language,
        measure=label.split(":")[0],
        kind=kind,
        d=2 if kind == "mean" else 1,
        wave_before=w0,
        wave_after=w1,
        before=v0,
        after=v1,
        change=diff,
        ci_low=lo,
        ci_high=hi,
        p_value=p,
        significant=sig,
        confidence=confidence,
    )


def wave_answers(
    table: pd.DataFrame,
    kind: str,
    *,
    confidence: float = 0.95,
    min_base: int = 30,
    language: str = "en",
) -> list[str]:
    """The plain answer for each row of :func:`~orient.satisfaction.compare.wave_estimates`.

    Parameters
    ----------
    table : DataFrame
        From ``wave_estimates`` (rows in wave order).
    kind : {"mean", "top2", "bottom2", "nps", "index"}
        The measure's kind (sets the decimals and the unit of the change).
    confidence, min_base
        As passed to ``wave_estimates``.
    language : {"en", "ru"}

    Returns
    -------
    list of str
        One sentence per row: the first wave, a suppressed wave, a wave not compared
        (it or the one before is suppressed), or the change and whether it is real.
    """
    check_language(language)
    waves = table["wave"].tolist()
    values = table["estimate"].tolist()
    suppressed = table["suppressed"].tolist()
    out = []
    for i, row in enumerate(table.itertuples(index=False)):
        if i == 0:
            key = "satisfaction.wave_small" if suppressed[0] else "satisfaction.wave_first"
            out.append(sentence(key, language, min_base=min_base))
        elif suppressed[i] or suppressed[i - 1]:
            out.append(sentence("satisfaction.wave_not_compared", language, min_base=min_base))
        else:
            out.append(
                _plain_change(
                    row.measure,
                    kind,
                    waves[i - 1],
                    waves[i],
                    values[i - 1],
                    values[i],
                    row.change,
                    row.change_ci_low,
                    row.change_ci_high,
                    row.p_value,
                    bool(row.significant),
                    confidence,
                    language,
                )
            )
    return out


def wave_change(
    data: pd.DataFrame,
    wave: str,
    column: str,
    *,
    kind: str = "mean",
    scale: tuple[float, float] | None = None,
    weights: Any = None,
    confidence: float = 0.95,
    min_base: int = 30,
    measure: str | None = None,
    language: str = "en",
) -> pd.DataFrame:
    """One measure per survey wave and its change against the previous wave.

    Parameters
    ----------
    data : DataFrame
    wave : str
        The wave column; waves are taken in sorted order (or category order).
    column, kind, scale, weights, confidence, min_base, measure
        As in :func:`~orient.satisfaction.compare.segment_table`. A wave under
        ``min_base`` is suppressed and not compared.
    language : {"en", "ru"}
        The language of ``answer`` (templates ``sentences.satisfaction`` of
        ``orient/templates/text/<language>.yaml``).

    Returns
    -------
    DataFrame
        One row per wave, columns: ``measure``, ``wave``, ``n``, ``n_eff``,
        ``estimate``, ``ci_low``, ``ci_high``, ``change`` (against the previous wave;
        NaN for the first), ``change_ci_low``, ``change_ci_high``, ``p_value``,
        ``significant``, ``suppressed``, ``answer`` (a plain sentence: did it really
        change?).

    Raises
    ------
    ValueError
        If the wave column holds fewer than two waves, or for a language orient does
        not write in.
    """
    check_language(language)
    table = wave_estimates(
        data,
        wave,
        column,
        kind=kind,
        scale=scale,
        weights=weights,
        confidence=confidence,
        min_base=min_base,
        measure=measure,
    )
    # wave_estimates has checked both: pass them on as the numbers it used
    table["answer"] = wave_answers(
        table, kind, confidence=float(confidence), min_base=int(min_base), language=language
    )
    return table


def note(key: str, language: str = "en", /, **values: Any) -> str:
    """One of the stage's notes: template ``satisfaction.note_<key>`` in ``language``."""
    return sentence("satisfaction.note_" + key, language, **values)


def segments_held(variables: list[str], language: str = "en") -> str:
    """The chain's note when several segment variables are held fixed together."""
    from orient.i18n import translator

    return (
        translator(language)
        .pgettext(
            "satisfaction",
            "Chain effects on money and retention compare customers within the same "
            "segment of every segment variable ({variables} held fixed together).",
        )
        .format(variables=", ".join(variables))
    )


def model_name(name: str, language: str = "en") -> str:
    """The name of the PLS model (e.g. ``"attributes -> satisfaction -> loyalty"``)."""
    return term("values", name, language)
