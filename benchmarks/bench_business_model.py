"""Benchmark the business-plan model: one input change -> all three cases and the sensitivity.

Run ``.venv/bin/python benchmarks/bench_business_model.py``. It prints one figure per line,
``name: value unit``, and nothing else on stdout. Target: ``business_analyse_median`` at most
20 ms. Loans' schedules and rates are kept between calls (a loan is a frozen record), so a
price change does not recompute them; ``business_analyse_loan_changed_median`` times a change
of a loan's amount, when nothing is kept.

What is timed is what the app does after a person changes one box: a new plan (here the
price moves a little every run, so nothing can be cached) goes through
``widgets.business.model.analyse``: validation, the worst, expected and best 12-month tables,
totals, break-even, the cash gap, NPV, IRR and payback, each loan's schedule and true rate,
the sensitivity table and the warnings.

The comparison, :func:`naive_analyse`, is the straightforward way to write the same thing: a
Python loop over the months, each loan's payments added up one payment at a time from the
lender's own terms, DataFrames grown row by row, the sensitivity by re-running whole years,
and ``npf.irr``. It shares no code with the model but the records, so the run also checks
that both agree (to the cent: both count money in cents).
"""

from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy_financial as npf
import pandas as pd

from widgets import loans
from widgets.business.model import (
    CASE_FACTORS,
    CASES,
    MONTHLY_COLUMNS,
    BusinessPlan,
    Equipment,
    Funding,
    Loan,
    analyse,
)

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, or loaded by a test from its file
    sys.path.insert(0, str(ROOT))

from benchmarks.benchtools import median_ms  # noqa: E402

FAST_REPEATS = 201
NAIVE_REPEATS = 7
TARGET_MS = 20.0


def bench_plan() -> BusinessPlan:
    """A busy plan: five pieces of equipment, five kinds of money, a five-year horizon."""
    return BusinessPlan(
        name="Bench store",
        price=100.0, materials_per_unit=70.0, labour_per_unit=5.0, units_per_month=1_200.0,
        seasonality=(0.9, 0.9, 1.0, 1.0, 1.0, 1.1, 1.0, 1.0, 0.95, 0.95, 1.0, 1.2),
        fixed_costs=15_000.0,
        equipment=tuple(Equipment(f"Item {k}", 10_000.0 * (k + 1), 2.0 + k) for k in range(5)),
        preopening=12_000.0, first_stock=40_000.0, working_capital=30_000.0,
        credit_sales_pct=20.0,
        funding=(Funding("Savings", "own_savings", 120_000.0),
                 Funding("Family", "family", 20_000.0),
                 loans.cooperative(60_000.0, yearly_rate_pct=12, months=24, name="Coop"),
                 loans.microfinance(30_000.0, flat_monthly_rate_pct=2, payments=12, name="MFI"),
                 loans.five_six(5_000.0, payments=30, every="day", name="5-6")),
        horizon_years=5,
    )


# --------------------------------------------------------------------------------------------
# The naive baseline
# --------------------------------------------------------------------------------------------


def _loan_months(loan: Funding | Loan, months: int) -> list[tuple[float, float]]:
    """(payment, interest) of a loan in each of months 1..months, one payment at a time: the
    lender's terms give each payment; its interest is its share of the loan's cost (flat and
    interest-only loans) or the rate on what is still owed (declining loans)."""
    out = [(0.0, 0.0)] * months
    if not isinstance(loan, Loan):
        return out
    out = [[0.0, 0.0] for _ in range(months)]
    per_year = {"day": 365, "week": 52, "month": 12}[loan.every]
    total = loan.payment * (loan.payments - 1) + loan.last
    owed = loan.amount
    for k in range(1, loan.payments + 1):
        pay = loan.last if k == loan.payments else loan.payment
        if loan.yearly_rate_pct is not None:  # declining: interest on what is still owed
            r = loan.yearly_rate_pct / 100 / per_year
            interest = owed * r
            owed -= pay - interest
        elif loan.kind == "pawnshop":
            interest = pay - (loan.amount if k == loan.payments else 0.0)
        else:  # flat: the same share of every payment is interest
            interest = pay * (total - loan.amount) / total
        month = -(-12 * k // per_year)
        if month <= months:
            out[month - 1][0] += pay
            out[month - 1][1] += interest
    return [tuple(pair) for pair in out]


def _item_depreciation(item: Equipment, m: int) -> float:
    life = item.life_years * 12
    return item.cost / life * min(max(life - (m - 1), 0.0), 1.0)


def _depreciation_month(plan: BusinessPlan, m: int) -> float:
    return sum(_item_depreciation(item, m) for item in plan.equipment)


def naive_year(plan: BusinessPlan, price_f: float, volume_f: float, cost_f: float) -> pd.DataFrame:
    startup = sum(e.cost for e in plan.equipment) + plan.preopening + plan.first_stock
    cash = sum(f.amount for f in plan.funding) - startup
    table = pd.DataFrame(columns=list(MONTHLY_COLUMNS))
    last_sales = 0.0
    loan_months = [_loan_months(loan, 12) for loan in plan.funding]
    credit = plan.credit_sales_pct / 100
    for m in range(1, 13):
        units = plan.units_per_month * volume_f * plan.seasonality[m - 1]
        sales = units * plan.price * price_f
        materials = units * plan.materials_per_unit * cost_f
        labour = units * plan.labour_per_unit * cost_f
        payment = interest = 0.0
        for months in loan_months:
            pay, paid_interest = months[m - 1]
            payment += pay
            interest += paid_interest
        depreciation = _depreciation_month(plan, m)
        profit = sales - materials - labour - plan.fixed_costs - depreciation - interest
        cash_in = (1 - credit) * sales + credit * last_sales
        cash_out = materials + labour + plan.fixed_costs + payment
        closing = cash + cash_in - cash_out
        table.loc[len(table)] = [m, units, sales, cash_in, materials, labour, plan.fixed_costs,
                                 depreciation, interest, profit, payment, cash_out, cash,
                                 closing, closing < -0.005]
        cash, last_sales = closing, sales
    return table


def naive_analyse(plan: BusinessPlan) -> dict:
    tables = {}
    for case in CASES:
        f = CASE_FACTORS[case]
        tables[case] = naive_year(plan, f["price"], f["volume"], f["cost"])
    sensitivity = {}
    for driver in ("price", "volume", "cost"):
        for side, factor in (("minus", 0.9), ("plus", 1.1)):
            factors = {"price": 1.0, "volume": 1.0, "cost": 1.0, driver: factor}
            year = naive_year(plan, factors["price"], factors["volume"], factors["cost"])
            sensitivity[(driver, side)] = float(year.profit.sum())
    expected = tables["expected"]
    capital = sum(e.cost for e in plan.equipment) + plan.preopening + plan.first_stock + plan.working_capital
    flows = [-capital]
    for k in range(plan.horizon_years * 12):
        row = expected.iloc[k % 12]
        cash_in = row.cash_in
        if k >= 12:
            previous = expected.iloc[(k - 1) % 12].sales
            cash_in = (1 - plan.credit_sales_pct / 100) * row.sales + plan.credit_sales_pct / 100 * previous
        flows.append(cash_in - row.materials - row.labour - row.fixed_costs)
    months = range(1, plan.horizon_years * 12 + 1)
    book = sum(max(e.cost - sum(_item_depreciation(e, m) for m in months), 0.0)
               for e in plan.equipment)
    flows[-1] += (plan.working_capital + plan.first_stock
                  + plan.credit_sales_pct / 100 * expected.iloc[11].sales + book)
    monthly = (1 + plan.discount_yearly_rate_pct / 100) ** (1 / 12) - 1
    schedules = []
    for loan in plan.funding:
        rows = pd.DataFrame(columns=["month", "payment", "interest"])
        for m, pair in enumerate(_loan_months(loan, 360), start=1):
            if pair != (0.0, 0.0):
                rows.loc[len(rows)] = [m, *pair]
        schedules.append(rows)
    return {
        "tables": tables,
        "sensitivity": sensitivity,
        "npv": float(npf.npv(monthly, flows)),
        "irr": float(npf.irr(flows)),
        "schedules": schedules,
    }


# --------------------------------------------------------------------------------------------


def check_agreement(plan: BusinessPlan) -> None:
    """The model counts every month in cents; the naive loop in floats: they agree to the cent
    in each month (a year of such months to a few cents)."""
    fast, slow = analyse(plan), naive_analyse(plan)
    for case in CASES:
        for column in ("profit", "interest", "loan_payment", "cash_in"):
            a = fast.tables[case][column].to_numpy(dtype=float)
            b = slow["tables"][case][column].to_numpy(dtype=float)
            if not np.allclose(a, b, rtol=0, atol=0.02):
                sys.exit(f"the naive loop and analyse() disagree on {case} {column}")
        a = fast.tables[case]["closing_cash"].to_numpy(dtype=float)
        b = slow["tables"][case]["closing_cash"].to_numpy(dtype=float)
        if not np.allclose(a, b, rtol=0, atol=0.2):
            sys.exit(f"the naive loop and analyse() disagree on {case} closing_cash")
    for (driver, side), profit in slow["sensitivity"].items():
        if not math.isclose(fast.sensitivity.loc[driver, side], profit, abs_tol=0.5):
            sys.exit(f"the naive loop and analyse() disagree on sensitivity {driver} {side}")
    if not math.isclose(fast.investment.npv, slow["npv"], rel_tol=1e-6):
        sys.exit("the naive loop and analyse() disagree on the NPV")
    if not math.isclose(fast.investment.irr_monthly_pct / 100, slow["irr"], rel_tol=1e-5):
        sys.exit("the naive loop and analyse() disagree on the IRR")


def main() -> None:
    plan = bench_plan()
    check_agreement(plan)

    def changed(k: int) -> BusinessPlan:  # one input change per run: the price
        return replace(plan, price=100.0 + 0.01 * (k % 97))

    def loan_changed(k: int) -> BusinessPlan:  # a loan's amount changes: nothing is kept
        coop = loans.cooperative(60_000.0 + k, yearly_rate_pct=12, months=24, name="Coop")
        return replace(plan, funding=(*plan.funding[:2], coop, *plan.funding[3:]))

    fast_ms = median_ms(lambda k: analyse(changed(k)), FAST_REPEATS)
    loan_ms = median_ms(lambda k: analyse(loan_changed(k)), FAST_REPEATS)
    naive_ms = median_ms(lambda k: naive_analyse(changed(k)), NAIVE_REPEATS)
    print(f"business_analyse_median: {fast_ms:.1f} ms")
    print(f"business_analyse_loan_changed_median: {loan_ms:.1f} ms")
    print(f"business_analyse_naive_median: {naive_ms:.1f} ms")
    print(f"business_analyse_speedup: {naive_ms / fast_ms:.1f} x")
    print(f"business_analyse_target: {TARGET_MS:.0f} ms")


if __name__ == "__main__":
    main()
