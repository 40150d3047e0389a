"""``python -m grading``: the facilitator's commands, their output and their one-line errors."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from grading.__main__ import main
from grading.course import REPO, Course
from tests.grading.conftest import MODEL_ANSWER, answered, run_cli, write_tiny

COMMANDS = ["init", "participants", "generate", "release", "collect", "autograde", "feedback",
            "export", "status", "restore", "report"]


def test_help_lists_every_command_in_plain_words():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert f"\n  {command} " in result.stdout, command
    assert "broken ones are listed" in result.stdout
    assert "facilitator_guides/grading_workflow.md" in result.stdout


def test_a_missing_course_is_one_line_and_exit_2(tmp_path):
    result = run_cli("status", "--course", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: no course directory at {tmp_path / 'nowhere'}: "
                                      "make one with `python -m grading init --course PATH`")
    assert "Traceback" not in result.stderr and result.stdout == ""
    # the course can also come from $HOMEWARD_COURSE
    (tmp_path / "plain").mkdir()
    result = run_cli("status", env_extra={"HOMEWARD_COURSE": str(tmp_path / "plain")})
    assert result.returncode == 2
    assert "is not a Homeward course directory" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def _run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def cli_course(tmp_path_factory):
    base = tmp_path_factory.mktemp("cli")
    assert main(["init", "--course", str(base / "course"), "--timeout", "10",
                 "--exchange", str(base / "exchange")]) == 0
    course = Course.open(base / "course")
    write_tiny(base / "extra", "tiny")
    course.add_source(base / "extra" / "tiny")
    return base, course


def test_init_takes_the_repository_exercises(cli_course):
    base, course = cli_course
    assert "seminar_policies" in course.assignments() and "tiny" in course.assignments()
    text = (course.root / "nbgrader_config.py").read_text()
    assert "c.Execute.timeout = 10" in text and str(base / "exchange") in text


def test_errors_name_the_problem(cli_course, capsys, tmp_path):
    base, course = cli_course
    at = ["--course", str(course.root)]
    bad = tmp_path / "people.csv"
    bad.write_text("id,first_name,gender\nP01,Test,woman\nP02,Test,female\n")
    code, out, err = _run(capsys, "participants", "add", str(bad), *at)
    assert code == 2
    assert err == ("error: people.csv, row 3, column 'gender': 'female' is not woman, man, "
                   "other or blank\n")
    code, out, err = _run(capsys, "autograde", "nope", *at)
    assert code == 2 and err.startswith("error: unknown assignment 'nope'; the course has: ")
    code, out, err = _run(capsys, "generate", "ee99_missing", *at)
    assert code == 2 and "unknown assignment 'ee99_missing'" in err
    code, out, err = _run(capsys, "autograde", "tiny", "--workers", "0", *at)
    assert code == 2 and err == "error: --workers must be 1 or more\n"
    code, out, err = _run(capsys, "init", "--course", str(REPO / "my-course"))
    assert code == 2 and "inside the git repository" in err
    assert not (REPO / "my-course").exists()
    code, out, err = _run(capsys, "init", *at)
    assert code == 2 and "already a course directory" in err
    code, out, err = _run(capsys, "export", str(REPO / "grades.csv"), *at)
    assert code == 2 and "outside version control" in err
    with pytest.raises(SystemExit) as stop:
        main(["autograde", "--workers", "many", *at])
    assert stop.value.code == 2  # argparse's own one-line usage error


def test_a_whole_round_from_the_command_line(cli_course, capsys, tmp_path):
    base, course = cli_course
    at = ["--course", str(course.root)]
    people = tmp_path / "people.csv"
    people.write_text("id,first_name,last_name,gender,cohort\n"
                      "P01,Test,Person One,woman,A\nP02,Test,Person Two,man,A\n"
                      "P03,Test,Person Three,other,A\n")
    code, out, _ = _run(capsys, "participants", "add", str(people), *at)
    assert code == 0 and out == "3 participants added or updated; 3 in the course.\n"
    code, out, _ = _run(capsys, "participants", "list", *at)
    assert "Person Three" in out and "other" in out

    code, out, _ = _run(capsys, "generate", "tiny", *at)
    assert code == 0 and out == "Generated: tiny\n"
    release = course.root / "release" / "tiny" / "tiny.ipynb"
    course.submit_file("P01", "tiny", answered(release, MODEL_ANSWER, tmp_path / "a.ipynb"))
    (tmp_path / "b.ipynb").write_text("not a notebook")
    course.submit_file("P02", "tiny", tmp_path / "b.ipynb")

    # no assignment named: every generated one (only tiny), the others listed as skipped
    code, out, err = _run(capsys, "autograde", "--workers", "1", "--no-progress", *at)
    assert code == 0, err
    lines = out.splitlines()
    # first, as grading starts: how many notebooks at once (the memory of this place allowing)
    assert lines.pop(0).startswith("Grading with 1 worker"), out
    assert lines[0].startswith("Skipped (not generated yet): ") and "seminar_policies" in lines[0]
    assert "tiny" not in lines[0].split(": ", 1)[1].split(", ")
    assert lines[1].startswith("1 graded, 1 broken, 1 missing in ")
    assert lines[2] == ("BROKEN P02 tiny: invalid notebook file (tiny.ipynb is not JSON)")
    assert lines[3].startswith("Gradebook copy made before grading: ")
    assert lines[4].startswith(f"Batch record: {course.root / 'batches'}")

    code, out, _ = _run(capsys, "feedback", "tiny", *at)
    assert code == 0 and (course.root / "feedback" / "P01" / "tiny" / "tiny.html").is_file()
    assert out == "tiny: feedback written for 1 participant\n"

    code, out, _ = _run(capsys, "export", str(tmp_path / "grades.csv"), *at)
    assert code == 0 and out.startswith("3 rows written to ")
    grades = pd.read_csv(tmp_path / "grades.csv").set_index("participant")
    assert grades.loc["P01", "score"] == 3.0 and grades.loc["P02", "status"] == "broken"

    code, out, _ = _run(capsys, "status", *at)
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:5]}
    assert rows == {"P01": ["graded"], "P02": ["broken"], "P03": ["missing"]}


def test_release_without_an_exchange_folder_fails_in_one_line(cli_course, capsys, tmp_path):
    base, course = cli_course
    shutil.rmtree(base / "exchange")
    (base / "exchange").write_text("a file where the exchange folder should be")
    code, out, err = _run(capsys, "release", "tiny", "--course", str(course.root))
    assert code == 1
    assert err.startswith("error: nbgrader release_assignment failed: ")
    assert len(err.strip().splitlines()) == 1


def test_report_builds_the_mentoring_reports_without_names(tmp_path):
    """``python -m grading report`` hands over to grading.reports (here on a synthetic cohort)."""
    from grading.synthetic import synthetic_cohort

    out = tmp_path / "report"
    result = run_cli("report", "--synthetic", "40", "--seed", "3", "--out", str(out),
                     "--no-progress")
    assert result.returncode == 0, result.stderr
    assert (out / "report.html").exists() and (out / "participants_progress.csv").exists()
    people = synthetic_cohort(40, seed=3)[0]
    page = (out / "report.html").read_text() + (out / "participants_progress.csv").read_text()
    leaked = [name for name in people["last_name"].dropna().unique() if name and name in page]
    assert leaked == []
    assert "syn-00001" not in page and "@example" not in page  # no ids, no e-mails
    assert "P-0001" in page


def test_one_grading_guide_says_what_the_sandbox_is_and_is_not():
    guide = " ".join((REPO / "facilitator_guides" / "grading_workflow.md").read_text().split())
    for words in ("bubblewrap", "Flatpak", "**It is not a virtual machine.**",
                  "--unsafe-no-sandbox",
                  "python -m grading restore", "input transformer", "--even-ungraded",
                  "--keep-edited-source", "--from-repository", "fewer than 5 answers",
                  "mode 600", "REJECTED"):
        assert words in guide, words
    other = (REPO / "facilitator_guides" / "running_the_course.md").read_text()
    assert "facilitator_guides/grading_workflow.md" in other
