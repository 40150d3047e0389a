"""One way to check what goes into a model, and one error for what is wrong.

The savings model, the business model and the loans all take plain numbers from a person (or
from a plan file she saved). Each bad value raises :class:`PlanError`, a ``ValueError`` that
names the field as the app keys it (``debt.amount``, ``funding[1].payments``) and a short
``code`` the app turns into a sentence in the person's language. The codes are the same
everywhere:

``not_a_number``  not a number, or NaN or infinity
``negative``      below zero
``too_large``     above the largest amount a plan takes (:data:`MAX_AMOUNT`)
``not_an_integer`` a count (months, payments) that is not whole
``out_of_range``  outside what is possible here (a rate above 100 %, a month outside the plan)
``not_positive``  zero where something is needed (a loan of 0)
``not_a_choice``  not one of the options (a loan kind, "day"/"week"/"month")
``wrong_type``    not the record expected
``not_text`` and ``too_long`` for words

>>> check_amount("debt.amount", 30_000)
30000.0
>>> try:
...     check_amount("debt.amount", float("nan"))
... except PlanError as err:
...     print(err.field, err.code)
debt.amount not_a_number
"""

from __future__ import annotations

import math
import numbers

MAX_AMOUNT = 1e12
"""Largest amount accepted anywhere (in the plan's currency): anything larger is a typing
mistake."""


class PlanError(ValueError):
    """An invalid plan or input. ``field`` is the dotted field name, ``code`` a short code.

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

    def under(self, prefix: str, error: type[PlanError] | None = None) -> PlanError:
        """The same mistake named inside a bigger record: ``amount`` -> ``debt.amount``.

        >>> PlanError("amount", "negative", "below zero").under("debt").field
        'debt.amount'
        """
        cls = error or type(self)
        message = str(self).split(": ", 1)[1]
        return cls(f"{prefix}.{self.field}" if prefix else self.field, self.code, message)


def check_number(name: str, value: object, error: type[PlanError] = PlanError) -> float:
    """A finite real number (not a bool, not text)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise error(name, "not_a_number", f"must be a number (got {value!r})")
    number = float(value)
    if not math.isfinite(number):
        raise error(name, "not_a_number", f"must be a finite number (got {value!r})")
    return number


def check_amount(name: str, value: object, high: float = MAX_AMOUNT,
                 error: type[PlanError] = PlanError) -> float:
    """An amount: finite, not below zero, at most ``high``."""
    number = check_number(name, value, error)
    if number < 0:
        raise error(name, "negative", f"must not be negative (got {number:g})")
    if number > high:
        raise error(name, "too_large", f"must be at most {high:g} (got {number:g})")
    return number


def check_range(name: str, value: object, low: float, high: float,
                error: type[PlanError] = PlanError) -> float:
    """A number between ``low`` and ``high`` (both included)."""
    number = check_number(name, value, error)
    if not low <= number <= high:
        raise error(name, "out_of_range", f"must be between {low:g} and {high:g} (got {number:g})")
    return number


def check_integer(name: str, value: object, low: int, high: int,
                  error: type[PlanError] = PlanError) -> int:
    """A whole number between ``low`` and ``high`` (``2.0`` is not: a count is typed whole)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise error(name, "not_an_integer", f"must be a whole number (got {value!r})")
    if not low <= value <= high:
        raise error(name, "out_of_range", f"must be between {low} and {high} (got {value})")
    return int(value)


def check_choice(name: str, value: object, choices, error: type[PlanError] = PlanError) -> str:
    """One of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise error(name, "not_a_choice", f"must be one of {', '.join(choices)} (got {value!r})")
    return value


def check_text(name: str, value: object, longest: int, error: type[PlanError] = PlanError) -> str:
    """Words, at most ``longest`` characters."""
    if not isinstance(value, str):
        raise error(name, "not_text", f"must be text (got {value!r})")
    if len(value) > longest:
        raise error(name, "too_long", f"must be at most {longest} characters")
    return value
