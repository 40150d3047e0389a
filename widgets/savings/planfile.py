"""Plan files: a savings plan saved as a small JSON file, to open again later.

A Binder session ends after about ten idle minutes; the file is how a person
keeps her plan. It holds the plan, its first month, currency and language.

>>> from widgets.savings.model import Plan
>>> text = dumps(SavedPlan(Plan(), start="2026-11", currency="PHP", language="fil"))
>>> saved = loads(text)
>>> saved.plan == Plan(), saved.start, saved.currency, saved.language
(True, '2026-11', 'PHP', 'fil')

An edited or broken file gives a :class:`PlanFileError` that names what is
wrong, and never a half-read plan:

>>> loads('{"kind": "homeward-savings-plan", "version": 1, "plan": {"remittance": "lots"}}')
Traceback (most recent call last):
...
widgets.savings.planfile.PlanFileError: bad_value: remittance: expected a number, got 'lots'
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass

from widgets.money import CURRENCIES
from widgets.savings.model import Debt, Goal, Plan, PlanError, SavingsGroup, Shocks, validate

KIND = "homeward-savings-plan"
VERSION = 1
MAX_BYTES = 200_000
_START = re.compile(r"^(19|20|21)\d\d-(0[1-9]|1[0-2])$")
_LANGUAGES = ("en", "fil", "id")


class PlanFileError(ValueError):
    """A plan file that cannot be opened. ``code`` says why, ``field`` where."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.field = field


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
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise PlanFileError("too_big", f"the file has {len(text)} bytes, a plan has far fewer")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise PlanFileError("not_json", "the file is not text") from None
    if len(text) > MAX_BYTES:
        raise PlanFileError("too_big", f"the file has {len(text)} characters")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise PlanFileError("not_json", f"the file is not a plan file ({err.msg})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise PlanFileError("not_a_plan", "this is not a Homeward savings plan file")
    if data.get("version") != VERSION:
        raise PlanFileError("wrong_version", f"version {data.get('version')!r} is not {VERSION}")
    start = data.get("start", "2026-01")
    if not isinstance(start, str) or not _START.match(start):
        raise PlanFileError("bad_value", f"start: {start!r} is not a month like 2026-11", "start")
    currency = data.get("currency", "PHP")
    if currency not in CURRENCIES:
        raise PlanFileError("bad_value", f"currency: {currency!r} is unknown", "currency")
    language = data.get("language", "en")
    if language not in _LANGUAGES:
        language = "en"
    plan = _plan_from(data.get("plan"))
    try:
        validate(plan)
    except PlanError as err:
        raise PlanFileError("bad_value", str(err), err.field) from None
    return SavedPlan(plan, start=start, currency=currency, language=language)


def _plan_from(raw) -> Plan:
    if not isinstance(raw, dict):
        raise PlanFileError("not_a_plan", "the file has no plan in it")
    known = {field.name: field for field in dataclasses.fields(Plan)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        raise PlanFileError("bad_value", f"{unknown[0]}: not part of a plan", unknown[0])
    values = {}
    for name, value in raw.items():
        if name == "goals":
            values[name] = _goals(value)
        elif name == "debt":
            values[name] = None if value is None else _record(Debt, value, "debt")
        elif name == "group":
            values[name] = None if value is None else _record(SavingsGroup, value, "group")
        elif name == "shocks":
            values[name] = _shocks(value)
        else:
            values[name] = _scalar(value, known[name], name)
    return Plan(**values)


def _goals(value) -> tuple[Goal, ...]:
    if not isinstance(value, list) or len(value) > 10:
        raise PlanFileError("bad_value", "goals: expected a list of at most 10 goals", "goals")
    return tuple(_record(Goal, item, f"goals[{i}]") for i, item in enumerate(value))


def _shocks(value) -> Shocks:
    if not isinstance(value, dict):
        raise PlanFileError("bad_value", "shocks: expected a record", "shocks")
    value = dict(value)
    stops = value.get("remittance_stops", [])
    if not isinstance(stops, list) or not all(_is_int(m) for m in stops) or len(stops) > 360:
        raise PlanFileError(
            "bad_value", "shocks.remittance_stops: expected whole months", "shocks.remittance_stops"
        )
    value["remittance_stops"] = tuple(stops)
    return _record(Shocks, value, "shocks", skip=("remittance_stops",))


def _record(cls, value, prefix: str, skip: tuple[str, ...] = ()):
    if not isinstance(value, dict):
        raise PlanFileError("bad_value", f"{prefix}: expected a record", prefix)
    fields = {field.name: field for field in dataclasses.fields(cls)}
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise PlanFileError("bad_value", f"{prefix}.{unknown[0]}: not expected", prefix)
    return cls(
        **{
            name: item if name in skip else _scalar(item, fields[name], f"{prefix}.{name}")
            for name, item in value.items()
        }
    )


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _scalar(value, field: dataclasses.Field, name: str):
    kind = field.type if isinstance(field.type, str) else getattr(field.type, "__name__", "")
    if "str" in kind and "float" not in kind:
        if not isinstance(value, str) or len(value) > 80:
            raise PlanFileError("bad_value", f"{name}: expected a short text", name)
        return value
    if kind.startswith("int") and "None" not in kind:
        if not _is_int(value):
            raise PlanFileError("bad_value", f"{name}: expected a whole number, got {value!r}", name)
        return value
    if "None" in kind and value is None:
        return None
    if _is_int(value) and kind.startswith("int"):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PlanFileError("bad_value", f"{name}: expected a number, got {value!r}", name)
    return int(value) if kind.startswith("int") else float(value)
