"""The facilitator dashboard: the progress tables of :mod:`grading.progress` on one page.

Three views, in tabs:

- **Cohort**: completion of exercises, check-in response rates, milestones reached and the
  progress index from the baseline to 12 months, by gender and for the whole cohort. A group
  under five people shows "fewer than 5" (and a group that would let someone work out a small
  group by subtraction shows "hidden"): :func:`grading.progress.cohort_summary` does the
  counting, this page only shows it. Two charts: milestones over time by gender, and the
  progress index by dimension.
- **Flags**: the at-risk flags as a table that can be filtered by flag, sorted and paged.
- **Participant**: one person's timeline of exercises and check-ins, milestones, progress
  index over time (a chart), flags and the mentor's log, where a facilitator adds a note.

Where the data comes from: ``HOMEWARD_COURSE`` names a course directory; without it (or if
it is not a course) the page shows a seeded synthetic cohort of ``HOMEWARD_DEMO_SIZE`` people
(60 unless set), and a banner says so. People are shown by pseudonym; names appear only in a
real course, when the facilitator ticks "Show names".

Speed: everything the first view shows is computed once, when the tables are loaded
(:func:`prepare`); tables on the page have a limited number of rows (a page of flags, one
person's rows); the Flags and Participant tabs are built the first time they are opened.
Voila runs the app notebook before a visitor arrives (``preheat_kernel`` in
``widgets/apps/voila.json``); the pre-heated kernel inherits the environment of the server,
so ``HOMEWARD_COURSE`` and ``HOMEWARD_DEMO_SIZE`` set when the server starts apply to it.

The page is in English, the language of the facilitators' course, in plain words; it does not
use the returnees' app catalogs (``widgets/locale``), whose extraction covers ``widgets/``.

Use it in a notebook (or Voila) with::

    from grading.dashboard import dashboard_app
    dashboard_app()
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import bqplot as bq
import ipywidgets as W
import numpy as np
import pandas as pd

from widgets.money import format_number

log = logging.getLogger(__name__)

DEMO_SIZE = 60
DEMO_SEED = 2026
MAX_DEMO_SIZE = 20_000
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


# --- where the data comes from ----------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """The tables a dashboard shows, and what a facilitator must know about them."""

    tables: object  # grading.progress.Tables
    demo: bool
    course_root: Path | None
    banner: str  # plain text: demo data, or which course
    config: object | None = None  # grading.config.Config


def is_course(path: str | os.PathLike | None) -> bool:
    """Whether ``path`` is a course directory: it holds ``nbgrader_config.py`` and
    ``gradebook.db`` (what :meth:`grading.course.Course.open` requires).

    >>> is_course(None), is_course(""), is_course("/nowhere/at/all")
    (False, False, False)
    """
    if not path:
        return False
    root = Path(path).expanduser()
    return (root / "nbgrader_config.py").is_file() and (root / "gradebook.db").is_file()


def demo_size(environ: Mapping[str, str]) -> tuple[int, str]:
    """The demo cohort's size from ``HOMEWARD_DEMO_SIZE``, and a note when it was not usable.

    >>> demo_size({})
    (60, '')
    >>> demo_size({"HOMEWARD_DEMO_SIZE": " 1000 "})
    (1000, '')
    >>> demo_size({"HOMEWARD_DEMO_SIZE": "lots"})
    (60, 'HOMEWARD_DEMO_SIZE must be a whole number from 1 to 20000, not "lots".')
    """
    text = environ.get("HOMEWARD_DEMO_SIZE", "").strip()
    if not text:
        return DEMO_SIZE, ""
    try:
        size = int(text)
        if not 1 <= size <= MAX_DEMO_SIZE:
            raise ValueError(text)
    except ValueError:
        return DEMO_SIZE, (f"HOMEWARD_DEMO_SIZE must be a whole number from 1 to "
                           f"{MAX_DEMO_SIZE}, not \"{text}\".")
    return size, ""


def demo_tables(size: int = DEMO_SIZE, seed: int = DEMO_SEED):
    """A synthetic cohort of ``size`` people (no real person), through the real derivations."""
    from grading.progress import tables_from_records
    from grading.synthetic import synthetic_cohort

    return tables_from_records(*synthetic_cohort(size, seed=seed))


def load_source(environ: Mapping[str, str] | None = None) -> Source:
    """Read the course named by ``HOMEWARD_COURSE``, or make the demo cohort."""
    environ = os.environ if environ is None else environ
    course = environ.get("HOMEWARD_COURSE", "").strip()
    problem = ""
    if course and is_course(course):
        try:
            from grading.config import load_config
            from grading.progress import load_tables

            root = Path(course).expanduser().resolve()
            config = load_config(root)
            return Source(load_tables(root, config), False, root,
                          f"Course: {root}. Participants are shown by pseudonym.", config)
        except Exception as err:  # a broken course still gives a page that says what happened
            log.exception("could not read the course %s", course)
            problem = f"The course at {course} could not be read ({err}). "
    elif course:
        problem = f"HOMEWARD_COURSE={course} is not a course directory. "
    size, size_problem = demo_size(environ)
    banner = (f"{problem}{size_problem} Demo data: {size} synthetic participants "
              f"{DASH} no real people. Notes are not saved.").strip()
    return Source(demo_tables(size), True, None, banner)


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


def _withheld_short(value) -> str:
    """A summary figure as a card shows it: a number, or the short withheld word.

    >>> _withheld_short(45.0), _withheld_short("hidden (protects a small group)")
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


def milestone_titles() -> dict[str, str]:
    """Summary column -> what it measures, for the milestones picker."""
    from grading.checkins import MILESTONES

    titles = {"milestones_mean": f"Milestones reached, mean per person (of {len(MILESTONES)})"}
    for m in MILESTONES:
        titles[f"milestone_{m.code}"] = "Reached: " + m.label.replace("your ", "her ")
    return titles


def prepare(tables, config=None) -> Prepared:
    """Compute what the dashboard shows from the progress tables, once."""
    from grading.progress import CHECKINS, cohort_summary

    min_group = getattr(config, "min_group", 5)
    checkins = list(CHECKINS)
    by_gender = cohort_summary(tables, by="gender", min_group=min_group)
    whole = cohort_summary(tables, by=None, min_group=min_group).rename(
        columns={"group": "gender"})
    summary = pd.concat([by_gender, whole], ignore_index=True)

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
    if config is not None:
        reasons.update({code: rule["reason"] for code, rule in config.flags.items()
                        if rule.get("enabled")})

    measures = {}
    for column, title in milestone_titles().items():
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


# --- the page ---------------------------------------------------------------------------

CSS = """
<style>
.hw-dash { max-width: 1180px; margin: 0 auto; font-size: 15px; box-sizing: border-box; }
.hw-dash * { box-sizing: border-box; }
.hw-dash h2 { margin: 4px 0; }
.hw-dash h3 { margin: 10px 0 4px 0; font-size: 17px; }
.hw-banner { background: #fff4e5; border-left: 4px solid #b36b00; padding: 6px 10px; }
.hw-banner.hw-real { background: #eef5fb; border-left-color: #1f6fb2; }
.hw-scroll { overflow-x: auto; max-width: 100%; }
.hw-table { border-collapse: collapse; margin: 4px 0 10px 0; font-size: 14px; }
.hw-table caption { text-align: left; font-weight: 600; padding: 4px 0; }
.hw-table th, .hw-table td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left;
  white-space: nowrap; }
.hw-table th { background: #f1f6f4; }
.hw-table td.hw-fewer { color: #666; font-style: italic; }
.hw-tables { display: flex; flex-wrap: wrap; gap: 0 24px; }
.hw-cards { display: flex; flex-wrap: wrap; gap: 8px; margin: 6px 0; }
.hw-card { flex: 1 1 140px; background: #f1f6f4; border-radius: 8px; padding: 8px 10px; }
.hw-card b { display: block; font-size: 20px; color: #0b5d3b; }
.hw-cols { display: flex; flex-wrap: wrap; gap: 16px; width: 100%; }
.hw-col { flex: 1 1 420px; min-width: 0; max-width: 100%; }
.hw-dash .bqplot { max-width: 100%; }
.hw-dash button, .hw-dash .widget-dropdown select, .hw-dash .widget-text input
  { min-height: 40px; height: 40px; font-size: 15px; }
.hw-dash .widget-textarea textarea { font-size: 15px; }
.hw-dash .widget-label { white-space: normal; }
.hw-legend { font-size: 13px; margin: 0 0 8px 40px; }
.hw-legend span { display: inline-block; margin-right: 12px; white-space: nowrap; }
.hw-legend i { display: inline-block; width: 12px; height: 12px; margin-right: 4px;
  border-radius: 2px; vertical-align: -1px; }
.hw-note { border-left: 3px solid #9cc; padding: 2px 8px; margin: 6px 0; }
.hw-note small { color: #555; }
.hw-error { color: #b00020; font-weight: 600; }
.hw-muted { color: #555; }
.hw-reasons dt { font-weight: 600; } .hw-reasons dd { margin: 0 0 6px 16px; }
.hw-ready { color: #555; font-size: 13px; margin-top: 8px; }
@media (max-width: 600px) { .hw-dash { font-size: 14px; } .hw-col { flex-basis: 100%; }
  .hw-legend { margin-left: 0; } }
</style>
"""


def _html(value: str = "", css: str = "") -> W.HTML:
    widget = W.HTML(value)
    if css:
        widget.add_class(css)
    return widget


def _figure(marks, x, y, title: str, css: str, ticks=PERCENT_TICKS, height: str = "280px"):
    figure = bq.Figure(
        marks=marks,
        axes=[bq.Axis(scale=x), bq.Axis(scale=y, side="left", tick_values=list(ticks),
                                        tick_format="d")],
        title=title, animation_duration=0,
        fig_margin={"top": 40, "bottom": 30, "left": 45, "right": 12},
        layout={"width": "100%", "height": height, "min_width": "0"},
        title_style={"font-size": "14px"},
    )
    figure.add_class(css)
    return figure


class Dashboard:
    """The whole dashboard. ``Dashboard(source).widget`` is what a page shows."""

    TABS = ("Cohort", "Flags", "Participant")

    def __init__(self, source: Source, *, eager: bool = False,
                 environ: Mapping[str, str] | None = None):
        self.source = source
        self.environ = environ  # where "Read the course again" looks (None: os.environ)
        self.prep = prepare(source.tables, source.config)
        self.read_at = dt.datetime.now(dt.UTC)
        self.show_names = False
        self.participant: str | None = None
        self.log_output = W.Output(layout={"display": "none"})
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
        self.names_box = W.Checkbox(value=False, description="Show names", indent=False,
                                    layout=real)
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
        tools = W.HBox([self.names_box, self.reload_button],
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
                "private: Source: <code>002_f202f19aa2ce9c7c.txt</code>, 2.1).</div>")

    def reload(self) -> None:
        """Read the course again and show it, keeping the open tab and participant."""
        source = load_source(self.environ)
        prep = prepare(source.tables, source.config)
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
        women_text = _withheld_short(women.iloc[0]) if len(women) else "0"
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
        self.milestone_chart = self._milestone_chart()
        self.milestone_legend = _html("", "hw-milestone-legend")
        self.measure_table = _html("", "hw-measure-table")
        self.index_chart = self._index_chart()
        self.show_measure(self.measure_picker.value)
        left = W.VBox([_html("<h3>Milestones reached over time, by gender</h3>"),
                       self.measure_picker, self.milestone_chart, self.milestone_legend])
        right = W.VBox([_html("<h3>Progress index by dimension</h3>"), self.index_chart,
                        _html(legend_html([(d.capitalize(), DIMENSION_COLORS[d])
                                           for d in DIMENSIONS]))])
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

    def _milestone_chart(self) -> bq.Figure:
        labels = [checkin_label(c) for c in self.prep.checkins]
        x = bq.OrdinalScale(domain=labels)
        self.measure_scale = bq.LinearScale(min=0, max=100, allow_padding=False)
        self.measure_lines = bq.Lines(x=labels, y=[[0.0] * len(labels)],
                                      scales={"x": x, "y": self.measure_scale},
                                      marker="circle", marker_size=40, stroke_width=3)
        return _figure([self.measure_lines], x, self.measure_scale, "", "hw-milestone-chart")

    def show_measure(self, column: str) -> None:
        """Show one milestone figure in the chart and the table under it."""
        measure = self.prep.measures[column]
        groups = [g for g in group_order(list(measure.series))
                  if not np.all(np.isnan(measure.series[g]))]
        withheld_groups = [group_label(g) for g in measure.withheld]
        ys = np.array([measure.series[g] for g in groups]) if groups else np.full(
            (1, len(self.prep.checkins)), np.nan)
        count = len(self.prep.measures) - 1  # the milestones a check-in can award
        with self.milestone_chart.hold_sync():
            self.measure_scale.max = 100.0 if measure.share else float(count)
            self.milestone_chart.axes[1].tick_values = (
                list(PERCENT_TICKS) if measure.share else list(range(count + 1)))
            self.measure_lines.y = ys
            self.measure_lines.colors = [GROUP_COLORS.get(g, "#333") for g in groups] or ["#333"]
            self.milestone_chart.title = ("% of those who answered" if measure.share
                                          else "Mean per person who answered")
        note = ""
        if withheld_groups:
            note = "<span class='hw-muted'>Not drawn, to protect small groups: {}.</span>".format(
                html.escape(", ".join(withheld_groups)))
        if not groups:
            note += "<span class='hw-muted'> No check-in answered yet.</span>"
        self.milestone_legend.value = legend_html(
            [(group_label(g), GROUP_COLORS.get(g, "#333")) for g in groups]) + note
        self.measure_table.value = measure.table

    def _index_chart(self) -> bq.Figure:
        means = self.prep.index_means
        labels = [checkin_label(c) for c in means.index]
        x, y = bq.OrdinalScale(domain=labels), bq.LinearScale(min=0, max=100, allow_padding=False)
        self.index_bars = bq.Bars(x=labels, y=means[list(DIMENSIONS)].to_numpy().T,
                                  scales={"x": x, "y": y}, type="grouped", padding=0.15,
                                  colors=[DIMENSION_COLORS[d] for d in DIMENSIONS])
        return _figure([self.index_bars], x, y, "Mean of those who answered (0-100)",
                       "hw-index-chart")

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
        rows, total, page = flag_page(self.prep.flags, self.flag_filter.value or None,
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
        labels = [checkin_label(c) for c in prep.checkins]
        x, y = bq.OrdinalScale(domain=labels), bq.LinearScale(min=0, max=100, allow_padding=False)
        self.person_lines = bq.Lines(
            x=labels, y=np.full((len(DIMENSIONS), len(labels)), np.nan),
            scales={"x": x, "y": y}, colors=[DIMENSION_COLORS[d] for d in DIMENSIONS],
            marker="circle", marker_size=40, stroke_width=2)
        self.person_chart = _figure([self.person_lines], x, y, "Progress index over time",
                                    "hw-person-chart")
        self.log_view = _html("", "hw-log")
        self.note_author = W.Text(placeholder="Your name or initials", description="Author",
                                  layout={"width": "auto"})
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
        left = W.VBox([self.person_head, _html("<h3>Milestones</h3>"), self.person_milestones,
                       _html("<h3>Flags</h3>"), self.person_flags])
        right = W.VBox([
            self.person_chart,
            _html(legend_html([(d.capitalize(), DIMENSION_COLORS[d]) for d in DIMENSIONS]))])
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
        from grading.progress import participant_timeline

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
        timeline = participant_timeline(prep.tables, participant,
                                        log=notes if len(notes) else None)
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
        with self.person_chart.hold_sync():
            self.person_lines.y = np.array([index[d].to_numpy(dtype=float, na_value=np.nan)
                                            for d in DIMENSIONS])
            self.person_chart.title = f"Progress index over time: {person['pseudonym']}"
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
        empty = pd.DataFrame(columns=["participant", "at", "author", "text"])
        if self.participant is None or self.source.demo or self.source.course_root is None:
            return empty
        from grading.mentor_log import read_log

        notes = read_log(self.source.course_root, self.participant)
        if not isinstance(notes, pd.DataFrame):
            notes = pd.DataFrame(list(notes or []))
        return notes if len(notes) else empty

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
        """Append the typed note to the mentor's log (a real course only). Returns success."""
        if self.source.demo or self.source.course_root is None:
            self.note_status.value = html.escape("Demo data: notes are not saved.")
            return False
        text, author = self.note_text.value.strip(), self.note_author.value.strip()
        problem = ("Pick a participant first." if self.participant is None else
                   "Write your name or initials." if not author else
                   "Write a note first." if not text else "")
        if problem:
            self.note_status.value = f"<span class='hw-error'>{html.escape(problem)}</span>"
            return False
        from grading.mentor_log import append_note

        try:
            append_note(self.source.course_root, self.participant, author, text)
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
        self.show_names = bool(change["new"]) and not self.source.demo
        if 1 in self._built:
            self._guard(self.show_flags, self.flag_page_number)
        if self.participant is not None:
            self._guard(self.show_participant, self.participant)


def dashboard_app(environ: Mapping[str, str] | None = None, **options) -> W.Widget:
    """The dashboard's widget, for the Voila app: data from the environment, or the demo."""
    return Dashboard(load_source(environ), environ=environ, **options).widget
