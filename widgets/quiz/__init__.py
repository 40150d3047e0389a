"""Short checks for lessons: a pure model (``model``) and a widget (``view``).

``from widgets.quiz import Choice, NumberQuestion, quiz`` is all a lesson needs. The model
names are imported at once; ``quiz`` and ``quizzes`` load ipywidgets only when first used,
so code that only checks answers (``check``) never imports a widget library.
"""

from widgets.quiz.model import Choice, NumberQuestion, QuizError, Verdict, check, validate

__all__ = ["Choice", "NumberQuestion", "QuizError", "Verdict", "check", "quiz", "quizzes",
           "validate"]


def __getattr__(name: str):
    if name in ("quiz", "quizzes"):
        from widgets.quiz import view

        return getattr(view, name)
    raise AttributeError(f"module 'widgets.quiz' has no attribute {name!r}")
