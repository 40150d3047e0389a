"""The workshop hub's JupyterHub configuration, built from :class:`HubSettings`.

:func:`hub_config` returns plain data (a dict of traitlets sections: ``JupyterHub``,
``Authenticator``, ``Spawner``, ...); ``deploy/hub/jupyterhub_config.py`` loads it into
JupyterHub's config object. The roles and groups are the same on Kubernetes
(``deploy/kubernetes/``), so :func:`roles` is shared.

Who can do what (JupyterHub RBAC):

- everyone: her own server (``self``);
- the course's nbgrader group ``nbgrader-<course>`` (participants and facilitators): find the
  course (``list:services``, ``read:services!service=<course>``) for nbgrader's assignment list;
- ``formgrade-<course>`` (facilitators): the course service, nbgrader's formgrader;
- ``facilitators``: the mentoring dashboard (``access:services!service=mentoring``), the hub's
  admin page for participants' servers (see who is active, stop a stuck server), never
  access to a participant's server or files;
- the idle culler: read activity and stop idle servers.

>>> names = {r["name"]: r for r in roles("homeward")}
>>> names["facilitator"]["scopes"][:1], names["facilitator"]["groups"]
(['access:services!service=mentoring'], ['facilitators'])
>>> any("access:servers" in s for r in roles("homeward") for s in r["scopes"])
False
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from grading.hub.limits import parse_bytes
from grading.hub.settings import REPO, STATE_VARIABLE, HubSettings

DASHBOARD = "mentoring"
SIMULATORS = "simulators"
CULLER = "idle-culler"
TEMPLATES = REPO / "deploy" / "hub" / "templates"
PROXY = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
#: Seconds the hub waits for each of its own services (dashboard, formgrader, simulators) to
#: answer when it starts. JupyterHub's default, 30 s, is too short for a busy or cheap laptop:
#: the formgrader (a whole Jupyter server) took longer here under load, and the hub then
#: stops with "Cannot connect to ... service" instead of starting.
SERVICE_START_SECONDS = 180
#: What a server's own API token may do: report activity, be reached, and read its owner's
#: name and groups (nbgrader's JupyterHub plugin reads the groups to find her courses).
SERVER_TOKEN_SCOPES = ["users:activity!user", "access:servers!server", "read:users:name!user",
                       "read:users:groups!user", "list:services", "read:services"]


def grader_user(course_id: str) -> str:
    """The Unix and hub user the course service (formgrader) runs as: ``grader-<course>``."""
    return f"grader-{course_id}"


def roles(course_id: str, services=("culler", "formgrader")) -> list[dict]:
    """The hub's roles (see the module); a service's own role only when it runs."""
    out = [
        {"name": "facilitator", "groups": ["facilitators"],
         "description": "Mentoring dashboard and the participants' server list",
         "scopes": [f"access:services!service={DASHBOARD}", "list:services", "read:services",
                    "admin-ui", "list:users", "read:users", "read:users:activity",
                    "read:servers", "servers!group=participants"]},
        {"name": f"nbgrader-{course_id}", "groups": [f"nbgrader-{course_id}"],
         "description": "Fetch and submit the course's assignments",
         "scopes": ["list:services", f"read:services!service={course_id}"]},
        {"name": f"formgrade-{course_id}", "groups": [f"formgrade-{course_id}"],
         "description": "nbgrader's formgrader for the course",
         "scopes": [f"access:services!service={course_id}"]},
    ]
    if "culler" in services:
        out.append({"name": CULLER, "services": [CULLER],
                    "description": "Stop servers nobody uses",
                    "scopes": ["list:users", "read:users:activity", "read:servers",
                               "delete:servers"]})
    if "formgrader" in services:
        out.append({"name": "course-service", "services": [course_id],
                    "description": "nbgrader's course service reads who is in the course",
                    "scopes": ["list:users", "read:users", "read:groups"]})
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def user_path(settings: HubSettings) -> str:
    return f"{settings.env / 'bin'}:/usr/local/bin:/usr/bin:/bin"


def services(settings: HubSettings, course_id: str, ports: dict[str, int]) -> list[dict]:
    """The hub-managed services named in ``settings.services``."""
    env_python = str(settings.env / "bin" / "python")
    jupyter_env = {"JUPYTER_CONFIG_PATH": str(settings.paths.jupyter_config),
                   "PATH": user_path(settings), STATE_VARIABLE: str(settings.state)}
    out = []
    if "culler" in settings.services:
        out.append({"name": CULLER, "environment": {STATE_VARIABLE: str(settings.state)},
                    "command": [
            sys.executable, "-m", "jupyterhub_idle_culler",
            f"--timeout={settings.cull_servers_after}", f"--cull-every={settings.cull_every}"]})
    if "dashboard" in settings.services:
        out.append({
            "name": DASHBOARD, "display": True, "info": {"title": "Mentoring dashboard"},
            "url": f"http://127.0.0.1:{ports[DASHBOARD]}", "oauth_no_confirm": True,
            "timeout": SERVICE_START_SECONDS,
            "user": settings.dashboard_user, "cwd": str(settings.paths.content),
            "command": [env_python, "-m", "grading.hub.dashboard"],
            "environment": {**jupyter_env, "HOMEWARD_COURSE": str(settings.course),
                            "HOMEWARD_DASHBOARD_HUB": "1",
                            "HOMEWARD_DASHBOARD_APP": str(settings.paths.content / "apps"
                                                          / "mentoring.ipynb")}})
    if "formgrader" in settings.services:
        out.append({
            "name": course_id, "display": True, "info": {"title": "Formgrader (nbgrader)"},
            "url": f"http://127.0.0.1:{ports['formgrader']}", "oauth_no_confirm": True,
            "timeout": SERVICE_START_SECONDS,
            "user": grader_user(course_id), "cwd": str(settings.course),
            "command": [str(settings.env / "bin" / "jupyterhub-singleuser")],
            "environment": {**jupyter_env, "JUPYTERHUB_DEFAULT_URL": "/formgrader"}})
    if "simulators" in settings.services:
        out.append({
            "name": SIMULATORS, "display": True, "info": {"title": "Simulators (public)"},
            "url": f"http://127.0.0.1:{ports[SIMULATORS]}", "user": settings.public_user,
            "timeout": SERVICE_START_SECONDS,
            "cwd": str(settings.paths.content),
            "command": [env_python, "-m", "widgets.serve", "--public",
                        f"--apps={settings.paths.content / 'apps'}",
                        f"--port={ports[SIMULATORS]}",
                        f"--base-url=/services/{SIMULATORS}/",
                        f"--max-kernels={settings.public_kernels_total}",
                        f"--kernels-per-visitor={settings.public_kernels_per_visitor}"],
            "environment": {"PATH": user_path(settings), STATE_VARIABLE: str(settings.state)}})
    return out


def hub_config(settings: HubSettings, course_id: str,
               ports: dict[str, int] | None = None) -> dict[str, dict]:
    """The whole configuration, as traitlets sections (see the module)."""
    ports = ports or {name: free_port() for name in ("hub", "proxy_api", DASHBOARD,
                                                      "formgrader", SIMULATORS)}
    paths = settings.paths
    hub = {
        "ip": settings.ip, "port": settings.port, "hub_ip": "127.0.0.1",
        "hub_port": ports["hub"], "db_url": f"sqlite:///{paths.database}",
        "cookie_secret_file": str(paths.cookie_secret),
        "authenticator_class": "grading.hub.auth.HomewardAuthenticator",
        "spawner_class": "grading.hub.spawner.HomewardSpawner",
        "template_paths": [str(TEMPLATES)],
        "services": services(settings, course_id, ports),
        "load_roles": roles(course_id, settings.services),
        "last_activity_interval": settings.activity_interval,
        "redirect_to_server": True,
        "allow_named_servers": False,
    }
    if settings.tls:
        hub["ssl_cert"], hub["ssl_key"] = settings.certfile, settings.keyfile
    spawner = {
        "cmd": [str(settings.env / "bin" / "jupyterhub-singleuser")],
        "default_url": "/lab",
        "mem_limit": parse_bytes(settings.memory_limit),
        "environment": {"JUPYTER_CONFIG_PATH": str(paths.jupyter_config),
                        "PATH": user_path(settings),
                        # her lessons' pages, rendered at start (widgets.serve, prerender)
                        **({"HOMEWARD_PAGES": str(paths.content)} if settings.prerender else {}),
                        # a server reports her use (a busy kernel too) this often
                        "JUPYTERHUB_ACTIVITY_INTERVAL": str(settings.activity_interval)},
        "args": [f"--MappingKernelManager.cull_idle_timeout={settings.cull_kernels_after}",
                 f"--MappingKernelManager.cull_interval={max(10, settings.cull_kernels_after // 4)}",
                 "--MappingKernelManager.cull_connected=True"],
        "server_token_scopes": SERVER_TOKEN_SCOPES,
        "http_timeout": 90, "start_timeout": 180,
    }
    return {
        "JupyterHub": hub,
        "ConfigurableHTTPProxy": {"command": [str(PROXY)],
                                  "api_url": f"http://127.0.0.1:{ports['proxy_api']}"},
        "Authenticator": {"admin_users": set(), "allowed_users": {grader_user(course_id)}},
        "HomewardAuthenticator": {"accounts_file": str(paths.accounts), "course_id": course_id},
        "Spawner": spawner,
        "HomewardSpawner": {"content_dir": str(paths.content),
                            "max_processes": settings.max_processes,
                            "facilitator_mem_limit": parse_bytes(
                                settings.facilitator_memory_limit)},
    }


def apply(c, config: dict[str, dict]) -> None:
    """Load :func:`hub_config`'s sections into JupyterHub's config object ``c``."""
    for section, values in config.items():
        for key, value in values.items():
            setattr(getattr(c, section), key, value)


def content_paths() -> dict[str, Path]:
    """What ``content/`` copies from the repository: the lessons and the apps."""
    return {"lessons": REPO / "modules", "apps": REPO / "widgets" / "apps"}
