"""Benchmark the progress tables and reports for 100, 1,000 and 10,000 participants.

Run ``.venv/bin/python benchmarks/bench_progress.py``. It prints one figure per line,
``name: value unit``, and nothing else on stdout.

- ``progress_tables_<n>``: :func:`grading.progress.tables_from_records` for ``n`` synthetic
  participants with four check-ins each (median of a few runs);
- ``progress_report_<n>``: the tables plus the CSV files and the HTML report with its charts;
- ``progress_scaling_10000_vs_1000``: how many times longer 10,000 take than 1,000 (10 means
  time grows exactly as the number of participants; less is better);
- ``progress_tables_naive_1000`` (and ``_10000``): the same milestones, flags and index worked
  out by :func:`naive_tables`, a plain loop over participants and check-ins, in the same run
  (it builds only dicts, no tables, so it is a generous comparison);
- ``progress_load_tables_course_<n>``: :func:`grading.progress.load_tables` on a small real
  course directory (real gradebook, submitted notebooks), built here with nbgrader's API.

:func:`naive_tables` shares no derivation code with ``grading/progress.py`` (only the settings
and the milestone constants), so the tests also use it as an independent check
(``tests/mentoring/test_progress.py``).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.benchtools import median_ms  # noqa: E402
from grading.checkins import (  # noqa: E402
    CHECKINS,
    EMERGENCY_MONTHS,
    FIELDS,
    NEXT_STEPS_MIN_CHARS,
    REPAYMENT_MAX_PCT,
    fill_answers,
)
from grading.config import DIMENSIONS, Config, load_config  # noqa: E402
from grading.progress import load_tables, tables_from_records  # noqa: E402
from grading.reports import build_report  # noqa: E402
from grading.synthetic import synthetic_cohort  # noqa: E402

SIZES = (100, 1000, 10000)
REPEATS = {100: 7, 1000: 5, 10000: 3}


# --------------------------------------------------------------------------- the plain loop
def _num(value) -> float | None:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    return float(value)


def _milestones(a: dict) -> dict[str, bool]:
    em, s, plan = _num(a["emergency_months"]), _num(a["savings"]), _num(a["savings_plan"])
    rep, inc = _num(a["repayment"]), _num(a["income"])
    steps = a["next_milestones"] if isinstance(a["next_milestones"], str) else ""
    return {
        "emergency_fund": em is not None and em >= EMERGENCY_MONTHS,
        "savings_on_plan": s is not None and plan is not None and s >= plan and s > 0,
        "repayment_affordable": rep is not None and (
            rep == 0 or (inc is not None and inc > 0 and rep * 100 <= REPAYMENT_MAX_PCT * inc)),
        "work_or_business": a["work"] == "stable" or a["business_status"] == "operating",
        "next_milestones": len(steps.strip()) >= NEXT_STEPS_MIN_CHARS,
    }


def _flags(a: dict, status: str, due: bool, config: Config) -> list[str]:
    rules, out = config.flags, []
    if rules["missed_checkin"]["enabled"] and due and status in rules["missed_checkin"]["statuses"]:
        out.append("missed_checkin")
    if status not in ("submitted", "late"):
        return out
    s, plan = _num(a["savings"]), _num(a["savings_plan"])
    rep, inc = _num(a["repayment"]), _num(a["income"])
    wb = _num(a["wellbeing"])
    rule = rules["savings_behind_plan"]
    if rule["enabled"] and s is not None and plan is not None and plan > 0 \
            and s * 100 < rule["below_pct_of_plan"] * plan:
        out.append("savings_behind_plan")
    rule = rules["repayment_too_high"]
    if rule["enabled"] and rep is not None and rep > 0 and (
            inc is not None and (inc <= 0 or rep * 100 > rule["above_pct_of_income"] * inc)):
        out.append("repayment_too_high")
    if rules["business_closed"]["enabled"] and a["business_status"] == "closed":
        out.append("business_closed")
    rule = rules["low_wellbeing"]
    if rule["enabled"] and wb is not None and wb <= rule["at_most"]:
        out.append("low_wellbeing")
    return out


def _mean(pairs: list[tuple[float | None, float]]) -> float | None:
    known = [(v, w) for v, w in pairs if v is not None]
    weight = sum(w for _, w in known)
    return sum(v * w for v, w in known) / weight if weight > 0 else None


def _index(a: dict, answered: bool, config: Config) -> dict[str, float | None]:
    scales = config.index["scales"]
    s, plan = _num(a["savings"]), _num(a["savings_plan"])
    rep, inc = _num(a["repayment"]), _num(a["income"])
    em = _num(a["emergency_months"])
    ind: dict[str, float | None] = {}
    ind["savings_vs_plan"] = (min(max(s / plan, 0), 1) * 100
                              if s is not None and plan is not None and plan > 0 else None)
    ind["emergency_fund"] = (min(max(em / scales["emergency_fund_full_at_months"], 0), 1) * 100
                             if em is not None else None)
    if rep is None:
        ind["debt_burden"] = None
    elif rep == 0:
        ind["debt_burden"] = 100.0
    elif inc is None:
        ind["debt_burden"] = None
    elif inc <= 0:
        ind["debt_burden"] = 0.0
    else:
        share = rep / inc * 100 / scales["debt_burden_zero_at_pct"]
        ind["debt_burden"] = 100 * (1 - min(max(share, 0), 1))
    work = a["work"] if isinstance(a["work"], str) else None
    working = a["working"] if isinstance(a["working"], bool) else (
        None if work is None else work != "none")
    business = a["business_status"] if isinstance(a["business_status"], str) else None
    if work == "stable" or business == "operating":
        ind["income_source"] = 100.0
    elif working is True:
        ind["income_source"] = 50.0
    elif working is not None or business is not None:
        ind["income_source"] = 0.0
    else:
        ind["income_source"] = None
    for name in ("family", "community", "wellbeing"):
        r = _num(a[name])
        ind[name] = (r - 1) * 25 if r is not None else None
    steps = a["next_milestones"] if isinstance(a["next_milestones"], str) else ""
    ind["plans_ahead"] = (100.0 if len(steps.strip()) >= NEXT_STEPS_MIN_CHARS else 0.0
                          ) if answered else None
    out = {d: _mean([(ind[n], w) for n, w in config.index[d].items()]) for d in DIMENSIONS}
    out["overall"] = _mean([(out[d], w) for d, w in config.index["dimension_weights"].items()])
    return out


def naive_tables(people: pd.DataFrame, checkins: pd.DataFrame, config: Config) -> dict:
    """Milestone counts, flags and index, one participant and check-in at a time."""
    by_key = {(r["participant"], r["checkin"]): r for r in checkins.to_dict("records")}
    milestones, flags, index = {}, set(), {}
    for pid in people["participant"]:
        for checkin in CHECKINS:
            row = by_key.get((pid, checkin), {})
            status = row.get("status") if isinstance(row.get("status"), str) else "missing"
            due = bool(row.get("due", True)) if row.get("due") is not None else True
            answered = status in ("submitted", "late")
            a = {k: (row.get(k) if answered else None) for k in FIELDS}
            a = {k: (None if v is pd.NA or (isinstance(v, float) and v != v) else v)
                 for k, v in a.items()}
            milestones[pid, checkin] = sum(_milestones(a).values()) if answered else None
            for flag in _flags(a, status, due, config):
                flags.add((pid, checkin, flag))
            index[pid, checkin] = _index(a, answered, config)
    return {"milestones": milestones, "flags": flags, "index": index}


# --------------------------------------------------------------------------- a small real course
def small_course(base: Path, n: int = 12) -> Path:
    """A course directory with a real gradebook (nbgrader API, no commands) and ``n``
    participants' submitted baseline and 3-month check-ins (filled from synthetic answers)."""
    import os

    from nbgrader.api import Gradebook

    # a new gradebook asks the ``alembic`` command (in this environment's bin) for its version
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent),
                                          os.environ.get("PATH", "")])
    root = base / "course"
    root.mkdir(parents=True)
    (root / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\nc.CourseDirectory.course_id = 'bench'\n")
    people, checkins, _ = synthetic_cohort(n, seed=4)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id="bench") as gb:
        for row in people.to_dict("records"):
            gb.add_student(row["participant"], first_name=row["first_name"],
                           last_name=row["last_name"], email=row["email"])
        for checkin in CHECKINS:
            gb.add_assignment(f"checkin_{checkin}")
    people.rename(columns={"participant": "id"}).to_csv(root / "participants.csv", index=False)
    for checkin in ("baseline", "m03"):
        name = f"checkin_{checkin}"
        template = json.loads((ROOT / "exercises" / name / f"{name}.ipynb").read_text())
        for row in checkins[checkins["checkin"] == checkin].to_dict("records"):
            if row["status"] == "missing":
                continue
            folder = root / "submitted" / row["participant"] / name
            folder.mkdir(parents=True)
            answers = {k: (None if pd.isna(row[k]) else row[k]) for k in FIELDS}
            nb = fill_answers(template, answers)
            (folder / f"{name}.ipynb").write_text(
                "{broken" if row["status"] == "broken" else json.dumps(nb))
            (folder / "timestamp.txt").write_text("2026-04-10 10:00:00.000000 UTC")
    return root


# --------------------------------------------------------------------------- timing
def main() -> None:
    config = load_config()
    cohorts = {n: synthetic_cohort(n, seed=1) for n in SIZES}
    tables_ms = {}
    for n in SIZES:
        tables_ms[n] = median_ms(lambda _k, n=n: tables_from_records(*cohorts[n], config),
                                  REPEATS[n])
        print(f"progress_tables_{n}: {tables_ms[n]:.1f} ms", flush=True)
    for n in (1000, 10000):
        people, checkins, _ = cohorts[n]
        naive_ms = median_ms(lambda _k, p=people, c=checkins: naive_tables(p, c, config), 3)
        print(f"progress_tables_naive_{n}: {naive_ms:.1f} ms", flush=True)
        print(f"progress_speedup_{n}: {naive_ms / tables_ms[n]:.1f} x", flush=True)
    print(f"progress_scaling_10000_vs_1000: {tables_ms[10000] / tables_ms[1000]:.1f} x",
          flush=True)

    work = Path(tempfile.mkdtemp(prefix="bench_progress_"))
    try:
        report_ms = {}
        for n in SIZES:
            def report(_k, n=n):
                tables = tables_from_records(*cohorts[n], config)
                build_report(tables, work / f"report-{n}", config=config)
            report_ms[n] = median_ms(report, 3 if n < 10000 else 2)
            print(f"progress_report_{n}: {report_ms[n]:.1f} ms", flush=True)
        print(f"progress_report_scaling_10000_vs_1000: {report_ms[10000] / report_ms[1000]:.1f} x",
              flush=True)
        course = small_course(work / "course", 12)
        load_ms = median_ms(lambda _k: load_tables(course, config=config, now="2026-05-01"), 3)
        print(f"progress_load_tables_course_12: {load_ms:.1f} ms", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
