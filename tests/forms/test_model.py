"""The answer-form format (widgets/forms/model.py): metadata, literals, notebooks, the pre-check,
and what nbgrader's generate_assignment makes of an answer cell."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from widgets.forms.model import (
    TEXT_STUB,
    CellCheck,
    FormError,
    Question,
    answer_source,
    blank_values,
    check_answer_cell,
    check_submission,
    fill_notebook,
    form_items,
    model_reflections,
    model_values,
    parse_answer,
    question_from_metadata,
    questions,
    read_reflections,
    read_values,
    reflection_markdown,
    reflection_text,
    source_answer_cell,
    source_reflection_cell,
    value_problem,
)

LABEL = {"en": "Question", "fil": "Tanong", "id": "Pertanyaan"}
KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def source_notebook() -> dict:
    """A small source assignment in the format: four answers, a check, a reflection."""
    nbg = {"grade": False, "grade_id": "intro", "locked": True, "schema_version": 3,
           "solution": False}
    check = {"grade": True, "grade_id": "saving-test", "locked": True, "points": 2,
             "schema_version": 3, "solution": False}
    return {
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": KERNEL, "language_info": {"name": "python"}},
        "cells": [
            {"cell_type": "markdown", "id": "intro", "metadata": {"nbgrader": nbg},
             "source": "# A small exercise (illustrative numbers)"},
            source_answer_cell("saving-answer", {"name": "saving", "kind": "money",
                                                 "currency": "PHP", "label": LABEL}, 14285.71),
            source_answer_cell("channel-answer", {
                "name": "channel", "kind": "choice", "label": LABEL, "options": [
                    {"value": "bank", "label": {"en": "Bank", "fil": "Bangko", "id": "Bank"}},
                    {"value": "app", "label": {"en": "Mobile app", "fil": "App",
                                               "id": "Aplikasi"}}]}, "bank"),
            source_answer_cell("lawful-answer", {"name": "lawful", "kind": "yesno",
                                                 "label": LABEL}, False),
            source_answer_cell("note-answer", {"name": "note", "kind": "text",
                                               "label": LABEL}, "ask the PESO"),
            {"cell_type": "code", "execution_count": None, "id": "saving-test", "outputs": [],
             "metadata": {"nbgrader": check},
             "source": '"""Checks the saving (2 points)."""\n'
                       "TYPE, INT, FLOAT = ().__class__.__class__, (0).__class__, "
                       "(0.0).__class__\n"
                       "assert TYPE(saving) is INT or TYPE(saving) is FLOAT, "
                       "'Write a number.'\n"
                       "### BEGIN HIDDEN TESTS\n"
                       "assert -0.01 <= saving - 100_000 / 7 <= 0.01, 'Divide 100,000 by 7.'\n"
                       "### END HIDDEN TESTS"},
            source_reflection_cell("plan", {"name": "plan", "kind": "reflection",
                                            "label": LABEL}, "*Model answer.*", points=3),
        ],
    }


def _src(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def release_of(nb: dict) -> dict:
    """What generate_assignment does to the cells (ClearSolutions with Homeward's empty code
    stub, then the hidden tests removed), in-process."""
    import nbformat
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    node = nbformat.reads(json.dumps(nb), as_version=4)
    node, resources = ClearSolutions(code_stub={"python": ""}).preprocess(node, {})
    node, _ = ClearHiddenTests().preprocess(node, resources)
    return json.loads(nbformat.writes(node))


# ---------------------------------------------------------------------------- metadata
def test_form_items_in_order():
    items = form_items(source_notebook())
    kinds = [getattr(i, "kind", "text") for i in items]
    assert kinds == ["text", "money", "choice", "yesno", "text", "reflection"]
    plan = items[-1]
    assert plan.points == 3 and plan.grade_id == "plan"
    assert questions(source_notebook())[1].option_values() == ("bank", "app")


@pytest.mark.parametrize("meta, code", [
    ({"name": "1x", "kind": "money", "label": LABEL}, "bad_name"),
    ({"name": "_x", "kind": "money", "label": LABEL}, "bad_name"),
    ({"name": "x", "kind": "float", "label": LABEL}, "bad_kind"),
    ({"name": "x", "kind": "money", "label": LABEL}, "bad_currency"),
    ({"name": "x", "kind": "money", "currency": "EUR", "label": LABEL}, "bad_currency"),
    ({"name": "x", "kind": "number", "currency": "PHP", "label": LABEL}, "bad_currency"),
    ({"name": "x", "kind": "number", "label": {"fil": "Tanong"}}, "no_english"),
    ({"name": "x", "kind": "number", "label": {"en": "Q", "xx": "?"}}, "bad_language"),
    ({"name": "x", "kind": "choice", "label": LABEL,
      "options": [{"value": "a", "label": "A"}, {"value": "a", "label": "B"}]}, "bad_option"),
    ({"name": "x", "kind": "choice", "label": LABEL,
      "options": [{"value": 1, "label": "A"}, {"value": "b", "label": "B"}]}, "bad_option"),
    ({"name": "x", "kind": "number", "label": LABEL, "min": 5, "max": 1}, "bad_min"),
    ({"name": "x", "kind": "number", "label": LABEL, "min": "0"}, "bad_min"),
    ({"name": "x", "kind": "number", "label": LABEL, "colour": "red"}, "unknown_key"),
])
def test_bad_metadata_is_named(meta, code):
    with pytest.raises(FormError) as err:
        question_from_metadata(meta)
    assert err.value.code == code


def test_two_answers_with_one_name_are_refused():
    nb = source_notebook()
    nb["cells"][2]["metadata"]["homeward"]["answer"]["name"] = "saving"
    with pytest.raises(FormError, match="two answers"):
        questions(nb)


# ---------------------------------------------------------------------------- literals
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**15, 10**15),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=200))


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_every_value_written_reads_back_as_itself(value):
    source = answer_source("answer", value)
    check = check_answer_cell(source, "answer")
    assert check.ok and check.safe, (source, check)
    assert type(check.value) is type(value) or (type(value) is float and value.is_integer())
    assert check.value == value or (math.isnan(value) if type(value) is float else False)
    assert json.loads(json.dumps(source)) == source


HOSTILE = [
    "__import__('os').system('touch /tmp/pwned')",
    "'; import os; os.system('id'); '",
    '"""\nimport os\n"""',
    "x\nimport os",
    "\\' + __import__('os').getcwd() + \\'",
    "!cat /etc/passwd",
    "%%bash\nid",
    "{0.__class__}",
    "<script>alert(1)</script>",
    "\x00\x1b[31m",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_text_stays_a_string(text):
    source = answer_source("note", text)
    check = check_answer_cell(source, "note")
    assert check.ok and check.value == text
    namespace: dict = {}
    exec(compile(source, "answer", "exec"), namespace)  # what the kernel does with it
    assert namespace["note"] == text


@pytest.mark.parametrize("source, code", [
    ("saving = 100000 / 7", "not_literal"),
    ("saving = round(14285.714, 2)", "not_literal"),
    ("saving = -(-5)", "not_literal"),
    ("saving = [14285.71]", "not_literal"),
    ("saving = {'a': 1}", "not_literal"),
    ("saving = (1,)", "not_literal"),
    ("saving = b'1'", "not_literal"),
    ("saving = ...", "not_literal"),
    ("saving = f'{1}'", "not_literal"),
    ("saving = [i for i in range(3)]", "not_literal"),
    ("saving = lambda: 1", "not_literal"),
    ("saving = other", "not_literal"),
    ("saving = 1; import os", "not_one_statement"),
    ("import builtins\nsaving = 1", "not_one_statement"),
    ("saving: float = 1.0", "not_assignment"),
    ("saving += 1", "not_assignment"),
    ("saving = other = 1", "not_assignment"),
    ("(saving := 1)", "not_assignment"),
    ("saving, x = 1, 2", "wrong_name"),
    ("savings = 1", "wrong_name"),
    ("x.saving = 1", "wrong_name"),
    ("saving = ", "syntax"),
    ("saving = 5,000", "comma"),
    ("saving = 5.000,50", "comma"),
    ("saving = 5, x", "not_literal"),
    ("!rm -rf /", "syntax"),
    ("%time saving = 1", "syntax"),
    ("saving = 1?", "syntax"),
    ("saving = '1'\x00", "syntax"),
    ("saving = " + "(" * 500 + "1" + ")" * 500, "syntax"),
    ("saving = 1" + " " * 20_000, "too_long"),
    ("saving = '14285.71'", "wrong_type"),
    ("saving = True", "wrong_type"),
    ("saving = 1e999", "not_finite"),
    ("", "empty"),
    ("# saving = 1\n\n", "empty"),
])
def test_what_is_not_a_plain_value(source, code):
    question = questions(source_notebook())[0]
    check = check_answer_cell(source, question)
    assert check.code == code, (source, check)
    assert check.safe == (code in ("wrong_type", "not_finite", "empty", "comma"))


def test_ipython_line_magics_hidden_in_valid_python_are_refused():
    """IPython runs ``!cmd`` and ``%magic`` lines as code; a cell that IPython would change is
    refused even when ``ast`` can read it (here the magic is on its own line after a value)."""
    assert check_answer_cell("saving = 1\n", "saving").ok
    for source in ("saving = 1\n!id", "saving = 1\n%env X=1", "    saving = 1", ">>> saving = 1"):
        assert not check_answer_cell(source, "saving").ok, source


def test_kinds_and_their_types():
    nb = source_notebook()
    saving, channel, lawful, note = questions(nb)
    assert check_answer_cell("channel = 'bank'", channel).ok
    assert check_answer_cell("channel = 1", channel).code == "wrong_type"
    assert check_answer_cell("lawful = False", lawful).ok
    assert check_answer_cell("lawful = 0", lawful).code == "wrong_type"
    assert check_answer_cell("saving = -250", saving).ok
    assert value_problem(channel, "cash") == "not_an_option"
    assert value_problem(note, "x" * 301) == "too_long"
    when = question_from_metadata({"name": "when", "kind": "date", "label": LABEL})
    assert [value_problem(when, d) for d in ("2026-03-01", "2026-02-30", "1/3/2026")] == [
        None, "bad_date", "bad_date"]


def test_parse_answer_reads_each_language():
    saving, channel, lawful, note = questions(source_notebook())
    assert parse_answer(saving, "14,285.72", "en") == 14285.72
    assert parse_answer(saving, "14.285,72", "id") == 14285.72
    assert parse_answer(saving, "₱ 5,000", "fil") == 5000
    assert type(parse_answer(saving, "5,000", "en")) is int
    assert parse_answer(channel, "Bangko", "fil") == "bank"
    assert parse_answer(lawful, "Hindi", "fil") is False
    assert parse_answer(note, "  ask the PESO ", "en") == "ask the PESO"
    for bad, code in (("five", "not_a_number"), ("30.000", None)):
        try:
            parse_answer(saving, bad, "en")
        except FormError as err:
            assert code is None or err.code == code
    with pytest.raises(FormError) as err:
        parse_answer(channel, "cash")
    assert err.value.code == "not_an_option"


# ---------------------------------------------------------------------------- notebooks
def test_release_cells_are_plain_none_assignments_that_run():
    release = release_of(source_notebook())
    for question in questions(release):
        source = _src(release["cells"][question.cell])
        assert source.strip() == f"{question.name} = None"
        assert check_answer_cell(source, question) == CellCheck("empty") or \
            check_answer_cell(source, question).value is None
    namespace: dict = {}
    for cell in release["cells"]:
        if cell["cell_type"] == "code" and not cell["metadata"]["nbgrader"]["grade"]:
            exec(_src(cell), namespace)  # blank answers run without an error
    assert read_values(release) == (blank_values(release), [])
    assert read_reflections(release) == {"plan": None}
    assert _src(release["cells"][-1]) == TEXT_STUB


def test_model_answers_fill_and_read_back():
    source = source_notebook()
    model = model_values(source)
    assert model == {"saving": 14285.71, "channel": "bank", "lawful": False,
                     "note": "ask the PESO"}
    assert model_reflections(source) == {"plan": "*Model answer.*"}
    filled = fill_notebook(release_of(source), model, {"plan": "Ben & I <decide>"})
    assert read_values(filled) == (model, [])
    assert read_reflections(filled) == {"plan": "Ben & I <decide>"}
    assert check_submission(filled, release_of(source)) == []


def test_fill_notebook_keeps_the_comment_a_person_reads():
    nb = source_notebook()
    nb["cells"][1] = source_answer_cell("saving-answer", nb["cells"][1]["metadata"]["homeward"][
        "answer"], 14285.71, comment="What must she save each month? (pesos)")
    release = release_of(nb)
    assert _src(release["cells"][1]).startswith("# What must she save each month? (pesos)\n")
    filled = fill_notebook(release, {"saving": 5})
    assert filled["cells"][1]["source"] == "# What must she save each month? (pesos)\nsaving = 5"
    assert read_values(filled)[0]["saving"] == 5


def test_fill_notebook_refuses_unknown_names_and_wrong_places():
    release = release_of(source_notebook())
    with pytest.raises(FormError, match="no answer of this name"):
        fill_notebook(release, {"nope": 1})
    with pytest.raises(FormError):
        fill_notebook(release, {"plan": 1})
    with pytest.raises(FormError):
        fill_notebook(release, {}, {"saving": "text"})
    assert fill_notebook(release, {}, {"plan": ""})["cells"][-1]["source"] == TEXT_STUB


def test_read_values_reports_what_it_could_not_use():
    filled = fill_notebook(release_of(source_notebook()), {"saving": "5000", "lawful": True})
    values, problems = read_values(filled)
    assert values["saving"] is None and values["lawful"] is True
    assert problems == ["saving: wrong_type"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_reflection_text_round_trip(text):
    expected = "\n".join(line.strip() for line in
                         text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip("\n")
    assert reflection_text(reflection_markdown(text)) == expected


# ---------------------------------------------------------------------------- the pre-check
def _codes(submitted, release):
    return [p.code for p in check_submission(submitted, release)]


def test_check_submission_refuses_code_and_tampering():
    release = release_of(source_notebook())
    honest = fill_notebook(release, {"saving": 14285.72, "channel": "app", "note": "x"})
    assert _codes(honest, release) == []

    cheat = json.loads(json.dumps(honest))
    cheat["cells"][1]["source"] = "import builtins\nbuiltins.abs = lambda x: 0\nsaving = 1"
    assert _codes(cheat, release) == ["not_one_statement"]

    cheat = json.loads(json.dumps(honest))
    cheat["cells"][1]["metadata"] = {}  # a cell nbgrader does not know runs as it is
    assert _codes(cheat, release) == ["extra_code"]

    cheat = json.loads(json.dumps(honest))
    cheat["cells"][5]["source"] = '"""Checks the saving (2 points)."""\npass'
    assert _codes(cheat, release) == ["changed_cell"]

    cheat = json.loads(json.dumps(honest))
    cheat["cells"].insert(2, {"cell_type": "code", "metadata": {}, "outputs": [],
                              "execution_count": None, "source": "import os"})
    assert _codes(cheat, release) == ["extra_code"]
    cheat["cells"][2]["source"] = "# a note to myself\n"
    assert _codes(cheat, release) == []

    cheat = json.loads(json.dumps(honest))
    cheat["cells"].append(json.loads(json.dumps(cheat["cells"][1])))
    assert _codes(cheat, release) == ["duplicate_cell"]

    cheat = json.loads(json.dumps(honest))
    cheat["cells"][-1]["cell_type"] = "code"
    cheat["cells"][-1]["source"] = "import os"
    assert _codes(cheat, release) == ["cell_type_changed"]

    cheat = json.loads(json.dumps(honest))
    cheat["metadata"]["kernelspec"]["name"] = "bash"
    assert _codes(cheat, release) == ["kernel_changed"]

    cheat = json.loads(json.dumps(honest))
    cheat["cells"][5]["metadata"]["nbgrader"]["grade_id"] = "new-id"
    assert _codes(cheat, release) == ["extra_code"]

    assert _codes({"cells": "x"}, release) == ["not_a_notebook"]
    assert _codes({"cells": ["x"]}, release) == ["not_a_notebook"]
    assert _codes({"nope": 1}, release) == ["not_a_notebook"]


def test_wrong_types_are_graded_not_refused():
    release = release_of(source_notebook())
    filled = fill_notebook(release, {"saving": "14285.71", "lawful": "no"})
    assert _codes(filled, release) == []


def test_the_question_record_is_frozen():
    q = questions(source_notebook())[0]
    assert isinstance(q, Question)
    with pytest.raises(AttributeError):
        q.name = "other"  # type: ignore[misc]


def test_the_review_list_agrees_with_the_notebooks():
    """exercises/REVIEW.md lists every returnee-track form and what its notebook says."""
    from pathlib import Path

    from widgets.forms.model import translation_status

    root = Path(__file__).resolve().parents[2] / "exercises"
    listed = {}
    for line in (root / "REVIEW.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0] not in ("assignment", "---"):
            listed[cells[0]] = {"fil": cells[1], "id": cells[2]}
    forms = sorted(p.name for p in root.iterdir()
                   if p.is_dir() and not p.name.startswith("seminar_"))
    missing = sorted(set(forms) - set(listed))
    assert not missing, f"add a row for each of {missing} to exercises/REVIEW.md"
    assert sorted(listed) == forms, "exercises/REVIEW.md lists folders that do not exist"
    for name in forms:
        nb = json.loads((root / name / f"{name}.ipynb").read_text())
        assert translation_status(nb) == listed[name], f"{name}: REVIEW.md and the notebook differ"


def test_a_scratch_cell_may_hold_arithmetic_only():
    """An unlocked calculator cell (as a lesson author may leave for JupyterLab users)."""
    nb = source_notebook()
    scratch = {"cell_type": "code", "execution_count": None, "id": "try-it", "outputs": [],
               "metadata": {"nbgrader": {"grade": False, "grade_id": "try-it", "locked": False,
                                         "schema_version": 3, "solution": False}},
               "source": "# for example: 3 * 45_000 + 8_000"}
    nb["cells"].append(scratch)
    release = release_of(nb)
    for typed, codes in (("3 * 45_000 + 8_000", []), ("(12_000 + 750) / 100\n-5 % 3", []),
                         ("import os", ["not_arithmetic"]), ("2 ** 99999999", ["not_arithmetic"]),
                         ("x = 3", ["not_arithmetic"]), ("!ls", ["not_arithmetic"])):
        filled = json.loads(json.dumps(release))
        filled["cells"][-1]["source"] = typed
        assert _codes(filled, release) == codes, typed


def _returnee_forms():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "exercises"
    return [(p.name, json.loads((p / f"{p.name}.ipynb").read_text()))
            for p in sorted(root.iterdir())
            if p.is_dir() and not p.name.startswith("seminar_")]


def _has_words(text: str) -> bool:
    import re

    return bool(re.search(r"[A-Za-z]{3}", text))


@pytest.mark.parametrize("name,nb", _returnee_forms(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_paragraph_of_a_returnee_form_is_in_filipino_and_indonesian(name, nb):
    """A Filipino or Indonesian reader sees no English case text, question, help or option:
    every text the form shows has its own fil and id version (not a copy of the English),
    except names that stay as they are (programmes, people, the languages' own names)."""
    from widgets.forms.model import Question, Reflection, Text, form_items

    untranslated = []
    for item in form_items(nb):
        if isinstance(item, Text):
            english = item.source
            for lang in ("fil", "id"):
                shown = item.text(lang)
                if _has_words(english) and (not item.translations.get(lang)
                                            or shown.strip() == english.strip()):
                    untranslated.append(f"cell {item.cell} ({lang}): {english[:60]!r}")
        elif isinstance(item, (Question, Reflection)):
            for what in ("label", "help"):
                english = item.text(what, "en")
                for lang in ("fil", "id"):
                    if english and _has_words(english) and item.text(what, lang) == english:
                        untranslated.append(f"{item.name} {what} ({lang}): {english[:60]!r}")
    assert not untranslated, f"{name}: untranslated form texts:\n" + "\n".join(untranslated)


def test_the_untranslated_paragraph_check_fails_on_an_english_paragraph():
    """The check above is not vacuous: a case text without translations is found."""
    from widgets.forms.model import Text

    name, nb = _returnee_forms()[4]
    broken = json.loads(json.dumps(nb))
    cell = next(c for c in broken["cells"] if c["cell_type"] == "markdown"
                and "text" in c["metadata"].get("homeward", {}))
    del cell["metadata"]["homeward"]["text"]
    with pytest.raises(AssertionError, match="untranslated form texts"):
        test_every_paragraph_of_a_returnee_form_is_in_filipino_and_indonesian(name, broken)
    assert Text("x").text("fil") == "x"
