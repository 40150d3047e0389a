"""Properties of the business-plan model that hold for every valid plan (hypothesis)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.business.strategies import plans
from widgets import loans as widget_loans
from widgets.business.model import (
    CASES,
    BusinessPlan,
    BusinessPlanError,
    Equipment,
    Funding,
    analyse,
    break_even,
    cash_gap,
    costing,
    monthly_plan,
    sensitivity,
    validate,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(plans())
def test_loan_months_add_up_to_the_schedules(plan):
    """Each month's loan payments and interest are the loans' own, to the cent."""
    table = monthly_plan(plan)
    payment = np.zeros(12)
    interest = np.zeros(12)
    for item in plan.funding:
        if isinstance(item, widget_loans.Loan):
            paid, charged, _principal, _owed = widget_loans.by_month(item, 12)
            payment += paid
            interest += charged
    assert np.allclose(table.loan_payment, payment, atol=1e-6)
    assert np.allclose(table.interest, interest, atol=1e-6)


@SETTINGS
@given(plans())
def test_closing_cash_is_the_next_opening(plan):
    table = monthly_plan(plan)
    assert (table.opening_cash.to_numpy()[1:] == table.closing_cash.to_numpy()[:-1]).all()
    c = (table[["opening_cash", "cash_in", "cash_out", "closing_cash"]] * 100).round()
    assert (c.opening_cash + c.cash_in - c.cash_out == c.closing_cash).all()  # to the cent
    assert (table.cash_short == (table.closing_cash < -0.005)).all()


@SETTINGS
@given(plans())
def test_money_is_counted_once(plan):
    """Over the year, cash collected is sales less what customers still owe at the end."""
    table = monthly_plan(plan)
    sales = round(table.sales.iloc[-1] * 100)
    owed = sales - math.floor(sales * (1 - plan.credit_sales_pct / 100) + 0.5)
    assert round(table.cash_in.sum() * 100) == round(table.sales.sum() * 100) - owed


@SETTINGS
@given(plans(), st.floats(0.0, 500.0))
def test_a_higher_price_never_lowers_profit(plan, more):
    before = monthly_plan(plan).profit.to_numpy()
    after = monthly_plan(replace(plan, price=plan.price + more)).profit.to_numpy()
    assert (after >= before - 0.005).all()


@SETTINGS
@given(plans(price_covers_unit_cost=True))
def test_worst_expected_best_are_ordered(plan):
    totals = analyse(plan).totals
    scale = 0.12 + 1e-9 * abs(totals["best"].profit)  # each month is rounded to the cent
    assert totals["worst"].profit <= totals["expected"].profit + scale
    assert totals["expected"].profit <= totals["best"].profit + scale


@SETTINGS
@given(plans(), st.floats(1.0, 50.0))
def test_sensitivity_is_symmetric_with_the_right_signs(plan, change):
    s = sensitivity(plan, change)
    scale = 0.25 + 1e-7 * float(np.abs(s.to_numpy()).max())  # months rounded to the cent
    for driver in s.index:
        up = s.loc[driver, "plus"] - s.loc[driver, "base"]
        down = s.loc[driver, "base"] - s.loc[driver, "minus"]
        assert up == pytest.approx(down, abs=scale)
    price_up = s.loc["price", "plus"] - s.loc["price", "base"]
    cost_up = s.loc["cost", "plus"] - s.loc["cost", "base"]
    volume_up = s.loc["volume", "plus"] - s.loc["volume", "base"]
    assert price_up >= -scale and cost_up <= scale
    contribution = plan.price - plan.materials_per_unit - plan.labour_per_unit
    assert volume_up * contribution >= -scale * max(1.0, abs(contribution))
    assert s.loc["price", "base"] == pytest.approx(monthly_plan(plan).profit.sum(), abs=scale)


@SETTINGS
@given(plans())
def test_break_even_covers_fixed_costs(plan):
    b, c = break_even(plan), costing(plan)
    if c.contribution_per_unit > 0:
        fixed = c.fixed_costs + c.depreciation_per_month
        assert b.units_per_month * c.contribution_per_unit == pytest.approx(fixed, rel=1e-9, abs=1e-9)
        fixed += b.loan_interest_per_month
        assert b.units_with_interest * c.contribution_per_unit == pytest.approx(fixed, rel=1e-9, abs=1e-9)
    else:
        assert math.isinf(b.units_per_month)


@SETTINGS
@given(plans())
def test_the_extra_money_closes_the_gap(plan):
    gap = cash_gap(plan)
    if gap.first_short_month is None:
        assert gap.extra_needed == 0.0
        return
    top_up = Funding("More savings", "own_savings", gap.extra_needed + 0.01)
    assume(gap.extra_needed < 1e11)
    assert cash_gap(replace(plan, funding=(*plan.funding, top_up))).first_short_month is None


@SETTINGS
@given(plans())
def test_analyse_holds_together(plan):
    a = analyse(plan)
    assert set(a.tables) == set(CASES) == set(a.totals)
    monthly = (1 + plan.discount_yearly_rate_pct / 100) ** (1 / 12) - 1
    assert a.investment.npv == pytest.approx(float(npf.npv(monthly, a.investment.flows)),
                                             rel=1e-9, abs=1e-6)
    assert len(a.investment.flows) == 12 * plan.horizon_years + 1
    if a.investment.irr_monthly_pct is not None:  # the IRR makes the NPV zero
        flows, rate = a.investment.flows, a.investment.irr_monthly_pct / 100
        npv = float(npf.npv(rate, flows))
        terms = float(np.abs(flows / (1 + rate) ** np.arange(len(flows))).sum())
        assert abs(npv) <= 1e-9 * terms
    assert len(a.rates) == len(a.schedules) == len(plan.funding)
    codes = {w.code for w in a.warnings}
    assert ("cash_runs_out" in codes) == (a.gap.first_short_month is not None)


# Each corruption puts one bad value into one field of a valid plan; the error must name it.
CORRUPTIONS = {
    "price": lambda p, bad: replace(p, price=bad),
    "units_per_month": lambda p, bad: replace(p, units_per_month=bad),
    "first_stock": lambda p, bad: replace(p, first_stock=bad),
    "seasonality[{k}]": lambda p, bad, k: replace(
        p, seasonality=p.seasonality[:k] + (bad,) + p.seasonality[k + 1:]),
    "equipment[{k}].cost": lambda p, bad, k: replace(
        p, equipment=p.equipment[:k] + (Equipment("Bad", bad, 2.0),) + p.equipment[k + 1:]),
    "funding[{k}].amount": lambda p, bad, k: replace(
        p, funding=p.funding[:k] + (Funding("Bad", "grant", bad),) + p.funding[k + 1:]),
}
BAD_VALUES = st.sampled_from([float("nan"), float("inf"), -1.0, -0.01, 5e12])


@SETTINGS
@given(plans(), st.sampled_from(sorted(CORRUPTIONS)), BAD_VALUES, st.integers(0, 11))
def test_a_bad_value_is_named(plan, field, bad, k):
    if "{k}" in field:
        size = {"s": 12, "e": len(plan.equipment), "f": len(plan.funding)}[field[0]]
        assume(size > 0)
        k %= size
        broken = CORRUPTIONS[field](plan, bad, k)
        field = field.format(k=k)
    else:
        broken = CORRUPTIONS[field](plan, bad)
    with pytest.raises(BusinessPlanError) as err:
        validate(broken)
    assert err.value.field == field
    assert err.value.code in {"not_a_number", "negative", "too_large"}


def test_strategy_plans_are_valid_and_varied():
    """The strategy itself: its plans validate (else every property above is vacuous)."""
    seen = []

    @settings(max_examples=60, deadline=None, database=None)
    @given(plans())
    def collect(plan):
        validate(plan)
        seen.append(plan)

    collect()
    assert len({p.price for p in seen}) > 5
    assert any(p.funding for p in seen) and any(p.equipment for p in seen)
    assert isinstance(seen[0], BusinessPlan)
