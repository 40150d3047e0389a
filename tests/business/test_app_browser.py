"""The business-plan app as a person uses it: served by Voila, in headless Chromium.

Boxes are found by their label, as a screen reader finds them (``get_by_label``).
"""

from __future__ import annotations

import json

import pypdf
import pytest
from playwright.sync_api import expect

from tests.helpers.pages import app_address
from tests.helpers.pages import full_screenshot as screenshot
from tests.helpers.pages import open_app as open_page
from widgets.business import planfile, text
from widgets.business.model import analyse
from widgets.countries import example_business_plan
from widgets.money import format_number

pytestmark = pytest.mark.browser

CASH_BARS = ".hw-app .hw-cash-chart svg"


def open_app(page, voila_url):
    open_page(page, voila_url, "business")
    page.locator(CASH_BARS + " rect").first.wait_for(timeout=60_000)


def box(page, label: str):
    """The input a label names (its programmatic label, as a screen reader reads it)."""
    return page.get_by_label(label).first


def type_into(page, label: str, text: str):
    field = box(page, label)
    field.fill(text)
    field.press("Enter")


def step(page, number: int):
    page.locator(".hw-steps button").nth(number - 1).click()
    page.locator(".hw-step-title", has_text=f" {number} ").wait_for(timeout=10_000)


def sentences(page) -> str:
    return page.locator(".hw-app .hw-sentences").inner_text()


def cash_line(page) -> str:
    return page.locator(CASH_BARS).inner_html()


def upload(page, button_text: str, path):
    with page.expect_file_chooser() as chooser:
        page.locator("button.widget-upload", has_text=button_text).click()
    chooser.value.set_files(str(path))


def test_walk_through_change_the_price_and_print_the_plan(page, voila_url, artifacts, tmp_path):
    open_app(page, voila_url)
    screenshot(page, artifacts / "business-desktop.png")
    assert "Your cash stays above zero all year" in sentences(page)
    page.get_by_role("button", name="Next").click()
    page.locator(".hw-step-title", has_text="Step 2 of 5: Start-up money").wait_for()
    expect(box(page, "Equipment or tool")).to_have_value("Shelves and counter")
    page.get_by_role("button", name="Next").click()
    page.locator(".hw-step-title", has_text="Step 3 of 5: Price and costs").wait_for()

    before_line, before_text = cash_line(page), sentences(page)
    type_into(page, "Selling price of one unit", "110")
    page.wait_for_function(
        "([sel, d]) => document.querySelector(sel).innerHTML !== d",
        arg=[CASH_BARS, before_line])
    assert cash_line(page) != before_line
    page.wait_for_function(
        "t => document.querySelector('.hw-app .hw-sentences').innerText !== t", arg=before_text)
    assert "Each unit costs you" in page.locator(".hw-note", has_text="Each unit").inner_text()

    step(page, 4)
    expect(page.locator(".hw-rate", has_text="counted the way savings grow")).to_have_count(2)
    # scrolled down to the last loan, the cash chart is still in view
    page.evaluate("window.scrollTo(0, 1500)")
    page.wait_for_function(
        "() => document.querySelector('.hw-app .hw-cash-chart').getBoundingClientRect().top >= 0")
    chart = page.locator(".hw-app .hw-cash-chart").bounding_box()
    assert 0 <= chart["y"] and chart["y"] + chart["height"] <= 900
    page.evaluate("window.scrollTo(0, 0)")
    expect(page.locator(".hw-rate.hw-high")).to_contain_text("about 226% a year counted simply")

    # a loan typed the way the lender says it: borrow 5,000, pay back 200 every day, 30 times
    spare = ".hw-f-funding-4-"
    page.locator(spare + "source select").select_option(label="Informal lender (5-6)")
    for key, value in (("amount", "5,000"), ("payment", "200"), ("payments", "30")):
        field = page.locator(spare + key + " input")
        field.fill(value)
        field.press("Enter")
    page.locator(spare + "every select").select_option(label="every day")
    rate = page.locator(".hw-rate", has_text="30 payments of ₱200.00 every day")
    expect(rate).to_contain_text("about 445% a year counted simply (APR), about 8,232% a year")
    expect(page.locator(".hw-banner", has_text="need fixing")).to_have_count(0)
    screenshot(page, artifacts / "business-funding-daily-5-6.png")
    page.set_viewport_size({"width": 390, "height": 844})
    rate.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "business-funding-daily-5-6-phone.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    step(page, 5)
    page.locator(".hw-cases-chart svg polyline").first.wait_for()
    page.get_by_role("button", name="Make the printable plan (PDF)").click()
    link = page.locator("a.hw-pdf")
    link.wait_for(timeout=60_000)
    screenshot(page, artifacts / "business-results.png")
    with page.expect_download() as download:
        link.click()
    pdf_path = tmp_path / "plan.pdf"
    download.value.save_as(pdf_path)
    reader = pypdf.PdfReader(pdf_path)
    words = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Ate Lorna's sari-sari store" in words
    assert "Cash at end of month" in words
    assert "₱110.00" in words  # the new price, in the costing table
    assert "Warning: the loan from Informal lender (5-6) costs about" in words

    page.get_by_role("button", name="Download the tables (CSV)").click()
    with page.expect_download() as csv_download:
        page.locator("a.hw-csv").click()
    csv_path = tmp_path / "table.csv"
    csv_download.value.save_as(csv_path)
    assert csv_path.read_text().startswith("Month,Units sold,Sales,")
    assert page.page_errors == []


def test_bad_input_and_a_bad_file_keep_the_last_good_plan(page, voila_url, artifacts, tmp_path):
    open_app(page, voila_url)
    step(page, 3)
    before = sentences(page)
    type_into(page, "Selling price of one unit", "lots")
    error = page.locator(".hw-error", has_text="not a number")
    error.wait_for(timeout=10_000)
    assert "5,000.50" in error.inner_text()
    assert "last good plan" in page.locator(".hw-banner").inner_text()
    assert sentences(page) == before
    screenshot(page, artifacts / "business-bad-input.png")

    type_into(page, "Selling price of one unit", "105")
    page.wait_for_function("() => !document.querySelector('.hw-banner')")
    expect(page.locator(".hw-error", has_text="not a number")).to_have_count(0)
    page.get_by_role("button", name="Save my plan").click()
    page.wait_for_function(  # the save link holds the new price
        """() => { const a = document.querySelector('a.hw-save');
                   return a && new TextDecoder().decode(Uint8Array.from(
                     atob(a.href.split(',')[1]), c => c.charCodeAt(0))).includes('"price": 105.0'); }""")
    with page.expect_download() as download:
        page.locator("a.hw-save").click()
    path = tmp_path / "plan.json"
    download.value.save_as(path)
    assert planfile.loads(path.read_bytes()).plan.price == 105

    type_into(page, "Selling price of one unit", "95")
    expect(box(page, "Selling price of one unit")).to_have_value("95")
    upload(page, "Open a saved plan", path)
    expect(box(page, "Selling price of one unit")).to_have_value("105", timeout=10_000)

    broken = tmp_path / "broken.json"
    data = json.loads(path.read_text())
    data["plan"]["units_per_month"] = "many"
    broken.write_text(json.dumps(data))
    upload(page, "Open a saved plan", broken)
    page.locator(".hw-error", has_text="plan file").wait_for(timeout=10_000)
    expect(box(page, "Selling price of one unit")).to_have_value("105")


def test_indonesian_words_and_numbers(page, voila_url, artifacts):
    open_app(page, voila_url)
    page.get_by_label("Language / Wika / Bahasa").select_option(label="Bahasa Indonesia")
    page.locator(".hw-steps button", has_text="Harga dan biaya").wait_for(timeout=10_000)
    page.get_by_label("Mata uang").select_option(label="IDR")
    page.locator(".hw-app .hw-sentences", has_text="Rp").wait_for(timeout=10_000)
    assert page.evaluate("document.documentElement.lang") == "id"
    # the Indonesian example (Sri's catfish ponds), in rupiah: no note about pesos
    expect(box(page, "Nama usaha")).to_have_value("Kolam lele Sri")
    assert "peso Filipina" not in " ".join(page.locator(".hw-app .hw-banner").all_inner_texts())
    step(page, 3)
    before = sentences(page)
    type_into(page, "Harga jual satu unit", "1.250,50")
    page.wait_for_function(
        "t => document.querySelector('.hw-app .hw-sentences').innerText !== t", arg=before)
    expect(box(page, "Harga jual satu unit")).to_have_value("1.250,50")
    assert "balik modal" in sentences(page)
    screenshot(page, artifacts / "business-indonesian.png")


def test_phone_layout(phone_page, voila_url, artifacts):
    page = phone_page
    open_app(page, voila_url)
    step(page, 4)
    screenshot(page, artifacts / "business-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px wide)"
    wide = page.eval_on_selector_all(
        ".hw-app .hw-col", "els => els.map(e => e.getBoundingClientRect().right)")
    assert wide and max(wide) <= 390, wide
    heights = page.eval_on_selector_all(
        ".hw-app input[type=text], .hw-app select, .hw-app button",
        "els => els.filter(e => e.offsetParent).map(e => e.offsetHeight)")
    assert heights and min(heights) >= 40, f"controls too small to touch: {heights}"
    assert page.locator(".hw-app .hw-cash-chart").bounding_box()["width"] <= 390
    # on a phone the steps come before the results
    steps = page.locator(".hw-steps").bounding_box()["y"]
    assert steps < page.locator(".hw-app .hw-cards").bounding_box()["y"]


def test_first_paint_shows_sris_example_in_rupiah_on_a_phone(phone_page, voila_url, artifacts):
    """Issue 12: an Indonesian who comes with ``?lang=id&currency=IDR`` sees the Indonesian
    example (Sri's catfish ponds, in rupiah and in Indonesian) from the first paint on, not the
    sari-sari store's peso amounts labelled as rupiah."""
    page = phone_page
    plan = example_business_plan("IDR")
    cards = dict(text.cards(analyse(plan), "IDR", "id"))
    page.goto(app_address(voila_url, "business", lang="id", currency="IDR"), timeout=120_000)
    paint = page.locator(".hw-first-paint")
    paint.wait_for(timeout=60_000)
    painted = paint.inner_text()
    assert all(value in painted for value in cards.values()), (cards, painted)
    page.wait_for_selector("body.hw-ready", timeout=90_000)
    page.locator(CASH_BARS + " rect").first.wait_for(timeout=60_000)
    expect(box(page, "Nama usaha")).to_have_value("Kolam lele Sri")
    screenshot(page, artifacts / "business-id-IDR-example-idea-phone.png")
    step(page, 3)
    expect(box(page, "Harga jual satu unit")).to_have_value(format_number(plan.price, "id", 0))
    step(page, 4)
    assert page.get_by_role("textbox").evaluate_all(
        "els => els.map(e => e.value)").count("Giliran saya di arisan") == 1
    assert "peso Filipina" not in " ".join(page.locator(".hw-app .hw-banner").all_inner_texts())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px wide)"
    screenshot(page, artifacts / "business-id-IDR-example-phone.png")
