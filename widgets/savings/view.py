"""The savings simulator app: ipywidgets wired to :mod:`widgets.savings.model`.

No arithmetic lives here. The view reads what a person types (through
:mod:`widgets.money`), builds a :class:`~widgets.savings.model.Plan`, asks the
model, and shows the results: a chart that updates in place, sentences a
person can read, headline figures, and files to keep (plan, CSV, summary).
Every sentence comes from the gettext catalogs (:mod:`widgets.i18n`).

Use it in a notebook (or Voila) with::

    from widgets.savings.view import savings_app
    savings_app()
"""

from __future__ import annotations

import dataclasses
import html
import logging

import bqplot as bq
import ipywidgets as W
import numpy as np

from widgets import loans
from widgets.appkit import CSS, Field, FormApp, InputProblem, download_link
from widgets.i18n import LANGUAGES, N_, gettext_for, ngettext_for
from widgets.money import CURRENCIES, AmountError, format_money, format_number
from widgets.months import month_date, month_label, this_month
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

#: Messages for each kind of mistake (codes from widgets.money and the model).
ERROR_MESSAGES = {
    "empty": N_("Please type a number (0 if none)."),
    "not_a_number": N_("This is not a number. Write it like {example}."),
    "ambiguous": N_("This can be read two ways. For thousands, write it like {thousands}; "
                    "with cents, like {example}."),
    "wrong_currency": N_("This looks like another currency. Type the amount in {currency}."),
    "negative": N_("This cannot be below zero."),
    "too_large": N_("This number is too large. Check for extra zeros."),
    "out_of_range": N_("This number is outside what is possible here."),
    "never_repaid": N_("This payment does not even cover the interest: the loan would never be repaid."),
    "takes_too_long": N_("At this payment the loan takes more than 30 years. Pay more each month."),
    "not_whole": N_("Please type a whole number."),
}
FILE_MESSAGES = {
    "not_json": N_("This file is not a Homeward plan. Choose the .json file you saved."),
    "not_a_plan": N_("This file is not a Homeward savings plan."),
    "wrong_version": N_("This plan file is from another version of Homeward."),
    "too_big": N_("This file is too big to be a plan."),
    "bad_value": N_("This plan file was changed and has a value that is not possible ({field})."),
}



# --- the app -------------------------------------------------------------------


class SavingsApp(FormApp):
    """The whole simulator. ``SavingsApp().widget`` is what a page shows."""

    def __init__(self, plan: Plan | None = None, *, start: str | None = None,
                 currency: str = "PHP", language: str = "en"):
        self.language = language
        self.currency = currency
        self.start = start or this_month()
        self.plan = plan or Plan()  # the last good plan: always what is on screen
        self.summary = None
        self._quiet = False
        self._texts: dict[str, W.Text] = {}
        self._errors: dict[str, W.HTML] = {}
        self._labels: list[tuple[W.HTML, str, str]] = []  # widget, msgid, unit
        self.log_output = W.Output(layout={"display": "none"})
        self._build()
        self._fill_inputs(self.plan)
        self.recompute()

    # building ------------------------------------------------------------------
    def _build(self) -> None:
        _ = self._
        self.title = W.HTML()
        self.language_picker = W.Dropdown(
            options=[(name, code) for code, name in LANGUAGES.items()], value=self.language,
            layout={"width": "auto"},
        )
        self.currency_picker = W.Dropdown(
            options=[(f"{code}", code) for code in CURRENCIES], value=self.currency,
            layout={"width": "auto"},
        )
        self.language_label = W.HTML()
        self.currency_label = W.HTML()
        self.language_picker.observe(self._on_language, "value")
        self.currency_picker.observe(self._on_currency, "value")
        top = W.HBox(
            [W.VBox([self.language_label, self.language_picker]),
             W.VBox([self.currency_label, self.currency_picker])],
            layout={"flex_flow": "row wrap", "grid_gap": "12px"},
        )
        self.banner = W.HTML()
        self.cards = W.HTML()
        self.sentences = W.HTML()
        self._build_chart()
        self.files = W.HTML()
        self.upload = W.FileUpload(accept=".json", multiple=False, layout={"width": "auto"})
        self.upload.observe(self._on_upload, "value")
        self.upload_label = W.HTML()
        self.upload_error = W.HTML()
        self.upload_error.add_class("hw-error")
        self.summary_button = W.Button(layout={"width": "auto"})
        self.summary_button.on_click(self._on_summary)
        self.summary_link = W.HTML()

        # Sections are built when first opened: a phone gets a light page first.
        self.section_titles = [title for title, _fields in SECTIONS]
        self._built: set[int] = set()
        self.accordion = W.Accordion(children=[W.VBox() for _ in SECTIONS], selected_index=0)
        self.accordion.observe(self._on_section, "selected_index")
        self.horizon = W.Dropdown(options=[(str(y), y * 12) for y in (3, 5, 10, 20, 30)],
                                  value=self.plan.months if self.plan.months in (36, 60, 120, 240, 360) else 60,
                                  layout={"width": "auto"})
        self.horizon_label = W.HTML()
        self.horizon.observe(lambda change: self._on_input(), "value")

        inputs = W.VBox([top, W.VBox([self.horizon_label, self.horizon]), self.accordion])
        inputs.add_class("hw-col")
        keep = W.VBox([
            self.files,
            W.HBox([self.summary_button, self.summary_link], layout={"flex_flow": "row wrap"}),
            self.upload_label, self.upload, self.upload_error,
        ])
        keep.add_class("hw-files")
        results = W.VBox([self.banner, self.cards, self.figure, self.sentences, keep])
        results.add_class("hw-col")
        columns = W.Box([results, inputs])
        columns.add_class("hw-cols")
        self.widget = W.VBox([W.HTML(CSS), self.title, columns, self.log_output])
        self.widget.add_class("hw-app")
        self._build_section(0)

    def _build_section(self, index: int) -> None:
        """Create the boxes of one section (once) and show the current plan in them."""
        if index is None or index in self._built:
            return
        self._built.add(index)
        title, fields = SECTIONS[index]
        boxes = [self._month_box(key, label, none=none)
                 for key, label, none in MONTH_PICKERS.get(title, [])]
        boxes += [self._field_box(field) for field in fields]
        if title == GOALS_SECTION:
            boxes.append(self._goals_box())
        self.accordion.children[index].children = boxes
        self._relabel()
        self._fill_inputs(self.plan)

    def _on_section(self, change) -> None:
        self._build_section(change["new"])

    def field(self, key: str) -> W.Widget:
        """The input widget of a plan field, building its section if needed."""
        self._build_section(section_of(key))
        return self._texts[key]

    def _open_field(self, key: str) -> None:
        """Build and open the section of a field that needs fixing."""
        try:
            index = section_of(key)
        except KeyError:
            return
        self._build_section(index)
        self.accordion.selected_index = index

    def _label(self, msgid: str, unit: str = "") -> W.HTML:
        label = W.HTML()
        label.add_class("hw-label")
        self._labels.append((label, msgid, unit))
        return label

    def _field_box(self, field: Field) -> W.VBox:
        text = W.Text(continuous_update=False, layout={"width": "100%"})
        text.observe(lambda change, key=field.key: self._on_input(key), "value")
        error = W.HTML()
        error.add_class("hw-error")
        self._texts[field.key] = text
        self._errors[field.key] = error
        return W.VBox([self._label(field.label, field.unit), text, error])

    def _month_box(self, key: str, msgid: str, none: bool = False) -> W.VBox:
        picker = W.Dropdown(layout={"width": "100%"})
        picker.none_allowed = none
        picker.observe(lambda change, key=key: self._on_input(key), "value")
        error = W.HTML()
        error.add_class("hw-error")
        self._texts[key] = picker
        self._errors[key] = error
        return W.VBox([self._label(msgid), picker, error])

    def _goals_box(self) -> W.VBox:
        rows = [self._label(N_("My goals: what, how much, by when"))]
        for i in range(GOAL_ROWS):
            name = W.Text(continuous_update=False, layout={"width": "100%"})
            name.observe(lambda change: self._on_input(), "value")
            self._texts[f"goals[{i}].name"] = name
            amount_box = self._field_box(Field(f"goals[{i}].amount", N_("Amount"), "money"))
            month_box = self._month_box(f"goals[{i}].target_month", N_("By"), none=True)
            rows.append(W.VBox([name, amount_box, month_box],
                               layout={"border_left": "3px solid #9cc", "padding": "0 0 0 8px"}))
        return W.VBox(rows)

    def _build_chart(self) -> None:
        x_scale = bq.DateScale()  # years as ticks: the same in every language
        y_scale = bq.LinearScale(min=0, allow_padding=False)
        self.band = bq.Lines(scales={"x": x_scale, "y": y_scale}, fill="between",
                             colors=["#9cc9b4", "#9cc9b4"], fill_colors=["#cfe7dc"],
                             fill_opacities=[0.7], stroke_width=1)
        self.line = bq.Lines(scales={"x": x_scale, "y": y_scale}, colors=["#0b5d3b"], stroke_width=3)
        self.target = bq.Lines(scales={"x": x_scale, "y": y_scale}, colors=["#b36b00"],
                               line_style="dashed", stroke_width=2)
        self.return_marker = bq.Lines(scales={"x": x_scale, "y": y_scale}, colors=["#555"],
                                      line_style="dotted", stroke_width=2)
        self.x_axis = bq.Axis(scale=x_scale, tick_format="%Y")
        self.y_axis = bq.Axis(scale=y_scale, side="left", num_ticks=5, tick_format=".2s")
        self.figure = bq.Figure(
            marks=[self.band, self.target, self.return_marker, self.line],
            axes=[self.x_axis, self.y_axis],
            fig_margin={"top": 30, "bottom": 30, "left": 50, "right": 10},
            layout={"width": "100%", "height": "280px", "min_width": "0"},
            animation_duration=0,
            title_style={"font-size": "15px"},
        )
        self.figure.add_class("hw-chart")

    # language -------------------------------------------------------------------
    @property
    def _(self):
        return gettext_for(self.language)

    def _unit(self, unit: str) -> str:
        _ = self._
        from widgets.money import currency_symbol

        return {
            "money": currency_symbol(self.currency, self.language),
            "percent": "%",
            "months": _("months"),
            "count": "",
        }.get(unit, "")

    def _relabel(self) -> None:
        _ = self._
        self.title.value = "<h2 style='margin:4px 0'>{}</h2><p>{}</p>".format(
            html.escape(_("My savings plan")),
            html.escape(_("Plan your money from today until after you come home. "
                          "The example numbers are illustrative: change them to yours.")),
        )
        self.language_label.value = html.escape(_("Language"))
        self.currency_label.value = html.escape(_("Currency"))
        self.horizon_label.value = html.escape(_("Years to plan"))
        for label, msgid, unit in self._labels:
            suffix = self._unit(unit)
            label.value = html.escape(_(msgid) + (f" ({suffix})" if suffix else ""))
        for i, title in enumerate(self.section_titles):
            self.accordion.set_title(i, _(title))
        for i in range(GOAL_ROWS):
            if f"goals[{i}].name" in self._texts:
                self._texts[f"goals[{i}].name"].placeholder = _("Goal, for example house repair")
        self.upload.description = _("Open a saved plan")
        self.upload_label.value = html.escape(_("Carry on later: save your plan, then open it again."))
        self.summary_button.description = _("Printable summary")
        self.figure.title = _("Savings over time")
        self._month_options()

    def _month_options(self) -> None:
        """Fill every month picker with month names in the reader's language."""
        _ = self._
        months = self._months()
        options = [(month_label(self.start, m, self.language), m) for m in range(months)]
        for key, picker in self._texts.items():
            if isinstance(picker, W.Dropdown):
                current = picker.value
                opts = ([(_("No"), None)] if picker.none_allowed else []) + options
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
    def _fill_inputs(self, plan: Plan) -> None:
        """Show a plan's values in the boxes, formatted for the reader."""
        with self._hold():
            if plan.months in dict(self.horizon.options).values():
                self.horizon.value = plan.months
            self._month_options()
            for key, field in FIELDS.items():
                if key in self._texts:
                    value = _get(plan, key)
                    self._texts[key].value = "" if value is None else self._format(value, field.unit)
            stops = plan.shocks.remittance_stops
            months = {
                "return_month": plan.return_month,
                "shocks.early_return_month": plan.shocks.early_return_month,
                "shocks.remittance_stop": stops[0] if stops else None,
                "shocks.income_cut_from": plan.shocks.income_cut_from,
            }
            for key, value in months.items():
                if key in self._texts:
                    self._texts[key].value = value
            for i in range(GOAL_ROWS):
                if f"goals[{i}].name" not in self._texts:
                    break
                goal = plan.goals[i] if i < len(plan.goals) else None
                self._texts[f"goals[{i}].name"].value = goal.name if goal else ""
                self._texts[f"goals[{i}].amount"].value = (
                    self._format(goal.amount, "money") if goal else "")
                self._texts[f"goals[{i}].target_month"].value = goal.target_month if goal else None
            for error in self._errors.values():
                error.value = ""

    def read_plan(self) -> Plan:
        """Build a plan from the boxes. Raises PlanError naming the first bad field."""
        values: dict[str, float] = {}
        problems: dict[str, str] = {}
        for key, field in FIELDS.items():
            if key not in self._texts:  # section not opened yet: the plan's value stands
                values[key] = float(_get(self.plan, key))
                continue
            text = self._texts[key].value
            try:
                values[key] = self._parse(text, field)
            except AmountError as err:
                problems[key] = err.code
        goals = [] if "goals[0].name" in self._texts else list(self.plan.goals)
        for i in range(GOAL_ROWS if "goals[0].name" in self._texts else 0):
            name = self._texts[f"goals[{i}].name"].value.strip()
            amount_text = self._texts[f"goals[{i}].amount"].value.strip()
            month = self._texts[f"goals[{i}].target_month"].value
            if not name and not amount_text:
                continue
            key = f"goals[{i}].amount"
            try:
                amount = self._parse(amount_text, Field(key, "", "money"))
            except AmountError as err:
                problems[key] = err.code
                continue
            if month is None:
                month = self._months() - 1
            goals.append(Goal(name or self._("Goal {n}").format(n=i + 1), amount, int(month)))
        self._show_problems(problems)
        if problems:
            key, code = next(iter(problems.items()))
            raise InputProblem(key, code)
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
            return_month=int(self._texts["return_month"].value),
            goals=tuple(goals), debt=debt, group=group, shocks=shocks,
        )

    def _debt(self, values: dict[str, float]) -> loans.Loan | None:
        """The debt from its three boxes: what is owed, its yearly rate, the monthly payment
        (a loan repaid at the payment she chooses; the same as the plan's if unchanged)."""
        old = self.plan.debt
        if "debt.amount" not in self._texts:  # section not opened yet: the plan's debt stands
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
        """A month picker's value, or the plan's if its section is not open yet."""
        return self._texts[key].value if key in self._texts else default

    def _show_problems(self, problems: dict[str, str]) -> None:
        _ = self._
        example = format_number(5000.5, self.language, 2)
        words = {"example": example, "thousands": format_number(30_000, self.language),
                 "currency": self.currency}
        for key, error in self._errors.items():
            code = problems.get(key)
            message = ERROR_MESSAGES.get(code, N_("This value is not possible here.")) if code else ""
            error.value = html.escape(_(message).format(**words)) if code else ""

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
            if err.field in self._errors:
                self._show_problems({err.field: err.code})
            self.banner.value = "<div class='hw-banner'>{}</div>".format(html.escape(
                _("Some boxes need fixing (see the red message). Your last good plan is shown.")))
            return False
        except Exception:  # never a traceback on the page
            log.exception("savings recompute failed")
            with self.log_output:
                log.exception("savings recompute failed")
            self.banner.value = "<div class='hw-banner'>{}</div>".format(html.escape(
                _("Something went wrong. Your last good plan is shown.")))
            return False
        self.plan, self.table, self.summary, self.band_result = plan, table, summary, band
        self.banner.value = ""
        self._show_results()
        return True

    def _show_results(self) -> None:
        plan, table, summary = self.plan, self.table, self.summary
        dates = np.array([np.datetime64(month_date(self.start, m)) for m in range(plan.months)])
        total = table["total_savings"].to_numpy()
        R = effective_return_month(plan)  # an early return in month 0 is a return in month 0
        top = float(max(total.max(), summary.emergency_fund_target, 1.0))
        with self.figure.hold_sync():
            self.line.x, self.line.y = dates, total
            if self.band_result is not None:
                self.band.x = dates
                self.band.y = np.vstack([self.band_result.p10, self.band_result.p90])
                self.band.visible = True
                top = max(top, float(self.band_result.p90.max()))
            else:
                self.band.visible = False
            self.target.x = dates[[0, -1]]
            self.target.y = [summary.emergency_fund_target] * 2
            years = [d for d in dates if d.astype("datetime64[M]").astype(int) % 12 == 0]
            step = max(1, len(years) // 6)
            self.x_axis.tick_values = np.array(years[::step] or dates[:1])
            when = dates[min(R, plan.months - 1)]
            self.return_marker.x, self.return_marker.y = [when, when], [0, top]
        self.sentences.value = "<div class='hw-sentences'>{}</div>".format(
            "".join(f"<p>{html.escape(s)}</p>" for s in self.sentence_list()))
        self.cards.value = self._cards_html()
        self._refresh_files()

    def money(self, amount: float) -> str:
        return format_money(amount, self.currency, self.language, cents=False)

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
            if goal.reached_month is None:
                out.append(_("{goal}: not reached by {month}.").format(
                    goal=_(goal.name), month=when(plan.months - 1)))
            elif goal.on_time:  # goal names the app suggests are translated, hers stay as typed
                out.append(_("{goal}: you have {amount} in {month}, on time.").format(
                    goal=_(goal.name), amount=self.money(goal.amount), month=when(goal.reached_month)))
            else:
                out.append(_("{goal}: you have {amount} in {month}, later than you wanted.").format(
                    goal=_(goal.name), amount=self.money(goal.amount), month=when(goal.reached_month)))
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

    # keeping the plan ------------------------------------------------------------
    def saved_plan(self) -> planfile.SavedPlan:
        return planfile.SavedPlan(self.plan, self.start, self.currency, self.language)

    def _refresh_files(self) -> None:
        _ = self._
        plan_json = planfile.dumps(self.saved_plan()).encode("utf-8")
        opening = (self.plan.personal_savings, self.plan.family_savings)
        csv = report.table_csv(self.table, self.start, self.language, opening).encode("utf-8")
        self.files.value = "".join([
            download_link(plan_json, "application/json", "homeward-savings-plan.json",
                          _("Save my plan"), "hw-save"),
            download_link(csv, "text/csv", "homeward-savings-table.csv",
                          _("Download the table (CSV)"), "hw-csv"),
        ])
        self.summary_link.value = ""

    def _on_summary(self, _button) -> None:
        try:
            page = report.summary_html(self.saved_plan(), self.table, self.sentence_list(),
                                       self._cards(), self.summary.emergency_fund_target)
            self.summary_link.value = download_link(
                page.encode("utf-8"), "text/html", "homeward-savings-summary.html",
                self._("Download the summary"), "hw-summary")
        except Exception:
            log.exception("summary failed")
            self.summary_link.value = html.escape(self._("Something went wrong. Your last good plan is shown."))

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
        self._fill_inputs(saved.plan)
        self.plan = saved.plan
        return self.recompute()

    # events ----------------------------------------------------------------------
    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        content = item["content"] if isinstance(item, dict) else item.content
        self.open_plan(bytes(content))


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
    """The simulator's widget, for a Voila app or a lesson notebook."""
    return SavingsApp(**options).widget
