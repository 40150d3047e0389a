"""A whole grading round through the real nbgrader commands, in one temporary course.

Release and collect go through a temporary exchange (participants fetch and submit with
nbgrader's own commands); someone not on the participants list submits too and is rejected.
A first batch grades two good submissions; the facilitator then grades an answer by hand.
The second batch has good submissions and every broken kind in ONE batch: an invalid file,
a deleted grade cell, a duplicated grade cell, grading settings edited by hand, an endless
loop (5 s limit), enormous output, a notebook that tries to kill its worker, and a
participant who sent nothing. Every kernel runs in the sandbox (the course default).
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess

import nbformat
import pandas as pd
import pytest

from grading import Course, CourseError
from grading.batch import SourceNotebook, precheck
from grading.course import nbgrader_command, subprocess_env
from grading.limits import TRUNCATED_PREFIX
from tests.grading.conftest import MODEL_ANSWER, answered, edited, nbgrader_as_participant

TIMEOUT = 5
PEOPLE = [f"P{i:02d}" for i in range(1, 11)]

ENDLESS = "def double(x):\n    return 2 * x\n\nwhile True:\n    pass"
ENORMOUS = ("def double(x):\n    return 2 * x\n\nprint('x' * 3_000_000)\n"
            "for i in range(3000):\n    print(i)")
PARTIAL = "def double(x):\n    return abs(2 * x)"  # right for x >= 0 only: 1 of 3 points
# code that kills the grading worker running it (its kernel's parent process)
KILLER = "import os, signal\n\nos.kill(os.getppid(), signal.SIGKILL)"


@pytest.fixture(scope="module")
def rounds(tmp_path_factory, tiny_exercises):
    base = tmp_path_factory.mktemp("round")
    exchange = base / "exchange"
    course = Course.create(base / "course", exchange=exchange, timeout=TIMEOUT,
                           exercises=tiny_exercises)
    table = base / "people.csv"
    table.write_text("id,first_name,last_name,gender,cohort\n" + "".join(
        f"{p},Test,Person {p},{'woman' if i % 2 else 'man'},2026-A\n"
        for i, p in enumerate(PEOPLE[:-1])))  # P10 is not on the list: see below
    course.add_participants(table)
    course.generate(["tiny"])
    course.release(["tiny"])
    release = course.root / "release" / "tiny" / "tiny.ipynb"
    # P01 fetches, answers and submits with nbgrader's own commands, through the exchange;
    # P10, who is not on the list, submits too
    for pid in ("P01", "P10"):
        home = base / "homes" / pid
        nbgrader_as_participant(home, exchange, course.course_id, "fetch_assignment", "tiny")
        notebook = home / "tiny" / "tiny.ipynb"
        answered(notebook, MODEL_ANSWER, notebook)
        nbgrader_as_participant(home, exchange, course.course_id, "submit", "tiny",
                                f"--student={pid}")
    collected = course.collect(["tiny"])
    collected_again = course.collect(["tiny"])
    # P02's notebook comes from a laptop (offline collection)
    course.submit_file("P02", "tiny", answered(release, "def double(x):\n    return x + x",
                                               base / "p02.ipynb"),
                       timestamp="2026-03-01 09:00:00 UTC")
    first = course.autograde(["tiny"], workers=1, progress=False)

    # the facilitator grades P01's explanation by hand (as in Formgrader)
    with course.gradebook() as gb:
        grade = gb.find_grade("explain", "tiny", "tiny", "P01")
        grade.manual_score = 1.5
        gb.db.commit()

    drafts = base / "drafts"
    drafts.mkdir()
    p02 = course.root / "submitted" / "P02" / "tiny" / "tiny.ipynb"
    later = "2026-03-02 09:00:00 UTC"
    course.submit_file("P02", "tiny", edited(p02, drafts / "p02.ipynb", drop="test-negative"),
                       timestamp=later)
    # a folder placed by hand for someone not on the list
    shutil.copytree(course.root / "submitted" / "P02" / "tiny",
                    course.root / "submitted" / "P11" / "tiny")
    course.submit_file("P04", "tiny", answered(release, PARTIAL, drafts / "p04.ipynb"),
                       timestamp=later)
    (drafts / "p05.ipynb").write_text('{"cells": [ this is not a notebook')
    course.submit_file("P05", "tiny", drafts / "p05.ipynb", timestamp=later)
    course.submit_file("P06", "tiny",
                       edited(answered(release, MODEL_ANSWER, drafts / "p06a.ipynb"),
                              drafts / "p06.ipynb", duplicate="test-positive"),
                       timestamp=later)
    course.submit_file("P07", "tiny", answered(release, ENDLESS, drafts / "p07.ipynb"),
                       timestamp=later)
    course.submit_file("P08", "tiny", answered(release, ENORMOUS, drafts / "p08.ipynb"),
                       timestamp=later)
    course.submit_file("P03", "tiny", answered(release, KILLER, drafts / "p03.ipynb"),
                       timestamp=later)
    points = json.loads(answered(release, MODEL_ANSWER, drafts / "p09.ipynb").read_text())
    for cell in points["cells"]:  # 10 points for a 1-point test, set by hand
        if cell["metadata"]["nbgrader"].get("grade_id") == "test-positive":
            cell["metadata"]["nbgrader"]["points"] = 10
    (drafts / "p09.ipynb").write_text(json.dumps(points))
    course.submit_file("P09", "tiny", drafts / "p09.ipynb", timestamp=later)
    second = course.autograde(["tiny"], workers=2, progress=False)
    # the facilitator grades P04's explanation by hand (P01's is flagged for another look)
    with course.gradebook() as gb:
        grade = gb.find_grade("explain", "tiny", "tiny", "P04")
        grade.manual_score = 2.0
        grade.needs_manual_grade = False
        gb.db.commit()
    feedback = course.feedback(["tiny"])
    export = course.export_grades(base / "out" / "grades.csv")
    return {"course": course, "first": first, "second": second, "export": export,
            "base": base, "collected": collected, "collected_again": collected_again,
            "feedback": feedback}


def _by_participant(result):
    return {o.participant: o for o in result.outcomes}


def _score(course, pid, assignment="tiny"):
    with course.gradebook() as gb:
        return float(gb.find_submission(assignment, pid).score)


def test_first_batch_grades_what_was_collected_through_the_exchange(rounds):
    course, first = rounds["course"], rounds["first"]
    outcomes = _by_participant(first)
    assert outcomes["P01"].status == outcomes["P02"].status == "graded"
    assert outcomes["P01"].score == outcomes["P02"].score == 3.0  # autograded points
    assert {outcomes[p].status for p in PEOPLE[2:-1]} == {"missing"}
    assert "P10" not in outcomes and first.rejected == []
    assert (course.root / "autograded" / "P01" / "tiny" / "tiny.ipynb").is_file()
    exchange_inbound = rounds["base"] / "exchange" / course.course_id / "inbound"
    assert sorted(p.name.split("+")[:2] for p in exchange_inbound.iterdir()) == [
        ["P01", "tiny"], ["P10", "tiny"]]
    assert first.workers == 1 and first.record.is_file()


def test_collect_says_who_was_collected_and_rejects_anyone_not_on_the_list(rounds):
    course = rounds["course"]
    [report] = rounds["collected"]
    assert (report.new, report.updated, report.rejected) == (["P01"], [], ["P10"])
    assert report.lines() == [
        "tiny: 1 collected from 1 participants (1 new, 0 updated): P01",
        "REJECTED P10 tiny: not on the participants list (kept in rejected/P10/tiny, never "
        "graded)"]
    assert not (course.root / "submitted" / "P10").exists()
    assert (course.root / "rejected" / "P10" / "tiny" / "tiny.ipynb").is_file()
    [again] = rounds["collected_again"]
    assert again.lines()[0].startswith("tiny: WARNING nothing new collected (1 already in)")


def test_one_batch_with_good_and_broken_submissions(rounds):
    outcomes = _by_participant(rounds["second"])
    assert {p: o.status for p, o in outcomes.items()} == {
        "P01": "graded", "P02": "broken", "P03": "graded", "P04": "graded",
        "P05": "broken", "P06": "broken", "P07": "broken", "P08": "broken",
        "P09": "broken"}
    assert outcomes["P01"].score == 4.5  # 3 autograded + 1.5 by hand
    assert outcomes["P03"].score == 0.0
    assert outcomes["P04"].score == 1.0
    assert outcomes["P02"].reason == "grade cell 'test-negative' deleted"
    assert outcomes["P05"].reason.startswith("invalid notebook file")
    assert outcomes["P06"].reason == "grade cell 'test-positive' duplicated"
    assert outcomes["P07"].reason == f"took longer than {TIMEOUT} s (endless loop?) in answer"
    assert outcomes["P08"].reason.startswith("output too large")
    assert outcomes["P09"].reason == "cell 'test-positive': points changed"
    assert len(rounds["second"].broken()) == 6
    assert rounds["second"].integrity == [] and not rounds["second"].failed


def test_a_notebook_cannot_kill_its_worker(rounds):
    """In the sandbox the kernel cannot signal the grading worker (another user, another
    process namespace): the notebook is graded (0 points, it defines nothing)."""
    outcomes = _by_participant(rounds["second"])
    assert outcomes["P03"].status == "graded" and outcomes["P03"].score == 0.0
    graded = rounds["course"].root / "autograded" / "P03" / "tiny" / "tiny.ipynb"
    assert "PermissionError" in graded.read_text() or "ProcessLookupError" in graded.read_text()
    log = rounds["second"].record.with_suffix(".log").read_text()
    assert log.count("==== worker-") == 2  # no worker died


def test_only_participants_on_the_list_are_graded(rounds):
    course, second = rounds["course"], rounds["second"]
    assert second.rejected == [("P11", "tiny")]  # placed in submitted/ by hand
    assert "P11" not in _by_participant(second) and "P10" not in _by_participant(second)
    assert "rejected (not on the participants list)" in second.summary()
    people = course.participants().set_index("id")
    assert "P10" not in people.index and "P11" not in people.index
    assert people.loc["P09", "first_name"] == "Test"
    with pytest.raises(CourseError, match="not on the participants list: P11"):
        course.autograde(["tiny"], participants=["P11"], progress=False)


def test_endless_loop_is_stopped_and_the_rest_of_the_notebook_still_counts(rounds):
    course, outcomes = rounds["course"], _by_participant(rounds["second"])
    # double() was defined before the loop: both tests pass once the loop is stopped
    assert outcomes["P07"].score == 3.0 == _score(course, "P07") - 0
    assert outcomes["P07"].seconds < 60


def test_enormous_output_is_cut_and_the_graded_notebook_stays_small(rounds):
    course = rounds["course"]
    graded = course.root / "autograded" / "P08" / "tiny" / "tiny.ipynb"
    assert graded.stat().st_size < 250_000  # printed: 3 MB in one line, then 3000 lines
    text = graded.read_text()
    assert TRUNCATED_PREFIX in text
    assert _score(course, "P08") == 3.0


def test_broken_submissions_keep_earlier_grades(rounds):
    course = rounds["course"]
    assert _score(course, "P02") == 3.0  # graded in the first batch; now broken
    assert (course.root / "autograded" / "P02" / "tiny" / "tiny.ipynb").is_file()
    with course.gradebook() as gb:
        graded = {s.student_id for s in gb.assignment_submissions("tiny")}
    assert "P05" not in graded and "P06" not in graded  # never graded, nothing half-written


def test_a_manual_grade_survives_the_rerun(rounds):
    course = rounds["course"]
    with course.gradebook() as gb:
        explain = gb.find_grade("explain", "tiny", "tiny", "P01")
        test = gb.find_grade("test-negative", "tiny", "tiny", "P01")
        assert explain.manual_score == 1.5
        assert explain.needs_manual_grade  # nbgrader: a manual grade is looked at again
        assert test.auto_score == 2.0 and not test.needs_manual_grade


def test_same_grades_as_plain_nbgrader_autograde(rounds, tmp_path):
    """Regrade P01 (with its manual grade) and P03 with plain nbgrader in a copy (the
    course's configuration: in the sandbox too)."""
    course = rounds["course"]
    copy = tmp_path / "copy"
    shutil.copytree(course.root, copy)
    config = copy / "nbgrader_config.py"
    config.write_text(config.read_text().replace(repr(str(course.root)), repr(str(copy))))
    result = subprocess.run([*nbgrader_command(), "autograde", "tiny", "--force",
                             "--student=P0[13]"], cwd=copy, env=subprocess_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]

    def cells(root, pid):
        con = sqlite3.connect(root / "gradebook.db")
        rows = con.execute(
            "SELECT grade_cell.name, grade.auto_score, grade.manual_score, "
            "grade.needs_manual_grade FROM grade "
            "JOIN base_cell AS grade_cell ON grade.cell_id = grade_cell.id "
            "JOIN submitted_notebook ON grade.notebook_id = submitted_notebook.id "
            "JOIN submitted_assignment ON submitted_notebook.assignment_id = "
            "submitted_assignment.id WHERE submitted_assignment.student_id = ? "
            "ORDER BY grade_cell.name", (pid,)).fetchall()
        con.close()
        return rows

    for pid in ("P01", "P03"):
        assert cells(copy, pid) == cells(course.root, pid)
        assert len(cells(copy, pid)) == 3


def test_backup_before_every_batch(rounds):
    course, first, second = rounds["course"], rounds["first"], rounds["second"]
    assert first.backup != second.backup
    for result in (first, second):
        assert result.backup.parent == course.root / "backups"
        assert re.fullmatch(r"gradebook-\d{8}T\d{6}\d+Z\.db", result.backup.name)
    # the copy before the second batch holds the first batch's grades and the manual grade
    con = sqlite3.connect(second.backup)
    assert con.execute("SELECT manual_score FROM grade WHERE manual_score IS NOT NULL"
                       ).fetchall() == [(1.5,)]
    con.close()
    con = sqlite3.connect(first.backup)
    assert con.execute("SELECT COUNT(*) FROM submitted_assignment").fetchone() == (0,)
    con.close()


def test_batch_record_csv(rounds):
    second = rounds["second"]
    assert second.record.parent.name == "batches"
    frame = pd.read_csv(second.record, dtype=str, keep_default_na=False)
    assert list(frame["participant"]) == PEOPLE[:-1]
    assert dict(zip(frame["participant"], frame["status"], strict=True))["P06"] == "broken"
    assert "duplicated" in dict(zip(frame["participant"], frame["reason"], strict=True))["P06"]


def test_feedback_for_graded_submissions_only_and_not_while_a_hand_grade_is_due(rounds):
    feedback = rounds["course"].root / "feedback"
    [report] = rounds["feedback"]
    # P01's hand grade is flagged for another look after the new batch (as nbgrader does);
    # the others wrote no explanation (nothing to grade by hand) or it was graded (P04)
    assert report.written == ["P02", "P03", "P04", "P07", "P08"]
    assert report.held == ["P01"]
    assert report.lines()[1] == ("HELD P01 tiny: a grade by hand is still needed; grade it, "
                                 "then run feedback again (or --even-ungraded)")
    assert (feedback / "P04" / "tiny" / "tiny.html").is_file()
    assert not (feedback / "P01").exists()
    assert not (feedback / "P05").exists() and not (feedback / "P06").exists()
    page = (feedback / "P04" / "tiny" / "tiny.html").read_text()
    assert "double" in page and "Content-Security-Policy" in page


def test_export_has_one_row_per_participant_and_assignment(rounds):
    export, base = rounds["export"], rounds["base"]
    written = pd.read_csv(base / "out" / "grades.csv")
    assert list(written.columns[:7]) == ["participant", "assignment", "score", "max_score",
                                         "needs_manual_grade", "status", "timestamp"]
    assert len(written) == len(export) == len(PEOPLE) - 1  # only `tiny`; P10 not listed
    rows = written.set_index("participant")
    assert rows.loc["P01", "score"] == 4.5 and bool(rows.loc["P01", "needs_manual_grade"])
    assert rows.loc["P01", "max_score"] == 5.0
    assert rows.loc["P02", "status"] == "broken" and rows.loc["P02", "score"] == 3.0
    assert rows.loc["P05", "status"] == "broken" and pd.isna(rows.loc["P05", "score"])
    assert rows.loc["P09", "status"] == "broken"
    assert rows.loc["P04", "timestamp"].startswith("2026-03-02 09:00:00")


def test_status_table(rounds):
    table = rounds["course"].status()
    assert table.loc["P01", "tiny"] == "graded*"
    assert table.loc["P07", "tiny"] == "broken"
    assert table.loc["P04", "tiny"] == "graded"
    assert table.loc["P05", "tiny"] == "broken"


def test_an_assignment_not_generated_is_refused(rounds):
    with pytest.raises(CourseError, match="tiny_two.*not generated"):
        rounds["course"].autograde(["tiny_two"], progress=False)
    with pytest.raises(CourseError, match="unknown assignment 'nope'"):
        rounds["course"].autograde(["nope"], progress=False)


# ---------------------------------------------------------------------- precheck alone
def _notebook_with(ids):
    nb = nbformat.v4.new_notebook()
    for grade_id in ids:
        cell = nbformat.v4.new_code_cell("pass")
        cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                     "points": 1, "solution": False, "schema_version": 3}
        nb.cells.append(cell)
    return nb


def test_precheck_reasons(tmp_path):
    source = [SourceNotebook("ex", ("a", "b"))]
    assert precheck(tmp_path, source) == "notebook ex.ipynb not submitted"
    nbformat.write(_notebook_with(["a", "b"]), tmp_path / "renamed.ipynb")
    assert precheck(tmp_path, source) == ("notebook ex.ipynb not submitted "
                                          "(found renamed.ipynb: renamed?)")
    nbformat.write(_notebook_with(["a", "b"]), tmp_path / "ex.ipynb")
    assert precheck(tmp_path, source) == ""
    assert precheck(tmp_path, source, max_bytes=10).startswith("output too large")
    (tmp_path / "ex.ipynb").write_text(json.dumps({"cells": "nope"}))
    assert precheck(tmp_path, source).startswith("invalid notebook file (ex.ipynb: ")
    (tmp_path / "ex.ipynb").write_bytes(b"\xff\xfe\x00")
    assert precheck(tmp_path, source) == "invalid notebook file (ex.ipynb is not JSON)"
    nbformat.write(_notebook_with(["a", "b"]), tmp_path / "ex.ipynb")
    (tmp_path / "timestamp.txt").write_text("yesterday-ish")
    assert precheck(tmp_path, source) == "invalid timestamp.txt"


def test_a_scratch_course_holds_nothing_to_steal(rounds, tmp_path):
    """What a worker grades in: one assignment's structure (with the hidden tests nbgrader
    restores), no participant, no name, no grade; a configuration without the exchange."""
    from grading.batch import release_files, structure_gradebook, worker_config

    course = rounds["course"]
    with course.gradebook() as gb:
        structure_gradebook(gb, "tiny", tmp_path / "scratch.db", course.course_id)
    con = sqlite3.connect(tmp_path / "scratch.db")
    assert con.execute("SELECT name FROM assignment").fetchall() == [("tiny",)]
    for table in ("student", "submitted_assignment", "submitted_notebook", "grade", "comment"):
        assert con.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
    cells = {r[0] for r in con.execute("SELECT name FROM source_cell")}
    assert {"answer", "test-positive", "test-negative", "explain"} <= cells
    con.close()
    config = worker_config(course)
    assert "c.Exchange.root" not in config and str(course.root) not in config
    assert release_files(course, "tiny") == []  # the notebook only: nothing else to copy
