"""Unit tests for widgets.seminar.model: search, matching, validation, exports."""

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from widgets.seminar import model

SEEDS = Path("/work/shared/seeds")


def _plan():
    plan = model.ActionPlan("Parañaque (illustrative)", "Women returnees first",
                            "Municipal M&D council")
    plan.add_action("Women returnees find local work",
                    model.Action("Refer returnees to the PESO", "PESO",
                                 "Returnees placed, by sex", 2, 12))
    plan.add_action("Women returnees find local work",
                    model.Action("Skills certification day", "Skills and technical-vocational institutions",
                                 "Certificates issued", 4, 4))
    plan.add_action("Families cope with return",
                    model.Action("Counselling for returnees and husbands", "Social welfare office and NGO",
                                 "Families counselled", 1, 18))
    return plan


class TestPolicyMap:
    def test_every_policy_has_level_kind_and_source(self):
        table = model.policies()
        assert table["id"].is_unique
        assert set(table["level"]) == set(model.LEVELS)
        known = set(model.references()["id"])
        for source in table["source"]:
            assert {ref for ref, _ in model.source_parts(source)} <= known, source

    def test_search_is_case_insensitive_and_combines_filters(self):
        assert model.search_policies("MAGNA CARTA")["id"].tolist() == ["ra9710"]
        regional = model.search_policies(level="regional")
        assert set(regional["id"]) == {"asean_decl", "asean_consensus", "asean_guidelines"}
        assert model.search_policies("women", level="local")["id"].tolist() == ["mwofrc"]
        assert model.search_policies(kind="executive order")["id"].tolist() == [
            "eo74", "eo34", "eo168"]
        assert "mwofrc" in model.search_policies(responsible="lgu")["id"].tolist()

    def test_empty_search_returns_all(self):
        assert len(model.search_policies("   ")) == len(model.policies())

    def test_no_match_returns_empty_table_with_columns(self):
        table = model.search_policies("zzzz-not-there")
        assert table.empty and "requires" in table.columns

    @pytest.mark.parametrize("kwargs, field", [({"level": "galactic"}, "level"),
                                               ({"kind": "poem"}, "kind")])
    def test_bad_filter_names_field(self, kwargs, field):
        with pytest.raises(ValueError, match=rf"^{field}:"):
            model.search_policies(**kwargs)

    def test_laws_named_from_the_action_plan_appear_in_it(self):
        text = (SEEDS / model.SEED_FILES["002"]).read_text()
        cites_002 = model.policies()[model.policies()["source"].str.startswith("002")]
        for law in re.findall(r"\b(RA \d+|EO \d+)", " ".join(cites_002["name"])):
            assert law in text, law

    def test_locality_gaps(self):
        all_ids = model.locality_checklist()["id"].tolist()
        assert model.locality_gaps(all_ids).empty
        assert len(model.locality_gaps([])) == len(all_ids)
        with pytest.raises(ValueError, match="^present:"):
            model.locality_gaps(["mall"])


class TestConceptsAndFigures:
    def test_definitions_side_by_side(self):
        table = model.definitions()
        assert table.groupby("term").size().to_dict() == {
            "reintegration": 3, "return": 2, "sustainable reintegration": 1}
        with pytest.raises(ValueError, match="^term:"):
            model.definitions("integration")

    def test_key_phrases_are_quoted_from_the_seed(self):
        text = (SEEDS / model.SEED_FILES["002"]).read_text().replace("\u2019", "'")
        for phrase in model.definitions()["key_phrase"]:
            assert phrase.lower() in text.lower(), phrase

    def test_dimensions(self):
        assert tuple(model.dimensions()["dimension"]) == model.DIMENSIONS

    def test_figures_are_in_the_seeds(self):
        text = "".join((SEEDS / f).read_text() for f in model.SEED_FILES.values())
        for value in ["2.16 million", "549,841", "10.3%", "4.5 million", "8,332", "67%",
                      "78%", "83%", "51%", "35%", "75 percent", "6.9 million"]:
            assert value in text, value
        fig = model.figures()
        assert fig["seed"].str.match(r"^00[0-4]").all()
        assert fig["source"].str.len().gt(2).all()

    def test_deployment_drop_matches_seed_rounding(self):
        change = model.deployment_summary().loc[0, "change_percent"]
        assert change == pytest.approx(-74.5, abs=0.05)
        exact = -model.percent_change(2_160_000, 549_841)
        assert round(exact) == 75  # the seed says "dropped by 75%"

    def test_percent_change_zero(self):
        with pytest.raises(ValueError, match="^before:"):
            model.percent_change(0, 1)

    def test_survey_people(self):
        t = model.survey_people(100)
        assert t["approx_people"].tolist() == t["percent"].astype(int).tolist()


class TestPartners:
    def test_partner_validation_names_field(self):
        with pytest.raises(ValueError, match="^support:"):
            model.Partner("Coop", "private sector", (), ("return",))
        with pytest.raises(ValueError, match="^stages:"):
            model.Partner("Coop", "private sector", ("investment",), ("holiday",))
        with pytest.raises(ValueError, match="^sector:"):
            model.Partner("Coop", " ", ("investment",), ("return",))

    def test_filter(self):
        ps = model.seed_partners()
        psycho = model.filter_partners(ps, "psychosocial")
        assert all("psychosocial" in p.support for p in psycho)
        assert [p.name for p in model.filter_partners(ps, text="pourakhi")] == [
            "Trade unions and migrant workers' groups (for example Pourakhi)"]

    def test_coverage_counts(self):
        c = model.coverage([model.Partner("A", "x", ("investment", "technical"),
                                          ("return", "on-site"))])
        assert int(c.values.sum()) == 4
        assert c.loc["investment", "return"] == 1

    def test_csv_round_trip_with_pandas(self):
        ps = [*model.seed_partners(), model.Partner(
            "Kooperatiba ng mga Balikbayang Babae (illustrative)", "private sector",
            ("investment", "entrepreneurship"), ("reintegration",), "Loans, with ñ and commas, ok")]
        text = model.partners_to_csv(ps)
        frame = pd.read_csv(io.StringIO(text))
        assert list(frame.columns) == model.PARTNER_COLUMNS
        assert len(frame) == len(ps)
        assert frame.iloc[-1]["what"] == "Loans, with ñ and commas, ok"
        assert model.partners_from_csv(text) == ps


class TestMatcher:
    def test_every_link_refers_to_known_ids(self):
        links = model.links()
        assert set(links["challenge"]) <= set(model.challenges()["id"])
        assert set(links["practice"]) <= set(model.practices()["id"])
        assert set(model.challenges()["id"]) <= set(links["challenge"])

    def test_named_practices_are_present(self):
        names = " ".join(model.practices()["name"])
        for expected in ["Desmigratif", "Balik-Pinay! Balik-Hanapbuhay!", "WELL", "2x1",
                         "ILO-EU", "ILO-UN Women", "GEAR UP"]:
            assert expected in names

    def test_practice_meeting_more_challenges_comes_first(self):
        m = model.match(["no_business_skills", "abuse_trauma", "forced_remigration"])
        assert m.loc[0, "practice"] == "ilo_eu"
        assert m.loc[0, "challenges_met"] == 3
        assert m.loc[0, "reasoning"].count(" | ") == 2
        assert m["challenges_met"].is_monotonic_decreasing

    def test_empty_and_duplicate(self):
        assert model.match([]).empty
        assert len(model.match(["stigma", "stigma"])) == len(model.match(["stigma"]))

    def test_unknown_challenge(self):
        with pytest.raises(ValueError, match="^challenges:"):
            model.match(["x"])


class TestActionPlan:
    @pytest.mark.parametrize("field, kwargs", [
        ("description", {"description": ""}),
        ("responsible", {"responsible": "  "}),
        ("indicator", {"indicator": ""}),
        ("start_month", {"start_month": 0}),
        ("end_month", {"end_month": model.MAX_MONTH + 1}),
        ("start_month", {"start_month": 2.5}),
        ("end_month", {"start_month": 5, "end_month": 4}),
    ])
    def test_action_validation_names_field(self, field, kwargs):
        args = {"description": "d", "responsible": "r", "indicator": "i", "start_month": 1,
                "end_month": 2} | kwargs
        with pytest.raises(ValueError, match=rf"^{field}:"):
            model.Action(**args).validate()

    @pytest.mark.parametrize("field", ["locality", "title", "prepared_by"])
    def test_plan_fields(self, field):
        plan = _plan()
        setattr(plan, field, "")
        with pytest.raises(ValueError, match=rf"^{field}:"):
            plan.validate()

    def test_objective_required(self):
        with pytest.raises(ValueError, match="^objective:"):
            _plan().add_action(" ", model.Action("d", "r", "i", 1, 1))

    def test_structure_and_remove(self):
        plan = _plan()
        assert [o.title for o in plan.objectives] == ["Women returnees find local work",
                                                      "Families cope with return"]
        assert plan.duration_months == 18
        plan.remove_last_action()
        assert len(plan.objectives) == 1 and plan.duration_months == 12

    def test_csv_round_trip_with_pandas(self):
        plan = _plan()
        text = model.plan_to_csv(plan)
        frame = pd.read_csv(io.StringIO(text))
        assert list(frame.columns) == model.PLAN_COLUMNS
        assert frame["responsible"].tolist() == ["PESO", "Skills and technical-vocational institutions",
                                                 "Social welfare office and NGO"]
        assert frame["end_month"].tolist() == [12, 4, 18]
        assert (frame["locality"] == "Parañaque (illustrative)").all()
        assert model.plan_from_csv(text) == plan

    def test_csv_errors(self):
        with pytest.raises(ValueError, match="^csv:"):
            model.plan_from_csv("a,b\n1,2\n")
        bad = model.plan_to_csv(_plan()).replace(",12\n", ",twelve\n")
        with pytest.raises(ValueError, match="^end_month:"):
            model.plan_from_csv(bad)

    def test_pdf_text(self, tmp_path):
        pdf = model.plan_to_pdf(_plan())
        path = tmp_path / "plan.pdf"
        path.write_bytes(pdf)
        reader = PdfReader(path)
        text = " ".join(page.extract_text() for page in reader.pages)
        for expected in ["Parañaque", "Women returnees first", "Objective 1",
                         "Refer returnees to the PESO", "Responsible: Social welfare office and NGO",
                         "Indicator: Certificates issued", "month 1 to month 18"]:
            assert expected in text, expected
        assert reader.metadata.title.startswith("Reintegration action plan")

    def test_invalid_plan_not_exported(self):
        with pytest.raises(ValueError, match="^objectives:"):
            model.plan_to_pdf(model.ActionPlan("a", "b", "c"))


class TestFieldVisits:
    def test_questions_cover_every_site_and_phase(self):
        for site in model.SITE_KINDS:
            for phase in model.VISIT_PHASES:
                assert len(model.visit_questions(site, phase)) >= 1, (site, phase)

    def test_record_validation(self):
        with pytest.raises(ValueError, match="^site_kind:"):
            model.FieldVisitRecord("x", "farm", observations="o").validate()
        with pytest.raises(ValueError, match="^day:"):
            model.FieldVisitRecord("x", "school-based", day=6, observations="o").validate()

    def test_csv(self):
        records = [model.FieldVisitRecord("Centre (illustrative)", "centre-based",
                                          observations="Counselling room, private",
                                          to_adopt="Referral slip"),
                   model.FieldVisitRecord("Cooperative (illustrative)", "community-based",
                                          observations="Women keep their own savings")]
        frame = pd.read_csv(io.StringIO(model.visits_to_csv(records)))
        assert frame["site_kind"].tolist() == ["centre-based", "community-based"]
        assert frame.loc[0, "observations"] == "Counselling room, private"


def test_data_files_are_valid_json():
    data = Path(model.__file__).parent / "data"
    for path in data.glob("*.json"):
        assert isinstance(json.loads(path.read_text()), list), path


