"""Binder, as far as it can be without Docker: install from binder/ into a fresh
environment, run binder/postBuild, start Jupyter Server with the Voila extension
as Binder does, and open the README badge's ``urlpath`` in Chromium."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port, wait_for_http

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def badge_urlpath() -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"mybinder\.org/v2/gh/[^)\s]+\?urlpath=([^)\s]+)\)", readme)
    assert match, "the README has no Binder badge with a urlpath"
    return urllib.parse.unquote(match.group(1))


def test_badge_opens_the_savings_app_directly():
    path = badge_urlpath()
    assert path.startswith("voila/render/")
    assert (ROOT / path.removeprefix("voila/render/")).is_file()


def test_binder_files_use_the_lock():
    requirements = (ROOT / "binder" / "requirements.txt").read_text().split()
    assert "-r" in requirements and "../requirements.lock" in requirements
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert os.access(ROOT / "binder" / "postBuild", os.X_OK)


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A checkout and a fresh environment built only from the binder/ files."""
    base = tmp_path_factory.mktemp("binder")
    repo = base / "repo"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
        capture_output=True, text=True,
    ).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    uv = Path(sys.executable).parent / "uv"
    subprocess.run(
        [str(uv), "pip", "install", "--quiet", "--python", str(python),
         "-r", "binder/requirements.txt"],
        cwd=repo, check=True,
    )
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}", "HOME": str(base),
           "VIRTUAL_ENV": str(venv)}
    env.pop("PYTHONPATH", None)
    subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, check=True)
    return repo, venv, env


def test_binder_environment_serves_the_app(binder_env, page, artifacts):
    repo, venv, env = binder_env
    etc = venv / "etc" / "jupyter"
    assert (etc / "jupyter_server_config.d" / "homeward.json").is_file()
    assert json.loads((etc / "voila.json").read_text())["VoilaConfiguration"]["template"] == \
        "homeward", "postBuild did not configure Voila"
    port, token = free_port(), "homeward-test"
    log = repo.parent / "jupyter.log"
    server = subprocess.Popen(
        [str(venv / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={repo}", *root_flag()],
        cwd=repo, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    try:
        try:
            wait_for_http(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=240,
                          process=server)  # JupyterLab starts slowly on a loaded machine
        except RuntimeError:
            pytest.fail("Jupyter Server did not start:\n" + log.read_text()[-3000:])
        encodings = {}
        page.on("response", lambda r: encodings.__setitem__(
            r.request.resource_type, r.all_headers().get("content-encoding")))
        page.goto(f"http://127.0.0.1:{port}/{badge_urlpath()}?token={token}&lang=fil",
                  wait_until="commit", timeout=120_000)
        page.wait_for_selector("body.hw-ready", timeout=180_000)  # the Homeward page script
        before = page.locator(".hw-app .hw-sentences").inner_text()
        assert "Pag-uwi mo sa" in before  # in the language of the address
        field = page.get_by_label("Buwanang sahod").first
        field.fill("45,000")
        field.press("Enter")
        page.wait_for_function(
            "t => document.querySelector('.hw-app .hw-sentences').innerText !== t", arg=before)
        page.screenshot(path=artifacts / "binder-savings.png")
        assert "Traceback" not in page.content()
        assert encodings.get("document") == "gzip" and encodings.get("script") == "gzip"
        assert page.page_errors == []
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def root_flag() -> list[str]:
    """Binder runs as an ordinary user; where these tests run as root, say so."""
    return ["--allow-root"] if os.geteuid() == 0 else []
