"""Lesson pages rendered at build time (widgets.prerender): a page is rendered again when its
lesson or its translation changes, a stale page is never served, and a page's addresses follow
the server's base address.

A small lesson (a title, a sentence and a quiz) is built in Filipino with
``widgets.lessons.build.build_notebook``, as the course build does, into a temporary site.
Each render runs a kernel (a few seconds).
"""

from __future__ import annotations

import json
import re

import pytest

from widgets import prerender
from widgets.lessons.build import build_notebook
from widgets.lessons.catalogs import Lesson
from widgets.site import build_site, site_pages

PAGE = "lessons/fil/demo/01-saving.ipynb"
SOURCE = {
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
    "cells": [
        {"cell_type": "markdown", "id": "title", "metadata": {},
         "source": "# Saving\n\nKeep it safe."},
        {"cell_type": "code", "id": "quiz", "metadata": {}, "execution_count": None,
         "outputs": [], "source": (
             "from widgets.lessons import _\nfrom widgets.quiz import Choice, quiz\n\n"
             "quiz(Choice(_(\"Where is money safest?\"), (_(\"Under the bed\"), "
             "_(\"In a savings account\")), 1))")},
    ],
}


def _build(site, table):
    built, _info = build_notebook(Lesson("demo", "01-saving"), "fil",
                                  nb=json.loads(json.dumps(SOURCE)), table=table, status={})
    target = site / PAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(built, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def test_a_page_is_rendered_again_when_its_translation_changes(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    first = {"Saving": "Pag-iipon", "Where is money safest?": "Saan pinakaligtas ang pera?"}
    _build(site, first)
    done = prerender.prerender_site(site, [PAGE], cache_dir=cache, workers=1)
    assert done.rendered == [PAGE] and not done.failed
    html = (site / prerender.FOLDER / f"{PAGE}.html").read_text(encoding="utf-8")
    assert "Pag-iipon" in html and "Saan pinakaligtas ang pera?" in html
    assert "from widgets" not in html, "code is in the page"
    assert '"kernelId": ""' in html and 'id="hw-widget-state"' in html
    state = json.loads(re.search(r'id="hw-widget-state"[^>]*>(.*?)</script>', html, re.S)[1])
    assert any("hw-quiz" in m["state"].get("_dom_classes", []) for m in state["state"].values())

    again = prerender.prerender_site(site, [PAGE], cache_dir=cache, workers=1)
    assert again.rendered == [] and again.pages == done.pages, "an unchanged page is run again"

    store = prerender.PageStore(site, "/services/simulators/")
    page = store.page(PAGE).decode()
    assert prerender.BASE_TOKEN not in page
    assert 'href="/services/simulators/voila/templates/homeward/static/homeward.css' in page

    # the translation changes and the lesson is built again, not yet rendered: stale
    _build(site, {**first, "Saving": "Pag-iimpok"})
    assert prerender.PageStore(site).page(PAGE) is None, "a stale page was served"
    assert store.page(PAGE) is None, "a stale page was served by a running server"

    changed = prerender.prerender_site(site, [PAGE], cache_dir=cache, workers=1)
    assert changed.rendered == [PAGE] and changed.pages[PAGE] != done.pages[PAGE]
    fresh = prerender.PageStore(site).page(PAGE).decode()
    assert "Pag-iimpok" in fresh and "Pag-iipon" not in fresh


def test_a_page_whose_cell_fails_is_left_live(tmp_path):
    site = tmp_path / "site"
    broken = json.loads(json.dumps(SOURCE))
    broken["cells"][1]["source"] = "1 / 0"
    target = site / PAGE
    target.parent.mkdir(parents=True)
    target.write_text(json.dumps(broken), encoding="utf-8")
    done = prerender.prerender_site(site, [PAGE], cache_dir=tmp_path / "cache", workers=1)
    assert PAGE in done.failed and "ZeroDivisionError" in done.failed[PAGE]
    assert prerender.PageStore(site).page(PAGE) is None
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_the_key_covers_the_code_that_draws_the_page():
    notebook = json.dumps(SOURCE).encode()
    assert prerender.page_key(notebook, "a") != prerender.page_key(notebook, "b")
    assert len(prerender.code_fingerprint()) == 64


@pytest.mark.parametrize("path", ["../site.ipynb", "lessons/none.ipynb"])
def test_the_store_serves_only_known_pages(tmp_path, path):
    (tmp_path / prerender.MANIFEST).write_text(json.dumps({path: "0" * 32}))
    assert prerender.PageStore(tmp_path).page(path) is None


def test_a_new_site_build_drops_the_old_pages(tmp_path):
    out = tmp_path / "site"
    (out / prerender.FOLDER / "lessons").mkdir(parents=True)
    (out / prerender.MANIFEST).write_text("{}")
    site = build_site(out, languages=["en"])
    assert not (out / prerender.FOLDER).exists() and not (out / prerender.MANIFEST).exists()
    pages = site_pages(out)
    assert "lessons/en/economic_empowerment/01-money-across-the-migration-cycle.ipynb" in pages
    assert len(pages) == len(site.pages["en"])
