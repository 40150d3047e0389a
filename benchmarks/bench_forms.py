"""The answer forms on a phone: time to usable, and time to hand in.

Run: ``.venv/bin/python benchmarks/bench_forms.py`` (part of ``make benchmark``). One
``python -m widgets.serve`` (drafts in a temporary folder); Chromium at 390 x 844 with touch.

- ``forms_<form>_<profile>_<visit>_usable``: navigation to the first box she can type in, for
  an exercise (``ee03_saving``, Filipino) and a check-in (``checkin_m03``, Indonesian), on the
  local network and on Slow 4G (Lighthouse: 150 ms, 1.6 Mbit/s), first visit (empty cache) and
  return visit (same browser); ``_paint``: navigation to the first text she can read;
- the comparison, measured in the same run the same way: the savings simulator
  (``forms_savings_app_...``), whose targets the forms share (issue 13: Slow 4G first box
  usable <= 10 s, return visit usable <= 2 s);
- ``forms_handin_browser``: a tap on "Hand in" to the file's link on screen (median of 5,
  local network; target <= 1 s);
- ``forms_handin_inprocess``: the same work without the browser (answers read, written into
  the notebook, checked with ast, the file made), median of 20;
- ``forms_handin_exchange``: "Hand in" on a hub: the notebook written where nbgrader fetched it
  and submitted through nbgrader's exchange (a temporary exchange, as the current user),
  median of 5.

The machine is shared: its load average is printed before and after; figures under load are
inflated.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_for_http  # noqa: E402
from tests.helpers.pages import NETWORKS  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_mobile import PHONE, POOL_REFILL_S, WATCH  # noqa: E402  (measured the same way)
from benchtools import stop  # noqa: E402

VISITS = [  # name, address, what she reads first, her first box
    ("ee03", "form.ipynb?assignment=ee03_saving&lang=fil", ".hw-first-paint h1, .hw-markdown h1",
     ".hw-form input[type=text]"),
    ("checkin", "form.ipynb?assignment=checkin_m03&lang=id",
     ".hw-first-paint h1, .hw-markdown h1", ".hw-form input[type=text]"),
    ("savings_app", "savings.ipynb?lang=fil", ".hw-sentences p", ".hw-app input[type=text]"),
]


def visit(context, base: str, address: str, paint: str, usable: str, network: str | None):
    page = context.new_page()
    page.add_init_script(f"({WATCH})({[paint, usable]!r})")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if network:
        p = NETWORKS[network]
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": p["latency"], "downloadThroughput": p["download"],
            "uploadThroughput": p["upload"]})
    page.goto(f"{base}/voila/render/{address}", wait_until="commit", timeout=300_000)
    page.wait_for_function("() => window.__marks && 'usable' in window.__marks",
                           timeout=300_000, polling=100)
    marks = page.evaluate("window.__marks")
    return page, marks.get("paint", float("nan")) / 1000, marks["usable"] / 1000


def handin_browser(page) -> float:
    box = page.locator(".hw-field", has_text="pangalan").locator("input")
    box.fill("Rosa")
    box.press("Tab")
    times = []
    for _ in range(5):
        page.evaluate("() => { const l = document.querySelector('a.hw-download');"
                      " if (l) l.remove(); }")
        started = time.perf_counter()
        page.locator(".hw-handin").tap()
        page.locator("a.hw-download").wait_for(timeout=60_000)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def handin_inprocess() -> float:
    from widgets.forms.handin import EXERCISES, FolderReleases
    from widgets.forms.view import AnswerForm

    releases = FolderReleases(EXERCISES, source=True, patterns=("ee*",))
    form = AnswerForm(releases, "ee03_saving", language="fil")
    form._inputs["difference"].value = "1,234.50"
    form._inputs["better_account"].value = "A"
    form.person.value = "Rosa"
    times = []
    for _ in range(20):
        started = time.perf_counter()
        form.hand_in()
        Path(tempfile.gettempdir(), form.handed_in[0]).write_bytes(form.handed_in[1])
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def handin_exchange() -> float:
    """Release into a temporary exchange, fetch and hand in through it with the form."""
    from widgets.forms.handin import EXERCISES, FolderReleases, HubExchange
    from widgets.forms.view import AnswerForm

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        exchange, home = folder / "exchange", folder / "home"
        outbound = exchange / "homeward" / "outbound" / "ee03_saving"
        outbound.mkdir(parents=True)
        (exchange / "homeward" / "inbound").mkdir()
        os.chmod(exchange / "homeward" / "inbound", 0o2733)
        release = FolderReleases(EXERCISES, source=True, patterns=("ee*",)).release("ee03_saving")
        (outbound / "ee03_saving.ipynb").write_text(json.dumps(release))
        home.mkdir()
        (home / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            "c.Exchange.path_includes_course = True\n"
            "c.CourseDirectory.course_id = 'homeward'\n")
        hub = HubExchange(home)
        form = AnswerForm(hub, "ee03_saving", language="fil")
        form._inputs["difference"].value = "1,234.50"
        times = []
        for _ in range(5):
            started = time.perf_counter()
            assert form.hand_in(), form.status.value
            times.append(time.perf_counter() - started)
        return statistics.median(times)


def main() -> None:
    from playwright.sync_api import sync_playwright

    print(f"forms_machine_load_before: {os.getloadavg()[0]:.1f} load-1min", flush=True)
    print(f"forms_handin_inprocess: {handin_inprocess() * 1000:.0f} ms", flush=True)
    print(f"forms_handin_exchange: {handin_exchange() * 1000:.0f} ms", flush=True)
    port = free_port()
    drafts = tempfile.mkdtemp(prefix="bench-drafts-")
    server = subprocess.Popen([sys.executable, "-m", "widgets.serve", f"--port={port}"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "HOMEWARD_DRAFTS": drafts})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", timeout=180)
        time.sleep(POOL_REFILL_S * 2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=CHROMIUM_ARGS)
            for name, address, paint, usable in VISITS:
                for profile, network in (("local", None), ("slow4g", "slow_4g")):
                    context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                                  is_mobile=True, has_touch=True,
                                                  accept_downloads=True)
                    try:
                        for which in ("first", "return"):
                            time.sleep(POOL_REFILL_S)
                            page, paint_s, usable_s = visit(context, base, address, paint,
                                                            usable, network)
                            key = f"forms_{name}_{profile}_{which}"
                            print(f"{key}_paint: {paint_s:.2f} s")
                            print(f"{key}_usable: {usable_s:.2f} s", flush=True)
                            if name == "ee03" and profile == "local" and which == "return":
                                page.wait_for_selector("body.hw-ready", timeout=120_000)
                                print(f"forms_handin_browser: {handin_browser(page):.2f} s",
                                      flush=True)
                            page.close()
                    finally:
                        context.close()
            browser.close()
    finally:
        stop(server)
    print(f"forms_machine_load_after: {os.getloadavg()[0]:.1f} load-1min", flush=True)


if __name__ == "__main__":
    main()
