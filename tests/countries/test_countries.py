"""The home countries and their illustrative example plans (widgets/countries.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from widgets.business.model import analyse
from widgets.countries import (
    COUNTRIES,
    country_for_currency,
    example_business_plan,
    example_savings_plan,
    savings_what_if,
)
from widgets.money import CURRENCIES
from widgets.savings.model import Plan, summarize, validate

HOME = ("IDR", "NPR", "THB", "MXN")
GROUPS = {"PH": "paluwagan", "ID": "arisan", "NP": "dhikuti", "TH": "len share", "MX": "tanda"}


def test_the_five_countries_of_the_course_with_their_savings_groups():
    assert {code: c.savings_group for code, c in COUNTRIES.items()} == GROUPS
    for code, country in COUNTRIES.items():
        assert country.code == code and country.currency in CURRENCIES
        assert country_for_currency(country.currency) is country
    assert country_for_currency("USD") is None and country_for_currency("EUR") is None


@pytest.mark.parametrize("currency", HOME)
def test_a_savings_example_in_each_currency(currency):
    plan = example_savings_plan(currency)
    validate(plan)
    default = Plan()
    assert plan != default
    # the same shape as the default example: only the amounts change
    assert (plan.months, plan.return_month, plan.group.members, plan.group.payout_turn) == (
        default.months, default.return_month, default.group.members, default.group.payout_turn)
    assert [g.name for g in plan.goals] == [g.name for g in default.goals], (
        "the goal names are the default's, so the app's catalogs translate them")
    # round numbers a person can read, not converted prices with odd digits
    for amount in (plan.income_abroad, plan.remittance, plan.expenses_after, plan.local_income,
                   plan.group.contribution):
        assert amount > 0 and amount % 50 == 0, amount
    summary = summarize(plan)
    assert summary.savings_at_return > 0 and summary.debt_free_month is not None


def test_pesos_and_dollars_keep_the_philippine_example():
    assert example_savings_plan("PHP") == replace(Plan(), local_income=15_000) == example_savings_plan("USD")


@pytest.mark.parametrize("currency", ("PHP",) + HOME)
def test_the_example_works_and_its_what_if_does_not(currency):
    """The example opens without a warning; the "what if" (less income after her return)
    shows the savings running out."""
    plan = example_savings_plan(currency)
    assert summarize(plan).total_unfunded == 0
    worse = replace(plan, **savings_what_if(currency))
    assert worse.local_income < plan.local_income
    assert summarize(worse).total_unfunded > 0


@pytest.mark.parametrize("currency", HOME)
def test_a_business_example_in_each_currency(currency):
    plan = example_business_plan(currency)
    result = analyse(plan)
    assert result.capital.total == pytest.approx(sum(item.amount for item in plan.funding))
    assert not result.warnings, [w.code for w in result.warnings]
    assert result.totals["expected"].profit > 0 and result.totals["expected"].lowest_cash >= 0
    assert result.totals["worst"].profit < result.totals["expected"].profit
    text = (plan.name + plan.profile.owner + plan.profile.idea).lower()
    for trade in ("food", "sewing", "tailor", "store", "cook"):
        assert trade not in text, "women in trades beyond food and sewing"
    country = country_for_currency(currency)
    turn = [item for item in plan.funding if country.savings_group in item.name]
    assert turn, "her turn in the country's savings group is part of the start-up money"
    group = example_savings_plan(currency).group
    assert turn[0].amount == group.contribution * group.members, (
        "the pot of the savings example's group")


def test_no_business_example_where_the_simulator_has_its_own():
    assert example_business_plan("PHP") is None and example_business_plan("USD") is None
