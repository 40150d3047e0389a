"""Hypothesis strategies for the savings model: valid plans, kept small so tests stay fast."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

from widgets.savings.model import Debt, Goal, Plan, SavingsGroup, Shocks


def amounts(high: float = 60_000.0) -> st.SearchStrategy[float]:
    """A monthly amount, with zero and round numbers likely."""
    return st.one_of(st.just(0.0), st.floats(0.0, high, allow_nan=False, allow_infinity=False))


def rates(high: float = 30.0) -> st.SearchStrategy[float]:
    return st.one_of(st.just(0.0), st.floats(0.0, high, allow_nan=False))


@st.composite
def debts(draw: st.DrawFn) -> Debt:
    """A loan that is repaid: the payment always exceeds the first month's interest."""
    principal = draw(amounts(200_000.0))
    rate = draw(rates(60.0))
    extra = draw(st.floats(1.0, 20_000.0))
    return Debt(principal, rate, principal * rate / 1200.0 + extra)


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
        inflation_pct=draw(st.floats(-10.0, 30.0)),
        local_income=draw(amounts(40_000.0)),
        personal_savings=draw(amounts(500_000.0)),
        personal_rate_pct=draw(rates()),
        family_savings=draw(amounts(200_000.0)),
        family_rate_pct=draw(rates()),
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
    """Money in minus money out minus the change in savings, month by month: should be 0.

    Money in: income, the group's pot, interest on both balances, and ``unfunded`` (money the
    household spends without having it). Money out: her costs abroad, the cost of sending
    money home (fee and exchange margin), the family's expenses, the debt payment and the
    group contribution. The remittance itself only moves money from her to the family.
    """
    personal_before = table.personal_savings.shift(1, fill_value=plan.personal_savings)
    family_before = table.family_savings.shift(1, fill_value=plan.family_savings)
    money_in = (
        table.income
        + table.group_payout
        + table.personal_interest
        + table.family_interest
        + table.unfunded
    )
    money_out = (
        table.spending_abroad
        + table.remitting_cost
        + table.expenses
        + table.debt_payment
        + table.group_contribution
    )
    change = table.personal_savings - personal_before + table.family_savings - family_before
    return money_in - money_out - change
