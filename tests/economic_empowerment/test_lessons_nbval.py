"""The economic-empowerment lessons: present, clean, sourced by title, and runnable (nbval)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "modules" / "economic_empowerment"
#: Lesson file names, fixed with the grading workflow (one session each).
EXPECTED = {
    "01-money-across-the-migration-cycle.ipynb": "ee01_money_cycle",
    "02-budgeting.ipynb": "ee02_budgeting",
    "03-saving.ipynb": "ee03_saving",
    "04-remittances.ipynb": "ee04_remittances",
    "05-fees-wages-and-rights.ipynb": "ee05_rights",
    "06-debt.ipynb": "ee06_debt",
    "07-protecting-what-i-have.ipynb": "ee07_protection",
    "08-finding-work.ipynb": "ee08_work",
    "09-business-idea-and-price.ipynb": "ee09_business_price",
    "10-business-plan-and-cash-flow.ipynb": "ee10_business_plan",
    "11-wellbeing-and-family-reunion.ipynb": "ee11_wellbeing",
    "12-my-reintegration-plan.ipynb": "ee12_reintegration_plan",
}
NOTEBOOKS = sorted(LESSONS.glob("*.ipynb"))
REFERENCES = ROOT / "modules" / "references.ipynb"
#: How a lesson must NOT cite: file names, the project's notes, their tags, internal seed numbers.
INTERNAL = re.compile(r"\b00[0-4]_[0-9a-f]{16}|anchors\.md|\[(confirmed|unverified)\]|\bseeds? \d{3}\b")
MODELS = re.compile(r"from widgets\.(savings|business|seminar)(\.model)? import|"
                    r"import widgets\.(savings|business|seminar)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _text(path: Path, kind: str | None = None) -> str:
    return "\n".join("".join(c["source"]) for c in _cells(path)
                     if kind is None or c["cell_type"] == kind)


def test_the_lessons_exist():
    names = {p.name for p in NOTEBOOKS}
    missing = sorted(set(EXPECTED) - names)
    assert not missing, f"missing lessons: {missing}"
    assert all(" " not in n and re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", n) for n in names), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_or_installs(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "clear the outputs"
            assert "pip install" not in "".join(cell["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_lesson_has_its_parts(path):
    """Session time, audience, objectives, sources by title, key points and its exercise."""
    head = "".join(_cells(path)[0]["source"])
    assert head.startswith("# "), "the first cell is the title"
    timing = re.search(r"Session: (\d+) minutes\*\* \(([^)]*)\)", head)
    assert timing, "say how long the session is, and how the time is spent"
    parts = [int(n) for n in re.findall(r"(\d+)", timing.group(2))]
    assert sum(parts) == int(timing.group(1)), f"the parts {parts} do not add up to the session"
    assert "returnees and their families" in head and "trainers" in head
    assert "Objectives" in head and re.search(r"Sources?:", head)
    markdown = _text(path, "markdown")
    assert "../references.ipynb" in head, "link the references page, where the documents' titles are"
    assert not INTERNAL.search(_text(path)), "cite documents by their titles, never by file name or tag"
    assert "illustrative" in markdown.lower(), "label made-up numbers as illustrative"
    assert "Key points" in markdown
    exercise = EXPECTED.get(path.name)
    if exercise:
        # linked to its answer form, never named by its folder (tests/test_citations.py)
        assert f"/widgets/apps/form.ipynb?assignment={exercise}&" in markdown, \
            f"link the answer form of {exercise}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_lesson_uses_the_projects_models_and_checks(path):
    code = _text(path, "code")
    assert MODELS.search(code), "work the examples with a project model, not notebook arithmetic"
    assert "widgets.quiz" in code, "add short checks with widgets.quiz"


@pytest.mark.timeout(420)
def test_lessons_run_with_nbval(tmp_path):
    assert NOTEBOOKS, "no lessons yet"
    # The lesson kernels share compiled bytecode in a temporary directory instead of each
    # compiling pandas, matplotlib and ipywidgets again (the environment may forbid .pyc files).
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-o", "addopts=",
         "-v", str(LESSONS), str(REFERENCES)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
    for path in NOTEBOOKS:  # every lesson was collected and its first cell ran
        ran = re.search(rf"{re.escape(path.stem)}(\.ipynb)?::(ipynb::)?Cell 0 PASSED", result.stdout)
        assert ran, f"{path.name} was not run"
