"""The times the trainers' pages give are the times the lessons say, and the course adds up.

- Seminar: each agenda row that runs a lesson notebook lasts as long as the lesson's own
  header says ("About 60 minutes"), and the lesson is run on the day its title names.
- Returnee course: each row of the trainer's table gives the lesson's own session time
  ("Session: 75 minutes"), and the total the page states is the sum of the rows.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUIDES = ROOT / "facilitator_guides"


def _head(notebook: Path) -> str:
    return "".join(json.loads(notebook.read_text())["cells"][0]["source"])


def _minutes(span: str) -> int:
    start, end = (int(h) * 60 + int(m) for h, m in re.findall(r"(\d\d):(\d\d)", span))
    return end - start


def _agenda_rows():
    day = None
    for line in (GUIDES / "seminar_agenda.md").read_text().splitlines():
        heading = re.match(r"## Day (\d)", line)
        if heading:
            day = int(heading.group(1))
        row = re.match(r"\| (\d\d:\d\d-\d\d:\d\d) \| ([^|]+) \| `(modules/seminar/[\w.-]+\.ipynb)`"
                       r"(?! \(first cells\))[^|]*\|", line)
        if row:  # a session that runs a lesson (not the opening's first cells, not a print-out)
            yield pytest.param(day, row.group(1), row.group(2).strip(), row.group(3),
                               id=f"day{day}-{row.group(1)}")


@pytest.mark.parametrize("day, span, session, notebook", list(_agenda_rows()))
def test_a_seminar_lesson_lasts_what_the_agenda_gives(day, span, session, notebook):
    head = _head(ROOT / notebook)
    said = re.search(r"About (\d+) minutes", head)
    assert said, f"{notebook}: say how long the session is"
    assert int(said.group(1)) == _minutes(span), (
        f"{notebook} says {said.group(1)} minutes; the agenda gives {span} for {session}")
    title_day = re.search(r"^# Day (\d)", head)
    assert title_day and int(title_day.group(1)) == day, (
        f"{notebook} is titled for day {title_day and title_day.group(1)} but runs on day {day}")


def test_every_seminar_lesson_is_on_the_agenda():
    rows = {p.values[3] for p in _agenda_rows()}
    for notebook in (ROOT / "modules" / "seminar").glob("*.ipynb"):
        assert f"modules/seminar/{notebook.name}" in rows, notebook.name


def test_the_returnee_course_adds_up():
    page = (GUIDES / "economic_empowerment.md").read_text()
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \| (\d+) min \|", page, flags=re.MULTILINE)
    assert [int(n) for n, _, _ in rows] == list(range(1, 13)), "twelve sessions, in order"
    for _, session, minutes in rows:
        path = re.search(r"`(modules/economic_empowerment/[\w.-]+\.ipynb)`", session)
        if path is None:  # a session whose lesson is still being written
            continue
        head = _head(ROOT / path.group(1))
        said = re.search(r"Session: (\d+) minutes", head)
        assert said and said.group(1) == minutes, f"{path.group(1)}: the page says {minutes} min"
    total = sum(int(m) for _, _, m in rows)
    stated = re.search(r"About (\w+) and a half hours of sessions \((\d+) × 75 \+ (\d+) × 90", page)
    assert stated, "state the course's total time"
    assert int(stated.group(2)) * 75 + int(stated.group(3)) * 90 == total
    assert total == 930 and stated.group(1) == "fifteen"
