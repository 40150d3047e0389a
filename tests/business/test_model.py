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

from widgets.business import model
from widgets.business.model import (
    CASES,
    MONTHLY_COLUMNS,
    SCHEDULE_COLUMNS,
    TEMPLATES,
    BusinessPlan,
    BusinessPlanError,
    Equipment,
    Funding,
    Profile,
    analyse,
    break_even,
    case_plan,
    cash_gap,
    costing,
    five_six,
    investment,
    loan_schedule,
    monthly_plan,
    sensitivity,
    startup_capital,
    true_annual_rate,
    validate,
)

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
        credit_sales_share=0.5,
        funding=(Funding("Savings", "own_savings", 10_000.0),
                 Funding("Family loan", "family", 6_000.0, 0.0, "declining", 6)),
    )
    return replace(plan, **changes)


# --------------------------------------------------------------------------------------------
# Loans
# --------------------------------------------------------------------------------------------


class TestLoanSchedule:
    def test_declining_by_hand(self):
        # 30,000 at 12 % a year: r = 1 % a month. Payment = 30,000 * 0.01 / (1 - 1.01**-12)
        # = 300 / 0.112551 = 2,665.46. Month 1: interest 300, principal 2,365.46.
        table = loan_schedule(Funding("Coop", "cooperative", 30_000, 0.12, "declining", 12))
        assert list(table.columns) == list(SCHEDULE_COLUMNS)
        assert table.month.tolist() == list(range(1, 13))
        assert table.payment.iloc[0] == pytest.approx(2_665.46, abs=CENT)
        assert table.interest.iloc[0] == pytest.approx(300.0, abs=CENT)
        assert table.principal.iloc[0] == pytest.approx(2_365.46, abs=CENT)
        assert table.balance.iloc[0] == pytest.approx(30_000 - 2_365.46, abs=CENT)
        # month 2's interest is 1 % of what is still owed
        assert table.interest.iloc[1] == pytest.approx(0.01 * table.balance.iloc[0], abs=1e-9)
        assert np.allclose(table.payment, table.payment.iloc[0])

    def test_declining_agrees_with_npf_month_by_month(self):
        loan = Funding("Bank", "bank", 80_000, 0.18, "declining", 24)
        table = loan_schedule(loan)
        r, n = 0.18 / 12, 24
        for k in range(n):  # one month at a time, as a person would look it up
            assert table.payment.iloc[k] == pytest.approx(float(-npf.pmt(r, n, 80_000)), abs=1e-9)
            assert table.interest.iloc[k] == pytest.approx(float(-npf.ipmt(r, k + 1, n, 80_000)), abs=1e-9)
            assert table.principal.iloc[k] == pytest.approx(float(-npf.ppmt(r, k + 1, n, 80_000)), abs=1e-9)

    @pytest.mark.parametrize("loan", [
        Funding("Coop", "cooperative", 30_000, 0.12, "declining", 12),
        Funding("Bank", "bank", 123_456.78, 0.215, "declining", 37),
        Funding("MFI", "microfinance", 50_000, 0.025, "flat", 16),
        Funding("Interest-free", "family", 10_000, 0.0, "declining", 7),
        five_six(5_000, months=3),
    ], ids=lambda f: f.name)
    def test_principal_adds_up_to_the_loan(self, loan):
        table = loan_schedule(loan)
        assert abs(table.principal.sum() - loan.amount) < CENT
        assert table.balance.iloc[-1] == 0.0
        assert np.allclose(table.payment, table.interest + table.principal)
        assert (np.diff(table.balance) <= 1e-9).all()  # the balance only goes down
        assert len(table) == loan.months

    def test_flat_rate_by_hand(self):
        # 10,000 at 3 % a month flat over 10 months: 300 interest every month, 1,000 principal:
        # 1,300 a month, 13,000 in all.
        table = loan_schedule(Funding("MFI", "microfinance", 10_000, 0.03, "flat", 10))
        assert table.interest.tolist() == [300.0] * 10
        assert table.principal.tolist() == [1_000.0] * 10
        assert table.payment.sum() == pytest.approx(13_000.0)
        assert table.balance.tolist()[:3] == [9_000.0, 8_000.0, 7_000.0]

    def test_zero_rate_is_equal_shares(self):
        table = loan_schedule(Funding("Family", "family", 12_000, 0.0, "declining", 12))
        assert table.payment.tolist() == [1_000.0] * 12
        assert table.interest.sum() == 0.0

    @pytest.mark.parametrize("money", [
        Funding("My savings", "own_savings", 50_000),
        Funding("Gift", "family", 10_000, 0.0, "declining", 0),
        Funding("Empty loan", "bank", 0.0, 0.1, "declining", 12),
    ])
    def test_money_not_repaid_has_an_empty_schedule(self, money):
        table = loan_schedule(money)
        assert table.empty and list(table.columns) == list(SCHEDULE_COLUMNS)


class TestTrueAnnualRate:
    def test_five_six_one_month(self):
        # borrow 5,000, repay 6,000 a month later: 20 % a month; (1.2)**12 = 8.9161,
        # so the effective annual rate is 791.6 %.
        loan = five_six(5_000)
        assert float(npf.rate(1, -6_000, 5_000, 0)) == pytest.approx(0.2)
        assert true_annual_rate(loan) == pytest.approx(1.2**12 - 1, rel=1e-9)
        assert true_annual_rate(loan) == pytest.approx(7.9161, abs=1e-4)

    def test_five_six_is_twenty_percent_whatever_the_term(self):
        for months in (1, 2, 4, 12):
            table = loan_schedule(five_six(5_000, months=months))
            assert table.payment.sum() == pytest.approx(6_000.0)

    def test_flat_agrees_with_npf_rate_on_the_schedule(self):
        loan = Funding("MFI", "microfinance", 30_000, 0.02, "flat", 12)
        payment = loan_schedule(loan).payment.iloc[0]
        assert payment == pytest.approx(3_100.0)  # 30,000 * (1 + 0.02 * 12) / 12
        monthly = float(npf.rate(12, -payment, 30_000, 0))
        assert true_annual_rate(loan) == pytest.approx((1 + monthly) ** 12 - 1, rel=1e-9)
        assert true_annual_rate(loan) > 0.24 * 2  # far above the "24 % a year" it sounds like

    def test_declining_is_the_compounded_rate(self):
        loan = Funding("Coop", "cooperative", 30_000, 0.12, "declining", 12)
        assert true_annual_rate(loan) == pytest.approx(1.01**12 - 1, rel=1e-12)
        # and it is the internal rate of return of the real repayments
        flows = np.concatenate(([-30_000.0], loan_schedule(loan).payment.to_numpy()))
        assert (1 + float(npf.irr(flows))) ** 12 - 1 == pytest.approx(true_annual_rate(loan), rel=1e-7)

    def test_steep_flat_loan_uses_the_bisection_fallback(self):
        loan = Funding("Lender", "informal", 1_000, 1.0, "flat", 120)  # 100 % a month flat
        payment = loan_schedule(loan).payment.iloc[0]
        monthly = (1 + true_annual_rate(loan)) ** (1 / 12) - 1
        assert float(npf.pv(monthly, 120, -payment)) == pytest.approx(1_000, rel=1e-6)

    @pytest.mark.parametrize("money", [
        Funding("My savings", "own_savings", 50_000),
        Funding("Interest-free", "family", 10_000, 0.0, "flat", 10),
    ])
    def test_money_without_interest_costs_nothing(self, money):
        assert true_annual_rate(money) == 0.0

    def test_five_six_needs_at_least_one_month(self):
        with pytest.raises(BusinessPlanError) as err:
            five_six(5_000, months=0)
        assert err.value.field == "months"


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
        assert c.margin_pct == pytest.approx(0.10)
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
            step = table.opening_cash + table.cash_in - table.cash_out
            assert np.allclose(step, table.closing_cash, atol=1e-6)

    def test_identities(self):
        table = monthly_plan(TEMPLATES["tricycle"])
        assert np.allclose(table.profit, table.sales - table.materials - table.labour
                           - table.fixed_costs - table.depreciation - table.interest)
        assert np.allclose(table.cash_out, table.materials + table.labour + table.fixed_costs
                           + table.loan_payment)

    def test_interest_comes_from_the_loan_schedules(self):
        plan = reference_plan(funding=(
            Funding("Coop", "cooperative", 20_000, 0.12, "declining", 24),  # runs past month 12
            Funding("MFI", "microfinance", 12_000, 0.02, "flat", 6),
        ))
        table = monthly_plan(plan)
        coop = loan_schedule(plan.funding[0])
        mfi = loan_schedule(plan.funding[1])
        interest = coop.interest.to_numpy()[:12] + np.r_[mfi.interest.to_numpy(), np.zeros(6)]
        payment = coop.payment.to_numpy()[:12] + np.r_[mfi.payment.to_numpy(), np.zeros(6)]
        assert np.allclose(table.interest, interest)
        assert np.allclose(table.loan_payment, payment)

    def test_credit_sales_lag_one_month(self):
        table = monthly_plan(reference_plan(credit_sales_share=1.0))
        assert table.cash_in.iloc[0] == 0.0
        assert table.cash_in.iloc[1:].tolist() == table.sales.iloc[:-1].tolist()

    def test_equipment_written_off_within_the_year(self):
        # 3,000 over 0.25 years = 3 months: 1,000 a month, then nothing
        table = monthly_plan(BusinessPlan(equipment=(Equipment("Tools", 3_000, 0.25),)))
        assert table.depreciation.tolist() == pytest.approx([1_000.0] * 3 + [0.0] * 9)
        # 1,000 over 0.2 years = 2.4 months: a part month at the end
        table = monthly_plan(BusinessPlan(equipment=(Equipment("Tools", 1_000, 0.2),)))
        assert table.depreciation.sum() == pytest.approx(1_000.0)
        assert table.depreciation.iloc[2] == pytest.approx(1_000 / 2.4 * 0.4)

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
            assert b.sales_per_month == pytest.approx(b.units_per_month * plan.price)

    def test_at_break_even_the_profit_before_interest_is_zero(self):
        plan = reference_plan(funding=(), units_per_month=80.0, seasonality=(1.0,) * 12)
        assert monthly_plan(plan).profit.sum() == pytest.approx(0.0, abs=1e-6)

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
        assert inv.irr_monthly == pytest.approx(0.05, abs=1e-9)
        assert inv.irr == pytest.approx(1.05**12 - 1, rel=1e-8)

    @pytest.mark.parametrize("name", sorted(TEMPLATES))
    def test_npv_and_irr_agree_with_npf(self, name):
        plan = replace(TEMPLATES[name], horizon_years=1)  # npf.irr is reliable on short series
        inv = investment(plan)
        monthly = (1 + plan.discount_rate) ** (1 / 12) - 1
        assert inv.npv == pytest.approx(float(npf.npv(monthly, inv.flows)), rel=1e-9, abs=1e-6)
        reference = float(npf.irr(inv.flows))
        assert math.isfinite(reference)
        assert inv.irr_monthly == pytest.approx(reference, abs=1e-8)

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
        assert model._irr(np.array(flows, dtype=float)) == pytest.approx(float(npf.irr(flows)), abs=1e-10)

    def test_irr_none_when_every_flow_has_one_sign(self):
        assert model._irr(np.array([-5.0, -1.0, 0.0])) is None
        assert model._irr(np.array([0.0, 1.0, 2.0])) is None

    def test_never_paid_back(self):
        inv = investment(reference_plan(price=55.0))  # contribution 5 a unit: far too little
        assert inv.payback_months is None and inv.npv < 0

    def test_no_irr_without_an_investment(self):
        inv = investment(BusinessPlan(price=10, units_per_month=10))
        assert inv.irr is None and inv.payback_months == 0


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
        s = sensitivity(plan, change=0.2)
        assert s.loc["price", "plus"] == pytest.approx(monthly_plan(replace(plan, price=plan.price * 1.2)).profit.sum())
        cheaper = replace(plan, materials_per_unit=plan.materials_per_unit * 0.8)
        assert s.loc["cost", "minus"] == pytest.approx(monthly_plan(cheaper).profit.sum())
        assert s.loc["volume", "base"] == pytest.approx(monthly_plan(plan).profit.sum())

    @pytest.mark.parametrize("change", [0.0, 1.0, -0.1, float("nan")])
    def test_bad_change(self, change):
        with pytest.raises(BusinessPlanError) as err:
            sensitivity(reference_plan(), change)
        assert err.value.field == "change"


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
        found = codes(reference_plan(), repayment_share_limit=0.2)["repayments_eat_profit"]
        assert found["share"] == pytest.approx(6_000 / 29_000)
        assert found["payments"] == pytest.approx(6_000.0) and found["limit"] == 0.2
        loss = codes(reference_plan(price=60.0))["repayments_eat_profit"]
        assert math.isinf(loss["share"])  # 1,300 * 10 - 36,000 < 0: nothing to repay from

    def test_informal_loan(self):
        plan = reference_plan(funding=(*reference_plan().funding, five_six(5_000)))
        found = codes(plan)["informal_loan"]
        assert found["index"] == 2 and found["rate"] == pytest.approx(1.2**12 - 1)

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
            pd.testing.assert_frame_equal(table, loan_schedule(item))
        assert a.rates == [true_annual_rate(f) for f in plan.funding]

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
    ({"credit_sales_share": 1.5}, "credit_sales_share", "out_of_range"),
    ({"credit_sales_share": -0.1}, "credit_sales_share", "out_of_range"),
    ({"horizon_years": 0}, "horizon_years", "out_of_range"),
    ({"horizon_years": 11}, "horizon_years", "out_of_range"),
    ({"horizon_years": 3.0}, "horizon_years", "not_an_integer"),
    ({"discount_rate": 2.0}, "discount_rate", "out_of_range"),
    ({"profile": Profile(owner=5)}, "profile.owner", "not_text"),
    ({"name": "x" * 5000}, "name", "too_long"),
    ({"funding": (Funding("Savings", "own_savings", 1.0), Funding("Loan", "bank", 1_000, 0.1, months=0))},
     "funding[1].months", "zero_months"),
    ({"funding": (Funding("Loan", "uncle", 1_000),)}, "funding[0].source", "not_a_source"),
    ({"funding": (Funding("Loan", "", 1_000),)}, "funding[0].source", "required"),
    ({"funding": (Funding("Loan", "bank", 1_000, 0.1, "simple", 12),)}, "funding[0].rate_basis", "not_a_basis"),
    ({"funding": (Funding("Loan", "bank", 1_000, -0.1, "declining", 12),)}, "funding[0].rate", "negative"),
    ({"funding": (Funding("Loan", "bank", 1_000, 2.0, "flat", 12),)}, "funding[0].rate", "too_large"),
    ({"funding": (Funding("Loan", "bank", 1_000, 0.1, "flat", 12.5),)}, "funding[0].months", "not_an_integer"),
    ({"funding": (Funding("Loan", "bank", 1_000, 0.1, "flat", 361),)}, "funding[0].months", "out_of_range"),
    ({"funding": (Funding("Loan", "bank", float("nan")),)}, "funding[0].amount", "not_a_number"),
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

    def test_loan_without_interest_may_have_no_months(self):
        validate(reference_plan(funding=(Funding("Family", "family", 5_000, 0.0, months=0),)))
        validate(reference_plan(funding=(Funding("Empty", "bank", 0.0, 0.1, months=0),)))

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
        source = Path(model.__file__).read_text()
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
