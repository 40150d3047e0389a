"""Timing shared by the benchmark scripts (``from benchmarks.benchtools import median_ms``)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(func: Callable[[int], object], repeats: int, warm_up: bool = True) -> float:
    """Median wall time of ``func(k)`` for k = 0 .. repeats-1, in milliseconds.

    ``k`` lets a benchmark vary its input each time (as one input change in an app would);
    the warm-up call, when there is one, gets ``k = -1`` and is not timed.
    """
    if warm_up:
        func(-1)
    times = []
    for k in range(repeats):
        start = time.perf_counter()
        func(k)
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def stop(*servers) -> None:
    """Stop server processes a benchmark started: terminate, then kill after 30 s."""
    import subprocess

    for server in servers:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
