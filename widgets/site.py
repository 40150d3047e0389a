"""The course as a web site: a home page, every lesson as a page, and the simulators.

``python -m widgets.site build`` (run by ``python -m widgets.serve --course``, which
``make serve`` uses) writes ``build/site`` (git-ignored), the folder Voila serves::

    build/site/savings.ipynb, business.ipynb, ...        the apps (addresses unchanged:
                                                         /voila/render/savings.ipynb)
    build/site/lessons/<lang>/<track>/<lesson>.ipynb     the returnee lessons in each language
                                                         (widgets.lessons' build)
    build/site/lessons/<lang>/glossary.ipynb             the glossary in each language
    build/site/lessons/<lang>/references.ipynb           the references page (English text)
    build/site/lessons/en/seminar/<lesson>.ipynb         the seminar (English only)
    build/site/home/<lang>.html                          the home page, static HTML

Everything the home page lists comes from data, never from a hand list: the lessons found in
``modules/`` (their titles are their first heading, translated by the lesson build), the
seminar days of the trainers' agenda (``facilitator_guides/seminar_agenda.md``), the apps in
``widgets/apps`` and, when the answer-form app exists, the exercises in ``exercises/``.

A lesson's links to the apps (the answer form of its exercise: ``form.ipynb?assignment=...``)
lead to the apps of this site, in the page's language (:mod:`widgets.lessons.links`); links
between lessons stay within the reader's language.

Each lesson page gets a way around (``metadata.homeward.lesson.nav``, drawn by the Homeward
template at the top and bottom of the page): the home page, and the previous and next lesson
of its track, in the reader's language.

>>> seminar = seminar_lessons()
>>> seminar[0].day, seminar[0].title
(1, 'The SDGs and the Global Compact on Migration')
>>> [s.stem for s in seminar if s.day == 3][-1]     # prepared on day 3, visited on day 4
'day4_01-field-visit-preparation'
>>> agenda_days()[1]
'Policies (module 1)'
>>> relative_home("lessons/fil/economic_empowerment/02-budgeting.ipynb")
'../../../../../'
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from widgets.i18n import LANGUAGES as LANGUAGE_NAMES
from widgets.i18n import N_, gettext_for
from widgets.lessons import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "modules"
APPS_DIR = ROOT / "widgets" / "apps"
EXERCISES = ROOT / "exercises"
AGENDA = ROOT / "facilitator_guides" / "seminar_agenda.md"
SITE_DIR = ROOT / "build" / "site"
#: The folder of lesson pages inside the site (``/voila/render/lessons/...``).
LESSONS = "lessons"
#: The answer-form app (another helper builds it): exercises are linked when it exists.
FORM_APP = "form"

#: The returnee tracks, in the order the home page lists them, with their headings.
TRACK_TITLES: dict[str, str] = {
    "economic_empowerment": N_("Course for returnees and their families: 12 sessions"),
    "family_track": N_("Family sessions"),
    "country_packs": N_("Country packs"),
}
#: The simulators the home page links (the seminar's tool is listed with the seminar; the
#: facilitator dashboard is not for participants and is not linked).
SIMULATORS: dict[str, str] = {
    "savings": N_("Savings simulator: how long will my savings last?"),
    "business": N_("Business-plan simulator: will my business pay?"),
}
SEMINAR_TOOL = ("action_plan", "Local reintegration action plan (a tool for day 5)")

WORDS: dict[str, str] = {
    "site": N_("Homeward: coming home after work abroad"),
    "intro": N_("Lessons and tools for returning migrant workers, their families and the "
                "people who help them. Choose a lesson to read it on this phone or computer."),
    "language": "Language / Wika / Bahasa",  # the same in every language
    "contents": N_("On this page"),
    "tools": N_("Tools: try your own numbers"),
    "more": N_("Words and sources"),
    "seminar": N_("Seminar for migration stakeholders: five days"),
    "seminar_english": N_("The seminar is for officials and staff, and is in English only."),
    "in_english": N_("in English for now"),
    "part_english": N_("partly in English for now"),
    "exercise": N_("Answer the exercise"),
    "home": N_("Home page"),
    "previous": N_("Previous"),
    "next": N_("Next"),
    "nav": N_("Lessons"),
    "references_english": N_("This page is in English only."),
    "facilitators": N_("Trainers and facilitators: the notebooks themselves open in "
                       "JupyterLab (see the course's README)."),
}
_HEADING = re.compile(r"^#\s+Day (\d+), session (\d+):\s*(.+)$")
_DAY = re.compile(r"^## Day (\d+):\s*(.+)$")


def words_for(language: str):
    """``say(key)``: the home page's and lesson links' word ``key`` in ``language``.

    >>> words_for("id")("home")
    'Halaman utama'
    """
    _ = gettext_for(language)

    def say(key: str) -> str:
        return _(WORDS[key])

    return say


# --------------------------------------------------------------------------- the data
@dataclass(frozen=True)
class SeminarLesson:
    """One seminar lesson: the day its title says it runs, its session and title."""

    stem: str
    day: int
    session: int
    title: str


def _first_heading(nb: dict) -> str:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for line in source.splitlines():
            if line.startswith("# "):
                return line
    return ""


def seminar_lessons(root: Path = MODULES) -> list[SeminarLesson]:
    """The seminar's lessons in the order they run, from each notebook's title
    (``# Day 1, session 2: ...``). A notebook without such a title is an error: the home
    page would not know on which day to list it."""
    found = []
    for path in sorted((root / "seminar").glob("*.ipynb")):
        heading = _first_heading(json.loads(path.read_text(encoding="utf-8")))
        match = _HEADING.match(heading)
        if not match:
            raise ValueError(f"{path.name}: its title should read '# Day N, session M: ...', "
                             f"not {heading!r}")
        found.append(SeminarLesson(path.stem, int(match[1]), int(match[2]), match[3].strip()))
    return sorted(found, key=lambda s: (s.day, s.session))


def agenda_days(agenda: Path = AGENDA) -> dict[int, str]:
    """The seminar days as the trainers' agenda names them (``## Day 1: Policies ...``)."""
    days = {}
    for line in agenda.read_text(encoding="utf-8").splitlines():
        match = _DAY.match(line)
        if match:
            days[int(match[1])] = match[2].strip()
    return days


def exercise_for(lesson_stem: str, exercises: Iterable[str]) -> str | None:
    """The exercise that goes with a returnee lesson, by number (``02-budgeting`` ->
    ``ee02_budgeting``, ``f1-...`` -> ``fam1_...``), or ``None``.

    >>> names = ["ee02_budgeting", "fam1_money_decisions", "seminar_policies"]
    >>> exercise_for("02-budgeting", names), exercise_for("f1-money-decisions-at-home", names)
    ('ee02_budgeting', 'fam1_money_decisions')
    >>> exercise_for("indonesia", names) is None
    True
    """
    match = re.match(r"^(f?)(\d+)-", lesson_stem)
    if not match:
        return None
    prefix = f"fam{int(match[2])}_" if match[1] else f"ee{match[2]}_"
    return next((name for name in sorted(exercises) if name.startswith(prefix)), None)


def seminar_exercises(agenda: Path = AGENDA) -> dict[int, list[str]]:
    """The exercises each seminar day runs, from the agenda's rows."""
    days: dict[int, list[str]] = {}
    day = 0
    for line in agenda.read_text(encoding="utf-8").splitlines():
        match = _DAY.match(line)
        if match:
            day = int(match[1])
        for name in re.findall(r"`exercises/([\w-]+)/", line):
            days.setdefault(day, []).append(name)
    return days


def relative_home(page_path: str) -> str:
    """The address of the home page relative to a page rendered at
    ``voila/render/<page_path>`` (works under any base address, e.g. the hub's)."""
    depth = 2 + page_path.count("/")
    return "../" * depth


# --------------------------------------------------------------------------- home page
@dataclass
class Entry:
    """One line of the home page: a link, and what to say beside it."""

    title: str
    href: str
    note: str = ""
    lang: str = ""  # the language of the title when it is not the page's
    extra: list[tuple[str, str]] = field(default_factory=list)  # (label, href)


@dataclass
class Section:
    """A part of the home page: a heading, a line of text, and its entries (or groups)."""

    id: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    note: str = ""
    groups: list[Section] = field(default_factory=list)


def lesson_href(language: str, lesson_path: str) -> str:
    """The page of a lesson, relative to the home page."""
    return f"voila/render/{LESSONS}/{language}/{lesson_path}"


def home_sections(language: str, built: list[dict], seminar: list[SeminarLesson],
                  days: dict[int, str], apps: Iterable[str] = (),
                  exercises: Iterable[str] = (), day_exercises: dict[int, list[str]] | None
                  = None) -> list[Section]:
    """What the home page of ``language`` lists, from the lesson build's index (``built``:
    its rows, as dicts), the seminar, the agenda's days, the apps and exercises that exist.

    >>> built = [{"id": "economic_empowerment/01-money", "path": "economic_empowerment/01-money.ipynb",
    ...           "title": "Aralin 1", "status": "complete"},
    ...          {"id": "family_track/f1-home", "path": "family_track/f1-home.ipynb",
    ...           "title": "Session F1", "status": "untranslated"}]
    >>> sections = home_sections("fil", built, [SeminarLesson("day1_01-x", 1, 1, "SDGs")],
    ...                          {1: "Policies"}, apps=["savings", "form"],
    ...                          exercises=["ee01_money_cycle"])
    >>> [s.id for s in sections]
    ['economic_empowerment', 'family_track', 'tools', 'seminar', 'more']
    >>> first = sections[0].entries[0]
    >>> first.title, first.href, first.extra
    ('Aralin 1', 'voila/render/lessons/fil/economic_empowerment/01-money.ipynb', [('Sagutan ang pagsasanay', 'voila/render/form.ipynb?assignment=ee01_money_cycle&lang=fil')])
    >>> f1 = sections[1].entries[0]
    >>> f1.note, f1.lang
    ('sa Ingles muna', 'en')
    >>> sections[3].groups[0].entries[0].href
    'voila/render/lessons/en/seminar/day1_01-x.ipynb'
    """
    _ = gettext_for(language)
    say = words_for(language)
    apps = set(apps)
    exercises = list(exercises)
    form = FORM_APP in apps
    sections = []
    for track, heading in TRACK_TITLES.items():
        entries = []
        for row in built:
            if row["id"].split("/")[0] != track:
                continue
            note, lang = "", ""
            if row["status"] == "untranslated":
                note, lang = say("in_english"), "en"
            elif row["status"] == "partial":
                note = say("part_english")
            extra = []
            name = exercise_for(row["id"].split("/")[1], exercises) if form else None
            if name:
                extra.append((say("exercise"),
                              f"voila/render/{FORM_APP}.ipynb?assignment={name}&lang={language}"))
            entries.append(Entry(row["title"], lesson_href(language, row["path"]), note, lang,
                                 extra))
        if entries:
            sections.append(Section(track, _(heading), entries))
    tools = [Entry(_(title), f"voila/render/{app}.ipynb?lang={language}")
             for app, title in SIMULATORS.items() if app in apps]
    if tools:
        sections.append(Section("tools", say("tools"), tools))
    groups = []
    for day in sorted({s.day for s in seminar}):
        heading = f"Day {day}: {days[day]}" if day in days else f"Day {day}"
        entries = [Entry(f"{s.day}.{s.session} {s.title}",
                         lesson_href("en", f"seminar/{s.stem}.ipynb"),
                         lang="" if language == "en" else "en")
                   for s in seminar if s.day == day]
        if day == 5 and SEMINAR_TOOL[0] in apps:
            entries.append(Entry(SEMINAR_TOOL[1], f"voila/render/{SEMINAR_TOOL[0]}.ipynb",
                                 lang="" if language == "en" else "en"))
        if form:
            entries += [Entry(f"Exercise: {name.removeprefix('seminar_').replace('_', ' ')}",
                              f"voila/render/{FORM_APP}.ipynb?assignment={name}&lang=en",
                              lang="" if language == "en" else "en")
                        for name in (day_exercises or {}).get(day, [])]
        groups.append(Section(f"day{day}", heading, entries))
    if groups:
        sections.append(Section("seminar", say("seminar"),
                                note="" if language == "en" else say("seminar_english"),
                                groups=groups))
    more = [Entry(_(N_("Glossary: words of the course")),
                  lesson_href(language, "glossary.ipynb")),
            Entry(_(N_("The documents this course is built on")),
                  lesson_href(language, "references.ipynb"),
                  note="" if language == "en" else say("in_english"))]
    sections.append(Section("more", say("more"), more))
    return sections


STYLE = """
:root{--ink:#1a1a1a;--muted:#454545;--green:#0b5d3b;--light:#e8f3ee}
*{box-sizing:border-box}
html{font-size:16px;-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:var(--ink);background:#fff;line-height:1.45;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif}
header,main,footer{max-width:760px;margin:0 auto;padding:12px 16px}
header{background:var(--light)}
h1{font-size:1.6rem;line-height:1.2;margin:.3em 0}
h2{font-size:1.3rem;margin:1.6em 0 .4em;border-bottom:2px solid var(--green)}
h3{font-size:1.1rem;margin:1.2em 0 .3em}
a{color:var(--green);text-decoration:underline;text-underline-offset:2px}
a:focus-visible{outline:3px solid var(--green);outline-offset:2px}
ul{list-style:none;padding:0;margin:0}
li{margin:0;padding:6px 0;border-bottom:1px solid #ddd;overflow-wrap:anywhere}
li>a{display:inline-block;min-height:44px;padding:10px 0}
.extra a{min-height:44px;display:inline-block;padding:10px 0}
.note,.lang-note{color:var(--muted);font-size:.95rem}
nav.langs ul,nav.toc ul{display:flex;flex-wrap:wrap;gap:4px 14px}
nav.langs li,nav.toc li{border:0;padding:0}
nav.langs [aria-current]{font-weight:700;text-decoration:none;color:var(--ink)}
footer{color:var(--muted);font-size:.95rem}
""".strip()


def home_html(language: str, sections: list[Section]) -> str:
    """The home page of ``language``: one light HTML file (its style inline, no script)."""
    say = words_for(language)
    e = html.escape

    def entry(item: Entry) -> str:
        lang = f' lang="{item.lang}"' if item.lang else ""
        out = f'<li><a href="{e(item.href)}"{lang}>{e(item.title)}</a>'
        if item.note:
            out += f' <span class="note">({e(item.note)})</span>'
        for label, href in item.extra:
            out += f'<br><span class="extra"><a href="{e(href)}">{e(label)}</a></span>'
        return out + "</li>"

    languages = "".join(
        f'<li><a href="?lang={code}" lang="{code}"'
        + (' aria-current="page"' if code == language else "")
        + f">{e(name)}</a></li>" for code, name in LANGUAGE_NAMES.items() if code in LANGUAGES)
    toc = "".join(f'<li><a href="#{s.id}">{e(s.title)}</a></li>' for s in sections)
    body = []
    for section in sections:
        body.append(f'<section aria-labelledby="{section.id}"><h2 id="{section.id}">'
                    f"{e(section.title)}</h2>")
        if section.note:
            body.append(f'<p class="lang-note">{e(section.note)}</p>')
        if section.entries:
            body.append("<ul>" + "".join(entry(i) for i in section.entries) + "</ul>")
        for group in section.groups:
            lang = ' lang="en"' if language != "en" else ""
            body.append(f'<h3 id="{group.id}"{lang}>{e(group.title)}</h3>')
            body.append("<ul>" + "".join(entry(i) for i in group.entries) + "</ul>")
        body.append("</section>")
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<title>{e(say("site"))}</title>\n<link rel="icon" href="data:,">\n'
        f"<style>{STYLE}</style>\n</head>\n<body>\n<header>\n"
        f'<nav class="langs" aria-label="{WORDS["language"]}"><ul>{languages}</ul></nav>\n'
        f"<h1>{e(say('site'))}</h1>\n<p>{e(say('intro'))}</p>\n</header>\n<main>\n"
        f'<nav class="toc" aria-label="{e(say("contents"))}"><ul>{toc}</ul></nav>\n'
        + "\n".join(body)
        + f"\n</main>\n<footer><p>{e(say('facilitators'))}</p></footer>\n</body>\n</html>\n")


# --------------------------------------------------------------------------- lesson pages
def _nav(language: str, path: str, previous: tuple[str, str] | None,
         following: tuple[str, str] | None) -> dict:
    """The way around a lesson page (the Homeward template draws it)."""
    say = words_for(language)
    here = path.rsplit("/", 1)[0] if "/" in path else ""

    def rel(target: str) -> str:  # a page of the same folder, or via the home page's level
        folder, _sep, name = target.rpartition("/")
        return name if folder == here else relative_home(f"{LESSONS}/{path}") + \
            f"voila/render/{LESSONS}/{target}"

    nav = {"label": say("nav"),
           "home": {"href": relative_home(f"{LESSONS}/{path}") + f"?lang={language}",
                    "label": say("home")}}
    if previous:
        nav["previous"] = {"href": rel(previous[0]), "label": say("previous"),
                           "title": previous[1]}
    if following:
        nav["next"] = {"href": rel(following[0]), "label": say("next"),
                       "title": following[1]}
    return nav


def _add_nav(file: Path, language: str, path: str, previous, following, title: str = "",
             notice: str = "") -> None:
    nb = json.loads(file.read_text(encoding="utf-8"))
    meta = nb.setdefault("metadata", {}).setdefault("homeward", {})
    lesson = meta.setdefault("lesson", {})
    lesson.setdefault("language", language)
    if title:
        lesson.setdefault("title", title)
        nb["metadata"].setdefault("title", title)
    lesson["nav"] = _nav(language, path, previous, following)
    if notice:
        lesson["english_notice"] = notice
    file.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _track_nav(rows: list[tuple[str, str]], language: str, out: Path) -> None:
    """Previous/next within each track: ``rows`` are (path, title) in the track's order."""
    for i, (path, title) in enumerate(rows):
        previous = rows[i - 1] if i else None
        following = rows[i + 1] if i + 1 < len(rows) else None
        _add_nav(out / language / path, language,
                 f"{language}/{path}", previous and (f"{language}/{previous[0]}", previous[1]),
                 following and (f"{language}/{following[0]}", following[1]), title)


def _english_page(source: Path, target: Path, language: str) -> None:
    say = words_for(language)
    """A page that exists in English only (the references): the English notebook, with a
    short notice in her language under its title."""
    from widgets.lessons.build import _add_notice, notice_cell

    nb = json.loads(source.read_text(encoding="utf-8"))
    if language != "en":
        _add_notice(nb["cells"], notice_cell([say("references_english")],
                                             language))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


@dataclass
class Site:
    """What :func:`build_site` wrote."""

    out: Path
    pages: dict[str, list[str]]  # language -> lesson pages (paths under lessons/<lang>/)
    apps: list[str]

    def page_urls(self, language: str) -> list[str]:
        return [f"voila/render/{LESSONS}/{language}/{p}" for p in self.pages[language]]


def build_site(out: Path = SITE_DIR, languages: Iterable[str] = LANGUAGES,
               modules: Path = MODULES, apps_dir: Path = APPS_DIR,
               exercises_dir: Path = EXERCISES, agenda: Path = AGENDA,
               only_apps: Iterable[str] | None = None) -> Site:
    """Write the course site (see the module's docstring) and return what it holds
    (``only_apps``: serve only these apps, e.g. the public simulators without the
    facilitator dashboard)."""
    from widgets.lessons.build import build
    from widgets.lessons.catalogs import find_lessons
    from widgets.lessons.links import localize_notebook

    languages = list(languages)
    out.mkdir(parents=True, exist_ok=True)
    apps = sorted(p.stem for p in apps_dir.glob("*.ipynb")
                  if only_apps is None or p.stem in set(only_apps))
    for old in out.glob("*.ipynb"):  # an app left from an earlier build is not served
        old.unlink()
    for app in apps:
        shutil.copy(apps_dir / f"{app}.ipynb", out / f"{app}.ipynb")
    # Voila's settings come from widgets.serve (a voila.json here would override them, e.g.
    # pre-heat kernels that --no-preheat turned off)
    (out / "voila.json").unlink(missing_ok=True)
    lessons_out = out / LESSONS
    if lessons_out.exists():
        shutil.rmtree(lessons_out)
    # pages rendered from the last build's lessons (widgets.prerender) go with them
    shutil.rmtree(out / "prerendered", ignore_errors=True)
    (out / "prerendered.json").unlink(missing_ok=True)
    # a lesson's links to the apps (its exercise's form) lead to the apps served here
    built = build(find_lessons(modules), languages, lessons_out, modules, apps=out)
    seminar = seminar_lessons(modules)
    days = agenda_days(agenda)
    exercises = sorted(p.name for p in exercises_dir.iterdir() if p.is_dir()) \
        if exercises_dir.is_dir() else []
    day_exercises = seminar_exercises(agenda)
    pages: dict[str, list[str]] = {}
    for language in languages:
        rows = [b for b in built if b.language == language]
        for track in TRACK_TITLES:
            _track_nav([(b.path, b.title) for b in rows if b.id.split("/")[0] == track],
                       language, lessons_out)
        _english_page(modules / "references.ipynb", lessons_out / language / "references.ipynb",
                      language)
        _add_nav(lessons_out / language / "references.ipynb", language,
                 f"{language}/references.ipynb", None, None,
                 _first_heading(json.loads((modules / "references.ipynb").read_text()))[2:])
        _add_nav(lessons_out / language / "glossary.ipynb", language,
                 f"{language}/glossary.ipynb", None, None,
                 gettext_for(language)(N_("Glossary: words of the course")))
        pages[language] = [b.path for b in rows] + ["glossary.ipynb", "references.ipynb"]
    if "en" in languages:
        seminar_out = lessons_out / "en" / "seminar"
        seminar_out.mkdir(parents=True, exist_ok=True)
        for s in seminar:
            nb = json.loads((modules / "seminar" / f"{s.stem}.ipynb").read_text(encoding="utf-8"))
            localize_notebook(nb, "en", seminar_out, out)
            (seminar_out / f"{s.stem}.ipynb").write_text(
                json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        rows = [(f"seminar/{s.stem}.ipynb", f"Day {s.day}, session {s.session}: {s.title}")
                for s in seminar]
        _track_nav(rows, "en", lessons_out)
        pages["en"] += [path for path, _title in rows]
    home = out / "home"
    home.mkdir(exist_ok=True)
    for language in languages:
        index = [dict(row.__dict__) for row in built if row.language == language]
        sections = home_sections(language, index, seminar, days, apps, exercises,
                                 day_exercises)
        (home / f"{language}.html").write_text(home_html(language, sections), encoding="utf-8")
    return Site(out, pages, apps)


def site_pages(out: Path = SITE_DIR) -> list[str]:
    """Every lesson page of a built site, as paths under it (``lessons/fil/...ipynb``)."""
    return sorted(str(p.relative_to(out)) for p in (out / LESSONS).rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m widgets.site",
                                     description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sub = commands.add_parser("build", help="write the course site (home page, lessons, apps)")
    sub.add_argument("--out", type=Path, default=SITE_DIR)
    args = parser.parse_args(argv)
    site = build_site(args.out)
    for language, pages in site.pages.items():
        print(f"{language}: home page and {len(pages)} lesson pages -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
