"""Where an answer form finds its assignment, keeps her draft, and hands her answers in.

The form app (``widgets/apps/form.ipynb``) shows a *released* assignment: the notebook a
participant receives, with ``name = None`` in each answer cell. It can come from three places
(:func:`find_releases`), tried in this order:

1. **the workshop hub** (:class:`HubExchange`): her own server knows the nbgrader exchange
   (``JUPYTERHUB_USER`` is set and nbgrader's configuration names a course whose exchange
   folder exists). The form lists what the facilitator released, fetches the assignment into
   her home folder as nbgrader's assignment list does, and hands in with nbgrader's own
   ``submit``, as the Unix user running the kernel: never a participant id from the page;
2. **a folder of released assignments** named by ``$HOMEWARD_RELEASE`` (a course's
   ``release/`` folder, ``<assignment>/<notebook>.ipynb``);
3. **the repository's exercises** (Binder, a laptop): each source notebook released in
   memory exactly as ``nbgrader generate_assignment`` does it (nbgrader's own ``ClearSolutions``
   with Homeward's empty code stub, then ``ClearHiddenTests``), so hidden tests never reach
   the page.

Without the hub, "Hand in" gives a file, ``<assignment>-<her name>.ipynb``
(:func:`handin_filename`), that she keeps and sends to her facilitator, who adds it with
``python -m grading handin FILE --participant ID``.

An assignment is asked for by NAME only: :func:`safe_name` accepts letters, digits, ``_`` and
``-``, and the name must be one the source lists; a path never reaches the file system.

Her draft (:class:`Drafts`) is a small JSON file in her own server's folder
(``~/.homeward/drafts/<assignment>.json``, or ``$HOMEWARD_DRAFTS``), written on every change
and read when she opens the form again: on the hub and on Binder that is her own server; on a
laptop (``make serve``), the laptop's user. The form app is never served by the public
simulators (``widgets.serve --public``), where one server holds many visitors.

>>> safe_name("ee03_saving"), safe_name("../etc/passwd"), safe_name("ee03 saving")
('ee03_saving', None, None)
>>> handin_filename("ee03_saving", "Rosa Dela Cruz")
'ee03_saving-Rosa_Dela_Cruz.ipynb'
>>> handin_filename("checkin_m03", "  ../../x  ")
'checkin_m03-x.ipynb'
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import json
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from widgets.forms.model import FormError, fill_notebook

#: The repository's exercises (source notebooks, released in memory for Binder and laptops).
EXERCISES = Path(__file__).resolve().parents[2] / "exercises"
#: Assignment folders the course serves as forms (the same patterns as ``python -m grading init``).
PATTERNS = ("ee*", "fam*", "checkin_*", "seminar_*")
#: Largest notebook a form reads or hands in (a released form is about 20-60 KB).
MAX_NOTEBOOK_BYTES = 2_000_000
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def safe_name(name: Any) -> str | None:
    """``name`` if it can only be an assignment's name (never a path), else None."""
    return name if isinstance(name, str) and _NAME.fullmatch(name) else None


def handin_filename(assignment: str, person: str) -> str:
    """The name of the file she hands in: the assignment, then her name or id, made safe
    for any file system (letters and digits of any script, ``_`` for the rest)."""
    text = unicodedata.normalize("NFKC", str(person or "")).strip()
    text = re.sub(r"[^\w-]+", "_", text, flags=re.UNICODE).strip("_-")[:40] or "answers"
    return f"{assignment}-{text}.ipynb"


def read_notebook(path: str | os.PathLike) -> dict:
    path = Path(path)
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise FormError(path.name, "too_big", "the notebook is too large to be a form")
    return json.loads(path.read_text(encoding="utf-8"))


def release_of(source_nb: dict, hidden: bool = False) -> dict:
    """What ``nbgrader generate_assignment`` makes of a SOURCE notebook, in memory: solutions
    cleared with Homeward's empty code stub, then the hidden tests removed (``hidden=True``
    keeps them, for tests that grade in-process)."""
    import nbformat
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions

    node = nbformat.reads(json.dumps(source_nb), as_version=4)
    node, resources = ClearSolutions(code_stub={"python": ""}).preprocess(node, {})
    if not hidden:
        node, _ = ClearHiddenTests().preprocess(node, resources)
    return json.loads(nbformat.writes(node))


# --------------------------------------------------------------------------- sources
class FolderReleases:
    """Assignments in a folder of ``<assignment>/<notebook>.ipynb``. ``source=True``: the
    notebooks hold solutions and are released in memory (:func:`release_of`)."""

    exchange = False

    def __init__(self, folder: str | os.PathLike, source: bool = False,
                 patterns: tuple[str, ...] = ("*",)):
        self.folder, self.source, self.patterns = Path(folder), source, patterns
        self._cache: dict[str, tuple[float, dict]] = {}

    def names(self) -> list[str]:
        found = set()
        for pattern in self.patterns:
            for path in self.folder.glob(pattern):
                if path.is_dir() and safe_name(path.name) and len(self._files(path)) == 1:
                    found.add(path.name)
        return sorted(found)

    @staticmethod
    def _files(folder: Path) -> list[Path]:
        return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))

    def release(self, name: str) -> dict:
        if safe_name(name) is None or name not in self.names():
            raise FormError(str(name)[:80], "unknown_assignment", "no such assignment")
        path = self._files(self.folder / name)[0]
        stamp = path.stat().st_mtime
        kept = self._cache.get(name)
        if kept is None or kept[0] != stamp:
            nb = read_notebook(path)
            kept = self._cache[name] = (stamp, release_of(nb) if self.source else nb)
        return copy.deepcopy(kept[1])

    def notebook_name(self, name: str) -> str:
        return self._files(self.folder / name)[0].name


class HubExchange:
    """The nbgrader exchange of the workshop hub, seen from her own server (her Unix user).

    Uses nbgrader's assignment list (the code behind JupyterLab's Assignments tab): list what
    was released, fetch into ``<root>/<course>/<assignment>/``, submit from there.
    """

    exchange = True

    def __init__(self, root: str | os.PathLike | None = None, course_id: str | None = None):
        from nbgrader.server_extensions.assignment_list.handlers import AssignmentList

        self.manager = AssignmentList()
        self.manager.root_dir = str(root or Path.home())
        self.root = Path(self.manager.root_dir)
        with _cwd(self.root):
            config = self.manager.load_config()
        self.course_id = course_id or config.CourseDirectory.course_id

    @classmethod
    def detect(cls, root=None) -> HubExchange | None:
        """The hub's exchange when this server has one (``JUPYTERHUB_USER`` and an nbgrader
        course whose exchange folder exists), else None."""
        if not os.environ.get("JUPYTERHUB_USER") and not os.environ.get("HOMEWARD_EXCHANGE"):
            return None
        try:
            hub = cls(root)
            if not hub.course_id:
                return None
            with _cwd(hub.root):
                listed = hub.manager.list_released_assignments(course_id=hub.course_id)
        except Exception:  # noqa: BLE001 - no usable nbgrader configuration: not a hub
            return None
        return hub if listed.get("success") else None

    def _listing(self) -> list[dict]:
        with _cwd(self.root):  # nbgrader reads its settings from the working folder
            listed = self.manager.list_released_assignments(course_id=self.course_id)
        if not listed.get("success"):
            raise FormError("exchange", "exchange", "the exchange could not be read")
        return listed["value"]

    def names(self) -> list[str]:
        return sorted({a["assignment_id"] for a in self._listing()
                       if safe_name(a.get("assignment_id"))})

    def _fetched(self, name: str) -> dict | None:
        for entry in self._listing():
            if entry.get("assignment_id") == name and entry.get("status") == "fetched":
                return entry
        return None

    def _notebook_path(self, name: str) -> Path:
        if safe_name(name) is None or name not in self.names():
            raise FormError(str(name)[:80], "unknown_assignment", "no such assignment")
        entry = self._fetched(name)
        if entry is None:
            with _cwd(self.root):
                result = self.manager.fetch_assignment(self.course_id, name)
            if not result.get("success"):
                raise FormError(name, "fetch_failed", "the assignment could not be fetched")
            entry = self._fetched(name)
        notebooks = (entry or {}).get("notebooks") or []
        if len(notebooks) != 1:
            raise FormError(name, "not_a_form", "a form has exactly one notebook")
        return self.root / notebooks[0]["path"]

    def release(self, name: str) -> dict:
        return read_notebook(self._notebook_path(name))

    def notebook_name(self, name: str) -> str:
        return self._notebook_path(name).name

    def submit(self, name: str, filled: dict) -> dict:
        """Write her filled notebook where nbgrader fetched it and submit it through the
        exchange as the user running this kernel. Returns nbgrader's answer."""
        path = self._notebook_path(name)
        _write_json(path, filled)
        with _cwd(self.root):
            return self.manager.submit_assignment(self.course_id, name)


@contextlib.contextmanager
def _cwd(folder: Path):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def find_releases(root=None):
    """Where this form app takes its assignments from (see the module docstring)."""
    hub = HubExchange.detect(root)
    if hub is not None:
        return hub
    folder = os.environ.get("HOMEWARD_RELEASE")
    if folder:
        return FolderReleases(folder)
    return FolderReleases(EXERCISES, source=True, patterns=PATTERNS)


# --------------------------------------------------------------------------- drafts
def _write_json(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` atomically (a half-written file is never left)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


@dataclass
class Drafts:
    """Her unfinished answers, one small JSON file per assignment in a folder only she reads.

    >>> import tempfile
    >>> drafts = Drafts(tempfile.mkdtemp())
    >>> drafts.save("ee03_saving", {"typed": {"monthly_saving": "2,400"}})
    >>> drafts.load("ee03_saving")["typed"]
    {'monthly_saving': '2,400'}
    >>> drafts.load("ee04_remittances"), drafts.load("../x")
    ({}, {})
    """

    folder: Path

    def __post_init__(self):
        self.folder = Path(self.folder)

    @classmethod
    def default(cls) -> Drafts:
        return cls(os.environ.get("HOMEWARD_DRAFTS")
                   or Path.home() / ".homeward" / "drafts")

    def path(self, assignment: str) -> Path | None:
        name = safe_name(assignment)
        return self.folder / f"{name}.json" if name else None

    def load(self, assignment: str) -> dict:
        path = self.path(assignment)
        try:
            if path is None or path.stat().st_size > MAX_NOTEBOOK_BYTES:
                return {}
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, assignment: str, data: dict) -> None:
        path = self.path(assignment)
        if path is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(self.folder, 0o700)
        _write_json(path, {**data, "saved": dt.datetime.now(dt.UTC).isoformat(
            timespec="seconds")})


# --------------------------------------------------------------------------- hand in
def filled_notebook(release: dict, assignment: str, values: dict,
                    reflections: dict, language: str = "en") -> dict:
    """The released notebook with her answers written (:func:`fill_notebook`: each value one
    literal, each reflection escaped), marked with the assignment it answers."""
    filled = fill_notebook(release, values, reflections)
    meta = filled.setdefault("metadata", {}).setdefault("homeward", {})
    meta["handin"] = {"assignment": assignment, "language": language,
                      "form": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    return filled


def notebook_bytes(nb: dict) -> bytes:
    """The notebook as a file (nbformat's JSON layout)."""
    return (json.dumps(nb, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
