"""A gradebook you can prove: every change a grading batch made is one it meant to make.

Before a batch, :func:`snapshot` reads every row of the gradebook (the copy in ``backups/``).
While it runs, the batch records each value it writes (:class:`Written`). After it,
:func:`verify` compares the gradebook with the snapshot row by row: a change is accepted only
when it is one of the batch's own writes (the automatic scores, comments, late penalty and
time of the submissions it graded, with exactly the values it wrote). Anything else (another
participant's score, a manual grade, a cleared "needs manual grade", a deleted row, a changed
assignment) is listed, and the batch is marked failed so the facilitator can put the copy
back (``python -m grading restore``).

:class:`Watcher` notices, cheaply, *when* something other than the batch wrote to the
gradebook (SQLite's ``data_version``), so the batch can name the submissions that were being
graded at that moment.

>>> written = Written()
>>> written.add("P01", "ex", {"timestamp": None, "notebooks": {"ex": {
...     "late_submission_penalty": 0.0, "grades": {"q1": 1.0}, "comments": {"q1": None}}}})
>>> sorted(written.jobs)
[('P01', 'ex')]
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

#: Columns a batch writes, by table; every other column must stay as it was.
BATCH_COLUMNS = {
    "submitted_assignment": {"timestamp"},
    "submitted_notebook": {"late_submission_penalty"},
    "grade": {"auto_score", "needs_manual_grade"},
    "comment": {"auto_comment"},
}


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def snapshot(path: str | os.PathLike) -> dict[str, dict]:
    """Every row of every table: ``{table: {"columns": [...], "rows": {key: row}}}``."""
    con = _connect(Path(path))
    try:
        out = {}
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        for table in tables:
            info = con.execute(f'PRAGMA table_info("{table}")').fetchall()
            columns = [c[1] for c in info]
            keys = [c[1] for c in sorted(info, key=lambda c: c[5]) if c[5]] or ["rowid"]
            select = ", ".join(f'"{c}"' for c in columns)
            key_select = ", ".join(f'"{k}"' if k != "rowid" else "rowid" for k in keys)
            rows = {}
            for row in con.execute(f'SELECT {key_select}, {select} FROM "{table}"'):
                rows[tuple(row[:len(keys)])] = row[len(keys):]
            out[table] = {"columns": columns, "rows": rows}
        return out
    finally:
        con.close()


@dataclass
class Written:
    """What a batch wrote into the gradebook, per (participant, assignment)."""

    jobs: dict[tuple[str, str], dict] = field(default_factory=dict)
    created_students: set[str] = field(default_factory=set)

    def add(self, participant: str, assignment: str, answer: dict) -> None:
        self.jobs[(participant, assignment)] = answer


def _index(snap: dict, table: str) -> dict:
    part = snap.get(table, {"columns": [], "rows": {}})
    names = part["columns"]
    return {key: dict(zip(names, row, strict=True)) for key, row in part["rows"].items()}


def _owners(snap: dict) -> dict[str, dict]:
    """Who each submission row belongs to: ids of submitted_assignment / submitted_notebook
    -> (participant, assignment, notebook); base_cell ids -> cell names."""
    assignments = {k[0]: r["name"] for k, r in _index(snap, "assignment").items()}
    notebooks = {k[0]: r["name"] for k, r in _index(snap, "notebook").items()}
    cells = {k[0]: r["name"] for k, r in _index(snap, "base_cell").items()}
    subs = {k[0]: (r["student_id"], assignments.get(r["assignment_id"], "?"))
            for k, r in _index(snap, "submitted_assignment").items()}
    sub_nbs = {}
    for k, r in _index(snap, "submitted_notebook").items():
        who = subs.get(r["assignment_id"], ("?", "?"))
        sub_nbs[k[0]] = (*who, notebooks.get(r["notebook_id"], "?"))
    return {"subs": subs, "sub_nbs": sub_nbs, "cells": cells}


def _describe(table: str, row: dict, owners: dict) -> tuple[tuple[str, str] | None, str]:
    """The (participant, assignment) a row belongs to, and words for it."""
    if table == "submitted_assignment":
        who = owners["subs"].get(row["id"])
        return who, f"submission of {who[1]} by {who[0]}" if who else "a submission"
    if table == "submitted_notebook":
        who = owners["sub_nbs"].get(row["id"])
        return (who[:2] if who else None,
                f"notebook {who[2]} of {who[0]}" if who else "a submitted notebook")
    if table in ("grade", "comment"):
        who = owners["sub_nbs"].get(row["notebook_id"])
        cell = owners["cells"].get(row["cell_id"], "?")
        kind = "grade" if table == "grade" else "comment"
        return (who[:2] if who else None,
                f"{kind} of cell '{cell}' in {who[1]} for {who[0]}" if who else f"a {kind}")
    if table == "student":
        return None, f"participant {row.get('id')}"
    return None, f"a row of table {table}"


def _expected(table: str, row: dict, job: dict, owners: dict) -> dict:
    """The values the batch wrote for this row (only its own columns)."""
    if table == "submitted_assignment":
        return {}  # the time is checked through the notebooks' values; keep it simple
    if table == "submitted_notebook":
        name = owners["sub_nbs"].get(row["id"], ("", "", ""))[2]
        values = job["notebooks"].get(name)
        return {} if values is None else {
            "late_submission_penalty": values["late_submission_penalty"]}
    name = owners["cells"].get(row["cell_id"])
    nb = owners["sub_nbs"].get(row["notebook_id"], ("", "", ""))[2]
    values = job["notebooks"].get(nb)
    if values is None:
        return {}
    if table == "grade":
        out = {}
        if name in values["grades"]:
            out["auto_score"] = values["grades"][name]
            if name in values.get("needs_manual", {}):
                out["needs_manual_grade"] = values["needs_manual"][name]
        return out
    if table == "comment" and name in values["comments"]:
        return {"auto_comment": values["comments"][name]}
    return {}


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9
        except (TypeError, ValueError):
            return False
    return a == b


def verify(before: dict, after: dict, written: Written) -> list[str]:
    """Every change from ``before`` to ``after`` that the batch did not write (plain words,
    one line each; empty when the gradebook holds exactly what the batch wrote)."""
    problems = []
    owners_before, owners_after = _owners(before), _owners(after)
    for table in sorted(set(before) | set(after)):
        old, new = _index(before, table), _index(after, table)
        if before.get(table, {}).get("columns") != after.get(table, {}).get("columns"):
            problems.append(f"table {table} changed its columns")
            continue
        allowed = BATCH_COLUMNS.get(table, set())
        for key in sorted(set(old) - set(new), key=str):
            _, words = _describe(table, old[key], owners_before)
            problems.append(f"deleted: {words}")
        for key in sorted(set(new) - set(old), key=str):
            row = new[key]
            who, words = _describe(table, row, owners_after)
            if table == "student" and row["id"] in written.created_students:
                continue
            job = written.jobs.get(who) if who else None
            if job is None or table not in BATCH_COLUMNS:
                problems.append(f"added: {words}")
                continue
            if table in ("grade", "comment") and (row.get("manual_score") is not None
                                                   or row.get("manual_comment")
                                                   or row.get("extra_credit") is not None):
                problems.append(f"added with a manual grade or comment: {words}")
                continue
            for column, value in _expected(table, row, job, owners_after).items():
                if not _same(row[column], value):
                    problems.append(f"{words}: {column} is {row[column]!r}, the batch wrote "
                                    f"{value!r}")
        for key in sorted(set(old) & set(new), key=str):
            a, b = old[key], new[key]
            changed = [c for c in a if not _same(a[c], b[c]) and not (a[c] is None is b[c])]
            if not changed:
                continue
            who, words = _describe(table, b, owners_after)
            job = written.jobs.get(who) if who else None
            outside = [c for c in changed if c not in allowed]
            if job is None or outside:
                for column in (outside or changed):
                    problems.append(f"changed: {words}: {column} {a[column]!r} -> {b[column]!r}")
                continue
            for column, value in _expected(table, b, job, owners_after).items():
                if column in changed and not _same(b[column], value):
                    problems.append(f"{words}: {column} is {b[column]!r}, the batch wrote "
                                    f"{value!r}")
    return problems


class Watcher:
    """Notices commits to the gradebook by any other connection (``PRAGMA data_version``)."""

    def __init__(self, path: str | os.PathLike):
        self.con = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        self.version = self._read()
        self.since = time.monotonic()

    def _read(self) -> int:
        return self.con.execute("PRAGMA data_version").fetchall()[0][0]

    def changed(self) -> tuple[bool, float]:
        """Whether another connection committed since :meth:`mark`, and since when."""
        return self._read() != self.version, self.since

    def mark(self) -> None:
        self.version = self._read()
        self.since = time.monotonic()

    def close(self) -> None:
        self.con.close()


def write_summary(path: Path, data: dict) -> None:
    """A batch's summary (JSON, owner-only), read back by ``python -m grading restore``."""
    path.write_text(json.dumps(data, indent=1, default=str))
    os.chmod(path, 0o600)
