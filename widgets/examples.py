"""The example plans the simulators open with: illustrative numbers, chosen in one place.

Each app asks here for its example in the currency she chose. Today there is one example
per app, in Philippine pesos, whatever the currency: the apps then say plainly that the
amounts did not change (``Example.currency`` is the currency its amounts are really in).
Per-country examples (amounts in rupiah, baht, rupees, Mexican pesos) plug in here: return
a plan whose amounts are in ``currency`` and set ``currency`` accordingly.

>>> savings_example("PHP").currency, savings_example("IDR").currency
('PHP', 'PHP')
>>> business_example("tailoring", "THB").plan.name
"Nita's tailoring shop"
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from widgets.business.model import TEMPLATES
from widgets.savings.model import Plan


@dataclass(frozen=True)
class Example:
    """An example plan, the currency of its amounts, and a "what if" the app can show."""

    plan: object
    currency: str
    what_if: dict = dataclasses.field(default_factory=dict)  # plan fields that go wrong


def savings_example(currency: str) -> Example:
    """The savings simulator's example: a plan that works, and what if it did not.

    The household's income after her return (illustrative: her own work and her partner's)
    covers the expenses, so the example opens without a warning; the "what if" shows what
    happens when it earns only 9,000 a month: the savings run out.

    >>> from widgets.savings.model import summarize
    >>> example = savings_example("PHP")
    >>> summarize(example.plan).total_unfunded
    0.0
    >>> worse = dataclasses.replace(example.plan, **example.what_if)
    >>> summarize(worse).total_unfunded > 0
    True
    """
    return Example(dataclasses.replace(Plan(), local_income=15_000.0), "PHP",
                   {"local_income": 9_000.0})


def business_example(template: str, currency: str) -> Example:
    """A business template (``TEMPLATES``) as an example in ``currency``."""
    return Example(TEMPLATES[template], "PHP")
