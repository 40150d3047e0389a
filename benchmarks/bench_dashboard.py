"""Facilitator dashboard in Chromium: navigation to a ready dashboard, by cohort size.

For each demo cohort size (``HOMEWARD_DEMO_SIZE`` = 100, 1,000, 10,000; four check-ins each)
a Voila server is started the way ``tests/conftest.py`` starts it (``python -m
widgets.serve``, pre-heated kernels), and the time from navigation to a ready dashboard is
measured over several visits. Ready means: the marker the dashboard renders last
(``.hw-ready``) is on the page and both cohort charts are drawn.

Prints, as ``name: value unit``:
- ``dashboard_ready_100``, ``dashboard_ready_1000`` (target: at most 2 s),
  ``dashboard_ready_10000``: median navigation -> ready;
- ``dashboard_participant_tab_1000``: click on the Participant tab -> its chart drawn
  (the tab is built when first opened);
- the comparison, same run, 1,000 participants: ``dashboard_eager_ready_1000`` (the same
  dashboard with every tab built at once) and ``dashboard_ready_1000_no_preheat`` (the app
  served without pre-heated kernels, so the tables are computed after the visitor arrives);
- ``dashboard_tables_<n>``: computing the tables and building the dashboard in Python
  (what the pre-heated kernel does before a visitor arrives), median of 3.

Run: ``.venv/bin/python benchmarks/bench_dashboard.py`` (or ``make benchmark``).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_for_http  # noqa: E402

SIZES = (100, 1000, 10_000)
VISITS = 5
READY = """() => document.querySelector('.hw-ready')
  && document.querySelector('.hw-milestone-chart svg path.line')
  && document.querySelector('.hw-index-chart svg rect.bar')"""
EAGER = """from grading.dashboard import Dashboard, load_source

Dashboard(load_source(), eager=True).widget
"""


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def serve(size: int, cwd: Path, extra: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """A Voila server like ``make serve`` (or plain ``voila`` on ``cwd``), demo of ``size``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HOMEWARD_COURSE"}
    env["HOMEWARD_DEMO_SIZE"] = str(size)
    if extra is None:
        args = [sys.executable, "-m", "widgets.serve", f"--port={port}"]
    else:
        args = [str(Path(sys.executable).with_name("voila")), "--no-browser", f"--port={port}",
                "--Voila.ip=127.0.0.1", *extra, "."]
    process = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    wait_for_http(base + "/", process=process)
    return process, base


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def visit(browser, url: str) -> float:
    """One first visit (fresh context): navigation -> dashboard ready, in seconds."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url)
    page.wait_for_function(READY, timeout=180_000, polling="raf")
    elapsed = time.perf_counter() - began
    context.close()
    return elapsed


def participant_tab(browser, url: str) -> float:
    """Click on the Participant tab -> its chart drawn, in seconds."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(READY, timeout=180_000, polling="raf")
    began = time.perf_counter()
    page.get_by_role("tab", name="Participant").click()
    page.wait_for_function(
        "() => document.querySelector('.hw-person-chart svg path.line')"
        " && document.querySelector('.hw-timeline-table')", timeout=60_000, polling="raf")
    elapsed = time.perf_counter() - began
    context.close()
    return elapsed


def visits(browser, url: str, pause: float, count: int = VISITS) -> list[float]:
    visit(browser, url)  # the first visit of a fresh server is not counted
    times = []
    for _ in range(count):
        time.sleep(pause)  # the next visitor arrives after the pool has refilled
        times.append(visit(browser, url))
    return times


def python_build(size: int) -> float:
    """Tables + dashboard built in this process, seconds (median of 3)."""
    from grading.dashboard import Dashboard, load_source

    times = []
    for _ in range(3):
        began = time.perf_counter()
        Dashboard(load_source({"HOMEWARD_DEMO_SIZE": str(size)}))
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    from playwright.sync_api import sync_playwright

    results: dict[str, float] = {}
    for size in SIZES:
        results[f"dashboard_tables_{size}"] = python_build(size)
        note(f"python build {size}: {results[f'dashboard_tables_{size}']:.2f} s")
    # A pause long enough for the pre-heated kernel to run the notebook again.
    pauses = {size: max(4.0, 3 * results[f"dashboard_tables_{size}"] + 3) for size in SIZES}

    work = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    import nbformat

    eager = work / "eager"  # one app per folder: Voila pre-heats every notebook it serves
    eager.mkdir()
    shutil.copy(ROOT / "widgets" / "apps" / "voila.json", eager / "voila.json")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EAGER)]),
                   eager / "eager.ipynb")
    no_preheat = work / "cold"
    no_preheat.mkdir()
    settings = json.loads((eager / "voila.json").read_text())
    settings["VoilaConfiguration"]["preheat_kernel"] = False
    (no_preheat / "voila.json").write_text(json.dumps(settings))
    shutil.copy(ROOT / "widgets" / "apps" / "mentoring.ipynb", no_preheat / "mentoring.ipynb")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for size in SIZES:
            server, base = serve(size, ROOT)
            try:
                url = f"{base}/voila/render/mentoring.ipynb"
                time.sleep(pauses[size])
                times = visits(browser, url, pauses[size])
                note(f"ready {size}: {[round(t, 2) for t in times]}")
                results[f"dashboard_ready_{size}"] = statistics.median(times)
                if size == 1000:
                    tabs = []
                    for _ in range(3):
                        time.sleep(pauses[size])
                        tabs.append(participant_tab(browser, url))
                    note(f"participant tab: {tabs}")
                    results["dashboard_participant_tab_1000"] = statistics.median(tabs)
            finally:
                stop(server)
        server, base = serve(1000, eager, [])
        try:
            time.sleep(pauses[1000])
            times = visits(browser, f"{base}/voila/render/eager.ipynb", pauses[1000])
            note(f"eager 1000: {times}")
            results["dashboard_eager_ready_1000"] = statistics.median(times)
        finally:
            stop(server)
        server, base = serve(1000, no_preheat, [])
        try:
            times = visits(browser, f"{base}/voila/render/mentoring.ipynb", 1.0, count=3)
            note(f"no preheat 1000: {times}")
            results["dashboard_ready_1000_no_preheat"] = statistics.median(times)
        finally:
            stop(server)
        browser.close()
    shutil.rmtree(work, ignore_errors=True)

    for size in SIZES:
        print(f"dashboard_ready_{size}: {results[f'dashboard_ready_{size}']:.2f} s")
    print("dashboard_ready_1000_target: 2.00 s")
    print(f"dashboard_eager_ready_1000: {results['dashboard_eager_ready_1000']:.2f} s")
    print(f"dashboard_ready_1000_no_preheat: {results['dashboard_ready_1000_no_preheat']:.2f} s")
    print(f"dashboard_participant_tab_1000: {results['dashboard_participant_tab_1000']:.2f} s")
    for size in SIZES:
        print(f"dashboard_tables_{size}: {results[f'dashboard_tables_{size}']:.2f} s")


if __name__ == "__main__":
    main()
