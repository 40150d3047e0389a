"""The savings app without a browser: set widget values, check what the page would show."""

from __future__ import annotations

import base64
import json
import re

import pytest

from widgets.examples import savings_example
from widgets.savings import planfile
from widgets.savings.model import Plan, Shocks, simulate, summarize
from widgets.savings.view import SavingsApp

EXAMPLE = savings_example("PHP").plan


@pytest.fixture
def app():
    return SavingsApp(start="2026-11")


def link_bytes(html_text: str, css_class: str) -> bytes:
    match = re.search(rf"class='{css_class}'[^>]*href='data:[^;]+;base64,([^']+)'", html_text)
    assert match, f"no {css_class} link in {html_text[:200]}"
    return base64.b64decode(match.group(1))


def files(app) -> str:
    """The download links, made as when she presses "Save or print my plan"."""
    app._on_files()
    return app.files.value


def test_defaults_show_the_model_results(app):
    expected = summarize(EXAMPLE)
    assert app.summary == expected
    assert list(app.savings_line) == pytest.approx(simulate(EXAMPLE)["total_savings"].tolist())
    text = app.sentences.value
    assert "Your emergency fund of" in text and "2027" in text


def test_changing_an_input_updates_chart_and_sentences(app):
    before, chart = list(app.savings_line), app.chart.value
    first = app.sentence_list()[0]
    app.field("income_abroad").value = "40,000"
    assert app.plan.income_abroad == 40_000
    assert list(app.savings_line) != before and app.chart.value != chart
    assert app.sentence_list()[0] != first
    assert max(app.savings_line) > max(before)


def test_bad_input_keeps_the_last_good_plan_and_says_why(app):
    good = app.plan
    chart = app.chart.value
    app.field("remittance").value = "lots"
    assert app.plan == good
    assert app.chart.value == chart
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
    app.field("debt.payment").value = "1"  # does not cover the interest
    assert "never be repaid" in app._errors["debt.payment"].value
    assert app.plan.debt.payment == 3_000
    app.field("debt.payment").value = "3,000"
    assert app.banner.value == "" and app.plan.debt.yearly_rate_pct == 24


def test_indonesian_reads_and_writes_numbers_the_indonesian_way(app):
    app.language_picker.value = "id"
    assert app.field("income_abroad").value == "28.000"
    app.currency_picker.value = "IDR"  # the Indonesian example, in rupiah
    assert app.field("income_abroad").value == "7.000.000"
    app.field("income_abroad").value = "5.000,50"
    assert app.plan.income_abroad == pytest.approx(5000.50)
    assert "Rp" in app.sentences.value


def test_switching_language_translates_the_page(app):
    english = app.sentences.value
    assert app.language_picker.description == "Language / Wika / Bahasa"  # always all three
    app.language_picker.value = "fil"
    assert app.sentences.value != english
    assert app.currency_picker.description == "Uri ng pera"
    assert "data-lang='fil'" in app.state.value  # the page's <html lang> follows
    app.language_picker.value = "id"
    assert app.currency_picker.description == "Mata uang"


def test_plan_file_round_trip_through_the_app(app):
    app.field("remittance").value = "17,500"
    saved = link_bytes(files(app), "hw-save")
    other = SavingsApp(start="2025-01")
    assert other.open_plan(saved)
    assert other.plan == app.plan
    assert other.start == "2026-11"
    assert other.field("remittance").value == "17,500"


def test_a_broken_plan_file_is_refused_and_nothing_is_lost(app):
    good = app.plan
    data = json.loads(link_bytes(files(app), "hw-save"))
    data["plan"]["income_abroad"] = -100
    assert not app.open_plan(json.dumps(data).encode())
    assert app.upload_error.value
    assert app.plan == good
    assert not app.open_plan(b"\x89PNG not a plan")
    assert "not a Homeward plan" in app.upload_error.value
    assert app.plan == good


def test_csv_download_has_every_month(app):
    csv = link_bytes(files(app), "hw-csv").decode("utf-8")
    lines = csv.strip().splitlines()
    assert len(lines) == app.plan.months + 2  # the header, the savings at the start, the months
    assert lines[0].startswith("Month,")
    assert lines[1].startswith("Start,")
    assert lines[2].startswith("November 2026,")
    assert "-0.0" not in csv


def test_csv_reconciles_every_month_in_pandas_as_a_spreadsheet_would(app):
    """Issue 11, point 9: the CSV left out spending abroad and both interest columns, and
    about 3 % of rows had total != personal + family, so no month could be checked."""
    import io

    import pandas as pd

    for plan in (Plan(), Plan(income_abroad=10_000.0, shocks=Shocks(remittance_stops=(3,)))):
        app.open_plan(planfile.dumps(planfile.SavedPlan(plan, "2026-11")).encode())
        frame = pd.read_csv(io.StringIO(link_bytes(files(app), "hw-csv").decode("utf-8")))
        c = (frame.drop(columns=["Month", "At home"]).fillna(0) * 100).round().astype("int64")
        assert (c["My own savings"] + c["Family savings"] == c["All savings"]).all()
        before_p, before_f = c["My own savings"].shift(1), c["Family savings"].shift(1)
        months = c.iloc[1:]
        came_in = (months["Income"] + months["Savings group: received"]
                   + months["Interest on my savings"] + months["Interest on family savings"]
                   + months["Money missing"])
        went_out = (months["My spending abroad"] + months["Cost of sending"]
                    + months["Family expenses"] + months["Loan payment"]
                    + months["Savings group: paid in"])
        change = (months["My own savings"] - before_p.iloc[1:]
                  + months["Family savings"] - before_f.iloc[1:])
        assert (came_in - went_out - change == 0).all()
        assert (months["Sent home"] - months["Family received"] <= months["Cost of sending"]).all()


def test_printable_summary(app):
    page = link_bytes(files(app), "hw-summary").decode("utf-8")
    assert "<svg" in page and "@page" in page
    for sentence in app.sentence_list():
        assert sentence.replace("'", "&#x27;") in page


def test_variability_draws_a_band(app):
    app.field("income_variability_pct").value = "20"
    assert app.band_result is not None
    assert (app.band_result.p10 <= app.band_result.p90 + 1e-9).all()
    assert "<polygon" in app.chart.value and "8 in 10 cases" in app.chart.value
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
    saved = planfile.loads(link_bytes(files(app), "hw-save"))
    assert saved.plan == app.plan
    assert saved.currency == "PHP"


def test_sections_are_built_when_opened_and_show_the_current_plan(app):
    assert "debt.amount" not in app._inputs  # a light page first
    app.field("income_abroad").value = "31,000"
    app.sections[4].button.click()  # Debt
    assert app.sections[4].is_open and "hw-open" in app.sections[4].button._dom_classes
    assert app._inputs["debt.amount"].value == "30,000"
    assert app._inputs["debt.yearly_rate_pct"].value == "24"
    app._inputs["debt.amount"].value = "45,000"
    assert app.plan.debt.amount == 45_000
    assert app.plan.income_abroad == 31_000


def test_a_problem_in_a_closed_section_opens_it(app):
    import dataclasses

    from widgets.loans import Loan

    app.plan = dataclasses.replace(app.plan, debt=Loan("other", 30_000, 1, 12))
    assert not app.recompute()
    assert app.sections[4].is_open
    assert app._errors["debt.payment"].value


def test_an_ambiguous_amount_is_asked_about_not_read_as_thirty(app):
    """"30.000" in English could be 30 or 30,000: the box says so and the plan stands."""
    good = app.plan
    app.field("remittance").value = "30.000"
    assert app.plan == good
    assert app._errors["remittance"].value == "Did you mean 30,000?"
    row, _hint, yes = app._asks["remittance"]
    assert yes.description == "Yes, 30,000" and row.layout.display == "flex"
    yes.click()  # she meant thirty thousand
    assert app.plan.remittance == 30_000 and app._errors["remittance"].value == ""
    assert row.layout.display == "none"
    app.language_picker.value = "id"
    app.field("remittance").value = "15,000"
    assert app._errors["remittance"].value == "Maksud Anda 15.000?"
    assert app.plan.remittance == 30_000


def test_another_currency_sign_says_which_currency_to_use(app):
    app.field("remittance").value = "$500"
    assert "another currency" in app._errors["remittance"].value
    assert "PHP" in app._errors["remittance"].value


def test_an_early_return_in_month_0_is_shown_as_month_0(app):
    """Issue 11, point 4: ``early_return_month or return_month`` took 0 for "no early
    return": the sentence and the marker said month 24 while the model had her home."""
    plan = Plan(shocks=Shocks(early_return_month=0))
    assert app.open_plan(planfile.dumps(planfile.SavedPlan(plan, "2026-11")).encode())
    first = app.sentence_list()[0]
    assert "November 2026" in first  # month 0, not November 2028
    assert app._return_month() == 0  # the chart's "You come home" line at its start
    page = link_bytes(files(app), "hw-summary").decode("utf-8")
    assert "<td>I come home in</td><td>November 2026</td>" in page


def test_a_transfer_fee_is_not_charged_when_nothing_is_sent(app):
    """Issue 11, point 5: with nothing sent the cost card showed 250 a month."""
    plan = Plan(remittance=0.0, expenses_before=0.0)
    assert app.open_plan(planfile.dumps(planfile.SavedPlan(plan, "2026-11")).encode())
    assert dict(app._cards())["Cost of sending money"] == "₱0"


def test_money_she_does_not_have_is_said_once(app):
    plan = Plan(income_abroad=10_000.0, personal_savings=0.0)
    assert app.open_plan(planfile.dumps(planfile.SavedPlan(plan, "2026-11")).encode())
    said = app.sentence_list()
    short = [s for s in said if "you send only what you have" in s]
    months = summarize(plan).months_remittance_short
    assert len(short) == 1 and f"In {months} months" in short[0] and months > 12
    assert sum("is missing" in s for s in said) == 1


def test_nan_and_infinity_never_reach_the_page(app):
    """Issue 11, point 12: format_money of NaN or inf raised in the savings view."""
    assert app.money(float("nan")) == "—" and app.money(float("inf")) == "—"


@pytest.mark.parametrize("currency", ["IDR", "NPR", "THB", "MXN"])
def test_a_currency_change_shows_her_countrys_example(currency):
    """Issues 12 and 13: the example follows the chosen country. Before, an Indonesian who
    picked rupiah saw the peso example's salary of 28,000 as IDR 28,000."""
    from widgets.countries import example_savings_plan

    app = SavingsApp(start="2026-11", language="id" if currency == "IDR" else "en")
    app.currency_picker.value = currency
    expected = example_savings_plan(currency)
    assert app.plan == expected and app.plan.income_abroad != EXAMPLE.income_abroad
    assert app.field("income_abroad").value == app._format(expected.income_abroad, "money")
    assert app.currency_note.value == ""  # the amounts are this currency's: nothing to excuse
    assert app.summary == summarize(expected)
    assert "What if" in app.what_if.value or "Bagaimana kalau" in app.what_if.value


def test_her_own_amounts_stay_when_the_currency_changes(app):
    app.field("income_abroad").value = "31,000"
    app.currency_picker.value = "IDR"
    assert app.plan.income_abroad == 31_000.0 and app.currency == "IDR"
    assert app.field("income_abroad").value == "31,000"


def test_a_currency_of_no_home_country_keeps_the_example_and_says_so(app):
    app.currency_picker.value = "USD"
    assert app.plan == EXAMPLE
    assert "did not change" in app.currency_note.value and "Philippine pesos" in app.currency_note.value


# what one change sends back to her phone (issue 13: <= 8 KB per input change) -----------------
#: The Jupyter envelope of one websocket message (header, parent header, channel), and what
#: each change costs whatever the app does: the page's two messages for the box (its value and
#: Enter) and the kernel's four busy/idle messages. Measured on the wire with Chromium on
#: ``python -m widgets.serve`` (binary websocket protocol): 490-520 bytes a message.
ENVELOPE = 520
FIXED = 2 * 380 + 4 * ENVELOPE


def sent_by(app, change) -> list[tuple[str, dict]]:
    """The widget messages the kernel sends while ``change`` runs (as the comm would send them)."""
    import ipywidgets as W

    sent = []

    def record(widget, msg, buffers=None):
        sent.append((widget.model_id, msg))

    original = W.Widget._send
    W.Widget._send = record
    try:
        change()
    finally:
        W.Widget._send = original
    return sent


def test_one_change_sends_at_most_8_kb_and_nothing_she_already_has(app):
    box = app.field("income_abroad")
    box.set_state({"value": "30,000"})  # her first change also takes away the example's what-if
    sent = sent_by(app, lambda: box.set_state({"value": "31,000"}))  # as her page sends it
    methods = [msg["method"] for _, msg in sent]
    assert "echo_update" not in methods  # her own typing is not sent back to her
    updated = {key for _, msg in sent for key in msg.get("state", {})}
    assert updated == {"value"}
    ids = [model_id for model_id, _ in sent]
    assert app.chart.model_id in ids and app.sentences.model_id in ids  # the new plan is shown
    assert app.legend.model_id not in ids and box.model_id not in ids  # unchanged: not sent
    payload = sum(len(json.dumps(msg, ensure_ascii=False).encode()) for _, msg in sent)
    wire = payload + ENVELOPE * len(sent) + FIXED
    assert wire <= 8 * 1024, (wire, [(i[:6], len(json.dumps(m))) for i, m in sent])
    # the same plan again (a box left without a change): nothing at all is sent
    assert sent_by(app, app.recompute) == []
