"""Mentoring reports: CSV files and one printable HTML page with charts, pseudonymised.

By default a report holds NO names, e-mail addresses or participant ids: each person is a
pseudonym (``P-`` and six letters, from the course's secret: see
:func:`grading.progress.pseudonym`), and individual rows do not carry gender either (in a cohort with two
men, "man" plus a pseudonym would point at one of two people). Names, ids and gender are added
only when asked for (``names=True``, ``--names``), for the mentor's own use. Cohort tables and
charts by gender show "fewer than 5" for any group of 1-4 people (see
:func:`grading.progress.cohort_summary`).

Command line (the lead may wire it as ``python -m grading report``)::

    python -m grading.reports --course PATH --out DIR [--names] [--config FILE]
    python -m grading.reports --synthetic 1000 --seed 3 --out DIR      # a demo, no course

Files written: ``report.html``, ``participants_progress.csv``, ``flags.csv``,
``cohort_overall.csv``, ``cohort_by_gender.csv``, ``exercises_by_gender.csv``, all readable by
their owner only (mode 600, in a folder of mode 700), like the gradebook. Every text cell of the
CSV files that a spreadsheet could read as a formula (a name or a mentor's words beginning with
``=``, ``+``, ``-``, ``@``) is written as text (:mod:`widgets.csvsafe`).
"""

from __future__ import annotations

import argparse
import html
import io
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from grading.checkins import CHECKINS, MILESTONES
from grading.config import DIMENSIONS, INDICATORS, Config, ConfigError, load_config
from grading.progress import (
    GENDERS,
    CourseError,
    Tables,
    cohort_summary,
    load_tables,
    tables_from_records,
)

CHECKIN_LABELS = {"baseline": "baseline", "m03": "3 months", "m06": "6 months",
                  "m12": "12 months"}
COLUMN_LABELS = {
    "checkin": "check-in", "group": "group", "gender": "gender", "participants": "people",
    "exercise_completion": "exercises handed in (%)", "due": "due",
    "response_rate": "answered (%)", "milestones_mean": "milestones (mean of 5)",
    "economic": "economic", "social": "social", "psychosocial": "psychosocial",
    "overall": "overall index", "flagged": "with a flag (%)",
    **{f"milestone_{m.code}": f"{m.label} (%)" for m in MILESTONES},
}
FLAG_ROWS_SHOWN = 300

CSS = """
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "Noto Sans", "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt;
       color: #1d2430; max-width: 1000px; margin: 0 auto; padding: 12px; }
h1 { font-size: 18pt; margin-bottom: 0; } h2 { font-size: 13.5pt; margin-top: 22px;
  border-bottom: 2px solid #2c6e49; page-break-after: avoid; }
.note { background: #f1f6f3; border-left: 4px solid #2c6e49; padding: 6px 10px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 9pt; page-break-inside: auto; }
th, td { border: 1px solid #c9d2cc; padding: 3px 6px; text-align: right; vertical-align: top; }
th { background: #e6efe9; } td:first-child, th:first-child { text-align: left; }
tr { page-break-inside: avoid; }
.chart { page-break-inside: avoid; margin: 6px 0; } .chart svg { max-width: 100%; height: auto; }
.small { color: #55606e; font-size: 9pt; }
"""


# --------------------------------------------------------------------------- tables
def _date_text(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d").astype(object).where(values.notna(), "")


def participant_rows(tables: Tables, names: bool = False) -> pd.DataFrame:
    """One row per participant and check-in: pseudonym, check-in, status, date, milestones,
    index, flags. With ``names``: also participant id, first and last name, e-mail, gender."""
    ch = tables.checkins
    people = tables.participants.set_index("participant")
    flags = tables.flags
    flag_text = (flags.groupby(["participant", "checkin"], sort=False)["flag"].agg(" ".join)
                 if len(flags) else pd.Series(dtype=object))
    keys = pd.MultiIndex.from_frame(ch[["participant", "checkin"]])
    out = pd.DataFrame({
        "pseudonym": ch["participant"].map(people["pseudonym"]).to_numpy(),
        "checkin": ch["checkin"].to_numpy(),
        "status": ch["status"].to_numpy(),
        "submitted_on": _date_text(ch["submitted_at"]).to_numpy(),
        "milestones": ch["milestones"].to_numpy(),
    })
    for name in (*DIMENSIONS, "overall"):
        out[name] = tables.index[name].round(1).to_numpy()
    out["flags"] = flag_text.reindex(keys).fillna("").to_numpy() if len(flags) else ""
    if names:
        for column in ("email", "last_name", "first_name"):
            out.insert(1, column, ch["participant"].map(people[column]).to_numpy())
        out.insert(1, "participant", ch["participant"].to_numpy())
        out.insert(len(out.columns), "gender", ch["participant"].map(people["gender"]).to_numpy())
    return out


def flag_rows(tables: Tables, names: bool = False) -> pd.DataFrame:
    flags = tables.flags
    people = tables.participants.set_index("participant")
    out = pd.DataFrame({"pseudonym": flags["participant"].map(people["pseudonym"]).to_numpy(),
                        "checkin": flags["checkin"].to_numpy(), "flag": flags["flag"].to_numpy(),
                        "detail": flags["detail"].to_numpy(), "reason": flags["reason"].to_numpy()})
    if names:
        out.insert(1, "name", (flags["participant"].map(people["first_name"]).fillna("") + " "
                               + flags["participant"].map(people["last_name"]).fillna("")
                               ).str.strip().to_numpy())
        out.insert(1, "participant", flags["participant"].to_numpy())
    return out


def exercises_by_group(tables: Tables, min_group: int = 5) -> pd.DataFrame:
    """Share of participants who handed in each exercise, by gender, small groups suppressed."""
    from grading.progress import EXERCISE_DONE, HIDDEN, SUPPRESSED

    ex = tables.exercises
    if ex.empty:
        return pd.DataFrame(columns=["assignment", "gender", "participants", "handed_in"])
    gender = tables.participants.set_index("participant")["gender"]
    frame = pd.DataFrame({"assignment": ex["assignment"].to_numpy(),
                          "gender": ex["participant"].map(gender).to_numpy(),
                          "done": ex["status"].isin(EXERCISE_DONE).to_numpy() * 100.0})
    out = frame.groupby(["assignment", "gender"]).agg(participants=("done", "size"),
                                                      handed_in=("done", "mean")).reset_index()
    out["handed_in"] = out["handed_in"].round(1)
    sizes = gender.value_counts()
    small = [g for g, n in sizes.items() if n < min_group]
    hidden = []
    if small and 0 < sizes[small].sum() < min_group and len(sizes.drop(small)):
        hidden = [sizes.drop(small).sort_values(kind="stable").index[0]]
    out = out.astype({"participants": object, "handed_in": object})
    text = SUPPRESSED if min_group == 5 else f"fewer than {min_group}"
    out.loc[out["gender"].isin(small), ["participants", "handed_in"]] = text
    out.loc[out["gender"].isin(hidden), ["participants", "handed_in"]] = HIDDEN
    out["_g"] = out["gender"].map({g: i for i, g in enumerate(GENDERS)})
    return out.sort_values(["assignment", "_g"]).drop(columns="_g").reset_index(drop=True)


# --------------------------------------------------------------------------- charts
def _svg(draw: Callable) -> str:
    """Draw with matplotlib (Agg) and return the SVG, text kept as text."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with plt.rc_context({"svg.fonttype": "none", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False}):
        fig, ax = plt.subplots(figsize=(7.2, 3.0), dpi=100)
        try:
            draw(ax)
            fig.tight_layout()
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _numeric_rows(summary: pd.DataFrame, column: str) -> tuple[pd.DataFrame, list[str]]:
    """Rows with figures, and the groups not shown (with why)."""
    shown = summary[summary["participants"].map(lambda v: not isinstance(v, str))]
    hidden = summary[summary["participants"].map(lambda v: isinstance(v, str))]
    notes = [f"{g}: {why}" for g, why in
             hidden.drop_duplicates(column)[[column, "participants"]].itertuples(index=False)]
    return shown, notes


def chart_response(by_gender: pd.DataFrame) -> str:
    """Bars: % who answered each check-in, by gender (groups under 5 not drawn, but named)."""
    shown, notes = _numeric_rows(by_gender, "gender")
    groups = [g for g in GENDERS if g in set(shown["gender"])]

    def draw(ax):
        width = 0.8 / max(len(groups), 1)
        x = np.arange(len(CHECKINS))
        for i, group in enumerate(groups):
            rows = shown[shown["gender"] == group].set_index("checkin").reindex(list(CHECKINS))
            values = pd.to_numeric(rows["response_rate"], errors="coerce").to_numpy(dtype=float)
            ax.bar(x + i * width - 0.4 + width / 2, np.nan_to_num(values), width, label=group)
        due = pd.to_numeric(shown.groupby("checkin")["due"].sum(), errors="coerce")
        for j, checkin in enumerate(CHECKINS):
            if groups and not due.get(checkin, 0) > 0:
                ax.text(j, 5, "not due yet", ha="center", fontsize=8, color="#55606e")
        ax.set_xticks(x, [CHECKIN_LABELS[c] for c in CHECKINS])
        ax.set_ylim(0, 100)
        ax.set_ylabel("answered (%)")
        ax.set_title("Check-ins answered, by gender")
        if groups:
            ax.legend(loc="upper right", fontsize=8)
        if notes:
            ax.text(0, -0.28, "Not shown: " + "; ".join(notes), transform=ax.transAxes,
                    fontsize=8)
    return _svg(draw)


def chart_milestones(overall: pd.DataFrame) -> str:
    """Lines: % of those who answered reaching each milestone, per check-in (whole cohort)."""
    shown, notes = _numeric_rows(overall, "group")
    rows = shown.set_index("checkin").reindex(list(CHECKINS))

    def draw(ax):
        x = np.arange(len(CHECKINS))
        for m in MILESTONES:
            values = pd.to_numeric(rows[f"milestone_{m.code}"], errors="coerce").to_numpy(float)
            ax.plot(x, values, marker="o", label=m.label)
        ax.set_xticks(x, [CHECKIN_LABELS[c] for c in CHECKINS])
        ax.set_ylim(0, 100)
        ax.set_ylabel("reached (%)")
        ax.set_title("Milestones reached over time (whole cohort)")
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
        if notes:
            ax.text(0, -0.28, "Not shown: " + "; ".join(notes), transform=ax.transAxes,
                    fontsize=8)
    return _svg(draw)


def chart_index(overall: pd.DataFrame) -> str:
    """Lines: mean index per dimension and overall, per check-in (whole cohort)."""
    shown, notes = _numeric_rows(overall, "group")
    rows = shown.set_index("checkin").reindex(list(CHECKINS))

    def draw(ax):
        x = np.arange(len(CHECKINS))
        for name in (*DIMENSIONS, "overall"):
            values = pd.to_numeric(rows[name], errors="coerce").to_numpy(float)
            ax.plot(x, values, marker="o", label=name, linewidth=2.5 if name == "overall" else 1.5)
        ax.set_xticks(x, [CHECKIN_LABELS[c] for c in CHECKINS])
        ax.set_ylim(0, 100)
        ax.set_ylabel("index (0-100)")
        ax.set_title("Homeward progress index, mean (whole cohort)")
        ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.0, 0.5))
        if notes:
            ax.text(0, -0.28, "Not shown: " + "; ".join(notes), transform=ax.transAxes,
                    fontsize=8)
    return _svg(draw)


def chart_flags(tables: Tables) -> str:
    """Stacked bars: flags raised per check-in, by rule."""
    counts = (tables.flags.groupby(["checkin", "flag"]).size().unstack(fill_value=0)
              .reindex(list(CHECKINS), fill_value=0) if len(tables.flags)
              else pd.DataFrame(index=list(CHECKINS)))

    def draw(ax):
        x = np.arange(len(CHECKINS))
        bottom = np.zeros(len(CHECKINS))
        for flag in counts.columns:
            values = counts[flag].to_numpy(dtype=float)
            ax.bar(x, values, 0.6, bottom=bottom, label=flag.replace("_", " "))
            bottom += values
        ax.set_xticks(x, [CHECKIN_LABELS[c] for c in CHECKINS])
        ax.set_ylabel("flags")
        ax.set_title("At-risk flags raised, by rule")
        if len(counts.columns):
            ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _svg(draw)


# --------------------------------------------------------------------------- HTML
def _table_html(frame: pd.DataFrame, caption: str) -> str:
    labelled = frame.rename(columns=COLUMN_LABELS)
    if "check-in" in labelled.columns:
        labelled["check-in"] = labelled["check-in"].map(CHECKIN_LABELS).fillna(labelled["check-in"])
    body = labelled.to_html(index=False, na_rep="no data", escape=True, border=0,
                            float_format=lambda v: f"{v:.1f}")
    return body.replace("<table", f"<table aria-label=\"{html.escape(caption)}\"", 1).replace(
        "<thead>", f"<caption>{html.escape(caption)}</caption><thead>", 1)


def _rules_html(config: Config) -> str:
    rows = []
    for code, rule in config.flags.items():
        settings = ", ".join(f"{k} = {v}" for k, v in rule.items()
                             if k not in ("enabled", "reason"))
        rows.append({"flag": code, "on": "yes" if rule["enabled"] else "no",
                     "setting": settings or "-", "reason": rule["reason"]})
    return _table_html(pd.DataFrame(rows), "Flag rules (grading/progress_config.json)")


def _weights_html(config: Config) -> str:
    rows = []
    for dimension in DIMENSIONS:
        for name, weight in config.index[dimension].items():
            rows.append({"dimension": dimension,
                         "dimension weight": config.index["dimension_weights"][dimension],
                         "indicator": name, "weight": weight,
                         "what it measures": INDICATORS[dimension][name]})
    return _table_html(pd.DataFrame(rows), "Index indicators and weights")


def render_html(tables: Tables, config: Config, names: bool = False, min_group: int = 5,
                title: str = "Homeward mentoring report") -> tuple[str, dict[str, pd.DataFrame]]:
    """The report page and the tables written next to it as CSV."""
    overall = cohort_summary(tables, by=None, min_group=min_group)
    by_gender = cohort_summary(tables, by="gender", min_group=min_group)
    exercises = exercises_by_group(tables, min_group)
    people = participant_rows(tables, names)
    flags = flag_rows(tables, names)

    latest_due = [c for c in CHECKINS if tables.checkins.loc[
        tables.checkins["checkin"] == c, "due"].any()]
    latest = latest_due[-1] if latest_due else None
    contact = flags[flags["checkin"] == latest] if latest else flags.iloc[0:0]
    n = len(tables.participants)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    privacy = ("This report is <b>pseudonymised</b>: people appear as pseudonyms such as "
               "P-7KQ2MX, with no names, e-mail addresses or gender. " if not names else
               "<b>This copy holds names and e-mail addresses: it is for the mentor only. Do not "
               "share or print it for others.</b> ")
    privacy += (f"Any group of fewer than {min_group} people shows \"fewer than {min_group}\" "
                "instead of its figures, and a figure based on the answers of fewer than "
                f"{min_group} people shows \"fewer than {min_group} answers\"; a larger group "
                "may be hidden too when a small group could otherwise be worked out. Keep this "
                "report with the course data, outside version control.")
    sections = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p class=\"small\">Made {stamp} for {n} participants. Latest check-in due: "
        f"{html.escape(CHECKIN_LABELS.get(latest, 'none yet'))}.</p>",
        f"<p class=\"note\">{privacy}</p>",
        "<h2>Check-ins answered</h2>",
        f"<div class=\"chart\">{chart_response(by_gender)}</div>",
        _table_html(overall[["checkin", "participants", "due", "response_rate",
                             "exercise_completion", "flagged"]], "Whole cohort"),
        _table_html(by_gender[["checkin", "gender", "participants", "due", "response_rate",
                               "exercise_completion", "flagged"]], "By gender"),
        "<h2>Milestones reached</h2>",
        "<p>Shares are of those who answered the check-in. The milestones are the ones the "
        "check-in notebooks award a point for.</p>",
        f"<div class=\"chart\">{chart_milestones(overall)}</div>",
        _table_html(by_gender[["checkin", "gender", "milestones_mean",
                               *[f"milestone_{m.code}" for m in MILESTONES]]],
                    "Milestones by gender"),
        "<h2>Progress index</h2>",
        "<p class=\"note\">Homeward's own index, inspired by the three dimensions of "
        "reintegration in IOM's Reintegration Handbook (economic, social, psychosocial). It is "
        "<b>not</b> IOM's Reintegration Sustainability Survey score. 0 is the lowest, 100 the "
        "highest; see facilitator_guides/mentoring.md.</p>",
        f"<div class=\"chart\">{chart_index(overall)}</div>",
        _table_html(by_gender[["checkin", "gender", *DIMENSIONS, "overall"]], "Index by gender"),
        _weights_html(config),
        "<h2>At-risk flags</h2>",
        f"<div class=\"chart\">{chart_flags(tables)}</div>",
        _rules_html(config),
    ]
    if latest:
        shown = contact.head(FLAG_ROWS_SHOWN)
        more = len(contact) - len(shown)
        sections.append(_table_html(shown.drop(columns=["reason"]),
                                    f"People to contact: flags at the {CHECKIN_LABELS[latest]} "
                                    "check-in"))
        if more > 0:
            sections.append(f"<p class=\"small\">{more} more rows in flags.csv.</p>")
    sections += ["<h2>Exercises handed in</h2>",
                 _table_html(exercises, "Exercises handed in, by gender")]
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(sections) + "\n</body></html>\n")
    files = {"participants_progress.csv": people, "flags.csv": flags,
             "cohort_overall.csv": overall, "cohort_by_gender.csv": by_gender,
             "exercises_by_gender.csv": exercises}
    return page, files


def build_report(tables: Tables, out_dir: str | Path, *, config: Config | None = None,
                 names: bool = False, min_group: int | None = None,
                 title: str = "Homeward mentoring report") -> dict[str, Path]:
    """Write the report files into ``out_dir`` and return their paths by name."""
    config = config or load_config()
    min_group = min_group or config.min_group
    from widgets.csvsafe import write_private_csv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o700)
    page, files = render_html(tables, config, names=names, min_group=min_group, title=title)
    written = {}
    for name, frame in files.items():
        written[name] = write_private_csv(frame, out / name)
    path = out / "report.html"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(page)
    os.chmod(path, 0o600)
    written["report.html"] = path
    return written


# --------------------------------------------------------------------------- command line
def _inside_git(path: Path) -> Path | None:
    for folder in [path, *path.parents]:
        if (folder / ".git").exists():
            return folder
    return None


def _default_course() -> Path:
    return Path(os.environ.get("HOMEWARD_COURSE") or "~/homeward-course").expanduser()


def main(argv: list[str] | None = None) -> int:
    """``python -m grading.reports``: build the reports with a progress bar."""
    from tqdm.auto import tqdm

    parser = argparse.ArgumentParser(
        prog="python -m grading.reports",
        description="Build the mentoring reports (CSV and a printable HTML page) of a course.")
    parser.add_argument("--course", type=Path, default=None,
                        help="course directory (default: $HOMEWARD_COURSE, else ~/homeward-course)")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the report (default: <course>/reports/<date>)")
    parser.add_argument("--names", action="store_true",
                        help="include names, e-mail and gender (for the mentor only)")
    parser.add_argument("--config", type=Path, default=None,
                        help="settings file (default: <course>/progress_config.json)")
    parser.add_argument("--min-group", type=int, default=None,
                        help="smallest group shown (at least 5; default from the settings)")
    parser.add_argument("--synthetic", type=int, default=None, metavar="N",
                        help="a demo report for N synthetic participants instead of a course")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic cohort")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    show = not args.no_progress
    try:
        if args.min_group is not None and args.min_group < 5:
            raise ConfigError("--min-group", "must be 5 or more")
        course = (args.course or _default_course()).expanduser().resolve()
        with tqdm(total=4, desc="report", unit="step", disable=not show) as bar:
            if args.synthetic is not None:
                from grading.synthetic import synthetic_cohort

                if args.synthetic < 1:
                    raise ValueError("--synthetic: must be 1 or more")
                config = load_config(args.config) if args.config else load_config()
                bar.set_description("making a synthetic cohort")
                people, checkins, exercises = synthetic_cohort(args.synthetic, seed=args.seed)
                bar.update(1)
                bar.set_description("working out the tables")
                tables = tables_from_records(people, checkins, exercises, config)
                out = args.out or Path.cwd() / f"synthetic-report-{args.synthetic}"
            else:
                config = load_config(args.config or (course if course.is_dir() else None))
                bar.set_description("reading the gradebook and check-ins")
                bar.update(1)
                tables = load_tables(course, config=config, progress=show)
                out = args.out or course / "reports" / datetime.now(UTC).strftime("%Y-%m-%d")
            bar.update(1)
            out = out.expanduser().resolve()
            repo = _inside_git(out)
            if repo is not None:
                raise ValueError(f"--out: {out} is inside the git repository {repo}; reports "
                                 "hold participant data: write them outside version control")
            bar.set_description("drawing charts and writing files")
            written = build_report(tables, out, config=config, names=args.names,
                                   min_group=args.min_group)
            bar.update(2)
            bar.set_description("report")
    except (CourseError, ConfigError, ValueError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"report: {written['report.html']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
