"""The home countries Homeward serves, and an illustrative example plan for each.

A returnee who picks her currency in a simulator should see an example from her own
country: amounts in rupiah with an arisan for Indonesia, in rupees with a dhikuti for
Nepal. This module holds, for each home country, its currency, its rotating savings group
and the example plans; the apps and the country packs (``modules/country_packs/``) both
read them from here, so that a lesson's case and a simulator's example are the same plan.

Every amount in an example is *illustrative*: made up for practice, in round numbers of the
country's currency. They are not wages, prices or exchange rates of any real place, and
the examples of two countries are not meant to be compared.

>>> COUNTRIES["NP"].currency, COUNTRIES["NP"].savings_group
('NPR', 'dhikuti')
>>> country_for_currency("THB").name
'Thailand'
>>> country_for_currency("USD") is None   # no home country: the apps keep their default
True

The savings example of each country is a :class:`widgets.savings.model.Plan` that works
(the household's income after her return keeps the savings from running out), with a "what
if" the simulator can show: the same plan when the household earns less after her return.

>>> from dataclasses import replace
>>> from widgets.savings.model import summarize
>>> plan = example_savings_plan("IDR")
>>> plan.remittance, plan.group.contribution, plan.group.members
(3750000.0, 500000.0, 10)
>>> summarize(plan).total_unfunded
0.0
>>> savings_what_if("IDR")
{'local_income': 2250000.0}
>>> summarize(replace(plan, **savings_what_if("IDR"))).total_unfunded > 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from widgets import loans
from widgets.business.model import BusinessPlan, Equipment, Funding, Profile
from widgets.savings.model import Goal, Plan, SavingsGroup

__all__ = ["COUNTRIES", "Country", "country_for_currency", "example_business_plan",
           "example_savings_plan", "savings_what_if"]


@dataclass(frozen=True)
class Country:
    """A home country: its name, currency (ISO code) and rotating savings group.

    ``savings_group`` is the name people use for a rotating savings group (everyone pays
    the same amount each month and each member takes the whole pot in turn); ``local_name``
    is that name in the country's own script when it has one.
    """

    code: str
    name: str
    currency: str
    savings_group: str
    local_name: str = ""


COUNTRIES: dict[str, Country] = {
    "PH": Country("PH", "Philippines", "PHP", "paluwagan"),
    "ID": Country("ID", "Indonesia", "IDR", "arisan"),
    "NP": Country("NP", "Nepal", "NPR", "dhikuti", "ढिकुटी"),
    "TH": Country("TH", "Thailand", "THB", "len share", "เล่นแชร์"),
    "MX": Country("MX", "Mexico", "MXN", "tanda"),
}
"""The five home countries the course names, by ISO country code."""

_BY_CURRENCY = {country.currency: country for country in COUNTRIES.values()}


def country_for_currency(currency: str) -> Country | None:
    """The home country whose currency this is, or None (US dollars, an unknown code).

    >>> country_for_currency("MXN").savings_group
    'tanda'
    """
    return _BY_CURRENCY.get(currency)


def _plan(*, income: float, spending: float, remittance: float, fee: float,
          before: float, after: float, local: float, personal: float, family: float,
          house: float, capital: float, debt: tuple[float, float],
          group: float) -> Plan:
    """A plan shaped like the default (Philippine) example, in another currency's numbers.

    The months, rates, goal months, the savings group's size and her turn are those of the
    default plan; only the amounts change.
    """
    default = Plan()
    return Plan(
        income_abroad=float(income), spending_abroad=float(spending),
        remittance=float(remittance), transfer_fee=float(fee),
        expenses_before=float(before), expenses_after=float(after), local_income=float(local),
        personal_savings=float(personal), family_savings=float(family),
        goals=(Goal(default.goals[0].name, float(house), default.goals[0].target_month),
               Goal(default.goals[1].name, float(capital), default.goals[1].target_month)),
        debt=loans.repaid_by(float(debt[0]), yearly_rate_pct=default.debt.yearly_rate_pct,
                             payment=float(debt[1])),
        group=SavingsGroup(float(group), default.group.members, default.group.payout_turn,
                           default.group.start_month),
    )


#: Illustrative savings examples by currency (made-up round numbers, not statistics). Each
#: has the shape of the Philippine example; ``local`` is the household's income after her
#: return in the example, ``worse`` what the "what if" shows instead.
_SAVINGS = {
    "PHP": None,
    "IDR": dict(income=7_000_000, spending=1_000_000, remittance=3_750_000, fee=50_000,
                before=3_250_000, after=4_500_000, local=3_750_000, personal=5_000_000,
                family=2_500_000, house=30_000_000, capital=15_000_000,
                debt=(7_500_000, 750_000), group=500_000),
    "NPR": dict(income=70_000, spending=10_000, remittance=37_500, fee=600,
                before=32_500, after=45_000, local=37_500, personal=50_000, family=25_000,
                house=300_000, capital=150_000, debt=(75_000, 7_500), group=5_000),
    "THB": dict(income=17_000, spending=2_500, remittance=9_000, fee=150,
                before=8_000, after=11_000, local=9_200, personal=12_000, family=6_000,
                house=72_000, capital=36_000, debt=(18_000, 1_800), group=1_200),
    "MXN": dict(income=10_000, spending=1_500, remittance=5_000, fee=100,
                before=4_500, after=6_500, local=5_000, personal=7_000, family=3_500,
                house=42_000, capital=21_000, debt=(10_000, 1_000), group=700),
}


#: The household's income after her return in the "what if" (the example's is higher).
_WORSE = {"PHP": 9_000, "IDR": 2_250_000, "NPR": 22_500, "THB": 5_500, "MXN": 3_000}
#: The Philippine example's income after her return (her own work and her partner's).
_PHP_LOCAL = 15_000


def example_savings_plan(currency: str) -> Plan:
    """The illustrative savings example for a currency's country.

    The Philippine example (also the one for US dollars, which belong to no home country) is
    the simulator's default :class:`~widgets.savings.model.Plan` with the household earning
    15,000 a month after her return. The others keep its shape (24 months abroad, a savings
    group of 10 with her turn 6th, a loan at 24 % a year) with amounts in round numbers of
    their own currency.

    >>> example_savings_plan("NPR").remittance, example_savings_plan("USD").local_income
    (37500.0, 15000.0)
    """
    numbers = _SAVINGS.get(currency)
    if numbers is None:
        return replace(Plan(), local_income=float(_PHP_LOCAL))
    return _plan(**numbers)


def savings_what_if(currency: str) -> dict[str, float]:
    """What the simulator's "what if" changes in the example: the household earns less
    after her return (the plan's fields and their new values).

    >>> savings_what_if("PHP"), savings_what_if("USD")
    ({'local_income': 9000.0}, {'local_income': 9000.0})
    """
    return {"local_income": float(_WORSE.get(currency, _WORSE["PHP"]))}


# ------------------------------------------------------------------------------------------
# Business examples: the country packs' cases, for the business-plan simulator
# ------------------------------------------------------------------------------------------
def _business_examples() -> dict[str, BusinessPlan]:
    """One illustrative business per home country other than the Philippines (whose examples
    are the simulator's own templates). Women run them: fish farming and online sales, a
    homestay, motorbike repair, installing solar water heaters; their husbands help."""
    own = "My savings from work abroad"
    return {
        "IDR": BusinessPlan(
            name="Sri's catfish ponds",
            profile=Profile(
                owner="Sri, back after years as a carer abroad; her husband Budi drives an ojek "
                      "and helps at harvest.",
                idea="Catfish raised in two tarpaulin ponds behind the house, sold fresh.",
                customers="Food stalls and small shops in town; neighbours who order by phone.",
                competitors="Two fish farmers in the next village; the fish market in town.",
                product="Fresh catfish, cleaned on request.",
                price_note="One unit is one kilogram of catfish.",
                place="Two ponds behind the family house; deliveries by motorbike.",
                promotion="Photos and prices in a chat group and an online shop; a regular "
                          "delivery day for each customer.",
                staff="Sri; Budi at harvest.",
                legal_form="Sole proprietor (Sri).",
                registration="Ask the village office what a small fish farm needs.",
            ),
            price=26_000.0, materials_per_unit=15_500.0, units_per_month=400.0,
            seasonality=(0.9, 0.9, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 0.9, 1.0, 1.0, 1.2),
            fixed_costs=2_500_000.0,
            equipment=(Equipment("Two tarpaulin ponds", 6_000_000.0, 3.0),
                       Equipment("Water pump", 1_500_000.0, 3.0),
                       Equipment("Nets, buckets and scales", 1_000_000.0, 3.0)),
            preopening=1_000_000.0, first_stock=4_000_000.0, working_capital=3_000_000.0,
            credit_sales_pct=20.0,
            funding=(Funding(own, "own_savings", 9_000_000.0),
                     Funding("My turn in the arisan", "family", 5_000_000.0),
                     loans.cooperative(2_500_000.0, yearly_rate_pct=12, months=12,
                                       name="Cooperative loan")),
        ),
        "NPR": BusinessPlan(
            name="Sunita's homestay",
            profile=Profile(
                owner="Sunita, back after years as a domestic worker abroad; her husband Ramesh "
                      "grows the vegetables the guests eat.",
                idea="Two guest rooms in the family house, with breakfast and dinner from the farm.",
                customers="Trekkers and visitors in the busy seasons; families visiting relatives.",
                competitors="Three guesthouses on the main trail.",
                product="A room for the night with breakfast; dinner on request.",
                price_note="One unit is one guest for one night, with breakfast.",
                place="The family house, half an hour from the main trail.",
                promotion="A listing online, a sign on the trail, word of mouth from guides.",
                staff="Sunita; Ramesh and their daughter help when the rooms are full.",
                legal_form="Sole proprietor (Sunita).",
                registration="Ask the municipality what a homestay needs.",
            ),
            price=1_400.0, materials_per_unit=400.0, units_per_month=60.0,
            seasonality=(0.6, 0.6, 0.8, 1.3, 1.4, 1.2, 0.6, 0.5, 0.8, 1.4, 1.5, 1.3),
            fixed_costs=30_000.0,
            equipment=(Equipment("Beds, mattresses and linen", 120_000.0, 5.0),
                       Equipment("A new bathroom", 100_000.0, 10.0),
                       Equipment("Solar water heater", 60_000.0, 8.0)),
            preopening=20_000.0, first_stock=10_000.0, working_capital=30_000.0,
            funding=(Funding(own, "own_savings", 150_000.0),
                     Funding("My turn in the dhikuti", "family", 50_000.0),
                     loans.cooperative(140_000.0, yearly_rate_pct=14, months=24,
                                       name="Cooperative loan")),
        ),
        "THB": BusinessPlan(
            name="Nok's motorbike repair shop",
            profile=Profile(
                owner="Nok, back from farm work abroad; she learnt motorbike repair from her "
                      "father. Her husband Chai takes the children to school.",
                idea="A small repair shop for motorbikes by the main road.",
                customers="Farmers, students and delivery riders of the village and the road.",
                competitors="A repair shop in the district town.",
                product="Repairs, tyres, oil changes and spare parts.",
                price_note="One unit is one repair job (the average bill).",
                place="A roofed space rented by the main road.",
                promotion="A sign on the road; quick work and honest prices.",
                staff="Nok; her cousin on busy days.",
                legal_form="Sole proprietor (Nok).",
                registration="Ask the district office what a repair shop needs.",
            ),
            price=250.0, materials_per_unit=110.0, units_per_month=180.0,
            seasonality=(1.0, 1.0, 0.9, 0.9, 1.1, 1.2, 1.1, 1.0, 0.9, 0.9, 1.0, 1.0),
            fixed_costs=12_500.0,
            equipment=(Equipment("Tools and an air compressor", 25_000.0, 5.0),
                       Equipment("Motorbike lift stand", 12_000.0, 5.0),
                       Equipment("Shelter and sign", 8_000.0, 3.0)),
            preopening=3_000.0, first_stock=10_000.0, working_capital=6_000.0,
            funding=(Funding(own, "own_savings", 36_000.0),
                     Funding("My turn in the len share", "family", 12_000.0),
                     loans.cooperative(16_000.0, yearly_rate_pct=12, months=12,
                                       name="Cooperative loan")),
        ),
        "MXN": BusinessPlan(
            name="Carmen's solar water heaters",
            profile=Profile(
                owner="Carmen, back after years of cleaning hotel rooms abroad, where she learnt "
                      "to install solar water heaters. Her husband Luis is a bricklayer.",
                idea="Installing and repairing solar water heaters on the roofs of the town.",
                customers="Families who want hot water without gas; small hotels and shops.",
                competitors="A plumber in town; shops that sell heaters without installing them.",
                product="Installing a heater the customer buys, and repairs.",
                price_note="One unit is one installation, with its pipes and fittings.",
                place="Customers' houses; tools kept at home.",
                promotion="A page online with photos of her work; her parish and her tanda.",
                staff="Carmen; her nephew helps, paid for each job.",
                legal_form="Sole proprietor (Carmen).",
                registration="Ask the municipality what is needed.",
            ),
            price=2_500.0, materials_per_unit=700.0, labour_per_unit=300.0, units_per_month=14.0,
            seasonality=(1.3, 1.2, 1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.3),
            fixed_costs=10_500.0,
            equipment=(Equipment("Tools and a ladder", 9_000.0, 5.0),
                       Equipment("A used motorbike with a rack", 18_000.0, 5.0)),
            preopening=2_000.0, first_stock=3_000.0, working_capital=5_000.0,
            funding=(Funding(own, "own_savings", 21_000.0),
                     Funding("My turn in the tanda", "family", 7_000.0),
                     loans.cooperative(9_000.0, yearly_rate_pct=15, months=12,
                                       name="Cooperative loan")),
        ),
    }


_BUSINESS = _business_examples()


def example_business_plan(currency: str) -> BusinessPlan | None:
    """The illustrative business example for a currency's country, or None when the
    simulator's own (Philippine) templates are the example: pesos, US dollars.

    Its owner is the woman of the country pack's case, and its start-up money comes from
    her savings, her turn in the savings group and a cooperative loan.

    >>> from widgets.business.model import analyse
    >>> plan = example_business_plan("THB")
    >>> plan.name
    "Nok's motorbike repair shop"
    >>> analyse(plan).capital.total == sum(item.amount for item in plan.funding)
    True
    >>> example_business_plan("PHP") is None and example_business_plan("USD") is None
    True
    """
    return _BUSINESS.get(currency)
