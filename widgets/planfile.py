"""One reader for Homeward's plan files (the savings plan and the business plan).

A plan file is a small JSON file a person downloads to keep her plan (a Binder session ends
after about ten idle minutes) and opens again later. Both simulators' files have the same
shape: ``{"kind": ..., "version": ..., <a few settings>, "plan": {...}}``. This module reads
any of them strictly: the text, its size, the JSON (also a deeply nested one, which makes
Python's parser raise ``RecursionError``), the kind and version, and every field of every
record by the type its dataclass declares. What differs between the two simulators (the
kind, the versions, the size limit, the error class and its codes) is a :class:`FileFormat`.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Point:
...     x: float = 0.0
...     label: str = ""
>>> fmt = FileFormat("homeward-point", 1, max_bytes=1000)
>>> data = decode('{"kind": "homeward-point", "version": 1, "plan": {"x": 2}}', fmt)
>>> record(Point, data["plan"], "", fmt)
Point(x=2.0, label='')
>>> try:
...     decode("[" * 100_000 + "]" * 100_000, FileFormat("homeward-point", 1, max_bytes=10**6))
... except PlanFileError as err:
...     print(err.code)
not_json
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["FileFormat", "PlanFileError", "decode", "is_int", "record", "scalar"]


class PlanFileError(ValueError):
    """A plan file that cannot be opened. ``code`` says why, ``field`` where (or None)."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.field = field


#: What can be wrong with a file (the keys of ``FileFormat.codes``), with its default code.
MEANINGS = {
    "too_big": "too_big",  # more bytes than a plan has
    "not_json": "not_json",  # not UTF-8 text, not JSON, or nested deeper than Python reads
    "wrong_kind": "wrong_kind",  # JSON, but not this simulator's plan file
    "bad_version": "bad_value",  # a version that is not a version
    "newer_version": "newer_version",  # made by a newer Homeward
    "old_version": "wrong_version",  # a version this Homeward no longer reads
    "bad_value": "bad_value",  # a value that is not possible (the field says which)
}


@dataclass(frozen=True)
class FileFormat:
    """A simulator's plan file: its ``kind``, the ``version`` it writes and the ``readable``
    versions (older ones are migrated by the simulator), the largest file, the error class,
    and the code each mistake gets (:data:`MEANINGS`)."""

    kind: str
    version: int
    readable: tuple[int, ...] = ()
    max_bytes: int = 500_000
    error: type[PlanFileError] = PlanFileError
    codes: dict[str, str] = field(default_factory=dict)

    def fail(self, meaning: str, message: str, name: str | None = None) -> PlanFileError:
        """The error for a kind of mistake, with this format's class and code."""
        return self.error(self.codes.get(meaning, MEANINGS[meaning]), message, name)

    def bad(self, name: str, message: str) -> PlanFileError:
        """A value that is not possible, named."""
        return self.fail("bad_value", f"{name}: {message}", name)


def is_int(value: object) -> bool:
    """A JSON whole number (``true`` is not one)."""
    return isinstance(value, int) and not isinstance(value, bool)


def decode(text: str | bytes, fmt: FileFormat) -> dict:
    """The file's JSON object, once its size, text, kind and version are right.

    >>> fmt = FileFormat("homeward-point", 2, readable=(1, 2), max_bytes=100,
    ...                  codes={"wrong_kind": "not_a_plan"})
    >>> for text in [b"\\xff", "{", "[1]", '{"kind": "other"}', "x" * 101,
    ...              '{"kind": "homeward-point", "version": 3}',
    ...              '{"kind": "homeward-point", "version": "2"}']:
    ...     try:
    ...         decode(text, fmt)
    ...     except PlanFileError as err:
    ...         print(err.code)
    not_json
    not_json
    not_a_plan
    not_a_plan
    too_big
    newer_version
    bad_value
    """
    if isinstance(text, bytes | bytearray):
        if len(text) > fmt.max_bytes:
            raise fmt.fail("too_big", f"the file has {len(text)} bytes; a plan has far fewer")
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            raise fmt.fail("not_json", "the file is not text") from None
    if not isinstance(text, str):
        raise fmt.fail("not_json", "the file is not text")
    if len(text) > fmt.max_bytes:
        raise fmt.fail("too_big", f"the file has {len(text)} characters")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as err:
        reason = "nested too deep" if isinstance(err, RecursionError) else str(err)
        raise fmt.fail("not_json", f"the file is not a plan file ({reason})") from None
    if not isinstance(data, dict) or data.get("kind") != fmt.kind:
        raise fmt.fail("wrong_kind", f"this is not a Homeward file of kind {fmt.kind}")
    version = data.get("version")
    if not is_int(version) or version < 1:
        raise fmt.fail("bad_version", f"version: {version!r} is not a version", "version")
    if version > fmt.version:
        raise fmt.fail("newer_version", f"the file was made by a newer Homeward (version "
                       f"{version})", "version")
    if version not in (fmt.readable or (fmt.version,)):
        raise fmt.fail("old_version", f"version {version} is no longer read", "version")
    return data


def scalar(value: object, kind: str, name: str, fmt: FileFormat, longest: int = 2000):
    """One value, by the type its field declares: ``str``, ``int``, ``float``, or one of them
    ``| None``. Numbers must be finite; ``true`` is not a number."""
    optional = kind.endswith("| None")
    kind = kind.split("|")[0].strip()
    if value is None and optional:
        return None
    if kind == "str":
        if not isinstance(value, str) or len(value) > longest:
            raise fmt.bad(name, f"expected a text of at most {longest} characters")
        return value
    if kind == "int":
        if not is_int(value):
            raise fmt.bad(name, f"expected a whole number, got {value!r}")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fmt.bad(name, f"expected a number, got {value!r}")
    return float(value)


Reader = Callable[[object, str], object]


def record(cls: type, raw: object, prefix: str, fmt: FileFormat,
           nested: dict[str, Reader] | None = None, longest: int = 2000):
    """A dataclass from a JSON object: every key must be a field, every value its type.
    ``nested`` reads the fields that hold records or lists (``name -> reader(value, path)``).
    ``prefix`` is the path of the record (``debt.``, ``funding[1].``)."""
    where = prefix.rstrip(".") or "plan"
    if not isinstance(raw, dict):
        raise fmt.bad(where, "expected a record")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise fmt.bad(f"{prefix}{unknown[0]}", "not part of a plan")
    nested = nested or {}
    values = {}
    for name, value in raw.items():
        path = f"{prefix}{name}"
        if name in nested:
            values[name] = nested[name](value, path)
        else:
            values[name] = scalar(value, str(fields[name].type), path, fmt, longest)
    return cls(**values)


def items(value: object, name: str, fmt: FileFormat, most: int) -> list:
    """A JSON list of at most ``most`` items."""
    if not isinstance(value, list):
        raise fmt.bad(name, "expected a list")
    if len(value) > most:
        raise fmt.bad(name, f"expected at most {most} items")
    return value


def loan_from(value: object, name: str, fmt: FileFormat):
    """A :class:`~widgets.loans.Loan` written as a record (checked again by the model)."""
    from widgets.loans import Loan

    return record(Loan, value, f"{name}.", fmt)


def loan_dict(loan) -> dict:
    """The plain-data form of a loan."""
    return dataclasses.asdict(loan)
