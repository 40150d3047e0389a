"""The known cheats, submitted to EVERY exercise and check-in (issue 10, point 5).

A participant's cells run in the grader's kernel before the checks that grade them. The cheats
known to fool naive checks:

- values that lie: ``float``/``str``/``int`` subclasses whose ``__eq__``, ``__sub__``,
  ``__abs__`` or comparisons always agree, a metaclass whose ``==`` lies, ``list``/``dict``
  subclasses, and the check's own names (``TYPE``, ``got`` ...) set beforehand;
- patched tools: ``builtins.abs``, ``round``, ``AssertionError``, ``math.isclose``,
  ``numpy.isclose`` (patching ``type`` or ``isinstance`` themselves stops the kernel, which
  then earns nothing either);
- edited grade cells: points raised, the check's code replaced by ``pass`` (also unlocked),
  outputs written in advance, a check deleted, duplicated, renamed or unmarked, an answer cell
  marked as a grade cell;
- code that changes how LATER cells run: an IPython input transformer or AST transformer, a
  custom exception handler.

What this file shows, through real ``nbgrader autograde`` on one temporary course:

1. every value cheat and patched tool, and the grade-cell edits nbgrader survives, earn NOTHING
   on every exercise under plain nbgrader: Homeward's checks compare exact types taken from
   literals with plain arithmetic (``widgets/forms/model.py``), and nbgrader restores the
   checks' code and points from its gradebook;
2. nbgrader's design cannot stop the transformers: under plain nbgrader such a notebook earns
   points. The literal-assignment pre-check (:func:`widgets.forms.model.check_submission`,
   which Homeward's grading batch runs before a notebook is graded) refuses it, and every other
   cheat here that carries code, on every exercise, before anything runs.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from widgets.forms.model import check_submission, questions

try:
    from tests.helpers.forms import load, meta_of, release_version
    from tests.helpers.nbgrader_course import NbgraderError, create_course
except ModuleNotFoundError:  # when tests/ is not a package
    from helpers.forms import load, meta_of, release_version
    from helpers.nbgrader_course import NbgraderError, create_course

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "exercises").iterdir()
                     if p.is_dir() and (p / f"{p.name}.ipynb").exists())


# ---------------------------------------------------------------------------- the cheats
def _base(question) -> tuple[str, str]:
    """A type to subclass and a wrong value, for a question of this kind."""
    if question.kind in ("money", "number", "percent", "integer"):
        return "float", "-1"
    if question.kind == "yesno":
        return "int", "0"
    return "str", "'x'"


LIARS = {
    "lying_eq": "class Liar({base}):\n    def __eq__(self, other):\n        return True\n"
                "    def __ne__(self, other):\n        return False\n"
                "    __hash__ = {base}.__hash__\n{name} = Liar({value})",
    "lying_arithmetic": "class Liar({base}):\n    def __sub__(self, other):\n        return 0.0\n"
                        "    __rsub__ = __sub__\n    def __abs__(self):\n        return 0.0\n"
                        "    def __le__(self, other):\n        return True\n"
                        "    __ge__ = __lt__ = __gt__ = __le__\n"
                        "    def __contains__(self, other):\n        return True\n"
                        "{name} = Liar({value})",
    "lying_metaclass": "class Meta(type):\n    def __eq__(cls, other):\n        return True\n"
                       "    __hash__ = type.__hash__\n"
                       "class Liar({base}, metaclass=Meta):\n"
                       "    def __eq__(self, other):\n        return True\n"
                       "    __hash__ = {base}.__hash__\n{name} = Liar({value})",
    "lying_containers": "class L(list):\n    def __eq__(self, other):\n        return True\n"
                        "class D(dict):\n    def __eq__(self, other):\n        return True\n"
                        "{name} = L() if {flip} else D()",
    "shadowed_names": "TYPE = INT = FLOAT = STR = BOOL = object\ngot = 14285.71\n"
                      "ok = hit = reached = True\n{name} = {value}",
}
PATCHED_TOOLS = ("import builtins\nimport math\nimport numpy\n"
                 "builtins.abs = lambda x: 0\nmath.isclose = lambda *a, **k: True\n"
                 "numpy.isclose = lambda *a, **k: True\nbuiltins.round = lambda x, n=0: 0\n"
                 "builtins.AssertionError = type('Quiet', (Exception,), {{}})\n"
                 "{name} = {value}")
LATER_CELLS = {
    "input_transformer": "get_ipython().input_transformers_post.append(lambda lines: "
                         "['pass\\n'])\n{name} = None",
    "ast_transformer": "import ast\nclass NoAssert(ast.NodeTransformer):\n"
                       "    def visit_Assert(self, node):\n        return ast.Pass()\n"
                       "get_ipython().ast_transformers.append(NoAssert())\n{name} = None",
    "custom_exception_handler": "get_ipython().set_custom_exc((AssertionError,), "
                                "lambda *a, **k: None)\n{name} = None",
}


def _fill(question, template: str) -> str:
    base, value = _base(question)
    return template.format(name=question.name, base=base, value=value,
                           flip="True" if base != "int" else "False")


def _grade_cells(nb: dict) -> list[int]:
    return [i for i, c in enumerate(nb["cells"])
            if c["cell_type"] == "code" and meta_of(c).get("grade")]


def liars(release: dict) -> dict:
    """Every answer cell holds a lying value (the kinds of LIARS in turn), and the grade cells
    are edited in the ways nbgrader repairs: points raised, code replaced by ``pass`` (once
    also unlocked), outputs written in advance, one check deleted."""
    nb = copy.deepcopy(release)
    kinds = list(LIARS.values())
    for i, q in enumerate(questions(nb)):
        nb["cells"][q.cell]["source"] = _fill(q, kinds[i % len(kinds)])
    graded = _grade_cells(nb)
    for n, index in enumerate(graded):
        cell = nb["cells"][index]
        edit = n % 4
        if edit == 0:
            cell["metadata"]["nbgrader"]["points"] = 100
        elif edit == 1:
            cell["source"] = '"""Checks nothing."""\npass'
        elif edit == 2:
            cell["metadata"]["nbgrader"]["locked"] = False
            cell["source"] = "pass"
        else:
            cell["outputs"] = [{"output_type": "execute_result", "execution_count": 1,
                                "data": {"text/plain": "100"}, "metadata": {}}]
            cell["execution_count"] = 1
    if len(graded) > 4:
        del nb["cells"][graded[-1]]
    return nb


def patched_tools(release: dict) -> dict:
    """The first answer patches Python's tools and holds a wrong plain value; the other answers
    lie (:func:`liars`), so the lies meet the patched tools too."""
    nb = liars(release)
    q = questions(nb)[0]
    nb["cells"][q.cell]["source"] = _fill(q, PATCHED_TOOLS)
    return nb


def later_cells(release: dict, kind: str) -> dict:
    """The first answer changes how later cells run; nothing is answered."""
    nb = copy.deepcopy(release)
    q = questions(nb)[0]
    nb["cells"][q.cell]["source"] = _fill(q, LATER_CELLS[kind])
    return nb


FATAL_EDITS = ("duplicated_check", "renamed_check", "unmarked_check", "answer_marked_graded")


def edited(release: dict, kind: str) -> dict:
    """Grade-cell edits that stop nbgrader on the notebook (it cannot be graded at all)."""
    nb = copy.deepcopy(release)
    graded = _grade_cells(nb)
    if kind == "duplicated_check":
        for index in reversed(graded):
            copy_ = copy.deepcopy(nb["cells"][index])
            copy_["source"] = "pass"
            nb["cells"].insert(index, copy_)
    elif kind == "renamed_check":
        for index in graded:
            nb["cells"][index]["metadata"]["nbgrader"]["grade_id"] += "-mine"
            nb["cells"][index]["source"] = "pass"
    elif kind == "unmarked_check":
        for index in graded:
            nb["cells"][index]["metadata"]["nbgrader"]["grade"] = False
    elif kind == "answer_marked_graded":
        q = questions(nb)[0]
        nb["cells"][q.cell]["metadata"]["nbgrader"].update(grade=True, points=50)
    return nb


# ---------------------------------------------------------------------------- the pre-check
def _release(assignment: str) -> dict:
    return release_version(load(ROOT / "exercises" / assignment / f"{assignment}.ipynb"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_pre_check_refuses_every_cheat_that_carries_code(assignment):
    release = _release(assignment)
    assert questions(release), f"{assignment} is not an answer form"
    cheats = {"liars": liars(release), "patched_tools": patched_tools(release),
              **{k: later_cells(release, k) for k in LATER_CELLS},
              **{k: edited(release, k) for k in ("duplicated_check", "renamed_check")}}
    for name, nb in cheats.items():
        problems = check_submission(nb, release)
        assert problems, f"{assignment}: the pre-check let {name!r} through"
    # each lying answer cell is named, with why
    codes = {p.code for p in check_submission(cheats["liars"], release)}
    assert "not_one_statement" in codes and "changed_cell" in codes


# ---------------------------------------------------------------------------- real nbgrader
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("cheats")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        env.setenv("PYTHONPYCACHEPREFIX", str(root / "pycache"))
        course = create_course(root / "course", "homeward-cheats", timeout=20)
        for name in ASSIGNMENTS:
            course.add_source(ROOT / "exercises" / name)
        course.add_students("cheat")
        course.generate()
        course.releases = {}
        first = ASSIGNMENTS[0]
        for name in ASSIGNMENTS:
            release = json.loads(course.release_notebook(name).read_text())
            course.releases[name] = release
            path = root / f"{name}.ipynb"
            path.write_text(json.dumps(patched_tools(release)))
            course.submit("cheat", name, path)
        release = course.releases[first]
        for kind in LATER_CELLS:  # one exercise is enough to show nbgrader's limit
            student = f"later-{kind}".replace("_", "-")
            course.add_students(student)
            path = root / f"{student}.ipynb"
            path.write_text(json.dumps(later_cells(release, kind)))
            course.submit(student, first, path)
        try:
            course.run("autograde", "*", "--force", timeout=1800)
        except NbgraderError as error:  # notebooks that broke the kernel are not graded
            course.autograde_error = str(error)
        return course


def _score(course, assignment: str, student: str) -> float:
    return course.scores(assignment, autograded_only=True).get(student, 0.0)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_lying_values_patched_tools_and_edited_checks_earn_nothing(course, assignment):
    """One notebook per exercise: patched builtins, math and numpy, a lying value in every
    answer, and its checks edited (points, code, lock, outputs, one deleted)."""
    assert _score(course, assignment, "cheat") == 0
    graded = course.grades(assignment, "cheat")
    assert graded and all(g.score == 0 for g in graded if g.autograded)


@pytest.mark.slow
def test_what_plain_nbgrader_cannot_stop_and_the_pre_check_does(course):
    """An input or AST transformer rewrites the checks that follow it: under plain nbgrader the
    notebook earns points with no answer at all. nbgrader restores the checks' source in the
    notebook, but cannot stop code that rewrites them as they run. The pre-check refuses it
    before it runs. (A custom exception handler did not earn points with nbgrader 0.9.)"""
    first = ASSIGNMENTS[0]
    full = course.max_score(first, autograded_only=True)
    release = course.releases[first]
    for kind in ("input_transformer", "ast_transformer"):
        student = f"later-{kind}".replace("_", "-")
        assert _score(course, first, student) > 0, (kind, "nbgrader stopped it: update the docs")
        assert check_submission(later_cells(release, kind), release)
    assert _score(course, first, "later-custom-exception-handler") < full


@pytest.mark.slow
def test_edits_that_stop_nbgrader_earn_nothing_through_the_grading_batch(tmp_path):
    """Duplicated, renamed or unmarked checks, or an answer cell marked as graded, make nbgrader
    fail on the notebook (a whole ``nbgrader autograde`` run stops at a duplicated cell).
    Homeward's grading batch grades each submission on its own: these are recorded as broken,
    or graded without a point, and the honest submission beside them is graded."""
    from grading.course import Course
    from widgets.forms.model import fill_notebook, model_values

    first = ASSIGNMENTS[0]
    exercises = tmp_path / "exercises"
    (exercises / first).mkdir(parents=True)
    (exercises / first / f"{first}.ipynb").write_text(
        (ROOT / "exercises" / first / f"{first}.ipynb").read_text())
    course = Course.create(tmp_path / "course", exercises=exercises)
    people = tmp_path / "people.csv"
    people.write_text("id\nhonest\n" + "".join(f"{k.replace('_', '-')}\n" for k in FATAL_EDITS))
    course.add_participants(people)
    course.generate()
    release = json.loads((course.root / "release" / first / f"{first}.ipynb").read_text())
    source = load(ROOT / "exercises" / first / f"{first}.ipynb")
    submissions = {"honest": fill_notebook(release, model_values(source))}
    submissions.update({k.replace("_", "-"): edited(release, k) for k in FATAL_EDITS})
    for pid, nb in submissions.items():
        path = tmp_path / f"{pid}.ipynb"
        path.write_text(json.dumps(nb))
        course.submit_file(pid, first, path)
    try:
        result = course.autograde(workers=2, progress=False)
    except TypeError:  # a batch whose autograde has other options
        result = course.autograde(progress=False)
    outcomes = {o.participant: o for o in result.outcomes}
    assert outcomes["honest"].status == "graded" and outcomes["honest"].score > 0
    for pid in submissions:
        if pid == "honest":
            continue
        outcome = outcomes[pid]
        assert outcome.status == "broken" or not outcome.score, (pid, outcome)
