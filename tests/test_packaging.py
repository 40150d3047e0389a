"""The package and its lock agree, and `pip install .` gives a Homeward whose money works.

Issue 11, point 12: `pyproject.toml` allowed `babel>=2.16` while the lock pinned 2.18; a plain
`pip install .` then brought Babel 2.19, with which the rupiah lost its cents. Every bound in
`pyproject.toml` now admits only versions the tests were run with, the lock must fall inside
them, and a fresh virtual environment built from the package (with uv, the warm download
cache and the lock as constraints) must pass the money doctests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
UV = Path(sys.executable).parent / "uv"


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def requirements() -> list[Requirement]:
    project = pyproject()["project"]
    found = [Requirement(line) for line in project["dependencies"]]
    for extra in project.get("optional-dependencies", {}).values():
        found += [Requirement(line) for line in extra]
    return found


def locked() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = Version(match.group(2))
    return pins


def test_every_direct_dependency_has_a_lower_and_an_upper_bound():
    for requirement in requirements():
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators and "<" in operators, (
            f"{requirement}: give the version the tests pass with and an upper bound")


def test_the_lock_falls_inside_every_bound():
    pins = locked()
    for requirement in requirements():
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not in requirements.lock: regenerate it"
        assert requirement.specifier.contains(pins[name]), (
            f"requirements.lock has {name}=={pins[name]}, outside {requirement.specifier}")


def test_the_lower_bound_is_the_locked_version():
    """The tests run with the locked versions: a lower bound below them is untested."""
    pins = locked()
    for requirement in requirements():
        lower = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        name = requirement.name.lower().replace("_", "-")
        assert lower and lower[0] <= pins[name], requirement
        assert lower[0].release[:2] == pins[name].release[:2], (
            f"{requirement}: the lower bound is in another minor series than the locked "
            f"{pins[name]}: the tests never ran there")


def test_babel_admits_only_the_tested_minor_releases():
    (babel,) = [r for r in requirements() if r.name == "babel"]
    assert babel.specifier.contains("2.18.0") and babel.specifier.contains("2.19.0")
    assert not babel.specifier.contains("2.17.0") and not babel.specifier.contains("2.20.0")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_pip_install_into_a_fresh_venv_runs_the_money_doctests(tmp_path):
    """Build and install the package as a user would, then run the money doctests (and read
    a translation, which must ship inside the package) from outside the source tree."""
    if not UV.exists():
        pytest.skip("uv is installed by `make install`")  # never the case after make install
    venv = tmp_path / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    base = Path(os.path.realpath(sys.executable))
    subprocess.run([str(UV), "venv", "-q", "--python", str(base), str(venv)],
                   check=True, env=env, timeout=120)
    python = venv / "bin" / "python"
    # the package, as `pip install .` builds it: its dependencies resolved from pyproject.toml,
    # with the lock as constraints (a lock outside the bounds makes this fail)
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", "node_modules", ".git", "__pycache__", "_artifacts", "*.egg-info", ".hypothesis"))
    install = subprocess.run(
        [str(UV), "pip", "install", "-q", "--python", str(python), "-c",
         str(ROOT / "requirements.lock"), str(source)],
        env=env, capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stderr[-3000:]
    check = (
        "import doctest, sys, babel, widgets.money as money\n"
        "from widgets.i18n import gettext_for\n"
        "assert '/site-packages/' in money.__file__, money.__file__\n"
        "result = doctest.testmod(money)\n"
        "assert result.attempted > 20, result\n"
        "assert money.format_money(1250.5, 'IDR', 'id') == 'Rp1.250,50'\n"
        "assert gettext_for('fil')('Language') == 'Wika'\n"
        "print(babel.__version__, result.attempted, result.failed)\n"
        "sys.exit(result.failed)\n"
    )
    (babel,) = [r for r in requirements() if r.name == "babel"]
    seen = []
    for newest in (False, True):  # the locked Babel, then the newest release the bounds admit
        if newest:
            upgrade = subprocess.run(
                [str(UV), "pip", "install", "-q", "--python", str(python), str(babel)],
                env=env, capture_output=True, text=True, timeout=300)
            assert upgrade.returncode == 0, upgrade.stderr[-3000:]
        run = subprocess.run([str(python), "-c", check], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        version, attempted, failed = run.stdout.split()
        assert babel.specifier.contains(version) and failed == "0"
        seen.append(version)
    assert seen[0] == str(locked()["babel"])
