"""A notebook handed in as a file (the answer form without the hub): checked, then filed where
nbgrader's autograde finds it.

``python -m grading handin FILE.ipynb --participant ID [--assignment NAME]``

A participant on Binder or a laptop presses "Hand in" in the answer form and gets a file,
``<assignment>-<her name>.ipynb``, which she sends to her facilitator. Before the file goes
anywhere near a kernel, :func:`hand_in` checks it against the course's release of that
assignment with :func:`widgets.forms.model.check_submission` (values only, no code, no foreign
cells, the release's kernel), and refuses, in one line, a file that is too large, not a
notebook, of another assignment, or holding code. A good file is filed as ``collect`` would
file it (``submitted/<id>/<assignment>/<notebook>.ipynb`` with a ``timestamp.txt``), only for
a participant on the list; the normal sandboxed ``autograde`` then grades it.
"""

from __future__ import annotations

import json
from pathlib import Path

from grading.course import Course, CourseError

#: Largest file accepted (a released form is about 20-60 KB; a filled one hardly more).
MAX_BYTES = 2_000_000


class HandinError(CourseError):
    """A file refused by :func:`hand_in`; the message is the one line the facilitator reads."""


def _assignment_of(nb: dict, path: Path, known: list[str]) -> str | None:
    meta = ((nb.get("metadata") or {}).get("homeward") or {}).get("handin") or {}
    named = meta.get("assignment") if isinstance(meta, dict) else None
    if isinstance(named, str) and named in known:
        return named
    stem = path.stem.split("-", 1)[0]
    return stem if stem in known else None


def _answer_ids(nb: dict) -> set[str]:
    ids = set()
    for cell in nb.get("cells") or []:
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata") or {}
        if isinstance(meta, dict) and (meta.get("homeward") or {}).get("answer") is not None:
            grade_id = (meta.get("nbgrader") or {}).get("grade_id")
            if grade_id:
                ids.add(grade_id)
    return ids


def hand_in(course: Course, path, participant: str, assignment: str | None = None) -> Path:
    """Check ``path`` against the release of its assignment and file it for ``participant``.
    Returns where it was filed; raises :class:`HandinError` (one line) when refused."""
    from widgets.forms.model import check_submission

    path = Path(path)
    if not path.is_file():
        raise HandinError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise HandinError(f"{path.name}: refused, the file is {size // 1000} KB; a handed-in "
                          f"form is far smaller (at most {MAX_BYTES // 1000} KB)")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HandinError(f"{path.name}: refused, it is not a notebook file (.ipynb)") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise HandinError(f"{path.name}: refused, it is not a notebook file (.ipynb)")
    generated = course.generated()
    if assignment is None:
        assignment = _assignment_of(nb, path, generated)
        if assignment is None:
            raise HandinError(f"{path.name}: which assignment is it? Name it with --assignment "
                              f"({', '.join(generated) or 'none generated yet'})")
    elif assignment not in generated:
        raise HandinError(f"unknown or not generated assignment {assignment!r}; generated: "
                          f"{', '.join(generated) or 'none'} (run `generate` first)")
    releases = sorted((course.root / "release" / assignment).glob("*.ipynb"))
    if len(releases) != 1:
        raise HandinError(f"{assignment}: the release must hold one notebook (run `generate "
                          f"{assignment}`)")
    release = json.loads(releases[0].read_text(encoding="utf-8"))
    named = _assignment_of(nb, path, generated)
    wanted = _answer_ids(release)
    if (named is not None and named != assignment) or not wanted <= _answer_ids(nb):
        other = f" (it answers {named})" if named and named != assignment else ""
        raise HandinError(f"{path.name}: refused, this is not a notebook of {assignment}{other}")
    problems = check_submission(nb, release)
    if problems:
        first = problems[0]
        where = f"cell {first.cell + 1}" + (f" ({first.grade_id})" if first.grade_id else "")
        more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
        raise HandinError(f"{path.name}: refused, {where}: {first.message} [{first.code}]"
                          f"{more}; only the answer form's values may be handed in")
    return course.submit_file(participant, assignment, path)
