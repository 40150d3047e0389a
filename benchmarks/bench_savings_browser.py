"""Savings simulator in Chromium, with the server already running.

Prints, as ``name: value unit``:
- navigation to an interactive simulator (median over visits), Homeward vs a bare
  matplotlib-redraw widget app served by plain Voila (the comparison, same run);
- input change to updated chart (median over changes), for both.

Run: ``.venv/bin/python benchmarks/bench_savings_browser.py`` (or ``make benchmark``).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_for_http  # noqa: E402

VISITS = 7
CHANGES = 15

BASELINE = '''
import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np

box = W.Text(value="28000", description="Salary", continuous_update=False)
out = W.Output()
out.add_class("baseline-out")


def draw(change=None):
    salary = float(box.value or 0)
    with out:
        out.clear_output(wait=True)
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot(np.arange(60), np.cumsum(np.full(60, salary * 0.3)))
        plt.show()


box.observe(draw, "value")
draw()
W.VBox([box, out])
'''

# In-page timing: set the value, fire the change, and time until the chart mutates.
MEASURE_CHANGE = """
async ([inputSel, watchSel, value]) => {
  const input = document.querySelector(inputSel);
  const target = document.querySelector(watchSel);
  const done = new Promise(resolve => {
    const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now()); });
    setTimeout(() => { obs.disconnect(); resolve(NaN); }, 10000);
    obs.observe(target, {subtree: true, childList: true, attributes: true, characterData: true});
  });
  input.value = value;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  const start = performance.now();
  input.dispatchEvent(new Event('change', {bubbles: true}));
  return (await done) - start;
}
"""


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def start(args: list[str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def visit(browser, url: str, ready: str, context=None) -> float:
    """One visit; a fresh context is a first visit (nothing cached), else a return visit."""
    fresh = context is None
    context = context or browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url)
    page.locator(ready).last.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - began
    page.close()
    if fresh:
        context.close()
    return elapsed


def time_changes(page, input_sel: str, watch: str, values: list[str]) -> list[float]:
    """Type each value into ``input_sel`` and time it until ``watch`` changes; closes the page.

    The first two changes warm the kernel's code paths and are left out.
    """
    times = []
    for i, value in enumerate(values):
        times.append(page.evaluate(MEASURE_CHANGE, [input_sel, watch, value]))
        note(f"change {i}: {times[-1]:.0f} ms")
        page.wait_for_timeout(150)
    page.close()
    times = times[2:]
    if any(t != t for t in times):
        raise RuntimeError(f"a change did not update the chart within 10 s: {times}")
    return times


def changes(browser, url: str, ready: str, input_sel: str, watch: str, grouped: bool) -> list[float]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.locator(ready).last.wait_for(timeout=120_000)
    page.wait_for_timeout(1000)
    amounts = [28000 + 1000 * (i % 5 + 1) * (1 if i % 2 else -1) for i in range(CHANGES + 2)]
    return time_changes(page, input_sel, watch,
                        [f"{a:,}" if grouped else str(a) for a in amounts])


def main() -> None:
    from playwright.sync_api import sync_playwright

    homeward_port, baseline_port = free_port(), free_port()
    work = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE)])
    nbformat.write(nb, work / "baseline.ipynb")
    bin_dir = Path(sys.executable).parent
    servers = [
        start([sys.executable, "-m", "widgets.serve", f"--port={homeward_port}"], ROOT),
        start([str(bin_dir / "voila"), "--no-browser", f"--port={baseline_port}",
               "--Voila.ip=127.0.0.1", "baseline.ipynb"], work),
    ]
    try:
        wait_for_http(f"http://127.0.0.1:{homeward_port}/")
        wait_for_http(f"http://127.0.0.1:{baseline_port}/voila/static/voila.js", timeout=60)
        note("servers up")
        time.sleep(8)  # the pre-heated kernel finishes rendering
        homeward = f"http://127.0.0.1:{homeward_port}/voila/render/savings.ipynb"
        baseline = f"http://127.0.0.1:{baseline_port}/"
        h_ready, b_ready = ".hw-app .hw-savings-chart svg polyline", ".baseline-out img"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            visit(browser, homeward, h_ready)  # first visit of a fresh server, not counted
            visit(browser, baseline, b_ready)
            note("first visits done")
            h_nav, b_nav, h_warm, b_warm = [], [], [], []
            h_ctx, b_ctx = browser.new_context(), browser.new_context()
            for _ in range(VISITS):
                time.sleep(6)  # a visitor arrives after the pool has refilled
                h_nav.append(visit(browser, homeward, h_ready))
                b_nav.append(visit(browser, baseline, b_ready))
                time.sleep(6)
                h_warm.append(visit(browser, homeward, h_ready, h_ctx))
                b_warm.append(visit(browser, baseline, b_ready, b_ctx))
            note(f"navigation: {h_nav} {b_nav}")
            salary = ".hw-app .hw-field input"
            h_change = changes(browser, homeward, h_ready, salary, ".hw-app .hw-savings-chart", True)
            b_change = changes(browser, baseline, b_ready, ".widget-text input", ".baseline-out", False)
            browser.close()
        print(f"savings_navigation_to_interactive_median: {statistics.median(h_nav):.2f} s")
        print(f"baseline_matplotlib_navigation_to_interactive_median: {statistics.median(b_nav):.2f} s")
        print(f"savings_return_visit_to_interactive_median: {statistics.median(h_warm):.2f} s")
        print(f"baseline_matplotlib_return_visit_to_interactive_median: {statistics.median(b_warm):.2f} s")
        print(f"savings_input_to_chart_median: {statistics.median(h_change):.0f} ms")
        print(f"baseline_matplotlib_input_to_chart_median: {statistics.median(b_change):.0f} ms")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
