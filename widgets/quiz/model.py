"""Short checks that answer at once: the pure model behind the quiz widget.

A lesson writes a question as a small record: a :class:`Choice` (pick one option) or a
:class:`NumberQuestion` (type a number). :func:`check` compares what the person answered
with the right answer and returns a :class:`Verdict`: right or not, the lesson's
explanation, and a hint aimed at the mistake she made. This module imports no widget
library and holds no sentence of its own: the words of a question come from the lesson,
the few app words (``Right!``, ``Check my answer``) from :mod:`widgets.quiz.view`.

A multiple-choice question (the numbers are illustrative)
---------------------------------------------------------

>>> q = Choice(
...     prompt="Ana sends ₱15,000 with a ₱250 fee and a 1.5% exchange margin. What did it cost?",
...     options=("₱250", "₱475", "₱225"),
...     answer=1,
...     explanation="The fee plus the margin: 250 + 1.5% of 15,000 = 250 + 225 = ₱475.",
...     hints=("That is only the fee: the margin is a cost too.", "", "That is only the margin."),
... )
>>> v = check(q, 0)
>>> v.correct, v.hint
(False, 'That is only the fee: the margin is a cost too.')
>>> check(q, "₱475").correct      # the option's text works as well as its number
True

A number question, to the cent
------------------------------

What a person types is read the way her language writes numbers
(:func:`widgets.money.parse_amount`): an Indonesian types ``1.250,50``.

>>> n = NumberQuestion(
...     prompt="What did sending cost?", answer=475, unit="PHP",
...     explanation="250 + 1.5% of 15,000 = 475.",
...     mistakes=((250, "You counted only the fee."),),
... )
>>> check(n, "₱475.00").correct, check(n, "475,00", language="id").correct
(True, True)
>>> v = check(n, "250")
>>> v.correct, v.code, v.hint
(False, 'wrong', 'You counted only the fee.')

An answer near the right one, but not within the tolerance, is called ``close``:
the view then asks her to check her rounding.

>>> check(n, "475.4").code
'close'

What cannot be read as a number raises :class:`QuizError` (a ``ValueError``); its
``code`` tells the view which sentence to show next to the box.

>>> try:
...     check(n, "four hundred")
... except QuizError as err:
...     print(err.field, err.code)
answer not_a_number
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

from widgets.money import CURRENCIES, AmountError, parse_amount

__all__ = ["Choice", "NumberQuestion", "QuizError", "Verdict", "check", "validate"]

#: An answer within this share of the right one (but outside the tolerance) is "close".
CLOSE_SHARE = 0.01


class QuizError(ValueError):
    """A question that is badly written, or an answer that cannot be read.

    ``field`` names what is wrong (``answer``, ``options``, ``tolerance`` ...), ``code`` the
    kind of mistake (``empty``, ``not_a_number``, ``out_of_range`` ...).

    >>> err = QuizError("answer", "empty", "no answer was given")
    >>> str(err), isinstance(err, ValueError)
    ('answer: no answer was given', True)
    """

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code


@dataclass(frozen=True)
class Choice:
    """A question with a few options, exactly one of them right.

    - ``answer``: the position of the right option in ``options`` (counting from 0);
    - ``explanation``: why the right answer is right, shown after every answer;
    - ``hints``: optional, one per option, what to think about when she picked that option
      (an empty string for no hint).
    """

    prompt: str
    options: tuple[str, ...]
    answer: int
    explanation: str = ""
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class NumberQuestion:
    """A question answered with a number, right when within ``tolerance`` of ``answer``.

    - ``unit``: ``""`` for a plain number, ``"%"`` for a percentage (a typed ``%`` sign is
      allowed), or a currency code of :data:`widgets.money.CURRENCIES` (its sign is allowed);
    - ``tolerance``: the largest difference still counted right; the default, half a cent,
      checks money to the cent;
    - ``digits``: decimals shown when the view writes the right answer;
    - ``mistakes``: common wrong answers and what to say about each, as ``(value, hint)``
      pairs; an answer within ``tolerance`` of a value gets its hint.
    """

    prompt: str
    answer: float
    explanation: str = ""
    unit: str = ""
    tolerance: float = 0.005
    digits: int = 2
    mistakes: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class Verdict:
    """What :func:`check` found.

    ``code`` is ``"right"``, ``"wrong"`` or ``"close"`` (near the answer but not within the
    tolerance); ``explanation`` is the question's explanation; ``hint`` the lesson's hint
    for this particular wrong answer (empty if none); ``expected`` the right answer (the
    option's text for a :class:`Choice`, the number for a :class:`NumberQuestion`).
    """

    correct: bool
    explanation: str
    hint: str = ""
    code: str = "right"
    expected: str | float | None = None


def _finite(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise QuizError(field, "not_a_number", f"must be a number (got {value!r})")
    if not math.isfinite(value):
        raise QuizError(field, "not_a_number", f"must be a finite number (got {value!r})")
    return float(value)


def validate(question: Choice | NumberQuestion) -> None:
    """Check that a question is well written; raise :class:`QuizError` naming the field.

    >>> validate(Choice("Which?", ("yes", "no"), 0))
    >>> try:
    ...     validate(Choice("Which?", ("yes", "no"), 2))
    ... except QuizError as err:
    ...     print(err.field, err.code)
    answer out_of_range
    """
    if not isinstance(question, (Choice, NumberQuestion)):
        raise QuizError("question", "wrong_type", f"must be a Choice or a NumberQuestion "
                        f"(got {type(question).__name__})")
    if not isinstance(question.prompt, str) or not question.prompt.strip():
        raise QuizError("prompt", "empty", "a question needs a prompt")
    if isinstance(question, Choice):
        options = question.options
        if not isinstance(options, tuple) or len(options) < 2:
            raise QuizError("options", "too_few", "give at least two options, as a tuple")
        if any(not isinstance(o, str) or not o.strip() for o in options):
            raise QuizError("options", "empty", "every option needs some text")
        if len(set(options)) != len(options):
            raise QuizError("options", "duplicate", "two options have the same text")
        if (not isinstance(question.answer, int) or isinstance(question.answer, bool)
                or not 0 <= question.answer < len(options)):
            raise QuizError("answer", "out_of_range",
                            f"must be the position of an option, 0 to {len(options) - 1}")
        if question.hints and len(question.hints) != len(options):
            raise QuizError("hints", "wrong_length", "give one hint per option, or none")
        return
    _finite("answer", question.answer)
    if _finite("tolerance", question.tolerance) < 0:
        raise QuizError("tolerance", "negative", "must not be negative")
    if question.unit not in ("", "%") and question.unit not in CURRENCIES:
        raise QuizError("unit", "unknown", f"use '', '%' or one of {sorted(CURRENCIES)}")
    if not isinstance(question.digits, int) or not 0 <= question.digits <= 6:
        raise QuizError("digits", "out_of_range", "must be a whole number from 0 to 6")
    for k, (value, hint) in enumerate(question.mistakes):
        _finite(f"mistakes[{k}]", value)
        if not isinstance(hint, str):
            raise QuizError(f"mistakes[{k}]", "not_text", "the hint must be text")


def read_number(question: NumberQuestion, typed: object, language: str = "en") -> float:
    """The number a person gave: a number as is, text read the way her language writes.

    >>> q = NumberQuestion("What share?", 3.17, unit="%", tolerance=0.01)
    >>> read_number(q, "3.17 %"), read_number(q, "3,17", language="id"), read_number(q, 3)
    (3.17, 3.17, 3.0)
    >>> read_number(NumberQuestion("How much?", 5, unit="IDR"), "Rp 1.250.000", language="id")
    1250000.0
    """
    if isinstance(typed, numbers.Real) and not isinstance(typed, bool):
        return _finite("answer", typed)
    if not isinstance(typed, str):
        raise QuizError("answer", "not_a_number", f"cannot read {typed!r} as a number")
    text = typed.strip()
    if question.unit == "%":
        text = text.rstrip("%").strip()
    currency = question.unit if question.unit in CURRENCIES else None
    try:
        # an answer is checked to half a cent: "475.004" means what it says
        return parse_amount(text, language, currency, allow_negative=True, ask_if_ambiguous=False)
    except AmountError as err:
        raise QuizError("answer", err.code, str(err)) from None


def _choice_index(question: Choice, answer: object) -> int:
    if isinstance(answer, str):
        if answer not in question.options:
            raise QuizError("answer", "not_an_option", f"{answer!r} is not one of the options")
        return question.options.index(answer)
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise QuizError("answer", "empty" if answer is None else "not_an_option",
                        f"pick one of the options (got {answer!r})")
    if not 0 <= answer < len(question.options):
        raise QuizError("answer", "not_an_option", f"there is no option {answer}")
    return answer


def check(question: Choice | NumberQuestion, answer: object, language: str = "en") -> Verdict:
    """Is ``answer`` right? A :class:`Verdict` with the explanation and a hint.

    For a :class:`Choice`, ``answer`` is the option's position or its text. For a
    :class:`NumberQuestion` it is a number or the text a person typed, read in
    ``language`` (``en``, ``fil``, ``id``).

    A percentage typed with its sign, within a tolerance of 0.01 points:

    >>> q = NumberQuestion("What share of the money sent went on costs?", 3.17, unit="%",
    ...                    tolerance=0.01, explanation="475 / 15,000 = 3.17%.")
    >>> check(q, "3.17%").correct, check(q, "3.2").correct
    (True, False)
    """
    validate(question)
    if isinstance(question, Choice):
        picked = _choice_index(question, answer)
        right = picked == question.answer
        hint = question.hints[picked] if question.hints else ""
        return Verdict(right, question.explanation, "" if right else hint,
                       "right" if right else "wrong", question.options[question.answer])
    value = read_number(question, answer, language)
    expected = float(question.answer)
    if abs(value - expected) <= question.tolerance + 1e-9:
        return Verdict(True, question.explanation, "", "right", expected)
    hint = next((text for mistake, text in question.mistakes
                 if abs(value - mistake) <= question.tolerance + 1e-9), "")
    close = abs(value - expected) <= max(CLOSE_SHARE * abs(expected), 2 * question.tolerance)
    code = "close" if close and not hint else "wrong"
    return Verdict(False, question.explanation, hint, code, expected)
