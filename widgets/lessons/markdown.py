"""A lesson's markdown as the sentences a translator translates, and back.

A markdown cell is cut into *messages*, the units of a gettext catalog: each heading, each
paragraph, each list item and each table cell is one message; everything around them (the
``## `` of a heading, the ``- `` or ``1. `` of an item, the ``|`` of a table, blank lines,
code blocks) stays as it is. :func:`split` does the cutting and :func:`join` puts the cell
back together with each message replaced by its translation.

>>> cell = '''## Key points
...
... - A goal has a price, a date
...   and an owner.
... - Plan for an early return, too.
...
... | Stage | Question |
... | --- | --- |
... | **Before leaving** | Who pays? |'''
>>> [m.text for m in messages(cell)]
['Key points', 'A goal has a price, a date and an owner.', 'Plan for an early return, too.', 'Stage', 'Question', '**Before leaving**', 'Who pays?']

A paragraph written over several lines is one message on one line (markdown renders a line
break inside a paragraph as a space). With no translation, :func:`join` gives back the cell
exactly as it was:

>>> join(split(cell), {}.get) == cell
True
>>> print(join(split(cell), {"Key points": "Mga susing punto",
...                          "Who pays?": "Sino ang magbabayad?"}.get))
## Mga susing punto
<BLANKLINE>
- A goal has a price, a date
  and an owner.
- Plan for an early return, too.
<BLANKLINE>
| Stage | Question |
| --- | --- |
| **Before leaving** | Sino ang magbabayad? |

Only text with a letter in it is a message: numbers and signs stay as they are.

>>> [m.text for m in messages("| Month | Amount |\\n| --- | --- |\\n| 3 | ₱3,000 |")]
['Month', 'Amount']

A translation is written on one line, whatever line breaks it holds, so that it cannot start a
new list item or heading by accident:

>>> join(split("- An item"), {"An item": "Isang bagay\\n# hindi heading"}.get)
'- Isang bagay # hindi heading'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

__all__ = ["Message", "is_table_rule", "join", "messages", "row_cells", "split"]


@dataclass(frozen=True)
class Message:
    """One translatable piece of a markdown cell.

    ``text`` is the msgid: the piece's words on one line (its lines joined with a space).
    ``raw`` is the piece exactly as the cell has it, written back when there is no
    translation. ``kind`` (``heading``, ``paragraph``, ``item``, ``cell``, ``quote``) tells a translator
    where the text stands.
    """

    text: str
    raw: str
    kind: str


Part = str | Message

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)([ \t]+#+)?([ \t]*)$")
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+)(\S.*)$")
_TABLE = re.compile(r"^ {0,3}\|")
_QUOTE = re.compile(r"^( {0,3}>[ \t]?)(.*)$")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_LETTER = re.compile(r"[^\W\d_]")
_HARD_BREAK = re.compile(r"( {2,}|\\)$")


def _has_words(text: str) -> bool:
    return bool(_LETTER.search(text))


def _starts_block(line: str, in_list: bool) -> bool:
    """Whether ``line`` ends the paragraph above it (CommonMark's interruptions)."""
    if not line.strip() or _FENCE.match(line) or _HEADING.match(line) or _RULE.match(line) \
            or _TABLE.match(line) or _QUOTE.match(line):
        return True
    item = _ITEM.match(line)
    if item:
        # Inside a list every marker starts an item; after plain text only a bullet or "1."
        marker = item.group(2)
        return in_list or not marker[0].isdigit() or marker[:-1] == "1"
    return False


def _cells(row: str) -> Iterator[Part]:
    """A table row as ``|`` separators and cell messages (``\\|`` and `code` kept whole)."""
    pieces: list[str] = []
    current, in_code, i = "", False, 0
    while i < len(row):
        ch = row[i]
        if ch == "\\" and i + 1 < len(row):
            current += row[i:i + 2]
            i += 2
            continue
        if ch == "`":
            in_code = not in_code
        if ch == "|" and not in_code:
            pieces.append(current)
            pieces.append("|")
            current = ""
        else:
            current += ch
        i += 1
    pieces.append(current)
    for piece in pieces:
        if piece == "|" or not _has_words(piece):
            yield piece
            continue
        text = piece.strip()
        start = piece.index(text)
        yield piece[:start]
        yield Message(text, text, "cell")
        yield piece[start + len(text):]


def row_cells(row: str) -> list[str]:
    """The cells of a markdown table row, stripped (a `code|span` is kept whole).

    >>> row_cells("| **Before leaving** | Type `a|b` here |")
    ['**Before leaving**', 'Type `a|b` here']
    """
    pieces, current = [], ""
    for part in _cells(row):
        if part == "|":
            pieces.append(current)
            current = ""
        else:
            current += part.raw if isinstance(part, Message) else part
    pieces.append(current)
    if row.strip().startswith("|"):
        pieces = pieces[1:]
    if row.strip().endswith("|") and not row.strip().endswith("\\|"):
        pieces = pieces[:-1]
    return [p.strip() for p in pieces]


def is_table_rule(line: str) -> bool:
    """Whether a line is a table's ``| --- | :---: |`` rule."""
    return bool(_TABLE_RULE.match(line))


def split(markdown: str) -> list[Part]:
    """The cell as a list of verbatim strings and :class:`Message` s (in order)."""
    lines = markdown.split("\n")
    parts: list[Part] = []
    i, in_list = 0, False

    def newline(index: int) -> None:
        if index < len(lines) - 1:
            parts.append("\n")

    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:  # a code block: verbatim up to its closing fence
            end = i + 1
            while end < len(lines) and not lines[end].strip().startswith(fence.group(1)):
                end += 1
            end = min(end, len(lines) - 1)
            parts.append("\n".join(lines[i:end + 1]))
            newline(end)
            i = end + 1
            continue
        if not line.strip() or _RULE.match(line) or line.lstrip().startswith("<!--"):
            in_list = in_list and bool(line.strip() == "" or line.startswith((" ", "\t")))
            parts.append(line)
            newline(i)
            i += 1
            continue
        if _TABLE.match(line):
            if _TABLE_RULE.match(line):
                parts.append(line)
            else:
                parts.extend(_cells(line))
            newline(i)
            i += 1
            in_list = False
            continue
        quote = _QUOTE.match(line)
        if quote:  # a quoted paragraph: its lines without their ">" are one message
            end = i
            while end < len(lines) and (q := _QUOTE.match(lines[end])) and q.group(2).strip():
                end += 1
            if end == i:  # an empty quote line
                parts.append(line)
                newline(i)
                i += 1
                continue
            text = " ".join(_QUOTE.match(x).group(2).strip() for x in lines[i:end])
            raw = "\n".join(lines[i:end])[len(quote.group(1)):]
            parts += [quote.group(1), Message(text, raw, "quote") if _has_words(text) else raw]
            newline(end - 1)
            i, in_list = end, False
            continue
        heading = _HEADING.match(line)
        if heading:
            prefix, text, closing, trailing = heading.groups()
            if _has_words(text):
                parts += [prefix, Message(text, text, "heading"), (closing or "") + trailing]
            else:
                parts.append(line)
            newline(i)
            i += 1
            in_list = False
            continue
        item = _ITEM.match(line)
        if item:
            prefix = item.group(1) + item.group(2) + item.group(3)
            kind, in_list = "item", True
        else:
            prefix = line[:len(line) - len(line.lstrip())]
            kind, in_list = "paragraph", in_list and bool(prefix)
        end = i + 1
        while end < len(lines) and not _starts_block(lines[end], in_list):
            end += 1
        body = [line[len(prefix):]] + lines[i + 1:end]
        raw = "\n".join(body)
        text = ""
        for k, piece in enumerate(body):
            piece = piece.strip() if k else piece.rstrip()
            if k and text and not text.endswith("\n"):
                text += " "
            text += piece
            if k < len(body) - 1 and _HARD_BREAK.search(body[k]):
                text = text.rstrip(" \\") + "\n"
        if _has_words(text):
            parts += [prefix, Message(text, raw, kind)]
        else:
            parts += [prefix, raw]
        newline(end - 1)
        i = end
    return parts


def messages(markdown: str) -> list[Message]:
    """The messages of a cell, in order (a repeated text appears each time)."""
    return [p for p in split(markdown) if isinstance(p, Message)]


def _written(message: Message, translation: str, prefix: str) -> str:
    """A translation as it stands in the cell: one line, or one line per hard break."""
    lines = [" ".join(part.split()) for part in translation.split("\n")]
    if message.kind in ("heading", "cell") or "\n" not in message.text:
        return " ".join(line for line in lines if line)
    indent = " " * len(prefix.expandtabs())
    return ("  \n" + indent).join(lines)


def join(parts: list[Part], translate: Callable[[str], str | None],
         wrap: Callable[[Message, str], str] | None = None) -> str:
    """The cell again, each message replaced by ``translate(message.text)``.

    When ``translate`` gives None or '' the message is written as it was (``raw``), passed
    through ``wrap(message, raw)`` if given (a page uses it to mark English left in a
    translated page with ``lang="en"``). A table cell's translation has its ``|`` escaped.
    """
    out: list[str] = []
    prefix = ""
    for part in parts:
        if not isinstance(part, Message):
            out.append(part)
            prefix = part if part.strip(" \t-*+0123456789.)#") == "" else prefix
            continue
        translation = translate(part.text)
        if translation:
            text = _written(part, translation, prefix)
            if part.kind == "cell":
                text = re.sub(r"(?<!\\)\|", r"\\|", text)
            out.append(text)
        else:
            out.append(wrap(part, part.raw) if wrap else part.raw)
    return "".join(out)
