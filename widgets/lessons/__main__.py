"""Lessons in three languages, from the command line.

    python -m widgets.lessons extract [LESSON ...]     update the catalogs from the notebooks
    python -m widgets.lessons status [LESSON ...]      how far each translation is (--missing)
    python -m widgets.lessons build [LESSON ...]       write the lessons in each language
    python -m widgets.lessons complete LESSON --lang fil       list a translation as complete
    python -m widgets.lessons review LESSON --lang fil --by NAME   record a native review

LESSON is a lesson's id (``economic_empowerment/01-money-across-the-migration-cycle``), a
unique start of one (``economic_empowerment/01``) or its notebook's path; none means every
lesson of the returnee tracks. ``review glossary`` records a review of the glossary.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from widgets.lessons import LANGUAGES
from widgets.lessons import catalogs as cat


def _extract(args) -> int:
    for lesson in cat.resolve(args.lessons, args.root):
        for update in cat.update_catalogs(lesson, args.lang or cat.TRANSLATED):
            print(f"{lesson.id} [{update.language}]: {update.messages} messages, "
                  f"{update.translated} translated, {update.fuzzy} fuzzy (to check), "
                  f"{update.new} new, {update.obsolete} obsolete"
                  f"{'' if update.written else ' (unchanged)'}")
    return 0


def _status(args) -> int:
    from widgets.lessons.notebook import unmarked_texts

    status = cat.load_status(args.root)
    incomplete = 0
    for lesson in cat.resolve(args.lessons, args.root):
        unmarked = [text for cell in lesson.notebook()["cells"] if cell["cell_type"] == "code"
                    for text in unmarked_texts("".join(cell["source"]))]
        if unmarked:
            print(f"{lesson.id}: {len(unmarked)} text(s) in code not marked with _() "
                  f"(they stay English), e.g. {unmarked[0][:60]!r}")
            if args.missing:
                for text in unmarked:
                    print(f"    unmarked: {text[:100]!r}")
        for language in args.lang or cat.TRANSLATED:
            cover = cat.coverage(lesson, language)
            listed = cat.is_complete(lesson, language, status)
            review = cat.review_state(lesson, language, status) if cover.translated else "-"
            flag = " LISTED COMPLETE" if listed else ""
            print(f"{lesson.id} [{language}]: {cover.translated}/{cover.total} translated, "
                  f"{len(cover.fuzzy)} fuzzy, {len(cover.problems)} problems; {review}{flag}")
            if listed and not cover.complete:
                incomplete += 1
            if args.missing:
                for text in cover.missing:
                    print(f"    missing: {text[:100]!r}")
                for text in cover.fuzzy:
                    print(f"    fuzzy:   {text[:100]!r}")
                for text in cover.problems:
                    print(f"    problem: {text}")
    for language in args.lang or cat.TRANSLATED:
        print(f"glossary [{language}]: {cat.glossary_review(language, status, args.root)}")
    if incomplete:
        print(f"{incomplete} translation(s) listed as complete are not: run "
              "`python -m widgets.lessons status --missing`", file=sys.stderr)
    return 1 if incomplete else 0


def _build(args) -> int:
    from widgets.lessons.build import DEFAULT_OUT, build

    out = args.out or DEFAULT_OUT
    results = build(cat.resolve(args.lessons, args.root), args.lang or LANGUAGES, out, args.root)
    for language in args.lang or LANGUAGES:
        mine = [b for b in results if b.language == language]
        counts = {s: sum(1 for b in mine if b.status == s) for s in
                  ("source", "complete", "partial", "untranslated")}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        print(f"{language}: {len(mine)} lessons ({summary}) -> {out / language}")
    return 0


def _complete(args) -> int:
    (lesson,) = cat.resolve([args.lesson], args.root)
    for language in args.lang:
        cover = cat.mark_complete(lesson, language)
        print(f"{lesson.id} [{language}]: listed as complete ({cover.total} messages); "
              f"{cat.review_state(lesson, language)}")
    return 0


def _review(args) -> int:
    for language in args.lang:
        if args.lesson == "glossary":
            cat.record_glossary_review(language, args.by, root=args.root)
            print(f"glossary [{language}]: {cat.glossary_review(language, root=args.root)}")
            continue
        (lesson,) = cat.resolve([args.lesson], args.root)
        cat.record_review(lesson, language, args.by)
        print(f"{lesson.id} [{language}]: {cat.review_state(lesson, language)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m widgets.lessons",
                                     description=__doc__.split("\n\n")[0].strip(),
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--root", type=Path, default=cat.MODULES,
                        help="the modules/ folder (default: this repository's)")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, run, helptext in (("extract", _extract, "update the catalogs from the notebooks"),
                                ("status", _status, "how far each translation is"),
                                ("build", _build, "write every lesson in every language")):
        sub = commands.add_parser(name, help=helptext)
        sub.add_argument("lessons", nargs="*", metavar="LESSON")
        sub.add_argument("--lang", nargs="+", choices=LANGUAGES if name == "build"
                         else cat.TRANSLATED)
        sub.set_defaults(run=run)
    commands.choices["status"].add_argument("--missing", action="store_true",
                                            help="list what is missing, fuzzy or broken")
    commands.choices["build"].add_argument("--out", type=Path,
                                           help="where to write (default: build/lessons)")
    sub = commands.add_parser("complete", help="list a translation as complete (checked first)")
    sub.add_argument("lesson", metavar="LESSON")
    sub.add_argument("--lang", nargs="+", choices=cat.TRANSLATED, required=True)
    sub.set_defaults(run=_complete)
    sub = commands.add_parser("review", help="record that a native speaker reviewed it")
    sub.add_argument("lesson", metavar="LESSON", help="a lesson, or 'glossary'")
    sub.add_argument("--lang", nargs="+", choices=cat.TRANSLATED, required=True)
    sub.add_argument("--by", required=True, help="the reviewer's name")
    sub.set_defaults(run=_review)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (ValueError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
