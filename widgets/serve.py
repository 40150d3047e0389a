"""Serve the Homeward apps through Voila: ``python -m widgets.serve [--port 8866]``.

Voila serves ``widgets/apps/`` with the settings in ``widgets/apps/voila.json``
(pre-heated kernels, only the widget extensions loaded, no tracebacks on a
page, idle kernels culled). Binder's server extension gets the same settings
through ``binder/postBuild``.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path

APPS_DIR = Path(__file__).resolve().parent / "apps"
CONFIG_FILE = APPS_DIR / "voila.json"
APPS = {
    "savings": "Savings simulator",
    "action_plan": "Local reintegration action plan (seminar)",
    "business": "Business-plan simulator",
    "mentoring": "Facilitator dashboard (mentoring and progress)",
}
#: What ``--public`` serves: the simulators, never the dashboard (no course data behind it).
PUBLIC_APPS = ("savings", "business", "action_plan")


def voila_settings() -> dict:
    """The Voila settings shared by ``make serve``, the tests and Binder."""
    return json.loads(CONFIG_FILE.read_text())


def app_url(base: str, app: str) -> str:
    """The address of one app on a standalone Voila server.

    >>> app_url("http://localhost:8866", "savings")
    'http://localhost:8866/voila/render/savings.ipynb'
    """
    return f"{base.rstrip('/')}/voila/render/{app}.ipynb"


def public_folder(apps: Path = APPS_DIR) -> Path:
    """A folder with only the public apps and Voila's settings (``--public``)."""
    folder = Path(tempfile.mkdtemp(prefix="homeward-public-"))
    atexit.register(shutil.rmtree, folder, True)
    for app in PUBLIC_APPS:
        shutil.copy(apps / f"{app}.ipynb", folder)
    shutil.copy(CONFIG_FILE, folder)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--ip", default="127.0.0.1")
    parser.add_argument("--base-url", default="/", help="the path the apps are served under "
                        "(the workshop hub: /services/simulators/)")
    parser.add_argument("--apps", type=Path, default=APPS_DIR,
                        help="the folder of app notebooks (the hub: its read-only copy)")
    parser.add_argument("--public", action="store_true",
                        help="serve only the simulators, never the facilitator dashboard")
    parser.add_argument("--max-kernels", type=int, default=0,
                        help="kernels on this server at most; the next visitor waits (0: no cap)")
    parser.add_argument("--kernels-per-visitor", type=int, default=0,
                        help="kernels one visitor (browser) holds at most (0: no cap)")
    args = parser.parse_args(argv)
    base = f"http://localhost:{args.port}{args.base_url.rstrip('/')}"
    apps = {a: t for a, t in APPS.items() if not args.public or a in PUBLIC_APPS}
    print("\nHomeward apps, open in your browser:", flush=True)
    for app, title in apps.items():
        print(f"  {title}: {app_url(base, app)}", flush=True)
    print(flush=True)
    os.chdir(public_folder(args.apps) if args.public else args.apps)  # Voila reads voila.json here
    from voila.app import Voila

    app_class = Voila
    if args.max_kernels or args.kernels_per_visitor:
        from widgets.visitors import VisitorLimits, limited_voila

        app_class = limited_voila(Voila, VisitorLimits(args.max_kernels,
                                                       args.kernels_per_visitor or 10**6))
    app_class.launch_instance(["--no-browser", f"--port={args.port}", f"--Voila.ip={args.ip}",
                               f"--Voila.base_url={args.base_url}", "."])


if __name__ == "__main__":
    main()
