"""Translations: every sentence an app shows comes from a gettext catalog.

The catalogs are ``widgets/locale/<language>/LC_MESSAGES/homeward.po``, kept
as text so translators can edit them; Babel reads them and compiles them in
memory when an app starts. English is the source language (the msgids).

>>> _ = gettext_for("fil")
>>> _("Language")
'Wika'
>>> gettext_for("id")("Language")
'Bahasa'
>>> gettext_for("en")("Language")
'Language'

A language Homeward does not have falls back to English rather than failing:

>>> gettext_for("xx")("Language")
'Language'
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "homeward"

#: The app languages, each named in its own language (as a picker shows them).
LANGUAGES: dict[str, str] = {"en": "English", "fil": "Filipino", "id": "Bahasa Indonesia"}


def catalog_path(language: str) -> Path:
    """Where the catalog of a language lives."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The compiled translations of a language (English: the identity)."""
    path = catalog_path(language)
    if language == "en" or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def gettext_for(language: str):
    """The ``_`` function of a language: ``_("text")`` gives the translation."""
    return translations(language).gettext


def ngettext_for(language: str):
    """The plural-aware ``ngettext`` of a language.

    >>> ngettext_for("en")("{n} month", "{n} months", 2).format(n=2)
    '2 months'
    """
    return translations(language).ngettext


def N_(message: str) -> str:
    """Mark a string for translation where it is defined, translate it later.

    >>> N_("Savings")
    'Savings'
    """
    return message
