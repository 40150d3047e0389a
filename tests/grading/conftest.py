"""Small synthetic nbgrader assignments and participant CSVs for the grading tests.

The synthetic assignment ``tiny`` runs in a bare kernel (no imports), so a graded notebook costs
little more than a kernel start. Its cells:

- ``answer`` (solution): ``double(x)``; the model answer returns ``2 * x``;
- ``test-positive`` (1 point) and ``test-negative`` (2 points): autograder tests;
- ``explain`` (2 points): an answer the facilitator grades by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]

MODEL_ANSWER = 'def double(x):\n    """Twice x."""\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION'


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=0):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def tiny_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    cells = [
        nbformat.v4.new_markdown_cell("# Tiny exercise\n\nComplete `double`.",
                                      metadata=_meta("intro", locked=True)),
        nbformat.v4.new_code_cell(MODEL_ANSWER, metadata=_meta("answer", solution=True)),
        nbformat.v4.new_code_cell('"""Checks double(2) (1 point)."""\nassert double(2) == 4',
                                  metadata=_meta("test-positive", grade=True, locked=True,
                                                 points=1)),
        nbformat.v4.new_code_cell('"""Checks double(-1) (2 points)."""\nassert double(-1) == -2',
                                  metadata=_meta("test-negative", grade=True, locked=True,
                                                 points=2)),
        nbformat.v4.new_markdown_cell("### BEGIN SOLUTION\nTwice a number is the number "
                                      "added to itself.\n### END SOLUTION",
                                      metadata=_meta("explain", grade=True, solution=True,
                                                     points=2)),
    ]
    nb.cells = cells
    return nb


def write_tiny(folder: Path, name: str = "tiny") -> Path:
    """Write the source assignment ``folder/name/name.ipynb``; return its folder."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(tiny_notebook(), target / f"{name}.ipynb")
    return target


def answered(release: Path, answer: str, out: Path) -> Path:
    """The released notebook with ``answer`` as the code of the ``answer`` cell."""
    nb = json.loads(release.read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer":
            cell["source"] = answer
    out.write_text(json.dumps(nb))
    return out


def edited(notebook: Path, out: Path, *, drop: str | None = None,
           duplicate: str | None = None) -> Path:
    """``notebook`` with the cell ``drop`` deleted or the cell ``duplicate`` copied."""
    nb = json.loads(notebook.read_text())
    cells = []
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id == drop:
            continue
        cells.append(cell)
        if grade_id == duplicate:
            cells.append(json.loads(json.dumps(cell)))
    nb["cells"] = cells
    out.write_text(json.dumps(nb))
    return out


@pytest.fixture(scope="module")
def tiny_exercises(tmp_path_factory) -> Path:
    """A folder of source assignments: ``tiny`` and ``tiny_two`` (same cells)."""
    folder = tmp_path_factory.mktemp("exercises")
    write_tiny(folder, "tiny")
    write_tiny(folder, "tiny_two")
    return folder


def nbgrader_as_participant(home: Path, exchange: Path, course_id: str, *args: str) -> str:
    """Run ``nbgrader`` in a participant's folder (their own config: exchange, course)."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n")
    from grading.course import nbgrader_command, subprocess_env

    env = subprocess_env()
    env.pop("HOMEWARD_COURSE", None)
    result = subprocess.run([*nbgrader_command(), *args], cwd=home, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout + result.stderr


def run_cli(*args: str, cwd: Path = ROOT, env_extra: dict | None = None):
    """``python -m grading <args>`` as a facilitator runs it."""
    env = dict(os.environ)
    env.pop("HOMEWARD_COURSE", None)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "grading", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
