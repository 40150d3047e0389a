"""Links from a lesson to the apps (the answer form, a simulator), wherever the lesson is served.

A lesson links an app with an ordinary relative link to the app's notebook in the repository,
with the app's query, e.g. the exercise of lesson 1::

    [Answer exercise 1 in its form](../../widgets/apps/form.ipynb?assignment=ee01_money_cycle&lang=en)

In the repository (a facilitator opening ``modules/`` in JupyterLab) that is a valid link to a
file that exists. Where lessons are served, the apps are somewhere else, so every place that
serves lessons passes them through :func:`localize` (:func:`localize_notebook`,
:func:`localize_tree`): the link then points at the app where it is served, relative to the
page, and asks for the page's language:

- the course site (``widgets.site``): lessons at ``lessons/<lang>/<track>/<lesson>.ipynb``,
  apps at the site's root: ``../../../form.ipynb?assignment=...&lang=fil``;
- the workshop hub (``grading.hub.cli.copy_content``): her ``lessons/<track>/<lesson>.ipynb``
  beside her ``apps/``: ``../../apps/form.ipynb?assignment=...&lang=en``.

An app that is not served there (the site without the answer forms) leaves the link's words
without the link. Links between lessons (``[lesson 7](07-protecting-what-i-have.ipynb)``,
``../economic_empowerment/...``) need nothing: every layout keeps the tracks' folders, and a
page in Filipino links the Filipino page next to it. A translation keeps each link's target
exactly as the English has it (``widgets.lessons.catalogs`` checks this).

>>> from pathlib import Path
>>> text = "[Answer exercise 1](../../widgets/apps/form.ipynb?assignment=ee01_x&lang=en) now."
>>> site = Path("/site")
>>> localize(text, "fil", site / "lessons" / "fil" / "economic_empowerment", site,
...          exists=lambda app: True)
'[Answer exercise 1](../../../form.ipynb?assignment=ee01_x&lang=fil) now.'
>>> localize(text, "en", Path("/home/a/lessons/economic_empowerment"), Path("/home/a/apps"),
...          exists=lambda app: True)
'[Answer exercise 1](../../apps/form.ipynb?assignment=ee01_x&lang=en) now.'
>>> localize(text, "id", site / "lessons" / "id" / "economic_empowerment", site,
...          exists=lambda app: False)
'Answer exercise 1 now.'
"""

from __future__ import annotations

import json
import os
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path

__all__ = ["APP_LINK", "SOURCE_APPS", "app_links", "localize", "localize_notebook",
           "localize_tree"]

#: Where the apps are in the repository (what a lesson's source links to).
SOURCE_APPS = Path(__file__).resolve().parents[1] / "apps"
#: A markdown link to an app's notebook: ``[words](../../widgets/apps/form.ipynb?query#part)``.
APP_LINK = re.compile(r"\[(?P<words>[^\]]+)\]\((?P<up>(?:\.\./)+)widgets/apps/"
                      r"(?P<app>[\w-]+\.ipynb)(?P<query>\?[^)#\s]*)?(?P<part>#[^)\s]*)?\)")


def app_links(markdown: str) -> list[tuple[str, str, dict[str, str]]]:
    """The app links of a text: (words, app notebook, query).

    >>> app_links("[Answer it](../../widgets/apps/form.ipynb?assignment=ee03_saving&lang=en)")
    [('Answer it', 'form.ipynb', {'assignment': 'ee03_saving', 'lang': 'en'})]
    """
    return [(m["words"], m["app"], dict(urllib.parse.parse_qsl((m["query"] or "?")[1:])))
            for m in APP_LINK.finditer(markdown)]


def localize(markdown: str, language: str, page_dir: Path, apps_dir: Path,
             exists: Callable[[str], bool] | None = None) -> str:
    """``markdown`` with each app link pointing at ``apps_dir`` (relative to a page in
    ``page_dir``) in ``language`` (its ``lang=`` set, when it has one). A link to an app that
    does not exist there (``exists(app)``, by default a file in ``apps_dir``) keeps its words
    only."""
    exists = exists or (lambda app: (apps_dir / app).is_file())
    base = Path(os.path.relpath(apps_dir, page_dir)).as_posix()
    base = "" if base == "." else base + "/"

    def replace(match: re.Match) -> str:
        if not exists(match["app"]):
            return match["words"]
        query = urllib.parse.parse_qsl((match["query"] or "?")[1:], keep_blank_values=True)
        query = [(key, language if key == "lang" else value) for key, value in query]
        encoded = urllib.parse.urlencode(query, safe="/")
        return (f"[{match['words']}]({base}{match['app']}{'?' + encoded if encoded else ''}"
                f"{match['part'] or ''})")

    return APP_LINK.sub(replace, markdown)


def localize_notebook(nb: dict, language: str, page_dir: Path, apps_dir: Path,
                      exists: Callable[[str], bool] | None = None) -> bool:
    """Localize the app links of every markdown cell of ``nb`` in place (see
    :func:`localize`); whether any changed."""
    changed = False
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        if "widgets/apps/" not in text:
            continue
        cell["source"] = localize(text, language, page_dir, apps_dir, exists)
        changed = changed or cell["source"] != text
    return changed


def localize_tree(folder: Path, apps_dir: Path, language: str = "en",
                  exists: Callable[[str], bool] | None = None) -> list[Path]:
    """Localize every notebook under ``folder`` (a copy of ``modules/``, e.g. the hub's
    ``lessons/``) for apps in ``apps_dir`` (``exists``: see :func:`localize`); the notebooks
    it changed."""
    changed = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        if localize_notebook(nb, language, path.parent, apps_dir, exists):
            path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
            changed.append(path)
    return changed
