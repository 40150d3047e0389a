"""The mentor's log: notes about a participant, only ever appended to.

Notes live in ``<course>/mentor_log.jsonl``, one JSON object per line, in the course directory
(outside version control, like all participant data). There is deliberately no way to edit or
delete a note: a correction is a new note that says what it corrects. Each note is written with
one ``write`` call on a file opened for appending, so two mentors writing at the same time do
not mix their lines, and a line already written is never touched again.

>>> import tempfile
>>> course = tempfile.mkdtemp()
>>> note = append_note(course, "p01", "Mentor Rosa", "Called her; the store opened on Monday.")
>>> sorted(note)
['at', 'author', 'participant', 'text']
>>> append_note(course, "p01", "Mentor Rosa", "   ")
Traceback (most recent call last):
...
grading.mentor_log.MentorLogError: text: write the note
>>> read_log(course)[["participant", "author", "text"]].values.tolist()
[['p01', 'Mentor Rosa', 'Called her; the store opened on Monday.']]
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

LOG_NAME = "mentor_log.jsonl"
COLUMNS = ["at", "participant", "author", "text", "line"]
MAX_TEXT = 5000

__all__ = ["LOG_NAME", "MentorLogError", "append_note", "read_log", "log_path"]


class MentorLogError(ValueError):
    """A note that cannot be written; ``field`` names what to fix."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


def log_path(course_root: str | Path) -> Path:
    return Path(course_root).expanduser() / LOG_NAME


def append_note(course_root: str | Path, participant: str, author: str, text: str,
                at: datetime | None = None) -> dict[str, str]:
    """Add one note to the end of the log and return it.

    ``at`` defaults to now (UTC). Raises :class:`MentorLogError` for an empty participant,
    author or text, or a text longer than 5,000 characters.
    """
    root = Path(course_root).expanduser()
    if not root.is_dir():
        raise MentorLogError("course", f"{root} is not a folder")
    values = {"participant": participant, "author": author, "text": text}
    for name, value in values.items():
        if not isinstance(value, str) or not value.strip():
            raise MentorLogError(name, "write the note" if name == "text" else "is empty")
    if len(text) > MAX_TEXT:
        raise MentorLogError("text", f"longer than {MAX_TEXT} characters; write two notes")
    when = (at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    note = {"at": when, "participant": participant.strip(), "author": author.strip(),
            "text": text.strip()}
    line = (json.dumps(note, ensure_ascii=False) + "\n").encode("utf-8")
    path = log_path(root)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)
    return note


def read_log(course_root: str | Path, participant: str | None = None) -> pd.DataFrame:
    """All notes (or one participant's), oldest first: at, participant, author, text, line.

    A damaged line (for example, a file edited by hand) never stops the log from being read:
    it is shown as a note from ``(unreadable)`` so that nothing is hidden.
    """
    path = log_path(course_root)
    rows = []
    if path.exists():
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    note = json.loads(raw.decode("utf-8"))
                    row = {k: str(note[k]) for k in ("at", "participant", "author", "text")}
                except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                    row = {"at": "", "participant": "", "author": "(unreadable)",
                           "text": f"line {number} of {LOG_NAME} could not be read"}
                rows.append({**row, "line": number})
    log = pd.DataFrame(rows, columns=COLUMNS)
    if participant is not None:
        log = log[log["participant"] == participant].reset_index(drop=True)
    return log
