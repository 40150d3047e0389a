"""ipywidgets for the seminar tools. Wiring only: every number and rule lives in ``model``.

Each builder returns a widget box. The controls a test (or another layout) needs are attached
to the box as attributes, for example ``box.search`` or ``box.add_button``.

Errors never reach the page as a traceback: a ``ValueError`` from the model is shown in the
box's message line, and anything unexpected is shown as a short apology with its type.
"""

from __future__ import annotations

import base64
import functools
import html

import ipywidgets as w

from widgets.seminar import model

ANY = "(any)"
FULL = w.Layout(width="100%", max_width="720px")
BUTTON = w.Layout(min_height="44px", width="auto", margin="4px 8px 4px 0")

STYLE = """
<style>
.homeward-seminar { max-width: 760px; box-sizing: border-box; }
.homeward-seminar input, .homeward-seminar textarea, .homeward-seminar select {
  font-size: 16px !important; min-height: 40px; }
.homeward-seminar table { border-collapse: collapse; font-size: 14px; }
.homeward-seminar td, .homeward-seminar th { border: 1px solid #ccc; padding: 4px;
  vertical-align: top; text-align: left; }
.homeward-seminar .hw-scroll { overflow-x: auto; max-width: 100%; }
.homeward-seminar .hw-card { border-left: 4px solid #2a6fb0; padding: 4px 8px; margin: 6px 0;
  overflow-wrap: anywhere; }
.homeward-seminar .hw-error { color: #a00; font-weight: bold; }
.homeward-seminar .hw-ok { color: #176117; }
.homeward-seminar .widget-label { overflow-wrap: anywhere; white-space: normal; }
.homeward-seminar .hw-labelled > .widget-inline-hbox { flex-direction: column; align-items: stretch;
  height: auto; }
.homeward-seminar .hw-labelled .widget-label { width: auto; max-width: 100%; text-align: left;
  font-weight: 600; }
.homeward-seminar .widget-inline-hbox, .homeward-seminar .widget-textarea {
  margin-left: 0 !important; margin-right: 0 !important; max-width: 100%; box-sizing: border-box; }
.homeward-seminar input, .homeward-seminar textarea { box-sizing: border-box; min-width: 0; }
.homeward-seminar .widget-checkbox { width: 100% !important; height: auto; }
.homeward-seminar .widget-checkbox label { white-space: normal; }
.homeward-seminar a.hw-download { display: inline-block; padding: 10px 14px; margin: 4px 8px 4px 0;
  background: #2a6fb0; color: white; border-radius: 4px; text-decoration: none; }
</style>
"""


# --------------------------------------------------------------------------- helpers
def _labelled(label: str, control: w.Widget) -> w.VBox:
    """A control named by its own label (a screen reader reads it), above it on a phone."""
    control.layout = w.Layout(width="100%", max_width="720px")
    control.description = label
    control.style.description_width = "initial"
    box = w.VBox([control], layout=w.Layout(width="100%", margin="2px 0"))
    box.add_class("hw-labelled")
    return box


def _button(text: str, css: str, style: str = "") -> w.Button:
    button = w.Button(description=text, layout=BUTTON, button_style=style)
    button.add_class(css)
    return button


def _ok(text: str) -> str:
    return f'<div class="hw-ok">{html.escape(text)}</div>'


def _error(text: str) -> str:
    return f'<div class="hw-error" role="alert">{html.escape(text)}</div>'


def _guard(message: w.HTML):
    """Decorate a callback so that errors are shown in ``message``, not as a traceback."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except ValueError as err:
                message.value = _error(f"Please check: {err}")
            except Exception as err:  # noqa: BLE001 - never show a traceback on the page
                message.value = _error(f"Something went wrong ({type(err).__name__}). "
                                       "Your entries are kept; please try again.")
            return None

        return run

    return decorate


def _table(frame, columns=None) -> str:
    if columns is not None:
        frame = frame[columns]
    return ('<div class="hw-scroll">'
            + frame.to_html(index=False, escape=True, na_rep="", border=0) + "</div>")


def download_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """An HTML link that downloads ``data`` as ``filename`` (works in JupyterLab and Voila)."""
    payload = base64.b64encode(data).decode("ascii")
    return (f'<a class="hw-download" download="{html.escape(filename)}" '
            f'href="data:{mime};base64,{payload}">{html.escape(label)}</a>')


def _box(children, css: str) -> w.VBox:
    box = w.VBox([w.HTML(STYLE), *children], layout=w.Layout(width="100%", max_width="760px"))
    box.add_class("homeward-seminar")
    box.add_class(css)
    return box


# --------------------------------------------------------------------------- policy map
def policy_map_view() -> w.VBox:
    """Search and filter the policy map: what each framework requires and who is responsible."""
    search = w.Text(placeholder="Search, e.g. women, trafficking, LGU")
    level = w.Dropdown(options=[ANY, *model.LEVELS], value=ANY)
    kind = w.Dropdown(options=[ANY, *model.policy_kinds()], value=ANY)
    responsible = w.Text(placeholder="e.g. LGU, DOLE, sending state")
    count = w.HTML()
    results = w.HTML()
    message = w.HTML()

    @_guard(message)
    def refresh(*_):
        table = model.search_policies(
            search.value, None if level.value == ANY else level.value,
            None if kind.value == ANY else kind.value, responsible.value)
        message.value = ""
        count.value = f"<b>{len(table)}</b> of {len(model.policies())} policies match."
        results.value = "".join(
            f'<div class="hw-card"><b>{html.escape(r["name"])}</b> '
            f'({html.escape(r["level"])}, {html.escape(r["kind"])})<br>'
            f'<i>Requires:</i> {html.escape(r["requires"])}<br>'
            f'<i>Responsible:</i> {html.escape(r["responsible"])}<br>'
            f'<small>Source: {html.escape(model.cite(r["source"]))}</small></div>'
            for _, r in table.iterrows())

    for control in (search, level, kind, responsible):
        control.observe(refresh, names="value")
    refresh()
    box = _box([_labelled("Search", search), _labelled("Level", level),
                _labelled("Kind", kind), _labelled("Responsible", responsible),
                message, count, results], "hw-policy-map")
    box.search, box.level, box.kind, box.responsible = search, level, kind, responsible
    box.count, box.results, box.message = count, results, message
    return box


def locality_gaps_view() -> w.VBox:
    """Tick what your locality already has; the gaps are what remains."""
    checklist = model.locality_checklist()
    boxes = {r["id"]: w.Checkbox(value=False, description=r["item"], indent=False,
                                 layout=FULL) for _, r in checklist.iterrows()}
    button = _button("Show my gaps", "hw-gaps-button", "primary")
    message = w.HTML()
    gaps = w.HTML()

    @_guard(message)
    def show(*_):
        table = model.locality_gaps([k for k, b in boxes.items() if b.value])
        message.value = ""
        if table.empty:
            gaps.value = _ok("No gaps on this checklist. Which items work well, and why?")
            return
        gaps.value = (f"<b>{len(table)} gaps</b>" + "".join(
            f'<div class="hw-card"><b>{html.escape(r["item"])}</b><br>'
            f'{html.escape(r["why"])} <small>({html.escape(model.cite(r["source"]))})</small></div>'
            for _, r in table.iterrows()))

    button.on_click(show)
    box = _box([w.HTML("<b>What does your locality already have?</b>"), *boxes.values(),
                button, message, gaps], "hw-locality-gaps")
    box.checkboxes, box.button, box.gaps, box.message = boxes, button, gaps, message
    return box


# --------------------------------------------------------------------------- partners
def partners_map_view(partners: list[model.Partner] | None = None) -> w.VBox:
    """The services and partners map: filter it, add local partners, export it as CSV."""
    state = {"partners": list(model.seed_partners() if partners is None else partners)}
    support = w.Dropdown(options=[ANY, *model.SUPPORT_TYPES], value=ANY)
    stage = w.Dropdown(options=[ANY, *model.STAGES], value=ANY)
    listing = w.HTML()
    coverage = w.HTML()
    name = w.Text(placeholder="e.g. Women returnees' cooperative")
    sector = w.Combobox(options=sorted({p.sector for p in model.seed_partners()}),
                        placeholder="e.g. private sector", ensure_option=False)
    what = w.Text(placeholder="What they do for returnees")
    support_boxes = {s: w.Checkbox(description=s, indent=False, layout=FULL)
                     for s in model.SUPPORT_TYPES}
    stage_boxes = {s: w.Checkbox(description=s, indent=False, layout=FULL)
                   for s in model.STAGES}
    add = _button("Add partner", "hw-add-partner", "primary")
    export = _button("Export map (CSV)", "hw-export-partners")
    message = w.HTML()
    download = w.HTML()

    @_guard(message)
    def refresh(*_):
        shown = model.filter_partners(state["partners"],
                                      None if support.value == ANY else support.value,
                                      None if stage.value == ANY else stage.value)
        listing.value = (f"<b>{len(shown)}</b> partners<br>" + "".join(
            f'<div class="hw-card"><b>{html.escape(p.name)}</b> ({html.escape(p.sector)})<br>'
            f'Support: {html.escape(", ".join(p.support))}. '
            f'Stages: {html.escape(", ".join(p.stages))}.<br>{html.escape(p.what)} '
            f'<small>({html.escape(model.cite(p.source))})</small></div>' for p in shown))
        coverage.value = ("<b>How many partners give each support at each stage</b>"
                          + _table(model.coverage(state["partners"]).reset_index(
                              names="support")))

    @_guard(message)
    def add_partner(_):
        partner = model.Partner(name.value, sector.value,
                                tuple(s for s, b in support_boxes.items() if b.value),
                                tuple(s for s, b in stage_boxes.items() if b.value),
                                what.value.strip())
        state["partners"].append(partner)
        message.value = _ok(f"Added {partner.name}.")
        name.value = what.value = ""
        refresh()

    @_guard(message)
    def export_csv(_):
        data = model.partners_to_csv(state["partners"]).encode("utf-8")
        download.value = download_link(data, "partners_map.csv", "text/csv",
                                       "Download partners_map.csv")
        message.value = _ok(f"The map has {len(state['partners'])} partners. "
                            "Click the link to save it.")

    support.observe(refresh, names="value")
    stage.observe(refresh, names="value")
    add.on_click(add_partner)
    export.on_click(export_csv)
    refresh()
    form = w.VBox([w.HTML("<h4>Add a local partner</h4>"), _labelled("Name", name),
                   _labelled("Sector", sector), _labelled("What they do", what),
                   w.HTML("<b>Support they give</b>"), *support_boxes.values(),
                   w.HTML("<b>Stages of the migration cycle</b>"), *stage_boxes.values(),
                   w.HBox([add, export], layout=w.Layout(flex_flow="row wrap"))])
    box = _box([_labelled("Kind of support", support), _labelled("Stage", stage), listing,
                coverage, form, message, download], "hw-partners-map")
    box.state, box.support, box.stage, box.listing, box.coverage = (
        state, support, stage, listing, coverage)
    box.name, box.sector, box.what = name, sector, what
    box.support_boxes, box.stage_boxes = support_boxes, stage_boxes
    box.add_button, box.export_button, box.message, box.download = add, export, message, download
    return box


# --------------------------------------------------------------------------- matcher
def matcher_view() -> w.VBox:
    """Tick the challenges returnees in your area face; see practices and the reasoning."""
    table = model.challenges()
    boxes = {r["id"]: w.Checkbox(description=f'{r["challenge"]} ({r["dimension"]})',
                                 indent=False, layout=FULL) for _, r in table.iterrows()}
    button = _button("Match practices", "hw-match-button", "primary")
    message = w.HTML()
    results = w.HTML()

    @_guard(message)
    def show(*_):
        chosen = [k for k, b in boxes.items() if b.value]
        if not chosen:
            message.value = _error("Tick at least one challenge first.")
            results.value = ""
            return
        found = model.match(chosen)
        message.value = ""
        cards = []
        for _, r in found.iterrows():
            reasons = "".join(f"<li>{html.escape(x)}</li>" for x in r["reasoning"].split(" | "))
            cards.append(
                f'<div class="hw-card"><b>{html.escape(r["name"])}</b> '
                f'({html.escape(r["country"])}), meets {int(r["challenges_met"])} '
                f'of your challenges<br>{html.escape(r["what"])}<ul>{reasons}</ul>'
                f'<small>Source: {html.escape(model.cite(r["source"]))}</small></div>')
        results.value = f"<b>{len(found)} practices</b>" + "".join(cards)

    button.on_click(show)
    box = _box([w.HTML("<b>Which challenges do returnees in your area face?</b>"),
                *boxes.values(), button, message, results], "hw-matcher")
    box.checkboxes, box.button, box.results, box.message = boxes, button, results, message
    return box


# --------------------------------------------------------------------------- action plan
def action_plan_view() -> w.VBox:
    """Build a local reintegration action plan and download it as PDF and CSV."""
    plan_state = {"actions": []}  # (objective, Action) pairs in the order they were added
    locality = w.Text(placeholder="e.g. your municipality or province")
    title = w.Text(placeholder="e.g. Women returnees first")
    prepared_by = w.Text(placeholder="e.g. Municipal M&D council")
    objective = w.Combobox(options=model.nap_objectives()["short"].tolist(),
                           placeholder="Type an objective or pick one", ensure_option=False)
    description = w.Text(placeholder="What will be done?")
    responsible = w.Combobox(options=[p.name for p in model.seed_partners()],
                             placeholder="Who is responsible?", ensure_option=False)
    indicator = w.Text(placeholder="How will you know? e.g. returnees served, by sex")
    start = w.BoundedIntText(value=1, min=1, max=model.MAX_MONTH)
    end = w.BoundedIntText(value=3, min=1, max=model.MAX_MONTH)
    add = _button("Add action", "hw-add-action", "primary")
    undo = _button("Remove last action", "hw-remove-action")
    make = _button("Make documents", "hw-make-documents", "success")
    message = w.HTML()
    summary = w.HTML()
    downloads = w.HTML()
    for control, css in [(locality, "hw-locality"), (title, "hw-title"),
                         (prepared_by, "hw-prepared-by"), (objective, "hw-objective"),
                         (description, "hw-description"), (responsible, "hw-responsible"),
                         (indicator, "hw-indicator"), (start, "hw-start"), (end, "hw-end")]:
        control.add_class(css)

    def build() -> model.ActionPlan:
        plan = model.ActionPlan(locality.value, title.value, prepared_by.value)
        for obj, action in plan_state["actions"]:
            plan.add_action(obj, action)
        return plan

    def show_plan():
        plan = build()
        if not plan.objectives:
            summary.value = "<i>No actions yet.</i>"
            return
        n = len(plan.actions)
        parts = [f"<b>{n} action{'' if n == 1 else 's'}, {plan.duration_months} months</b>"]
        for number, obj in enumerate(plan.objectives, start=1):
            items = "".join(
                f"<li>{html.escape(a.description)}<br><small>Responsible: "
                f"{html.escape(a.responsible)}. Indicator: {html.escape(a.indicator)}. "
                f"Months {a.start_month}-{a.end_month}.</small></li>" for a in obj.actions)
            parts.append(f'<div class="hw-card"><b>Objective {number}: '
                         f'{html.escape(obj.title)}</b><ul>{items}</ul></div>')
        summary.value = "".join(parts)

    @_guard(message)
    def add_action(_):
        action = model.Action(description.value, responsible.value, indicator.value,
                              int(start.value), int(end.value)).validate()
        obj = objective.value
        if not obj.strip():
            raise ValueError("objective: must be filled in (got '')")
        plan_state["actions"].append((obj.strip(), action))
        description.value = indicator.value = ""
        downloads.value = ""
        message.value = _ok("Action added.")
        show_plan()

    @_guard(message)
    def remove_action(_):
        if plan_state["actions"]:
            plan_state["actions"].pop()
            message.value = _ok("Last action removed.")
        else:
            message.value = _error("There is no action to remove.")
        downloads.value = ""
        show_plan()

    @_guard(message)
    def make_documents(_):
        downloads.value = ""
        plan = build().validate()
        pdf = model.plan_to_pdf(plan)
        csv_text = model.plan_to_csv(plan).encode("utf-8")
        downloads.value = (download_link(pdf, "action_plan.pdf", "application/pdf",
                                         "Download the plan (PDF)")
                           + download_link(csv_text, "action_plan.csv", "text/csv",
                                           "Download the table (CSV)"))
        message.value = _ok("Your documents are ready. Save both files.")

    add.on_click(add_action)
    undo.on_click(remove_action)
    make.on_click(make_documents)
    show_plan()
    months = w.HBox([_labelled("Start month", start), _labelled("End month", end)],
                    layout=w.Layout(width="100%", max_width="720px"))
    box = _box([
        w.HTML("<h2>Local reintegration action plan</h2>"
               "<p>Fill in the plan details, then add actions one by one. "
               "Each action needs someone responsible, an indicator and months.</p>"),
        _labelled("Locality", locality), _labelled("Plan title", title),
        _labelled("Prepared by", prepared_by),
        w.HTML("<h4>Add an action</h4>"),
        _labelled("Objective", objective), _labelled("Action", description),
        _labelled("Responsible partner", responsible), _labelled("Indicator", indicator),
        months,
        w.HBox([add, undo, make], layout=w.Layout(flex_flow="row wrap", width="100%")),
        message, summary, downloads], "hw-action-plan")
    box.state = plan_state
    box.locality, box.title, box.prepared_by = locality, title, prepared_by
    box.objective, box.description, box.responsible = objective, description, responsible
    box.indicator, box.start, box.end = indicator, start, end
    box.add_button, box.remove_button, box.make_button = add, undo, make
    box.message, box.summary, box.downloads = message, summary, downloads
    box.build = build
    return box


# --------------------------------------------------------------------------- field visits
def field_visit_view() -> w.VBox:
    """Questions to ask at each kind of site, and a structured record of each visit."""
    records: list[model.FieldVisitRecord] = []
    site = w.Dropdown(options=list(model.SITE_KINDS), value=model.SITE_KINDS[0])
    phase = w.Dropdown(options=list(model.VISIT_PHASES), value="during")
    questions = w.HTML()
    site_name = w.Text(placeholder="Name of the site you visited")
    day = w.Dropdown(options=[1, 2, 3, 4, 5], value=4)
    people = w.Text(placeholder="Who you met (roles, women and men)")
    observations = w.Textarea(placeholder="What you saw and heard")
    practices_seen = w.Textarea(placeholder="Practices you saw")
    to_adopt = w.Textarea(placeholder="What your locality could adopt, replicate or improve")
    follow_up = w.Text(placeholder="Who will follow up, and on what")
    save = _button("Save record", "hw-save-visit", "primary")
    export = _button("Export records (CSV)", "hw-export-visits")
    message = w.HTML()
    saved = w.HTML()
    download = w.HTML()

    @_guard(message)
    def show_questions(*_):
        table = model.visit_questions(site.value, phase.value)
        questions.value = "<ol>" + "".join(
            f'<li>{html.escape(r["question"])} <small>({html.escape(model.cite(r["source"]))})</small></li>'
            for _, r in table.iterrows()) + "</ol>"

    @_guard(message)
    def save_record(_):
        record = model.FieldVisitRecord(site_name.value, site.value, int(day.value),
                                        people.value, observations.value,
                                        practices_seen.value, to_adopt.value,
                                        follow_up.value).validate()
        records.append(record)
        message.value = _ok(f"Saved. You have {len(records)} records.")
        saved.value = "".join(f'<div class="hw-card">{html.escape(model.visit_to_markdown(r))}'
                              .replace("\n", "<br>") + "</div>" for r in records)

    @_guard(message)
    def export_csv(_):
        if not records:
            raise ValueError("records: save at least one visit first")
        data = model.visits_to_csv(records).encode("utf-8")
        download.value = download_link(data, "field_visits.csv", "text/csv",
                                       "Download field_visits.csv")

    site.observe(show_questions, names="value")
    phase.observe(show_questions, names="value")
    save.on_click(save_record)
    export.on_click(export_csv)
    show_questions()
    box = _box([_labelled("Kind of site", site), _labelled("Before, during or after", phase),
                questions, w.HTML("<h4>Record of the visit</h4>"),
                _labelled("Site", site_name), _labelled("Seminar day", day),
                _labelled("People met", people), _labelled("Observations", observations),
                _labelled("Practices seen", practices_seen),
                _labelled("To adopt, replicate or improve", to_adopt),
                _labelled("Follow-up", follow_up),
                w.HBox([save, export], layout=w.Layout(flex_flow="row wrap")),
                message, saved, download], "hw-field-visit")
    box.records, box.site, box.phase, box.questions = records, site, phase, questions
    box.site_name, box.day, box.people, box.observations = site_name, day, people, observations
    box.practices_seen, box.to_adopt, box.follow_up = practices_seen, to_adopt, follow_up
    box.save_button, box.export_button = save, export
    box.message, box.saved, box.download = message, saved, download
    return box


def action_plan_page() -> None:
    """The action-planning tool as a Homeward page (``widgets/apps/action_plan.ipynb``).

    The seminar's tools are in English. The page shows its name and what to do as plain HTML
    at once, then the tool.
    """
    from widgets.page import first_paint, show

    intro = ("<h1>Local reintegration action plan</h1><p>Fill in the plan details, then add "
             "actions one by one. Each action needs someone responsible, an indicator and "
             "months. At the end, make the documents: the plan as a PDF and a table.</p>")
    show(first_paint(intro, "en"), action_plan_view())
