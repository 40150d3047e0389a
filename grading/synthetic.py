"""Synthetic cohorts for tests, demos and benchmarks. Never real people.

Every name is a common first name followed by the word ``Example`` and a number; every id
starts with ``syn-``; every e-mail ends in ``@example.invalid`` (a domain that cannot exist).
All amounts are *illustrative* (Philippine pesos, made up), not statistics.

The spread is meant to look like a real follow-up, so that tables, flags and charts have
something to show: most participants save more at each check-in, some fall behind or lose
savings; some find stable work, some start a business, some businesses close; about ``missing_rate`` of check-ins are
never sent, a few arrive late and a very few cannot be read.

>>> people, checkins, exercises = synthetic_cohort(200, seed=1)
>>> len(people), len(checkins), sorted(checkins["checkin"].unique())
(200, 800, ['baseline', 'm03', 'm06', 'm12'])
>>> people["participant"].iloc[0], people["email"].iloc[0]
('syn-00001', 'syn-00001@example.invalid')
>>> synthetic_cohort(200, seed=1)[1].equals(checkins)  # the same seed, the same cohort
True
>>> bool(0.10 < (checkins["status"] == "missing").mean() < 0.20)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from grading.checkins import CHECKIN_MONTHS, CHECKINS

#: First names used for synthetic participants (followed by "Example <number>").
FIRST_NAMES = {
    "woman": ("Ana", "Maria", "Siti", "Dewi", "Joy", "Nisa", "Rosa", "Lupe", "Mai", "Sita",
              "Liza", "Wati", "Carmen", "Nok", "Gita"),
    "man": ("Juan", "Budi", "Somchai", "Ram", "Jose", "Agus", "Paolo", "Hari"),
    "other": ("Alex", "Kim"),
    "unknown": ("Sam", "Chris"),
}
#: Exercise assignments of the economic-empowerment course (names as agreed in the workflow
#: contract) with illustrative maximum scores.
EXERCISES = {"ee01_money_cycle": 4, "ee02_budgeting": 6, "ee03_saving": 6, "ee04_remittances": 5,
             "ee05_rights": 9, "ee06_debt": 6, "ee07_protection": 4, "ee08_work": 10,
             "ee09_business_price": 10, "ee10_business_plan": 8, "ee11_wellbeing": 6,
             "ee12_reintegration_plan": 8}
REMITTANCE_USES = ("daily needs", "school fees", "savings account", "store stock",
                   "loan payments", "house repair", "nothing sent now", "medicine")
NEXT_STEPS = ("open a savings account in my own name", "buy a second sewing machine",
              "pay off the recruitment loan", "join the cooperative's savings group",
              "sell snacks at the school gate", "finish the cooking course",
              "talk with my husband about the family budget", "apply for a livelihood grant")
#: The (illustrative) day the course ended: the baseline check-in is due then.
COURSE_END = pd.Timestamp("2026-01-15", tz="UTC")


def due_date(checkin: str, course_end: pd.Timestamp = COURSE_END) -> pd.Timestamp:
    """When a check-in is due: the course's last day plus 0, 3, 6 or 12 months.

    >>> due_date("m03").date().isoformat()
    '2026-04-15'
    """
    return course_end + pd.DateOffset(months=CHECKIN_MONTHS[checkin])


def synthetic_participants(n: int, seed: int = 0) -> pd.DataFrame:
    """participant, first_name, last_name, email, gender, cohort, currency (obviously fake)."""
    if n < 0:
        raise ValueError(f"n: must be 0 or more, not {n}")
    rng = np.random.default_rng([seed, 1])
    ids = [f"syn-{i:05d}" for i in range(1, n + 1)]
    gender = rng.choice(["woman", "man", "other", ""], size=n, p=[0.78, 0.18, 0.02, 0.02])
    first = [FIRST_NAMES[g or "unknown"][k % len(FIRST_NAMES[g or "unknown"])]
             for g, k in zip(gender, rng.integers(0, 1000, n), strict=True)]
    return pd.DataFrame({
        "participant": ids,
        "first_name": first,
        "last_name": [f"Example {i:05d}" for i in range(1, n + 1)],
        "email": [f"{i}@example.invalid" for i in ids],
        "gender": gender,
        "cohort": [f"synthetic-{chr(65 + (i // 25) % 26)}" for i in range(n)],
        "currency": "PHP",
    })


def synthetic_cohort(n: int, seed: int = 0, missing_rate: float = 0.15
                     ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``(participants, checkins, exercises)`` for ``n`` synthetic participants, seeded.

    ``checkins`` has one row per participant and check-in in the form
    :func:`grading.progress.tables_from_records` takes; ``exercises`` one row per participant
    and exercise.
    """
    if not 0 <= missing_rate < 1:
        raise ValueError(f"missing_rate: must be from 0 to below 1, not {missing_rate}")
    people = synthetic_participants(n, seed)
    rng = np.random.default_rng([seed, 2])
    k = len(CHECKINS)
    months = np.array([CHECKIN_MONTHS[c] for c in CHECKINS], dtype=float)

    # savings: a starting amount and a monthly plan; most keep to it more or less, some fall
    start = np.round(rng.lognormal(np.log(8000), 0.8, n), -2)
    plan_monthly = np.round(rng.lognormal(np.log(1500), 0.5, n), -1)
    keeps = np.clip(rng.normal(0.95, 0.35, n), 0.1, 1.8)
    shock = rng.random(n) < 0.15  # a shock: illness, job lost, a loan to a relative
    monthly = np.where(shock, -rng.uniform(0.3, 1.2, n) * plan_monthly, keeps * plan_monthly)
    noise = rng.normal(0, 400, (n, k))
    savings = np.maximum(0, start[:, None] + monthly[:, None] * months + noise * (months > 0))
    savings = np.round(savings, -1)
    savings_plan = start[:, None] + plan_monthly[:, None] * months
    # at baseline the plan is roughly what she has; some planned a little more
    savings_plan[:, 0] = np.round(start * rng.uniform(0.9, 1.3, n), -2)
    expenses = rng.lognormal(np.log(6000), 0.35, n)
    in_fund = rng.uniform(0.4, 1.0, n)
    emergency = np.round(np.minimum(savings * in_fund[:, None] / expenses[:, None], 12), 1)

    # debt: six in ten start with a loan (often a recruitment-fee loan) and repay it
    has_debt = rng.random(n) < 0.6
    debt0 = np.where(has_debt, np.round(rng.lognormal(np.log(30000), 0.6, n), -2), 0.0)
    repay = np.where(has_debt, np.round(rng.uniform(0.04, 0.12, n) * debt0, -1), 0.0)
    debt = np.maximum(0, debt0[:, None] - repay[:, None] * months)
    repayment = np.where(debt > 0, repay[:, None], 0.0)
    income = np.round(rng.lognormal(np.log(14000), 0.45, n)[:, None]
                      * (1 + 0.02 * months) * rng.uniform(0.85, 1.15, (n, k)), -1)

    # business: a small chain of states from baseline to 12 months
    status = np.empty((n, k), dtype=object)
    state = np.where(rng.random(n) < 0.5, "operating", "not_started").astype(object)
    for j in range(k):
        if j:
            u = rng.random(n)
            state = np.where((state == "not_started") & (u < 0.25), "operating", state)
            state = np.where((state == "operating") & (u > 0.90), "closed", state)
            state = np.where((state == "closed") & (u < 0.08), "operating", state)
        status[:, j] = state
    profit = np.where(status == "operating", np.round(rng.normal(3000, 2200, (n, k)), -1), 0.0)
    # paid work: about 55 % have some; of those, more have stable work as the months pass
    u = rng.random((n, k))
    stable_share = np.linspace(0.20, 0.40, k)[None, :]
    work = np.where(u < stable_share, "stable", np.where(u < 0.55, "irregular", "none"))
    working = work != "none"
    language = np.repeat(np.random.default_rng([seed, 4]).choice(
        np.array(["en", "fil", "id"], dtype=object), n, p=[0.3, 0.5, 0.2])[:, None], k, axis=1)

    # ratings 1-5: a start near 3 and a small random walk, a little better when savings grow
    trend = np.sign(monthly)[:, None] * (months > 0)

    def ratings(spread: float) -> np.ndarray:
        base = rng.normal(3.2, 0.8, n)[:, None] + rng.normal(0, spread, (n, k)).cumsum(axis=1)
        return np.clip(np.round(base + 0.3 * trend), 1, 5).astype(int)

    family, community, wellbeing = ratings(0.4), ratings(0.3), ratings(0.5)
    remittance = rng.choice(REMITTANCE_USES, (n, k))
    steps = np.where(rng.random((n, k)) < 0.85, rng.choice(NEXT_STEPS, (n, k)), "")

    # who sends what, and when
    u = rng.random((n, k))
    later = np.linspace(0.7, 1.3, k)  # fewer answers as the months go by
    p_missing = np.clip(missing_rate * later, 0, 0.95)
    state_ = np.where(u < p_missing, "missing",
                      np.where(u < p_missing + 0.01, "broken",
                               np.where(u < p_missing + 0.05, "late", "submitted")))
    due = np.array([due_date(c).tz_convert(None).to_datetime64() for c in CHECKINS],
                   dtype="datetime64[ns]")
    # on time: up to 10 days early (the baseline: not before the course's last day) or 6 late
    early = np.where(np.asarray(CHECKINS) == "baseline", 0.0, -10.0)[None, :]
    on_time = early + rng.random((n, k)) * (6.0 - early)
    days = np.where(state_ == "late", rng.uniform(8, 40, (n, k)), on_time)
    stamps = due[None, :] + (days * 86400e9).astype("timedelta64[ns]")

    answered = np.isin(state_, ("submitted", "late"))

    def keep(values: np.ndarray) -> np.ndarray:
        out = values.astype(object)
        out[~answered] = None
        return out.ravel()

    checkins = pd.DataFrame({
        "participant": np.repeat(people["participant"].to_numpy(), k),
        "checkin": np.tile(np.array(CHECKINS, dtype=object), n),
        "status": state_.ravel(),
        "submitted_at": pd.to_datetime(np.where(state_ == "missing", np.datetime64("NaT"),
                                                stamps).ravel(), utc=True),
        "savings": keep(savings), "savings_plan": keep(savings_plan),
        "emergency_months": keep(emergency), "debt": keep(debt), "repayment": keep(repayment),
        "income": keep(income), "business_status": keep(status), "profit": keep(profit),
        "work": keep(work), "working": keep(working), "language": keep(language),
        "remittance_use": keep(remittance),
        "family": keep(family), "community": keep(community), "wellbeing": keep(wellbeing),
        "next_milestones": keep(steps),
    })
    for name in ("savings", "savings_plan", "emergency_months", "debt", "repayment", "income",
                 "profit"):
        checkins[name] = pd.to_numeric(checkins[name]).astype(float)
    for name in ("family", "community", "wellbeing"):
        checkins[name] = pd.to_numeric(checkins[name]).astype("Int64")
    checkins["working"] = checkins["working"].astype("boolean")
    checkins["problem"] = np.where(checkins["status"] == "broken",
                                   "the file is not a readable notebook", "")

    # exercises: most hand in most of them; scores spread below the maximum
    names = list(EXERCISES)
    maxima = np.array([EXERCISES[a] for a in names], dtype=float)
    m = len(names)
    handed = rng.random((n, m)) > np.clip(rng.beta(1.2, 9, n)[:, None], 0, 1)
    skill = rng.beta(5, 2, n)[:, None]
    scores = np.minimum(maxima, rng.binomial(maxima.astype(int), np.clip(skill, 0, 1)))
    ex_state = np.where(handed, np.where(rng.random((n, m)) < 0.04, "late", "graded"), "missing")
    course_days = np.arange(m) * 0.5  # a five-day course, two exercises a day
    ex_stamp = (COURSE_END - pd.Timedelta(days=5)).to_datetime64() + (
        (course_days[None, :] + rng.uniform(0, 0.4, (n, m))) * 86400e9).astype("timedelta64[ns]")
    exercises = pd.DataFrame({
        "participant": np.repeat(people["participant"].to_numpy(), m),
        "assignment": np.tile(np.array(names, dtype=object), n),
        "score": np.where(handed, scores, np.nan).ravel(),
        "max_score": np.tile(maxima, n),
        "status": ex_state.ravel(),
        "submitted_at": pd.to_datetime(np.where(handed, ex_stamp, np.datetime64("NaT")).ravel(),
                                       utc=True),
    })
    return people, checkins, exercises
