"""Reports from records (no nbgrader): pseudonymised by default, small groups suppressed in the
CSV files, the HTML tables and the charts alike, charts inline, printable."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from grading.progress import HIDDEN, SUPPRESSED, tables_from_records
from grading.reports import build_report, main
from grading.synthetic import synthetic_cohort

from .conftest import PEOPLE, answer_records, cohort_records


@pytest.fixture(scope="module")
def tables():
    exercises = pd.DataFrame({"participant": ["p01", "p02", "p03", "p06"],
                              "assignment": "ee99_toy", "score": [2, 0, None, None],
                              "max_score": 2,
                              "status": ["graded", "graded", "submitted", "submitted"]})
    return tables_from_records(PEOPLE, cohort_records(), exercises)


@pytest.fixture(scope="module")
def report(tables, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return out, build_report(tables, out)


def cells(folder: Path) -> list[str]:
    found = []
    for path in folder.glob("*.csv"):
        with path.open(newline="") as handle:
            found += [c for row in csv.reader(handle) for c in row]
    return found


def test_files(report):
    out, written = report
    assert set(written) == {"report.html", "participants_progress.csv", "flags.csv",
                            "cohort_overall.csv", "cohort_by_gender.csv",
                            "exercises_by_gender.csv"}
    assert all(path.parent == out and path.stat().st_size > 0 for path in written.values())


def test_no_names_ids_emails_or_gender_by_default(report):
    out, _ = report
    page = (out / "report.html").read_text()
    found = cells(out)
    for person in PEOPLE.to_dict("records"):
        for secret in (f"{person['first_name']} {person['last_name']}", person["last_name"],
                       person["email"]):
            assert secret not in page and not any(secret in c for c in found), secret
        assert person["id"] not in found and f">{person['id']}<" not in page
    people = pd.read_csv(out / "participants_progress.csv")
    assert list(people.columns[:2]) == ["pseudonym", "checkin"]
    assert "gender" not in people.columns
    assert set(people["pseudonym"]) == {f"P-{i:04d}" for i in range(1, 11)}


def test_small_groups_show_fewer_than_5_in_csv_and_html(report):
    out, _ = report
    by_gender = pd.read_csv(out / "cohort_by_gender.csv", dtype=str)
    for group in ("man", "unknown"):  # 3 men and 2 people without a gender
        values = by_gender[by_gender["gender"] == group].drop(columns=["checkin", "gender"])
        assert len(values) == 4 and (values == SUPPRESSED).all().all()
    women = by_gender[by_gender["gender"] == "woman"]
    assert women["participants"].tolist() == ["5"] * 4
    exercises = pd.read_csv(out / "exercises_by_gender.csv", dtype=str)
    assert exercises["gender"].tolist() == ["woman", "man", "unknown"]
    assert exercises["handed_in"].tolist() == ["60.0", SUPPRESSED, SUPPRESSED]
    page = (out / "report.html").read_text()
    for caption in ("By gender", "Milestones by gender", "Index by gender"):
        table = re.search(rf"<caption>{caption}</caption>.*?</table>", page, re.S).group(0)
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        men = [r for r in rows if "<td>man</td>" in r]
        assert len(men) == 4
        for row in men:
            values = re.findall(r"<td>(.*?)</td>", row)[2:]
            assert values and all(v == SUPPRESSED for v in values), (caption, values)
    # the chart by gender does not draw them, and says so
    chart = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "Not shown: man: fewer than 5; unknown: fewer than 5" in chart
    assert ">woman<" in chart and ">man<" not in chart
    assert chart.count(">not due yet<") == 2  # 6 and 12 months


def test_a_group_hidden_to_protect_a_small_one(tmp_path):
    people = PEOPLE[PEOPLE["id"].isin([f"p{i:02d}" for i in range(1, 9)])]
    records = answer_records()
    tables = tables_from_records(people, records[records["participant"].isin(people["id"])],
                                 None)
    build_report(tables, tmp_path)
    by_gender = pd.read_csv(tmp_path / "cohort_by_gender.csv", dtype=str)
    assert (by_gender[by_gender["gender"] == "woman"]["participants"] == HIDDEN).all()
    assert HIDDEN in (tmp_path / "report.html").read_text()


def test_report_page_is_printable_with_inline_charts(report):
    out, _ = report
    page = (out / "report.html").read_text()
    assert page.count("<svg") == 4 and "<img" not in page and "http" not in page.split(
        "<svg")[0]
    assert "size: A4" in page and "page-break-inside: avoid" in page
    assert "It is <b>not</b> IOM's Reintegration Sustainability Survey score" in page
    assert "Flag rules (grading/progress_config.json)" in page
    assert "People to contact: flags at the 3 months check-in" in page


def test_missing_and_broken_checkins_appear_as_such(report):
    out, _ = report
    people = pd.read_csv(out / "participants_progress.csv", keep_default_na=False)
    status = people.set_index(["pseudonym", "checkin"])["status"]
    assert status["P-0009", "baseline"] == "broken"
    assert status["P-0010", "baseline"] == "missing"
    assert status["P-0007", "m03"] == "late"
    flags = pd.read_csv(out / "flags.csv")
    assert ((flags["pseudonym"] == "P-0009") & (flags["flag"] == "missed_checkin")).any()


def test_names_only_when_asked(tables, tmp_path):
    build_report(tables, tmp_path, names=True)
    people = pd.read_csv(tmp_path / "participants_progress.csv")
    assert people.loc[0, "first_name"] == "Ana" and people.loc[0, "email"] == "p01@example.invalid"
    flags = pd.read_csv(tmp_path / "flags.csv")
    assert "Maria Example 02" in set(flags["name"])


def test_synthetic_demo_report_from_the_command_line(tmp_path, capsys):
    assert main(["--synthetic", "300", "--seed", "2", "--out", str(tmp_path),
                 "--no-progress"]) == 0
    assert capsys.readouterr().out.strip() == f"report: {tmp_path / 'report.html'}"
    people = pd.read_csv(tmp_path / "participants_progress.csv")
    assert len(people) == 1200
    overall = pd.read_csv(tmp_path / "cohort_overall.csv")
    assert overall["participants"].eq(300).all()


def test_large_cohort_report_lists_at_most_300_people_to_contact(tmp_path):
    tables = tables_from_records(*synthetic_cohort(2000, seed=8))
    build_report(tables, tmp_path)
    page = (tmp_path / "report.html").read_text()
    table = re.search(r"<caption>People to contact.*?</table>", page, re.S).group(0)
    assert table.count("<tr>") == 300  # the header row has a style attribute
    assert re.search(r"\d+ more rows in flags.csv", page)
