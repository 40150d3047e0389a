"""Homeward's grading: the facilitator's nbgrader course, run with a few commands.

>>> from grading import Course
>>> Course.create.__doc__.split(",")[0]
'Make a new course directory at ``root``'

The command line is ``python -m grading`` (see ``facilitator_guides/grading_workflow.md``).
Names are imported when first used, so ``python -m grading --help`` starts quickly.
"""

from __future__ import annotations

import importlib

_NAMES = {
    "Course": "grading.course",
    "CourseError": "grading.course",
    "NbgraderCommandError": "grading.course",
    "NotACourseError": "grading.course",
    "ParticipantsError": "grading.course",
    "UnknownAssignmentError": "grading.course",
    "BatchResult": "grading.batch",
    "Outcome": "grading.batch",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name in _NAMES:
        return getattr(importlib.import_module(_NAMES[name]), name)
    raise AttributeError(f"module 'grading' has no attribute {name!r}")
