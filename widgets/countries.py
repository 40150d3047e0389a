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

The savings example of each country is a :class:`widgets.savings.model.Plan`; the
Philippine one is the simulator's default plan.

>>> from widgets.savings.model import Plan, summarize
>>> example_savings_plan("PHP") == Plan()
True
>>> plan = example_savings_plan("IDR")
>>> plan.remittance, plan.group.contribution, plan.group.members
(3750000.0, 500000.0, 10)
>>> summarize(plan).debt_free_month is not None
True
"""

from __future__ import annotations

from dataclasses import dataclass

from widgets import loans
from widgets.savings.model import Goal, Plan, SavingsGroup

__all__ = ["COUNTRIES", "Country", "country_for_currency", "example_savings_plan"]


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


#: Illustrative savings examples by currency (made-up round numbers, not statistics).
_SAVINGS = {
    "IDR": dict(income=7_000_000, spending=1_000_000, remittance=3_750_000, fee=50_000,
                before=3_250_000, after=4_500_000, local=2_250_000, personal=5_000_000,
                family=2_500_000, house=30_000_000, capital=15_000_000,
                debt=(7_500_000, 750_000), group=500_000),
    "NPR": dict(income=70_000, spending=10_000, remittance=37_500, fee=600,
                before=32_500, after=45_000, local=22_500, personal=50_000, family=25_000,
                house=300_000, capital=150_000, debt=(75_000, 7_500), group=5_000),
    "THB": dict(income=17_000, spending=2_500, remittance=9_000, fee=150,
                before=8_000, after=11_000, local=5_500, personal=12_000, family=6_000,
                house=72_000, capital=36_000, debt=(18_000, 1_800), group=1_200),
    "MXN": dict(income=10_000, spending=1_500, remittance=5_000, fee=100,
                before=4_500, after=6_500, local=3_000, personal=7_000, family=3_500,
                house=42_000, capital=21_000, debt=(10_000, 1_000), group=700),
}


def example_savings_plan(currency: str) -> Plan:
    """The illustrative savings example for a currency's country (the default plan if none).

    The Philippine example (and the one for US dollars, which belong to no home country)
    is the simulator's default :class:`~widgets.savings.model.Plan`. The others keep its
    shape (24 months abroad, a savings group of 10 with her turn 6th, a loan at 24 % a
    year) with amounts in round numbers of their own currency.

    >>> example_savings_plan("NPR").remittance, example_savings_plan("USD") == Plan()
    (37500.0, True)
    """
    numbers = _SAVINGS.get(currency)
    return Plan() if numbers is None else _plan(**numbers)
