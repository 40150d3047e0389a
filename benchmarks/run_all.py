"""Run every benchmark: ``.venv/bin/python benchmarks/run_all.py`` (``make benchmark``).

Each script prints its figures as ``name: value unit`` lines on stdout.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        sys.stdout.write(result.stdout)
        sys.stdout.flush()
        if result.returncode:
            print(f"{script.stem}_failed: {result.returncode} exit", flush=True)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
