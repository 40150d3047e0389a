"""The action-planning tool as a participant uses it: served by Voila, in headless Chromium."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

APP = "/voila/render/action_plan.ipynb"


def open_app(page, voila_url):
    page.goto(voila_url + APP)
    # Voila first shows "Loading widget..."; wait for the tool's own element.
    page.locator(".hw-action-plan button.hw-add-action").wait_for(timeout=60_000)


def fill(page, css: str, text: str):
    field = page.locator(f"{css} input").first
    field.fill(str(text))
    field.press("Tab")  # number fields sync on change (blur)


def add_action(page, objective, action, responsible, indicator, start, end, count):
    fill(page, ".hw-objective", objective)
    fill(page, ".hw-description", action)
    fill(page, ".hw-responsible", responsible)
    fill(page, ".hw-indicator", indicator)
    fill(page, ".hw-start", start)
    fill(page, ".hw-end", end)
    page.locator("button.hw-add-action").click()
    expect(page.locator(".hw-action-plan")).to_contain_text(f"{count} action{'' if count == 1 else 's'},", timeout=15_000)


def test_fill_export_and_check_documents(page, voila_url, artifacts, tmp_path):
    open_app(page, voila_url)
    plan = page.locator(".hw-action-plan")

    # An incomplete plan is refused with a message, not a traceback.
    page.locator("button.hw-make-documents").click()
    expect(plan.locator(".hw-error")).to_contain_text("locality", timeout=15_000)

    fill(page, ".hw-locality", "Parañaque (illustrative)")
    fill(page, ".hw-title", "Women returnees first")
    fill(page, ".hw-prepared-by", "City M&D council")
    add_action(page, "Women returnees find local work", "Refer returnees to the PESO", "PESO",
               "Returnees placed, by sex", 2, 12, count=1)
    add_action(page, "A local database of returnees", "Add returned residents to the list",
               "LGU planning office", "Database updated every year", 1, 6, count=2)
    # a mistake: no responsible partner
    fill(page, ".hw-objective", "Families cope with return")
    fill(page, ".hw-description", "Counselling for families")
    fill(page, ".hw-responsible", "")
    fill(page, ".hw-indicator", "Families counselled")
    page.locator("button.hw-add-action").click()
    expect(plan.locator(".hw-error")).to_contain_text("responsible", timeout=15_000)
    fill(page, ".hw-responsible", "NGOs and civil society organisations")
    page.locator("button.hw-add-action").click()
    expect(plan).to_contain_text("3 actions, 12 months", timeout=15_000)

    page.locator("button.hw-make-documents").click()
    pdf_link = page.locator("a[download='action_plan.pdf']")
    pdf_link.wait_for(timeout=30_000)
    page.screenshot(path=artifacts / "action-plan-desktop.png", full_page=True)

    with page.expect_download() as pdf_download:
        pdf_link.click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    with page.expect_download() as csv_download:
        page.locator("a[download='action_plan.csv']").click()
    csv_path = tmp_path / csv_download.value.suggested_filename
    csv_download.value.save_as(csv_path)

    assert pdf_path.name == "action_plan.pdf" and csv_path.name == "action_plan.csv"
    text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    for expected in ["Parañaque (illustrative)", "Women returnees first", "Objective 3",
                     "Refer returnees to the PESO", "Responsible: LGU planning office",
                     "Indicator: Returnees placed, by sex", "month 2 to month 12"]:
        assert expected in text, expected
    frame = pd.read_csv(io.BytesIO(csv_path.read_bytes()))
    assert frame["action"].tolist() == ["Refer returnees to the PESO",
                                        "Add returned residents to the list",
                                        "Counselling for families"]
    assert frame["start_month"].tolist() == [2, 1, 1]
    assert frame["end_month"].tolist() == [12, 6, 6]  # months are kept between actions
    assert set(frame["locality"]) == {"Parañaque (illustrative)"}
    assert page.page_errors == []


def test_phone_layout(phone_page, voila_url, artifacts):
    page = phone_page
    open_app(page, voila_url)
    fill(page, ".hw-locality", "Barangay San Roque, Municipality of a very long name (illustrative)")
    page.screenshot(path=artifacts / "action-plan-phone.png", full_page=True)
    no_sideways = page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert no_sideways, "the page scrolls sideways at 390 px"
    tool = page.locator(".hw-action-plan").bounding_box()
    right = min(390, tool["x"] + tool["width"]) + 0.5  # nothing may be clipped by the tool's box
    for css in ("hw-add-action", "hw-remove-action", "hw-make-documents"):
        box = page.locator(f"button.{css}").bounding_box()
        assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= right, css
    for css in ("hw-locality", "hw-title", "hw-objective", "hw-indicator", "hw-start", "hw-end"):
        box = page.locator(f".{css} input").bounding_box()
        assert box["height"] >= 36 and box["x"] >= tool["x"] - 0.5, css
        assert box["x"] + box["width"] <= right, (css, box, tool)

    # The lower half: add an action by touch and make the documents.
    fill(page, ".hw-title", "Plan")
    fill(page, ".hw-prepared-by", "Council")
    fill(page, ".hw-objective", "Women returnees find local work")
    fill(page, ".hw-description", "Refer returnees to the PESO, and follow up each referral")
    fill(page, ".hw-responsible", "PESO (Public Employment Service Office)")
    fill(page, ".hw-indicator", "Returnees placed in jobs, by sex")
    page.locator("button.hw-add-action").tap()
    expect(page.locator(".hw-action-plan")).to_contain_text("1 action,", timeout=15_000)
    page.locator("button.hw-make-documents").tap()
    link = page.locator("a[download='action_plan.pdf']")
    link.wait_for(timeout=30_000)
    link.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "action-plan-phone-results.png")
    box = link.bounding_box()
    assert box["height"] >= 36 and box["x"] + box["width"] <= right
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.page_errors == []
