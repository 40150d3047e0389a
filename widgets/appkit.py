"""What the Homeward simulator apps share: page style, download links and form plumbing.

The savings and business apps are both forms whose boxes are read into a model record
and recomputed on every change. This module holds the parts that do not depend on the
model: the CSS of the ``hw-*`` classes, data-URL download links, the description of an input
box and the error it raises when it cannot be read, and a base class with the event handlers both apps wire the same
way (``_on_input``, ``_on_language``, ``_on_currency``), number parsing and formatting in
the reader's language (``_parse``, ``_format``), and ``_hold`` to fill boxes without
triggering a recompute.
"""

from __future__ import annotations

import base64
import contextlib
import html
from dataclasses import dataclass

from widgets.money import AmountError, format_number, parse_amount

CSS = """
<style>
.hw-app { max-width: 1180px; margin: 0 auto; font-size: 16px; box-sizing: border-box; }
.hw-app * { box-sizing: border-box; }
.hw-app .widget-text, .hw-app .widget-dropdown { height: auto; }
.hw-app .widget-text input, .hw-app .widget-dropdown select, .hw-app button,
.hw-app .jupyter-button { min-height: 44px; height: 44px; font-size: 16px; }
.hw-app .widget-label-basic, .hw-label { white-space: normal !important; line-height: 1.3; }
.hw-label { font-weight: 600; margin: 6px 0 2px 0; }
.hw-error { color: #b00020; font-weight: 600; min-height: 0; }
.hw-cols { display: flex; flex-wrap: wrap; gap: 16px; width: 100%; }
.hw-col { flex: 1 1 340px; min-width: 0; max-width: 100%; }
.hw-cards { display: flex; flex-wrap: wrap; gap: 8px; }
.hw-card { flex: 1 1 140px; background: #f1f6f4; border-radius: 8px; padding: 8px 10px; }
.hw-card b { display: block; font-size: 20px; color: #0b5d3b; }
.hw-sentences p { margin: 4px 0; font-size: 17px; line-height: 1.4; }
.hw-banner { background: #fff4e5; border-left: 4px solid #b36b00; padding: 6px 10px; }
.hw-files a { display: inline-block; margin: 4px 8px 4px 0; padding: 10px 14px; min-height: 44px;
  background: #0b5d3b; color: white !important; border-radius: 6px; text-decoration: none; }
.hw-app .widget-upload { min-height: 44px; }
.hw-app .bqplot { max-width: 100%; }
@media (max-width: 600px) { .hw-app { font-size: 15px; } .hw-col { flex-basis: 100%; } }
</style>
"""


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


class FormApp:
    """Event plumbing shared by the simulator apps.

    A subclass sets ``language``, ``currency`` and ``plan`` and provides ``recompute()``,
    ``_relabel()`` and ``_fill_inputs(plan)``. While ``_quiet`` is true (inside ``_hold()``),
    changes to the boxes are the app's own and do not trigger a recompute.
    """

    _quiet = False

    @contextlib.contextmanager
    def _hold(self):
        was, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = was

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
