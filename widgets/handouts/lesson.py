"""A lesson's printed handout, in the reader's language, for rooms without devices.

What goes on the handout is marked in the lesson notebook (small touches of metadata, no
change to the text):

=======================  ==================================================================
the title                the lesson's first heading
``Key points``           the cell whose first heading is "Key points" (or any cell tagged
                         ``handout-keypoints``) comes first, under the title; in a cell where
                         "Key points" is a later heading, the part from that heading on
cells tagged             in the lesson's order: markdown as text (worked examples, tables);
``handout``              a code cell's results: charts (drawn at print resolution), tables,
                         printed lines, and its quizzes as "Check yourself" questions with
                         tick boxes (their answers are printed at the end)
cells tagged             a worksheet: its text, then a box with ruled lines under each list
``worksheet``            item, and each table with empty rows to fill in
                         (``metadata["homeward"]["worksheet_lines"]``: lines per box, 4)
=======================  ==================================================================

Then come the glossary words the lesson links to, with their explanations, and a box for
notes. Trainer's notes (a paragraph starting "*Trainer's note*") are left out.
Without any tag a lesson's handout still has its title, key points, words and notes.

The text is the lesson's translation (:mod:`widgets.lessons`): what is not translated yet
prints in English, and the handout says so, as the page does. Charts, tables and quizzes come
from running the built lesson in its language once (:func:`run_lesson`).
"""

from __future__ import annotations

import base64
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from widgets.glossary.model import linked_terms, lookup
from widgets.i18n import LANGUAGES as LANGUAGE_NAMES
from widgets.i18n import N_, gettext_for
from widgets.lessons import markdown as md
from widgets.lessons.build import build_notebook
from widgets.lessons.catalogs import Lesson, translations
from widgets.money import CURRENCIES, format_money, format_number

__all__ = ["Handout", "lesson_handout", "plan", "run_lesson"]

HANDOUT = N_("Handout")
CHECK_YOURSELF = N_("Check yourself")
ANSWERS = N_("Answers to “Check yourself”")
WORDS = N_("Words in this lesson")
NOTES = N_("My notes")
WRITE_NUMBER = N_("Write your answer:")

TAG_HANDOUT, TAG_WORKSHEET, TAG_KEYPOINTS = "handout", "worksheet", "handout-keypoints"
_KEY_POINTS = re.compile(r"^\s*key points\b", re.I)
_KEY_POINTS_LINE = re.compile(r"^#{1,6}\s+key points\b", re.I | re.M)
_TRAINER = re.compile(r"^\W*trainer'?s note", re.I)


@dataclass
class Handout:
    """What a lesson's handout holds, in order (see :func:`plan`)."""

    title_cell: str | None = None
    keypoints: list[str] = field(default_factory=list)
    #: cells whose "Key points" heading comes after other text: where that part starts
    keypoints_from: dict[str, int] = field(default_factory=dict)
    body: list[tuple[str, str]] = field(default_factory=list)  # (role, cell id)
    terms: list[str] = field(default_factory=list)


def _tags(cell: dict) -> list[str]:
    return list((cell.get("metadata") or {}).get("tags") or [])


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def plan(nb: dict) -> Handout:
    """Which cells of a (source) lesson go on its handout, by cell id.

    >>> nb = {"cells": [
    ...     {"id": "t", "cell_type": "markdown", "metadata": {}, "source": "# Lesson 1"},
    ...     {"id": "x", "cell_type": "markdown", "metadata": {"tags": ["handout"]},
    ...      "source": "An [emergency fund](../glossary.ipynb#emergency-fund)."},
    ...     {"id": "c", "cell_type": "code", "metadata": {"tags": ["handout"]}, "source": ""},
    ...     {"id": "k", "cell_type": "markdown", "metadata": {}, "source": "## Key points"}]}
    >>> p = plan(nb)
    >>> p.title_cell, p.keypoints, p.body, p.terms
    ('t', ['k'], [('handout', 'x'), ('handout', 'c')], ['emergency-fund'])

    Key points under a later heading of a cell are found too (from that heading on):

    >>> nb["cells"][3]["source"] = "## 8. Case\\n\\nAna pays.\\n\\n## Key points\\n\\n- Ask first."
    >>> p = plan(nb)
    >>> p.keypoints, nb["cells"][3]["source"][p.keypoints_from["k"]:]
    (['k'], '## Key points\\n\\n- Ask first.')
    """
    out = Handout()
    for cell in nb.get("cells", []):
        cid, tags, source = cell.get("id"), _tags(cell), _source(cell)
        if cell.get("cell_type") == "markdown":
            out.terms += [t for t in linked_terms(source) if t not in out.terms]
            headings = [m for m in md.messages(source) if m.kind == "heading"]
            if out.title_cell is None and headings:
                out.title_cell = cid
                continue
            if TAG_KEYPOINTS in tags or (headings and _KEY_POINTS.match(headings[0].text)
                                         and source.lstrip().startswith("#")):
                out.keypoints.append(cid)
                continue
            later = _KEY_POINTS_LINE.search(source)
            if later is not None:
                out.keypoints.append(cid)
                out.keypoints_from[cid] = later.start()
        if TAG_WORKSHEET in tags:
            out.body.append(("worksheet", cid))
        elif TAG_HANDOUT in tags:
            out.body.append(("handout", cid))
    return out


def translated_markdown(source: str, table: dict[str, str]) -> str:
    """A markdown cell in the handout's language, without trainer's notes.

    >>> translated_markdown("Save.\\n\\n*Trainer's note.* Ask the group.", {"Save.": "Mag-ipon."})
    'Mag-ipon.\\n\\n'
    """
    parts = md.split(source)
    kept: list = []
    for part in parts:
        if isinstance(part, md.Message) and _TRAINER.match(part.text):
            if kept and isinstance(kept[-1], str) and not kept[-1].strip():
                kept.pop()  # its (empty) prefix
            continue
        kept.append(part)
    return md.join(kept, table.get)


# --------------------------------------------------------------------------- running
def run_lesson(built: dict, cwd: Path, timeout: int = 300) -> dict:
    """Run a built lesson once with quizzes and tables captured as data (see
    :mod:`widgets.handouts.capture`); returns the notebook with its outputs."""
    import nbformat
    from nbclient import NotebookClient

    nb = copy.deepcopy(built)
    language = (nb.get("metadata", {}).get("homeward", {}).get("lesson", {})
                .get("language", "en"))
    nb["cells"].insert(0, {
        "cell_type": "code", "execution_count": None, "id": "homeward-capture", "metadata": {},
        "outputs": [], "source": "from widgets.handouts.capture import start_capture\n\n"
                                 f"start_capture({language!r})"})
    node = nbformat.from_dict(nb)
    client = NotebookClient(node, timeout=timeout, kernel_name="python3",
                            extra_arguments=["--IPKernelApp.log_level=40"],
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return node


def _outputs(executed: dict) -> dict[str, list[dict]]:
    return {c.get("id"): c.get("outputs", []) for c in executed.get("cells", [])
            if c.get("cell_type") == "code"}


# --------------------------------------------------------------------------- writing
def _number_text(answer: float, unit: str, digits: int, language: str) -> str:
    if unit in CURRENCIES:
        return format_money(answer, unit, language, cents=digits > 0)
    text = format_number(answer, language, digits)
    return f"{text} {unit}".strip()


class _Writer:
    """Puts one lesson's handout on paper."""

    def __init__(self, pdf, language: str, table: dict[str, str], outputs: dict):
        self.pdf, self.language, self.table, self.outputs = pdf, language, table, outputs
        self._ = gettext_for(language)
        self.quizzes: list[dict] = []

    def markdown_cell(self, cell: dict) -> None:
        self.pdf.markdown(translated_markdown(_source(cell), self.table))

    def code_cell(self, cell: dict) -> None:
        for output in self.outputs.get(cell.get("id"), []):
            data = output.get("data") or {}
            payload = data.get("application/json") or {}
            if "homeward_quiz" in payload:
                self.quiz(payload["homeward_quiz"])
            elif "homeward_table" in payload:
                t = payload["homeward_table"]
                self.pdf.table_rows(t["columns"], t["rows"])
            elif "image/png" in data:
                self.pdf.png(base64.b64decode(data["image/png"]))
            elif output.get("output_type") == "stream" and output.get("name") == "stdout":
                for line in output.get("text", "").splitlines():
                    if line.strip():
                        self.pdf.paragraph(line)
                self.pdf.ln(2)

    def quiz(self, q: dict) -> None:
        self.quizzes.append(q)
        pdf, _ = self.pdf, self._
        pdf.keep(40)
        pdf.caption(f"{_(CHECK_YOURSELF)} ({len(self.quizzes)})")
        pdf.paragraph(q["prompt"])
        pdf.ln(1)
        if q["kind"] == "choice":
            pdf.tick_boxes(q["options"])
        else:
            unit = q.get("unit") or ""
            prefix = ""
            if unit in CURRENCIES:
                from widgets.money import currency_symbol

                prefix = currency_symbol(unit, self.language)
            pdf.writing_box("", lines=1, hint=_(WRITE_NUMBER), prefix=prefix)
        pdf.ln(2)

    def worksheet_cell(self, cell: dict) -> None:
        lines = int(((cell.get("metadata") or {}).get("homeward") or {})
                    .get("worksheet_lines", 4))
        text = translated_markdown(_source(cell), self.table)
        from widgets.handouts.pdf import blocks

        for kind, block in blocks(text):
            if kind == "table":
                header, *rows = [md.row_cells(x) for x in block if not md.is_table_rule(x)]
                self.pdf.table_rows(header, rows, blank_rows=3, row_mm=13)
                continue
            pending: list[str] = []
            for part in md.split(block):
                if isinstance(part, md.Message) and part.kind == "item":
                    marker = pending.pop() if pending else ""
                    if "".join(pending).strip():
                        self.pdf.markdown("".join(pending))
                    pending = []
                    number = marker.strip()
                    words = len(part.raw) // 60 + 1
                    self.pdf.keep(words * 7.5 + lines * 9 + 10)
                    self.pdf.markdown(f"**{number}** {part.raw}" if number[:1].isdigit()
                                      else f"**•** {part.raw}")
                    self.pdf.writing_box("", lines=lines)
                else:
                    pending.append(part if isinstance(part, str) else part.raw)
            if "".join(pending).strip():
                self.pdf.markdown("".join(pending))

    def answers(self) -> None:
        if not self.quizzes:
            return
        pdf, _ = self.pdf, self._
        pdf.heading(_(ANSWERS), 3)
        for k, q in enumerate(self.quizzes, 1):
            if q["kind"] == "choice":
                answer = q["options"][q["answer"]]
            else:
                answer = _number_text(q["answer"], q.get("unit") or "", q.get("digits", 0),
                                      self.language)
            explanation = f" {q['explanation']}" if q.get("explanation") else ""
            pdf.paragraph(f"{k}. {answer}.{explanation}", 11)
            pdf.ln(1)


def lesson_handout(lesson: Lesson, language: str, executed: dict | None = None,
                   nb: dict | None = None, table: dict[str, str] | None = None,
                   status: dict | None = None) -> bytes:
    """The handout of one lesson in one language, as PDF bytes.

    ``executed`` is the built lesson after :func:`run_lesson` (it gives the charts, tables
    and quizzes); without it the handout has the lesson's text only.
    """
    from widgets.handouts.pdf import HandoutPDF

    nb = nb if nb is not None else lesson.notebook()
    if table is None:
        table = translations(lesson, language) if language != "en" else {}
    _built, info = build_notebook(lesson, language, nb, table, status)
    _ = gettext_for(language)
    cells = {c.get("id"): c for c in nb.get("cells", [])}
    what = plan(nb)
    pdf = HandoutPDF(info.title, language, footer="Homeward")
    pdf.add_page()
    pdf.title_block(info.title, f"{_(HANDOUT)} · {LANGUAGE_NAMES.get(language, language)}")
    if info.notice:
        pdf.notice(info.notice)
    if any(role == "worksheet" for role, _cid in what.body):
        pdf.name_line()
    writer = _Writer(pdf, language, table, _outputs(executed) if executed else {})
    for cid in what.keypoints:
        cell = cells[cid]
        if cid in what.keypoints_from:  # only the part from its "Key points" heading on
            cell = {**cell, "source": _source(cell)[what.keypoints_from[cid]:]}
        writer.markdown_cell(cell)
    for role, cid in what.body:
        cell = cells[cid]
        if role == "worksheet":
            writer.worksheet_cell(cell)
        elif cell.get("cell_type") == "markdown":
            writer.markdown_cell(cell)
        else:
            writer.code_cell(cell)
    if what.terms:
        pdf.heading(_(WORDS), 3)
        for term in what.terms:
            try:
                entry = lookup(term)
            except KeyError:
                continue
            pdf.markdown(f"**{entry.text('term', language)}**: "
                         f"{entry.text('explanation', language)}", 12)
    pdf.writing_box(_(NOTES), lines=5)
    writer.answers()
    return bytes(pdf.output())
