"""No participant-facing text cites a source by file name, by the project's notes or by a tag.

Participants read the lessons, the exercises and their feedback (made from the exercise
notebooks), the apps, the seminar data the apps show, and facilitators the dashboard and the
reports. All of them cite documents by their real titles (the references page lists them);
none may show a seed file name (``002_f202f19aa2ce9c7c.txt``), the name of the project's
reference notes, a tag such as ``[confirmed]``, or an internal seed number ("seed 002").

A lesson's words name no file either: not an exercise's folder (``exercises/ee01_...``), a
notebook's file name (``02-budgeting.ipynb``) or a path of the code base, as words or in
backticks; an exercise is "exercise 1" linked to its answer form, a lesson its title or
"lesson 7" linked to its page (the links' targets are not shown, and are checked where the
lessons are served: ``tests/test_lesson_pages.py``, ``tests/hub/test_config.py``). The built
pages in each language are checked the same way in ``tests/test_lesson_pages.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.helpers.links import FILE_NAME, shown_text

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


LESSONS = sorted(p for p in (ROOT / "modules").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def shown_problems(nb: dict) -> list[str]:
    """Lines of a lesson's shown words that name a file or cite by a file name or tag."""
    return [line.strip()[:120] for line in shown_text(nb).splitlines()
            if FILE_NAME.search(line) or INTERNAL.search(line)]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_lesson_names_no_file(path):
    hits = shown_problems(json.loads(path.read_text(encoding="utf-8")))
    assert not hits, ("say 'exercise 1' with a link to its form, a lesson's title with a link to "
                      f"its page (modules/TRANSLATING.md): {hits[:5]}")


@pytest.mark.parametrize("text", [
    "The exercise for this lesson is `exercises/ee01_money_cycle`.",
    "**Next lesson:** `02-budgeting.ipynb`, the family purse.",
    "lesson 7 (07-protecting-what-i-have.ipynb) works it out",
    "The same tool runs as an app (`widgets/apps/action_plan.ipynb`).",
    "(see `facilitator_guides/follow_up.md`)",
    "(seed 002, I.4)",
])
def test_the_file_name_check_finds(text):
    nb = {"cells": [{"cell_type": "markdown", "source": text}]}
    assert shown_problems(nb)


def test_the_file_name_check_passes_words_and_links():
    nb = {"cells": [{"cell_type": "markdown", "source":
                     "**Exercise:** [Answer exercise 1 in its form](../../widgets/apps/form.ipynb"
                     "?assignment=ee01_money_cycle&lang=en). **Next lesson:** [Lesson 2: "
                     "Budgeting](02-budgeting.ipynb). A [savings group](../glossary.ipynb#sg)."}]}
    assert shown_problems(nb) == []


FORMS = sorted(p for p in (ROOT / "exercises").glob("*/*.ipynb")
               if not p.parent.name.startswith("seminar_"))


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.parent.name)
def test_a_form_names_no_file(path):
    """The answer forms' texts, in each language, name a lesson by its title, not its file."""
    from widgets.forms.model import Text, form_items

    nb = json.loads(path.read_text(encoding="utf-8"))
    hits = [f"{lang}: {line.strip()[:100]}" for item in form_items(nb) if isinstance(item, Text)
            for lang in ("en", "fil", "id") for line in item.text(lang).splitlines()
            if FILE_NAME.search(line) or INTERNAL.search(line)]
    assert not hits, hits[:5]
