"""The seminar exercises through real nbgrader commands, in one temporary course."""

import json
import re
from pathlib import Path

import pytest

try:
    from tests.helpers.nbgrader_course import create_course
except ModuleNotFoundError:  # when tests/ is not a package, tests/ itself is on sys.path
    from helpers.nbgrader_course import create_course

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "exercises").glob("seminar_*") if p.is_dir())


def _source_cells(assignment):
    nb = json.loads((ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text())
    return nb["cells"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_metadata(assignment):
    """Every graded cell has nbgrader metadata; tests open with a docstring; ids are unique."""
    ids = []
    for cell in _source_cells(assignment):
        meta = cell["metadata"].get("nbgrader")
        assert meta, f"{assignment}: a cell has no nbgrader metadata"
        assert meta["schema_version"] == 3
        ids.append(meta["grade_id"])
        source = "".join(cell["source"])
        if meta["grade"] and cell["cell_type"] == "code":
            assert meta["locked"] and meta["points"] > 0
            assert source.startswith('"""Checks'), meta["grade_id"]
        if meta["solution"] and cell["cell_type"] == "code":
            assert re.search(r'def \w+\(.*\):\n    """.+"""\n    ### BEGIN SOLUTION', source), (
                f"{meta['grade_id']}: solution markers must sit inside a function with a docstring")
    assert len(ids) == len(set(ids))


def test_action_plan_has_a_manually_graded_answer():
    manual = [c for c in _source_cells("seminar_action_plan")
              if c["cell_type"] == "markdown" and c["metadata"]["nbgrader"]["grade"]]
    assert len(manual) == 1 and manual[0]["metadata"]["nbgrader"]["solution"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = create_course(tmp_path_factory.mktemp("nbgrader") / "course", "homeward-seminar")
    for name in ASSIGNMENTS:
        course.add_source(ROOT / "exercises" / name)
    course.add_students("model", "blank")
    course.generate()  # all assignments, one command
    for name in ASSIGNMENTS:
        course.submit("model", name, course.source_notebook(name))
        course.submit("blank", name, course.release_notebook(name))
    course.autograde()
    course.generate_feedback()
    return course


@pytest.mark.slow
def test_there_are_seminar_assignments():
    assert {"seminar_policies", "seminar_concepts", "seminar_action_plan"} <= set(ASSIGNMENTS)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions(course, assignment):
    text = course.release_notebook(assignment).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "Model answer"):
        assert marker not in text
    assert "raise NotImplementedError()" in text or "YOUR ANSWER HERE" in text
    for forbidden in ("return 21", '"DOLE"', "round(0.83 * 8332)", "{1, 5, 10, 16, 17}",
                      "assert n == 6916", "Accounts opened by women"):
        assert forbidden not in text, forbidden


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_model_solution_gets_full_autograded_marks(course, assignment):
    got = course.scores(assignment, autograded_only=True)["model"]
    assert got == course.max_score(assignment, autograded_only=True) > 0
    failed = [g.name for g in course.grades(assignment, "model") if g.autograded
              and g.score < g.max_score]
    assert not failed


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_gets_zero(course, assignment):
    assert course.scores(assignment)["blank"] == 0
    assert (course.feedback_dir("blank", assignment) / f"{assignment}.html").exists()


@pytest.mark.slow
def test_manual_answer_waits_for_the_facilitator(course):
    rows = {g.name: g for g in course.grades("seminar_action_plan", "model")}
    assert rows["plan-explanation"].needs_manual_grade
    assert rows["plan-explanation"].max_score == 6
    feedback = course.feedback_dir("model", "seminar_action_plan") / "seminar_action_plan.html"
    assert "Model answer" in feedback.read_text()  # the participant's own answer is shown back
