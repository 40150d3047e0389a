"""A lesson's handout: key points, worked examples, charts, tables, checks with their answers,
worksheet boxes and the glossary words, in the reader's language, on A4, in large type."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from pypdf import PdfReader

from widgets.handouts.lesson import lesson_handout, plan, run_lesson
from widgets.lessons import catalogs as cat
from widgets.lessons.build import build_notebook

ROOT = Path(__file__).resolve().parents[2]
CHART = '''import matplotlib.pyplot as plt
from widgets.lessons import _

fig, ax = plt.subplots(figsize=(6, 3))
ax.plot([0, 12, 24], [0, 36, 72], label=_("savings"))
ax.set_title(_("Savings of Lorna (illustrative)"))
ax.legend()
plt.show()'''
TABLE = '''import pandas as pd
from widgets.lessons import _

print(_("Savings at return:"), "₱72,000")
pd.DataFrame({_("goal"): [_("Shop")], _("amount"): ["₱60,000"]})'''
QUIZ = '''from widgets.lessons import _, language
from widgets.quiz import Choice, NumberQuestion, quiz, quizzes

quizzes(Choice(prompt=_("When does preparing for return start?"),
               options=(_("after coming home"), _("before leaving")), answer=1,
               explanation=_("Before leaving for work abroad.")),
        NumberQuestion(prompt=_("₱60,000 in 20 months is how much a month?"), answer=3000,
                       unit="PHP", digits=0, explanation=_("60,000 ÷ 20 = 3,000.")),
        lang=language())'''
CELLS = [
    ("title", "markdown", [], "# Lesson 9: Saving for home\n\n**Session: 60 minutes**"),
    ("intro", "markdown", [], "Not on the handout: zanzibar."),
    ("example", "markdown", ["handout"],
     "## Lorna's plan\n\nLorna saves for an [emergency fund](../glossary.ipynb#emergency-fund)."
     "\n\n*Trainer's note.* Pause here: platypus.\n\n| Month | Saved |\n| --- | --- |\n"
     "| 12 | ₱36,000 |"),
    ("chart", "code", ["handout"], CHART),
    ("table", "code", ["handout"], TABLE),
    ("quiz", "code", ["handout"], QUIZ),
    ("case", "markdown", ["worksheet"],
     "## Case\n\n1. Write the family's goals.\n2. Whose goals are they?\n\n"
     "| What | How much | Whose |\n| --- | --- | --- |"),
    ("keys", "markdown", [], "## Key points\n\n- A goal has a price, a date and an owner."),
]
FIL = {"Lesson 9: Saving for home": "Aralin 9: Pag-iipon para sa pag-uwi",
       "Key points": "Mga susing punto",
       "A goal has a price, a date and an owner.": "May presyo, petsa at may-ari ang layunin.",
       "Savings of Lorna (illustrative)": "Ipon ni Lorna (halimbawa lamang)",
       "When does preparing for return start?": "Kailan nagsisimula ang paghahanda sa pag-uwi?",
       "before leaving": "bago umalis", "Write the family's goals.": "Isulat ang mga layunin ng pamilya.",
       "Shop": "Tindahan"}


def _nb() -> dict:
    return {"nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"}},
            "cells": [{"id": cid, "cell_type": kind, "metadata": {"tags": tags}, "source": src,
                       **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                      for cid, kind, tags, src in CELLS]}


@pytest.fixture(scope="module")
def lesson(tmp_path_factory) -> cat.Lesson:
    root = tmp_path_factory.mktemp("modules")
    (root / "economic_empowerment").mkdir()
    (root / "economic_empowerment" / "09-saving.ipynb").write_text(json.dumps(_nb()))
    (lesson,) = cat.find_lessons(root)
    cat.update_catalogs(lesson, ["fil"])
    path = lesson.po_path("fil")
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="fil")
    for message in catalog:
        if message.id in FIL:
            message.string = FIL[message.id]
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return lesson


@pytest.fixture(scope="module")
def fil_pdf(lesson) -> bytes:
    built, _info = build_notebook(lesson, "fil")
    return lesson_handout(lesson, "fil", run_lesson(built, lesson.path.parent))


def _read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def test_the_plan_follows_the_tags():
    what = plan(_nb())
    assert what.title_cell == "title" and what.keypoints == ["keys"]
    assert what.body == [("handout", "example"), ("handout", "chart"), ("handout", "table"),
                         ("handout", "quiz"), ("worksheet", "case")]
    assert what.terms == ["emergency-fund"]


def test_the_handout_in_filipino(fil_pdf):
    reader, text = _read(fil_pdf)
    assert all(round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842
               for p in reader.pages)
    assert reader.metadata.title == "Aralin 9: Pag-iipon para sa pag-uwi"
    # title, then the key points first, in Filipino
    assert text.index("Aralin 9") < text.index("Mga susing punto") < text.index("Lorna's plan")
    assert "May presyo, petsa at may-ari ang layunin." in text
    # the worked example with its table; not the trainer's note nor untagged text
    assert "₱36,000" in text and "platypus" not in text and "zanzibar" not in text
    # the code's results: a chart image, the printed line, the table (translated cell)
    assert sum(len(p.images) for p in reader.pages) == 1
    assert "Savings at return: ₱72,000" in text and "Tindahan" in text and "₱60,000" in text
    # checks with tick boxes, and their answers at the end
    assert "Subukin ang sarili (1)" in text and "Kailan nagsisimula ang paghahanda" in text
    assert "bago umalis" in text and "Lagyan ng tsek ang isang kahon." in text
    answers = text[text.index("Mga sagot sa"):]
    assert "1. bago umalis." in answers and "2. ₱3,000." in answers
    # the worksheet: its questions and its table to fill in; name and date
    assert "Isulat ang mga layunin ng pamilya." in text and "How much" in text
    assert "Pangalan:" in text and "Petsa:" in text
    # the glossary word the lesson links to, explained in Filipino
    assert "pondong pang-emergency" in text and "Ipong nakahiwalay" in text
    # partial translation: the notice says so
    assert "hindi pa naisasalin" in text


def test_large_type(fil_pdf):
    """Running text is set at 14 pt, headings larger; only tables, notes, hints and page
    numbers are smaller."""
    sizes: dict[str, float] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.setdefault(text.strip(), round(size * tm[0], 1))

    reader, _text = _read(fil_pdf)
    for page in reader.pages:
        page.extract_text(visitor_text=visit)

    def size_of(words: str) -> float:
        return next(size for text, size in sizes.items() if words in text)

    assert size_of("May presyo, petsa") >= 14        # key points
    assert size_of("Lorna saves for an") >= 14       # a worked example
    assert size_of("Kailan nagsisimula") >= 14       # a check
    assert size_of("Aralin 9") >= 20                 # the title
    assert size_of("Tindahan") >= 12                 # a table


def test_the_command_builds_without_running(lesson, tmp_path):
    done = subprocess.run([sys.executable, "-m", "widgets.handouts", "build",
                           "economic_empowerment/09", "--no-run", "--root", str(lesson.root),
                           "--lang", "en", "fil", "--out", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "answer forms" not in done.stdout and not (tmp_path / "en" / "forms").exists()
    for language in ("en", "fil"):
        data = (tmp_path / language / "economic_empowerment" / "09-saving.pdf").read_bytes()
        _reader, text = _read(data)
        assert "Check" not in text or language == "en"
        assert ("Lesson 9" if language == "en" else "Aralin 9") in text


def test_every_lesson_with_key_points_prints_them():
    """A "Key points" heading anywhere in a lesson (first in its cell or under a case, as in
    lessons 6 and 12) puts those points on the handout, and only from that heading on."""
    lessons = cat.resolve([])
    assert len(lessons) >= 16
    for lesson in lessons:
        nb = json.loads(lesson.path.read_text())
        cells = {c.get("id"): c for c in nb["cells"]}
        text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
        if not re.search(r"^#{1,6}\s+key points\b", text, re.I | re.M):
            continue
        what = plan(nb)
        assert what.keypoints, f"{lesson.id}: its key points are not on the handout"
        for cid in what.keypoints:
            source = "".join(cells[cid]["source"])[what.keypoints_from.get(cid, 0):]
            assert re.match(r"\s*#{1,6}\s+key points\b", source, re.I), (lesson.id, source[:60])
