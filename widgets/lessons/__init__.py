"""Lessons in the participant's language: what a lesson notebook imports.

A lesson marks the texts its code shows with ``_()`` and asks :func:`language` for the
language to format numbers and to open widgets in::

    from widgets.lessons import _, language
    quiz(Choice(prompt=_("Which offer costs less?"), ...), lang=language())
    savings_app(language=language())

In the English source ``_`` returns its text unchanged and :func:`language` is ``"en"``. The
build (``python -m widgets.lessons build``) writes the translations into each language's copy
of the lesson and puts ``use_language("fil")`` in its first cell.

>>> _("Savings"), language()
('Savings', 'en')
>>> use_language("id"); language()
'id'
>>> use_language("xx")
Traceback (most recent call last):
...
ValueError: language: 'xx' is not one of en, fil, id
>>> use_language("en")

The translation machinery lives in :mod:`widgets.lessons.notebook` (texts of a notebook),
:mod:`widgets.lessons.markdown` (texts of a markdown cell) and
:mod:`widgets.lessons.catalogs` (gettext catalogs, status and the build).
"""

from __future__ import annotations

__all__ = ["LANGUAGES", "_", "language", "use_language"]

#: The languages a lesson is built in (English is the source).
LANGUAGES: tuple[str, ...] = ("en", "fil", "id")

_current = {"language": "en"}


def _(message: str) -> str:
    """Mark a text shown by lesson code for translation (the build translates it in place)."""
    return message


def language() -> str:
    """The language this copy of the lesson is in (``en`` in the source)."""
    return _current["language"]


def use_language(code: str) -> None:
    """Set the lesson's language (the first cell of a built lesson calls this)."""
    if code not in LANGUAGES:
        raise ValueError(f"language: {code!r} is not one of {', '.join(LANGUAGES)}")
    _current["language"] = code
