"""The savings simulator as a person uses it: served by Voila, in headless Chromium.

Boxes are found by their label, as a screen reader finds them (``get_by_label``): if a box
lost its programmatic label, these tests would not find it.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.helpers.pages import full_screenshot, open_app
from widgets.savings import planfile

pytestmark = pytest.mark.browser

LINE = ".hw-app .hw-savings-chart svg polyline"  # the first line drawn is all savings


def box(page, label: str):
    """The input a label names (its programmatic label, as a screen reader reads it)."""
    return page.get_by_label(label).first


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
    return page.locator(".hw-app .hw-sentences").inner_text()


def savings_line(page) -> str:
    return page.locator(LINE).first.get_attribute("points")


def wait_for_new_sentences(page, before: str):
    page.wait_for_function(
        "t => document.querySelector('.hw-app .hw-sentences').innerText !== t", arg=before)


def test_plan_changes_when_inputs_change(page, voila_url, artifacts):
    open_app(page, voila_url, "savings")
    full_screenshot(page, artifacts / "savings-desktop.png")
    before_text, before_line = sentences(page), savings_line(page)
    assert "When you come home in" in before_text
    assert "Warning" not in before_text  # the example opens without an alarm...
    assert "What if the household earned only" in page.locator(".hw-whatif").inner_text()
    type_into(page, "Monthly salary abroad", "40,000")
    wait_for_new_sentences(page, before_text)
    assert savings_line(page) != before_line
    assert page.page_errors == []


def test_bad_input_shows_a_message_and_keeps_the_plan(page, voila_url, artifacts):
    open_app(page, voila_url, "savings")
    before = sentences(page)
    type_into(page, "Monthly salary abroad", "lots")
    error = page.locator(".hw-error", has_text="not a number")
    error.wait_for(timeout=10_000)
    assert "5,000.50" in error.inner_text()
    salary = box(page, "Monthly salary abroad")
    expect(salary).to_have_attribute("aria-invalid", "true")  # tied to its message
    described = salary.get_attribute("aria-describedby")
    assert "not a number" in page.locator(f"#{described}").inner_text()
    assert sentences(page) == before
    assert "last good plan" in page.locator(".hw-banner").inner_text()
    page.screenshot(path=artifacts / "savings-bad-input.png")
    type_into(page, "Monthly salary abroad", "30,000")
    wait_for_new_sentences(page, before)
    page.wait_for_function("() => !document.querySelector('.hw-banner')")
    expect(page.locator(".hw-error", has_text="not a number")).to_have_count(0)
    expect(salary).to_have_attribute("aria-invalid", "false")


def test_thirty_point_zero_zero_zero_in_english_asks_instead_of_computing(page, voila_url,
                                                                          artifacts):
    """"30.000" in English could be thirty or thirty thousand: the app asks."""
    open_app(page, voila_url, "savings")
    before = sentences(page)
    type_into(page, "Monthly salary abroad", "30.000")
    page.locator(".hw-error", has_text="Did you mean 30,000?").wait_for(timeout=10_000)
    page.screenshot(path=artifacts / "savings-ambiguous.png")
    assert sentences(page) == before  # nothing was computed from a guess
    page.get_by_role("button", name="Yes, 30,000").click()
    wait_for_new_sentences(page, before)
    expect(box(page, "Monthly salary abroad")).to_have_value("30,000")
    expect(page.get_by_role("button", name="Yes, 30,000")).to_be_hidden()


def test_switch_language_and_indonesian_numbers(page, voila_url, artifacts):
    open_app(page, voila_url, "savings")
    page.get_by_label("Language / Wika / Bahasa").select_option(label="Bahasa Indonesia")
    page.wait_for_function("() => document.documentElement.lang === 'id'")
    expect(box(page, "Gaji")).to_have_value("28.000")
    assert "lang=id" in page.url and "Rencana tabungan" in page.title()
    before = sentences(page)
    type_into(page, "Gaji", "5.000,50")
    wait_for_new_sentences(page, before)
    expect(box(page, "Gaji")).to_have_value("5.000,50")
    full_screenshot(page, artifacts / "savings-indonesian.png")


def test_save_and_reopen_a_plan(page, voila_url, tmp_path):
    open_app(page, voila_url, "savings")
    type_into(page, "Monthly salary abroad", "33,000")
    page.wait_for_function(  # the plan has the new salary
        "() => document.querySelector('.hw-app .hw-sentences').innerText.includes('When')")
    page.get_by_role("button", name="Save or print my plan").click()
    page.wait_for_function(  # the save link holds the new plan
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
    expect(page.locator("a.hw-save")).to_have_count(0)  # files of an older plan are gone
    upload(page, path)
    expect(box(page, "Monthly salary abroad")).to_have_value("33,000", timeout=15_000)
    expect(page.locator("button.widget-upload")).to_have_text("Open a saved plan")  # no "(1)"

    broken = tmp_path / "broken.json"
    data = json.loads(path.read_text())
    data["plan"]["months"] = "sixty"
    broken.write_text(json.dumps(data))
    upload(page, broken)
    page.locator(".hw-error", has_text="plan file").wait_for(timeout=10_000)
    expect(box(page, "Monthly salary abroad")).to_have_value("33,000")


def test_sections_open_with_buttons_and_no_shows_in_month_pickers(page, voila_url):
    open_app(page, voila_url, "savings")
    what_if = page.get_by_role("button", name="What if")
    expect(what_if).to_have_attribute("aria-expanded", "false")
    what_if.click()
    expect(what_if).to_have_attribute("aria-expanded", "true")
    early = box(page, "Come home early, in")
    expect(early.locator("option:checked")).to_have_text("No")  # not an empty box
    what_if.click()
    expect(what_if).to_have_attribute("aria-expanded", "false")
    expect(early).to_be_hidden()


def test_phone_layout(phone_page, voila_url, artifacts):
    page = phone_page
    open_app(page, voila_url, "savings")
    full_screenshot(page, artifacts / "savings-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px wide)"
    # language first, then the boxes, then the results
    tops = {name: page.locator(css).first.bounding_box()["y"] for name, css in [
        ("language", "select >> nth=0"), ("salary", "input[type=text] >> nth=0"),
        ("results", ".hw-app .hw-cards")]}
    assert tops["language"] < tops["salary"] < tops["results"], tops
    assert tops["language"] < 300, "the language switch is not at the top"
    controls = page.eval_on_selector_all(
        ".hw-app input[type=text], .hw-app select",
        """els => els.filter(e => e.offsetHeight > 0).map(e => {
             const r = e.getBoundingClientRect();
             return [r.height, r.left, r.right, parseFloat(getComputedStyle(e).fontSize)]; })""")
    assert controls
    for height, left, right, size in controls:
        assert height >= 40 and size >= 16, controls
        assert left >= 0 and right <= 390, f"a box is cut at the right: {controls}"
    texts = page.eval_on_selector_all(
        ".hw-app .hw-sentences p, .hw-app .widget-label",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
    assert min(texts) >= 16, texts
    chart = page.locator(".hw-app .hw-savings-chart").bounding_box()
    assert chart["width"] <= 390
    legend = page.locator(".hw-app .hw-savings-chart .hw-legend").inner_text()
    assert "Emergency fund goal" in legend and "You come home" in legend
