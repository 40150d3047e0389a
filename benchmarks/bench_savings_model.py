"""Benchmark the savings model's scenario band against a plain Python loop.

Run ``.venv/bin/python benchmarks/bench_savings_model.py``. It prints one figure per line,
``name: value unit``, and nothing else on stdout.

The comparison, :func:`reference_run`, is a plain Python loop over scenarios and months that
implements the rules of ``widgets.savings.model`` again from the plan's fields, in whole
cents held in Python integers, one scenario and one month at a time, with the debt's payments
from the lender's own month-by-month arithmetic. It shares no code with the model except the
records (``Plan`` ...) and the random draw, so the tests also use it as an independent check
of the vectorised engine (tests/savings/test_model.py).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

from widgets.savings.model import Plan, scenario_band

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, or loaded by a test from its file
    sys.path.insert(0, str(ROOT))

from benchmarks.benchtools import median_ms  # noqa: E402

BAND_REPEATS = 21
LOOP_REPEATS = 3


def _cents(amount: float) -> int:
    return math.floor(amount * 100 + 0.5)


def _factors(plan: Plan) -> np.ndarray:
    """Income factors per (scenario, month), drawn as the model draws them: lognormal with
    mean 1 and standard deviation ``income_variability_pct / 100``."""
    sd = plan.income_variability_pct / 100.0
    if sd == 0.0:
        return np.ones((plan.scenarios, plan.months))
    s = math.sqrt(math.log1p(sd * sd))
    z = np.random.default_rng(plan.seed).standard_normal((plan.scenarios, plan.months))
    return z * s - 0.5 * s * s  # the exponent; see _income


def _income(plan: Plan, t: int, exponent: float, at_home: bool) -> int:
    s = plan.shocks
    cut = 1.0 - s.income_cut_pct / 100.0 if t >= s.income_cut_from else 1.0
    base = (plan.local_income if at_home else plan.income_abroad) * cut
    if plan.income_variability_pct == 0.0:
        return _cents(base)
    return math.floor(math.exp(exponent) * (base * 100.0) + 0.5)


def _debt_payments(plan: Plan) -> list[int]:
    """The debt's payment in each plan month, in cents (month 0 is the first payment)."""
    debt = plan.debt
    payments = [0] * plan.months
    if debt is None:
        return payments
    if debt.every == "month" and debt.yearly_rate_pct is not None and debt.last_payment is not None:
        # a debt repaid at a chosen payment: the lender's arithmetic, month by month
        balance, pay, r = _cents(debt.amount), _cents(debt.payment), debt.yearly_rate_pct / 1200
        for t in range(plan.months):
            if balance <= 0:
                break
            balance += math.floor(balance * r + 0.5)
            payments[t] = min(pay, balance)
            balance -= payments[t]
        return payments
    n, per_year = debt.payments, {"day": 365, "week": 52, "month": 12}[debt.every]
    for k in range(1, n + 1):  # payment k falls in month ceil(12 k / per_year), month 1 first
        month = -(-12 * k // per_year) - 1
        if month < plan.months:
            payments[month] += _cents(debt.last if k == n else debt.payment)
    return payments


def _group(plan: Plan, t: int) -> tuple[int, int]:
    g = plan.group
    if g is None:
        return 0, 0
    paying = g.start_month <= t < g.start_month + g.members
    payout = _cents(g.contribution) * g.members if t == g.start_month + g.payout_turn - 1 else 0
    return (_cents(g.contribution) if paying else 0), payout


def _month(plan: Plan, t: int, exponent: float, debt: int, state: list[int]) -> int:
    """Apply month t to state = [personal, family] (cents); return the unfunded cents."""
    s = plan.shocks
    ret = plan.return_month if s.early_return_month is None else min(plan.return_month, s.early_return_month)
    at_home = t >= ret
    contribution, payout = _group(plan, t)
    inflation = (1.0 + plan.inflation_yearly_pct / 100.0) ** (t / 12.0)
    personal, family = state
    personal += math.floor(personal * (plan.personal_yearly_rate_pct / 1200.0) + 0.5)
    family += math.floor(family * (plan.family_yearly_rate_pct / 1200.0) + 0.5)
    income = _income(plan, t, exponent, at_home)
    unfunded = 0
    if not at_home:
        expenses = _cents(plan.expenses_before * inflation)
        personal += income + payout - _cents(plan.spending_abroad) - debt - contribution
        if personal < 0:  # she cannot even pay her own costs
            unfunded, personal = -personal, 0
        if t not in s.remittance_stops:
            planned, fee = _cents(plan.remittance), _cents(plan.transfer_fee)
            keeps = 1.0 - plan.fx_margin_pct / 100.0
            short = max(0.0, expenses - planned * keeps - family)
            extra = math.ceil(short / keeps) if keeps > 0 else 0
            send = max(0, min(personal - fee, planned + extra))  # only money she has
            if send > 0:
                personal -= send + fee
            cost = math.floor(send * (plan.fx_margin_pct / 100.0) + 0.5)
            family += send - cost
        family -= expenses
        if family < 0:
            unfunded, family = unfunded - family, 0
    else:
        expenses = _cents(plan.expenses_after * inflation)
        family += income - expenses - debt - contribution
        personal += payout
        if family < 0:
            personal, family = personal + family, 0
        if personal < 0:
            unfunded, personal = -personal, 0
    state[0], state[1] = personal, family
    return unfunded


def reference_run(plan: Plan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Personal savings, family savings and unfunded amounts, each (scenarios, months)."""
    exponents = _factors(plan)
    debt = _debt_payments(plan)
    shape = (plan.scenarios, plan.months)
    personal, family, unfunded = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for s in range(plan.scenarios):
        state = [_cents(plan.personal_savings), _cents(plan.family_savings)]
        for t in range(plan.months):
            unfunded[s, t] = _month(plan, t, float(exponents[s, t]), debt[t], state) / 100
            personal[s, t], family[s, t] = state[0] / 100, state[1] / 100
    return personal, family, unfunded


def reference_p50(plan: Plan) -> np.ndarray:
    """Median total savings per month, from the loop."""
    personal, family, _ = reference_run(plan)
    return np.percentile(personal + family, 50.0, axis=0)


def main() -> None:
    plan = Plan(months=360, return_month=120, scenarios=1000, income_variability_pct=15.0)
    band = scenario_band(plan)
    p50 = reference_p50(plan)  # also the loop's warm-up run
    if not np.allclose(band.p50, p50, rtol=0, atol=0.005):
        sys.exit("the loop and the vectorised band disagree on p50")
    band_ms = median_ms(lambda _k: scenario_band(plan), BAND_REPEATS)
    loop_ms = median_ms(lambda _k: reference_p50(plan), LOOP_REPEATS, warm_up=False)
    print(f"savings_band_1000x360_median: {band_ms:.1f} ms")
    print(f"savings_loop_python_1000x360_median: {loop_ms:.1f} ms")
    print(f"savings_speedup: {loop_ms / band_ms:.1f} x")


if __name__ == "__main__":
    main()
