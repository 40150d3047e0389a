"""widgets/loans.py: every loan a returnee meets, to the cent, and its true cost.

Findings of issue 11 (points 1, 7, 8, 10) each have a test here; the properties run over wide
ranges: rates to 1,000 % a year, terms to 360 months (and 30 years of weeks or days),
amounts to the models' maximum (1e12).
"""

from __future__ import annotations

import math

import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from widgets import loans
from widgets.checks import MAX_AMOUNT, PlanError
from widgets.loans import (
    KINDS,
    Loan,
    bank,
    by_month,
    cooperative,
    declining,
    five_six,
    microfinance,
    pawnshop,
    rates,
    relative,
    repaid_by,
    schedule,
    schedule_cents,
    stated,
)

# --- strategies ----------------------------------------------------------------------------

amounts = st.one_of(
    st.decimals(min_value="1.00", max_value="100000", places=2),
    st.decimals(min_value="1.00", max_value=str(int(MAX_AMOUNT)), places=2),
).map(float)
months = st.integers(1, 360)
yearly_rates = st.one_of(st.floats(0.0, 1000.0), st.sampled_from([0.0, 0.01, 12.0, 1000.0]))


@st.composite
def every_and_count(draw, short: bool = False):
    every = draw(st.sampled_from(["month", "week", "day"]))
    most = {"month": 360, "week": 1560, "day": 3650 if short else 10_950}[every]
    return every, draw(st.integers(1, most))


def within_limits(strategy):
    """Draw from ``strategy``; a loan over the limits (payments adding up to more than
    1e13, more than 30 years) is not drawn."""
    @st.composite
    def draw_one(draw):
        try:
            return draw(strategy())
        except PlanError as err:
            assume(err.code not in ("too_large", "takes_too_long"))
            raise
    return draw_one


@st.composite
def _declining_loans(draw):
    every, count = draw(every_and_count(short=True))
    return declining(draw(st.sampled_from(["bank", "cooperative", "government", "other"])),
                     draw(amounts), yearly_rate_pct=draw(yearly_rates), payments=count,
                     every=every)


@st.composite
def _any_loan(draw):
    kind = draw(st.sampled_from(["declining", "flat", "five_six", "pawnshop", "relative",
                                 "repaid_by", "stated"]))
    amount = draw(amounts)
    if kind == "declining":
        return draw(_declining_loans())
    if kind == "flat":
        every, count = draw(every_and_count(short=True))
        return microfinance(amount, flat_monthly_rate_pct=draw(st.floats(0, 100)),
                            payments=count, every=every)
    if kind == "five_six":
        every, count = draw(every_and_count(short=True))
        return five_six(amount, count, every)
    if kind == "pawnshop":
        return pawnshop(amount, monthly_rate_pct=draw(st.floats(0, 100)), months=draw(months))
    if kind == "relative":
        every, count = draw(every_and_count(short=True))
        return relative(amount, count, every)
    if kind == "repaid_by":
        rate = draw(st.floats(0, 100))
        first_interest = math.floor(round(amount * 100) * rate / 1200 + 0.5) / 100
        payment = draw(st.floats(first_interest + 0.01, amount * 2 + 1))
        return repaid_by(amount, yearly_rate_pct=rate, payment=payment)
    every, count = draw(every_and_count(short=True))
    each = draw(st.floats(math.ceil(amount * 100 / count) / 100, amount * 3 + 1))
    return stated(draw(st.sampled_from(sorted(KINDS))), amount, payment=each, payments=count,
                  every=every) if draw(st.booleans()) else stated(
        "five_six", amount, payment=each, payments=count, every=every)


declining_loans = within_limits(_declining_loans)
any_loan = within_limits(_any_loan)


def cents(series: pd.Series) -> np.ndarray:
    """Money as a spreadsheet holds it, in whole cents."""
    return np.round(series.to_numpy(dtype=float) * 100).astype(np.int64)


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(loan=any_loan())
def test_every_schedule_adds_up_to_the_cent(loan):
    table = schedule(loan)
    payment, interest, principal, balance = (cents(table[c]) for c in
                                              ("payment", "interest", "principal", "balance"))
    amount = round(loan.amount * 100)
    assert len(table) == loan.payments
    assert principal.sum() == amount  # the principal adds up to the amount lent
    assert (payment == interest + principal).all()  # every row, to the cent
    assert (balance >= 0).all() and balance[-1] == 0  # never below zero, repaid at the end
    assert (balance == amount - np.cumsum(principal)).all()
    assert (interest >= 0).all() and (principal >= 0).all()
    assert payment.sum() == round(loan.total_repaid * 100)
    assert payment[-1] == round(loan.last * 100)
    assert (payment[:-1] == round(loan.payment * 100)).all()


@settings(max_examples=300, deadline=None)
@given(loan=declining_loans())
def test_declining_last_payment_is_the_level_payment(loan):
    """With interest, every payment is the same (without, the last takes what is left)."""
    assume(loan.yearly_rate_pct is not None)
    payment, interest, principal, balance = schedule_cents(loan)
    assert abs(int(payment[-1]) - int(payment[0])) <= 1
    assert len(set(payment[:-1].tolist())) <= 1


@settings(max_examples=200, deadline=None)
@given(loan=declining_loans())
def test_declining_interest_is_the_lenders_rate_on_what_is_owed(loan):
    """Each row's interest is the stated rate on what was owed, within a cent or two."""
    assume(loan.yearly_rate_pct is not None)
    payment, interest, principal, balance = schedule_cents(loan)
    owed_before = np.concatenate(([round(loan.amount * 100)], balance[:-1]))
    r = loan.yearly_rate_pct / 100 / loan.per_year
    assert np.all(np.abs(interest - owed_before * r) <= 2 + 1e-9 * owed_before)


@settings(max_examples=200, deadline=None)
@given(loan=any_loan())
def test_the_rate_makes_the_payments_worth_the_amount(loan):
    """At the periodic rate, the payments are worth exactly the amount (npf.npv agrees)."""
    r = rates(loan)
    flows = np.concatenate(([-loan.amount], schedule(loan).payment.to_numpy()))
    i = r.periodic_rate_pct / 100
    assert r.apr_pct == pytest.approx(r.periodic_rate_pct * loans.EVERY[loan.every])
    if loan.yearly_rate_pct is None and len(flows) < 400 and i < 50:
        assert abs(float(npf.npv(i, flows))) <= max(1e-6 * loan.total_repaid, 0.01)
    if math.isfinite(r.compounded_yearly_pct):
        assert r.compounded_yearly_pct >= r.apr_pct - 1e-9 * max(1.0, r.apr_pct)


@settings(max_examples=200, deadline=None)
@given(loan=any_loan(), horizon=st.integers(0, 400))
def test_months_add_up_to_the_schedule(loan, horizon):
    payment, interest, principal, owed = by_month(loan, horizon)
    table = schedule(loan)
    inside = table[table.month <= horizon]
    assert round(payment.sum() * 100) == cents(inside.payment).sum()
    assert round(interest.sum() * 100) == cents(inside.interest).sum()
    assert (np.round(owed * 100) >= 0).all()
    if horizon >= loan.months:
        assert round(owed[-1] * 100) == 0 if horizon else True


def flows_strategy():
    values = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    return st.lists(values, min_size=2, max_size=40).map(np.array)


@settings(max_examples=400, deadline=None)
@given(flows=flows_strategy())
def test_irr_agrees_with_numpy_financial_wherever_it_finds_a_root(flows):
    with np.errstate(all="ignore"):
        try:
            expected = float(npf.irr(flows))
        except np.linalg.LinAlgError:  # numpy-financial fails on denormal numbers
            return
    got = loans._irr(flows)
    if math.isnan(expected):
        return
    # numpy-financial takes the eigenvalues of the companion matrix: with coefficients of
    # very different sizes (1e-193 next to 1) what it returns may not be a root at all;
    # "finds a root" means the net present value there is zero for the flows' size.
    with np.errstate(all="ignore"):
        discount = (1.0 + expected) ** -np.arange(len(flows), dtype=float)
        scale = float(np.sum(np.abs(flows) * discount))
        residual = abs(float(np.dot(flows, discount)))
    assume(math.isfinite(scale) and residual <= 1e-9 * scale)
    assert got is not None
    assert got == pytest.approx(expected, rel=1e-6, abs=1e-9)


# --- the findings of issue 11 ------------------------------------------------------------------


class TestLongOrExpensiveLoans:
    """Point 1: npf.ipmt/ppmt lost their digits and the last row absorbed the error."""

    def test_200_percent_over_240_months(self):
        table = schedule(declining("other", 100_000, yearly_rate_pct=200, payments=240))
        assert table.payment.iloc[-1] == 16_666.67
        assert (table.principal >= 0).all()

    def test_120_percent_over_360_months(self):
        table = schedule(declining("other", 100_000, yearly_rate_pct=120, payments=360))
        assert table.payment.iloc[-1] == 10_000.0

    def test_1000_percent_never_explodes(self):
        loan = declining("other", 100_000, yearly_rate_pct=1000, payments=360)
        table = schedule(loan)
        assert table.payment.max() == loan.payment < 100_000
        assert round(table.principal.sum(), 2) == 100_000


class TestIrr:
    """Point 7: roots inside one grid cell, and rates above 5,000 % a month."""

    def test_two_roots_close_together(self):
        assert loans._irr(np.array([-100.0, 222.5, -123.765])) == pytest.approx(0.11)

    def test_very_high_rate(self):
        assert loans._irr(np.array([-1.0, 1e6])) == pytest.approx(999_999.0)

    def test_no_root(self):
        assert loans._irr(np.array([100.0, 50.0])) is None


class TestNonsenseIsRefused:
    """Point 8: public helpers validate like plans, with the same codes."""

    @pytest.mark.parametrize(("make", "field", "code"), [
        (lambda: bank(math.inf, yearly_rate_pct=12, months=12), "amount", "not_a_number"),
        (lambda: bank(1_000, yearly_rate_pct=math.nan, months=12), "yearly_rate_pct",
         "not_a_number"),
        (lambda: bank(1_000, yearly_rate_pct=12, months=0), "payments", "out_of_range"),
        (lambda: bank(1_000, yearly_rate_pct=12, months=2.5), "payments", "not_an_integer"),
        (lambda: five_six(-5_000), "amount", "negative"),
        (lambda: repaid_by(30_000, yearly_rate_pct=24, payment=-100), "payment", "negative"),
        (lambda: repaid_by(30_000, yearly_rate_pct=24, payment=600), "payment", "never_repaid"),
        (lambda: repaid_by(1e6, yearly_rate_pct=1, payment=900), "payment", "takes_too_long"),
        (lambda: stated("bank", 1_000, payment=50, payments=12), "payment", "repays_less"),
        (lambda: stated("nobody", 1_000, payment=100, payments=12), "kind", "not_a_choice"),
        (lambda: Loan("bank", 1_000, 100, 12, "month", None, "", 12.0).payment and
         loans.validate_loan(Loan("bank", 1_000, 100, 12, "month", None, "", 12.0)),
         "payment", "inconsistent"),
    ])
    def test_refused(self, make, field, code):
        with pytest.raises(PlanError) as caught:
            make()
        assert (caught.value.field, caught.value.code) == (field, code)
        assert isinstance(caught.value, ValueError)

    def test_a_zero_loan_costs_nothing_but_is_not_a_loan(self):
        with pytest.raises(PlanError) as caught:
            rates(Loan("bank", 1_000, 0, 0))
        assert caught.value.code == "out_of_range"


class TestTheLoansAReturneeMeets:
    """Point 10: the daily 5-6 loan, and every kind with its note and both yearly rates."""

    def test_daily_five_six(self):
        loan = five_six(5_000, payments=30, every="day")
        r = rates(loan)
        assert loan.payment == 200 and loan.total_repaid == 6_000
        assert r.periodic_rate_pct == pytest.approx(1.219, abs=1e-3)  # about 1.22 % a day
        assert r.apr_pct == pytest.approx(445, abs=0.5)  # about 445 % a year, simple
        assert r.compounded_yearly_pct > 8_000

    def test_daily_is_far_dearer_than_one_month(self):
        daily, monthly = rates(five_six(5_000, 30, "day")), rates(five_six(5_000))
        assert daily.compounded_yearly_pct > 10 * monthly.compounded_yearly_pct
        assert monthly.apr_pct == pytest.approx(240)
        assert monthly.compounded_yearly_pct == pytest.approx(791.61, abs=0.01)

    def test_two_months_five_six_repays_six_thousand_not_seven(self):
        assert five_six(5_000, payments=2).total_repaid == 6_000

    def test_every_kind_has_a_name_a_split_a_quote_and_a_note(self):
        for kind in KINDS.values():
            assert kind.split in loans.SPLITS
            assert kind.name and kind.quotes.endswith(".") and kind.note.endswith(".")

    def test_cooperative_apr_is_the_stated_rate(self):
        r = rates(cooperative(30_000, yearly_rate_pct=12, months=12))
        assert r.apr_pct == 12 and r.compounded_yearly_pct == pytest.approx(12.6825, abs=1e-4)

    def test_flat_is_dearer_than_it_sounds(self):
        r = rates(microfinance(30_000, flat_monthly_rate_pct=2, payments=12))
        assert r.flat_monthly_pct == pytest.approx(2.0)
        assert 12 * 2 < r.apr_pct < 2 * 12 * 2

    def test_pawnshop_keeps_the_amount_to_the_end(self):
        table = schedule(pawnshop(10_000, monthly_rate_pct=3, months=4))
        assert table.principal.tolist() == [0, 0, 0, 10_000]
        assert rates(pawnshop(10_000, monthly_rate_pct=3, months=4)).apr_pct == pytest.approx(36)

    def test_relative_without_interest(self):
        table = schedule(relative(1_000, payments=3))
        assert table.interest.sum() == 0 and table.payment.tolist() == [333.33, 333.33, 333.34]

    def test_weekly_payments_fall_in_their_months(self):
        payment, *_ = by_month(five_six(5_200, payments=8, every="week"), 3)
        assert round(payment.sum(), 2) == 6_240
        assert payment[0] > 0 and payment[1] > 0 and payment[2] == 0

    def test_recruitment_fee_debt_the_lenders_way(self):
        loan = repaid_by(30_000, yearly_rate_pct=24, payment=3_000)
        table = schedule(loan)
        assert loan.payments == 12 and loan.last == 810.98
        assert table.interest.iloc[0] == 600.0
        assert round(table.payment.sum() - 30_000, 2) == 3_810.98
        # numpy-financial agrees: 11 full payments and a smaller 12th
        assert math.ceil(float(npf.nper(0.02, -3_000, 30_000))) == 12


def test_schedule_arrays_cannot_be_changed_by_a_caller():
    payment, *_ = schedule_cents(bank(30_000, yearly_rate_pct=12, months=12))
    with pytest.raises(ValueError):
        payment[0] = 0


def test_a_checked_loan_does_not_vouch_for_an_equal_one_of_another_type():
    """12 == 12.0, but a count must be typed whole: the kept check knows the difference."""
    good = stated("bank", 10_000, payment=900, payments=12)
    loans.validate_loan(good)
    with pytest.raises(PlanError) as caught:
        loans.validate_loan(Loan("bank", 10_000.0, 900.0, 12.0))
    assert caught.value.code == "not_an_integer"
    with pytest.raises(PlanError):
        loans.validate_loan(Loan("bank", 10_000.0, 900.0, True))


def test_schedule_tables_cannot_be_spoiled_by_a_caller():
    loan = bank(30_000, yearly_rate_pct=12, months=12)
    table = schedule(loan)
    table.loc[0, "payment"] = 0.0
    assert schedule(loan).payment.iloc[0] == 2_665.46
