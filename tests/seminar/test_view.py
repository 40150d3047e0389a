"""Headless tests of the seminar views: set values, click buttons, check the output."""

import base64
import io
import re

import pandas as pd
from pypdf import PdfReader

from widgets.seminar import model, view


def _download(html_text, filename):
    match = re.search(rf'download="{re.escape(filename)}" href="data:[^;]+;base64,([^"]+)"',
                      html_text)
    assert match, html_text[:200]
    return base64.b64decode(match.group(1))


def test_policy_map_filters():
    box = view.policy_map_view()
    total = len(model.policies())
    assert f"<b>{total}</b>" in box.count.value
    box.level.value = "local"
    assert "<b>3</b>" in box.count.value
    box.search.value = "women"
    assert "<b>1</b>" in box.count.value and "Resource Centers" in box.results.value
    box.search.value = "nothing like this"
    assert "<b>0</b>" in box.count.value


def test_locality_gaps_view():
    box = view.locality_gaps_view()
    box.button.click()
    n = len(model.locality_checklist())
    assert f"{n} gaps" in box.gaps.value
    box.checkboxes["peso"].value = True
    box.button.click()
    assert f"{n - 1} gaps" in box.gaps.value
    assert "PESO (one-stop shop)" not in box.gaps.value
    for b in box.checkboxes.values():
        b.value = True
    box.button.click()
    assert "No gaps" in box.gaps.value


def test_partners_map_add_filter_export():
    box = view.partners_map_view()
    before = len(box.state["partners"])
    box.support.value = "investment"
    assert "Banks and cooperatives" in box.listing.value
    assert "DSWD" not in box.listing.value
    box.add_button.click()  # nothing filled in
    assert "hw-error" in box.message.value and "name:" in box.message.value
    box.name.value = "Women returnees' cooperative (illustrative)"
    box.sector.value = "private sector"
    box.support_boxes["investment"].value = True
    box.stage_boxes["reintegration"].value = True
    box.add_button.click()
    assert len(box.state["partners"]) == before + 1
    assert "Women returnees&#x27; cooperative" in box.listing.value
    box.export_button.click()
    frame = pd.read_csv(io.BytesIO(_download(box.download.value, "partners_map.csv")))
    assert len(frame) == before + 1
    assert frame.iloc[-1]["support"] == "investment"


def test_matcher():
    box = view.matcher_view()
    box.button.click()
    assert "at least one challenge" in box.message.value
    box.checkboxes["savings_control"].value = True
    box.checkboxes["no_capital"].value = True
    box.button.click()
    assert box.message.value == ""
    expected = model.match(["savings_control", "no_capital"])
    assert f"<b>{len(expected)} practices</b>" in box.results.value
    assert "A personal account keeps" in box.results.value
    first_card = box.results.value.split('<div class="hw-card">')[1]
    boxes_order = [c for c in box.checkboxes if c in ("savings_control", "no_capital")]
    top = model.match(boxes_order).loc[0, "name"]
    assert first_card.startswith(f"<b>{top}</b>".replace("'", "&#x27;"))


def test_action_plan_fill_and_export():
    box = view.action_plan_view()
    box.make_button.click()
    assert "hw-error" in box.message.value and box.downloads.value == ""
    box.locality.value = "Bayan (illustrative)"
    box.title.value = "Women first"
    box.prepared_by.value = "M&D council"
    box.objective.value = "Women returnees find local work"
    box.description.value = "Refer returnees to the PESO"
    box.responsible.value = ""
    box.indicator.value = "Returnees placed, by sex"
    box.add_button.click()
    assert "responsible:" in box.message.value and not box.state["actions"]
    box.responsible.value = "PESO"
    box.start.value, box.end.value = 5, 2
    box.add_button.click()
    assert "end_month:" in box.message.value
    box.end.value = 9
    box.add_button.click()
    assert "Action added" in box.message.value and "1 action, 9 months" in box.summary.value
    box.objective.value = "Families cope"
    box.description.value = "Family counselling"
    box.responsible.value = "NGO"
    box.indicator.value = "Families counselled"
    box.start.value, box.end.value = 1, 12
    box.add_button.click()
    box.remove_button.click()
    assert "1 action," in box.summary.value
    box.add_button.click()  # description was kept? no: cleared after adding
    assert "description:" in box.message.value
    box.description.value = "Family counselling"
    box.indicator.value = "Families counselled"
    box.add_button.click()
    box.make_button.click()
    assert "ready" in box.message.value
    csv_frame = pd.read_csv(io.BytesIO(_download(box.downloads.value, "action_plan.csv")))
    assert csv_frame["action"].tolist() == ["Refer returnees to the PESO", "Family counselling"]
    pdf = PdfReader(io.BytesIO(_download(box.downloads.value, "action_plan.pdf")))
    text = pdf.pages[0].extract_text()
    assert "Bayan (illustrative)" in text and "Family counselling" in text


def test_action_plan_unexpected_error_is_not_a_traceback(monkeypatch):
    box = view.action_plan_view()

    def boom(plan):
        raise RuntimeError("disk full")

    monkeypatch.setattr(model, "plan_to_pdf", boom)
    box.locality.value = box.title.value = box.prepared_by.value = "x"
    box.objective.value = box.description.value = "x"
    box.responsible.value = box.indicator.value = "x"
    box.add_button.click()
    box.make_button.click()
    assert "Something went wrong (RuntimeError)" in box.message.value


def test_field_visit_view():
    box = view.field_visit_view()
    box.site.value = "school-based"
    assert "children" in box.questions.value
    box.phase.value = "after"
    assert "adopt" in box.questions.value
    box.save_button.click()
    assert "site_name:" in box.message.value
    box.export_button.click()
    assert "records:" in box.message.value
    box.site_name.value = "Elementary school (illustrative)"
    box.observations.value = "A corner for children of OFWs"
    box.to_adopt.value = "Peer support group"
    box.save_button.click()
    assert len(box.records) == 1 and "Peer support group" in box.saved.value
    box.export_button.click()
    frame = pd.read_csv(io.BytesIO(_download(box.download.value, "field_visits.csv")))
    assert frame.loc[0, "site_kind"] == "school-based"


def test_charts_draw_from_model():
    import matplotlib

    matplotlib.use("Agg")
    from widgets.seminar import charts

    ax = charts.plot_deployment()
    assert "-74.5%" in ax.get_title() and "POEA" in ax.get_title()
    ax = charts.plot_survey()
    assert len(ax.patches) == len(model.figures("returnee_survey"))
    charts.plot_coverage(model.seed_partners())
