"""What grading writes stays private: pseudonyms from a course secret, owner-only files, CSV
cells that a spreadsheet cannot run, and figures withheld when fewer than 5 people answered."""

from __future__ import annotations

import csv
import io
import stat

import pandas as pd
import pytest

from grading.progress import (
    FEW_ANSWERS,
    HIDDEN,
    SUPPRESSED,
    _stable_pseudonyms,
    cohort_summary,
    course_secret,
    pseudonym,
    tables_from_records,
)
from grading.reports import build_report
from widgets.csvsafe import safe_cell, safe_frame, unsafe_cell, write_private_csv


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---------------------------------------------------------------------- pseudonyms
def test_pseudonyms_are_keyed_not_numbered(tmp_path):
    ids = pd.Series([f"P{i:02d}" for i in range(1, 31)])
    names = _stable_pseudonyms(tmp_path, ids)
    assert names.str.fullmatch(r"P-[2-9A-HJKMNP-Z]{6}").all() and names.is_unique
    assert list(names) != sorted(names)  # the order of ids does not show through
    assert _mode(tmp_path / ".pseudonym-secret") == 0o600
    assert _mode(tmp_path / "pseudonyms.csv") == 0o600
    # the same course secret gives the same pseudonyms; another course other ones
    assert list(_stable_pseudonyms(tmp_path, ids)) == list(names)
    other = tmp_path / "other"
    other.mkdir()
    assert not set(_stable_pseudonyms(other, ids)) & set(names)
    secret = course_secret(tmp_path)
    assert pseudonym(secret, "P07") == names[6]


def test_in_a_course_shared_by_a_group_the_secret_is_the_groups(tmp_path):
    """On the workshop hub the course folder is setgid, shared by the facilitators and the
    dashboard: the secret whoever reads first makes must be readable by the others, or each
    names the same person differently."""
    tmp_path.chmod(0o2770)
    secret = course_secret(tmp_path)
    assert _mode(tmp_path / ".pseudonym-secret") == 0o640
    assert course_secret(tmp_path) == secret


def test_an_old_numbered_table_is_kept_aside(tmp_path):
    (tmp_path / "pseudonyms.csv").write_text("participant,pseudonym\nP01,P-0001\nP02,P-0002\n")
    names = _stable_pseudonyms(tmp_path, pd.Series(["P01", "P02"]))
    assert not names.str.startswith("P-000").any()
    kept = pd.read_csv(tmp_path / "pseudonyms-numbered.csv")
    assert list(kept["pseudonym"]) == ["P-0001", "P-0002"]


# ---------------------------------------------------------------------- CSV cells
@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://example.org","x")'])
def test_formula_starts_are_written_as_text(text):
    assert safe_cell(text) == "'" + text
    assert unsafe_cell(safe_cell(text)) == text


def test_numbers_stay_numbers_and_plain_text_stays_plain():
    frame = pd.DataFrame({"name": ["Ana", "=cmd|' /C calc'!A0", "-"], "amount": [-5.5, 0, 3]})
    out = safe_frame(frame)
    assert out["name"].tolist() == ["Ana", "'=cmd|' /C calc'!A0", "'-"]
    assert out["amount"].tolist() == [-5.5, 0, 3]
    text = out.to_csv(index=False)
    assert "\n'=cmd" in text and ",-5.5\n" in text


def test_private_csv_is_the_owners_only(tmp_path):
    path = write_private_csv(pd.DataFrame({"a": ["=x"]}), tmp_path / "out.csv")
    assert _mode(path) == 0o600
    assert path.read_text() == "a\n'=x\n"


def test_business_loan_csv_escapes_a_loan_name():
    from dataclasses import replace

    from widgets.business.model import analyse
    from widgets.business.report import loans_csv
    from widgets.business.templates import TEMPLATES
    from widgets.loans import Loan

    plan = TEMPLATES["food_stall"]
    funding = tuple(replace(f, name="@SUM(1+1)*cmd") if isinstance(f, Loan) else f
                    for f in plan.funding)
    rows = list(csv.reader(io.StringIO(loans_csv(analyse(replace(plan, funding=funding)), "en"))))
    assert {row[0] for row in rows[1:]} == {"'@SUM(1+1)*cmd"}
    header = rows[0]
    assert float(rows[1][header.index("Payment")]) > 0  # the payment is still a number


# ---------------------------------------------------------------------- few answers
def _cohort(women_answering: int, women: int = 6, men: int = 6):
    people = pd.DataFrame({
        "participant": [f"w{i}" for i in range(women)] + [f"m{i}" for i in range(men)],
        "gender": ["woman"] * women + ["man"] * men})
    rows = []
    answering = [f"w{i}" for i in range(women_answering)] + [f"m{i}" for i in range(men)]
    for pid in answering:
        rows.append({"participant": pid, "checkin": "baseline", "status": "submitted",
                     "savings": 1000, "savings_plan": 1000, "emergency_months": 1.0,
                     "debt": 0, "repayment": 0, "income": 10000, "business_status": "none",
                     "profit": 0, "working": True, "family": 4, "community": 4,
                     "wellbeing": 1 if pid == "w0" else 5, "next_milestones": ""})
    return tables_from_records(people, pd.DataFrame(rows), None)


def test_one_womans_answer_is_not_shown_as_the_womens_index():
    summary = cohort_summary(_cohort(women_answering=1)).set_index(["checkin", "gender"])
    women = summary.loc[("baseline", "woman")]
    assert women["participants"] == 6  # a group of 6: shown
    assert women["response_rate"] == pytest.approx(100 / 6, abs=0.1)
    for column in ("overall", "psychosocial", "milestones_mean", "milestone_next_milestones"):
        assert women[column] == FEW_ANSWERS, column
    # 1 woman's answers withheld: the men's (6 answers) would give hers away by subtraction
    men = summary.loc[("baseline", "man")]
    assert men["overall"] == HIDDEN and men["participants"] == 6
    whole = cohort_summary(_cohort(women_answering=1), by=None).set_index("checkin")
    assert not isinstance(whole.loc["baseline", "overall"], str)  # 7 answers: shown


def test_five_answers_are_shown():
    summary = cohort_summary(_cohort(women_answering=5)).set_index(["checkin", "gender"])
    assert isinstance(summary.loc[("baseline", "woman"), "overall"], float)
    assert isinstance(summary.loc[("baseline", "man"), "overall"], float)


def test_a_small_group_is_still_fewer_than_5():
    summary = cohort_summary(_cohort(women_answering=3, women=3)).set_index(["checkin",
                                                                             "gender"])
    assert summary.loc[("baseline", "woman"), "overall"] == SUPPRESSED


def test_reports_are_the_owners_only_and_csv_safe(tmp_path):
    tables = _cohort(women_answering=5)
    tables.participants.loc[0, "first_name"] = "=HYPERLINK(\"http://x\")"
    written = build_report(tables, tmp_path / "report", names=True)
    assert _mode(tmp_path / "report") == 0o700
    for path in written.values():
        assert _mode(path) == 0o600, path
    cells = [cell for row in csv.reader(written["participants_progress.csv"].open())
             for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells and "=HYPERLINK(\"http://x\")" not in cells
