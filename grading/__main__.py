"""The facilitator's command line: ``python -m grading COMMAND`` (see ``--help``).

Every command takes ``--course PATH``; without it the course is ``$HOMEWARD_COURSE``, else
``~/homeward-course``. Errors print one line and exit with 2 (a problem with what was asked)
or 1 (a command that failed); never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DESCRIPTION = """\
Run a Homeward course with nbgrader, step by step:

  init          make a new course directory (outside the repository)
  participants  add participants from a CSV file (or list them)
  generate      make the participants' version of the assignments (no solutions)
  release       put the assignments where participants can fetch them
  collect       bring in what participants submitted (only from people on the list)
  handin        add a notebook a participant handed in as a file (the answer form without
                the hub), after checking it holds only her answers
  autograde     grade all submissions, each in a sandbox; broken ones are listed, the rest go on
  feedback      write a feedback page for each graded submission (not while a hand grade is due)
  export        write all grades to a CSV file
  status        show who submitted what, and what is graded or broken
  restore       put back the gradebook copy made before a batch that failed its check
  report        build the mentoring reports: CSV and a printable page, no names by default
                (python -m grading report --help)
  hub           the workshop hub: accounts and login cards, start it (python -m grading hub --help)

The course directory is --course PATH, else $HOMEWARD_COURSE, else ~/homeward-course.
The guide: facilitator_guides/grading_workflow.md
"""


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course", metavar="PATH", default=argparse.SUPPRESS,
                        help="the course directory (default: $HOMEWARD_COURSE or "
                             "~/homeward-course)")
    parser = argparse.ArgumentParser(
        prog="python -m grading", description=DESCRIPTION, parents=[common],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    init = commands.add_parser("init", parents=[common], help="make a new course directory")
    init.add_argument("--course-id", default="homeward", help="course id (default: homeward)")
    init.add_argument("--exchange", metavar="PATH",
                      help="the exchange folder for release and collect (default: nbgrader's, "
                           "/srv/nbgrader/exchange)")
    init.add_argument("--timeout", type=int, default=60,
                      help="seconds a notebook cell may run when graded (default: 60)")
    init.add_argument("--notebook-timeout", type=int, default=None,
                      help="seconds a whole notebook may run when graded (default: 120)")
    init.add_argument("--memory-mb", type=int, default=None,
                      help="memory of each participant's kernel in the sandbox, in MB "
                           "(default: 1024)")

    people = commands.add_parser("participants", parents=[common],
                                 help="add participants from a CSV file, or list them")
    actions = people.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="add or update participants")
    add.add_argument("csv", metavar="FILE.csv",
                     help="columns: id, first_name, last_name, email, gender, cohort")
    actions.add_parser("list", parents=[common], help="list the participants")

    steps = {}
    for name, text in [("generate", "make the participants' version (no solutions)"),
                       ("release", "put assignments in the exchange"),
                       ("collect", "bring submissions in from the exchange"),
                       ("feedback", "write feedback pages")]:
        step = steps[name] = commands.add_parser(name, parents=[common], help=text)
        step.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                          help="assignment names (default: all)")
    steps["generate"].add_argument(
        "--keep-edited-source", action="store_true",
        help="source/ was edited on purpose: generate from it as it is")
    steps["generate"].add_argument(
        "--from-repository", action="store_true",
        help="put the repository's version of a changed source/ back first (the edited one "
             "is kept in backups/)")
    steps["feedback"].add_argument(
        "--even-ungraded", action="store_true",
        help="also write feedback for work that still needs a grade by hand")

    handin = commands.add_parser(
        "handin", parents=[common],
        help="add a notebook handed in as a file (checked: values only) for a participant")
    handin.add_argument("file", metavar="FILE.ipynb", help="the file she sent")
    handin.add_argument("--participant", required=True, metavar="ID",
                        help="her participant id (on the participants list)")
    handin.add_argument("--assignment", metavar="NAME",
                        help="the assignment (default: read from the file)")

    grade = commands.add_parser("autograde", parents=[common],
                                help="grade all submissions; broken ones are listed")
    grade.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                       help="assignment names (default: all)")
    grade.add_argument("--workers", type=int, default=None,
                       help="notebooks graded at the same time (default: one per core, at "
                            "least 2; fewer when this server's memory limit holds fewer)")
    grade.add_argument("--participant", action="append", metavar="ID",
                       help="grade only this participant (repeat for more)")
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade.add_argument("--unsafe-no-sandbox", action="store_true",
                       help="run participants' code WITHOUT the sandbox, with your own "
                            "permissions (only where bubblewrap cannot run; see the guide)")

    restore = commands.add_parser(
        "restore", parents=[common],
        help="put back the gradebook copy made before a batch that failed its check")
    restore.add_argument("backup", nargs="?", metavar="BACKUP.db",
                         help="the copy to put back (default: the one made before the latest "
                              "failed batch)")

    export = commands.add_parser("export", parents=[common], help="write all grades to a CSV")
    export.add_argument("path", metavar="grades.csv", help="the CSV file to write")

    commands.add_parser("status", parents=[common],
                        help="participants x assignments: submitted, graded, broken")
    # ``report`` is handed to grading.reports.main as it is (see main); listed here for --help
    commands.add_parser("report", help="build the mentoring reports (grading.reports)")
    commands.add_parser("hub", help="the workshop hub (grading.hub.cli)")
    return parser


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from grading.course import Course, CourseError, default_root

    course_path = getattr(args, "course", None)
    if args.command == "init":
        extra = {}
        if args.notebook_timeout is not None:
            extra["notebook_timeout"] = args.notebook_timeout
        if args.memory_mb is not None:
            extra["memory_mb"] = args.memory_mb
        course = Course.create(default_root(course_path), course_id=args.course_id,
                               exchange=args.exchange, timeout=args.timeout, **extra)
        print(f"Course {course.course_id!r} made in {course.root} with "
              f"{len(course.assignments())} assignments: {', '.join(course.assignments())}")
        if not args.exchange:
            print("No --exchange given: release and collect use nbgrader's exchange "
                  "(/srv/nbgrader/exchange).")
        return 0

    course = Course.open(course_path)
    if args.command == "participants":
        if args.action == "add":
            count = course.add_participants(args.csv)
            print(f"{count} participants added or updated; "
                  f"{len(course.participants())} in the course.")
        else:
            table = course.participants()
            print(table.to_string(index=False) if len(table) else "No participants yet.")
        return 0
    if args.command == "generate":
        names = course._chosen(args.assignments)
        notes = course.generate(names, keep_edited_source=args.keep_edited_source,
                                from_repository=args.from_repository)
        for note in notes:
            print(note)
        print(f"Generated: {', '.join(names) or 'nothing'}")
        return 0
    if args.command == "release":
        names = course._chosen(args.assignments)
        course.release(names)
        print(f"Released: {', '.join(names) or 'nothing'}")
        return 0
    if args.command == "collect":
        for report in course.collect(course._chosen(args.assignments)):
            for line in report.lines():
                print(line)
        return 0
    if args.command == "handin":
        from grading.handin import hand_in

        target = hand_in(course, args.file, args.participant, args.assignment)
        assignment = target.parent.name
        print(f"Added {assignment} for {args.participant}: {target}")
        print(f"Grade it with: python -m grading autograde {assignment} --participant "
              f"{args.participant}")
        return 0
    if args.command == "feedback":
        reports = course.feedback(course._chosen(args.assignments),
                                  even_ungraded=args.even_ungraded)
        for report in reports:
            for line in report.lines():
                print(line)
        if not reports:
            print("No generated assignment to write feedback for.")
        return 0
    if args.command == "restore":
        restored, replaced = course.restore(args.backup)
        print(f"Gradebook put back from {restored}")
        print(f"The gradebook as it was just now is kept in {replaced}")
        print("Run autograde again to grade what changed since that copy.")
        return 0
    if args.command == "autograde":
        if args.workers is not None and args.workers < 1:
            raise CourseError("--workers must be 1 or more")
        if args.unsafe_no_sandbox:
            print("WARNING: --unsafe-no-sandbox: participants' code runs with your permissions "
                  "and can read and change the course's data.", file=sys.stderr)
        result = course.autograde(args.assignments or None, participants=args.participant,
                                  workers=args.workers, progress=not args.no_progress,
                                  sandbox=not args.unsafe_no_sandbox,
                                  log=lambda line: print(line, flush=True))
        if result.skipped:
            print(f"Skipped (not generated yet): {', '.join(result.skipped)}")
        print(result.summary())
        for outcome in result.broken():
            print(f"BROKEN {outcome.participant} {outcome.assignment}: {outcome.reason}")
        for pid, assignment in result.rejected:
            print(f"REJECTED {pid} {assignment}: not on the participants list; not graded")
        print(f"Gradebook copy made before grading: {result.backup}")
        print(f"Batch record: {result.record}")
        if result.failed:
            print("BATCH FAILED: the gradebook holds changes this batch did not make:")
            for problem in result.integrity[:20]:
                print(f"  {problem}")
            if len(result.integrity) > 20:
                print(f"  ... and {len(result.integrity) - 20} more (see {result.summary_path})")
            for pid, assignment in result.suspects:
                print(f"SUSPECT {pid} {assignment}: being graded when the change happened")
            print("To put back the gradebook as it was before this batch: "
                  f"python -m grading restore --course {course.root}")
            return 1
        return 0
    if args.command == "export":
        frame = course.export_grades(args.path)
        print(f"{len(frame)} rows written to {Path(args.path).resolve()}")
        return 0
    if args.command == "status":
        table = course.status()
        if table.empty:
            print("No participants or no generated assignments yet.")
        else:
            with pd.option_context("display.width", 200, "display.max_columns", None):
                print(table.to_string())
            print("graded* = a manual grade is still needed")
        return 0
    raise CourseError(f"unknown command {args.command!r}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["report"]:
        from grading.reports import main as report_main

        return report_main(argv[1:])
    if argv[:1] == ["hub"]:
        from grading.hub.cli import main as hub_main

        return hub_main(argv[1:])
    args = _parser().parse_args(argv)
    from grading.course import CourseError, NbgraderCommandError

    try:
        return run(args)
    except CourseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except NbgraderCommandError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped: everything graded so far is kept in the gradebook", file=sys.stderr)
        return 130
    except (OSError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
