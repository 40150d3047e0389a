"""nbval: every Voila app notebook runs top to bottom in a kernel without error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_app_notebooks_run_with_nbval():
    apps = sorted((ROOT / "widgets" / "apps").glob("*.ipynb"))
    assert apps
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q",
         "--no-header", "-o", "addopts=", *map(str, apps)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert f"{len(apps)} passed" in result.stdout, result.stdout[-1000:]
