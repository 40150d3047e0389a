"""Feedback pages that leak nothing and run nothing.

nbgrader's ``generate_feedback`` turns each graded notebook into an HTML page for the
participant. Out of the box that page shows every hidden test verbatim (nbgrader restores
them into the graded notebook), and it renders whatever the participant's code displayed:
a cell that shows ``<script>...</script>`` or ``<img src=x onerror=...>`` runs its script in
the browser of whoever opens the page. Homeward's course configuration changes three things:

- :class:`HideHiddenTestTraces` then nbgrader's own ``ClearHiddenTests``: the hidden test
  region is removed from every test cell, and when a hidden test failed, its traceback (which
  would print the failing line) is cut to one line, the error and its message;
- ``HTMLExporter.sanitize_html``: nbconvert cleans the HTML and Markdown of every output and
  Markdown cell, and leaves JavaScript outputs out;
- :func:`protect_page`: a Content-Security-Policy in each page that forbids every script (a
  second lock, should anything slip through the cleaning).

>>> page = '<!DOCTYPE html>\\n<html>\\n<head>\\n<meta charset="utf-8" />\\n<title>x</title>'
>>> "script-src 'none'" in protect_page(page)
True
>>> protect_page(protect_page(page)).count("Content-Security-Policy")
1
"""

from __future__ import annotations

import re
from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade

#: What a feedback page may load: its own inline styles and inline images, nothing else.
CSP = ("default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; "
       "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
HIDDEN_BEGIN = "BEGIN HIDDEN TESTS"


class HideHiddenTestTraces(NbGraderPreprocessor):
    """In a test cell with hidden tests, keep of each error only ``Name: message`` (the
    traceback would print the hidden line that failed)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_grade(cell) and HIDDEN_BEGIN in cell.source:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
                    output["traceback"] = [message.rstrip(": ")]
        return cell, resources


def feedback_preprocessors() -> list:
    """nbgrader's feedback steps, then the hidden tests' tracebacks cut and the hidden
    tests themselves removed."""
    from nbgrader.converters.generate_feedback import GenerateFeedback
    from nbgrader.preprocessors import ClearHiddenTests

    default = GenerateFeedback.class_traits()["preprocessors"].default()
    return [*default, HideHiddenTestTraces, ClearHiddenTests]


def protect_page(html: str) -> str:
    """``html`` with a Content-Security-Policy that forbids every script, right after its
    ``<meta charset>`` (or ``<head>``), unless it has one already."""
    if CSP_META in html:
        return html
    match = re.search(r"<meta charset=[^>]*>", html, flags=re.IGNORECASE) or \
        re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    if match is None:
        return CSP_META + "\n" + html
    return html[:match.end()] + "\n" + CSP_META + html[match.end():]


def feedback_config(course):
    """The configuration ``nbgrader generate_feedback`` would use in the course, with
    Homeward's safe feedback settings whatever the course's file says."""
    from grading.course import nbgrader_config

    config = nbgrader_config(course.root / "nbgrader_config.py")
    config.CourseDirectory.root = str(course.root)
    config.GenerateFeedback.preprocessors = feedback_preprocessors()
    config.HTMLExporter.sanitize_html = True
    return config


def generate_feedback(course, assignment: str, exclude: list[str] = ()) -> list[Path]:
    """nbgrader's ``generate_feedback`` for one assignment (every graded participant but
    ``exclude``), in this process; every page written is protected (:func:`protect_page`).
    Returns the pages."""
    import logging

    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    config = feedback_config(course)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    if exclude:
        coursedir.student_id_exclude = ",".join(exclude)
    app = GenerateFeedback(coursedir=coursedir, config=config)
    app.force = True
    app.log.setLevel(logging.ERROR)
    app.start()
    pages = sorted((course.root / "feedback").glob(f"*/{assignment}/*.html"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        protected = protect_page(text)
        if protected != text:
            page.write_text(protected, encoding="utf-8")
    return pages
