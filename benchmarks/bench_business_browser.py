"""Business-plan app in Chromium, with the server already running.

Prints, as ``name: value unit``:
- navigation to an interactive app (median over visits; first visit with nothing cached,
  and return visit), Homeward's business-plan app vs a bare matplotlib-redraw widget app
  served by plain Voila (the comparison, measured in the same run);
- input change (the selling price, step 3) to updated cash chart (median over changes),
  for both.

Targets (issue 3): input change to updated chart at most 100 ms median; navigation to
interactive app at most 1.5 s median. The baseline and the page-timing code are the savings
benchmark's (``benchmarks/bench_savings_browser.py``), imported, not copied.

Run: ``.venv/bin/python benchmarks/bench_business_browser.py`` (or ``make benchmark``).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_savings_browser as savings  # noqa: E402

from tests.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_for_http  # noqa: E402

VISITS = 7
CHANGES = 15
READY = ".hw-app .hw-cash-chart svg rect"
PRICE = ".hw-f-price input"


def price_changes(browser, url: str) -> list[float]:
    """Open the app, go to step 3, and time price changes until the cash chart mutates."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.locator(READY).last.wait_for(timeout=120_000)
    page.locator(".hw-steps button").nth(2).click()
    page.locator(PRICE).wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    prices = [100 + (i % 5 + 1) * (1 if i % 2 else -1) for i in range(CHANGES + 2)]  # all differ
    return savings.time_changes(page, PRICE, ".hw-app .hw-cash-chart", [str(p) for p in prices])


def main() -> None:
    import nbformat
    from playwright.sync_api import sync_playwright

    homeward_port, baseline_port = free_port(), free_port()
    work = Path(tempfile.mkdtemp(prefix="bench-baseline-"))
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(savings.BASELINE)])
    nbformat.write(nb, work / "baseline.ipynb")
    bin_dir = Path(sys.executable).parent
    servers = [
        savings.start([sys.executable, "-m", "widgets.serve", f"--port={homeward_port}"], ROOT),
        savings.start([str(bin_dir / "voila"), "--no-browser", f"--port={baseline_port}",
                       "--Voila.ip=127.0.0.1", "baseline.ipynb"], work),
    ]
    try:
        wait_for_http(f"http://127.0.0.1:{homeward_port}/")
        wait_for_http(f"http://127.0.0.1:{baseline_port}/voila/static/voila.js", timeout=60)
        savings.note("servers up")
        time.sleep(8)  # the pre-heated kernel finishes rendering
        homeward = f"http://127.0.0.1:{homeward_port}/voila/render/business.ipynb"
        baseline = f"http://127.0.0.1:{baseline_port}/"
        b_ready = ".baseline-out img"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            savings.visit(browser, homeward, READY)  # first visit of a fresh server, not counted
            savings.visit(browser, baseline, b_ready)
            savings.note("first visits done")
            h_nav, b_nav, h_warm, b_warm = [], [], [], []
            h_ctx, b_ctx = browser.new_context(), browser.new_context()
            for _ in range(VISITS):
                time.sleep(6)  # a visitor arrives after the pool has refilled
                h_nav.append(savings.visit(browser, homeward, READY))
                b_nav.append(savings.visit(browser, baseline, b_ready))
                time.sleep(6)
                h_warm.append(savings.visit(browser, homeward, READY, h_ctx))
                b_warm.append(savings.visit(browser, baseline, b_ready, b_ctx))
            savings.note(f"navigation: {h_nav} {b_nav}")
            time.sleep(6)
            h_change = price_changes(browser, homeward)
            b_change = savings.changes(browser, baseline, b_ready, ".widget-text input",
                                       ".baseline-out", False)
            browser.close()
        print(f"business_navigation_to_interactive_median: {statistics.median(h_nav):.2f} s")
        print(f"baseline_matplotlib_navigation_to_interactive_median: "
              f"{statistics.median(b_nav):.2f} s")
        print(f"business_return_visit_to_interactive_median: {statistics.median(h_warm):.2f} s")
        print(f"baseline_matplotlib_return_visit_to_interactive_median: "
              f"{statistics.median(b_warm):.2f} s")
        print(f"business_input_to_chart_median: {statistics.median(h_change):.0f} ms")
        print(f"baseline_matplotlib_input_to_chart_median: {statistics.median(b_change):.0f} ms")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
