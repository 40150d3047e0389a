"""The glossary: every word in English, Filipino and Indonesian, right numbers, a working page."""

from __future__ import annotations

import json
import re
from importlib import resources

import mistune
import numpy_financial as npf
import pytest

from widgets.glossary.model import LANGUAGES, entries, linked_terms, load, lookup, problems
from widgets.glossary.page import glossary_markdown, glossary_notebook

DATA = json.loads(resources.files("widgets.glossary").joinpath("glossary.json").read_text())
#: The words issue 15 asks for, by id.
REQUIRED = ["interest", "flat-rate", "declining-balance", "apr", "compounded-yearly-rate",
            "break-even", "remittance", "exchange-rate-margin", "transfer-fee",
            "savings-group", "emergency-fund", "collateral", "depreciation", "fixed-cost",
            "variable-cost", "cash-flow", "psychosocial", "reintegration", "recruitment-fee"]
INTERNAL = re.compile(r"\b00[0-4]_[0-9a-f]{16}\.txt\b|anchors\.md|\[(un)?confirmed\]|"
                      r"\bseed\b|widgets\.|\w+\.py\b|_\w+\(")


def test_every_entry_has_all_three_languages():
    assert problems(DATA) == []
    for entry in load():
        for field in ("term", "explanation") + (("example",) if entry.example else ()):
            assert all(entry.text(field, lang).strip() for lang in LANGUAGES), entry.id
            assert len({getattr(entry, field)[lang] for lang in LANGUAGES}) > 1 or \
                field == "term", f"{entry.id}.{field} is not translated"


def test_a_missing_language_is_found():
    broken = json.loads(json.dumps(DATA))
    del broken["entries"][0]["explanation"]["id"]
    broken["entries"][1]["see"] = ["no-such-word"]
    found = problems(broken)
    assert f"{broken['entries'][0]['id']}: explanation has no id" in found
    assert any("see names no entry: no-such-word" in p for p in found)


def test_the_words_a_returnee_meets_are_there():
    ids = {entry.id for entry in load()}
    assert not set(REQUIRED) - ids
    names = lookup("savings-group").local_names
    assert set(names) == {"paluwagan", "arisan", "dhikuti", "len share", "tanda"}
    text = " ".join(lookup("savings-group").explanation.values())
    assert all(name in text for name in names)


@pytest.mark.parametrize("entry", load(), ids=lambda e: e.id)
def test_no_developer_words_and_numbers_are_illustrative(entry):
    for lang in LANGUAGES:
        for field in ("term", "explanation", "example"):
            text = entry.text(field, lang) if getattr(entry, field) else ""
            assert not INTERNAL.search(text), (entry.id, lang, field, text)
        if entry.example:
            label = {"en": "(illustrative)", "fil": "(halimbawa lamang)", "id": "(contoh saja)"}
            assert label[lang] in entry.text("example", lang), (entry.id, lang)


def _figures(text: str) -> list[float]:
    return [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*\.?\d*", text)]


def test_the_loan_examples_are_what_the_formulas_give():
    # flat: 2% a month on the whole ₱10,000 for 10 months
    assert 10_000 * 0.02 * 10 == 2_000 and "₱2,000" in lookup("flat-rate").text("example")
    # declining balance: the same 2% on what is still owed, 10 equal instalments
    paid = -npf.pmt(0.02, 10, 10_000) * 10
    assert round(paid - 10_000) == 1_133
    assert "₱1,133" in lookup("declining-balance").text("example")
    assert "Rp113.300" in lookup("declining-balance").text("example", "id")
    assert round((paid - 10_000) * 100, -2) == 113_300
    # APR and the compounded yearly rate of 3% a month
    assert "36%" in lookup("apr").text("example")
    assert f"{(1.03 ** 12 - 1) * 100:.1f}%" == "42.6%"
    assert "42.6%" in lookup("compounded-yearly-rate").text("example")
    assert "42,6%" in lookup("compounded-yearly-rate").text("example", "id")
    # break-even: fixed costs / (price - variable cost)
    assert 4_000 / (50 - 30) == 200 and 800_000 / (10_000 - 6_000) == 200
    assert "200" in lookup("break-even").text("example", "fil")


def test_entries_are_in_each_languages_alphabetical_order():
    for lang in LANGUAGES:
        terms = [e.text("term", lang).casefold() for e in entries(lang)]
        assert terms == sorted(terms, key=lambda t: t.replace("5", "0"))


def test_the_page_has_an_anchor_for_every_entry_and_every_link_lands():
    render = mistune.create_markdown(escape=False)
    for lang in LANGUAGES:
        html = render(glossary_markdown(lang))
        anchors = set(re.findall(r'id="([^"]+)"', html))
        assert {e.id for e in load()} <= anchors
        targets = set(re.findall(r'href="#([^"]+)"', html))
        assert targets and targets <= anchors, targets - anchors
        nb = glossary_notebook(lang, notice="note")
        assert all(c["cell_type"] == "markdown" for c in nb["cells"])
        assert nb["metadata"]["title"]


def test_lessons_can_link_to_the_glossary():
    text = "An [emergency fund](../glossary.ipynb#emergency-fund), not [this](other.ipynb#x)."
    assert linked_terms(text) == ["emergency-fund"]
