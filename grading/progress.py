"""Progress tables: participants, check-ins, exercises, milestones, flags and the index.

Everything a mentor, the dashboard and the reports show comes from one :class:`Tables` record of
tidy pandas tables (one row per participant and check-in, one row per flag, ...). There are two
ways to build it, with the same derivations:

- :func:`load_tables` reads a real course directory: the gradebook through nbgrader's own API and
  the answers from the submitted check-in notebooks (never executed; see
  :mod:`grading.checkins`);
- :func:`tables_from_records` takes plain data frames, e.g. from the synthetic generator
  (:func:`grading.synthetic.synthetic_cohort`).

Derivations are column operations over all rows at once, so 10,000 participants with four
check-ins each take about a second, and time grows no faster than the number of participants
(``benchmarks/bench_progress.py``).

A tiny cohort, one woman with two check-ins answered:

>>> people = pd.DataFrame({"participant": ["ana"], "gender": ["F"]})
>>> answers = pd.DataFrame({
...     "participant": ["ana", "ana"], "checkin": ["baseline", "m03"],
...     "status": ["submitted", "submitted"],
...     "savings": [10000, 13000], "savings_plan": [10000, 14500],
...     "emergency_months": [1.0, 3.0], "debt": [20000, 17000],
...     "repayment": [3000, 3000], "income": [12000, 12000],
...     "business_status": ["not_started", "operating"], "profit": [0, 2500],
...     "work": ["irregular", "none"], "family": [3, 4], "community": [3, 3],
...     "wellbeing": [2, 4], "next_milestones": ["open a sari-sari store", ""]})
>>> t = tables_from_records(people, answers, None)
>>> t.participants[["participant", "pseudonym", "gender"]].to_dict("records")
[{'participant': 'ana', 'pseudonym': 'P-0001', 'gender': 'woman'}]
>>> t.checkins[["checkin", "status", "milestones"]].values.tolist()
[['baseline', 'submitted', 3], ['m03', 'submitted', 3], ['m06', 'missing', <NA>], ['m12', 'missing', <NA>]]

Repayments of 3,000 on an income of 12,000 are 25 %: affordable at both check-ins. At baseline
she had also saved as planned and wrote her next milestone (3 milestones; her paid work is not
regular yet, so "stable work or a running business" waits); at three months she has an
emergency fund of three months and an operating store, but fell a little behind her plan and
wrote no next step (3 again). She rated how she felt 2 of 5 at baseline: a flag.

>>> t.checkins["working"].tolist()[:2]  # irregular work is paid work; none is not
[True, False]

>>> t.flags[["checkin", "flag"]].values.tolist()
[['baseline', 'low_wellbeing'], ['m06', 'missed_checkin'], ['m12', 'missed_checkin']]
>>> round(float(t.index.loc[1, "economic"]), 1)  # 0.3*89.7 + 0.3*100 + 0.2*58.3 + 0.2*100
88.6
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from grading.checkins import (
    BUSINESS_STATUSES,
    CHECKINS,
    EMERGENCY_MONTHS,
    FIELDS,
    LANGUAGES,
    MILESTONE_CODES,
    NEXT_STEPS_MIN_CHARS,
    NUMERIC_FIELDS,
    RATING_FIELDS,
    REPAYMENT_MAX_PCT,
    WORK_STATUSES,
    assignment_name,
    read_checkin,
    read_timestamp,
)
from grading.config import DIMENSIONS, INDICATORS, Config, load_config

__all__ = [
    "CHECKINS", "STATUSES", "ANSWERED", "GENDERS", "SUPPRESSED", "HIDDEN", "FEW_ANSWERS",
    "Tables",
    "CourseError", "load_tables", "tables_from_records", "cohort_summary",
    "participant_timeline", "normalise_gender", "milestone_table", "flag_table", "index_table",
]

STATUSES = ("submitted", "late", "missing", "broken")
ANSWERED = ("submitted", "late")
GENDERS = ("woman", "man", "other", "unknown")
#: graded (in the gradebook), late (graded, sent after the due date), submitted (handed in, not
#: graded yet), broken (the grading batch could not grade it), missing.
EXERCISE_STATUSES = ("graded", "late", "submitted", "broken", "missing")
EXERCISE_DONE = ("graded", "late", "submitted", "broken")
#: What a cohort table shows instead of the figures of a group of 1-4 people.
SUPPRESSED = "fewer than 5"
#: What it shows for a larger group hidden so that a small group cannot be worked out by
#: subtracting from the whole-cohort figures.
HIDDEN = "hidden (protects a small group)"
#: What it shows instead of a figure based on the answers of 1-4 people (milestones, index)
#: or on 1-4 people due (the response rate), even in a group of 5 or more.
FEW_ANSWERS = "fewer than 5 answers"
#: Columns of :func:`cohort_summary` worked out from the check-in answers.
ANSWER_COLUMNS = ("milestones_mean", *(f"milestone_{c}" for c in MILESTONE_CODES), *DIMENSIONS,
                  "overall")

PARTICIPANT_COLUMNS = ["participant", "pseudonym", "gender", "cohort", "first_name", "last_name",
                       "email"]
CHECKIN_COLUMNS = ["participant", "checkin", "status", "submitted_at", *FIELDS, "milestones",
                   "due", "problem"]
EXERCISE_COLUMNS = ["participant", "assignment", "score", "max_score", "status", "submitted_at"]

_GENDER_WORDS = {
    "woman": "woman", "women": "woman", "female": "woman", "f": "woman", "w": "woman",
    "girl": "woman", "babae": "woman", "perempuan": "woman", "wanita": "woman",
    "man": "man", "men": "man", "male": "man", "m": "man", "lalaki": "man", "laki-laki": "man",
    "pria": "man",
    "other": "other", "non-binary": "other", "nonbinary": "other", "x": "other",
}


class CourseError(ValueError):
    """A course directory that cannot be read (the message says why)."""


@dataclass(frozen=True)
class Tables:
    """All progress tables of one cohort. Column names are part of the contract with the
    dashboard (``widgets/mentoring/``, fed by ``grading/dashboard.py``): add columns, never rename them.

    - ``participants``: participant, pseudonym, gender, cohort, first_name, last_name, email
      (names and e-mail are kept only here; reports leave them out unless asked);
    - ``checkins``: one row per participant and check-in, all four even when nothing was sent;
      status is submitted / late / missing / broken; the answers; ``milestones`` (count
      reached, NA when not answered); ``due`` (whether the check-in is due yet); ``problem``;
    - ``exercises``: participant, assignment, score, max_score, status (graded / late /
      submitted / broken / missing), submitted_at;
    - ``milestones``: participant, checkin, milestone, reached (answered check-ins only);
    - ``flags``: participant, checkin, flag, detail, reason;
    - ``index``: participant, checkin, economic, social, psychosocial, overall (0-100, NA
      without data), then each indicator.
    """

    participants: pd.DataFrame
    checkins: pd.DataFrame
    exercises: pd.DataFrame
    milestones: pd.DataFrame
    flags: pd.DataFrame
    index: pd.DataFrame


# --------------------------------------------------------------------------- participants
def normalise_gender(values: pd.Series) -> pd.Series:
    """Map what people write to woman / man / other / unknown.

    >>> normalise_gender(pd.Series(["Female", " man", "Babae", None, "", "non-binary"])).tolist()
    ['woman', 'man', 'woman', 'unknown', 'unknown', 'other']
    """
    text = values.astype("object").where(values.notna(), "").astype(str).str.strip().str.lower()
    out = text.map(_GENDER_WORDS)
    out = out.where(out.notna(), np.where(text == "", "unknown", "other"))
    return out.astype(object)


def _pseudonyms(existing: pd.Series) -> pd.Series:
    """Keep given pseudonyms; number the rest after the highest one (P-0001, P-0002, ...)."""
    given = existing.astype("object").where(existing.notna(), None)
    numbers = given.dropna().astype(str).str.extract(r"^P-(\d+)$")[0].dropna().astype(int)
    start = int(numbers.max()) if len(numbers) else 0
    blank = given.isna().to_numpy()
    new = [f"P-{n:04d}" for n in range(start + 1, start + 1 + int(blank.sum()))]
    out = given.copy()
    out[blank] = new
    return out.astype(object)


def _participants(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    if "participant" not in df.columns and "id" in df.columns:
        df = df.rename(columns={"id": "participant"})
    if "participant" not in df.columns:
        raise ValueError("participants: a 'participant' (or 'id') column is needed")
    df["participant"] = df["participant"].astype(str)
    if df["participant"].duplicated().any():
        dup = df.loc[df["participant"].duplicated(), "participant"].iloc[0]
        raise ValueError(f"participants: {dup!r} appears twice")
    for column in ("first_name", "last_name", "email", "cohort"):
        if column not in df.columns:
            df[column] = None
    df["gender"] = normalise_gender(df["gender"] if "gender" in df.columns
                                    else pd.Series([None] * len(df), index=df.index))
    df["pseudonym"] = _pseudonyms(df["pseudonym"] if "pseudonym" in df.columns
                                  else pd.Series([None] * len(df), index=df.index))
    extra = [c for c in df.columns if c not in PARTICIPANT_COLUMNS]
    return df[PARTICIPANT_COLUMNS + extra].reset_index(drop=True)


# --------------------------------------------------------------------------- check-ins
def _checkins(participants: pd.DataFrame, raw: pd.DataFrame | None) -> pd.DataFrame:
    """One row per participant and check-in, answers typed, unanswered rows blanked."""
    grid = pd.MultiIndex.from_product([participants["participant"], CHECKINS],
                                      names=["participant", "checkin"])
    if raw is None or len(raw) == 0:
        raw = pd.DataFrame(columns=["participant", "checkin"])
    raw = raw.copy()
    raw["participant"] = raw["participant"].astype(str)
    bad = ~raw["checkin"].isin(CHECKINS)
    if bad.any():
        raise ValueError(f"checkins: unknown check-in {raw.loc[bad, 'checkin'].iloc[0]!r}")
    if raw.duplicated(["participant", "checkin"]).any():
        raise ValueError("checkins: a participant has two rows for the same check-in")
    df = raw.set_index(["participant", "checkin"]).reindex(grid).reset_index()
    status = df["status"] if "status" in df.columns else pd.Series(np.nan, index=df.index)
    status = status.astype(object).where(status.notna(), "missing")
    if not status.isin(STATUSES).all():
        raise ValueError(f"checkins: unknown status {status[~status.isin(STATUSES)].iloc[0]!r}"
                         f"; use {', '.join(STATUSES)}")
    df["status"] = status
    answered = status.isin(ANSWERED).to_numpy()
    for name, kind in FIELDS.items():
        column = df[name] if name in df.columns else pd.Series(np.nan, index=df.index)
        if name in NUMERIC_FIELDS:
            values = pd.to_numeric(column, errors="coerce").astype(float)
            df[name] = values.where(answered)
        elif name in RATING_FIELDS:
            values = pd.to_numeric(column, errors="coerce")
            values = values.where(values.isin([1, 2, 3, 4, 5]) & answered)
            df[name] = values.astype("Int64")
        elif kind == "yes_no":
            values = column.astype(object).where(column.notna() & answered, None)
            df[name] = values.map({True: True, False: False}, na_action="ignore").astype("boolean")
        else:
            values = column.astype(object).where(column.notna() & answered, None)
            if kind == "text":  # as the notebook reader gives them: trimmed, "" is no answer
                text = values.where(values.isna(), values.astype(str).str.strip())
                values = text.where(text.notna() & (text != ""), None)
            allowed = {"choice": BUSINESS_STATUSES, "work": WORK_STATUSES,
                       "language": LANGUAGES}.get(kind)
            if allowed:
                values = values.where(values.isin(list(allowed)), None)
            df[name] = values
    # paid work now, when it was not given: stable or irregular work is paid work
    work = df["work"]
    derived = work.map({"none": False, "irregular": True, "stable": True}, na_action="ignore")
    df["working"] = df["working"].astype(object).where(df["working"].notna(), derived).map(
        {True: True, False: False}, na_action="ignore").astype("boolean")
    stamps = df["submitted_at"] if "submitted_at" in df.columns else pd.Series(pd.NaT,
                                                                              index=df.index)
    df["submitted_at"] = pd.to_datetime(stamps, utc=True, errors="coerce")
    due = df["due"] if "due" in df.columns else pd.Series(True, index=df.index)
    df["due"] = due.astype(object).where(due.notna(), True).astype(bool)
    problem = df["problem"] if "problem" in df.columns else pd.Series("", index=df.index)
    df["problem"] = problem.astype(object).where(problem.notna(), "")
    return df


def _numeric(checkins: pd.DataFrame, name: str) -> np.ndarray:
    return checkins[name].to_numpy(dtype=float, na_value=np.nan)


def _text_length(series: pd.Series) -> np.ndarray:
    lengths = series.astype(object).where(series.notna(), "").astype(str).str.strip().str.len()
    return lengths.to_numpy(dtype=float)


# --------------------------------------------------------------------------- milestones
def _reached(checkins: pd.DataFrame) -> dict[str, np.ndarray]:
    """Milestones reached, one boolean array per milestone (False when unknown).

    Written to agree with the check-in notebooks' autograded cells, cell by cell.
    """
    with np.errstate(invalid="ignore"):
        savings, plan = _numeric(checkins, "savings"), _numeric(checkins, "savings_plan")
        repayment, income = _numeric(checkins, "repayment"), _numeric(checkins, "income")
        return {
            "emergency_fund": _numeric(checkins, "emergency_months") >= EMERGENCY_MONTHS,
            "savings_on_plan": (savings >= plan) & (savings > 0),
            "repayment_affordable": (repayment == 0) | (
                (income > 0) & (repayment * 100 <= REPAYMENT_MAX_PCT * income)),
            "work_or_business": ((checkins["work"] == "stable").to_numpy(
                dtype=bool, na_value=False) | (checkins["business_status"] == "operating"
                                               ).to_numpy(dtype=bool, na_value=False)),
            "next_milestones": _text_length(checkins["next_milestones"]) >= NEXT_STEPS_MIN_CHARS,
        }


def milestone_table(checkins: pd.DataFrame,
                    reached: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """participant, checkin, milestone, reached: one row per milestone of each answered
    check-in. ``reached`` (from :func:`_reached`) saves working it out twice."""
    answered = checkins["status"].isin(ANSWERED).to_numpy()
    reached = reached if reached is not None else _reached(checkins)
    rows = checkins.loc[answered, ["participant", "checkin"]]
    n = len(rows)
    out = pd.DataFrame({
        "participant": np.tile(rows["participant"].to_numpy(), len(MILESTONE_CODES)),
        "checkin": np.tile(rows["checkin"].to_numpy(), len(MILESTONE_CODES)),
        "milestone": np.repeat(np.array(MILESTONE_CODES, dtype=object), n),
        "reached": np.concatenate([reached[c][answered] for c in MILESTONE_CODES])
        if n else np.array([], dtype=bool),
        "_row": np.tile(np.flatnonzero(answered), len(MILESTONE_CODES)),
        "_order": np.repeat(np.arange(len(MILESTONE_CODES)), n),
    })
    out = out.sort_values(["_row", "_order"], kind="stable").drop(columns=["_row", "_order"])
    return out.reset_index(drop=True)


def _milestone_counts(checkins: pd.DataFrame, reached: dict[str, np.ndarray]) -> pd.Series:
    counts = np.sum([reached[c] for c in MILESTONE_CODES], axis=0)
    answered = checkins["status"].isin(ANSWERED)
    return pd.Series(counts, index=checkins.index).where(answered).astype("Int64")


# --------------------------------------------------------------------------- flags
FLAG_ORDER = ("missed_checkin", "savings_behind_plan", "repayment_too_high", "business_closed",
              "low_wellbeing")


def _pct_text(values: np.ndarray) -> pd.Series:
    return pd.Series(np.round(values).astype(np.int64)).astype(str)


def flag_table(checkins: pd.DataFrame, config: Config) -> pd.DataFrame:
    """participant, checkin, flag, detail, reason: one row per flag raised.

    The rules, their settings and their reasons are in the config (``flags``); the facilitator
    guide writes them out.
    """
    rules = config.flags
    answered = checkins["status"].isin(ANSWERED).to_numpy()
    parts = []

    def add(code: str, mask: np.ndarray, detail: pd.Series | str) -> None:
        if not mask.any():
            return
        rows = checkins.loc[mask, ["participant", "checkin"]].reset_index()
        text = detail if isinstance(detail, str) else detail.reset_index(drop=True)
        parts.append(rows.assign(flag=code, detail=text, reason=rules[code]["reason"],
                                 _order=FLAG_ORDER.index(code)))

    savings, plan = _numeric(checkins, "savings"), _numeric(checkins, "savings_plan")
    repayment, income = _numeric(checkins, "repayment"), _numeric(checkins, "income")
    with np.errstate(invalid="ignore", divide="ignore"):
        if rules["missed_checkin"]["enabled"]:
            status = checkins["status"]
            mask = (status.isin(rules["missed_checkin"]["statuses"]) & checkins["due"]).to_numpy()
            problem = checkins.loc[mask, "problem"]
            detail = ("check-in " + status[mask] + problem.where(problem == "", ": " + problem))
            add("missed_checkin", mask, detail)
        if rules["savings_behind_plan"]["enabled"]:
            limit = rules["savings_behind_plan"]["below_pct_of_plan"]
            mask = answered & (plan > 0) & (savings * 100 < limit * plan)
            detail = ("savings at " + _pct_text(100 * savings[mask] / plan[mask])
                      + f" % of the plan (flag below {limit:g} %)")
            add("savings_behind_plan", mask, detail)
        if rules["repayment_too_high"]["enabled"]:
            limit = rules["repayment_too_high"]["above_pct_of_income"]
            mask = answered & (repayment > 0) & ((income <= 0) | (repayment * 100 > limit * income))
            share = np.where(income[mask] > 0, 100 * repayment[mask] / np.where(
                income[mask] > 0, income[mask], 1), np.nan)
            detail = pd.Series(np.where(
                np.isnan(share), "repayments with no income",
                "repayments take " + _pct_text(np.nan_to_num(share)).to_numpy(dtype=object)
                + f" % of income (flag above {limit:g} %)"))
            add("repayment_too_high", mask, detail)
        if rules["business_closed"]["enabled"]:
            mask = answered & (checkins["business_status"] == "closed").to_numpy(
                dtype=bool, na_value=False)
            stable = (checkins["work"] == "stable").to_numpy(dtype=bool, na_value=False)
            add("business_closed", mask, pd.Series(np.where(
                stable[mask], "business closed; she has stable work now", "business closed"),
                dtype=object))
        if rules["low_wellbeing"]["enabled"]:
            limit = rules["low_wellbeing"]["at_most"]
            wellbeing = _numeric(checkins, "wellbeing")
            mask = answered & (wellbeing <= limit)
            detail = ("wellbeing rated " + _pct_text(wellbeing[mask])
                      + f" of 5 (flag at {limit:g} or lower)")
            add("low_wellbeing", mask, detail)
    columns = ["participant", "checkin", "flag", "detail", "reason"]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out = pd.concat(parts, ignore_index=True)
    out = out.sort_values(["index", "_order"], kind="stable")
    return out[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- index
def _indicators(checkins: pd.DataFrame, config: Config) -> dict[str, np.ndarray]:
    """Every indicator scaled 0-100 (NaN when unknown). See ``config.INDICATORS``."""
    scales = config.index["scales"]
    answered = checkins["status"].isin(ANSWERED).to_numpy()
    savings, plan = _numeric(checkins, "savings"), _numeric(checkins, "savings_plan")
    repayment, income = _numeric(checkins, "repayment"), _numeric(checkins, "income")
    with np.errstate(invalid="ignore", divide="ignore"):
        savings_vs_plan = np.where(plan > 0, np.clip(savings / np.where(plan > 0, plan, 1), 0, 1)
                                   * 100, np.nan)
        savings_vs_plan[np.isnan(savings)] = np.nan
        emergency = np.clip(_numeric(checkins, "emergency_months")
                            / scales["emergency_fund_full_at_months"], 0, 1) * 100
        share = repayment / np.where(income > 0, income, np.nan)
        burden = 100 * (1 - np.clip(share * 100 / scales["debt_burden_zero_at_pct"], 0, 1))
        burden = np.where(repayment == 0, 100.0, burden)
        burden = np.where((repayment > 0) & ~(income > 0) & ~np.isnan(income), 0.0, burden)
        burden[np.isnan(repayment)] = np.nan
        # stable work counts like a running business; irregular paid work counts half
        working = checkins["working"]
        business = checkins["business_status"]
        steady = ((checkins["work"] == "stable").to_numpy(dtype=bool, na_value=False)
                  | (business == "operating").to_numpy(dtype=bool, na_value=False))
        some = (working == True).to_numpy(dtype=bool, na_value=False)  # noqa: E712
        known = (working.notna().to_numpy() | business.notna().to_numpy()
                 | checkins["work"].notna().to_numpy())
        income_source = np.where(steady, 100.0, np.where(some, 50.0,
                                                         np.where(known, 0.0, np.nan)))
        plans = np.where(_text_length(checkins["next_milestones"]) >= NEXT_STEPS_MIN_CHARS,
                         100.0, 0.0)
        plans[~answered] = np.nan

        def rating(name: str) -> np.ndarray:
            return (_numeric(checkins, name) - 1) * 25

        return {"savings_vs_plan": savings_vs_plan, "emergency_fund": emergency,
                "debt_burden": burden, "income_source": income_source,
                "family": rating("family"), "community": rating("community"),
                "wellbeing": rating("wellbeing"), "plans_ahead": plans}


def _weighted(columns: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Weighted mean across columns, skipping unknown values (their weight is shared out among
    the known ones); NaN when nothing is known."""
    values = np.column_stack(columns)
    w = np.asarray(weights, dtype=float)
    known = ~np.isnan(values)
    total = (np.where(known, values, 0.0) * w).sum(axis=1)
    weight = (known * w).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


def index_table(checkins: pd.DataFrame, config: Config) -> pd.DataFrame:
    """participant, checkin, economic, social, psychosocial, overall (0-100), then indicators.

    Homeward's own progress index, inspired by the three dimensions of reintegration in IOM's
    Reintegration Handbook (economic, social, psychosocial). It is NOT IOM's Reintegration
    Sustainability Survey score: indicators and weights are Homeward's, set in the config.
    """
    indicators = _indicators(checkins, config)
    out = checkins[["participant", "checkin"]].copy()
    for dimension in DIMENSIONS:
        weights = config.index[dimension]
        out[dimension] = _weighted([indicators[n] for n in weights], list(weights.values()))
    dims = config.index["dimension_weights"]
    out["overall"] = _weighted([out[d].to_numpy() for d in dims], list(dims.values()))
    for dimension in DIMENSIONS:
        for name in INDICATORS[dimension]:
            out[name] = indicators[name]
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- exercises
def _exercises(participants: pd.DataFrame, raw: pd.DataFrame | None) -> pd.DataFrame:
    if raw is None or len(raw) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EXERCISE_COLUMNS})
    raw = raw.copy()
    raw["participant"] = raw["participant"].astype(str)
    assignments = sorted(raw["assignment"].astype(str).unique())
    grid = pd.MultiIndex.from_product([participants["participant"], assignments],
                                      names=["participant", "assignment"])
    df = raw.drop_duplicates(["participant", "assignment"], keep="last").set_index(
        ["participant", "assignment"]).reindex(grid).reset_index()
    status = df["status"].astype(object).where(df["status"].notna(), "missing")
    if not status.isin(EXERCISE_STATUSES).all():
        raise ValueError(f"exercises: unknown status {status[~status.isin(EXERCISE_STATUSES)].iloc[0]!r}")
    df["status"] = status
    df["score"] = pd.to_numeric(df["score"], errors="coerce").astype(float)
    df["max_score"] = pd.to_numeric(df["max_score"], errors="coerce").astype(float)
    stamps = df["submitted_at"] if "submitted_at" in df.columns else pd.Series(pd.NaT,
                                                                              index=df.index)
    df["submitted_at"] = pd.to_datetime(stamps, utc=True, errors="coerce")
    extra = [c for c in df.columns if c not in EXERCISE_COLUMNS]
    return df[EXERCISE_COLUMNS + extra]


# --------------------------------------------------------------------------- public
def tables_from_records(participants_df: pd.DataFrame, checkins_df: pd.DataFrame | None,
                        exercises_df: pd.DataFrame | None, config: Config | None = None) -> Tables:
    """Build every table from plain records.

    ``participants_df``: participant (or id), gender, cohort, first_name, last_name, email,
    optionally pseudonym. ``checkins_df``: participant, checkin, status, submitted_at, the
    answers (:data:`grading.checkins.FIELDS`), optionally due and problem; missing rows become
    ``missing``. ``exercises_df``: participant, assignment, score, max_score, status,
    submitted_at (or None).
    """
    config = config or load_config()
    participants = _participants(participants_df)
    checkins = _checkins(participants, checkins_df)
    reached = _reached(checkins)
    checkins["milestones"] = _milestone_counts(checkins, reached)
    extra = [c for c in checkins.columns if c not in CHECKIN_COLUMNS]
    checkins = checkins[CHECKIN_COLUMNS + extra]
    return Tables(
        participants=participants,
        checkins=checkins,
        exercises=_exercises(participants, exercises_df),
        milestones=milestone_table(checkins, reached),
        flags=flag_table(checkins, config),
        index=index_table(checkins, config),
    )


def _group_labels(tables: Tables, by: str | None) -> pd.Series:
    if by is None:
        return pd.Series("all", index=tables.participants["participant"])
    if by not in tables.participants.columns:
        raise ValueError(f"by: participants have no column {by!r}")
    labels = tables.participants[by].astype(object).where(tables.participants[by].notna(),
                                                          "unknown")
    return pd.Series(labels.astype(str).to_numpy(), index=tables.participants["participant"])


def cohort_summary(tables: Tables, by: str | None = "gender", min_group: int = 5,
                   protect_totals: bool = True) -> pd.DataFrame:
    """Cohort figures per check-in and group (``by``: a participants column, or None for the
    whole cohort as one group ``all``).

    Columns: checkin, the group column (``by`` or ``group``), participants, exercise_completion
    (% of exercises handed in), due (participants for whom the check-in is due), response_rate
    (% of them who answered), milestones_mean (among those who answered), one
    ``milestone_<code>`` column per milestone (% of those who answered), economic, social,
    psychosocial, overall (mean index), flagged (% of the group with any flag).

    Privacy: a group of 1 to ``min_group - 1`` people shows :data:`SUPPRESSED` ("fewer than 5")
    in every column. With ``protect_totals`` (the default), when the hidden groups together
    hold fewer than ``min_group`` people, the smallest shown group is hidden too
    (:data:`HIDDEN`), so nobody can work out a small group by subtracting the shown groups from
    the whole-cohort figures.

    A figure is also withheld when it rests on the answers of fewer than ``min_group`` people,
    even in a larger group (:data:`FEW_ANSWERS`): the milestones and the index count only
    those who answered that check-in (six women of whom one answered would otherwise show her
    own answers as "the women's index"), the response rate only those for whom it was due.
    The same protection of totals applies: when the withheld answers of a check-in add up to
    fewer than ``min_group``, the answers of the shown group with the fewest answers are
    hidden too.
    """
    if min_group < 5:
        raise ValueError("min_group: groups smaller than 5 are never shown; use 5 or more")
    column = by or "group"
    labels = _group_labels(tables, by)
    participants = tables.participants["participant"]
    sizes = labels.value_counts()

    # exercises: share handed in, per participant, then the group mean
    ex = tables.exercises
    if len(ex):
        done = ex["status"].isin(EXERCISE_DONE).groupby(ex["participant"]).mean() * 100
        completion = done.reindex(participants).groupby(labels.to_numpy()).mean()
    else:
        completion = pd.Series(dtype=float)

    ch = tables.checkins
    group = labels.reindex(ch["participant"]).to_numpy()
    answered = ch["status"].isin(ANSWERED)
    frame = pd.DataFrame({
        "checkin": ch["checkin"].to_numpy(), column: group,
        "due": ch["due"].to_numpy(), "answered": (answered & ch["due"]).to_numpy(),
        "milestones_mean": ch["milestones"].astype(float).where(answered).to_numpy(),
    })
    counts = tables.milestones
    reached = {code: np.full(len(ch), np.nan) for code in MILESTONE_CODES}
    if len(counts):
        position = pd.Series(np.arange(len(ch)),
                             index=pd.MultiIndex.from_frame(ch[["participant", "checkin"]]))
        rows = position.reindex(pd.MultiIndex.from_frame(
            counts[["participant", "checkin"]])).to_numpy()
        for code in MILESTONE_CODES:
            pick = (counts["milestone"] == code).to_numpy()
            reached[code][rows[pick]] = counts["reached"].to_numpy()[pick] * 100.0
    for code in MILESTONE_CODES:
        frame[f"milestone_{code}"] = reached[code]
    idx = tables.index
    for name in (*DIMENSIONS, "overall"):
        frame[name] = idx[name].to_numpy()
    flagged = pd.Series(0.0, index=pd.MultiIndex.from_frame(ch[["participant", "checkin"]]))
    if len(tables.flags):
        keys = pd.MultiIndex.from_frame(tables.flags[["participant", "checkin"]]).unique()
        flagged.loc[keys] = 100.0
    frame["flagged"] = flagged.to_numpy()

    grouped = frame.groupby(["checkin", column], sort=False)
    means = grouped.mean(numeric_only=True)
    summary = pd.DataFrame({
        "participants": grouped.size(),
        "due": grouped["due"].sum(),
    })
    answered_n = grouped["answered"].sum()
    answer_counts = grouped[list(ANSWER_COLUMNS)].count()
    summary["response_rate"] = np.where(summary["due"] > 0,
                                        100 * answered_n / summary["due"].where(
                                            summary["due"] > 0, 1), np.nan)
    summary["milestones_mean"] = means["milestones_mean"]
    for code in MILESTONE_CODES:
        summary[f"milestone_{code}"] = means[f"milestone_{code}"]
    for name in (*DIMENSIONS, "overall", "flagged"):
        summary[name] = means[name]
    summary = summary.reset_index()
    summary.insert(3, "exercise_completion", summary[column].map(completion).astype(float))
    value_columns = [c for c in summary.columns if c not in ("checkin", column)]
    shares = [c for c in value_columns if c not in ("participants", "due")]
    summary[shares] = summary[shares].astype(float).round(1)
    summary[["participants", "due"]] = summary[["participants", "due"]].astype(int)

    order = {name: i for i, name in enumerate(GENDERS)}
    summary["_c"] = summary["checkin"].map({c: i for i, c in enumerate(CHECKINS)})
    summary["_g"] = summary[column].map(order).fillna(len(order))
    summary = summary.sort_values(["_c", "_g", column]).drop(columns=["_c", "_g"])

    small = [g for g, n in sizes.items() if 0 < n < min_group]
    hidden = []
    if protect_totals and by is not None and small:
        hidden_people = int(sum(sizes[g] for g in small))
        shown = sizes.drop(small)
        if 0 < hidden_people < min_group and len(shown):
            hidden = [shown.sort_values(kind="stable").index[0]]
    summary = summary.astype({c: object for c in value_columns})
    summary = _withhold_few_answers(summary, column, answer_counts, min_group,
                                    protect_totals and by is not None, small)
    text = SUPPRESSED if min_group == 5 else f"fewer than {min_group}"
    summary.loc[summary[column].isin(small), value_columns] = text
    summary.loc[summary[column].isin(hidden), value_columns] = HIDDEN
    return summary.reset_index(drop=True)


def _withhold_few_answers(summary: pd.DataFrame, column: str, counts: pd.DataFrame,
                          min_group: int, protect: bool, small: list) -> pd.DataFrame:
    """Replace each answer-based figure resting on fewer than ``min_group`` answers (and a
    response rate resting on fewer than ``min_group`` people due) by :data:`FEW_ANSWERS`."""
    text = FEW_ANSWERS if min_group == 5 else f"fewer than {min_group} answers"
    keys = pd.MultiIndex.from_frame(summary[["checkin", column]])
    counts = counts.reindex(keys).fillna(0).astype(int)
    answers = counts["milestones_mean"].to_numpy()
    for name in ANSWER_COLUMNS:
        few = (counts[name].to_numpy() < min_group) & summary[name].notna().to_numpy()
        summary.loc[few, name] = text
    due = pd.to_numeric(summary["due"], errors="coerce").to_numpy()
    few_due = (due > 0) & (due < min_group)
    summary.loc[few_due, "response_rate"] = text
    if not protect:
        return summary
    for checkin in summary["checkin"].unique():
        rows = (summary["checkin"] == checkin).to_numpy()
        withheld = rows & ((answers < min_group) | summary[column].isin(small).to_numpy())
        hidden_answers = int(answers[withheld].sum())
        shown = rows & ~withheld
        if 0 < hidden_answers < min_group and shown.any():
            fewest = np.flatnonzero(shown)[np.argmin(answers[shown])]
            summary.loc[summary.index[fewest], list(ANSWER_COLUMNS)] = HIDDEN
    return summary


def participant_timeline(tables: Tables, participant: str,
                         log: pd.DataFrame | None = None) -> pd.DataFrame:
    """One participant's exercises, check-ins (and mentor notes, from ``log``), by date.

    ``participant`` is an id or a pseudonym. Columns: participant, kind (exercise / checkin /
    note), item, date, status, score, max_score, milestones, overall, flags, detail.
    """
    people = tables.participants
    match = people[(people["participant"] == participant) | (people["pseudonym"] == participant)]
    if match.empty:
        raise ValueError(f"participant: {participant!r} is not in this cohort")
    pid = match["participant"].iloc[0]
    columns = ["participant", "kind", "item", "date", "status", "score", "max_score",
               "milestones", "overall", "flags", "detail"]
    ex = tables.exercises[tables.exercises["participant"] == pid]
    rows = [pd.DataFrame({"kind": "exercise", "item": ex["assignment"], "date": ex["submitted_at"],
                          "status": ex["status"], "score": ex["score"],
                          "max_score": ex["max_score"]})]
    ch = tables.checkins[tables.checkins["participant"] == pid]
    ix = tables.index[tables.index["participant"] == pid].set_index("checkin")
    fl = tables.flags[tables.flags["participant"] == pid]
    flag_text = (fl.groupby("checkin")["flag"].agg(", ".join) if len(fl)
                 else pd.Series(dtype=object))
    rows.append(pd.DataFrame({
        "kind": "checkin", "item": ch["checkin"], "date": ch["submitted_at"],
        "status": ch["status"], "milestones": ch["milestones"].astype(float),
        "overall": ch["checkin"].map(ix["overall"]),
        "flags": ch["checkin"].map(flag_text).astype(object).fillna(""),
        "detail": ch["problem"]}))
    if log is not None and len(log):
        notes = log[log["participant"] == pid]
        rows.append(pd.DataFrame({"kind": "note", "item": notes["author"],
                                  "date": pd.to_datetime(notes["at"], utc=True, errors="coerce"),
                                  "detail": notes["text"]}))
    out = pd.concat([r for r in rows if len(r)], ignore_index=True) if any(
        len(r) for r in rows) else pd.DataFrame(columns=columns)
    out["participant"] = pid
    for c in columns:
        if c not in out.columns:
            out[c] = np.nan
    out["_k"] = out["kind"].map({"exercise": 0, "checkin": 1, "note": 2})
    out["_c"] = out["item"].map({c: i for i, c in enumerate(CHECKINS)})
    out = out.sort_values(["date", "_k", "_c"], na_position="last", kind="stable")
    return out[columns].reset_index(drop=True)


# --------------------------------------------------------------------------- a course directory
def course_id_of(root: Path) -> str:
    """The course id in ``<root>/nbgrader_config.py`` (nbgrader's default if none is set)."""
    try:
        from grading.course import Course  # the workflow helper's module, when present

        return Course.open(root).course_id
    except Exception:  # noqa: BLE001 - fall back to reading the config file
        pass
    config = Path(root) / "nbgrader_config.py"
    try:
        text = config.read_text(encoding="utf-8")
    except OSError:
        return "default_course"
    found = re.search(r"CourseDirectory\.course_id\s*=\s*['\"]([^'\"]+)['\"]", text)
    return found.group(1) if found else "default_course"


def _participants_csv(root: Path) -> pd.DataFrame | None:
    path = root / "participants.csv"
    if not path.exists():
        return None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError, pd.errors.ParserError):
        return None
    if "id" in df.columns and "participant" not in df.columns:
        df = df.rename(columns={"id": "participant"})
    return df if "participant" in df.columns else None


#: Letters of a pseudonym: no 0/O, 1/I/L that a reader could mix up.
PSEUDONYM_LETTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: The course's secret for pseudonyms (in the course directory, owner-only).
SECRET_NAME = ".pseudonym-secret"


def pseudonym(secret: bytes, participant: str, length: int = 6) -> str:
    """A participant's pseudonym: an HMAC of the id with the course's secret, written with
    :data:`PSEUDONYM_LETTERS`. The same id gives the same pseudonym in every report of the
    course; without the secret nobody can tell which id it belongs to, nor the order of ids.

    >>> pseudonym(b"course secret", "P01"), pseudonym(b"course secret", "P02")
    ('P-H2P4F9', 'P-5XPXPV')
    >>> pseudonym(b"another course", "P01")
    'P-MW4DKE'
    """
    import hashlib
    import hmac

    number = int.from_bytes(hmac.new(secret, participant.encode(), hashlib.sha256).digest(),
                            "big")
    letters = []
    for _ in range(length):
        number, digit = divmod(number, len(PSEUDONYM_LETTERS))
        letters.append(PSEUDONYM_LETTERS[digit])
    return "P-" + "".join(letters)


def course_secret(root: Path) -> bytes:
    """The course's pseudonym secret, made (32 random bytes) the first time: owner-only, or,
    in a course folder shared by a group (the setgid folder of the workshop hub, whose
    facilitators, and the dashboard, all read the course), readable by that group too.
    Whoever reads the course first makes it; if the others could not read it, each would
    silently use a secret of its own, and the dashboard, the reports and the facilitator
    would name the same person differently."""
    import os
    import secrets
    import stat

    path = Path(root) / SECRET_NAME
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError):
        pass
    value = secrets.token_bytes(32)
    shared = bool(os.stat(root).st_mode & stat.S_ISGID)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        if shared:  # the group's, whatever the umask of whoever made it first
            os.fchmod(handle.fileno(), 0o640)
        handle.write(value.hex())
    return value


def _stable_pseudonyms(root: Path, ids: pd.Series) -> pd.Series:
    """Pseudonyms from the course's secret (:func:`pseudonym`), so the same person has the same
    pseudonym in every report; two ids that happen to share one both get a longer one. The
    table is written to ``<root>/pseudonyms.csv`` (owner-only) for the mentor to look people
    up. A table of the old numbered kind (P-0001 in id order) is kept aside as
    ``pseudonyms-numbered.csv`` so earlier reports can still be read."""
    import os

    try:
        secret = course_secret(root)
    except OSError:  # a read-only course directory: this report only
        import secrets

        secret = secrets.token_bytes(32)
    out = ids.astype(str).map(lambda pid: pseudonym(secret, pid))
    twice = out.duplicated(keep=False)
    if twice.any():
        out[twice] = ids[twice].astype(str).map(lambda pid: pseudonym(secret, pid, 10))
    path = root / "pseudonyms.csv"
    try:
        if path.exists():
            old = pd.read_csv(path, dtype=str, keep_default_na=False)
            if old.get("pseudonym", pd.Series(dtype=str)).str.match(r"^P-\d+$").any():
                os.replace(path, root / "pseudonyms-numbered.csv")
        from widgets.csvsafe import write_private_csv

        write_private_csv(pd.DataFrame({"participant": ids.to_numpy(),
                                        "pseudonym": out.to_numpy()}), path)
    except (OSError, ValueError, pd.errors.ParserError):
        pass  # a read-only course directory: pseudonyms still work for this report
    return out


def _batch_outcomes(root: Path) -> dict[tuple[str, str], dict[str, str]]:
    """The latest grading-batch record of each (participant, assignment), if any
    (``<root>/batches/*.csv``, written by :mod:`grading.batch`)."""
    latest: dict[tuple[str, str], dict[str, str]] = {}
    folder = root / "batches"
    for record in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        try:
            frame = pd.read_csv(record, dtype=str, keep_default_na=False)
        except (OSError, ValueError, pd.errors.ParserError):
            continue
        if {"participant", "assignment", "status"} <= set(frame.columns):
            for row in frame.to_dict("records"):
                latest[(row["participant"], row["assignment"])] = row
    return latest


def _as_utc(value) -> pd.Timestamp | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    if pd.isna(stamp):
        return None
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _submission_notebook(folder: Path, assignment: str) -> Path:
    expected = folder / f"{assignment}.ipynb"
    if expected.exists() or not folder.is_dir():
        return expected
    others = sorted(folder.glob("*.ipynb"))
    return others[0] if others else expected


def load_tables(course_root: str | Path, config: Config | None = None, now=None,
                progress: bool = False) -> Tables:
    """Read a course directory into :class:`Tables`.

    - participants: the gradebook's students (nbgrader API), with gender and cohort from
      ``<root>/participants.csv``; pseudonyms kept in ``<root>/pseudonyms.csv``;
    - exercises: every assignment in the gradebook that is not a check-in, with its score;
    - check-ins: the answers read from ``submitted/<id>/checkin_<c>/checkin_<c>.ipynb`` (or the
      autograded copy when the submitted one is gone), never executed. A late one (after the due
      date, from the config's ``due_dates`` or the gradebook) is ``late``; one that cannot be
      read is ``broken``; none is ``missing``. A check-in is ``due`` once its due date has
      passed or, with no due date, once anyone has sent it.

    ``config`` defaults to ``<root>/progress_config.json`` over the defaults. ``now`` (for
    tests) is the moment due dates are compared with.
    """
    from nbgrader.api import Gradebook, MissingEntry

    root = Path(course_root).expanduser().resolve()
    if not (root / "gradebook.db").exists():
        raise CourseError(f"{root} is not a course directory (no gradebook.db); "
                          "create it with `python -m grading init`")
    config = config or load_config(root)
    now = _as_utc(now) or pd.Timestamp.now(tz="UTC")
    grace = pd.Timedelta(days=config.late_grace_days)

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}", course_id=course_id_of(root)) as gb:
        students = pd.DataFrame(
            [{"participant": s.id, "first_name": s.first_name, "last_name": s.last_name,
              "email": s.email} for s in gb.students],
            columns=["participant", "first_name", "last_name", "email"])
        assignments = {a.name: _as_utc(a.duedate) for a in gb.assignments}
        submissions = {}
        for name in assignments:
            try:
                submissions[name] = {d["student"]: d for d in gb.submission_dicts(name)}
            except MissingEntry:
                submissions[name] = {}

    extra = _participants_csv(root)
    if extra is not None:
        extra = extra.drop_duplicates("participant", keep="last")
        students = students.merge(extra, on="participant", how="outer", suffixes=("", "_csv"))
        for column in ("first_name", "last_name", "email"):
            if f"{column}_csv" in students.columns:
                mine = students[column].astype(object)
                students[column] = mine.where(mine.notna() & (mine != ""),
                                              students[f"{column}_csv"])
                students = students.drop(columns=f"{column}_csv")
    students = students.sort_values("participant", kind="stable").reset_index(drop=True)
    students["pseudonym"] = _stable_pseudonyms(root, students["participant"])

    # exercises
    outcomes = _batch_outcomes(root)
    rows = []
    exercise_names = sorted(n for n in assignments if not n.startswith("checkin_"))
    for name in exercise_names:
        graded = submissions[name]
        for pid in students["participant"]:
            sub = graded.get(pid)
            if sub is not None:
                late = (sub.get("total_seconds_late") or 0) > 0
                rows.append({"participant": pid, "assignment": name,
                             "score": sub.get("score"), "max_score": sub.get("max_score"),
                             "status": "late" if late else "graded",
                             "submitted_at": _as_utc(sub.get("timestamp")),
                             "needs_manual_grade": bool(sub.get("needs_manual_grade"))})
            elif (root / "submitted" / pid / name).is_dir():
                outcome = outcomes.get((pid, name), {}).get("status")
                rows.append({"participant": pid, "assignment": name,
                             "status": "broken" if outcome == "broken" else "submitted",
                             "submitted_at": read_timestamp(root / "submitted" / pid / name)})
    exercises = pd.DataFrame(rows, columns=[*EXERCISE_COLUMNS, "needs_manual_grade"])
    if exercise_names and exercises.empty:
        exercises = pd.DataFrame({"participant": students["participant"].iloc[:1],
                                  "assignment": exercise_names[0], "status": "missing"})

    # check-ins
    from tqdm.auto import tqdm

    records = []
    anyone = {}
    for checkin in CHECKINS:
        name = assignment_name(checkin)
        anyone[checkin] = any((root / "submitted" / pid / name).is_dir()
                              for pid in students["participant"])
    due_at = {}
    for checkin in CHECKINS:
        when = config.due_dates.get(checkin)
        due_at[checkin] = (_as_utc(pd.Timestamp(when)) if when is not None
                           else assignments.get(assignment_name(checkin)))
    pairs = [(pid, c) for pid in students["participant"] for c in CHECKINS]
    for pid, checkin in tqdm(pairs, desc="check-ins", unit="notebook", disable=not progress):
        name = assignment_name(checkin)
        folder = root / "submitted" / pid / name
        notebook = _submission_notebook(folder, name)
        if not notebook.exists():
            copy = _submission_notebook(root / "autograded" / pid / name, name)
            if copy.exists():
                notebook = copy
        read = read_checkin(notebook) if folder.is_dir() or notebook.exists() else None
        graded = submissions.get(name, {}).get(pid)
        stamp = None
        if read is not None:
            stamp = read.submitted_at
        if stamp is None and graded is not None:
            stamp = _as_utc(graded.get("timestamp"))
        deadline = due_at[checkin]
        due = (now >= deadline) if deadline is not None else anyone[checkin]
        if read is None:
            status, answers, problem = "missing", {}, ""
        else:
            status, answers, problem = read.status, read.answers, read.problem
            if status == "submitted" and deadline is not None and stamp is not None \
                    and stamp > deadline + grace:
                status = "late"
        records.append({"participant": pid, "checkin": checkin, "status": status,
                        "submitted_at": stamp, **answers, "due": bool(due or status != "missing"),
                        "problem": problem})
    checkins = pd.DataFrame(records)
    return tables_from_records(students, checkins, exercises, config)
