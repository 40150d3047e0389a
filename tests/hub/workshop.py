"""A throw-away workshop hub on 127.0.0.1, made with the facilitator's own commands, for the hub
tests and the load benchmark.

Everything gets a unique tag (course id, Unix user names, the facilitators' group), lives in
one temporary folder, and is removed afterwards: the hub and its proxy and services (their
process group), every process of the test's Unix users, the users, the group, the cgroups.
Needs root (the hub runs each server as its person's Unix user).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.hub.hubclient import card_passwords

ROOT = Path(__file__).resolve().parents[2]
#: The servers' Python environment for tests: rebuilt only when the lock or the code changes.
USER_ENV = ROOT / ".hub-env"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_kernels(pid: int) -> list[int]:
    """The kernels (ipykernel processes) a server process started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        if int(parent) == pid and b"ipykernel" in command:
            found.append(int(entry.name))
    return found


def grading(*args: str, timeout: float = 600) -> str:
    """``python -m grading ARGS`` as the facilitator types it; its output, or an error."""
    result = subprocess.run([sys.executable, "-m", "grading", *args], cwd=ROOT, text=True,
                            capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError(f"grading {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


@dataclass
class Workshop:
    participants: int = 2
    facilitators: int = 1
    start_options: list[str] = field(default_factory=list)
    tag: str = field(default_factory=lambda: "h" + "".join(
        secrets.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(5)))

    def __post_init__(self):
        self.base = Path(tempfile.mkdtemp(prefix=f"homeward-{self.tag}-"))
        os.chmod(self.base, 0o755)
        self.course = self.base / "course"
        self.state = self.base / "state"
        self.home = self.base / "home"
        self.group = f"{self.tag}-facilitators"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.people = [f"{self.tag}r{i:02d}" for i in range(1, self.participants + 1)]
        self.mentors = [f"{self.tag}f{i}" for i in range(1, self.facilitators + 1)]
        self.process: subprocess.Popen | None = None
        self.cards: dict[str, str] = {}
        self.log = self.base / "hub.log"

    @property
    def course_id(self) -> str:
        return self.tag

    # making it -------------------------------------------------------------------------------
    def make_course(self) -> None:
        grading("init", "--course", str(self.course), "--course-id", self.course_id)
        rows = ["id,first_name,last_name,email,gender,cohort"] + [
            f"{pid},Person{i},Test{i},,{'woman' if i % 4 else 'man'},2026-A"
            for i, pid in enumerate(self.people, start=1)]
        (self.base / "participants.csv").write_text("\n".join(rows) + "\n")
        grading("participants", "add", str(self.base / "participants.csv"),
                "--course", str(self.course))
        rows = ["username,name,sees_names"] + [f"{m},Mentor {m},yes" for m in self.mentors]
        (self.base / "facilitators.csv").write_text("\n".join(rows) + "\n")

    def make_accounts(self) -> str:
        out = grading("hub", "accounts", "--course", str(self.course), "--state",
                      str(self.state), "--home-root", str(self.home), "--facilitators",
                      str(self.base / "facilitators.csv"), "--facilitators-group", self.group,
                      "--address", self.url, "--cards", str(self.base / "cards.pdf"))
        self.cards = card_passwords(self.base / "cards.pdf")
        return out

    def start(self, timeout: float = 600) -> None:
        command = [sys.executable, "-m", "grading", "hub", "start", "--course", str(self.course),
                   "--state", str(self.state), "--home-root", str(self.home),
                   "--facilitators-group", self.group, "--port", str(self.port),
                   "--user-env", str(USER_ENV), *self.start_options]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(command, cwd=ROOT, stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited ({self.process.returncode}):\n"
                                   + self.log.read_text()[-4000:])
            try:
                if requests.get(f"{self.url}/hub/api", timeout=5).ok and self.services_up():
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise TimeoutError(f"the hub did not answer within {timeout:.0f} s:\n"
                           + self.log.read_text()[-4000:])

    def services_up(self) -> bool:
        return "JupyterHub is now running" in self.log.read_text()

    def __enter__(self) -> Workshop:
        try:
            self.make_course()
            self.make_accounts()
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # removing it ------------------------------------------------------------------------------
    def processes(self) -> list[int]:
        """Every process that belongs to this hub: the hub gives its state folder to the
        proxy and to every service in their environment."""
        mark = f"HOMEWARD_HUB_STATE={self.state}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if mark in (entry / "environ").read_bytes().split(b"\0"):
                        found.append(int(entry.name))
                except OSError:
                    pass
        return found

    def close(self) -> None:
        from grading.hub.accounts import UnixAccounts
        from grading.hub.cli import service_users
        from grading.hub.config import grader_user
        from grading.hub.limits import Limiter

        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=30)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in self.processes():  # the proxy and services outlive a hub that crashed
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        users = [*self.people, *self.mentors, grader_user(self.course_id),
                 *service_users(self.group).values()]
        for name in users:
            subprocess.run(["pkill", "-KILL", "-u", name], capture_output=True)
        time.sleep(0.5)
        limiter = Limiter()
        for name in users:
            limiter.release(name)
            try:
                UnixAccounts.remove(name)
            except Exception as err:  # keep cleaning up the rest
                print(f"could not remove {name}: {err}", file=sys.stderr)
        subprocess.run(["groupdel", self.group], capture_output=True)
        if self.log.exists():  # kept for a look after a failure (tests/_artifacts is not in git)
            artifacts = ROOT / "tests" / "_artifacts"
            artifacts.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.log, artifacts / "hub.log")
        shutil.rmtree(self.base, ignore_errors=True)
