"""The course as ``make serve`` serves it, in headless Chromium: the home page and every lesson.

One server (``python -m widgets.serve --course``, the site built into a temporary folder) for
the module:

- the home page at 390x844 and 1280x900 in each language: every lesson linked, no WCAG 2.1
  A/AA problem axe-core can find, no sideways scroll, her language remembered, a lesson opens;
- EVERY lesson page (seminar, the twelve sessions, family sessions, country packs, glossary,
  references) in English, and lesson 1, an untranslated family session, the glossary and the
  references page in Filipino and Indonesian, at phone width: its title, no code, no error,
  no traceback, no sideways scroll, its way home; axe-core on one page of every track;
- the apps keep their addresses;
- every link of every lesson page (its exercise's answer form, the next lesson, the lessons
  it names, the glossary) answers 200 from the served site, and in Filipino the end of lesson 1
  at phone width shows the exercise's and the next lesson's links; tapping the exercise opens
  its answer form in Filipino;
- lesson pages are rendered at build time (widgets.prerender): lesson 1 in Filipino opens
  without a kernel, its quizzes answer at once in Filipino (axe-core after an answer, a
  screenshot at 390 px), a second visit is a 304, and its savings simulator goes live (a
  kernel) only when she scrolls to it.

The pages are opened a few at a time by an asyncio Playwright in its own thread (the kernels
run the lessons; the module takes a few minutes on a busy machine). Screenshots go to
``tests/_artifacts`` (``course-*.png``).
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM_ARGS, chromium_path, free_port, wait_for_http
from tests.helpers.links import FORM, link_problems
from tests.helpers.pages import AXE, WCAG_21_AA, axe_violations, describe, kernels
from widgets import site as course
from widgets.lessons import LANGUAGES

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LESSON_01 = "economic_empowerment/01-money-across-the-migration-cycle.ipynb"
#: One page of every track is checked with axe-core at phone width (in a language it is in).
AXE_SAMPLE = {("fil", LESSON_01), ("en", "family_track/f1-money-decisions-at-home.ipynb"),
              ("id", "country_packs/indonesia.ipynb"), ("en", "seminar/day2_02-figures.ipynb"),
              ("fil", "glossary.ipynb"), ("id", "references.ipynb")}
#: How many lesson pages are open at once.
AT_ONCE = 3


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``make serve``'s server on a free port, its site built in a temporary folder."""
    folder = tmp_path_factory.mktemp("course")
    site_dir = folder / "site"
    port = free_port()
    log = folder / "serve.log"
    with log.open("w") as out:
        # the answer forms keep drafts in the server's folder: a temporary one, not the home
        server = subprocess.Popen(
            [sys.executable, "-m", "widgets.serve", "--course", f"--site={site_dir}",
             f"--port={port}", "--no-preheat"], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "HOMEWARD_DRAFTS": str(folder / "drafts")})
    base = f"http://127.0.0.1:{port}"
    try:
        # the first build runs every lesson page once (widgets.prerender; build/page-cache
        # keeps them for the next run)
        wait_for_http(base + "/", timeout=900, process=server)
        pages = {language: [p["path"] for p in json.loads(
            (site_dir / course.LESSONS / language / "index.json").read_text())]
            + ["glossary.ipynb", "references.ipynb"] for language in LANGUAGES}
        pages["en"] += sorted(f"seminar/{p.name}"
                              for p in (site_dir / course.LESSONS / "en" / "seminar").glob("*.ipynb"))
        yield base, site_dir, pages, server
    except Exception:
        print(log.read_text()[-4000:])
        raise
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def _context(browser, size):
    return browser.new_context(viewport=size, device_scale_factor=2 if size == PHONE else 1,
                               is_mobile=size == PHONE, has_touch=size == PHONE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_on_a_phone_and_a_computer(served, browser, artifacts, language):
    base, site_dir, pages, _server = served
    expected = {f"{course.LESSONS}/{language}/{p}" for p in pages[language]} | {
        f"{course.LESSONS}/en/{p}" for p in pages["en"] if p.startswith("seminar/")}
    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = _context(browser, size)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        try:
            response = page.goto(f"{base}/?lang={language}")
            assert response.headers.get("content-encoding") == "gzip"
            assert page.evaluate("document.documentElement.lang") == language
            hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(a => a.href)")
            linked = {h.split("/voila/render/", 1)[1] for h in hrefs
                      if "/voila/render/lessons/" in h}
            assert linked == expected, (sorted(expected - linked), sorted(linked - expected))
            assert f"{base}/voila/render/savings.ipynb?lang={language}" in hrefs
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= size["width"], f"sideways scroll: {width}px"
            found = axe_violations(page)
            assert not found, describe(found)
            assert not errors, errors
            page.screenshot(path=str(artifacts / f"course-home-{language}-{name}.png"),
                            full_page=True)
        finally:
            context.close()


def test_the_home_page_remembers_her_language_and_opens_a_lesson(served, browser):
    base, _site, _pages, _server = served
    context = _context(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(f"{base}/?lang=id")
        page.goto(f"{base}/")  # back later, without ?lang=
        assert page.evaluate("document.documentElement.lang") == "id"
        page.get_by_role("link", name="Bahasa Indonesia").wait_for()
        page.locator(f'a[href$="{course.LESSONS}/id/{LESSON_01}"]').click()
        page.wait_for_selector("body.hw-ready", timeout=240_000)
        assert page.evaluate("document.documentElement.lang") == "id"
        nav = page.locator("nav.hw-lesson-nav-top")
        nav.get_by_role("link", name="Halaman utama").click()
        page.wait_for_selector("header h1")
        assert page.url.rstrip("/").endswith("?lang=id")
    finally:
        context.close()


def _code_lines(notebook: Path) -> list[str]:
    """Lines of the notebook's code that would betray code shown on the page."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for line in source.splitlines():
            line = line.strip()
            if len(line) >= 16 and line[0] not in "\"'#" and any(
                    mark in line for mark in ("(", " = ", "import ")):
                lines.append(line)
    return lines


async def _check_page(browser, base, site_dir, language, path, artifacts):
    """Open one lesson page at phone width; what is wrong with it (empty when nothing)."""
    url = f"{base}/voila/render/{course.LESSONS}/{language}/{path}"
    notebook = site_dir / course.LESSONS / language / path
    lesson = json.loads(notebook.read_text())["metadata"]["homeward"]["lesson"]
    context = await browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True,
                                        has_touch=True)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    problems = []
    try:
        await page.goto(url, timeout=300_000)
        await page.wait_for_selector("body.hw-ready", timeout=300_000)
        text = await page.inner_text("body")
        if lesson["title"] not in text:
            problems.append(f"its title {lesson['title']!r} is not on the page")
        if await page.locator(".hw-cell-error").count():
            problems.append("a cell failed (the page says so)")
        if "Traceback" in text or "Error:" in text:
            problems.append("a traceback or error is on the page")
        shown = [line for line in _code_lines(notebook) if line in text]
        if shown:
            problems.append(f"code is in view: {shown[:2]}")
        if await page.locator("nav.hw-lesson-nav").count() != 2:
            problems.append("no way home (two lesson navigations expected)")
        if await page.evaluate("document.documentElement.lang") != lesson["language"]:
            problems.append("<html lang> is not the page's language")
        width = await page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] + 1:
            problems.append(f"sideways scroll: {width}px")
        if (language, path) in AXE_SAMPLE:
            await page.add_script_tag(path=str(AXE))
            found = await page.evaluate(
                """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},
                     resultTypes: ['violations']})).violations.map(v => v.id + ': ' +
                     v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))""", WCAG_21_AA)
            problems += [f"axe: {v}" for v in found]
            name = f"course-{language}-{path.replace('/', '-').removesuffix('.ipynb')}-phone.png"
            await page.screenshot(path=str(artifacts / name), full_page=True, timeout=180_000)
        if errors:
            problems.append(f"script errors: {errors[:2]}")
    except Exception as exc:  # a page that never became ready is a problem, not a crash
        problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        try:
            await page.goto("about:blank", timeout=30_000)  # pagehide: its kernel goes back
        except Exception:  # noqa: BLE001 (the page is gone already: nothing to give back)
            pass
        await context.close()
    return [f"{language}/{path}: {p}" for p in problems]


def _render_all(base, site_dir, chosen, artifacts) -> list[str]:
    from playwright.async_api import async_playwright

    async def run():
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path(),
                                                       headless=True, args=CHROMIUM_ARGS)
            gate = asyncio.Semaphore(AT_ONCE)

            async def one(language, path):
                async with gate:
                    return await _check_page(browser, base, site_dir, language, path, artifacts)

            results = await asyncio.gather(*(one(lang, path) for lang, path in chosen))
            await browser.close()
            return [problem for found in results for problem in found]

    out: dict[str, list[str]] = {}
    worker = threading.Thread(target=lambda: out.setdefault("problems", asyncio.run(run())))
    worker.start()
    worker.join()
    return out["problems"]


def test_every_lesson_page_shows_text_not_code(served, artifacts):
    base, site_dir, pages, _server = served
    chosen = [("en", path) for path in pages["en"]]
    for language in ("fil", "id"):
        rows = json.loads((site_dir / course.LESSONS / language / "index.json").read_text())
        untranslated = next((r["path"] for r in rows if r["status"] == "untranslated"), None)
        chosen += [(language, p) for p in (LESSON_01, untranslated, "glossary.ipynb",
                                           "references.ipynb") if p]
    chosen += [pair for pair in AXE_SAMPLE if pair not in chosen]
    assert len(chosen) >= 36 + 8
    problems = _render_all(base, site_dir, chosen, artifacts)
    assert not problems, "\n".join(problems)


def test_a_page_without_live_widgets_gives_its_kernel_back(served, browser):
    """Run live (``?live=1``, as without a pre-rendered page), Voila starts a kernel for the
    page; the references page has nothing live, so the page script hands its kernel back at
    once instead of keeping it for the idle cull."""
    base, _site, _pages, server = served
    before = kernels(server)
    context = _context(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(f"{base}/voila/render/{course.LESSONS}/en/references.ipynb?live=1",
                  timeout=180_000)
        assert page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        page.wait_for_selector("body.hw-ready", timeout=180_000)
        page.wait_for_function("() => true")  # the page stays open: no pagehide
        deadline = time.monotonic() + 60
        while kernels(server) > before and time.monotonic() < deadline:
            time.sleep(0.5)
        assert kernels(server) <= before, "the page's kernel is still running"
    finally:
        context.close()


def test_the_apps_keep_their_addresses(served, browser):
    base, _site, _pages, _server = served
    context = _context(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(f"{base}/voila/render/savings.ipynb?lang=fil")
        page.wait_for_selector("body.hw-ready", timeout=180_000)
        page.locator(".hw-app .hw-sentences p").first.wait_for(timeout=120_000)
        assert page.evaluate("document.documentElement.lang") == "fil"
    finally:
        context.close()


def test_the_end_of_lesson_1_in_filipino_links_its_form_and_the_next_lesson(served, browser,
                                                                           artifacts):
    """At 390 px: the end of lesson 1 in Filipino shows the exercise's link and the next
    lesson's link (in her words, no file name); tapping the exercise opens its answer form in
    Filipino."""
    from widgets.forms.handin import EXERCISES, FolderReleases
    from widgets.forms.model import questions

    base, _site, _pages, _server = served
    context = _context(browser, PHONE)
    page = context.new_page()
    try:
        page.goto(f"{base}/voila/render/{course.LESSONS}/fil/{LESSON_01}", timeout=300_000)
        page.wait_for_selector("body.hw-ready", timeout=300_000)
        text = page.locator("#hw-main .hw-markdown")  # the lesson's words, not its navigation
        exercise = text.get_by_role("link", name="Sagutan ang ehersisyo 1 sa form nito")
        following = text.get_by_role("link", name="Aralin 2: Pagba-budget", exact=True)
        assert following.get_attribute("href") == "02-budgeting.ipynb"
        following.scroll_into_view_if_needed()
        exercise.wait_for()
        assert exercise.is_visible() and following.is_visible()
        end = text.filter(has=page.get_by_role("link", name="Aralin 2: Pagba-budget",
                                                exact=True)).last
        assert "exercises/" not in end.inner_text() and ".ipynb" not in end.inner_text()
        page.screenshot(path=str(artifacts / "course-fil-lesson01-end-phone.png"))
        exercise.tap()
        page.wait_for_url(re.compile(r"/voila/render/form\.ipynb\?assignment=ee01_money_cycle"
                                     r"&lang=fil$"), timeout=60_000)
        page.wait_for_selector("body.hw-ready", timeout=300_000)
        assert page.evaluate("document.documentElement.lang") == "fil"
        first = questions(FolderReleases(EXERCISES, source=True).release("ee01_money_cycle"))[0]
        page.locator(".hw-question", has_text=first.text("label", "fil")).first.wait_for(
            timeout=120_000)
        page.screenshot(path=str(artifacts / "course-fil-lesson01-form-phone.png"))
    finally:
        context.close()


def _answers(url: str) -> int:
    """The status of a page of the served site (after redirects), read up to its kernel's
    id; the kernel is then shut down, as the page script does when she leaves, so that the
    check does not leave a kernel per page running."""
    import urllib.error
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    head = b""
    try:
        with opener.open(url, timeout=300) as response:
            status = response.status
            while b'"kernelId"' not in head and len(head) < 2_000_000:
                chunk = response.read1(65536)
                if not chunk:
                    break
                head += chunk
    except urllib.error.HTTPError as err:
        return err.code
    kernel = re.search(rb'"kernelId": "([0-9a-f-]+)"', head)
    xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
    if kernel:
        root = url.split("/voila/render/", 1)[0]
        opener.open(urllib.request.Request(
            f"{root}/voila/api/shutdown/{kernel[1].decode()}", data=f"_xsrf={xsrf}".encode(),
            method="POST"), timeout=60).close()
    return status


def test_every_link_of_every_lesson_page_answers(served):
    """Every link target of every lesson page in every language, asked of the served site:
    200 for each (each lesson, the glossary, the references; the answer form once per
    language, its query checked for each link: the exercise exists, in the page's language)."""
    base, site_dir, pages, _server = served
    served_url = f"{base}/voila/render/"
    targets: dict[str, str] = {}  # what to ask -> a page that links it
    problems, forms = [], 0
    for language in LANGUAGES:
        for path in pages[language]:
            nb = json.loads((site_dir / course.LESSONS / language / path).read_text())
            found, urls = link_problems(nb, f"{served_url}{course.LESSONS}/{language}/{path}",
                                        served_url, site_dir, language)
            problems += [f"{language}/{path}: {p}" for p in found]
            for url in urls:
                if f"/{FORM}?" in url:
                    forms += 1
                    url = re.sub(r"assignment=[^&]+", "assignment=ee01_money_cycle", url)
                targets.setdefault(url, f"{language}/{path}")
    assert not problems, "\n".join(problems)
    assert forms >= 3 * 16 + 3 and len(targets) >= 3 * 14, (forms, len(targets))
    refused = {url: page for url, page in sorted(targets.items()) if _answers(url) != 200}
    assert not refused, refused


def test_a_lesson_page_is_read_and_its_quizzes_answered_without_a_kernel(served, browser,
                                                                         artifacts):
    """Lesson 1 in Filipino: served as rendered at build time; no kernel, no websocket until
    she comes near the savings simulator; every quiz answers at once, in Filipino."""
    base, site_dir, _pages, server = served
    path = f"{course.LESSONS}/fil/{LESSON_01}"
    assert path in json.loads((site_dir / "prerendered.json").read_text())
    before = kernels(server)
    context = _context(browser, PHONE)
    page = context.new_page()
    sockets = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        response = page.goto(f"{base}/voila/render/{path}")
        assert response.headers.get("content-encoding") == "gzip"
        page.wait_for_selector("body.hw-ready", timeout=60_000)
        assert page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        ) == ""
        choice, number = page.locator(".hw-quiz").nth(0), page.locator(".hw-quiz").nth(1)
        # the first quiz: a wrong option, then the right one (answered in the page)
        choice.locator("input[type=radio]").nth(0).check()
        wrong = choice.locator(".hw-quiz-wrong")
        wrong.wait_for(timeout=2_000)
        assert wrong.inner_text().startswith("Hindi pa tama.")
        choice.locator("input[type=radio]").nth(1).check()
        choice.locator(".hw-quiz-right").wait_for(timeout=2_000)
        assert "Tama!" in choice.inner_text()
        # a number the Filipino way, with the peso sign; then one that cannot be read
        box = number.locator("input[type=text]")
        box.fill("2,500")
        number.get_by_role("button").click()
        number.locator(".hw-quiz-wrong").wait_for(timeout=2_000)
        assert "bilangin ang 20 buwan" in number.inner_text()  # the hint for this mistake
        box.fill("₱3,000")
        box.press("Enter")
        number.locator(".hw-quiz-right").wait_for(timeout=2_000)
        box.fill("tatlong libo")
        number.get_by_role("button").click()
        number.locator(".hw-quiz-error").wait_for(timeout=2_000)
        assert "Mag-type ng numero" in number.locator(".hw-quiz-error").inner_text()
        assert number.locator(".hw-quiz-right").count() == 1  # the last verdict stays
        assert kernels(server) <= before, "reading a lesson started a kernel"
        assert not sockets, sockets
        number.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "course-fil-lesson01-quiz-answered-phone.png"))
        found = axe_violations(page)
        assert not found, describe(found)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"sideways scroll: {width}px"
        # near the simulator: the lesson runs live in the background, the simulator takes
        # its place and answers her
        tool = page.locator("[aria-busy=true]")
        assert tool.count() == 1 and page.locator(".hw-tool-note").count() == 1
        tool.scroll_into_view_if_needed()
        page.wait_for_function("() => !document.querySelector('[aria-busy=true]')",
                               timeout=180_000)
        assert sockets, "the simulator went live without a kernel connection"
        assert page.locator(".hw-tool-note").count() == 0
        assert kernels(server) >= 1
        sentences = page.locator(".hw-app .hw-sentences")
        shown = sentences.inner_text()
        money = page.locator(".hw-app input[type=text]").first
        money.fill("1,000")
        money.press("Enter")
        page.wait_for_function(
            "t => document.querySelector('.hw-app .hw-sentences').innerText !== t", arg=shown,
            timeout=60_000)
        assert not errors, errors
    finally:
        context.close()
    deadline = time.monotonic() + 60  # she left: the page gave its kernel back
    while kernels(server) > before and time.monotonic() < deadline:
        time.sleep(0.5)
    assert kernels(server) <= before


def test_a_second_visit_to_a_lesson_is_a_304(served):
    """The pre-rendered page carries an ETag: coming back, her phone gets "not modified"."""
    import urllib.error
    import urllib.request

    base, _site, _pages, _server = served
    url = f"{base}/voila/render/{course.LESSONS}/fil/{LESSON_01}"
    with urllib.request.urlopen(urllib.request.Request(
            url, headers={"Accept-Encoding": "gzip"}), timeout=60) as first:
        etag = first.headers["ETag"]
        assert first.headers["Cache-Control"] == "no-cache" and etag
        assert first.headers["Content-Encoding"] == "gzip"
    again = urllib.request.Request(url, headers={"If-None-Match": etag})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(again, timeout=60)
    assert answer.value.code == 304
