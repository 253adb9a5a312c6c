"""Open report.html in headless Chromium: no console error, no request, images loaded.

Uses Playwright driving Debian's chromium (/usr/bin/chromium) when Playwright is
installed, else the chromium command line (--dump-dom and --screenshot). The
screenshot is kept in build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from test_report_support import demo_notebooks

from orient import report, synth

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def report_html(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    synth.make_company(
        tmp / "co",
        seed=7,
        n_respondents=50,
        slug="acme",
        name="<script>alert(1)</script><img src=x onerror=alert(2)>",
    )
    return report.build(
        tmp / "co", tmp / "out", notebooks_dir=demo_notebooks(tmp / "nbs"), pdf=False
    )


def test_report_in_chromium(report_html, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh --user-data-dir
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS[1:],
            viewport={"width": 1100, "height": 1400},
        )
        try:
            page = context.new_page()
            page.on(
                "console",
                lambda m: (
                    m.type in ("error", "warning")
                    and problems.append(f"console {m.type}: {m.text}")
                ),
            )
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
            page.on(
                "request",
                lambda r: (
                    r.url.startswith(("data:", "file:"))
                    or problems.append(f"network request: {r.url}")
                ),
            )
            page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
            page.goto(report_html.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            images = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => i.complete && i.naturalWidth > 0)"
            )
            assert images and all(images), f"images not loaded: {images}"
            summary = page.locator("#executive-summary")
            assert summary.is_visible()
            box = summary.bounding_box()
            assert box is not None and box["y"] < 1400  # on the first screen
            assert "<script>alert(1)</script>" in page.locator("h1.company").inner_text()
            page.screenshot(path=str(SHOTS / "report-top.png"))
            page.screenshot(path=str(SHOTS / "report-full.png"), full_page=True)
        finally:
            context.close()
    assert problems == []


def test_report_in_chromium_command_line(report_html, tmp_path):
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / "report-cli.png"
    common = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run(
        [*common, "--dump-dom", report_html.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert 'id="executive-summary"' in dom and "<script" not in dom.lower()
    subprocess.run(
        [*common, f"--screenshot={shot}", "--window-size=1100,1400", report_html.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 10_000
