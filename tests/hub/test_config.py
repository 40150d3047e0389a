"""The workshop hub's JupyterHub configuration, checked without starting it: it loads into
JupyterHub's own application, every scope exists, and the roles give each group what it
should and nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest
from traitlets.config import Config

from grading.hub.auth import hub_groups
from grading.hub.config import DASHBOARD, hub_config, roles
from grading.hub.settings import HubSettings

PORTS = {"hub": 18081, "proxy_api": 18001, "mentoring": 18101, "formgrader": 18102,
         "simulators": 18103}


@pytest.fixture
def settings(tmp_path):
    return HubSettings(state=tmp_path / "state", course=tmp_path / "course", ip="192.168.1.20",
                       port=8000, memory_limit="2G", cull_servers_after=1800)


def load(config: dict) -> Config:
    out = Config()
    for section, values in config.items():
        for key, value in values.items():
            setattr(getattr(out, section), key, value)
    return out


def scopes_of(groups: list[str], course_id="homeward") -> set[str]:
    """Every scope a member of ``groups`` gets from the hub's roles, plus the default 'self'."""
    out = {"self"}
    for role in roles(course_id):
        if set(role.get("groups", ())) & set(groups):
            out |= set(role["scopes"])
    return out


def test_the_configuration_loads_into_jupyterhub(settings):
    from jupyterhub.app import JupyterHub

    app = JupyterHub(config=load(hub_config(settings, "homeward", PORTS)))
    assert app.ip == "192.168.1.20" and app.port == 8000 and app.hub_port == 18081
    assert app.authenticator_class.__name__ == "HomewardAuthenticator"
    assert app.spawner_class.__name__ == "HomewardSpawner"
    assert {s["name"] for s in app.services} == {"idle-culler", "mentoring", "homeward",
                                                  "simulators"}
    assert app.db_url == f"sqlite:///{settings.paths.database}"
    culler = next(s for s in app.services if s["name"] == "idle-culler")
    assert "--timeout=1800" in culler["command"]
    # a slow machine still starts: the hub waits minutes, not JupyterHub's 30 s, for each
    # of its services to answer (it stops altogether when one is late)
    from jupyterhub.services.service import Service

    assert Service.class_traits()["timeout"].metadata.get("input")
    for service in app.services:
        if "url" in service:
            assert service["timeout"] >= 120, service["name"]


def test_every_scope_exists(settings):
    from jupyterhub.scopes import scope_definitions

    config = hub_config(settings, "homeward", PORTS)
    named = {scope.split("!")[0] for role in config["JupyterHub"]["load_roles"]
             for scope in role["scopes"]}
    named |= {scope.split("!")[0] for scope in config["Spawner"]["server_token_scopes"]}
    assert named <= set(scope_definitions), named - set(scope_definitions)


def test_participants_get_no_dashboard_and_no_one_elses_server():
    participant = scopes_of(hub_groups({"role": "participant"}, "homeward"))
    facilitator = scopes_of(hub_groups({"role": "facilitator"}, "homeward"))
    assert f"access:services!service={DASHBOARD}" not in participant
    assert f"access:services!service={DASHBOARD}" in facilitator
    assert "access:services!service=homeward" in facilitator  # the formgrader
    assert "access:services!service=homeward" not in participant
    assert not any(s.startswith(("access:servers", "admin:", "servers")) for s in participant)
    # facilitators manage participants' servers, but never open them
    assert not any(s.startswith("access:servers") for s in facilitator)


def test_limits_culling_and_tls_reach_the_servers(settings, tmp_path):
    config = hub_config(settings, "homeward", PORTS)
    spawner = config["Spawner"]
    assert spawner["mem_limit"] == 2 * 2**30
    assert "--MappingKernelManager.cull_idle_timeout=1200" in spawner["args"]
    assert spawner["environment"]["JUPYTER_CONFIG_PATH"] == str(settings.paths.jupyter_config)
    assert "ssl_cert" not in config["JupyterHub"]
    tls = HubSettings(state=settings.state, course=settings.course, ip="0.0.0.0", port=443,
                      certfile=str(tmp_path / "c.pem"), keyfile=str(tmp_path / "k.pem"),
                      public_host="hub.example.org")
    hub = hub_config(tls, "homeward", PORTS)["JupyterHub"]
    assert hub["ssl_cert"].endswith("c.pem") and tls.public_url == "https://hub.example.org"


def test_the_hub_config_file_applies_the_same_configuration(settings, monkeypatch):
    """deploy/hub/jupyterhub_config.py, run as JupyterHub runs it, with a real course."""
    from grading.course import Course
    from grading.hub.settings import REPO

    (settings.course.parent / "exercises").mkdir(parents=True)
    Course.create(settings.course, exercises=settings.course.parent / "exercises")
    settings.save()
    monkeypatch.setenv("HOMEWARD_HUB_STATE", str(settings.state))
    config = Config()
    code = (REPO / "deploy" / "hub" / "jupyterhub_config.py").read_text()
    exec(compile(code, "jupyterhub_config.py", "exec"), {"get_config": lambda: config})
    assert config.JupyterHub.port == 8000
    assert config.HomewardAuthenticator.course_id == "homeward"
    assert Path(config.ConfigurableHTTPProxy.command[0]).name == "configurable-http-proxy"


def test_the_servers_environment_gets_the_homeward_template(tmp_path):
    """Voila in a person's server (and the dashboard service) finds the Homeward template in
    the servers' environment, with its words in every language; without it every lesson and
    simulator page on the hub stopped with TemplateNotFound (seen in the hub test)."""
    import json

    from grading.hub.cli import install_pages, jupyter_settings

    target = install_pages(tmp_path / "env")
    assert target == tmp_path / "env" / "share" / "jupyter" / "voila" / "templates" / "homeward"
    assert (target / "index.html.j2").is_file() and (target / "static" / "homeward.js").is_file()
    jupyter_settings(tmp_path)
    voila = json.loads((tmp_path / "jupyter_server_config.json").read_text())["VoilaConfiguration"]
    assert voila["template"] == "homeward" and "preheat_kernel" not in voila
    assert set(voila["resources"]["homeward"]["words"][""]) >= {"en", "fil", "id"}


def test_her_lessons_link_the_answer_forms_in_her_apps_folder(tmp_path):
    """On the hub her home has ``lessons/`` (a copy of modules/) beside ``apps/``, served at
    /user/<name>/voila/render/lessons/<track>/<lesson>.ipynb: the copy points each lesson's
    link to its exercise at her apps/form.ipynb, and every other link of a lesson still leads
    to a page of her lessons/ (the next lesson, the glossary, the references)."""
    import json

    from grading.hub.cli import copy_content
    from grading.hub.settings import REPO
    from tests.helpers.links import FORM, link_problems

    content = copy_content(tmp_path / "content")
    served = "http://hub/user/ana/voila/render/"
    forms, problems = set(), []
    for notebook in sorted((content / "lessons").rglob("*.ipynb")):
        page = notebook.relative_to(content).as_posix()
        found, urls = link_problems(json.loads(notebook.read_text()), served + page, served,
                                    content, "en")
        problems += [f"{page}: {p}" for p in found]
        forms |= {url for url in urls if f"/apps/{FORM}?" in url}
    assert not problems, "\n".join(problems)
    assert any("assignment=ee01_money_cycle&lang=en" in url for url in forms), sorted(forms)
    assert any("assignment=seminar_action_plan&lang=en" in url for url in forms)
    assert len(forms) >= 12 + 4 + 3
    # the repository's own lessons are left as they are (valid links in JupyterLab)
    source = (REPO / "modules" / "economic_empowerment" / "02-budgeting.ipynb").read_text()
    assert "../../widgets/apps/form.ipynb?assignment=ee02_budgeting" in source


def test_a_facilitators_server_gets_her_own_larger_memory_limit(settings):
    """She grades in her server: the sandboxed notebooks share its limit (grading.memory)."""
    from types import SimpleNamespace

    from grading.hub.spawner import HomewardSpawner

    assert HubSettings(state=Path("/s"), course=Path("/c")).facilitator_memory_limit == "4G"
    config = load(hub_config(settings, "homeward", PORTS))
    assert config.Spawner.mem_limit == 2 * 2**30
    assert config.HomewardSpawner.facilitator_mem_limit == 4 * 2**30

    def spawner(groups):
        user = SimpleNamespace(name="x", groups=[SimpleNamespace(name=g) for g in groups])
        return HomewardSpawner(user=user, config=config)

    facilitator, participant = spawner(["facilitators"]), spawner(["participants"])
    assert facilitator.limits.memory == 4 * 2**30 and participant.limits.memory == 2 * 2**30
    assert facilitator.limits.processes == participant.limits.processes == 256


def test_servers_started_at_once_never_share_a_port(monkeypatch):
    """In a room of 30 two servers were given one port (JupyterHub's own choice, a port free
    at that moment): the second could not start and the hub sent her pages to the first."""
    import asyncio
    import socket
    from types import SimpleNamespace

    from jupyterhub.spawner import LocalProcessSpawner

    from grading.hub import spawner as module
    from tests.helpers.aio import run as run_async

    monkeypatch.setattr(module.HomewardSpawner, "ports", module.PortBook(43200, 43299))

    class NoLimits:
        def prepare(self, name, limits):
            return None

        def release(self, name):
            pass

    started = {}

    async def start(self):  # JupyterHub's start, without the process
        await asyncio.sleep(0)
        started[self.user.name] = self.port
        return ("127.0.0.1", self.port)

    async def stop(self, now=False):
        pass

    monkeypatch.setattr(module.HomewardSpawner, "limiter", classmethod(lambda cls: NoLimits()))
    monkeypatch.setattr(LocalProcessSpawner, "start", start)
    monkeypatch.setattr(LocalProcessSpawner, "stop", stop)

    def spawner(name):
        user = SimpleNamespace(name=name, groups=[SimpleNamespace(name="participants")])
        return module.HomewardSpawner(user=user)

    # something else listens on the first port of the range: it is not given
    with socket.socket() as other:
        other.bind(("127.0.0.1", 43200))
        other.listen()
        room = [spawner(f"p{i:02d}") for i in range(30)]

        async def everyone():
            await asyncio.gather(*(s.start() for s in room))

        run_async(everyone())  # beside Playwright's loop (tests.helpers.aio)
    assert len(set(started.values())) == 30 and 43200 not in started.values()
    # she leaves and comes back: a port that no one else holds
    run_async(room[0].stop())
    assert module.HomewardSpawner.ports.holder(started["p00"]) is None
    run_async(room[0].start())
    assert started["p00"] not in {started[s.user.name] for s in room[1:]}
