"""Memory and process limits for each person's server, enforced by the kernel.

Each server (the Jupyter server and every kernel it starts) runs in its own control group with
a memory limit and a process limit: a participant whose notebook takes too much memory loses
that kernel (the kernel's out-of-memory killer acts inside her group only), and a loop that
starts processes stops at her limit; the rest of the room goes on. Both cgroup layouts are
handled:

- cgroup v2 (modern Debian and Ubuntu with systemd): ``/sys/fs/cgroup/homeward/<user>`` with
  ``memory.max``, ``memory.swap.max`` and ``pids.max``;
- cgroup v1 (older systems, some containers and virtual machines): a group named
  ``homeward/<user>`` under the hub's own group in the ``memory`` and ``pids`` hierarchies.

Where neither can be written (no root, a locked-down container), the limits fall back to
``setrlimit``: each process's address space (``RLIMIT_AS``), which limits every process but not
their sum. ``RLIMIT_NPROC`` (processes of her Unix user) is set in every case.
:func:`detect` says which applies; the hub's log says it at start.
"""

from __future__ import annotations

import os
import resource
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
GROUP = "homeward"


@dataclass(frozen=True)
class Limits:
    """The limits of one server: ``memory`` in bytes (0: none) and ``processes``."""

    memory: int = 0
    processes: int = 0


def parse_bytes(text: str | int) -> int:
    """A memory size as people write it.

    >>> parse_bytes("1G"), parse_bytes("512M"), parse_bytes("1.5G"), parse_bytes(2048)
    (1073741824, 536870912, 1610612736, 2048)
    """
    if isinstance(text, int):
        return text
    text = str(text).strip().upper().removesuffix("B")
    units = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def own_cgroups(text: str) -> dict[str, str]:
    """The hub's own cgroup in each hierarchy, from ``/proc/self/cgroup``.

    >>> own_cgroups("4:memory:/process_api/ab\\n8:pids:/\\n0::/user.slice\\n")
    {'memory': '/process_api/ab', 'pids': '/', '': '/user.slice'}
    """
    out = {}
    for line in text.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(","):
                out[controller] = parts[2]
    return out


class Limiter:
    """Puts a person's server in her own control group (or sets rlimits); see the module."""

    def __init__(self, root: Path = CGROUP_ROOT, proc_self: Path = Path("/proc/self/cgroup")):
        self.root = Path(root)
        self.kind = "rlimit"
        self.bases: list[tuple[str, Path]] = []  # (controller, folder); v2: ("", folder)
        try:
            own = own_cgroups(Path(proc_self).read_text())
        except OSError:
            own = {}
        if (self.root / "cgroup.controllers").exists():
            self._try_v2()
        elif (self.root / "memory").is_dir() and (self.root / "pids").is_dir():
            self._try_v1(own)

    def _try_v2(self) -> None:
        base = self.root / GROUP
        try:
            available = (self.root / "cgroup.controllers").read_text().split()
            if not {"memory", "pids"} <= set(available):
                return
            _enable(self.root / "cgroup.subtree_control", ("memory", "pids"))
            base.mkdir(exist_ok=True)
            _enable(base / "cgroup.subtree_control", ("memory", "pids"))
        except OSError:
            return
        self.kind, self.bases = "cgroup v2", [("", base)]

    def _try_v1(self, own: dict[str, str]) -> None:
        bases = []
        try:
            for controller in ("memory", "pids"):
                mine = own.get(controller, "/").lstrip("/")
                base = self.root / controller / mine / GROUP
                base.mkdir(exist_ok=True)
                bases.append((controller, base))
        except OSError:
            return
        self.kind, self.bases = "cgroup v1", bases

    @property
    def enforced(self) -> str:
        """What is enforced, in words, for the hub's log and the guide."""
        if self.kind == "rlimit":
            return ("memory per process (setrlimit RLIMIT_AS) and processes per user "
                    "(RLIMIT_NPROC); no control groups could be written here")
        return (f"memory and processes per server ({self.kind}: {', '.join(str(b) for _c, b in self.bases)}),"
                " and processes per user (RLIMIT_NPROC)")

    def prepare(self, name: str, limits: Limits) -> list[Path]:
        """Make ``name``'s groups with ``limits``; returns the ``cgroup.procs`` files her
        server's first process must join (see :meth:`preexec`)."""
        procs = []
        for controller, base in self.bases:
            group = base / name
            group.mkdir(exist_ok=True)
            if controller == "":  # cgroup v2: one group for both
                _write(group / "memory.max", limits.memory or "max")
                if (group / "memory.swap.max").exists():
                    _write(group / "memory.swap.max", 0)
                _write(group / "pids.max", limits.processes or "max")
            elif controller == "pids":
                _write(group / "pids.max", limits.processes or "max")
            else:
                _write(group / "memory.limit_in_bytes", limits.memory or -1)
                if (group / "memory.memsw.limit_in_bytes").exists():
                    _write(group / "memory.memsw.limit_in_bytes", limits.memory or -1)
            procs.append(group / "cgroup.procs")
        return procs

    def preexec(self, procs: list[Path], limits: Limits):
        """What the new server process does before it becomes its user: join its groups,
        set its rlimits."""
        kind = self.kind

        def join():
            for path in procs:
                with open(path, "w") as handle:
                    handle.write(str(os.getpid()))
            if limits.processes:
                resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
            if kind == "rlimit" and limits.memory:
                resource.setrlimit(resource.RLIMIT_AS, (limits.memory, limits.memory))

        return join

    def memory_used(self, name: str) -> int | None:
        """Bytes used now by ``name``'s server and kernels (None without a memory group)."""
        for _controller, base in self.bases:
            for file in ("memory.current", "memory.usage_in_bytes"):
                path = base / name / file
                if path.exists():
                    return int(path.read_text())
        return None

    def release(self, name: str) -> None:
        """Remove ``name``'s groups once her server has stopped (kept if something still runs
        in them)."""
        for _controller, base in self.bases:
            try:
                (base / name).rmdir()
            except OSError:
                pass


def detect() -> Limiter:
    return Limiter()


def _write(path: Path, value) -> None:
    path.write_text(str(value))


def _enable(path: Path, controllers) -> None:
    present = set(path.read_text().split())
    for controller in controllers:
        if controller not in present:
            path.write_text(f"+{controller}")
