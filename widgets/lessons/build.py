"""Build each lesson in each language: the notebooks the page server shows.

``python -m widgets.lessons build`` writes, for every lesson of the returnee tracks and every
language, ``build/lessons/<lang>/<track>/<lesson>.ipynb`` (git-ignored, rebuilt by
``make serve`` and by the tests), plus ``build/lessons/<lang>/glossary.ipynb`` and an
``index.json`` per language that a home page lists.

A built lesson is the English notebook with:

- every message that has a translation replaced by it (markdown and ``_()`` texts);
- every message that has none left in English and marked ``<span lang="en">`` so that a
  screen reader reads it with an English voice;
- a first, hidden cell ``use_language("fil")`` (numbers, widgets and quizzes follow it);
- right under the title (the first cell is split after its heading), a small notice in the
  reader's language when the translation is incomplete or not yet reviewed by a native
  speaker;
- ``metadata["homeward"]["lesson"]``: its id, language, status, review and title, for the
  page shell;
- its links to the apps (the exercise's answer form) pointing at the apps where the lesson is
  served, in the page's language (:mod:`widgets.lessons.links`): ``build(..., apps=...)``
  says where they are (the repository's ``widgets/apps`` by default).

>>> from widgets.lessons.catalogs import Lesson
>>> nb = {"metadata": {}, "cells": [
...     {"cell_type": "markdown", "metadata": {}, "source": "# Saving\\n\\nKeep it safe."}]}
>>> built, info = build_notebook(Lesson("demo", "01-saving"), "fil", nb=nb,
...                              table={"Saving": "Pag-iipon"}, status={})
>>> info.status, info.translated, info.total, info.title
('partial', 1, 2, 'Pag-iipon')
>>> [cell["metadata"].get("tags") for cell in built["cells"]]
[['homeward-setup'], None, ['homeward-notice'], None]
>>> built["cells"][1]["source"], built["cells"][3]["source"]
('# Pag-iipon', '<span lang="en">Keep it safe.</span>')
>>> print(built["cells"][2]["source"])
<p class="homeward-notice" role="note" lang="fil"><small>May mga bahagi ng araling ito na hindi pa naisasalin: nasa Ingles pa ang mga ito. Hindi pa nasusuri ng isang katutubong nagsasalita ang salin na ito.</small></p>
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from widgets.i18n import LANGUAGES as LANGUAGE_NAMES
from widgets.i18n import N_, gettext_for
from widgets.lessons import LANGUAGES
from widgets.lessons import markdown as md
from widgets.lessons.catalogs import (
    MODULES,
    REVIEW_NEEDED,
    Lesson,
    find_lessons,
    glossary_review,
    load_status,
    review_state,
    translations,
)
from widgets.lessons.links import SOURCE_APPS, localize_notebook
from widgets.lessons.notebook import notebook_messages, translate_notebook

__all__ = ["DEFAULT_OUT", "Built", "build", "build_notebook"]

#: Where built lessons go (git-ignored).
DEFAULT_OUT = MODULES.parent / "build" / "lessons"

NOT_REVIEWED = N_("This translation has not yet been checked by a native speaker.")
PARTIAL = N_("Some parts of this lesson are not translated yet: they are shown in English.")
UNTRANSLATED = N_("This lesson is not translated yet: it is shown in English.")
SETUP_TAG = "homeward-setup"
NOTICE_TAG = "homeward-notice"


@dataclass
class Built:
    """What the build made of one lesson in one language."""

    id: str
    language: str
    path: str
    title: str
    status: str  # source (English), complete, partial, untranslated
    translated: int
    total: int
    review: str
    notice: str


def _wrap_english(message: md.Message, raw: str) -> str:
    return f'<span lang="en">{raw}</span>'


def setup_cell(language: str) -> dict:
    """The hidden first cell of a built lesson."""
    return {
        "cell_type": "code", "execution_count": None, "id": "homeward-language", "outputs": [],
        "metadata": {"tags": [SETUP_TAG], "jupyter": {"source_hidden": True}},
        "source": f"from widgets.lessons import use_language\n\nuse_language({language!r})",
    }


def notice_cell(sentences: list[str], language: str) -> dict:
    """The small notice under a lesson's title (plain HTML, in the reader's language)."""
    text = " ".join(html.escape(s) for s in sentences)
    return {
        "cell_type": "markdown", "id": "homeward-notice", "metadata": {"tags": [NOTICE_TAG]},
        "source": f'<p class="homeward-notice" role="note" lang="{language}"><small>{text}'
                  "</small></p>",
    }


def _add_notice(cells: list[dict], notice: dict) -> None:
    """Put the notice right under the lesson's title: split the title off the first cell
    when more follows it there, so that the notice is seen before the text."""
    first = cells[0] if cells else None
    source = "".join(first["source"]) if first and isinstance(first["source"], list) \
        else (first or {}).get("source", "")
    if not first or first.get("cell_type") != "markdown" or not source.lstrip().startswith("#"):
        cells.insert(0, notice)
        return
    title, _sep, rest = source.lstrip().partition("\n")
    cells[0] = {**first, "source": title}
    cells.insert(1, notice)
    if rest.strip():
        cells.insert(2, {**first, "id": f"{first.get('id', 'cell')}-rest",
                         "source": rest.lstrip("\n")})


def notice_for(status: str, review: str, language: str) -> list[str]:
    """The notice's sentences (none for English or a reviewed, complete translation)."""
    if language == "en":
        return []
    _ = gettext_for(language)
    sentences = {"untranslated": [_(UNTRANSLATED)], "partial": [_(PARTIAL)]}.get(status, [])
    if status != "untranslated" and review == REVIEW_NEEDED:
        sentences.append(_(NOT_REVIEWED))
    return sentences


def build_notebook(lesson: Lesson, language: str, nb: dict | None = None,
                   table: dict[str, str] | None = None,
                   status: dict | None = None, page_dir: Path | None = None,
                   apps: Path = SOURCE_APPS) -> tuple[dict, Built]:
    """One lesson in one language (``table``: its translations, read from the catalog when
    not given; ``status``: ``translations.json``, read when not given; ``page_dir``: the
    folder the page is written to, its source's folder when not given, and ``apps``: where
    the apps are, for its links to them)."""
    nb = nb if nb is not None else lesson.notebook()
    if language != "en" and table is None:
        table = translations(lesson, language)
    table = table or {}
    texts = list(dict.fromkeys(f.text for f in notebook_messages(nb)))
    if language == "en":
        built, missing = translate_notebook(nb, lambda text: text)
        state, review = "source", ""
    else:
        built, missing = translate_notebook(nb, table.get, _wrap_english)
        done = sum(1 for text in texts if text in table)
        state = "complete" if done == len(texts) else "partial" if done else "untranslated"
        review = review_state(lesson, language, status if status is not None
                              else load_status(lesson.root), nb) if done else REVIEW_NEEDED
    titles = [f.text for f in notebook_messages(nb) if f.kind == "heading"]
    title = table.get(titles[0], titles[0]) if titles else lesson.stem
    sentences = notice_for(state, review, language)
    cells = built["cells"]
    if sentences:
        _add_notice(cells, notice_cell(sentences, language))
    cells.insert(0, setup_cell(language))
    localize_notebook(built, language, page_dir or lesson.path.parent, apps)
    info = Built(lesson.id, language, f"{lesson.id}.ipynb", title, state,
                 len(texts) - len(set(missing)), len(texts), review, " ".join(sentences))
    meta = built.setdefault("metadata", {})
    meta["title"] = title
    meta.setdefault("homeward", {})["lesson"] = {
        k: v for k, v in asdict(info).items() if k != "path"} | {
        "language_name": LANGUAGE_NAMES.get(language, language), "source": f"{lesson.id}.ipynb"}
    return built, info


def build(lessons: Iterable[Lesson] | None = None, languages: Iterable[str] = LANGUAGES,
          out: Path = DEFAULT_OUT, root: Path = MODULES, apps: Path = SOURCE_APPS
          ) -> list[Built]:
    """Write every lesson in every language under ``out``, with each language's
    ``index.json`` and glossary page (``apps``: where the pages' links find the apps).
    Returns what was built."""
    from widgets.glossary.page import glossary_notebook

    lessons = list(lessons) if lessons is not None else find_lessons(root)
    status = load_status(root)
    results: list[Built] = []
    for language in languages:
        if language not in LANGUAGES:
            raise ValueError(f"language: {language!r} is not one of {', '.join(LANGUAGES)}")
        done: list[Built] = []
        for lesson in lessons:
            nb = lesson.notebook()
            table = translations(lesson, language) if language != "en" else {}
            target = out / language / f"{lesson.id}.ipynb"
            built, info = build_notebook(lesson, language, nb, table, status, target.parent,
                                         apps)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(built, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
            done.append(info)
        glossary = out / language / "glossary.ipynb"
        glossary.parent.mkdir(parents=True, exist_ok=True)
        notice = ""
        if language != "en" and glossary_review(language, status) == REVIEW_NEEDED:
            notice = gettext_for(language)(NOT_REVIEWED)
        glossary.write_text(json.dumps(glossary_notebook(language, notice), ensure_ascii=False,
                                       indent=1) + "\n", encoding="utf-8")
        index = out / language / "index.json"
        index.write_text(json.dumps([asdict(b) for b in done], ensure_ascii=False, indent=1)
                         + "\n", encoding="utf-8")
        results += done
    return results
