"""The facilitator dashboard's data: one record (:class:`Source`) of what the dashboard shows,
read from a course directory or made from a seeded synthetic cohort.

The page itself is :mod:`widgets.mentoring.view` (widgets) over :mod:`widgets.mentoring.model`
(what the page writes); this module is the course side: the progress tables of
:mod:`grading.progress`, the cohort summary with small groups withheld, the mentor's log of
:mod:`grading.mentor_log`, and who is looking (:func:`viewer`). The Voila app
``widgets/apps/mentoring.ipynb`` joins the two::

    from grading.dashboard import load_source, viewer
    from widgets.mentoring.view import dashboard_app
    dashboard_app(load_source(), viewer())

Where the data comes from: ``HOMEWARD_COURSE`` names a course directory; without it (or if it
is not a course) the record is a seeded synthetic cohort of ``HOMEWARD_DEMO_SIZE`` people (60
unless set), and its banner says so. The banner names the course by its id, never by its path.

Who is looking: on the workshop hub the dashboard is a hub service that only facilitators can
open; the service tells each visitor's kernel who logged in (``HOMEWARD_VIEWER``, see
:func:`viewer`), and whether she may see names. On a facilitator's own machine (``make serve``
on 127.0.0.1) it is the account that runs the server.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from widgets.mentoring.model import Viewer

log = logging.getLogger(__name__)

DEMO_SIZE = 60
DEMO_SEED = 2026
MAX_DEMO_SIZE = 20_000
DASH = "\N{EM DASH}"
#: Set by the hub service: the dashboard runs for visitors the hub has logged in.
HUB_MODE = "HOMEWARD_DASHBOARD_HUB"
#: Set (per kernel) by the hub service: who logged in, as JSON {"name": ..., "names": bool}.
VIEWER_VARIABLE = "HOMEWARD_VIEWER"


@dataclass(frozen=True)
class Source:
    """The tables a dashboard shows, what a facilitator must know about them, and the course's
    mentor's log. Follows :class:`widgets.mentoring.model.MentoringData`."""

    tables: object  # grading.progress.Tables
    demo: bool
    course_root: Path | None
    banner: str  # plain text: demo data, or which course (by id, never a path)
    config: object | None = None  # grading.config.Config
    environ: Mapping[str, str] | None = field(default=None, repr=False)  # for reload()

    @property
    def min_group(self) -> int:
        return getattr(self.config, "min_group", 5)

    @property
    def checkins(self) -> tuple[str, ...]:
        from grading.progress import CHECKINS

        return tuple(CHECKINS)

    @property
    def milestones(self) -> tuple[tuple[str, str], ...]:
        from grading.checkins import MILESTONES

        return tuple((m.code, m.label) for m in MILESTONES)

    def summary(self) -> pd.DataFrame:
        """The cohort summary by gender, with the whole cohort as group ``all``; groups under
        ``min_group`` withheld (:func:`grading.progress.cohort_summary`)."""
        from grading.progress import cohort_summary

        by_gender = cohort_summary(self.tables, by="gender", min_group=self.min_group)
        whole = cohort_summary(self.tables, by=None, min_group=self.min_group).rename(
            columns={"group": "gender"})
        return pd.concat([by_gender, whole], ignore_index=True)

    def flag_reasons(self) -> dict[str, str]:
        """The reason of each enabled flag rule in the course's configuration."""
        if self.config is None:
            return {}
        return {code: rule["reason"] for code, rule in self.config.flags.items()
                if rule.get("enabled")}

    def timeline(self, participant: str, notes: pd.DataFrame | None = None) -> pd.DataFrame:
        from grading.progress import participant_timeline

        return participant_timeline(self.tables, participant,
                                    log=notes if notes is not None and len(notes) else None)

    def notes(self, participant: str) -> pd.DataFrame:
        """The mentor's notes on one participant (none on demo data)."""
        empty = pd.DataFrame(columns=["participant", "at", "author", "text"])
        if self.demo or self.course_root is None:
            return empty
        from grading.mentor_log import read_log

        notes = read_log(self.course_root, participant)
        return notes if len(notes) else empty

    def add_note(self, participant: str, author: str, text: str) -> dict[str, str]:
        """Append a note to the course's mentor's log; :class:`ValueError` says what is wrong."""
        if self.demo or self.course_root is None:
            raise ValueError("Demo data: notes are not saved.")
        from grading.mentor_log import append_note

        return append_note(self.course_root, participant, author, text)

    def reload(self) -> Source:
        """The same source read again (a course may have changed since)."""
        return load_source(self.environ)


def is_course(path: str | os.PathLike | None) -> bool:
    """Whether ``path`` is a course directory: it holds ``nbgrader_config.py`` and
    ``gradebook.db`` (what :meth:`grading.course.Course.open` requires).

    >>> is_course(None), is_course(""), is_course("/nowhere/at/all")
    (False, False, False)
    """
    if not path:
        return False
    root = Path(path).expanduser()
    return (root / "nbgrader_config.py").is_file() and (root / "gradebook.db").is_file()


def demo_size(environ: Mapping[str, str]) -> tuple[int, str]:
    """The demo cohort's size from ``HOMEWARD_DEMO_SIZE``, and a note when it was not usable.

    >>> demo_size({})
    (60, '')
    >>> demo_size({"HOMEWARD_DEMO_SIZE": " 1000 "})
    (1000, '')
    >>> demo_size({"HOMEWARD_DEMO_SIZE": "lots"})
    (60, 'HOMEWARD_DEMO_SIZE must be a whole number from 1 to 20000, not "lots".')
    """
    text = environ.get("HOMEWARD_DEMO_SIZE", "").strip()
    if not text:
        return DEMO_SIZE, ""
    try:
        size = int(text)
        if not 1 <= size <= MAX_DEMO_SIZE:
            raise ValueError(text)
    except ValueError:
        return DEMO_SIZE, (f"HOMEWARD_DEMO_SIZE must be a whole number from 1 to "
                           f"{MAX_DEMO_SIZE}, not \"{text}\".")
    return size, ""


def demo_tables(size: int = DEMO_SIZE, seed: int = DEMO_SEED):
    """A synthetic cohort of ``size`` people (no real person), through the real derivations."""
    from grading.progress import tables_from_records
    from grading.synthetic import synthetic_cohort

    return tables_from_records(*synthetic_cohort(size, seed=seed))


def course_name(root: Path) -> str:
    """How the page names a course: its nbgrader course id (never its path)."""
    from grading.course import Course

    try:
        return Course.open(root).course_id
    except Exception:  # a course without an id in its config still gets a page
        return "this course"


def load_source(environ: Mapping[str, str] | None = None) -> Source:
    """Read the course named by ``HOMEWARD_COURSE``, or make the demo cohort."""
    environ = os.environ if environ is None else environ
    course = environ.get("HOMEWARD_COURSE", "").strip()
    problem = ""
    if course and is_course(course):
        try:
            from grading.config import load_config
            from grading.progress import load_tables

            root = Path(course).expanduser().resolve()
            config = load_config(root)
            return Source(load_tables(root, config), False, root,
                          f"Course: {course_name(root)}. Participants are shown by pseudonym.",
                          config, environ)
        except Exception as err:  # a broken course still gives a page that says what happened
            log.exception("could not read the course %s", course)
            problem = f"The course could not be read ({type(err).__name__}). "
    elif course:
        problem = "HOMEWARD_COURSE does not name a course directory. "
    size, size_problem = demo_size(environ)
    banner = (f"{problem}{size_problem} Demo data: {size} synthetic participants "
              f"{DASH} no real people. Notes are not saved.").strip()
    return Source(demo_tables(size), True, None, banner, None, environ)


def viewer(environ: Mapping[str, str] | None = None) -> Viewer:
    """Who is looking at the dashboard, as the server established it.

    On the hub (``HOMEWARD_DASHBOARD_HUB`` set), the service writes ``HOMEWARD_VIEWER`` into
    each visitor's kernel from the hub login; a kernel without it (a pre-heated one, say) gets
    a viewer with no name and no names to see. Elsewhere (a facilitator's own server, on
    127.0.0.1), it is the account that runs the server.

    >>> viewer({"HOMEWARD_DASHBOARD_HUB": "1",
    ...         "HOMEWARD_VIEWER": '{"name": "fac-ana", "names": true}'})
    Viewer(name='fac-ana', may_see_names=True)
    >>> viewer({"HOMEWARD_DASHBOARD_HUB": "1"})
    Viewer(name='', may_see_names=False)
    >>> viewer({"HOMEWARD_DASHBOARD_HUB": "1", "HOMEWARD_VIEWER": "not json"})
    Viewer(name='', may_see_names=False)
    """
    environ = os.environ if environ is None else environ
    if environ.get(HUB_MODE):
        try:
            who = json.loads(environ.get(VIEWER_VARIABLE, ""))
            return Viewer(str(who["name"]), who.get("names") is True)
        except (ValueError, KeyError, TypeError):
            return Viewer()
    return Viewer(getpass.getuser(), may_see_names=True)
