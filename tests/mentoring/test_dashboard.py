"""The facilitator dashboard without a browser: build it, set widget values, read what the
page would show.

The demo cohort is the seeded synthetic one; a "real" course is a throw-away nbgrader course
directory under ``tmp_path`` (made with :meth:`grading.course.Course.create`, participants
imported through nbgrader's gradebook API). The data record comes from ``grading.dashboard``,
the page from ``widgets.mentoring``; the viewer is who the server says is looking.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from grading import dashboard as D
from grading.progress import cohort_summary, tables_from_records
from grading.synthetic import synthetic_cohort
from widgets.mentoring import model as M
from widgets.mentoring.model import Viewer
from widgets.mentoring.view import Dashboard


def text(value: str) -> str:
    """The words of an HTML snippet."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)).strip()


def rows_of(value: str, css: str) -> list[list[str]]:
    """The body rows of the first table with class ``css`` in an HTML snippet."""
    table = re.search(rf"<table class='hw-table [^']*{css}[^']*'>.*?</table>", value, re.S)
    assert table, f"no table {css}"
    body = re.search(r"<tbody>(.*)</tbody>", table.group(0), re.S).group(1)
    return [[text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def all_html(widget) -> str:
    """Every HTML value in a widget tree (what the page can show)."""
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        if hasattr(w, "value") and isinstance(w.value, str):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return "\n".join(out)


MENTOR = Viewer("mentor-ana", may_see_names=True)


@pytest.fixture(scope="module")
def demo():
    return Dashboard(D.load_source({}), MENTOR)


# --- data source ------------------------------------------------------------------------


def test_demo_mode_builds_with_a_banner_and_only_the_first_tab(demo):
    assert demo.source.demo and demo.source.course_root is None
    assert "Demo data: 60 synthetic participants" in demo.banner.value
    assert "no real people" in demo.banner.value
    assert demo.prep.size == 60
    assert "Ready: 60 participants, 4 check-ins each" in demo.ready.value
    assert demo.widget.children[-1] is demo.ready  # the marker is the last thing rendered
    assert [len(child.children) for child in demo.tabs.children[1:]] == [0, 0]  # lazy tabs
    assert demo.names_box is None  # no "Show names" on demo data


def test_demo_size_from_the_environment_and_bad_values():
    small = D.load_source({"HOMEWARD_DEMO_SIZE": "12"})
    assert small.demo and len(small.tables.participants) == 12
    assert "Demo data: 12 synthetic participants" in small.banner
    bad = D.load_source({"HOMEWARD_DEMO_SIZE": "-3"})
    assert len(bad.tables.participants) == 60
    assert "HOMEWARD_DEMO_SIZE must be a whole number" in bad.banner


def test_a_folder_that_is_not_a_course_falls_back_to_the_demo(tmp_path):
    source = D.load_source({"HOMEWARD_COURSE": str(tmp_path)})
    assert source.demo
    assert "HOMEWARD_COURSE does not name a course directory" in source.banner
    assert "Demo data" in source.banner
    assert str(tmp_path) not in source.banner  # the page never shows a path


def test_the_demo_is_seeded():
    a, b = D.demo_tables(30), D.demo_tables(30)
    pd.testing.assert_frame_equal(a.checkins, b.checkins)
    assert not D.demo_tables(30, seed=1).checkins.equals(a.checkins)


# --- cohort view ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_groups():
    """40 people: 30 women, 7 men, 3 who did not say: the last group must be withheld, and
    (3 < 5 hidden people) the men too, so nobody can subtract them from the whole cohort."""
    people, checkins, exercises = synthetic_cohort(40, seed=7)
    people["gender"] = ["woman"] * 30 + ["man"] * 7 + [""] * 3
    tables = tables_from_records(people, checkins, exercises)
    return Dashboard(D.Source(tables, True, None, "Demo data: test"), MENTOR), tables


def test_cohort_tables_show_the_summary_and_withhold_small_groups(small_groups):
    app, tables = small_groups
    html = app.cohort_tables.value + app.measure_table.value
    overview = {row[0]: row[1:] for row in rows_of(app.cohort_tables.value, "hw-overview")}
    assert list(overview) == ["Women", "Men", "Not stated", "Everyone"]
    assert set(overview["Not stated"]) == {"fewer than 5"}
    assert all(cell.startswith("hidden") for cell in overview["Men"])
    # Women and everyone: the figures of cohort_summary, written as whole percentages.
    summary = cohort_summary(tables).set_index(["checkin", "gender"])
    whole = cohort_summary(tables, by=None).set_index("checkin")
    assert overview["Women"][0] == "30" and overview["Everyone"][0] == "40"
    for i, checkin in enumerate(["baseline", "m03", "m06", "m12"]):
        assert overview["Women"][2 + i] == f"{summary.loc[(checkin, 'woman'), 'response_rate']:.0f}%"
        assert overview["Everyone"][2 + i] == f"{whole.loc[checkin, 'response_rate']:.0f}%"
    assert "class='hw-fewer'>fewer than 5<" in html
    # No figure of a withheld group reaches the page, in a table or in the chart.
    assert "Not stated" not in app.milestone_legend.value.split("Not drawn")[0]
    assert "Not drawn, to protect small groups: Men, Not stated" in app.milestone_legend.value
    assert len(app.measure_values) == 2  # women and everyone
    chart = app.milestone_chart.value
    assert chart.count("<polyline") == 2 and "Not stated" not in chart and ">Men<" not in chart
    assert "Women<b>30</b>" in app.cards.value and "Participants<b>40</b>" in app.cards.value


def test_milestone_picker_switches_chart_and_table(small_groups):
    app, tables = small_groups
    whole = cohort_summary(tables, by=None).set_index("checkin")
    app.measure_picker.value = "milestone_emergency_fund"
    assert "emergency fund of 3 months" in app.measure_table.value
    everyone = np.asarray(app.measure_values)[-1]
    np.testing.assert_allclose(
        everyone, whole.loc[["baseline", "m03", "m06", "m12"],
                            "milestone_emergency_fund"].astype(float))
    assert ">100</text>" in app.milestone_chart.value  # a share: the scale goes to 100
    app.measure_picker.value = "milestones_mean"
    assert np.nanmax(np.asarray(app.measure_values)) <= 5
    assert ">100</text>" not in app.milestone_chart.value


def test_index_by_dimension_is_the_whole_cohort_mean(demo):
    whole = cohort_summary(demo.prep.tables, by=None).set_index("checkin")
    bars = np.asarray(demo.index_values)
    assert demo.index_chart.value.count("<rect") == np.isfinite(bars).sum()
    for i, dim in enumerate(M.DIMENSIONS):
        np.testing.assert_allclose(bars[i], whole[dim].astype(float).to_numpy())
    rows = rows_of(demo.cohort_tables.value, "hw-index")
    assert rows[0][0] == "Baseline" and rows[0][1] == f"{whole.loc['baseline', 'economic']:.0f}"


# --- flags ------------------------------------------------------------------------------


def test_flag_filter_sort_and_pages(demo):
    demo.build_tab(1)
    flags = demo.prep.tables.flags
    assert f"1-25 of {len(flags)}" in demo.flag_status.value
    assert demo.flag_prev.disabled and not demo.flag_next.disabled
    code = flags["flag"].value_counts().index[-1]  # the rarest flag
    demo.flag_filter.value = code
    shown = rows_of(demo.flag_table.value, "hw-flags-table")
    assert shown and {row[2] for row in shown} == {code.replace("_", " ")}
    assert f"of {(flags['flag'] == code).sum()}" in demo.flag_status.value
    demo.flag_filter.value = ""
    demo.flag_sort.value = "checkin"
    first_page = rows_of(demo.flag_table.value, "hw-flags-table")
    assert [row[1] for row in first_page] == sorted(
        [row[1] for row in first_page], key=list(M.CHECKIN_LABELS.values()).index)
    assert first_page[0][1] == "Baseline"
    demo.flag_next.click()
    assert demo.flag_page_number == 1 and "26-50" in demo.flag_status.value
    assert rows_of(demo.flag_table.value, "hw-flags-table") != first_page
    demo.flag_reverse.value = True
    assert demo.flag_page_number == 0
    assert rows_of(demo.flag_table.value, "hw-flags-table")[0][1] == "12 months"
    demo.flag_sort.value, demo.flag_reverse.value = "pseudonym", False


# --- participant ------------------------------------------------------------------------


def test_picking_a_participant_updates_the_timeline_and_chart(demo):
    demo.build_tab(2)
    first = demo.picker.value
    assert first == demo.prep.flags["pseudonym"].iloc[0]
    before = demo.timeline.value
    pid = demo.prep.people.index[demo.prep.people["pseudonym"] == "P-0007"][0]
    demo.picker.value = "p-0007 "  # typed in lower case, with a space
    assert demo.participant == pid and demo.message.value == ""
    assert "<h3>P-0007" in demo.person_head.value
    assert demo.timeline.value != before
    timeline = rows_of(demo.timeline.value, "hw-timeline-table")
    checkins = [row for row in timeline if row[1] == "Check-in"]
    assert [row[2] for row in checkins] == ["Baseline", "3 months", "6 months", "12 months"]
    exercises = demo.prep.tables.exercises
    assert sum(row[1] == "Exercise" for row in timeline) == (exercises["participant"] == pid).sum()
    index = demo.prep.tables.index.set_index(["participant", "checkin"]).loc[pid]
    np.testing.assert_allclose(np.asarray(demo.person_values)[3],
                               index["overall"].astype(float).to_numpy())
    assert "Progress index over time: P-0007" in demo.person_chart.value


def test_an_unknown_pseudonym_says_so_and_keeps_the_view(demo):
    demo.build_tab(2)
    demo.picker.value = "P-0003"
    shown = demo.timeline.value
    demo.picker.value = "P-9999"
    assert "No participant is called" in demo.pick_error.value
    assert demo.timeline.value == shown and "P-0003" in demo.person_head.value


def test_demo_notes_are_not_saved(demo):
    demo.build_tab(2)
    assert demo.note_button.disabled
    assert "notes are not saved" in demo.note_status.value
    assert demo.add_note() is False


def test_names_are_never_shown_on_demo_data(demo):
    demo.build_tab(1)
    demo.build_tab(2)
    demo._on_names({"new": True})  # even if a browser sent "show names"
    page = all_html(demo.widget)
    names = demo.prep.tables.participants["first_name"]
    last = demo.prep.tables.participants["last_name"]
    assert not any(n in page for n in last), "a last name reached the page"
    assert demo.show_names is False
    assert not any(f"{f} {n}" in page for f, n in zip(names, last, strict=True))


def test_a_callback_error_shows_a_message_not_a_traceback(demo, monkeypatch):
    demo.build_tab(1)
    monkeypatch.setattr(M, "flag_page", lambda *a, **k: 1 / 0)
    demo.flag_next.click()
    assert "Something went wrong" in demo.message.value
    assert "Traceback" not in all_html(demo.widget)
    monkeypatch.undo()
    demo.flag_prev.click()
    assert demo.message.value == ""


# --- a real course ----------------------------------------------------------------------

PEOPLE = """id,first_name,last_name,email,gender,cohort
r01,Rosa,Villanueva,,woman,2026-B
r02,Lina,Marquez,,woman,2026-B
r03,Sari,Wulandari,,woman,2026-B
r04,Nur,Hidayati,,woman,2026-B
r05,Joy,Castillo,,woman,2026-B
r06,Ben,Ramos,,man,2026-B
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    from grading.course import Course

    base = tmp_path_factory.mktemp("dashboard-course")
    (base / "exercises").mkdir()
    course = Course.create(base / "course", exercises=base / "exercises")
    (base / "people.csv").write_text(PEOPLE)
    course.add_participants(base / "people.csv")
    return course


@pytest.fixture
def real(course):
    environ = {"HOMEWARD_COURSE": str(course.root)}
    return Dashboard(D.load_source(environ), MENTOR)


def test_a_course_directory_is_read_not_the_demo(real, course):
    assert not real.source.demo and real.source.course_root == course.root
    assert "Demo data" not in real.banner.value
    assert f"Course: {course.course_id}." in real.banner.value
    assert str(course.root) not in all_html(real.widget)  # the page never shows the path
    assert real.prep.size == 6
    assert real.names_box is not None


def test_the_women_card_does_not_give_away_a_small_group(real):
    # 5 women and 1 man: the man is "fewer than 5", so the women's count is withheld too
    # (6 - 5 would give him away), in the tables and on the card.
    assert "Women<b>hidden</b>" in real.cards.value
    overview = {row[0]: row[1] for row in rows_of(real.cohort_tables.value, "hw-overview")}
    assert overview == {"Women": "hidden", "Men": "fewer than 5", "Everyone": "6"}
    assert "No check-in answered yet" in real.milestone_legend.value


def test_names_are_hidden_until_the_facilitator_asks(real):
    real.build_tab(1)
    real.build_tab(2)
    real.picker.value = real.prep.people.loc["r01", "pseudonym"]  # Rosa's (course secret)
    assert real.message.value == "" and "Baseline" in real.timeline.value
    assert "Rosa" not in all_html(real.widget) and "Villanueva" not in all_html(real.widget)
    real.names_box.value = True
    assert "Rosa Villanueva" in real.person_head.value
    real.names_box.value = False
    assert "Rosa" not in real.person_head.value


def test_a_note_is_appended_to_the_course_log_and_shown(real, course):
    from grading.mentor_log import read_log

    real.build_tab(2)
    real.picker.value = real.prep.people.loc["r02", "pseudonym"]
    pid = real.participant
    assert not real.note_button.disabled
    assert "signed: mentor-ana" in real.note_author.value
    real.note_text.value = ""
    assert real.add_note() is False and "Write a note first" in real.note_status.value
    real.note_text.value = "Called her; she restarts the sari-sari store next month."
    assert real.add_note() is True
    assert real.message.value == "" and "Note saved" in real.note_status.value
    assert real.note_text.value == ""
    notes = read_log(course.root, pid)
    assert "restarts the sari-sari store" in " ".join(map(str, pd.DataFrame(notes)["text"]))
    assert list(pd.DataFrame(notes)["author"]) == ["mentor-ana"]  # the login, not typed
    assert "restarts the sari-sari store" in real.log_view.value
    assert "Mentor&#x27;s note" in real.timeline.value or "Mentor's note" in real.timeline.value
    # a fresh dashboard (a new visitor) reads the same log: it is kept in the course
    again = Dashboard(D.load_source({"HOMEWARD_COURSE": str(course.root)}), MENTOR)
    again.build_tab(2)
    again.picker.value = again.prep.people.loc["r02", "pseudonym"]
    assert "restarts the sari-sari store" in again.log_view.value
    # another person's log stays empty
    again.picker.value = again.prep.people.loc["r03", "pseudonym"]
    assert "No notes yet" in again.log_view.value


def test_read_the_course_again_shows_new_participants_and_keeps_the_view(real, course, tmp_path):
    real.build_tab(2)
    real.tabs.selected_index = 2
    real.picker.value = real.prep.people.loc["r03", "pseudonym"]
    before = real.prep.size
    assert "Read at" in real.banner.value and real.reload_button.layout.display != "none"
    extra = tmp_path / "more.csv"
    extra.write_text("id,first_name,last_name,email,gender,cohort\n"
                     "r07,Mila,Reyes,,woman,2026-B\n")
    course.add_participants(extra)
    assert real.prep.size == before  # what the page holds was read before
    real.reload_button.click()
    assert real.message.value == ""
    assert real.prep.size == before + 1
    assert f"Ready: {before + 1} participants" in real.ready.value
    r03, r07 = real.prep.people.loc[["r03", "r07"], "pseudonym"]
    assert real.tabs.selected_index == 2 and f"<h3>{r03}" in real.person_head.value
    assert r07 in real.picker.options


def test_no_reload_button_on_demo_data(demo):
    assert demo.reload_button.layout.display == "none"


# --- who is looking ---------------------------------------------------------------------


def test_a_viewer_the_server_does_not_allow_gets_no_names_even_if_a_browser_asks(course):
    environ = {"HOMEWARD_COURSE": str(course.root)}
    app = Dashboard(D.load_source(environ), Viewer("grader-bo", may_see_names=False))
    assert app.names_box is None
    app.build_tab(1)
    app.build_tab(2)
    app.picker.value = app.prep.people.loc["r01", "pseudonym"]
    app._on_names({"new": True})  # what a forged widget message could ask for
    assert app.show_names is False
    assert "Rosa" not in all_html(app.widget) and "Villanueva" not in all_html(app.widget)


def test_without_a_login_no_note_can_be_written(course):
    from grading.mentor_log import read_log

    environ = {"HOMEWARD_COURSE": str(course.root)}
    before = len(read_log(course.root))
    app = Dashboard(D.load_source(environ), Viewer())
    app.build_tab(2)
    app.picker.value = app.prep.people.loc["r04", "pseudonym"]
    assert app.note_button.disabled
    app.note_text.value = "Anyone could sign this."
    assert app.add_note() is False and "signed with your login" in app.note_status.value
    assert len(read_log(course.root)) == before


def test_the_viewer_comes_from_the_hub_service_not_the_page():
    hub = {D.HUB_MODE: "1", D.VIEWER_VARIABLE: '{"name": "fac-lita", "names": false}'}
    assert D.viewer(hub) == Viewer("fac-lita", False)
    assert D.viewer({D.HUB_MODE: "1"}) == Viewer()  # a kernel the service did not name
    local = D.viewer({})
    assert local.signature and local.may_see_names  # this machine's own account
