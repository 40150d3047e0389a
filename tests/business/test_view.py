"""The business-plan app without a browser: set widget values, check what the page would show."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re

import numpy as np
import pytest

from widgets.business import model, planfile
from widgets.business.model import TEMPLATES, analyse
from widgets.business.view import (
    CASH_COLOUR,
    FUNDING,
    RESULTS,
    SHORT_COLOUR,
    STARTUP,
    BusinessApp,
)


@pytest.fixture
def app():
    return BusinessApp()


def link_bytes(html_text: str, css_class: str) -> bytes:
    match = re.search(rf"class='{css_class}'[^>]*href='data:[^;]+;base64,([^']+)'", html_text)
    assert match, f"no {css_class} link in {html_text[:200]}"
    return base64.b64decode(match.group(1))


def closing_cash(plan, case="expected"):
    return analyse(plan).tables[case]["closing_cash"].to_numpy()


def test_opens_on_an_illustrative_example_and_shows_the_model(app):
    plan = TEMPLATES["sari_sari_store"]
    assert app.plan == plan
    assert np.allclose(app.cash_line, closing_cash(plan))
    assert "Your cash stays above zero all year" in app.sentences.value
    assert "₱100,000" in app.cards.value  # start-up capital of the example
    assert "illustrative" in app.template_note.value
    assert "Philippine pesos" in app.template_note.value


def test_only_the_first_step_is_built_at_load(app):
    assert app._built == {0}
    assert "price" not in app._inputs and "funding[0].amount" not in app._inputs
    app.next_button.click()
    assert app.step == STARTUP and app.stack.selected_index == STARTUP
    assert "equipment[0].cost" in app._inputs
    assert app.step_title.value == "<h3>Step 2 of 5: Start-up money</h3>"
    app.back_button.click()
    assert app.step == 0 and app.back_button.disabled


def test_changing_the_price_updates_chart_sentences_and_cards(app):
    before_line, before_text, before_cards = list(app.cash_line), app.sentences.value, app.cards.value
    app.field("price").value = "104"
    assert app.plan.price == 104
    expected = closing_cash(dataclasses.replace(TEMPLATES["sari_sari_store"], price=104.0))
    assert np.allclose(app.cash_line, expected)
    assert list(app.cash_line) != before_line
    assert app.sentences.value != before_text and app.cards.value != before_cards
    assert "Each unit costs you" in app.costing_note.value


#: A small stall that runs out of cash in month 3 (illustrative numbers).
SHORT = model.BusinessPlan(
    name="Test stall", price=100.0, materials_per_unit=60.0, units_per_month=100.0,
    fixed_costs=5_000.0, working_capital=2_000.0,
    funding=(model.Funding("My savings", "own_savings", 2_000.0),),
)


def test_months_short_of_cash_are_red_bars():
    app = BusinessApp(plan=SHORT)
    short = analyse(SHORT).tables["expected"]["cash_short"].to_numpy()
    assert short.any() and not short.all()
    chart = app.cash_chart.value
    assert chart.count(f"fill='{SHORT_COLOUR}'") == short.sum()  # a red bar for each month short
    assert chart.count(f"fill='{CASH_COLOUR}'") == (~short).sum()
    assert "Cash short: money is missing" in chart  # and the legend says what red means
    assert "Your cash runs out in month 3 unless you start with ₱10,000 more." in app.sentences.value


def test_bad_input_says_why_next_to_the_field_and_keeps_the_last_good_plan(app):
    good, line = app.plan, list(app.cash_line)
    app.field("price").value = "lots"
    assert app.plan == good and list(app.cash_line) == line
    assert "not a number" in app._errors["price"].value
    assert "5,000.50" in app._errors["price"].value
    assert "last good plan" in app.banner.value
    app.field("price").value = "-5"
    assert "below zero" in app._errors["price"].value
    app.field("price").value = ""
    assert "type a number" in app._errors["price"].value
    app.field("price").value = "99"
    assert app._errors["price"].value == "" and app.banner.value == ""
    assert app.plan.price == 99


def test_model_errors_show_next_to_the_loan_row(app):
    good = app.plan
    app.field("funding[2].payment").value = "10"  # 12 x 10 does not repay 20,000
    assert "pay back less than you borrow" in app._errors["funding[2].payment"].value
    assert app.plan == good
    app.field("funding[2].payment").value = "1,776.98"  # as it was: the cooperative's own loan
    assert app.banner.value == ""
    assert app.plan == good and app.plan.funding[2].yearly_rate_pct == 12


def test_a_model_error_in_a_row_after_an_empty_row_points_at_the_right_box(app):
    app.goto(FUNDING)
    app._inputs["funding[1].name"].value = ""
    app._inputs["funding[1].amount"].value = ""  # row 1 left empty: plan item 1 is row 2
    assert len(app.plan.funding) == 3
    app._inputs["funding[2].payments"].value = "1"
    assert app._errors["funding[2].payment"].value
    assert not app._errors["funding[1].payment"].value


def test_indonesian_numbers_and_currency(app):
    assert app.currency_note.value == ""
    app.language_picker.value = "id"
    app.currency_picker.value = "IDR"  # the Indonesian example, in rupiah
    assert app.currency_note.value == "" and app.field("fixed_costs").value == "2.500.000"
    app.field("price").value = "1.250,50"
    assert app.plan.price == pytest.approx(1250.50)
    assert "Rp" in app.sentences.value and "Rp" in app.cards.value
    assert app.currency_note.value == ""  # her own numbers now
    app.field("price").value = "1,250.50"  # the English way is not Indonesian
    assert app._errors["price"].value
    assert app.plan.price == pytest.approx(1250.50)


def test_the_examples_words_follow_the_language_and_her_own_words_stay(app):
    app.language_picker.value = "fil"
    assert app.field("profile.idea").value == "Isang tindahan sa harapang kuwarto ng bahay ng pamilya."
    assert app.field("name").value == "Sari-sari store ni Ate Lorna"
    app.field("profile.owner").value = "Ako, si Lorna"
    app.language_picker.value = "en"
    assert app.field("profile.idea").value == TEMPLATES["sari_sari_store"].profile.idea
    assert app.field("profile.owner").value == "Ako, si Lorna"


def test_switching_language_translates_the_page(app):
    english = (app.sentences.value, app.step_buttons[1].description)
    assert app.language_picker.description == "Language / Wika / Bahasa"  # always all three
    app.language_picker.value = "fil"
    assert app.currency_picker.description == "Uri ng pera"
    assert app.sentences.value != english[0]
    assert app.step_buttons[1].description != english[1]
    app.language_picker.value = "id"
    assert app.currency_picker.description == "Mata uang"
    app.goto(RESULTS)
    assert "Bad year" not in app.cases_chart.value and "<polyline" in app.cases_chart.value


def test_template_switch_replaces_the_plan_and_the_rows(app):
    app.goto(FUNDING)
    line = list(app.cash_line)
    app.template_picker.value = "tricycle"
    assert app.plan == TEMPLATES["tricycle"]
    assert list(app.cash_line) != line
    assert app._rows["funding"] == len(TEMPLATES["tricycle"].funding) + 1
    assert app._inputs["funding[1].source"].value == "microfinance"
    assert "It costs about" in app._inputs["funding[1].true_rate"].value
    assert "counted the way savings grow" in app._inputs["funding[1].true_rate"].value


def test_equipment_rows_add_and_remove(app):
    app.goto(STARTUP)
    total = app.analysis.capital.total
    spare = len(app.plan.equipment)
    app._inputs[f"equipment[{spare}].name"].value = "Weighing scale"
    app._inputs[f"equipment[{spare}].cost"].value = "2,500"
    app._inputs[f"equipment[{spare}].life_years"].value = "5"
    assert app.plan.equipment[-1] == model.Equipment("Weighing scale", 2500.0, 5.0)
    assert app.analysis.capital.total == total + 2500
    assert "₱102,500" in app.capital_note.value
    app.add_equipment.click()
    assert f"equipment[{spare + 1}].cost" in app._inputs
    app._inputs[f"equipment[{spare}].remove"].click()
    assert len(app.plan.equipment) == spare
    assert app.analysis.capital.total == total


def test_seasonality_and_credit_sales_are_percentages(app):
    app.field("seasonality[11]").value = "150"
    assert app.plan.seasonality[11] == 1.5
    app.field("credit_sales_pct").value = "25"
    assert app.plan.credit_sales_pct == 25.0  # percents in the model too: no conversion
    assert app.field("credit_sales_pct").value == "25"


def test_results_step_cases_chart_tables_and_csv(app):
    app.goto(RESULTS)
    a = app.analysis
    chart = app.cases_chart.value
    assert chart.count("<polyline") == 3 and "Cash in three cases" in chart
    for case in model.CASES:  # the table under the chart holds each case's cash, as written
        assert app.money(float(a.tables[case]["closing_cash"].iloc[-1])) in chart
    assert "Three cases" in app.results_tables.value
    app.field("units_per_month").value = "1,000"
    assert app.cases_chart.value != chart
    assert app.downloads.value == ""  # files are made when she asks
    app.tables_button.click()
    csv = link_bytes(app.downloads.value, "hw-csv").decode("utf-8").splitlines()
    assert csv[0].startswith("Month,Units sold,Sales") and len(csv) == 13
    loans = link_bytes(app.downloads.value, "hw-loans-csv").decode("utf-8").splitlines()
    assert loans[0] == "Loan,Payment no.,Month,Payment,Interest,Loan repaid,Still owed"


def test_pdf_button_makes_a_pdf_with_the_plan(app):
    import pypdf

    app.goto(RESULTS)
    app.pdf_button.click()
    pdf = pypdf.PdfReader(io.BytesIO(link_bytes(app.pdf_link.value, "hw-pdf")))
    words = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Ate Lorna's sari-sari store" in words
    assert "Cash at end of month" in words


def test_plan_file_round_trip(app):
    app.field("price").value = "103"
    app.field("profile.customers").value = "Teachers at the school"
    app.save_button.click()
    saved = link_bytes(app.save_link.value, "hw-save")
    other = BusinessApp(template="pigs")
    assert other.open_plan(saved)
    assert other.plan == app.plan
    assert other.field("price").value == "103"
    assert other.field("profile.customers").value == "Teachers at the school"
    assert planfile.loads(saved).template == "sari_sari_store"


def test_a_broken_plan_file_is_refused_and_nothing_is_lost(app):
    good = app.plan
    app.save_button.click()
    data = json.loads(link_bytes(app.save_link.value, "hw-save"))
    data["plan"]["price"] = -100
    assert not app.open_plan(json.dumps(data).encode())
    assert "price" in app.upload_error.value and "not possible" in app.upload_error.value
    assert app.plan == good
    assert not app.open_plan(b"\x89PNG not a plan")
    assert "not a Homeward plan" in app.upload_error.value
    assert app.plan == good
    app.save_button.click()
    assert app.open_plan(link_bytes(app.save_link.value, "hw-save"))
    assert app.upload_error.value == ""


def test_own_savings_from_a_savings_plan_file(app):
    from widgets.savings import planfile as savings_file
    from widgets.savings.model import Plan

    text = savings_file.dumps(savings_file.SavedPlan(Plan(), start="2026-01", currency="PHP"))
    amount, _currency = planfile.own_savings_from_savings_file(text)
    assert app.use_savings_file(text.encode())
    own = [f for f in app.plan.funding
           if isinstance(f, model.Funding) and f.source == "own_savings"]
    assert own[0].amount == pytest.approx(amount)
    assert app._inputs["funding[0].amount"].value == f"{round(amount, 2):,.2f}".removesuffix(".00")
    assert "From your savings plan" in app.savings_note.value

    good = app.plan
    usd = savings_file.dumps(savings_file.SavedPlan(Plan(), start="2026-01", currency="USD"))
    assert not app.use_savings_file(usd)
    assert "USD" in app.savings_error.value and app.plan == good
    assert not app.use_savings_file(b"{}")
    assert "savings plan" in app.savings_error.value and app.plan == good


def test_no_traceback_reaches_the_page(app, monkeypatch):
    def broken(plan):
        raise RuntimeError("boom")

    monkeypatch.setattr(model, "analyse", broken)
    good = app.plan
    app.field("price").value = "101"
    assert "Something went wrong" in app.banner.value
    assert "boom" not in app.banner.value and "Traceback" not in app.sentences.value
    assert app.plan == good


def test_a_problem_in_a_step_not_yet_open_opens_it(app):
    app.plan = dataclasses.replace(app.plan, equipment=(model.Equipment("Shelves", 1000.0, 0.0),))
    assert not app.recompute()
    assert app.step == STARTUP
    assert "more than zero" in app._errors["equipment[0].life_years"].value


def test_an_ambiguous_amount_is_asked_about_not_read_as_thirty(app):
    good = app.plan
    app.field("price").value = "1.500"
    assert app.plan == good
    assert app._errors["price"].value == "Did you mean 1,500?"
    app._asks["price"][2].click()  # "Yes, 1,500"
    assert app.plan.price == 1_500 and app.field("price").value == "1,500"
    assert app._errors["price"].value == ""


def test_a_loan_is_typed_as_the_lender_states_it(app):
    """Issue 11, point 10: "borrow 5,000, repay 200 a day for 30 days" goes in as it is said,
    and the app says what it costs a year, simple and compounded."""
    app.goto(FUNDING)
    spare = len(app.plan.funding)
    app._inputs[f"funding[{spare}].source"].value = "five_six"
    app._inputs[f"funding[{spare}].amount"].value = "5,000"
    app._inputs[f"funding[{spare}].payment"].value = "200"
    app._inputs[f"funding[{spare}].every"].value = "day"
    app._inputs[f"funding[{spare}].payments"].value = "30"
    loan = app.plan.funding[-1]
    assert (loan.kind, loan.amount, loan.payment, loan.payments, loan.every) == (
        "five_six", 5_000.0, 200.0, 30, "day")
    said = app._inputs[f"funding[{spare}].true_rate"].value
    assert "30 payments of ₱200.00 every day (₱6,000.00 in all)" in said
    assert "about 445% a year counted simply (APR), about 8,232% a year" in said
    assert "hw-high" in app._inputs[f"funding[{spare}].true_rate"]._dom_classes
    assert any("445%" in s for s in app.sentence_list())  # its warning, with both rates
    note = " ".join(heading.value for heading, *_rest in app._headings)
    assert "type 20" not in note and "pay back 200 every day, 30 times" in note


def test_a_relative_without_interest_needs_no_payment(app):
    app.goto(FUNDING)
    spare = len(app.plan.funding)
    app._inputs[f"funding[{spare}].source"].value = "relative"
    app._inputs[f"funding[{spare}].amount"].value = "1,000"
    app._inputs[f"funding[{spare}].payments"].value = "3"
    loan = app.plan.funding[-1]
    assert (loan.kind, loan.payment, loan.last, loan.interest) == ("relative", 333.33, 333.34, 0)
    assert "It costs nothing" in app._inputs[f"funding[{spare}].true_rate"].value


def test_a_pawnshop_is_typed_with_its_monthly_interest(app):
    app.goto(FUNDING)
    spare = len(app.plan.funding)
    app._inputs[f"funding[{spare}].source"].value = "pawnshop"
    app._inputs[f"funding[{spare}].amount"].value = "10,000"
    app._inputs[f"funding[{spare}].payment"].value = "300"
    app._inputs[f"funding[{spare}].payments"].value = "4"
    loan = app.plan.funding[-1]
    assert (loan.payment, loan.last) == (300.0, 10_300.0)
    assert "about 36.0% a year counted simply" in app._inputs[f"funding[{spare}].true_rate"].value


def test_money_that_is_not_repaid_hides_the_loan_boxes(app):
    app.goto(FUNDING)
    hidden = [app._boxes[f"funding[0].{key}"].layout.display for key in ("payment", "every",
                                                                          "payments")]
    assert hidden == ["none"] * 3  # her own savings: nothing to pay back
    assert app._boxes["funding[2].payment"].layout.display is None  # the cooperative loan
    spare = len(app.plan.funding)
    app._inputs[f"funding[{spare}].source"].value = "bank"
    assert app._boxes[f"funding[{spare}].payment"].layout.display is None  # she can type it


@pytest.mark.parametrize("currency", ["IDR", "NPR", "THB", "MXN"])
def test_a_currency_change_shows_her_countrys_example(currency):
    """Issue 12: the example follows the chosen country. Before, an Indonesian who picked
    rupiah saw the sari-sari store's price of 105 pesos as Rp105."""
    from widgets.countries import example_business_plan

    app = BusinessApp()
    app.currency_picker.value = currency
    expected = example_business_plan(currency)
    assert app.plan == expected and app.plan.price != TEMPLATES["sari_sari_store"].price
    assert app.field("price").value == app._format(expected.price, "money")
    assert app.field("name").value == expected.name
    assert app.currency_note.value == ""  # the amounts are this currency's: nothing to excuse
    assert app.analysis.totals == analyse(expected).totals
    app.goto(FUNDING)
    assert app._inputs["funding[1].name"].value == expected.funding[1].name
    # the picker names her country's example, and its note says which currency it is in
    assert app.template_picker.value == "home"
    assert app.template_picker.label == expected.name
    assert "in Philippine pesos" not in app.template_note.value.split(";")[0]
    app.currency_picker.value = "USD"  # no home country: the peso template, with the note
    assert app.plan == TEMPLATES["sari_sari_store"]
    assert app.template_picker.value == "sari_sari_store"
    assert "Philippine pesos" in app.currency_note.value


def test_her_own_amounts_stay_when_the_currency_changes(app):
    app.field("price").value = "120"
    app.currency_picker.value = "IDR"
    assert app.plan.price == 120.0 and app.currency == "IDR"
    assert app.field("price").value == "120" and app.plan.name == TEMPLATES["sari_sari_store"].name


def test_her_own_words_stay_when_the_currency_changes(app):
    app.field("name").value = "Tindahan ni Mila"
    app.currency_picker.value = "THB"
    assert app.plan.name == "Tindahan ni Mila" and app.plan.price == TEMPLATES["sari_sari_store"].price


def test_a_template_she_chose_stays_with_its_note(app):
    app.template_picker.value = "tailoring"
    app.currency_picker.value = "MXN"
    assert app.plan == TEMPLATES["tailoring"]
    assert "Philippine pesos" in app.currency_note.value


@pytest.mark.parametrize(("language", "currency", "words"), [
    ("fil", "IDR", ("Palaisdaan ng hito ni Sri", "Sariwang hito", "Bomba ng tubig",
                    "Ang turno ko sa arisan")),
    ("id", "IDR", ("Kolam lele Sri", "Lele segar", "Pompa air", "Giliran saya di arisan")),
    ("id", "NPR", ("Homestay Sunita", "sarapan", "Kamar mandi baru", "Giliran saya di dhikuti")),
    ("fil", "THB", ("Talyer ng motorsiklo ni Nok", "Pag-aayos, gulong", "Bubong at karatula",
                    "Ang turno ko sa len share")),
    ("fil", "MXN", ("Mga solar na pampainit ng tubig ni Carmen", "Pagkakabit ng pampainit",
                    "Mga gamit at hagdan", "Ang turno ko sa tanda")),
])
def test_her_countrys_example_speaks_her_language(language, currency, words):
    """The example's business name, product, items and funding names are in her language,
    whichever she picks first; back in English they are the example's own words."""
    app = BusinessApp()
    app.language_picker.value = language
    app.currency_picker.value = currency
    app.goto(STARTUP)
    app.goto(FUNDING)
    name, product, item, funding = words
    assert app.field("name").value == name
    assert product in app.field("profile.product").value
    assert item in [app._inputs[f"equipment[{r}].name"].value
                    for r in range(len(app.plan.equipment))]
    assert app._inputs["funding[1].name"].value == funding
    assert app.currency_note.value == "" and app.plan.price != TEMPLATES["sari_sari_store"].price
    app.language_picker.value = "en"
    assert app.field("name").value == app.example.plan.name
    assert app._inputs["funding[1].name"].value == app.example.plan.funding[1].name
