"""The answer-form app without a browser (ipywidgets in process): every exercise opens as a
form with the right input per kind, boxes answer at once, Hand in writes a notebook that holds
only values and passes the grader's pre-check, drafts survive a reload, names are a whitelist.
"""

from __future__ import annotations

import ast
import datetime as dt
import json

import ipywidgets as W
import pytest

from widgets.forms.handin import (
    EXERCISES,
    Drafts,
    FolderReleases,
    handin_filename,
    release_of,
    safe_name,
)
from widgets.forms.model import (
    TEXT_STUB,
    check_submission,
    questions,
    read_reflections,
    read_values,
)
from widgets.forms.view import AnswerForm, form_list_html, simulator_plan

HOSTILE = "__import__('os').system('id')\"; '''\n<script>alert(1)</script> \\ end"


@pytest.fixture(scope="module")
def releases():
    return FolderReleases(EXERCISES, source=True, patterns=("ee*", "fam*", "checkin_*",
                                                             "seminar_*"))


@pytest.fixture
def drafts(tmp_path):
    return Drafts(tmp_path / "drafts")


def _source(name: str) -> dict:
    return json.loads(next((EXERCISES / name).glob("*.ipynb")).read_text())


def type_value(form: AnswerForm, name: str, value) -> None:
    """What she does in the form: taps an option or button, picks a date, types a number the
    way her language writes it, types a text."""
    from widgets.money import format_number

    widget = form._inputs[name]
    q = form.questions.get(name)
    if value is None:
        return
    if isinstance(widget, W.DatePicker):
        widget.value = dt.date.fromisoformat(value)
    elif isinstance(widget, (W.RadioButtons, W.Dropdown, W.ToggleButtons)):
        widget.value = value
    elif q is not None and q.kind in ("money", "number", "percent", "integer"):
        if q.kind == "integer" or float(value).is_integer():
            digits = 0
        elif q.kind == "money":
            digits = 2
        else:
            digits = min(6, len(repr(float(value)).split(".")[1]))
        widget.value = format_number(value, form.language, digits) if q.kind != "integer" \
            else str(int(value))
    else:
        widget.value = value


def test_every_assignment_is_listed_and_names_are_a_whitelist(releases):
    names = releases.names()
    assert len(names) == 23 and "ee03_saving" in names and "checkin_m12" in names
    for bad in ("../exercises", "ee03_saving/../../etc", "/etc/passwd", "ee03 saving", "", None):
        assert safe_name(bad) is None or bad not in names
        with pytest.raises(ValueError):
            releases.release(bad)
    page = form_list_html(releases, "fil", unknown="../../etc/passwd")
    assert "../../etc" not in page and "ee03_saving" in page and "role='alert'" in page


def test_a_release_has_no_solution_and_no_hidden_test(releases):
    for name in releases.names():
        text = json.dumps(releases.release(name))
        assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, name
        assert "HIDDEN TESTS" in json.dumps(release_of(_source(name), hidden=True)) or \
            "HIDDEN TESTS" not in json.dumps(_source(name))
        for q in questions(releases.release(name)):
            cell = releases.release(name)["cells"][q.cell]
            assert "".join(cell["source"]).rstrip().endswith(f"{q.name} = None"), (name, q.name)


@pytest.mark.parametrize("name", ["ee03_saving", "checkin_m03", "ee12_reintegration_plan",
                                  "seminar_action_plan", "fam1_money_decisions"])
def test_each_kind_gets_its_input(releases, drafts, name):
    form = AnswerForm(releases, name, language="fil", drafts=drafts)
    expected = {"choice": (W.RadioButtons, W.Dropdown), "yesno": (W.ToggleButtons,),
                "date": (W.DatePicker,), "money": (W.Text,), "number": (W.Text,),
                "integer": (W.Text,), "percent": (W.Text,), "text": (W.Text,)}
    for q in form.questions.values():
        widget = form._inputs[q.name]
        assert isinstance(widget, expected[q.kind]), (q.name, q.kind, type(widget))
        assert q.text("label", "fil") in widget.description  # her language, on the box itself
        if q.kind == "choice":
            labels = [label for label, value in widget.options if value is not None]
            assert labels == [o.text("fil") for o in q.options]
    for r in form.reflections.values():
        assert isinstance(form._inputs[r.name], W.Textarea)
    # no code anywhere on the page
    texts = " ".join(box.value for box, _item in form._texts)
    assert "= None" not in texts and "assert " not in texts


def test_checks_answer_at_once_in_her_language(releases, drafts):
    form = AnswerForm(releases, "ee03_saving", language="id", drafts=drafts)
    box = form._inputs["difference"]
    box.value = "abc"
    assert "Ini bukan angka" in form._errors["difference"].value
    box.value = "30.000,5"  # Indonesian: thirty thousand and a half
    assert form.values["difference"] == 30000.5 and form._errors["difference"].value == ""
    english = AnswerForm(releases, "ee03_saving", language="en", drafts=drafts)
    english._inputs["difference"].value = "30.000"  # thousands or 30? she is asked
    assert "Did you mean" in english._errors["difference"].value
    row, _hint, yes = english._asks["difference"]
    assert row.layout.display == "flex"
    yes.click()
    assert english.values["difference"] == 30000 and "difference" not in english.problems


def test_out_of_bounds_is_said_at_once_but_still_handed_in(releases, drafts):
    form = AnswerForm(releases, "checkin_m03", language="en", drafts=drafts)
    bounded = [q for q in form.questions.values() if q.kind == "integer" and q.min is not None]
    assert bounded, "the check-in has bounded counts"
    q = bounded[0]
    form._inputs[q.name].value = str(int(q.min) - 5)
    assert form.problems[q.name] == "below_min"
    assert "less than any answer" in form._errors[q.name].value
    form.person.value = "P01"
    assert form.hand_in()
    values, _ = read_values(json.loads(form.handed_in[1]))
    assert values[q.name] == int(q.min) - 5  # the grader decides


def test_hand_in_writes_values_and_escaped_texts_only(releases, drafts):
    form = AnswerForm(releases, "seminar_action_plan", language="en", drafts=drafts)
    texts = [q.name for q in form.questions.values() if q.kind == "text"]
    form._inputs[texts[0]].value = HOSTILE
    reflection = next(iter(form.reflections))
    form._inputs[reflection].value = HOSTILE
    assert not form.hand_in()  # no name yet: asked for it, nothing handed in
    assert "name" in form._errors["_person"].value and form.handed_in is None
    form.person.value = "Rosa Dela Cruz"
    assert form.hand_in()
    filename, data = form.handed_in
    assert filename == "seminar_action_plan-Rosa_Dela_Cruz.ipynb"
    nb = json.loads(data)
    release = releases.release("seminar_action_plan")
    assert check_submission(nb, release) == []
    values, problems = read_values(nb)
    assert values[texts[0]] == HOSTILE and problems == []
    cell = nb["cells"][form.questions[texts[0]].cell]
    tree = ast.parse("".join(cell["source"]))
    assert len(tree.body) == 1 and isinstance(tree.body[0].value, ast.Constant)
    assert read_reflections(nb)[reflection] == HOSTILE
    assert "<script>" not in "".join(nb["cells"][form.reflections[reflection].cell]["source"])
    assert "download=" in form.download.value and filename in form.download.value
    assert nb["metadata"]["homeward"]["handin"]["assignment"] == "seminar_action_plan"


def test_blank_form_hands_in_the_release_values(releases, drafts):
    form = AnswerForm(releases, "ee01_money_cycle", language="en", drafts=drafts)
    form.person.value = "P02"
    assert form.hand_in()
    assert "without an answer" in form.status.value
    nb = json.loads(form.handed_in[1])
    values, _ = read_values(nb)
    assert set(values.values()) == {None}
    assert all(v is None for v in read_reflections(nb).values())
    assert TEXT_STUB in json.dumps(nb)


def test_a_draft_survives_a_reload_and_a_language_change(releases, drafts):
    form = AnswerForm(releases, "ee03_saving", language="en", drafts=drafts)
    form._inputs["difference"].value = "1,234.5"
    form._inputs["better_account"].value = "A"
    form.person.value = "Dewi"
    form.language_picker.value = "id"  # she switches language: the amount is written her way
    assert form._inputs["difference"].value == "1.234,50"
    again = AnswerForm(releases, "ee03_saving", language="id", drafts=drafts)  # a reload
    assert again._inputs["difference"].value == "1.234,50"
    assert again.values["difference"] == 1234.5
    assert again._inputs["better_account"].value == "A" and again.person.value == "Dewi"
    assert AnswerForm(releases, "ee04_remittances", drafts=drafts).values.get("difference") \
        is None  # one draft per assignment
    assert drafts.load("../../etc/passwd") == {}


def test_local_currency_is_hers(releases, drafts):
    form = AnswerForm(releases, "checkin_baseline", language="id", drafts=drafts)
    assert form.uses_local_currency and form.currency == "IDR"
    money = next(q for q in form.questions.values() if q.currency == "local")
    assert "Rp" in form._inputs[money.name].description
    form.currency_picker.value = "NPR"
    assert "Rp" not in form._inputs[money.name].description
    assert AnswerForm(releases, "checkin_baseline", language="id",
                      drafts=drafts).currency == "NPR"  # kept in her draft
    plain = AnswerForm(releases, "ee03_saving", language="en", drafts=drafts)
    assert plain.currency_picker.layout.display == "none"  # no local money: no picker


def test_the_simulator_opens_with_the_case_numbers(releases, drafts):
    form = AnswerForm(releases, "fam1_money_decisions", language="id", drafts=drafts)
    section = form._sections[0]
    assert not section.built
    section.open()
    app_widget = section.body.children[0]
    assert "hw-app" in app_widget._dom_classes
    plan = simulator_plan(form.questions["months_with_motorbike"].simulator["values"], "IDR")
    assert plan.personal_savings == 33_000_000 and plan.local_income == 2_500_000


def test_handin_file_names_are_safe():
    assert handin_filename("ee03_saving", "Dewi/../../x") == "ee03_saving-Dewi_x.ipynb"
    assert handin_filename("ee03_saving", "") == "ee03_saving-answers.ipynb"
    assert handin_filename("ee03_saving", "Sunita Gurung 03") == \
        "ee03_saving-Sunita_Gurung_03.ipynb"
