"""No participant-facing text cites a source by file name, by the project's notes or by a tag.

Participants read the lessons, the exercises and their feedback (made from the exercise
notebooks), the apps, the seminar data the apps show, and facilitators the dashboard and the
reports. All of them cite documents by their real titles (the references page lists them);
none may show a seed file name (``002_f202f19aa2ce9c7c.txt``), the name of the project's
reference notes, a tag such as ``[confirmed]``, or an internal seed number ("seed 002").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

INTERNAL = re.compile(
    r"\b00[0-4]_[0-9a-f]{16}"           # a seed file name, with or without .txt
    r"|anchors\.md|\banchors:"           # the project's reference notes
    r"|\[(confirmed|unverified)\]"       # their tags
    r"|\bseeds? (file )?`?00[0-4]\b",    # "seed 002", "seed `002"
    re.IGNORECASE)

PATTERNS = (
    "modules/**/*.ipynb",                # lessons and the references page
    "exercises/**/*.ipynb",              # exercises, check-ins; feedback is made from them
    "widgets/apps/*.ipynb",              # the Voila apps
    "widgets/**/view.py",                # what the apps write on the page
    "widgets/**/text.py",
    "widgets/**/report.py",
    "widgets/appkit.py",
    "widgets/seminar/charts.py",         # chart titles name their source
    "widgets/seminar/data/*.json",       # records the seminar apps show
    "widgets/locale/**/*.po",            # the apps' words in every language
    "grading/dashboard.py",              # the facilitator dashboard
    "grading/reports.py",                # the mentoring reports
)


def _files() -> list[Path]:
    found = {p for pattern in PATTERNS for p in ROOT.glob(pattern)}
    return sorted(p for p in found if ".ipynb_checkpoints" not in p.parts)


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                         for c in cells)
    return path.read_text(encoding="utf-8")


def test_the_checked_places_exist():
    names = {p.relative_to(ROOT).as_posix() for p in _files()}
    assert "modules/references.ipynb" in names
    assert any(n.startswith("modules/economic_empowerment/") for n in names)
    assert any(n.startswith("exercises/") for n in names)
    assert "grading/dashboard.py" in names


@pytest.mark.parametrize("path", _files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_internal_citation(path):
    hits = [(number, line.strip()[:120])
            for number, line in enumerate(_text(path).splitlines(), start=1)
            if INTERNAL.search(line)]
    assert not hits, f"cite by the document's title (see modules/references.ipynb): {hits[:5]}"


@pytest.mark.parametrize("text, internal", [
    ("(seed `002_f202f19aa2ce9c7c.txt`, I.4)", True),
    ("see anchors.md", True),
    ("Atikha ([confirmed])", True),
    ("seed 004, 5.3.2", True),
    ("anchors: Philippines, OWWA and NRCO", True),
    ("(the national action plan, I.4)", False),
    ("scenario_band(replace(plan, seed=7))", False),
])
def test_the_pattern_itself(text, internal):
    assert bool(INTERNAL.search(text)) is internal
