"""The family track and the country packs: present, balanced, sourced for people, and runnable.

- ``modules/family_track/``: four sessions for a returnee and a family member together, each
  with its time, audience, objectives, pair activities, checks, a case, key points and its
  exercise (``exercises/fam*``).
- ``modules/country_packs/``: Indonesia, Nepal, Thailand and Mexico, each with a case in the
  country's currency and savings group, the institutions the sources name, and a trainer's
  note on what to find out locally.

Every lesson runs top to bottom under nbval (one separate pytest process for both folders).
Figures that the text states are checked against the models that compute them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from widgets.countries import COUNTRIES, example_savings_plan
from widgets.family.model import balance, check_plan, sending
from widgets.savings.model import summarize

ROOT = Path(__file__).resolve().parents[2]
FAMILY = ROOT / "modules" / "family_track"
PACKS = ROOT / "modules" / "country_packs"

SESSIONS = {
    "f1-money-decisions-at-home.ipynb": "fam1_money_decisions",
    "f2-remittance-agreement-and-budget.ipynb": "fam2_agreement_budget",
    "f3-children-reunion-and-care-work.ipynb": "fam3_children_care",
    "f4-shared-reintegration-plan.ipynb": "fam4_shared_plan",
}
PACK_FILES = {"indonesia.ipynb": "ID", "nepal.ipynb": "NP", "thailand.ipynb": "TH",
              "mexico.ipynb": "MX"}
#: What each pack must name: the institutions and programmes the sources confirm.
PACK_NAMES = {
    "ID": ("Law 18/2017", "BPJS Ketenagakerjaan", "BPJS Kesehatan", "Disnaker", "BLK",
           "Desmigratif"),
    "NP": ("free visa, free ticket", "Foreign Employment Board", "Kathmandu"),
    "TH": ("Department of Employment", "ILO-EU", "Letter of Understanding"),
    "MX": ("Servicio Nacional de Empleo", "3x1", "2020 budget"),
}
#: A case from each country: the country named in the text, and its currency in the lesson.
COUNTRY_WORDS = {"Philippines": ("Philippines", "₱"), "Indonesia": ("Indonesia", "Rp"),
                 "Nepal": ("Nepal", "NPR"), "Thailand": ("Thailand", "THB"),
                 "Mexico": ("Mexico", "MXN")}
#: Internal references that participants must never read.
INTERNAL = re.compile(r"\b00[0-4]_[0-9a-f]{16}\.txt\b|anchors\.md|\[(confirmed|unverified)\]|"
                      r"\bseed (file|document)s?\b|\bseed 00[0-4]\b", re.IGNORECASE)
ALL = sorted(FAMILY.glob("*.ipynb")) + sorted(PACKS.glob("*.ipynb"))


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _text(path: Path, kind: str | None = None) -> str:
    return "\n".join("".join(c["source"]) for c in _cells(path)
                     if kind is None or c["cell_type"] == kind)


def _flat(path: Path, kind: str | None = None) -> str:
    """The text with every run of white space as one space (phrases may wrap across lines)."""
    return " ".join(_text(path, kind).split())


def _ids(paths):
    return [p.name for p in paths]


# ------------------------------------------------------------------------------ presence
def test_the_four_family_sessions_and_four_packs_exist():
    assert sorted(p.name for p in FAMILY.glob("*.ipynb")) == sorted(SESSIONS)
    assert sorted(p.name for p in PACKS.glob("*.ipynb")) == sorted(PACK_FILES)


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_committed_clean(path):
    for cell in _cells(path):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, "clear the outputs"
            assert "pip install" not in "".join(cell["source"])


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_a_lesson_has_its_parts(path):
    """Time, audience, objectives, sources by title, illustrative numbers, checks, key points."""
    head = "".join(_cells(path)[0]["source"])
    assert head.startswith("# ")
    timing = re.search(r"Session: (\d+) minutes\*\* \(([^)]*)\)", head)
    assert timing, "say how long the session is, and how the time is spent"
    parts = [int(n) for n in re.findall(r"(\d+)", timing.group(2))]
    assert sum(parts) == int(timing.group(1)), f"the parts {parts} do not add up to the session"
    assert "returnees and their families" in head and "trainers" in head
    assert "Objectives" in head and "Sources:" in head
    assert "(../references.ipynb)" in head, "link the references page, where the titles are"
    markdown = _text(path, "markdown")
    assert "illustrative" in markdown.lower()
    assert "## Key points" in markdown
    assert "Trainer's note" in markdown
    code = _text(path, "code")
    assert "from widgets.quiz import" in code and code.count("quiz(") >= 2, "at least two checks"
    assert re.search(r"from widgets\.(family|savings|seminar|countries)", code), (
        "work the examples with a project model")


@pytest.mark.parametrize("path", ALL, ids=_ids(ALL))
def test_participants_never_read_internal_references(path):
    """Sources are cited by their titles: no seed file names, anchors.md or tags."""
    found = INTERNAL.findall(_text(path))
    assert not found, f"internal references in {path.name}: {found}"


# ------------------------------------------------------------------------------ the family track
@pytest.mark.parametrize("name", sorted(SESSIONS))
def test_family_session_is_for_pairs_with_its_exercise(name):
    markdown = _text(FAMILY / name, "markdown")
    assert "Session: 120 minutes" in markdown, "four sessions of two hours: about eight hours"
    assert "in pairs" in markdown and "Activity for pairs" in markdown
    assert f"/widgets/apps/form.ipynb?assignment={SESSIONS[name]}&" in markdown  # its form


def test_the_evidence_is_stated_as_the_sources_say():
    f1 = _flat(FAMILY / "f1-money-decisions-at-home.ipynb", "markdown")
    for words in ("about **400 migrant workers**", "**two days** of financial education (18 hours)",
                  "**two half-days** (8 hours)", "Training the migrant alone did not change the household",
                  "Doi, McKenzie and Zia", "Working Paper 6157", "Atikha", "two-day family"):
        assert words in f1, words
    assert "separate two-day course" not in json.dumps([_text(p) for p in ALL])


def test_the_family_track_has_cases_from_every_country():
    markdown = "\n".join(_text(FAMILY / name, "markdown") for name in SESSIONS)
    everything = "\n".join(_text(FAMILY / name) for name in SESSIONS)
    for country, (name, currency) in COUNTRY_WORDS.items():
        assert name in markdown, f"no case from {country}"
        assert currency in everything, f"no amount in the currency of {country}"


def test_cases_are_balanced():
    """Men as returnees and as partners who help; women in trades beyond food and sewing."""
    text = " ".join(_flat(FAMILY / name, "markdown") for name in SESSIONS)
    for man_returning in ("**Ramon** comes home", "**Javier** comes home", "**Somchai** comes home"):
        assert man_returning in text
    for helping in ("He wrote every rupiah she sent in a notebook", "Nonoy cooked",
                    "Somchai now takes the children to school and cooks dinner"):
        assert helping in text
    for trade in ("phone-repair", "tricycle", "electrician", "online shop", "greenhouse", "taxi",
                  "buffaloes"):
        assert trade in text, trade


# ------------------------------------------------------------------------------ country packs
@pytest.mark.parametrize("name,code", sorted(PACK_FILES.items()))
def test_pack_has_its_currency_group_institutions_and_local_note(name, code):
    path = PACKS / name
    country = COUNTRIES[code]
    markdown, code_text = _flat(path, "markdown"), _text(path, "code")
    assert country.savings_group in markdown
    assert f'COUNTRIES["{code}"]' in code_text and "example_savings_plan(country.currency)" in code_text
    assert "savings_app(plan=plan, currency=country.currency" in code_text
    for words in PACK_NAMES[code]:
        assert words in markdown, f"{name} should name {words}"
    assert "What to find out locally" in markdown and "*Find out locally*" in markdown


def test_mexico_teaches_3x1_in_the_past_tense():
    text = _flat(PACKS / "mexico.ipynb", "markdown")
    assert "Federal funding of 3x1 ended with the 2020 budget" in text
    assert "**not** a programme a returnee can apply to today" in text
    assert not re.search(r"3x1( for Migrants)? (gives|offers|provides|funds|matches|helps)", text)


# ------------------------------------------------------------------------------ stated figures
def test_figures_stated_in_the_text_equal_the_models():
    f2 = FAMILY / "f2-remittance-agreement-and-budget.ipynb"
    assert "sent, fee, margin = 40_000, 500, 2.0" in _text(f2, "code")
    cost, received = sending(40_000, 500, 2.0)
    assert f"NPR {received:,.0f} that arrives each month" in _flat(f2, "markdown")
    income = {"milk": 12_000, "work": 18_000}
    expenses = {"food": 16_000, "school": 6_000, "power": 2_500, "medicine": 3_000, "dhikuti": 2_000}
    assert balance(income, expenses) > 0 > balance({"milk": 12_000}, expenses), (
        "the text says the family is fine if Hari works, and short until he does")

    f3 = _text(FAMILY / "f3-children-reunion-and-care-work.ipynb")
    for week in re.findall(r'"[^"]+"\)?: (\{"Joy": \d+, "Nonoy": \d+, "Lola Nena": \d+, "Angel": \d+\})', f3):
        assert sum(json.loads(week).values()) == 62, "the text says about 62 hours a week"

    f4 = _text(FAMILY / "f4-shared-reintegration-plan.ipynb")
    from widgets.family.model import Step
    draft = check_plan([Step("work", "economic", 1, 0, "Javier"),
                        Step("certify", "economic", 2, 1_500, "Javier"),
                        Step("truck", "economic", 2, 60_000, "Javier")], ("Javier", "Rosa"))
    assert '"economic", 2, 60_000, "Javier"' in f4 and '"economic", 2, 1_500, "Javier"' in f4
    assert "spends two-thirds of the savings in month 2" in " ".join(f4.split())
    assert abs(draft.cost_by_month[2] / 90_000 - 2 / 3) < 0.02
    assert draft.missing_dimensions == ("social", "psychosocial") and draft.people_without_steps == ("Rosa",)

    thai = summarize(example_savings_plan("THB"))
    assert [g.reached_month is None for g in thai.goals].count(True) == 1, (
        "the Thailand pack says one goal is not reached in five years")
    assert "one goal is not reached" in _flat(PACKS / "thailand.ipynb", "markdown")
    assert summarize(example_savings_plan("MXN")).remitting_cost_pct > 3, (
        "the Mexico pack says sending costs more than 3 %")


# ------------------------------------------------------------------------------ nbval
@pytest.mark.timeout(420)
def test_lessons_run_with_nbval(tmp_path):
    """Both folders in one nbval process; the kernels share compiled bytecode."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-o", "addopts=",
         "-v", str(FAMILY), str(PACKS)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=400)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
    for path in sorted(FAMILY.glob("*.ipynb")) + sorted(PACKS.glob("*.ipynb")):
        ran = re.search(rf"{re.escape(path.stem)}(\.ipynb)?::(ipynb::)?Cell 0 PASSED", result.stdout)
        assert ran, f"{path.name} was not run"
