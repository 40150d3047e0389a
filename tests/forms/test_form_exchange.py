"""Hand in through nbgrader's exchange, as on the workshop hub, with a temporary exchange folder
and the current Unix user as the participant (the hub's own end-to-end test, tests/hub, runs
a real JupyterHub with Unix users; this one needs none): the facilitator generates and releases
with ``python -m grading``; the form app, in her folder, finds the release, fetches it, and
hands in with nbgrader's own submit; ``collect`` brings it in under her user name, and the
answers are hers, as values.
"""

from __future__ import annotations

import getpass
import json

import pytest

from grading import Course
from widgets.forms.handin import Drafts, HubExchange, find_releases
from widgets.forms.model import check_submission, read_values
from widgets.forms.view import AnswerForm

pytestmark = pytest.mark.slow
ASSIGNMENT = "ee03_saving"


def test_hand_in_through_the_exchange_and_collect(tmp_path, monkeypatch):
    me = getpass.getuser()
    exchange, home = tmp_path / "exchange", tmp_path / "home"
    course = Course.create(tmp_path / "course", exchange=exchange, timeout=30)
    people = tmp_path / "people.csv"
    people.write_text(f"id,first_name,last_name,gender,cohort\n{me},Rosa,Test,woman,2026-A\n")
    course.add_participants(people)
    course.generate([ASSIGNMENT])
    course.release([ASSIGNMENT])
    home.mkdir()
    (home / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.CourseDirectory.course_id = {course.course_id!r}\n")
    # her server on the hub: JUPYTERHUB_USER is set, nbgrader knows the exchange
    monkeypatch.setenv("JUPYTERHUB_USER", me)
    monkeypatch.chdir(tmp_path)
    hub = find_releases(home)
    assert isinstance(hub, HubExchange) and hub.names() == [ASSIGNMENT]
    form = AnswerForm(hub, ASSIGNMENT, language="fil", drafts=Drafts(tmp_path / "drafts"))
    assert form.person_box.layout.display == "none"  # the hub knows who she is
    form._inputs["better_account"].value = "A"
    form._inputs["difference"].value = "1,234.50"
    form.handin_button.click()
    assert form.result == {"success": True}, form.result
    assert "Naipasa" in form.status.value  # "Handed in", in Filipino
    # she comes back later: her answers are there (from her draft)
    again = AnswerForm(hub, ASSIGNMENT, language="fil", drafts=Drafts(tmp_path / "drafts"))
    assert again.values["difference"] == 1234.5
    # ... and without a draft, from the notebook she handed in
    fresh = AnswerForm(hub, ASSIGNMENT, language="en", drafts=Drafts(tmp_path / "other"))
    assert fresh.values["difference"] == 1234.5 and fresh.values["better_account"] == "A"
    reports = course.collect([ASSIGNMENT])
    assert reports[0].new == [me], reports[0].lines()
    submitted = course.root / "submitted" / me / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(submitted.read_text())
    release = json.loads((course.root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
                         .read_text())
    assert check_submission(nb, release) == []
    values, problems = read_values(nb)
    assert values["difference"] == 1234.5 and values["better_account"] == "A" and not problems


def test_without_a_hub_the_form_uses_the_exercises(monkeypatch, tmp_path):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("HOMEWARD_EXCHANGE", raising=False)
    monkeypatch.delenv("HOMEWARD_RELEASE", raising=False)
    releases = find_releases(tmp_path)
    assert not releases.exchange and len(releases.names()) == 23
    monkeypatch.setenv("HOMEWARD_RELEASE", str(tmp_path))
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "mine.ipynb").write_text(json.dumps({"cells": [], "metadata": {}}))
    assert find_releases(tmp_path).names() == ["mine"]
