"""A logistic driver model that does not converge says why (separation) and what to do.

The separating ranges are read off the small airline-like survey by hand; separation by
a combination of drivers is built into the data; statsmodels' own logit fit is the
independent check that non-separated data converges."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
import statsmodels.api as sm

import orient
from orient.errors import OrientWarning
from orient.priorities.binary import is_separated, separating_drivers

sys.path.insert(0, str(Path(__file__).parent))
from test_codebook import air_profile, make, repeated  # noqa: E402


def test_airline_like_survey_names_the_separating_drivers_and_the_remedy(tmp_path):
    c = orient.load_company(make(tmp_path, air_profile(), repeated()))
    with pytest.warns(OrientWarning) as record:
        orient.stages.analyse(c, "priorities", n_boot=0)
    msg = next(str(w.message) for w in record if "did not converge" in str(w.message))
    # complete answers (0 = not applicable): p4 (1,4,2) no, p5 (4,5,5) yes, p6 (3,1,1)
    # no, p7 (5,5,4) yes, each 5 times
    assert "'wifi' rated 4-5 by every satisfied respondent and 1-3 by every other one" in msg
    assert "'food' rated 5 by every satisfied respondent and 1-4 by every other one" in msg
    assert "n = 20" in msg and "analysis.driver_method: correlation" in msg


def test_separation_by_a_combination_of_drivers():
    rng = np.random.default_rng(5)
    x = rng.integers(1, 6, (200, 2)).astype(float)
    y = (x[:, 0] + x[:, 1] > 6).astype(float)  # neither rating alone, their sum does
    assert is_separated(x, y)
    assert separating_drivers(x, y) == []


def test_overlapping_outcome_is_not_separated_and_statsmodels_converges():
    rng = np.random.default_rng(6)
    x = rng.integers(1, 6, (300, 3)).astype(float)
    y = (rng.random(300) < 1 / (1 + np.exp(-(x[:, 0] - 3)))).astype(float)
    assert not is_separated(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a separation or convergence warning fails here
        fit = sm.Logit(y, sm.add_constant(x)).fit(disp=0)
    assert fit.mle_retvals["converged"]


def test_one_driver_alone_separating():
    x = np.array([[1, 3], [2, 1], [2, 5], [4, 2], [5, 4]], dtype=float)
    y = np.array([0, 0, 0, 1, 1], dtype=float)
    assert is_separated(x, y)
    assert separating_drivers(x, y) == [(0, (4.0, 5.0), (1.0, 2.0))]
