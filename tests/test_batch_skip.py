"""orient.batch.run skips companies whose inputs, notebooks and orient are unchanged."""

from __future__ import annotations

import pytest
from test_report_support import notebook, write_notebooks

from orient import batch, synth

pytestmark = pytest.mark.slow  # end to end: kernels, notebooks, reports


def test_unchanged_companies_are_skipped_then_rebuilt_on_change_or_force(tmp_path):
    companies = tmp_path / "companies"
    synth.make_company(companies / "alpha", seed=1, n_respondents=40)
    synth.make_company(companies / "beta", seed=2, n_respondents=40)
    nbs = write_notebooks(tmp_path / "nbs", {"01_strategy": notebook("x = 1")})
    out = tmp_path / "reports"
    kw = {"workers": 2, "notebooks_dir": nbs, "pdf": False, "progress": False}
    first = batch.run(companies, out, **kw)
    assert first["status"].tolist() == ["ok", "ok"]
    html = (out / "alpha" / "report.html").read_bytes()
    again = batch.run(companies, out, **kw)
    assert again["status"].tolist() == ["skipped", "skipped"]
    assert (out / "alpha" / "report.html").read_bytes() == html
    survey = companies / "beta" / "survey.csv"
    survey.write_bytes(survey.read_bytes() + b"\n")  # a changed input
    changed = batch.run(companies, out, **kw)
    assert changed.set_index("company")["status"].to_dict() == {"alpha": "skipped", "beta": "ok"}
    digest = batch.inputs_hash(companies / "alpha", nbs)
    assert batch._unchanged(out / "alpha", digest)
    (out / "alpha" / "report.html").unlink()  # a missing output means: build again
    assert not batch._unchanged(out / "alpha", digest)
    forced = batch.run(companies, out, force=True, **kw)
    assert forced["status"].tolist() == ["ok", "ok"]
