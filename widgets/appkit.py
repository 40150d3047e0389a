"""What the Homeward simulator apps share: page style, the top bar, input boxes and their errors.

The savings and business apps are both forms whose boxes are read into a model record
and recomputed on every change. This module holds the parts that do not depend on the
model:

- the CSS of the ``hw-*`` classes (``appkit.css``; a Homeward page has it in its stylesheet
  already, a notebook gets it with :func:`style_widgets`);
- the top bar: language first, labelled in all three languages, then currency, and the
  markup the page follows to set ``<html lang>``, the tab title and the address
  (:mod:`widgets.page`);
- an input box: the widget with its label as the widget's own ``description`` (a screen
  reader names the box by it), its error underneath (``hw-field``: the page ties the two with
  ``aria-describedby``/``aria-invalid``), and, for an amount that could mean two things
  ("30.000" in English), the question "Did you mean 30,000?" with a button that says yes;
- sections that open and close with a button (``hw-toggle``, ``aria-expanded``);
- number reading and writing in the reader's language (``_parse``, ``_format``), ``_hold``
  to fill boxes without triggering a recompute, and the event handlers both apps wire the
  same way (``_on_input``, ``_on_language``, ``_on_currency``);
- data-URL download links.
"""

from __future__ import annotations

import base64
import contextlib
import html
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as W
from traitlets import Unicode

from widgets.i18n import LANGUAGES, N_, gettext_for
from widgets.money import CURRENCIES, AmountError, currency_symbol, format_number, parse_amount
from widgets.page import on_homeward_page, page_state, show, visitor

CSS_FILE = Path(__file__).with_name("appkit.css")
CSS = "<style>\n" + CSS_FILE.read_text(encoding="utf-8") + "</style>"
#: The language picker's label, in every app language at once: she may not read the one shown.
LANGUAGE_LABEL = "Language / Wika / Bahasa"
#: A month picker's "No" (ipywidgets shows the value None as an empty box).
NO = -1

#: Messages for each kind of mistake in a box (codes from widgets.money and the models).
ERROR_MESSAGES = {
    "empty": N_("Please type a number (0 if none)."),
    "not_a_number": N_("This is not a number. Write it like {example}."),
    "ambiguous": N_("This can be read two ways. For thousands, write it like {thousands}; "
                    "with cents, like {example}."),
    "wrong_currency": N_("This looks like another currency. Type the amount in {currency}."),
    "negative": N_("This cannot be below zero."),
    "too_large": N_("This number is too large. Check for extra zeros."),
    "out_of_range": N_("This number is outside what is possible here."),
    "not_whole": N_("Please type a whole number."),
}
OTHER_ERROR = N_("This value is not possible here.")
AMBIGUOUS = N_("Did you mean {amount}?")
AMBIGUOUS_YES = N_("Yes, {amount}")
AMBIGUOUS_HINT = N_("If not, type the amount again.")
#: Currencies as a sentence names them ("amounts in Philippine pesos").
CURRENCY_NAMES = {
    "PHP": N_("Philippine pesos"), "IDR": N_("Indonesian rupiah"), "THB": N_("Thai baht"),
    "NPR": N_("Nepalese rupees"), "MXN": N_("Mexican pesos"), "USD": N_("US dollars"),
}
CURRENCY_KEPT = N_("The amounts did not change: they are the example's illustrative amounts "
                   "in {example}, now shown as {currency}. Change them to your own.")


def style_widgets() -> list[W.Widget]:
    """The app CSS as a widget, unless the page's own stylesheet has it (a Homeward page)."""
    return [] if on_homeward_page() else [W.HTML(CSS)]


class TextBox(W.Text):
    """A text box whose typed value is not sent back to the page it came from.

    ipywidgets 8 echoes every value the page sends (so that several views of one widget
    agree); an app page shows each box once, so the echo is only bytes on her mobile data.
    A value the app itself changes (a reformatted amount, another example) is still sent.

    >>> TextBox.class_trait_names(echo_update=False)
    ['value']
    """

    value = Unicode("", help="String value").tag(sync=True, echo_update=False)


@dataclass(frozen=True)
class Field:
    """One input box: the plan field it feeds, its label, and what it accepts."""

    key: str  # path into the plan, e.g. "debt.monthly_payment", "funding[1].rate"
    label: str  # English msgid, translated when shown
    unit: str  # "money", "percent", "months", "count", "number", "years", "text", ...
    maximum: float | None = None


class InputProblem(ValueError):
    """A box the app could not read; ``field`` and ``code`` as in the model's errors."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field, self.code = field, code


def download_link(content: bytes, mime: str, filename: str, text: str, css_class: str) -> str:
    """An HTML link that downloads ``content`` without a round trip to the server.

    >>> download_link(b"a,b", "text/csv", "plan.csv", "Table <CSV>", "hw-csv")
    "<a class='hw-csv' download='plan.csv' href='data:text/csv;base64,YSxi'>Table &lt;CSV&gt;</a>"
    """
    data = base64.b64encode(content).decode("ascii")
    return (f"<a class='{css_class}' download='{filename}' "
            f"href='data:{mime};base64,{data}'>{html.escape(text)}</a>")


class Section:
    """A part of a form that opens with a button (``aria-expanded``), built when first opened."""

    def __init__(self, title: str, build, open_: bool = False, on_open=None):
        self.title, self._build, self._on_open = title, build, on_open
        self.button = W.Button(layout={"width": "100%"})
        self.button.add_class("hw-toggle")
        self.body = W.VBox(layout={"display": "none"})
        self.body.add_class("hw-section-body")
        self.box = W.VBox([self.button, self.body])
        self.box.add_class("hw-section")
        self.built = False
        self.button.on_click(lambda _b: self.toggle())
        if open_:
            self.open()

    @property
    def is_open(self) -> bool:
        return self.body.layout.display != "none"

    def build(self) -> None:
        if not self.built:
            self.built = True
            self.body.children = self._build()
            if self._on_open:
                self._on_open()

    def open(self) -> None:
        self.build()
        self.body.layout.display = "flex"
        self.button.add_class("hw-open")

    def close(self) -> None:
        self.body.layout.display = "none"
        self.button.remove_class("hw-open")

    def toggle(self) -> None:
        self.close() if self.is_open else self.open()


class FormApp:
    """Event plumbing shared by the simulator apps.

    A subclass sets ``language``, ``currency`` and ``plan``, calls ``_build_top()`` and
    provides ``recompute()``, ``_relabel()`` and ``_fill_inputs(plan)``. While ``_quiet`` is
    true (inside ``_hold()``), changes to the boxes are the app's own and do not trigger a
    recompute. ``TITLE`` names the app (a msgid); ``ERRORS`` adds the model's error messages.
    """

    TITLE = ""
    ERRORS: dict[str, str] = {}
    _quiet = False

    def _init_inputs(self) -> None:
        self._inputs: dict[str, W.Widget] = {}
        self._errors: dict[str, W.HTML] = {}
        self._boxes: dict[str, W.VBox] = {}
        self._asks: dict[str, tuple[W.HTML, W.Button]] = {}
        self._labels: list[tuple[W.Widget, str, str, dict, str]] = []  # widget, msgid, unit,
        # format values, and the kind of row it labels ("" if none)

    @property
    def _(self):
        return gettext_for(self.language)

    @contextlib.contextmanager
    def _hold(self):
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

    # the top bar ---------------------------------------------------------------------
    def _build_top(self) -> W.Box:
        self.language_picker = W.Dropdown(
            options=[(name, code) for code, name in LANGUAGES.items()], value=self.language,
            description=LANGUAGE_LABEL, style={"description_width": "initial"})
        self.currency_picker = W.Dropdown(
            options=list(CURRENCIES), value=self.currency, description="Currency",
            style={"description_width": "initial"})
        self.language_picker.observe(self._on_language, "value")
        self.currency_picker.observe(self._on_currency, "value")
        self.state = W.HTML()
        self.state.add_class("hw-page-state")
        self.currency_note = W.HTML()
        self.currency_note.add_class("hw-live")
        top = W.Box([self.language_picker, self.currency_picker, self.state])
        top.add_class("hw-top")
        return top

    def _relabel_top(self) -> None:
        _ = self._
        self.currency_picker.description = _("Currency")
        self.state.value = page_state(self.language, self.currency, _(self.TITLE))

    def set_visitor(self, language: str, currency: str) -> None:
        """Open the app in her language and currency (from the page's address)."""
        if currency != self.currency:
            self.currency_picker.value = currency
        if language != self.language:
            self.language_picker.value = language

    # input boxes -------------------------------------------------------------------
    def _input_box(self, key: str, widget: W.Widget, msgid: str, unit: str = "",
                   fmt: dict | None = None, group: str = "") -> W.VBox:
        """A labelled input and its error message, registered under ``key``."""
        widget.style.description_width = "initial"
        widget.observe(lambda change, key=key: self._on_input(key), "value")
        error = W.HTML()
        error.add_class("hw-error")
        box = W.VBox([widget, error])
        box.add_class("hw-field")
        self._inputs[key], self._errors[key], self._boxes[key] = widget, error, box
        self._labels.append((widget, msgid, unit, fmt or {}, group))
        return box

    def _unit(self, unit: str) -> str:
        return {"money": currency_symbol(self.currency, self.language),
                "percent": "%"}.get(unit, "")

    def _relabel_inputs(self) -> None:
        _ = self._
        for widget, msgid, unit, fmt, _group in self._labels:
            suffix = self._unit(unit)
            words = _(msgid).format(**fmt) if fmt else _(msgid)
            widget.description = words + (f" ({suffix})" if suffix else "")

    def _forget_inputs(self, prefix: str) -> None:
        """Drop the boxes whose key starts with ``prefix`` (rows being rebuilt)."""
        for key in [k for k in self._inputs if k.startswith(prefix)]:
            for store in (self._inputs, self._errors, self._boxes, self._asks):
                store.pop(key, None)
        self._labels = [entry for entry in self._labels if entry[4] != prefix.rstrip("[")]

    def _show_problems(self, problems: dict[str, object], keys=None) -> None:
        """Each box's message: nothing, what is wrong, or a question about what she meant.

        ``problems`` maps a box to an :class:`~widgets.money.AmountError` or a model code;
        ``keys`` limits the boxes updated (default: all).
        """
        _ = self._
        words = {"example": format_number(5000.5, self.language, 2),
                 "thousands": format_number(30_000, self.language), "currency": self.currency}
        messages = {**ERROR_MESSAGES, **self.ERRORS}
        for key, error in self._errors.items():
            if keys is not None and key not in keys:
                continue
            problem = problems.get(key)
            code = getattr(problem, "code", problem)
            suggestion = getattr(problem, "suggestion", None)
            if code == "ambiguous" and suggestion is not None:
                amount = self._format(float(suggestion), "money")
                error.value = html.escape(_(AMBIGUOUS).format(amount=amount))
                self._ask(key, amount)
                continue
            self._unask(key)
            if code:
                message = _(messages.get(code, OTHER_ERROR)).format(**words)
                error.value = html.escape(message)
            else:
                error.value = ""

    def _ask(self, key: str, amount: str) -> None:
        """Offer the whole amount she probably meant, with a button to accept it."""
        _ = self._
        if key not in self._asks:
            hint, yes = W.HTML(), W.Button(button_style="primary", layout={"width": "auto"})
            hint.add_class("hw-hint")
            yes.add_class("hw-yes")
            yes.on_click(lambda _b, key=key: self._accept(key))
            row = W.Box([yes, hint])
            row.add_class("hw-ask")
            self._boxes[key].children = (*self._boxes[key].children, row)
            self._asks[key] = (row, hint, yes)
        row, hint, yes = self._asks[key]
        yes.description = _(AMBIGUOUS_YES).format(amount=amount)
        yes.amount = amount
        hint.value = html.escape(_(AMBIGUOUS_HINT))
        row.layout.display = "flex"

    def _unask(self, key: str) -> None:
        if key in self._asks:
            row, hint, _yes = self._asks[key]
            if row.layout.display != "none":
                row.layout.display = "none"
                hint.value = ""

    def _accept(self, key: str) -> None:
        self._inputs[key].value = self._asks[key][2].amount

    # numbers ---------------------------------------------------------------------
    def _parse(self, text: str, field: Field) -> float:
        """A number typed in the reader's language; money in the app's currency."""
        number = parse_amount(text, self.language, self.currency if field.unit == "money" else None,
                              maximum=field.maximum or 1e12)
        if field.unit == "count" and not float(number).is_integer():
            raise AmountError("not_whole", "a whole number is needed")
        return number

    def _format(self, value: float, unit: str) -> str:
        """A number as the reader writes it: cents only when there are any."""
        if unit == "count":
            return str(int(value))
        digits = 0 if float(value).is_integer() else 2
        return format_number(value, self.language, digits)

    # events ----------------------------------------------------------------------
    def _on_input(self, key: str | None = None) -> None:
        if self._quiet:
            return
        self.recompute()

    def _on_language(self, change) -> None:
        self.language = change["new"]
        self._relabel()
        self._fill_inputs(self.plan)
        self.recompute()

    def _on_currency(self, change) -> None:
        if self._quiet:
            return
        self.currency = change["new"]
        self._relabel()
        self.recompute()

    def show_page(self) -> None:
        """Show the app as a Homeward page: wait for the visitor (a pre-heated kernel has built
        the app already), open it in her language and currency, then show its results as
        plain HTML at once (``first_paint()``) and the live app."""
        who = visitor()
        self.set_visitor(who.language, who.currency)
        show(self.first_paint(), self.widget)

    def _currency_note(self, example_currency: str | None) -> None:
        """Say plainly that switching the currency left the example's amounts as they were."""
        if example_currency is None or example_currency == self.currency:
            self.currency_note.value = ""
            return
        _ = self._
        self.currency_note.value = "<p class='hw-banner'>{}</p>".format(html.escape(
            _(CURRENCY_KEPT).format(example=_(CURRENCY_NAMES[example_currency]),
                                    currency=self.currency)))
