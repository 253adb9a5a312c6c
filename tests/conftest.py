import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def pytest_collection_modifyitems(session, config, items):
    """The files holding end-to-end (slow) tests run first: spread over the workers
    (``make test`` runs one file per worker), the long ones then overlap instead of
    leaving one worker alone with the last of them. Order within a file is kept."""
    heavy = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in heavy)
