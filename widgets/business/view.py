"""The business-plan app: ipywidgets wired to :mod:`widgets.business.model`.

No arithmetic lives here. The view reads what a person types (through
:mod:`widgets.money`), builds a :class:`~widgets.business.model.BusinessPlan`,
asks :func:`~widgets.business.model.analyse`, and shows the answer: a cash
chart and the three cases (bqplot marks updated in place), plain sentences
(:mod:`widgets.business.text`), and files to keep: the plan file, the tables
as CSV and the whole plan as a PDF to print and hand in
(:mod:`widgets.business.report`).

Five steps, each built when first opened so that a phone gets a light page:
1 My idea, 2 Start-up money, 3 Price and costs, 4 Funding, 5 Results.
The cash chart and the sentences stay in view while editing.

Use it in a notebook (or Voila) with::

    from widgets.business.view import business_app
    business_app()
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re

import bqplot as bq
import ipywidgets as W
import numpy as np

from widgets import loans
from widgets.appkit import CSS as CSS_BASE
from widgets.appkit import Field, FormApp, InputProblem, download_link
from widgets.business import model, planfile, report, text
from widgets.business.model import (
    TEMPLATES,
    BusinessPlan,
    BusinessPlanError,
    Equipment,
    Funding,
)
from widgets.checks import PlanError
from widgets.i18n import LANGUAGES, N_, gettext_for
from widgets.loans import Loan
from widgets.money import CURRENCIES, AmountError, currency_symbol, format_number

log = logging.getLogger(__name__)

# --- what the app asks, described as data -----------------------------------


STEPS = (N_("My idea"), N_("Start-up money"), N_("Price and costs"), N_("Funding"),
         N_("Results"))
IDEA, STARTUP, PRICE, FUNDING, RESULTS = range(len(STEPS))

IDEA_FIELDS = [
    Field("name", N_("Name of the business"), "text"),
    Field("profile.owner", N_("Who runs it (owner)"), "longtext"),
    Field("profile.idea", N_("My business idea, in a few words"), "longtext"),
]
#: The rest of the plan's words, under "Tell more about the business" (built when opened).
MORE_FIELDS = [
    Field("profile.product", N_("What I sell"), "longtext"),
    Field("profile.customers", N_("Who will buy (my customers)"), "longtext"),
    Field("profile.competitors", N_("Who else sells the same (competitors)"), "longtext"),
    Field("profile.price_note", N_("How I set my price"), "text"),
    Field("profile.place", N_("Where I sell"), "text"),
    Field("profile.promotion", N_("How people will hear about it"), "text"),
    Field("profile.staff", N_("Who works in the business"), "text"),
    Field("profile.legal_form", N_("Kind of business (alone, with partners, cooperative)"), "text"),
    Field("profile.registration", N_("Permits and registration needed"), "text"),
]
STARTUP_FIELDS = [
    Field("preopening", N_("Before opening: permits, registration, repairs, training"), "money"),
    Field("first_stock", N_("First stock of goods and materials"), "money"),
    Field("working_capital", N_("Cash kept aside for the first months (working capital)"), "money"),
]
PRICE_FIELDS = [
    Field("price", N_("Selling price of one unit"), "money"),
    Field("materials_per_unit", N_("Materials for one unit"), "money"),
    Field("labour_per_unit", N_("Labour paid for each unit (piece rate)"), "money"),
    Field("units_per_month", N_("Units sold in an average month"), "number"),
    Field("fixed_costs", N_("Fixed costs each month: rent, electricity, wages, your own pay"),
          "money"),
    Field("credit_sales_pct", N_("Share of sales paid one month later (on credit)"),
          "percent", 100),
]
#: Seasonality is a multiplier in the model (1.0 = an average month), shown as a percentage.
SEASON_FIELDS = [Field(f"seasonality[{m}]", N_("Month {n}"), "factor", 10_000)
                 for m in range(12)]
EQUIPMENT_COLUMNS = [
    Field("name", N_("Equipment or tool"), "text"),
    Field("cost", N_("Cost"), "money"),
    Field("life_years", N_("Years it will last"), "years", 50),
]
#: A row of money: where it comes from, and for a loan, how the lender states it ("borrow
#: 5,000, pay back 200 every day, 30 times"). The app works out what it costs a year.
FUNDING_COLUMNS = [
    Field("source", N_("Where the money comes from"), "source"),
    Field("name", N_("Name"), "text"),
    Field("amount", N_("Amount"), "money"),
    Field("payment", N_("A loan: pay back each time"), "money"),
    Field("every", N_("How often"), "every"),
    Field("payments", N_("How many times"), "count", loans.max_payments("day")),
]
#: What a person may choose as where the money comes from: money not repaid, then loans.
SOURCE_CHOICES = (*model.SOURCES, *model.LOAN_KINDS)
CASE_COLOURS = {"worst": "#b00020", "expected": "#0b5d3b", "best": "#1f5fa8"}
SCALARS = {f.key: f for f in IDEA_FIELDS + MORE_FIELDS + STARTUP_FIELDS + PRICE_FIELDS}

#: Example plans: template key -> its name in the picker.
TEMPLATE_NAMES: dict[str, str] = {
    "sari_sari_store": N_("Sari-sari store (neighbourhood shop)"),
    "food_stall": N_("Food stall"),
    "tailoring": N_("Tailoring and sewing"),
    "tricycle": N_("Tricycle passenger transport"),
    "poultry": N_("Raising chickens"),
    "pigs": N_("Raising pigs"),
    "online_selling": N_("Selling online"),
}

#: Messages for each kind of mistake (codes from widgets.money and the model).
ERROR_MESSAGES = {
    "empty": N_("Please type a number (0 if none)."),
    "not_a_number": N_("This is not a number. Write it like {example}."),
    "ambiguous": N_("This can be read two ways. For thousands, write it like {thousands}; "
                    "with cents, like {example}."),
    "wrong_currency": N_("This looks like another currency. Type the amount in {currency}."),
    "negative": N_("This cannot be below zero."),
    "too_large": N_("This number is too large. Check for extra zeros."),
    "not_whole": N_("Please type a whole number."),
    "not_an_integer": N_("Please type a whole number."),
    "out_of_range": N_("This number is outside what is possible here."),
    "not_positive": N_("This must be more than zero."),
    "too_long": N_("This text is too long."),
    "required": N_("Please fill this in."),
    "not_a_choice": N_("Choose one of the options."),
    "repays_less": N_("These payments pay back less than you borrow. Check the payment and "
                      "how many times."),
    "never_repaid": N_("This payment does not even cover the interest: the loan would never be "
                       "repaid."),
    "takes_too_long": N_("No loan lasts that long here: at most 30 years."),
}
OTHER_ERROR = N_("This value is not possible here.")
FILE_MESSAGES = {
    "not_json": N_("This file is not a Homeward plan. Choose the .json file you saved."),
    "wrong_kind": N_("This file is not a Homeward business plan."),
    "newer_version": N_("This plan file is from another version of Homeward."),
    "too_large": N_("This file is too big to be a plan."),
    "bad_value": N_("This plan file was changed and has a value that is not possible ({field})."),
}
SAVINGS_FILE_MESSAGES = {
    **FILE_MESSAGES,
    "wrong_kind": N_("This file is not a Homeward savings plan. Choose the file you saved "
                     "in the savings simulator."),
}

CSS = CSS_BASE + """
<style>
.hw-business .hw-steps { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0; }
.hw-business .hw-steps button { flex: 1 1 auto; width: auto; }
.hw-business .hw-steps button.mod-primary { font-weight: 700; }
.hw-business .hw-nav { display: flex; gap: 8px; justify-content: space-between; margin: 10px 0; }
.hw-business .hw-nav button { flex: 1 1 0; max-width: 260px; }
.hw-business .hw-step-title h3 { margin: 8px 0 4px 0; }
.hw-business .hw-row { border-left: 3px solid #9cc; padding: 0 0 4px 8px; margin: 8px 0;
  width: 100%; }
.hw-business .hw-row-head { display: flex; justify-content: space-between; align-items: center; }
.hw-business .hw-note { color: #333; font-size: 15px; line-height: 1.4; }
.hw-business .hw-note p { margin: 4px 0; }
.hw-business .hw-rate { color: #0b5d3b; font-weight: 600; }
.hw-business .hw-rate.hw-high { color: #b00020; }
.hw-business .hw-rate p { margin: 4px 0; }
.hw-business .hw-rate .hw-kind-note { font-weight: 400; color: #333; }
.hw-business .hw-season { display: grid; grid-template-columns: repeat(auto-fill,
  minmax(100px, 1fr)); gap: 6px; width: 100%; }
.hw-business .hw-table-wrap { overflow-x: auto; max-width: 100%; }
.hw-business table.hw-table { border-collapse: collapse; width: 100%; font-size: 15px; }
.hw-business .hw-table th, .hw-business .hw-table td { border-bottom: 1px solid #ddd;
  padding: 4px 6px; text-align: right; }
.hw-business .hw-table td { white-space: nowrap; }
.hw-business .hw-table.hw-wrap td { white-space: normal; }
.hw-business .hw-table th { font-size: 14px; vertical-align: bottom; }
@media (max-width: 600px) { .hw-business table.hw-table { font-size: 14px; } }
.hw-business .hw-table th:first-child, .hw-business .hw-table td:first-child { text-align: left; }
.hw-business .hw-card { flex: 1 1 120px; }
.hw-business .hw-card.hw-bad b { color: #b00020; }
.hw-business .hw-field { min-width: 0; }
.hw-business .hw-row-fields { display: flex; flex-wrap: wrap; gap: 0 10px; width: 100%; }
.hw-business .hw-row-fields > .hw-field { flex: 1 1 170px; }
.hw-business .widget-html, .hw-business .widget-html-content { min-width: 0; max-width: 100%; }
.hw-business .hw-legend span { display: inline-block; margin: 0 14px 4px 0; }
.hw-business .hw-legend i { display: inline-block; width: 22px; height: 4px;
  vertical-align: middle; margin-right: 6px; }
.hw-business textarea { min-height: 64px; font-size: 16px; font-family: inherit; }
.hw-business .widget-textarea { width: 100%; }
.hw-business .widget-stack, .hw-business .widget-accordion { width: auto; }
@media (min-width: 900px) {
  /* the results stay in view while the steps scroll: sticky needs every box between them
     and the page's scroller to let its content overflow */
  .hw-business .hw-results { position: sticky; top: 0; align-self: flex-start;
    max-height: 100vh; overflow-y: auto; }
  .hw-business, .hw-business .hw-cols, .jp-OutputArea:has(.hw-business),
  .jp-OutputArea-child:has(.hw-business), .jp-OutputArea-output:has(.hw-business) {
    overflow: visible !important; }
}
</style>
"""


# --- the app -------------------------------------------------------------------


class BusinessApp(FormApp):
    """The whole app. ``BusinessApp().widget`` is what a page shows."""

    def __init__(self, plan: BusinessPlan | None = None, *, template: str | None = None,
                 currency: str = "PHP", language: str = "en"):
        self.language = language
        self.currency = currency
        if plan is None:
            template = template or "sari_sari_store"
            plan = TEMPLATES[template]
        self.template = template
        self.plan = plan  # the last good plan: always what is on screen
        self.analysis = None
        self._quiet = False
        self._inputs: dict[str, W.Widget] = {}
        self._errors: dict[str, W.HTML] = {}
        self._boxes: dict[str, W.VBox] = {}  # the box (label, input, error) of each input
        self._labels: list[tuple[W.HTML, str, str, dict, str]] = []  # widget, msgid, unit,
        # format values, and the kind of row it labels ("" if none)
        self._rows = {"equipment": 0, "funding": 0}
        self._used = {"equipment": [], "funding": []}  # plan index -> row index
        self._good_rows = {"equipment": [], "funding": []}  # the same, for the last good plan
        self._built: set[int] = set()
        self.log_output = W.Output(layout={"display": "none"})
        self._build()
        self.recompute()

    # language ---------------------------------------------------------------------
    @property
    def _(self):
        return gettext_for(self.language)

    def money(self, amount: float) -> str:
        return text.money(amount, self.currency, self.language)

    # building ------------------------------------------------------------------
    def _build(self) -> None:
        self.title = W.HTML()
        self.language_picker = W.Dropdown(
            options=[(name, code) for code, name in LANGUAGES.items()], value=self.language,
            layout={"width": "auto"})
        self.currency_picker = W.Dropdown(options=list(CURRENCIES), value=self.currency,
                                          layout={"width": "auto"})
        self.language_label, self.currency_label = W.HTML(), W.HTML()
        self.language_picker.observe(self._on_language, "value")
        self.currency_picker.observe(self._on_currency, "value")
        top = W.HBox([W.VBox([self.language_label, self.language_picker]),
                      W.VBox([self.currency_label, self.currency_picker])],
                     layout={"flex_flow": "row wrap", "grid_gap": "12px"})

        # the steps: buttons to jump, a stack that shows one, Back and Next
        self.step_buttons = [W.Button(layout={"width": "auto"}) for _ in STEPS]
        for i, button in enumerate(self.step_buttons):
            button.on_click(lambda _b, i=i: self.goto(i))
        steps_row = W.Box(self.step_buttons)
        steps_row.add_class("hw-steps")
        self.step_title = W.HTML()
        self.step_title.add_class("hw-step-title")
        self.stack = W.Stack([W.VBox(layout={"width": "100%"}) for _ in STEPS], selected_index=0)
        self.back_button = W.Button(layout={"width": "auto"})
        self.next_button = W.Button(layout={"width": "auto"}, button_style="primary")
        self.back_button.on_click(lambda _b: self.goto(self.step - 1))
        self.next_button.on_click(lambda _b: self.goto(self.step + 1))
        nav = W.Box([self.back_button, self.next_button])
        nav.add_class("hw-nav")

        # always in view: what the plan says
        self.banner = W.HTML()
        self.cards = W.HTML()
        self.sentences = W.HTML()
        self._build_cash_chart()
        self.save_link = W.HTML()
        self.save_link.add_class("hw-files")
        self.upload = W.FileUpload(accept=".json", multiple=False, layout={"width": "auto"})
        self.upload.observe(self._on_upload, "value")
        self.upload_label = W.HTML()
        self.upload_error = W.HTML()
        self.upload_error.add_class("hw-error")
        keep = W.VBox([self.upload_label, self.save_link, self.upload, self.upload_error])

        inputs = W.VBox([top, steps_row, self.step_title, self.stack, nav, keep])
        inputs.add_class("hw-col")
        self.example_note = W.HTML()
        results = W.VBox([self.banner, self.example_note, self.cards, self.cash_figure,
                          self.sentences])
        results.add_class("hw-col")
        results.add_class("hw-results")
        columns = W.Box([results, inputs])
        columns.add_class("hw-cols")
        self.widget = W.VBox([W.HTML(CSS), self.title, columns, self.log_output])
        self.widget.add_class("hw-app")
        self.widget.add_class("hw-business")
        self.step = 0
        self.goto(0)

    def _build_cash_chart(self) -> None:
        x = bq.OrdinalScale()
        y = bq.LinearScale()
        scales = {"x": x, "y": y}
        self.cash_bars = bq.Bars(scales=scales, colors=["#9cc9b4"], base=0.0, padding=0.25)
        self.short_bars = bq.Bars(scales=scales, colors=["#d9534f"], base=0.0, padding=0.25)
        self.cash_line = bq.Lines(scales=scales, colors=["#0b5d3b"], stroke_width=3,
                                  marker="circle", marker_size=24)
        self.cash_x_axis = bq.Axis(scale=x)
        self.cash_y_axis = bq.Axis(scale=y, side="left", tick_format=".2s",
                                   num_ticks=5)
        self.cash_figure = bq.Figure(
            marks=[self.cash_bars, self.short_bars, self.cash_line],
            axes=[self.cash_x_axis, self.cash_y_axis],
            fig_margin={"top": 34, "bottom": 40, "left": 50, "right": 10},
            layout={"width": "100%", "height": "280px", "min_width": "0"},
            animation_duration=0, title_style={"font-size": "15px"})
        self.cash_figure.add_class("hw-chart")
        self.cash_figure.add_class("hw-cash-chart")

    def _build_cases_chart(self) -> None:
        x = bq.LinearScale()
        y = bq.LinearScale()
        self.case_lines = bq.Lines(
            scales={"x": x, "y": y}, colors=list(CASE_COLOURS.values()), stroke_width=3)
        self.cases_x_axis = bq.Axis(scale=x, tick_values=np.arange(1, 13), tick_format="d")
        self.cases_y_axis = bq.Axis(scale=y, side="left", tick_format=".2s",
                                    num_ticks=5)
        self.cases_figure = bq.Figure(
            marks=[self.case_lines], axes=[self.cases_x_axis, self.cases_y_axis],
            fig_margin={"top": 34, "bottom": 40, "left": 50, "right": 18},
            layout={"width": "100%", "height": "280px", "min_width": "0"},
            animation_duration=0, title_style={"font-size": "15px"})
        self.cases_legend = W.HTML()
        self.cases_figure.add_class("hw-chart")
        self.cases_figure.add_class("hw-cases-chart")

    # steps ---------------------------------------------------------------------
    def goto(self, index: int) -> None:
        """Show step ``index`` (0-based), building it the first time."""
        index = max(0, min(len(STEPS) - 1, index))
        self._build_step(index)
        self.step = index
        self.stack.selected_index = index
        for i, button in enumerate(self.step_buttons):
            button.button_style = "primary" if i == index else ""
        self.back_button.disabled = index == 0
        self.next_button.disabled = index == len(STEPS) - 1
        self._relabel_steps()

    def _build_step(self, index: int) -> None:
        if index in self._built:
            return
        self._built.add(index)
        builder = [self._idea_step, self._startup_step, self._price_step, self._funding_step,
                   self._results_step][index]
        self.stack.children[index].children = builder()
        self._relabel()
        self._fill_inputs(self.plan)
        if self.analysis is not None:
            self._show_results()

    def _idea_step(self) -> list[W.Widget]:
        options = [(key, key) for key in TEMPLATES]
        self.template_picker = W.Dropdown(options=options, value=self.template,
                                          layout={"width": "auto"})
        self.template_picker.observe(self._on_template, "value")
        self.template_note = W.HTML()
        self.template_note.add_class("hw-note")
        self.more = W.Accordion(children=[W.VBox()], selected_index=None)
        self.more.observe(self._on_more, "selected_index")
        return [self._label(N_("Start from an example (illustrative numbers)")),
                self.template_picker, self.template_note,
                *[self._field_box(f) for f in IDEA_FIELDS], self.more]

    def _on_more(self, change) -> None:
        if change["new"] is None or self.more.children[0].children:
            return
        self.more.children[0].children = [self._field_box(f) for f in MORE_FIELDS]
        self._relabel()
        self._fill_inputs(self.plan)

    def _startup_step(self) -> list[W.Widget]:
        self.equipment_box = W.VBox(layout={"width": "100%"})
        self.add_equipment = W.Button(icon="plus", layout={"width": "auto"})
        self.add_equipment.on_click(lambda _b: self._add_row("equipment"))
        self.capital_note = W.HTML()
        self.capital_note.add_class("hw-note")
        return [self._label(N_("Equipment and tools to buy")), self.equipment_box,
                self.add_equipment, *[self._field_box(f) for f in STARTUP_FIELDS],
                self.capital_note]

    def _price_step(self) -> list[W.Widget]:
        self.costing_note = W.HTML()
        self.costing_note.add_class("hw-note")
        self.season = W.Accordion(children=[W.VBox()], selected_index=None)
        self.season.observe(self._on_season, "selected_index")
        return [*[self._field_box(f) for f in PRICE_FIELDS], self.costing_note, self.season]

    def _on_season(self, change) -> None:
        if change["new"] is None or self.season.children[0].children:
            return
        help_text = self._note(N_("100 is an average month. Type 150 for a busy month "
                                  "(half as many sales again), 50 for a slow one."))
        grid = W.Box([self._field_box(f, {"n": i + 1}) for i, f in enumerate(SEASON_FIELDS)])
        grid.add_class("hw-season")
        self.season.children[0].children = [help_text, grid]
        self._relabel()
        self._fill_inputs(self.plan)

    def _funding_step(self) -> list[W.Widget]:
        self.funding_box = W.VBox(layout={"width": "100%"})
        self.add_funding = W.Button(icon="plus", layout={"width": "auto"})
        self.add_funding.on_click(lambda _b: self._add_row("funding"))
        self.funding_note = W.HTML()
        self.funding_note.add_class("hw-note")
        self.savings_upload = W.FileUpload(accept=".json", multiple=False,
                                           layout={"width": "auto"})
        self.savings_upload.observe(self._on_savings_upload, "value")
        self.savings_error = W.HTML()
        self.savings_error.add_class("hw-error")
        self.savings_note = W.HTML()
        self.savings_note.add_class("hw-note")
        return [self.funding_note,
                self._note(N_("For a loan, type it the way the lender says it: how much you "
                              "borrow, how much you pay back each time, how often, and how many "
                              "times. For example, a 5-6 lender: borrow 5,000, pay back 200 "
                              "every day, 30 times. At a pawnshop, type the interest you pay "
                              "each month. The app works out what the loan costs a year.")),
                self.funding_box, self.add_funding,
                self._label(N_("Have a savings plan from the Homeward savings simulator?")),
                self.savings_upload, self.savings_note, self.savings_error]

    def _results_step(self) -> list[W.Widget]:
        self._build_cases_chart()
        self.results_tables = W.HTML()
        self.downloads = W.HTML()
        self.downloads.add_class("hw-files")
        self.pdf_button = W.Button(layout={"width": "auto"}, button_style="success",
                                   icon="file-pdf-o")
        self.pdf_button.on_click(self._on_pdf)
        self.pdf_link = W.HTML()
        self.pdf_link.add_class("hw-files")
        return [self.cases_figure, self.cases_legend, self.results_tables, self.pdf_button,
                self.pdf_link, self.downloads]

    # rows of equipment and funding -------------------------------------------------
    def _add_row(self, kind: str, refresh: bool = True) -> None:
        r = self._rows[kind]
        self._rows[kind] += 1
        columns = EQUIPMENT_COLUMNS if kind == "equipment" else FUNDING_COLUMNS
        boxes = [self._field_box(dataclasses.replace(f, key=f"{kind}[{r}].{f.key}"))
                 for f in columns]
        remove = W.Button(icon="trash", layout={"width": "auto"})
        remove.on_click(lambda _b: self._clear_row(kind, r))
        remove.add_class(f"hw-remove-{kind}")
        self._inputs[f"{kind}[{r}].remove"] = remove
        head = W.Box([self._label(N_("Item {n}") if kind == "equipment" else N_("Money {n}"),
                                  fmt={"n": r + 1}, group=kind), remove])
        head.add_class("hw-row-head")
        fields = W.Box(boxes)
        fields.add_class("hw-row-fields")
        children = [head, fields]
        if kind == "funding":
            rate = W.HTML()
            rate.add_class("hw-rate")
            self._inputs[f"funding[{r}].true_rate"] = rate
            children.append(rate)
        row = W.VBox(children)
        row.add_class("hw-row")
        box = self.equipment_box if kind == "equipment" else self.funding_box
        box.children = (*box.children, row)
        if refresh:
            self._relabel()

    def _clear_row(self, kind: str, r: int) -> None:
        """Empty a row: an empty row is left out of the plan."""
        columns = EQUIPMENT_COLUMNS if kind == "equipment" else FUNDING_COLUMNS
        with self._hold():
            for f in columns:
                widget = self._inputs[f"{kind}[{r}].{f.key}"]
                if isinstance(widget, W.Text):
                    widget.value = ""
        self.recompute()

    def _set_rows(self, kind: str, count: int) -> None:
        """Make exactly ``count`` rows (the plan's items and one spare row for a new one)."""
        if self._rows[kind] == count:
            return
        box = self.equipment_box if kind == "equipment" else self.funding_box
        for key in [k for k in self._inputs if k.startswith(f"{kind}[")]:
            del self._inputs[key]
            self._errors.pop(key, None)
            self._boxes.pop(key, None)
        self._labels = [entry for entry in self._labels if entry[4] != kind]
        for row in box.children:
            _close_tree(row)
        box.children = ()
        self._rows[kind] = 0
        for _ in range(count):
            self._add_row(kind, refresh=False)

    # labels ----------------------------------------------------------------------
    def _label(self, msgid: str, unit: str = "", fmt: dict | None = None,
               group: str = "") -> W.HTML:
        label = W.HTML()
        label.add_class("hw-label")
        self._labels.append((label, msgid, unit, fmt or {}, group))
        return label

    def _note(self, msgid: str) -> W.HTML:
        note = W.HTML()
        note.add_class("hw-note")
        self._labels.append((note, msgid, "", {}, ""))
        return note

    def _field_box(self, field: Field, fmt: dict | None = None) -> W.VBox:
        fill = {"width": "auto"}  # stretches to the column, margins included
        if field.unit == "source":
            widget = W.Dropdown(options=list(SOURCE_CHOICES), layout=fill)
        elif field.unit == "every":
            widget = W.Dropdown(options=list(loans.EVERY), value="month", layout=fill)
        elif field.unit == "longtext":
            widget = W.Textarea(continuous_update=False, rows=2, layout=fill)
        else:
            widget = W.Text(continuous_update=False, layout=fill)
        widget.observe(lambda change, key=field.key: self._on_input(key), "value")
        error = W.HTML()
        error.add_class("hw-error")
        self._inputs[field.key] = widget
        self._errors[field.key] = error
        group = field.key.split("[")[0] if field.key.startswith(("equipment[", "funding[")) else ""
        label = self._label(field.label, field.unit, fmt, group)
        box = W.VBox([label, widget, error])
        self._boxes[field.key] = box
        box.add_class("hw-field")
        box.add_class("hw-f-" + re.sub(r"[^a-z0-9]+", "-", field.key))  # e.g. hw-f-funding-1-rate
        return box

    def _unit(self, unit: str) -> str:
        return {"money": currency_symbol(self.currency, self.language),
                "percent": "%", "factor": "%"}.get(unit, "")

    def _relabel(self) -> None:
        _ = self._
        self.title.value = "<h2 style='margin:4px 0'>{}</h2><p>{}</p>".format(
            html.escape(_("My business plan")),
            html.escape(_("Plan your business step by step: your idea, the money to start, "
                          "prices and costs, and where the money comes from. The results "
                          "change as you type.")))
        self.language_label.value = html.escape(_("Language"))
        self.currency_label.value = html.escape(_("Currency"))
        self.upload_label.value = html.escape(
            _("Carry on later: save your plan, then open it again."))
        self.upload.description = _("Open a saved plan")
        self.cash_figure.title = _("Cash at the end of each month")
        self.cash_x_axis.label = _("Month")
        for label, msgid, unit, fmt, _group in self._labels:
            suffix = self._unit(unit)
            words = _(msgid).format(**fmt) if fmt else _(msgid)
            label.value = html.escape(words + (f" ({suffix})" if suffix else ""))
        for key, widget in self._inputs.items():
            if key.endswith(".source"):
                self._set_options(widget, [(_(_source_name(s)), s) for s in SOURCE_CHOICES])
            elif key.endswith(".every"):
                self._set_options(widget, [(_(m), e) for e, m in text.EVERY_NAMES.items()])
            elif key.endswith(".remove"):
                widget.tooltip = _("Remove this row")
        if IDEA in self._built:
            self._set_options(self.template_picker,
                              [(_(TEMPLATE_NAMES.get(k, k)), k) for k in TEMPLATES])
            self.template_note.value = "<p>{}</p>".format(html.escape(
                _("The examples are illustrative, with amounts in Philippine pesos. "
                  "Change every number to your own prices and amounts.")))
            self.more.set_title(0, _("Tell more about the business"))
        if STARTUP in self._built:
            self.add_equipment.description = _("Add equipment")
        if PRICE in self._built:
            self.season.set_title(0, _("Busy and slow months"))
        if FUNDING in self._built:
            self.add_funding.description = _("Add money or a loan")
            self.savings_upload.description = _("Use my savings plan file")
        if RESULTS in self._built:
            self.cases_figure.title = _("Cash in three cases")
            self.cases_x_axis.label = _("Month")
            self.case_lines.labels = [_(text.CASE_NAMES[c]) for c in model.CASES]
            names = {case: html.escape(_(msgid)) for case, msgid in text.CASE_NAMES.items()}
            self.cases_legend.value = "<div class='hw-legend'>{}</div>".format("".join(
                f"<span><i style='background:{CASE_COLOURS[c]}'></i>{names[c]}</span>"
                for c in model.CASES))
            self.pdf_button.description = _("Make the printable plan (PDF)")
        self._relabel_steps()

    def _relabel_steps(self) -> None:
        _ = self._
        for i, (button, title) in enumerate(zip(self.step_buttons, STEPS, strict=True)):
            button.description = f"{i + 1}. {_(title)}"
        self.back_button.description = _("Back")
        self.next_button.description = _("Next")
        self.step_title.value = "<h3>{}</h3>".format(html.escape(
            _("Step {n} of {total}: {title}").format(
                n=self.step + 1, total=len(STEPS), title=_(STEPS[self.step]))))

    def _set_options(self, picker: W.Dropdown, options: list[tuple[str, str]]) -> None:
        with self._hold():
            current = picker.value
            picker.options = options
            picker.value = current

    # reading and writing the boxes --------------------------------------------------
    def field(self, key: str) -> W.Widget:
        """The input widget of a plan field, building its step (and part) if needed."""
        self._open_field(key)
        return self._inputs[key]

    def _open_field(self, key: str) -> None:
        step = step_of(key)
        self.goto(step)
        if key in SCALARS and SCALARS[key] in MORE_FIELDS:
            self.more.selected_index = 0
        if key.startswith("seasonality["):
            self.season.selected_index = 0
        match = re.match(r"(equipment|funding)\[(\d+)\]", key)
        while match and int(match.group(2)) >= self._rows[match.group(1)]:
            self._add_row(match.group(1))

    def _format(self, value, unit: str) -> str:
        if unit in ("text", "longtext"):
            return str(value)
        if unit in ("source", "every"):
            return value
        if value is None or value == "":
            return ""
        if unit == "factor":  # a multiplier shown as a percentage
            value = round(float(value) * 100, 6)
        elif unit == "percent":
            value = round(float(value), 6)
        return super()._format(value, unit)

    def _fill_inputs(self, plan: BusinessPlan) -> None:
        """Show a plan's values in the boxes that exist, formatted for the reader."""
        with self._hold():
            for key, field in SCALARS.items():
                if key in self._inputs:
                    value = _get(plan, key)
                    if field.unit in ("text", "longtext"):  # an example's words, translated
                        value = text.name_of(value, self.language)
                    self._inputs[key].value = self._format(value, field.unit)
            for field in SEASON_FIELDS:
                if field.key in self._inputs:
                    self._inputs[field.key].value = self._format(_get(plan, field.key), "factor")
            if STARTUP in self._built:
                self._fill_rows("equipment", plan.equipment, EQUIPMENT_COLUMNS)
            if FUNDING in self._built:
                self._fill_rows("funding", plan.funding, FUNDING_COLUMNS)
            if IDEA in self._built and self.template in TEMPLATES:
                self.template_picker.value = self.template
            for error in self._errors.values():
                error.value = ""

    def _fill_rows(self, kind: str, items, columns: list[Field]) -> None:
        if self._rows[kind] != len(items) + 1:
            self._set_rows(kind, len(items) + 1)
            self._relabel()
        for r, item in enumerate(items):
            for f in columns:
                value = _row_value(item, f.key)
                if f.key == "name":
                    value = text.name_of(value, self.language)
                self._inputs[f"{kind}[{r}].{f.key}"].value = self._format(value, f.unit)
        spare = len(items)
        for f in columns:
            widget = self._inputs[f"{kind}[{spare}].{f.key}"]
            if isinstance(widget, W.Dropdown):
                widget.value = "family" if f.unit == "source" else "month"
            else:
                widget.value = ""
        self._used[kind] = list(range(len(items)))
        self._good_rows[kind] = list(range(len(items)))

    def _parse(self, raw: str, field: Field) -> float:
        number = super()._parse(raw, field)
        if field.unit == "factor":
            return number / 100  # seasonality is a multiplier: 150% -> 1.5
        return number

    def _read(self, key: str, field: Field, problems: dict):
        raw = self._inputs[key].value
        if field.unit in ("text", "longtext"):
            return raw.strip()
        if field.unit in ("source", "every"):
            return raw
        try:
            return self._parse(raw, field)
        except AmountError as err:
            problems[key] = err.code
            return None

    def read_plan(self) -> BusinessPlan:
        """Build a plan from the boxes. Raises InputProblem naming the first bad box."""
        problems: dict[str, str] = {}
        values = {}
        profile = {}
        for key, field in SCALARS.items():
            if key not in self._inputs:  # not opened yet: the plan's value stands
                continue
            value = self._read(key, field, problems)
            if key.startswith("profile."):
                profile[key.split(".", 1)[1]] = value
            else:
                values[key] = value
        if SEASON_FIELDS[0].key in self._inputs:
            values["seasonality"] = tuple(self._read(f.key, f, problems) for f in SEASON_FIELDS)
        if STARTUP in self._built:
            values["equipment"] = tuple(self._read_rows("equipment", EQUIPMENT_COLUMNS, problems))
        if FUNDING in self._built:
            values["funding"] = tuple(self._read_rows("funding", FUNDING_COLUMNS, problems))
        self._show_problems(problems)
        if problems:
            key, code = next(iter(problems.items()))
            raise InputProblem(key, code)
        return dataclasses.replace(
            self.plan, **values,
            profile=dataclasses.replace(self.plan.profile, **profile))

    def _read_rows(self, kind: str, columns: list[Field], problems: dict) -> list:
        _ = self._
        items, used = [], []
        for r in range(self._rows[kind]):
            keys = {f.key: f"{kind}[{r}].{f.key}" for f in columns}
            name = self._inputs[keys["name"]].value.strip()
            amount_key = "cost" if kind == "equipment" else "amount"
            if not name and not self._inputs[keys[amount_key]].value.strip():
                continue  # an empty row is not part of the plan
            if kind == "equipment":
                row = {f.key: self._read(keys[f.key], f, problems) for f in columns}
                if any(row[f.key] is None for f in columns):
                    continue
                items.append(Equipment(name or _("Item {n}").format(n=r + 1), row["cost"],
                                       row["life_years"]))
            else:
                item = self._read_funding(r, keys, name, problems)
                if item is None:
                    continue
                items.append(item)
            used.append(r)
        self._used[kind] = used
        return items

    def _read_funding(self, r: int, keys: dict[str, str], name: str,
                      problems: dict) -> Funding | Loan | None:
        """One row of money: a Funding, or a loan stated as the lender states it. A row that
        still says what the plan's item says keeps that item (its stated yearly rate too)."""
        _ = self._
        source = self._inputs[keys["source"]].value
        fields = {f.key: f for f in FUNDING_COLUMNS}
        amount = self._read(keys["amount"], fields["amount"], problems)
        label = name or _(_source_name(source))
        if source in model.SOURCES:
            return None if amount is None else Funding(label, source, amount)
        payment_text = self._inputs[keys["payment"]].value.strip()
        count = self._read(keys["payments"], fields["payments"], problems)
        payment = None
        if payment_text or source != "relative":
            payment = self._read(keys["payment"], fields["payment"], problems)
        if amount is None or count is None or (payment is None and source != "relative"):
            return None
        every = self._inputs[keys["every"]].value
        old = self._item_at(r)
        if (isinstance(old, Loan) and old.kind == source and old.every == every
                and text.name_of(old.name, self.language) == label
                and (old.amount, old.payment, old.payments) == (amount, payment, int(count))):
            return old
        try:
            if payment is None:  # family or friends, no interest: the amount in equal parts
                return loans.relative(amount, int(count), every, name=label)
            return loans.stated(source, amount, payment, int(count), every, label)
        except PlanError as err:
            column = {"last_payment": "payment", "kind": "source"}.get(err.field, err.field)
            problems[keys.get(column, keys["payment"])] = err.code
            return None

    def _show_loan_boxes(self) -> None:
        """A row of money that is not repaid (savings, a gift, a grant) hides the loan's boxes."""
        for r in range(self._rows["funding"]):
            source = self._inputs[f"funding[{r}].source"].value
            shown = None if source not in model.SOURCES else "none"
            for key in ("payment", "every", "payments"):
                box = self._boxes.get(f"funding[{r}].{key}")
                if box is not None and box.layout.display != shown:
                    box.layout.display = shown

    def _item_at(self, r: int):
        """The last good plan's funding item shown in row ``r`` (None for the spare row)."""
        used = self._good_rows["funding"]
        if r in used and used.index(r) < len(self.plan.funding):
            return self.plan.funding[used.index(r)]
        return None

    def _box_of(self, field: str) -> str:
        """The box of a model field: ``funding[1].rate`` may sit in row 2 if row 1 is empty."""
        match = re.match(r"(equipment|funding)\[(\d+)\](.*)", field)
        if match:
            kind, index, rest = match.group(1), int(match.group(2)), match.group(3)
            rest = {".last_payment": ".payment", ".kind": ".source",
                    ".yearly_rate_pct": ".payment"}.get(rest, rest)
            used = self._used[kind]
            row = used[index] if index < len(used) else index
            return f"{kind}[{row}]{rest}"
        return field

    def _show_problems(self, problems: dict[str, str]) -> None:
        _ = self._
        example = format_number(5000.5, self.language, 2)
        words = {"example": example, "thousands": format_number(30_000, self.language),
                 "currency": self.currency}
        for key, error in self._errors.items():
            code = problems.get(key)
            message = ERROR_MESSAGES.get(code, OTHER_ERROR) if code else ""
            error.value = html.escape(_(message).format(**words)) if code else ""

    # computing and showing -------------------------------------------------------
    def recompute(self) -> bool:
        """Read the boxes; if the plan is good, analyse it and show it. Returns success."""
        _ = self._
        if FUNDING in self._built:
            self._show_loan_boxes()
        try:
            plan = self.read_plan()
            analysis = model.analyse(plan)
        except (BusinessPlanError, InputProblem) as err:
            key = self._box_of(err.field) if isinstance(err, BusinessPlanError) else err.field
            if key not in self._errors:
                try:
                    self._open_field(key)
                except KeyError:
                    pass
            if key in self._errors:
                self._show_problems({key: err.code})
            self.banner.value = "<div class='hw-banner'>{}</div>".format(html.escape(
                _("Some boxes need fixing (see the red message). Your last good plan is shown.")))
            return False
        except Exception:  # never a traceback on the page
            log.exception("business recompute failed")
            with self.log_output:
                log.exception("business recompute failed")
            self.banner.value = "<div class='hw-banner'>{}</div>".format(html.escape(
                _("Something went wrong. Your last good plan is shown.")))
            return False
        self.plan, self.analysis = plan, analysis
        self._good_rows = {kind: list(rows) for kind, rows in self._used.items()}
        self.banner.value = ""
        self._show_results()
        return True

    def sentence_list(self) -> list[str]:
        """The results as sentences a person can read, in her language."""
        return text.sentences(self.analysis, self.currency, self.language)

    def _show_results(self) -> None:
        a = self.analysis
        table = a.tables["expected"]
        months = table["month"].to_numpy()
        cash = table["closing_cash"].to_numpy()
        short = table["cash_short"].to_numpy().astype(bool)
        with self.cash_figure.hold_sync():
            self.cash_bars.x, self.short_bars.x, self.cash_line.x = months, months, months
            self.cash_bars.y = np.where(short, 0.0, cash)
            self.short_bars.y = np.where(short, cash, 0.0)
            self.cash_line.y = cash
        self.cards.value = self._cards_html()
        example = TEMPLATES.get(self.template)
        pesos = (self.currency != "PHP" and example is not None
                 and _numbers(self.plan) == _numbers(example))
        self.example_note.value = "<div class='hw-banner'>{}</div>".format(html.escape(
            self._("These are the example's illustrative amounts in Philippine pesos, not in "
                   "{currency}. Change them to your own prices.").format(
                currency=self.currency))) if pesos else ""
        self.sentences.value = "<div class='hw-sentences'>{}</div>".format(
            "".join(f"<p>{html.escape(s)}</p>" for s in self.sentence_list()))
        self._refresh_save()
        self._show_step_notes()

    def _cards_html(self) -> str:
        cards = text.cards(self.analysis, self.currency, self.language)
        bad = {1: self.analysis.totals["expected"].profit < 0,
               2: self.analysis.totals["expected"].lowest_cash < 0}
        return "<div class='hw-cards'>{}</div>".format("".join(
            "<div class='hw-card{}'>{}<b>{}</b></div>".format(
                " hw-bad" if bad.get(i) else "", html.escape(label), html.escape(value))
            for i, (label, value) in enumerate(cards)))

    def _show_step_notes(self) -> None:
        """The small summaries under the steps that are built."""
        _ = self._
        a = self.analysis
        if STARTUP in self._built:
            c = a.capital
            self.capital_note.value = "<p><b>{}</b></p>".format(html.escape(
                _("Start-up money needed: {total} (equipment {equipment}, before opening "
                  "{preopening}, first stock {stock}, cash kept aside {working}).").format(
                    total=self.money(c.total), equipment=self.money(c.equipment),
                    preopening=self.money(c.preopening), stock=self.money(c.first_stock),
                    working=self.money(c.working_capital))))
        if PRICE in self._built:
            k = a.costing
            self.costing_note.value = "<p><b>{}</b></p><p>{}</p>".format(
                html.escape(_("Each unit costs you {cost} to make and sell (materials {materials}, "
                              "labour {labour}, share of the fixed costs {overhead}).").format(
                    cost=self.money(k.cost_per_unit), materials=self.money(k.materials),
                    labour=self.money(k.labour), overhead=self.money(k.overhead_per_unit))),
                html.escape(_("You sell it for {price}: you keep {margin} on each unit "
                              "({pct} of the price).").format(
                    price=self.money(k.price), margin=self.money(k.margin_per_unit),
                    pct=text.percent(k.margin_pct, self.language))))
        if FUNDING in self._built:
            self._show_loan_boxes()
            self.funding_note.value = "<p><b>{}</b></p>".format(html.escape(
                _("You need {total} to start. Where will the money come from?").format(
                    total=self.money(a.capital.total))))
            rates = dict(zip(self._used["funding"], a.rates, strict=False))
            for r in range(self._rows["funding"]):
                box = self._inputs[f"funding[{r}].true_rate"]
                rate = rates.get(r)
                item = a.plan.funding[self._used["funding"].index(r)] if r in rates else None
                if not isinstance(item, Loan) or rate is None:
                    box.value = ""
                    continue
                kind = loans.KINDS[item.kind]
                box.value = "<p>{}</p><p>{}</p><p class='hw-kind-note'>{}</p>".format(
                    html.escape(_("You pay back {terms}.").format(
                        terms=text.loan_terms(item, self.currency, self.language))),
                    html.escape(text.rates_sentence(rate, self.language)),
                    html.escape(_(kind.note)))
                box.remove_class("hw-high")
                if item.kind in ("five_six", "pawnshop") or rate.apr_pct >= 100:
                    box.add_class("hw-high")
        if RESULTS in self._built:
            self._show_results_step()

    def _show_results_step(self) -> None:
        a = self.analysis
        with self.cases_figure.hold_sync():
            self.case_lines.x = a.tables["expected"]["month"].to_numpy()
            self.case_lines.y = np.vstack(
                [a.tables[c]["closing_cash"].to_numpy() for c in model.CASES])
        self.results_tables.value = report.results_html(a, self.currency, self.language)
        self.pdf_link.value = ""
        self._refresh_downloads()

    # keeping the plan ------------------------------------------------------------
    def saved_plan(self) -> planfile.SavedBusinessPlan:
        return planfile.SavedBusinessPlan(self.plan, self.currency, self.language, self.template)

    def _refresh_save(self) -> None:
        plan_json = planfile.dumps(self.saved_plan()).encode("utf-8")
        self.save_link.value = download_link(plan_json, "application/json",
                                             "homeward-business-plan.json", self._("Save my plan"),
                                             "hw-save")

    def _refresh_downloads(self) -> None:
        _ = self._
        monthly = report.monthly_csv(self.analysis, self.language).encode("utf-8")
        loans = report.loans_csv(self.analysis, self.language).encode("utf-8")
        self.downloads.value = "".join([
            download_link(monthly, "text/csv", "homeward-business-12-months.csv",
                          _("Download the 12-month table (CSV)"), "hw-csv"),
            download_link(loans, "text/csv", "homeward-business-loans.csv",
                          _("Download the loan schedules (CSV)"), "hw-loans-csv"),
        ])

    def _on_pdf(self, _button=None) -> None:
        _ = self._
        try:
            pdf = report.plan_pdf(self.analysis, self.currency, self.language,
                                  self.sentence_list())
        except report.FontMissing:
            log.exception("no font for the PDF")
            self.pdf_link.value = html.escape(
                _("The printable plan cannot be made on this computer: a font is missing."))
            return
        except Exception:
            log.exception("PDF failed")
            self.pdf_link.value = html.escape(
                _("Something went wrong. Your last good plan is shown."))
            return
        self.pdf_link.value = download_link(pdf, "application/pdf", "homeward-business-plan.pdf",
                                            _("Download the printable plan (PDF)"), "hw-pdf")

    def open_plan(self, content: bytes | str) -> bool:
        """Open a plan file; on any problem, say so and keep the plan on screen."""
        _ = self._
        try:
            saved = planfile.loads(content)
        except planfile.BusinessPlanFileError as err:
            message = _(FILE_MESSAGES.get(err.code, FILE_MESSAGES["wrong_kind"]))
            self.upload_error.value = html.escape(message.format(field=err.field or ""))
            return False
        self.upload_error.value = ""
        self.currency, self.template = saved.currency, saved.template
        with self._hold():
            self.currency_picker.value = saved.currency
        self.plan = saved.plan
        self._fill_inputs(saved.plan)
        self._relabel()
        return self.recompute()

    def use_savings_file(self, content: bytes | str) -> bool:
        """Fill in "my own savings" from a savings-simulator plan file."""
        _ = self._
        self.goto(FUNDING)
        try:
            amount, currency = planfile.own_savings_from_savings_file(content)
        except planfile.BusinessPlanFileError as err:
            message = _(SAVINGS_FILE_MESSAGES.get(err.code, SAVINGS_FILE_MESSAGES["wrong_kind"]))
            self.savings_error.value = html.escape(message.format(field=err.field or ""))
            return False
        if currency != self.currency:
            self.savings_error.value = html.escape(
                _("Your savings plan is in {theirs}, this business plan in {ours}. "
                  "Choose {theirs} above first, or type the amount yourself.").format(
                    theirs=currency, ours=self.currency))
            return False
        self.savings_error.value = ""
        own = [i for i, f in enumerate(self.plan.funding)
               if isinstance(f, Funding) and f.source == "own_savings"]
        funding = list(self.plan.funding)
        if own:
            funding[own[0]] = dataclasses.replace(funding[own[0]], amount=amount)
        else:
            funding.insert(0, Funding(_("My savings"), "own_savings", amount))
        self.plan = dataclasses.replace(self.plan, funding=tuple(funding))
        self._fill_inputs(self.plan)
        self.savings_note.value = "<p>{}</p>".format(html.escape(
            _("From your savings plan: {amount} of your own savings when you come home.").format(
                amount=self.money(amount))))
        return self.recompute()

    # events ----------------------------------------------------------------------
    def _on_template(self, change) -> None:
        if self._quiet or change["new"] not in TEMPLATES:
            return
        self.template = change["new"]
        self.plan = TEMPLATES[self.template]
        self._fill_inputs(self.plan)
        self.recompute()

    def _on_upload(self, change) -> None:
        content = _uploaded(change["new"])
        if content is not None:
            self.open_plan(content)

    def _on_savings_upload(self, change) -> None:
        content = _uploaded(change["new"])
        if content is not None:
            self.use_savings_file(content)


def step_of(key: str) -> int:
    """The step (0-based) that holds a plan field.

    >>> [STEPS[step_of(k)] for k in ("profile.customers", "equipment[2].cost", "seasonality[3]",
    ...                              "funding[0].payment")]
    ['My idea', 'Start-up money', 'Price and costs', 'Funding']
    """
    if key.startswith("equipment[") or key in {f.key for f in STARTUP_FIELDS}:
        return STARTUP
    if key.startswith("seasonality[") or key in {f.key for f in PRICE_FIELDS}:
        return PRICE
    if key.startswith("funding["):
        return FUNDING
    if key in SCALARS:
        return IDEA
    raise KeyError(key)


def _get(plan: BusinessPlan, key: str):
    """The value of a plan field by its path, e.g. ``profile.idea`` or ``seasonality[3]``."""
    match = re.fullmatch(r"(\w+)\[(\d+)\](?:\.(\w+))?", key)
    if match:
        item = getattr(plan, match.group(1))[int(match.group(2))]
        return getattr(item, match.group(3)) if match.group(3) else item
    value = plan
    for part in key.split("."):
        value = getattr(value, part)
    return value


def _numbers(plan: BusinessPlan) -> tuple:
    """The amounts of a plan without its words (to tell whether an example's numbers stand)."""
    words = {"name", "profile", "equipment", "funding"}
    return (tuple(getattr(plan, f.name) for f in dataclasses.fields(plan) if f.name not in words),
            tuple((e.cost, e.life_years) for e in plan.equipment),
            tuple(dataclasses.astuple(dataclasses.replace(f, name="")) for f in plan.funding))


def _close_tree(widget: W.Widget) -> None:
    """Close a widget and everything inside it (their models leave the page)."""
    for child in getattr(widget, "children", ()):
        _close_tree(child)
    for part in ("layout", "style"):
        if isinstance(getattr(widget, part, None), W.Widget):
            getattr(widget, part).close()
    widget.close()


def _uploaded(files) -> bytes | None:
    if not files:
        return None
    item = files[0]
    return bytes(item["content"] if isinstance(item, dict) else item.content)


def business_app(**options) -> W.Widget:
    """The business-plan app's widget, for a Voila app or a lesson notebook."""
    return BusinessApp(**options).widget


def _source_name(source: str) -> str:
    """The English name of a choice of where money comes from (a source or a loan kind)."""
    if source in loans.KINDS:
        return loans.KINDS[source].name
    return text.SOURCE_NAMES.get(source, source)


def _row_value(item, key: str):
    """What a row's box shows for one item of funding (or equipment)."""
    if key == "source" and isinstance(item, Loan):
        return item.kind
    if isinstance(item, Funding) and key in ("payment", "every", "payments"):
        return "month" if key == "every" else ""
    return getattr(item, key)
