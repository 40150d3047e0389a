"""The answer-form format: exercises and check-ins answered by values that nbgrader grades.

A person who does not code answers an exercise by typing an amount, picking a choice or
writing a few sentences. Each answer is stored in the notebook as ONE plain value, so that
nbgrader grades the notebook unchanged, a form app can show it as questions, and a grader can
prove, before anything runs, that a submission holds values and nothing else.

The format
==========

**One answer per code cell.** An nbgrader solution cell (``grade: false``) whose source in the
assignment's *source* notebook is::

    monthly_saving = None
    ### BEGIN SOLUTION
    monthly_saving = 2400
    ### END SOLUTION

Comment lines may stand above the assignment (``# What must she save each month? (₱)``):
they are what a person answering in JupyterLab reads, and they stay when a form writes the
value. nbgrader's ``generate_assignment`` replaces the solution region by the course's code stub,
which Homeward sets to nothing (``c.ClearSolutions.code_stub = {"python": ""}``, in
``grading/course.py``), so the *released* cell is just ``monthly_saving = None``: it runs
without error when blank, and a form or a person replaces ``None`` by a value.

The cell's metadata says what the answer is, in ``metadata["homeward"]["answer"]``:

================  ===========================================================================
``name``          the variable (a Python identifier), unique in the notebook
``kind``          one of :data:`KINDS`: ``money``, ``number``, ``integer``, ``percent``,
                  ``choice``, ``yesno``, ``date`` (an ISO ``"YYYY-MM-DD"`` string),
                  ``text`` (short)
``label``         the question, ``{"en": ..., "fil": ..., "id": ...}``
``help``          optional, a plain explanation in the same languages
``options``       for ``choice``: ``[{"value": "bank", "label": {"en": ..., ...}}, ...]``
``currency``      for ``money``: ``PHP``, ``IDR``, ``THB``, ``NPR``, ``MXN``, ``USD``, or
                  ``local``: the participant's own currency (a check-in serves every
                  country; the form uses the course's or her plan's currency)
``min``/``max``   optional bounds a form checks at once (a value outside is still graded)
``unit``          optional, e.g. ``{"en": "months", "fil": "buwan", "id": "bulan"}``
``max_chars``     optional, for ``text`` (default :data:`TEXT_MAX_CHARS`)
``simulator``     optional, ``{"app": "savings", "values": {...}}``: the simulator a form may
                  embed next to the question, with the case's numbers filled in
================  ===========================================================================

**Reflections and plans** read by a person are nbgrader manually graded markdown cells
(``solution: true, grade: true``) with ``metadata["homeward"]["answer"] = {"name", "kind":
"reflection", "label", "help"}``. Their text is written escaped (:func:`reflection_markdown`),
so nothing a person types renders as HTML, a link or an image in the feedback page.

**Scratch cells.** A form may keep an unlocked code cell that is neither an answer nor a check,
as a calculator for people who answer in JupyterLab (``# for example: 3 * 45_000 + 8_000``).
It may hold arithmetic on numbers only (``+ - * / // %`` and brackets, no names, no calls, no
powers): :func:`check_submission` refuses anything else in it.

The notebook's own ``metadata["homeward"]["review"]`` says, per language, whether the
Filipino and Indonesian texts were reviewed by a native speaker (:func:`translation_status`).

Reading and writing
===================

A small form (the metadata of two cells, as an exercise would hold it):

>>> nb = {"metadata": {}, "cells": [
...     source_answer_cell("saving-answer", {
...         "name": "monthly_saving", "kind": "money", "currency": "PHP",
...         "label": {"en": "What must Lorna put aside each month?",
...                   "fil": "Magkano ang dapat itabi ni Lorna bawat buwan?",
...                   "id": "Berapa yang harus Lorna sisihkan setiap bulan?"}}, 2400),
...     source_reflection_cell("goals-plan", {
...         "name": "goals_plan", "kind": "reflection",
...         "label": {"en": "My goals", "fil": "Ang aking mga layunin", "id": "Tujuan saya"}},
...         "*Model answer (illustrative).*", points=4)]}
>>> [(q.name, q.kind, q.grade_id) for q in questions(nb)]
[('monthly_saving', 'money', 'saving-answer')]
>>> questions(nb)[0].text("label", "fil")
'Magkano ang dapat itabi ni Lorna bawat buwan?'
>>> model_values(nb)
{'monthly_saving': 2400}

A value is written as a Python literal with ``repr()``; a text stays a text, whatever it holds:

>>> answer_source("monthly_saving", 2400.5)
'monthly_saving = 2400.5'
>>> answer_source("note", "__import__('os').system('id')")
'note = "__import__(\\'os\\').system(\\'id\\')"'

:func:`check_answer_cell` proves with :mod:`ast`, without running anything, that a cell is
exactly one assignment of that name to a literal, and says why not:

>>> q = questions(nb)[0]
>>> check_answer_cell("monthly_saving = 2400  # my answer", q)
CellCheck(code='ok', value=2400)
>>> check_answer_cell("monthly_saving = 60000 / 25", q).code
'not_literal'
>>> check_answer_cell("import os\\nmonthly_saving = 2400", q).code
'not_one_statement'
>>> check_answer_cell("monthly_saving = '2400'", q).code   # safe, but graded as wrong
'wrong_type'
>>> check_answer_cell("monthly_saving = '2400'", q).safe
True

:func:`fill_notebook` returns a copy with the answers written; :func:`read_values` reads them
back the same way, never executing the notebook:

>>> filled = fill_notebook(nb, {"monthly_saving": 2400.0}, {"goals_plan": "<b>Store</b> first"})
>>> filled["cells"][0]["source"], filled["cells"][1]["source"]
('monthly_saving = 2400', '\\\\<b\\\\>Store\\\\<\\\\/b\\\\> first')
>>> read_values(filled), read_reflections(filled)
(({'monthly_saving': 2400}, []), {'goals_plan': '<b>Store</b> first'})

Hidden tests that a participant's code cannot fool
==================================================

Under plain nbgrader, a participant's cells run in the same kernel before the tests that grade
them. Code there can define a ``float`` subclass whose ``__eq__``, ``__sub__`` or ``__abs__``
lies, or replace ``builtins.abs``, ``builtins.type``, ``math.isclose`` or ``numpy.isclose``.
Every grade cell in Homeward's exercises is written so that none of these can change its
verdict:

1. **Take the tools from literals, not from names.** ``().__class__.__class__`` is the real
   ``type`` (a tuple literal's class's class; a literal cannot be redefined and the attributes
   of built-in types cannot be set); ``(0).__class__``, ``(0.0).__class__``, ``"".__class__``
   and ``True.__class__`` are the real ``int``, ``float``, ``str`` and ``bool``. Nothing is
   imported in a check (a module's function can be replaced before the check runs).
2. **Check the exact type first, with ``is``**: every check opens with ``TYPE, INT, FLOAT,
   STR, BOOL = (().__class__.__class__, (0).__class__, (0.0).__class__, "".__class__,
   True.__class__)``, then asks ``TYPE(got) is FLOAT or TYPE(got) is INT``. Never ``==`` or
   ``in`` on types (a metaclass can make ``==`` lie) and never ``isinstance`` (a subclass
   passes it).
3. **Then compare with plain arithmetic on those exact types**:
   ``-0.01 <= got - 14285.714285714286 <= 0.01``. On a real ``int``, ``float`` or ``str``,
   ``-``, ``<=``, ``==``, ``str.strip`` and ``in`` are the interpreter's own and cannot be
   patched; builtins such as ``len`` or ``abs`` are not used (``text.__len__()`` on an exact
   ``str`` is). Amounts are compared with the exact (unrounded) value and a tolerance of one cent,
   so the prudent rounding up (₱14,285.72) passes as well as the usual one (₱14,285.71).
4. ``assert`` raises the real ``AssertionError`` whatever the name means in ``builtins``.
5. A locked code cell at the top sets ``get_ipython().InteractiveTB.set_mode(mode="Minimal")``:
   a failing check then shows only its plain message (what to look at) in the feedback, never
   the code around it, which holds the hidden expected value.

What no check inside the notebook can stop is code that changes how LATER cells run: an IPython
input or AST transformer, a replaced ``shell.run_cell`` or compiler, a custom exception handler
(``set_custom_exc``), a trace function, a thread that rewrites variables, a patched kernel
that drops error messages. nbgrader's design runs the participant's code in the graders' kernel,
so under plain nbgrader such a notebook can earn points. Homeward's grading batch therefore
refuses a submission before it runs when :func:`check_submission` finds anything but literal
assignments in its answer cells, a changed or added code cell, or a changed kernel: then
there is no participant code at all, only values. (And the sandbox around every notebook limits
what such code could do to anyone else.)

>>> release = {"metadata": {"kernelspec": {"name": "python3"}}, "cells": [
...     {"cell_type": "code", "source": "monthly_saving = None\\n",
...      "metadata": nb["cells"][0]["metadata"]}]}
>>> cheat = fill_notebook(release, {})
>>> cheat["cells"][0]["source"] = "class F(float):\\n    __eq__ = lambda s, o: True\\nmonthly_saving = F(1)"
>>> [p.code for p in check_submission(cheat, release)]
['not_one_statement']
>>> check_submission(fill_notebook(release, {"monthly_saving": 2400}), release)
[]
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import math
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "KINDS", "LANGUAGES", "REFLECTION", "REVIEW_NEEDED", "TEXT_STUB", "CellCheck", "FormError",
    "Option", "Problem", "Question", "Reflection", "Text", "answer_source",
    "blank_values", "check_answer_cell", "check_submission", "fill_notebook", "form_items",
    "is_arithmetic",
    "model_reflections", "model_values", "parse_answer", "question_from_metadata",
    "questions", "read_reflections", "read_values", "reflection_markdown",
    "reflection_text", "reflections", "source_answer_cell", "source_reflection_cell",
    "translation_status", "value_problem",
]

#: The kinds of answer a form can ask for.
KINDS: tuple[str, ...] = ("money", "number", "integer", "percent", "choice", "yesno", "date",
                          "text")
#: The kind of a markdown answer read by a person (a reflection or a plan).
REFLECTION = "reflection"
#: Languages every label, help text and option is written in.
LANGUAGES: tuple[str, ...] = ("en", "fil", "id")
#: What ``metadata["homeward"]["review"][language]`` says until a native speaker has read it.
REVIEW_NEEDED = "needs review by a native speaker"
#: nbgrader's text stub: what a blank reflection holds in a released notebook.
TEXT_STUB = "YOUR ANSWER HERE"
#: Default longest short text (``text`` kind); a form stops typing there.
TEXT_MAX_CHARS = 300
#: Longest answer cell the checker reads at all (a value never needs more).
MAX_CELL_CHARS = 20_000
#: Largest number a form accepts (same as :data:`widgets.money.MAX_AMOUNT`).
MAX_NUMBER = 1e12
CURRENCY_CODES = ("PHP", "IDR", "THB", "NPR", "MXN", "USD", "local")

_NUMBER_KINDS = ("money", "number", "percent")
_STR_KINDS = ("choice", "date", "text")
_BEGIN, _END = "### BEGIN SOLUTION", "### END SOLUTION"
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# --------------------------------------------------------------------------- records
class FormError(ValueError):
    """A form that is badly written, or a value that cannot be used.

    ``field`` names what is wrong (a question's name, or ``kind``, ``options`` ...), ``code``
    the kind of mistake (``empty``, ``not_a_number``, ``not_an_option`` ...), so that a view
    can show a sentence in the person's language next to the right box.

    >>> err = FormError("savings", "not_a_number", "'abc' is not a number")
    >>> str(err), err.field, err.code
    ("savings: 'abc' is not a number", 'savings', 'not_a_number')
    """

    def __init__(self, field: str, code: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        #: for ``ambiguous`` amounts ("30.000" in English): the whole amount she probably meant
        self.suggestion: float | None = None


def _text(mapping: Mapping[str, str] | None, language: str) -> str:
    """The text in ``language``, else English, else ''."""
    if not mapping:
        return ""
    return mapping.get(language) or mapping.get("en") or ""


@dataclass(frozen=True)
class Option:
    """One option of a ``choice`` question: the value written, and its label."""

    value: str
    label: Mapping[str, str]

    def text(self, language: str = "en") -> str:
        return _text(self.label, language)


@dataclass(frozen=True)
class Question:
    """One answer cell, as a form shows it. Build it with :func:`question_from_metadata`."""

    name: str
    kind: str
    label: Mapping[str, str]
    help: Mapping[str, str] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    currency: str | None = None
    min: float | None = None
    max: float | None = None
    unit: Mapping[str, str] = field(default_factory=dict)
    max_chars: int | None = None
    simulator: Mapping[str, Any] | None = None
    grade_id: str = ""
    cell: int = -1

    def text(self, what: str = "label", language: str = "en") -> str:
        """``label``, ``help`` or ``unit`` in ``language`` (English when not translated)."""
        return _text(getattr(self, what), language)

    def option_values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)


@dataclass(frozen=True)
class Reflection:
    """A markdown answer read and graded by a person."""

    name: str
    label: Mapping[str, str]
    help: Mapping[str, str] = field(default_factory=dict)
    grade_id: str = ""
    points: float = 0.0
    cell: int = -1

    kind = REFLECTION

    def text(self, what: str = "label", language: str = "en") -> str:
        return _text(getattr(self, what), language)


@dataclass(frozen=True)
class Text:
    """A markdown cell the form shows as it is (the case, a table, an explanation)."""

    source: str
    cell: int = -1
    translations: Mapping[str, str] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        """The cell in ``language`` when ``metadata["homeward"]["text"]`` has it."""
        return self.translations.get(language) or self.source


@dataclass(frozen=True)
class CellCheck:
    """What :func:`check_answer_cell` found. ``code`` is ``ok`` or the reason:

    - unsafe (the cell holds something other than one literal assignment; a grader refuses
      the submission): ``too_long``, ``syntax``, ``not_one_statement``, ``not_assignment``,
      ``wrong_name``, ``not_literal``, ``ipython_syntax``;
    - safe but not a usable answer (graded as a wrong answer): ``empty`` (no assignment left),
      ``wrong_type``, ``not_finite``, ``comma`` (``5,000``: Python reads a pair of numbers;
      a form never writes this, a person in JupyterLab might).
    """

    code: str
    value: Any = None

    UNSAFE = ("too_long", "syntax", "not_one_statement", "not_assignment", "wrong_name",
              "not_literal", "ipython_syntax")

    @property
    def ok(self) -> bool:
        return self.code == "ok"

    @property
    def safe(self) -> bool:
        return self.code not in self.UNSAFE

    def __repr__(self) -> str:
        return f"CellCheck(code={self.code!r}, value={self.value!r})"


@dataclass(frozen=True)
class Problem:
    """Why a submission is refused before it runs (:func:`check_submission`)."""

    cell: int
    grade_id: str | None
    code: str
    message: str


# --------------------------------------------------------------------------- metadata
def _languages(value: Any, where: str, required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if isinstance(value, str):
        value = {"en": value}
    if not isinstance(value, Mapping) or not isinstance(value.get("en"), str) \
            or not value["en"].strip():
        raise FormError(where, "no_english", "needs an English text ({'en': ...})")
    bad = [k for k, v in value.items() if k not in LANGUAGES or not isinstance(v, str)]
    if bad:
        raise FormError(where, "bad_language", f"unknown language or not a text: {bad}")
    return dict(value)


def _bound(meta: Mapping, key: str, name: str) -> float | None:
    value = meta.get(key)
    if value is None:
        return None
    if type(value) not in (int, float) or not math.isfinite(value):
        raise FormError(name, f"bad_{key}", f"{key} must be a number, not {value!r}")
    return value


def question_from_metadata(meta: Mapping[str, Any], grade_id: str = "",
                           cell: int = -1) -> Question | Reflection:
    """Check one cell's ``metadata["homeward"]["answer"]`` and make its record.

    >>> q = question_from_metadata({"name": "paid", "kind": "yesno",
    ...                             "label": {"en": "Was the fee paid back?"}})
    >>> q.kind, q.text("label", "id")   # no Indonesian yet: English is shown
    ('yesno', 'Was the fee paid back?')
    >>> question_from_metadata({"name": "x", "kind": "choice", "label": "Pick one"})
    Traceback (most recent call last):
    ...
    widgets.forms.model.FormError: x: a choice needs at least two options
    """
    if not isinstance(meta, Mapping):
        raise FormError(grade_id or "answer", "not_a_mapping", "the answer metadata is not a dict")
    name = meta.get("name")
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name) or name.startswith("_"):
        raise FormError(grade_id or "answer", "bad_name",
                        f"name must be a Python identifier not starting with _, not {name!r}")
    kind = meta.get("kind")
    label = _languages(meta.get("label"), name)
    help_text = _languages(meta.get("help"), name, required=False)
    if kind == REFLECTION:
        return Reflection(name, label, help_text, grade_id, 0.0, cell)
    if kind not in KINDS:
        raise FormError(name, "bad_kind", f"kind must be one of {KINDS + (REFLECTION,)}, "
                                          f"not {kind!r}")
    options: tuple[Option, ...] = ()
    if kind == "choice":
        raw = meta.get("options") or []
        if not isinstance(raw, list) or len(raw) < 2:
            raise FormError(name, "few_options", "a choice needs at least two options")
        parsed = []
        for option in raw:
            value = option.get("value") if isinstance(option, Mapping) else None
            if type(value) is not str or not value:
                raise FormError(name, "bad_option", f"an option value must be a text: {option!r}")
            parsed.append(Option(value, _languages(option.get("label"), f"{name}.{value}")))
        values = [o.value for o in parsed]
        if len(set(values)) != len(values):
            raise FormError(name, "bad_option", f"two options have the same value: {values}")
        options = tuple(parsed)
    currency = meta.get("currency")
    if kind == "money":
        if currency not in CURRENCY_CODES:
            raise FormError(name, "bad_currency",
                            f"a money question needs a currency in {CURRENCY_CODES}, "
                            f"not {currency!r}")
    elif currency is not None:
        raise FormError(name, "bad_currency", "only money questions have a currency")
    low, high = _bound(meta, "min", name), _bound(meta, "max", name)
    if low is not None and high is not None and low > high:
        raise FormError(name, "bad_min", f"min {low} is above max {high}")
    max_chars = meta.get("max_chars")
    if max_chars is not None and (type(max_chars) is not int or not 1 <= max_chars <= 5000):
        raise FormError(name, "bad_max_chars", f"max_chars must be 1-5000, not {max_chars!r}")
    simulator = meta.get("simulator")
    if simulator is not None and not (isinstance(simulator, Mapping)
                                      and isinstance(simulator.get("app"), str)):
        raise FormError(name, "bad_simulator", "simulator must be {'app': ..., 'values': {...}}")
    known = {"name", "kind", "label", "help", "options", "currency", "min", "max", "unit",
             "max_chars", "simulator"}
    unknown = sorted(set(meta) - known)
    if unknown:
        raise FormError(name, "unknown_key", f"unknown keys {unknown}")
    return Question(name=name, kind=kind, label=label, help=help_text, options=options,
                    currency=currency, min=low, max=high,
                    unit=_languages(meta.get("unit"), f"{name}.unit", required=False),
                    max_chars=max_chars if kind == "text" else None,
                    simulator=dict(simulator) if simulator else None,
                    grade_id=grade_id, cell=cell)


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _nbgrader(cell: Mapping) -> Mapping:
    meta = cell.get("metadata") or {}
    return meta.get("nbgrader") or {}


def _answer_meta(cell: Mapping) -> Mapping | None:
    meta = cell.get("metadata") or {}
    return (meta.get("homeward") or {}).get("answer")


def form_items(nb: Mapping) -> list[Text | Question | Reflection]:
    """Everything a form shows, in the notebook's order: texts, questions and reflections.

    Code cells that are not answers (the checks) are left out. A malformed answer raises
    :class:`FormError`, as do two answers with the same name.
    """
    items: list[Text | Question | Reflection] = []
    names: set[str] = set()
    for index, cell in enumerate(nb.get("cells", [])):
        meta = _answer_meta(cell)
        grade = _nbgrader(cell)
        if meta is not None:
            item = question_from_metadata(meta, grade.get("grade_id", ""), index)
            if item.name in names:
                raise FormError(item.name, "duplicate_name", "two answers have this name")
            names.add(item.name)
            if isinstance(item, Reflection):
                if cell.get("cell_type") != "markdown" or not (grade.get("solution")
                                                               and grade.get("grade")):
                    raise FormError(item.name, "bad_cell",
                                    "a reflection is a manually graded markdown cell")
                item = Reflection(item.name, item.label, item.help, item.grade_id,
                                  float(grade.get("points", 0) or 0), index)
            elif cell.get("cell_type") != "code" or not grade.get("solution") \
                    or grade.get("grade"):
                raise FormError(item.name, "bad_cell",
                                "an answer is an nbgrader solution code cell (grade: false)")
            items.append(item)
        elif cell.get("cell_type") == "markdown":
            translations = ((cell.get("metadata") or {}).get("homeward") or {}).get("text") or {}
            items.append(Text(_source(cell), index, dict(translations)))
    return items


def questions(nb: Mapping) -> list[Question]:
    """The value questions of a notebook, in order."""
    return [i for i in form_items(nb) if isinstance(i, Question)]


def reflections(nb: Mapping) -> list[Reflection]:
    """The reflections (markdown answers graded by a person), in order."""
    return [i for i in form_items(nb) if isinstance(i, Reflection)]


def translation_status(nb: Mapping) -> dict[str, str]:
    """Per language other than English: ``needs review by a native speaker`` or who reviewed it.

    >>> translation_status({"metadata": {"homeward": {"review": {"fil": "reviewed by A. Cruz"}}}})
    {'fil': 'reviewed by A. Cruz', 'id': 'needs review by a native speaker'}
    """
    given = ((nb.get("metadata") or {}).get("homeward") or {}).get("review") or {}
    return {lang: given.get(lang) or REVIEW_NEEDED for lang in LANGUAGES if lang != "en"}


# --------------------------------------------------------------------------- values
def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


def answer_source(name: str, value: Any) -> str:
    """The cell source that stores ``value`` as ``name``: one assignment of a literal.

    ``repr()`` writes every allowed value as a literal that reads back as itself; a whole
    float is written without ``.0`` (``2400``) as a person would type it.

    >>> answer_source("fee_paid", True), answer_source("when", "2026-03-01")
    ('fee_paid = True', "when = '2026-03-01'")
    >>> print(answer_source("note", 'She said "no"\\nthen left'))
    note = 'She said "no"\\nthen left'
    >>> answer_source("x", float("inf"))
    Traceback (most recent call last):
    ...
    widgets.forms.model.FormError: x: inf is not a finite number
    """
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        raise FormError(str(name), "bad_name", f"{name!r} is not a Python identifier")
    if value is not None and type(value) not in (bool, int, float, str):
        raise FormError(name, "wrong_type",
                        f"a value must be a number, a text, True/False or None, not "
                        f"{type(value).__name__}")
    if type(value) is float:
        if not math.isfinite(value):
            raise FormError(name, "not_finite", f"{value} is not a finite number")
        if value.is_integer() and abs(value) < 2 ** 53:
            value = int(value)
    text = f"{name} = {value!r}"
    if len(text) > MAX_CELL_CHARS:
        raise FormError(name, "too_long", f"the answer is longer than {MAX_CELL_CHARS} characters")
    return text


class _Refused(Exception):
    def __init__(self, code: str):
        self.code = code


def _literal(node: ast.AST) -> Any:
    """The value of a literal node: a number, a text, True/False or None; else refuse."""
    if isinstance(node, ast.Constant):
        if node.value is None or type(node.value) in (bool, int, float, str):
            return node.value
        raise _Refused("not_literal")  # bytes, complex, ...
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd) \
            and isinstance(node.operand, ast.Constant) and _is_number(node.operand.value):
        return -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    raise _Refused("not_literal")


def _ipython_changes(source: str) -> bool:
    """True when IPython would not run ``source`` as written (``!cmd``, ``%magic``, ``x?``).

    IPython turns such lines into code before Python sees them, so a cell must be left
    unchanged by IPython's own input transformations to be what :mod:`ast` read.
    """
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython is installed with Jupyter
        return any(line.lstrip()[:1] in ("!", "%", "?") or line.rstrip().endswith("?")
                   for line in source.splitlines())
    try:
        transformed = TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - anything IPython cannot read is refused
        return True
    return transformed.rstrip("\n") != source.rstrip("\n")


def _type_code(question: Question | None, value: Any) -> str:
    if value is None or question is None:
        return "ok"
    kind = question.kind
    if kind in _NUMBER_KINDS:
        if not _is_number(value):
            return "wrong_type"
        return "ok" if math.isfinite(value) else "not_finite"
    if kind == "integer":
        if type(value) is int:
            return "ok"
        if type(value) is float:
            return "ok" if math.isfinite(value) else "not_finite"
        return "wrong_type"
    if kind == "yesno":
        return "ok" if type(value) is bool else "wrong_type"
    return "ok" if type(value) is str else "wrong_type"


def check_answer_cell(source: str, question: Question | str) -> CellCheck:
    """Check, without running it, that ``source`` is exactly ``name = <literal>``.

    ``question`` is a :class:`Question` (the type of the literal is checked too) or just the
    name. Comments and blank lines are allowed; everything else is refused with a reason code
    (see :class:`CellCheck`).

    >>> check_answer_cell("fee = -250.5", "fee")
    CellCheck(code='ok', value=-250.5)
    >>> [check_answer_cell(s, "fee").code for s in (
    ...     "fee = f'{1}'", "fee = [1]", "fee: int = 1", "fee = x = 1", "other = 1",
    ...     "!cat /etc/passwd", "fee = 1 if True else 2", "fee = 1j", "", "# only a comment")]
    ['not_literal', 'not_literal', 'not_assignment', 'not_assignment', 'wrong_name', 'syntax', 'not_literal', 'not_literal', 'empty', 'empty']
    >>> check_answer_cell("fee = 1e999", "fee").code   # a literal, but not a number to grade
    'ok'
    """
    name = question.name if isinstance(question, Question) else question
    q = question if isinstance(question, Question) else None
    if type(source) is not str or len(source) > MAX_CELL_CHARS:
        return CellCheck("too_long")
    try:
        tree = ast.parse(source, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return CellCheck("syntax")
    if not tree.body:
        return CellCheck("ipython_syntax" if _ipython_changes(source) else "empty")
    if len(tree.body) != 1:
        return CellCheck("not_one_statement")
    statement = tree.body[0]
    if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
        return CellCheck("not_assignment")
    target = statement.targets[0]
    if not isinstance(target, ast.Name) or target.id != name:
        return CellCheck("wrong_name")
    node = statement.value
    if isinstance(node, ast.Tuple) and 2 <= len(node.elts) <= 8:
        try:  # 5,000 or 5.000,50: a number typed with a thousands separator
            parts = [_literal(e) for e in node.elts]
        except _Refused:
            parts = []
        if parts and all(_is_number(p) for p in parts) and not _ipython_changes(source):
            return CellCheck("comma")
    try:
        value = _literal(node)
    except _Refused as refused:
        return CellCheck(refused.code)
    if _ipython_changes(source):
        return CellCheck("ipython_syntax")
    code = _type_code(q, value)
    if q is None and type(value) is float and not math.isfinite(value):
        code = "ok"
    return CellCheck(code, value if code in ("ok", "wrong_type", "not_finite") else None)


def value_problem(question: Question, value: Any) -> str | None:
    """Why a value does not fit its question (a form shows it at once; a grader still grades
    it): ``wrong_type``, ``not_finite``, ``not_whole``, ``below_min``, ``above_max``,
    ``not_an_option``, ``bad_date``, ``too_long``; None when it fits or is blank.

    >>> months = question_from_metadata({"name": "months", "kind": "integer", "min": 0,
    ...                                  "label": {"en": "How many months?"}})
    >>> [value_problem(months, v) for v in (6, 6.5, -1, "6", None)]
    [None, 'not_whole', 'below_min', 'wrong_type', None]
    """
    if value is None:
        return None
    code = _type_code(question, value)
    if code != "ok":
        return code
    kind = question.kind
    if kind == "integer" and not float(value).is_integer():
        return "not_whole"
    if kind in _NUMBER_KINDS + ("integer",):
        if question.min is not None and value < question.min:
            return "below_min"
        if question.max is not None and value > question.max:
            return "above_max"
    if kind == "choice" and value not in question.option_values():
        return "not_an_option"
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return "bad_date"
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return "bad_date"
    if kind == "text" and len(value) > (question.max_chars or TEXT_MAX_CHARS):
        return "too_long"
    return None


_YES = {"yes", "y", "true", "oo", "opo", "ya", "iya", "benar"}
_NO = {"no", "n", "false", "hindi", "tidak", "bukan", "nggak", "tak"}


def parse_answer(question: Question, typed: Any, language: str = "en") -> Any:
    """Turn what a person typed or picked into the value to store (None when blank).

    Amounts are read the way her language writes them (:func:`widgets.money.parse_amount`);
    a choice by its value or its label; yes/no in English, Filipino or Indonesian.

    >>> money = question_from_metadata({"name": "cost", "kind": "money", "currency": "IDR",
    ...                                 "label": {"en": "Cost"}})
    >>> parse_answer(money, "Rp 1.250.000,50", "id"), parse_answer(money, " ", "id")
    (1250000.5, None)
    >>> yes = question_from_metadata({"name": "ok", "kind": "yesno", "label": "OK?"})
    >>> parse_answer(yes, "Oo", "fil"), parse_answer(yes, "tidak", "id")
    (True, False)
    """
    if typed is None or (isinstance(typed, str) and not typed.strip()):
        return None
    kind, name = question.kind, question.name
    if kind in _NUMBER_KINDS + ("integer",):
        if _is_number(typed):
            number = typed
        else:
            from widgets.money import AmountError, parse_amount

            text = str(typed).strip()
            if kind == "percent":
                text = text.rstrip("%").strip()
            currency = question.currency if question.currency != "local" else None
            try:
                number = parse_amount(text, language, currency,
                                      allow_negative=True, maximum=MAX_NUMBER)
            except AmountError as err:
                problem = FormError(name, err.code, str(err))
                problem.suggestion = getattr(err, "suggestion", None)  # "ambiguous": 30,000?
                raise problem from None
        if not math.isfinite(number):
            raise FormError(name, "not_finite", f"{typed!r} is not a finite number")
        if kind == "integer":
            if not float(number).is_integer():
                raise FormError(name, "not_whole", f"{typed!r} is not a whole number")
            return int(number)
        return int(number) if float(number).is_integer() and abs(number) < 2 ** 53 else number
    if kind == "yesno":
        if type(typed) is bool:
            return typed
        word = str(typed).strip().lower()
        if word in _YES:
            return True
        if word in _NO:
            return False
        raise FormError(name, "not_yes_no", f"{typed!r} is not yes or no")
    text = str(typed).strip() if kind != "text" else str(typed).strip()
    if kind == "choice":
        for option in question.options:
            if text == option.value or text.lower() in {v.strip().lower()
                                                        for v in option.label.values()}:
                return option.value
        raise FormError(name, "not_an_option", f"{typed!r} is not one of the options")
    problem = value_problem(question, text)
    if problem:
        raise FormError(name, problem, f"{typed!r}: {problem.replace('_', ' ')}")
    return text


# --------------------------------------------------------------------------- notebooks
def _cell_by_grade_id(nb: Mapping) -> dict[str, int]:
    return {g["grade_id"]: i for i, c in enumerate(nb.get("cells", []))
            if (g := _nbgrader(c)).get("grade_id")}


def fill_notebook(nb: Mapping, values: Mapping[str, Any],
                  reflections: Mapping[str, str | None] | None = None) -> dict:
    """A copy of ``nb`` (a released notebook, as a dict or a ``NotebookNode``) with the
    answers written: each value as ``name = <literal>`` (:func:`answer_source`, below the
    cell's comment lines, which stay), each
    reflection as escaped markdown (:func:`reflection_markdown`; None or "" leaves nbgrader's
    blank). Names not given keep what the cell holds; an unknown name raises
    :class:`FormError`.
    """
    out = copy.deepcopy(nb)
    reflections = reflections or {}
    items = {i.name: i for i in form_items(out) if not isinstance(i, Text)}
    for name in [*values, *reflections]:
        if name not in items:
            raise FormError(name, "unknown_answer", "the notebook has no answer of this name")
    for name, value in values.items():
        item = items[name]
        if isinstance(item, Reflection):
            raise FormError(name, "not_a_value", "a reflection is written as text")
        cell = out["cells"][item.cell]
        comments = []
        for line in _source(cell).split("\n"):  # the comment lines above the assignment
            if not line.strip().startswith("#"):
                break
            comments.append(line)
        written = "\n".join([*comments, answer_source(name, value)])
        if not check_answer_cell(written, name).safe:  # never write what is not a plain value
            raise FormError(name, "not_literal", "the answer could not be written as a value")
        cell["source"] = written
    for name, text in reflections.items():
        item = items[name]
        if not isinstance(item, Reflection):
            raise FormError(name, "not_a_reflection", "this answer is a value, not a text")
        out["cells"][item.cell]["source"] = reflection_markdown(text) if text else TEXT_STUB
    return out


def blank_values(nb: Mapping) -> dict[str, None]:
    """Every value question's name, unanswered (what a released notebook holds)."""
    return {q.name: None for q in questions(nb)}


def read_values(nb: Mapping) -> tuple[dict[str, Any], list[str]]:
    """The values in a notebook's answer cells, read with :mod:`ast` and never executed.

    Returns ``(values, problems)``: every question's value (None when blank, unreadable or of
    the wrong type) and short problems such as ``savings: wrong_type``.
    """
    values: dict[str, Any] = {}
    problems: list[str] = []
    cells = nb.get("cells", [])
    for question in questions(nb):
        check = check_answer_cell(_source(cells[question.cell]), question)
        values[question.name] = check.value if check.ok else None
        if not check.ok and check.code != "empty":
            problems.append(f"{question.name}: {check.code}")
    return values, problems


def _solution_region(source: str) -> str | None:
    lines = source.split("\n")
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == _BEGIN)
        end = next(i for i, line in enumerate(lines) if line.strip() == _END and i > start)
    except StopIteration:
        return None
    return "\n".join(lines[start + 1:end])


def model_values(source_nb: Mapping) -> dict[str, Any]:
    """The model answers of a SOURCE notebook (what its solution regions assign)."""
    out = {}
    cells = source_nb.get("cells", [])
    for question in questions(source_nb):
        region = _solution_region(_source(cells[question.cell]))
        check = check_answer_cell(region or "", question)
        if not check.ok:
            raise FormError(question.name, "bad_model",
                            f"the solution region must assign a value ({check.code})")
        out[question.name] = check.value
    return out


def model_reflections(source_nb: Mapping) -> dict[str, str]:
    """The model texts of a SOURCE notebook's reflections (their solution regions)."""
    cells = source_nb.get("cells", [])
    return {r.name: (_solution_region(_source(cells[r.cell])) or "").strip()
            for r in reflections(source_nb)}


def read_reflections(nb: Mapping) -> dict[str, str | None]:
    """Each reflection's text as the person wrote it (None when left blank)."""
    cells = nb.get("cells", [])
    out: dict[str, str | None] = {}
    for r in reflections(nb):
        source = _source(cells[r.cell]).strip()
        out[r.name] = None if source in ("", TEXT_STUB) else reflection_text(source)
    return out


# --------------------------------------------------------------------------- markdown
_PUNCTUATION = set(string.punctuation)


def reflection_markdown(text: str) -> str:
    """A person's text as markdown that renders as exactly that text: every ASCII punctuation
    mark is backslash-escaped (so no HTML, link, image, heading or maths can form), leading
    spaces are dropped (no code block), and each line break is kept as a hard break.

    >>> reflection_markdown("I saved ₱5,000 *this* month.\\n<img src=x>").split("\\n")
    ['I saved ₱5\\\\,000 \\\\*this\\\\* month\\\\.  ', '\\\\<img src\\\\=x\\\\>']
    """
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    escaped = ["".join("\\" + ch if ch in _PUNCTUATION else ch for ch in line.strip())
               for line in lines]
    out = []
    for i, line in enumerate(escaped):
        nxt = escaped[i + 1] if i + 1 < len(escaped) else ""
        out.append(line + ("  " if line and nxt else ""))
    return "\n".join(out).strip("\n")


def reflection_text(markdown: str) -> str:
    """The text :func:`reflection_markdown` wrote (for a form that re-opens a notebook).

    >>> t = "Ben & I: 50/50 <fair>?\\nYes!"
    >>> reflection_text(reflection_markdown(t)) == t
    True
    """
    lines = str(markdown).split("\n")
    out = []
    for line in lines:
        line = line[:-2] if line.endswith("  ") else line
        out.append(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", line))
    return "\n".join(out)


# --------------------------------------------------------------------------- the pre-check
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod)


def _arithmetic(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return _is_number(node.value)
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.USub | ast.UAdd) and _arithmetic(node.operand)
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, _ARITHMETIC) and _arithmetic(node.left) \
            and _arithmetic(node.right)
    return False


def is_arithmetic(source: str) -> bool:
    """True when ``source`` holds only arithmetic on numbers (a scratch cell's calculations):
    no names, calls, powers or anything else; comments and blank lines allowed.

    >>> is_arithmetic("# for example\\n3 * 45_000 + 8_000\\n(12_000 + 750) / 100")
    True
    >>> [is_arithmetic(s) for s in ("2 ** 10 ** 10", "x = 5", "abs(-5)", "!ls", "")]
    [False, False, False, False, True]
    """
    if type(source) is not str or len(source) > MAX_CELL_CHARS:
        return False
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    if _ipython_changes(source):
        return False
    return all(isinstance(s, ast.Expr) and _arithmetic(s.value) for s in tree.body)


def check_submission(submitted: Mapping, release: Mapping) -> list[Problem]:
    """Why ``submitted`` must not be run, compared with the ``release`` notebook it came from
    (an empty list: it holds nothing but values and the release's own cells).

    Every code cell of the submission must be one of:

    - an answer cell of the release (same ``grade_id``) holding one literal assignment of its
      name (:func:`check_answer_cell`; a value of the wrong type is graded, not refused);
    - a scratch cell of the release (unlocked, neither an answer nor a check) holding only
      arithmetic on numbers (:func:`is_arithmetic`);
    - any other code cell of the release (same ``grade_id``), unchanged;
    - a cell with no code (blank or comments only), e.g. one she added by mistake.

    Also refused: a cell of the release turned into a code cell, two cells with one
    ``grade_id``, and a changed kernel. A markdown cell never runs and is not checked here.
    Problems name the cell and why (``code``): the unsafe :class:`CellCheck` codes,
    ``changed_cell``, ``not_arithmetic`` (a scratch cell holding more than arithmetic),
    ``extra_code``, ``cell_type_changed``, ``duplicate_cell``, ``kernel_changed``,
    ``not_a_notebook``. (Edited grading settings, deleted checks and the like are nbgrader's
    business, and the grading batch's own pre-check.)
    """
    problems: list[Problem] = []
    cells = submitted.get("cells") if isinstance(submitted, Mapping) else None
    release_cells = release.get("cells") if isinstance(release, Mapping) else None
    if not isinstance(release_cells, list):
        raise FormError("release", "not_a_notebook", "the release is not a notebook")
    if not isinstance(cells, list) or not all(isinstance(c, Mapping) for c in cells):
        return [Problem(-1, None, "not_a_notebook", "the file is not a notebook")]
    by_id = {}
    for cell in release_cells:
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id:
            by_id[grade_id] = cell
    kernel = ((release.get("metadata") or {}).get("kernelspec") or {}).get("name")
    given = ((submitted.get("metadata") or {}).get("kernelspec") or {}).get("name")
    if kernel and given != kernel:
        problems.append(Problem(-1, None, "kernel_changed",
                                f"the notebook asks for the kernel {given!r}, not {kernel!r}"))
    seen: set[str] = set()
    for index, cell in enumerate(cells):
        grade_id = _nbgrader(cell).get("grade_id")
        if grade_id in seen:
            problems.append(Problem(index, grade_id, "duplicate_cell",
                                    "two cells have this grade_id"))
        if grade_id:
            seen.add(grade_id)
        if cell.get("cell_type") != "code":
            continue
        source = _source(cell)
        original = by_id.get(grade_id) if grade_id else None
        if original is None:
            if check_answer_cell(source, "_").code != "empty":
                problems.append(Problem(index, grade_id, "extra_code",
                                        "a code cell that is not part of the assignment"))
            continue
        if original.get("cell_type") != "code":
            problems.append(Problem(index, grade_id, "cell_type_changed",
                                    "a text cell of the assignment was turned into code"))
            continue
        meta = _answer_meta(original)
        if meta is not None:
            question = question_from_metadata(meta, grade_id, index)
            check = check_answer_cell(source, question)
            if not check.safe:
                problems.append(Problem(index, grade_id, check.code,
                                        f"the answer {question.name} is not a plain value"))
        elif source.rstrip("\n") == _source(original).rstrip("\n"):
            continue
        elif not (_nbgrader(original).get("locked") or _nbgrader(original).get("grade")
                  or _nbgrader(original).get("solution")):
            if not is_arithmetic(source):
                problems.append(Problem(index, grade_id, "not_arithmetic",
                                        "a scratch cell may hold only arithmetic on numbers"))
        else:
            problems.append(Problem(index, grade_id, "changed_cell",
                                    "a cell of the assignment was changed"))
    return problems


# --------------------------------------------------------------------------- authoring
def _nbgrader_meta(grade_id: str, *, grade: bool, solution: bool, locked: bool,
                   points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution}
    if points is not None:
        meta["points"] = points
    return meta


def source_answer_cell(grade_id: str, answer: Mapping[str, Any], model: Any,
                       comment: str = "") -> dict:
    """An answer cell for a SOURCE notebook: ``name = None``, then the model answer inside
    nbgrader's solution markers (released as ``name = None``). ``comment`` (one or more
    lines) goes above as ``# ...`` lines, for a person who answers in JupyterLab.

    >>> print(source_answer_cell("fee-answer", {"name": "fee", "kind": "money",
    ...       "currency": "PHP", "label": {"en": "The fee"}}, 250)["source"])
    fee = None
    ### BEGIN SOLUTION
    fee = 250
    ### END SOLUTION
    """
    question = question_from_metadata(answer, grade_id)
    if isinstance(question, Reflection):
        raise FormError(question.name, "not_a_value", "use source_reflection_cell")
    check = check_answer_cell(answer_source(question.name, model), question)
    if not check.ok or value_problem(question, model):
        raise FormError(question.name, "bad_model",
                        f"the model answer {model!r} does not fit the question")
    return {
        "cell_type": "code", "execution_count": None, "id": grade_id, "outputs": [],
        "metadata": {"homeward": {"answer": dict(answer)},
                     "nbgrader": _nbgrader_meta(grade_id, grade=False, solution=True,
                                                locked=False)},
        "source": "".join(f"# {line}\n" for line in comment.splitlines() if line.strip())
                  + f"{question.name} = None\n{_BEGIN}\n"
                  f"{answer_source(question.name, model)}\n{_END}",
    }


def source_reflection_cell(grade_id: str, answer: Mapping[str, Any], model: str,
                           points: float) -> dict:
    """A manually graded markdown answer for a SOURCE notebook, with its model text."""
    question = question_from_metadata(answer, grade_id)
    if not isinstance(question, Reflection):
        raise FormError(question.name, "not_a_reflection", "kind must be 'reflection'")
    return {
        "cell_type": "markdown", "id": grade_id,
        "metadata": {"homeward": {"answer": dict(answer)},
                     "nbgrader": _nbgrader_meta(grade_id, grade=True, solution=True,
                                                locked=False, points=points)},
        "source": f"{_BEGIN}\n{model.strip()}\n{_END}",
    }
