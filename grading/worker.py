"""One grading worker: nbgrader's own autograde, one submission at a time, in a scratch course.

Started by :mod:`grading.batch` as ``python -m grading.worker SCRATCH CONFIG``. ``SCRATCH`` is a
throw-away course folder made by the batch: a copy of ``source/`` and of the gradebook taken
at the start of the batch. ``CONFIG`` is a copy of the course's ``nbgrader_config.py`` (so
time limits and output limits are the facilitator's) with the course root changed to
``SCRATCH``. Participants' code therefore runs next to a copy of the gradebook, never the
real one, and nothing the worker is given names the real course directory. (This is not a
sandbox: the code runs as the facilitator's user.)

Protocol, one JSON object per line: the batch writes ``{"participant": ..., "assignment":
...}`` on stdin after placing the submission in ``SCRATCH/submitted/``; the worker runs
nbgrader's :class:`~nbgrader.converters.Autograde` on it and answers on stdout with what nbgrader
wrote into the scratch gradebook for that submission (read straight after the run, before any
other participant's code runs here) and what it saw in the graded notebook (cells stopped by
the time limit, output cut). The batch copies those values into the real gradebook.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import time
import traceback
from pathlib import Path

from grading.limits import NBGRADER_TRUNCATED, TIMEOUT_ENAME, TRUNCATED_PREFIX


def load_config(course_config: Path, scratch: Path):
    """The configuration plain ``nbgrader autograde`` would use in the course (the Jupyter
    config folders' ``nbgrader_config.py``, then the course's), with the root moved to
    ``scratch``."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    for folder in reversed(jupyter_config_path()):
        path = Path(folder) / "nbgrader_config.py"
        if path.is_file() and path.resolve() != course_config.resolve():
            config.merge(PyFileConfigLoader(path.name, str(path.parent)).load_config())
    config.merge(PyFileConfigLoader(course_config.name, str(course_config.parent)).load_config())
    config.CourseDirectory.root = str(scratch)
    config.CourseDirectory.db_url = f"sqlite:///{scratch / 'gradebook.db'}"
    return config


def inspect_graded(folder: Path) -> dict:
    """What the graded notebooks show: cells stopped by the time limit, output that was cut."""
    timed_out, cut = [], []
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
                text = out.get("text", "")
                text = "".join(text) if isinstance(text, list) else text
                if out.get("output_type") == "stream" and (
                        TRUNCATED_PREFIX in text or NBGRADER_TRUNCATED in text):
                    cut.append(f"{path.stem}:{name}")
    return {"timed_out": sorted(set(timed_out)), "cut": sorted(set(cut))}


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


def grade_one(config, scratch: Path, participant: str, assignment: str) -> dict:
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

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
    result.update(ok=True, seconds=seconds)
    return result


def main(argv: list[str]) -> int:
    scratch, course_config = Path(argv[0]), Path(argv[1])
    config = load_config(course_config, scratch)
    # nbgrader logs to stderr (a log file kept by the batch); stdout carries only answers.
    out = sys.stdout
    sys.stdout = sys.stderr
    print(json.dumps({"ready": True}), file=out, flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            answer = grade_one(config, scratch, job["participant"], job["assignment"])
        except Exception as error:
            traceback.print_exc()
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300],
                      "seconds": 0.0}
        answer.update(participant=job["participant"], assignment=job["assignment"])
        print(json.dumps(answer), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
