"""Every economic-empowerment exercise (``exercises/ee*``) as an answer form.

The assignments are discovered, not listed, so a new ``ee`` folder is tested as soon as it
exists. In-process (fast): the form's structure, the model answers, typical wrong answers and the
prudent rounding of amounts, and the figures the models compute. Through real nbgrader commands,
in one temporary course with five students per assignment:

- ``model``: the model answers written by the form (``fill_notebook``) get full marks;
- ``blank``: the release as handed out gets 0 and does not crash the grader;
- ``hand``: the same answers typed as a person in JupyterLab types them: identical gradebook rows;
- ``wrong``: a typical wrong answer gets partial marks and feedback that says what to look at;
- ``hostile``: reflections holding HTML and code are stored as text and never render or run.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import numpy_financial as npf
import pytest

from widgets.forms.model import (
    check_submission,
    fill_notebook,
    model_reflections,
    model_values,
    questions,
    read_reflections,
    read_values,
    reflections,
    translation_status,
)

try:
    from tests.helpers.forms import grade_in_process, load, structure_problems, typed_by_hand
    from tests.helpers.nbgrader_course import create_course
except ModuleNotFoundError:  # when tests/ is not a package, tests/ itself is on sys.path
    from helpers.forms import grade_in_process, load, structure_problems, typed_by_hand
    from helpers.nbgrader_course import create_course

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
ASSIGNMENTS = sorted(p.name for p in EXERCISES.glob("ee*") if p.is_dir())
#: The course's exercises redesigned as forms in this change (others are written by the lesson
#: authors in the same format and tested by the same generic tests).
EXPECTED = ("ee01_money_cycle", "ee02_budgeting", "ee03_saving", "ee04_remittances",
            "ee06_debt", "ee07_protection", "ee10_business_plan", "ee12_reintegration_plan")

#: A typical mistake per exercise: (answers, words of the hint she must read).
WRONG = {
    "ee01_money_cycle": ({"monthly_saving": 16000, "roof_in_two_years": 124800},
                         "take away what is already saved"),
    "ee02_budgeting": ({"tricycle_profit": 14000, "budget_plan": "D"},
                       "Lorna's own pay is a cost of the business too"),
    "ee03_saving": ({"better_account": "B", "paid_when_pot": 6000},
                    "the fee is taken twelve times"),
    "ee04_remittances": ({"transfer_cost": 250, "family_receives": 15000},
                         "add the exchange-rate margin"),
    "ee06_debt": ({"cooperative_total": 24800, "five_six_yearly": "20"},
                  "find the equal monthly payment"),
    "ee07_protection": ({"months_to_build": 18, "to_borrow_uninsured": 60000},
                        "take the ₱12,000 she has from the target first"),
    "ee10_business_plan": ({"break_even_repairs": 28, "first_short_month": 3},
                           "divide the fixed costs PLUS the depreciation"),
    "ee12_reintegration_plan": ({"full_months": 3, "missing_dimension": "social"},
                                "divide the savings by the monthly GAP"),
}


def source(assignment: str) -> dict:
    return load(EXERCISES / assignment / f"{assignment}.ipynb")


def _autograded_points(nb: dict) -> float:
    return sum(c["metadata"]["nbgrader"]["points"] for c in nb["cells"]
               if c["cell_type"] == "code" and c["metadata"].get("nbgrader", {}).get("grade"))


# ---------------------------------------------------------------------------- the sources
def test_the_redesigned_exercises_exist():
    missing = [name for name in EXPECTED if name not in ASSIGNMENTS]
    assert not missing, f"missing exercise folders: {missing}"
    for name in ASSIGNMENTS:
        assert (EXERCISES / name / f"{name}.ipynb").exists(), name
        assert " " not in name


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_form_structure_in_three_languages(assignment):
    """Every answer is a value with its metadata (labels, help and options in English, Filipino
    and Bahasa Indonesia); checks are locked, hard to fool and explain themselves; no free code
    cells; no file names, tags or Python names reach the participant."""
    assert structure_problems(source(assignment), house_style=assignment in EXPECTED) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_shape_of_an_exercise(assignment):
    """4 to 8 questions worth 8 to 14 points (a lighter session's: 4 or more), hidden tests, a
    reflection for the facilitator,
    the translations marked for review, made-up numbers called illustrative."""
    nb = source(assignment)
    assert 4 <= len(questions(nb)) <= 8
    assert (8 if assignment in EXPECTED else 4) <= _autograded_points(nb) <= 14
    assert "### BEGIN HIDDEN TESTS" in json.dumps(nb)
    assert len(reflections(nb)) == 1 and reflections(nb)[0].points >= 3
    assert set(translation_status(nb)) == {"fil", "id"}
    text = " ".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "illustrative" in text.lower()
    assert "pip install" not in json.dumps(nb)


@pytest.mark.parametrize("assignment", EXPECTED)
def test_the_intro_states_the_points(assignment):
    nb = source(assignment)
    intro = "".join(nb["cells"][0]["source"])
    found = re.search(r"checked at once \((\d+) points\)\. Part \d+ is read and graded by your "
                      r"facilitator \((\d+) points\)", intro)
    assert found, intro[-300:]
    assert int(found.group(1)) == _autograded_points(nb)
    assert int(found.group(2)) == reflections(nb)[0].points


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_model_answers_get_every_point_and_blank_none(assignment):
    nb = source(assignment)
    points, messages = grade_in_process(nb, model_values(nb))
    assert all(points[g] > 0 for g in points), messages
    blank, messages = grade_in_process(nb, {})
    assert sum(blank.values()) == 0
    assert all(m.startswith("AssertionError: ") for m in messages.values()), messages
    if assignment in EXPECTED:
        assert all(m.startswith("AssertionError: Not answered yet") for m in messages.values())


@pytest.mark.parametrize("assignment", EXPECTED)
def test_a_typical_mistake_loses_its_points_and_says_what_to_look_at(assignment):
    nb = source(assignment)
    wrong, hint = WRONG[assignment]
    points, messages = grade_in_process(nb, {**model_values(nb), **wrong})
    full = _autograded_points(nb)
    assert 0 < sum(points.values()) < full
    failed = [m for g, m in messages.items() if points[g] == 0]
    assert len(failed) == len(wrong)
    assert all(m.startswith("AssertionError: Not yet: ") for m in failed), failed
    assert any(hint in m for m in failed), failed


@pytest.mark.parametrize("assignment, name, value, right", [
    ("ee01_money_cycle", "monthly_saving", 14285.71, True),
    ("ee01_money_cycle", "monthly_saving", 14285.72, True),  # the prudent rounding
    ("ee01_money_cycle", "monthly_saving", 14285.70, False),
    ("ee01_money_cycle", "monthly_saving", 14286, False),
    ("ee01_money_cycle", "monthly_saving", "14285.71", False),  # a text is not an amount
    ("ee06_debt", "cooperative_total", 22265.30, True),
    ("ee06_debt", "cooperative_total", 22265.31, True),
    ("ee06_debt", "cooperative_total", 22265.29, False),
    ("ee06_debt", "cheaper_by", 3734.69, True),
    ("ee06_debt", "cheaper_by", 3734.70, True),
    ("ee06_debt", "cheaper_by", 3734.68, False),
    ("ee10_business_plan", "cooperative_interest", 661.85, True),  # worked out exactly
    ("ee10_business_plan", "cooperative_interest", 661.86, True),
    ("ee10_business_plan", "cooperative_interest", 661.88, True),  # the lender's rounded payments
    ("ee10_business_plan", "cooperative_interest", 661.84, False),
    ("ee10_business_plan", "cooperative_interest", 661.90, False),
    ("ee10_business_plan", "break_even_repairs", 63, False),  # below break-even
    ("ee10_business_plan", "break_even_repairs", 64.0, True),
    ("ee03_saving", "difference", 44959, True),  # rupiah: within one rupiah
    ("ee03_saving", "difference", 44960, True),
    ("ee03_saving", "difference", 44957, False),
    ("ee03_saving", "nok_after_year", 19859.67, True),
    ("ee03_saving", "nok_after_year", 19859.68, True),
    ("ee03_saving", "nok_after_year", 19859.70, False),
    ("ee04_remittances", "cost_percent", 3.17, True),
    ("ee04_remittances", "cost_percent", 3.16, True),
    ("ee04_remittances", "cost_percent", 3.2, False),
    ("ee12_reintegration_plan", "six_month_date", "2026-07-15", True),
    ("ee12_reintegration_plan", "six_month_date", " 2026-07-15 ", True),
    ("ee12_reintegration_plan", "six_month_date", "2026-06-15", False),
    ("ee12_reintegration_plan", "six_month_date", "15/07/2026", False),
])
def test_tolerance_and_types(assignment, name, value, right):
    nb = source(assignment)
    points, _ = grade_in_process(nb, {**model_values(nb), name: value})
    assert (sum(points.values()) == _autograded_points(nb)) == right


def test_figures_are_what_the_models_compute():
    """Expected answers come from the simulators' models (the savings model, the loans module
    the business simulator uses) and numpy-financial, not by hand."""
    from widgets import loans
    from widgets.savings.model import Plan, Shocks, summarize

    early = summarize(dataclasses.replace(Plan(), shocks=Shocks(early_return_month=12)))
    assert model_values(source("ee01_money_cycle"))["months_savings_last"] == \
        early.months_savings_last_after_return
    ee06 = model_values(source("ee06_debt"))
    total = 10 * float(npf.pmt(0.02, 10, -20_000))
    assert abs(ee06["cooperative_total"] - total) <= 0.01
    assert abs(ee06["cheaper_by"] - (26_000 - total)) <= 0.01
    coop = loans.cooperative(20_000, yearly_rate_pct=24, months=10)
    assert abs(ee06["cooperative_total"] - coop.total_repaid) <= 0.01
    assert loans.microfinance(20_000, flat_monthly_rate_pct=3, payments=10).total_repaid == \
        26_000
    daily = loans.rates(loans.five_six(5_000, payments=30, every="day"))
    assert ee06["five_six_yearly"] == "over400" and daily.apr_pct > 400
    assert round(loans.rates(loans.five_six(5_000)).apr_pct) == 240  # the "240" option
    ee10 = model_values(source("ee10_business_plan"))
    coop = loans.cooperative(10_000, yearly_rate_pct=12, months=12)
    assert ee10["cooperative_interest"] == round(coop.total_repaid - 10_000, 2)
    assert abs(ee10["cooperative_interest"] - (12 * float(npf.pmt(0.01, 12, -10_000)) - 10_000)
               ) <= 0.05
    offers = {"cooperative": coop,
              "microfinance": loans.microfinance(10_000, flat_monthly_rate_pct=2, payments=12),
              "five_six": loans.five_six(10_000, payments=60, every="day")}
    cheapest = min(offers, key=lambda k: loans.rates(offers[k]).apr_pct)
    assert ee10["cheapest_source"] == cheapest


# ---------------------------------------------------------------------------- real nbgrader
HOSTILE_TEXT = ("<img src=x onerror=alert(1)> <script>alert('x')</script> "
                "__import__('os').system('touch {canary}') [link](javascript:alert(1))")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    if not ASSIGNMENTS:
        pytest.fail("no exercises/ee* assignments to grade")
    root = tmp_path_factory.mktemp("ee-nbgrader")
    with pytest.MonkeyPatch.context() as env:
        # nbgrader starts one Python kernel per submission. Let them share compiled
        # bytecode in the temporary directory instead of each compiling every import again.
        env.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        env.setenv("PYTHONPYCACHEPREFIX", str(root / "pycache"))
        return _grade_everything(root)


def _grade_everything(root: Path):
    course = create_course(root / "course", "homeward-ee")
    for name in ASSIGNMENTS:
        course.add_source(EXERCISES / name)
    course.add_students("model", "blank", "hand", "wrong", "hostile")
    course.generate()  # every assignment, one command
    course.canary = root / "canary"
    course.releases = {}
    for name in ASSIGNMENTS:
        release = json.loads(course.release_notebook(name).read_text())
        course.releases[name] = release
        src = source(name)
        model, texts = model_values(src), model_reflections(src)
        wrong = WRONG.get(name, ({q.name: None for q in questions(src)[:1]}, ""))[0]
        hostile = {r.name: HOSTILE_TEXT.format(canary=course.canary) for r in reflections(src)}
        notebooks = {
            "model": fill_notebook(release, model, texts),
            "blank": release,
            "hand": typed_by_hand(release, model, texts),
            "wrong": fill_notebook(release, {**model, **wrong}),
            "hostile": fill_notebook(release, model, hostile),
        }
        for student, nb in notebooks.items():
            assert check_submission(nb, release) == [], (student, name)
            path = root / f"{student}-{name}.ipynb"
            path.write_text(json.dumps(nb))
            course.submit(student, name, path)
    course.autograde()  # every submission, one command
    course.generate_feedback()
    return course


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_is_a_blank_form_with_no_solutions_and_no_hidden_tests(course, assignment):
    release = course.releases[assignment]
    text = json.dumps(release)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS",
                   "Model answer"):
        assert marker not in text, marker
    assert all(v is None for v in read_values(release)[0].values())
    code = "".join("".join(c["source"]) for c in release["cells"] if c["cell_type"] == "code")
    for cell in source(assignment)["cells"]:
        src = "".join(cell["source"])
        if "### BEGIN HIDDEN TESTS" in src:
            hidden = src.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
            for line in hidden.strip().splitlines():
                assert len(line.strip()) < 12 or line.strip() not in code, line


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_model_full_marks_and_blank_zero(course, assignment):
    failed = [(g.name, g.score, g.max_score) for g in course.grades(assignment, "model")
              if g.autograded and g.score < g.max_score]
    assert not failed, failed
    full = course.max_score(assignment, autograded_only=True)
    scores = course.scores(assignment, autograded_only=True)
    assert scores["model"] == full > 0 and scores["blank"] == 0
    rows = course.grades(assignment, "blank")
    assert len(rows) == len([c for c in source(assignment)["cells"]
                             if c["metadata"]["nbgrader"]["grade"]])


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_typed_by_hand_and_written_by_the_form_give_identical_rows(course, assignment):
    def rows(student):
        return [(g.name, g.score, g.auto_score, g.needs_manual_grade)
                for g in course.grades(assignment, student)]
    assert rows("hand") == rows("model")


@pytest.mark.slow
@pytest.mark.parametrize("assignment", EXPECTED)
def test_wrong_answer_partial_marks_and_feedback(course, assignment):
    got = course.scores(assignment, autograded_only=True)["wrong"]
    full = course.max_score(assignment, autograded_only=True)
    assert 0 < got < full
    page = (course.feedback_dir("wrong", assignment) / f"{assignment}.html").read_text()
    assert "Not yet: " in page
    hint = WRONG[assignment][1]
    assert hint.replace("'", "&#39;") in page or hint in page
    # only the message, never the code of the failing check (its hidden expected value)
    assert "most recent call last" not in page and "----&gt;" not in page


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hostile_reflection_is_text_that_never_renders_or_runs(course, assignment):
    assert not course.canary.exists()
    graded = json.loads((course.root / "autograded" / "hostile" / assignment /
                         f"{assignment}.ipynb").read_text())
    written = HOSTILE_TEXT.format(canary=course.canary)
    assert set(read_reflections(graded).values()) == {written}
    page = (course.feedback_dir("hostile", assignment) / f"{assignment}.html").read_text()
    for raw in ("<img src=x", "<script>alert('x')", 'href="javascript:'):
        assert raw not in page, raw
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # she sees what she wrote, as text
    assert course.scores(assignment, autograded_only=True)["hostile"] == \
        course.max_score(assignment, autograded_only=True)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_reflection_waits_for_the_facilitator(course, assignment):
    manual = [g for g in course.grades(assignment, "model") if not g.autograded]
    assert manual and all(g.needs_manual_grade and g.max_score > 0 for g in manual)
    blank = [g for g in course.grades(assignment, "blank") if not g.autograded]
    assert all(not g.needs_manual_grade and g.score == 0 for g in blank)
