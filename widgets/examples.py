"""The example plans the simulators open with: illustrative numbers, chosen in one place.

Each app asks here for its example in the currency she chose. The savings simulator's
example follows her home country (``widgets.countries``): amounts in rupiah with an arisan
for Indonesia, in rupees with a dhikuti for Nepal, in baht, in Mexican pesos. A currency
that belongs to no home country (US dollars) keeps the Philippine example, and the app then
says plainly that the amounts did not change (``Example.currency`` is the currency its
amounts are really in).

>>> savings_example("PHP").currency, savings_example("IDR").currency, savings_example("USD").currency
('PHP', 'IDR', 'PHP')
>>> savings_example("IDR").plan.remittance, savings_example("IDR").what_if
(3750000.0, {'local_income': 2250000.0})

The business simulator's example follows her home country the same way, as long as she has
not chosen one of its templates herself (``template=None``): Sri's catfish ponds in rupiah,
Sunita's homestay in rupees... A template she chose stays in pesos, with the note.

>>> business_example("tailoring", "THB").plan.name, business_example("tailoring", "THB").currency
("Nita's tailoring shop", 'PHP')
>>> business_example(None, "IDR").plan.name, business_example(None, "IDR").currency
("Sri's catfish ponds", 'IDR')
>>> business_example(None, "USD").plan.name, business_example(None, "USD").currency
("Ate Lorna's sari-sari store", 'PHP')
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from widgets.business.model import TEMPLATES
from widgets.countries import (
    country_for_currency,
    example_business_plan,
    example_savings_plan,
    savings_what_if,
)


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
    happens when it earns less (9,000 a month in the Philippine example): the savings run out.

    >>> from widgets.savings.model import summarize
    >>> example = savings_example("PHP")
    >>> summarize(example.plan).total_unfunded
    0.0
    >>> worse = dataclasses.replace(example.plan, **example.what_if)
    >>> summarize(worse).total_unfunded > 0
    True
    """
    home = "PHP" if country_for_currency(currency) is None else currency
    return Example(example_savings_plan(home), home, savings_what_if(home))


#: The business example for a currency of no home country, and for pesos.
DEFAULT_BUSINESS_TEMPLATE = "sari_sari_store"


def business_example(template: str | None, currency: str) -> Example:
    """A business template (``TEMPLATES``) as an example in ``currency``; with no template,
    the example of her home country (``widgets.countries``), or the sari-sari store in pesos
    for a currency of no home country."""
    if template is None:
        plan = example_business_plan(currency)
        if plan is not None:
            return Example(plan, currency)
        template = DEFAULT_BUSINESS_TEMPLATE
    return Example(TEMPLATES[template], "PHP")
