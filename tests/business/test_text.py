"""The business plan in plain words: sentences carry the model's numbers, in each language."""

from __future__ import annotations

import dataclasses
import math

import pytest

from widgets import loans
from widgets.business import text
from widgets.business.model import (
    BusinessPlan,
    Equipment,
    Funding,
    PlanWarning,
    analyse,
    cash_gap,
)
from widgets.business.templates import TEMPLATES
from widgets.i18n import gettext_for

#: A small stall that runs out of cash in its first months (illustrative numbers).
SHORT = BusinessPlan(
    name="Test stall", price=100.0, materials_per_unit=60.0, units_per_month=100.0,
    fixed_costs=5_000.0, working_capital=2_000.0,
    funding=(Funding("My savings", "own_savings", 2_000.0),),
)


def test_cash_sentence_says_the_month_and_the_amount_from_the_model():
    gap = cash_gap(SHORT)
    assert gap.first_short_month == 3
    said = text.cash_sentence(analyse(SHORT), "PHP", "en")
    assert said == (f"Your cash runs out in month 3 unless you start with "
                    f"₱{gap.extra_needed:,.0f} more.")


def test_cash_sentence_when_cash_never_runs_out():
    a = analyse(TEMPLATES["food_stall"])
    assert a.gap.first_short_month is None
    said = text.cash_sentence(a, "PHP", "en")
    assert said.startswith("Your cash stays above zero all year")
    assert text.money(a.totals["expected"].lowest_cash, "PHP", "en") in said


def test_break_even_sentence_and_never():
    a = analyse(TEMPLATES["food_stall"])
    units = math.ceil(a.break_even.units_per_month)
    said = text.break_even_sentence(a, "PHP", "en")
    assert f"You break even at {units:,} units a month" in said
    assert f"₱{a.break_even.sales_per_month:,.0f} of sales" in said
    # the sentence says the interest is out, and where it is with the interest in (point 11)
    assert "before the interest on your loans" in said
    assert f"with their interest (₱{a.break_even.loan_interest_per_month:,.0f} a month) at " \
           f"{math.ceil(a.break_even.units_with_interest):,} units" in said
    no_loans = analyse(dataclasses.replace(TEMPLATES["food_stall"], funding=()))
    assert "loan interest" not in text.break_even_sentence(no_loans, "PHP", "en")
    loss = dataclasses.replace(SHORT, price=50.0)
    assert "never break even" in text.break_even_sentence(analyse(loss), "PHP", "en")
    assert dict(text.cards(analyse(loss), "PHP", "en"))["Break-even, units a month"] == "never"


def test_informal_loan_warning_shows_both_yearly_rates():
    loan = loans.five_six(5_000.0, payments=30, every="day", name="Informal lender (5-6)")
    a = analyse(dataclasses.replace(SHORT, funding=(*SHORT.funding, loan)))
    warnings = [w for w in a.warnings if w.code == "informal_loan"]
    assert warnings
    said = text.warning_sentence(warnings[0], "PHP", "en")
    rates = loans.rates(loan)
    assert round(rates.apr_pct) == 445 and round(rates.compounded_yearly_pct) == 8232
    assert "about 445% a year counted simply (8,232% counted the way savings grow)" in said
    assert "Informal lender (5-6)" in said
    assert said in text.sentences(a, "PHP", "en")


def test_loan_sentence_says_how_it_is_repaid_and_both_rates():
    loan = loans.cooperative(30_000.0, yearly_rate_pct=12, months=12, name="Cooperative loan")
    a = analyse(dataclasses.replace(SHORT, funding=(loan,)))
    assert text.loan_sentences(a, "PHP", "en") == [
        "Cooperative loan: you borrow ₱30,000 and pay back 12 payments of ₱2,665.46 every month "
        "(₱31,985.52 in all). It costs about 12.0% a year counted simply (APR), about 12.7% a "
        "year counted the way savings grow. Cooperatives quote a yearly rate on what you still "
        "owe: the simple yearly rate."]
    said = text.loan_sentences(a, "IDR", "id")[0]
    assert "12,0%" in said and "12,7%" in said and "Rp2.665,46" in said


def test_every_kind_of_loan_has_its_note_and_quote_in_each_language():
    for kind in loans.KINDS.values():
        for lang in ("fil", "id"):
            _ = gettext_for(lang)
            for msgid in (kind.name, kind.quotes, kind.note):
                assert _(msgid) != msgid, (lang, msgid)


@pytest.mark.parametrize("share, expected", [
    (64.0, "Warning: loan repayments take 64% of your profit."),
    (math.inf, "Warning: the business earns nothing to repay its loans from."),
])
def test_repayments_warning(share, expected):
    warning = PlanWarning("repayments_eat_profit", {"share_pct": share, "payments": 1.0,
                                                    "profit": 1.0, "limit_pct": 50.0})
    assert text.warning_sentence(warning, "PHP", "en") == expected


def test_every_warning_the_model_gives_has_its_own_sentence_in_each_language():
    plans = [
        SHORT,  # cash runs out
        dataclasses.replace(SHORT, working_capital=50_000.0),  # funding does not cover it
        dataclasses.replace(SHORT, price=50.0),  # price below cost
        dataclasses.replace(SHORT, funding=(loans.five_six(5_000.0),)),  # informal loan
        dataclasses.replace(SHORT, equipment=(Equipment("Motorbike", 150_000, 5),)),  # month 0
        TEMPLATES["tricycle"],  # repayments eat the profit
    ]
    codes = set()
    for plan in plans:
        for warning in analyse(plan).warnings:
            codes.add(warning.code)
            english = text.warning_sentence(warning, "PHP", "en")
            assert "Check this part" not in english, warning
            for lang in ("fil", "id"):
                translated = text.warning_sentence(warning, "PHP", lang)
                assert translated != english, (lang, warning.code)
    assert codes >= {"cash_runs_out", "no_funding_for_startup", "price_below_cost",
                     "informal_loan", "repayments_eat_profit"}


def test_an_unknown_warning_is_still_a_sentence():
    said = text.warning_sentence(PlanWarning("stock_too_low", {}), "PHP", "en")
    assert said == "Check this part of your plan: stock too low."


def test_amounts_are_written_the_readers_way():
    a = analyse(SHORT)
    said = text.cash_sentence(a, "IDR", "id")
    extra = f"{a.gap.extra_needed:,.0f}".replace(",", ".")
    assert f"Rp{extra}" in said
    assert said != text.cash_sentence(a, "IDR", "en")


def test_sentences_do_not_repeat_the_cash_warning():
    said = text.sentences(analyse(SHORT), "PHP", "en")
    assert sum("runs out in month 3" in s for s in said) == 1


def test_cases_sentence_tells_when_a_bad_year_runs_out_of_cash():
    a = analyse(TEMPLATES["sari_sari_store"])
    worst = a.tables["worst"]
    first = int(worst["month"][worst["cash_short"]].iloc[0])
    said = text.cases_sentence(a, "PHP", "en")
    assert f"In a bad year your cash would run out in month {first}." in said
    assert text.money(a.totals["best"].profit, "PHP", "en") in said


def test_example_names_and_words_cover_every_template_and_translate_both_ways():
    names, words = set(), set()
    for plan in TEMPLATES.values():
        names.add(plan.name)
        names |= {e.name for e in plan.equipment} | {f.name for f in plan.funding}
        words |= set(dataclasses.asdict(plan.profile).values()) - {""}
    assert names <= set(text.EXAMPLE_NAMES), names - set(text.EXAMPLE_NAMES)
    assert words <= set(text.EXAMPLE_WORDS), words - set(text.EXAMPLE_WORDS)
    names |= words
    for name in names:
        for lang in ("fil", "id"):
            translated = text.name_of(name, lang)
            assert translated == gettext_for(lang)(name)
            assert text.name_of(translated, "en") == name
    assert text.name_of("Aling Nena's loan", "id") == "Aling Nena's loan"


def test_cards_are_the_models_figures():
    a = analyse(TEMPLATES["tailoring"])
    cards = dict(text.cards(a, "PHP", "en"))
    assert cards["Start-up money needed"] == text.money(a.capital.total, "PHP", "en")
    assert cards["Profit in the first year"] == text.money(a.totals["expected"].profit, "PHP", "en")
    assert cards["Break-even, units a month"] == str(math.ceil(a.break_even.units_per_month))


def test_infinite_amounts_print_as_a_dash_not_an_error():
    plan = BusinessPlan(price=10.0, fixed_costs=100.0, equipment=(Equipment("Table", 10.0, 1),))
    a = analyse(plan)
    assert not math.isfinite(a.costing.cost_per_unit)
    assert text.money(a.costing.cost_per_unit, "PHP", "en") == "—"
    assert text.sentences(a, "PHP", "en")  # no exception


def test_the_home_countries_examples_speak_every_language_both_ways():
    """Issue 12: Sri's, Sunita's, Nok's and Carmen's businesses are translated like the
    templates (their name, profile, items and funding names)."""
    from widgets.countries import example_business_plan

    for currency in ("IDR", "NPR", "THB", "MXN"):
        plan = example_business_plan(currency)
        words = {plan.name, *(e.name for e in plan.equipment), *(f.name for f in plan.funding),
                 *dataclasses.asdict(plan.profile).values()} - {""}
        for word in words:
            for lang in ("fil", "id"):
                translated = text.name_of(word, lang)
                assert translated != word, (lang, word)  # translated, not left in English
                assert text.name_of(translated, "en") == word
