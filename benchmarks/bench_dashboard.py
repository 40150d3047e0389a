"""Facilitator dashboard in Chromium: navigation to a ready dashboard, by cohort size.

For each demo cohort size (``HOMEWARD_DEMO_SIZE`` = 100, 1,000, 10,000; four check-ins each)
a Voila server is started the way ``tests/conftest.py`` starts it (``python -m
widgets.serve``, pre-heated kernels: the kernel inherits ``HOMEWARD_DEMO_SIZE`` from the
server), and the time from navigation to a ready dashboard is measured over several first
visits (a fresh browser context: nothing cached). Ready means: the marker the dashboard
renders last (``.hw-ready``) is on the page and both cohort charts are drawn.

Prints, as ``name: value unit`` (medians):
- ``dashboard_ready_100``, ``dashboard_ready_1000`` (target: at most 2 s),
  ``dashboard_ready_10000``;
- comparisons measured in the same run, visits interleaved so that both sides see the same
  machine load:
  - ``savings_ready_same_server``: the savings simulator (the bare widget-app baseline of
    ``bench_savings_browser.py``) from the same server, between the 1,000 visits;
  - ``dashboard_return_visit_1000``: a facilitator coming back (browser cache warm);
  - ``dashboard_lazy_ready_1000_plain`` vs ``dashboard_eager_ready_1000_plain``: the same
    dashboard with the Flags and Participant tabs built when opened, or all at once, both
    served by one plain ``voila`` with the apps' ``voila.json``;
  - ``dashboard_ready_1000_no_preheat``: served without pre-heated kernels, so the tables
    are computed after the visitor arrives (what pre-heating saves);
- ``dashboard_participant_tab_1000``: click on the Participant tab -> its chart drawn;
- ``dashboard_build_<n>``: tables and dashboard built in Python (what the pre-heated kernel
  does before a visitor arrives); ``dashboard_cold_start_<n>``: the same in a new process,
  imports included (it sets the pause between visits, so that the pool has refilled);
- ``machine_load_1min``: the load average when the run started and ended (2 cores; other
  work on the machine slows every figure above).

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
  && document.querySelector('.hw-milestone-chart svg polyline')
  && document.querySelector('.hw-index-chart svg rect')"""
SAVINGS_READY = """() => [...document.querySelectorAll('.hw-app .hw-savings-chart svg polyline')]
  .some(p => (p.getAttribute('points') || '').length > 20)
  && document.querySelector('.hw-app .hw-sentences p')"""
EAGER = """from grading.dashboard import load_source, viewer
from widgets.mentoring.view import Dashboard

Dashboard(load_source(), viewer(), eager=True).widget
"""


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def serve(size: int, cwd: Path, plain: list[str] | None = None) -> tuple[subprocess.Popen, str]:
    """``python -m widgets.serve`` (or, with ``plain``, ``voila`` on ``cwd``), demo of ``size``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "HOMEWARD_COURSE"}
    env["HOMEWARD_DEMO_SIZE"] = str(size)
    if plain is None:
        args = [sys.executable, "-m", "widgets.serve", f"--port={port}"]
    else:
        args = [str(Path(sys.executable).with_name("voila")), "--no-browser", f"--port={port}",
                "--Voila.ip=127.0.0.1", *plain, "."]
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


def visit(browser, url: str, ready: str = READY, context=None) -> float:
    """One visit, navigation -> ready, in seconds. A fresh context is a first visit."""
    fresh = context is None
    context = context or browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url)
    page.wait_for_function(ready, timeout=180_000, polling="raf")
    elapsed = time.perf_counter() - began
    page.close()
    if fresh:
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
        "() => document.querySelector('.hw-person-chart svg polyline')"
        " && document.querySelector('.hw-timeline-table')", timeout=60_000, polling="raf")
    elapsed = time.perf_counter() - began
    context.close()
    return elapsed


def interleaved(browser, runs: dict[str, tuple], pause: float, count: int = VISITS):
    """Visit each url in turn, ``count`` rounds, after one uncounted visit of each."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for url, ready, context in runs.values():
        visit(browser, url, ready, context)  # a fresh server's first visit is not counted
    for _ in range(count):
        for name, (url, ready, context) in runs.items():
            time.sleep(pause)  # the next visitor arrives after the pool has refilled
            times[name].append(visit(browser, url, ready, context))
    for name, values in times.items():
        note(f"{name}: {[round(v, 2) for v in values]}")
    return {name: statistics.median(values) for name, values in times.items()}


def python_build(size: int) -> float:
    """Tables + dashboard built in this process, seconds (median of 3)."""
    from grading.dashboard import load_source, viewer
    from widgets.mentoring.view import Dashboard

    times = []
    for _ in range(3):
        began = time.perf_counter()
        Dashboard(load_source({"HOMEWARD_DEMO_SIZE": str(size)}), viewer())
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def cold_start(size: int) -> float:
    """A new Python process importing the dashboard and building it, seconds: about what a
    pre-heated kernel does after each visit before the next visitor can have it."""
    code = ("from grading.dashboard import load_source, viewer; "
            "from widgets.mentoring.view import dashboard_app; "
            f"dashboard_app(load_source({{'HOMEWARD_DEMO_SIZE': '{size}'}}), viewer())")
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def comparison_dirs(work: Path) -> tuple[Path, Path]:
    """A folder with the dashboard lazy and eager, and one served without pre-heating."""
    import nbformat

    plain = work / "plain"
    plain.mkdir()
    shutil.copy(ROOT / "widgets" / "apps" / "voila.json", plain / "voila.json")
    shutil.copy(ROOT / "widgets" / "apps" / "mentoring.ipynb", plain / "lazy.ipynb")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(EAGER)]),
                   plain / "eager.ipynb")
    cold = work / "cold"
    cold.mkdir()
    settings = json.loads((plain / "voila.json").read_text())
    settings["VoilaConfiguration"]["preheat_kernel"] = False
    (cold / "voila.json").write_text(json.dumps(settings))
    shutil.copy(ROOT / "widgets" / "apps" / "mentoring.ipynb", cold / "mentoring.ipynb")
    return plain, cold


def main() -> None:
    from playwright.sync_api import sync_playwright

    results: dict[str, float] = {"machine_load_1min_start": os.getloadavg()[0]}
    for size in SIZES:
        results[f"dashboard_build_{size}"] = python_build(size)
        note(f"python build {size}: {results[f'dashboard_build_{size}']:.2f} s")
    # Long enough for the pool to start a kernel and run the notebook again after a visit
    # (a kernel starts slower than a plain process: twice the time, and 4 s more).
    pauses = {}
    for size in SIZES:
        results[f"dashboard_cold_start_{size}"] = cold_start(size)
        pauses[size] = 2 * results[f"dashboard_cold_start_{size}"] + 4
        note(f"cold start {size}: {results[f'dashboard_cold_start_{size}']:.2f} s")
    work = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    plain, cold = comparison_dirs(work)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for size in SIZES:
            server, base = serve(size, ROOT)
            try:
                url = f"{base}/voila/render/mentoring.ipynb"
                time.sleep(pauses[size])  # every app's pre-heated kernel is ready
                runs = {f"dashboard_ready_{size}": (url, READY, None)}
                if size == 1000:
                    runs["savings_ready_same_server"] = (
                        f"{base}/voila/render/savings.ipynb", SAVINGS_READY, None)
                    runs["dashboard_return_visit_1000"] = (url, READY, browser.new_context(
                        viewport={"width": 1280, "height": 900}))
                results.update(interleaved(browser, runs, pauses[size]))
                if size == 1000:
                    tabs = []
                    for _ in range(3):
                        time.sleep(pauses[size])
                        tabs.append(participant_tab(browser, url))
                    note(f"participant tab: {[round(t, 2) for t in tabs]}")
                    results["dashboard_participant_tab_1000"] = statistics.median(tabs)
            finally:
                stop(server)
        server, base = serve(1000, plain, [])
        try:
            time.sleep(pauses[1000])
            results.update(interleaved(browser, {
                "dashboard_lazy_ready_1000_plain": (f"{base}/voila/render/lazy.ipynb", READY,
                                                    None),
                "dashboard_eager_ready_1000_plain": (f"{base}/voila/render/eager.ipynb", READY,
                                                     None)}, pauses[1000]))
        finally:
            stop(server)
        server, base = serve(1000, cold, [])
        try:
            results.update(interleaved(browser, {"dashboard_ready_1000_no_preheat": (
                f"{base}/voila/render/mentoring.ipynb", READY, None)}, 2.0, count=3))
        finally:
            stop(server)
        browser.close()
    shutil.rmtree(work, ignore_errors=True)
    results["machine_load_1min_end"] = os.getloadavg()[0]

    for size in SIZES:
        print(f"dashboard_ready_{size}: {results[f'dashboard_ready_{size}']:.2f} s")
    print("dashboard_ready_1000_target: 2.00 s")
    for name in ("savings_ready_same_server", "dashboard_return_visit_1000",
                 "dashboard_lazy_ready_1000_plain", "dashboard_eager_ready_1000_plain",
                 "dashboard_ready_1000_no_preheat", "dashboard_participant_tab_1000"):
        print(f"{name}: {results[name]:.2f} s")
    for size in SIZES:
        print(f"dashboard_build_{size}: {results[f'dashboard_build_{size}']:.2f} s")
    for size in SIZES:
        print(f"dashboard_cold_start_{size}: {results[f'dashboard_cold_start_{size}']:.2f} s")
    print(f"machine_load_1min_start: {results['machine_load_1min_start']:.1f} load")
    print(f"machine_load_1min_end: {results['machine_load_1min_end']:.1f} load")


if __name__ == "__main__":
    main()
