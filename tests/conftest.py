"""Shared fixtures: a real Voila server and headless Chromium.

- ``voila_url``: base address of ``python -m widgets.serve`` (the README's server);
  an app is at ``f"{voila_url}/voila/render/<app>.ipynb"``.
- ``page`` / ``phone_page``: a Playwright page at desktop (1280x900) or phone
  (390x844, touch) size.
- ``artifacts``: where screenshots go (``tests/_artifacts``, not in git).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "_artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 90.0, process: subprocess.Popen | None = None):
    """Poll ``url`` until it answers 200, or fail with what the server printed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.fail("Chromium is not installed: run `make test`, which installs it")
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def voila_url(tmp_path_factory):
    """Start the apps exactly as ``make serve`` does, on a free port."""
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    # the answer forms keep drafts in the server's folder: a temporary one, not the home folder
    env = {**os.environ, "HOMEWARD_DRAFTS": str(tmp_path_factory.mktemp("drafts"))}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "widgets.serve", f"--port={port}"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", process=process)
        yield base
    except Exception:
        print(log.read_text()[-4000:])
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        # kept for a look after a failed browser test (tests/_artifacts is not in git)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(log, ARTIFACTS / "voila.log")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


#: A phone as these tests use one: 390 x 844, touch.
PHONE_CONTEXT = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                 "is_mobile": True, "has_touch": True}


def new_page(browser, **options):
    """A page in a context of its own (``options``: Playwright's context options); the page's
    uncaught errors collect in ``page.page_errors``. Close the context when done."""
    context = browser.new_context(accept_downloads=True, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.page_errors = errors
    return context, page


@pytest.fixture
def page(browser):
    context, page = new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context, page = new_page(browser, **PHONE_CONTEXT)
    yield page
    context.close()
