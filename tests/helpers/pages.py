"""Helpers for tests (and benchmarks) that open a Homeward page in Chromium.

- :func:`open_app`: go to an app (optionally ``?lang=&currency=``) and wait until its widgets
  are live (``body.hw-ready``, set by the page script) and its results are on screen;
- :func:`axe_violations`: run axe-core (``node_modules/axe-core``, from ``npm ci``) against
  WCAG 2.1 A and AA and return what it finds;
- :func:`full_screenshot`: the whole page, whatever its height;
- :func:`throttle`: Lighthouse's network profiles (and CPU slowdown) through the DevTools
  protocol;
- :func:`kernels`: how many kernels a Voila server runs now.
"""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Lighthouse's throttling profiles: round trip (ms), download and upload (bytes/s).
NETWORKS = {
    "slow_4g": {"latency": 150, "download": 1.6e6 / 8, "upload": 750e3 / 8},
    "regular_3g": {"latency": 300, "download": 750e3 / 8, "upload": 250e3 / 8},
}


def app_address(base: str, app: str, **query: str) -> str:
    address = f"{base}/voila/render/{app}.ipynb"
    return address + ("?" + urllib.parse.urlencode(query) if query else "")


def open_app(page, base: str, app: str, ready: str = ".hw-app .hw-sentences p", **query):
    """Open an app and wait until it is live (widgets rendered by the page script)."""
    # the page streams while the kernel runs the notebook: minutes on a loaded machine
    page.goto(app_address(base, app, **query), timeout=120_000)
    page.wait_for_selector("body.hw-ready", timeout=90_000)
    if ready:
        page.locator(ready).first.wait_for(timeout=60_000)
    return page


def axe_violations(page, context: str | None = None) -> list[dict]:
    """WCAG 2.1 A/AA violations axe-core finds on the page (or inside ``context``)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async ([context, tags]) => {
             const found = await axe.run(context ? document.querySelector(context) : document,
                                         {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
             return found.violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)
             }));
           }""",
        [context, WCAG_21_AA],
    )
    return result


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, indent=1, ensure_ascii=False)


def full_screenshot(page, path) -> None:
    page.screenshot(path=str(path), full_page=True)


def throttle(page, network: str | None, cpu: float = 1.0):
    """Throttle the page's network (a Lighthouse profile name) and CPU; returns the CDP session."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    if network:
        profile = NETWORKS[network]
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": profile["latency"],
            "downloadThroughput": profile["download"], "uploadThroughput": profile["upload"]})
    if cpu != 1.0:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    return cdp


def kernels(server) -> int:
    """The kernels a server runs: its child processes running ipykernel. A kernel that is
    exiting (gone, or a zombie not yet reaped) is not counted."""
    import psutil

    count = 0
    for child in psutil.Process(server.pid).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                count += 1
        except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            continue
    return count
