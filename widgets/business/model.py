"""A start-your-business plan: capital, costing, a 12-month plan, cash, loans and the three cases.

This is the pure model behind the business-plan app. Frozen dataclasses go in; numbers, NumPy
arrays and pandas tables come out. It imports no widget library, prints nothing and reads no
file. Amounts are plain floats in the plan's currency (the model knows no currency; the view
formats them with ``widgets.money``). Rates are fractions: ``0.12`` is 12 %.

What a plan holds (the substance of a start-your-business plan): the owner and the idea;
customers and competitors; product, price, place and promotion; staff; legal form and
registration (all words, in :class:`Profile`); then the numbers: start-up capital (equipment
with its useful life, pre-opening costs, the first stock and working capital), costing and
pricing, a 12-month sales and cost plan with seasonality, a 12-month cash-flow plan, break-even,
and where the money comes from (:class:`Funding`), each loan with its repayment schedule.

Months
------
Month 1 is the first month the business is open. Start-up spending (equipment, pre-opening
costs, the first stock) happens just before month 1, at "month 0".

Sign convention
---------------
Every amount in a plan and in every table is a non-negative size ("she pays 4,000 a month");
the column name says the direction: ``cash_in`` is money received, ``cash_out`` and
``loan_payment`` are money paid out. Only where numpy-financial is called does its own
convention apply: money received is positive, money paid out is negative (a loan of 5,000
is ``pv=+5000``, its payments are ``pmt<0``). Profit and cash balances may of course be
negative: a loss, or money the business does not have.

The rules, month by month (m = 1..12)
-------------------------------------
- ``units = units_per_month * seasonality[m]``; ``sales = units * price``.
- ``materials = units * materials_per_unit``, ``labour = units * labour_per_unit``.
- ``depreciation``: each piece of equipment loses ``cost / (life_years * 12)`` a month
  (straight line) until it is written off.
- ``interest`` and ``loan_payment``: the sums over all loans of :func:`loan_schedule`.
- ``profit = sales - materials - labour - fixed_costs - depreciation - interest``.
- ``cash_in``: customers pay ``1 - credit_sales_share`` of a month's sales in that month and
  the rest one month later (nothing is owed before month 1).
- ``cash_out = materials + labour + fixed_costs + loan_payment`` (depreciation is not cash:
  the equipment was paid for at the start).
- ``opening_cash`` of month 1 is all the money raised less the start-up spending other than
  working capital; ``closing_cash = opening_cash + cash_in - cash_out`` and it carries to the
  next month's ``opening_cash``. A month whose closing cash is below zero is ``cash_short``.

The first stock is bought before opening and stays in the business as its stock; each month's
``materials`` replace what was sold. Taxes are left out (they depend on the legal form).

The three cases
---------------
``worst``, ``expected`` and ``best`` move the price, the volume (units) and the unit cost
(materials and labour per unit) by :data:`CASE_FACTORS`. Fixed costs, equipment and loans stay.

Examples
--------
A woman back from domestic work abroad opens a small store. Everything is one record:

>>> plan = TEMPLATES["sari_sari_store"]
>>> result = analyse(plan)
>>> result.capital.total
100000.0
>>> round(result.costing.margin_pct, 3)  # what is left of each peso of sales, after all costs
0.074
>>> sorted(result.tables)
['best', 'expected', 'worst']
>>> bool(result.totals["worst"].profit < result.totals["expected"].profit)
True

The numbers in :data:`TEMPLATES` are illustrative, made up for teaching, not statistics.

Where the money can come from follows what the ILO-UN Women regional workshop recommends for
returning women migrant workers: business start-up counselling linked with low-cost
government and private credit, government guarantee funds that offset the need for
collateral, soft loans without collateral, and access to cooperatives (Source:
``004_986bc41f1e442074.txt``, 4.4, 5.3.1 and 5.4). Reintegration programmes have granted
start-up capital after business counselling and training (Source: ``003_940de0aa6e76d8f2.txt``).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, replace

import numpy as np
import numpy_financial as npf
import pandas as pd

__all__ = [
    "CASES",
    "CASE_FACTORS",
    "MAX_AMOUNT",
    "MONTHLY_COLUMNS",
    "RATE_BASES",
    "REPAYMENT_SHARE_LIMIT",
    "SCHEDULE_COLUMNS",
    "SOURCES",
    "TEMPLATES",
    "Analysis",
    "BreakEven",
    "BusinessPlan",
    "BusinessPlanError",
    "Capital",
    "CashGap",
    "Costing",
    "Equipment",
    "Funding",
    "Investment",
    "PlanWarning",
    "Profile",
    "Totals",
    "analyse",
    "break_even",
    "case_plan",
    "cash_gap",
    "costing",
    "five_six",
    "investment",
    "loan_schedule",
    "monthly_plan",
    "sensitivity",
    "startup_capital",
    "true_annual_rate",
    "validate",
]

SOURCES = ("own_savings", "family", "cooperative", "government", "microfinance", "informal", "bank")
"""Where money for the business can come from (``Funding.source``)."""

CASES = ("worst", "expected", "best")
"""The three cases every plan is computed for."""

RATE_BASES = ("declining", "flat")
"""``declining``: a rate per year on the remaining balance. ``flat``: a rate per month on the
original amount, charged every month whatever has been repaid."""

CASE_FACTORS: dict[str, dict[str, float]] = {
    "worst": {"price": 0.9, "volume": 0.8, "cost": 1.1},
    "expected": {"price": 1.0, "volume": 1.0, "cost": 1.0},
    "best": {"price": 1.05, "volume": 1.15, "cost": 0.95},
}
"""How each case moves the price, the units sold and the unit cost (illustrative factors)."""

REPAYMENT_SHARE_LIMIT = 0.5
"""Warn when year-1 loan payments exceed this share of the operating profit (profit before
interest and depreciation)."""

MAX_AMOUNT = 1e12
"""Largest amount accepted anywhere in a plan: anything larger is a typing mistake."""

MONTHS = 12
MAX_ITEMS = 50
MAX_TEXT = 2000
MAX_LOAN_MONTHS = 360
MAX_SEASONALITY = 100.0
MAX_LIFE_YEARS = 100.0
MAX_DECLINING_RATE = 10.0  # 1,000 % a year
MAX_FLAT_RATE = 1.0  # 100 % a month

MONTHLY_COLUMNS = (
    "month",
    "units",
    "sales",
    "cash_in",
    "materials",
    "labour",
    "fixed_costs",
    "depreciation",
    "interest",
    "profit",
    "loan_payment",
    "cash_out",
    "opening_cash",
    "closing_cash",
    "cash_short",
)
"""Columns of :func:`monthly_plan`, in order."""

SCHEDULE_COLUMNS = ("month", "payment", "interest", "principal", "balance")
"""Columns of :func:`loan_schedule`, in order."""

_SHORT = -0.005  # closing cash below minus half a cent is a real shortfall, not rounding


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """The words of the plan: who, what, for whom, and how. Every field is optional text."""

    owner: str = ""
    idea: str = ""
    customers: str = ""
    competitors: str = ""
    product: str = ""
    price_note: str = ""
    place: str = ""
    promotion: str = ""
    staff: str = ""
    legal_form: str = ""
    registration: str = ""


@dataclass(frozen=True)
class Equipment:
    """Something bought once and used for years. It loses ``cost / (life_years * 12)`` a month."""

    name: str = ""
    cost: float = 0.0
    life_years: float = 5.0


@dataclass(frozen=True)
class Funding:
    """Money for the business: own savings, a gift, or a loan.

    ``rate_basis="declining"``: ``rate`` is per YEAR on the balance still owed (banks,
    cooperatives). ``rate_basis="flat"``: ``rate`` is per MONTH on the original amount, every
    month until the end (common with microfinance and informal lenders). ``months`` is the
    number of monthly repayments; 0 means the money is not repaid (own savings, a family gift).
    """

    name: str = ""
    source: str = "own_savings"
    amount: float = 0.0
    rate: float = 0.0
    rate_basis: str = "declining"
    months: int = 0

    @property
    def repaid(self) -> bool:
        """True if this money is paid back in monthly instalments."""
        return self.months > 0 and self.amount > 0


@dataclass(frozen=True)
class BusinessPlan:
    """Everything the model needs to know about one business (field names are a contract).

    Money is in the plan's currency; ``fixed_costs`` are per month and include wages and the
    owner's own pay; ``seasonality`` multiplies the average ``units_per_month`` in months 1..12;
    ``credit_sales_share`` of each month's sales is paid one month later;
    ``discount_rate`` is per year; ``horizon_years`` is how far NPV, IRR and payback look.
    """

    name: str = ""
    profile: Profile = field(default_factory=Profile)
    price: float = 0.0
    materials_per_unit: float = 0.0
    labour_per_unit: float = 0.0
    units_per_month: float = 0.0
    seasonality: tuple[float, ...] = (1.0,) * 12
    fixed_costs: float = 0.0
    equipment: tuple[Equipment, ...] = ()
    preopening: float = 0.0
    first_stock: float = 0.0
    working_capital: float = 0.0
    credit_sales_share: float = 0.0
    funding: tuple[Funding, ...] = ()
    discount_rate: float = 0.10
    horizon_years: int = 3


@dataclass(frozen=True)
class Capital:
    """Start-up capital: what must be spent or kept aside before the first sale."""

    equipment: float
    preopening: float
    first_stock: float
    working_capital: float
    total: float


@dataclass(frozen=True)
class Costing:
    """Cost per unit and the margin the price leaves.

    ``overhead_per_unit`` spreads the monthly fixed costs and depreciation over an average
    month's units (``inf`` when no units are planned). ``margin_pct`` is the margin as a share
    of the price (``nan`` when the price is 0). ``contribution_per_unit`` is what each unit
    sold adds towards the fixed costs: price less materials and labour.
    """

    materials: float
    labour: float
    overhead_per_unit: float
    cost_per_unit: float
    price: float
    margin_per_unit: float
    margin_pct: float
    contribution_per_unit: float
    fixed_costs: float = 0.0
    depreciation_per_month: float = 0.0


@dataclass(frozen=True)
class BreakEven:
    """Units and sales a month that cover the fixed costs and depreciation (``inf`` if never)."""

    units_per_month: float
    sales_per_month: float


@dataclass(frozen=True)
class CashGap:
    """The first month the cash runs out (None if never) and how much more money at the start
    would keep the cash at or above zero in every month."""

    first_short_month: int | None
    extra_needed: float


@dataclass(frozen=True, eq=False)
class Investment:
    """Is the business worth the money put in? Over ``horizon_years``.

    ``npv``: net present value at the plan's discount rate; ``irr``: the internal rate of
    return as an effective annual rate (None if the flows have none); ``payback_months``: the
    first month by which the operating cash has paid back the start-up capital (None if not
    within the horizon). ``flows`` are the monthly project cash flows (index 0 = start).
    """

    npv: float
    irr: float | None
    payback_months: int | None
    irr_monthly: float | None = None
    flows: np.ndarray | None = None


@dataclass(frozen=True)
class Totals:
    """Year-1 totals of one case."""

    sales: float
    profit: float
    lowest_cash: float
    loan_payments: float = 0.0
    operating_profit: float = 0.0  # before interest and depreciation


@dataclass(frozen=True)
class PlanWarning:
    """Something the owner should know, as a code and the numbers its sentence needs.

    The codes and their ``params`` (all for the expected case):

    - ``cash_runs_out``: ``month`` (first month with closing cash below zero), ``extra``
      (money needed at the start so that it never is);
    - ``no_funding_for_startup``: ``startup`` (start-up capital), ``funding`` (all money
      raised), ``missing``;
    - ``price_below_cost``: ``price``, ``cost_per_unit`` (full cost), and
      ``below_variable_cost`` (True if the price does not even pay materials and labour);
    - ``repayments_eat_profit``: ``share`` (year-1 loan payments over the operating profit;
      ``inf`` if there is no operating profit), ``payments``, ``profit``, ``limit``;
    - ``informal_loan``: ``index`` (in ``plan.funding``), ``name``, ``amount``, ``rate``
      (its true annual rate, see :func:`true_annual_rate`).
    """

    code: str
    params: dict


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything the app shows, computed once per change of the plan (see :func:`analyse`).

    ``schedules`` and ``rates`` follow ``plan.funding`` item by item (money that is not repaid
    has an empty schedule and a rate of 0).
    """

    plan: BusinessPlan
    capital: Capital
    costing: Costing
    tables: dict[str, pd.DataFrame]
    totals: dict[str, Totals]
    break_even: BreakEven
    gap: CashGap
    investment: Investment
    schedules: list[tuple[Funding, pd.DataFrame]]
    rates: list[float]
    sensitivity: pd.DataFrame
    warnings: list[PlanWarning]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


class BusinessPlanError(ValueError):
    """An invalid plan. ``field`` names the input as the app keys it, ``code`` the mistake.

    Fields: ``price``, ``seasonality[3]``, ``equipment[0].life_years``, ``funding[1].months``,
    ``profile.owner`` ... Codes: ``not_a_number`` (also NaN and infinity), ``negative``,
    ``too_large``, ``not_an_integer``, ``out_of_range``, ``not_positive``, ``wrong_length``,
    ``required``, ``not_a_source``, ``not_a_basis``, ``zero_months``, ``not_text``,
    ``too_long``, ``too_many``, ``wrong_type``, ``not_a_case``.

    >>> err = BusinessPlanError("funding[1].months", "zero_months", "a loan needs months")
    >>> str(err)
    'funding[1].months: a loan needs months'
    >>> isinstance(err, ValueError), err.field, err.code
    (True, 'funding[1].months', 'zero_months')
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise BusinessPlanError(name, "not_a_number", f"must be a number (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise BusinessPlanError(name, "not_a_number", f"must be a finite number (got {value!r})")
    return number


def _amount(name: str, value: object, high: float = MAX_AMOUNT) -> float:
    number = _number(name, value)
    if number < 0:
        raise BusinessPlanError(name, "negative", f"must not be negative (got {number:g})")
    if number > high:
        raise BusinessPlanError(name, "too_large", f"must be at most {high:g} (got {number:g})")
    return number


def _share(name: str, value: object) -> None:
    number = _number(name, value)
    if not 0.0 <= number <= 1.0:
        raise BusinessPlanError(name, "out_of_range", f"must be between 0 and 1 (got {number:g})")


def _integer(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise BusinessPlanError(name, "not_an_integer", f"must be a whole number (got {value!r})")
    if not low <= value <= high:
        raise BusinessPlanError(name, "out_of_range", f"must be between {low} and {high} (got {value})")
    return int(value)


def _text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise BusinessPlanError(name, "not_text", f"must be text (got {value!r})")
    if len(value) > MAX_TEXT:
        raise BusinessPlanError(name, "too_long", f"must be at most {MAX_TEXT} characters")


def _items(name: str, value: object, kind: type) -> None:
    if not isinstance(value, tuple | list):
        raise BusinessPlanError(name, "wrong_type", f"must be a list (got {value!r})")
    if len(value) > MAX_ITEMS:
        raise BusinessPlanError(name, "too_many", f"must have at most {MAX_ITEMS} items")
    for k, item in enumerate(value):
        if not isinstance(item, kind):
            raise BusinessPlanError(f"{name}[{k}]", "wrong_type", f"must be a {kind.__name__}")


def _validate_equipment(plan: BusinessPlan) -> None:
    _items("equipment", plan.equipment, Equipment)
    for k, item in enumerate(plan.equipment):
        _text(f"equipment[{k}].name", item.name)
        _amount(f"equipment[{k}].cost", item.cost)
        life = _number(f"equipment[{k}].life_years", item.life_years)
        if life <= 0:
            raise BusinessPlanError(
                f"equipment[{k}].life_years", "not_positive", f"must be more than 0 (got {life:g})"
            )
        if life > MAX_LIFE_YEARS:
            raise BusinessPlanError(
                f"equipment[{k}].life_years", "too_large", f"must be at most {MAX_LIFE_YEARS:g}"
            )


def _validate_funding(plan: BusinessPlan) -> None:
    _items("funding", plan.funding, Funding)
    for k, item in enumerate(plan.funding):
        name = f"funding[{k}]"
        _text(f"{name}.name", item.name)
        if item.source == "":
            raise BusinessPlanError(f"{name}.source", "required", "choose where the money comes from")
        if item.source not in SOURCES:
            raise BusinessPlanError(
                f"{name}.source", "not_a_source", f"must be one of {', '.join(SOURCES)} (got {item.source!r})"
            )
        amount = _amount(f"{name}.amount", item.amount)
        if item.rate_basis not in RATE_BASES:
            raise BusinessPlanError(
                f"{name}.rate_basis", "not_a_basis", f"must be 'declining' or 'flat' (got {item.rate_basis!r})"
            )
        high = MAX_FLAT_RATE if item.rate_basis == "flat" else MAX_DECLINING_RATE
        rate = _amount(f"{name}.rate", item.rate, high)
        months = _integer(f"{name}.months", item.months, 0, MAX_LOAN_MONTHS)
        if amount > 0 and rate > 0 and months == 0:
            raise BusinessPlanError(
                f"{name}.months", "zero_months", "a loan with interest needs a number of repayment months"
            )


_AMOUNTS = (
    "price",
    "materials_per_unit",
    "labour_per_unit",
    "units_per_month",
    "fixed_costs",
    "preopening",
    "first_stock",
    "working_capital",
)
_PROFILE_FIELDS = tuple(Profile.__dataclass_fields__)


def validate(plan: BusinessPlan) -> None:
    """Check a plan; raise :class:`BusinessPlanError` naming the first bad field.

    Amounts must be finite numbers, not negative and at most 1e12; ``seasonality`` twelve
    multipliers between 0 and 100; ``credit_sales_share`` between 0 and 1; equipment lives
    more than 0 years; each funding a known source, a known rate basis, and repayment months
    if it charges interest; ``horizon_years`` 1..10.

    >>> validate(TEMPLATES["food_stall"])  # every template is valid
    >>> for bad in [BusinessPlan(price=-1), BusinessPlan(seasonality=(1.0,) * 11),
    ...             BusinessPlan(equipment=(Equipment("Oven", 9000, 0),)),
    ...             BusinessPlan(funding=(Funding("Loan", "bank", 9000, 0.12, months=0),))]:
    ...     try:
    ...         validate(bad)
    ...     except BusinessPlanError as err:
    ...         print(err.field, err.code)
    price negative
    seasonality wrong_length
    equipment[0].life_years not_positive
    funding[0].months zero_months
    """
    if not isinstance(plan, BusinessPlan):
        raise BusinessPlanError("plan", "wrong_type", f"must be a BusinessPlan (got {type(plan).__name__})")
    _text("name", plan.name)
    if not isinstance(plan.profile, Profile):
        raise BusinessPlanError("profile", "wrong_type", "must be a Profile")
    for name in _PROFILE_FIELDS:
        _text(f"profile.{name}", getattr(plan.profile, name))
    for name in _AMOUNTS:
        _amount(name, getattr(plan, name))
    if not isinstance(plan.seasonality, tuple | list) or len(plan.seasonality) != MONTHS:
        count = len(plan.seasonality) if isinstance(plan.seasonality, tuple | list) else "no"
        raise BusinessPlanError("seasonality", "wrong_length", f"must be 12 numbers (got {count})")
    for k, value in enumerate(plan.seasonality):
        _amount(f"seasonality[{k}]", value, MAX_SEASONALITY)
    _validate_equipment(plan)
    _share("credit_sales_share", plan.credit_sales_share)
    _validate_funding(plan)
    _share("discount_rate", plan.discount_rate)
    _integer("horizon_years", plan.horizon_years, 1, 10)


def _check_case(case: str) -> None:
    if case not in CASE_FACTORS:
        raise BusinessPlanError("case", "not_a_case", f"must be one of {', '.join(CASES)} (got {case!r})")


# --------------------------------------------------------------------------------------------
# Loans and their true cost
# --------------------------------------------------------------------------------------------


def _schedule_arrays(funding: Funding) -> tuple[np.ndarray, ...]:
    """payment, interest, principal, balance per repayment month (length ``months``)."""
    if not funding.repaid:
        empty = np.zeros(0)
        return empty, empty, empty, empty
    n, amount, rate = int(funding.months), float(funding.amount), float(funding.rate)
    per = np.arange(1, n + 1)
    if funding.rate_basis == "flat":
        principal = np.full(n, amount / n)
        interest = np.full(n, amount * rate)
    elif rate / 12.0 == 0.0:  # explicit zero-rate branch: npf.pmt divides by the rate
        principal = np.full(n, amount / n)
        interest = np.zeros(n)
    elif rate / 12.0 >= _TINY_RATE:
        r = rate / 12.0
        # numpy-financial's convention: the loan is money received (pv > 0), so the
        # interest and principal it returns are negative (money paid out)
        interest = -npf.ipmt(r, per, n, amount)
        principal = -npf.ppmt(r, per, n, amount)
    else:
        interest, principal = _tiny_rate_schedule(rate / 12.0, n, amount)
    # the last payment takes up what rounding left over, as lenders do, so that the
    # principal adds up to the amount lent
    principal[-1] = amount - principal[:-1].sum()
    payment = interest + principal
    balance = np.maximum(amount - np.cumsum(principal), 0.0)
    balance[-1] = 0.0
    return payment, interest, principal, balance


_TINY_RATE = 1e-6
"""Below this monthly rate, ``(1 + r) ** n - 1`` loses its digits in npf's formulas."""


def _tiny_rate_schedule(r: float, n: int, amount: float) -> tuple[np.ndarray, np.ndarray]:
    """Interest and principal of an annuity at a tiny monthly rate, written with log1p and
    expm1 so that nothing cancels (npf's formulas would return nan or lose cents)."""
    g = math.log1p(r)
    payment = amount * r / -math.expm1(-n * g)
    elapsed = np.arange(n, dtype=float)  # payments made before month k
    owed = amount * np.exp(elapsed * g) - payment * np.expm1(elapsed * g) / r
    interest = r * owed
    return interest, payment - interest


def loan_schedule(funding: Funding) -> pd.DataFrame:
    """The repayment schedule of one loan: a row per month with the payment and what is in it.

    Columns :data:`SCHEDULE_COLUMNS`: ``month`` (1 = the first repayment, in the business's
    first month), ``payment = interest + principal``, and the ``balance`` still owed after it.
    Amounts are positive (money she pays). The principal always adds up to the amount lent.

    A declining-balance loan (a cooperative: 30,000 at 12 % a year over 12 months) has equal
    payments; each month the interest is 1 % of what is still owed, so it shrinks and more of
    the payment repays the loan. numpy-financial's ``pmt`` gives the payment (the loan is money
    received, so the payment comes back negative):

    >>> round(float(-npf.pmt(0.12 / 12, 12, 30_000)), 2)
    2665.46
    >>> table = loan_schedule(Funding("Cooperative loan", "cooperative", 30_000, 0.12, months=12))
    >>> table.loc[0, ["payment", "interest", "principal"]].round(2).tolist()
    [2665.46, 300.0, 2365.46]
    >>> round(float(table.interest.iloc[-1]), 2)  # 1 % of the last balance
    26.39
    >>> round(float(table.principal.sum()), 2), float(table.balance.iloc[-1])
    (30000.0, 0.0)

    A flat-rate loan (microfinance: 30,000 at 2 % a month flat over 12 months) charges 2 % of
    the ORIGINAL amount every month, even when most of it has been repaid:

    >>> flat = loan_schedule(Funding("Microfinance", "microfinance", 30_000, 0.02, "flat", 12))
    >>> flat.loc[0, ["payment", "interest", "principal"]].tolist()
    [3100.0, 600.0, 2500.0]
    >>> float(flat.interest.sum()), float(table.interest.sum().round(2))  # flat costs more
    (7200.0, 1985.56)

    Own savings and gifts are not repaid: the schedule is empty.

    >>> len(loan_schedule(Funding("My savings", "own_savings", 50_000)))
    0
    """
    return _schedule_frame(_schedule_arrays(funding))


def _schedule_frame(arrays: tuple[np.ndarray, ...]) -> pd.DataFrame:
    payment, interest, principal, balance = arrays
    month = np.arange(1, len(payment) + 1)
    return pd.DataFrame({"month": month, "payment": payment, "interest": interest,
                         "principal": principal, "balance": balance})


def _level_payment_rate(months: int, payment: float, amount: float) -> float:
    """Monthly rate at which ``months`` payments of ``payment`` repay ``amount``.

    numpy-financial's ``rate`` (Newton's method) first; if it does not converge, bisection
    on the present value, which always does for payments that cover the amount.
    """
    with np.errstate(all="ignore"):  # Newton may step through a zero; checked just below
        rate = float(npf.rate(months, -payment, amount, 0.0, guess=payment / amount))
    if math.isfinite(rate) and rate > -1.0:
        return rate
    low, high = 0.0, 1.0
    while float(npf.pv(high, months, -payment)) > amount:
        high *= 2.0
    for _ in range(200):
        mid = 0.5 * (low + high)
        if float(npf.pv(mid, months, -payment)) > amount:
            low = mid
        else:
            high = mid
    return 0.5 * (low + high)


def true_annual_rate(funding: Funding) -> float:
    """The true cost of money: the effective annual rate of the real repayments.

    Found with numpy-financial's ``rate`` on the schedule: the monthly rate at which the
    payments exactly repay the amount, compounded over 12 months. Own money, gifts and loans
    without interest cost 0.

    A cooperative's 12 % a year on the declining balance is a little more than 12 % once
    the monthly interest is compounded:

    >>> round(true_annual_rate(Funding("Coop", "cooperative", 30_000, 0.12, months=12)), 4)
    0.1268

    A flat 2 % a month sounds like 24 % a year, but she pays interest on money she has already
    repaid; the true rate is about 51 % a year:

    >>> round(true_annual_rate(Funding("MFI", "microfinance", 30_000, 0.02, "flat", 12)), 3)
    0.507

    The informal "5-6" lender: borrow 5,000, repay 6,000 a month later. 20 % a month,
    compounded, is about 791 % a year:

    >>> round(true_annual_rate(five_six(5_000)) * 100)
    792
    >>> round(true_annual_rate(five_six(5_000)), 4)
    7.9161
    """
    if not funding.repaid or funding.rate == 0.0:  # explicit zero-rate branch
        return 0.0
    if funding.rate_basis == "declining":
        monthly = funding.rate / 12.0
    else:
        payment = funding.amount * (1.0 + funding.rate * funding.months) / funding.months
        monthly = _level_payment_rate(int(funding.months), payment, float(funding.amount))
    return float((1.0 + monthly) ** 12 - 1.0)


def five_six(amount: float, months: int = 1, name: str = "Informal lender (5-6)") -> Funding:
    """An informal "5-6" loan: repay 6 for every 5 borrowed, that is 20 % more, over ``months``.

    It is a flat-rate loan whose monthly flat rate is 20 % spread over the term:

    >>> loan = five_six(5_000)
    >>> loan.rate, loan.rate_basis, loan.months, loan.source
    (0.2, 'flat', 1, 'informal')
    >>> float(loan_schedule(loan).payment.sum())
    6000.0

    Spread over two months (3,000 a month) it is 10 % a month flat, still about 337 % a year:

    >>> round(true_annual_rate(five_six(5_000, months=2)), 2)
    3.37
    """
    _integer("months", months, 1, MAX_LOAN_MONTHS)
    return Funding(name, "informal", float(amount), 0.2 / months, "flat", int(months))


# --------------------------------------------------------------------------------------------
# The engine: everything that does not change between the cases, computed once
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Base:
    plan: BusinessPlan
    capital: Capital
    funding_total: float
    season: np.ndarray  # (12,)
    depreciation: np.ndarray  # (horizon months,), month 1 first
    book_value_end: float
    loan_payment: np.ndarray  # (12,)
    interest: np.ndarray  # (12,)
    schedules: tuple[tuple[np.ndarray, ...], ...]  # per funding item


def _depreciation(plan: BusinessPlan, months: int) -> tuple[np.ndarray, float]:
    if not plan.equipment:
        return np.zeros(months), 0.0
    cost = np.array([float(e.cost) for e in plan.equipment])
    life = np.array([float(e.life_years) * 12.0 for e in plan.equipment])
    elapsed = np.arange(months, dtype=float)  # whole months used before month m
    active = np.clip(life[:, None] - elapsed[None, :], 0.0, 1.0)  # share of month m still in life
    per_item = (cost / life)[:, None] * active
    depreciation = per_item.sum(axis=0)
    book = float(np.maximum(cost - per_item.sum(axis=1), 0.0).sum())
    return depreciation, book


def _capital(plan: BusinessPlan) -> Capital:
    equipment = float(sum(float(e.cost) for e in plan.equipment))
    parts = (equipment, float(plan.preopening), float(plan.first_stock), float(plan.working_capital))
    return Capital(*parts, total=float(sum(parts)))


def _base(plan: BusinessPlan) -> _Base:
    depreciation, book = _depreciation(plan, plan.horizon_years * MONTHS)
    loan_payment, interest = np.zeros(MONTHS), np.zeros(MONTHS)
    schedules = tuple(_schedule_arrays(f) for f in plan.funding)
    for payment, paid_interest, _, _ in schedules:
        k = min(len(payment), MONTHS)
        loan_payment[:k] += payment[:k]
        interest[:k] += paid_interest[:k]
    return _Base(
        plan=plan,
        capital=_capital(plan),
        funding_total=float(sum(float(f.amount) for f in plan.funding)),
        season=np.asarray(plan.seasonality, dtype=float),
        depreciation=depreciation,
        book_value_end=book,
        loan_payment=loan_payment,
        interest=interest,
        schedules=schedules,
    )


def _year(base: _Base, price: float = 1.0, volume: float = 1.0, cost: float = 1.0) -> dict[str, np.ndarray]:
    """The 12-month arrays for one set of factors (1.0 = the plan as typed)."""
    plan = base.plan
    p = plan.price * price
    units = (plan.units_per_month * volume) * base.season
    sales = units * p
    materials = units * (plan.materials_per_unit * cost)
    labour = units * (plan.labour_per_unit * cost)
    fixed = np.full(MONTHS, float(plan.fixed_costs))
    depreciation = base.depreciation[:MONTHS]
    profit = sales - materials - labour - fixed - depreciation - base.interest
    credit = float(plan.credit_sales_share)
    owed = np.concatenate(([0.0], sales[:-1]))
    cash_in = (1.0 - credit) * sales + credit * owed
    cash_out = materials + labour + fixed + base.loan_payment
    start = base.funding_total - (base.capital.total - float(plan.working_capital))
    closing = start + np.cumsum(cash_in - cash_out)
    opening = np.concatenate(([start], closing[:-1]))
    return {
        "month": np.arange(1, MONTHS + 1),
        "units": units,
        "sales": sales,
        "cash_in": cash_in,
        "materials": materials,
        "labour": labour,
        "fixed_costs": fixed,
        "depreciation": depreciation.copy(),
        "interest": base.interest.copy(),
        "profit": profit,
        "loan_payment": base.loan_payment.copy(),
        "cash_out": cash_out,
        "opening_cash": opening,
        "closing_cash": closing,
        "cash_short": closing < _SHORT,
    }


def _frame(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    # the dict is already in MONTHLY_COLUMNS order; passing ``columns=`` would double the time
    return pd.DataFrame(arrays)


def _factors(case: str) -> tuple[float, float, float]:
    f = CASE_FACTORS[case]
    return f["price"], f["volume"], f["cost"]


def _totals(year: dict[str, np.ndarray]) -> Totals:
    operating = year["sales"] - year["materials"] - year["labour"] - year["fixed_costs"]
    return Totals(
        sales=float(year["sales"].sum()),
        profit=float(year["profit"].sum()),
        lowest_cash=float(year["closing_cash"].min()),
        loan_payments=float(year["loan_payment"].sum()),
        operating_profit=float(operating.sum()),
    )


def _gap(year: dict[str, np.ndarray]) -> CashGap:
    closing = year["closing_cash"]
    short = np.flatnonzero(closing < _SHORT)
    if not short.size:
        return CashGap(None, 0.0)
    return CashGap(int(short[0]) + 1, float(-closing.min()))


def _costing(base: _Base) -> Costing:
    plan = base.plan
    depreciation = float(base.depreciation[:MONTHS].mean())
    overhead_total = float(plan.fixed_costs) + depreciation
    units = float(plan.units_per_month)
    if units > 0:
        overhead = overhead_total / units
    else:
        overhead = math.inf if overhead_total > 0 else 0.0
    cost = float(plan.materials_per_unit) + float(plan.labour_per_unit) + overhead
    price = float(plan.price)
    margin = price - cost
    return Costing(
        materials=float(plan.materials_per_unit),
        labour=float(plan.labour_per_unit),
        overhead_per_unit=overhead,
        cost_per_unit=cost,
        price=price,
        margin_per_unit=margin,
        margin_pct=margin / price if price > 0 else math.nan,
        contribution_per_unit=price - float(plan.materials_per_unit) - float(plan.labour_per_unit),
        fixed_costs=float(plan.fixed_costs),
        depreciation_per_month=depreciation,
    )


def _break_even(base: _Base, costs: Costing) -> BreakEven:
    fixed = costs.fixed_costs + costs.depreciation_per_month
    contribution = costs.contribution_per_unit
    if contribution <= 0:
        return BreakEven(math.inf, math.inf)
    units = fixed / contribution
    return BreakEven(units, units * costs.price)


_IRR_GRID = np.concatenate((np.linspace(-0.99, -0.1, 19), np.linspace(-0.1, 0.5, 31)[1:],
                            np.geomspace(0.5, 50.0, 21)[1:]))


def _npv_and_slope(flows: np.ndarray, t: np.ndarray, rates: np.ndarray) -> tuple[np.ndarray, ...]:
    """NPV of ``flows`` at each monthly rate, and its derivative with respect to the rate."""
    with np.errstate(over="ignore", invalid="ignore"):
        discount = np.exp(-np.log1p(rates)[:, None] * t[None, :])  # (1 + r) ** -t
        npv = discount @ flows
        slope = -(discount @ (t * flows)) / (1.0 + rates)
    return npv, slope


def _irr(flows: np.ndarray) -> float | None:
    """The monthly rate that makes the NPV of ``flows`` zero, closest to 0; None if none.

    Scans a grid of rates from -99 % to +5,000 % a month for sign changes of the NPV, then
    refines every bracket at once with Newton steps that fall back to bisection when they
    would leave the bracket. Same answer as ``npf.irr`` where that finds a root, without
    the eigenvalues of a polynomial of degree ``len(flows) - 1``.
    """
    if not (np.any(flows > 0) and np.any(flows < 0)):
        return None
    t = np.arange(len(flows), dtype=float)
    npv, _ = _npv_and_slope(flows, t, _IRR_GRID)
    sign = np.sign(npv)
    exact = _IRR_GRID[sign == 0]
    brackets = np.flatnonzero((sign[:-1] * sign[1:]) < 0)
    if not brackets.size:
        return float(exact[np.argmin(np.abs(exact))]) if exact.size else None
    low, high = _IRR_GRID[brackets], _IRR_GRID[brackets + 1]
    f_low = npv[brackets]
    x = 0.5 * (low + high)
    for _ in range(100):
        f, slope = _npv_and_slope(flows, t, x)
        left = np.sign(f) == np.sign(f_low)  # the root lies above x
        low, f_low = np.where(left, x, low), np.where(left, f, f_low)
        high = np.where(left, high, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - f / slope
        inside = np.isfinite(newton) & (newton > low) & (newton < high)
        step = np.where(inside, newton, 0.5 * (low + high))
        done = (np.abs(step - x) <= 1e-15 * (1.0 + np.abs(x))) | (f == 0)
        x = np.where(f == 0, x, step)
        if done.all():
            break
    roots = np.concatenate((x, exact))
    return float(roots[np.argmin(np.abs(roots))])


def _investment(base: _Base, year: dict[str, np.ndarray]) -> Investment:
    """Project flows: start-up capital out at month 0, operating cash each month after.

    Months 13.. repeat months 1..12 (customers who buy on credit pay the following month, also
    across the year end). At the end of the horizon what is still in the business comes back:
    the working capital, the first stock, what customers owe and the equipment's book value.
    Loans are left out: this asks whether the business itself is worth the money.
    """
    plan = base.plan
    n_years = plan.horizon_years
    sales, credit = year["sales"], float(plan.credit_sales_share)
    operating_out = year["materials"] + year["labour"] + year["fixed_costs"]
    steady_in = (1.0 - credit) * sales + credit * np.roll(sales, 1)
    operating = np.tile(steady_in - operating_out, n_years)
    operating[:MONTHS] = year["cash_in"] - operating_out
    recovery = (float(plan.working_capital) + float(plan.first_stock) + credit * float(sales[-1])
                + base.book_value_end)
    flows = np.concatenate(([-base.capital.total], operating))
    flows[-1] += recovery
    monthly = (1.0 + float(plan.discount_rate)) ** (1.0 / 12.0) - 1.0
    npv = float(np.sum(flows / (1.0 + monthly) ** np.arange(len(flows))))
    irr_m = _irr(flows)
    irr = None if irr_m is None else float((1.0 + irr_m) ** 12 - 1.0)
    paid_back = np.flatnonzero(np.cumsum(operating) >= base.capital.total - 1e-9)
    if base.capital.total <= 0:
        payback = 0
    else:
        payback = int(paid_back[0]) + 1 if paid_back.size else None
    return Investment(npv, irr, payback, irr_m, flows)


def _prepare(plan: BusinessPlan, case: str = "expected") -> _Base:
    validate(plan)
    _check_case(case)
    return _base(plan)


# --------------------------------------------------------------------------------------------
# Public compute functions
# --------------------------------------------------------------------------------------------


def startup_capital(plan: BusinessPlan) -> Capital:
    """What the business needs before the first sale, and the total.

    >>> c = startup_capital(TEMPLATES["tailoring"])
    >>> c.equipment, c.preopening, c.first_stock, c.working_capital, c.total
    (49000.0, 3000.0, 10000.0, 12000.0, 74000.0)
    """
    validate(plan)
    return _capital(plan)


def costing(plan: BusinessPlan) -> Costing:
    """Cost per unit (materials + labour + a share of the monthly overheads) and the margin.

    A tailor sells a made-to-measure dress for 450. Fabric and thread cost 150, her helper is
    paid 60 a piece; rent, electricity and her own pay (9,000 a month) and the machines'
    depreciation (about 573 a month) are shared over 70 dresses in an average month:

    >>> c = costing(TEMPLATES["tailoring"])
    >>> round(c.overhead_per_unit, 2), round(c.cost_per_unit, 2)
    (136.76, 346.76)
    >>> round(c.margin_per_unit, 2), round(c.margin_pct, 3), c.contribution_per_unit
    (103.24, 0.229, 240.0)
    """
    return _costing(_prepare(plan))


def monthly_plan(plan: BusinessPlan, case: str = "expected") -> pd.DataFrame:
    """The 12-month sales, cost, profit and cash-flow plan (columns :data:`MONTHLY_COLUMNS`).

    The rules are in the module docstring. A poultry farm sells nothing in month 1 (the first
    batch is still growing) and some buyers pay a month late, so the cash is lowest early:

    >>> table = monthly_plan(TEMPLATES["poultry"])
    >>> float(table.sales[0]), float(table.cash_in[1]) < float(table.sales[1])
    (0.0, True)

    Cash carries over: each month opens with what the month before closed with.

    >>> bool((table.opening_cash[1:].to_numpy() == table.closing_cash[:-1].to_numpy()).all())
    True
    """
    base = _prepare(plan, case)
    return _frame(_year(base, *_factors(case)))


def case_plan(plan: BusinessPlan, case: str) -> BusinessPlan:
    """The plan as it would be in a ``worst`` or ``best`` case (see :data:`CASE_FACTORS`).

    >>> worst = case_plan(TEMPLATES["food_stall"], "worst")
    >>> worst.price, worst.units_per_month, round(worst.materials_per_unit, 2)
    (63.0, 800.0, 41.8)
    """
    validate(plan)
    _check_case(case)
    f = CASE_FACTORS[case]
    return replace(
        plan,
        price=plan.price * f["price"],
        units_per_month=plan.units_per_month * f["volume"],
        materials_per_unit=plan.materials_per_unit * f["cost"],
        labour_per_unit=plan.labour_per_unit * f["cost"],
    )


def break_even(plan: BusinessPlan) -> BreakEven:
    """Units (and sales) a month at which the business covers its fixed costs and depreciation.

    Each unit sold contributes its price less materials and labour; break-even is where the
    contributions pay the month's fixed costs and depreciation. For the food stall: each meal
    of 70 costs 38 in ingredients, so it contributes 32; the stall's 24,500 a month of fixed
    costs and about 917 of depreciation need about 794 meals a month:

    >>> b = break_even(TEMPLATES["food_stall"])
    >>> round(b.units_per_month), round(b.sales_per_month)
    (794, 55599)

    With a price at or below the unit cost, no volume is ever enough:

    >>> break_even(BusinessPlan(price=30, materials_per_unit=38, fixed_costs=1000))
    BreakEven(units_per_month=inf, sales_per_month=inf)
    """
    base = _prepare(plan)
    return _break_even(base, _costing(base))


def cash_gap(plan: BusinessPlan, case: str = "expected") -> CashGap:
    """The first month the cash runs out, and how much more money at the start prevents it.

    >>> gap = cash_gap(BusinessPlan(price=100, materials_per_unit=60, units_per_month=100,
    ...                             fixed_costs=5_000, working_capital=2_000,
    ...                             funding=(Funding("Savings", "own_savings", 2_000),)))
    >>> gap.first_short_month, gap.extra_needed   # 2,000 - 1,000 a month: short in month 3
    (3, 10000.0)
    """
    base = _prepare(plan, case)
    return _gap(_year(base, *_factors(case)))


def investment(plan: BusinessPlan, case: str = "expected") -> Investment:
    """Net present value, internal rate of return and payback of the start-up capital.

    A business that puts in 100,000 and takes out 5,000 a month for 3 years, then gets its
    working capital and stock back, is worth much more than it cost at 10 % a year:

    >>> plan = BusinessPlan(price=100, materials_per_unit=50, units_per_month=100,
    ...                     working_capital=100_000, horizon_years=3)
    >>> inv = investment(plan)
    >>> inv.payback_months, round(inv.npv), round(inv.irr_monthly, 6), round(inv.irr, 3)
    (20, 131064, 0.05, 0.796)

    The money earns 5 % a month (5,000 on 100,000), which compounds to about 80 % a year.

    numpy-financial gives the same NPV on the same monthly flows:

    >>> round(float(npf.npv(1.1 ** (1 / 12) - 1, inv.flows)))
    131064
    """
    base = _prepare(plan, case)
    return _investment(base, _year(base, *_factors(case)))


def sensitivity(plan: BusinessPlan, change: float = 0.10) -> pd.DataFrame:
    """Year-1 profit when the price, the volume or the unit cost moves by ``-change``/``+change``.

    One driver moves at a time; the others stay as planned. Profit is a straight line in each
    driver, so the two sides are equally far from the base:

    >>> s = sensitivity(TEMPLATES["sari_sari_store"])
    >>> s.round(0)
               minus     base      plus
    price   -31524.0  76476.0  184476.0
    volume   57036.0  76476.0   95916.0
    cost    165036.0  76476.0  -12084.0

    A 10 % lower price wipes out the profit; a 10 % cut in sales only trims it. In a store
    that sells at a small margin, the price (and the cost of the goods) matter most.
    """
    _number("change", change)
    if not 0.0 < change < 1.0:
        raise BusinessPlanError("change", "out_of_range", "must be between 0 and 1")
    return _sensitivity(_prepare(plan), change)


def _sensitivity(base: _Base, change: float) -> pd.DataFrame:
    plan = base.plan
    units = plan.units_per_month * base.season.sum()
    fixed = 12.0 * plan.fixed_costs + base.depreciation[:MONTHS].sum() + base.interest.sum()
    unit_cost = plan.materials_per_unit + plan.labour_per_unit
    f = np.array([1.0 - change, 1.0, 1.0 + change])
    price = units * (plan.price * f - unit_cost) - fixed
    volume = (units * f) * (plan.price - unit_cost) - fixed
    cost = units * (plan.price - unit_cost * f) - fixed
    return pd.DataFrame(
        np.vstack((price, volume, cost)),
        index=["price", "volume", "cost"],
        columns=["minus", "base", "plus"],
    )


def _warnings(base: _Base, costs: Costing, year: dict[str, np.ndarray], gap: CashGap,
              rates: list[float], limit: float) -> list[PlanWarning]:
    plan = base.plan
    found: list[PlanWarning] = []
    if gap.first_short_month is not None:
        found.append(PlanWarning("cash_runs_out", {"month": gap.first_short_month,
                                                   "extra": gap.extra_needed}))
    missing = base.capital.total - base.funding_total
    if missing > 0.005:
        found.append(PlanWarning("no_funding_for_startup", {
            "startup": base.capital.total, "funding": base.funding_total, "missing": missing}))
    if math.isfinite(costs.cost_per_unit) and costs.price < costs.cost_per_unit - 1e-9:
        found.append(PlanWarning("price_below_cost", {
            "price": costs.price, "cost_per_unit": costs.cost_per_unit,
            "below_variable_cost": costs.contribution_per_unit < 0}))
    totals = _totals(year)
    payments, operating = totals.loan_payments, totals.operating_profit
    if payments > 0.005 and (operating <= 0 or payments > limit * operating):
        share = payments / operating if operating > 0 else math.inf
        found.append(PlanWarning("repayments_eat_profit", {
            "share": share, "payments": payments, "profit": operating, "limit": limit}))
    for k, (item, rate) in enumerate(zip(plan.funding, rates, strict=True)):
        if item.source == "informal" and item.amount > 0:
            found.append(PlanWarning("informal_loan", {"index": k, "name": item.name, "rate": rate,
                                                       "amount": float(item.amount)}))
    return found


def analyse(plan: BusinessPlan, repayment_share_limit: float = REPAYMENT_SHARE_LIMIT) -> Analysis:
    """Everything the app shows, from one plan: validate once, compute every case.

    ``tables`` and ``totals`` hold the worst, expected and best cases; ``gap``,
    ``investment``, ``break_even`` and ``warnings`` are for the expected case.

    >>> a = analyse(TEMPLATES["sari_sari_store"])
    >>> [(case, round(t.profit)) for case, t in a.totals.items()]
    [('worst', -119652), ('expected', 76476), ('best', 218658)]
    >>> [w.code for w in a.warnings]
    ['informal_loan']
    >>> round(a.warnings[0].params["rate"], 2)  # the 5-6 lender, over two months
    3.37
    """
    base = _prepare(plan)
    _number("repayment_share_limit", repayment_share_limit)
    years = {case: _year(base, *_factors(case)) for case in CASES}
    costs = _costing(base)
    gap = _gap(years["expected"])
    rates = [true_annual_rate(f) for f in plan.funding]
    schedules = [(item, _schedule_frame(arrays))
                 for item, arrays in zip(plan.funding, base.schedules, strict=True)]
    return Analysis(
        plan=plan,
        capital=base.capital,
        costing=costs,
        tables={case: _frame(year) for case, year in years.items()},
        totals={case: _totals(year) for case, year in years.items()},
        break_even=_break_even(base, costs),
        gap=gap,
        investment=_investment(base, years["expected"]),
        schedules=schedules,
        rates=rates,
        sensitivity=_sensitivity(base, 0.10),
        warnings=_warnings(base, costs, years["expected"], gap, rates, repayment_share_limit),
    )


# --------------------------------------------------------------------------------------------
# Templates: businesses returnees often start (ILLUSTRATIVE numbers, Philippine pesos)
# --------------------------------------------------------------------------------------------

_OWN = "own_savings"


def _templates() -> dict[str, BusinessPlan]:
    own = Funding("My savings from work abroad", _OWN, 0.0)
    return {
        "sari_sari_store": BusinessPlan(
            name="Ate Lorna's sari-sari store",
            profile=Profile(
                owner="Lorna, back after six years as a domestic worker abroad; her husband "
                      "Ben helps in the evenings.",
                idea="A neighbourhood store in the front room of the family house.",
                customers="Families on the street and children going to the school nearby.",
                competitors="Two stores at the corner; a supermarket in town.",
                product="Rice, canned goods, snacks, soap, phone load, cold drinks.",
                price_note="One unit is 100 pesos of goods at shelf price.",
                place="Front room of the house, facing the school road.",
                promotion="Fair prices, clean shelves, open early.",
                staff="Lorna; Ben in the evenings.",
                legal_form="Sole proprietor (Lorna).",
                registration="Local business permit: ask the municipal office.",
            ),
            price=100.0, materials_per_unit=82.0, units_per_month=900.0,
            seasonality=(0.9, 0.9, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 0.95, 0.95, 1.0, 1.2),
            fixed_costs=9_000.0,
            equipment=(Equipment("Shelves and counter", 15_000.0, 5.0),
                       Equipment("Chest freezer", 18_000.0, 5.0)),
            preopening=12_000.0, first_stock=40_000.0, working_capital=15_000.0,
            credit_sales_share=0.1,
            funding=(replace(own, amount=60_000.0),
                     Funding("Gift from her sister", "family", 10_000.0),
                     Funding("Cooperative loan", "cooperative", 20_000.0, 0.12, "declining", 12),
                     five_six(10_000.0, months=2)),
        ),
        "food_stall": BusinessPlan(
            name="Mercy's food stall",
            profile=Profile(
                owner="Mercy, a returnee who cooked for a family abroad for eight years.",
                idea="Home-style meals at lunchtime near the market.",
                customers="Market vendors, tricycle drivers, office workers.",
                competitors="Three eateries in the market; street vendors.",
                product="Rice meals with one viand; snacks in the afternoon.",
                price_note="One unit is one rice meal.",
                place="A rented stall at the side of the public market.",
                promotion="A board with the day's menu; a free drink on Mondays.",
                staff="Mercy and one paid helper; her daughter on weekends.",
                legal_form="Sole proprietor.",
                registration="Local business permit and a health certificate for food handlers.",
            ),
            price=70.0, materials_per_unit=38.0, units_per_month=1_000.0,
            seasonality=(1.0, 0.95, 1.0, 1.0, 1.05, 1.1, 1.0, 0.95, 0.95, 1.0, 1.0, 1.15),
            fixed_costs=24_500.0,
            equipment=(Equipment("Cooking set and gas stove", 12_000.0, 3.0),
                       Equipment("Cart, tables and chairs", 20_000.0, 5.0),
                       Equipment("Refrigerator", 15_000.0, 5.0)),
            preopening=8_000.0, first_stock=8_000.0, working_capital=15_000.0,
            funding=(replace(own, amount=50_000.0),
                     Funding("Government soft loan, no collateral", "government", 30_000.0,
                             0.06, "declining", 24)),
        ),
        "tailoring": BusinessPlan(
            name="Nita's tailoring shop",
            profile=Profile(
                owner="Nita, a returnee who sewed for a garment factory abroad.",
                idea="Made-to-measure dresses, school uniforms and repairs.",
                customers="Mothers before the school year; women for fiestas and weddings.",
                competitors="One tailor in the next village; ready-made clothes in town.",
                product="Dresses, uniforms, alterations.",
                price_note="One unit is one dress or uniform.",
                place="A room at home with a window on the street.",
                promotion="Samples in the window; a discount for a second uniform.",
                staff="Nita; a neighbour sews on piece rate when there is a rush.",
                legal_form="Sole proprietor; later perhaps a cooperative of tailors.",
                registration="Local business permit.",
            ),
            price=450.0, materials_per_unit=150.0, labour_per_unit=60.0, units_per_month=70.0,
            seasonality=(0.8, 0.8, 0.9, 1.0, 1.5, 1.5, 0.9, 0.8, 0.8, 0.9, 1.0, 1.1),
            fixed_costs=9_000.0,
            equipment=(Equipment("Industrial sewing machine", 25_000.0, 8.0),
                       Equipment("Overlock machine", 18_000.0, 8.0),
                       Equipment("Cutting table and tools", 6_000.0, 4.0)),
            preopening=3_000.0, first_stock=10_000.0, working_capital=12_000.0,
            credit_sales_share=0.2,
            funding=(replace(own, amount=40_000.0),
                     Funding("Cooperative loan", "cooperative", 34_000.0, 0.12, "declining", 18)),
        ),
        "tricycle": BusinessPlan(
            name="Jun and Tess's tricycle",
            profile=Profile(
                owner="Tess, back from care work abroad; her husband Jun drives.",
                idea="A motorbike with a sidecar carrying passengers on a town route.",
                customers="Students, market-goers, people going to the health centre.",
                competitors="Other tricycles on the route; jeepneys on the main road.",
                product="Rides on the route and hired trips.",
                price_note="One unit is one trip.",
                place="The route between the market and the villages.",
                promotion="Safe driving; regular morning trips for students.",
                staff="Jun drives; Tess keeps the records.",
                legal_form="Sole proprietor (Tess), Jun as driver.",
                registration="Vehicle registration and a local franchise to operate.",
            ),
            price=25.0, materials_per_unit=7.0, units_per_month=1_200.0,
            seasonality=(1.0, 1.0, 1.0, 0.9, 0.85, 1.05, 1.05, 0.95, 0.95, 1.0, 1.05, 1.15),
            fixed_costs=12_000.0,
            equipment=(Equipment("Motorbike with sidecar", 150_000.0, 5.0),),
            preopening=8_000.0, working_capital=8_000.0,
            funding=(replace(own, amount=66_000.0),
                     Funding("Microfinance loan", "microfinance", 100_000.0, 0.015, "flat", 24)),
        ),
        "poultry": BusinessPlan(
            name="Rosa's broiler chickens",
            profile=Profile(
                owner="Rosa, a returnee, with her parents who have a backyard.",
                idea="Raising broiler chickens in batches for the town market.",
                customers="Market dealers, eateries, neighbours for fiestas.",
                competitors="Larger farms; frozen chicken in the supermarket.",
                product="Live and dressed broilers.",
                price_note="One unit is one bird, sold live.",
                place="A poultry house in the family's backyard.",
                promotion="Steady supply to two eateries; orders taken by phone.",
                staff="Rosa and her father.",
                legal_form="Sole proprietor; member of the farmers' cooperative.",
                registration="Local business permit; ask the agriculture office about rules.",
            ),
            price=190.0, materials_per_unit=155.0, units_per_month=400.0,
            seasonality=(0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.1, 1.3),
            fixed_costs=6_000.0,
            equipment=(Equipment("Poultry house", 60_000.0, 10.0),
                       Equipment("Feeders and drinkers", 8_000.0, 3.0),
                       Equipment("Brooder", 5_000.0, 3.0)),
            preopening=5_000.0, first_stock=60_000.0, working_capital=30_000.0,
            credit_sales_share=0.3,
            funding=(replace(own, amount=90_000.0),
                     Funding("Help from her parents", "family", 20_000.0),
                     Funding("Government soft loan, no collateral", "government", 60_000.0,
                             0.06, "declining", 24)),
        ),
        "pigs": BusinessPlan(
            name="Dolores's backyard piggery",
            profile=Profile(
                owner="Dolores, back from domestic work abroad; her son helps.",
                idea="Fattening pigs in batches, sold to traders and for fiestas.",
                customers="Traders who come to the village; families before fiestas.",
                competitors="Other backyard raisers; commercial farms.",
                product="Fattened pigs, sold live.",
                price_note="One unit is one fattened pig.",
                place="A pen behind the house, away from the neighbours' well.",
                promotion="Word of mouth; orders taken early for December.",
                staff="Dolores and her son.",
                legal_form="Sole proprietor; member of a cooperative.",
                registration="Local business permit; ask the agriculture office about rules.",
            ),
            price=16_000.0, materials_per_unit=12_500.0, units_per_month=2.0,
            seasonality=(0.0, 0.0, 0.0, 0.0, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 3.6),
            fixed_costs=3_000.0,
            equipment=(Equipment("Pig pen", 50_000.0, 10.0),
                       Equipment("Water system", 8_000.0, 5.0)),
            preopening=3_000.0, first_stock=60_000.0, working_capital=25_000.0,
            funding=(replace(own, amount=96_000.0),
                     Funding("Cooperative loan", "cooperative", 50_000.0, 0.12, "declining", 24)),
            horizon_years=5,  # pens last; the first batch takes months to grow
        ),
        "online_selling": BusinessPlan(
            name="Liza's online shop",
            profile=Profile(
                owner="Liza, a returnee with young children at home.",
                idea="Selling dried fish and snacks from her province online.",
                customers="Families in the city and workers abroad sending gifts home.",
                competitors="Other online sellers; stores in the city.",
                product="Packed dried fish, local snacks, gift bundles.",
                price_note="One unit is one order.",
                place="Online shops and social media; packing at home.",
                promotion="Photos, reviews, a bundle for the holidays.",
                staff="Liza; her husband brings parcels to the courier.",
                legal_form="Sole proprietor.",
                registration="Register the business name; local business permit.",
            ),
            price=350.0, materials_per_unit=240.0, units_per_month=180.0,
            seasonality=(0.8, 0.9, 0.9, 1.0, 1.0, 0.9, 0.9, 0.9, 1.0, 1.1, 1.3, 1.6),
            fixed_costs=12_000.0,
            equipment=(Equipment("Smartphone", 12_000.0, 3.0),
                       Equipment("Ring light and label printer", 4_000.0, 3.0)),
            preopening=2_000.0, first_stock=30_000.0, working_capital=25_000.0,
            credit_sales_share=0.3,
            funding=(replace(own, amount=73_000.0),),
        ),
    }


TEMPLATES: dict[str, BusinessPlan] = _templates()
"""Starting points for businesses returnees often start. Every number is ILLUSTRATIVE: made up
for teaching, in Philippine pesos, not statistics and not advice. The owner changes them."""
