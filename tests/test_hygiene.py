"""Repository hygiene: notebooks without outputs, nbgrader metadata intact, lint clean,
no course or participant data tracked."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def tracked(pattern: str) -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", pattern], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / name for name in out if (ROOT / name).exists()]


NOTEBOOKS = tracked("*.ipynb")


def test_there_are_notebooks():
    assert any(nb.name == "savings.ipynb" for nb in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_has_no_outputs(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells) if c["cell_type"] == "code"
             and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"cells {dirty} hold outputs: clear them before committing"


@pytest.mark.parametrize(
    "notebook", [nb for nb in NOTEBOOKS if "exercises" in nb.parts],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_nbgrader_metadata_is_kept(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    graded = [c["metadata"]["nbgrader"] for c in cells if "nbgrader" in c.get("metadata", {})]
    assert graded, "an exercise notebook without nbgrader cells"
    ids = [meta["grade_id"] for meta in graded]
    assert len(ids) == len(set(ids)), f"duplicate grade_id in {ids}"
    for meta in graded:
        assert {"grade", "solution", "locked", "grade_id"} <= set(meta)
        if meta["grade"]:
            assert meta.get("points", 0) > 0, f"{meta['grade_id']} is graded but worth 0 points"


def test_ruff_is_clean():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_no_course_or_participant_data_is_tracked():
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    bad = [n for n in names if any(part in n.split("/") for part in
           ("submitted", "autograded", "feedback", "release", ".venv", "__pycache__"))
           or n.endswith("gradebook.db")]
    assert not bad, bad
