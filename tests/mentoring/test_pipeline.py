"""The hand-made cohort through real nbgrader (Course.create, participants, generate_assignment,
submissions, the grading batch, generate_feedback), then the progress tables and the report
command on that course directory. See conftest.py for the cohort."""

from __future__ import annotations

import csv
import runpy
import sys
from pathlib import Path

import pandas as pd
import pytest

from grading.checkins import FIELDS, MILESTONES
from grading.progress import (
    HIDDEN,
    SUPPRESSED,
    cohort_summary,
    load_tables,
    tables_from_records,
)
from grading.reports import main as report_main

from .conftest import NOW, PEOPLE, cohort_records

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(mentoring_course):
    return mentoring_course[0]


@pytest.fixture(scope="module")
def tables(course):
    return load_tables(course.root, now=NOW)


@pytest.fixture(scope="module")
def expected(mentoring_course):
    """The same cohort from the records the notebooks were filled from (no nbgrader)."""
    _, _, records = mentoring_course
    return records


def test_the_batch_graded_and_kept_going_past_the_broken_notebook(mentoring_course):
    _, result, _ = mentoring_course
    broken = [(o.participant, o.assignment) for o in result.broken()]
    assert broken == [("p09", "checkin_baseline")]
    graded = {(o.participant, o.assignment) for o in result.graded()}
    assert graded == {(p, a) for p in ("p01", "p02", "p08")
                      for a in ("checkin_baseline", "checkin_m03")} | {
        ("p01", "ee99_toy"), ("p02", "ee99_toy")}
    assert result.backup.exists()  # a copy of the gradebook before the batch


def test_gradebook_points_are_the_milestones_in_the_tables(course, tables):
    """Each milestone cell's points in the real gradebook equal ``reached`` in the tables."""
    from nbgrader.api import Gradebook

    reached = tables.milestones.set_index(["participant", "checkin", "milestone"])["reached"]
    checked = 0
    with Gradebook(course.gradebook_url, course_id=course.course_id) as gb:
        for pid in ("p01", "p02", "p08"):
            for checkin in ("baseline", "m03"):
                sub = gb.find_submission(f"checkin_{checkin}", pid)
                grades = {g.name: g.score for g in sub.notebooks[0].grades}
                for m in MILESTONES:
                    if (pid, checkin) == ("p08", "m03"):  # the blank notebook
                        assert grades[m.grade_id] == 0
                        continue
                    assert grades[m.grade_id] == int(reached[pid, checkin, m.code]), (pid, m)
                    checked += 1
                assert grades["reflection"] is None or grades["reflection"] == 0
    assert checked == 25
    # baseline: p01 reached all five, p02 none, p08 two (an operating business, next steps)
    assert [int(reached["p08", "baseline", m.code]) for m in MILESTONES] == [0, 0, 0, 1, 1]


def test_feedback_tells_her_what_she_reached(course):
    page = (course.root / "feedback" / "p01" / "checkin_baseline" /
            "checkin_baseline.html").read_text()
    for m in MILESTONES:
        assert f"You reached: {m.label}" in page
    page = (course.root / "feedback" / "p02" / "checkin_baseline" /
            "checkin_baseline.html").read_text()
    assert "Not yet: an emergency fund of 3 months" in page
    assert "Next: put a small amount aside every week" in page


def test_checkin_rows_and_statuses(tables):
    ch = tables.checkins.set_index(["participant", "checkin"])
    assert len(tables.checkins) == 40
    assert ch.loc[("p09", "baseline"), "status"] == "broken"
    assert ch.loc[("p09", "baseline"), "problem"] == "the file is not a readable notebook"
    assert ch.loc[("p10", "baseline"), "status"] == "missing"
    assert ch.loc[("p07", "m03"), "status"] == "late"  # 30 April, due 15 April
    assert ch.loc[("p08", "m03"), "status"] == "missing"
    assert ch.loc[("p08", "m03"), "problem"] == "sent without any answer"
    assert ch.xs("m06", level="checkin")["due"].eq(False).all()  # due 15 July
    assert ch.xs("m12", level="checkin")["due"].eq(False).all()  # not generated, no due date
    assert ch.xs("m03", level="checkin")["due"].all()
    assert str(ch.loc[("p01", "baseline"), "submitted_at"]) == "2026-01-14 09:00:00+00:00"


def test_answers_read_from_the_notebooks_are_the_answers_typed(tables, expected):
    """Round trip: records -> typed into released notebooks -> nbgrader -> read back."""
    from_records = tables_from_records(PEOPLE, expected, None).checkins
    answered = tables.checkins["status"].isin(["submitted", "late"])
    ours = tables.checkins[answered].set_index(["participant", "checkin"])[list(FIELDS)]
    theirs = from_records.set_index(["participant", "checkin"]).loc[ours.index, list(FIELDS)]
    pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    assert len(ours) == 15


def test_participants_come_from_the_gradebook_and_the_csv(tables):
    people = tables.participants.set_index("participant")
    assert list(people.index) == [f"p{i:02d}" for i in range(1, 11)]
    # pseudonyms come from the course's secret: not P-0001 in id order
    assert people["pseudonym"].str.fullmatch(r"P-[2-9A-HJKMNP-Z]{6}").all()
    assert people["pseudonym"].is_unique and "P-0001" not in set(people["pseudonym"])
    assert people.loc["p06", "gender"] == "man" and people.loc["p09", "gender"] == "unknown"
    assert people.loc["p02", "last_name"] == "Example 02"


def test_pseudonyms_stay_the_same_from_one_report_to_the_next(course, tables):
    import stat

    path = course.root / "pseudonyms.csv"
    before = path.read_bytes()
    again = load_tables(course.root, now=NOW)
    assert path.read_bytes() == before
    pd.testing.assert_frame_equal(again.participants, tables.participants)
    for secret in (path, course.root / ".pseudonym-secret"):  # the facilitator's only
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600


def test_exercises_from_the_gradebook(tables):
    ex = tables.exercises.set_index("participant")
    assert (ex.loc["p01", "status"], ex.loc["p01", "score"], ex.loc["p01", "max_score"]) == (
        "graded", 2, 2)
    assert (ex.loc["p02", "status"], ex.loc["p02", "score"]) == ("graded", 0)
    assert ex.loc["p03", "status"] == "submitted"  # handed in, not graded yet
    assert ex.loc["p04", "status"] == "missing"


def test_flags_index_and_summary_equal_those_from_the_records(tables):
    """Everything derived from the course equals what the same records give (whose values
    test_progress.py checks by hand)."""
    mine = tables_from_records(PEOPLE, cohort_records(), tables.exercises)
    cols = ["participant", "checkin", "flag", "detail"]
    pd.testing.assert_frame_equal(tables.flags[cols], mine.flags[cols])
    pd.testing.assert_frame_equal(tables.index, mine.index)
    by_gender = cohort_summary(tables, by="gender")
    pd.testing.assert_frame_equal(by_gender, cohort_summary(mine, by="gender"))
    women = by_gender[(by_gender["gender"] == "woman") & (by_gender["checkin"] == "baseline")]
    assert women["milestones_mean"].iloc[0] == HIDDEN  # 3 men's answers would show through
    open_ = cohort_summary(tables, by="gender", protect_totals=False)
    assert open_[(open_["gender"] == "woman") & (open_["checkin"] == "baseline")][
        "milestones_mean"].iloc[0] == 2.6  # (5+0+4+3+1) / 5
    assert women["exercise_completion"].iloc[0] == 60.0  # p01 p02 p03 of five
    assert (by_gender[by_gender["gender"] == "man"]["participants"] == SUPPRESSED).all()


def _cells(folder: Path) -> list[str]:
    out = []
    for path in folder.glob("*.csv"):
        with path.open(newline="") as handle:
            out += [cell for row in csv.reader(handle) for cell in row]
    return out


def test_report_command_builds_a_pseudonymised_report(course, tmp_path, monkeypatch, capsys):
    """``python -m grading.reports`` (its file run as __main__ in this process: a new Python
    process would spend most of this test's time importing pandas and nbgrader)."""
    out = tmp_path / "report"
    monkeypatch.setenv("HOMEWARD_COURSE", str(course.root))
    monkeypatch.setattr(sys, "argv", ["python -m grading.reports", "--out", str(out)])
    with pytest.raises(SystemExit) as done:
        runpy.run_path(str(ROOT / "grading" / "reports.py"), run_name="__main__")
    result = capsys.readouterr()
    assert done.value.code == 0, result.err
    assert result.out.strip() == f"report: {out / 'report.html'}"
    assert "check-ins" in result.err and "100%" in result.err  # the tqdm progress bars
    page = (out / "report.html").read_text()
    cells = _cells(out)
    for person in PEOPLE.to_dict("records"):
        for secret in (person["last_name"], person["email"]):
            assert secret not in page and not any(secret in c for c in cells), secret
        assert person["id"] not in cells and f">{person['id']}<" not in page
    people = pd.read_csv(out / "participants_progress.csv")
    assert "gender" not in people.columns and "first_name" not in people.columns
    p09 = pd.read_csv(course.root / "pseudonyms.csv").set_index("participant").loc["p09"]
    row = people[(people["pseudonym"] == p09["pseudonym"]) & (people["checkin"] == "baseline")]
    assert row["status"].tolist() == ["broken"] and row["flags"].tolist() == ["missed_checkin"]
    by_gender = pd.read_csv(out / "cohort_by_gender.csv", dtype=str)
    men = by_gender[by_gender["gender"] == "man"].drop(columns=["checkin", "gender"])
    assert (men == SUPPRESSED).all().all()
    assert page.count("fewer than 5") >= 8


def test_report_with_names_for_the_mentor(course, tmp_path):
    assert report_main(["--course", str(course.root), "--out", str(tmp_path / "r"), "--names",
                        "--no-progress"]) == 0
    people = pd.read_csv(tmp_path / "r" / "participants_progress.csv")
    assert {"participant", "first_name", "last_name", "email", "gender"} <= set(people.columns)
    assert "Example 01" in (tmp_path / "r" / "report.html").read_text()
    assert "for the mentor only" in (tmp_path / "r" / "report.html").read_text()


def test_report_command_errors_are_one_line(tmp_path, capsys):
    assert report_main(["--course", str(tmp_path / "nowhere"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not a course directory" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert report_main(["--synthetic", "20", "--out", str(ROOT / "reports-here"),
                        "--no-progress"]) == 2
    assert "inside the git repository" in capsys.readouterr().err
    assert not (ROOT / "reports-here").exists()
