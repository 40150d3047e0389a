"""Benchmark a whole cohort's autograding: Homeward's batch against plain ``nbgrader autograde``.

Run ``.venv/bin/python benchmarks/bench_autograde.py`` (30 participants x 8 assignments, a few
minutes) or ``--small`` (4 x 2, for a quick check). It prints one figure per line,
``name: value unit``, and nothing else on stdout (what it is doing goes to stderr).

A synthetic course is built in a temporary folder (never in the repository): the eight
economic-empowerment exercises ``exercises/ee*`` if all eight exist, otherwise eight copies of
the seminar exercises under new names (the output says which). Each participant's submission is
drawn with a fixed seed from a mix of model answers (the source notebook), blank ones (the
released notebook) and partial ones (the released notebook with some answers filled in from
the source). Two identical copies of that course are then graded in the same run:

- **plain**: one ``nbgrader autograde "*"`` call, nbgrader grading one notebook after another;
- **homeward**: :meth:`grading.Course.autograde` (worker processes, one gradebook writer).

Both scores are read back through nbgrader's API and compared on every participant x
assignment, and on every grade cell.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grading.course import Course, nbgrader_command, subprocess_env  # noqa: E402

EE = ["ee01_money_cycle", "ee02_budgeting", "ee03_saving", "ee04_remittances", "ee06_debt",
      "ee07_protection", "ee10_business_plan", "ee12_reintegration_plan"]
SEMINAR = ["seminar_policies", "seminar_concepts", "seminar_action_plan"]
KINDS = ("model", "partial", "blank")


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def choose_exercises(folder: Path, count: int) -> str:
    """Fill ``folder`` with ``count`` assignment folders; return a description of them."""
    ee = [ROOT / "exercises" / name for name in EE]
    if all((p / f"{p.name}.ipynb").is_file() for p in ee):
        for path in ee[:count]:
            shutil.copytree(path, folder / path.name)
        return f"exercises/ee* ({count} of 8)"
    for i in range(count):
        source = ROOT / "exercises" / SEMINAR[i % len(SEMINAR)]
        name = f"seminar_copy{i + 1}"
        target = folder / name
        shutil.copytree(source, target)
        (target / f"{source.name}.ipynb").rename(target / f"{name}.ipynb")
    return f"{count} renamed copies of exercises/seminar_* (ee* not all present)"


def partial_notebook(source: dict, release: dict, rng: random.Random) -> dict:
    """The released notebook with a random half of the answer cells taken from the source."""
    answers = {c["metadata"]["nbgrader"]["grade_id"]: c for c in source["cells"]
               if c.get("metadata", {}).get("nbgrader", {}).get("solution")}
    chosen = {g for g in answers if rng.random() < 0.5}
    out = json.loads(json.dumps(release))
    for cell in out["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in chosen:
            cell["source"] = answers[grade_id]["source"]
    return out


def build(base: Path, participants: int, assignments: int, seed: int) -> tuple[Course, str]:
    exercises = base / "exercises"
    exercises.mkdir()
    described = choose_exercises(exercises, assignments)
    course = Course.create(base / "template", course_id="bench", timeout=60,
                           exercises=exercises)
    people = [f"P{i:03d}" for i in range(1, participants + 1)]
    table = base / "people.csv"
    table.write_text("id,first_name,last_name,gender,cohort\n" + "".join(
        f"{p},Test,Participant {p[1:]},{('woman', 'man')[i % 2]},bench\n"
        for i, p in enumerate(people)))
    course.add_participants(table)
    say(f"generating {assignments} assignments ...")
    course.generate()
    rng = random.Random(seed)
    for name in course.assignments():
        nb_name = course.notebook_names(name)[0]
        source_path = course.root / "source" / name / f"{nb_name}.ipynb"
        release_path = course.root / "release" / name / f"{nb_name}.ipynb"
        source, release = json.loads(source_path.read_text()), json.loads(release_path.read_text())
        for person in people:
            kind = rng.choice(KINDS)
            path = base / "draft.ipynb"
            if kind == "model":
                path.write_text(json.dumps(source))
            elif kind == "blank":
                path.write_text(json.dumps(release))
            else:
                path.write_text(json.dumps(partial_notebook(source, release, rng)))
            course.submit_file(person, name, path, timestamp="2026-03-01 10:00:00 UTC")
    return course, described


def copy_course(course: Course, target: Path) -> Course:
    shutil.copytree(course.root, target)
    config = target / "nbgrader_config.py"
    text = config.read_text().replace(f"c.CourseDirectory.root = {str(course.root)!r}",
                                      f"c.CourseDirectory.root = {str(target)!r}")
    config.write_text(text)
    return Course.open(target)


def scores(course: Course) -> dict[tuple[str, str], tuple]:
    out = {}
    with course.gradebook() as gb:
        for assignment in gb.assignments:
            for sub in gb.assignment_submissions(assignment.name):
                cells = tuple(sorted((g.notebook.name, g.name, g.auto_score)
                                     for nb in sub.notebooks for g in nb.grades))
                out[(sub.student_id, assignment.name)] = (float(sub.score), cells)
    return out


def run_plain(course: Course) -> float:
    start = time.perf_counter()
    result = subprocess.run([*nbgrader_command(), "autograde", "*"], cwd=course.root,
                            env=subprocess_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        say(result.stderr[-2000:])
        sys.exit("plain nbgrader autograde failed")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="4 participants x 2 assignments")
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--assignments", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None,
                        help="Homeward workers (default: grading.batch.default_workers())")
    parser.add_argument("--sweep", default="",
                        help="also time Homeward with these worker counts, e.g. 1,2,3")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    participants = args.participants or (4 if args.small else 30)
    assignments = args.assignments or (2 if args.small else 8)

    from grading.batch import default_workers

    workers = args.workers or default_workers()
    base = Path(tempfile.mkdtemp(prefix="homeward-bench-"))
    try:
        template, described = build(base, participants, assignments, args.seed)
        notebooks = participants * assignments
        plain = copy_course(template, base / "plain")
        homeward = copy_course(template, base / "homeward")
        say(f"plain nbgrader autograde of {notebooks} notebooks ...")
        plain_s = run_plain(plain)
        say(f"Homeward autograde of {notebooks} notebooks with {workers} workers ...")
        start = time.perf_counter()
        result = homeward.autograde(workers=workers, progress=False)
        home_s = time.perf_counter() - start
        expected, got = scores(plain), scores(homeward)
        same = sum(1 for key, value in expected.items() if got.get(key) == value)
        sweep = {}
        for count in [int(x) for x in args.sweep.split(",") if x.strip()]:
            again = copy_course(template, base / f"sweep{count}")
            say(f"Homeward autograde with {count} workers ...")
            start = time.perf_counter()
            again.autograde(workers=count, progress=False)
            sweep[count] = time.perf_counter() - start
            shutil.rmtree(again.root)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    say(f"assignments: {described}; broken: {len(result.broken())}")
    print(f"autograde_notebooks: {notebooks} notebooks")
    print(f"autograde_plain_total: {plain_s:.1f} s")
    print(f"autograde_plain_per_notebook: {plain_s / notebooks:.2f} s")
    print(f"autograde_homeward_total: {home_s:.1f} s")
    print(f"autograde_homeward_per_notebook: {home_s / notebooks:.2f} s")
    print(f"autograde_homeward_workers: {workers} workers")
    print(f"autograde_speedup: {plain_s / home_s:.2f} x")
    print(f"autograde_same_scores: {same}/{len(expected)}")
    for count, seconds in sweep.items():
        print(f"autograde_homeward_{count}_workers_total: {seconds:.1f} s")
    kind = "ee" if described.startswith("exercises/ee") else "seminar_copies"
    print(f"autograde_exercises_{kind}: {assignments} assignments")
    return 0 if same == len(expected) == notebooks else 1


if __name__ == "__main__":
    sys.exit(main())
