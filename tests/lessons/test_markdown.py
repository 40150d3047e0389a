"""Cutting markdown into messages and putting it back loses nothing, on every notebook here."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import mistune
import pytest

from widgets.lessons import markdown as md

ROOT = Path(__file__).resolve().parents[2]
RENDER = mistune.create_markdown(plugins=["table", "strikethrough"])


def _notebooks() -> list[Path]:
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "*.ipynb"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    return [ROOT / n for n in names if (ROOT / n).exists() and "widgets/apps" not in n]


def _markdown_cells() -> list[tuple[str, str]]:
    cells = []
    for path in _notebooks():
        for k, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                cells.append((f"{path.relative_to(ROOT)}:{k}", "".join(cell["source"])))
    return cells


CELLS = _markdown_cells()


def _html(text: str) -> str:
    return re.sub(r"\s+", " ", RENDER(text)).strip()


def test_there_are_cells_to_check():
    assert len(CELLS) > 300


def test_no_translation_gives_back_every_cell_exactly():
    changed = [where for where, source in CELLS if md.join(md.split(source), {}.get) != source]
    assert not changed, changed[:10]


def test_a_translation_keeps_the_structure_of_every_cell():
    """Each message written back from its msgid (one line, as a translation is written)
    renders to the same HTML as the cell, and each message lands in the page once."""
    broken, lost = [], []
    for where, source in CELLS:
        parts = md.split(source)
        if _html(md.join(parts, lambda text: text)) != _html(source):
            broken.append(where)
        tokens: dict[str, str] = {}

        def token(text: str, tokens: dict[str, str] = tokens) -> str:
            return tokens.setdefault(text, f"ZQ{len(tokens)}QZ")

        page = RENDER(md.join(parts, token))
        lost += [f"{where}: {m.text[:40]!r}" for m in md.messages(source)
                 if tokens[m.text] not in page]
    assert not broken, broken[:10]
    assert not lost, lost[:10]


@pytest.mark.parametrize("source, expected", [
    ("# Title", ["Title"]),
    ("1. one\n2. two\n   still two\n\n   - nested", ["one", "two still two", "nested"]),
    ("> quoted\n> text", ["quoted text"]),
    ("```python\nx = 'not text'\n```\nAfter.", ["After."]),
    ("| a | b |\n|---|:-:|\n| 1 | 2 |", ["a", "b"]),
    ("Born in\n2012) not a list", ["Born in 2012) not a list"]),
    ("Line one  \nline two", ["Line one\nline two"]),
    ("<!-- a comment -->\n\nText", ["Text"]),
    ("---", []),
])
def test_messages(source, expected):
    assert [m.text for m in md.messages(source)] == expected


def test_a_translated_table_cell_cannot_add_a_column():
    parts = md.split("| Stage | Cost |\n| --- | --- |\n| Before | Fee |")
    out = md.join(parts, {"Fee": "Bayad | singil"}.get)
    assert out.splitlines()[-1] == r"| Before | Bayad \| singil |"
    assert _html(out).count("<td>") == 2


def test_a_hard_break_survives_translation():
    out = md.join(md.split("- First line  \n  second line"),
                  {"First line\nsecond line": "Unang linya\nikalawang linya"}.get)
    assert out == "- Unang linya  \n  ikalawang linya"
    assert "<br" in RENDER(out)


def test_untranslated_text_can_be_marked_as_english():
    out = md.join(md.split("## Key points\n\n- Save first."), {"Key points": "Mga susing punto"}.get,
                  lambda message, raw: f'<span lang="en">{raw}</span>')
    assert out == '## Mga susing punto\n\n- <span lang="en">Save first.</span>'
    html = mistune.create_markdown(escape=False)(out)  # raw HTML passes, as in nbconvert
    assert '<li><span lang="en">Save first.</span></li>' in html
