"""Answer forms on paper: every question, in the person's language, A4, no model answer."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from widgets.forms.model import questions, reflections, source_answer_cell, source_reflection_cell
from widgets.handouts.__main__ import exercise_notebooks
from widgets.handouts.forms import form_pdf, printed_questions

ROOT = Path(__file__).resolve().parents[2]
A4 = (595.28, 841.89)


def _label(en: str, fil: str, ident: str) -> dict:
    return {"en": en, "fil": fil, "id": ident}


def every_kind_form() -> dict:
    """A form with one question of each kind; the model answers are words never to print."""
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {},
         "source": "# Exercise 9: Lorna's plan\n\nLorna sends **₱15,000** a month (*illustrative*)."},
        {"cell_type": "markdown", "id": "howto", "metadata": {"tags": ["not-on-paper"]},
         "source": "In JupyterLab, replace None by your answer."},
        source_answer_cell("q-money", {"name": "fee", "kind": "money", "currency": "PHP",
                                       "label": _label("What does sending cost?",
                                                       "Magkano ang gastos sa pagpapadala?",
                                                       "Berapa biaya pengirimannya?")}, 475.25),
        source_answer_cell("q-months", {"name": "months", "kind": "integer",
                                        "unit": _label("months", "buwan", "bulan"),
                                        "label": _label("How many months?", "Ilang buwan?",
                                                        "Berapa bulan?")}, 17),
        source_answer_cell("q-share", {"name": "share", "kind": "percent",
                                       "label": _label("What share is the fee?",
                                                       "Anong bahagi ang bayad?",
                                                       "Berapa bagian biayanya?")}, 3.17),
        source_answer_cell("q-offer", {"name": "offer", "kind": "choice", "label": _label(
            "Which offer costs less?", "Aling alok ang mas mura?", "Tawaran mana yang lebih murah?"),
            "options": [{"value": "bank", "label": _label("The bank", "Ang bangko", "Bank")},
                        {"value": "app", "label": _label("The app", "Ang app", "Aplikasi")}]},
            "app"),
        source_answer_cell("q-ok", {"name": "agreed", "kind": "yesno", "label": _label(
            "Did they agree together?", "Nagkasundo ba sila?", "Apakah mereka sepakat?"),
            "help": _label("Read the case again.", "Basahin ulit ang kaso.",
                           "Baca kasusnya lagi.")}, True),
        source_answer_cell("q-date", {"name": "when", "kind": "date", "label": _label(
            "When does she come home?", "Kailan siya uuwi?", "Kapan dia pulang?")},
            "2027-03-01"),
        source_answer_cell("q-text", {"name": "first_step", "kind": "text", "label": _label(
            "Her first step?", "Ang una niyang hakbang?", "Langkah pertamanya?")},
            "zebracrossing-model-answer"),
        source_reflection_cell("q-plan", {"name": "plan", "kind": "reflection", "label": _label(
            "My plan", "Ang plano ko", "Rencana saya")}, "quokka-model-plan", points=4),
    ]
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": {"kernelspec": {"name": "python3"},
                         "homeward": {"review": {"fil": "reviewed by A. Cruz"}}}}


def _text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


@pytest.mark.parametrize("language", ["en", "fil", "id"])
def test_every_question_is_on_the_paper_in_her_language(language):
    nb = every_kind_form()
    reader, text = _text(form_pdf(nb, language))
    assert all((float(p.mediabox.width), float(p.mediabox.height)) == pytest.approx(A4, abs=0.1)
               for p in reader.pages)
    labels = printed_questions(nb, language)
    assert len(labels) == len(questions(nb)) + len(reflections(nb)) == 8
    for label in labels:
        assert label in text, label
    for k in range(1, 9):
        assert {"en": "Question", "fil": "Tanong", "id": "Pertanyaan"}[language] + f" {k}" in text
    options = {"en": ["The bank", "The app", "Yes", "No"],
               "fil": ["Ang bangko", "Ang app", "Oo", "Hindi"],
               "id": ["Bank", "Aplikasi", "Ya", "Tidak"]}[language]
    assert all(option in text for option in options)
    assert {"en": "Answer form", "fil": "Sagutang papel", "id": "Lembar jawaban"}[language] in text
    assert "Exercise 9: Lorna's plan" in text and "₱" in text
    assert reader.metadata.title == "Exercise 9: Lorna's plan"


def test_no_model_answer_and_no_screen_only_text_reach_the_paper():
    for language in ("en", "fil", "id"):
        _reader, text = _text(form_pdf(every_kind_form(), language))
        for secret in ("zebracrossing", "quokka", "475.25", "2027", "BEGIN SOLUTION",
                       "replace None"):
            assert secret not in text, (language, secret)


def test_the_review_notice_follows_the_form():
    _r, fil = _text(form_pdf(every_kind_form(), "fil"))
    _r, ident = _text(form_pdf(every_kind_form(), "id"))
    assert "Hindi pa nasusuri" not in fil  # reviewed in the form's metadata
    assert "belum diperiksa oleh penutur asli" in ident


def test_a_real_exercise_in_every_language():
    forms = [p for p in exercise_notebooks()
             if questions(json.loads(p.read_text(encoding="utf-8")))]
    assert forms, "no exercise in the answer-form format"
    nb = json.loads(forms[0].read_text(encoding="utf-8"))
    for language in ("en", "fil", "id"):
        _reader, text = _text(form_pdf(nb, language))
        for label in printed_questions(nb, language):
            assert re.sub(r"\s+", " ", label) in text, (forms[0].stem, language, label)


def test_the_command_prints_the_forms(tmp_path):
    exercises = tmp_path / "exercises" / "ex09_plan"
    exercises.mkdir(parents=True)
    (exercises / "ex09_plan.ipynb").write_text(json.dumps(every_kind_form()))
    old = tmp_path / "exercises" / "ex01_code"
    old.mkdir()
    (old / "ex01_code.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
    done = subprocess.run([sys.executable, "-m", "widgets.handouts", "build", "--forms",
                           "--exercises", str(tmp_path / "exercises"), "--lang", "fil", "id",
                           "--out", str(tmp_path / "out")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "answer forms: 2 PDFs" in done.stdout
    assert "ex01_code: not an answer form yet" in done.stderr
    assert (tmp_path / "out" / "fil" / "forms" / "ex09_plan.pdf").read_bytes()[:5] == b"%PDF-"
