"""Stage II: satisfaction measurement.

How satisfied are customers, by segment and over time, and what does satisfaction buy
in loyalty and profit? Every number here comes with its interval and its base, weighted
or not (Kish's effective sample size, :func:`orient.stats.kish_n_eff`, when weighted).

Modules:

- ``indices`` -- single estimates (:func:`mean_score`, :func:`top2box`,
  :func:`bottom2box`, :func:`nps`, :func:`satisfaction_index`), each an
  :class:`Estimate`; :func:`nps_composition` and the per-respondent :func:`index_scores`;
- ``alpha`` -- reliability of multi-item scales (:func:`cronbach_alpha`, :func:`reliability`);
- ``compare`` -- segments against the rest of the sample with small bases suppressed
  (:func:`segment_table`) and the numbers of change between waves (:func:`wave_estimates`);
- ``chain`` -- the attribute -> satisfaction -> loyalty -> profit chain in business units
  with bootstrap intervals (:func:`chain_effects`);
- ``pls`` -- the ECSI/ACSI-style PLS path model (:func:`pls_path_model`,
  :class:`PLSResult`, :class:`RowsLeftOutWarning`) and its importance-performance map
  (:func:`ipma`);
- ``narrative`` -- the sentences: :func:`wave_change` (wave estimates with a plain answer)
  and the stage's notes, in the reader's language;
- ``stage`` -- :func:`analyse` (one company), :class:`SatisfactionResult` and
  :func:`headline`, the one source of truth for the notebook and the executive summary;
- ``_checks`` -- input checks the method modules share (scales, items, weights, levels).
"""

from orient.satisfaction.alpha import cronbach_alpha, reliability
from orient.satisfaction.chain import chain_effects
from orient.satisfaction.compare import segment_table, wave_estimates
from orient.satisfaction.indices import (
    KINDS,
    Estimate,
    bottom2box,
    index_scores,
    mean_score,
    nps,
    nps_composition,
    satisfaction_index,
    top2box,
)
from orient.satisfaction.narrative import (
    _plain_change,  # noqa: F401  (tests/test_text.py)
    wave_change,
)
from orient.satisfaction.pls import PLSResult, RowsLeftOutWarning, ipma, pls_path_model
from orient.satisfaction.stage import SatisfactionResult, analyse, headline
from orient.stats import kish_n_eff

__all__ = [
    "KINDS",
    "Estimate",
    "PLSResult",
    "RowsLeftOutWarning",
    "SatisfactionResult",
    "analyse",
    "bottom2box",
    "chain_effects",
    "cronbach_alpha",
    "headline",
    "index_scores",
    "ipma",
    "kish_n_eff",
    "mean_score",
    "nps",
    "nps_composition",
    "pls_path_model",
    "reliability",
    "satisfaction_index",
    "segment_table",
    "top2box",
    "wave_change",
    "wave_estimates",
]
