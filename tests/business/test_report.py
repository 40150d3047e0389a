"""The files a person keeps: the printable PDF plan (read back with pypdf) and the CSV tables."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pandas as pd
import pypdf
import pytest

from widgets import loans
from widgets.business import report, text
from widgets.business.model import Funding, analyse
from widgets.business.templates import TEMPLATES
from widgets.i18n import gettext_for

#: The sari-sari store example, with an informal loan over one month and too little money at the
#: start, so that the cash runs out (illustrative numbers).
PLAN = dataclasses.replace(
    TEMPLATES["sari_sari_store"],
    funding=(Funding("My savings", "own_savings", 60_000.0),
             loans.five_six(10_000.0, name="Informal lender (5-6)")),
)


@pytest.fixture(scope="module")
def analysis():
    return analyse(PLAN)


def pdf_words(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def flat(sentence: str) -> str:
    return " ".join(sentence.split())


@pytest.fixture(scope="module")
def filipino_pdf(analysis):
    return pdf_words(report.plan_pdf(analysis, "PHP", "fil",
                                     text.sentences(analysis, "PHP", "fil")))


def test_pdf_has_the_whole_plan_in_filipino(analysis, filipino_pdf):
    _ = gettext_for("fil")
    words = filipino_pdf
    assert analysis.gap.first_short_month is not None
    assert text.name_of(PLAN.name, "fil") in words  # "Sari-sari store ni Ate Lorna"
    for heading in ("2. Start-up money", "4. Sales and costs, month by month",
                    "5. Cash flow, month by month", "7. Where the money comes from",
                    "8. Three cases", "10. Warnings"):
        assert _(heading) in words and _(heading) != heading
    assert _("Cash at end of month") in words  # the cash-flow table's header
    closing = text.money(analysis.tables["expected"]["closing_cash"].iloc[-1], "PHP", "fil")
    assert closing in words  # its last row
    for warning in analysis.warnings:
        assert flat(text.warning_sentence(warning, "PHP", "fil")) in words
    assert flat(text.cash_sentence(analysis, "PHP", "fil")) in words
    assert "₱" in words
    customers = text.name_of(PLAN.profile.customers, "fil")  # the example's words, translated
    assert customers != PLAN.profile.customers and customers in words


def test_pdf_names_each_loan_with_its_schedule_and_both_yearly_rates(analysis, filipino_pdf):
    _ = gettext_for("fil")
    loan = PLAN.funding[1]
    assert _("Repayments: {name}").format(name=text.name_of(loan.name, "fil")) in filipino_pdf
    rates = analysis.rates[1]
    assert text.percent(rates.apr_pct, "fil") in filipino_pdf  # 240%, simple
    assert text.percent(rates.compounded_yearly_pct, "fil") in filipino_pdf  # 792%, compounded


def pdf_table_rows(words: str, first: str, last: str) -> str:
    return words[words.index(first):words.index(last)]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_pdf_tables_add_up_to_their_total_rows(name):
    """Issue 11, point 9: the PDF's rows differed from its "Total" row by up to 9 pesos.
    Every amount is now printed to the cent, and each total is the sum of its rows."""
    a = analyse(TEMPLATES[name])
    words = pdf_words(report.plan_pdf(a, "PHP", "en", []))
    table = a.tables["expected"]
    for column in ("sales", "materials", "fixed_costs", "depreciation", "interest", "profit",
                   "cash_in", "loan_payment", "cash_out"):
        cents = (table[column] * 100).round().astype("int64")
        for value in table[column]:
            assert text.money(value, "PHP", "en", cents=True) in words
        assert text.money(cents.sum() / 100, "PHP", "en", cents=True) in words
    for item, schedule in a.schedules:
        if schedule.empty:
            continue
        for column in ("payment", "interest", "principal"):
            total = (schedule[column] * 100).round().astype("int64").sum() / 100
            assert text.money(total, "PHP", "en", cents=True) in words
        assert round(schedule.principal.sum(), 2) == item.amount


def test_pdf_in_indonesian_with_baht(analysis):
    words = pdf_words(report.plan_pdf(analysis, "THB", "id", []))
    assert "฿" in words  # a sign Noto Sans lacks: the fallback font prints it
    assert "Uang kas akhir bulan" in words
    assert "Peringatan" in words


def test_pdf_without_a_unicode_font_says_what_to_install(analysis, monkeypatch, tmp_path):
    missing = tmp_path / "none.ttf"
    monkeypatch.setattr(report, "font_candidates", lambda: [(missing, missing)])
    with pytest.raises(report.FontMissing, match="fonts-noto-core"):
        report.plan_pdf(analysis, "PHP", "en", [])


def test_the_noto_font_of_the_debian_package_is_first_choice():
    regular, bold = report.font_candidates()[0]
    assert regular == Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
    assert bold.name == "NotoSans-Bold.ttf"
    assert any(r.exists() for r, _b in report.font_candidates())


@pytest.mark.parametrize("lang, first", [("en", "Month"), ("fil", "Buwan"), ("id", "Bulan")])
def test_monthly_csv_headers_are_translated_and_numbers_stay_numbers(analysis, lang, first):
    csv = report.monthly_csv(analysis, lang)
    frame = pd.read_csv(io.StringIO(csv))
    assert list(frame.columns)[0] == first
    assert len(frame) == 12
    _ = gettext_for(lang)
    closing = frame[_("Cash at end of month")]
    assert closing.tolist() == pytest.approx(
        analysis.tables["expected"]["closing_cash"].round(2).tolist())
    assert set(frame[_("Cash runs out")]) <= {_("yes"), _("no")}


def test_loans_csv_repays_each_loan_in_full(analysis):
    frame = pd.read_csv(io.StringIO(report.loans_csv(analysis, "id")))
    assert list(frame.columns) == ["Pinjaman", "Cicilan ke-", "Bulan", "Cicilan", "Bunga",
                                   "Pokok yang dibayar", "Sisa pinjaman"]
    loan = PLAN.funding[1]
    rows = frame[frame["Pinjaman"] == text.name_of(loan.name, "id")]
    assert len(rows) == loan.payments
    assert rows["Pokok yang dibayar"].sum() == pytest.approx(loan.amount)


@pytest.mark.parametrize("loan", [
    loans.microfinance(50_000, flat_monthly_rate_pct=2, payments=12),  # 62,000.04 before
    loans.cooperative(100_000, yearly_rate_pct=24, months=24),  # 6 rows did not add up
    loans.five_six(5_000, payments=30, every="day"),
    loans.five_six(10_000, payments=7, every="week"),
    loans.pawnshop(8_000, monthly_rate_pct=4, months=3),
    loans.relative(1_000, payments=3),
], ids=["flat", "declining", "daily-5-6", "weekly-5-6", "pawnshop", "relative"])
def test_loans_csv_reconciles_in_pandas_as_a_spreadsheet_would(loan):
    """Issue 11, point 9: a flat 50,000 loan's CSV summed to 62,000.04. Every row of the CSV
    is payment = interest + principal to the cent, what is owed falls by the principal, and
    the columns add up to the loan's totals."""
    plan = dataclasses.replace(PLAN, funding=(Funding("My savings", "own_savings", 90_000), loan))
    frame = pd.read_csv(io.StringIO(report.loans_csv(analyse(plan), "en")))
    cents = (frame[["Payment", "Interest", "Loan repaid", "Still owed"]] * 100).round().astype("int64")
    assert (cents["Payment"] == cents["Interest"] + cents["Loan repaid"]).all()
    owed = round(loan.amount * 100) - cents["Loan repaid"].cumsum()
    assert (cents["Still owed"] == owed).all()
    assert cents["Loan repaid"].sum() == round(loan.amount * 100)
    assert cents["Payment"].sum() == round(loan.total_repaid * 100)
    assert (cents >= 0).all().all()


def test_monthly_csv_reconciles_every_month_in_pandas():
    """Every month of the 12-month CSV adds up exactly, as a spreadsheet would check it."""
    for plan in TEMPLATES.values():
        a = analyse(plan)
        frame = pd.read_csv(io.StringIO(report.monthly_csv(a, "en")))
        c = (frame.drop(columns=["Month", "Units sold", "Cash runs out"]) * 100).round().astype("int64")
        assert (c["Cash at start of month"] + c["Cash received"] - c["Cash paid out"]
                == c["Cash at end of month"]).all()
        assert (c["Cash at start of month"].iloc[1:].to_numpy()
                == c["Cash at end of month"].iloc[:-1].to_numpy()).all()
        assert (c["Profit"] == c["Sales"] - c["Materials"] - c["Labour"] - c["Fixed costs"]
                - c["Depreciation"] - c["Interest"]).all()
        assert (c["Cash paid out"] == c["Materials"] + c["Labour"] + c["Fixed costs"]
                + c["Loan payments"]).all()
        assert c["Profit"].sum() == round(a.totals["expected"].profit * 100)


def test_results_html_shows_the_three_cases(analysis):
    page = report.results_html(analysis, "PHP", "en")
    for case in ("Bad year", "Expected", "Good year"):
        assert f"<td>{case}</td>" in page
    assert text.money(analysis.totals["worst"].profit, "PHP", "en") in page
    assert "illustrative" in page
