"""Writing a synthetic company folder (:func:`make_company`) and the committed samples."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from orient.stats import to_100
from orient.synth import tables as _tables
from orient.synth.model import GroundTruth, simulate, truth
from orient.synth.profile import company_profile
from orient.synth.scenarios import BUSINESS_NAMES, SHAPE_NAMES, load_scenario
from orient.synth.shapes import shape_profile, shape_survey, shape_tables
from orient.synth.write import write_csv, write_xlsx

__all__ = ["ADVERSARIAL", "SAMPLES", "make_adversarial", "make_company", "make_samples"]

#: the committed sample companies: slug -> (business, seed)
SAMPLES: dict[str, tuple[str, int]] = {
    "northsteel": ("steel", 11),
    "swiftpost": ("delivery", 12),
    "harbour-mutual": ("insurance", 13),
    "volta-motors": ("cars", 14),
    "cobalt-software": ("software", 15),
}

#: the adversarial companies (not committed; written by :func:`make_adversarial`):
#: slug -> (business, seed). Each scenario's ``shape`` makes its data unlike the samples'.
ADVERSARIAL: dict[str, tuple[str, int]] = {
    "skyway-air": ("airline", 31),
    "fermo-equipment": ("equipment", 32),
    "lindenclinic": ("clinic", 33),
    "riverside-utility": ("utility", 34),
    "pipeline-only": ("crm_only", 35),
    "complaints-only": ("complaints_only", 36),
}


def make_company(
    path: str | Path,
    seed: int = 0,
    name: str | None = None,
    n_respondents: int | None = None,
    *,
    business: str = "delivery",
    slug: str | None = None,
    overwrite: bool = False,
) -> GroundTruth:
    """Write a synthetic company folder and return its ground truth.

    Parameters
    ----------
    path : folder to write (created; must be empty or absent unless ``overwrite``).
    seed : the random seed; the same seed writes byte-identical files.
    name : the company's name (default: the scenario's name).
    n_respondents : survey size (default: the scenario's size).
    business : one of ``steel``, ``delivery``, ``insurance``, ``cars``, ``software``: the
        scenario file ``orient/synth/scenarios/<business>.yaml`` to draw from.
    slug : the company's slug (default: from the folder name).
    overwrite : allow writing into a folder that already holds a company.yaml.

    Returns
    -------
    GroundTruth

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     truth = make_company(f"{tmp}/co", seed=1, business="software", n_respondents=50)
    ...     files = sorted(p.name for p in Path(tmp, "co").iterdir())
    >>> files
    ['company.yaml', 'contacts.csv', 'deals.csv', 'finance.csv', 'stage_history.csv', 'survey.csv']
    >>> truth.attributes["factor_type"].to_dict()["delivery_speed"]
    'basic'
    """
    known = BUSINESS_NAMES + SHAPE_NAMES
    if business not in known:
        raise ValueError(
            f"`business` must be one of {', '.join(map(repr, known))}; got {business!r}."
        )
    b = load_scenario(business)
    n = int(n_respondents or b["n"])
    if n < 10:
        raise ValueError(f"`n_respondents` must be at least 10; got {n_respondents!r}.")
    path = Path(path)
    if path.exists() and any(path.iterdir()) and not overwrite:
        raise FileExistsError(f"{path} is not empty; pass overwrite=True to replace its files.")
    path.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    sim = simulate(b, n, rng)
    survey, ids, cust = _tables.survey_frame(b, sim, rng)
    fmt = b["format"]
    survey_file = "survey.xlsx" if fmt.get("xlsx") else "survey.csv"
    shape = b.get("shape") or {}
    if shape:
        survey = shape_survey(survey, b, sim)
    if not shape.get("survey", True):
        pass  # a tables-only folder: the respondents only give the customers their ids
    elif fmt.get("xlsx"):
        write_xlsx(survey, path / survey_file)
    else:
        write_csv(survey, path / survey_file, fmt)
    tables = b["tables"]
    lo, hi = b["overall_scale"]
    idx = to_100(sim["overall"], lo, hi)
    seg_names = np.array(list(b["segments"]))[sim["seg"]]
    written = {}
    if "finance" in tables:
        written["finance"] = _tables.finance(b, cust, idx, seg_names, rng)
    if "calls" in tables:
        written["calls"] = _tables.calls(b, rng)
    if "claims" in tables:
        written["claims"] = _tables.claims(b, cust, rng)
    if "quality" in tables:
        written["quality"] = _tables.quality(b, rng)
    if "deals" in tables:
        deals = _tables.deals(b, cust, seg_names, rng)
        written["deals"] = deals
        if "stage_history" in tables:
            written["stage_history"] = deals.attrs["history"]
        if "contacts" in tables:
            written["contacts"] = _tables.contacts(deals, pd.Timestamp("2026-05-31"), rng)
    if shape:
        written = shape_tables(written, b)
    for tname, frame in written.items():
        write_csv(frame, path / f"{tname}.csv", {"encoding": "utf-8", "sep": ",", "decimal": "."})
    profile = company_profile(b, business, name, slug, survey_file, seed, tables, rng)
    if shape:
        profile = shape_profile(profile, b)
    text = (
        "# Generated by orient.synth.make_company: a fictional company with known ground truth.\n"
    )
    text += yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=100)
    (path / "company.yaml").write_text(text, encoding="utf-8")
    return truth(b, business, n, seed)


def make_samples(root: str | Path = "data/companies") -> dict[str, GroundTruth]:
    """(Re)write the committed sample companies under ``root``; byte-identical per seed."""
    root = Path(root)
    out = {}
    for slug, (business, seed) in SAMPLES.items():
        out[slug] = make_company(root / slug, seed=seed, business=business, overwrite=True)
    return out


def make_adversarial(root: str | Path) -> dict[str, GroundTruth]:
    """Write the adversarial companies (:data:`ADVERSARIAL`) under ``root``."""
    root = Path(root)
    return {
        slug: make_company(root / slug, seed=seed, business=business, overwrite=True)
        for slug, (business, seed) in ADVERSARIAL.items()
    }
