"""The answer-form format through real nbgrader commands: generate_assignment releases each
answer as ``name = None`` (with Homeward's empty code stub), autograde gives the model answers
full marks and a blank form 0, and the same answers written by the form or typed by hand give
identical gradebook rows."""

from __future__ import annotations

import json

import pytest

from widgets.forms.model import (
    check_submission,
    fill_notebook,
    model_values,
    questions,
    read_values,
)

from .test_model import source_notebook

try:
    from tests.helpers.nbgrader_course import create_course
except ModuleNotFoundError:  # when tests/ is not a package
    from helpers.nbgrader_course import create_course

pytestmark = pytest.mark.slow


def typed_by_hand(release: dict, values: dict) -> dict:
    """What a person does in JupyterLab: replace ``None`` after the ``=`` by what she types."""
    nb = json.loads(json.dumps(release))
    for question in questions(nb):
        cell = nb["cells"][question.cell]
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        typed = {14285.72: "14285.72", "app": '"app"', True: "True",
                 "ask the PESO": "'ask the PESO'"}.get(values[question.name], "None")
        cell["source"] = source.replace("= None", f"= {typed}  # my answer")
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("forms")
    course = create_course(root / "course", "homeward-forms")  # Homeward's empty code stub
    folder = root / "toy_form"
    folder.mkdir()
    (folder / "toy_form.ipynb").write_text(json.dumps(source_notebook()))
    course.add_source(folder)
    course.add_students("model", "blank", "form", "hand", "wrong")
    course.generate("toy_form")
    release = json.loads(course.release_notebook("toy_form").read_text())
    answers = {"saving": 14285.72, "channel": "app", "lawful": True, "note": "ask the PESO"}
    for student, nb in {
        "model": fill_notebook(release, model_values(source_notebook())),
        "blank": release,
        "form": fill_notebook(release, answers),
        "hand": typed_by_hand(release, answers),
        "wrong": fill_notebook(release, {"saving": 14285.70}),
    }.items():
        assert check_submission(nb, release) == []
        path = root / f"{student}.ipynb"
        path.write_text(json.dumps(nb))
        course.submit(student, "toy_form", path)
    course.autograde("toy_form")
    course.release = release
    return course


def test_release_holds_none_assignments(course):
    release = course.release
    for question in questions(release):
        source = "".join(release["cells"][question.cell]["source"])
        assert source.rstrip("\n") == f"{question.name} = None"
    text = json.dumps(release)
    assert "14285.71" not in text and "BEGIN" not in text and "100_000 / 7" not in text


def test_scores(course):
    scores = course.scores("toy_form", autograded_only=True)
    assert scores == {"model": 2.0, "blank": 0.0, "form": 2.0, "hand": 2.0, "wrong": 0.0}


def test_form_and_hand_give_identical_gradebook_rows(course):
    form = course.grades("toy_form", "form")
    hand = course.grades("toy_form", "hand")
    assert [(g.name, g.score, g.auto_score, g.needs_manual_grade) for g in form] == [
        (g.name, g.score, g.auto_score, g.needs_manual_grade) for g in hand]
    hand_nb = json.loads((course.root / "autograded" / "hand" / "toy_form" /
                          "toy_form.ipynb").read_text())
    assert read_values(hand_nb)[0]["saving"] == 14285.72
