"""The answer form in Chromium on ``python -m widgets.serve``, at 390x844 with touch: an exercise
in Filipino and a check-in in Indonesian, filled by tapping and typing; a bad amount is
answered at once; Hand in gives the file, which holds her answers as values; her draft
survives a reload; a wrong name shows the list of forms; axe-core finds no WCAG 2.1 A/AA
violation. Screenshots in tests/_artifacts/."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.helpers.pages import axe_violations, describe, full_screenshot
from widgets.appkit import ERROR_MESSAGES
from widgets.forms.handin import EXERCISES, FolderReleases
from widgets.forms.model import check_submission, read_values
from widgets.forms.view import WORDS
from widgets.i18n import gettext_for
from widgets.money import format_number

pytestmark = pytest.mark.browser


def form_address(base: str, assignment: str, lang: str) -> str:
    return f"{base}/voila/render/form.ipynb?assignment={assignment}&lang={lang}"


@pytest.fixture(scope="module")
def releases():
    return FolderReleases(EXERCISES, source=True, patterns=("ee*", "checkin_*"))


def open_form(page, base, assignment, lang):
    page.goto(form_address(base, assignment, lang), wait_until="commit", timeout=300_000)
    page.wait_for_selector("body.hw-ready", timeout=300_000)
    page.locator(".hw-handin").wait_for(timeout=60_000)


def question(page, label: str):
    return page.locator(".hw-question", has_text=label).first


def not_a_number(lang: str) -> str:
    return gettext_for(lang)(ERROR_MESSAGES["not_a_number"]).format(
        example=format_number(5000.5, lang, 2), thousands="", currency="")


def hand_in_and_get_file(page, person: str, tmp_path) -> dict:
    page.locator(".hw-handin").scroll_into_view_if_needed()
    name_box = page.locator(".hw-field").filter(has_text=gettext_for(page.lang)(
        WORDS["person"])).locator("input")
    name_box.tap()
    name_box.fill(person)
    name_box.press("Tab")
    page.locator(".hw-handin").tap()
    link = page.locator("a.hw-download")
    link.wait_for(timeout=30_000)
    with page.expect_download() as download:
        link.tap()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    return {"name": download.value.suggested_filename, "nb": json.loads(path.read_text())}


def test_an_exercise_in_filipino_by_tapping_and_typing(phone_page, voila_url, artifacts,
                                                       releases, tmp_path):
    page, lang = phone_page, "fil"
    page.lang = lang
    open_form(page, voila_url, "ee03_saving", lang)
    assert page.evaluate("document.documentElement.lang") == "fil"
    assert page.locator("pre, .jp-InputArea, .CodeMirror, .cm-editor").count() == 0  # no code
    assert "= None" not in page.inner_text("body")
    release = releases.release("ee03_saving")
    from widgets.forms.model import questions

    qs = {q.name: q for q in questions(release)}
    # a choice by tapping its big radio button
    option = qs["better_account"].options[0]
    question(page, qs["better_account"].text("label", lang)).locator(
        "label", has_text=option.text(lang)).tap()
    # an amount: a bad one first, answered at once
    box = question(page, qs["difference"].text("label", lang)).locator("input")
    box.tap()
    box.fill("dalawang libo")
    box.press("Tab")
    error = question(page, qs["difference"].text("label", lang)).locator(".hw-error")
    error.get_by_text(not_a_number(lang)).wait_for(timeout=20_000)
    # the page script marks the box a moment after the message shows: wait for it
    expect(box).to_have_attribute("aria-invalid", "true", timeout=20_000)
    full_screenshot(page, artifacts / "form-ee03-fil-phone-error.png")
    box.fill("1,234.50")
    box.press("Tab")
    page.wait_for_function("el => !el.innerText.trim()", arg=error.element_handle(),
                           timeout=20_000)
    got = hand_in_and_get_file(page, "Rosa Dela Cruz", tmp_path)
    assert got["name"] == "ee03_saving-Rosa_Dela_Cruz.ipynb"
    values, problems = read_values(got["nb"])
    assert values["better_account"] == option.value and values["difference"] == 1234.5
    assert problems == [] and check_submission(got["nb"], release) == []
    assert page.locator(".hw-banner").first.inner_text().startswith(
        gettext_for(lang)(WORDS["done_file"]).split("{")[0].strip()[:20])
    full_screenshot(page, artifacts / "form-ee03-fil-phone.png")
    found = axe_violations(page)
    assert not found, describe(found)
    # her draft survives a reload
    page.reload(wait_until="commit", timeout=300_000)  # a new kernel: slow on a busy machine
    page.wait_for_selector("body.hw-ready", timeout=300_000)
    box = question(page, qs["difference"].text("label", lang)).locator("input")
    box.wait_for(timeout=60_000)
    assert box.input_value() == "1,234.50"


def test_a_checkin_in_indonesian(phone_page, voila_url, artifacts, releases, tmp_path):
    page, lang = phone_page, "id"
    page.lang = lang
    open_form(page, voila_url, "checkin_m03", lang)
    release = releases.release("checkin_m03")
    from widgets.forms.model import questions

    qs = questions(release)
    money = next(q for q in qs if q.kind == "money" and q.currency == "local")
    box = question(page, money.text("label", lang)).locator("input")
    assert "Rp" in question(page, money.text("label", lang)).inner_text()  # her currency
    box.tap()
    box.fill("1,5 juta")
    box.press("Tab")
    question(page, money.text("label", lang)).locator(".hw-error").get_by_text(
        not_a_number(lang)).wait_for(timeout=20_000)
    box.fill("1.500.000")
    box.press("Tab")
    choice = next(q for q in qs if q.kind == "choice")
    target = question(page, choice.text("label", lang))
    if target.locator("select").count():
        target.locator("select").select_option(label=choice.options[1].text(lang))
    else:
        target.locator("label", has_text=choice.options[1].text(lang)).tap()
    count = next(q for q in qs if q.kind == "integer")
    count_box = question(page, count.text("label", lang)).locator("input")
    count_box.tap()
    count_box.fill("2")
    count_box.press("Tab")
    full_screenshot(page, artifacts / "form-checkin-id-phone-filled.png")
    got = hand_in_and_get_file(page, "P07", tmp_path)
    assert got["name"] == "checkin_m03-P07.ipynb"
    values, problems = read_values(got["nb"])
    assert values[money.name] == 1_500_000 and values[count.name] == 2
    assert values[choice.name] == choice.options[1].value
    assert problems == [] and check_submission(got["nb"], release) == []
    full_screenshot(page, artifacts / "form-checkin-id-phone.png")
    found = axe_violations(page)
    assert not found, describe(found)


def test_a_wrong_name_lists_the_forms(phone_page, voila_url, artifacts):
    page = phone_page
    page.goto(form_address(voila_url, "..%2F..%2Fetc%2Fpasswd", "id"), wait_until="commit",
              timeout=300_000)
    page.wait_for_selector("body.hw-ready", timeout=300_000)
    links = page.locator("a.hw-form-link")
    links.first.wait_for(timeout=60_000)
    assert links.count() == 23
    assert page.locator("[role=alert]").count() == 1
    assert "passwd" not in page.inner_text("body")
    full_screenshot(page, artifacts / "form-list-id-phone.png")
    found = axe_violations(page)
    assert not found, describe(found)
    links.filter(has_text="Menabung").first.tap() if links.filter(
        has_text="Menabung").count() else links.first.tap()
    page.wait_for_selector(".hw-handin", timeout=300_000)
