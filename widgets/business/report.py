"""Files a person keeps: the business plan as a PDF to print and hand in, its tables as CSV.

Pure functions (no widgets) over a :class:`~widgets.business.model.Analysis`.
Headers and sentences are in the reader's language (:mod:`widgets.i18n`),
amounts in her currency (:mod:`widgets.money`). The CSV files keep plain
numbers, so a spreadsheet can add them up; the PDF writes them as money.

The PDF is the whole plan, in the order a livelihood programme reads one:
the business in words, start-up capital, costing, the 12-month sales and cost
plan, the cash-flow plan with a chart, break-even, where the money comes from
with each loan's schedule and true yearly cost, the three cases, what matters
most (sensitivity), and the warnings as sentences.

>>> from widgets.business.model import TEMPLATES, analyse
>>> a = analyse(TEMPLATES["sari_sari_store"])
>>> monthly_csv(a, "id").splitlines()[0].split(",")[:3]
['Bulan', 'Unit terjual', 'Penjualan']
>>> plan_pdf(a, "PHP", "en", [])[:5]
b'%PDF-'
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from widgets.business import text
from widgets.business.model import CASE_FACTORS, CASES
from widgets.csvsafe import safe_frame
from widgets.i18n import N_, gettext_for
from widgets.loans import Loan
from widgets.money import format_number

#: Headers of the 12-month table (model column -> msgid).
MONTHLY_HEADERS: dict[str, str] = {
    "month": N_("Month"),
    "units": N_("Units sold"),
    "sales": N_("Sales"),
    "cash_in": N_("Cash received"),
    "materials": N_("Materials"),
    "labour": N_("Labour"),
    "fixed_costs": N_("Fixed costs"),
    "depreciation": N_("Depreciation"),
    "interest": N_("Interest"),
    "profit": N_("Profit"),
    "loan_payment": N_("Loan payments"),
    "cash_out": N_("Cash paid out"),
    "opening_cash": N_("Cash at start of month"),
    "closing_cash": N_("Cash at end of month"),
    "cash_short": N_("Cash runs out"),
}
#: The sales-and-cost plan and the cash-flow plan: two views of the same 12 months.
SALES_AND_COSTS = ("month", "units", "sales", "materials", "labour", "fixed_costs",
                   "depreciation", "interest", "profit")
CASH_FLOW = ("month", "opening_cash", "cash_in", "loan_payment", "cash_out", "closing_cash")
SCHEDULE_HEADERS: dict[str, str] = {
    "number": N_("Payment no."),
    "month": N_("Month"),
    "payment": N_("Payment"),
    "interest": N_("Interest"),
    "principal": N_("Loan repaid"),
    "balance": N_("Still owed"),
}
PROFILE_LABELS: dict[str, str] = {
    "owner": N_("Owner"),
    "idea": N_("The idea"),
    "product": N_("What I sell"),
    "customers": N_("Customers"),
    "competitors": N_("Competitors"),
    "price_note": N_("Price"),
    "place": N_("Place"),
    "promotion": N_("Promotion"),
    "staff": N_("Staff"),
    "legal_form": N_("Kind of business"),
    "registration": N_("Permits and registration"),
}
#: What ``model.analyse`` moves each driver by in its sensitivity table, in percent.
SENSITIVITY_CHANGE_PCT = 10.0
SENSITIVITY_ROWS = {"price": N_("Price"), "volume": N_("Units sold"),
                    "cost": N_("Cost of each unit")}

#: Unicode fonts for the PDF, best first: Noto Sans (Debian package fonts-noto-core, installed
#: by ``make test``), then DejaVu Sans, which matplotlib (a dependency) always ships.
NOTO = Path("/usr/share/fonts/truetype/noto")


def _matplotlib_fonts() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def font_candidates() -> list[tuple[Path, Path]]:
    """(regular, bold) font files the PDF can use, best first."""
    dejavu = _matplotlib_fonts()
    return [
        (NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSans-Bold.ttf"),
        (dejavu / "DejaVuSans.ttf", dejavu / "DejaVuSans-Bold.ttf"),
    ]


class FontMissing(RuntimeError):
    """No Unicode font was found, so ₱ and Indonesian text could not be printed."""


def pdf_fonts() -> list[tuple[Path, Path]]:
    """The fonts that exist: the first one prints the text, the others fill in any sign it
    lacks (Noto Sans has no ฿, DejaVu Sans has).

    >>> all(regular.exists() and bold.exists() for regular, bold in pdf_fonts())
    True
    """
    found = [(r, b) for r, b in font_candidates() if r.exists() and b.exists()]
    if not found:
        tried = ", ".join(str(r) for r, _b in font_candidates())
        raise FontMissing(
            f"No Unicode font for the PDF (tried {tried}). Install the Debian package "
            "fonts-noto-core (apt-get install fonts-noto-core) or reinstall matplotlib.")
    return found


# --- tables ------------------------------------------------------------------------


def monthly_table(analysis, language: str, case: str = "expected",
                  columns: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The 12-month table of one case with translated headers, rounded to cents."""
    _ = gettext_for(language)
    table = analysis.tables[case]
    columns = columns or tuple(MONTHLY_HEADERS)
    out = table[list(columns)].copy()
    if "cash_short" in out:
        out["cash_short"] = [_("yes") if short else _("no") for short in out["cash_short"]]
    out = out.round(2)
    return out.rename(columns={c: _(MONTHLY_HEADERS[c]) for c in columns})


def monthly_csv(analysis, language: str, case: str = "expected") -> str:
    """The 12-month sales, cost and cash table as CSV text (UTF-8); text cells a spreadsheet
    could read as a formula are written as text (:mod:`widgets.csvsafe`)."""
    return safe_frame(monthly_table(analysis, language, case)).to_csv(index=False)


def loans_table(analysis, language: str) -> pd.DataFrame:
    """Every loan's repayment schedule, one after the other, with the loan's name first.
    Every row adds up to the cent (payment = interest + loan repaid)."""
    _ = gettext_for(language)
    frames = []
    for item, schedule in analysis.schedules:
        if schedule.empty:
            continue
        frame = schedule.round(2).rename(columns={c: _(m) for c, m in SCHEDULE_HEADERS.items()})
        frame.insert(0, _("Loan"), text.name_of(item.name, language) or _(text.source_msgid(item)))
        frames.append(frame)
    if not frames:
        headers = [_("Loan"), *(_(m) for m in SCHEDULE_HEADERS.values())]
        return pd.DataFrame(columns=headers)
    return pd.concat(frames, ignore_index=True)


def loans_csv(analysis, language: str) -> str:
    """All loan schedules as CSV text (just the headers when there is no loan).

    >>> from widgets.business.model import analyse
    >>> from widgets.business.templates import TEMPLATES
    >>> lines = loans_csv(analyse(TEMPLATES["food_stall"]), "en").splitlines()
    >>> lines[0], len(lines)
    ('Loan,Payment no.,Month,Payment,Interest,Loan repaid,Still owed', 25)

    A loan named like a spreadsheet formula is written as text; the amounts stay numbers:

    >>> from dataclasses import replace
    >>> plan = TEMPLATES["food_stall"]
    >>> odd = replace(plan, funding=tuple(replace(f, name="=HYPERLINK(1)")
    ...                                    if isinstance(f, Loan) else f for f in plan.funding))
    >>> loans_csv(analyse(odd), "en").splitlines()[1].split(",")[:2]
    ["'=HYPERLINK(1)", '1']
    """
    return safe_frame(loans_table(analysis, language)).to_csv(index=False)


def funding_rows(analysis, currency: str, language: str) -> tuple[list[str], list[list[str]]]:
    """Where the money comes from: header and rows of words (for the app and the PDF)."""
    _ = gettext_for(language)
    header = [_("Money"), _("From"), _("Amount"), _("Paid back"),
              _("Simple yearly rate (APR)"), _("Compounded yearly rate")]
    rows = []
    for (item, _schedule), rates in zip(analysis.schedules, analysis.rates, strict=True):
        repaid = isinstance(item, Loan)
        digits = 1 if repaid and rates.apr_pct < 100 else 0
        rows.append([
            text.name_of(item.name, language),
            _(text.source_msgid(item)),
            text.money(item.amount, currency, language),
            text.loan_terms(item, currency, language) if repaid else _("not repaid"),
            text.percent(rates.apr_pct, language, digits) if repaid else "",
            text.percent(rates.compounded_yearly_pct, language, digits) if repaid else "",
        ])
    return header, rows


def cases_rows(analysis, currency: str, language: str) -> tuple[list[str], list[list[str]]]:
    _ = gettext_for(language)
    header = [_("Case"), _("Sales in the first year"), _("Profit in the first year"),
              _("Lowest cash")]
    rows = [[_(text.CASE_NAMES[case]),
             text.money(analysis.totals[case].sales, currency, language),
             text.money(analysis.totals[case].profit, currency, language),
             text.money(analysis.totals[case].lowest_cash, currency, language)]
            for case in CASES]
    return header, rows


def cases_note(language: str) -> str:
    """What a bad and a good year mean (the model's illustrative factors)."""
    _ = gettext_for(language)

    def change(case, key):
        return text.percent(100 * abs(CASE_FACTORS[case][key] - 1), language)

    return _("Bad year: price {p1} lower, {v1} fewer units sold, each unit costs {c1} more. "
             "Good year: price {p2} higher, {v2} more units, each unit costs {c2} less. "
             "These changes are illustrative.").format(
        p1=change("worst", "price"), v1=change("worst", "volume"), c1=change("worst", "cost"),
        p2=change("best", "price"), v2=change("best", "volume"), c2=change("best", "cost"))


def sensitivity_rows(analysis, currency: str, language: str) -> tuple[list[str], list[list[str]]]:
    _ = gettext_for(language)
    pct = text.percent(SENSITIVITY_CHANGE_PCT, language)
    header = [_("Profit in the first year if…"), _("{pct} lower").format(pct=pct),
              _("As planned"), _("{pct} higher").format(pct=pct)]
    s = analysis.sensitivity
    rows = [[_(label), *(text.money(float(s.loc[key, col]), currency, language)
                         for col in ("minus", "base", "plus"))]
            for key, label in SENSITIVITY_ROWS.items()]
    return header, rows


def investment_rows(analysis, currency: str, language: str) -> list[list[str]]:
    _ = gettext_for(language)
    inv, plan = analysis.investment, analysis.plan
    return [
        [_("Value today of the next {years} years (at {rate} a year)").format(
            years=plan.horizon_years, rate=text.percent(plan.discount_yearly_rate_pct, language)),
         text.money(inv.npv, currency, language)],
        [_("Yearly return on the start-up money"),
         text.percent(inv.irr_yearly_pct, language) if inv.irr_yearly_pct is not None
         else _("none")],
        [_("Months to earn back the start-up money"),
         str(inv.payback_months) if inv.payback_months is not None else
         _("more than {years} years").format(years=plan.horizon_years)],
    ]


def _html_table(header: list[str], rows: list[list[str]], css: str = "hw-table") -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>{}</tr>".format("".join(f"<td>{html.escape(c)}</td>" for c in row))
                   for row in rows)
    return (f"<div class='hw-table-wrap'><table class='{css}'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def results_html(analysis, currency: str, language: str) -> str:
    """The tables of the app's Results step, as HTML."""
    _ = gettext_for(language)
    parts = [
        "<h4>{}</h4>".format(html.escape(_("Three cases"))),
        _html_table(*cases_rows(analysis, currency, language)),
        f"<p class='hw-note'>{html.escape(cases_note(language))}</p>",
        "<h4>{}</h4>".format(html.escape(_("What matters most"))),
        _html_table(*sensitivity_rows(analysis, currency, language)),
        "<h4>{}</h4>".format(html.escape(_("Where the money comes from"))),
        _html_table(*funding_rows(analysis, currency, language), css="hw-table hw-wrap"),
        "<h4>{}</h4>".format(html.escape(_("Is it worth it?"))),
        _html_table([_("Measure"), _("Value")], investment_rows(analysis, currency, language)),
    ]
    return "".join(parts)


# --- the chart -----------------------------------------------------------------------


def draw_cash_chart(pdf, analysis, language: str, height: float = 62.0) -> None:
    """Closing cash by month, drawn into the PDF as vector shapes (sharp in print): bars for
    the expected case (red below zero), dashed and dotted lines for a bad and a good year."""
    _ = gettext_for(language)
    tables = analysis.tables
    cash = [float(v) for v in tables["expected"]["closing_cash"]]
    short = [bool(v) for v in tables["expected"]["cash_short"]]
    lines = {case: [float(v) for v in tables[case]["closing_cash"]] for case in ("worst", "best")}
    values = cash + lines["worst"] + lines["best"] + [0.0]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        high = low + 1.0
    if pdf.get_y() + height + 12 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font("f0", "B", 9)
    pdf.cell(0, 5, _("Cash at the end of each month"), new_x="LMARGIN", new_y="NEXT")
    left, top = pdf.l_margin + 24, pdf.get_y() + 2
    width, plot = pdf.epw - 24, height - 16

    def y_of(value):
        return top + (high - value) / (high - low) * plot

    slot = width / len(cash)
    pdf.set_font("f0", "", 7)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.1)
    for value in sorted({low, 0.0, high}):
        pdf.line(left, y_of(value), left + width, y_of(value))
        pdf.set_xy(pdf.l_margin, y_of(value) - 2)
        pdf.cell(22, 4, format_number(value, language), align="R")
    for m, (value, is_short) in enumerate(zip(cash, short, strict=True)):
        pdf.set_fill_color(*((217, 83, 79) if is_short else (156, 201, 180)))
        y0, y1 = sorted((y_of(0.0), y_of(value)))
        pdf.rect(left + m * slot + slot * 0.2, y0, slot * 0.6, max(y1 - y0, 0.2), style="F")
        pdf.set_xy(left + m * slot, top + plot + 1)
        pdf.cell(slot, 4, str(m + 1), align="C")
    pdf.set_draw_color(51, 51, 51)
    pdf.set_line_width(0.3)
    pdf.line(left, y_of(0.0), left + width, y_of(0.0))
    styles = {"worst": ((176, 0, 32), 1.6), "best": ((31, 95, 168), 0.5)}
    for case, (colour, dash) in styles.items():
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.5)
        pdf.set_dash_pattern(dash=dash, gap=0.9)
        points = [(left + (m + 0.5) * slot, y_of(v)) for m, v in enumerate(lines[case])]
        pdf.polyline(points, style="D")
    pdf.set_dash_pattern()
    # the legend, under the month numbers
    y = top + plot + 7
    x = left
    pdf.set_font("f0", "", 7)
    names = {case: _(msgid) for case, msgid in text.CASE_NAMES.items()}
    legend = [("bar", (156, 201, 180), names["expected"]),
              ("bar", (217, 83, 79), _("Cash runs out")),
              ("line", styles["worst"][0], names["worst"]),
              ("line", styles["best"][0], names["best"])]
    for kind, colour, words in legend:
        if kind == "bar":
            pdf.set_fill_color(*colour)
            pdf.rect(x, y + 0.8, 4, 2.4, style="F")
        else:
            pdf.set_draw_color(*colour)
            pdf.line(x, y + 2, x + 4, y + 2)
        pdf.set_xy(x + 5, y)
        pdf.cell(pdf.get_string_width(words) + 2, 4, words)
        x = pdf.get_x() + 3
    pdf.set_draw_color(0, 0, 0)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin, y + 7)


# --- the PDF --------------------------------------------------------------------------


def plan_pdf(analysis, currency: str, language: str, sentences: list[str]) -> bytes:
    """The whole plan as an A4 PDF to print and hand in, in the reader's language.

    ``sentences`` are what the plan says in plain words (the app passes
    :func:`widgets.business.text.sentences`); they open the document.
    Raises :class:`FontMissing` if no Unicode font is installed.
    """
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    _ = gettext_for(language)
    fonts = pdf_fonts()
    plan = analysis.plan

    def money(amount):
        return text.money(amount, currency, language)

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.set_margins(14, 14, 14)
    for k, (regular, bold) in enumerate(fonts):
        pdf.add_font(f"f{k}", "", str(regular))
        pdf.add_font(f"f{k}", "B", str(bold))
    pdf.set_fallback_fonts([f"f{k}" for k in range(1, len(fonts))])
    title = text.name_of(plan.name, language) or _("My business plan")
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.set_creator("Homeward")
    pdf.add_page()
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}

    def heading(words: str, size: int = 13):
        pdf.ln(2)
        pdf.set_font("f0", "B", size)
        pdf.multi_cell(0, 7, words, **nl)
        pdf.set_font("f0", "", 10)

    def paragraph(words: str, size: int = 10):
        pdf.set_font("f0", "", size)
        pdf.multi_cell(0, 5, words, align="L", **nl)

    def table(header, rows, widths=None, size=8, align=None):
        """A table; ``align`` is one letter per column (L or R), default: words left."""
        pdf.set_font("f0", "", size)
        align = [{"L": "LEFT", "R": "RIGHT"}[a] for a in (align or "L" + "R" * (len(header) - 1))]
        with pdf.table(col_widths=widths, text_align=align, line_height=size * 0.55,
                       headings_style=FontFace(emphasis="BOLD", fill_color=(225, 238, 232)),
                       borders_layout="HORIZONTAL_LINES", padding=0.8) as t:
            for row in [header, *rows]:
                cells = t.row()
                for value in row:
                    cells.cell(str(value))
        pdf.ln(2)

    pdf.set_font("f0", "B", 18)
    pdf.multi_cell(0, 9, title, **nl)
    paragraph(_("Business plan, made with Homeward. Amounts in {currency}.").format(
        currency=currency), 10)
    pdf.set_text_color(90, 90, 90)
    paragraph(_("Numbers that come from an example are illustrative: the plan is only as good "
                "as the numbers typed in."), 8)
    pdf.set_text_color(0, 0, 0)

    heading(_("The plan in a few sentences"))
    for sentence in sentences:
        paragraph("• " + sentence)

    heading(_("1. The business"))
    words = [(_(label), text.name_of(getattr(plan.profile, key), language))
             for key, label in PROFILE_LABELS.items() if getattr(plan.profile, key).strip()]
    if words:
        table([_("Question"), _("Answer")], [[a, b] for a, b in words], widths=(45, 137),
              size=9, align="LL")
    else:
        paragraph(_("(Not filled in yet.)"))

    heading(_("2. Start-up money"))
    capital = analysis.capital
    rows = [[text.name_of(e.name, language), money(e.cost),
             format_number(e.life_years, language, 0 if float(e.life_years).is_integer()
                                else 1)]
            for e in plan.equipment]
    if rows:
        table([_("Equipment"), _("Cost"), _("Years it will last")], rows, widths=(100, 45, 37))
    table([_("Start-up money"), _("Amount")], [
        [_("Equipment"), money(capital.equipment)],
        [_("Before opening (permits, repairs, training)"), money(capital.preopening)],
        [_("First stock"), money(capital.first_stock)],
        [_("Cash kept aside (working capital)"), money(capital.working_capital)],
        [_("Total start-up money"), money(capital.total)],
    ], widths=(130, 52), size=9)

    heading(_("3. Costing and price (one unit)"))
    k = analysis.costing

    def exact(amount):  # a unit's cost needs its cents
        return text.money(amount, currency, language, cents=True)

    table([_("Per unit"), _("Amount")], [
        [_("Materials"), exact(k.materials)],
        [_("Labour"), exact(k.labour)],
        [_("Share of fixed costs and depreciation"), exact(k.overhead_per_unit)],
        [_("Full cost of one unit"), exact(k.cost_per_unit)],
        [_("Selling price"), exact(k.price)],
        [_("Margin (price less full cost)"), exact(k.margin_per_unit)],
        [_("Margin, share of the price"),
         text.percent(k.margin_pct, language, 1) if math.isfinite(k.margin_pct) else "—"],
    ], widths=(130, 52), size=9)

    def month_rows(columns):
        """Every amount to the cent, so that the "Whole year" row is the sum of the rows
        printed above it (units are counts, not money: rounded, and not added up)."""
        table_ = analysis.tables["expected"]
        rows = []
        for _i, row in table_.iterrows():
            rows.append([str(int(row["month"]))] + [
                format_number(row[c], language, 0) if c == "units" else exact(row[c])
                for c in columns[1:]])
        totals = [_("Whole year")] + [
            "" if c in ("opening_cash", "closing_cash", "units") else
            exact(round(float(table_[c].sum()), 2))
            for c in columns[1:]]
        return rows + [totals]

    heading(_("4. Sales and costs, month by month"))
    table([_(MONTHLY_HEADERS[c]) for c in SALES_AND_COSTS], month_rows(SALES_AND_COSTS),
          size=7)

    heading(_("5. Cash flow, month by month"))
    table([_(MONTHLY_HEADERS[c]) for c in CASH_FLOW], month_rows(CASH_FLOW), size=7)
    draw_cash_chart(pdf, analysis, language)

    heading(_("6. Break-even"))
    paragraph(text.break_even_sentence(analysis, currency, language))

    heading(_("7. Where the money comes from"))
    header, rows = funding_rows(analysis, currency, language)
    if rows:
        table(header, rows, widths=(34, 30, 24, 52, 21, 21), align="LLRLRR")
    for sentence in text.loan_sentences(analysis, currency, language):
        paragraph(sentence)
    for funding, schedule in analysis.schedules:
        if schedule.empty:
            continue
        pdf.set_font("f0", "B", 10)
        pdf.multi_cell(0, 6, _("Repayments: {name}").format(
            name=text.name_of(funding.name, language) or _(text.source_msgid(funding))), **nl)
        rows = [[str(int(r["number"])), str(int(r["month"])), exact(r["payment"]),
                 exact(r["interest"]), exact(r["principal"]), exact(r["balance"])]
                for _i, r in schedule.iterrows()]
        rows.append([_("Total"), "", exact(round(float(schedule["payment"].sum()), 2)),
                     exact(round(float(schedule["interest"].sum()), 2)),
                     exact(round(float(schedule["principal"].sum()), 2)), ""])
        table([_(m) for m in SCHEDULE_HEADERS.values()], rows, size=7)

    heading(_("8. Three cases"))
    table(*cases_rows(analysis, currency, language), size=8)
    paragraph(cases_note(language), 8)

    heading(_("9. What matters most"))
    table(*sensitivity_rows(analysis, currency, language), size=8)
    table([_("Measure"), _("Value")], investment_rows(analysis, currency, language),
          widths=(130, 52), size=8)

    heading(_("10. Warnings"))
    warnings = text.warning_sentences(analysis, currency, language)
    for sentence in warnings or [_("No warnings.")]:
        paragraph("• " + sentence)
    return bytes(pdf.output())
