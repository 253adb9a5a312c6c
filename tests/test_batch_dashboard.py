"""The Dask dashboard of `orient batch --scheduler`: the `dask` extra brings bokeh, so a
cluster's dashboard link answers with the Bokeh status page, not distributed's
"Dask needs bokeh" placeholder."""

from __future__ import annotations

import tomllib
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # starts a Dask cluster

ROOT = Path(__file__).resolve().parents[1]
# a direct connection to this machine, whatever proxy the environment names
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str) -> tuple[int, str]:
    with _OPENER.open(url, timeout=60) as response:
        return response.status, response.read().decode("utf-8", "replace")


def test_the_dask_extra_names_a_bokeh_dask_accepts():
    from distributed.versions import BOKEH_REQUIREMENT
    from packaging.requirements import Requirement

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["dask"]
    bokeh = [Requirement(spec) for spec in extra if Requirement(spec).name == "bokeh"]
    assert len(bokeh) == 1
    # the lowest bokeh the extra allows is one distributed's dashboard accepts
    lowest = str(bokeh[0].specifier).removeprefix(">=")
    assert BOKEH_REQUIREMENT.specifier.contains(lowest)


def test_the_local_cluster_dashboard_link_answers_http():
    pytest.importorskip("bokeh")
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=False,
            protocol="tcp",
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        Client(cluster) as client,
    ):
        link = client.dashboard_link
        assert link.startswith("http://127.0.0.1:") and link.endswith("/status")
        status, page = _get(link)
        assert status == 200
        assert "Dask needs bokeh" not in page  # distributed's page when bokeh is missing
        assert "Bokeh.set_log_level" in page
        # the page's own Bokeh script is served too
        script = page.split('<script src="', 1)[1].split('"', 1)[0]
        assert "bokeh" in script
        status, js = _get(link.rsplit("/", 1)[0] + "/" + script)
        assert status == 200 and len(js) > 10_000
