"""The family track's model: decisions, what reaches the family, the split, care work, the plan."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from widgets.family.model import (
    Decision,
    FamilyError,
    Step,
    balance,
    care_shares,
    cents,
    check_plan,
    sending,
    split,
    together_share,
    who_decides,
)
from widgets.savings.model import remitting_cost

amounts = st.decimals(min_value=0, max_value=10**9, places=2).map(float)
shares = st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=8).filter(
    lambda xs: sum(xs) > 0)


class TestWhoDecides:
    def test_counts_every_kind_even_when_absent(self):
        assert who_decides([]) == {"me": 0, "you": 0, "together": 0}

    def test_an_unknown_person_names_the_field(self):
        with pytest.raises(FamilyError) as err:
            who_decides([Decision("rice", "you"), Decision("land", "grandmother")])
        assert err.value.field == "decisions[1].who" and err.value.code == "unknown"

    def test_an_empty_decision_is_refused(self):
        with pytest.raises(FamilyError, match="decisions.0..what"):
            who_decides([Decision("  ", "me")])

    def test_share_together_rounds_half_up(self):
        decisions = [Decision(str(k), "together" if k < 1 else "me") for k in range(8)]
        assert together_share(decisions) == 12.5


class TestSending:
    def test_agrees_with_the_savings_simulator(self):
        for amount, fee, margin in [(15_000, 250, 1.5), (40_000, 500, 2), (7_250.5, 175, 1.2)]:
            cost, received = sending(amount, fee, margin)
            assert cost == pytest.approx(remitting_cost(amount, fee, margin), abs=0.005)
            assert received == pytest.approx(amount * (1 - margin / 100), abs=0.005)

    def test_rounds_the_cent_half_up(self):
        assert sending(1_000.5, 0, 0.5) == (5.0, 995.5)  # 5.0025 -> 5.00; 995.4975 -> 995.50

    @pytest.mark.parametrize("field,args", [("amount", (-1, 0, 1)), ("fee", (1, -5, 1)),
                                            ("margin_pct", (1, 0, -0.1)),
                                            ("amount", (float("nan"), 0, 1))])
    def test_bad_input_names_the_field(self, field, args):
        with pytest.raises(FamilyError) as err:
            sending(*args)
        assert err.value.field == field


class TestSplit:
    @given(amounts, shares)
    def test_parts_add_up_to_the_cent_and_stay_within_a_cent(self, received, weights):
        total = sum(weights)
        percent = {f"use {k}": 100 * w / total for k, w in enumerate(weights)}
        parts = split(received, percent)
        assert list(parts) == list(percent)
        added = sum(Decimal(str(v)) for v in parts.values())
        assert added == Decimal(str(received)).quantize(Decimal("0.01"))
        for name, share in percent.items():
            assert abs(parts[name] - received * share / 100) <= 0.01 + 1e-6

    def test_shares_must_add_up_to_100(self):
        with pytest.raises(FamilyError) as err:
            split(1_000, {"a": 50, "b": 60})
        assert err.value.code == "not_100"

    @pytest.mark.parametrize("shares,code", [({}, "empty"), ({"a": -10, "b": 110}, "negative"),
                                             ({"": 100}, "empty")])
    def test_bad_shares(self, shares, code):
        with pytest.raises(FamilyError) as err:
            split(1_000, shares)
        assert err.value.code == code


class TestBalanceAndCare:
    def test_balance_to_the_cent(self):
        assert balance({"a": 0.1, "b": 0.2}, {"c": 0.3}) == 0.0
        assert balance({}, {"food": 10.005}) == -10.01

    def test_negative_income_is_refused(self):
        with pytest.raises(FamilyError, match="income"):
            balance({"wages": -1}, {})

    @given(st.lists(st.integers(min_value=0, max_value=168), min_size=1, max_size=6).filter(any))
    def test_care_shares_are_each_rounded_to_a_tenth(self, hours):
        got = care_shares({f"p{k}": h for k, h in enumerate(hours)})
        total = sum(hours)
        for k, h in enumerate(hours):
            assert abs(got[f"p{k}"] - 100 * h / total) <= 0.05 + 1e-9
        assert abs(sum(got.values()) - 100) <= 0.05 * len(hours) + 1e-9

    def test_equal_hours_show_equal_shares(self):
        got = care_shares({"Joy": 45, "Nonoy": 5, "Lola": 5, "Angel": 7})
        assert got["Nonoy"] == got["Lola"] == 8.1

    def test_more_hours_than_a_week_is_refused(self):
        with pytest.raises(FamilyError) as err:
            care_shares({"Joy": 200})
        assert err.value.code == "out_of_range"


class TestCheckPlan:
    def test_a_complete_plan(self):
        steps = [Step("a", "economic", 1, 10, "Ana"), Step("b", "social", 2, 0, "Ben"),
                 Step("c", "psychosocial", 2, 5.5, "both")]
        got = check_plan(steps, ("Ana", "Ben"))
        assert got.complete and got.total_cost == 15.5 and got.busiest_month == 2
        assert got.cost_by_month == {1: 10.0, 2: 5.5}

    def test_an_empty_plan_misses_everything(self):
        got = check_plan([], ("Ana", "Ben"))
        assert got.missing_dimensions == ("economic", "social", "psychosocial")
        assert got.people_without_steps == ("Ana", "Ben") and got.busiest_month is None

    @pytest.mark.parametrize("step,field", [
        (Step("a", "economic", 0, 0, "Ana"), "steps[0].month"),
        (Step("a", "economic", True, 0, "Ana"), "steps[0].month"),
        (Step("a", "economic", 1, -1, "Ana"), "steps[0].cost"),
        (Step("a", "economic", 1, 0, "Carla"), "steps[0].owner"),
        (Step("", "economic", 1, 0, "Ana"), "steps[0].what"),
    ])
    def test_bad_steps_name_the_field(self, step, field):
        with pytest.raises(FamilyError) as err:
            check_plan([step], ("Ana",))
        assert err.value.field == field

    def test_both_is_not_a_name(self):
        with pytest.raises(FamilyError, match="people"):
            check_plan([], ("Ana", "both"))


def test_cents_half_up():
    assert cents(0.005) == 0.01 and cents(1.234) == 1.23
