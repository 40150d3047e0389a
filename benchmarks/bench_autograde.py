"""Benchmark a whole cohort's autograding: Homeward's batch in the sandbox, the same batch
without it, and plain ``nbgrader autograde``.

Run ``.venv/bin/python benchmarks/bench_autograde.py`` (30 participants x 8 assignments, several
minutes) or ``--small`` (4 x 2, for a quick check). It prints one figure per line,
``name: value unit``, and nothing else on stdout (what it is doing goes to stderr), starting
with the machine's load average: on a shared machine the times move with it.

A synthetic course is built in a temporary folder (never in the repository): the eight
economic-empowerment exercises ``exercises/ee*`` if all eight exist, otherwise eight copies of
the seminar exercises under new names (the output says which). Each participant's submission is
drawn with a fixed seed from a mix of model answers, blank ones (the released notebook) and
partial ones (some answers filled in); for answer-form exercises the answers are written into
the released notebook as plain values (:func:`widgets.forms.model.fill_notebook`), as the
form app does, else taken from the source notebook. Three identical copies of that course are
then graded in the same run:

- **plain**: one ``nbgrader autograde "*"`` call, nbgrader grading one notebook after another,
  each kernel as the grader's own user (no sandbox: nbgrader as it comes);
- **homeward_sandbox**: :meth:`grading.Course.autograde` (worker processes, one gradebook
  writer, every kernel inside bubblewrap): what a facilitator runs;
- **homeward_nosandbox**: the same batch with ``sandbox=False`` (``--unsafe-no-sandbox``).

All scores are read back through nbgrader's API and compared on every participant x
assignment and every grade cell. Apart from the batches, the cost of the sandbox itself is
timed on one kernel: starting it (bubblewrap and the kernel inside it, up to its first reply),
running one cell and stopping it, against the same without the sandbox.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
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


def form_submission(kind: str, source: dict, release: dict, rng: random.Random) -> dict | None:
    """For an answer-form exercise, what a participant can really hand in: the released
    notebook with plain values written in (all the model answers, a random half, or none).
    The source notebook itself (solution markers, hidden tests) is refused by the batch's
    pre-check and never runs, so it would not compare grading. None when not a form."""
    from widgets.forms.model import fill_notebook, model_values, questions

    if not questions(release):
        return None
    values = model_values(source)
    if kind == "partial":
        values = {name: value for name, value in values.items() if rng.random() < 0.5}
    elif kind == "blank":
        values = {}
    return fill_notebook(release, values)


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
            form = form_submission(kind, source, release, rng)
            if form is not None:
                path.write_text(json.dumps(form))
            elif kind == "model":
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
    """Plain nbgrader, one notebook after another, kernels as the grader's user (the course's
    configuration with the sandbox switched off, as Homeward graded before it had one)."""
    start = time.perf_counter()
    result = subprocess.run([*nbgrader_command(), "autograde", "*",
                             "--LimitedExecute.sandbox=False"], cwd=course.root,
                            env=subprocess_env(), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        say(result.stderr[-2000:])
        sys.exit("plain nbgrader autograde failed")
    return seconds


def kernel_cost(sandbox: bool, repeats: int) -> float:
    """Median seconds to start a kernel (in the sandbox or not), run one cell, and stop it:
    what the sandbox adds to every graded notebook."""
    import nbformat

    from grading.limits import LimitedExecute

    folder = Path(tempfile.mkdtemp(prefix="homeward-kernel-"))
    times = []
    try:
        for _ in range(repeats + 1):  # the first one warms the caches and is not counted
            nb = nbformat.v4.new_notebook()
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                         "language": "python"}
            nb.cells = [nbformat.v4.new_code_cell("x = 1 + 1")]
            execute = LimitedExecute(sandbox=sandbox, timeout=60)
            start = time.perf_counter()
            execute.preprocess(nb, {"metadata": {"path": str(folder)}})
            times.append(time.perf_counter() - start)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return statistics.median(times[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="4 participants x 2 assignments")
    parser.add_argument("--participants", type=int, default=None)
    parser.add_argument("--assignments", type=int, default=None)
    parser.add_argument("--workers", type=int, default=None,
                        help="Homeward workers (default: grading.batch.default_workers())")
    parser.add_argument("--kernels", type=int, default=None,
                        help="kernels started to time the sandbox's own cost (default 10, "
                             "3 with --small)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    participants = args.participants or (4 if args.small else 30)
    assignments = args.assignments or (2 if args.small else 8)
    kernels = args.kernels or (3 if args.small else 10)

    from grading.batch import default_workers
    from grading.sandbox import check_sandbox

    problem = check_sandbox()
    if problem:
        sys.exit(f"the grading sandbox cannot run here: {problem}")
    print(f"autograde_load_average_before: {os.getloadavg()[0]:.2f} (1 min)")
    workers = args.workers or default_workers()
    base = Path(tempfile.mkdtemp(prefix="homeward-bench-"))
    try:
        template, described = build(base, participants, assignments, args.seed)
        notebooks = participants * assignments
        plain = copy_course(template, base / "plain")
        sandboxed = copy_course(template, base / "sandbox")
        unsandboxed = copy_course(template, base / "nosandbox")
        say(f"plain nbgrader autograde of {notebooks} notebooks ...")
        plain_s = run_plain(plain)
        say(f"Homeward autograde of {notebooks} notebooks, {workers} workers, sandbox on ...")
        start = time.perf_counter()
        result = sandboxed.autograde(workers=workers, progress=False)
        sandbox_s = time.perf_counter() - start
        say(f"Homeward autograde of {notebooks} notebooks, {workers} workers, sandbox off ...")
        start = time.perf_counter()
        unsandboxed.autograde(workers=workers, progress=False, sandbox=False)
        nosandbox_s = time.perf_counter() - start
        expected = scores(plain)
        same = sum(1 for key, value in expected.items() if scores(sandboxed).get(key) == value)
        same_off = sum(1 for key, value in expected.items()
                       if scores(unsandboxed).get(key) == value)
        say(f"timing {kernels} kernel starts with and without the sandbox ...")
        kernel_on = kernel_cost(True, kernels)
        kernel_off = kernel_cost(False, kernels)
    finally:
        shutil.rmtree(base, ignore_errors=True)

    say(f"assignments: {described}; broken: {len(result.broken())}")
    print(f"autograde_notebooks: {notebooks} notebooks")
    print(f"autograde_plain_total: {plain_s:.1f} s")
    print(f"autograde_plain_per_notebook: {plain_s / notebooks:.2f} s")
    print(f"autograde_homeward_sandbox_total: {sandbox_s:.1f} s")
    print(f"autograde_homeward_sandbox_per_notebook: {sandbox_s / notebooks:.2f} s")
    print(f"autograde_homeward_nosandbox_total: {nosandbox_s:.1f} s")
    print(f"autograde_homeward_nosandbox_per_notebook: {nosandbox_s / notebooks:.2f} s")
    print(f"autograde_homeward_workers: {workers} workers")
    print(f"autograde_sandbox_vs_nosandbox: {sandbox_s / nosandbox_s:.2f} x (target <= 1.15)")
    print(f"autograde_sandbox_speedup_vs_plain: {plain_s / sandbox_s:.2f} x (target > 1)")
    print(f"autograde_kernel_cycle_sandbox: {kernel_on:.3f} s")
    print(f"autograde_kernel_cycle_nosandbox: {kernel_off:.3f} s")
    print(f"autograde_sandbox_cost_per_notebook: {kernel_on - kernel_off:.3f} s")
    print(f"autograde_same_scores_sandbox: {same}/{len(expected)}")
    print(f"autograde_same_scores_nosandbox: {same_off}/{len(expected)}")
    kind = "ee" if described.startswith("exercises/ee") else "seminar_copies"
    print(f"autograde_exercises_{kind}: {assignments} assignments")
    print(f"autograde_load_average_after: {os.getloadavg()[0]:.2f} (1 min)")
    ok = same == same_off == len(expected) == notebooks
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
