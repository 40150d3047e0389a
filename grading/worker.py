"""One grading worker: nbgrader's own autograde, one submission at a time, in a scratch course.

Started by :mod:`grading.batch` as ``python -m grading.worker SCRATCH CONFIG [--sandbox |
--no-sandbox] [--slot N] [--run-root DIR]``. ``SCRATCH`` is a throw-away course folder that the
batch refills for every submission: the assignment's release-side files in ``source/``, the
participant's notebooks in ``submitted/`` and a gradebook holding only that assignment's
structure. ``CONFIG`` is a copy of the course's ``nbgrader_config.py`` (so time limits and
output limits are the facilitator's) without the course root or the exchange; the worker sets
the root to ``SCRATCH``. With ``--sandbox`` (the default) every kernel starts inside bubblewrap
(:mod:`grading.sandbox`, the user id ``slot`` of its own); ``--no-sandbox`` runs it as the
grader's user (``autograde --unsafe-no-sandbox``).

Protocol, one JSON object per line: the batch writes ``{"participant": ..., "assignment":
..., "extension_seconds": ...}`` on stdin after filling ``SCRATCH``; the worker runs nbgrader's
:class:`~nbgrader.converters.Autograde` on it and answers on stdout with what nbgrader wrote
into the scratch gradebook for that submission and what it saw in the graded notebook (cells
stopped by the time limit, cells not run because the notebook's time was up, output cut,
processes left running). The batch copies those values into the real gradebook.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import time
import traceback
from pathlib import Path

from grading.limits import (
    NBGRADER_TRUNCATED,
    NOTEBOOK_TIMEOUT_ENAME,
    TIMEOUT_ENAME,
    TRUNCATED_PREFIX,
)


def load_config(course_config: Path, scratch: Path, sandbox: bool = True, slot: int = 0,
                run_root: str = ""):
    """The configuration plain ``nbgrader autograde`` would use in the course (the Jupyter
    config folders' ``nbgrader_config.py``, then the course's), with the root moved to
    ``scratch``, Homeward's execute step, and the sandbox on or off."""
    from grading.course import NOTEBOOK_TIMEOUT, nbgrader_config
    from grading.limits import autograde_preprocessors

    config = nbgrader_config(course_config)
    config.CourseDirectory.root = str(scratch)
    config.CourseDirectory.db_url = f"sqlite:///{scratch / 'gradebook.db'}"
    # Homeward's execute step, even in a course made before it had one

    config.Autograde.autograde_preprocessors = autograde_preprocessors()
    config.LimitedExecute.sandbox = sandbox
    if "notebook_timeout" not in config.LimitedExecute:
        config.LimitedExecute.notebook_timeout = NOTEBOOK_TIMEOUT
    config.SandboxKernelManager.slot = slot
    if run_root:
        config.SandboxKernelManager.run_root = run_root
    return config


def inspect_graded(folder: Path) -> dict:
    """What the graded notebooks show: cells stopped by the time limit, cells not run
    because the whole notebook's time was up, output that was cut."""
    timed_out, not_run, cut, memory = [], [], [], []
    for path in sorted(folder.glob("*.ipynb")):
        try:
            nb = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        for index, cell in enumerate(nb.get("cells", [])):
            name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"#{index + 1}"
            for out in cell.get("outputs", []) or []:
                if out.get("output_type") == "error" and out.get("ename") == TIMEOUT_ENAME:
                    timed_out.append(f"{path.stem}:{name}")
                if out.get("output_type") == "error" and \
                        out.get("ename") == NOTEBOOK_TIMEOUT_ENAME:
                    not_run.append(f"{path.stem}:{name}")
                if out.get("output_type") == "error" and out.get("ename") == "MemoryError":
                    memory.append(f"{path.stem}:{name}")
                text = out.get("text", "")
                text = "".join(text) if isinstance(text, list) else text
                if out.get("output_type") == "stream" and (
                        TRUNCATED_PREFIX in text or NBGRADER_TRUNCATED in text):
                    cut.append(f"{path.stem}:{name}")
    return {"timed_out": sorted(set(timed_out)), "not_run": sorted(set(not_run)),
            "cut": sorted(set(cut)), "memory": sorted(set(memory))}


def read_results(db_url: str, course_id: str, assignment: str, participant: str) -> dict:
    """What nbgrader's autograde wrote for one submission, from the scratch gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=course_id) as gb:
        sub = gb.find_submission(assignment, participant)
        notebooks = {}
        for nb in sub.notebooks:
            notebooks[nb.name] = {
                "late_submission_penalty": nb.late_submission_penalty,
                "grades": {g.name: g.auto_score for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments},
            }
        return {"timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
                "score": float(sub.score), "max_score": float(sub.max_score),
                "notebooks": notebooks}


def seed_extension(config, participant: str, assignment: str, seconds: float) -> None:
    """Give the participant's submission in the scratch gradebook the extension it has in the
    real one (nbgrader takes it into account for the late penalty)."""
    import datetime as dt

    from nbgrader.api import Gradebook

    with Gradebook(config.CourseDirectory.db_url,
                   course_id=config.CourseDirectory.course_id) as gb:
        gb.update_or_create_student(participant)
        gb.update_or_create_submission(assignment, participant,
                                       extension=dt.timedelta(seconds=seconds))


def grade_one(config, scratch: Path, participant: str, assignment: str,
              extension: float | None = None) -> dict:
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    from grading.sandbox import SandboxKernelManager

    if extension:
        seed_extension(config, participant, assignment, extension)
    SandboxKernelManager.left_behind_total = 0
    SandboxKernelManager.peak_kb = 0
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = participant
    app = Autograde(coursedir=coursedir, config=config)
    app.force = True
    app.create_student = True
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setLevel(logging.ERROR)
    app.log.addHandler(handler)
    start = time.perf_counter()
    try:
        app.start()
    except Exception as error:  # nbgrader's own failure for this one submission
        errors = [line for line in buffer.getvalue().splitlines()
                  if line.strip() and not line.startswith((" ", "Traceback"))]
        detail = next((e for e in errors if "There was an error" not in e and "Please see" not in e),
                      str(error) or type(error).__name__)
        return {"ok": False, "error": detail.strip()[:300],
                "seconds": time.perf_counter() - start}
    finally:
        app.log.removeHandler(handler)
    seconds = time.perf_counter() - start
    result = read_results(coursedir.db_url, coursedir.course_id, assignment, participant)
    result.update(inspect_graded(scratch / "autograded" / participant / assignment))
    result.update(ok=True, seconds=seconds,
                  left_behind=SandboxKernelManager.left_behind_total,
                  peak_mb=round(SandboxKernelManager.peak_kb / 1024, 1))
    return result


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m grading.worker")
    parser.add_argument("scratch", type=Path)
    parser.add_argument("config", type=Path)
    parser.add_argument("--sandbox", dest="sandbox", action="store_true", default=True)
    parser.add_argument("--no-sandbox", dest="sandbox", action="store_false")
    parser.add_argument("--slot", type=int, default=0)
    parser.add_argument("--run-root", default="")
    args = parser.parse_args(argv)
    scratch = args.scratch
    config = load_config(args.config, scratch, sandbox=args.sandbox, slot=args.slot,
                         run_root=args.run_root)
    # nbgrader logs to stderr (a log file kept by the batch); stdout carries only answers.
    out = sys.stdout
    sys.stdout = sys.stderr
    print(json.dumps({"ready": True}), file=out, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            answer = grade_one(config, scratch, job["participant"], job["assignment"],
                               job.get("extension_seconds"))
        except Exception as error:
            traceback.print_exc()
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300],
                      "seconds": 0.0}
        answer.update(participant=job["participant"], assignment=job["assignment"])
        print(json.dumps(answer), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
