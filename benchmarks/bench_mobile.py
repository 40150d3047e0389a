"""The apps on a phone on mobile data: page weight and time, Homeward's page vs Voila's own.

Run: ``.venv/bin/python benchmarks/bench_mobile.py`` (part of ``make benchmark``). Two servers
serve the same app notebooks in the same run: ``python -m widgets.serve`` (the Homeward
template and page script, gzip, long caching) and ``python -m widgets.serve --stock`` (Voila's
lab template, as before issue 13). Chromium at 390 x 844 (a phone), with Lighthouse's network
profiles through the DevTools protocol: none, Slow 4G (150 ms, 1.6 Mbit/s), Regular 3G
(300 ms, 750 kbit/s), and Slow 4G with the CPU slowed 4x (a cheap phone).

For each visit (a first visit with an empty cache, then a second visit in the same browser):

- ``requests`` and ``kb`` over HTTP (bytes on the wire, compressed where the server compresses),
  and ``ws_kb``: what the widgets' websocket brought (message payloads as sent, before any
  websocket compression: an upper bound);
- ``paint_s``: navigation to her summary on screen (the first paint, or the live sentences);
- ``usable_s``: navigation to the first box she can type in.

And ``change_kb``: websocket payload sent and received for one change of a box (median of 5).

Targets (issue 13, savings app): first visit <= 1200 KB; Slow 4G: summary <= 3 s, first box
usable <= 10 s; second visit usable <= 2 s; <= 8 KB per input change. The machine is shared:
its load average is printed before and after.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_for_http  # noqa: E402
from tests.helpers.pages import NETWORKS  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from benchtools import stop  # noqa: E402

PHONE = {"width": 390, "height": 844}
#: What shows her summary (paint) and her first usable box (usable), per app.
MARKS = {
    "savings": (".hw-sentences p", ".hw-app input[type=text]"),
    "business": (".hw-sentences p", ".hw-app input[type=text]"),
    "action_plan": ("h1, h2, h3", ".hw-action-plan input[type=text]"),
    "mentoring": (".hw-cards, .hw-ready", ".hw-dash input, .hw-dash select"),
}
PROFILES = {  # name: (network, cpu slowdown)
    "unthrottled": (None, 1.0),
    "slow4g": ("slow_4g", 1.0),
    "3g": ("regular_3g", 1.0),
    "slow4g_cpu4x": ("slow_4g", 4.0),
}
#: The full matrix for the savings app (the issue's targets), two profiles for the others.
PLAN = [("savings", "homeward", list(PROFILES)), ("savings", "stock", list(PROFILES)),
        ("business", "homeward", list(PROFILES)), ("business", "stock", ["unthrottled", "slow4g"]),
        ("action_plan", "homeward", ["unthrottled", "slow4g"]),
        ("mentoring", "homeward", ["unthrottled", "slow4g"])]
CHANGES = 5
POOL_REFILL_S = 8  # a pre-heated kernel is ready again for the next visitor

WATCH = """
([paint, usable]) => {
  window.__marks = {};
  const look = () => {
    for (const [name, sel] of [['paint', paint], ['usable', usable]]) {
      if (!(name in window.__marks) && document.querySelector(sel)) {
        window.__marks[name] = performance.now();
      }
    }
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true});
}
"""


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def start(port: int, stock: bool) -> subprocess.Popen:
    args = [sys.executable, "-m", "widgets.serve", f"--port={port}", *(["--stock"] if stock else [])]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Recorder:
    """Requests, HTTP bytes and websocket payloads of one page, through the DevTools protocol."""

    def __init__(self, page, network: str | None, cpu: float):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        if network:
            p = NETWORKS[network]
            self.cdp.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": p["latency"], "downloadThroughput": p["download"],
                "uploadThroughput": p["upload"]})
        if cpu != 1.0:
            self.cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu})
        self.requests: dict[str, str] = {}
        self.bytes: dict[str, int] = {}
        self.ws = 0
        self.cdp.on("Network.requestWillBeSent", self._request)
        self.cdp.on("Network.loadingFinished",
                    lambda e: self.bytes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        self.cdp.on("Network.webSocketFrameReceived", self._frame)
        self.cdp.on("Network.webSocketFrameSent", self._frame)

    def _request(self, event):
        url = event["request"]["url"]
        if not url.startswith("data:"):
            self.requests[event["requestId"]] = url

    def _frame(self, event):
        response = event["response"]
        size = len(response.get("payloadData", ""))
        self.ws += size * 3 // 4 if response.get("opcode") == 2 else size

    def http_kb(self) -> float:
        return sum(v for k, v in self.bytes.items() if k in self.requests) / 1024


def visit(context, app: str, base: str, network, cpu) -> dict:
    page = context.new_page()
    paint_sel, usable_sel = MARKS[app]
    page.add_init_script(f"({WATCH})({[paint_sel, usable_sel]!r})")
    recorder = Recorder(page, network, cpu)
    page.goto(f"{base}/voila/render/{app}.ipynb", wait_until="commit", timeout=300_000)
    page.wait_for_function("() => window.__marks && 'usable' in window.__marks", timeout=300_000,
                           polling=100)
    page.wait_for_timeout(1500)  # what loads after the first box (the last widgets, fonts)
    marks = page.evaluate("window.__marks")
    result = {"requests": len(recorder.requests), "kb": recorder.http_kb(),
              "ws_kb": recorder.ws / 1024, "paint_s": marks.get("paint", float("nan")) / 1000,
              "usable_s": marks["usable"] / 1000, "page": page, "recorder": recorder}
    return result


def change_kb(page, recorder, app: str) -> float:
    """Websocket payload of one change of a box, until the sentences change and settle."""
    sizes = []
    box = page.locator(".hw-app input[type=text]").first
    for i in range(CHANGES + 1):
        before = page.locator(".hw-app .hw-sentences").inner_text()
        recorder.ws = 0
        value = f"{28 + (i % 3) + 1},000" if app == "savings" else f"{100 + i}"
        if app == "business":  # the price box is on step 3
            box = page.get_by_label("Selling price of one unit")
        box.fill(value)
        box.press("Enter")
        page.wait_for_function(
            "t => document.querySelector('.hw-app .hw-sentences').innerText !== t", arg=before,
            timeout=60_000)
        page.wait_for_timeout(800)
        if i:  # the first change warms the kernel's code paths
            sizes.append(recorder.ws / 1024)
    return statistics.median(sizes)


def main() -> None:
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()
    print(f"mobile_machine_load_before: {load[0]:.1f} load-1min")
    ports = {"homeward": free_port(), "stock": free_port()}
    servers = [start(ports["homeward"], False), start(ports["stock"], True)]
    try:
        for port in ports.values():
            wait_for_http(f"http://127.0.0.1:{port}/", timeout=120)
        time.sleep(POOL_REFILL_S * 2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=CHROMIUM_ARGS)
            for app, server, profiles in PLAN:
                base = f"http://127.0.0.1:{ports[server]}"
                for profile in profiles:
                    network, cpu = PROFILES[profile]
                    context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                                  is_mobile=True, has_touch=True)
                    try:
                        for which in ("first", "second"):
                            time.sleep(POOL_REFILL_S)
                            result = visit(context, app, base, network, cpu)
                            name = f"mobile_{app}_{server}_{profile}_{which}"
                            print(f"{name}_requests: {result['requests']} requests")
                            print(f"{name}_kb: {result['kb']:.0f} KB")
                            print(f"{name}_ws_kb: {result['ws_kb']:.0f} KB")
                            print(f"{name}_paint: {result['paint_s']:.2f} s")
                            print(f"{name}_usable: {result['usable_s']:.2f} s", flush=True)
                            if (which == "second" and profile == "unthrottled"
                                    and app in ("savings", "business")):
                                page = result["page"]
                                if app == "business":
                                    page.locator(".hw-steps button").nth(2).click()
                                    page.get_by_label("Selling price of one unit").wait_for()
                                kb = change_kb(page, result["recorder"], app)
                                print(f"mobile_{app}_{server}_change_kb: {kb:.1f} KB", flush=True)
                            result["page"].close()
                    finally:
                        context.close()
            browser.close()
    finally:
        stop(*servers)
    load = os.getloadavg()
    print(f"mobile_machine_load_after: {load[0]:.1f} load-1min")


if __name__ == "__main__":
    main()
