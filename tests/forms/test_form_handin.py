"""Every exercise and check-in answered in the form app, handed in as a file, added with
``python -m grading handin`` and graded by the sandboxed batch (real nbgrader), in ONE
temporary course and ONE batch:

- ``model``: the model answers typed in the form (in English, Filipino or Indonesian, as she
  writes numbers) get every automatic point; the reflection waits for the facilitator;
- ``hand``: the same answers typed in JupyterLab (the released cells edited) give identical
  gradebook rows;
- ``blank``: the form handed in untouched gets 0;
- ``wrong``: one typical wrong answer gets partial marks, and the feedback says what to look at;
- ``hostile``: code, quotes, newlines and ``<script>`` typed as a text answer are stored as a
  string, graded as a wrong answer and never executed.

The form takes its assignment as Binder and a laptop do (the exercises released in memory);
``handin`` checks the file against the course's own release (real ``generate_assignment``).
Refused files (code, another assignment, too large, not a notebook, not on the list) are
checked on the same course.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grading import Course
from grading.__main__ import main as grading_main
from tests.forms.test_form_view import type_value
from tests.helpers.forms import grade_in_process, typed_by_hand
from tests.helpers.nbgrader_course import Course as Book
from widgets.forms.handin import EXERCISES, FolderReleases
from widgets.forms.model import (
    fill_notebook,
    model_reflections,
    model_values,
    questions,
    read_values,
)
from widgets.forms.view import AnswerForm

# one course, 23 assignments, about 100 notebooks through the sandbox: minutes on 2 cores
pytestmark = [pytest.mark.slow, pytest.mark.timeout(2400)]
ROOT = Path(__file__).resolve().parents[2]
PEOPLE = ("model", "hand", "blank", "wrong", "hostile")
LANGS = ("en", "fil", "id")


#: code, quotes, a newline and a script, short enough for every text question (60 characters)
HOSTILE = "__import__('os').system('id')\"\n'''<script>x</script>"


def hostile_text(canary: Path) -> str:
    """A longer one for the reflections (no length limit there)."""
    return (f"__import__('os').system('touch {canary}')\n\"; ''' \\\n"
            "<script>alert(1)</script> {{x}}")


def wrong_value(q, value):
    """One typical slip per kind: an amount a bit off, a count off by three, another option,
    the other answer, a vague text."""
    if q.kind in ("money", "number", "percent"):
        return round(value * 1.1 + 7, 2)
    if q.kind == "integer":
        return value + 3 if q.max is None or value + 3 <= q.max else value - 3
    if q.kind == "choice":
        return next(o.value for o in q.options if o.value != value)
    if q.kind == "yesno":
        return not value
    if q.kind == "text":
        return "I do not know"
    return None


def typical_wrong(source: dict) -> tuple[str, object, list[str]]:
    """The first answer whose slip costs some, not all, of the automatic points (found by
    grading our own notebook in-process), and the messages of the checks it fails."""
    model = model_values(source)
    points, _ = grade_in_process(source, model)
    full = sum(points.values())
    for q in questions(source):
        slip = wrong_value(q, model[q.name])
        if slip is None:
            continue
        got, messages = grade_in_process(source, {**model, q.name: slip})
        if 0 < sum(got.values()) < full:
            failed = [messages[g].split("AssertionError: ", 1)[-1].strip()
                      for g, p in got.items() if p == 0 and points[g] > 0]
            return q.name, slip, failed
    raise AssertionError("no typical wrong answer found")


def form_file(releases, name: str, person: str, language: str, values: dict,
              texts: dict, folder: Path) -> Path:
    """Answer in the form app (widgets in process), press Hand in, keep the file."""
    form = AnswerForm(releases, name, language=language, drafts=None)
    for key, value in values.items():
        type_value(form, key, value)
    for key, text in texts.items():
        form._inputs[key].value = text
    form.person.value = person
    form.handin_button.click()
    assert form.handed_in is not None, (name, person, form.status.value, form.problems)
    filename, data = form.handed_in
    assert filename == f"{name}-{person}.ipynb"
    path = folder / filename
    path.write_bytes(data)
    return path


def handin(course: Course, path: Path, person: str, *extra: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = grading_main(["handin", str(path), "--participant", person,
                             "--course", str(course.root), *extra])
    return code, out.getvalue() + err.getvalue()


def _say(started: float, what: str) -> None:
    print(f"[{time.monotonic() - started:6.1f} s] {what}", file=sys.stderr, flush=True)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    started = time.monotonic()
    base = tmp_path_factory.mktemp("form-handin")
    course = Course.create(base / "course", timeout=30)
    table = base / "people.csv"
    table.write_text("id,first_name,last_name,gender,cohort\n" + "".join(
        f"{p},Test,{p},{'woman' if i % 2 else 'man'},2026-A\n" for i, p in enumerate(PEOPLE)))
    course.add_participants(table)
    course.run_nbgrader("generate_assignment", "*", "--force")  # all 23 in one nbgrader call
    _say(started, "generated")
    releases = FolderReleases(EXERCISES, source=True, patterns=("ee*", "fam*", "checkin_*",
                                                                 "seminar_*"))
    files = base / "handed-in"
    files.mkdir()
    canary = base / "CANARY"
    expected = {"wrong": {}, "hostile": set()}
    names = course.assignments()
    for i, name in enumerate(names):
        source = json.loads(next((EXERCISES / name).glob("*.ipynb")).read_text())
        model, texts = model_values(source), model_reflections(source)
        language = LANGS[i % 3]
        paths = {
            "model": form_file(releases, name, "model", language, model, texts, files),
            "blank": form_file(releases, name, "blank", language, {}, {}, files),
        }
        slip_name, slip, failed = typical_wrong(source)
        expected["wrong"][name] = (slip_name, failed)
        expected.setdefault("model", {})[name] = sum(grade_in_process(source, model)[0].values())
        paths["wrong"] = form_file(releases, name, "wrong", LANGS[(i + 1) % 3],
                                   {**model, slip_name: slip}, texts, files)
        text_questions = [q.name for q in questions(source) if q.kind == "text"]
        if text_questions:
            expected["hostile"].add(name)
            paths["hostile"] = form_file(
                releases, name, "hostile", language,
                {**model, text_questions[0]: HOSTILE},
                {k: hostile_text(canary) for k in texts}, files)
        release = json.loads(next((course.root / "release" / name).glob("*.ipynb")).read_text())
        hand = typed_by_hand(release, model, texts)
        paths["hand"] = files / f"{name}-typed-in-jupyterlab.ipynb"
        paths["hand"].write_text(json.dumps(hand))
        for person, path in paths.items():
            if person == "model" and name == "ee03_saving":
                # the real command, in its own process, as the facilitator types it
                result = subprocess.run(
                    [sys.executable, "-m", "grading", "handin", str(path), "--participant",
                     person, "--course", str(course.root)],
                    cwd=ROOT, capture_output=True, text=True, timeout=300)
                assert result.returncode == 0, result.stdout + result.stderr
                assert "Added ee03_saving for model" in result.stdout
                continue
            extra = ("--assignment", name) if person == "hand" else ()
            code, said = handin(course, path, person, *extra)
            assert code == 0, (name, person, said)
    _say(started, "handed in")
    result = course.autograde(progress=False)
    _say(started, f"autograded: {result.summary()}")
    assert not result.failed, result.summary()
    broken = result.broken()
    if broken:  # a kernel that died on a loaded machine: graded again, as a facilitator would
        _say(started, "graded again: " + "; ".join(f"{o.participant} {o.assignment}: {o.reason}"
                                                   for o in broken))
        result = course.autograde(sorted({o.assignment for o in broken}),
                                  participants=sorted({o.participant for o in broken}),
                                  progress=False)
        assert not result.failed and not result.broken(), result.summary()
    course.feedback(even_ungraded=True)
    _say(started, "feedback written")
    return {"course": course, "book": Book(course.root, course.course_id), "names": names,
            "expected": expected, "canary": canary, "files": files, "base": base}


def test_every_exercise_and_checkin_was_handed_in(graded):
    assert len(graded["names"]) == 23
    for name in graded["names"]:
        for person in ("model", "blank", "wrong", "hand"):
            folder = graded["course"].root / "submitted" / person / name
            assert (folder / "timestamp.txt").is_file(), (person, name)


@pytest.mark.parametrize("index", range(23))
def test_model_full_blank_zero_wrong_partial_with_its_hint(graded, index):
    name = graded["names"][index]
    book = graded["book"]
    full = book.max_score(name, autograded_only=True)
    scores = book.scores(name, autograded_only=True)
    model = graded["expected"]["model"][name]
    assert scores["model"] == model > 0, name
    if not name.startswith("checkin_"):
        assert model == full, name  # an exercise's model answers earn every automatic point
    # (a check-in's model answers are one person's progress: milestones not all reached yet)
    assert scores["blank"] == 0, name
    assert 0 < scores["wrong"] < model, name
    manual = [g for g in book.grades(name, "model") if not g.autograded]
    assert all(g.needs_manual_grade for g in manual), name
    # the form and JupyterLab give identical gradebook rows
    assert book.grades(name, "model") == book.grades(name, "hand"), name
    slip, failed = graded["expected"]["wrong"][name]
    page = (graded["course"].root / "feedback" / "wrong" / name / f"{name}.html").read_text()
    import html as htmllib

    assert failed and any(htmllib.escape(m, quote=False) in page or m in page
                          for m in failed), (name, slip, failed)


def test_hostile_text_is_a_string_graded_wrong_and_never_run(graded):
    book, course = graded["book"], graded["course"]
    names = sorted(graded["expected"]["hostile"])
    assert {"seminar_action_plan", "seminar_policies", "ee11_wellbeing"} <= set(names)
    lower = 0
    for name in names:
        scores = book.scores(name, autograded_only=True)
        assert scores["hostile"] <= scores["model"], name
        lower += scores["hostile"] < scores["model"]
        graded_nb = json.loads(next((course.root / "autograded" / "hostile" / name)
                                    .glob("*.ipynb")).read_text())
        values, problems = read_values(graded_nb)
        assert problems == [] and HOSTILE in values.values(), name
        outputs = json.dumps([c.get("outputs") for c in graded_nb["cells"]])
        assert "uid=" not in outputs, name  # os.system('id') never ran
        page = (course.root / "feedback" / "hostile" / name / f"{name}.html").read_text()
        assert "<script>alert(1)" not in page and "<script>x" not in page, name
    assert lower >= 3  # where the text is checked, it is graded as a wrong answer
    assert not graded["canary"].exists()


def test_refused_files_say_why_in_one_line(graded, tmp_path):
    course = graded["course"]
    release = json.loads((course.root / "release" / "ee03_saving" / "ee03_saving.ipynb")
                         .read_text())
    cases = {}
    code_nb = fill_notebook(release, {"difference": 1})
    cell = next(q.cell for q in questions(code_nb) if q.name == "difference")
    code_nb["cells"][cell]["source"] = "difference = __import__('os').getpid()"
    cases["code"] = (code_nb, "not a plain value")
    other = json.loads((course.root / "release" / "ee04_remittances" / "ee04_remittances.ipynb")
                       .read_text())
    cases["other"] = (other, "not a notebook of ee03_saving")
    for key, (nb, words) in cases.items():
        path = tmp_path / f"ee03_saving-{key}.ipynb"
        path.write_text(json.dumps(nb))
        code, said = handin(course, path, "model", "--assignment", "ee03_saving")
        assert code == 2 and words in said and said.count("\n") == 1, (key, said)
    big = tmp_path / "ee03_saving-big.ipynb"
    big.write_text(json.dumps({**release, "metadata": {"x": "a" * 2_100_000}}))
    code, said = handin(course, big, "model")
    assert code == 2 and "KB" in said
    junk = tmp_path / "ee03_saving-junk.ipynb"
    junk.write_text("not json")
    assert handin(course, junk, "model")[0] == 2
    good = next(graded["files"].glob("ee03_saving-model.ipynb"))
    code, said = handin(course, good, "NOT_LISTED")
    assert code == 2 and "not on the participants list" in said
    code, said = handin(course, good, "model", "--assignment", "../../etc")
    assert code == 2 and "unknown" in said
