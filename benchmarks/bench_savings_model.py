"""Benchmark the savings model's scenario band against a plain Python loop.

Run ``.venv/bin/python benchmarks/bench_savings_model.py``. It prints one figure per line,
``name: value unit``, and nothing else on stdout.

The comparison, :func:`reference_run`, is a plain Python loop over scenarios and months that
implements the rules of ``widgets.savings.model`` again from the plan's fields, growing each
balance by one month with ``numpy_financial.fv``. It shares no code with the model except
the records (``Plan`` ...) and the random draw, so the tests also use it as an independent
check of the vectorised engine (tests/savings/test_model.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import numpy_financial as npf

from widgets.savings.model import Plan, scenario_band

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script, or loaded by a test from its file
    sys.path.insert(0, str(ROOT))

from benchmarks.benchtools import median_ms  # noqa: E402

BAND_REPEATS = 21
LOOP_REPEATS = 3


def _factors(plan: Plan) -> np.ndarray:
    """Income factors per (scenario, month), drawn exactly as the model draws them."""
    sd = plan.income_variability_pct / 100.0
    if sd == 0.0:
        return np.ones((plan.scenarios, plan.months))
    z = np.random.default_rng(plan.seed).standard_normal((plan.scenarios, plan.months))
    return np.maximum(0.0, 1.0 + sd * z)


def _grow(balance: float, annual_pct: float) -> float:
    """One month of interest with numpy-financial: a deposit is money out (negative pv),
    so what the account is worth a month later comes back positive."""
    if annual_pct == 0.0:  # explicit branch: npf.fv divides by the rate
        return balance
    return float(npf.fv(annual_pct / 1200.0, 1, 0, -balance))


def _debt_payments(plan: Plan) -> list[float]:
    payments, debt = [], plan.debt
    balance = 0.0 if debt is None else float(debt.principal)
    for _ in range(plan.months):
        if balance <= 0.0:
            payments.append(0.0)
            continue
        # a loan is money in (positive pv): what is owed a month later comes out negative
        if debt.annual_rate_pct > 0.0:
            balance = -float(npf.fv(debt.annual_rate_pct / 1200.0, 1, 0, balance))
        pay = min(debt.monthly_payment, balance)
        balance = max(balance - pay, 0.0)
        if balance < 1e-9 * max(debt.principal, 1.0):
            balance = 0.0
        payments.append(pay)
    return payments


def _group(plan: Plan, t: int) -> tuple[float, float]:
    g = plan.group
    if g is None:
        return 0.0, 0.0
    paying = g.start_month <= t < g.start_month + g.members
    payout = g.contribution * g.members if t == g.start_month + g.payout_turn - 1 else 0.0
    return (g.contribution if paying else 0.0), payout


def _month(plan: Plan, t: int, factor: float, debt: float, state: list[float]) -> float:
    """Apply month t to state = [personal, family]; return the unfunded amount."""
    s = plan.shocks
    ret = plan.return_month if s.early_return_month is None else min(plan.return_month, s.early_return_month)
    cut = 1.0 - s.income_cut_pct / 100.0 if t >= s.income_cut_from else 1.0
    contribution, payout = _group(plan, t)
    inflation = (1.0 + plan.inflation_pct / 100.0) ** (t / 12.0)
    personal = _grow(state[0], plan.personal_rate_pct)
    family = _grow(state[1], plan.family_rate_pct)
    unfunded = 0.0
    if t < ret:
        sends = t not in s.remittance_stops
        sent = plan.remittance if sends else 0.0
        fee = plan.transfer_fee if sends else 0.0
        income = plan.income_abroad * cut * factor
        personal += income - plan.spending_abroad - sent - fee - debt - contribution + payout
        family += sent * (1.0 - plan.fx_margin_pct / 100.0) - plan.expenses_before * inflation
        if family < 0.0:
            unfunded, family = -family, 0.0
    else:
        income = plan.local_income * cut * factor
        family += income - plan.expenses_after * inflation - debt - contribution
        personal += payout
        if family < 0.0:
            personal, family = personal + family, 0.0
    if personal < 0.0:
        unfunded, personal = unfunded - personal, 0.0
    state[0], state[1] = personal, family
    return unfunded


def reference_run(plan: Plan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Personal savings, family savings and unfunded amounts, each (scenarios, months)."""
    factors = _factors(plan)
    debt = _debt_payments(plan)
    shape = (plan.scenarios, plan.months)
    personal, family, unfunded = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for s in range(plan.scenarios):
        state = [float(plan.personal_savings), float(plan.family_savings)]
        for t in range(plan.months):
            unfunded[s, t] = _month(plan, t, float(factors[s, t]), debt[t], state)
            personal[s, t], family[s, t] = state
    return personal, family, unfunded


def reference_p50(plan: Plan) -> np.ndarray:
    """Median total savings per month, from the loop."""
    personal, family, _ = reference_run(plan)
    return np.percentile(personal + family, 50.0, axis=0)


def main() -> None:
    plan = Plan(months=360, return_month=120, scenarios=1000, income_variability_pct=15.0)
    band = scenario_band(plan)
    p50 = reference_p50(plan)  # also the loop's warm-up run
    if not np.allclose(band.p50, p50, rtol=1e-9, atol=1e-6):
        sys.exit("the loop and the vectorised band disagree on p50")
    band_ms = median_ms(lambda _k: scenario_band(plan), BAND_REPEATS)
    loop_ms = median_ms(lambda _k: reference_p50(plan), LOOP_REPEATS, warm_up=False)
    print(f"savings_band_1000x360_median: {band_ms:.1f} ms")
    print(f"savings_loop_npf_1000x360_median: {loop_ms:.1f} ms")
    print(f"savings_speedup: {loop_ms / band_ms:.1f} x")


if __name__ == "__main__":
    main()
