"""ngshare, the exchange of the Kubernetes set-up (deploy/kubernetes), with a local ngshare:
a real JupyterHub with ngshare as its service on 127.0.0.1, nbgrader with ngshare-exchange
(the course image's settings, pointed at this ngshare): the facilitator releases, a participant
fetches and hands in, the facilitator collects. ngshare files a hand-in under the hub user
whose token made it, whatever name the environment claims."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

from tests.hub.workshop import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: ngshare's own environment, from its lock (as its own image on Kubernetes); rebuilt only when
#: the lock changes.
NGSHARE_LOCK = ROOT / "deploy" / "kubernetes" / "ngshare" / "requirements.lock"
NGSHARE_ENV = ROOT / ".ngshare-env"
ADMIN_TOKEN = "homeward-ngshare-test-" + os.urandom(8).hex()
COURSE = "homeward"
ASSIGNMENT = "ee01_money_cycle"

HUB_CONFIG = """\
c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = "sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{folder}/cookie_secret"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {{"fac", "stu1"}}
c.JupyterHub.services = [
    {{"name": "tester", "api_token": {token!r}}},
    {{"name": "ngshare", "url": "http://127.0.0.1:{ngshare_port}",
      "command": [{python!r}, "-m", "ngshare", "--admins=fac",
                  "--database=sqlite:///{folder}/ngshare.db", "--storage={folder}/files"]}},
]
c.JupyterHub.load_roles = [
    {{"name": "tester", "services": ["tester"],
      "scopes": ["admin:users", "tokens", "list:users", "read:users"]}},
]
"""


def ngshare_python() -> str:
    import hashlib

    stamp = NGSHARE_ENV / ".lock-sha256"
    digest = hashlib.sha256(NGSHARE_LOCK.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        uv = Path(sys.executable).parent / "uv"
        subprocess.run([str(uv), "venv", "--quiet", "--python", sys.executable,
                        str(NGSHARE_ENV)], check=True)
        subprocess.run([str(uv), "pip", "install", "--quiet", "--python",
                        str(NGSHARE_ENV / "bin" / "python"), "-r", str(NGSHARE_LOCK)],
                       check=True)
        stamp.write_text(digest)
    return str(NGSHARE_ENV / "bin" / "python")


@pytest.fixture(scope="module")
def hub():
    folder = Path(tempfile.mkdtemp(prefix="homeward-ngshare-"))
    port = free_port()
    (folder / "jupyterhub_config.py").write_text(HUB_CONFIG.format(
        port=port, hub_port=free_port(), proxy_api=free_port(), ngshare_port=free_port(),
        folder=folder, proxy=str(ROOT / "node_modules" / ".bin" / "configurable-http-proxy"),
        python=ngshare_python(), token=ADMIN_TOKEN))
    config = folder / "config"
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        (ROOT / "deploy" / "kubernetes" / "nbgrader_config.py").read_text().replace(
            "http://proxy-public/services/ngshare",
            f"http://127.0.0.1:{port}/services/ngshare")
        .replace("c.Authenticator.plugin_class = JupyterHubAuthPlugin\n", ""))
    log = (folder / "hub.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f",
                                str(folder / "jupyterhub_config.py")], cwd=folder, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True,
                               env={**os.environ, "HOMEWARD_NGSHARE_TEST": str(folder)})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, (folder / "hub.log").read_text()[-3000:]
            try:
                if requests.get(f"{url}/services/ngshare/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                pass
            time.sleep(1)
        else:
            raise TimeoutError((folder / "hub.log").read_text()[-3000:])
        yield url, folder
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        for entry in Path("/proc").iterdir():  # ngshare and the proxy run in their own groups
            try:
                if f"HOMEWARD_NGSHARE_TEST={folder}".encode() in (entry / "environ").read_bytes():
                    os.kill(int(entry.name), signal.SIGKILL)
            except (OSError, ValueError):
                pass
        shutil.rmtree(folder, ignore_errors=True)


def person(url: str, folder: Path, name: str) -> dict[str, str]:
    """The environment of ``name``'s server: her hub name and her own API token."""
    admin = {"Authorization": f"token {ADMIN_TOKEN}"}
    requests.post(f"{url}/hub/api/users/{name}", headers=admin, timeout=30)
    token = requests.post(f"{url}/hub/api/users/{name}/tokens", headers=admin, timeout=30,
                          json={"note": "ngshare test"}).json()["token"]
    return {**os.environ, "JUPYTERHUB_USER": name, "USER": name, "JUPYTERHUB_API_TOKEN": token,
            "JUPYTERHUB_API_URL": f"{url}/hub/api",
            "JUPYTER_CONFIG_PATH": str(folder / "config"),
            "HOMEWARD_NGSHARE_TEST": str(folder),
            "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}


def run(env, *command: str, cwd: Path) -> str:
    cwd.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_release_fetch_submit_collect_through_a_local_ngshare(hub):
    url, folder = hub
    fac, student = person(url, folder, "fac"), person(url, folder, "stu1")
    bin_dir = Path(sys.executable).parent
    manage = str(bin_dir / "ngshare-course-management")
    run(fac, manage, "create_course", COURSE, "fac", cwd=folder)
    run(fac, manage, "add_student", COURSE, "stu1", cwd=folder)
    course = folder / "course"
    (course / "source").mkdir(parents=True)
    shutil.copytree(ROOT / "exercises" / ASSIGNMENT, course / "source" / ASSIGNMENT)
    (course / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.root = {str(course)!r}\n")
    nbgrader = str(bin_dir / "nbgrader")
    run(fac, nbgrader, "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    run(fac, nbgrader, "release_assignment", ASSIGNMENT, cwd=course)
    home = folder / "stu1"
    listing = run(student, nbgrader, "list", cwd=home) + run(fac, nbgrader, "list", cwd=course)
    out = run(student, nbgrader, "fetch_assignment", ASSIGNMENT, cwd=home)
    fetched = sorted(str(p.relative_to(home)) for p in home.rglob("*.ipynb"))
    assert fetched == [f"{COURSE}/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"], (fetched, out, listing)
    # the environment claims to be the facilitator; ngshare believes the token (stu1)
    claiming = {**student, "JUPYTERHUB_USER": "fac", "USER": "fac"}
    out = subprocess.run([nbgrader, "release_assignment", ASSIGNMENT, "--force"], cwd=course,
                         env=claiming, capture_output=True, text=True, timeout=300)
    assert out.returncode != 0 or "Permission denied" in out.stdout + out.stderr
    run(student, nbgrader, "submit", ASSIGNMENT, cwd=home)
    out = run(fac, nbgrader, "collect", ASSIGNMENT, cwd=course)
    notebook = course / "submitted" / "stu1" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.is_file(), out
    assert json.loads(notebook.read_text())["cells"]
    assert sorted(os.listdir(course / "submitted")) == ["stu1"]
