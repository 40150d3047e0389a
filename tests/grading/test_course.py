"""The course directory: creation, configuration, participants, submissions, backups.

No nbgrader command runs here (those are in test_batch.py); the gradebook is nbgrader's API.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from grading import Course, CourseError, NotACourseError, ParticipantsError
from grading.course import (
    EXERCISES,
    REPO,
    UnknownAssignmentError,
    default_root,
    subprocess_env,
)
from grading.limits import LimitedExecute, autograde_preprocessors
from tests.grading.conftest import write_tiny

GOOD = ("\ufeffid,first_name,last_name,email,gender,cohort\n"
        "P01,Test,Person One,p01@example.org,Woman,2026-A\n"
        "\n"
        "P02,Test,Person Two,,man,2026-A\n"
        "P03,,,,,\n")


@pytest.fixture(scope="module")
def course(tmp_path_factory, tiny_exercises):
    return Course.create(tmp_path_factory.mktemp("c") / "course", timeout=7,
                         exchange=tmp_path_factory.mktemp("x") / "exchange",
                         exercises=tiny_exercises)


@pytest.fixture
def fresh(tmp_path, tiny_exercises):
    return Course.create(tmp_path / "course", exercises=tiny_exercises)


@pytest.fixture(scope="module")
def one_participant(tmp_path_factory, tiny_exercises):
    course = Course.create(tmp_path_factory.mktemp("one") / "course", exercises=tiny_exercises)
    good = course.root.parent / "good.csv"
    good.write_text("id,cohort\nP09,A\n")
    course.add_participants(good)
    return course


def _config(course):
    path = course.root / "nbgrader_config.py"
    return PyFileConfigLoader(path.name, str(path.parent)).load_config()


def test_config_is_what_nbgrader_reads(course):
    config = _config(course)
    assert config.CourseDirectory.root == str(course.root)
    assert config.CourseDirectory.course_id == "homeward"
    assert config.Execute.timeout == 7
    assert config.Exchange.root.endswith("exchange")
    assert config.LimitOutput.max_lines == 1000
    assert config.LimitedExecute.max_output_chars > 0
    steps = config.Autograde.autograde_preprocessors
    assert steps == autograde_preprocessors() and steps[0] is LimitedExecute
    assert [s.__name__ for s in steps[1:]] == ["IgnorePattern", "ClearMetadataPreprocessor",
                                               "LimitOutput", "SaveAutoGrades",
                                               "AssignLatePenalties", "CheckCellMetadata"]
    # the sandbox and its limits, and a cap on the whole notebook
    assert config.LimitedExecute.sandbox is True
    assert config.LimitedExecute.notebook_timeout == 120
    assert config.SandboxKernelManager.memory_mb == 1024
    # feedback: hidden tests left out, output sanitised
    assert config.HTMLExporter.sanitize_html is True
    names = [s.__name__ for s in config.GenerateFeedback.preprocessors]
    assert names[-2:] == ["HideHiddenTestTraces", "ClearHiddenTests"]


def test_the_course_folder_is_the_facilitators_only(course, tmp_path):
    assert stat.S_IMODE(course.root.stat().st_mode) == 0o700
    with pytest.raises(CourseError, match="at least the cell time limit"):
        Course.create(tmp_path / "c1", timeout=60, notebook_timeout=30)
    with pytest.raises(CourseError, match="at least 256"):
        Course.create(tmp_path / "c2", memory_mb=64)


def test_source_is_checked_against_the_exercises_before_generate(tmp_path, tiny_exercises):
    from grading.course import SourceChangedError

    origin = tmp_path / "exercises"
    write_tiny(origin, "tiny")
    course = Course.create(tmp_path / "course", exercises=origin)
    source = course.root / "source" / "tiny" / "tiny.ipynb"
    assert course.source_changes("tiny") == []
    # someone lowers a hidden test's bar in the course's copy
    source.write_text(source.read_text().replace("double(-1) == -2", "double(-1) == 0"))
    assert course.source_changes("tiny") == ["tiny.ipynb changed"]
    with pytest.raises(SourceChangedError, match=r"tiny: tiny.ipynb changed.*--from-repository"):
        course.generate(["tiny"])
    assert not (course.root / "release" / "tiny").exists()
    # a facilitator who edited it on purpose says so once
    notes = course.generate(["tiny"], keep_edited_source=True)
    assert notes[0].startswith("tiny: generated from the edited source on purpose")
    assert course.source_changes("tiny") == []
    # a later change is caught again; the repository's version can be put back
    source.write_text(source.read_text().replace("double(2) == 4", "True"))
    (course.root / "source" / "tiny" / "extra.py").write_text("x = 1\n")
    assert course.source_changes("tiny") == ["extra.py added", "tiny.ipynb changed"]
    notes = course.generate(["tiny"], from_repository=True)
    assert "edited source is kept in" in notes[0]
    assert "double(-1) == -2" in source.read_text()
    assert course.source_changes("tiny") == []


def test_gradebook_is_stamped_as_nbgrader_stamps_it(course, monkeypatch):
    from nbgrader.api import get_alembic_version

    monkeypatch.setenv("PATH", subprocess_env()["PATH"])  # nbgrader runs `alembic heads`
    con = sqlite3.connect(course.gradebook_path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [
        (get_alembic_version(),)]
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"student", "assignment", "grade", "comment", "course"} <= tables
    assert con.execute("SELECT id FROM course").fetchall() == [("homeward",)]
    con.close()


def test_create_makes_source_and_a_private_gradebook(course):
    assert course.assignments() == ["tiny", "tiny_two"]
    assert (course.root / "source" / "tiny" / "tiny.ipynb").is_file()
    assert stat.S_IMODE(course.gradebook_path.stat().st_mode) == 0o600
    assert course.gradebook_url == f"sqlite:///{course.root / 'gradebook.db'}"
    with course.gradebook() as gb:
        assert gb.students == [] and gb.assignments == []


def test_create_takes_the_repository_exercises(tmp_path):
    course = Course.create(tmp_path / "course", course_id="seminar-2026")
    expected = sorted(p.name for pattern in ("ee*", "fam*", "checkin_*", "seminar_*")
                      for p in EXERCISES.glob(pattern) if any(p.glob("*.ipynb")))
    assert course.assignments() == expected
    assert {"seminar_policies", "seminar_concepts", "seminar_action_plan"} <= set(expected)
    assert {"fam1_money_decisions", "fam4_shared_plan"} <= set(expected)  # the family track
    assert Course.open(tmp_path / "course").course_id == "seminar-2026"


@pytest.mark.parametrize("inside", [REPO / "course-data", REPO / "exercises" / "course"])
def test_create_refuses_a_folder_in_the_repository(inside):
    with pytest.raises(CourseError, match="inside the git repository"):
        Course.create(inside)
    assert not inside.exists()


def test_create_refuses_any_git_work_tree_and_existing_courses(tmp_path, fresh):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    with pytest.raises(CourseError, match="inside the git repository"):
        Course.create(tmp_path / "repo" / "sub" / "course")
    with pytest.raises(CourseError, match="already a course directory"):
        Course.create(fresh.root)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("x")
    with pytest.raises(CourseError, match="not empty"):
        Course.create(tmp_path / "busy")
    with pytest.raises(CourseError, match="course id"):
        Course.create(tmp_path / "new", course_id="has space")
    with pytest.raises(CourseError, match="timeout"):
        Course.create(tmp_path / "new", timeout=0)


def test_open_explains_what_is_missing(tmp_path, monkeypatch):
    with pytest.raises(NotACourseError, match="no course directory at"):
        Course.open(tmp_path / "nowhere")
    (tmp_path / "plain").mkdir()
    with pytest.raises(NotACourseError, match="not a Homeward course directory"):
        Course.open(tmp_path / "plain")
    monkeypatch.setenv("HOMEWARD_COURSE", str(tmp_path / "from-env"))
    assert default_root() == tmp_path / "from-env"
    assert default_root(tmp_path / "given") == tmp_path / "given"
    monkeypatch.delenv("HOMEWARD_COURSE")
    assert default_root() == Path("~/homeward-course").expanduser().resolve()


def test_participants_are_imported_into_nbgraders_gradebook(fresh, tmp_path):
    table = tmp_path / "people.csv"
    table.write_text(GOOD)
    assert fresh.add_participants(table) == 3
    people = fresh.participants().set_index("id")
    assert list(people.index) == ["P01", "P02", "P03"]
    assert people.loc["P01", "gender"] == "woman" and people.loc["P02", "gender"] == "man"
    assert people.loc["P03", "first_name"] == "" and people.loc["P01", "cohort"] == "2026-A"
    with fresh.gradebook() as gb:
        student = gb.find_student("P01")
        assert (student.first_name, student.last_name, student.email) == (
            "Test", "Person One", "p01@example.org")
    assert stat.S_IMODE(fresh.participants_path.stat().st_mode) == 0o600

    # a second file updates by id: filled cells replace, blank cells keep
    update = tmp_path / "update.csv"
    update.write_text("id,first_name,cohort\nP01,,2026-B\nP04,Test,2026-B\n")
    assert fresh.add_participants(update) == 2
    people = fresh.participants().set_index("id")
    assert people.loc["P01", "first_name"] == "Test" and people.loc["P01", "cohort"] == "2026-B"
    assert people.loc["P01", "gender"] == "woman"
    assert len(people) == 4

    # someone already in the gradebook (e.g. added with nbgrader) keeps the name there
    with fresh.gradebook() as gb:
        gb.update_or_create_student("P20", first_name="Test", last_name="Earlier")
    (tmp_path / "cohort.csv").write_text("id,cohort\nP20,2026-B\n")
    fresh.add_participants(tmp_path / "cohort.csv")
    people = fresh.participants().set_index("id")
    assert (people.loc["P20", "last_name"], people.loc["P20", "cohort"]) == ("Earlier", "2026-B")


@pytest.mark.parametrize("text, message", [
    ("id,gender\nP01,woman\nP 02,man\n",
     "people.csv, row 3, column 'id': 'P 02' may only hold letters, digits, _ and -"),
    ("id,gender\nP01,woman\nP02,female\n",
     "people.csv, row 3, column 'gender': 'female' is not woman, man, other or blank"),
    ("id,email\nP01,not-an-address\n",
     "people.csv, row 2, column 'email': 'not-an-address' is not an e-mail address"),
    ("id,cohort\nP01,A\nP02,A\nP01,B\n", "people.csv, row 4, column 'id': 'P01' already on row 2"),
    ("id,phone\nP01,123\n", "people.csv, row 1, column 'phone': unknown column"),
    ("name,cohort\nP01,A\n", "people.csv, row 1: the header needs an 'id' column"),
    ("id,cohort\nP01,A\n,B\n", "people.csv, row 3, column 'id': empty"),
    ("id,cohort\nP01,A,extra\n", "people.csv, row 2: 3 cells but 2 columns"),
    ("id\n", "people.csv: no participants in the file"),
])
def test_a_bad_row_is_named_and_nothing_is_imported(one_participant, tmp_path, text, message):
    fresh = one_participant
    before = fresh.participants_path.read_text()
    bad = tmp_path / "people.csv"
    bad.write_text(text)
    with pytest.raises(ParticipantsError) as error:
        fresh.add_participants(bad)
    assert str(error.value).startswith(message)
    assert list(fresh.participants()["id"]) == ["P09"]
    assert fresh.participants_path.read_text() == before


def test_participants_file_that_is_not_text(fresh, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_bytes(b"id\n\xff\xfe\n")
    with pytest.raises(ParticipantsError, match="not a UTF-8 text file"):
        fresh.add_participants(bad)
    with pytest.raises(ParticipantsError, match="no such file"):
        fresh.add_participants(tmp_path / "missing.csv")


def test_submit_file_places_a_notebook_as_collect_would(course, tmp_path):
    draft = write_tiny(tmp_path, "draft") / "draft.ipynb"
    with pytest.raises(CourseError, match="P01 is not on the participants list"):
        course.submit_file("P01", "tiny", draft)
    assert not (course.root / "submitted" / "P01").exists()
    with course.gradebook() as gb:
        gb.update_or_create_student("P01")
    target = course.submit_file("P01", "tiny", draft, timestamp="2026-03-01 10:00:00 UTC")
    assert target == course.root / "submitted" / "P01" / "tiny" / "tiny.ipynb"
    assert nbformat.read(target, as_version=4).cells[1].metadata.nbgrader.grade_id == "answer"
    assert (target.parent / "timestamp.txt").read_text() == "2026-03-01 10:00:00.000000 UTC"
    with pytest.raises(UnknownAssignmentError, match="unknown assignment 'ee99'"):
        course.submit_file("P01", "ee99", draft)
    with pytest.raises(CourseError, match="participant id"):
        course.submit_file("../P01", "tiny", draft)
    with pytest.raises(CourseError, match="no such file"):
        course.submit_file("P01", "tiny", tmp_path / "nothing.ipynb")


def test_release_needs_generate_first(course):
    with pytest.raises(CourseError, match="not generated yet"):
        course.release(["tiny"])


def test_backup_is_a_readable_private_copy(course):
    with course.gradebook() as gb:
        gb.update_or_create_student("P77", first_name="Test")
    backup = course.backup_gradebook()
    assert backup.parent == course.root / "backups"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    con = sqlite3.connect(backup)
    assert ("P77",) in con.execute("SELECT id FROM student").fetchall()
    con.close()


def test_grades_are_never_exported_into_the_repository(course):
    with pytest.raises(CourseError, match="outside version control"):
        course.export_grades(REPO / "grades.csv")
    assert not (REPO / "grades.csv").exists()


def test_limited_execute_keeps_output_small():
    execute = LimitedExecute(max_output_chars=10)
    execute.reset_execution_trackers()
    execute.clear_before_next_output = False
    outs = []
    for text in ["12345\n", "6789\n", "abc\n", "d"]:
        execute.output(outs, {"msg_type": "stream", "header": {"msg_type": "stream"},
                              "parent_header": {"msg_id": "m1"},
                              "content": {"name": "stdout", "text": text}}, None, 0)
    assert [o.text for o in outs] == [
        "12345\n", "... Output truncated by Homeward: more than 10 characters ...\n"]
