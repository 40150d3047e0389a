"""The mentoring dashboard as a JupyterHub service: ``python -m grading.hub.dashboard``.

The hub starts this service as the Unix user ``homeward-dashboard`` (in the facilitators'
group, so it reads the course) at ``/services/mentoring/``. It is Voila serving the one app
``mentoring.ipynb``, with JupyterHub's own login in front (JupyterHub's identity provider for
Jupyter servers): a visitor who is not logged in is sent to the hub's login, and one whose
role lacks ``access:services!service=mentoring`` (every participant) gets 403 before any
kernel starts.

For each visit the service tells the new kernel who logged in (:func:`viewer_hook`): her hub
name signs her notes in the mentor's log, and membership of the hub group ``see-names`` lets
her show participants' names. Nothing the browser sends can change either. Kernels are not
pre-heated here, since a pre-heated kernel would not know its visitor.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from grading.dashboard import VIEWER_VARIABLE
from grading.hub.auth import NAMES_GROUP

APP = "mentoring.ipynb"
FACILITATORS = "facilitators"


def viewer_record(hub_user: dict) -> dict:
    """What the kernel is told about the visitor, from the hub's user model.

    >>> viewer_record({"name": "fac-ana", "groups": ["facilitators", "see-names"]})
    {'name': 'fac-ana', 'names': True}
    >>> viewer_record({"name": "fac-bo", "groups": ["facilitators"]})
    {'name': 'fac-bo', 'names': False}
    """
    return {"name": hub_user["name"], "names": NAMES_GROUP in hub_user.get("groups", ())}


def viewer_hook(handler, notebook, cwd):
    """Voila's prelaunch hook: refuse anyone but a facilitator, and put the visitor into the
    new kernel's environment before the app's own cell runs."""
    from nbformat.v4 import new_code_cell
    from tornado.web import HTTPError

    user = getattr(handler.current_user, "hub_user", None) or {}
    if not user.get("name") or FACILITATORS not in user.get("groups", ()):
        raise HTTPError(403, "The mentoring dashboard is for facilitators.")
    record = json.dumps(viewer_record(user))
    notebook.cells.insert(0, new_code_cell(
        f"import os as _os\n_os.environ[{VIEWER_VARIABLE!r}] = {record!r}\ndel _os"))
    return notebook


def voila_app():
    """Voila with the hub's login, its callbacks under the service's prefix."""
    from jupyter_server.utils import url_path_join
    from voila.app import Voila

    class HubVoila(Voila):
        def init_handlers(self):
            handlers = super().init_handlers()
            own = {"/logout", "/oauth_callback"}
            return [(url_path_join(self.server_url, h[0]), *h[1:]) if h[0] in own else h
                    for h in handlers]

    return HubVoila


def main(argv: list[str] | None = None) -> None:
    from urllib.parse import urlparse

    from traitlets.config import Config

    from widgets.serve import APPS_DIR, voila_settings

    url = urlparse(os.environ["JUPYTERHUB_SERVICE_URL"])
    prefix = os.environ["JUPYTERHUB_SERVICE_PREFIX"]
    notebook = Path(os.environ.get("HOMEWARD_DASHBOARD_APP", APPS_DIR / APP))
    config = Config(voila_settings())
    config.Voila.update(ip=url.hostname, port=url.port, base_url=prefix, server_url=prefix,
                        open_browser=False, auto_token=True,
                        identity_provider_class="jupyterhub.singleuser.extension."
                                                "JupyterHubIdentityProvider")
    config.VoilaConfiguration.update(preheat_kernel=False, show_tracebacks=False)
    config.MappingKernelManager.update(cull_idle_timeout=900, cull_interval=60)
    app = voila_app()(config=config)
    app.initialize([*(argv or []), str(notebook)])
    app.voila_configuration.prelaunch_hook = viewer_hook
    app.start()


if __name__ == "__main__":
    main()
