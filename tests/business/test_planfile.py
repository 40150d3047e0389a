"""Business-plan files: round trips, strict refusal of broken files, own savings from a
savings-plan file."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from widgets import loans
from widgets.business.model import BusinessPlan, Equipment, Funding, Profile
from widgets.business.planfile import (
    KIND,
    VERSION,
    BusinessPlanFileError,
    SavedBusinessPlan,
    dumps,
    loads,
    own_savings_from_savings_file,
    to_dict,
)
from widgets.business.templates import TEMPLATES
from widgets.savings import planfile as savings_file
from widgets.savings.model import Plan, Shocks, simulate


def template_file(name: str = "tricycle", **changes) -> dict:
    return json.loads(dumps(SavedBusinessPlan(TEMPLATES[name], "PHP", "en", name, **changes)))


class TestRoundTrip:
    @pytest.mark.parametrize("name", sorted(TEMPLATES))
    def test_every_template(self, name):
        saved = SavedBusinessPlan(TEMPLATES[name], "PHP", "fil", name)
        again = loads(dumps(saved))
        assert again == saved
        assert again.plan.seasonality == TEMPLATES[name].seasonality
        assert isinstance(again.plan.seasonality, tuple) and isinstance(again.plan.funding, tuple)

    def test_a_plan_typed_by_hand(self):
        plan = BusinessPlan(
            name="Warung Bu Sri", profile=Profile(owner="Sri, pulang dari Hong Kong", idea="Warung"),
            price=15_000.0, materials_per_unit=9_000.0, units_per_month=300.0,
            equipment=(Equipment("Etalase", 2_500_000.0, 4.0),),
            funding=(Funding("Tabungan", "own_savings", 10_000_000.0),
                     loans.cooperative(5_000_000.0, yearly_rate_pct=18, months=12,
                                       name="Koperasi"),
                     loans.stated("pawnshop", 2_000_000.0, 60_000.0, 4, name="Pegadaian"),
                     loans.five_six(1_000_000.0, 30, "day", name="Rentenir")),
        )
        saved = SavedBusinessPlan(plan, currency="IDR", language="id", template=None)
        text = dumps(saved)
        assert "Sri, pulang dari Hong Kong" in text  # not escaped
        assert loads(text) == saved
        assert loads(text.encode("utf-8")) == saved

    def test_file_says_what_it_is(self):
        data = to_dict(SavedBusinessPlan(BusinessPlan()))
        assert (data["kind"], data["version"]) == (KIND, VERSION) == ("homeward-business-plan", 2)
        assert data["plan"]["seasonality"] == [1.0] * 12

    def test_missing_fields_take_their_defaults(self):
        data = {"kind": KIND, "version": 2, "plan": {"price": 50}}
        saved = loads(json.dumps(data))
        assert saved.plan == BusinessPlan(price=50.0)
        assert (saved.currency, saved.language, saved.template) == ("PHP", "en", None)


def refused(text) -> BusinessPlanFileError:
    with pytest.raises(BusinessPlanFileError) as err:
        loads(text)
    assert isinstance(err.value, ValueError)
    return err.value


class TestRefusal:
    @pytest.mark.parametrize("text", ["", "{", "not a plan", b"\xff\xfe\x00"])
    def test_not_json(self, text):
        assert refused(text).code == "not_json"

    @pytest.mark.parametrize("data", [[], 5, {"kind": "homeward-savings-plan", "version": 1},
                                      {"version": 1, "plan": {}}])
    def test_wrong_kind(self, data):
        assert refused(json.dumps(data)).code == "wrong_kind"

    def test_newer_version(self):
        err = refused(json.dumps(template_file() | {"version": 3}))
        assert (err.code, err.field) == ("newer_version", "version")

    @pytest.mark.parametrize("version", [0, "1", None, 1.5, True])
    def test_bad_version(self, version):
        err = refused(json.dumps(template_file() | {"version": version}))
        assert (err.code, err.field) == ("bad_value", "version")

    def test_too_large(self):
        data = template_file()
        data["plan"]["name"] = "x" * 600_000
        assert refused(json.dumps(data)).code == "too_large"
        assert refused(json.dumps(data).encode()).code == "too_large"

    @pytest.mark.parametrize(("key", "value"), [("currency", "EUR"), ("language", "fr"),
                                                ("template", "bakery"), ("colour", "red")])
    def test_bad_top_level_value(self, key, value):
        err = refused(json.dumps(template_file() | {key: value}))
        assert (err.code, err.field) == ("bad_value", key)

    def test_no_plan(self):
        data = template_file()
        del data["plan"]
        assert (refused(json.dumps(data)).field) == "plan"

    @staticmethod
    def broken(edit) -> BusinessPlanFileError:
        data = template_file()
        edit(data["plan"])
        return refused(json.dumps(data))

    @pytest.mark.parametrize(("edit", "field"), [
        (lambda p: p.update(price="lots"), "price"),
        (lambda p: p.update(price=True), "price"),
        (lambda p: p.update(price=-25), "price"),  # refused by the model's own validation
        (lambda p: p.update(price=float("nan")), "price"),  # json writes NaN; Python reads it
        (lambda p: p.update(units_per_month=float("inf")), "units_per_month"),
        (lambda p: p.update(colour="red"), "colour"),
        (lambda p: p.update(seasonality=[1.0] * 11), "seasonality"),
        (lambda p: p.update(seasonality="flat"), "seasonality"),
        (lambda p: p["seasonality"].__setitem__(3, "high"), "seasonality[3]"),
        (lambda p: p["seasonality"].__setitem__(3, -1), "seasonality[3]"),
        (lambda p: p["equipment"][0].update(cost="150k"), "equipment[0].cost"),
        (lambda p: p["equipment"][0].update(life_years=0), "equipment[0].life_years"),
        (lambda p: p["equipment"][0].update(colour="red"), "equipment[0].colour"),
        (lambda p: p.update(equipment={"name": "Motorbike"}), "equipment"),
        (lambda p: p.update(equipment=["Motorbike"]), "equipment[0]"),
        (lambda p: p["funding"][1].update(payments=1.5), "funding[1].payments"),
        (lambda p: p["funding"][1].update(payments=0), "funding[1].payments"),
        (lambda p: p["funding"][1].update(payment=10.0), "funding[1].payment"),
        (lambda p: p["funding"][1].update(every="year"), "funding[1].every"),
        (lambda p: p["funding"][1].update(kind="uncle"), "funding[1].kind"),
        (lambda p: p["funding"][1].update(rate=0.12), "funding[1].rate"),
        (lambda p: p["funding"][0].update(source="uncle"), "funding[0].source"),
        (lambda p: p.update(funding=[{"name": "x"}] * 51), "funding"),
        (lambda p: p.update(profile={"owner": 5}), "profile.owner"),
        (lambda p: p.update(profile="Tess"), "profile"),
        (lambda p: p.update(horizon_years=3.0), "horizon_years"),
        (lambda p: p.update(credit_sales_pct=200), "credit_sales_pct"),
        (lambda p: p.update(credit_sales_share=0.2), "credit_sales_share"),  # a version-1 name
    ])
    def test_bad_value_names_the_field(self, edit, field):
        err = self.broken(edit)
        assert (err.code, err.field) == ("bad_value", field)


class TestVersionOne:
    """Files saved by the first version (rates as fractions, loans as a rate and a basis)
    open with the same plan in today's terms: nothing a person saved is lost."""

    @staticmethod
    def old_file(**plan) -> str:
        return json.dumps({"kind": KIND, "version": 1, "currency": "PHP", "plan": plan})

    def test_shares_and_rates_become_percents(self):
        plan = loads(self.old_file(credit_sales_share=0.3, discount_rate=0.12)).plan
        assert (plan.credit_sales_pct, plan.discount_yearly_rate_pct) == (30.0, 12.0)

    def test_each_old_loan(self):
        funding = [
            {"name": "Savings", "source": "own_savings", "amount": 50_000.0},
            {"name": "Gift", "source": "family", "amount": 10_000.0, "rate": 0.0,
             "rate_basis": "declining", "months": 0},
            {"name": "Coop", "source": "cooperative", "amount": 30_000.0, "rate": 0.12,
             "rate_basis": "declining", "months": 12},
            {"name": "MFI", "source": "microfinance", "amount": 30_000.0, "rate": 0.02,
             "rate_basis": "flat", "months": 12},
            {"name": "Informal lender (5-6)", "source": "informal", "amount": 10_000.0,
             "rate": 0.1, "rate_basis": "flat", "months": 2},
            {"name": "Start-up grant", "source": "government", "amount": 20_000.0, "rate": 0.0,
             "rate_basis": "declining", "months": 0},
        ]
        plan = loads(self.old_file(funding=funding)).plan
        savings, gift, coop, mfi, lender, grant = plan.funding
        assert savings == Funding("Savings", "own_savings", 50_000.0)
        assert gift == Funding("Gift", "family", 10_000.0)
        assert coop == loans.cooperative(30_000, yearly_rate_pct=12, months=12, name="Coop")
        assert (mfi.kind, mfi.payment, mfi.total_repaid) == ("microfinance", 3_100.0, 37_200.0)
        assert (lender.kind, lender.payment, lender.payments) == ("five_six", 6_000.0, 2)
        assert grant == Funding("Start-up grant", "grant", 20_000.0)

    def test_a_bad_old_loan_names_its_field(self):
        err = refused(self.old_file(funding=[{"name": "x", "source": "bank", "amount": 1_000.0,
                                              "rate": 0.1, "months": 1.5}]))
        assert (err.code, err.field) == ("bad_value", "funding[0].months")


class TestOwnSavingsFromSavingsFile:
    @staticmethod
    def savings_text(plan: Plan, currency: str = "PHP") -> str:
        return savings_file.dumps(savings_file.SavedPlan(plan, start="2026-01", currency=currency))

    def test_personal_savings_at_return(self):
        plan = Plan()  # she comes home in month 24: what she has at the end of month 23
        amount, currency = own_savings_from_savings_file(self.savings_text(plan))
        assert amount == pytest.approx(float(simulate(plan).personal_savings[23]))
        assert currency == "PHP"
        assert 0 < amount < float(simulate(plan).total_savings[23])  # hers, not the family's

    def test_an_early_return_counts(self):
        plan = Plan(shocks=Shocks(early_return_month=10))
        amount, _ = own_savings_from_savings_file(self.savings_text(plan))
        assert amount == pytest.approx(float(simulate(plan).personal_savings[9]))

    def test_already_home(self):
        plan = Plan(return_month=0, personal_savings=12_345.0)
        amount, currency = own_savings_from_savings_file(self.savings_text(plan, "IDR").encode())
        assert (amount, currency) == (12_345.0, "IDR")

    def test_feeds_a_business_plan(self):
        amount, _ = own_savings_from_savings_file(self.savings_text(Plan()))
        plan = replace(TEMPLATES["online_selling"],
                       funding=(Funding("My savings", "own_savings", amount),))
        loads(dumps(SavedBusinessPlan(plan)))  # a valid plan, saved and read back

    def test_broken_savings_files(self):
        good = json.loads(self.savings_text(Plan()))
        cases = [
            ("{", "not_json", None),
            (dumps(SavedBusinessPlan(TEMPLATES["food_stall"])), "wrong_kind", None),
            (json.dumps(good | {"version": 3}), "newer_version", "version"),
            (json.dumps(good | {"version": 0}), "bad_value", "version"),
            (json.dumps(good | {"plan": good["plan"] | {"remittance": "lots"}}), "bad_value",
             "remittance"),
            (json.dumps(good | {"plan": good["plan"] | {"remittance": -5}}), "bad_value",
             "remittance"),
            ("x" * 300_000, "too_large", None),
            ("[" * 150_000 + "]" * 150_000, "too_large", None),
            ("[" * 50_000 + "]" * 50_000, "not_json", None),  # nested deeper than Python reads
        ]
        for text, code, field in cases:
            with pytest.raises(BusinessPlanFileError) as err:
                own_savings_from_savings_file(text)
            assert (err.value.code, err.value.field) == (code, field), text[:60]


def test_deeply_nested_json_is_refused_not_a_crash():
    """RecursionError inside json.loads is a file that is not a plan (issue 10)."""
    for text in ("[" * 50_000 + "]" * 50_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        assert refused(text).code == "not_json"
