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
  other facilitators (umask 007), since the course folder is theirs together.
"""

from __future__ import annotations

import os
import pwd

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from jupyterhub.traitlets import ByteSpecification
from traitlets import Integer, Unicode

from grading.hub.limits import Limiter, Limits

LINKS = ("lessons", "apps")


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

    async def start(self):
        self.prepare_home()
        self._procs = self.limiter().prepare(self.user.name, self.limits)
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        self.limiter().release(self.user.name)

    def memory_used(self) -> int | None:
        """Bytes her server and kernels use now (for the benchmark and the guide)."""
        return self.limiter().memory_used(self.user.name)
