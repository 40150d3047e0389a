"""Every figure a lesson states in words equals what the project's models compute.

A lesson's code cells print what the models compute, but its prose (and the explanations of its
checks) states some results in words: "about 27% a year", "950 lunches", "eleven of the twelve
months". Each such statement is listed below with the computation it rests on. The test builds
the phrase from the model and finds it in the lesson, so a change to a model (or to the
lesson's example) that makes the words wrong fails here, and a figure typed by hand that no
model backs has nowhere to hide: add it below or take it out.

Nena's plan is not copied here: it is read from the lessons' own code cells, so the figures are
checked on the plan the lessons really use.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from widgets import loans
from widgets.business import model as bm
from widgets.money import format_money
from widgets.savings.model import (
    Plan,
    Shocks,
    debt_schedule,
    payments_to_repay,
    remitting_cost,
    summarize,
)

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "modules" / "economic_empowerment"
WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
         9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}


def lesson_text(stem: str) -> str:
    """All the text of a lesson (prose and the strings of its checks), lines joined."""
    (path,) = LESSONS.glob(f"{stem}*.ipynb")
    cells = json.loads(path.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells)
    return " ".join(text.split())  # a phrase may be broken over two lines


def lesson_plan(stem: str, name: str = "nena"):
    """Run the lesson's own code cell that defines ``name`` and return the object."""
    (path,) = LESSONS.glob(f"{stem}*.ipynb")
    for cell in json.loads(path.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and f"\n{name} = bm.BusinessPlan(" in "\n" + source:
            start = ("\n" + source).index(f"\n{name} = bm.BusinessPlan(")
            block = source[max(0, start - 1):]
            end = block.index("\n)\n") + 3 if "\n)\n" in block else len(block)
            namespace = {"bm": bm, "loans": loans, "_": str}  # _() marks a text to translate
            exec(block[:end], namespace)  # noqa: S102 - the lesson's own, committed code
            return namespace[name]
    raise AssertionError(f"{stem}: no code cell defines {name}")


def peso(amount, cents=False):
    return format_money(amount, "PHP", "en", cents=cents)


def pct(rate):
    return f"{rate:.0%}"


@pytest.fixture(scope="module")
def nena():
    plan = lesson_plan("10-")
    assert lesson_plan("09-") == plan, "lessons 9 and 10 must use the same example plan"
    return plan


# --------------------------------------------------------------------------- the figures
def figures_02():
    def at_home(income, spending, savings):
        return Plan(months=36, return_month=0, local_income=income, expenses_after=spending,
                    personal_savings=savings, family_savings=0, goals=(), debt=None, group=None,
                    inflation_yearly_pct=0.0)
    months = summarize(at_home(22_000, 25_500, 60_000)).months_savings_last_after_return
    store = bm.monthly_plan(bm.TEMPLATES["sari_sari_store"])
    third = store[store["month"] == 3].iloc[0]
    return [
        ("they last about a year and a half", 16 <= months <= 19),
        ("In month 3 the store sells ₱90,000 of goods, yet the profit is only a few thousand pesos",
         round(third["sales"]) == 90_000 and 1_000 <= third["profit"] < 10_000),
    ]


def figures_03():
    plan = Plan()
    rate = {r: summarize(replace(plan, personal_yearly_rate_pct=r)).savings_at_return
            for r in (0.0, 6.0)}
    gain_rate = rate[6.0] - rate[0.0]
    gain_saving = (summarize(replace(plan, spending_abroad=plan.spending_abroad - 1_000))
                   .savings_at_return - summarize(plan).savings_at_return)
    return [
        (f"change by about {WORDS[round(gain_rate / 1000)]} thousand pesos", True),
        ("putting aside ₱1,000 more every month adds about twice as much",
         round(gain_saving / gain_rate) == 2),
    ]


def figures_04():
    def share(amount):
        return 100 * remitting_cost(amount, 250, 1.5) / amount
    received = 15_000 - remitting_cost(15_000, 0, 1.5)
    return [
        (f"₱5,000 through the transfer shop costs {share(5_000):g}%, ₱15,000 costs "
         f"{share(15_000):.2f}%", True),
        (f"after the 1.5% margin Ben receives {peso(received)}", True),
        (f"shop ₱250 + 1.5% = {peso(remitting_cost(40_000, 250, 1.5))} "
         f"({100 * remitting_cost(40_000, 250, 1.5) / 40_000:.2f}%)", True),
    ]


def figures_06():
    def simple(loan):  # the simple yearly rate (APR), in percent
        return loans.rates(loan).apr_pct

    def compounded(loan):  # the compounded yearly rate, in percent
        return loans.rates(loan).compounded_yearly_pct

    coop = loans.cooperative(30_000, yearly_rate_pct=24, months=12)
    flat = loans.microfinance(30_000, flat_monthly_rate_pct=2, payments=12)
    daily = loans.five_six(5_000, payments=30, every="day")
    once, three = loans.five_six(5_000), loans.five_six(5_000, 3)
    debts = {p: loans.repaid_by(30_000, yearly_rate_pct=24, payment=p) for p in (1_000, 3_000)}
    months = {p: payments_to_repay(d) for p, d in debts.items()}
    interest = {p: debt_schedule(d, 60)[0].sum() - 30_000 for p, d in debts.items()}
    return [
        (f"Collected every day for 30 days, 5-6 costs about {simple(daily):.0f}% a year counted simply, "
         f"and about {round(compounded(daily), -2):,.0f}% counted the way savings grow", True),
        (f"Even repaid in one payment after a month it is {simple(once):.0f}% a year counted simply, "
         f"about {compounded(once):.0f}% with interest on interest", True),
        (f"spread over three months, about {simple(three):.0f}% simply: still more than "
         f"{WORDS[math.floor(simple(three) / simple(coop))]} times the cooperative loan above "
         f"({simple(coop):.0f}%)", True),
        (f"\"2% a month flat\" is about {simple(flat):.0f}% a year counted simply", True),
        (f"far more than {simple(coop):.0f}% a year on the declining balance", True),
        (f"The **5-6** lender collected every day for a month costs about {simple(daily):.0f}% a year",
         compounded(daily) > 1_000),
        (f"No honest business pays {simple(loans.five_six(50_000)):.0f}% a year", True),
        ("takes almost four times as long", 3.5 <= months[1_000] / months[3_000] < 4),
        ("more than four times the interest", interest[1_000] / interest[3_000] > 4),
    ]


def figures_07():
    plan = Plan()
    early = summarize(replace(plan, shocks=Shocks(early_return_month=8)))
    return [("an early return cuts the savings she brings home to less than half",
             early.savings_at_return < summarize(plan).savings_at_return / 2)]


def figures_09(nena):
    cost = bm.costing(nena)
    cheap = bm.break_even(replace(nena, price=45.0))
    return [
        (f"the full cost of one lunch is {peso(cost.cost_per_unit, True)}: ₱28 + ₱7 + "
         f"{peso(cost.fixed_costs / nena.units_per_month)} of fixed costs + "
         f"{peso(cost.depreciation_per_month / nena.units_per_month, True)} of depreciation", True),
        (f"each lunch earns {peso(cost.margin_per_unit, True)} of profit", True),
        (f"At ₱60 the stall breaks even at {bm.break_even(nena).units_per_month:.0f} lunches", True),
        (f"the full cost of one lunch is exactly {peso(bm.costing(replace(nena, units_per_month=380.0)).cost_per_unit)}",
         True),
        (f"need {cheap.units_per_month:.0f} lunches a month to break even", True),
        (f"a price between ₱35 and the full cost of {peso(cost.cost_per_unit, True)}", True),
        (f"each lunch pays only {peso(45 - cost.materials - cost.labour)} towards the fixed costs", True),
        (f"350 is below the break-even of {bm.break_even(nena).units_per_month:.0f} lunches", True),
        (f"the fixed costs and depreciation ({peso(cost.fixed_costs + cost.depreciation_per_month)})",
         True),
    ]


def figures_10(nena):
    result = bm.analyse(nena)
    year = bm.monthly_plan(nena)
    worst = result.tables["worst"]
    daily = loans.five_six(10_000.0, payments=60, every="day")
    five_six = bm.analyse(replace(nena, funding=(nena.funding[0], daily)))
    lost = int((worst["profit"] < 0).sum())
    coop = loans.rates(nena.funding[1])
    return [
        (f"The 5-6 loan costs about {loans.rates(daily).apr_pct:.0f}% a year counted simply, against "
         f"{coop.apr_pct:.0f}% for the cooperative", daily.total_repaid == 12_000),
        (f"makes a **profit** from month {int(year[year['profit'] > 0]['month'].iloc[0])}", True),
        ("the cash gap grows more than four times",
         math.floor(five_six.gap.extra_needed / result.gap.extra_needed) == 4),
        (f"loses money in {WORDS[lost]} of the twelve months and about "
         f"{peso(round(-result.totals['worst'].profit, -4))} over the year", worst["profit"].iloc[-1] > 0),
        (f"each lunch's ₱25 contribution loses {peso(0.10 * nena.price)} of it", True),
        ("a lower price hurts most",
         result.totals["expected"].profit - bm.sensitivity(nena).loc["price", "minus"]
         > result.totals["expected"].profit - bm.sensitivity(nena).loc["volume", "minus"]),
        (f"= {peso(bm.startup_capital(nena).total)}: everything before the first sale", True),
    ]


def figures_12():
    lorna = Plan(months=24, return_month=0, personal_savings=60_000, family_savings=0,
                 local_income=9_000, expenses_after=18_000, inflation_yearly_pct=0,
                 personal_yearly_rate_pct=0, family_yearly_rate_pct=0, debt=None, group=None,
                 goals=())
    months = summarize(lorna).months_savings_last_after_return
    return [(f"(illustrative: {months} months)", True), ("so 6 full months", months == 6)]


CASES = {"02-": figures_02, "03-": figures_03, "04-": figures_04,
         "06-": figures_06, "07-": figures_07, "09-": figures_09, "10-": figures_10,
         "12-": figures_12}


#: Lessons whose prose states no model result (their numbers are inputs, or are printed by code).
NO_STATED_RESULTS = {"01-", "05-", "08-", "11-"}


@pytest.mark.parametrize("stem", sorted(CASES))
def test_stated_figures_equal_the_models(stem, nena):
    make = CASES[stem]
    figures = make(nena) if make.__code__.co_argcount else make()
    text = lesson_text(stem)
    for phrase, holds in figures:
        assert " ".join(phrase.split()) in text, f"{stem}: the lesson should say {phrase!r}"
        assert holds, f"{stem}: the model no longer supports {phrase!r}"


def test_every_lesson_with_numbers_is_checked():
    """A lesson that works examples with a model states results; each one is listed here."""
    stems = {p.name[:3] for p in LESSONS.glob("*.ipynb")}
    stated = {s for s in stems if "about" in lesson_text(s) and ("%" in lesson_text(s)
                                                                 or "₱" in lesson_text(s))}
    unchecked = sorted(stated - set(CASES) - NO_STATED_RESULTS)
    assert not unchecked, f"list the stated figures of {unchecked} in CASES"
