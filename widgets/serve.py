"""Serve the Homeward apps through Voila: ``python -m widgets.serve [--port 8866]``.

Voila serves ``widgets/apps/`` with the settings in ``widgets/apps/voila.json``
(pre-heated kernels, only the widget extensions loaded, no tracebacks on a
page, idle kernels culled). Binder's server extension gets the same settings
through ``binder/postBuild``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

APPS_DIR = Path(__file__).resolve().parent / "apps"
CONFIG_FILE = APPS_DIR / "voila.json"
APPS = {
    "savings": "Savings simulator",
    "action_plan": "Local reintegration action plan (seminar)",
    "business": "Business-plan simulator",
    "mentoring": "Facilitator dashboard (mentoring and progress)",
}


def voila_settings() -> dict:
    """The Voila settings shared by ``make serve``, the tests and Binder."""
    return json.loads(CONFIG_FILE.read_text())


def app_url(base: str, app: str) -> str:
    """The address of one app on a standalone Voila server.

    >>> app_url("http://localhost:8866", "savings")
    'http://localhost:8866/voila/render/savings.ipynb'
    """
    return f"{base.rstrip('/')}/voila/render/{app}.ipynb"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--ip", default="127.0.0.1")
    args = parser.parse_args(argv)
    base = f"http://localhost:{args.port}"
    print("\nHomeward apps, open in your browser:", flush=True)
    for app, title in APPS.items():
        print(f"  {title}: {app_url(base, app)}", flush=True)
    print(flush=True)
    os.chdir(APPS_DIR)  # Voila reads voila.json from the working directory
    from voila.app import main as voila_main

    sys.argv = ["voila", "--no-browser", f"--port={args.port}", f"--Voila.ip={args.ip}", "."]
    voila_main()


if __name__ == "__main__":
    main()
