"""The answer form: any released exercise or check-in as questions on a phone, and "Hand in".

This module only wires widgets to :mod:`widgets.forms.model` (what a question is, how a typed
value is read, whether it fits, how answers are written into the notebook) and to
:mod:`widgets.forms.handin` (where the assignment comes from, her draft, the hand-in).

Each kind of answer gets its input:

==========================  ===============================================================
``money``                   a text box read the way her language writes amounts (``2,400``
                            in English and Filipino, ``2.400`` in Indonesian); "30.000" in
                            English asks "Did you mean 30,000?" with a button that says yes
``number``/``integer``      a text box, read the same way; ``percent`` takes ``12`` or ``12%``
``choice``                  big radio buttons (up to six options), else a dropdown
``yesno``                   two big buttons, Yes and No
``date``                    the phone's own date picker
``text``                    a one-line text box; ``reflection``: a larger text area
==========================  ===============================================================

Every answer is checked as soon as she leaves the box (:func:`~widgets.forms.model.parse_answer`
and :func:`~widgets.forms.model.value_problem`): a message in her language says what to fix.
A value outside its bounds is still handed in (the grader decides); a value that cannot be
read is not written until she fixes it.

Headless use (the tests): ``form = AnswerForm(releases, "ee03_saving")``, set the widgets'
``.value``, press ``form.handin_button.click()``, read ``form.handed_in``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import urllib.parse

import ipywidgets as W

from widgets.appkit import CURRENCY_NAMES, ERROR_MESSAGES, FormApp, Section, download_link
from widgets.forms.handin import (
    Drafts,
    FolderReleases,
    filled_notebook,
    find_releases,
    handin_filename,
    notebook_bytes,
    safe_name,
)
from widgets.forms.model import (
    FormError,
    Question,
    Reflection,
    Text,
    form_items,
    parse_answer,
    read_reflections,
    read_values,
    value_problem,
)
from widgets.i18n import N_, gettext_for
from widgets.money import CURRENCIES, currency_symbol, format_number
from widgets.page import first_paint, page_state, show

#: Words of the form, marked for the catalogs (``widgets/locale``).
WORDS = {
    "title": N_("Answer form"),
    "choose": N_("Choose a form"),
    "unknown": N_("There is no form with this name. Choose one from the list."),
    "none": N_("No form is ready yet. Ask your facilitator."),
    "currency_local": N_("The currency of your amounts"),
    "yes": N_("Yes"),
    "no": N_("No"),
    "person": N_("Your name or participant number"),
    "person_help": N_("It goes in the file name, so your facilitator knows it is yours."),
    "person_missing": N_("Please write your name or participant number first."),
    "handin": N_("Hand in"),
    "handin_hub": N_("Hand in to your facilitator"),
    "fix_first": N_("Some answers cannot be read yet. Look at the messages in red, fix them, "
                    "then press Hand in again."),
    "blank": N_("You left {n} questions without an answer. You can answer them and hand in "
                "again."),
    "done_file": N_("Your answers are ready. Press the link below to save the file {file} on "
                    "this phone or computer. Then send the file to your facilitator (by "
                    "message or e-mail), or show it at the next meeting."),
    "download": N_("Save my answers ({file})"),
    "done_hub": N_("Handed in. Your facilitator will see your answers. You can change them "
                   "and hand in again until the facilitator collects them."),
    "failed_hub": N_("Handing in did not work. Please try again, or tell your facilitator."),
    "draft": N_("Your answers are kept on this device as you type, so you can come back "
                "later."),
    "simulator": N_("Try it in the savings simulator (the case's numbers are filled in)"),
    "below_min": N_("This is less than any answer possible here. Check the number."),
    "above_max": N_("This is more than any answer possible here. Check the number."),
    "not_an_option": N_("Please choose one of the options."),
    "bad_date": N_("Please choose a date."),
    "too_long": N_("This is too long. Please make it shorter."),
    "not_yes_no": N_("Please choose Yes or No."),
}
#: Problems found in a box, as a message code for :meth:`FormApp._show_problems`.
ERRORS = {code: WORDS[code] for code in ("below_min", "above_max", "not_an_option", "bad_date",
                                         "too_long", "not_yes_no")}
ERRORS.update({"not_finite": ERROR_MESSAGES["not_a_number"],
               "wrong_type": ERROR_MESSAGES["not_a_number"],
               "unknown_currency": ERROR_MESSAGES["not_a_number"]})
_ANCHOR = re.compile(r"<a class=.anchor-link.[^>]*>[^<]*</a>")
#: Up to this many options, a choice is a set of big radio buttons; more, a dropdown.
RADIO_MAX = 6
#: The person's own currency by language, before she chooses (a check-in's "local" money).
CURRENCY_BY_LANGUAGE = {"fil": "PHP", "id": "IDR"}


def word(translate, key: str) -> str:
    """One of the form's :data:`WORDS` in the language of ``translate`` (a ``gettext``)."""
    return translate(WORDS[key])


def markdown_html(text: str) -> str:
    """A markdown cell of the exercise (the course's own text) as HTML."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return _ANCHOR.sub("", markdown2html_mistune(text))


def _title(items, language: str, fallback: str) -> str:
    for item in items:
        if isinstance(item, Text):
            for line in item.text(language).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


class AnswerForm(FormApp):
    """One released assignment as a form. ``AnswerForm(...).widget`` is what a page shows."""

    TITLE = WORDS["title"]
    ERRORS = ERRORS

    def __init__(self, releases, assignment: str, *, language: str = "en",
                 currency: str | None = None, drafts: Drafts | None = None):
        self.releases, self.assignment = releases, assignment
        self.language = language
        self.drafts = drafts
        self.release = releases.release(assignment)
        self.items = form_items(self.release)
        self.questions = {i.name: i for i in self.items if isinstance(i, Question)}
        self.reflections = {i.name: i for i in self.items if isinstance(i, Reflection)}
        self.exchange = bool(getattr(releases, "exchange", False))
        self.plan = None
        self.values: dict = {}  # name -> the value to write (None: blank)
        self.problems: dict = {}  # name -> FormError or a value_problem code
        self.handed_in: tuple[str, bytes] | None = None  # (file name, file) after Hand in
        self.result: dict | None = None  # nbgrader's answer on the hub
        draft = drafts.load(assignment) if drafts else {}
        self.currency = currency or draft.get("currency") or CURRENCY_BY_LANGUAGE.get(
            language, "PHP")
        if self.currency not in CURRENCIES:
            self.currency = "PHP"
        self._init_inputs()
        self._build()
        self._restore(draft)

    # building ------------------------------------------------------------------------
    @property
    def uses_local_currency(self) -> bool:
        return any(q.kind == "money" and q.currency == "local" for q in self.questions.values())

    def _build(self) -> None:
        top = self._build_top()
        if not self.uses_local_currency:
            self.currency_picker.layout.display = "none"
        self.heading = W.HTML()
        self.parts: list[W.Widget] = []
        self._texts: list[tuple[W.HTML, Text]] = []
        for item in self.items:
            if isinstance(item, Text):
                box = W.HTML()
                box.add_class("hw-markdown")
                self._texts.append((box, item))
                self.parts.append(box)
            elif isinstance(item, Reflection):
                self.parts.append(self._reflection_box(item))
            else:
                self.parts.append(self._question_box(item))
                if item.simulator and item.simulator.get("app") == "savings":
                    self.parts.append(self._simulator(item).box)
        self.person = W.Text(style={"description_width": "initial"})
        self.person_box = self._input_box("_person", self.person, WORDS["person"])
        self.person_hint = W.HTML()
        self.person_hint.add_class("hw-hint")
        self.person_box.children = (self.person, self.person_hint, *self.person_box.children[1:])
        if self.exchange:
            self.person_box.layout.display = "none"
        self.handin_button = W.Button(button_style="primary", layout={"width": "100%"})
        self.handin_button.add_class("hw-handin")
        self.handin_button.on_click(lambda _b: self.hand_in())
        self.status = W.HTML()
        self.status.add_class("hw-live")
        self.download = W.HTML()
        self.draft_note = W.HTML()
        self.draft_note.add_class("hw-hint")
        self._labels = []  # labels come from the notebook's metadata, not the catalogs
        body = W.VBox([self.heading, *self.parts, self.person_box, self.handin_button,
                       self.status, self.download, self.draft_note])
        body.add_class("hw-col")
        self.widget = W.VBox([top, self.currency_note, body])
        self.widget.add_class("hw-app")
        self.widget.add_class("hw-form")
        self._relabel()

    def _question_box(self, q: Question) -> W.VBox:
        layout = {"width": "100%"}
        if q.kind == "choice" and len(q.options) <= RADIO_MAX:
            widget = W.RadioButtons(options=[("", "")], value=None, layout=layout)
            widget.add_class("hw-choice")
        elif q.kind == "choice":
            widget = W.Dropdown(options=[("", None)], value=None, layout=layout)
        elif q.kind == "yesno":
            widget = W.ToggleButtons(options=[("Yes", True), ("No", False)], value=None,
                                     style={"button_width": "auto"})
            widget.add_class("hw-yesno")
        elif q.kind == "date":
            widget = W.DatePicker(value=None, layout=layout)
        else:
            widget = W.Text(continuous_update=False, layout=layout)
        return self._answer_box(q.name, widget)

    def _reflection_box(self, r: Reflection) -> W.VBox:
        widget = W.Textarea(continuous_update=False, rows=5, layout={"width": "100%"})
        return self._answer_box(r.name, widget)

    def _answer_box(self, name: str, widget: W.Widget) -> W.VBox:
        """The input, its plain help (``hw-hint``) and its message (``hw-error``)."""
        box = self._input_box(name, widget, name)
        hint = W.HTML()
        hint.add_class("hw-hint")
        box.children = (widget, hint, *box.children[1:])
        box.add_class("hw-question")
        return box

    def _simulator(self, q: Question) -> Section:
        """The savings simulator with the case's numbers, built when she opens it."""
        def build():
            from widgets.savings.view import SavingsApp

            currency = q.currency if q.currency not in (None, "local") else self.currency
            app = SavingsApp(plan=simulator_plan(q.simulator.get("values") or {}, currency),
                             currency=currency, language=self.language)
            app.state.remove_class("hw-page-state")  # the form's page keeps its own title
            app.state.value = ""
            return [app.widget]
        section = Section("", build)
        section.box.add_class("hw-simulator")
        self._sections = getattr(self, "_sections", []) + [section]
        return section

    # words -------------------------------------------------------------------------
    def title_text(self) -> str:
        return _title(self.items, self.language, self.assignment)

    def _relabel(self) -> None:
        _ = self._
        language = self.language
        self._relabel_top()
        self.currency_picker.description = word(_, "currency_local")
        self.state.value = page_state(language, self.currency, self.title_text())
        for box, item in self._texts:
            box.value = markdown_html(item.text(language))
        for name, q in self.questions.items():
            widget, box = self._inputs[name], self._boxes[name]
            unit = q.text("unit", language)
            if q.kind == "money":
                unit = currency_symbol(self._currency_of(q), language)
            if q.kind == "percent":
                unit = "%"
            widget.description = q.text("label", language) + (f" ({unit})" if unit else "")
            box.children[1].value = html.escape(q.text("help", language))
            with self._hold():
                if q.kind == "choice":
                    options = [(o.text(language), o.value) for o in q.options]
                    value = widget.value
                    if isinstance(widget, W.Dropdown):
                        options = [("", None), *options]
                    widget.options = options
                    widget.value = value
                elif q.kind == "yesno":
                    value = widget.value
                    widget.options = [(word(_, "yes"), True), (word(_, "no"), False)]
                    widget.value = value
        for name, r in self.reflections.items():
            self._inputs[name].description = r.text("label", language)
            self._boxes[name].children[1].value = html.escape(r.text("help", language))
        for section in getattr(self, "_sections", []):
            section.button.description = word(_, "simulator")
        self.person.description = word(_, "person")
        self.person_hint.value = html.escape(word(_, "person_help"))
        self.handin_button.description = word(_, "handin_hub" if self.exchange else "handin")
        self.draft_note.value = html.escape(word(_, "draft")) if self.drafts else ""
        self.heading.value = ""
        self._show_problems(self.problems)

    def _currency_of(self, q: Question) -> str:
        return self.currency if q.currency == "local" else q.currency

    # reading what she typed ------------------------------------------------------------
    def _typed(self, name: str):
        widget = self._inputs[name]
        value = widget.value
        if isinstance(widget, W.DatePicker):
            return value.isoformat() if value else None
        return value

    def _check(self, name: str) -> None:
        """Read one box and say at once what is wrong with it, if anything."""
        if name == "_person":
            self.problems.pop("_person", None)
            return
        typed = self._typed(name)
        self.problems.pop(name, None)
        if name in self.reflections:
            self.values[name] = typed if isinstance(typed, str) and typed.strip() else None
            return
        q = self.questions[name]
        try:
            value = parse_answer(q, typed, self.language)
        except FormError as err:
            self.values[name] = None
            self.problems[name] = err
            return
        self.values[name] = value
        problem = value_problem(q, value)
        if problem:
            self.problems[name] = problem

    def _on_input(self, key: str | None = None) -> None:
        if self._quiet or key is None:
            return
        self._check(key)
        self._show_problems(self.problems, keys=[key])
        self._save_draft()

    def _on_language(self, change) -> None:
        """Her language changed: the words follow, and amounts are written her new way."""
        old, self.language = self.language, change["new"]
        with self._hold():
            for name, q in self.questions.items():
                value = self.values.get(name)
                widget = self._inputs[name]
                if isinstance(widget, W.Text) and q.kind != "text" and value is not None \
                        and name not in self.problems:
                    widget.value = self._number_text(q, value)
        self._relabel()
        if old != self.language:
            self._save_draft()

    def _on_currency(self, change) -> None:
        if self._quiet:
            return
        self.currency = change["new"]
        self._relabel()
        self._save_draft()

    def _number_text(self, q: Question, value) -> str:
        if q.kind == "integer":
            return str(int(value))
        digits = 0 if float(value).is_integer() else 2
        if q.kind != "money":
            digits = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
        return format_number(value, self.language, min(digits, 6))

    def recompute(self) -> None:  # FormApp's hook: a form has nothing to recompute
        return None

    def _fill_inputs(self, plan) -> None:
        return None

    # her draft -----------------------------------------------------------------------
    def _draft(self) -> dict:
        typed = {}
        for name in [*self.questions, *self.reflections]:
            value = self._typed(name)
            if value not in (None, ""):
                typed[name] = value
        return {"typed": typed, "person": self.person.value, "currency": self.currency,
                "language": self.language}

    def _save_draft(self) -> None:
        if self.drafts is not None:
            try:
                self.drafts.save(self.assignment, self._draft())
            except OSError:
                self.draft_note.value = ""  # no folder to keep it in: say nothing false

    def _restore(self, draft: dict) -> None:
        """Put back what she typed before (her draft), else what her notebook already holds
        (an assignment fetched on the hub and answered in JupyterLab)."""
        typed = draft.get("typed") if isinstance(draft.get("typed"), dict) else None
        if typed is None and self.exchange:
            values, _problems = read_values(self.release)
            typed = {k: v for k, v in values.items() if v is not None}
            for name, q in self.questions.items():
                if name in typed and q.kind in ("money", "number", "integer", "percent"):
                    typed[name] = self._number_text(q, typed[name])
            typed.update({k: v for k, v in read_reflections(self.release).items() if v})
        with self._hold():
            if isinstance(draft.get("person"), str):
                self.person.value = draft["person"][:80]
            for name, value in (typed or {}).items():
                widget = self._inputs.get(name)
                if widget is None or name == "_person":
                    continue
                try:
                    if isinstance(widget, W.DatePicker):
                        widget.value = dt.date.fromisoformat(value) if value else None
                    elif isinstance(widget, (W.RadioButtons, W.Dropdown, W.ToggleButtons)):
                        if value in [v for _label, v in widget.options]:
                            widget.value = value
                    elif isinstance(value, str):
                        widget.value = value[:20_000]
                except (ValueError, TypeError):
                    continue
        for name in [*self.questions, *self.reflections]:
            self._check(name)
        self._show_problems({k: v for k, v in self.problems.items()
                             if self._typed(k) not in (None, "")})

    # hand in -------------------------------------------------------------------------
    def hand_in(self) -> bool:
        """Write her answers into the notebook and hand it in (the hub) or give her the file.
        Returns whether it was handed in."""
        _ = self._
        self.download.value = ""
        for name in [*self.questions, *self.reflections]:
            self._check(name)
        self._show_problems(self.problems)
        unreadable = [n for n, p in self.problems.items() if isinstance(p, FormError)]
        if unreadable:
            self.status.value = f"<p class='hw-banner hw-bad'>{html.escape(word(_, 'fix_first'))}</p>"
            return False
        if not self.exchange and not self.person.value.strip():
            self._errors["_person"].value = html.escape(word(_, "person_missing"))
            self.status.value = ""
            return False
        self._errors["_person"].value = ""
        values = {n: self.values.get(n) for n in self.questions}
        texts = {n: self.values.get(n) for n in self.reflections}
        filled = filled_notebook(self.release, self.assignment, values, texts, self.language)
        blank = sum(1 for v in [*values.values(), *texts.values()] if v is None)
        note = (" " + word(_, "blank").format(n=blank)) if blank else ""
        if self.exchange:
            self.result = self.releases.submit(self.assignment, filled)
            ok = bool(self.result.get("success"))
            words = word(_, "done_hub" if ok else "failed_hub")
            css = "hw-banner" if ok else "hw-banner hw-bad"
            self.status.value = f"<p class='{css}'>{html.escape(words + (note if ok else ''))}</p>"
            self._save_draft()
            return ok
        name = handin_filename(self.assignment, self.person.value)
        data = notebook_bytes(filled)
        self.handed_in = (name, data)
        self.status.value = "<p class='hw-banner'>{}</p>".format(
            html.escape(word(_, "done_file").format(file=name) + note))
        self.download.value = download_link(data, "application/x-ipynb+json", name,
                                            word(_, "download").format(file=name),
                                            "hw-download")
        self._save_draft()
        return True

    # the page ------------------------------------------------------------------------
    def first_paint(self) -> str:
        """What the page shows at once: the form's title and the case, in her language."""
        texts = [i for i in self.items if isinstance(i, Text)][:1]
        body = "".join(markdown_html(t.text(self.language)) for t in texts)
        return f"<div class='hw-app hw-form'>{body}</div>"


def simulator_plan(values: dict, currency: str):
    """The savings simulator's example plan with a question's ``simulator`` values filled in
    (nested records such as ``shocks`` merged field by field), checked like a plan file.

    >>> simulator_plan({"shocks": {"early_return_month": 12}}, "PHP").shocks.early_return_month
    12
    """
    from widgets.examples import savings_example
    from widgets.months import this_month
    from widgets.savings import planfile

    saved = planfile.SavedPlan(savings_example(currency).plan, start=this_month(),
                               currency=currency)
    data = planfile.to_dict(saved)

    def merge(into: dict, extra: dict) -> None:
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value
    merge(data["plan"], dict(values))
    return planfile.loads(json.dumps(data)).plan


def form_list_html(releases, language: str, unknown: str | None = None,
                   base: str = "form.ipynb") -> str:
    """The page that lists the forms (also what a wrong or missing name shows)."""
    _ = gettext_for(language)
    names = releases.names()
    parts = [f"<h1>{html.escape(word(_, 'choose'))}</h1>"]
    if unknown is not None:
        parts.append(f"<p class='hw-banner hw-bad' role='alert'>{html.escape(word(_, 'unknown'))}"
                     "</p>")
    if not names:
        parts.append(f"<p>{html.escape(word(_, 'none'))}</p>")
    items = []
    for name in names:
        title = name
        if isinstance(releases, FolderReleases):
            try:
                title = _title(form_items(releases.release(name)), language, name)
            except (FormError, OSError, ValueError):
                title = name
        query = urllib.parse.urlencode({"assignment": name, "lang": language})
        items.append(f"<li><a class='hw-form-link' href='{base}?{html.escape(query)}'>"
                     f"{html.escape(title)}</a></li>")
    if items:
        parts.append("<ul class='hw-form-list'>" + "".join(items) + "</ul>")
    return "<div class='hw-app hw-form'>" + "".join(parts) + "</div>"


def _query() -> dict[str, str]:
    """The page address's query (Voila), or nothing outside Voila. Call it after
    ``visitor()``, which waited for her request: asking Voila again (``get_query_string``)
    would wait for a second request that never comes."""
    import os

    if "VOILA_KERNEL_ID" not in os.environ and "VOILA_PREHEAT" not in os.environ:
        return {}
    from voila.utils import ENV_VARIABLE

    params = urllib.parse.parse_qs(os.environ.get(ENV_VARIABLE.QUERY_STRING) or "")
    return {k: v[0] for k, v in params.items() if v}


def form_page(releases=None, drafts: Drafts | None = None) -> None:
    """The form app as a Homeward page (``widgets/apps/form.ipynb``):
    ``?assignment=ee03_saving&lang=fil``. A missing or unknown name shows the list of forms.

    nbgrader's preprocessors are imported before anyone comes (a pre-heated kernel), so the
    form opens quickly once she does.
    """
    import nbgrader.preprocessors  # noqa: F401 - warm the release step before the visitor

    from widgets.page import visitor

    releases = releases if releases is not None else find_releases()
    drafts = drafts if drafts is not None else Drafts.default()
    who = visitor()
    query = _query()
    currency = query.get("currency", "").upper()
    currency = currency if currency in CURRENCIES else None
    name = safe_name(query.get("assignment"))
    try:
        known = name is not None and name in releases.names()
        form = AnswerForm(releases, name, language=who.language, currency=currency,
                          drafts=drafts) if known else None
    except (FormError, OSError, ValueError):
        form = None
    if form is None:
        from IPython.display import HTML, display

        _ = gettext_for(who.language)
        display(HTML("<div class='hw-page-state'>"
                     f"{page_state(who.language, None, word(_, 'choose'))}</div>"))
        display(HTML(form_list_html(releases, who.language,
                                    unknown=query.get("assignment"))))
        return
    show(first_paint(form.first_paint(), who.language), form.widget)


__all__ = ["AnswerForm", "CURRENCY_NAMES", "form_list_html", "form_page", "simulator_plan"]
