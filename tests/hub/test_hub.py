"""The workshop hub for real: JupyterHub behind configurable-http-proxy on 127.0.0.1, made and
started with the facilitator's commands, used through its REST API and in Chromium.

One hub for the module (a participant, a second participant, a facilitator), in the order a
workshop goes: cards, first logins, lessons and simulators, an assignment fetched and handed
in, what a participant cannot reach, the facilitator's collect and autograde, the dashboard,
and idle servers and kernels culled. Needs root: the hub runs each server as its person's
Unix user (as CI does).
"""

from __future__ import annotations

import os
import re
import time

import pytest
import requests

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
             "facilitator": "ana-mentor-2026"}


@pytest.fixture(scope="module")
def hub():
    workshop = Workshop(participants=3, facilitators=1, start_options=[
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
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
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
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
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
    from grading.progress import load_tables

    people = load_tables(hub.course).participants.set_index("participant")
    pseudonym = people.loc[rosa.name, "pseudonym"]  # how the dashboard names her
    picker.fill(pseudonym)
    picker.press("Enter")
    page.locator(".hw-person h3", has_text=pseudonym).wait_for(timeout=60_000)
    timeline = page.locator(".hw-timeline-table").inner_text()
    assert "ee01 money cycle" in timeline and "graded" in timeline, timeline
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
