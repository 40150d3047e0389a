"""Files a person keeps: the month-by-month table as CSV, and a one-page summary.

Pure functions (no widgets). Headers, months and money are in the reader's
language; the CSV keeps plain numbers so a spreadsheet can add them up. The
table has every amount of the month, to the cent, and a first row with the
savings she starts with, so that a spreadsheet can check every month: what
came in (income, the group's pot, both interests, money missing) equals what
went out (her spending abroad, the cost of sending, the family's expenses, the
loan, the group) plus the change in both savings.
"""

from __future__ import annotations

import html
import io

import pandas as pd

from widgets.csvsafe import safe_frame
from widgets.i18n import N_, gettext_for
from widgets.money import format_money
from widgets.months import month_label
from widgets.savings.model import effective_return_month

#: Table columns a person downloads, with their headers (English msgids).
COLUMNS: dict[str, str] = {
    "income": N_("Income"),
    "spending_abroad": N_("My spending abroad"),
    "remittance_sent": N_("Sent home"),
    "remittance_not_sent": N_("Planned but not sent"),
    "remitting_cost": N_("Cost of sending"),
    "family_received": N_("Family received"),
    "expenses": N_("Family expenses"),
    "debt_payment": N_("Loan payment"),
    "debt_balance": N_("Loan left"),
    "group_contribution": N_("Savings group: paid in"),
    "group_payout": N_("Savings group: received"),
    "personal_interest": N_("Interest on my savings"),
    "family_interest": N_("Interest on family savings"),
    "personal_savings": N_("My own savings"),
    "family_savings": N_("Family savings"),
    "total_savings": N_("All savings"),
    "unfunded": N_("Money missing"),
}


def readable_table(table: pd.DataFrame, start: str, language: str,
                   opening: tuple[float, float] | None = None) -> pd.DataFrame:
    """The model's table with month names and translated headers, to the cent.

    ``opening`` (her savings, the family's) adds a first row, "Start", with the savings the
    plan starts with, so that the first month can be checked too. The total is the sum of
    the two savings as written (each already a whole number of cents).
    """
    _ = gettext_for(language)
    out = table[[c for c in COLUMNS if c in table.columns]].round(2)
    if "total_savings" in out:
        out["total_savings"] = (out["personal_savings"] + out["family_savings"]).round(2)
    out = out.rename(columns={c: _(m) for c, m in COLUMNS.items()})
    out.insert(0, _("Month"), [month_label(start, int(m), language) for m in table["month"]])
    out.insert(1, _("At home"), [_("yes") if h else _("no") for h in table["at_home"]])
    if opening is not None:
        personal, family = (round(float(v), 2) for v in opening)
        names = {column: _(msgid) for column, msgid in COLUMNS.items()}
        first = {column: None for column in out.columns}
        first.update({_("Month"): _("Start"), names["personal_savings"]: personal,
                      names["family_savings"]: family,
                      names["total_savings"]: round(personal + family, 2)})
        out = pd.concat([pd.DataFrame([first]), out], ignore_index=True)
    return out


def table_csv(table: pd.DataFrame, start: str, language: str,
              opening: tuple[float, float] | None = None) -> str:
    """The table as CSV text (UTF-8), ready to download.

    >>> from widgets.savings.model import Plan, simulate
    >>> plan = Plan(months=12, return_month=6, goals=())
    >>> text = table_csv(simulate(plan), "2026-11", "id",
    ...                  (plan.personal_savings, plan.family_savings))
    >>> text.splitlines()[0].split(",")[:3]
    ['Bulan', 'Sudah pulang', 'Penghasilan']
    >>> text.splitlines()[1].split(",")[0], len(text.splitlines())
    ('Awal', 14)
    """
    return safe_frame(readable_table(table, start, language, opening)).to_csv(index=False)


def chart_svg(table: pd.DataFrame, start: str, language: str, target: float) -> str:
    """A small static chart of all savings, as SVG, for the printed summary."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    _ = gettext_for(language)
    figure = Figure(figsize=(7, 2.6), dpi=96)
    axes = figure.subplots()
    axes.plot(table["month"], table["total_savings"], color="#0b5d3b", linewidth=2.5,
              label=_("All savings"))
    axes.axhline(target, color="#b36b00", linestyle="--", label=_("Emergency fund"))
    ticks = list(range(0, len(table), max(1, len(table) // 5)))
    axes.set_xticks(ticks, [month_label(start, t, language) for t in ticks], fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.legend(fontsize=8, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def summary_html(saved, table: pd.DataFrame, sentences: list[str],
                 cards: list[tuple[str, str]], emergency_target: float) -> str:
    """A printable one-page summary: headline figures, sentences, chart, key inputs."""
    _ = gettext_for(saved.language)
    plan, currency, language = saved.plan, saved.currency, saved.language

    def money(amount):
        return format_money(amount, currency, language, cents=False)

    inputs = [
        (_("Monthly salary abroad"), money(plan.income_abroad)),
        (_("Money I send home each month"), money(plan.remittance)),
        (_("Family expenses each month, after I return"), money(plan.expenses_after)),
        (_("Household income each month after I return"), money(plan.local_income)),
        (_("I come home in"), month_label(saved.start, effective_return_month(plan), language)),
    ]
    svg = chart_svg(table, saved.start, language, emergency_target)
    rows = "".join(f"<tr><td>{html.escape(a)}</td><td>{html.escape(b)}</td></tr>" for a, b in inputs)
    card_html = "".join(
        f"<div class='card'>{html.escape(a)}<b>{html.escape(b)}</b></div>" for a, b in cards)
    note = _("Made with Homeward. The example numbers are illustrative: "
             "the plan is only as good as the numbers you typed.")
    said = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    return f"""<!doctype html>
<html lang="{language}"><head><meta charset="utf-8">
<title>{html.escape(_("My savings plan"))}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
body {{ font-family: sans-serif; max-width: 190mm; margin: 0 auto; font-size: 12pt; }}
h1 {{ font-size: 18pt; margin: 0 0 4mm 0; }}
.cards {{ display: flex; gap: 4mm; }} .card {{ flex: 1; background: #f1f6f4; padding: 2mm 3mm; }}
.card b {{ display: block; font-size: 15pt; color: #0b5d3b; }}
ul {{ padding-left: 5mm; }} li {{ margin: 1mm 0; }}
table {{ border-collapse: collapse; }} td {{ border-bottom: 1px solid #ccc; padding: 1mm 3mm; }}
svg {{ width: 100%; height: auto; }}
.note {{ font-size: 9pt; color: #555; }}
@media print {{ body {{ font-size: 11pt; }} }}
</style></head><body>
<h1>{html.escape(_("My savings plan"))}</h1>
<div class="cards">{card_html}</div>
<ul>{said}</ul>
{svg}
<table>{rows}</table>
<p class="note">{html.escape(note)}</p>
</body></html>"""
