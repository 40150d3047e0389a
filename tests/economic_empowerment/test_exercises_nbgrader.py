"""Every economic-empowerment exercise (``exercises/ee*``) through real nbgrader commands.

The assignments are discovered, not listed, so a new ``ee`` folder is tested as soon as it
exists. One temporary course holds all of them, with three students:

- ``model``: the source notebook itself (every solution filled in) must get full marks;
- ``blank``: the release notebook as handed out must get 0 and must not crash the grader;
- ``partial``: the release notebook with only the FIRST solution code cell filled in (from
  the source, markers removed) must get some marks but not all.

Feedback must be produced for every student and assignment.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import nbformat
import pytest

try:
    from tests.helpers.nbgrader_course import create_course
except ModuleNotFoundError:  # when tests/ is not a package, tests/ itself is on sys.path
    from helpers.nbgrader_course import create_course

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
def _is_answer_form(folder: Path) -> bool:
    """An exercise written as an answer form (widgets/forms): tested in test_form_exercises.py."""
    return any("homeward" in cell.get("metadata", {})
               for nb in folder.glob("*.ipynb") for cell in json.loads(nb.read_text())["cells"])


ASSIGNMENTS = sorted(p.name for p in EXERCISES.glob("ee*") if p.is_dir() and not _is_answer_form(p))
#: The course's eight assignments (names fixed with the grading workflow).
EXPECTED = ("ee01_money_cycle", "ee02_budgeting", "ee03_saving", "ee04_remittances",
            "ee06_debt", "ee07_protection", "ee10_business_plan", "ee12_reintegration_plan")
SEED = re.compile(r"\b00[0-4]_[0-9a-f]{16}\.txt\b|anchors\.md")
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
           "### END HIDDEN TESTS")


def _notebook(assignment: str) -> dict:
    return json.loads((EXERCISES / assignment / f"{assignment}.ipynb").read_text())


def _cells(assignment: str) -> list[dict]:
    return _notebook(assignment)["cells"]


def _meta(cell: dict) -> dict:
    return cell["metadata"].get("nbgrader", {})


def _src(cell: dict) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _between(text: str, begin: str, end: str) -> list[str]:
    """The stripped, non-trivial lines between the markers (what must never be released)."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.strip() == begin:
            inside = True
        elif line.strip() == end:
            inside = False
        elif inside and len(line.strip()) >= 8:
            lines.append(line.strip())
    return lines


def _public(text: str) -> str:
    """The text outside the solution and hidden-test markers (what the release may show)."""
    kept, inside = [], False
    for line in text.splitlines():
        if line.strip() in ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS"):
            inside = True
        elif line.strip() in ("### END SOLUTION", "### END HIDDEN TESTS"):
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def _autograded(assignment: str) -> list[dict]:
    return [c for c in _cells(assignment) if c["cell_type"] == "code" and _meta(c).get("grade")]


def _solution_code_cells(assignment: str) -> list[dict]:
    return [c for c in _cells(assignment) if c["cell_type"] == "code" and _meta(c).get("solution")]


# ---------------------------------------------------------------------------- the sources
def test_the_eight_assignments_exist():
    missing = [name for name in EXPECTED if name not in ASSIGNMENTS]
    assert not missing, f"missing exercise folders: {missing}"
    for name in ASSIGNMENTS:
        assert (EXERCISES / name / f"{name}.ipynb").exists(), name
        assert " " not in name


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_metadata(assignment):
    """nbgrader metadata on every cell, unique ids, locked graded tests with a docstring."""
    ids = []
    for cell in _cells(assignment):
        meta = _meta(cell)
        assert meta, f"{assignment}: a cell has no nbgrader metadata:\n{_src(cell)[:120]}"
        assert meta["schema_version"] == 3
        ids.append(meta["grade_id"])
        source = _src(cell)
        if meta["grade"] and cell["cell_type"] == "code":
            assert meta["locked"] and not meta["solution"] and meta["points"] > 0, meta
            assert source.startswith('"""Checks'), f"{meta['grade_id']} must open with a docstring"
        if meta["solution"] and cell["cell_type"] == "code":
            assert not meta["locked"]
            assert re.search(r'def \w+\(.*\):\n    """(.|\n)+?"""\n    ### BEGIN SOLUTION', source), (
                f"{meta['grade_id']}: the solution markers must sit inside a function that keeps "
                "its docstring")
            assert source.count("### BEGIN SOLUTION") == source.count("### END SOLUTION")
    assert len(ids) == len(set(ids)), f"duplicate grade_id in {ids}"
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]+", i) for i in ids), ids


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_shape_of_an_assignment(assignment):
    """3-5 autograded parts worth 8-12 points, hidden tests, a manual answer, a free cell."""
    graded = _autograded(assignment)
    assert 3 <= len(graded) <= 6, f"{len(graded)} autograded test cells"
    points = sum(_meta(c)["points"] for c in graded)
    assert 6 <= points <= 14, f"{points} autograded points"
    assert any("### BEGIN HIDDEN TESTS" in _src(c) for c in graded), "no hidden tests"
    manual = [c for c in _cells(assignment) if c["cell_type"] == "markdown"
              and _meta(c)["grade"] and _meta(c)["solution"]]
    assert manual, "no manually graded answer"
    assert all(_meta(c)["points"] > 0 and "### BEGIN SOLUTION" in _src(c) for c in manual)
    free = [c for c in _cells(assignment) if c["cell_type"] == "code"
            and not (_meta(c)["grade"] or _meta(c)["solution"] or _meta(c)["locked"])]
    assert free, "no free 'try it' code cell (unlocked, not graded, no solution)"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assert_says_what_went_wrong(assignment):
    """A failed check must tell the learner what to look at, not just 'AssertionError'."""
    for cell in _autograded(assignment):
        tree = ast.parse(_src(cell))
        bare = [node.lineno for node in ast.walk(tree)
                if isinstance(node, ast.Assert) and node.msg is None]
        assert not bare, f"{_meta(cell)['grade_id']}: asserts without a message on lines {bare}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_sources_and_illustrative_numbers_are_named(assignment):
    text = "\n".join(_src(c) for c in _cells(assignment) if c["cell_type"] == "markdown")
    assert not SEED.search(text), "cite documents by their titles (modules/references.ipynb), not by file"
    assert "illustrative" in text.lower(), "label made-up numbers as illustrative"
    assert "pip install" not in json.dumps(_notebook(assignment))


# ---------------------------------------------------------------------------- the pipeline
def _partial_notebook(release: Path, source: Path, out: Path) -> str:
    """The release notebook with the first solution code cell answered from the source."""
    nb = nbformat.read(release, as_version=4)
    src = nbformat.read(source, as_version=4)
    first = next(c for c in src.cells if c.cell_type == "code"
                 and c.metadata.get("nbgrader", {}).get("solution"))
    grade_id = first.metadata["nbgrader"]["grade_id"]
    answer = "\n".join(line for line in first.source.splitlines()
                       if line.strip() not in MARKERS)
    target = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    target.source = answer
    nbformat.write(nb, out)
    return grade_id


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if not ASSIGNMENTS:
        pytest.fail("no exercises/ee* assignments to grade")
    root = tmp_path_factory.mktemp("ee-nbgrader")
    with pytest.MonkeyPatch.context() as env:
        # nbgrader starts one Python kernel per submission (24 here). Let them share compiled
        # bytecode in the temporary directory instead of each compiling every import again.
        env.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        env.setenv("PYTHONPYCACHEPREFIX", str(root / "pycache"))
        return _grade_everything(root)


def _grade_everything(root: Path):
    course = create_course(root / "course", "homeward-ee")
    for name in ASSIGNMENTS:
        course.add_source(EXERCISES / name)
    course.add_students("model", "blank", "partial")
    course.generate()  # every assignment, one command
    course.partial_cells = {}
    for name in ASSIGNMENTS:
        course.submit("model", name, course.source_notebook(name))
        course.submit("blank", name, course.release_notebook(name))
        partial = root / f"{name}-partial.ipynb"
        course.partial_cells[name] = _partial_notebook(
            course.release_notebook(name), course.source_notebook(name), partial)
        course.submit("partial", name, partial)
    course.autograde()  # every submission, one command
    course.generate_feedback()
    return course


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions_and_no_hidden_tests(course, assignment):
    release = nbformat.read(course.release_notebook(assignment), as_version=4)
    text = json.dumps(release.dict())
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, marker
    released = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in release.cells}
    for cell in _cells(assignment):
        grade_id, source = _meta(cell)["grade_id"], _src(cell)
        assert grade_id in released, f"{grade_id} is missing from the release"
        secret = (_between(source, "### BEGIN SOLUTION", "### END SOLUTION")
                  + _between(source, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"))
        public = {line.strip() for line in _public(source).splitlines()}
        leaked = [line for line in secret if line not in public and line in released[grade_id]]
        assert not leaked, f"{grade_id} gives away: {leaked}"
        if _meta(cell)["solution"]:
            blank = "raise NotImplementedError()" if cell["cell_type"] == "code" else "YOUR ANSWER HERE"
            assert blank in released[grade_id], grade_id


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_model_solution_gets_full_autograded_marks(course, assignment):
    failed = [(g.name, g.score, g.max_score) for g in course.grades(assignment, "model")
              if g.autograded and g.score < g.max_score]
    assert not failed, failed
    full = course.max_score(assignment, autograded_only=True)
    assert course.scores(assignment, autograded_only=True)["model"] == full > 0


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_release_gets_zero_without_crashing(course, assignment):
    assert course.scores(assignment)["blank"] == 0
    rows = course.grades(assignment, "blank")
    assert len(rows) == len([c for c in _cells(assignment) if _meta(c)["grade"]]), (
        "every graded cell of the blank submission must be in the gradebook")


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_partly_right_gets_partial_marks(course, assignment):
    got = course.scores(assignment, autograded_only=True)["partial"]
    full = course.max_score(assignment, autograded_only=True)
    assert 0 < got < full, (
        f"answering only {course.partial_cells[assignment]} gave {got} of {full}: the first "
        "answer should earn its own points and no more")


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_for_every_student(course, assignment):
    for student in ("model", "blank", "partial"):
        page = course.feedback_dir(student, assignment) / f"{assignment}.html"
        assert page.exists(), (student, assignment)
    partial = (course.feedback_dir("partial", assignment) / f"{assignment}.html").read_text()
    assert "NotImplementedError" in partial  # she sees which answers are still missing


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_manual_answer_waits_for_the_facilitator(course, assignment):
    manual = [g for g in course.grades(assignment, "model") if not g.autograded]
    assert manual, "no manually graded cell in the gradebook"
    assert all(g.needs_manual_grade and g.max_score > 0 for g in manual)
