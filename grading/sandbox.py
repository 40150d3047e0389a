"""Every participant's kernel inside bubblewrap: its own folder, no network, hard limits.

nbgrader runs a participant's notebook in a Jupyter kernel with the grader's own permissions
(its FAQ says so, and suggests a container kernel). Homeward starts that kernel inside
bubblewrap (``bwrap``, the sandbox Flatpak is built on: Linux namespaces, not a virtual
machine). Inside, the kernel has:

- a fresh root with, read-only: ``/usr`` (and ``/bin``, ``/lib`` ...), the Python it runs
  (the virtual environment at ``/venv`` and the Python installation it links to), the
  repository's ``widgets`` package (the exercises import it) at ``/homeward/widgets``, and a
  few files of ``/etc``. No course folder, no home directory, no other scratch folder, no
  ``/sys``;
- ``/notebook`` (its working folder): a small memory-backed folder holding a throw-away copy
  of the data files next to the notebook. Never the notebook files themselves: the graded
  notebook holds the hidden tests;
- its own ``/proc`` (only its own processes), ``/dev`` and ``/tmp``; ``/dev/shm`` and
  ``/tmp`` are small memory-backed folders of its own;
- its own network namespace: no network at all, not even the host's ``127.0.0.1``. The kernel
  talks to nbgrader through jupyter_client's ``ipc`` transport: Unix sockets in one folder
  bound at the same path on both sides (nothing else is in it);
- an unprivileged user (see below), no capabilities, ``no_new_privs`` (set-uid programs do
  nothing), its own session (no terminal to push keys into);
- limits (``setrlimit``, set before the kernel starts and impossible to raise): memory
  (address space, :attr:`SandboxKernelManager.memory_mb`, 1 GB by default), processes and
  threads, processor time, the size of any file it writes, no core dumps.

When the notebook is done nbgrader stops the kernel; killing bubblewrap ends its process
namespace, so every process the kernel started dies with it (even one in its own session),
and as the sandbox user has its own user id, any leftover is found and killed by that id.

**The user id.** Run as root (a facilitator's server), bubblewrap sets up the sandbox without a
user namespace and the kernel drops to a user id of its own (``uid_base`` + a slot made of
the grading process's id and the worker's number, :func:`batch_slot`; 2,000,000,000 and up by
default: ids nobody else uses, not even another batch running at the same time), so the
process cap counts only that sandbox's processes and an escape would land on a user that owns
nothing. Run as an ordinary user, bubblewrap makes a user namespace and the kernel is user
65534 inside it.

**Why a kernel manager.** nbgrader 0.9's ``Execute`` is nbclient's ``NotebookClient``, which
makes its kernel with the configurable ``kernel_manager_class``. A
:class:`~jupyter_client.manager.AsyncKernelManager` subclass is the one place that controls
everything a sandbox needs: the command (``bwrap ... python``), where the connection file
and sockets live (``ipc`` transport in the bound folder, since TCP cannot cross the network
namespace), how the kernel is interrupted (a message on the control channel, since a signal
to ``bwrap`` does not reach the kernel) and the clean-up. A kernel provisioner would need its
own kernel spec, which nbgrader overwrites with the source notebook's (``python3``), and a
wrapper kernel spec would change every kernel the facilitator starts, not only grading.
:class:`grading.limits.LimitedExecute` uses this manager when ``sandbox`` is on (the course
configuration turns it on).

>>> limits = Limits(memory_mb=512, processes=32, cpu_seconds=60, file_mb=8)
>>> limits.rlimits()["RLIMIT_AS"]
[536870912, 536870912]
>>> command = bwrap_command(python="/venv/bin/python", run_dir="/tmp/hw-run",
...                         mounts=[("ro", "/opt/py", "/opt/py")], limits=limits,
...                         drop_to=None, data_files=[])
>>> command[:2]
['bwrap', '--unshare-user']
>>> "--unshare-net" in command and "--die-with-parent" in command
True
>>> command[command.index("--chdir") + 1]
'/notebook'
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, List, Unicode, default

#: The repository this package lives in (its ``widgets`` package is bound read-only).
REPO = Path(__file__).resolve().parents[1]
#: Where things are inside the sandbox.
NOTEBOOK_DIR = "/notebook"
VENV_DIR = "/venv"
PACKAGES_DIR = "/homeward"
#: The user inside the sandbox when bubblewrap makes a user namespace (an ordinary user runs it).
NAMESPACE_UID = 65534
#: Root runs each sandbox as its own user: this id plus the worker's number.
DEFAULT_UID_BASE = 2_000_000_000
#: Most data files copied into ``/notebook`` (a submission with more is graded without them).
MAX_DATA_FILES = 200

# Run inside the sandbox as ``python -c LAUNCHER LIMITS ...``: set the limits, drop to the
# sandbox user when started as root, then start the kernel exactly as ``python -m
# ipykernel_launcher`` would. (No file of Homeward is needed inside.)
LAUNCHER = """\
import json, os, resource, sys
settings = json.loads(sys.argv.pop(1))
for name, (soft, hard) in settings["rlimits"].items():
    resource.setrlimit(getattr(resource, name), (soft, hard))
if settings["uid"] is not None:
    os.setgroups([])
    os.setgid(settings["uid"])
    os.setuid(settings["uid"])
    if os.getuid() != settings["uid"] or os.geteuid() != settings["uid"]:
        raise SystemExit("could not drop to the sandbox user")
os.umask(0o077)
sys.argv[0] = "ipykernel_launcher"
import runpy
runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
"""


class SandboxError(RuntimeError):
    """The sandbox cannot run here (the message says why and what to do)."""


@dataclass(frozen=True)
class Limits:
    """What one sandboxed kernel may use.

    ``memory_mb``: address space of each process (a kernel with pandas uses about 250 MB of
    it); ``processes``: processes and threads of the sandbox user together; ``cpu_seconds``:
    processor time of each process; ``file_mb``: the largest file it may write, and the size
    of each of its memory-backed folders (``/notebook``, ``/tmp``, ``/dev/shm``).
    """

    memory_mb: int = 1024
    processes: int = 64
    cpu_seconds: int = 300
    file_mb: int = 64

    def rlimits(self) -> dict[str, list[int]]:
        """The ``setrlimit`` values, soft and hard (the hard one cannot be raised again)."""
        mb = 1024 * 1024
        return {
            "RLIMIT_AS": [self.memory_mb * mb, self.memory_mb * mb],
            "RLIMIT_NPROC": [self.processes, self.processes],
            "RLIMIT_CPU": [self.cpu_seconds, self.cpu_seconds + 5],
            "RLIMIT_FSIZE": [self.file_mb * mb, self.file_mb * mb],
            "RLIMIT_CORE": [0, 0],
            "RLIMIT_NOFILE": [1024, 1024],
        }


def batch_slot(number: int, pid: int | None = None) -> int:
    """A sandbox user number that no other grading process on this machine uses at the same
    time: the grading process's id (unique while it runs) and the worker's number (mod 64).

    Run as root, every sandbox is the user ``uid_base + slot``; the process cap counts that
    user's processes, and the clean-up kills every process of that user. Two batches at once
    (two courses on one machine, two test runs) must never share one, or each would count and
    kill the other's kernels.

    >>> batch_slot(0, pid=100), batch_slot(1, pid=100), batch_slot(0, pid=101)
    (6400, 6401, 6464)
    """
    return ((os.getpid() if pid is None else pid) << 6) | (number & 63)


def bwrap_path() -> str | None:
    """The ``bwrap`` program, if installed (Debian: ``apt-get install bubblewrap``)."""
    return shutil.which("bwrap")


def _host_root_links() -> list[str]:
    """``/bin``, ``/lib`` ... as on the host: a symlink into ``/usr`` or a read-only bind."""
    args = []
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    return args


def _parents(path: str, made: set[str]) -> list[str]:
    """``--dir`` for each missing parent of ``path``, readable by everyone (bubblewrap would
    otherwise copy the host's mode, e.g. ``/root``'s 700)."""
    args = []
    parts = Path(path).parts
    for i in range(2, len(parts)):
        parent = str(Path(*parts[:i]))
        if parent in made or parent in ("/usr", "/tmp", "/dev", "/proc"):
            continue
        made.add(parent)
        args += ["--perms", "0755", "--dir", parent]
    return args


def bwrap_command(*, python: str, run_dir: str, mounts: list[tuple[str, str, str]],
                  limits: Limits, drop_to: int | None,
                  data_files: list[tuple[int, str]], bwrap: str = "bwrap",
                  env: dict[str, str] | None = None) -> list[str]:
    """The ``bwrap`` part of the kernel command (the kernel's own arguments follow it).

    ``mounts``: ``("ro" | "rw", host path, sandbox path)``. ``drop_to``: the user id the
    kernel drops to when bubblewrap runs as root (no user namespace then), or None to make a
    user namespace with user 65534 inside. ``data_files``: ``(open file descriptor, name)``
    copied into ``/notebook``.
    """
    size = str(limits.file_mb * 1024 * 1024)
    command = [bwrap]
    if drop_to is None:
        command += ["--unshare-user", "--uid", str(NAMESPACE_UID), "--gid", str(NAMESPACE_UID),
                    "--disable-userns"]
    else:
        command += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    command += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                "--unshare-cgroup-try", "--die-with-parent", "--new-session",
                "--hostname", "homeward-sandbox",
                "--ro-bind", "/usr", "/usr", *_host_root_links()]
    for name in ("ld.so.cache", "localtime", "fonts", "nsswitch.conf"):
        command += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    command += ["--ro-bind", str(Path(run_dir) / "passwd"), "/etc/passwd",
                "--ro-bind", str(Path(run_dir) / "group"), "/etc/group"]
    made: set[str] = set()
    for kind, host, inside in mounts:
        command += _parents(inside, made)
        command += ["--ro-bind" if kind == "ro" else "--bind", host, inside]
    command += ["--proc", "/proc", "--dev", "/dev",
                "--size", size, "--tmpfs", "/dev/shm",
                "--size", size, "--perms", "1777", "--tmpfs", "/tmp",
                "--size", size, "--perms", "1777", "--tmpfs", NOTEBOOK_DIR]
    made.add(NOTEBOOK_DIR)
    for fd, name in data_files:
        target = f"{NOTEBOOK_DIR}/{name}"
        command += _parents(target, made)
        command += ["--perms", "0666", "--file", str(fd), target]
    command += _parents(run_dir, made)
    command += ["--bind", run_dir, run_dir, "--chdir", NOTEBOOK_DIR, "--clearenv"]
    for key, value in sorted((env or sandbox_env(python)).items()):
        command += ["--setenv", key, value]
    return command


def sandbox_env(python: str) -> dict[str, str]:
    """The kernel's whole environment: nothing of the grader's (no paths, no secrets)."""
    return {
        "HOME": "/tmp", "TMPDIR": "/tmp", "USER": "participant", "LOGNAME": "participant",
        "PATH": f"{Path(python).parent}:/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8", "PYTHONPATH": PACKAGES_DIR, "PYTHONNOUSERSITE": "1",
        "PYTHONDONTWRITEBYTECODE": "1", "MPLCONFIGDIR": "/tmp/matplotlib",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2", "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def python_mounts(packages: list[str] | tuple[str, ...] = ("widgets",)) -> tuple[str, list]:
    """The Python that runs kernels inside, and what to bind read-only for it: the virtual
    environment at ``/venv``, the installation it links to at its own path, and the
    repository's ``packages`` at ``/homeward/<name>``."""
    mounts = []
    base = Path(sys.base_prefix).resolve()
    if not str(base).startswith("/usr/"):
        mounts.append(("ro", str(base), str(base)))
    executable = Path(sys.executable)
    if sys.prefix != sys.base_prefix:
        mounts.append(("ro", str(Path(sys.prefix).resolve()), VENV_DIR))
        python = f"{VENV_DIR}/bin/{executable.name}"
    else:
        python = str(executable.resolve())
    for name in packages:
        folder = REPO / name
        if folder.is_dir():
            mounts.append(("ro", str(folder), f"{PACKAGES_DIR}/{name}"))
    return python, mounts


def data_files(folder: Path, limit_bytes: int) -> list[tuple[Path, str]]:
    """Regular files next to the notebook that the kernel may read: never a notebook (the
    graded one holds the hidden tests), never a link (it could point anywhere on the host),
    nothing hidden, at most :data:`MAX_DATA_FILES` and ``limit_bytes`` in all."""
    chosen, total = [], 0
    if not folder.is_dir():
        return chosen
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                         and not os.path.islink(os.path.join(root, d)))
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(".") or name.endswith(".ipynb"):
                continue
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            total += info.st_size
            if total > limit_bytes or len(chosen) >= MAX_DATA_FILES:
                return chosen
            chosen.append((path, str(path.relative_to(folder))))
    return chosen


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children ...), from ``/proc``."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(text[text.rindex(")") + 2:].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def peak_memory_kb(pids: list[int]) -> int:
    """The largest peak resident memory (``VmHWM``) among ``pids``, in KB."""
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return peak


def processes_of(uid: int) -> list[int]:
    """Process ids running as ``uid`` (from ``/proc``)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    found.append(int(entry))
            except OSError:
                continue
    return found


def kill_user(uid: int, wait: float = 5.0) -> int:
    """Kill every process of ``uid`` (a sandbox user when grading runs as root); return how
    many were left when the sandbox was closed."""
    if uid <= 0 or os.geteuid() != 0:
        return 0
    left = processes_of(uid)
    deadline = time.monotonic() + wait
    pending = list(left)
    while pending and time.monotonic() < deadline:
        for pid in pending:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
        pending = processes_of(uid)
    return len(left)


_CHECKED: dict[tuple, str] = {}


def check_sandbox(packages: tuple[str, ...] = ("widgets",)) -> str:
    """``""`` when a sandboxed kernel can start here, else why not (a sentence).

    Runs the sandbox once with the kernel's Python (importing ``ipykernel``), with the same
    namespaces and user as grading; remembered for the life of the process.
    """
    key = (os.geteuid(), sys.executable, packages)
    if key in _CHECKED:
        return _CHECKED[key]
    bwrap = bwrap_path()
    if bwrap is None:
        _CHECKED[key] = ("bubblewrap (bwrap) is not installed; on Debian or Ubuntu, as root: "
                         "apt-get install bubblewrap (or `make browser`)")
        return _CHECKED[key]
    run_dir = Path(tempfile.mkdtemp(prefix="hw-check-"))
    try:
        drop_to = DEFAULT_UID_BASE + batch_slot(62) if os.geteuid() == 0 else None
        _write_identity(run_dir, drop_to)
        python, mounts = python_mounts(packages)
        command = bwrap_command(python=python, run_dir=str(run_dir), mounts=mounts,
                                limits=Limits(), drop_to=drop_to, data_files=[], bwrap=bwrap)
        settings = json.dumps({"rlimits": Limits().rlimits(), "uid": drop_to})
        probe = LAUNCHER.split("sys.argv[0] =")[0] + "import ipykernel, zmq\nprint('ok')\n"
        try:
            result = subprocess.run([*command, "--", python, "-c", probe, settings],
                                    capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            _CHECKED[key] = f"bubblewrap did not run: {error}"
            return _CHECKED[key]
        if result.returncode != 0 or result.stdout.strip() != "ok":
            detail = (result.stderr.strip().splitlines() or ["no output"])[-1][:200]
            _CHECKED[key] = (f"bubblewrap cannot make the sandbox on this machine ({detail}); "
                             "it needs user namespaces or root")
            return _CHECKED[key]
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
    _CHECKED[key] = ""
    return ""


def _write_identity(run_dir: Path, uid: int | None) -> None:
    """``passwd`` and ``group`` files naming the sandbox user (some libraries look it up)."""
    number = NAMESPACE_UID if uid is None else uid
    (run_dir / "passwd").write_text(
        f"participant:x:{number}:{number}:participant:/tmp:/usr/sbin/nologin\n")
    (run_dir / "group").write_text(f"participant:x:{number}:\n")
    for name in ("passwd", "group"):
        os.chmod(run_dir / name, 0o644)


class SandboxKernelManager(AsyncKernelManager):
    """A Python kernel started inside bubblewrap (see the module text). Configure it in the
    course's ``nbgrader_config.py`` as ``c.SandboxKernelManager.memory_mb = 1024`` etc."""

    memory_mb = Integer(1024, help="Memory (address space) of each kernel process, in MB.") \
        .tag(config=True)
    processes = Integer(64, help="Processes and threads the sandbox user may run.") \
        .tag(config=True)
    cpu_seconds = Integer(300, help="Processor seconds each kernel process may use.") \
        .tag(config=True)
    file_mb = Integer(64, help="Largest file the kernel may write, and the size of each of its "
                               "memory-backed folders, in MB.").tag(config=True)
    uid_base = Integer(DEFAULT_UID_BASE, help="When grading runs as root: the sandbox user is "
                                              "this id plus `slot`.").tag(config=True)
    slot = Integer(help="Root: the sandbox user is uid_base + slot, which no other grading "
                        "process may use at the same time (default: from this process's id, "
                        "see batch_slot).").tag(config=True)
    packages = List(Unicode(), ["widgets"],
                    help="Packages of the repository the kernel may import (read-only).") \
        .tag(config=True)
    run_root = Unicode("", help="Folder for the kernels' socket folders (default: the system's "
                                "temporary folder).").tag(config=True)
    user_namespace = Bool(False, help="Make a user namespace (user 65534 inside) even when run "
                                      "as root, as an ordinary user always gets.") \
        .tag(config=True)

    #: Processes found still running (and killed) when sandboxes closed, since the worker
    #: last reset it: a sign the notebook tried to leave something behind.
    left_behind_total = 0
    #: The largest peak memory of any sandboxed process, in KB, since the worker reset it.
    peak_kb = 0

    @default("slot")
    def _slot_default(self) -> int:
        return batch_slot(63)  # plain `nbgrader autograde` in the course folder

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    @default("shutdown_wait_time")
    def _shutdown_wait_time_default(self) -> float:
        return 1.0  # nothing to save in a throw-away sandbox

    # ------------------------------------------------------------------ set up
    def _limits(self) -> Limits:
        return Limits(memory_mb=self.memory_mb, processes=self.processes,
                      cpu_seconds=self.cpu_seconds, file_mb=self.file_mb)

    @property
    def sandbox_uid(self) -> int | None:
        """The user id the kernel runs as (root only; None in a user namespace)."""
        if os.geteuid() != 0 or self.user_namespace:
            return None
        return self.uid_base + self.slot

    async def _async_pre_start_kernel(self, **kw):
        spec = self.kernel_spec
        if spec is not None and (spec.language or "python").lower() != "python":
            raise SandboxError(f"only Python notebooks can be graded in the sandbox (this one "
                               f"asks for a {spec.language} kernel)")
        bwrap = bwrap_path()
        if bwrap is None:
            raise SandboxError(check_sandbox(tuple(self.packages)))
        self._run_dir = Path(tempfile.mkdtemp(prefix="hwk-", dir=self.run_root or None))
        uid = self.sandbox_uid
        _write_identity(self._run_dir, uid)
        if uid is not None:  # the kernel creates its sockets here, as its own user
            os.chown(self._run_dir, uid, uid)
        self.connection_file = str(self._run_dir / "kernel.json")
        self.ip = str(self._run_dir / "k")
        notebook = Path(kw.pop("cwd", None) or ".")
        limit = self.file_mb * 1024 * 1024
        self._data_fds = []
        files = []
        for path, name in data_files(notebook, limit):
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except OSError:
                continue
            self._data_fds.append(fd)
            files.append((fd, name))
        self._python, self._mounts = python_mounts(tuple(self.packages))
        self._bwrap_args = bwrap_command(
            python=self._python, run_dir=str(self._run_dir), mounts=self._mounts,
            limits=self._limits(), drop_to=uid, data_files=files, bwrap=bwrap)
        self._kernel_spec = KernelSpec(
            argv=[self._python, "-c", LAUNCHER,
                  json.dumps({"rlimits": self._limits().rlimits(), "uid": uid}),
                  "-f", "{connection_file}"],
            display_name="Python 3 (Homeward sandbox)", language="python",
            interrupt_mode="message", env={}, metadata={})
        kw["cwd"] = str(self._run_dir)
        # bubblewrap gets a bare environment (the sandbox's own is set with --setenv), and
        # the kernel's start-up lines go nowhere (the grading worker's stdout is its protocol)
        kw["env"] = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        kw["stdout"] = subprocess.DEVNULL
        return await super()._async_pre_start_kernel(**kw)

    def write_connection_file(self, **kwargs) -> None:
        super().write_connection_file(**kwargs)
        uid = self.sandbox_uid
        if uid is not None and os.path.exists(self.connection_file):
            os.chown(self.connection_file, uid, uid)

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        """``bwrap --args FD -- python ...``: bubblewrap's options come from a file
        descriptor, so the command line the sandbox can read (``/proc/1/cmdline``) names no
        host folder (only the kernel's own command and its socket folder)."""
        path = self._run_dir / "bwrap.args"
        path.write_bytes(b"".join(arg.encode() + b"\0" for arg in self._bwrap_args[1:]))
        fd = os.open(path, os.O_RDONLY)
        path.unlink()
        self._data_fds.append(fd)
        return [self._bwrap_args[0], "--args", str(fd), "--",
                *super().format_kernel_cmd(extra_arguments)]

    async def _async_launch_kernel(self, kernel_cmd, **kw) -> None:
        kw["pass_fds"] = tuple(self._data_fds)
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            for fd in self._data_fds:
                os.close(fd)
            self._data_fds = []

    def seal(self) -> None:
        """Once the kernel is running (its sockets exist), take the socket folder back, so
        the participant's code cannot write files there (root only)."""
        if self.sandbox_uid is not None and getattr(self, "_run_dir", None):
            try:
                os.chown(self._run_dir, 0, 0)
                os.chmod(self._run_dir, 0o755)
            except OSError:
                pass

    # ------------------------------------------------------------------ tear down
    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        """Count what the notebook left running (everything in the sandbox but its init and
        the kernel), then stop it all: killing bubblewrap ends the process namespace."""
        pid = getattr(self.provisioner, "pid", None)
        if pid is not None and not restart:
            inside = descendants(pid)
            self.left_behind = max(0, len(inside) - 2)
            SandboxKernelManager.left_behind_total += self.left_behind
            SandboxKernelManager.peak_kb = max(SandboxKernelManager.peak_kb,
                                               peak_memory_kb(inside))
        await super().shutdown_kernel(now=now, restart=restart)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if restart:
            return
        if self.sandbox_uid:  # root: anything of the sandbox user still there is killed
            kill_user(self.sandbox_uid)
        run_dir = getattr(self, "_run_dir", None)
        if run_dir is not None:
            shutil.rmtree(run_dir, ignore_errors=True)

    def describe(self) -> dict:
        """What the sandbox is (for the batch log and the tests)."""
        return {"uid": self.sandbox_uid, "limits": asdict(self._limits()),
                "python": getattr(self, "_python", None)}
