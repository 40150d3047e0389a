"""Each person's server as her own Unix user, with the lessons beside her files and limits
the kernel enforces.

:class:`HomewardSpawner` is JupyterHub's ``LocalProcessSpawner`` (the server is a local
process started as the Unix user of the same name, made by ``python -m grading hub
accounts``) plus:

- her home folder gets ``lessons`` and ``apps``: links to read-only copies of the course's
  lessons and the simulators (owned by root: she can open and run them, not change them);
- her server joins its own control group with a memory and a process limit
  (:mod:`grading.hub.limits`); the group is removed when the server stops. A facilitator's
  server gets its own, larger memory limit (``facilitator_mem_limit``): she grades there,
  and the sandboxed notebooks of ``python -m grading autograde`` share her server's limit
  (:mod:`grading.memory`);
- a participant's new files are hers alone (umask 077); a facilitator's are shared with the
  other facilitators (umask 007), since the course folder is theirs together;
- each server gets a port no other server of this hub holds (:class:`PortBook`). JupyterHub's
  own choice (a port the system calls free at that moment) gave two servers started at the
  same moment the same port in a room of 30 (the load benchmark): the second server could not
  start, and the hub, finding the first one answering there, sent her pages to another
  person's server.
"""

from __future__ import annotations

import os
import pwd
import socket

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.traitlets import ByteSpecification
from traitlets import Integer, Unicode

from grading.hub.limits import Limiter, Limits

LINKS = ("lessons", "apps")


class PortBook:
    """The ports of one hub's servers: a port is given to one server at a time, the lowest
    in ``first``..``last`` that no server of this hub holds and that nothing else listens on.
    The range lies below the ports Linux gives to outgoing connections (32768 and up).

    >>> book = PortBook(43100, 43109)
    >>> ana, budi = book.take("ana", "127.0.0.1"), book.take("budi", "127.0.0.1")
    >>> ana != budi and {ana, budi} <= set(range(43100, 43110))
    True
    >>> book.take("ana", "127.0.0.1") == ana  # her server again: her port is free for her
    True
    >>> book.release("ana"); book.holder(ana) is None
    True
    """

    def __init__(self, first: int = 20000, last: int = 29999):
        self.first, self.last = first, last
        self.given: dict[str, int] = {}

    def holder(self, port: int) -> str | None:
        return next((owner for owner, held in self.given.items() if held == port), None)

    def take(self, owner: str, ip: str) -> int:
        """A port for ``owner``'s server (hers from before if still free)."""
        self.release(owner)
        held = set(self.given.values())
        for port in range(self.first, self.last + 1):
            if port not in held and _free(ip, port):
                self.given[owner] = port
                return port
        raise RuntimeError(f"no free port for a server between {self.first} and {self.last}")

    def release(self, owner: str) -> None:
        self.given.pop(owner, None)


def _free(ip: str, port: int) -> bool:
    """Nothing listens on ``ip:port`` now (a server can bind it)."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Tornado binds
        try:
            probe.bind((ip, port))
        except OSError:
            return False
    return True


class HomewardSpawner(LocalProcessSpawner):
    """See the module. ``mem_limit`` (JupyterHub's own setting) is enforced here."""

    content_dir = Unicode(help="folder with the read-only lessons/ and apps/").tag(config=True)
    max_processes = Integer(256, help="processes (and threads) one server may run").tag(
        config=True)
    facilitator_mem_limit = ByteSpecification(
        None, allow_none=True,
        help="memory of a facilitator's server (default: mem_limit, as everyone's)").tag(
        config=True)

    _limiter: Limiter | None = None
    #: Shared by every server of the hub (one hub process).
    ports = PortBook()

    @classmethod
    def limiter(cls) -> Limiter:
        if cls._limiter is None:
            cls._limiter = Limiter()
        return cls._limiter

    @property
    def memory_limit(self) -> int:
        """Bytes her server may use: a facilitator's own limit, else ``mem_limit``."""
        if self.facilitator and self.facilitator_mem_limit:
            return int(self.facilitator_mem_limit)
        return int(self.mem_limit or 0)

    @property
    def limits(self) -> Limits:
        return Limits(memory=self.memory_limit, processes=self.max_processes)

    def get_env(self):
        env = super().get_env()
        if self.memory_limit:  # what her server shows as its memory (MEM_LIMIT)
            env["MEM_LIMIT"] = str(self.memory_limit)
        return env

    @property
    def facilitator(self) -> bool:
        return any(group.name == "facilitators" for group in self.user.groups)

    def prepare_home(self) -> None:
        """Links to the lessons and apps in her home folder (made as root, owned by her)."""
        if not self.content_dir:
            return
        entry = pwd.getpwnam(self.user.name)
        for name in LINKS:
            link, target = os.path.join(entry.pw_dir, name), os.path.join(self.content_dir, name)
            if os.path.islink(link) and os.readlink(link) == target:
                continue
            if os.path.lexists(link):
                continue  # something of hers with that name: leave it
            os.symlink(target, link)
            os.lchown(link, entry.pw_uid, entry.pw_gid)

    def make_preexec_fn(self, name):
        become_user = set_user_setuid(name)
        join = self.limiter().preexec(self._procs, self.limits)
        umask = 0o007 if self.facilitator else 0o077

        def preexec():
            join()
            os.umask(umask)
            become_user()

        return preexec

    @property
    def _port_owner(self) -> str:
        return f"{self.user.name}/{self.name}"

    async def start(self):
        self.prepare_home()
        self.port = self.ports.take(self._port_owner, self.ip or "127.0.0.1")
        self._procs = self.limiter().prepare(self.user.name, self.limits)
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        self.limiter().release(self.user.name)
        self.ports.release(self._port_owner)

    def memory_used(self) -> int | None:
        """Bytes her server and kernels use now (for the benchmark and the guide)."""
        return self.limiter().memory_used(self.user.name)
