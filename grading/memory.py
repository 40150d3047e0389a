"""How many grading workers fit in the memory this process may use.

``python -m grading autograde`` grades several notebooks at once (:mod:`grading.batch`), each
in a sandboxed kernel that may use up to ``memory_mb`` of memory (``grading init
--memory-mb``, 1024 by default) plus its three memory-backed folders (``/notebook``, ``/tmp``
and ``/dev/shm``, ``file_mb`` each, 64 by default). On the workshop hub the facilitator runs
it in her own server, whose memory is limited by a control group: the batch, its workers,
their sandboxed kernels, her Jupyter server and her kernel all share that limit. When they
do not fit, the kernel's out-of-memory killer stops one of them: a sandboxed kernel (the
notebook is then listed as broken although it is fine), a worker, or her own server.

So the batch reads the memory limit of its own control group (:func:`cgroup_memory_limit`,
cgroup v2 ``memory.max`` or v1 ``memory.limit_in_bytes``, the smallest of its group and the
groups above it) and grades with no more workers than fit (:func:`workers_that_fit`):

    reserve + workers x (sandbox memory + its folders + one worker process) <= limit

The reserve (:data:`RESERVE_MB`) is for what runs once: her Jupyter server, her kernel and the
batch process. Measured on the project's machine (2 workers, 16 check-in and exercise
notebooks, cgroup v1): the batch process peaked at 172 MB of resident memory, each worker at
123 MB, an honest notebook's sandboxed kernel well under 100 MB; the whole group at 425 MB.
The figures below round these up. A notebook that eats memory can take its whole
``memory_mb``, so that is what each worker is given.

>>> MB = 2**20
>>> workers_that_fit(2, 4096 * MB, sandbox_mb=1024, folders_mb=192)   # the hub's default
2
>>> workers_that_fit(2, 3072 * MB, sandbox_mb=1024, folders_mb=192)
1
>>> workers_that_fit(4, None, sandbox_mb=1024, folders_mb=192)        # no limit: as asked
4
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Memory for what runs once beside the workers: her Jupyter server and kernel (about 100 MB
#: each), the batch process (172 MB measured), with room to spare.
RESERVE_MB = 512
#: One worker process (nbgrader, the scratch gradebook): 123 MB measured, rounded up.
WORKER_MB = 160
#: A limit this large (cgroup v1 writes 2**63 rounded down to a page) means "no limit".
UNLIMITED = 2**60
CGROUP_ROOT = Path("/sys/fs/cgroup")


def _read_limit(path: Path) -> int | None:
    """A cgroup memory limit file's value in bytes; None for "max", a huge value or no file.

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "memory.max"
    >>> _ = f.write_text("max\\n"); _read_limit(f) is None
    True
    >>> _ = f.write_text("3221225472\\n"); _read_limit(f)
    3221225472
    >>> _ = f.write_text("9223372036854771712\\n"); _read_limit(f) is None
    True
    """
    try:
        text = path.read_text().strip()
    except OSError:
        return None
    if not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value < UNLIMITED else None


def _chain(mount: Path, group: str) -> list[Path]:
    """``mount/group`` and each folder above it up to ``mount``, the deepest first."""
    folder = mount / group.strip("/")
    out = []
    while True:
        out.append(folder)
        if folder == mount or mount not in folder.parents:
            return out
        folder = folder.parent


def cgroup_memory_limit(proc_self: Path = Path("/proc/self/cgroup"),
                        root: Path = CGROUP_ROOT) -> int | None:
    """The memory this process and its children may use together, in bytes: the smallest
    limit of its control group and of the groups above it (a parent's limit holds for its
    children too). None when no limit is set or none can be read.

    cgroup v2 (one hierarchy, line ``0::/homeward/rosa``): ``memory.max``; cgroup v1 (line
    ``4:memory:/homeward/rosa``): ``memory/…/memory.limit_in_bytes``. In a container with its
    own cgroup namespace the path is ``/`` and the limit is the container's own.

    >>> import tempfile
    >>> fs = Path(tempfile.mkdtemp())
    >>> (fs / "homeward" / "ana").mkdir(parents=True)
    >>> _ = (fs / "cgroup.controllers").write_text("memory pids")
    >>> _ = (fs / "homeward" / "memory.max").write_text("max")
    >>> _ = (fs / "homeward" / "ana" / "memory.max").write_text(str(4 * 2**30))
    >>> own = fs / "self-cgroup"
    >>> _ = own.write_text("0::/homeward/ana\\n")
    >>> cgroup_memory_limit(own, fs) / 2**30
    4.0
    >>> _ = own.write_text("0::/\\n")
    >>> cgroup_memory_limit(own, fs) is None
    True
    """
    try:
        lines = Path(proc_self).read_text().splitlines()
    except OSError:
        return None
    groups: dict[str, str] = {}
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(","):
                groups[controller] = parts[2]
    root = Path(root)
    candidates: list[Path] = []
    if "memory" in groups:  # cgroup v1
        mount = root / "memory"
        candidates = [f / "memory.limit_in_bytes" for f in _chain(mount, groups["memory"])]
    elif "" in groups and (root / "cgroup.controllers").exists():  # cgroup v2
        candidates = [f / "memory.max" for f in _chain(root, groups[""])]
    limits = [value for value in map(_read_limit, candidates) if value is not None]
    return min(limits) if limits else None


def worker_mb(sandbox_mb: int, folders_mb: int = 0) -> int:
    """The memory one worker may need at most: its sandboxed kernel, the kernel's folders in
    memory, and the worker process itself.

    >>> worker_mb(1024, 192)
    1376
    """
    return sandbox_mb + folders_mb + WORKER_MB


def workers_that_fit(wanted: int, limit_bytes: int | None, sandbox_mb: int,
                     folders_mb: int = 0, reserve_mb: int = RESERVE_MB) -> int:
    """The most workers, up to ``wanted``, whose worst case fits in ``limit_bytes`` beside the
    reserve (see the module); at least 1, even when one does not fit (grading one at a time
    is the least it can do; :func:`plan_workers` says so). No limit: ``wanted``.

    >>> MB = 2**20
    >>> [workers_that_fit(8, gb * 1024 * MB, 1024, 192) for gb in (1, 2, 3, 4, 6, 8)]
    [1, 1, 1, 2, 4, 5]
    >>> workers_that_fit(2, 1536 * MB, sandbox_mb=256)   # a smaller sandbox fits twice
    2
    >>> workers_that_fit(0, None, 1024)
    1
    """
    wanted = max(1, int(wanted))
    if limit_bytes is None:
        return wanted
    room_mb = limit_bytes // 2**20 - reserve_mb
    return max(1, min(wanted, room_mb // worker_mb(sandbox_mb, folders_mb)))


def gigabytes(n_bytes: int) -> str:
    """A size in bytes as the facilitator reads it.

    >>> gigabytes(4 * 2**30), gigabytes(1536 * 2**20)
    ('4.0 GB', '1.5 GB')
    """
    return f"{n_bytes / 2**30:.1f} GB"


@dataclass(frozen=True)
class WorkerPlan:
    """How many workers a batch uses, and the one line that says why when it is fewer than
    asked for (``note`` is empty otherwise)."""

    workers: int
    wanted: int
    limit: int | None
    note: str

    @property
    def line(self) -> str:
        """The line the facilitator reads when the batch starts.

        >>> plan_workers(2, 1024, 192, limit=4 * 2**30).line
        'Grading with 2 workers (this server may use 4.0 GB of memory).'
        >>> plan_workers(1, 1024, read_limit=lambda: None).line
        'Grading with 1 worker.'
        """
        if self.note:
            return self.note
        count = f"{self.workers} worker{'s' if self.workers > 1 else ''}"
        if self.limit is None:
            return f"Grading with {count}."
        return f"Grading with {count} (this server may use {gigabytes(self.limit)} of memory)."


def plan_workers(wanted: int, sandbox_mb: int, folders_mb: int = 0,
                 limit: int | None = None, read_limit=None) -> WorkerPlan:
    """The workers for a batch that wants ``wanted`` of them, in the memory limit ``limit``
    (default: ``read_limit()``, else this process's control group's,
    :func:`cgroup_memory_limit`).

    >>> MB = 2**20
    >>> plan_workers(2, 1024, 192, limit=4096 * MB).note
    ''
    >>> print(plan_workers(2, 1024, 192, limit=3072 * MB).note)
    Grading with 1 worker, not 2: this server may use 3.0 GB of memory, and each worker needs up to 1376 MB (its sandboxed notebook 1024 MB, its folders in memory 192 MB, the worker 160 MB) beside 512 MB for the rest.
    >>> print(plan_workers(2, 1024, 192, limit=1024 * MB).note)
    Grading with 1 worker: this server may use 1.0 GB of memory, less than one worker needs (1376 MB, beside 512 MB for the rest); a notebook that uses all its memory can stop the batch or this server. Give facilitators more memory (python -m grading hub start --facilitator-memory 4G) or the sandbox less (grading init --memory-mb).
    >>> plan_workers(3, 1024, 192, limit=None, read_limit=lambda: None).workers
    3
    """
    if limit is None:
        limit = (read_limit or cgroup_memory_limit)()
    wanted = max(1, int(wanted))
    workers = workers_that_fit(wanted, limit, sandbox_mb, folders_mb)
    need = worker_mb(sandbox_mb, folders_mb)
    note = ""
    if limit is not None and RESERVE_MB + need > limit // 2**20:
        note = (f"Grading with 1 worker: this server may use {gigabytes(limit)} of memory, less "
                f"than one worker needs ({need} MB, beside {RESERVE_MB} MB for the rest); a "
                "notebook that uses all its memory can stop the batch or this server. Give "
                "facilitators more memory (python -m grading hub start --facilitator-memory "
                "4G) or the sandbox less (grading init --memory-mb).")
    elif workers < wanted:
        note = (f"Grading with {workers} worker{'s' if workers > 1 else ''}, not {wanted}: "
                f"this server may use {gigabytes(limit)} of memory, and each worker needs up "
                f"to {need} MB (its sandboxed notebook {sandbox_mb} MB, its folders in memory "
                f"{folders_mb} MB, the worker {WORKER_MB} MB) beside {RESERVE_MB} MB for the "
                "rest.")
    return WorkerPlan(workers, wanted, limit, note)
