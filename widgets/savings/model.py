"""A month-by-month household savings plan for a migrant worker, before and after her return.

This module is the pure model behind the savings simulator: frozen dataclasses in, NumPy
arrays and a pandas table out. It imports no widget library, prints nothing and reads no
file. Amounts are plain floats in one currency, the plan's currency; the view formats them.
Months are integer indexes: month 0 is the plan's first month; the view turns them into dates.

Sign convention
---------------
Every amount in a :class:`Plan` is a non-negative size ("she pays 4,000 a month"), never a
signed cash flow. In the results, each column is also non-negative and its name says the
direction (``debt_payment`` is money paid out, ``group_payout`` is money received). Where
numpy-financial is used, its own convention applies: money paid out is negative.

The rules, month by month
-------------------------
Let R be the effective return month: ``return_month``, or ``shocks.early_return_month`` if
that is earlier. Months before R are spent abroad; from month R on she is at home.

1. Interest first. Her personal savings and the family's savings each earn one month of
   interest (annual rate / 12, compounded monthly) on the balance they start the month with.
   Balances are never negative, so interest is never negative either.
2. While she is abroad (month < R):
   - she earns ``income_abroad`` (less ``shocks.income_cut_pct`` from
     ``shocks.income_cut_from`` on), and pays ``spending_abroad`` for her own living;
   - she sends ``remittance`` home and pays ``transfer_fee`` for the transfer, except in the
     months listed in ``shocks.remittance_stops``: then nothing is sent and no fee is paid;
   - she pays the debt instalment and the savings-group contribution;
   - what is left goes into her personal savings; if the month is negative it is drawn from
     them; what her savings cannot cover is recorded as ``unfunded``;
   - the family receives the remittance less the exchange-rate margin
     (``remittance * (1 - fx_margin_pct / 100)``), pays its living expenses
     (``expenses_before``, raised by inflation), and the difference goes into, or comes out
     of, the family's savings; what they cannot cover is ``unfunded`` too.
3. At home (month >= R): the household earns ``local_income`` (with the same income cut) and
   pays ``expenses_after`` (raised by inflation), the debt instalment and the group
   contribution. A surplus goes into the family's savings. A shortfall is drawn from the
   family's savings first, then from her personal savings; what neither can cover is
   ``unfunded``: money the household does not have.
4. Inflation raises expenses smoothly: in month t they are ``base * (1 + inflation) ** (t / 12)``.
5. The debt (for example a recruitment-fee loan) earns interest at ``annual_rate_pct / 12``
   each month; then ``min(monthly_payment, balance)`` is paid, until it is paid off.
6. A rotating savings group (paluwagan, arisan): each member pays ``contribution`` every month
   for ``members`` months from ``start_month``; in month ``start_month + payout_turn - 1`` she
   receives the whole pot, ``contribution * members``. The pot always goes into her personal
   savings. Months beyond the horizon are simply not simulated.
7. The cost of sending money home, in a month she sends, is
   ``transfer_fee + remittance * fx_margin_pct / 100``.

Every month, money is conserved (the tests check this identity for many plans)::

    income + group_payout + personal_interest + family_interest + unfunded
      == spending_abroad + remitting_cost + expenses + debt_payment + group_contribution
         + change in personal_savings + change in family_savings

The default values of every dataclass are an illustrative example of a Filipino domestic
worker abroad, in Philippine pesos (PHP). They are made-up numbers for teaching, not
statistics.

Examples
--------
A plan is a record; ``simulate`` turns it into a table, ``summarize`` into a few answers.

>>> plan = Plan()
>>> table = simulate(plan)
>>> len(table), plan.return_month
(60, 24)
>>> bool(table.loc[23, "at_home"]), bool(table.loc[24, "at_home"])
(False, True)
>>> summary = summarize(plan)
>>> round(summary.remitting_cost_pct, 2)  # fee 250 + margin 1.5% on 15,000 sent
3.17
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

import numpy as np
import numpy_financial as npf
import pandas as pd

__all__ = [
    "Debt",
    "Goal",
    "GoalResult",
    "Plan",
    "PlanError",
    "SavingsGroup",
    "ScenarioBand",
    "Shocks",
    "Summary",
    "debt_schedule",
    "effective_return_month",
    "monthly_rate",
    "payments_to_repay",
    "remitting_cost",
    "scenario_band",
    "simulate",
    "simulate_scenarios",
    "summarize",
    "validate",
]

MAX_AMOUNT = 1e12
"""Largest amount accepted anywhere in a plan (in the plan's currency)."""

COLUMNS = (
    "month",
    "at_home",
    "income",
    "spending_abroad",
    "remittance_sent",
    "remitting_cost",
    "family_received",
    "expenses",
    "debt_payment",
    "debt_balance",
    "group_contribution",
    "group_payout",
    "personal_interest",
    "family_interest",
    "personal_savings",
    "family_savings",
    "total_savings",
    "unfunded",
)
"""Columns of the table returned by :func:`simulate`, in order."""


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """Something the family is saving for (illustrative default: a house repair, in PHP).

    ``amount`` is the sum needed and ``target_month`` the month by which it is wanted.
    """

    name: str = "House repair"
    amount: float = 120_000.0
    target_month: int = 30


@dataclass(frozen=True)
class Debt:
    """A loan being repaid every month, for example a recruitment-fee loan.

    Illustrative default, in PHP: 30,000 borrowed at 24% a year, repaid at 3,000 a month.
    """

    principal: float = 30_000.0
    annual_rate_pct: float = 24.0
    monthly_payment: float = 3_000.0


@dataclass(frozen=True)
class SavingsGroup:
    """A rotating savings group: paluwagan in the Philippines, arisan in Indonesia.

    Each of ``members`` pays ``contribution`` every month for ``members`` months starting at
    ``start_month``; in month ``start_month + payout_turn - 1`` it is her turn to receive the
    whole pot, ``contribution * members``. ``payout_turn`` counts from 1.

    Illustrative default, in PHP: 10 members paying 2,000 a month from month 1; her turn is
    the 6th, so she receives 20,000 in month 6.
    """

    contribution: float = 2_000.0
    members: int = 10
    payout_turn: int = 6
    start_month: int = 0


@dataclass(frozen=True)
class Shocks:
    """What-ifs: things that can go wrong.

    - ``early_return_month``: she comes home in this month instead (only if it is earlier
      than the plan's ``return_month``);
    - ``remittance_stops``: months abroad in which no money is sent home (the money stays
      with her; the family lives on its savings);
    - ``income_cut_pct`` from ``income_cut_from`` on: her income abroad and the household's
      local income are cut by this percentage.

    The default is no shock at all.
    """

    early_return_month: int | None = None
    remittance_stops: tuple[int, ...] = ()
    income_cut_pct: float = 0.0
    income_cut_from: int = 0


@dataclass(frozen=True)
class Plan:
    """Everything the simulator needs to know about one household (field names are a contract).

    The defaults are an illustrative example of a Filipino domestic worker abroad, in PHP:
    made-up numbers for teaching, not statistics. Monthly amounts are in the plan's
    currency; rates are percentages per year.
    """

    months: int = 60
    return_month: int = 24
    income_abroad: float = 28_000.0
    spending_abroad: float = 4_000.0
    remittance: float = 15_000.0
    transfer_fee: float = 250.0
    fx_margin_pct: float = 1.5
    expenses_before: float = 13_000.0
    expenses_after: float = 18_000.0
    inflation_pct: float = 4.0
    local_income: float = 9_000.0
    personal_savings: float = 20_000.0
    personal_rate_pct: float = 2.5
    family_savings: float = 10_000.0
    family_rate_pct: float = 0.5
    emergency_months: float = 3.0
    goals: tuple[Goal, ...] = (
        Goal("House repair", 120_000.0, 30),
        Goal("Business capital", 60_000.0, 26),
    )
    debt: Debt | None = Debt()
    group: SavingsGroup | None = SavingsGroup(2_000.0, 10, 6, 1)
    shocks: Shocks = field(default_factory=Shocks)
    income_variability_pct: float = 0.0
    scenarios: int = 500
    seed: int = 2026


@dataclass(frozen=True)
class GoalResult:
    """When a goal is reached: ``reached_month`` is None if never within the horizon."""

    name: str
    amount: float
    target_month: int
    reached_month: int | None
    on_time: bool


@dataclass(frozen=True)
class Summary:
    """The answers a returnee asks for, computed by :func:`summarize`."""

    savings_at_return: float
    months_savings_last_after_return: int | None
    emergency_fund_target: float
    emergency_fund_full_month: int | None
    goals: tuple[GoalResult, ...]
    total_remitted: float
    total_remitting_cost: float
    remitting_cost_pct: float
    debt_free_month: int | None
    total_unfunded: float


@dataclass(frozen=True, eq=False)
class ScenarioBand:
    """Total savings per month across random income scenarios: 10th, 50th, 90th percentile."""

    months: np.ndarray
    p10: np.ndarray
    p50: np.ndarray
    p90: np.ndarray
    scenarios: int


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


class PlanError(ValueError):
    """An invalid plan. ``field`` is the dotted field name, ``code`` a short machine code.

    >>> err = PlanError("goals[1].amount", "negative", "must not be negative")
    >>> str(err)
    'goals[1].amount: must not be negative'
    >>> isinstance(err, ValueError), err.code
    (True, 'negative')
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code


def _is_integer(value: object) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_number(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise PlanError(name, "not_a_number", f"must be a number (got {value!r})")
    if not math.isfinite(value):
        raise PlanError(name, "not_a_number", f"must be a finite number (got {value!r})")
    return float(value)


def _check_amount(name: str, value: object) -> None:
    amount = _check_number(name, value)
    if amount < 0:
        raise PlanError(name, "negative", f"must not be negative (got {amount:g})")
    if amount > MAX_AMOUNT:
        raise PlanError(name, "too_large", f"must be at most {MAX_AMOUNT:g} (got {amount:g})")


def _check_range(name: str, value: object, low: float, high: float) -> None:
    number = _check_number(name, value)
    if not low <= number <= high:
        raise PlanError(name, "out_of_range", f"must be between {low:g} and {high:g} (got {number:g})")


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if not _is_integer(value):
        raise PlanError(name, "not_an_integer", f"must be a whole number (got {value!r})")
    if not low <= value <= high:
        raise PlanError(name, "out_of_range", f"must be between {low} and {high} (got {value})")


def _check_type(name: str, value: object, kind: type) -> None:
    if not isinstance(value, kind):
        raise PlanError(name, "wrong_type", f"must be a {kind.__name__} (got {value!r})")


def _validate_goals(plan: Plan) -> None:
    _check_type("goals", plan.goals, tuple)
    for k, goal in enumerate(plan.goals):
        name = f"goals[{k}]"
        _check_type(name, goal, Goal)
        if not isinstance(goal.name, str) or not goal.name.strip():
            raise PlanError(f"{name}.name", "empty", "a goal needs a name")
        _check_amount(f"{name}.amount", goal.amount)
        _check_int(f"{name}.target_month", goal.target_month, 0, plan.months - 1)


def _validate_debt(debt: Debt | None) -> None:
    if debt is None:
        return
    _check_type("debt", debt, Debt)
    _check_amount("debt.principal", debt.principal)
    _check_range("debt.annual_rate_pct", debt.annual_rate_pct, 0, 100)
    _check_amount("debt.monthly_payment", debt.monthly_payment)
    interest = debt.principal * monthly_rate(debt.annual_rate_pct)
    if debt.principal > 0 and debt.monthly_payment <= interest:
        raise PlanError(
            "debt.monthly_payment",
            "never_repaid",
            f"a payment of {debt.monthly_payment:g} does not cover the first month's interest "
            f"({interest:g}): the loan would never be repaid",
        )


def _validate_group(group: SavingsGroup | None, months: int) -> None:
    if group is None:
        return
    _check_type("group", group, SavingsGroup)
    _check_amount("group.contribution", group.contribution)
    _check_int("group.members", group.members, 2, 360)
    _check_int("group.payout_turn", group.payout_turn, 1, group.members)
    _check_int("group.start_month", group.start_month, 0, months - 1)


def _validate_shocks(shocks: Shocks, months: int) -> None:
    _check_type("shocks", shocks, Shocks)
    if shocks.early_return_month is not None:
        _check_int("shocks.early_return_month", shocks.early_return_month, 0, months)
    _check_type("shocks.remittance_stops", shocks.remittance_stops, tuple)
    for k, month in enumerate(shocks.remittance_stops):
        _check_int(f"shocks.remittance_stops[{k}]", month, 0, months - 1)
    _check_range("shocks.income_cut_pct", shocks.income_cut_pct, 0, 100)
    _check_int("shocks.income_cut_from", shocks.income_cut_from, 0, months - 1)


_AMOUNTS = (
    "income_abroad",
    "spending_abroad",
    "remittance",
    "transfer_fee",
    "expenses_before",
    "expenses_after",
    "local_income",
    "personal_savings",
    "family_savings",
)
_RATES = ("fx_margin_pct", "personal_rate_pct", "family_rate_pct", "income_variability_pct")


def validate(plan: Plan) -> None:
    """Check a plan; raise :class:`PlanError` naming the first bad field.

    Amounts must be finite, not negative and at most 1e12; rates between 0 and 100
    (inflation between -10 and 100); the horizon 12 to 360 months; months inside it.

    >>> validate(Plan())  # the illustrative plan is valid
    >>> try:
    ...     validate(Plan(remittance=-1))
    ... except PlanError as err:
    ...     print(err.field, err.code)
    remittance negative
    """
    _check_type("plan", plan, Plan)
    _check_int("months", plan.months, 12, 360)
    _check_int("return_month", plan.return_month, 0, plan.months)
    for name in _AMOUNTS:
        _check_amount(name, getattr(plan, name))
    for name in _RATES:
        _check_range(name, getattr(plan, name), 0, 100)
    _check_range("inflation_pct", plan.inflation_pct, -10, 100)
    _check_range("emergency_months", plan.emergency_months, 0, 120)
    _validate_goals(plan)
    _validate_debt(plan.debt)
    _validate_group(plan.group, plan.months)
    _validate_shocks(plan.shocks, plan.months)
    _check_int("scenarios", plan.scenarios, 1, 10_000)
    _check_int("seed", plan.seed, 0, 2**63 - 1)


# --------------------------------------------------------------------------------------------
# Small finance helpers
# --------------------------------------------------------------------------------------------


def monthly_rate(annual_rate_pct: float) -> float:
    """Turn an annual percentage into the monthly rate used for monthly compounding.

    A savings account paying 6% a year pays half a percent each month:

    >>> monthly_rate(6.0)
    0.005

    Over a year that compounds to a little more than 6%:

    >>> round((1 + monthly_rate(6.0)) ** 12 - 1, 5)
    0.06168
    """
    return annual_rate_pct / 1200.0


def remitting_cost(remittance: float, transfer_fee: float, fx_margin_pct: float) -> float:
    """What it costs to send ``remittance`` home once: the fee plus the exchange-rate margin.

    Sending 15,000 with a 250 fee and a 1.5% margin costs 475, more than 3% of what is sent:

    >>> remitting_cost(15_000, 250, 1.5)
    475.0
    >>> round(100 * remitting_cost(15_000, 250, 1.5) / 15_000, 2)
    3.17

    A flat fee weighs more on small transfers: sending 5,000 the same way costs 6.5%.

    >>> round(100 * remitting_cost(5_000, 250, 1.5) / 5_000, 2)
    6.5
    """
    return float(transfer_fee + remittance * fx_margin_pct / 100.0)


def effective_return_month(plan: Plan) -> int:
    """The first month at home: the planned return, or an earlier forced return.

    >>> effective_return_month(Plan(return_month=24))
    24
    >>> effective_return_month(Plan(return_month=24, shocks=Shocks(early_return_month=10)))
    10
    """
    early = plan.shocks.early_return_month
    return plan.return_month if early is None else min(plan.return_month, early)


def payments_to_repay(debt: Debt) -> int:
    """How many monthly payments repay the debt, the last one possibly smaller.

    numpy-financial's ``nper`` counts the payments (the loan is money received, so the
    payments are negative); a fraction of a payment still takes a month:

    >>> payments_to_repay(Debt(30_000, 24, 3_000))
    12

    Without interest it is plain division:

    >>> payments_to_repay(Debt(30_000, 0, 3_000))
    10
    """
    if debt.principal <= 0:
        return 0
    rate = monthly_rate(debt.annual_rate_pct)
    if rate == 0.0:
        return math.ceil(debt.principal / debt.monthly_payment - 1e-9)
    return math.ceil(float(npf.nper(rate, -debt.monthly_payment, debt.principal)) - 1e-9)


def debt_schedule(debt: Debt | None, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Monthly payments and the balance left after each payment, over ``months`` months.

    Each month the balance first earns interest, then ``min(monthly_payment, balance)`` is
    paid. A 30,000 recruitment-fee loan at 24% a year, repaid at 3,000 a month, is paid off
    in the 12th payment (month 11), and the last payment is smaller:

    >>> payments, balances = debt_schedule(Debt(30_000, 24, 3_000), 14)
    >>> int(np.argmax(balances == 0))
    11
    >>> round(float(payments[11]), 2), float(payments[12])
    (810.98, 0.0)

    Borrowing costs money: she pays back more than she borrowed.

    >>> round(float(payments.sum()) - 30_000, 2)
    3810.98

    numpy-financial agrees: ``nper`` (the loan is money in, so payments are negative) says
    11.27 payments, that is 11 full payments and a smaller 12th one.

    >>> round(float(npf.nper(0.02, -3_000, 30_000)), 2)
    11.27
    """
    payments = np.zeros(months)
    balances = np.zeros(months)
    if debt is None:
        return payments, balances
    rate = monthly_rate(debt.annual_rate_pct)
    balance = float(debt.principal)
    for t in range(months):
        if balance <= 0.0:
            break
        balance += balance * rate
        pay = min(debt.monthly_payment, balance)
        balance = max(balance - pay, 0.0)
        if balance < 1e-9 * max(debt.principal, 1.0):
            balance = 0.0
        payments[t], balances[t] = pay, balance
    return payments, balances


# --------------------------------------------------------------------------------------------
# The engine: one code path for simulate() and scenario_band()
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Schedule:
    """Everything that does not depend on the random income factor, one value per month."""

    at_home: np.ndarray
    income: np.ndarray  # before variability, after the income cut
    spending_abroad: np.ndarray
    remittance_sent: np.ndarray
    transfer_fee: np.ndarray
    remitting_cost: np.ndarray
    family_received: np.ndarray
    expenses: np.ndarray
    debt_payment: np.ndarray
    debt_balance: np.ndarray
    group_contribution: np.ndarray
    group_payout: np.ndarray
    to_personal: np.ndarray  # fixed monthly flow into personal savings, income excluded
    to_family: np.ndarray  # fixed monthly flow into family savings, income excluded


def _group_flows(group: SavingsGroup | None, months: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(months)
    if group is None:
        return np.zeros(months), np.zeros(months)
    paying = (t >= group.start_month) & (t < group.start_month + group.members)
    contribution = np.where(paying, float(group.contribution), 0.0)
    pot = np.where(t == group.start_month + group.payout_turn - 1, group.contribution * group.members, 0.0)
    return contribution, pot.astype(float)


def _schedule(plan: Plan) -> _Schedule:
    t = np.arange(plan.months)
    at_home = t >= effective_return_month(plan)
    shocks = plan.shocks
    cut = np.where(t >= shocks.income_cut_from, 1.0 - shocks.income_cut_pct / 100.0, 1.0)
    income = np.where(at_home, float(plan.local_income), float(plan.income_abroad)) * cut
    spending = np.where(at_home, 0.0, float(plan.spending_abroad))
    sends = ~at_home & ~np.isin(t, np.asarray(shocks.remittance_stops, dtype=int))
    sent = np.where(sends, float(plan.remittance), 0.0)
    fee = np.where(sends, float(plan.transfer_fee), 0.0)
    received = sent * (1.0 - plan.fx_margin_pct / 100.0)
    inflation = (1.0 + plan.inflation_pct / 100.0) ** (t / 12.0)
    expenses = np.where(at_home, float(plan.expenses_after), float(plan.expenses_before)) * inflation
    debt_payment, debt_balance = debt_schedule(plan.debt, plan.months)
    contribution, payout = _group_flows(plan.group, plan.months)
    abroad_out = spending + sent + fee + debt_payment + contribution
    home_out = expenses + debt_payment + contribution
    return _Schedule(
        at_home=at_home,
        income=income,
        spending_abroad=spending,
        remittance_sent=sent,
        transfer_fee=fee,
        remitting_cost=fee + sent * plan.fx_margin_pct / 100.0,
        family_received=received,
        expenses=expenses,
        debt_payment=debt_payment,
        debt_balance=debt_balance,
        group_contribution=contribution,
        group_payout=payout,
        to_personal=np.where(at_home, payout, payout - abroad_out),
        to_family=np.where(at_home, -home_out, received - expenses),
    )


def _income_paths(plan: Plan, schedule: _Schedule, scenarios: int, random: bool) -> np.ndarray:
    """Income per month and scenario, shape (months, scenarios), C-contiguous by month.

    The random normals are drawn at once as a (scenarios, months) array, so that scenario s
    always uses row s of the generator's output.
    """
    income = np.empty((plan.months, scenarios))
    sd = plan.income_variability_pct / 100.0
    if not random or sd == 0.0:
        income[:] = schedule.income[:, None]
        return income
    z = np.random.default_rng(plan.seed).standard_normal((scenarios, plan.months))
    np.multiply(z.T, sd, out=income)
    income += 1.0
    np.maximum(income, 0.0, out=income)
    income *= schedule.income[:, None]
    return income


def _run(plan: Plan, schedule: _Schedule, income: np.ndarray) -> tuple[np.ndarray, ...]:
    """Step the two balances through the months, all scenarios at once.

    Returns personal savings, family savings and unfunded amounts, each (months, scenarios).
    """
    months, scenarios = income.shape
    gp = 1.0 + monthly_rate(plan.personal_rate_pct)
    gf = 1.0 + monthly_rate(plan.family_rate_pct)
    personal = np.empty((months, scenarios))
    family = np.empty((months, scenarios))
    unfunded = np.empty((months, scenarios))
    p_prev = np.full(scenarios, float(plan.personal_savings))
    f_prev = np.full(scenarios, float(plan.family_savings))
    p1, f1, spill = np.empty(scenarios), np.empty(scenarios), np.empty(scenarios)
    to_p, to_f, home = schedule.to_personal.tolist(), schedule.to_family.tolist(), schedule.at_home.tolist()
    for t in range(months):
        np.multiply(p_prev, gp, out=p1)
        np.multiply(f_prev, gf, out=f1)
        if home[t]:
            np.add(f1, income[t], out=f1)
            f1 += to_f[t]
            np.minimum(f1, 0.0, out=spill)  # shortfall the family's savings cannot cover
            p1 += to_p[t]
            p1 += spill
            np.maximum(f1, 0.0, out=family[t])
            np.maximum(p1, 0.0, out=personal[t])
            np.subtract(personal[t], p1, out=unfunded[t])
        else:
            np.add(p1, income[t], out=p1)
            p1 += to_p[t]
            f1 += to_f[t]
            np.maximum(p1, 0.0, out=personal[t])
            np.maximum(f1, 0.0, out=family[t])
            np.subtract(personal[t], p1, out=unfunded[t])
            np.subtract(family[t], f1, out=spill)
            unfunded[t] += spill
        p_prev, f_prev = personal[t], family[t]
    return personal, family, unfunded


# --------------------------------------------------------------------------------------------
# Public compute functions
# --------------------------------------------------------------------------------------------


def _previous(balances: np.ndarray, start: float) -> np.ndarray:
    return np.concatenate(([float(start)], balances[:-1]))


def _table(plan: Plan) -> pd.DataFrame:
    schedule = _schedule(plan)
    income = _income_paths(plan, schedule, 1, random=False)
    personal, family, unfunded = (a[:, 0] for a in _run(plan, schedule, income))
    columns = {
        "month": np.arange(plan.months),
        "at_home": schedule.at_home,
        "income": income[:, 0],
        "personal_interest": _previous(personal, plan.personal_savings) * monthly_rate(plan.personal_rate_pct),
        "family_interest": _previous(family, plan.family_savings) * monthly_rate(plan.family_rate_pct),
        "personal_savings": personal,
        "family_savings": family,
        "total_savings": personal + family,
        "unfunded": unfunded,
    }
    for name in COLUMNS:
        if name not in columns:
            columns[name] = getattr(schedule, name)
    return pd.DataFrame({name: columns[name] for name in COLUMNS})


def simulate(plan: Plan) -> pd.DataFrame:
    """The month-by-month table of the plan, without random income (see :data:`COLUMNS`).

    All amounts are non-negative; the column name says which way the money goes.

    In the illustrative plan she keeps 3,750 a month abroad: 28,000 earned, less 4,000 for
    her own living, 15,250 sent (with the fee), 3,000 for the loan and 2,000 for the group.

    >>> table = simulate(Plan())
    >>> row = table.loc[2]
    >>> float(row.income - row.spending_abroad - row.remittance_sent - 250
    ...       - row.debt_payment - row.group_contribution)
    3750.0

    Her paluwagan pot of 20,000 arrives in month 6, and over the ten-month cycle she pays in
    exactly what she gets out:

    >>> float(table.group_payout[6]), float(table.group_contribution.sum())
    (20000.0, 20000.0)
    """
    validate(plan)
    return _table(plan)


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _months_savings_last(table: pd.DataFrame, start: int) -> int | None:
    """Whole months from ``start`` until savings are empty in a month the household is short."""
    at = table.iloc[start:]
    net = at.income + at.group_payout - at.expenses - at.debt_payment - at.group_contribution
    empty = (at.total_savings.to_numpy() <= 1e-9) & (net.to_numpy() < 0)
    month = _first(empty)
    return month  # counted from start: the months start .. start+month-1 were covered


def _goal_results(plan: Plan, total: np.ndarray, floor: float) -> tuple[GoalResult, ...]:
    ordered = sorted(plan.goals, key=lambda g: g.target_month)
    needed = floor + np.cumsum([g.amount for g in ordered])
    results = []
    for goal, level in zip(ordered, needed, strict=True):
        reached = _first(total >= level - 1e-9)
        on_time = reached is not None and reached <= goal.target_month
        results.append(GoalResult(goal.name, float(goal.amount), goal.target_month, reached, on_time))
    return tuple(results)


def summarize(plan: Plan) -> Summary:
    """The plan's answers: savings at return, how long they last, goals, debt, costs.

    - ``savings_at_return``: total savings at the end of the last month abroad (month R-1),
      or the starting savings if she is already home (R = 0).
    - ``months_savings_last_after_return``: whole months, counted from R, that the savings
      cover the household's shortfall before they are empty; None if they last beyond the
      horizon.
    - ``emergency_fund_target``: ``emergency_months`` times the after-return expenses of
      month R (inflated); ``emergency_fund_full_month``: first month total savings reach it.
    - ``goals``: in order of target month (ties keep the plan's order). Goals are savings
      targets funded from the savings above the emergency fund: goal k is reached in the
      first month when total savings reach the emergency target plus the amounts of goals
      1..k. The money is not spent in the simulation.
    - ``debt_free_month``: the first month that starts with no debt, i.e. the month after
      the last payment. With payments at the end of each month from month 0, this equals
      ``ceil(npf.nper(rate / 12, -payment, principal))``. None without a debt, or if the
      last payment falls outside the horizon.
    - ``remitting_cost_pct``: what sending cost, as a percentage of the amount sent.

    >>> s = summarize(Plan())
    >>> s.debt_free_month  # the last of 12 payments is in month 11
    12
    >>> round(s.savings_at_return)
    241855
    >>> [(g.name, g.reached_month, g.on_time) for g in s.goals]
    [('Business capital', 11, True), ('House repair', 23, True)]

    But the local income does not cover the expenses after return: the savings last a
    little under two years, then the household runs short every month.

    >>> s.months_savings_last_after_return
    22
    >>> s.total_unfunded > 0
    True
    """
    table = simulate(plan)
    ret = effective_return_month(plan)
    total = table.total_savings.to_numpy()
    start_total = float(plan.personal_savings + plan.family_savings)
    inflation = (1.0 + plan.inflation_pct / 100.0) ** (ret / 12.0)
    target = float(plan.emergency_months * plan.expenses_after * inflation)
    sent = float(table.remittance_sent.sum())
    cost = float(table.remitting_cost.sum())
    repaid = table.debt_balance.to_numpy() <= 0
    has_debt = plan.debt is not None and plan.debt.principal > 0
    last_payment = _first(repaid) if has_debt else None
    return Summary(
        savings_at_return=float(total[ret - 1]) if ret > 0 else start_total,
        months_savings_last_after_return=_months_savings_last(table, ret),
        emergency_fund_target=target,
        emergency_fund_full_month=_first(total >= target - 1e-9),
        goals=_goal_results(plan, total, target),
        total_remitted=sent,
        total_remitting_cost=cost,
        remitting_cost_pct=100.0 * cost / sent if sent > 0 else 0.0,
        debt_free_month=None if last_payment is None else last_payment + 1,
        total_unfunded=float(table.unfunded.sum()),
    )


def simulate_scenarios(plan: Plan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every random scenario in full: personal savings, family savings and unfunded amounts.

    Each array has shape ``(plan.scenarios, plan.months)``; row s is scenario s, drawn as
    described in :func:`scenario_band`. Handy to ask "in how many scenarios does the money
    run out?":

    >>> personal, family, unfunded = simulate_scenarios(
    ...     Plan(income_variability_pct=20, scenarios=100))
    >>> personal.shape
    (100, 60)
    >>> share = float(np.mean(unfunded.sum(axis=1) > 0))
    >>> 0.0 <= share <= 1.0
    True
    """
    validate(plan)
    schedule = _schedule(plan)
    income = _income_paths(plan, schedule, plan.scenarios, random=True)
    personal, family, unfunded = _run(plan, schedule, income)
    return personal.T, family.T, unfunded.T


def scenario_band(plan: Plan) -> ScenarioBand:
    """Percentiles of total savings across ``plan.scenarios`` random income paths.

    Each month's income is multiplied by ``max(0, 1 + sd * z)``, with ``z`` standard normal
    (drawn from ``numpy.random.default_rng(plan.seed)``) and ``sd =
    income_variability_pct / 100``. The band shows a bad (10th percentile), a middle (50th)
    and a good (90th) outcome; the same seed always gives the same band.

    Without variability every scenario is the plan itself:

    >>> band = scenario_band(Plan(scenarios=20))
    >>> bool(np.allclose(band.p10, band.p90))
    True

    With income that varies by 20% from month to month, the band widens:

    >>> band = scenario_band(Plan(income_variability_pct=20, scenarios=200))
    >>> bool(np.all(band.p10 <= band.p50)), bool(np.all(band.p50 <= band.p90))
    (True, True)
    >>> bool(band.p90[23] > band.p50[23] > band.p10[23])  # savings at return
    True
    """
    validate(plan)
    schedule = _schedule(plan)
    income = _income_paths(plan, schedule, plan.scenarios, random=True)
    personal, family, _ = _run(plan, schedule, income)
    np.add(personal, family, out=personal)
    p10, p50, p90 = np.percentile(personal, (10.0, 50.0, 90.0), axis=1, overwrite_input=True)
    return ScenarioBand(np.arange(plan.months), p10, p50, p90, plan.scenarios)
