"""A simulator's kernel kept ready inside a person's own Jupyter server (``widgets.pool``), as
each server on the workshop hub has it: a real ``jupyter server`` with the hub's settings
(``grading.hub.cli.jupyter_settings``) on 127.0.0.1, and the savings simulator in Chromium.

Her first visit takes the kernel that was started before she came. Her second visit, while
the used kernel is not yet replaced (``fill_delay``, 300 s by default), starts its own kernel
at once instead of waiting for the replacement.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from grading.hub.cli import jupyter_settings
from tests.conftest import PHONE_CONTEXT, ROOT, free_port, new_page, wait_for_http
from widgets.serve import JUPYTER_DATA

pytestmark = pytest.mark.browser

APP = "apps/savings.ipynb"
READY = ".hw-sentences p"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    config = tmp_path_factory.mktemp("jupyter-config")
    settings = jupyter_settings(config, ("savings",))
    assert settings["PooledKernelManager"]["pooled"] == [APP]
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    # the Homeward template where Voila looks for it (on the hub: installed in the servers'
    # environment by ``python -m grading hub start``)
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(config), "JUPYTER_PATH": str(JUPYTER_DATA),
           "HOMEWARD_DRAFTS": str(tmp_path_factory.mktemp("drafts"))}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", f"--ServerApp.port={port}",
             "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={ROOT / 'widgets'}",
             "--ServerApp.open_browser=False", "--IdentityProvider.token=",
             "--ServerApp.disable_check_xsrf=True", "--allow-root"],
            cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/api/status", process=process)
        yield base, log
    finally:
        for kernel in kernels(base) if process.poll() is None else ():
            request = urllib.request.Request(f"{base}/api/kernels/{kernel}", method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def kernels(base: str) -> set[str]:
    with urllib.request.urlopen(base + "/api/kernels", timeout=10) as response:
        return {k["id"] for k in json.load(response)}


def page_kernel(page) -> str:
    return json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]


def test_the_first_visit_takes_the_ready_kernel_and_the_next_does_not_wait(server, browser):
    base, log = server
    deadline = time.monotonic() + 120
    while not kernels(base) and time.monotonic() < deadline:
        time.sleep(0.5)
    ready = kernels(base)
    assert len(ready) == 1, f"one kernel kept ready before anyone came: {ready}"
    assert "a kernel kept ready for apps/savings.ipynb" in log.read_text()

    context, page = new_page(browser, **PHONE_CONTEXT)
    errors = page.page_errors
    url = f"{base}/voila/render/{APP}?lang=id&currency=IDR"
    page.goto(url, timeout=120_000)
    page.locator(READY).first.wait_for(timeout=120_000)
    assert page_kernel(page) in ready, "her first visit uses the kernel started before"
    assert "Rp" in page.locator(".hw-sentences").inner_text(), "her currency reached the kernel"

    # She opens it again at once: the used kernel is replaced only after fill_delay (300 s).
    # Her page must not wait for that: it starts its own kernel, as without a pool.
    started = time.monotonic()
    page.goto(url, timeout=90_000)
    page.locator(READY).first.wait_for(timeout=90_000)
    seconds = time.monotonic() - started
    assert page_kernel(page) not in ready
    assert seconds < 90, seconds
    assert not errors, errors
    context.close()
    # no error from the server (leaving a page closes its socket: tornado prints that
    # traceback as a task warning, not an error)
    errors_logged = [line for line in log.read_text().splitlines() if line.startswith("[E ")]
    assert not errors_logged, errors_logged[:5]
