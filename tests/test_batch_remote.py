"""orient.batch.run on Dask without a shared file system: the client sends each company's
inputs as bytes, a worker builds in a folder of its own and returns the built files as
bytes, and the client writes them. A LocalCluster of two worker processes, each building
under its own folder (``worker_dir``), which is kept so the test can compare."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from test_report_support import notebook, write_notebooks

from orient import batch, synth

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # a Dask cluster, kernels, notebooks, reports

WHERE = """
import os
print("inputs at", company_dir)
assert "company.yaml" in os.listdir(company_dir)
import orient
print("respondents", len(orient.load_company(company_dir).survey))
"""


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        memory_limit=0,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="module")
def built(cluster, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("remote")
    companies = tmp / "companies"
    synth.make_company(companies / "alpha", seed=1, n_respondents=40)
    synth.make_company(companies / "beta", seed=2, n_respondents=60)
    (companies / "alpha" / "notes.txt").write_text("not an input\n")  # never sent
    nbs = write_notebooks(tmp / "nbs", {"01_strategy": notebook(WHERE)})
    out, workers = tmp / "reports", tmp / "workers"
    frame = batch.run(
        companies,
        out,
        scheduler=cluster,
        worker_dir=workers,
        notebooks_dir=nbs,
        pdf=True,
        date="2026-01-31",
        progress=False,
    )
    return {"companies": companies, "nbs": nbs, "out": out, "workers": workers, "frame": frame}


def _worker_folder(workers: Path, slug: str) -> Path:
    found = sorted(workers.glob(f"orient-remote-*/out/{slug}"))
    assert len(found) == 1, found
    return found[0]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != batch.STAMP}


def test_the_client_writes_exactly_the_files_the_workers_built(built):
    assert built["frame"]["status"].tolist() == ["ok", "ok"]
    for slug in ("alpha", "beta"):
        ours = _files(built["out"] / slug)
        theirs = _files(_worker_folder(built["workers"], slug))
        assert set(ours) == {"report.html", "report.pdf", "summary.json", "01_strategy.ipynb"}
        assert set(ours) == set(theirs)
        for name in ours:
            assert ours[name] == theirs[name], name
        assert ours["report.pdf"].startswith(b"%PDF-")
        report = built["frame"].set_index("company").loc[slug, "report"]
        assert report == str((built["out"] / slug / "report.html").resolve())


def test_the_workers_read_the_inputs_they_were_sent(built):
    import orient

    for slug in ("alpha", "beta"):
        # the same survey as the client's folder holds
        n = len(orient.load_company(built["companies"] / slug).survey)
        nb = nbformat.read(built["out"] / slug / "01_strategy.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
        where = text.split("inputs at ", 1)[1].split("\n", 1)[0]
        # a copy in the worker's own folder, not the client's company folder
        assert Path(where).is_relative_to(built["workers"]) and Path(where).name == slug
        assert not Path(where).is_relative_to(built["companies"])
        assert f"respondents {n}\n" in text
        sent = {p.name for p in Path(where).iterdir()}
        assert "notes.txt" not in sent  # only company.yaml and the files it names
        assert sent == {p.name for p in batch.named_files(built["companies"] / slug)}


def test_the_stamp_is_the_clients_and_an_unchanged_batch_is_skipped(built, cluster):
    for slug in ("alpha", "beta"):
        stamp = (built["out"] / slug / batch.STAMP).read_text().strip()
        assert stamp == batch.inputs_hash(built["companies"] / slug, built["nbs"])
    data = json.loads((built["out"] / "batch.json").read_text())
    assert data["scheduler"] == cluster and data["counts"]["ok"] == 2
    again = batch.run(
        built["companies"],
        built["out"],
        scheduler=cluster,
        notebooks_dir=built["nbs"],
        pdf=True,
        date="2026-01-31",
        progress=False,
    )
    assert again["status"].tolist() == ["skipped", "skipped"]


def test_the_numbers_match_a_local_build(built, tmp_path):
    local = batch.build_one(
        str(built["companies"] / "beta"),
        str(tmp_path),
        True,
        {"notebooks_dir": built["nbs"], "pdf": False, "date": "2026-01-31"},
    )
    assert local["status"] == "ok"
    assert (tmp_path / "beta" / "summary.json").read_bytes() == (
        built["out"] / "beta" / "summary.json"
    ).read_bytes()


def test_workers_may_read_the_inputs_at_the_clients_paths(built, cluster, tmp_path):
    out = tmp_path / "reports"
    frame = batch.run(
        built["companies"],
        out,
        scheduler=cluster,
        send_inputs=False,
        notebooks_dir=built["nbs"],
        pdf=False,
        progress=False,
    )
    assert frame["status"].tolist() == ["ok", "ok"]
    nb = nbformat.read(out / "alpha" / "01_strategy.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert f"inputs at {(built['companies'] / 'alpha').resolve()}\n" in text
    assert not (out / "alpha" / "report.pdf").exists()
