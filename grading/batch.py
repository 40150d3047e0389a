"""A grading batch that one broken notebook cannot stop, that loses nothing, and that a
participant's code cannot reach.

nbgrader's ``autograde`` grades the submissions one after another, each in a fresh kernel,
as the grader's own user; a notebook it cannot read, grade cells that were deleted or copied,
an endless loop or an enormous output can leave a submission un-gradable or stop the batch
(nbgrader issues #1682, #1083, #1941), and the participant's code can read and change
anything the grader can. :func:`run_batch` grades with nbgrader's own ``Autograde``, around it:

1. **The sandbox first**: unless the facilitator says ``--unsafe-no-sandbox``, the batch
   refuses to start where bubblewrap cannot run (:func:`grading.sandbox.check_sandbox`).
   Every participant's kernel then runs inside it (:mod:`grading.sandbox`).
2. **A copy of the gradebook**: ``backups/gradebook-<UTC time>.db``, and every row of it
   read (:func:`grading.integrity.snapshot`).
3. **A cheap check of every submission** (:func:`precheck`): a valid notebook file, every
   grade cell of the source present exactly once and unchanged in kind and points, no cell
   pretending to be graded, answer cells holding plain values (the answer-form format's own
   check, :func:`widgets.forms.model.check_submission`, for notebooks in that format), a
   readable ``timestamp.txt``, a file of sensible size. A submission that fails is recorded as
   broken, with the reason, and never runs: its earlier grades (if any) stay as they are.
4. **Several workers** (:mod:`grading.worker`), each running nbgrader's ``Autograde`` on one
   submission at a time in a scratch course that holds nothing to steal: the assignment's
   release-side files, the participant's notebooks (nothing else they sent) and a gradebook
   with that one assignment's structure (the participant is added by id only: no names, no
   e-mails, no other grades). Only nbgrader's own code, outside the sandbox, reads it.
5. **One writer**: after each submission the batch copies what nbgrader wrote (auto scores,
   comments, late penalty, timestamp) into the real gradebook through nbgrader's API, the
   way nbgrader's ``SaveAutoGrades`` does, so manual grades stay and scores equal plain
   ``nbgrader autograde``'s. Each submission is committed as soon as it is graded.
6. **Proof**: after the batch every change in the gradebook is checked against what the batch
   wrote (:func:`grading.integrity.verify`); anything else fails the batch, names the
   submissions being graded when it happened, and the copy from step 2 can be put back with
   ``python -m grading restore``.
7. **A record**: ``batches/<UTC time>.csv``, one row per participant x assignment, and
   ``batches/<UTC time>.json`` (the backup, the integrity problems).

Only participants on the list (the gradebook's students) are graded; a folder in
``submitted/`` of anyone else is listed as rejected and never runs. A cell stopped by the
time limit, a notebook stopped by the whole-notebook time cap, or output cut because it was
too large, is graded as nbgrader grades it (what did not run earns nothing) and listed as
broken so the facilitator looks at it. A worker that stops (a kernel that eats all memory) or
a submission that runs far too long is recorded as broken and the batch goes on with a new
worker.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import warnings
from collections import deque
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from grading import integrity
from grading.course import (
    ID_RE,
    NOTEBOOK_TIMEOUT,
    CourseError,
    _utc_stamp,
    create_gradebook,
    subprocess_env,
)

#: Largest submitted notebook file the batch reads; larger is "output too large".
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
#: Seconds a worker may take to start (import nbgrader) before the batch gives up on it.
WORKER_START_SECONDS = 120
#: Seconds a worker gets beyond the notebook's own cap (kernel start, nbgrader's steps).
WORKER_MARGIN_SECONDS = 120


class SandboxUnavailableError(CourseError):
    """Grading refuses to start: the sandbox cannot run here (the message says what to do)."""


@dataclass
class Outcome:
    """What happened to one participant's submission of one assignment in a batch."""

    participant: str
    assignment: str
    status: str  # "graded" | "broken" | "missing"
    reason: str = ""
    seconds: float = 0.0
    score: float | None = None
    max_score: float | None = None
    peak_mb: float | None = None  # largest memory a sandboxed process of it used


@dataclass
class BatchResult:
    """All outcomes of a batch, the gradebook copy made before it, and its wall time.

    ``rejected``: submissions of people not on the participants list (never graded, not
    counted). ``integrity``: changes in the gradebook the batch did not make (empty when the
    gradebook is exactly what the batch wrote); ``suspects``: the submissions being graded
    when such a change happened. ``skipped``: assignments left out because they are not
    generated yet (set by :meth:`grading.Course.autograde`).
    """

    outcomes: list[Outcome]
    backup: Path
    seconds: float
    record: Path | None = None
    workers: int = 1
    rejected: list[tuple[str, str]] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    suspects: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    sandbox: bool = True
    summary_path: Path | None = None
    workers_note: str = ""  # why fewer workers than asked for (memory), else empty

    @property
    def failed(self) -> bool:
        """True when the gradebook holds changes the batch did not make."""
        return bool(self.integrity)

    def broken(self) -> list[Outcome]:
        """The submissions that need the facilitator's attention, with the reason."""
        return [o for o in self.outcomes if o.status == "broken"]

    def graded(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "graded"]

    def missing(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "missing"]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([asdict(o) for o in self.outcomes],
                            columns=[f.name for f in Outcome.__dataclass_fields__.values()])

    def summary(self) -> str:
        """One line for the facilitator.

        >>> BatchResult([Outcome("P01", "ee01", "graded"), Outcome("P02", "ee01", "broken")],
        ...             Path("b.db"), 12.0).summary()
        '1 graded, 1 broken, 0 missing in 12.0 s'
        >>> BatchResult([], Path("b.db"), 1.0, rejected=[("X9", "ee01")]).summary()
        '0 graded, 0 broken, 0 missing in 1.0 s; 1 rejected (not on the participants list)'
        """
        text = (f"{len(self.graded())} graded, {len(self.broken())} broken, "
                f"{len(self.missing())} missing in {self.seconds:.1f} s")
        if self.rejected:
            text += f"; {len(self.rejected)} rejected (not on the participants list)"
        return text


# ---------------------------------------------------------------------- the cheap check
@dataclass(frozen=True)
class CellSpec:
    """What the source says about one cell with nbgrader metadata."""

    grade_id: str
    cell_type: str
    grade: bool = False
    solution: bool = False
    locked: bool = False
    task: bool = False
    points: float | None = None


@dataclass(frozen=True)
class SourceNotebook:
    """What a submission must keep of one source notebook (from the gradebook)."""

    name: str
    grade_ids: tuple[str, ...]
    other_ids: tuple[str, ...] = ()  # solution and locked cells that are not graded
    code_cells: int = 0
    cells: tuple[CellSpec, ...] = ()


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]


def _changed_metadata(cell, meta: dict, spec: CellSpec) -> list[str]:
    """Which of a cell's grading settings differ from the source's."""
    changed = []
    if cell.get("cell_type") != spec.cell_type:
        changed.append("cell type")
    for flag in ("grade", "solution", "locked", "task"):
        if bool(meta.get(flag)) != getattr(spec, flag):
            changed.append(f"'{flag}' flag")
    if spec.grade and spec.points is not None:
        try:
            same = math.isclose(float(meta.get("points")), spec.points)
        except (TypeError, ValueError):
            same = False
        if not same:
            changed.append("points")
    return changed


def _forms_problems(nb, release: dict | None) -> str:
    """The answer-form format's own check (plain values only), when the exercise uses it."""
    if release is None:
        return ""
    uses_forms = any(isinstance(c.get("metadata", {}).get("homeward"), dict)
                     and "answer" in c["metadata"]["homeward"] for c in release.get("cells", []))
    if not uses_forms:
        return ""
    try:
        from widgets.forms.model import check_submission
    except ImportError:  # the format's module is not installed: nbgrader's checks only
        return ""
    problems = check_submission(nb, release)
    if not problems:
        return ""
    words = "; ".join(dict.fromkeys(p.message for p in problems[:3]))
    more = f" and {len(problems) - 3} more" if len(problems) > 3 else ""
    return f"not plain answers, not run ({words}{more})"


def precheck(folder: Path, notebooks: list[SourceNotebook],
             max_bytes: int = MAX_NOTEBOOK_BYTES, releases: dict | None = None) -> str:
    """Why a submitted folder cannot be graded, or ``""`` if it can.

    ``releases`` maps notebook names to the released notebooks (as JSON data), for the
    answer-form check.

    >>> import tempfile, nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> source = [SourceNotebook("ex", ("q1-test", "q2-test"))]
    >>> _ = (folder / "ex.ipynb").write_text("{not json")
    >>> precheck(folder, source)
    'invalid notebook file (ex.ipynb is not JSON)'
    >>> nb = nbformat.v4.new_notebook()
    >>> def cell(grade_id, points=1):
    ...     c = nbformat.v4.new_code_cell("assert True")
    ...     c.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
    ...                               "points": points, "solution": False, "schema_version": 3}
    ...     return c
    >>> nb.cells = [cell("q1-test"), cell("q1-test")]
    >>> nbformat.write(nb, folder / "ex.ipynb")
    >>> precheck(folder, source)
    "grade cell 'q1-test' duplicated; grade cell 'q2-test' deleted"
    >>> nb.cells = [cell("q1-test"), cell("q2-test")]
    >>> nbformat.write(nb, folder / "ex.ipynb")
    >>> precheck(folder, source)
    ''

    Grading settings changed by hand (here: 10 points instead of 1) are refused too:

    >>> specs = (CellSpec("q1-test", "code", grade=True, locked=True, points=1.0),
    ...          CellSpec("q2-test", "code", grade=True, locked=True, points=1.0))
    >>> nb.cells = [cell("q1-test", points=10), cell("q2-test")]
    >>> nbformat.write(nb, folder / "ex.ipynb")
    >>> precheck(folder, [SourceNotebook("ex", ("q1-test", "q2-test"), cells=specs)])
    "cell 'q1-test': points changed"
    """
    import nbformat

    problems = []
    timestamp = folder / "timestamp.txt"
    if timestamp.exists():
        from nbgrader.utils import parse_utc

        try:
            stamp = timestamp.read_text().strip()
            if stamp:
                parse_utc(stamp)
        except (ValueError, OverflowError, UnicodeDecodeError):
            problems.append("invalid timestamp.txt")
    for source in notebooks:
        path = folder / f"{source.name}.ipynb"
        if path.is_symlink():
            problems.append(f"notebook {path.name} is a link, not a file")
            continue
        if not path.is_file():
            others = sorted(p.name for p in folder.glob("*.ipynb"))
            hint = f" (found {', '.join(others)}: renamed?)" if others else ""
            problems.append(f"notebook {source.name}.ipynb not submitted{hint}")
            continue
        size = path.stat().st_size
        if size > max_bytes:
            problems.append(f"output too large ({path.name} is {size / 2**20:.0f} MB)")
            continue
        try:
            text = path.read_text(encoding="utf-8")
            json.loads(text)
        except (UnicodeDecodeError, ValueError):
            problems.append(f"invalid notebook file ({path.name} is not JSON)")
            continue
        except RecursionError:
            problems.append(f"invalid notebook file ({path.name} is nested too deeply)")
            continue
        try:
            with warnings.catch_warnings():  # e.g. a copied cell's id: nbformat renames it
                warnings.simplefilter("ignore")
                nb = nbformat.reads(text, as_version=4)
                nbformat.validate(nb)
        except Exception as error:  # nbformat raises several kinds
            problems.append(f"invalid notebook file ({path.name}: {_short(error)})")
            continue
        counts: dict[str, int] = {}
        newer = False
        specs = {spec.grade_id: spec for spec in source.cells}
        edited: list[str] = []
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader") or {}
            if not isinstance(meta, dict):
                continue
            if isinstance(meta.get("schema_version"), int) and meta["schema_version"] > 3:
                newer = True
            grade_id = meta.get("grade_id")
            graded = meta.get("grade") or meta.get("solution") or meta.get("task")
            if grade_id and (graded or meta.get("locked")):
                counts[grade_id] = counts.get(grade_id, 0) + 1
            if not specs or not grade_id:
                continue
            if grade_id in specs:
                changed = _changed_metadata(cell, meta, specs[grade_id])
                if changed:
                    edited.append(f"cell {grade_id!r}: {', '.join(changed)} changed")
            elif graded:
                edited.append(f"cell {grade_id!r} is marked for grading but is not in the "
                              "exercise")
        if newer:
            problems.append(f"invalid notebook file ({path.name} made by a newer nbgrader)")
            continue
        for grade_id in sorted(set(source.grade_ids) | set(source.other_ids)):
            kind = "grade cell" if grade_id in source.grade_ids else "cell"
            if counts.get(grade_id, 0) > 1:
                problems.append(f"{kind} {grade_id!r} duplicated")
            elif counts.get(grade_id, 0) == 0 and grade_id in source.grade_ids:
                problems.append(f"{kind} {grade_id!r} deleted")
        problems += edited
        forms = _forms_problems(nb, (releases or {}).get(source.name))
        if forms:
            problems.append(forms)
    return "; ".join(problems)


# ---------------------------------------------------------------------- scratch courses
def default_workers() -> int:
    """Workers for a batch: one per core, at least 2.

    Measured on the project's 2-core machine (16 economic-empowerment notebooks, shared with
    other work, so the figures move with its load): 1 worker 27.5 s, 2 workers 16.1 s,
    3 workers 17.7 s, 4 workers 16.6 s. A notebook's grading is nearly all processor time
    (the kernel's start and imports, then nbgrader's own steps), so more workers than cores
    gain nothing; fewer leave a core idle.
    """
    return max(2, os.cpu_count() or 1)


def scratch_root() -> str | None:
    """Where the workers' scratch courses go: memory (``/dev/shm``) when there is room.

    nbgrader commits to the gradebook after every graded cell; on this project's test
    machine a commit took about 19 ms on disk and 0.4 ms in memory, which is a good part of a
    second per notebook. Only the scratch copies live there: the real gradebook stays on disk.
    A sandboxed kernel never sees ``/dev/shm`` of the host (it has its own).
    """
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2**30:
            return str(shm)
    except OSError:
        pass
    return None


def structure_gradebook(gb, assignment: str, path: Path, course_id: str) -> None:
    """A new gradebook at ``path`` holding only the structure of ``assignment`` (its
    notebooks and cells, with the hidden tests nbgrader restores), no participant."""
    from nbgrader.api import Gradebook

    create_gradebook(path, course_id)
    a = gb.find_assignment(assignment)
    with Gradebook(f"sqlite:///{path}", course_id=course_id) as new:
        new.add_assignment(a.name, duedate=a.duedate)
        for nb in a.notebooks:
            new.add_notebook(nb.name, a.name, kernelspec=nb.kernelspec)
            for c in nb.source_cells:
                new.add_source_cell(c.name, nb.name, a.name, cell_type=c.cell_type,
                                    locked=c.locked, source=c.source, checksum=c.checksum)
            for c in nb.grade_cells:
                new.add_grade_cell(c.name, nb.name, a.name, max_score=c.max_score,
                                   cell_type=c.cell_type)
            for c in nb.solution_cells:
                new.add_solution_cell(c.name, nb.name, a.name)
            for c in nb.task_cells:
                new.add_task_cell(c.name, nb.name, a.name, max_score=c.max_score,
                                  cell_type=c.cell_type)
    os.chmod(path, 0o600)


def _regular_files(folder: Path, skip_notebooks: bool) -> list[Path]:
    """Regular files under ``folder`` (never a link, nothing hidden, no checkpoints)."""
    found = []
    if not folder.is_dir():
        return found
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in files:
            path = Path(root) / name
            if name.startswith(".") or (skip_notebooks and name.endswith(".ipynb")):
                continue
            if stat.S_ISREG(path.lstat().st_mode):
                found.append(path)
    return sorted(found)


def release_files(course, assignment: str) -> list[tuple[Path, str]]:
    """The assignment's files other than notebooks, as released (nbgrader copies them next
    to every graded notebook): ``(path, relative name)``."""
    folder = course.root / "release" / assignment
    if not folder.is_dir():
        folder = course.root / "source" / assignment
    return [(p, str(p.relative_to(folder))) for p in _regular_files(folder, True)]


def worker_config(course) -> str:
    """The course's ``nbgrader_config.py`` for a worker: the course root line is set by the
    worker itself, and the exchange (other participants' submissions) is left out."""
    text = (course.root / "nbgrader_config.py").read_text()
    text = re.sub(r"(?m)^c\.CourseDirectory\.root\s*=.*$", "", text)
    return re.sub(r"(?m)^c\.Exchange\.root\s*=.*$", "", text)


class _Worker:
    """One ``python -m grading.worker`` process and its scratch course."""

    def __init__(self, number: int, base: Path, config_text: str, sandbox: bool):
        from grading.sandbox import batch_slot

        self.number = number
        self.scratch = base / f"worker-{number}"
        if self.scratch.exists():
            shutil.rmtree(self.scratch)
        self.scratch.mkdir(parents=True)
        (self.scratch / "nbgrader_config.py").write_text(config_text)
        env = subprocess_env()
        env.pop("HOMEWARD_COURSE", None)
        self.log = open(base / f"worker-{number}.log", "a")  # noqa: SIM115
        run_root = base / "run"
        run_root.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grading.worker", str(self.scratch),
             str(self.scratch / "nbgrader_config.py"),
             "--sandbox" if sandbox else "--no-sandbox", "--slot", str(batch_slot(number)),
             "--run-root", str(run_root)],
            cwd=self.scratch, env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1,
            start_new_session=True)
        self.job: tuple[str, str] | None = None
        self.started = 0.0
        self.limit = math.inf
        self.ready = False

    def send(self, job: tuple[str, str], course, templates: dict, files: dict, limit: float,
             extension: float | None) -> None:
        """Make the scratch course for one submission, then hand it to the worker."""
        participant, assignment = job
        for name in ("submitted", "autograded", "source", "gradebook.db"):
            path = self.scratch / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
        shutil.copyfile(templates[assignment], self.scratch / "gradebook.db")
        source = self.scratch / "source" / assignment
        source.mkdir(parents=True)
        for path, name in files[assignment]:
            target = source / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        # only the notebooks and the time of the submission: nothing else a participant sent
        submitted = course.root / "submitted" / participant / assignment
        target = self.scratch / "submitted" / participant / assignment
        target.mkdir(parents=True)
        for path in submitted.iterdir():
            if (path.suffix == ".ipynb" or path.name == "timestamp.txt") and \
                    stat.S_ISREG(path.lstat().st_mode):
                shutil.copyfile(path, target / path.name)
        self.job, self.started, self.limit = job, time.monotonic(), limit
        message = {"participant": participant, "assignment": assignment}
        if extension:
            message["extension_seconds"] = extension
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def stash(self, job: tuple[str, str]) -> Path:
        """Move the graded folder of ``job`` out of the scratch course (before the next
        submission is placed there); return where it is now."""
        participant, assignment = job
        source = self.scratch / "autograded" / participant / assignment
        target = self.scratch.parent / "graded" / f"{self.number}-{participant}-{assignment}"
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(exist_ok=True)
        if source.exists():
            shutil.move(str(source), str(target))
        return target

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        self.log.close()

    def finish(self) -> None:
        """No more work: the worker stops when it reads the end of its input."""
        try:
            self.process.stdin.close()
        except (BrokenPipeError, OSError):
            pass

    def close(self) -> None:
        self.finish()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.log.close()


# ---------------------------------------------------------------------- the batch
def _source_notebooks(gb, assignment: str) -> list[SourceNotebook]:
    a = gb.find_assignment(assignment)
    notebooks = []
    for nb in a.notebooks:
        grade_ids = tuple(sorted(c.name for c in nb.grade_cells))
        other = tuple(sorted({c.name for c in nb.solution_cells} - set(grade_ids)))
        code_cells = sum(1 for c in nb.source_cells if c.cell_type == "code")
        points = {c.name: float(c.max_score) for c in nb.grade_cells}
        solutions = {c.name for c in nb.solution_cells}
        tasks = {c.name for c in nb.task_cells}
        cells = tuple(CellSpec(c.name, c.cell_type, grade=c.name in points,
                               solution=c.name in solutions, locked=bool(c.locked),
                               task=c.name in tasks, points=points.get(c.name))
                      for c in nb.source_cells)
        notebooks.append(SourceNotebook(nb.name, grade_ids, other, code_cells, cells))
    return notebooks


def _releases(course, assignment: str, notebooks: list[SourceNotebook]) -> dict:
    out = {}
    for nb in notebooks:
        path = course.root / "release" / assignment / f"{nb.name}.ipynb"
        try:
            out[nb.name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return out


def _merge(gb, participant: str, assignment: str, answer: dict) -> dict:
    """Write what nbgrader's autograde produced for one submission into the real gradebook,
    field by field as nbgrader does (``Autograde.init_assignment``, ``SaveAutoGrades``,
    ``AssignLatePenalties``): manual scores are never touched. Returns the answer with the
    "needs manual grade" flags it set (for the integrity check)."""
    from nbgrader.utils import parse_utc
    from sqlalchemy.exc import SAWarning

    gb.find_student(participant)  # on the list (checked before grading): never added here
    timestamp = answer.get("timestamp")
    with warnings.catch_warnings():
        # nbgrader's update_or_create_submission warns about its own autoflush
        warnings.simplefilter("ignore", SAWarning)
        if timestamp:
            sub = gb.update_or_create_submission(assignment, participant,
                                                 timestamp=parse_utc(timestamp))
        else:
            sub = gb.update_or_create_submission(assignment, participant)
    written = json.loads(json.dumps(answer))
    for nb in sub.notebooks:
        values = answer["notebooks"].get(nb.name)
        if values is None:
            continue
        needs = written["notebooks"][nb.name].setdefault("needs_manual", {})
        for grade in nb.grades:
            if grade.name in values["grades"]:
                grade.auto_score = values["grades"][grade.name]
                # SaveAutoGrades: a manual grade, or no auto grade, needs a person's look
                grade.needs_manual_grade = (grade.manual_score is not None
                                            or grade.auto_score is None)
                needs[grade.name] = grade.needs_manual_grade
        for comment in nb.comments:
            if comment.name in values["comments"]:
                comment.auto_comment = values["comments"][comment.name]
        nb.late_submission_penalty = values["late_submission_penalty"]
    gb.db.flush()
    # the score as the gradebook has it now (automatic and manual grades), read before the
    # commit: no read transaction stays open on the gradebook while the workers run
    written["score"], written["max_score"] = float(sub.score), float(sub.max_score)
    gb.db.commit()
    return written


def _move_graded(source: Path, root: Path, participant: str, assignment: str) -> None:
    target = root / "autograded" / participant / assignment
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), str(target))


def _participants(course, listed: set[str], participants) -> list[str]:
    """Who is graded: the named participants (each must be on the list), else everyone on
    the list (the gradebook's students)."""
    if participants is None:
        return sorted(listed)
    if isinstance(participants, str):
        participants = [participants]
    for pid in participants:
        if not ID_RE.match(str(pid)):
            raise CourseError(f"participant id {pid!r} may only hold letters, digits, _ "
                              "and -")
    unknown = [p for p in participants if p not in listed]
    if unknown:
        raise CourseError(f"not on the participants list: {', '.join(unknown)} (add them "
                          "with `python -m grading participants add FILE.csv`)")
    return list(dict.fromkeys(participants))


def _rejected(course, listed: set[str], assignments: list[str]) -> list[tuple[str, str]]:
    submitted = course.root / "submitted"
    if not submitted.is_dir():
        return []
    return sorted((p.name, a) for p in submitted.iterdir() if p.is_dir()
                  and p.name not in listed for a in assignments if (p / a).is_dir())


def write_record(course, result: BatchResult, stamp: str) -> Path:
    from widgets.csvsafe import safe_row

    course.batches_dir.mkdir(exist_ok=True)
    path = course.batches_dir / f"{stamp}.csv"
    with path.open("w", newline="") as handle:
        os.chmod(path, 0o600)
        writer = csv.writer(handle)
        writer.writerow(["participant", "assignment", "status", "reason", "seconds", "score",
                         "max_score", "peak_mb"])
        for o in result.outcomes:
            writer.writerow(safe_row([o.participant, o.assignment, o.status, o.reason,
                                      round(o.seconds, 2), o.score, o.max_score, o.peak_mb]))
    return path


def _config_number(course, name: str, default: int) -> int:
    text = (course.root / "nbgrader_config.py").read_text()
    match = re.search(rf"^c\.{re.escape(name)}\s*=\s*(-?\d+)", text, flags=re.MULTILINE)
    return int(match.group(1)) if match else default


def _course_timeout(course) -> int:
    return _config_number(course, "Execute.timeout", 30)


def _notebook_timeout(course) -> int:
    return _config_number(course, "LimitedExecute.notebook_timeout", NOTEBOOK_TIMEOUT)


def require_sandbox() -> None:
    """Raise :class:`SandboxUnavailableError` (what is wrong, what to do) unless a sandboxed
    kernel can start on this machine."""
    from grading.sandbox import check_sandbox

    reason = check_sandbox()
    if reason:
        raise SandboxUnavailableError(
            f"grading refuses to start: {reason}. Without the sandbox, participants' code "
            "runs with your permissions, next to the course's data. Fix it, or if you "
            "accept that risk, run autograde with --unsafe-no-sandbox (see "
            "facilitator_guides/grading_workflow.md)")


def worker_plan(course, wanted: int, limit: int | None = None):
    """How many of ``wanted`` workers fit in this process's memory limit, with the course's
    sandbox memory (:func:`grading.memory.plan_workers`; ``limit`` for the tests)."""
    from grading.memory import plan_workers

    memory_mb, folders_mb = sandbox_memory(course)
    return plan_workers(wanted, memory_mb, folders_mb, limit=limit)


def sandbox_memory(course) -> tuple[int, int]:
    """The most memory one sandboxed notebook of the course may use, in MB: its kernel's
    (``SandboxKernelManager.memory_mb``) and its three memory-backed folders' (``file_mb``
    each: ``/notebook``, ``/tmp``, ``/dev/shm``)."""
    memory_mb = _config_number(course, "SandboxKernelManager.memory_mb", 1024)
    file_mb = _config_number(course, "SandboxKernelManager.file_mb", 64)
    return memory_mb, 3 * file_mb


def run_batch(course, assignments: list[str], participants=None, workers=None,
              progress: bool = True, scratch_dir=None, sandbox: bool = True,
              log=None) -> BatchResult:
    """Grade every submission of ``assignments`` by ``participants`` (default: everyone on
    the participants list); see the module text for how. ``sandbox=False`` runs the
    participants' code with the facilitator's own permissions (``--unsafe-no-sandbox``).
    Workers: ``workers`` (default :func:`default_workers`), no more than the submissions and
    than fit in this process's memory limit (:func:`worker_plan`); ``log`` gets the line that
    says how many (``result.workers_note`` keeps it when they were lowered)."""
    from nbgrader.api import MissingEntry
    from tqdm import tqdm

    if sandbox:
        require_sandbox()
    start = time.perf_counter()
    stamp = _utc_stamp()
    with course.gradebook() as gb:
        sources = {}
        for name in assignments:
            try:
                sources[name] = _source_notebooks(gb, name)
            except MissingEntry:
                raise CourseError(f"assignment {name!r} is not generated yet: run "
                                  f"`python -m grading generate {name}` first") from None
        listed = {s.id for s in gb.students}
        people = _participants(course, listed, participants)
        extensions = {}
        for name in assignments:
            for sub in gb.assignment_submissions(name):
                if sub.extension:
                    extensions[(sub.student_id, name)] = sub.extension.total_seconds()
    rejected = _rejected(course, listed, assignments)
    backup = course.backup_gradebook()
    before = integrity.snapshot(backup)
    timeout = _course_timeout(course)
    notebook_timeout = _notebook_timeout(course)

    outcomes: dict[tuple[str, str], Outcome] = {}
    jobs: deque[tuple[str, str]] = deque()
    submitted = course.root / "submitted"
    for assignment in assignments:
        for pid in people:
            folder = submitted / pid / assignment
            if not folder.is_dir():
                outcomes[(pid, assignment)] = Outcome(pid, assignment, "missing",
                                                      "nothing submitted")
                continue
            jobs.append((pid, assignment))  # checked (precheck) when a worker asks for it

    plan = worker_plan(course, min(int(workers or default_workers()), len(jobs) or 1))
    n_workers = plan.workers
    if jobs and log is not None:
        log(plan.line)
    bar = tqdm(total=len(jobs), unit="notebook", desc="autograde", disable=not progress,
               file=sys.stderr, dynamic_ncols=True)
    broken_count = 0

    def record(outcome: Outcome) -> None:
        nonlocal broken_count
        outcomes[(outcome.participant, outcome.assignment)] = outcome
        broken_count += outcome.status == "broken"
        bar.update(1)
        bar.set_postfix(broken=broken_count)

    base = Path(tempfile.mkdtemp(prefix="homeward-batch-", dir=scratch_dir or scratch_root()))
    pool: list[_Worker] = []
    state = _State(written=integrity.Written(), timeline={}, suspects=set())
    watcher = integrity.Watcher(course.gradebook_path)
    try:
        if jobs:
            templates, files, releases = {}, {}, {}
            with course.gradebook() as gb:
                for name in assignments:
                    templates[name] = base / "templates" / f"{name}.db"
                    templates[name].parent.mkdir(exist_ok=True)
                    structure_gradebook(gb, name, templates[name], course.course_id)
                    files[name] = release_files(course, name)
                    releases[name] = _releases(course, name, sources[name])
            setup = _Setup(templates=templates, files=files, releases=releases,
                           extensions=extensions, config=worker_config(course),
                           sandbox=sandbox, timeout=timeout, notebook_timeout=notebook_timeout)
            with course.gradebook() as gb:
                _grade(course, gb, jobs, sources, setup, n_workers, base, pool, record,
                       state, watcher)
    finally:
        for worker in pool:  # only if the batch was stopped (Ctrl-C, an error)
            if worker.job:
                jobs.appendleft(worker.job)
                worker.kill()
            else:
                worker.close()
        for pid, assignment in jobs:
            outcomes[(pid, assignment)] = Outcome(pid, assignment, "broken",
                                                  "not graded: the batch was stopped")
        bar.close()
        foreign, since = watcher.changed()
        if foreign:
            state.foreign = True
            state.suspects |= _in_flight(state.timeline, since)
        watcher.close()
        problems = integrity.verify(before, integrity.snapshot(course.gradebook_path),
                                    state.written)
        if state.foreign:
            problems.insert(0, "something other than the batch wrote to the gradebook while "
                               "it ran")
        if problems:
            for key in sorted(state.suspects):
                old = outcomes.get(key)
                if old is not None:
                    outcomes[key] = Outcome(key[0], key[1], "broken",
                                            "the gradebook was changed by something other "
                                            "than the batch while this was being graded",
                                            old.seconds, old.score, old.max_score)
        ordered = [outcomes[k] for k in sorted(outcomes, key=lambda k: (k[1], k[0]))]
        result = BatchResult(ordered, backup, time.perf_counter() - start, workers=n_workers,
                             workers_note=plan.note,
                             rejected=rejected, integrity=problems,
                             suspects=sorted(state.suspects),
                             sandbox=sandbox)
        result.record = write_record(course, result, stamp)
        result.summary_path = course.batches_dir / f"{stamp}.json"
        integrity.write_summary(result.summary_path, {
            "batch": stamp, "backup": str(backup), "failed": result.failed,
            "integrity": problems, "suspects": result.suspects, "sandbox": sandbox,
            "rejected": rejected, "summary": result.summary(), "workers": n_workers,
            "workers_note": plan.note})
        _keep_logs(course, base, stamp)
    return result


@dataclass
class _Setup:
    templates: dict
    files: dict
    releases: dict
    extensions: dict
    config: str
    sandbox: bool
    timeout: int
    notebook_timeout: int


@dataclass
class _State:
    written: integrity.Written
    timeline: dict  # (participant, assignment) -> [sent, done or None] (monotonic seconds)
    suspects: set
    foreign: bool = False  # something else committed to the gradebook during the batch


def _in_flight(timeline: dict, since: float) -> set:
    """The submissions being graded at some moment after ``since``."""
    return {key for key, (sent, done) in timeline.items() if done is None or done >= since}


def _keep_logs(course, base: Path, stamp: str) -> None:
    logs = sorted(base.glob("worker-*.log"))
    if logs:
        target = course.batches_dir / f"{stamp}.log"
        with target.open("w") as out:
            os.chmod(target, 0o600)
            for log in logs:
                out.write(f"==== {log.name}\n{log.read_text(errors='replace')}\n")
    shutil.rmtree(base, ignore_errors=True)


def _grade(course, gb, jobs, sources, setup: _Setup, n_workers, base, pool, record, state,
           watcher) -> None:
    """Feed ``jobs`` to ``n_workers`` workers; merge each answer as it arrives."""
    selector = selectors.DefaultSelector()
    submitted = course.root / "submitted"
    numbers = iter(range(10_000))

    def start_worker() -> _Worker:
        worker = _Worker(next(numbers), base, setup.config, setup.sandbox)
        worker.started = time.monotonic()
        worker.limit = WORKER_START_SECONDS
        pool.append(worker)
        selector.register(worker.process.stdout, selectors.EVENT_READ, worker)
        return worker

    def retire(worker: _Worker) -> None:
        selector.unregister(worker.process.stdout)
        pool.remove(worker)
        worker.kill()

    def hard_limit(assignment: str) -> float:
        if setup.notebook_timeout > 0:
            return setup.notebook_timeout + WORKER_MARGIN_SECONDS
        cells = sum(nb.code_cells for nb in sources[assignment]) or 1
        return setup.timeout * cells + WORKER_MARGIN_SECONDS

    def next_job(worker: _Worker) -> None:
        """The next submission that passes the cheap check (the others are recorded as
        broken here, while the workers run: the check costs no waiting)."""
        worker.job = None
        while jobs:
            pid, assignment = job = jobs.popleft()
            reason = precheck(submitted / pid / assignment, sources[assignment],
                              releases=setup.releases.get(assignment))
            if reason:
                record(Outcome(pid, assignment, "broken", reason))
                continue
            worker.send(job, course, setup.templates, setup.files, hard_limit(assignment),
                        setup.extensions.get(job))
            state.timeline[job] = [time.monotonic(), None]
            return

    def done(job) -> None:
        if job in state.timeline:
            state.timeline[job][1] = time.monotonic()

    def fail(worker: _Worker, reason: str) -> None:
        if worker.job is not None:
            pid, assignment = worker.job
            done(worker.job)
            record(Outcome(pid, assignment, "broken", reason,
                           seconds=time.monotonic() - worker.started))
        retire(worker)
        if jobs:
            start_worker()

    start_failures = 0

    def not_started(worker: _Worker) -> None:
        nonlocal start_failures
        start_failures += 1
        retire(worker)
        if start_failures >= 3:
            raise RuntimeError("grading workers cannot start; see the batch log in "
                               f"{course.batches_dir}")
        if jobs:
            start_worker()

    finishing: list[_Worker] = []
    for _ in range(n_workers):
        start_worker()
    try:
        while pool:
            for key, _ in selector.select(timeout=1.0):
                worker: _Worker = key.data
                if worker not in pool:
                    continue
                line = worker.process.stdout.readline()
                if not line:  # the worker stopped: out of memory, a crash, a kill
                    if not worker.ready:
                        not_started(worker)
                    else:
                        fail(worker, "grading stopped (worker exited with code "
                                     f"{worker.process.poll()}; out of memory?)")
                    continue
                answer = json.loads(line)
                worker.ready = True
                finished = worker.job
                graded = None
                if finished is not None:
                    done(finished)
                    graded = worker.stash(finished)
                    foreign, since = watcher.changed()
                    if foreign:  # something else wrote to the gradebook since the last write
                        state.foreign = True
                        state.suspects |= _in_flight(state.timeline, since)
                        watcher.mark()
                # the worker starts on the next notebook while this one is saved
                next_job(worker)
                if not answer.get("ready"):
                    _answer(course, gb, graded, answer, setup.timeout, record, state, watcher)
                if worker.job is None:  # nothing left for it: let it stop, wait at the end
                    selector.unregister(worker.process.stdout)
                    pool.remove(worker)
                    worker.finish()
                    finishing.append(worker)
            now = time.monotonic()
            for worker in list(pool):
                if now - worker.started > worker.limit:
                    if not worker.ready:
                        not_started(worker)
                    else:
                        fail(worker, f"took longer than {worker.limit:.0f} s in all "
                                     "(endless loop?); stopped")
    finally:
        for worker in finishing:
            worker.close()


def _answer(course, gb, graded: Path | None, answer: dict, timeout: int, record, state,
            watcher) -> None:
    pid, assignment = answer["participant"], answer["assignment"]
    seconds = float(answer.get("seconds", 0.0))
    if not answer.get("ok"):
        record(Outcome(pid, assignment, "broken",
                       f"nbgrader could not grade it: {answer.get('error', 'unknown error')}",
                       seconds=seconds))
        return
    try:
        merged = _merge(gb, pid, assignment, answer)
        state.written.add(pid, assignment, merged)
        answer = {**answer, "score": merged["score"], "max_score": merged["max_score"]}
        _move_graded(graded, course.root, pid, assignment)
    except Exception as error:  # the gradebook keeps what it had; the batch goes on
        gb.db.rollback()
        record(Outcome(pid, assignment, "broken",
                       f"graded, but the grades could not be saved: {_short(error)}",
                       seconds=seconds))
        return
    finally:
        watcher.mark()
    reasons = []
    if answer.get("timed_out"):
        cells = ", ".join(c.split(":", 1)[1] for c in answer["timed_out"])
        reasons.append(f"took longer than {timeout} s (endless loop?) in {cells}")
    if answer.get("not_run"):
        cells = [c.split(":", 1)[1] for c in answer["not_run"]]
        named = sorted(c for c in cells if not c.startswith("#"))
        text = f"the whole notebook took longer than its time limit; {len(cells)} cells not run"
        reasons.append(text + (f", among them {', '.join(named)}" if named else ""))
    if answer.get("cut"):
        cells = ", ".join(c.split(":", 1)[1] for c in answer["cut"])
        reasons.append(f"output too large (cut) in {cells}")
    if answer.get("memory"):
        cells = ", ".join(c.split(":", 1)[1] for c in answer["memory"])
        reasons.append(f"used more memory than allowed in {cells}")
    if answer.get("left_behind"):
        reasons.append(f"left {answer['left_behind']} process(es) running after it finished "
                       "(stopped)")
    record(Outcome(pid, assignment, "broken" if reasons else "graded", "; ".join(reasons),
                   seconds=seconds, score=answer.get("score"),
                   max_score=answer.get("max_score"), peak_mb=answer.get("peak_mb")))
