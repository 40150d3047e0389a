"""Homeward's grading: the facilitator's nbgrader course, run with a few commands.

>>> from grading import Course
>>> Course.create.__doc__.split(".")[0]
'Make a new course directory at ``root``'

The command line is ``python -m grading`` (see ``facilitator_guides/grading_workflow.md``).
"""

from grading.batch import BatchResult, Outcome
from grading.course import (
    Course,
    CourseError,
    NbgraderCommandError,
    NotACourseError,
    ParticipantsError,
    UnknownAssignmentError,
)

__all__ = ["BatchResult", "Course", "CourseError", "NbgraderCommandError", "NotACourseError",
           "Outcome", "ParticipantsError", "UnknownAssignmentError"]
