"""Business-plan files: a plan saved as a small JSON file, to open again, print or share.

A Binder session ends after about ten idle minutes; the file is how a person keeps her plan
and takes it to a livelihood programme. It holds the plan, its currency, the app language and
the template it started from. It is read by the one plan-file reader of Homeward
(:mod:`widgets.planfile`), with this simulator's codes.

>>> from widgets.business.templates import TEMPLATES
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

A file saved by the first version of the app (rates as fractions, loans as a rate and a
basis) opens with the same plan in today's terms: nothing is lost.

>>> old = {"kind": KIND, "version": 1, "plan": {"credit_sales_share": 0.25, "funding": [
...     {"name": "Coop", "source": "cooperative", "amount": 20000.0, "rate": 0.12,
...      "rate_basis": "declining", "months": 12}]}}
>>> plan = from_dict(old).plan
>>> plan.credit_sales_pct, plan.funding[0].payment, plan.funding[0].yearly_rate_pct
(25.0, 1776.98, 12.0)

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

from widgets import loans
from widgets import planfile as reader
from widgets.business.model import (
    MAX_ITEMS,
    MAX_TEXT,
    BusinessPlan,
    BusinessPlanError,
    Equipment,
    Funding,
    Loan,
    Profile,
    validate,
)
from widgets.checks import PlanError
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
VERSION = 2
MAX_BYTES = 500_000
LANGUAGES = ("en", "fil", "id")


class BusinessPlanFileError(reader.PlanFileError):
    """A plan file that cannot be opened. ``code`` says why, ``field`` where (or None).

    Codes: ``not_json``, ``wrong_kind``, ``newer_version``, ``bad_value``, ``too_large``.
    """


FORMAT = reader.FileFormat(
    KIND, VERSION, readable=(1, 2), max_bytes=MAX_BYTES, error=BusinessPlanFileError,
    codes={"too_big": "too_large", "not_json": "not_json", "wrong_kind": "wrong_kind",
           "bad_version": "bad_value", "newer_version": "newer_version",
           "old_version": "bad_value", "bad_value": "bad_value"})


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


def loads(text: str | bytes) -> SavedBusinessPlan:
    """Read a plan file, check every value with the model's own rules, return the saved plan."""
    return from_dict(reader.decode(text, FORMAT))


def from_dict(data: dict) -> SavedBusinessPlan:
    """Check plain data (as in the JSON file) and build the saved plan."""
    from widgets.business.templates import TEMPLATES

    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise FORMAT.fail("wrong_kind", "this is not a Homeward business plan file")
    version = data.get("version")
    if not reader.is_int(version) or version < 1:
        raise FORMAT.fail("bad_version", f"version: {version!r} is not a version", "version")
    if version > VERSION:
        raise FORMAT.fail("newer_version", f"the file was made by a newer Homeward (version "
                          f"{version})", "version")
    unknown = sorted(set(data) - {"kind", "version", "currency", "language", "template", "plan"})
    if unknown:
        raise FORMAT.bad(unknown[0], "not part of a plan file")
    currency = data.get("currency", "PHP")
    if currency not in CURRENCIES:
        raise FORMAT.bad("currency", f"{currency!r} is unknown")
    language = data.get("language", "en")
    if language not in LANGUAGES:
        raise FORMAT.bad("language", f"{language!r} is unknown")
    template = data.get("template")
    if template is not None and template not in TEMPLATES:
        raise FORMAT.bad("template", f"{template!r} is unknown")
    raw = data.get("plan")
    if version == 1:
        raw = _from_version_1(raw)
    plan = _plan(raw)
    try:
        validate(plan)
    except BusinessPlanError as err:
        raise BusinessPlanFileError("bad_value", str(err), err.field) from None
    return SavedBusinessPlan(plan, currency=currency, language=language, template=template)


# --------------------------------------------------------------------------------------------
# Reading the plan record, strictly
# --------------------------------------------------------------------------------------------


def _seasonality(value: object, name: str) -> tuple[float, ...]:
    values = reader.items(value, name, FORMAT, MAX_ITEMS)
    return tuple(reader.scalar(v, "float", f"{name}[{k}]", FORMAT) for k, v in enumerate(values))


def _equipment(value: object, name: str) -> tuple[Equipment, ...]:
    return tuple(reader.record(Equipment, item, f"{name}[{k}].", FORMAT, longest=MAX_TEXT)
                 for k, item in enumerate(reader.items(value, name, FORMAT, MAX_ITEMS)))


def _funding(value: object, name: str) -> tuple[Funding | Loan, ...]:
    out = []
    for k, item in enumerate(reader.items(value, name, FORMAT, MAX_ITEMS)):
        kind = Loan if isinstance(item, dict) and "kind" in item else Funding
        out.append(reader.record(kind, item, f"{name}[{k}].", FORMAT, longest=MAX_TEXT))
    return tuple(out)


def _profile(value: object, name: str) -> Profile:
    return reader.record(Profile, value, f"{name}.", FORMAT, longest=MAX_TEXT)


def _plan(raw: object) -> BusinessPlan:
    if not isinstance(raw, dict):
        raise FORMAT.bad("plan", "the file has no plan in it")
    nested = {"seasonality": _seasonality, "equipment": _equipment, "funding": _funding,
              "profile": _profile}
    return reader.record(BusinessPlan, raw, "", FORMAT, nested, longest=MAX_TEXT)


# --------------------------------------------------------------------------------------------
# Files of version 1: rates as fractions, loans as a rate and a basis
# --------------------------------------------------------------------------------------------

_OLD_KINDS = {"cooperative": "cooperative", "government": "government", "bank": "bank",
              "microfinance": "microfinance", "informal": "five_six", "family": "relative"}


def _from_version_1(raw: object) -> object:
    """The plan of a version-1 file in today's terms (percents, loans as the lender states
    them); a value that cannot be carried over is a ``bad_value`` naming the old field."""
    if not isinstance(raw, dict):
        return raw
    raw = dict(raw)
    for old, new in (("credit_sales_share", "credit_sales_pct"),
                     ("discount_rate", "discount_yearly_rate_pct")):
        if old in raw:
            value = raw.pop(old)
            raw[new] = 100.0 * reader.scalar(value, "float", old, FORMAT)
    if "funding" in raw:
        items = reader.items(raw["funding"], "funding", FORMAT, MAX_ITEMS)
        raw["funding"] = [_old_funding(item, f"funding[{k}]") for k, item in enumerate(items)]
    return raw


def _old_funding(item: object, name: str) -> dict:
    """One version-1 funding item -> a Funding or a Loan record."""
    if not isinstance(item, dict):
        raise FORMAT.bad(name, "expected a record")
    known = {"name", "source", "amount", "rate", "rate_basis", "months"}
    unknown = sorted(set(item) - known)
    if unknown:
        raise FORMAT.bad(f"{name}.{unknown[0]}", "not part of a plan")
    label = reader.scalar(item.get("name", ""), "str", f"{name}.name", FORMAT, MAX_TEXT)
    source = reader.scalar(item.get("source", "own_savings"), "str", f"{name}.source", FORMAT)
    amount = reader.scalar(item.get("amount", 0.0), "float", f"{name}.amount", FORMAT)
    rate = reader.scalar(item.get("rate", 0.0), "float", f"{name}.rate", FORMAT)
    basis = reader.scalar(item.get("rate_basis", "declining"), "str", f"{name}.rate_basis",
                          FORMAT)
    months = reader.scalar(item.get("months", 0), "int", f"{name}.months", FORMAT)
    if months == 0 or amount <= 0:
        if source in ("own_savings", "family"):
            return {"name": label, "source": source, "amount": amount}
        return {"name": label, "source": "grant", "amount": amount}
    kind = _OLD_KINDS.get(source, "other")
    try:
        if basis == "flat":
            if loans.KINDS.get(kind) is None or loans.KINDS[kind].split != "flat":
                kind = "microfinance"
            total = math.floor(round(amount * 100) * (1 + rate * months) + 0.5)
            loan = loans._level(kind, amount, total, months, "month", label)
        else:
            if loans.KINDS[kind].split != "declining":
                kind = "other"
            loan = loans.declining(kind, amount, yearly_rate_pct=100 * rate, payments=months,
                                   name=label)
    except PlanError as err:
        raise FORMAT.bad(f"{name}.{err.field}", str(err)) from None
    return dataclasses.asdict(loan)


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

    if not isinstance(text, str | bytes | bytearray):
        raise BusinessPlanFileError("not_json", "the file is not text")
    try:
        saved = savings_file.loads(text)
    except savings_file.PlanFileError as err:
        code = _SAVINGS_CODES.get(err.code, "bad_value")
        if err.code == "wrong_version":
            code = "newer_version" if _version(text) > savings_file.VERSION else "bad_value"
        raise BusinessPlanFileError(code, f"savings plan file: {err}", err.field) from None
    plan = saved.plan
    back = effective_return_month(plan)
    if back == 0:
        amount = float(plan.personal_savings)
    else:
        amount = float(simulate(plan).personal_savings.iloc[back - 1])
    return amount, saved.currency


def _version(text: str | bytes | bytearray) -> int:
    """The version a savings file says it has (0 if it says none)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return 0
    version = data.get("version") if isinstance(data, dict) else None
    return version if reader.is_int(version) else 0
