"""Plan files: a savings plan saved as a small JSON file, to open again later.

A Binder session ends after about ten idle minutes; the file is how a person
keeps her plan. It holds the plan, its first month, currency and language. It is
read by the one plan-file reader of Homeward (:mod:`widgets.planfile`), with this
simulator's codes.

>>> from widgets.savings.model import Plan
>>> text = dumps(SavedPlan(Plan(), start="2026-11", currency="PHP", language="fil"))
>>> saved = loads(text)
>>> saved.plan == Plan(), saved.start, saved.currency, saved.language
(True, '2026-11', 'PHP', 'fil')

An edited or broken file gives a :class:`PlanFileError` that names what is
wrong, and never a half-read plan:

>>> loads('{"kind": "homeward-savings-plan", "version": 2, "plan": {"remittance": "lots"}}')
Traceback (most recent call last):
...
widgets.savings.planfile.PlanFileError: bad_value: remittance: expected a number, got 'lots'

A file saved by the first version of the app opens with the same plan in today's terms
(rates named with their period, the debt as a loan): nothing is lost.

>>> old = ('{"kind": "homeward-savings-plan", "version": 1, "plan": {"inflation_pct": 3.0,'
...        ' "debt": {"principal": 30000, "annual_rate_pct": 24, "monthly_payment": 3000}}}')
>>> plan = loads(old).plan
>>> plan.inflation_yearly_pct, plan.debt.payments, plan.debt.last
(3.0, 12, 810.98)
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass

from widgets import loans
from widgets import planfile as reader
from widgets.checks import PlanError
from widgets.money import CURRENCIES
from widgets.savings.model import Goal, Loan, Plan, SavingsGroup, Shocks, validate

KIND = "homeward-savings-plan"
VERSION = 2
MAX_BYTES = 200_000
_START = re.compile(r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$")
_LANGUAGES = ("en", "fil", "id")


class PlanFileError(reader.PlanFileError):
    """A plan file that cannot be opened. ``code`` says why, ``field`` where.

    Codes: ``too_big``, ``not_json``, ``not_a_plan``, ``wrong_version``, ``bad_value``.
    """


FORMAT = reader.FileFormat(
    KIND, VERSION, readable=(1, 2), max_bytes=MAX_BYTES, error=PlanFileError,
    codes={"too_big": "too_big", "not_json": "not_json", "wrong_kind": "not_a_plan",
           "bad_version": "wrong_version", "newer_version": "wrong_version",
           "old_version": "wrong_version", "bad_value": "bad_value"})


@dataclass(frozen=True)
class SavedPlan:
    """A plan with what is needed to show it again: first month, currency, language."""

    plan: Plan
    start: str  # "YYYY-MM", the plan's month 0
    currency: str = "PHP"
    language: str = "en"


def to_dict(saved: SavedPlan) -> dict:
    """The plain-data form of a saved plan (what the JSON file holds)."""
    plan = dataclasses.asdict(saved.plan)
    plan["shocks"]["remittance_stops"] = list(saved.plan.shocks.remittance_stops)
    plan["goals"] = [dataclasses.asdict(goal) for goal in saved.plan.goals]
    return {
        "kind": KIND,
        "version": VERSION,
        "start": saved.start,
        "currency": saved.currency,
        "language": saved.language,
        "plan": plan,
    }


def dumps(saved: SavedPlan) -> str:
    """The text of a plan file."""
    return json.dumps(to_dict(saved), indent=2, ensure_ascii=False)


def loads(text: str | bytes) -> SavedPlan:
    """Read a plan file, check every value, and return the saved plan."""
    data = reader.decode(text, FORMAT)
    start = data.get("start", "2026-01")
    if not isinstance(start, str) or not _START.match(start):
        raise PlanFileError("bad_value", f"start: {start!r} is not a month like 2026-11", "start")
    currency = data.get("currency", "PHP")
    if currency not in CURRENCIES:
        raise PlanFileError("bad_value", f"currency: {currency!r} is unknown", "currency")
    language = data.get("language", "en")
    if language not in _LANGUAGES:
        language = "en"
    raw = data.get("plan")
    if data["version"] == 1:
        raw = _from_version_1(raw)
    plan = _plan_from(raw)
    try:
        validate(plan)
    except PlanError as err:
        raise PlanFileError("bad_value", str(err), err.field) from None
    return SavedPlan(plan, start=start, currency=currency, language=language)


def _plan_from(raw) -> Plan:
    if not isinstance(raw, dict):
        raise PlanFileError("not_a_plan", "the file has no plan in it")
    nested = {
        "goals": _goals,
        "debt": lambda value, name: None if value is None else reader.loan_from(value, name,
                                                                                FORMAT),
        "group": lambda value, name: None if value is None else reader.record(
            SavingsGroup, value, f"{name}.", FORMAT),
        "shocks": _shocks,
    }
    return reader.record(Plan, raw, "", FORMAT, nested, longest=80)


def _goals(value, name: str) -> tuple[Goal, ...]:
    if not isinstance(value, list) or len(value) > 10:
        raise PlanFileError("bad_value", "goals: expected a list of at most 10 goals", "goals")
    return tuple(reader.record(Goal, item, f"goals[{i}].", FORMAT, longest=80)
                 for i, item in enumerate(value))


def _shocks(value, name: str) -> Shocks:
    if not isinstance(value, dict):
        raise PlanFileError("bad_value", "shocks: expected a record", "shocks")
    stops = value.get("remittance_stops", [])
    if not isinstance(stops, list) or not all(reader.is_int(m) for m in stops) or len(stops) > 360:
        raise PlanFileError(
            "bad_value", "shocks.remittance_stops: expected whole months", "shocks.remittance_stops"
        )
    return reader.record(Shocks, value, "shocks.", FORMAT,
                         {"remittance_stops": lambda items, _name: tuple(items)})


# --------------------------------------------------------------------------------------------
# Files of version 1: rates without their period, the debt as principal, rate and payment
# --------------------------------------------------------------------------------------------

_RENAMED = {"personal_rate_pct": "personal_yearly_rate_pct",
            "family_rate_pct": "family_yearly_rate_pct",
            "inflation_pct": "inflation_yearly_pct"}


def _from_version_1(raw):
    """The plan of a version-1 file in today's terms."""
    if not isinstance(raw, dict):
        return raw
    raw = {_RENAMED.get(name, name): value for name, value in raw.items()}
    debt = raw.get("debt")
    if isinstance(debt, dict):
        raw["debt"] = _old_debt(debt)
    return raw


def _old_debt(debt: dict) -> dict | None:
    unknown = sorted(set(debt) - {"principal", "annual_rate_pct", "monthly_payment"})
    if unknown:
        raise PlanFileError("bad_value", f"debt.{unknown[0]}: not expected", "debt")
    principal = reader.scalar(debt.get("principal", 0.0), "float", "debt.amount", FORMAT)
    rate = reader.scalar(debt.get("annual_rate_pct", 0.0), "float", "debt.yearly_rate_pct",
                         FORMAT)
    payment = reader.scalar(debt.get("monthly_payment", 0.0), "float", "debt.payment", FORMAT)
    if principal <= 0:
        return None
    try:
        loan: Loan = loans.repaid_by(principal, yearly_rate_pct=rate, payment=payment)
    except PlanError as err:
        raise PlanFileError("bad_value", f"debt.{err.field}: {err}", f"debt.{err.field}") from None
    return dataclasses.asdict(loan)
