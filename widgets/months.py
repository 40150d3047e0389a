"""Plan months as dates a person reads: month 0 is the plan's first month.

>>> month_date("2026-11", 4)
datetime.date(2027, 3, 1)
>>> month_label("2026-11", 4, "en"), month_label("2026-11", 4, "fil"), month_label("2026-11", 4, "id")
('March 2027', 'Marso 2027', 'Maret 2027')
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from widgets.money import babel_locale


def month_date(start: str, month: int) -> dt.date:
    """The first day of plan month ``month``, for a plan starting ``start`` ("YYYY-MM")."""
    year, first = (int(part) for part in start.split("-"))
    index = year * 12 + first - 1 + month
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(start: str, month: int, language: str) -> str:
    """The name of a plan month, e.g. ``March 2027``, in the reader's language."""
    return format_date(month_date(start, month), "LLLL y", locale=babel_locale(language))


def this_month(today: dt.date | None = None) -> str:
    """The current month as "YYYY-MM", the first month of a new plan.

    >>> this_month(dt.date(2026, 11, 23))
    '2026-11'
    """
    today = today or dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"
