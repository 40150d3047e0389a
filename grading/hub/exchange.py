"""nbgrader's exchange on the workshop hub: one folder everyone's server reaches, a collect that
refuses a submission filed under someone else's name, and a hand-in a form app can call.

The exchange is nbgrader's own (``nbgrader release_assignment`` / ``fetch`` / ``submit`` /
``collect``), in its multi-user layout: the facilitators' Unix group owns it, participants can
put a submission in ``inbound/`` but cannot list or read anyone else's
(:func:`prepare_exchange`). nbgrader files a submission under the Unix user that made it
(its ``get_username``), and on this hub the Unix user has the participant's id as its name,
so a submission carries the hub user as the participant id.

A participant could still type ``nbgrader submit --student someone-else``. nbgrader's collect
only warns when the name on a submission is not its owner's; :class:`OwnerCheckedCollect`
refuses it: the submission stays in the exchange, is never collected or graded, and the
collect says so (``REJECTED ...``). Submissions from ids that are not on the participants list
are refused by ``python -m grading collect`` (:meth:`grading.course.Course.collect`).

A form app running in her own server (as her Unix user) hands her notebook in with
:func:`submit`, the same code path as the Submit button of nbgrader's assignment list::

    from grading.hub.exchange import submit
    submit("checkin_m03")   # ~/homeward/checkin_m03 -> the exchange, as the logged-in user
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect

#: nbgrader settings every server and service on the hub reads (``JUPYTER_CONFIG_PATH``).
NBGRADER_CONFIG = """\
# Written by `python -m grading hub start`: nbgrader on the Homeward workshop hub.
from nbgrader.auth import JupyterHubAuthPlugin

c = get_config()  # noqa: F821
c.Exchange.root = {exchange!r}
c.Exchange.path_includes_course = True
c.Exchange.timezone = "UTC"
c.Authenticator.plugin_class = JupyterHubAuthPlugin
c.CourseDirectory.course_id = {course_id!r}
# Facilitators share the course folder and the exchange through their Unix group.
c.CourseDirectory.groupshared = True
c.ExchangeFactory.collect = "grading.hub.exchange.OwnerCheckedCollect"
"""


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's collect, except that a submission whose name is not its owner's (the Unix
    user that wrote it) is refused, not merely warned about."""

    rejected: list[tuple[str, str]]

    def init_src(self):
        super().init_src()
        kept, self.rejected = [], []
        for record in self.src_records:
            path = os.path.join(self.inbound_path, record["filename"])
            owner = owner_name(path)
            if owner == record["username"]:
                kept.append(record)
            else:
                self.rejected.append((record["username"], owner))
                self.log.error(
                    "REJECTED %s %s: filed as %s but made by the Unix user %s; left in the "
                    "exchange, not collected", record["username"], self.coursedir.assignment_id,
                    record["username"], owner)
        self.src_records = kept


def owner_name(path: str | os.PathLike) -> str:
    """The name of the Unix user that owns ``path`` (its uid when it has no name)."""
    uid = os.stat(path).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def prepare_exchange(root: str | os.PathLike, course_id: str, group: str) -> Path:
    """Make the exchange folders with the modes nbgrader's shared (``groupshared``) layout
    expects, owned by root and the facilitators' ``group``:

    - the root: everyone may make a course folder (nbgrader asks for 0777), sticky so nobody
      removes another's;
    - ``<course>`` and ``outbound``: facilitators write, everyone reads;
    - ``inbound``: everyone may hand in, only facilitators list and read;
    - ``feedback``: facilitators write, a participant opens only her own (by its hash).
    """
    gid = grp.getgrnam(group).gr_gid
    root = Path(root)
    layout = [(root, 0o3777), (root / course_id, 0o2775), (root / course_id / "outbound", 0o2775),
              (root / course_id / "inbound", 0o2773), (root / course_id / "feedback", 0o2771)]
    for path, mode in layout:
        path.mkdir(parents=True, exist_ok=True)
        os.chown(path, 0, gid)
        os.chmod(path, mode)
    return root


def write_nbgrader_config(folder: str | os.PathLike, exchange: str | os.PathLike,
                          course_id: str) -> Path:
    """``nbgrader_config.py`` for the hub's ``JUPYTER_CONFIG_PATH`` folder (readable by all)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nbgrader_config.py"
    path.write_text(NBGRADER_CONFIG.format(exchange=str(exchange), course_id=course_id))
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    return path


def _manager(root: str | os.PathLike | None):
    from nbgrader.server_extensions.assignment_list.handlers import AssignmentList

    manager = AssignmentList()
    manager.root_dir = str(root or Path.home())
    return manager


def _course(course_id: str | None, root=None) -> str:
    """The course asked for, else the one in the hub's nbgrader settings."""
    return course_id or _manager(root).load_config().CourseDirectory.course_id or "homeward"


def fetch(assignment_id: str, course_id: str | None = None, root=None) -> dict:
    """Fetch a released assignment into ``<root>/<course>/<assignment>`` as the logged-in
    user (nbgrader's assignment list does the same). Returns nbgrader's answer:
    ``{"success": True}`` or ``{"success": False, "value": what went wrong}``."""
    return _manager(root).fetch_assignment(_course(course_id, root), assignment_id)


def submit(assignment_id: str, course_id: str | None = None, root=None) -> dict:
    """Hand in ``<root>/<course>/<assignment>`` through the exchange as the logged-in user:
    what the Submit button of nbgrader's assignment list does. Call it from her own server
    (a form app's kernel): the Unix user running it is the participant it is filed under.
    Returns ``{"success": True, "value": [assignments...]}`` or ``{"success": False,
    "value": what went wrong}``."""
    manager = _manager(root)
    course = _course(course_id, root)
    result = manager.submit_assignment(course, assignment_id)
    if result.get("success"):
        return manager.list_assignments(course_id=course)
    return result
