"""A start-your-business plan: capital, costing, a 12-month plan, cash, loans and the three cases.

This is the pure model behind the business-plan app. Frozen dataclasses go in; numbers, NumPy
arrays and pandas tables come out. It imports no widget library, prints nothing and reads no
file. Amounts are plain floats in the plan's currency (the model knows no currency; the view
formats them with ``widgets.money``).

Conventions (the same as :mod:`widgets.loans` and :mod:`widgets.savings.model`)
---------------------------------------------------------------------------
- **Rates and shares are percents**: ``credit_sales_pct=10`` is 10 %, and every rate's name
  says its period (``discount_yearly_rate_pct``, ``irr_yearly_pct``). Multipliers are plain
  factors, and say so: ``seasonality`` (1.0 is an average month) and :data:`CASE_FACTORS`.
- **Money is counted to the cent**: every monthly amount (sales, costs, depreciation,
  interest, cash) is rounded to the cent as a bookkeeper writes it, so each table adds up
  exactly, row by row and to its totals.
- **Loans are** :class:`widgets.loans.Loan`: stated the way the lender states them.

What a plan holds (the substance of a start-your-business plan): the owner and the idea;
customers and competitors; product, price, place and promotion; staff; legal form and
registration (all words, in :class:`Profile`); then the numbers: start-up capital (equipment
with its useful life, pre-opening costs, the first stock and working capital), costing and
pricing, a 12-month sales and cost plan with seasonality, a 12-month cash-flow plan, break-even,
and where the money comes from: money that is not repaid (:class:`Funding`: her savings, a
gift, a grant) and loans (:class:`~widgets.loans.Loan`), each loan with its schedule.

Months
------
Month 1 is the first month the business is open. Start-up spending (equipment, pre-opening
costs, the first stock) and the money raised happen just before month 1, at "month 0". A
loan's payment falls in the month it is due: the first monthly payment in month 1, daily
and weekly payments in the month they fall in.

Sign convention
---------------
Every amount in a plan and in every table is a non-negative size ("she pays 4,000 a month");
the column name says the direction: ``cash_in`` is money received, ``cash_out`` and
``loan_payment`` are money paid out. Profit and cash balances may of course be negative: a
loss, or money the business does not have.

The rules, month by month (m = 1..12)
-------------------------------------
- ``units = units_per_month * seasonality[m]``; ``sales = units * price``.
- ``materials = units * materials_per_unit``, ``labour = units * labour_per_unit``.
- ``depreciation``: each piece of equipment loses ``cost / (life_years * 12)`` a month
  (straight line) until it is written off; in cents, the months add up to its cost.
- ``interest`` and ``loan_payment``: the sums over all loans of their schedules by month.
- ``profit = sales - materials - labour - fixed_costs - depreciation - interest``.
- ``cash_in``: customers pay ``100 - credit_sales_pct`` percent of a month's sales in that
  month and the rest one month later (nothing is owed before month 1).
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

>>> from widgets.business.templates import TEMPLATES
>>> plan = TEMPLATES["sari_sari_store"]
>>> result = analyse(plan)
>>> result.capital.total
100000.0
>>> round(result.costing.margin_pct, 1)  # what is left of each 100 pesos of sales, in percent
7.4
>>> sorted(result.tables)
['best', 'expected', 'worst']
>>> bool(result.totals["worst"].profit < result.totals["expected"].profit)
True

The numbers in :data:`~widgets.business.templates.TEMPLATES` are illustrative, made up for
teaching, not statistics.

Where the money can come from follows what the Joint ILO-UN Women Regional workshop on
effective social and economic reintegration of women migrant workers (Kathmandu, 2014)
recommends in its Conclusions and Recommendations: business start-up counselling linked with
low-cost government and private credit, government guarantee funds that offset the need for
collateral, soft loans without collateral, and access to cooperatives. Reintegration
programmes have granted start-up capital after business counselling and training (ILO press
release "Sustainable reintegration services for Thai, Filipino migrants showcased in ILO-EU
conference", Manila, 2012).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from widgets import loans
from widgets.checks import (
    MAX_AMOUNT,
    PlanError,
    check_amount,
    check_choice,
    check_integer,
    check_number,
    check_range,
    check_text,
)
from widgets.loans import Loan, LoanRates

__all__ = [
    "CASES",
    "CASE_FACTORS",
    "LOAN_KINDS",
    "MAX_AMOUNT",
    "MONTHLY_COLUMNS",
    "REPAYMENT_LIMIT_PCT",
    "SCHEDULE_COLUMNS",
    "SOURCES",
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
    "Loan",
    "PlanWarning",
    "Profile",
    "Totals",
    "analyse",
    "break_even",
    "case_plan",
    "cash_gap",
    "costing",
    "investment",
    "monthly_plan",
    "sensitivity",
    "startup_capital",
    "validate",
]

SOURCES = ("own_savings", "family", "grant")
"""Where money that is NOT repaid comes from (``Funding.source``): her own savings, a gift
from the family, a grant (a reintegration programme's start-up capital)."""

LOAN_KINDS = tuple(loans.KINDS)
"""The kinds of loan a plan may hold (``Loan.kind``, see :data:`widgets.loans.KINDS`)."""

CASES = ("worst", "expected", "best")
"""The three cases every plan is computed for."""

CASE_FACTORS: dict[str, dict[str, float]] = {
    "worst": {"price": 0.9, "volume": 0.8, "cost": 1.1},
    "expected": {"price": 1.0, "volume": 1.0, "cost": 1.0},
    "best": {"price": 1.05, "volume": 1.15, "cost": 0.95},
}
"""How each case multiplies the price, the units sold and the unit cost (illustrative
factors, not percents: 0.9 is 10 % less)."""

REPAYMENT_LIMIT_PCT = 50.0
"""Warn when year-1 loan payments exceed this percentage of the operating profit (profit
before interest and depreciation)."""

MONTHS = 12
MAX_ITEMS = 50
MAX_TEXT = 2000
MAX_SEASONALITY = 100.0
MAX_LIFE_YEARS = 100.0

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

SCHEDULE_COLUMNS = loans.SCHEDULE_COLUMNS
"""Columns of a loan's schedule (see :func:`widgets.loans.schedule`)."""

_MONEY = ("sales", "cash_in", "materials", "labour", "fixed_costs", "depreciation", "interest",
          "profit", "loan_payment", "cash_out", "opening_cash", "closing_cash")


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
    """Money for the business that is not paid back: her savings, a gift, a grant.

    A loan is a :class:`~widgets.loans.Loan` (with its kind, payments and schedule).
    """

    name: str = ""
    source: str = "own_savings"
    amount: float = 0.0

    @property
    def repaid(self) -> bool:
        """False: this money is not paid back."""
        return False


@dataclass(frozen=True)
class BusinessPlan:
    """Everything the model needs to know about one business (field names are a contract).

    Money is in the plan's currency; ``fixed_costs`` are per month and include wages and the
    owner's own pay; ``seasonality`` multiplies the average ``units_per_month`` in months 1..12;
    ``credit_sales_pct`` of each month's sales is paid one month later; ``funding`` holds
    :class:`Funding` (not repaid) and :class:`~widgets.loans.Loan` items;
    ``discount_yearly_rate_pct`` is what money is worth a year elsewhere; ``horizon_years`` is
    how far NPV, IRR and payback look.
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
    credit_sales_pct: float = 0.0
    funding: tuple[Funding | Loan, ...] = ()
    discount_yearly_rate_pct: float = 10.0
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
    month's units (``inf`` when no units are planned). ``margin_pct`` is the margin as a
    percentage of the price (``nan`` when the price is 0). ``contribution_per_unit`` is what
    each unit sold adds towards the fixed costs: price less materials and labour.
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
    """Units and sales a month that cover the fixed costs and depreciation: the classic
    break-even of a price, BEFORE the interest on the loans. The loans' interest (year 1's
    average, ``loan_interest_per_month``) is a cost too, so ``units_with_interest`` and
    ``sales_with_interest`` also cover it: there the month's profit, which counts interest,
    is zero. ``inf`` if no volume is ever enough. The app says both."""

    units_per_month: float
    sales_per_month: float
    loan_interest_per_month: float = 0.0
    units_with_interest: float = 0.0
    sales_with_interest: float = 0.0


@dataclass(frozen=True)
class CashGap:
    """The first month the cash runs out (0: before opening; None if never) and how much more
    money at the start would keep the cash at or above zero in every month."""

    first_short_month: int | None
    extra_needed: float


@dataclass(frozen=True, eq=False)
class Investment:
    """Is the business worth the money put in? Over ``horizon_years``.

    ``npv``: net present value at the plan's discount rate; ``irr_yearly_pct``: the internal
    rate of return compounded over a year, in percent (None if the flows have none;
    ``irr_monthly_pct`` the same per month); ``payback_months``: the first month by which the
    operating cash has paid back the start-up capital (None if not within the horizon).
    ``flows`` are the monthly project cash flows (index 0 = start).
    """

    npv: float
    irr_yearly_pct: float | None
    payback_months: int | None
    irr_monthly_pct: float | None = None
    flows: np.ndarray | None = None


@dataclass(frozen=True)
class Totals:
    """Year-1 totals of one case (each the exact sum of its month column)."""

    sales: float
    profit: float
    lowest_cash: float
    loan_payments: float = 0.0
    operating_profit: float = 0.0  # before interest and depreciation


@dataclass(frozen=True)
class PlanWarning:
    """Something the owner should know, as a code and the numbers its sentence needs.

    The codes and their ``params`` (all for the expected case):

    - ``cash_runs_out``: ``month`` (first month with closing cash below zero; 0 if the money
      raised does not even pay for the start), ``extra`` (money needed at the start so that it
      never is);
    - ``no_funding_for_startup``: ``startup`` (start-up capital), ``funding`` (all money
      raised), ``missing``;
    - ``price_below_cost``: ``price``, ``cost_per_unit`` (full cost), and
      ``below_variable_cost`` (True if the price does not even pay materials and labour);
    - ``repayments_eat_profit``: ``share_pct`` (year-1 loan payments as a percentage of the
      operating profit; ``inf`` if there is no operating profit), ``payments``, ``profit``,
      ``limit_pct``;
    - ``informal_loan``: a 5-6 loan: ``index`` (in ``plan.funding``), ``name``, ``amount``,
      ``apr_pct`` and ``compounded_yearly_pct``.
    """

    code: str
    params: dict


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything the app shows, computed once per change of the plan (see :func:`analyse`).

    ``schedules`` and ``rates`` follow ``plan.funding`` item by item (money that is not repaid
    has an empty schedule and no rates: None).
    """

    plan: BusinessPlan
    capital: Capital
    costing: Costing
    tables: dict[str, pd.DataFrame]
    totals: dict[str, Totals]
    break_even: BreakEven
    gap: CashGap
    investment: Investment
    schedules: list[tuple[Funding | Loan, pd.DataFrame]]
    rates: list[LoanRates | None]
    sensitivity: pd.DataFrame
    warnings: list[PlanWarning]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


class BusinessPlanError(PlanError):
    """An invalid plan. ``field`` names the input as the app keys it, ``code`` the mistake
    (the codes of :mod:`widgets.checks`, and ``repays_less``, ``inconsistent`` for a loan).

    >>> err = BusinessPlanError("funding[1].payments", "out_of_range", "at most 360")
    >>> str(err)
    'funding[1].payments: at most 360'
    >>> isinstance(err, ValueError), isinstance(err, PlanError), err.code
    (True, True, 'out_of_range')
    """


_E = BusinessPlanError


def _items(name: str, value: object, kinds: tuple[type, ...]) -> None:
    if not isinstance(value, tuple | list):
        raise _E(name, "wrong_type", f"must be a list (got {value!r})")
    if len(value) > MAX_ITEMS:
        raise _E(name, "too_many", f"must have at most {MAX_ITEMS} items")
    for k, item in enumerate(value):
        if not isinstance(item, kinds):
            raise _E(f"{name}[{k}]", "wrong_type",
                     f"must be a {' or a '.join(kind.__name__ for kind in kinds)}")


def _validate_equipment(plan: BusinessPlan) -> None:
    _items("equipment", plan.equipment, (Equipment,))
    for k, item in enumerate(plan.equipment):
        check_text(f"equipment[{k}].name", item.name, MAX_TEXT, _E)
        check_amount(f"equipment[{k}].cost", item.cost, error=_E)
        life = check_number(f"equipment[{k}].life_years", item.life_years, _E)
        if life <= 0:
            raise _E(f"equipment[{k}].life_years", "not_positive", f"must be more than 0 (got {life:g})")
        if life > MAX_LIFE_YEARS:
            raise _E(f"equipment[{k}].life_years", "too_large", f"must be at most {MAX_LIFE_YEARS:g}")


def _validate_funding(plan: BusinessPlan) -> None:
    _items("funding", plan.funding, (Funding, Loan))
    for k, item in enumerate(plan.funding):
        name = f"funding[{k}]"
        if isinstance(item, Loan):
            loans.validate_loan(item, name, _E)
            continue
        check_text(f"{name}.name", item.name, MAX_TEXT, _E)
        if item.source == "":
            raise _E(f"{name}.source", "required", "choose where the money comes from")
        check_choice(f"{name}.source", item.source, SOURCES, _E)
        check_amount(f"{name}.amount", item.amount, error=_E)


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
    multipliers between 0 and 100; ``credit_sales_pct`` and ``discount_yearly_rate_pct``
    between 0 and 100; equipment lives more than 0 years; money not repaid from a known
    source; each loan valid (:func:`widgets.loans.validate_loan`); ``horizon_years`` 1..10.

    >>> from widgets.business.templates import TEMPLATES
    >>> validate(TEMPLATES["food_stall"])  # every template is valid
    >>> for bad in [BusinessPlan(price=-1), BusinessPlan(seasonality=(1.0,) * 11),
    ...             BusinessPlan(equipment=(Equipment("Oven", 9000, 0),)),
    ...             BusinessPlan(credit_sales_pct=0.3 * 1000),
    ...             BusinessPlan(funding=(Loan("bank", 9000, 500, 12),))]:
    ...     try:
    ...         validate(bad)
    ...     except BusinessPlanError as err:
    ...         print(err.field, err.code)
    price negative
    seasonality wrong_length
    equipment[0].life_years not_positive
    credit_sales_pct out_of_range
    funding[0].payment repays_less
    """
    if not isinstance(plan, BusinessPlan):
        raise _E("plan", "wrong_type", f"must be a BusinessPlan (got {type(plan).__name__})")
    check_text("name", plan.name, MAX_TEXT, _E)
    if not isinstance(plan.profile, Profile):
        raise _E("profile", "wrong_type", "must be a Profile")
    for name in _PROFILE_FIELDS:
        check_text(f"profile.{name}", getattr(plan.profile, name), MAX_TEXT, _E)
    for name in _AMOUNTS:
        check_amount(name, getattr(plan, name), error=_E)
    if not isinstance(plan.seasonality, tuple | list) or len(plan.seasonality) != MONTHS:
        count = len(plan.seasonality) if isinstance(plan.seasonality, tuple | list) else "no"
        raise _E("seasonality", "wrong_length", f"must be 12 numbers (got {count})")
    for k, value in enumerate(plan.seasonality):
        check_amount(f"seasonality[{k}]", value, MAX_SEASONALITY, _E)
    _validate_equipment(plan)
    check_range("credit_sales_pct", plan.credit_sales_pct, 0, 100, _E)
    _validate_funding(plan)
    check_range("discount_yearly_rate_pct", plan.discount_yearly_rate_pct, 0, 100, _E)
    check_integer("horizon_years", plan.horizon_years, 1, 10, _E)


def _check_case(case: str) -> None:
    if case not in CASE_FACTORS:
        raise _E("case", "not_a_case", f"must be one of {', '.join(CASES)} (got {case!r})")


# --------------------------------------------------------------------------------------------
# The engine, in cents: everything that does not change between the cases, computed once
# --------------------------------------------------------------------------------------------


def _cents(values) -> np.ndarray:
    """Money in whole cents (as floats holding integers), halves away from zero."""
    values = np.asarray(values, dtype=float) * 100.0
    return np.copysign(np.floor(np.abs(values) + 0.5), values)


@dataclass(frozen=True, eq=False)
class _Base:
    plan: BusinessPlan
    capital: Capital
    funding_total: float  # cents
    season: np.ndarray  # (12,)
    depreciation: np.ndarray  # cents, (horizon months,), month 1 first
    book_value_end: float  # cents
    loan_payment: np.ndarray  # cents, (12,)
    interest: np.ndarray  # cents, (12,)
    fixed: float  # cents a month
    schedules: tuple[pd.DataFrame, ...]  # per funding item (empty when not repaid)
    rates: tuple[LoanRates | None, ...]


def _depreciation(plan: BusinessPlan, months: int) -> tuple[np.ndarray, float]:
    """Depreciation by month in cents (each item's months add up to its cost over its life),
    and the book value left after ``months``."""
    if not plan.equipment:
        return np.zeros(months), 0.0
    cost = _cents([float(e.cost) for e in plan.equipment])
    life = np.array([float(e.life_years) * 12.0 for e in plan.equipment])
    used = np.arange(months + 1, dtype=float)  # whole months used by the end of month m
    written = _cents(np.minimum(used[None, :] / life[:, None], 1.0) * cost[:, None] / 100.0)
    per_item = np.diff(written, axis=1)
    return per_item.sum(axis=0), float((cost - written[:, -1]).sum())


def _capital(plan: BusinessPlan) -> Capital:
    parts = _cents([sum(float(e.cost) for e in plan.equipment), float(plan.preopening),
                    float(plan.first_stock), float(plan.working_capital)])
    return Capital(*(float(p) / 100 for p in parts), total=float(parts.sum()) / 100)


_EMPTY_SCHEDULE = pd.DataFrame({column: pd.Series(dtype=float) for column in SCHEDULE_COLUMNS})


def _base(plan: BusinessPlan) -> _Base:
    depreciation, book = _depreciation(plan, plan.horizon_years * MONTHS)
    loan_payment, interest = np.zeros(MONTHS), np.zeros(MONTHS)
    schedules, rates = [], []
    for item in plan.funding:
        if not isinstance(item, Loan):
            schedules.append(_EMPTY_SCHEDULE)
            rates.append(None)
            continue
        paid, paid_interest, _principal, _owed = loans.by_month(item, MONTHS)
        loan_payment += _cents(paid)
        interest += _cents(paid_interest)
        schedules.append(loans.schedule(item))
        rates.append(loans.rates(item))
    funding = _cents([float(f.amount) for f in plan.funding]).sum() if plan.funding else 0.0
    return _Base(
        plan=plan,
        capital=_capital(plan),
        funding_total=float(funding),
        season=np.asarray(plan.seasonality, dtype=float),
        depreciation=depreciation,
        book_value_end=book,
        loan_payment=loan_payment,
        interest=interest,
        fixed=float(_cents(plan.fixed_costs)),
        schedules=tuple(schedules),
        rates=tuple(rates),
    )


def _start(base: _Base) -> float:
    """Cash at the opening of month 1, in cents: money raised less start-up spending."""
    spent = _cents(base.capital.total - base.capital.working_capital)
    return base.funding_total - float(spent)


def _year(base: _Base, price: float = 1.0, volume: float = 1.0, cost: float = 1.0) -> dict[str, np.ndarray]:
    """The 12-month arrays for one set of factors (1.0 = the plan as typed); money in cents."""
    plan = base.plan
    units = (plan.units_per_month * volume) * base.season
    sales = _cents(units * (plan.price * price))
    materials = _cents(units * (plan.materials_per_unit * cost))
    labour = _cents(units * (plan.labour_per_unit * cost))
    fixed = np.full(MONTHS, base.fixed)
    depreciation = base.depreciation[:MONTHS]
    profit = sales - materials - labour - fixed - depreciation - base.interest
    paid_now = np.floor(sales * (1.0 - plan.credit_sales_pct / 100.0) + 0.5)
    owed = sales - paid_now
    cash_in = paid_now + np.concatenate(([0.0], owed[:-1]))
    cash_out = materials + labour + fixed + base.loan_payment
    start = _start(base)
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
        "cash_short": closing < 0,
    }


def _frame(year: dict[str, np.ndarray]) -> pd.DataFrame:
    """The 12-month table, money back in currency units (each value a whole number of cents)."""
    return pd.DataFrame({name: year[name] / 100.0 if name in _MONEY else year[name]
                         for name in MONTHLY_COLUMNS})


def _factors(case: str) -> tuple[float, float, float]:
    f = CASE_FACTORS[case]
    return f["price"], f["volume"], f["cost"]


def _totals(year: dict[str, np.ndarray]) -> Totals:
    operating = year["sales"] - year["materials"] - year["labour"] - year["fixed_costs"]
    return Totals(
        sales=float(year["sales"].sum()) / 100,
        profit=float(year["profit"].sum()) / 100,
        lowest_cash=float(year["closing_cash"].min()) / 100,
        loan_payments=float(year["loan_payment"].sum()) / 100,
        operating_profit=float(operating.sum()) / 100,
    )


def _gap(year: dict[str, np.ndarray]) -> CashGap:
    """Month 0 counts: money raised that does not pay for the start is a gap before opening."""
    cash = np.concatenate((year["opening_cash"][:1], year["closing_cash"]))
    short = np.flatnonzero(cash < 0)
    if not short.size:
        return CashGap(None, 0.0)
    return CashGap(int(short[0]), float(-cash.min()) / 100)


def _costing(base: _Base) -> Costing:
    plan = base.plan
    depreciation = float(base.depreciation[:MONTHS].mean()) / 100
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
        margin_pct=100.0 * margin / price if price > 0 else math.nan,
        contribution_per_unit=price - float(plan.materials_per_unit) - float(plan.labour_per_unit),
        fixed_costs=float(plan.fixed_costs),
        depreciation_per_month=depreciation,
    )


def _break_even(base: _Base, costs: Costing) -> BreakEven:
    interest = float(base.interest.mean()) / 100
    fixed = costs.fixed_costs + costs.depreciation_per_month
    contribution = costs.contribution_per_unit
    if contribution <= 0:
        return BreakEven(math.inf, math.inf, interest, math.inf, math.inf)
    units, with_interest = fixed / contribution, (fixed + interest) / contribution
    return BreakEven(units, units * costs.price, interest, with_interest,
                     with_interest * costs.price)


def _yearly_pct(monthly: float | None) -> float | None:
    """A monthly rate (a fraction) compounded over a year, in percent."""
    if monthly is None:
        return None
    power = 12.0 * math.log1p(monthly)
    return 100.0 * math.expm1(power) if power < 700 else math.inf


def _investment(base: _Base, year: dict[str, np.ndarray]) -> Investment:
    """Project flows: start-up capital out at month 0, operating cash each month after.

    Months 13.. repeat months 1..12 (customers who buy on credit pay the following month, also
    across the year end). At the end of the horizon what is still in the business comes back:
    the working capital, the first stock, what customers owe and the equipment's book value.
    Loans are left out: this asks whether the business itself is worth the money.
    """
    plan = base.plan
    n_years = plan.horizon_years
    sales = year["sales"]
    paid_now = np.floor(sales * (1.0 - plan.credit_sales_pct / 100.0) + 0.5)
    owed = sales - paid_now
    operating_out = year["materials"] + year["labour"] + year["fixed_costs"]
    steady_in = paid_now + np.roll(owed, 1)
    operating = np.tile(steady_in - operating_out, n_years)
    operating[:MONTHS] = year["cash_in"] - operating_out
    capital = float(_cents(base.capital.total))
    recovery = (float(_cents(plan.working_capital)) + float(_cents(plan.first_stock))
                + float(owed[-1]) + base.book_value_end)
    flows = np.concatenate(([-capital], operating)) / 100
    flows[-1] += recovery / 100
    monthly = (1.0 + plan.discount_yearly_rate_pct / 100.0) ** (1.0 / 12.0) - 1.0
    npv = float(np.sum(flows / (1.0 + monthly) ** np.arange(len(flows))))
    irr_m = loans._irr(flows)
    paid_back = np.flatnonzero(np.cumsum(operating) >= capital)
    if capital <= 0:
        payback = 0
    else:
        payback = int(paid_back[0]) + 1 if paid_back.size else None
    return Investment(npv, _yearly_pct(irr_m), payback,
                      None if irr_m is None else 100.0 * irr_m, flows)


def _prepare(plan: BusinessPlan, case: str = "expected") -> _Base:
    validate(plan)
    _check_case(case)
    return _base(plan)


# --------------------------------------------------------------------------------------------
# Public compute functions
# --------------------------------------------------------------------------------------------


def startup_capital(plan: BusinessPlan) -> Capital:
    """What the business needs before the first sale, and the total.

    >>> from widgets.business.templates import TEMPLATES
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

    >>> from widgets.business.templates import TEMPLATES
    >>> c = costing(TEMPLATES["tailoring"])
    >>> round(c.overhead_per_unit, 2), round(c.cost_per_unit, 2)
    (136.76, 346.76)
    >>> round(c.margin_per_unit, 2), round(c.margin_pct, 1), c.contribution_per_unit
    (103.24, 22.9, 240.0)
    """
    return _costing(_prepare(plan))


def monthly_plan(plan: BusinessPlan, case: str = "expected") -> pd.DataFrame:
    """The 12-month sales, cost, profit and cash-flow plan (columns :data:`MONTHLY_COLUMNS`).

    The rules are in the module docstring. A poultry farm sells nothing in month 1 (the first
    batch is still growing) and some buyers pay a month late, so the cash is lowest early:

    >>> from widgets.business.templates import TEMPLATES
    >>> table = monthly_plan(TEMPLATES["poultry"])
    >>> float(table.sales[0]), float(table.cash_in[1]) < float(table.sales[1])
    (0.0, True)

    Cash carries over: each month opens with what the month before closed with, and every
    month adds up to the cent:

    >>> bool((table.opening_cash[1:].to_numpy() == table.closing_cash[:-1].to_numpy()).all())
    True
    >>> c = (table[["opening_cash", "cash_in", "cash_out", "closing_cash"]] * 100).round()
    >>> bool((c.opening_cash + c.cash_in - c.cash_out == c.closing_cash).all())
    True
    """
    base = _prepare(plan, case)
    return _frame(_year(base, *_factors(case)))


def case_plan(plan: BusinessPlan, case: str) -> BusinessPlan:
    """The plan as it would be in a ``worst`` or ``best`` case (see :data:`CASE_FACTORS`).

    >>> from widgets.business.templates import TEMPLATES
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
    """Units (and sales) a month at which the business covers its fixed costs and
    depreciation, and how many more it needs to pay its loans' interest too.

    Each unit sold contributes its price less materials and labour. For the food stall: each
    meal of 70 costs 38 in ingredients, so it contributes 32; the stall's 24,500 a month of
    fixed costs and about 917 of depreciation need about 794 meals a month. Its government
    loan's interest, about 117 a month in year 1, needs 4 meals more:

    >>> from widgets.business.templates import TEMPLATES
    >>> b = break_even(TEMPLATES["food_stall"])
    >>> round(b.units_per_month), round(b.sales_per_month), round(b.loan_interest_per_month)
    (794, 55599, 117)
    >>> round(b.units_with_interest), round(b.sales_with_interest)
    (798, 55855)

    With a price at or below the unit cost, no volume is ever enough:

    >>> break_even(BusinessPlan(price=30, materials_per_unit=38, fixed_costs=1000)).units_per_month
    inf
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

    Money raised that does not even pay for the equipment is a gap before opening (month 0):

    >>> gap = cash_gap(BusinessPlan(equipment=(Equipment("Motorbike", 150_000, 5),),
    ...                             funding=(Funding("Savings", "own_savings", 20_000),)))
    >>> gap.first_short_month, gap.extra_needed
    (0, 130000.0)
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
    >>> inv.payback_months, round(inv.npv), round(inv.irr_monthly_pct, 4), round(inv.irr_yearly_pct, 1)
    (20, 131064, 5.0, 79.6)

    The money earns 5 % a month (5,000 on 100,000), which compounds to about 80 % a year.
    numpy-financial gives the same NPV on the same monthly flows:

    >>> import numpy_financial as npf
    >>> round(float(npf.npv(1.1 ** (1 / 12) - 1, inv.flows)))
    131064
    """
    base = _prepare(plan, case)
    return _investment(base, _year(base, *_factors(case)))


def sensitivity(plan: BusinessPlan, change_pct: float = 10.0) -> pd.DataFrame:
    """Year-1 profit when the price, the volume or the unit cost moves by ``change_pct``
    percent down (``minus``) or up (``plus``); one driver at a time, the others as planned.

    >>> from widgets.business.templates import TEMPLATES
    >>> s = sensitivity(TEMPLATES["sari_sari_store"])
    >>> s.round(0)
               minus     base      plus
    price   -31524.0  76476.0  184476.0
    volume   57036.0  76476.0   95916.0
    cost    165036.0  76476.0  -12084.0

    A 10 % lower price wipes out the profit; a 10 % cut in sales only trims it. In a store
    that sells at a small margin, the price (and the cost of the goods) matter most.
    """
    check_number("change_pct", change_pct, _E)
    if not 0.0 < change_pct < 100.0:
        raise _E("change_pct", "out_of_range", "must be between 0 and 100")
    return _sensitivity(_prepare(plan), change_pct)


def _sensitivity(base: _Base, change_pct: float) -> pd.DataFrame:
    """Each cell is a year's profit counted again in cents, month by month, exactly as
    :func:`_year` counts it, so ``base`` is the profit the tables show."""
    low, high = 1.0 - change_pct / 100.0, 1.0 + change_pct / 100.0
    rows = []
    for driver in ("price", "volume", "cost"):
        row = []
        for factor in (low, 1.0, high):
            factors = {"price": 1.0, "volume": 1.0, "cost": 1.0, driver: factor}
            row.append(_profit(base, factors["price"], factors["volume"], factors["cost"]))
        rows.append(row)
    return pd.DataFrame(rows, index=["price", "volume", "cost"], columns=["minus", "base", "plus"])


def _profit(base: _Base, price: float, volume: float, cost: float) -> float:
    """Year-1 profit for one set of factors: the ``profit`` column of :func:`_year`, summed."""
    plan = base.plan
    units = (plan.units_per_month * volume) * base.season
    sales = _cents(units * (plan.price * price))
    materials = _cents(units * (plan.materials_per_unit * cost))
    labour = _cents(units * (plan.labour_per_unit * cost))
    fixed = MONTHS * base.fixed + float(base.depreciation[:MONTHS].sum() + base.interest.sum())
    return float(sales.sum() - materials.sum() - labour.sum() - fixed) / 100


def _warnings(base: _Base, costs: Costing, year: dict[str, np.ndarray], gap: CashGap,
              limit_pct: float) -> list[PlanWarning]:
    plan = base.plan
    found: list[PlanWarning] = []
    if gap.first_short_month is not None:
        found.append(PlanWarning("cash_runs_out", {"month": gap.first_short_month,
                                                   "extra": gap.extra_needed}))
    missing = base.capital.total - base.funding_total / 100
    if missing > 0.005:
        found.append(PlanWarning("no_funding_for_startup", {
            "startup": base.capital.total, "funding": base.funding_total / 100,
            "missing": missing}))
    if math.isfinite(costs.cost_per_unit) and costs.price < costs.cost_per_unit - 1e-9:
        found.append(PlanWarning("price_below_cost", {
            "price": costs.price, "cost_per_unit": costs.cost_per_unit,
            "below_variable_cost": costs.contribution_per_unit < 0}))
    totals = _totals(year)
    payments, operating = totals.loan_payments, totals.operating_profit
    if payments > 0.005 and (operating <= 0 or 100 * payments > limit_pct * operating):
        share = 100.0 * payments / operating if operating > 0 else math.inf
        found.append(PlanWarning("repayments_eat_profit", {
            "share_pct": share, "payments": payments, "profit": operating,
            "limit_pct": limit_pct}))
    for k, (item, rates) in enumerate(zip(plan.funding, base.rates, strict=True)):
        if isinstance(item, Loan) and item.kind == "five_six":
            found.append(PlanWarning("informal_loan", {
                "index": k, "name": item.name, "amount": float(item.amount),
                "apr_pct": rates.apr_pct, "compounded_yearly_pct": rates.compounded_yearly_pct}))
    return found


def analyse(plan: BusinessPlan, repayment_limit_pct: float = REPAYMENT_LIMIT_PCT) -> Analysis:
    """Everything the app shows, from one plan: validate once, compute every case.

    ``tables`` and ``totals`` hold the worst, expected and best cases; ``gap``,
    ``investment``, ``break_even`` and ``warnings`` are for the expected case.

    >>> from widgets.business.templates import TEMPLATES
    >>> a = analyse(TEMPLATES["sari_sari_store"])
    >>> [(case, round(t.profit)) for case, t in a.totals.items()]
    [('worst', -119652), ('expected', 76476), ('best', 218658)]
    >>> [w.code for w in a.warnings]
    ['informal_loan']
    >>> round(a.warnings[0].params["apr_pct"])  # the daily 5-6 lender, counted per year
    226

    The totals are the sums of the table's months, to the cent:

    >>> a.totals["expected"].profit == round(float(a.tables["expected"].profit.sum()), 2)
    True
    """
    base = _prepare(plan)
    check_range("repayment_limit_pct", repayment_limit_pct, 0, 10_000, _E)
    years = {case: _year(base, *_factors(case)) for case in CASES}
    costs = _costing(base)
    gap = _gap(years["expected"])
    return Analysis(
        plan=plan,
        capital=base.capital,
        costing=costs,
        tables={case: _frame(year) for case, year in years.items()},
        totals={case: _totals(year) for case, year in years.items()},
        break_even=_break_even(base, costs),
        gap=gap,
        investment=_investment(base, years["expected"]),
        schedules=list(zip(plan.funding, base.schedules, strict=True)),
        rates=list(base.rates),
        sensitivity=_sensitivity(base, 10.0),
        warnings=_warnings(base, costs, years["expected"], gap, repayment_limit_pct),
    )


def __getattr__(name: str):
    """``model.TEMPLATES``: the example plans live in :mod:`widgets.business.templates`."""
    if name == "TEMPLATES":
        from widgets.business.templates import TEMPLATES

        return TEMPLATES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
