"""What a built lesson's first cell sets: the language its widgets speak."""

from __future__ import annotations

import pytest

from widgets.lessons import _, language, use_language
from widgets.quiz import Choice, NumberQuestion, quiz


@pytest.fixture
def filipino():
    use_language("fil")
    yield
    use_language("en")


def test_the_marker_returns_its_text():
    assert _("Savings") == "Savings" and language() == "en"


def test_a_quiz_speaks_the_lessons_language(filipino):
    box = quiz(NumberQuestion("₱60,000 in 20 months?", 3000, unit="PHP", digits=0))
    assert box.button.description == "Tingnan ang sagot ko"
    box.answer.value = "3,000"
    assert "Tama!" in box.feedback.value
    choice = quiz(Choice("When?", ("now", "later"), 1), lang="id")  # a lesson may still choose
    choice.choices.value = 0
    assert "Belum tepat" in choice.feedback.value


def test_english_by_default():
    box = quiz(NumberQuestion("How much?", 3, unit=""))
    assert box.button.description == "Check my answer"
