"""What a lesson shows, captured for paper when a handout runs the lesson.

The handout build runs each lesson (in its language) once in a kernel with
:func:`start_capture` called first. Then:

- every ``quiz(...)`` / ``quizzes(...)`` displays its question as data instead of a widget
  (``{"homeward_quiz": {...}}`` as ``application/json``), so the handout can print it with
  tick boxes and put its answer at the end;
- every pandas table is also given as data (``{"homeward_table": {...}}``), so the handout
  prints it as a real table;
- charts are drawn at print resolution (200 dpi).

>>> from widgets.quiz.model import Choice, NumberQuestion
>>> describe(Choice("When?", ("now", "later"), 1, explanation="Later.", hints=("Too soon.", "")))
{'kind': 'choice', 'prompt': 'When?', 'options': ['now', 'later'], 'answer': 1, 'explanation': 'Later.'}
>>> describe(NumberQuestion("How much?", 3000, unit="PHP", digits=0))["answer"]
3000.0
>>> table_data(pd.DataFrame({"goal": ["Store"], "on time": [True]}))
{'homeward_table': {'columns': ['goal', 'on time'], 'rows': [['Store', 'True']]}}
"""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["describe", "start_capture", "table_data"]

DPI = 200


def describe(question: Any) -> dict:
    """A quiz question as plain data."""
    from widgets.quiz.model import Choice

    if isinstance(question, Choice):
        return {"kind": "choice", "prompt": question.prompt, "options": list(question.options),
                "answer": int(question.answer), "explanation": question.explanation}
    return {"kind": "number", "prompt": question.prompt, "answer": float(question.answer),
            "unit": question.unit, "digits": int(question.digits),
            "explanation": question.explanation}


def _cell(value: Any) -> str:
    """A table value as paper shows it: a whole number without '.0', nothing as a dash."""
    if isinstance(value, float):
        if value != value:  # NaN: not reached, not known
            return "–"
        if value.is_integer():
            return str(int(value))
    if value is None:
        return "–"
    return str(value)


def table_data(frame) -> dict:
    """A pandas table as column names and rows of texts (as the page shows them).

    A table whose rows are named (an index that is not just 0, 1, 2...) keeps the names as
    its first column, as the page shows them:

    >>> table_data(pd.DataFrame({"share %": [60, 40]},
    ...                         index=pd.Index(["food", "savings"], name="use")))
    {'homeward_table': {'columns': ['use', 'share %'], 'rows': [['food', '60'], ['savings', '40']]}}
    >>> table_data(pd.DataFrame({"month": [23.0, float("nan")]}))["homeward_table"]["rows"]
    [['23'], ['–']]
    """
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    return {"homeward_table": {
        "columns": [str(c) for c in frame.columns],
        "rows": [[_cell(v) for v in row] for row in frame.astype(object).itertuples(index=False)],
    }}


def start_capture(language: str = "en") -> None:
    """Called first in the kernel that runs a lesson for its handout."""
    from IPython import get_ipython
    from IPython.display import display

    import widgets.quiz.view as quiz_view

    def quiz(question, lang: str = "en"):
        display({"application/json": {"homeward_quiz": describe(question)}}, raw=True)

    def quizzes(*questions, lang: str = "en"):
        for question in questions:
            quiz(question, lang)

    quiz_view.quiz, quiz_view.quizzes = quiz, quizzes
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["application/json"].for_type(pd.DataFrame,
                                                                         table_data)
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
        shell.run_line_magic("config", "InlineBackend.print_figure_kwargs = "
                                       f"{{'bbox_inches': 'tight', 'dpi': {DPI}}}")
