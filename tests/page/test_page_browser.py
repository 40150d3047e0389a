"""The Homeward page on a phone on mobile data, in headless Chromium against ``widgets.serve``.

What can fail plainly is tested here; how fast and how heavy the pages are is measured by
``benchmarks/bench_mobile.py``:

- every response is compressed, and no request leaves this machine (no CDN, no web font);
- a second visit downloads almost nothing (files with a hash in their address are cached);
- before any widget exists, the page already shows, in her language, the app's name, its
  result and its chart (the page script is blocked, and then merely slowed down);
- axe-core finds no WCAG 2.1 A or AA violation in any app, in any of its languages, with every
  section open;
- every input can be reached and changed with the keyboard alone;
- her language is remembered for the next visit.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.helpers.pages import (
    app_address,
    axe_violations,
    describe,
    full_screenshot,
    open_app,
    throttle,
)
from widgets.countries import example_savings_plan
from widgets.examples import savings_example
from widgets.money import format_money
from widgets.savings.model import summarize

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
#: The apps and the languages each offers (the seminar tool and the dashboard are in English,
#: the language of their users' course).
APPS = {"savings": ["en", "fil", "id"], "business": ["en", "fil", "id"],
        "action_plan": ["en"], "mentoring": ["en"]}
READY = {"savings": ".hw-app .hw-sentences p", "business": ".hw-app .hw-sentences p",
         "action_plan": ".hw-action-plan button.hw-add-action", "mentoring": ".hw-ready"}


def phone_context(browser, **options):
    return browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                               has_touch=True, **options)


def test_responses_are_compressed_and_stay_on_this_machine(browser, voila_url):
    context = phone_context(browser)
    page = context.new_page()
    requests, responses = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: responses.append(r))
    try:
        open_app(page, voila_url, "savings")
        page.get_by_label("Monthly salary abroad").fill("31,000")
        page.get_by_label("Monthly salary abroad").press("Enter")
        page.wait_for_timeout(500)
        hosts = {urllib.parse.urlsplit(url).hostname for url in requests
                 if not url.startswith("data:")}
        assert hosts == {"127.0.0.1"}, f"requests left the machine: {sorted(hosts)}"
        kinds = {}
        for response in responses:
            kind = response.request.resource_type
            if kind in ("document", "script", "stylesheet") and response.status == 200:
                encoding = response.all_headers().get("content-encoding")
                kinds[kind] = kinds.get(kind, set()) | {encoding}
        assert kinds == {"document": {"gzip"}, "script": {"gzip"}, "stylesheet": {"gzip"}}, kinds
    finally:
        context.close()


def _bytes_of_a_visit(page, url: str) -> tuple[int, list[tuple[str, int]]]:
    """Bytes the network carried while loading ``url`` (the websocket aside)."""
    cdp = throttle(page, None)
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url)
    page.wait_for_selector("body.hw-ready", timeout=90_000)
    page.wait_for_timeout(300)
    cdp.detach()
    return sum(sizes.values()), [(urls.get(k, "?"), v) for k, v in sizes.items()]


def test_a_second_visit_downloads_almost_nothing(browser, voila_url):
    context = phone_context(browser)
    try:
        url = app_address(voila_url, "savings", lang="en", currency="PHP")
        first, _ = _bytes_of_a_visit(context.new_page(), url)
        second, files = _bytes_of_a_visit(context.new_page(), url)
        assert first > 150_000, f"the first visit was only {first} bytes: was the script loaded?"
        assert second < 25_000, f"second visit: {second} bytes: {files}"
        assert not [u for u, size in files if re.search(r"homeward\.(js|css)", u) and size > 0]
    finally:
        context.close()


@pytest.mark.parametrize("app,lang,title,expected", [
    ("savings", "fil", "Plano ng ipon · Homeward", ["Plano ng ipon ko", "Pag-uwi mo sa"]),
    ("business", "id", "Rencana usaha · Homeward",
     ["Rencana usaha saya", "Uang kas Anda tidak pernah habis sepanjang tahun"]),
])
def test_first_paint_is_in_her_language_before_any_widget(browser, voila_url, artifacts, app,
                                                          lang, title, expected):
    context = phone_context(browser)
    page = context.new_page()
    try:
        page.route(re.compile(r".*/homeward\.js(\?.*)?$"), lambda route: route.abort())
        page.goto(app_address(voila_url, app, lang=lang))
        paint = page.locator(".hw-first-paint")
        paint.wait_for(timeout=60_000)
        page.wait_for_load_state("domcontentloaded")
        assert page.evaluate("document.documentElement.lang") == lang
        words = paint.inner_text()
        for text in expected:
            assert text in words, (text, words[:500])
        if app == "savings":  # the example's result, in her currency's words
            amount = summarize(savings_example("PHP").plan).savings_at_return
            assert format_money(amount, "PHP", lang, cents=False) in words
        assert paint.locator("svg polyline, svg rect").count() > 0  # the chart, as SVG
        assert page.title() == title  # the tab names the app, in her language
        assert page.locator(".widget-box, .jupyter-widgets").count() == 0  # no widget yet
        loading = page.locator("#hw-loading").inner_text()
        assert loading and "Loading" not in loading  # the loading words are hers too
        full_screenshot(page, artifacts / f"first-paint-{app}-{lang}-phone.png")
    finally:
        context.close()


def test_on_slow_4g_the_summary_is_there_before_the_widgets(browser, voila_url, artifacts):
    context = phone_context(browser)
    page = context.new_page()
    try:
        throttle(page, "slow_4g")
        page.goto(app_address(voila_url, "savings", lang="id"), wait_until="commit")
        page.locator(".hw-first-paint .hw-sentences p").first.wait_for(timeout=60_000)
        ready_already = page.evaluate("document.body.classList.contains('hw-ready')")
        page.screenshot(path=artifacts / "first-paint-savings-id-slow4g.png")
        assert not ready_already, "the widgets were live before the summary was shown"
        assert "Saat Anda pulang pada" in page.locator(".hw-first-paint").inner_text()
        page.wait_for_selector("body.hw-ready", timeout=120_000)
        expect(page.locator(".hw-first-paint")).to_have_count(0)  # the live app replaced it
        assert page.locator(".hw-app .hw-sentences p").count() > 0
    finally:
        context.close()


def _open_everything(page, app: str) -> None:
    """Open every section (savings) or walk every step (business), so axe sees every box."""
    if app == "savings":
        for toggle in page.locator(".hw-app button.hw-toggle").all():
            if toggle.get_attribute("aria-expanded") == "false":
                toggle.click()
                expect(toggle).to_have_attribute("aria-expanded", "true")


def _axe_each_part(page, app: str) -> list[tuple[str, list]]:
    found = []
    if app == "business":
        steps = page.locator(".hw-steps button")
        for i in range(steps.count()):
            steps.nth(i).click()
            page.locator(".hw-step-title", has_text=f" {i + 1} ").wait_for(timeout=15_000)
            for toggle in page.locator(".hw-app button.hw-toggle:visible").all():
                if toggle.get_attribute("aria-expanded") == "false":
                    toggle.click()
                    expect(toggle).to_have_attribute("aria-expanded", "true")
            page.wait_for_timeout(300)
            found.append((f"step {i + 1}", axe_violations(page)))
    else:
        _open_everything(page, app)
        page.wait_for_timeout(300)
        found.append(("all open", axe_violations(page)))
    return found


@pytest.mark.parametrize("app,lang", [(app, lang) for app, langs in APPS.items()
                                      for lang in langs])
def test_axe_finds_no_wcag_21_aa_violation(browser, voila_url, artifacts, app, lang):
    context = phone_context(browser)
    page = context.new_page()
    try:
        query = {"lang": lang} if app in ("savings", "business") else {}
        open_app(page, voila_url, app, ready=READY[app], **query)
        assert page.evaluate("document.documentElement.lang") == lang
        full_screenshot(page, artifacts / f"{app}-{lang}-phone.png")
        found = [("as opened", axe_violations(page)), *_axe_each_part(page, app)]
        page.set_viewport_size(DESKTOP)
        page.wait_for_timeout(300)
        found.append(("desktop", axe_violations(page)))
        full_screenshot(page, artifacts / f"{app}-{lang}-desktop.png")
        problems = [(where, v) for where, violations in found for v in violations]
        assert not problems, describe(problems)
    finally:
        context.close()


def _tab_through(page, steps: int = 250, on_focus=None) -> list[dict]:
    """Press Tab from the top of the page; what got the focus each time."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            return {tag: e.tagName, id: e.id, type: e.type || '',
                    expanded: e.getAttribute('aria-expanded'), text: (e.innerText || '').trim(),
                    classes: e.className || ''}; }""")
        if seen and info["tag"] == "BODY":
            break
        if on_focus is not None and on_focus(info):
            info["acted"] = True
        seen.append(info)
    return seen


def _visible_inputs(page) -> set[str]:
    return set(page.evaluate("""() => [...document.querySelectorAll(
        '.hw-app input:not([type=file]), .hw-app select, .hw-app textarea')]
        .filter(e => e.offsetParent !== null).map(e => e.id)"""))


def _settled_inputs(page, pause_ms: int = 400, tries: int = 25) -> set[str]:
    """The visible boxes once two looks a moment apart agree."""
    before = _visible_inputs(page)
    for _ in range(tries):
        page.wait_for_timeout(pause_ms)
        now = _visible_inputs(page)
        if now == before:
            return now
        before = now
    return before


def test_savings_every_box_by_keyboard_alone(page, voila_url):
    open_app(page, voila_url, "savings")

    def open_closed_section(info):
        if info["expanded"] == "false":
            page.keyboard.press("Enter")  # a section opens by keyboard
            return True
        return False

    _tab_through(page, on_focus=open_closed_section)
    expect(page.locator(".hw-app button.hw-toggle[aria-expanded='false']")).to_have_count(
        0, timeout=20_000)
    page.locator(".hw-app .hw-goal input").first.wait_for(timeout=20_000)  # the last built
    reached = {i["id"] for i in _tab_through(page) if i["tag"] in ("INPUT", "SELECT", "TEXTAREA")}
    missing = _visible_inputs(page) - reached
    assert not missing, f"boxes the keyboard never reaches: {missing}"
    assert len(reached) >= 25

    # change a box and a picker with the keyboard alone
    before = page.locator(".hw-app .hw-sentences").inner_text()
    salary = page.get_by_label("Monthly salary abroad")
    salary.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("41,000")
    page.keyboard.press("Tab")
    page.wait_for_function(
        "t => document.querySelector('.hw-app .hw-sentences').innerText !== t", arg=before)
    years = page.get_by_label("Years to plan")
    value = years.input_value()
    years.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("v => document.activeElement.value !== v", arg=value)
    section = page.get_by_role("button", name="Debt")
    section.focus()
    page.keyboard.press("Enter")
    expect(section).to_have_attribute("aria-expanded", "false")


def test_business_every_box_by_keyboard_alone(page, voila_url):
    open_app(page, voila_url, "business")
    reached: set[str] = set()
    visible: set[str] = set()
    for number in range(1, 6):
        button = page.locator(".hw-steps button").nth(number - 1)
        button.focus()
        page.keyboard.press("Enter")  # a step opens by keyboard
        page.locator(".hw-step-title", has_text=f" {number} ").wait_for(timeout=15_000)
        expect(button).to_have_attribute("aria-current", "step")

        def open_closed(info):
            if info["expanded"] == "false":
                page.keyboard.press("Enter")
                return True
            return False

        # a section the kernel draws after a pass is opened on the next pass (on a loaded
        # machine a step's sections can arrive a few seconds after its title)
        closed = page.locator(".hw-app [aria-expanded='false']:visible")
        for _ in range(4):
            _tab_through(page, on_focus=open_closed)
            _settled_inputs(page)
            if closed.count() == 0:
                break
        assert closed.count() == 0, (
            f"step {number}: sections the keyboard did not open: "
            f"{[closed.nth(i).inner_text() for i in range(closed.count())]}")
        # the kernel draws an opened section's boxes a moment after the click: tab
        # through again until every box drawn so far was reached (a box the
        # keyboard cannot reach stays missing on every pass)
        for _ in range(3):
            shown = _settled_inputs(page)
            reached |= {i["id"] for i in _tab_through(page)
                        if i["tag"] in ("INPUT", "SELECT", "TEXTAREA")}
            if shown <= reached:
                break
        visible |= shown
    missing = visible - reached
    assert not missing, f"boxes the keyboard never reaches: {missing}"
    assert len(reached) > 40
    # a text area, by keyboard
    page.locator(".hw-steps button").nth(0).focus()
    page.keyboard.press("Enter")
    idea = page.get_by_label("My business idea, in a few words")
    idea.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Repairing phones and fans")
    page.keyboard.press("Tab")
    expect(idea).to_have_value("Repairing phones and fans")


def test_her_language_is_remembered_for_the_next_visit(browser, voila_url, artifacts):
    context = phone_context(browser)
    try:
        page = context.new_page()
        open_app(page, voila_url, "savings")
        page.get_by_label("Language / Wika / Bahasa").select_option(label="Filipino")
        page.get_by_label("Currency").select_option(label="IDR")
        page.wait_for_function("() => location.search.includes('currency=IDR')")
        assert "lang=fil" in page.url
        cookies = {c["name"]: c["value"] for c in context.cookies()}
        assert cookies.get("homeward_lang") == "fil" and cookies.get("homeward_currency") == "IDR"
        page.close()

        again = context.new_page()  # she comes back through the plain address
        open_app(again, voila_url, "savings")
        assert "lang=fil" in again.url and "currency=IDR" in again.url
        assert again.evaluate("document.documentElement.lang") == "fil"
        expect(again.get_by_label("Uri ng pera")).to_have_value("IDR")
        assert "Pag-uwi mo sa" in again.locator(".hw-app .hw-sentences").inner_text()
        # the example is the Indonesian one, in rupiah (no note about pesos)
        words = again.locator(".hw-app").inner_text()
        amount = summarize(example_savings_plan("IDR")).savings_at_return
        assert format_money(amount, "IDR", "fil", cents=False) in words
        assert "piso ng Pilipinas" not in words
        full_screenshot(again, artifacts / "savings-remembered-fil-idr-phone.png")
        # the address wins over the cookie
        open_app(again, voila_url, "savings", lang="en")
        assert again.evaluate("document.documentElement.lang") == "en"
    finally:
        context.close()


def test_action_plan_every_box_by_keyboard_alone(page, voila_url):
    open_app(page, voila_url, "action_plan", ready=READY["action_plan"])
    boxes = set(page.evaluate("""() => [...document.querySelectorAll(
        '.hw-action-plan input, .hw-action-plan textarea, .hw-action-plan select')]
        .filter(e => e.offsetParent !== null).map(e => e.id)"""))
    reached = {i["id"] for i in _tab_through(page) if i["tag"] in ("INPUT", "SELECT", "TEXTAREA")}
    assert boxes and not boxes - reached, f"boxes the keyboard never reaches: {boxes - reached}"
    locality = page.get_by_label("Locality")
    locality.focus()
    page.keyboard.type("Barangay San Roque")
    page.keyboard.press("Tab")
    expect(locality).to_have_value("Barangay San Roque")


def _open_tab_by_keyboard(page, before: str, name: str, ready: str) -> None:
    page.get_by_role("tab", name=before).focus()
    page.keyboard.press("ArrowRight")  # Lumino's tab bar: arrows move, Enter opens
    page.keyboard.press("Enter")
    expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true",
                                                                 timeout=20_000)
    page.locator(ready).first.wait_for(timeout=30_000)


def _reached_all_visible(page) -> None:
    visible = set(page.evaluate("""() => [...document.querySelectorAll(
        '.hw-dash input, .hw-dash select, .hw-dash textarea')]
        .filter(e => e.offsetParent !== null).map(e => e.id)"""))
    reached = {i["id"] for i in _tab_through(page) if i["tag"] in ("INPUT", "SELECT", "TEXTAREA")}
    assert visible and not visible - reached, f"never reached: {visible - reached}"


def test_dashboard_tabs_and_boxes_by_keyboard_alone(page, voila_url):
    open_app(page, voila_url, "mentoring", ready=READY["mentoring"])
    _reached_all_visible(page)
    _open_tab_by_keyboard(page, "Cohort", "Flags", ".hw-flags-table tbody tr")
    _reached_all_visible(page)
    flag = page.get_by_label("Flag", exact=True)
    flag.focus()
    before = page.locator(".hw-flag-status").inner_text()
    page.keyboard.press("ArrowDown")  # another flag, chosen by keyboard
    page.wait_for_function(
        "t => document.querySelector('.hw-flag-status').innerText !== t", arg=before)
    _open_tab_by_keyboard(page, "Flags", "Participant", ".hw-timeline-table")
    _reached_all_visible(page)


def test_first_paint_shows_her_countrys_example_in_her_currency(browser, voila_url, artifacts):
    """Issues 12 and 13: an Indonesian who comes with rupiah sees the Indonesian example (not
    the peso example's amounts labelled as rupiah), from the first paint on."""
    context = phone_context(browser)
    try:
        page = context.new_page()  # the first paint, kept (the page script is not loaded)
        page.route(re.compile(r".*/homeward\.js(\?.*)?$"), lambda route: route.abort())
        page.goto(app_address(voila_url, "savings", lang="id", currency="IDR"), timeout=120_000)
        paint = page.locator(".hw-first-paint")
        paint.wait_for(timeout=60_000)
        amount = summarize(example_savings_plan("IDR")).savings_at_return
        assert format_money(amount, "IDR", "id", cents=False) in paint.inner_text()
        page.close()
        live = open_app(context.new_page(), voila_url, "savings", lang="id", currency="IDR")
        box = live.get_by_label(re.compile("Gaji bulanan di luar negeri"))
        assert box.input_value() == "7.000.000"
        full_screenshot(live, artifacts / "savings-id-IDR-example-phone.png")
    finally:
        context.close()


def test_her_kernel_is_shut_down_when_she_leaves(browser, voila_url):
    """The page asks the server to shut its kernel down when she leaves. Voila's page set no
    _xsrf cookie, so that request was refused (403) and each visit's kernel (about 160 MB)
    stayed until the idle culler, 15 minutes later: a few visitors filled a small server."""
    context = phone_context(browser)
    try:
        page = context.new_page()
        open_app(page, voila_url, "savings")
        assert any(c["name"] == "_xsrf" for c in context.cookies())
        kernel = page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        address = f"{voila_url}/api/kernels/{kernel}"
        assert context.request.get(address).status == 200  # her kernel, while she is here
        page.goto("about:blank")
        status = None
        for _ in range(60):
            status = context.request.get(address).status
            if status == 404:
                break
            page.wait_for_timeout(500)
        assert status == 404, f"her kernel still runs after she left ({status})"
    finally:
        context.close()
