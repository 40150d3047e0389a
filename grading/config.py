"""Settings for progress tables, at-risk flags and the progress index.

The defaults live in ``grading/progress_config.json`` (shipped with the package). A course can
change them with its own ``progress_config.json`` in the course directory, holding only the keys
it changes; :func:`load_config` merges it over the defaults and checks everything, so a typo or a
set of weights that does not add up stops with a clear message instead of a wrong report.

>>> config = load_config()
>>> config.flags["savings_behind_plan"]["below_pct_of_plan"]
50
>>> config.index["dimension_weights"]
{'economic': 0.4, 'social': 0.3, 'psychosocial': 0.3}

Change one threshold; everything else keeps its default:

>>> config_from_dict({"flags": {"low_wellbeing": {"at_most": 1}}}).flags["low_wellbeing"]
{'enabled': True, 'at_most': 1, 'reason': 'She rates how she feels as low: listen, and refer to psychosocial support if she wants it.'}

Weights must add up to 1 in each dimension; the error names the key:

>>> config_from_dict({"index": {"social": {"family": 0.7, "community": 0.7}}})
Traceback (most recent call last):
...
grading.config.ConfigError: index.social: the weights add up to 1.4; they must add up to 1
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from grading.checkins import CHECKINS

DEFAULTS_PATH = Path(__file__).with_name("progress_config.json")

#: The name of a course's own settings file, in the course directory.
COURSE_CONFIG_NAME = "progress_config.json"

#: Indicators of Homeward's progress index, by dimension, with what each one measures
#: (0 = worst, 100 = best). The facilitator guide copies this list.
INDICATORS: dict[str, dict[str, str]] = {
    "economic": {
        "savings_vs_plan": "savings as a share of the plan, 100 at or above the plan",
        "emergency_fund": "months of spending the emergency fund covers, 100 at the full mark "
                          "(index.scales.emergency_fund_full_at_months)",
        "debt_burden": "100 with no repayments, falling in a straight line to 0 when repayments "
                       "take index.scales.debt_burden_zero_at_pct % of income",
        "income_source": "100 with stable work or a running business, 50 with paid work that "
                         "is not regular, else 0",
    },
    "social": {
        "family": "her rating of family life, 1 to 5, scaled to 0-100",
        "community": "her rating of life in her community, 1 to 5, scaled to 0-100",
    },
    "psychosocial": {
        "wellbeing": "her rating of how she feels, 1 to 5, scaled to 0-100",
        "plans_ahead": "100 when she wrote her next milestones, else 0",
    },
}
DIMENSIONS = tuple(INDICATORS)

#: Flag rules and their numeric settings: (key, lowest, highest).
FLAG_SETTINGS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "missed_checkin": (),
    "savings_behind_plan": (("below_pct_of_plan", 0, 100),),
    "repayment_too_high": (("above_pct_of_income", 0, 100),),
    "business_closed": (),
    "low_wellbeing": (("at_most", 1, 5),),
}
STATUSES_FLAGGED = {"missing", "broken", "late"}
SCALES = {"emergency_fund_full_at_months": (0.5, 24), "debt_burden_zero_at_pct": (1, 100)}
TOP_KEYS = {"min_group", "late_grace_days", "due_dates", "flags", "index"}


class ConfigError(ValueError):
    """A setting that cannot be used. ``key`` names it (e.g. ``index.social``)."""

    def __init__(self, key: str, message: str):
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True)
class Config:
    """Checked settings. Build it with :func:`load_config` or :func:`config_from_dict`."""

    min_group: int
    late_grace_days: float
    due_dates: dict[str, date]
    flags: dict[str, dict[str, Any]]
    index: dict[str, Any]

    def weights(self, dimension: str) -> dict[str, float]:
        """The indicator weights of one dimension."""
        return dict(self.index[dimension])


def defaults() -> dict[str, Any]:
    """The default settings as plain data (a fresh copy)."""
    return json.loads(DEFAULTS_PATH.read_text(encoding="utf-8"))


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Merge a course's changes over the defaults.

    Flags and scales merge key by key (change one threshold, keep the rest); a dimension's
    indicator weights, the dimension weights and the due dates are replaced as a whole, so that
    leaving out an indicator really removes it.
    """
    out = copy.deepcopy(base)
    if not isinstance(changes, dict):
        raise ConfigError("(file)", "the settings must be a JSON object")
    for key, value in changes.items():
        if key not in TOP_KEYS:
            raise ConfigError(key, f"unknown setting; known settings: {', '.join(sorted(TOP_KEYS))}")
        if key == "flags":
            if not isinstance(value, dict):
                raise ConfigError("flags", "must be an object of flag rules")
            for code, rule in value.items():
                if code not in FLAG_SETTINGS:
                    raise ConfigError(f"flags.{code}",
                                      f"unknown flag; known flags: {', '.join(FLAG_SETTINGS)}")
                if not isinstance(rule, dict):
                    raise ConfigError(f"flags.{code}", "must be an object")
                out["flags"][code].update(rule)
        elif key == "index":
            if not isinstance(value, dict):
                raise ConfigError("index", "must be an object")
            for part, setting in value.items():
                if part == "scales":
                    if not isinstance(setting, dict):
                        raise ConfigError("index.scales", "must be an object")
                    out["index"]["scales"].update(setting)
                elif part in (*DIMENSIONS, "dimension_weights"):
                    out["index"][part] = setting
                else:
                    raise ConfigError(f"index.{part}", "unknown part of the index; known: "
                                      + ", ".join((*DIMENSIONS, "dimension_weights", "scales")))
        else:
            out[key] = value
    return out


def _number(key: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(key, f"must be a number, not {value!r}")
    if not low <= value <= high:
        raise ConfigError(key, f"must be between {low:g} and {high:g}, not {value:g}")
    return value


def _weights(key: str, weights: Any, allowed: tuple[str, ...] | dict) -> dict[str, float]:
    if not isinstance(weights, dict) or not weights:
        raise ConfigError(key, "must be an object of weights, e.g. {\"family\": 0.5, ...}")
    for name, weight in weights.items():
        if name not in allowed:
            raise ConfigError(f"{key}.{name}",
                              f"unknown; choose from {', '.join(allowed)}")
        _number(f"{key}.{name}", weight, 0, 1)
    total = sum(weights.values())
    if abs(total - 1.0) > 1e-6:
        raise ConfigError(key, f"the weights add up to {total:g}; they must add up to 1")
    return {name: float(w) for name, w in weights.items()}


def _check(raw: dict[str, Any]) -> Config:
    min_group = raw["min_group"]
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 5:
        raise ConfigError("min_group", "must be a whole number of at least 5 (groups smaller "
                          "than 5 people are never shown)")
    grace = _number("late_grace_days", raw["late_grace_days"], 0, 365)

    if not isinstance(raw["due_dates"], dict):
        raise ConfigError("due_dates", "must be an object such as {\"m03\": \"2026-04-30\"}")
    due_dates = {}
    for checkin, text in raw["due_dates"].items():
        if checkin not in CHECKINS:
            raise ConfigError(f"due_dates.{checkin}", f"unknown check-in; use {', '.join(CHECKINS)}")
        try:
            due_dates[checkin] = date.fromisoformat(str(text))
        except ValueError:
            raise ConfigError(f"due_dates.{checkin}",
                              f"{text!r} is not a date written as YYYY-MM-DD") from None

    flags = {}
    for code, settings in FLAG_SETTINGS.items():
        rule = dict(raw["flags"][code])
        known = {"enabled", "reason", *(name for name, _, _ in settings)}
        if code == "missed_checkin":
            known.add("statuses")
        for name in rule:
            if name not in known:
                raise ConfigError(f"flags.{code}.{name}",
                                  f"unknown setting; known: {', '.join(sorted(known))}")
        if not isinstance(rule.get("enabled"), bool):
            raise ConfigError(f"flags.{code}.enabled", "must be true or false")
        if not isinstance(rule.get("reason"), str) or not rule["reason"].strip():
            raise ConfigError(f"flags.{code}.reason", "write the reason a mentor reads")
        for name, low, high in settings:
            if name not in rule:
                raise ConfigError(f"flags.{code}.{name}", "missing")
            _number(f"flags.{code}.{name}", rule[name], low, high)
        if code == "missed_checkin":
            statuses = rule.get("statuses")
            if not isinstance(statuses, list) or not set(statuses) <= STATUSES_FLAGGED:
                raise ConfigError("flags.missed_checkin.statuses",
                                  f"must be a list drawn from {sorted(STATUSES_FLAGGED)}")
        flags[code] = rule

    index = raw["index"]
    dimension_weights = index.get("dimension_weights")
    if isinstance(dimension_weights, dict):
        missing = [d for d in DIMENSIONS if d not in dimension_weights]
        if missing:
            raise ConfigError("index.dimension_weights",
                              f"give every dimension a weight (0 is allowed); missing: "
                              f"{', '.join(missing)}")
    checked: dict[str, Any] = {
        "dimension_weights": _weights("index.dimension_weights", dimension_weights, DIMENSIONS)}
    for dimension in DIMENSIONS:
        checked[dimension] = _weights(f"index.{dimension}", index.get(dimension),
                                      tuple(INDICATORS[dimension]))
    scales = index.get("scales", {})
    for name in scales:
        if name not in SCALES:
            raise ConfigError(f"index.scales.{name}", f"unknown; known: {', '.join(SCALES)}")
    checked["scales"] = {name: float(_number(f"index.scales.{name}", scales.get(name), lo, hi))
                         for name, (lo, hi) in SCALES.items()}
    return Config(min_group=min_group, late_grace_days=float(grace), due_dates=due_dates,
                  flags=flags, index=checked)


def config_from_dict(changes: dict[str, Any] | None = None) -> Config:
    """The defaults with ``changes`` merged over them, checked."""
    return _check(_merge(defaults(), changes or {}))


def load_config(path: str | Path | None = None) -> Config:
    """Read settings from a JSON file (only the keys it changes), or the defaults.

    A directory means the course directory: its ``progress_config.json`` is used if present.
    """
    if path is None:
        return config_from_dict({})
    path = Path(path)
    if path.is_dir():
        path = path / COURSE_CONFIG_NAME
        if not path.exists():
            return config_from_dict({})
    try:
        changes = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(str(path), "the settings file does not exist") from None
    except json.JSONDecodeError as err:
        raise ConfigError(str(path), f"not valid JSON (line {err.lineno}: {err.msg})") from None
    return config_from_dict(changes)
