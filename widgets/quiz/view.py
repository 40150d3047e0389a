"""The quiz widget: a short check in a lesson that answers the moment the person answers.

Wiring only: :func:`widgets.quiz.model.check` decides what is right. A :class:`Choice`
becomes radio buttons that answer when one is picked; a :class:`NumberQuestion` becomes a
text box with a button (pressing Enter works too). The answer shows at once, green when
right and red when not, with the lesson's hint and explanation. The question's own words
come from the lesson; the few words the widget adds come from the gettext catalogs
(:mod:`widgets.i18n`), so ``quiz(q, lang="fil")`` says "Tama!".

In a lesson::

    from widgets.quiz import Choice, quiz
    quiz(Choice("Which costs more?", ("A", "B"), 1, explanation="..."))

The controls are attributes of the returned box, for tests and other layouts:
``box.choices`` (radio buttons) or ``box.answer`` and ``box.button`` (number questions),
``box.feedback`` (the answer shown) and ``box.verdict`` (the last
:class:`~widgets.quiz.model.Verdict`, or None).

A pre-rendered lesson page (:mod:`widgets.prerender`) has no kernel: its page script answers
the quiz by itself, from :func:`page_answers` (every answer the quiz can show, written by this
module, in a hidden element of the box). A practice quiz may show its answer in the page's
source; the answer forms, which are graded, never do this.
"""

from __future__ import annotations

import html
import json

import ipywidgets as W

from widgets.i18n import N_, gettext_for
from widgets.lessons import language as lesson_language
from widgets.money import (
    CURRENCIES,
    MAX_AMOUNT,
    _all_signs,
    _signs,
    babel_locale,
    format_money,
    format_number,
)
from widgets.quiz.model import (
    CLOSE_SHARE,
    Choice,
    NumberQuestion,
    QuizError,
    Verdict,
    check,
    validate,
)

CSS = """<style>
.hw-quiz { max-width: 720px; border: 1px solid #c9d3de; border-radius: 6px; padding: 8px 12px;
  margin: 8px 0; box-sizing: border-box; }
.hw-quiz .widget-html-content { line-height: 1.45; }
.hw-quiz .widget-radio-box { width: 100%; }
.hw-quiz .widget-radio-box label { display: flex; align-items: flex-start; gap: 8px;
  height: auto !important; line-height: 1.4; margin: 6px 0; white-space: normal;
  overflow-wrap: anywhere; cursor: pointer; }
.hw-quiz .widget-radio-box input[type="radio"] { flex: none; order: -1; margin: 3px 0 0 0; }
.hw-quiz input[type="text"] { font-size: 16px; min-height: 36px; }
.hw-quiz .hw-quiz-right { background: #e8f5e9; border-left: 5px solid #1b7a1b; color: #114d11;
  padding: 6px 10px; }
.hw-quiz .hw-quiz-wrong { background: #fdecea; border-left: 5px solid #b00020; color: #7a0016;
  padding: 6px 10px; }
.hw-quiz .hw-quiz-error { color: #b00020; font-weight: bold; }
</style>"""

RIGHT = N_("Right!")
WRONG = N_("Not quite.")
CLOSE = N_("Close, but not exact: check your rounding.")
EXPECTED = N_("The answer is {answer}.")
CHECK = N_("Check my answer")
YOUR_ANSWER = N_("Your answer")

#: What to say next to the box when an answer cannot be read (QuizError codes).
INPUT_MESSAGES = {
    "empty": N_("Please type an answer first."),
    "too_large": N_("This number is too large. Please check it."),
}
NOT_A_NUMBER = N_("Please type a number, for example {example}.")


def _expected_text(question: NumberQuestion, value: float, language: str) -> str:
    """The right answer written for the reader: money, a percentage, or a plain number."""
    if question.unit in CURRENCIES:
        return format_money(value, question.unit, language, cents=question.digits > 0)
    text = format_number(value, language, question.digits)
    return text + "%" if question.unit == "%" else text


def feedback_html(verdict: Verdict, question: Choice | NumberQuestion,
                  language: str = "en") -> str:
    """The answer block: green when right, red when not, hint and explanation below.

    >>> q = Choice("Two plus two?", ("3", "4"), 1, explanation="2 + 2 = 4.")
    >>> text = feedback_html(check(q, 0), q, "fil")
    >>> "hw-quiz-wrong" in text and "Hindi pa tama." in text and "2 + 2 = 4." in text
    True
    """
    _ = gettext_for(language)
    parts = [f"<b>{html.escape(_(RIGHT if verdict.correct else WRONG))}</b>"]
    if verdict.code == "close":
        parts.append(html.escape(_(CLOSE)))
    if verdict.hint:
        parts.append(html.escape(verdict.hint))
    if (not verdict.correct and isinstance(question, NumberQuestion)
            and verdict.expected is not None and not question.explanation):
        answer = _expected_text(question, float(verdict.expected), language)
        parts.append(html.escape(_(EXPECTED).format(answer=answer)))
    if verdict.explanation:
        parts.append(html.escape(verdict.explanation))
    css = "hw-quiz-right" if verdict.correct else "hw-quiz-wrong"
    return f'<div class="{css}" role="status">' + "<br>".join(parts) + "</div>"


def _input_message(err: QuizError, question: NumberQuestion, language: str) -> str:
    _ = gettext_for(language)
    if err.code in INPUT_MESSAGES:
        text = _(INPUT_MESSAGES[err.code])
    else:
        text = _(NOT_A_NUMBER).format(example=_expected_text(question, 1250.5, language)
                                      if question.unit in CURRENCIES
                                      else format_number(1250.5, language, 2))
    return f'<div class="hw-quiz-error" role="alert">{html.escape(text)}</div>'


def page_answers(question: Choice | NumberQuestion, language: str = "en") -> dict:
    """Everything a page without a kernel needs to answer ``question`` as :func:`quiz` does:
    the answer block for each option (a :class:`Choice`), or for a number (a
    :class:`NumberQuestion`) the right answer, its tolerance, the common mistakes, each answer
    block, the messages for what cannot be read, and how ``language`` writes numbers (the page
    script reads a typed number the way :func:`widgets.money.parse_amount` does).

    >>> q = Choice("Two plus two?", ("3", "4"), 1, explanation="2 + 2 = 4.")
    >>> data = page_answers(q, "fil")
    >>> data["kind"], len(data["feedback"]), "Tama!" in data["feedback"][1]
    ('choice', 2, True)
    >>> n = page_answers(NumberQuestion("How much?", 475, unit="PHP", digits=0), "id")
    >>> n["answer"], n["decimal"], n["group"], n["close"], "₱" in n["own_signs"]
    (475.0, ',', '.', 4.75, True)
    """
    from babel.numbers import get_decimal_symbol, get_group_symbol

    validate(question)
    if isinstance(question, Choice):
        return {"kind": "choice", "feedback": [
            feedback_html(check(question, k, language), question, language)
            for k in range(len(question.options))]}
    expected = float(question.answer)

    def block(code: str, hint: str = "") -> str:
        verdict = Verdict(code == "right", question.explanation, hint, code, expected)
        return feedback_html(verdict, question, language)

    loc = babel_locale(language)
    currency = question.unit if question.unit in CURRENCIES else None
    return {
        "kind": "number", "answer": expected, "tolerance": float(question.tolerance),
        "close": max(CLOSE_SHARE * abs(expected), 2 * question.tolerance),
        "right": block("right"), "wrong": block("wrong"), "close_feedback": block("close"),
        "mistakes": [[float(value), block("wrong", hint)] for value, hint in question.mistakes],
        "errors": {code: _input_message(QuizError("answer", code, code), question, language)
                   for code in ("empty", "too_large", "not_a_number")},
        "percent": question.unit == "%", "maximum": MAX_AMOUNT,
        "decimal": get_decimal_symbol(loc), "group": get_group_symbol(loc),
        "own_signs": list(_signs(currency)) if currency else [],
        "signs": [sign for sign, _owner in _all_signs()] if currency else [],
    }


def _answers_element(question: Choice | NumberQuestion, language: str) -> W.HTML:
    """A hidden element holding :func:`page_answers` for the page script."""
    data = html.escape(json.dumps(page_answers(question, language), ensure_ascii=False))
    element = W.HTML(f'<span hidden data-hw-quiz="{data}"></span>',
                     layout=W.Layout(display="none"))
    element.add_class("hw-quiz-data")
    return element


def quiz(question: Choice | NumberQuestion, lang: str | None = None) -> W.VBox:
    """A widget for one question; it answers as soon as the person answers.

    Its words (the button, the verdict) are in ``lang``; by default in the language of the
    lesson it is in (:func:`widgets.lessons.language`: English in the source, the reader's
    language in a built lesson).

    >>> box = quiz(Choice("Two plus two?", ("3", "4"), 1, explanation="2 + 2 = 4."))
    >>> box.choices.value = 1
    >>> box.verdict.correct, "hw-quiz-right" in box.feedback.value
    (True, True)
    """
    validate(question)
    lang = lang or lesson_language()
    _ = gettext_for(lang)
    prompt = W.HTML(f"<b>{html.escape(question.prompt)}</b>")
    feedback = W.HTML()
    box = W.VBox(layout=W.Layout(width="100%", max_width="720px"))
    box.add_class("hw-quiz")
    box.verdict = None
    box.question = question
    box.feedback = feedback

    def show(answer) -> None:
        try:
            verdict = check(question, answer, lang)
        except QuizError as err:
            if isinstance(question, NumberQuestion):
                box.error.value = _input_message(err, question, lang)
            return
        except Exception as err:  # noqa: BLE001 - never show a traceback in a lesson
            feedback.value = ('<div class="hw-quiz-error" role="alert">'
                              f"{html.escape(type(err).__name__)}</div>")
            return
        box.verdict = verdict
        feedback.value = feedback_html(verdict, question, lang)

    if isinstance(question, Choice):
        choices = W.RadioButtons(
            options=[(text, k) for k, text in enumerate(question.options)], value=None,
            layout=W.Layout(width="100%"))

        def on_pick(change) -> None:
            if change["new"] is not None:
                show(change["new"])

        choices.observe(on_pick, "value")
        box.choices = choices
        box.children = [W.HTML(CSS), prompt, choices, feedback, _answers_element(question, lang)]
        return box

    answer = W.Text(placeholder=_(YOUR_ANSWER), continuous_update=False,
                    layout=W.Layout(width="14em", max_width="100%"))
    button = W.Button(description=_(CHECK), button_style="primary",
                      layout=W.Layout(width="auto", min_height="36px"))
    error = W.HTML()
    box.answer, box.button, box.error = answer, button, error

    def on_check(*_args) -> None:
        error.value = ""
        show(answer.value)

    button.on_click(on_check)
    answer.observe(lambda change: on_check() if change["new"].strip() else None, "value")
    row = W.HBox([answer, button], layout=W.Layout(flex_flow="row wrap", align_items="center"))
    box.children = [W.HTML(CSS), prompt, row, error, feedback, _answers_element(question, lang)]
    return box


def quizzes(*questions: Choice | NumberQuestion, lang: str | None = None) -> W.VBox:
    """Several questions one under the other (each answers on its own).

    >>> box = quizzes(Choice("A?", ("yes", "no"), 0), NumberQuestion("B?", 2, unit=""))
    >>> len(box.quizzes)
    2
    """
    items = [quiz(q, lang) for q in questions]
    box = W.VBox(items, layout=W.Layout(width="100%", max_width="720px"))
    box.quizzes = items
    return box
