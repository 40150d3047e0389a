"""Hypothesis strategies for the savings model: valid plans, kept small so tests stay fast."""

from __future__ import annotations

import pandas as pd
from hypothesis import assume
from hypothesis import strategies as st

from widgets import loans
from widgets.checks import PlanError
from widgets.savings.model import Goal, Loan, Plan, SavingsGroup, Shocks


def amounts(high: float = 60_000.0) -> st.SearchStrategy[float]:
    """A monthly amount, with zero and round numbers likely."""
    return st.one_of(st.just(0.0), st.floats(0.0, high, allow_nan=False, allow_infinity=False))


def rates(high: float = 30.0) -> st.SearchStrategy[float]:
    return st.one_of(st.just(0.0), st.floats(0.0, high, allow_nan=False))


@st.composite
def debts(draw: st.DrawFn) -> Loan:
    """A debt: mostly a recruitment-fee loan repaid at a payment that covers the first month's
    interest, sometimes another kind of loan (a daily 5-6, a pawnshop, a relative)."""
    principal = draw(st.floats(1.0, 200_000.0))
    kind = draw(st.sampled_from(["repaid_by"] * 4 + ["five_six", "pawnshop", "relative"]))
    if kind == "five_six":
        return loans.five_six(principal, draw(st.integers(1, 60)),
                              draw(st.sampled_from(["day", "week", "month"])))
    if kind == "pawnshop":
        return loans.pawnshop(principal, monthly_rate_pct=draw(rates(10.0)),
                              months=draw(st.integers(1, 24)))
    if kind == "relative":
        return loans.relative(principal, draw(st.integers(1, 36)))
    rate = draw(rates(60.0))
    extra = draw(st.floats(1.0, 20_000.0))
    try:
        return loans.repaid_by(principal, yearly_rate_pct=rate,
                               payment=principal * rate / 1200.0 + extra)
    except PlanError as err:  # more than 30 years to repay: not a plan anyone makes
        assume(err.code != "takes_too_long")
        raise


@st.composite
def groups(draw: st.DrawFn, months: int) -> SavingsGroup:
    members = draw(st.integers(2, 24))
    return SavingsGroup(
        contribution=draw(amounts(5_000.0)),
        members=members,
        payout_turn=draw(st.integers(1, members)),
        start_month=draw(st.integers(0, months - 1)),
    )


@st.composite
def shocks(draw: st.DrawFn, months: int) -> Shocks:
    month = st.integers(0, months - 1)
    return Shocks(
        early_return_month=draw(st.none() | st.integers(0, months)),
        remittance_stops=tuple(draw(st.lists(month, max_size=4))),
        income_cut_pct=draw(rates(100.0)),
        income_cut_from=draw(month),
    )


@st.composite
def plans(draw: st.DrawFn, max_months: int = 120, max_scenarios: int = 8) -> Plan:
    """A valid plan: every field inside the ranges that ``validate`` accepts."""
    months = draw(st.integers(12, max_months))
    goal = st.builds(
        Goal,
        name=st.sampled_from(["House repair", "Business capital", "School fees", "Bahay"]),
        amount=amounts(300_000.0),
        target_month=st.integers(0, months - 1),
    )
    return Plan(
        months=months,
        return_month=draw(st.integers(0, months)),
        income_abroad=draw(amounts(80_000.0)),
        spending_abroad=draw(amounts(20_000.0)),
        remittance=draw(amounts(40_000.0)),
        transfer_fee=draw(amounts(1_000.0)),
        fx_margin_pct=draw(rates(10.0)),
        expenses_before=draw(amounts(40_000.0)),
        expenses_after=draw(amounts(40_000.0)),
        inflation_yearly_pct=draw(st.floats(-10.0, 30.0)),
        local_income=draw(amounts(40_000.0)),
        personal_savings=draw(amounts(500_000.0)),
        personal_yearly_rate_pct=draw(rates()),
        family_savings=draw(amounts(200_000.0)),
        family_yearly_rate_pct=draw(rates()),
        emergency_months=draw(st.floats(0.0, 12.0)),
        goals=tuple(draw(st.lists(goal, max_size=3))),
        debt=draw(st.none() | debts()),
        group=draw(st.none() | groups(months)),
        shocks=draw(shocks(months)),
        income_variability_pct=draw(rates(60.0)),
        scenarios=draw(st.integers(1, max_scenarios)),
        seed=draw(st.integers(0, 2**32)),
    )


def money_residual(table: pd.DataFrame, plan: Plan) -> pd.Series:
    """Money in minus money out minus the change in savings, month by month, in whole cents
    as a spreadsheet of the table would add them: should be exactly 0.

    Money in: income, the group's pot, interest on both balances, and ``unfunded`` (money the
    household spends without having it). Money out: her costs abroad, the cost of sending
    money home (fee and exchange margin), the family's expenses, the debt payment and the
    group contribution. The remittance itself only moves money from her to the family.
    """
    c = (table.drop(columns=["month", "at_home"]) * 100).round().astype("int64")
    personal_before = c.personal_savings.shift(1, fill_value=round(plan.personal_savings * 100))
    family_before = c.family_savings.shift(1, fill_value=round(plan.family_savings * 100))
    money_in = c.income + c.group_payout + c.personal_interest + c.family_interest + c.unfunded
    money_out = (c.spending_abroad + c.remitting_cost + c.expenses + c.debt_payment
                 + c.group_contribution)
    change = c.personal_savings - personal_before + c.family_savings - family_before
    return money_in - money_out - change
