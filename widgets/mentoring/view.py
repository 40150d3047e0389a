"""The facilitator dashboard: the progress of a cohort on one page (ipywidgets, SVG charts).

Three views, in tabs:

- **Cohort**: completion of exercises, check-in response rates, milestones reached and the
  progress index from the baseline to 12 months, by gender and for the whole cohort. A group
  under five people shows "fewer than 5" (and a group that would let someone work out a small
  group by subtraction shows "hidden"): the data record's summary does the counting, this page
  only shows it. Two charts: milestones over time by gender, and the progress index by
  dimension.
- **Flags**: the at-risk flags as a table that can be filtered by flag, sorted and paged.
- **Participant**: one person's timeline of exercises and check-ins, milestones, progress
  index over time (a chart), flags and the mentor's log, where the facilitator adds a note
  signed with her login.

The page shows what :mod:`widgets.mentoring.model` computes from a data record
(:class:`~widgets.mentoring.model.MentoringData`; the course's is
:func:`grading.dashboard.load_source`) for a :class:`~widgets.mentoring.model.Viewer`, the
facilitator the server says is looking. People are shown by pseudonym; names appear only on a
real course, for a viewer the server allows to see them, when she ticks "Show names".

Speed: everything the first view shows is computed once (:func:`~widgets.mentoring.model.prepare`);
tables on the page have a limited number of rows (a page of flags, one person's rows); the
Flags and Participant tabs are built the first time they are opened. Voila runs the app
notebook before a visitor arrives (``preheat_kernel`` in ``widgets/apps/voila.json``).

The page is in English, the language of the facilitators' course, in plain words; it does not
use the returnees' app catalogs (``widgets/locale``). It is a Homeward page (``widgets/page``):
charts are SVG drawn here (:mod:`widgets.charts`) with a legend and their numbers as a table,
wide tables scroll inside their own box, and it works on a phone.

Use it in a notebook (or Voila) with::

    from grading.dashboard import load_source, viewer
    from widgets.mentoring.view import dashboard_app
    dashboard_app(load_source(), viewer())
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import traceback

import ipywidgets as W
import numpy as np
import pandas as pd

from widgets import charts
from widgets.mentoring import model as M
from widgets.mentoring.model import (
    DASH,
    DIMENSION_COLORS,
    DIMENSIONS,
    GROUP_COLORS,
    PAGE_SIZE,
    PERCENT_TICKS,
    PERSON_GENDER,
    SORTS,
    MentoringData,
    Viewer,
    card_figure,
    checkin_label,
    group_label,
    group_order,
    html_table,
    missing,
    number,
    percent,
    prepare,
    timeline_table,
    when,
    words,
)

log = logging.getLogger(__name__)

CSS = """
<style>
.hw-dash { max-width: 1180px; margin: 0 auto; font-size: 16px; box-sizing: border-box; }
.hw-dash * { box-sizing: border-box; }
.hw-dash h2 { margin: 4px 0; }
.hw-dash h3 { margin: 10px 0 4px 0; font-size: 18px; }
.hw-banner { background: #fff4e5; border-left: 4px solid #8a4b00; padding: 6px 10px; }
.hw-banner.hw-real { background: #eef5fb; border-left-color: #1f6fb2; }
.hw-scroll { overflow-x: auto; max-width: 100%; }
.hw-table { border-collapse: collapse; margin: 4px 0 10px 0; font-size: 15px; }
.hw-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.hw-table th, .hw-table td { border-bottom: 1px solid #ccc; padding: 4px 8px; text-align: left;
  white-space: nowrap; }
.hw-table th { background: #eef5f1; }
.hw-table td.hw-fewer { color: #555; font-style: italic; }
.hw-tables { display: flex; flex-wrap: wrap; gap: 0 24px; max-width: 100%; }
.hw-tables > * { max-width: 100%; }
.hw-cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
.hw-card { flex: 1 1 140px; background: #eef5f1; border-radius: 8px; padding: 8px 10px; }
.hw-card b { display: block; font-size: 21px; color: #0b5d3b; }
.hw-cols { display: flex; flex-wrap: wrap; gap: 16px; width: 100%; }
.hw-col { flex: 1 1 420px; min-width: 0; max-width: 100%; }
.hw-dash .widget-label { white-space: normal; }
.hw-dash .widget-inline-hbox, .hw-dash .widget-hbox { max-width: 100%; }
.hw-dash .widget-dropdown, .hw-dash .widget-combobox { width: auto; max-width: 100%; }
.hw-dash .widget-dropdown select { max-width: 100%; }
.hw-legend { font-size: 15px; margin: 0 0 8px 0; }
.hw-legend span { display: inline-block; margin-right: 12px; white-space: nowrap; }
.hw-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
  border-radius: 2px; vertical-align: -1px; }
.hw-note { border-left: 3px solid #7fa99a; padding: 2px 8px; margin: 6px 0; }
.hw-note small { color: #454545; }
.hw-error { color: #a3001b; font-weight: 600; }
.hw-muted { color: #454545; }
.hw-reasons dt { font-weight: 600; } .hw-reasons dd { margin: 0 0 6px 16px; }
.hw-ready { color: #454545; font-size: 15px; margin-top: 8px; }
@media (max-width: 600px) { .hw-col { flex-basis: 100%; } }
</style>
"""


def _html(value: str = "", css: str = "") -> W.HTML:
    widget = W.HTML(value)
    if css:
        widget.add_class(css)
    return widget


def _chart(title: str, labels: list[str], series: list[charts.Series], css: str,
           ticks=PERCENT_TICKS, bars: bool = False, note: str = "") -> str:
    """A dashboard chart as SVG: check-ins across, a fixed scale up, a legend and its table."""
    chart = charts.Chart(title=title, x_labels=labels, series=series, y_format=number,
                         y_ticks=list(ticks), table_x_header="Check-in", css=css,
                         description=note)
    return charts.chart_html(chart)


class Dashboard:
    """The whole dashboard. ``Dashboard(source).widget`` is what a page shows."""

    TABS = ("Cohort", "Flags", "Participant")

    def __init__(self, source: MentoringData, viewer: Viewer | None = None, *,
                 eager: bool = False):
        self.source = source
        self.viewer = viewer or Viewer()
        self.prep = prepare(source)
        self.read_at = dt.datetime.now(dt.UTC)
        self.show_names = False
        self.participant: str | None = None
        self.log_output = W.Output(layout={"display": "none"})
        self.log_output.add_class("hw-log-output")
        self._built: set[int] = set()
        self._build()
        if eager:  # every tab at once (the benchmark's comparison)
            for index in range(len(self.TABS)):
                self.build_tab(index)

    # building ------------------------------------------------------------------------
    def _build(self) -> None:
        real = {"width": "auto", "display": "none" if self.source.demo else None}
        # One widget for the style, the title and the banner: fewer models to send and draw.
        self.banner = _html(self._banner_html())
        self.message = _html("", "hw-error")
        # "Show names" exists only for a viewer the server allows, on a real course.
        self.names_box = None
        if self.viewer.may_see_names and not self.source.demo:
            self.names_box = W.Checkbox(value=False, description="Show names", indent=False,
                                        layout={"width": "auto"})
            self.names_box.observe(self._on_names, "value")
        # Voila runs the notebook before a visitor comes: the course may have changed since.
        self.reload_button = W.Button(description="Read the course again", layout=real)
        self.reload_button.on_click(lambda button: self._guard(self.reload))
        self.tabs = W.Tab(children=[self._build_cohort(), W.VBox(), W.VBox()],
                          titles=list(self.TABS))
        self._built.add(0)
        self.tabs.observe(lambda change: self._guard(self.build_tab, change["new"]),
                          "selected_index")
        self.ready = _html(self._ready_html(), "hw-ready")
        tools = W.HBox([b for b in (self.names_box, self.reload_button) if b is not None],
                       layout={"flex_flow": "row wrap", "align_items": "center"})
        self.widget = W.VBox([self.banner, tools, self.message, self.tabs, self.log_output,
                              self.ready])
        self.widget.add_class("hw-dash")

    def _banner_html(self) -> str:
        src = self.source
        read = "" if src.demo else " Read at {}.".format(self.read_at.strftime("%Y-%m-%d %H:%M UTC"))
        return (CSS + "<h2>Facilitator dashboard: mentoring and progress</h2>"
                "<div class='hw-banner hw-source{}'>{}</div>".format(
                    "" if src.demo else " hw-real", html.escape(src.banner + read)))

    def _ready_html(self) -> str:
        size, checkins, smallest = (number(self.prep.size), len(self.prep.checkins),
                                    self.prep.min_group)
        return (f"<div>Ready: {size} participants, {checkins} check-ins each. Groups under "
                f"{smallest} people are not shown (data disaggregated by gender and kept "
                "private, as the National Action Plan on Sustainable, Gender-Responsive Return "
                "and Reintegration asks, objective 2.1).</div>")

    def reload(self) -> None:
        """Read the course again and show it, keeping the open tab and participant."""
        source = self.source.reload()
        prep = prepare(source)
        self.source, self.prep = source, prep
        self.read_at = dt.datetime.now(dt.UTC)
        participant, selected = self.participant, self.tabs.selected_index
        self.participant, self._built = None, {0}
        with self.widget.hold_sync():
            self.banner.value = self._banner_html()
            self.tabs.children = [self._build_cohort(), W.VBox(), W.VBox()]
            self.ready.value = self._ready_html()
        self.build_tab(selected)
        if participant in prep.people.index and 2 in self._built:
            self.picker.value = prep.people.loc[participant, "pseudonym"]

    def build_tab(self, index: int | None) -> None:
        """Build a tab the first time it is opened."""
        if index is None or index in self._built:
            return
        self._built.add(index)
        builder = {1: self._build_flags, 2: self._build_participant}[index]
        children = list(self.tabs.children)
        children[index] = builder()
        self.tabs.children = children

    def _guard(self, function, *args) -> None:
        """Run a callback; on an error, a plain message on the page and the details in the
        log (never a traceback on the page)."""
        try:
            self.message.value = ""
            function(*args)
        except Exception:
            log.exception("dashboard callback failed")
            self.log_output.append_stderr(traceback.format_exc())
            self.message.value = html.escape(
                "Something went wrong; the page shows the last good view.")

    # cohort ----------------------------------------------------------------------------
    def _cards_html(self) -> str:
        prep = self.prep
        whole = prep.summary[prep.summary["gender"] == "all"].set_index("checkin")
        # the number of women as the summary gives it: withheld when it would give away a
        # small group by subtraction from the whole cohort
        women = prep.summary[(prep.summary["gender"] == "woman")]["participants"]
        women_text = card_figure(women.iloc[0]) if len(women) else "0"
        cards = [
            ("Participants", number(prep.size)),
            ("Women", women_text),
            ("Answered the 12-month check-in", percent(whole["response_rate"].get("m12"))),
            ("People with a flag", number(prep.flags["participant"].nunique())),
        ]
        return "<div class='hw-cards'>{}</div>".format("".join(
            f"<div class='hw-card'>{html.escape(label)}<b>{html.escape(value)}</b></div>"
            for label, value in cards))

    def _build_cohort(self) -> W.Widget:
        prep = self.prep
        self.cards = _html(self._cards_html(), "hw-cards-box")
        self.measure_picker = W.Dropdown(
            options=[(m.title, key) for key, m in prep.measures.items()],
            value=next(iter(prep.measures)), layout={"width": "auto", "max_width": "100%"})
        self.measure_picker.observe(
            lambda change: self._guard(self.show_measure, change["new"]), "value")
        self.measure_picker.description = "Milestone"
        self.milestone_chart = _html("", "hw-milestone-chart")
        self.milestone_legend = _html("", "hw-milestone-legend")
        self.measure_table = _html("", "hw-measure-table")
        self.index_chart = _html(self._index_chart(), "hw-index-chart")
        self.show_measure(self.measure_picker.value)
        left = W.VBox([_html("<h3>Milestones reached over time, by gender</h3>"),
                       self.measure_picker, self.milestone_chart, self.milestone_legend])
        right = W.VBox([_html("<h3>Progress index by dimension</h3>"), self.index_chart])
        for column in (left, right):
            column.add_class("hw-col")
        charts = W.Box([left, right])
        charts.add_class("hw-cols")
        tables = prep.overview + prep.index_by_group + prep.index_table
        self.cohort_tables = _html(f"<div class='hw-tables'>{tables}</div>", "hw-cohort-tables")
        note = _html(
            f"<p class='hw-muted'>\"fewer than {prep.min_group}\": a group of 1 to "
            f"{prep.min_group - 1} people, not shown. "
            "\"hidden\": a larger group, not shown either, so that a small group cannot be "
            "worked out by subtracting the others from everyone. "
            "Shares of check-ins answered count only check-ins that are due. "
            "Milestones and the index count the check-ins that were answered. The progress index "
            "is Homeward's own (economic, social and psychosocial dimensions, inspired by IOM's "
            "framework), not IOM's survey score; its indicators and weights are in "
            "<code>facilitator_guides/</code>.</p>")
        box = W.VBox([self.cards, charts, self.measure_table,
                      _html("<h3>By gender and for everyone</h3>"), self.cohort_tables, note])
        box.add_class("hw-cohort")
        return box

    def show_measure(self, column: str) -> None:
        """Show one milestone figure in the chart and the table under it."""
        measure = self.prep.measures[column]
        groups = [g for g in group_order(list(measure.series))
                  if not np.all(np.isnan(measure.series[g]))]
        withheld_groups = [group_label(g) for g in measure.withheld]
        self.measure_values = np.array([measure.series[g] for g in groups]) if groups else \
            np.full((0, len(self.prep.checkins)), np.nan)
        count = len(self.prep.measures) - 1  # the milestones a check-in can award
        labels = [checkin_label(c) for c in self.prep.checkins]
        self.milestone_chart.value = _chart(
            ("% of those who answered" if measure.share else "Mean per person who answered"),
            labels, [charts.Series(group_label(g), [_value(v) for v in measure.series[g]],
                                   GROUP_COLORS.get(g, "#333"), "line", dots=True)
                     for g in groups],
            "hw-milestone-svg", PERCENT_TICKS if measure.share else range(count + 1))
        note = ""
        if withheld_groups:
            note = "<span class='hw-muted'>Not drawn, to protect small groups: {}.</span>".format(
                html.escape(", ".join(withheld_groups)))
        if not groups:
            note += "<span class='hw-muted'> No check-in answered yet.</span>"
        self.milestone_legend.value = note
        self.measure_table.value = measure.table

    def _index_chart(self) -> str:
        means = self.prep.index_means
        labels = [checkin_label(c) for c in means.index]
        self.index_values = means[list(DIMENSIONS)].to_numpy().T
        return _chart("Mean of those who answered (0-100)", labels,
                      [charts.Series(d.capitalize(), [_value(v) for v in row],
                                     DIMENSION_COLORS[d], "bars")
                       for d, row in zip(DIMENSIONS, self.index_values, strict=True)],
                      "hw-index-svg")

    # flags -----------------------------------------------------------------------------
    def _build_flags(self) -> W.Widget:
        prep = self.prep
        options = [(f"All flags ({number(len(prep.flags))})", "")] + [
            (f"{words(code)} ({number(n)})", code) for code, n in prep.flag_counts.items()]
        self.flag_filter = W.Dropdown(options=options, value="", description="Flag",
                                      layout={"width": "auto"})
        self.flag_sort = W.Dropdown(options=[(label, key) for key, label in SORTS.items()],
                                    value="pseudonym", description="Sort by",
                                    layout={"width": "auto"})
        self.flag_reverse = W.Checkbox(value=False, description="Reverse order", indent=False,
                                       layout={"width": "auto"})
        self.flag_prev = W.Button(description="Previous", layout={"width": "auto"})
        self.flag_next = W.Button(description="Next", layout={"width": "auto"})
        self.flag_status = _html("", "hw-flag-status")
        self.flag_table = _html("", "hw-flag-table")
        self.flag_page_number = 0
        for control in (self.flag_filter, self.flag_sort, self.flag_reverse):
            control.observe(lambda change: self._guard(self.show_flags, 0), "value")
        self.flag_prev.on_click(
            lambda button: self._guard(self.show_flags, self.flag_page_number - 1))
        self.flag_next.on_click(
            lambda button: self._guard(self.show_flags, self.flag_page_number + 1))
        self.show_flags(0)
        reasons = "".join(f"<dt>{html.escape(words(code))}</dt><dd>{html.escape(reason)}</dd>"
                          for code, reason in prep.flag_reasons.items())
        rules = _html(f"<h3>What each flag means</h3><dl class='hw-reasons'>{reasons}</dl>"
                      "<p class='hw-muted'>The rules and their thresholds are written down in "
                      "<code>grading/progress_config.json</code>; a course can change them in "
                      "its own <code>progress_config.json</code>.</p>")
        controls = W.HBox([self.flag_filter, self.flag_sort, self.flag_reverse],
                          layout={"flex_flow": "row wrap", "align_items": "center"})
        pager = W.HBox([self.flag_prev, self.flag_next, self.flag_status],
                       layout={"flex_flow": "row wrap", "align_items": "center"})
        box = W.VBox([controls, pager, self.flag_table, rules])
        box.add_class("hw-flags")
        return box

    def show_flags(self, page: int = 0) -> None:
        """Show one page of the flags table as filtered and sorted."""
        rows, total, page = M.flag_page(self.prep.flags, self.flag_filter.value or None,
                                      self.flag_sort.value, self.flag_reverse.value, page)
        self.flag_page_number = page
        table = pd.DataFrame({
            "Pseudonym": rows["pseudonym"].to_numpy(),
            "Check-in": [checkin_label(c) for c in rows["checkin"]],
            "Flag": [words(f) for f in rows["flag"]],
            "Detail": rows["detail"].fillna("").astype(str).to_numpy(),
        })
        if self.show_names:
            table.insert(1, "Name", rows["participant"].map(self.prep.people["name"]).to_numpy())
        self.flag_table.value = html_table(table, "hw-flags-table")
        first = page * PAGE_SIZE + 1 if total else 0
        self.flag_status.value = html.escape(
            f"{number(first)}-{number(page * PAGE_SIZE + len(rows))} of {number(total)}")
        self.flag_prev.disabled = page == 0
        self.flag_next.disabled = (page + 1) * PAGE_SIZE >= total

    # participant -----------------------------------------------------------------------
    def _build_participant(self) -> W.Widget:
        prep = self.prep
        self.picker = W.Combobox(options=list(prep.people["pseudonym"]), ensure_option=False,
                                 continuous_update=False, description="Pseudonym",
                                 placeholder="P-0001", layout={"width": "auto"})
        self.picker.add_class("hw-picker")
        self.picker.observe(lambda change: self._guard(self.pick, change["new"]), "value")
        self.pick_error = _html("", "hw-error")
        self.person_head = _html("", "hw-person")
        self.timeline = _html("", "hw-timeline")
        self.person_milestones = _html("", "hw-person-milestones")
        self.person_flags = _html("", "hw-person-flags")
        self.person_chart = _html("", "hw-person-chart")
        self.log_view = _html("", "hw-log")
        self.note_author = _html("", "hw-note-author")
        self.note_text = W.Textarea(placeholder="What happened, what was agreed, next contact",
                                    layout={"width": "auto", "height": "90px"})
        self.note_button = W.Button(description="Add note", button_style="primary",
                                    layout={"width": "auto"})
        self.note_button.on_click(lambda button: self._guard(self.add_note))
        self.note_status = _html("", "hw-note-status")
        if self.source.demo:
            self.note_button.disabled = True
            self.note_status.value = html.escape(
                "Demo data: notes are not saved. Set HOMEWARD_COURSE to a course directory to "
                "keep a mentor's log.")
        elif not self.viewer.signature:
            self.note_button.disabled = True
            self.note_status.value = html.escape(
                "Notes are signed with your login: open the dashboard through the hub to "
                "write one.")
        else:
            self.note_author.value = html.escape(f"Your notes are signed: {self.viewer.signature}")
        left = W.VBox([self.person_head, _html("<h3>Milestones</h3>"), self.person_milestones,
                       _html("<h3>Flags</h3>"), self.person_flags])
        right = W.VBox([self.person_chart])
        left.add_class("hw-col")
        right.add_class("hw-col")
        columns = W.Box([left, right])
        columns.add_class("hw-cols")
        notes = W.VBox([_html("<h3>Mentor's log</h3>"), self.log_view, self.note_author,
                        self.note_text,
                        W.HBox([self.note_button, self.note_status],
                               layout={"align_items": "center", "flex_flow": "row wrap"})],
                       layout={"max_width": "760px"})
        box = W.VBox([W.HBox([self.picker, self.pick_error],
                             layout={"flex_flow": "row wrap", "align_items": "center"}),
                      columns, _html("<h3>Timeline</h3>"), self.timeline, notes])
        box.add_class("hw-participant")
        first = prep.flags["pseudonym"].iloc[0] if len(prep.flags) else (
            prep.people["pseudonym"].iloc[0] if prep.size else "")
        if first:
            self.picker.value = first  # the first person with a flag
        return box

    def find(self, text: str) -> str | None:
        """The participant id for a typed pseudonym (case and spaces ignored), or None."""
        wanted = text.strip().upper()
        people = self.prep.people
        hits = people.index[people["pseudonym"].str.upper() == wanted]
        return str(hits[0]) if len(hits) else None

    def pick(self, text: str) -> bool:
        """Show the participant whose pseudonym was typed; say so if there is none."""
        if not text.strip():
            return False
        participant = self.find(text)
        if participant is None:
            self.pick_error.value = html.escape(f"No participant is called \"{text.strip()}\".")
            return False
        self.pick_error.value = ""
        self.show_participant(participant)
        return True

    def _rows(self, table: str, participant: str) -> pd.DataFrame:
        frame = getattr(self.prep.tables, table)
        where = self.prep.positions[table].get(participant)
        return frame.iloc[where] if where is not None else frame.iloc[0:0]

    def show_participant(self, participant: str) -> None:
        """Show one participant's timeline, milestones, index, flags and log."""
        prep = self.prep
        person = prep.people.loc[participant]
        self.participant = participant
        name = f" {DASH} {person['name']}" if self.show_names and person["name"] else ""
        self.person_head.value = "<h3>{}{}</h3><p>{}; cohort {}</p>".format(
            html.escape(person["pseudonym"]), html.escape(name),
            html.escape(PERSON_GENDER.get(person["gender"], person["gender"])),
            html.escape(person["cohort"] or DASH))
        try:
            notes, log_problem = self.notes(), ""
        except Exception as err:  # the rest of the page still shows
            log.exception("could not read the mentor's log")
            notes, log_problem = pd.DataFrame(), f"The mentor's log could not be read ({err})."
        timeline = self.source.timeline(participant, notes if len(notes) else None)
        self.timeline.value = html_table(timeline_table(timeline), "hw-timeline-table")
        self.person_milestones.value = self._milestones_html(self._rows("milestones",
                                                                         participant))
        flags = self._rows("flags", participant)
        self.person_flags.value = html_table(pd.DataFrame({
            "Check-in": [checkin_label(c) for c in flags["checkin"]],
            "Flag": [words(f) for f in flags["flag"]],
            "Detail": flags["detail"].fillna("").astype(str).to_numpy(),
        }), "hw-person-flags-table") if len(flags) else "<p class='hw-muted'>No flags.</p>"
        index = self._rows("index", participant).set_index("checkin").reindex(prep.checkins)
        self.person_values = np.array([index[d].to_numpy(dtype=float, na_value=np.nan)
                                       for d in DIMENSIONS])
        self.person_chart.value = _chart(
            f"Progress index over time: {person['pseudonym']}",
            [checkin_label(c) for c in prep.checkins],
            [charts.Series(d.capitalize(), [_value(v) for v in row], DIMENSION_COLORS[d],
                           "line", dots=True)
             for d, row in zip(DIMENSIONS, self.person_values, strict=True)],
            "hw-person-svg")
        self._show_log(notes, log_problem)

    def _milestones_html(self, milestones: pd.DataFrame) -> str:
        if milestones.empty:
            return "<p class='hw-muted'>No check-in answered yet.</p>"
        wide = milestones.pivot_table(index="milestone", columns="checkin", values="reached",
                                      aggfunc="any", sort=False)
        wide = wide.reindex(columns=[c for c in self.prep.checkins if c in wide.columns])
        table = pd.DataFrame({"Milestone": [words(m) for m in wide.index]})
        for c in wide.columns:
            table[checkin_label(c)] = [DASH if missing(v) else ("yes" if v else "not yet")
                                       for v in wide[c]]
        return html_table(table, "hw-milestones-table")

    # mentor's log ----------------------------------------------------------------------
    def notes(self) -> pd.DataFrame:
        """The mentor's notes on the current participant (none in demo mode)."""
        if self.participant is None:
            return pd.DataFrame(columns=["participant", "at", "author", "text"])
        return self.source.notes(self.participant)

    def _show_log(self, notes: pd.DataFrame, problem: str = "") -> None:
        if problem:
            self.log_view.value = f"<p class='hw-error'>{html.escape(problem)}</p>"
        elif self.source.demo:
            self.log_view.value = "<p class='hw-muted'>No log in demo mode.</p>"
        elif not len(notes):
            self.log_view.value = "<p class='hw-muted'>No notes yet.</p>"
        else:
            self.log_view.value = "".join(
                "<div class='hw-note'><small>{} {} {}</small><br>{}</div>".format(
                    html.escape(when(n.get("at"))), DASH, html.escape(str(n.get("author", ""))),
                    html.escape(str(n.get("text", ""))).replace("\n", "<br>"))
                for n in notes.to_dict("records"))

    def add_note(self) -> bool:
        """Append the typed note to the mentor's log (a real course only), signed with the
        viewer's login. Returns success."""
        if self.source.demo:
            self.note_status.value = html.escape("Demo data: notes are not saved.")
            return False
        text, author = self.note_text.value.strip(), self.viewer.signature
        problem = ("Pick a participant first." if self.participant is None else
                   "Notes are signed with your login: open the dashboard through the hub."
                   if not author else "Write a note first." if not text else "")
        if problem:
            self.note_status.value = f"<span class='hw-error'>{html.escape(problem)}</span>"
            return False
        try:
            self.source.add_note(self.participant, author, text)
        except ValueError as err:  # the log says what is wrong with the note
            self.note_status.value = "<span class='hw-error'>{}</span>".format(
                html.escape(f"The note was not saved: {err}"))
            return False
        self.note_text.value = ""
        self.note_status.value = html.escape("Note saved.")
        self.show_participant(self.participant)  # the note joins the timeline and the log
        return True

    # names -----------------------------------------------------------------------------
    def _on_names(self, change) -> None:
        self.show_names = (bool(change["new"]) and self.viewer.may_see_names
                           and not self.source.demo)
        if 1 in self._built:
            self._guard(self.show_flags, self.flag_page_number)
        if self.participant is not None:
            self._guard(self.show_participant, self.participant)


def _value(value) -> float | None:
    """A figure for a chart: None where it is missing or withheld (a gap, not a zero)."""
    return None if missing(value) or isinstance(value, str) else float(value)


def dashboard_app(source: MentoringData, viewer: Viewer | None = None, **options) -> W.Widget:
    """The dashboard's widget, for the Voila app: ``source`` is the data record
    (:func:`grading.dashboard.load_source`), ``viewer`` who looks (:func:`grading.dashboard.viewer`)."""
    return Dashboard(source, viewer, **options).widget


def dashboard_page(source: MentoringData, viewer: Viewer | None = None) -> None:
    """The dashboard as a Homeward page (``widgets/apps/mentoring.ipynb``): its title, the
    data banner and the cohort's cards as plain HTML at once, then the live dashboard."""
    from widgets.page import first_paint, show

    dashboard = Dashboard(source, viewer)
    show(first_paint(dashboard.banner.value + dashboard.cards.value, "en"), dashboard.widget)
