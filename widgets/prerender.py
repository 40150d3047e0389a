"""Lesson pages rendered once, at build time, and served without a kernel.

``python -m widgets.serve --course`` (``make serve``) builds the course site and then, with
:func:`prerender_site`, runs every lesson page once (each language's notebook, as Voila
would: the Homeward template, ``HOMEWARD_PAGE=1``) and keeps the page it makes: the template's
HTML with the outputs (text, tables, charts) and the widgets' state. The server answers a
lesson's address with that page (:func:`prerendered_page`), so reading a lesson starts no
kernel, and a return visit is one small request (an ``ETag``: 304 when nothing changed).

On the page, the Homeward script draws the widgets from their saved state and answers the
quizzes itself (``widgets.quiz.view.page_answers``). A lesson that embeds a live tool (a
simulator, a slider) asks the server for a kernel only when the reader comes near that tool:
the script opens the same address with ``?live=1`` in the background (Voila runs the lesson
in a kernel as before) and puts the live tools in place of the drawn ones.

Stale pages: a page is kept under a key made of the built notebook (its text in that
language, its translations and way around) and a fingerprint of the code that draws it (the
``widgets`` package with its catalogs and the Homeward template and script, and the versions
of Voila and ipywidgets). A page whose key does not match its notebook is never served: the
lesson is rendered live instead, and the next build renders it again. Rendered pages are also
kept in ``build/page-cache`` (git-ignored) under their key, so an unchanged lesson is not run
again by the next build (or by the tests, which build the site in a temporary folder).

The address a page is served under (``--base-url``) is not known at build time: the page is
rendered with :data:`BASE_TOKEN` in its addresses and the server puts the real one in.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIDGETS_DIR = ROOT / "widgets"
CACHE_DIR = ROOT / "build" / "page-cache"
#: Inside the site folder: the rendered pages and the manifest of their keys.
FOLDER = "prerendered"
MANIFEST = "prerendered.json"
#: Beside the manifest: the fingerprint of the code the pages were rendered with.
FINGERPRINT_FILE = "prerendered.code"
#: Stands for the server's base address in a rendered page (``/`` or ``/services/...``).
BASE_TOKEN = "/@homeward-base@/"
#: The query that asks for the lesson run live by Voila (the page's live tools use it).
LIVE_QUERY = "live"
#: The files of the ``widgets`` package a page depends on (code, catalogs, template, script,
#: styles, data), by suffix: not its READMEs.
DRAWN_BY = (".py", ".po", ".j2", ".html", ".js", ".mjs", ".css", ".json", ".csv", ".toml")
#: A lesson may take this long to run (seconds) before its page is left to Voila.
TIMEOUT = 300


def _hash_files(paths: Iterable[Path], digest) -> None:
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())


@cache
def code_fingerprint() -> str:
    """What the rendered pages depend on besides the notebooks: the ``widgets`` package (code,
    catalogs, the template and the built page script), and the Voila and ipywidgets versions."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    files = [p for p in WIDGETS_DIR.rglob("*") if p.is_file()
             and "__pycache__" not in p.parts and p.suffix in DRAWN_BY]
    _hash_files(files, digest)
    for name in ("voila", "ipywidgets", "nbclient", "nbconvert"):
        digest.update(f"{name}={version(name)}".encode())
    return digest.hexdigest()


def page_key(notebook: bytes, fingerprint: str | None = None) -> str:
    """The key of a page: its notebook's bytes and the code's fingerprint.

    >>> a = page_key(b'{"cells": []}', "code-1")
    >>> a == page_key(b'{"cells": []}', "code-1"), a == page_key(b'{"cells": [1]}', "code-1")
    (True, False)
    >>> a == page_key(b'{"cells": []}', "code-2")
    False
    """
    digest = hashlib.sha256(notebook)
    digest.update((fingerprint or code_fingerprint()).encode())
    return digest.hexdigest()[:32]


# --------------------------------------------------------------------------- rendering
def _template_paths() -> list[str]:
    from voila.paths import collect_template_paths

    from widgets.serve import JUPYTER_DATA, TEMPLATE

    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if str(JUPYTER_DATA) not in paths:  # where the Homeward template is (as widgets.serve)
        os.environ["JUPYTER_PATH"] = os.pathsep.join([str(JUPYTER_DATA), *paths])
    return collect_template_paths(["voila", "nbconvert"], TEMPLATE)


async def _render_html(nb, name: str, folder: Path) -> str:
    """The Homeward template's page of an executed notebook, with no kernel behind it."""
    from jupyter_server.services.contents.filemanager import FileContentsManager
    from voila.exporter import VoilaExporter

    from widgets.page import page_words
    from widgets.serve import TEMPLATE

    exporter = VoilaExporter(template_paths=_template_paths(), template_name=TEMPLATE,
                             contents_manager=FileContentsManager(root_dir=str(folder)),
                             theme="light", base_url=BASE_TOKEN)
    exporter.exclude_input = exporter.exclude_output_prompt = True
    exporter.exclude_input_prompt = True
    resources = {"base_url": BASE_TOKEN, "theme": "light", "template": TEMPLATE,
                 "metadata": {"name": name}, "page_config": {},
                 "homeward": {"words": page_words(), "prerendered": True}}

    async def kernel_start(_nb):
        return ""

    async def cell_generator(notebook, _kernel_id):
        for cell in notebook.cells:
            yield cell

    async def notebook_execute(_nb, _kernel_id):
        return None

    context = {"frontend": "voila", "main_js": "voila.js", "kernel_start": kernel_start,
               "cell_generator": cell_generator, "notebook_execute": notebook_execute,
               "progressive_rendering": False}
    parts = []
    async for snippet, _resources in exporter.generate_from_notebook_node(
            nb, resources=resources, extra_context=context, page_config={}):
        parts.append(snippet)
    return "".join(parts)


def render_page(notebook: Path) -> str:
    """Run one lesson notebook in a fresh kernel (its folder as the working folder, as Voila
    does) and return its page. A cell that fails raises (``CellExecutionError``): such a
    page is left to Voila, which shows her a short message instead of the error."""
    import nbformat
    from nbclient import NotebookClient

    from widgets.page import PAGE_ENV

    os.environ[PAGE_ENV] = "1"  # the kernel serves a Homeward page (widgets.page)
    nb = nbformat.reads(notebook.read_text(encoding="utf-8"), as_version=4)
    client = NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", allow_errors=False,
                            store_widget_state=True,
                            resources={"metadata": {"path": str(notebook.parent)}})
    client.execute()
    return asyncio.run(_render_html(nb, notebook.stem, notebook.parent))


def _render_to(job: tuple[str, str]) -> tuple[str, str, float]:
    """Worker: render ``notebook`` into the cache file ``target``; (notebook, error, seconds)."""
    notebook, target = job
    started = time.perf_counter()
    try:
        page = render_page(Path(notebook))
    except Exception as err:  # noqa: BLE001 - reported; the page stays live
        return notebook, f"{type(err).__name__}: {str(err).strip().splitlines()[-1:]}", 0.0
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    partial = Path(f"{target}.{os.getpid()}.part")
    partial.write_text(page, encoding="utf-8")
    partial.replace(target)
    return notebook, "", time.perf_counter() - started


# --------------------------------------------------------------------------- the site
@dataclass
class Prerendered:
    """What :func:`prerender_site` did."""

    pages: dict[str, str] = field(default_factory=dict)  # page path -> key
    rendered: list[str] = field(default_factory=list)    # run now (the others came from cache)
    failed: dict[str, str] = field(default_factory=dict)  # page path -> why
    seconds: float = 0.0


def prerender_site(site: Path, pages: Iterable[str], cache_dir: Path = CACHE_DIR,
                   workers: int | None = None, log=None) -> Prerendered:
    """Render the lesson ``pages`` (paths under ``site``, e.g.
    ``lessons/fil/economic_empowerment/02-budgeting.ipynb``) into ``site/prerendered``, with
    the manifest ``site/prerendered.json``; pages whose key is in ``cache_dir`` are copied
    from it, the others are run (``workers`` at a time: by default one per core, at most 2)."""
    started = time.perf_counter()
    out = site / FOLDER
    if out.exists():
        shutil.rmtree(out)
    (site / MANIFEST).unlink(missing_ok=True)
    (site / FINGERPRINT_FILE).unlink(missing_ok=True)
    result = Prerendered()
    jobs = []
    keys = {}
    for page in pages:
        key = page_key((site / page).read_bytes())
        keys[page] = key
        if not (cache_dir / f"{key}.html").is_file():
            jobs.append((str(site / page), str(cache_dir / f"{key}.html")))
    if jobs:
        workers = workers or max(1, min(2, os.cpu_count() or 1, len(jobs)))
        if log:
            log(f"  running {len(jobs)} lesson pages once ({workers} at a time; "
                f"{len(keys) - len(jobs)} unchanged)...")
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for notebook, error, _seconds in pool.map(_render_to, jobs):
                page = str(Path(notebook).relative_to(site))
                if error:
                    result.failed[page] = error
                    if log:
                        log(f"  {page}: left live ({error})")
                else:
                    result.rendered.append(page)
    for page, key in keys.items():
        cached = cache_dir / f"{key}.html"
        if page in result.failed or not cached.is_file():
            continue
        target = out / f"{page}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, target)
        result.pages[page] = key
    (site / MANIFEST).write_text(json.dumps(result.pages, indent=1, sort_keys=True) + "\n",
                                 encoding="utf-8")
    (site / FINGERPRINT_FILE).write_text(code_fingerprint() + "\n", encoding="utf-8")
    result.seconds = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- serving
class PageStore:
    """The pre-rendered pages of a site, as the server hands them out: only a page whose key
    still matches its notebook (a notebook changed after the build is run live instead)."""

    @classmethod
    def as_built(cls, site: Path, base_url: str = "/") -> PageStore:
        """The pages of ``site`` with the fingerprint they were rendered with (a server running
        an installed copy of the code: the workshop hub's servers)."""
        stamp = site / FINGERPRINT_FILE
        return cls(site, base_url, stamp.read_text(encoding="utf-8").strip()
                   if stamp.is_file() else "not rendered")

    def __init__(self, site: Path, base_url: str = "/", fingerprint: str | None = None):
        """``fingerprint``: the code's fingerprint the pages were rendered with, when the
        server runs another copy of the code (the hub's servers run an installed copy; the
        hub renders the pages again at each start), else this code's."""
        self.site = site
        self.fingerprint = fingerprint
        self.base_url = "/" + base_url.strip("/") + "/" if base_url.strip("/") else "/"
        manifest = site / MANIFEST
        self.keys: dict[str, str] = (json.loads(manifest.read_text(encoding="utf-8"))
                                     if manifest.is_file() else {})
        self._pages: dict[str, tuple[tuple[int, int], bytes | None]] = {}

    def page(self, path: str) -> bytes | None:
        """The page of ``path`` (``lessons/fil/...ipynb``), or ``None`` (not rendered, or
        stale)."""
        key = self.keys.get(path)
        notebook = self.site / path
        if key is None or ".." in Path(path).parts or not notebook.is_file():
            return None
        stat = notebook.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        known = self._pages.get(path)
        if known and known[0] == stamp:
            return known[1]
        body = None
        if page_key(notebook.read_bytes(), self.fingerprint) == key:
            rendered = self.site / FOLDER / f"{path}.html"
            if rendered.is_file():
                body = rendered.read_text(encoding="utf-8").replace(
                    BASE_TOKEN, self.base_url).encode("utf-8")
        self._pages[path] = (stamp, body)
        return body


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.prerender SITE``: render the lesson pages of a built site."""
    import argparse

    from widgets.site import SITE_DIR, site_pages

    parser = argparse.ArgumentParser(prog="python -m widgets.prerender",
                                     description=main.__doc__)
    parser.add_argument("site", type=Path, nargs="?", default=SITE_DIR)
    args = parser.parse_args(argv)
    done = prerender_site(args.site, site_pages(args.site), log=print)
    print(f"{len(done.pages)} pages ready ({len(done.rendered)} run now, "
          f"{len(done.failed)} left live) in {done.seconds:.0f} s")
    return 1 if done.failed else 0


if __name__ == "__main__":
    sys.exit(main())
