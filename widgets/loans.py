"""Loans a returnee will meet, what each one really costs, and its schedule to the cent.

This is the one loan module of Homeward: a recruitment-fee debt in the savings plan and a
5-6 loan in the business plan are the same :class:`Loan`, with the same schedule. It is a
pure model: frozen records in, numbers and pandas tables out; no widgets, no files.

Conventions (the same in every Homeward model)
----------------------------------------------
- **Rates are percents, never fractions**: ``12`` means 12 %. Every rate's name ends in
  ``_pct`` and says its period: ``yearly_rate_pct``, ``monthly_rate_pct``, ``apr_pct`` (the
  simple yearly rate), ``compounded_yearly_pct``. There is no unnamed ``rate``: old code that
  passed ``rate=0.12`` fails with a ``TypeError`` instead of being read as 0.12 %.
- **Amounts are sizes, to the cent**: every amount is a non-negative number in the plan's
  currency; what a person types is counted to the cent. A loan's payments are money she pays.
- **A loan is stated the way the lender states it**: borrow ``amount``, pay ``payment`` every
  ``every`` (``"day"``, ``"week"`` or ``"month"``), ``payments`` times; the last payment may
  differ (what rounding left, or the whole amount at the end at a pawnshop). The rates are
  computed from those payments, so she never has to convert anything.
- **Years** have 365 days, 52 weeks or 12 months.

The loans a returnee meets
--------------------------
Each kind in :data:`KINDS` has its own plain-language note, says which rate its lenders
usually quote, and how a lender splits each payment into interest and principal:

==============  ==================================================  ==================
kind            how it is stated (the constructor)                  split
==============  ==================================================  ==================
bank            :func:`bank`: a yearly rate on what is still owed   declining balance
cooperative     :func:`cooperative`: the same                       declining balance
government      :func:`government`: the same, usually low           declining balance
microfinance    :func:`microfinance`: a flat rate a month           flat
five_six        :func:`five_six`: "5-6", 6 back for every 5         flat
pawnshop        :func:`pawnshop`: interest a month, amount at end   interest only
relative        :func:`relative`: no interest                       flat
other           :func:`stated` or :func:`repaid_by`                 declining balance
==============  ==================================================  ==================

Any kind can also be written as the lender states it, with :func:`stated`.

Examples (the numbers are illustrative)
---------------------------------------
The daily 5-6 loan: borrow 5,000, repay 200 a day for 30 days.

>>> loan = five_six(5_000, payments=30, every="day")
>>> loan.payment, loan.total_repaid
(200.0, 6000.0)
>>> r = rates(loan)
>>> round(r.periodic_rate_pct, 2), round(r.apr_pct), round(r.compounded_yearly_pct, -2)
(1.22, 445, 8200.0)

About 1.22 % a day: about 445 % a year counted simply, about 8,200 % a year counted the way
savings grow. The same 5-6 repaid in one payment a month later:

>>> r = rates(five_six(5_000))
>>> round(r.apr_pct), round(r.compounded_yearly_pct)
(240, 792)

A cooperative's 12 % a year on what is still owed, over 12 months:

>>> coop = cooperative(30_000, yearly_rate_pct=12, months=12)
>>> coop.payment, round(rates(coop).apr_pct, 2)
(2665.46, 12.0)
>>> table = schedule(coop)
>>> table.loc[0, ["payment", "interest", "principal", "balance"]].tolist()
[2665.46, 300.0, 2365.46, 27634.54]
>>> float(table.principal.sum()), round(float(table.interest.sum()), 2)
(30000.0, 1985.52)

Every row adds up (payment = interest + principal, to the cent), the principal adds up to the
amount, and the last payment is the same as the others: rounding is never piled on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from widgets.checks import (
    MAX_AMOUNT,
    PlanError,
    check_amount,
    check_choice,
    check_integer,
    check_range,
    check_text,
)
from widgets.i18n import N_

__all__ = [
    "EVERY",
    "KINDS",
    "MAX_YEARS",
    "SCHEDULE_COLUMNS",
    "Loan",
    "LoanKind",
    "LoanRates",
    "bank",
    "by_month",
    "cooperative",
    "declining",
    "five_six",
    "government",
    "max_payments",
    "microfinance",
    "pawnshop",
    "rates",
    "relative",
    "repaid_by",
    "schedule",
    "schedule_cents",
    "stated",
    "validate_loan",
]

EVERY: dict[str, int] = {"day": 365, "week": 52, "month": 12}
"""How often a loan is paid -> payments in a year."""

MAX_YEARS = 30
"""No loan runs longer than this: 360 months, 1,560 weeks or 10,950 days."""

MAX_YEARLY_RATE_PCT = 1000.0
"""Highest yearly rate a lender's stated rate may have (1,000 % a year)."""

MAX_REPAID = 10 * MAX_AMOUNT
"""Largest total of a loan's payments (ten times the largest amount: 5-6 on the largest
amount fits, and cents stay exact in a float)."""

SCHEDULE_COLUMNS = ("number", "month", "payment", "interest", "principal", "balance")
"""Columns of :func:`schedule`: the payment's number, the month it falls in (month 1 is the
month after she borrows), what she pays, its interest and principal, what is still owed."""

SPLITS = ("declining", "flat", "interest_only")
MAX_NAME = 2000


@dataclass(frozen=True)
class LoanKind:
    """A kind of lender: its name, how it splits a payment, and what to tell the borrower.

    ``split``: ``declining`` (interest on what is still owed), ``flat`` (the same interest
    every time, on the whole amount) or ``interest_only`` (only interest until the end, then
    the whole amount). ``quotes`` says which rate its lenders usually quote. ``note`` is one
    plain paragraph; both are English msgids, translated by the apps.
    """

    key: str
    name: str
    split: str
    quotes: str
    note: str


KINDS: dict[str, LoanKind] = {kind.key: kind for kind in (
    LoanKind("bank", N_("Bank loan"), "declining",
             N_("Banks quote a yearly rate on what you still owe: the simple yearly rate."),
             N_("A bank charges interest each month on what you still owe, so the interest "
                "gets smaller as you repay. Ask for the payment each month and the number of "
                "payments, and for every fee.")),
    LoanKind("cooperative", N_("Cooperative loan"), "declining",
             N_("Cooperatives quote a yearly rate on what you still owe: the simple yearly "
                "rate."),
             N_("A cooperative lends to its members and charges interest on what you still "
                "owe, like a bank, usually at a lower rate. Members also save in it.")),
    LoanKind("government", N_("Government soft loan"), "declining",
             N_("Government programmes quote a yearly rate on what you still owe: the simple "
                "yearly rate."),
             N_("A government programme lends at a low rate on what you still owe, sometimes "
                "without collateral. Ask the office near you what is offered.")),
    LoanKind("microfinance", N_("Microfinance loan"), "flat",
             N_("Microfinance lenders often quote a flat rate a month. The simple yearly rate "
                "is higher than twelve times that rate, up to almost twice as high."),
             N_("A flat rate charges interest on the whole amount every time, even on the part "
                "you have already paid back. Payments are often every week.")),
    LoanKind("five_six", N_("Informal lender (5-6)"), "flat",
             N_("The 5-6 lender quotes only this: 6 back for every 5. Counted per year it is "
                "usually hundreds of percent."),
             N_("You borrow 5 and pay back 6: 20 more for every 100, in one payment or in "
                "payments every day or every week. It is quick and needs no papers, and it is "
                "the most expensive money there is.")),
    LoanKind("pawnshop", N_("Pawnshop"), "interest_only",
             N_("Pawnshops quote a rate a month. Twelve times it is the simple yearly rate."),
             N_("A pawnshop keeps something of value, such as gold or a phone, and charges "
                "interest every month on the amount lent. You pay the whole amount back at the "
                "end to get your item back; if you cannot, the shop keeps it.")),
    LoanKind("relative", N_("Loan from family or friends"), "flat",
             N_("A loan between family or friends usually has no rate."),
             N_("No interest, or a little. Agree together how much you repay and when, and "
                "write it down, so that the help does not hurt the family.")),
    LoanKind("other", N_("Other lender"), "declining",
             N_("Ask the lender for the payments; the rates here come from them."),
             N_("Ask how much you pay each time, how often and how many times, and every fee. "
                "The rates below are computed from those payments.")),
)}
"""The loans a returnee will meet, by key (``Loan.kind``)."""


# --------------------------------------------------------------------------------------------
# The record
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Loan:
    """A loan as the lender states it: borrow ``amount``; pay ``payment`` every ``every``,
    ``payments`` times in all. ``last_payment`` is the last one when it differs (None: the
    same as the others). ``yearly_rate_pct`` is the yearly rate on what is still owed when
    the lender states one (banks, cooperatives, a recruitment-fee loan): the schedule's
    interest is then the lender's own, and the payments must be the ones :func:`declining`
    or :func:`repaid_by` work out from it. Use the constructors (:func:`bank`,
    :func:`five_six` ...): they work out the payments from the way each lender states its
    price.

    >>> loan = stated("five_six", 5_000, payment=200, payments=30, every="day")
    >>> loan.total_repaid, loan.interest, loan.last
    (6000.0, 1000.0, 200.0)
    """

    kind: str = "other"
    amount: float = 0.0
    payment: float = 0.0
    payments: int = 1
    every: str = "month"
    last_payment: float | None = None
    name: str = ""
    yearly_rate_pct: float | None = None

    @property
    def split(self) -> str:
        """How a lender of this kind splits a payment (see :class:`LoanKind`)."""
        return KINDS[self.kind].split

    @property
    def per_year(self) -> int:
        """Payments in a year at this loan's pace (365, 52 or 12)."""
        return EVERY[self.every]

    @property
    def last(self) -> float:
        """The last payment."""
        return float(self.payment if self.last_payment is None else self.last_payment)

    @property
    def total_repaid(self) -> float:
        """Everything she pays back, to the cent."""
        b, p, n, last = _cents(self)
        return (p * (n - 1) + last) / 100

    @property
    def interest(self) -> float:
        """What the loan costs: everything paid back less the amount borrowed."""
        b, p, n, last = _cents(self)
        return (p * (n - 1) + last - b) / 100

    @property
    def months(self) -> int:
        """The month of the last payment (month 1 is the month after she borrows)."""
        return _month_of(self.payments, self.per_year)

    @property
    def repaid(self) -> bool:
        """Always True: a loan is money paid back (own savings and gifts are not loans)."""
        return True


def _cent(amount: float) -> int:
    """An amount in whole cents, halves away from zero (as a person rounds)."""
    return int(math.floor(abs(float(amount)) * 100 + 0.5)) * (1 if amount >= 0 else -1)


def _cents(loan: Loan) -> tuple[int, int, int, int]:
    """amount, payment, number of payments and last payment, in cents."""
    return _cent(loan.amount), _cent(loan.payment), int(loan.payments), _cent(loan.last)


def _month_of(number: int | np.ndarray, per_year: int):
    """The month (1 = the first month after borrowing) in which payment ``number`` falls:
    payment k is due k / per_year years after the loan."""
    return (12 * number + per_year - 1) // per_year


def max_payments(every: str) -> int:
    """The most payments a loan paid every ``every`` may have (:data:`MAX_YEARS` years).

    >>> max_payments("month"), max_payments("week"), max_payments("day")
    (360, 1560, 10950)
    """
    return MAX_YEARS * EVERY[every]


def validate_loan(loan: Loan, prefix: str = "", error: type[PlanError] = PlanError) -> Loan:
    """Check a loan; raise ``error`` (a :class:`~widgets.checks.PlanError`) naming the field,
    with ``prefix`` in front (``debt``, ``funding[2]``). Returns the loan.

    A loan needs an amount, payments that pay back at least the amount (``repays_less``
    otherwise), and at most 30 years of payments.

    >>> validate_loan(stated("bank", 10_000, payment=900, payments=12)).payments
    12
    >>> for bad in [Loan("bank", 10_000, payment=800, payments=12),
    ...             Loan("bank", 0, payment=800, payments=12),
    ...             Loan("bank", 10_000, payment=900, payments=2.5),
    ...             Loan("bank", 10_000, payment=900, payments=12, every="year")]:
    ...     try:
    ...         validate_loan(bad, "debt")
    ...     except PlanError as err:
    ...         print(err.field, err.code)
    debt.payment repays_less
    debt.amount not_positive
    debt.payments not_an_integer
    debt.every not_a_choice
    """
    try:
        try:
            _valid(_typed(loan), loan)
        except TypeError:  # an unhashable field: check without keeping the answer
            _validate(loan)
    except PlanError as err:
        raise err.under(prefix, error) from None
    return loan


def _typed(loan: object) -> tuple:
    """The type of every field: 12 and 12.0 are equal, but only one is a count."""
    return (type(loan),) + tuple(type(getattr(loan, name, None))
                                 for name in ("kind", "amount", "payment", "payments", "every",
                                              "last_payment", "name", "yearly_rate_pct"))


@lru_cache(maxsize=1024)
def _valid(types: tuple, loan: Loan) -> bool:
    """:func:`_validate`, kept for loans already found valid (a plan recomputed on every
    keystroke checks the same loans again), keyed by the fields' types too. A loan that is
    not hashable (a list for a name, say) is checked every time by the caller."""
    _validate(loan)
    return True


def _validate(loan: Loan) -> None:
    if not isinstance(loan, Loan):
        raise PlanError("", "wrong_type", f"must be a Loan (got {type(loan).__name__})")
    check_choice("kind", loan.kind, KINDS)
    check_text("name", loan.name, MAX_NAME)
    amount = check_amount("amount", loan.amount)
    if _cent(amount) <= 0:
        raise PlanError("amount", "not_positive", "a loan needs an amount")
    check_choice("every", loan.every, EVERY)
    n = check_integer("payments", loan.payments, 1, max_payments(loan.every))
    payment = check_amount("payment", loan.payment, MAX_REPAID)
    last = check_amount("last_payment", loan.last, MAX_REPAID)
    b, p, n, last_c = _cents(loan)
    if p * (n - 1) + last_c > MAX_REPAID * 100:
        raise PlanError("payment", "too_large",
                        f"the payments add up to more than {MAX_REPAID:g}")
    if last_c <= 0:
        raise PlanError("payment" if loan.last_payment is None else "last_payment",
                        "not_positive", "the last payment cannot be 0")
    if p * (n - 1) + last_c < b:
        field = "payment" if loan.last_payment is None or n > 1 else "last_payment"
        raise PlanError(field, "repays_less",
                        f"{n} payments of {payment:g} (last {last:g}) pay back less than "
                        f"the {amount:g} borrowed")
    if loan.split == "interest_only" and last_c < b:
        raise PlanError("last_payment", "repays_less",
                        "at a pawnshop the last payment gives back the whole amount")
    if loan.yearly_rate_pct is not None:
        check_range("yearly_rate_pct", loan.yearly_rate_pct, 0, MAX_YEARLY_RATE_PCT)
        if loan.split != "declining":
            raise PlanError("yearly_rate_pct", "not_a_choice",
                            "only a loan on the declining balance states a yearly rate")
        if loan.last_payment is None:
            if (p, last_c) != _level_payment(b, loan.yearly_rate_pct, n, loan.every):
                raise PlanError("payment", "inconsistent",
                                "the payment is not the level payment of the stated rate")
        elif loan.every != "month" or _by_payment(b, loan.yearly_rate_pct, p) != (n, last_c):
            raise PlanError("last_payment", "inconsistent",
                            "the payments do not repay the loan at the stated rate")


# --------------------------------------------------------------------------------------------
# Constructors: each lender's way of stating a loan
# --------------------------------------------------------------------------------------------


def stated(kind: str, amount: float, payment: float, payments: int, every: str = "month",
           name: str = "", last_payment: float | None = None) -> Loan:
    """A loan exactly as the lender states it: "borrow 5,000, repay 200 a day for 30 days".

    >>> stated("five_six", 5_000, payment=200, payments=30, every="day").total_repaid
    6000.0

    A pawnshop states the interest she pays each month; the amount comes back at the end,
    with the last month's interest:

    >>> stated("pawnshop", 10_000, payment=300, payments=4).last
    10300.0
    """
    if kind in KINDS and KINDS[kind].split == "interest_only" and last_payment is None:
        last_payment = check_amount("payment", payment) + check_amount("amount", amount)
    return validate_loan(Loan(kind, float(amount), float(payment), payments, every,
                              None if last_payment is None else float(last_payment), name))


def _level(kind: str, amount: float, total_cents: int, payments: int, every: str,
           name: str) -> Loan:
    """``payments`` payments that add up to ``total_cents``: equal, rounded down to the cent;
    the last takes what rounding left (at most a cent for each payment before it)."""
    n = int(payments)
    payment = total_cents // n
    last = total_cents - payment * (n - 1)
    return validate_loan(Loan(kind, float(amount), payment / 100, n, every,
                              None if last == payment else last / 100, name))


def _checked_count(payments: object, every: object) -> int:
    check_choice("every", every, EVERY)
    return check_integer("payments", payments, 1, max_payments(every))


def declining(kind: str, amount: float, *, yearly_rate_pct: float, payments: int,
              every: str = "month", name: str = "") -> Loan:
    """A loan with equal payments and interest on what is still owed, from the yearly rate
    the lender quotes (``yearly_rate_pct`` / ``per_year`` each period).

    The payment is the exact level payment rounded to the cent, and every payment is the
    same. (A lender that rounds the payment and keeps the stated rate leaves the difference
    on the last payment; at high rates over many years that difference grows beyond any
    sense, because each half cent compounds for the whole term. Here the rates are computed
    from the payments she really makes.)

    >>> loan = declining("bank", 100_000, yearly_rate_pct=200, payments=240)
    >>> loan.payment, loan.last
    (16666.67, 16666.67)
    >>> declining("bank", 100_000, yearly_rate_pct=120, payments=360).payment
    10000.0
    """
    check_amount("amount", amount)
    check_range("yearly_rate_pct", yearly_rate_pct, 0, MAX_YEARLY_RATE_PCT)
    n = _checked_count(payments, every)
    check_choice("kind", kind, KINDS)
    payment, last = _level_payment(_cent(amount), yearly_rate_pct, n, every)
    return validate_loan(Loan(kind, float(amount), payment / 100, n, every,
                              None if last == payment else last / 100, name,
                              None if yearly_rate_pct / 100 / EVERY[every] == 0
                              else float(yearly_rate_pct)))


def _level_payment(b: int, yearly_rate_pct: float, n: int, every: str) -> tuple[int, int]:
    """The level payment and the last payment, in cents, of ``b`` cents at a yearly rate."""
    r = yearly_rate_pct / 100 / EVERY[every]
    if r == 0.0:  # explicit zero-rate branch: the formula divides by the rate
        payment = b // n
        return payment, b - payment * (n - 1)
    exact = _exact_payment(b, r, n)
    payment = math.floor(exact + 0.5)
    # Rounded down, a payment of a few cents may be smaller than the principal the last
    # rows must repay (the last row's is the largest, exact / (1 + r)): then round up, so
    # that every payment, the last too, stays the same.
    if payment * n < b or payment < math.ceil(exact / (1 + r)):
        payment = math.ceil(exact)
    return payment, payment


def _exact_payment(b: float, r: float, n: int) -> float:
    """The exact level payment (same unit as ``b``); stable for any size of (1 + r) ** n."""
    return b * r / -math.expm1(-n * math.log1p(r))


def bank(amount: float, *, yearly_rate_pct: float, months: int, name: str = "") -> Loan:
    """A bank loan: equal monthly payments, interest on what is still owed.

    >>> bank(30_000, yearly_rate_pct=12, months=12).payment
    2665.46
    """
    return declining("bank", amount, yearly_rate_pct=yearly_rate_pct, payments=months,
                     name=name)


def cooperative(amount: float, *, yearly_rate_pct: float, months: int, name: str = "") -> Loan:
    """A cooperative loan: like a bank's (see :func:`bank`)."""
    return declining("cooperative", amount, yearly_rate_pct=yearly_rate_pct, payments=months,
                     name=name)


def government(amount: float, *, yearly_rate_pct: float, months: int, name: str = "") -> Loan:
    """A government soft loan: like a bank's, usually at a low rate (see :func:`bank`)."""
    return declining("government", amount, yearly_rate_pct=yearly_rate_pct, payments=months,
                     name=name)


def microfinance(amount: float, *, flat_monthly_rate_pct: float, payments: int,
                 every: str = "month", name: str = "") -> Loan:
    """A flat-rate loan: ``flat_monthly_rate_pct`` of the WHOLE amount as interest for every
    month of the loan, paid in equal parts (every week or every month).

    30,000 at 2 % a month flat over 12 months: 600 interest every month, 7,200 in all, while
    the cooperative's 12 % a year costs 1,985.52 (see the module's examples):

    >>> loan = microfinance(30_000, flat_monthly_rate_pct=2, payments=12)
    >>> loan.payment, loan.interest
    (3100.0, 7200.0)
    >>> r = rates(loan)
    >>> round(r.apr_pct, 1), round(r.compounded_yearly_pct, 1)
    (41.7, 50.7)

    Weekly: 10,000 over 26 weeks (six months at 52/12 weeks a month) at 2.5 % a month flat:

    >>> weekly = microfinance(10_000, flat_monthly_rate_pct=2.5, payments=26, every="week")
    >>> weekly.payment, weekly.last, weekly.interest
    (442.3, 442.5, 1500.0)
    """
    check_amount("amount", amount)
    check_range("flat_monthly_rate_pct", flat_monthly_rate_pct, 0, 100)
    n = _checked_count(payments, every)
    b = _cent(amount)
    months = n * 12 / EVERY[every]
    interest = math.floor(b * flat_monthly_rate_pct / 100 * months + 0.5)
    return _level("microfinance", amount, b + interest, n, every, name)


def five_six(amount: float, payments: int = 1, every: str = "month", *,
             name: str = "") -> Loan:
    """The informal "5-6" loan: pay back 6 for every 5 borrowed (20 % more), in one payment
    after a month, or in ``payments`` payments every day, week or month.

    >>> five_six(5_000).payment
    6000.0
    >>> loan = five_six(5_000, payments=7, every="week")
    >>> loan.payment, loan.last, loan.total_repaid
    (857.14, 857.16, 6000.0)
    """
    check_amount("amount", amount)
    n = _checked_count(payments, every)
    return _level("five_six", amount, math.floor(_cent(amount) * 1.2 + 0.5), n, every, name)


def pawnshop(amount: float, *, monthly_rate_pct: float, months: int, name: str = "") -> Loan:
    """A pawnshop loan: ``monthly_rate_pct`` of the amount as interest each month, and the
    whole amount back with the last month's interest.

    >>> loan = pawnshop(10_000, monthly_rate_pct=3, months=4)
    >>> loan.payment, loan.last, round(rates(loan).apr_pct)
    (300.0, 10300.0, 36)
    """
    check_amount("amount", amount)
    check_range("monthly_rate_pct", monthly_rate_pct, 0, 100)
    n = _checked_count(months, "month")
    b = _cent(amount)
    interest = math.floor(b * monthly_rate_pct / 100 + 0.5)
    return validate_loan(Loan("pawnshop", float(amount), interest / 100, n, "month",
                              (interest + b) / 100, name))


def relative(amount: float, payments: int = 1, every: str = "month", *, name: str = "") -> Loan:
    """A loan from family or friends without interest, in equal parts (the last takes what
    rounding left).

    >>> loan = relative(1_000, payments=3)
    >>> loan.payment, loan.last, loan.interest
    (333.33, 333.34, 0.0)
    """
    check_amount("amount", amount)
    n = _checked_count(payments, every)
    return _level("relative", amount, _cent(amount), n, every, name)


def repaid_by(amount: float, *, yearly_rate_pct: float, payment: float, kind: str = "other",
              name: str = "") -> Loan:
    """A debt being repaid at a payment she chooses each month, at a yearly rate on what is
    still owed (a recruitment-fee loan): how many payments, and the smaller last one.

    Each month the lender adds the month's interest (rounded to the cent) and takes the
    payment, until what is owed is less than a payment.

    >>> loan = repaid_by(30_000, yearly_rate_pct=24, payment=3_000)
    >>> loan.payments, loan.last
    (12, 810.98)

    A payment that does not even cover the first month's interest never repays the loan:

    >>> try:
    ...     repaid_by(30_000, yearly_rate_pct=24, payment=600)
    ... except PlanError as err:
    ...     print(err.field, err.code)
    payment never_repaid
    """
    check_choice("kind", kind, KINDS)
    amount = check_amount("amount", amount)
    if _cent(amount) <= 0:
        raise PlanError("amount", "not_positive", "a loan needs an amount")
    check_range("yearly_rate_pct", yearly_rate_pct, 0, MAX_YEARLY_RATE_PCT)
    check_amount("payment", payment)
    b, pay = _cent(amount), _cent(payment)
    interest = math.floor(b * yearly_rate_pct / 1200 + 0.5)
    if pay <= interest:
        raise PlanError("payment", "never_repaid",
                        f"a payment of {payment:g} does not cover the first month's interest "
                        f"({interest / 100:g}): the loan would never be repaid")
    found = _by_payment(b, yearly_rate_pct, pay)
    if found is None:
        raise PlanError("payment", "takes_too_long",
                        f"at {payment:g} a month the loan takes more than {MAX_YEARS} years")
    count, last = found
    rate = None if yearly_rate_pct / 1200 == 0 else float(yearly_rate_pct)
    if count == 1:
        return validate_loan(Loan(kind, float(amount), last / 100, 1, "month", None, name,
                                  None))
    return validate_loan(Loan(kind, float(amount), pay / 100, count, "month",
                              last / 100, name, rate))


def _recurrence(b: int, yearly_rate_pct: float, pay: int, limit: int) -> list[int]:
    """What is owed after each payment (cents), the lender's way: add the month's interest
    rounded to the cent, take the payment; the last payment takes all that is owed."""
    r = yearly_rate_pct / 1200
    owed, balance = [b], b
    for _ in range(limit):
        balance += math.floor(balance * r + 0.5)
        if balance <= pay:
            owed.append(0)
            return owed
        balance -= pay
        owed.append(balance)
    return owed


def _by_payment(b: int, yearly_rate_pct: float, pay: int) -> tuple[int, int] | None:
    """(number of payments, last payment in cents) of ``b`` cents repaid at ``pay`` a month,
    or None if it takes more than :data:`MAX_YEARS` years."""
    owed = _recurrence(b, yearly_rate_pct, pay, max_payments("month"))
    if owed[-1] != 0:
        return None
    before = owed[-2]
    return len(owed) - 1, before + math.floor(before * yearly_rate_pct / 1200 + 0.5)


# --------------------------------------------------------------------------------------------
# What it costs: the rate of the payments
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoanRates:
    """What a loan costs, as rates in percent (see :func:`rates`).

    - ``periodic_rate_pct``: the rate each period (each ``every``) at which the payments
      exactly repay the amount;
    - ``apr_pct``: the simple yearly rate (APR): the periodic rate times the periods in a year;
    - ``compounded_yearly_pct``: the periodic rate compounded over a year, the way savings
      grow (``inf`` if it is too large to write);
    - ``flat_monthly_pct``: all the interest as a share of the amount, per month of the loan
      (what a flat-rate lender quotes);
    - ``quotes``: which of these the lender usually quotes, as a sentence (an English msgid).
    """

    every: str
    periodic_rate_pct: float
    apr_pct: float
    compounded_yearly_pct: float
    flat_monthly_pct: float
    quotes: str


def rates(loan: Loan) -> LoanRates:
    """The rates of a loan, from the payments she really makes.

    A loan from a relative without interest costs nothing:

    >>> rates(relative(1_000, payments=3)).apr_pct
    0.0

    A pawnshop's 3 % a month is 36 % a year counted simply, 42.6 % compounded:

    >>> r = rates(pawnshop(10_000, monthly_rate_pct=3, months=4))
    >>> round(r.periodic_rate_pct, 2), round(r.apr_pct, 2), round(r.compounded_yearly_pct, 1)
    (3.0, 36.0, 42.6)
    >>> r.quotes
    'Pawnshops quote a rate a month. Twelve times it is the simple yearly rate.'
    """
    return _rates(validate_loan(loan))


@lru_cache(maxsize=512)
def _rates(loan: Loan) -> LoanRates:
    b, p, n, last = _cents(loan)
    per_year = loan.per_year
    if loan.yearly_rate_pct is not None:  # the lender's own rate on what is still owed
        apr = float(loan.yearly_rate_pct)
        i = apr / 100 / per_year
    else:
        i = _periodic_rate(b, p, n, last)
        apr = 100 * i * per_year
    power = per_year * math.log1p(i)
    compounded = 100 * math.expm1(power) if power < 700 else math.inf
    months = n * 12 / per_year
    flat = 100 * (p * (n - 1) + last - b) / b / months
    return LoanRates(loan.every, 100 * i, apr, compounded, flat, KINDS[loan.kind].quotes)


def _pv(x: float, p: int, n: int, last: int) -> float:
    """Present value, in cents, of n-1 payments p and a last payment, at log1p(rate) = x."""
    if x == 0.0:
        return float(p * (n - 1) + last)
    return p * -math.expm1(-(n - 1) * x) / math.expm1(x) + last * math.exp(-n * x)


def _periodic_rate(b: int, p: int, n: int, last: int) -> float:
    """The rate per period at which the payments are worth exactly the amount (a fraction).

    The present value falls as the rate rises, so there is one answer; it lies between 0
    (the payments add up to at least the amount) and ``total / amount - 1``. Bisection on
    ``log(1 + rate)``, which never overflows.
    """
    total = p * (n - 1) + last
    if total <= b:
        return 0.0
    low, high = 0.0, math.log(total / b)
    for _ in range(200):
        mid = 0.5 * (low + high)
        if mid in (low, high):
            break
        if _pv(mid, p, n, last) > b:
            low = mid
        else:
            high = mid
    return math.expm1(0.5 * (low + high))


# --------------------------------------------------------------------------------------------
# The schedule, to the cent
# --------------------------------------------------------------------------------------------


def _targets(loan: Loan, b: int, p: int, n: int, last: int) -> np.ndarray:
    """What is still owed after each payment (k = 0..n), exactly, in cents (floats)."""
    k = np.arange(n + 1, dtype=float)
    split = loan.split
    if split == "interest_only":
        owed = np.full(n + 1, float(b))
    elif split == "flat" or p * (n - 1) + last <= b:
        # the same share of every payment is interest: all the interest over all payments
        paid = np.concatenate(([0.0], np.cumsum(np.full(n, float(p)))))
        paid[-1] = p * (n - 1) + last
        owed = b - b * paid / paid[-1]
    elif loan.yearly_rate_pct is not None and loan.last_payment is not None:
        # a debt repaid at a payment she chose: the lender's own month-by-month arithmetic
        owed = np.array(_recurrence(b, loan.yearly_rate_pct, p, n), dtype=float)
    elif loan.yearly_rate_pct is not None:
        # the lender's rate, on the exact level payment (what is owed is the value of the
        # payments still to come, which never overflows however long and dear the loan)
        r = loan.yearly_rate_pct / 100 / loan.per_year
        exact = _exact_payment(float(b), r, n)
        owed = exact * -np.expm1(-(n - k) * math.log1p(r)) / r
    else:  # declining, stated by its payments: the payments still to come, at their rate
        x = math.log1p(_periodic_rate(b, p, n, last))
        left = n - k  # payments still to come after payment k
        owed = p * -np.expm1(-(left - 1) * x) / math.expm1(x) + last * np.exp(-left * x)
    owed[0], owed[-1] = b, 0.0
    return owed


def schedule_cents(loan: Loan) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """payment, interest, principal and balance after each payment, in whole cents (int64).

    Row by row, in cents: the principal of a row is what brings what she owes (in cents) to
    what she truly owes after that payment, rounded to the cent, never more than the payment
    and never more than she owes; the interest is the rest of the payment. Because each row
    is measured against the exact balance, no rounding is carried from row to row (a plain
    recurrence would compound every half cent over the whole term). So every row adds up,
    the principal adds up to the amount, and the balance never goes below zero.

    >>> payment, interest, principal, balance = schedule_cents(five_six(5_000, 30, "day"))
    >>> int(payment[0]), int(interest[0]), int(principal[0]), int(principal.sum())
    (20000, 3333, 16667, 500000)
    """
    return _schedule_cents(validate_loan(loan))


@lru_cache(maxsize=512)
def _schedule_cents(loan: Loan) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`schedule_cents` of a valid loan, kept: a plan recomputed on every keystroke
    asks again for the same loans. The arrays are read-only."""
    b, p, n, last = _cents(loan)
    payment = np.full(n, p, dtype=np.int64)
    payment[-1] = last
    owed = np.floor(_targets(loan, b, p, n, last) + 0.5).astype(np.int64)
    principal = owed[:-1] - owed[1:]
    ok = (principal >= 0) & (principal <= payment)
    if not ok[:-1].all():  # rare: follow the exact balance as closely as the payments allow
        balance = b
        for k in range(n - 1):
            take = min(max(balance - int(owed[k + 1]), 0), int(payment[k]), balance)
            principal[k] = take
            balance -= take
        principal[-1] = balance
    principal[-1] = b - principal[:-1].sum()
    interest = payment - principal
    if interest[-1] < 0:  # cannot happen for a valid loan: the payments cover the amount
        raise PlanError("payment", "repays_less", "the payments do not repay the loan")
    balance = b - np.cumsum(principal)
    for part in (payment, interest, principal, balance):
        part.flags.writeable = False
    return payment, interest, principal, balance


def schedule(loan: Loan) -> pd.DataFrame:
    """The loan's schedule as a lender prints it: one row per payment (:data:`SCHEDULE_COLUMNS`).

    A flat loan charges the same interest every month, a declining one less and less:

    >>> flat = schedule(microfinance(30_000, flat_monthly_rate_pct=2, payments=12))
    >>> flat.loc[0, ["payment", "interest", "principal"]].tolist()
    [3100.0, 600.0, 2500.0]
    >>> round(float(schedule(cooperative(30_000, yearly_rate_pct=12, months=12)).interest.iloc[-1]), 2)
    26.39

    A pawnshop takes only interest until the end:

    >>> schedule(pawnshop(10_000, monthly_rate_pct=3, months=3))[["payment", "principal"]].values.tolist()
    [[300.0, 0.0], [300.0, 0.0], [10300.0, 10000.0]]
    """
    return _schedule_frame(validate_loan(loan)).copy()


@lru_cache(maxsize=256)
def _schedule_frame(loan: Loan) -> pd.DataFrame:
    """The table of :func:`schedule`, kept (callers get a copy: a table can be changed)."""
    payment, interest, principal, balance = _schedule_cents(loan)
    number = np.arange(1, len(payment) + 1)
    return pd.DataFrame({
        "number": number,
        "month": _month_of(number, loan.per_year),
        "payment": payment / 100,
        "interest": interest / 100,
        "principal": principal / 100,
        "balance": balance / 100,
    })


def by_month(loan: Loan, months: int) -> tuple[np.ndarray, ...]:
    """Payment, interest, principal (sums) and what is owed at the end, for months 1..months.

    A daily loan's payments are added up by the month they fall in (payment k falls in month
    ``ceil(12 k / 365)``): the 30 daily payments of a 5-6 loan all fall in month 1.

    >>> payment, interest, principal, owed = by_month(five_six(5_000, 30, "day"), 3)
    >>> payment.tolist(), owed.tolist()
    ([6000.0, 0.0, 0.0], [0.0, 0.0, 0.0])
    >>> payment, interest, principal, owed = by_month(relative(900, 3), 4)
    >>> payment.tolist(), owed.tolist()
    ([300.0, 300.0, 300.0, 0.0], [600.0, 300.0, 0.0, 0.0])
    """
    check_integer("months", months, 0, 100_000)
    payment, interest, principal, balance = schedule_cents(loan)
    month = _month_of(np.arange(1, len(payment) + 1), loan.per_year)
    inside = month <= months
    index = month[inside] - 1
    out = []
    for part in (payment, interest, principal):
        out.append(np.bincount(index, weights=part[inside], minlength=months)[:months] / 100)
    paid = np.bincount(index, weights=principal[inside], minlength=months)[:months]
    owed = (_cent(loan.amount) - np.cumsum(paid)) / 100
    return out[0], out[1], out[2], owed


# --------------------------------------------------------------------------------------------
# The internal rate of return of any cash flows (used by the business plan's investment)
# --------------------------------------------------------------------------------------------


def _sign_changes(flows: np.ndarray) -> int:
    signs = np.sign(flows[flows != 0])
    return int(np.count_nonzero(signs[1:] != signs[:-1]))


def _irr(flows: np.ndarray) -> float | None:
    """The rate per period (a FRACTION, like ``numpy_financial.irr``) at which the net
    present value of ``flows`` is zero; the one closest to 0 if there are several; None if
    there is none.

    With one change of sign in the flows (money out, then money in) there is exactly one
    rate (Descartes' rule of signs): it is found by bisection on ``log(1 + rate)``, at any
    size. With more changes there may be several, and they may lie very close together; then
    every root of the polynomial is found, as ``numpy_financial.irr`` does, and refined.

    >>> round(_irr(np.array([-100.0, 39, 59, 55, 20])), 5)
    0.28095
    >>> round(_irr(np.array([-100.0, 222.5, -123.765])), 6)  # two roots 0.5 % apart
    0.11
    >>> _irr(np.array([-100.0, -5.0])) is None
    True
    """
    flows = np.asarray(flows, dtype=float)
    if not (np.any(flows > 0) and np.any(flows < 0)):
        return None
    t = np.arange(len(flows), dtype=float)
    if _sign_changes(flows) == 1:
        return _single_root(flows, t)
    roots = np.roots(flows[::-1])  # in x = 1 / (1 + rate), as numpy_financial.irr
    real = roots[(roots.imag == 0) & (roots.real > 0)].real
    if not real.size:
        return None
    rate = 1.0 / real - 1.0
    best = float(rate[np.argmin(np.abs(rate))])
    return _polish(flows, t, best)


def _single_root(flows: np.ndarray, t: np.ndarray) -> float:
    """The one rate of flows whose sign changes once: bisection on x = log(1 + rate).

    The net present value at x, scaled by its largest term's discount so that it neither
    underflows to zero nor overflows, has the sign of the first flow for large x and of the
    last flow for very negative x; the root lies between.
    """
    nonzero = np.flatnonzero(flows)
    first, last = t[nonzero[0]], t[nonzero[-1]]

    def sign(x: float) -> float:
        shift = first if x >= 0 else last
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            return float(np.sign(np.dot(flows, np.exp(-x * (t - shift)))))

    low, high = -1.0, 1.0
    while sign(high) != np.sign(flows[nonzero[0]]) and high < 1e4:
        high *= 2.0
    while sign(low) != np.sign(flows[nonzero[-1]]) and low > -1e4:
        low *= 2.0
    s_low = sign(low)
    if high - low <= 2.0 and len(flows) < 400:  # the usual case: refine by false position
        return _false_position(flows, t, low, high)
    for _ in range(400):
        mid = 0.5 * (low + high)
        if mid in (low, high):
            break
        s_mid = sign(mid)
        if s_mid == 0.0:
            return float(np.expm1(mid))
        if s_mid == s_low:
            low = mid
        else:
            high = mid
    with np.errstate(over="ignore"):  # beyond e**709 the rate is written as infinity
        return float(np.expm1(0.5 * (low + high)))


def _false_position(flows: np.ndarray, t: np.ndarray, low: float, high: float) -> float:
    """The root of the NPV in x = log(1 + rate) inside a bracket no wider than [-1, 1]
    (where ``exp(x t)`` cannot overflow for fewer than 400 flows): Newton's steps kept inside
    the bracket, with a bisection whenever a step would leave it or stalls ("rtsafe"), a
    dozen evaluations instead of sixty bisections."""
    def npv_and_slope(x: float) -> tuple[float, float]:
        discount = np.exp(-x * t)
        return float(np.dot(flows, discount)), float(-np.dot(t * flows, discount))

    f_low = npv_and_slope(low)[0]
    x = 0.5 * (low + high)
    step_before = step = high - low
    f, slope = npv_and_slope(x)
    for _ in range(200):
        if f == 0.0:
            break
        if (f > 0) == (f_low > 0):
            low, f_low = x, f
        else:
            high = x
        newton = x - f / slope if slope != 0.0 else math.inf
        if not low < newton < high or abs(2.0 * f) > abs(step_before * slope):
            step_before, step = step, 0.5 * (high - low)
            x = low + step
        else:
            step_before, step = step, newton - x
            x = newton
        if abs(step) <= 1e-15 * max(1.0, abs(x)) or high - low <= 1e-15 * max(1.0, abs(x)):
            break
        f, slope = npv_and_slope(x)
    return float(np.expm1(x))


def _polish(flows: np.ndarray, t: np.ndarray, rate: float) -> float:
    """A few Newton steps on the NPV at a root found from the polynomial's eigenvalues."""
    for _ in range(20):
        with np.errstate(all="ignore"):
            discount = (1.0 + rate) ** -t
            f = float(np.dot(flows, discount))
            slope = float(-np.dot(t * flows, discount) / (1.0 + rate))
        if not math.isfinite(f) or slope == 0.0 or not math.isfinite(slope):
            break
        step = f / slope
        if not math.isfinite(step) or rate - step <= -1.0:
            break
        new = rate - step
        if abs(new - rate) <= 1e-15 * (1.0 + abs(rate)):
            rate = new
            break
        rate = new
    return rate

