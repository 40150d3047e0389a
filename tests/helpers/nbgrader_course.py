"""Build and drive a throw-away nbgrader course with the real ``nbgrader`` command.

Typical use in a test::

    course = create_course(tmp_path / "course", course_id="homeward")
    course.add_source(Path("exercises/seminar_policies"))
    course.add_students("model", "blank")
    course.generate()                          # every assignment under source/
    course.submit("model", "seminar_policies", course.source_notebook("seminar_policies"))
    course.submit("blank", "seminar_policies", course.release_notebook("seminar_policies"))
    course.autograde()
    course.generate_feedback()
    course.scores("seminar_policies")        # {"model": 6.0, "blank": 0.0}

Everything lives under the course root (``tmp_path`` in tests), never in the repository.
Scores are read through nbgrader's own API (``nbgrader.api.Gradebook``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CONFIG = """c = get_config()  # noqa: F821
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
c.Execute.timeout = {timeout}
c.ClearSolutions.code_stub = {{"python": ""}}
"""


class NbgraderError(RuntimeError):
    """An nbgrader command failed; the message carries its output."""


@dataclass
class GradeRow:
    """One graded cell of one submission."""

    name: str
    score: float
    max_score: float
    auto_score: float | None
    needs_manual_grade: bool
    autograded: bool  # True for autograder test cells, False for manually graded answers


def nbgrader_command() -> list[str]:
    """The ``nbgrader`` executable of the running interpreter's environment."""
    script = Path(sys.executable).with_name("nbgrader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nbgrader"]


@dataclass
class Course:
    root: Path
    course_id: str

    # ------------------------------------------------------------------ commands
    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
        """Run ``nbgrader <args>`` in the course root; raise NbgraderError on failure."""
        # nbgrader calls ``alembic`` (and jupyter) by name: put this environment's bin first.
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        result = subprocess.run([*nbgrader_command(), *args], cwd=self.root, env=env,
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise NbgraderError(f"nbgrader {' '.join(args)} exited {result.returncode}\n"
                                f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def add_source(self, assignment_dir: Path, name: str | None = None) -> Path:
        """Copy a source assignment folder (e.g. ``exercises/seminar_policies``) into the course."""
        target = self.root / "source" / (name or Path(assignment_dir).name)
        shutil.copytree(assignment_dir, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        return target

    def add_students(self, *student_ids: str) -> None:
        """Add students to the gradebook with one ``nbgrader db student import`` call."""
        table = self.root / "students_to_add.csv"
        table.write_text("id\n" + "".join(f"{s}\n" for s in student_ids))
        try:
            self.run("db", "student", "import", str(table))
        finally:
            table.unlink()

    def generate(self, assignment: str = "*") -> None:
        """``nbgrader generate_assignment``; the default ``*`` generates every source assignment
        in one call (each is created in the gradebook)."""
        self.run("generate_assignment", assignment, "--force")

    def release_dir(self, assignment: str) -> Path:
        return self.root / "release" / assignment

    def release_notebook(self, assignment: str, notebook: str | None = None) -> Path:
        return self.release_dir(assignment) / f"{notebook or assignment}.ipynb"

    def source_notebook(self, assignment: str, notebook: str | None = None) -> Path:
        return self.root / "source" / assignment / f"{notebook or assignment}.ipynb"

    def submit(self, student: str, assignment: str, notebook_path: Path,
               notebook_name: str | None = None,
               timestamp: str = "2026-01-01 10:00:00.000000 UTC") -> Path:
        """Place ``notebook_path`` as ``student``'s submission, as ``nbgrader collect`` would."""
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / (notebook_name or f"{assignment}.ipynb")
        shutil.copyfile(notebook_path, target)
        (folder / "timestamp.txt").write_text(timestamp)
        return target

    def autograde(self, assignment: str = "*", student: str | None = None
                  ) -> subprocess.CompletedProcess:
        """``nbgrader autograde``; ``*`` grades every submitted assignment in one call."""
        args = ["autograde", assignment, "--force"]
        if student:
            args.append(f"--student={student}")
        return self.run(*args)

    def generate_feedback(self, assignment: str = "*") -> subprocess.CompletedProcess:
        return self.run("generate_feedback", assignment, "--force")

    def feedback_dir(self, student: str, assignment: str) -> Path:
        return self.root / "feedback" / student / assignment

    # ------------------------------------------------------------------ gradebook
    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def scores(self, assignment: str, autograded_only: bool = False) -> dict[str, float]:
        """Total score of each student's submission of ``assignment``.

        With ``autograded_only`` only autograder test cells count.
        """
        from nbgrader.api import Gradebook

        out = {}
        with Gradebook(self.db_url, course_id=self.course_id) as gb:
            for submission in gb.assignment_submissions(assignment):
                if autograded_only:
                    out[submission.student_id] = sum(
                        row.score for row in self.grades(assignment, submission.student_id)
                        if row.autograded)
                else:
                    out[submission.student_id] = float(submission.score)
        return out

    def max_score(self, assignment: str, autograded_only: bool = False) -> float:
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url, course_id=self.course_id) as gb:
            a = gb.find_assignment(assignment)
            if not autograded_only:
                return float(a.max_score)
            return float(sum(cell.max_score for nb in a.notebooks for cell in nb.grade_cells
                             if cell.cell_type == "code"))

    def grades(self, assignment: str, student: str) -> list[GradeRow]:
        from nbgrader.api import Gradebook

        rows = []
        with Gradebook(self.db_url, course_id=self.course_id) as gb:
            submission = gb.find_submission(assignment, student)
            for nb in submission.notebooks:
                for grade in nb.grades:
                    rows.append(GradeRow(
                        name=grade.name, score=float(grade.score or 0),
                        max_score=float(grade.max_score), auto_score=grade.auto_score,
                        needs_manual_grade=bool(grade.needs_manual_grade),
                        autograded=grade.cell.cell_type == "code"))
        return rows


def create_course(root: Path, course_id: str = "homeward", timeout: int = 60,
                  extra_config: str = "") -> Course:
    """Make an empty course directory with a minimal ``nbgrader_config.py`` (plus
    ``extra_config`` lines)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "source").mkdir(exist_ok=True)
    (root / "nbgrader_config.py").write_text(
        CONFIG.format(root=str(root), course_id=course_id, timeout=timeout) + extra_config)
    return Course(root=root, course_id=course_id)
