"""A lesson notebook's text: what a translator sees, and the notebook in another language.

The notebook is the one source of a lesson's structure. Its words are of two kinds:

- every **markdown cell**, cut into headings, paragraphs, list items and table cells
  (:mod:`widgets.lessons.markdown`);
- the few **texts that code shows** (a quiz's question and options, a chart's labels, a
  table's column names), each marked in the code with ``_()`` as gettext does::

      from widgets.lessons import _
      ax.set_ylabel(_("thousand pesos"))

  ``_`` does nothing when the English notebook runs; the build writes each translation into
  the code in place of the English literal (:func:`translate_notebook`), so a built lesson
  needs no catalog at run time. Only a plain string literal can be marked: translate first,
  then format (``_("{n} months").format(n=6)``), never ``_(f"...")``.

>>> nb = {"cells": [
...     {"cell_type": "markdown", "metadata": {}, "source": "# Saving\\n\\nKeep it **safe**."},
...     {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
...      "source": 'print(_("Savings:"), peso(5000))  # not: peso, print'}]}
>>> [(f.cell, f.kind, f.text) for f in notebook_messages(nb)]
[(0, 'heading', 'Saving'), (0, 'paragraph', 'Keep it **safe**.'), (1, 'code', 'Savings:')]
>>> fil = {"Saving": "Pag-iipon", "Savings:": "Ipon:"}
>>> built, missing = translate_notebook(nb, fil.get)
>>> built["cells"][0]["source"], built["cells"][1]["source"]
('# Pag-iipon\\n\\nKeep it **safe**.', "print(_('Ipon:'), peso(5000))  # not: peso, print")
>>> missing
['Keep it **safe**.']

A ``_()`` around anything but a literal cannot be translated; :func:`code_messages` reports it
instead of silently leaving English:

>>> code_messages('x = _(f"{n} months")')[1]
['line 1: _() needs one plain string literal']

The same messages are offered to Babel as an extraction method, so ``pybabel extract`` reads
lessons too (``method = widgets.lessons.notebook:extract_notebook``).
"""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from widgets.lessons import markdown as md

__all__ = ["Found", "code_messages", "extract_notebook", "notebook_messages",
           "translate_code", "translate_notebook", "unmarked_texts"]

#: The marker function's name in lesson code.
MARKER = "_"
#: What each kind of message is, as a catalog's comment tells the translator.
KIND_NAMES = {"heading": "heading", "paragraph": "paragraph", "item": "list item",
              "cell": "table cell", "quote": "quotation", "code": "text shown by code"}


@dataclass(frozen=True)
class Found:
    """One message of a notebook: the cell it is in (0-based), its kind and its text."""

    cell: int
    kind: str
    text: str


def _source(cell: Mapping) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _marked_calls(source: str) -> tuple[list[ast.Constant], list[str]]:
    """The string literals inside ``_()`` calls, and the ``_()`` calls that are not literals."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], []  # IPython syntax (%magic): nothing marked there
    found, problems = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == MARKER:
            arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append(arg)
            else:
                problems.append(f"line {node.lineno}: _() needs one plain string literal")
    found.sort(key=lambda n: (n.lineno, n.col_offset))
    return found, problems


def code_messages(source: str) -> tuple[list[str], list[str]]:
    """The texts marked with ``_("...")`` in a code cell, and what cannot be extracted.

    >>> code_messages('quiz(Choice(prompt=_("Which costs less?"), options=(_("A"), "B")))')
    (['Which costs less?', 'A'], [])
    """
    found, problems = _marked_calls(source)
    return [n.value for n in found], problems


_PLACE = re.compile(r"(upper|lower|center) (left|right|center)")  # a legend's place


def unmarked_texts(source: str) -> list[str]:
    r"""String literals in code that look like words a reader sees (two words or more, with
    letters) but are not marked with ``_()``: what a translator would miss. Docstrings and
    comments are not counted; a reviewer decides, as some are data, not text.

    >>> unmarked_texts("'''A doc string.'''\nprint(_('Marked text'), 'Not marked yet')\nc = 'tab:orange'")
    ['Not marked yet']
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    marked = {(n.lineno, n.col_offset) for n in _marked_calls(source)[0]}
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and (node.lineno, node.col_offset) not in marked \
                and id(node) not in docstrings \
                and len(node.value.split()) >= 2 and any(ch.isalpha() for ch in node.value) \
                and not _PLACE.fullmatch(node.value):
            found.append((node.lineno, node.col_offset, node.value))
    return [text for _l, _c, text in sorted(found)]


def notebook_messages(nb: Mapping) -> list[Found]:
    """Every message of a notebook in reading order (a repeated text appears each time)."""
    out: list[Found] = []
    for index, cell in enumerate(nb.get("cells", [])):
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            out += [Found(index, m.kind, m.text) for m in md.messages(source)]
        elif cell.get("cell_type") == "code":
            out += [Found(index, "code", text) for text in code_messages(source)[0]]
    return out


def _offset(lines: list[str], lineno: int, col: int) -> int:
    """A character offset in the source from ``ast``'s (line, UTF-8 byte column)."""
    before = sum(len(line) for line in lines[:lineno - 1])
    return before + len(lines[lineno - 1].encode("utf-8")[:col].decode("utf-8"))


def translate_code(source: str, translate: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """The code with each ``_("English")`` literal replaced by ``_("translation")``.

    >>> translate_code('ax.set_title(_("Lorna\\'s plan " "(illustrative)"))',
    ...                {"Lorna's plan (illustrative)": 'Plano ni Lorna "halimbawa"'}.get)
    ('ax.set_title(_(\\'Plano ni Lorna "halimbawa"\\'))', [])
    """
    found, _problems = _marked_calls(source)
    if not found:
        return source, []
    lines = source.splitlines(keepends=True)
    missing: list[str] = []
    edits = []
    for node in found:
        translation = translate(node.value)
        if not translation:
            missing.append(node.value)
            continue
        start = _offset(lines, node.lineno, node.col_offset)
        end = _offset(lines, node.end_lineno, node.end_col_offset)
        edits.append((start, end, repr(translation)))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source, missing


def translate_notebook(nb: Mapping, translate: Callable[[str], str | None],
                       wrap: Callable[[md.Message, str], str] | None = None
                       ) -> tuple[dict, list[str]]:
    """A copy of the notebook in another language, and the messages left untranslated.

    ``translate(msgid)`` gives the translation or None. Markdown left in English goes through
    ``wrap`` (see :func:`widgets.lessons.markdown.join`). Outputs and execution counts are
    cleared: a built notebook is run by the page server.
    """
    out = copy.deepcopy(dict(nb))
    missing: list[str] = []

    def counted(text: str) -> str | None:
        result = translate(text)
        if not result:
            missing.append(text)
        return result

    for cell in out.get("cells", []):
        source = _source(cell)
        if cell.get("cell_type") == "markdown":
            cell["source"] = md.join(md.split(source), counted, wrap)
        elif cell.get("cell_type") == "code":
            cell["source"], left = translate_code(source, translate)
            missing += left
            cell["outputs"], cell["execution_count"] = [], None
    return out, missing


# --------------------------------------------------------------------------- Babel
def extract_notebook(fileobj, keywords, comment_tags, options) -> Iterator[tuple]:
    """Babel extraction method for lesson notebooks: ``(lineno, funcname, message, comments)``.

    The "line" is the cell's number (1-based), so a catalog's ``#: 01-....ipynb:7`` points
    at the seventh cell. Each message carries a comment saying what it is.

    >>> import io
    >>> data = json.dumps({"cells": [{"cell_type": "markdown", "metadata": {},
    ...                               "source": ["## Key points\\n", "\\n", "- Save first."]}]})
    >>> list(extract_notebook(io.BytesIO(data.encode()), ["_"], [], {}))
    [(1, '_', 'Key points', ['heading']), (1, '_', 'Save first.', ['list item'])]
    """
    nb = json.loads(fileobj.read().decode("utf-8"))
    for found in notebook_messages(nb):
        yield found.cell + 1, MARKER, found.text, [KIND_NAMES.get(found.kind, found.kind)]
