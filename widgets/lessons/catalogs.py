"""Lesson catalogs: one gettext catalog per lesson and language, kept with Babel.

Where things are (``<track>`` is ``economic_empowerment``, ``family_track`` or
``country_packs``; the seminar, for officials, stays English)::

    modules/<track>/<lesson>.ipynb                            the lesson (English, the source)
    modules/<track>/locale/<lesson>.pot                       its template: every message
    modules/<track>/locale/<lang>/LC_MESSAGES/<lesson>.po     its translation (fil, id)
    modules/translations.json                                 which translations are complete
                                                              and which a native speaker reviewed

This is gettext's own layout with the lesson as the *domain*, so translators can use any PO
editor and ``pybabel`` itself. :func:`update_catalogs` is ``pybabel extract`` + ``update``
done with Babel's API: new messages are added empty, a changed paragraph keeps its old
translation marked *fuzzy* (to be checked), a removed one is kept as obsolete (``#~``).

A translation counts only when it is filled in and not fuzzy (:func:`coverage`). A lesson
listed as complete in ``translations.json`` must have every message translated (the test
suite fails otherwise). A native speaker's review is recorded with the *fingerprint* of the
texts she read: when a translation or its English changes, the lesson needs review again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from widgets.forms.model import REVIEW_NEEDED
from widgets.lessons.notebook import KIND_NAMES, notebook_messages

__all__ = ["MODULES", "REVIEW_NEEDED", "TRACKS", "TRANSLATED", "Coverage", "Lesson",
           "coverage", "find_lessons", "fingerprint", "glossary_review", "load_status",
           "mark_complete", "record_glossary_review", "record_review", "resolve",
           "review_state", "template", "translations", "update_catalogs"]

#: The repository's ``modules/`` folder.
MODULES = Path(__file__).resolve().parents[2] / "modules"
#: The returnee tracks, translated into every language (the seminar stays English).
TRACKS: tuple[str, ...] = ("economic_empowerment", "family_track", "country_packs")
#: The languages lessons are translated into.
TRANSLATED: tuple[str, ...] = ("fil", "id")
STATUS_NAME = "translations.json"
PROJECT = "Homeward lessons"


@dataclass(frozen=True)
class Lesson:
    """One lesson notebook of a track, and where its catalogs live."""

    track: str
    stem: str
    root: Path = MODULES

    @property
    def id(self) -> str:
        return f"{self.track}/{self.stem}"

    @property
    def path(self) -> Path:
        return self.root / self.track / f"{self.stem}.ipynb"

    @property
    def locale_dir(self) -> Path:
        return self.root / self.track / "locale"

    @property
    def pot_path(self) -> Path:
        return self.locale_dir / f"{self.stem}.pot"

    def po_path(self, language: str) -> Path:
        return self.locale_dir / language / "LC_MESSAGES" / f"{self.stem}.po"

    def notebook(self) -> dict:
        return json.loads(self.path.read_text(encoding="utf-8"))


def find_lessons(root: Path = MODULES, tracks: Iterable[str] = TRACKS) -> list[Lesson]:
    """Every lesson notebook of the tracks, in order (tracks that do not exist yet are
    skipped)."""
    return [Lesson(track, path.stem, root) for track in tracks
            for path in sorted((root / track).glob("*.ipynb"))]


def resolve(names: Iterable[str], root: Path = MODULES) -> list[Lesson]:
    """Lessons named by id (``economic_empowerment/01-money-...``), by a unique start of
    one (``economic_empowerment/01``) or by the notebook's path; all lessons when empty."""
    every = find_lessons(root)
    names = list(names)
    if not names:
        return every
    chosen = []
    for name in names:
        key = (name[:-len(".ipynb")] if name.endswith(".ipynb") else name).replace("\\", "/")
        matches = [lesson for lesson in every
                   if lesson.id == key or key.endswith("/" + lesson.id)]
        if not matches:
            matches = [lesson for lesson in every if lesson.id.startswith(key)]
        if len(matches) != 1:
            known = ", ".join(lesson.id for lesson in every)
            raise ValueError(f"lesson: {name!r} names {len(matches)} lessons; known: {known}")
        chosen.append(matches[0])
    return chosen


# --------------------------------------------------------------------------- catalogs
def template(lesson: Lesson, nb: dict | None = None) -> Catalog:
    """The lesson's template catalog: every message with the cell it is in."""
    catalog = Catalog(project=PROJECT, version="1", domain=lesson.stem, fuzzy=False,
                      header_comment=f"# Texts of the lesson {lesson.id}.\n"
                                     "# Translate the msgstr lines; see modules/TRANSLATING.md.")
    for found in notebook_messages(nb if nb is not None else lesson.notebook()):
        catalog.add(found.text, locations=[(f"{lesson.stem}.ipynb", found.cell + 1)],
                    auto_comments=[KIND_NAMES.get(found.kind, found.kind)])
    return catalog


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language, abort_invalid=True)


def _po_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_previous=True)
    return buffer.getvalue()


_DATES = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"\n', re.M)


def _write(path: Path, catalog: Catalog) -> bool:
    """Write a catalog unless only its dates would change (no churn in version control)."""
    data = _po_bytes(catalog)
    if path.exists() and _DATES.sub(b"", path.read_bytes()) == _DATES.sub(b"", data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


@dataclass
class Update:
    """What :func:`update_catalogs` did to one language's catalog."""

    language: str
    messages: int
    translated: int
    fuzzy: int
    new: int
    obsolete: int
    written: bool


def update_catalogs(lesson: Lesson, languages: Iterable[str] = TRANSLATED) -> list[Update]:
    """Extract the lesson into its template and update (or start) each language's catalog,
    keeping every translation: unchanged texts stay translated, changed ones become fuzzy,
    removed ones obsolete."""
    tmpl = template(lesson)
    _write(lesson.pot_path, tmpl)
    out = []
    for language in languages:
        path = lesson.po_path(language)
        if path.exists():
            catalog = _read(path, language)
            before = {m.id for m in catalog if m.id}
        else:
            catalog = Catalog(locale=language, project=PROJECT, version="1", domain=lesson.stem,
                              fuzzy=False, header_comment=tmpl.header_comment,
                              language_team=language, last_translator="Homeward translators")
            before = set()
        catalog.update(tmpl, update_creation_date=False)
        messages = [m for m in catalog if m.id]
        out.append(Update(
            language, len(messages),
            sum(1 for m in messages if m.string and not m.fuzzy),
            sum(1 for m in messages if m.fuzzy),
            sum(1 for m in messages if m.id not in before and not m.fuzzy),
            len(catalog.obsolete), _write(path, catalog)))
    return out


def translations(lesson: Lesson, language: str) -> dict[str, str]:
    """The usable translations of a lesson (filled in and not fuzzy): msgid -> msgstr."""
    path = lesson.po_path(language)
    if language == "en" or not path.exists():
        return {}
    return {m.id: m.string for m in _read(path, language)
            if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


# --------------------------------------------------------------------------- checks
_FIELDS = string.Formatter()
_LINK = re.compile(r"\]\(([^)\s]+)")


def _placeholders(text: str) -> set[str]:
    try:
        return {f for _l, f, _s, _c in _FIELDS.parse(text) if f is not None}
    except ValueError:
        return set()


def translation_problems(msgid: str, msgstr: str) -> list[str]:
    """What a translation broke: ``{placeholders}``, link targets, bold marks.

    >>> translation_problems("Read the [glossary](../glossary.ipynb#interest).",
    ...                      "Basahin ang [glosaryo](../glossary.ipynb).")
    ['links ../glossary.ipynb#interest became ../glossary.ipynb']
    >>> translation_problems("{n} months", "{m} buwan")
    ['placeholders {n} became {m}']
    """
    problems = []
    if _placeholders(msgid) != _placeholders(msgstr):
        problems.append(f"placeholders {{{', '.join(sorted(_placeholders(msgid)))}}} became "
                        f"{{{', '.join(sorted(_placeholders(msgstr)))}}}")
    if sorted(_LINK.findall(msgid)) != sorted(_LINK.findall(msgstr)):
        problems.append(f"links {' '.join(_LINK.findall(msgid))} became "
                        f"{' '.join(_LINK.findall(msgstr))}")
    if msgstr.count("**") % 2:
        problems.append("a ** (bold) is not closed")
    if msgstr.count("`") % 2:
        problems.append("a ` (code) is not closed")
    return problems


@dataclass
class Coverage:
    """How far one language of a lesson is translated, against the notebook as it is now."""

    lesson: str
    language: str
    total: int
    missing: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def translated(self) -> int:
        return self.total - len(self.missing) - len(self.fuzzy)

    @property
    def complete(self) -> bool:
        return not (self.missing or self.fuzzy or self.problems)

    @property
    def share(self) -> float:
        return self.translated / self.total if self.total else 1.0


def coverage(lesson: Lesson, language: str, nb: dict | None = None) -> Coverage:
    """Every distinct message of the notebook now: translated, fuzzy, or missing."""
    wanted = list(dict.fromkeys(f.text for f in
                                notebook_messages(nb if nb is not None else lesson.notebook())))
    result = Coverage(lesson.id, language, len(wanted))
    path = lesson.po_path(language)
    catalog = _read(path, language) if path.exists() else Catalog(locale=language)
    for msgid in wanted:
        message = catalog.get(msgid)
        if message is None or not message.string:
            result.missing.append(msgid)
        elif message.fuzzy:
            result.fuzzy.append(msgid)
        else:
            result.problems += [f"{msgid[:60]!r}: {p}"
                                for p in translation_problems(msgid, message.string)]
    return result


# --------------------------------------------------------------------------- status
def status_path(root: Path = MODULES) -> Path:
    return root / STATUS_NAME


def load_status(root: Path = MODULES) -> dict:
    """``translations.json``: ``{"lessons": {id: {lang: {"complete", "review"}}}, ...}``."""
    path = status_path(root)
    if not path.exists():
        return {"lessons": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def _save_status(status: dict, root: Path) -> None:
    status["lessons"] = dict(sorted(status.get("lessons", {}).items()))
    status_path(root).write_text(json.dumps(status, ensure_ascii=False, indent=2) + "\n",
                                 encoding="utf-8")


def _entry(status: dict, lesson_id: str, language: str) -> dict:
    return status.setdefault("lessons", {}).setdefault(lesson_id, {}).setdefault(language, {})


def is_complete(lesson: Lesson, language: str, status: dict | None = None) -> bool:
    """Whether the lesson is listed as completely translated into the language."""
    status = status if status is not None else load_status(lesson.root)
    entry = status.get("lessons", {}).get(lesson.id, {}).get(language, {})
    return bool(entry.get("complete"))


def fingerprint(lesson: Lesson, language: str, nb: dict | None = None) -> str:
    """A hash of the lesson's texts and their translations as they are now."""
    table = translations(lesson, language)
    pairs = sorted({(f.text, table.get(f.text, "")) for f in
                    notebook_messages(nb if nb is not None else lesson.notebook())})
    return hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def review_state(lesson: Lesson, language: str, status: dict | None = None,
                 nb: dict | None = None) -> str:
    """``reviewed by NAME (DATE)``, or :data:`REVIEW_NEEDED` (never reviewed, or the texts
    changed since the review)."""
    status = status if status is not None else load_status(lesson.root)
    review = (status.get("lessons", {}).get(lesson.id, {}).get(language, {})
              .get("review") or {})
    if review.get("fingerprint") and review["fingerprint"] == fingerprint(lesson, language, nb):
        return f"reviewed by {review.get('by', '?')} ({review.get('date', '?')})"
    return REVIEW_NEEDED


def glossary_review(language: str, status: dict | None = None, root: Path = MODULES) -> str:
    """The glossary's review in a language, as :func:`review_state` says it for a lesson."""
    from widgets.glossary.page import fingerprint as glossary_fingerprint

    status = status if status is not None else load_status(root)
    review = (status.get("glossary") or {}).get(language, {}).get("review") or {}
    if review.get("fingerprint") and review["fingerprint"] == glossary_fingerprint(language):
        return f"reviewed by {review.get('by', '?')} ({review.get('date', '?')})"
    return REVIEW_NEEDED


def record_glossary_review(language: str, by: str, date: dt.date | None = None,
                           root: Path = MODULES) -> dict:
    """Record that a native speaker reviewed the glossary in a language as it is now."""
    from widgets.glossary.page import fingerprint as glossary_fingerprint

    if not by.strip():
        raise ValueError("by: say who reviewed the translation")
    status = load_status(root)
    entry = status.setdefault("glossary", {}).setdefault(language, {})
    entry["review"] = {"by": by.strip(), "date": (date or dt.date.today()).isoformat(),
                       "fingerprint": glossary_fingerprint(language)}
    _save_status(status, root)
    return entry


def mark_complete(lesson: Lesson, language: str) -> Coverage:
    """List the lesson as completely translated, if it is (else raise ``ValueError``)."""
    cover = coverage(lesson, language)
    if not cover.complete:
        raise ValueError(f"{lesson.id} [{language}]: {len(cover.missing)} missing, "
                         f"{len(cover.fuzzy)} fuzzy, {len(cover.problems)} problems: "
                         "translate them first (python -m widgets.lessons status)")
    status = load_status(lesson.root)
    _entry(status, lesson.id, language)["complete"] = True
    _save_status(status, lesson.root)
    return cover


def record_review(lesson: Lesson, language: str, by: str,
                  date: dt.date | None = None) -> dict:
    """Record that a native speaker reviewed the complete translation as it is now."""
    if not by.strip():
        raise ValueError("by: say who reviewed the translation")
    cover = coverage(lesson, language)
    if not cover.complete:
        raise ValueError(f"{lesson.id} [{language}]: the translation is not complete; "
                         "a review is recorded for a complete translation only")
    status = load_status(lesson.root)
    entry = _entry(status, lesson.id, language)
    entry["complete"] = True
    entry["review"] = {"by": by.strip(), "date": (date or dt.date.today()).isoformat(),
                       "fingerprint": fingerprint(lesson, language)}
    _save_status(status, lesson.root)
    return entry
