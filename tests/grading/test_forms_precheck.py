"""The grading batch refuses, before anything runs, an answer-form exercise whose answer cells
hold anything but one plain value (the format's own check, widgets.forms.model): code, an
object whose ``==`` always says yes, an IPython input transformer that would rewrite the tests.
An honest submission of the same exercise is graded in the sandbox with full marks."""

from __future__ import annotations

import json
import shutil

import pytest

from grading import Course
from tests.grading.conftest import ROOT

EXERCISE = "fam1_money_decisions"

CHEATS = {
    "F2": "together_decision = __import__('os').getcwd()",
    "F3": ("get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\n"
           "together_decision = 'pump'"),
    "F4": ("class Yes(str):\n    def __eq__(self, other):\n        return True\n\n"
           "together_decision = Yes('x')"),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from widgets.forms.model import fill_notebook, model_values

    if not (ROOT / "exercises" / EXERCISE).is_dir():
        pytest.fail(f"exercises/{EXERCISE} is missing")
    base = tmp_path_factory.mktemp("forms")
    shutil.copytree(ROOT / "exercises" / EXERCISE, base / "exercises" / EXERCISE)
    course = Course.create(base / "course", exercises=base / "exercises", timeout=30)
    (base / "people.csv").write_text("id\nF1\nF2\nF3\nF4\n")
    course.add_participants(base / "people.csv")
    course.generate([EXERCISE])
    name = f"{EXERCISE}.ipynb"
    source = json.loads((course.root / "source" / EXERCISE / name).read_text())
    release = json.loads((course.root / "release" / EXERCISE / name).read_text())
    honest = fill_notebook(release, model_values(source))
    drafts = base / "drafts"
    drafts.mkdir()
    (drafts / "F1.ipynb").write_text(json.dumps(honest))
    course.submit_file("F1", EXERCISE, drafts / "F1.ipynb")
    for pid, code in CHEATS.items():
        nb = json.loads(json.dumps(honest))
        for cell in nb["cells"]:
            if cell["metadata"].get("nbgrader", {}).get("grade_id") == "together-answer":
                cell["source"] = code
        (drafts / f"{pid}.ipynb").write_text(json.dumps(nb))
        course.submit_file(pid, EXERCISE, drafts / f"{pid}.ipynb")
    result = course.autograde([EXERCISE], workers=2, progress=False)
    return course, {o.participant: o for o in result.outcomes}


def test_an_honest_answer_form_is_graded_in_the_sandbox(graded):
    course, outcomes = graded
    assert outcomes["F1"].status == "graded", outcomes["F1"].reason
    with course.gradebook() as gb:  # every automatic point (the reflection is graded by hand)
        notebook = gb.find_notebook(EXERCISE, EXERCISE)
        solutions = {c.name for c in notebook.solution_cells}
        automatic = sum(c.max_score for c in notebook.grade_cells if c.name not in solutions)
    assert outcomes["F1"].score == automatic > 0


@pytest.mark.parametrize("pid", sorted(CHEATS))
def test_anything_but_a_plain_value_is_refused_before_it_runs(graded, pid):
    course, outcomes = graded
    assert outcomes[pid].status == "broken"
    assert outcomes[pid].reason.startswith("not plain answers, not run (")
    assert "together_decision" in outcomes[pid].reason
    assert not (course.root / "autograded" / pid).exists()  # never ran
    with course.gradebook() as gb:
        assert pid not in {s.student_id for s in gb.assignment_submissions(EXERCISE)}
