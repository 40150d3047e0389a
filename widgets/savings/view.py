"""The savings simulator app: ipywidgets wired to :mod:`widgets.savings.model`.

No arithmetic lives here. The view reads what a person types (through
:mod:`widgets.money`), builds a :class:`~widgets.savings.model.Plan`, asks the
model, and shows the results: a chart (SVG from :mod:`widgets.charts`, with a legend and
its numbers as a table), sentences a person can read, headline figures, and files to keep
(plan, CSV, summary), made when she asks for them. Every sentence comes from the gettext
catalogs (:mod:`widgets.i18n`).

On a phone the page reads top to bottom: language and currency, then the boxes (one section
open at a time is enough; each opens with a button), then the results; the headline result
stays in view at the bottom while she types.

Use it in a notebook with::

    from widgets.savings.view import savings_app
    savings_app()

and as a page (Voila, ``widgets/apps/savings.ipynb``) with ``savings_page()``.
"""

from __future__ import annotations

import dataclasses
import html
import logging

import ipywidgets as W
import numpy as np

from widgets import charts, loans
from widgets.appkit import (
    NO,
    Field,
    FormApp,
    InputProblem,
    Section,
    TextBox,
    download_link,
    style_widgets,
)
from widgets.examples import savings_example
from widgets.i18n import N_, ngettext_for
from widgets.money import AmountError, format_money, format_money_short, format_number
from widgets.months import month_label, this_month
from widgets.page import first_paint
from widgets.savings import planfile, report
from widgets.savings.model import (
    Goal,
    Plan,
    PlanError,
    SavingsGroup,
    Shocks,
    effective_return_month,
    scenario_band,
    simulate,
    summarize,
)

log = logging.getLogger(__name__)

# --- what the app asks, described as data -----------------------------------


SECTIONS: list[tuple[str, list[Field]]] = [
    (
        N_("Work abroad"),
        [
            Field("income_abroad", N_("Monthly salary abroad"), "money"),
            Field("spending_abroad", N_("My own spending abroad each month"), "money"),
        ],
    ),
    (
        N_("Sending money home"),
        [
            Field("remittance", N_("Money I send home each month"), "money"),
            Field("transfer_fee", N_("Fee for each transfer"), "money"),
            Field("fx_margin_pct", N_("Exchange-rate margin"), "percent", 100),
        ],
    ),
    (
        N_("Family at home"),
        [
            Field("expenses_before", N_("Family expenses each month, before I return"), "money"),
            Field("expenses_after", N_("Family expenses each month, after I return"), "money"),
            Field("local_income", N_("Household income each month after I return"), "money"),
            Field("inflation_yearly_pct", N_("Prices rise each year by"), "percent", 100),
        ],
    ),
    (
        N_("Savings"),
        [
            Field("personal_savings", N_("Savings in my own name today"), "money"),
            Field("personal_yearly_rate_pct", N_("Interest on my own savings, per year"), "percent", 100),
            Field("family_savings", N_("Family savings today"), "money"),
            Field("family_yearly_rate_pct", N_("Interest on family savings, per year"), "percent", 100),
            Field("emergency_months", N_("Emergency fund: how many months of expenses"), "months", 36),
        ],
    ),
    (
        N_("Debt"),
        [
            Field("debt.amount", N_("Loan still to repay (for example a recruitment-fee loan)"), "money"),
            Field("debt.yearly_rate_pct", N_("Interest on the loan, per year"), "percent", 100),
            Field("debt.payment", N_("Loan payment each month"), "money"),
        ],
    ),
    (
        N_("Savings group (paluwagan, arisan)"),
        [
            Field("group.contribution", N_("My contribution each month"), "money"),
            Field("group.members", N_("Number of members"), "count", 60),
            Field("group.payout_turn", N_("My turn to receive (1 = first)"), "count", 60),
        ],
    ),
    (
        N_("What if"),
        [
            Field("shocks.income_cut_pct", N_("Income cut"), "percent", 100),
            Field("income_variability_pct", N_("Income goes up and down each month by about"), "percent", 100),
        ],
    ),
]
FIELDS = {field.key: field for _, fields in SECTIONS for field in fields}

#: Month pickers (plan field, label, whether "No" is a choice) that open a section.
MONTH_PICKERS: dict[str, list[tuple[str, str, bool]]] = {
    N_("Work abroad"): [("return_month", N_("I come home in"), False)],
    N_("What if"): [
        ("shocks.early_return_month", N_("Come home early, in"), True),
        ("shocks.remittance_stop", N_("A month with no remittance"), True),
        ("shocks.income_cut_from", N_("Income cut starts in"), False),
    ],
}
#: The section that ends with the goals.
GOALS_SECTION = N_("Savings")


def section_of(key: str) -> int:
    """The index of the section that holds a field.

    >>> SECTIONS[section_of("debt.payment")][0], SECTIONS[section_of("goals[1].amount")][0]
    ('Debt', 'Savings')
    """
    for index, (title, fields) in enumerate(SECTIONS):
        keys = {f.key for f in fields} | {k for k, _label, _none in MONTH_PICKERS.get(title, [])}
        if key in keys or (title == GOALS_SECTION and key.startswith("goals[")):
            return index
    raise KeyError(key)
GOAL_ROWS = 3
#: The example goals of the default plan, so that their names are translated too.
EXAMPLE_GOALS = (N_("House repair"), N_("Business capital"))

#: Messages for the model's own mistakes (the number-reading ones are in widgets.appkit).
ERRORS = {
    "never_repaid": N_("This payment does not even cover the interest: the loan would never be repaid."),
    "takes_too_long": N_("At this payment the loan takes more than 30 years. Pay more each month."),
}
FILE_MESSAGES = {
    "not_json": N_("This file is not a Homeward plan. Choose the .json file you saved."),
    "not_a_plan": N_("This file is not a Homeward savings plan."),
    "wrong_version": N_("This plan file is from another version of Homeward."),
    "too_big": N_("This file is too big to be a plan."),
    "bad_value": N_("This plan file was changed and has a value that is not possible ({field})."),
}
#: Colours of the chart (each also has its own dash, so no one needs to tell colours apart).
SAVINGS_COLOUR, BAND_COLOUR, TARGET_COLOUR, HOME_COLOUR = "#0b5d3b", "#9cc9b4", "#8a4b00", "#444444"


# --- the app -------------------------------------------------------------------


class SavingsApp(FormApp):
    """The whole simulator. ``SavingsApp().widget`` is what a page shows."""

    TITLE = N_("Savings plan")
    ERRORS = ERRORS

    def __init__(self, plan: Plan | None = None, *, start: str | None = None,
                 currency: str = "PHP", language: str = "en"):
        self.language = language
        self.currency = currency
        self.start = start or this_month()
        self.example = savings_example(currency)
        self.plan = plan or self.example.plan  # the last good plan: always what is on screen
        self.summary = self.table = self.band_result = None
        self._init_inputs()
        self._filled: set[str] = set()
        self._build()
        self._fill_inputs(self.plan)
        self.recompute()

    # building ------------------------------------------------------------------
    def _build(self) -> None:
        self.title = W.HTML()
        top = self._build_top()
        self.horizon = W.Dropdown(options=[(str(y), y * 12) for y in (3, 5, 10, 20, 30)],
                                  value=self.plan.months if self.plan.months in (36, 60, 120, 240, 360) else 60,
                                  style={"description_width": "initial"})
        self.horizon.observe(lambda change: self._on_input(), "value")
        # Sections are built when first opened: a phone gets a light page first.
        self.sections = [Section(title, lambda i=i: self._section_boxes(i),
                                 on_open=self._after_build)
                         for i, (title, _fields) in enumerate(SECTIONS)]
        self.headline = W.HTML()
        self.headline.add_class("hw-headline")
        self.headline.add_class("hw-live")
        inputs = W.VBox([self.horizon, *[s.box for s in self.sections], self.headline])
        inputs.add_class("hw-col")
        inputs.add_class("hw-inputs")

        self.banner = W.HTML()
        self.banner.add_class("hw-alert")
        self.cards = W.HTML()
        self.cards.add_class("hw-live")
        self.chart = W.HTML()
        self.chart.add_class("hw-chart")
        self.legend = W.HTML()  # its own widget: a new plan seldom changes it, so it stays put
        figure = W.VBox([self.chart, self.legend])
        figure.add_class("hw-savings-chart")
        self.sentences = W.HTML()
        self.sentences.add_class("hw-live")
        self.what_if = W.HTML()
        self.files_button = W.Button(button_style="primary", layout={"width": "auto"})
        self.files_button.on_click(self._on_files)
        self.files = W.HTML()
        self.files.add_class("hw-files")
        self.upload = W.FileUpload(accept=".json", multiple=False, layout={"width": "auto"})
        self.upload.observe(self._on_upload, "value")
        self.upload_label = W.HTML()
        self.upload_error = W.HTML()
        self.upload_error.add_class("hw-error")
        self.upload_error.add_class("hw-alert")
        self.keep_title = W.HTML()
        keep = W.VBox([self.keep_title, self.files_button, self.files,
                       self.upload_label, self.upload, self.upload_error])
        keep.add_class("hw-keep")
        results = W.VBox([self.banner, self.cards, figure, self.sentences, self.what_if, keep])
        results.add_class("hw-col")
        results.add_class("hw-results")
        columns = W.Box([inputs, results])
        columns.add_class("hw-cols")
        self.widget = W.VBox([*style_widgets(), self.title, top, self.currency_note, columns])
        self.widget.add_class("hw-app")
        self.widget.add_class("hw-savings")
        self.sections[0].open()  # labels every box and fills in the plan

    def _section_boxes(self, index: int) -> list[W.Widget]:
        """Create the boxes of one section (once it is opened)."""
        title, fields = SECTIONS[index]
        boxes = [self._month_box(key, label, none=none)
                 for key, label, none in MONTH_PICKERS.get(title, [])]
        boxes += [self._field_box(field) for field in fields]
        if title == GOALS_SECTION:
            boxes.append(self._goals_box())
        return boxes

    def _after_build(self) -> None:
        """A section was just built: label its boxes and show the plan in them (only in
        them: what she typed elsewhere, even if not yet right, stays as it is)."""
        new = set(self._inputs) - self._filled
        self._relabel()
        self._fill_inputs(self.plan, new)

    def field(self, key: str) -> W.Widget:
        """The input widget of a plan field, building (and opening) its section if needed."""
        self._open_field(key)
        return self._inputs[key]

    def _open_field(self, key: str) -> None:
        """Build and open the section of a field that needs fixing."""
        try:
            index = section_of(key)
        except KeyError:
            return
        self.sections[index].open()

    def _field_box(self, field: Field) -> W.VBox:
        text = TextBox(continuous_update=False, layout={"width": "100%"})
        return self._input_box(field.key, text, field.label, field.unit)

    def _month_box(self, key: str, msgid: str, none: bool = False) -> W.VBox:
        picker = W.Dropdown(layout={"width": "100%"})
        picker.none_allowed = none
        return self._input_box(key, picker, msgid)

    def _goals_box(self) -> W.VBox:
        self.goals_title = W.HTML()
        rows = [self.goals_title]
        for i in range(GOAL_ROWS):
            name = TextBox(continuous_update=False, layout={"width": "100%"})
            name_box = self._input_box(f"goals[{i}].name", name, N_("Goal {n}: what"),
                                       fmt={"n": i + 1})
            amount_box = self._field_box(Field(f"goals[{i}].amount", N_("Amount"), "money"))
            month_box = self._month_box(f"goals[{i}].target_month", N_("By"), none=True)
            row = W.VBox([name_box, amount_box, month_box])
            row.add_class("hw-goal")
            rows.append(row)
        return W.VBox(rows)

    # language -------------------------------------------------------------------
    def _unit(self, unit: str) -> str:
        if unit == "months":
            return self._("months")
        return super()._unit(unit)

    def _relabel(self) -> None:
        _ = self._
        self.title.value = "<h1>{}</h1><p class='hw-lead'>{}</p>".format(
            html.escape(_("My savings plan")),
            html.escape(_("Plan your money from today until after you come home. "
                          "The example numbers are illustrative: change them to yours.")),
        )
        self._relabel_top()
        self.horizon.description = _("Years to plan")
        self._relabel_inputs()
        for section, (title, _fields) in zip(self.sections, SECTIONS, strict=True):
            section.button.description = _(title)
        if "goals[0].name" in self._inputs:
            self.goals_title.value = "<h3>{}</h3>".format(
                html.escape(_("My goals: what, how much, by when")))
        self.keep_title.value = "<h2>{}</h2>".format(html.escape(_("Keep your plan")))
        self.files_button.description = _("Save or print my plan")
        self.upload.description = _("Open a saved plan")
        self.upload_label.value = "<p class='hw-note'>{}</p>".format(
            html.escape(_("Carry on later: save your plan, then open it again.")))
        self._month_options()

    def _month_options(self) -> None:
        """Fill every month picker with month names in the reader's language."""
        _ = self._
        months = self._months()
        options = [(month_label(self.start, m, self.language), m) for m in range(months)]
        for key, picker in self._inputs.items():
            if isinstance(picker, W.Dropdown):
                current = picker.value
                opts = ([(_("No"), NO)] if picker.none_allowed else []) + options
                if key == "return_month":
                    opts = opts + [(month_label(self.start, months, self.language), months)]
                with self._hold():
                    picker.options = opts
                    valid = {value for _label, value in opts}
                    fallback = opts[-1][1] if key == "return_month" else opts[0][1]
                    picker.value = current if current in valid else fallback

    def _months(self) -> int:
        return int(self.horizon.value)

    # reading inputs ---------------------------------------------------------------
    def _goal_name(self, name: str) -> str:
        """A goal's name as the box shows it: an example's name in her language."""
        return self._(name) if name in EXAMPLE_GOALS else name

    def _fill_inputs(self, plan: Plan, keys: set[str] | None = None) -> None:
        """Show a plan's values in the boxes (or in the boxes ``keys``), formatted for her."""
        keys = set(self._inputs) if keys is None else keys
        self._filled |= keys
        with self._hold():
            if plan.months in dict(self.horizon.options).values():
                self.horizon.value = plan.months
            self._month_options()
            for key, field in FIELDS.items():
                if key in keys:
                    value = _get(plan, key)
                    self._inputs[key].value = "" if value is None else self._format(value, field.unit)
            stops = plan.shocks.remittance_stops
            months = {
                "return_month": plan.return_month,
                "shocks.early_return_month": plan.shocks.early_return_month,
                "shocks.remittance_stop": stops[0] if stops else None,
                "shocks.income_cut_from": plan.shocks.income_cut_from,
            }
            for key, value in months.items():
                if key in keys:
                    self._inputs[key].value = NO if value is None else value
            for i in range(GOAL_ROWS):
                if f"goals[{i}].name" not in keys:
                    break
                goal = plan.goals[i] if i < len(plan.goals) else None
                self._inputs[f"goals[{i}].name"].value = self._goal_name(goal.name) if goal else ""
                self._inputs[f"goals[{i}].amount"].value = (
                    self._format(goal.amount, "money") if goal else "")
                self._inputs[f"goals[{i}].target_month"].value = goal.target_month if goal else NO
            self._show_problems({}, keys)

    def _typed_goal_name(self, text: str) -> str:
        """An example's name as she sees it is stored as the example's (so it follows her language)."""
        for msgid in EXAMPLE_GOALS:
            if text == self._(msgid):
                return msgid
        return text

    def read_plan(self) -> Plan:
        """Build a plan from the boxes. Raises InputProblem naming the first bad box."""
        values: dict[str, float] = {}
        problems: dict[str, object] = {}
        for key, field in FIELDS.items():
            if key not in self._inputs:  # section not opened yet: the plan's value stands
                values[key] = float(_get(self.plan, key))
                continue
            try:
                values[key] = self._parse(self._inputs[key].value, field)
            except AmountError as err:
                problems[key] = err
        goals = [] if "goals[0].name" in self._inputs else list(self.plan.goals)
        for i in range(GOAL_ROWS if "goals[0].name" in self._inputs else 0):
            name = self._typed_goal_name(self._inputs[f"goals[{i}].name"].value.strip())
            amount_text = self._inputs[f"goals[{i}].amount"].value.strip()
            month = self._inputs[f"goals[{i}].target_month"].value
            if not name and not amount_text:
                continue
            key = f"goals[{i}].amount"
            try:
                amount = self._parse(amount_text, Field(key, "", "money"))
            except AmountError as err:
                problems[key] = err
                continue
            if month is None or month == NO:
                month = self._months() - 1
            goals.append(Goal(name or self._("Goal {n}").format(n=i + 1), amount, int(month)))
        self._show_problems(problems)
        if problems:
            key, problem = next(iter(problems.items()))
            raise InputProblem(key, getattr(problem, "code", problem))
        plan_stops = self.plan.shocks.remittance_stops
        stop = self._pick("shocks.remittance_stop", plan_stops[0] if plan_stops else None)
        debt = self._debt(values)
        group = SavingsGroup(values["group.contribution"], int(values["group.members"]),
                             int(values["group.payout_turn"]),
                             self.plan.group.start_month if self.plan.group else 0) \
            if values["group.contribution"] > 0 else None
        shocks = Shocks(
            early_return_month=self._pick("shocks.early_return_month",
                                          self.plan.shocks.early_return_month),
            remittance_stops=() if stop is None else (int(stop),),
            income_cut_pct=values["shocks.income_cut_pct"],
            income_cut_from=int(self._pick("shocks.income_cut_from",
                                           self.plan.shocks.income_cut_from) or 0),
        )
        plain = {k: v for k, v in values.items() if "." not in k}
        return dataclasses.replace(
            self.plan, **plain, months=self._months(),
            return_month=int(self._pick("return_month", self.plan.return_month)),
            goals=tuple(goals), debt=debt, group=group, shocks=shocks,
        )

    def _debt(self, values: dict[str, float]) -> loans.Loan | None:
        """The debt from its three boxes: what is owed, its yearly rate, the monthly payment
        (a loan repaid at the payment she chooses; the same as the plan's if unchanged)."""
        old = self.plan.debt
        if "debt.amount" not in self._inputs:  # section not opened yet: the plan's debt stands
            return old
        amount, rate, payment = (values[f"debt.{k}"] for k in ("amount", "yearly_rate_pct",
                                                                 "payment"))
        if amount <= 0:
            return None
        if old is not None and (amount, payment) == (old.amount, old.payment) and \
                rate == _debt_rate(old):
            return old
        try:
            return loans.repaid_by(amount, yearly_rate_pct=rate, payment=payment,
                                   name=old.name if old is not None else "")
        except PlanError as err:
            raise InputProblem(f"debt.{err.field}", err.code) from None

    def _pick(self, key: str, default):
        """A month picker's value (None for "No"), or the plan's if its section is not open."""
        if key not in self._inputs:
            return default
        value = self._inputs[key].value
        return None if value == NO else value

    # computing and showing -------------------------------------------------------
    def recompute(self) -> bool:
        """Read the boxes; if the plan is good, compute and show it. Returns success."""
        _ = self._
        try:
            plan = self.read_plan()
            table = simulate(plan)
            summary = summarize(plan)
            band = scenario_band(plan) if plan.income_variability_pct > 0 else None
        except (PlanError, InputProblem) as err:
            if err.field not in self._errors:
                self._open_field(err.field)
            if err.field in self._errors and (isinstance(err, PlanError)
                                              or not self._errors[err.field].value):
                self._show_problems({err.field: err.code}, {err.field})  # (a box's own
                # reading problem is shown already, with its question if it has one)
            self.banner.value = "<p class='hw-banner'>{}</p>".format(html.escape(
                _("Some boxes need fixing (see the red message). Your last good plan is shown.")))
            return False
        except Exception:  # never a traceback on the page
            log.exception("savings recompute failed")
            self.banner.value = "<p class='hw-banner'>{}</p>".format(html.escape(
                _("Something went wrong. Your last good plan is shown.")))
            return False
        self.plan, self.table, self.summary, self.band_result = plan, table, summary, band
        if self.banner.value:
            self.banner.value = ""
        self._show_results()
        return True

    def _show_results(self) -> None:
        chart = self._chart()
        self.chart.value = self.chart_html(chart)
        self.legend.value = charts.legend_html(chart)  # the same words: nothing is sent
        self.sentences.value = "<div class='hw-sentences'>{}</div>".format(
            "".join(f"<p>{html.escape(s)}</p>" for s in self.sentence_list()))
        self.cards.value = self._cards_html()
        label, value = self._cards()[0]
        self.headline.value = html.escape(f"{label}: {value}")
        self.what_if.value = self._what_if_html()
        self._currency_note(self.example.currency if self._is_example() else None)
        if self.files.value:  # files made earlier show an older plan
            self.files.value = ""

    def money(self, amount: float) -> str:
        return format_money(amount, self.currency, self.language, cents=False)

    def _return_month(self) -> int:
        return effective_return_month(self.plan)  # an early return in month 0 is in month 0

    @property
    def savings_line(self) -> np.ndarray:
        """Total savings month by month: the chart's main line."""
        return self.table["total_savings"].to_numpy()

    def _chart(self) -> charts.Chart:
        """The savings chart: total savings, the emergency fund goal, the month she comes home,
        and (when her income varies) the range of 8 in 10 cases."""
        _ = self._
        plan, summary = self.plan, self.summary
        labels = [month_label(self.start, m, self.language) for m in range(plan.months)]
        januaries = [m for m in range(plan.months)
                     if (int(self.start[5:7]) - 1 + m) % 12 == 0]
        step = max(1, len(januaries) // 6)
        ticks = [(m, labels[m].split()[-1]) for m in januaries[::step]]
        series = []
        if self.band_result is not None:
            series.append(charts.Series(_("8 in 10 cases are in this range"),
                                        list(self.band_result.p90), BAND_COLOUR, "band",
                                        low=list(self.band_result.p10)))
        series += [
            charts.Series(_("All savings"), list(self.savings_line), SAVINGS_COLOUR, "line", width=3),
            charts.Series(_("Emergency fund goal"), [summary.emergency_fund_target] * plan.months,
                          TARGET_COLOUR, "dashed", in_table=False),
        ]
        home = min(self._return_month(), plan.months - 1)
        rows = sorted(set(januaries) | {0, home, plan.months - 1})
        chart = charts.Chart(
            title=_("Savings over time"), x_labels=labels, series=series,
            y_format=lambda v: format_money_short(v, self.currency, self.language),
            x_ticks=ticks, markers=[charts.Marker(_("You come home"), home, HOME_COLOUR)],
            table_rows=rows, table_x_header=_("Month"), css="hw-savings-figure")
        return chart

    def chart_html(self, chart: charts.Chart | None = None) -> str:
        """The chart's figure: its title, the drawing and its numbers as a table (the legend is
        :attr:`legend`, a widget of its own)."""
        chart = chart or self._chart()
        table_chart = dataclasses.replace(chart, y_format=self.money)
        figure = charts.chart_html(chart, legend=False,
                                   label_id=f"hw-chart-{self.chart.model_id[:8]}")
        # the table reads whole amounts, not the axis's rounded ones
        return figure.replace(charts.table_html(chart), charts.table_html(table_chart))

    def sentence_list(self) -> list[str]:
        """The results as sentences a person can read, in her language."""
        _, ngettext = self._, ngettext_for(self.language)
        plan, s = self.plan, self.summary
        when = lambda m: month_label(self.start, m, self.language)  # noqa: E731
        R = effective_return_month(plan)
        out = [_("When you come home in {month}, your savings are {amount}.").format(
            month=when(min(R, plan.months - 1)), amount=self.money(s.savings_at_return))]
        if s.months_savings_last_after_return is None:
            out.append(_("After you come home, your savings last to the end of the plan ({month}).")
                       .format(month=when(plan.months - 1)))
        else:
            n = s.months_savings_last_after_return
            out.append(ngettext("After you come home, your savings last {n} month.",
                                "After you come home, your savings last {n} months.", n).format(n=n))
        if s.emergency_fund_full_month is None:
            out.append(_("Your emergency fund of {amount} is not full by {month}.").format(
                amount=self.money(s.emergency_fund_target), month=when(plan.months - 1)))
        else:
            out.append(_("Your emergency fund of {amount} is full in {month}.").format(
                amount=self.money(s.emergency_fund_target), month=when(s.emergency_fund_full_month)))
        for goal in s.goals:
            name = self._goal_name(goal.name)  # the app's example names translated, hers as typed
            if goal.reached_month is None:
                out.append(_("{goal}: not reached by {month}.").format(
                    goal=name, month=when(plan.months - 1)))
            elif goal.on_time:
                out.append(_("{goal}: you have {amount} in {month}, on time.").format(
                    goal=name, amount=self.money(goal.amount), month=when(goal.reached_month)))
            else:
                out.append(_("{goal}: you have {amount} in {month}, later than you wanted.").format(
                    goal=name, amount=self.money(goal.amount), month=when(goal.reached_month)))
        if s.total_remitted > 0:
            out.append(_("Sending money home costs you {amount} in fees and exchange margin: "
                         "{pct} of what you send.").format(
                amount=self.money(s.total_remitting_cost),
                pct=format_number(s.remitting_cost_pct, self.language, 1) + "%"))
        if plan.debt is not None:
            if s.debt_free_month is None:
                out.append(_("Your loan is not yet repaid by {month}.").format(month=when(plan.months - 1)))
            else:
                out.append(_("Your loan is fully repaid in {month}.").format(month=when(s.debt_free_month)))
        if self.band_result is not None:
            out.append(_("If your income goes up and down, in 8 of 10 cases your savings in {month} "
                         "are between {low} and {high}.").format(
                month=when(plan.months - 1), low=self.money(float(self.band_result.p10[-1])),
                high=self.money(float(self.band_result.p90[-1]))))
        if s.months_remittance_short > 0:
            n = s.months_remittance_short
            out.append(ngettext(
                "In {n} month you do not have all the money you plan to send: you send only what "
                "you have, {amount} less in all.",
                "In {n} months you do not have all the money you plan to send: you send only "
                "what you have, {amount} less in all.", n).format(
                n=n, amount=self.money(s.total_not_sent)))
        if s.total_unfunded > 0:
            out.append(_("Warning: from {month} your money runs out in some months; {amount} "
                         "in all is missing.").format(month=when(s.first_unfunded_month),
                                                      amount=self.money(s.total_unfunded)))
        return out

    def _is_example(self) -> bool:
        """Whether the amounts on screen are still the example's (words aside)."""
        return _numbers(self.plan) == _numbers(self.example.plan)

    def _what_if_html(self) -> str:
        """For the example: what would happen if the household earned less after her return."""
        if not self._is_example() or not self.example.what_if:
            return ""
        _, ngettext = self._, ngettext_for(self.language)
        worse = dataclasses.replace(self.plan, **self.example.what_if)
        try:
            s = summarize(worse)
        except PlanError:
            return ""
        if s.total_unfunded <= 0:
            return ""
        lasts = ("" if s.months_savings_last_after_return is None else
                 ngettext("Your savings would last {n} month after you come home.",
                          "Your savings would last {n} months after you come home.",
                          s.months_savings_last_after_return).format(
                     n=s.months_savings_last_after_return))
        words = [
            _("What if the household earned only {amount} a month after you come home?").format(
                amount=self.money(worse.local_income)),
            lasts,
            _("In all, {amount} would be missing. Try it in \u201c{section}\u201d.").format(
                amount=self.money(s.total_unfunded), section=_(SECTIONS[2][0])),
        ]
        return "<div class='hw-whatif'><h2>{}</h2><p>{}</p></div>".format(
            html.escape(_("What if")), html.escape(" ".join(w for w in words if w)))

    def _cards(self) -> list[tuple[str, str]]:
        _ = self._
        s = self.summary
        last = s.months_savings_last_after_return
        return [
            (_("Savings when you come home"), self.money(s.savings_at_return)),
            (_("Months your savings last at home"),
             _("to the end") if last is None else str(last)),
            (_("Cost of sending money"), self.money(s.total_remitting_cost)),
        ]

    def _cards_html(self) -> str:
        cards = self._cards()
        return "<div class='hw-cards'>{}</div>".format("".join(
            f"<div class='hw-card'>{html.escape(label)}<b>{html.escape(value)}</b></div>"
            for label, value in cards))

    def first_paint(self) -> str:
        """What the page shows before the widgets load: the title, results and chart, as HTML."""
        chart = f"<div class='hw-savings-chart'>{self.chart.value}{self.legend.value}</div>"
        return first_paint(self.title.value + self.cards.value + chart
                           + self.sentences.value + self.what_if.value, self.language)

    # keeping the plan ------------------------------------------------------------
    def saved_plan(self) -> planfile.SavedPlan:
        return planfile.SavedPlan(self.plan, self.start, self.currency, self.language)

    def _on_files(self, _button=None) -> None:
        """Make the files she asked for: the plan, the table (CSV) and a printable summary."""
        _ = self._
        try:
            plan_json = planfile.dumps(self.saved_plan()).encode("utf-8")
            opening = (self.plan.personal_savings, self.plan.family_savings)
            csv = report.table_csv(self.table, self.start, self.language, opening).encode("utf-8")
            page = report.summary_html(self.saved_plan(), self.table, self.sentence_list(),
                                       self._cards(), self.summary.emergency_fund_target)
        except Exception:
            log.exception("files failed")
            self.files.value = html.escape(_("Something went wrong. Your last good plan is shown."))
            return
        self.files.value = "".join([
            download_link(plan_json, "application/json", "homeward-savings-plan.json",
                          _("Save my plan"), "hw-save"),
            download_link(csv, "text/csv", "homeward-savings-table.csv",
                          _("Download the table (CSV)"), "hw-csv"),
            download_link(page.encode("utf-8"), "text/html", "homeward-savings-summary.html",
                          _("Download the summary"), "hw-summary"),
        ])

    def open_plan(self, content: bytes) -> bool:
        """Open a plan file; on any problem, say so and keep the plan on screen."""
        _ = self._
        try:
            saved = planfile.loads(content)
        except planfile.PlanFileError as err:
            message = _(FILE_MESSAGES.get(err.code, FILE_MESSAGES["not_a_plan"]))
            self.upload_error.value = html.escape(message.format(field=err.field or ""))
            return False
        self.upload_error.value = ""
        self.start, self.currency = saved.start, saved.currency
        with self._hold():
            self.currency_picker.value = saved.currency
        self.plan = saved.plan
        self._relabel()
        self._fill_inputs(saved.plan)
        return self.recompute()

    # events ----------------------------------------------------------------------
    def _on_currency(self, change) -> None:
        """A new currency: while the amounts are still the example's, show her home country's
        example in that currency (rupiah and an arisan for Indonesia...); her own amounts stay
        as she typed them."""
        if self._quiet:
            return
        example = savings_example(change["new"])
        if self._is_example() and example.currency != self.example.currency:
            self.example, self.plan, self.currency = example, example.plan, change["new"]
            self._relabel()
            self._fill_inputs(self.plan, set(self._filled))
            self.recompute()
            return
        super()._on_currency(change)

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        content = item["content"] if isinstance(item, dict) else item.content
        self.open_plan(bytes(content))
        with self._hold():
            self.upload.value = ()


#: What the group boxes show when the plan has none.
_NO_GROUP = SavingsGroup(0.0, 10, 1, 0)


def _debt_rate(debt: loans.Loan) -> float:
    """The yearly rate the debt box shows: the lender's, or the one its payments make."""
    if debt.yearly_rate_pct is not None:
        return debt.yearly_rate_pct
    try:
        return round(loans.rates(debt).apr_pct, 6)
    except PlanError:  # a broken plan being opened: its error is shown next to the box
        return 0.0


def _numbers(plan: Plan) -> tuple:
    """A plan's amounts without its words (to tell whether the example's numbers stand)."""
    return (dataclasses.replace(plan, goals=()),
            tuple((g.amount, g.target_month) for g in plan.goals))


def _get(plan: Plan, key: str):
    """The value of a dotted plan field, e.g. ``debt.amount`` (0 without a debt)."""
    if key.startswith("debt."):
        debt = plan.debt
        if debt is None:
            return 0.0
        return _debt_rate(debt) if key == "debt.yearly_rate_pct" else getattr(debt, key[5:])
    value = plan
    for part in key.split("."):
        if value is None:
            value = {"group": _NO_GROUP}[key.split(".")[0]]
        value = getattr(value, part)
    return value


def savings_app(**options) -> W.Widget:
    """The simulator's widget, for a lesson notebook."""
    return SavingsApp(**options).widget


def savings_page(**options) -> None:
    """The simulator as a Homeward page (``widgets/apps/savings.ipynb``).

    The app is built before anyone comes (a pre-heated kernel), then opened in the visitor's
    language and currency; the page shows its results as plain HTML at once, then the app.
    """
    SavingsApp(**options).show_page()
