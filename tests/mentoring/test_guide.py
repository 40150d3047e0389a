"""facilitator_guides/mentoring.md: linked, its paths exist, and its rules, settings and
weights are the ones the code uses."""

from __future__ import annotations

import re
from pathlib import Path

from grading.checkins import CHECKINS, FIELDS, MILESTONES
from grading.config import INDICATORS, load_config

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "facilitator_guides" / "mentoring.md"
TEXT = GUIDE.read_text()
FLAT = " ".join(TEXT.split())  # sentences may wrap


def test_linked_from_the_guides_index():
    assert "`facilitator_guides/mentoring.md`" in (ROOT / "facilitator_guides" / "README.md").read_text()


def test_every_path_it_names_exists():
    paths = set(re.findall(r"`((?:exercises|grading|facilitator_guides|widgets|benchmarks)/[\w./-]+)`",
                           TEXT))
    assert len(paths) >= 8
    missing = sorted(p for p in paths if not (ROOT / p).exists())
    assert not missing, missing
    for checkin in CHECKINS:
        assert f"exercises/checkin_{checkin}/checkin_{checkin}.ipynb" in paths


def test_the_index_is_called_homewards_own():
    assert ("**Homeward's own index, inspired by the IOM framework's three dimensions; it is not "
            "IOM's Reintegration Sustainability Survey score.**") in FLAT
    assert "RSS" not in TEXT
    assert "CFPB Financial Well-Being Scale" in FLAT and "not approximated" in FLAT


def test_flag_settings_and_defaults_match_the_config():
    config = load_config()
    for code, rule in config.flags.items():
        assert f"| `{code}` |" in TEXT, code
        for name, default in rule.items():
            if name in ("enabled", "reason", "statuses"):
                continue
            assert f"`flags.{code}.{name}` ({default:g})" in TEXT, (code, name)
    assert '`flags.missed_checkin.statuses` (`["missing", "broken"]`)' in TEXT


def test_index_weights_match_the_config():
    config = load_config()
    rows = re.findall(r"^\| (?:(\w+) \(([\d.]+)\))? *\| `(\w+)` \| ([\d.]+) \|", TEXT, re.M)
    assert len(rows) == sum(len(v) for v in INDICATORS.values())
    dimension = None
    for name, weight, indicator, indicator_weight in rows:
        if name:
            dimension = name
            assert float(weight) == config.index["dimension_weights"][dimension]
        assert float(indicator_weight) == config.index[dimension][indicator], indicator
    scales = config.index["scales"]
    assert f"100 at {scales['emergency_fund_full_at_months']:g} months" in FLAT
    assert f"take {scales['debt_burden_zero_at_pct']:g} % of income" in FLAT


def test_milestones_and_form_fields_are_all_described():
    for milestone in MILESTONES:
        assert f"| `{milestone.code}` |" in TEXT
    for field in FIELDS:
        assert f"`{field}`" in TEXT, field


def test_privacy_rules_are_written_down():
    for words in ('"fewer than 5"', "pseudonyms.csv", "outside version control", "--names",
                  "only ever appended to", "hidden (protects a small group)"):
        assert words in FLAT, words
