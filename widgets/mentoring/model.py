"""The facilitator dashboard's model: what the page shows, computed from the progress data,
with no widget in sight.

The data comes from ``grading`` (the gradebook, the check-ins, the mentor's log) as one record
that follows :class:`MentoringData`: :func:`grading.dashboard.load_source` makes it from a course
directory or a seeded synthetic cohort. This module only reads that record and writes what a
facilitator reads: labels, percentages, tables as escaped HTML, one page of flags, a
participant's timeline. The view (:mod:`widgets.mentoring.view`) puts it on a page.

A group under five people is never shown: the data record's summary already says "fewer than
5" (or "hidden" for a group that would give a small one away by subtraction), and the
functions here keep such a cell as it is:

>>> percent(87.4), percent("fewer than 5"), cell("milestones_mean", 2.63)
('87%', 'fewer than 5', '2.6')

Who looks at the page is a :class:`Viewer` established by the server (the hub's login), never
typed on the page: her name signs the notes she writes, and whether she may see participants'
names is decided there too.

>>> Viewer("mentor-rosa", may_see_names=True).signature
'mentor-rosa'
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import pandas as pd

from widgets.money import format_number

PAGE_SIZE = 25
DASH = "\N{EM DASH}"

CHECKIN_LABELS = {"baseline": "Baseline", "m03": "3 months", "m06": "6 months",
                  "m12": "12 months"}
GROUP_LABELS = {"woman": "Women", "man": "Men", "other": "Other", "unknown": "Not stated",
                "all": "Everyone"}
GROUP_COLORS = {"woman": "#8e3b8e", "man": "#1f6fb2", "other": "#b36b00",
                "unknown": "#777777", "all": "#0b5d3b"}
PERSON_GENDER = {"woman": "Woman", "man": "Man", "other": "Other gender",
                 "unknown": "Gender not stated"}
DIMENSIONS = ("economic", "social", "psychosocial", "overall")
DIMENSION_COLORS = {"economic": "#0b5d3b", "social": "#1f6fb2", "psychosocial": "#8e3b8e",
                    "overall": "#444444"}
SORTS = {"pseudonym": "Pseudonym", "checkin": "Check-in", "flag": "Flag"}
KINDS = {"exercise": "Exercise", "checkin": "Check-in", "note": "Mentor's note"}
PERCENT_TICKS = (0, 20, 40, 60, 80, 100)
#: Summary columns that are shares in percent (0-100), not counts or scores.
PERCENT_COLUMNS = ("exercise_completion", "response_rate", "flagged")


# --- who looks, and what the data record gives ------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """The facilitator looking at the page, as the server knows her.

    ``name`` signs her notes in the mentor's log (the hub login name, or the account that runs
    a facilitator's own server); an empty name cannot write notes. ``may_see_names`` is
    decided by the server (on the hub: membership of the group allowed to see names); without
    it the page has no "Show names" box at all, whatever a browser sends.
    """

    name: str = ""
    may_see_names: bool = False

    @property
    def signature(self) -> str:
        return self.name.strip()


class MentoringData(Protocol):
    """What the dashboard needs from the course: :class:`grading.dashboard.Source` is one."""

    tables: object  # grading.progress.Tables: participants, checkins, exercises, ...
    demo: bool  # synthetic people: no names, no notes saved
    banner: str  # plain text: which data this is (never a path)

    @property
    def min_group(self) -> int: ...

    @property
    def checkins(self) -> tuple[str, ...]: ...  # check-in codes in order: baseline, m03, ...

    @property
    def milestones(self) -> tuple[tuple[str, str], ...]: ...  # (code, label) in order

    def summary(self) -> pd.DataFrame: ...  # cohort summary by gender and for "all"

    def flag_reasons(self) -> dict[str, str]: ...

    def timeline(self, participant: str, notes: pd.DataFrame | None) -> pd.DataFrame: ...

    def notes(self, participant: str) -> pd.DataFrame: ...

    def add_note(self, participant: str, author: str, text: str) -> Mapping[str, str]: ...

    def reload(self) -> MentoringData: ...


# --- reading and writing figures (no widgets) -------------------------------------------


def checkin_label(code) -> str:
    """A check-in's name for a reader.

    >>> checkin_label("m03"), checkin_label("baseline"), checkin_label("m24")
    ('3 months', 'Baseline', 'm24')
    """
    return CHECKIN_LABELS.get(code, str(code))


def group_label(code) -> str:
    """A group's name for a reader.

    >>> group_label("woman"), group_label("unknown"), group_label("all")
    ('Women', 'Not stated', 'Everyone')
    """
    return GROUP_LABELS.get(code, str(code).capitalize())


def words(code) -> str:
    """A code as words: ``business_closed`` -> ``business closed``."""
    return str(code).replace("_", " ")


def missing(value) -> bool:
    """Whether a value is absent (None, NA, NaN, NaT).

    >>> missing(None), missing(float("nan")), missing(pd.NA), missing(0), missing("x")
    (True, True, True, False, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float | np.floating) and bool(np.isnan(value))


def withheld(value) -> bool:
    """Whether a summary cell was withheld to protect a small group.

    :func:`grading.progress.cohort_summary` writes "fewer than 5" for a group of 1-4 people
    and "hidden (...)" for a group that would give a small one away by subtraction.

    >>> withheld("fewer than 5"), withheld("hidden (protects a small group)"), withheld(50.0)
    (True, True, False)
    """
    return isinstance(value, str) and value.strip().lower().startswith(("fewer than", "hidden"))


def percent(value) -> str:
    """A share in percent (0-100) as a whole number; a withheld cell stays as it is.

    >>> percent(75.6), percent(100), percent("fewer than 5"), percent(float("nan"))
    ('76%', '100%', 'fewer than 5', '\N{EM DASH}')
    """
    if withheld(value):
        return str(value)
    if missing(value):
        return DASH
    return f"{float(value):.0f}%"


def number(value, digits: int = 0) -> str:
    """A count or an index score, rounded for reading.

    >>> number(61.24), number(2.456, 1), number(1234), number(float("nan")), number("fewer than 5")
    ('61', '2.5', '1,234', '\N{EM DASH}', 'fewer than 5')
    """
    if withheld(value):
        return str(value)
    if missing(value):
        return DASH
    return format_number(float(value), "en", digits)


def cell(column: str, value) -> str:
    """A cohort-summary cell written for its column.

    >>> cell("response_rate", 86.66), cell("milestones_mean", 2.63), cell("economic", 61.2)
    ('87%', '2.6', '61')
    >>> cell("milestone_emergency_fund", 9.6), cell("participants", 45.0)
    ('10%', '45')
    """
    if column in PERCENT_COLUMNS or column.startswith("milestone_"):
        return percent(value)
    if column == "milestones_mean":
        return number(value, 1)
    return number(value)


def natural_order(values: pd.Series) -> np.ndarray:
    """Ranks that sort pseudonyms as people count (``P-9999`` before ``P-10000``).

    >>> natural_order(pd.Series(["P-10000", "P-0002", "P-9999"])).tolist()
    [2, 0, 1]
    """
    text = values.astype(str).to_numpy()
    order = sorted(range(len(text)), key=lambda i: (len(text[i]), text[i]))
    ranks = np.empty(len(text), dtype=int)
    ranks[order] = np.arange(len(text))
    return ranks


def html_table(frame: pd.DataFrame, css: str = "", caption: str = "") -> str:
    """An HTML table of formatted cells. Every cell is escaped; withheld cells are marked.

    >>> html_table(pd.DataFrame({"Group": ["Men"], "Rate": ["<b>", "fewer than 5"][1:]}), "t")
    "<div class='hw-scroll'><table class='hw-table t'><thead><tr><th>Group</th><th>Rate</th></tr></thead><tbody><tr><td>Men</td><td class='hw-fewer'>fewer than 5</td></tr></tbody></table></div>"
    >>> "&lt;b&gt;" in html_table(pd.DataFrame({"x": ["<b>"]}))
    True
    """
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(_withheld_cell(v) if withheld(v) else f"<td>{html.escape(str(v))}</td>"
                         for v in row) + "</tr>"
        for row in frame.itertuples(index=False, name=None))
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f"<div class='hw-scroll'><table class='hw-table {css}'>{cap}<thead><tr>{head}"
            f"</tr></thead><tbody>{body}</tbody></table></div>")


def card_figure(value) -> str:
    """A summary figure as a card shows it: a number, or the short withheld word.

    >>> card_figure(45.0), card_figure("hidden (protects a small group)")
    ('45', 'hidden')
    """
    return value.split(" (")[0] if withheld(value) else number(value)


def _withheld_cell(value: str) -> str:
    """A withheld cell: "fewer than 5" as it is; the long "hidden (...)" as "hidden", with
    the reason on hover (the page explains both under the tables).

    >>> _withheld_cell("hidden (protects a small group)")
    "<td class='hw-fewer' title='hidden (protects a small group)'>hidden</td>"
    """
    short = value.split(" (")[0]
    title = f" title='{html.escape(value)}'" if short != value else ""
    return f"<td class='hw-fewer'{title}>{html.escape(short)}</td>"


def when(stamp) -> str:
    """A note's time for reading, in UTC.

    >>> when("2026-11-23T14:05:09+00:00"), when(""), when(None)
    ('2026-11-23 14:05 UTC', '', '')
    """
    moment = pd.to_datetime(stamp, utc=True, errors="coerce") if stamp else pd.NaT
    return "" if pd.isna(moment) else moment.strftime("%Y-%m-%d %H:%M UTC")


def legend_html(items: list[tuple[str, str]]) -> str:
    """A chart's key under the chart, as text a phone can wrap.

    >>> legend_html([("Women", "#8e3b8e")])
    "<div class='hw-legend'><span><i style='background:#8e3b8e'></i>Women</span></div>"
    """
    return "<div class='hw-legend'>{}</div>".format("".join(
        f"<span><i style='background:{color}'></i>{html.escape(label)}</span>"
        for label, color in items))


# --- what the page shows, computed once -------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One figure of the cohort summary, shown by group and check-in (table and chart)."""

    column: str
    title: str
    share: bool  # a percentage (0-100), else a mean count
    table: str  # HTML
    series: dict[str, list[float]]  # group -> value per check-in (NaN where withheld)
    withheld: tuple[str, ...] = ()  # groups whose figures are withheld


@dataclass
class Prepared:
    """Everything the page shows, computed once from the tables."""

    tables: object
    min_group: int
    checkins: list[str]
    summary: pd.DataFrame  # cohort_summary by gender, with the whole cohort as group "all"
    people: pd.DataFrame  # index participant: pseudonym, gender, cohort, name, order
    flags: pd.DataFrame  # flags with pseudonym and sort keys, in pseudonym order
    flag_counts: pd.Series  # flag code -> number of flags
    flag_reasons: dict[str, str]
    overview: str  # HTML: people, exercises and responses by group
    measures: dict[str, Measure]  # milestones: the mean count and each milestone
    index_by_group: str  # HTML: the overall index by group and check-in
    index_means: pd.DataFrame  # check-in x dimension, whole cohort (NaN where withheld)
    index_table: str  # HTML
    positions: dict[str, dict[str, np.ndarray]]  # table -> participant -> row positions

    @property
    def size(self) -> int:
        return len(self.people)


def group_order(groups) -> list[str]:
    """Groups in reading order: women, men, other, not stated, then anything else, everyone.

    >>> group_order(["all", "man", "x", "woman"])
    ['woman', 'man', 'x', 'all']
    """
    known = [g for g in GROUP_LABELS if g != "all" and g in set(groups)]
    rest = [g for g in groups if g not in GROUP_LABELS]
    return known + rest + (["all"] if "all" in set(groups) else [])


def by_group(summary: pd.DataFrame, column: str, checkins: list[str]) -> pd.DataFrame:
    """One summary column as groups (rows) x check-ins (columns), raw values."""
    wide = summary.pivot_table(index="gender", columns="checkin", values=column,
                               aggfunc="first", sort=False, dropna=False)
    wide = wide.reindex(index=group_order(list(wide.index)),
                        columns=[c for c in checkins if c in wide.columns])
    return wide


def measure_table(summary: pd.DataFrame, column: str, checkins: list[str]) -> pd.DataFrame:
    """One summary column as a small table: groups down, check-ins across, cells written.

    >>> s = pd.DataFrame({"checkin": ["baseline", "baseline", "m03", "m03"],
    ...                   "gender": ["woman", "unknown", "woman", "unknown"],
    ...                   "response_rate": [90.0, "fewer than 5", 86.4, "fewer than 5"]})
    >>> measure_table(s, "response_rate", ["baseline", "m03"]).values.tolist()
    [['Women', '90%', '86%'], ['Not stated', 'fewer than 5', 'fewer than 5']]
    """
    wide = by_group(summary, column, checkins)
    out = pd.DataFrame({"Group": [group_label(g) for g in wide.index]})
    for c in wide.columns:
        out[checkin_label(c)] = [cell(column, v) for v in wide[c]]
    return out


def overview_table(summary: pd.DataFrame, checkins: list[str]) -> pd.DataFrame:
    """People, exercises handed in and check-ins answered, by group."""
    people = by_group(summary, "participants", checkins)
    exercises = by_group(summary, "exercise_completion", checkins)
    answered = by_group(summary, "response_rate", checkins)
    out = pd.DataFrame({"Group": [group_label(g) for g in people.index]})
    out["People"] = [cell("participants", v) for v in people.iloc[:, 0]]
    out["Exercises handed in"] = [cell("exercise_completion", v) for v in exercises.iloc[:, 0]]
    for c in answered.columns:
        out[f"Answered: {checkin_label(c)}"] = [cell("response_rate", v) for v in answered[c]]
    return out


def _values(row) -> list[float]:
    return [np.nan if withheld(v) or missing(v) else float(v) for v in row]


def milestone_titles(milestones) -> dict[str, str]:
    """Summary column -> what it measures, for the milestones picker.

    >>> milestone_titles([("emergency_fund", "an emergency fund of 3 months"),
    ...                   ("savings_on_plan", "savings at or above your plan")])["milestone_savings_on_plan"]
    'Reached: savings at or above her plan'
    """
    milestones = list(milestones)
    titles = {"milestones_mean": f"Milestones reached, mean per person (of {len(milestones)})"}
    for code, label in milestones:
        titles[f"milestone_{code}"] = "Reached: " + label.replace("your ", "her ")
    return titles


def prepare(data: MentoringData) -> Prepared:
    """Compute what the dashboard shows from the data record, once."""
    tables, min_group = data.tables, data.min_group
    checkins = list(data.checkins)
    summary = data.summary()

    parts = tables.participants
    blank = pd.Series("", index=parts.index)
    people = pd.DataFrame({
        "pseudonym": parts["pseudonym"].astype(str).to_numpy(),
        "gender": parts["gender"].astype(str).to_numpy(),
        "cohort": parts.get("cohort", blank).fillna("").astype(str).to_numpy(),
        "name": (parts.get("first_name", blank).fillna("").astype(str) + " "
                 + parts.get("last_name", blank).fillna("").astype(str)).str.strip().to_numpy(),
    }, index=pd.Index(parts["participant"].astype(str).to_numpy(), name="participant"))
    people["order"] = natural_order(people["pseudonym"])
    people = people.sort_values("order")

    flags = tables.flags.copy()
    flags["participant"] = flags["participant"].astype(str)
    flags["pseudonym"] = flags["participant"].map(people["pseudonym"])
    flags["order"] = flags["participant"].map(people["order"])
    flags["checkin_order"] = flags["checkin"].map({c: i for i, c in enumerate(checkins)})
    flags = flags.sort_values(["order", "checkin_order"], kind="stable").reset_index(drop=True)
    counts = flags["flag"].value_counts()
    reasons = {}
    if "reason" in flags:
        reasons = dict(flags.drop_duplicates("flag")[["flag", "reason"]].itertuples(
            index=False, name=None))
    reasons.update(data.flag_reasons())

    measures = {}
    for column, title in milestone_titles(data.milestones).items():
        if column not in summary:
            continue
        wide = by_group(summary, column, checkins)
        measures[column] = Measure(
            column, title, column != "milestones_mean",
            html_table(measure_table(summary, column, checkins), "hw-cohort", title),
            {g: _values(wide.loc[g]) for g in wide.index},
            tuple(g for g in wide.index if any(withheld(v) for v in wide.loc[g])))

    means = by_group(summary, DIMENSIONS[0], checkins)  # for the check-in order only
    index_means = pd.DataFrame(
        {d: _values(by_group(summary, d, checkins).loc["all"]) for d in DIMENSIONS},
        index=means.columns)
    index_table = pd.DataFrame({"Check-in": [checkin_label(c) for c in means.columns]})
    for d in DIMENSIONS:
        index_table[d.capitalize()] = [cell(d, v) for v in by_group(summary, d,
                                                                     checkins).loc["all"]]
    positions = {name: {str(k): v for k, v in
                        getattr(tables, name).groupby("participant", sort=False).indices.items()}
                 for name in ("milestones", "flags", "index")}
    return Prepared(
        tables=tables, min_group=min_group, checkins=checkins, summary=summary, people=people,
        flags=flags, flag_counts=counts, flag_reasons=reasons,
        overview=html_table(overview_table(summary, checkins), "hw-cohort hw-overview",
                            "People, exercises and check-ins answered"),
        measures=measures,
        index_by_group=html_table(measure_table(summary, "overall", checkins), "hw-cohort",
                                  "Progress index, overall (0-100)"),
        index_means=index_means,
        index_table=html_table(index_table, "hw-index",
                               "Progress index by dimension, everyone (0-100)"),
        positions=positions,
    )


def flag_page(flags: pd.DataFrame, flag: str | None = None, sort: str = "pseudonym",
              descending: bool = False, page: int = 0, size: int = PAGE_SIZE
              ) -> tuple[pd.DataFrame, int, int]:
    """One page of flags: filtered by ``flag``, sorted, cut. Returns (rows, total, page).

    A page number past either end gives the first or the last page.

    >>> flags = pd.DataFrame({"pseudonym": ["P-0001", "P-0002", "P-0010"],
    ...                       "flag": ["low_wellbeing", "business_closed", "low_wellbeing"],
    ...                       "order": [0, 1, 2], "checkin_order": [3, 0, 1]})
    >>> rows, total, page = flag_page(flags, "low_wellbeing", size=1, page=5)
    >>> rows["pseudonym"].tolist(), total, page
    (['P-0010'], 2, 1)
    >>> flag_page(flags, sort="checkin")[0]["pseudonym"].tolist()
    ['P-0002', 'P-0010', 'P-0001']
    >>> flag_page(flags, sort="pseudonym", descending=True)[0]["pseudonym"].tolist()
    ['P-0010', 'P-0002', 'P-0001']
    """
    if sort not in SORTS:
        raise ValueError(f"sort: one of {', '.join(SORTS)}, not {sort!r}")
    rows = flags if not flag else flags[flags["flag"] == flag]
    keys = {"pseudonym": ["order", "checkin_order", "flag"],
            "checkin": ["checkin_order", "order", "flag"],
            "flag": ["flag", "order", "checkin_order"]}[sort]
    if sort != "pseudonym" or descending:  # the table is kept in pseudonym order already
        rows = rows.sort_values(keys, ascending=not descending, kind="stable")
    total = len(rows)
    page = min(max(0, page), max(0, (total - 1) // size))
    return rows.iloc[page * size:(page + 1) * size], total, page


def timeline_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """A participant's timeline (:func:`grading.progress.participant_timeline`), written
    for reading: dates, check-in names, scores out of their maximum."""
    def text(value, digits=0) -> str:
        return DASH if missing(value) or value == "" else (
            number(value, digits) if isinstance(value, int | float | np.number) else str(value))

    dates = pd.to_datetime(timeline["date"], utc=True, errors="coerce")
    out = pd.DataFrame({
        "Date": [DASH if pd.isna(d) else d.strftime("%Y-%m-%d") for d in dates],
        "What": [KINDS.get(k, str(k)) for k in timeline["kind"]],
        "Item": [checkin_label(i) if k == "checkin" else words(i) if k == "exercise" else
                 str(i) for k, i in zip(timeline["kind"], timeline["item"], strict=True)],
        "Status": [text(s) for s in timeline["status"]],
        "Score": [DASH if missing(s) else f"{number(s, 1 if s % 1 else 0)} of {number(m)}"
                  for s, m in zip(timeline["score"], timeline["max_score"], strict=True)],
        "Milestones": [text(m) for m in timeline["milestones"]],
        "Index": [text(v) for v in timeline["overall"]],
        "Flags": [words(f) if isinstance(f, str) and f else DASH for f in timeline["flags"]],
        "Detail": [text(d) for d in timeline["detail"]],
    })
    empty = [c for c in out.columns[4:] if (out[c] == DASH).all()]
    return out.drop(columns=empty)  # a column with nothing in it is noise


