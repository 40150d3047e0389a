"""The lessons' translations as they are in this repository.

A lesson listed as complete in ``modules/translations.json`` must have every paragraph,
heading, list item, table cell and marked code text translated, and nothing fuzzy, in that
language. When this fails after you changed a lesson's English: run
``python -m widgets.lessons extract LESSON`` (a changed text keeps its old translation, marked
fuzzy), translate or check what ``python -m widgets.lessons status LESSON --missing`` lists,
and run this test again. Until a translator has done so, the built page and handout show the
English for those texts with a notice.
"""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from widgets.lessons import catalogs as cat
from widgets.lessons.notebook import code_messages

LESSONS = cat.find_lessons()
STATUS = cat.load_status()
LISTED = [(lesson, language) for lesson in LESSONS for language in cat.TRANSLATED
          if cat.is_complete(lesson, language, STATUS)]


def test_the_status_file_names_real_lessons_and_languages():
    ids = {lesson.id for lesson in LESSONS}
    for lesson_id, languages in STATUS.get("lessons", {}).items():
        assert lesson_id in ids, f"translations.json names {lesson_id!r}, which is not a lesson"
        assert set(languages) <= set(cat.TRANSLATED), (lesson_id, languages)
        for entry in languages.values():
            review = entry.get("review")
            if review:
                assert review.get("by", "").strip() and review.get("fingerprint"), lesson_id
    assert set(STATUS.get("glossary", {})) <= set(cat.TRANSLATED)


@pytest.mark.parametrize("lesson, language", LISTED, ids=lambda x: getattr(x, "id", x))
def test_a_lesson_listed_as_translated_is_translated(lesson, language):
    cover = cat.coverage(lesson, language)
    lines = [f"missing: {t[:90]!r}" for t in cover.missing] + \
            [f"fuzzy (check it): {t[:90]!r}" for t in cover.fuzzy] + \
            [f"broken: {p}" for p in cover.problems]
    assert cover.complete, (
        f"{lesson.id} [{language}] is listed as translated, but {len(lines)} texts are not "
        f"(run `python -m widgets.lessons extract {lesson.id}` and translate them):\n  "
        + "\n  ".join(lines[:30]))


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_catalogs_read_and_translations_keep_their_marks(lesson):
    """Every catalog a lesson has is valid PO, and no translation in it (complete or not)
    breaks a {placeholder}, a link or a bold mark."""
    for language in cat.TRANSLATED:
        path = lesson.po_path(language)
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, abort_invalid=True)
        broken = [f"{m.id[:60]!r}: {p}" for m in catalog if m.id and m.string and not m.fuzzy
                  for p in cat.translation_problems(m.id, m.string)]
        assert not broken, broken


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_texts_marked_in_code_can_be_translated(lesson):
    """``_()`` in a lesson's code holds one plain string literal (else it would stay English)."""
    problems = [f"cell {k}: {p}" for k, cell in enumerate(lesson.notebook()["cells"])
                if cell["cell_type"] == "code"
                for p in code_messages("".join(cell["source"]))[1]]
    assert not problems, problems


def test_the_first_lesson_is_translated_as_the_proof():
    """Lesson 1 is fully translated into Filipino and Indonesian; its built pages have no
    English left and say that a native speaker has not yet checked them."""
    from widgets.lessons.build import build_notebook

    (lesson,) = cat.resolve(["economic_empowerment/01"])
    assert {lang for listed, lang in LISTED if listed == lesson} == {"fil", "id"}
    for language, title in (("fil", "Aralin 1"), ("id", "Pelajaran 1")):
        built, info = build_notebook(lesson, language)
        text = "\n".join("".join(c["source"]) for c in built["cells"])
        assert info.status == "complete" and info.title.startswith(title)
        assert 'lang="en"' not in text
        if info.review == cat.REVIEW_NEEDED:
            assert "homeward-notice" in text
