"""``python -m grading hub``: the workshop hub's commands (run them as root).

  accounts  make hub accounts and Unix users for the course's participants and the
            facilitators' list; print login cards (PDF) for the new ones
  start     prepare the hub (its Python environment, the lessons, the exchange, the course
            folder's permissions) and run it; ``make workshop`` runs this

The guide: facilitator_guides/workshop_hub.md
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from grading.hub.settings import DEFAULT_STATE, REPO, STATE_VARIABLE, HubSettings

CONFIG_FILE = REPO / "deploy" / "hub" / "jupyterhub_config.py"
LOCK = REPO / "requirements.lock"


class HubError(RuntimeError):
    """Something the facilitator must fix before the hub can run (the message says what)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m grading hub", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course", metavar="PATH", default=None,
                        help="the course directory (default: $HOMEWARD_COURSE or "
                             "~/homeward-course)")
    common.add_argument("--state", metavar="PATH", default=str(DEFAULT_STATE),
                        help=f"the hub's state folder (default: {DEFAULT_STATE})")
    common.add_argument("--home-root", default="/home", metavar="PATH",
                        help="where people's home folders are made (default: /home)")
    common.add_argument("--facilitators-group", default="homeward-facilitators",
                        metavar="GROUP", help="the facilitators' Unix group (default: "
                        "homeward-facilitators)")

    acc = commands.add_parser("accounts", parents=[common],
                              help="make accounts and print login cards")
    acc.add_argument("--facilitators", metavar="FILE.csv",
                     help="the facilitators: columns username, name, sees_names (yes/no)")
    acc.add_argument("--reset", action="append", default=[], metavar="NAME",
                     help="give NAME a new card (a forgotten password); repeat for more")
    acc.add_argument("--cards", metavar="FILE.pdf", default="login-cards.pdf",
                     help="where to write the new login cards (default: login-cards.pdf)")
    acc.add_argument("--address", metavar="URL",
                     help="the hub's address for the cards' QR code (default: the address "
                          "of the last `hub start`)")
    acc.add_argument("--no-unix", action="store_true",
                     help="hub accounts only, no Unix users (a hub on Kubernetes)")

    start = commands.add_parser("start", parents=[common], help="prepare and run the hub")
    start.add_argument("--ip", default="127.0.0.1",
                       help="the address phones in the room use: this machine's address on "
                            "the room's network (default: 127.0.0.1, this machine only)")
    start.add_argument("--port", type=int, default=8000, help="(default: 8000)")
    start.add_argument("--certfile", default="", help="TLS certificate (PEM) for https")
    start.add_argument("--keyfile", default="", help="TLS private key (PEM) for https")
    start.add_argument("--public-host", default="",
                       help="the host name on the cards when it differs from --ip (e.g. the "
                            "name in the TLS certificate)")
    start.add_argument("--memory", default="1G", help="memory per person's server (default 1G)")
    start.add_argument("--facilitator-memory", default="4G",
                       help="memory per facilitator's server (default 4G): she grades there, "
                            "and the sandboxed notebooks share it (2 at once with the default "
                            "1 GB sandbox)")
    start.add_argument("--processes", type=int, default=256,
                       help="processes per person's server (default 256)")
    start.add_argument("--cull-servers-after", type=int, default=3600, metavar="SECONDS",
                       help="stop a server nobody has used for this long (default 3600)")
    start.add_argument("--cull-every", type=int, default=300, metavar="SECONDS")
    start.add_argument("--cull-kernels-after", type=int, default=1200, metavar="SECONDS",
                       help="stop a kernel nobody has used for this long (default 1200)")
    start.add_argument("--activity-interval", type=int, default=300, metavar="SECONDS")
    start.add_argument("--user-env", default="", metavar="PATH",
                       help="the servers' Python environment (default: <state>/env)")
    start.add_argument("--services", default="dashboard,formgrader,simulators,culler",
                       help="hub services to run (default: all four)")
    start.add_argument("--preheat", default="savings", metavar="APPS",
                       help="apps each server keeps a kernel ready for, so they open at once "
                            "(default: savings; about 115 MB per person each; '' for none)")
    start.add_argument("--prerender", default="*", metavar="PATTERN",
                       help="lessons rendered at start for reading without a kernel "
                            "(default: all; e.g. 'economic_empowerment/0*'; '' for none)")
    start.add_argument("--prepare-only", action="store_true",
                       help="prepare everything, print the address, do not run the hub")
    return parser


def _course(path: str | None):
    from grading.course import Course, default_root

    return Course.open(default_root(path))


def accounts_command(args) -> int:
    from grading.course import git_work_tree
    from grading.hub.accounts import (
        AccountStore,
        UnixAccounts,
        make_accounts,
        participants_from_course,
        read_facilitators,
    )
    from grading.hub.cards import login_cards
    from grading.hub.settings import Paths

    cards = Path(args.cards).expanduser().resolve()
    tree = git_work_tree(cards.parent)
    if tree is not None:  # checked before any account is made: its card must not be lost
        raise HubError(f"{cards} is inside the git repository {tree}: login cards hold "
                       "passwords; write them outside it, e.g. --cards /root/login-cards.pdf")
    course = _course(args.course)
    people = participants_from_course(course)
    if args.facilitators:
        people += read_facilitators(args.facilitators)
    paths = Paths(Path(args.state))
    unix = None if args.no_unix else UnixAccounts(Path(args.home_root),
                                                  facilitators_group=args.facilitators_group)
    report = make_accounts(AccountStore(paths.accounts), people, reset=args.reset, unix=unix)
    for line in report.lines():
        print(line)
    if report.cards:
        address = args.address
        if not address:
            try:
                address = HubSettings.load(args.state).public_url
            except FileNotFoundError:
                raise HubError("give the hub's address for the cards with --address (for "
                               "example http://192.168.1.20:8000)") from None
        path = login_cards(report.cards, address, cards)
        print(f"Login cards: {path} ({len(report.cards)} cards; print, cut, hand out; then "
              "delete the file: it holds passwords)")
    return 0


# --- preparing the hub --------------------------------------------------------------------


def readable_by_all(path: Path) -> bool:
    """Whether every user can reach and read ``path`` (each folder above it searchable).

    >>> readable_by_all(Path("/usr/bin/env")), readable_by_all(Path("/root/.profile"))
    (True, False)
    """
    path = Path(os.path.realpath(path))
    for folder in [*reversed(path.parents)]:
        if not os.stat(folder).st_mode & stat.S_IXOTH:
            return False
    try:
        return bool(os.stat(path).st_mode & stat.S_IROTH)
    except OSError:
        return False


def shared_python() -> str:
    """A Python 3.11 every user can run (servers run as their people's users)."""
    candidates = [sys.executable, shutil.which("python3.11") or "", "/usr/bin/python3.11",
                  "/usr/local/bin/python3.11"]
    for candidate in candidates:
        if not candidate or not Path(candidate).exists():
            continue
        real = Path(os.path.realpath(candidate))
        prefix = subprocess.run([str(real), "-c", "import sys; print(sys.base_prefix)"],
                                capture_output=True, text=True).stdout.strip()
        if readable_by_all(real) and prefix and readable_by_all(Path(prefix) / "lib"):
            return str(real)
    raise HubError("no Python 3.11 that every user can run was found (the one in use is in a "
                   "private folder): install it for all users, e.g. apt-get install python3.11")


def _digest(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(Path(path).rglob("*")) if Path(path).is_dir() else [Path(path)]:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(REPO)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def build_user_env(env: Path, log=print) -> Path:
    """The Python environment every server and service runs in, installed from
    ``requirements.lock`` and this repository, readable by all; rebuilt only when the lock or
    the code changed."""
    uv = Path(sys.executable).parent / "uv"
    uv_cmd = [str(uv)] if uv.exists() else [sys.executable, "-m", "uv"]
    stamp = env / ".homeward"
    lock_hash = _digest([LOCK])
    code_hash = _digest([REPO / "widgets", REPO / "grading", REPO / "pyproject.toml"])
    done = stamp.read_text().split() if stamp.exists() else []
    if not (env / "bin" / "python").exists():
        log(f"Making the servers' Python environment in {env} (once; about a minute)")
        subprocess.run([*uv_cmd, "venv", "--quiet", "--python", shared_python(), str(env)],
                       check=True)
    python = str(env / "bin" / "python")
    if not done or done[0] != lock_hash:
        log("Installing the locked packages into the servers' environment")
        subprocess.run([*uv_cmd, "pip", "install", "--quiet", "--link-mode=copy",
                        "--compile-bytecode", "--python", python, "-r", str(LOCK)], check=True)
    if not done or done[0] != lock_hash or done[1] != code_hash:
        subprocess.run([*uv_cmd, "pip", "install", "--quiet", "--link-mode=copy", "--no-deps",
                        "--reinstall-package", "homeward", "--compile-bytecode", "--python",
                        python, str(REPO)], check=True)
    install_pages(env)
    stamp.write_text(f"{lock_hash} {code_hash}\n")
    subprocess.run(["chmod", "-R", "a+rX", str(env)], check=True)
    return env


def install_pages(env: Path) -> Path:
    """The Homeward Voila template into the servers' environment
    (``<env>/share/jupyter/voila/templates/homeward``), where Voila looks for it in every
    person's server and in the dashboard service. Inside the installed package it is not
    found, and every lesson and simulator page in a server, and the dashboard, stopped with
    "TemplateNotFound: index.html.j2" (the page never finished loading)."""
    from widgets.serve import TEMPLATE, TEMPLATE_DIR, check_built

    check_built()
    target = env / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(TEMPLATE_DIR, target)
    subprocess.run(["chmod", "-R", "a+rX", str(target)], check=True)
    return target


def copy_content(target: Path) -> Path:
    """Read-only copies of the lessons and the apps (owned by root, readable by all). The
    lessons' links to the apps (an exercise's answer form) are pointed at her ``apps/``."""
    from grading.hub.config import content_paths
    from widgets.lessons.links import localize_tree

    target.mkdir(parents=True, exist_ok=True)
    os.chmod(target, 0o755)
    sources = content_paths()
    for name, source in sources.items():
        fresh = target / f".{name}.new"
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.copytree(source, fresh, ignore=shutil.ignore_patterns(
            ".ipynb_checkpoints", "__pycache__", "*.pyc"))
        if name == "lessons":  # lessons/<track>/<lesson>.ipynb beside apps/ in her home
            localize_tree(fresh, target / "apps",
                          exists=lambda app: (sources["apps"] / app).is_file())
        subprocess.run(["chmod", "-R", "u=rwX,go=rX", str(fresh)], check=True)
        old = target / name
        if old.exists():
            shutil.rmtree(old)
        fresh.rename(old)
    return target


def share_course(course_root: Path, group: str) -> None:
    """The course folder belongs to the facilitators' group (read and write), and nobody else
    reads it: setgid folders, group-writable files."""
    import grp

    gid = grp.getgrnam(group).gr_gid
    for folder, _dirs, files in os.walk(course_root):
        os.chown(folder, -1, gid)
        os.chmod(folder, (os.stat(folder).st_mode & 0o777 | 0o2770) & ~0o007)
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            os.chown(path, -1, gid)
            os.chmod(path, (os.stat(path).st_mode | 0o660) & ~0o007)


def jupyter_settings(folder: Path, preheat: tuple[str, ...] = ("savings",)) -> dict:
    """The settings of every server (and of the formgrader): Voila's for the apps, as
    ``make serve`` has them (the template's words in every language), Homeward's server
    extension (compressed pages, lessons rendered in advance: :mod:`widgets.serve`), and a
    kernel kept ready in her server for each app in ``preheat`` (:mod:`widgets.pool`).

    >>> import tempfile
    >>> c = jupyter_settings(Path(tempfile.mkdtemp()), ("savings", "business"))
    >>> c["ServerApp"]["kernel_manager_class"], c["PooledKernelManager"]["pooled"]
    ('widgets.pool.PooledKernelManager', ['apps/savings.ipynb', 'apps/business.ipynb'])
    >>> c["ServerApp"]["jpserver_extensions"]
    {'widgets.serve': True}
    >>> c["MappingKernelManager"]
    {'kernel_manager_class': 'widgets.kernels.SocketKernelManager'}
    """
    import json

    from widgets.serve import voila_config

    config = voila_config(standalone=False)
    # her kernels reached through Unix sockets (widgets.kernels): a TCP port chosen for her
    # kernel can be taken by another person's before her kernel starts
    kernels = {"kernel_manager_class": config["MappingKernelManager"]["kernel_manager_class"]}
    settings = {"VoilaConfiguration": dict(config["VoilaConfiguration"]),
                "MappingKernelManager": kernels,
                "ServerApp": {"jpserver_extensions": {"widgets.serve": True}}}
    if preheat:
        settings["ServerApp"]["kernel_manager_class"] = "widgets.pool.PooledKernelManager"
        settings["PooledKernelManager"] = {"pooled": [f"apps/{app}.ipynb" for app in preheat]}
    (folder / "jupyter_server_config.json").write_text(json.dumps(settings, indent=1))
    os.chmod(folder / "jupyter_server_config.json", 0o644)
    return settings


def prerender_lessons(content: Path, pattern: str = "*", log=print):
    """Render the lessons of ``content/lessons`` matching ``pattern`` once, as the course
    site does (:mod:`widgets.prerender`): each person's server then answers a lesson's
    address with its page, without starting a kernel. Unchanged lessons come from the cache
    (``build/page-cache``); a lesson that fails to render is left live."""
    from widgets.prerender import prerender_site

    lessons = sorted(p.relative_to(content).as_posix()
                     for p in (content / "lessons").rglob("*.ipynb")
                     if pattern and p.relative_to(content / "lessons").match(pattern)
                     and ".ipynb_checkpoints" not in p.parts)
    done = prerender_site(content, lessons, log=log)
    subprocess.run(["chmod", "-R", "u=rwX,go=rX", str(content / "prerendered")], check=True)
    for name in ("prerendered.json", "prerendered.code"):
        os.chmod(content / name, 0o644)
    log(f"  {len(done.pages)} lesson pages rendered in advance ({len(done.rendered)} run now, "
        f"{len(done.failed)} left live; {done.seconds:.0f} s)")
    return done


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other than 127.0.0.1 (candidates for ``--ip``)."""
    out = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    return [a for a in out if "." in a and not a.startswith("127.")]


def private_database(path: Path) -> Path:
    """The hub's database (``jupyterhub.sqlite``) holds every account's own password (a bcrypt
    hash) and who belongs to which group: root's only. JupyterHub would create it with the
    usual umask, readable by every participant's server; SQLite gives its journal the same
    mode as the file.

    >>> import tempfile
    >>> db = private_database(Path(tempfile.mkdtemp()) / "jupyterhub.sqlite")
    >>> oct(db.stat().st_mode & 0o777)
    '0o600'
    """
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # empty: SQLite's new database
    os.chmod(path, 0o600)
    return path


def prepare(settings: HubSettings, course, log=print) -> None:
    """Everything the hub needs before it runs (idempotent)."""
    from grading.hub.accounts import UnixAccounts
    from grading.hub.config import grader_user
    from grading.hub.exchange import prepare_exchange, write_nbgrader_config

    if os.geteuid() != 0:
        raise HubError("the hub runs people's servers as their own users: run it as root "
                       "(sudo make workshop)")
    paths = settings.paths
    paths.state.mkdir(parents=True, exist_ok=True)
    os.chmod(paths.state, 0o755)
    paths.logs.mkdir(exist_ok=True)
    private_database(paths.database)
    group = settings.facilitators_group
    unix = UnixAccounts(Path(settings.home_root), facilitators_group=group)
    unix.ensure_group(group)
    unix.service_user(settings.dashboard_user, [group])
    unix.service_user(grader_user(course.course_id), [group])
    unix.service_user(settings.public_user)
    build_user_env(settings.env, log)
    copy_content(paths.content)
    log("Rendering the lessons for reading without a kernel (once; unchanged ones are kept)")
    prerender_lessons(paths.content, settings.prerender, log)
    prepare_exchange(paths.exchange, course.course_id, group)
    paths.jupyter_config.mkdir(parents=True, exist_ok=True)
    for folder in (paths.state / "etc", paths.jupyter_config):
        os.chmod(folder, 0o755)
    write_nbgrader_config(paths.jupyter_config, paths.exchange, course.course_id)
    jupyter_settings(paths.jupyter_config, settings.preheat)
    share_course(course.root, group)
    settings.save()


def memory_summary(settings: HubSettings, course) -> str:
    """The memory each server may use, and why a facilitator's is larger: she grades in her
    server, and the sandboxed notebooks share its limit (:mod:`grading.memory`).

    >>> import tempfile
    >>> from types import SimpleNamespace
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "nbgrader_config.py").write_text("c.SandboxKernelManager.memory_mb = 1024\\n")
    >>> print(memory_summary(HubSettings(state=Path("/s"), course=root), SimpleNamespace(root=root)))
    Memory per server: participants 1G, facilitators 4G. A facilitator grades in her server (python -m grading autograde): 4G holds 2 sandboxed notebooks of 1024 MB at once (1376 MB each with their folders in memory and their worker, beside 512 MB for her server and the batch).
    """
    from grading.batch import sandbox_memory
    from grading.hub.limits import parse_bytes
    from grading.memory import RESERVE_MB, worker_mb, workers_that_fit

    limit = parse_bytes(settings.facilitator_memory_limit)
    memory_mb, folders_mb = sandbox_memory(course)
    need = worker_mb(memory_mb, folders_mb)
    text = (f"Memory per server: participants {settings.memory_limit}, facilitators "
            f"{settings.facilitator_memory_limit}. A facilitator grades in her server "
            "(python -m grading autograde): ")
    if RESERVE_MB + need > limit // 2**20:
        return text + (f"{settings.facilitator_memory_limit} is less than one sandboxed notebook "
                       f"of {memory_mb} MB needs ({need} MB with its folders in memory and its "
                       f"worker, beside {RESERVE_MB} MB); raise --facilitator-memory.")
    count = workers_that_fit(64, limit, memory_mb, folders_mb)
    return text + (f"{settings.facilitator_memory_limit} holds {count} sandboxed notebook"
                   f"{'s' if count > 1 else ''} of {memory_mb} MB at once ({need} MB each with "
                   f"their folders in memory and their worker, beside {RESERVE_MB} MB for her "
                   "server and the batch).")


def service_users(group: str) -> dict[str, str]:
    """The services' Unix users, named after the facilitators' group (so a second hub on the
    same machine, or a test, has its own).

    >>> service_users("homeward-facilitators")
    {'dashboard_user': 'homeward-dashboard', 'public_user': 'homeward-public'}
    >>> service_users("hq7-fac")
    {'dashboard_user': 'hq7-fac-dashboard', 'public_user': 'hq7-fac-public'}
    """
    stem = group.removesuffix("-facilitators")
    return {"dashboard_user": f"{stem}-dashboard", "public_user": f"{stem}-public"}


def start_command(args) -> int:
    course = _course(args.course)
    if bool(args.certfile) != bool(args.keyfile):
        raise HubError("TLS needs both --certfile and --keyfile")
    for name in (args.certfile, args.keyfile):
        if name and not Path(name).is_file():
            raise HubError(f"{name}: no such file")
    settings = HubSettings(
        state=Path(args.state), course=course.root, ip=args.ip, port=args.port,
        certfile=str(Path(args.certfile).resolve()) if args.certfile else "",
        keyfile=str(Path(args.keyfile).resolve()) if args.keyfile else "",
        public_host=args.public_host, home_root=args.home_root, user_env=args.user_env,
        memory_limit=args.memory, facilitator_memory_limit=args.facilitator_memory,
        max_processes=args.processes,
        cull_servers_after=args.cull_servers_after, cull_every=args.cull_every,
        cull_kernels_after=args.cull_kernels_after, activity_interval=args.activity_interval,
        services=tuple(s for s in args.services.split(",") if s),
        preheat=tuple(a for a in args.preheat.split(",") if a), prerender=args.prerender,
        facilitators_group=args.facilitators_group, **service_users(args.facilitators_group))
    from grading.hub.limits import parse_bytes
    from widgets.serve import APPS

    unknown = [a for a in settings.preheat if a not in APPS]
    if unknown:
        raise HubError(f"--preheat: no app named {', '.join(unknown)} (the apps: "
                       f"{', '.join(APPS)})")
    for size in (args.memory, args.facilitator_memory):
        try:
            parse_bytes(size)
        except ValueError:
            raise HubError(f"{size!r} is not a memory size (write it like 1G or 512M)") from None
    prepare(settings, course)
    print(f"\nHomeward workshop hub. Write this address on the board:\n\n    "
          f"{settings.public_url}\n", flush=True)
    print(memory_summary(settings, course), flush=True)
    if settings.ip in ("127.0.0.1", "localhost"):
        others = lan_addresses()
        hint = f" (this machine: {', '.join(others)})" if others else ""
        print("Only this computer can open it. For the phones in the room, start it with "
              f"--ip and this machine's address on the room's network{hint}.", flush=True)
    if not settings.tls and settings.ip not in ("127.0.0.1", "localhost"):
        print("Without TLS, passwords cross the room's network unencrypted: fine on a closed "
              "workshop network, not over the internet (see --certfile/--keyfile).", flush=True)
    if "simulators" in settings.services:
        print(f"Public simulators (no login): {settings.public_url}/services/simulators/",
              flush=True)
    if args.prepare_only:
        return 0
    env = {**os.environ, STATE_VARIABLE: str(settings.state)}
    os.chdir(settings.state)
    os.execve(sys.executable, [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG_FILE)],
              env)
    return 0  # not reached


def main(argv: list[str] | None = None) -> int:
    from grading.course import CourseError
    from grading.hub.accounts import AccountError

    args = _parser().parse_args(argv)
    try:
        return {"accounts": accounts_command, "start": start_command}[args.command](args)
    except (HubError, AccountError, CourseError, FileNotFoundError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as err:
        print(f"error: {' '.join(map(str, err.cmd[:3]))} failed ({err.returncode})",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
