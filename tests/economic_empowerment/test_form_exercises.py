"""The economic-empowerment exercises written as answer forms, through real nbgrader commands.

These are the exercises of the sessions added when the course was corrected (5 fees, wages and
rights; 8 finding work; 9 a business idea and its price). Every autograded answer is a value
(:mod:`widgets.forms.model`). One temporary course holds them, with Homeward's empty code stub,
and four students:

- ``model``: the release filled with the source's model answers and reflection (as the form app
  writes them) gets every autograded point, and its reflection waits for the facilitator;
- ``blank``: the release as handed out gets 0 and does not crash the grader;
- ``wrong``: typical mistakes get partial marks, and the feedback says what to look at;
- ``hand``: the same answers typed by hand in JupyterLab get the same marks as the form.

The figures each exercise expects are recomputed here with the project's models.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from widgets import loans
from widgets.business import model as bm
from widgets.forms.model import (
    check_submission,
    fill_notebook,
    model_reflections,
    model_values,
    questions,
    reflections,
)
from widgets.savings.model import Plan, debt_schedule, summarize

try:
    from tests.helpers.nbgrader_course import create_course
except ModuleNotFoundError:  # when tests/ is not a package
    from helpers.nbgrader_course import create_course

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
LESSONS = ROOT / "modules" / "economic_empowerment"
ASSIGNMENTS = ("ee05_rights", "ee08_work", "ee09_business_price")
STUB = 'c.ClearSolutions.code_stub = {"python": ""}\n'
INTERNAL = re.compile(r"\b00[0-4]_[0-9a-f]{16}|anchors\.md|\[(confirmed|unverified)\]")

#: Typical mistakes, the autograded score they keep, and what the feedback must say.
WRONG = {
    "ee05_rights": ({"who_pays": "worker", "wages_owed": 135_000}, 5.0,
                    ("workers should not be charged", "add the ₱8,000 of overtime")),
    "ee08_work": ({"office": "tesda", "left_offer_a": 13_000}, 6.0,
                  ("TESDA is in the Philippines", "take away the bus")),
    "ee09_business_price": ({"full_cost": 370, "break_even_jobs": 63}, 5.0,
                            ("you left out the depreciation", "round UP")),
}


def _source(name: str) -> dict:
    return json.loads((EXERCISES / name / f"{name}.ipynb").read_text())


def _months(savings: float, income: float, spending: float) -> int:
    plan = Plan(months=60, return_month=0, personal_savings=savings, family_savings=0,
                local_income=income, expenses_after=spending, inflation_yearly_pct=0,
                personal_yearly_rate_pct=0, family_yearly_rate_pct=0, debt=None, group=None,
                goals=())
    return summarize(plan).months_savings_last_after_return


def _by_hand(release: dict, values: dict) -> dict:
    """What a person does in JupyterLab: type each value after the = sign, with a comment."""
    nb = json.loads(json.dumps(release))
    for question in questions(nb):
        cell = nb["cells"][question.cell]
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        value = values[question.name]
        typed = f'"{value}"' if isinstance(value, str) else str(value)
        cell["source"] = source.replace("= None", f"= {typed}  # my answer")
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
    assert sum(c["metadata"]["nbgrader"]["points"] for c in graded) in (9, 10)
    for cell in graded:
        source = "".join(cell["source"])
        assert source.startswith('"""Checks') and "### BEGIN HIDDEN TESTS" in source
        assert "import" not in source, "checks import nothing (a module can be replaced)"
        assert "().__class__.__class__" in source, "exact types come from literals"
    text = json.dumps(nb, ensure_ascii=False)
    assert "illustrative" in text and not INTERNAL.search(text)
    lesson = f"lesson {int(name[2:4])} ("
    assert lesson in text and any(LESSONS.glob(f"{name[2:4]}-*.ipynb")), \
        "name its lesson by number and title"
    assert "modules/" not in nb["cells"][0]["source"], "a lesson is named by its title, not its file"


def test_expected_figures_come_from_the_models():
    values = {name: model_values(_source(name)) for name in ASSIGNMENTS}
    loan = loans.repaid_by(100_000, yearly_rate_pct=24, payment=10_000)
    payments, _ = debt_schedule(loan, 36)
    assert abs(values["ee05_rights"]["interest_paid"] - (payments.sum() - 100_000)) <= 2
    assert values["ee05_rights"]["wages_owed"] == 3 * 45_000 + 8_000
    work = values["ee08_work"]
    assert work["left_offer_a"] == 13_000 - 1_200 and work["monthly_wage"] == 520 * 22
    assert work["better_offer"] == ("a" if 13_000 - 1_200 > 560 * 21 else "b")
    assert work["months_savings_last"] == _months(40_000, 6_000 + work["left_offer_a"], 20_000)
    joy = bm.BusinessPlan(name="Joy", price=450.0, materials_per_unit=180.0, labour_per_unit=70.0,
                          units_per_month=100.0, fixed_costs=12_000.0,
                          equipment=(bm.Equipment("Tools", 36_000.0, 4.0),))
    price = values["ee09_business_price"]
    assert price["depreciation_month"] == bm.costing(joy).depreciation_per_month
    assert price["full_cost"] == bm.costing(joy).cost_per_unit  # depreciation included
    assert price["break_even_jobs"] == math.ceil(bm.break_even(joy).units_per_month)
    assert bm.break_even(bm.BusinessPlan(  # ₱350: above parts and labour, so it can break even
        name="Joy", price=350.0, materials_per_unit=180.0, labour_per_unit=70.0,
        units_per_month=100.0, fixed_costs=12_000.0,
        equipment=(bm.Equipment("Tools", 36_000.0, 4.0),))).units_per_month > 100


# ------------------------------------------------------------------------------ the pipeline
@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("ee-forms-nbgrader")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        env.setenv("PYTHONPYCACHEPREFIX", str(root / "pycache"))
        course = create_course(root / "course", "homeward-ee-forms", extra_config=STUB)
        for name in ASSIGNMENTS:
            course.add_source(EXERCISES / name)
        course.add_students("model", "blank", "wrong", "hand")
        course.generate()
        for name in ASSIGNMENTS:
            release = json.loads(course.release_notebook(name).read_text())
            source = _source(name)
            model = model_values(source)
            submissions = {
                "model": fill_notebook(release, model, model_reflections(source)),
                "blank": release,
                "wrong": fill_notebook(release, {**model, **WRONG[name][0]}),
                "hand": _by_hand(release, model),
            }
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
def test_model_answers_get_every_autograded_point(course, name):
    full = course.max_score(name, autograded_only=True)
    scores = course.scores(name, autograded_only=True)
    assert scores["model"] == full > 0
    assert scores["hand"] == full, "typed by hand must grade the same as the form"
    manual = [g for g in course.grades(name, "model") if not g.autograded]
    assert manual and all(g.needs_manual_grade for g in manual)


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_blank_gets_zero(course, name):
    assert course.scores(name)["blank"] == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_typical_mistakes_get_partial_marks_and_a_hint(course, name):
    _, keep, hints = WRONG[name]
    assert course.scores(name, autograded_only=True)["wrong"] == keep
    page = (course.feedback_dir("wrong", name) / f"{name}.html").read_text()
    for hint in hints:
        assert hint in page, hint
