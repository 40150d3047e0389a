"""Fixtures for the mentoring tests: a small hand-made cohort pushed through real nbgrader.

The cohort (all fake) has 10 participants: p01-p05 women, p06-p08 men, p09-p10 with no gender
given ("unknown"). Every expected value in the tests is worked out by hand from the answers
below; the comments in the tests show the arithmetic.

- work: p03 (a woman whose business closed) and p07 (a man) have stable work, which counts
  like a running business; p02, p05 and p06 have paid work that is not regular.
- baseline (due 2026-01-15): p01-p08 answer; p09 sends a file that is not a notebook (broken);
  p10 sends nothing.
- m03 (due 2026-04-15): p01-p06 answer on time; p07 answers late (2026-04-30); p08 sends the
  blank released notebook; p09 and p10 send nothing.
- m06 (due 2026-07-15, after "now" = 2026-05-01): released, not due, nobody answers.
- m12: not generated yet.
- a small exercise ``ee99_toy`` (2 points): p01 answers right, p02 wrong (both graded); p03
  and p06 hand it in but it is not graded yet.

To keep the test within its time on a shared 2-core machine, nbgrader grades a representative
part of the submissions, as a facilitator does when grading is still under way: every
submission of p01, p02, p08 and p09 (p09's broken baseline included). The others stay in
``submitted/``, where the progress tables read the answers from anyway. The check-in
notebooks' autograded cells are checked against every answer in
``test_checkin_notebooks.py``, without nbgrader.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from grading.checkins import FIELDS, fill_answers
from widgets.forms.model import fill_notebook

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-05-01 12:00:00"
DUE_DATES = {"baseline": "2026-01-15", "m03": "2026-04-15", "m06": "2026-07-15"}

PEOPLE = pd.DataFrame({
    "id": [f"p{i:02d}" for i in range(1, 11)],
    "first_name": ["Ana", "Maria", "Siti", "Dewi", "Joy", "Juan", "Budi", "Ram", "Sam", "Kim"],
    "last_name": [f"Example {i:02d}" for i in range(1, 11)],
    "email": [f"p{i:02d}@example.invalid" for i in range(1, 11)],
    "gender": ["woman"] * 5 + ["man"] * 3 + ["", ""],
    "cohort": "test-A",
})

_COLUMNS = ("savings", "savings_plan", "emergency_months", "debt", "repayment", "income",
            "business_status", "profit", "work", "remittance_use", "family", "community",
            "wellbeing", "next_milestones")
#: The language each participant reads her messages in (the rest: English).
LANGUAGE = {"p03": "fil", "p04": "id", "p07": "id"}


def _row(values: str, pid: str = "") -> dict:
    """savings plan emergency debt repayment income business profit work remit family
    community wellbeing next, separated by |; work is none, irregular or stable."""
    parts = [p.strip() for p in values.split("|")]
    number = float
    out = dict(zip(_COLUMNS, [number(parts[0]), number(parts[1]), number(parts[2]),
                              number(parts[3]), number(parts[4]), number(parts[5]), parts[6],
                              number(parts[7]), parts[8], parts[9], int(parts[10]),
                              int(parts[11]), int(parts[12]), parts[13]], strict=True))
    out["working"] = out["work"] != "none"
    out["language"] = LANGUAGE.get(pid, "en")
    assert set(out) == set(FIELDS)
    return out


#     savings | plan | em | debt | rep | income | business | profit | work | remit | fam com wb | next
ANSWERS = {
    ("p01", "baseline"): "20000|20000|3|0|0|10000|operating|2000|none|daily needs|4|4|4|open a savings account in my own name",
    ("p02", "baseline"): "5000|20000|1|30000|5000|10000|not_started|0|irregular|loan payments|2|3|2|",
    ("p03", "baseline"): "12000|10000|2|10000|3000|10000|closed|0|stable|school fees|3|3|3|find a job in the town",
    ("p04", "baseline"): "8000|10000|4|0|0|0|not_started|0|none|daily needs|5|5|5|finish the cooking course",
    ("p05", "baseline"): "0|0|0|5000|1000|0|not_started|0|none|nothing sent now|1|2|1|ask my mentor",
    ("p06", "baseline"): "30000|25000|6|20000|2000|20000|operating|5000|irregular|store stock|4|4|5|buy a second tricycle",
    ("p07", "baseline"): "15000|15000|3|0|0|15000|not_started|0|stable|school fees|3|4|3|pay school fees early",
    ("p08", "baseline"): "10000|12000|2|8000|4000|10000|operating|-500|none|medicine|3|2|2|sell at the market",
    ("p01", "m03"): "26000|24500|3.5|0|0|11000|operating|2500|none|savings account|5|4|5|register the store at the municipality",
    ("p02", "m03"): "4000|26000|0.5|28000|4800|8000|not_started|0|irregular|loan payments|2|2|1|talk with my husband about the budget",
    ("p03", "m03"): "15000|13000|3|4000|2000|12000|closed|0|stable|school fees|3|4|3|",
    ("p04", "m03"): "9000|13000|4|0|0|6000|operating|1000|none|store stock|4|5|4|sell snacks at the school gate",
    ("p05", "m03"): "1000|3000|0.5|4000|1000|4000|not_started|0|irregular|daily needs|2|3|3|join the savings group",
    ("p06", "m03"): "36000|31000|7|14000|2000|22000|operating|6000|irregular|store stock|4|4|4|hire a helper for the store",
    ("p07", "m03"): "18000|19500|3|0|0|15000|operating|1500|stable|school fees|4|4|4|open a second stall",
}
LATE = {("p07", "m03")}
BLANK = {("p08", "m03")}
BROKEN = {("p09", "baseline")}
#: whose submissions nbgrader grades in the fixture
GRADED = ["p01", "p02", "p08", "p09"]


def answer_records() -> pd.DataFrame:
    """The check-in records as tables_from_records takes them (what the notebooks hold)."""
    rows = []
    for (pid, checkin), text in ANSWERS.items():
        late = (pid, checkin) in LATE
        rows.append({"participant": pid, "checkin": checkin,
                     "status": "late" if late else "submitted",
                     "submitted_at": pd.Timestamp(_stamp(checkin, late), tz="UTC"),
                     **_row(text, pid)})
    for pid, checkin in BROKEN:
        rows.append({"participant": pid, "checkin": checkin, "status": "broken",
                     "submitted_at": pd.Timestamp(_stamp(checkin, False), tz="UTC"),
                     "problem": "the file is not a readable notebook"})
    return pd.DataFrame(rows)


def cohort_records() -> pd.DataFrame:
    """answer_records() as the course gives them on 1 May 2026: baseline and m03 due, m06 and
    m12 not yet; p08's blank 3-month notebook counts as missing."""
    due = pd.DataFrame([{"participant": p, "checkin": c, "due": c in ("baseline", "m03")}
                        for p in PEOPLE["id"] for c in ("baseline", "m03", "m06", "m12")])
    records = due.merge(answer_records(), on=["participant", "checkin"], how="left")
    blank = (records["participant"] == "p08") & (records["checkin"] == "m03")
    records.loc[blank, ["status", "problem"]] = ["missing", "sent without any answer"]
    records.loc[blank, "submitted_at"] = pd.Timestamp(_stamp("m03", False), tz="UTC")
    return records


TOY = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "id": "answer", "outputs": [],
         "metadata": {"nbgrader": {"grade": False, "grade_id": "answer", "locked": False,
                                   "schema_version": 3, "solution": True},
                      "homeward": {"answer": {"name": "months", "kind": "number",
                                              "label": {"en": "Months a fund of 9,000 covers "
                                                              "at 3,000 a month"}}}},
         "source": "months = None\n### BEGIN SOLUTION\nmonths = 3\n### END SOLUTION"},
        {"cell_type": "code", "execution_count": None, "id": "test", "outputs": [],
         "metadata": {"nbgrader": {"grade": True, "grade_id": "test", "locked": True,
                                   "points": 2, "schema_version": 3, "solution": False}},
         "source": "\"\"\"Checks the months (2 points).\"\"\"\n"
                   "TYPE, INT, FLOAT = ().__class__.__class__, (0).__class__, "
                   "(0.0).__class__\n"
                   "assert (TYPE(months) is INT or TYPE(months) is FLOAT) and months == 3, "
                   "'Divide.'"},
    ],
    "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                "name": "python3"}, "language_info": {"name": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def _stamp(checkin: str, late: bool) -> str:
    return {"baseline": "2026-01-14 09:00:00", "m03": "2026-04-30 10:00:00" if late
            else "2026-04-10 10:00:00"}[checkin]


def nbgrader_api(course):
    """nbgrader's own Python API on the course, in this process.

    ``generate_assignment`` and ``generate_feedback`` run the same converters as the
    ``nbgrader`` command (which ``Course.generate`` and ``Course.feedback`` call); in-process
    they take about 2 s instead of the 15-30 s a new ``nbgrader`` process needs to start on a
    busy shared machine. Grading itself goes through ``Course.autograde`` (the batch)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = str(course.root)
    config.CourseDirectory.course_id = course.course_id
    config.ClearSolutions.code_stub = {"python": ""}  # as the course's nbgrader_config.py
    return NbGraderAPI(config=config)


@pytest.fixture(scope="session")
def mentoring_course(tmp_path_factory):
    """The cohort above as a real course: Course.create, participants add, generate,
    submissions (filled from the answers), the grading batch, feedback for the baseline."""
    from grading.course import Course

    base = tmp_path_factory.mktemp("mentoring")
    exercises = base / "exercises"
    for name in ("checkin_baseline", "checkin_m03", "checkin_m06"):
        shutil.copytree(ROOT / "exercises" / name, exercises / name)
    (exercises / "ee99_toy").mkdir(parents=True)
    (exercises / "ee99_toy" / "ee99_toy.ipynb").write_text(json.dumps(TOY))

    course = Course.create(base / "course", exercises=exercises)
    people_csv = base / "people.csv"
    PEOPLE.to_csv(people_csv, index=False)
    course.add_participants(people_csv)
    api = nbgrader_api(course)
    for name in ("checkin_baseline", "checkin_m03", "checkin_m06", "ee99_toy"):
        assert api.generate_assignment(name, force=True)["success"], name
    (course.root / "progress_config.json").write_text(json.dumps({"due_dates": DUE_DATES}))

    work = base / "work"
    work.mkdir()
    records = answer_records()
    for row in records.to_dict("records"):
        pid, checkin = row["participant"], row["checkin"]
        name = f"checkin_{checkin}"
        path = work / f"{pid}-{name}.ipynb"
        if row["status"] == "broken":
            path.write_text("{ this is not a notebook")
        else:
            released = json.loads((course.root / "release" / name / f"{name}.ipynb").read_text())
            filled = fill_answers(released, {k: row[k] for k in FIELDS})
            path.write_text(json.dumps(filled))
        course.submit_file(pid, name, path, timestamp=_stamp(checkin, row["status"] == "late"))
    for pid, checkin in BLANK:
        name = f"checkin_{checkin}"
        course.submit_file(pid, name, course.root / "release" / name / f"{name}.ipynb",
                           timestamp=_stamp(checkin, False))
    toy = json.loads((course.root / "release" / "ee99_toy" / "ee99_toy.ipynb").read_text())
    for pid, answer in (("p01", 3), ("p02", 6000), ("p03", 3), ("p06", 27)):
        nb = fill_notebook(toy, {"months": answer})
        path = work / f"{pid}-toy.ipynb"
        path.write_text(json.dumps(nb))
        course.submit_file(pid, "ee99_toy", path, timestamp="2026-01-12 15:00:00")
    result = course.autograde(participants=GRADED, workers=2, progress=False)
    assert api.generate_feedback("checkin_baseline", force=True)["success"]
    return course, result, records
