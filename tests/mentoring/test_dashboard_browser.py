"""The facilitator dashboard as a facilitator uses it: served by Voila, in headless Chromium.

The server (``voila_url``) runs without ``HOMEWARD_COURSE``, so the page shows the demo cohort
of 60 synthetic participants. What the page must show is computed here from the same seeded
cohort, so the test checks the page against the tables, not against numbers typed by hand.
"""

from __future__ import annotations

import os

import pytest

from grading.dashboard import DEMO_SIZE, load_source
from widgets.mentoring.model import group_label, measure_table, overview_table, prepare

pytestmark = pytest.mark.browser

APP = "/voila/render/mentoring.ipynb"
READY = """() => document.body.classList.contains('hw-ready')
  && document.querySelector('.hw-dash .hw-milestone-chart svg polyline')
  && document.querySelector('.hw-dash .hw-index-chart svg rect')"""


@pytest.fixture(scope="module")
def expected():
    if os.environ.get("HOMEWARD_COURSE") or os.environ.get("HOMEWARD_DEMO_SIZE"):
        pytest.fail("run the browser tests without HOMEWARD_COURSE / HOMEWARD_DEMO_SIZE set")
    return prepare(load_source({}))


def open_app(page, voila_url):
    """Open the dashboard as the facilitator does. Once in the full suite (CI, 25 minutes in)
    the page did not become ready within 60 s, with no error on the page; a facilitator would
    reload it. So: on the first stall, save what the page showed (``tests/_artifacts``) and
    reload once; a second stall fails the test."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(voila_url + APP)
    try:
        page.wait_for_function(READY, timeout=60_000)
        return
    except PlaywrightTimeout:
        from tests.conftest import ARTIFACTS

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "dashboard-stalled.png")
        shown = page.evaluate("document.body.innerText.slice(0, 2000)")
        print(f"the dashboard was not ready after 60 s; reloading once. It showed:\n{shown}")
    page.goto(voila_url + APP)
    page.wait_for_function(READY, timeout=90_000)


def screenshot(page, path):
    """The whole dashboard: Voila scrolls inside the page, so grow the window to fit it."""
    size = page.viewport_size
    height = page.evaluate("document.querySelector('.hw-dash').scrollHeight") + 120
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.wait_for_timeout(300)  # the charts redraw at the new size
    page.screenshot(path=path)
    page.set_viewport_size(size)


def table_rows(page, selector: str) -> list[list[str]]:
    """The body cells of the first table that ``selector`` finds, as the page shows them."""
    return page.locator(selector).first.evaluate(
        "t => [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.innerText.trim()))")


def as_shown(table) -> list[list[str]]:
    """Table cells as the page writes them: "hidden (protects ...)" is shortened to "hidden"."""
    return [[cell.split(" (")[0] for cell in row] for row in table.values.tolist()]


def test_cohort_view_shows_the_numbers_and_hides_small_groups(page, voila_url, artifacts,
                                                              expected):
    open_app(page, voila_url)
    banner = page.locator(".hw-source").inner_text()
    assert f"Demo data: {DEMO_SIZE} synthetic participants" in banner
    assert "no real people" in banner
    assert str(DEMO_SIZE) in page.locator(".hw-cards").inner_text()
    overview = as_shown(overview_table(expected.summary, expected.checkins))
    assert table_rows(page, "table.hw-overview") == overview
    assert any(row[1] == "fewer than 5" for row in overview), "no small group in the demo"
    assert any(row[0] == "Women" and row[1] == "45" for row in overview)
    milestones = measure_table(expected.summary, "milestones_mean", expected.checkins)
    assert table_rows(page, ".hw-measure-table table") == as_shown(milestones)
    assert page.locator("td.hw-fewer", has_text="fewer than 5").count() > 0
    # The chart draws a line for each group shown in the tables, and only those.
    measure = expected.measures["milestones_mean"]
    shown = [g for g, values in measure.series.items() if not all(v != v for v in values)]
    assert page.locator(".hw-milestone-chart svg polyline").count() == len(shown)
    legend = page.locator(".hw-milestone-chart .hw-legend").inner_text()
    assert [group_label(g) in legend for g in shown] == [True] * len(shown)
    legend = page.locator(".hw-milestone-legend").inner_text()
    assert "Not drawn, to protect small groups" in legend
    screenshot(page, artifacts / "mentoring-cohort-desktop.png")
    assert page.page_errors == []


def test_participant_tab_shows_a_picked_participant(page, voila_url, artifacts, expected):
    open_app(page, voila_url)
    page.get_by_role("tab", name="Flags").click()
    page.locator(".hw-flags-table tbody tr").first.wait_for(timeout=20_000)
    assert f"of {len(expected.flags)}" in page.locator(".hw-flag-status").inner_text()
    screenshot(page, artifacts / "mentoring-flags-desktop.png")

    page.get_by_role("tab", name="Participant").click()
    chart_line = page.locator(".hw-person-chart svg polyline").first
    chart_line.wait_for(timeout=20_000)
    first = page.locator(".hw-person h3").inner_text()
    before = chart_line.get_attribute("points")
    wanted = next(p for p in expected.people["pseudonym"] if p != first)
    picker = page.locator(".hw-picker input")
    picker.fill(wanted)
    picker.press("Enter")
    page.locator(".hw-person h3", has_text=wanted).wait_for(timeout=20_000)
    page.wait_for_function(
        "d => document.querySelector('.hw-person-chart svg polyline').getAttribute('points') !== d",
        arg=before, timeout=20_000)
    assert wanted in page.locator(".hw-person-chart figcaption").text_content()
    timeline = page.locator(".hw-timeline-table").inner_text()
    assert "Baseline" in timeline and "12 months" in timeline
    assert "notes are not saved" in page.locator(".hw-note-status").inner_text()
    assert page.locator(".hw-participant button", has_text="Add note").is_disabled()
    screenshot(page, artifacts / "mentoring-participant-desktop.png")
    assert page.page_errors == []


def test_phone_layout(phone_page, voila_url, artifacts):
    page = phone_page
    open_app(page, voila_url)
    screenshot(page, artifacts / "mentoring-cohort-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px wide)"
    # a table wider than the phone scrolls in its own box, which says so and takes the keyboard
    wide = page.locator(".hw-dash .hw-scroll.hw-overflowing").first
    wide.wait_for(timeout=10_000)
    assert "Scroll sideways" in wide.evaluate("e => getComputedStyle(e, '::before').content")
    assert wide.get_attribute("tabindex") == "0"
    box = wide.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    page.get_by_role("tab", name="Flags").click()
    page.locator(".hw-flags-table tbody tr").first.wait_for(timeout=20_000)
    for label in ("Flag", "Sort by"):  # the pickers fit: nothing cut off at the right
        picker = page.get_by_label(label, exact=True).bounding_box()
        assert picker["x"] >= 0 and picker["x"] + picker["width"] <= 390, (label, picker)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, artifacts / "mentoring-flags-phone.png")
    page.get_by_role("tab", name="Participant").click()
    page.locator(".hw-person-chart svg polyline").first.wait_for(timeout=20_000)
    chart = page.locator(".hw-person-chart").bounding_box()
    assert chart["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, artifacts / "mentoring-participant-phone.png")
