"""The business plan in plain words: sentences and headline figures from an analysis.

Pure functions (no widgets), shared by the app (:mod:`widgets.business.view`)
and the printed plan (:mod:`widgets.business.report`). Every sentence comes
from the gettext catalogs (:mod:`widgets.i18n`) and every amount is written by
:mod:`widgets.money`, so a Filipino reader sees ``₱8,000`` and an Indonesian
reader ``Rp8.000``. The numbers are the model's: nothing is computed here
except turning a fraction into a percentage to print it.

>>> from widgets.business.model import TEMPLATES, analyse
>>> said = sentences(analyse(TEMPLATES["food_stall"]), "PHP", "en")
>>> any(s.startswith("You break even at") for s in said)
True
"""

from __future__ import annotations

import math
from functools import cache

from widgets import loans
from widgets.i18n import LANGUAGES, N_, gettext_for, ngettext_for
from widgets.loans import Loan
from widgets.money import format_money, format_number

#: Where money that is not repaid comes from (model.SOURCES -> msgid); a loan is named by
#: its kind (widgets.loans.KINDS).
SOURCE_NAMES: dict[str, str] = {
    "own_savings": N_("My own savings"),
    "family": N_("Gift from family"),
    "grant": N_("Grant (start-up money from a programme)"),
}

#: How often a loan is paid (widgets.loans.EVERY -> msgid).
EVERY_NAMES: dict[str, str] = {
    "day": N_("every day"),
    "week": N_("every week"),
    "month": N_("every month"),
}


def source_msgid(item) -> str:
    """The English name of where an item of funding comes from: a loan's kind, or a source.

    >>> from widgets import loans
    >>> source_msgid(loans.five_six(5_000)), source_msgid(loans.relative(900, 3))
    ('Informal lender (5-6)', 'Loan from family or friends')
    """
    if isinstance(item, Loan):
        return loans.KINDS[item.kind].name
    return SOURCE_NAMES.get(item.source, item.source)


#: The three cases, as the charts and tables name them.
CASE_NAMES: dict[str, str] = {
    "worst": N_("Bad year"),
    "expected": N_("Expected"),
    "best": N_("Good year"),
}

#: Names the example plans (model.TEMPLATES) give their business, money and equipment, so
#: they are translated too. A name a person types herself is shown as she typed it.
EXAMPLE_NAMES = (
    # the businesses
    N_("Ate Lorna's sari-sari store"), N_("Mercy's food stall"), N_("Nita's tailoring shop"),
    N_("Jun and Tess's tricycle"), N_("Rosa's broiler chickens"),
    N_("Dolores's backyard piggery"), N_("Liza's online shop"),
    # where the money comes from
    N_("My savings"), N_("My savings from work abroad"), N_("Gift from her sister"),
    N_("Help from her parents"), N_("Cooperative loan"), N_("Informal lender (5-6)"),
    N_("Government soft loan, no collateral"), N_("Microfinance loan"),
    # equipment
    N_("Shelves and counter"), N_("Chest freezer"), N_("Cooking set and gas stove"),
    N_("Cart, tables and chairs"), N_("Refrigerator"), N_("Industrial sewing machine"),
    N_("Overlock machine"), N_("Cutting table and tools"), N_("Motorbike with sidecar"),
    N_("Poultry house"), N_("Feeders and drinkers"), N_("Brooder"), N_("Pig pen"),
    N_("Water system"), N_("Smartphone"), N_("Ring light and label printer"),
)

#: The words of the example plans (their Profile), translated like the names above.
EXAMPLE_WORDS = (
    N_("Lorna, back after six years as a domestic worker abroad; her husband Ben helps "
       "in the evenings."),
    N_("A neighbourhood store in the front room of the family house."),
    N_("Families on the street and children going to the school nearby."),
    N_("Two stores at the corner; a supermarket in town."),
    N_("Rice, canned goods, snacks, soap, phone load, cold drinks."),
    N_("One unit is 100 pesos of goods at shelf price."),
    N_("Front room of the house, facing the school road."),
    N_("Fair prices, clean shelves, open early."),
    N_("Lorna; Ben in the evenings."),
    N_("Sole proprietor (Lorna)."),
    N_("Local business permit: ask the municipal office."),
    N_("Mercy, a returnee who cooked for a family abroad for eight years."),
    N_("Home-style meals at lunchtime near the market."),
    N_("Market vendors, tricycle drivers, office workers."),
    N_("Three eateries in the market; street vendors."),
    N_("Rice meals with one viand; snacks in the afternoon."),
    N_("One unit is one rice meal."),
    N_("A rented stall at the side of the public market."),
    N_("A board with the day's menu; a free drink on Mondays."),
    N_("Mercy and one paid helper; her daughter on weekends."),
    N_("Sole proprietor."),
    N_("Local business permit and a health certificate for food handlers."),
    N_("Nita, a returnee who sewed for a garment factory abroad."),
    N_("Made-to-measure dresses, school uniforms and repairs."),
    N_("Mothers before the school year; women for fiestas and weddings."),
    N_("One tailor in the next village; ready-made clothes in town."),
    N_("Dresses, uniforms, alterations."),
    N_("One unit is one dress or uniform."),
    N_("A room at home with a window on the street."),
    N_("Samples in the window; a discount for a second uniform."),
    N_("Nita; a neighbour sews on piece rate when there is a rush."),
    N_("Sole proprietor; later perhaps a cooperative of tailors."),
    N_("Local business permit."),
    N_("Tess, back from care work abroad; her husband Jun drives."),
    N_("A motorbike with a sidecar carrying passengers on a town route."),
    N_("Students, market-goers, people going to the health centre."),
    N_("Other tricycles on the route; jeepneys on the main road."),
    N_("Rides on the route and hired trips."),
    N_("One unit is one trip."),
    N_("The route between the market and the villages."),
    N_("Safe driving; regular morning trips for students."),
    N_("Jun drives; Tess keeps the records."),
    N_("Sole proprietor (Tess), Jun as driver."),
    N_("Vehicle registration and a local franchise to operate."),
    N_("Rosa, a returnee, with her parents who have a backyard."),
    N_("Raising broiler chickens in batches for the town market."),
    N_("Market dealers, eateries, neighbours for fiestas."),
    N_("Larger farms; frozen chicken in the supermarket."),
    N_("Live and dressed broilers."),
    N_("One unit is one bird, sold live."),
    N_("A poultry house in the family's backyard."),
    N_("Steady supply to two eateries; orders taken by phone."),
    N_("Rosa and her father."),
    N_("Sole proprietor; member of the farmers' cooperative."),
    N_("Local business permit; ask the agriculture office about rules."),
    N_("Dolores, back from domestic work abroad; her son helps."),
    N_("Fattening pigs in batches, sold to traders and for fiestas."),
    N_("Traders who come to the village; families before fiestas."),
    N_("Other backyard raisers; commercial farms."),
    N_("Fattened pigs, sold live."),
    N_("One unit is one fattened pig."),
    N_("A pen behind the house, away from the neighbours' well."),
    N_("Word of mouth; orders taken early for December."),
    N_("Dolores and her son."),
    N_("Sole proprietor; member of a cooperative."),
    N_("Liza, a returnee with young children at home."),
    N_("Selling dried fish and snacks from her province online."),
    N_("Families in the city and workers abroad sending gifts home."),
    N_("Other online sellers; stores in the city."),
    N_("Packed dried fish, local snacks, gift bundles."),
    N_("One unit is one order."),
    N_("Online shops and social media; packing at home."),
    N_("Photos, reviews, a bundle for the holidays."),
    N_("Liza; her husband brings parcels to the courier."),
    N_("Register the business name; local business permit."),
)


def money(amount: float, currency: str, language: str, cents: bool = False) -> str:
    """An amount in whole units (or with cents), the reader's way.

    >>> money(8000, "PHP", "en"), money(8000, "IDR", "id")
    ('₱8,000', 'Rp8.000')
    >>> money(float("inf"), "PHP", "en")
    '—'
    """
    if not math.isfinite(amount):
        return "—"
    return format_money(amount, currency, language, cents=cents)


def percent(pct: float, language: str, digits: int = 0) -> str:
    """A percentage as the reader writes it (``12.5`` -> ``12.5%``; Homeward's rates are
    percents); a very large one gets no decimals, one too large to write is a dash.

    >>> percent(791.6, "en"), percent(12.5, "id", 1), percent(float("nan"), "en")
    ('792%', '12,5%', '—')
    >>> percent(8_246.3, "en", 1), percent(float("inf"), "en")
    ('8,246%', '—')
    """
    if not math.isfinite(pct):
        return "—"
    return format_number(pct, language, digits if abs(pct) < 1_000 else 0) + "%"


#: The names and words of the home countries' business examples (widgets.countries),
#: translated like the names above.
COUNTRY_EXAMPLE_WORDS = (
    N_("Sri's catfish ponds"),
    N_("Two tarpaulin ponds"),
    N_("Water pump"),
    N_("Nets, buckets and scales"),
    N_("My turn in the arisan"),
    N_("Sri, back after years as a carer abroad; her husband Budi drives an ojek and "
       "helps at harvest."),
    N_("Catfish raised in two tarpaulin ponds behind the house, sold fresh."),
    N_("Food stalls and small shops in town; neighbours who order by phone."),
    N_("Two fish farmers in the next village; the fish market in town."),
    N_("Fresh catfish, cleaned on request."),
    N_("One unit is one kilogram of catfish."),
    N_("Two ponds behind the family house; deliveries by motorbike."),
    N_("Photos and prices in a chat group and an online shop; a regular delivery day for"
       " each customer."),
    N_("Sri; Budi at harvest."),
    N_("Sole proprietor (Sri)."),
    N_("Ask the village office what a small fish farm needs."),
    N_("Sunita's homestay"),
    N_("Beds, mattresses and linen"),
    N_("A new bathroom"),
    N_("Solar water heater"),
    N_("My turn in the dhikuti"),
    N_("Sunita, back after years as a domestic worker abroad; her husband Ramesh grows "
       "the vegetables the guests eat."),
    N_("Two guest rooms in the family house, with breakfast and dinner from the farm."),
    N_("Trekkers and visitors in the busy seasons; families visiting relatives."),
    N_("Three guesthouses on the main trail."),
    N_("A room for the night with breakfast; dinner on request."),
    N_("One unit is one guest for one night, with breakfast."),
    N_("The family house, half an hour from the main trail."),
    N_("A listing online, a sign on the trail, word of mouth from guides."),
    N_("Sunita; Ramesh and their daughter help when the rooms are full."),
    N_("Sole proprietor (Sunita)."),
    N_("Ask the municipality what a homestay needs."),
    N_("Nok's motorbike repair shop"),
    N_("Tools and an air compressor"),
    N_("Motorbike lift stand"),
    N_("Shelter and sign"),
    N_("My turn in the len share"),
    N_("Nok, back from farm work abroad; she learnt motorbike repair from her father. "
       "Her husband Chai takes the children to school."),
    N_("A small repair shop for motorbikes by the main road."),
    N_("Farmers, students and delivery riders of the village and the road."),
    N_("A repair shop in the district town."),
    N_("Repairs, tyres, oil changes and spare parts."),
    N_("One unit is one repair job (the average bill)."),
    N_("A roofed space rented by the main road."),
    N_("A sign on the road; quick work and honest prices."),
    N_("Nok; her cousin on busy days."),
    N_("Sole proprietor (Nok)."),
    N_("Ask the district office what a repair shop needs."),
    N_("Carmen's solar water heaters"),
    N_("Tools and a ladder"),
    N_("A used motorbike with a rack"),
    N_("My turn in the tanda"),
    N_("Carmen, back after years of cleaning hotel rooms abroad, where she learnt to "
       "install solar water heaters. Her husband Luis is a bricklayer."),
    N_("Installing and repairing solar water heaters on the roofs of the town."),
    N_("Families who want hot water without gas; small hotels and shops."),
    N_("A plumber in town; shops that sell heaters without installing them."),
    N_("Installing a heater the customer buys, and repairs."),
    N_("One unit is one installation, with its pipes and fittings."),
    N_("Customers' houses; tools kept at home."),
    N_("A page online with photos of her work; her parish and her tanda."),
    N_("Carmen; her nephew helps, paid for each job."),
    N_("Sole proprietor (Carmen)."),
    N_("Ask the municipality what is needed."),
)


@cache
def _example_msgids() -> dict[str, str]:
    """Every example name, in every app language -> its English msgid."""
    return {gettext_for(lang)(msgid): msgid for lang in LANGUAGES
            for msgid in EXAMPLE_NAMES + EXAMPLE_WORDS + COUNTRY_EXAMPLE_WORDS}


def name_of(name: str, language: str) -> str:
    """A name or words of an example plan in the reader's language (whatever language they
    are in now); what she typed herself stays as it is.

    >>> name_of("Cooperative loan", "id"), name_of(name_of("Cooperative loan", "id"), "en")
    ('Pinjaman koperasi', 'Cooperative loan')
    >>> name_of("Aling Nena's loan", "fil")
    "Aling Nena's loan"
    """
    msgid = _example_msgids().get(name)
    return gettext_for(language)(msgid) if msgid else name


def _number(value: float, language: str) -> str:
    return format_number(math.ceil(value - 1e-9), language, 0)


def cash_sentence(analysis, currency: str, language: str) -> str:
    """When the cash runs out, and how much more money would prevent it."""
    _ = gettext_for(language)
    gap = analysis.gap
    if gap.first_short_month == 0:
        return _("The money you have does not pay for the start: you need {amount} more "
                 "before you open.").format(amount=money(gap.extra_needed, currency, language))
    if gap.first_short_month is not None:
        return _("Your cash runs out in month {month} unless you start with {amount} more.").format(
            month=gap.first_short_month, amount=money(gap.extra_needed, currency, language))
    return _("Your cash stays above zero all year: at its lowest it is {amount}.").format(
        amount=money(analysis.totals["expected"].lowest_cash, currency, language))


def break_even_sentence(analysis, currency: str, language: str) -> str:
    """How many units a month pay for the fixed costs, and whether loan interest is counted.

    >>> from widgets.business.model import analyse
    >>> from widgets.business.templates import TEMPLATES
    >>> break_even_sentence(analyse(TEMPLATES["food_stall"]), "PHP", "en")
    'You break even at 795 units a month (₱55,599 of sales) before the interest on your loans; \
with their interest (₱117 a month) at 798 units. You plan to sell 1,000 a month.'
    """
    _ = gettext_for(language)
    be = analysis.break_even
    if not math.isfinite(be.units_per_month):
        return _("At this price you never break even: each sale brings in less than it costs "
                 "to make. Raise the price or lower the cost of each unit.")
    words = {"units": _number(be.units_per_month, language),
             "amount": money(be.sales_per_month, currency, language),
             "interest": money(be.loan_interest_per_month, currency, language),
             "with_interest": _number(be.units_with_interest, language),
             "planned": format_number(analysis.plan.units_per_month, language, 0)}
    if be.loan_interest_per_month > 0:
        return _("You break even at {units} units a month ({amount} of sales) before the "
                 "interest on your loans; with their interest ({interest} a month) at "
                 "{with_interest} units. You plan to sell {planned} a month.").format(**words)
    return _("You break even at {units} units a month ({amount} of sales). "
             "You plan to sell {planned} a month.").format(**words)


def profit_sentence(analysis, currency: str, language: str) -> str:
    """The first year's profit (or loss) in the expected case."""
    _ = gettext_for(language)
    profit = analysis.totals["expected"].profit
    if profit >= 0:
        return _("In the first year your business makes a profit of {amount}.").format(
            amount=money(profit, currency, language))
    return _("In the first year your business makes a loss of {amount}.").format(
        amount=money(-profit, currency, language))


def cases_sentence(analysis, currency: str, language: str) -> str:
    """The first year's profit in a bad and in a good year, and when cash runs out in a bad
    year (if it does)."""
    _ = gettext_for(language)
    said = _("In a bad year your profit would be {worst}; in a good year, {best}.").format(
        worst=money(analysis.totals["worst"].profit, currency, language),
        best=money(analysis.totals["best"].profit, currency, language))
    worst = analysis.tables["worst"]
    short = worst["month"][worst["cash_short"]]
    if len(short) and analysis.gap.first_short_month is None:
        said += " " + _("In a bad year your cash would run out in month {month}.").format(
            month=int(short.iloc[0]))
    return said


def loan_terms(loan: Loan, currency: str, language: str) -> str:
    """How a loan is repaid, in words: "30 payments of ₱200.00 every day (₱6,000.00 in all)".

    >>> from widgets import loans
    >>> loan_terms(loans.five_six(5_000, payments=30, every="day"), "PHP", "en")
    '30 payments of ₱200.00 every day (₱6,000.00 in all)'
    >>> loan_terms(loans.five_six(5_000, payments=7, every="week"), "PHP", "en")
    '7 payments of ₱857.14 every week, the last ₱857.16 (₱6,000.00 in all)'
    """
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    n = loan.payments
    words = {"n": n, "payment": money(loan.payment, currency, language, cents=True),
             "every": _(EVERY_NAMES[loan.every]),
             "last": money(loan.last, currency, language, cents=True),
             "total": money(loan.total_repaid, currency, language, cents=True)}
    if n == 1:
        return _("one payment of {total}").format(**words)
    if loan.last != loan.payment:
        return ngettext("{n} payment of {payment} {every}, the last {last} ({total} in all)",
                        "{n} payments of {payment} {every}, the last {last} ({total} in all)",
                        n).format(**words)
    return ngettext("{n} payment of {payment} {every} ({total} in all)",
                    "{n} payments of {payment} {every} ({total} in all)", n).format(**words)


def rates_sentence(rates, language: str) -> str:
    """A loan's simple and compounded yearly rates side by side, and what lenders quote.

    >>> from widgets import loans
    >>> rates_sentence(loans.rates(loans.five_six(5_000, 30, "day")), "en")
    'It costs about 445% a year counted simply (APR), about 8,232% a year counted the way \
savings grow. The 5-6 lender quotes only this: 6 back for every 5. Counted per year it is \
usually hundreds of percent.'
    """
    _ = gettext_for(language)
    if rates.apr_pct == 0:
        return _("It costs nothing: no interest.")
    digits = 1 if rates.apr_pct < 100 else 0
    said = _("It costs about {apr} a year counted simply (APR), about {compounded} a year "
             "counted the way savings grow.").format(
        apr=percent(rates.apr_pct, language, digits),
        compounded=percent(rates.compounded_yearly_pct, language, digits))
    return said + " " + _(rates.quotes)


def loan_sentences(analysis, currency: str, language: str) -> list[str]:
    """For each loan: how it is repaid, and what it really costs a year."""
    _ = gettext_for(language)
    out = []
    for (item, _schedule), rates in zip(analysis.schedules, analysis.rates, strict=True):
        if not isinstance(item, Loan) or item.kind == "five_six":
            continue  # a 5-6 loan's warning says it, louder
        out.append(_("{name}: you borrow {amount} and pay back {terms}.").format(
            name=name_of(item.name, language) or _(source_msgid(item)),
            amount=money(item.amount, currency, language),
            terms=loan_terms(item, currency, language)) + " " + rates_sentence(rates, language))
    return out


def payback_sentence(analysis, language: str) -> str:
    """When the business gives back the money put into it."""
    _ = gettext_for(language)
    ngettext = ngettext_for(language)
    years = analysis.plan.horizon_years
    months = analysis.investment.payback_months
    if months is None:
        return ngettext("In {years} year the business does not pay back the money put into it.",
                        "In {years} years the business does not pay back the money put into it.",
                        years).format(years=years)
    return ngettext("The business pays back the money put into it after {n} month.",
                    "The business pays back the money put into it after {n} months.",
                    int(months)).format(n=int(months))


#: What to say for a warning this version of the app has no sentence for.
OTHER_WARNING = N_("Check this part of your plan: {what}.")


def warning_sentence(warning, currency: str, language: str) -> str:
    """One warning of the model (a :class:`~widgets.business.model.PlanWarning`) as a sentence.

    >>> from widgets.business.model import PlanWarning
    >>> warning_sentence(PlanWarning("repayments_eat_profit", {"share_pct": 64}), "PHP", "en")
    'Warning: loan repayments take 64% of your profit.'
    >>> warning_sentence(PlanWarning("informal_loan", {"name": "Informal lender (5-6)",
    ...     "apr_pct": 445.0, "compounded_yearly_pct": 8246.3}), "PHP", "en")
    'Warning: the loan from Informal lender (5-6) costs about 445% a year counted simply \
(8,246% counted the way savings grow). A cooperative or a government soft loan costs far less.'
    """
    _ = gettext_for(language)
    p = warning.params
    code = warning.code

    def amount(key):
        return money(float(p[key]), currency, language)

    if code == "cash_runs_out":
        if p["month"] == 0:
            return _("Warning: the money you have does not pay for the start. Find {extra} "
                     "more, or start smaller.").format(extra=amount("extra"))
        return _("Warning: your cash runs out in month {month}. Start with {extra} more, or "
                 "lower your costs.").format(month=p["month"], extra=amount("extra"))
    if code == "repayments_eat_profit":
        if math.isfinite(p["share_pct"]):
            return _("Warning: loan repayments take {share} of your profit.").format(
                share=percent(p["share_pct"], language))
        return _("Warning: the business earns nothing to repay its loans from.")
    if code == "price_below_cost":
        if p.get("below_variable_cost"):
            return _("Warning: your price ({price}) is below what the materials and labour of "
                     "one unit cost. Every sale loses money.").format(price=amount("price"))
        if not math.isfinite(p["cost_per_unit"]):
            return _("Warning: with no sales planned, nothing pays the fixed costs.")
        return _("Warning: your price ({price}) is below the full cost of one unit ({cost}), "
                 "counting the fixed costs. Sell more or raise the price.").format(
            price=amount("price"), cost=amount("cost_per_unit"))
    if code == "informal_loan":
        return _("Warning: the loan from {name} costs about {apr} a year counted simply "
                 "({compounded} counted the way savings grow). A cooperative or a government "
                 "soft loan costs far less.").format(
            name=name_of(str(p["name"]), language), apr=percent(p["apr_pct"], language),
            compounded=percent(p["compounded_yearly_pct"], language))
    if code == "no_funding_for_startup":
        return _("Warning: the money you have ({funding}) does not cover the start-up money you "
                 "need ({startup}): {missing} is missing.").format(
            funding=amount("funding"), startup=amount("startup"), missing=amount("missing"))
    return _(OTHER_WARNING).format(what=code.replace("_", " "))


def warning_sentences(analysis, currency: str, language: str) -> list[str]:
    return [warning_sentence(w, currency, language) for w in analysis.warnings]


def sentences(analysis, currency: str, language: str) -> list[str]:
    """Everything the analysis says, most important first: cash, break-even, profit,
    the three cases, each loan's true cost, pay-back, then the warnings."""
    out = [
        cash_sentence(analysis, currency, language),
        break_even_sentence(analysis, currency, language),
        profit_sentence(analysis, currency, language),
        cases_sentence(analysis, currency, language),
        *loan_sentences(analysis, currency, language),
        payback_sentence(analysis, language),
    ]
    said_cash = analysis.gap.first_short_month is not None
    for warning in analysis.warnings:
        if warning.code == "cash_runs_out" and said_cash:
            continue  # the first sentence already says it
        out.append(warning_sentence(warning, currency, language))
    return out


def cards(analysis, currency: str, language: str) -> list[tuple[str, str]]:
    """The headline figures: (label, value) pairs."""
    _ = gettext_for(language)
    be = analysis.break_even
    return [
        (_("Start-up money needed"), money(analysis.capital.total, currency, language)),
        (_("Profit in the first year"),
         money(analysis.totals["expected"].profit, currency, language)),
        (_("Lowest cash in the year"),
         money(analysis.totals["expected"].lowest_cash, currency, language)),
        (_("Break-even, units a month"),
         _number(be.units_per_month, language) if math.isfinite(be.units_per_month)
         else _("never")),
    ]
