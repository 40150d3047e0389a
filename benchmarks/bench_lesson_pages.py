"""The course on a phone on mobile data: the home page and a lesson page, Homeward vs stock Voila.

Run: ``.venv/bin/python benchmarks/bench_lesson_pages.py`` (part of ``make benchmark``).
Two servers serve the same course site, built once into a temporary folder, in the same run:
``python -m widgets.serve --course`` (the Homeward template and page script, gzip, long
caching; the static home page; the lesson pages rendered at build time by
``widgets.prerender``) and the same with ``--stock`` (Voila's lab template, nothing compressed
or cached: how the lessons would be served without the page shell). Chromium at 390 x 844,
with Lighthouse's network profiles (none, and Slow 4G: 150 ms, 1.6 Mbit/s).

For the home page (``/?lang=fil``) and lesson 1 in Filipino, a first visit with an empty cache
and then a second visit in the same browser, three ways for the lesson:

- ``homeward``: the pre-rendered page (no kernel; the quizzes answered by the page script;
  its savings simulator goes live only when she scrolls near it, not measured here);
- ``homeward_live``: the same address with ``?live=1``: the Homeward template with the lesson
  run by Voila in a new kernel, as every lesson page was served before pre-rendering;
- ``stock``: Voila's lab template, the lesson run in a new kernel.

Figures per visit:

- ``requests`` and ``kb`` over HTTP (bytes on the wire), ``ws_kb`` over the widgets' websocket;
- ``paint_s``: navigation to the page's title (``h1``) on screen, something to read;
- ``usable_s``: the home page: its lesson links are there; a lesson: its first check button
  (a quiz) is there and works (Homeward: the page says it is ready, ``body.hw-ready``);
- ``answer_ms``: a lesson: from pressing the first number quiz's button (the right answer
  typed) to its verdict on screen (the page script, or a round trip to the kernel);
- ``kernels``: kernels the server runs after the visit (each ~115 MB).

Before the visits, ``lesson_pages_prerender`` is the time the build took to render the lesson
pages (all of them run again only when ``build/page-cache`` has none for this code). The
issue's targets for the simulators serve as the yardstick (first visit <= 1200 KB; Slow 4G
readable <= 3 s, usable <= 10 s; second visit usable <= 2 s). The machine is shared: its load
average is printed before and after.
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
from tests.helpers.pages import kernels  # noqa: E402

PHONE = {"width": 390, "height": 844}
LESSON = "lessons/fil/economic_empowerment/01-money-across-the-migration-cycle.ipynb"
#: page: (address, paint mark, usable mark)
PAGES = {
    "home": ("/?lang=fil", "h1", "main li a"),
    "lesson": (f"/voila/render/{LESSON}", "h1", "body.hw-ready .hw-quiz button.jupyter-button"),
    "lesson_live": (f"/voila/render/{LESSON}?live=1", "h1",
                    "body.hw-ready .hw-quiz button.jupyter-button"),
    "lesson_stock": (f"/voila/render/{LESSON}", "h1", "button.jupyter-button"),
}
#: (what is measured, server, page)
PLAN = [("home", "homeward", "home"), ("lesson", "homeward", "lesson"),
        ("lesson", "homeward_live", "lesson_live"), ("lesson", "stock", "lesson_stock")]
PROFILES = {"unthrottled": None, "slow4g": "slow_4g"}


def start(port: int, site: Path, stock: bool) -> subprocess.Popen:
    args = [sys.executable, "-m", "widgets.serve", "--course", f"--site={site}", "--no-build",
            f"--port={port}", "--no-preheat", *(["--stock"] if stock else [])]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def answer_ms(page) -> float:
    """From pressing the first number quiz's button (its right answer typed) to the verdict."""
    quiz = page.locator(".hw-quiz").filter(has=page.locator("input[type=text]")).first
    quiz.locator("input[type=text]").fill("3,000")
    started = time.perf_counter()
    quiz.locator("button").click()
    quiz.locator(".hw-quiz-right").wait_for(timeout=60_000)
    return 1000 * (time.perf_counter() - started)


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
    if page_name != "home":
        result["answer_ms"] = answer_ms(page)
    page.close()
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright

    from widgets.prerender import prerender_site
    from widgets.site import build_site, site_pages

    load = os.getloadavg()
    print(f"lesson_pages_machine_load_before: {load[0]:.1f} load-1min")
    folder = Path(tempfile.mkdtemp(prefix="homeward-bench-site-"))
    started = time.perf_counter()
    site = build_site(folder / "site")
    print(f"lesson_pages_site_build: {time.perf_counter() - started:.1f} s "
          f"({sum(len(p) for p in site.pages.values())} pages)")
    done = prerender_site(site.out, site_pages(site.out))
    print(f"lesson_pages_prerender: {done.seconds:.1f} s ({len(done.pages)} pages ready, "
          f"{len(done.rendered)} run now, {len(done.failed)} left live)", flush=True)
    ports = {"homeward": free_port(), "stock": free_port()}
    ports["homeward_live"] = ports["homeward"]
    servers = {"homeward": start(ports["homeward"], site.out, False),
               "stock": start(ports["stock"], site.out, True)}
    servers["homeward_live"] = servers["homeward"]
    try:
        for port in ports.values():
            wait_for_http(f"http://127.0.0.1:{port}/", timeout=180)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(),
                                                 args=CHROMIUM_ARGS)
            for measured, server, page_name in PLAN:
                base = f"http://127.0.0.1:{ports[server]}"
                for profile, network in PROFILES.items():
                    context = browser.new_context(viewport=PHONE, device_scale_factor=2,
                                                  is_mobile=True, has_touch=True)
                    try:
                        for which in ("first", "second"):
                            result = visit(context, base, page_name, network)
                            name = f"lesson_pages_{measured}_{server}_{profile}_{which}"
                            print(f"{name}_requests: {result['requests']} requests")
                            print(f"{name}_kb: {result['kb']:.0f} KB")
                            print(f"{name}_ws_kb: {result['ws_kb']:.0f} KB")
                            print(f"{name}_paint: {result['paint_s']:.2f} s")
                            print(f"{name}_usable: {result['usable_s']:.2f} s")
                            if "answer_ms" in result:
                                print(f"{name}_answer: {result['answer_ms']:.0f} ms")
                            print(f"{name}_kernels: {kernels(servers[server])} kernels",
                                  flush=True)
                    except Exception as exc:  # one failed visit is reported, not fatal
                        note(f"{measured} {server} {profile}: {exc}")
                    finally:
                        context.close()
            browser.close()
    finally:
        stop(servers["homeward"], servers["stock"])
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    print(f"lesson_pages_machine_load_after: {load[0]:.1f} load-1min")


if __name__ == "__main__":
    main()
