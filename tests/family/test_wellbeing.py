"""Lesson 11 of the returnee course, wellbeing and family reunion: written with care.

It runs under the course's own nbval test (tests/economic_empowerment); here its content:
it points to help, never diagnoses, gives no figures the sources do not give, cites sources by
their titles, and balances its cases (a man who comes home, a woman in a trade beyond food and
sewing).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WELLBEING = ROOT / "modules" / "economic_empowerment" / "11-wellbeing-and-family-reunion.ipynb"
INTERNAL = re.compile(r"\b00[0-4]_[0-9a-f]{16}\.txt\b|anchors\.md|\[(confirmed|unverified)\]|"
                      r"\bseed (file|document)s?\b|\bseed 00[0-4]\b", re.IGNORECASE)


def _text(kind: str | None = None) -> str:
    cells = json.loads(WELLBEING.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if kind is None or c["cell_type"] == kind)


def _flat(kind: str | None = None) -> str:
    return " ".join(_text(kind).split())


def test_its_parts():
    head = json.loads(WELLBEING.read_text())["cells"][0]["source"]
    head = "".join(head)
    assert head.startswith("# Lesson 11: Wellbeing and family reunion")
    assert re.search(r"Session: \d+ minutes", head) and "Objectives" in head and "Sources:" in head
    assert "returnees and their families" in head and "trainers" in head
    assert "(../references.ipynb)" in head
    text = _flat()
    assert "form.ipynb?assignment=ee11_wellbeing&" in text and "## Key points" in text
    assert "illustrative" in text and _text("code").count("quiz(") >= 3


def test_points_to_help_and_never_diagnoses():
    text = _flat()
    for words in ("You choose what you share", "**Never diagnose**", "help card", "the same day",
                  "emergency number", "*Find out locally*", "Department of Health (DOH)",
                  "Department of Social Welfare and Development (DSWD)"):
        assert words in text, words
    # no figures about feelings or illness that the sources do not give
    assert not re.search(r"\d+\s*(%|percent|per cent)", _text("markdown"))
    assert not re.search(r"\b(two|three|\d+) weeks\b", text), "no clinical thresholds"
    for word in ("depression", "disorder", "PTSD", "trauma", "diagnosed", "mental illness"):
        assert word.lower() not in text.lower(), word


def test_cites_by_title_and_balances_its_cases():
    assert not INTERNAL.findall(_text())
    text = _flat("markdown")
    assert "**Suresh** comes home" in text and "Kamala** drives a three-wheeler taxi" in text
    assert "jeepney dispatcher" in text
    for country in ("Nepal", "Philippines", "Thailand", "Indonesia", "Mexico"):
        assert country in text, country
