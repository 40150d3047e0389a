"""Where the workshop hub keeps its state, and how it is started.

Everything the hub needs between starts lives in one state folder (``/srv/homeward`` unless
told otherwise; back it up with the course):

============================  ==========================================================
``hub.json``                  these settings (written by ``python -m grading hub start``)
``accounts.json``             accounts and card password hashes (root only)
``jupyterhub.sqlite``         the hub's database: users, groups, own passwords (bcrypt)
``jupyterhub_cookie_secret``  keeps people logged in across a restart (root only)
``exchange/``                 nbgrader's exchange: released assignments, submissions
``etc/jupyter/``              nbgrader and Voila settings every server and service reads
``content/``                  read-only copies of the lessons and the simulators, and the
                              lessons' pages rendered in advance (``prerendered/``)
``env/``                      the Python environment servers run in (readable by all)
``logs/``                     the hub's log
============================  ==========================================================

>>> s = HubSettings(state=Path("/srv/homeward"), course=Path("/srv/course"), ip="192.168.1.20")
>>> s.public_url, s.paths.exchange
('http://192.168.1.20:8000', PosixPath('/srv/homeward/exchange'))
>>> HubSettings(state=Path("/s"), course=Path("/c"), ip="0.0.0.0", port=443,
...             certfile="c.pem", keyfile="k.pem", public_host="hub.example.org").public_url
'https://hub.example.org'
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_STATE = Path("/srv/homeward")
SETTINGS_FILE = "hub.json"
#: The environment variable that tells ``deploy/hub/jupyterhub_config.py`` the state folder.
STATE_VARIABLE = "HOMEWARD_HUB_STATE"


@dataclass(frozen=True)
class Paths:
    state: Path

    @property
    def settings(self) -> Path:
        return self.state / SETTINGS_FILE

    @property
    def accounts(self) -> Path:
        return self.state / "accounts.json"

    @property
    def database(self) -> Path:
        return self.state / "jupyterhub.sqlite"

    @property
    def cookie_secret(self) -> Path:
        return self.state / "jupyterhub_cookie_secret"

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def jupyter_config(self) -> Path:
        return self.state / "etc" / "jupyter"

    @property
    def content(self) -> Path:
        return self.state / "content"

    @property
    def logs(self) -> Path:
        return self.state / "logs"

    @property
    def env(self) -> Path:
        return self.state / "env"


@dataclass(frozen=True)
class HubSettings:
    """How the hub runs. Times are seconds, sizes bytes or ``"1G"``-style strings."""

    state: Path
    course: Path
    ip: str = "127.0.0.1"
    port: int = 8000
    certfile: str = ""
    keyfile: str = ""
    public_host: str = ""  # the name on the cards when it is not the address (TLS certificate)
    home_root: str = "/home"
    user_env: str = ""  # the Python environment of the servers (default: <state>/env)
    memory_limit: str = "1G"  # per person's server, kernels included
    #: per facilitator's server: she grades there (``python -m grading autograde``), and the
    #: sandboxed notebooks and their workers share her server's limit (grading.memory); 4G
    #: holds 2 workers with the default 1 GB sandbox
    facilitator_memory_limit: str = "4G"
    max_processes: int = 256
    cull_servers_after: int = 3600  # stop a server nobody has used for this long
    cull_every: int = 300
    cull_kernels_after: int = 1200  # stop a kernel nobody has used for this long
    activity_interval: int = 300  # how often the hub asks the proxy who is active
    public_kernels_total: int = 30  # public simulators: kernels on the machine at once
    public_kernels_per_visitor: int = 2
    services: tuple[str, ...] = ("dashboard", "formgrader", "simulators", "culler")
    #: the apps each server keeps a kernel ready for (widgets.pool): one kernel each, per
    #: person, about 115 MB
    preheat: tuple[str, ...] = ("savings",)
    #: the lessons rendered in advance at start (a pattern under lessons/, e.g.
    #: ``economic_empowerment/0*``; "" for none): read without a kernel (widgets.prerender)
    prerender: str = "*"
    facilitators_group: str = "homeward-facilitators"  # Unix group: the course and the inbox
    dashboard_user: str = "homeward-dashboard"  # Unix user of the dashboard service
    public_user: str = "homeward-public"  # Unix user of the public simulators
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "state", Path(self.state))
        object.__setattr__(self, "course", Path(self.course))
        object.__setattr__(self, "services", tuple(self.services))
        object.__setattr__(self, "preheat", tuple(self.preheat))

    @property
    def paths(self) -> Paths:
        return Paths(self.state)

    @property
    def tls(self) -> bool:
        return bool(self.certfile and self.keyfile)

    @property
    def env(self) -> Path:
        return Path(self.user_env) if self.user_env else self.paths.env

    @property
    def public_url(self) -> str:
        """The address to write on the board and print on the cards."""
        scheme = "https" if self.tls else "http"
        host = self.public_host or self.ip
        default = 443 if self.tls else 80
        return f"{scheme}://{host}" + ("" if self.port == default else f":{self.port}")

    def save(self) -> Path:
        path = self.paths.settings
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {k: (str(v) if isinstance(v, Path) else list(v) if isinstance(v, tuple) else v)
                for k, v in asdict(self).items()}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.chmod(tmp, 0o600)
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, state: str | os.PathLike) -> HubSettings:
        path = Paths(Path(state)).settings
        if not path.exists():
            raise FileNotFoundError(f"{path}: no hub settings; start the hub with "
                                    "`python -m grading hub start` (or `make workshop`)")
        data = json.loads(path.read_text())
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})
