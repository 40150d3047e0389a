"""The quiz widget: the model decides what is right; the view shows it at once.

Model tests check each kind of answer and each mistake a lesson may make in writing a
question; view tests set widget values without a browser (as ipywidgets' docs suggest) and
read what the person would see.
"""

from __future__ import annotations

import pytest

from widgets.quiz import Choice, NumberQuestion, QuizError, check, quiz, quizzes, validate
from widgets.quiz import model as quiz_model

# The numbers are illustrative: ₱15,000 sent with a ₱250 fee and a 1.5% margin.
CHOICE = Choice(
    prompt="What did sending ₱15,000 cost?",
    options=("₱250", "₱475", "₱225"),
    answer=1,
    explanation="Fee plus margin: 250 + 225 = 475.",
    hints=("Only the fee.", "", "Only the margin."),
)
MONEY = NumberQuestion(
    prompt="What did sending cost, in pesos?",
    answer=475.0,
    unit="PHP",
    explanation="250 + 1.5% of 15,000 = 475.",
    mistakes=((250.0, "You counted only the fee."), (225.0, "You counted only the margin.")),
)


class TestChoice:
    def test_right_option_by_position_and_by_text(self):
        for answer in (1, "₱475"):
            verdict = check(CHOICE, answer)
            assert verdict.correct and verdict.code == "right"
            assert verdict.hint == "" and verdict.explanation == CHOICE.explanation
            assert verdict.expected == "₱475"

    @pytest.mark.parametrize(("picked", "hint"), [(0, "Only the fee."), (2, "Only the margin.")])
    def test_wrong_option_gets_its_own_hint(self, picked, hint):
        verdict = check(CHOICE, picked)
        assert not verdict.correct and verdict.code == "wrong"
        assert verdict.hint == hint
        assert verdict.explanation == CHOICE.explanation  # shown after a wrong answer too

    def test_without_hints_a_wrong_answer_has_none(self):
        q = Choice("Pick B", ("A", "B"), 1)
        assert check(q, 0).hint == "" and not check(q, 0).correct

    @pytest.mark.parametrize("answer", [None, 3, -1, "₱999", True, 1.0])
    def test_an_answer_that_is_not_an_option_is_refused(self, answer):
        with pytest.raises(QuizError) as info:
            check(CHOICE, answer)
        assert info.value.field == "answer"
        assert info.value.code in ("empty", "not_an_option")

    @pytest.mark.parametrize(
        ("question", "field", "code"),
        [
            (Choice("", ("a", "b"), 0), "prompt", "empty"),
            (Choice("Q", ("a",), 0), "options", "too_few"),
            (Choice("Q", ["a", "b"], 0), "options", "too_few"),  # a list, not a tuple
            (Choice("Q", ("a", "a"), 0), "options", "duplicate"),
            (Choice("Q", ("a", " "), 0), "options", "empty"),
            (Choice("Q", ("a", "b"), 2), "answer", "out_of_range"),
            (Choice("Q", ("a", "b"), True), "answer", "out_of_range"),
            (Choice("Q", ("a", "b"), 0, hints=("x",)), "hints", "wrong_length"),
        ],
    )
    def test_badly_written_questions_name_the_field(self, question, field, code):
        with pytest.raises(QuizError) as info:
            validate(question)
        assert (info.value.field, info.value.code) == (field, code)
        assert isinstance(info.value, ValueError)


class TestNumber:
    @pytest.mark.parametrize(
        ("typed", "language"),
        [("475", "en"), ("₱475.00", "en"), ("₱ 475", "fil"), ("475,00", "id"), (475, "en"),
         ("475.004", "en"), ("474.996", "en")],
    )
    def test_right_within_half_a_cent_in_every_language(self, typed, language):
        assert check(MONEY, typed, language).correct

    @pytest.mark.parametrize("typed", ["475.01", "474.99"])
    def test_one_cent_off_is_not_right_but_close(self, typed):
        verdict = check(MONEY, typed)
        assert not verdict.correct and verdict.code == "close"
        assert verdict.expected == 475.0

    def test_far_off_is_wrong_not_close(self):
        verdict = check(MONEY, "600")
        assert (verdict.correct, verdict.code, verdict.hint) == (False, "wrong", "")

    @pytest.mark.parametrize(("typed", "hint"), [("250", "You counted only the fee."),
                                                 ("225.00", "You counted only the margin.")])
    def test_common_mistakes_get_their_hint(self, typed, hint):
        verdict = check(MONEY, typed)
        assert not verdict.correct and verdict.hint == hint and verdict.code == "wrong"

    def test_indonesian_thousands_are_not_read_as_decimals(self):
        q = NumberQuestion("How much?", 1_250_000, unit="IDR", tolerance=0.5)
        assert check(q, "Rp 1.250.000", "id").correct
        assert not check(q, "1.250.000,75", "id").correct  # 0.75 rupiah too much
        assert check(NumberQuestion("How much?", 1250, unit="IDR"), "1.250", "id").correct
        assert check(q, "1,250,000", "en").correct

    def test_percent_sign_is_allowed_and_tolerance_is_absolute(self):
        q = NumberQuestion("What share?", 3.17, unit="%", tolerance=0.01)
        assert check(q, "3.17%").correct and check(q, "3.18 %").correct
        assert not check(q, "3.19").correct

    def test_negative_answers_can_be_read(self):
        q = NumberQuestion("Money left at month end?", -1500, unit="PHP")
        assert check(q, "-1,500").correct and not check(q, "1,500").correct

    @pytest.mark.parametrize(("typed", "code"), [("", "empty"), ("  ", "empty"),
                                                 ("four", "not_a_number"),
                                                 ("1e30", "too_large"), (None, "not_a_number"),
                                                 (float("nan"), "not_a_number")])
    def test_unreadable_answers_raise_with_a_code(self, typed, code):
        with pytest.raises(QuizError) as info:
            check(MONEY, typed)
        assert (info.value.field, info.value.code) == ("answer", code)

    @pytest.mark.parametrize(
        ("question", "field", "code"),
        [
            (NumberQuestion("Q", float("inf")), "answer", "not_a_number"),
            (NumberQuestion("Q", 1, tolerance=-0.1), "tolerance", "negative"),
            (NumberQuestion("Q", 1, unit="EUR"), "unit", "unknown"),
            (NumberQuestion("Q", 1, digits=9), "digits", "out_of_range"),
            (NumberQuestion("Q", 1, mistakes=(("x", "hint"),)), "mistakes[0]", "not_a_number"),
        ],
    )
    def test_badly_written_number_questions(self, question, field, code):
        with pytest.raises(QuizError) as info:
            validate(question)
        assert (info.value.field, info.value.code) == (field, code)

    def test_not_a_question(self):
        with pytest.raises(QuizError) as info:
            check("What?", 1)
        assert info.value.code == "wrong_type"

    def test_the_model_imports_no_widget_library(self):
        source = open(quiz_model.__file__, encoding="utf-8").read()
        assert "ipywidgets" not in source


class TestView:
    def test_a_choice_answers_as_soon_as_one_is_picked(self):
        box = quiz(CHOICE)
        assert box.feedback.value == "" and box.verdict is None
        box.choices.value = 0
        assert "hw-quiz-wrong" in box.feedback.value and "Not quite." in box.feedback.value
        assert "Only the fee." in box.feedback.value
        assert "250 + 225 = 475." in box.feedback.value
        box.choices.value = 1
        assert box.verdict.correct
        assert "hw-quiz-right" in box.feedback.value and "Right!" in box.feedback.value
        assert "Only the fee." not in box.feedback.value

    def test_options_keep_the_lessons_order_and_text(self):
        box = quiz(CHOICE)
        assert [label for label, _ in box.choices.options] == list(CHOICE.options)

    def test_a_number_is_checked_with_the_button(self):
        box = quiz(MONEY)
        box.answer.value = "250"  # Enter: checked at once
        assert "hw-quiz-wrong" in box.feedback.value
        assert "You counted only the fee." in box.feedback.value
        box.answer.value = "₱475.00"
        box.button.click()
        assert box.verdict.correct and "hw-quiz-right" in box.feedback.value

    def test_close_answers_ask_to_check_rounding(self):
        box = quiz(MONEY)
        box.answer.value = "475.10"
        assert "check your rounding" in box.feedback.value

    def test_without_an_explanation_the_right_answer_is_shown_in_the_readers_way(self):
        q = NumberQuestion("How much?", 1_250_000, unit="IDR", tolerance=0.5)
        box = quiz(q, lang="id")
        box.answer.value = "1.000.000"
        assert "Belum tepat." in box.feedback.value
        assert "Jawabannya Rp1.250.000,00." in box.feedback.value

    def test_unreadable_input_shows_a_message_next_to_the_box_and_keeps_the_last_answer(self):
        box = quiz(MONEY, lang="fil")
        box.answer.value = "475"
        shown = box.feedback.value
        box.answer.value = "apat na raan"
        assert "hw-quiz-error" in box.error.value
        assert "Mag-type ng numero, halimbawa ₱1,250.50." in box.error.value
        assert box.feedback.value == shown and box.verdict.correct  # the last good answer stays
        box.answer.value = "475.00"  # fixed: the message goes away
        assert box.error.value == ""

    def test_pressing_the_button_on_an_empty_box(self):
        box = quiz(MONEY, lang="id")
        box.button.click()
        assert "Silakan ketik jawaban dulu." in box.error.value
        assert box.verdict is None

    @pytest.mark.parametrize(("lang", "button", "right"),
                             [("en", "Check my answer", "Right!"),
                              ("fil", "Tingnan ang sagot ko", "Tama!"),
                              ("id", "Periksa jawaban saya", "Benar!")])
    def test_ui_words_are_translated_but_the_lessons_words_are_not(self, lang, button, right):
        box = quiz(MONEY, lang=lang)
        assert box.button.description == button
        box.answer.value = "475"
        assert right in box.feedback.value
        assert "250 + 1.5% of 15,000 = 475." in box.feedback.value

    def test_text_from_the_lesson_is_escaped(self):
        q = Choice("<script>x</script>?", ("<b>a</b>", "b"), 0, explanation="<i>why</i>")
        box = quiz(q)
        assert "<script>" not in box.children[1].value
        box.choices.value = 0
        assert "&lt;i&gt;why&lt;/i&gt;" in box.feedback.value

    def test_a_bad_question_fails_when_the_lesson_builds_it(self):
        with pytest.raises(QuizError):
            quiz(Choice("Q", ("a", "b"), 5))

    def test_several_questions_answer_independently(self):
        box = quizzes(CHOICE, MONEY, lang="fil")
        first, second = box.quizzes
        first.choices.value = 1
        assert first.verdict.correct and second.verdict is None
        assert second.button.description == "Tingnan ang sagot ko"
