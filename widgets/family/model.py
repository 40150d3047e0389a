"""The family track's model: who decides, what the money is for, who does the care work, and
a plan that two people share.

The family track (``modules/family_track/``) is taught to a returnee and a family member
together. Its four sessions ask the same few questions again and again, and this module
answers them with plain functions over small frozen records, so that the lessons, the
exercises and the tests all compute them the same way. It imports no widget library,
prints nothing and reads no file. Amounts are plain numbers in one currency; money is
rounded to the cent (half up) with :mod:`decimal`, so that parts always add up to the whole.

Every example below is *illustrative*: made-up numbers for practice, not statistics.

Who decides?
------------
Write each money decision with the person who takes it today: ``"me"`` (the person
speaking), ``"you"`` (the other) or ``"together"``.

>>> decisions = [Decision("food for the week", "you"), Decision("school fees", "together"),
...              Decision("a loan to a cousin", "me"), Decision("buying a motorbike", "together")]
>>> who_decides(decisions)
{'me': 1, 'you': 1, 'together': 2}
>>> together_share(decisions)
50.0

What reaches the family, and what it is for
-------------------------------------------
Sending money costs a fee and an exchange-rate margin (the same rule as the savings
simulator). The family receives the amount sent less the margin; the fee is paid on top.

>>> cost, received = sending(15_000, fee=250, margin_pct=1.5)
>>> cost, received
(475.0, 14775.0)

A remittance agreement splits what is received by shares that add up to 100 %. The
amounts are rounded to the cent and always add up to exactly what was received:

>>> split(14_775, {"family needs": 60, "savings in her own name": 25, "the repair shop": 15})
{'family needs': 8865.0, 'savings in her own name': 3693.75, 'the repair shop': 2216.25}
>>> split(100, {"a": 100 / 3, "b": 100 / 3, "c": 100 / 3})
{'a': 33.34, 'b': 33.33, 'c': 33.33}

The household budget
--------------------
>>> balance({"milk sales": 9_000, "money from abroad": 30_000},
...         {"food": 14_000, "school": 6_000, "electricity and water": 2_500})
16500.0

Unpaid care work
----------------
Hours of unpaid care work in a week (cooking, washing, children, the sick and the old),
person by person, as shares of the whole, in percent:

>>> care_shares({"Joy": 42, "Nonoy": 14, "Angel": 7})
{'Joy': 66.7, 'Nonoy': 22.2, 'Angel': 11.1}

A plan two people share
-----------------------
Each step has a dimension (economic, social, psychosocial), a month after the return, a
cost and an owner: one of the two people, or both. :func:`check_plan` says what is missing.

>>> steps = [Step("open a savings account in my own name", "economic", 1, 100, "Dewi"),
...          Step("visit my mother with the children", "social", 1, 0, "Dewi"),
...          Step("phone-repair course", "economic", 3, 1_500_000, "Dewi")]
>>> result = check_plan(steps, people=("Dewi", "Agus"))
>>> result.missing_dimensions, result.people_without_steps
(('psychosocial',), ('Agus',))
>>> result.cost_by_month
{1: 100.0, 3: 1500000.0}

A step that both take (owner ``"both"``) counts for each of them:

>>> steps.append(Step("family meeting every Sunday", "social", 1, 0, "both"))
>>> check_plan(steps, people=("Dewi", "Agus")).people_without_steps
()
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from widgets.savings.model import Plan, summarize

__all__ = [
    "DIMENSIONS",
    "savings_months",
    "WHO",
    "Decision",
    "FamilyError",
    "PlanCheck",
    "Step",
    "balance",
    "care_shares",
    "check_plan",
    "cents",
    "sending",
    "split",
    "together_share",
    "who_decides",
]

#: Who takes a decision: the person speaking, the other person, or both together.
WHO = ("me", "you", "together")
#: The three dimensions of reintegration (IOM Reintegration Handbook).
DIMENSIONS = ("economic", "social", "psychosocial")
#: The owner of a step taken by both people.
BOTH = "both"
#: Largest amount accepted (as in the simulators).
MAX_AMOUNT = 1e12
_CENT = Decimal("0.01")


class FamilyError(ValueError):
    """Bad input. ``field`` names what is wrong, ``code`` the kind of mistake.

    >>> err = FamilyError("shares", "not_100", "the shares add up to 90, not 100")
    >>> str(err), isinstance(err, ValueError), err.code
    ('shares: the shares add up to 90, not 100', True, 'not_100')
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise FamilyError(field, "not_a_number", f"must be a number (got {value!r})")
    if not math.isfinite(value):
        raise FamilyError(field, "not_a_number", f"must be a finite number (got {value!r})")
    return float(value)


def _amount(field: str, value: object) -> float:
    amount = _number(field, value)
    if amount < 0:
        raise FamilyError(field, "negative", f"must not be negative (got {amount:g})")
    if amount > MAX_AMOUNT:
        raise FamilyError(field, "too_large", f"must be at most {MAX_AMOUNT:g} (got {amount:g})")
    return amount


def _text(field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FamilyError(field, "empty", "must be filled in")
    return value.strip()


def cents(amount: float) -> float:
    """Round an amount to the cent, halves up (as people round money by hand).

    >>> cents(2.675), cents(0.125), cents(-1.005)
    (2.68, 0.13, -1.01)
    """
    value = Decimal(str(_number("amount", amount)))
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------------------------------
# Who decides
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Decision:
    """A money decision and who takes it: ``"me"``, ``"you"`` or ``"together"``."""

    what: str
    who: str


def _decisions(decisions: Iterable[Decision]) -> list[Decision]:
    items = list(decisions)
    for k, item in enumerate(items):
        if not isinstance(item, Decision):
            raise FamilyError(f"decisions[{k}]", "wrong_type", "must be a Decision")
        _text(f"decisions[{k}].what", item.what)
        if item.who not in WHO:
            raise FamilyError(f"decisions[{k}].who", "unknown",
                              f"must be one of {', '.join(WHO)} (got {item.who!r})")
    return items


def who_decides(decisions: Iterable[Decision]) -> dict[str, int]:
    """How many decisions each takes: ``me``, ``you`` and ``together``, always all three.

    >>> who_decides([Decision("rice", "you")])
    {'me': 0, 'you': 1, 'together': 0}
    >>> who_decides([Decision("rice", "the neighbour")])
    Traceback (most recent call last):
    ...
    widgets.family.model.FamilyError: decisions[0].who: must be one of me, you, together (got 'the neighbour')
    """
    counts = dict.fromkeys(WHO, 0)
    for item in _decisions(decisions):
        counts[item.who] += 1
    return counts


def together_share(decisions: Iterable[Decision]) -> float:
    """The share of decisions taken together, in percent with one decimal (0 if none).

    >>> together_share([Decision("rice", "you"), Decision("land", "together"),
    ...                 Decision("school", "together")])
    66.7
    >>> together_share([])
    0.0
    """
    counts = who_decides(decisions)
    total = sum(counts.values())
    if total == 0:
        return 0.0
    return float((Decimal(100 * counts["together"]) / Decimal(total)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP))


# ------------------------------------------------------------------------------------------
# Money sent, money received, and what it is for
# ------------------------------------------------------------------------------------------
def sending(amount: float, fee: float, margin_pct: float) -> tuple[float, float]:
    """``(cost, received)``: what one transfer costs, and what reaches the family.

    The cost is the fee plus the exchange-rate margin on the amount sent; the family
    receives the amount less the margin (the fee is paid on top by the sender), as in the
    savings simulator. Both are rounded to the cent.

    >>> sending(40_000, fee=500, margin_pct=2)   # illustrative, in Nepalese rupees
    (1300.0, 39200.0)
    >>> sending(100, fee=0, margin_pct=101)
    Traceback (most recent call last):
    ...
    widgets.family.model.FamilyError: margin_pct: must be between 0 and 100 (got 101)
    """
    amount = _amount("amount", amount)
    fee = _amount("fee", fee)
    margin = _number("margin_pct", margin_pct)
    if not 0 <= margin <= 100:
        raise FamilyError("margin_pct", "out_of_range", f"must be between 0 and 100 (got {margin:g})")
    lost = Decimal(str(amount)) * Decimal(str(margin)) / 100
    cost = (Decimal(str(fee)) + lost).quantize(_CENT, rounding=ROUND_HALF_UP)
    received = (Decimal(str(amount)) - lost).quantize(_CENT, rounding=ROUND_HALF_UP)
    return float(cost), float(received)


def split(received: float, shares: Mapping[str, float]) -> dict[str, float]:
    """Split an amount by percentage shares that add up to 100, to the cent.

    Each part is rounded down to the cent, and the cents left over go one by one to the
    parts that lost most in rounding (the largest remainders; the first such part on a
    tie), so the parts add up to exactly ``received`` and no part is off by more than a cent.

    >>> split(1_000, {"food": 50, "savings": 50})
    {'food': 500.0, 'savings': 500.0}
    >>> split(1_000, {"food": 60, "savings": 30})
    Traceback (most recent call last):
    ...
    widgets.family.model.FamilyError: shares: the shares add up to 90, not 100
    """
    total = Decimal(str(_amount("received", received))).quantize(_CENT, rounding=ROUND_HALF_UP)
    if not isinstance(shares, Mapping) or not shares:
        raise FamilyError("shares", "empty", "give at least one use and its share")
    parts = {}
    for name, share in shares.items():
        _text("shares", name)
        value = _number(f"shares[{name!r}]", share)
        if value < 0:
            raise FamilyError(f"shares[{name!r}]", "negative", "a share must not be negative")
        parts[name] = Decimal(str(value))
    added = sum(parts.values())
    if abs(added - 100) > Decimal("1e-9"):
        raise FamilyError("shares", "not_100", f"the shares add up to {float(added):g}, not 100")
    exact = {name: total * share / added for name, share in parts.items()}
    down = {name: value.quantize(_CENT, rounding="ROUND_FLOOR") for name, value in exact.items()}
    left = int((total - sum(down.values())) / _CENT)
    order = sorted(exact, key=lambda name: exact[name] - down[name], reverse=True)
    for name in order[:left]:
        down[name] += _CENT
    return {name: float(down[name]) for name in shares}


def balance(income: Mapping[str, float], expenses: Mapping[str, float]) -> float:
    """Income less expenses in a month, to the cent: positive is left over, negative a gap.

    >>> balance({"wages": 12_000}, {"food": 9_000, "rent": 4_500})
    -1500.0
    """
    total_in = sum(Decimal(str(_amount(f"income[{k!r}]", v))) for k, v in income.items())
    total_out = sum(Decimal(str(_amount(f"expenses[{k!r}]", v))) for k, v in expenses.items())
    return float((Decimal(total_in) - Decimal(total_out)).quantize(_CENT, rounding=ROUND_HALF_UP))


def savings_months(savings: float, income: float, spending: float) -> int | None:
    """Full months the savings cover the household's gap once everyone is home.

    The savings simulator counts, for a household that is home now, earns ``income`` and
    spends ``spending`` a month, with no inflation, no interest, no loan and no savings group
    (the simple case the family sessions use). None if the savings last beyond five years.

    >>> savings_months(30_000_000, income=2_500_000, spending=4_100_000)  # 30M / 1.6M = 18.75
    18
    >>> savings_months(154_080, income=12_000, spending=29_500)            # Hari and Sita
    8
    >>> savings_months(10_000, income=5_000, spending=4_000) is None       # no gap at all
    True
    """
    plan = Plan(months=60, return_month=0, personal_savings=_amount("savings", savings),
                family_savings=0.0, local_income=_amount("income", income),
                expenses_after=_amount("spending", spending), inflation_yearly_pct=0.0,
                personal_yearly_rate_pct=0.0, family_yearly_rate_pct=0.0, debt=None, group=None,
                goals=())
    return summarize(plan).months_savings_last_after_return


# ------------------------------------------------------------------------------------------
# Unpaid care work
# ------------------------------------------------------------------------------------------
def care_shares(hours: Mapping[str, float]) -> dict[str, float]:
    """Each person's share of the week's unpaid care hours, in percent with one decimal.

    Each share is rounded on its own (halves up), so that two people with the same hours
    always show the same share; the shares may then add up to 99.9 or 100.1.
    Nobody doing any care work is an error: somebody always does it.

    >>> care_shares({"Malee": 30, "Somchai": 30})
    {'Malee': 50.0, 'Somchai': 50.0}
    >>> care_shares({"Joy": 45, "Nonoy": 5, "Lola": 5, "Angel": 7})
    {'Joy': 72.6, 'Nonoy': 8.1, 'Lola': 8.1, 'Angel': 11.3}
    >>> care_shares({"Malee": 0, "Somchai": 0})
    Traceback (most recent call last):
    ...
    widgets.family.model.FamilyError: hours: write the hours of care work; they add up to 0
    """
    if not isinstance(hours, Mapping) or not hours:
        raise FamilyError("hours", "empty", "give each person's hours of care work")
    values = {}
    for name, value in hours.items():
        _text("hours", name)
        number = _number(f"hours[{name!r}]", value)
        if not 0 <= number <= 168:
            raise FamilyError(f"hours[{name!r}]", "out_of_range",
                              f"a week has 168 hours (got {number:g})")
        values[name] = Decimal(str(number))
    total = sum(values.values())
    if total == 0:
        raise FamilyError("hours", "zero", "write the hours of care work; they add up to 0")
    tenth = Decimal("0.1")
    return {name: float((100 * value / total).quantize(tenth, rounding=ROUND_HALF_UP))
            for name, value in values.items()}


# ------------------------------------------------------------------------------------------
# A plan two people share
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One step of a shared plan.

    ``dimension`` is economic, social or psychosocial; ``month`` counts from the return
    (1 to 12, or more); ``cost`` is in the plan's currency; ``owner`` is the person who
    takes the step, or ``"both"``.
    """

    what: str
    dimension: str
    month: int
    cost: float
    owner: str


@dataclass(frozen=True)
class PlanCheck:
    """What :func:`check_plan` found.

    - ``missing_dimensions``: dimensions with no step, in the order of :data:`DIMENSIONS`;
    - ``people_without_steps``: people who own no step (a step owned by ``both`` counts for
      everyone);
    - ``cost_by_month``: the cost of the steps in each month that has steps, to the cent;
    - ``total_cost``: the cost of the whole plan;
    - ``busiest_month``: the month with the most steps (the first on a tie), or None.
    """

    missing_dimensions: tuple[str, ...]
    people_without_steps: tuple[str, ...]
    cost_by_month: dict[int, float]
    total_cost: float
    busiest_month: int | None

    @property
    def complete(self) -> bool:
        """Every dimension has a step and every person owns one.

        >>> check_plan([], people=("Rosa",)).complete
        False
        """
        return not self.missing_dimensions and not self.people_without_steps


def check_plan(steps: Iterable[Step], people: Iterable[str]) -> PlanCheck:
    """Check a shared plan: every dimension covered, every person with a step, cost by month.

    >>> plan = [Step("certify my building skills", "economic", 2, 800, "Javier"),
    ...         Step("greenhouse: second row of tomatoes", "economic", 4, 6_500, "Rosa"),
    ...         Step("visit my mother's village together", "social", 2, 1_200.5, "both"),
    ...         Step("talk with the parish counsellor", "psychosocial", 3, 0, "Javier")]
    >>> result = check_plan(plan, people=("Rosa", "Javier"))
    >>> result.complete, result.total_cost, result.busiest_month
    (True, 8500.5, 2)
    >>> check_plan([Step("x", "spiritual", 1, 0, "Rosa")], people=("Rosa",))
    Traceback (most recent call last):
    ...
    widgets.family.model.FamilyError: steps[0].dimension: must be one of economic, social, psychosocial (got 'spiritual')
    """
    names = tuple(_text("people", person) for person in people)
    if not names:
        raise FamilyError("people", "empty", "name at least one person")
    if BOTH in names:
        raise FamilyError("people", "reserved", f"{BOTH!r} means everyone; use real names")
    items = list(steps)
    by_month: dict[int, Decimal] = {}
    count: dict[int, int] = {}
    owners: set[str] = set()
    dimensions: set[str] = set()
    for k, step in enumerate(items):
        if not isinstance(step, Step):
            raise FamilyError(f"steps[{k}]", "wrong_type", "must be a Step")
        _text(f"steps[{k}].what", step.what)
        if step.dimension not in DIMENSIONS:
            raise FamilyError(f"steps[{k}].dimension", "unknown",
                              f"must be one of {', '.join(DIMENSIONS)} (got {step.dimension!r})")
        if (isinstance(step.month, bool) or not isinstance(step.month, int)
                or not 1 <= step.month <= 36):
            raise FamilyError(f"steps[{k}].month", "out_of_range",
                              f"must be a whole month from 1 to 36 (got {step.month!r})")
        cost = Decimal(str(_amount(f"steps[{k}].cost", step.cost)))
        if step.owner != BOTH and step.owner not in names:
            raise FamilyError(f"steps[{k}].owner", "unknown",
                              f"must be one of {', '.join(names + (BOTH,))} (got {step.owner!r})")
        owners.update(names if step.owner == BOTH else (step.owner,))
        dimensions.add(step.dimension)
        by_month[step.month] = by_month.get(step.month, Decimal(0)) + cost
        count[step.month] = count.get(step.month, 0) + 1
    months = sorted(by_month)
    return PlanCheck(
        missing_dimensions=tuple(d for d in DIMENSIONS if d not in dimensions),
        people_without_steps=tuple(p for p in names if p not in owners),
        cost_by_month={m: float(by_month[m].quantize(_CENT, rounding=ROUND_HALF_UP))
                       for m in months},
        total_cost=float(sum(by_month.values(), Decimal(0)).quantize(_CENT, rounding=ROUND_HALF_UP)),
        busiest_month=max(months, key=lambda m: (count[m], -m)) if months else None,
    )
