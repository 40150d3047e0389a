"""The workshop hub for real: JupyterHub behind configurable-http-proxy on 127.0.0.1, made and
started with the facilitator's commands, used through its REST API and in Chromium.

One hub for the module (four participants, a facilitator), in the order a workshop goes:
cards, first logins, lessons and simulators, an assignment fetched and handed in, what a
participant cannot reach, a check-in answered in the form app on her phone (the same answers
typed in JupyterLab; a hostile text through the form), the facilitator's collect and
autograde in her own, larger server, the dashboard, and idle servers and kernels culled. Needs root: the hub runs each
server as its person's Unix user (as CI does).
"""

from __future__ import annotations

import os
import re
import time

import pytest
import requests

from tests.conftest import PHONE_CONTEXT, new_page
from tests.helpers.pages import axe_violations
from tests.hub.hubclient import HubClient
from tests.hub.workshop import Workshop

pytestmark = [pytest.mark.slow, pytest.mark.browser,
              pytest.mark.skipif(os.geteuid() != 0, reason="the hub needs root")]

ASSIGNMENT = "ee01_money_cycle"
LESSON = "lessons/economic_empowerment/03-saving.ipynb"
SAVINGS = "apps/savings.ipynb"
SAVINGS_READY = ".hw-sentences p"
#: A Voila page streams while its notebook runs: on a loaded machine its "load" event can come
#: well after Playwright's default 30 s.
PAGE_MS = 180_000
PASSWORDS = {"participant": "rosa-garden-77", "other": "siti-harbour-52",
             "facilitator": "ana-mentor-2026", "typist": "joy-market-31",
             "hostile": "budi-river-48"}
CHECKIN = "checkin_m03"
#: Text answers that would run, or break the notebook, if the form wrote them as code. Had
#: they ever run, the graded notebook would print RAN-CODE (the literal holds 'RAN-' + 'CODE').
HOSTILE_LINE = "\"); __import__('os').system('id'); print('RAN-' + 'CODE'); (\"'''"
HOSTILE_TEXT = ("Line one \"quoted\" and 'single'\n__import__('os').system('id')\n"
                "\"\"\"\nprint('RAN-' + 'CODE')\n</p><script>alert(1)</script>")


@pytest.fixture(scope="module")
def hub():
    workshop = Workshop(participants=4, facilitators=1, start_options=[
        "--memory", "1G", "--processes", "300", "--cull-servers-after", "60",
        "--cull-every", "10", "--activity-interval", "10", "--cull-kernels-after", "120",
        "--services", "dashboard,formgrader,simulators,culler"])
    with workshop:
        yield workshop


@pytest.fixture(scope="module")
def rosa(hub):
    return HubClient(hub.url, hub.people[0])


@pytest.fixture(scope="module")
def mentor(hub):
    client = HubClient(hub.url, hub.mentors[0])
    client.first_login(hub.cards[client.name], PASSWORDS["facilitator"])
    client.ensure_server()
    return client


def log_in(page, hub, name: str, password: str) -> None:
    """Fill the hub's login form as she does."""
    page.goto(f"{hub.url}/hub/login")
    page.get_by_label("User name (on your card)").fill(name)
    page.get_by_label("Password (the first time: the one on your card)").fill(password)
    page.locator("#login_submit").click()


def run_code(client, code: str) -> str:
    """Run ``code`` in a new kernel in ``client``'s server; its output. These tests cull a
    server idle for 60 s: when the culler stops her server in the moment between
    "it is running" and the server's next activity report (every 10 s), the kernel's
    connection is lost; then her server is started again and the code run once more."""
    import websocket

    for attempt in (1, 2):
        client.ensure_server()
        try:
            kernel = client.kernel()
            try:
                return kernel.run(code)
            finally:
                try:
                    kernel.close()
                except (websocket.WebSocketException, OSError, requests.RequestException):
                    pass
        except (websocket.WebSocketException, OSError, requests.RequestException,
                ValueError) as lost:  # ValueError: the hub's "not running" page, not JSON
            if attempt == 2:
                raise
            print(f"{client.name}'s server went away ({lost!r}); starting it again")
    raise AssertionError("unreachable")


def shell(client, *command: str, cwd: str | None = None) -> tuple[int, str]:
    """Run a command from a new kernel in ``client``'s server (as her Unix user), as she would
    in a terminal; its exit code and output. (A fresh kernel each time: idle ones are culled
    in these tests.)"""
    out = run_code(
        client,
        "import subprocess, sys\n"
        f"r = subprocess.run({list(command)!r}, capture_output=True, text=True, cwd={cwd!r})\n"
        "print(r.returncode); print(r.stdout[-3000:]); print(r.stderr[-3000:])")
    code, _, rest = out.partition("\n")
    return int(code), rest


def test_hub_and_proxy_answer_on_the_address_given(hub):
    info = requests.get(f"{hub.url}/hub/api", timeout=30).json()
    assert info["version"].startswith(("5.", "6."))
    commands = [open(f"/proc/{pid}/cmdline").read().replace("\0", " ")
                for pid in hub.processes()]
    proxy = [line for line in commands if "configurable-http-proxy" in line]
    assert proxy and f"--port {hub.port}" in proxy[0] and "--ip 127.0.0.1" in proxy[0]
    login = requests.get(f"{hub.url}/hub/login", timeout=30)
    assert login.status_code == 200 and "User name (on your card)" in login.text
    # the public simulators need no login, and never serve the dashboard
    public = f"{hub.url}/services/simulators/voila/render"
    assert requests.get(f"{public}/savings.ipynb", timeout=120).status_code == 200
    assert requests.get(f"{public}/mentoring.ipynb", timeout=120).status_code == 404


def test_a_participant_logs_in_with_her_card_and_must_choose_her_password(
        hub, rosa, browser, artifacts):
    context, page = new_page(browser, **PHONE_CONTEXT)
    page.goto(f"{hub.url}/hub/login")
    page.get_by_label("User name (on your card)").fill(rosa.name)
    page.get_by_label("Password (the first time: the one on your card)").fill("not-my-card")
    page.locator("#login_submit").click()
    page.get_by_text("The user name or password is not right").wait_for()
    page.screenshot(path=artifacts / "hub-login-error-phone.png", full_page=True)
    assert axe_violations(page) == []  # WCAG 2.1 AA (JupyterHub's own orange fails contrast)
    page.get_by_label("User name (on your card)").fill(rosa.name)
    page.get_by_label("Password (the first time: the one on your card)").fill(
        hub.cards[rosa.name])
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(r".*/hub/choose-password$"))
    page.get_by_role("heading", name="Choose your password").wait_for()
    page.screenshot(path=artifacts / "hub-choose-password-phone.png", full_page=True)
    assert axe_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # before she chooses, no server starts for her, even by the address
    refused = page.request.post(f"{hub.url}/hub/api/users/{rosa.name}/server",
                                headers={"X-XSRFToken": next(
                                    c["value"] for c in context.cookies() if c["name"] == "_xsrf")})
    assert refused.status == 403
    page.get_by_label("New password").fill("short")
    page.get_by_label("The same password again").fill("short")
    page.evaluate("document.querySelectorAll('input[minlength]').forEach("
                  "i => i.removeAttribute('minlength'))")  # what the server says, not the browser
    page.get_by_role("button", name="Save my password").click()
    page.get_by_text("Use at least 8 letters or numbers.").wait_for()
    page.get_by_label("New password").fill(PASSWORDS["participant"])
    page.get_by_label("The same password again").fill(PASSWORDS["participant"])
    page.get_by_role("button", name="Save my password").click()
    page.wait_for_url(re.compile(rf".*/user/{rosa.name}/lab.*"), timeout=180_000)
    page.locator("#jp-main-dock-panel").wait_for(timeout=120_000)
    context.close()
    # the card no longer opens her account; her own password does
    assert HubClient(hub.url, rosa.name).login(hub.cards[rosa.name]).status_code == 403
    assert rosa.login(PASSWORDS["participant"]).status_code == 302
    rosa.get_token()


def test_she_opens_a_lesson_and_the_savings_simulator(hub, rosa, browser, artifacts):
    rosa.ensure_server()
    context, page = new_page(browser, **PHONE_CONTEXT)
    errors = page.page_errors
    log_in(page, hub, rosa.name, PASSWORDS["participant"])
    page.wait_for_url(re.compile(rf".*/user/{rosa.name}/.*"), timeout=120_000)
    page.goto(f"{hub.url}/user/{rosa.name}/voila/render/{LESSON}", timeout=PAGE_MS)
    page.get_by_text("saving", exact=False).first.wait_for(timeout=120_000)
    page.screenshot(path=artifacts / "hub-lesson-phone.png")
    page.goto(f"{hub.url}/user/{rosa.name}/voila/render/{SAVINGS}", timeout=PAGE_MS)
    page.locator(SAVINGS_READY).first.wait_for(timeout=120_000)
    page.screenshot(path=artifacts / "hub-savings-phone.png")
    assert not errors, errors
    context.close()
    # the lessons are read-only copies: she can open them, not change them
    kernel = rosa.kernel()
    out = kernel.run(f"import os\nprint(os.path.realpath({LESSON!r}))\n"
                     f"open({LESSON!r}, 'a')")
    assert "PermissionError" in out and "/content/lessons/" in out
    kernel.close()


def test_the_facilitator_releases_and_she_fetches_and_hands_in(hub, rosa, mentor):
    for step in ("generate", "release"):
        code, out = shell(mentor, "python", "-m", "grading", step, ASSIGNMENT,
                          "--course", str(hub.course))
        assert code == 0, out
    rosa.ensure_server()
    listed = rosa.get("assignments", params={"course_id": hub.course_id}).json()
    assert [a["status"] for a in listed["value"]] == ["released"]
    # fetch as nbgrader's assignment list does (her server's REST API)
    fetched = rosa.post("assignments/fetch", data={"course_id": hub.course_id,
                                                   "assignment_id": ASSIGNMENT}).json()
    assert [a["status"] for a in fetched["value"]] == ["fetched"]
    # hand in as a form app would, from a kernel in her server (grading.hub.exchange.submit)
    kernel = rosa.kernel()
    out = kernel.run("from grading.hub.exchange import submit\n"
                     f"r = submit({ASSIGNMENT!r})\n"
                     "print(r['success'], sorted(a['status'] for a in r['value']))")
    assert out.strip() == "True ['fetched', 'submitted']", out
    kernel.close()


def test_she_cannot_reach_the_dashboard_or_anyone_elses_files(hub, rosa, browser, artifacts):
    other = hub.people[1]
    kernel = rosa.kernel()
    for path in (f"{hub.home}/{other}", str(hub.course), f"{hub.state}/exchange/"
                 f"{hub.course_id}/inbound", f"{hub.state}/accounts.json",
                 f"{hub.state}/jupyterhub.sqlite", f"{hub.state}/hub.json"):
        out = kernel.run(f"import os\nos.listdir({path!r}) if os.path.isdir({path!r}) "
                         f"else open({path!r}).read()")
        assert "ERROR PermissionError" in out, (path, out)
    assert kernel.run("import getpass; print(getpass.getuser())").strip() == rosa.name
    kernel.close()
    # another participant's server, through the hub: not hers
    assert rosa.get(f"../{other}/api/contents").status_code in (403, 404)
    context = browser.new_context()
    page = context.new_page()
    log_in(page, hub, rosa.name, PASSWORDS["participant"])
    page.wait_for_url(re.compile(rf".*/user/{rosa.name}/.*"), timeout=120_000)
    answer = page.goto(f"{hub.url}/services/mentoring/", timeout=PAGE_MS)
    assert answer.status == 403
    page.screenshot(path=artifacts / "hub-dashboard-403.png")
    context.close()


def test_her_server_has_enforced_memory_and_process_limits(hub, rosa):
    rosa.ensure_server()
    kernel = rosa.kernel()
    groups = kernel.run("print(open('/proc/self/cgroup').read())")
    assert f"homeward/{rosa.name}" in groups, groups
    # a process that takes more than the server's 1 GB is stopped by the kernel
    code = ("import subprocess, sys\n"
            "r = subprocess.run([sys.executable, '-c', 'b = bytearray(1600 * 2**20); "
            "b[::4096] = bytes(len(b[::4096])); print(\"survived\")'], capture_output=True, "
            "text=True)\nprint(r.returncode, r.stdout.strip())")
    assert kernel.run(code).strip() == "-9", "the memory hog was not stopped"
    # a fork loop stops at the process limit; her kernel lives on
    out = kernel.run("import subprocess\nr = subprocess.run(['bash', '-c', 'for i in "
                     "$(seq 400); do sleep 5 & done; wait'], capture_output=True, text=True)\n"
                     "print('fork' in r.stderr and 'unavailable' in r.stderr)")
    assert out.strip() == "True", out
    assert kernel.run("print(6 * 7)").strip() == "42"
    kernel.close()


def test_collect_refuses_a_submission_filed_under_someone_elses_name(hub, rosa, mentor):
    other = hub.people[1]
    # nbgrader's own check stops a plain --student; skipping it with another auth plugin
    # files the submission under her classmate's name, in the exchange
    code, out = shell(rosa, "nbgrader", "submit", ASSIGNMENT, "--course", hub.course_id,
                      "--student", other,
                      "--Authenticator.plugin_class=nbgrader.auth.NoAuthPlugin",
                      cwd=f"{hub.home}/{rosa.name}")
    assert code == 0 and f"{other}+{ASSIGNMENT}" in out, out
    code, out = shell(mentor, "nbgrader", "collect", ASSIGNMENT, "--update",
                      cwd=str(hub.course))
    assert code == 0, out
    assert f"REJECTED {other} {ASSIGNMENT}: filed as {other} but made by the Unix user " \
           f"{rosa.name}" in out
    code, out = shell(mentor, "python", "-m", "grading", "collect", ASSIGNMENT,
                      "--course", str(hub.course))
    assert code == 0, out
    submitted = sorted(os.listdir(hub.course / "submitted"))
    assert submitted == [rosa.name]  # the forged one stayed in the exchange


def test_a_hand_in_from_an_id_not_on_the_participants_list_is_rejected(hub, mentor):
    """A facilitator's own account takes assignments too (she is in the course's nbgrader
    group), but she is not a participant: her hand-in is refused at collect, listed with her
    id, and never reaches submitted/ (so it is never graded or counted)."""
    mentor.ensure_server()
    fetched = mentor.post("assignments/fetch", data={"course_id": hub.course_id,
                                                     "assignment_id": ASSIGNMENT}).json()
    assert "fetched" in [a["status"] for a in fetched["value"]], fetched
    out = run_code(mentor, "from grading.hub.exchange import submit\n"
                           f"print(submit({ASSIGNMENT!r})['success'])")
    assert out.strip() == "True", out
    code, out = shell(mentor, "python", "-m", "grading", "collect", ASSIGNMENT,
                      "--course", str(hub.course))
    assert code == 0, out
    assert f"REJECTED {mentor.name} {ASSIGNMENT}: not on the participants list" in out
    assert mentor.name not in os.listdir(hub.course / "submitted")
    assert (hub.course / "rejected" / mentor.name / ASSIGNMENT).is_dir()


# --- a check-in through the hub -------------------------------------------------------------
def checkin_notebooks(hub) -> tuple[dict, dict]:
    """The check-in's source (model answers) and release, as the facilitator's course has them."""
    import json

    return tuple(json.loads((hub.course / kind / CHECKIN / f"{CHECKIN}.ipynb").read_text())
                 for kind in ("source", "release"))


def handed_in(hub, name: str) -> dict:
    """Her latest hand-in of the check-in, read from the hub's exchange (nbgrader's inbound
    folder, filed under her hub user name) as root; never run."""
    import json
    import pwd

    folder = hub.state / "exchange" / hub.course_id / "inbound"
    entries = sorted(p for p in folder.iterdir() if p.name.startswith(f"{name}+{CHECKIN}+"))
    assert entries, f"nothing from {name} in the exchange"
    notebook = entries[-1] / f"{CHECKIN}.ipynb"
    assert notebook.stat().st_uid == pwd.getpwnam(name).pw_uid  # written by her own user
    return json.loads(notebook.read_text())


def typed(q, value, lang: str) -> str:
    """What she types in the box for ``value``, the way her language writes it."""
    from widgets.money import format_number

    if q.kind == "integer":
        return str(int(value))
    if q.kind in ("money", "number", "percent"):
        return format_number(value, lang, 0 if float(value).is_integer() else 2)
    return str(value)


def test_she_answers_a_checkin_in_filipino_on_her_phone_and_hands_it_in(
        hub, rosa, mentor, browser, artifacts):
    from widgets.forms.model import (
        Question,
        Reflection,
        check_submission,
        form_items,
        model_reflections,
        model_values,
        read_reflections,
        read_values,
    )
    from widgets.forms.view import WORDS
    from widgets.i18n import gettext_for

    for step in ("generate", "release"):
        code, out = shell(mentor, "python", "-m", "grading", step, CHECKIN,
                          "--course", str(hub.course))
        assert code == 0, out
    source, release = checkin_notebooks(hub)
    values, texts = model_values(source), model_reflections(source)
    lang, _ = "fil", gettext_for("fil")
    rosa.ensure_server()
    context, page = new_page(browser, **PHONE_CONTEXT)
    errors = page.page_errors
    # the one address the facilitator sends everyone: log in, then her own server's form
    form = f"voila/render/apps/form.ipynb?assignment={CHECKIN}&lang={lang}"
    page.goto(f"{hub.url}/hub/user-redirect/{form}", wait_until="commit", timeout=PAGE_MS)
    page.wait_for_url(re.compile(r".*/hub/login.*"), timeout=120_000)
    page.get_by_label("User name (on your card)").fill(rosa.name)
    page.get_by_label("Password (the first time: the one on your card)").fill(
        PASSWORDS["participant"])
    page.locator("#login_submit").click(no_wait_after=True)
    page.wait_for_url(f"{hub.url}/user/{rosa.name}/{form}", wait_until="commit",
                      timeout=PAGE_MS)
    page.wait_for_selector("body.hw-ready", timeout=PAGE_MS)
    button = page.locator(".hw-handin")
    button.wait_for(timeout=60_000)
    # in Filipino, the check-in the facilitator released, handed in to the facilitator
    assert page.evaluate("document.documentElement.lang") == "fil"
    assert "Check-in sa ika-3 buwan" in page.locator("h1").first.inner_text()
    assert button.inner_text().strip() == _(WORDS["handin_hub"])
    answers = [i for i in form_items(release) if isinstance(i, Question | Reflection)]
    boxes = page.locator(".hw-question")
    assert boxes.count() == len(answers)
    for i, item in enumerate(answers):  # as she does: tap, type, on to the next
        box = boxes.nth(i)
        assert item.text("label", lang) in box.inner_text()
        if isinstance(item, Reflection):
            area = box.locator("textarea")
            area.tap()
            area.fill(texts[item.name])
            area.press("Tab")
        elif item.kind == "choice":
            option = next(o for o in item.options if o.value == values[item.name])
            box.locator("label").filter(has_text=re.compile(
                rf"^\s*{re.escape(option.text(lang))}\s*$")).tap()
        else:
            field = box.locator("input")
            field.tap()
            field.fill(typed(item, values[item.name], lang))
            field.press("Tab")
    page.screenshot(path=artifacts / "hub-form-checkin-fil-filled.png", full_page=True)
    button.tap()
    done = page.locator(".hw-live .hw-banner")
    done.wait_for(timeout=120_000)
    assert done.inner_text().strip() == _(WORDS["done_hub"])  # and no blank answer left
    page.screenshot(path=artifacts / "hub-form-checkin-fil-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    found = axe_violations(page)
    assert found == [], found
    assert not errors, errors
    context.close()
    # in the exchange, filed under her hub user name, written by her Unix user: her answers,
    # as values
    nb = handed_in(hub, rosa.name)
    assert check_submission(nb, release) == []
    assert read_values(nb) == (values, [])
    assert read_reflections(nb) == texts


def test_the_same_answers_typed_in_jupyterlab_and_a_hostile_text_through_the_form(hub):
    """Joy types the model answers into the notebook as in JupyterLab (her server's contents
    API) and submits from the Assignments tab (her server's nbgrader call); Budi hands in,
    through the form app's own code in a kernel of his server, text answers that are code,
    quotes and newlines."""
    import ast

    from widgets.forms.model import (
        TEXT_STUB,
        model_reflections,
        model_values,
        read_reflections,
        read_values,
    )

    source, _release = checkin_notebooks(hub)
    values, texts = model_values(source), model_reflections(source)
    joy = HubClient(hub.url, hub.people[1])
    joy.first_login(hub.cards[joy.name], PASSWORDS["typist"])
    joy.ensure_server()
    fetched = joy.post("assignments/fetch", data={"course_id": hub.course_id,
                                                  "assignment_id": CHECKIN}).json()
    entry = next(a for a in fetched["value"] if a["assignment_id"] == CHECKIN
                 and a["status"] == "fetched")
    path = entry["notebooks"][0]["path"]
    model = joy.get(f"api/contents/{path}").json()
    for cell in model["content"]["cells"]:
        name = cell["metadata"].get("homeward", {}).get("answer", {}).get("name")
        if name in values:
            cell["source"] = cell["source"].replace(f"{name} = None",
                                                    f"{name} = {values[name]!r}")
        elif name in texts:
            cell["source"] = cell["source"].replace(TEXT_STUB, texts[name])
    saved = requests.put(joy.server(f"api/contents/{path}"), headers=joy.headers, timeout=120,
                         json={"type": "notebook", "format": "json",
                               "content": model["content"]})
    assert saved.status_code == 200, saved.text
    submitted = joy.post("assignments/submit", data={"course_id": hub.course_id,
                                                     "assignment_id": CHECKIN}).json()
    assert submitted["success"], submitted
    assert read_values(handed_in(hub, joy.name)) == (values, [])

    budi = HubClient(hub.url, hub.people[3])
    budi.first_login(hub.cards[budi.name], PASSWORDS["hostile"])
    out = run_code(budi, "\n".join([
        "import tempfile",
        "from widgets.forms.handin import Drafts, find_releases",
        "from widgets.forms.view import AnswerForm",
        f"form = AnswerForm(find_releases(), {CHECKIN!r}, language='id',",
        "                  drafts=Drafts(tempfile.mkdtemp()))",
        f"values = {values!r}",
        f"values.update(remittance_use={HOSTILE_LINE!r}, next_milestones={HOSTILE_LINE!r})",
        "for name, value in values.items():",
        "    form._inputs[name].value = (value if isinstance(value, str) else",
        "                                form._number_text(form.questions[name], value))",
        f"form._inputs['reflection'].value = {HOSTILE_TEXT!r}",
        "form.handin_button.click()",
        "print(form.result['success'], sorted(form.problems))"]))
    assert out.strip() == "True []", out
    nb = handed_in(hub, budi.name)
    got, problems = read_values(nb)
    assert problems == [] and got["remittance_use"] == got["next_milestones"] == HOSTILE_LINE
    assert read_reflections(nb)["reflection"] == HOSTILE_TEXT
    for cell in nb["cells"]:  # each is one string literal: nothing in it can run
        name = cell["metadata"].get("homeward", {}).get("answer", {}).get("name")
        if name in ("remittance_use", "next_milestones"):
            tree = ast.parse(cell["source"])
            assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Assign)
            assert isinstance(tree.body[0].value, ast.Constant)
            assert tree.body[0].value.value == HOSTILE_LINE


def gradebook_rows(hub, participant: str) -> dict[str, tuple]:
    """Her check-in's rows in the gradebook: grade cell -> (automatic score, most points)."""
    from grading import Course

    with Course.open(hub.course).gradebook() as gb:
        notebook = gb.find_submission_notebook(CHECKIN, CHECKIN, participant)
        return {g.name: (g.auto_score, g.max_score) for g in notebook.grades}


def test_the_facilitator_grades_the_checkin_in_her_larger_server(hub, rosa, mentor):
    import json

    from grading.hub.limits import parse_bytes
    from grading.hub.settings import HubSettings

    joy, budi = hub.people[1], hub.people[3]
    # her server has the facilitators' memory limit, larger than a participant's 1 GB, read
    # from its control group as grading reads it (and given to her server as MEM_LIMIT)
    larger = parse_bytes(HubSettings(state=hub.state,
                                     course=hub.course).facilitator_memory_limit)
    out = run_code(mentor, "import os\nfrom grading.memory import cgroup_memory_limit\n"
                           "print(open('/proc/self/cgroup').read())\n"
                           "print('LIMIT', cgroup_memory_limit(), os.environ.get('MEM_LIMIT'))")
    assert f"homeward/{mentor.name}" in out and f"LIMIT {larger} {larger}" in out, out
    assert larger > 2**30
    assert ("Memory per server: participants 1G, facilitators 4G. A facilitator grades in her "
            "server") in hub.log.read_text()  # the hub's printed summary says why
    code, out = shell(mentor, "python", "-m", "grading", "collect", CHECKIN,
                      "--course", str(hub.course))
    assert code == 0, out
    assert {rosa.name, joy, budi} <= set(os.listdir(hub.course / "submitted"))
    code, out = shell(mentor, "python", "-m", "grading", "autograde", CHECKIN,
                      "--course", str(hub.course), "--no-progress")
    assert code == 0 and "3 graded, 0 broken" in out, out
    # it says how many workers grade, and in what: 2 fit in 4 GB with the 1 GB sandbox
    assert "Grading with 2 workers (this server may use 4.0 GB of memory)." in out, out
    # the form on her phone gives exactly the rows the same answers typed in JupyterLab give
    # (the note for the mentor is graded by hand); the form is complete, and the milestones
    # the autograder awards are the ones the dashboard reads from her answers
    from grading.progress import load_tables

    rows = gradebook_rows(hub, rosa.name)
    assert rows == gradebook_rows(hub, joy) == gradebook_rows(hub, budi)
    assert rows["form-complete"] == (1.0, 1.0) and rows["reflection"] == (None, 2.0)
    milestones = {name: row for name, row in rows.items() if name.startswith("milestone-")}
    assert len(milestones) == 5 and all(row[1] == 1.0 for row in milestones.values())
    checkins = load_tables(hub.course).checkins.set_index(["participant", "checkin"])
    for person in (rosa.name, joy, budi):
        assert checkins.loc[(person, "m03"), "milestones"] == sum(
            score for score, _most in milestones.values()), person
    # the hostile text was printed, as text, by the check that reads it; it never ran
    graded = json.loads((hub.course / "autograded" / budi / CHECKIN / f"{CHECKIN}.ipynb")
                        .read_text())
    outputs = json.dumps([c.get("outputs", []) for c in graded["cells"]])
    assert "RAN-' + 'CODE" in outputs and "RAN-CODE" not in outputs and "uid=" not in outputs


def test_the_facilitator_autogrades_and_sees_her_in_the_dashboard(hub, rosa, mentor, browser,
                                                                  artifacts):
    code, out = shell(mentor, "python", "-m", "grading", "autograde", ASSIGNMENT,
                      "--course", str(hub.course), "--no-progress")
    assert code == 0 and "1 graded" in out, out
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{hub.url}/services/mentoring/", timeout=PAGE_MS)
    page.wait_for_url(re.compile(r".*/hub/login.*"))
    page.get_by_label("User name (on your card)").fill(mentor.name)
    page.get_by_label("Password (the first time: the one on your card)").fill(
        PASSWORDS["facilitator"])
    page.locator("#login_submit").click()
    page.wait_for_url(re.compile(r".*/services/mentoring/.*"), timeout=120_000)
    # the dashboard's ready line (the page body carries hw-ready too)
    page.locator(".jupyter-widgets.hw-ready").wait_for(timeout=180_000)
    banner = page.locator(".hw-source").inner_text()
    assert f"Course: {hub.course_id}." in banner
    assert str(hub.course) not in page.content()  # never the course's path
    page.screenshot(path=artifacts / "hub-dashboard-desktop.png", full_page=True)
    page.get_by_role("tab", name="Participant").click()
    picker = page.locator(".hw-picker input")
    picker.wait_for(timeout=60_000)
    # the tab opens on the first person with a flag (since the check-in, someone who missed
    # it): wait until she is shown before picking another, or the page may show her last
    page.locator(".hw-person h3").wait_for(timeout=60_000)
    from grading.progress import load_tables

    people = load_tables(hub.course).participants.set_index("participant")
    pseudonym = people.loc[rosa.name, "pseudonym"]  # how the dashboard names her
    picker.fill(pseudonym)
    picker.press("Enter")
    page.locator(".hw-person h3", has_text=pseudonym).wait_for(timeout=60_000)
    # her heading shows a moment before her timeline replaces the first person's
    page.locator(".hw-timeline-table", has_text="graded").wait_for(timeout=60_000)
    timeline = page.locator(".hw-timeline-table").inner_text()
    assert "ee01 money cycle" in timeline and "graded" in timeline, timeline
    # her month-3 check-in, answered on her phone, with the milestones she reached
    reached = load_tables(hub.course).checkins.set_index(["participant", "checkin"]).loc[
        (rosa.name, "m03"), "milestones"]
    header, *lines = [line.split("\t") for line in timeline.splitlines() if "\t" in line]
    checkin = [dict(zip(header, cells, strict=False)) for cells in lines
               if "3 months" in cells]
    assert len(checkin) == 1 and checkin[0]["What"] == "Check-in", timeline
    assert checkin[0]["Milestones"] == str(reached), timeline
    page.locator(".hw-timeline-table").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "hub-dashboard-checkin.png")
    # names: decided by the hub (this facilitator is in see-names), shown when she asks
    page.get_by_label("Show names").check()
    page.locator(".hw-person h3", has_text="Person1 Test1").wait_for(timeout=30_000)
    assert f"signed: {mentor.name}" in page.locator(".hw-note-author").inner_text()
    page.locator(".hw-participant textarea").fill("Called her; the store opens Monday.")
    page.get_by_role("button", name="Add note").click()
    page.get_by_text("Note saved.").wait_for(timeout=30_000)
    page.screenshot(path=artifacts / "hub-dashboard-participant.png", full_page=True)
    assert not errors, errors
    context.close()
    log = (hub.course / "mentor_log.jsonl").read_text()
    assert f'"author": "{mentor.name}"' in log and "store opens Monday" in log


def test_idle_servers_and_kernels_are_culled(hub, rosa):
    sleeper = HubClient(hub.url, hub.people[2])
    sleeper.first_login(hub.cards[sleeper.name], PASSWORDS["other"])
    sleeper.ensure_server()
    rosa.ensure_server()
    kernel = rosa.kernel()
    kernel.close()
    # a kernel idle for 120 s (a shorter time culls lesson kernels that are still starting
    # on a loaded machine), checked every 30 s; a server idle for 60 s, checked every 10 s
    deadline = time.monotonic() + 480
    kernel_gone = server_gone = False
    while time.monotonic() < deadline and not (kernel_gone and server_gone):
        kernels = rosa.get("api/kernels")  # Rosa's server is in use; her kernel is idle
        if kernels.ok:
            kernel_gone = kernel_gone or kernel.id not in {k["id"] for k in kernels.json()}
        server_gone = server_gone or "" not in sleeper.user_model()["servers"]
        time.sleep(5)
    assert kernel_gone, "an idle kernel was not culled"
    assert server_gone, "an idle server was not culled"
    assert "idle-culler" in (hub.log.read_text())
