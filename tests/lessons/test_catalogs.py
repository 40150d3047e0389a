"""Catalogs of a lesson: extract, translate, change the English, build; and the commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from widgets.lessons import catalogs as cat
from widgets.lessons.build import build, build_notebook
from widgets.lessons.notebook import notebook_messages

ROOT = Path(__file__).resolve().parents[2]
LESSON_CELLS = [
    ("t", "markdown", "# Lesson 9: Saving\n\n**Session: 60 minutes**\n\n*Trainer's note.* Bring paper."),
    ("p", "markdown", "Save **before** you spend.\n\n- an emergency fund first;\n- then goals."),
    ("c", "code", 'from widgets.lessons import _\n\nprint(_("Months the savings last:"), 6)'),
    ("k", "markdown", "## Key points\n\n| Goal | Amount |\n| --- | --- |\n| School | ₱3,000 |"),
]


def _lesson_nb(cells=LESSON_CELLS) -> dict:
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "cells": [{"id": cid, "cell_type": kind, "metadata": {}, "source": source,
                       **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                      for cid, kind, source in cells]}


@pytest.fixture
def lesson(tmp_path) -> cat.Lesson:
    track = tmp_path / "economic_empowerment"
    track.mkdir()
    (track / "09-saving.ipynb").write_text(json.dumps(_lesson_nb()), encoding="utf-8")
    (lesson,) = cat.find_lessons(tmp_path)
    return lesson


def _translate(lesson: cat.Lesson, language: str, table: dict[str, str]) -> None:
    """What a translator does in her PO editor."""
    path = lesson.po_path(language)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    for message in catalog:
        if message.id in table:
            message.string = table[message.id]
            message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog)


FIL = {"Lesson 9: Saving": "Aralin 9: Pag-iipon",
       "**Session: 60 minutes**": "**Sesyon: 60 minuto**",
       "*Trainer's note.* Bring paper.": "*Paalala sa tagapagsanay.* Magdala ng papel.",
       "Save **before** you spend.": "Mag-ipon **bago** gumastos.",
       "an emergency fund first;": "una ang pondong pang-emergency;",
       "then goals.": "saka ang mga layunin.",
       "Months the savings last:": "Ilang buwan tatagal ang ipon:",
       "Key points": "Mga susing punto", "Goal": "Layunin", "Amount": "Halaga",
       "School": "Paaralan"}


def test_extract_makes_gettext_catalogs(lesson):
    updates = cat.update_catalogs(lesson)
    assert [(u.language, u.messages, u.new) for u in updates] == [("fil", 11, 11), ("id", 11, 11)]
    assert lesson.pot_path.exists()
    with lesson.po_path("id").open("rb") as handle:
        catalog = read_po(handle, locale="id", abort_invalid=True)
    assert sorted(m.id for m in catalog if m.id) == sorted(FIL)
    school = catalog.get("School")
    assert school.locations == [("09-saving.ipynb", 4)] and school.auto_comments == ["table cell"]
    assert catalog.get("Months the savings last:").auto_comments == ["text shown by code"]
    # the same layout pybabel uses: its domain is the lesson
    assert lesson.po_path("id").relative_to(lesson.root).as_posix() == \
        "economic_empowerment/locale/id/LC_MESSAGES/09-saving.po"
    # running it again changes nothing on disk
    assert [u.written for u in cat.update_catalogs(lesson)] == [False, False]


def test_a_changed_paragraph_keeps_its_translation_as_fuzzy(lesson):
    cat.update_catalogs(lesson)
    _translate(lesson, "fil", FIL)
    assert cat.coverage(lesson, "fil").complete
    cells = [list(c) for c in LESSON_CELLS]
    cells[1][2] = "Save **before** you spend anything.\n\n- an emergency fund first;"
    lesson.path.write_text(json.dumps(_lesson_nb([tuple(c) for c in cells])), encoding="utf-8")
    (update,) = cat.update_catalogs(lesson, ["fil"])
    assert (update.fuzzy, update.obsolete, update.new) == (1, 1, 0)
    with lesson.po_path("fil").open("rb") as handle:
        catalog = read_po(handle, locale="fil")
    changed = catalog.get("Save **before** you spend anything.")
    assert changed.fuzzy and changed.string == "Mag-ipon **bago** gumastos."
    # the old English is written beside it (#| msgid), so the translator sees what changed
    assert '#| msgid "Save **before** you spend."' in lesson.po_path("fil").read_text()
    assert catalog.get("an emergency fund first;").string == "una ang pondong pang-emergency;"
    assert "then goals." in catalog.obsolete  # kept, marked #~, not lost
    cover = cat.coverage(lesson, "fil")
    assert not cover.complete and cover.fuzzy == ["Save **before** you spend anything."]
    # the build does not use a fuzzy translation
    built, info = build_notebook(lesson, "fil")
    assert info.status == "partial"
    assert any('<span lang="en">Save **before** you spend anything.</span>' in c["source"]
               for c in built["cells"])


def test_complete_and_review(lesson):
    cat.update_catalogs(lesson)
    with pytest.raises(ValueError, match="11 missing"):
        cat.mark_complete(lesson, "fil")
    _translate(lesson, "fil", FIL)
    cat.mark_complete(lesson, "fil")
    assert cat.is_complete(lesson, "fil")
    assert cat.review_state(lesson, "fil") == cat.REVIEW_NEEDED
    cat.record_review(lesson, "fil", "Maria Santos")
    assert cat.review_state(lesson, "fil").startswith("reviewed by Maria Santos (")
    # a translation changed after the review needs a review again
    _translate(lesson, "fil", {"Goal": "Mithiin"})
    assert cat.review_state(lesson, "fil") == cat.REVIEW_NEEDED
    with pytest.raises(ValueError, match="not complete"):
        cat.record_review(lesson, "id", "Dewi")


def test_a_translation_that_breaks_a_placeholder_or_a_link_is_a_problem(lesson):
    cells = LESSON_CELLS + [("g", "markdown", "See [APR](../glossary.ipynb#apr)."),
                            ("f", "code", 'x = _("{n} months").format(n=3)')]
    lesson.path.write_text(json.dumps(_lesson_nb(cells)), encoding="utf-8")
    cat.update_catalogs(lesson, ["id"])
    _translate(lesson, "id", {"See [APR](../glossary.ipynb#apr).": "Lihat [APR](glossary.ipynb).",
                              "{n} months": "{m} bulan"})
    problems = cat.coverage(lesson, "id").problems
    assert len(problems) == 2 and "links" in problems[0] and "placeholders" in problems[1]


def test_build_writes_each_language(lesson, tmp_path):
    cat.update_catalogs(lesson)
    _translate(lesson, "fil", FIL)
    out = tmp_path / "out"
    results = build(cat.find_lessons(lesson.root), out=out, root=lesson.root)
    assert [(r.language, r.status) for r in results] == [
        ("en", "source"), ("fil", "complete"), ("id", "untranslated")]
    fil = json.loads((out / "fil" / "economic_empowerment" / "09-saving.ipynb").read_text())
    sources = ["".join(c["source"]) for c in fil["cells"]]
    assert sources[0].endswith('use_language("fil")') or "use_language('fil')" in sources[0]
    assert sources[1] == "# Aralin 9: Pag-iipon"
    assert "hindi pa nasusuri" in sources[2].lower()  # the notice right under the title
    assert sources[3].startswith("**Sesyon: 60 minuto**")  # then the rest of the first cell
    assert "print(_('Ilang buwan tatagal ang ipon:'), 6)" in sources[5]
    assert "| Paaralan | ₱3,000 |" in sources[6]
    assert not any('lang="en"' in s for s in sources)
    meta = fil["metadata"]["homeward"]["lesson"]
    assert meta["status"] == "complete" and meta["review"] == cat.REVIEW_NEEDED
    assert fil["metadata"]["title"] == "Aralin 9: Pag-iipon"
    ident = json.loads((out / "id" / "economic_empowerment" / "09-saving.ipynb").read_text())
    assert "belum diterjemahkan" in "".join(ident["cells"][2]["source"])
    index = json.loads((out / "fil" / "index.json").read_text())
    assert index[0]["id"] == "economic_empowerment/09-saving" and index[0]["translated"] == 11
    glossary = json.loads((out / "id" / "glossary.ipynb").read_text())
    assert all(c["cell_type"] == "markdown" for c in glossary["cells"])
    english = json.loads((out / "en" / "economic_empowerment" / "09-saving.ipynb").read_text())
    assert len(english["cells"]) == len(LESSON_CELLS) + 1  # the language cell, no notice


def _cli(*args: str, root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "widgets.lessons", "--root", str(root), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_the_command(lesson, tmp_path):
    root = lesson.root
    done = _cli("extract", root=root)
    assert done.returncode == 0 and "11 messages" in done.stdout, done.stderr
    _translate(lesson, "fil", FIL)
    assert _cli("complete", "economic_empowerment/09", "--lang", "id", root=root).returncode == 1
    done = _cli("complete", "economic_empowerment/09", "--lang", "fil", root=root)
    assert done.returncode == 0 and "listed as complete" in done.stdout, done.stderr
    done = _cli("status", root=root)
    assert done.returncode == 0 and "[fil]: 11/11 translated" in done.stdout, done.stderr
    # the English changes: the lesson listed as complete is not any more
    cells = LESSON_CELLS[:3] + [("k", "markdown", "## Key points\n\nSave first.")]
    lesson.path.write_text(json.dumps(_lesson_nb(cells)), encoding="utf-8")
    done = _cli("status", "--missing", root=root)
    assert done.returncode == 1 and "missing: 'Save first.'" in done.stdout
    assert "listed as complete are not" in done.stderr
    done = _cli("build", "--out", str(tmp_path / "b"), "--lang", "fil", root=root)
    assert done.returncode == 0 and "fil: 1 lessons (1 partial)" in done.stdout, done.stderr
    done = _cli("review", "glossary", "--lang", "id", "--by", "Dewi", root=root)
    assert done.returncode == 0 and "reviewed by Dewi" in done.stdout, done.stderr
    done = _cli("build", "nowhere", root=root)
    assert done.returncode == 1 and "names 0 lessons" in done.stderr


def test_extract_reads_the_lessons_here():
    """Every lesson of the returnee tracks yields messages; a _() is always a plain literal."""
    lessons = cat.find_lessons()
    assert {lesson.track for lesson in lessons} >= {"economic_empowerment", "family_track"}
    for lesson in lessons:
        assert notebook_messages(lesson.notebook()), lesson.id
