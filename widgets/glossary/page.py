"""The glossary as a page: markdown in the reader's language, one section per letter.

>>> text = glossary_markdown("fil")
>>> text.splitlines()[0]
'# Glosaryo: mga salita sa kurso'
>>> '### <a id="flat-rate"></a>flat rate (patag na interes)' in text
True
>>> "[interes (tubo ng utang)](#interest)" in text      # "see also" links stay on the page
True

:func:`glossary_notebook` is the page the lesson build writes for each language, next to the
lessons (``build/lessons/<lang>/glossary.ipynb``), so that a lesson's link
``../glossary.ipynb#flat-rate`` opens the entry in the same language. It has no code: it
shows at once.
"""

from __future__ import annotations

import hashlib
import json

from widgets.glossary.model import Entry, entries, lookup
from widgets.i18n import N_, gettext_for

__all__ = ["fingerprint", "glossary_markdown", "glossary_notebook", "letter_of"]

TITLE = N_("Glossary: words of the course")
INTRO = N_("Plain explanations of the words you meet in the lessons. The numbers in the "
           "examples are illustrative: made up for practice.")
EXAMPLE = N_("Example:")
ALSO_CALLED = N_("Also called:")
SEE_ALSO = N_("See also:")
LETTERS = N_("Letters:")


def letter_of(term: str) -> str:
    """The letter a term is filed under (digits and signs under '#').

    >>> letter_of("ápr"), letter_of("5-6 lender")
    ('A', '#')
    """
    from widgets.glossary.model import _sort_key

    first = _sort_key(term)[:1].upper()
    return first if first.isalpha() else "#"


def entry_markdown(entry: Entry, language: str) -> str:
    """One entry: its term as a heading with its id as anchor, then the explanation."""
    _ = gettext_for(language)
    lines = [f'### <a id="{entry.id}"></a>{entry.text("term", language)}', "",
             entry.text("explanation", language)]
    if entry.example:
        lines += ["", f"*{_(EXAMPLE)}* {entry.text('example', language)}"]
    if entry.local_names:
        lines += ["", f"*{_(ALSO_CALLED)}* {', '.join(entry.local_names)}"]
    if entry.see:
        links = ", ".join(f"[{lookup(s).text('term', language)}](#{s})" for s in entry.see)
        lines += ["", f"*{_(SEE_ALSO)}* {links}"]
    return "\n".join(lines)


def _sections(language: str) -> list[tuple[str, list[Entry]]]:
    sections: dict[str, list[Entry]] = {}
    for entry in entries(language):
        sections.setdefault(letter_of(entry.text("term", language)), []).append(entry)
    return list(sections.items())


def _anchor(letter: str) -> str:
    return "letter-" + (letter.lower() if letter.isalpha() else "other")


def _head(language: str) -> str:
    _ = gettext_for(language)
    letters = " · ".join(f"[{letter}](#{_anchor(letter)})" for letter, _e in _sections(language))
    return f"# {_(TITLE)}\n\n{_(INTRO)}\n\n{_(LETTERS)} {letters}"


def _section(letter: str, items: list[Entry], language: str) -> str:
    body = "\n\n".join(entry_markdown(e, language) for e in items)
    return f'## <a id="{_anchor(letter)}"></a>{letter}\n\n{body}'


def glossary_markdown(language: str = "en") -> str:
    """The whole glossary page as one markdown text."""
    return "\n\n".join([_head(language)] + [_section(letter, items, language)
                                            for letter, items in _sections(language)])


def fingerprint(language: str) -> str:
    """A hash of the glossary's English and its texts in ``language`` (a review is valid
    for the texts it read)."""
    texts = [(e.id, e.text(w, "en"), e.text(w, language)) for e in entries("en")
             for w in ("term", "explanation", "example")]
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode()).hexdigest()[:16]


def glossary_notebook(language: str = "en", notice: str = "") -> dict:
    """The page as a notebook of markdown cells (a small notice first, when given)."""
    cells = [{"cell_type": "markdown", "id": "glossary-head", "metadata": {},
              "source": _head(language)}]
    if notice:
        from widgets.lessons.build import notice_cell

        cells.append(notice_cell([notice], language))
    cells += [{"cell_type": "markdown", "id": f"glossary-{_anchor(letter)}", "metadata": {},
               "source": _section(letter, items, language)}
              for letter, items in _sections(language)]
    _ = gettext_for(language)
    return {"nbformat": 4, "nbformat_minor": 5, "cells": cells,
            "metadata": {"title": _(TITLE), "language_info": {"name": "python"},
                         "kernelspec": {"name": "python3", "display_name": "Python 3",
                                        "language": "python"},
                         "homeward": {"glossary": {"language": language}}}}
