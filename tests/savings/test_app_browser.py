"""The savings simulator as a person uses it: served by Voila, in headless Chromium."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from widgets.savings import planfile

pytestmark = pytest.mark.browser

APP = "/voila/render/savings.ipynb"


def open_app(page, voila_url):
    page.goto(voila_url + APP)
    page.locator(".hw-chart svg g.curve path.line").last.wait_for(timeout=60_000)
    page.locator(".hw-sentences p").first.wait_for(timeout=60_000)


def box(page, label: str):
    """The input under the label that contains ``label``."""
    return page.locator(f".widget-vbox:has(> .hw-label:has-text('{label}')) input").first


def type_into(page, label: str, text: str):
    field = box(page, label)
    field.fill(text)
    field.press("Enter")


def upload(page, path):
    """Choose a file with the app's "Open a saved plan" button, as a person would."""
    with page.expect_file_chooser() as chooser:
        page.locator("button.widget-upload").click()
    chooser.value.set_files(str(path))


def sentences(page) -> str:
    return page.locator(".hw-sentences").inner_text()


def savings_line(page) -> str:
    return page.locator(".hw-chart svg g.curve path.line").last.get_attribute("d")


def test_plan_changes_when_inputs_change(page, voila_url, artifacts):
    open_app(page, voila_url)
    page.screenshot(path=artifacts / "savings-desktop.png", full_page=True)
    before_text, before_line = sentences(page), savings_line(page)
    assert "When you come home in" in before_text
    type_into(page, "Monthly salary abroad", "40,000")
    page.wait_for_function(
        "t => document.querySelector('.hw-sentences').innerText !== t", arg=before_text
    )
    assert savings_line(page) != before_line
    assert page.page_errors == []


def test_bad_input_shows_a_message_and_keeps_the_plan(page, voila_url, artifacts):
    open_app(page, voila_url)
    before = sentences(page)
    type_into(page, "Monthly salary abroad", "lots")
    error = page.locator(".hw-error", has_text="not a number")
    error.wait_for(timeout=10_000)
    assert "5,000.50" in error.inner_text()
    assert sentences(page) == before
    assert "last good plan" in page.locator(".hw-banner").inner_text()
    page.screenshot(path=artifacts / "savings-bad-input.png")
    type_into(page, "Monthly salary abroad", "30,000")
    page.wait_for_function(
        "t => document.querySelector('.hw-sentences').innerText !== t", arg=before
    )
    page.wait_for_function("() => !document.querySelector('.hw-banner')")
    expect(page.locator(".hw-error", has_text="not a number")).to_have_count(0)


def test_switch_language_and_indonesian_numbers(page, voila_url, artifacts):
    open_app(page, voila_url)
    page.locator(".widget-dropdown select").first.select_option(label="Bahasa Indonesia")
    page.get_by_text("Bahasa", exact=True).wait_for(timeout=10_000)
    expect(box(page, "Gaji")).to_have_value("28.000")
    before = sentences(page)
    type_into(page, "Gaji", "5.000,50")
    page.wait_for_function(
        "t => document.querySelector('.hw-sentences').innerText !== t", arg=before
    )
    expect(box(page, "Gaji")).to_have_value("5.000,50")
    page.screenshot(path=artifacts / "savings-indonesian.png", full_page=True)


def test_save_and_reopen_a_plan(page, voila_url, tmp_path):
    open_app(page, voila_url)
    type_into(page, "Monthly salary abroad", "33,000")
    page.wait_for_function(  # the save link already holds the new plan
        """() => { const a = document.querySelector('a.hw-save');
                   return a && atob(a.href.split(',')[1]).includes('"income_abroad": 33000'); }""")
    with page.expect_download() as download:
        page.locator("a.hw-save").click()
    path = tmp_path / "plan.json"
    download.value.save_as(path)
    saved = planfile.loads(path.read_bytes())
    assert saved.plan.income_abroad == 33_000

    with page.expect_download() as csv_download:
        page.locator("a.hw-csv").click()
    csv_path = tmp_path / "table.csv"
    csv_download.value.save_as(csv_path)
    assert csv_path.read_text().startswith("Month,")

    type_into(page, "Monthly salary abroad", "20,000")
    upload(page, path)
    page.wait_for_function(
        "() => [...document.querySelectorAll('input')].some(i => i.value === '33,000')")

    broken = tmp_path / "broken.json"
    data = json.loads(path.read_text())
    data["plan"]["months"] = "sixty"
    broken.write_text(json.dumps(data))
    upload(page, broken)
    page.locator(".hw-error", has_text="plan file").wait_for(timeout=10_000)
    expect(box(page, "Monthly salary abroad")).to_have_value("33,000")


def test_phone_layout(phone_page, voila_url, artifacts):
    page = phone_page
    open_app(page, voila_url)
    page.screenshot(path=artifacts / "savings-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px wide)"
    heights = page.eval_on_selector_all(
        ".hw-app input[type=text], .hw-app select", "els => els.map(e => e.offsetHeight)"
    )
    visible = [h for h in heights if h > 0]
    assert visible and min(visible) >= 40, f"controls too small to touch: {visible}"
    chart = page.locator(".hw-chart").bounding_box()
    assert chart["width"] <= 390
