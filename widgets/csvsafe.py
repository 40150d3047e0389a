"""CSV cells that a spreadsheet cannot run: one helper for every CSV Homeward writes.

A spreadsheet (Excel, LibreOffice Calc, Google Sheets) reads a cell that begins with ``=``,
``+``, ``-`` or ``@`` as a formula, and a leading tab or carriage return can hide one: a name
typed as ``=HYPERLINK("http://...","Click")`` becomes a live link in the facilitator's copy
of the grades, and some formulas can fetch data or run commands ("CSV injection", OWASP).
Every CSV that can hold text a person typed (a participant's name, a loan's name, a plan's
action, a mentor's note) goes through :func:`safe_cell`, :func:`safe_row` or
:func:`safe_frame`: a **text** cell that begins with one of those characters gets a leading
apostrophe, which spreadsheets show as plain text. Numbers stay numbers: a repayment of
``-500`` stored as a number is written ``-500`` and sums as one.

>>> safe_cell('=HYPERLINK("http://example.org","Click")')
'\\'=HYPERLINK("http://example.org","Click")'
>>> safe_cell("@SUM(A1:A9)"), safe_cell("\\tcmd"), safe_cell("Plain name")
("'@SUM(A1:A9)", "'\\tcmd", 'Plain name')
>>> safe_cell(-500), safe_cell(2.5), safe_cell(None)
(-500, 2.5, '')
>>> unsafe_cell(safe_cell("-5 kg of rice")) == "-5 kg of rice"
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

#: Characters that make a spreadsheet read a text cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell with a leading apostrophe if it could be read as a formula; anything
    else (numbers, booleans) as it is; None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_START) else value
    return value


def unsafe_cell(value: Any) -> Any:
    """Undo :func:`safe_cell` when reading Homeward's own CSV back."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and \
            value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def safe_row(values) -> list:
    """:func:`safe_cell` on every cell of a row (for :mod:`csv` writers)."""
    return [safe_cell(v) for v in values]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are safe; numeric columns are left untouched.

    >>> import pandas as pd
    >>> out = safe_frame(pd.DataFrame({"name": ["=1+1", "Ana"], "amount": [-5.0, 3.0]}))
    >>> out["name"].tolist(), out["amount"].tolist()
    (["'=1+1", 'Ana'], [-5.0, 3.0])
    """
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if is_numeric_dtype(series) or is_bool_dtype(series) or \
                is_datetime64_any_dtype(series):
            continue
        out[column] = series.map(lambda v: safe_cell(v) if isinstance(v, str) else v)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_private_csv(frame: pd.DataFrame, path: str | os.PathLike, **options) -> Path:
    """Write ``frame`` with safe cells to ``path``, readable by its owner only (mode 600),
    without a moment when others could read it."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            safe_frame(frame).to_csv(handle, index=options.pop("index", False), **options)
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
