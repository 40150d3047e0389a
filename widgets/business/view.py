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
The cash chart and the sentences stay in view while editing (beside the steps on a wide
screen; after them on a phone, which reads the page top to bottom). Charts are SVG
(:mod:`widgets.charts`), each with a legend and its numbers as a table; files are made when
she asks for them.

Use it in a notebook with::

    from widgets.business.view import business_app
    business_app()

and as a page (Voila, ``widgets/apps/business.ipynb``) with ``business_page()``.
"""

from __future__ import annotations

import dataclasses
import html
import logging
import re

import ipywidgets as W

from widgets import charts, loans
from widgets.appkit import (
    CURRENCY_NAMES,
    Field,
    FormApp,
    InputProblem,
    Section,
    download_link,
    style_widgets,
)
from widgets.business import model, planfile, report, text
from widgets.business.model import (
    TEMPLATES,
    BusinessPlan,
    BusinessPlanError,
    Equipment,
    Funding,
)
from widgets.checks import PlanError
from widgets.examples import DEFAULT_BUSINESS_TEMPLATE, business_example
from widgets.i18n import N_
from widgets.loans import Loan
from widgets.money import AmountError, format_money_short
from widgets.page import first_paint

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
CASE_COLOURS = {"worst": "#a3001b", "expected": "#0b5d3b", "best": "#1f5fa8"}
#: Each case also has its own dash, so no one needs to tell the colours apart.
CASE_STYLES = {"worst": "dotted", "expected": "line", "best": "dashed"}
CASH_COLOUR, SHORT_COLOUR, LINE_COLOUR = "#7fb89f", "#c0392b", "#0b5d3b"
SCALARS = {f.key: f for f in IDEA_FIELDS + MORE_FIELDS + STARTUP_FIELDS + PRICE_FIELDS}

#: The template picker's choice for her home country's example (``widgets.countries``).
HOME = "home"

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

#: Messages for the model's own mistakes (the number-reading ones are in widgets.appkit).
ERROR_MESSAGES = {
    "not_an_integer": N_("Please type a whole number."),
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



# --- the app -------------------------------------------------------------------


class BusinessApp(FormApp):
    """The whole app. ``BusinessApp().widget`` is what a page shows."""

    TITLE = N_("Business plan")
    ERRORS = ERROR_MESSAGES

    def __init__(self, plan: BusinessPlan | None = None, *, template: str | None = None,
                 currency: str = "PHP", language: str = "en"):
        self.language = language
        self.currency = currency
        # the example on screen (None for her own plan); with no template chosen it is the
        # example of her home country, and it follows the currency she picks
        self.example = (business_example(template, currency) if plan is None
                        or template in TEMPLATES else None)
        if plan is None:
            plan = self.example.plan
            if template is None and self.example.currency == "PHP":
                template = DEFAULT_BUSINESS_TEMPLATE
        self._home_example = plan is not None and self.example is not None and (
            template in (None, DEFAULT_BUSINESS_TEMPLATE) and self.example.plan is plan)
        self.template = template
        self.plan = plan  # the last good plan: always what is on screen
        self.analysis = None
        self._quiet = False
        self._init_inputs()
        self._filled: set[str] = set()
        self._headings: list[tuple[W.HTML, str, dict, str, str]] = []  # widget, msgid, format
        # values, the kind of row it heads ("" if none), and its tag ("p", "h3", ...)
        self._rows = {"equipment": 0, "funding": 0}
        self._used = {"equipment": [], "funding": []}  # plan index -> row index
        self._good_rows = {"equipment": [], "funding": []}  # the same, for the last good plan
        self._built: set[int] = set()
        self._build()
        self.recompute()

    # language ---------------------------------------------------------------------
    def money(self, amount: float) -> str:
        return text.money(amount, self.currency, self.language)

    # building ------------------------------------------------------------------
    def _build(self) -> None:
        self.title = W.HTML()
        top = self._build_top()

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
        self.banner.add_class("hw-alert")
        self.cards = W.HTML()
        self.cards.add_class("hw-live")
        self.cash_chart = W.HTML()
        self.cash_chart.add_class("hw-chart")
        self.sentences = W.HTML()
        self.sentences.add_class("hw-live")
        self.save_button = W.Button(button_style="primary", layout={"width": "auto"})
        self.save_button.on_click(self._on_save)
        self.save_link = W.HTML()
        self.save_link.add_class("hw-files")
        self.upload = W.FileUpload(accept=".json", multiple=False, layout={"width": "auto"})
        self.upload.observe(self._on_upload, "value")
        self.upload_label = W.HTML()
        self.upload_error = W.HTML()
        self.upload_error.add_class("hw-error")
        self.upload_error.add_class("hw-alert")
        keep = W.VBox([self.upload_label, self.save_button, self.save_link, self.upload,
                       self.upload_error])
        keep.add_class("hw-keep")

        inputs = W.VBox([steps_row, self.step_title, self.stack, nav, keep])
        inputs.add_class("hw-col")
        inputs.add_class("hw-inputs")
        results = W.VBox([self.banner, self.cards, self.cash_chart, self.sentences])
        results.add_class("hw-col")
        results.add_class("hw-results")
        columns = W.Box([inputs, results])
        columns.add_class("hw-cols")
        self.widget = W.VBox([*style_widgets(), self.title, top, self.currency_note, columns])
        self.widget.add_class("hw-app")
        self.widget.add_class("hw-business")
        self.step = 0
        self.goto(0)

    def _cash_chart_html(self) -> str:
        """Cash at the end of each month: bars (red where it is short) and the line."""
        _ = self._
        table = self.analysis.tables["expected"]
        months = [int(m) for m in table["month"]]
        cash = [float(c) for c in table["closing_cash"]]
        short = [bool(x) for x in table["cash_short"]]
        labels = [str(m) for m in months]
        chart = charts.Chart(
            title=_("Cash at the end of each month"), x_labels=labels,
            series=[
                charts.Series(_("Cash at the end of the month"),
                              [None if s else c for c, s in zip(cash, short, strict=True)],
                              CASH_COLOUR, "bars"),
                charts.Series(_("Cash short: money is missing"),
                              [c if s else None for c, s in zip(cash, short, strict=True)],
                              SHORT_COLOUR, "bars", in_table=False),
            ],
            y_format=self._short_money, table_x_header=_("Month"), css="hw-cash-chart",
            description=_("Month 1 to 12 of the business, the expected case."))
        table_chart = dataclasses.replace(chart, y_format=self.money, series=[
            charts.Series(_("Cash at the end of the month"), cash, CASH_COLOUR, "bars")])
        return charts.chart_html(chart).replace(charts.table_html(chart),
                                                charts.table_html(table_chart))

    def _cases_chart_html(self) -> str:
        """Cash in the worst, expected and best case, month by month."""
        _ = self._
        a = self.analysis
        months = [str(int(m)) for m in a.tables["expected"]["month"]]
        series = [charts.Series(_(text.CASE_NAMES[c]),
                                [float(v) for v in a.tables[c]["closing_cash"]],
                                CASE_COLOURS[c], CASE_STYLES[c], width=3)
                  for c in model.CASES]
        chart = charts.Chart(title=_("Cash in three cases"), x_labels=months, series=series,
                             y_format=self._short_money, table_x_header=_("Month"),
                             css="hw-cases-chart")
        table_chart = dataclasses.replace(chart, y_format=self.money)
        return charts.chart_html(chart).replace(charts.table_html(chart),
                                                charts.table_html(table_chart))

    def _short_money(self, amount: float) -> str:
        return format_money_short(amount, self.currency, self.language)

    # steps ---------------------------------------------------------------------
    def goto(self, index: int) -> None:
        """Show step ``index`` (0-based), building it the first time."""
        index = max(0, min(len(STEPS) - 1, index))
        self._build_step(index)
        self.step = index
        self.stack.selected_index = index
        for i, button in enumerate(self.step_buttons):
            button.button_style = "primary" if i == index else ""
            if i == index:  # aria-current="step" on the page
                button.add_class("hw-current")
            else:
                button.remove_class("hw-current")
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
        self._after_build()
        if self.analysis is not None:
            self._show_results()

    def _after_build(self) -> None:
        """Boxes were just built: label them and show the plan in them (only in them: what
        she typed elsewhere, even if not yet right, stays as it is)."""
        new = set(self._inputs) - self._filled
        self._relabel()
        self._fill_inputs(self.plan, new)

    def _idea_step(self) -> list[W.Widget]:
        options = [(key, key) for key in TEMPLATES]
        self.template_picker = W.Dropdown(options=options, value=self.template,
                                          layout={"width": "100%"},
                                          style={"description_width": "initial"})
        self.template_picker.observe(self._on_template, "value")
        self.template_note = W.HTML()
        self.template_note.add_class("hw-note")
        self.more = Section(N_("Tell more about the business"),
                            lambda: [self._field_box(f) for f in MORE_FIELDS],
                            on_open=self._after_build)
        return [self.template_picker, self.template_note,
                *[self._field_box(f) for f in IDEA_FIELDS], self.more.box]

    def _startup_step(self) -> list[W.Widget]:
        self.equipment_box = W.VBox(layout={"width": "100%"})
        self.add_equipment = W.Button(layout={"width": "auto"})
        self.add_equipment.on_click(lambda _b: self._add_row("equipment"))
        self.capital_note = W.HTML()
        self.capital_note.add_class("hw-note")
        self.capital_note.add_class("hw-live")
        return [self._heading(N_("Equipment and tools to buy"), tag="h4"), self.equipment_box,
                self.add_equipment, *[self._field_box(f) for f in STARTUP_FIELDS],
                self.capital_note]

    def _price_step(self) -> list[W.Widget]:
        self.costing_note = W.HTML()
        self.costing_note.add_class("hw-note")
        self.costing_note.add_class("hw-live")
        self.season = Section(N_("Busy and slow months"), self._season_boxes,
                              on_open=self._after_build)
        return [*[self._field_box(f) for f in PRICE_FIELDS], self.costing_note, self.season.box]

    def _season_boxes(self) -> list[W.Widget]:
        help_text = self._heading(N_("100 is an average month. Type 150 for a busy month "
                                     "(half as many sales again), 50 for a slow one."),
                                  css="hw-note")
        grid = W.Box([self._field_box(f, {"n": i + 1}) for i, f in enumerate(SEASON_FIELDS)])
        grid.add_class("hw-season")
        return [help_text, grid]

    def _funding_step(self) -> list[W.Widget]:
        self.funding_box = W.VBox(layout={"width": "100%"})
        self.add_funding = W.Button(layout={"width": "auto"})
        self.add_funding.on_click(lambda _b: self._add_row("funding"))
        self.funding_note = W.HTML()
        self.funding_note.add_class("hw-note")
        self.savings_upload = W.FileUpload(accept=".json", multiple=False,
                                           layout={"width": "auto"})
        self.savings_upload.observe(self._on_savings_upload, "value")
        self.savings_error = W.HTML()
        self.savings_error.add_class("hw-error")
        self.savings_error.add_class("hw-alert")
        self.savings_note = W.HTML()
        self.savings_note.add_class("hw-note")
        return [self.funding_note,
                self._heading(N_("For a loan, type it the way the lender says it: how much you "
                                 "borrow, how much you pay back each time, how often, and how "
                                 "many times. For example, a 5-6 lender: borrow 5,000, pay back "
                                 "200 every day, 30 times. At a pawnshop, type the interest you "
                                 "pay each month. The app works out what the loan costs a "
                                 "year."), css="hw-note"),
                self.funding_box, self.add_funding,
                self._heading(N_("Have a savings plan from the Homeward savings simulator?")),
                self.savings_upload, self.savings_note, self.savings_error]

    def _results_step(self) -> list[W.Widget]:
        self.cases_chart = W.HTML()
        self.cases_chart.add_class("hw-chart")
        self.results_tables = W.HTML()
        self.downloads = W.HTML()
        self.downloads.add_class("hw-files")
        self.pdf_button = W.Button(layout={"width": "auto"}, button_style="primary")
        self.pdf_button.on_click(self._on_pdf)
        self.pdf_link = W.HTML()
        self.pdf_link.add_class("hw-files")
        self.tables_button = W.Button(layout={"width": "auto"})
        self.tables_button.on_click(self._on_tables)
        return [self.cases_chart, self.results_tables, self.pdf_button, self.pdf_link,
                self.tables_button, self.downloads]

    # rows of equipment and funding -------------------------------------------------
    def _add_row(self, kind: str, refresh: bool = True) -> None:
        r = self._rows[kind]
        self._rows[kind] += 1
        columns = EQUIPMENT_COLUMNS if kind == "equipment" else FUNDING_COLUMNS
        boxes = [self._field_box(dataclasses.replace(f, key=f"{kind}[{r}].{f.key}"))
                 for f in columns]
        remove = W.Button(layout={"width": "auto"})
        remove.on_click(lambda _b: self._clear_row(kind, r))
        remove.add_class(f"hw-remove-{kind}")
        self._inputs[f"{kind}[{r}].remove"] = remove
        head = W.Box([self._heading(N_("Item {n}") if kind == "equipment" else N_("Money {n}"),
                                    fmt={"n": r + 1}, group=kind, tag="h4"), remove])
        head.add_class("hw-row-head")
        fields = W.Box(boxes)
        fields.add_class("hw-row-fields")
        children = [head, fields]
        if kind == "funding":
            rate = W.HTML()
            rate.add_class("hw-rate")
            rate.add_class("hw-live")
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
        self._forget_inputs(f"{kind}[")
        self._headings = [entry for entry in self._headings if entry[3] != kind]
        for row in box.children:
            _close_tree(row)
        box.children = ()
        self._rows[kind] = 0
        for _ in range(count):
            self._add_row(kind, refresh=False)

    # labels ----------------------------------------------------------------------
    def _heading(self, msgid: str, fmt: dict | None = None, group: str = "",
                 tag: str = "p", css: str = "hw-group") -> W.HTML:
        """Words above a part of the form (a row's name, a note), relabelled with the page."""
        heading = W.HTML()
        heading.add_class(css)
        self._headings.append((heading, msgid, fmt or {}, group, tag))
        return heading

    def _field_box(self, field: Field, fmt: dict | None = None) -> W.VBox:
        fill = {"width": "100%"}
        if field.unit == "source":
            widget = W.Dropdown(options=list(SOURCE_CHOICES), layout=fill)
        elif field.unit == "every":
            widget = W.Dropdown(options=list(loans.EVERY), value="month", layout=fill)
        elif field.unit == "longtext":
            widget = W.Textarea(continuous_update=False, rows=2, layout=fill)
            widget.add_class("hw-textarea")
        else:
            widget = W.Text(continuous_update=False, layout=fill)
        group = field.key.split("[")[0] if field.key.startswith(("equipment[", "funding[")) else ""
        box = self._input_box(field.key, widget, field.label, field.unit, fmt, group)
        box.add_class("hw-f-" + re.sub(r"[^a-z0-9]+", "-", field.key))  # e.g. hw-f-funding-1-rate
        return box

    def _unit(self, unit: str) -> str:
        return "%" if unit == "factor" else super()._unit(unit)

    def _relabel(self) -> None:
        _ = self._
        self.title.value = "<h1>{}</h1><p class='hw-lead'>{}</p>".format(
            html.escape(_("My business plan")),
            html.escape(_("Plan your business step by step: your idea, the money to start, "
                          "prices and costs, and where the money comes from. The results "
                          "change as you type.")))
        self._relabel_top()
        self.upload_label.value = "<p class='hw-note'>{}</p>".format(html.escape(
            _("Carry on later: save your plan, then open it again.")))
        self.upload.description = _("Open a saved plan")
        self.save_button.description = _("Save my plan")
        self._relabel_inputs()
        for heading, msgid, fmt, _group, tag in self._headings:
            words = _(msgid).format(**fmt) if fmt else _(msgid)
            heading.value = f"<{tag}>{html.escape(words)}</{tag}>"
        for key, widget in self._inputs.items():
            if key.endswith(".source"):
                self._set_options(widget, [(_(_source_name(s)), s) for s in SOURCE_CHOICES])
            elif key.endswith(".every"):
                self._set_options(widget, [(_(m), e) for e, m in text.EVERY_NAMES.items()])
            elif key.endswith(".remove"):
                widget.description = _("Remove this row")
        if IDEA in self._built:
            self.template_picker.description = _("Start from an example (illustrative numbers)")
            home = self._country_example()
            self._set_options(self.template_picker,
                              ([(text.name_of(home.plan.name, self.language), HOME)] if home
                               else []) + [(_(TEMPLATE_NAMES.get(k, k)), k) for k in TEMPLATES])
            if home:
                note = _("This example is illustrative, with amounts in {currency}; the other "
                         "examples are in Philippine pesos. Change every number to your own "
                         "prices and amounts.").format(currency=_(CURRENCY_NAMES[home.currency]))
            else:
                note = _("The examples are illustrative, with amounts in Philippine pesos. "
                         "Change every number to your own prices and amounts.")
            self.template_note.value = f"<p>{html.escape(note)}</p>"
            self.more.button.description = _("Tell more about the business")
        if STARTUP in self._built:
            self.add_equipment.description = _("Add equipment")
        if PRICE in self._built:
            self.season.button.description = _("Busy and slow months")
        if FUNDING in self._built:
            self.add_funding.description = _("Add money or a loan")
            self.savings_upload.description = _("Use my savings plan file")
        if RESULTS in self._built:
            self.pdf_button.description = _("Make the printable plan (PDF)")
            self.tables_button.description = _("Download the tables (CSV)")
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
            picker.value = current if current in {value for _label, value in options} else None

    # reading and writing the boxes --------------------------------------------------
    def field(self, key: str) -> W.Widget:
        """The input widget of a plan field, building its step (and part) if needed."""
        self._open_field(key)
        return self._inputs[key]

    def _open_field(self, key: str) -> None:
        step = step_of(key)
        self.goto(step)
        if key in SCALARS and SCALARS[key] in MORE_FIELDS:
            self.more.open()
        if key.startswith("seasonality["):
            self.season.open()
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

    def _fill_inputs(self, plan: BusinessPlan, keys: set[str] | None = None) -> None:
        """Show a plan's values in the boxes that exist (or in ``keys``), formatted for her."""
        keys = set(self._inputs) if keys is None else keys
        rows = {kind for kind in ("equipment", "funding")  # new rows, or rows to refill
                if self._rows[kind] == 0 or any(k.startswith(kind + "[") for k in keys)}
        with self._hold():
            for key, field in SCALARS.items():
                if key in keys:
                    value = _get(plan, key)
                    if field.unit in ("text", "longtext"):  # an example's words, translated
                        value = text.name_of(value, self.language)
                    self._inputs[key].value = self._format(value, field.unit)
            for field in SEASON_FIELDS:
                if field.key in keys:
                    self._inputs[field.key].value = self._format(_get(plan, field.key), "factor")
            if STARTUP in self._built and "equipment" in rows:
                self._fill_rows("equipment", plan.equipment, EQUIPMENT_COLUMNS)
            if FUNDING in self._built and "funding" in rows:
                self._fill_rows("funding", plan.funding, FUNDING_COLUMNS)
            if IDEA in self._built:
                self.template_picker.value = (self.template if self.template in TEMPLATES
                                              else HOME if self._country_example() else None)
            self._show_problems({}, keys | {k for k in self._inputs
                                            if k.split("[")[0] in rows})
        self._filled |= set(self._inputs)

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
            problems[key] = err
            return None

    def read_plan(self) -> BusinessPlan:
        """Build a plan from the boxes. Raises InputProblem naming the first bad box."""
        problems: dict[str, object] = {}
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
            key, problem = next(iter(problems.items()))
            raise InputProblem(key, getattr(problem, "code", problem))
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
            if key in self._errors and (isinstance(err, BusinessPlanError)
                                        or not self._errors[key].value):
                self._show_problems({key: err.code}, {key})  # (a box's own reading problem
                # is shown already, with its question if it has one)
            self.banner.value = "<p class='hw-banner'>{}</p>".format(html.escape(
                _("Some boxes need fixing (see the red message). Your last good plan is shown.")))
            return False
        except Exception:  # never a traceback on the page
            log.exception("business recompute failed")
            self.banner.value = "<p class='hw-banner'>{}</p>".format(html.escape(
                _("Something went wrong. Your last good plan is shown.")))
            return False
        self.plan, self.analysis = plan, analysis
        self._good_rows = {kind: list(rows) for kind, rows in self._used.items()}
        if self.banner.value:
            self.banner.value = ""
        self._show_results()
        return True

    def sentence_list(self) -> list[str]:
        """The results as sentences a person can read, in her language."""
        return text.sentences(self.analysis, self.currency, self.language)

    def _show_results(self) -> None:
        self.cash_chart.value = self._cash_chart_html()
        self.cards.value = self._cards_html()
        self._currency_note(self.example.currency if self._is_example() else None)
        self.sentences.value = "<div class='hw-sentences'>{}</div>".format(
            "".join(f"<p>{html.escape(s)}</p>" for s in self.sentence_list()))
        if self.save_link.value:  # a file made earlier holds an older plan
            self.save_link.value = ""
        self._show_step_notes()

    @property
    def cash_line(self) -> list[float]:
        """Cash at the end of each month (expected case): what the cash chart draws."""
        return [float(c) for c in self.analysis.tables["expected"]["closing_cash"]]

    def first_paint(self) -> str:
        """What the page shows before the widgets load: the title, results and chart, as HTML."""
        return first_paint(self.title.value + self.cards.value + self.cash_chart.value
                           + self.sentences.value, self.language)

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
        self.cases_chart.value = self._cases_chart_html()
        self.results_tables.value = report.results_html(a, self.currency, self.language)
        if self.pdf_link.value:
            self.pdf_link.value = ""
        if self.downloads.value:
            self.downloads.value = ""

    # keeping the plan ------------------------------------------------------------
    def saved_plan(self) -> planfile.SavedBusinessPlan:
        return planfile.SavedBusinessPlan(self.plan, self.currency, self.language, self.template)

    def _on_save(self, _button=None) -> None:
        """Make the plan file she asked for (a link to keep it)."""
        plan_json = planfile.dumps(self.saved_plan()).encode("utf-8")
        self.save_link.value = download_link(plan_json, "application/json",
                                             "homeward-business-plan.json",
                                             self._("Download my plan file"), "hw-save")

    def _on_tables(self, _button=None) -> None:
        """Make the tables she asked for, as CSV."""
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
        self.example = (business_example(saved.template, saved.currency)
                        if saved.template in TEMPLATES else None)
        self._home_example = False
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
        self.example, self._home_example = business_example(self.template, self.currency), False
        self.plan = self.example.plan
        self._fill_inputs(self.plan)
        self.recompute()

    def _on_currency(self, change) -> None:
        """A new currency: while the example of her home country is on screen untouched, show
        the example of the new currency's country (Sri's catfish ponds for rupiah...); her own
        amounts and words stay as she typed them, and so does a template she chose."""
        if self._quiet:
            return
        example = business_example(None, change["new"])
        if (self._home_example and self._is_example()
                and example.plan is not self.example.plan):
            self.example, self.plan, self.currency = example, example.plan, change["new"]
            self.template = None if example.currency != "PHP" else DEFAULT_BUSINESS_TEMPLATE
            self._relabel()
            self._fill_inputs(self.plan, set(self._filled))
            self.recompute()
            return
        super()._on_currency(change)

    def _country_example(self):
        """Her home country's example when it is the one on screen (not a template), or None."""
        if self._home_example and self.template is None and self.example is not None:
            return self.example
        return None

    def _is_example(self) -> bool:
        """Whether the plan on screen is still the example's: its amounts, and its words (in
        whatever language they are shown)."""
        return self.example is not None and (
            _numbers(self.plan) == _numbers(self.example.plan)
            and _words(self.plan, self.language) == _words(self.example.plan, self.language))

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


def _words(plan: BusinessPlan, language: str) -> tuple:
    """The words of a plan (its name, profile, items), as an example's are shown in
    ``language``: to tell whether she has typed her own.

    >>> from widgets.countries import example_business_plan
    >>> plan = example_business_plan("IDR")
    >>> translated = dataclasses.replace(plan, name=text.name_of(plan.name, "id"))
    >>> _words(translated, "id") == _words(plan, "id"), _words(plan, "id")[0]
    (True, 'Kolam lele Sri')
    """
    words = (plan.name, *dataclasses.astuple(plan.profile),
             *(e.name for e in plan.equipment), *(f.name for f in plan.funding))
    return tuple(text.name_of(w, language) for w in words)


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
    """The business-plan app's widget, for a lesson notebook."""
    return BusinessApp(**options).widget


def business_page(**options) -> None:
    """The business-plan app as a Homeward page (``widgets/apps/business.ipynb``).

    The app is built before anyone comes (a pre-heated kernel), then opened in the visitor's
    language and currency; the page shows its results as plain HTML at once, then the app.
    """
    BusinessApp(**options).show_page()


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
