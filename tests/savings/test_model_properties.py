"""Property-based tests of widgets.savings.model over many generated valid plans."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings

from widgets.savings.model import (
    Plan,
    effective_return_month,
    scenario_band,
    simulate,
    simulate_scenarios,
    summarize,
    validate,
)

from .strategies import money_residual, plans

MODEST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class TestSimulateProperties:
    @MODEST
    @given(plans())
    def test_validate_accepts_generated_plans(self, plan: Plan) -> None:
        validate(plan)

    @MODEST
    @given(plans())
    def test_no_nan_and_balances_not_negative(self, plan: Plan) -> None:
        table = simulate(plan)
        numbers = table.drop(columns="at_home").to_numpy(dtype=float)
        assert np.isfinite(numbers).all()
        assert (numbers >= 0).all()

    @MODEST
    @given(plans())
    def test_money_is_conserved_every_month(self, plan: Plan) -> None:
        """Exactly, in whole cents, as a spreadsheet of the table would add it up."""
        table = simulate(plan)
        assert (money_residual(table, plan) == 0).all()
        cents = (table[["personal_savings", "family_savings", "total_savings"]] * 100).round()
        assert (cents.personal_savings + cents.family_savings == cents.total_savings).all()

    @MODEST
    @given(plans())
    def test_never_sends_or_saves_money_she_does_not_have(self, plan: Plan) -> None:
        table = simulate(plan)
        abroad = table[~table.at_home]
        can_send = abroad[~abroad.month.isin(plan.shocks.remittance_stops)]
        assert (can_send.remittance_sent + can_send.remittance_not_sent
                >= round(plan.remittance, 2) - 0.005).all()
        # no fee without a transfer; a month she could not send all is a month she has nothing
        # left (or less than the fee, which sending one more peso would cost)
        assert (table.remitting_cost[table.remittance_sent == 0] == 0).all()
        short = abroad[abroad.remittance_not_sent > 0]
        assert (short.personal_savings[short.remittance_sent > 0] == 0).all()
        assert (short.personal_savings <= round(plan.transfer_fee, 2) + 0.005).all()

    @MODEST
    @given(plans())
    def test_at_home_from_effective_return(self, plan: Plan) -> None:
        table = simulate(plan)
        ret = effective_return_month(plan)
        assert table.at_home.tolist() == [t >= ret for t in range(plan.months)]
        assert (table.remittance_sent[table.at_home] == 0).all()


class TestSummarizeProperties:
    @MODEST
    @given(plans())
    def test_consistent_with_simulate(self, plan: Plan) -> None:
        table, summary = simulate(plan), summarize(plan)
        ret = effective_return_month(plan)
        start = plan.personal_savings + plan.family_savings
        start = (math.floor(plan.personal_savings * 100 + 0.5)
                 + math.floor(plan.family_savings * 100 + 0.5)) / 100  # each to the cent
        expected = table.total_savings[ret - 1] if ret > 0 else start
        assert summary.savings_at_return == expected
        assert np.isclose(summary.total_unfunded, table.unfunded.sum())
        assert np.isclose(summary.total_remitted, table.remittance_sent.sum())
        assert np.isclose(summary.total_remitting_cost, table.remitting_cost.sum())
        assert 0.0 <= summary.remitting_cost_pct

    @MODEST
    @given(plans())
    def test_goals_monotone_and_flags(self, plan: Plan) -> None:
        goals = summarize(plan).goals
        assert len(goals) == len(plan.goals)
        targets = [g.target_month for g in goals]
        assert targets == sorted(targets)
        reached = [g.reached_month for g in goals]
        for earlier, later in zip(reached, reached[1:], strict=False):
            assert later is None or (earlier is not None and earlier <= later)
        for goal in goals:
            assert goal.on_time == (goal.reached_month is not None and goal.reached_month <= goal.target_month)

    @MODEST
    @given(plans())
    def test_debt_free_month_matches_balance(self, plan: Plan) -> None:
        table, month = simulate(plan), summarize(plan).debt_free_month
        if month is None:
            return
        assert table.debt_balance[month - 1] == 0
        assert month == 1 or table.debt_balance[month - 2] > 0


class TestScenarioProperties:
    @settings(max_examples=30, deadline=None)
    @given(plans())
    def test_band_ordered_and_finite(self, plan: Plan) -> None:
        band = scenario_band(plan)
        assert np.isfinite(band.p10).all() and np.isfinite(band.p90).all()
        assert (band.p10 <= band.p50 + 1e-9).all() and (band.p50 <= band.p90 + 1e-9).all()
        assert (band.p10 >= 0).all()

    @settings(max_examples=30, deadline=None)
    @given(plans())
    def test_scenarios_not_negative(self, plan: Plan) -> None:
        for values in simulate_scenarios(plan):
            assert values.shape == (plan.scenarios, plan.months)
            assert (values >= 0).all()

    @settings(max_examples=25, deadline=None)
    @given(plans(max_months=60, max_scenarios=3))
    def test_agrees_with_reference_loop(self, plan: Plan) -> None:
        from .test_model import load_benchmark

        reference = load_benchmark().reference_run(plan)
        for ours, theirs in zip(simulate_scenarios(plan), reference, strict=True):
                assert np.array_equal(ours, theirs)  # to the cent, exactly
