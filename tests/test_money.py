"""Reading and writing amounts (widgets/money.py): the parsing quirks of issue 11, point 13,
the ``ambiguous`` and ``wrong_currency`` codes the apps turn into questions, and round trips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.money import CURRENCIES, AmountError, format_money, format_number, parse_amount


def code_of(text, language="en", currency=None, **options):
    with pytest.raises(AmountError) as caught:
        parse_amount(text, language, currency, **options)
    return caught.value


class TestQuirks:
    """Each was accepted or refused the wrong way before (issue 11, point 13)."""

    def test_underscore_is_not_a_digit_group(self):
        assert code_of("1_000").code == "not_a_number"

    def test_space_between_digits_is_not_ignored(self):
        assert code_of("12 34").code == "not_a_number"
        assert code_of("1 2").code == "not_a_number"

    def test_space_may_group_thousands(self):
        assert parse_amount("1 250 000", "en") == 1_250_000
        assert parse_amount("1 250 000,50", "id") == 1_250_000.5

    def test_scientific_notation_follows_the_language(self):
        assert code_of("1.5e3", "id").code == "not_a_number"
        assert code_of("1.5", "id").code == "not_a_number"
        assert parse_amount("1,5e3", "id") == 1500.0
        assert parse_amount("1.5e3", "en") == 1500.0

    @pytest.mark.parametrize("minus", ["\u2212", "\u2013", "\uff0d"])
    def test_unicode_minus_is_a_minus(self, minus):
        assert code_of(f"{minus}5").code == "negative"
        assert parse_amount(f"{minus}5", "en", allow_negative=True) == -5.0

    def test_plus_with_grouping(self):
        assert parse_amount("+5,000", "en") == 5000.0
        assert parse_amount("+5.000", "id") == 5000.0

    def test_two_signs_are_refused(self):
        for text in ("--5", "+-5", "-+5"):
            assert code_of(text, allow_negative=True).code == "not_a_number"

    def test_minus_zero_is_zero(self):
        value = parse_amount("-0", "en", allow_negative=True)
        assert value == 0 and math.copysign(1, value) == 1
        assert format_number(value, "en") == "0"
        assert parse_amount("-0", "en") == 0.0  # not "below zero" either

    def test_another_currency_says_which(self):
        err = code_of("$500", "en", "PHP")
        assert (err.code, err.sign, err.currency) == ("wrong_currency", "$", "USD")
        err = code_of("Rp 5.000", "id", "PHP")
        assert (err.code, err.sign, err.currency) == ("wrong_currency", "Rp", "IDR")
        err = code_of("US$ 5", "en", "MXN")
        assert (err.code, err.currency) == ("wrong_currency", "USD")

    def test_own_signs_in_any_case_and_place(self):
        assert parse_amount("php 500", "en", "PHP") == 500.0
        assert parse_amount("500 ₱", "en", "PHP") == 500.0
        assert parse_amount("$500", "en", "MXN") == 500.0
        assert parse_amount("Rs. 1,500", "en", "NPR") == 1500.0
        assert parse_amount("฿1,500", "fil", "THB") == 1500.0

    def test_a_letter_is_not_a_currency(self):
        assert code_of("5k", "en", "PHP").code == "not_a_number"

    def test_huge_exponent_is_too_large_not_a_crash(self):
        assert code_of("1e400").code == "too_large"
        assert parse_amount("1e-400", "en") == 0.0


class TestAmbiguous:
    """The contract the apps build their "Did you mean 30,000?" question on."""

    @pytest.mark.parametrize(("text", "language", "currency", "suggestion"), [
        ("30.000", "en", "PHP", 30_000.0),
        ("30.000", "fil", "PHP", 30_000.0),
        ("₱ 5.500", "en", "PHP", 5_500.0),
        ("30,000", "id", "IDR", 30_000.0),
        ("Rp 1,250", "id", "IDR", 1_250.0),
        ("999,999", "id", "IDR", 999_999.0),
    ])
    def test_single_decimal_sign_before_three_digits(self, text, language, currency, suggestion):
        err = code_of(text, language, currency)
        assert err.code == "ambiguous"
        assert err.suggestion == suggestion
        assert isinstance(err, ValueError)

    def test_negative_keeps_its_sign(self):
        err = code_of("-30.000", "en", "PHP", allow_negative=True)
        assert (err.code, err.suggestion) == ("ambiguous", -30_000.0)
        assert code_of("-30.000", "en", "PHP").code == "negative"

    @pytest.mark.parametrize(("text", "language", "currency", "value"), [
        ("30.000", "id", "IDR", 30_000.0),   # the dot groups thousands in Indonesian
        ("30,000", "en", "PHP", 30_000.0),   # the comma groups thousands in English
        ("30.00", "en", "PHP", 30.0),        # two digits: cents
        ("30.0000", "en", "PHP", 30.0),      # four digits: no grouping
        ("0.125", "en", "PHP", 0.125),       # a group never starts with 0
        ("1234.567", "en", "PHP", 1234.567),  # nor has four digits before it
        ("1,000.500", "en", "PHP", 1000.5),  # two separators: read as written
        ("30.000", "en", None, 30.0),        # not a money field
    ])
    def test_not_ambiguous(self, text, language, currency, value):
        assert parse_amount(text, language, currency) == value

    def test_suggestion_reads_back(self):
        err = code_of("30.000", "en", "PHP")
        typed = format_number(err.suggestion, "en")
        assert typed == "30,000"
        assert parse_amount(typed, "en", "PHP") == err.suggestion


class TestFormat:
    def test_idr_keeps_its_cents(self):
        assert format_money(1250.5, "IDR", "id") == "Rp1.250,50"
        assert format_money(1250.5, "IDR", "en").endswith("1,250.50")

    @pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
    def test_not_finite(self, value):
        for cents in (True, False):
            assert format_money(value, "PHP", "en", cents=cents) == "—"

    def test_no_minus_zero(self):
        assert format_money(-0.004, "PHP", "en") == "₱0.00"
        assert format_money(-0.4, "PHP", "en", cents=False) == "₱0"


amounts = st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False,
                      allow_infinity=False).map(float)


@settings(max_examples=300, deadline=None)
@given(amount=amounts, language=st.sampled_from(["en", "fil", "id"]),
       currency=st.sampled_from(sorted(CURRENCIES)))
def test_what_the_app_writes_it_reads_back(amount, language, currency):
    """A box filled by the app (two decimals, or none for whole amounts) reads back exactly,
    with or without the currency sign in front, and is never called ambiguous."""
    digits = 0 if amount.is_integer() else 2
    typed = format_number(amount, language, digits)
    assert parse_amount(typed, language, currency) == amount
    written = format_money(amount, currency, language)
    assert parse_amount(written, language, currency) == round(amount, 2)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=12), language=st.sampled_from(["en", "fil", "id"]),
       currency=st.sampled_from([None, *sorted(CURRENCIES)]))
def test_anything_typed_is_a_number_or_an_amount_error(text, language, currency):
    """Whatever is typed, the answer is a finite non-negative number or an AmountError with a
    known code: never another exception."""
    try:
        value = parse_amount(text, language, currency)
    except AmountError as err:
        assert err.code in {"empty", "not_a_number", "negative", "too_large", "ambiguous",
                            "wrong_currency"}
        if err.code == "ambiguous":
            assert err.suggestion is not None and err.suggestion.is_integer()
    else:
        assert math.isfinite(value) and 0 <= value <= 1e12
