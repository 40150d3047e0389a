"""The family-track exercises (``exercises/fam*``) and exercise 11 (wellbeing) through real
nbgrader commands.

They are answer forms (:mod:`widgets.forms.model`): every autograded answer is a value. One
temporary course holds all of them, with Homeward's empty code stub, and four students:

- ``model``: the release filled with the source's model answers and reflections (as the form
  app writes them) gets every autograded point, and its reflection waits for the facilitator;
- ``blank``: the release as handed out gets 0 and does not crash the grader;
- ``wrong``: typical mistakes (the amount before the margin, the hours without the child's...)
  get partial marks, and the feedback says what to look at;
- ``hand``: the same answers typed by hand in JupyterLab (``= None`` replaced in the cell)
  get the same gradebook rows as the form;
- ``hostile`` (exercise 11, whose one text answer names a place to find help): code typed as
  that text is stored as a string, graded wrong and never run.

The figures each exercise expects are recomputed here with the project's models.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from widgets.family.model import care_shares, savings_months, sending, split
from widgets.forms.model import (
    check_submission,
    fill_notebook,
    model_reflections,
    model_values,
    questions,
    reflections,
)

try:
    from tests.helpers.nbgrader_course import create_course
except ModuleNotFoundError:  # when tests/ is not a package
    from helpers.nbgrader_course import create_course

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
FAMILY = ("fam1_money_decisions", "fam2_agreement_budget", "fam3_children_care",
          "fam4_shared_plan")
ASSIGNMENTS = FAMILY + ("ee11_wellbeing",)
#: Points checked automatically, per exercise (the rest is one reflection of 4 points).
AUTO_POINTS = {**dict.fromkeys(FAMILY, 9.0), "ee11_wellbeing": 6.0}
STUB = 'c.ClearSolutions.code_stub = {"python": ""}\n'

#: Typical mistakes, the autograded score they keep, and what the feedback must say.
WRONG = {
    "fam1_money_decisions": ({"together_decision": "fertiliser", "months_with_motorbike": 28},
                             4.0, ("below their limit", "without the motorbike")),
    "fam2_agreement_budget": ({"family_receives": 35_000, "savings_share": 7_000},
                              5.0, ("that is what Hari sends", "20 % of what Hari sends")),
    "fam3_children_care": ({"malee_share": 35, "somchai_hours": 28},
                           4.0, ("35 is her hours", "Ton keeps his 7")),
    "fam4_shared_plan": ({"missing_dimension": "social", "months_savings_last": 10},
                         4.0, ("Which one is not?", "without the plan's costs")),
    "ee11_wellbeing": ({"ask_today": "tired", "help_place": "none"},
                       2.0, ("Danger at home", "look at your help card")),
}
MARKER = "homeward-ee11-was-run"


def _source(name: str) -> dict:
    return json.loads((EXERCISES / name / f"{name}.ipynb").read_text())


def _months(savings: float, income: float, spending: float) -> int:
    return savings_months(savings, income=income, spending=spending)


def _by_hand(release: dict, values: dict) -> dict:
    """What a person does in JupyterLab: type each value after the = sign, with a comment."""
    nb = json.loads(json.dumps(release))
    for question in questions(nb):
        cell = nb["cells"][question.cell]
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        value = values[question.name]
        typed = f'"{value}"' if isinstance(value, str) else str(value)
        cell["source"] = source.replace("= None", f"= {typed}  # our answer")
    return nb


# ------------------------------------------------------------------------------ the sources
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_an_exercise_is_an_answer_form(name):
    nb = _source(name)
    found = questions(nb)
    assert 4 <= len(found) <= 6, "four to six answers checked at once"
    assert len(reflections(nb)) == 1, "one answer for the facilitator"
    for question in found:
        assert set(question.label) == {"en", "fil", "id"}, question.name
        assert all(set(o.label) == {"en", "fil", "id"} for o in question.options), question.name
    graded = [c for c in nb["cells"] if c["metadata"]["nbgrader"].get("grade")
              and c["cell_type"] == "code"]
    assert sum(c["metadata"]["nbgrader"]["points"] for c in graded) == AUTO_POINTS[name]
    for cell in graded:
        source = "".join(cell["source"])
        assert source.startswith('"""Checks') and "### BEGIN HIDDEN TESTS" in source
        imports = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import | ast.ImportFrom)]
        assert not imports, "checks import nothing (a module can be replaced)"
        assert "().__class__.__class__" in source, "exact types come from literals"
    text = json.dumps(nb)
    assert "illustrative" in text and "anchors.md" not in text and "[confirmed]" not in text


def test_expected_figures_come_from_the_models():
    values = {name: model_values(_source(name)) for name in ASSIGNMENTS}
    cost, received = sending(35_000, 400, 1.5)
    fam2 = values["fam2_agreement_budget"]
    assert (fam2["family_receives"], fam2["transfer_cost"]) == (received, cost)
    shares = {"household": 60, "return": 20, "emergency": 10, "buffalo": 10}
    assert fam2["savings_share"] == split(received, shares)["return"]
    assert fam2["monthly_gap"] == (16_000 + 6_000 + 2_500 + 3_000 + 2_000) - (12_000 + 15_000)
    assert fam2["tanda_pot"] == 600 * 12
    assert values["fam1_money_decisions"]["months_with_motorbike"] == _months(
        45_000_000 - 12_000_000, 2_500_000, 4_100_000)
    assert values["fam3_children_care"]["malee_share"] == care_shares(
        {"Malee": 35, "Somchai": 14, "Ton": 7})["Malee"]
    assert values["fam4_shared_plan"]["months_savings_last"] == _months(60_000 - 8_500, 4_000, 10_000)
    # the hints for typical mistakes name the right wrong values
    assert _months(45_000_000, 2_500_000, 4_100_000) == 28
    assert 60_000 // (10_000 - 4_000) == 10  # the by-hand answer without the plan's costs


# ------------------------------------------------------------------------------ the pipeline
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("family-nbgrader")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        env.setenv("PYTHONPYCACHEPREFIX", str(root / "pycache"))
        course = create_course(root / "course", "homeward-family", extra_config=STUB)
        for name in ASSIGNMENTS:
            course.add_source(EXERCISES / name)
        course.add_students("model", "blank", "wrong", "hand", "hostile")
        course.marker = root / MARKER
        course.generate()
        course.releases = {}
        for name in ASSIGNMENTS:
            release = json.loads(course.release_notebook(name).read_text())
            course.releases[name] = release
            source = _source(name)
            model = model_values(source)
            submissions = {
                "model": fill_notebook(release, model, model_reflections(source)),
                "blank": release,
                "wrong": fill_notebook(release, {**model, **WRONG[name][0]}),
                "hand": _by_hand(release, model),
            }
            if name == "ee11_wellbeing":
                attack = f"__import__('os').system('touch {course.marker}')"
                submissions["hostile"] = fill_notebook(release, {**model, "help_place": attack})
            for student, nb in submissions.items():
                assert check_submission(nb, release) == [], (student, name)
                path = root / f"{student}-{name}.ipynb"
                path.write_text(json.dumps(nb))
                course.submit(student, name, path)
        course.autograde()
        course.generate_feedback()
        return course


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_release_asks_for_values_and_hides_the_answers(course, name):
    release = course.releases[name]
    for question in questions(release):
        source = "".join(release["cells"][question.cell]["source"])
        assert source.rstrip("\n") == f"{question.name} = None"
    text = json.dumps(release)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert "YOUR ANSWER HERE" in text


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_scores(course, name):
    scores = course.scores(name, autograded_only=True)
    full = AUTO_POINTS[name]
    assert scores["model"] == course.max_score(name, autograded_only=True) == full
    assert scores["blank"] == 0.0
    assert scores["wrong"] == WRONG[name][1]
    assert scores["hand"] == full


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_form_and_hand_give_identical_rows(course, name):
    def rows(student):
        return [(g.name, g.score, g.auto_score, g.needs_manual_grade)
                for g in course.grades(name, student)]
    assert rows("model")[:-1] == rows("hand")[:-1]  # all but the reflection, blank by hand


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_feedback_says_what_to_look_at(course, name):
    page = (course.feedback_dir("wrong", name) / f"{name}.html").read_text()
    for hint in WRONG[name][2]:
        assert hint in page, hint
    assert (course.feedback_dir("model", name) / f"{name}.html").exists()
    assert (course.feedback_dir("blank", name) / f"{name}.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_the_reflection_waits_for_the_facilitator(course, name):
    manual = [g for g in course.grades(name, "model") if not g.autograded]
    assert len(manual) == 1 and manual[0].needs_manual_grade and manual[0].max_score == 4


@pytest.mark.slow
def test_code_typed_as_a_text_answer_is_a_wrong_text_never_run(course):
    rows = {g.name: g.score for g in course.grades("ee11_wellbeing", "hostile")}
    assert rows["place-test"] == 0.0, "code is not the name of a place"
    assert course.scores("ee11_wellbeing", autograded_only=True)["hostile"] == AUTO_POINTS["ee11_wellbeing"] - 2
    assert not course.marker.exists(), "the text was executed"
    graded = json.loads((course.root / "autograded" / "hostile" / "ee11_wellbeing" /
                         "ee11_wellbeing.ipynb").read_text())
    cell = next(c for c in graded["cells"] if c["metadata"]["nbgrader"]["grade_id"] == "place-answer")
    assert "".join(cell["source"]).startswith('help_place = "__import__')
