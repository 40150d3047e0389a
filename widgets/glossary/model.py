"""The glossary: the words a returnee meets, explained in English, Filipino and Indonesian.

The entries live in one data file, ``widgets/glossary/glossary.json``; each has an ``id``
(the anchor lessons link to), the ``term``, a plain ``explanation``, an optional
``example`` (illustrative numbers, labelled so), optional ``local_names`` and ``see``
(other entries' ids), each text in every language.

>>> entry = lookup("flat-rate")
>>> entry.text("term", "id")
'bunga flat (bunga tetap)'
>>> entry.text("example", "en")
'₱10,000 at 2% a month flat for 10 months: ₱200 of interest every month, ₱2,000 in all (illustrative).'
>>> [e.id for e in entries("fil")][:3]     # in the order of the language's alphabet
['five-six', 'interest-rate', 'apr']
>>> lookup("flat-rate").see
('declining-balance', 'interest-rate')

A lesson links to an entry with an ordinary markdown link to the glossary page and the
entry's id, ``[flat rate](../glossary.ipynb#flat-rate)``; :func:`linked_terms` finds them
(a handout lists those words with their explanations):

>>> linked_terms("Is it a [flat rate](../glossary.ipynb#flat-rate) or [APR](glossary.ipynb#apr)?")
['flat-rate', 'apr']
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["LANGUAGES", "Entry", "GlossaryError", "entries", "linked_terms", "load", "lookup",
           "problems"]

#: Every entry is written in these languages.
LANGUAGES: tuple[str, ...] = ("en", "fil", "id")
FIELDS = ("term", "explanation", "example")
#: The page lessons link to, relative to a track's folder (``modules/<track>/``).
PAGE = "glossary.ipynb"
_LINK = re.compile(r"\]\((?:\.\./)*" + re.escape(PAGE) + r"#([a-z0-9-]+)\)")
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class GlossaryError(ValueError):
    """The glossary file is not as it should be (``field`` names the entry)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field


@dataclass(frozen=True)
class Entry:
    """One word of the glossary."""

    id: str
    term: Mapping[str, str]
    explanation: Mapping[str, str]
    example: Mapping[str, str] | None = None
    local_names: tuple[str, ...] = ()
    see: tuple[str, ...] = ()

    def text(self, what: str, language: str = "en") -> str:
        """``term``, ``explanation`` or ``example`` in the language (English if missing)."""
        value = getattr(self, what) or {}
        return value.get(language) or value.get("en") or ""


def problems(data: Mapping) -> list[str]:
    """Everything wrong with the glossary data (an empty list when it is right): an entry
    without all three languages, a duplicate or malformed id, a ``see`` to nowhere.

    >>> problems({"entries": [{"id": "fee", "term": {"en": "fee"},
    ...                        "explanation": {"en": "What it costs.", "fil": "", "id": "Biaya."},
    ...                        "see": ["nowhere"]}]})
    ['fee: term has no fil', 'fee: term has no id', 'fee: explanation has no fil', 'fee: see names no entry: nowhere']
    """
    out: list[str] = []
    items = data.get("entries") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not items:
        return ["entries: the glossary has no entries"]
    ids = [item.get("id") for item in items if isinstance(item, Mapping)]
    for item in items:
        name = item.get("id") if isinstance(item, Mapping) else None
        if not isinstance(name, str) or not _ID.fullmatch(name):
            out.append(f"{name!r}: an id is lowercase words joined by '-'")
            continue
        if ids.count(name) > 1:
            out.append(f"{name}: two entries have this id")
        for what in FIELDS:
            texts = item.get(what)
            if texts is None and what == "example":
                continue
            if not isinstance(texts, Mapping):
                out.append(f"{name}: {what} is missing")
                continue
            for language in LANGUAGES:
                value = texts.get(language)
                if not isinstance(value, str) or not value.strip():
                    out.append(f"{name}: {what} has no {language}")
            extra = sorted(set(texts) - set(LANGUAGES))
            if extra:
                out.append(f"{name}: {what} has unknown languages {extra}")
        unknown = [s for s in item.get("see", []) if s not in ids]
        if unknown:
            out.append(f"{name}: see names no entry: {', '.join(unknown)}")
    return out


@cache
def load() -> tuple[Entry, ...]:
    """Every entry, in the file's order. Raises :class:`GlossaryError` if the file is wrong."""
    data = json.loads(resources.files("widgets.glossary").joinpath("glossary.json")
                      .read_text(encoding="utf-8"))
    found = problems(data)
    if found:
        raise GlossaryError("glossary.json", "; ".join(found))
    return tuple(Entry(item["id"], dict(item["term"]), dict(item["explanation"]),
                       dict(item["example"]) if item.get("example") else None,
                       tuple(item.get("local_names", ())), tuple(item.get("see", ())))
                 for item in data["entries"])


def _sort_key(text: str) -> str:
    """Alphabetical order that ignores case and accents, as a reader looks a word up."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in plain if not unicodedata.combining(ch))


def entries(language: str = "en") -> list[Entry]:
    """The entries in the alphabetical order of their terms in the language."""
    return sorted(load(), key=lambda e: _sort_key(e.text("term", language)))


def lookup(entry_id: str) -> Entry:
    """One entry by its id (``KeyError`` naming the id if there is none)."""
    for entry in load():
        if entry.id == entry_id:
            return entry
    raise KeyError(entry_id)


def linked_terms(markdown: str) -> list[str]:
    """The glossary ids a text links to, in order, each once."""
    return list(dict.fromkeys(_LINK.findall(markdown)))
