"""Business-plan files: a plan saved as a small JSON file, to open again, print or share.

A Binder session ends after about ten idle minutes; the file is how a person keeps her plan
and takes it to a livelihood programme. It holds the plan, its currency, the app language and
the template it started from.

>>> from widgets.business.model import TEMPLATES
>>> saved = SavedBusinessPlan(TEMPLATES["food_stall"], "PHP", "fil", "food_stall")
>>> text = dumps(saved)
>>> loads(text) == saved
True

A broken or edited file gives a :class:`BusinessPlanFileError` with a ``code`` and the
``field`` (named as the app names it), never a half-read plan:

>>> try:
...     loads(text.replace('"price": 70.0', '"price": -70.0'))
... except BusinessPlanFileError as err:
...     print(err.code, err.field)
bad_value price

Own savings can come from a savings plan file made with the savings simulator:

>>> from widgets.savings import planfile as savings_file
>>> from widgets.savings.model import Plan
>>> amount, currency = own_savings_from_savings_file(
...     savings_file.dumps(savings_file.SavedPlan(Plan(), start="2026-01", currency="PHP")))
>>> round(amount), currency  # her personal savings when she comes home
(201019, 'PHP')
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

from widgets.business.model import (
    MAX_ITEMS,
    MAX_TEXT,
    TEMPLATES,
    BusinessPlan,
    BusinessPlanError,
    Equipment,
    Funding,
    Profile,
    validate,
)
from widgets.money import CURRENCIES

__all__ = [
    "KIND",
    "VERSION",
    "BusinessPlanFileError",
    "SavedBusinessPlan",
    "dumps",
    "from_dict",
    "loads",
    "own_savings_from_savings_file",
    "to_dict",
]

KIND = "homeward-business-plan"
VERSION = 1
MAX_BYTES = 500_000
LANGUAGES = ("en", "fil", "id")


class BusinessPlanFileError(ValueError):
    """A plan file that cannot be opened. ``code`` says why, ``field`` where (or None).

    Codes: ``not_json``, ``wrong_kind``, ``newer_version``, ``bad_value``, ``too_large``.
    """

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.field = field


@dataclass(frozen=True)
class SavedBusinessPlan:
    """A plan with what is needed to show it again: currency, language, starting template."""

    plan: BusinessPlan
    currency: str = "PHP"
    language: str = "en"
    template: str | None = None


def to_dict(saved: SavedBusinessPlan) -> dict:
    """The plain-data form of a saved plan (what the JSON file holds)."""
    plan = dataclasses.asdict(saved.plan)
    plan["seasonality"] = [float(v) for v in saved.plan.seasonality]
    plan["equipment"] = [dataclasses.asdict(e) for e in saved.plan.equipment]
    plan["funding"] = [dataclasses.asdict(f) for f in saved.plan.funding]
    return {
        "kind": KIND,
        "version": VERSION,
        "currency": saved.currency,
        "language": saved.language,
        "template": saved.template,
        "plan": plan,
    }


def dumps(saved: SavedBusinessPlan) -> str:
    """The text of a plan file (JSON, UTF-8 characters kept as they are)."""
    return json.dumps(to_dict(saved), indent=2, ensure_ascii=False)


def _decode(text: str | bytes) -> dict:
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_BYTES:
            raise BusinessPlanFileError("too_large", f"the file has {len(text)} bytes; a plan has far fewer")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise BusinessPlanFileError("not_json", "the file is not text") from None
    if not isinstance(text, str):
        raise BusinessPlanFileError("not_json", "the file is not text")
    if len(text) > MAX_BYTES:
        raise BusinessPlanFileError("too_large", f"the file has {len(text)} characters")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as err:
        raise BusinessPlanFileError("not_json", f"the file is not a plan file ({err})") from None
    if not isinstance(data, dict):
        raise BusinessPlanFileError("wrong_kind", "this is not a Homeward business plan file")
    return data


def loads(text: str | bytes) -> SavedBusinessPlan:
    """Read a plan file, check every value with the model's own rules, return the saved plan."""
    return from_dict(_decode(text))


def from_dict(data: dict) -> SavedBusinessPlan:
    """Check plain data (as in the JSON file) and build the saved plan."""
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise BusinessPlanFileError("wrong_kind", "this is not a Homeward business plan file")
    version = data.get("version")
    if not _is_int(version) or version < 1:
        raise BusinessPlanFileError("bad_value", f"version: {version!r} is not a version", "version")
    if version > VERSION:
        raise BusinessPlanFileError(
            "newer_version", f"the file was made by a newer Homeward (version {version})", "version"
        )
    unknown = sorted(set(data) - {"kind", "version", "currency", "language", "template", "plan"})
    if unknown:
        raise BusinessPlanFileError("bad_value", f"{unknown[0]}: not part of a plan file", unknown[0])
    currency = data.get("currency", "PHP")
    if currency not in CURRENCIES:
        raise BusinessPlanFileError("bad_value", f"currency: {currency!r} is unknown", "currency")
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise BusinessPlanFileError("bad_value", f"language: {language!r} is unknown", "language")
    template = data.get("template")
    if template is not None and template not in TEMPLATES:
        raise BusinessPlanFileError("bad_value", f"template: {template!r} is unknown", "template")
    plan = _plan(data.get("plan"))
    try:
        validate(plan)
    except BusinessPlanError as err:
        raise BusinessPlanFileError("bad_value", str(err), err.field) from None
    return SavedBusinessPlan(plan, currency=currency, language=language, template=template)


# --------------------------------------------------------------------------------------------
# Reading the plan record, strictly
# --------------------------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _bad(name: str, message: str) -> BusinessPlanFileError:
    return BusinessPlanFileError("bad_value", f"{name}: {message}", name)


def _value(value: object, kind: str, name: str):
    """One scalar, by the kind its field is declared with: str, int or float."""
    if kind == "str":
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise _bad(name, f"expected a text of at most {MAX_TEXT} characters")
        return value
    if kind == "int":
        if not _is_int(value):
            raise _bad(name, f"expected a whole number, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(name, f"expected a number, got {value!r}")
    return float(value)


def _record(cls: type, raw: object, prefix: str, nested: dict | None = None) -> object:
    if not isinstance(raw, dict):
        raise _bad(prefix.rstrip(".") or "plan", "expected a record")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise _bad(f"{prefix}{unknown[0]}", "not part of a plan")
    nested = nested or {}
    values = {}
    for name, value in raw.items():
        if name in nested:
            values[name] = nested[name](value, f"{prefix}{name}")
        else:
            kind = str(fields[name].type).split(" ")[0]
            values[name] = _value(value, kind, f"{prefix}{name}")
    return cls(**values)


def _list(value: object, name: str) -> list:
    if not isinstance(value, list):
        raise _bad(name, "expected a list")
    if len(value) > MAX_ITEMS:
        raise _bad(name, f"expected at most {MAX_ITEMS} items")
    return value


def _seasonality(value: object, name: str) -> tuple[float, ...]:
    items = _list(value, name)
    return tuple(_value(v, "float", f"{name}[{k}]") for k, v in enumerate(items))


def _equipment(value: object, name: str) -> tuple[Equipment, ...]:
    return tuple(_record(Equipment, item, f"{name}[{k}].") for k, item in enumerate(_list(value, name)))


def _funding(value: object, name: str) -> tuple[Funding, ...]:
    return tuple(_record(Funding, item, f"{name}[{k}].") for k, item in enumerate(_list(value, name)))


def _profile(value: object, name: str) -> Profile:
    return _record(Profile, value, f"{name}.")


def _plan(raw: object) -> BusinessPlan:
    if not isinstance(raw, dict):
        raise BusinessPlanFileError("bad_value", "plan: the file has no plan in it", "plan")
    nested = {"seasonality": _seasonality, "equipment": _equipment, "funding": _funding,
              "profile": _profile}
    return _record(BusinessPlan, raw, "", nested)


# --------------------------------------------------------------------------------------------
# Own savings from the savings simulator
# --------------------------------------------------------------------------------------------

_SAVINGS_CODES = {"too_big": "too_large", "not_json": "not_json", "not_a_plan": "wrong_kind"}


def own_savings_from_savings_file(text: str | bytes) -> tuple[float, str]:
    """Her personal savings when she comes home, from a savings-plan file, and its currency.

    The savings simulator keeps her personal savings apart from the family's. The amount is
    her personal savings at the end of her last month abroad (the month before the plan's
    return month, or an earlier forced return); if the plan starts at home, her starting
    savings. A bad file raises :class:`BusinessPlanFileError` with a business-file code.
    """
    from widgets.savings import planfile as savings_file
    from widgets.savings.model import effective_return_month, simulate

    if isinstance(text, str | bytes | bytearray):
        try:
            data = json.loads(text) if len(text) <= MAX_BYTES else None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            data = None
    else:
        raise BusinessPlanFileError("not_json", "the file is not text")
    try:
        saved = savings_file.loads(text)
    except savings_file.PlanFileError as err:
        code = _SAVINGS_CODES.get(err.code, "bad_value")
        if err.code == "wrong_version":
            version = data.get("version") if isinstance(data, dict) else None
            newer = _is_int(version) and version > savings_file.VERSION
            code = "newer_version" if newer else "bad_value"
        raise BusinessPlanFileError(code, f"savings plan file: {err}", err.field) from None
    plan = saved.plan
    back = effective_return_month(plan)
    if back == 0:
        amount = float(plan.personal_savings)
    else:
        amount = float(simulate(plan).personal_savings.iloc[back - 1])
    return amount, saved.currency
