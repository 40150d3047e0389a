"""Run a coroutine from a test, even while the session's Playwright browser keeps an event
loop running in the main thread (``asyncio.run`` refuses to start a second one there)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own; returns its result or raises."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
