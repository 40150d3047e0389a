"""Every ``source`` in the course's data names documents that really say what the record says.

A record's ``source`` names references by id (``002 I.2; ra8042``). For each reference, the
record's ``evidence`` holds the words that must be found in that document: in the seed file for
the five seed documents, or, for the others, in an item of the project's reference notes that is
marked confirmed (and not in a sentence of it marked unverified). A record that cites a document
which does not contain its law or programme fails here (the Philippine Development Plan
2017-2022 cited to a 2012 press release did).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from widgets.seminar import model

SEEDS = Path("/work/shared/seeds")
ANCHORS = Path("/work/shared/reference/anchors.md")
DATA = Path(model.__file__).parent / "data"
SOURCED = sorted(p.name for p in DATA.glob("*.json")
                 if any("source" in r or "sources" in r for r in json.loads(p.read_text())))
REFERENCES = {r["id"]: r for r in json.loads((DATA / "references.json").read_text())}


def normal(text: str) -> str:
    """Lower case, plain quotes and x, no markdown stars, single spaces."""
    for fancy, plain in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'),
                         ("\u00d7", "x"), ("\u2013", "-"), ("*", "")):
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", " ", text).strip().lower()


@cache
def anchor_entries() -> dict[str, str]:
    """The reference notes as {bold heading: normalised text up to the next heading}.

    A heading is a bold phrase that opens a bullet, or one followed by its tag (a second
    programme described inside another item).
    """
    raw = re.sub(r"\s+", " ", ANCHORS.read_text().replace("\n- ", "\n\u2022 "))
    heads = [m for m in re.finditer(r"\*\*(.+?)\*\*", raw)
             if raw[max(0, m.start() - 2):m.start()] == "\u2022 "
             or re.match(r"\s*\[(confirmed|unverified)\]", raw[m.end():])]
    entries = {}
    for k, m in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(raw)
        entries[normal(m.group(1))] = normal(raw[m.start():end])
    return entries


def anchor_item(heading: str) -> str:
    """The reference-note entry whose bold heading contains ``heading``."""
    wanted = normal(heading)
    found = [text for head, text in anchor_entries().items() if wanted in head]
    assert len(found) == 1, f"no single reference-note entry headed {heading!r}: {len(found)}"
    return found[0]


@cache
def document(ref: str) -> str:
    info = REFERENCES[ref]
    if "seed" in info:
        return normal((SEEDS / model.SEED_FILES[info["seed"]]).read_text())
    return anchor_item(info["anchor"])


def confirmed_in(ref: str, phrase: str) -> bool:
    """``phrase`` is in the document; for a reference note, not after an unverified tag.

    In the notes, ``[unverified]`` qualifies what follows it in the same sentence.
    """
    text, phrase = document(ref), normal(phrase)
    if phrase not in text:
        return False
    if "seed" in REFERENCES[ref]:
        return True
    start = text.index(phrase)
    sentence_start = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start)) + 1
    return "[unverified]" not in text[sentence_start:start + len(phrase)]


def _records():
    for name in SOURCED:
        for number, record in enumerate(json.loads((DATA / name).read_text())):
            label = record.get("id") or record.get("name") or record.get("question") or number
            yield pytest.param(name, record, id=f"{name}:{label}"[:90])


def test_every_reference_is_a_seed_or_a_confirmed_note():
    for ref, info in REFERENCES.items():
        assert info["title"].strip() and info["short"].strip(), ref
        if "seed" in info:
            assert ref == info["seed"] and info["seed"] in model.SEED_FILES, ref
        else:
            item = anchor_item(info["anchor"])
            assert "[confirmed]" in item, ref


def test_the_data_files_with_sources_are_all_checked():
    assert {"policies.json", "partners.json", "practices.json", "challenges.json",
            "locality_checklist.json"} <= set(SOURCED)


@pytest.mark.parametrize("name, record", list(_records()))
def test_source_names_documents_that_contain_it(name, record):
    source = record.get("source") or record.get("sources")
    refs = [ref for ref, _ in model.source_parts(source)]
    assert refs, f"{name}: a record without a source"
    unknown = [r for r in refs if r not in REFERENCES]
    assert not unknown, f"{name}: unknown references {unknown} in {source!r}"
    evidence = record.get("evidence", {})
    assert set(evidence) == set(refs), (
        f"{name}: give evidence for each cited document (cited {refs}, evidence for "
        f"{sorted(evidence)})")
    for ref in refs:
        phrases = evidence[ref] if isinstance(evidence[ref], list) else [evidence[ref]]
        for phrase in phrases:
            assert confirmed_in(ref, phrase), (
                f"{name}: {REFERENCES[ref]['short']!r} does not say {phrase!r}")


def test_the_unverified_parts_of_the_notes_are_refused():
    """The checker itself: a phrase from an unverified sentence does not count."""
    assert confirmed_in("iom_handbook", "mentoring has a small positive effect")
    assert not confirmed_in("iom_handbook", "coercive debt goes with worse reintegration")
    assert not confirmed_in("owwa_nrco", "the day ends with a business-plan workshop")
    assert not confirmed_in("003", "Philippine Development Plan (PDP) 2017-2022")


@pytest.mark.parametrize("name", SOURCED)
def test_people_see_titles_not_ids(name):
    frame = model.readable(model._frame(name))
    column = "source" if "source" in frame.columns else "sources"
    for text in frame[column]:
        assert not re.search(r"\b00[0-4]\b|_|\[|anchors", text), text
