"""The savings app without a browser: set widget values, check what the page would show."""

from __future__ import annotations

import base64
import json
import re

import pytest

from widgets.savings import planfile
from widgets.savings.model import Plan, simulate, summarize
from widgets.savings.view import SavingsApp


@pytest.fixture
def app():
    return SavingsApp(start="2026-11")


def link_bytes(html_text: str, css_class: str) -> bytes:
    match = re.search(rf"class='{css_class}'[^>]*href='data:[^;]+;base64,([^']+)'", html_text)
    assert match, f"no {css_class} link in {html_text[:200]}"
    return base64.b64decode(match.group(1))


def test_defaults_show_the_model_results(app):
    expected = summarize(Plan())
    assert app.summary == expected
    assert list(app.line.y) == pytest.approx(simulate(Plan())["total_savings"].tolist())
    text = app.sentences.value
    assert "Your emergency fund of" in text and "2027" in text


def test_changing_an_input_updates_chart_and_sentences(app):
    before = list(app.line.y)
    first = app.sentence_list()[0]
    app.field("income_abroad").value = "40,000"
    assert app.plan.income_abroad == 40_000
    assert list(app.line.y) != before
    assert app.sentence_list()[0] != first
    assert max(app.line.y) > max(before)


def test_bad_input_keeps_the_last_good_plan_and_says_why(app):
    good = app.plan
    line = list(app.line.y)
    app.field("remittance").value = "lots"
    assert app.plan == good
    assert list(app.line.y) == line
    assert "not a number" in app._errors["remittance"].value
    assert "last good plan" in app.banner.value
    app.field("remittance").value = "-5"
    assert "below zero" in app._errors["remittance"].value
    app.field("remittance").value = "99999999999999"
    assert "too large" in app._errors["remittance"].value
    app.field("remittance").value = ""
    assert "type a number" in app._errors["remittance"].value
    app.field("remittance").value = "12,000"
    assert app._errors["remittance"].value == ""
    assert app.banner.value == ""
    assert app.plan.remittance == 12_000


def test_model_errors_are_shown_next_to_the_field(app):
    app.field("debt.monthly_payment").value = "1"  # does not cover the interest
    assert app._errors["debt.monthly_payment"].value
    assert app.plan.debt.monthly_payment == 3_000


def test_indonesian_reads_and_writes_numbers_the_indonesian_way(app):
    app.language_picker.value = "id"
    app.currency_picker.value = "IDR"
    assert app.field("income_abroad").value == "28.000"
    app.field("income_abroad").value = "5.000,50"
    assert app.plan.income_abroad == pytest.approx(5000.50)
    assert "Rp" in app.sentences.value


def test_switching_language_translates_the_page(app):
    english = app.sentences.value
    app.language_picker.value = "fil"
    assert app.sentences.value != english
    assert app.language_label.value == "Wika"
    app.language_picker.value = "id"
    assert app.language_label.value == "Bahasa"


def test_plan_file_round_trip_through_the_app(app):
    app.field("remittance").value = "17,500"
    saved = link_bytes(app.files.value, "hw-save")
    other = SavingsApp(start="2025-01")
    assert other.open_plan(saved)
    assert other.plan == app.plan
    assert other.start == "2026-11"
    assert other.field("remittance").value == "17,500"


def test_a_broken_plan_file_is_refused_and_nothing_is_lost(app):
    good = app.plan
    data = json.loads(link_bytes(app.files.value, "hw-save"))
    data["plan"]["income_abroad"] = -100
    assert not app.open_plan(json.dumps(data).encode())
    assert app.upload_error.value
    assert app.plan == good
    assert not app.open_plan(b"\x89PNG not a plan")
    assert "not a Homeward plan" in app.upload_error.value
    assert app.plan == good


def test_csv_download_has_every_month(app):
    csv = link_bytes(app.files.value, "hw-csv").decode("utf-8")
    lines = csv.strip().splitlines()
    assert len(lines) == app.plan.months + 1
    assert lines[0].startswith("Month,")
    assert lines[1].startswith("November 2026,")


def test_printable_summary(app):
    app._on_summary(None)
    page = link_bytes(app.summary_link.value, "hw-summary").decode("utf-8")
    assert "<svg" in page and "@page" in page
    for sentence in app.sentence_list():
        assert sentence.replace("'", "&#x27;") in page


def test_variability_draws_a_band(app):
    app.field("income_variability_pct").value = "20"
    assert app.band_result is not None
    low, high = app.band.y
    assert (low <= high + 1e-9).all()
    assert "8 of 10" in app.sentences.value


def test_no_traceback_reaches_the_page(app, monkeypatch):
    import widgets.savings.view as view

    def broken(plan):
        raise RuntimeError("boom")

    monkeypatch.setattr(view, "summarize", broken)
    good = app.plan
    app.field("remittance").value = "12,000"
    assert "Something went wrong" in app.banner.value
    assert "Traceback" not in app.banner.value and "boom" not in app.sentences.value
    assert app.plan == good


def test_plan_file_is_valid_json_with_the_plan(app):
    saved = planfile.loads(link_bytes(app.files.value, "hw-save"))
    assert saved.plan == app.plan
    assert saved.currency == "PHP"


def test_sections_are_built_when_opened_and_show_the_current_plan(app):
    assert "debt.principal" not in app._texts  # a light page first
    app.field("income_abroad").value = "31,000"
    app.accordion.selected_index = 4  # Debt
    assert app._texts["debt.principal"].value == "30,000"
    app._texts["debt.principal"].value = "45,000"
    assert app.plan.debt.principal == 45_000
    assert app.plan.income_abroad == 31_000


def test_a_problem_in_a_closed_section_opens_it(app):
    import dataclasses

    from widgets.savings.model import Debt

    app.plan = dataclasses.replace(app.plan, debt=Debt(30_000, 24, 1))
    assert not app.recompute()
    assert app.accordion.selected_index == 4
    assert app._errors["debt.monthly_payment"].value


def test_an_ambiguous_amount_is_asked_about_not_read_as_thirty(app):
    """"30.000" in English could be 30 or 30,000: the box says so and the plan stands."""
    good = app.plan
    app.field("remittance").value = "30.000"
    assert app.plan == good
    message = app._errors["remittance"].value
    assert "two ways" in message and "30,000" in message
    app.language_picker.value = "id"
    app.field("remittance").value = "15,000"
    message = app._errors["remittance"].value
    assert "dua cara" in message and "30.000" in message
    assert app.plan.remittance == good.remittance


def test_another_currency_sign_says_which_currency_to_use(app):
    app.field("remittance").value = "$500"
    assert "another currency" in app._errors["remittance"].value
    assert "PHP" in app._errors["remittance"].value
