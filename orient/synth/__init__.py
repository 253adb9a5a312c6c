"""Synthetic companies with known ground truth.

:func:`make_company` writes a complete company folder (company.yaml, survey, finance
and the operational tables a business of that kind keeps) and returns the truth
it was generated from, so that every analysis can be checked against it. What is
fixed about each business is a data file, ``scenarios/<business>.yaml``.

Modules
-------
scenarios : the per-business scenario files and load_scenario (BUSINESS_NAMES)
model     : the respondent model (simulate) and the ground truth it implies (GroundTruth)
tables    : the frames of the survey export and the operational tables
write     : CSV and XLSX written byte-identically for the same seed
profile   : the company.yaml written for a synthetic company (stage I and IV sections)
samples   : make_company, make_samples and the committed SAMPLES; make_adversarial
shapes    : the shapes of the adversarial companies (scenarios/shapes/)
"""

from orient.synth.model import RHO, WAVES, GroundTruth
from orient.synth.profile import stage1_sections, stage4_sections
from orient.synth.samples import ADVERSARIAL, SAMPLES, make_adversarial, make_company, make_samples
from orient.synth.scenarios import BUSINESS_NAMES, SHAPE_NAMES, load_scenario

__all__ = [
    "ADVERSARIAL",
    "BUSINESSES",
    "BUSINESS_NAMES",
    "SHAPE_NAMES",
    "RHO",
    "SAMPLES",
    "WAVES",
    "GroundTruth",
    "load_scenario",
    "make_adversarial",
    "make_company",
    "make_samples",
    "stage1_sections",
    "stage4_sections",
]


def __getattr__(name: str):
    # the scenario files are read on first use, not at import time
    if name == "BUSINESSES":  # business -> scenario, as the generator reads it
        return {b: load_scenario(b) for b in BUSINESS_NAMES}
    if name == "_STAGE4":  # business -> stage IV content (tests read the conjoint truth)
        return {b: s["stage4"] for b in BUSINESS_NAMES if "stage4" in (s := load_scenario(b))}
    if name == "_STAGE1_GOALS":
        return {b: s["goals"] for b in BUSINESS_NAMES if "goals" in (s := load_scenario(b))}
    if name == "_STAGE1_GROWTH":
        return {b: load_scenario(b)["growth"] for b in BUSINESS_NAMES}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
