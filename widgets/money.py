"""Money: currencies, and reading and writing amounts the way each language does.

This is the one module that formats and parses amounts. Everything else asks it.
Formats come from Babel (the Unicode CLDR data), so a Filipino reader sees
``₱5,000.50`` and an Indonesian reader sees ``Rp 5.000,50``.

>>> format_money(5000.5, "PHP", "fil")
'₱5,000.50'
>>> format_money(5000.5, "IDR", "id")
'Rp5.000,50'

Typing ``5.000,50`` in Indonesian means five thousand and fifty cents:

>>> parse_amount("5.000,50", "id")
5000.5
>>> parse_amount("5,000.50", "en")
5000.5

Bad input raises :class:`AmountError` (a ``ValueError``) with a short ``code``
that the app turns into a sentence in the person's language:

>>> parse_amount("five", "en")
Traceback (most recent call last):
...
widgets.money.AmountError: not_a_number: 'five' is not a number
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel import Locale
from babel.numbers import (
    NumberFormatError,
    format_currency,
    format_decimal,
    get_currency_symbol,
    parse_decimal,
)

#: Currencies of the home countries Homeward serves, and US dollars.
CURRENCIES: dict[str, str] = {
    "PHP": "Philippine peso",
    "IDR": "Indonesian rupiah",
    "THB": "Thai baht",
    "NPR": "Nepalese rupee",
    "MXN": "Mexican peso",
    "USD": "US dollar",
}

#: App language -> the Babel locale used for numbers and dates.
LOCALES: dict[str, str] = {"en": "en_PH", "fil": "fil_PH", "id": "id_ID"}

#: Anything larger than this is taken for a typing mistake.
MAX_AMOUNT = 1e12


class AmountError(ValueError):
    """An amount that could not be read. ``code`` names the kind of mistake."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code


def babel_locale(language: str) -> Locale:
    """The Babel locale for an app language (``en``, ``fil``, ``id``).

    >>> str(babel_locale("id"))
    'id_ID'
    """
    return Locale.parse(LOCALES.get(language, language))


def check_currency(currency: str) -> str:
    """Return the currency code if Homeward knows it, else raise ``AmountError``.

    >>> check_currency("THB")
    'THB'
    """
    if currency not in CURRENCIES:
        raise AmountError("unknown_currency", f"{currency!r} is not one of {sorted(CURRENCIES)}")
    return currency


def currency_symbol(currency: str, language: str) -> str:
    """The sign people write for a currency, for example ``₱`` or ``Rp``.

    >>> currency_symbol("PHP", "en"), currency_symbol("IDR", "id")
    ('₱', 'Rp')
    """
    return get_currency_symbol(check_currency(currency), locale=babel_locale(language))


def format_money(amount: float, currency: str, language: str, *, cents: bool = True) -> str:
    """Write an amount of money as a reader of ``language`` expects.

    ``cents=False`` rounds to whole units, which reads better in sentences:

    >>> format_money(1234567.891, "PHP", "en", cents=False)
    '₱1,234,568'
    >>> format_money(-250, "MXN", "en")
    '-MX$250.00'
    """
    loc = babel_locale(language)
    check_currency(currency)
    if cents:
        return format_currency(amount, currency, locale=loc)
    return format_currency(
        round(amount), currency, locale=loc, format="¤#,##0", currency_digits=False
    )


def format_number(value: float, language: str, digits: int = 0) -> str:
    """Write a plain number (no currency) in the reader's way, for input boxes.

    >>> format_number(5000.5, "id", 2), format_number(5000.5, "en", 2)
    ('5.000,50', '5,000.50')
    >>> format_number(12000, "fil")
    '12,000'
    """
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale(language))


_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def parse_amount(
    text: str,
    language: str,
    currency: str | None = None,
    *,
    allow_negative: bool = False,
    maximum: float = MAX_AMOUNT,
) -> float:
    """Read an amount typed by a person, in the way of her language.

    The currency sign and spaces may be typed or left out:

    >>> parse_amount("₱ 12,500", "fil", "PHP")
    12500.0
    >>> parse_amount("Rp 1.250.000", "id", "IDR")
    1250000.0

    Each kind of mistake has its own code:

    >>> for bad in ["", "-5", "1e30"]:
    ...     try:
    ...         parse_amount(bad, "en")
    ...     except AmountError as e:
    ...         print(e.code)
    empty
    negative
    too_large
    """
    loc = babel_locale(language)
    cleaned = _SPACES.sub("", str(text))
    if currency:
        for sign in {currency, currency_symbol(currency, language)}:
            cleaned = cleaned.replace(sign, "")
    if cleaned in ("", "-", "+"):
        raise AmountError("empty", "no amount was typed")
    value = _to_decimal(cleaned, loc)
    number = float(value)
    if not math.isfinite(number):
        raise AmountError("not_a_number", f"{text!r} is not a number")
    if number < 0 and not allow_negative:
        raise AmountError("negative", f"{text!r} is below zero")
    if abs(number) > maximum:
        raise AmountError("too_large", f"{text!r} is larger than {maximum:g}")
    return number


def _to_decimal(cleaned: str, loc: Locale) -> Decimal:
    """Parse with Babel, strictly, so ``5.000,50`` is not read as 5 in English."""
    try:
        return parse_decimal(cleaned, locale=loc, strict=True)
    except NumberFormatError:
        # Plain digits and scientific notation are numbers in every language;
        # anything else Babel will not read strictly (``1,2,3``) is refused.
        plain = re.fullmatch(r"[+-]?\d+", cleaned)
        if plain:
            return Decimal(cleaned)
        scientific = re.fullmatch(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+", cleaned)
        if scientific:
            return Decimal(cleaned)
        raise AmountError("not_a_number", f"{cleaned!r} is not a number") from None
