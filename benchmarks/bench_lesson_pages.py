"""The course on a phone on mobile data: the home page and a lesson page, Homeward vs stock Voila.

Run: ``.venv/bin/python benchmarks/bench_lesson_pages.py`` (part of ``make benchmark``).
Two servers serve the same course site, built once into a temporary folder, in the same run:
``python -m widgets.serve --course`` (the Homeward template and page script, gzip, long
caching; the static home page) and the same with ``--stock`` (Voila's lab template, nothing
compressed or cached: how the lessons would be served without the page shell). Chromium at
390 x 844, with Lighthouse's network profiles (none, and Slow 4G: 150 ms, 1.6 Mbit/s).

For the home page (``/?lang=fil``) and lesson 1 in Filipino, a first visit with an empty cache
and then a second visit in the same browser:

- ``requests`` and ``kb`` over HTTP (bytes on the wire), ``ws_kb`` over the widgets' websocket;
- ``paint_s``: navigation to the page's title (``h1``) on screen, something to read;
- ``usable_s``: the home page: its lesson links are there; a lesson: its first check button
  (a quiz) works, i.e. the widgets are live.

Lesson pages start their kernel when opened (no pre-heated kernel per lesson), so a lesson's
times include running it. The issue's targets for the simulators serve as the yardstick (first
visit <= 1200 KB; Slow 4G readable <= 3 s, usable <= 10 s; second visit usable <= 2 s). The
machine is shared: its load average is printed before and after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_mobile import WATCH, Recorder, note  # noqa: E402
from benchtools import stop  # noqa: E402

from tests.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_for_http  # noqa: E402

PHONE = {"width": 390, "height": 844}
LESSON = "lessons/fil/economic_empowerment/01-money-across-the-migration-cycle.ipynb"
#: page: (address, paint mark, usable mark)
PAGES = {
    "home": ("/?lang=fil", "h1", "main li a"),
    "lesson": (f"/voila/render/{LESSON}", "h1", "button.jupyter-button"),
}
PLAN = [("home", "homeward"), ("lesson", "homeward"), ("lesson", "stock")]
PROFILES = {"unthrottled": None, "slow4g": "slow_4g"}


def start(port: int, site: Path, stock: bool) -> subprocess.Popen:
    args = [sys.executable, "-m", "widgets.serve", "--course", f"--site={site}", "--no-build",
            f"--port={port}", "--no-preheat", *(["--stock"] if stock else [])]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def visit(context, base: str, page_name: str, network) -> dict:
    address, paint, usable = PAGES[page_name]
    page = context.new_page()
    page.add_init_script(f"({WATCH})({[paint, usable]!r})")
    recorder = Recorder(page, network, 1.0)
    page.goto(base + address, wait_until="commit", timeout=300_000)
    page.wait_for_function("() => window.__marks && 'usable' in window.__marks", timeout=300_000,
                           polling=100)
    page.wait_for_timeout(1500)  # what loads after (the last widgets)
    marks = page.evaluate("window.__marks")
    result = {"requests": len(recorder.requests), "kb": recorder.http_kb(),
              "ws_kb": recorder.ws / 1024, "paint_s": marks.get("paint", float("nan")) / 1000,
              "usable_s": marks["usable"] / 1000}
    page.close()
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright

    from widgets.site import build_site

    load = os.getloadavg()
    print(f"lesson_pages_machine_load_before: {load[0]:.1f} load-1min")
    folder = Path(tempfile.mkdtemp(prefix="homeward-bench-site-"))
    started = time.perf_counter()
    site = build_site(folder / "site")
    print(f"lesson_pages_site_build: {time.perf_counter() - started:.1f} s "
          f"({sum(len(p) for p in site.pages.values())} pages)")
    ports = {"homeward": free_port(), "stock": free_port()}
    servers = [start(ports["homeward"], site.out, False), start(ports["stock"], site.out, True)]
    try:
        for port in ports.values():
            wait_for_http(f"http://127.0.0.1:{port}/", timeout=180)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=CHROMIUM_ARGS)
            for page_name, server in PLAN:
                base = f"http://127.0.0.1:{ports[server]}"
                for profile, network in PROFILES.items():
                    context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                                  is_mobile=True, has_touch=True)
                    try:
                        for which in ("first", "second"):
                            result = visit(context, base, page_name, network)
                            name = f"lesson_pages_{page_name}_{server}_{profile}_{which}"
                            print(f"{name}_requests: {result['requests']} requests")
                            print(f"{name}_kb: {result['kb']:.0f} KB")
                            print(f"{name}_ws_kb: {result['ws_kb']:.0f} KB")
                            print(f"{name}_paint: {result['paint_s']:.2f} s")
                            print(f"{name}_usable: {result['usable_s']:.2f} s", flush=True)
                    except Exception as exc:  # one failed visit is reported, not fatal
                        note(f"{page_name} {server} {profile}: {exc}")
                    finally:
                        context.close()
            browser.close()
    finally:
        stop(*servers)
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    print(f"lesson_pages_machine_load_after: {load[0]:.1f} load-1min")


if __name__ == "__main__":
    main()
