"""The Homeward page: how an app (and later a lesson or an answer form) becomes a light page.

A Homeward page is a notebook served by Voila with the ``homeward`` template (in
``widgets/page/share/jupyter/voila/templates/homeward``; ``widgets/serve.py`` sets it up).
The template loads one small script (``widgets/page/frontend``) instead of JupyterLab, so a
phone on mobile data gets something to read at once and a working page soon after.

What a notebook does, in one cell (see ``widgets/apps/savings.ipynb``)::

    from widgets.savings.view import savings_page
    savings_page()

and what such a function does, with the helpers here:

1. build the app while nobody waits (Voila's pre-heated kernel runs this part ahead);
2. ``visitor()`` waits for the person and reads her language and currency from the address
   (``?lang=fil&currency=PHP``; the server adds them from her cookie when she comes back
   without them, see ``widgets/serve.py``);
3. ``show(first_paint, widget)`` puts plain HTML on the page at once (the app's name and the
   example plan's result in her language, the chart as SVG) and then the live widget, which
   replaces it when the script has loaded.

The page follows the app (``page_state``): ``<html lang>``, the tab title, the address and a
cookie change with her language and currency, so the next visit opens the same way.

Classes the page script gives what ipywidgets lacks (put them on widgets with ``add_class``):

``hw-toggle`` (+ ``hw-open``)
    a button that opens a section: ``aria-expanded`` follows ``hw-open``.
``hw-field``
    a box holding one input and its ``hw-error`` (and ``hw-hint``) HTML: the input gets
    ``aria-describedby`` and ``aria-invalid`` while the error shows.
``hw-live``
    results that change: announced politely to a screen reader.
``hw-alert``
    a message that must be heard at once (``role=alert``).
"""

from __future__ import annotations

import html
import os
import urllib.parse
from dataclasses import dataclass

from widgets.i18n import LANGUAGES, N_, gettext_for
from widgets.money import CURRENCIES

#: The name of each page in the tab title (``metadata.homeward.page`` of its notebook).
TITLES: dict[str, str] = {
    "savings": N_("Savings plan"),
    "business": N_("Business plan"),
    "action_plan": N_("Reintegration action plan"),
    "mentoring": N_("Facilitator dashboard"),
    "form": N_("Answer form"),
}
#: Words the page shell shows before and around the widgets, in every language.
WORDS: dict[str, str] = {
    "loading": N_("Loading the tools. You can read the example below meanwhile."),
    "ready": N_("Ready: you can change the numbers now."),
    "offline": N_("The connection was lost. Reload the page to carry on."),
    "failed": N_("Part of this page could not be shown. Please reload the page."),
    "scroll": N_("Scroll sideways to see the whole table."),
}
#: The environment variable ``widgets.serve`` sets for its Voila server and kernels.
PAGE_ENV = "HOMEWARD_PAGE"


def template_words(page: str) -> dict[str, dict[str, str]]:
    """The tab title and the shell's words of a page, in every app language.

    The Homeward template has them (see :func:`page_words`) before it knows the visitor's
    language; a small script in the page picks hers.

    >>> words = template_words("savings")
    >>> words["en"]["title"], words["fil"]["title"]
    ('Savings plan · Homeward', 'Plano ng ipon · Homeward')
    >>> template_words("some_lesson")["en"]["title"]
    'Homeward'
    """
    out = {}
    for language in LANGUAGES:
        _ = gettext_for(language)
        name = TITLES.get(page)
        title = f"{_(name)} · Homeward" if name else "Homeward"
        out[language] = {"title": title, **{key: _(text) for key, text in WORDS.items()}}
    return out


def page_words() -> dict[str, dict[str, dict[str, str]]]:
    """:func:`template_words` of every page, and of any other page (key ``""``).

    ``widgets.serve`` hands them to the template in Voila's configuration (its
    ``resources``), so the template needs no Python of its own.

    >>> words = page_words()
    >>> words["business"]["id"]["title"], words[""]["en"]["title"]
    ('Rencana usaha · Homeward', 'Homeward')
    """
    return {page: template_words(page) for page in [*TITLES, ""]}


@dataclass(frozen=True)
class Visitor:
    """Who opened the page: her language and currency, from the page's address."""

    language: str = "en"
    currency: str = "PHP"


def read_query(query: str, default: Visitor = Visitor()) -> Visitor:
    """Her language and currency from a query string; anything unknown is left at the default.

    >>> read_query("lang=id&currency=IDR")
    Visitor(language='id', currency='IDR')
    >>> read_query("lang=xx&currency=<script>")
    Visitor(language='en', currency='PHP')
    """
    params = urllib.parse.parse_qs(query or "")
    language = params.get("lang", [default.language])[0]
    currency = params.get("currency", [default.currency])[0].upper()
    return Visitor(language if language in LANGUAGES else default.language,
                   currency if currency in CURRENCIES else default.currency)


def visitor(default: Visitor = Visitor()) -> Visitor:
    """Wait for the person (on a pre-heated kernel), then read her language and currency.

    Outside Voila (a notebook, a test) there is nobody to wait for: the default comes back.
    """
    if "VOILA_KERNEL_ID" not in os.environ and "VOILA_PREHEAT" not in os.environ:
        return default
    from voila.utils import get_query_string

    return read_query(get_query_string() or "", default)


def on_homeward_page() -> bool:
    """Whether this kernel serves a Homeward page (whose stylesheet already has the app CSS)."""
    return os.environ.get(PAGE_ENV) == "1"


def page_state(language: str, currency: str | None, title: str) -> str:
    """The markup the page script follows to set ``<html lang>``, the title and the address.

    >>> page_state("fil", "PHP", "Plano ng ipon")
    "<span data-lang='fil' data-currency='PHP' data-title='Plano ng ipon · Homeward'></span>"
    """
    cur = f" data-currency='{html.escape(currency)}'" if currency else ""
    return (f"<span data-lang='{html.escape(language)}'{cur} "
            f"data-title='{html.escape(title)} · Homeward'></span>")


def first_paint(body: str, language: str) -> str:
    """Wrap what a page shows before its widgets: plain HTML in her language.

    The script removes it when the widgets are on screen; until then it is the page.
    ``data-*`` carry the shell's words for the script (what it says when ready or offline).
    """
    _ = gettext_for(language)
    data = " ".join(f"data-{key}='{html.escape(_(text))}'" for key, text in WORDS.items())
    return (f"<div class='hw-first-paint' lang='{html.escape(language)}' {data}>"
            f"{body}</div>")


def show(paint: str, widget) -> None:
    """Display the first paint (plain HTML) and then the live widget."""
    from IPython.display import HTML, display

    display(HTML(paint))
    display(widget)
