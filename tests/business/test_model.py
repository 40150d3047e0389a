"""Reference cases for the business-plan model, with the arithmetic written out by hand.

One test class per function, as numpy-financial does. Money is compared to the cent.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest

from widgets import loans
from widgets.business import model, templates
from widgets.business.model import (
    CASES,
    MONTHLY_COLUMNS,
    BusinessPlan,
    BusinessPlanError,
    Equipment,
    Funding,
    Loan,
    Profile,
    analyse,
    break_even,
    case_plan,
    cash_gap,
    costing,
    investment,
    monthly_plan,
    sensitivity,
    startup_capital,
    validate,
)
from widgets.business.templates import TEMPLATES

CENT = 0.005


def reference_plan(**changes) -> BusinessPlan:
    """A small shop whose twelve months are worked out by hand in TestMonthlyPlan.

    Price 100, materials 40 and labour 10 per unit: a contribution of 50 a unit. 100 units in
    an average month, 200 in month 3. Fixed costs 3,000 a month. One machine of 12,000 that
    lasts one year: 1,000 of depreciation a month. Half of each month's sales are paid a
    month later. 10,000 of own savings and an interest-free loan of 6,000 repaid at 1,000 a
    month over six months.
    """
    plan = BusinessPlan(
        name="Reference shop",
        price=100.0,
        materials_per_unit=40.0,
        labour_per_unit=10.0,
        units_per_month=100.0,
        seasonality=(1.0, 1.0, 2.0) + (1.0,) * 9,
        fixed_costs=3_000.0,
        equipment=(Equipment("Machine", 12_000.0, 1.0),),
        preopening=1_000.0,
        first_stock=2_000.0,
        working_capital=3_000.0,
        credit_sales_pct=50.0,
        funding=(Funding("Savings", "own_savings", 10_000.0),
                 loans.relative(6_000.0, payments=6, name="Family loan")),
    )
    return replace(plan, **changes)


# --------------------------------------------------------------------------------------------
# Loans in the plan (the loans themselves: tests/test_loans.py)
# --------------------------------------------------------------------------------------------


class TestLoansInThePlan:
    def test_a_daily_five_six_falls_in_the_first_month(self):
        # borrow 5,000, repay 200 a day for 30 days: all 6,000 is paid in month 1
        plan = reference_plan(funding=(*reference_plan().funding,
                                       loans.five_six(5_000, payments=30, every="day")))
        table = monthly_plan(plan)
        assert table.loan_payment.iloc[0] == 1_000.0 + 6_000.0
        assert table.interest.iloc[0] == pytest.approx(1_000.0)
        assert table.loan_payment.iloc[1] == 1_000.0

    def test_weekly_payments_fall_in_their_months(self):
        loan = loans.microfinance(10_000, flat_monthly_rate_pct=2.5, payments=26, every="week")
        table = monthly_plan(reference_plan(funding=(Funding("Savings", "own_savings", 30_000),
                                                     loan)))
        assert round(table.loan_payment.sum(), 2) == round(loan.total_repaid, 2)
        assert (table.loan_payment.iloc[:6] > 0).all() and (table.loan_payment.iloc[6:] == 0).all()

    def test_the_loans_schedules_are_the_loans_own(self):
        plan = TEMPLATES["sari_sari_store"]
        a = analyse(plan)
        for item, table in a.schedules:
            if isinstance(item, Loan):
                pd.testing.assert_frame_equal(table, loans.schedule(item))
            else:
                assert table.empty


# --------------------------------------------------------------------------------------------
# Capital, costing, the 12 months
# --------------------------------------------------------------------------------------------


class TestStartupCapital:
    def test_by_hand(self):
        c = startup_capital(reference_plan())
        assert (c.equipment, c.preopening, c.first_stock, c.working_capital) == (12_000, 1_000, 2_000, 3_000)
        assert c.total == 18_000.0


class TestCosting:
    def test_by_hand(self):
        # overhead per unit = (3,000 fixed + 1,000 depreciation) / 100 units = 40
        c = costing(reference_plan())
        assert c.overhead_per_unit == pytest.approx(40.0)
        assert c.cost_per_unit == pytest.approx(40 + 10 + 40)
        assert c.margin_per_unit == pytest.approx(10.0)
        assert c.margin_pct == pytest.approx(10.0)  # percent of the price
        assert c.contribution_per_unit == 50.0

    def test_no_units_no_price(self):
        c = costing(BusinessPlan(fixed_costs=1_000))
        assert math.isinf(c.overhead_per_unit) and math.isnan(c.margin_pct)
        assert costing(BusinessPlan()).overhead_per_unit == 0.0


class TestMonthlyPlan:
    def test_columns_and_months(self):
        table = monthly_plan(reference_plan())
        assert list(table.columns) == list(MONTHLY_COLUMNS)
        assert table.month.tolist() == list(range(1, 13))

    def test_by_hand(self):
        table = monthly_plan(reference_plan())
        # opening cash: 16,000 raised - (18,000 start-up - 3,000 working capital) = 1,000
        assert table.opening_cash.iloc[0] == pytest.approx(1_000.0)
        # month 1: sales 10,000, half paid now; out: 4,000 + 1,000 + 3,000 + 1,000 loan
        assert table.sales.iloc[0] == 10_000.0
        assert table.cash_in.iloc[0] == 5_000.0
        assert table.cash_out.iloc[0] == 9_000.0
        # profit: 10,000 - 4,000 - 1,000 - 3,000 - 1,000 depreciation - 0 interest
        assert table.profit.iloc[0] == pytest.approx(1_000.0)
        expected_closing = [-3_000, -2_000, -1_000, 5_000, 6_000, 7_000,  # loan repaid by month 6
                            9_000, 11_000, 13_000, 15_000, 17_000, 19_000]
        # month 3 sells 200 units: in 10,000 + 5,000 owed = 15,000, out 14,000;
        # month 4 collects the other 10,000 of month 3
        assert table.closing_cash.tolist() == pytest.approx(expected_closing)
        assert table.cash_short.tolist() == [True] * 3 + [False] * 9
        assert table.loan_payment.tolist() == [1_000.0] * 6 + [0.0] * 6
        assert table.depreciation.tolist() == pytest.approx([1_000.0] * 12)
        # year: 1,300 units * 50 contribution - 12 * 3,000 - 12,000 depreciation = 17,000
        assert table.profit.sum() == pytest.approx(17_000.0)

    def test_closing_cash_carries_to_next_opening(self):
        for plan in TEMPLATES.values():
            table = monthly_plan(plan)
            assert (table.opening_cash.iloc[1:].to_numpy() == table.closing_cash.iloc[:-1].to_numpy()).all()
            c = (table[["opening_cash", "cash_in", "cash_out", "closing_cash"]] * 100).round()
            assert (c.opening_cash + c.cash_in - c.cash_out == c.closing_cash).all()

    @pytest.mark.parametrize("name", sorted(TEMPLATES))
    def test_identities_to_the_cent(self, name):
        """Every month adds up exactly in cents, as a spreadsheet of the CSV would."""
        table = monthly_plan(TEMPLATES[name])
        c = (table.drop(columns=["month", "units", "cash_short"]) * 100).round().astype("int64")
        assert (c.profit == c.sales - c.materials - c.labour - c.fixed_costs - c.depreciation
                - c.interest).all()
        assert (c.cash_out == c.materials + c.labour + c.fixed_costs + c.loan_payment).all()
        assert np.allclose(table.drop(columns=["month", "units", "cash_short"]) * 100,
                           c, atol=1e-6)  # every amount is a whole number of cents

    def test_interest_comes_from_the_loan_schedules(self):
        plan = reference_plan(funding=(
            loans.cooperative(20_000, yearly_rate_pct=12, months=24),  # runs past month 12
            loans.microfinance(12_000, flat_monthly_rate_pct=2, payments=6),
        ))
        table = monthly_plan(plan)
        coop = loans.schedule(plan.funding[0])
        mfi = loans.schedule(plan.funding[1])
        interest = coop.interest.to_numpy()[:12] + np.r_[mfi.interest.to_numpy(), np.zeros(6)]
        payment = coop.payment.to_numpy()[:12] + np.r_[mfi.payment.to_numpy(), np.zeros(6)]
        assert np.allclose(table.interest, interest)
        assert np.allclose(table.loan_payment, payment)

    def test_credit_sales_lag_one_month(self):
        table = monthly_plan(reference_plan(credit_sales_pct=100.0))
        assert table.cash_in.iloc[0] == 0.0
        assert table.cash_in.iloc[1:].tolist() == table.sales.iloc[:-1].tolist()

    def test_equipment_written_off_within_the_year(self):
        # 3,000 over 0.25 years = 3 months: 1,000 a month, then nothing
        table = monthly_plan(BusinessPlan(equipment=(Equipment("Tools", 3_000, 0.25),)))
        assert table.depreciation.tolist() == pytest.approx([1_000.0] * 3 + [0.0] * 9)
        # 1,000 over 0.2 years = 2.4 months: a part month at the end
        table = monthly_plan(BusinessPlan(equipment=(Equipment("Tools", 1_000, 0.2),)))
        assert table.depreciation.sum() == pytest.approx(1_000.0)
        assert table.depreciation.iloc[2] == pytest.approx(1_000 / 2.4 * 0.4, abs=CENT)

    def test_unknown_case(self):
        with pytest.raises(BusinessPlanError) as err:
            monthly_plan(reference_plan(), "terrible")
        assert (err.value.field, err.value.code) == ("case", "not_a_case")


class TestCases:
    @pytest.mark.parametrize("case", CASES)
    def test_case_plan_gives_the_same_table(self, case):
        plan = TEMPLATES["food_stall"]
        pd.testing.assert_frame_equal(monthly_plan(plan, case), monthly_plan(case_plan(plan, case)))

    def test_factors(self):
        worst = case_plan(reference_plan(), "worst")
        assert (worst.price, worst.units_per_month) == pytest.approx((90.0, 80.0))
        assert (worst.materials_per_unit, worst.labour_per_unit) == pytest.approx((44.0, 11.0))
        assert worst.fixed_costs == 3_000.0  # fixed costs stay
        assert case_plan(reference_plan(), "expected") == reference_plan()

    def test_worst_below_expected_below_best(self):
        for plan in TEMPLATES.values():
            totals = analyse(plan).totals
            assert totals["worst"].profit < totals["expected"].profit < totals["best"].profit


class TestBreakEven:
    def test_by_hand(self):
        # (3,000 fixed + 1,000 depreciation) / 50 contribution = 80 units = 8,000 of sales
        b = break_even(reference_plan())
        assert (b.units_per_month, b.sales_per_month) == pytest.approx((80.0, 8_000.0))

    def test_consistent_with_the_unit_margin(self):
        for plan in TEMPLATES.values():
            b, c = break_even(plan), costing(plan)
            fixed = c.fixed_costs + c.depreciation_per_month
            assert b.units_per_month * c.contribution_per_unit == pytest.approx(fixed)
            with_interest = fixed + b.loan_interest_per_month
            assert b.units_with_interest * c.contribution_per_unit == pytest.approx(with_interest)
            assert b.sales_per_month == pytest.approx(b.units_per_month * plan.price)

    def test_at_break_even_the_profit_before_interest_is_zero(self):
        plan = reference_plan(funding=(), units_per_month=80.0, seasonality=(1.0,) * 12)
        assert monthly_plan(plan).profit.sum() == pytest.approx(0.0, abs=1e-6)

    def test_break_even_says_the_loan_interest_in_and_out(self):
        """Issue 11, point 11: break-even left out loan interest while profit included it,
        without saying so. The price's break-even stays before interest; with the interest
        of year 1, selling that many units every month, the year's profit is zero."""
        loan = loans.cooperative(24_000, yearly_rate_pct=12, months=12)
        plan = reference_plan(funding=(Funding("Savings", "own_savings", 20_000), loan),
                              seasonality=(1.0,) * 12)
        b = break_even(plan)
        assert b.loan_interest_per_month == pytest.approx(loans.schedule(loan).interest.sum() / 12)
        without_loan = break_even(replace(plan, funding=plan.funding[:1]))
        assert b.units_per_month == pytest.approx(without_loan.units_per_month)
        assert b.units_with_interest > b.units_per_month
        even = monthly_plan(replace(plan, units_per_month=b.units_with_interest))
        assert even.profit.sum() == pytest.approx(0.0, abs=0.05)

    @pytest.mark.parametrize("price", [50.0, 30.0])
    def test_never_when_the_price_does_not_cover_unit_cost(self, price):
        b = break_even(reference_plan(price=price))
        assert math.isinf(b.units_per_month) and math.isinf(b.sales_per_month)


class TestCashGap:
    def test_by_hand(self):
        gap = cash_gap(reference_plan())
        assert gap.first_short_month == 1 and gap.extra_needed == pytest.approx(3_000.0)

    def test_the_extra_money_is_just_enough(self):
        for plan in [reference_plan(), TEMPLATES["sari_sari_store"]]:
            plan = replace(plan, seasonality=(0.0,) * 3 + (1.0,) * 9)  # a slow start
            gap = cash_gap(plan)
            assert gap.first_short_month is not None
            more = replace(plan.funding[0], amount=plan.funding[0].amount + gap.extra_needed)
            assert cash_gap(replace(plan, funding=(more, *plan.funding[1:]))).first_short_month is None
            less = replace(more, amount=more.amount - 1.0)
            assert cash_gap(replace(plan, funding=(less, *plan.funding[1:]))).first_short_month is not None

    def test_month_zero_counts(self):
        """Issue 11, point 6: equipment of 150,000 funded by 20,000 is a gap before opening."""
        plan = BusinessPlan(equipment=(Equipment("Motorbike", 150_000, 5),),
                            funding=(Funding("Savings", "own_savings", 20_000),))
        gap = cash_gap(plan)
        assert (gap.first_short_month, gap.extra_needed) == (0, 130_000.0)
        assert monthly_plan(plan).opening_cash.iloc[0] == -130_000.0
        more = replace(plan, funding=(Funding("Savings", "own_savings", 150_000),))
        assert cash_gap(more).first_short_month is None

    def test_no_gap(self):
        assert cash_gap(reference_plan(working_capital=0.0, funding=(
            Funding("Savings", "own_savings", 20_000),))) == model.CashGap(None, 0.0)


class TestInvestment:
    def test_by_hand(self):
        # 100,000 put in; 5,000 a month out for 36 months; the 100,000 of working capital back
        # at the end. 5,000 / 100,000 = 5 % a month: the IRR; payback after 20 months.
        plan = BusinessPlan(price=100, materials_per_unit=50, units_per_month=100,
                            working_capital=100_000, horizon_years=3)
        inv = investment(plan)
        expected = np.r_[-100_000.0, np.full(36, 5_000.0)]
        expected[-1] += 100_000.0
        assert np.allclose(inv.flows, expected)
        assert inv.payback_months == 20
        assert inv.irr_monthly_pct == pytest.approx(5.0, abs=1e-7)
        assert inv.irr_yearly_pct == pytest.approx(100 * (1.05**12 - 1), rel=1e-8)

    @pytest.mark.parametrize("name", sorted(TEMPLATES))
    def test_npv_and_irr_agree_with_npf(self, name):
        plan = replace(TEMPLATES[name], horizon_years=1)  # npf.irr is reliable on short series
        inv = investment(plan)
        monthly = (1 + plan.discount_yearly_rate_pct / 100) ** (1 / 12) - 1
        assert inv.npv == pytest.approx(float(npf.npv(monthly, inv.flows)), rel=1e-9, abs=1e-6)
        reference = float(npf.irr(inv.flows))
        assert math.isfinite(reference)
        assert inv.irr_monthly_pct / 100 == pytest.approx(reference, abs=1e-8)

    def test_flows_repeat_the_year_with_credit_across_the_year_end(self):
        plan = reference_plan(horizon_years=2)
        inv = investment(plan)
        table = monthly_plan(plan)
        operating = (table.cash_in - table.materials - table.labour - table.fixed_costs).to_numpy()
        assert inv.flows[0] == -18_000.0
        assert np.allclose(inv.flows[1:13], operating)
        # month 13 also collects what month 12's customers owed (half of 10,000)
        assert inv.flows[13] == pytest.approx(operating[0] + 5_000.0)
        # the end: working capital 3,000 + first stock 2,000 + 5,000 owed; the machine is
        # fully written off
        assert inv.flows[24] == pytest.approx(operating[11] + 3_000 + 2_000 + 5_000)

    @pytest.mark.parametrize("flows", [
        [-100, 39, 59, 55, 20],  # the examples in numpy-financial's own irr docstring
        [-100, 0, 0, 74],
        [-100, 100, 0, -7],
        [-100, 100, 0, 7],
        [-5, 10.5, 1, -8, 1],  # two roots: the one closest to zero, as npf does
        [-1, *[0] * 10, -7, 1],  # a root far below zero
    ])
    def test_irr_finds_the_root_npf_finds(self, flows):
        assert loans._irr(np.array(flows, dtype=float)) == pytest.approx(float(npf.irr(flows)), abs=1e-10)

    def test_irr_none_when_every_flow_has_one_sign(self):
        assert loans._irr(np.array([-5.0, -1.0, 0.0])) is None
        assert loans._irr(np.array([0.0, 1.0, 2.0])) is None

    def test_never_paid_back(self):
        inv = investment(reference_plan(price=55.0))  # contribution 5 a unit: far too little
        assert inv.payback_months is None and inv.npv < 0

    def test_no_irr_without_an_investment(self):
        inv = investment(BusinessPlan(price=10, units_per_month=10))
        assert inv.irr_yearly_pct is None and inv.payback_months == 0


class TestSensitivity:
    def test_by_hand(self):
        # 1,300 units a year; unit cost 50; fixed 36,000 + 12,000 depreciation = 48,000
        s = sensitivity(reference_plan())
        assert list(s.index) == ["price", "volume", "cost"]
        assert list(s.columns) == ["minus", "base", "plus"]
        assert s.loc["price"].tolist() == pytest.approx([1_300 * 40 - 48_000, 17_000, 1_300 * 60 - 48_000])
        assert s.loc["volume"].tolist() == pytest.approx([1_170 * 50 - 48_000, 17_000, 1_430 * 50 - 48_000])
        assert s.loc["cost"].tolist() == pytest.approx([1_300 * 55 - 48_000, 17_000, 1_300 * 45 - 48_000])

    def test_agrees_with_the_monthly_plan(self):
        plan = TEMPLATES["poultry"]
        s = sensitivity(plan, change_pct=20)
        assert s.loc["price", "plus"] == pytest.approx(monthly_plan(replace(plan, price=plan.price * 1.2)).profit.sum())
        cheaper = replace(plan, materials_per_unit=plan.materials_per_unit * 0.8)
        assert s.loc["cost", "minus"] == pytest.approx(monthly_plan(cheaper).profit.sum())
        assert s.loc["volume", "base"] == pytest.approx(monthly_plan(plan).profit.sum())

    @pytest.mark.parametrize("change", [0.0, 100.0, -10.0, float("nan")])
    def test_bad_change(self, change):
        with pytest.raises(BusinessPlanError) as err:
            sensitivity(reference_plan(), change)
        assert err.value.field == "change_pct"


# --------------------------------------------------------------------------------------------
# Warnings and the analysis
# --------------------------------------------------------------------------------------------


def codes(plan: BusinessPlan, **kwargs) -> dict[str, dict]:
    return {w.code: w.params for w in analyse(plan, **kwargs).warnings}


class TestWarnings:
    def test_cash_runs_out(self):
        found = codes(reference_plan())
        assert found["cash_runs_out"] == {"month": 1, "extra": pytest.approx(3_000.0)}

    def test_no_funding_for_startup(self):
        # 18,000 needed, 16,000 raised
        found = codes(reference_plan())
        assert found["no_funding_for_startup"] == pytest.approx(
            {"startup": 18_000.0, "funding": 16_000.0, "missing": 2_000.0})

    def test_price_below_cost(self):
        found = codes(reference_plan(price=85.0))  # full cost 90, unit cost 50
        assert found["price_below_cost"]["cost_per_unit"] == pytest.approx(90.0)
        assert found["price_below_cost"]["below_variable_cost"] is False
        assert codes(reference_plan(price=45.0))["price_below_cost"]["below_variable_cost"] is True

    def test_repayments_eat_profit(self):
        # operating profit: 1,300 * 50 - 36,000 = 29,000; repayments 6,000 = 20.7 %
        assert "repayments_eat_profit" not in codes(reference_plan())
        found = codes(reference_plan(), repayment_limit_pct=20)["repayments_eat_profit"]
        assert found["share_pct"] == pytest.approx(100 * 6_000 / 29_000)
        assert found["payments"] == pytest.approx(6_000.0) and found["limit_pct"] == 20
        loss = codes(reference_plan(price=60.0))["repayments_eat_profit"]
        assert math.isinf(loss["share_pct"])  # 1,300 * 10 - 36,000 < 0: nothing to repay from

    def test_informal_loan(self):
        plan = reference_plan(funding=(*reference_plan().funding, loans.five_six(5_000)))
        found = codes(plan)["informal_loan"]
        assert found["index"] == 2 and found["apr_pct"] == pytest.approx(240.0)
        assert found["compounded_yearly_pct"] == pytest.approx(100 * (1.2**12 - 1))

    def test_a_sound_plan_has_no_warnings(self):
        plan = reference_plan(funding=(Funding("Savings", "own_savings", 20_000),))
        assert analyse(plan).warnings == []


class TestAnalyse:
    def test_matches_the_single_functions(self):
        plan = TEMPLATES["tailoring"]
        a = analyse(plan)
        for case in CASES:
            pd.testing.assert_frame_equal(a.tables[case], monthly_plan(plan, case))
            assert a.totals[case].profit == pytest.approx(a.tables[case].profit.sum())
            assert a.totals[case].lowest_cash == a.tables[case].closing_cash.min()
        assert a.capital == startup_capital(plan)
        assert a.costing == costing(plan)
        assert a.break_even == break_even(plan)
        assert a.gap == cash_gap(plan)
        assert a.investment.npv == investment(plan).npv
        pd.testing.assert_frame_equal(a.sensitivity, sensitivity(plan))
        assert [f for f, _ in a.schedules] == list(plan.funding)
        for (_, table), item in zip(a.schedules, plan.funding, strict=True):
            if isinstance(item, Loan):
                pd.testing.assert_frame_equal(table, loans.schedule(item))
        assert a.rates == [loans.rates(f) if isinstance(f, Loan) else None for f in plan.funding]

    def test_validates(self):
        with pytest.raises(BusinessPlanError):
            analyse(reference_plan(price=-1.0))


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------

BAD = [
    ({"price": float("nan")}, "price", "not_a_number"),
    ({"price": float("inf")}, "price", "not_a_number"),
    ({"price": -1.0}, "price", "negative"),
    ({"price": True}, "price", "not_a_number"),
    ({"price": "100"}, "price", "not_a_number"),
    ({"units_per_month": 2e12}, "units_per_month", "too_large"),
    ({"fixed_costs": -0.01}, "fixed_costs", "negative"),
    ({"working_capital": float("-inf")}, "working_capital", "not_a_number"),
    ({"seasonality": (1.0,) * 11}, "seasonality", "wrong_length"),
    ({"seasonality": (1.0,) * 13}, "seasonality", "wrong_length"),
    ({"seasonality": (1.0,) * 3 + (-0.5,) + (1.0,) * 8}, "seasonality[3]", "negative"),
    ({"seasonality": (1.0,) * 3 + (float("nan"),) + (1.0,) * 8}, "seasonality[3]", "not_a_number"),
    ({"equipment": (Equipment("Oven", -5.0, 3.0),)}, "equipment[0].cost", "negative"),
    ({"equipment": (Equipment("Oven", 5.0, 0.0),)}, "equipment[0].life_years", "not_positive"),
    ({"equipment": (Equipment("Oven", 5.0, 3.0), Equipment("Van", 5.0, -1.0))},
     "equipment[1].life_years", "not_positive"),
    ({"credit_sales_pct": 150.0}, "credit_sales_pct", "out_of_range"),
    ({"credit_sales_pct": -0.1}, "credit_sales_pct", "out_of_range"),
    ({"horizon_years": 0}, "horizon_years", "out_of_range"),
    ({"horizon_years": 11}, "horizon_years", "out_of_range"),
    ({"horizon_years": 3.0}, "horizon_years", "not_an_integer"),
    ({"discount_yearly_rate_pct": 200.0}, "discount_yearly_rate_pct", "out_of_range"),
    ({"profile": Profile(owner=5)}, "profile.owner", "not_text"),
    ({"name": "x" * 5000}, "name", "too_long"),
    ({"funding": (Funding("Savings", "own_savings", 1.0), Loan("bank", 1_000, 50, 12))},
     "funding[1].payment", "repays_less"),
    ({"funding": (Funding("Gift", "uncle", 1_000),)}, "funding[0].source", "not_a_choice"),
    ({"funding": (Funding("Gift", "", 1_000),)}, "funding[0].source", "required"),
    ({"funding": (Funding("Gift", "grant", float("nan")),)}, "funding[0].amount", "not_a_number"),
    ({"funding": (Loan("uncle", 1_000, 100, 12),)}, "funding[0].kind", "not_a_choice"),
    ({"funding": (Loan("bank", 1_000, 100, 12, "year"),)}, "funding[0].every", "not_a_choice"),
    ({"funding": (Loan("bank", 1_000, -100, 12),)}, "funding[0].payment", "negative"),
    ({"funding": (Loan("bank", 1_000, 100, 12.5),)}, "funding[0].payments", "not_an_integer"),
    ({"funding": (Loan("bank", 1_000, 100, 361),)}, "funding[0].payments", "out_of_range"),
    ({"funding": (Loan("bank", float("nan"), 100, 12),)}, "funding[0].amount", "not_a_number"),
    ({"funding": (Loan("bank", 1_000, 100, 12, yearly_rate_pct=12.0),)}, "funding[0].payment",
     "inconsistent"),
    ({"funding": ("not a funding",)}, "funding[0]", "wrong_type"),
]


class TestValidate:
    @pytest.mark.parametrize(("changes", "field", "code"), BAD, ids=[f"{f}-{c}" for _, f, c in BAD])
    def test_names_the_field(self, changes, field, code):
        with pytest.raises(ValueError) as err:
            validate(reference_plan(**changes))
        assert isinstance(err.value, BusinessPlanError)
        assert (err.value.field, err.value.code) == (field, code)
        assert str(err.value).startswith(field + ":")

    def test_money_not_repaid(self):
        validate(reference_plan(funding=(Funding("Family", "family", 5_000),
                                         Funding("Programme", "grant", 20_000),
                                         Funding("Nothing yet", "own_savings", 0.0))))

    def test_not_a_plan(self):
        with pytest.raises(BusinessPlanError) as err:
            validate({"price": 1})
        assert err.value.field == "plan"

    def test_every_public_function_validates(self):
        bad = reference_plan(price=-1.0)
        for func in (startup_capital, costing, monthly_plan, break_even, cash_gap, investment,
                     sensitivity, analyse):
            with pytest.raises(BusinessPlanError):
                func(bad)


class TestTemplates:
    def test_the_seven_businesses(self):
        assert set(TEMPLATES) == {"sari_sari_store", "food_stall", "tailoring", "tricycle",
                                  "poultry", "pigs", "online_selling"}
        # the numbers are labelled illustrative where the templates are described
        assert "illustrative" in model.__doc__
        source = Path(templates.__file__).read_text()
        assert "Every number is ILLUSTRATIVE" in source[source.index("TEMPLATES: dict"):]

    @pytest.mark.parametrize("name", sorted(TEMPLATES))
    def test_validates_and_analyses(self, name):
        plan = TEMPLATES[name]
        validate(plan)
        a = analyse(plan)
        assert plan.name and plan.profile.owner and plan.profile.idea
        assert plan.funding and a.capital.total > 0
        assert all(len(t) == 12 for t in a.tables.values())
        assert a.totals["expected"].profit > 0  # each example earns something in a normal year
        assert math.isfinite(a.break_even.units_per_month)
        assert a.break_even.units_per_month < plan.units_per_month
        assert a.investment.payback_months is not None
        assert a.gap.first_short_month is None  # each example is funded through its first year
