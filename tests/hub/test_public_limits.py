"""The public simulators stay cheap: ``python -m widgets.serve --public`` with caps on the
kernels a visitor holds and on the total, in Chromium. A visitor who reloads keeps one kernel;
when the cap is reached the next visitor waits with a message; the dashboard is not served."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port, wait_for_http
from tests.hub.workshop import child_kernels

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
APP = "/voila/render/savings.ipynb"
READY = ".hw-sentences p"


@pytest.fixture(scope="module")
def public(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("public") / "voila.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "widgets.serve", "--public", f"--port={port}",
             "--max-kernels=2", "--kernels-per-visitor=1"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", process=process)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_the_dashboard_is_not_public(public):
    base, _process = public
    assert requests.get(base + "/voila/render/mentoring.ipynb", timeout=60).status_code == 404


def test_reloads_keep_one_kernel_and_a_full_server_asks_the_next_visitor_to_wait(
        public, browser, artifacts):
    base, process = public
    first = browser.new_context()
    page = first.new_page()
    for _ in range(6):
        page.goto(base + APP)
        page.locator(READY).first.wait_for(timeout=90_000)
    pool = 3  # Voila keeps one pre-heated kernel waiting per app
    assert len(child_kernels(process.pid)) <= pool + 1, "a reloading visitor holds more than one kernel"
    second = browser.new_context()
    other = second.new_page()
    assert other.goto(base + APP).status == 200
    other.locator(READY).first.wait_for(timeout=90_000)
    third = browser.new_context(viewport={"width": 390, "height": 844})
    waiting = third.new_page()
    answer = waiting.goto(base + APP)
    assert answer.status == 503 and answer.headers["retry-after"] == "20"
    waiting.get_by_role("heading", name="The simulators are busy").wait_for()
    waiting.screenshot(path=artifacts / "public-busy-phone.png")
    assert waiting.evaluate("document.documentElement.scrollWidth") <= 390
    # the first visitor comes back: she still has her place
    assert page.goto(base + APP).status == 200
    for context in (first, second, third):
        context.close()
