"""A month-by-month household savings plan for a migrant worker, before and after her return.

This module is the pure model behind the savings simulator: frozen dataclasses in, NumPy
arrays and a pandas table out. It imports no widget library, prints nothing and reads no
file. Amounts are plain floats in one currency, the plan's currency; the view formats them.
Months are integer indexes: month 0 is the plan's first month; the view turns them into dates.

Conventions (the same as :mod:`widgets.loans` and :mod:`widgets.business.model`)
--------------------------------------------------------------------------
- **Rates are percents** and their names say their period: ``personal_yearly_rate_pct=2.5``
  is 2.5 % a year. Percentages that are not rates (a margin, a cut) end in ``_pct`` too.
- **Money is counted to the cent**: every month's amounts are rounded to the cent as a bank
  writes them (interest included), so each month of the table adds up exactly.
- **The debt is a** :class:`widgets.loans.Loan` (a recruitment-fee loan, say), the same
  record as a loan in the business plan.

Sign convention
---------------
Every amount in a :class:`Plan` is a non-negative size ("she pays 4,000 a month"), never a
signed cash flow. In the results, each column is also non-negative and its name says the
direction (``debt_payment`` is money paid out, ``group_payout`` is money received).

The rules, month by month
-------------------------
Let R be the effective return month: ``return_month``, or ``shocks.early_return_month`` if
that is earlier. Months before R are spent abroad; from month R on she is at home.

1. Interest first. Her personal savings and the family's savings each earn one month of
   interest (yearly rate / 12, compounded monthly, rounded to the cent) on the balance they
   start the month with.
2. While she is abroad (month < R):
   - she earns ``income_abroad`` (less ``shocks.income_cut_pct`` from
     ``shocks.income_cut_from`` on), pays ``spending_abroad`` for her own living, the debt
     payment and the savings-group contribution; her pot comes in when it is her turn. What
     her income and savings cannot pay is ``unfunded``.
   - She sends ``remittance`` home, and more if the family's savings would not cover its
     expenses, as long as she has the money: **she never sends money she does not have**.
     What she planned but could not send is ``remittance_not_sent``. In the months listed in
     ``shocks.remittance_stops`` nothing can be sent. ``transfer_fee`` is paid only in a
     month when something is sent.
   - The family receives what is sent less the exchange-rate margin
     (``fx_margin_pct`` of it), pays its living expenses (``expenses_before``, raised by
     inflation); what it cannot cover is ``unfunded`` too.
   - Her savings are what is left: she saves only money she has.
3. At home (month >= R): the household earns ``local_income`` (with the same income cut) and
   pays ``expenses_after`` (raised by inflation), the debt payment and the group
   contribution. A surplus goes into the family's savings. A shortfall is drawn from the
   family's savings first, then from her personal savings; what neither can cover is
   ``unfunded``: money the household does not have.
4. Inflation raises expenses smoothly: in month t they are
   ``base * (1 + inflation_yearly_pct / 100) ** (t / 12)``, rounded to the cent.
5. The debt is paid as its schedule says (:func:`widgets.loans.by_month`), from month 0.
6. A rotating savings group (paluwagan, arisan): each member pays ``contribution`` every month
   for ``members`` months from ``start_month``; in month ``start_month + payout_turn - 1`` she
   receives the whole pot, ``contribution * members``. The pot always goes into her personal
   savings. Months beyond the horizon are simply not simulated.
7. The cost of sending money home, in a month she sends, is ``transfer_fee`` plus the margin
   on what is sent.

Every month, money is conserved, to the cent (the tests check this identity for many plans)::

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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from widgets import loans
from widgets.checks import MAX_AMOUNT, PlanError, check_amount, check_integer, check_range
from widgets.loans import Loan

__all__ = [
    "MAX_AMOUNT",
    "Goal",
    "GoalResult",
    "Loan",
    "Plan",
    "PlanError",
    "SavingsGroup",
    "ScenarioBand",
    "Shocks",
    "Summary",
    "debt_schedule",
    "effective_return_month",
    "payments_to_repay",
    "remitting_cost",
    "scenario_band",
    "simulate",
    "simulate_scenarios",
    "summarize",
    "validate",
]

COLUMNS = (
    "month",
    "at_home",
    "income",
    "spending_abroad",
    "remittance_sent",
    "remittance_not_sent",
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
    - ``remittance_stops``: months abroad in which no money can be sent home (the money stays
      with her; the family lives on its savings);
    - ``income_cut_pct`` from ``income_cut_from`` on: her income abroad and the household's
      local income are cut by this percentage.

    The default is no shock at all.
    """

    early_return_month: int | None = None
    remittance_stops: tuple[int, ...] = ()
    income_cut_pct: float = 0.0
    income_cut_from: int = 0


#: The illustrative recruitment-fee debt: 30,000 at 24 % a year, repaid at 3,000 a month.
EXAMPLE_DEBT = loans.repaid_by(30_000.0, yearly_rate_pct=24.0, payment=3_000.0,
                               name="Recruitment-fee loan")


@dataclass(frozen=True)
class Plan:
    """Everything the simulator needs to know about one household (field names are a contract).

    The defaults are an illustrative example of a Filipino domestic worker abroad, in PHP:
    made-up numbers for teaching, not statistics. Monthly amounts are in the plan's
    currency; rates are percents, per year as their names say.
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
    inflation_yearly_pct: float = 4.0
    local_income: float = 9_000.0
    personal_savings: float = 20_000.0
    personal_yearly_rate_pct: float = 2.5
    family_savings: float = 10_000.0
    family_yearly_rate_pct: float = 0.5
    emergency_months: float = 3.0
    goals: tuple[Goal, ...] = (
        Goal("House repair", 120_000.0, 30),
        Goal("Business capital", 60_000.0, 26),
    )
    debt: Loan | None = EXAMPLE_DEBT
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
    first_unfunded_month: int | None = None
    months_remittance_short: int = 0
    total_not_sent: float = 0.0


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
        check_amount(f"{name}.amount", goal.amount)
        check_integer(f"{name}.target_month", goal.target_month, 0, plan.months - 1)


def _validate_debt(debt: Loan | None) -> None:
    if debt is None:
        return
    _check_type("debt", debt, Loan)
    loans.validate_loan(debt, "debt")


def _validate_group(group: SavingsGroup | None, months: int) -> None:
    if group is None:
        return
    _check_type("group", group, SavingsGroup)
    check_amount("group.contribution", group.contribution)
    check_integer("group.members", group.members, 2, 360)
    check_integer("group.payout_turn", group.payout_turn, 1, group.members)
    check_integer("group.start_month", group.start_month, 0, months - 1)


def _validate_shocks(shocks: Shocks, months: int) -> None:
    _check_type("shocks", shocks, Shocks)
    if shocks.early_return_month is not None:
        check_integer("shocks.early_return_month", shocks.early_return_month, 0, months)
    _check_type("shocks.remittance_stops", shocks.remittance_stops, tuple)
    for k, month in enumerate(shocks.remittance_stops):
        check_integer(f"shocks.remittance_stops[{k}]", month, 0, months - 1)
    check_range("shocks.income_cut_pct", shocks.income_cut_pct, 0, 100)
    check_integer("shocks.income_cut_from", shocks.income_cut_from, 0, months - 1)


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
_PERCENTS = ("fx_margin_pct", "personal_yearly_rate_pct", "family_yearly_rate_pct",
             "income_variability_pct")


def validate(plan: Plan) -> None:
    """Check a plan; raise :class:`~widgets.checks.PlanError` naming the first bad field.

    Amounts must be finite, not negative and at most 1e12; rates between 0 and 100
    (inflation between -10 and 100); the horizon 12 to 360 months; months inside it; the
    debt a valid loan.

    >>> validate(Plan())  # the illustrative plan is valid
    >>> try:
    ...     validate(Plan(remittance=-1))
    ... except PlanError as err:
    ...     print(err.field, err.code)
    remittance negative
    """
    _check_type("plan", plan, Plan)
    check_integer("months", plan.months, 12, 360)
    check_integer("return_month", plan.return_month, 0, plan.months)
    for name in _AMOUNTS:
        check_amount(name, getattr(plan, name))
    for name in _PERCENTS:
        check_range(name, getattr(plan, name), 0, 100)
    check_range("inflation_yearly_pct", plan.inflation_yearly_pct, -10, 100)
    check_range("emergency_months", plan.emergency_months, 0, 120)
    _validate_goals(plan)
    _validate_debt(plan.debt)
    _validate_group(plan.group, plan.months)
    _validate_shocks(plan.shocks, plan.months)
    check_integer("scenarios", plan.scenarios, 1, 10_000)
    check_integer("seed", plan.seed, 0, 2**63 - 1)


# --------------------------------------------------------------------------------------------
# Small finance helpers
# --------------------------------------------------------------------------------------------


def _monthly(yearly_rate_pct: float) -> float:
    """The monthly growth of a yearly rate in percent, as a fraction (6 % a year: 0.005)."""
    return yearly_rate_pct / 1200.0


def remitting_cost(remittance: float, transfer_fee: float, fx_margin_pct: float) -> float:
    """What it costs to send ``remittance`` home once: the fee plus the exchange-rate margin.

    Sending 15,000 with a 250 fee and a 1.5% margin costs 475, more than 3% of what is sent:

    >>> remitting_cost(15_000, 250, 1.5)
    475.0
    >>> round(100 * remitting_cost(15_000, 250, 1.5) / 15_000, 2)
    3.17

    A flat fee weighs more on small transfers: sending 5,000 the same way costs 6.5%. Sending
    nothing costs nothing: no transfer, no fee.

    >>> round(100 * remitting_cost(5_000, 250, 1.5) / 5_000, 2), remitting_cost(0, 250, 1.5)
    (6.5, 0.0)
    """
    sent = check_amount("remittance", remittance)
    fee = check_amount("transfer_fee", transfer_fee)
    margin = check_range("fx_margin_pct", fx_margin_pct, 0, 100)
    if sent == 0:
        return 0.0
    return (_cent(fee) + _cent(sent * margin / 100)) / 100


def _cent(amount: float) -> float:
    return math.floor(amount * 100 + 0.5)


def effective_return_month(plan: Plan) -> int:
    """The first month at home: the planned return, or an earlier forced return.

    >>> effective_return_month(Plan(return_month=24))
    24
    >>> from widgets.savings.model import Shocks
    >>> effective_return_month(Plan(return_month=24, shocks=Shocks(early_return_month=0)))
    0
    """
    early = plan.shocks.early_return_month
    return plan.return_month if early is None else min(plan.return_month, early)


def payments_to_repay(debt: Loan) -> int:
    """How many months until the debt is repaid: the month of its last payment, counting the
    first month as 1 (for a monthly loan, its number of payments). This is always
    ``summarize(plan).debt_free_month`` when the last payment falls inside the plan.

    >>> payments_to_repay(loans.repaid_by(30_000, yearly_rate_pct=24, payment=3_000))
    12
    >>> payments_to_repay(loans.relative(30_000, payments=10))
    10
    """
    return loans.validate_loan(debt, "debt").months


def debt_schedule(debt: Loan | None, months: int) -> tuple[np.ndarray, np.ndarray]:
    """Payments and what is still owed at the end of each plan month (month 0 first).

    The debt's first payment falls in month 0. A 30,000 recruitment-fee loan at 24 % a year,
    repaid at 3,000 a month, is paid off in the 12th payment (month 11), and the last payment
    is smaller:

    >>> payments, balances = debt_schedule(loans.repaid_by(30_000, yearly_rate_pct=24,
    ...                                                    payment=3_000), 14)
    >>> int(np.argmax(balances == 0))
    11
    >>> float(payments[11]), float(payments[12])
    (810.98, 0.0)

    Borrowing costs money: she pays back more than she borrowed.

    >>> round(float(payments.sum()) - 30_000, 2)
    3810.98

    numpy-financial agrees: ``nper`` (the loan is money in, so payments are negative) says
    11.27 payments, that is 11 full payments and a smaller 12th one.

    >>> import numpy_financial as npf
    >>> round(float(npf.nper(0.02, -3_000, 30_000)), 2)
    11.27
    """
    check_integer("months", months, 0, 100_000)
    if debt is None:
        return np.zeros(months), np.zeros(months)
    loans.validate_loan(debt, "debt")
    paid, _interest, _principal, owed = loans.by_month(debt, months)
    return paid, owed


# --------------------------------------------------------------------------------------------
# The engine, in cents: one code path for simulate() and scenario_band()
# --------------------------------------------------------------------------------------------


def _cents(values) -> np.ndarray:
    """Money in whole cents (floats holding integers), halves rounded up."""
    return np.floor(np.asarray(values, dtype=float) * 100.0 + 0.5)


@dataclass(frozen=True, eq=False)
class _Schedule:
    """Everything that does not depend on the random income factor, one value per month,
    money in cents."""

    at_home: np.ndarray
    income: np.ndarray  # before variability, after the income cut (not rounded yet)
    spending_abroad: np.ndarray
    planned: np.ndarray  # what she plans to send (0 at home)
    can_send: np.ndarray  # abroad and not a month when nothing can be sent
    expenses: np.ndarray
    debt_payment: np.ndarray
    debt_balance: np.ndarray
    group_contribution: np.ndarray
    group_payout: np.ndarray
    own: np.ndarray  # abroad: her fixed flows (pot less spending, debt and group)
    home: np.ndarray  # at home: the family's fixed flows, income excluded (the pot is hers)


def _group_flows(group: SavingsGroup | None, months: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(months)
    if group is None:
        return np.zeros(months), np.zeros(months)
    paying = (t >= group.start_month) & (t < group.start_month + group.members)
    contribution = np.where(paying, _cents(group.contribution), 0.0)
    pot = np.where(t == group.start_month + group.payout_turn - 1,
                   _cents(group.contribution) * group.members, 0.0)
    return contribution, pot


def _schedule(plan: Plan) -> _Schedule:
    t = np.arange(plan.months)
    at_home = t >= effective_return_month(plan)
    shocks = plan.shocks
    cut = np.where(t >= shocks.income_cut_from, 1.0 - shocks.income_cut_pct / 100.0, 1.0)
    income = np.where(at_home, float(plan.local_income), float(plan.income_abroad)) * cut
    spending = np.where(at_home, 0.0, _cents(plan.spending_abroad))
    can_send = ~at_home & ~np.isin(t, np.asarray(shocks.remittance_stops, dtype=int))
    planned = np.where(can_send, _cents(plan.remittance), 0.0)
    inflation = (1.0 + plan.inflation_yearly_pct / 100.0) ** (t / 12.0)
    expenses = _cents(np.where(at_home, float(plan.expenses_after),
                               float(plan.expenses_before)) * inflation)
    paid, owed = debt_schedule(plan.debt, plan.months)
    debt_payment, debt_balance = _cents(paid), _cents(owed)
    contribution, payout = _group_flows(plan.group, plan.months)
    return _Schedule(
        at_home=at_home,
        income=income,
        spending_abroad=spending,
        planned=planned,
        can_send=can_send,
        expenses=expenses,
        debt_payment=debt_payment,
        debt_balance=debt_balance,
        group_contribution=contribution,
        group_payout=payout,
        own=payout - spending - debt_payment - contribution,
        home=-(expenses + debt_payment + contribution),
    )


def _income_paths(plan: Plan, schedule: _Schedule, scenarios: int, random: bool) -> np.ndarray:
    """Income per month and scenario in cents, shape (months, scenarios), C-contiguous.

    Each month's income is multiplied by a random factor with mean exactly 1 and standard
    deviation ``income_variability_pct / 100``, never below zero: a lognormal factor
    ``exp(s * z - s**2 / 2)`` with ``s**2 = log(1 + sd**2)`` and ``z`` standard normal, drawn
    at once as a (scenarios, months) array so that scenario s always uses row s of the
    generator's output. (Cutting a normal factor at zero would push the average up.)
    """
    income = np.empty((plan.months, scenarios))
    sd = plan.income_variability_pct / 100.0
    if not random or sd == 0.0:
        income[:] = _cents(schedule.income)[:, None]
        return income
    s = math.sqrt(math.log1p(sd * sd))
    z = np.random.default_rng(plan.seed).standard_normal((scenarios, plan.months))
    np.multiply(z.T, s, out=income)
    income -= 0.5 * s * s
    np.exp(income, out=income)
    income *= schedule.income[:, None] * 100.0
    income += 0.5
    np.floor(income, out=income)
    return income



def _run(plan: Plan, schedule: _Schedule, income: np.ndarray,
         keep: tuple[str, ...] = ("personal", "family", "unfunded")) -> dict[str, np.ndarray]:
    """Step the two balances through the months, all scenarios at once, in cents.

    Returns the arrays named in ``keep``, each (months, scenarios): ``personal``, ``family``
    and ``unfunded`` savings and money missing; ``total`` savings; ``sent``, ``cost`` and
    ``received`` (what was sent home, its cost, what the family received) and both
    interests. The scenario band asks only for the total, which saves work each month.
    ``income`` is changed in place (each month's fixed flows are added to it).
    """
    months, scenarios = income.shape
    gp = _monthly(plan.personal_yearly_rate_pct)
    gf = _monthly(plan.family_yearly_rate_pct)
    out = {name: np.zeros((months, scenarios)) for name in keep}
    unfunded = out.get("unfunded")
    detail = "sent" in out
    p = np.full(scenarios, float(_cents(plan.personal_savings)))
    f = np.full(scenarios, float(_cents(plan.family_savings)))
    p_int, f_int = np.zeros(scenarios), np.zeros(scenarios)
    send, short, spill = np.empty(scenarios), np.empty(scenarios), np.empty(scenarios)
    cost, sent = np.zeros(scenarios), np.empty(scenarios, dtype=bool)
    fee = float(_cents(plan.transfer_fee))
    margin = plan.fx_margin_pct / 100.0
    keeps = 1.0 - margin  # what arrives of each peso sent
    s = schedule
    # each month's fixed flows go with the income: her own abroad, the family's at home
    income += np.where(s.at_home, s.home, s.own)[:, None]
    at_home, payout = s.at_home.tolist(), s.group_payout.tolist()
    planned, can_send, expenses = s.planned.tolist(), s.can_send.tolist(), s.expenses.tolist()
    for t in range(months):
        # 1. interest, to the cent
        if gp:
            np.multiply(p, gp, out=p_int)
            p_int += 0.5
            np.floor(p_int, out=p_int)
            p += p_int
        if gf:
            np.multiply(f, gf, out=f_int)
            f_int += 0.5
            np.floor(f_int, out=f_int)
            f += f_int
        if at_home[t]:
            # 3. at home: the household's income and costs go through the family's savings
            f += income[t]
            np.minimum(f, 0.0, out=spill)  # what the family's savings cannot cover
            np.maximum(f, 0.0, out=f)
            p += spill
            if payout[t]:
                p += payout[t]
            if unfunded is not None:
                np.minimum(p, 0.0, out=unfunded[t])
                np.negative(unfunded[t], out=unfunded[t])
            np.maximum(p, 0.0, out=p)
        else:
            # 2. abroad: her own costs first, from her income and savings
            p += income[t]
            if unfunded is not None:
                np.minimum(p, 0.0, out=unfunded[t])
                np.negative(unfunded[t], out=unfunded[t])
            np.maximum(p, 0.0, out=p)
            if can_send[t]:
                # what the family would lack with only the planned remittance
                np.subtract(expenses[t] - planned[t] * keeps, f, out=short)
                np.maximum(short, 0.0, out=short)
                if keeps == 1.0:
                    pass
                elif keeps > 0.0:
                    short /= keeps
                    np.ceil(short, out=short)
                else:
                    short[:] = 0.0
                short += planned[t]  # what she would like to send
                np.subtract(p, fee, out=send)  # what she can send after the fee
                np.minimum(send, short, out=send)
                np.maximum(send, 0.0, out=send)  # never money she does not have
                p -= send
                f += send
                if fee:  # the fee, only when something is sent
                    np.greater(send, 0.0, out=sent)
                    np.subtract(p, fee, out=p, where=sent)
                if margin:
                    np.multiply(send, margin, out=cost)
                    cost += 0.5
                    np.floor(cost, out=cost)
                    f -= cost
                if detail:
                    out["sent"][t] = send
                    out["cost"][t] = cost + np.where(send > 0.0, fee, 0.0)
                    out["received"][t] = send - cost
            f -= expenses[t]
            if unfunded is not None:
                np.minimum(f, 0.0, out=spill)
                unfunded[t] -= spill
            np.maximum(f, 0.0, out=f)
        if "total" in out:
            np.add(p, f, out=out["total"][t])
        if "personal" in out:
            out["personal"][t] = p
            out["family"][t] = f
        if detail:
            out["personal_interest"][t] = p_int
            out["family_interest"][t] = f_int
    return out


# --------------------------------------------------------------------------------------------
# Public compute functions
# --------------------------------------------------------------------------------------------


def _table(plan: Plan) -> pd.DataFrame:
    schedule = _schedule(plan)
    income = _income_paths(plan, schedule, 1, random=False)
    detail = ("personal", "family", "unfunded", "sent", "cost", "received", "personal_interest",
              "family_interest")
    earned = income[:, 0].copy()  # _run adds the month's fixed flows to the income in place
    run = {name: values[:, 0] for name, values in _run(plan, schedule, income, detail).items()}
    not_sent = np.maximum(schedule.planned - run["sent"], 0.0)
    cents = {
        "income": earned,
        "spending_abroad": schedule.spending_abroad,
        "remittance_sent": run["sent"],
        "remittance_not_sent": not_sent,
        "remitting_cost": run["cost"],
        "family_received": run["received"],
        "expenses": schedule.expenses,
        "debt_payment": schedule.debt_payment,
        "debt_balance": schedule.debt_balance,
        "group_contribution": schedule.group_contribution,
        "group_payout": schedule.group_payout,
        "personal_interest": run["personal_interest"],
        "family_interest": run["family_interest"],
        "personal_savings": run["personal"],
        "family_savings": run["family"],
        "total_savings": run["personal"] + run["family"],
        "unfunded": run["unfunded"],
    }
    columns = {"month": np.arange(plan.months), "at_home": schedule.at_home}
    columns.update({name: values / 100.0 + 0.0 for name, values in cents.items()})  # no -0.0
    return pd.DataFrame({name: columns[name] for name in COLUMNS})


def simulate(plan: Plan) -> pd.DataFrame:
    """The month-by-month table of the plan, without random income (see :data:`COLUMNS`).

    All amounts are non-negative, each a whole number of cents; the column name says which
    way the money goes.

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

    She never sends money she does not have: earning 10,000 and planning to send 15,000,
    she sends what is left after her own costs, and the family's shortfall is counted once:

    >>> poor = simulate(Plan(income_abroad=10_000, spending_abroad=2_000, personal_savings=0,
    ...                      debt=None, group=None, goals=()))
    >>> float(poor.remittance_sent[0]), float(poor.remittance_not_sent[0])
    (7750.0, 7250.0)
    >>> float(poor.personal_savings[0])
    0.0
    """
    validate(plan)
    return _table(plan)


def _first(mask: np.ndarray) -> int | None:
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


def _months_savings_last(table: pd.DataFrame, start: int) -> int | None:
    """Whole months from ``start`` that are fully paid, before the first month in which the
    household runs short (money missing); None if it never does within the plan."""
    short = _first(table.unfunded.to_numpy()[start:] > 0.0)
    return short


def _goal_results(plan: Plan, total: np.ndarray, floor: float) -> tuple[GoalResult, ...]:
    ordered = sorted(plan.goals, key=lambda g: g.target_month)
    needed = floor + np.cumsum([g.amount for g in ordered])
    results = []
    for goal, level in zip(ordered, needed, strict=True):
        reached = _first(total >= level - 0.005)
        on_time = reached is not None and reached <= goal.target_month
        results.append(GoalResult(goal.name, float(goal.amount), goal.target_month, reached, on_time))
    return tuple(results)


def summarize(plan: Plan) -> Summary:
    """The plan's answers: savings at return, how long they last, goals, debt, costs.

    - ``savings_at_return``: total savings at the end of the last month abroad (month R-1),
      or the starting savings if she is already home (R = 0).
    - ``months_savings_last_after_return``: whole months, counted from R, that are fully paid
      before the first month the household runs short; None if that never happens within
      the horizon.
    - ``emergency_fund_target``: ``emergency_months`` times the after-return expenses of
      month R (inflated); ``emergency_fund_full_month``: first month total savings reach it.
    - ``goals``: in order of target month (ties keep the plan's order). Goals are savings
      targets funded from the savings above the emergency fund: goal k is reached in the
      first month when total savings reach the emergency target plus the amounts of goals
      1..k. The money is not spent in the simulation.
    - ``debt_free_month``: the first month that starts with no debt, i.e. the month after
      the last payment: :func:`payments_to_repay` of the debt. None without a debt, or if
      the last payment falls outside the horizon.
    - ``remitting_cost_pct``: what sending cost, as a percentage of the amount sent.
    - ``total_unfunded`` and ``first_unfunded_month``: money the household does not have,
      counted once, in the month it is missing.
    - ``months_remittance_short`` and ``total_not_sent``: months in which she could not send
      all she planned (she did not have it), and how much less was sent in all.

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

    A trainer's first example: 120,000 saved, 15,000 a month to live on, no interest and
    no income. Eight months are fully paid; the ninth is short:

    >>> trainer = Plan(months=12, return_month=0, personal_savings=120_000, family_savings=0,
    ...                expenses_after=15_000, local_income=0, inflation_yearly_pct=0,
    ...                personal_yearly_rate_pct=0, family_yearly_rate_pct=0, debt=None,
    ...                group=None, goals=())
    >>> summarize(trainer).months_savings_last_after_return
    8
    """
    table = simulate(plan)
    ret = effective_return_month(plan)
    total = table.total_savings.to_numpy()
    start_total = (_cent(plan.personal_savings) + _cent(plan.family_savings)) / 100
    inflation = (1.0 + plan.inflation_yearly_pct / 100.0) ** (ret / 12.0)
    target = float(plan.emergency_months * plan.expenses_after * inflation)
    sent = float(table.remittance_sent.sum())
    cost = float(table.remitting_cost.sum())
    last_payment = None
    if plan.debt is not None:
        month = payments_to_repay(plan.debt)
        last_payment = month if month <= plan.months else None
    unfunded = table.unfunded.to_numpy()
    not_sent = table.remittance_not_sent.to_numpy()
    return Summary(
        savings_at_return=float(total[ret - 1]) if ret > 0 else start_total,
        months_savings_last_after_return=_months_savings_last(table, ret),
        emergency_fund_target=target,
        emergency_fund_full_month=_first(total >= target - 0.005),
        goals=_goal_results(plan, total, target),
        total_remitted=round(sent, 2),
        total_remitting_cost=round(cost, 2),
        remitting_cost_pct=100.0 * cost / sent if sent > 0 else 0.0,
        debt_free_month=last_payment,
        total_unfunded=round(float(unfunded.sum()), 2),
        first_unfunded_month=_first(unfunded > 0),
        months_remittance_short=int(np.count_nonzero(not_sent > 0)),
        total_not_sent=round(float(not_sent.sum()), 2),
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
    run = _run(plan, schedule, income)
    return run["personal"].T / 100, run["family"].T / 100, run["unfunded"].T / 100


def scenario_band(plan: Plan) -> ScenarioBand:
    """Percentiles of total savings across ``plan.scenarios`` random income paths.

    Each month's income is multiplied by a random factor with mean 1 and standard deviation
    ``income_variability_pct / 100``, never below zero (see :func:`_income_paths`), drawn from
    ``numpy.random.default_rng(plan.seed)``. The band shows a bad (10th percentile), a middle
    (50th) and a good (90th) outcome; the same seed always gives the same band.

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
    total = _run(plan, schedule, income, ("total",))["total"]
    p10, p50, p90 = np.percentile(total, (10.0, 50.0, 90.0), axis=1, overwrite_input=True)
    return ScenarioBand(np.arange(plan.months), p10 / 100, p50 / 100, p90 / 100, plan.scenarios)

