"""Mentoring check-ins: what they ask, which milestones they award, and reading the answers.

A check-in is an nbgrader assignment (``exercises/checkin_baseline`` ... ``checkin_m12``) in
Homeward's answer-form format (:mod:`widgets.forms.model`): one answer cell per question, such as
``savings = 42000``, with its label and explanation in English, Filipino and Bahasa Indonesia
in the cell's metadata. She answers in the form (or in JupyterLab); autograded cells award one
point per milestone reached and tell her, in her language, what she reached and what comes next.

This module reads those answers back from a submitted notebook WITHOUT running it: each answer
cell is checked with :mod:`ast` (:func:`widgets.forms.model.check_answer_cell`) and only plain
values are read. Nothing a participant writes is executed here, and nothing she writes can
break a report: a notebook that cannot be read becomes a row with status ``"broken"`` and a
short ``problem`` saying why. Stable work counts like a running business: the milestone is
"stable work or a running business".

A check-in answered in the form (two of its cells, as a released notebook holds them):

>>> from widgets.forms.model import fill_notebook
>>> cells = [
...     {"cell_type": "code", "source": "savings = None", "metadata": {
...         "nbgrader": {"grade_id": "savings-answer", "solution": True, "grade": False},
...         "homeward": {"answer": {"name": "savings", "kind": "money", "currency": "local",
...                                 "label": {"en": "All your savings today"}}}}},
...     {"cell_type": "code", "source": "work = None", "metadata": {
...         "nbgrader": {"grade_id": "work-answer", "solution": True, "grade": False},
...         "homeward": {"answer": {"name": "work", "kind": "choice", "label": "Paid work?",
...             "options": [{"value": v, "label": v} for v in WORK_STATUSES]}}}}]
>>> nb = fill_notebook({"cells": cells}, {"savings": 42000, "work": "stable"})
>>> answers, problems = answers_from_notebook(nb)
>>> answers["savings"], answers["work"], answers["working"], problems
(42000.0, 'stable', True, [])

A number typed in JupyterLab with a comma is a classic slip; it is reported, not guessed:

>>> nb["cells"][0]["source"] = "savings = 5,000"
>>> answers_from_notebook(nb)[1]
['savings: write the number without commas (5000, not 5,000)']

Code in an answer cell is never run, and never read as an answer:

>>> nb["cells"][0]["source"] = "savings = __import__('os').getpid()"
>>> answers, problems = answers_from_notebook(nb)
>>> answers["savings"], problems
(None, ['savings: this answer holds code, not a plain value; it was not read'])

Check-ins handed in before the form (one ``my_answers()`` function) are still read:

>>> source = '''def my_answers():
...     \"\"\"My answers.\"\"\"
...     savings = 42000
...     emergency_months = 3.5
...     business_status = "Operating"
...     family = 9
...     return dict(savings=savings)
... '''
>>> answers, problems = answers_from_source(source)
>>> answers["savings"], answers["emergency_months"], answers["business_status"]
(42000.0, 3.5, 'operating')
>>> answers["family"] is None, problems
(True, ['family: a rating from 1 to 5, not 9'])
"""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

#: The four check-ins, in order. The assignment of check-in ``c`` is ``checkin_<c>``.
CHECKINS: tuple[str, ...] = ("baseline", "m03", "m06", "m12")
#: Months after the end of the course at which each check-in is due.
CHECKIN_MONTHS: dict[str, int] = {"baseline": 0, "m03": 3, "m06": 6, "m12": 12}

#: The answers of a check-in, and the kind of each one (the columns of the progress tables).
#: ``working`` (paid work now, yes or no) is not asked any more: it is read from ``work``
#: (``irregular`` or ``stable`` is paid work), or from a check-in handed in before the form.
FIELDS: dict[str, str] = {
    "language": "language",
    "savings": "amount",
    "savings_plan": "amount",
    "emergency_months": "months",
    "debt": "amount",
    "repayment": "amount",
    "income": "amount",
    "work": "work",
    "business_status": "choice",
    "profit": "signed_amount",
    "working": "yes_no",
    "remittance_use": "text",
    "family": "rating",
    "community": "rating",
    "wellbeing": "rating",
    "next_milestones": "text",
}
#: Fields worked out from other answers, not asked in the form.
DERIVED_FIELDS = ("working",)
NUMERIC_FIELDS = tuple(f for f, kind in FIELDS.items()
                       if kind in ("amount", "months", "signed_amount"))
RATING_FIELDS = tuple(f for f, kind in FIELDS.items() if kind == "rating")
BUSINESS_STATUSES: tuple[str, ...] = ("not_started", "operating", "closed")
#: Paid work now: none, some but not regular, or stable (regular work she expects to keep).
WORK_STATUSES: tuple[str, ...] = ("none", "irregular", "stable")
LANGUAGES: tuple[str, ...] = ("en", "fil", "id")

#: Milestones: the same rules as the check-in notebooks' autograded cells (a test checks that
#: the points nbgrader gives agree with :func:`grading.progress.milestone_table`). To change a
#: milestone, change the four notebooks and these values together.
EMERGENCY_MONTHS = 3.0
REPAYMENT_MAX_PCT = 30.0
NEXT_STEPS_MIN_CHARS = 10


@dataclass(frozen=True)
class Milestone:
    code: str
    grade_id: str  # the autograded cell that awards it
    label: str  # as the participant reads it after "You reached: "


MILESTONES: tuple[Milestone, ...] = (
    Milestone("emergency_fund", "milestone-emergency-fund", "an emergency fund of 3 months"),
    Milestone("savings_on_plan", "milestone-savings-on-plan", "savings at or above your plan"),
    Milestone("repayment_affordable", "milestone-repayment", "debt repayments of at most 30 % of income"),
    Milestone("work_or_business", "milestone-work-or-business",
              "stable work or a running business"),
    Milestone("next_milestones", "milestone-next-steps", "your next milestones written down"),
)
MILESTONE_CODES = tuple(m.code for m in MILESTONES)


def assignment_name(checkin: str) -> str:
    """``"m03"`` -> ``"checkin_m03"``.

    >>> assignment_name("baseline")
    'checkin_baseline'
    """
    if checkin not in CHECKINS:
        raise ValueError(f"checkin: {checkin!r} is not one of {', '.join(CHECKINS)}")
    return f"checkin_{checkin}"


# --------------------------------------------------------------------------- reading values
class _NotAValue(Exception):
    pass


def _value(node: ast.AST) -> Any:
    """A plain value written in the form: a number (sums allowed), text, True/False or None."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _value(node.operand)
        if isinstance(inner, int | float) and not isinstance(inner, bool):
            return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        left, right = _value(node.left), _value(node.right)
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in (left, right)):
            try:
                return {ast.Add: left + right, ast.Sub: left - right, ast.Mult: left * right,
                        ast.Div: left / right if right else math.inf}[type(node.op)]
            except OverflowError:
                raise _NotAValue() from None
    if isinstance(node, ast.Tuple) and len(node.elts) == 2 and all(
            isinstance(e, ast.Constant) and isinstance(e.value, int) for e in node.elts):
        raise _NotAValue("comma")
    raise _NotAValue()


def _clean(name: str, raw: Any) -> tuple[Any, str | None]:
    """Check one answer; return (value or None, problem or None)."""
    if raw is None:
        return None, None
    kind = FIELDS[name]
    if kind in ("amount", "months", "signed_amount"):
        if isinstance(raw, str):
            try:
                raw = float(raw.replace(" ", ""))
            except ValueError:
                return None, f"{name}: write a number, not {raw!r}"
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            return None, f"{name}: write a number, not {raw!r}"
        if kind != "signed_amount" and raw < 0:
            return None, f"{name}: cannot be negative ({raw:g})"
        return float(raw), None
    if kind == "rating":
        if isinstance(raw, bool) or not isinstance(raw, int | float) or raw not in (1, 2, 3, 4, 5):
            return None, f"{name}: a rating from 1 to 5, not {raw!r}"
        return int(raw), None
    if kind == "yes_no":
        if isinstance(raw, bool):
            return raw, None
        if isinstance(raw, str) and raw.strip().lower() in ("yes", "no", "true", "false"):
            return raw.strip().lower() in ("yes", "true"), None
        return None, f"{name}: write True or False, not {raw!r}"
    if kind in ("choice", "work", "language"):
        allowed = {"choice": BUSINESS_STATUSES, "work": WORK_STATUSES,
                   "language": LANGUAGES}[kind]
        text = str(raw).strip().lower().replace(" ", "_").replace("-", "_")
        if text in allowed:
            return text, None
        return None, f"{name}: choose one of {', '.join(allowed)}, not {raw!r}"
    text = str(raw).strip()  # text
    return (text or None), None


def _find_function(tree: ast.Module) -> ast.FunctionDef | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "my_answers":
            return node
    return None


def answers_from_source(source: str) -> tuple[dict[str, Any], list[str]]:
    """Read the answers from the source of the answer cell, without running it.

    Returns ``(answers, problems)``: every field of :data:`FIELDS` (None when not answered or
    not readable) and a list of short problems. Raises :class:`CheckinReadError` when there is
    no ``my_answers()`` function to read.

    The function body is read in order, as Python would run it: an assignment sets an answer;
    a ``raise`` (the ``raise NotImplementedError()`` a participant forgot to delete) or a
    ``return`` ends it. A returned ``dict(savings=42000, ...)`` or ``{"savings": 42000}`` with
    plain values counts too.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise CheckinReadError(f"the answer cell has a Python error on line {err.lineno}") from None
    function = _find_function(tree)
    if function is None:
        raise CheckinReadError("the answer cell has no my_answers() function")
    raw: dict[str, Any] = {}
    problems: list[str] = []

    def take(name: str, node: ast.AST) -> None:
        try:
            raw[name] = _value(node)
        except _NotAValue as err:
            raw[name] = None
            problems.append(f"{name}: write the number without commas (5000, not 5,000)"
                            if err.args == ("comma",) else f"{name}: could not read this answer")

    for statement in function.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name) and target.id in FIELDS:
                    take(target.id, statement.value)
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            if statement.target.id in FIELDS and statement.value is not None:
                take(statement.target.id, statement.value)
        elif isinstance(statement, ast.Raise):
            problems.append("the line raise NotImplementedError() was left in, so the "
                            "notebook's checks could not run")
            break
        elif isinstance(statement, ast.Return):
            value = statement.value
            pairs: list[tuple[str, ast.AST]] = []
            if isinstance(value, ast.Call) and getattr(value.func, "id", None) == "dict":
                pairs = [(k.arg, k.value) for k in value.keywords if k.arg]
            elif isinstance(value, ast.Dict):
                pairs = [(k.value, v) for k, v in zip(value.keys, value.values, strict=True)
                         if isinstance(k, ast.Constant) and isinstance(k.value, str)]
            for name, node in pairs:
                if name in FIELDS and not (isinstance(node, ast.Name) and node.id == name):
                    take(name, node)
            break
    return _cleaned(raw, problems)


def _cleaned(raw: dict[str, Any], problems: list[str]) -> tuple[dict[str, Any], list[str]]:
    answers: dict[str, Any] = {}
    for name in FIELDS:
        value, problem = _clean(name, raw.get(name))
        answers[name] = value
        if problem:
            problems.append(problem)
    if answers["work"] is not None:
        answers["working"] = answers["work"] != "none"
    return answers, problems


def answers_from_notebook(nb: dict) -> tuple[dict[str, Any], list[str]]:
    """Read the answers from a check-in in the answer-form format, without running it.

    Returns ``(answers, problems)`` like :func:`answers_from_source`. Each answer cell is
    checked with :func:`widgets.forms.model.check_answer_cell`: only a plain value assigned to
    the cell's own name is read; a cell holding code is reported and left out.
    """
    from widgets.forms.model import FormError, check_answer_cell, questions

    try:
        asked = [q for q in questions(nb) if q.name in FIELDS]
    except FormError as err:
        raise CheckinReadError(f"the form's cells are damaged ({err})") from None
    if not asked:
        raise CheckinReadError("the notebook has no check-in answers")
    cells = nb["cells"]
    raw: dict[str, Any] = {}
    problems: list[str] = []
    for question in asked:
        check = check_answer_cell(_cell_source(cells[question.cell]), question)
        if check.code == "comma":
            problems.append(f"{question.name}: write the number without commas "
                            "(5000, not 5,000)")
        elif not check.safe:
            problems.append(f"{question.name}: this answer holds code, not a plain value; "
                            "it was not read")
        elif check.value is not None:
            raw[question.name] = check.value  # a value of the wrong type is named by _clean
    return _cleaned(raw, problems)


def is_form(cells: list[dict]) -> bool:
    """True for a check-in in the answer-form format (answer cells with Homeward metadata)."""
    return any(((c.get("metadata") or {}).get("homeward") or {}).get("answer")
               for c in cells if isinstance(c, dict))


class CheckinReadError(ValueError):
    """A submitted check-in that cannot be read (the reason is the message)."""


@dataclass
class CheckinRead:
    """What was read from one submission."""

    status: str  # "submitted" | "missing" | "broken"  (late is decided from the timestamp)
    answers: dict[str, Any] = field(default_factory=dict)
    problem: str = ""
    submitted_at: pd.Timestamp | None = None


def _cell_source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def answer_cell_index(cells: list[dict]) -> int | None:
    """The index of the answer cell: the one tagged ``grade_id: answers``, else the first code
    cell that defines ``my_answers``."""
    for i, cell in enumerate(cells):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "answers":
            return i
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "code" and "def my_answers" in _cell_source(cell):
            return i
    return None


def read_timestamp(folder: Path) -> pd.Timestamp | None:
    """The submission time nbgrader keeps in ``timestamp.txt`` (UTC), or None."""
    try:
        text = (Path(folder) / "timestamp.txt").read_text(encoding="utf-8").strip()
        stamp = pd.Timestamp(text.replace(" UTC", "").strip())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if pd.isna(stamp):
        return None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def read_checkin(notebook: str | Path) -> CheckinRead:
    """Read one submitted check-in notebook; never raises.

    ``missing``: there is no notebook, or it was sent without a single answer.
    ``broken``: the file is not a notebook, or its answer cell is gone or not valid Python.
    """
    notebook = Path(notebook)
    stamp = read_timestamp(notebook.parent)
    if not notebook.exists():
        return CheckinRead("missing", problem="no notebook was submitted", submitted_at=stamp)
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        if not isinstance(cells, list):
            raise TypeError
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        return CheckinRead("broken", problem="the file is not a readable notebook",
                           submitted_at=stamp)
    try:
        if is_form(cells):
            answers, problems = answers_from_notebook({"cells": cells})
        else:
            index = answer_cell_index(cells)
            if index is None:
                return CheckinRead("broken", problem="the answer cells were deleted",
                                   submitted_at=stamp)
            answers, problems = answers_from_source(_cell_source(cells[index]))
    except CheckinReadError as err:
        return CheckinRead("broken", problem=str(err), submitted_at=stamp)
    if all(value is None for value in answers.values()):
        unreadable = [p for p in problems if not p.startswith("the line raise")]
        problem = "sent without any answer" + (
            ": " + "; ".join(unreadable) if unreadable else "")
        return CheckinRead("missing", answers, problem, stamp)
    return CheckinRead("submitted", answers, "; ".join(problems), stamp)


# --------------------------------------------------------------------------- writing answers
def _literal_value(value: Any) -> Any:
    """A plain Python value for a form (numpy scalars, NaN and pandas' NA made plain)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return _literal_value(value.item())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _literal(value: Any) -> str:
    return repr(_literal_value(value))


def fill_answers(notebook: dict, answers: dict[str, Any]) -> dict:
    """A copy of a released check-in notebook with ``answers`` written into the form, as the
    form app writes them (:func:`widgets.forms.model.fill_notebook`). Used for demos, tests
    and offline collection. ``working`` is not asked in the form and is left out (it follows
    from ``work``); a check-in from before the form gets one line per answer in its
    ``my_answers()`` function.
    """
    import copy

    unknown = set(answers) - set(FIELDS)
    if unknown:
        raise ValueError(f"answers: unknown fields {sorted(unknown)}")
    if is_form(notebook["cells"]):
        from widgets.forms.model import fill_notebook, questions

        asked = {q.name for q in questions(notebook)}
        values = {k: _literal_value(v) for k, v in answers.items() if k in asked}
        return fill_notebook(notebook, values)
    nb = copy.deepcopy(notebook)
    index = answer_cell_index(nb["cells"])
    if index is None:
        raise CheckinReadError("the notebook has no answer cell")
    lines = _cell_source(nb["cells"][index]).split("\n")
    start = end = None
    for i, line in enumerate(lines):
        text = line.strip()
        if text in ("### BEGIN SOLUTION", "# YOUR CODE HERE") and start is None:
            start = i
        if start is not None and text in ("### END SOLUTION", "raise NotImplementedError()"):
            end = i
            break
    if start is None or end is None:
        raise CheckinReadError("the answer cell has no place for answers")
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    filled = [f"{indent}{name} = {_literal(answers[name])}" for name in FIELDS if name in answers]
    lines[start:end + 1] = filled
    nb["cells"][index]["source"] = "\n".join(lines)
    return nb
