"""Run every seminar lesson top to bottom with nbval, in a separate pytest process."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "modules" / "seminar"


def test_lessons_are_committed_without_outputs():
    notebooks = sorted(LESSONS.glob("*.ipynb"))
    assert len(notebooks) >= 10
    for path in notebooks:
        assert " " not in path.name
        cells = json.loads(path.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name
                assert "pip install" not in "".join(cell["source"]), path.name
        assert "widgets.seminar" in path.read_text(), path.name


def test_every_day_and_module_is_covered():
    names = [p.name for p in LESSONS.glob("*.ipynb")]
    for day in range(1, 6):
        assert any(n.startswith(f"day{day}_") for n in names), day
    text = " ".join(p.read_text() for p in LESSONS.glob("*.ipynb"))
    for module in (1, 2, 3, 4):
        assert f"module {module}" in text.lower(), module


@pytest.mark.timeout(300)
def test_lessons_run_with_nbval():
    notebooks = sorted(LESSONS.glob("*.ipynb"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider",
         "-o", "addopts=", "-q", str(LESSONS)],
        cwd=ROOT, capture_output=True, text=True, timeout=290)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider",
         "-o", "addopts=", "--collect-only", "-q", str(LESSONS)],
        cwd=ROOT, capture_output=True, text=True, timeout=120).stdout
    for path in notebooks:
        assert f"{path.name}::Cell 0" in collected, path.name
