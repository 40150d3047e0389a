"""A Homeward course directory: the facilitator's nbgrader course, run with a few commands.

A course directory holds everything nbgrader keeps for one course: the source assignments,
the released notebooks, the participants' submissions, the gradebook and the feedback. It
lives **outside version control**, wherever the facilitator says (``--course PATH``, else
``$HOMEWARD_COURSE``, else ``~/homeward-course``). Participant data never enters the repository.

Every step is nbgrader's own: the commands (``generate_assignment``, ``release_assignment``,
``collect``, ``autograde``, ``generate_feedback``) run as nbgrader, and names and scores are
read and written through nbgrader's gradebook API (:class:`nbgrader.api.Gradebook`). Homeward
adds what a facilitator needs around them: a participants table with a cohort and gender,
a grading batch that a broken notebook cannot stop (:mod:`grading.batch`), a copy of the
gradebook before every batch, and plain tables of who submitted what.

A course in five lines (a synthetic cohort; the real one comes from a CSV)::

    course = Course.create(tmp / "course", exchange=tmp / "exchange")
    course.add_participants("participants.csv")
    course.generate()
    ...                                   # release, participants work, collect
    result = course.autograde()           # result.broken() lists what needs a look
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


#: The repository this package lives in; its ``exercises/`` are the course's assignments.
REPO = Path(__file__).resolve().parents[1]
EXERCISES = REPO / "exercises"
#: Which exercise folders a new course takes from ``exercises/``.
ASSIGNMENT_PATTERNS = ("ee*", "fam*", "checkin_*", "seminar_*")
DEFAULT_COURSE = Path("~/homeward-course")

PARTICIPANT_COLUMNS = ("id", "first_name", "last_name", "email", "gender", "cohort")
GENDERS = ("woman", "man", "other", "")
ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: nbgrader keeps names and e-mails in columns of 128 characters.
MAX_FIELD = 128

#: Output limits written into every new course's ``nbgrader_config.py``.
MAX_OUTPUT_LINES = 1000
MAX_OUTPUT_CHARS = 100_000
#: Seconds a whole notebook may run when graded (beside the per-cell timeout).
NOTEBOOK_TIMEOUT = 120
#: Memory of each sandboxed kernel process, in MB.
MEMORY_MB = 1024
#: The file (in the course directory) with the hashes of each assignment's source files.
SOURCE_MANIFEST = "source-manifest.json"

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"

CONFIG_TEMPLATE = '''\
# nbgrader configuration of a Homeward course, written by `python -m grading init`.
# This folder holds participant data: keep it outside version control.
c = get_config()  # noqa: F821

c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = {course_id!r}
{exchange_line}
# Participants' code runs with the grader's permissions: every cell gets a time limit
# (seconds), and a cell that runs longer is stopped and recorded as broken.
c.Execute.timeout = {timeout}

# Answers are plain values (widgets/forms/model.py): a released answer cell is just
# `name = None`, so nbgrader's code stub is empty.
c.ClearSolutions.code_stub = {{"python": ""}}

# Enormous output is cut while the notebook runs (Homeward's LimitedExecute), then
# nbgrader's LimitOutput keeps at most this many lines per cell in the graded notebook.
c.LimitedExecute.max_output_chars = {max_chars}
c.LimitOutput.max_lines = {max_lines}
c.LimitOutput.max_traceback = 100

# Homeward's grading package (for LimitedExecute): importable when installed,
# otherwise from the repository this course was made from.
import sys  # noqa: E402

try:
    import grading.limits  # noqa: F401
except ImportError:
    sys.path.insert(0, {repo!r})
    import grading.limits  # noqa: F401
c.Autograde.autograde_preprocessors = grading.limits.autograde_preprocessors()

# Every participant's kernel runs inside bubblewrap (grading/sandbox.py): it sees only its
# own folder, has no network, runs as an unprivileged user, with these limits. The whole
# notebook gets at most notebook_timeout seconds, beside the time limit of each cell.
c.LimitedExecute.sandbox = True
c.LimitedExecute.notebook_timeout = {notebook_timeout}
c.SandboxKernelManager.memory_mb = {memory_mb}
c.SandboxKernelManager.processes = 64
c.SandboxKernelManager.cpu_seconds = {cpu_seconds}
c.SandboxKernelManager.file_mb = 64

# Feedback pages never show hidden tests (nor the lines of a hidden test that failed), and
# what a notebook printed is sanitised: no script runs when a page is opened.
import grading.feedback  # noqa: E402

c.GenerateFeedback.preprocessors = grading.feedback.feedback_preprocessors()
c.HTMLExporter.sanitize_html = True
'''


class CourseError(ValueError):
    """Something the facilitator asked for cannot be done as asked (the message says why)."""


class NotACourseError(CourseError):
    """The folder does not exist or is not a Homeward course directory."""


class ParticipantsError(CourseError):
    """A participants CSV has a bad row; the message names the row and the column."""


class UnknownAssignmentError(CourseError):
    """An assignment name that is not in the course's ``source/`` folder."""


class SourceChangedError(CourseError):
    """``source/`` differs from the exercises it came from; the message names the files."""


@dataclass
class CollectReport:
    """What ``collect`` brought in for one assignment."""

    assignment: str
    new: list[str]
    updated: list[str]
    unchanged: list[str]
    rejected: list[str]

    def lines(self) -> list[str]:
        """Plain lines for the facilitator.

        >>> CollectReport("ee01", ["P01", "P02"], ["P03"], [], ["X9"]).lines()[0]
        'ee01: 3 collected from 3 participants (2 new, 1 updated): P01, P02, P03'
        >>> CollectReport("ee01", [], [], ["P01"], []).lines()[0]
        'ee01: WARNING nothing new collected (1 already in); is it released, and have participants submitted?'
        """
        got = self.new + self.updated
        if got:
            out = [f"{self.assignment}: {len(got)} collected from {len(set(got))} participants "
                   f"({len(self.new)} new, {len(self.updated)} updated): "
                   f"{', '.join(sorted(got))}"]
        else:
            out = [f"{self.assignment}: WARNING nothing new collected ({len(self.unchanged)} "
                   "already in); is it released, and have participants submitted?"]
        for pid in self.rejected:
            out.append(f"REJECTED {pid} {self.assignment}: not on the participants list (kept "
                       f"in rejected/{pid}/{self.assignment}, never graded)")
        return out


@dataclass
class FeedbackReport:
    """What ``feedback`` wrote for one assignment, and whom it held back."""

    assignment: str
    written: list[str]
    held: list[str]
    released_anyway: bool = False

    def lines(self) -> list[str]:
        """
        >>> FeedbackReport("ee01", ["P01"], ["P02"]).lines()
        ['ee01: feedback written for 1 participant', 'HELD P02 ee01: a grade by hand is still needed; grade it, then run feedback again (or --even-ungraded)']
        """
        count = len(self.written)
        out = [f"{self.assignment}: feedback written for {count} participant"
               f"{'' if count == 1 else 's'}"]
        for pid in self.held:
            if self.released_anyway:
                out.append(f"WARNING {pid} {self.assignment}: a grade by hand is still needed; "
                           "feedback written anyway (--even-ungraded)")
            else:
                out.append(f"HELD {pid} {self.assignment}: a grade by hand is still needed; "
                           "grade it, then run feedback again (or --even-ungraded)")
        return out


class NbgraderCommandError(RuntimeError):
    """An nbgrader command failed; ``str()`` is its last error line, ``.output`` all of it."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.output = output


def default_root(path: str | os.PathLike | None = None) -> Path:
    """Where the course is: ``path``, else ``$HOMEWARD_COURSE``, else ``~/homeward-course``.

    >>> default_root("/srv/course-2026") == Path("/srv/course-2026")
    True
    """
    chosen = path or os.environ.get("HOMEWARD_COURSE") or DEFAULT_COURSE
    return Path(chosen).expanduser().resolve()


def git_work_tree(path: Path) -> Path | None:
    """The enclosing git work tree of ``path`` (the folder holding ``.git``), if any."""
    for folder in [path, *path.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def nbgrader_command() -> list[str]:
    """The ``nbgrader`` executable of the running interpreter's environment."""
    script = Path(sys.executable).with_name("nbgrader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "nbgrader"]


def subprocess_env() -> dict[str, str]:
    """Environment for nbgrader and worker processes: this interpreter's ``bin`` first on
    ``PATH`` (nbgrader calls ``alembic`` and ``jupyter`` by name) and this repository on
    ``PYTHONPATH`` (the course configuration imports :mod:`grading.limits`)."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return env


def nbgrader_config(course_config: Path):
    """The configuration ``nbgrader`` would use in a course: the Jupyter config folders'
    ``nbgrader_config.py`` files, then the course's own (``course_config``)."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course_config = Path(course_config)
    config = Config()
    for folder in reversed(jupyter_config_path()):
        path = Path(folder) / "nbgrader_config.py"
        if path.is_file() and path.resolve() != course_config.resolve():
            config.merge(PyFileConfigLoader(path.name, str(path.parent)).load_config())
    config.merge(PyFileConfigLoader(course_config.name, str(course_config.parent)).load_config())
    return config


def format_timestamp(when: dt.datetime | str | None = None) -> str:
    """A submission time as nbgrader writes it in ``timestamp.txt`` (UTC).

    >>> format_timestamp(dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC))
    '2026-03-01 09:30:00.000000 UTC'
    """
    if isinstance(when, str):
        from nbgrader.utils import parse_utc

        when = parse_utc(when)
    when = when or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


def _utc_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")


def folder_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder`` (checkpoints and caches left out), by relative
    path; a link is hashed as its target text, never followed."""
    out = {}
    folder = Path(folder)
    if not folder.is_dir():
        return out
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in (".ipynb_checkpoints", "__pycache__"))
        for name in sorted(files):
            path = Path(root) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                data = b"link:" + os.readlink(path).encode()
            else:
                data = path.read_bytes()
            out[rel] = hashlib.sha256(data).hexdigest()
    return out


def _last_error_line(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in reversed(lines):
        if "| ERROR]" in line or "| CRITICAL]" in line:
            return line.split("]", 1)[1].strip()
    return lines[-1] if lines else "no output"


def alembic_head() -> str:
    """The gradebook schema version of the installed nbgrader (its newest alembic revision)."""
    import nbgrader
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(Path(nbgrader.__file__).parent / "alembic")).get_current_head()


def create_gradebook(path: Path, course_id: str) -> None:
    """A new, empty nbgrader gradebook at ``path``.

    nbgrader's :class:`~nbgrader.api.Gradebook` makes the tables and stamps the schema version
    it gets from running the ``alembic`` command (a second or two, and it must be on
    ``PATH``). Here the version stamp is written first, read from nbgrader's own alembic
    scripts in this process, and nbgrader then makes its tables exactly as it would.
    """
    from nbgrader.api import Gradebook

    con = sqlite3.connect(path)
    with con:
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version (version_num) VALUES (?)", (alembic_head(),))
    con.close()
    with Gradebook(f"sqlite:///{path}", course_id=course_id):
        pass


# ---------------------------------------------------------------------- participants
@dataclass(frozen=True)
class ParticipantRow:
    """One checked row of a participants CSV."""

    id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    gender: str = ""
    cohort: str = ""


def read_participants_csv(path: str | os.PathLike) -> list[ParticipantRow]:
    """Read and check a participants CSV; raise :class:`ParticipantsError` on the first bad row.

    Rows are numbered as a spreadsheet shows them: the header is row 1. Blank rows are skipped.
    ``gender`` is one of woman, man, other or blank (any case).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "ok.csv").write_text("id,first_name,gender,cohort\\n"
    ...                                    "P01,Test Person A,Woman,2026-A\\n")
    >>> read_participants_csv(folder / "ok.csv")[0]
    ParticipantRow(id='P01', first_name='Test Person A', last_name='', email='', gender='woman', cohort='2026-A')
    >>> _ = (folder / "bad.csv").write_text("id,gender\\nP01,woman\\nP 02,man\\n")
    >>> read_participants_csv(folder / "bad.csv")
    Traceback (most recent call last):
    ...
    grading.course.ParticipantsError: bad.csv, row 3, column 'id': 'P 02' may only hold letters, digits, _ and -
    """
    path = Path(path)
    name = path.name
    if not path.is_file():
        raise ParticipantsError(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParticipantsError(f"{name}: not a UTF-8 text file ({error.reason})") from None
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    if "id" not in header:
        raise ParticipantsError(f"{name}, row 1: the header needs an 'id' column "
                                f"(columns: {', '.join(PARTICIPANT_COLUMNS)})")
    unknown = [h for h in header if h not in PARTICIPANT_COLUMNS]
    if unknown:
        raise ParticipantsError(f"{name}, row 1, column {unknown[0]!r}: unknown column "
                                f"(allowed: {', '.join(PARTICIPANT_COLUMNS)})")
    if len(set(header)) != len(header):
        twice = next(h for h in header if header.count(h) > 1)
        raise ParticipantsError(f"{name}, row 1, column {twice!r}: the column appears twice")
    rows: list[ParticipantRow] = []
    seen: dict[str, int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{name}, row {number}"
        if len(cells) > len(header):
            raise ParticipantsError(f"{where}: {len(cells)} cells but {len(header)} columns")
        values = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        pid = values["id"]
        if not pid:
            raise ParticipantsError(f"{where}, column 'id': empty")
        if not ID_RE.match(pid):
            raise ParticipantsError(
                f"{where}, column 'id': {pid!r} may only hold letters, digits, _ and -")
        if pid in seen:
            raise ParticipantsError(f"{where}, column 'id': {pid!r} already on row {seen[pid]}")
        seen[pid] = number
        values["gender"] = values.get("gender", "").lower()
        if values["gender"] not in GENDERS:
            raise ParticipantsError(f"{where}, column 'gender': {values['gender']!r} is not "
                                    "woman, man, other or blank")
        email = values.get("email", "")
        if email and not EMAIL_RE.match(email):
            raise ParticipantsError(f"{where}, column 'email': {email!r} is not an e-mail address")
        for column, value in values.items():
            if len(value) > MAX_FIELD:
                raise ParticipantsError(
                    f"{where}, column {column!r}: longer than {MAX_FIELD} characters")
        rows.append(ParticipantRow(**{k: values.get(k, "") for k in PARTICIPANT_COLUMNS}))
    return rows


# ---------------------------------------------------------------------- the course
@dataclass
class Course:
    """An nbgrader course directory made by :meth:`create`, reopened with :meth:`open`."""

    root: Path
    course_id: str = "homeward"

    def __post_init__(self):
        self.root = Path(self.root).expanduser().resolve()

    # ------------------------------------------------------------------ make / open
    @classmethod
    def create(cls, root, course_id: str = "homeward", exchange=None, timeout: int = 60,
               *, exercises=None, notebook_timeout: int = NOTEBOOK_TIMEOUT,
               memory_mb: int = MEMORY_MB) -> Course:
        """Make a new course directory at ``root``, readable by its owner only.

        Writes ``nbgrader_config.py`` (course root and id, exchange, a time limit per cell and
        per notebook in seconds, limits on output size, the grading sandbox and its memory
        cap, safe feedback), copies the assignment folders of ``exercises``
        (default: the repository's ``exercises/``, folders named ``ee*``, ``fam*`` (the family
        track), ``checkin_*`` and ``seminar_*``; from another folder, every folder holding a
        notebook) into ``source/``, and creates the gradebook. Refuses a folder inside a
        git repository: participant data never goes into version control.
        """
        root = Path(root).expanduser().resolve()
        if not ID_RE.match(course_id):
            raise CourseError(f"course id {course_id!r} may only hold letters, digits, _ and -")
        if not isinstance(timeout, int) or timeout <= 0:
            raise CourseError(f"timeout must be a whole number of seconds above 0, not {timeout!r}")
        if not isinstance(notebook_timeout, int) or notebook_timeout < timeout:
            raise CourseError(f"the notebook time limit ({notebook_timeout!r} s) must be a whole "
                              f"number of seconds, at least the cell time limit ({timeout} s)")
        if not isinstance(memory_mb, int) or memory_mb < 256:
            raise CourseError(f"memory must be a whole number of MB, at least 256, not "
                              f"{memory_mb!r}")
        tree = git_work_tree(root)
        if tree is not None:
            raise CourseError(f"{root} is inside the git repository {tree}: choose a course "
                              "folder outside version control (for example ~/homeward-course)")
        if (root / "nbgrader_config.py").exists():
            raise CourseError(f"{root} is already a course directory: use it, or choose "
                              "another folder")
        if root.exists() and any(root.iterdir()):
            raise CourseError(f"{root} is not empty: choose a new or empty folder")
        exchange_line = ""
        if exchange is not None:
            exchange = Path(exchange).expanduser().resolve()
            if git_work_tree(exchange) is not None:
                raise CourseError(f"exchange folder {exchange} is inside a git repository")
            exchange.mkdir(parents=True, exist_ok=True)
            exchange_line = f"c.Exchange.root = {str(exchange)!r}\n"
        root.mkdir(parents=True, exist_ok=True)
        os.chmod(root, 0o700)  # participant data: the facilitator's only
        (root / "source").mkdir()
        (root / "nbgrader_config.py").write_text(CONFIG_TEMPLATE.format(
            root=str(root), course_id=course_id, exchange_line=exchange_line, timeout=timeout,
            max_chars=MAX_OUTPUT_CHARS, max_lines=MAX_OUTPUT_LINES, repo=str(REPO),
            notebook_timeout=notebook_timeout, memory_mb=memory_mb,
            cpu_seconds=notebook_timeout + 30))
        course = cls(root=root, course_id=course_id)
        folder = Path(exercises) if exercises is not None else EXERCISES
        patterns = ASSIGNMENT_PATTERNS if exercises is None else ("*",)
        for pattern in patterns:
            for assignment in sorted(folder.glob(pattern)):
                if assignment.is_dir() and any(assignment.glob("*.ipynb")):
                    course.add_source(assignment)
        create_gradebook(course.gradebook_path, course_id)
        os.chmod(course.gradebook_path, 0o600)
        return course

    @classmethod
    def open(cls, root=None) -> Course:
        """An existing course directory (``root``, else ``$HOMEWARD_COURSE``, else
        ``~/homeward-course``); :class:`NotACourseError` if there is none."""
        root = default_root(root)
        config = root / "nbgrader_config.py"
        if not root.is_dir():
            raise NotACourseError(f"no course directory at {root}: make one with "
                                  "`python -m grading init --course PATH`")
        if not config.is_file() or not (root / "gradebook.db").is_file():
            raise NotACourseError(f"{root} is not a Homeward course directory (no "
                                  "nbgrader_config.py and gradebook.db): make one with "
                                  "`python -m grading init --course PATH`")
        match = re.search(r"^c\.CourseDirectory\.course_id\s*=\s*['\"]([^'\"]+)['\"]",
                          config.read_text(), flags=re.MULTILINE)
        if not match:
            raise NotACourseError(f"{config} does not set c.CourseDirectory.course_id")
        return cls(root=root, course_id=match.group(1))

    def add_source(self, folder, name: str | None = None) -> Path:
        """Copy an assignment folder (e.g. ``exercises/ee03_saving``) into ``source/``, and
        note where it came from and the hashes of its files (``source-manifest.json``)."""
        folder = Path(folder).resolve()
        name = name or folder.name
        if not ID_RE.match(name):
            raise CourseError(f"assignment name {name!r} may only hold letters, digits, _ and -")
        target = self.root / "source" / name
        shutil.copytree(folder, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        manifest = self._manifest()
        manifest[name] = {"origin": str(folder), "files": folder_hashes(target)}
        self._write_manifest(manifest)
        return target

    # ------------------------------------------------------------------ source integrity
    @property
    def manifest_path(self) -> Path:
        return self.root / SOURCE_MANIFEST

    def _manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text())
        except (OSError, ValueError):
            return {}

    def _write_manifest(self, manifest: dict) -> None:
        tmp = self.manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True))
        os.chmod(tmp, 0o600)
        tmp.replace(self.manifest_path)

    def source_origin(self, assignment: str) -> Path:
        """The folder an assignment's source came from (the repository's ``exercises/``
        unless the course took it from elsewhere)."""
        entry = self._manifest().get(assignment, {})
        return Path(entry.get("origin") or EXERCISES / assignment)

    def source_changes(self, assignment: str) -> list[str]:
        """How ``source/<assignment>`` differs from where it came from: one line per file
        (changed, added or removed); empty when it is the same, or the same as a version the
        facilitator kept on purpose (``generate --keep-edited-source``)."""
        current = folder_hashes(self.root / "source" / assignment)
        entry = self._manifest().get(assignment, {})
        origin = self.source_origin(assignment)
        if origin.is_dir():
            reference = folder_hashes(origin)
        elif "files" in entry:
            reference = entry["files"]
        else:
            return []  # nothing to compare with (an assignment added by hand, no record)
        if current == reference or current == entry.get("kept"):
            return []
        lines = []
        for name in sorted(set(current) | set(reference)):
            if name not in reference:
                lines.append(f"{name} added")
            elif name not in current:
                lines.append(f"{name} removed")
            elif current[name] != reference[name]:
                lines.append(f"{name} changed")
        return lines

    def _take_source(self, assignment: str) -> Path:
        """Copy the assignment's origin over ``source/<assignment>``; the old source is kept in
        ``backups/source-<UTC time>/``."""
        origin = self.source_origin(assignment)
        if not origin.is_dir():
            raise CourseError(f"{assignment}: the folder it came from ({origin}) is gone")
        target = self.root / "source" / assignment
        keep = self.backups_dir / f"source-{_utc_stamp()}" / assignment
        keep.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(target), str(keep))
        self.add_source(origin, assignment)
        return keep

    # ------------------------------------------------------------------ paths
    @property
    def gradebook_path(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def gradebook_url(self) -> str:
        """``sqlite:///<root>/gradebook.db``."""
        return f"sqlite:///{self.gradebook_path}"

    @property
    def participants_path(self) -> Path:
        return self.root / "participants.csv"

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @property
    def batches_dir(self) -> Path:
        return self.root / "batches"

    def gradebook(self):
        """A :class:`nbgrader.api.Gradebook` on this course (use it in a ``with`` block)."""
        from nbgrader.api import Gradebook

        return Gradebook(self.gradebook_url, course_id=self.course_id)

    # ------------------------------------------------------------------ nbgrader
    def run_nbgrader(self, *args: str, timeout: float | None = None) -> str:
        """Run ``nbgrader <args>`` in the course root; return its output or raise
        :class:`NbgraderCommandError` with nbgrader's last error line."""
        result = subprocess.run([*nbgrader_command(), *args], cwd=self.root,
                                env=subprocess_env(), capture_output=True, text=True,
                                timeout=timeout)
        output = result.stdout + result.stderr
        if result.returncode != 0:
            raise NbgraderCommandError(
                f"nbgrader {args[0]} failed: {_last_error_line(output)}", output)
        return output

    # ------------------------------------------------------------------ participants
    def add_participants(self, csv_path) -> int:
        """Import participants from a CSV; return how many rows were imported.

        Columns: ``id`` (required; letters, digits, _ and -), ``first_name``, ``last_name``,
        ``email``, ``gender`` (woman / man / other / blank), ``cohort``. Names and e-mails go
        into the nbgrader gradebook (nbgrader's API); ``gender`` and ``cohort`` are kept in
        ``<root>/participants.csv``, merged by id: a filled cell replaces the old value, a blank
        cell keeps it. The whole file is checked first: with a bad row nothing is imported.
        """
        rows = read_participants_csv(csv_path)
        if not rows:
            raise ParticipantsError(f"{Path(csv_path).name}: no participants in the file")
        table = self._participants_file()
        backup = self.backup_gradebook(label="participants")
        try:
            with self.gradebook() as gb:
                for row in rows:
                    old = table.get(row.id, {})
                    merged = {c: (getattr(row, c) or old.get(c, "")) for c in PARTICIPANT_COLUMNS}
                    # a blank cell leaves what the gradebook has
                    gb.update_or_create_student(
                        row.id, **{c: merged[c] for c in ("first_name", "last_name", "email")
                                   if merged[c]})
                    table[row.id] = merged
            self._write_participants_file(table)
        except Exception:
            shutil.copyfile(backup, self.gradebook_path)  # nothing half-imported
            raise
        return len(rows)

    def _participants_file(self) -> dict[str, dict[str, str]]:
        import pandas as pd

        if not self.participants_path.exists():
            return {}
        from widgets.csvsafe import unsafe_cell

        frame = pd.read_csv(self.participants_path, dtype=str, keep_default_na=False)
        return {r["id"]: {c: unsafe_cell(r.get(c, "")) for c in PARTICIPANT_COLUMNS}
                for r in frame.to_dict("records")}

    def _write_participants_file(self, table: dict[str, dict[str, str]]) -> None:
        import pandas as pd

        from widgets.csvsafe import write_private_csv

        frame = pd.DataFrame([table[k] for k in sorted(table)], columns=list(PARTICIPANT_COLUMNS))
        write_private_csv(frame, self.participants_path)

    def participants(self) -> pd.DataFrame:
        """Everyone in the gradebook, with gender and cohort from ``participants.csv``:
        columns id, first_name, last_name, email, gender, cohort (blank, never NaN)."""
        import pandas as pd

        extra = self._participants_file()
        with self.gradebook() as gb:
            students = [(s.id, s.first_name, s.last_name, s.email) for s in gb.students]
        rows = [{"id": sid, "first_name": first or "", "last_name": last or "",
                 "email": email or "", "gender": extra.get(sid, {}).get("gender", ""),
                 "cohort": extra.get(sid, {}).get("cohort", "")}
                for sid, first, last, email in sorted(students)]
        return pd.DataFrame(rows, columns=list(PARTICIPANT_COLUMNS), dtype=object)

    # ------------------------------------------------------------------ assignments
    def assignments(self) -> list[str]:
        """Names of the source assignments (folders in ``source/`` holding a notebook)."""
        source = self.root / "source"
        return sorted(p.name for p in source.iterdir()
                      if p.is_dir() and any(p.glob("*.ipynb"))) if source.is_dir() else []

    def _chosen(self, assignments) -> list[str]:
        known = self.assignments()
        if assignments is None or (not isinstance(assignments, str) and len(assignments) == 0):
            return known
        if isinstance(assignments, str):
            assignments = [assignments]
        for name in assignments:
            if name not in known:
                raise UnknownAssignmentError(
                    f"unknown assignment {name!r}; the course has: {', '.join(known) or 'none'}")
        return list(dict.fromkeys(assignments))

    def notebook_names(self, assignment: str) -> list[str]:
        """Notebook file names (without ``.ipynb``) of a source assignment."""
        self._chosen([assignment])
        return sorted(p.stem for p in (self.root / "source" / assignment).glob("*.ipynb"))

    def generate(self, assignments=None, *, keep_edited_source: bool = False,
                 from_repository: bool = False) -> list[str]:
        """``nbgrader generate_assignment`` for each assignment (all by default): writes
        ``release/`` without solutions and records the grade cells in the gradebook.

        First ``source/`` is checked against where each assignment came from (the
        repository's ``exercises/``), file by file (SHA-256): if someone changed a hidden test
        or an answer there, nothing is generated and :class:`SourceChangedError` says which
        files differ. ``keep_edited_source`` generates from the edited source on purpose (and
        remembers it); ``from_repository`` puts the repository's version back first (the
        edited one is kept in ``backups/``). Returns notes for the facilitator.
        """
        names = self._chosen(assignments)
        notes = []
        changed = {name: self.source_changes(name) for name in names}
        changed = {name: lines for name, lines in changed.items() if lines}
        if changed and from_repository:
            for name in changed:
                keep = self._take_source(name)
                notes.append(f"{name}: took the version in {self.source_origin(name)}; the "
                             f"edited source is kept in {keep}")
        elif changed and keep_edited_source:
            manifest = self._manifest()
            for name in changed:
                entry = manifest.setdefault(name, {"origin": str(self.source_origin(name))})
                entry["kept"] = folder_hashes(self.root / "source" / name)
                notes.append(f"{name}: generated from the edited source on purpose "
                             f"({'; '.join(changed[name])})")
            self._write_manifest(manifest)
        elif changed:
            detail = "; ".join(f"{name}: {', '.join(lines)}" for name, lines in changed.items())
            raise SourceChangedError(
                f"source/ differs from the exercises it came from ({detail}). Nothing was "
                "generated. If you did not change it yourself, someone else did: use the "
                "repository's version with `generate --from-repository`. If you edited it on "
                "purpose, use `generate --keep-edited-source`.")
        for name in names:
            self.run_nbgrader("generate_assignment", name, "--force")
        return notes

    def generated(self) -> list[str]:
        """Assignments generated (in the gradebook) whose source is still in the course."""
        with self.gradebook() as gb:
            names = {a.name for a in gb.assignments}
        return [name for name in self.assignments() if name in names]

    def release(self, assignments=None) -> None:
        """``nbgrader release_assignment``: put generated assignments in the exchange."""
        for name in self._chosen(assignments):
            if not (self.root / "release" / name).is_dir():
                raise CourseError(f"{name} is not generated yet: run `generate {name}` first")
            self.run_nbgrader("release_assignment", name, "--force")

    def listed(self) -> set[str]:
        """The participants list: the ids of the gradebook's students."""
        with self.gradebook() as gb:
            return {s.id for s in gb.students}

    def _submission_times(self, assignment: str) -> dict[str, str]:
        submitted = self.root / "submitted"
        out = {}
        for folder in sorted(submitted.glob(f"*/{assignment}")) if submitted.is_dir() else []:
            stamp = folder / "timestamp.txt"
            out[folder.parent.name] = stamp.read_text().strip() if stamp.is_file() else ""
        return out

    def collect(self, assignments=None) -> list[CollectReport]:
        """``nbgrader collect --update``: copy the newest submissions from the exchange into
        ``submitted/`` (replacing older ones). Submissions of anyone not on the participants
        list are moved to ``rejected/<id>/<assignment>/``: never graded, never counted.
        Returns, per assignment, who was collected (new or updated) and who was rejected."""
        listed = self.listed()
        reports = []
        for name in self._chosen(assignments):
            before = self._submission_times(name)
            self.run_nbgrader("collect", name, "--update")
            after = self._submission_times(name)
            rejected = sorted(pid for pid in after if pid not in listed)
            for pid in rejected:
                target = self.root / "rejected" / pid / name
                if target.exists():
                    shutil.rmtree(target)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(self.root / "submitted" / pid / name), str(target))
                try:
                    (self.root / "submitted" / pid).rmdir()
                except OSError:
                    pass
            kept = {pid: stamp for pid, stamp in after.items() if pid in listed}
            reports.append(CollectReport(
                assignment=name,
                new=sorted(pid for pid in kept if pid not in before),
                updated=sorted(pid for pid in kept if pid in before and kept[pid] != before[pid]),
                unchanged=sorted(pid for pid in kept if pid in before and kept[pid] == before[pid]),
                rejected=rejected))
        return reports

    def submit_file(self, participant: str, assignment: str, notebook_path,
                    timestamp=None) -> Path:
        """Place a notebook in ``submitted/<participant>/<assignment>/`` as ``collect`` would
        (for offline collection from laptops, demos and tests). The file is stored under the
        assignment's notebook name when the assignment has one notebook."""
        if not ID_RE.match(participant or ""):
            raise CourseError(f"participant id {participant!r} may only hold letters, digits, "
                              "_ and -")
        if participant not in self.listed():
            raise CourseError(f"{participant} is not on the participants list: add them with "
                              "`python -m grading participants add FILE.csv` first")
        names = self.notebook_names(assignment)
        notebook_path = Path(notebook_path)
        if not notebook_path.is_file():
            raise CourseError(f"{notebook_path}: no such file")
        name = names[0] if len(names) == 1 else notebook_path.stem
        folder = self.root / "submitted" / participant / assignment
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.ipynb"
        shutil.copyfile(notebook_path, target)
        (folder / "timestamp.txt").write_text(format_timestamp(timestamp))
        return target

    # ------------------------------------------------------------------ grading
    def backup_gradebook(self, label: str = "") -> Path:
        """Copy ``gradebook.db`` to ``backups/gradebook-<UTC timestamp>.db`` (SQLite's own
        backup, safe while the database is open) and return the copy's path."""
        self.backups_dir.mkdir(exist_ok=True)
        suffix = f"-{label}" if label else ""
        target = self.backups_dir / f"gradebook-{_utc_stamp()}{suffix}.db"
        source = sqlite3.connect(self.gradebook_path)
        try:
            copy = sqlite3.connect(target)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        os.chmod(target, 0o600)
        return target

    def autograde(self, assignments=None, participants=None, workers=None,
                  progress: bool = True, sandbox: bool = True, log=None):
        """Grade every submission of ``assignments`` (default: every generated assignment;
        the others are in ``result.skipped``) by ``participants`` (default: everyone on the
        list): see :func:`grading.batch.run_batch`. Returns a
        :class:`grading.batch.BatchResult`; broken submissions are in ``result.broken()``.
        ``sandbox=False`` is ``--unsafe-no-sandbox``; ``log`` gets the line that says how many
        workers grade (fewer when this server's memory limit holds fewer)."""
        from grading.batch import require_sandbox, run_batch

        if sandbox:
            require_sandbox()  # before anything else: nothing runs without it
        skipped = []
        if assignments is None or (not isinstance(assignments, str) and len(assignments) == 0):
            names = self.generated()
            skipped = [name for name in self.assignments() if name not in names]
            if not names:
                raise CourseError("no assignment is generated yet: run `python -m grading "
                                  "generate` first")
        else:
            names = self._chosen(assignments)
        result = run_batch(self, names, participants=participants, workers=workers,
                           progress=progress, sandbox=sandbox, log=log)
        result.skipped = skipped
        return result

    def feedback(self, assignments=None, even_ungraded: bool = False) -> list[FeedbackReport]:
        """One HTML page per graded submission in ``feedback/<participant>/<assignment>/``
        (nbgrader's ``generate_feedback``, with hidden tests left out and the page
        sanitised, see :mod:`grading.feedback`).

        A submission that still needs a grade by hand gets no page (it would show a score
        that is not final) unless ``even_ungraded``; the report lists who was held back."""
        from grading.feedback import generate_feedback

        reports = []
        names = [n for n in self._chosen(assignments) if n in set(self.generated())]
        for name in names:
            graded = sorted(p.parent.name for p in (self.root / "autograded").glob(f"*/{name}")
                            ) if (self.root / "autograded").is_dir() else []
            held = []
            with self.gradebook() as gb:
                for pid in graded:
                    try:
                        if gb.find_submission(name, pid).needs_manual_grade:
                            held.append(pid)
                    except Exception:  # noqa: BLE001 - no submission in the gradebook
                        continue
            hold = [] if even_ungraded else held
            written = [pid for pid in graded if pid not in hold]
            if written:
                generate_feedback(self, name, exclude=hold)
            reports.append(FeedbackReport(name, written=written, held=held,
                                          released_anyway=even_ungraded))
        return reports

    def last_outcomes(self) -> dict[tuple[str, str], dict[str, str]]:
        """The latest batch record of each (participant, assignment): status and reason."""
        import pandas as pd

        latest: dict[tuple[str, str], dict[str, str]] = {}
        for record in sorted(self.batches_dir.glob("*.csv")) if self.batches_dir.is_dir() else []:
            frame = pd.read_csv(record, dtype=str, keep_default_na=False)
            for row in frame.to_dict("records"):
                latest[(row["participant"], row["assignment"])] = row
        return latest

    def grades(self) -> pd.DataFrame:
        """One row per participant x assignment (everyone in the gradebook, every assignment
        in it): participant, assignment, score, max_score, needs_manual_grade, status,
        timestamp, raw_score, late_penalty, reason.

        ``score`` is nbgrader's: the raw score (autograded and manual) minus any late penalty.
        ``status`` is the latest batch's (graded / broken / missing), else ``graded`` for a
        graded submission, ``submitted`` for one not graded yet, ``missing`` otherwise.
        """
        import pandas as pd
        from nbgrader.api import MissingEntry

        latest = self.last_outcomes()
        submitted = self.root / "submitted"
        rows = []
        with self.gradebook() as gb:
            students = sorted(s.id for s in gb.students)
            for assignment in sorted(gb.assignments, key=lambda a: a.name):
                max_score = float(assignment.max_score)
                for sid in students:
                    row = {"participant": sid, "assignment": assignment.name, "score": 0.0,
                           "max_score": max_score, "needs_manual_grade": False,
                           "status": "missing", "timestamp": "", "raw_score": 0.0,
                           "late_penalty": 0.0, "reason": ""}
                    try:
                        sub = gb.find_submission(assignment.name, sid)
                    except MissingEntry:
                        if (submitted / sid / assignment.name).is_dir():
                            row["status"] = "submitted"
                    else:
                        penalty = float(sub.late_submission_penalty or 0.0)
                        raw = float(sub.score or 0.0)
                        row.update(score=max(0.0, raw - penalty), raw_score=raw,
                                   late_penalty=penalty,
                                   needs_manual_grade=bool(sub.needs_manual_grade),
                                   status="graded",
                                   timestamp=format_timestamp(sub.timestamp)
                                   if sub.timestamp else "")
                    last = latest.get((sid, assignment.name))
                    if last is not None and not (last["status"] == "missing"
                                                 and row["status"] != "missing"):
                        if last["status"] == "broken" and row["status"] != "graded":
                            # never graded: no score, not 0
                            row.update(score=None, raw_score=None, late_penalty=None)
                        row["status"], row["reason"] = last["status"], last.get("reason", "")
                    elif row["status"] == "submitted":
                        row.update(score=None, raw_score=None, late_penalty=None)
                    rows.append(row)
        columns = ["participant", "assignment", "score", "max_score", "needs_manual_grade",
                   "status", "timestamp", "raw_score", "late_penalty", "reason"]
        return pd.DataFrame(rows, columns=columns)

    def export_grades(self, path) -> pd.DataFrame:
        """Write :meth:`grades` to a CSV at ``path`` (keep it with the course, not in git)."""
        path = Path(path).expanduser().resolve()
        tree = git_work_tree(path.parent)
        if tree is not None:
            raise CourseError(f"{path} is inside the git repository {tree}: grades are "
                              "participant data; write them outside version control")
        from widgets.csvsafe import write_private_csv

        frame = self.grades()
        path.parent.mkdir(parents=True, exist_ok=True)
        write_private_csv(frame, path)
        return frame

    def restore(self, backup=None) -> tuple[Path, Path]:
        """Put a copy of the gradebook back: ``backup`` (a file in ``backups/``), else the
        copy made before the latest batch that failed its integrity check. The gradebook as
        it is now is copied first (``backups/gradebook-<time>-before-restore.db``). Returns
        (the copy put back, the copy of what was replaced)."""
        summary = None
        if backup is None:
            for path in sorted(self.batches_dir.glob("*.json"), reverse=True) \
                    if self.batches_dir.is_dir() else []:
                try:
                    data = json.loads(path.read_text())
                except (OSError, ValueError):
                    continue
                if data.get("failed") and not data.get("restored"):
                    backup, summary = data.get("backup"), (path, data)
                    break
            if backup is None:
                raise CourseError("no failed batch to undo: name the copy to put back, e.g. "
                                  "`python -m grading restore backups/gradebook-....db`")
        backup = Path(backup).expanduser()
        if not backup.is_absolute() and not backup.exists():
            backup = self.root / backup
        backup = backup.resolve()
        try:
            con = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            con.close()
        except sqlite3.Error:
            tables = set()
        if not {"student", "assignment", "grade"} <= tables:
            raise CourseError(f"{backup} is not a copy of an nbgrader gradebook")
        replaced = self.backup_gradebook(label="before-restore")
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(self.gradebook_path)
            with target:
                source.backup(target)
            target.close()
        finally:
            source.close()
        os.chmod(self.gradebook_path, 0o600)
        if summary is not None:
            path, data = summary
            data["restored"] = _utc_stamp()
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, indent=1, default=str))
            os.chmod(tmp, 0o600)
            tmp.replace(path)
        return backup, replaced

    def status(self) -> pd.DataFrame:
        """Participants x assignments: the status of each (graded / broken / submitted /
        missing), with a ``*`` when a manual grade is still needed."""
        import pandas as pd

        frame = self.grades()
        if frame.empty:
            return pd.DataFrame()
        frame["cell"] = frame["status"] + frame["needs_manual_grade"].map({True: "*", False: ""})
        return frame.pivot(index="participant", columns="assignment", values="cell")
