"""Progress tables from records: milestones, flags, index, cohort summaries and suppression,
checked against values worked out by hand; the config's checks; the synthetic generator;
agreement with the benchmark's plain per-participant loop."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from grading.checkins import CHECKINS, MILESTONE_CODES
from grading.config import ConfigError, config_from_dict, load_config
from grading.progress import (
    HIDDEN,
    SUPPRESSED,
    cohort_summary,
    participant_timeline,
    tables_from_records,
)
from grading.synthetic import synthetic_cohort

from .conftest import PEOPLE, cohort_records

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def tables():
    """The hand-made cohort of conftest.py, from records (no nbgrader), m06/m12 not due."""
    records = cohort_records()
    exercises = pd.DataFrame({"participant": ["p01", "p02", "p03", "p06"],
                              "assignment": "ee99_toy", "score": [2, 0, None, None],
                              "max_score": 2,
                              "status": ["graded", "graded", "submitted", "submitted"],
                              "submitted_at": pd.Timestamp("2026-01-12 15:00", tz="UTC")})
    return tables_from_records(PEOPLE, records, exercises)


def value(frame, **where):
    rows = frame
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    assert len(rows) == 1, where
    return rows.iloc[0]


class TestCheckins:
    def test_every_participant_has_four_rows(self, tables):
        assert len(tables.checkins) == 40
        assert tables.checkins.groupby("participant").size().eq(4).all()

    def test_statuses(self, tables):
        status = tables.checkins.set_index(["participant", "checkin"])["status"]
        assert status["p09", "baseline"] == "broken"
        assert status["p10", "baseline"] == "missing"
        assert status["p07", "m03"] == "late"
        assert status["p08", "m03"] == "missing"
        assert (status.xs("m06", level="checkin") == "missing").all()

    def test_milestone_counts_by_hand(self, tables):
        counts = tables.checkins.set_index(["participant", "checkin"])["milestones"]
        # emergency >= 3 | savings >= plan > 0 | repayment <= 30 % | stable work or operating
        # business | next >= 10 chars (p03 and p07 have stable work)
        assert [counts[p, "baseline"] for p in ("p01", "p02", "p03", "p04", "p05", "p06", "p07",
                                                "p08")] == [5, 0, 4, 3, 1, 5, 5, 2]
        assert [counts[p, "m03"] for p in ("p01", "p02", "p03", "p04", "p05", "p06",
                                           "p07")] == [5, 1, 4, 4, 2, 5, 4]
        assert counts.isna().sum() == 40 - 15
        p03 = tables.milestones[(tables.milestones["participant"] == "p03")
                                & (tables.milestones["checkin"] == "baseline")]
        # 3000 of 10000 is exactly 30 %: reached; her business closed, but she has stable
        # work, which counts like a running business
        assert dict(zip(p03["milestone"], p03["reached"], strict=True)) == {
            "emergency_fund": False, "savings_on_plan": True, "repayment_affordable": True,
            "work_or_business": True, "next_milestones": True}

    def test_irregular_work_is_paid_work_but_not_stable(self, tables):
        ch = tables.checkins.set_index(["participant", "checkin"])
        assert ch.loc[("p02", "baseline"), "work"] == "irregular"
        assert bool(ch.loc[("p02", "baseline"), "working"]) is True
        assert bool(ch.loc[("p01", "baseline"), "working"]) is False
        reached = tables.milestones.set_index(["participant", "checkin", "milestone"])["reached"]
        assert not reached["p02", "baseline", "work_or_business"]
        assert reached["p07", "baseline", "work_or_business"]  # stable work, no business

    def test_unanswered_rows_hold_no_answers(self, tables):
        blank = tables.checkins[~tables.checkins["status"].isin(["submitted", "late"])]
        assert blank["savings"].isna().all() and blank["wellbeing"].isna().all()


class TestFlags:
    def test_flags_by_hand(self, tables):
        got = sorted(map(tuple, tables.flags[["participant", "checkin", "flag"]].values.tolist()))
        assert got == sorted([
            ("p02", "baseline", "savings_behind_plan"),   # 5000 < 50 % of 20000
            ("p02", "baseline", "repayment_too_high"),    # 5000 = 50 % of 10000 > 40 %
            ("p02", "baseline", "low_wellbeing"),         # 2
            ("p03", "baseline", "business_closed"),
            ("p05", "baseline", "repayment_too_high"),    # 1000 with no income
            ("p05", "baseline", "low_wellbeing"),         # 1
            ("p08", "baseline", "low_wellbeing"),         # 2 (4000 = 40 % is not above 40 %)
            ("p09", "baseline", "missed_checkin"),        # broken
            ("p10", "baseline", "missed_checkin"),
            ("p02", "m03", "savings_behind_plan"),        # 4000 = 15 % of 26000
            ("p02", "m03", "repayment_too_high"),         # 4800 = 60 % of 8000
            ("p02", "m03", "low_wellbeing"),
            ("p03", "m03", "business_closed"),
            ("p05", "m03", "savings_behind_plan"),        # 1000 = 33 % of 3000
            ("p08", "m03", "missed_checkin"),             # sent the blank notebook
            ("p09", "m03", "missed_checkin"),
            ("p10", "m03", "missed_checkin"),
        ])

    def test_details_and_reasons(self, tables):
        f = tables.flags
        assert value(f, participant="p02", checkin="m03", flag="savings_behind_plan")[
            "detail"] == "savings at 15 % of the plan (flag below 50 %)"
        assert value(f, participant="p02", checkin="m03", flag="repayment_too_high")[
            "detail"] == "repayments take 60 % of income (flag above 40 %)"
        assert value(f, participant="p05", checkin="baseline", flag="repayment_too_high")[
            "detail"] == "repayments with no income"
        assert value(f, participant="p08", checkin="m03", flag="missed_checkin")[
            "detail"] == "check-in missing: sent without any answer"
        assert value(f, participant="p05", checkin="baseline", flag="low_wellbeing")[
            "detail"] == "wellbeing rated 1 of 5 (flag at 2 or lower)"
        assert value(f, participant="p03", checkin="baseline", flag="business_closed")[
            "detail"] == "business closed; she has stable work now"
        assert f["reason"].str.len().gt(20).all()

    def test_thresholds_come_from_the_config(self, tables):
        records = tables.checkins.drop(columns=["milestones"])
        stricter = config_from_dict({"flags": {"repayment_too_high": {"above_pct_of_income": 29},
                                               "low_wellbeing": {"enabled": False}}})
        flags = tables_from_records(PEOPLE, records, None, stricter).flags
        assert not (flags["flag"] == "low_wellbeing").any()
        # 3000 of 10000 = 30 % is now above the limit (p03 baseline); 2000/12000 = 17 % is not
        assert ((flags["participant"] == "p03") & (flags["flag"] == "repayment_too_high")).sum() == 1

    def test_not_due_checkins_are_not_flagged(self, tables):
        assert not tables.flags["checkin"].isin(["m06", "m12"]).any()


class TestIndex:
    def test_values_by_hand(self, tables):
        ix = tables.index
        p01 = value(ix, participant="p01", checkin="baseline")
        # economic: all four indicators 100; social (75 + 75) / 2; psychosocial 0.7*75 + 0.3*100
        assert (p01["economic"], p01["social"], p01["psychosocial"]) == (100, 75, 82.5)
        assert p01["overall"] == pytest.approx(0.4 * 100 + 0.3 * 75 + 0.3 * 82.5)  # 87.25
        p02 = value(ix, participant="p02", checkin="baseline")
        # savings 25 % of plan; 1 of 3 months; 50 % of income against 60 % -> 16.67; paid work
        # that is not regular: income source 50
        assert p02["savings_vs_plan"] == 25 and p02["debt_burden"] == pytest.approx(100 / 6)
        assert p02["income_source"] == 50
        assert p02["economic"] == pytest.approx(0.3 * 25 + 0.3 * 100 / 3 + 0.2 * 100 / 6 + 10)
        p03 = value(ix, participant="p03", checkin="baseline")
        assert p03["income_source"] == 100  # stable work, though the business closed
        assert p02["social"] == 37.5 and p02["psychosocial"] == 17.5
        assert p02["overall"] == pytest.approx(0.4 * p02["economic"] + 0.3 * 37.5 + 0.3 * 17.5)
        p05 = value(ix, participant="p05", checkin="baseline")
        # a plan of 0: savings_vs_plan unknown, its weight shared among the other three (all 0)
        assert math.isnan(p05["savings_vs_plan"]) and p05["economic"] == 0
        assert (p05["social"], p05["psychosocial"], p05["overall"]) == (12.5, 30, 12.75)

    def test_no_data_means_no_index(self, tables):
        p09 = value(tables.index, participant="p09", checkin="baseline")
        assert all(math.isnan(p09[c]) for c in ("economic", "social", "psychosocial", "overall"))

    def test_weights_come_from_the_config(self, tables):
        records = tables.checkins.drop(columns=["milestones"])
        config = config_from_dict({"index": {"dimension_weights": {"economic": 1.0, "social": 0,
                                                                   "psychosocial": 0}}})
        ix = tables_from_records(PEOPLE, records, None, config).index
        assert (ix["overall"].dropna() == ix["economic"].dropna()).all()


class TestCohortSummary:
    def test_whole_cohort_by_hand(self, tables):
        s = cohort_summary(tables, by=None)
        base = value(s, checkin="baseline")
        assert base["participants"] == 10 and base["due"] == 10
        assert base["response_rate"] == 80.0       # p01-p08 of 10
        assert value(s, checkin="m03")["response_rate"] == 70.0  # p01-p07, p07 late
        assert math.isnan(value(s, checkin="m06")["response_rate"])  # not due
        # milestones at baseline: (5+0+4+3+1+5+5+2) / 8 = 3.125, shown to one decimal
        assert base["milestones_mean"] == 3.1
        assert base["exercise_completion"] == 40.0  # 4 of 10 handed in the one exercise
        assert base["flagged"] == 60.0  # p02 p03 p05 p08 p09 p10

    def test_women_by_hand_and_small_groups_suppressed(self, tables):
        # the figures by hand (without hiding totals: see the next test for why they are hidden)
        s = cohort_summary(tables, by="gender", protect_totals=False)
        women = value(s, checkin="baseline", gender="woman")
        assert women["participants"] == 5 and women["response_rate"] == 100.0
        assert women["milestones_mean"] == 2.6  # (5+0+4+3+1) / 5
        assert [women[f"milestone_{c}"] for c in MILESTONE_CODES] == [40, 40, 60, 40, 80]
        assert women["exercise_completion"] == 60.0 and women["flagged"] == 60.0
        m03 = value(s, checkin="m03", gender="woman")
        assert m03["milestones_mean"] == 3.2  # (5+1+4+4+2) / 5
        assert [m03[f"milestone_{c}"] for c in MILESTONE_CODES] == [60, 40, 80, 60, 80]
        for group in ("man", "unknown"):  # 3 men, 2 without a gender: each under 5
            rows = s[s["gender"] == group]
            assert len(rows) == 4
            values = rows.drop(columns=["checkin", "gender"])
            assert (values == SUPPRESSED).all().all()
        assert SUPPRESSED == "fewer than 5"

    def test_a_few_answers_are_not_revealed_by_subtraction(self, tables):
        """At baseline 5 women and 3 men answered (p09 and p10 did not): the men's answers
        are withheld (a group of 3), and the whole cohort's milestones (8 answers) minus the
        women's (5) would give the men's mean, so the women's answer figures are hidden too;
        their group figures (size, response rate, exercises, flags) rest on 5 + 5 people and
        stay."""
        s = cohort_summary(tables, by="gender")
        women = value(s, checkin="baseline", gender="woman")
        assert women["participants"] == 5 and women["response_rate"] == 100.0
        assert women["exercise_completion"] == 60.0 and women["flagged"] == 60.0
        for column in ("milestones_mean", "overall", *[f"milestone_{c}" for c in
                                                       MILESTONE_CODES]):
            assert women[column] == HIDDEN, column
        whole = value(cohort_summary(tables, by=None), checkin="baseline", group="all")
        assert whole["milestones_mean"] == 3.1  # (5+0+4+3+1 + 5+5+2) / 8 answers: shown

    def test_a_small_group_is_not_revealed_by_subtraction(self, tables):
        """Without p09/p10 only the 3 men are small: the women's row could be subtracted from
        the whole-cohort row, so it is hidden too."""
        keep = tables.participants["participant"].isin([f"p{i:02d}" for i in range(1, 9)])
        people = PEOPLE[PEOPLE["id"].isin(tables.participants.loc[keep, "participant"])]
        records = tables.checkins[tables.checkins["participant"].isin(people["id"])]
        small = tables_from_records(people, records.drop(columns=["milestones"]), None)
        s = cohort_summary(small, by="gender")
        assert (s[s["gender"] == "man"].drop(columns=["checkin", "gender"]) == SUPPRESSED).all().all()
        assert (s[s["gender"] == "woman"].drop(columns=["checkin", "gender"]) == HIDDEN).all().all()
        shown = cohort_summary(small, by="gender", protect_totals=False)
        assert value(shown, checkin="baseline", gender="woman")["participants"] == 5

    def test_min_group_cannot_go_below_five(self, tables):
        with pytest.raises(ValueError, match="min_group"):
            cohort_summary(tables, min_group=3)
        s = cohort_summary(tables, by="gender", min_group=6)
        assert (s[s["gender"] == "woman"]["participants"] == "fewer than 6").all()


def test_participant_timeline(tables):
    log = pd.DataFrame({"at": ["2026-02-01T10:00:00+00:00"], "participant": ["p02"],
                        "author": ["Mentor Rosa"], "text": ["Called her about the loan."],
                        "line": [1]})
    t = participant_timeline(tables, "P-0002", log=log)  # by pseudonym
    # by date: the exercise (12 Jan), baseline (14 Jan), the note (1 Feb), 3 months (10 Apr),
    # then the check-ins not sent yet
    assert list(zip(t["kind"], t["item"], strict=True)) == [
        ("exercise", "ee99_toy"), ("checkin", "baseline"), ("note", "Mentor Rosa"),
        ("checkin", "m03"), ("checkin", "m06"), ("checkin", "m12")]
    checkins = t[t["kind"] == "checkin"]
    assert checkins["item"].tolist() == list(CHECKINS)
    assert checkins["flags"].iloc[0] == "savings_behind_plan, repayment_too_high, low_wellbeing"
    note = t[t["kind"] == "note"].iloc[0]
    assert note["detail"] == "Called her about the loan."
    assert (t["participant"] == "p02").all()
    with pytest.raises(ValueError, match="participant"):
        participant_timeline(tables, "nobody")


class TestConfig:
    def test_defaults_are_valid_and_weights_sum_to_one(self):
        config = load_config()
        for dimension in ("economic", "social", "psychosocial"):
            assert sum(config.index[dimension].values()) == pytest.approx(1)
        assert sum(config.index["dimension_weights"].values()) == pytest.approx(1)

    @pytest.mark.parametrize("changes, key", [
        ({"index": {"economic": {"savings_vs_plan": 0.5, "emergency_fund": 0.4}}}, "index.economic"),
        ({"index": {"social": {"family": 1.0, "friends": 0.0}}}, "index.social.friends"),
        ({"index": {"dimension_weights": {"economic": 0.5, "social": 0.5}}},
         "index.dimension_weights"),
        ({"flags": {"savings_behind_plan": {"below_pct_of_plan": 150}}},
         "flags.savings_behind_plan.below_pct_of_plan"),
        ({"flags": {"low_wellbeing": {"at_most": "two"}}}, "flags.low_wellbeing.at_most"),
        ({"flags": {"late_payment": {"enabled": True}}}, "flags.late_payment"),
        ({"flags": {"business_closed": {"reason": " "}}}, "flags.business_closed.reason"),
        ({"min_group": 3}, "min_group"),
        ({"due_dates": {"m04": "2026-05-01"}}, "due_dates.m04"),
        ({"due_dates": {"m03": "15/04/2026"}}, "due_dates.m03"),
        ({"colour": "green"}, "colour"),
    ])
    def test_bad_settings_name_the_key(self, changes, key):
        with pytest.raises(ConfigError) as err:
            config_from_dict(changes)
        assert err.value.key == key
        assert str(err.value).startswith(key + ": ")

    def test_course_file_overrides_defaults(self, tmp_path):
        (tmp_path / "progress_config.json").write_text(json.dumps(
            {"flags": {"low_wellbeing": {"at_most": 1}}, "due_dates": {"m03": "2026-04-15"}}))
        config = load_config(tmp_path)
        assert config.flags["low_wellbeing"]["at_most"] == 1
        assert config.flags["low_wellbeing"]["reason"]  # kept from the defaults
        assert str(config.due_dates["m03"]) == "2026-04-15"
        (tmp_path / "progress_config.json").write_text("{ not json")
        with pytest.raises(ConfigError, match="not valid JSON"):
            load_config(tmp_path)


class TestSynthetic:
    def test_seeded(self):
        a = synthetic_cohort(300, seed=5)
        b = synthetic_cohort(300, seed=5)
        c = synthetic_cohort(300, seed=6)
        for x, y in zip(a, b, strict=True):
            pd.testing.assert_frame_equal(x, y)
        assert not a[1]["savings"].equals(c[1]["savings"])

    def test_obviously_fake(self):
        people, _, _ = synthetic_cohort(500, seed=2)
        assert people["participant"].str.fullmatch(r"syn-\d{5}").all()
        assert people["last_name"].str.startswith("Example ").all()
        assert people["email"].str.endswith("@example.invalid").all()

    def test_realistic_spread(self):
        people, checkins, exercises = synthetic_cohort(2000, seed=3)
        status = checkins["status"].value_counts(normalize=True)
        assert 0.12 < status["missing"] < 0.18
        assert 0.02 < status["late"] < 0.07 and 0.002 < status["broken"] < 0.02
        wide = checkins.pivot(index="participant", columns="checkin", values="savings")
        both = wide[["baseline", "m12"]].dropna()
        grew = (both["m12"] > both["baseline"]).mean()
        assert 0.6 < grew < 0.95  # most save more; some fall
        closed = checkins.groupby("participant")["business_status"].apply(
            lambda s: (s == "closed").any()).mean()
        assert 0.05 < closed < 0.4
        work = checkins.pivot(index="participant", columns="checkin", values="work")
        stable = (work == "stable").mean()
        assert stable["baseline"] < stable["m12"] < 0.8  # more find stable work as months pass
        answered = checkins["status"].isin(["submitted", "late"])
        assert (checkins.loc[answered, "working"]
                == (checkins.loc[answered, "work"] != "none")).all()
        women = (people["gender"] == "woman").mean()
        assert 0.7 < women < 0.85
        assert set(exercises["status"]) == {"graded", "late", "missing"}
        tables = tables_from_records(people, checkins, exercises)
        share = tables.flags.drop_duplicates(["participant", "checkin"]).shape[0] / len(checkins)
        assert 0.15 < share < 0.7  # flags are raised, but not for everybody
        assert tables.index["overall"].between(0, 100).all() or tables.index["overall"].isna().any()

    def test_bad_arguments(self):
        with pytest.raises(ValueError, match="missing_rate"):
            synthetic_cohort(10, missing_rate=1.5)
        with pytest.raises(ValueError, match="n:"):
            synthetic_cohort(-1)


def load_benchmark():
    path = ROOT / "benchmarks" / "bench_progress.py"
    spec = importlib.util.spec_from_file_location("bench_progress", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vectorised_tables_agree_with_the_benchmarks_plain_loop():
    """The benchmark's per-participant loop shares no derivation code with progress.py: both
    must give the same milestones, flags and index for 400 synthetic participants."""
    bench = load_benchmark()
    people, checkins, exercises = synthetic_cohort(400, seed=9)
    tables = tables_from_records(people, checkins, exercises)
    naive = bench.naive_tables(people, checkins, load_config())
    counts = tables.checkins.set_index(["participant", "checkin"])["milestones"]
    for key, expected in naive["milestones"].items():
        got = counts[key]
        assert (pd.isna(got) and expected is None) or got == expected, key
    flags = set(map(tuple, tables.flags[["participant", "checkin", "flag"]].values.tolist()))
    assert flags == naive["flags"]
    ix = tables.index.set_index(["participant", "checkin"])
    for key, dims in naive["index"].items():
        for name, expected in dims.items():
            got = ix.loc[key, name]
            assert (np.isnan(got) and expected is None) or got == pytest.approx(expected), (
                key, name)
