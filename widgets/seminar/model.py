"""The data and logic behind the five-day reintegration seminar.

This module has no user interface. Everything here is a plain table (pandas), a dataclass or a
pure function, so that the lesson notebooks, the exercises, the ipywidgets views and the tests
all use the same code.

Every fact comes from the seed documents in ``shared/seeds/`` or from the confirmed parts of
the project's reference notes. Each record carries a ``source`` (or ``seed``) column naming
the documents it comes from by their ``id`` in ``data/references.json`` (``000`` to ``004`` for
the seeds, names such as ``ra11641`` for the others) and the section, and an ``evidence`` field:
for each document, the words the test suite finds in it. People never see an id or a file
name: :func:`cite` and :func:`readable` show the documents' short titles, and the course's
references page lists their real titles.

The seeds are:

* ``000`` the five-day seminar outline (``000_04e402360868283e.txt``);
* ``001`` the ASEAN workshop concept on reintegration (``001_25f003c2f22d8644.txt``);
* ``002`` the Philippine national action plan on sustainable, gender-responsive return and
  reintegration (``002_f202f19aa2ce9c7c.txt``);
* ``003`` the ILO-EU return and reintegration project press release (``003_940de0aa6e76d8f2.txt``);
* ``004`` the ILO-UN Women workshop conclusions and recommendations (``004_986bc41f1e442074.txt``).

Invalid input raises ``ValueError`` and the message starts with the name of the field.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources

import pandas as pd

from widgets.csvsafe import safe_cell, safe_frame, unsafe_cell

SEED_FILES = {
    "000": "000_04e402360868283e.txt",
    "001": "001_25f003c2f22d8644.txt",
    "002": "002_f202f19aa2ce9c7c.txt",
    "003": "003_940de0aa6e76d8f2.txt",
    "004": "004_986bc41f1e442074.txt",
}

LEVELS = ("international", "regional", "national", "local")
SUPPORT_TYPES = ("psychosocial", "investment", "technical", "vocational", "entrepreneurship")
STAGES = ("pre-departure", "on-site", "return", "reintegration")
SITE_KINDS = ("centre-based", "community-based", "school-based")
VISIT_PHASES = ("before", "during", "after")
DIMENSIONS = ("economic", "social", "psychosocial")
MAX_MONTH = 36


# --------------------------------------------------------------------------- data files
def _read_text(name: str) -> str:
    return resources.files("widgets.seminar").joinpath("data", name).read_text(encoding="utf-8")


@cache
def _json(name: str) -> tuple:
    return tuple(json.loads(_read_text(name)))


def _frame(name: str) -> pd.DataFrame:
    """The records of a data file; ``evidence`` (the quotes the tests check) is left out."""
    return pd.DataFrame([{k: v for k, v in r.items() if k != "evidence"} for r in _json(name)])


def _require_text(value, field_name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{field_name}: must be filled in (got {value!r})")
    return value.strip()


def _require_choice(value, choices: Iterable[str], field_name: str) -> str:
    choices = tuple(choices)
    if value not in choices:
        raise ValueError(f"{field_name}: {value!r} is not one of {', '.join(choices)}")
    return value


# --------------------------------------------------------------------------- references
REFERENCE_COLUMNS = ["id", "kind", "short", "title", "by", "year", "used_for"]


def references() -> pd.DataFrame:
    """Every document, law and programme the course takes facts from, by its real title.

    A ``source`` in the data names these by ``id`` (``002`` is the national action plan).
    People never see an id: :func:`cite` turns a source into short titles.

    >>> refs = references().set_index("id")
    >>> refs.loc["002", "title"][:50]
    'National Action Plan on Sustainable, Gender-Respon'
    >>> refs.loc["ra11641", "short"]
    'Republic Act 11641'
    """
    table = _frame("references.json")
    table["year"] = table["year"].astype("Int64")
    return table[REFERENCE_COLUMNS]


REFERENCE_GROUPS = {
    "Documents": ("document",),
    "Laws and policies": ("law", "policy"),
    "Programmes": ("programme",),
    "Organisations and offices": ("organisation", "institutions"),
    "Common practices and tools": ("practice", "tool"),
}


def references_markdown() -> str:
    """The references page: every reference by its real title, grouped by kind.

    >>> page = references_markdown()
    >>> page.splitlines()[0]
    '## Documents'
    >>> "General Principles and Operational Guidelines for Fair Recruitment" in page
    True
    """
    refs = references()
    lines = []
    for heading, kinds in REFERENCE_GROUPS.items():
        rows = refs[refs["kind"].isin(kinds)]
        if rows.empty:
            continue
        lines += ([""] if lines else []) + [f"## {heading}", ""]
        for r in rows.itertuples():
            year = "" if pd.isna(r.year) else f", {r.year}"
            short = r.short.removeprefix("the ")
            lines.append(f"- **{short[:1].upper() + short[1:]}**: {r.title} ({r.by}{year}). "
                         f"*Used for:* {r.used_for}.")
    return "\n".join(lines)


@cache
def _reference_index() -> dict[str, dict]:
    return {r["id"]: dict(r) for r in _json("references.json")}


def source_parts(source: str) -> list[tuple[str, str]]:
    """Split a data ``source`` into (reference id, section) pairs.

    Parts are separated by ``;``; each starts with a reference id, then the section.

    >>> source_parts("002 I.2; ra8042")
    [('002', 'I.2'), ('ra8042', '')]
    """
    pairs = []
    for part in str(source).split(";"):
        part = part.strip()
        if part:
            ref, _, section = part.partition(" ")
            pairs.append((ref, section.strip()))
    return pairs


def cite(source: str) -> str:
    """A data ``source`` as people read it: short titles and sections, never ids or files.

    >>> cite("002 I.2; ra8042")
    'National action plan, I.2; Republic Act 8042'
    >>> cite("004 4.4, 5.3.1")
    'ILO-UN Women workshop (2014), 4.4, 5.3.1'

    Anything that is not a reference (a partner a participant added) is kept as it is:

    >>> cite("added by participant")
    'added by participant'
    """
    index = _reference_index()
    parts = source_parts(source)
    if not parts or any(ref not in index for ref, _ in parts):
        return str(source)
    out = []
    for ref, section in parts:
        short = index[ref]["short"].removeprefix("the ")
        short = short[:1].upper() + short[1:]
        out.append(f"{short}, {section}" if section else short)
    return "; ".join(out)


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every source column cited by short titles (for people).

    >>> readable(challenges())["source"].iloc[0]
    'National action plan, I.4; ILO-EU conference release (2012); ILO-UN Women workshop (2014), intro'
    """
    out = table.drop(columns=[c for c in ("evidence",) if c in table.columns])
    for column in ("source", "sources", "seed"):
        if column in out.columns:
            out[column] = out[column].map(cite)
    return out


# --------------------------------------------------------------------------- policy map
def policies() -> pd.DataFrame:
    """All frameworks, laws, plans and commitments on the policy map.

    One row per policy, with what it requires, who is responsible and the source.

    >>> table = policies()
    >>> list(table.columns)
    ['id', 'name', 'year', 'level', 'kind', 'requires', 'responsible', 'source']
    >>> table.set_index("id").loc["gcm21", "requires"][:44]
    'Cooperate in facilitating safe and dignified'
    """
    table = _frame("policies.json")
    table["year"] = table["year"].astype("Int64")
    return table


def policy_kinds() -> list[str]:
    """The kinds of policy on the map, for a filter menu.

    >>> "law" in policy_kinds() and "ordinance" in policy_kinds()
    True
    """
    return sorted(policies()["kind"].unique())


def search_policies(
    query: str = "", level: str | None = None, kind: str | None = None,
    responsible: str = "",
) -> pd.DataFrame:
    """Find policies whose name, requirement or source contains ``query``.

    The search ignores upper and lower case. ``level`` and ``kind`` filter exactly;
    ``responsible`` matches part of the "responsible" column. Empty means "any".

    Which laws in the national action plan deal with trafficking?

    >>> search_policies("trafficking", level="national")["id"].tolist()
    ['ra9208']

    Which local policies are there?

    >>> search_policies(level="local")["id"].tolist()
    ['mwofrc', 'local_md_plan', 'peso']

    A level that does not exist is an error that names the field:

    >>> search_policies(level="planet")
    Traceback (most recent call last):
    ...
    ValueError: level: 'planet' is not one of international, regional, national, local
    """
    table = policies()
    if level:
        _require_choice(level, LEVELS, "level")
        table = table[table["level"] == level]
    if kind:
        _require_choice(kind, policy_kinds(), "kind")
        table = table[table["kind"] == kind]
    if responsible and responsible.strip():
        table = table[table["responsible"].str.contains(responsible.strip(), case=False,
                                                        regex=False)]
    if query and query.strip():
        q = query.strip()
        hit = pd.Series(False, index=table.index)
        for column in ("name", "requires", "source", "responsible"):
            hit |= table[column].str.contains(q, case=False, regex=False)
        table = table[hit]
    return table.reset_index(drop=True)


def locality_checklist() -> pd.DataFrame:
    """What a locality can have in place for returnees, drawn from the seeds.

    >>> locality_checklist().loc[0, "item"][:44]
    'A local shelter for returning women in distr'
    """
    return _frame("locality_checklist.json")


def locality_gaps(present: Iterable[str]) -> pd.DataFrame:
    """The checklist items a locality does *not* yet have: its gaps.

    ``present`` lists the ids of the items the locality already has.

    A municipality with a resource centre and a PESO still lacks ten things:

    >>> gaps = locality_gaps(["resource_centre", "peso"])
    >>> len(gaps)
    10
    >>> "returnee_database" in gaps["id"].tolist()
    True

    An id that is not on the checklist is an error:

    >>> locality_gaps(["swimming_pool"])
    Traceback (most recent call last):
    ...
    ValueError: present: unknown checklist item 'swimming_pool'
    """
    checklist = locality_checklist()
    known = set(checklist["id"])
    present = list(present)
    for item in present:
        if item not in known:
            raise ValueError(f"present: unknown checklist item {item!r}")
    return checklist[~checklist["id"].isin(present)].reset_index(drop=True)


# --------------------------------------------------------------------------- concepts
def definitions(term: str | None = None) -> pd.DataFrame:
    """The working definitions of the national action plan (002 I.6), side by side.

    Each row gives the document the definition comes from, a plain-language version and a
    short key phrase quoted from it.

    >>> definitions("reintegration")["source_document"].str[:4].tolist()
    ['IOM ', 'Retu', 'UNHC']
    >>> sorted(definitions()["term"].unique())
    ['reintegration', 'return', 'sustainable reintegration']
    """
    table = _frame("definitions.json")
    if term is not None:
        _require_choice(term, tuple(table["term"].unique()), "term")
        table = table[table["term"] == term].reset_index(drop=True)
    return table


def dimensions() -> pd.DataFrame:
    """The three dimensions of reintegration: economic, social and psychosocial.

    >>> dimensions()["dimension"].tolist()
    ['economic', 'social', 'psychosocial']
    """
    return _frame("dimensions.json")


def approaches() -> pd.DataFrame:
    """Development-oriented, gender-responsive and rights-based reintegration (module 2).

    >>> approaches()["approach"].tolist()
    ['development-oriented', 'gender-responsive', 'rights-based']
    """
    return _frame("approaches.json")


def nap_objectives() -> pd.DataFrame:
    """The seven strategic objectives of the national action plan, in short (002 II, IV).

    >>> len(nap_objectives())
    7
    """
    return _frame("nap_objectives.json")


# --------------------------------------------------------------------------- figures
def figures(table: str | None = None) -> pd.DataFrame:
    """The figures in the seeds, one row per number, with their source.

    ``table`` picks one group: ``deployment``, ``unemployment``, ``returnee_survey``,
    ``remigration`` or ``asean_stock``.

    >>> dep = figures("deployment")
    >>> dep[["year", "value"]].values.tolist()
    [[2019, 2160000.0], [2020, 549841.0]]
    >>> dep["source"].unique().tolist()
    ['POEA']
    """
    frame = pd.read_csv(io.StringIO(_read_text("figures.csv")))
    frame["year"] = frame["year"].astype("Int64")
    frame["value"] = frame["value"].astype(float)
    if table is not None:
        _require_choice(table, tuple(frame["table"].unique()), "table")
        frame = frame[frame["table"] == table].reset_index(drop=True)
    return frame


def percent_change(before: float, after: float) -> float:
    """Change from ``before`` to ``after``, in percent of ``before``.

    A fall is negative. Deployment fell from 2.16 million (2019) to 549,841 (2020);
    the seed (002 I.4) rounds the fall to 75%:

    >>> round(percent_change(2_160_000, 549_841), 1)
    -74.5

    ``before`` cannot be zero, because nothing can be a percentage of zero:

    >>> percent_change(0, 5)
    Traceback (most recent call last):
    ...
    ValueError: before: must not be zero
    """
    if before == 0:
        raise ValueError("before: must not be zero")
    return (after - before) / before * 100.0


def deployment_summary() -> pd.DataFrame:
    """Deployment before and after 2020, with the change computed from the two figures.

    >>> s = deployment_summary()
    >>> float(s.loc[0, "change_percent"])
    -74.5
    """
    dep = figures("deployment").set_index("year")["value"]
    return pd.DataFrame({
        "deployed_2019": [int(dep.loc[2019])],
        "deployed_2020": [int(dep.loc[2020])],
        "change_percent": [round(percent_change(dep.loc[2019], dep.loc[2020]), 1)],
        "source": ["POEA, in 002 I.4"],
    })


def survey_people(respondents: int = 8332) -> pd.DataFrame:
    """Turn the IOM survey percentages (002 I.4) into approximate numbers of people.

    The seed gives percentages of the 8,332 returned workers in the study. The counts here are
    computed from those percentages and rounded, so they are approximate.

    >>> t = survey_people()
    >>> int(t.set_index("indicator").loc["Unemployed three months after return", "approx_people"])
    6916
    """
    survey = figures("returnee_survey")[["indicator", "value", "source"]].copy()
    survey = survey.rename(columns={"value": "percent"})
    survey["approx_people"] = (survey["percent"] / 100 * respondents).round().astype(int)
    return survey


# --------------------------------------------------------------------------- partners
@dataclass(frozen=True)
class Partner:
    """One organisation that can support returnees and their families.

    >>> p = Partner("Barangay cooperative", "private sector", ("investment",), ("reintegration",))
    >>> p.support
    ('investment',)
    >>> Partner("", "civil society", ("psychosocial",), ("return",))
    Traceback (most recent call last):
    ...
    ValueError: name: must be filled in (got '')
    """

    name: str
    sector: str
    support: tuple[str, ...]
    stages: tuple[str, ...]
    what: str = ""
    source: str = "added by participant"

    def __post_init__(self):
        object.__setattr__(self, "name", _require_text(self.name, "name"))
        object.__setattr__(self, "sector", _require_text(self.sector, "sector"))
        support = tuple(self.support)
        stages = tuple(self.stages)
        if not support:
            raise ValueError("support: choose at least one kind of support")
        if not stages:
            raise ValueError("stages: choose at least one stage of the migration cycle")
        for s in support:
            _require_choice(s, SUPPORT_TYPES, "support")
        for s in stages:
            _require_choice(s, STAGES, "stages")
        object.__setattr__(self, "support", support)
        object.__setattr__(self, "stages", stages)


def seed_partners() -> list[Partner]:
    """The kinds of partner the seeds name, with the support they give and when.

    >>> names = [p.name for p in seed_partners()]
    >>> any(n.startswith("PESO") for n in names)
    True
    """
    return [Partner(r["name"], r["sector"], tuple(r["support"]), tuple(r["stages"]),
                    r["what"], r["source"]) for r in _json("partners.json")]


PARTNER_COLUMNS = ["name", "sector", "support", "stages", "what", "source"]


def partners_frame(partners: Iterable[Partner]) -> pd.DataFrame:
    """A table of partners; support types and stages are joined with ``; ``.

    >>> partners_frame(seed_partners()[:1]).loc[0, "support"]
    'psychosocial; entrepreneurship'
    """
    rows = []
    for p in partners:
        row = asdict(p)
        row["support"] = "; ".join(p.support)
        row["stages"] = "; ".join(p.stages)
        rows.append(row)
    return pd.DataFrame(rows, columns=PARTNER_COLUMNS)


def filter_partners(partners: Iterable[Partner], support: str | None = None,
                    stage: str | None = None, text: str = "") -> list[Partner]:
    """Partners that give ``support`` at ``stage`` (empty means any).

    Who gives investment support while the worker is still abroad (on-site)?

    >>> [p.name for p in filter_partners(seed_partners(), "investment", "on-site")]
    ['Banks and cooperatives', 'Employers, recruitment agencies and money transfer organisations']
    """
    if support:
        _require_choice(support, SUPPORT_TYPES, "support")
    if stage:
        _require_choice(stage, STAGES, "stage")
    out = []
    for p in partners:
        if support and support not in p.support:
            continue
        if stage and stage not in p.stages:
            continue
        if text and text.strip().lower() not in (p.name + " " + p.what).lower():
            continue
        out.append(p)
    return out


def coverage(partners: Iterable[Partner]) -> pd.DataFrame:
    """How many partners give each kind of support at each stage.

    A zero is a gap in the local network of support.

    >>> c = coverage(seed_partners())
    >>> list(c.columns) == list(STAGES) and list(c.index) == list(SUPPORT_TYPES)
    True
    >>> int(c.loc["vocational", "on-site"])
    0
    """
    table = pd.DataFrame(0, index=list(SUPPORT_TYPES), columns=list(STAGES))
    for p in partners:
        for s in p.support:
            for st in p.stages:
                table.loc[s, st] += 1
    return table


def partners_to_csv(partners: Iterable[Partner]) -> str:
    """Export the partner map as CSV text (UTF-8), one partner per row.

    >>> text = partners_to_csv([Partner("Women's cooperative", "private sector",
    ...                                 ("investment", "entrepreneurship"), ("reintegration",))])
    >>> text.splitlines()[1]
    "Women's cooperative,private sector,investment; entrepreneurship,reintegration,,added by participant"

    A name typed as a spreadsheet formula is written as text (:mod:`widgets.csvsafe`), and read
    back as typed:

    >>> odd = [Partner("=HYPERLINK(1)", "private sector", ("investment",), ("reintegration",))]
    >>> partners_to_csv(odd).splitlines()[1][:15]
    "'=HYPERLINK(1),"
    >>> partners_from_csv(partners_to_csv(odd))[0].name
    '=HYPERLINK(1)'
    """
    return safe_frame(partners_frame(partners)).to_csv(index=False, lineterminator="\n")


def partners_from_csv(text: str) -> list[Partner]:
    """Read a partner map back from :func:`partners_to_csv`.

    >>> ps = seed_partners()
    >>> partners_from_csv(partners_to_csv(ps)) == ps
    True
    """
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).map(unsafe_cell)
    return [Partner(r["name"], r["sector"],
                    tuple(s.strip() for s in r["support"].split(";") if s.strip()),
                    tuple(s.strip() for s in r["stages"].split(";") if s.strip()),
                    r["what"], r["source"]) for _, r in frame.iterrows()]


# --------------------------------------------------------------------------- matcher
def challenges() -> pd.DataFrame:
    """Challenges returnees face, as the seeds describe them.

    >>> challenges().set_index("id").loc["no_capital", "dimension"]
    'economic'
    """
    return _frame("challenges.json")


def practices() -> pd.DataFrame:
    """Good practices named in the seeds, described only as far as the seeds go.

    >>> practices().set_index("id").loc["mexico_2x1", "country"]
    'Mexico'
    """
    return _frame("practices.json")


def links() -> pd.DataFrame:
    """Which practice answers which challenge, and why (the reasoning).

    >>> links().columns.tolist()
    ['challenge', 'practice', 'reasoning']
    """
    return _frame("links.json")


def match(challenge_ids: Iterable[str]) -> pd.DataFrame:
    """Practices that answer the chosen challenges, best first.

    A practice that answers more of the chosen challenges comes first. The ``reasoning``
    column says, for each challenge, why the practice helps.

    A woman domestic worker comes home with savings in her husband's account and no capital
    of her own:

    >>> m = match(["savings_control", "no_capital"])
    >>> m.loc[0, "practice"], int(m.loc[0, "challenges_met"])
    ('rec_own_savings', 1)
    >>> match(["stigma"])["practice"].tolist()
    ['rec_stigma', 'nap_forums']
    >>> sorted(m["practice"])[:3]
    ['balik_pinay', 'rec_credit', 'rec_own_savings']

    An unknown challenge is an error naming the field:

    >>> match(["bad_weather"])
    Traceback (most recent call last):
    ...
    ValueError: challenges: unknown challenge 'bad_weather'
    """
    chosen = list(dict.fromkeys(challenge_ids))
    known = set(challenges()["id"])
    for c in chosen:
        if c not in known:
            raise ValueError(f"challenges: unknown challenge {c!r}")
    columns = ["practice", "name", "country", "challenges_met", "reasoning", "what", "source"]
    if not chosen:
        return pd.DataFrame(columns=columns)
    names = challenges().set_index("id")["challenge"]
    chosen_links = links()[links()["challenge"].isin(chosen)]
    info = practices().set_index("id")
    rows = []
    for practice_id, group in chosen_links.groupby("practice", sort=False):
        reasons = [f"{names[c]}: {r}" for c, r in zip(group["challenge"], group["reasoning"],
                                                      strict=True)]
        rows.append({
            "practice": practice_id,
            "name": info.loc[practice_id, "name"],
            "country": info.loc[practice_id, "country"],
            "challenges_met": len(group),
            "reasoning": " | ".join(reasons),
            "what": info.loc[practice_id, "what"],
            "source": info.loc[practice_id, "source"],
            "order": min(chosen.index(c) for c in group["challenge"]),
            "row": int(group.index.min()),
        })
    table = pd.DataFrame(rows, columns=[*columns, "order", "row"])
    table = table.sort_values(["challenges_met", "order", "row"], ascending=[False, True, True])
    return table.drop(columns=["order", "row"]).reset_index(drop=True)


# --------------------------------------------------------------------------- action plan
@dataclass
class Action:
    """One action in a local reintegration action plan.

    Months count from the start of the plan (month 1). ``end_month`` is the last month of the
    action.

    >>> a = Action("Open a returnee help desk at the municipal hall", "PESO and social welfare office",
    ...            "Number of returnees served, women and men", 1, 3)
    >>> a.validate().months
    3
    >>> Action("Train counsellors", "", "Counsellors trained", 2, 4).validate()
    Traceback (most recent call last):
    ...
    ValueError: responsible: must be filled in (got '')
    """

    description: str
    responsible: str
    indicator: str
    start_month: int
    end_month: int

    @property
    def months(self) -> int:
        return self.end_month - self.start_month + 1

    def validate(self) -> Action:
        _require_text(self.description, "description")
        _require_text(self.responsible, "responsible")
        _require_text(self.indicator, "indicator")
        for name in ("start_month", "end_month"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name}: must be a whole number of months (got {value!r})")
            if not 1 <= value <= MAX_MONTH:
                raise ValueError(f"{name}: must be between 1 and {MAX_MONTH} (got {value})")
        if self.end_month < self.start_month:
            raise ValueError(f"end_month: must not be before start_month "
                             f"({self.end_month} < {self.start_month})")
        return self


@dataclass
class Objective:
    """An objective of the plan, with the actions that reach it."""

    title: str
    actions: list[Action] = field(default_factory=list)

    def validate(self) -> Objective:
        _require_text(self.title, "objective")
        if not self.actions:
            raise ValueError(f"actions: objective {self.title!r} has no actions yet")
        for action in self.actions:
            action.validate()
        return self


@dataclass
class ActionPlan:
    """A local reintegration action plan: objectives, actions, partners, indicators, timeline.

    An illustrative plan for a municipality (the names are made up):

    >>> plan = ActionPlan("San Isidro (illustrative)", "Returning women workers first",
    ...                   "Municipal M&D council")
    >>> plan.add_action("Women returnees find local work", Action(
    ...     "Refer returnees to the PESO", "PESO", "Returnees placed, by sex", 2, 12))
    >>> plan.validate().locality
    'San Isidro (illustrative)'
    >>> plan.duration_months
    12

    A plan with no objectives cannot be exported:

    >>> ActionPlan("San Isidro", "Plan", "Council").validate()
    Traceback (most recent call last):
    ...
    ValueError: objectives: add at least one objective with an action
    """

    locality: str
    title: str
    prepared_by: str
    objectives: list[Objective] = field(default_factory=list)

    def add_action(self, objective: str, action: Action) -> None:
        """Add ``action`` under ``objective``, creating the objective if it is new."""
        objective = _require_text(objective, "objective")
        action.validate()
        for obj in self.objectives:
            if obj.title == objective:
                obj.actions.append(action)
                return
        self.objectives.append(Objective(objective, [action]))

    def remove_last_action(self) -> Action | None:
        """Remove the most recently added action (and its objective if it becomes empty)."""
        if not self.objectives:
            return None
        obj = self.objectives[-1]
        action = obj.actions.pop() if obj.actions else None
        if not obj.actions:
            self.objectives.pop()
        return action

    @property
    def actions(self) -> list[tuple[str, Action]]:
        return [(o.title, a) for o in self.objectives for a in o.actions]

    @property
    def duration_months(self) -> int:
        return max((a.end_month for _, a in self.actions), default=0)

    def validate(self) -> ActionPlan:
        _require_text(self.locality, "locality")
        _require_text(self.title, "title")
        _require_text(self.prepared_by, "prepared_by")
        if not self.objectives:
            raise ValueError("objectives: add at least one objective with an action")
        for obj in self.objectives:
            obj.validate()
        return self


PLAN_COLUMNS = ["locality", "title", "prepared_by", "objective", "action", "responsible",
                "indicator", "start_month", "end_month"]


def plan_frame(plan: ActionPlan) -> pd.DataFrame:
    """The plan as a table, one row per action.

    >>> plan = ActionPlan("Town", "Plan", "Council")
    >>> plan.add_action("Data", Action("Count returnees", "LGU", "Database updated", 1, 2))
    >>> plan_frame(plan)[["objective", "action", "start_month"]].values.tolist()
    [['Data', 'Count returnees', 1]]
    """
    rows = [{
        "locality": plan.locality, "title": plan.title, "prepared_by": plan.prepared_by,
        "objective": objective, "action": a.description, "responsible": a.responsible,
        "indicator": a.indicator, "start_month": a.start_month, "end_month": a.end_month,
    } for objective, a in plan.actions]
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def plan_to_csv(plan: ActionPlan) -> str:
    """Export a valid plan as CSV text that a spreadsheet can open.

    >>> plan = ActionPlan("Town", "Plan", "Council")
    >>> plan.add_action("Data", Action("Count returnees", "LGU", "Database updated", 1, 2))
    >>> plan_to_csv(plan).splitlines()[0]
    'locality,title,prepared_by,objective,action,responsible,indicator,start_month,end_month'
    """
    plan.validate()
    return safe_frame(plan_frame(plan)).to_csv(index=False, lineterminator="\n")


def plan_from_csv(text: str) -> ActionPlan:
    """Re-open a plan exported by :func:`plan_to_csv`.

    >>> plan = ActionPlan("Town", "Plan", "Council")
    >>> plan.add_action("Data", Action("Count returnees", "LGU", "Database updated", 1, 2))
    >>> plan_from_csv(plan_to_csv(plan)) == plan
    True
    """
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).map(unsafe_cell)
    missing = [c for c in PLAN_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"csv: missing columns {', '.join(missing)}")
    if frame.empty:
        raise ValueError("csv: the file has no actions")
    first = frame.iloc[0]
    plan = ActionPlan(first["locality"], first["title"], first["prepared_by"])
    for _, row in frame.iterrows():
        months = {}
        for name in ("start_month", "end_month"):
            try:
                months[name] = int(row[name])
            except ValueError:
                raise ValueError(f"{name}: {row[name]!r} is not a whole number") from None
        plan.add_action(row["objective"], Action(row["action"], row["responsible"],
                                                 row["indicator"], **months))
    return plan.validate()


def _font_path(bold: bool = False) -> str:
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name)


def plan_to_pdf(plan: ActionPlan) -> bytes:
    """Export a valid plan as a printable A4 PDF (landscape) with a month-by-month timeline.

    The font is DejaVu Sans, so names such as "Parañaque" print correctly.

    >>> plan = ActionPlan("Parañaque (illustrative)", "Plan", "Council")
    >>> plan.add_action("Data", Action("Count returnees", "LGU", "Database updated", 1, 2))
    >>> plan_to_pdf(plan)[:5]
    b'%PDF-'
    """
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    plan.validate()
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "", _font_path())
    pdf.add_font("DejaVu", "B", _font_path(bold=True))
    pdf.set_title(f"Reintegration action plan: {plan.locality}")
    pdf.add_page()
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, f"Local reintegration action plan: {plan.locality}", **nl)
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, f"{plan.title}\nPrepared by: {plan.prepared_by}\n"
                         f"Duration: {plan.duration_months} months", **nl)
    pdf.ln(3)
    horizon = max(12, plan.duration_months)
    for number, obj in enumerate(plan.objectives, start=1):
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 7, f"Objective {number}: {obj.title}", **nl)
        for a in obj.actions:
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(0, 5, f"Action: {a.description}\nResponsible: {a.responsible}\n"
                                 f"Indicator: {a.indicator}\n"
                                 f"Timeline: month {a.start_month} to month {a.end_month}", **nl)
            # a one-line timeline: one box per month, filled while the action runs
            width = min(6.0, (pdf.epw) / horizon)
            y = pdf.get_y() + 1
            for month in range(1, horizon + 1):
                active = a.start_month <= month <= a.end_month
                pdf.set_fill_color(40, 100, 160) if active else pdf.set_fill_color(230, 230, 230)
                pdf.rect(pdf.l_margin + (month - 1) * width, y, width - 0.6, 3, style="F")
            pdf.set_y(y + 6)
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 4, "Made with Homeward, the five-day reintegration seminar "
                         "(action planning, module 4).", **nl)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- field visits
def visit_questions(site: str, phase: str | None = None) -> pd.DataFrame:
    """What to ask and observe at one kind of site, before, during and after the visit.

    Questions marked for ``all`` sites are included.

    >>> q = visit_questions("school-based", "during")
    >>> bool(q["question"].str.startswith("Observe").any())
    True
    >>> visit_questions("beach")
    Traceback (most recent call last):
    ...
    ValueError: site: 'beach' is not one of centre-based, community-based, school-based
    """
    _require_choice(site, SITE_KINDS, "site")
    table = _frame("field_visit_questions.json")
    table = table[table["site"].isin([site, "all"])]
    if phase is not None:
        _require_choice(phase, VISIT_PHASES, "phase")
        table = table[table["phase"] == phase]
    return table.reset_index(drop=True)


@dataclass
class FieldVisitRecord:
    """A structured record of one field visit.

    >>> r = FieldVisitRecord("Municipal resource centre (illustrative)", "centre-based",
    ...                      day=4, people_met="Centre head; two women returnees",
    ...                      observations="Private counselling room", to_adopt="Referral slip")
    >>> r.validate().site_kind
    'centre-based'
    >>> FieldVisitRecord("X", "centre-based", day=4, observations="").validate()
    Traceback (most recent call last):
    ...
    ValueError: observations: must be filled in (got '')
    """

    site_name: str
    site_kind: str
    day: int = 4
    people_met: str = ""
    observations: str = ""
    practices_seen: str = ""
    to_adopt: str = ""
    follow_up: str = ""

    def validate(self) -> FieldVisitRecord:
        _require_text(self.site_name, "site_name")
        _require_choice(self.site_kind, SITE_KINDS, "site_kind")
        if isinstance(self.day, bool) or not isinstance(self.day, int) or not 1 <= self.day <= 5:
            raise ValueError(f"day: must be a seminar day from 1 to 5 (got {self.day!r})")
        _require_text(self.observations, "observations")
        return self


VISIT_COLUMNS = ["site_name", "site_kind", "day", "people_met", "observations",
                 "practices_seen", "to_adopt", "follow_up"]


def visits_to_csv(records: Iterable[FieldVisitRecord]) -> str:
    """Export field-visit records as CSV text.

    >>> r = FieldVisitRecord("School (illustrative)", "school-based", observations="Library")
    >>> visits_to_csv([r]).splitlines()[1]
    'School (illustrative),school-based,4,,Library,,,'
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=VISIT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: safe_cell(v) for k, v in asdict(r.validate()).items()})
    return buffer.getvalue()


def visit_to_markdown(record: FieldVisitRecord) -> str:
    """A short, readable summary of one visit, for the group's report.

    >>> r = FieldVisitRecord("School (illustrative)", "school-based", observations="Library")
    >>> print(visit_to_markdown(r).splitlines()[0])
    ### School (illustrative) (school-based, day 4)
    """
    r = record.validate()
    lines = [f"### {r.site_name} ({r.site_kind}, day {r.day})"]
    for label, value in [("People met", r.people_met), ("What we observed", r.observations),
                         ("Practices seen", r.practices_seen), ("What we would adopt", r.to_adopt),
                         ("Follow-up", r.follow_up)]:
        if value.strip():
            lines.append(f"- **{label}:** {value.strip()}")
    return "\n".join(lines)
