"""What a lesson page shows and where its links lead, for the tests of the served lessons.

- :func:`shown_text`: the words a participant reads on a lesson page (markdown with each link
  reduced to its words, and the texts the code shows, marked ``_()``), not link targets or code;
- :data:`FILE_NAME`: a file name or a developer path in those words;
- :func:`link_problems`: every relative link of a page resolved as a browser does from the
  page's address; what does not lead to a page that exists in the served folder, or to an
  answer form for an exercise that does not exist, in another language than the page's.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from widgets.lessons.notebook import code_messages

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"
#: A file name or a path of the code base shown as words: an exercise's folder, a notebook's
#: file name, the repository's folders.
FILE_NAME = re.compile(r"exercises/|\b[\w-]+\.ipynb\b"
                       r"|\b(?:widgets|grading|modules|facilitator_guides|shared)/[\w./-]+")
LINK = re.compile(r"\[(?P<words>(?:[^\[\]]|\[[^\]]*\])+)\]\((?P<target>[^)\s]+)\)")
FORM = "form.ipynb"


def _source(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def shown_text(nb: dict) -> str:
    """The words of a lesson a participant reads (see the module).

    >>> nb = {"cells": [{"cell_type": "markdown", "source": "Read [lesson 7](07-x.ipynb)."},
    ...                 {"cell_type": "code", "source": "print(_('Saved'), path)"}]}
    >>> shown_text(nb)
    'Read lesson 7.\\nSaved'
    """
    parts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append(LINK.sub(lambda m: m["words"], _source(cell)))
        elif cell["cell_type"] == "code":
            parts += code_messages(_source(cell))[0]
    return "\n".join(parts)


def markdown_links(nb: dict) -> list[tuple[str, str]]:
    """(words, target) of every markdown link of a notebook."""
    return [(m["words"], m["target"]) for cell in nb["cells"] if cell["cell_type"] == "markdown"
            for m in LINK.finditer(_source(cell))]


def exercises() -> set[str]:
    return {p.name for p in EXERCISES.iterdir() if p.is_dir()}


def resolve(page_url: str, target: str) -> urllib.parse.SplitResult:
    """Where a browser goes from ``page_url`` for the link ``target``."""
    return urllib.parse.urlsplit(urllib.parse.urljoin(page_url, target))


def link_problems(nb: dict, page_url: str, served_url: str, folder: Path,
                  language: str) -> tuple[list[str], list[str]]:
    """The relative links of a page at ``page_url`` (whose ``served_url`` prefix serves the
    files of ``folder``): what is wrong with them, and every address they lead to.

    A link must lead to a notebook that exists in ``folder``; an answer form's link must name
    an exercise that exists, in the page's ``language``. Links to the page itself (``#part``)
    and to other sites are not followed.
    """
    problems, urls = [], []
    names = exercises()
    for words, target in markdown_links(nb):
        if target.startswith("#") or urllib.parse.urlsplit(target).scheme:
            continue
        url = resolve(page_url, target)
        address = urllib.parse.urlunsplit(url._replace(fragment=""))
        if not address.startswith(served_url):
            problems.append(f"{words!r} ({target}) leaves the served pages: {address}")
            continue
        path = urllib.parse.unquote(url.path)[len(urllib.parse.urlsplit(served_url).path):]
        if not (folder / path).is_file():
            problems.append(f"{words!r} ({target}) leads nowhere: {path}")
            continue
        urls.append(address)
        if path.rsplit("/", 1)[-1] == FORM:
            query = dict(urllib.parse.parse_qsl(url.query))
            if query.get("assignment") not in names:
                problems.append(f"{words!r} ({target}): no exercise {query.get('assignment')!r}")
            if query.get("lang") != language:
                problems.append(f"{words!r} ({target}): the form opens in "
                                f"{query.get('lang')!r}, the page is in {language!r}")
    return problems, urls
