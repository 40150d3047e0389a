"""Public simulators that stay cheap: a cap on the kernels one visitor holds and on the total.

Every visit to a Voila app starts a kernel (about 100 MB) that lives until it is culled. On a
public server (the workshop machine's simulators, or any Voila open to a room of phones) a
visitor who reloads twenty times would hold twenty kernels, and a crowd would take the
machine down. With these limits:

- a visitor (a browser, known by an anonymous cookie, ``homeward_visitor``) holds at most
  ``per_visitor`` kernels: opening one more page first stops her oldest one (the page she
  reloaded or left);
- visitors hold at most ``total`` kernels together: the next visitor gets a short page that
  says the simulators are busy and tries again by itself (HTTP 503 with ``Retry-After``),
  instead of a kernel the machine has no memory for. (Voila's pre-heated kernels, one waiting
  per app, come on top.)

The bookkeeping is :class:`VisitorBook` (no server needed):

>>> book = VisitorBook(VisitorLimits(total=3, per_visitor=2))
>>> for kernel in ("k1", "k2"):
...     book.add("ana", kernel)
>>> book.to_stop("ana", live={"k1", "k2"})  # her third page: the oldest goes first
['k1']
>>> book.add("bo", "k3")
>>> book.full("cy", live={"k1", "k2", "k3", "pool"}), book.full("ana", live={"k1", "k2", "k3"})
(True, False)

:func:`limited_voila` applies the limits to a Voila application class; ``python -m
widgets.serve --max-kernels N --kernels-per-visitor M`` uses it.
"""

from __future__ import annotations

import contextvars
import html
import secrets
from collections import OrderedDict
from dataclasses import dataclass

from tornado import web

COOKIE = "homeward_visitor"
RETRY_SECONDS = 20
#: The visitor whose page is being rendered (set by the page handler, read when its kernel
#: starts).
CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("homeward_visitor",
                                                                    default=None)


@dataclass(frozen=True)
class VisitorLimits:
    """``total`` kernels on the server at most (0: no cap); ``per_visitor`` per visitor."""

    total: int = 30
    per_visitor: int = 2


class VisitorBook:
    """Which visitor holds which kernels, oldest first."""

    def __init__(self, limits: VisitorLimits):
        self.limits = limits
        self.kernels: dict[str, OrderedDict[str, None]] = {}

    def add(self, visitor: str, kernel: str) -> None:
        self.kernels.setdefault(visitor, OrderedDict())[kernel] = None

    def forget(self, live: set[str]) -> None:
        """Drop kernels that no longer run (culled, shut down when a page closed)."""
        for visitor in list(self.kernels):
            held = self.kernels[visitor]
            for kernel in [k for k in held if k not in live]:
                del held[kernel]
            if not held:
                del self.kernels[visitor]

    def holding(self, visitor: str) -> list[str]:
        return list(self.kernels.get(visitor, ()))

    def to_stop(self, visitor: str, live: set[str]) -> list[str]:
        """Her kernels to stop before she gets a new one (oldest first)."""
        self.forget(live)
        held = self.holding(visitor)
        keep = max(0, self.limits.per_visitor - 1)
        return held[:max(0, len(held) - keep)]

    def held(self) -> int:
        """Kernels visitors hold now (pre-heated ones waiting for a visitor are not held)."""
        return sum(len(kernels) for kernels in self.kernels.values())

    def full(self, visitor: str, live: set[str]) -> bool:
        """Whether a new kernel for ``visitor`` would pass the total, counting the kernels of
        hers that will be stopped first."""
        if not self.limits.total:
            return False
        freed = len(self.to_stop(visitor, live))
        return self.held() - freed >= self.limits.total


BUSY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{seconds}">
<title>The simulators are busy</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1a1a1a}}h1{{font-size:1.4rem;color:#0b5d3b}}</style></head>
<body><main><h1>The simulators are busy</h1>
<p>Many people are using the simulators right now. Please wait: this page tries again by
itself in {seconds} seconds. Nothing you typed is lost.</p>
<p><a href="{again}">Try again now</a></p></main></body></html>
"""


def busy_page(again: str, seconds: int = RETRY_SECONDS) -> str:
    """The page a visitor sees when the server is full.

    >>> "tries again by" in busy_page("/voila/render/savings.ipynb")
    True
    """
    return BUSY_PAGE.format(seconds=seconds, again=html.escape(again, quote=True))


def _page_handler(base, book: VisitorBook):
    """Voila's page handler with the limits applied before a kernel is asked for."""

    class LimitedVoilaHandler(base):
        async def get(self, path=None):
            visitor = self.get_cookie(COOKIE)
            if not visitor or len(visitor) > 64:
                visitor = secrets.token_urlsafe(16)
                self.set_cookie(COOKIE, visitor, httponly=True, samesite="Lax",
                                path=self.base_url or "/")
            manager = self.kernel_manager
            live = set(manager.list_kernel_ids())
            if book.full(visitor, live):
                self.set_status(503)
                self.set_header("Retry-After", str(RETRY_SECONDS))
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(busy_page(self.request.uri))
                return
            for kernel in book.to_stop(visitor, live):
                try:
                    await manager.shutdown_kernel(kernel, now=True)
                except (KeyError, web.HTTPError):  # already gone (the page's own beacon
                    pass                           # may have shut it down a moment before)
            book.forget(set(manager.list_kernel_ids()))
            token = CURRENT.set(visitor)
            try:
                await super().get(path)
            finally:
                CURRENT.reset(token)

    LimitedVoilaHandler.__name__ = f"Limited{base.__name__}"
    return LimitedVoilaHandler


def _record_kernels(manager, book: VisitorBook) -> None:
    """Note the kernel each visitor's page gets (a fresh one, or a pre-heated one)."""
    start = manager.start_kernel

    async def start_kernel(*args, **kwargs):
        kernel = await start(*args, **kwargs)
        preheating = (kwargs.get("env") or {}).get("VOILA_PREHEAT") == "True"
        visitor = CURRENT.get()
        if visitor and not preheating:
            book.add(visitor, kernel)
        return kernel

    manager.start_kernel = start_kernel
    rendered = getattr(manager, "get_rendered_notebook", None)
    if rendered is not None:
        async def get_rendered_notebook(*args, **kwargs):
            result = await rendered(*args, **kwargs)
            visitor = CURRENT.get()
            if visitor:
                book.add(visitor, result[2])  # (render task, cache, kernel id)
            return result

        manager.get_rendered_notebook = get_rendered_notebook


def limited_voila(voila_class, limits: VisitorLimits):
    """A subclass of the Voila application ``voila_class`` with the visitor limits."""
    from voila.tornado.handler import TornadoVoilaHandler

    book = VisitorBook(limits)

    class LimitedVoila(voila_class):
        visitor_book = book

        def init_settings(self):
            settings = super().init_settings()
            _record_kernels(self.kernel_manager, book)
            return settings

        def init_handlers(self):
            handlers = []
            for rule in super().init_handlers():
                target = rule[1] if len(rule) > 1 else None
                if isinstance(target, type) and issubclass(target, TornadoVoilaHandler):
                    rule = (rule[0], _page_handler(target, book), *rule[2:])
                handlers.append(rule)
            return handlers

    return LimitedVoila
