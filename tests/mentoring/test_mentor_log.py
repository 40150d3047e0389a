"""The mentor's log: append-only, never rewritten, readable even when damaged."""

from __future__ import annotations

import inspect
import stat
import threading
from datetime import UTC, datetime

import pytest

from grading import mentor_log
from grading.mentor_log import MentorLogError, append_note, log_path, read_log


def test_an_existing_line_is_never_rewritten(tmp_path):
    append_note(tmp_path, "p01", "Mentor Rosa", "First call: she opened a savings account.")
    append_note(tmp_path, "p02", "Mentor Rosa", "No answer; will try on Friday.")
    before = log_path(tmp_path).read_bytes()
    append_note(tmp_path, "p01", "Mentor Ben", "Correction to the first note: it is a "
                "cooperative account, in her own name.")
    after = log_path(tmp_path).read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    assert after.count(b"\n") == 3
    log = read_log(tmp_path)
    assert log["line"].tolist() == [1, 2, 3]
    assert read_log(tmp_path, "p01")["author"].tolist() == ["Mentor Rosa", "Mentor Ben"]


def test_the_api_has_no_way_to_edit_or_delete():
    public = {name for name, obj in inspect.getmembers(mentor_log)
              if not name.startswith("_") and (inspect.isfunction(obj) or inspect.isclass(obj))
              and obj.__module__ == mentor_log.__name__}
    assert public == {"append_note", "read_log", "log_path", "MentorLogError"}
    source = inspect.getsource(mentor_log)
    assert "O_APPEND" in source and "O_TRUNC" not in source and '"w"' not in source


def test_notes_keep_their_time_and_language(tmp_path):
    when = datetime(2026, 4, 2, 8, 30, tzinfo=UTC)
    note = append_note(tmp_path, "p03", "Mentor Dewi", "Sudah buka warung; masih ada utang.",
                       at=when)
    assert note["at"] == "2026-04-02T08:30:00+00:00"
    assert read_log(tmp_path)["text"].iloc[0] == "Sudah buka warung; masih ada utang."
    assert stat.S_IMODE(log_path(tmp_path).stat().st_mode) == 0o600


@pytest.mark.parametrize("participant, author, text, field", [
    ("", "Mentor", "note", "participant"), ("p01", " ", "note", "author"),
    ("p01", "Mentor", "   ", "text"), ("p01", "Mentor", "x" * 5001, "text"),
])
def test_bad_notes_name_the_field_and_write_nothing(tmp_path, participant, author, text, field):
    with pytest.raises(MentorLogError) as err:
        append_note(tmp_path, participant, author, text)
    assert err.value.field == field
    assert not log_path(tmp_path).exists()


def test_a_damaged_line_does_not_stop_the_log(tmp_path):
    append_note(tmp_path, "p01", "Mentor Rosa", "Good call.")
    with log_path(tmp_path).open("ab") as handle:
        handle.write(b"{this line was typed by hand\n")
    append_note(tmp_path, "p01", "Mentor Rosa", "Second call.")
    log = read_log(tmp_path)
    assert log["author"].tolist() == ["Mentor Rosa", "(unreadable)", "Mentor Rosa"]
    assert log["text"].iloc[1] == "line 2 of mentor_log.jsonl could not be read"


def test_mentors_writing_at_the_same_time_do_not_mix_lines(tmp_path):
    def write(author):
        for i in range(40):
            append_note(tmp_path, "p01", author, f"note {i} " + "x" * 300)
    threads = [threading.Thread(target=write, args=(f"Mentor {k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    log = read_log(tmp_path)
    assert len(log) == 160 and not (log["author"] == "(unreadable)").any()
    assert log.groupby("author").size().eq(40).all()


def test_no_course_folder(tmp_path):
    with pytest.raises(MentorLogError, match="course"):
        append_note(tmp_path / "missing", "p01", "Mentor", "note")
    assert read_log(tmp_path / "missing").empty
