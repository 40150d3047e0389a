"""An answer form on paper: every question of an exercise or check-in with a box to write in.

For people who answer without a device. The PDF is made from the form's own metadata
(:mod:`widgets.forms.model`: each question's label, plain explanation, kind and options, in
the person's language), never from the cells' code, so no model answer can reach the paper.
Questions are numbered in the form's order; the facilitator types the answers into the same
form, where they are graded like everyone's.

What each kind of question gets:

=========================  =================================================================
``money``                  a one-line box starting with the currency's sign
``number`` ``integer``     a one-line box (with its unit, ``%`` for a percent)
``percent``
``choice`` ``yesno``       one tick box per option ("Tick one box.")
``date``                   a box for day, month and year
``text``                   a box with two to six lines, by the answer's length
reflection                 a box with eight lines
=========================  =================================================================

The texts between the questions (the case, a table) are printed as the form shows them, in
the person's language when the form has them translated (``metadata["homeward"]["text"]``).
A text meant for the screen only (how to type an answer in JupyterLab) is tagged
``not-on-paper`` and left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from widgets.forms.model import (
    REFLECTION,
    REVIEW_NEEDED,
    Question,
    Reflection,
    Text,
    form_items,
    translation_status,
)
from widgets.i18n import LANGUAGES as LANGUAGE_NAMES
from widgets.i18n import N_, gettext_for
from widgets.lessons.build import NOT_REVIEWED
from widgets.money import CURRENCIES, currency_symbol

__all__ = ["form_pdf", "form_title", "printed_questions"]

ANSWER_FORM = N_("Answer form")
HOW = N_("Write your answers in the boxes. Your facilitator types them into the same form on "
         "the computer, so they are graded like everyone's.")
QUESTION = N_("Question {n}")
DATE_HINT = N_("Day, month and year")
YES, NO = N_("yes"), N_("no")
FACILITATOR = N_("For the facilitator: typed into the form by ______________ "
                 "on ______________.")
#: The tag of a text cell that a form or handout leaves off paper.
NOT_ON_PAPER = "not-on-paper"
_HEADING = re.compile(r"^\s{0,3}#\s+(.+)$", re.M)


def form_title(nb: Mapping, language: str = "en") -> str:
    """The form's title: its first ``# `` heading, in the language if translated."""
    for item in form_items(nb):
        if isinstance(item, Text):
            found = _HEADING.search(item.text(language))
            if found:
                return found.group(1).strip()
    return ""


def _drop_title(text: str) -> str:
    return _HEADING.sub("", text, count=1).strip()


def _left_out(nb: Mapping, item: Text) -> bool:
    """A text not for paper: an nbgrader solution, or a cell tagged ``not-on-paper`` (say,
    how to type answers in JupyterLab)."""
    meta = (nb.get("cells") or [])[item.cell].get("metadata") or {}
    return bool((meta.get("nbgrader") or {}).get("solution")) \
        or NOT_ON_PAPER in (meta.get("tags") or [])


def printed_questions(nb: Mapping, language: str = "en") -> list[str]:
    """Each question's printed label, numbered as on the paper (tests read them back)."""
    return [item.text("label", language) for item in form_items(nb)
            if isinstance(item, Question | Reflection)]


def _lines_for(question: Question) -> int:
    chars = question.max_chars or 300
    return max(2, min(6, chars // 70))


def form_pdf(nb: Mapping, language: str = "en", title: str | None = None) -> bytes:
    """The form as an A4 PDF to print and answer with a pen (``nb``: the source or the
    released notebook of an exercise or check-in in the answer-form format)."""
    from widgets.handouts.pdf import HandoutPDF

    _ = gettext_for(language)
    title = title or form_title(nb, language) or _(ANSWER_FORM)
    pdf = HandoutPDF(title, language, footer="Homeward")
    pdf.add_page()
    pdf.title_block(title, f"{_(ANSWER_FORM)} · {LANGUAGE_NAMES.get(language, language)}")
    pdf.paragraph(_(HOW), 12)
    pdf.ln(2)
    pdf.name_line()
    if language != "en" and translation_status(nb).get(language) == REVIEW_NEEDED:
        pdf.notice(_(NOT_REVIEWED))
    number = 0
    first_text = True
    for item in form_items(nb):
        if isinstance(item, Text):
            if _left_out(nb, item):
                continue
            text = item.text(language)
            if first_text:
                text, first_text = _drop_title(text), False
            if text.strip():
                pdf.markdown(text, 12)
            continue
        number += 1
        label = item.text("label", language)
        help_text = item.text("help", language)
        pdf.keep(45)
        pdf.caption(_(QUESTION).format(n=number))
        if item.kind == REFLECTION:
            pdf.writing_box(label, lines=8, hint=help_text)
            continue
        kind = item.kind
        unit = item.text("unit", language)
        if kind in ("choice", "yesno"):
            pdf.set_font("f0", "B", 14)
            pdf.multi_cell(0, 7.2, label, align="L", new_x="LMARGIN", new_y="NEXT")
            if help_text:
                pdf.paragraph(help_text, 11, grey=True)
            options = ([o.text(language) for o in item.options] if kind == "choice"
                       else [_(YES).capitalize(), _(NO).capitalize()])
            pdf.tick_boxes(options)
            pdf.ln(2)
            continue
        prefix, suffix = "", unit
        if kind == "money" and item.currency in CURRENCIES:
            prefix = currency_symbol(item.currency, language)
        if kind == "percent":
            suffix = "%"
        hint = help_text
        if kind == "date":
            hint = f"{help_text} ({_(DATE_HINT)})".strip() if help_text else _(DATE_HINT)
        lines = _lines_for(item) if kind == "text" else 1
        pdf.writing_box(label, lines=lines, hint=hint, prefix=prefix, suffix=suffix)
    pdf.ln(4)
    pdf.paragraph(_(FACILITATOR), 10, grey=True)
    return bytes(pdf.output())
