"""A grading batch that one broken notebook cannot stop, and that loses nothing.

nbgrader's ``autograde`` grades the submissions one after another, each in a fresh kernel; a
notebook it cannot read, grade cells that were deleted or copied, an endless loop or an
enormous output can leave a submission un-gradable or stop the batch (nbgrader issues #1682,
#1083, #1941). :func:`run_batch` grades with nbgrader's own ``Autograde``, around it:

1. **A copy of the gradebook first**: ``backups/gradebook-<UTC time>.db``.
2. **A cheap check of every submission** (:func:`precheck`): a valid notebook file, every
   grade cell of the source present exactly once, a readable ``timestamp.txt``, a file of
   sensible size. A submission that fails is recorded as broken, with the reason, and is not
   graded: its earlier grades (if any) stay as they are.
3. **Several workers** (:mod:`grading.worker`), each running nbgrader's ``Autograde`` in a
   scratch copy of the course, one submission at a time, taking the next from a shared queue.
   Participants' code never runs next to the real gradebook.
4. **One writer**: after each submission the batch copies what nbgrader wrote (auto scores,
   comments, late penalty, timestamp) into the real gradebook through nbgrader's API, the
   way nbgrader's ``SaveAutoGrades`` does, so manual grades stay and scores equal plain
   ``nbgrader autograde``'s. Each submission is committed as soon as it is graded.
5. **A record**: ``batches/<UTC time>.csv``, one row per participant x assignment.

A cell stopped by the time limit, or output cut because it was too large, is graded as
nbgrader grades it (the rest of the notebook still counts) and listed as broken so the
facilitator looks at it. A worker that stops (a kernel that eats all memory) or a submission
that runs far too long is recorded as broken and the batch goes on with a new worker.
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
import subprocess
import sys
import tempfile
import time
import warnings
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from grading.course import ID_RE, CourseError, _utc_stamp, subprocess_env

#: Largest submitted notebook file the batch reads; larger is "output too large".
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
#: Seconds a worker may take to start (import nbgrader) before the batch gives up on it.
WORKER_START_SECONDS = 120


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


@dataclass
class BatchResult:
    """All outcomes of a batch, the gradebook copy made before it, and its wall time."""

    outcomes: list[Outcome]
    backup: Path
    seconds: float
    record: Path | None = None
    workers: int = 1

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
        """
        return (f"{len(self.graded())} graded, {len(self.broken())} broken, "
                f"{len(self.missing())} missing in {self.seconds:.1f} s")


# ---------------------------------------------------------------------- the cheap check
@dataclass(frozen=True)
class SourceNotebook:
    """What a submission must keep of one source notebook (from the gradebook)."""

    name: str
    grade_ids: tuple[str, ...]
    other_ids: tuple[str, ...] = ()  # solution and locked cells that are not graded
    code_cells: int = 0


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:120]


def precheck(folder: Path, notebooks: list[SourceNotebook],
             max_bytes: int = MAX_NOTEBOOK_BYTES) -> str:
    """Why a submitted folder cannot be graded, or ``""`` if it can.

    >>> import tempfile, nbformat
    >>> folder = Path(tempfile.mkdtemp())
    >>> source = [SourceNotebook("ex", ("q1-test", "q2-test"))]
    >>> _ = (folder / "ex.ipynb").write_text("{not json")
    >>> precheck(folder, source)
    'invalid notebook file (ex.ipynb is not JSON)'
    >>> nb = nbformat.v4.new_notebook()
    >>> def cell(grade_id):
    ...     c = nbformat.v4.new_code_cell("assert True")
    ...     c.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
    ...                               "points": 1, "solution": False, "schema_version": 3}
    ...     return c
    >>> nb.cells = [cell("q1-test"), cell("q1-test")]
    >>> nbformat.write(nb, folder / "ex.ipynb")
    >>> precheck(folder, source)
    "grade cell 'q1-test' duplicated; grade cell 'q2-test' deleted"
    >>> nb.cells = [cell("q1-test"), cell("q2-test")]
    >>> nbformat.write(nb, folder / "ex.ipynb")
    >>> precheck(folder, source)
    ''
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
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader") or {}
            if not isinstance(meta, dict):
                continue
            if isinstance(meta.get("schema_version"), int) and meta["schema_version"] > 3:
                newer = True
            grade_id = meta.get("grade_id")
            if grade_id and (meta.get("grade") or meta.get("solution") or meta.get("locked")
                             or meta.get("task")):
                counts[grade_id] = counts.get(grade_id, 0) + 1
        if newer:
            problems.append(f"invalid notebook file ({path.name} made by a newer nbgrader)")
            continue
        for grade_id in sorted(set(source.grade_ids) | set(source.other_ids)):
            kind = "grade cell" if grade_id in source.grade_ids else "cell"
            if counts.get(grade_id, 0) > 1:
                problems.append(f"{kind} {grade_id!r} duplicated")
            elif counts.get(grade_id, 0) == 0 and grade_id in source.grade_ids:
                problems.append(f"{kind} {grade_id!r} deleted")
    return "; ".join(problems)


# ---------------------------------------------------------------------- workers
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
    """
    shm = Path("/dev/shm")
    try:
        if shm.is_dir() and os.access(shm, os.W_OK) and shutil.disk_usage(shm).free > 2**30:
            return str(shm)
    except OSError:
        pass
    return None


class _Worker:
    """One ``python -m grading.worker`` process and its scratch course."""

    def __init__(self, number: int, base: Path, course, seed_db: Path):
        self.number = number
        self.scratch = base / f"worker-{number}"
        if self.scratch.exists():
            shutil.rmtree(self.scratch)
        self.scratch.mkdir(parents=True)
        shutil.copytree(course.root / "source", self.scratch / "source",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        shutil.copyfile(seed_db, self.scratch / "gradebook.db")
        # the course's configuration, pointing at the scratch course: nothing the worker (and
        # so a participant's code) is given names the real course directory
        config = re.sub(r"(?m)^c\.CourseDirectory\.root\s*=.*$",
                        lambda _: f"c.CourseDirectory.root = {str(self.scratch)!r}",
                        (course.root / "nbgrader_config.py").read_text())
        (self.scratch / "nbgrader_config.py").write_text(config)
        env = subprocess_env()
        env.pop("HOMEWARD_COURSE", None)
        self.log = open(base / f"worker-{number}.log", "a")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "grading.worker", str(self.scratch),
             str(self.scratch / "nbgrader_config.py")],
            cwd=self.scratch, env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self.log, text=True, bufsize=1,
            start_new_session=True)
        self.job: tuple[str, str] | None = None
        self.started = 0.0
        self.limit = math.inf
        self.ready = False

    def send(self, job: tuple[str, str], submitted: Path, limit: float) -> None:
        participant, assignment = job
        target = self.scratch / "submitted"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(submitted / participant / assignment, target / participant / assignment)
        graded = self.scratch / "autograded" / participant / assignment
        if graded.exists():
            shutil.rmtree(graded)
        self.job, self.started, self.limit = job, time.monotonic(), limit
        self.process.stdin.write(json.dumps({"participant": participant,
                                             "assignment": assignment}) + "\n")
        self.process.stdin.flush()

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
        notebooks.append(SourceNotebook(nb.name, grade_ids, other, code_cells))
    return notebooks


def _merge(gb, participant: str, assignment: str, answer: dict) -> None:
    """Write what nbgrader's autograde produced for one submission into the real gradebook,
    field by field as nbgrader does (``Autograde.init_assignment``, ``SaveAutoGrades``,
    ``AssignLatePenalties``): manual scores are never touched."""
    from nbgrader.api import MissingEntry
    from nbgrader.utils import parse_utc
    from sqlalchemy.exc import SAWarning

    try:
        gb.find_student(participant)
    except MissingEntry:  # Autograde.create_student: nbgrader adds unknown participants
        gb.add_student(participant)
    timestamp = answer.get("timestamp")
    with warnings.catch_warnings():
        # nbgrader's update_or_create_submission warns about its own autoflush
        warnings.simplefilter("ignore", SAWarning)
        if timestamp:
            sub = gb.update_or_create_submission(assignment, participant,
                                                 timestamp=parse_utc(timestamp))
        else:
            sub = gb.update_or_create_submission(assignment, participant)
    for nb in sub.notebooks:
        values = answer["notebooks"].get(nb.name)
        if values is None:
            continue
        for grade in nb.grades:
            if grade.name in values["grades"]:
                grade.auto_score = values["grades"][grade.name]
                # SaveAutoGrades: a manual grade, or no auto grade, needs a person's look
                grade.needs_manual_grade = (grade.manual_score is not None
                                            or grade.auto_score is None)
        for comment in nb.comments:
            if comment.name in values["comments"]:
                comment.auto_comment = values["comments"][comment.name]
        nb.late_submission_penalty = values["late_submission_penalty"]
    gb.db.commit()


def _move_graded(scratch: Path, root: Path, participant: str, assignment: str) -> None:
    source = scratch / "autograded" / participant / assignment
    target = root / "autograded" / participant / assignment
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), str(target))


def _participants(course, gb, participants) -> list[str]:
    if participants is not None:
        if isinstance(participants, str):
            participants = [participants]
        for pid in participants:
            if not ID_RE.match(str(pid)):
                raise CourseError(f"participant id {pid!r} may only hold letters, digits, _ "
                                  "and -")
        return list(dict.fromkeys(participants))
    known = {s.id for s in gb.students}
    submitted = course.root / "submitted"
    if submitted.is_dir():
        known |= {p.name for p in submitted.iterdir() if p.is_dir() and ID_RE.match(p.name)}
    return sorted(known)


def write_record(course, result: BatchResult, stamp: str) -> Path:
    course.batches_dir.mkdir(exist_ok=True)
    path = course.batches_dir / f"{stamp}.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["participant", "assignment", "status", "reason", "seconds", "score",
                         "max_score"])
        for o in result.outcomes:
            writer.writerow([o.participant, o.assignment, o.status, o.reason,
                             f"{o.seconds:.2f}", "" if o.score is None else o.score,
                             "" if o.max_score is None else o.max_score])
    os.chmod(path, 0o600)
    return path


def run_batch(course, assignments: list[str], participants=None, workers=None,
              progress: bool = True, scratch_dir=None) -> BatchResult:
    """Grade every submission of ``assignments`` by ``participants`` (default: everyone in
    the gradebook or with a folder in ``submitted/``); see the module text for how."""
    from nbgrader.api import MissingEntry
    from tqdm import tqdm

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
        people = _participants(course, gb, participants)
    backup = course.backup_gradebook()
    timeout = _course_timeout(course)

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

    n_workers = max(1, min(int(workers or default_workers()), len(jobs) or 1))
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
    try:
        if jobs:
            with course.gradebook() as gb:
                _grade(course, gb, jobs, sources, timeout, n_workers, base, backup, pool, record)
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
        ordered = [outcomes[k] for k in sorted(outcomes, key=lambda k: (k[1], k[0]))]
        result = BatchResult(ordered, backup, time.perf_counter() - start, workers=n_workers)
        result.record = write_record(course, result, stamp)
        _keep_logs(course, base, stamp)
    return result


def _keep_logs(course, base: Path, stamp: str) -> None:
    logs = sorted(base.glob("worker-*.log"))
    if logs:
        target = course.batches_dir / f"{stamp}.log"
        with target.open("w") as out:
            for log in logs:
                out.write(f"==== {log.name}\n{log.read_text(errors='replace')}\n")
        os.chmod(target, 0o600)
    shutil.rmtree(base, ignore_errors=True)


def _course_timeout(course) -> int:
    text = (course.root / "nbgrader_config.py").read_text()
    match = re.search(r"^c\.Execute\.timeout\s*=\s*(\d+)", text, flags=re.MULTILINE)
    return int(match.group(1)) if match else 30


def _grade(course, gb, jobs, sources, timeout, n_workers, base, seed_db, pool, record) -> None:
    """Feed ``jobs`` to ``n_workers`` workers; merge each answer as it arrives."""
    selector = selectors.DefaultSelector()
    submitted = course.root / "submitted"
    numbers = iter(range(10_000))

    def start_worker() -> _Worker:
        worker = _Worker(next(numbers), base, course, seed_db)
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
        cells = sum(nb.code_cells for nb in sources[assignment]) or 1
        return timeout * cells + 120.0

    def next_job(worker: _Worker) -> None:
        """The next submission that passes the cheap check (the others are recorded as
        broken here, while the workers run: the check costs no waiting)."""
        worker.job = None
        while jobs:
            pid, assignment = job = jobs.popleft()
            reason = precheck(submitted / pid / assignment, sources[assignment])
            if reason:
                record(Outcome(pid, assignment, "broken", reason))
                continue
            worker.send(job, submitted, hard_limit(assignment))
            return

    def fail(worker: _Worker, reason: str) -> None:
        if worker.job is not None:
            pid, assignment = worker.job
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
                # the worker starts on the next notebook while this one is saved
                next_job(worker)
                if not answer.get("ready"):
                    _answer(course, gb, worker, answer, timeout, record)
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


def _answer(course, gb, worker: _Worker, answer: dict, timeout: int, record) -> None:
    pid, assignment = answer["participant"], answer["assignment"]
    seconds = float(answer.get("seconds", 0.0))
    if not answer.get("ok"):
        record(Outcome(pid, assignment, "broken",
                       f"nbgrader could not grade it: {answer.get('error', 'unknown error')}",
                       seconds=seconds))
        return
    try:
        _merge(gb, pid, assignment, answer)
        _move_graded(worker.scratch, course.root, pid, assignment)
    except Exception as error:  # the gradebook keeps what it had; the batch goes on
        gb.db.rollback()
        record(Outcome(pid, assignment, "broken",
                       f"graded, but the grades could not be saved: {_short(error)}",
                       seconds=seconds))
        return
    reasons = []
    if answer.get("timed_out"):
        cells = ", ".join(c.split(":", 1)[1] for c in answer["timed_out"])
        reasons.append(f"took longer than {timeout} s (endless loop?) in {cells}")
    if answer.get("cut"):
        cells = ", ".join(c.split(":", 1)[1] for c in answer["cut"])
        reasons.append(f"output too large (cut) in {cells}")
    record(Outcome(pid, assignment, "broken" if reasons else "graded", "; ".join(reasons),
                   seconds=seconds, score=answer.get("score"),
                   max_score=answer.get("max_score")))

