"""The course site (``widgets/site.py``): the home page links every lesson, in each language.

Built once here into a temporary folder by the same function ``make serve`` runs. No browser:
``tests/test_lesson_pages_browser.py`` opens the pages.
"""

from __future__ import annotations

import html.parser
import json
import shutil
import urllib.parse
from pathlib import Path

import pytest

from tests.helpers.links import FORM, link_problems, markdown_links
from tests.test_citations import shown_problems
from widgets import site as course
from widgets.lessons import LANGUAGES
from widgets.lessons.catalogs import REVIEW_NEEDED

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "modules"


class Links(html.parser.HTMLParser):
    """Every link of a page, with its text."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._open = {**dict(attrs), "text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self.links.append(self._open)
            self._open = None


def links_of(page: str) -> list[dict]:
    parser = Links()
    parser.feed(page)
    return parser.links


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return course.build_site(tmp_path_factory.mktemp("site") / "site")


def home(site, language: str) -> str:
    return (site.out / "home" / f"{language}.html").read_text(encoding="utf-8")


def linked_pages(site, language: str) -> set[str]:
    """The lesson pages the home page of ``language`` links (paths under lessons/)."""
    prefix = f"voila/render/{course.LESSONS}/"
    return {urllib.parse.urlsplit(a["href"]).path.removeprefix(prefix)
            for a in links_of(home(site, language)) if a["href"].startswith(prefix)}


def every_lesson_notebook() -> list[Path]:
    """Every notebook in modules/, whatever folder it is in (a new track counts too)."""
    return sorted(p for p in MODULES.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_links_every_lesson(site, language):
    linked = linked_pages(site, language)
    missing = []
    for notebook in every_lesson_notebook():
        relative = notebook.relative_to(MODULES).as_posix()
        track = relative.split("/")[0]
        # the seminar is English only: every language's home page links its English pages
        page = f"en/{relative}" if track == "seminar" else f"{language}/{relative}"
        if page not in linked:
            missing.append(relative)
    assert not missing, f"lessons the {language} home page does not link: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_of_the_home_page_leads_to_a_page_that_exists(site, language):
    for link in links_of(home(site, language)):
        href = urllib.parse.urlsplit(link["href"])
        if href.path == "" or link["href"].startswith("#"):
            continue  # the language switch (?lang=) and the contents
        assert href.path.startswith("voila/render/"), link
        target = site.out / href.path.removeprefix("voila/render/")
        assert target.is_file(), f"{link['href']} ({link['text']}) leads nowhere"
        assert link["text"].strip(), f"a link without words: {link}"


def test_the_home_page_speaks_her_language(site):
    for language, title, seminar_note in (
            ("en", "Homeward: coming home after work abroad", None),
            ("fil", "Homeward: pag-uwi pagkatapos magtrabaho sa ibang bansa",
             "Ang seminar ay para sa mga opisyal at kawani, at nasa Ingles lamang."),
            ("id", "Homeward: pulang setelah bekerja di luar negeri",
             "Seminar ini untuk pejabat dan staf, dan hanya dalam bahasa Inggris.")):
        page = home(site, language)
        assert f'<html lang="{language}">' in page
        assert f"<title>{title}</title>" in page
        if seminar_note:
            assert seminar_note in page
            # the English titles are marked English for a screen reader's voice
            assert '<h3 id="day1" lang="en">Day 1: Policies (module 1)</h3>' in page
        # lesson 1 is translated: its title is hers, and the simulators open in her language
        built = {b["id"]: b for b in json.loads(
            (site.out / "lessons" / language / "index.json").read_text())}
        first = built["economic_empowerment/01-money-across-the-migration-cycle"]
        assert f">{first['title']}</a>" in page
        assert f'href="voila/render/savings.ipynb?lang={language}"' in page
        assert "mentoring.ipynb" not in page  # the facilitators' dashboard is not listed


def test_the_seminar_is_listed_by_the_day_it_runs():
    lessons = course.seminar_lessons()
    days = course.agenda_days()
    assert sorted({s.day for s in lessons}) == [1, 2, 3, 4, 5] == sorted(days)
    page = course.home_html("en", course.home_sections("en", [], lessons, days))
    for s in lessons:
        assert f"{s.day}.{s.session} {s.title}" in page
    # a lesson is listed under the day its title names (day4_01 is prepared on day 3)
    day3 = page.split('id="day3"')[1].split('id="day4"')[0]
    assert "Preparing the field visits" in day3


def test_a_seminar_notebook_without_a_day_in_its_title_is_refused(tmp_path):
    (tmp_path / "seminar").mkdir()
    (tmp_path / "seminar" / "x.ipynb").write_text(json.dumps(
        {"cells": [{"cell_type": "markdown", "source": "# Partnerships", "metadata": {}}]}))
    with pytest.raises(ValueError, match="Day N, session M"):
        course.seminar_lessons(tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_lesson_page_leads_home_and_along_its_track(site, language):
    folder = site.out / course.LESSONS / language
    for page in site.pages[language]:
        nb = json.loads((folder / page).read_text())
        lesson = nb["metadata"]["homeward"]["lesson"]
        nav = lesson["nav"]
        assert lesson["title"] and lesson["language"] == language
        # the home page link climbs back to the server's address, in her language
        rendered = f"voila/render/{course.LESSONS}/{language}/{page}"
        home_url = urllib.parse.urljoin("http://h/base/" + rendered, nav["home"]["href"])
        assert home_url == f"http://h/base/?lang={language}", (page, home_url)
        for step in ("previous", "next"):
            if step in nav:
                target = urllib.parse.urljoin("http://h/base/" + rendered, nav[step]["href"])
                path = target.removeprefix(f"http://h/base/voila/render/{course.LESSONS}/")
                assert (site.out / course.LESSONS / path).is_file(), (page, step, target)
                assert path.rsplit("/", 1)[0] == f"{language}/{page}".rsplit("/", 1)[0]
    # the twelve sessions are one chain, in order
    chain = [p for p in site.pages[language] if p.startswith("economic_empowerment/")]
    assert len(chain) == 12
    for before, after in zip(chain, chain[1:], strict=False):
        nav = json.loads((folder / before).read_text())["metadata"]["homeward"]["lesson"]["nav"]
        assert nav["next"]["href"] == after.split("/")[1]
    first = json.loads((folder / chain[0]).read_text())["metadata"]["homeward"]["lesson"]["nav"]
    assert "previous" not in first


@pytest.mark.parametrize("language", ["fil", "id"])
def test_an_untranslated_lesson_is_the_english_page_with_a_notice_in_her_language(
        site, language):
    """Every fil/id page that is not a complete, reviewed translation carries the notice
    (in her language, right under the title), so it is never a broken or silent page."""
    folder = site.out / course.LESSONS / language
    rows = json.loads((folder / "index.json").read_text())
    assert rows, "the build wrote no lessons"
    for row in rows:
        nb = json.loads((folder / row["path"]).read_text())
        notices = [c for c in nb["cells"] if "homeward-notice" in c["metadata"].get("tags", [])]
        needs = row["status"] != "complete" or row["review"] == REVIEW_NEEDED
        assert len(notices) == (1 if needs else 0), row["id"]
        if needs:
            assert f'lang="{language}"' in notices[0]["source"]
            assert row["notice"] and row["notice"] in notices[0]["source"]
            assert nb["cells"].index(notices[0]) <= 2  # under the title, before the text
    references = json.loads((folder / "references.ipynb").read_text())
    assert any(f'lang="{language}"' in "".join(c["source"]) for c in references["cells"][:3])


def test_the_apps_keep_their_addresses(site):
    for app in ("savings", "business", "action_plan", "mentoring"):
        assert (site.out / f"{app}.ipynb").is_file()
    # Voila's settings are widgets.serve's: none in the folder to override them
    assert not (site.out / "voila.json").exists()


def test_exercises_are_linked_only_when_the_answer_form_app_exists(tmp_path):
    apps = tmp_path / "apps"
    shutil.copytree(ROOT / "widgets" / "apps", apps)
    (apps / "form.ipynb").unlink(missing_ok=True)
    without = course.build_site(tmp_path / "a", languages=["en"], apps_dir=apps)
    assert "form.ipynb" not in (without.out / "home" / "en.html").read_text()
    # a lesson keeps the words of its exercise's link, without a link that would lead nowhere
    lesson = (without.out / course.LESSONS / "en" / "economic_empowerment" / "02-budgeting.ipynb"
              ).read_text()
    assert "Answer exercise 2 in its form" in lesson
    assert "form.ipynb" not in lesson and "widgets/apps" not in lesson
    shutil.copy(apps / "savings.ipynb", apps / "form.ipynb")  # stands in for the form app
    with_form = course.build_site(tmp_path / "b", languages=["en"], apps_dir=apps)
    page = (with_form.out / "home" / "en.html").read_text()
    assert 'href="voila/render/form.ipynb?assignment=ee02_budgeting&amp;lang=en"' in page
    assert 'href="voila/render/form.ipynb?assignment=fam1_money_decisions&amp;lang=en"' in page
    assert "assignment=seminar_policies" in page.split('id="day1"')[1].split('id="day2"')[0]
    public = course.build_site(tmp_path / "b", languages=["en"], apps_dir=apps,
                               only_apps=("savings", "business"))
    assert sorted(p.stem for p in public.out.glob("*.ipynb")) == ["business", "savings"]


def _page_url(language: str, page: str) -> str:
    return f"http://h/base/voila/render/{course.LESSONS}/{language}/{page}"


def _served_pages(site) -> list[tuple[str, str]]:
    """(language, page) of every lesson page of the site (the seminar is under en)."""
    return [(language, page) for language in site.pages for page in site.pages[language]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_built_page_names_no_file(site, language):
    """What she reads in her language: no exercise folder, notebook file name, seed file name,
    reference notes or tag (the translations keep the English links' targets, not names)."""
    folder = site.out / course.LESSONS / language
    hits = {page: found for page in site.pages[language]
            if (found := shown_problems(json.loads((folder / page).read_text())))}
    assert not hits, hits


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_link_of_a_lesson_page_leads_to_a_page_of_the_site(site, language):
    """Every relative link of every lesson page, resolved as the browser does from the page's
    address: the exercise's answer form of an exercise that exists, in the page's language;
    the next lesson and the lessons it names in the same language; the glossary and the
    references. (tests/test_lesson_pages_browser.py asks the served site for each.)"""
    folder = site.out / course.LESSONS / language
    forms, lessons, problems = set(), set(), []
    for page in site.pages[language]:
        nb = json.loads((folder / page).read_text())
        found, urls = link_problems(nb, _page_url(language, page), "http://h/base/voila/render/",
                                    site.out, language)
        problems += [f"{language}/{page}: {p}" for p in found]
        assert not any("widgets/apps" in target for _w, target in markdown_links(nb)), page
        for url in urls:
            path = urllib.parse.urlsplit(url).path.removeprefix("/base/voila/render/")
            if path == FORM:
                forms.add(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["assignment"][0])
            elif "/" in path.removeprefix(f"{course.LESSONS}/{language}/"):
                lessons.add(path)
                # a lesson links the lessons of her language (the seminar is English only)
                assert path.startswith(f"{course.LESSONS}/{language}/"), (page, path)
    assert not problems, "\n".join(problems)
    # every returnee lesson and family session links its exercise; the seminar its three
    returnee = {f"ee{n:02d}" for n in range(1, 13)} | {f"fam{n}" for n in range(1, 5)}
    assert {name.split("_")[0] for name in forms} >= returnee, sorted(forms)
    if language == "en":
        assert {"seminar_policies", "seminar_concepts", "seminar_action_plan"} <= forms
    # and the next lesson: lessons 2 to 12 and family sessions 2 to 4 are linked to
    assert len({p for p in lessons if "/economic_empowerment/" in p}) >= 11, sorted(lessons)
    assert len({p for p in lessons if "/family_track/" in p}) >= 3, sorted(lessons)


def test_the_link_check_finds_a_broken_link(site):
    """The check above is not blind: a form in another language, an unknown exercise and a
    lesson that does not exist are each found."""
    nb = {"cells": [{"cell_type": "markdown", "source":
                     "[a](../../../form.ipynb?assignment=ee01_money_cycle&lang=en) "
                     "[b](../../../form.ipynb?assignment=ee99_nothing&lang=fil) "
                     "[c](02-budgetting.ipynb) [d](02-budgeting.ipynb)"}]}
    found, urls = link_problems(nb, _page_url("fil", "economic_empowerment/01-x.ipynb"),
                                "http://h/base/voila/render/", site.out, "fil")
    assert len(found) == 3 and len(urls) == 3, found
