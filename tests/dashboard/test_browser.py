"""`siyu dashboard` served for real and opened in headless Chromium, as an operator would: the page's
text holds its Chinese and English headings and no error, and the screenshot is a drawn page (charts,
tables), not a blank or error screen. Needs only the chromium binary, driven over the DevTools
protocol (cdp.py: no selenium, no chromedriver)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="no chromium binary on PATH: nothing to screenshot with")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tiny_copy, tmp_path_factory):
    """`siyu dashboard` over the hand-built copy, in its own process group (it starts Streamlit as a
    child), stopped by that group's id at the end."""
    port, home = _free_port(), tmp_path_factory.mktemp("served")
    env = {**os.environ, "SIYU_PUBLISHED": str(tiny_copy), "SIYU_WAREHOUSE": str(home / "brand.duckdb"),
           "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "dashboard", "--port", str(port)],
                              cwd=home, env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the dashboard did not start:\n{server.stdout.read().decode()}")
                time.sleep(0.5)
        yield url, home
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser(served):
    from cdp import Browser

    _, home = served
    chromium = Browser(CHROMIUM, home / "chrome")
    yield chromium
    chromium.close()


# drawn: the page's last heading is there, the script has finished, and its charts have drawn
DRAWN = ("document.body.innerText.includes({last!r}) "
         "&& !document.querySelector('[data-testid=stStatusWidgetRunningIcon]') "
         "&& document.querySelectorAll('[data-testid=stVegaLiteChart] .marks').length >= {charts}")


@pytest.mark.parametrize(("page", "headings", "charts"), [
    ("assets", ["客户资产 Customer assets", "用户资产表 Asset statement", "当前客户资产 Customers held now"],
     3),
    ("quality", ["数据质量 Data quality", "边界检查 Boundary checks", "隔离数据 Quarantined rows"], 1),
])
def test_the_page_a_browser_shows_holds_its_headings_and_no_error(served, browser, page, headings, charts):
    url, _ = served
    browser.open(f"{url}/?page={page}", DRAWN.format(last=headings[-1], charts=charts))
    text, html = browser.text(), browser.html()
    assert all(h in text for h in headings), text
    assert "Traceback" not in text and "Error" not in text, text
    assert 'data-testid="stException"' not in html and "stAlertContentError" not in html


def test_the_page_fetches_nothing_but_from_the_dashboard_itself(served, browser):
    url, _ = served
    browser.requested.clear()
    browser.open(f"{url}/?page=rfm", DRAWN.format(last="Super-user Pareto curve", charts=2))
    elsewhere = [u for u in browser.requested if not u.startswith((url, "data:", "blob:", "about:"))]
    assert browser.requested and elsewhere == []  # no CDN: scripts, styles, fonts, charts all local


def test_the_screenshot_is_a_drawn_page(served, browser):
    from PIL import Image

    url, home = served
    browser.open(f"{url}/?page=assets", DRAWN.format(last="当前客户资产 Customers held now", charts=3))
    shot = browser.screenshot(home / "assets.png")
    assert shot.is_file() and shot.stat().st_size > 50_000, "no screenshot, or a nearly empty one"
    pixels = list(Image.open(shot).convert("RGB").getdata())
    inked = sum(1 for p in pixels if sum(p) < 3 * 230) / len(pixels)
    # the waterfalls' green and red bars are drawn (a blank or an error page has neither)
    green = sum(1 for r, g, b in pixels if g > r + 40 and g > b + 40)
    red = sum(1 for r, g, b in pixels if r > g + 80 and r > b + 80)
    assert inked > 0.03 and green > 2_000 and red > 2_000, (inked, green, red)
    if os.environ.get("SIYU_KEEP_SCREENSHOT"):  # to look at it: SIYU_KEEP_SCREENSHOT=/some/file.png
        shutil.copy(shot, os.environ["SIYU_KEEP_SCREENSHOT"])
