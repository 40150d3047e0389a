"""Printable handouts: every lesson, every answer form and the glossary, as A4 PDFs.

    python -m widgets.handouts build                    everything, every language
    python -m widgets.handouts build --lang fil         Filipino only
    python -m widgets.handouts build economic_empowerment/01 --lang en fil   (that lesson only)
    python -m widgets.handouts build --forms            the answer forms only
    python -m widgets.handouts build --lessons --no-run lessons without running them (text only)

Writes ``build/handouts/<lang>/<track>/<lesson>.pdf``, ``.../forms/<exercise>.pdf`` and
``.../glossary.pdf`` (git-ignored). Each lesson is run once per language to draw its charts
and tables (a few seconds each); ``--no-run`` leaves them out.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from tqdm import tqdm

from widgets.lessons import LANGUAGES
from widgets.lessons import catalogs as cat

ROOT = cat.MODULES.parent
DEFAULT_OUT = ROOT / "build" / "handouts"
EXERCISES = ROOT / "exercises"


def exercise_notebooks(root: Path = EXERCISES) -> list[Path]:
    """Every exercise and check-in source notebook (``exercises/<name>/<name>.ipynb``)."""
    return [p for p in sorted(root.glob("*/*.ipynb")) if p.stem == p.parent.name]


def build_lessons(lessons, languages, out: Path, run: bool = True) -> list[str]:
    from widgets.handouts.lesson import lesson_handout, run_lesson
    from widgets.lessons.build import build_notebook

    problems = []
    status = cat.load_status(lessons[0].root) if lessons else {}
    jobs = [(lesson, language) for language in languages for lesson in lessons]
    for lesson, language in tqdm(jobs, desc="lesson handouts", unit="pdf", file=sys.stderr):
        nb = lesson.notebook()
        table = cat.translations(lesson, language) if language != "en" else {}
        try:
            executed = None
            if run:
                built, _info = build_notebook(lesson, language, nb, table, status)
                executed = run_lesson(built, lesson.path.parent)
            data = lesson_handout(lesson, language, executed, nb, table, status)
        except Exception as err:  # noqa: BLE001 - one lesson must not stop the others
            problems.append(f"{lesson.id} [{language}]: {type(err).__name__}: "
                            f"{str(err).splitlines()[0] if str(err) else ''}")
            continue
        target = out / language / f"{lesson.id}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return problems


def build_forms(notebooks: list[Path], languages, out: Path) -> tuple[int, list[str]]:
    from widgets.forms.model import FormError, questions, reflections
    from widgets.handouts.forms import form_pdf

    problems, made = [], 0
    jobs = [(path, language) for language in languages for path in notebooks]
    for path, language in tqdm(jobs, desc="answer forms", unit="pdf", file=sys.stderr):
        nb = json.loads(path.read_text(encoding="utf-8"))
        try:
            if not (questions(nb) or reflections(nb)):
                if language == languages[0]:
                    problems.append(f"{path.stem}: not an answer form yet (no answer cells)")
                continue
            data = form_pdf(nb, language)
        except FormError as err:
            problems.append(f"{path.stem} [{language}]: the form is malformed: {err}")
            continue
        target = out / language / "forms" / f"{path.stem}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        made += 1
    return made, problems


def build_glossary(languages, out: Path) -> None:
    from widgets.handouts.glossary import glossary_pdf

    for language in languages:
        target = out / language / "glossary.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(glossary_pdf(language))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m widgets.handouts",
                                     description=__doc__.split("\n\n")[0].strip(),
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("build", help="write the handouts")
    sub.add_argument("lessons", nargs="*", metavar="LESSON",
                     help="lessons to print (default: all); see python -m widgets.lessons")
    sub.add_argument("--lang", nargs="+", choices=LANGUAGES, default=list(LANGUAGES))
    sub.add_argument("--out", type=Path, default=DEFAULT_OUT)
    sub.add_argument("--lessons", dest="only", action="append_const", const="lessons",
                     help="lesson handouts only")
    sub.add_argument("--forms", dest="only", action="append_const", const="forms",
                     help="answer forms only")
    sub.add_argument("--glossary", dest="only", action="append_const", const="glossary",
                     help="the glossary only")
    sub.add_argument("--no-run", action="store_true",
                     help="do not run the lessons (no charts, tables or quizzes)")
    sub.add_argument("--root", type=Path, default=cat.MODULES, help="the modules/ folder")
    sub.add_argument("--exercises", type=Path, default=EXERCISES,
                     help="the exercises/ folder")
    args = parser.parse_args(argv)
    # named lessons alone print those lessons; --forms/--glossary add the rest
    only = set(args.only or (("lessons",) if args.lessons else ("lessons", "forms", "glossary")))
    if args.lessons:
        only.add("lessons")
    start = time.perf_counter()
    problems: list[str] = []
    try:
        if "lessons" in only:
            lessons = cat.resolve(args.lessons, args.root)
            problems += build_lessons(lessons, args.lang, args.out, run=not args.no_run)
            print(f"lessons: {len(lessons)} x {len(args.lang)} languages")
        if "forms" in only:
            made, found = build_forms(exercise_notebooks(args.exercises), args.lang, args.out)
            problems += found
            print(f"answer forms: {made} PDFs")
        if "glossary" in only:
            build_glossary(args.lang, args.out)
            print(f"glossary: {len(args.lang)} PDFs")
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"  not made: {problem}", file=sys.stderr)
    print(f"-> {args.out} ({time.perf_counter() - start:.0f} s)")
    return 1 if any("malformed" in p or "Error" in p for p in problems) else 0


if __name__ == "__main__":
    sys.exit(main())
