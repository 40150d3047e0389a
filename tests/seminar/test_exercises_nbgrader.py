"""The seminar exercises: answer forms checked in-process (many ways of writing an answer) and
through real nbgrader commands in one temporary course (model, blank, typed by hand, a typical
wrong answer, a hostile text)."""

import json
from pathlib import Path

import pytest

from widgets.forms.model import (
    check_submission,
    fill_notebook,
    model_reflections,
    model_values,
    questions,
    read_values,
)

try:
    from tests.helpers.forms import grade_in_process, load, structure_problems, typed_by_hand
    from tests.helpers.nbgrader_course import create_course
except ModuleNotFoundError:  # when tests/ is not a package, tests/ itself is on sys.path
    from helpers.forms import grade_in_process, load, structure_problems, typed_by_hand
    from helpers.nbgrader_course import create_course

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "exercises").glob("seminar_*") if p.is_dir())
NAP = "National Action Plan on Sustainable, Gender-Responsive Return and Reintegration"


def source(assignment: str) -> dict:
    return load(ROOT / "exercises" / assignment / f"{assignment}.ipynb")


def test_there_are_seminar_assignments():
    assert {"seminar_policies", "seminar_concepts", "seminar_action_plan"} <= set(ASSIGNMENTS)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_form_structure(assignment):
    """Every answer is a value with its metadata; checks are locked, hard to fool, explain
    themselves; no file names or Python names reach the participant (English only: the
    seminar is for officials)."""
    assert structure_problems(source(assignment), languages=("en",)) == []


@pytest.mark.parametrize("assignment", ["seminar_policies", "seminar_concepts"])
def test_sources_are_named_by_their_titles(assignment):
    intro = "".join(source(assignment)["cells"][0]["source"])
    assert NAP in intro


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_model_answers_get_every_point_and_blank_none(assignment):
    nb = source(assignment)
    points, messages = grade_in_process(nb, model_values(nb))
    assert all(points[g] > 0 for g in points), messages
    blank, messages = grade_in_process(nb, {})
    assert sum(blank.values()) == 0
    assert all("Not answered yet" in m or "Not yet" in m for m in messages.values()), messages


def _points(assignment: str, grade_id: str, **values) -> float:
    nb = source(assignment)
    answers = {**model_values(nb), **values}
    return grade_in_process(nb, answers)[0][grade_id]


@pytest.mark.parametrize("text", [
    "gender disaggregation", "sex-disaggregated", "by sex", "by gender", "Disaggregated by sex",
    "data split by gender", "women and men apart", "ayon sa kasarian", "hiwalay ang babae at lalaki",
    "menurut jenis kelamin", "terpilah menurut jenis kelamin", "terpilah gender",
])
def test_the_split_by_sex_in_other_words_is_right(text):
    assert _points("seminar_policies", "data-test", data_split=text) == 2


@pytest.mark.parametrize("text", [
    "good data", "important", "by region", "yes", "I don't know", "asdf",
    "by sex, age, income, region and province",  # a list that lists everything
    "sex " * 30,  # filler
    "disaggregated",
])
def test_filler_and_other_splits_are_not(text):
    assert _points("seminar_policies", "data-test", data_split=text) == 0


@pytest.mark.parametrize("text, points", [
    ("1, 5, 10, 16, 17", 2), ("17,16,10,5,1", 2), ("SDG 1, SDG 5, SDG 10, 16 and 17", 2),
    ("1, 5, 10, 16", 0), ("1, 2, 3, 4, 5, 10, 16, 17", 0), ("1, 5, 10, 16, 18", 0),
    ("one, five", 0),
])
def test_the_five_goals_in_any_order(text, points):
    assert _points("seminar_policies", "sdgs-test", linked_sdgs=text) == points


@pytest.mark.parametrize("text, points", [
    ("savings in her own name", 2), ("a personal savings account separate from her husband's", 2),
    ("separate accounts for women migrants", 2), ("ipon sa sariling pangalan", 2),
    ("rekening atas nama sendiri", 2), ("tabungan pribadi yang terpisah", 2),
    ("she should save more", 0), ("talk to the husband", 0), ("", 0),
])
def test_own_savings_in_other_words(text, points):
    assert _points("seminar_concepts", "own-name-test", own_savings=text) == points


@pytest.mark.parametrize("value, points", [(74.5, 2), (74.54, 2), (75, 2), (74.0, 0),
                                           (25.5, 0), ("74.5", 0), (True, 0)])
def test_the_fall_in_percent_with_a_tolerance(value, points):
    assert _points("seminar_concepts", "fall-test", fall_percent=value) == points


@pytest.mark.parametrize("value, points", [(6916, 1), (6915, 1), (6916.0, 1), (6915.56, 0), (6900, 0),
                                           (83, 0)])
def test_people_unemployed_within_one(value, points):
    """A whole number was asked for: 6,915.56 people is not an answer a form accepts."""
    assert _points("seminar_concepts", "unemployed-test", unemployed=value) == points


@pytest.mark.parametrize("indicator, points", [
    ("Returnees placed in jobs, by sex", 1), ("Women returnees trained", 1),
    ("Bilang ng kababaihang may trabaho", 1), ("Jumlah perempuan yang bekerja", 1),
    ("Returnees placed in jobs", 0), ("Number of meetings held", 0),
])
def test_a_gender_responsive_indicator(indicator, points):
    assert _points("seminar_action_plan", "plan-gender-test", indicator=indicator) == points


def test_months_must_run_forward():
    assert _points("seminar_action_plan", "plan-months-test", start_month=5, end_month=3) == 0
    assert _points("seminar_action_plan", "plan-months-test", start_month=5, end_month=5) == 1


# ---------------------------------------------------------------------------- real nbgrader
WRONG = {  # typical mistakes: one per assignment's first checks
    "seminar_policies": {"gcm_objective": 17, "lead_now": "DOFIL"},
    "seminar_concepts": {"compare": "yes-8-times", "fall_percent": 25.5},
    "seminar_action_plan": {"indicator": "Returnees placed in jobs"},
}
HOSTILE = "__import__('os').system('touch {canary}')"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("seminar-nbgrader")
    course = create_course(root / "course", "homeward-seminar")
    for name in ASSIGNMENTS:
        course.add_source(ROOT / "exercises" / name)
    course.add_students("model", "blank", "hand", "wrong", "hostile")
    course.generate()  # all assignments, one command
    course.canary = root / "canary"
    for name in ASSIGNMENTS:
        release = json.loads(course.release_notebook(name).read_text())
        src = source(name)
        model = model_values(src)
        hostile = {q.name: HOSTILE.format(canary=course.canary) for q in questions(release)
                   if q.kind == "text"}
        notebooks = {
            "model": fill_notebook(release, model, model_reflections(src)),
            "blank": release,
            "hand": typed_by_hand(release, model, model_reflections(src)),
            "wrong": fill_notebook(release, {**model, **WRONG[name]}),
            "hostile": fill_notebook(release, {**model, **hostile}),
        }
        for student, nb in notebooks.items():
            assert check_submission(nb, release) == [], (student, name)
            path = root / f"{student}-{name}.ipynb"
            path.write_text(json.dumps(nb))
            course.submit(student, name, path)
    course.autograde()
    course.generate_feedback()
    return course


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions(course, assignment):
    text = course.release_notebook(assignment).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "Model answer"):
        assert marker not in text
    release = json.loads(text)
    assert all(v is None for v in read_values(release)[0].values())
    code = "".join("".join(c["source"]) for c in release["cells"] if c["cell_type"] == "code")
    for cell in source(assignment)["cells"]:
        src = "".join(cell["source"])
        if "### BEGIN HIDDEN TESTS" in src:
            hidden = src.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            for line in hidden.strip().splitlines():
                if len(line.strip()) > 12:
                    assert line.strip() not in code, line


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_model_full_marks_blank_zero_hand_equals_form(course, assignment):
    full = course.max_score(assignment, autograded_only=True)
    scores = course.scores(assignment, autograded_only=True)
    assert scores["model"] == full > 0 and scores["blank"] == 0
    rows = {s: [(g.name, g.score, g.auto_score) for g in course.grades(assignment, s)]
            for s in ("model", "hand")}
    assert rows["model"] == rows["hand"]
    assert (course.feedback_dir("blank", assignment) / f"{assignment}.html").exists()


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_typical_wrong_answer_gets_partial_marks_and_says_what_to_look_at(course, assignment):
    full = course.max_score(assignment, autograded_only=True)
    got = course.scores(assignment, autograded_only=True)["wrong"]
    assert 0 < got < full
    page = (course.feedback_dir("wrong", assignment) / f"{assignment}.html").read_text()
    assert "Not yet:" in page


@pytest.mark.slow
def test_a_hostile_text_is_a_string_graded_wrong_and_never_run(course):
    assert not course.canary.exists()
    for assignment in ASSIGNMENTS:
        graded = json.loads((course.root / "autograded" / "hostile" / assignment /
                             f"{assignment}.ipynb").read_text())
        values = read_values(graded)[0]
        texts = [v for v in values.values() if isinstance(v, str) and "__import__" in v]
        assert texts and all(v == HOSTILE.format(canary=course.canary) for v in texts)
    rows = {g.name: g.score for g in course.grades("seminar_policies", "hostile")}
    assert rows["data-test"] == rows["sdgs-test"] == 0  # the two text answers
    assert rows["gcm-test"] == 1  # the other answers still count


@pytest.mark.slow
def test_manual_answer_waits_for_the_facilitator(course):
    rows = {g.name: g for g in course.grades("seminar_action_plan", "model")}
    assert rows["plan-explanation"].needs_manual_grade
    assert rows["plan-explanation"].max_score == 6
    feedback = course.feedback_dir("model", "seminar_action_plan") / "seminar_action_plan.html"
    assert "Model answer" in feedback.read_text()  # the participant's own answer is shown back
    blank = {g.name: g for g in course.grades("seminar_action_plan", "blank")}
    assert not blank["plan-explanation"].needs_manual_grade  # nothing written: 0, no work
